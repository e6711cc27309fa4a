//! 预警 — an early warning issued by the commission to townships, projects and departments.
use sea_orm::entity::prelude::*;

use super::enums::WarningLevel;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_warning")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub level: WarningLevel,
    pub title: String,
    pub message: String,
    /// Required actions, as a JSON array of strings.
    pub required_actions: String,
    pub issued_by: Option<Uuid>,
    pub issued_at: DateTimeUtc,
    /// Every target acknowledges by then, or escalates.
    pub ack_due_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 应急响应 — an emergency response: its level, start and end.
use sea_orm::entity::prelude::*;

use super::enums::ResponseLevel;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_emergency_response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub reason: String,
    pub level: ResponseLevel,
    pub started_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub started_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

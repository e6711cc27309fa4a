//! 响应过程 — a response's start, each escalation and its end, with the level then.
use sea_orm::entity::prelude::*;

use super::enums::ResponseLevel;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_emergency_response_step")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub response_id: Uuid,
    /// `START`, `ESCALATE` or `END`.
    pub action: String,
    pub level: ResponseLevel,
    pub note: Option<String>,
    pub by: Option<Uuid>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 重点时段 — the latest declaration of a key period (from `duty.key_period_declared`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_key_period")]
pub struct Model {
    /// The duty module's key period id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// MAJOR_HOLIDAY, EXTREME_WEATHER or SENSITIVE_PERIOD.
    pub kind: String,
    pub level: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    pub cancelled: bool,
    /// Outbox sequence of the declaration kept (a later one replaces it, an earlier one not).
    pub event_seq: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 信用评价规则版本 — one published version of the rules table, in force from a date.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_rule_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// 1, 2, 3… (unique).
    pub version: i32,
    /// Events that occurred at or after this instant are evaluated with this version (until the
    /// next version's start).
    pub effective_from: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub published_by: Option<Uuid>,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

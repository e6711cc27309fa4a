//! 五落实记录 — one of the five implementations recorded for a major hazard.
use sea_orm::entity::prelude::*;

use super::enums::Implementation;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_implementation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub hazard_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: Implementation,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 通报接收单位 — a unit a circular was sent to, and its read receipt (the first reader).
use sea_orm::entity::prelude::*;

use super::enums::UnitKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oversight_circular_recipient")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub circular_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    pub unit_kind: UnitKind,
    pub read_by: Option<Uuid>,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 通报所列问题 — a record a circular names (an inspection, hazard or enforcement action).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oversight_circular_link")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub circular_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// GraphQL type name of the record.
    pub target_type: String,
    pub target_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 隐患来源 — the record of another module (a verified public report, …) at whose request a
//! hazard was opened; one row per hazard, unique per record and position.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_origin")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub hazard_id: Uuid,
    /// The GraphQL type of the record that asked (`RewardReport`, …).
    pub origin_type: String,
    pub origin_id: Uuid,
    /// Position of the hazard among those the record asked for.
    pub ordinal: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

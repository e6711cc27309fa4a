//! 排查行动 — a screening campaign: a period, the townships it covers (`campaign_township`), and
//! optionally the house uses and structures it is limited to.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "housing_campaign")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// JSON list of `HouseUse` names; empty: every use.
    pub uses: String,
    /// JSON list of `StructureType` names; empty: every structure.
    pub structures: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub target_count: i32,
    pub created_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

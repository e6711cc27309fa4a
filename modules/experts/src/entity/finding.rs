//! 服务发现的问题 — one finding of a visit; inspections opens one hazard for it.
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_finding")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub visit_id: Uuid,
    pub request_id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub ordinal: i32,
    pub category: String,
    pub description: String,
    pub location: String,
    pub status: FindingStatus,
    /// The hazard inspections opened for it (learnt from `inspections.hazards_opened`).
    pub hazard_id: Option<Uuid>,
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

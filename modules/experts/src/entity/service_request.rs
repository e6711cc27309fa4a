//! 专家服务申请 — a request for an expert visit to a project.
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_service_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    /// Copied from the project (scope anchor).
    pub township_id: Uuid,
    pub requester: ServiceRequester,
    /// The asking enterprise (when an enterprise asked).
    pub requester_enterprise_id: Option<Uuid>,
    pub topic: String,
    pub specialty: Specialty,
    pub expert_count: i32,
    pub status: ServiceRequestStatus,
    pub created_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

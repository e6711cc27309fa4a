//! 专家服务记录 — an expert visit to a project, with its findings.
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_visit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub visited_on: Date,
    pub summary: String,
    pub recorded_by: Option<Uuid>,
    /// When every finding was closed (the follow-up done).
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

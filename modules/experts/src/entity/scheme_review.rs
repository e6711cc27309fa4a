//! 专项施工方案专家论证 — the expert review of the scheme of a dangerous sub-project beyond a certain scale.
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_scheme_review")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub dangerous_work_id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub scheme_title: String,
    pub status: ReviewStatus,
    pub conclusion: Option<ReviewConclusion>,
    pub opinion: Option<String>,
    pub report_attachment_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub concluded_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 专家任务 — an expert assigned to a service request or a scheme review.
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_assignment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub expert_id: Uuid,
    /// The expert's account, copied (scope anchor of the `experts.expert` grant).
    pub expert_account_id: Option<Uuid>,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub subject_type: AssignmentSubject,
    pub subject_id: Uuid,
    pub draw_id: Option<Uuid>,
    pub source: AssignmentSource,
    pub status: AssignmentStatus,
    pub refusal_reason: Option<String>,
    /// 1–5, given by the commission after the work.
    pub rating: Option<i32>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

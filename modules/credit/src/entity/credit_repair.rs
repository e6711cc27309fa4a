//! 信用修复申请 — an enterprise's application to end a bad record's publication early, its
//! review and the decision.
use sea_orm::entity::prelude::*;

use super::enums::RepairStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_repair")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub record_id: Uuid,
    pub enterprise_id: Uuid,
    pub status: RepairStatus,
    /// The applicant's account of the rectification.
    #[sea_orm(column_type = "Text")]
    pub statement: String,
    pub applied_by: Option<Uuid>,
    pub applied_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub review_opinion: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

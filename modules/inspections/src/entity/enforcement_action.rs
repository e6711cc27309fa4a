//! 执法措施 — an enforcement action against an enterprise or a person.
use sea_orm::entity::prelude::*;

use super::enums::EnforcementKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enforcement_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: EnforcementKind,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub target_enterprise_id: Option<Uuid>,
    pub target_person: Option<String>,
    pub project_id: Option<Uuid>,
    /// Township of the project, for township scope.
    pub township_id: Option<Uuid>,
    /// Credit points deducted (CREDIT_DEDUCTION).
    pub points: Option<i32>,
    /// Penalty in fen (PENALTY): money is never floating point.
    pub penalty_fen: Option<i64>,
    /// JSON array of linked hazard ids.
    #[sea_orm(column_type = "Text")]
    pub hazard_ids: String,
    /// JSON array of linked inspection ids.
    #[sea_orm(column_type = "Text")]
    pub inspection_ids: String,
    pub issued_by: Option<Uuid>,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

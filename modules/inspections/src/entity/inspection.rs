//! 检查 — an inspection of a project, of any kind, with its checklist score.
use sea_orm::entity::prelude::*;

use super::enums::{InspectionKind, InspectionResult};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub kind: InspectionKind,
    pub inspected_at: DateTimeUtc,
    /// GPS point (WGS-84 degrees).
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// JSON array of inspector account ids.
    #[sea_orm(column_type = "Text")]
    pub inspector_ids: String,
    #[sea_orm(column_type = "Text")]
    pub findings: String,
    pub result: InspectionResult,
    pub template_code: Option<String>,
    pub template_version: Option<i32>,
    /// The checklist answers (JSON), as submitted.
    #[sea_orm(column_type = "Text", nullable)]
    pub answers: Option<String>,
    /// The server-computed scorecard (JSON).
    #[sea_orm(column_type = "Text", nullable)]
    pub scorecard: Option<String>,
    pub score_centi: Option<i32>,
    pub covert: bool,
    pub published_at: Option<DateTimeUtc>,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// Recorded in the grace window after its period closed: kept, shown as late, never
    /// counted as evidence for the closed period.
    pub late: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

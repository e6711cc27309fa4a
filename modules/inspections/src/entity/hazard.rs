//! 隐患 — a hazard found on a project, and where its rectification stands.
use sea_orm::entity::prelude::*;

use super::enums::{HazardLevel, HazardStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    /// Denormalised from the project, for township scope and statistics.
    pub township_id: Uuid,
    pub inspection_id: Option<Uuid>,
    pub level: HazardLevel,
    /// A category code of the major-hazard criteria (`rules::hazard_criteria`).
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub location: String,
    pub status: HazardStatus,
    pub responsible_enterprise_id: Option<Uuid>,
    pub responsible_person: Option<String>,
    pub deadline_working_days: Option<i32>,
    pub deadline_at: Option<DateTimeUtc>,
    /// False while the hazard comes from an unpublished covert inspection: the inspected
    /// enterprise must not see it yet.
    pub visible_to_enterprise: bool,
    pub reported_by: Option<Uuid>,
    pub reported_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub overdue_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

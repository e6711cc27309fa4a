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
    /// For a general hazard a JGJ 59 item (`rules::hazard_class::GeneralCategory`), for a major
    /// one a category of the major-hazard criteria (`rules::hazard_criteria::HazardCategory`).
    pub category: String,
    /// A major hazard's condition of the criteria (`Criterion::code`, e.g. `SCAFFOLDING-2`).
    pub criterion: Option<String>,
    /// Fixed on the spot by the enterprise during its self-check (closed by itself).
    pub fixed_on_spot: bool,
    /// 挂牌督办: the supervising unit (org unit), its deadline, and when it was listed.
    pub supervising_unit_id: Option<Uuid>,
    pub supervision_deadline_at: Option<DateTimeUtc>,
    pub supervision_listed_at: Option<DateTimeUtc>,
    /// 销号验收: when and by whom a major hazard's rectification was accepted.
    pub accepted_at: Option<DateTimeUtc>,
    pub accepted_by: Option<Uuid>,
    /// A pending deadline extension requested by the enterprise: extra working days, why, when.
    pub extension_days: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub extension_reason: Option<String>,
    pub extension_requested_at: Option<DateTimeUtc>,
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

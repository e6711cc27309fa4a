//! 信息报告 — a report of an accident, a danger or a disaster: its first report, the casualties
//! and losses as they now stand, and the deadline of its next follow-up.
use sea_orm::entity::prelude::*;

use super::enums::{IncidentKind, IncidentSeverity, IncidentStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_incident_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: IncidentKind,
    pub severity: IncidentSeverity,
    pub title: String,
    pub description: String,
    pub township_id: Uuid,
    pub project_id: Option<Uuid>,
    pub occurred_at: DateTimeUtc,
    /// When the first report was filed.
    pub reported_at: DateTimeUtc,
    /// The first report's deadline (occurred + the rule's hours).
    pub first_due_at: DateTimeUtc,
    pub deaths: i32,
    pub injuries: i32,
    pub missing: i32,
    /// 直接经济损失，元 (direct loss, yuan).
    pub direct_loss_yuan: i64,
    pub status: IncidentStatus,
    /// The next follow-up's deadline while open.
    pub next_due_at: Option<DateTimeUtc>,
    /// Set when `duty.incident_report_overdue` was published for the current deadline.
    pub overdue_published_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub reported_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

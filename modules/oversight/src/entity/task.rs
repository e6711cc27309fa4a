//! 督办事项 — a meeting's decision or a risk assessment's control measure, with the person
//! responsible and a due date, tracked to done.
use sea_orm::entity::prelude::*;

use super::enums::{RiskLevel, TaskKind, TaskStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oversight_task")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: TaskKind,
    /// Set for a decision.
    pub meeting_id: Option<Uuid>,
    /// Set for a control measure.
    pub assessment_id: Option<Uuid>,
    /// Order within its meeting or assessment.
    pub position: i32,
    /// The decision, or the risk assessed.
    pub description: String,
    /// The control measures (for a risk).
    pub measures: Option<String>,
    pub risk_level: Option<RiskLevel>,
    /// 两重两新: to be folded into supervision checklists.
    pub two_key_two_new: bool,
    pub owner_account_id: Uuid,
    /// The owner's org unit or enterprise when the task was given (its scope).
    pub owner_unit_id: Option<Uuid>,
    pub due_on: Date,
    pub status: TaskStatus,
    pub done_at: Option<DateTimeUtc>,
    pub done_note: Option<String>,
    /// When `oversight.task_overdue` was published for it (once).
    pub overdue_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 预警对象 — one township, project or department a warning is addressed to, with its
//! acknowledgement (签收) and escalation.
use sea_orm::entity::prelude::*;

use super::enums::WarningTargetKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_warning_target")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub warning_id: Uuid,
    pub kind: WarningTargetKind,
    /// The township, project or department.
    pub unit_id: Uuid,
    /// The township itself, or the project's township; none for a department.
    pub township_id: Option<Uuid>,
    /// The target's name when the warning was issued.
    pub label: String,
    pub ack_due_at: DateTimeUtc,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub acknowledged_by: Option<Uuid>,
    pub ack_note: Option<String>,
    /// Set once, when the deadline passed without acknowledgement.
    pub escalated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

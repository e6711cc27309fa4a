//! Events the oversight module publishes.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the oversight module publishes.
pub const TOPICS: &[&str] = &[TaskOverdue::TOPIC];

/// 督办事项类别 — where an overdue task came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskKind {
    /// 会议议定事项 (a meeting's decision)
    Decision,
    /// 风险管控措施 (a risk assessment's control measure)
    RiskControl,
}

/// 督办事项逾期 — a meeting's decision or a control measure passed its due day still open
/// (published once per task).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOverdue {
    /// 督办事项 (task id)
    pub task_id: Uuid,
    /// 类别 (kind)
    pub kind: TaskKind,
    /// 责任人账号 (the owner's account id)
    pub owner_account_id: Uuid,
    /// 完成时限 (the due day it passed)
    pub due_on: NaiveDate,
}
event!(TaskOverdue, "oversight.task_overdue", v 1, "OversightTask", task_id);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn oversight_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let (t, o) = (Uuid::from_u128(1), Uuid::from_u128(2));
        round_trip(
            "oversight",
            TOPICS,
            TaskOverdue {
                task_id: t,
                kind: TaskKind::Decision,
                owner_account_id: o,
                due_on: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
            },
            json!({ "taskId": t, "kind": "DECISION", "ownerAccountId": o, "dueOn": "2026-12-10" }),
        );
    }
}

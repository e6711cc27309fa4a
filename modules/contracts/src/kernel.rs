//! Events the kernel publishes: obligations missed, notifications created.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the kernel publishes.
pub const TOPICS: &[&str] = &[ObligationMissed::TOPIC, NotificationCreated::TOPIC];

/// 未履行义务 — a subject fell short of a recurring obligation in a closed period (one event per
/// subject and period; closing a period twice publishes nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObligationMissed {
    /// 义务代码 (obligation code, `module.what`, e.g. `inspections.safety_manager_daily`)
    pub obligation: String,
    /// 期间 (the period's label, e.g. `2026-11-30`, `2026-W48`, `2026-11`)
    pub period: String,
    /// 实际次数 (evidence records counted in the period)
    pub count: u32,
    /// 要求次数 (evidence records required per period)
    pub required: u32,
    /// 义务对象类型 (subject's GraphQL type name: `Project`, `Account` or `OrgUnit`)
    pub subject_type: String,
    /// 义务对象 (subject id)
    pub subject_id: Uuid,
    /// 所在乡镇（街道）(township of the subject, if it has one)
    pub township_id: Option<Uuid>,
}

impl DomainEvent for ObligationMissed {
    const TOPIC: &'static str = "kernel.obligation_missed";
    const VERSION: u32 = 1;
    fn aggregate_type(&self) -> &str {
        &self.subject_type
    }
    fn aggregate_id(&self) -> Uuid {
        self.subject_id
    }
}

/// 新通知 — a notification was written to an account's inbox (drives the live
/// `notificationReceived` subscription).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationCreated {
    /// 通知 (notification id)
    pub notification_id: Uuid,
    /// 接收账号 (recipient account id)
    pub recipient_id: Uuid,
}
event!(NotificationCreated, "kernel.notification_created", v 1, "Notification", notification_id);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn kernel_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let subject = Uuid::from_u128(1);
        let township = Uuid::from_u128(2);
        round_trip(
            "kernel",
            TOPICS,
            ObligationMissed {
                obligation: "inspections.safety_manager_daily".into(),
                period: "2026-11-30".into(),
                count: 0,
                required: 1,
                subject_type: "Project".into(),
                subject_id: subject,
                township_id: Some(township),
            },
            json!({
                "obligation": "inspections.safety_manager_daily", "period": "2026-11-30",
                "count": 0, "required": 1, "subjectType": "Project", "subjectId": subject,
                "townshipId": township,
            }),
        );
        let n = Uuid::from_u128(3);
        let to = Uuid::from_u128(4);
        let created = NotificationCreated {
            notification_id: n,
            recipient_id: to,
        };
        assert_eq!(created.aggregate_type(), "Notification");
        assert_eq!(created.aggregate_id(), n);
        round_trip(
            "kernel",
            TOPICS,
            created,
            json!({ "notificationId": n, "recipientId": to }),
        );
    }
}

//! Events the rewards module publishes. None carries anything about the reporter: not the
//! identity, not the contact, not the pseudonym, not the receipt code (DESIGN §3).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// What other modules call a public report when they act on one (the `origin_type` of
/// `inspections.hazards_opened`, the GraphQL type of its global ID).
pub const REPORT_TYPE: &str = "RewardReport";

/// Every topic the rewards module publishes.
pub const TOPICS: &[&str] = &[ReportVerified::TOPIC, ReportOverdue::TOPIC];

/// 核查结论 — verdict of a verified report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// 属实 (true)
    True,
    /// 部分属实 (partly true)
    PartlyTrue,
}

/// 核查发现的隐患 — a hazard the verifier found on site, for inspections to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundHazard {
    /// 一般隐患类别 (one of [`crate::inspections::GENERAL_HAZARD_CATEGORIES`]; a major hazard is
    /// reclassified by the inspectors, who cite the criterion)
    pub category: String,
    /// 隐患描述 (description)
    pub description: String,
    /// 部位 (where on the site)
    pub location: String,
}

/// 举报经核查属实 — a public report was verified true or partly true: inspections opens the
/// hazards the verifier found on the project (once per report, however often the event is
/// delivered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportVerified {
    /// 举报 (report id)
    pub report_id: Uuid,
    /// 涉及项目（举报人或核查人确定的）(the project, when known)
    pub project_id: Option<Uuid>,
    /// 乡镇（街道）(the township, when known)
    pub township_id: Option<Uuid>,
    /// 举报类别 (`MAJOR_HAZARD`, `GENERAL_HAZARD`, `VIOLATION`, `CONCEALED_ACCIDENT`)
    pub category: String,
    /// 结论 (verdict)
    pub verdict: Verdict,
    /// 核查发现 (the verifier's findings: the handlers' words, not the reporter's)
    pub findings: String,
    /// 须立案整改的隐患（有则必有项目）(hazards to open; when any, `project_id` is set)
    pub hazards: Vec<FoundHazard>,
}
event!(ReportVerified, "rewards.report_verified", v 1, "RewardReport", report_id);

/// 办理环节 — which deadline a report missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportStep {
    /// 受理 (acceptance)
    Acceptance,
    /// 核查 (verification)
    Verification,
}

/// 举报办理逾期 — a report passed a deadline without the step being done (published once per
/// report and step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportOverdue {
    /// 举报 (report id)
    pub report_id: Uuid,
    /// 逾期环节 (the step)
    pub step: ReportStep,
    /// 期限 (the deadline missed)
    pub due_at: DateTime<Utc>,
}
event!(ReportOverdue, "rewards.report_overdue", v 1, "RewardReport", report_id);

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn rewards_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let (r, p, t) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        round_trip(
            "rewards",
            TOPICS,
            ReportVerified {
                report_id: r,
                project_id: Some(p),
                township_id: Some(t),
                category: "MAJOR_HAZARD".into(),
                verdict: Verdict::PartlyTrue,
                findings: "脚手架连墙件缺失".into(),
                hazards: vec![FoundHazard {
                    category: "SCAFFOLDING".into(),
                    description: "连墙件缺失".into(),
                    location: "3号楼北侧".into(),
                }],
            },
            json!({ "reportId": r, "projectId": p, "townshipId": t, "category": "MAJOR_HAZARD",
                    "verdict": "PARTLY_TRUE", "findings": "脚手架连墙件缺失",
                    "hazards": [{ "category": "SCAFFOLDING", "description": "连墙件缺失",
                                  "location": "3号楼北侧" }] }),
        );
        let at = Utc
            .with_ymd_and_hms(2026, 12, 2, 1, 30, 0)
            .single()
            .unwrap_or_default();
        round_trip(
            "rewards",
            TOPICS,
            ReportOverdue {
                report_id: r,
                step: ReportStep::Acceptance,
                due_at: at,
            },
            json!({ "reportId": r, "step": "ACCEPTANCE", "dueAt": "2026-12-02T01:30:00Z" }),
        );
    }
}

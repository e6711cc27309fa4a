//! Events the experts module publishes. None carries an expert's contact.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// What other modules call one finding of an expert visit when they act on it (the
/// `origin_type` of `inspections.hazards_opened`, the GraphQL type of its global ID).
pub const FINDING_TYPE: &str = "ExpertFinding";

/// Every topic the experts module publishes.
pub const TOPICS: &[&str] = &[VisitFinding::TOPIC];

/// 专家服务发现的隐患 — an expert visit (“进企业、到项目、查隐患、促整改”) recorded a finding on a
/// project: inspections opens one hazard for it (once per finding, however often the event is
/// delivered) and answers with `inspections.hazards_opened` (origin type [`FINDING_TYPE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitFinding {
    /// 发现 (finding id)
    pub finding_id: Uuid,
    /// 服务 (visit id)
    pub visit_id: Uuid,
    /// 项目 (project id)
    pub project_id: Uuid,
    /// 一般隐患类别 (one of [`crate::inspections::GENERAL_HAZARD_CATEGORIES`])
    pub category: String,
    /// 隐患描述 (description, the expert's words)
    pub description: String,
    /// 部位 (where on the site)
    pub location: String,
}
event!(VisitFinding, "experts.visit_finding", v 1, "ExpertFinding", finding_id);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn experts_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let (f, v, p) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        round_trip(
            "experts",
            TOPICS,
            VisitFinding {
                finding_id: f,
                visit_id: v,
                project_id: p,
                category: "FOUNDATION_PIT".into(),
                description: "基坑北侧临边防护缺失".into(),
                location: "基坑北侧".into(),
            },
            json!({ "findingId": f, "visitId": v, "projectId": p, "category": "FOUNDATION_PIT",
                    "description": "基坑北侧临边防护缺失", "location": "基坑北侧" }),
        );
    }
}

//! Events the registry publishes: projects and enterprises registered, changed, archived.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the registry publishes.
pub const TOPICS: &[&str] = &[
    ProjectCreated::TOPIC,
    ProjectUpdated::TOPIC,
    ProjectArchived::TOPIC,
    EnterpriseCreated::TOPIC,
    EnterpriseUpdated::TOPIC,
    EnterpriseArchived::TOPIC,
];

/// 项目状态 — a project's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProjectStatus {
    /// 未开工 (planned)
    Planned,
    /// 在建 (under construction)
    Active,
    /// 停工 (suspended)
    Suspended,
    /// 竣工 (completed)
    Completed,
}

/// 登记项目 — a project was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectCreated {
    /// 项目 (project id)
    pub project_id: Uuid,
    /// 项目状态 (status)
    pub status: ProjectStatus,
    /// 所在乡镇（街道）(township or street)
    pub township_id: Uuid,
}
event!(ProjectCreated, "registry.project_created", v 1, "Project", project_id);

/// 修改项目 — a project's details, participants or key persons changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectUpdated {
    /// 项目 (project id)
    pub project_id: Uuid,
    /// 修改后的项目状态 (status after the change)
    pub status: ProjectStatus,
    /// 修改后的所在乡镇（街道）(township after the change)
    pub township_id: Uuid,
    /// 修改后的版本号 (record version after the change)
    pub version: i32,
}
event!(ProjectUpdated, "registry.project_updated", v 1, "Project", project_id);

/// 归档项目 — a project was archived (published once, when it is actually archived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectArchived {
    /// 项目 (project id)
    pub project_id: Uuid,
}
event!(ProjectArchived, "registry.project_archived", v 1, "Project", project_id);

/// 登记企业 — an enterprise was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseCreated {
    /// 企业 (enterprise id)
    pub enterprise_id: Uuid,
    /// 统一社会信用代码 (unified social credit code, normalised)
    pub uscc: String,
}
event!(EnterpriseCreated, "registry.enterprise_created", v 1, "Enterprise", enterprise_id);

/// 修改企业信息 — an enterprise's details changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseUpdated {
    /// 企业 (enterprise id)
    pub enterprise_id: Uuid,
    /// 修改后的版本号 (record version after the change)
    pub version: i32,
}
event!(EnterpriseUpdated, "registry.enterprise_updated", v 1, "Enterprise", enterprise_id);

/// 归档企业 — an enterprise was archived (published once, when it is actually archived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseArchived {
    /// 企业 (enterprise id)
    pub enterprise_id: Uuid,
}
event!(EnterpriseArchived, "registry.enterprise_archived", v 1, "Enterprise", enterprise_id);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn registry_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let p = Uuid::from_u128(1);
        let t = Uuid::from_u128(2);
        let e = Uuid::from_u128(3);
        round_trip(
            "registry",
            TOPICS,
            ProjectCreated {
                project_id: p,
                status: ProjectStatus::Planned,
                township_id: t,
            },
            json!({ "projectId": p, "status": "PLANNED", "townshipId": t }),
        );
        round_trip(
            "registry",
            TOPICS,
            ProjectUpdated {
                project_id: p,
                status: ProjectStatus::Active,
                township_id: t,
                version: 2,
            },
            json!({ "projectId": p, "status": "ACTIVE", "townshipId": t, "version": 2 }),
        );
        round_trip(
            "registry",
            TOPICS,
            ProjectArchived { project_id: p },
            json!({ "projectId": p }),
        );
        round_trip(
            "registry",
            TOPICS,
            EnterpriseCreated {
                enterprise_id: e,
                uscc: "91500000MA5U000000".into(),
            },
            json!({ "enterpriseId": e, "uscc": "91500000MA5U000000" }),
        );
        round_trip(
            "registry",
            TOPICS,
            EnterpriseUpdated {
                enterprise_id: e,
                version: 3,
            },
            json!({ "enterpriseId": e, "version": 3 }),
        );
        let archived = EnterpriseArchived { enterprise_id: e };
        assert_eq!(
            (archived.aggregate_type(), archived.aggregate_id()),
            ("Enterprise", e)
        );
        round_trip("registry", TOPICS, archived, json!({ "enterpriseId": e }));
    }

    #[test]
    fn project_status_uses_the_schema_names() {
        for (s, name) in [
            (ProjectStatus::Planned, "PLANNED"),
            (ProjectStatus::Active, "ACTIVE"),
            (ProjectStatus::Suspended, "SUSPENDED"),
            (ProjectStatus::Completed, "COMPLETED"),
        ] {
            assert_eq!(serde_json::to_value(s).ok(), Some(json!(name)));
        }
    }
}

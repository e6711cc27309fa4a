//! Events the inspections module publishes: hazards through their rectification, inspections
//! recorded, enforcement actions issued, double-random draws committed and published.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the inspections module publishes.
pub const TOPICS: &[&str] = &[
    HazardReported::TOPIC,
    HazardAssigned::TOPIC,
    RectificationStarted::TOPIC,
    RectificationSubmitted::TOPIC,
    RectificationRejected::TOPIC,
    HazardClosed::TOPIC,
    HazardOverdue::TOPIC,
    HazardVoided::TOPIC,
    HazardReclassified::TOPIC,
    InspectionRecorded::TOPIC,
    CovertInspectionPublished::TOPIC,
    EnforcementIssued::TOPIC,
    DrawCommitted::TOPIC,
    DrawPublished::TOPIC,
    DrawResultsPublished::TOPIC,
    HazardsOpened::TOPIC,
];

/// 一般隐患类别代码 — the codes of the ten inspection items of JGJ 59-2011 表A (§4.0.2), which a
/// general hazard is classified by. Other modules that ask inspections to open hazards (a
/// verified public report, an expert's finding) name one of these; inspections checks that its
/// own classification table has exactly these codes.
pub const GENERAL_HAZARD_CATEGORIES: [&str; 10] = [
    "SAFETY_MANAGEMENT",
    "CIVILIZED_CONSTRUCTION",
    "SCAFFOLDING",
    "FOUNDATION_PIT",
    "FORMWORK_SUPPORT",
    "WORK_AT_HEIGHT",
    "TEMPORARY_ELECTRICITY",
    "HOISTS",
    "CRANES_AND_LIFTING",
    "CONSTRUCTION_MACHINERY",
];

/// 隐患等级 — hazard level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HazardLevel {
    /// 一般事故隐患 (general)
    General,
    /// 重大事故隐患 (major)
    Major,
}

/// 隐患状态 — where a hazard stands in its rectification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HazardStatus {
    /// 已上报 (reported)
    Reported,
    /// 已交办 (assigned)
    Assigned,
    /// 整改中 (rectifying)
    Rectifying,
    /// 待复查 (submitted for verification)
    Submitted,
    /// 已销号 (closed)
    Closed,
    /// 已作废 (voided)
    Voided,
}

/// 检查类型 — kind of inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InspectionKind {
    /// 安全员日检 (safety manager's daily check)
    SafetyManagerDaily,
    /// 项目负责人周检 (project leader's weekly check)
    ProjectLeaderWeekly,
    /// 企业月检 (enterprise's monthly check)
    EnterpriseMonthly,
    /// 领导带队督查 (supervision led by a leader)
    LeadershipSupervision,
    /// 科室督查 (department supervision)
    DepartmentSupervision,
    /// 双随机抽查 (double-random check)
    DoubleRandom,
    /// 暗查暗访 (covert check)
    Covert,
    /// 专家检查 (expert check)
    Expert,
    /// 重点时段检查 (key-period check)
    KeyPeriod,
}

/// 执法措施类型 — kind of enforcement action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EnforcementKind {
    /// 约谈 (warning interview)
    WarningInterview,
    /// 通报 (circular)
    Circular,
    /// 曝光 (public exposure)
    PublicExposure,
    /// 诚信扣分 (credit deduction)
    CreditDeduction,
    /// 停工 (stop-work order)
    StopWorkOrder,
    /// 复工 (resume-work order)
    ResumeWorkOrder,
    /// 罚款 (penalty)
    Penalty,
}

/// 上报隐患 — a hazard was reported (alone, or found by an inspection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HazardReported {
    /// 隐患 (hazard id)
    pub hazard_id: Uuid,
    /// 所在项目 (project id)
    pub project_id: Uuid,
    /// 隐患等级 (level)
    pub level: HazardLevel,
    /// 隐患类别代码（重大事故隐患判定标准的类别）(category code of the criteria)
    pub category: String,
}
event!(HazardReported, "inspections.hazard_reported", v 1, "Hazard", hazard_id);

/// What every step of the rectification workflow tells: which hazard, and its status before and
/// after. Each step's event is made from it (`HazardAssigned::from(t)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HazardTransition {
    /// 隐患 (hazard id)
    pub hazard_id: Uuid,
    /// 所在项目 (project id)
    pub project_id: Uuid,
    /// 隐患等级 (level)
    pub level: HazardLevel,
    /// 原状态 (status before the step)
    pub from: HazardStatus,
    /// 新状态 (status after the step)
    pub to: HazardStatus,
}

/// Declares the event of one step of the rectification workflow (the fields of
/// [`HazardTransition`]).
macro_rules! transition {
    ($(#[$doc:meta])* $name:ident, $topic:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// 隐患 (hazard id)
            pub hazard_id: Uuid,
            /// 所在项目 (project id)
            pub project_id: Uuid,
            /// 隐患等级 (level)
            pub level: HazardLevel,
            /// 原状态 (status before the step)
            pub from: HazardStatus,
            /// 新状态 (status after the step)
            pub to: HazardStatus,
        }
        event!($name, $topic, v 1, "Hazard", hazard_id);

        impl From<HazardTransition> for $name {
            fn from(t: HazardTransition) -> Self {
                let HazardTransition { hazard_id, project_id, level, from, to } = t;
                Self { hazard_id, project_id, level, from, to }
            }
        }
    };
}

transition!(
    /// 交办隐患 — a hazard was assigned to a responsible enterprise with a deadline.
    HazardAssigned,
    "inspections.hazard_assigned"
);
transition!(
    /// 开始整改 — the responsible enterprise started rectifying.
    RectificationStarted,
    "inspections.rectification_started"
);
transition!(
    /// 提交整改 — the rectification was submitted for verification.
    RectificationSubmitted,
    "inspections.rectification_submitted"
);
transition!(
    /// 退回整改 — verification failed; the hazard is back to rectifying.
    RectificationRejected,
    "inspections.rectification_rejected"
);
transition!(
    /// 复查销号 — the rectification was verified and the hazard closed.
    HazardClosed,
    "inspections.hazard_closed"
);

/// 整改逾期 — a hazard's deadline passed while it was still open (published once per hazard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HazardOverdue {
    /// 隐患 (hazard id)
    pub hazard_id: Uuid,
    /// 所在项目 (project id)
    pub project_id: Uuid,
    /// 隐患等级 (level)
    pub level: HazardLevel,
    /// 整改期限 (the deadline that passed)
    pub deadline_at: DateTime<Utc>,
}
event!(HazardOverdue, "inspections.hazard_overdue", v 1, "Hazard", hazard_id);

/// 作废隐患 — the commission voided a hazard (reported in error, a duplicate…), with its reason;
/// it is no longer to be rectified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HazardVoided {
    /// 隐患 (hazard id)
    pub hazard_id: Uuid,
    /// 所在项目 (project id)
    pub project_id: Uuid,
    /// 隐患等级 (level)
    pub level: HazardLevel,
    /// 作废前的状态 (status before it was voided)
    pub from: HazardStatus,
    /// 作废理由 (reason)
    pub reason: String,
}
event!(HazardVoided, "inspections.hazard_voided", v 1, "Hazard", hazard_id);

/// 调整隐患等级 — a commission inspector reclassified a hazard (general ↔ major), with its reason;
/// its status is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HazardReclassified {
    /// 隐患 (hazard id)
    pub hazard_id: Uuid,
    /// 所在项目 (project id)
    pub project_id: Uuid,
    /// 原等级 (level before)
    pub from_level: HazardLevel,
    /// 新等级 (level after)
    pub to_level: HazardLevel,
    /// 当前状态 (status, unchanged)
    pub status: HazardStatus,
    /// 调整理由 (reason)
    pub reason: String,
}
event!(HazardReclassified, "inspections.hazard_reclassified", v 1, "Hazard", hazard_id);

/// 记录检查 — an inspection of any kind was recorded (self-checks count for obligations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectionRecorded {
    /// 检查 (inspection id)
    pub inspection_id: Uuid,
    /// 所在项目 (project id)
    pub project_id: Uuid,
    /// 检查类型 (kind)
    pub kind: InspectionKind,
    /// 检查时间 (when it took place)
    pub inspected_at: DateTime<Utc>,
    /// 记录人账号 (account that recorded it; none for a system import)
    pub recorded_by: Option<Uuid>,
}
event!(InspectionRecorded, "inspections.inspection_recorded", v 1, "Inspection", inspection_id);

/// 公开暗访 — a covert inspection was made visible to the inspected enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CovertInspectionPublished {
    /// 检查 (inspection id)
    pub inspection_id: Uuid,
    /// 所在项目 (project id)
    pub project_id: Uuid,
}
event!(
    CovertInspectionPublished,
    "inspections.covert_inspection_published",
    v 1,
    "Inspection",
    inspection_id
);

/// 下达执法措施 — an enforcement action was issued. Written for its first consumer, credit
/// management: who is targeted (enterprise and/or person), how many points are deducted, on what
/// legal basis, which kind of action, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnforcementIssued {
    /// 执法措施 (action id)
    pub action_id: Uuid,
    /// 措施类型 (kind of action)
    pub kind: EnforcementKind,
    /// 法律依据（条款原文或文号）(legal basis)
    pub legal_basis: String,
    /// 事实与处理说明 (facts and decision)
    pub description: String,
    /// 对象企业 (target enterprise id; none when only a person is targeted)
    pub enterprise_id: Option<Uuid>,
    /// 对象企业统一社会信用代码 (target enterprise's unified social credit code)
    pub enterprise_uscc: Option<String>,
    /// 对象企业名称 (target enterprise's name at the time of the action)
    pub enterprise_name: Option<String>,
    /// 对象个人（姓名、岗位，按下达时填写）(target person, name and post as entered)
    pub person: Option<String>,
    /// 扣分分值（仅诚信扣分）(points deducted; only for CREDIT_DEDUCTION)
    pub points: Option<u32>,
    /// 罚款金额（分）(penalty in fen; only for PENALTY)
    pub penalty_fen: Option<u64>,
    /// 所涉项目 (project concerned)
    pub project_id: Option<Uuid>,
    /// 项目所在乡镇（街道）(township of the project concerned)
    pub township_id: Option<Uuid>,
    /// 关联隐患 (linked hazards)
    pub hazard_ids: Vec<Uuid>,
    /// 关联检查 (linked inspections)
    pub inspection_ids: Vec<Uuid>,
    /// 下达时间 (when the action was issued)
    pub occurred_at: DateTime<Utc>,
}
event!(EnforcementIssued, "inspections.enforcement_issued", v 1, "EnforcementAction", action_id);

/// 已据他模块记录立隐患 — inspections opened hazards because another module asked it to (a
/// verified public report, …): which record asked, and the hazards opened for it, once per
/// record. Carries nothing about a reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HazardsOpened {
    /// 来源记录类型 (the GraphQL type of the record that asked, e.g. `RewardReport`)
    pub origin_type: String,
    /// 来源记录 (its id)
    pub origin_id: Uuid,
    /// 所在项目 (the project the hazards are on)
    pub project_id: Uuid,
    /// 所立隐患 (the hazards opened, in the order they were asked for)
    pub hazard_ids: Vec<Uuid>,
}
event!(HazardsOpened, "inspections.hazards_opened", v 1, "Project", project_id);

/// 双随机抽查承诺 — a draw fixed its pools, date and parameters and committed to them and to a
/// secret seed. Version 2: the commitment covers the input too (version 1 was the seed's
/// SHA-256 alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DrawCommitted {
    /// 抽查 (draw id)
    pub draw_id: Uuid,
    /// 承诺：SHA-256(种子 ‖ SHA-256(规范化输入)) 的十六进制 (the commitment over the seed and the
    /// canonical input's SHA-256, hex)
    pub commitment: String,
    /// 抽查协议版本，如 jianan-draw-v2 (the draw protocol the commitment follows)
    pub protocol: String,
}
event!(DrawCommitted, "inspections.draw_committed", v 2, "RandomDraw", draw_id);

/// 双随机抽查公开 — a draw's seed, input and result were published, with its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DrawPublished {
    /// 抽查 (draw id)
    pub draw_id: Uuid,
    /// 随机种子（十六进制）(the revealed seed, hex)
    pub seed: String,
    /// 规范化输入的 SHA-256 (SHA-256 of the canonical draw input, hex)
    pub input_hash: String,
    /// 完成检查的期限 (deadline for the drawn inspections)
    pub deadline_at: DateTime<Utc>,
}
event!(DrawPublished, "inspections.draw_published", v 1, "RandomDraw", draw_id);

/// 双随机抽查结果公示 — a draw's results (who checked each drawn project, and the outcome) were
/// published (一公开).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DrawResultsPublished {
    /// 抽查 (draw id)
    pub draw_id: Uuid,
    /// 公示时间 (when published)
    pub published_at: DateTime<Utc>,
    /// 已实施的抽查任务数 (assignments carried out)
    pub carried_out: u32,
    /// 未按期实施的抽查任务数 (assignments not carried out by their deadline)
    pub not_carried_out: u32,
    /// 是否超过公示期限（抽取后20个工作日）(published after the results deadline)
    pub late: bool,
}
event!(DrawResultsPublished, "inspections.draw_results_published", v 1, "RandomDraw", draw_id);

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 1, 30, 0)
            .single()
            .unwrap_or_default()
    }
    const AT: &str = "2026-12-02T01:30:00Z";

    #[test]
    fn hazard_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let (h, p) = (Uuid::from_u128(1), Uuid::from_u128(2));
        round_trip(
            "inspections",
            TOPICS,
            HazardReported {
                hazard_id: h,
                project_id: p,
                level: HazardLevel::Major,
                category: "SCAFFOLDING".into(),
            },
            json!({ "hazardId": h, "projectId": p, "level": "MAJOR", "category": "SCAFFOLDING" }),
        );
        let transition = |from: &str, to: &str| json!({ "hazardId": h, "projectId": p, "level": "GENERAL", "from": from, "to": to });
        use HazardLevel::General;
        use HazardStatus::*;
        round_trip(
            "inspections",
            TOPICS,
            HazardAssigned::from(HazardTransition {
                hazard_id: h,
                project_id: p,
                level: General,
                from: Reported,
                to: Assigned,
            }),
            transition("REPORTED", "ASSIGNED"),
        );
        round_trip(
            "inspections",
            TOPICS,
            RectificationStarted {
                hazard_id: h,
                project_id: p,
                level: General,
                from: Assigned,
                to: Rectifying,
            },
            transition("ASSIGNED", "RECTIFYING"),
        );
        round_trip(
            "inspections",
            TOPICS,
            RectificationSubmitted {
                hazard_id: h,
                project_id: p,
                level: General,
                from: Rectifying,
                to: Submitted,
            },
            transition("RECTIFYING", "SUBMITTED"),
        );
        round_trip(
            "inspections",
            TOPICS,
            RectificationRejected {
                hazard_id: h,
                project_id: p,
                level: General,
                from: Submitted,
                to: Rectifying,
            },
            transition("SUBMITTED", "RECTIFYING"),
        );
        let closed = HazardClosed {
            hazard_id: h,
            project_id: p,
            level: General,
            from: Submitted,
            to: Closed,
        };
        assert_eq!(
            (closed.aggregate_type(), closed.aggregate_id()),
            ("Hazard", h)
        );
        round_trip(
            "inspections",
            TOPICS,
            closed,
            transition("SUBMITTED", "CLOSED"),
        );
        round_trip(
            "inspections",
            TOPICS,
            HazardOverdue {
                hazard_id: h,
                project_id: p,
                level: General,
                deadline_at: at(),
            },
            json!({ "hazardId": h, "projectId": p, "level": "GENERAL", "deadlineAt": AT }),
        );
    }

    #[test]
    fn inspection_events_round_trip_with_their_documented_names() {
        let (i, p, a) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        round_trip(
            "inspections",
            TOPICS,
            InspectionRecorded {
                inspection_id: i,
                project_id: p,
                kind: InspectionKind::SafetyManagerDaily,
                inspected_at: at(),
                recorded_by: Some(a),
            },
            json!({
                "inspectionId": i, "projectId": p, "kind": "SAFETY_MANAGER_DAILY",
                "inspectedAt": AT, "recordedBy": a,
            }),
        );
        round_trip(
            "inspections",
            TOPICS,
            CovertInspectionPublished {
                inspection_id: i,
                project_id: p,
            },
            json!({ "inspectionId": i, "projectId": p }),
        );
    }

    #[test]
    fn enforcement_issued_carries_what_credit_needs() {
        let (a, e, p, t, h) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
            Uuid::from_u128(5),
        );
        let issued = EnforcementIssued {
            action_id: a,
            kind: EnforcementKind::CreditDeduction,
            legal_basis: "《重庆市建筑施工企业诚信综合评价暂行办法》（渝府发〔2012〕65号）".into(),
            description: "隐患整改逾期未完成".into(),
            enterprise_id: Some(e),
            enterprise_uscc: Some("91500000MA5U000000".into()),
            enterprise_name: Some("重庆某建设有限公司".into()),
            person: Some("张三（项目负责人）".into()),
            points: Some(3),
            penalty_fen: None,
            project_id: Some(p),
            township_id: Some(t),
            hazard_ids: vec![h],
            inspection_ids: Vec::new(),
            occurred_at: at(),
        };
        assert_eq!(
            (issued.aggregate_type(), issued.aggregate_id()),
            ("EnforcementAction", a)
        );
        round_trip(
            "inspections",
            TOPICS,
            issued,
            json!({
                "actionId": a, "kind": "CREDIT_DEDUCTION",
                "legalBasis": "《重庆市建筑施工企业诚信综合评价暂行办法》（渝府发〔2012〕65号）",
                "description": "隐患整改逾期未完成",
                "enterpriseId": e, "enterpriseUscc": "91500000MA5U000000",
                "enterpriseName": "重庆某建设有限公司", "person": "张三（项目负责人）",
                "points": 3, "penaltyFen": null, "projectId": p, "townshipId": t,
                "hazardIds": [h], "inspectionIds": [], "occurredAt": AT,
            }),
        );
        assert_eq!(EnforcementIssued::VERSION, 1);
    }

    #[test]
    fn draw_events_round_trip_with_their_documented_names() {
        let d = Uuid::from_u128(1);
        round_trip(
            "inspections",
            TOPICS,
            DrawCommitted {
                draw_id: d,
                commitment: "ab".repeat(32),
                protocol: "jianan-draw-v2".into(),
            },
            json!({ "drawId": d, "commitment": "ab".repeat(32), "protocol": "jianan-draw-v2" }),
        );
        assert_eq!(DrawCommitted::VERSION, 2);
        round_trip(
            "inspections",
            TOPICS,
            DrawResultsPublished {
                draw_id: d,
                published_at: at(),
                carried_out: 2,
                not_carried_out: 1,
                late: false,
            },
            json!({
                "drawId": d, "publishedAt": AT, "carriedOut": 2, "notCarriedOut": 1, "late": false,
            }),
        );
        round_trip(
            "inspections",
            TOPICS,
            DrawPublished {
                draw_id: d,
                seed: "cd".repeat(32),
                input_hash: "ef".repeat(32),
                deadline_at: at(),
            },
            json!({
                "drawId": d, "seed": "cd".repeat(32), "inputHash": "ef".repeat(32),
                "deadlineAt": AT,
            }),
        );
    }

    #[test]
    fn hazard_voided_carries_its_reason() {
        let (h, p) = (Uuid::from_u128(1), Uuid::from_u128(2));
        round_trip(
            "inspections",
            TOPICS,
            HazardVoided {
                hazard_id: h,
                project_id: p,
                level: HazardLevel::General,
                from: HazardStatus::Assigned,
                reason: "重复上报".into(),
            },
            json!({ "hazardId": h, "projectId": p, "level": "GENERAL", "from": "ASSIGNED", "reason": "重复上报" }),
        );
    }

    #[test]
    fn hazard_reclassified_carries_both_levels() {
        let (h, p) = (Uuid::from_u128(1), Uuid::from_u128(2));
        round_trip(
            "inspections",
            TOPICS,
            HazardReclassified {
                hazard_id: h,
                project_id: p,
                from_level: HazardLevel::General,
                to_level: HazardLevel::Major,
                status: HazardStatus::Assigned,
                reason: "符合判定标准".into(),
            },
            json!({ "hazardId": h, "projectId": p, "fromLevel": "GENERAL", "toLevel": "MAJOR",
                "status": "ASSIGNED", "reason": "符合判定标准" }),
        );
    }

    #[test]
    fn hazards_opened_names_the_record_that_asked() {
        let (o, p, h) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        round_trip(
            "inspections",
            TOPICS,
            HazardsOpened {
                origin_type: "RewardReport".into(),
                origin_id: o,
                project_id: p,
                hazard_ids: vec![h],
            },
            json!({ "originType": "RewardReport", "originId": o, "projectId": p, "hazardIds": [h] }),
        );
    }

    #[test]
    fn enums_use_the_schema_names() {
        let names = |v: serde_json::Value| v.as_str().map(str::to_owned);
        assert_eq!(
            names(json!(EnforcementKind::StopWorkOrder)),
            Some("STOP_WORK_ORDER".into())
        );
        assert_eq!(
            names(json!(InspectionKind::LeadershipSupervision)),
            Some("LEADERSHIP_SUPERVISION".into())
        );
        assert_eq!(
            names(json!(HazardStatus::Submitted)),
            Some("SUBMITTED".into())
        );
    }
}

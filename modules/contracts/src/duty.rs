//! Events the duty module publishes.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the duty module publishes.
pub const TOPICS: &[&str] = &[
    KeyPeriodDeclared::TOPIC,
    WarningIssued::TOPIC,
    WarningEscalated::TOPIC,
    IncidentReported::TOPIC,
    IncidentReportOverdue::TOPIC,
    RosterChanged::TOPIC,
];

/// 重点时段类别 — kind of key period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyPeriodKind {
    /// 重大节假日 (major holiday)
    MajorHoliday,
    /// 极端天气 (extreme weather)
    ExtremeWeather,
    /// 敏感时期 (sensitive period)
    SensitivePeriod,
}

/// 重点时段 — a key period was declared, or its dates or level changed (consumers keep the
/// latest by `key_period_id`; `cancelled` ends it without it having happened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPeriodDeclared {
    /// 重点时段 (key period id)
    pub key_period_id: Uuid,
    /// 名称，如“2027年春节” (name)
    pub name: String,
    /// 类别 (kind)
    pub kind: KeyPeriodKind,
    /// 等级 1–4（1 最高）(level, 1 the highest)
    pub level: i32,
    /// 起始日（含）(first day, inclusive)
    pub starts_on: NaiveDate,
    /// 结束日（含）(last day, inclusive)
    pub ends_on: NaiveDate,
    /// 已撤销 (cancelled)
    pub cancelled: bool,
}
event!(KeyPeriodDeclared, "duty.key_period_declared", v 1, "KeyPeriod", key_period_id);

/// 预警等级 — level of an early warning (蓝 < 黄 < 橙 < 红).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WarningLevel {
    /// 蓝色预警 (blue)
    Blue,
    /// 黄色预警 (yellow)
    Yellow,
    /// 橙色预警 (orange)
    Orange,
    /// 红色预警 (red)
    Red,
}

/// 预警对象类别 — what a warning targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WarningTargetKind {
    /// 乡镇（街道）(a township or street)
    Township,
    /// 在建项目 (a project)
    Project,
    /// 委内科室 (a department of the commission)
    Department,
}

/// One target of a warning, as consumers need it to route it (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarningTargetRef {
    /// 预警对象记录 (target record id)
    pub target_id: Uuid,
    /// 类别 (kind)
    pub kind: WarningTargetKind,
    /// 乡镇、项目或科室 (the township, project or department id)
    pub unit_id: Uuid,
    /// 所在乡镇（乡镇本身，或项目所在乡镇；科室为空）(township it lies in)
    pub township_id: Option<Uuid>,
}

/// 预警发布 — an early warning was issued to its targets, who must acknowledge it by `ackDueAt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarningIssued {
    /// 预警 (warning id)
    pub warning_id: Uuid,
    /// 等级 (level)
    pub level: WarningLevel,
    /// 标题 (title)
    pub title: String,
    /// 签收期限 (acknowledge by)
    pub ack_due_at: DateTime<Utc>,
    /// 预警对象 (targets)
    pub targets: Vec<WarningTargetRef>,
}
event!(WarningIssued, "duty.warning_issued", v 1, "DutyWarning", warning_id);

/// 预警未签收升级 — a target did not acknowledge a warning by its deadline (published once per
/// target).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarningEscalated {
    /// 预警 (warning id)
    pub warning_id: Uuid,
    /// 未签收的对象 (the target that did not acknowledge)
    pub target: WarningTargetRef,
    /// 等级 (level)
    pub level: WarningLevel,
    /// 签收期限 (the deadline missed)
    pub ack_due_at: DateTime<Utc>,
}
event!(WarningEscalated, "duty.warning_escalated", v 1, "DutyWarning", warning_id);

/// 信息报告类别 — kind of information report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IncidentKind {
    /// 事故 (accident)
    Accident,
    /// 险情 (dangerous situation)
    Danger,
    /// 灾情 (disaster)
    Disaster,
}

/// 信息首报 — a first report of an accident, danger or disaster was filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentReported {
    /// 信息报告 (report id)
    pub report_id: Uuid,
    /// 类别 (kind)
    pub kind: IncidentKind,
    /// 所在乡镇 (township)
    pub township_id: Uuid,
    /// 项目（如有）(project, if any)
    pub project_id: Option<Uuid>,
    /// 发生时间 (occurred at)
    pub occurred_at: DateTime<Utc>,
    /// 死亡人数 (deaths)
    pub deaths: i32,
}
event!(IncidentReported, "duty.incident_reported", v 1, "DutyIncidentReport", report_id);

/// 信息报告逾期 — a report's next step (a follow-up) was not made by its deadline (published
/// once per deadline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentReportOverdue {
    /// 信息报告 (report id)
    pub report_id: Uuid,
    /// 所在乡镇 (township)
    pub township_id: Uuid,
    /// 逾期的期限 (the deadline missed)
    pub due_at: DateTime<Utc>,
}
event!(IncidentReportOverdue, "duty.incident_report_overdue", v 1, "DutyIncidentReport", report_id);

/// 值班表变更 — a shift was assigned or given to another person (subscribers recompute the
/// day's gaps; no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterChanged {
    /// 班次 (shift id)
    pub shift_id: Uuid,
    /// 开始 (starts at)
    pub starts_at: DateTime<Utc>,
    /// 结束 (ends at)
    pub ends_at: DateTime<Utc>,
}
event!(RosterChanged, "duty.roster_changed", v 1, "DutyShift", shift_id);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn duty_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let k = Uuid::from_u128(1);
        round_trip(
            "duty",
            TOPICS,
            KeyPeriodDeclared {
                key_period_id: k,
                name: "2027年春节".into(),
                kind: KeyPeriodKind::MajorHoliday,
                level: 2,
                starts_on: NaiveDate::from_ymd_opt(2027, 2, 5).unwrap(),
                ends_on: NaiveDate::from_ymd_opt(2027, 2, 13).unwrap(),
                cancelled: false,
            },
            json!({ "keyPeriodId": k, "name": "2027年春节", "kind": "MAJOR_HOLIDAY", "level": 2,
                    "startsOn": "2027-02-05", "endsOn": "2027-02-13", "cancelled": false }),
        );
    }

    #[test]
    fn warning_and_report_events_round_trip() {
        let w = Uuid::from_u128(2);
        let t = Uuid::from_u128(3);
        let u = Uuid::from_u128(4);
        let at: DateTime<Utc> = "2026-12-03T10:00:00Z".parse().unwrap();
        let target = WarningTargetRef {
            target_id: t,
            kind: WarningTargetKind::Township,
            unit_id: u,
            township_id: Some(u),
        };
        let target_json =
            json!({ "targetId": t, "kind": "TOWNSHIP", "unitId": u, "townshipId": u });
        round_trip(
            "duty",
            TOPICS,
            WarningIssued {
                warning_id: w,
                level: WarningLevel::Orange,
                title: "寒潮橙色预警".into(),
                ack_due_at: at,
                targets: vec![target.clone()],
            },
            json!({ "warningId": w, "level": "ORANGE", "title": "寒潮橙色预警",
                    "ackDueAt": "2026-12-03T10:00:00Z", "targets": [target_json.clone()] }),
        );
        round_trip(
            "duty",
            TOPICS,
            WarningEscalated {
                warning_id: w,
                target,
                level: WarningLevel::Red,
                ack_due_at: at,
            },
            json!({ "warningId": w, "target": target_json, "level": "RED",
                    "ackDueAt": "2026-12-03T10:00:00Z" }),
        );
        round_trip(
            "duty",
            TOPICS,
            IncidentReported {
                report_id: w,
                kind: IncidentKind::Accident,
                township_id: u,
                project_id: None,
                occurred_at: at,
                deaths: 1,
            },
            json!({ "reportId": w, "kind": "ACCIDENT", "townshipId": u, "projectId": null,
                    "occurredAt": "2026-12-03T10:00:00Z", "deaths": 1 }),
        );
        round_trip(
            "duty",
            TOPICS,
            IncidentReportOverdue {
                report_id: w,
                township_id: u,
                due_at: at,
            },
            json!({ "reportId": w, "townshipId": u, "dueAt": "2026-12-03T10:00:00Z" }),
        );
        round_trip(
            "duty",
            TOPICS,
            RosterChanged {
                shift_id: w,
                starts_at: at,
                ends_at: at,
            },
            json!({ "shiftId": w, "startsAt": "2026-12-03T10:00:00Z",
                    "endsAt": "2026-12-03T10:00:00Z" }),
        );
    }
}

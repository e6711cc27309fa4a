//! Events the duty module publishes.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the duty module publishes.
pub const TOPICS: &[&str] = &[KeyPeriodDeclared::TOPIC];

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
}

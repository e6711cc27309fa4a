//! Events the credit module publishes: one per entry of its change feed (`creditChanges`), so
//! webhooks to the Market Supervision Bureau can be driven from the outbox.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the credit module publishes.
pub const TOPICS: &[&str] = &[CreditChanged::TOPIC];

/// 信用变更类型 — what changed in an enterprise's (or key person's) credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CreditChangeKind {
    /// 信用分变动 (a score changed: a deduction or an addition was applied)
    ScoreChanged,
    /// 新增信用记录 (a good or bad record was published)
    RecordPublished,
    /// 信用记录提前结束公开 (a record's publication was ended early by a repair decision)
    RecordEnded,
    /// 列入黑名单 (the enterprise was put on the blacklist)
    Blacklisted,
    /// 移出黑名单 (the enterprise was taken off the blacklist)
    BlacklistRemoved,
}

/// 信用变更 — one entry of the credit change feed, in commit order (`seq` has no gaps and no
/// reordering: it is assigned under a lock inside the writing transaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditChanged {
    /// 变更编号（顺序号，提交顺序）(the feed sequence number, in commit order)
    pub seq: i64,
    /// 变更 (change id)
    pub change_id: Uuid,
    /// 变更类型 (kind)
    pub kind: CreditChangeKind,
    /// 企业 (enterprise id, if the subject has one)
    pub enterprise_id: Option<Uuid>,
    /// 统一社会信用代码 (unified social credit code of the enterprise)
    pub uscc: Option<String>,
    /// 个人（关键岗位人员，按执法文书填写）(key person, when the subject is a person)
    pub person: Option<String>,
    /// 涉及的记录类型（CreditScore、CreditRecord）(GraphQL type of the record concerned)
    pub record_type: String,
    /// 涉及的记录 (id of the record concerned)
    pub record_id: Uuid,
    /// 摘要 (summary, in Chinese)
    pub summary: String,
    /// 变更时间 (when the change was committed)
    pub occurred_at: DateTime<Utc>,
}
event!(CreditChanged, "credit.changed", v 1, "CreditChange", change_id);

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn credit_changed_round_trips_with_its_documented_names() {
        unique(TOPICS);
        let (c, e, r) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let at = Utc
            .with_ymd_and_hms(2026, 12, 3, 1, 0, 0)
            .single()
            .unwrap_or_default();
        round_trip(
            "credit",
            TOPICS,
            CreditChanged {
                seq: 7,
                change_id: c,
                kind: CreditChangeKind::ScoreChanged,
                enterprise_id: Some(e),
                uscc: Some("91500156MA5U000000".into()),
                person: None,
                record_type: "CreditScore".into(),
                record_id: r,
                summary: "扣3分".into(),
                occurred_at: at,
            },
            json!({
                "seq": 7, "changeId": c, "kind": "SCORE_CHANGED", "enterpriseId": e,
                "uscc": "91500156MA5U000000", "person": null, "recordType": "CreditScore",
                "recordId": r, "summary": "扣3分", "occurredAt": "2026-12-03T01:00:00Z",
            }),
        );
    }
}

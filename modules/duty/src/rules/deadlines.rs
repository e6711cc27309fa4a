//! Deadlines of the duty module, as data.
//!
//! **Acknowledging a warning (预警签收).** The plan (武隆建发〔2021〕69号, measure 九 三、“强化应急
//! 响应”) asks for 精准预警、及时响应 but gives no time limit for a target to acknowledge a warning.
//! The hours below are this platform's proposal, graded by level so that a red warning is
//! acknowledged fastest — **待核实** with the commission's duty office (应急值守制度); no legal
//! source is cited for them.
use chrono::{DateTime, TimeDelta, Utc};

use crate::entity::enums::WarningLevel;

/// Hours a target has to acknowledge a warning of `level` (待核实, see the module comment).
pub const fn ack_hours(level: WarningLevel) -> i64 {
    match level {
        WarningLevel::Red => 1,
        WarningLevel::Orange => 2,
        WarningLevel::Yellow => 6,
        WarningLevel::Blue => 12,
    }
}

/// The instant by which a warning of `level` issued at `issued_at` must be acknowledged.
pub fn ack_due_at(level: WarningLevel, issued_at: DateTime<Utc>) -> DateTime<Utc> {
    issued_at + TimeDelta::hours(ack_hours(level))
}

/// Whether a target acknowledged on time: before or at its deadline, and never escalated (a
/// target escalates only when still silent at its deadline, so an escalated one was late
/// whatever its acknowledgement says).
pub fn on_time(
    acknowledged_at: Option<DateTime<Utc>>,
    escalated_at: Option<DateTime<Utc>>,
    due_at: DateTime<Utc>,
) -> bool {
    escalated_at.is_none() && acknowledged_at.is_some_and(|a| a <= due_at)
}

/// Whether a target is due for escalation at `now`: not acknowledged, not escalated, and its
/// deadline reached (the deadline instant itself counts as reached).
pub fn escalation_due(
    acknowledged_at: Option<DateTime<Utc>>,
    escalated_at: Option<DateTime<Utc>>,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    acknowledged_at.is_none() && escalated_at.is_none() && now >= due_at
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn higher_levels_are_acknowledged_sooner() {
        let levels = [
            WarningLevel::Blue,
            WarningLevel::Yellow,
            WarningLevel::Orange,
            WarningLevel::Red,
        ];
        for pair in levels.windows(2) {
            if let [lower, higher] = pair {
                assert!(ack_hours(*higher) < ack_hours(*lower), "{higher:?}");
            }
        }
        // A red warning issued at 10:00Z is due at 11:00Z; a blue one at 22:00Z.
        let issued = at("2026-12-03T10:00:00Z");
        assert_eq!(
            ack_due_at(WarningLevel::Red, issued),
            at("2026-12-03T11:00:00Z")
        );
        assert_eq!(
            ack_due_at(WarningLevel::Blue, issued),
            at("2026-12-03T22:00:00Z")
        );
    }

    #[test]
    fn escalation_is_due_from_the_deadline_and_only_once() {
        let due = at("2026-12-03T11:00:00Z");
        let before = at("2026-12-03T10:59:59Z");
        assert!(!escalation_due(None, None, due, before));
        assert!(escalation_due(None, None, due, due));
        // Acknowledged (even late) or already escalated: never again.
        assert!(!escalation_due(Some(before), None, due, due));
        assert!(!escalation_due(
            None,
            Some(due),
            due,
            at("2026-12-04T00:00:00Z")
        ));
        // On time means at or before the deadline.
        assert!(on_time(Some(due), None, due));
        assert!(!on_time(Some(at("2026-12-03T11:00:01Z")), None, due));
        assert!(!on_time(None, None, due));
        assert!(!on_time(Some(before), Some(due), due), "escalated: late");
    }
}

/// 信息报告时限 (deadlines of information reports).
pub mod reports {
    use chrono::TimeDelta;

    /// Hours from the accident to the first report: 《生产安全事故报告和调查处理条例》（国务院令
    /// 第493号）第九条 — 单位负责人接到报告后，应当于1小时内向事故发生地县级以上人民政府安全生产监督
    /// 管理部门和负有安全生产监督管理职责的有关部门报告 (wording 待核实 against a published copy; not
    /// yet listed in docs/legal-sources.md). Applied to dangers and disasters alike (the plan's 信息
    /// 报告制度, measure 九: 及时报告 — no separate figure given).
    pub const FIRST_REPORT_HOURS: i64 = 1;

    /// Hours between follow-ups while a report is open. 条例第十三条 asks for a follow-up (补报)
    /// whenever the situation changes, without a fixed interval; 24 hours is this platform's
    /// proposal — **待核实** with the commission's duty office.
    pub const FOLLOW_UP_HOURS: i64 = 24;

    /// The first report's deadline.
    pub fn first_due(occurred_at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        occurred_at + TimeDelta::hours(FIRST_REPORT_HOURS)
    }

    /// The next follow-up's deadline after a step at `at`.
    pub fn next_due(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        at + TimeDelta::hours(FOLLOW_UP_HOURS)
    }

    #[cfg(test)]
    mod tests {
        #![allow(clippy::unwrap_used)]
        use super::*;

        #[test]
        fn an_accident_at_ten_is_reported_by_eleven_and_followed_up_daily() {
            let at: chrono::DateTime<chrono::Utc> = "2026-12-03T02:00:00Z".parse().unwrap();
            assert_eq!(first_due(at).to_rfc3339(), "2026-12-03T03:00:00+00:00");
            assert_eq!(next_due(at).to_rfc3339(), "2026-12-04T02:00:00+00:00");
        }
    }
}

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

//! Publication periods of credit records.
//!
//! 《建筑市场信用管理暂行办法》（建市〔2017〕241号）第十条: 优良信用信息公开期限一般为3年；不良信用
//! 信息公开期限一般为6个月至3年，并不得低于相关行政处罚期限 — good information is public for 3 years;
//! bad information from 6 months to 3 years, never shorter than the penalty. 第十三条: 不得使用超过
//! 公开期限的不良信用信息对建筑市场各方主体进行失信惩戒 — an expired bad record may not be used for
//! sanctions. 《建筑市场诚信行为信息管理办法》（建市〔2007〕9号）: a shortened publication (after
//! effective rectification, on application) may not be shorter than 3 months.
use chrono::{DateTime, Months, Utc};

use crate::entity::enums::RecordKind;

/// Good records: 36 months.
pub const GOOD_MONTHS: u32 = 36;
/// Bad records: at least 6 months…
pub const BAD_MIN_MONTHS: u32 = 6;
/// …and at most 36 (unless the penalty lasts longer).
pub const BAD_MAX_MONTHS: u32 = 36;
/// A repair decision may not end a publication before 3 months have passed.
pub const REPAIR_MIN_MONTHS: u32 = 3;

/// End of a record's publication: good records 3 years from the decision; bad ones the rule's
/// months clamped to 6–36, and never before the penalty ends.
pub fn publication_until(
    kind: RecordKind,
    decided_at: DateTime<Utc>,
    rule_months: i32,
    penalty_until: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let months = match kind {
        RecordKind::Good => GOOD_MONTHS,
        RecordKind::Bad => u32::try_from(rule_months)
            .unwrap_or(BAD_MIN_MONTHS)
            .clamp(BAD_MIN_MONTHS, BAD_MAX_MONTHS),
    };
    let end = add_months(decided_at, months);
    match (kind, penalty_until) {
        (RecordKind::Bad, Some(p)) if p > end => p,
        _ => end,
    }
}

/// Whether a record may be used for sanctions (restrictions, blacklist) at `now`: still within its
/// publication period and not ended early (第十三条).
pub fn in_force(
    public_until: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    ended_at.is_none() && now < public_until
}

/// `at` plus `months` calendar months (the day clamped to the month's end).
pub fn add_months(at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    at.checked_add_months(Months::new(months)).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 2, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn good_records_are_public_for_three_years() {
        assert_eq!(
            publication_until(RecordKind::Good, at(2026, 3, 1), 6, None),
            at(2029, 3, 1)
        );
    }

    #[test]
    fn bad_records_last_six_months_to_three_years() {
        let d = at(2026, 12, 3);
        assert_eq!(
            publication_until(RecordKind::Bad, d, 6, None),
            at(2027, 6, 3)
        );
        // Shorter than the minimum: 6 months.
        assert_eq!(
            publication_until(RecordKind::Bad, d, 1, None),
            at(2027, 6, 3)
        );
        // Longer than the maximum: 3 years.
        assert_eq!(
            publication_until(RecordKind::Bad, d, 60, None),
            at(2029, 12, 3)
        );
        assert_eq!(
            publication_until(RecordKind::Bad, d, 12, None),
            at(2027, 12, 3)
        );
    }

    #[test]
    fn a_bad_record_is_never_shorter_than_the_penalty() {
        let d = at(2026, 12, 3);
        // A one-year qualification suspension outlasts a 6-month publication.
        assert_eq!(
            publication_until(RecordKind::Bad, d, 6, Some(at(2027, 12, 3))),
            at(2027, 12, 3)
        );
        // A penalty ending earlier changes nothing.
        assert_eq!(
            publication_until(RecordKind::Bad, d, 6, Some(at(2027, 1, 3))),
            at(2027, 6, 3)
        );
    }

    #[test]
    fn month_ends_are_clamped() {
        // 31 August + 6 months = 28 February (2027 is not a leap year).
        assert_eq!(add_months(at(2026, 8, 31), 6), at(2027, 2, 28));
    }

    #[test]
    fn an_expired_or_ended_record_is_not_in_force() {
        let until = at(2027, 6, 3);
        assert!(in_force(until, None, at(2027, 6, 2)));
        assert!(!in_force(until, None, at(2027, 6, 3)));
        assert!(!in_force(until, Some(at(2027, 1, 1)), at(2027, 2, 1)));
    }
}

//! Blacklist entry and exit.
//!
//! Entry: 《建筑市场信用管理暂行办法》（建市〔2017〕241号）第十四条 lists the grounds
//! ([`crate::entity::enums::BlacklistGround`]), "谁处罚、谁列入" — here every listing must cite a
//! bad record of the enterprise that is in force (an expired record may not be used for
//! sanctions, 第十三条). Exit: the management period is one year from the listing (建市〔2017〕
//! 241号 — article number and wording to verify; Anhui's implementing rules, checked through a
//! news report, remove an enterprise that commits no new listing ground within the period);
//! removal is a decision of the commission, possible once the period is over, or earlier when the
//! cited record no longer stands (ended by a decision).
use chrono::{DateTime, Utc};

use crate::rules::publication::add_months;

/// Management period of a listing, in months (to verify; see the module doc).
pub const MANAGEMENT_MONTHS: u32 = 12;

/// End of the management period of a listing made at `listed_at`.
pub fn listing_until(listed_at: DateTime<Utc>) -> DateTime<Utc> {
    add_months(listed_at, MANAGEMENT_MONTHS)
}

/// Whether a listing may be removed at `now`: after its period, or when its record was ended.
pub fn may_remove(until: DateTime<Utc>, record_ended: bool, now: DateTime<Utc>) -> bool {
    record_ended || now >= until
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_listing_lasts_a_year_unless_its_record_was_ended() {
        let listed = at(2026, 12, 3);
        assert_eq!(listing_until(listed), at(2027, 12, 3));
        assert!(!may_remove(listing_until(listed), false, at(2027, 12, 2)));
        assert!(may_remove(listing_until(listed), false, at(2027, 12, 3)));
        assert!(may_remove(listing_until(listed), true, at(2027, 1, 1)));
    }
}

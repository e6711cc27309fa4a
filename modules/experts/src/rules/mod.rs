//! The module's rules as pure functions and data, each citing its source.
pub mod avoidance;
pub mod dangerous_works;
pub mod draw;

/// 证书即将到期的提醒期（天）— a certificate expiring within this many days is flagged. A local
/// working choice (待核实: no rule fixes the period), long enough to renew a certificate.
pub const CERTIFICATE_WARNING_DAYS: i64 = 90;

/// Whether a certificate expiring on `expires_on` is flagged on `today`: expired, or expiring
/// within [`CERTIFICATE_WARNING_DAYS`].
pub fn certificate_expiring(expires_on: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    (expires_on - today).num_days() <= CERTIFICATE_WARNING_DAYS
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn certificates_are_flagged_ninety_days_ahead_and_after_expiry() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        // 2027-03-03 is 90 days after 2026-12-03.
        assert!(certificate_expiring(
            NaiveDate::from_ymd_opt(2027, 3, 3).unwrap(),
            today
        ));
        assert!(!certificate_expiring(
            NaiveDate::from_ymd_opt(2027, 3, 4).unwrap(),
            today
        ));
        assert!(certificate_expiring(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            today
        ));
    }
}

//! The oversight module's rules, as pure functions.
//!
//! Sources: the district plan (`ten-measures`, measures 1 and 2: meetings, supervision and
//! circulars; risk assessments “必须组织开展风险研判，细化管控措施，落实责任人员”), and
//! GB/T 9704-2012《党政机关公文格式》7.2.4 for the document number of a circular.
use chrono::NaiveDate;

/// 发文机关代字 of the commission's safety circulars. 待核实: the commission's own code is not
/// in the plan; the commission's office replaces it (a one-line change, numbers already issued
/// keep theirs).
pub const CIRCULAR_CODE: &str = "区住建安通";

/// The document number of the `seq`-th circular of `year`: GB/T 9704-2012 7.2.4 — 发文机关代字、
/// 年份、发文顺序号；年份标全称，用六角括号“〔〕”括入；顺序号不加“第”字，不编虚位，后加“号”.
/// So the 3rd of 2026 is `区住建安通〔2026〕3号`, never `〔2026〕第03号`.
pub fn circular_number(year: i32, seq: i32) -> String {
    format!("{CIRCULAR_CODE}〔{year}〕{seq}号")
}

/// How a tracked task stands against its due date on `today` (dates in Beijing time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum Timeliness {
    /// 未到期 (open, due date not passed)
    Pending,
    /// 已逾期 (open, past its due date)
    Overdue,
    /// 按期办结 (done on or before its due date)
    OnTime,
    /// 逾期办结 (done after its due date)
    Late,
}

/// A task due on `due_on` and done on `done_on` (if done) stands, on `today`, as: done on or
/// before the due day → on time; done after → late; open and `today` after the due day →
/// overdue (the due day itself is still in time); otherwise pending.
pub fn timeliness(due_on: NaiveDate, done_on: Option<NaiveDate>, today: NaiveDate) -> Timeliness {
    match done_on {
        Some(d) if d <= due_on => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if today > due_on => Timeliness::Overdue,
        None => Timeliness::Pending,
    }
}

/// Longest span one risk assessment may cover (a key period is days or weeks; a year is the
/// outside bound of a “重要时段”).
pub const MAX_ASSESSMENT_DAYS: i64 = 366;

/// Checks the span an assessment covers: `ends_on` not before `starts_on`, at most
/// [`MAX_ASSESSMENT_DAYS`] days inclusive. Returns the field in error and the message.
pub fn check_span(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), (&'static str, String)> {
    if ends_on < starts_on {
        return Err(("endsOn", "结束日期不能早于开始日期".into()));
    }
    if (ends_on - starts_on).num_days() + 1 > MAX_ASSESSMENT_DAYS {
        return Err(("endsOn", format!("一次研判最多覆盖{MAX_ASSESSMENT_DAYS}天")));
    }
    Ok(())
}

/// The record types a circular may name: the problems found (plan, measure 1 “及时通报存在的问题”;
/// measure 4 通报 as an enforcement step) are inspections, hazards and enforcement actions.
pub const CIRCULAR_LINK_TYPES: [&str; 3] = ["Inspection", "Hazard", "EnforcementAction"];

/// Most records one circular names, and most recipients it has.
pub const MAX_CIRCULAR_LINKS: usize = 100;
pub const MAX_CIRCULAR_RECIPIENTS: usize = 200;

/// Most decisions one meeting records, and most risks one assessment lists.
pub const MAX_TASKS: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn numbers_follow_gb_t_9704() {
        assert_eq!(circular_number(2026, 3), "区住建安通〔2026〕3号");
        assert_eq!(circular_number(2027, 12), "区住建安通〔2027〕12号");
    }

    #[test]
    fn the_due_day_itself_is_in_time() {
        let due = d("2026-12-10");
        assert_eq!(timeliness(due, None, d("2026-12-10")), Timeliness::Pending);
        assert_eq!(timeliness(due, None, d("2026-12-11")), Timeliness::Overdue);
        assert_eq!(
            timeliness(due, Some(d("2026-12-10")), d("2026-12-30")),
            Timeliness::OnTime
        );
        assert_eq!(
            timeliness(due, Some(d("2026-12-11")), d("2026-12-11")),
            Timeliness::Late
        );
    }

    #[test]
    fn spans_are_ordered_and_at_most_a_year() {
        assert!(check_span(d("2027-02-05"), d("2027-02-13")).is_ok());
        assert!(check_span(d("2027-02-05"), d("2027-02-05")).is_ok());
        assert_eq!(
            check_span(d("2027-02-05"), d("2027-02-04")).map_err(|e| e.0),
            Err("endsOn")
        );
        // 2028 is a leap year: 2028-01-01..=2028-12-31 is 366 days, one more day is too many.
        assert!(check_span(d("2028-01-01"), d("2028-12-31")).is_ok());
        assert!(check_span(d("2028-01-01"), d("2029-01-01")).is_err());
    }
}

//! 一公开 — who carries out a double-random draw's assignments, and when its results go public.
//!
//! Sources:
//! * 《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）: inspectors are
//!   dispatched at random from the pool of enforcement officers (二（二）), and "抽查情况及查处结果
//!   要及时公布，接受社会监督" (二（四）加强抽查结果运用): the results are made public promptly. The
//!   notice sets no number of days.
//! * 20 working days: 《企业信息公示暂行条例》（国务院令第654号，2024年修订）第六条第二款 requires
//!   the information that market-supervision departments produce in their duties (including
//!   administrative penalties) to be published "自产生之日起20个工作日内"; its 第十条 sets the same
//!   20 working days for an *enterprise's* own information, so it is not the source. Applying the
//!   20 working days to this commission's double-random results follows 第六条 by analogy and the
//!   plan's wording (to verify against the commission's plan; 第七条, which covers other
//!   departments, was not checked for a time limit).
//! * At least two enforcement officers: 《中华人民共和国行政处罚法》（2021年修订）第四十二条
//!   "执法人员不得少于两人".
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use jianan_kernel::calendar::WorkCalendar;
use uuid::Uuid;

/// A draw's results are public within this many working days after the draw was run.
pub const RESULTS_WORKING_DAYS: u32 = 20;

/// The instant a draw run at `drawn_at` must have its results public by: 24:00 Beijing time on
/// the 20th working day after the draw's day (the day itself not counted; holidays and make-up
/// working days from `calendar`, see `WorkCalendar::deadline_instant`).
pub fn results_deadline(calendar: &WorkCalendar, drawn_at: DateTime<Utc>) -> DateTime<Utc> {
    calendar.deadline_instant(drawn_at, RESULTS_WORKING_DAYS)
}

/// Whether the results are late: published after the deadline, or still unpublished at `now`
/// with the deadline passed. A draw not yet run (no deadline) is never late.
pub fn is_late(
    deadline: Option<DateTime<Utc>>,
    published_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    deadline.is_some_and(|d| published_at.unwrap_or(now) > d)
}

/// Why results may not be published yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishRefusal {
    /// Some assignments have no inspection recorded and their completion deadline has not
    /// passed (or the draw has none).
    Unrecorded { missing: usize },
}

impl PublishRefusal {
    /// Message for Chinese-language users.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Unrecorded { missing } => {
                format!("还有{missing}项抽查任务未记录检查结果，须全部记录或完成期限届满后才能公示")
            }
        }
    }
}

/// Whether a draw's results may be published at `now`: when every assignment has its inspection
/// recorded, or once the completion deadline (`deadlineAt`, set when the draw was published) has
/// passed. In the second case each assignment still without an inspection is published as not
/// carried out (未按期实施): the public sees the gap, and it can no longer be recorded.
pub fn check_publishable(
    assignments: usize,
    recorded: usize,
    completion_deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), PublishRefusal> {
    let missing = assignments.saturating_sub(recorded);
    if missing == 0 || completion_deadline.is_some_and(|d| now > d) {
        Ok(())
    } else {
        Err(PublishRefusal::Unrecorded { missing })
    }
}

/// Why an inspection may not carry out an assignment as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingRefusal {
    /// The recorder was not drawn for this assignment.
    NotOnTeam,
    /// A listed inspector was not drawn for this assignment.
    NotDrawn(Uuid),
    /// Fewer than two drawn members took part (recorder and listed inspectors together).
    TooFew { have: usize },
}

impl RecordingRefusal {
    /// Message for Chinese-language users.
    pub fn message_zh(&self) -> String {
        match self {
            Self::NotOnTeam => "只有抽中该项目的检查组成员可以记录这项双随机检查".to_owned(),
            Self::NotDrawn(id) => format!("检查人员 {id} 不是该项目抽中的检查组成员"),
            Self::TooFew { have } => format!(
                "执法人员不得少于两人：本次检查只有{have}名抽中的检查组成员（记录人和列明的检查人员）"
            ),
        }
    }
}

/// Who may record the inspection that carries out an assignment drawn to `team`: the recorder
/// must be one of the team; every listed inspector must be one of the team too (the team was
/// drawn at random, nobody else stands in); and together they are at least two distinct
/// members (执法人员不得少于两人).
pub fn check_recording(
    team: &[Uuid],
    recorder: Uuid,
    listed: &[Uuid],
) -> Result<(), RecordingRefusal> {
    if !team.contains(&recorder) {
        return Err(RecordingRefusal::NotOnTeam);
    }
    if let Some(outsider) = listed.iter().find(|i| !team.contains(i)) {
        return Err(RecordingRefusal::NotDrawn(*outsider));
    }
    let present: BTreeSet<Uuid> = listed.iter().copied().chain([recorder]).collect();
    if present.len() < 2 {
        return Err(RecordingRefusal::TooFew {
            have: present.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().unwrap()
    }

    /// Worked by hand on the built-in 2026 calendar (Mid-Autumn Sep 25–27 and National Day
    /// Oct 1–7 off, Sat Oct 10 a make-up working day). A draw run Wednesday 2026-09-23 10:00
    /// Beijing time (02:00Z); its day is not counted. Working days: Sep 24 (1), Sep 28, 29, 30
    /// (4), Oct 8, 9, 10 (7), Oct 12–16 (12), Oct 19–23 (17), Oct 26, 27, 28 (20). Due
    /// 2026-10-28 24:00 +08:00 = 2026-10-28T16:00Z.
    #[test]
    fn results_are_due_twenty_working_days_after_the_draw() {
        let cal = WorkCalendar::china_official();
        // The hand count above relies on these calendar facts.
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert!(!cal.is_working_day(d(9, 25)) && !cal.is_working_day(d(10, 7)));
        assert!(cal.is_working_day(d(10, 10)) && !cal.is_working_day(d(10, 11)));
        assert_eq!(
            results_deadline(&cal, at(2026, 9, 23, 2)),
            at(2026, 10, 28, 16)
        );
        // An ordinary stretch: run Monday 2026-11-02 → four whole weeks → Monday 2026-11-30
        // 24:00 Beijing time.
        assert_eq!(
            results_deadline(&cal, at(2026, 11, 2, 2)),
            at(2026, 11, 30, 16)
        );
    }

    #[test]
    fn late_means_published_after_the_deadline_or_still_unpublished_past_it() {
        let due = at(2026, 11, 30, 16);
        assert!(!is_late(
            Some(due),
            Some(at(2026, 11, 30, 15)),
            at(2027, 1, 1, 0)
        ));
        assert!(is_late(
            Some(due),
            Some(at(2026, 11, 30, 17)),
            at(2026, 12, 1, 0)
        ));
        assert!(!is_late(Some(due), None, at(2026, 11, 30, 16)));
        assert!(is_late(Some(due), None, at(2026, 11, 30, 17)));
        assert!(!is_late(None, None, at(2027, 1, 1, 0)));
    }

    #[test]
    fn results_wait_for_every_assignment_until_the_completion_deadline_passes() {
        let deadline = at(2026, 11, 20, 16);
        let before = at(2026, 11, 20, 15);
        let after = at(2026, 11, 20, 17);
        assert_eq!(check_publishable(3, 3, Some(deadline), before), Ok(()));
        let refused = check_publishable(3, 1, Some(deadline), before).unwrap_err();
        assert_eq!(refused, PublishRefusal::Unrecorded { missing: 2 });
        assert!(refused.message_zh().contains("还有2项"));
        // Past the completion deadline the two missing ones are published as not carried out.
        assert_eq!(check_publishable(3, 1, Some(deadline), after), Ok(()));
        // A draw without a completion deadline waits for every record.
        assert!(check_publishable(3, 2, None, after).is_err());
    }

    #[test]
    fn two_drawn_members_record_an_assignment_and_nobody_else_stands_in() {
        let (a, b, c, x) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(9),
        );
        let team = [a, b, c];
        assert_eq!(check_recording(&team, a, &[b]), Ok(()));
        assert_eq!(check_recording(&team, a, &[a, c]), Ok(()));
        assert_eq!(
            check_recording(&team, x, &[a, b]),
            Err(RecordingRefusal::NotOnTeam)
        );
        assert_eq!(
            check_recording(&team, a, &[b, x]),
            Err(RecordingRefusal::NotDrawn(x))
        );
        // Alone, or listing only oneself: one officer.
        assert_eq!(
            check_recording(&team, a, &[]),
            Err(RecordingRefusal::TooFew { have: 1 })
        );
        assert_eq!(
            check_recording(&team, a, &[a]),
            Err(RecordingRefusal::TooFew { have: 1 })
        );
        assert!(
            RecordingRefusal::TooFew { have: 1 }
                .message_zh()
                .contains("不得少于两人")
        );
    }
}

//! Clock helpers, Asia/Shanghai reporting periods and the working-day calendar.
//!
//! Everything in Jian'an that talks about "a day", "this week", "this month" or
//! "within N working days" means the civil calendar of the district, i.e.
//! Beijing time (UTC+08:00). Instants are stored as `DateTime<Utc>`; this module
//! is the one place that turns them into Shanghai calendar dates and back.
//!
//! * [`shanghai`], [`local_date`], [`local_midnight_utc`], [`end_of_local_day_utc`]
//!   and the [`Clock`] trait are the clock helpers.
//! * [`Period`] / [`PeriodKind`] are day, ISO-week and calendar-month periods
//!   used by statistics, reports and rate limits.
//! * [`WorkCalendar`] knows which dates are working days, including the public
//!   holidays and make-up working days (调休上班) that the State Council General
//!   Office publishes every year. The calendar is data ([`CalendarEntry`]), so
//!   the commission can load next year's notice as JSON without a release.
//!
//! Sources:
//! * IANA time zone database, file `asia`, zone `Asia/Shanghai` (last DST rule
//!   of the PRC ended in September 1991).
//! * ISO 8601 week dates (weeks start on Monday; week 1 contains the first
//!   Thursday of the year).
//! * 《中华人民共和国民法典》第二百零一条、第二百零三条 (how periods are counted).
//! * 《中华人民共和国行政许可法》第八十二条 (periods counted in working days
//!   exclude statutory holidays).
//! * 《全国年节及纪念日放假办法》(2024年11月修订，自2025年1月1日起施行).
//! * 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）.
//! * 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社发布全文）.
//!
//! Each was checked against a published copy; what was checked, and what is
//! still to verify (the 2026 notice's document number), is listed in
//! `docs/legal-sources.md`.

use std::collections::BTreeSet;
use std::fmt;
use std::iter::FusedIterator;
use std::ops::Bound::{Excluded, Included};
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Clock helpers
// ---------------------------------------------------------------------------

/// Offset of Beijing time (Asia/Shanghai) from UTC, in seconds: +08:00.
///
/// Source: IANA time zone database, file `asia`, zone `Asia/Shanghai`.
pub const SHANGHAI_UTC_OFFSET_SECS: i32 = 8 * 3600;

/// The +08:00 offset, built at compile time.
///
/// `FixedOffset::east_opt` is a `const fn`, so the `None` arm below is
/// evaluated by the compiler: if the constant were ever out of range the crate
/// would fail to build. It can never panic at run time.
const SHANGHAI_OFFSET: FixedOffset = match FixedOffset::east_opt(SHANGHAI_UTC_OFFSET_SECS) {
    Some(offset) => offset,
    None => panic!("UTC+08:00 is within chrono's ±24 h FixedOffset range"),
};

/// The Asia/Shanghai (Beijing time) offset, UTC+08:00.
///
/// Asia/Shanghai has observed no daylight-saving time since the PRC's last DST
/// period ended in September 1991 (IANA tz database, file `asia`, rule `PRC`
/// 1986–1991), so a fixed +08:00 offset is exact for every date the platform
/// handles and we do not need `chrono-tz`.
pub fn shanghai() -> FixedOffset {
    SHANGHAI_OFFSET
}

/// The current instant, from the system clock.
///
/// Prefer taking a [`Clock`] where code needs to be testable.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Today's date in Shanghai, from the system clock.
pub fn today() -> NaiveDate {
    local_date(now())
}

/// An instant shown in Beijing time (+08:00), e.g. for display or documents.
pub fn to_shanghai(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&SHANGHAI_OFFSET)
}

/// The Shanghai calendar date of an instant.
///
/// `2026-03-01T17:30:00Z` is `2026-03-02 01:30 +08:00`, so its local date is
/// 2026-03-02.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    to_shanghai(at).date_naive()
}

/// The instant of local midnight (00:00 +08:00) at the start of `date`.
///
/// `2026-03-02` starts at `2026-03-01T16:00:00Z`. Saturates to
/// [`DateTime::<Utc>::MIN_UTC`] for dates at the very beginning of chrono's
/// range (year −262 143), which the platform never handles.
pub fn local_midnight_utc(date: NaiveDate) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::MIN);
    match local.checked_sub_signed(TimeDelta::seconds(i64::from(SHANGHAI_UTC_OFFSET_SECS))) {
        Some(utc) => utc.and_utc(),
        None => DateTime::<Utc>::MIN_UTC,
    }
}

/// The end of `date` in Shanghai, "24:00" local time, as an instant: the local
/// midnight that starts the following day.
///
/// 《民法典》第二百零三条第二款: the last day of a period ends at 24:00
/// (期间的最后一日的截止时间为二十四时). `2025-10-11` ends at
/// `2025-10-11T16:00:00Z`. Saturates at the end of chrono's date range.
pub fn end_of_local_day_utc(date: NaiveDate) -> DateTime<Utc> {
    local_midnight_utc(next_day(date))
}

/// A source of the current time, so deadlines and periods can be tested with a
/// fixed clock.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Shanghai according to this clock.
    fn today(&self) -> NaiveDate {
        local_date(self.now())
    }
}

/// The real system clock ([`Utc::now`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock frozen at one instant, for tests and for replaying past events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The following date, saturating at the end of chrono's range.
fn next_day(date: NaiveDate) -> NaiveDate {
    date.succ_opt().unwrap_or(NaiveDate::MAX)
}

/// Monday to Friday.
fn is_weekday(weekday: Weekday) -> bool {
    !matches!(weekday, Weekday::Sat | Weekday::Sun)
}

// ---------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------

/// Errors from parsing periods and loading calendars.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// The same date is listed both as a holiday and as a make-up working day.
    #[error("{date} is listed both as a holiday and as a make-up working day")]
    Conflict {
        /// The date listed twice.
        date: NaiveDate,
    },
    /// A make-up working day (调休上班) on Monday–Friday: it would change
    /// nothing, so the data is almost certainly mistyped.
    #[error("{date} is a {weekday}; a make-up working day (调休上班) must be a Saturday or Sunday")]
    MakeupOnWeekday {
        /// The date given.
        date: NaiveDate,
        /// Its day of the week.
        weekday: Weekday,
    },
    /// The calendar JSON could not be parsed.
    #[error("invalid calendar JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A period label that is not `YYYY-MM-DD`, `YYYY-Www` or `YYYY-MM` in
    /// canonical form.
    #[error("invalid period label {0:?}: expected YYYY-MM-DD, YYYY-Www or YYYY-MM")]
    InvalidLabel(String),
}

/// The length of a reporting [`Period`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PeriodKind {
    /// One Shanghai calendar day.
    Day,
    /// One ISO 8601 week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeriodKind::Day => "DAY",
            PeriodKind::Week => "WEEK",
            PeriodKind::Month => "MONTH",
        })
    }
}

/// A half-open range of Shanghai calendar dates `[start, end_exclusive)`: one
/// day, one ISO week (Monday start, ISO 8601) or one calendar month.
///
/// The matching instants are `[start_utc(), end_utc())`, local midnight to
/// local midnight in Beijing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// Day, week or month.
    pub kind: PeriodKind,
    /// First date in the period.
    pub start: NaiveDate,
    /// First date after the period.
    pub end_exclusive: NaiveDate,
}

impl Period {
    /// The period of `kind` that contains `date`.
    ///
    /// Weeks start on Monday (ISO 8601); months are calendar months. Dates at
    /// the very ends of chrono's range (years ±262 143) saturate.
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> Period {
        let start = match kind {
            PeriodKind::Day => date,
            PeriodKind::Week => {
                let back = u64::from(date.weekday().num_days_from_monday());
                date.checked_sub_days(Days::new(back))
                    .unwrap_or(NaiveDate::MIN)
            }
            // Day 1 exists in every month, so the fallback is never taken.
            PeriodKind::Month => date.with_day(1).unwrap_or(date),
        };
        let end_exclusive = match kind {
            PeriodKind::Day => start.succ_opt(),
            PeriodKind::Week => start.checked_add_days(Days::new(7)),
            PeriodKind::Month => start.checked_add_months(Months::new(1)),
        }
        .unwrap_or(NaiveDate::MAX);
        Period {
            kind,
            start,
            end_exclusive,
        }
    }

    /// The period of `kind` that contains the Shanghai calendar date of `at`
    /// (see [`local_date`]).
    pub fn containing_instant(kind: PeriodKind, at: DateTime<Utc>) -> Period {
        Period::containing(kind, local_date(at))
    }

    /// The instant the period starts: local midnight (+08:00) at `start`.
    ///
    /// The ISO week starting 2026-03-02 starts at `2026-03-01T16:00:00Z`.
    pub fn start_utc(&self) -> DateTime<Utc> {
        local_midnight_utc(self.start)
    }

    /// The instant just after the period: local midnight (+08:00) at
    /// `end_exclusive`.
    pub fn end_utc(&self) -> DateTime<Utc> {
        local_midnight_utc(self.end_exclusive)
    }

    /// The following period of the same kind.
    pub fn next(&self) -> Period {
        Period::containing(self.kind, self.end_exclusive)
    }

    /// The preceding period of the same kind.
    pub fn prev(&self) -> Period {
        Period::containing(self.kind, self.start.pred_opt().unwrap_or(self.start))
    }

    /// Whether `date` falls in `[start, end_exclusive)`.
    pub fn contains_date(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end_exclusive
    }

    /// Whether the instant falls in `[start_utc(), end_utc())`, i.e. whether
    /// its Shanghai date is in the period.
    pub fn contains_instant(&self, at: DateTime<Utc>) -> bool {
        self.contains_date(local_date(at))
    }

    /// Number of calendar days in the period (1, 7, or 28–31).
    pub fn days(&self) -> i64 {
        (self.end_exclusive - self.start).num_days()
    }

    /// A stable, sortable label: `2026-03-02` for a day, `2026-W10` for an ISO
    /// 8601 week (the ISO week-numbering year, which can differ from the
    /// calendar year around 1 January), `2026-03` for a month.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Day => format!(
                "{:04}-{:02}-{:02}",
                self.start.year(),
                self.start.month(),
                self.start.day()
            ),
            PeriodKind::Week => {
                let week = self.start.iso_week();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
            PeriodKind::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
        }
    }

    /// Parses a label made by [`Period::label`]; the kind follows from the
    /// shape (`YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`). Only the canonical form is
    /// accepted, so `label(from_label(s)) == s`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::InvalidLabel`] if the label is not one of those shapes,
    /// names a date or ISO week that does not exist, or is not canonical
    /// (e.g. `2026-3-2`).
    pub fn from_label(label: &str) -> Result<Period, CalendarError> {
        let invalid = || CalendarError::InvalidLabel(label.to_owned());
        let period = if let Some((year, week)) = label.split_once("-W") {
            let year: i32 = year.parse().map_err(|_| invalid())?;
            let week: u32 = week.parse().map_err(|_| invalid())?;
            let monday =
                NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(invalid)?;
            Period::containing(PeriodKind::Week, monday)
        } else {
            let parts: Vec<&str> = label.split('-').collect();
            let number = |i: usize| -> Result<u32, CalendarError> {
                parts
                    .get(i)
                    .and_then(|part| part.parse::<u32>().ok())
                    .ok_or_else(invalid)
            };
            let year = i32::try_from(number(0)?).map_err(|_| invalid())?;
            match parts.len() {
                3 => {
                    let date = NaiveDate::from_ymd_opt(year, number(1)?, number(2)?)
                        .ok_or_else(invalid)?;
                    Period::containing(PeriodKind::Day, date)
                }
                2 => {
                    let date = NaiveDate::from_ymd_opt(year, number(1)?, 1).ok_or_else(invalid)?;
                    Period::containing(PeriodKind::Month, date)
                }
                _ => return Err(invalid()),
            }
        };
        if period.label() == label {
            Ok(period)
        } else {
            Err(invalid())
        }
    }

    /// All periods of `kind` that intersect `[from, to_inclusive]`, in order.
    ///
    /// The first period may start before `from` and the last may end after
    /// `to_inclusive`. Empty if `from > to_inclusive`.
    pub fn iter_between(kind: PeriodKind, from: NaiveDate, to_inclusive: NaiveDate) -> PeriodIter {
        PeriodIter {
            next: (from <= to_inclusive).then(|| Period::containing(kind, from)),
            last: to_inclusive,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl FromStr for Period {
    type Err = CalendarError;

    /// Same as [`Period::from_label`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::from_label(s)
    }
}

/// Iterator returned by [`Period::iter_between`].
#[derive(Debug, Clone)]
pub struct PeriodIter {
    next: Option<Period>,
    last: NaiveDate,
}

impl Iterator for PeriodIter {
    type Item = Period;

    fn next(&mut self) -> Option<Period> {
        let current = self.next.take()?;
        if current.start > self.last {
            return None;
        }
        let following = current.next();
        // Guard against saturation at the end of chrono's range.
        if following.start > current.start {
            self.next = Some(following);
        }
        Some(current)
    }
}

impl FusedIterator for PeriodIter {}

// ---------------------------------------------------------------------------
// Working-day calendar
// ---------------------------------------------------------------------------

/// What a [`CalendarEntry`] says about its date.
///
/// Serialized as `"HOLIDAY"` / `"MAKEUP_WORKDAY"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DayKind {
    /// A rest day of a public holiday (放假), whether the statutory day itself
    /// or a swapped rest day (调休). Listing weekend days inside a holiday
    /// block is allowed and changes nothing.
    Holiday,
    /// A Saturday or Sunday that is a working day because of a swap (调休上班).
    MakeupWorkday,
}

/// One row of a year's holiday arrangement, as loaded from JSON:
/// `{"date": "2026-02-14", "kind": "MAKEUP_WORKDAY"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CalendarEntry {
    /// The Shanghai calendar date (`YYYY-MM-DD` in JSON).
    pub date: NaiveDate,
    /// Holiday or make-up working day.
    pub kind: DayKind,
}

/// Working days in mainland China: Monday–Friday, minus public holidays, plus
/// Saturdays/Sundays that are make-up working days (调休上班).
///
/// Holiday arrangements change every year and are published by the State
/// Council General Office each November, so they are data: build a calendar
/// with [`WorkCalendar::china_official`] (built-in 2025–2026) and layer the
/// commission's JSON on top with [`WorkCalendar::with_entries`] or load it with
/// [`WorkCalendar::from_json`]. For years with no entries the calendar falls
/// back to plain Monday–Friday; use [`WorkCalendar::covers_year`] to warn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    holidays: BTreeSet<NaiveDate>,
    makeup_workdays: BTreeSet<NaiveDate>,
}

/// Built-in holiday arrangements, one row per date: (year, month, day, kind).
///
/// 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，
/// 2024年11月12日）, the first arrangement under the 2024 revision of
/// 《全国年节及纪念日放假办法》 (13 statutory days: 春节 and 劳动节 gained one
/// day each).
///
/// 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社
/// 发布）. The dates below were checked against the text as published by
/// Xinhua; the document number (国办发明电〔2025〕7号) is to verify against
/// the published notice.
const CHINA_OFFICIAL: &[(i32, u32, u32, DayKind)] = {
    use DayKind::{Holiday as H, MakeupWorkday as W};
    &[
        // ---- 2025 (国办发明电〔2024〕12号) ----
        // 一、元旦：1月1日（周三）放假1天，不调休。
        (2025, 1, 1, H),
        // 二、春节：1月28日（除夕、周二）至2月4日（正月初七、周二）放假调休，共8天。
        //     1月26日（周日）、2月8日（周六）上班。
        (2025, 1, 26, W),
        (2025, 1, 28, H),
        (2025, 1, 29, H),
        (2025, 1, 30, H),
        (2025, 1, 31, H),
        (2025, 2, 1, H),
        (2025, 2, 2, H),
        (2025, 2, 3, H),
        (2025, 2, 4, H),
        (2025, 2, 8, W),
        // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
        (2025, 4, 4, H),
        (2025, 4, 5, H),
        (2025, 4, 6, H),
        // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
        (2025, 4, 27, W),
        (2025, 5, 1, H),
        (2025, 5, 2, H),
        (2025, 5, 3, H),
        (2025, 5, 4, H),
        (2025, 5, 5, H),
        // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
        (2025, 5, 31, H),
        (2025, 6, 1, H),
        (2025, 6, 2, H),
        // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
        //     9月28日（周日）、10月11日（周六）上班。
        (2025, 9, 28, W),
        (2025, 10, 1, H),
        (2025, 10, 2, H),
        (2025, 10, 3, H),
        (2025, 10, 4, H),
        (2025, 10, 5, H),
        (2025, 10, 6, H),
        (2025, 10, 7, H),
        (2025, 10, 8, H),
        (2025, 10, 11, W),
        // ---- 2026 (notice of 2025-11-04) ----
        // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
        (2026, 1, 1, H),
        (2026, 1, 2, H),
        (2026, 1, 3, H),
        (2026, 1, 4, W),
        // 二、春节：2月15日（腊月二十八、周日）至23日（正月初七、周一）放假调休，共9天。
        //     2月14日（周六）、2月28日（周六）上班。
        (2026, 2, 14, W),
        (2026, 2, 15, H),
        (2026, 2, 16, H),
        (2026, 2, 17, H),
        (2026, 2, 18, H),
        (2026, 2, 19, H),
        (2026, 2, 20, H),
        (2026, 2, 21, H),
        (2026, 2, 22, H),
        (2026, 2, 23, H),
        (2026, 2, 28, W),
        // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
        (2026, 4, 4, H),
        (2026, 4, 5, H),
        (2026, 4, 6, H),
        // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
        (2026, 5, 1, H),
        (2026, 5, 2, H),
        (2026, 5, 3, H),
        (2026, 5, 4, H),
        (2026, 5, 5, H),
        (2026, 5, 9, W),
        // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
        (2026, 6, 19, H),
        (2026, 6, 20, H),
        (2026, 6, 21, H),
        // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
        (2026, 9, 25, H),
        (2026, 9, 26, H),
        (2026, 9, 27, H),
        // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。
        //     9月20日（周日）、10月10日（周六）上班。
        (2026, 9, 20, W),
        (2026, 10, 1, H),
        (2026, 10, 2, H),
        (2026, 10, 3, H),
        (2026, 10, 4, H),
        (2026, 10, 5, H),
        (2026, 10, 6, H),
        (2026, 10, 7, H),
        (2026, 10, 10, W),
    ]
};

/// The built-in mainland-China calendar for 2025 and 2026; same as
/// [`WorkCalendar::china_official`].
pub fn china_official() -> WorkCalendar {
    WorkCalendar::china_official()
}

impl WorkCalendar {
    /// A calendar with no holidays: plain Monday–Friday.
    pub fn new() -> WorkCalendar {
        WorkCalendar::default()
    }

    /// The public holidays and make-up working days of 2025 and 2026 as
    /// published by the State Council General Office:
    /// 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号） and
    /// 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日; document
    /// number 国办发明电〔2025〕7号 to verify against the published notice).
    ///
    /// Other years fall back to plain Monday–Friday until their notice is
    /// loaded (see [`WorkCalendar::with_entries`]).
    pub fn china_official() -> WorkCalendar {
        WorkCalendar::from_entries(CHINA_OFFICIAL.iter().filter_map(|&(y, m, d, kind)| {
            // Every row is a valid date (checked by a unit test).
            NaiveDate::from_ymd_opt(y, m, d).map(|date| CalendarEntry { date, kind })
        }))
    }

    /// Builds a calendar from entries. When the same date appears more than
    /// once, the later entry wins, so corrections can be appended. Use
    /// [`WorkCalendar::try_from_entries`] to reject contradictory data instead.
    pub fn from_entries(entries: impl IntoIterator<Item = CalendarEntry>) -> WorkCalendar {
        WorkCalendar::new().with_entries(entries)
    }

    /// Builds a calendar from entries, rejecting a date listed both as a
    /// holiday and as a make-up working day, and a make-up working day that is
    /// not a Saturday or Sunday. Use this for data typed in by people.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Conflict`] or [`CalendarError::MakeupOnWeekday`] for
    /// the first offending entry.
    pub fn try_from_entries(
        entries: impl IntoIterator<Item = CalendarEntry>,
    ) -> Result<WorkCalendar, CalendarError> {
        let mut calendar = WorkCalendar::new();
        for entry in entries {
            let date = entry.date;
            match entry.kind {
                DayKind::Holiday => {
                    if calendar.makeup_workdays.contains(&date) {
                        return Err(CalendarError::Conflict { date });
                    }
                }
                DayKind::MakeupWorkday => {
                    if calendar.holidays.contains(&date) {
                        return Err(CalendarError::Conflict { date });
                    }
                    let weekday = date.weekday();
                    if is_weekday(weekday) {
                        return Err(CalendarError::MakeupOnWeekday { date, weekday });
                    }
                }
            }
            calendar.insert(entry);
        }
        Ok(calendar)
    }

    /// Parses a JSON array of [`CalendarEntry`], e.g.
    /// `[{"date": "2027-01-01", "kind": "HOLIDAY"}]`, with the checks of
    /// [`WorkCalendar::try_from_entries`].
    ///
    /// # Errors
    ///
    /// [`CalendarError::Json`] for malformed JSON, an unknown `kind` or an
    /// invalid date; otherwise as [`WorkCalendar::try_from_entries`].
    pub fn from_json(json: &str) -> Result<WorkCalendar, CalendarError> {
        let entries: Vec<CalendarEntry> = serde_json::from_str(json)?;
        WorkCalendar::try_from_entries(entries)
    }

    /// This calendar with more entries applied on top (later entries win),
    /// e.g. `WorkCalendar::china_official().with_entries(next_year)`.
    pub fn with_entries(
        mut self,
        entries: impl IntoIterator<Item = CalendarEntry>,
    ) -> WorkCalendar {
        for entry in entries {
            self.insert(entry);
        }
        self
    }

    /// Records one entry, replacing whatever was known about its date.
    pub fn insert(&mut self, entry: CalendarEntry) {
        match entry.kind {
            DayKind::Holiday => {
                self.makeup_workdays.remove(&entry.date);
                self.holidays.insert(entry.date);
            }
            DayKind::MakeupWorkday => {
                self.holidays.remove(&entry.date);
                self.makeup_workdays.insert(entry.date);
            }
        }
    }

    /// The holiday dates, in order.
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// The make-up working days, in order.
    pub fn makeup_workdays(&self) -> &BTreeSet<NaiveDate> {
        &self.makeup_workdays
    }

    /// All entries sorted by date, e.g. to export the calendar as JSON.
    pub fn entries(&self) -> Vec<CalendarEntry> {
        let mut entries: Vec<CalendarEntry> = self
            .holidays
            .iter()
            .map(|&date| CalendarEntry {
                date,
                kind: DayKind::Holiday,
            })
            .chain(self.makeup_workdays.iter().map(|&date| CalendarEntry {
                date,
                kind: DayKind::MakeupWorkday,
            }))
            .collect();
        entries.sort_by_key(|entry| entry.date);
        entries
    }

    /// Whether the calendar has any entry in `year`. Every year has public
    /// holidays, so `false` means that year's notice has not been loaded and
    /// working-day arithmetic there is plain Monday–Friday.
    pub fn covers_year(&self, year: i32) -> bool {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return false;
        };
        self.holidays.range(first..=last).next().is_some()
            || self.makeup_workdays.range(first..=last).next().is_some()
    }

    /// Whether `date` is a working day: Monday–Friday unless it is a holiday;
    /// Saturday/Sunday only if it is a make-up working day (调休上班).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if is_weekday(date.weekday()) {
            !self.holidays.contains(&date)
        } else {
            self.makeup_workdays.contains(&date)
        }
    }

    /// `date` itself if it is a working day, otherwise the first working day
    /// after it.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        day
    }

    /// The date `n` working days after `start`.
    ///
    /// Counting rule: the start day is not counted and counting begins on the
    /// next day — 《中华人民共和国民法典》第二百零一条第一款 (按照年、月、日
    /// 计算期间的，开始的当日不计入，自下一日开始计算; 第二款 starts periods
    /// counted in hours at the time set by law or agreed) — and only working
    /// days are counted, as for periods "以工作日计算，不含法定节假日"
    /// (《中华人民共和国行政许可法》第八十二条). The deadline is therefore the
    /// `n`-th working day after `start`: it is always itself a working day, so
    /// the holiday roll-over of 《民法典》第二百零三条第一款 never applies.
    /// `n = 0` returns `start`. Make-up working days count as working days.
    ///
    /// Example: a notice served on Tuesday 2025-09-30 with 3 working days ends
    /// on Saturday 2025-10-11 (Oct 1–8 are holidays; Oct 9, Oct 10 and the
    /// make-up Saturday Oct 11 are working days).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut remaining = n;
        while remaining > 0 {
            let Some(next) = day.succ_opt() else {
                break;
            };
            day = next;
            if self.is_working_day(day) {
                remaining -= 1;
            }
        }
        day
    }

    /// The date `n` calendar (natural) days after `start`, rolled forward to
    /// the next working day if it falls on a rest day.
    ///
    /// 《民法典》第二百零一条: the start day is not counted; 第二百零三条第一款:
    /// 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日.
    /// "法定休假日" is read here as any non-working day of this calendar
    /// (weekends and public holidays); a make-up working day counts as a
    /// working day. `n = 0` returns `start` unchanged.
    pub fn add_calendar_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return start;
        }
        match start.checked_add_days(Days::new(u64::from(n))) {
            Some(last) => self.next_working_day_on_or_after(last),
            None => NaiveDate::MAX,
        }
    }

    /// The instant a period of `n` working days that starts at `start_at`
    /// expires: 24:00 Beijing time (the next local midnight, as UTC) at the end
    /// of [`WorkCalendar::add_working_days`] applied to the Shanghai date of
    /// `start_at` (《民法典》第二百零三条第二款: 期间的最后一日的截止时间为二十四时).
    ///
    /// Served 2025-09-30 11:00 +08:00 with 3 working days → due
    /// 2025-10-11 24:00 +08:00 = `2025-10-11T16:00:00Z`.
    pub fn deadline_instant(&self, start_at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        end_of_local_day_utc(self.add_working_days(local_date(start_at), n))
    }

    /// The number of working days `d` with `from < d <= to` (0 if
    /// `to <= from`).
    ///
    /// This uses the same counting rule as [`WorkCalendar::add_working_days`]
    /// (start day excluded), so
    /// `working_days_between(s, add_working_days(s, n)) == n`, and e.g. the
    /// working days elapsed since a notice was served is
    /// `working_days_between(served, today)`. To count the working days *in*
    /// an inclusive range `[a, b]`, pass `from = a - 1 day`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        let days = (to - from).num_days();
        let mut count = days / 7 * 5;
        let mut weekday = from.weekday();
        for _ in 0..days % 7 {
            weekday = weekday.succ();
            if is_weekday(weekday) {
                count += 1;
            }
        }
        let range = (Excluded(from), Included(to));
        let holidays_off = self
            .holidays
            .range(range)
            .filter(|date| is_weekday(date.weekday()))
            .count();
        let makeups_on = self
            .makeup_workdays
            .range(range)
            .filter(|date| !is_weekday(date.weekday()))
            .count();
        let count = count - i64::try_from(holidays_off).unwrap_or(i64::MAX)
            + i64::try_from(makeups_on).unwrap_or(0);
        u32::try_from(count.max(0)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn shanghai_is_utc_plus_eight() {
        assert_eq!(shanghai().local_minus_utc(), 28_800);
        assert_eq!(
            to_shanghai(utc("2026-03-01T17:30:00Z")).to_rfc3339(),
            "2026-03-02T01:30:00+08:00"
        );
    }

    #[test]
    fn sunday_evening_utc_is_monday_in_shanghai() {
        // 2026-01-01 is a Thursday; +31 days → 2026-02-01 Sunday; +28 → 2026-03-01 Sunday.
        let at = utc("2026-03-01T17:30:00Z");
        assert_eq!(at.weekday(), Weekday::Sun);
        let local = local_date(at);
        assert_eq!(local, d(2026, 3, 2));
        assert_eq!(local.weekday(), Weekday::Mon);

        // ISO week 1 of 2026 starts Mon 2025-12-29 (it contains Thu 2026-01-01);
        // 2026-03-02 is 63 days = 9 weeks later → week 10.
        let week = Period::containing_instant(PeriodKind::Week, at);
        assert_eq!(week.label(), "2026-W10");
        assert_eq!(week.start, d(2026, 3, 2));
        assert_eq!(week.end_exclusive, d(2026, 3, 9));
        assert_eq!(week.start_utc(), utc("2026-03-01T16:00:00Z"));
        assert_eq!(week.end_utc(), utc("2026-03-08T16:00:00Z"));
        assert_eq!(week.days(), 7);

        let day = Period::containing_instant(PeriodKind::Day, at);
        assert_eq!(day.label(), "2026-03-02");
        assert_eq!(day.start_utc(), utc("2026-03-01T16:00:00Z"));
        assert_eq!(day.end_utc(), utc("2026-03-02T16:00:00Z"));

        let month = Period::containing_instant(PeriodKind::Month, at);
        assert_eq!(month.label(), "2026-03");
        assert_eq!(month.start, d(2026, 3, 1));
        assert_eq!(month.end_exclusive, d(2026, 4, 1));
        assert_eq!(month.start_utc(), utc("2026-02-28T16:00:00Z"));
    }

    #[test]
    fn new_year_eve_utc_is_next_year_in_shanghai() {
        // 2026-12-31T16:30Z = 2027-01-01 00:30 +08:00.
        let month = Period::containing_instant(PeriodKind::Month, utc("2026-12-31T16:30:00Z"));
        assert_eq!(month.label(), "2027-01");
        assert_eq!(month.start, d(2027, 1, 1));
        assert_eq!(month.end_exclusive, d(2027, 2, 1));
        assert_eq!(month.start_utc(), utc("2026-12-31T16:00:00Z"));
        assert_eq!(month.end_utc(), utc("2027-01-31T16:00:00Z"));
        // One minute earlier in Shanghai it was still December 2026.
        let dec = Period::containing_instant(PeriodKind::Month, utc("2026-12-31T15:59:00Z"));
        assert_eq!(dec.label(), "2026-12");
        assert_eq!(dec.next(), month);
        assert_eq!(month.prev(), dec);
    }

    #[test]
    fn contains_instant_is_half_open() {
        let week = Period::containing(PeriodKind::Week, d(2026, 3, 4));
        assert!(week.contains_instant(utc("2026-03-01T16:00:00Z")));
        assert!(!week.contains_instant(utc("2026-03-01T15:59:59Z")));
        assert!(week.contains_instant(utc("2026-03-08T15:59:59Z")));
        assert!(!week.contains_instant(utc("2026-03-08T16:00:00Z")));
        assert!(week.contains_date(d(2026, 3, 8)));
        assert!(!week.contains_date(d(2026, 3, 9)));
    }

    #[test]
    fn iso_week_labels_around_new_year() {
        // 2026 starts on a Thursday, so it has 53 ISO weeks: Fri 2027-01-01 is in
        // 2026-W53 (Mon 2026-12-28 .. Sun 2027-01-03).
        let w = Period::containing(PeriodKind::Week, d(2027, 1, 1));
        assert_eq!(w.start, d(2026, 12, 28));
        assert_eq!(w.label(), "2026-W53");
        assert_eq!(w.next().label(), "2027-W01");
        assert_eq!(w.next().start, d(2027, 1, 4));
        // Mon 2025-12-29 starts 2026-W01.
        assert_eq!(
            Period::containing(PeriodKind::Week, d(2025, 12, 31)).label(),
            "2026-W01"
        );
        let w10 = Period::containing(PeriodKind::Week, d(2026, 3, 2));
        assert_eq!(w10.prev().start, d(2026, 2, 23));
        assert_eq!(w10.prev().label(), "2026-W09");
    }

    #[test]
    fn month_lengths_and_neighbours() {
        let feb = Period::containing(PeriodKind::Month, d(2028, 2, 14));
        assert_eq!(feb.days(), 29); // 2028 is a leap year
        assert_eq!(feb.end_exclusive, d(2028, 3, 1));
        let jan = Period::containing(PeriodKind::Month, d(2026, 1, 31));
        assert_eq!(jan.prev().label(), "2025-12");
        assert_eq!(jan.next().label(), "2026-02");
        let day = Period::containing(PeriodKind::Day, d(2026, 2, 28));
        assert_eq!(day.next().start, d(2026, 3, 1));
    }

    #[test]
    fn labels_round_trip() {
        for label in ["2026-03-02", "2026-W10", "2026-W53", "2026-03", "2025-12"] {
            let period: Period = label.parse().unwrap();
            assert_eq!(period.label(), label);
            assert_eq!(period.to_string(), label);
        }
        assert_eq!(
            Period::from_label("2026-W10").unwrap().kind,
            PeriodKind::Week
        );
        assert_eq!(
            Period::from_label("2026-03").unwrap().kind,
            PeriodKind::Month
        );
        for bad in [
            "2026-3-2",
            "2026-W54",
            "2025-W53",
            "2026-13",
            "2026-02-30",
            "2026",
            "x-W1",
            "",
        ] {
            assert!(
                matches!(Period::from_label(bad), Err(CalendarError::InvalidLabel(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn iter_between_returns_intersecting_periods() {
        let weeks: Vec<String> =
            Period::iter_between(PeriodKind::Week, d(2026, 2, 25), d(2026, 3, 10))
                .map(|p| p.label())
                .collect();
        assert_eq!(weeks, ["2026-W09", "2026-W10", "2026-W11"]);

        let months: Vec<String> =
            Period::iter_between(PeriodKind::Month, d(2025, 11, 15), d(2026, 2, 1))
                .map(|p| p.label())
                .collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);

        let days: Vec<Period> =
            Period::iter_between(PeriodKind::Day, d(2026, 2, 27), d(2026, 3, 1)).collect();
        assert_eq!(days.len(), 3);
        assert_eq!(days[2].start, d(2026, 3, 1));

        assert_eq!(
            Period::iter_between(PeriodKind::Day, d(2026, 3, 2), d(2026, 3, 1)).count(),
            0
        );
        assert_eq!(
            Period::iter_between(PeriodKind::Month, d(2026, 3, 5), d(2026, 3, 5)).count(),
            1
        );
    }

    #[test]
    fn period_serde() {
        let week = Period::containing(PeriodKind::Week, d(2026, 3, 2));
        let json = serde_json::to_string(&week).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"WEEK","start":"2026-03-02","end_exclusive":"2026-03-09"}"#
        );
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), week);
    }

    #[test]
    fn fixed_clock() {
        let clock = FixedClock(utc("2026-03-01T17:30:00Z"));
        assert_eq!(clock.today(), d(2026, 3, 2));
        let dynamic: &dyn Clock = &SystemClock;
        assert!(dynamic.now() > utc("2025-01-01T00:00:00Z"));
    }

    #[test]
    fn official_table_is_well_formed() {
        for &(y, m, day, kind) in CHINA_OFFICIAL {
            let date = NaiveDate::from_ymd_opt(y, m, day)
                .unwrap_or_else(|| panic!("invalid date {y}-{m}-{day}"));
            if kind == DayKind::MakeupWorkday {
                assert!(!is_weekday(date.weekday()), "{date} makeup on a weekday");
            }
        }
        let cal = WorkCalendar::china_official();
        // No date lost to duplicates or conflicts, and the strict loader agrees.
        assert_eq!(cal.entries().len(), CHINA_OFFICIAL.len());
        assert_eq!(WorkCalendar::try_from_entries(cal.entries()).unwrap(), cal);
        assert_eq!(china_official(), cal);

        let in_year =
            |set: &BTreeSet<NaiveDate>, y: i32| set.iter().filter(|x| x.year() == y).count();
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 holiday days; make-up Jan 26, Feb 8, Apr 27,
        // Sep 28, Oct 11 = 5.
        assert_eq!(in_year(cal.holidays(), 2025), 28);
        assert_eq!(in_year(cal.makeup_workdays(), 2025), 5);
        // 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 holiday days; 6 make-up days.
        assert_eq!(in_year(cal.holidays(), 2026), 33);
        assert_eq!(in_year(cal.makeup_workdays(), 2026), 6);
        assert!(cal.covers_year(2025) && cal.covers_year(2026) && !cal.covers_year(2027));
    }

    #[test]
    fn official_table_matches_weekdays_in_notices() {
        // The notices state the weekday of every boundary date; check we agree.
        use Weekday::*;
        let stated = [
            (d(2025, 1, 1), Wed),
            (d(2025, 1, 28), Tue),
            (d(2025, 2, 4), Tue),
            (d(2025, 1, 26), Sun),
            (d(2025, 2, 8), Sat),
            (d(2025, 4, 4), Fri),
            (d(2025, 5, 1), Thu),
            (d(2025, 5, 5), Mon),
            (d(2025, 4, 27), Sun),
            (d(2025, 5, 31), Sat),
            (d(2025, 6, 2), Mon),
            (d(2025, 10, 1), Wed),
            (d(2025, 10, 8), Wed),
            (d(2025, 9, 28), Sun),
            (d(2025, 10, 11), Sat),
            (d(2026, 1, 1), Thu),
            (d(2026, 1, 3), Sat),
            (d(2026, 1, 4), Sun),
            (d(2026, 2, 15), Sun),
            (d(2026, 2, 23), Mon),
            (d(2026, 2, 14), Sat),
            (d(2026, 2, 28), Sat),
            (d(2026, 4, 4), Sat),
            (d(2026, 4, 6), Mon),
            (d(2026, 5, 1), Fri),
            (d(2026, 5, 5), Tue),
            (d(2026, 5, 9), Sat),
            (d(2026, 6, 19), Fri),
            (d(2026, 6, 21), Sun),
            (d(2026, 9, 25), Fri),
            (d(2026, 9, 27), Sun),
            (d(2026, 10, 1), Thu),
            (d(2026, 10, 7), Wed),
            (d(2026, 9, 20), Sun),
            (d(2026, 10, 10), Sat),
        ];
        for (date, weekday) in stated {
            assert_eq!(date.weekday(), weekday, "{date}");
        }
    }

    #[test]
    fn is_working_day_rules() {
        let cal = WorkCalendar::china_official();
        assert!(cal.is_working_day(d(2026, 3, 2))); // ordinary Monday
        assert!(!cal.is_working_day(d(2026, 3, 7))); // ordinary Saturday
        assert!(!cal.is_working_day(d(2026, 2, 16))); // Monday in Spring Festival
        assert!(cal.is_working_day(d(2026, 2, 14))); // make-up Saturday
        assert!(cal.is_working_day(d(2025, 10, 11))); // make-up Saturday
        assert!(!cal.is_working_day(d(2025, 10, 8))); // Wednesday, National Day
        let plain = WorkCalendar::new();
        assert!(plain.is_working_day(d(2026, 2, 16)));
        assert!(!plain.is_working_day(d(2026, 2, 14)));
    }

    #[test]
    fn add_working_days_over_2025_national_day() {
        let cal = WorkCalendar::china_official();
        // From Tue 2025-09-30: Oct 1–8 are holidays; Thu Oct 9 (1), Fri Oct 10 (2),
        // make-up Sat Oct 11 (3).
        assert_eq!(cal.add_working_days(d(2025, 9, 30), 1), d(2025, 10, 9));
        assert_eq!(cal.add_working_days(d(2025, 9, 30), 3), d(2025, 10, 11));
        // Sun Oct 12 is a rest day → 4th working day is Mon Oct 13.
        assert_eq!(cal.add_working_days(d(2025, 9, 30), 4), d(2025, 10, 13));
        // From Fri 2025-09-26: Sat 27 rest, make-up Sun 28 (1), Mon 29 (2),
        // Tue 30 (3), then Thu Oct 9 (4).
        assert_eq!(cal.add_working_days(d(2025, 9, 26), 1), d(2025, 9, 28));
        assert_eq!(cal.add_working_days(d(2025, 9, 26), 4), d(2025, 10, 9));
        // n = 0 returns start, even on a holiday.
        assert_eq!(cal.add_working_days(d(2025, 10, 3), 0), d(2025, 10, 3));
        // Starting on a holiday: next day counts first.
        assert_eq!(cal.add_working_days(d(2025, 10, 3), 1), d(2025, 10, 9));
        // Without the holiday data the same 3 days end Fri 2025-10-03.
        assert_eq!(
            WorkCalendar::new().add_working_days(d(2025, 9, 30), 3),
            d(2025, 10, 3)
        );
    }

    #[test]
    fn add_working_days_over_2026_spring_festival() {
        let cal = WorkCalendar::china_official();
        // From Thu 2026-02-12: Fri 13 (1), make-up Sat 14 (2), Feb 15–23 holiday,
        // Tue 24 (3), Wed 25 (4), Thu 26 (5).
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 2), d(2026, 2, 14));
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 3), d(2026, 2, 24));
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 5), d(2026, 2, 26));
        // From Tue 2026-02-24: 25 (1), 26 (2), Fri 27 (3), make-up Sat 28 (4),
        // Sun Mar 1 rest, Mon Mar 2 (5).
        assert_eq!(cal.add_working_days(d(2026, 2, 24), 4), d(2026, 2, 28));
        assert_eq!(cal.add_working_days(d(2026, 2, 24), 5), d(2026, 3, 2));
        // 15 working days from Fri 2026-02-13: Sat 14 (1), Feb 24–27 (2–5),
        // Sat 28 (6), Mar 2–6 (7–11), Mar 9–12 (12–15).
        assert_eq!(cal.add_working_days(d(2026, 2, 13), 15), d(2026, 3, 12));
    }

    #[test]
    fn add_calendar_days_rolls_over_rest_days() {
        let cal = WorkCalendar::china_official();
        // 7 days from Tue 2025-09-30 is Tue Oct 7 (holiday) → rolls to Thu Oct 9.
        assert_eq!(cal.add_calendar_days(d(2025, 9, 30), 7), d(2025, 10, 9));
        // 4 days from Tue 2026-03-03 is Sat Mar 7 → Mon Mar 9.
        assert_eq!(cal.add_calendar_days(d(2026, 3, 3), 4), d(2026, 3, 9));
        // 1 day from Fri 2026-02-13 is the make-up Saturday: no roll-over.
        assert_eq!(cal.add_calendar_days(d(2026, 2, 13), 1), d(2026, 2, 14));
        assert_eq!(cal.add_calendar_days(d(2026, 2, 15), 0), d(2026, 2, 15));
    }

    #[test]
    fn deadline_instant_is_local_24_00() {
        let cal = WorkCalendar::china_official();
        // Served 2025-09-30 11:00 +08:00, 3 working days → ends 2025-10-11 24:00 +08:00.
        assert_eq!(
            cal.deadline_instant(utc("2025-09-30T03:00:00Z"), 3),
            utc("2025-10-11T16:00:00Z")
        );
        // Served 2025-10-01 01:00 +08:00 (still Sep 30 in UTC): local date Oct 1,
        // 3 working days → Oct 9, 10, 11 → same deadline; 4 → Mon Oct 13.
        assert_eq!(
            cal.deadline_instant(utc("2025-09-30T17:00:00Z"), 3),
            utc("2025-10-11T16:00:00Z")
        );
        assert_eq!(
            cal.deadline_instant(utc("2025-09-30T17:00:00Z"), 4),
            utc("2025-10-13T16:00:00Z")
        );
        // n = 0: end of the local day of service.
        assert_eq!(
            cal.deadline_instant(utc("2026-03-01T17:30:00Z"), 0),
            utc("2026-03-02T16:00:00Z")
        );
        assert_eq!(
            end_of_local_day_utc(d(2026, 3, 2)),
            utc("2026-03-02T16:00:00Z")
        );
        assert_eq!(
            local_midnight_utc(d(2026, 3, 2)),
            utc("2026-03-01T16:00:00Z")
        );
    }

    #[test]
    fn working_days_between_by_hand() {
        let cal = WorkCalendar::china_official();
        assert_eq!(cal.working_days_between(d(2025, 9, 30), d(2025, 10, 11)), 3);
        assert_eq!(cal.working_days_between(d(2025, 9, 30), d(2025, 10, 8)), 0);
        assert_eq!(cal.working_days_between(d(2025, 10, 11), d(2025, 9, 30)), 0);
        assert_eq!(cal.working_days_between(d(2026, 3, 2), d(2026, 3, 2)), 0);
        // (Feb 1, Feb 28] 2026: weekdays Feb 2–6, 9–13, 16–20, 23–27 = 20; minus
        // weekday holidays Feb 16–20 and 23 = 6; plus make-up Sat 14 and 28 = 2 → 16.
        assert_eq!(cal.working_days_between(d(2026, 2, 1), d(2026, 2, 28)), 16);
        // Whole years: 261 weekdays each (2025 starts Wed, 2026 starts Thu).
        // 2025: weekday holidays Jan 1; Jan 28–31, Feb 3–4; Apr 4; May 1, 2, 5;
        // Jun 2; Oct 1–3, 6–8 = 18; make-ups 5 → 261 − 18 + 5 = 248
        // (= 261 − 13 statutory days, the Saturday Dragon Boat day being made up on Jun 2).
        assert_eq!(
            cal.working_days_between(d(2024, 12, 31), d(2025, 12, 31)),
            248
        );
        // 2026: weekday holidays Jan 1–2; Feb 16–20, 23; Apr 6; May 1, 4, 5;
        // Jun 19; Sep 25; Oct 1, 2, 5, 6, 7 = 19; make-ups 6 → 261 − 19 + 6 = 248.
        assert_eq!(
            cal.working_days_between(d(2025, 12, 31), d(2026, 12, 31)),
            248
        );
    }

    #[test]
    fn working_days_between_matches_day_by_day_and_add() {
        let cal = WorkCalendar::china_official();
        let naive = |from: NaiveDate, to: NaiveDate| {
            let mut n = 0;
            let mut day = from;
            while day < to {
                day = day.succ_opt().unwrap();
                if cal.is_working_day(day) {
                    n += 1;
                }
            }
            n
        };
        let mut from = d(2024, 12, 20);
        while from < d(2027, 1, 10) {
            for span in [0u64, 1, 2, 5, 6, 7, 8, 13, 30, 45, 100] {
                let to = from + Days::new(span);
                assert_eq!(
                    cal.working_days_between(from, to),
                    naive(from, to),
                    "{from}..{to}"
                );
            }
            for n in [0u32, 1, 3, 5, 10, 15, 20] {
                let end = cal.add_working_days(from, n);
                assert_eq!(cal.working_days_between(from, end), n, "{from} + {n}");
                if n > 0 {
                    assert!(cal.is_working_day(end));
                }
            }
            from = from.succ_opt().unwrap();
        }
    }

    #[test]
    fn from_json_loads_a_year() {
        // Illustrative data (not an official notice).
        let json = r#"[
            {"date": "2027-01-01", "kind": "HOLIDAY"},
            {"date": "2027-01-02", "kind": "HOLIDAY"},
            {"date": "2027-01-03", "kind": "HOLIDAY"},
            {"date": "2027-01-09", "kind": "MAKEUP_WORKDAY", "note": "ignored extra field"}
        ]"#;
        let cal = WorkCalendar::from_json(json).unwrap();
        assert!(!cal.is_working_day(d(2027, 1, 1))); // Friday holiday
        assert!(cal.is_working_day(d(2027, 1, 9))); // Saturday make-up
        assert!(cal.covers_year(2027));
        // From Thu 2026-12-31: Jan 1 holiday, 2–3 weekend, Mon 4 (1) … Fri 8 (5), Sat 9 (6).
        assert_eq!(cal.add_working_days(d(2026, 12, 31), 6), d(2027, 1, 9));

        let entries: Vec<CalendarEntry> = serde_json::from_str(json).unwrap();
        assert_eq!(
            entries[3],
            CalendarEntry {
                date: d(2027, 1, 9),
                kind: DayKind::MakeupWorkday
            }
        );
        assert_eq!(WorkCalendar::from_entries(entries.clone()), cal);
        // Export round-trips.
        let exported = serde_json::to_string(&cal.entries()).unwrap();
        assert!(exported.starts_with(r#"[{"date":"2027-01-01","kind":"HOLIDAY"}"#));
        assert_eq!(WorkCalendar::from_json(&exported).unwrap(), cal);

        // Layering on top of the official calendar.
        let both = WorkCalendar::china_official().with_entries(entries);
        assert!(both.covers_year(2026) && both.covers_year(2027));
    }

    #[test]
    fn from_json_rejects_bad_data() {
        assert!(matches!(
            WorkCalendar::from_json(r#"[{"date":"2027-01-01","kind":"holiday"}]"#),
            Err(CalendarError::Json(_))
        ));
        assert!(matches!(
            WorkCalendar::from_json(r#"[{"date":"2027-02-30","kind":"HOLIDAY"}]"#),
            Err(CalendarError::Json(_))
        ));
        assert!(matches!(
            WorkCalendar::from_json(
                r#"[{"date":"2027-01-09","kind":"HOLIDAY"},{"date":"2027-01-09","kind":"MAKEUP_WORKDAY"}]"#
            ),
            Err(CalendarError::Conflict { date }) if date == d(2027, 1, 9)
        ));
        assert!(matches!(
            WorkCalendar::from_json(r#"[{"date":"2027-01-08","kind":"MAKEUP_WORKDAY"}]"#),
            Err(CalendarError::MakeupOnWeekday {
                weekday: Weekday::Fri,
                ..
            })
        ));
        // The lenient builder lets a later entry win instead.
        let cal = WorkCalendar::from_entries([
            CalendarEntry {
                date: d(2027, 1, 9),
                kind: DayKind::Holiday,
            },
            CalendarEntry {
                date: d(2027, 1, 9),
                kind: DayKind::MakeupWorkday,
            },
        ]);
        assert!(cal.is_working_day(d(2027, 1, 9)));
        assert!(cal.holidays().is_empty());
    }
}

//! 24-hour duty coverage (24小时值班).
//!
//! The plan (武隆建发〔2021〕69号, measure 九 二、“严格应急值守”: 落实领导干部值班值守、关键岗位24小时值班
//! 制度) asks for a leader on duty (带班领导) and staff on duty (值班人员) around the clock, holidays
//! included. A day is covered when, for each post, the shifts on that post together leave no
//! moment of the day uncovered; what is left are its gaps.
use chrono::{DateTime, Utc};

/// A stretch of time `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// The parts of `[day_start, day_end)` that no interval of `shifts` covers, in order.
pub fn gaps(
    day_start: DateTime<Utc>,
    day_end: DateTime<Utc>,
    shifts: impl IntoIterator<Item = Interval>,
) -> Vec<Interval> {
    let mut spans: Vec<Interval> = shifts
        .into_iter()
        .filter(|s| s.from < day_end && s.until > day_start && s.from < s.until)
        .collect();
    spans.sort_by_key(|s| s.from);
    let mut out = Vec::new();
    let mut cursor = day_start;
    for s in spans {
        if s.from > cursor {
            out.push(Interval {
                from: cursor,
                until: s.from.min(day_end),
            });
        }
        cursor = cursor.max(s.until);
        if cursor >= day_end {
            break;
        }
    }
    if cursor < day_end {
        out.push(Interval {
            from: cursor,
            until: day_end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        // Hours from 16:00Z on 31 December 2026, i.e. from midnight of 1 January in Shanghai.
        let base: DateTime<Utc> = "2026-12-31T16:00:00Z".parse().unwrap();
        base + chrono::TimeDelta::hours(i64::from(h))
    }
    fn iv(a: u32, b: u32) -> Interval {
        Interval {
            from: at(a),
            until: at(b),
        }
    }

    #[test]
    fn an_empty_day_is_one_gap() {
        assert_eq!(gaps(at(0), at(24), []), vec![iv(0, 24)]);
    }

    #[test]
    fn overlapping_and_adjacent_shifts_cover_the_day() {
        assert!(gaps(at(0), at(24), [iv(0, 8), iv(8, 16), iv(14, 24)]).is_empty());
        // A shift from the evening before and one into the next day count for their parts.
        let before: DateTime<Utc> = at(0) - chrono::TimeDelta::hours(4);
        let spill = [
            Interval {
                from: before,
                until: at(12),
            },
            iv(12, 30),
        ];
        assert!(gaps(at(0), at(24), spill).is_empty());
    }

    #[test]
    fn holes_are_reported_in_order() {
        // 08:00–12:00 and 16:00–24:00 covered: gaps 00–08 and 12–16.
        assert_eq!(
            gaps(at(0), at(24), [iv(16, 24), iv(8, 12)]),
            vec![iv(0, 8), iv(12, 16)]
        );
        // Covered until 20:00: the evening is a gap.
        assert_eq!(gaps(at(0), at(24), [iv(0, 20)]), vec![iv(20, 24)]);
        // Shifts wholly on other days do not count.
        assert_eq!(gaps(at(0), at(24), [iv(24, 48)]), vec![iv(0, 24)]);
    }
}

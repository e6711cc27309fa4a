//! Statistics of public reports (issue #10 item 6): by category, township, month and outcome,
//! time to acceptance and to verification — every figure an aggregate computed by the database,
//! and every small count suppressed ([`suppress`]) so that no report can be singled out from
//! them (DESIGN §3).
use chrono::{DateTime, NaiveDate, Utc};
use jianan_kernel::AppResult;
use jianan_kernel::calendar::local_midnight_utc;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::entity::enums::{ReportCategory, ReportStatus, RewardStatus, Verdict};
use crate::entity::{report, reward};

/// 结果 — where a report ended up (or that it has not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum)]
#[graphql(name = "ReportOutcome")]
pub enum Outcome {
    /// 办理中（待受理、待核查、核查中）(being handled)
    InProgress,
    /// 不予受理 (rejected)
    Rejected,
    /// 属实 (verified true)
    True,
    /// 部分属实 (verified partly true)
    PartlyTrue,
    /// 不属实 (verified false)
    False,
}

impl Outcome {
    fn of(status: ReportStatus, verdict: Option<Verdict>) -> Outcome {
        match (status, verdict) {
            (ReportStatus::Rejected, _) => Outcome::Rejected,
            (ReportStatus::Verified | ReportStatus::Closed, Some(Verdict::True)) => Outcome::True,
            (ReportStatus::Verified | ReportStatus::Closed, Some(Verdict::PartlyTrue)) => {
                Outcome::PartlyTrue
            }
            (ReportStatus::Verified | ReportStatus::Closed, Some(Verdict::False)) => Outcome::False,
            _ => Outcome::InProgress,
        }
    }
}

/// A count as published: `None` when it is suppressed.
pub type Shown = Option<u64>;

/// Small-count suppression of one breakdown whose total is published (the threshold rule of
/// statistical disclosure control, as national statistics offices apply it to tables of
/// people): a cell counting fewer than `min` reports (but not zero: that no one reported is
/// not about anyone) is suppressed (primary suppression); when exactly one cell is suppressed,
/// the total would give it away, so the smallest other non-zero cell is suppressed too
/// (secondary suppression). The order of `cells` is kept.
pub fn suppress(cells: &[u64], min: u64) -> Vec<Shown> {
    let mut shown: Vec<Shown> = cells
        .iter()
        .map(|&n| if n > 0 && n < min { None } else { Some(n) })
        .collect();
    if shown.iter().filter(|c| c.is_none()).count() == 1 {
        let partner = shown
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.filter(|&n| n > 0).map(|n| (n, i)))
            .min();
        if let Some((_, i)) = partner
            && let Some(c) = shown.get_mut(i)
        {
            *c = None;
        }
    }
    shown
}

/// A total as published: suppressed like a cell.
pub fn suppress_one(n: u64, min: u64) -> Shown {
    (n == 0 || n >= min).then_some(n)
}

/// Days between filing and a step over the reports that took it: how many, and the mean
/// (suppressed when fewer than the threshold, as a mean over one report is that report's).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Duration {
    pub count: u64,
    pub mean_days: Option<f64>,
}

/// The report statistics of a year.
#[derive(Debug, Clone, Default)]
pub struct ReportStats {
    pub year: i32,
    pub min_count: u64,
    pub total: Shown,
    pub by_category: Vec<(ReportCategory, Shown)>,
    /// `None` township: the report did not name one.
    pub by_township: Vec<(Option<Uuid>, Shown)>,
    /// Asia/Shanghai month → count.
    pub by_month: Vec<(String, Shown)>,
    pub by_outcome: Vec<(Outcome, Shown)>,
    pub to_acceptance: Duration,
    pub to_verification: Duration,
    /// Rewards paid (or paid and confirmed) out of the year's budget: how many, and the sum in
    /// fen (not shown when fewer than the threshold: one reward's amount is that reporter's).
    pub rewards_paid: Shown,
    pub rewards_paid_fen: Option<i64>,
}

/// The instants that bound Asia/Shanghai calendar year `year`: `[start, end)`.
pub fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .map(local_midnight_utc)
            .unwrap_or_default()
    };
    (at(year), at(year + 1))
}

fn of_year(year: i32) -> Select<report::Entity> {
    let (from, to) = year_bounds(year);
    report::Entity::find()
        .filter(report::Column::CreatedAt.gte(from))
        .filter(report::Column::CreatedAt.lt(to))
}

fn count_expr() -> sea_orm::sea_query::SimpleExpr {
    Expr::col(report::Column::Id).count()
}

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn split<K: Clone>(rows: Vec<(K, u64)>, min: u64) -> Vec<(K, Shown)> {
    let counts: Vec<u64> = rows.iter().map(|(_, c)| *c).collect();
    rows.into_iter()
        .zip(suppress(&counts, min))
        .map(|((k, _), s)| (k, s))
        .collect()
}

/// The statistics of `year`; counts below `min_count` suppressed. Seven aggregate statements,
/// whatever the number of reports.
pub async fn statistics(
    db: &DatabaseConnection,
    year: i32,
    min_count: u64,
) -> AppResult<ReportStats> {
    let backend = db.get_database_backend();
    let by_category: Vec<(ReportCategory, i64)> = of_year(year)
        .select_only()
        .column(report::Column::Category)
        .column_as(count_expr(), "n")
        .group_by(report::Column::Category)
        .order_by_asc(report::Column::Category)
        .into_tuple()
        .all(db)
        .await?;
    let total: u64 = by_category.iter().map(|(_, c)| n(*c)).sum();
    let by_township: Vec<(Option<Uuid>, i64)> = of_year(year)
        .select_only()
        .column(report::Column::TownshipId)
        .column_as(count_expr(), "n")
        .group_by(report::Column::TownshipId)
        .order_by_asc(report::Column::TownshipId)
        .into_tuple()
        .all(db)
        .await?;
    let month = match backend {
        DatabaseBackend::Postgres => {
            r#"to_char("rewards_report"."created_at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"#
        }
        _ => r#"strftime('%Y-%m', "rewards_report"."created_at", '+8 hours')"#,
    };
    let by_month: Vec<(String, i64)> = of_year(year)
        .select_only()
        .column_as(Expr::cust(month), "month")
        .column_as(count_expr(), "n")
        .group_by(Expr::cust(month))
        .order_by_asc(Expr::cust(month))
        .into_tuple()
        .all(db)
        .await?;
    let by_state: Vec<(ReportStatus, Option<Verdict>, i64)> = of_year(year)
        .select_only()
        .column(report::Column::Status)
        .column(report::Column::Verdict)
        .column_as(count_expr(), "n")
        .group_by(report::Column::Status)
        .group_by(report::Column::Verdict)
        .into_tuple()
        .all(db)
        .await?;
    let mut outcomes: std::collections::BTreeMap<Outcome, u64> = Default::default();
    for (s, v, c) in by_state {
        *outcomes.entry(Outcome::of(s, v)).or_default() += n(c);
    }
    let paid: Option<(i64, Option<i64>)> = reward::Entity::find()
        .filter(reward::Column::BudgetYear.eq(year))
        .filter(reward::Column::Status.is_in([RewardStatus::Paid, RewardStatus::Confirmed]))
        .select_only()
        .column_as(Expr::col(reward::Column::Id).count(), "n")
        .column_as(
            Expr::cust(r#"CAST(SUM("rewards_reward"."amount_fen") AS BIGINT)"#),
            "fen",
        )
        .into_tuple()
        .one(db)
        .await?;
    let (paid_n, paid_fen) = paid.map(|(c, f)| (n(c), f)).unwrap_or((0, None));
    let to_acceptance = mean_days(db, year, report::Column::AcceptedAt, min_count).await?;
    let to_verification = mean_days(db, year, report::Column::VerifiedAt, min_count).await?;
    Ok(ReportStats {
        year,
        min_count,
        total: suppress_one(total, min_count),
        by_category: split(
            by_category.into_iter().map(|(k, c)| (k, n(c))).collect(),
            min_count,
        ),
        by_township: split(
            by_township.into_iter().map(|(k, c)| (k, n(c))).collect(),
            min_count,
        ),
        by_month: split(
            by_month.into_iter().map(|(k, c)| (k, n(c))).collect(),
            min_count,
        ),
        by_outcome: split(outcomes.into_iter().collect(), min_count),
        to_acceptance,
        to_verification,
        rewards_paid: suppress_one(paid_n, min_count),
        rewards_paid_fen: if paid_n >= min_count {
            Some(paid_fen.unwrap_or(0))
        } else if paid_n == 0 {
            Some(0)
        } else {
            None
        },
    })
}

/// Mean days from filing to `step` over the year's reports that took it.
async fn mean_days(
    db: &DatabaseConnection,
    year: i32,
    step: report::Column,
    min_count: u64,
) -> AppResult<Duration> {
    let col = match step {
        report::Column::AcceptedAt => "accepted_at",
        _ => "verified_at",
    };
    let days = match db.get_database_backend() {
        DatabaseBackend::Postgres => format!(
            r#"AVG(CAST(EXTRACT(EPOCH FROM ("rewards_report"."{col}" - "rewards_report"."created_at")) AS DOUBLE PRECISION) / 86400.0)"#
        ),
        _ => format!(
            r#"AVG((unixepoch("rewards_report"."{col}", 'subsec') - unixepoch("rewards_report"."created_at", 'subsec')) / 86400.0)"#
        ),
    };
    let row: Option<(i64, Option<f64>)> = of_year(year)
        .filter(step.is_not_null())
        .select_only()
        .column_as(count_expr(), "n")
        .column_as(Expr::cust(days), "d")
        .into_tuple()
        .one(db)
        .await?;
    let (count, mean) = row.map(|(c, d)| (n(c), d)).unwrap_or((0, None));
    Ok(Duration {
        count: suppress_one(count, min_count).unwrap_or(0),
        mean_days: if count >= min_count { mean } else { None },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_are_suppressed_and_a_lone_one_gets_a_partner() {
        // Threshold 3. [5, 0, 2, 7]: the 2 is primary; alone it could be read off the total
        // (14 − 5 − 0 − 7 = 2), so the smallest other non-zero cell, 5, goes too. Zero stays.
        assert_eq!(
            suppress(&[5, 0, 2, 7], 3),
            vec![None, Some(0), None, Some(7)]
        );
        // Two primary cells already hide each other: nothing more.
        assert_eq!(
            suppress(&[1, 2, 9, 4], 3),
            vec![None, None, Some(9), Some(4)]
        );
        // Nothing small: all shown.
        assert_eq!(suppress(&[3, 4], 3), vec![Some(3), Some(4)]);
        // A lone small cell with nothing to pair with (the rest zero): suppressed, and the
        // total must be suppressed by its own rule (it equals the cell).
        assert_eq!(suppress(&[0, 1], 3), vec![Some(0), None]);
        assert_eq!(suppress_one(1, 3), None);
        assert_eq!(suppress_one(0, 3), Some(0));
        assert_eq!(suppress_one(3, 3), Some(3));
    }

    #[test]
    fn outcomes_follow_status_and_verdict() {
        assert_eq!(
            Outcome::of(ReportStatus::Submitted, None),
            Outcome::InProgress
        );
        assert_eq!(
            Outcome::of(ReportStatus::Verifying, None),
            Outcome::InProgress
        );
        assert_eq!(Outcome::of(ReportStatus::Rejected, None), Outcome::Rejected);
        assert_eq!(
            Outcome::of(ReportStatus::Closed, Some(Verdict::PartlyTrue)),
            Outcome::PartlyTrue
        );
        assert_eq!(
            Outcome::of(ReportStatus::Verified, Some(Verdict::False)),
            Outcome::False
        );
    }

    #[test]
    fn a_year_is_a_shanghai_calendar_year() {
        let (from, to) = year_bounds(2026);
        assert_eq!(from.to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-31T16:00:00+00:00");
    }
}

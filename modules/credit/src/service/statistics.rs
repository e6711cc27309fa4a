//! Credit statistics for the dashboard (measure 7 over measure 6): the year's score distribution
//! by level, records by kind and Asia/Shanghai month, and the blacklist's size. Every count is
//! one grouped statement through the caller's scope.
use chrono::{DateTime, NaiveDate, Utc};
use jianan_entity::enterprise;
use jianan_kernel::AppResult;
use jianan_kernel::calendar::local_midnight_utc;
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::enums::{CreditLevel, RecordKind, SubjectKind};
use crate::entity::{credit_blacklist, credit_record, credit_score};

/// The statistics of one evaluation year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statistics {
    pub year: i32,
    /// Enterprises per level; enterprises with nothing applied this year are at the base
    /// score (level A).
    pub by_level: Vec<(CreditLevel, u64)>,
    /// (kind, `YYYY-MM`, count) of the records decided in the year, in month order.
    pub records_by_month: Vec<(RecordKind, String, u64)>,
    /// Listings not removed.
    pub blacklist_size: u64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The statistics of `year` as `p` may see them.
pub async fn statistics<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    year: i32,
) -> AppResult<Statistics> {
    let levels: Vec<(CreditLevel, i64)> = scoped::<credit_score::Entity>(p)
        .filter(credit_score::Column::SubjectKind.eq(SubjectKind::Enterprise))
        .filter(credit_score::Column::Year.eq(year))
        .select_only()
        .column(credit_score::Column::Level)
        .column_as(Expr::col(credit_score::Column::Id).count(), "n")
        .group_by(credit_score::Column::Level)
        .into_tuple()
        .all(db)
        .await?;
    let scored: u64 = levels.iter().map(|(_, n)| count(*n)).sum();
    let enterprises = scoped::<enterprise::Entity>(p)
        .filter(enterprise::Column::ArchivedAt.is_null())
        .count(db)
        .await?;
    let unscored = enterprises.saturating_sub(scored);
    let by_level = [
        CreditLevel::A,
        CreditLevel::B,
        CreditLevel::C,
        CreditLevel::D,
    ]
    .into_iter()
    .map(|l| {
        let n = levels
            .iter()
            .filter(|(x, _)| *x == l)
            .map(|(_, n)| count(*n))
            .sum::<u64>();
        (l, if l == CreditLevel::A { n + unscored } else { n })
    })
    .collect();

    let (from, to) = year_bounds(year);
    let month = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            r#"to_char("credit_record"."decided_at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"#
        }
        _ => r#"strftime('%Y-%m', "credit_record"."decided_at", '+8 hours')"#,
    };
    let rows: Vec<(RecordKind, String, i64)> = scoped::<credit_record::Entity>(p)
        .filter(credit_record::Column::DecidedAt.gte(from))
        .filter(credit_record::Column::DecidedAt.lt(to))
        .select_only()
        .column(credit_record::Column::Kind)
        .column_as(Expr::cust(month), "month")
        .column_as(Expr::col(credit_record::Column::Id).count(), "n")
        .group_by(credit_record::Column::Kind)
        .group_by(Expr::cust(month))
        .order_by_asc(Expr::cust(month))
        .order_by_asc(credit_record::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let records_by_month = rows.into_iter().map(|(k, m, n)| (k, m, count(n))).collect();
    let blacklist_size = scoped::<credit_blacklist::Entity>(p)
        .filter(credit_blacklist::Column::RemovedAt.is_null())
        .count(db)
        .await?;
    Ok(Statistics {
        year,
        by_level,
        records_by_month,
        blacklist_size,
    })
}

/// The instants bounding a Beijing calendar year.
fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).map(local_midnight_utc);
    let end = NaiveDate::from_ymd_opt(year + 1, 1, 1).map(local_midnight_utc);
    (
        start.unwrap_or(DateTime::<Utc>::MIN_UTC),
        end.unwrap_or(DateTime::<Utc>::MAX_UTC),
    )
}

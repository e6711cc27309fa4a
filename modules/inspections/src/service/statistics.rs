//! Dashboard statistics (measure 7 of the plan: 智慧工地、数据赋能): hazards by level, status,
//! category, township and month; overdue rectifications; inspections by kind; rectification time
//! percentiles. Every figure is computed within the caller's row scope.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jianan_kernel::AppResult;
use jianan_kernel::scope::{RowScope, scope_condition};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Statement,
};
use uuid::Uuid;

use crate::entity::enums::{HazardLevel, HazardStatus, InspectionKind};
use crate::entity::{hazard, inspection};

/// A time window `[from, to)`; either end open.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Hazard figures.
#[derive(Debug, Clone, Default)]
pub struct HazardStats {
    pub total: u64,
    pub by_level: Vec<(HazardLevel, u64)>,
    pub by_status: Vec<(HazardStatus, u64)>,
    pub by_category: Vec<(String, u64)>,
    pub by_township: Vec<(Uuid, u64)>,
    /// Asia/Shanghai month label → count, in order.
    pub by_month: Vec<(String, u64)>,
    /// Open hazards past their deadline now.
    pub overdue_open: u64,
    /// Hours from report to closing, over closed hazards: (count, p50, p90, p99).
    pub rectification_hours: (u64, f64, f64, f64),
}

fn hazards(scope: RowScope, township: Option<Uuid>, w: Window) -> Select<hazard::Entity> {
    let mut q = hazard::Entity::find().filter(scope_condition::<hazard::Entity>(scope));
    if let Some(t) = township {
        q = q.filter(hazard::Column::TownshipId.eq(t));
    }
    if let Some(f) = w.from {
        q = q.filter(hazard::Column::ReportedAt.gte(f));
    }
    if let Some(t) = w.to {
        q = q.filter(hazard::Column::ReportedAt.lt(t));
    }
    q
}

async fn grouped<T>(
    q: Select<hazard::Entity>,
    col: hazard::Column,
    db: &DatabaseConnection,
) -> AppResult<Vec<(T, u64)>>
where
    T: sea_orm::TryGetable,
{
    let rows: Vec<(T, i64)> = q
        .select_only()
        .column(col)
        .column_as(Expr::col(hazard::Column::Id).count(), "n")
        .group_by(col)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The nearest-rank percentile (the smallest value with at least `p` of the sample at or below
/// it) of a sorted sample: NIST's definition, chosen because it always returns an observed value.
pub fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted
        .get(rank.min(sorted.len()) - 1)
        .copied()
        .unwrap_or(0.0)
}

/// Hazard statistics within `scope`: seven statements, each an aggregate computed by the
/// database, whatever the number of hazards (no row is read into the server).
pub async fn hazard_stats(
    db: &DatabaseConnection,
    scope: RowScope,
    township: Option<Uuid>,
    w: Window,
) -> AppResult<HazardStats> {
    let by_level =
        grouped::<HazardLevel>(hazards(scope, township, w), hazard::Column::Level, db).await?;
    let by_status =
        grouped::<HazardStatus>(hazards(scope, township, w), hazard::Column::Status, db).await?;
    let by_category =
        grouped::<String>(hazards(scope, township, w), hazard::Column::Category, db).await?;
    let by_township =
        grouped::<Uuid>(hazards(scope, township, w), hazard::Column::TownshipId, db).await?;
    let by_month = by_month(db, hazards(scope, township, w)).await?;
    // Late means what `rectification::enterprise_is_late` says, as a condition.
    let overdue_open = hazards(scope, township, w)
        .filter(hazard::Column::Status.is_in(super::rectification::ENTERPRISE_HOLDS))
        .filter(hazard::Column::DeadlineAt.lt(Utc::now()))
        .count(db)
        .await?;
    let rectification_hours = rectification_hours(db, hazards(scope, township, w)).await?;
    Ok(HazardStats {
        // Every hazard has a level.
        total: by_level.iter().map(|(_, n)| n).sum(),
        by_level,
        by_status,
        by_category,
        by_township,
        by_month,
        overdue_open,
        rectification_hours,
    })
}

/// Hazards per Asia/Shanghai month of their report, in month order. The two databases spell
/// the local month differently; Shanghai has kept UTC+08:00 without daylight saving since 1991.
async fn by_month(
    db: &DatabaseConnection,
    q: Select<hazard::Entity>,
) -> AppResult<Vec<(String, u64)>> {
    let month = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            r#"to_char("hazard"."reported_at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"#
        }
        _ => r#"strftime('%Y-%m', "hazard"."reported_at", '+8 hours')"#,
    };
    let rows: Vec<(String, i64)> = q
        .select_only()
        .column_as(Expr::cust(month), "month")
        .column_as(Expr::col(hazard::Column::Id).count(), "n")
        .group_by(Expr::cust(month))
        .order_by_asc(Expr::cust(month))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(m, n)| (m, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Hours from report to closing over the closed hazards of `q`: (count, p50, p90, p99), each
/// percentile by nearest rank ([`nearest_rank`]): the row whose rank is ⌈p·n⌉, picked by the
/// database with a window function, so only those three rows come back.
async fn rectification_hours(
    db: &DatabaseConnection,
    q: Select<hazard::Entity>,
) -> AppResult<(u64, f64, f64, f64)> {
    let backend = db.get_database_backend();
    let hours = match backend {
        DatabaseBackend::Postgres => {
            r#"CAST(EXTRACT(EPOCH FROM ("hazard"."closed_at" - "hazard"."reported_at")) AS DOUBLE PRECISION) / 3600.0"#
        }
        _ => {
            r#"(unixepoch("hazard"."closed_at", 'subsec') - unixepoch("hazard"."reported_at", 'subsec')) / 3600.0"#
        }
    };
    let inner = q
        .filter(hazard::Column::ClosedAt.is_not_null())
        .select_only()
        .column_as(Expr::cust(hours), "h")
        .column_as(
            Expr::cust(format!("ROW_NUMBER() OVER (ORDER BY {hours})")),
            "rn",
        )
        .column_as(Expr::cust("COUNT(*) OVER ()"), "n")
        .build(backend);
    // ⌈p·n⌉ in integers: (a·n + b − 1) / b for p = a / b.
    let sql = format!(
        "SELECT t.h, t.rn, t.n FROM ({}) t \
         WHERE t.rn = (t.n + 1) / 2 OR t.rn = (9 * t.n + 9) / 10 OR t.rn = (99 * t.n + 99) / 100",
        inner.sql
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            inner.values.map(|v| v.0).unwrap_or_default(),
        ))
        .await?;
    let mut n = 0_i64;
    let mut at = BTreeMap::new();
    for row in rows {
        let h: f64 = row.try_get("", "h")?;
        let rn: i64 = row.try_get("", "rn")?;
        n = row.try_get("", "n")?;
        at.insert(rn, h);
    }
    let pick = |rank: i64| at.get(&rank).copied().unwrap_or(0.0);
    Ok((
        u64::try_from(n).unwrap_or(0),
        pick((n + 1) / 2),
        pick((9 * n + 9) / 10),
        pick((99 * n + 99) / 100),
    ))
}

/// Inspections by kind within `scope`.
pub async fn inspections_by_kind(
    db: &DatabaseConnection,
    scope: RowScope,
    township: Option<Uuid>,
    w: Window,
) -> AppResult<Vec<(InspectionKind, u64)>> {
    let mut q = inspection::Entity::find().filter(scope_condition::<inspection::Entity>(scope));
    if let Some(t) = township {
        q = q.filter(inspection::Column::TownshipId.eq(t));
    }
    if let Some(f) = w.from {
        q = q.filter(inspection::Column::InspectedAt.gte(f));
    }
    if let Some(t) = w.to {
        q = q.filter(inspection::Column::InspectedAt.lt(t));
    }
    let rows: Vec<(InspectionKind, i64)> = q
        .select_only()
        .column(inspection::Column::Kind)
        .column_as(Expr::col(inspection::Column::Id).count(), "n")
        .group_by(inspection::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_worked_by_hand() {
        // Sample 1..=10: p50 → rank ⌈5⌉ = 5 → 5; p90 → rank 9 → 9; p99 → rank ⌈9.9⌉ = 10 → 10.
        let s: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&s, 0.5), 5.0);
        assert_eq!(nearest_rank(&s, 0.9), 9.0);
        assert_eq!(nearest_rank(&s, 0.99), 10.0);
        assert_eq!(nearest_rank(&[42.0], 0.5), 42.0);
        assert_eq!(nearest_rank(&[], 0.5), 0.0);
    }
}

//! Dashboard statistics (measure 7 of the plan: 智慧工地、数据赋能): hazards by level, status,
//! category, township and month; overdue rectifications; inspections by kind; rectification time
//! percentiles. Every figure is computed within the caller's row scope.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jianan_kernel::AppResult;
use jianan_kernel::calendar::{Period, PeriodKind};
use jianan_kernel::scope::{RowScope, scope_condition};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Select};
use uuid::Uuid;

use crate::entity::enums::{HazardLevel, HazardStatus, InspectionKind};
use crate::entity::{hazard, inspection};

/// A time window `[from, to)`; either end open.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// (reported at, closed at, status, deadline) of one hazard.
type HazardTimes = (
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    HazardStatus,
    Option<DateTime<Utc>>,
);

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

/// Hazard statistics within `scope` (five statements whatever the data size).
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
    // Months and durations need Shanghai dates and time arithmetic the two databases spell
    // differently: one narrow query, bucketed here.
    let times: Vec<HazardTimes> = hazards(scope, township, w)
        .select_only()
        .column(hazard::Column::ReportedAt)
        .column(hazard::Column::ClosedAt)
        .column(hazard::Column::Status)
        .column(hazard::Column::DeadlineAt)
        .into_tuple()
        .all(db)
        .await?;
    let now = Utc::now();
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    let mut hours = Vec::new();
    let mut overdue_open = 0;
    for (reported, closed, status, deadline) in &times {
        *by_month
            .entry(Period::containing_instant(PeriodKind::Month, *reported).label())
            .or_default() += 1;
        if let Some(c) = closed {
            hours.push((*c - *reported).num_seconds() as f64 / 3600.0);
        }
        if super::rectification::enterprise_is_late(*status, *deadline, now) {
            overdue_open += 1;
        }
    }
    hours.sort_by(|a, b| a.total_cmp(b));
    Ok(HazardStats {
        total: times.len() as u64,
        by_level,
        by_status,
        by_category,
        by_township,
        by_month: by_month.into_iter().collect(),
        overdue_open,
        rectification_hours: (
            hours.len() as u64,
            nearest_rank(&hours, 0.5),
            nearest_rank(&hours, 0.9),
            nearest_rank(&hours, 0.99),
        ),
    })
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

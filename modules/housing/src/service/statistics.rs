//! Housing statistics (issue #11 item 7): per township, houses by latest judgement and by
//! appraisal level, screening coverage, and overdue ledger measures — three grouped SQL
//! statements through the caller's row scope.
use std::collections::BTreeMap;

use jianan_kernel::AppResult;
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::entity::enums::{AppraisalLevel, HouseRisk, LedgerState};
use crate::entity::{house, ledger};

/// One township's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TownshipStatistics {
    pub township_id: Uuid,
    /// Houses registered.
    pub houses: i64,
    /// Houses screened at least once.
    pub screened: i64,
    /// Houses by latest judgement (screened houses only).
    pub by_risk: Vec<(HouseRisk, i64)>,
    /// Houses by latest appraisal level (appraised houses only).
    pub by_level: Vec<(AppraisalLevel, i64)>,
    /// Ledger entries not closed whose deadline has passed.
    pub overdue_measures: i64,
}

/// The figures of the townships the caller sees (one township when `township_id` is given),
/// ordered by township id.
pub async fn statistics<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    township_id: Option<Uuid>,
) -> AppResult<Vec<TownshipStatistics>> {
    let mut houses = scoped::<house::Entity>(p);
    let mut entries = scoped::<ledger::Entity>(p);
    if let Some(t) = township_id {
        houses = houses.filter(house::Column::TownshipId.eq(t));
        entries = entries.filter(ledger::Column::TownshipId.eq(t));
    }
    let by_risk = houses
        .clone()
        .select_only()
        .column(house::Column::TownshipId)
        .column(house::Column::Risk)
        .column_as(house::Column::Id.count(), "n")
        .group_by(house::Column::TownshipId)
        .group_by(house::Column::Risk)
        .into_tuple::<(Uuid, Option<HouseRisk>, i64)>()
        .all(db)
        .await?;
    let by_level = houses
        .select_only()
        .column(house::Column::TownshipId)
        .column(house::Column::Level)
        .column_as(house::Column::Id.count(), "n")
        .filter(house::Column::Level.is_not_null())
        .group_by(house::Column::TownshipId)
        .group_by(house::Column::Level)
        .into_tuple::<(Uuid, Option<AppraisalLevel>, i64)>()
        .all(db)
        .await?;
    let overdue = entries
        .select_only()
        .column(ledger::Column::TownshipId)
        .column_as(ledger::Column::Id.count(), "n")
        .filter(ledger::Column::State.ne(LedgerState::Closed))
        .filter(ledger::Column::Deadline.lt(jianan_kernel::calendar::today()))
        .group_by(ledger::Column::TownshipId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?;
    let mut out: BTreeMap<Uuid, TownshipStatistics> = BTreeMap::new();
    let row = |out: &mut BTreeMap<Uuid, TownshipStatistics>, t: Uuid| {
        out.entry(t).or_insert_with(|| TownshipStatistics {
            township_id: t,
            ..TownshipStatistics::default()
        });
    };
    for (t, risk, n) in by_risk {
        row(&mut out, t);
        if let Some(s) = out.get_mut(&t) {
            s.houses += n;
            if let Some(r) = risk {
                s.screened += n;
                s.by_risk.push((r, n));
            }
        }
    }
    for (t, level, n) in by_level {
        row(&mut out, t);
        if let (Some(s), Some(l)) = (out.get_mut(&t), level) {
            s.by_level.push((l, n));
        }
    }
    for (t, n) in overdue {
        row(&mut out, t);
        if let Some(s) = out.get_mut(&t) {
            s.overdue_measures = n;
        }
    }
    let mut v: Vec<TownshipStatistics> = out.into_values().collect();
    for s in &mut v {
        s.by_risk.sort_by_key(|(r, _)| format!("{r:?}"));
        s.by_level.sort_by_key(|(l, _)| format!("{l:?}"));
    }
    Ok(v)
}

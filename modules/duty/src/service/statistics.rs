//! Duty statistics: warnings and their acknowledgement rates by level, within the caller's scope
//! (a township sees its own targets' acknowledgements, an enterprise its projects').
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jianan_kernel::AppResult;
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::warning::Acknowledgement;
use crate::entity::enums::WarningLevel;
use crate::entity::{warning, warning_target as target};
use crate::perms;

/// Warnings of one level and their targets' acknowledgement.
#[derive(Debug, Clone, Default)]
pub struct LevelFigures {
    pub warnings: u32,
    pub ack: Acknowledgement,
}

/// Per level (every level present, blue first): warnings issued in `[from, until)` that the
/// caller may see, and the acknowledgement of the targets the caller may see. Two statements.
pub async fn warnings_by_level<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> AppResult<Vec<(WarningLevel, LevelFigures)>> {
    p.require(perms::STATISTICS_READ)?;
    let warnings: Vec<(Uuid, WarningLevel)> = scoped::<warning::Entity>(p)
        .select_only()
        .column(warning::Column::Id)
        .column(warning::Column::Level)
        .filter(warning::Column::IssuedAt.gte(from))
        .filter(warning::Column::IssuedAt.lt(until))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: BTreeMap<WarningLevel, LevelFigures> = [
        WarningLevel::Blue,
        WarningLevel::Yellow,
        WarningLevel::Orange,
        WarningLevel::Red,
    ]
    .into_iter()
    .map(|l| (l, LevelFigures::default()))
    .collect();
    let level_of: BTreeMap<Uuid, WarningLevel> = warnings.iter().copied().collect();
    for (_, level) in &warnings {
        out.entry(*level).or_default().warnings += 1;
    }
    if !level_of.is_empty() {
        let targets = scoped::<target::Entity>(p)
            .filter(target::Column::WarningId.is_in(level_of.keys().copied()))
            .all(db)
            .await?;
        let mut by_level: BTreeMap<WarningLevel, Vec<target::Model>> = BTreeMap::new();
        for t in targets {
            if let Some(l) = level_of.get(&t.warning_id) {
                by_level.entry(*l).or_default().push(t);
            }
        }
        for (l, ts) in by_level {
            out.entry(l).or_default().ack = Acknowledgement::of(&ts);
        }
    }
    Ok(out.into_iter().collect())
}

//! Bulk volume for `jianan seed --scale N` (issue #14 item 1): the demo district at N copies
//! plus a year of work in every module, so that pages, filters and statistics can be measured on
//! data the size of a real district (docs/seed.md).
//!
//! The volume is a **bulk load, not a history of events**: each module writes its rows as they
//! would stand after a year of use — every step, derived table and feed a reader relies on — in a
//! few large multi-row inserts, without the audit records, outbox events, notifications and
//! idempotency records its services would have written one by one. A module seeds only its own
//! tables ([`crate::module::Module::seed_volume`]) and finds other modules' rows (projects,
//! enterprises, townships, accounts) by reading the database.
//!
//! The data is deterministic: every module draws from its own [`rand::rngs::StdRng`] seeded from
//! the module's name, and ids and times are made from that generator and from the day the load
//! runs ([`Volume::anchor`], local midnight in Beijing), so two loads on the same day give the
//! same rows.
use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Iterable};
use uuid::Uuid;

use crate::error::AppResult;

/// The most values one statement binds. SQLite refuses more than 32,766 bound parameters
/// (PostgreSQL 65,535); a chunk stays below both with room to spare.
pub const MAX_BOUND_VALUES: usize = 30_000;

/// The most rows one multi-row statement inserts, however narrow the table: longer statements
/// only cost parsing time.
const MAX_ROWS_PER_STATEMENT: usize = 2_000;

/// How much each module loads: the counts of one district times N
/// ([`Volume::district`]), or a fraction of that for tests ([`Volume::fraction`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// Copies of the demo district's enterprises and projects (the registry; 200 and 150 each).
    pub copies: usize,
    /// Inspections of every kind over the past year.
    pub inspections: usize,
    /// Hazards found by those inspections, in every state.
    pub hazards: usize,
    /// Houses in the safety-screening registry.
    pub houses: usize,
    /// Public reports (with their rewards where the verdict earns one).
    pub reports: usize,
    /// Experts in the library.
    pub experts: usize,
    /// Credit records (good and bad) with their change feed.
    pub credit_records: usize,
    /// Days back from today covered by duty rosters and warnings (a year: 365).
    pub days: u32,
}

impl Volume {
    /// N times one district: per unit 50,000 inspections, 100,000 hazards, 10,000 houses,
    /// 2,000 reports, 60 experts, 10,000 credit records and a year (365 days) of duty rosters and
    /// warnings, on N copies of the demo district's 200 enterprises and 150 projects.
    pub fn district(n: usize) -> Volume {
        let n = n.max(1);
        Volume {
            copies: n,
            inspections: 50_000 * n,
            hazards: 100_000 * n,
            houses: 10_000 * n,
            reports: 2_000 * n,
            experts: 60 * n,
            credit_records: 10_000 * n,
            days: 365,
        }
    }

    /// One district divided by `divisor` (at least one row of each kind), on one copy of the
    /// registry, over `days` days: what a test loads in seconds.
    pub fn fraction(divisor: usize, days: u32) -> Volume {
        let one = Volume::district(1);
        let d = divisor.max(1);
        let part = |v: usize| (v / d).max(1);
        Volume {
            copies: 1,
            inspections: part(one.inspections),
            hazards: part(one.hazards),
            houses: part(one.houses),
            reports: part(one.reports),
            experts: part(one.experts),
            credit_records: part(one.credit_records),
            days: days.max(1),
        }
    }

    /// The generator of module `name`: seeded from the name alone, so a module's rows do not
    /// change when another module draws more or fewer numbers.
    pub fn rng(&self, name: &str) -> StdRng {
        let mut seed: u64 = 0xC0FF_EE00_1234_5678;
        for b in name.bytes() {
            seed = seed.rotate_left(7) ^ u64::from(b);
            seed = seed.wrapping_mul(0x0100_0000_01B3);
        }
        StdRng::seed_from_u64(seed)
    }

    /// The moment the load counts back from: today's local midnight (Beijing), so that loads on
    /// the same day are identical and everything seeded lies in the past.
    pub fn anchor(&self) -> DateTime<Utc> {
        crate::calendar::local_midnight_utc(crate::calendar::today())
    }

    /// A moment `seconds` seconds before the anchor.
    pub fn ago(&self, seconds: i64) -> DateTime<Utc> {
        self.anchor() - Duration::seconds(seconds)
    }
}

/// A UUIDv7 for a row created at `at`, its random bits drawn from `rng`: time-ordered like the
/// ids the services make with `Uuid::now_v7`, yet the same on every run.
pub fn id_at(rng: &mut StdRng, at: DateTime<Utc>) -> Uuid {
    use rand::RngCore;
    let mut bytes = [0u8; 10];
    rng.fill_bytes(&mut bytes);
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid()
}

/// Rows per statement for a table of `columns` columns: below [`MAX_BOUND_VALUES`].
pub fn rows_per_statement(columns: usize) -> usize {
    (MAX_BOUND_VALUES / columns.max(1)).clamp(1, MAX_ROWS_PER_STATEMENT)
}

/// Inserts `rows` with multi-row statements of at most [`MAX_BOUND_VALUES`] bound values each
/// (without `RETURNING`); returns how many were inserted. Every row must set every column, so
/// that all rows of a statement have the same shape.
pub async fn insert_chunked<A, C>(txn: &C, rows: Vec<A>) -> AppResult<u64>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let columns = <A::Entity as EntityTrait>::Column::iter().count();
    let per = rows_per_statement(columns);
    let mut done: u64 = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        done += <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(done)
}

/// What a module's volume load wrote: a table and its number of rows, for the command's report.
pub type Loaded = Vec<(&'static str, u64)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_district_has_the_counts_of_the_issue_and_a_fraction_keeps_at_least_one_of_each() {
        let ten = Volume::district(10);
        assert_eq!(ten.inspections, 500_000);
        assert_eq!(ten.hazards, 1_000_000);
        assert_eq!(ten.houses, 100_000);
        assert_eq!(ten.reports, 20_000);
        assert_eq!(ten.experts, 600);
        assert_eq!(ten.credit_records, 100_000);
        assert_eq!(ten.days, 365);
        let tiny = Volume::fraction(1_000_000, 3);
        assert_eq!(tiny.hazards, 1);
        assert_eq!(tiny.copies, 1);
        assert_eq!(tiny.days, 3);
    }

    #[test]
    fn chunks_stay_below_sqlites_bound_parameter_limit() {
        for cols in [1, 7, 16, 33, 40] {
            let per = rows_per_statement(cols);
            assert!(per * cols <= 32_766, "{cols} columns × {per} rows");
            assert!(per >= 1);
        }
    }

    #[test]
    fn ids_and_generators_are_deterministic() {
        let v = Volume::district(1);
        let at = v.ago(3600);
        let a = id_at(&mut v.rng("inspections"), at);
        let b = id_at(&mut v.rng("inspections"), at);
        assert_eq!(a, b);
        assert_ne!(a, id_at(&mut v.rng("credit"), at));
        assert_eq!(a.get_version_num(), 7);
    }
}

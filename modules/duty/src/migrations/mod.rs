//! The duty module's migrations (block 0007NN).
use sea_orm_migration::MigrationTrait;

mod m20261203_000701_duty_key_periods_warnings;
mod m20261203_000702_duty_rosters;
mod m20261203_000703_duty_incident_reports;
mod m20261203_000704_duty_emergency_responses;

/// In order; the Migrator places them after housing's.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261203_000701_duty_key_periods_warnings::Migration),
        Box::new(m20261203_000702_duty_rosters::Migration),
        Box::new(m20261203_000703_duty_incident_reports::Migration),
        Box::new(m20261203_000704_duty_emergency_responses::Migration),
    ]
}

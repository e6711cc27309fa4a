//! The housing module's migrations (block 0005NN).
use sea_orm_migration::MigrationTrait;

mod m20261203_000501_housing_registry;
mod m20261203_000502_housing_monitoring;
mod m20261203_000503_housing_reports;

/// In order; the Migrator places them after rewards'.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261203_000501_housing_registry::Migration),
        Box::new(m20261203_000502_housing_monitoring::Migration),
        Box::new(m20261203_000503_housing_reports::Migration),
    ]
}

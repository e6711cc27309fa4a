//! The credit module's migrations (block 0003NN).
use sea_orm_migration::MigrationTrait;

mod m20261203_000301_credit_base;
mod m20261203_000302_credit_repair;
mod m20261203_000303_credit_blacklist;
mod m20261203_000310_credit_bureau_import;

/// In order; the Migrator places them after inspections'.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261203_000301_credit_base::Migration),
        Box::new(m20261203_000302_credit_repair::Migration),
        Box::new(m20261203_000303_credit_blacklist::Migration),
        Box::new(m20261203_000310_credit_bureau_import::Migration),
    ]
}

//! The rewards module's migrations (block 0004NN).
use sea_orm_migration::MigrationTrait;

mod m20261203_000401_rewards_reports;
mod m20261203_000402_rewards_links;
mod m20261203_000403_rewards_money;
mod m20261203_000404_rewards_timeline;

/// In order; the Migrator places them after inspections'.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261203_000401_rewards_reports::Migration),
        Box::new(m20261203_000402_rewards_links::Migration),
        Box::new(m20261203_000403_rewards_money::Migration),
        Box::new(m20261203_000404_rewards_timeline::Migration),
    ]
}

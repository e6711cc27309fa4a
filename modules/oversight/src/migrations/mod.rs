//! The oversight module's migrations (block 0008NN).
use sea_orm_migration::MigrationTrait;

mod m20261203_000801_oversight;

/// In order; the Migrator places them after the other modules'.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(m20261203_000801_oversight::Migration)]
}

//! The experts module's migrations (block 0006NN).
use sea_orm_migration::MigrationTrait;

mod m20261203_000601_experts_library;
mod m20261203_000602_experts_checks;

/// In order; the Migrator places them after housing's.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261203_000601_experts_library::Migration),
        Box::new(m20261203_000602_experts_checks::Migration),
    ]
}

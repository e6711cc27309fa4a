//! The kernel's migrations (audit, outbox, idempotency, attachments, notifications, calendar).
use sea_orm_migration::MigrationTrait;

mod m20261129_000001_kernel_base;
mod m20261129_000002_kernel_obligations;

/// In order; the Migrator places them first.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261129_000001_kernel_base::Migration),
        Box::new(m20261129_000002_kernel_obligations::Migration),
    ]
}

//! The kernel's migrations (audit, outbox, idempotency, attachments, notifications, calendar,
//! obligations, event versions, state history, audit keys, webhooks).
use sea_orm_migration::MigrationTrait;

mod m20261129_000001_kernel_base;
mod m20261129_000002_kernel_obligations;
mod m20261202_000003_kernel_event_version;
mod m20261202_000004_kernel_history;
mod m20261202_000006_kernel_outbox_delivery;
mod m20261202_000007_kernel_audit_key;
mod m20261203_000008_kernel_webhooks;

/// In order; the Migrator places them first.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261129_000001_kernel_base::Migration),
        Box::new(m20261129_000002_kernel_obligations::Migration),
        Box::new(m20261202_000003_kernel_event_version::Migration),
        Box::new(m20261202_000004_kernel_history::Migration),
        Box::new(m20261202_000006_kernel_outbox_delivery::Migration),
        Box::new(m20261202_000007_kernel_audit_key::Migration),
        Box::new(m20261203_000008_kernel_webhooks::Migration),
    ]
}

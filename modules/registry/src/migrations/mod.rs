//! The registry's migrations.
use sea_orm_migration::MigrationTrait;

mod m20261129_000101_registry_base;
mod m20261202_000102_registry_status_hold;
mod m20261202_000103_registry_history;
mod m20261202_000104_registry_enforcement_credential;
mod m20261202_000105_registry_refresh_family_expiry;
mod m20261203_000106_registry_project_location;

/// In order; the Migrator places them after the kernel's.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261129_000101_registry_base::Migration),
        Box::new(m20261202_000102_registry_status_hold::Migration),
        Box::new(m20261202_000103_registry_history::Migration),
        Box::new(m20261202_000104_registry_enforcement_credential::Migration),
        Box::new(m20261202_000105_registry_refresh_family_expiry::Migration),
        Box::new(m20261203_000106_registry_project_location::Migration),
    ]
}

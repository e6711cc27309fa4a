//! The one linear migration history (docs/architecture.md): the kernel's migrations, then the registry's,
//! then each domain module's, in one `seaql_migrations` table. Adding a module adds one line here.
pub use sea_orm_migration::prelude::*;

/// The platform's migrator.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = Vec::new();
        all.extend(jianan_kernel::migrations::migrations());
        all.extend(jianan_registry::migrations::migrations());
        all.extend(jianan_inspections::migrations::migrations());
        all.extend(jianan_credit::migrations::migrations());
        all.extend(jianan_rewards::migrations::migrations());
        all.extend(jianan_housing::migrations::migrations());
        all.extend(jianan_experts::migrations::migrations());
        all.extend(jianan_duty::migrations::migrations());
        all.extend(jianan_oversight::migrations::migrations());
        all
    }
}

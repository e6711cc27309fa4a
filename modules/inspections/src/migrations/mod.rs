//! The inspections module's migrations.
use sea_orm_migration::MigrationTrait;

mod m20261129_000201_inspections_hazards;
mod m20261129_000202_inspections_enforcement;
mod m20261129_000203_inspections_draws;
mod m20261129_000204_inspections_inspections;
mod m20261129_000205_inspections_publicity;
mod m20261202_000206_inspections_records;
mod m20261202_000207_inspections_penalty_procedure;
mod m20261202_000208_inspections_hazard_rules;
mod m20261202_000209_inspections_reinspection;
mod m20261202_000210_inspections_draw_results;
mod m20261203_000211_inspections_hazard_origin;

/// In order; the Migrator places them after the registry's.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261129_000201_inspections_hazards::Migration),
        Box::new(m20261129_000202_inspections_enforcement::Migration),
        Box::new(m20261129_000203_inspections_draws::Migration),
        Box::new(m20261129_000204_inspections_inspections::Migration),
        Box::new(m20261129_000205_inspections_publicity::Migration),
        Box::new(m20261202_000206_inspections_records::Migration),
        Box::new(m20261202_000207_inspections_penalty_procedure::Migration),
        Box::new(m20261202_000208_inspections_hazard_rules::Migration),
        Box::new(m20261202_000209_inspections_reinspection::Migration),
        Box::new(m20261202_000210_inspections_draw_results::Migration),
        Box::new(m20261203_000211_inspections_hazard_origin::Migration),
    ]
}

//! SeaORM entities of the inspections module.
pub mod checklist_template;
pub mod draw_inspection;
pub mod enforcement_action;
pub mod enums;
pub mod hazard;
pub mod hazard_implementation;
pub mod hazard_origin;
pub mod hazard_step;
pub mod inspection;
pub mod inspection_participant;
pub mod penalty_step;
pub mod publicity_item;
pub mod random_draw;
pub mod reinspection;

//! Inspections domain logic as plain functions over the kernel.
pub mod draw;
pub mod enforcement;
mod events;
pub mod hazard;
pub mod inspection;
pub mod ledger;
pub mod obligations;
pub mod origins;
pub mod policy;
pub mod publicity;
pub mod rectification;
pub mod statistics;
pub mod tasks;

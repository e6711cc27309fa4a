//! Inspections domain logic as plain functions over the kernel.
pub mod enforcement;
pub mod hazard;
pub mod rectification;

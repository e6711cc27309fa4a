//! Domain rules as data and pure functions, each citing its source.
pub mod draw;
pub mod draw_results;
pub mod hazard_class;
pub mod hazard_criteria;
pub mod jgj59;
pub mod penalty;
pub use crate::service::rectification;

//! The duty module's tables.
pub mod enums;
pub mod key_period;
pub mod shift;
pub mod warning;
pub mod warning_target;

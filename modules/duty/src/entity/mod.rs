//! The duty module's tables.
pub mod enums;
pub mod incident;
pub mod incident_update;
pub mod key_period;
pub mod response;
pub mod response_report;
pub mod response_step;
pub mod shift;
pub mod warning;
pub mod warning_target;

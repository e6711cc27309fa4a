//! The housing module's tables.
pub mod campaign;
pub mod campaign_township;
pub mod enums;
pub mod house;
pub mod ledger;
pub mod monitor_assignment;
pub mod monitoring_log;
pub mod report;
pub mod screening;

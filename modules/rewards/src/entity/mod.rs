//! The rewards module's tables.
pub mod budget;
pub mod enums;
pub mod message;
pub mod report;
pub mod report_link;
pub mod reveal_request;
pub mod reward;

//! The rewards module's tables.
pub mod enums;
pub mod message;
pub mod report;
pub mod report_link;
pub mod reveal_request;

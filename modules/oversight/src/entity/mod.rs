//! The oversight module's tables.
pub mod assessment;
pub mod circular;
pub mod circular_link;
pub mod circular_recipient;
pub mod enums;
pub mod meeting;
pub mod meeting_unit;
pub mod task;

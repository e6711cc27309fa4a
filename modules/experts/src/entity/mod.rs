//! The experts module's tables.
pub mod assignment;
pub mod certificate;
pub mod chief_engineer;
pub mod dangerous_work;
pub mod draw;
pub mod enums;
pub mod expert;
pub mod expert_check;
pub mod finding;
pub mod key_period;
pub mod scheme_review;
pub mod service_request;
pub mod visit;

//! The experts module's tables.
pub mod assignment;
pub mod certificate;
pub mod dangerous_work;
pub mod draw;
pub mod enums;
pub mod expert;
pub mod finding;
pub mod scheme_review;
pub mod service_request;
pub mod visit;

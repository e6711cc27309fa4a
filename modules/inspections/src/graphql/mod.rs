//! The inspections module's part of the schema.
pub mod checklist;
pub mod inputs;
pub mod ledger;
pub mod map;
mod mutation;
mod query;
pub mod statistics;
pub mod types;
pub mod viewer;

pub use mutation::InspectionsMutation;
pub use query::InspectionsQuery;
pub use statistics::StatisticsQuery;
pub use viewer::ViewerQuery;

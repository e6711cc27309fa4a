//! The credit module's part of the schema.
pub mod import;
pub mod inputs;
mod mutation;
mod query;
pub mod types;

pub use mutation::CreditMutation;
pub use query::CreditQuery;

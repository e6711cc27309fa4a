//! The oversight module's GraphQL schema.
pub mod mutation;
pub mod query;
pub mod types;

pub use mutation::OversightMutation;
pub use query::OversightQuery;

//! The registry's part of the schema: thin resolvers over [`crate::service`].
pub mod inputs;
mod mutation;
mod query;
pub mod types;

pub use mutation::RegistryMutation;
pub use query::RegistryQuery;

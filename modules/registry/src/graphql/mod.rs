//! The registry's part of the schema: thin resolvers over [`crate::service`].
mod mutation;
mod query;
pub mod types;

pub use mutation::RegistryMutation;
pub use query::RegistryQuery;

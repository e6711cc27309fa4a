//! The experts module's GraphQL: thin resolvers over [`crate::service`].
pub mod mutation;
pub mod query;
pub mod types;

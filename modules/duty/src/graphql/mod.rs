//! The duty module's GraphQL: thin resolvers over [`crate::service`].
pub mod mutation;
pub mod query;
pub mod subscription;
pub mod types;

pub use mutation::DutyMutation;
pub use query::DutyQuery;

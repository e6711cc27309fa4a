//! The housing module's GraphQL: thin resolvers over [`crate::service`].
pub mod export;
pub mod mutation;
pub mod query;
pub mod report;
pub mod statistics;
pub mod types;

pub use mutation::HousingMutation;
pub use query::HousingQuery;

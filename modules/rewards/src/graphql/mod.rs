//! The rewards module's GraphQL: thin resolvers over [`crate::service`].
pub mod mutation;
pub mod query;
pub mod statistics;
pub mod types;

pub use mutation::RewardsMutation;
pub use query::RewardsQuery;

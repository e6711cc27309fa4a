//! The registry's part of the schema: thin resolvers over [`crate::service`].
pub mod inputs;
mod mutation;
mod query;
pub mod types;

pub use mutation::RegistryMutation;
pub use query::RegistryQuery;

/// The sign-in fields: each checks a credential or a refresh token. One operation may select at
/// most one of them (`jianan_kernel::credentials`), so aliases cannot multiply the guesses, the
/// hashes or the audit records one request causes.
pub const CREDENTIAL_FIELDS: &[&str] = &["login", "refreshToken", "logout", "issueServiceToken"];

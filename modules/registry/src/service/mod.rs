//! Registry domain logic as plain functions over the kernel, taking plain Rust inputs with `Uuid`s:
//! resolvers decode global IDs and stay thin, demo seeding and other callers need no GraphQL.
pub mod account;
pub mod auth;
pub mod enterprise;
pub mod org_unit;
pub mod project;

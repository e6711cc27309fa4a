//! Credit domain logic: plain functions over a connection.
pub mod blacklist;
pub mod evaluation;
pub mod feed;
pub mod import;
pub mod profile;
pub mod records;
pub mod repair;
pub mod rules;
pub mod statistics;

//! The Jian'an gateway: configuration, CLI, schema assembly, HTTP surface and lifecycle.
pub mod app;
pub mod cli;
pub mod config;
pub mod errors;
pub mod forwarded;
mod graphiql;
pub mod http;
pub mod loaders_ext;
pub mod schema;
pub mod telemetry;
pub mod upload;

pub use app::{Server, start};
pub use config::Config;

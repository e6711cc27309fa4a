//! Domain logic of the rewards module: plain functions over the kernel, with plain Rust inputs.
pub mod duplicates;
pub mod identity;
pub mod links;
pub mod report;
pub mod reveal;
pub mod reward;
pub mod secrets;
pub mod statistics;
pub mod workflow;

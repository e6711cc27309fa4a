//! Rewards rules as data and pure functions, each citing its source, with hand-worked tests.
pub mod standards;

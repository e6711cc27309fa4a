//! Credit rules as data and pure functions, each citing its source, with hand-worked tests.
pub mod blacklist;
pub mod bureau;
pub mod evaluation;
pub mod publication;
pub mod restrictions;

//! Rules of the duty module as data and pure functions, each citing its source.
pub mod coverage;
pub mod deadlines;

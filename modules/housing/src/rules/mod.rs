//! Rules as data, with their sources and hand-worked tests.
pub mod checklist;
pub mod ledger;

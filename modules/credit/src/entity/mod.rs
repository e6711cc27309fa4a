//! SeaORM entities of the credit module.
pub mod credit_blacklist;
pub mod credit_bureau_record;
pub mod credit_change;
pub mod credit_entry;
pub mod credit_feed_head;
pub mod credit_import;
pub mod credit_record;
pub mod credit_repair;
pub mod credit_rule;
pub mod credit_rule_version;
pub mod credit_score;
pub mod enums;

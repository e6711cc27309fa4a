//! SeaORM entities shared by every Jian'an module: the kernel's tables (audit, outbox, idempotency,
//! attachments, notifications, calendar) and the registry's (org units, accounts, enterprises,
//! projects). Domain modules keep their own entities in their own crates.
//!
//! Enumerations are stored as SCREAMING_CASE strings and double as GraphQL enums, so the database,
//! the API and the code share one spelling.

pub mod account;
pub mod attachment;
pub mod audit_head;
pub mod audit_log;
pub mod calendar_day;
pub mod enterprise;
pub mod enums;
pub mod event_delivery;
pub mod idempotency_record;
pub mod notification;
pub mod obligation_close;
pub mod obligation_evidence;
pub mod obligation_standing;
pub mod org_unit;
pub mod outbox_event;
pub mod project;
pub mod project_participant;
pub mod project_person;
pub mod refresh_token;
pub mod state_span;
pub mod webhook_attempt;
pub mod webhook_delivery;
pub mod webhook_subscription;

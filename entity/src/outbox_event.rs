//! The transactional outbox: domain events inserted in the same transaction as the change that caused them, dispatched at least once.
#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    #[sea_orm(unique)]
    pub id: Uuid,
    pub topic: String,
    /// Major version of the payload's contract (`jianan_contracts::DomainEvent::VERSION`).
    pub version: i32,
    pub aggregate_type: String,
    pub aggregate_id: String,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub actor_id: Option<Uuid>,
    pub occurred_at: DateTimeUtc,
    pub dispatched_at: Option<DateTimeUtc>,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// Not before this instant (backoff after a failed delivery).
    pub next_attempt_at: Option<DateTimeUtc>,
    /// Claimed by a dispatcher pass until this instant.
    pub claimed_until: Option<DateTimeUtc>,
    /// Dead-lettered: given up after too many failed attempts, until an administrator replays it.
    pub dead_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

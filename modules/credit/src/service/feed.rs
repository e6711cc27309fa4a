//! The change feed (`creditChanges`) for the Market Supervision Bureau.
//!
//! An autoincrement id alone would not do: a transaction that took id 9 may commit after one
//! that took id 10, and a consumer already past 10 would never see 9. So every transaction that
//! appends locks the single `credit_feed_head` row first (`SELECT … FOR UPDATE` on PostgreSQL;
//! on SQLite the writer lock serialises writers) and takes `last_seq + 1`: a later sequence
//! number can only be taken after the earlier transaction committed or rolled back, so sequence
//! order is commit order and there are no gaps. The same transaction publishes the
//! `credit.changed` event carrying the entry.
use chrono::Utc;
use jianan_contracts::credit::CreditChanged;
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppError, AppResult, outbox};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::Expr,
};
use uuid::Uuid;

use crate::entity::enums::{ChangeKind, SubjectKind};
use crate::entity::{credit_change, credit_feed_head};

/// What changed, for one feed entry.
#[derive(Debug, Clone)]
pub struct NewChange {
    pub kind: ChangeKind,
    pub subject_kind: SubjectKind,
    pub enterprise_id: Option<Uuid>,
    pub uscc: Option<String>,
    pub person: Option<String>,
    pub record_type: &'static str,
    pub record_id: Uuid,
    pub summary: String,
}

/// Takes the feed lock for the rest of the caller's transaction. The event handler takes it
/// first, before it reads or creates a score row, so credit's writers run one at a time on
/// PostgreSQL too: two deliveries for the same subject neither race to create its score row nor
/// sum its entries without seeing each other's.
pub async fn lock<C: ConnectionTrait>(txn: &C) -> AppResult<credit_feed_head::Model> {
    credit_feed_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal("credit_feed_head row missing"))
}

/// Appends one entry to the feed inside the caller's write transaction, under the feed lock,
/// and publishes it as `credit.changed`.
pub async fn append<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    change: NewChange,
) -> AppResult<credit_change::Model> {
    let head = lock(txn).await?;
    let seq = head.last_seq + 1;
    let now = Utc::now();
    let model = credit_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        seq: Set(seq),
        kind: Set(change.kind),
        subject_kind: Set(change.subject_kind),
        enterprise_id: Set(change.enterprise_id),
        uscc: Set(change.uscc),
        person: Set(change.person),
        record_type: Set(change.record_type.to_owned()),
        record_id: Set(change.record_id),
        summary: Set(change.summary),
        occurred_at: Set(now),
    }
    .insert(txn)
    .await?;
    credit_feed_head::Entity::update_many()
        .col_expr(credit_feed_head::Column::LastSeq, Expr::value(seq))
        .filter(credit_feed_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    outbox::publish_event(
        txn,
        who,
        &CreditChanged {
            seq,
            change_id: model.id,
            kind: model.kind.into(),
            enterprise_id: model.enterprise_id,
            uscc: model.uscc.clone(),
            person: model.person.clone(),
            record_type: model.record_type.clone(),
            record_id: model.record_id,
            summary: model.summary.clone(),
            occurred_at: model.occurred_at,
        },
    )
    .await?;
    Ok(model)
}

//! The audit writer (docs/security.md): every mutation writes an audit record in its own transaction.
//!
//! Records are append-only and hash-chained: `hash = SHA-256(prev_hash ‖ canonical fields)`. The
//! single-row `audit_head` holds the newest sequence number, hash and count, and is locked
//! (`SELECT … FOR UPDATE` on PostgreSQL; the SQLite writer lock does the same) while a record is
//! appended, so concurrent transactions cannot fork the chain. [`verify`] recomputes the chain
//! and detects an edited record (hash mismatch), a deleted one (broken link) and deleted newest
//! records (head mismatch).
use chrono::{DateTime, Utc};
use jianan_entity::{audit_head, audit_log};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::principal::{PrincipalKind, RequestInfo};

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, to which record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// `module.verb`, e.g. `registry.enterprise.create`.
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    /// What changed (never secrets, never a reporter's identity).
    pub detail: serde_json::Value,
}

impl AuditEntry {
    pub fn new(action: &'static str, entity_type: &'static str, entity_id: impl ToString) -> Self {
        AuditEntry {
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            detail: serde_json::Value::Null,
        }
    }
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The hash of a record given its predecessor's hash.
fn chain_hash(prev_hash: &str, m: &audit_log::Model) -> String {
    let canonical = serde_json::json!([
        m.id.to_string(),
        timestamp(m.occurred_at),
        m.actor_id.map(|a| a.to_string()),
        m.actor_label,
        m.action,
        m.entity_type,
        m.entity_id,
        m.request_id,
        m.client_addr,
        m.detail,
    ]);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Appends an audit record inside the caller's transaction `txn`.
pub async fn record<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    entry: AuditEntry,
) -> AppResult<()> {
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal("audit_head row missing"))?;
    let now = Utc::now();
    let occurred_at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    let p = &who.principal;
    let actor_label = match p.kind {
        PrincipalKind::Anonymous => "匿名".to_owned(),
        _ => p.username.clone(),
    };
    let mut model = audit_log::Model {
        seq: 0,
        id: Uuid::now_v7(),
        occurred_at,
        actor_id: p.account_id,
        actor_label,
        action: entry.action.to_owned(),
        entity_type: entry.entity_type.to_owned(),
        entity_id: entry.entity_id,
        request_id: (!who.request_id.is_empty()).then(|| who.request_id.clone()),
        // Anonymous callers (public reporters) leave no network address (docs/security.md).
        client_addr: if p.kind == PrincipalKind::Anonymous {
            None
        } else {
            who.client_addr.clone()
        },
        detail: entry.detail.to_string(),
        prev_hash: head.last_hash.clone(),
        hash: String::new(),
    };
    model.hash = chain_hash(&head.last_hash, &model);
    let hash = model.hash.clone();
    let mut active: audit_log::ActiveModel = model.into();
    active.seq = sea_orm::NotSet;
    let inserted = active.insert(txn).await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastSeq, Expr::value(inserted.seq))
        .col_expr(audit_head::Column::LastHash, Expr::value(hash))
        .col_expr(
            audit_head::Column::Count,
            Expr::col(audit_head::Column::Count).add(1),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    Ok(())
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub records: u64,
    /// Empty when the chain is intact; otherwise one line per problem found.
    pub problems: Vec<String>,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Recomputes the whole chain, in pages of 1,000 records.
pub async fn verify<C: ConnectionTrait>(db: &C) -> AppResult<AuditReport> {
    let mut problems = Vec::new();
    let mut prev_hash = GENESIS.to_owned();
    let mut last_seq = 0i64;
    let mut records = 0u64;
    loop {
        let batch = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gt(last_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(1000)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for m in batch {
            records += 1;
            if m.prev_hash != prev_hash {
                problems.push(format!(
                    "记录 {} 之前的审计记录被删除或篡改（链接断开）",
                    m.seq
                ));
            }
            if chain_hash(&m.prev_hash, &m) != m.hash {
                problems.push(format!("记录 {} 的内容与其哈希不符（已被修改）", m.seq));
            }
            prev_hash = m.hash;
            last_seq = m.seq;
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    match head {
        Some(h)
            if h.last_hash == prev_hash && h.count == records as i64 && h.last_seq == last_seq => {}
        Some(_) => problems.push("审计链末端与链头记录不符（最新的记录被删除或篡改）".to_owned()),
        None => problems.push("缺少审计链头记录".to_owned()),
    }
    Ok(AuditReport { records, problems })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sample() -> audit_log::Model {
        audit_log::Model {
            seq: 1,
            id: Uuid::nil(),
            occurred_at: DateTime::from_timestamp(1_780_000_000, 123_456_000).unwrap(),
            actor_id: None,
            actor_label: "admin".into(),
            action: "registry.enterprise.create".into(),
            entity_type: "Enterprise".into(),
            entity_id: "x".into(),
            request_id: None,
            client_addr: None,
            detail: "{}".into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn hash_covers_every_field_and_the_predecessor() {
        let m = sample();
        let h = chain_hash(GENESIS, &m);
        assert_eq!(h.len(), 64);
        assert_eq!(h, chain_hash(GENESIS, &m), "deterministic");
        let mut edited = m.clone();
        edited.detail = "{\"name\":\"x\"}".into();
        assert_ne!(h, chain_hash(GENESIS, &edited));
        let mut edited = m.clone();
        edited.actor_label = "someone".into();
        assert_ne!(h, chain_hash(GENESIS, &edited));
        assert_ne!(h, chain_hash(&h, &m));
    }
}

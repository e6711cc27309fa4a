//! Idempotent create mutations (docs/api-conventions.md): a retried request with the same `idempotencyKey`
//! returns the first result instead of creating a duplicate.
//!
//! The record of the first result is written in the same transaction as the record it names, so
//! either both exist or neither does. Keys are scoped to the caller and the operation; reusing a
//! key for a different request body is a `CONFLICT`.
use chrono::Utc;
use jianan_entity::idempotency_record;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::principal::RequestInfo;

/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 128;

/// A caller-supplied key for one operation, with a fingerprint of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub principal_key: String,
    pub operation: &'static str,
    pub key: String,
    pub request_hash: String,
}

impl IdempotencyKey {
    /// `None` when the client sent no key. `request` is the mutation input (serialised to
    /// fingerprint it).
    pub fn from_input(
        who: &RequestInfo,
        operation: &'static str,
        key: Option<&str>,
        request: &impl serde::Serialize,
    ) -> AppResult<Option<Self>> {
        let Some(key) = key else { return Ok(None) };
        let key = key.trim();
        if key.is_empty() || key.len() > MAX_KEY_LEN {
            return Err(AppError::bad_input(
                "idempotencyKey",
                format!("幂等键长度应为1到{MAX_KEY_LEN}个字符"),
            ));
        }
        let body = serde_json::to_vec(request).map_err(AppError::internal)?;
        Ok(Some(IdempotencyKey {
            principal_key: who.principal.key(),
            operation,
            key: key.to_owned(),
            request_hash: hex::encode(Sha256::digest(&body)),
        }))
    }

    /// The id of the record the first request with this key created, if any.
    pub async fn lookup<C: ConnectionTrait>(&self, db: &C) -> AppResult<Option<String>> {
        let found = idempotency_record::Entity::find_by_id((
            self.principal_key.clone(),
            self.operation.to_owned(),
            self.key.clone(),
        ))
        .one(db)
        .await?;
        match found {
            Some(r) if r.request_hash != self.request_hash => {
                Err(AppError::conflict("该幂等键已用于内容不同的请求"))
            }
            Some(r) => Ok(Some(r.record_id)),
            None => Ok(None),
        }
    }

    /// Remembers `record_id` as this key's result, in the creating transaction.
    pub async fn remember<C: ConnectionTrait>(
        &self,
        txn: &C,
        record_id: impl ToString,
    ) -> AppResult<()> {
        idempotency_record::ActiveModel {
            principal_key: Set(self.principal_key.clone()),
            operation: Set(self.operation.to_owned()),
            idempotency_key: Set(self.key.clone()),
            record_id: Set(record_id.to_string()),
            request_hash: Set(self.request_hash.clone()),
            created_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
        Ok(())
    }
}

/// Starts a create: opens the write transaction and, when the client sent a key that was already
/// used, returns the id of the record the first request created (the caller then returns that
/// record and creates nothing). On PostgreSQL, requests with the same key are serialised by a
/// transaction-scoped advisory lock, so two concurrent retries cannot both create.
pub async fn begin_create(
    db: &crate::db::Db,
    key: Option<&IdempotencyKey>,
) -> AppResult<(crate::db::WriteTxn, Option<String>)> {
    let w = db.begin_write().await?;
    let Some(key) = key else { return Ok((w, None)) };
    crate::db::serialize_on(
        &w,
        &format!("{}\n{}\n{}", key.principal_key, key.operation, key.key),
    )
    .await?;
    let found = key.lookup(&*w).await?;
    Ok((w, found))
}

/// Finishes a create: remembers the key's result and commits.
pub async fn finish_create(
    w: crate::db::WriteTxn,
    key: Option<&IdempotencyKey>,
    record_id: impl ToString,
) -> AppResult<()> {
    if let Some(key) = key {
        key.remember(&*w, record_id).await?;
    }
    w.commit().await
}

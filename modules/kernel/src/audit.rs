//! The audit writer (docs/security.md): every mutation writes an audit record in its own transaction.
//!
//! Records are append-only and chained: each record's `hash` is an HMAC-SHA256, keyed with the
//! audit key (a secret kept outside the database, setting `audit_key`), over its predecessor's
//! hash and its canonical fields. The single-row `audit_head` holds the newest sequence number,
//! hash and count, and is locked (`SELECT … FOR UPDATE` on PostgreSQL; the SQLite writer lock does
//! the same) while a record is appended, so concurrent transactions cannot fork the chain.
//! [`verify`] recomputes the chain and detects an edited record (MAC mismatch), a deleted one
//! (broken link) and deleted newest records (head mismatch). Someone who can write to the database
//! but does not hold the key cannot forge a record or re-chain the records after an edit.
//!
//! Records written before the key existed (`seq < audit_head.keyed_from_seq`, set by the migration
//! that introduced it) keep their plain SHA-256 hashes; the anchors protect them.
//!
//! Anchors: the chain head (sequence number, hash, count) signed with an Ed25519 key derived from
//! the audit key, written outside the database on a schedule and on demand
//! (`jianan audit anchor`). [`verify`] checks the chain against every anchor, so rewriting the
//! database — even with the key — cannot hide a change to a record older than an anchor, and
//! dropping the newest records is detected back to the newest anchor.
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use jianan_entity::{audit_head, audit_log};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::WriteTxn;
use crate::error::{AppError, AppResult};
use crate::principal::{PrincipalKind, RequestInfo};

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `parts` (joined in order) under `key`.
fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length (RFC 2104), so this cannot fail.
    let mut m = match <HmacSha256 as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC takes a key of any length"),
    };
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

/// The audit key: a secret kept outside the database. From it come the key that authenticates
/// each record (HMAC-SHA256) and the Ed25519 key that signs anchors; the secret itself is never
/// used directly.
#[derive(Clone)]
pub struct AuditKey {
    record: [u8; 32],
    signing: SigningKey,
    /// Root of the other secrets derived from the same key (webhook signing secrets).
    derive: [u8; 32],
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.public_key())
    }
}

impl AuditKey {
    /// Derives the record and anchor keys from `secret` (at least 32 bytes, checked at boot).
    pub fn from_secret(secret: &[u8]) -> AuditKey {
        AuditKey {
            record: hmac(secret, &[b"jianan-audit-record-v1"]),
            signing: SigningKey::from_bytes(&hmac(secret, &[b"jianan-audit-anchor-v1"])),
            derive: hmac(secret, &[b"jianan-derive-v1"]),
        }
    }

    /// A secret for one purpose, derived from the key (HMAC-SHA256 under a derivation root,
    /// over `label` and `parts`): different labels or parts give unrelated secrets, and none of
    /// them reveals the key or the audit and anchor keys. Webhook signing secrets come from here,
    /// so the database never holds them.
    pub fn derive(&self, label: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        // Each piece length-prefixed, so ("ab", "c") and ("a", "bc") derive different secrets.
        let mut framed = Vec::new();
        for p in std::iter::once(label).chain(parts.iter().copied()) {
            framed.extend_from_slice(&u32::try_from(p.len()).unwrap_or(u32::MAX).to_be_bytes());
            framed.extend_from_slice(p);
        }
        hmac(&self.derive, &[&framed])
    }

    /// The anchors' Ed25519 public key, hex: published so that anyone can check an anchor
    /// without holding the secret.
    pub fn public_key(&self) -> String {
        hex::encode(self.signing.verifying_key().to_bytes())
    }
}

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

/// The hash of a record given its predecessor's hash: HMAC-SHA256 under the record key, or plain
/// SHA-256 for records from before the key (`key` = `None`).
fn chain_hash(key: Option<&AuditKey>, prev_hash: &str, m: &audit_log::Model) -> String {
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
    ])
    .to_string();
    match key {
        Some(k) => hex::encode(hmac(
            &k.record,
            &[prev_hash.as_bytes(), b"\n", canonical.as_bytes()],
        )),
        None => {
            let mut h = Sha256::new();
            h.update(prev_hash.as_bytes());
            h.update(b"\n");
            h.update(canonical.as_bytes());
            hex::encode(h.finalize())
        }
    }
}

/// Appends an audit record inside the write transaction `w`, keyed with its database's audit key.
pub async fn record(w: &WriteTxn, who: &RequestInfo, entry: AuditEntry) -> AppResult<()> {
    let key = w
        .audit_key()
        .ok_or_else(|| AppError::internal("the audit key is not configured"))?;
    let txn = &**w;
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
    model.hash = chain_hash(Some(key), &head.last_hash, &model);
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

/// A signed statement of the chain's head at one moment, kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Anchor {
    /// Sequence number of the newest record (0 for an empty chain).
    pub seq: i64,
    /// Its hash (the genesis value for an empty chain).
    pub hash: String,
    /// How many records the chain held.
    pub count: i64,
    /// The first record keyed with the audit key.
    pub keyed_from_seq: i64,
    /// When the anchor was taken (RFC 3339, UTC).
    pub at: String,
    /// The Ed25519 public key that signed it, hex ([`AuditKey::public_key`]).
    pub public_key: String,
    /// Ed25519 signature over [`Anchor::signed_text`], hex.
    pub signature: String,
}

impl Anchor {
    /// The exact text signed: one field per line after a version tag.
    pub fn signed_text(&self) -> String {
        format!(
            "jianan-audit-anchor-v1\n{}\n{}\n{}\n{}\n{}",
            self.seq, self.hash, self.count, self.keyed_from_seq, self.at
        )
    }

    /// Whether the signature is valid for the public key the anchor names.
    pub fn signature_is_valid(&self) -> bool {
        let key = hex::decode(&self.public_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .and_then(|b| VerifyingKey::from_bytes(&b).ok());
        let sig = hex::decode(&self.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .map(|b| ed25519_dalek::Signature::from_bytes(&b));
        match (key, sig) {
            (Some(k), Some(s)) => k.verify(self.signed_text().as_bytes(), &s).is_ok(),
            _ => false,
        }
    }

    /// The file name an anchor is kept under: sortable by sequence number and time.
    pub fn file_name(&self) -> String {
        let compact: String = self.at.chars().filter(|c| c.is_ascii_digit()).collect();
        format!("anchor-{:012}-{compact}.json", self.seq)
    }
}

/// Takes an anchor of the chain's current head, signed with `key`.
pub async fn take_anchor<C: ConnectionTrait>(db: &C, key: &AuditKey) -> AppResult<Anchor> {
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("audit_head row missing"))?;
    let mut anchor = Anchor {
        seq: head.last_seq,
        hash: head.last_hash,
        count: head.count,
        keyed_from_seq: head.keyed_from_seq,
        at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        public_key: key.public_key(),
        signature: String::new(),
    };
    anchor.signature = hex::encode(key.signing.sign(anchor.signed_text().as_bytes()).to_bytes());
    Ok(anchor)
}

/// Writes `anchor` into `dir` (created if missing) as one JSON file; returns its path. An
/// existing file is never overwritten.
pub fn write_anchor(dir: &std::path::Path, anchor: &Anchor) -> AppResult<std::path::PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(AppError::internal)?;
    let path = dir.join(anchor.file_name());
    let json = serde_json::to_string_pretty(anchor).map_err(AppError::internal)?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(AppError::internal)?;
    f.write_all(json.as_bytes()).map_err(AppError::internal)?;
    f.sync_all().map_err(AppError::internal)?;
    Ok(path)
}

/// Reads every `anchor-*.json` in `dir` (none when it does not exist). A file that is not an
/// anchor is reported as a problem rather than skipped.
pub fn read_anchors(dir: &std::path::Path) -> (Vec<Anchor>, Vec<String>) {
    let mut anchors = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (anchors, problems);
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("anchor-") && n.ends_with(".json"))
        })
        .collect();
    names.sort();
    for path in names {
        match std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<Anchor>(&t).ok())
        {
            Some(a) => anchors.push(a),
            None => problems.push(format!("锚点文件 {} 无法读取", path.display())),
        }
    }
    (anchors, problems)
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub records: u64,
    /// How many anchors the chain was checked against.
    pub anchors: usize,
    /// Empty when the chain is intact; otherwise one line per problem found.
    pub problems: Vec<String>,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// [`verify`] with the database's own audit key.
pub async fn verify_db(db: &crate::db::Db, anchors: &[Anchor]) -> AppResult<AuditReport> {
    let key = db
        .audit_key()
        .ok_or_else(|| AppError::internal("the audit key is not configured"))?;
    verify(&db.conn, key, anchors).await
}

/// Recomputes the whole chain with `key`, in pages of 1,000 records, and checks it against
/// `anchors`: each must be signed by this key, and the record at its sequence number must still
/// have the anchored hash at the anchored position in the chain.
pub async fn verify<C: ConnectionTrait>(
    db: &C,
    key: &AuditKey,
    anchors: &[Anchor],
) -> AppResult<AuditReport> {
    let mut problems = Vec::new();
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    let keyed_from = head.as_ref().map_or(1, |h| h.keyed_from_seq);
    let mut pending: Vec<&Anchor> = Vec::new();
    for a in anchors {
        if a.public_key != key.public_key() {
            problems.push(format!(
                "锚点 {} 不是由本系统的审计密钥签署的",
                a.file_name()
            ));
        } else if !a.signature_is_valid() {
            problems.push(format!("锚点 {} 的签名无效（锚点被篡改）", a.file_name()));
        } else {
            if a.keyed_from_seq != keyed_from {
                problems.push(format!(
                    "锚点 {} 记载的密钥起始记录与链头不符（链头被篡改）",
                    a.file_name()
                ));
            }
            if a.seq > 0 {
                pending.push(a);
            }
        }
    }
    pending.sort_by_key(|a| a.seq);
    let mut prev_hash = GENESIS.to_owned();
    let mut last_seq = 0i64;
    let mut records = 0u64;
    let mut next_anchor = 0usize;
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
            let k = (m.seq >= keyed_from).then_some(key);
            if chain_hash(k, &m.prev_hash, &m) != m.hash {
                problems.push(format!("记录 {} 的内容与其哈希不符（已被修改）", m.seq));
            }
            // Anchors whose record was skipped over (deleted) and the one at this record.
            while let Some(a) = pending.get(next_anchor).filter(|a| a.seq <= m.seq) {
                if a.seq < m.seq {
                    problems.push(format!("锚点记载的记录 {} 已不在审计链中（被删除）", a.seq));
                } else if a.hash != m.hash || a.count != records as i64 {
                    problems.push(format!(
                        "记录 {} 与锚点 {} 不符（锚定后被改写）",
                        m.seq,
                        a.file_name()
                    ));
                }
                next_anchor += 1;
            }
            prev_hash = m.hash;
            last_seq = m.seq;
        }
    }
    for a in pending.get(next_anchor..).unwrap_or_default() {
        problems.push(format!(
            "锚点记载到记录 {}，审计链只到记录 {}（最新的记录被删除）",
            a.seq, last_seq
        ));
    }
    match head {
        Some(h)
            if h.last_hash == prev_hash && h.count == records as i64 && h.last_seq == last_seq => {}
        Some(_) => problems.push("审计链末端与链头记录不符（最新的记录被删除或篡改）".to_owned()),
        None => problems.push("缺少审计链头记录".to_owned()),
    }
    Ok(AuditReport {
        records,
        anchors: anchors.len(),
        problems,
    })
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

    fn key() -> AuditKey {
        AuditKey::from_secret(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn derived_secrets_differ_by_label_and_parts_and_framing() {
        let k = key();
        let a = k.derive(b"ab", &[b"c"]);
        assert_ne!(a, k.derive(b"a", &[b"bc"]));
        assert_ne!(a, k.derive(b"ab", &[b"d"]));
        assert_eq!(a, key().derive(b"ab", &[b"c"]));
        assert_ne!(a, AuditKey::from_secret(&[7u8; 32]).derive(b"ab", &[b"c"]));
    }

    #[test]
    fn hash_covers_every_field_and_the_predecessor() {
        let m = sample();
        for k in [None, Some(&key())] {
            let h = chain_hash(k, GENESIS, &m);
            assert_eq!(h.len(), 64);
            assert_eq!(h, chain_hash(k, GENESIS, &m), "deterministic");
            let mut edited = m.clone();
            edited.detail = "{\"name\":\"x\"}".into();
            assert_ne!(h, chain_hash(k, GENESIS, &edited));
            let mut edited = m.clone();
            edited.actor_label = "someone".into();
            assert_ne!(h, chain_hash(k, GENESIS, &edited));
            assert_ne!(h, chain_hash(k, &h, &m));
        }
    }

    #[test]
    fn the_record_mac_needs_the_key() {
        let m = sample();
        let keyed = chain_hash(Some(&key()), GENESIS, &m);
        assert_ne!(keyed, chain_hash(None, GENESIS, &m), "not plain SHA-256");
        let other = AuditKey::from_secret(b"another-secret-another-secret-xx");
        assert_ne!(keyed, chain_hash(Some(&other), GENESIS, &m));
    }

    /// RFC 4231, test case 2: the HMAC-SHA256 the record keys rely on.
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            hex::encode(hmac(b"Jefe", &[b"what do ya want ", b"for nothing?"])),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn anchors_verify_and_any_change_breaks_the_signature() {
        let k = key();
        let mut a = Anchor {
            seq: 42,
            hash: "ab".repeat(32),
            count: 42,
            keyed_from_seq: 1,
            at: "2026-12-02T10:00:00.000Z".into(),
            public_key: k.public_key(),
            signature: String::new(),
        };
        a.signature = hex::encode(k.signing.sign(a.signed_text().as_bytes()).to_bytes());
        assert!(a.signature_is_valid());
        assert_eq!(a.file_name(), "anchor-000000000042-20261202100000000.json");
        for tamper in [
            |a: &mut Anchor| a.seq = 41,
            |a: &mut Anchor| a.hash = "cd".repeat(32),
            |a: &mut Anchor| a.count = 40,
            |a: &mut Anchor| a.keyed_from_seq = 43,
            |a: &mut Anchor| a.at = "2026-12-03T10:00:00.000Z".into(),
            |a: &mut Anchor| a.signature = "00".repeat(64),
            |a: &mut Anchor| a.public_key = "zz".into(),
        ] {
            let mut t = a.clone();
            tamper(&mut t);
            assert!(!t.signature_is_valid(), "{t:?}");
        }
        // Re-signed with another key, it names that key: verify refuses it by its public key.
        let other = AuditKey::from_secret(b"another-secret-another-secret-xx");
        assert_ne!(other.public_key(), k.public_key());
    }
}

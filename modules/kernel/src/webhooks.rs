//! Webhooks (docs/architecture.md, "Webhooks"; issue #9 item 4): a partner system — first the
//! Market Supervision Bureau — subscribes to change topics and receives each event as a signed
//! HTTP POST, instead of polling.
//!
//! - **Which topics.** Only those a module declares with [`crate::module::Module::webhook_topics`],
//!   each with the permission a subscriber must hold (credit's change feed, say). Nothing else
//!   ever leaves through a webhook, so a hidden record cannot either.
//! - **From the outbox.** The [`enqueuer`] is an ordinary outbox handler: for every event of a
//!   declared topic it writes one `webhook_delivery` per matching active subscription, in the
//!   handler's transaction and unique per (subscription, event). An accepted event is therefore
//!   never lost, and a redelivered event never makes a second delivery.
//! - **Sending.** The [`Sender`] claims due deliveries for a lease (`FOR UPDATE SKIP LOCKED` on
//!   PostgreSQL, as the outbox does), POSTs them, and records every attempt with its HTTP status
//!   (`webhook_attempt`, the delivery log). A 2xx response delivers; anything else is retried with
//!   exponential backoff ([`backoff`]) and, after `max_attempts`, dead-lettered until the
//!   subscriber or an administrator replays it. Delivery is at least once: a crash between the
//!   receiver's 2xx and our record of it sends again, with the same `webhook-id`.
//! - **Signatures.** As the Standard Webhooks specification has them (standardwebhooks.com):
//!   headers `webhook-id` (the delivery id, the same on every attempt), `webhook-timestamp` (Unix
//!   seconds of this attempt) and `webhook-signature: v1,<base64 HMAC-SHA256>` over
//!   `{id}.{timestamp}.{body}`, under the subscription's secret `whsec_<base64>`. The secret is shown
//!   once, when the subscription is created or its secret rotated, and never stored: it is derived
//!   from the server's key ([`crate::audit::AuditKey::derive`]) with the subscription id and a
//!   generation number, so a copy of the database cannot forge a delivery.
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use jianan_entity::{account, webhook_attempt, webhook_delivery, webhook_subscription};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use sha2::Sha256;
use tokio::sync::watch;
use uuid::Uuid;

use crate::db::{Db, WriteTxn};
use crate::error::{AppError, AppResult};
use crate::outbox::{Event, EventHandler};
use crate::principal::PermissionTable;

/// Permission to manage one's own webhook subscriptions (and, for administrators, everyone's).
pub const WEBHOOKS_MANAGE: &str = "kernel.webhooks.manage";

/// A topic a module lets partners subscribe to.
#[derive(Debug, Clone, Copy)]
pub struct WebhookTopic {
    /// The event topic (`credit.changed`), one the module publishes.
    pub topic: &'static str,
    /// What a subscriber must hold to receive it (checked when subscribing and at each event).
    pub permission: &'static str,
    /// 中文说明
    pub description: &'static str,
}

/// Delivery settings (README, "Settings": `webhook_*`).
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Attempts after which a delivery is dead-lettered.
    pub max_attempts: i32,
    /// The wait after the first failed attempt; doubled after each further one (at most 6 h).
    pub retry_base: Duration,
    /// How long one attempt may take, connection included.
    pub timeout: Duration,
    /// Whether `http://` URLs are accepted (always in development mode).
    pub allow_http: bool,
    /// How often the sender looks for due deliveries when no commit wakes it.
    pub poll: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            max_attempts: 8,
            retry_base: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            allow_http: false,
            poll: Duration::from_secs(1),
        }
    }
}

/// Delivery states, as stored.
pub mod status {
    pub const PENDING: &str = "PENDING";
    pub const DELIVERED: &str = "DELIVERED";
    pub const DEAD: &str = "DEAD";
}

/// The wait before attempt `failed + 1` after `failed` failed attempts: `base`, 2·`base`,
/// 4·`base` … at most six hours. With the default 30 s base and 8 attempts, the last comes about
/// an hour after the first.
pub fn backoff(base: Duration, failed: i32) -> chrono::TimeDelta {
    let exp = u32::try_from(failed.clamp(1, 20) - 1).unwrap_or(0);
    let ms = u64::try_from(base.as_millis())
        .unwrap_or(u64::MAX)
        .saturating_mul(1u64 << exp)
        .min(6 * 3600 * 1000);
    chrono::TimeDelta::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX))
}

// --- Signatures (Standard Webhooks) ---------------------------------------------------------

const SECRET_PREFIX: &str = "whsec_";
const SECRET_LABEL: &[u8] = b"jianan-webhook-secret-v1";

/// The signing secret of subscription `id` at `generation`, as handed to the subscriber
/// (`whsec_` + base64 of 32 bytes derived from the server's key).
pub fn secret_for(key: &crate::audit::AuditKey, id: Uuid, generation: i32) -> String {
    let bytes = key.derive(SECRET_LABEL, &[id.as_bytes(), &generation.to_be_bytes()]);
    format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn secret_bytes(secret: &str) -> Option<Vec<u8>> {
    let b64 = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

fn mac(key: &[u8], id: &str, timestamp: i64, body: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length (RFC 2104).
    let mut m = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC takes a key of any length"),
    };
    m.update(id.as_bytes());
    m.update(b".");
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body.as_bytes());
    m
}

/// The `webhook-signature` header value for a message: `v1,` + base64 of
/// HMAC-SHA256(secret, `{id}.{timestamp}.{body}`). `None` for a malformed secret.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = secret_bytes(secret)?;
    let tag = mac(&key, id, timestamp, body).finalize().into_bytes();
    Some(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(tag)
    ))
}

/// Why a received message is not ours.
#[derive(Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The secret is not `whsec_<base64>`.
    BadSecret,
    /// The timestamp is further than the tolerance from now (a replayed message).
    Stale,
    /// No `v1` signature in the header matches.
    Mismatch,
}

/// What a receiver does with a message (the example client does the same): the timestamp within
/// `tolerance_secs` of `now`, and one of the space-separated `v1,` signatures matching, compared
/// in constant time.
pub fn verify(
    secret: &str,
    id: &str,
    timestamp: i64,
    signatures: &str,
    body: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), VerifyError> {
    let key = secret_bytes(secret).ok_or(VerifyError::BadSecret)?;
    if (now - timestamp).abs() > tolerance_secs {
        return Err(VerifyError::Stale);
    }
    for sig in signatures.split(' ') {
        let Some(b64) = sig.strip_prefix("v1,") else {
            continue;
        };
        let Ok(tag) = base64::engine::general_purpose::STANDARD.decode(b64) else {
            continue;
        };
        if mac(&key, id, timestamp, body).verify_slice(&tag).is_ok() {
            return Ok(());
        }
    }
    Err(VerifyError::Mismatch)
}

// --- Enqueueing, from the outbox -------------------------------------------------------------

/// The body POSTed for an event: its topic (`type`), contract version, event id, time and the
/// contract's payload (`data`), exactly as published.
pub fn body_of(event: &Event) -> String {
    serde_json::json!({
        "type": event.topic,
        "version": event.version,
        "eventId": event.id.to_string(),
        "timestamp": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "data": event.payload,
    })
    .to_string()
}

/// The topics of a subscription, as stored.
pub fn topics_of(s: &webhook_subscription::Model) -> Vec<String> {
    serde_json::from_str(&s.topics).unwrap_or_default()
}

/// The outbox handler that turns events of the declared topics into deliveries.
/// What the enqueuer pokes when it has written deliveries, and the sender waits on.
pub type Wake = Arc<tokio::sync::Notify>;

pub fn enqueuer(
    topics: Vec<WebhookTopic>,
    permissions: Arc<PermissionTable>,
    wake: Wake,
) -> Arc<dyn EventHandler> {
    // The dispatcher wants `'static` topic names; the list is built once per process.
    let names: &'static [&'static str] = Box::leak(
        topics
            .iter()
            .map(|t| t.topic)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    Arc::new(Enqueuer {
        names,
        wake,
        topics,
        permissions,
    })
}

struct Enqueuer {
    names: &'static [&'static str],
    wake: Wake,
    topics: Vec<WebhookTopic>,
    permissions: Arc<PermissionTable>,
}

impl EventHandler for Enqueuer {
    fn name(&self) -> &'static str {
        "kernel.webhooks"
    }
    fn topics(&self) -> &'static [&'static str] {
        self.names
    }
    fn handle<'a>(&'a self, w: &'a WriteTxn, event: &'a Event) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let txn: &DatabaseTransaction = w;
            let Some(topic) = self.topics.iter().find(|t| t.topic == event.topic) else {
                return Ok(());
            };
            let subs = webhook_subscription::Entity::find()
                .filter(webhook_subscription::Column::Active.eq(true))
                .filter(webhook_subscription::Column::ArchivedAt.is_null())
                .order_by_asc(webhook_subscription::Column::Id)
                .all(txn)
                .await?;
            let subs: Vec<_> = subs
                .into_iter()
                .filter(|s| topics_of(s).iter().any(|t| t == topic.topic))
                .collect();
            if subs.is_empty() {
                return Ok(());
            }
            let owners = account::Entity::find()
                .filter(account::Column::Id.is_in(subs.iter().map(|s| s.account_id)))
                .all(txn)
                .await?;
            let body = body_of(event);
            let now = Utc::now();
            for s in subs {
                // The owner must still exist, be active and hold the topic's permission today.
                let allowed = owners.iter().any(|a| {
                    a.id == s.account_id
                        && a.archived_at.is_none()
                        && self
                            .permissions
                            .permissions_of(&crate::principal::roles_of(a))
                            .contains(topic.permission)
                });
                if !allowed {
                    continue;
                }
                webhook_delivery::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    subscription_id: Set(s.id),
                    event_id: Set(event.id),
                    topic: Set(event.topic.clone()),
                    body: Set(body.clone()),
                    status: Set(status::PENDING.to_owned()),
                    attempts: Set(0),
                    next_attempt_at: Set(Some(now)),
                    claimed_until: Set(None),
                    last_status_code: Set(None),
                    last_error: Set(None),
                    created_at: Set(now),
                    delivered_at: Set(None),
                    dead_at: Set(None),
                }
                .insert(txn)
                .await?;
                // Before the commit: the sender stays awake a while and finds them once it lands.
                self.wake.notify_one();
            }
            Ok(())
        })
    }
}

// --- Sending ---------------------------------------------------------------------------------

/// How many deliveries one pass claims (and sends concurrently).
const BATCH: u64 = 32;

/// Sends due deliveries; one per process.
pub struct Sender {
    db: Db,
    settings: WebhookSettings,
    client: reqwest::Client,
    wake: Wake,
}

/// How long the sender keeps polling after a wake (the enqueuer pokes it before its commit).
const HOT: Duration = Duration::from_secs(3);
/// How often an idle sender looks anyway (deliveries written by another instance, or left
/// claimed by one that crashed).
const IDLE_POLL: Duration = Duration::from_secs(30);

impl Sender {
    pub fn new(db: Db, settings: WebhookSettings, wake: Wake) -> AppResult<Sender> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            // A redirect would send the signed body somewhere the subscriber did not name.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("jianan-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(AppError::internal)?;
        Ok(Sender {
            db,
            settings,
            client,
            wake,
        })
    }

    /// The lease of a claim: long enough for every delivery of a batch to time out.
    fn lease(&self) -> chrono::TimeDelta {
        let t = i64::try_from(self.settings.timeout.as_millis()).unwrap_or(60_000);
        chrono::TimeDelta::milliseconds(t.saturating_mul(2).saturating_add(30_000))
    }

    async fn claim(&self) -> AppResult<Vec<webhook_delivery::Model>> {
        use sea_orm::sea_query::{LockBehavior, LockType};
        let now = Utc::now();
        // A read first: most passes find nothing, and need not take the writer lock for that.
        let any = webhook_delivery::Entity::find()
            .select_only()
            .column(webhook_delivery::Column::Id)
            .filter(webhook_delivery::Column::Status.eq(status::PENDING))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .limit(1)
            .into_tuple::<Uuid>()
            .one(&self.db.conn)
            .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let w = self.db.begin_write().await?;
        let mut q = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Status.eq(status::PENDING))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .filter(
                sea_orm::Condition::any()
                    .add(webhook_delivery::Column::ClaimedUntil.is_null())
                    .add(webhook_delivery::Column::ClaimedUntil.lt(now)),
            )
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .order_by_asc(webhook_delivery::Column::Id)
            .limit(BATCH);
        if self.db.backend() == DatabaseBackend::Postgres {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = q.all(&*w).await?;
        if !rows.is_empty() {
            webhook_delivery::Entity::update_many()
                .col_expr(
                    webhook_delivery::Column::ClaimedUntil,
                    Expr::value(now + self.lease()),
                )
                .filter(webhook_delivery::Column::Id.is_in(rows.iter().map(|r| r.id)))
                .exec(&*w)
                .await?;
        }
        w.commit_quietly().await?;
        Ok(rows)
    }

    /// Sends every due delivery once; returns how many were attempted.
    pub async fn run_once(&self) -> AppResult<usize> {
        let due = self.claim().await?;
        if due.is_empty() {
            return Ok(0);
        }
        let subs = webhook_subscription::Entity::find()
            .filter(webhook_subscription::Column::Id.is_in(due.iter().map(|d| d.subscription_id)))
            .all(&self.db.conn)
            .await?;
        let n = due.len();
        let sends = due.into_iter().map(|d| {
            let sub = subs.iter().find(|s| s.id == d.subscription_id).cloned();
            self.send_one(d, sub)
        });
        for r in futures_util::future::join_all(sends).await {
            if let Err(e) = r {
                tracing::warn!(error = %e.message, "webhook bookkeeping failed");
            }
        }
        Ok(n)
    }

    async fn send_one(
        &self,
        d: webhook_delivery::Model,
        sub: Option<webhook_subscription::Model>,
    ) -> AppResult<()> {
        let now = Utc::now();
        let sub = match sub {
            Some(s) if s.archived_at.is_none() => s,
            // Deleted: nobody wants it any more; kept in the log as dead.
            _ => return self.finish(&d, now, Attempt::Gone).await,
        };
        if !sub.active {
            // Paused: no attempt is spent; looked at again a minute later.
            let w = self.db.begin_write().await?;
            webhook_delivery::Entity::update_many()
                .col_expr(
                    webhook_delivery::Column::NextAttemptAt,
                    Expr::value(now + chrono::TimeDelta::minutes(1)),
                )
                .col_expr(
                    webhook_delivery::Column::ClaimedUntil,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .filter(webhook_delivery::Column::Id.eq(d.id))
                .exec(&*w)
                .await?;
            return w.commit_quietly().await;
        }
        let Some(key) = self.db.audit_key() else {
            return Err(AppError::internal(
                "no server key: webhooks cannot be signed",
            ));
        };
        let secret = secret_for(key, sub.id, sub.secret_generation);
        let id = d.id.to_string();
        let ts = now.timestamp();
        let signature = sign(&secret, &id, ts, &d.body)
            .ok_or_else(|| AppError::internal("derived webhook secret is malformed"))?;
        let started = Instant::now();
        let sent = self
            .client
            .post(&sub.url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", signature)
            .body(d.body.clone())
            .send()
            .await;
        let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (code, error) = match sent {
            Ok(resp) => (Some(i32::from(resp.status().as_u16())), None),
            Err(e) => (
                e.status().map(|s| i32::from(s.as_u16())),
                Some(describe(&e)),
            ),
        };
        self.finish(&d, now, Attempt::Made { code, error, ms })
            .await
    }

    /// Records an attempt and its outcome: delivered (a 2xx), retried later, or dead-lettered.
    async fn finish(
        &self,
        d: &webhook_delivery::Model,
        started: DateTime<Utc>,
        outcome: Attempt,
    ) -> AppResult<()> {
        let now = Utc::now();
        let w = self.db.begin_write().await?;
        let (gone, code, error, attempt) = match outcome {
            Attempt::Gone => (true, None, Some("订阅已删除".to_owned()), d.attempts),
            Attempt::Made { code, error, ms } => {
                let attempt = d.attempts + 1;
                webhook_attempt::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    delivery_id: Set(d.id),
                    attempt: Set(attempt),
                    started_at: Set(started),
                    status_code: Set(code),
                    error: Set(error.clone()),
                    duration_ms: Set(ms),
                }
                .insert(&*w)
                .await?;
                (false, code, error, attempt)
            }
        };
        let ok = code.is_some_and(|c| (200..300).contains(&c));
        let dead = gone || (!ok && attempt >= self.settings.max_attempts);
        let (state, next) = if ok {
            (status::DELIVERED, None)
        } else if dead {
            (status::DEAD, None)
        } else {
            (
                status::PENDING,
                Some(now + backoff(self.settings.retry_base, attempt)),
            )
        };
        let last_error = if ok {
            None
        } else {
            error.or_else(|| code.map(|c| format!("HTTP {c}")))
        };
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Status, Expr::value(state))
            .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempt))
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(next))
            .col_expr(
                webhook_delivery::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(webhook_delivery::Column::LastStatusCode, Expr::value(code))
            .col_expr(webhook_delivery::Column::LastError, Expr::value(last_error))
            .col_expr(
                webhook_delivery::Column::DeliveredAt,
                Expr::value(ok.then_some(now)),
            )
            .col_expr(
                webhook_delivery::Column::DeadAt,
                Expr::value(dead.then_some(now)),
            )
            .filter(webhook_delivery::Column::Id.eq(d.id))
            .exec(&*w)
            .await?;
        w.commit_quietly().await?;
        if dead && !gone {
            tracing::warn!(delivery = %d.id, topic = %d.topic, attempts = attempt, "webhook delivery dead-lettered");
        }
        Ok(())
    }

    /// When the next pending delivery falls due (retries backing off), if any.
    async fn next_due(&self) -> AppResult<Option<DateTime<Utc>>> {
        let at: Option<Option<DateTime<Utc>>> = webhook_delivery::Entity::find()
            .select_only()
            .column(webhook_delivery::Column::NextAttemptAt)
            .filter(webhook_delivery::Column::Status.eq(status::PENDING))
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .limit(1)
            .into_tuple()
            .one(&self.db.conn)
            .await?;
        Ok(at.flatten())
    }

    /// Runs until `shutdown` turns true. Event-driven rather than polling: a pass when the
    /// enqueuer pokes it (then every `poll` for [`HOT`], until its deliveries are committed and
    /// sent), when the next retry falls due, and every [`IDLE_POLL`] otherwise. An idle server
    /// with no subscriptions runs one cheap query every half minute.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut hot_until = tokio::time::Instant::now() + HOT;
        loop {
            let sent = match self.run_once().await {
                Ok(n) => n,
                Err(err) => {
                    tracing::warn!(error = %err.message, "webhook pass failed");
                    0
                }
            };
            let now = tokio::time::Instant::now();
            let wait = if sent > 0 || now < hot_until {
                self.settings.poll
            } else {
                match self.next_due().await {
                    Ok(Some(at)) => (at - Utc::now())
                        .to_std()
                        .unwrap_or(Duration::ZERO)
                        .clamp(self.settings.poll, IDLE_POLL),
                    _ => IDLE_POLL,
                }
            };
            let closed = tokio::select! {
                _ = tokio::time::sleep(wait) => false,
                _ = self.wake.notified() => {
                    hot_until = tokio::time::Instant::now() + HOT;
                    false
                }
                changed = shutdown.changed() => changed.is_err(),
            };
            if closed || *shutdown.borrow() {
                return;
            }
        }
    }
}

/// What became of a claimed delivery.
enum Attempt {
    /// Its subscription was deleted: dead, with no attempt made.
    Gone,
    /// POSTed: the receiver's status (if it answered), why not (if it did not), how long it took.
    Made {
        code: Option<i32>,
        error: Option<String>,
        ms: i64,
    },
}

/// An attempt's failure in words for the delivery log (no response body is ever kept).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "超时".into()
    } else if e.is_connect() {
        "无法连接".into()
    } else if e.is_redirect() {
        "接收方要求重定向（不跟随）".into()
    } else {
        "请求失败".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks reference libraries (standard-webhooks, test
    /// vectors): secret, message id, timestamp and payload, and the signature they publish.
    #[test]
    fn signs_the_standard_webhooks_test_vector() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let sig = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(
            sig.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn verification_catches_a_changed_body_id_time_or_secret() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let ts = 1614265330;
        let Some(sig) = sign(secret, id, ts, body) else {
            panic!("signs")
        };
        assert_eq!(verify(secret, id, ts, &sig, body, ts + 10, 300), Ok(()));
        // Several signatures (during a rotation): any matching one will do.
        let both = format!("v1,AAAA {sig}");
        assert_eq!(verify(secret, id, ts, &both, body, ts, 300), Ok(()));
        let tampered = r#"{"test": 2432232315}"#;
        assert_eq!(
            verify(secret, id, ts, &sig, tampered, ts, 300),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(secret, "msg_other", ts, &sig, body, ts, 300),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(secret, id, ts + 1, &sig, body, ts, 300),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(secret, id, ts, &sig, body, ts + 301, 300),
            Err(VerifyError::Stale)
        );
        let other = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        assert_eq!(
            verify(other, id, ts, &sig, body, ts, 300),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify("whsec_!!", id, ts, &sig, body, ts, 300),
            Err(VerifyError::BadSecret)
        );
    }

    #[test]
    fn secrets_differ_per_subscription_and_generation() {
        let k = crate::audit::AuditKey::from_secret(&[9u8; 32]);
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let s = secret_for(&k, a, 1);
        assert!(s.starts_with("whsec_"));
        assert_eq!(secret_bytes(&s).map(|v| v.len()), Some(32));
        assert_eq!(s, secret_for(&k, a, 1));
        assert_ne!(s, secret_for(&k, a, 2));
        assert_ne!(s, secret_for(&k, b, 1));
    }

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_six_hours() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), chrono::TimeDelta::seconds(30));
        assert_eq!(backoff(base, 2), chrono::TimeDelta::seconds(60));
        assert_eq!(backoff(base, 4), chrono::TimeDelta::seconds(240));
        // 30 s · 2^10 = 8.5 h, capped.
        assert_eq!(backoff(base, 11), chrono::TimeDelta::hours(6));
        assert_eq!(backoff(base, 500), chrono::TimeDelta::hours(6));
    }
}

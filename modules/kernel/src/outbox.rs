//! The event outbox (docs/architecture.md, "Events").
//!
//! [`publish_event`] inserts a typed event (a [`DomainEvent`] of the contracts crate) in the
//! caller's transaction, so an event exists exactly when the change that caused it was committed.
//! The [`Dispatcher`] delivers every event at least once to every handler subscribed to its topic,
//! then to live subscribers on the [`EventBus`]. A handler runs in its own transaction together
//! with the `event_delivery` row that records it, so a redelivery (after a crash, or by a second
//! instance) finds the row and skips the handler: handlers are idempotent by construction.
//! Undelivered events stay in the table and are picked up again after a restart.
//!
//! Modules write typed handlers ([`HandleEvent`]) and hand them to the dispatcher through
//! [`handler`], which decodes the payload into the contract type first: a payload that does not
//! decode, or that was published with a newer major version than the handler was built for, is
//! an error recorded on the event (and retried), never a panic or a misread.
//!
//! Under failure (issue #8 item 8): a pass first *claims* its batch for a lease
//! ([`LEASE`]; `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL), so two instances never run the
//! same delivery at once. A failed delivery is retried with exponential backoff ([`backoff`])
//! while the events behind it go on — no head-of-line blocking, at the price of ordering between
//! an event that failed and later ones — and after [`MAX_ATTEMPTS`] it is dead-lettered: kept,
//! listed for administrators (`deadLetterEvents`) and replayed by them (`replayDeadLetterEvent`).
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::DomainEvent;
use jianan_entity::{event_delivery, outbox_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement, sea_query::Expr,
};
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use crate::db::{Db, WriteTxn};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::principal::RequestInfo;

/// A domain event as handlers and subscribers see it: the envelope and the payload as JSON.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Uuid,
    pub seq: i64,
    /// `module.what_happened`, e.g. `inspections.enforcement_issued`.
    pub topic: String,
    /// Major version of the payload's contract when it was published.
    pub version: u32,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub payload: serde_json::Value,
    pub actor_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
}

impl From<outbox_event::Model> for Event {
    fn from(m: outbox_event::Model) -> Self {
        Event {
            id: m.id,
            seq: m.seq,
            topic: m.topic,
            version: u32::try_from(m.version).unwrap_or(0),
            aggregate_type: m.aggregate_type,
            aggregate_id: m.aggregate_id,
            payload: serde_json::from_str(&m.payload).unwrap_or(serde_json::Value::Null),
            actor_id: m.actor_id,
            occurred_at: m.occurred_at,
        }
    }
}

impl Event {
    /// The payload as contract `E`. Refused (with a message naming topic and versions) when the
    /// event is of another topic, was published with a newer major version than `E`, or does not
    /// decode.
    pub fn decode<E: DomainEvent>(&self) -> AppResult<E> {
        if self.topic != E::TOPIC {
            return Err(refusal(format!(
                "事件主题 {} 与处理者期望的 {} 不符",
                self.topic,
                E::TOPIC
            )));
        }
        if self.version > E::VERSION {
            return Err(refusal(format!(
                "事件 {} 的版本 v{} 高于处理者支持的 v{}，须先升级处理者",
                self.topic,
                self.version,
                E::VERSION
            )));
        }
        E::deserialize(&self.payload).map_err(|e| {
            refusal(format!(
                "事件 {} v{} 的内容无法按 v{} 解析：{e}",
                self.topic,
                self.version,
                E::VERSION
            ))
        })
    }
}

/// A refused payload. Not `AppError::internal`: the dispatcher records the message on the event
/// (`last_error`), where the operator needs the reason, and no client ever sees it.
fn refusal(message: String) -> AppError {
    AppError::new(ErrorCode::Internal, message)
}

/// Inserts `event` into the outbox inside the caller's transaction (topic, version, aggregate
/// and JSON payload from its contract). Returns the event id.
pub async fn publish_event<C: ConnectionTrait, E: DomainEvent>(
    txn: &C,
    who: &RequestInfo,
    event: &E,
) -> AppResult<Uuid> {
    let payload = serde_json::to_string(event).map_err(AppError::internal)?;
    let version = i32::try_from(E::VERSION).map_err(AppError::internal)?;
    let id = Uuid::now_v7();
    outbox_event::ActiveModel {
        seq: sea_orm::NotSet,
        id: Set(id),
        topic: Set(E::TOPIC.to_owned()),
        version: Set(version),
        aggregate_type: Set(event.aggregate_type().to_owned()),
        aggregate_id: Set(event.aggregate_id().to_string()),
        payload: Set(payload),
        actor_id: Set(who.principal.account_id),
        occurred_at: Set(Utc::now()),
        dispatched_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(None),
        claimed_until: Set(None),
        dead_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(id)
}

/// What the dispatcher calls for an event, whatever its type. Modules usually write a
/// [`HandleEvent`] and adapt it with [`handler`]. Must be idempotent with respect to its own
/// transaction: the dispatcher commits the handler's writes and its delivery record together.
/// The handler gets the dispatcher's [`WriteTxn`], so it writes audit records
/// ([`crate::audit::record`]) and publishes events exactly as a request's service does.
pub trait EventHandler: Send + Sync {
    /// Unique name, `module.handler`.
    fn name(&self) -> &'static str;
    /// Topics this handler receives.
    fn topics(&self) -> &'static [&'static str];
    fn handle<'a>(&'a self, txn: &'a WriteTxn, event: &'a Event) -> BoxFuture<'a, AppResult<()>>;
}

/// What a module does when another module publishes event `E`, given the decoded payload.
/// `event` is the envelope (id, actor, time); its `id` is the natural idempotency key.
pub trait HandleEvent<E: DomainEvent>: Send + Sync + 'static {
    /// Unique name, `module.handler`.
    fn name(&self) -> &'static str;
    fn handle<'a>(
        &'a self,
        txn: &'a WriteTxn,
        event: &'a Event,
        payload: E,
    ) -> BoxFuture<'a, AppResult<()>>;
}

/// Adapts a typed handler of `E` into the dispatcher's [`EventHandler`] (for
/// `Module::event_handlers`): it receives `E::TOPIC` and decodes each payload before handling.
pub fn handler<E: DomainEvent, H: HandleEvent<E>>(h: H) -> Arc<dyn EventHandler> {
    Arc::new(Typed {
        inner: h,
        event: PhantomData,
    })
}

struct Typed<E, H> {
    inner: H,
    event: PhantomData<fn() -> E>,
}

impl<E: DomainEvent, H: HandleEvent<E>> EventHandler for Typed<E, H> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn topics(&self) -> &'static [&'static str] {
        const { &[E::TOPIC] }
    }
    fn handle<'a>(&'a self, txn: &'a WriteTxn, event: &'a Event) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let payload = event.decode::<E>()?;
            self.inner.handle(txn, event, payload).await
        })
    }
}

/// Live fan-out of dispatched events to subscriptions in this process.
#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<Event>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl EventBus {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }
    fn send(&self, event: Arc<Event>) {
        // No receivers is fine: nobody is subscribed right now.
        let _ = self.tx.send(event);
    }
}

/// The PostgreSQL channel on which dispatched event ids are announced.
pub const PG_CHANNEL: &str = "jianan_events";

/// On PostgreSQL, feeds this instance's subscribers with every event any instance dispatched
/// (LISTEN on [`PG_CHANNEL`]); returns at once on SQLite, where the dispatcher feeds them itself.
pub async fn listen(db: Db, bus: EventBus, mut shutdown: watch::Receiver<bool>) {
    if db.backend() != DatabaseBackend::Postgres {
        return;
    }
    let pool = db.conn.get_postgres_connection_pool().clone();
    loop {
        let mut listener = match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "event listener cannot connect; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    _ = shutdown.changed() => return,
                }
            }
        };
        if let Err(e) = listener.listen(PG_CHANNEL).await {
            tracing::warn!(error = %e, "LISTEN failed; retrying");
            continue;
        }
        loop {
            tokio::select! {
                n = listener.recv() => {
                    let Ok(n) = n else { break };
                    let Ok(id) = Uuid::parse_str(n.payload()) else { continue };
                    let found = outbox_event::Entity::find().filter(outbox_event::Column::Id.eq(id)).one(&db.conn).await;
                    if let Ok(Some(m)) = found {
                        bus.send(Arc::new(Event::from(m)));
                    }
                }
                _ = shutdown.changed() => return,
            }
        }
    }
}

fn attempts_of(list: &[(Uuid, i32)], id: Uuid) -> i32 {
    list.iter().find(|(i, _)| *i == id).map_or(0, |(_, a)| *a)
}

/// Delivers outbox events; one per process.
pub struct Dispatcher {
    db: Db,
    poll: Duration,
    handlers: HashMap<String, Vec<Arc<dyn EventHandler>>>,
    bus: EventBus,
}

/// How many events one pass takes.
const BATCH: u64 = 200;
/// How long a pass holds its claim on a batch; a crashed instance's claims lapse after it.
pub const LEASE: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// Failed attempts after which an event is dead-lettered.
pub const MAX_ATTEMPTS: i32 = 10;

/// The wait before attempt `attempts + 1`, after `attempts` failed ones: 2, 4, 8 … seconds,
/// at most an hour (so the tenth attempt comes about 17 minutes after the first).
pub fn backoff(attempts: i32) -> chrono::TimeDelta {
    let exp = u32::try_from(attempts.clamp(1, 12)).unwrap_or(1);
    chrono::TimeDelta::seconds(Ord::min(2_i64.pow(exp), 3600))
}
/// Default poll interval when no commit wakes the dispatcher (events written by another instance).
pub const DEFAULT_POLL: Duration = Duration::from_millis(500);

impl Dispatcher {
    pub fn new(
        db: Db,
        handlers: Vec<Arc<dyn EventHandler>>,
        bus: EventBus,
        poll: Duration,
    ) -> Self {
        let mut by_topic: HashMap<String, Vec<Arc<dyn EventHandler>>> = HashMap::new();
        for h in handlers {
            for t in h.topics() {
                by_topic.entry((*t).to_owned()).or_default().push(h.clone());
            }
        }
        Dispatcher {
            db,
            poll,
            handlers: by_topic,
            bus,
        }
    }

    /// Claims the next batch of due events for [`LEASE`]: undispatched, not dead, not backing
    /// off, not claimed by another pass. On PostgreSQL rows another instance is claiming are
    /// skipped (`FOR UPDATE SKIP LOCKED`); on SQLite the writer lock serialises the claims.
    async fn claim(&self) -> AppResult<Vec<outbox_event::Model>> {
        use sea_orm::sea_query::{LockBehavior, LockType};
        let now = Utc::now();
        let w = self.db.begin_write().await?;
        let mut q = outbox_event::Entity::find()
            .filter(outbox_event::Column::DispatchedAt.is_null())
            .filter(outbox_event::Column::DeadAt.is_null())
            .filter(
                sea_orm::Condition::any()
                    .add(outbox_event::Column::NextAttemptAt.is_null())
                    .add(outbox_event::Column::NextAttemptAt.lte(now)),
            )
            .filter(
                sea_orm::Condition::any()
                    .add(outbox_event::Column::ClaimedUntil.is_null())
                    .add(outbox_event::Column::ClaimedUntil.lt(now)),
            )
            .order_by_asc(outbox_event::Column::Seq)
            .limit(BATCH);
        if self.db.backend() == DatabaseBackend::Postgres {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = q.all(&*w).await?;
        if !rows.is_empty() {
            outbox_event::Entity::update_many()
                .col_expr(outbox_event::Column::ClaimedUntil, Expr::value(now + LEASE))
                .filter(outbox_event::Column::Seq.is_in(rows.iter().map(|r| r.seq)))
                .exec(&*w)
                .await?;
        }
        w.commit_quietly().await?;
        Ok(rows)
    }

    /// Delivers pending events once; returns how many were completely dispatched.
    pub async fn run_once(&self) -> AppResult<usize> {
        let pending = self.claim().await?;
        let pending_attempts: Vec<(Uuid, i32)> =
            pending.iter().map(|m| (m.id, m.attempts)).collect();
        let mut done = 0;
        for model in pending {
            let event = Event::from(model);
            match self.deliver(&event).await {
                Ok(()) => {
                    // Every write goes through the writer lock (SQLite has one writer).
                    let w = self.db.begin_write().await?;
                    outbox_event::Entity::update_many()
                        .col_expr(outbox_event::Column::DispatchedAt, Expr::value(Utc::now()))
                        .col_expr(
                            outbox_event::Column::ClaimedUntil,
                            Expr::value(Option::<DateTime<Utc>>::None),
                        )
                        .filter(outbox_event::Column::Id.eq(event.id))
                        .exec(&*w)
                        .await?;
                    if self.db.backend() == DatabaseBackend::Postgres {
                        // Every instance's listener (this one's too) hears it after commit and
                        // feeds its own subscribers: subscriptions fan out across instances.
                        w.execute_raw(Statement::from_sql_and_values(
                            DatabaseBackend::Postgres,
                            "SELECT pg_notify($1, $2)",
                            [PG_CHANNEL.into(), event.id.to_string().into()],
                        ))
                        .await?;
                        w.commit_quietly().await?;
                    } else {
                        w.commit_quietly().await?;
                        self.bus.send(Arc::new(event));
                    }
                    done += 1;
                }
                Err(err) => {
                    let attempts = attempts_of(&pending_attempts, event.id) + 1;
                    let now = Utc::now();
                    let dead = attempts >= MAX_ATTEMPTS;
                    if dead {
                        tracing::error!(event = %event.id, topic = %event.topic, attempts, error = %err.message, "event handler keeps failing; dead-lettered");
                    } else {
                        tracing::warn!(event = %event.id, topic = %event.topic, attempts, error = %err.message, "event handler failed; will retry");
                    }
                    let w = self.db.begin_write().await?;
                    outbox_event::Entity::update_many()
                        .col_expr(outbox_event::Column::Attempts, Expr::value(attempts))
                        .col_expr(outbox_event::Column::LastError, Expr::value(err.message))
                        .col_expr(
                            outbox_event::Column::NextAttemptAt,
                            Expr::value(now + backoff(attempts)),
                        )
                        .col_expr(
                            outbox_event::Column::ClaimedUntil,
                            Expr::value(Option::<DateTime<Utc>>::None),
                        )
                        .col_expr(
                            outbox_event::Column::DeadAt,
                            Expr::value(dead.then_some(now)),
                        )
                        .filter(outbox_event::Column::Id.eq(event.id))
                        .exec(&*w)
                        .await?;
                    w.commit_quietly().await?;
                }
            }
        }
        Ok(done)
    }

    async fn deliver(&self, event: &Event) -> AppResult<()> {
        let Some(handlers) = self.handlers.get(&event.topic) else {
            return Ok(());
        };
        for h in handlers {
            let already = event_delivery::Entity::find_by_id((event.id, h.name().to_owned()))
                .one(&self.db.conn)
                .await?;
            if already.is_some() {
                continue;
            }
            let w = self.db.begin_write().await?;
            h.handle(&w, event).await?;
            let insert = event_delivery::ActiveModel {
                event_id: Set(event.id),
                handler: Set(h.name().to_owned()),
                delivered_at: Set(Utc::now()),
            }
            .insert(&*w)
            .await;
            match insert {
                Ok(_) => w.commit_quietly().await?,
                // Another instance delivered it first: drop our copy of the handler's writes.
                Err(e) if crate::error::is_unique_violation(&e) => continue,
                Err(e) => return Err(AppError::from(e)),
            }
        }
        Ok(())
    }

    /// Runs until `shutdown` turns true: a pass after every commit, and at least every `poll`.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let wake = self.db.committed.clone();
        loop {
            if let Err(err) = self.run_once().await {
                tracing::warn!(error = %err.message, "outbox pass failed");
            }
            // A dropped sender (the server value is gone) means stop, as does `true`.
            let closed = tokio::select! {
                _ = wake.notified() => false,
                _ = tokio::time::sleep(self.poll) => false,
                changed = shutdown.changed() => changed.is_err(),
            };
            if closed || *shutdown.borrow() {
                // One last pass so accepted events go out before we stop.
                let _ = self.run_once().await;
                return;
            }
        }
    }
}

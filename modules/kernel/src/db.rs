//! Database connections: SQLite (embedded default) and PostgreSQL (production), one API.
//!
//! Writes go through [`Db::begin_write`]. On SQLite it serialises writers in-process (SQLite has
//! one writer at a time, and a deferred transaction that upgrades from read to write fails with
//! `SQLITE_BUSY` when another writer got there first — the mutex is this process's `BEGIN
//! IMMEDIATE`). After a commit it wakes the outbox dispatcher.
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, TransactionTrait,
};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

use crate::error::{AppError, AppResult};

/// Counts SQL statements, for `/metrics` and the N+1 tests.
#[derive(Debug, Default)]
pub struct SqlStats {
    statements: AtomicU64,
    failed: AtomicU64,
}

impl SqlStats {
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }
}

/// The platform's database handle.
#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    writer: Option<Arc<Mutex<()>>>,
    pub stats: Arc<SqlStats>,
    /// Signalled after every committed write so the outbox dispatcher runs at once.
    pub committed: Arc<Notify>,
    /// The key audit records written through this database are authenticated with
    /// (`crate::audit`); writes that audit fail without one.
    audit_key: Option<Arc<crate::audit::AuditKey>>,
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) with the pragmas and pool settings the
    /// platform relies on.
    pub async fn connect(url: &str, max_connections: u32) -> AppResult<Db> {
        Self::connect_with(url, max_connections, None).await
    }

    /// Connects; on PostgreSQL every pooled connection gets `statement_timeout` (a runaway
    /// statement is cancelled by the server and fails as an internal error).
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        statement_timeout: Option<Duration>,
    ) -> AppResult<Db> {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            // A ping on every acquire is a round trip per statement: only test idle connections.
            .test_before_acquire_if_idle_for(Duration::from_secs(30))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
        if let Some(t) = statement_timeout {
            let ms = t.as_millis().max(1);
            opts.map_sqlx_postgres_opts(move |o| {
                o.options([("statement_timeout", format!("{ms}"))])
            });
        }
        let mut conn = Database::connect(opts).await?;
        let stats = Arc::new(SqlStats::default());
        let counter = stats.clone();
        conn.set_metric_callback(move |info| {
            counter.statements.fetch_add(1, Ordering::Relaxed);
            if info.failed {
                counter.failed.fetch_add(1, Ordering::Relaxed);
            }
        });
        let writer = (conn.get_database_backend() == DatabaseBackend::Sqlite)
            .then(|| Arc::new(Mutex::new(())));
        Ok(Db {
            conn,
            writer,
            stats,
            committed: Arc::new(Notify::new()),
            audit_key: None,
        })
    }

    /// Sets the audit key (from the settings, kept outside the database).
    pub fn with_audit_key(mut self, key: crate::audit::AuditKey) -> Db {
        self.audit_key = Some(Arc::new(key));
        self
    }

    /// Records every statement with its values to `path` (the benchmark's SQL floor,
    /// [`crate::sql_capture`]); statements are still counted.
    pub fn with_sql_capture(mut self, path: &std::path::Path) -> AppResult<Db> {
        let capture = Arc::new(crate::sql_capture::SqlCapture::create(path).map_err(|e| {
            AppError::internal(format!("SQL capture file {}: {e}", path.display()))
        })?);
        let counter = self.stats.clone();
        self.conn.set_metric_callback(move |info| {
            counter.statements.fetch_add(1, Ordering::Relaxed);
            if info.failed {
                counter.failed.fetch_add(1, Ordering::Relaxed);
            }
            capture.record(info.statement, info.failed);
        });
        Ok(self)
    }

    /// The audit key, if configured.
    pub fn audit_key(&self) -> Option<&crate::audit::AuditKey> {
        self.audit_key.as_deref()
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// Begins a write transaction (see the module docs).
    pub async fn begin_write(&self) -> AppResult<WriteTxn> {
        let guard = match &self.writer {
            Some(m) => Some(m.clone().lock_owned().await),
            None => None,
        };
        let txn = self.conn.begin().await?;
        Ok(WriteTxn {
            txn,
            _guard: guard,
            committed: self.committed.clone(),
            audit_key: self.audit_key.clone(),
        })
    }

    /// `SELECT 1`, for readiness checks.
    pub async fn ping(&self) -> AppResult<()> {
        self.conn.execute_unprepared("SELECT 1").await?;
        Ok(())
    }
}

/// An open write transaction; dropped without [`WriteTxn::commit`] it rolls back.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
    committed: Arc<Notify>,
    audit_key: Option<Arc<crate::audit::AuditKey>>,
}

impl WriteTxn {
    /// The key this transaction's audit records are authenticated with.
    pub fn audit_key(&self) -> Option<&crate::audit::AuditKey> {
        self.audit_key.as_deref()
    }

    /// Commits without waking the outbox dispatcher (for the dispatcher's own bookkeeping).
    pub async fn commit_quietly(self) -> AppResult<()> {
        self.txn.commit().await?;
        Ok(())
    }

    pub async fn commit(self) -> AppResult<()> {
        self.txn.commit().await?;
        self.committed.notify_waiters();
        self.committed.notify_one();
        Ok(())
    }
}

impl Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// The PostgreSQL advisory-lock key of `name`: the first 8 bytes of its SHA-256, big-endian.
fn advisory_key(name: &str) -> i64 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(name.as_bytes());
    let mut key = [0u8; 8];
    key.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
    i64::from_be_bytes(key)
}

/// Serialises the transactions that take the same `name` until they end: on PostgreSQL a
/// transaction-scoped advisory lock keyed by `name` (a second taker waits for the first to commit
/// or roll back); on SQLite writes are serialised already. For allocations read-then-written in
/// one transaction, such as the next document number of the year.
pub async fn serialize_on(w: &WriteTxn, name: &str) -> AppResult<()> {
    if w.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    w.execute_raw(sea_orm::Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [advisory_key(name).into()],
    ))
    .await?;
    Ok(())
}

/// Cluster-wide mutual exclusion for scheduled work (docs/architecture.md: "scheduled jobs run once
/// cluster-wide"). On PostgreSQL it holds a transaction-scoped advisory lock keyed by `name`
/// while `work` runs, and skips the run when another instance holds it; SQLite has one process,
/// so the work simply runs. Returns whether it ran.
pub async fn run_exclusive<F, Fut>(db: &Db, name: &str, work: F) -> AppResult<bool>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    if db.backend() != DatabaseBackend::Postgres {
        work().await?;
        return Ok(true);
    }
    let txn = db.conn.begin().await?;
    let row = txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock($1) AS got",
            [advisory_key(name).into()],
        ))
        .await?;
    let got = row
        .and_then(|r| r.try_get::<bool>("", "got").ok())
        .unwrap_or(false);
    if !got {
        return Ok(false);
    }
    let result = work().await;
    txn.commit().await?;
    result.map(|_| true)
}

/// PostgreSQL: grants the serving role (the user of `serving`) what the platform needs on every
/// table of the schema the owner migrated — read and write — except that audit records can only
/// be read and appended: UPDATE, DELETE and TRUNCATE on `audit_log` are revoked
/// (docs/security.md, "Audit"). Run by the owner after migrations; does nothing when both
/// connections are the same role (the owner keeps its rights over its own tables).
pub async fn grant_serving_role(owner: &Db, serving: &DatabaseConnection) -> AppResult<()> {
    if owner.backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let name_of = |row: Option<sea_orm::QueryResult>| -> AppResult<String> {
        row.and_then(|r| r.try_get_by_index::<String>(0).ok())
            .ok_or_else(|| AppError::internal("current_user returned nothing"))
    };
    let ask = |sql: &'static str| sea_orm::Statement::from_string(DatabaseBackend::Postgres, sql);
    let role = name_of(
        serving
            .query_one_raw(ask("SELECT current_user::text"))
            .await?,
    )?;
    let owner_role = name_of(
        owner
            .conn
            .query_one_raw(ask("SELECT current_user::text"))
            .await?,
    )?;
    let schema = name_of(
        owner
            .conn
            .query_one_raw(ask("SELECT current_schema()::text"))
            .await?,
    )?;
    if role == owner_role {
        tracing::warn!(
            role,
            "database_migrate_url names the serving role itself: audit records stay writable by it"
        );
        return Ok(());
    }
    let ident = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let (quoted, schema) = (ident(&role), ident(&schema));
    let statements = [
        format!("GRANT USAGE ON SCHEMA {schema} TO {quoted}"),
        format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}"
        ),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"),
        format!("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {quoted}"),
    ];
    for sql in statements {
        owner.conn.execute_unprepared(&sql).await?;
    }
    Ok(())
}

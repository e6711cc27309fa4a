//! The application lifecycle: boot (data directory, database, migrations, secret, kernel,
//! schema), serve, background workers (outbox dispatcher, scheduled jobs) and graceful shutdown.
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use jianan_kernel::Kernel;
use jianan_kernel::attachments::{AttachmentStore, UploadLimits};
use jianan_kernel::audit::AuditKey;
use jianan_kernel::db::Db;
use jianan_kernel::module::Module;
use jianan_kernel::outbox::{Dispatcher, EventBus};
use jianan_kernel::principal::PermissionTable;
use jianan_kernel::settings;
use jianan_kernel::tokens::TokenKeys;
use jianan_kernel::webhooks::WebhookSettings;
use jianan_migration::{Migrator, MigratorTrait};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::http::{AppState, HttpMetrics, router};
use crate::schema::{self, Limits};

pub use crate::schema::modules;

/// A start-up failure, in words for the operator.
#[derive(Debug)]
pub struct BootError(pub String);

impl std::fmt::Display for BootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<jianan_kernel::AppError> for BootError {
    fn from(e: jianan_kernel::AppError) -> Self {
        BootError(e.message)
    }
}

fn boot_err(what: &str) -> impl Fn(sea_orm::DbErr) -> BootError + '_ {
    move |e| BootError(format!("{what}: {e}"))
}

/// How often ended obligation periods are closed.
const OBLIGATION_SCAN: std::time::Duration = std::time::Duration::from_secs(300);
/// Delay before the first closing pass after start-up.
const OBLIGATION_START_DELAY: std::time::Duration = std::time::Duration::from_secs(60);

/// How often objects no attachment refers to are looked for (the first pass one period after
/// start).
const ORPHAN_SWEEP: std::time::Duration = std::time::Duration::from_secs(3600);

/// Name of the generated JWT secret file in the data directory.
pub const SECRET_FILE: &str = "jwt-secret";
/// Name of the generated audit key file in the data directory.
pub const AUDIT_KEY_FILE: &str = "audit-key";

/// The JWT signing secret: configured, or (development only) generated once into the data
/// directory so tokens survive restarts.
pub fn jwt_secret(config: &Config) -> Result<Vec<u8>, BootError> {
    secret_or_generated(
        config,
        config.jwt_secret.as_ref(),
        SECRET_FILE,
        "JWT 密钥（JIANAN_JWT_SECRET 或 jianan.toml 的 jwt_secret）",
    )
}

/// The audit key (docs/security.md, "Audit"): configured, or (development only) generated once
/// into the data directory. It must stay the same for the life of the database: the records
/// are keyed with it.
pub fn audit_key(config: &Config) -> Result<AuditKey, BootError> {
    secret_or_generated(
        config,
        config.audit_key.as_ref(),
        AUDIT_KEY_FILE,
        "审计密钥（JIANAN_AUDIT_KEY 或 jianan.toml 的 audit_key）",
    )
    .map(|s| AuditKey::from_secret(&s))
}

/// A secret of at least 32 characters: the configured one, else in development mode one
/// generated into `file` in the data directory; production refuses to go without.
fn secret_or_generated(
    config: &Config,
    configured: Option<&crate::config::Secret>,
    file: &str,
    what: &str,
) -> Result<Vec<u8>, BootError> {
    if let Some(s) = configured {
        if s.0.len() < 32 {
            return Err(BootError(format!("{what}至少需要32个字符")));
        }
        return Ok(s.0.as_bytes().to_vec());
    }
    if config.is_production() {
        return Err(BootError(format!("生产模式必须配置{what}")));
    }
    let path = config.data_dir.join(file);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(existing.into_bytes());
        }
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        BootError(format!(
            "无法创建数据目录 {}: {e}",
            config.data_dir.display()
        ))
    })?;
    let mut raw = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
    let secret = hex::encode(raw);
    write_private(&path, &secret)
        .map_err(|e| BootError(format!("无法写入 {}: {e}", path.display())))?;
    tracing::info!(path = %path.display(), "generated {file}");
    Ok(secret.into_bytes())
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(content.as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, content)
    }
}

/// Connects the serving pool: on PostgreSQL every connection carries `db_statement_timeout_ms`.
pub async fn connect(config: &Config) -> Result<Db, BootError> {
    let statement_timeout = (config.db_statement_timeout_ms > 0)
        .then(|| std::time::Duration::from_millis(config.db_statement_timeout_ms));
    open(config, statement_timeout).await
}

/// Connects without a statement timeout, for migrations and the operator's commands: a
/// migration may rewrite a large table, and must not be cancelled halfway by a limit meant for
/// requests.
pub async fn connect_unbounded(config: &Config) -> Result<Db, BootError> {
    open(config, None).await
}

async fn open(
    config: &Config,
    statement_timeout: Option<std::time::Duration>,
) -> Result<Db, BootError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        BootError(format!(
            "无法创建数据目录 {}: {e}",
            config.data_dir.display()
        ))
    })?;
    let key = audit_key(config)?;
    let db = Db::connect_with(
        &config.database_url,
        config.db_max_connections,
        statement_timeout,
    )
    .await
    .map_err(|e| BootError(format!("无法连接数据库: {}", e.message)))?;
    let db = match &config.sql_capture_file {
        Some(path) => db
            .with_sql_capture(path)
            .map_err(|e| BootError(format!("无法打开SQL记录文件: {}", e.message)))?,
        None => db,
    };
    Ok(db.with_audit_key(key))
}

/// Applies pending migrations. With `database_migrate_url` (PostgreSQL), they run as that owner
/// role, and the serving role (`database_url`'s user) is then granted what it needs and no
/// more: it cannot UPDATE, DELETE or TRUNCATE audit records (docs/security.md).
pub async fn migrate(config: &Config, serving: &Db) -> Result<(), BootError> {
    let Some(owner_url) = &config.database_migrate_url else {
        return Migrator::up(&serving.conn, None)
            .await
            .map_err(boot_err("数据库迁移失败"));
    };
    let owner = Db::connect_with(&owner_url.0, 2, None)
        .await
        .map_err(|e| BootError(format!("无法以迁移账号连接数据库: {}", e.message)))?;
    Migrator::up(&owner.conn, None)
        .await
        .map_err(boot_err("数据库迁移失败"))?;
    jianan_kernel::db::grant_serving_role(&owner, &serving.conn)
        .await
        .map_err(|e| BootError(format!("无法为服务账号授权: {}", e.message)))?;
    let _ = owner.conn.close().await;
    Ok(())
}

/// The modules of this build, each configured from its section of the settings file.
pub fn configured_modules(config: &Config) -> Result<Vec<Arc<dyn Module>>, BootError> {
    let file = config.settings_file.as_ref();
    let mut mods = modules();
    let names: Vec<&str> = mods.iter().map(|m| m.name()).collect();
    settings::check_known(file, &names).map_err(BootError)?;
    for m in &mut mods {
        let name = m.name();
        m.configure(&settings::Section::new(name, file).in_production(config.is_production()))
            .map_err(BootError)?;
    }
    Ok(mods.into_iter().map(Arc::from).collect())
}

/// Builds the kernel over a migrated database.
pub async fn kernel(config: &Config, db: Db) -> Result<Arc<Kernel>, BootError> {
    let mods = configured_modules(config)?;
    let permissions = Arc::new(
        PermissionTable::new(mods.iter().flat_map(|m| m.permissions()))
            .with_role_scopes(mods.iter().flat_map(|m| m.role_scopes())),
    );
    let secret = jwt_secret(config)?;
    let calendar = jianan_kernel::calendar_api::load(&db.conn).await?;
    let attachments = AttachmentStore::open(
        &config.object_store,
        UploadLimits {
            max_bytes: config.upload_max_bytes,
            max_files: config.upload_max_files,
        },
    )?
    .with_owners(mods.iter().flat_map(|m| m.attachment_owners()).collect());
    Ok(Arc::new(Kernel {
        db,
        tokens: TokenKeys::new(&secret, permissions),
        bus: EventBus::default(),
        attachments,
        calendar: std::sync::RwLock::new(calendar),
        development: !config.is_production(),
        obligations: mods.iter().flat_map(|m| m.obligations()).collect(),
        webhook_topics: mods.iter().flat_map(|m| m.webhook_topics()).collect(),
        webhooks: WebhookSettings {
            max_attempts: i32::try_from(config.webhook_max_attempts.max(1)).unwrap_or(i32::MAX),
            retry_base: std::time::Duration::from_millis(config.webhook_retry_base_ms.max(1)),
            timeout: std::time::Duration::from_millis(config.webhook_timeout_ms.max(100)),
            allow_http: config.webhook_allow_http,
            poll: std::time::Duration::from_millis(config.outbox_poll_ms.max(10)),
        },
        modules: mods,
    }))
}

/// Loads every module's demo data (refused in production mode).
pub async fn seed_demo(config: &Config, k: &Kernel) -> Result<(), BootError> {
    if config.is_production() {
        return Err(BootError("生产模式不能加载演示数据".into()));
    }
    for m in &k.modules {
        m.seed_demo(k).await?;
    }
    Ok(())
}

/// What `seed --scale N` did: nothing (the database already had a district), or the rows it
/// wrote per table and how long it took.
pub enum ScaleSeeded {
    AlreadyThere,
    Loaded {
        tables: Vec<(&'static str, u64)>,
        took: std::time::Duration,
    },
}

/// Loads the demo district at `volume` (`seed --scale N`, refused in production mode): every
/// module's demo data (the registry's at `volume.copies` copies), then every module's bulk volume
/// in module-list order, then `ANALYZE` so the planner sees the new sizes at once. Loads nothing
/// when the database already holds a district.
pub async fn seed_scale(
    config: &Config,
    k: &Kernel,
    volume: &jianan_kernel::volume::Volume,
) -> Result<ScaleSeeded, BootError> {
    if config.is_production() {
        return Err(BootError("生产模式不能加载演示数据".into()));
    }
    if jianan_registry::demo::seeded(k).await? {
        return Ok(ScaleSeeded::AlreadyThere);
    }
    let started = std::time::Instant::now();
    for m in &k.modules {
        m.seed_demo_at(k, volume).await?;
    }
    let mut tables = Vec::new();
    for m in &k.modules {
        let t = std::time::Instant::now();
        let loaded = m.seed_volume(k, volume).await?;
        if !loaded.is_empty() {
            tracing::info!(
                module = m.name(),
                seconds = t.elapsed().as_secs_f64(),
                "volume loaded"
            );
        }
        tables.extend(loaded);
    }
    sea_orm::ConnectionTrait::execute_unprepared(&k.db.conn, "ANALYZE")
        .await
        .map_err(boot_err("ANALYZE"))?;
    Ok(ScaleSeeded::Loaded {
        tables,
        took: started.elapsed(),
    })
}

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    pub kernel: Arc<Kernel>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Server {
    /// Signals shutdown and waits for the HTTP server and the workers to stop.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }

    /// Waits until the server stops (on SIGINT/SIGTERM when started by `serve`).
    pub async fn wait(self) {
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Boots and starts serving; `demo` loads the demo district first.
pub async fn start(config: Config, demo: bool) -> Result<Server, BootError> {
    config.check_serve().map_err(BootError)?;
    // Migrations run without the statement timeout (see `connect_unbounded`); the serving pool
    // has it where it applies.
    let unbounded = connect_unbounded(&config).await?;
    migrate(&config, &unbounded).await?;
    let bounded = config.database_url.starts_with("postgres") && config.db_statement_timeout_ms > 0;
    let db = if bounded {
        let _ = unbounded.conn.close().await;
        connect(&config).await?
    } else {
        unbounded
    };
    let k = kernel(&config, db).await?;
    if demo {
        seed_demo(&config, &k).await?;
    }
    let schema = schema::build(
        Some(k.clone()),
        Limits {
            depth: config.max_query_depth,
            complexity: config.max_query_complexity,
            introspection: !config.is_production(),
        },
    );
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| BootError(format!("无法监听 {}: {e}", config.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| BootError(e.to_string()))?;
    let (tx, rx) = watch::channel(false);
    let state_poll = config.outbox_poll_ms.max(10);
    let state_anchor_hours = config.audit_anchor_hours;
    let anchor_dir = config.audit_anchor_dir.clone();
    let upload_concurrency = config.upload_concurrency.max(1);
    let orphan_grace_hours = config.attachment_orphan_grace_hours;
    std::fs::create_dir_all(config.upload_tmp_dir()).map_err(|e| {
        BootError(format!(
            "无法创建上传临时目录 {}: {e}",
            config.upload_tmp_dir().display()
        ))
    })?;
    let state = AppState {
        kernel: k.clone(),
        schema,
        config: Arc::new(config),
        metrics: Arc::new(HttpMetrics::default()),
        started: Instant::now(),
        uploads: Arc::new(tokio::sync::Semaphore::new(upload_concurrency)),
    };
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let mut http_rx = rx.clone();
    let http = tokio::spawn(async move {
        let shutdown = async move {
            let _ = http_rx.wait_for(|stop| *stop).await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!(error = %e, "HTTP server failed");
        }
    });
    let mods = &k.modules;
    let mut handlers: Vec<_> = mods.iter().flat_map(|m| m.event_handlers()).collect();
    let webhook_wake = jianan_kernel::webhooks::Wake::default();
    if !k.webhook_topics.is_empty() {
        handlers.push(jianan_kernel::webhooks::enqueuer(
            k.webhook_topics.clone(),
            Arc::new(k.tokens.permissions().clone()),
            webhook_wake.clone(),
        ));
    }
    let dispatcher = Dispatcher::new(
        k.db.clone(),
        handlers,
        k.bus.clone(),
        std::time::Duration::from_millis(state_poll),
    );
    let outbox = tokio::spawn(dispatcher.run(rx.clone()));
    // On PostgreSQL, subscriptions hear events dispatched by any instance (LISTEN/NOTIFY).
    let listener = tokio::spawn(jianan_kernel::outbox::listen(
        k.db.clone(),
        k.bus.clone(),
        rx.clone(),
    ));
    let mut tasks = vec![http, outbox, listener];
    // Webhook deliveries to partner systems, signed, retried and logged (when a module offers
    // topics to subscribe to).
    if !k.webhook_topics.is_empty() {
        let sender =
            jianan_kernel::webhooks::Sender::new(k.db.clone(), k.webhooks.clone(), webhook_wake)?;
        tasks.push(tokio::spawn(sender.run(rx.clone())));
    }
    for job in mods.iter().flat_map(|m| m.jobs()) {
        let k = k.clone();
        let mut rx = rx.clone();
        tasks.push(tokio::spawn(async move {
            // First run one period after start, then every period.
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + job.every(), job.every());
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let run = jianan_kernel::db::run_exclusive(&k.db, job.name(), || job.run(&k)).await;
                        if let Err(e) = run {
                            tracing::warn!(job = job.name(), error = %e.message, "scheduled job failed");
                        }
                    }
                    _ = rx.changed() => return,
                }
            }
        }));
    }
    // The obligation engine closes ended periods every five minutes, starting a minute after boot.
    {
        let k = k.clone();
        let mut rx = rx.clone();
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + OBLIGATION_START_DELAY, OBLIGATION_SCAN);
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        if let Err(e) = jianan_kernel::db::run_exclusive(&k.db, "kernel.obligations_close", || async {
                            jianan_kernel::obligations::close_due(&k, &k.obligations, chrono::Utc::now()).await.map(|_| ())
                        }).await {
                            tracing::warn!(error = %e.message, "closing obligation periods failed");
                        }
                    }
                    _ = rx.changed() => return,
                }
            }
        }));
    }
    // Objects no attachment refers to (left by uploads whose transaction failed), deleted once
    // older than the grace period (docs/architecture.md, "Attachments").
    {
        let k = k.clone();
        let mut rx = rx.clone();
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + ORPHAN_SWEEP, ORPHAN_SWEEP);
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let run = jianan_kernel::db::run_exclusive(&k.db, "kernel.attachment_orphans", || async {
                            let cutoff = jianan_kernel::attachments::orphan_cutoff(orphan_grace_hours);
                            k.attachments.sweep_orphans(&k.db.conn, cutoff).await.map(|_| ())
                        }).await;
                        if let Err(e) = run {
                            tracing::warn!(error = %e.message, "sweeping orphaned attachment objects failed");
                        }
                    }
                    _ = rx.changed() => return,
                }
            }
        }));
    }
    // Signed anchors of the audit chain, written outside the database every few hours.
    if state_anchor_hours > 0 {
        let k = k.clone();
        let mut rx = rx.clone();
        let dir = anchor_dir;
        let every = std::time::Duration::from_secs(state_anchor_hours.saturating_mul(3600));
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let run = jianan_kernel::db::run_exclusive(&k.db, "kernel.audit_anchor", || async {
                            write_anchor(&k.db, &dir).await.map(|_| ())
                        }).await;
                        if let Err(e) = run {
                            tracing::warn!(error = %e.message, "writing an audit anchor failed");
                        }
                    }
                    _ = rx.changed() => return,
                }
            }
        }));
    }
    Ok(Server {
        addr,
        kernel: k,
        shutdown: tx,
        tasks,
    })
}

/// Takes a signed anchor of the audit chain's head and writes it into `dir`; returns its path.
pub async fn write_anchor(
    db: &Db,
    dir: &Path,
) -> Result<(std::path::PathBuf, jianan_kernel::audit::Anchor), jianan_kernel::AppError> {
    let key = db
        .audit_key()
        .ok_or_else(|| jianan_kernel::AppError::internal("the audit key is not configured"))?;
    let anchor = jianan_kernel::audit::take_anchor(&db.conn, key).await?;
    let path = jianan_kernel::audit::write_anchor(dir, &anchor)?;
    tracing::info!(path = %path.display(), seq = anchor.seq, "audit anchor written");
    Ok((path, anchor))
}

/// Resolves when the process receives Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

impl Server {
    /// Serves until a shutdown signal, then stops gracefully.
    pub async fn run_until_signal(self) {
        shutdown_signal().await;
        tracing::info!("shutting down");
        self.stop().await;
    }
}

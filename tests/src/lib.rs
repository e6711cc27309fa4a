//! Test layers for the platform.
//!
//! - [`TestApp`]: starts the real server on an ephemeral port against a fresh database and talks
//!   HTTP to it (end-to-end tests, `tests/tests/*.rs`).
//! - [`harness::Harness`]: the same kernel on a fresh database without HTTP, with a small world
//!   of records and one [`RequestInfo`](jianan_kernel::principal::RequestInfo) per role, so
//!   services and kernel APIs are tested directly.
//! - [`fixtures::Fixture`]: a project with its participants and one logged-in account per role,
//!   created over the GraphQL API of a [`TestApp`].
//!
//! The database is SQLite in a temporary directory, or — when `JIANAN_TEST_POSTGRES_URL` names a
//! PostgreSQL server (CI sets it) — a new PostgreSQL database per test ([`fresh_database_url`]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod calls;
pub mod fixtures;
pub mod harness;

/// SQL that moves the start of every open history span (project statuses, account roles) back to
/// 1 January 2026, as if the records had been in their states all year: obligations are owed
/// only for the time a record owed them, and fixtures are created "now".
pub const BACKDATE_HISTORY: &str =
    "UPDATE state_span SET from_at = '2025-12-31 16:00:00+00:00' WHERE until_at IS NULL";

/// Uploads a site photo to the hazard `id` as the holder of `token` (photos come before the
/// rectification step that cites them).
pub async fn add_photo(app: &TestApp, token: &str, id: &str) -> String {
    let (status, body) = app.upload(token, id, png(64)).await;
    assert_eq!(status, 200, "{body}");
    body["data"]["uploadAttachment"]["attachment"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("photo upload: {body}"))
        .to_owned()
}

/// The IDs of the photos of hazard `id`, as the holder of `token` sees them (none if they do
/// not see the hazard).
pub async fn photos_of(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let body = app
        .gql(
            Some(token),
            "query($id: ID!) { node(id: $id) { ... on Hazard { photos { id } } } }",
            serde_json::json!({ "id": id }),
        )
        .await;
    body["data"]["node"]["photos"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A moment a little before now that is still *today* in Shanghai, for records that must fall in
/// the current day, week and month: an hour ago, or the start of today if that was later. "An
/// hour ago" alone fails between 00:00 and 01:00 Shanghai time (16:00–17:00 UTC), when it lands in
/// yesterday — or last month.
pub fn recently() -> chrono::DateTime<chrono::Utc> {
    let today = jianan_kernel::calendar::local_midnight_utc(jianan_kernel::calendar::today());
    (chrono::Utc::now() - chrono::Duration::hours(1)).max(today)
}

use std::path::PathBuf;

use jianan_api::Server;
use jianan_api::config::{Config, FileConfig, Overrides};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use uuid::Uuid;

/// Environment variable naming a PostgreSQL server for the database tests.
pub const POSTGRES_ENV: &str = "JIANAN_TEST_POSTGRES_URL";

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "jianan-demo";

/// Knobs a test may turn before starting.
#[derive(Default, Clone)]
pub struct Options {
    /// Skip the demo district.
    pub empty: bool,
    /// Upload size limit in bytes.
    pub upload_max_bytes: Option<u64>,
    /// Outbox poll interval in ms (tests that count statements set it high so the background
    /// poller stays quiet).
    pub outbox_poll_ms: Option<u64>,
    /// CORS allow-list.
    pub cors_origins: Option<Vec<String>>,
    /// A `jianan.toml` to start from (top-level keys and `[modules.<name>]` sections); the
    /// options above and the test's listen address, data directory and database win over it.
    pub settings: Option<String>,
}

/// A running server and a client for it.
pub struct TestApp {
    pub server: Option<Server>,
    pub base: String,
    pub client: reqwest::Client,
    pub data_dir: PathBuf,
    pub database_url: String,
    _tmp: tempfile::TempDir,
}

/// Drops the triggers that keep `audit_log` append-only — what someone with the database's owner
/// rights can do, and what the audit key and the anchors are there to catch.
pub async fn lift_audit_guard(db: &impl ConnectionTrait) {
    let statements: &[&str] = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => &[
            "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
            "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
        ],
        _ => &[
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
        ],
    };
    for sql in statements {
        db.execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// A fresh, empty database for one test: a new PostgreSQL database on the server named by
/// [`POSTGRES_ENV`] when it is set, else an SQLite file in `dir`.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var(POSTGRES_ENV).ok().filter(|v| !v.is_empty()) {
        Some(admin) => {
            let name = format!("jianan_t_{}", uuid::Uuid::now_v7().simple());
            let conn = Database::connect(&admin)
                .await
                .expect("connect to PostgreSQL");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            conn.close().await.ok();
            let (base, _) = admin
                .rsplit_once('/')
                .expect("postgres URL with a database");
            format!("{base}/{name}")
        }
        None => format!("sqlite://{}?mode=rwc", dir.join("jianan.db").display()),
    }
}

impl TestApp {
    /// Starts a server with the demo district.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(o: Options) -> TestApp {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data_dir = tmp.path().join("data");
        let url = fresh_database_url(tmp.path()).await;
        let base: FileConfig = match &o.settings {
            Some(text) => toml::from_str(text).expect("test settings"),
            None => FileConfig::default(),
        };
        let file = FileConfig {
            upload_max_bytes: o.upload_max_bytes.or(base.upload_max_bytes),
            outbox_poll_ms: o.outbox_poll_ms.or(base.outbox_poll_ms),
            cors_origins: o.cors_origins.or(base.cors_origins),
            log_level: Some("warn".into()),
            ..base
        };
        let overrides = Overrides {
            listen: Some("127.0.0.1:0".into()),
            data_dir: Some(data_dir.clone()),
            database_url: Some(url.clone()),
        };
        let mut config = Config::from_layers(file, &overrides).expect("config");
        config.settings_file = o
            .settings
            .map(|text| jianan_kernel::settings::SettingsFile::new("test.toml", text));
        // The registry's demo district only: each test builds the inspections data it asserts on.
        let server = jianan_api::start(config, false)
            .await
            .expect("server starts");
        if !o.empty {
            jianan_registry::demo::seed(&server.kernel)
                .await
                .expect("demo registry");
        }
        let base = format!("http://{}", server.addr);
        TestApp {
            server: Some(server),
            base,
            // A server that stops answering fails the test instead of hanging the run.
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(120))
                .build()
                .expect("http client"),
            data_dir,
            database_url: url,
            _tmp: tmp,
        }
    }

    pub fn server(&self) -> &Server {
        self.server.as_ref().expect("server running")
    }

    /// Stops the server gracefully.
    pub async fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await;
        }
    }

    /// POSTs a GraphQL operation as `application/json`; returns the HTTP status and the body.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// POSTs and returns the body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.post(token, query, variables).await.1
    }

    /// POSTs and returns `data`, failing the test on any error.
    pub async fn data(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Logs a demo account in; returns (access token, refresh token).
    pub async fn login_pair(&self, username: &str) -> (String, String) {
        let d = self
            .data(
                None,
                "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken refreshToken } }",
                json!({ "u": username, "p": DEMO_PASSWORD }),
            )
            .await;
        (
            d["login"]["accessToken"]
                .as_str()
                .expect("access token")
                .to_owned(),
            d["login"]["refreshToken"]
                .as_str()
                .expect("refresh token")
                .to_owned(),
        )
    }

    /// Logs a demo account in; returns the access token.
    pub async fn login(&self, username: &str) -> String {
        self.login_pair(username).await.0
    }

    /// The value of a counter in `/metrics`.
    pub async fn metric(&self, name: &str) -> u64 {
        let text = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|rest| rest.trim().parse::<f64>().ok())
            })
            .map(|v| v as u64)
            .unwrap_or_else(|| panic!("metric {name} missing"))
    }

    /// Waits until the outbox dispatcher has delivered every event (at most 20 s), so that a
    /// statement count that follows measures the request alone.
    pub async fn settle(&self) {
        for _ in 0..200 {
            if self.pending_events().await == 0 {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Events in the outbox not yet dispatched.
    pub async fn pending_events(&self) -> i64 {
        self.scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE dispatched_at IS NULL AND dead_at IS NULL")
            .await
    }

    /// A direct database connection (for assertions on what was written, and for tampering).
    pub async fn db(&self) -> sea_orm::DatabaseConnection {
        Database::connect(&self.database_url)
            .await
            .expect("connect")
    }

    /// `SELECT COUNT(*) FROM table`.
    pub async fn count(&self, table: &str) -> i64 {
        count(&self.db().await, table).await
    }

    /// The integer column `n` of the one row `sql` returns.
    pub async fn scalar(&self, sql: &str) -> i64 {
        scalar(&self.db().await, sql).await
    }

    /// Runs a statement directly on the database (tampering, time travel).
    pub async fn exec(&self, sql: &str) {
        self.db()
            .await
            .execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Runs `sql` as a database-level attacker would: first removing the triggers that keep
    /// `audit_log` append-only (tests of tamper detection).
    pub async fn tamper(&self, sql: &str) {
        let db = self.db().await;
        lift_audit_guard(&db).await;
        db.execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The configuration of another instance on this app's database and data directory (so the
    /// same JWT secret), listening on an ephemeral port.
    pub fn config(&self) -> Config {
        Config::from_layers(
            FileConfig::default(),
            &Overrides {
                listen: Some("127.0.0.1:0".into()),
                data_dir: Some(self.data_dir.clone()),
                database_url: Some(self.database_url.clone()),
            },
        )
        .expect("config")
    }

    /// Runs the `jianan` command line against this app's database and data directory, as an
    /// operator would; returns the exit code.
    pub async fn cli(&self, args: &[&str]) -> i32 {
        // The command sets up logging for the process: keep it as quiet as the test server.
        let file = self._tmp.path().join("cli.toml");
        std::fs::write(&file, "log_level = \"warn\"\n").expect("write cli.toml");
        let file = file.to_str().expect("UTF-8 temp dir");
        let data_dir = self.data_dir.to_str().expect("UTF-8 data dir");
        let argv = [
            "jianan",
            "--config",
            file,
            "--database-url",
            &self.database_url,
            "--data-dir",
            data_dir,
        ]
        .into_iter()
        .chain(args.iter().copied());
        let cli = <jianan_api::cli::Cli as clap::Parser>::parse_from(argv);
        jianan_api::cli::run(cli).await.expect("command runs")
    }

    /// Creates an administrator with the operator's command (`jianan account create`) and logs
    /// it in: how an installation without demo data gets its first account.
    pub async fn bootstrap_admin(&self, username: &str, password: &str) -> String {
        let code = self
            .cli(&[
                "account",
                "create",
                "--username",
                username,
                "--password",
                password,
                "--role",
                "ADMIN",
            ])
            .await;
        assert_eq!(code, 0, "account create");
        let d = self
            .data(
                None,
                "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken } }",
                json!({ "u": username, "p": password }),
            )
            .await;
        d["login"]["accessToken"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    /// Uploads `bytes` as an image attachment of record `owner` (GraphQL multipart request);
    /// returns the HTTP status and the body.
    pub async fn upload(&self, token: &str, owner: &str, bytes: Vec<u8>) -> (u16, Value) {
        self.upload_named(token, owner, bytes, "site.png", "image/png")
            .await
    }

    /// `uploadAttachment` of `bytes` named `file_name` with type `mime` (an empty token: none).
    pub async fn upload_named(
        &self,
        token: &str,
        owner: &str,
        bytes: Vec<u8>,
        file_name: &str,
        mime: &str,
    ) -> (u16, Value) {
        let operations = json!({
            "query": "mutation($file: Upload!, $owner: ID!) { uploadAttachment(input: {ownerId: $owner, file: $file}) { attachment { id url sizeBytes mediaType sha256 } } }",
            "variables": { "file": null, "owner": owner },
        });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.file"] }).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name(file_name.to_owned())
                    .mime_str(mime)
                    .unwrap(),
            );
        let mut req = self.client.post(format!("{}/graphql", self.base));
        if !token.is_empty() {
            req = req.bearer_auth(token);
        }
        let res = req.multipart(form).send().await.expect("upload request");
        (
            res.status().as_u16(),
            res.json().await.unwrap_or(Value::Null),
        )
    }
}

impl Drop for TestApp {
    /// Stops the server before its temporary directory goes: a server dropped without `stop`
    /// keeps its workers polling a deleted database until the test's runtime ends.
    fn drop(&mut self) {
        let Some(server) = self.server.take() else {
            return;
        };
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
            return;
        }
        tokio::task::block_in_place(|| {
            handle.block_on(async {
                let _ =
                    tokio::time::timeout(std::time::Duration::from_secs(5), server.stop()).await;
            })
        });
    }
}

/// `SELECT COUNT(*) FROM table` on a connection.
pub async fn count(db: &impl ConnectionTrait, table: &str) -> i64 {
    scalar(db, &format!("SELECT COUNT(*) AS n FROM {table}")).await
}

/// The integer column `n` of the one row `sql` returns, on a connection.
pub async fn scalar(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get::<i64>("", "n")
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The record id inside a global ID.
pub fn uuid_of(global: &str) -> Uuid {
    jianan_kernel::relay::decode_any(&async_graphql::ID(global.into()))
        .unwrap_or_else(|| panic!("not a global ID: {global}"))
        .1
}

/// A valid unified social credit code: the 17 given characters and the check character
/// GB 32100 gives them.
pub fn valid_uscc(body17: &str) -> String {
    format!(
        "{body17}{}",
        jianan_registry::uscc::check_character(body17).expect("17 characters of the alphabet")
    )
}

/// A 1×1 PNG followed by `extra` bytes of padding.
pub fn png(extra: usize) -> Vec<u8> {
    let mut v =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    v.extend(std::iter::repeat_n(0u8, extra));
    v
}

/// The first error's `extensions.code`.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

/// The module settings a production-mode test server needs (production refuses to start without
/// the secrets that development derives, such as the rewards module's identity key).
pub fn production_settings() -> jianan_kernel::settings::SettingsFile {
    jianan_kernel::settings::SettingsFile::new(
        "production.toml",
        format!(
            "[modules.rewards]\nidentity_key = \"{}\"\n",
            "5e".repeat(32)
        ),
    )
}

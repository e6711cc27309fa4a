//! Configuration: defaults < `jianan.toml` < `JIANAN_*` environment variables < command-line
//! flags. Unknown keys in the file are rejected with their line; secrets are never printed.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use jianan_kernel::attachments::{S3Settings, StoreLocation};
use jianan_kernel::settings::SettingsFile;
use serde::Deserialize;

/// Development (demo conveniences, GraphiQL, introspection) or production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Development,
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One JSON object per line (default).
    #[default]
    Json,
    /// Human-readable lines.
    Pretty,
}

/// A secret that never shows in `Debug` output.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The effective configuration. Every field is documented in the README.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub mode: Mode,
    pub jwt_secret: Option<Secret>,
    pub cors_origins: Vec<String>,
    pub db_max_connections: u32,
    pub max_body_bytes: usize,
    pub upload_max_bytes: u64,
    pub upload_max_files: usize,
    /// Multipart uploads received at once; more are refused with RATE_LIMITED (default 8).
    pub upload_concurrency: usize,
    pub max_query_depth: usize,
    pub max_query_complexity: usize,
    pub max_batch: usize,
    pub log_format: LogFormat,
    pub log_level: String,
    pub outbox_poll_ms: u64,
    /// Proxies whose `X-Forwarded-For` is believed (addresses or CIDR blocks); empty: none, the
    /// client address is always the TCP peer.
    pub trusted_proxies: Vec<IpBlock>,
    /// Lets development mode listen on a non-loopback address (off: refused at start-up).
    pub allow_public_development: bool,
    /// When set, `/metrics` requires `Authorization: Bearer <token>`.
    pub metrics_token: Option<Secret>,
    /// Longest time one GraphQL operation may run, in milliseconds (0: no limit).
    pub request_timeout_ms: u64,
    /// How often an open WebSocket checks that its session still stands (token not expired,
    /// account not archived), in milliseconds.
    pub ws_session_check_ms: u64,
    /// Webhook attempts before a delivery is dead-lettered.
    pub webhook_max_attempts: u32,
    /// Wait after the first failed webhook attempt, doubled after each further one.
    pub webhook_retry_base_ms: u64,
    /// Longest a webhook attempt may take.
    pub webhook_timeout_ms: u64,
    /// Accept `http://` webhook URLs in production.
    pub webhook_allow_http: bool,
    /// PostgreSQL `statement_timeout` of every pooled connection, in milliseconds (0: none).
    pub db_statement_timeout_ms: u64,
    /// The secret the audit records are keyed with and the anchors signed with (≥ 32 characters;
    /// generated into the data directory in development mode).
    pub audit_key: Option<Secret>,
    /// Where signed anchors of the audit chain are written (default `<data_dir>/audit-anchors`).
    pub audit_anchor_dir: PathBuf,
    /// How often an anchor is written, in hours (0: only on demand).
    pub audit_anchor_hours: u64,
    /// PostgreSQL: the owner's URL, used for migrations; the serving connection (`database_url`)
    /// then gets only the privileges it needs (none to change audit records).
    pub database_migrate_url: Option<Secret>,
    /// Where attachment objects are stored (`object_store_url` and the `s3_*` settings).
    pub object_store: StoreLocation,
    /// Objects no attachment refers to are deleted by the hourly sweep once they are this many
    /// hours old.
    pub attachment_orphan_grace_hours: u64,
    /// The settings file as read, for the modules' sections `[modules.<name>]`.
    pub settings_file: Option<SettingsFile>,
    /// Every SQL statement with its values is appended to this file (the benchmark's SQL floor,
    /// docs/performance.md); development mode only, since the file holds real values.
    pub sql_capture_file: Option<PathBuf>,
}

/// `jianan.toml`: every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub mode: Option<Mode>,
    pub jwt_secret: Option<Secret>,
    pub cors_origins: Option<Vec<String>>,
    pub db_max_connections: Option<u32>,
    pub max_body_bytes: Option<usize>,
    pub upload_max_bytes: Option<u64>,
    pub upload_max_files: Option<usize>,
    pub upload_concurrency: Option<usize>,
    pub max_query_depth: Option<usize>,
    pub max_query_complexity: Option<usize>,
    pub max_batch: Option<usize>,
    pub log_format: Option<LogFormat>,
    pub log_level: Option<String>,
    pub outbox_poll_ms: Option<u64>,
    pub trusted_proxies: Option<Vec<String>>,
    pub allow_public_development: Option<bool>,
    pub metrics_token: Option<Secret>,
    pub request_timeout_ms: Option<u64>,
    pub ws_session_check_ms: Option<u64>,
    pub webhook_max_attempts: Option<u32>,
    pub webhook_retry_base_ms: Option<u64>,
    pub webhook_timeout_ms: Option<u64>,
    pub webhook_allow_http: Option<bool>,
    pub db_statement_timeout_ms: Option<u64>,
    pub audit_key: Option<Secret>,
    pub audit_anchor_dir: Option<PathBuf>,
    pub audit_anchor_hours: Option<u64>,
    pub database_migrate_url: Option<Secret>,
    pub object_store_url: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_region: Option<String>,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<Secret>,
    pub s3_allow_http: Option<bool>,
    pub attachment_orphan_grace_hours: Option<u64>,
    pub sql_capture_file: Option<PathBuf>,
    /// The modules' sections, each checked by its module at start (see
    /// `jianan_kernel::settings`).
    pub modules: Option<toml::Table>,
}

/// What the command line overrides.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &str, v: Option<String>) -> Result<Option<T>, String> {
    match v {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("{name} 的值无效：{s}")),
    }
}

impl Config {
    /// Loads the layers. `file` is `--config`, else `./jianan.toml` when it exists.
    pub fn load(file: Option<&Path>, o: &Overrides) -> Result<Config, String> {
        let path = file.map(Path::to_path_buf).or_else(|| {
            let p = PathBuf::from("jianan.toml");
            p.exists().then_some(p)
        });
        let (f, file): (FileConfig, _) = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| format!("无法读取配置文件 {}：{e}", p.display()))?;
                let f = toml::from_str(&text)
                    .map_err(|e| format!("配置文件 {} 有误：{e}", p.display()))?;
                (f, Some(SettingsFile::new(p, text)))
            }
            None => (FileConfig::default(), None),
        };
        let mut config = Self::from_layers(f, o)?;
        config.settings_file = file;
        Ok(config)
    }

    /// Merges a parsed file, the environment and the overrides over the defaults.
    pub fn from_layers(f: FileConfig, o: &Overrides) -> Result<Config, String> {
        let listen = o
            .listen
            .clone()
            .or_else(|| env("JIANAN_LISTEN"))
            .or(f.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listen: SocketAddr = listen
            .parse()
            .map_err(|_| format!("监听地址无效：{listen}"))?;
        let data_dir = o
            .data_dir
            .clone()
            .or_else(|| env("JIANAN_DATA_DIR").map(PathBuf::from))
            .or(f.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = o
            .database_url
            .clone()
            .or_else(|| env("JIANAN_DATABASE_URL"))
            .or(f.database_url)
            .unwrap_or_else(|| {
                format!("sqlite://{}?mode=rwc", data_dir.join("jianan.db").display())
            });
        let mode = match env("JIANAN_MODE").as_deref() {
            Some("production") => Mode::Production,
            Some("development") => Mode::Development,
            Some(other) => {
                return Err(format!(
                    "JIANAN_MODE 只能是 production 或 development：{other}"
                ));
            }
            None => f.mode.unwrap_or_default(),
        };
        let log_format = match env("JIANAN_LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => return Err(format!("JIANAN_LOG_FORMAT 只能是 json 或 pretty：{other}")),
            None => f.log_format.unwrap_or_default(),
        };
        let sqlite = database_url.starts_with("sqlite:");
        let cors_origins: Vec<String> = env("JIANAN_CORS_ORIGINS")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .or(f.cors_origins)
            .unwrap_or_default();
        for o in &cors_origins {
            check_origin(o)?;
        }
        let trusted_proxies = env("JIANAN_TRUSTED_PROXIES")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .or(f.trusted_proxies)
            .unwrap_or_default()
            .iter()
            .map(|p| p.parse::<IpBlock>())
            .collect::<Result<Vec<_>, _>>()?;
        let metrics_token = env("JIANAN_METRICS_TOKEN").map(Secret).or(f.metrics_token);
        if metrics_token
            .as_ref()
            .is_some_and(|t| t.0.trim().chars().count() < 16)
        {
            return Err("metrics_token（JIANAN_METRICS_TOKEN）至少需要16个字符".into());
        }
        let sql_capture_file = env("JIANAN_SQL_CAPTURE_FILE")
            .map(PathBuf::from)
            .or(f.sql_capture_file);
        if sql_capture_file.is_some() && mode == Mode::Production {
            return Err(
                "sql_capture_file（JIANAN_SQL_CAPTURE_FILE）会把每条SQL及其参数写入文件，生产模式不能使用"
                    .into(),
            );
        }
        let audit_anchor_dir = env("JIANAN_AUDIT_ANCHOR_DIR")
            .map(PathBuf::from)
            .or(f.audit_anchor_dir)
            .unwrap_or_else(|| data_dir.join("audit-anchors"));
        let database_migrate_url = env("JIANAN_DATABASE_MIGRATE_URL")
            .map(Secret)
            .or(f.database_migrate_url);
        if database_migrate_url.is_some() && !database_url.starts_with("postgres") {
            return Err(
                "database_migrate_url（JIANAN_DATABASE_MIGRATE_URL）只用于 PostgreSQL：\
                 database_url 须为 postgres:// 地址"
                    .into(),
            );
        }
        let object_store = object_store_location(
            &data_dir,
            env("JIANAN_OBJECT_STORE_URL").or(f.object_store_url),
            S3Parts {
                endpoint: env("JIANAN_S3_ENDPOINT").or(f.s3_endpoint),
                region: env("JIANAN_S3_REGION").or(f.s3_region),
                access_key_id: env("JIANAN_S3_ACCESS_KEY_ID").or(f.s3_access_key_id),
                secret_access_key: env("JIANAN_S3_SECRET_ACCESS_KEY")
                    .map(Secret)
                    .or(f.s3_secret_access_key),
                allow_http: parse("JIANAN_S3_ALLOW_HTTP", env("JIANAN_S3_ALLOW_HTTP"))?
                    .or(f.s3_allow_http),
            },
        )?;
        Ok(Config {
            listen,
            data_dir,
            database_url,
            mode,
            jwt_secret: env("JIANAN_JWT_SECRET").map(Secret).or(f.jwt_secret),
            cors_origins,
            db_max_connections: parse(
                "JIANAN_DB_MAX_CONNECTIONS",
                env("JIANAN_DB_MAX_CONNECTIONS"),
            )?
            .or(f.db_max_connections)
            .unwrap_or(if sqlite { 8 } else { 16 }),
            max_body_bytes: parse("JIANAN_MAX_BODY_BYTES", env("JIANAN_MAX_BODY_BYTES"))?
                .or(f.max_body_bytes)
                .unwrap_or(2 * 1024 * 1024),
            upload_max_bytes: parse("JIANAN_UPLOAD_MAX_BYTES", env("JIANAN_UPLOAD_MAX_BYTES"))?
                .or(f.upload_max_bytes)
                .unwrap_or(20 * 1024 * 1024),
            upload_max_files: f.upload_max_files.unwrap_or(10),
            upload_concurrency: f.upload_concurrency.unwrap_or(8),
            max_query_depth: f.max_query_depth.unwrap_or(15),
            max_query_complexity: f.max_query_complexity.unwrap_or(5000),
            max_batch: f.max_batch.unwrap_or(10),
            log_format,
            log_level: env("JIANAN_LOG")
                .or(f.log_level)
                .unwrap_or_else(|| "info".to_owned()),
            outbox_poll_ms: f.outbox_poll_ms.unwrap_or(500),
            trusted_proxies,
            allow_public_development: parse(
                "JIANAN_ALLOW_PUBLIC_DEVELOPMENT",
                env("JIANAN_ALLOW_PUBLIC_DEVELOPMENT"),
            )?
            .or(f.allow_public_development)
            .unwrap_or(false),
            metrics_token,
            request_timeout_ms: f.request_timeout_ms.unwrap_or(30_000),
            ws_session_check_ms: f.ws_session_check_ms.unwrap_or(15_000).clamp(100, 600_000),
            webhook_max_attempts: f.webhook_max_attempts.unwrap_or(8).clamp(1, 50),
            webhook_retry_base_ms: f
                .webhook_retry_base_ms
                .unwrap_or(30_000)
                .clamp(10, 3_600_000),
            webhook_timeout_ms: f.webhook_timeout_ms.unwrap_or(10_000).clamp(100, 120_000),
            webhook_allow_http: f.webhook_allow_http.unwrap_or(false),
            db_statement_timeout_ms: f.db_statement_timeout_ms.unwrap_or(20_000),
            audit_key: env("JIANAN_AUDIT_KEY").map(Secret).or(f.audit_key),
            audit_anchor_dir,
            audit_anchor_hours: parse(
                "JIANAN_AUDIT_ANCHOR_HOURS",
                env("JIANAN_AUDIT_ANCHOR_HOURS"),
            )?
            .or(f.audit_anchor_hours)
            .unwrap_or(24),
            database_migrate_url,
            object_store,
            attachment_orphan_grace_hours: parse(
                "JIANAN_ATTACHMENT_ORPHAN_GRACE_HOURS",
                env("JIANAN_ATTACHMENT_ORPHAN_GRACE_HOURS"),
            )?
            .or(f.attachment_orphan_grace_hours)
            .unwrap_or(24),
            settings_file: None,
            sql_capture_file,
        })
    }

    /// Where multipart uploads are spooled while a request is received (anonymous temporary
    /// files, on disk rather than a memory-backed `/tmp`).
    pub fn upload_tmp_dir(&self) -> PathBuf {
        self.data_dir.join("upload-tmp")
    }

    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
    }

    /// What `serve` checks before it opens anything: development mode (generated secret, demo
    /// data, GraphiQL, introspection) stays on the loopback interface unless
    /// `allow_public_development` says otherwise.
    pub fn check_serve(&self) -> Result<(), String> {
        if !self.is_production()
            && !self.listen.ip().is_loopback()
            && !self.allow_public_development
        {
            return Err(format!(
                "开发模式不能监听非本机地址 {}：请设置 mode = \"production\"，或监听 127.0.0.1，\
                 或确需如此时设置 allow_public_development = true（JIANAN_ALLOW_PUBLIC_DEVELOPMENT）",
                self.listen
            ));
        }
        Ok(())
    }

    /// Whether `peer` is one of the trusted proxies.
    pub fn is_trusted_proxy(&self, peer: std::net::IpAddr) -> bool {
        self.trusted_proxies.iter().any(|b| b.contains(peer))
    }
}

/// The `s3_*` settings as given.
struct S3Parts {
    endpoint: Option<String>,
    region: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<Secret>,
    allow_http: Option<bool>,
}

/// `object_store_url`: `file:///path` (default `<data_dir>/objects`) or `s3://bucket[/prefix]`
/// with the `s3_*` settings. Combinations that cannot work are refused here, at start, rather
/// than on the first upload.
fn object_store_location(
    data_dir: &Path,
    url: Option<String>,
    s3: S3Parts,
) -> Result<StoreLocation, String> {
    let url = url.map(|u| u.trim().to_owned());
    let given_s3 = [
        ("s3_endpoint", s3.endpoint.is_some()),
        ("s3_region", s3.region.is_some()),
        ("s3_access_key_id", s3.access_key_id.is_some()),
        ("s3_secret_access_key", s3.secret_access_key.is_some()),
        ("s3_allow_http", s3.allow_http.is_some()),
    ];
    let Some(rest) = url.as_deref().and_then(|u| u.strip_prefix("s3://")) else {
        let location = match url.as_deref() {
            None => StoreLocation::Local(data_dir.join("objects")),
            Some(u) => match u.strip_prefix("file://") {
                Some(path) if path.starts_with('/') => StoreLocation::Local(PathBuf::from(path)),
                _ => {
                    return Err(format!(
                        "object_store_url（JIANAN_OBJECT_STORE_URL）应为 file:///绝对路径 或 \
                         s3://存储桶[/前缀]：{u}"
                    ));
                }
            },
        };
        if let Some((name, _)) = given_s3.iter().find(|(_, set)| *set) {
            return Err(format!(
                "{name} 只用于 S3 存储：请同时设置 object_store_url = \"s3://存储桶[/前缀]\""
            ));
        }
        return Ok(location);
    };
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty()
        || !bucket
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
    {
        return Err(format!(
            "object_store_url 的存储桶名无效（应为 s3://存储桶[/前缀]）：s3://{rest}"
        ));
    }
    if s3.access_key_id.is_some() != s3.secret_access_key.is_some() {
        return Err(
            "s3_access_key_id 与 s3_secret_access_key（JIANAN_S3_ACCESS_KEY_ID、\
             JIANAN_S3_SECRET_ACCESS_KEY）须同时设置，或都不设置（使用实例自身的凭证）"
                .into(),
        );
    }
    let allow_http = s3.allow_http.unwrap_or(false);
    if let Some(e) = &s3.endpoint {
        if e.starts_with("http://") {
            if !allow_http {
                return Err(format!(
                    "s3_endpoint 是明文 http 地址 {e}：确需如此（如本机测试）时设置 s3_allow_http = true"
                ));
            }
        } else if !e.starts_with("https://") {
            return Err(format!("s3_endpoint 应以 https:// 或 http:// 开头：{e}"));
        }
    }
    Ok(StoreLocation::S3(S3Settings {
        bucket: bucket.to_owned(),
        prefix: prefix.trim_matches('/').to_owned(),
        endpoint: s3.endpoint,
        region: s3.region.unwrap_or_else(|| "us-east-1".to_owned()),
        access_key_id: s3.access_key_id,
        secret_access_key: s3.secret_access_key.map(|s| s.0),
        allow_http,
    }))
}

/// A CORS origin must be one exact origin, `scheme://host[:port]`: a wildcard would let every
/// site call the API with the user's credentials, and a path never matches.
fn check_origin(o: &str) -> Result<(), String> {
    if o.contains('*') {
        return Err(format!(
            "cors_origins 不能包含通配符 {o}：请逐一列出允许的来源，如 https://console.example.gov.cn"
        ));
    }
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))
        .ok_or_else(|| format!("cors_origins 的来源应以 https:// 或 http:// 开头：{o}"))?;
    if rest.is_empty() || rest.contains('/') || o.parse::<axum::http::HeaderValue>().is_err() {
        return Err(format!(
            "cors_origins 的来源应为 协议://主机[:端口]，不带路径：{o}"
        ));
    }
    Ok(())
}

/// An address or a CIDR block (`10.0.0.0/8`, `::1`), for `trusted_proxies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpBlock {
    addr: std::net::IpAddr,
    prefix: u8,
}

impl IpBlock {
    /// Whether `ip` lies in the block (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(a) & mask == u32::from(b) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(a) & mask == u128::from(b) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for IpBlock {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad =
            || format!("trusted_proxies 的地址无效：{s}（应为 IP 地址或 CIDR，如 10.0.0.0/8）");
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: std::net::IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(IpBlock { addr, prefix })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn unknown_keys_are_rejected_with_their_line() {
        let err = toml::from_str::<FileConfig>("listen = \"0.0.0.0:1\"\nlisen = 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("lisen"), "{err}");
        assert!(
            err.contains("line 2") || err.contains(":2:") || err.contains("2 |"),
            "{err}"
        );
    }

    #[test]
    fn file_values_override_defaults_and_secrets_stay_hidden() {
        let f: FileConfig =
            toml::from_str("listen = \"127.0.0.1:9999\"\njwt_secret = \"s3cret-s3cret\"\n")
                .unwrap();
        let c = Config::from_layers(f, &Overrides::default()).unwrap();
        assert_eq!(c.listen.port(), 9999);
        assert!(!format!("{c:?}").contains("s3cret"));
        let o = Overrides {
            listen: Some("127.0.0.1:7".into()),
            ..Default::default()
        };
        assert_eq!(
            Config::from_layers(FileConfig::default(), &o)
                .unwrap()
                .listen
                .port(),
            7
        );
    }

    fn config(toml_text: &str, listen: &str) -> Result<Config, String> {
        let f: FileConfig = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        Config::from_layers(
            f,
            &Overrides {
                listen: Some(listen.into()),
                ..Default::default()
            },
        )
    }

    #[test]
    fn sql_capture_is_refused_in_production() {
        let err = config(
            "mode = \"production\"\nsql_capture_file = \"/tmp/sql.jsonl\"",
            "127.0.0.1:0",
        )
        .unwrap_err();
        assert!(err.contains("sql_capture_file"), "{err}");
        let c = config("sql_capture_file = \"/tmp/sql.jsonl\"", "127.0.0.1:0").unwrap();
        assert_eq!(c.sql_capture_file, Some(PathBuf::from("/tmp/sql.jsonl")));
    }

    #[test]
    fn a_wildcard_or_malformed_cors_origin_is_refused_with_a_message() {
        for (text, expect) in [
            ("cors_origins = [\"*\"]", "通配符"),
            ("cors_origins = [\"https://*.example.gov.cn\"]", "通配符"),
            ("cors_origins = [\"console.example\"]", "https://"),
            (
                "cors_origins = [\"https://console.example/app\"]",
                "不带路径",
            ),
        ] {
            let err = config(text, "127.0.0.1:0").unwrap_err();
            assert!(err.contains(expect), "{text}: {err}");
        }
        let ok = config(
            "cors_origins = [\"https://console.example\", \"http://127.0.0.1:5173\"]",
            "127.0.0.1:0",
        )
        .unwrap();
        assert_eq!(ok.cors_origins.len(), 2);
    }

    #[test]
    fn development_mode_stays_on_loopback_unless_allowed() {
        // Loopback, IPv4 or IPv6: fine.
        for listen in ["127.0.0.1:8080", "[::1]:8080"] {
            config("", listen).unwrap().check_serve().unwrap();
        }
        // Every interface or a public address: refused, naming the way out.
        for listen in ["0.0.0.0:8080", "[::]:8080", "192.168.1.10:8080"] {
            let err = config("", listen).unwrap().check_serve().unwrap_err();
            assert!(err.contains("allow_public_development"), "{listen}: {err}");
        }
        // Explicitly allowed, or production mode: starts.
        config("allow_public_development = true", "0.0.0.0:8080")
            .unwrap()
            .check_serve()
            .unwrap();
        config("mode = \"production\"", "0.0.0.0:8080")
            .unwrap()
            .check_serve()
            .unwrap();
    }

    #[test]
    fn trusted_proxies_parse_addresses_and_blocks() {
        let c = config(
            "trusted_proxies = [\"10.0.0.0/8\", \"192.168.1.1\", \"fd00::/8\"]",
            "127.0.0.1:0",
        )
        .unwrap();
        for (ip, trusted) in [
            ("10.2.3.4", true),
            ("11.0.0.1", false),
            ("192.168.1.1", true),
            ("192.168.1.2", false),
            ("::ffff:10.9.9.9", true),
            ("fd12::1", true),
            ("fe80::1", false),
        ] {
            assert_eq!(c.is_trusted_proxy(ip.parse().unwrap()), trusted, "{ip}");
        }
        assert!(
            config("", "127.0.0.1:0")
                .unwrap()
                .trusted_proxies
                .is_empty()
        );
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0.0/x"] {
            let err = config(&format!("trusted_proxies = [\"{bad}\"]"), "127.0.0.1:0").unwrap_err();
            assert!(err.contains("trusted_proxies"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_short_metrics_token_is_refused_and_a_set_one_stays_hidden() {
        let err = config("metrics_token = \"short\"", "127.0.0.1:0").unwrap_err();
        assert!(err.contains("metrics_token"), "{err}");
        let c = config("metrics_token = \"scrape-me-please-0123\"", "127.0.0.1:0").unwrap();
        assert!(c.metrics_token.is_some());
        assert!(!format!("{c:?}").contains("scrape-me"));
    }

    #[test]
    fn object_store_settings_that_cannot_work_are_refused_at_start() {
        // Default: the data directory.
        let c = config("", "127.0.0.1:0").unwrap();
        assert!(matches!(&c.object_store, StoreLocation::Local(p) if p.ends_with("objects")));
        // An S3 bucket with a prefix, endpoint and keys.
        let c = config(
            "object_store_url = \"s3://site-files/jianan/\"\ns3_endpoint = \"http://127.0.0.1:9000\"\n\
             s3_allow_http = true\ns3_access_key_id = \"AK\"\ns3_secret_access_key = \"hidden-secret\"\n",
            "127.0.0.1:0",
        )
        .unwrap();
        let StoreLocation::S3(s3) = &c.object_store else {
            panic!("{:?}", c.object_store)
        };
        assert_eq!(
            (s3.bucket.as_str(), s3.prefix.as_str()),
            ("site-files", "jianan")
        );
        assert_eq!(s3.region, "us-east-1");
        assert!(!format!("{c:?}").contains("hidden-secret"));
        for (text, expect) in [
            ("object_store_url = \"ftp://x\"", "object_store_url"),
            ("object_store_url = \"file://relative\"", "object_store_url"),
            ("object_store_url = \"s3://\"", "存储桶"),
            (
                "s3_endpoint = \"https://s3.example\"",
                "s3_endpoint 只用于 S3",
            ),
            (
                "object_store_url = \"file:///srv/objects\"\ns3_region = \"cn-north-1\"",
                "s3_region 只用于 S3",
            ),
            (
                "object_store_url = \"s3://b\"\ns3_access_key_id = \"AK\"",
                "s3_secret_access_key",
            ),
            (
                "object_store_url = \"s3://b\"\ns3_endpoint = \"http://127.0.0.1:9000\"",
                "s3_allow_http",
            ),
            (
                "object_store_url = \"s3://b\"\ns3_endpoint = \"127.0.0.1:9000\"",
                "https://",
            ),
        ] {
            let err = config(text, "127.0.0.1:0").unwrap_err();
            assert!(err.contains(expect), "{text}: {err}");
        }
    }
}

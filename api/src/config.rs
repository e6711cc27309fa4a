//! Configuration: defaults < `jianan.toml` < `JIANAN_*` environment variables < command-line
//! flags. Unknown keys in the file are rejected with their line; secrets are never printed.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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
    pub max_query_depth: usize,
    pub max_query_complexity: usize,
    pub max_batch: usize,
    pub log_format: LogFormat,
    pub log_level: String,
    pub outbox_poll_ms: u64,
    /// Longest time one GraphQL operation may run, in milliseconds (0: no limit).
    pub request_timeout_ms: u64,
    /// PostgreSQL `statement_timeout` of every pooled connection, in milliseconds (0: none).
    pub db_statement_timeout_ms: u64,
    /// The settings file as read, for the modules' sections `[modules.<name>]`.
    pub settings_file: Option<SettingsFile>,
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
    pub max_query_depth: Option<usize>,
    pub max_query_complexity: Option<usize>,
    pub max_batch: Option<usize>,
    pub log_format: Option<LogFormat>,
    pub log_level: Option<String>,
    pub outbox_poll_ms: Option<u64>,
    pub request_timeout_ms: Option<u64>,
    pub db_statement_timeout_ms: Option<u64>,
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
        Ok(Config {
            listen,
            data_dir,
            database_url,
            mode,
            jwt_secret: env("JIANAN_JWT_SECRET").map(Secret).or(f.jwt_secret),
            cors_origins: env("JIANAN_CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .or(f.cors_origins)
                .unwrap_or_default(),
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
            max_query_depth: f.max_query_depth.unwrap_or(15),
            max_query_complexity: f.max_query_complexity.unwrap_or(5000),
            max_batch: f.max_batch.unwrap_or(10),
            log_format,
            log_level: env("JIANAN_LOG")
                .or(f.log_level)
                .unwrap_or_else(|| "info".to_owned()),
            outbox_poll_ms: f.outbox_poll_ms.unwrap_or(500),
            request_timeout_ms: f.request_timeout_ms.unwrap_or(30_000),
            db_statement_timeout_ms: f.db_statement_timeout_ms.unwrap_or(20_000),
            settings_file: None,
        })
    }

    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
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
}

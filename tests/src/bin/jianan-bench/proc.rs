//! The processes the benchmark drives: the real `jianan` server (one or two instances), the
//! seeding command, and nginx in front of two instances. Each runs as its own process; the
//! benchmark talks to them over loopback HTTP only.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

/// The JWT secret every instance of one run shares (two instances behind a proxy must accept
/// each other's tokens). Development mode only; the benchmark never runs in production mode.
const JWT_SECRET: &str = "jianan-bench-shared-secret-0123456789";

/// Where the benchmark keeps a database and what the server needs to open it.
#[derive(Clone, Debug)]
pub struct Target {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub backend: &'static str,
}

impl Target {
    pub fn is_postgres(&self) -> bool {
        self.backend == "PostgreSQL"
    }
}

/// The `jianan` binary next to this one (same profile), built first when `cargo run` started
/// us (cargo sets `CARGO`), so the server measured is the code checked out.
pub fn server_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = me.parent().ok_or("no directory")?.to_path_buf();
    let release = dir.ends_with("release");
    if let Ok(cargo) = std::env::var("CARGO") {
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "-q", "-p", "jianan-api", "--bin", "jianan"]);
        if release {
            cmd.arg("--release");
        }
        let status = cmd.status().map_err(|e| format!("cargo build: {e}"))?;
        if !status.success() {
            return Err("cargo build of the server failed".into());
        }
    }
    let bin = dir.join("jianan");
    if !bin.exists() {
        return Err(format!(
            "{} is missing: build it with `cargo build{} -p jianan-api`",
            bin.display(),
            if release { " --release" } else { "" }
        ));
    }
    Ok(bin)
}

/// Runs `jianan seed --scale N` as its own process unless this target was seeded at this scale
/// before (a marker file in the data directory). Returns the seconds it took, if it ran.
pub async fn seed(bin: &Path, t: &Target, scale: &str) -> Result<Option<f64>, String> {
    let marker = t.data_dir.join(format!("seeded-scale-{scale}"));
    if marker.exists() {
        return Ok(None);
    }
    std::fs::create_dir_all(&t.data_dir).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let out = Command::new(bin)
        .args(["--data-dir"])
        .arg(&t.data_dir)
        .args(["--database-url", &t.database_url, "seed"])
        .args(if scale == "demo" {
            vec!["--demo"]
        } else {
            vec!["--scale", scale]
        })
        .env("JIANAN_LOG", "warn")
        .env("JIANAN_JWT_SECRET", JWT_SECRET)
        .output()
        .await
        .map_err(|e| format!("seed: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "seed failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    print!("{}", String::from_utf8_lossy(&out.stdout));
    std::fs::write(&marker, b"").map_err(|e| e.to_string())?;
    Ok(Some(started.elapsed().as_secs_f64()))
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18080)
}

/// One running server process.
pub struct Server {
    pub child: Child,
    pub pid: u32,
    pub base: String,
    pub port: u16,
}

/// What a server is started with beyond the target.
#[derive(Default, Clone)]
pub struct ServerOptions {
    /// Record every statement to this file (`sql_capture_file`).
    pub capture: Option<PathBuf>,
    /// Milliseconds between outbox polls (quiet during a capture).
    pub outbox_poll_ms: Option<u64>,
}

impl Server {
    pub async fn start(bin: &Path, t: &Target, o: &ServerOptions) -> Result<Server, String> {
        let port = free_port();
        let config = t.data_dir.join(format!("bench-{port}.toml"));
        let mut toml = String::from("log_level = \"warn\"\n");
        if let Some(ms) = o.outbox_poll_ms {
            toml.push_str(&format!("outbox_poll_ms = {ms}\n"));
        }
        // The anonymous public reach the server from many addresses; the load generator says
        // which one in X-Forwarded-For, believed only from loopback (nginx, or the generator).
        toml.push_str("trusted_proxies = [\"127.0.0.1/32\"]\n");
        std::fs::write(&config, toml).map_err(|e| e.to_string())?;
        let log = std::fs::File::create(t.data_dir.join(format!("server-{port}.log")))
            .map_err(|e| e.to_string())?;
        let mut cmd = Command::new(bin);
        cmd.arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(&t.data_dir)
            .args([
                "--database-url",
                &t.database_url,
                "--listen",
                &format!("127.0.0.1:{port}"),
                "serve",
            ])
            .env("JIANAN_JWT_SECRET", JWT_SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .kill_on_drop(true);
        match &o.capture {
            Some(p) => cmd.env("JIANAN_SQL_CAPTURE_FILE", p),
            None => cmd.env_remove("JIANAN_SQL_CAPTURE_FILE"),
        };
        let child = cmd.spawn().map_err(|e| format!("start server: {e}"))?;
        let pid = child.id().ok_or("server exited at once")?;
        let server = Server {
            child,
            pid,
            base: format!("http://127.0.0.1:{port}"),
            port,
        };
        server.wait_ready(Duration::from_secs(120)).await?;
        Ok(server)
    }

    async fn wait_ready(&self, limit: Duration) -> Result<(), String> {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(r) = client.get(format!("{}/readyz", self.base)).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("server on {} did not become ready", self.base))
    }

    /// The server's peak resident memory since the last [`Server::reset_peak`], in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        status_kib(self.pid, "VmHWM:")
    }

    /// Starts a new peak-memory window (`/proc/<pid>/clear_refs`, value 5).
    pub fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid), b"5");
    }

    /// `jianan_sql_statements_total` from `/metrics`.
    pub async fn statements(&self, client: &reqwest::Client) -> u64 {
        let Ok(r) = client.get(format!("{}/metrics", self.base)).send().await else {
            return 0;
        };
        let text = r.text().await.unwrap_or_default();
        text.lines()
            .find_map(|l| l.strip_prefix("jianan_sql_statements_total "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    }

    /// SIGKILL: no shutdown, no flush, as a crash or an OOM kill.
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    pub async fn stop(mut self) {
        // SIGTERM lets it drain; a server that does not stop in 10 s is killed.
        let _ = std::process::Command::new("kill")
            .arg(self.pid.to_string())
            .status();
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            self.kill().await;
        }
    }
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// nginx from the distribution's packages, round-robin over `ports`, in its own prefix.
pub struct Nginx {
    child: Child,
    pub base: String,
}

impl Nginx {
    pub async fn start(dir: &Path, ports: &[u16]) -> Result<Nginx, String> {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .ok_or("nginx is not installed (apt-get install -y nginx-light)")?;
        let prefix = dir.join("nginx");
        std::fs::create_dir_all(prefix.join("logs")).map_err(|e| e.to_string())?;
        let port = free_port();
        let upstreams: String = ports
            .iter()
            .map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
            .collect();
        let conf = format!(
            "worker_processes 1;
daemon off;
pid {pid};
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  upstream jianan {{
{upstreams}    keepalive 64;
  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' ''; }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 50m;
    location / {{
      proxy_pass http://jianan;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 3600s;
      proxy_next_upstream error timeout http_502;
    }}
  }}
}}
",
            pid = prefix.join("nginx.pid").display(),
            prefix = prefix.display(),
        );
        let conf_path = prefix.join("nginx.conf");
        std::fs::write(&conf_path, conf).map_err(|e| e.to_string())?;
        let child = Command::new(nginx)
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("start nginx: {e}"))?;
        let me = Nginx {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = client.get(format!("{}/readyz", me.base)).send().await
                && r.status().is_success()
            {
                return Ok(me);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("nginx did not answer".into())
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

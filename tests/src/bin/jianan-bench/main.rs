//! The benchmark (docs/performance.md): the real server as its own process on data at N times a
//! district, driven over loopback HTTP from this process, each operation measured beside its
//! own SQL floor — the very statements the server ran for it, executed straight against the
//! database with no HTTP and no GraphQL.
//!
//! ```text
//! cargo run --release -p jianan-tests --bin jianan-bench -- [--scale 10] [--clients 32] [--seconds 10]
//!     [--postgres postgres://user@host:port/any_db] [--instances 2] [--only Q1,Q4] [--out FILE]
//! ```
//!
//! Steps: build the server binary (same profile) if cargo started us; seed a database once per
//! scale with `jianan seed --scale N` (kept under `target/bench/`, reused by later runs);
//! start the server with `sql_capture_file` and send each operation alone to record its
//! statements; restart it plainly; then, per operation, 32 clients for `--seconds` against the
//! server (requests/s, p50/p99, statements per request from `/metrics`, the server's peak RSS
//! from `/proc`), and the captured statements from 32 tasks of this process for as long (the
//! floor); the bureau's change feed is read end to end in pages of 500. With `--instances 2`
//! (PostgreSQL) two servers run behind nginx. Results are printed as a table and written as
//! JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ops;
mod proc;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jianan_kernel::sql_capture::CapturedStatement;
use ops::{Caller, Context, Op, Target};
use proc::{Server, ServerOptions};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The server's memory target (issue #14).
const RSS_TARGET_MIB: f64 = 64.0;

struct Args {
    scale: String,
    clients: usize,
    seconds: u64,
    postgres: Option<String>,
    instances: usize,
    only: Option<Vec<String>>,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let a: Vec<String> = std::env::args().collect();
    let get = |name: &str| {
        a.iter()
            .position(|x| x == name)
            .and_then(|i| a.get(i + 1))
            .cloned()
    };
    Args {
        scale: get("--scale").unwrap_or_else(|| "10".into()),
        clients: get("--clients").and_then(|v| v.parse().ok()).unwrap_or(32),
        seconds: get("--seconds").and_then(|v| v.parse().ok()).unwrap_or(10),
        postgres: get("--postgres").or_else(|| std::env::var("JIANAN_BENCH_POSTGRES_URL").ok()),
        instances: get("--instances").and_then(|v| v.parse().ok()).unwrap_or(1),
        only: get("--only").map(|v| v.split(',').map(|s| s.trim().to_owned()).collect()),
        out: get("--out").map(PathBuf::from),
    }
}

/// Latencies of one measured phase.
#[derive(Default, Clone, serde::Serialize)]
struct Measured {
    requests: u64,
    errors: u64,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl Measured {
    fn from(mut lat: Vec<Duration>, errors: u64, seconds: f64) -> Measured {
        lat.sort();
        let pct = |p: f64| {
            if lat.is_empty() {
                return 0.0;
            }
            let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
            lat[i.min(lat.len() - 1)].as_secs_f64() * 1000.0
        };
        Measured {
            requests: lat.len() as u64,
            errors,
            seconds,
            per_second: lat.len() as f64 / seconds.max(1e-9),
            p50_ms: pct(0.5),
            p99_ms: pct(0.99),
        }
    }
}

#[derive(Clone, serde::Serialize)]
struct OpResult {
    key: String,
    name: String,
    server: Measured,
    statements_per_request: f64,
    peak_rss_mib: f64,
    floor: Option<Measured>,
    floor_statements: Vec<String>,
    /// floor requests/s ÷ server requests/s: how many times the database's own limit the
    /// platform costs.
    ratio: Option<f64>,
    target: String,
    met: Option<bool>,
}

/// A logged-in caller's `Authorization` header value.
async fn authorize(client: &reqwest::Client, base: &str, caller: &Caller) -> Option<String> {
    let (q, v, path) = match caller {
        Caller::Anonymous => return None,
        Caller::User(u) => (
            "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken } }",
            json!({ "u": u, "p": jianan_tests::DEMO_PASSWORD }),
            "login",
        ),
        Caller::Bureau => (
            "mutation { issueServiceToken(input: {clientId: \"bureau-system\", clientSecret: \"jianan-demo\"}) { accessToken } }",
            json!({}),
            "issueServiceToken",
        ),
    };
    let body = gql(client, base, None, q, &v).await;
    let token = body["data"][path]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("cannot log in as {caller:?}: {body}"));
    Some(format!("Bearer {token}"))
}

async fn gql(
    client: &reqwest::Client,
    base: &str,
    auth: Option<&str>,
    query: &str,
    variables: &Value,
) -> Value {
    let mut req = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    match req.send().await {
        Ok(r) => r.json().await.unwrap_or(Value::Null),
        Err(e) => json!({ "errors": [{ "message": e.to_string() }] }),
    }
}

/// A client address for request `n` of the public (10.x.y.z), sent as X-Forwarded-For.
fn public_address(n: u64) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

/// Finds the records the operations are about.
async fn context(client: &reqwest::Client, base: &str) -> Context {
    let admin = authorize(client, base, &Caller::User("admin")).await;
    let a = admin.as_deref();
    let d = gql(
        client,
        base,
        a,
        "{ orgUnits(first: 50, filter: {kinds: [TOWNSHIP]}) { nodes { id name } }
           projects(first: 1) { nodes { id } }
           generalHazardCategories { category }
           accounts(first: 100) { nodes { id username } } }",
        &json!({}),
    )
    .await;
    assert!(d.get("errors").is_none(), "context: {d}");
    let d = &d["data"];
    // The township with the most hazards, so the page is full.
    let mut township = (String::new(), -1i64);
    for t in d["orgUnits"]["nodes"].as_array().into_iter().flatten() {
        let id = t["id"].as_str().unwrap_or_default();
        let c = gql(
            client,
            base,
            a,
            "query($t: ID!) { hazards(first: 1, filter: {townshipId: $t}) { totalCount } }",
            &json!({ "t": id }),
        )
        .await;
        let n = c["data"]["hazards"]["totalCount"].as_i64().unwrap_or(0);
        if n > township.1 {
            township = (id.to_owned(), n);
        }
    }
    // The project with the most inspections among the township's, for a full dashboard.
    let p = gql(
        client,
        base,
        a,
        "query($t: ID!) { hazards(first: 20, filter: {townshipId: $t}) { nodes { project { id } } } }",
        &json!({ "t": township.0 }),
    )
    .await;
    let project_id = p["data"]["hazards"]["nodes"][0]["project"]["id"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| d["projects"]["nodes"][0]["id"].as_str().map(str::to_owned))
        .expect("a project");
    // A code with credit records: the first the bureau's feed names.
    let bureau = authorize(client, base, &Caller::Bureau).await;
    let f = gql(
        client,
        base,
        bureau.as_deref(),
        "{ creditChanges(first: 50) { nodes { uscc } } }",
        &json!({}),
    )
    .await;
    let uscc = f["data"]["creditChanges"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|n| n["uscc"].as_str().map(str::to_owned))
        .expect("a credit code in the feed");
    let inspector_id = d["accounts"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["username"] == "inspector")
        .and_then(|n| n["id"].as_str())
        .expect("the inspector account")
        .to_owned();
    let general_category = d["generalHazardCategories"][0]["category"]
        .as_str()
        .expect("a general hazard category")
        .to_owned();
    let now = chrono::Utc::now();
    let today = jianan_kernel::calendar::today();
    Context {
        township_id: township.0,
        project_id,
        uscc,
        inspector_id,
        general_category,
        today: today.to_string(),
        year_start: (now - chrono::Duration::days(365)).to_rfc3339(),
        year_end: now.to_rfc3339(),
    }
}

/// Sends `op` once to a server recording its SQL and returns the statements that request ran
/// (three tries, the shortest kept, so a background poll that landed in the window is dropped).
async fn capture(
    client: &reqwest::Client,
    base: &str,
    file: &std::path::Path,
    op: &Op,
    auth: Option<&str>,
    run: &str,
) -> Vec<CapturedStatement> {
    let mut best: Option<Vec<CapturedStatement>> = None;
    for i in 0..4 {
        let before = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        let body = send(
            client,
            base,
            auth,
            op,
            &op.request_variables(&format!("{run}c"), i),
            i,
        )
        .await;
        if i == 0 {
            // The first request warms caches (and shows errors early).
            if let Err(e) = &body {
                panic!("{}: {e}", op.key);
            }
            continue;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
        let text = std::fs::read(file).unwrap_or_default();
        let new = &text[(before as usize).min(text.len())..];
        let stmts: Vec<CapturedStatement> = String::from_utf8_lossy(new)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        if best.as_ref().is_none_or(|b| stmts.len() < b.len()) {
            best = Some(stmts);
        }
    }
    best.unwrap_or_default()
}

/// One request; `Err` with the message when it failed.
async fn send(
    client: &reqwest::Client,
    base: &str,
    auth: Option<&str>,
    op: &Op,
    variables: &Value,
    n: u64,
) -> Result<(), String> {
    let mut req = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": op.query, "variables": variables }));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    if matches!(op.caller, Caller::Anonymous) {
        req = req.header("x-forwarded-for", public_address(n));
    }
    let res = req.send().await.map_err(|e| e.to_string())?;
    let status = res.status();
    let bytes = res.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() || contains(&bytes, b"\"errors\"") {
        return Err(format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(400)])
        ));
    }
    Ok(())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `clients` concurrent clients sending `op` for `seconds`.
async fn load(
    base: &str,
    op: &Op,
    auth: Option<String>,
    clients: usize,
    seconds: u64,
    run: &str,
) -> (Measured, Option<String>) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, base, op, auth, counter, run) = (
            client.clone(),
            base.to_owned(),
            op.clone(),
            auth.clone(),
            counter.clone(),
            run.to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            let mut first_error = None;
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let vars = op.request_variables(&run, n);
                let t = Instant::now();
                if let Err(e) = send(&client, &base, auth.as_deref(), &op, &vars, n).await {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
                lat.push(t.elapsed());
            }
            (lat, errors, first_error)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for t in tasks {
        let (lat, e, fe) = t.await.unwrap();
        all.extend(lat);
        errors += e;
        if first_error.is_none() {
            first_error = fe;
        }
    }
    (
        Measured::from(all, errors, started.elapsed().as_secs_f64()),
        first_error,
    )
}

/// The floor: `clients` tasks of this process executing the captured statements of one request
/// in order, for `seconds`, through a pool opened like the server's (`Db::connect`).
async fn floor(
    db: &jianan_kernel::db::Db,
    statements: &[CapturedStatement],
    clients: usize,
    seconds: u64,
) -> Option<Measured> {
    let backend = db.backend();
    let stmts: Vec<sea_orm::Statement> = statements
        .iter()
        .map(|s| s.statement(backend))
        .collect::<Option<_>>()?;
    if stmts.is_empty() {
        return None;
    }
    let stmts = Arc::new(stmts);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (conn, stmts) = (db.conn.clone(), stmts.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                for s in stmts.iter() {
                    if conn.query_all_raw(s.clone()).await.is_err() {
                        errors += 1;
                    }
                }
                lat.push(t.elapsed());
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.unwrap();
        all.extend(lat);
        errors += e;
    }
    Some(Measured::from(all, errors, started.elapsed().as_secs_f64()))
}

/// Whether a captured request only reads (a floor replays reads only).
fn only_reads(stmts: &[CapturedStatement]) -> bool {
    stmts.iter().all(|s| {
        let head = s.sql.trim_start().to_ascii_uppercase();
        head.starts_with("SELECT") || head.starts_with("WITH") && !head.contains("INSERT")
    })
}

/// The bureau's change feed read end to end in pages of 500, as one client.
async fn read_feed(client: &reqwest::Client, base: &str, server: &Server) -> Value {
    let auth = authorize(client, base, &Caller::Bureau).await;
    let before = server.statements(client).await;
    let started = Instant::now();
    let mut after: Option<String> = None;
    let (mut pages, mut rows, mut lat) = (0u64, 0u64, Vec::new());
    loop {
        let t = Instant::now();
        let body = gql(
            client,
            base,
            auth.as_deref(),
            ops::FEED,
            &json!({ "after": after }),
        )
        .await;
        lat.push(t.elapsed());
        let conn = &body["data"]["creditChanges"];
        if body.get("errors").is_some() || conn.is_null() {
            return json!({ "error": body.to_string() });
        }
        pages += 1;
        rows += conn["edges"].as_array().map_or(0, |e| e.len() as u64);
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let secs = started.elapsed().as_secs_f64();
    let statements = server.statements(client).await - before;
    let m = Measured::from(lat, 0, secs);
    json!({ "rows": rows, "pages": pages, "seconds": secs, "rows_per_second": rows as f64 / secs.max(1e-9),
        "page_p50_ms": m.p50_ms, "page_p99_ms": m.p99_ms,
        "statements_per_page": statements as f64 / pages.max(1) as f64 })
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_default();
    let mem_kib: u64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    json!({ "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "cpu": cpu, "memory_gib": (mem_kib as f64 / 1048576.0).round(), "commit": commit,
        "date": chrono::Utc::now().to_rfc3339() })
}

async fn prepare_target(a: &Args, bench_dir: &std::path::Path) -> proc::Target {
    match &a.postgres {
        None => {
            let dir = bench_dir.join(format!("sqlite-scale-{}", a.scale));
            proc::Target {
                database_url: format!("sqlite://{}?mode=rwc", dir.join("jianan.db").display()),
                data_dir: dir,
                backend: "SQLite",
            }
        }
        Some(url) => {
            let name = format!("jianan_bench_scale_{}", a.scale.replace('.', "_"));
            let admin = sea_orm::Database::connect(url.as_str())
                .await
                .expect("connect to PostgreSQL");
            let exists = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    format!("SELECT 1 AS x FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .expect("pg_database")
                .is_some();
            let dir = bench_dir.join(format!("postgres-scale-{}", a.scale));
            if !exists {
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                // A new database: whatever marker an earlier one left is stale.
                let _ = std::fs::remove_dir_all(&dir);
            }
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
            proc::Target {
                database_url: format!("{base}/{name}"),
                data_dir: dir,
                backend: "PostgreSQL",
            }
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let a = args();
    let bench_dir = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            std::env::current_exe()
                .ok()
                .and_then(|p| p.parent()?.parent().map(|d| d.to_path_buf()))
                .unwrap_or_else(|| PathBuf::from("target"))
        })
        .join("bench");
    let bin = proc::server_binary().unwrap_or_else(|e| panic!("{e}"));
    let target = prepare_target(&a, &bench_dir).await;
    std::fs::create_dir_all(&target.data_dir).unwrap();
    let seeded = proc::seed(&bin, &target, &a.scale)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = reqwest::Client::new();
    let run = format!("{}", chrono::Utc::now().timestamp_millis());

    // 1. Capture each operation's statements.
    let capture_file = target.data_dir.join(format!("capture-{run}.jsonl"));
    let server = Server::start(
        &bin,
        &target,
        &ServerOptions {
            capture: Some(capture_file.clone()),
            outbox_poll_ms: Some(3_600_000),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let ctx = context(&client, &server.base).await;
    let ops: Vec<Op> = ops::all(&ctx)
        .into_iter()
        .filter(|o| a.only.as_ref().is_none_or(|k| k.iter().any(|x| x == o.key)))
        .collect();
    let mut captured = Vec::new();
    for op in &ops {
        let auth = authorize(&client, &server.base, &op.caller).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        captured.push(
            capture(
                &client,
                &server.base,
                &capture_file,
                op,
                auth.as_deref(),
                &run,
            )
            .await,
        );
    }
    server.stop().await;
    let _ = std::fs::remove_file(&capture_file);

    // 2. The measured server.
    let server = Server::start(&bin, &target, &ServerOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let db = jianan_kernel::db::Db::connect(&target.database_url, a.clients as u32)
        .await
        .expect("floor connection");
    let _ = db.conn.execute_unprepared("ANALYZE").await;
    println!(
        "\n{} at scale {} ({}), {} clients, {} s per phase, commit {}\n",
        target.backend,
        a.scale,
        match seeded {
            Some(s) => format!("seeded in {s:.1} s"),
            None => "seeded by an earlier run".into(),
        },
        a.clients,
        a.seconds,
        machine()["commit"].as_str().unwrap_or("")
    );
    println!(
        "| op | requests/s | p50 ms | p99 ms | SQL/request | server peak RSS MiB | SQL floor/s | floor p50 ms | × floor | target | met |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
    let mut results = Vec::new();
    let mut overall_peak = 0.0f64;
    for (op, stmts) in ops.iter().zip(&captured) {
        let auth = authorize(&client, &server.base, &op.caller).await;
        // Warm up, then measure.
        let _ = load(
            &server.base,
            op,
            auth.clone(),
            a.clients,
            1,
            &format!("{run}w"),
        )
        .await;
        server.reset_peak();
        let before = server.statements(&client).await;
        let (m, first_error) =
            load(&server.base, op, auth.clone(), a.clients, a.seconds, &run).await;
        let statements = server.statements(&client).await.saturating_sub(before);
        let peak = server.peak_rss_kib() as f64 / 1024.0;
        overall_peak = overall_peak.max(peak);
        let fl = if !op.write && only_reads(stmts) {
            floor(&db, stmts, a.clients, a.seconds).await
        } else {
            None
        };
        let ratio = fl.as_ref().map(|f| f.per_second / m.per_second.max(1e-9));
        let met = match op.target {
            Target::FloorRatio(r) => ratio.map(|x| x <= r),
            Target::P99Ms(ms) => Some(m.p99_ms < ms),
            Target::ThroughputPg(n) => target.is_postgres().then_some(m.per_second >= n),
            Target::None => None,
        };
        let r = OpResult {
            key: op.key.into(),
            name: op.name.into(),
            statements_per_request: statements as f64 / m.requests.max(1) as f64,
            peak_rss_mib: peak,
            floor_statements: stmts.iter().map(|s| s.sql.clone()).collect(),
            floor: fl.clone(),
            ratio,
            target: op.target.describe(),
            met,
            server: m.clone(),
        };
        println!(
            "| {} {} | {:.0} | {:.1} | {:.1} | {:.2} | {:.0} | {} | {} | {} | {} | {} |",
            op.key,
            op.name,
            m.per_second,
            m.p50_ms,
            m.p99_ms,
            r.statements_per_request,
            peak,
            fl.as_ref()
                .map_or("—".into(), |f| format!("{:.0}", f.per_second)),
            fl.as_ref()
                .map_or("—".into(), |f| format!("{:.1}", f.p50_ms)),
            ratio.map_or("—".into(), |x| format!("{x:.2}")),
            r.target,
            match met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            }
        );
        if m.errors > 0 {
            println!(
                "  {} errors in {} requests; first: {}",
                m.errors,
                m.requests,
                first_error.unwrap_or_default()
            );
        }
        results.push(r);
    }
    server.reset_peak();
    let feed = if a
        .only
        .as_ref()
        .is_none_or(|k| k.iter().any(|x| x == "FEED"))
    {
        let f = read_feed(&client, &server.base, &server).await;
        println!("\nThe bureau's change feed, end to end in pages of 500: {f}");
        overall_peak = overall_peak.max(server.peak_rss_kib() as f64 / 1024.0);
        f
    } else {
        Value::Null
    };
    println!(
        "\nServer peak RSS over the run: {overall_peak:.0} MiB (target < {RSS_TARGET_MIB} MiB: {})",
        if overall_peak < RSS_TARGET_MIB {
            "met"
        } else {
            "**missed**"
        }
    );
    let two = if a.instances >= 2 {
        server.stop().await;
        Some(two_instances(&a, &bin, &target, &ops, &run).await)
    } else {
        server.stop().await;
        None
    };
    let report = json!({
        "machine": machine(), "backend": target.backend, "scale": a.scale, "clients": a.clients,
        "seconds": a.seconds, "seed_seconds": seeded, "operations": results, "feed": feed,
        "server_peak_rss_mib": overall_peak, "rss_target_mib": RSS_TARGET_MIB,
        "two_instances": two,
    });
    let out = a.out.clone().unwrap_or_else(|| {
        bench_dir.join(format!(
            "results-{}-scale-{}.json",
            target.backend.to_lowercase(),
            a.scale
        ))
    });
    std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    println!("\nWritten to {}", out.display());
}

/// Two instances on one PostgreSQL behind nginx: throughput through the proxy, a subscription
/// on either instance, and writes while one instance is killed.
async fn two_instances(
    a: &Args,
    bin: &std::path::Path,
    target: &proc::Target,
    ops: &[Op],
    run: &str,
) -> Value {
    if !target.is_postgres() {
        println!("\nTwo instances need PostgreSQL (--postgres): skipped.");
        return json!({ "skipped": "SQLite" });
    }
    let s1 = Server::start(bin, target, &ServerOptions::default())
        .await
        .unwrap();
    let mut s2 = Server::start(bin, target, &ServerOptions::default())
        .await
        .unwrap();
    let nginx = match proc::Nginx::start(&target.data_dir, &[s1.port, s2.port]).await {
        Ok(n) => n,
        Err(e) => {
            println!("\nTwo instances: {e}");
            s1.stop().await;
            s2.stop().await;
            return json!({ "skipped": e });
        }
    };
    let client = reqwest::Client::new();
    println!("\nTwo instances behind nginx ({}):\n", nginx.base);
    println!("| op | requests/s | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    let mut rows = Vec::new();
    for op in ops.iter().filter(|o| !o.write) {
        let auth = authorize(&client, &nginx.base, &op.caller).await;
        let (m, _) = load(&nginx.base, op, auth, a.clients, a.seconds, run).await;
        println!(
            "| {} | {:.0} | {:.1} | {:.1} |",
            op.key, m.per_second, m.p50_ms, m.p99_ms
        );
        rows.push(json!({ "key": op.key, "measured": m }));
    }
    let killed = kill_test(&client, &nginx.base, &mut s2, target, ops, run).await;
    println!("\nOne instance killed mid-run: {killed}");
    nginx.stop().await;
    s1.stop().await;
    json!({ "operations": rows, "kill": killed })
}

/// Writes (W1, with idempotency keys) through the proxy by 8 clients; one instance is SIGKILLed
/// after a second; a client whose request fails retries it with the same key until it is
/// answered. Afterwards every answered key has exactly one inspection.
async fn kill_test(
    client: &reqwest::Client,
    base: &str,
    victim: &mut Server,
    target: &proc::Target,
    ops: &[Op],
    run: &str,
) -> Value {
    let Some(op) = ops.iter().find(|o| o.key == "W1") else {
        return json!({ "skipped": "W1 not selected" });
    };
    let auth = authorize(client, base, &op.caller).await;
    let run = format!("{run}-kill");
    let deadline = Instant::now() + Duration::from_secs(4);
    let mut tasks = Vec::new();
    for c in 0..8u64 {
        let (client, base, op, auth, run) = (
            client.clone(),
            base.to_owned(),
            op.clone(),
            auth.clone(),
            run.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let (mut acked, mut retries) = (Vec::new(), 0u64);
            let mut n = c * 1_000_000;
            while Instant::now() < deadline {
                let vars = op.request_variables(&run, n);
                loop {
                    match send(&client, &base, auth.as_deref(), &op, &vars, n).await {
                        Ok(()) => break,
                        Err(_) => {
                            retries += 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                    }
                }
                acked.push(format!("bench-{run}-{n}"));
                n += 1;
            }
            (acked, retries)
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    victim.kill().await;
    let (mut acked, mut retries) = (Vec::new(), 0);
    for t in tasks {
        let (k, r) = t.await.unwrap();
        acked.extend(k);
        retries += r;
    }
    let db = jianan_kernel::db::Db::connect(&target.database_url, 2)
        .await
        .unwrap();
    let row = db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!(
                "SELECT COUNT(*) AS n, COUNT(DISTINCT findings) AS k FROM inspection WHERE findings LIKE '基准测试督查 bench-{run}-%'"
            ),
        ))
        .await;
    let (stored, distinct) = match row {
        Ok(Some(r)) => (
            r.try_get::<i64>("", "n").unwrap_or(-1),
            r.try_get::<i64>("", "k").unwrap_or(-1),
        ),
        other => {
            return json!({ "error": format!("{other:?}") });
        }
    };
    json!({ "acknowledged": acked.len(), "retried_requests": retries,
        "stored_keys": stored, "distinct_keys": distinct,
        "lost": acked.len() as i64 - distinct, "duplicated": stored - distinct })
}

//! The benchmark (docs/architecture.md): realistic data at ten times a district's size, load over loopback,
//! requests per second and p50/p99 latency per headline query, SQL statements per request, and
//! memory.
//!
//! `cargo run --release -p jianan-tests --bin jianan-bench -- [--clients 32] [--seconds 10] [--scale 10]`
//! On PostgreSQL: set `JIANAN_TEST_POSTGRES_URL` (a fresh database is created). The load
//! generator runs in the same process as the server, so the memory figure covers both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use jianan_tests::{Options, TestApp};
use serde_json::{Value, json};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Scenario {
    name: &'static str,
    user: &'static str,
    query: &'static str,
    variables: Value,
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let clients = arg("--clients", 32) as usize;
    let seconds = arg("--seconds", 10);
    let scale = arg("--scale", 10) as usize;
    if let Ok(c) = jianan_api::config::Config::from_layers(
        jianan_api::config::FileConfig {
            log_level: Some("warn".into()),
            ..Default::default()
        },
        &jianan_api::config::Overrides::default(),
    ) {
        jianan_api::telemetry::init(&c);
    }
    let app = TestApp::spawn_with(Options {
        empty: true,
        outbox_poll_ms: Some(3_600_000),
        ..Options::default()
    })
    .await;
    let k = app.server().kernel.clone();
    let t = Instant::now();
    jianan_registry::demo::seed_scaled(&k, scale)
        .await
        .expect("seed");
    let backend = if app.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    // Fresh planner statistics after the bulk load, as autovacuum would gather them in service.
    sea_orm::ConnectionTrait::execute_unprepared(&k.db.conn, "ANALYZE")
        .await
        .expect("analyze");
    println!(
        "Seeded {} enterprises and {} projects on {backend} in {:.1}s; {clients} clients, {seconds}s per scenario.\n",
        200 * scale,
        150 * scale,
        t.elapsed().as_secs_f64()
    );

    let scenarios = [
        Scenario {
            name: "projects page (50) with township, participants+enterprise, key persons — admin",
            user: "admin",
            query: "query($after: String) { projects(first: 50, after: $after) { totalCount edges { node { code name status township { name } participants { role enterprise { name uscc } } keyPersons { role name phone } } } pageInfo { endCursor } } }",
            variables: json!({}),
        },
        Scenario {
            name: "projects page (50), enterprise-scoped — manager",
            user: "manager",
            query: "{ projects(first: 50) { totalCount edges { node { code name township { name } participants { role enterprise { name } } } } } }",
            variables: json!({}),
        },
        Scenario {
            name: "enterprises page (50) filtered by kind",
            user: "staff",
            query: "{ enterprises(first: 50, filter: {kinds: [CONTRACTOR, SUBCONTRACTOR]}) { totalCount edges { node { uscc name qualifications licenceExpiresOn } } } }",
            variables: json!({}),
        },
        Scenario {
            name: "me",
            user: "inspector",
            query: "{ me { username displayName roles orgUnit { name } } }",
            variables: json!({}),
        },
    ];

    println!("| query | requests/s | p50 ms | p99 ms | SQL statements/request | errors |");
    println!("|---|---:|---:|---:|---:|---:|");
    for s in &scenarios {
        let token = app.login(s.user).await;
        let url = format!("{}/graphql", app.base);
        let body = json!({ "query": s.query, "variables": s.variables });
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .build()
            .unwrap();
        // Warm up.
        for _ in 0..10 {
            client
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .unwrap();
        }
        let statements_before = k.db.stats.statements();
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let (client, url, token, body) =
                (client.clone(), url.clone(), token.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let res = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await;
                    match res {
                        Ok(r) if r.status().is_success() => {
                            let v: Value = r.json().await.unwrap_or(Value::Null);
                            if v.get("errors").is_some() {
                                errors += 1;
                            }
                        }
                        _ => errors += 1,
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
        let elapsed = started.elapsed().as_secs_f64();
        let statements = k.db.stats.statements() - statements_before;
        all.sort();
        let n = all.len().max(1) as f64;
        println!(
            "| {} | {:.0} | {:.1} | {:.1} | {:.2} | {} |",
            s.name,
            n / elapsed,
            percentile(&all, 0.5).as_secs_f64() * 1000.0,
            percentile(&all, 0.99).as_secs_f64() * 1000.0,
            statements as f64 / n,
            errors
        );
    }
    let rows = arg("--import-rows", 100_000) as usize;
    if rows > 0 {
        import_bureau_records(&app, rows).await;
    }
    println!(
        "\nMemory (server and load generator in one process): peak RSS {} MiB, current RSS {} MiB.",
        status_kib("VmHWM:") / 1024,
        status_kib("VmRSS:") / 1024
    );
}

/// The bureau's bulk import of `rows` records (issue #9 item 4): a CSV over HTTP as the bureau's
/// service account, nine rows in ten for registered enterprises and one in ten for codes the
/// registry does not know; then the same file again (the idempotent path).
async fn import_bureau_records(app: &TestApp, rows: usize) {
    let k = &app.server().kernel;
    let codes: Vec<String> = sea_orm::ConnectionTrait::query_all_raw(
        &k.db.conn,
        sea_orm::Statement::from_string(
            k.db.backend(),
            "SELECT uscc FROM enterprise ORDER BY uscc",
        ),
    )
    .await
    .expect("codes")
    .into_iter()
    .filter_map(|r| r.try_get::<String>("", "uscc").ok())
    .collect();
    let kinds = ["行政处罚", "经营异常名录", "严重违法失信名单"];
    let mut csv = String::from(
        "统一社会信用代码,企业名称,记录类别,决定文书号,决定日期,事由,处罚内容,截止日期,决定机关\n",
    );
    for i in 0..rows {
        let code = if i % 10 == 9 || codes.is_empty() {
            jianan_tests::valid_uscc(&format!("91500156MB{:07}", i % 10_000_000))
        } else {
            codes[i % codes.len()].clone()
        };
        csv.push_str(&format!(
            "{code},重庆第{i}号建设有限公司,{kind},渝武市监〔2026〕{i}号,2026-{m:02}-{d:02},未按规定公示年度报告,罚款{fine}元,,\n",
            kind = kinds[i % 3],
            m = 1 + i % 11,
            d = 1 + i % 28,
            fine = 1000 + i % 9000,
        ));
    }
    let bytes = csv.into_bytes();
    let size = bytes.len();
    let token = app
        .post(
            None,
            "mutation { issueServiceToken(input: {clientId: \"bureau-system\", clientSecret: \"jianan-demo\"}) { accessToken } }",
            json!({}),
        )
        .await
        .1["data"]["issueServiceToken"]["accessToken"]
        .as_str()
        .map(str::to_owned);
    let Some(token) = token else {
        println!("\nImport: skipped (no bureau service account in the seeded data).");
        return;
    };
    let query = "mutation($file: Upload!) { importBureauCreditRecords(input: {file: $file}) { accepted repeated errorCount import { rows imported unknownEnterpriseCount } } }";
    let mut timings = Vec::new();
    for _ in 0..2 {
        let form = reqwest::multipart::Form::new()
            .text(
                "operations",
                json!({ "query": query, "variables": { "file": null } }).to_string(),
            )
            .text("map", json!({ "0": ["variables.file"] }).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes.clone()).file_name("records.csv"),
            );
        let t = Instant::now();
        let res = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .expect("import request");
        let v: Value = res.json().await.unwrap_or(Value::Null);
        timings.push((
            t.elapsed(),
            v["data"]["importBureauCreditRecords"].clone(),
            v["errors"].clone(),
        ));
    }
    println!(
        "\nBulk import of the bureau's records ({rows} rows, {:.1} MiB CSV):",
        size as f64 / 1048576.0
    );
    for (i, (d, p, e)) in timings.iter().enumerate() {
        println!(
            "- {}: {:.2} s — {}{}",
            if i == 0 {
                "first import"
            } else {
                "same file again"
            },
            d.as_secs_f64(),
            p,
            if e.is_null() {
                String::new()
            } else {
                format!(" errors: {e}")
            }
        );
    }
}

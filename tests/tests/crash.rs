//! A crash test (issue #8 item 11): the real `jianan` binary is killed with SIGKILL in the middle
//! of a burst of writes. After a restart every acknowledged write is there with its event, a
//! retried write with the same idempotency key does not duplicate, and the audit chain verifies.
//! SQLite only (the binary's default database, in a temporary data directory).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::future::join_all;
use serde_json::{Value, json};

/// The `jianan` binary next to this test's executable (`cargo test --workspace` builds it).
fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("jianan")
}

fn start(dir: &Path, port: u16) -> Child {
    Command::new(binary())
        .args(["--data-dir", dir.to_str().unwrap()])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["serve", "--demo"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jianan")
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..600 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

async fn gql(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    q: &str,
    v: Value,
) -> Option<Value> {
    let mut req = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": q, "variables": v }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.ok()?;
    res.json().await.ok()
}

const REPORT: &str = "mutation($p: ID!, $k: String!) { reportHazard(input: {projectId: $p, level: GENERAL,
  category: \"CIVILIZED_CONSTRUCTION\", description: \"崩溃测试\", location: \"生活区\", idempotencyKey: $k}) { hazard { id } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_loses_no_acknowledged_write_or_event() {
    if std::env::var("JIANAN_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        return; // the binary runs on its own SQLite file; nothing to add on PostgreSQL
    }
    assert!(binary().exists(), "build the binary first: {:?}", binary());
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start(dir.path(), port);
    wait_ready(&client, &base).await;
    let login = gql(
        &client,
        &base,
        None,
        "mutation { login(input: {username: \"inspector\", password: \"jianan-demo\"}) { accessToken } }",
        json!({}),
    )
    .await
    .unwrap();
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let projects = gql(
        &client,
        &base,
        Some(&token),
        "{ projects(first: 1) { nodes { id } } }",
        json!({}),
    )
    .await
    .unwrap();
    let project = projects["data"]["projects"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A burst of 60 reports; the server is killed while they are in flight.
    // It is killed once ten have been acknowledged, with the rest in flight.
    let keys: Vec<String> = (0..60).map(|i| format!("crash-{i}")).collect();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let burst = join_all(keys.iter().map(|k| {
        let (client, base, token, project) =
            (client.clone(), base.clone(), token.clone(), project.clone());
        let (k, done) = (k.clone(), done.clone());
        async move {
            let body = gql(
                &client,
                &base,
                Some(&token),
                REPORT,
                json!({ "p": project, "k": k }),
            )
            .await;
            let id = body.and_then(|b| {
                b["data"]["reportHazard"]["hazard"]["id"]
                    .as_str()
                    .map(str::to_owned)
            });
            if id.is_some() {
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            id
        }
    }));
    let killer = async {
        for _ in 0..15_000 {
            if done.load(std::sync::atomic::Ordering::SeqCst) >= 10 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
    };
    let (acked, ()) = tokio::join!(burst, killer);
    let acked: Vec<(String, String)> = keys
        .iter()
        .zip(acked)
        .filter_map(|(k, id)| id.map(|id| (k.clone(), id)))
        .collect();

    eprintln!(
        "acknowledged before the kill: {} of {}",
        acked.len(),
        keys.len()
    );
    // Restart on the same data.
    let mut server = start(dir.path(), port);
    wait_ready(&client, &base).await;
    let login = gql(
        &client,
        &base,
        None,
        "mutation { login(input: {username: \"inspector\", password: \"jianan-demo\"}) { accessToken } }",
        json!({}),
    )
    .await
    .unwrap();
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // Every acknowledged write is there.
    for (_, id) in &acked {
        let d = gql(
            &client,
            &base,
            Some(&token),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await
        .unwrap();
        assert_eq!(
            d["data"]["node"]["id"],
            id.as_str(),
            "acknowledged {id} lost"
        );
    }
    // Every request retried with its key: the acknowledged ones answer the same hazard, the others
    // are written now, and there is one hazard per key.
    let mut all = Vec::new();
    for k in &keys {
        let d = gql(
            &client,
            &base,
            Some(&token),
            REPORT,
            json!({ "p": project, "k": k }),
        )
        .await
        .unwrap();
        let id = d["data"]["reportHazard"]["hazard"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if let Some((_, first)) = acked.iter().find(|(key, _)| key == k) {
            assert_eq!(&id, first, "a retry answers the first write");
        }
        all.push(id);
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let db = sea_orm::Database::connect(format!(
        "sqlite://{}?mode=rw",
        dir.path().join("jianan.db").display()
    ))
    .await
    .unwrap();
    let n = |sql: &str| {
        let db = db.clone();
        let sql = sql.to_owned();
        async move { jianan_tests::scalar(&db, &sql).await }
    };
    assert_eq!(
        n("SELECT COUNT(*) AS n FROM hazard WHERE description = '崩溃测试'").await,
        60,
        "one hazard per key: {} acknowledged before the kill",
        acked.len()
    );
    // Each has exactly one event, written with it.
    for id in &all {
        let uuid = jianan_tests::uuid_of(id);
        assert_eq!(
            n(&format!(
                "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'inspections.hazard_reported' AND aggregate_id = '{uuid}'"
            ))
            .await,
            1,
            "{id}"
        );
    }
    // No handler ran an event twice (the delivery record is unique per event and handler).
    assert_eq!(
        n("SELECT COUNT(*) AS n FROM (SELECT event_id, handler FROM event_delivery GROUP BY event_id, handler HAVING COUNT(*) > 1) d").await,
        0
    );
    // The audit chain verifies.
    let status = Command::new(binary())
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "audit",
            "verify",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "audit verify after the crash");
}

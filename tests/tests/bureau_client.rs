//! The bureau's example client (examples/bureau-client, issue #9 item 9) against the real server:
//! it takes a service token, follows the change feed from a saved cursor (resuming without
//! missing or repeating a change) and verifies a real webhook delivery. Skipped when `python3`
//! is not on the machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use jianan_tests::fixtures::{Fixture, data};
use jianan_tests::{DEMO_PASSWORD, TestApp};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

fn client_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/bureau-client/client.py")
}

fn python() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

async fn deduct(app: &TestApp, fx: &Fixture, points: i32) {
    app.data(
        fx.inspector.auth(),
        "mutation($input: IssueEnforcementActionInput!) { issueEnforcementAction(input: $input) { enforcementAction { id } } }",
        json!({ "input": {
            "kind": "CREDIT_DEDUCTION",
            "legalBasis": "《重庆市建筑施工企业诚信综合评价暂行办法》（渝府发〔2012〕65号）",
            "description": "临边防护缺失，限期整改逾期未改",
            "targetEnterpriseId": fx.contractor.id,
            "projectId": fx.project.id,
            "points": points,
        } }),
    )
    .await;
    app.settle().await;
}

/// Runs `client.py follow` and returns the changes it printed (one JSON object per line).
async fn follow(app: &TestApp, cursor: &std::path::Path) -> Vec<Value> {
    let out = tokio::process::Command::new("python3")
        .arg(client_script())
        .args(["--url", &format!("{}/graphql", app.base)])
        .args([
            "--client-id",
            data::BUREAU,
            "--client-secret",
            DEMO_PASSWORD,
        ])
        .args(["follow", "--page-size", "2", "--cursor-file"])
        .arg(cursor)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_client_follows_the_feed_from_its_saved_cursor() {
    if !python() {
        eprintln!("python3 not found: the example client is not exercised");
        return;
    }
    let (app, fx) = Fixture::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let cursor = dir.path().join("cursor.txt");
    deduct(&app, &fx, 2).await;
    deduct(&app, &fx, 1).await;
    let first = follow(&app, &cursor).await;
    let seqs: Vec<i64> = first.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
    // Two deductions: a score change and a bad record each, over pages of two.
    assert_eq!(seqs, [1, 2, 3, 4]);
    assert!(
        first
            .iter()
            .all(|c| c["uscc"] == fx.contractor.uscc.as_str())
    );
    // Nothing new: nothing printed. A new change: only it.
    assert!(follow(&app, &cursor).await.is_empty());
    deduct(&app, &fx, 1).await;
    let next: Vec<i64> = follow(&app, &cursor)
        .await
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(next, [5, 6]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_receiver_verifies_a_real_delivery_and_refuses_a_forged_one() {
    if !python() {
        eprintln!("python3 not found: the example receiver is not exercised");
        return;
    }
    let (app, fx) = Fixture::spawn().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let d = app
        .data(
            fx.bureau.auth(),
            "mutation($url: String!) { createWebhookSubscription(input: {url: $url, topics: [\"credit.changed\"]}) { secret } }",
            json!({ "url": format!("http://127.0.0.1:{port}/") }),
        )
        .await;
    let secret = d["createWebhookSubscription"]["secret"].as_str().unwrap();
    let mut child = tokio::process::Command::new("python3")
        .arg(client_script())
        .args(["receive", "--port", &port.to_string(), "--secret", secret])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Wait for the receiver to listen.
    let mut ready = BufReader::new(child.stderr.take().unwrap()).lines();
    tokio::time::timeout(Duration::from_secs(10), ready.next_line())
        .await
        .unwrap()
        .unwrap();

    deduct(&app, &fx, 2).await;
    let mut verified = Vec::new();
    while verified.len() < 2 {
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("a delivery within 20 s")
            .unwrap()
            .unwrap();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert!(
            v.get("verified").is_some(),
            "refused a genuine delivery: {v}"
        );
        verified.push(v);
    }
    assert!(verified.iter().all(|v| v["type"] == "credit.changed"));

    // A forged delivery (a valid-looking signature under another secret) is refused.
    let forged = app
        .client
        .post(format!("http://127.0.0.1:{port}/"))
        .header("webhook-id", "msg_forged")
        .header(
            "webhook-timestamp",
            chrono::Utc::now().timestamp().to_string(),
        )
        .header(
            "webhook-signature",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        )
        .body(r#"{"type":"credit.changed","data":{}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 401);
    let _ = child.kill().await;
}

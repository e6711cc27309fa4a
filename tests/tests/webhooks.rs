//! Webhooks to the Market Supervision Bureau (issue #9 item 4): a real receiver on 127.0.0.1
//! gets credit changes as signed POSTs, retried with backoff, dead-lettered, replayed, logged.
//! Signatures are checked here independently of the server's code (HMAC-SHA256 as the Standard
//! Webhooks specification has it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use hmac::{Hmac, Mac};
use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, TestApp, error_code};
use serde_json::{Value, json};
use sha2::Sha256;

/// What the receiver saw of one request.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A receiver on 127.0.0.1 that answers the n-th request of each delivery (by `webhook-id`) with
/// the n-th status of `script` (the last one once the script runs out), and remembers what it
/// received.
struct Receiver {
    url: String,
    seen: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<Vec<u16>>>,
}

impl Receiver {
    async fn start(script: Vec<u16>) -> Receiver {
        let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
        let script = Arc::new(Mutex::new(script));
        let (s, c) = (seen.clone(), script.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let (s, c) = (s.clone(), c.clone());
                async move {
                    let h = |n: &str| {
                        headers
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    let id = h("webhook-id");
                    let mut seen = s.lock().unwrap();
                    let before = seen.iter().filter(|r| r.id == id).count();
                    seen.push(Received {
                        id,
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body,
                    });
                    let c = c.lock().unwrap();
                    let code = c.get(before).or(c.last()).copied().unwrap();
                    StatusCode::from_u16(code).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        Receiver { url, seen, script }
    }

    fn seen(&self) -> Vec<Received> {
        self.seen.lock().unwrap().clone()
    }

    fn answer_from_now_on(&self, code: u16) {
        *self.script.lock().unwrap() = vec![code];
    }

    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..400 {
            let seen = self.seen();
            if seen.len() >= n {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the receiver got {} requests, expected {n}",
            self.seen().len()
        );
    }
}

/// The check a receiver makes: HMAC-SHA256 under the secret over `id.timestamp.body`, base64,
/// compared with the `v1,` signature.
fn signature_is_valid(secret: &str, r: &Received) -> bool {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", r.id, r.timestamp, r.body).as_bytes());
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    r.signature.split(' ').any(|s| s == expected)
}

const SUBSCRIBE: &str = "mutation($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) { secret subscription { id topics active } } }";

const DELIVERIES: &str = "query($id: ID!) { webhookDeliveries(subscriptionId: $id, first: 10) {
  totalCount edges { node { id webhookId topic status attemptCount lastStatusCode body
  attempts { attempt statusCode error } } } } }";

const ISSUE: &str = "mutation($input: IssueEnforcementActionInput!) {
  issueEnforcementAction(input: $input) { enforcementAction { id } } }";

fn options(max_attempts: u32) -> Options {
    Options {
        outbox_poll_ms: Some(50),
        settings: Some(format!(
            "webhook_retry_base_ms = 50\nwebhook_max_attempts = {max_attempts}\n"
        )),
        ..Options::default()
    }
}

async fn subscribe(app: &TestApp, fx: &Fixture, url: &str) -> (String, String) {
    let d = app
        .data(
            fx.bureau.auth(),
            SUBSCRIBE,
            json!({ "input": { "url": url, "topics": ["credit.changed"], "description": "市场监管局信用推送" } }),
        )
        .await;
    let p = &d["createWebhookSubscription"];
    (
        p["subscription"]["id"].as_str().unwrap().to_owned(),
        p["secret"].as_str().unwrap().to_owned(),
    )
}

/// A credit deduction against the fixture's contractor: the credit module records it, which
/// changes the feed, which is what the bureau subscribed to.
async fn deduct(app: &TestApp, fx: &Fixture, points: i32) {
    app.data(
        fx.inspector.auth(),
        ISSUE,
        json!({ "input": {
            "kind": "CREDIT_DEDUCTION",
            "legalBasis": "《重庆市建筑施工企业诚信综合评价暂行办法》（渝府发〔2012〕65号）",
            "description": "脚手架连墙件缺失，限期整改逾期未改",
            "targetEnterpriseId": fx.contractor.id,
            "projectId": fx.project.id,
            "points": points,
        } }),
    )
    .await;
}

async fn deliveries(app: &TestApp, fx: &Fixture, sub: &str) -> Value {
    app.data(fx.bureau.auth(), DELIVERIES, json!({ "id": sub }))
        .await["webhookDeliveries"]
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_fails_twice_gets_the_change_once_with_a_valid_signature() {
    let (app, fx) = Fixture::spawn_with(options(8)).await;
    let rx = Receiver::start(vec![500, 502, 200]).await;
    let (sub, secret) = subscribe(&app, &fx, &rx.url).await;
    deduct(&app, &fx, 3).await;

    // A deduction makes two changes (the score, the bad record): two deliveries, each failing
    // twice and then succeeding — six requests, and no more after them.
    rx.wait_for(6).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let all = rx.seen();
    assert_eq!(all.len(), 6, "{all:#?}");
    let seen: Vec<Received> = all.iter().filter(|r| r.id == all[0].id).cloned().collect();
    assert_eq!(seen.len(), 3);
    for r in &all {
        assert!(signature_is_valid(&secret, r), "signature of {r:?}");
    }
    let mut seqs: Vec<i64> = all
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["data"]["seq"]
                .as_i64()
                .unwrap()
        })
        .collect();
    seqs.sort();
    seqs.dedup();
    assert_eq!(seqs, [1, 2], "each feed entry delivered, none twice");
    for r in &seen {
        assert_eq!(r.id, seen[0].id, "the same webhook-id on every attempt");
        assert_eq!(r.body, seen[0].body, "the same body on every attempt");
        assert!(signature_is_valid(&secret, r), "signature of {r:?}");
        let age = chrono::Utc::now().timestamp() - r.timestamp.parse::<i64>().unwrap();
        assert!((0..60).contains(&age), "timestamp is the attempt's time");
    }
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["type"], "credit.changed");
    assert_eq!(body["data"]["uscc"], fx.contractor.uscc);

    // Whoever changes a byte of the body, the id or the time cannot keep the signature.
    let mut forged = seen[2].clone();
    forged.body = forged.body.replacen("credit.changed", "credit.changeD", 1);
    assert!(!signature_is_valid(&secret, &forged));
    let mut replayed = seen[2].clone();
    replayed.timestamp = (replayed.timestamp.parse::<i64>().unwrap() + 1).to_string();
    assert!(!signature_is_valid(&secret, &replayed));
    assert!(!signature_is_valid(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        &seen[2]
    ));

    // The delivery log: two deliveries, each delivered, with the three status codes in order.
    app.settle().await;
    let log = deliveries(&app, &fx, &sub).await;
    assert_eq!(log["totalCount"], 2);
    let changes: Vec<&Value> = log["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .filter(|n| n["webhookId"] == seen[0].id.as_str())
        .collect();
    assert_eq!(changes.len(), 1);
    let d = changes[0];
    assert_eq!(d["status"], "DELIVERED");
    assert_eq!(d["attemptCount"], 3);
    assert_eq!(d["lastStatusCode"], 200);
    assert_eq!(d["body"], seen[0].body.as_str());
    let codes: Vec<i64> = d["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["statusCode"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [500, 502, 200]);
    // Every credit.changed event made exactly one delivery for this subscription.
    let events = app
        .scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'credit.changed'")
        .await;
    assert!(events >= 1);
    assert_eq!(app.count("webhook_delivery").await, events);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_is_dead_lettered_after_the_limit_and_a_replay_delivers_it() {
    let (app, fx) = Fixture::spawn_with(options(3)).await;
    let rx = Receiver::start(vec![503]).await;
    let (sub, secret) = subscribe(&app, &fx, &rx.url).await;
    deduct(&app, &fx, 2).await;
    // Two deliveries (score and record), three attempts each.
    let first = rx.wait_for(6).await;
    // Dead after three attempts: no fourth comes on its own.
    let mut log = Value::Null;
    for _ in 0..100 {
        log = deliveries(&app, &fx, &sub).await;
        if log["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["status"] == "DEAD")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let dead = log["edges"][0]["node"].clone();
    assert_eq!(dead["status"], "DEAD", "{log}");
    assert_eq!(dead["attemptCount"], 3);
    let wid = dead["webhookId"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let ours = |all: &[Received]| all.iter().filter(|r| r.id == wid).count();
    assert_eq!(ours(&rx.seen()), 3);
    assert_eq!(
        rx.seen().len(),
        first.len(),
        "no fourth attempt of either delivery"
    );

    // Only the owner or an administrator may replay; someone else does not even see it.
    let replay = "mutation($id: ID!) { replayWebhookDelivery(input: {id: $id}) { delivery { status attemptCount } } }";
    let body = app
        .gql(fx.manager.auth(), replay, json!({ "id": dead["id"] }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");

    rx.answer_from_now_on(204);
    let d = app
        .data(fx.bureau.auth(), replay, json!({ "id": dead["id"] }))
        .await;
    assert_eq!(d["replayWebhookDelivery"]["delivery"]["status"], "PENDING");
    assert_eq!(d["replayWebhookDelivery"]["delivery"]["attemptCount"], 0);
    let after = rx.wait_for(first.len() + 1).await;
    let last = after.iter().rfind(|r| r.id == wid).unwrap();
    assert_eq!(ours(&after), 4);
    assert!(signature_is_valid(&secret, last));
    let mut log = Value::Null;
    for _ in 0..100 {
        log = deliveries(&app, &fx, &sub).await["edges"][0]["node"].clone();
        if log["status"] == "DELIVERED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log["status"], "DELIVERED");
    let codes: Vec<i64> = log["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["statusCode"].as_i64().unwrap())
        .collect();
    // The log keeps the first series; the replay's attempt counts from 1 again.
    assert_eq!(codes, [503, 503, 503, 204]);
    let numbers: Vec<i64> = log["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attempt"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3, 1]);
    // A delivered delivery cannot be replayed while pending, and replays are audited.
    let audited = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kernel.webhook.replay'")
        .await;
    assert_eq!(audited, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_subscribe_to_what_and_what_is_refused() {
    let (app, fx) = Fixture::spawn().await;
    let input = |url: &str, topics: Value| json!({ "input": { "url": url, "topics": topics } });
    let ok_url = "http://127.0.0.1:9/hook";

    let body = app
        .gql(None, SUBSCRIBE, input(ok_url, json!(["credit.changed"])))
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    // Commission and enterprise people do not manage the bureau's exchange.
    for who in [&fx.inspector, &fx.manager, &fx.leader] {
        let body = app
            .gql(
                who.auth(),
                SUBSCRIBE,
                input(ok_url, json!(["credit.changed"])),
            )
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    // Only declared topics: an internal event never leaves through a webhook.
    for topic in [
        "inspections.enforcement_issued",
        "kernel.obligation_missed",
        "nope",
    ] {
        let body = app
            .gql(fx.bureau.auth(), SUBSCRIBE, input(ok_url, json!([topic])))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{topic}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "topics");
    }
    let body = app
        .gql(fx.bureau.auth(), SUBSCRIBE, input(ok_url, json!([])))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "topics");
    let body = app
        .gql(
            fx.bureau.auth(),
            SUBSCRIBE,
            input("ftp://127.0.0.1/hook", json!(["credit.changed"])),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "url");
    assert_eq!(app.count("webhook_subscription").await, 0);

    let topics = app
        .data(
            fx.bureau.auth(),
            "{ webhookTopics { topic description } }",
            json!({}),
        )
        .await;
    assert!(
        topics["webhookTopics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["topic"] == "credit.changed")
    );

    // A retried create returns the first subscription and the same secret.
    let keyed = json!({ "input": { "url": ok_url, "topics": ["credit.changed"], "idempotencyKey": "sub-1" } });
    let a = app.data(fx.bureau.auth(), SUBSCRIBE, keyed.clone()).await;
    let b = app.data(fx.bureau.auth(), SUBSCRIBE, keyed).await;
    let (pa, pb) = (
        &a["createWebhookSubscription"],
        &b["createWebhookSubscription"],
    );
    assert_eq!(pa["subscription"]["id"], pb["subscription"]["id"]);
    assert_eq!(pa["secret"], pb["secret"]);
    assert_eq!(app.count("webhook_subscription").await, 1);
    let id = pa["subscription"]["id"].clone();

    // The administrator sees it and may pause it, but never learns or changes its secret.
    let list = "{ webhookSubscriptions { id url active } }";
    let seen = app.data(fx.admin.auth(), list, json!({})).await;
    assert_eq!(seen["webhookSubscriptions"][0]["id"], id);
    let rotate = "mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret subscription { version } } }";
    let body = app.gql(fx.admin.auth(), rotate, json!({ "id": id })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let pause = "mutation($id: ID!) { updateWebhookSubscription(input: {id: $id, active: false}) { subscription { active } } }";
    let paused = app.data(fx.admin.auth(), pause, json!({ "id": id })).await;
    assert_eq!(
        paused["updateWebhookSubscription"]["subscription"]["active"],
        false
    );

    // The owner rotates: a new secret, the old one no longer the current one.
    let r = app
        .data(fx.bureau.auth(), rotate, json!({ "id": id }))
        .await;
    assert_ne!(r["rotateWebhookSecret"]["secret"], pa["secret"]);
    assert!(
        r["rotateWebhookSecret"]["secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    // Secrets are never in the database or the audit trail.
    let secret = pa["secret"].as_str().unwrap();
    let leaked = app
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE detail LIKE '%{}%'",
            &secret[6..20]
        ))
        .await;
    assert_eq!(leaked, 0);

    // A stale version is a conflict; deleting hides it from the owner's list.
    let delete = "mutation($id: ID!, $v: Int) { deleteWebhookSubscription(input: {id: $id, expectedVersion: $v}) { id } }";
    let body = app
        .gql(fx.bureau.auth(), delete, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    app.data(fx.bureau.auth(), delete, json!({ "id": id }))
        .await;
    let seen = app.data(fx.bureau.auth(), list, json!({})).await;
    assert_eq!(seen["webhookSubscriptions"], json!([]));
}

//! Gateway and kernel behaviour over HTTP: the audit chain, GraphQL over HTTP, GraphiQL offline,
//! uploads, statement counts under load, live notifications.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_util::{SinkExt, StreamExt};
use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, TestApp, error_code, png, uuid_of, valid_uscc};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_chain_verifies_and_detects_edited_and_deleted_records() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    for i in 0..3 {
        app.data(
            Some(&token),
            "mutation($c: String!) { createOrgUnit(input: {code: $c, name: \"测试科室\", kind: DEPARTMENT}) { orgUnit { id } } }",
            json!({ "c": format!("TEST-{i}") }),
        )
        .await;
    }
    // Seed, login and three creates: every mutation left a record.
    assert!(app.count("audit_log").await >= 5);
    assert_eq!(
        app.cli(&["audit", "verify"]).await,
        0,
        "an untouched chain verifies"
    );

    app.tamper("UPDATE audit_log SET detail = '{\"code\":\"FORGED\"}' WHERE seq = (SELECT MAX(seq) - 1 FROM audit_log)").await;
    assert_eq!(
        app.cli(&["audit", "verify"]).await,
        1,
        "an edited record is detected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_detects_deleted_records_in_the_middle_and_at_the_end() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    for i in 0..3 {
        app.data(
            Some(&token),
            "mutation($c: String!) { createOrgUnit(input: {code: $c, name: \"测试科室\", kind: DEPARTMENT}) { orgUnit { id } } }",
            json!({ "c": format!("DEL-{i}") }),
        )
        .await;
    }
    assert_eq!(app.cli(&["audit", "verify"]).await, 0);
    // The newest record removed: the chain itself still links, the head does not match.
    app.tamper("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
        .await;
    assert_eq!(
        app.cli(&["audit", "verify"]).await,
        1,
        "a deleted newest record is detected"
    );

    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    app.login("staff").await;
    app.data(Some(&token), "mutation { createOrgUnit(input: {code: \"MID\", name: \"中间\", kind: DEPARTMENT}) { orgUnit { id } } }", json!({})).await;
    app.tamper("DELETE FROM audit_log WHERE seq = (SELECT MIN(seq) + 1 FROM audit_log)")
        .await;
    assert_eq!(
        app.cli(&["audit", "verify"]).await,
        1,
        "a deleted middle record is detected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_over_http_status_codes_and_media_types() {
    let app = TestApp::spawn().await;
    let url = format!("{}/graphql", app.base);
    let c = &app.client;
    // application/graphql-response+json: a request error is 400 with no data entry.
    let res = c
        .post(&url)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ me { " }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.headers()["content-type"],
        "application/graphql-response+json"
    );
    let body: Value = res.json().await.unwrap();
    assert!(body.get("data").is_none());
    assert!(body["errors"].is_array());
    // …and a field error is 200 with data.
    let res = c
        .post(&url)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert!(body.get("data").is_some());
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    // application/json keeps 200 for GraphQL errors.
    let res = c
        .post(&url)
        .header("accept", "application/json")
        .json(&json!({ "query": "{ me { " }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    // Unacceptable media type, unsupported content type, GET mutation.
    let res = c
        .post(&url)
        .header("accept", "text/csv")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 406);
    let res = c
        .post(&url)
        .header("content-type", "text/plain")
        .body("{ __typename }")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let res = c
        .get(&url)
        .query(&[("query", "{ __typename }")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap()["data"]["__typename"],
        "Query"
    );
    let res = c
        .get(&url)
        .query(&[(
            "query",
            "mutation { logout(input: {refreshToken: \"x\"}) { ok } }",
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    // Batches are limited.
    let batch: Vec<Value> = (0..11)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let res = c.post(&url).json(&batch).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let batch: Vec<Value> = (0..2)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let body: Value = c
        .post(&url)
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body.as_array().unwrap().len(), 2);
    // Depth limit.
    let deep = format!(
        "{{ me {{ orgUnit {}{}}} }}",
        "{ parent ".repeat(20),
        "{ id }".to_owned() + &"}".repeat(20)
    );
    let token = app.login("admin").await;
    let body = app.gql(Some(&token), &deep, json!({})).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("nested too deep"),
        "{body}"
    );
    // Health and readiness; request ids are echoed.
    let res = c.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(
        c.get(format!("{}/readyz", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_is_served_from_the_binary_with_no_external_url() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    let res = app
        .client
        .get(format!("{}/graphiql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("GraphiQL"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page references an external URL"
    );
    // Every asset the page references is served by us.
    let mut assets = 0;
    for part in html.split("/graphiql/assets/").skip(1) {
        let name: String = part
            .chars()
            .take_while(|c| !matches!(c, '"' | '\'' | '?' | ')' | ' '))
            .collect();
        let res = app
            .client
            .get(format!("{}/graphiql/assets/{name}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{name}");
        assets += 1;
    }
    assert!(assets >= 3, "scripts and styles are vendored");
    // A browser asking /graphql for HTML gets the same page.
    let res = app
        .client
        .get(format!("{}/graphql", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("GraphiQL"));
}

fn stored_objects(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p)
            .map(|d| {
                d.flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            walk(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(&app.data_dir.join("objects"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_over_the_limit_are_refused_and_store_nothing() {
    let (app, fx) = Fixture::spawn_with(Options {
        upload_max_bytes: Some(4096),
        ..Options::default()
    })
    .await;
    let token = fx.manager.token.clone();
    let project = fx.project.id.clone();

    let (status, body) = app.upload(&token, &project, png(8000)).await;
    assert_eq!(status, 413);
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(app.count("attachment").await, 0);
    assert_eq!(stored_objects(&app), 0);

    // Not an image, though declared as one.
    let (_, body) = app
        .upload(&token, &project, b"<html>not a photo</html>".to_vec())
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(stored_objects(&app), 0);

    // Within the limit it is stored once, content-addressed, and served only to allowed readers.
    let (status, body) = app.upload(&token, &project, png(100)).await;
    assert_eq!(status, 200, "{body}");
    let a = &body["data"]["uploadAttachment"]["attachment"];
    assert_eq!(a["mediaType"], "image/png");
    assert_eq!(stored_objects(&app), 1);
    let url = format!("{}{}", app.base, a["url"].as_str().unwrap());
    let res = app
        .client
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().len(), png(100).len());
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    let stranger = fx.other_manager.token.clone();
    assert_eq!(
        app.client
            .get(&url)
            .bearer_auth(&stranger)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // The stranger cannot attach to a project it cannot see either.
    let (_, body) = app.upload(&stranger, &project, png(10)).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
}

const HEAVY_PAGE: &str = "query($n: Int!) { projects(first: $n) { totalCount edges { node {
  code township { name } participants { role enterprise { name uscc } }
  keyPersons { role name enterprise { name } } attachments { id } } } } }";

async fn statements_for(app: &TestApp, token: &str, n: i64, concurrent: usize) -> f64 {
    let before = app.metric("jianan_sql_statements_total").await;
    let futures = (0..concurrent).map(|_| app.data(Some(token), HEAVY_PAGE, json!({ "n": n })));
    let results = futures_util::future::join_all(futures).await;
    for r in &results {
        assert_eq!(r["projects"]["edges"].as_array().unwrap().len() as i64, n);
    }
    let after = app.metric("jianan_sql_statements_total").await;
    (after - before) as f64 / concurrent as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_statements_per_request_do_not_grow_with_page_size_or_load() {
    // A long outbox poll keeps the background dispatcher quiet while we count.
    let app = TestApp::spawn_with(Options {
        outbox_poll_ms: Some(3_600_000),
        ..Options::default()
    })
    .await;
    let token = app.login("admin").await;
    // Let the dispatcher's pass after the login commit finish before counting.
    statements_for(&app, &token, 1, 1).await;
    app.settle().await;
    let small = statements_for(&app, &token, 5, 1).await;
    let large = statements_for(&app, &token, 100, 1).await;
    let loaded = statements_for(&app, &token, 50, 32).await;
    assert_eq!(
        small, large,
        "page size must not change the statement count"
    );
    assert_eq!(
        large, loaded,
        "32 requests in flight must not split batches"
    );
    // page + count + townships + participants + enterprises + key persons + attachments
    assert_eq!(small, 7.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_arrive_live_over_the_websocket_and_persist() {
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = TestApp::spawn().await;
    let token = app.login("inspector").await;
    let me = app.data(Some(&token), "{ me { id } }", json!({})).await;
    let my_id = uuid_of(me["me"]["id"].as_str().unwrap());

    let mut req = format!("ws://{}/graphql/ws", app.server().addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    ws.send(Message::text(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }).to_string()))
        .await
        .unwrap();
    let ack = ws.next().await.unwrap().unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"), "{ack:?}");
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { notificationReceived { title body } }" } }).to_string(),
    ))
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    // A module writes to the inbox inside its transaction.
    let k = &app.server().kernel;
    let w = k.db.begin_write().await.unwrap();
    jianan_kernel::inbox::notify(
        &*w,
        &jianan_kernel::principal::RequestInfo::system("test"),
        jianan_kernel::inbox::NewNotification {
            recipient_id: my_id,
            kind: "inspections.hazard_assigned".into(),
            title: "隐患已指派".into(),
            body: "请及时整改".into(),
            subject: None,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();

    let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
        .await
        .expect("pushed in time")
        .unwrap()
        .unwrap();
    let v: Value = serde_json::from_str(msg.to_text().unwrap()).unwrap();
    assert_eq!(v["type"], "next");
    assert_eq!(
        v["payload"]["data"]["notificationReceived"]["title"],
        "隐患已指派"
    );

    let d = app.data(Some(&token), "{ unreadNotificationCount notifications(first: 5) { totalCount edges { node { id title readAt } } } }", json!({})).await;
    assert_eq!(d["unreadNotificationCount"], 1);
    let id = d["notifications"]["edges"][0]["node"]["id"].clone();
    let d = app
        .data(
            Some(&token),
            "mutation($ids: [ID!]) { markNotificationsRead(input: {ids: $ids}) { updatedCount } }",
            json!({ "ids": [id] }),
        )
        .await;
    assert_eq!(d["markNotificationsRead"]["updatedCount"], 1);
    assert_eq!(
        app.data(Some(&token), "{ unreadNotificationCount }", json!({}))
            .await["unreadNotificationCount"],
        0
    );
    // Someone else's inbox is theirs alone.
    let other = app.login("staff").await;
    assert_eq!(
        app.data(Some(&other), "{ unreadNotificationCount }", json!({}))
            .await["unreadNotificationCount"],
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_written_before_a_crash_are_dispatched_after_restart() {
    let mut app = TestApp::spawn().await;
    let token = app.login("staff").await;
    let uscc = valid_uscc("91500156MA5UEXT01");
    app.data(
        Some(&token),
        "mutation($u: String!) { createEnterprise(input: {uscc: $u, name: \"事件测试有限公司\", kind: SUPERVISOR}) { enterprise { id } } }",
        json!({ "u": uscc }),
    )
    .await;
    app.stop().await;
    // An accepted write whose event was never dispatched (the process died after commit).
    app.exec("UPDATE outbox_event SET dispatched_at = NULL")
        .await;
    let pending = app.count("outbox_event").await;
    assert!(pending > 0);
    let server = jianan_api::start(app.config(), false).await.unwrap();
    let mut undelivered = i64::MAX;
    for _ in 0..50 {
        undelivered = app.pending_events().await;
        if undelivered == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        undelivered, 0,
        "every event is dispatched after the restart"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_work_runs_on_one_instance_at_a_time() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    let k = app.server().kernel.clone();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
    let first = {
        let k = k.clone();
        tokio::spawn(async move {
            jianan_kernel::db::run_exclusive(&k.db, "test.job", || async move {
                let _ = started_tx.send(());
                let _ = release_rx.await;
                Ok(())
            })
            .await
            .unwrap()
        })
    };
    started_rx.await.unwrap();
    let second = jianan_kernel::db::run_exclusive(&k.db, "test.job", || async { Ok(()) })
        .await
        .unwrap();
    let other_job = jianan_kernel::db::run_exclusive(&k.db, "test.other", || async { Ok(()) })
        .await
        .unwrap();
    let _ = release_tx.send(());
    assert!(first.await.unwrap(), "the first run ran");
    assert!(other_job, "another job is not blocked");
    if app.database_url.starts_with("postgres") {
        assert!(
            !second,
            "a second instance skips while the first holds the job"
        );
    } else {
        assert!(second, "SQLite has one process: nothing to exclude");
    }
    let again = jianan_kernel::db::run_exclusive(&k.db, "test.job", || async { Ok(()) })
        .await
        .unwrap();
    assert!(again, "the lock ends with the run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_reach_subscribers_on_another_instance() {
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = TestApp::spawn().await;
    if !app.database_url.starts_with("postgres") {
        return; // one process on SQLite: the single-instance test covers it
    }
    // A second instance on the same database and data directory (so the same JWT secret).
    let second = jianan_api::start(app.config(), false).await.unwrap();
    let token = app.login("inspector").await;
    let me = app.data(Some(&token), "{ me { id } }", json!({})).await;
    let my_id = uuid_of(me["me"]["id"].as_str().unwrap());

    let mut req = format!("ws://{}/graphql/ws", second.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    ws.send(Message::text(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }).to_string()))
        .await
        .unwrap();
    assert!(
        ws.next()
            .await
            .unwrap()
            .unwrap()
            .to_text()
            .unwrap()
            .contains("connection_ack")
    );
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { notificationReceived { title } }" } }).to_string(),
    ))
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Written and dispatched by the first instance.
    let k = &app.server().kernel;
    let w = k.db.begin_write().await.unwrap();
    jianan_kernel::inbox::notify(
        &*w,
        &jianan_kernel::principal::RequestInfo::system("test"),
        jianan_kernel::inbox::NewNotification {
            recipient_id: my_id,
            kind: "test.cross_instance".into(),
            title: "跨实例推送".into(),
            body: String::new(),
            subject: None,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
        .await
        .expect("pushed in time")
        .unwrap()
        .unwrap();
    let v: Value = serde_json::from_str(msg.to_text().unwrap()).unwrap();
    assert_eq!(
        v["payload"]["data"]["notificationReceived"]["title"],
        "跨实例推送"
    );
    second.stop().await;
}

//! WebSocket sessions (issue #8 item 3): a connection lives no longer than the session it was
//! opened with — it closes when its account is archived, its sign-in is logged out (or its token
//! expires) — and a message
//! larger than an HTTP request body may be is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_util::{SinkExt, StreamExt};
use jianan_tests::Options;
use jianan_tests::fixtures::Fixture;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(addr: std::net::SocketAddr, token: &str) -> Ws {
    let mut req = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    ws.send(Message::text(
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } })
            .to_string(),
    ))
    .await
    .unwrap();
    let ack = ws.next().await.unwrap().unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"), "{ack:?}");
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { notificationReceived { title } }" } })
            .to_string(),
    ))
    .await
    .unwrap();
    ws
}

/// Whether the server ends the connection within `secs` seconds.
async fn closed_within(ws: &mut Ws, secs: u64) -> bool {
    let deadline = std::time::Duration::from_secs(secs);
    tokio::time::timeout(deadline, async {
        loop {
            match ws.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archived_accounts_websocket_is_closed() {
    let (app, fx) = Fixture::spawn_with(Options {
        settings: Some("ws_session_check_ms = 200\n".into()),
        ..Options::default()
    })
    .await;
    let addr = app.server().addr;
    let mut staff = open(addr, &fx.staff.token).await;
    let mut inspector = open(addr, &fx.inspector.token).await;
    // Both stay open while their sessions stand.
    assert!(!closed_within(&mut staff, 1).await);
    app.data(
        fx.admin.auth(),
        "mutation($id: ID!) { archiveAccount(input: {id: $id}) { account { id } } }",
        json!({ "id": fx.staff.id }),
    )
    .await;
    assert!(closed_within(&mut staff, 5).await, "archived: closed");
    assert!(!closed_within(&mut inspector, 1).await, "the others stay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_closes_when_its_sign_in_is_logged_out() {
    let (app, fx) = Fixture::spawn_with(Options {
        settings: Some("ws_session_check_ms = 200\n".into()),
        ..Options::default()
    })
    .await;
    let addr = app.server().addr;
    // Two sign-ins of one account (a phone and a desktop), one connection each.
    let (phone_token, phone_refresh) = app.login_pair(&fx.staff.username).await;
    let (desk_token, _) = app.login_pair(&fx.staff.username).await;
    let mut phone = open(addr, &phone_token).await;
    let mut desk = open(addr, &desk_token).await;
    assert!(!closed_within(&mut phone, 1).await, "open while signed in");
    let out = app
        .data(
            None,
            "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }",
            json!({ "t": phone_refresh }),
        )
        .await;
    assert_eq!(out["logout"]["ok"], true);
    assert!(closed_within(&mut phone, 5).await, "logged out: closed");
    assert!(
        !closed_within(&mut desk, 1).await,
        "the other sign-in of the same account stays"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_larger_than_a_request_body_is_refused() {
    let (app, fx) = Fixture::spawn_with(Options {
        settings: Some("max_body_bytes = 65536\n".into()),
        ..Options::default()
    })
    .await;
    let mut ws = open(app.server().addr, &fx.inspector.token).await;
    let huge = format!(
        "{{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{{\"query\":\"subscription {{ notificationReceived {{ title }} }}\",\"variables\":{{\"x\":\"{}\"}}}}}}",
        "a".repeat(100_000)
    );
    let _ = ws.send(Message::text(huge)).await;
    assert!(
        closed_within(&mut ws, 5).await,
        "an oversized message ends the connection"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_over_the_websocket_get_loaders_of_their_own() {
    let (app, fx) = Fixture::spawn().await;
    app.data(
        fx.inspector.auth(),
        "mutation($p: ID!) { reportHazard(input: {projectId: $p, level: GENERAL, category: \"SCAFFOLDING\",
          description: \"脚手板未满铺\", location: \"2号楼\"}) { hazard { id } } }",
        json!({ "p": fx.project.id }),
    )
    .await;
    let mut ws = open(app.server().addr, &fx.inspector.token).await;
    // Two operations in turn on one connection, each resolving relations through loaders.
    for id in ["q1", "q2"] {
        ws.send(Message::text(
            json!({ "id": id, "type": "subscribe", "payload": { "query": "{ hazards(first: 5) { nodes { id project { code } } } }" } })
                .to_string(),
        ))
        .await
        .unwrap();
        let next = loop {
            let m = ws.next().await.unwrap().unwrap();
            let v: serde_json::Value = serde_json::from_str(m.to_text().unwrap()).unwrap();
            if v["id"] == id {
                break v;
            }
        };
        assert_eq!(next["type"], "next", "{next}");
        assert!(next["payload"]["errors"].is_null(), "{next}");
        assert_eq!(
            next["payload"]["data"]["hazards"]["nodes"][0]["project"]["code"],
            fx.project.code.as_str()
        );
    }
}

//! Gateway settings: production mode, CORS allow-list, body limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_api::config::{Config, FileConfig, Mode, Overrides, Secret};
use jianan_tests::{Options, TestApp, error_code};
use serde_json::json;

fn production(secret: Option<&str>, dir: &std::path::Path) -> Config {
    let file = FileConfig {
        mode: Some(Mode::Production),
        jwt_secret: secret.map(|s| Secret(s.into())),
        ..FileConfig::default()
    };
    let o = Overrides {
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.join("data")),
        database_url: Some(format!("sqlite://{}?mode=rwc", dir.join("p.db").display())),
    };
    Config::from_layers(file, &o).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_mode_needs_a_secret_and_refuses_demo_data_and_graphiql() {
    let tmp = tempfile::tempdir().unwrap();
    let err = jianan_api::start(production(None, tmp.path()), false)
        .await
        .err()
        .expect("refused");
    assert!(err.0.contains("JWT"), "{err}");
    assert!(
        !tmp.path().join("data").join("jwt-secret").exists(),
        "no secret generated in production"
    );
    let secret = "a-production-secret-of-at-least-32-chars";
    let err = jianan_api::start(production(Some(secret), tmp.path()), true)
        .await
        .err()
        .expect("demo refused");
    assert!(err.0.contains("演示"), "{err}");
    let server = jianan_api::start(production(Some(secret), tmp.path()), false)
        .await
        .unwrap();
    let base = format!("http://{}", server.addr);
    let c = reqwest::Client::new();
    assert_eq!(
        c.get(format!("{base}/graphiql"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let body: serde_json::Value = c
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "{ __schema { types { name } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        body["data"]["__schema"].is_null(),
        "introspection is off in production: {body}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_listed_origins() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        cors_origins: Some(vec!["http://console.example".into()]),
        ..Options::default()
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    let ok = preflight("http://console.example").await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "http://console.example"
    );
    let other = preflight("http://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_json_bodies_are_refused() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    let huge = format!("{{ __typename }} #{}", "x".repeat(3 * 1024 * 1024));
    let res = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": huge }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

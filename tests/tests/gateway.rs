//! Gateway settings: production mode, CORS allow-list, body limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_api::config::{Config, FileConfig, Mode, Overrides, Secret};
use jianan_tests::{Options, TestApp, error_code};
use serde_json::json;

const AUDIT_KEY: &str = "a-production-audit-key-of-32-chars-at-least";

fn production(secret: Option<&str>, dir: &std::path::Path) -> Config {
    production_keyed(secret, Some(AUDIT_KEY), dir)
}

fn production_keyed(secret: Option<&str>, audit: Option<&str>, dir: &std::path::Path) -> Config {
    let file = FileConfig {
        mode: Some(Mode::Production),
        jwt_secret: secret.map(|s| Secret(s.into())),
        audit_key: audit.map(|s| Secret(s.into())),
        ..FileConfig::default()
    };
    let o = Overrides {
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.join("data")),
        database_url: Some(format!("sqlite://{}?mode=rwc", dir.join("p.db").display())),
    };
    let mut config = Config::from_layers(file, &o).unwrap();
    config.settings_file = Some(jianan_tests::production_settings());
    config
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
    // No audit key: refused too, and none generated.
    let err = jianan_api::start(production_keyed(Some(secret), None, tmp.path()), false)
        .await
        .err()
        .expect("refused without an audit key");
    assert!(err.0.contains("审计密钥"), "{err}");
    assert!(!tmp.path().join("data").join("audit-key").exists());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_require_a_bearer_token() {
    let app = jianan_tests::TestApp::spawn_with(jianan_tests::Options {
        empty: true,
        settings: Some("metrics_token = \"scrape-token-0123456789\"\n".into()),
        ..Default::default()
    })
    .await;
    let url = format!("{}/metrics", app.base);
    let get = |token: Option<&'static str>| {
        let mut req = app.client.get(&url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    for token in [None, Some("wrong-token-0123456789x"), Some("scrape-token")] {
        let res = get(token).await.unwrap();
        assert_eq!(res.status(), 401, "{token:?}");
        assert!(!res.text().await.unwrap().contains("jianan_"));
    }
    let res = get(Some("scrape-token-0123456789")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("jianan_http_requests_total")
    );
    // Health and readiness stay open for the load balancer.
    let res = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_configurations_refuse_to_start_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let o = |listen: &str| Overrides {
        listen: Some(listen.into()),
        data_dir: Some(dir.path().join("data")),
        database_url: Some(format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("u.db").display()
        )),
    };
    // Every origin: refused while the configuration is read, not a panic in the CORS layer.
    let wildcard = FileConfig {
        cors_origins: Some(vec!["*".into()]),
        ..FileConfig::default()
    };
    let err = Config::from_layers(wildcard, &o("127.0.0.1:0")).unwrap_err();
    assert!(err.contains("cors_origins"), "{err}");
    // Development mode on every interface: refused before anything is opened.
    let config = Config::from_layers(FileConfig::default(), &o("0.0.0.0:0")).unwrap();
    let err = jianan_api::start(config, false).await.err().unwrap().0;
    assert!(err.contains("allow_public_development"), "{err}");
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

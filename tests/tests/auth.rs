//! Login, tokens and their refusal, end to end over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_kernel::tokens::{AccessClaims, ISSUER};
use jianan_tests::{TestApp, error_code};
use serde_json::json;

const ME: &str = "{ me { username roles } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_then_me_returns_the_account() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    let d = app.data(Some(&token), ME, json!({})).await;
    assert_eq!(d["me"]["username"], "admin");
    assert_eq!(d["me"]["roles"], json!(["ADMIN"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_unauthenticated_and_issues_nothing() {
    let app = TestApp::spawn().await;
    let before = app.count("refresh_token").await;
    let body = app
        .gql(None, "mutation { login(input: {username: \"admin\", password: \"wrong-password\"}) { accessToken } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(body["errors"][0]["message"], "用户名或密码错误");
    assert_eq!(app.count("refresh_token").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_callers_get_unauthenticated() {
    let app = TestApp::spawn().await;
    for q in [
        ME,
        "{ projects { totalCount } }",
        "{ enterprises { totalCount } }",
    ] {
        let body = app.gql(None, q, json!({})).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{q}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_or_tampered_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    // Tampered: change the payload, keep the signature.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let payload = &mut parts[1];
    let flipped = if payload.ends_with('A') { 'B' } else { 'A' };
    payload.pop();
    payload.push(flipped);
    let tampered = parts.join(".");
    let (status, body) = app.post(Some(&tampered), ME, json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "UNAUTHENTICATED");

    // Expired: signed with the server's real key, but past its expiry.
    let me = app.data(Some(&token), "{ me { id } }", json!({})).await;
    let now = chrono::Utc::now().timestamp();
    let claims = AccessClaims {
        sub: jianan_kernel::relay::decode_any(&async_graphql::ID(
            me["me"]["id"].as_str().unwrap().into(),
        ))
        .unwrap()
        .1,
        iss: ISSUER.into(),
        iat: now - 3600,
        exp: now - 60,
        jti: uuid::Uuid::now_v7(),
        kind: "PERSON".into(),
        username: "admin".into(),
        roles: vec![jianan_kernel::principal::Role::Admin],
        org: None,
        township: None,
        enterprise: None,
        grants: vec![],
    };
    let expired = app.server().kernel.tokens.sign(&claims).unwrap();
    let (status, body) = app.post(Some(&expired), ME, json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(body["errors"][0]["message"], "登录已过期，请重新登录");
    // The same claims with a future expiry work: the refusal was the expiry, not the key.
    let valid = app
        .server()
        .kernel
        .tokens
        .sign(&AccessClaims {
            exp: now + 60,
            ..claims
        })
        .unwrap();
    assert_eq!(
        app.data(Some(&valid), ME, json!({})).await["me"]["username"],
        "admin"
    );
}

const REFRESH: &str = "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken refreshToken } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let app = TestApp::spawn().await;
    let (_, r1) = app.login_pair("inspector").await;
    let d = app.data(None, REFRESH, json!({ "t": r1 })).await;
    let r2 = d["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let access = d["refreshToken"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(r1, r2);
    assert_eq!(
        app.data(Some(&access), ME, json!({})).await["me"]["username"],
        "inspector"
    );
    // Replaying the used token is reuse: refused, and the whole family is revoked with it.
    let body = app.gql(None, REFRESH, json!({ "t": r1 })).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let body = app.gql(None, REFRESH, json!({ "t": r2 })).await;
    assert_eq!(
        error_code(&body),
        "UNAUTHENTICATED",
        "the newest token of a reused family is revoked too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_the_refresh_token() {
    let app = TestApp::spawn().await;
    let (_, refresh) = app.login_pair("staff").await;
    let d = app
        .data(
            None,
            "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }",
            json!({ "t": refresh }),
        )
        .await;
    assert_eq!(d["logout"]["ok"], true);
    let body = app.gql(None, REFRESH, json!({ "t": refresh })).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_accounts_use_client_credentials_and_see_no_registry() {
    let app = TestApp::spawn().await;
    let q = "mutation($c: String!, $s: String!) { issueServiceToken(input: {clientId: $c, clientSecret: $s}) { accessToken refreshToken account { kind } } }";
    let body = app
        .gql(
            None,
            q,
            json!({ "c": "bureau-system", "s": "wrong-secret" }),
        )
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let d = app
        .data(
            None,
            q,
            json!({ "c": "bureau-system", "s": jianan_tests::DEMO_PASSWORD }),
        )
        .await;
    assert!(d["issueServiceToken"]["refreshToken"].is_null());
    assert_eq!(d["issueServiceToken"]["account"]["kind"], "SERVICE");
    let token = d["issueServiceToken"]["accessToken"].as_str().unwrap();
    // A service account is not a person: password login refuses it, and it cannot read projects.
    let body = app.gql(None, "mutation { login(input: {username: \"bureau-system\", password: \"jianan-demo\"}) { accessToken } }", json!({})).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let body = app
        .gql(Some(token), "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failed_logins_are_rate_limited() {
    let app = TestApp::spawn().await;
    let attempt = "mutation { login(input: {username: \"leader\", password: \"guess-guess\"}) { accessToken } }";
    for _ in 0..10 {
        assert_eq!(
            error_code(&app.gql(None, attempt, json!({})).await),
            "UNAUTHENTICATED"
        );
    }
    let body = app.gql(None, attempt, json!({})).await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
    // Even the right password waits out the window: guessing cannot continue by luck.
    let right = "mutation { login(input: {username: \"leader\", password: \"jianan-demo\"}) { accessToken } }";
    assert_eq!(
        error_code(&app.gql(None, right, json!({})).await),
        "RATE_LIMITED"
    );
    // Other accounts are unaffected.
    app.login("staff").await;
}

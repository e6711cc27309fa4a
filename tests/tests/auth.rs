//! Login, tokens and their refusal, end to end over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_kernel::tokens::{AccessClaims, ISSUER};
use jianan_tests::{Options, TestApp, error_code};
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
        sid: None,
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

// ---- Authentication under abuse (issue #8 item 1) ----

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken refreshToken account { id } } }";

/// Password hashes this app's server has run (login, service tokens, new passwords).
fn hashes(app: &TestApp) -> u64 {
    jianan_registry::service::auth::guard(&app.server().kernel)
        .hashing
        .runs()
}

/// A server with these `[modules.registry]` settings (and top-level `extra` keys).
async fn with_registry(extra: &str, registry: &str) -> TestApp {
    TestApp::spawn_with(Options {
        settings: Some(format!("{extra}\n[modules.registry]\n{registry}\n")),
        ..Options::default()
    })
    .await
}

/// A login as `username` with `password`, sending `X-Forwarded-For: forwarded` when given.
async fn attempt(
    app: &TestApp,
    username: &str,
    password: &str,
    forwarded: Option<&str>,
) -> serde_json::Value {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": LOGIN, "variables": { "u": username, "p": password } }));
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_aliased_logins_are_refused_before_any_hash() {
    let app = TestApp::spawn().await;
    let fields: Vec<String> = (0..100)
        .map(|i| {
            format!(
                "a{i}: login(input: {{username: \"admin\", password: \"guess-{i}\"}}) {{ accessToken }}"
            )
        })
        .collect();
    let query = format!("mutation {{ {} }}", fields.join(" "));
    let (hashed, audited) = (hashes(&app), app.count("audit_log").await);
    let started = std::time::Instant::now();
    let (status, body) = app.post(None, &query, json!({})).await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body.get("data").is_none(), "nothing ran: {body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("login"),
        "{body}"
    );
    assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    assert_eq!(hashes(&app), hashed, "no password was hashed");
    assert_eq!(app.count("audit_log").await, audited, "nothing was written");
    // Two different credential fields in one operation: refused the same way.
    let body = app
        .gql(
            None,
            "mutation { login(input: {username: \"admin\", password: \"x\"}) { accessToken } \
             issueServiceToken(input: {clientId: \"bureau-system\", clientSecret: \"x\"}) { accessToken } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(hashes(&app), hashed);
    // One login per operation still works, and is hashed once.
    app.login("admin").await;
    assert_eq!(hashes(&app), hashed + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_limited_per_address_and_audited_without_the_password() {
    let app = with_registry("", "login_failures_per_address = 5").await;
    // Five different names, one address: each a failure, each audited.
    for name in ["admin", "leader", "staff", "nobody-1", "nobody-2"] {
        let body = attempt(&app, name, "secret-guess-123", None).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{name}: {body}");
    }
    let audited = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.auth.login_failed'")
        .await;
    assert_eq!(audited, 5);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.auth.login_failed' \
             AND client_addr = '127.0.0.1' AND detail LIKE '%WRONG_PASSWORD%' AND detail LIKE '%\"admin\"%'"
        )
        .await,
        1,
        "who was claimed, why it failed, from where"
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.auth.login_failed' \
             AND detail LIKE '%UNKNOWN_ACCOUNT%'"
        )
        .await,
        2
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE detail LIKE '%secret-guess%'")
            .await,
        0,
        "the password is never recorded"
    );
    // The address has spent its budget: a sixth name, even with the right password, waits.
    let (hashed, audited) = (hashes(&app), app.count("audit_log").await);
    let body = attempt(&app, "inspector", jianan_tests::DEMO_PASSWORD, None).await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    assert_eq!(hashes(&app), hashed, "a limited attempt hashes nothing");
    assert_eq!(app.count("audit_log").await, audited, "nor writes anything");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_forwarded_for_is_ignored_unless_the_proxy_is_trusted() {
    // Not trusted (the default): made-up addresses do not buy new budgets.
    let app = with_registry("", "login_failures_per_address = 3").await;
    for i in 0..3 {
        let body = attempt(
            &app,
            &format!("x{i}"),
            "wrong-pass",
            Some(&format!("203.0.113.{i}")),
        )
        .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    let body = attempt(&app, "x9", "wrong-pass", Some("198.51.100.77")).await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE client_addr LIKE '203.0.113.%'")
            .await,
        0,
        "the audit keeps the real peer"
    );

    // Trusted (the test client is the proxy): each forwarded client has its own budget.
    let app = with_registry(
        "trusted_proxies = [\"127.0.0.1\", \"::1\"]",
        "login_failures_per_address = 3",
    )
    .await;
    for i in 0..3 {
        let body = attempt(&app, &format!("y{i}"), "wrong-pass", Some("203.0.113.5")).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    let body = attempt(&app, "y9", "wrong-pass", Some("203.0.113.5")).await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    // A spoofed left part of the chain does not help either: the proxy's hop is what counts.
    let body = attempt(&app, "y9", "wrong-pass", Some("1.1.1.1, 203.0.113.5")).await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    let body = attempt(&app, "y9", "wrong-pass", Some("203.0.113.6")).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.auth.login_failed' \
             AND client_addr = '203.0.113.5'"
        )
        .await,
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_limited_across_the_instance() {
    let app = with_registry(
        "trusted_proxies = [\"127.0.0.1\", \"::1\"]",
        "login_failures_global = 4",
    )
    .await;
    for i in 0..4 {
        let body = attempt(
            &app,
            &format!("z{i}"),
            "wrong-pass",
            Some(&format!("203.0.113.{i}")),
        )
        .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    let body = attempt(
        &app,
        "admin",
        jianan_tests::DEMO_PASSWORD,
        Some("198.51.100.1"),
    )
    .await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_refreshes_and_service_tokens_are_audited() {
    let app = TestApp::spawn().await;
    let count = |action: &'static str| {
        let app = &app;
        async move {
            app.scalar(&format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}'"
            ))
            .await
        }
    };
    let body = app.gql(None, REFRESH, json!({ "t": "not-a-token" })).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(count("registry.auth.refresh_failed").await, 1);
    let q = "mutation($c: String!, $s: String!) { issueServiceToken(input: {clientId: $c, clientSecret: $s}) { accessToken } }";
    let body = app
        .gql(
            None,
            q,
            json!({ "c": "bureau-system", "s": "wrong-secret-1" }),
        )
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(count("registry.auth.service_token_failed").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE detail LIKE '%wrong-secret-1%'")
            .await,
        0
    );
    app.data(
        None,
        q,
        json!({ "c": "bureau-system", "s": jianan_tests::DEMO_PASSWORD }),
    )
    .await;
    assert_eq!(count("registry.auth.service_token").await, 1);
}

/// Logs `username` in; returns (refresh token, account id).
async fn sign_in(app: &TestApp, username: &str) -> (String, String) {
    let d = app
        .data(
            None,
            LOGIN,
            json!({ "u": username, "p": jianan_tests::DEMO_PASSWORD }),
        )
        .await;
    (
        d["login"]["refreshToken"].as_str().unwrap().to_owned(),
        d["login"]["account"]["id"].as_str().unwrap().to_owned(),
    )
}

const UPDATE_ACCOUNT: &str =
    "mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { account { id } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_or_role_change_ends_every_sign_in_of_the_account() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    // Two sign-ins of the inspector; a name change leaves them alone.
    let (first, id) = sign_in(&app, "inspector").await;
    let (second, _) = sign_in(&app, "inspector").await;
    let (other, _) = sign_in(&app, "staff").await;
    app.data(
        Some(&admin),
        UPDATE_ACCOUNT,
        json!({ "input": { "id": id, "displayName": "检查员甲" } }),
    )
    .await;
    let d = app.data(None, REFRESH, json!({ "t": first })).await;
    let first = d["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // A new password: both sign-ins end, the staff member's does not.
    app.data(
        Some(&admin),
        UPDATE_ACCOUNT,
        json!({ "input": { "id": id, "password": "new-password-2026" } }),
    )
    .await;
    for t in [&first, &second] {
        let body = app.gql(None, REFRESH, json!({ "t": t })).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.auth.refresh_failed' \
             AND detail LIKE '%REVOKED%'"
        )
        .await,
        2
    );
    app.data(None, REFRESH, json!({ "t": other })).await;

    // A role change ends the sign-ins too (the refresh would mint the old roles' successor).
    let d = app
        .data(
            None,
            LOGIN,
            json!({ "u": "inspector", "p": "new-password-2026" }),
        )
        .await;
    let third = d["login"]["refreshToken"].as_str().unwrap().to_owned();
    app.data(
        Some(&admin),
        UPDATE_ACCOUNT,
        json!({ "input": { "id": id, "roles": ["DEPARTMENT_STAFF"] } }),
    )
    .await;
    let body = app.gql(None, REFRESH, json!({ "t": third })).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_ends_at_its_absolute_lifetime_however_often_it_is_rotated() {
    use jianan_entity::refresh_token;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let app = with_registry("", "refresh_absolute_days = 7").await;
    let db = app.db().await;
    let (r1, _) = sign_in(&app, "leader").await;
    let row = refresh_token::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let deadline = row.family_expires_at.unwrap();
    let expected = chrono::Utc::now() + chrono::Duration::days(7);
    assert!((deadline - expected).num_seconds().abs() < 60, "{deadline}");
    assert!(row.expires_at <= deadline);

    // The sign-in has 4 seconds left (room for a loaded CI machine); a rotation inside them keeps
    // that deadline.
    let soon = chrono::Utc::now() + chrono::Duration::seconds(4);
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::FamilyExpiresAt, Expr::value(soon))
        .filter(refresh_token::Column::FamilyId.eq(row.family_id))
        .exec(&db)
        .await
        .unwrap();
    let d = app.data(None, REFRESH, json!({ "t": r1 })).await;
    let r2 = d["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let rotated = refresh_token::Entity::find()
        .filter(refresh_token::Column::UsedAt.is_null())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rotated.family_id, row.family_id);
    assert!(
        (rotated.family_expires_at.unwrap() - soon)
            .num_milliseconds()
            .abs()
            < 1000,
        "the rotated token inherits the deadline"
    );
    assert!(rotated.expires_at <= rotated.family_expires_at.unwrap());
    let wait = soon - chrono::Utc::now() + chrono::Duration::milliseconds(300);
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    let body = app.gql(None, REFRESH, json!({ "t": r2 })).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.auth.refresh_failed' \
             AND detail LIKE '%SIGN_IN_EXPIRED%'"
        )
        .await,
        1
    );
}

#[test]
fn registry_settings_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jianan.toml");
    for (text, expect) in [
        (
            "[modules.registry]\nrefresh_absolute_days = 0\n",
            "refresh_absolute_days",
        ),
        (
            "[modules.registry]\nlogin_failures_per_name = 0\n",
            "login_failures_per_name",
        ),
        ("[modules.registry]\nlogin_window_second = 5\n", "line 2"),
    ] {
        std::fs::write(&path, text).unwrap();
        let c = jianan_api::Config::load(Some(&path), &Default::default()).unwrap();
        let err = jianan_api::app::configured_modules(&c).err().expect(text).0;
        assert!(err.contains(expect), "{text}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_longer_name_never_signs_in_as_the_account_it_starts_with() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let name = "a".repeat(64);
    app.data(
        Some(&admin),
        "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }",
        json!({ "input": { "username": name, "displayName": "长用户名", "password": "long-name-pass",
            "roles": ["DEPARTMENT_STAFF"] } }),
    )
    .await;
    let body = attempt(&app, &format!("{name}tail"), "long-name-pass", None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    let body = attempt(&app, &name, "long-name-pass", None).await;
    assert!(body["data"]["login"]["accessToken"].is_string(), "{body}");
}

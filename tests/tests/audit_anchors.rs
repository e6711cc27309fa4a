//! The audit chain against a database-level attacker (issue #8 item 7): records are keyed with a
//! secret outside the database, the application cannot change them, and signed anchors kept
//! outside the database catch a rewritten or truncated chain that is consistent in itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::{POSTGRES_ENV, TestApp};
use sea_orm::{ConnectionTrait, Database};
use serde_json::json;

async fn three_changes(app: &TestApp, tag: &str) {
    let token = app.login("admin").await;
    for i in 0..3 {
        app.data(
            Some(&token),
            "mutation($c: String!) { createOrgUnit(input: {code: $c, name: \"审计科室\", kind: DEPARTMENT}) { orgUnit { id } } }",
            json!({ "c": format!("{tag}-{i}") }),
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_connection_cannot_rewrite_audit_records() {
    let app = TestApp::spawn().await;
    three_changes(&app, "RW").await;
    let before = app.count("audit_log").await;
    let db = app.db().await;
    for sql in [
        "UPDATE audit_log SET detail = '{}' WHERE seq = (SELECT MAX(seq) FROM audit_log)",
        "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
        "DELETE FROM audit_log",
    ] {
        let err = db.execute_unprepared(sql).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(app.count("audit_log").await, before, "nothing changed");
    assert_eq!(app.cli(&["audit", "verify"]).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anchors_catch_a_truncated_chain_that_is_consistent_in_itself() {
    let app = TestApp::spawn().await;
    three_changes(&app, "ANC").await;
    assert_eq!(app.cli(&["audit", "anchor"]).await, 0);
    let dir = app.data_dir.join("audit-anchors");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one anchor written: {files:?}");
    let anchor: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    let anchored_seq = anchor["seq"].as_i64().unwrap();
    assert_eq!(
        anchored_seq,
        app.scalar("SELECT MAX(seq) AS n FROM audit_log").await
    );
    assert_eq!(
        app.cli(&["audit", "verify"]).await,
        0,
        "intact and anchored"
    );
    // Work goes on after the anchor.
    three_changes(&app, "AFTER").await;
    assert_eq!(app.cli(&["audit", "verify"]).await, 0);

    // A forged anchor (its count changed) fails its signature.
    let forged_dir = app.data_dir.join("forged-anchors");
    std::fs::create_dir_all(&forged_dir).unwrap();
    let mut forged = anchor.clone();
    forged["count"] = json!(anchor["count"].as_i64().unwrap() - 1);
    std::fs::write(
        forged_dir.join(files[0].file_name().unwrap()),
        forged.to_string(),
    )
    .unwrap();
    let forged_dir = forged_dir.to_str().unwrap();
    assert_eq!(
        app.cli(&["audit", "verify", "--anchors", forged_dir]).await,
        1
    );

    // The attacker drops the anchored record and everything after it, and rewrites the head to
    // match: the chain is consistent in itself ...
    app.tamper(&format!(
        "DELETE FROM audit_log WHERE seq >= {anchored_seq}"
    ))
    .await;
    app.exec(
        "UPDATE audit_head SET last_seq = (SELECT MAX(seq) FROM audit_log), \
         last_hash = (SELECT hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)), \
         count = (SELECT COUNT(*) FROM audit_log)",
    )
    .await;
    let empty = app.data_dir.join("no-anchors");
    std::fs::create_dir_all(&empty).unwrap();
    assert_eq!(
        app.cli(&["audit", "verify", "--anchors", empty.to_str().unwrap()])
            .await,
        0,
        "without anchors a clean truncation cannot be told"
    );
    // ... but not with the anchor.
    assert_eq!(
        app.cli(&["audit", "verify"]).await,
        1,
        "the anchor catches it"
    );
}

/// On PostgreSQL, with `database_migrate_url`, the serving role gets no right to change audit
/// records — not even by dropping the trigger, which only the owner may do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serving_role_cannot_change_audit_records_on_postgresql() {
    let Some(admin) = std::env::var(POSTGRES_ENV).ok().filter(|v| !v.is_empty()) else {
        eprintln!("skipped: {POSTGRES_ENV} is not set");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let owner_url = jianan_tests::fresh_database_url(tmp.path()).await;
    let role = format!("jianan_app_{}", uuid::Uuid::now_v7().simple());
    let conn = Database::connect(&admin).await.unwrap();
    conn.execute_unprepared(&format!("CREATE ROLE {role} LOGIN"))
        .await
        .unwrap();
    conn.close().await.ok();
    let serving_url = owner_url.replacen("postgres@", &format!("{role}@"), 1);
    assert_ne!(serving_url, owner_url, "owner URL names the postgres user");
    let file = jianan_api::config::FileConfig {
        database_migrate_url: Some(jianan_api::config::Secret(owner_url.clone())),
        log_level: Some("warn".into()),
        ..Default::default()
    };
    let config = jianan_api::config::Config::from_layers(
        file,
        &jianan_api::config::Overrides {
            listen: Some("127.0.0.1:0".into()),
            data_dir: Some(tmp.path().join("data")),
            database_url: Some(serving_url.clone()),
        },
    )
    .unwrap();
    let server = jianan_api::start(config, false).await.expect("starts");
    // The serving role writes: the demo district leaves audit records.
    jianan_registry::demo::seed(&server.kernel).await.unwrap();
    let report = jianan_kernel::audit::verify_db(&server.kernel.db, &[])
        .await
        .unwrap();
    assert!(report.is_intact() && report.records > 0, "{report:?}");
    let serving = Database::connect(&serving_url).await.unwrap();
    for sql in [
        "UPDATE audit_log SET detail = '{}'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "DROP TRIGGER audit_log_append_only ON audit_log",
    ] {
        let err = serving.execute_unprepared(sql).await.expect_err(sql);
        let text = err.to_string();
        assert!(
            text.contains("permission denied") || text.contains("must be owner"),
            "{sql}: {text}"
        );
    }
    // It still reads and works on everything else.
    serving
        .execute_unprepared("UPDATE org_unit SET name = name WHERE false")
        .await
        .unwrap();
    server.stop().await;
    serving.close().await.ok();
}

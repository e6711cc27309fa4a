//! Attachment storage (issue #8 items 2 and 10): uploads streamed to disk and to the store, the
//! file count enforced, and objects left by failed writes swept once older than the grace period.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_kernel::principal::Role;
use jianan_tests::fixtures::Fixture;
use jianan_tests::harness::Harness;
use jianan_tests::{Options, TestApp, error_code};
use serde_json::{Value, json};

/// A PNG signature and header followed by `len` pseudo-random bytes (no run of zeros a store or
/// a transport could shortcut).
pub fn noisy_png(len: usize, seed: u64) -> Vec<u8> {
    let mut v = jianan_tests::png(0);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    v.reserve(len);
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(len);
    v
}

/// Every object file under the local store.
fn stored_objects(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p)
            .map(|rd| {
                rd.flatten()
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

/// One multipart request carrying `files`, each the `file` of its own `uploadAttachment`
/// operation of a batch.
async fn upload_batch(
    app: &TestApp,
    token: &str,
    owner: &str,
    files: Vec<Vec<u8>>,
) -> (u16, Value) {
    let ops: Vec<Value> = files
        .iter()
        .map(|_| {
            json!({
                "query": "mutation($file: Upload!, $owner: ID!) { uploadAttachment(input: {ownerId: $owner, file: $file}) { attachment { id } } }",
                "variables": { "file": null, "owner": owner },
            })
        })
        .collect();
    let map: serde_json::Map<String, Value> = (0..files.len())
        .map(|i| (i.to_string(), json!([format!("{i}.variables.file")])))
        .collect();
    let mut form = reqwest::multipart::Form::new()
        .text("operations", Value::Array(ops).to_string())
        .text("map", Value::Object(map).to_string());
    for (i, bytes) in files.into_iter().enumerate() {
        form = form.part(
            i.to_string(),
            reqwest::multipart::Part::bytes(bytes)
                .file_name(format!("site-{i}.png"))
                .mime_str("image/png")
                .unwrap(),
        );
    }
    let res = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_upload_round_trips_byte_identical() {
    let (app, fx) = Fixture::spawn_with(Options {
        upload_max_bytes: Some(24 * 1024 * 1024),
        ..Options::default()
    })
    .await;
    // 20 MiB: spooled to a temporary file, hashed in chunks, stored in 5 MiB parts.
    let big = noisy_png(20 * 1024 * 1024, 7);
    let (status, body) = app
        .upload(&fx.manager.token, &fx.project.id, big.clone())
        .await;
    assert_eq!(status, 200, "{body}");
    let a = &body["data"]["uploadAttachment"]["attachment"];
    assert_eq!(a["sizeBytes"].as_f64().unwrap() as usize, big.len(), "{a}");
    use sha2::Digest;
    assert_eq!(a["sha256"], hex::encode(sha2::Sha256::digest(&big)));
    let res = app
        .client
        .get(format!("{}{}", app.base, a["url"].as_str().unwrap()))
        .bearer_auth(&fx.manager.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-length"].to_str().unwrap(),
        big.len().to_string()
    );
    let got = res.bytes().await.unwrap();
    assert!(
        got[..] == big[..],
        "downloaded bytes differ from the upload"
    );
    assert_eq!(stored_objects(&app), 1);
    // Nothing of the upload is left in the spool directory (anonymous temporary files).
    let spool = std::fs::read_dir(app.data_dir.join("upload-tmp"))
        .unwrap()
        .count();
    assert_eq!(spool, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_files_are_refused_and_nothing_is_written() {
    let (app, fx) = Fixture::spawn_with(Options {
        settings: Some("upload_max_files = 2\n".into()),
        ..Options::default()
    })
    .await;
    let token = fx.manager.token.clone();
    let files = |n: u64| (0..n).map(|i| noisy_png(1000, i + 1)).collect::<Vec<_>>();
    let (status, body) = upload_batch(&app, &token, &fx.project.id, files(3)).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["message"], "一次最多上传2个文件",
        "{body}"
    );
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(app.count("attachment").await, 0);
    assert_eq!(stored_objects(&app), 0);
    // At the limit, the same request is accepted: both files stored and recorded.
    let (status, body) = upload_batch(&app, &token, &fx.project.id, files(2)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body[1]["data"]["uploadAttachment"]["attachment"]["id"].is_string(),
        "{body}"
    );
    assert_eq!(app.count("attachment").await, 2);
    assert_eq!(stored_objects(&app), 2);
}

/// The local file of an object, to age it.
fn object_file(h: &Harness, sha: &str) -> std::path::PathBuf {
    h.config
        .data_dir
        .join("objects/sha256")
        .join(&sha[..2])
        .join(sha)
}

fn age(path: &std::path::Path, hours: u64) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(hours * 3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(then)
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_deletes_only_old_unreferenced_objects() {
    let h = Harness::new().await;
    let k = &h.kernel;
    let store = &k.attachments;
    // Referenced: an attachment of the project, its object aged past the grace.
    let w = k.db.begin_write().await.unwrap();
    let kept = store
        .attach(
            &k.db.conn,
            &w,
            &h.who(Role::Admin),
            "Project",
            h.world.project,
            "site.png",
            Some("image/png"),
            bytes::Bytes::from(noisy_png(3000, 1)),
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    age(&object_file(&h, &kept.sha256), 48);
    // Unreferenced and old: what a failed upload left a while ago.
    let old = store
        .put_unreferenced(bytes::Bytes::from(noisy_png(3000, 2)))
        .await
        .unwrap();
    age(&object_file(&h, &old), 48);
    // Unreferenced and young: possibly an upload whose transaction is still open.
    let young = store
        .put_unreferenced(bytes::Bytes::from(noisy_png(3000, 3)))
        .await
        .unwrap();

    // A write that stopped halfway long ago (the process died), and one in progress now.
    let dir = object_file(&h, &old).parent().unwrap().to_path_buf();
    let stale = dir.join(format!("{}#1", "e".repeat(64)));
    let in_progress = dir.join(format!("{}#1", "f".repeat(64)));
    std::fs::write(&stale, b"half").unwrap();
    std::fs::write(&in_progress, b"half").unwrap();
    age(&stale, 48);

    let cutoff = chrono::Utc::now() - chrono::Duration::hours(24);
    let report = store.sweep_orphans(&k.db.conn, cutoff).await.unwrap();
    assert_eq!((report.listed, report.deleted), (3, 1), "{report:?}");
    assert_eq!(report.staging_deleted, 1, "{report:?}");
    assert!(!stale.exists(), "an abandoned staging file was kept");
    assert!(
        in_progress.exists(),
        "a write in progress lost its staging file"
    );
    assert!(
        store.exists(&kept.sha256).await,
        "a referenced object was deleted"
    );
    assert!(!store.exists(&old).await, "an old orphan was kept");
    assert!(
        store.exists(&young).await,
        "an orphan within the grace was deleted"
    );
    // The referenced one still reads.
    assert_eq!(store.read(&kept.sha256).await.unwrap().len(), 3000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_whose_transaction_fails_leaves_nothing_after_a_sweep() {
    let h = Harness::new().await;
    let k = &h.kernel;
    let store = &k.attachments;
    let before = h.count("attachment").await;
    // The file is stored, then the transaction that records it does not commit (a later step
    // of the mutation failed): rolled back.
    let w = k.db.begin_write().await.unwrap();
    let a = store
        .attach(
            &k.db.conn,
            &w,
            &h.who(Role::Admin),
            "Project",
            h.world.project,
            "site.png",
            Some("image/png"),
            bytes::Bytes::from(noisy_png(6 * 1024 * 1024, 4)),
        )
        .await
        .unwrap();
    drop(w);
    assert_eq!(h.count("attachment").await, before);
    assert!(store.exists(&a.sha256).await, "stored before the commit");
    // The same content recorded by a committed upload elsewhere is not an orphan.
    let w = k.db.begin_write().await.unwrap();
    let other = store
        .attach(
            &k.db.conn,
            &w,
            &h.who(Role::Admin),
            "Project",
            h.world.project,
            "other.png",
            Some("image/png"),
            bytes::Bytes::from(noisy_png(2000, 5)),
        )
        .await
        .unwrap();
    w.commit().await.unwrap();

    // Grace 0: everything written before now is old enough.
    let cutoff = chrono::Utc::now() + chrono::Duration::seconds(1);
    let report = store.sweep_orphans(&k.db.conn, cutoff).await.unwrap();
    assert_eq!(report.deleted, 1, "{report:?}");
    assert!(
        !store.exists(&a.sha256).await,
        "the failed upload's object is still there"
    );
    assert!(store.exists(&other.sha256).await);
    // A second sweep finds nothing more.
    let again = store.sweep_orphans(&k.db.conn, cutoff).await.unwrap();
    assert_eq!(again.deleted, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_command_removes_orphans_past_the_grace_and_keeps_attachments() {
    let (app, fx) = Fixture::spawn().await;
    let (status, body) = app
        .upload(&fx.manager.token, &fx.project.id, noisy_png(4000, 21))
        .await;
    assert_eq!(status, 200, "{body}");
    let a = body["data"]["uploadAttachment"]["attachment"].clone();
    let store = &app.server().kernel.attachments;
    // What an upload whose transaction failed leaves behind.
    let orphan = store
        .put_unreferenced(bytes::Bytes::from(noisy_png(4000, 22)))
        .await
        .unwrap();
    assert_eq!(stored_objects(&app), 2);
    // The default grace (24 hours) keeps a file just written.
    assert_eq!(app.cli(&["attachments", "sweep"]).await, 0);
    assert_eq!(stored_objects(&app), 2);
    // No grace: the orphan goes; the attachment stays and still downloads.
    assert_eq!(
        app.cli(&["attachments", "sweep", "--grace-hours", "0"])
            .await,
        0
    );
    assert!(!store.exists(&orphan).await);
    assert_eq!(stored_objects(&app), 1);
    let res = app
        .client
        .get(format!("{}{}", app.base, a["url"].as_str().unwrap()))
        .bearer_auth(&fx.manager.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap()[..] == noisy_png(4000, 21)[..]);
}

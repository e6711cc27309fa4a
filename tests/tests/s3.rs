//! Attachments in an S3-compatible bucket (issue #8 item 10), against the server `.ci/run`
//! starts (moto). Runs only when `JIANAN_TEST_S3_URL` (`s3://bucket`) and
//! `JIANAN_TEST_S3_ENDPOINT` are set; each test works under its own key prefix of the bucket.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, TestApp};
use serde_json::Value;

/// The `jianan.toml` lines that put this test's objects in the bucket, or `None` (skipped).
fn s3_settings() -> Option<String> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
    let Some(url) = var("JIANAN_TEST_S3_URL") else {
        eprintln!("skipped: JIANAN_TEST_S3_URL is not set (.ci/run sets it)");
        return None;
    };
    let endpoint = var("JIANAN_TEST_S3_ENDPOINT").expect("JIANAN_TEST_S3_ENDPOINT with the URL");
    let prefix = format!("t-{}", uuid::Uuid::now_v7().simple());
    Some(format!(
        "object_store_url = \"{}/{prefix}\"\ns3_endpoint = \"{endpoint}\"\ns3_allow_http = {}\n\
         s3_region = \"{}\"\ns3_access_key_id = \"{}\"\ns3_secret_access_key = \"{}\"\n",
        url.trim_end_matches('/'),
        endpoint.starts_with("http://"),
        var("JIANAN_TEST_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
        var("JIANAN_TEST_S3_ACCESS_KEY_ID").unwrap_or_else(|| "testing".into()),
        var("JIANAN_TEST_S3_SECRET_ACCESS_KEY").unwrap_or_else(|| "testing".into()),
    ))
}

/// Same generator as the local storage tests: pseudo-random bytes behind a PNG header.
fn noisy_png(len: usize, seed: u64) -> Vec<u8> {
    let mut v = jianan_tests::png(0);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(len);
    v
}

async fn download(app: &TestApp, token: &str, a: &Value) -> Vec<u8> {
    let res = app
        .client
        .get(format!("{}{}", app.base, a["url"].as_str().unwrap()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.bytes().await.unwrap().to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_live_in_the_bucket_and_orphans_are_swept_there() {
    let Some(settings) = s3_settings() else {
        return;
    };
    let (app, fx) = Fixture::spawn_with(Options {
        upload_max_bytes: Some(16 * 1024 * 1024),
        settings: Some(settings),
        ..Options::default()
    })
    .await;
    let token = fx.manager.token.clone();
    // A small file (one PUT) and one past the part size (a multipart upload of three parts).
    let small = noisy_png(5000, 11);
    let large = noisy_png(12 * 1024 * 1024 + 17, 12);
    let mut stored = Vec::new();
    for bytes in [&small, &large] {
        let (status, body) = app.upload(&token, &fx.project.id, bytes.clone()).await;
        assert_eq!(status, 200, "{body}");
        let a = body["data"]["uploadAttachment"]["attachment"].clone();
        assert!(download(&app, &token, &a).await == *bytes, "bytes differ");
        stored.push(a["sha256"].as_str().unwrap().to_owned());
    }
    // Nothing went to the local directory.
    let local = app.data_dir.join("objects");
    assert!(
        !local.exists() || std::fs::read_dir(&local).unwrap().next().is_none(),
        "objects written locally"
    );

    let store = &app.server().kernel.attachments;
    for sha in &stored {
        assert!(store.exists(sha).await);
    }
    // What a failed upload leaves: an object in the bucket that no attachment refers to.
    let orphan = store
        .put_unreferenced(bytes::Bytes::from(noisy_png(4000, 13)))
        .await
        .unwrap();
    assert!(store.exists(&orphan).await);
    // A 24-hour grace keeps everything just written.
    let k = &app.server().kernel;
    let report = store
        .sweep_orphans(&k.db.conn, chrono::Utc::now() - chrono::Duration::hours(24))
        .await
        .unwrap();
    assert_eq!((report.listed, report.deleted), (3, 0), "{report:?}");
    // No grace: the orphan goes, the referenced objects stay and still download.
    let report = store
        .sweep_orphans(
            &k.db.conn,
            chrono::Utc::now() + chrono::Duration::seconds(2),
        )
        .await
        .unwrap();
    assert_eq!((report.listed, report.deleted), (3, 1), "{report:?}");
    assert!(!store.exists(&orphan).await);
    for sha in &stored {
        assert!(store.exists(sha).await, "a referenced object was swept");
    }
    let (_, body) = app.upload(&token, &fx.project.id, small.clone()).await;
    let a = &body["data"]["uploadAttachment"]["attachment"];
    assert!(download(&app, &token, a).await == small);
}

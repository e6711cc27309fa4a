//! Uploads at the edge (issue #8 item 2): files only from someone signed in, refused before the
//! body is read; a bounded number of uploads at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, png};
use serde_json::json;

fn form(owner: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    let operations = json!({
        "query": "mutation($file: Upload!, $owner: ID!) { uploadAttachment(input: {ownerId: $owner, file: $file}) { attachment { id } } }",
        "variables": { "file": null, "owner": owner },
    });
    reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.file"] }).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("site.png")
                .mime_str("image/png")
                .unwrap(),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_upload_is_refused_before_its_body_is_read() {
    let (app, _fx) = Fixture::spawn().await;
    let before = app.count("attachment").await;
    // Headers announcing 4 MiB of files, and not one byte of them sent: the answer comes anyway.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let head = "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 4194304\r\n\r\n";
    let mut tcp = tokio::net::TcpStream::connect(app.server().addr)
        .await
        .unwrap();
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read(&mut answer))
        .await
        .expect("answered without the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]).to_string();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("UNAUTHENTICATED"), "{answer}");
    assert_eq!(app.count("attachment").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_beyond_the_concurrency_limit_are_refused() {
    let (app, fx) = Fixture::spawn_with(Options {
        settings: Some("upload_concurrency = 1\n".into()),
        ..Options::default()
    })
    .await;
    let url = format!("http://{}/graphql", app.server().addr);
    let client = reqwest::Client::new();
    // One upload whose body has not all arrived, holding the only slot: a raw HTTP request
    // announcing more bytes than it sends.
    use tokio::io::AsyncWriteExt;
    let operations = json!({
        "query": "mutation($file: Upload!, $owner: ID!) { uploadAttachment(input: {ownerId: $owner, file: $file}) { attachment { id } } }",
        "variables": { "file": null, "owner": fx.project.id },
    });
    let partial = format!(
        "--B\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n--B\r\n"
    );
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n",
        fx.inspector.token
    );
    let mut slow = tokio::net::TcpStream::connect(app.server().addr)
        .await
        .unwrap();
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(partial.as_bytes()).await.unwrap();
    slow.flush().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let res = client
        .post(&url)
        .bearer_auth(&fx.inspector.token)
        .multipart(form(&fx.project.id, png(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body}"
    );
    // The slow one goes away; the slot is free again.
    drop(slow);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let res = client
        .post(&url)
        .bearer_auth(&fx.inspector.token)
        .multipart(form(&fx.project.id, png(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

//! What the front-end reads on day one to show or hide actions: `me { permissions }`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_kernel::principal::Role;
use jianan_tests::fixtures::Fixture;
use serde_json::{Value, json};

async fn permissions(app: &jianan_tests::TestApp, token: &str) -> Vec<String> {
    let d = app
        .data(Some(token), "{ me { permissions } }", json!({}))
        .await;
    d["me"]["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_lists_the_permissions_of_my_roles() {
    let (app, fx) = Fixture::spawn().await;
    let safety = permissions(&app, &fx.account(Role::EnterpriseSafetyManager).token).await;
    assert!(safety.contains(&"inspections.hazard.rectify".to_owned()));
    assert!(!safety.contains(&"inspections.hazard.verify".to_owned()));
    let mut sorted = safety.clone();
    sorted.sort();
    assert_eq!(safety, sorted, "sorted by name");

    let inspector = permissions(&app, &fx.account(Role::Inspector).token).await;
    assert!(inspector.contains(&"inspections.hazard.verify".to_owned()));
    assert!(!inspector.contains(&"inspections.hazard.rectify".to_owned()));

    // An admin reading another account sees what that account's roles grant.
    let d: Value = app
        .data(
            Some(&fx.account(Role::Admin).token),
            "query($id: ID!) { node(id: $id) { ... on Account { permissions } } }",
            json!({ "id": fx.account(Role::Inspector).id }),
        )
        .await;
    assert_eq!(
        d["node"]["permissions"].as_array().unwrap().len(),
        inspector.len()
    );
}

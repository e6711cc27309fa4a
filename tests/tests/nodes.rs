//! `node(id:)` and `nodes(ids:)`: generated from every module's record types, scoped like the
//! lists, in the order asked, one statement per type however many ids.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::{Options, TestApp, error_code};
use serde_json::{Value, json};

const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id \
    ... on Project { code } ... on Enterprise { name } ... on OrgUnit { name } \
    ... on Account { username } } }";

fn ids(d: &Value, list: &str) -> Vec<String> {
    d[list]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_load_in_order_one_statement_per_type() {
    let app = TestApp::spawn_with(Options {
        outbox_poll_ms: Some(3_600_000),
        ..Options::default()
    })
    .await;
    let admin = app.login("admin").await;
    let d = app
        .data(
            Some(&admin),
            "{ projects(first: 30) { edges { node { id } } } \
               enterprises(first: 30) { edges { node { id } } } \
               orgUnits(first: 30) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let (projects, enterprises, units) = (
        ids(&d, "projects"),
        ids(&d, "enterprises"),
        ids(&d, "orgUnits"),
    );
    assert_eq!(
        (projects.len(), enterprises.len(), units.len()),
        (30, 30, 30)
    );

    // Mixed types, in the order asked; an id asked twice comes back twice.
    let asked = vec![
        projects[0].clone(),
        enterprises[0].clone(),
        units[0].clone(),
        projects[1].clone(),
        projects[0].clone(),
    ];
    let d = app.data(Some(&admin), NODES, json!({ "ids": asked })).await;
    let got = d["nodes"].as_array().unwrap();
    let types: Vec<&str> = got
        .iter()
        .map(|n| n["__typename"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["Project", "Enterprise", "OrgUnit", "Project", "Project"]
    );
    let got_ids: Vec<&str> = got.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(
        got_ids,
        asked.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(got[1]["name"].is_string() && got[0]["code"].is_string());

    // Statements depend on the number of types, not of ids: 3 of each type vs 30 of each.
    // The demo's events (and the follow-ups their handlers publish) are delivered first, so the
    // count measures the requests alone.
    app.settle().await;
    let mut counts = Vec::new();
    for n in [3, 30] {
        let mut asked = Vec::new();
        for i in 0..n {
            asked.extend([
                projects[i].clone(),
                enterprises[i].clone(),
                units[i].clone(),
            ]);
        }
        let before = app.metric("jianan_sql_statements_total").await;
        let d = app.data(Some(&admin), NODES, json!({ "ids": asked })).await;
        assert!(d["nodes"].as_array().unwrap().iter().all(|n| n.is_object()));
        counts.push(app.metric("jianan_sql_statements_total").await - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for 9 and 90 ids: {counts:?}"
    );
    assert!(counts[0] <= 3, "one statement per type: {counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_are_scoped_and_refuse_bad_ids() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let manager = app.login("manager").await;
    let d = app
        .data(
            Some(&manager),
            "{ me { id } projects(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let me = d["me"]["id"].as_str().unwrap().to_owned();
    let own_project = ids(&d, "projects")[0].clone();
    let all = app
        .data(
            Some(&admin),
            "{ me { id } projects(first: 100) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let admin_account = all["me"]["id"].as_str().unwrap().to_owned();
    let mine = ids(
        &app.data(
            Some(&manager),
            "{ projects(first: 100) { edges { node { id } } } }",
            json!({}),
        )
        .await,
        "projects",
    );
    let foreign = ids(&all, "projects")
        .into_iter()
        .find(|p| !mine.contains(p))
        .expect("a project the manager's enterprise is not part of");

    // The manager sees their own account and project; another's account and a foreign project
    // are null, exactly as if they did not exist.
    let d = app
        .data(
            Some(&manager),
            NODES,
            json!({ "ids": [me, own_project, admin_account, foreign] }),
        )
        .await;
    let got = d["nodes"].as_array().unwrap();
    assert_eq!(got[0]["__typename"], "Account");
    assert_eq!(got[1]["__typename"], "Project");
    assert!(got[2].is_null() && got[3].is_null(), "{got:?}");

    // An undecodable id is the client's mistake, named by the argument; anonymous callers are
    // refused; more than 100 ids are refused.
    let body = app
        .gql(Some(&admin), NODES, json!({ "ids": ["not-an-id"] }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "ids");
    let body = app
        .gql(None, NODES, json!({ "ids": [own_project.clone()] }))
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let many: Vec<String> = (0..101).map(|_| own_project.clone()).collect();
    let body = app.gql(Some(&admin), NODES, json!({ "ids": many })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

//! Registry behaviour over HTTP: paging, scopes, validation, idempotency, optimistic concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code, valid_uscc};
use serde_json::{Value, json};

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String) {
  projects(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id code } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

async fn all_pages(app: &TestApp, token: &str, size: i64) -> (Vec<String>, i64) {
    let mut codes = Vec::new();
    let mut after: Value = Value::Null;
    let mut total;
    loop {
        let d = app
            .data(Some(token), PAGE, json!({ "first": size, "after": after }))
            .await;
        let p = &d["projects"];
        total = p["totalCount"].as_i64().unwrap();
        let edges = p["edges"].as_array().unwrap();
        assert!(edges.len() as i64 <= size);
        codes.extend(
            edges
                .iter()
                .map(|e| e["node"]["code"].as_str().unwrap().to_owned()),
        );
        if !p["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = p["pageInfo"]["endCursor"].clone();
    }
    (codes, total)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_me_and_projects_page_by_page() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    assert_eq!(
        app.data(Some(&token), "{ me { username } }", json!({}))
            .await["me"]["username"],
        "admin"
    );
    let (codes, total) = all_pages(&app, &token, 40).await;
    assert_eq!(total, 150, "the demo district has 150 projects");
    assert_eq!(codes.len(), 150);
    assert_eq!(
        codes.iter().collect::<HashSet<_>>().len(),
        150,
        "no project twice"
    );
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "ordered by code");

    // Backwards from the end gives the same last page.
    let d = app.data(Some(&token), PAGE, json!({ "last": 10 })).await;
    let last: Vec<_> = d["projects"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(last, codes[140..].to_vec());
    assert_eq!(d["projects"]["pageInfo"]["hasPreviousPage"], true);
    let before = d["projects"]["pageInfo"]["startCursor"].clone();
    let d = app
        .data(Some(&token), PAGE, json!({ "last": 10, "before": before }))
        .await;
    let prev: Vec<_> = d["projects"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(prev, codes[130..140].to_vec());

    // Bad paging arguments are input errors.
    let body = app.gql(Some(&token), PAGE, json!({ "first": 101 })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "first");
    // A page so large the query's complexity is over the limit is refused before it runs.
    let body = app
        .gql(Some(&token), PAGE, json!({ "first": 100000 }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app
        .gql(
            Some(&token),
            PAGE,
            json!({ "first": 5, "after": "garbage" }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

const PROJECT_BY_CODE: &str = "query($code: String!) { project(code: $code) { id code participants { role enterprise { name } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprise_users_see_only_their_own_projects() {
    let app = TestApp::spawn().await;
    let mine = app.login("manager").await;
    let other = app.login("manager2").await;
    let (my_codes, my_total) = all_pages(&app, &mine, 50).await;
    let (other_codes, other_total) = all_pages(&app, &other, 50).await;
    assert!(my_total > 0 && other_total > 0);
    assert!(my_total < 150);
    let mine_set: HashSet<_> = my_codes.iter().collect();
    assert!(
        other_codes.iter().all(|c| !mine_set.contains(c)),
        "the two enterprises share no project"
    );

    // Every visible project lists the caller's enterprise among its participants.
    let me = app
        .data(Some(&mine), "{ me { enterprise { name } } }", json!({}))
        .await;
    let my_name = me["me"]["enterprise"]["name"].as_str().unwrap().to_owned();
    let d = app
        .data(Some(&mine), PROJECT_BY_CODE, json!({ "code": my_codes[0] }))
        .await;
    let names: Vec<_> = d["project"]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["enterprise"]["name"].as_str().unwrap_or(""))
        .collect();
    assert!(names.contains(&my_name.as_str()));
    let id = d["project"]["id"].as_str().unwrap().to_owned();

    // The other enterprise cannot see it by code, by node id, or change it.
    let d = app
        .data(
            Some(&other),
            PROJECT_BY_CODE,
            json!({ "code": my_codes[0] }),
        )
        .await;
    assert!(d["project"].is_null());
    let d = app
        .data(
            Some(&other),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(d["node"].is_null());
    let body = app
        .gql(Some(&other), "mutation($id: ID!) { updateProject(input: {id: $id, address: \"篡改\"}) { project { id } } }", json!({ "id": id }))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    // …while its own enterprise can.
    let d = app
        .data(Some(&mine), "mutation($id: ID!) { updateProject(input: {id: $id, address: \"武隆区新地址1号\"}) { project { address version } } }", json!({ "id": id }))
        .await;
    assert_eq!(d["updateProject"]["project"]["version"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn township_staff_see_their_township_only() {
    let app = TestApp::spawn().await;
    let token = app.login("township").await;
    let d = app
        .data(
            Some(&token),
            "{ projects(first: 100) { totalCount edges { node { township { code } } } } }",
            json!({}),
        )
        .await;
    let edges = d["projects"]["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["township"]["code"] == "TS-BAIMA")
    );
    assert_eq!(
        d["projects"]["totalCount"].as_u64().unwrap() as usize,
        edges.len()
    );
}

const CREATE_ENTERPRISE: &str = "mutation($input: CreateEnterpriseInput!) {
  createEnterprise(input: $input) { enterprise { id uscc name version } }
}";

fn enterprise_input(uscc: &str, key: Option<&str>) -> Value {
    json!({ "input": { "uscc": uscc, "name": "重庆测试建设有限公司", "kind": "CONTRACTOR",
        "qualifications": ["建筑工程施工总承包三级"], "idempotencyKey": key } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_credit_code_is_bad_input_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.login("staff").await;
    let (enterprises, audits, events) = (
        app.count("enterprise").await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
    );
    // A valid code with its check character changed: the GB 32100 check fails.
    let valid = valid_uscc("91500156MA5U1B2C3");
    let right = valid.chars().last().unwrap();
    let wrong = if right == '0' { '1' } else { '0' };
    let bad_check = format!("{}{wrong}", &valid[..17]);
    for (code, message) in [
        (bad_check.as_str(), "校验码"),
        ("9150015674746378", "18位"),
        ("91500156O47463789X", "第9位"),
    ] {
        let body = app
            .gql(
                Some(&token),
                CREATE_ENTERPRISE,
                enterprise_input(code, None),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{code}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "uscc");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(message),
            "{body}"
        );
        assert!(body["data"].is_null());
    }
    assert_eq!(app.count("enterprise").await, enterprises);
    assert_eq!(app.count("audit_log").await, audits);
    assert_eq!(app.count("outbox_event").await, events);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_create_twice_with_one_idempotency_key_makes_one_record() {
    let app = TestApp::spawn().await;
    let token = app.login("staff").await;
    let code = valid_uscc("91500156MA5UXY112");
    let before = app.count("enterprise").await;
    let a = app
        .data(
            Some(&token),
            CREATE_ENTERPRISE,
            enterprise_input(&code, Some("mobile-retry-1")),
        )
        .await;
    let b = app
        .data(
            Some(&token),
            CREATE_ENTERPRISE,
            enterprise_input(&code, Some("mobile-retry-1")),
        )
        .await;
    assert_eq!(
        a["createEnterprise"]["enterprise"]["id"],
        b["createEnterprise"]["enterprise"]["id"]
    );
    assert_eq!(app.count("enterprise").await, before + 1);
    // Without a key, the duplicate is refused by the unique code.
    let body = app
        .gql(
            Some(&token),
            CREATE_ENTERPRISE,
            enterprise_input(&code, None),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "uscc");
    // The same key with a different request is a conflict, not a silent replay.
    let other = valid_uscc("91500156MA5UXY113");
    let body = app
        .gql(
            Some(&token),
            CREATE_ENTERPRISE,
            enterprise_input(&other, Some("mobile-retry-1")),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(app.count("enterprise").await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_expected_version_is_a_conflict() {
    let app = TestApp::spawn().await;
    let token = app.login("staff").await;
    let d = app
        .data(
            Some(&token),
            CREATE_ENTERPRISE,
            enterprise_input(&valid_uscc("91500156MA5UWER01"), None),
        )
        .await;
    let id = d["createEnterprise"]["enterprise"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let update = "mutation($id: ID!, $v: Int, $name: String) {
        updateEnterprise(input: {id: $id, expectedVersion: $v, name: $name}) { enterprise { name version } } }";
    let d = app
        .data(
            Some(&token),
            update,
            json!({ "id": id, "v": 1, "name": "改名一" }),
        )
        .await;
    assert_eq!(d["updateEnterprise"]["enterprise"]["version"], 2);
    let body = app
        .gql(
            Some(&token),
            update,
            json!({ "id": id, "v": 1, "name": "改名二" }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    let d = app
        .data(
            Some(&token),
            "query($id: ID!) { node(id: $id) { ... on Enterprise { name version } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        d["node"]["name"], "改名一",
        "the stale update changed nothing"
    );
    assert_eq!(d["node"]["version"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permissions_are_checked_per_field() {
    let app = TestApp::spawn().await;
    let token = app.login("manager").await;
    let body = app
        .gql(
            Some(&token),
            CREATE_ENTERPRISE,
            enterprise_input(&valid_uscc("91500156MA5UPERM1"), None),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = app
        .gql(Some(&token), "{ accounts { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    // Personal data is masked for people without the PII permission.
    let d = app
        .data(
            Some(&token),
            "{ projects(first: 1) { edges { node { keyPersons { phone idCard } } } } }",
            json!({}),
        )
        .await;
    let person = &d["projects"]["edges"][0]["node"]["keyPersons"][0];
    assert!(person["phone"].as_str().unwrap().contains("****"));
    assert!(person["idCard"].as_str().unwrap().contains("********"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_are_created_with_participants_and_key_persons() {
    let (app, fx) = Fixture::spawn().await;
    let token = fx.staff.token.clone();
    let township = fx.township.id.clone();
    let contractor = fx.contractor.id.clone();
    let create = "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { code status participants { role enterprise { id } } keyPersons { role name idCard } } } }";
    let input = |id_card: &str| {
        json!({ "input": { "code": "WL-TEST-0001", "name": "测试项目", "townshipId": township, "address": "测试路1号",
            "kind": "HOUSING", "participants": [{ "enterpriseId": contractor, "role": "CONTRACTOR" }],
            "keyPersons": [{ "role": "PROJECT_LEADER", "name": "张三", "idCard": id_card, "phone": "13900001111" }] } })
    };
    // GB 11643 check character: 11010519491231002X is valid, …0021 is not.
    let body = app
        .gql(Some(&token), create, input("110105194912310021"))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "keyPersons");
    let d = app
        .data(Some(&token), create, input("11010519491231002X"))
        .await;
    let p = &d["createProject"]["project"];
    assert_eq!(p["status"], "PLANNED");
    assert_eq!(p["participants"][0]["enterprise"]["id"], contractor);
    assert_eq!(p["keyPersons"][0]["idCard"], "110105********002X");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archiving_hides_a_record_once_and_checks_its_version() {
    let app = TestApp::spawn().await;
    let token = app.login("staff").await;
    let code = valid_uscc("91500156MA5UARC01");
    let d = app
        .data(
            Some(&token),
            CREATE_ENTERPRISE,
            enterprise_input(&code, None),
        )
        .await;
    let id = d["createEnterprise"]["enterprise"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let archive = "mutation($id: ID!, $v: Int) { archiveEnterprise(input: {id: $id, expectedVersion: $v}) { enterprise { version archivedAt } } }";
    let audits = app.count("audit_log").await;
    assert_eq!(
        error_code(
            &app.gql(Some(&token), archive, json!({ "id": id, "v": 7 }))
                .await
        ),
        "CONFLICT"
    );
    assert_eq!(
        app.count("audit_log").await,
        audits,
        "a refused archive writes nothing"
    );
    let d = app
        .data(Some(&token), archive, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(d["archiveEnterprise"]["enterprise"]["version"], 2);
    assert!(d["archiveEnterprise"]["enterprise"]["archivedAt"].is_string());
    let again = app.data(Some(&token), archive, json!({ "id": id })).await;
    assert_eq!(
        again["archiveEnterprise"]["enterprise"]["version"], 2,
        "archiving twice changes nothing"
    );
    let q = "query($s: String!, $a: Boolean!) { enterprises(filter: {search: $s, includeArchived: $a}) { totalCount } }";
    assert_eq!(
        app.data(Some(&token), q, json!({ "s": code, "a": false }))
            .await["enterprises"]["totalCount"],
        0
    );
    assert_eq!(
        app.data(Some(&token), q, json!({ "s": code, "a": true }))
            .await["enterprises"]["totalCount"],
        1
    );
}

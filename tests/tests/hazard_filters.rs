//! Hazard lists as the field app and the dashboards filter them (#7 item 8): by category, time,
//! source and text, and ordered by deadline with keyset pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::error_code;
use jianan_tests::fixtures::Fixture;
use serde_json::{Value, json};

const REPORT: &str =
    "mutation($input: ReportHazardInput!) { reportHazard(input: $input) { hazard { id } } }";
const ASSIGN: &str = "mutation($id: ID!, $e: ID!, $d: Int!) { assignHazard(input: {id: $id,
  responsibleEnterpriseId: $e, responsiblePerson: \"王工\", deadlineWorkingDays: $d}) { hazard { id } } }";
const LIST: &str = "query($f: HazardFilter, $o: HazardOrder, $after: String) {
  hazards(filter: $f, orderBy: $o, first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id category deadlineAt } } } }";

fn ids(d: &Value) -> Vec<String> {
    d["hazards"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hazards_filter_by_category_time_source_and_text_and_order_by_deadline() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let mut hazards = Vec::new();
    for (category, description) in [
        ("SCAFFOLDING", "外架连墙件缺失"),
        ("TEMPORARY_ELECTRICITY", "配电箱未接地"),
        ("SCAFFOLDING", "脚手板未满铺"),
    ] {
        let d = app
            .data(
                Some(&inspector),
                REPORT,
                json!({ "input": { "projectId": fx.project.id, "level": "GENERAL",
                    "category": category, "description": description, "location": "2号楼" } }),
            )
            .await;
        hazards.push(
            d["reportHazard"]["hazard"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // Deadlines: the third hazard due sooner than the first; the second stays unassigned.
    for (h, days) in [(&hazards[0], 10), (&hazards[2], 3)] {
        app.data(
            Some(&inspector),
            ASSIGN,
            json!({ "id": h, "e": fx.contractor.id, "d": days }),
        )
        .await;
    }
    let list = |f: Value, o: Value| app.data(Some(&inspector), LIST, json!({ "f": f, "o": o }));

    let d = list(json!({ "categories": ["SCAFFOLDING"] }), Value::Null).await;
    assert_eq!(d["hazards"]["totalCount"], 2);
    let d = list(json!({ "search": "配电箱" }), Value::Null).await;
    assert_eq!(ids(&d), [hazards[1].clone()]);
    let d = list(json!({ "source": "INSPECTION" }), Value::Null).await;
    assert_eq!(d["hazards"]["totalCount"], 0);
    let d = list(json!({ "source": "DIRECT_REPORT" }), Value::Null).await;
    assert_eq!(d["hazards"]["totalCount"], 3);
    let d = list(
        json!({ "reportedFrom": "2100-01-01T00:00:00Z" }),
        Value::Null,
    )
    .await;
    assert_eq!(d["hazards"]["totalCount"], 0);
    let d = list(
        json!({ "reportedBefore": "2100-01-01T00:00:00Z" }),
        Value::Null,
    )
    .await;
    assert_eq!(d["hazards"]["totalCount"], 3);

    // By deadline, soonest first, unassigned left out; the next page continues after the cursor.
    let order = json!({ "field": "DEADLINE_AT", "direction": "ASC" });
    let d = app
        .data(Some(&inspector), LIST, json!({ "o": order, "f": null }))
        .await;
    assert_eq!(ids(&d), [hazards[2].clone(), hazards[0].clone()]);
    assert_eq!(d["hazards"]["totalCount"], 2);
    let first = app
        .data(
            Some(&inspector),
            "query($o: HazardOrder) { hazards(orderBy: $o, first: 1) { pageInfo { endCursor } edges { node { id } } } }",
            json!({ "o": order }),
        )
        .await;
    let cursor = first["hazards"]["pageInfo"]["endCursor"].as_str().unwrap();
    let next = app
        .data(
            Some(&inspector),
            LIST,
            json!({ "o": order, "after": cursor, "f": null }),
        )
        .await;
    assert_eq!(ids(&next), [hazards[0].clone()]);

    // A malformed inspection id is the client's mistake, named.
    let body = app
        .gql(
            Some(&inspector),
            LIST,
            json!({ "f": { "inspectionId": "nope" } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "inspectionId");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_publicity_items_are_listed_within_scope() {
    let (app, fx) = Fixture::spawn().await;
    let record = "mutation($p: ID!, $t: String!) { recordPublicityItem(input: {projectId: $p,
      kind: SLOGAN, title: $t, location: \"大门入口\"}) { id publicityItem { id title kind } } }";
    let d = app
        .data(
            Some(&fx.safety.token),
            record,
            json!({ "p": fx.project.id, "t": "安全第一 预防为主" }),
        )
        .await;
    let item = &d["recordPublicityItem"];
    assert_eq!(item["id"], item["publicityItem"]["id"]);
    assert_eq!(item["publicityItem"]["kind"], "SLOGAN");
    let list = "query($p: ID) { publicityItems(projectId: $p) { totalCount
      edges { node { title project { code } photos { id } } } } }";
    // The contractor and the commission see it; another contractor's manager does not.
    for token in [&fx.manager.token, &fx.inspector.token] {
        let d = app
            .data(Some(token), list, json!({ "p": fx.project.id }))
            .await;
        assert_eq!(d["publicityItems"]["totalCount"], 1);
        assert_eq!(
            d["publicityItems"]["edges"][0]["node"]["project"]["code"],
            fx.project.code.as_str()
        );
    }
    let d = app
        .data(Some(&fx.other_manager.token), list, json!({ "p": null }))
        .await;
    assert_eq!(d["publicityItems"]["totalCount"], 0);
    // And `node` reads it back as a record of its own.
    let d = app
        .data(
            Some(&fx.inspector.token),
            "query($id: ID!) { node(id: $id) { __typename } }",
            json!({ "id": item["id"] }),
        )
        .await;
    assert_eq!(d["node"]["__typename"], "PublicityItem");
}

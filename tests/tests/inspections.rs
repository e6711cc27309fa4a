//! Inspections of every kind (issue #3 §1, §2, §9, §11).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::error_code;
use jianan_tests::fixtures::Fixture;
use serde_json::{Value, json};

const RECORD: &str = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection {
  id kind covert score { totalCenti total rating sheets { sheet scoreCenti notApplicable zeroedReason } } hazards { id status } } } }";

fn input(project: &str, kind: &str, checklist: Value, hazards: Value) -> Value {
    let at = jianan_tests::recently().to_rfc3339();
    json!({ "input": { "projectId": project, "kind": kind, "inspectedAt": at,
        "latitude": 29.3256, "longitude": 107.7602, "findings": "现场检查", "result": "RECTIFY",
        "checklist": checklist, "hazards": hazards } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jgj59_checklist_is_scored_on_the_server_as_worked_by_hand() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let project = fx.project.id.clone();
    // 安全管理检查评分表 (JGJ 59-2011 B.1): deduct 4 on 1 安全生产责任制 and 3 on 5 安全教育
    // (guaranteed items), 3 on 10 安全标志 (general); 7 分包单位安全管理 not applicable.
    //   applicable points 100 − 10 = 90; earned 90 − 10 = 80; guaranteed 60 − 7 = 53 ≥ 40
    //   sheet = 80 / 90 × 100 = 88.888… → 88.89
    // Only this sheet applies, so the summary total is rescaled over its weight: 88.89 → 优良 (≥ 80).
    // Every guaranteed item (1–6) is answered (§4.0.1); 2, 3, 4 and 6 with nothing deducted.
    let checklist = json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "safety_management", "items": [
        { "item": "1", "deduction": 4 }, { "item": "5", "deduction": 3 }, { "item": "10", "deduction": 3 },
        { "item": "2", "deduction": 0 }, { "item": "3", "deduction": 0 }, { "item": "4", "deduction": 0 },
        { "item": "6", "deduction": 0 }, { "item": "7", "notApplicable": true } ] }] });
    let d = app
        .data(
            Some(&inspector),
            RECORD,
            input(&project, "DEPARTMENT_SUPERVISION", checklist, json!([])),
        )
        .await;
    let score = &d["recordInspection"]["inspection"]["score"];
    assert_eq!(score["totalCenti"], 8889);
    assert_eq!(score["total"], "88.89");
    assert_eq!(score["rating"], "GOOD");
    let sheet = score["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sheet"] == "safety_management")
        .unwrap();
    assert_eq!(sheet["scoreCenti"], 8889);

    // A guaranteed item fully deducted zeroes the sheet and fails the inspection (§4.0.3, §5.0.2).
    let checklist = json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "safety_management", "items": [
        { "item": "4", "deduction": 10 }, { "item": "1", "deduction": 0 }, { "item": "2", "deduction": 0 },
        { "item": "3", "deduction": 0 }, { "item": "5", "deduction": 0 }, { "item": "6", "deduction": 0 } ] }] });
    let d = app
        .data(
            Some(&inspector),
            RECORD,
            input(&project, "DEPARTMENT_SUPERVISION", checklist, json!([])),
        )
        .await;
    let score = &d["recordInspection"]["inspection"]["score"];
    assert_eq!(score["rating"], "FAIL");
    assert_eq!(score["totalCenti"], 0);

    // A guaranteed item left unanswered is not full marks: refused, naming sheet and item.
    let before = app.count("inspection").await;
    let checklist = json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "safety_management", "items": [
        { "item": "1", "deduction": 0 }, { "item": "2", "deduction": 0 }, { "item": "3", "deduction": 0 },
        { "item": "4", "deduction": 0 }, { "item": "5", "deduction": 0 } ] }] });
    let body = app
        .gql(
            Some(&inspector),
            RECORD,
            input(&project, "DEPARTMENT_SUPERVISION", checklist, json!([])),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "checklist");
    let msg = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("safety_management") && msg.contains("“6”"),
        "{msg}"
    );
    assert_eq!(app.count("inspection").await, before);

    // Unknown codes are input errors and write nothing.
    let before = app.count("inspection").await;
    let checklist = json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "no_such_sheet", "items": [] }] });
    let body = app
        .gql(
            Some(&inspector),
            RECORD,
            input(&project, "DEPARTMENT_SUPERVISION", checklist, json!([])),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "checklist");
    assert_eq!(app.count("inspection").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn covert_inspections_stay_hidden_from_the_enterprise_until_published() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let project = fx.project.id.clone();
    let hazards = json!([{ "level": "GENERAL", "category": "TEMPORARY_ELECTRICITY", "description": "配电箱无门无锁", "location": "生活区" }]);
    let d = app
        .data(
            Some(&inspector),
            RECORD,
            input(&project, "COVERT", Value::Null, hazards),
        )
        .await;
    let i = &d["recordInspection"]["inspection"];
    assert_eq!(i["covert"], true);
    let id = i["id"].as_str().unwrap().to_owned();
    assert_eq!(i["hazards"].as_array().unwrap().len(), 1);

    let seen = |token: String| {
        let app = &app;
        async move {
            let d = app
                .data(
                    Some(&token),
                    "{ inspections(kinds: [COVERT]) { totalCount } hazards { totalCount } }",
                    json!({}),
                )
                .await;
            (
                d["inspections"]["totalCount"].as_i64().unwrap(),
                d["hazards"]["totalCount"].as_i64().unwrap(),
            )
        }
    };
    assert_eq!(
        seen(manager.clone()).await,
        (0, 0),
        "hidden from the inspected enterprise"
    );
    assert_eq!(seen(inspector.clone()).await, (1, 1));
    let body = app
        .gql(
            Some(&manager),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(body["data"]["node"].is_null());

    app.data(Some(&inspector), "mutation($id: ID!) { publishCovertInspection(input: {id: $id}) { inspection { publishedAt } } }", json!({ "id": id }))
        .await;
    assert_eq!(
        seen(manager.clone()).await,
        (1, 1),
        "visible once published"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_checks_are_the_enterprises_and_supervision_the_commissions() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let safety = fx.safety.token.clone();
    let project = fx.project.id.clone();
    let d = app
        .data(
            Some(&safety),
            RECORD,
            input(&project, "SAFETY_MANAGER_DAILY", Value::Null, json!([])),
        )
        .await;
    assert_eq!(
        d["recordInspection"]["inspection"]["kind"],
        "SAFETY_MANAGER_DAILY"
    );
    let body = app
        .gql(
            Some(&safety),
            RECORD,
            input(&project, "LEADERSHIP_SUPERVISION", Value::Null, json!([])),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = app
        .gql(
            Some(&inspector),
            RECORD,
            input(&project, "SAFETY_MANAGER_DAILY", Value::Null, json!([])),
        )
        .await;
    assert_eq!(
        error_code(&body),
        "FORBIDDEN",
        "the commission does not record the enterprise's self-checks"
    );
    // Another enterprise's project is not the enterprise's to self-check.
    let other = fx.other_manager.token.clone();
    let body = app
        .gql(
            Some(&other),
            RECORD,
            input(&project, "ENTERPRISE_MONTHLY", Value::Null, json!([])),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "projectId");
    // A bad GPS point is refused.
    let mut bad = input(&project, "SAFETY_MANAGER_DAILY", Value::Null, json!([]));
    bad["input"]["latitude"] = json!(123.0);
    assert_eq!(
        error_code(&app.gql(Some(&safety), RECORD, bad).await),
        "BAD_USER_INPUT"
    );
}

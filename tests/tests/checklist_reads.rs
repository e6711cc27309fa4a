//! Checklists as typed reads (issue #7 item 8): the JGJ 59-2011 template with its sheets, items,
//! guaranteed items and points; a score preview that is `recordInspection`'s own scoring and
//! writes nothing; and a scored inspection's answers and sheet lines read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::{Account, Fixture};
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const TEMPLATES: &str = "query($code: String, $version: Int) { checklistTemplates(code: $code, version: $version) {
  code version name summaryItems { code name weight }
  sheets { code table name summaryItem totalPoints guaranteedPoints items { code name guaranteed points criteria } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jgj59_template_reads_as_typed_sheets_items_and_points() {
    let (app, fx) = Fixture::spawn().await;
    let d = app.data(fx.safety.auth(), TEMPLATES, json!({})).await;
    let templates = d["checklistTemplates"].as_array().unwrap();
    assert_eq!(templates.len(), 1);
    let t = &templates[0];
    assert_eq!(t["code"], "JGJ59-2011");
    assert_eq!(t["version"], 1);
    // The rules data, as typed fields: the ten summary items weigh 100; nineteen sheets of 100
    // points, 60 of them guaranteed except on the two sheets without guaranteed items.
    let weights: u64 = t["summaryItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["weight"].as_u64().unwrap())
        .sum();
    assert_eq!(weights, 100);
    assert_eq!(t["summaryItems"].as_array().unwrap().len(), 10);
    let sheets = t["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), 19);
    let template = jianan_inspections::rules::jgj59::jgj59_2011();
    for (sheet, data) in sheets.iter().zip(&template.sheets) {
        assert_eq!(sheet["code"], data.code.as_str());
        assert_eq!(sheet["totalPoints"], 100);
        let items = sheet["items"].as_array().unwrap();
        assert_eq!(items.len(), data.items.len());
        let guaranteed: u64 = items
            .iter()
            .filter(|i| i["guaranteed"] == true)
            .map(|i| i["points"].as_u64().unwrap())
            .sum();
        assert_eq!(sheet["guaranteedPoints"].as_u64().unwrap(), guaranteed);
        assert!(guaranteed == 60 || guaranteed == 0, "{}", sheet["code"]);
        for (item, d) in items.iter().zip(&data.items) {
            assert_eq!(item["code"], d.code.as_str());
            assert_eq!(item["guaranteed"], d.guaranteed);
            assert_eq!(item["points"], d.points);
        }
    }
    let management = &sheets[0];
    assert_eq!(management["code"], "safety_management");
    assert_eq!(management["table"], "B.1");
    assert_eq!(management["items"][0]["name"], "安全生产责任制");
    assert_eq!(management["items"][0]["guaranteed"], true);

    // By code and version; an unknown code is no template; a version needs its code.
    let d = app
        .data(
            fx.inspector.auth(),
            TEMPLATES,
            json!({ "code": "JGJ59-2011", "version": 1 }),
        )
        .await;
    assert_eq!(d["checklistTemplates"].as_array().unwrap().len(), 1);
    for vars in [
        json!({ "code": "NO-SUCH" }),
        json!({ "code": "JGJ59-2011", "version": 9 }),
    ] {
        let d = app.data(fx.inspector.auth(), TEMPLATES, vars).await;
        assert!(d["checklistTemplates"].as_array().unwrap().is_empty());
    }
    let body = app
        .gql(fx.inspector.auth(), TEMPLATES, json!({ "version": 1 }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "version");
    // Read by whoever reads inspections; not anonymously, not by the bureau's service account.
    assert_eq!(
        error_code(&app.gql(None, TEMPLATES, json!({})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&app.gql(fx.bureau.auth(), TEMPLATES, json!({})).await),
        "FORBIDDEN"
    );
}

const SCORE: &str = "totalCenti total rating requiresRectification templateCode templateVersion
  sheets { sheet summaryItem notApplicable scoreCenti score zeroedReason earnedPoints applicablePoints
    guaranteedCenti guaranteedEarnedPoints guaranteedApplicablePoints clamped { item requested applied } }
  summary { item name weight applicable sheets scoreCenti contributionCenti }";

fn preview_query() -> String {
    format!(
        "query($input: ChecklistInput!) {{ checklistScorePreview(input: $input) {{ {SCORE} }} }}"
    )
}

fn record_query() -> String {
    format!(
        "mutation($input: RecordInspectionInput!) {{ recordInspection(input: $input) {{ inspection {{ id score {{ {SCORE} }}
  checklist {{ templateCode templateVersion sheets {{ sheet notApplicable items {{ item deduction notApplicable note }} }} }} }} }} }}"
    )
}

fn record_input(project: &str, kind: &str, checklist: &Value, result: &str) -> Value {
    json!({ "input": { "projectId": project, "kind": kind, "inspectedAt": jianan_tests::recently().to_rfc3339(),
        "findings": "按JGJ 59评分", "result": result, "checklist": checklist } })
}

/// Everything a recorded inspection writes.
async fn snapshot(app: &TestApp) -> [i64; 5] {
    [
        app.count("inspection").await,
        app.count("hazard").await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
        app.count("obligation_evidence").await,
    ]
}

/// The hand-worked sheet of `inspections.rs` (88.89, good), with a deduction over an item's
/// points (clamped) and notes; a second sheet answered as not applicable.
fn worked_checklist() -> Value {
    json!({ "templateCode": "JGJ59-2011", "sheets": [
        { "sheet": "safety_management", "items": [
            { "item": "1", "deduction": 4, "note": "责任制未签字" }, { "item": "5", "deduction": 3 },
            { "item": "10", "deduction": 3 }, { "item": "2", "deduction": 0 }, { "item": "3", "deduction": 0 },
            { "item": "4", "deduction": 0 }, { "item": "6", "deduction": 0 }, { "item": "7", "notApplicable": true } ] },
        { "sheet": "civilized_construction", "notApplicable": true, "items": [] } ] })
}

async fn preview(app: &TestApp, who: &Account, checklist: &Value) -> Value {
    app.gql(who.auth(), &preview_query(), json!({ "input": checklist }))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_score_preview_is_what_recording_scores_and_writes_nothing() {
    let (app, fx) = Fixture::spawn().await;
    let checklist = worked_checklist();
    let before = snapshot(&app).await;
    let previewed = preview(&app, &fx.inspector, &checklist).await;
    assert!(previewed["errors"].is_null(), "{previewed}");
    let previewed = previewed["data"]["checklistScorePreview"].clone();
    assert_eq!(snapshot(&app).await, before, "a preview writes nothing");
    assert_eq!(previewed["totalCenti"], 8889);
    assert_eq!(previewed["rating"], "GOOD");
    assert_eq!(previewed["requiresRectification"], false);

    let d = app
        .data(
            fx.inspector.auth(),
            &record_query(),
            record_input(
                &fx.project.id,
                "DEPARTMENT_SUPERVISION",
                &checklist,
                "RECTIFY",
            ),
        )
        .await;
    let inspection = &d["recordInspection"]["inspection"];
    assert_eq!(
        inspection["score"], previewed,
        "the same scoring, line for line"
    );

    // A self-check's preview by the enterprise that records it scores the same way.
    let by_safety = preview(&app, &fx.safety, &checklist).await;
    assert_eq!(by_safety["data"]["checklistScorePreview"], previewed);

    // Refusals are recordInspection's, with the same code, field and message, and write nothing.
    let failing = [
        // A guaranteed item left unanswered (§4.0.1).
        json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "safety_management", "items": [
            { "item": "1" }, { "item": "2" }, { "item": "3" }, { "item": "4" }, { "item": "5" } ] }] }),
        // An unknown sheet; a deduction on an item marked not applicable; an unknown template.
        json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "no_such_sheet" }] }),
        json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "work_at_height", "items": [
            { "item": "1", "deduction": 2, "notApplicable": true } ] }] }),
        json!({ "templateCode": "JGJ59-99", "sheets": [] }),
        // A negative deduction.
        json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "work_at_height", "items": [
            { "item": "1", "deduction": -2 } ] }] }),
    ];
    for checklist in failing {
        let before = snapshot(&app).await;
        let p = preview(&app, &fx.inspector, &checklist).await;
        let r = app
            .gql(
                fx.inspector.auth(),
                &record_query(),
                record_input(
                    &fx.project.id,
                    "DEPARTMENT_SUPERVISION",
                    &checklist,
                    "RECTIFY",
                ),
            )
            .await;
        assert_eq!(error_code(&p), "BAD_USER_INPUT", "{p}");
        for key in ["message", "extensions"] {
            assert_eq!(p["errors"][0][key], r["errors"][0][key], "{checklist}");
        }
        assert_eq!(snapshot(&app).await, before);
    }

    // A failed rating says that the inspection must conclude with rectification, which is what
    // recordInspection then demands.
    let zeroed = json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "safety_management", "items": [
        { "item": "4", "deduction": 10 }, { "item": "1" }, { "item": "2" }, { "item": "3" }, { "item": "5" },
        { "item": "6" } ] }] });
    let p = preview(&app, &fx.inspector, &zeroed).await;
    assert_eq!(p["data"]["checklistScorePreview"]["rating"], "FAIL");
    assert_eq!(
        p["data"]["checklistScorePreview"]["requiresRectification"],
        true
    );
    let r = app
        .gql(
            fx.inspector.auth(),
            &record_query(),
            record_input(
                &fx.project.id,
                "DEPARTMENT_SUPERVISION",
                &zeroed,
                "NO_PROBLEM",
            ),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "result");

    // Who may preview: whoever records inspections or self-checks.
    assert_eq!(
        error_code(&preview(&app, &fx.bureau, &worked_checklist()).await),
        "FORBIDDEN"
    );
    let anonymous = app
        .gql(
            None,
            &preview_query(),
            json!({ "input": worked_checklist() }),
        )
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    for who in [&fx.township_staff, &fx.leader, &fx.manager, &fx.expert] {
        let p = preview(&app, who, &worked_checklist()).await;
        assert!(p["errors"].is_null(), "{}: {p}", who.username);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scored_inspection_reads_back_its_answers_and_sheet_lines() {
    let (app, fx) = Fixture::spawn().await;
    let mut checklist = worked_checklist();
    // Fifteen deducted on a ten-point general item: recorded as given, scored as ten.
    checklist["sheets"][0]["items"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "item": "9", "deduction": 15, "note": "超限扣分" }));
    let d = app
        .data(
            fx.inspector.auth(),
            &record_query(),
            record_input(
                &fx.project.id,
                "DEPARTMENT_SUPERVISION",
                &checklist,
                "RECTIFY",
            ),
        )
        .await;
    let id = d["recordInspection"]["inspection"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Read back by whoever sees the inspection: the contractor's manager too.
    let read = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on Inspection {{ score {{ {SCORE} }}
  checklist {{ templateCode templateVersion sheets {{ sheet notApplicable items {{ item deduction notApplicable note }} }} }} }} }} }}"
    );
    let d = app
        .data(fx.manager.auth(), &read, json!({ "id": id }))
        .await;
    let answers = &d["node"]["checklist"];
    assert_eq!(answers["templateCode"], "JGJ59-2011");
    assert_eq!(
        answers["templateVersion"], 1,
        "the version it was scored with"
    );
    let sheets = answers["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), 2);
    assert_eq!(sheets[1]["sheet"], "civilized_construction");
    assert_eq!(sheets[1]["notApplicable"], true);
    let items = sheets[0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 9, "as recorded, in the order given");
    assert_eq!(
        items[0],
        json!({ "item": "1", "deduction": 4, "notApplicable": false, "note": "责任制未签字" })
    );
    assert_eq!(items[7]["notApplicable"], true);
    assert_eq!(
        items[8],
        json!({ "item": "9", "deduction": 15, "notApplicable": false, "note": "超限扣分" })
    );

    // The sheet line, worked by hand: applicable 100 − 10 (item 7) = 90; deducted 4 + 3 + 3 + 10
    // (15 clamped to item 9's ten points) = 20; earned 70; 70 / 90 = 77.78. Guaranteed 60 − 7 = 53
    // of 60 (item 7 is general) → 53.00.
    let score = &d["node"]["score"];
    let line = score["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sheet"] == "safety_management")
        .unwrap();
    assert_eq!(line["summaryItem"], "safety_management");
    assert_eq!(line["applicablePoints"], 90);
    assert_eq!(line["earnedPoints"], 70);
    assert_eq!(line["scoreCenti"], 7778);
    assert_eq!(line["score"], "77.78");
    assert_eq!(line["guaranteedEarnedPoints"], 53);
    assert_eq!(line["guaranteedApplicablePoints"], 60);
    assert_eq!(line["guaranteedCenti"], 5300);
    assert_eq!(
        line["clamped"],
        json!([{ "item": "9", "requested": 15, "applied": 10 }])
    );
    // Every sheet of the template has its line, the unanswered ones not applicable.
    assert_eq!(score["sheets"].as_array().unwrap().len(), 19);
    let civilized = score["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sheet"] == "civilized_construction")
        .unwrap();
    assert_eq!(civilized["notApplicable"], true);
    // The summary: only the safety-management line applies; the total is rescaled over it.
    let applicable: Vec<&Value> = score["summary"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["applicable"] == true)
        .collect();
    assert_eq!(applicable.len(), 1);
    assert_eq!(applicable[0]["scoreCenti"], 7778);
    assert_eq!(score["totalCenti"], 7778);
    assert_eq!(score["rating"], "PASS");

    // An inspection without a checklist has neither.
    let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { score { total } checklist { templateCode } } } }";
    let plain = json!({ "input": { "projectId": fx.project.id, "kind": "DEPARTMENT_SUPERVISION",
        "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "巡查", "result": "RECTIFY" } });
    let d = app.data(fx.inspector.auth(), q, plain).await;
    assert!(d["recordInspection"]["inspection"]["score"].is_null());
    assert!(d["recordInspection"]["inspection"]["checklist"].is_null());
}

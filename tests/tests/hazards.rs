//! Hazards and rectification end to end (issue #3 §3, §8, §9, §11).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, TestApp, error_code};
use serde_json::{Value, json};

const HAZARD_FIELDS: &str =
    "id status level version deadlineAt steps { action toStatus } implementations { kind }";

async fn report(app: &TestApp, token: &str, project: &str, level: &str) -> Value {
    let q = format!(
        "mutation($p: ID!, $l: HazardLevel!, $c: String) {{ reportHazard(input: {{projectId: $p, level: $l, category: \"SCAFFOLDING\",
          criterion: $c, description: \"脚手架连墙件整层缺失\", location: \"3号楼北侧\"}}) {{ hazard {{ {HAZARD_FIELDS} }} }} }}"
    );
    app.data(
        Some(token),
        &q,
        json!({ "p": project, "l": level, "c": (level == "MAJOR").then_some("SCAFFOLDING-2") }),
    )
    .await["reportHazard"]["hazard"]
        .clone()
}

async fn step(app: &TestApp, token: &str, verb: &str, id: &str, comment: &str) -> Value {
    let photos = jianan_tests::photos_of(app, token, id).await;
    let q = format!(
        "mutation($id: ID!, $c: String!, $p: [ID!]!) {{ {verb}(input: {{id: $id, comment: $c, photoIds: $p}}) {{ hazard {{ {HAZARD_FIELDS} }} }} }}"
    );
    app.gql(
        Some(token),
        &q,
        json!({ "id": id, "c": comment, "p": photos }),
    )
    .await
}

async fn assign(app: &TestApp, token: &str, id: &str, enterprise: &str) -> Value {
    let q = format!(
        "mutation($id: ID!, $e: ID!) {{ assignHazard(input: {{id: $id, responsibleEnterpriseId: $e, responsiblePerson: \"王工\",
          deadlineWorkingDays: 5}}) {{ hazard {{ {HAZARD_FIELDS} }} }} }}"
    );
    app.gql(Some(token), &q, json!({ "id": id, "e": enterprise }))
        .await
}

async fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("hazard_step").await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_hazard_life_cycle_refuses_every_illegal_transition() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let h = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    let id = h["id"].as_str().unwrap().to_owned();
    assert_eq!(h["status"], "REPORTED");

    // Illegal from REPORTED: start, submit, verify, reject — each refused, nothing written.
    let before = snapshot(&app).await;
    for verb in [
        "startRectification",
        "submitRectification",
        "verifyRectification",
        "rejectRectification",
    ] {
        let token = if verb.starts_with("start") || verb.starts_with("submit") {
            &manager
        } else {
            &inspector
        };
        let body = step(&app, token, verb, &id, "说明").await;
        assert_eq!(error_code(&body), "CONFLICT", "{verb}: {body}");
    }
    assert_eq!(
        snapshot(&app).await,
        before,
        "refused transitions write nothing"
    );

    // The enterprise may not assign, nor close its own hazard.
    assert_eq!(
        error_code(&assign(&app, &manager, &id, &fx.contractor.id).await),
        "FORBIDDEN"
    );
    let d = assign(&app, &inspector, &id, &fx.contractor.id).await;
    assert_eq!(
        d["data"]["assignHazard"]["hazard"]["status"], "ASSIGNED",
        "{d}"
    );
    assert!(d["data"]["assignHazard"]["hazard"]["deadlineAt"].is_string());
    assert_eq!(
        error_code(&assign(&app, &inspector, &id, &fx.contractor.id).await),
        "CONFLICT",
        "assigning twice"
    );

    // The enterprise was notified.
    let n = app
        .data(
            Some(&manager),
            "{ notifications(first: 5) { edges { node { kind subjectId } } } }",
            json!({}),
        )
        .await;
    let kinds: Vec<_> = n["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        kinds.contains(&"inspections.hazard_assigned".to_owned()),
        "{kinds:?}"
    );

    let d = step(&app, &manager, "startRectification", &id, "").await;
    assert_eq!(
        d["data"]["startRectification"]["hazard"]["status"], "RECTIFYING",
        "{d}"
    );
    let body = step(&app, &manager, "submitRectification", &id, "").await;
    assert_eq!(
        error_code(&body),
        "BAD_USER_INPUT",
        "a submission needs a description"
    );
    jianan_tests::add_photo(&app, &manager, &id).await;
    let d = step(&app, &manager, "submitRectification", &id, "已补设连墙件").await;
    assert_eq!(
        d["data"]["submitRectification"]["hazard"]["status"],
        "SUBMITTED"
    );
    assert_eq!(
        error_code(&step(&app, &manager, "verifyRectification", &id, "").await),
        "FORBIDDEN"
    );
    // The reporter is asked to review.
    let n = app
        .data(
            Some(&inspector),
            "{ notifications(first: 5) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        n["notifications"]["edges"][0]["node"]["kind"],
        "inspections.rectification_submitted"
    );

    let d = step(
        &app,
        &inspector,
        "rejectRectification",
        &id,
        "连墙件间距仍不符合要求",
    )
    .await;
    assert_eq!(
        d["data"]["rejectRectification"]["hazard"]["status"],
        "RECTIFYING"
    );
    step(
        &app,
        &manager,
        "submitRectification",
        &id,
        "已按间距要求补设",
    )
    .await;
    let d = step(&app, &inspector, "verifyRectification", &id, "复查合格").await;
    let h = &d["data"]["verifyRectification"]["hazard"];
    assert_eq!(h["status"], "CLOSED");
    let actions: Vec<_> = h["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "REPORT", "ASSIGN", "START", "SUBMIT", "REJECT", "SUBMIT", "VERIFY"
        ]
    );
    // Nothing leaves CLOSED.
    assert_eq!(
        error_code(&step(&app, &inspector, "rejectRectification", &id, "再退回").await),
        "CONFLICT"
    );

    // Another enterprise does not see the hazard at all.
    let other = fx.other_manager.token.clone();
    let d = app
        .data(
            Some(&other),
            "query($id: ID!) { node(id: $id) { id } hazards { totalCount } }",
            json!({ "id": id }),
        )
        .await;
    assert!(d["node"].is_null());
    assert_eq!(d["hazards"]["totalCount"], 0);
    assert_eq!(
        error_code(&step(&app, &other, "startRectification", &id, "").await),
        "NOT_FOUND"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_major_hazard_is_blocked_without_its_five_implementations() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let id = report(&app, &inspector, &fx.project.id, "MAJOR").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assign(&app, &inspector, &id, &fx.contractor.id).await;
    let record = "mutation($id: ID!, $k: Implementation!) { recordHazardImplementation(input: {id: $id, kind: $k, content: \"已落实\"}) { hazard { implementations { kind } } } }";
    for (i, kind) in ["RESPONSIBILITY", "MEASURES", "FUNDS", "DEADLINE"]
        .iter()
        .enumerate()
    {
        let before = snapshot(&app).await;
        let body = step(&app, &manager, "startRectification", &id, "").await;
        assert_eq!(error_code(&body), "CONFLICT");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("已落实{i}项")),
            "{body}"
        );
        assert_eq!(snapshot(&app).await, before);
        app.data(Some(&manager), record, json!({ "id": id, "k": kind }))
            .await;
    }
    assert_eq!(
        error_code(&step(&app, &manager, "startRectification", &id, "").await),
        "CONFLICT",
        "four of five is not enough"
    );
    let d = app
        .data(
            Some(&manager),
            record,
            json!({ "id": id, "k": "CONTINGENCY_PLAN" }),
        )
        .await;
    assert_eq!(
        d["recordHazardImplementation"]["hazard"]["implementations"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let d = step(&app, &manager, "startRectification", &id, "").await;
    assert_eq!(
        d["data"]["startRectification"]["hazard"]["status"], "RECTIFYING",
        "{d}"
    );
    jianan_tests::add_photo(&app, &manager, &id).await;
    step(&app, &manager, "submitRectification", &id, "整改完毕").await;
    // Department staff may verify general hazards, but only a commission inspector closes a major one.
    let staff = fx.staff.token.clone();
    let body = step(&app, &staff, "verifyRectification", &id, "同意").await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    // 挂牌督办 … 验收后销号: neither closed nor accepted before it is listed for supervision.
    let before = snapshot(&app).await;
    for verb in ["verifyRectification", "acceptHazardRectification"] {
        let body = step(&app, &inspector, verb, &id, "验收合格，销号").await;
        assert_eq!(error_code(&body), "CONFLICT", "{verb}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("挂牌督办")
        );
    }
    assert_eq!(snapshot(&app).await, before);
    let supervise = "mutation($input: SuperviseHazardInput!) { superviseHazard(input: $input) {
      hazard { supervision { supervisingUnit { id } deadlineAt listedAt } steps { action } } } }";
    let tomorrow = (jianan_kernel::calendar::today() + chrono::Duration::days(1)).to_string();
    let yesterday = (jianan_kernel::calendar::today() - chrono::Duration::days(1)).to_string();
    let listing = |unit: &str, deadline: &str| json!({ "input": { "id": id, "supervisingUnitId": unit, "deadline": deadline, "comment": "限期整改到位" } });
    for (token, input, code, field) in [
        (
            &staff,
            listing(&fx.department.id, &tomorrow),
            "FORBIDDEN",
            None,
        ),
        (
            &manager,
            listing(&fx.department.id, &tomorrow),
            "FORBIDDEN",
            None,
        ),
        (
            &inspector,
            listing(&fx.department.id, &yesterday),
            "BAD_USER_INPUT",
            Some("deadline"),
        ),
        (
            &inspector,
            listing(&fx.project.id, &tomorrow),
            "BAD_USER_INPUT",
            Some("supervisingUnitId"),
        ),
    ] {
        let body = app.gql(Some(token), supervise, input).await;
        assert_eq!(error_code(&body), code, "{body}");
        if let Some(f) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], f, "{body}");
        }
    }
    assert_eq!(snapshot(&app).await, before);
    let d = app
        .data(
            Some(&inspector),
            supervise,
            listing(&fx.department.id, &tomorrow),
        )
        .await;
    let listed = &d["superviseHazard"]["hazard"]["supervision"];
    assert_eq!(listed["supervisingUnit"]["id"], fx.department.id.as_str());
    assert!(listed["deadlineAt"].as_str().is_some());
    // Still not closed before its acceptance; acceptance needs a photo of this hazard.
    let body = step(&app, &inspector, "verifyRectification", &id, "销号").await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("销号验收"),
        "{body}"
    );
    let accept = "mutation($id: ID!, $p: [ID!]!) { acceptHazardRectification(input: {id: $id, comment: \"现场验收合格\", photoIds: $p}) {
      hazard { acceptedAt acceptedBy { id } steps { action photos { id } } } } }";
    // Only a commission inspector accepts a major hazard's rectification.
    let photo = jianan_tests::add_photo(&app, &inspector, &id).await;
    let before = snapshot(&app).await;
    let body = app
        .gql(Some(&staff), accept, json!({ "id": id, "p": [photo] }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(snapshot(&app).await, before);
    let before = snapshot(&app).await;
    let body = app
        .gql(Some(&inspector), accept, json!({ "id": id, "p": [] }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "photoIds");
    let other = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    let foreign = jianan_tests::add_photo(&app, &inspector, other["id"].as_str().unwrap()).await;
    let body = app
        .gql(
            Some(&inspector),
            accept,
            json!({ "id": id, "p": [foreign] }),
        )
        .await;
    assert_eq!(
        error_code(&body),
        "BAD_USER_INPUT",
        "a photo of another hazard: {body}"
    );
    let before_ok = snapshot(&app).await;
    assert_eq!(
        before_ok.0,
        before.0 + 1,
        "only the other hazard's report step was written"
    );
    let own = jianan_tests::add_photo(&app, &inspector, &id).await;
    let d = app
        .data(Some(&inspector), accept, json!({ "id": id, "p": [own] }))
        .await;
    let h = &d["acceptHazardRectification"]["hazard"];
    assert_eq!(h["acceptedBy"]["id"], fx.inspector.id.as_str());
    let last = h["steps"].as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "ACCEPT");
    assert_eq!(last["photos"][0]["id"], own.as_str());
    let d = step(
        &app,
        &inspector,
        "verifyRectification",
        &id,
        "验收合格，销号",
    )
    .await;
    assert_eq!(
        d["data"]["verifyRectification"]["hazard"]["status"], "CLOSED",
        "{d}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_hazards_are_published_once() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let id = report(&app, &inspector, &fx.project.id, "GENERAL").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assign(&app, &inspector, &id, &fx.contractor.id).await;
    let k = &app.server().kernel;
    assert_eq!(
        jianan_inspections::service::hazard::mark_overdue(k)
            .await
            .unwrap(),
        0,
        "not yet due"
    );
    let db = app.db().await;
    sea_orm::ConnectionTrait::execute_unprepared(&db, "UPDATE hazard SET deadline_at = created_at")
        .await
        .unwrap();
    assert_eq!(
        jianan_inspections::service::hazard::mark_overdue(k)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        jianan_inspections::service::hazard::mark_overdue(k)
            .await
            .unwrap(),
        0,
        "published once"
    );
    let d = app
        .data(
            Some(&manager),
            "{ hazards(filter: {overdueOnly: true}) { totalCount edges { node { overdue } } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["hazards"]["totalCount"], 1);
    assert_eq!(d["hazards"]["edges"][0]["node"]["overdue"], true);
    let n = app
        .data(
            Some(&manager),
            "{ notifications(first: 1) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        n["notifications"]["edges"][0]["node"]["kind"],
        "inspections.hazard_overdue"
    );
}

const HAZARD_PAGE: &str = "query($n: Int!) { hazards(first: $n) { totalCount edges { node {
  status project { code township { name } } responsibleEnterprise { name } photos { id } steps { action } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_hazards_costs_the_same_statements_at_any_size() {
    let (app, fx) = Fixture::spawn_with(Options {
        outbox_poll_ms: Some(3_600_000),
        ..Options::default()
    })
    .await;
    let inspector = fx.inspector.token.clone();
    for i in 0..30 {
        let id = report(&app, &inspector, &fx.project.id, "GENERAL").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if i % 2 == 0 {
            assign(&app, &inspector, &id, &fx.contractor.id).await;
        }
    }
    app.settle().await;
    let mut counts = Vec::new();
    for n in [3, 30] {
        let before = app.metric("jianan_sql_statements_total").await;
        let d = app
            .data(Some(&inspector), HAZARD_PAGE, json!({ "n": n }))
            .await;
        assert_eq!(d["hazards"]["edges"].as_array().unwrap().len(), n as usize);
        counts.push(app.metric("jianan_sql_statements_total").await - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for 3 and 30 hazards: {counts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_statistics_count_within_the_callers_scope() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let a = report(&app, &inspector, &fx.project.id, "GENERAL").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    report(&app, &inspector, &fx.project.id, "MAJOR").await;
    assign(&app, &inspector, &a, &fx.contractor.id).await;
    step(&app, &manager, "startRectification", &a, "").await;
    jianan_tests::add_photo(&app, &manager, &a).await;
    step(&app, &manager, "submitRectification", &a, "已整改").await;
    step(&app, &inspector, "verifyRectification", &a, "合格").await;
    // Another enterprise's project, not visible to `manager`.
    report(&app, &inspector, &fx.other_project.id, "GENERAL").await;

    let q = "{ hazardStatistics { total byLevel { level count } byStatus { status count } byCategory { category count }
      byMonth { month count } overdueOpen rectificationTime { count p50Hours } } }";
    let d = app.data(Some(&inspector), q, json!({})).await;
    let st = &d["hazardStatistics"];
    assert_eq!(st["total"], 3);
    let level = |l: &str| {
        st["byLevel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["level"] == l)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(level("GENERAL"), 2);
    assert_eq!(level("MAJOR"), 1);
    assert_eq!(st["byCategory"][0]["category"], "SCAFFOLDING");
    assert_eq!(st["rectificationTime"]["count"], 1);
    // Rectified within the test: a fraction of an hour, computed by the database.
    let p50 = st["rectificationTime"]["p50Hours"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&p50), "{st}");
    assert_eq!(
        st["byMonth"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["count"].as_u64().unwrap())
            .sum::<u64>(),
        3
    );
    // The enterprise sees its own two.
    let d = app.data(Some(&manager), q, json!({})).await;
    assert_eq!(d["hazardStatistics"]["total"], 2);
}

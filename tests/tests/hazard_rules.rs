//! Hazards as the rules have them (issue #7 items 1 and 4): only the responsible enterprise
//! rectifies; a covert inspection's hazard reaches no enterprise before publication; overdue
//! means the enterprise is late. Every refusal is checked to write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code, uuid_of};
use serde_json::{Value, json};

const FIELDS: &str = "id status level version overdue implementations { kind }";

async fn report(app: &TestApp, token: &str, project: &str, level: &str) -> String {
    let q = format!(
        "mutation($p: ID!, $l: HazardLevel!, $c: String) {{ reportHazard(input: {{projectId: $p, level: $l, category: \"SCAFFOLDING\",
          criterion: $c, description: \"脚手架连墙件整层缺失\", location: \"3号楼北侧\"}}) {{ hazard {{ {FIELDS} }} }} }}"
    );
    app.data(
        Some(token),
        &q,
        json!({ "p": project, "l": level, "c": (level == "MAJOR").then_some("SCAFFOLDING-2") }),
    )
    .await["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn assign(app: &TestApp, token: &str, id: &str, enterprise: &str) -> Value {
    let q = format!(
        "mutation($id: ID!, $e: ID!) {{ assignHazard(input: {{id: $id, responsibleEnterpriseId: $e, responsiblePerson: \"王工\",
          deadlineWorkingDays: 5}}) {{ hazard {{ {FIELDS} }} }} }}"
    );
    app.gql(Some(token), &q, json!({ "id": id, "e": enterprise }))
        .await
}

async fn step(app: &TestApp, token: &str, verb: &str, id: &str, comment: &str) -> Value {
    let photos = jianan_tests::photos_of(app, token, id).await;
    let q = format!(
        "mutation($id: ID!, $c: String!, $p: [ID!]!) {{ {verb}(input: {{id: $id, comment: $c, photoIds: $p}}) {{ hazard {{ {FIELDS} }} }} }}"
    );
    app.gql(
        Some(token),
        &q,
        json!({ "id": id, "c": comment, "p": photos }),
    )
    .await
}

async fn implement(app: &TestApp, token: &str, id: &str, kind: &str) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($id: ID!, $k: Implementation!) {{ recordHazardImplementation(input: {{id: $id, kind: $k, content: \"已落实\"}}) {{ hazard {{ {FIELDS} }} }} }}"),
        json!({ "id": id, "k": kind }),
    )
    .await
}

/// Everything a hazard write touches: steps, five implementations, versions, audit, outbox,
/// notifications.
async fn snapshot(app: &TestApp) -> [i64; 6] {
    [
        app.count("hazard_step").await,
        app.count("hazard_implementation").await,
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM hazard")
            .await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
        app.count("notification").await,
    ]
}

async fn notifications(app: &TestApp, token: &str) -> Vec<Value> {
    let d = app
        .data(
            Some(token),
            "{ notifications(first: 50) { edges { node { kind subjectId } } } }",
            json!({}),
        )
        .await;
    d["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_responsible_enterprise_starts_submits_and_records_implementations() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let safety = fx.safety.token.clone();
    // The supervision firm (监理) sees the project's hazards but does not rectify them.
    let supervision = fx.supervision.token.clone();

    let major = report(&app, &inspector, &fx.project.id, "MAJOR").await;
    assign(&app, &inspector, &major, &fx.contractor.id).await;
    let before = snapshot(&app).await;
    for kind in ["RESPONSIBILITY", "MEASURES"] {
        let body = implement(&app, &supervision, &major, kind).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("整改责任企业"),
            "{body}"
        );
    }
    assert_eq!(
        snapshot(&app).await,
        before,
        "refused records write nothing"
    );
    for kind in [
        "RESPONSIBILITY",
        "MEASURES",
        "FUNDS",
        "DEADLINE",
        "CONTINGENCY_PLAN",
    ] {
        let d = implement(&app, &safety, &major, kind).await;
        assert!(d["errors"].is_null(), "{d}");
    }
    let before = snapshot(&app).await;
    let body = step(&app, &supervision, "startRectification", &major, "").await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(
        snapshot(&app).await,
        before,
        "a refused start writes nothing"
    );
    let d = step(&app, &manager, "startRectification", &major, "").await;
    assert_eq!(
        d["data"]["startRectification"]["hazard"]["status"], "RECTIFYING",
        "{d}"
    );
    let before = snapshot(&app).await;
    let body = step(&app, &supervision, "submitRectification", &major, "已整改").await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(
        snapshot(&app).await,
        before,
        "a refused submit writes nothing"
    );
    jianan_tests::add_photo(&app, &safety, &major).await;
    let d = step(&app, &safety, "submitRectification", &major, "已整改").await;
    assert_eq!(
        d["data"]["submitRectification"]["hazard"]["status"], "SUBMITTED",
        "{d}"
    );

    // The other way round: a hazard assigned to the supervision firm is not the contractor's,
    // although the contractor takes part in the same project.
    let general = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    let d = assign(&app, &inspector, &general, &fx.supervisor.id).await;
    assert_eq!(
        d["data"]["assignHazard"]["hazard"]["status"], "ASSIGNED",
        "{d}"
    );
    let before = snapshot(&app).await;
    for token in [&manager, &safety] {
        let body = step(&app, token, "startRectification", &general, "").await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    assert_eq!(snapshot(&app).await, before);
    let d = step(&app, &supervision, "startRectification", &general, "").await;
    assert_eq!(
        d["data"]["startRectification"]["hazard"]["status"], "RECTIFYING",
        "{d}"
    );
    let before = snapshot(&app).await;
    let body = step(&app, &manager, "submitRectification", &general, "已整改").await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(snapshot(&app).await, before);

    // Only the responsible enterprise's accounts were told of it.
    let told = |n: &Vec<Value>, id: &str| n.iter().any(|x| x["subjectId"] == id);
    assert!(told(&notifications(&app, &supervision).await, &general));
    assert!(!told(&notifications(&app, &manager).await, &general));
}

const RECORD_COVERT: &str = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id hazards { id } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_covert_inspections_hazard_reaches_no_enterprise_before_it_is_published() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let input = json!({ "input": { "projectId": fx.project.id, "kind": "COVERT", "inspectedAt": jianan_tests::recently().to_rfc3339(),
        "latitude": 29.3256, "longitude": 107.7602, "findings": "夜间暗访", "result": "RECTIFY", "checklist": null,
        "hazards": [{ "level": "GENERAL", "category": "TEMPORARY_ELECTRICITY", "description": "配电箱无门无锁", "location": "生活区" }] } });
    let d = app.data(Some(&inspector), RECORD_COVERT, input).await;
    let inspection = d["recordInspection"]["inspection"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let hazard = d["recordInspection"]["inspection"]["hazards"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uuid = uuid_of(&hazard);
    let reported = format!(
        "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'inspections.hazard_reported' AND aggregate_id = '{uuid}'"
    );
    assert_eq!(
        app.scalar(&reported).await,
        0,
        "no event tells of the hidden hazard"
    );

    // It cannot be assigned (which would notify the enterprise) before publication.
    let before = snapshot(&app).await;
    let body = assign(&app, &inspector, &hazard, &fx.contractor.id).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("暗查暗访"),
        "{body}"
    );
    assert_eq!(
        snapshot(&app).await,
        before,
        "a refused assignment writes nothing"
    );
    // The overdue job has nothing to tell either.
    assert_eq!(
        jianan_inspections::service::hazard::mark_overdue(&app.server().kernel)
            .await
            .unwrap(),
        0
    );
    for token in [&manager, &fx.safety.token, &fx.supervision.token] {
        assert!(
            !notifications(&app, token)
                .await
                .iter()
                .any(|n| n["subjectId"] == hazard),
            "no enterprise account is told of it"
        );
    }

    app.data(
        Some(&inspector),
        "mutation($id: ID!) { publishCovertInspection(input: {id: $id}) { inspection { publishedAt } } }",
        json!({ "id": inspection }),
    )
    .await;
    assert_eq!(
        app.scalar(&reported).await,
        1,
        "announced once the inspection is published"
    );
    let d = assign(&app, &inspector, &hazard, &fx.contractor.id).await;
    assert_eq!(
        d["data"]["assignHazard"]["hazard"]["status"], "ASSIGNED",
        "{d}"
    );
    assert!(
        notifications(&app, &manager)
            .await
            .iter()
            .any(|n| n["subjectId"] == hazard)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_counts_only_hazards_the_enterprise_is_late_with() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let late = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    let waiting = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    for id in [&late, &waiting] {
        assign(&app, &inspector, id, &fx.contractor.id).await;
        step(&app, &manager, "startRectification", id, "").await;
    }
    jianan_tests::add_photo(&app, &manager, &waiting).await;
    let d = step(&app, &manager, "submitRectification", &waiting, "已整改").await;
    assert_eq!(
        d["data"]["submitRectification"]["hazard"]["status"],
        "SUBMITTED"
    );
    app.exec("UPDATE hazard SET deadline_at = created_at").await;

    let k = &app.server().kernel;
    assert_eq!(
        jianan_inspections::service::hazard::mark_overdue(k)
            .await
            .unwrap(),
        1,
        "only the one the enterprise holds"
    );
    let marked = app
        .scalar("SELECT COUNT(*) AS n FROM hazard WHERE overdue_at IS NOT NULL")
        .await;
    assert_eq!(marked, 1);
    for token in [&inspector, &manager] {
        let d = app
            .data(
                Some(token),
                "{ hazards(filter: {overdueOnly: true}) { totalCount edges { node { id overdue } } }
                   all: hazards { edges { node { id overdue } } }
                   hazardStatistics { overdueOpen } }",
                json!({}),
            )
            .await;
        assert_eq!(d["hazards"]["totalCount"], 1);
        assert_eq!(d["hazards"]["edges"][0]["node"]["id"], late.as_str());
        assert_eq!(d["hazardStatistics"]["overdueOpen"], 1);
        for e in d["all"]["edges"].as_array().unwrap() {
            assert_eq!(e["node"]["overdue"], e["node"]["id"] == late.as_str());
        }
    }
    // Rejected after the deadline, the enterprise holds it again and is late.
    step(
        &app,
        &inspector,
        "rejectRectification",
        &waiting,
        "仍有缺失",
    )
    .await;
    assert_eq!(
        jianan_inspections::service::hazard::mark_overdue(k)
            .await
            .unwrap(),
        1
    );
}

async fn void(app: &TestApp, token: &str, id: &str, reason: &str) -> Value {
    app.gql(
        Some(token),
        "mutation($id: ID!, $r: String!) { voidHazard(input: {id: $id, reason: $r}) { hazard { id status steps { action comment } } } }",
        json!({ "id": id, "r": reason }),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_commission_voids_an_open_hazard_with_a_reason_and_nobody_else_does() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let staff = fx.staff.token.clone();
    let manager = fx.manager.token.clone();
    let general = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    assign(&app, &inspector, &general, &fx.contractor.id).await;
    let major = report(&app, &inspector, &fx.project.id, "MAJOR").await;

    let before = snapshot(&app).await;
    for token in [&manager, &fx.supervision.token, &fx.expert.token] {
        let body = void(&app, token, &general, "重复上报").await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    let body = void(&app, &inspector, &general, "  ").await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "reason");
    // A major hazard is voided only by a commission inspector, as only they close one.
    let body = void(&app, &staff, &major, "误报").await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(snapshot(&app).await, before, "refused voids write nothing");

    let d = void(&app, &staff, &general, "与另一条隐患重复上报").await;
    let h = &d["data"]["voidHazard"]["hazard"];
    assert_eq!(h["status"], "VOIDED", "{d}");
    let last = h["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "VOID");
    assert_eq!(last["comment"], "与另一条隐患重复上报");
    let uuid = uuid_of(&general);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'inspections.hazard.void' AND entity_id = '{uuid}'"))
            .await,
        1
    );
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'inspections.hazard_voided' AND aggregate_id = '{uuid}'"))
            .await,
        1
    );
    assert!(
        notifications(&app, &manager)
            .await
            .iter()
            .any(|n| n["kind"] == "inspections.hazard_voided" && n["subjectId"] == general)
    );
    let d = void(
        &app,
        &inspector,
        &major,
        "经复核不构成重大事故隐患，另行上报一般隐患",
    )
    .await;
    assert_eq!(d["data"]["voidHazard"]["hazard"]["status"], "VOIDED", "{d}");

    // Nothing leaves VOIDED, and a closed hazard stays closed.
    let closed = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    assign(&app, &inspector, &closed, &fx.contractor.id).await;
    step(&app, &manager, "startRectification", &closed, "").await;
    jianan_tests::add_photo(&app, &manager, &closed).await;
    step(&app, &manager, "submitRectification", &closed, "已整改").await;
    step(&app, &inspector, "verifyRectification", &closed, "合格").await;
    let before = snapshot(&app).await;
    assert_eq!(
        error_code(&void(&app, &inspector, &general, "再次作废").await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&void(&app, &inspector, &closed, "作废").await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&step(&app, &manager, "startRectification", &general, "").await),
        "CONFLICT"
    );
    assert_eq!(snapshot(&app).await, before);

    // A voided hazard is never overdue.
    app.exec("UPDATE hazard SET deadline_at = created_at").await;
    assert_eq!(
        jianan_inspections::service::hazard::mark_overdue(&app.server().kernel)
            .await
            .unwrap(),
        0
    );
}

async fn reclassify(app: &TestApp, token: &str, id: &str, level: &str, reason: &str) -> Value {
    reclassify_as(
        app,
        token,
        id,
        level,
        (level == "MAJOR").then_some("SCAFFOLDING-2"),
        reason,
    )
    .await
}

async fn reclassify_as(
    app: &TestApp,
    token: &str,
    id: &str,
    level: &str,
    criterion: Option<&str>,
    reason: &str,
) -> Value {
    app.gql(
        Some(token),
        "mutation($id: ID!, $l: HazardLevel!, $c: String, $r: String!) { reclassifyHazard(input: {id: $id, level: $l, criterion: $c, reason: $r}) {
          hazard { id level status category generalCategory criterion { code article } steps { action comment } } } }",
        json!({ "id": id, "l": level, "c": criterion, "r": reason }),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commission_inspector_reclassifies_an_open_hazard_with_a_reason() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let id = report(&app, &inspector, &fx.project.id, "GENERAL").await;
    assign(&app, &inspector, &id, &fx.contractor.id).await;

    let before = snapshot(&app).await;
    for token in [
        &manager,
        &fx.supervision.token,
        &fx.staff.token,
        &fx.township_staff.token,
    ] {
        let body = reclassify(&app, token, &id, "MAJOR", "符合判定标准").await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    let body = reclassify(&app, &inspector, &id, "GENERAL", "无变化").await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "level");
    let body = reclassify(&app, &inspector, &id, "MAJOR", "").await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "reason");
    // Made major, it must name the condition it meets, of the right article.
    for criterion in [None, Some("SCAFFOLDING-99"), Some("NOPE-1")] {
        let body = reclassify_as(&app, &inspector, &id, "MAJOR", criterion, "符合判定标准").await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "criterion");
    }
    assert_eq!(
        snapshot(&app).await,
        before,
        "refused reclassifications write nothing"
    );

    let d = reclassify(
        &app,
        &inspector,
        &id,
        "MAJOR",
        "脚手架连墙件缺失范围大，符合判定标准",
    )
    .await;
    let h = &d["data"]["reclassifyHazard"]["hazard"];
    assert_eq!(h["level"], "MAJOR", "{d}");
    assert_eq!(h["status"], "ASSIGNED", "the status stays");
    assert_eq!(h["category"], "SCAFFOLDING");
    assert_eq!(h["generalCategory"], Value::Null);
    assert_eq!(h["criterion"]["article"], "第七条第（二）项");
    let last = h["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "RECLASSIFY");
    assert!(
        last["comment"]
            .as_str()
            .unwrap()
            .starts_with("一般事故隐患→重大事故隐患")
    );
    let uuid = uuid_of(&id);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'inspections.hazard_reclassified' AND aggregate_id = '{uuid}'"))
            .await,
        1
    );
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'inspections.hazard.reclassify' AND entity_id = '{uuid}'"))
            .await,
        1
    );
    // Now major: rectification waits for the five implementations.
    let body = step(&app, &manager, "startRectification", &id, "").await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("已落实0项")
    );

    let d = reclassify(
        &app,
        &inspector,
        &id,
        "GENERAL",
        "经专家论证不构成重大事故隐患",
    )
    .await;
    assert_eq!(
        d["data"]["reclassifyHazard"]["hazard"]["level"], "GENERAL",
        "{d}"
    );
    // Made general again: the nearest JGJ 59 item, no criterion.
    assert_eq!(
        d["data"]["reclassifyHazard"]["hazard"]["generalCategory"],
        "SCAFFOLDING"
    );
    assert_eq!(
        d["data"]["reclassifyHazard"]["hazard"]["criterion"],
        Value::Null
    );
    let d = step(&app, &manager, "startRectification", &id, "").await;
    assert_eq!(
        d["data"]["startRectification"]["hazard"]["status"], "RECTIFYING",
        "{d}"
    );

    // A closed hazard keeps its level.
    jianan_tests::add_photo(&app, &manager, &id).await;
    step(&app, &manager, "submitRectification", &id, "已整改").await;
    step(&app, &inspector, "verifyRectification", &id, "合格").await;
    let before = snapshot(&app).await;
    let body = reclassify(&app, &inspector, &id, "MAJOR", "事后复核").await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(snapshot(&app).await, before);
}

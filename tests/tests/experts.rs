//! Experts end to end (issue #12): the library with masked contacts and flagged certificates; a
//! verifiable draw that never picks a conflicted expert, with refusals replaced in drawn order;
//! visits whose findings become exactly one hazard each and are followed up until closed;
//! scheme reviews that need five unconflicted experts and the signed report; and an expert who
//! sees only their own assignments. Refusals write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_kernel::principal::RequestInfo;
use jianan_tests::fixtures::Fixture;
use jianan_tests::{DEMO_PASSWORD, TestApp, error_code, png, uuid_of};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const REGISTER: &str = "mutation($input: RegisterExpertInput!) { registerExpert(input: $input) {
    expert { id name phone status hasExpiringCertificate specialties certificates { number expiring } } } }";
const REQUEST: &str = "mutation($input: CreateExpertServiceRequestInput!) {
    createExpertServiceRequest(input: $input) { request { id status requester } } }";
const COMMIT: &str = "mutation($input: CommitExpertDrawInput!) { commitExpertDraw(input: $input) {
    draw { id status commitment seed document order verified } } }";
const EXECUTE: &str =
    "mutation($input: ExecuteExpertDrawInput!) { executeExpertDraw(input: $input) {
    draw { id status commitment seed document order verified } } }";
const APPOINT: &str = "mutation($input: AppointExpertInput!) { appointExpert(input: $input) {
    assignment { id status source expertId } } }";
const REFUSE: &str =
    "mutation($input: RefuseExpertAssignmentInput!) { refuseExpertAssignment(input: $input) {
    assignment { id status refusalReason } replacement { id expertId source } } }";
const VISIT: &str = "mutation($input: RecordExpertVisitInput!) { recordExpertVisit(input: $input) {
    visit { id followUpDone findings { id status hazardId } } } }";
const ASSIGNMENTS: &str =
    "query($r: ID!) { expertAssignments(first: 50) { totalCount edges { node { id expertId } } }
    node(id: $r) { ... on ExpertServiceRequest { assignments { id } } } }";
const CREATE_ACCOUNT: &str =
    "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }";
const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken } }";

/// Tables an experts mutation may write (a refusal must leave them all unchanged).
const TABLES: [&str; 11] = [
    "experts_expert",
    "experts_certificate",
    "experts_service_request",
    "experts_draw",
    "experts_assignment",
    "experts_visit",
    "experts_finding",
    "experts_dangerous_work",
    "experts_scheme_review",
    "audit_log",
    "outbox_event",
];

async fn snapshot(app: &TestApp) -> Vec<i64> {
    app.settle().await;
    let mut v = Vec::new();
    for t in TABLES {
        v.push(app.count(t).await);
    }
    v
}

fn today() -> chrono::NaiveDate {
    jianan_kernel::calendar::today()
}

async fn expert(app: &TestApp, fx: &Fixture, name: &str, extra: Value) -> Value {
    let mut input = json!({ "name": name, "specialties": ["FOUNDATION_PIT"], "title": "高级工程师",
        "phone": "13912345678" });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    app.data(fx.staff.auth(), REGISTER, json!({ "input": input }))
        .await["registerExpert"]["expert"]
        .clone()
}

async fn request(app: &TestApp, token: &str, project: &str, count: i32) -> String {
    app.data(
        Some(token),
        REQUEST,
        json!({ "input": { "projectId": project, "topic": "深基坑支护安全服务",
            "specialty": "FOUNDATION_PIT", "expertCount": count } }),
    )
    .await["createExpertServiceRequest"]["request"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn appoint(app: &TestApp, fx: &Fixture, kind: &str, subject: &str, expert: &str) -> Value {
    app.gql(
        fx.staff.auth(),
        APPOINT,
        json!({ "input": { "subjectType": kind, "subjectId": subject, "expertId": expert } }),
    )
    .await
}

/// A second login of role EXPERT.
async fn expert_account(app: &TestApp, fx: &Fixture, username: &str) -> (String, String) {
    let d = app
        .data(
            fx.admin.auth(),
            CREATE_ACCOUNT,
            json!({ "input": { "username": username, "displayName": "第二位专家", "kind": "PERSON",
                "password": DEMO_PASSWORD, "roles": ["EXPERT"] } }),
        )
        .await;
    let id = d["createAccount"]["account"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let t = app
        .data(None, LOGIN, json!({ "u": username, "p": DEMO_PASSWORD }))
        .await["login"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, t)
}

#[tokio::test(flavor = "multi_thread")]
async fn library_masks_contacts_flags_expiring_certificates_and_refuses_bad_input() {
    let (app, fx) = Fixture::spawn().await;
    let soon = (today() + chrono::Days::new(10)).to_string();
    let later = (today() + chrono::Days::new(400)).to_string();
    let e = expert(
        &app,
        &fx,
        "王建国",
        json!({ "employerUscc": fx.contractor.uscc, "certificates": [
            { "name": "注册安全工程师", "number": "AQ-1", "expiresOn": later },
            { "name": "一级建造师", "number": "JZ-1", "expiresOn": soon }] }),
    )
    .await;
    assert_eq!(e["phone"], "13912345678");
    assert_eq!(e["hasExpiringCertificate"], true);
    assert_eq!(e["certificates"][0]["number"], "JZ-1");
    assert_eq!(e["certificates"][0]["expiring"], true);
    assert_eq!(e["certificates"][1]["expiring"], false);
    // An inspector reads the library with the phone masked.
    let q = "query($id: ID!) { node(id: $id) { ... on Expert { phone employerName employerRegistered } } }";
    let seen = app
        .data(fx.inspector.auth(), q, json!({ "id": e["id"] }))
        .await;
    assert_eq!(seen["node"]["phone"], "139****5678");
    assert_eq!(seen["node"]["employerName"], fx.contractor.name.as_str());
    assert_eq!(seen["node"]["employerRegistered"], true);
    // Enterprises do not read the library at all.
    let body = app
        .gql(
            fx.manager.auth(),
            "{ experts(first: 5) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");

    let before = snapshot(&app).await;
    for (input, code, field) in [
        (
            json!({ "name": "李四", "specialties": [], "title": "工程师" }),
            "BAD_USER_INPUT",
            "specialties",
        ),
        (
            json!({ "name": "李四", "specialties": ["SCAFFOLDING"], "title": "工程师", "employerUscc": "123" }),
            "BAD_USER_INPUT",
            "employerUscc",
        ),
        (
            json!({ "name": "李四", "specialties": ["SCAFFOLDING"], "title": "工程师", "accountId": fx.manager.id }),
            "BAD_USER_INPUT",
            "accountId",
        ),
    ] {
        let body = app
            .gql(fx.staff.auth(), REGISTER, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&body), code, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let body = app
        .gql(
            fx.inspector.auth(),
            REGISTER,
            json!({ "input": { "name": "李四", "specialties": ["SCAFFOLDING"], "title": "工程师" } }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draw_avoids_conflicted_experts_is_verifiable_and_replaces_refusals_in_order() {
    let (app, fx) = Fixture::spawn().await;
    // Two employed by the project's construction unit, one by its supervisor, one suspended,
    // four free to serve, and one of another specialty.
    let mut conflicted = Vec::new();
    for (name, uscc) in [
        ("甲", &fx.contractor.uscc),
        ("乙", &fx.contractor.uscc),
        ("丙", &fx.supervisor.uscc),
    ] {
        conflicted
            .push(expert(&app, &fx, name, json!({ "employerUscc": uscc })).await["id"].clone());
    }
    let suspended = expert(&app, &fx, "丁", json!({})).await["id"].clone();
    app.data(
        fx.staff.auth(),
        "mutation($input: SetExpertStatusInput!) { setExpertStatus(input: $input) { expert { status } } }",
        json!({ "input": { "expertId": suspended, "status": "SUSPENDED", "reason": "年度考核不合格" } }),
    )
    .await;
    conflicted.push(suspended);
    let mut free = Vec::new();
    for name in ["戊", "己", "庚", "辛"] {
        free.push(
            expert(
                &app,
                &fx,
                name,
                json!({ "employerUscc": fx.other_contractor.uscc }),
            )
            .await["id"]
                .clone(),
        );
    }
    expert(&app, &fx, "壬", json!({ "specialties": ["SCAFFOLDING"] })).await;

    // The construction unit's manager asks for three experts on its project.
    let r = request(&app, &fx.manager.token, &fx.project.id, 3).await;
    let commit = |count: i32| {
        json!({ "input": { "subjectType": "SERVICE_REQUEST", "subjectId": r, "specialty": "FOUNDATION_PIT",
            "count": count } })
    };
    // Five would need a conflicted expert: refused, nothing written.
    let before = snapshot(&app).await;
    let body = app.gql(fx.staff.auth(), COMMIT, commit(5)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "count");
    // An enterprise cannot draw.
    assert_eq!(
        error_code(&app.gql(fx.manager.auth(), COMMIT, commit(3)).await),
        "FORBIDDEN"
    );
    assert_eq!(snapshot(&app).await, before);

    let d = app.data(fx.staff.auth(), COMMIT, commit(3)).await["commitExpertDraw"]["draw"].clone();
    assert_eq!(d["status"], "COMMITTED");
    assert!(d["seed"].is_null() && d["document"].is_null() && d["order"].is_null());
    let d = app
        .data(
            fx.staff.auth(),
            EXECUTE,
            json!({ "input": { "drawId": d["id"] } }),
        )
        .await["executeExpertDraw"]["draw"]
        .clone();
    assert_eq!(d["status"], "DRAWN");
    assert_eq!(d["verified"], true);
    // Anyone recomputes the commitment from the published seed and document.
    let seed = hex::decode(d["seed"].as_str().unwrap()).unwrap();
    let doc = d["document"].as_str().unwrap();
    let mut h = Sha256::new();
    h.update(&seed);
    h.update(Sha256::digest(doc.as_bytes()));
    assert_eq!(hex::encode(h.finalize()), d["commitment"].as_str().unwrap());
    for c in &conflicted {
        let uuid = uuid_of(c.as_str().unwrap()).to_string();
        assert!(!doc.contains(&format!("\"{uuid}\"]")) || doc.contains(&format!("[\"{uuid}\",")));
        assert!(
            !d["order"].as_array().unwrap().contains(c),
            "conflicted expert drawn: {c}"
        );
    }
    assert!(doc.contains("EMPLOYED_BY_PARTICIPANT") && doc.contains("SUSPENDED"));
    let order: Vec<Value> = d["order"].as_array().unwrap().clone();
    assert_eq!(order.len(), 4);
    assert!(order.iter().all(|o| free.contains(o)));
    let q = "query($r: ID!) { node(id: $r) { ... on ExpertServiceRequest { status assignments { id expertId status source } } } }";
    let seen = app.data(fx.staff.auth(), q, json!({ "r": r })).await;
    let serving = seen["node"]["assignments"].as_array().unwrap().clone();
    assert_eq!(seen["node"]["status"], "EXPERTS_ASSIGNED");
    assert_eq!(
        serving
            .iter()
            .map(|a| a["expertId"].clone())
            .collect::<Vec<_>>(),
        order[..3].to_vec()
    );
    // Appointing a conflicted expert is refused with the reason; nothing written.
    let before = snapshot(&app).await;
    let body = appoint(
        &app,
        &fx,
        "SERVICE_REQUEST",
        &r,
        conflicted[0].as_str().unwrap(),
    )
    .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("参建")
    );
    assert_eq!(snapshot(&app).await, before);

    // The first drawn expert refuses: the fourth of the order replaces them.
    let refused = app
        .data(
            fx.staff.auth(),
            REFUSE,
            json!({ "input": { "assignmentId": serving[0]["id"], "reason": "出差在外" } }),
        )
        .await["refuseExpertAssignment"]
        .clone();
    assert_eq!(refused["assignment"]["status"], "REFUSED");
    assert_eq!(refused["replacement"]["expertId"], order[3]);
    assert_eq!(refused["replacement"]["source"], "REPLACEMENT");
    // Refusing twice is a conflict; nothing written.
    let before = snapshot(&app).await;
    let body = app
        .gql(
            fx.staff.auth(),
            REFUSE,
            json!({ "input": { "assignmentId": serving[0]["id"], "reason": "再次" } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visit_finding_becomes_exactly_one_hazard_and_is_followed_up_until_closed() {
    let (app, fx) = Fixture::spawn().await;
    let e = expert(&app, &fx, "周振宇", json!({ "accountId": fx.expert.id })).await;
    let (_, other_token) = expert_account(&app, &fx, "fx-expert-2").await;
    let r = request(&app, &fx.staff.token, &fx.project.id, 1).await;
    let visit = json!({ "input": { "requestId": r, "visitedOn": today().to_string(),
        "summary": "检查基坑支护和临边防护",
        "findings": [
            { "category": "FOUNDATION_PIT", "description": "基坑北侧临边防护缺失", "location": "基坑北侧" },
            { "category": "TEMPORARY_ELECTRICITY", "description": "配电箱未做重复接地", "location": "2号配电箱" }] } });
    // Before an expert is assigned the visit cannot be recorded (and the expert cannot even see
    // the request); nothing written.
    let before = snapshot(&app).await;
    assert_eq!(
        error_code(&app.gql(fx.staff.auth(), VISIT, visit.clone()).await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&app.gql(fx.expert.auth(), VISIT, visit.clone()).await),
        "NOT_FOUND"
    );
    assert_eq!(snapshot(&app).await, before);
    let a = appoint(&app, &fx, "SERVICE_REQUEST", &r, e["id"].as_str().unwrap()).await;
    assert_eq!(
        a["data"]["appointExpert"]["assignment"]["source"], "APPOINTED",
        "{a}"
    );
    // Another expert, not assigned, cannot record it; nothing written.
    let before = snapshot(&app).await;
    assert_eq!(
        error_code(&app.gql(Some(&other_token), VISIT, visit.clone()).await),
        "NOT_FOUND"
    );
    let mut bad = visit.clone();
    bad["input"]["findings"][0]["category"] = json!("NOT_A_CATEGORY");
    let body = app.gql(fx.expert.auth(), VISIT, bad).await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "findings");
    assert_eq!(snapshot(&app).await, before);

    let mut visit = visit;
    visit["input"]["idempotencyKey"] = json!("visit-1");
    let v = app.data(fx.expert.auth(), VISIT, visit.clone()).await["recordExpertVisit"]["visit"]
        .clone();
    assert_eq!(v["followUpDone"], false);
    // A retry from the phone returns the first visit and writes nothing more.
    let before = snapshot(&app).await;
    let again =
        app.data(fx.expert.auth(), VISIT, visit).await["recordExpertVisit"]["visit"].clone();
    assert_eq!(again["id"], v["id"]);
    assert_eq!(snapshot(&app).await, before);
    let hazards = "SELECT COUNT(*) AS n FROM hazard_origin WHERE origin_type = 'ExpertFinding'";
    assert_eq!(app.scalar(hazards).await, 2);
    // The finding's event delivered again (republished): still one hazard per finding.
    let db = app.db().await;
    let first = uuid_of(v["findings"][0]["id"].as_str().unwrap());
    let event = jianan_contracts::experts::VisitFinding {
        finding_id: first,
        visit_id: uuid_of(v["id"].as_str().unwrap()),
        project_id: fx.project.uuid,
        category: "FOUNDATION_PIT".into(),
        description: "基坑北侧临边防护缺失".into(),
        location: "基坑北侧".into(),
    };
    let system = RequestInfo::system("test");
    jianan_kernel::outbox::publish_event(&db, &system, &event)
        .await
        .unwrap();
    jianan_kernel::outbox::publish_event(&db, &system, &event)
        .await
        .unwrap();
    app.settle().await;
    assert_eq!(app.scalar(hazards).await, 2);
    assert_eq!(app.count("hazard").await, 2);
    // The request's enterprise sees the visit and the hazards it led to.
    let q = "query($id: ID!) { node(id: $id) { ... on ExpertVisit { followUpDone findings { status hazardId } } } }";
    let seen = app
        .data(fx.manager.auth(), q, json!({ "id": v["id"] }))
        .await;
    let hazard_ids: Vec<String> = seen["node"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["hazardId"].as_str().expect("hazard linked").to_owned())
        .collect();
    assert_eq!(hazard_ids.len(), 2);

    // Inspections closes the hazards: the findings close, then the follow-up is done.
    let close = |h: &str| jianan_contracts::inspections::HazardClosed {
        hazard_id: uuid_of(h),
        project_id: fx.project.uuid,
        level: jianan_contracts::inspections::HazardLevel::General,
        from: jianan_contracts::inspections::HazardStatus::Submitted,
        to: jianan_contracts::inspections::HazardStatus::Closed,
    };
    jianan_kernel::outbox::publish_event(&db, &system, &close(&hazard_ids[0]))
        .await
        .unwrap();
    app.settle().await;
    let seen = app
        .data(fx.manager.auth(), q, json!({ "id": v["id"] }))
        .await;
    assert_eq!(seen["node"]["followUpDone"], false);
    assert_eq!(seen["node"]["findings"][0]["status"], "CLOSED");
    jianan_kernel::outbox::publish_event(&db, &system, &close(&hazard_ids[1]))
        .await
        .unwrap();
    jianan_kernel::outbox::publish_event(&db, &system, &close(&hazard_ids[1]))
        .await
        .unwrap();
    app.settle().await;
    let seen = app
        .data(fx.manager.auth(), q, json!({ "id": v["id"] }))
        .await;
    assert_eq!(seen["node"]["followUpDone"], true);
    let st = app
        .data(
            fx.staff.auth(),
            "query($id: ID!) { node(id: $id) { ... on ExpertServiceRequest { status } } }",
            json!({ "id": r }),
        )
        .await;
    assert_eq!(st["node"]["status"], "CLOSED");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'experts.visit.follow_up_done'"
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expert_sees_only_their_own_assignments() {
    let (app, fx) = Fixture::spawn().await;
    let (other_id, other_token) = expert_account(&app, &fx, "fx-expert-2").await;
    let mine = expert(&app, &fx, "周振宇", json!({ "accountId": fx.expert.id })).await;
    let theirs = expert(&app, &fx, "吴慧敏", json!({ "accountId": other_id })).await;
    let r = request(&app, &fx.staff.token, &fx.project.id, 2).await;
    let a1 = appoint(
        &app,
        &fx,
        "SERVICE_REQUEST",
        &r,
        mine["id"].as_str().unwrap(),
    )
    .await;
    let a2 = appoint(
        &app,
        &fx,
        "SERVICE_REQUEST",
        &r,
        theirs["id"].as_str().unwrap(),
    )
    .await;
    let a1 = a1["data"]["appointExpert"]["assignment"]["id"].clone();
    let a2 = a2["data"]["appointExpert"]["assignment"]["id"].clone();
    // Staff see both; each expert sees only their own, in lists and under the request.
    let all = app
        .data(fx.staff.auth(), ASSIGNMENTS, json!({ "r": r }))
        .await;
    assert_eq!(all["expertAssignments"]["totalCount"], 2);
    assert_eq!(all["node"]["assignments"].as_array().unwrap().len(), 2);
    let seen = app
        .data(fx.expert.auth(), ASSIGNMENTS, json!({ "r": r }))
        .await;
    assert_eq!(seen["expertAssignments"]["totalCount"], 1);
    assert_eq!(seen["expertAssignments"]["edges"][0]["node"]["id"], a1);
    assert_eq!(seen["node"]["assignments"], json!([{ "id": a1 }]));
    let node = "query($id: ID!) { node(id: $id) { id } }";
    assert!(app.data(fx.expert.auth(), node, json!({ "id": a2 })).await["node"].is_null());
    assert!(
        app.data(Some(&other_token), node, json!({ "id": a1 }))
            .await["node"]
            .is_null()
    );
    assert_eq!(
        app.data(Some(&other_token), node, json!({ "id": a2 }))
            .await["node"]["id"],
        a2
    );
    // Nor another expert's record, nor can they refuse another's assignment (nothing written).
    assert!(
        app.data(fx.expert.auth(), node, json!({ "id": theirs["id"] }))
            .await["node"]
            .is_null()
    );
    let before = snapshot(&app).await;
    let body = app
        .gql(
            fx.expert.auth(),
            REFUSE,
            json!({ "input": { "assignmentId": a2, "reason": "不想去" } }),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(snapshot(&app).await, before);
    // The expert refuses their own (appointed: nobody replaces them).
    let own = app
        .data(
            fx.expert.auth(),
            REFUSE,
            json!({ "input": { "assignmentId": a1, "reason": "与本项目有利害关系" } }),
        )
        .await;
    assert!(own["refuseExpertAssignment"]["replacement"].is_null());
    // Enterprises see the requests of their projects, not others'.
    let list = "{ expertServiceRequests(first: 10) { totalCount } }";
    assert_eq!(
        app.data(fx.manager.auth(), list, json!({})).await["expertServiceRequests"]["totalCount"],
        1
    );
    assert_eq!(
        app.data(fx.other_manager.auth(), list, json!({})).await["expertServiceRequests"]["totalCount"],
        0
    );
    let body = app
        .gql(
            fx.other_manager.auth(),
            REQUEST,
            json!({ "input": { "projectId": fx.project.id, "topic": "x", "specialty": "FOUNDATION_PIT", "expertCount": 1 } }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "projectId");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scheme_review_needs_five_unconflicted_experts_and_the_signed_report() {
    let (app, fx) = Fixture::spawn().await;
    let work =
        "mutation($input: RegisterDangerousWorkInput!) { registerDangerousWork(input: $input) {
        dangerousWork { id beyondScale basis } } }";
    let plan = "mutation($input: PlanSchemeReviewInput!) { planSchemeReview(input: $input) { review { id status } } }";
    let conclude =
        "mutation($input: ConcludeSchemeReviewInput!) { concludeSchemeReview(input: $input) {
        review { id status conclusion reportAttachmentId } } }";
    let shallow = app
        .data(
            fx.safety.auth(),
            work,
            json!({ "input": { "projectId": fx.project.id, "kind": "DEEP_EXCAVATION", "description": "地下室基坑",
                "measures": [{ "measure": "DEPTH_M", "value": 4.5 }] } }),
        )
        .await["registerDangerousWork"]["dangerousWork"]
        .clone();
    assert_eq!(shallow["beyondScale"], false);
    let deep = app
        .data(
            fx.safety.auth(),
            work,
            json!({ "input": { "projectId": fx.project.id, "kind": "DEEP_EXCAVATION", "description": "主楼基坑",
                "measures": [{ "measure": "DEPTH_M", "value": 6.0 }] } }),
        )
        .await["registerDangerousWork"]["dangerousWork"]
        .clone();
    assert_eq!(deep["beyondScale"], true);
    assert!(deep["basis"].as_str().unwrap().contains("5m"));
    let before = snapshot(&app).await;
    let body = app
        .gql(
            fx.staff.auth(),
            plan,
            json!({ "input": { "dangerousWorkId": shallow["id"], "schemeTitle": "基坑支护方案" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "dangerousWorkId",
        "{body}"
    );
    assert_eq!(snapshot(&app).await, before);
    let review = app
        .data(fx.staff.auth(), plan, json!({ "input": { "dangerousWorkId": deep["id"], "schemeTitle": "主楼深基坑支护专项施工方案" } }))
        .await["planSchemeReview"]["review"]["id"]
        .clone();
    let review = review.as_str().unwrap();

    let conflicted = expert(
        &app,
        &fx,
        "甲",
        json!({ "employerUscc": fx.contractor.uscc }),
    )
    .await;
    let body = appoint(
        &app,
        &fx,
        "SCHEME_REVIEW",
        review,
        conflicted["id"].as_str().unwrap(),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "expertId",
        "{body}"
    );
    let mut panel = Vec::new();
    for name in ["乙", "丙", "丁", "戊", "己"] {
        panel.push(expert(&app, &fx, name, json!({})).await["id"].clone());
    }
    for e in &panel[..4] {
        let a = appoint(&app, &fx, "SCHEME_REVIEW", review, e.as_str().unwrap()).await;
        assert!(a["errors"].is_null(), "{a}");
    }
    let (status, up) = app.upload(&fx.staff.token, review, png(32)).await;
    assert_eq!(status, 200, "{up}");
    let report = up["data"]["uploadAttachment"]["attachment"]["id"].clone();
    let input = |report: &Value| {
        json!({ "input": { "reviewId": review, "conclusion": "PASS_AFTER_REVISION",
            "opinion": "补充支护结构变形监测方案", "reportAttachmentId": report } })
    };
    // Four experts: refused; nothing written.
    let before = snapshot(&app).await;
    let body = app.gql(fx.staff.auth(), conclude, input(&report)).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(snapshot(&app).await, before);
    let a = appoint(
        &app,
        &fx,
        "SCHEME_REVIEW",
        review,
        panel[4].as_str().unwrap(),
    )
    .await;
    assert!(a["errors"].is_null(), "{a}");
    // One of the five suspended since: a conflicted panel, refused.
    let status_of =
        |s: &str| json!({ "input": { "expertId": panel[0], "status": s, "reason": "暂停核查" } });
    let set = "mutation($input: SetExpertStatusInput!) { setExpertStatus(input: $input) { expert { status } } }";
    app.data(fx.staff.auth(), set, status_of("SUSPENDED")).await;
    let before = snapshot(&app).await;
    let body = app.gql(fx.staff.auth(), conclude, input(&report)).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("回避")
    );
    // The report must be this review's attachment.
    app.data(fx.staff.auth(), set, status_of("ACTIVE")).await;
    let before_bad = snapshot(&app).await;
    let fake = jianan_kernel::relay::encode_id("Attachment", uuid::Uuid::now_v7());
    let body = app
        .gql(fx.staff.auth(), conclude, input(&json!(fake)))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "reportAttachmentId",
        "{body}"
    );
    assert_eq!(snapshot(&app).await, before_bad);
    assert_ne!(before, before_bad);
    // Five unconflicted experts and the signed report: concluded.
    let done =
        app.data(fx.staff.auth(), conclude, input(&report)).await["concludeSchemeReview"]["review"]
            .clone();
    assert_eq!(done["status"], "CONCLUDED");
    assert_eq!(done["conclusion"], "PASS_AFTER_REVISION");
    assert_eq!(done["reportAttachmentId"], report);
    // Concluding twice is a conflict.
    assert_eq!(
        error_code(&app.gql(fx.staff.auth(), conclude, input(&report)).await),
        "CONFLICT"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn key_periods_schedule_move_and_cancel_expert_checks() {
    let (app, fx) = Fixture::spawn().await;
    let db = app.db().await;
    let system = RequestInfo::system("test");
    let start = today() + chrono::Days::new(30);
    let declared = |days: u64, cancelled: bool| jianan_contracts::duty::KeyPeriodDeclared {
        key_period_id: uuid::Uuid::from_u128(7),
        name: "2027年春节".into(),
        kind: jianan_contracts::duty::KeyPeriodKind::MajorHoliday,
        level: 2,
        starts_on: start,
        ends_on: start + chrono::Days::new(days),
        cancelled,
    };
    let q = "{ expertChecks(first: 10) { totalCount edges { node { title startsOn endsOn status keyPeriodId } } } }";
    jianan_kernel::outbox::publish_event(&db, &system, &declared(8, false))
        .await
        .unwrap();
    app.settle().await;
    let seen = app.data(fx.staff.auth(), q, json!({})).await["expertChecks"].clone();
    assert_eq!(seen["totalCount"], 1);
    assert_eq!(seen["edges"][0]["node"]["status"], "SCHEDULED");
    assert_eq!(seen["edges"][0]["node"]["title"], "2027年春节专家检查");
    assert_eq!(
        seen["edges"][0]["node"]["endsOn"],
        (start + chrono::Days::new(8)).to_string()
    );
    // The same declaration again changes nothing; new dates move the check; a cancellation
    // cancels it. Still one check for the key period.
    jianan_kernel::outbox::publish_event(&db, &system, &declared(8, false))
        .await
        .unwrap();
    jianan_kernel::outbox::publish_event(&db, &system, &declared(10, false))
        .await
        .unwrap();
    app.settle().await;
    let seen = app.data(fx.staff.auth(), q, json!({})).await["expertChecks"].clone();
    assert_eq!(seen["totalCount"], 1);
    assert_eq!(
        seen["edges"][0]["node"]["endsOn"],
        (start + chrono::Days::new(10)).to_string()
    );
    jianan_kernel::outbox::publish_event(&db, &system, &declared(10, true))
        .await
        .unwrap();
    app.settle().await;
    let seen = app.data(fx.staff.auth(), q, json!({})).await["expertChecks"].clone();
    assert_eq!(seen["totalCount"], 1);
    assert_eq!(seen["edges"][0]["node"]["status"], "CANCELLED");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'experts.check.%'")
            .await,
        3
    );

    // The commission schedules a check from a date range; a bad range writes nothing.
    let schedule = "mutation($input: ScheduleExpertCheckInput!) { scheduleExpertCheck(input: $input) { check { id status } } }";
    let before = snapshot(&app).await;
    let body = app
        .gql(
            fx.staff.auth(),
            schedule,
            json!({ "input": { "title": "汛期专家检查", "startsOn": start.to_string(),
                "endsOn": (start - chrono::Days::new(1)).to_string() } }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "endsOn", "{body}");
    let input = json!({ "input": { "title": "汛期专家检查", "startsOn": start.to_string(),
        "endsOn": (start + chrono::Days::new(14)).to_string() } });
    assert_eq!(
        error_code(&app.gql(fx.manager.auth(), schedule, input.clone()).await),
        "FORBIDDEN"
    );
    assert_eq!(snapshot(&app).await, before);
    let c = app.data(fx.staff.auth(), schedule, input).await;
    assert_eq!(c["scheduleExpertCheck"]["check"]["status"], "SCHEDULED");
    assert_eq!(app.count("experts_check").await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn chief_engineers_are_kept_by_their_enterprise_and_statistics_count_visits() {
    let (app, fx) = Fixture::spawn().await;
    let set = "mutation($input: SetChiefEngineerInput!) { setChiefEngineer(input: $input) {
        chiefEngineer { id name phone version team { name specialty } } } }";
    let input = |enterprise: &str| {
        json!({ "input": { "enterpriseId": enterprise, "name": "赵国栋", "title": "正高级工程师",
            "phone": "13800001111", "team": [{ "name": "钱立新", "title": "高级工程师", "specialty": "FORMWORK_SHORING" }] } })
    };
    let c = app
        .data(fx.manager.auth(), set, input(&fx.contractor.id))
        .await["setChiefEngineer"]["chiefEngineer"]
        .clone();
    assert_eq!(c["phone"], "13800001111");
    assert_eq!(c["team"][0]["specialty"], "FORMWORK_SHORING");
    // Another enterprise's manager can neither set nor see it; nothing written.
    let before = snapshot(&app).await;
    let body = app
        .gql(fx.other_manager.auth(), set, input(&fx.contractor.id))
        .await;
    assert!(
        matches!(error_code(&body), "BAD_USER_INPUT" | "FORBIDDEN"),
        "{body}"
    );
    assert_eq!(snapshot(&app).await, before);
    let list = "{ chiefEngineers(first: 5) { totalCount edges { node { phone } } } }";
    assert_eq!(
        app.data(fx.other_manager.auth(), list, json!({})).await["chiefEngineers"]["totalCount"],
        0
    );
    let seen = app.data(fx.inspector.auth(), list, json!({})).await["chiefEngineers"].clone();
    assert_eq!(seen["totalCount"], 1);
    assert_eq!(seen["edges"][0]["node"]["phone"], "138****1111");
    // A second entry replaces the first (the version claimed).
    let mut again = input(&fx.contractor.id);
    again["input"]["expectedVersion"] = json!(1);
    let c2 =
        app.data(fx.staff.auth(), set, again).await["setChiefEngineer"]["chiefEngineer"].clone();
    assert_eq!(c2["id"], c["id"]);
    assert_eq!(c2["version"], 2);

    // Statistics: one visit with two findings by a FOUNDATION_PIT request.
    let e = expert(&app, &fx, "周振宇", json!({ "accountId": fx.expert.id })).await;
    expert(&app, &fx, "吴慧敏", json!({})).await;
    let r = request(&app, &fx.staff.token, &fx.project.id, 1).await;
    appoint(&app, &fx, "SERVICE_REQUEST", &r, e["id"].as_str().unwrap()).await;
    app.data(
        fx.expert.auth(),
        VISIT,
        json!({ "input": { "requestId": r, "visitedOn": today().to_string(), "summary": "检查",
            "findings": [
                { "category": "FOUNDATION_PIT", "description": "基坑临边防护缺失", "location": "北侧" },
                { "category": "SCAFFOLDING", "description": "连墙件缺失", "location": "3号楼" }] } }),
    )
    .await;
    let q = "query($f: Date!, $t: Date!) { expertStatistics(from: $f, to: $t) { visits findings findingsPerVisit
        workloadSpread visitsByMonth { month specialty visits } workload { name assignments } } }";
    let s = app
        .data(
            fx.leader.auth(),
            q,
            json!({ "f": (today() - chrono::Days::new(30)).to_string(), "t": today().to_string() }),
        )
        .await["expertStatistics"]
        .clone();
    assert_eq!(s["visits"], 1);
    assert_eq!(s["findings"], 2);
    assert_eq!(s["findingsPerVisit"], 2.0);
    assert_eq!(s["workloadSpread"], 1);
    assert_eq!(s["visitsByMonth"][0]["specialty"], "FOUNDATION_PIT");
    assert_eq!(s["workload"][1]["name"], "周振宇");
    assert_eq!(
        error_code(
            &app.gql(
                fx.manager.auth(),
                q,
                json!({ "f": today().to_string(), "t": today().to_string() })
            )
            .await
        ),
        "FORBIDDEN"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_take_the_same_statements_whatever_their_size() {
    // The statement counter is server-wide: keep the background pollers quiet.
    let (app, fx) = Fixture::spawn_with(jianan_tests::Options {
        outbox_poll_ms: Some(3_600_000),
        ..jianan_tests::Options::default()
    })
    .await;
    let later = (today() + chrono::Days::new(400)).to_string();
    for i in 0..8 {
        let e = expert(
            &app,
            &fx,
            &format!("专家{i}"),
            json!({ "certificates": [{ "name": "注册安全工程师", "number": format!("AQ-{i}"), "expiresOn": later }] }),
        )
        .await;
        let r = request(&app, &fx.staff.token, &fx.project.id, 1).await;
        appoint(&app, &fx, "SERVICE_REQUEST", &r, e["id"].as_str().unwrap()).await;
    }
    app.settle().await;
    let experts =
        "query($n: Int!) { experts(first: $n) { edges { node { id certificates { number expiring }
        hasExpiringCertificate rating { average assignmentCount } } } } }";
    let requests =
        "query($n: Int!) { expertServiceRequests(first: $n) { edges { node { id project { id name }
        assignments { id expert { name } project { id } } } } } }";
    for q in [experts, requests] {
        let mut counts = Vec::new();
        for n in [2, 8] {
            let before = app.metric("jianan_sql_statements_total").await;
            let d = app.data(fx.staff.auth(), q, json!({ "n": n })).await;
            let edges = d.as_object().unwrap().values().next().unwrap()["edges"].clone();
            assert_eq!(edges.as_array().unwrap().len(), n as usize);
            counts.push(app.metric("jianan_sql_statements_total").await - before);
        }
        assert_eq!(counts[0], counts[1], "{q}: {counts:?}");
    }
}

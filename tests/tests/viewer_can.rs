//! `viewerCan` (issue #7 item 8): each flag on a hazard, an inspection or an enforcement action is
//! the rule its mutation applies. For every role of the fixture and every state a record can be
//! in, the flag read over HTTP equals whether the mutation, tried right after with a valid input,
//! succeeds. A record the caller cannot see has no flags at all (covert inspections included).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use jianan_tests::fixtures::{Account, Fixture};
use jianan_tests::{Options, TestApp, png};
use serde_json::{Value, json};

const HAZARD_FLAGS: &str = "query($id: ID!) { node(id: $id) { ... on Hazard { viewerCan {
  assign recordImplementation start submit verify reject void reclassify attach } } } }";

/// The hazard actions (flag name) tried, `attach` apart (see its own test).
const HAZARD_ACTIONS: [&str; 8] = [
    "assign",
    "recordImplementation",
    "start",
    "submit",
    "verify",
    "reject",
    "void",
    "reclassify",
];

/// The states a hazard is built in for the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Reported,
    ReportedMajor,
    Assigned,
    AssignedMajor,
    AssignedMajorWithImplementations,
    AssignedToSupervisor,
    Rectifying,
    Submitted,
    SubmittedMajor,
    Closed,
    Voided,
    /// From a covert inspection not yet published.
    Covert,
}

const STATES: [State; 12] = [
    State::Reported,
    State::ReportedMajor,
    State::Assigned,
    State::AssignedMajor,
    State::AssignedMajorWithImplementations,
    State::AssignedToSupervisor,
    State::Rectifying,
    State::Submitted,
    State::SubmittedMajor,
    State::Closed,
    State::Voided,
    State::Covert,
];

impl State {
    fn major(self) -> bool {
        matches!(
            self,
            State::ReportedMajor
                | State::AssignedMajor
                | State::AssignedMajorWithImplementations
                | State::SubmittedMajor
        )
    }
}

/// The roles of the matrix: the commission's, the township's, the contractor's two kinds of
/// people, the supervision firm, another site's contractor and an expert.
fn roles(fx: &Fixture) -> Vec<&Account> {
    vec![
        &fx.admin,
        &fx.leader,
        &fx.staff,
        &fx.inspector,
        &fx.township_staff,
        &fx.safety,
        &fx.manager,
        &fx.supervision,
        &fx.other_manager,
        &fx.expert,
    ]
}

async fn ok(app: &TestApp, token: &str, q: &str, vars: Value) -> Value {
    let body = app.gql(Some(token), q, vars).await;
    assert!(body["errors"].is_null(), "{q}: {body}");
    body["data"].clone()
}

/// Builds a hazard in `state` on the fixture's project, through the API, as the people who would.
async fn build(app: &TestApp, fx: &Fixture, state: State) -> String {
    let inspector = fx.inspector.token.as_str();
    let safety = fx.safety.token.as_str();
    if state == State::Covert {
        let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { hazards { id } } } }";
        let input = json!({ "input": { "projectId": fx.project.id, "kind": "COVERT",
            "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "夜间暗访", "result": "RECTIFY",
            "hazards": [{ "level": "GENERAL", "category": "TEMPORARY_ELECTRICITY", "description": "配电箱无门无锁", "location": "生活区" }] } });
        let d = ok(app, inspector, q, input).await;
        return d["recordInspection"]["inspection"]["hazards"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let level = if state.major() { "MAJOR" } else { "GENERAL" };
    let d = ok(
        app,
        inspector,
        "mutation($p: ID!, $l: HazardLevel!, $c: String) { reportHazard(input: {projectId: $p, level: $l, category: \"SCAFFOLDING\",
          criterion: $c, description: \"脚手架连墙件整层缺失\", location: \"3号楼北侧\"}) { hazard { id } } }",
        json!({ "p": fx.project.id, "l": level, "c": (level == "MAJOR").then_some("SCAFFOLDING-2") }),
    )
    .await;
    let id = d["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let step = |verb: &str, token: &str, comment: &str| {
        let q = format!(
            "mutation($id: ID!, $c: String!, $p: [ID!]!) {{ {verb}(input: {{id: $id, comment: $c, photoIds: $p}}) {{ hazard {{ id }} }} }}"
        );
        let submit = verb == "submitRectification";
        let token = token.to_owned();
        let comment = comment.to_owned();
        let id = id.clone();
        async move {
            // A submission carries a photo of the rectified site.
            let photos: Vec<String> = if submit {
                vec![jianan_tests::add_photo(app, &token, &id).await]
            } else {
                Vec::new()
            };
            ok(
                app,
                &token,
                &q,
                json!({ "id": id, "c": comment, "p": photos }),
            )
            .await
        }
    };
    match state {
        State::Reported | State::ReportedMajor => return id,
        State::Voided => {
            ok(
                app,
                inspector,
                "mutation($id: ID!) { voidHazard(input: {id: $id, reason: \"重复上报\"}) { hazard { id } } }",
                json!({ "id": id }),
            )
            .await;
            return id;
        }
        _ => {}
    }
    let enterprise = if state == State::AssignedToSupervisor {
        &fx.supervisor.id
    } else {
        &fx.contractor.id
    };
    ok(
        app,
        inspector,
        "mutation($id: ID!, $e: ID!) { assignHazard(input: {id: $id, responsibleEnterpriseId: $e, responsiblePerson: \"王工\",
          deadlineWorkingDays: 5}) { hazard { id } } }",
        json!({ "id": id, "e": enterprise }),
    )
    .await;
    if matches!(
        state,
        State::Assigned | State::AssignedMajor | State::AssignedToSupervisor
    ) {
        return id;
    }
    if state.major() {
        for kind in [
            "RESPONSIBILITY",
            "MEASURES",
            "FUNDS",
            "DEADLINE",
            "CONTINGENCY_PLAN",
        ] {
            ok(
                app,
                safety,
                "mutation($id: ID!, $k: Implementation!) { recordHazardImplementation(input: {id: $id, kind: $k, content: \"已落实\"}) { hazard { id } } }",
                json!({ "id": id, "k": kind }),
            )
            .await;
        }
    }
    if state == State::AssignedMajorWithImplementations {
        return id;
    }
    step("startRectification", safety, "").await;
    if state == State::Rectifying {
        return id;
    }
    step("submitRectification", safety, "已按要求整改").await;
    if matches!(state, State::Submitted | State::SubmittedMajor) {
        return id;
    }
    step("verifyRectification", inspector, "复查合格").await;
    assert_eq!(state, State::Closed);
    id
}

/// Tries the mutation of `action` on hazard `id` (of the level `major` says) with a valid input.
async fn attempt(
    app: &TestApp,
    fx: &Fixture,
    who: &Account,
    action: &str,
    id: &str,
    major: bool,
) -> Value {
    // A valid input: a submission carries a photo of the hazard, uploaded by the caller if the
    // caller may (if not, the submission is refused anyway).
    let photos: Vec<String> = if action == "submit" {
        let (_, body) = app.upload(&who.token, id, jianan_tests::png(64)).await;
        body["data"]["uploadAttachment"]["attachment"]["id"]
            .as_str()
            .map(str::to_owned)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    let step = |verb: &str, comment: &str| {
        (
            format!(
                "mutation($id: ID!, $p: [ID!]!) {{ {verb}(input: {{id: $id, comment: \"{comment}\", photoIds: $p}}) {{ hazard {{ id }} }} }}"
            ),
            json!({ "id": id, "p": photos }),
        )
    };
    let (q, vars) = match action {
        "assign" => (
            "mutation($id: ID!, $e: ID!) { assignHazard(input: {id: $id, responsibleEnterpriseId: $e, responsiblePerson: \"王工\",
              deadlineWorkingDays: 5}) { hazard { id } } }"
                .to_owned(),
            json!({ "id": id, "e": fx.contractor.id }),
        ),
        "recordImplementation" => (
            "mutation($id: ID!) { recordHazardImplementation(input: {id: $id, kind: RESPONSIBILITY, content: \"已落实\"}) { hazard { id } } }"
                .to_owned(),
            json!({ "id": id }),
        ),
        "start" => step("startRectification", ""),
        "submit" => step("submitRectification", "已整改"),
        "verify" => step("verifyRectification", "复查合格"),
        "reject" => step("rejectRectification", "整改不到位"),
        "void" => (
            "mutation($id: ID!) { voidHazard(input: {id: $id, reason: \"误报\"}) { hazard { id } } }"
                .to_owned(),
            json!({ "id": id }),
        ),
        "reclassify" => (
            "mutation($id: ID!, $l: HazardLevel!, $c: String) { reclassifyHazard(input: {id: $id, level: $l, criterion: $c, reason: \"经复核调整\"}) { hazard { id } } }"
                .to_owned(),
            json!({ "id": id, "l": if major { "GENERAL" } else { "MAJOR" }, "c": (!major).then_some("SCAFFOLDING-2") }),
        ),
        other => panic!("no mutation for {other}"),
    };
    app.gql(who.auth(), &q, vars).await
}

/// The flags `who` reads on record `id` with `query`, or `None` when the record is not visible.
async fn flags(app: &TestApp, who: &Account, query: &str, id: &str) -> Option<Value> {
    let d = app.data(who.auth(), query, json!({ "id": id })).await;
    let node = &d["node"];
    (!node.is_null()).then(|| node["viewerCan"].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hazard_flag_says_whether_its_mutation_succeeds() {
    let (app, fx) = Fixture::spawn().await;
    let mut checked = 0;
    let mut allowed: HashMap<&str, usize> = HashMap::new();
    for state in STATES {
        let mut id = build(&app, &fx, state).await;
        let mut read: HashMap<(String, String), Option<Value>> = HashMap::new();
        for who in roles(&fx) {
            for action in HAZARD_ACTIONS {
                let key = (id.clone(), who.username.clone());
                if !read.contains_key(&key) {
                    let f = flags(&app, who, HAZARD_FLAGS, &id).await;
                    read.insert(key.clone(), f);
                }
                let flag = read[&key]
                    .as_ref()
                    .map(|f| f[action].as_bool().expect("a boolean flag"));
                let body = attempt(&app, &fx, who, action, &id, state.major()).await;
                let succeeded = body["errors"].is_null();
                assert_eq!(
                    succeeded,
                    flag.unwrap_or(false),
                    "{state:?}, {} {action}: flag {flag:?}, mutation {body}",
                    who.username
                );
                checked += 1;
                if succeeded {
                    *allowed.entry(action).or_default() += 1;
                    // The action changed the hazard: the next caller gets a fresh one.
                    id = build(&app, &fx, state).await;
                }
            }
        }
    }
    assert_eq!(checked, STATES.len() * 10 * HAZARD_ACTIONS.len());
    // The matrix reaches every action somewhere, so no flag is trivially false.
    for action in HAZARD_ACTIONS {
        assert!(
            allowed.get(action).copied().unwrap_or(0) > 0,
            "{action} never allowed"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_covert_hazard_has_no_flags_for_the_inspected_enterprise_and_cannot_be_assigned() {
    let (app, fx) = Fixture::spawn().await;
    let id = build(&app, &fx, State::Covert).await;
    for who in [&fx.safety, &fx.manager, &fx.supervision] {
        assert!(
            flags(&app, who, HAZARD_FLAGS, &id).await.is_none(),
            "{} must not see the hazard",
            who.username
        );
    }
    let f = flags(&app, &fx.inspector, HAZARD_FLAGS, &id).await.unwrap();
    assert_eq!(f["assign"], false, "not before the inspection is published");
    assert_eq!(f["void"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_attach_flag_says_whether_an_upload_is_accepted() {
    let (app, fx) = Fixture::spawn().await;
    let hazard = build(&app, &fx, State::Assigned).await;
    let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id } } }";
    let input = json!({ "input": { "projectId": fx.project.id, "kind": "DEPARTMENT_SUPERVISION",
        "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "现场检查", "result": "RECTIFY" } });
    let d = ok(&app, &fx.staff.token, q, input).await;
    let inspection = d["recordInspection"]["inspection"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let action = issue_penalty(&app, &fx).await;
    let records = [
        (hazard.as_str(), HAZARD_FLAGS),
        (inspection.as_str(), INSPECTION_FLAGS),
        (action.as_str(), ENFORCEMENT_FLAGS),
    ];
    let mut accepted = 0;
    for (id, query) in records {
        for who in roles(&fx) {
            let flag = flags(&app, who, query, id)
                .await
                .is_some_and(|f| f["attach"] == true);
            let (_, body) = app.upload(&who.token, id, png(16)).await;
            let uploaded = body["errors"].is_null() && !body["data"].is_null();
            assert_eq!(uploaded, flag, "{} attach to {id}: {body}", who.username);
            accepted += usize::from(uploaded);
        }
    }
    assert!(accepted > 0);
}

const INSPECTION_FLAGS: &str = "query($id: ID!) { node(id: $id) { ... on Inspection { viewerCan {
  confirmParticipation publish attach } } } }";
const CONFIRM: &str =
    "mutation($id: ID!) { confirmInspectionParticipation(input: {id: $id}) { inspection { id } } }";
const PUBLISH: &str =
    "mutation($id: ID!) { publishCovertInspection(input: {id: $id}) { inspection { id } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspection_flags_say_whether_confirming_and_publishing_succeed() {
    let (app, fx) = Fixture::spawn().await;
    let record = |kind: &'static str, listed: Vec<String>, who: &Account| {
        let token = who.token.clone();
        let project = fx.project.id.clone();
        let app = &app;
        async move {
            let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id } } }";
            let input = json!({ "input": { "projectId": project, "kind": kind,
                "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "现场检查", "result": "RECTIFY",
                "inspectorIds": listed } });
            ok(app, &token, q, input).await["recordInspection"]["inspection"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    // A department's supervision listing the leader and the inspector: only they may confirm,
    // each once.
    let supervision = record(
        "DEPARTMENT_SUPERVISION",
        vec![fx.leader.id.clone(), fx.inspector.id.clone()],
        &fx.staff,
    )
    .await;
    for round in 0..2 {
        for who in roles(&fx) {
            let flag = flags(&app, who, INSPECTION_FLAGS, &supervision)
                .await
                .map(|f| f["confirmParticipation"] == true);
            let body = app
                .gql(who.auth(), CONFIRM, json!({ "id": supervision }))
                .await;
            let succeeded = body["errors"].is_null();
            assert_eq!(
                succeeded,
                flag.unwrap_or(false),
                "round {round}, {}: {body}",
                who.username
            );
            let listed = [&fx.leader.username, &fx.inspector.username].contains(&&who.username);
            assert_eq!(succeeded, listed && round == 0, "{}", who.username);
        }
    }
    // Publishing: nobody, on an inspection that is not covert.
    for who in roles(&fx) {
        let flag = flags(&app, who, INSPECTION_FLAGS, &supervision).await;
        assert!(flag.is_none_or(|f| f["publish"] == false));
        let body = app
            .gql(who.auth(), PUBLISH, json!({ "id": supervision }))
            .await;
        assert!(!body["errors"].is_null(), "{}", who.username);
    }
    // A covert inspection: whoever records the commission's inspections and sees it, once; the
    // inspected enterprise sees nothing of it until then.
    let mut covert = record("COVERT", vec![], &fx.inspector).await;
    let mut published = 0;
    for who in roles(&fx) {
        let flag = flags(&app, who, INSPECTION_FLAGS, &covert)
            .await
            .map(|f| f["publish"] == true);
        if [&fx.safety, &fx.manager, &fx.supervision]
            .iter()
            .any(|a| a.username == who.username)
        {
            assert!(
                flag.is_none(),
                "{} sees an unpublished covert inspection",
                who.username
            );
        }
        let body = app.gql(who.auth(), PUBLISH, json!({ "id": covert })).await;
        let succeeded = body["errors"].is_null();
        assert_eq!(succeeded, flag.unwrap_or(false), "{}: {body}", who.username);
        if succeeded {
            published += 1;
            // Published once: nobody may publish it again.
            for other in roles(&fx) {
                let f = flags(&app, other, INSPECTION_FLAGS, &covert).await;
                assert!(f.is_none_or(|f| f["publish"] == false));
            }
            covert = record("COVERT", vec![], &fx.inspector).await;
        }
    }
    assert_eq!(
        published, 5,
        "admin, leader, staff, inspector and township staff publish"
    );
}

const ENFORCEMENT_FLAGS: &str =
    "query($id: ID!) { node(id: $id) { ... on EnforcementAction { viewerCan {
  recordPenaltyStep nextPenaltySteps attach } } } }";
const ISSUE: &str = "mutation($input: IssueEnforcementActionInput!) { issueEnforcementAction(input: $input) { enforcementAction { id } } }";
const STEP: &str = "mutation($input: RecordPenaltyStepInput!) { recordPenaltyStep(input: $input) { step { step } } }";

async fn issue(app: &TestApp, fx: &Fixture, kind: &str) -> String {
    let mut input = json!({ "input": { "kind": kind, "legalBasis": "《建设工程安全生产管理条例》第六十二条",
        "description": "未按规定设置安全防护", "targetEnterpriseId": fx.contractor.id, "projectId": fx.project.id } });
    if kind == "PENALTY" {
        input["input"]["penaltyFen"] = json!("5000000");
    }
    ok(app, &fx.inspector.token, ISSUE, input).await["issueEnforcementAction"]["enforcementAction"]
        ["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn issue_penalty(app: &TestApp, fx: &Fixture) -> String {
    issue(app, fx, "PENALTY").await
}

/// A valid input for recording `step` on `action`, `n` hours into the procedure.
fn step_input(action: &str, step: &str, n: i64) -> Value {
    let at =
        (chrono::Utc::now() - chrono::Duration::days(20) + chrono::Duration::hours(n)).to_rfc3339();
    let mut input = json!({ "actionId": action, "step": step, "occurredAt": at });
    match step {
        "DECIDED" => input["decisionNumber"] = json!("渝建罚〔2026〕7号"),
        "PAID" => input["amountFen"] = json!("5000000"),
        _ => {}
    }
    json!({ "input": input })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_penalty_step_flag_and_next_steps_follow_the_procedure() {
    let (app, fx) = Fixture::spawn().await;
    let penalty = issue_penalty(&app, &fx).await;
    let warning = issue(&app, &fx, "WARNING_INTERVIEW").await;
    let mut n = 0;
    let mut recorded = Vec::new();
    // Each round, every role reads its flags and tries the first step the flags offer (or the
    // first step of the procedure); the procedure advances when someone may.
    for _ in 0..6 {
        for who in roles(&fx) {
            let f = flags(&app, who, ENFORCEMENT_FLAGS, &penalty).await;
            let flag = f.as_ref().is_some_and(|f| f["recordPenaltyStep"] == true);
            let next: Vec<String> = f
                .as_ref()
                .map(|f| {
                    f["nextPenaltySteps"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s.as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(flag, !next.is_empty());
            // The last step offered moves the procedure on fastest: a hearing, then the
            // decision, then the payment.
            let step = next
                .last()
                .cloned()
                .unwrap_or_else(|| "NOTICE_SERVED".to_owned());
            n += 1;
            let body = app
                .gql(who.auth(), STEP, step_input(&penalty, &step, n))
                .await;
            let succeeded = body["errors"].is_null();
            assert_eq!(succeeded, flag, "{} {step}: {body}", who.username);
            if succeeded {
                recorded.push(step);
            }
        }
        // On a warning interview nobody records a penalty step.
        for who in roles(&fx) {
            let f = flags(&app, who, ENFORCEMENT_FLAGS, &warning).await;
            assert!(f.as_ref().is_none_or(|f| f["recordPenaltyStep"] == false
                && f["nextPenaltySteps"].as_array().unwrap().is_empty()));
            let body = app
                .gql(who.auth(), STEP, step_input(&warning, "NOTICE_SERVED", n))
                .await;
            assert!(!body["errors"].is_null());
        }
    }
    // The procedure ran to its end, then closed.
    assert_eq!(recorded.first().map(String::as_str), Some("NOTICE_SERVED"));
    assert!(recorded.iter().any(|s| s == "DECIDED"), "{recorded:?}");
    assert_eq!(
        recorded.last().map(String::as_str),
        Some("PAID"),
        "{recorded:?}"
    );
    for who in roles(&fx) {
        if let Some(f) = flags(&app, who, ENFORCEMENT_FLAGS, &penalty).await {
            assert_eq!(f["recordPenaltyStep"], false);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_on_a_page_cost_the_same_statements_at_any_size() {
    let (app, fx) = Fixture::spawn_with(Options {
        outbox_poll_ms: Some(3_600_000),
        ..Options::default()
    })
    .await;
    for i in 0..12 {
        let state = if i % 3 == 0 {
            State::AssignedMajor
        } else {
            State::Assigned
        };
        build(&app, &fx, state).await;
    }
    for _ in 0..6 {
        let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id } } }";
        let input = json!({ "input": { "projectId": fx.project.id, "kind": "DEPARTMENT_SUPERVISION",
            "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "现场检查", "result": "RECTIFY",
            "inspectorIds": [fx.inspector.id] } });
        ok(&app, &fx.staff.token, q, input).await;
        issue_penalty(&app, &fx).await;
    }
    app.settle().await;
    let pages = [
        "query($n: Int!) { hazards(first: $n) { nodes { viewerCan { start recordImplementation verify } } } }",
        "query($n: Int!) { inspections(first: $n) { nodes { viewerCan { confirmParticipation publish } } } }",
        "query($n: Int!) { enforcementActions(first: $n) { nodes { viewerCan { recordPenaltyStep } } } }",
        "query($n: Int!) { myTasks { hazardsToRectify(first: $n) { nodes { viewerCan { start submit } } } } }",
    ];
    for who in [&fx.safety, &fx.inspector, &fx.manager] {
        for q in pages {
            let mut counts = Vec::new();
            for n in [2, 6] {
                let before = app.metric("jianan_sql_statements_total").await;
                let body = app.gql(who.auth(), q, json!({ "n": n })).await;
                assert!(body["errors"].is_null(), "{body}");
                counts.push(app.metric("jianan_sql_statements_total").await - before);
            }
            assert_eq!(counts[0], counts[1], "{} {q}: {counts:?}", who.username);
        }
    }
}

//! `myTasks` (issue #7 item 8): the caller's own to-do list — hazards to rectify and to verify,
//! self-checks due this period, double-random assignments to carry out — each by the rule the
//! corresponding mutation applies, and nothing of a covert inspection before it is published.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::{Account, Fixture};
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

async fn ok(app: &TestApp, who: &Account, q: &str, vars: Value) -> Value {
    let body = app.gql(who.auth(), q, vars).await;
    assert!(body["errors"].is_null(), "{} {q}: {body}", who.username);
    body["data"].clone()
}

async fn report(app: &TestApp, fx: &Fixture, level: &str, description: &str) -> String {
    let d = ok(
        app,
        &fx.inspector,
        "mutation($p: ID!, $l: HazardLevel!, $d: String!, $c: String) { reportHazard(input: {projectId: $p, level: $l,
          category: \"SCAFFOLDING\", criterion: $c, description: $d, location: \"3号楼北侧\"}) { hazard { id } } }",
        json!({ "p": fx.project.id, "l": level, "d": description, "c": (level == "MAJOR").then_some("SCAFFOLDING-2") }),
    )
    .await;
    d["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn assign(app: &TestApp, fx: &Fixture, id: &str, enterprise: &str, days: i32) {
    ok(
        app,
        &fx.inspector,
        "mutation($id: ID!, $e: ID!, $n: Int!) { assignHazard(input: {id: $id, responsibleEnterpriseId: $e,
          responsiblePerson: \"王工\", deadlineWorkingDays: $n}) { hazard { id } } }",
        json!({ "id": id, "e": enterprise, "n": days }),
    )
    .await;
}

async fn step(app: &TestApp, who: &Account, verb: &str, id: &str) {
    // A submission carries a photo of the rectified site.
    let photos: Vec<String> = if verb == "submitRectification" {
        vec![jianan_tests::add_photo(app, &who.token, id).await]
    } else {
        Vec::new()
    };
    let q = format!(
        "mutation($id: ID!, $p: [ID!]!) {{ {verb}(input: {{id: $id, comment: \"说明\", photoIds: $p}}) {{ hazard {{ id }} }} }}"
    );
    ok(app, who, &q, json!({ "id": id, "p": photos })).await;
}

async fn implement_all(app: &TestApp, who: &Account, id: &str) {
    for kind in [
        "RESPONSIBILITY",
        "MEASURES",
        "FUNDS",
        "DEADLINE",
        "CONTINGENCY_PLAN",
    ] {
        ok(
            app,
            who,
            "mutation($id: ID!, $k: Implementation!) { recordHazardImplementation(input: {id: $id, kind: $k, content: \"已落实\"}) { hazard { id } } }",
            json!({ "id": id, "k": kind }),
        )
        .await;
    }
}

const HAZARD_TASKS: &str = "{ myTasks {
  hazardsToRectify(first: 50) { totalCount nodes { id status deadlineAt viewerCan { start submit recordImplementation } } }
  hazardsToVerify(first: 50) { totalCount nodes { id status level viewerCan { verify reject } } } } }";

/// The ids of `list` (`hazardsToRectify` or `hazardsToVerify`) that `who` reads.
async fn task_ids(app: &TestApp, who: &Account, list: &str) -> Vec<String> {
    let d = ok(app, who, HAZARD_TASKS, json!({})).await;
    let nodes = d["myTasks"][list]["nodes"].as_array().unwrap();
    assert_eq!(
        d["myTasks"][list]["totalCount"].as_u64().unwrap() as usize,
        nodes.len()
    );
    for n in nodes {
        // Every task is one the caller may act on: the flags say so too.
        let may = match list {
            "hazardsToRectify" => {
                n["viewerCan"]["submit"] == true
                    || n["viewerCan"]["start"] == true
                    || n["viewerCan"]["recordImplementation"] == true
            }
            _ => n["viewerCan"]["verify"] == true && n["viewerCan"]["reject"] == true,
        };
        assert!(may, "{} {list}: {n}", who.username);
    }
    nodes
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hazards_to_rectify_are_those_my_enterprise_must_act_on_now() {
    let (app, fx) = Fixture::spawn().await;
    // Assigned to the contractor, the later deadline first; assigned to the supervision firm;
    // assigned and submitted; major, assigned; reported only; assigned then voided.
    let later = report(&app, &fx, "GENERAL", "后交办").await;
    assign(&app, &fx, &later, &fx.contractor.id, 10).await;
    let sooner = report(&app, &fx, "GENERAL", "先到期").await;
    assign(&app, &fx, &sooner, &fx.contractor.id, 2).await;
    let supervisors = report(&app, &fx, "GENERAL", "监理的").await;
    assign(&app, &fx, &supervisors, &fx.supervisor.id, 5).await;
    let submitted = report(&app, &fx, "GENERAL", "已提交").await;
    assign(&app, &fx, &submitted, &fx.contractor.id, 5).await;
    step(&app, &fx.safety, "startRectification", &submitted).await;
    step(&app, &fx.safety, "submitRectification", &submitted).await;
    let major = report(&app, &fx, "MAJOR", "重大").await;
    assign(&app, &fx, &major, &fx.contractor.id, 20).await;
    report(&app, &fx, "GENERAL", "未交办").await;
    let voided = report(&app, &fx, "GENERAL", "作废").await;
    assign(&app, &fx, &voided, &fx.contractor.id, 3).await;
    ok(
        &app,
        &fx.inspector,
        "mutation($id: ID!) { voidHazard(input: {id: $id, reason: \"重复\"}) { hazard { id } } }",
        json!({ "id": voided }),
    )
    .await;

    // Every person of the contractor acts for it; soonest deadline first; the major hazard is
    // there (its five implementations are to be recorded).
    let contractor = vec![sooner.clone(), later.clone(), major.clone()];
    for who in [&fx.safety, &fx.project_leader, &fx.manager] {
        assert_eq!(
            task_ids(&app, who, "hazardsToRectify").await,
            contractor,
            "{}",
            who.username
        );
    }
    assert_eq!(
        task_ids(&app, &fx.supervision, "hazardsToRectify").await,
        [supervisors]
    );
    for who in [
        &fx.other_manager,
        &fx.inspector,
        &fx.township_staff,
        &fx.admin,
    ] {
        assert!(task_ids(&app, who, "hazardsToRectify").await.is_empty());
    }

    // Rejected, the submitted hazard comes back to the contractor.
    step(&app, &fx.inspector, "rejectRectification", &submitted).await;
    let ids = task_ids(&app, &fx.safety, "hazardsToRectify").await;
    assert!(ids.contains(&submitted) && ids.len() == 4, "{ids:?}");

    // Pages by keyset, like every list.
    let d = ok(
        &app,
        &fx.manager,
        "{ myTasks { hazardsToRectify(first: 2) { pageInfo { hasNextPage endCursor } nodes { id } } } }",
        json!({}),
    )
    .await;
    let page = &d["myTasks"]["hazardsToRectify"];
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let d = ok(
        &app,
        &fx.manager,
        "query($after: String!) { myTasks { hazardsToRectify(first: 2, after: $after) { pageInfo { hasNextPage } nodes { id } } } }",
        json!({ "after": page["pageInfo"]["endCursor"] }),
    )
    .await;
    assert_eq!(
        d["myTasks"]["hazardsToRectify"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        d["myTasks"]["hazardsToRectify"]["pageInfo"]["hasNextPage"],
        false
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hazards_to_verify_are_the_submitted_ones_i_may_close() {
    let (app, fx) = Fixture::spawn().await;
    let general = report(&app, &fx, "GENERAL", "一般").await;
    assign(&app, &fx, &general, &fx.contractor.id, 5).await;
    step(&app, &fx.safety, "startRectification", &general).await;
    step(&app, &fx.safety, "submitRectification", &general).await;
    let major = report(&app, &fx, "MAJOR", "重大").await;
    assign(&app, &fx, &major, &fx.contractor.id, 3).await;
    implement_all(&app, &fx.safety, &major).await;
    step(&app, &fx.safety, "startRectification", &major).await;
    step(&app, &fx.safety, "submitRectification", &major).await;
    // A major hazard is closed once listed for supervision and accepted: before that, nobody's
    // to verify; then the inspector's.
    assert!(
        !task_ids(&app, &fx.inspector, "hazardsToVerify")
            .await
            .contains(&major)
    );
    ok(
        &app,
        &fx.inspector,
        "mutation($input: SuperviseHazardInput!) { superviseHazard(input: $input) { hazard { id } } }",
        json!({ "input": { "id": major, "supervisingUnitId": fx.department.id, "comment": "限期整改",
            "deadline": (jianan_kernel::calendar::today() + chrono::Duration::days(10)).to_string() } }),
    )
    .await;
    let photo = jianan_tests::add_photo(&app, &fx.inspector.token, &major).await;
    ok(
        &app,
        &fx.inspector,
        "mutation($id: ID!, $p: [ID!]!) { acceptHazardRectification(input: {id: $id, comment: \"验收合格\", photoIds: $p}) { hazard { id } } }",
        json!({ "id": major, "p": [photo] }),
    )
    .await;
    // Still rectifying: nobody's to verify.
    let open = report(&app, &fx, "GENERAL", "整改中").await;
    assign(&app, &fx, &open, &fx.contractor.id, 1).await;
    step(&app, &fx.safety, "startRectification", &open).await;

    // A major hazard is closed only by a commission inspector (soonest deadline first).
    assert_eq!(
        task_ids(&app, &fx.inspector, "hazardsToVerify").await,
        [major.clone(), general.clone()]
    );
    for who in [&fx.staff, &fx.admin, &fx.township_staff] {
        assert_eq!(
            task_ids(&app, who, "hazardsToVerify").await,
            std::slice::from_ref(&general),
            "{}",
            who.username
        );
    }
    // Neither the enterprise, nor the leadership group (who do not verify), nor another
    // township's staff.
    for who in [&fx.safety, &fx.manager, &fx.leader, &fx.expert] {
        assert!(task_ids(&app, who, "hazardsToVerify").await.is_empty());
    }
    // Verified, it leaves the list.
    step(&app, &fx.staff, "verifyRectification", &general).await;
    assert_eq!(
        task_ids(&app, &fx.inspector, "hazardsToVerify").await,
        [major]
    );
}

const SELF_CHECKS: &str = "{ myTasks { selfChecksDue { kind project { code } projectLabel obligationCode period periodStart dueBy count required } } }";

async fn self_checks(app: &TestApp, who: &Account) -> Vec<(String, String)> {
    let d = ok(app, who, SELF_CHECKS, json!({})).await;
    d["myTasks"]["selfChecksDue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["count"], 0);
            assert_eq!(s["required"], 1);
            assert!(s["dueBy"].as_str().unwrap() > s["periodStart"].as_str().unwrap());
            (
                s["kind"].as_str().unwrap().to_owned(),
                s["project"]["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_checks_due_are_the_kinds_i_record_on_sites_with_no_record_this_period() {
    let (app, fx) = Fixture::spawn().await;
    let site = fx.project.code.clone();
    let other = fx.other_project.code.clone();
    let d = ok(&app, &fx.safety, SELF_CHECKS, json!({})).await;
    let first = &d["myTasks"]["selfChecksDue"][0];
    assert_eq!(first["obligationCode"], "inspections.safety_manager_daily");
    assert!(first["projectLabel"].as_str().unwrap().contains(&site));
    let today = jianan_kernel::calendar::today().to_string();
    assert_eq!(first["period"], today);

    // Each of the contractor's people owes their own kind; the supervision firm records none;
    // another contractor owes its own site; the commission owes no self-check.
    assert_eq!(
        self_checks(&app, &fx.safety).await,
        [("SAFETY_MANAGER_DAILY".to_owned(), site.clone())]
    );
    assert_eq!(
        self_checks(&app, &fx.project_leader).await,
        [("PROJECT_LEADER_WEEKLY".to_owned(), site.clone())]
    );
    assert_eq!(
        self_checks(&app, &fx.manager).await,
        [("ENTERPRISE_MONTHLY".to_owned(), site.clone())]
    );
    assert_eq!(
        self_checks(&app, &fx.other_manager).await,
        [("ENTERPRISE_MONTHLY".to_owned(), other)]
    );
    for who in [
        &fx.supervision,
        &fx.inspector,
        &fx.township_staff,
        &fx.leader,
    ] {
        assert!(self_checks(&app, who).await.is_empty(), "{}", who.username);
    }

    // Recorded, it is no longer due; the other kinds still are.
    let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id } } }";
    let record = |kind: &str| {
        json!({ "input": { "projectId": fx.project.id, "kind": kind,
            "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "日常排查", "result": "NO_PROBLEM" } })
    };
    ok(&app, &fx.safety, q, record("SAFETY_MANAGER_DAILY")).await;
    assert!(self_checks(&app, &fx.safety).await.is_empty());
    assert_eq!(self_checks(&app, &fx.project_leader).await.len(), 1);
    ok(&app, &fx.manager, q, record("ENTERPRISE_MONTHLY")).await;
    assert!(self_checks(&app, &fx.manager).await.is_empty());
}

const DRAWS: &str = "{ myTasks { drawAssignments { draw { id title } assignment { projectId projectCode inspectors { id } }
  project { id code } deadlineAt overdue } } }";

async fn draw_tasks(app: &TestApp, who: &Account) -> Vec<Value> {
    ok(app, who, DRAWS, json!({})).await["myTasks"]["drawAssignments"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draw_assignments_are_mine_once_published_until_i_carry_them_out() {
    let (app, fx) = Fixture::spawn().await;
    // Both hold an enforcement credential (执法证), as the pool requires.
    for a in [&fx.inspector, &fx.staff] {
        ok(
            &app,
            &fx.admin,
            "mutation($input: SetEnforcementCredentialInput!) { setEnforcementCredential(input: $input) { account { id } } }",
            json!({ "input": { "accountId": a.id, "number": format!("渝执字第{}号", a.username),
                "issuingAuthority": "重庆市人民政府",
                "validUntil": (jianan_kernel::calendar::today() + chrono::Duration::days(365)).to_string() } }),
        )
        .await;
    }
    // Two inspectors, teams of two, one of the two active sites drawn: both are on its team.
    let create = "mutation($input: CreateRandomDrawInput!) { createRandomDraw(input: $input) { randomDraw { id } } }";
    let d = ok(
        &app,
        &fx.inspector,
        create,
        json!({ "input": { "title": "十二月双随机抽查", "inspectorIds": [fx.inspector.id, fx.staff.id],
            "targetCount": 1, "teamSize": 2, "deadlineWorkingDays": 10 } }),
    )
    .await;
    let draw = d["createRandomDraw"]["randomDraw"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let verb = |v: &str| {
        format!("mutation($id: ID!) {{ {v}(input: {{id: $id}}) {{ randomDraw {{ status }} }} }}")
    };
    ok(
        &app,
        &fx.inspector,
        &verb("executeRandomDraw"),
        json!({ "id": draw }),
    )
    .await;
    // Drawn but not published: the result is not public, and nobody's task yet.
    assert!(draw_tasks(&app, &fx.inspector).await.is_empty());
    ok(
        &app,
        &fx.inspector,
        &verb("publishRandomDraw"),
        json!({ "id": draw }),
    )
    .await;

    let tasks = draw_tasks(&app, &fx.inspector).await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let t = &tasks[0];
    assert_eq!(t["draw"]["id"], draw.as_str());
    assert_eq!(t["overdue"], false);
    assert!(t["deadlineAt"].is_string());
    let project = t["assignment"]["projectId"].as_str().unwrap().to_owned();
    assert_eq!(t["project"]["id"], project.as_str());
    let team: Vec<&str> = t["assignment"]["inspectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(team.contains(&fx.inspector.id.as_str()) && team.contains(&fx.staff.id.as_str()));
    assert_eq!(draw_tasks(&app, &fx.staff).await.len(), 1);
    for who in [&fx.leader, &fx.admin, &fx.safety] {
        assert!(draw_tasks(&app, who).await.is_empty(), "{}", who.username);
    }

    // Another kind of inspection of the site does not carry it out; the team's double-random
    // check, tied to the assignment, does — for the whole team.
    let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id } } }";
    let check = |kind: &str, listed: Vec<&str>, assignment: Option<Value>| {
        // Now: after the draw's publication (an hour ago would be before it).
        json!({ "input": { "projectId": project, "kind": kind, "inspectedAt": chrono::Utc::now().to_rfc3339(),
            "findings": "双随机检查", "result": "RECTIFY", "inspectorIds": listed, "drawAssignment": assignment } })
    };
    ok(
        &app,
        &fx.inspector,
        q,
        check("DEPARTMENT_SUPERVISION", vec![], None),
    )
    .await;
    assert_eq!(draw_tasks(&app, &fx.inspector).await.len(), 1);
    ok(
        &app,
        &fx.inspector,
        q,
        check(
            "DOUBLE_RANDOM",
            vec![fx.staff.id.as_str()],
            Some(json!({ "drawId": draw, "projectId": project })),
        ),
    )
    .await;
    assert!(draw_tasks(&app, &fx.inspector).await.is_empty());
    assert!(draw_tasks(&app, &fx.staff).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_tasks_needs_a_login_and_shows_nothing_of_an_unpublished_covert_inspection() {
    let (app, fx) = Fixture::spawn().await;
    let body = app
        .gql(None, "{ myTasks { selfChecksDue { kind } } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");

    // A covert inspection's hazard, then a published one's: only the published one can be
    // assigned, so only it ever reaches the enterprise's list.
    let q = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id hazards { id } } } }";
    let covert = || {
        json!({ "input": { "projectId": fx.project.id, "kind": "COVERT", "inspectedAt": jianan_tests::recently().to_rfc3339(),
            "findings": "夜间暗访", "result": "RECTIFY",
            "hazards": [{ "level": "GENERAL", "category": "TEMPORARY_ELECTRICITY", "description": "配电箱无门无锁", "location": "生活区" }] } })
    };
    let hidden =
        ok(&app, &fx.inspector, q, covert()).await["recordInspection"]["inspection"]["hazards"][0]
            ["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let d = ok(&app, &fx.inspector, q, covert()).await;
    let shown_inspection = d["recordInspection"]["inspection"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let shown = d["recordInspection"]["inspection"]["hazards"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = app
        .gql(
            fx.inspector.auth(),
            "mutation($id: ID!, $e: ID!) { assignHazard(input: {id: $id, responsibleEnterpriseId: $e, responsiblePerson: \"王工\", deadlineWorkingDays: 5}) { hazard { id } } }",
            json!({ "id": hidden, "e": fx.contractor.id }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    ok(
        &app,
        &fx.inspector,
        "mutation($id: ID!) { publishCovertInspection(input: {id: $id}) { inspection { id } } }",
        json!({ "id": shown_inspection }),
    )
    .await;
    assign(&app, &fx, &shown, &fx.contractor.id, 5).await;
    for who in [&fx.safety, &fx.manager] {
        assert_eq!(
            task_ids(&app, who, "hazardsToRectify").await,
            std::slice::from_ref(&shown)
        );
    }
}

//! Double-random draws, "double random, one public" (issue #3 §5, §11; issue #7 item 6): the pool
//! holds enforcement officers with a valid credential, teams of at least two, the commitment
//! covers the seed and the input, each DOUBLE_RANDOM inspection carries out one drawn assignment,
//! and the results go public (without login) within 20 working days.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate, Utc};
use jianan_inspections::rules::draw::{Candidate, DrawInput, draw};
use jianan_tests::fixtures::{Account, Fixture};
use jianan_tests::{TestApp, error_code, uuid_of};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const PUBLIC: &str = "{ publicRandomDraws(first: 5) { edges { node { id title status protocol drawDate commitment seed canonicalInput
  inputHash deadlineAt assignments { projectId projectCode inspectors { id name } } } } } }";
const CREATE: &str = "mutation($input: CreateRandomDrawInput!) { createRandomDraw(input: $input) {
  randomDraw { id status commitment seed drawDate protocol } } }";
const SET_CREDENTIAL: &str = "mutation($input: SetEnforcementCredentialInput!) { setEnforcementCredential(input: $input) {
  account { id version enforcementCredential { number issuingAuthority validUntil validToday } } } }";
const CLEAR_CREDENTIAL: &str = "mutation($input: ClearEnforcementCredentialInput!) { clearEnforcementCredential(input: $input) {
  account { id enforcementCredential { number } } } }";
const RECORD: &str = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id kind } } }";
const PUBLISH_RESULTS: &str =
    "mutation($id: ID!) { publishDrawResults(input: {id: $id}) { randomDraw {
  id drawnAt publishDeadline resultsPublishedAt late } } }";
const RESULTS: &str = "{ publicDrawResults(first: 5) { totalCount edges { node { id late publishDeadline resultsPublishedAt
  assignments { projectId inspectors { id } outcome { status inspectionId result inspectedAt hazardsFound checkedBy { id name } } } } } } }";
const DRAW: &str = "query($id: ID!) { node(id: $id) { ... on RandomDraw { id status drawnAt publishDeadline resultsPublishedAt late
  assignments { projectId inspectors { id } outcome { status } } } } }";

/// A step mutation of a draw (`executeRandomDraw`, `publishRandomDraw`).
fn step(verb: &str) -> String {
    format!("mutation($id: ID!) {{ {verb}(input: {{id: $id}}) {{ randomDraw {{ status }} }} }}")
}

/// The date `days` from today (Beijing time), as the API writes dates.
fn in_days(days: i64) -> String {
    (jianan_kernel::calendar::today() + Duration::days(days)).to_string()
}

/// The admin records a credential valid for a year on each of `who`.
async fn credential(app: &TestApp, fx: &Fixture, who: &[&Account]) {
    for a in who {
        let input = json!({ "input": { "accountId": a.id, "number": format!("渝执字第{}号", a.username),
            "issuingAuthority": "重庆市人民政府", "validUntil": in_days(365) } });
        app.data(fx.admin.auth(), SET_CREDENTIAL, input).await;
    }
}

/// A `createRandomDraw` input.
fn draw_input(pool: &[&Account], target_count: i32, team_size: i32, conflicts: Value) -> Value {
    let ids: Vec<&str> = pool.iter().map(|a| a.id.as_str()).collect();
    json!({ "input": { "title": "2026年第四季度在建项目双随机抽查", "inspectorIds": ids, "targetCount": target_count,
        "teamSize": team_size, "deadlineWorkingDays": 10, "conflicts": conflicts } })
}

/// Rows a refused draw call must leave alone.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "random_draw",
        "draw_inspection",
        "inspection",
        "hazard",
        "audit_log",
        "outbox_event",
    ] {
        counts.push(app.count(table).await);
    }
    counts.push(
        app.scalar("SELECT COUNT(*) AS n FROM random_draw WHERE results_published_at IS NOT NULL")
            .await,
    );
    counts.push(
        app.scalar("SELECT COUNT(*) AS n FROM account WHERE enforcement_cert_number IS NOT NULL")
            .await,
    );
    counts.push(
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM account")
            .await,
    );
    counts
}

/// Expects `body` to be refused with `code` (and `field`, when given); returns the message.
fn refused(body: &Value, code: &str, field: Option<&str>) -> String {
    assert_eq!(error_code(body), code, "{body}");
    if let Some(f) = field {
        assert_eq!(body["errors"][0]["extensions"]["field"], f, "{body}");
    }
    body["errors"][0]["message"].as_str().unwrap().to_owned()
}

/// SHA-256 of `bytes`.
fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_draw_re_runs_to_the_same_selection_and_matches_its_commitment() {
    // The demo district gives the draw enough active projects; the fixture gives its people.
    let app = TestApp::spawn().await;
    let fx = Fixture::build(&app).await;
    let inspector = fx.inspector.token.clone();
    let pool = [&fx.inspector, &fx.staff, &fx.leader];
    credential(&app, &fx, &pool).await;
    let some_project = fx.project.id.clone();
    let conflicts = json!([{ "inspectorId": fx.inspector.id, "projectId": some_project }]);
    let body = app
        .gql(
            Some(&inspector),
            CREATE,
            draw_input(&pool, 5, 1, conflicts.clone()),
        )
        .await;
    refused(&body, "BAD_USER_INPUT", Some("teamSize"));

    let d = app
        .data(Some(&inspector), CREATE, draw_input(&pool, 5, 2, conflicts))
        .await;
    let created = &d["createRandomDraw"]["randomDraw"];
    let draw_id = created["id"].as_str().unwrap().to_owned();
    let commitment = created["commitment"].as_str().unwrap().to_owned();
    assert_eq!(commitment.len(), 64);
    assert_eq!(created["protocol"], "jianan-draw-v2");
    assert_eq!(
        created["drawDate"],
        jianan_kernel::calendar::today().to_string()
    );
    assert!(
        created["seed"].is_null(),
        "the seed stays secret until publication"
    );

    // The public sees the commitment before the draw, and nothing else.
    let p = app.data(None, PUBLIC, json!({})).await;
    let node = &p["publicRandomDraws"]["edges"][0]["node"];
    assert_eq!(node["commitment"], commitment);
    assert!(node["seed"].is_null() && node["assignments"].is_null());
    assert!(node["canonicalInput"].is_null() && node["inputHash"].is_null());

    let d = app
        .data(
            Some(&inspector),
            &step("executeRandomDraw"),
            json!({ "id": draw_id }),
        )
        .await;
    assert_eq!(d["executeRandomDraw"]["randomDraw"]["status"], "DRAWN");
    let again = app
        .gql(
            Some(&inspector),
            &step("executeRandomDraw"),
            json!({ "id": draw_id }),
        )
        .await;
    refused(&again, "CONFLICT", None);
    assert!(
        app.data(None, PUBLIC, json!({})).await["publicRandomDraws"]["edges"][0]["node"]["seed"]
            .is_null()
    );
    let manager = fx.manager.token.clone();
    let body = app
        .gql(
            Some(&manager),
            &step("publishRandomDraw"),
            json!({ "id": draw_id }),
        )
        .await;
    refused(&body, "FORBIDDEN", None);
    app.data(
        Some(&inspector),
        &step("publishRandomDraw"),
        json!({ "id": draw_id }),
    )
    .await;

    // Published: anyone, without logging in, checks the commitment and re-runs the draw.
    let p = app.data(None, PUBLIC, json!({})).await;
    let node = &p["publicRandomDraws"]["edges"][0]["node"];
    assert_eq!(node["status"], "PUBLISHED");
    assert!(node["deadlineAt"].is_string());
    let seed = node["seed"].as_str().unwrap();
    let document = node["canonicalInput"].as_str().unwrap();
    // The commitment published before the draw is SHA-256(seed bytes ‖ SHA-256(document)),
    // recomputed here with nothing but SHA-256.
    let digest = sha256(document.as_bytes());
    assert_eq!(hex::encode(&digest), node["inputHash"].as_str().unwrap());
    let mut preimage = hex::decode(seed).unwrap();
    preimage.extend_from_slice(&digest);
    assert_eq!(
        hex::encode(sha256(&preimage)),
        commitment,
        "the commitment covers the seed and the canonical input"
    );
    let canonical: Value = serde_json::from_str(document).unwrap();
    assert_eq!(canonical["v"], "jianan-draw-v2");
    assert_eq!(canonical["date"], node["drawDate"]);
    assert!(
        canonical.get("seed").is_none(),
        "the committed document never held the seed"
    );
    assert_eq!(canonical["inspectors"].as_array().unwrap().len(), 3);
    let candidates = |key: &str| -> Vec<Candidate> {
        canonical[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Candidate {
                id: c["id"].as_str().unwrap().parse().unwrap(),
                weight: c["weight"].as_u64().unwrap() as u32,
            })
            .collect()
    };
    let rerun = draw(&DrawInput {
        seed_hex: seed.to_owned(),
        date: Some(
            NaiveDate::parse_from_str(canonical["date"].as_str().unwrap(), "%Y-%m-%d").unwrap(),
        ),
        inspectors: candidates("inspectors"),
        targets: candidates("targets"),
        target_count: canonical["target_count"].as_u64().unwrap() as u32,
        team_size: canonical["team_size"].as_u64().unwrap() as u32,
        conflicts: canonical["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c[0].as_str().unwrap().parse().unwrap(),
                    c[1].as_str().unwrap().parse().unwrap(),
                )
            })
            .collect(),
    })
    .unwrap();
    assert_eq!(rerun.input_hash, node["inputHash"].as_str().unwrap());
    let published: Vec<(Uuid, Vec<Uuid>)> = node["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                uuid_of(a["projectId"].as_str().unwrap()),
                a["inspectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| uuid_of(i["id"].as_str().unwrap()))
                    .collect(),
            )
        })
        .collect();
    let recomputed: Vec<(Uuid, Vec<Uuid>)> = rerun
        .assignments
        .iter()
        .map(|a| (a.target, a.inspectors.clone()))
        .collect();
    assert_eq!(
        published, recomputed,
        "the published selection is exactly what the algorithm gives"
    );
    assert_eq!(published.len(), 5);
    for (target, team) in &published {
        assert_eq!(team.len(), 2);
        assert_ne!(team[0], team[1]);
        if *target == fx.project.uuid {
            assert!(
                !team.contains(&fx.inspector.uuid),
                "the recused inspector is not on that team"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enforcement_credentials_are_kept_by_account_managers_and_shown_to_them_and_the_holder() {
    let (app, fx) = Fixture::spawn().await;
    let set = |who: &Account, number: &str, valid_until: String| {
        json!({ "input": { "accountId": who.id, "number": number, "issuingAuthority": "重庆市人民政府",
            "validUntil": valid_until } })
    };
    // Only account managers (ADMIN) set one: not the department, not the holder, not anonymous.
    let before = snapshot(&app).await;
    for (caller, code) in [
        (fx.staff.auth(), "FORBIDDEN"),
        (fx.inspector.auth(), "FORBIDDEN"),
        (fx.leader.auth(), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app
            .gql(
                caller,
                SET_CREDENTIAL,
                set(&fx.inspector, "渝执字第0001号", in_days(365)),
            )
            .await;
        refused(&body, code, None);
    }
    // Refused inputs: an enterprise account, an expert, a service account, an expired or empty
    // credential.
    for (input, field) in [
        (
            set(&fx.manager, "渝执字第0001号", in_days(365)),
            "accountId",
        ),
        (set(&fx.expert, "渝执字第0001号", in_days(365)), "accountId"),
        (set(&fx.bureau, "渝执字第0001号", in_days(365)), "accountId"),
        (
            set(&fx.inspector, "渝执字第0001号", in_days(-1)),
            "validUntil",
        ),
        (set(&fx.inspector, "  ", in_days(365)), "number"),
    ] {
        let body = app.gql(fx.admin.auth(), SET_CREDENTIAL, input).await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    assert_eq!(
        snapshot(&app).await,
        before,
        "a refused call writes nothing"
    );

    // The admin records the inspector's credential; valid through its last day.
    let d = app
        .data(
            fx.admin.auth(),
            SET_CREDENTIAL,
            set(&fx.inspector, "渝执字第0001号", in_days(0)),
        )
        .await;
    let account = &d["setEnforcementCredential"]["account"];
    assert_eq!(
        account["enforcementCredential"],
        json!({ "number": "渝执字第0001号", "issuingAuthority": "重庆市人民政府", "validUntil": in_days(0), "validToday": true })
    );
    let version = account["version"].as_i64().unwrap();
    // The holder sees it; so does the admin.
    let me = app
        .data(
            fx.inspector.auth(),
            "{ me { enforcementCredential { number } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["me"]["enforcementCredential"]["number"],
        "渝执字第0001号"
    );
    // Anyone else meeting the account elsewhere (the recorder of an inspection they can see) sees
    // no credential.
    app.data(
        fx.inspector.auth(),
        RECORD,
        json!({ "input": { "projectId": fx.project.id, "kind": "DEPARTMENT_SUPERVISION",
            "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "督查", "result": "NO_PROBLEM" } }),
    )
    .await;
    let seen = app
        .data(
            fx.manager.auth(),
            "{ inspections { nodes { recordedBy { id enforcementCredential { number } } } } }",
            json!({}),
        )
        .await;
    let recorder = &seen["inspections"]["nodes"][0]["recordedBy"];
    assert_eq!(recorder["id"], fx.inspector.id.as_str());
    assert!(recorder["enforcementCredential"].is_null());

    // A number is one officer's; a stale version is a conflict; both write nothing.
    let before = snapshot(&app).await;
    let body = app
        .gql(
            fx.admin.auth(),
            SET_CREDENTIAL,
            set(&fx.staff, "渝执字第0001号", in_days(30)),
        )
        .await;
    refused(&body, "BAD_USER_INPUT", Some("number"));
    let mut stale = set(&fx.inspector, "渝执字第0002号", in_days(30));
    stale["input"]["expectedVersion"] = json!(version - 1);
    refused(
        &app.gql(fx.admin.auth(), SET_CREDENTIAL, stale).await,
        "CONFLICT",
        None,
    );
    assert_eq!(snapshot(&app).await, before);

    // Cleared (audited), then clearing again is a conflict that writes nothing.
    let audits = app.count("audit_log").await;
    let clear = json!({ "input": { "accountId": fx.inspector.id, "expectedVersion": version } });
    let d = app
        .data(fx.admin.auth(), CLEAR_CREDENTIAL, clear.clone())
        .await;
    assert!(d["clearEnforcementCredential"]["account"]["enforcementCredential"].is_null());
    assert_eq!(app.count("audit_log").await, audits + 1);
    let before = snapshot(&app).await;
    let again = json!({ "input": { "accountId": fx.inspector.id } });
    refused(
        &app.gql(fx.admin.auth(), CLEAR_CREDENTIAL, again.clone())
            .await,
        "CONFLICT",
        None,
    );
    refused(
        &app.gql(fx.staff.auth(), CLEAR_CREDENTIAL, again).await,
        "FORBIDDEN",
        None,
    );
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action IN \
             ('registry.account.set_enforcement_credential', 'registry.account.clear_enforcement_credential')"
        )
        .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draw_pool_holds_only_officers_with_a_valid_credential_enough_for_teams_of_two() {
    let (app, fx) = Fixture::spawn().await;
    let creator = fx.inspector.auth();
    credential(&app, &fx, &[&fx.inspector, &fx.staff]).await;
    let before = snapshot(&app).await;
    // The leader has no credential: refused, naming the leader.
    let body = app
        .gql(
            creator,
            CREATE,
            draw_input(&[&fx.inspector, &fx.staff, &fx.leader], 1, 2, json!([])),
        )
        .await;
    let message = refused(&body, "BAD_USER_INPUT", Some("inspectorIds"));
    assert!(
        message.contains("fx-leader") && message.contains("执法证"),
        "{message}"
    );
    // Experts and township staff are not in the commission's pool of enforcement officers.
    for outsider in [&fx.expert, &fx.township_staff, &fx.manager] {
        let body = app
            .gql(
                creator,
                CREATE,
                draw_input(&[&fx.inspector, &fx.staff, outsider], 1, 2, json!([])),
            )
            .await;
        refused(&body, "BAD_USER_INPUT", Some("inspectorIds"));
    }
    // A team of one; a team larger than the pool; a project whose recusals leave one officer.
    refused(
        &app.gql(
            creator,
            CREATE,
            draw_input(&[&fx.inspector, &fx.staff], 1, 1, json!([])),
        )
        .await,
        "BAD_USER_INPUT",
        Some("teamSize"),
    );
    let message = refused(
        &app.gql(
            creator,
            CREATE,
            draw_input(&[&fx.inspector, &fx.staff], 1, 3, json!([])),
        )
        .await,
        "BAD_USER_INPUT",
        Some("inspectorIds"),
    );
    assert!(message.contains("只有2人"), "{message}");
    let recusal = json!([{ "inspectorId": fx.staff.id, "projectId": fx.project.id }]);
    let message = refused(
        &app.gql(
            creator,
            CREATE,
            draw_input(&[&fx.inspector, &fx.staff], 1, 2, recusal),
        )
        .await,
        "BAD_USER_INPUT",
        Some("inspectorIds"),
    );
    assert!(message.contains(fx.project.code.as_str()), "{message}");
    // The completion deadline cannot outlast the 20 working days the results are due in.
    let mut long = draw_input(&[&fx.inspector, &fx.staff], 1, 2, json!([]));
    long["input"]["deadlineWorkingDays"] = json!(21);
    refused(
        &app.gql(creator, CREATE, long).await,
        "BAD_USER_INPUT",
        Some("deadlineWorkingDays"),
    );
    // Only those who manage draws create one.
    for (caller, code) in [
        (fx.leader.auth(), "FORBIDDEN"),
        (fx.manager.auth(), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app
            .gql(
                caller,
                CREATE,
                draw_input(&[&fx.inspector, &fx.staff], 1, 2, json!([])),
            )
            .await;
        refused(&body, code, None);
    }
    assert_eq!(
        snapshot(&app).await,
        before,
        "a refused call writes nothing"
    );

    // A credential that has lapsed by the draw date is no credential (time travel by SQL: the API
    // refuses to record an expired one).
    credential(&app, &fx, &[&fx.leader]).await;
    app.exec(&format!(
        "UPDATE account SET enforcement_cert_valid_until = '{}' WHERE username = 'fx-leader'",
        in_days(-1)
    ))
    .await;
    let before = snapshot(&app).await;
    let body = app
        .gql(
            creator,
            CREATE,
            draw_input(&[&fx.inspector, &fx.staff, &fx.leader], 1, 2, json!([])),
        )
        .await;
    refused(&body, "BAD_USER_INPUT", Some("inspectorIds"));
    assert_eq!(snapshot(&app).await, before);

    // Two credentialed officers form a team of two for either project.
    let d = app
        .data(
            creator,
            CREATE,
            draw_input(&[&fx.inspector, &fx.staff], 2, 2, json!([])),
        )
        .await;
    assert_eq!(d["createRandomDraw"]["randomDraw"]["status"], "COMMITTED");
    assert_eq!(app.count("random_draw").await, before[0] + 1);
}

/// A published draw of both fixture projects, teams of two from the inspector, the staff member
/// and the leader (all credentialed): its id and its assignments (project, team).
async fn published_draw(app: &TestApp, fx: &Fixture) -> (String, Vec<(String, Vec<String>)>) {
    let pool = [&fx.inspector, &fx.staff, &fx.leader];
    credential(app, fx, &pool).await;
    let d = app
        .data(fx.staff.auth(), CREATE, draw_input(&pool, 2, 2, json!([])))
        .await;
    let id = d["createRandomDraw"]["randomDraw"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for verb in ["executeRandomDraw", "publishRandomDraw"] {
        app.data(fx.staff.auth(), &step(verb), json!({ "id": id }))
            .await;
    }
    let d = app
        .data(fx.inspector.auth(), DRAW, json!({ "id": id }))
        .await;
    let assignments = d["node"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["projectId"].as_str().unwrap().to_owned(),
                a["inspectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["id"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    (id, assignments)
}

/// The fixture account with global ID `id` among the pool.
fn officer<'a>(fx: &'a Fixture, id: &str) -> &'a Account {
    [&fx.inspector, &fx.staff, &fx.leader]
        .into_iter()
        .find(|a| a.id == id)
        .unwrap()
}

/// A DOUBLE_RANDOM `recordInspection` input for `project`, carrying out the assignment of
/// `assigned` in `draw`, listing `inspectors`.
fn double_random(project: &str, draw: &str, assigned: &str, inspectors: &[&str]) -> Value {
    json!({ "input": { "projectId": project, "kind": "DOUBLE_RANDOM", "inspectedAt": Utc::now().to_rfc3339(),
        "findings": "双随机抽查现场安全管理", "result": "RECTIFY", "inspectorIds": inspectors,
        "drawAssignment": { "drawId": draw, "projectId": assigned } } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn double_random_inspections_carry_out_drawn_assignments_and_results_go_public() {
    let (app, fx) = Fixture::spawn().await;
    let (draw_id, assignments) = published_draw(&app, &fx).await;
    assert_eq!(assignments.len(), 2, "both fixture projects are drawn");
    let (p1, team1) = assignments[0].clone();
    let (p2, team2) = assignments[1].clone();
    let (a, b) = (officer(&fx, &team1[0]), officer(&fx, &team1[1]));
    let outsider = [&fx.inspector, &fx.staff, &fx.leader]
        .into_iter()
        .find(|o| !team1.contains(&o.id))
        .unwrap();

    // A second draw, committed but not yet drawn or published.
    let pending = app
        .data(
            fx.staff.auth(),
            CREATE,
            draw_input(&[&fx.inspector, &fx.staff, &fx.leader], 1, 2, json!([])),
        )
        .await;
    let pending = pending["createRandomDraw"]["randomDraw"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = snapshot(&app).await;
    // A DOUBLE_RANDOM inspection names its assignment; no other kind does.
    let mut bare = double_random(&p1, &draw_id, &p1, &[&b.id]);
    bare["input"]
        .as_object_mut()
        .unwrap()
        .remove("drawAssignment");
    refused(
        &app.gql(a.auth(), RECORD, bare).await,
        "BAD_USER_INPUT",
        Some("drawAssignment"),
    );
    let mut supervision = double_random(&p1, &draw_id, &p1, &[&b.id]);
    supervision["input"]["kind"] = json!("DEPARTMENT_SUPERVISION");
    refused(
        &app.gql(a.auth(), RECORD, supervision).await,
        "BAD_USER_INPUT",
        Some("drawAssignment"),
    );
    // The inspection's project is the assignment's.
    refused(
        &app.gql(
            a.auth(),
            RECORD,
            double_random(&p1, &draw_id, &p2, &[&b.id]),
        )
        .await,
        "BAD_USER_INPUT",
        Some("projectId"),
    );
    // Only a drawn member records it, with at least two drawn members and nobody else.
    refused(
        &app.gql(
            outsider.auth(),
            RECORD,
            double_random(&p1, &draw_id, &p1, &[&a.id]),
        )
        .await,
        "FORBIDDEN",
        None,
    );
    let message = refused(
        &app.gql(a.auth(), RECORD, double_random(&p1, &draw_id, &p1, &[]))
            .await,
        "BAD_USER_INPUT",
        Some("inspectorIds"),
    );
    assert!(message.contains("不得少于两人"), "{message}");
    refused(
        &app.gql(
            a.auth(),
            RECORD,
            double_random(&p1, &draw_id, &p1, &[&outsider.id]),
        )
        .await,
        "BAD_USER_INPUT",
        Some("inspectorIds"),
    );
    // A draw not yet published has no assignments to carry out.
    refused(
        &app.gql(
            a.auth(),
            RECORD,
            double_random(&p1, &pending, &p1, &[&b.id]),
        )
        .await,
        "CONFLICT",
        None,
    );
    // Results wait for the inspections; only the draw's managers publish them.
    refused(
        &app.gql(fx.staff.auth(), PUBLISH_RESULTS, json!({ "id": draw_id }))
            .await,
        "CONFLICT",
        None,
    );
    for (caller, code) in [
        (fx.leader.auth(), "FORBIDDEN"),
        (fx.manager.auth(), "FORBIDDEN"),
        (fx.township_staff.auth(), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        refused(
            &app.gql(caller, PUBLISH_RESULTS, json!({ "id": draw_id }))
                .await,
            code,
            None,
        );
    }
    assert_eq!(snapshot(&app).await, before, "refused calls write nothing");

    // The first team records its check (with a hazard found); the assignment is then done.
    let mut first = double_random(&p1, &draw_id, &p1, &[&b.id]);
    first["input"]["hazards"] = json!([{ "level": "GENERAL", "category": "SCAFFOLDING",
        "description": "脚手架连墙件缺失", "location": "3号楼北侧外架" }]);
    let d = app.data(a.auth(), RECORD, first).await;
    assert_eq!(d["recordInspection"]["inspection"]["kind"], "DOUBLE_RANDOM");
    let before = snapshot(&app).await;
    refused(
        &app.gql(
            b.auth(),
            RECORD,
            double_random(&p1, &draw_id, &p1, &[&a.id]),
        )
        .await,
        "CONFLICT",
        None,
    );
    // One of two recorded: still too early to publish.
    let message = refused(
        &app.gql(
            fx.inspector.auth(),
            PUBLISH_RESULTS,
            json!({ "id": draw_id }),
        )
        .await,
        "CONFLICT",
        None,
    );
    assert!(message.contains("还有1项"), "{message}");
    assert_eq!(snapshot(&app).await, before);

    let (c, d2) = (officer(&fx, &team2[0]), officer(&fx, &team2[1]));
    app.data(
        d2.auth(),
        RECORD,
        double_random(&p2, &draw_id, &p2, &[&c.id, &d2.id]),
    )
    .await;
    // Nothing is public before publication.
    let public = app.data(None, RESULTS, json!({})).await;
    assert_eq!(public["publicDrawResults"]["totalCount"], 0);

    let d = app
        .data(
            fx.inspector.auth(),
            PUBLISH_RESULTS,
            json!({ "id": draw_id }),
        )
        .await;
    let published = &d["publishDrawResults"]["randomDraw"];
    assert_eq!(published["late"], false);
    // The deadline: 20 working days after the draw's (Beijing) day, at 24:00 Beijing time.
    let drawn_at = chrono::DateTime::parse_from_rfc3339(published["drawnAt"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let from = jianan_kernel::calendar::local_date(drawn_at).to_string();
    let due = app
        .data(
            fx.inspector.auth(),
            "query($from: Date!) { workingDayDeadline(from: $from, workingDays: 20) }",
            json!({ "from": from }),
        )
        .await;
    let due =
        NaiveDate::parse_from_str(due["workingDayDeadline"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let deadline =
        chrono::DateTime::parse_from_rfc3339(published["publishDeadline"].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc);
    assert_eq!(deadline, jianan_kernel::calendar::end_of_local_day_utc(due));
    assert!(published["resultsPublishedAt"].is_string());
    refused(
        &app.gql(
            fx.inspector.auth(),
            PUBLISH_RESULTS,
            json!({ "id": draw_id }),
        )
        .await,
        "CONFLICT",
        None,
    );

    // Anyone, without logging in, reads who checked which project and the outcome.
    let public = app.data(None, RESULTS, json!({})).await;
    assert_eq!(public["publicDrawResults"]["totalCount"], 1);
    let node = &public["publicDrawResults"]["edges"][0]["node"];
    assert_eq!(node["id"], draw_id.as_str());
    assert_eq!(node["late"], false);
    let outcomes = node["assignments"].as_array().unwrap();
    for (k, (checked, hazards)) in [(vec![&a.id, &b.id], 1), (vec![&d2.id, &c.id], 0)]
        .into_iter()
        .enumerate()
    {
        let o = &outcomes[k]["outcome"];
        assert_eq!(o["status"], "CARRIED_OUT");
        assert_eq!(o["result"], "RECTIFY");
        assert_eq!(o["hazardsFound"], hazards);
        assert!(o["inspectionId"].is_string() && o["inspectedAt"].is_string());
        let by: Vec<&str> = o["checkedBy"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(by, checked.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        assert!(o["checkedBy"][0]["name"].as_str().unwrap().contains("测试"));
    }
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'inspections.draw_results_published'"
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'inspections.draw.publish_results'"
        )
        .await,
        1
    );
    // Published results are frozen: nothing more is recorded against the draw.
    let before = snapshot(&app).await;
    let message = refused(
        &app.gql(
            b.auth(),
            RECORD,
            double_random(&p1, &draw_id, &p1, &[&a.id]),
        )
        .await,
        "CONFLICT",
        None,
    );
    assert!(message.contains("已经公示"), "{message}");
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assignments_never_carried_out_are_published_as_such_once_the_deadline_passed() {
    let (app, fx) = Fixture::spawn().await;
    let (draw_id, assignments) = published_draw(&app, &fx).await;
    let (p1, team1) = assignments[0].clone();
    let (a, b) = (officer(&fx, &team1[0]), officer(&fx, &team1[1]));
    app.data(
        a.auth(),
        RECORD,
        double_random(&p1, &draw_id, &p1, &[&b.id]),
    )
    .await;
    let d = app
        .data(fx.inspector.auth(), DRAW, json!({ "id": draw_id }))
        .await;
    assert_eq!(d["node"]["late"], false);
    assert!(d["node"]["assignments"][0]["outcome"].is_null());

    // Time travel: the completion deadline and the results deadline have both passed.
    // (the app's only draw; ids are stored differently by each database)
    app.exec(
        "UPDATE random_draw SET deadline_at = '2026-01-05 16:00:00+00:00', \
         results_deadline_at = '2026-01-06 16:00:00+00:00'",
    )
    .await;
    let d = app
        .data(fx.inspector.auth(), DRAW, json!({ "id": draw_id }))
        .await;
    assert_eq!(d["node"]["late"], true, "unpublished past the deadline");

    let d = app
        .data(fx.staff.auth(), PUBLISH_RESULTS, json!({ "id": draw_id }))
        .await;
    assert_eq!(d["publishDrawResults"]["randomDraw"]["late"], true);
    let public = app.data(None, RESULTS, json!({})).await;
    let node = &public["publicDrawResults"]["edges"][0]["node"];
    assert_eq!(node["late"], true);
    let first = &node["assignments"][0]["outcome"];
    assert_eq!(first["status"], "CARRIED_OUT");
    let second = &node["assignments"][1]["outcome"];
    assert_eq!(second["status"], "NOT_CARRIED_OUT");
    assert!(second["result"].is_null() && second["inspectionId"].is_null());
    assert_eq!(second["checkedBy"], json!([]));

    // The gap stays in the public record: the missing assignment can no longer be recorded.
    let (p2, team2) = assignments[1].clone();
    let (c, d2) = (officer(&fx, &team2[0]), officer(&fx, &team2[1]));
    let before = snapshot(&app).await;
    refused(
        &app.gql(
            c.auth(),
            RECORD,
            double_random(&p2, &draw_id, &p2, &[&d2.id]),
        )
        .await,
        "CONFLICT",
        None,
    );
    assert_eq!(snapshot(&app).await, before);
}

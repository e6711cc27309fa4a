//! Inspection records (issue #7 items 1, 2, 5): who records which kind, whose supervision a
//! record credits, and that every refused call writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const RECORD: &str = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection {
  id kind late recordedAt recordedBy { id } inspectors { id username } confirmedInspectors { id } } } }";
const CONFIRM: &str =
    "mutation($id: ID!) { confirmInspectionParticipation(input: {id: $id}) { inspection {
  id confirmedInspectors { id } } } }";
const COMPLIANCE: &str = "query($code: String!, $date: Date!, $subject: ID) {
  obligationCompliance(code: $code, date: $date, subjectId: $subject) { subjects { subjectId count } } }";
const LEADER_MONTHLY: &str = "inspections.leader_monthly_supervision";

/// An inspection input dated within the current period (now, minus an hour).
fn input(project: &str, kind: &str, inspectors: &[&str]) -> Value {
    let at = jianan_tests::recently().to_rfc3339();
    json!({ "input": { "projectId": project, "kind": kind, "inspectedAt": at,
        "findings": "现场检查", "result": "RECTIFY", "inspectorIds": inspectors } })
}

/// Rows that a refused call must leave alone.
async fn snapshot(app: &TestApp) -> [i64; 5] {
    [
        app.count("inspection").await,
        app.count("inspection_participant").await,
        app.count("obligation_evidence").await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
    ]
}

/// The leader's count of monthly supervisions this month, as the commission sees it.
async fn leader_count(app: &TestApp, fx: &Fixture) -> i64 {
    let today = chrono::Utc::now()
        .with_timezone(&jianan_kernel::calendar::shanghai())
        .date_naive()
        .to_string();
    let d = app
        .data(
            fx.admin.auth(),
            COMPLIANCE,
            json!({ "code": LEADER_MONTHLY, "date": today, "subject": fx.leader.id }),
        )
        .await;
    d["obligationCompliance"]["subjects"][0]["count"]
        .as_i64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_self_check_kind_is_recorded_only_by_whom_owes_it() {
    let (app, fx) = Fixture::spawn().await;
    let p = fx.project.id.clone();
    // The owing accounts of the contractor record their own kinds.
    for (who, kind) in [
        (&fx.safety, "SAFETY_MANAGER_DAILY"),
        (&fx.project_leader, "PROJECT_LEADER_WEEKLY"),
        (&fx.manager, "ENTERPRISE_MONTHLY"),
    ] {
        let d = app.data(who.auth(), RECORD, input(&p, kind, &[])).await;
        let i = &d["recordInspection"]["inspection"];
        assert_eq!(i["kind"], kind);
        assert_eq!(i["recordedBy"]["id"], who.id.as_str());
        assert_eq!(i["late"], false);
        assert!(i["recordedAt"].as_str().is_some());
    }
    // Anyone else is refused, naming who may, and nothing is written: the wrong role of the
    // contractor, and the supervision firm (监理) that sees the site.
    let before = snapshot(&app).await;
    for (who, kind, may) in [
        (&fx.project_leader, "SAFETY_MANAGER_DAILY", "专职安全员"),
        (&fx.manager, "SAFETY_MANAGER_DAILY", "专职安全员"),
        (&fx.safety, "PROJECT_LEADER_WEEKLY", "项目负责人"),
        (&fx.manager, "PROJECT_LEADER_WEEKLY", "项目负责人"),
        (&fx.safety, "ENTERPRISE_MONTHLY", "企业负责人"),
        (&fx.project_leader, "ENTERPRISE_MONTHLY", "企业负责人"),
        (&fx.supervision, "ENTERPRISE_MONTHLY", "企业负责人"),
        (&fx.inspector, "SAFETY_MANAGER_DAILY", ""),
    ] {
        let body = app.gql(who.auth(), RECORD, input(&p, kind, &[])).await;
        assert_eq!(
            error_code(&body),
            "FORBIDDEN",
            "{} {kind}: {body}",
            who.username
        );
        let msg = body["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains(may), "{msg}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspector_ids_must_be_active_accounts_of_fitting_roles() {
    let (app, fx) = Fixture::spawn().await;
    let p = fx.project.id.clone();
    // Commission kinds list commission people; self-checks list the recording enterprise's.
    let d = app
        .data(
            fx.inspector.auth(),
            RECORD,
            input(&p, "DEPARTMENT_SUPERVISION", &[&fx.staff.id, &fx.expert.id]),
        )
        .await;
    let names: Vec<&str> = d["recordInspection"]["inspection"]["inspectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [fx.staff.username.as_str(), fx.expert.username.as_str()]
    );
    app.data(
        fx.safety.auth(),
        RECORD,
        input(&p, "SAFETY_MANAGER_DAILY", &[&fx.manager.id]),
    )
    .await;

    app.exec(&format!(
        "UPDATE account SET archived_at = '2026-11-01 00:00:00+00:00' WHERE username = '{}'",
        fx.township_staff.username
    ))
    .await;
    let unknown = jianan_kernel::relay::encode_id("Account", uuid::Uuid::now_v7()).to_string();
    let before = snapshot(&app).await;
    for (who, kind, listed) in [
        // An enterprise account on a commission inspection.
        (
            &fx.inspector,
            "DEPARTMENT_SUPERVISION",
            fx.safety.id.clone(),
        ),
        // A service account.
        (
            &fx.inspector,
            "LEADERSHIP_SUPERVISION",
            fx.bureau.id.clone(),
        ),
        // A disabled account.
        (
            &fx.inspector,
            "DEPARTMENT_SUPERVISION",
            fx.township_staff.id.clone(),
        ),
        // No such account.
        (&fx.inspector, "DEPARTMENT_SUPERVISION", unknown.clone()),
        // The commission, or the supervision firm, on the contractor's self-check.
        (&fx.safety, "SAFETY_MANAGER_DAILY", fx.inspector.id.clone()),
        (
            &fx.safety,
            "SAFETY_MANAGER_DAILY",
            fx.supervision.id.clone(),
        ),
    ] {
        let body = app
            .gql(who.auth(), RECORD, input(&p, kind, &[&listed]))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{kind}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "inspectorIds");
    }
    // Listing someone twice.
    let body = app
        .gql(
            fx.inspector.auth(),
            RECORD,
            input(&p, "DEPARTMENT_SUPERVISION", &[&fx.staff.id, &fx.staff.id]),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "inspectorIds");
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervision_counts_for_a_listed_leader_only_once_the_leader_confirms() {
    let (app, fx) = Fixture::spawn().await;
    let p = fx.project.id.clone();
    assert_eq!(leader_count(&app, &fx).await, 0);
    // A township account records a leadership supervision listing the leader and an inspector.
    let d = app
        .data(
            fx.township_staff.auth(),
            RECORD,
            input(
                &p,
                "LEADERSHIP_SUPERVISION",
                &[&fx.leader.id, &fx.inspector.id],
            ),
        )
        .await;
    let id = d["recordInspection"]["inspection"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        leader_count(&app, &fx).await,
        0,
        "listing the leader is not the leader taking part"
    );

    // Nobody else confirms for the leader: not the recorder, not an unlisted account.
    let before = snapshot(&app).await;
    for who in [&fx.township_staff, &fx.staff, &fx.manager] {
        let body = app.gql(who.auth(), CONFIRM, json!({ "id": id })).await;
        assert!(
            ["FORBIDDEN", "NOT_FOUND"].contains(&error_code(&body)),
            "{}: {body}",
            who.username
        );
    }
    assert_eq!(snapshot(&app).await, before);

    // The leader confirms: now it counts, once.
    let d = app
        .data(fx.leader.auth(), CONFIRM, json!({ "id": id }))
        .await;
    assert_eq!(
        d["confirmInspectionParticipation"]["inspection"]["confirmedInspectors"][0]["id"],
        fx.leader.id.as_str()
    );
    assert_eq!(leader_count(&app, &fx).await, 1);
    let before = snapshot(&app).await;
    let body = app
        .gql(fx.leader.auth(), CONFIRM, json!({ "id": id }))
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(leader_count(&app, &fx).await, 1);

    // A listed inspector may confirm too; it does not hold the leader's duty.
    app.data(fx.inspector.auth(), CONFIRM, json!({ "id": id }))
        .await;
    assert_eq!(leader_count(&app, &fx).await, 1);

    // The leader recording one in person is credited at once.
    app.data(
        fx.leader.auth(),
        RECORD,
        input(&p, "LEADERSHIP_SUPERVISION", &[]),
    )
    .await;
    assert_eq!(leader_count(&app, &fx).await, 2);
}

/// Yesterday at 10:00 in Shanghai.
fn yesterday_morning() -> chrono::DateTime<chrono::Utc> {
    use jianan_kernel::calendar::{local_midnight_utc, today};
    local_midnight_utc(today() - chrono::Duration::days(1)) + chrono::Duration::hours(10)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspected_at_must_fall_in_an_open_period_or_its_grace_window() {
    let (app, fx) = Fixture::spawn().await;
    let p = fx.project.id.clone();
    let with_time = |kind: &str, at: chrono::DateTime<chrono::Utc>| {
        let mut i = input(&p, kind, &[]);
        i["input"]["inspectedAt"] = json!(at.to_rfc3339());
        i
    };
    // The case: a monthly self-check dated two months back, into a closed period.
    let before = snapshot(&app).await;
    let now = chrono::Utc::now();
    for (who, kind, at) in [
        (
            &fx.manager,
            "ENTERPRISE_MONTHLY",
            now - chrono::Duration::days(62),
        ),
        (
            &fx.safety,
            "SAFETY_MANAGER_DAILY",
            now - chrono::Duration::days(5),
        ),
        (
            &fx.safety,
            "SAFETY_MANAGER_DAILY",
            now + chrono::Duration::hours(2),
        ),
        (&fx.inspector, "COVERT", now - chrono::Duration::days(6)),
    ] {
        let body = app.gql(who.auth(), RECORD, with_time(kind, at)).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{kind} {at}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "inspectedAt");
        let msg = body["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains("检查时间"), "{msg}");
    }
    assert_eq!(snapshot(&app).await, before);

    // Yesterday's daily check, recorded today: inside the grace window (3 days by default), kept
    // and shown as late, never counted for yesterday (when the site was already active).
    app.exec(jianan_tests::BACKDATE_HISTORY).await;
    let evidence = app.count("obligation_evidence").await;
    let d = app
        .data(
            fx.safety.auth(),
            RECORD,
            with_time("SAFETY_MANAGER_DAILY", yesterday_morning()),
        )
        .await;
    assert_eq!(d["recordInspection"]["inspection"]["late"], true);
    assert_eq!(app.count("obligation_evidence").await, evidence);
    let yesterday = (jianan_kernel::calendar::today() - chrono::Duration::days(1)).to_string();
    let c = app
        .data(
            fx.admin.auth(),
            COMPLIANCE,
            json!({ "code": "inspections.safety_manager_daily", "date": yesterday, "subject": p }),
        )
        .await;
    assert_eq!(c["obligationCompliance"]["subjects"][0]["count"], 0);
    // Today's counts.
    let d = app
        .data(
            fx.safety.auth(),
            RECORD,
            input(&p, "SAFETY_MANAGER_DAILY", &[]),
        )
        .await;
    assert_eq!(d["recordInspection"]["inspection"]["late"], false);
    assert_eq!(app.count("obligation_evidence").await, evidence + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_after_the_period_closed_credits_nobody() {
    let (app, fx) = Fixture::spawn().await;
    let p = fx.project.id.clone();
    let d = app
        .data(
            fx.township_staff.auth(),
            RECORD,
            input(&p, "LEADERSHIP_SUPERVISION", &[&fx.leader.id]),
        )
        .await;
    let id = d["recordInspection"]["inspection"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The leader confirms only after the month has ended (moved back 40 days).
    let back = (chrono::Utc::now() - chrono::Duration::days(40)).format("%Y-%m-%d %H:%M:%S+00:00");
    app.exec(&format!(
        "UPDATE inspection SET inspected_at = '{back}' WHERE kind = 'LEADERSHIP_SUPERVISION'"
    ))
    .await;
    let evidence = app.count("obligation_evidence").await;
    let d = app
        .data(fx.leader.auth(), CONFIRM, json!({ "id": id }))
        .await;
    assert_eq!(
        d["confirmInspectionParticipation"]["inspection"]["confirmedInspectors"][0]["id"],
        fx.leader.id.as_str(),
        "the confirmation is kept"
    );
    assert_eq!(
        app.count("obligation_evidence").await,
        evidence,
        "but a closed month is not changed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_jgj59_rating_cannot_conclude_no_problem() {
    let (app, fx) = Fixture::spawn().await;
    let p = fx.project.id.clone();
    // 安全管理 item 4 (guaranteed, 10 points) fully deducted zeroes the sheet: 不合格.
    let failing = json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "safety_management",
        "items": [{ "item": "4", "deduction": 10 }, { "item": "1", "deduction": 0 }, { "item": "2", "deduction": 0 },
          { "item": "3", "deduction": 0 }, { "item": "5", "deduction": 0 }, { "item": "6", "deduction": 0 }] }] });
    let mut i = input(&p, "DEPARTMENT_SUPERVISION", &[]);
    i["input"]["checklist"] = failing;
    i["input"]["result"] = json!("NO_PROBLEM");
    let before = snapshot(&app).await;
    let body = app.gql(fx.inspector.auth(), RECORD, i.clone()).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "result");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("不合格")
    );
    assert_eq!(snapshot(&app).await, before);
    // The same record concluding RECTIFY is kept, and calls for a scored re-inspection of the
    // project within 10 working days (JGJ 59-2011 §5.0.3; the default setting).
    i["input"]["result"] = json!("RECTIFY");
    let d = app.data(fx.inspector.auth(), RECORD, i).await;
    assert_eq!(app.count("inspection").await, before[0] + 1);
    let failed = d["recordInspection"]["inspection"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    const REINSPECTION: &str = "query($id: ID!) { node(id: $id) { ... on Inspection { inspectedAt
      reinspection { dueAt byCommission overdue fulfilledAt fulfilledBy { id } } } } }";
    const DUE: &str = "{ inspections(reinspectionDue: true, first: 10) { nodes { id } } }";
    let r = app
        .data(fx.inspector.auth(), REINSPECTION, json!({ "id": failed }))
        .await;
    let at: chrono::DateTime<chrono::Utc> =
        r["node"]["inspectedAt"].as_str().unwrap().parse().unwrap();
    let due: chrono::DateTime<chrono::Utc> = r["node"]["reinspection"]["dueAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(due, app.server().kernel.calendar().deadline_instant(at, 10));
    assert_eq!(r["node"]["reinspection"]["byCommission"], true);
    assert_eq!(r["node"]["reinspection"]["overdue"], false);
    let due_list = app.data(fx.inspector.auth(), DUE, json!({})).await;
    assert_eq!(due_list["inspections"]["nodes"][0]["id"], failed.as_str());

    // A scored self-check of the enterprise does not carry out the commission's re-inspection; a
    // passing scored commission inspection does.
    let passing = json!({ "templateCode": "JGJ59-2011", "sheets": [{ "sheet": "safety_management",
        "items": [{ "item": "1", "deduction": 0 }, { "item": "2", "deduction": 0 }, { "item": "3", "deduction": 0 },
          { "item": "4", "deduction": 0 }, { "item": "5", "deduction": 0 }, { "item": "6", "deduction": 0 }] }] });
    let mut own = input(&p, "SAFETY_MANAGER_DAILY", &[]);
    own["input"]["checklist"] = passing.clone();
    app.data(fx.safety.auth(), RECORD, own).await;
    let r = app
        .data(fx.inspector.auth(), REINSPECTION, json!({ "id": failed }))
        .await;
    assert_eq!(r["node"]["reinspection"]["fulfilledAt"], Value::Null);
    let mut again = input(&p, "DEPARTMENT_SUPERVISION", &[]);
    again["input"]["checklist"] = passing;
    let d = app.data(fx.inspector.auth(), RECORD, again).await;
    let second = d["recordInspection"]["inspection"]["id"].as_str().unwrap();
    let r = app
        .data(fx.inspector.auth(), REINSPECTION, json!({ "id": failed }))
        .await;
    assert_eq!(r["node"]["reinspection"]["fulfilledBy"]["id"], second);
    let due_list = app.data(fx.inspector.auth(), DUE, json!({})).await;
    assert!(
        due_list["inspections"]["nodes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scored_inspection_always_answers_the_safety_management_sheet() {
    let (app, fx) = Fixture::spawn().await;
    let mut i = input(&fx.project.id, "DEPARTMENT_SUPERVISION", &[]);
    for sheets in [
        json!([{ "sheet": "civilized_construction", "items": [
            { "item": "1", "deduction": 0 }, { "item": "2", "deduction": 0 }, { "item": "3", "deduction": 0 },
            { "item": "4", "deduction": 0 }, { "item": "5", "deduction": 0 }, { "item": "6", "deduction": 0 }] }]),
        json!([{ "sheet": "safety_management", "notApplicable": true, "items": [] }]),
    ] {
        i["input"]["checklist"] = json!({ "templateCode": "JGJ59-2011", "sheets": sheets });
        let before = snapshot(&app).await;
        let body = app.gql(fx.inspector.auth(), RECORD, i.clone()).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "checklist");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("适用于每个工地"),
            "{body}"
        );
        assert_eq!(snapshot(&app).await, before);
    }
}

//! Duty (measure 9): key periods, early warnings with acknowledgement and escalation, and the
//! 24-hour roster whose gaps are missed obligations — over HTTP, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeDelta, Utc};
use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const ISSUE: &str = "mutation($input: IssueWarningInput!) { issueWarning(input: $input) {
  warning { id level ackDueAt requiredActions targets { kind label } } } }";
const ACK: &str = "mutation($input: AcknowledgeWarningInput!) { acknowledgeWarning(input: $input) {
  warning { id acknowledgement { targets acknowledged onTime escalated rate } } } }";
const WARNINGS: &str = "{ dutyWarnings(first: 10) { totalCount edges { node { id title
  targets { kind label acknowledgedAt escalatedAt }
  acknowledgement { targets acknowledged onTime escalated rate } } } } }";
const ASSIGN: &str = "mutation($input: AssignDutyShiftInput!) { assignDutyShift(input: $input) {
  shift { id post phone startsAt endsAt version person { id } } } }";
const ROSTER: &str = "query($date: Date!) { dutyRoster(date: $date) { date holiday covered
  shifts { id post phone } gaps { post from until } } }";
const COMPLIANCE: &str = "query($code: String!, $date: Date!) {
  obligationCompliance(code: $code, date: $date) { period metCount missedCount
    subjects { label met count owedDays } } }";

/// Rows a refused request must leave as they were.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    app.settle().await;
    let mut out = Vec::new();
    for t in [
        "duty_key_period",
        "duty_warning",
        "duty_warning_target",
        "duty_shift",
        "duty_incident_report",
        "duty_incident_update",
        "duty_emergency_response",
        "duty_emergency_response_step",
        "duty_emergency_response_report",
        "obligation_evidence",
        "notification",
        "audit_log",
        "outbox_event",
    ] {
        out.push(app.count(t).await);
    }
    out
}

fn field(body: &Value) -> &str {
    body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or("")
}

async fn topic_count(app: &TestApp, topic: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = '{topic}'"
    ))
    .await
}

async fn notification_kinds(app: &TestApp, token: &str) -> Vec<String> {
    let d = app
        .data(
            Some(token),
            "{ notifications(first: 50) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    d["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unacknowledged_warning_escalates_exactly_once_at_its_deadline() {
    let (app, fx) = Fixture::spawn().await;
    let targets = json!([
        { "kind": "TOWNSHIP", "id": fx.township.id },
        { "kind": "PROJECT", "id": fx.project.id },
        { "kind": "DEPARTMENT", "id": fx.department.id },
    ]);
    let input = |targets: Value| {
        json!({ "input": { "level": "RED", "title": "暴雨红色预警",
            "message": "预计未来6小时有大暴雨，请立即停止高处和深基坑作业。",
            "requiredActions": ["停止露天高处作业", "深基坑专人值守"],
            "targets": targets, "idempotencyKey": "warn-1" } })
    };

    // Refused, nothing written: township staff may not issue; no target; a project given as a
    // township.
    let before = snapshot(&app).await;
    let r = app
        .gql(fx.township_staff.auth(), ISSUE, input(targets.clone()))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    let r = app.gql(fx.staff.auth(), ISSUE, input(json!([]))).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(field(&r), "targets");
    let r = app
        .gql(
            fx.staff.auth(),
            ISSUE,
            input(json!([{ "kind": "TOWNSHIP", "id": fx.department.id }])),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(snapshot(&app).await, before);

    // Issued by department staff; a retry with the same key returns the same warning.
    let d = app
        .data(fx.staff.auth(), ISSUE, input(targets.clone()))
        .await;
    let w = d["issueWarning"]["warning"].clone();
    assert_eq!(w["targets"].as_array().unwrap().len(), 3, "{w}");
    assert_eq!(w["requiredActions"][1], "深基坑专人值守");
    let again = app.data(fx.staff.auth(), ISSUE, input(targets)).await;
    assert_eq!(again["issueWarning"]["warning"]["id"], w["id"]);
    assert_eq!(app.count("duty_warning").await, 1);
    let id = w["id"].as_str().unwrap().to_owned();
    let due: DateTime<Utc> = w["ackDueAt"].as_str().unwrap().parse().unwrap();
    app.settle().await;
    assert_eq!(topic_count(&app, "duty.warning_issued").await, 1);
    // The township's staff and the project's enterprise were told.
    for t in [fx.township_staff.token.as_str(), fx.manager.token.as_str()] {
        assert!(
            notification_kinds(&app, t)
                .await
                .contains(&"duty.warning_issued".to_owned())
        );
    }

    // Scopes: the other project's enterprise sees no warning and cannot acknowledge it.
    let other = app.data(fx.other_manager.auth(), WARNINGS, json!({})).await;
    assert_eq!(other["dutyWarnings"]["totalCount"], 0, "{other}");
    let before = snapshot(&app).await;
    let r = app
        .gql(
            fx.other_manager.auth(),
            ACK,
            json!({ "input": { "warningId": id } }),
        )
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND", "{r}");
    // An inspector may read it but answers for no target.
    let r = app
        .gql(
            fx.inspector.auth(),
            ACK,
            json!({ "input": { "warningId": id } }),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    assert_eq!(snapshot(&app).await, before);

    // The township acknowledges, once.
    let d = app
        .data(
            fx.township_staff.auth(),
            ACK,
            json!({ "input": { "warningId": id, "note": "已转发各村（社区）" } }),
        )
        .await;
    let a = &d["acknowledgeWarning"]["warning"]["acknowledgement"];
    // Township staff see their own township's targets: the township and the project in it.
    assert_eq!(a["targets"], 2, "{a}");
    assert_eq!(a["acknowledged"], 1);
    let before = snapshot(&app).await;
    let r = app
        .gql(
            fx.township_staff.auth(),
            ACK,
            json!({ "input": { "warningId": id } }),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    assert_eq!(snapshot(&app).await, before);

    // The clock: a second before the deadline nothing escalates; at the deadline the project
    // and the department do — once, even with two schedulers racing — and never again.
    let k = &app.server().kernel;
    let escalate = |at| jianan_duty::service::warning::escalate_due(k, at);
    assert_eq!(escalate(due - TimeDelta::seconds(1)).await.unwrap(), 0);
    let (a, b) = tokio::join!(escalate(due), escalate(due));
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(escalate(due + TimeDelta::hours(1)).await.unwrap(), 0);
    assert_eq!(escalate(due + TimeDelta::days(2)).await.unwrap(), 0);
    app.settle().await;
    assert_eq!(topic_count(&app, "duty.warning_escalated").await, 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'duty.warning.escalate'")
            .await,
        2
    );
    // The leaders, the issuer and the silent targets' people hear of it.
    for t in [
        fx.leader.token.as_str(),
        fx.staff.token.as_str(),
        fx.manager.token.as_str(),
    ] {
        assert!(
            notification_kinds(&app, t)
                .await
                .contains(&"duty.warning_escalated".to_owned()),
            "{t}"
        );
    }
    assert!(
        !notification_kinds(&app, &fx.township_staff.token)
            .await
            .contains(&"duty.warning_escalated".to_owned()),
        "the township acknowledged in time"
    );

    // A late acknowledgement is recorded, but stays late and escalated.
    app.data(
        fx.manager.auth(),
        ACK,
        json!({ "input": { "warningId": id } }),
    )
    .await;
    let all = app.data(fx.leader.auth(), WARNINGS, json!({})).await;
    let a = &all["dutyWarnings"]["edges"][0]["node"]["acknowledgement"];
    assert_eq!(a["targets"], 3, "{a}");
    assert_eq!(a["acknowledged"], 2);
    assert_eq!(a["onTime"], 1);
    assert_eq!(a["escalated"], 2);
    assert!((a["rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(escalate(due + TimeDelta::days(3)).await.unwrap(), 0);

    // Statistics by level, within scope.
    let today = jianan_kernel::calendar::today().to_string();
    let s = app
        .data(
            fx.leader.auth(),
            "query($d: Date!) { dutyWarningStatistics(from: $d, to: $d) { level warnings
              acknowledgement { targets acknowledged onTime escalated } } }",
            json!({ "d": today }),
        )
        .await;
    let red = s["dutyWarningStatistics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["level"] == "RED")
        .unwrap()
        .clone();
    assert_eq!(red["warnings"], 1, "{s}");
    assert_eq!(red["acknowledgement"]["targets"], 3);
    assert_eq!(red["acknowledgement"]["escalated"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_gap_on_a_holiday_shows_as_a_missed_obligation() {
    let (app, fx) = Fixture::spawn().await;
    // New Year's Day 2027 and the day after are statutory holidays.
    let set = app
        .data(
            fx.admin.auth(),
            "mutation($input: SetCalendarDaysInput!) { setCalendarDays(input: $input) { days { date } } }",
            json!({ "input": { "year": 2027, "days": [
                { "date": "2027-01-01", "kind": "HOLIDAY", "note": "元旦" },
                { "date": "2027-01-02", "kind": "HOLIDAY", "note": "元旦" },
            ] } }),
        )
        .await;
    assert_eq!(set["setCalendarDays"]["days"].as_array().unwrap().len(), 2);

    // Midnight of 1 and 2 January in Shanghai.
    let jan1: DateTime<Utc> = "2026-12-31T16:00:00Z".parse().unwrap();
    let h = |n: i64| (jan1 + TimeDelta::hours(n)).to_rfc3339();
    let shift = |post: &str, who: &str, from: i64, to: i64| {
        json!({ "input": { "post": post, "accountId": who, "phone": "13800000001",
            "startsAt": h(from), "endsAt": h(to) } })
    };

    // Refused, nothing written: township staff may not keep the roster; a leader's post for
    // someone who is not a leader; a shift over 24 hours; a shift already over; a bad phone.
    let before = snapshot(&app).await;
    let r = app
        .gql(
            fx.township_staff.auth(),
            ASSIGN,
            shift("LEADER", &fx.leader.id, 0, 24),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    let r = app
        .gql(
            fx.staff.auth(),
            ASSIGN,
            shift("LEADER", &fx.staff.id, 0, 24),
        )
        .await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "accountId"),
        "{r}"
    );
    let r = app
        .gql(
            fx.staff.auth(),
            ASSIGN,
            shift("LEADER", &fx.leader.id, 0, 25),
        )
        .await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "endsAt"),
        "{r}"
    );
    let past = json!({ "input": { "post": "STAFF", "accountId": fx.staff.id, "phone": "13800000001",
        "startsAt": (Utc::now() - TimeDelta::hours(5)).to_rfc3339(),
        "endsAt": (Utc::now() - TimeDelta::hours(1)).to_rfc3339() } });
    let r = app.gql(fx.staff.auth(), ASSIGN, past).await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "endsAt"),
        "{r}"
    );
    let mut bad_phone = shift("STAFF", &fx.staff.id, 0, 8);
    bad_phone["input"]["phone"] = json!("12345");
    let r = app.gql(fx.staff.auth(), ASSIGN, bad_phone).await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "phone"),
        "{r}"
    );
    assert_eq!(snapshot(&app).await, before);

    // 1 January: the leader all day, staff only until 16:00 — the evening is a gap.
    app.data(
        fx.staff.auth(),
        ASSIGN,
        shift("LEADER", &fx.leader.id, 0, 24),
    )
    .await;
    app.data(fx.staff.auth(), ASSIGN, shift("STAFF", &fx.staff.id, 0, 16))
        .await;
    // The same person twice at once is refused.
    let before = snapshot(&app).await;
    let r = app
        .gql(
            fx.staff.auth(),
            ASSIGN,
            shift("STAFF", &fx.staff.id, 10, 20),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    assert_eq!(snapshot(&app).await, before);
    // 2 January: both posts around the clock, in two staff shifts.
    app.data(
        fx.staff.auth(),
        ASSIGN,
        shift("LEADER", &fx.leader.id, 24, 48),
    )
    .await;
    app.data(
        fx.staff.auth(),
        ASSIGN,
        shift("STAFF", &fx.inspector.id, 24, 36),
    )
    .await;
    let last = app
        .data(
            fx.staff.auth(),
            ASSIGN,
            shift("STAFF", &fx.staff.id, 36, 48),
        )
        .await;
    let last_id = last["assignDutyShift"]["shift"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = app
        .data(
            fx.township_staff.auth(),
            ROSTER,
            json!({ "date": "2027-01-01" }),
        )
        .await;
    let day = &r["dutyRoster"];
    assert_eq!(day["holiday"], true, "{day}");
    assert_eq!(day["covered"], false);
    assert_eq!(day["shifts"].as_array().unwrap().len(), 2);
    assert_eq!(day["shifts"][0]["phone"], "13800000001");
    assert_eq!(
        day["gaps"],
        json!([{ "post": "STAFF", "from": "2027-01-01T08:00:00+00:00",
                 "until": "2027-01-01T16:00:00+00:00" }])
    );
    let r = app
        .data(fx.staff.auth(), ROSTER, json!({ "date": "2027-01-02" }))
        .await;
    assert_eq!(r["dutyRoster"]["covered"], true, "{r}");
    assert_eq!(r["dutyRoster"]["holiday"], true);
    // Enterprises do not read the roster.
    let r = app
        .gql(fx.manager.auth(), ROSTER, json!({ "date": "2027-01-02" }))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");

    // The clock: close both holidays. The day with a gap is missed, the covered one met.
    let k = &app.server().kernel;
    let o = k
        .obligations
        .iter()
        .find(|o| o.def().code == "duty.roster_coverage")
        .unwrap();
    assert!(!o.def().exempt_holidays);
    let day =
        |d: &str| jianan_kernel::calendar::Period::containing(o.def().period, d.parse().unwrap());
    let missed = jianan_kernel::obligations::close_period(k, o.as_ref(), day("2027-01-01"))
        .await
        .unwrap();
    assert_eq!(missed, 1);
    let met = jianan_kernel::obligations::close_period(k, o.as_ref(), day("2027-01-02"))
        .await
        .unwrap();
    assert_eq!(met, 0);
    app.settle().await;
    let c = app
        .data(
            fx.staff.auth(),
            COMPLIANCE,
            json!({ "code": "duty.roster_coverage", "date": "2027-01-01" }),
        )
        .await;
    let c = &c["obligationCompliance"];
    assert_eq!(c["missedCount"], 1, "{c}");
    assert_eq!(c["subjects"][0]["met"], false);
    assert_eq!(c["subjects"][0]["owedDays"], 1, "a holiday is owed");
    let c = app
        .data(
            fx.staff.auth(),
            COMPLIANCE,
            json!({ "code": "duty.roster_coverage", "date": "2027-01-02" }),
        )
        .await;
    assert_eq!(c["obligationCompliance"]["metCount"], 1, "{c}");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'kernel.obligation_missed' \
             AND payload LIKE '%duty.roster_coverage%'"
        )
        .await,
        1
    );
    assert!(
        notification_kinds(&app, &fx.staff.token)
            .await
            .contains(&"kernel.obligation_missed".to_owned())
    );

    // A swap is approved by the commission's staff and audited; the day stays covered.
    let swap = "mutation($input: SwapDutyShiftInput!) { swapDutyShift(input: $input) {
      shift { id phone version person { id } } } }";
    let input = json!({ "input": { "shiftId": last_id, "toAccountId": fx.admin.id,
        "phone": "13900000002", "reason": "家中有事", "expectedVersion": 1 } });
    let before = snapshot(&app).await;
    let r = app.gql(fx.township_staff.auth(), swap, input.clone()).await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    assert_eq!(snapshot(&app).await, before);
    let d = app.data(fx.leader.auth(), swap, input.clone()).await;
    assert_eq!(
        d["swapDutyShift"]["shift"]["person"]["id"],
        fx.admin.id.as_str()
    );
    assert_eq!(d["swapDutyShift"]["shift"]["version"], 2);
    let mut stale = input.clone();
    stale["input"]["toAccountId"] = json!(fx.inspector.id);
    let r = app.gql(fx.leader.auth(), swap, stale).await;
    assert_eq!(error_code(&r), "CONFLICT", "stale version: {r}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'duty.roster.swap'")
            .await,
        1
    );
    let r = app
        .data(fx.staff.auth(), ROSTER, json!({ "date": "2027-01-02" }))
        .await;
    assert_eq!(r["dutyRoster"]["covered"], true, "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_on_duty_checks_in_for_their_own_shift_only() {
    let (app, fx) = Fixture::spawn().await;
    let now = Utc::now();
    let d = app
        .data(
            fx.staff.auth(),
            ASSIGN,
            json!({ "input": { "post": "STAFF", "accountId": fx.inspector.id, "phone": "13800000003",
                "startsAt": (now - TimeDelta::hours(1)).to_rfc3339(),
                "endsAt": (now + TimeDelta::hours(2)).to_rfc3339() } }),
        )
        .await;
    let id = d["assignDutyShift"]["shift"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let later = app
        .data(
            fx.staff.auth(),
            ASSIGN,
            json!({ "input": { "post": "STAFF", "accountId": fx.inspector.id, "phone": "13800000003",
                "startsAt": (now + TimeDelta::hours(5)).to_rfc3339(),
                "endsAt": (now + TimeDelta::hours(8)).to_rfc3339() } }),
        )
        .await;
    let later = later["assignDutyShift"]["shift"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let check_in = "mutation($id: ID!) { checkInDutyShift(input: {shiftId: $id}) {
      shift { id checkedInAt } } }";

    let before = snapshot(&app).await;
    // Someone else's shift; a shift that has not started; a role that does not check in.
    let r = app
        .gql(fx.staff.auth(), check_in, json!({ "id": id }))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    let r = app
        .gql(fx.inspector.auth(), check_in, json!({ "id": later }))
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    let r = app
        .gql(fx.township_staff.auth(), check_in, json!({ "id": id }))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    assert_eq!(snapshot(&app).await, before);

    let d = app
        .data(fx.inspector.auth(), check_in, json!({ "id": id }))
        .await;
    assert!(
        d["checkInDutyShift"]["shift"]["checkedInAt"].is_string(),
        "{d}"
    );
    let r = app
        .gql(fx.inspector.auth(), check_in, json!({ "id": id }))
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_of_a_key_period_is_published_for_the_experts() {
    let (app, fx) = Fixture::spawn().await;
    let today = jianan_kernel::calendar::today();
    let on = |d: i64| (today + TimeDelta::days(d)).to_string();
    let declare = "mutation($input: DeclareKeyPeriodInput!) { declareKeyPeriod(input: $input) {
      keyPeriod { id name level startsOn endsOn cancelled version } } }";
    let input = json!({ "input": { "name": "2027年元旦", "kind": "MAJOR_HOLIDAY", "level": 2,
        "startsOn": on(10), "endsOn": on(12) } });

    let before = snapshot(&app).await;
    let r = app
        .gql(fx.township_staff.auth(), declare, input.clone())
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    let mut backwards = input.clone();
    backwards["input"]["endsOn"] = json!(on(9));
    let r = app.gql(fx.staff.auth(), declare, backwards).await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "endsOn"),
        "{r}"
    );
    let mut bad_level = input.clone();
    bad_level["input"]["level"] = json!(5);
    let r = app.gql(fx.staff.auth(), declare, bad_level).await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "level"),
        "{r}"
    );
    assert_eq!(snapshot(&app).await, before);

    let d = app.data(fx.staff.auth(), declare, input).await;
    let id = d["declareKeyPeriod"]["keyPeriod"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let change = "mutation($input: ChangeKeyPeriodInput!) { changeKeyPeriod(input: $input) {
      keyPeriod { level endsOn version } } }";
    let d = app
        .data(
            fx.leader.auth(),
            change,
            json!({ "input": { "id": id, "name": "2027年元旦", "kind": "MAJOR_HOLIDAY", "level": 1,
                "startsOn": on(10), "endsOn": on(13), "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(d["changeKeyPeriod"]["keyPeriod"]["level"], 1);
    let cancel = "mutation($input: CancelKeyPeriodInput!) { cancelKeyPeriod(input: $input) {
      keyPeriod { cancelled version } } }";
    let d = app
        .data(
            fx.staff.auth(),
            cancel,
            json!({ "input": { "id": id, "reason": "安排调整" } }),
        )
        .await;
    assert_eq!(d["cancelKeyPeriod"]["keyPeriod"]["cancelled"], true);

    // Once cancelled it changes no more.
    let before = snapshot(&app).await;
    let r = app
        .gql(
            fx.staff.auth(),
            change,
            json!({ "input": { "id": id, "name": "2027年元旦", "kind": "MAJOR_HOLIDAY", "level": 3,
                "startsOn": on(10), "endsOn": on(13) } }),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    assert_eq!(snapshot(&app).await, before);

    // Declared, changed, cancelled: three events, the last one cancelled, as the experts read it.
    let db = app.db().await;
    let rows: Vec<String> = sea_orm::ConnectionTrait::query_all_raw(
        &db,
        sea_orm::Statement::from_string(
            sea_orm::ConnectionTrait::get_database_backend(&db),
            "SELECT payload FROM outbox_event WHERE topic = 'duty.key_period_declared' ORDER BY seq",
        ),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.try_get::<String>("", "payload").unwrap())
    .collect();
    assert_eq!(rows.len(), 3);
    let last: jianan_contracts::duty::KeyPeriodDeclared = serde_json::from_str(&rows[2]).unwrap();
    assert!(last.cancelled);
    assert_eq!(last.level, 1);
    // Everyone who may read key periods sees it, cancelled ones on request.
    let list = app
        .data(
            fx.manager.auth(),
            "{ dutyKeyPeriods(first: 5, includeCancelled: true) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(list["dutyKeyPeriods"]["totalCount"], 1, "{list}");
}

const FILE: &str =
    "mutation($input: FileIncidentReportInput!) { fileIncidentReport(input: $input) {
  report { id status firstReportLate version nextDueAt township { id }
    figures { deaths injuries missing directLossYuan } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_information_report_is_followed_up_until_closed_and_overdue_steps_are_raised_once() {
    let (app, fx) = Fixture::spawn().await;
    let occurred = Utc::now() - TimeDelta::hours(2);
    let input = |township: &str| {
        json!({ "input": { "kind": "ACCIDENT", "severity": "GENERAL", "title": "脚手架局部坍塌",
            "description": "3号楼外架局部坍塌，1人受伤送医。", "townshipId": township,
            "occurredAt": occurred.to_rfc3339(),
            "figures": { "injuries": 1, "directLossYuan": "50000" }, "idempotencyKey": "acc-1" } })
    };

    // Refused, nothing written: a township reports only for itself; an enterprise only for its
    // projects; the deadline figures must be sane.
    let before = snapshot(&app).await;
    let r = app
        .gql(fx.township_staff.auth(), FILE, input(&fx.street.id))
        .await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "townshipId"),
        "{r}"
    );
    let mut theirs = input(&fx.township.id);
    theirs["input"]["projectId"] = json!(fx.other_project.id);
    let r = app.gql(fx.manager.auth(), FILE, theirs).await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "projectId"),
        "{r}"
    );
    let mut negative = input(&fx.township.id);
    negative["input"]["figures"]["deaths"] = json!(-1);
    let r = app.gql(fx.township_staff.auth(), FILE, negative).await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "deaths"),
        "{r}"
    );
    assert_eq!(snapshot(&app).await, before);

    // Filed two hours after the accident: late against the one-hour rule. A retry is the same.
    let d = app
        .data(fx.township_staff.auth(), FILE, input(&fx.township.id))
        .await;
    let r = d["fileIncidentReport"]["report"].clone();
    assert_eq!(r["firstReportLate"], true, "{r}");
    assert_eq!(r["figures"]["directLossYuan"], "50000");
    let again = app
        .data(fx.township_staff.auth(), FILE, input(&fx.township.id))
        .await;
    assert_eq!(again["fileIncidentReport"]["report"]["id"], r["id"]);
    let id = r["id"].as_str().unwrap().to_owned();
    let due: DateTime<Utc> = r["nextDueAt"].as_str().unwrap().parse().unwrap();
    app.settle().await;
    assert_eq!(topic_count(&app, "duty.incident_reported").await, 1);
    assert!(
        notification_kinds(&app, &fx.leader.token)
            .await
            .contains(&"duty.incident_reported".to_owned())
    );
    // Another enterprise sees nothing.
    let list = "{ dutyIncidentReports(first: 5) { totalCount } }";
    let o = app.data(fx.other_manager.auth(), list, json!({})).await;
    assert_eq!(o["dutyIncidentReports"]["totalCount"], 0, "{o}");

    // The clock: the follow-up is overdue at its deadline, raised once.
    let k = &app.server().kernel;
    let overdue = |at| jianan_duty::service::incident::mark_overdue(k, at);
    assert_eq!(overdue(due - TimeDelta::seconds(1)).await.unwrap(), 0);
    let (a, b) = tokio::join!(overdue(due), overdue(due));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(overdue(due + TimeDelta::hours(3)).await.unwrap(), 0);
    app.settle().await;
    assert_eq!(topic_count(&app, "duty.incident_report_overdue").await, 1);

    // A follow-up with worse figures sets a new deadline; the township may not close it.
    let step = |m: &str| {
        format!(
            "mutation($input: AdvanceIncidentReportInput!) {{ {m}(input: $input) {{
              report {{ status version followUpOverdue figures {{ deaths injuries }}
                updates {{ step figures {{ deaths }} }} }} }} }}"
        )
    };
    let follow = json!({ "input": { "id": id, "text": "伤者经抢救无效死亡。",
        "figures": { "deaths": 1, "injuries": 0, "directLossYuan": "80000" }, "expectedVersion": 1 } });
    let d = app
        .data(
            fx.township_staff.auth(),
            &step("followUpIncidentReport"),
            follow,
        )
        .await;
    let rep = &d["followUpIncidentReport"]["report"];
    assert_eq!(rep["figures"]["deaths"], 1, "{d}");
    assert_eq!(rep["followUpOverdue"], false);
    assert_eq!(rep["updates"][0]["step"], "FOLLOW_UP");
    let close = json!({ "input": { "id": id, "text": "善后处理完毕，转入事故调查。",
        "figures": { "deaths": 1, "directLossYuan": "80000" } } });
    let before = snapshot(&app).await;
    let r = app
        .gql(
            fx.township_staff.auth(),
            &step("closeIncidentReport"),
            close.clone(),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    assert_eq!(snapshot(&app).await, before);
    let d = app
        .data(fx.staff.auth(), &step("closeIncidentReport"), close.clone())
        .await;
    assert_eq!(
        d["closeIncidentReport"]["report"]["status"], "CLOSED",
        "{d}"
    );
    let before = snapshot(&app).await;
    let r = app
        .gql(fx.staff.auth(), &step("closeIncidentReport"), close)
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    assert_eq!(snapshot(&app).await, before);
    // Closed reports are never overdue.
    assert_eq!(overdue(due + TimeDelta::days(10)).await.unwrap(), 0);

    // Timeliness: one report, its first report late, one follow-up overdue.
    let today = jianan_kernel::calendar::today().to_string();
    let t = app
        .data(
            fx.leader.auth(),
            "query($d: Date!) { dutyReportTimeliness(from: $d, to: $d) { reports firstOnTime followUpOverdue firstOnTimeRate } }",
            json!({ "d": today }),
        )
        .await;
    assert_eq!(
        t["dutyReportTimeliness"],
        json!({ "reports": 1, "firstOnTime": 0, "followUpOverdue": 0, "firstOnTimeRate": 0.0 }),
        "the follow-up re-armed the overdue flag"
    );
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a WebSocket as the holder of `token` and subscribes to `query`.
async fn subscribe(app: &TestApp, token: &str, query: &str) -> Ws {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = format!("ws://{}/graphql/ws", app.server().addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    ws.send(Message::text(
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } })
            .to_string(),
    ))
    .await
    .unwrap();
    let ack = tokio::time::timeout(std::time::Duration::from_secs(30), ws.next())
        .await
        .expect("connection acknowledged in time")
        .unwrap()
        .unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"), "{ack:?}");
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }).to_string(),
    ))
    .await
    .unwrap();
    ws
}

async fn next_title(ws: &mut Ws, field: &str) -> String {
    use futures_util::StreamExt;
    let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
        .await
        .expect("pushed in time")
        .unwrap()
        .unwrap();
    let v: Value = serde_json::from_str(msg.to_text().unwrap()).unwrap();
    assert_eq!(v["type"], "next", "{v}");
    v["payload"]["data"][field]["title"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_hear_only_of_warnings_and_reports_for_their_own_unit() {
    let (app, fx) = Fixture::spawn().await;
    let warnings = "subscription { dutyWarningForMyUnit { title } }";
    let reports = "subscription { dutyIncidentReportFiled { title } }";
    let mut township = subscribe(&app, &fx.township_staff.token, warnings).await;
    let mut other = subscribe(&app, &fx.other_manager.token, warnings).await;
    let mut other_reports = subscribe(&app, &fx.other_manager.token, reports).await;
    let mut commission_reports = subscribe(&app, &fx.leader.token, reports).await;
    // Let the server register the subscriptions (as the kernel's subscription tests do).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let issue = |title: &str, targets: Value| {
        json!({ "input": { "level": "YELLOW", "title": title, "message": "大风天气，停止吊装作业。",
            "targets": targets } })
    };
    app.data(
        fx.staff.auth(),
        ISSUE,
        issue(
            "乡镇大风预警",
            json!([{ "kind": "TOWNSHIP", "id": fx.township.id }]),
        ),
    )
    .await;
    app.data(
        fx.staff.auth(),
        ISSUE,
        issue(
            "项目大风预警",
            json!([{ "kind": "PROJECT", "id": fx.other_project.id }]),
        ),
    )
    .await;
    assert_eq!(
        next_title(&mut township, "dutyWarningForMyUnit").await,
        "乡镇大风预警"
    );
    // The other project's enterprise never got the township's warning: its first is its own.
    assert_eq!(
        next_title(&mut other, "dutyWarningForMyUnit").await,
        "项目大风预警"
    );

    // A report in the township reaches the commission, not the other enterprise; the other
    // enterprise's first report is the one on its own project.
    let file = |title: &str, place: Value| {
        let mut input = json!({ "kind": "DANGER", "severity": "GENERAL", "title": title,
            "description": "基坑边坡出现裂缝。", "occurredAt": Utc::now().to_rfc3339(),
            "figures": {} });
        for (k, v) in place.as_object().unwrap() {
            input[k] = v.clone();
        }
        json!({ "input": input })
    };
    app.data(
        fx.township_staff.auth(),
        FILE,
        file("乡镇险情", json!({ "townshipId": fx.township.id })),
    )
    .await;
    app.data(
        fx.other_manager.auth(),
        FILE,
        file("项目险情", json!({ "projectId": fx.other_project.id })),
    )
    .await;
    assert_eq!(
        next_title(&mut commission_reports, "dutyIncidentReportFiled").await,
        "乡镇险情"
    );
    assert_eq!(
        next_title(&mut other_reports, "dutyIncidentReportFiled").await,
        "项目险情"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_key_periods_a_half_acknowledged_warning_a_roster_gap_and_a_report() {
    let app = TestApp::spawn_with(jianan_tests::Options {
        empty: true,
        ..jianan_tests::Options::default()
    })
    .await;
    let k = &app.server().kernel;
    let config = app.config();
    jianan_api::app::seed_demo(&config, k).await.unwrap();
    jianan_api::app::seed_demo(&config, k).await.unwrap(); // idempotent
    let staff = app.login("staff").await;
    let today = jianan_kernel::calendar::today();
    let tomorrow = today.succ_opt().unwrap();
    let d = app
        .data(
            Some(&staff),
            "query($today: Date!, $tomorrow: Date!) {
              dutyKeyPeriods(first: 5) { totalCount }
              dutyWarnings(first: 5) { totalCount edges { node { acknowledgement { targets acknowledged } } } }
              today: dutyRoster(date: $today) { covered }
              tomorrow: dutyRoster(date: $tomorrow) { covered gaps { post } }
              dutyIncidentReports(first: 5) { totalCount } }",
            json!({ "today": today.to_string(), "tomorrow": tomorrow.to_string() }),
        )
        .await;
    assert_eq!(d["dutyKeyPeriods"]["totalCount"], 2, "{d}");
    assert_eq!(d["dutyWarnings"]["totalCount"], 1);
    assert_eq!(
        d["dutyWarnings"]["edges"][0]["node"]["acknowledgement"],
        json!({ "targets": 3, "acknowledged": 1 })
    );
    assert_eq!(d["today"]["covered"], true);
    assert_eq!(d["tomorrow"]["covered"], false);
    assert_eq!(d["tomorrow"]["gaps"][0]["post"], "STAFF");
    assert_eq!(d["dutyIncidentReports"]["totalCount"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_response_rises_from_level_iv_links_reports_and_ends_once() {
    let (app, fx) = Fixture::spawn().await;
    let d = app
        .data(
            fx.township_staff.auth(),
            FILE,
            json!({ "input": { "kind": "DISASTER", "severity": "LARGER", "title": "山体滑坡",
                "description": "村道上方山体滑坡，2户群众已转移。", "townshipId": fx.township.id,
                "occurredAt": Utc::now().to_rfc3339(), "figures": {} } }),
        )
        .await;
    let report = d["fileIncidentReport"]["report"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let start =
        "mutation($input: StartEmergencyResponseInput!) { startEmergencyResponse(input: $input) {
      response { id level version reports { id } } } }";
    let input = json!({ "input": { "title": "地质灾害应急响应", "reason": "强降雨引发山体滑坡",
        "level": "LEVEL_IV", "reportIds": [report] } });

    let before = snapshot(&app).await;
    let r = app.gql(fx.staff.auth(), start, input.clone()).await;
    assert_eq!(
        error_code(&r),
        "FORBIDDEN",
        "department staff do not start responses: {r}"
    );
    assert_eq!(snapshot(&app).await, before);
    let d = app.data(fx.leader.auth(), start, input).await;
    let resp = d["startEmergencyResponse"]["response"].clone();
    assert_eq!(resp["level"], "LEVEL_IV", "{d}");
    assert_eq!(resp["reports"][0]["id"], report.as_str());
    let id = resp["id"].as_str().unwrap().to_owned();

    let escalate = "mutation($input: EscalateEmergencyResponseInput!) { escalateEmergencyResponse(input: $input) {
      response { level version steps { action level } } } }";
    let d = app
        .data(
            fx.leader.auth(),
            escalate,
            json!({ "input": { "id": id, "level": "LEVEL_II", "expectedVersion": 1 } }),
        )
        .await;
    let r = &d["escalateEmergencyResponse"]["response"];
    assert_eq!(r["level"], "LEVEL_II", "{d}");
    assert_eq!(
        r["steps"],
        json!([{ "action": "START", "level": "LEVEL_IV" }, { "action": "ESCALATE", "level": "LEVEL_II" }])
    );
    // Never lowered; a stale version is refused; nothing written.
    let before = snapshot(&app).await;
    let r = app
        .gql(
            fx.leader.auth(),
            escalate,
            json!({ "input": { "id": id, "level": "LEVEL_III" } }),
        )
        .await;
    assert_eq!(
        (error_code(&r), field(&r)),
        ("BAD_USER_INPUT", "level"),
        "{r}"
    );
    let r = app
        .gql(
            fx.leader.auth(),
            escalate,
            json!({ "input": { "id": id, "level": "LEVEL_I", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    assert_eq!(snapshot(&app).await, before);

    let end = "mutation($input: EndEmergencyResponseInput!) { endEmergencyResponse(input: $input) {
      response { level endedAt } } }";
    let d = app
        .data(
            fx.leader.auth(),
            end,
            json!({ "input": { "id": id, "note": "险情解除" } }),
        )
        .await;
    assert!(
        d["endEmergencyResponse"]["response"]["endedAt"].is_string(),
        "{d}"
    );
    let before = snapshot(&app).await;
    let r = app
        .gql(fx.leader.auth(), end, json!({ "input": { "id": id } }))
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    let r = app
        .gql(
            fx.leader.auth(),
            escalate,
            json!({ "input": { "id": id, "level": "LEVEL_I" } }),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r}");
    assert_eq!(snapshot(&app).await, before);

    // Township staff follow responses; enterprises do not see them.
    let list =
        "{ dutyEmergencyResponses(first: 5) { totalCount edges { node { reports { id } } } } }";
    let t = app.data(fx.township_staff.auth(), list, json!({})).await;
    assert_eq!(t["dutyEmergencyResponses"]["totalCount"], 1, "{t}");
    let r = app.gql(fx.manager.auth(), list, json!({})).await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn todays_roster_gaps_are_pushed_when_subscribing_and_after_each_change() {
    use futures_util::StreamExt;
    let (app, fx) = Fixture::spawn().await;
    let mut ws = subscribe(
        &app,
        &fx.township_staff.token,
        "subscription { dutyRosterGapToday { covered gaps { post } } }",
    )
    .await;
    let mut next = async || {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("pushed in time")
            .unwrap()
            .unwrap();
        let v: Value = serde_json::from_str(msg.to_text().unwrap()).unwrap();
        assert_eq!(v["type"], "next", "{v}");
        v["payload"]["data"]["dutyRosterGapToday"].clone()
    };
    // Nobody on duty yet: both posts open all day.
    let first = next().await;
    assert_eq!(first["covered"], false);
    assert_eq!(
        first["gaps"],
        json!([{ "post": "LEADER" }, { "post": "STAFF" }])
    );

    // A leader all day: the staff post is still open, and the subscriber hears so.
    let midnight = jianan_kernel::calendar::local_midnight_utc(jianan_kernel::calendar::today());
    app.data(
        fx.staff.auth(),
        ASSIGN,
        json!({ "input": { "post": "LEADER", "accountId": fx.leader.id, "phone": "13800000001",
            "startsAt": midnight.to_rfc3339(),
            "endsAt": (midnight + TimeDelta::hours(24)).to_rfc3339() } }),
    )
    .await;
    let second = next().await;
    assert_eq!(second["gaps"], json!([{ "post": "STAFF" }]), "{second}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_warnings_takes_the_same_statements_whatever_its_size() {
    // The statement counter is server-wide: keep the background pollers quiet.
    let (app, fx) = Fixture::spawn_with(jianan_tests::Options {
        outbox_poll_ms: Some(3_600_000),
        ..jianan_tests::Options::default()
    })
    .await;
    for i in 0..6 {
        app.data(
            fx.staff.auth(),
            ISSUE,
            json!({ "input": { "level": "YELLOW", "title": format!("大风黄色预警{i}"),
                "message": "大风天气，停止吊装作业。",
                "targets": [{ "kind": "TOWNSHIP", "id": fx.township.id },
                            { "kind": "PROJECT", "id": fx.project.id }] } }),
        )
        .await;
    }
    // Let the dispatcher finish what the writes woke it for.
    app.settle().await;
    let query = "query($n: Int) { dutyWarnings(first: $n) { edges { node { id title
        targets { kind label acknowledgedAt } acknowledgement { targets acknowledged rate } } } } }";
    let mut counts = Vec::new();
    for n in [2, 6] {
        let before = app.metric("jianan_sql_statements_total").await;
        let d = app.data(fx.staff.auth(), query, json!({ "n": n })).await;
        assert_eq!(d["dutyWarnings"]["edges"].as_array().unwrap().len(), n);
        counts.push(app.metric("jianan_sql_statements_total").await - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for 2 and 6 warnings: {counts:?}"
    );
}

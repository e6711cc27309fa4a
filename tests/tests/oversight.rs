//! Oversight (#13 items 7–10): meetings and their decisions tracked to done by their owners only,
//! risk assessments with measures, owners and the “两重两新” items supervision checks, circulars
//! that name only records their issuer may read, with read receipts — end to end over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Datelike, Days};
use jianan_kernel::calendar::today;
use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const MEETING: &str = "mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) {
  meeting { id kind heldOn attendees topics orgUnits { id } enterprises { id }
            decisions { id description status timeliness dueOn version owner { id } } } } }";
const COMPLETE: &str = "mutation($input: CompleteOversightTaskInput!) {
  completeOversightTask(input: $input) { task { id status timeliness doneNote version } } }";
const ASSESS: &str = "mutation($input: RecordRiskAssessmentInput!) {
  recordRiskAssessment(input: $input) { riskAssessment { id risks { id twoKeyTwoNew measures riskLevel } } } }";
const FOCUS: &str = "query($on: Date) { supervisionFocusItems(on: $on) {
  assessment { title } risk { description measures owner { id } } } }";
const ISSUE: &str = "mutation($input: IssueCircularInput!) { issueCircular(input: $input) {
  circular { id number links { ... on Hazard { id } } } } }";
const READ: &str = "mutation($id: ID!) { markCircularRead(input: { id: $id }) {
  receipt { readAt readBy { id } } circular { receipts { recipients read rate } } } }";
const CIRCULARS: &str = "{ circulars(first: 10) { edges { node { id number
  links { ... on Hazard { id } } recipients { unitKind readAt } } } } }";
const MEETINGS: &str = "{ meetings(first: 10) { edges { node { id } } } }";
const TASKS: &str = "query($f: OversightTaskFilter) { oversightTasks(filter: $f, first: 20) {
  edges { node { id kind description } } } }";
const REPORT: &str =
    "mutation($input: ReportHazardInput!) { reportHazard(input: $input) { hazard { id } } }";

/// A change to a valid input that makes it invalid.
type Change = Box<dyn Fn(&mut Value)>;

/// How many of the caller's notifications are of `kind`.
async fn told(app: &TestApp, token: &str, kind: &str) -> usize {
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
        .filter(|e| e["node"]["kind"] == kind)
        .count()
}

fn day(offset: i64) -> String {
    let t = today();
    if offset >= 0 {
        t.checked_add_days(Days::new(offset as u64)).unwrap()
    } else {
        t.checked_sub_days(Days::new((-offset) as u64)).unwrap()
    }
    .to_string()
}

/// Rows an oversight write can leave: meetings, tasks, assessments, circulars, receipts read,
/// audit records, notifications, events.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    // Handlers of earlier events write too (audit records, links); let them finish first.
    app.settle().await;
    let mut out = Vec::new();
    for t in [
        "oversight_meeting",
        "oversight_meeting_unit",
        "oversight_task",
        "oversight_assessment",
        "oversight_circular",
        "oversight_circular_recipient",
        "oversight_circular_link",
        "audit_log",
        "notification",
        "outbox_event",
        "idempotency_record",
    ] {
        out.push(app.count(t).await);
    }
    out.push(
        app.scalar("SELECT COUNT(*) AS n FROM oversight_task WHERE status = 'DONE'")
            .await,
    );
    out.push(
        app.scalar(
            "SELECT COUNT(*) AS n FROM oversight_circular_recipient WHERE read_at IS NOT NULL",
        )
        .await,
    );
    out
}

fn meeting_input(fx: &Fixture) -> Value {
    json!({ "input": {
        "kind": "PARTY_GROUP_ENLARGED",
        "title": "党组扩大会：学习贯彻十条措施",
        "heldOn": day(-3),
        "venue": "委机关三楼会议室",
        "chair": "委领导",
        "attendees": ["委领导班子成员", "白马镇分管负责人", "施工单位负责人"],
        "topics": ["学习十条措施", "安排部署督查检查"],
        "unitIds": [fx.township.id, fx.contractor.id],
        "decisions": [
            { "description": "乡镇摸排辖区在建项目", "ownerId": fx.township_staff.id, "dueOn": day(5) },
            { "description": "施工单位完成全员交底", "ownerId": fx.manager.id, "dueOn": day(3) },
        ],
        "idempotencyKey": "meeting-1",
    } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meetings_decisions_are_done_by_their_owners_only() {
    let (app, fx) = Fixture::spawn().await;

    // Refused, writing nothing.
    let before = snapshot(&app).await;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "BAD_USER_INPUT",
            Box::new(|v| v["input"]["heldOn"] = json!(day(1))),
            "heldOn",
        ),
        (
            "BAD_USER_INPUT",
            Box::new(|v| v["input"]["attendees"] = json!([])),
            "attendees",
        ),
        (
            "BAD_USER_INPUT",
            Box::new(|v| v["input"]["topics"] = json!(["  "])),
            "topics",
        ),
        (
            "BAD_USER_INPUT",
            Box::new(|v| v["input"]["decisions"][0]["dueOn"] = json!(day(-4))),
            "decisions",
        ),
        (
            "BAD_USER_INPUT",
            Box::new(|v| v["input"]["decisions"][1]["ownerId"] = v["input"]["unitIds"][0].clone()),
            "decisions",
        ),
        (
            "BAD_USER_INPUT",
            Box::new(|v| {
                v["input"]["unitIds"] = json!([v["input"]["unitIds"][0], v["input"]["unitIds"][0]])
            }),
            "unitIds",
        ),
    ];
    for (code, change, field) in cases {
        let mut input = meeting_input(&fx);
        input["input"]["idempotencyKey"] = Value::Null;
        change(&mut input);
        let body = app.gql(fx.staff.auth(), MEETING, input).await;
        assert_eq!(error_code(&body), code, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    // Only the commission's staff record meetings.
    for who in [&fx.manager, &fx.township_staff, &fx.inspector] {
        let body = app.gql(who.auth(), MEETING, meeting_input(&fx)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    assert_eq!(snapshot(&app).await, before);

    // Recorded once, however often retried.
    let d = app.data(fx.staff.auth(), MEETING, meeting_input(&fx)).await;
    let m = &d["recordMeeting"]["meeting"];
    let again = app.data(fx.staff.auth(), MEETING, meeting_input(&fx)).await;
    assert_eq!(again["recordMeeting"]["meeting"]["id"], m["id"]);
    assert_eq!(app.count("oversight_meeting").await, 1);
    assert_eq!(m["orgUnits"][0]["id"], json!(fx.township.id));
    assert_eq!(m["enterprises"][0]["id"], json!(fx.contractor.id));
    let decisions = m["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0]["status"], "OPEN");
    assert_eq!(decisions[0]["timeliness"], "PENDING");
    assert_eq!(decisions[0]["owner"]["id"], json!(fx.township_staff.id));
    let (township_task, manager_task) = (decisions[0].clone(), decisions[1].clone());
    // Each owner was told.
    assert_eq!(
        told(&app, &fx.manager.token, "oversight.decision_assigned").await,
        1
    );

    // The units that attended see the meeting; another enterprise does not.
    for (who, n) in [
        (&fx.township_staff, 1),
        (&fx.manager, 1),
        (&fx.other_manager, 0),
    ] {
        let d = app.data(who.auth(), MEETINGS, json!({})).await;
        assert_eq!(
            d["meetings"]["edges"].as_array().unwrap().len(),
            n,
            "{}",
            who.username
        );
    }
    // An enterprise sees its own task only.
    let d = app.data(fx.manager.auth(), TASKS, json!({})).await;
    let seen: Vec<_> = d["oversightTasks"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert_eq!(seen, vec![manager_task["id"].clone()]);

    // Nobody reports a task done on its owner's behalf: not another unit (it cannot even see
    // it), not the administrator; a stale version is refused too.
    let before = snapshot(&app).await;
    let complete = |id: &Value, version: Option<i64>| json!({ "input": { "id": id, "note": "已完成摸排，形成台账", "expectedVersion": version } });
    let body = app
        .gql(
            fx.manager.auth(),
            COMPLETE,
            complete(&township_task["id"], None),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    let body = app
        .gql(
            fx.admin.auth(),
            COMPLETE,
            complete(&township_task["id"], None),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .gql(
            fx.township_staff.auth(),
            COMPLETE,
            complete(&township_task["id"], Some(7)),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let body = app
        .gql(
            fx.township_staff.auth(),
            COMPLETE,
            json!({ "input": { "id": township_task["id"], "note": " " } }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "note", "{body}");
    assert_eq!(snapshot(&app).await, before);

    // The owner does it, once.
    let d = app
        .data(
            fx.township_staff.auth(),
            COMPLETE,
            complete(&township_task["id"], Some(1)),
        )
        .await;
    let t = &d["completeOversightTask"]["task"];
    assert_eq!(t["status"], "DONE");
    assert_eq!(t["timeliness"], "ON_TIME");
    assert_eq!(t["version"], 2);
    let body = app
        .gql(
            fx.township_staff.auth(),
            COMPLETE,
            complete(&township_task["id"], None),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'oversight.task.complete'")
            .await,
        1
    );

    // The year's figures: one meeting, two decisions of which one done on time.
    let d = app
        .data(
            fx.staff.auth(),
            "query($y: Int!) { oversightStatistics(year: $y) { meetings { kind count }
               decisions { total onTime late overdue pending doneRate } } }",
            json!({ "y": chrono::NaiveDate::parse_from_str(&day(5), "%Y-%m-%d").unwrap().year() }),
        )
        .await;
    let s = &d["oversightStatistics"];
    // Both due dates fall in the year of day(5) unless the year turns between day(3) and day(5).
    if chrono::NaiveDate::parse_from_str(&day(3), "%Y-%m-%d")
        .unwrap()
        .year()
        == chrono::NaiveDate::parse_from_str(&day(5), "%Y-%m-%d")
            .unwrap()
            .year()
    {
        assert_eq!(s["decisions"]["total"], 2, "{s}");
        assert_eq!(s["decisions"]["onTime"], 1, "{s}");
        assert_eq!(s["decisions"]["pending"], 1, "{s}");
        assert_eq!(s["decisions"]["doneRate"], 0.5, "{s}");
    }
    let body = app
        .gql(
            fx.manager.auth(),
            "{ oversightStatistics(year: 2026) { circulars } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
}

fn assessment_input(fx: &Fixture) -> Value {
    json!({ "input": {
        "title": "春节期间建筑施工安全风险研判",
        "occasion": "KEY_PERIOD",
        "occasionName": "2027年春节",
        "startsOn": day(10),
        "endsOn": day(20),
        "assessedOn": day(0),
        "risks": [
            { "description": "节前赶工期", "level": "HIGH", "measures": "严禁压缩合理工期",
              "ownerId": fx.staff.id, "dueOn": day(10) },
            { "description": "冬季施工用火用电", "level": "MAJOR", "measures": "动火审批、临时用电纳入每次检查",
              "ownerId": fx.township_staff.id, "dueOn": day(12), "twoKeyTwoNew": true },
        ],
    } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_risk_assessment_gives_out_measures_and_flags_what_supervision_must_check() {
    let (app, fx) = Fixture::spawn().await;
    let before = snapshot(&app).await;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|v| v["input"]["risks"] = json!([])), "risks"),
        (
            Box::new(|v| v["input"]["risks"][0]["measures"] = json!("")),
            "risks",
        ),
        (Box::new(|v| v["input"]["endsOn"] = json!(day(9))), "endsOn"),
        (
            Box::new(|v| v["input"]["assessedOn"] = json!(day(1))),
            "assessedOn",
        ),
        (
            Box::new(|v| v["input"]["risks"][1]["dueOn"] = json!(day(-1))),
            "risks",
        ),
    ];
    for (change, field) in cases {
        let mut input = assessment_input(&fx);
        change(&mut input);
        let body = app.gql(fx.staff.auth(), ASSESS, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let body = app
        .gql(fx.township_staff.auth(), ASSESS, assessment_input(&fx))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(snapshot(&app).await, before);

    let d = app
        .data(fx.staff.auth(), ASSESS, assessment_input(&fx))
        .await;
    let risks = d["recordRiskAssessment"]["riskAssessment"]["risks"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(risks.len(), 2);
    assert_eq!(risks[1]["twoKeyTwoNew"], true);
    assert_eq!(risks[1]["riskLevel"], "MAJOR");

    // While the span lasts, supervision checks the flagged item; before and after, nothing.
    for (on, n) in [(day(9), 0), (day(10), 1), (day(20), 1), (day(21), 0)] {
        let d = app
            .data(fx.inspector.auth(), FOCUS, json!({ "on": on }))
            .await;
        let items = d["supervisionFocusItems"].as_array().unwrap();
        assert_eq!(items.len(), n, "{on}");
        if n == 1 {
            assert_eq!(items[0]["risk"]["description"], "冬季施工用火用电");
            assert_eq!(items[0]["risk"]["owner"]["id"], json!(fx.township_staff.id));
        }
    }
    // The township does not read the commission's assessments, but sees the measure it owns.
    let body = app.gql(fx.township_staff.auth(), FOCUS, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let d = app
        .data(
            fx.township_staff.auth(),
            TASKS,
            json!({ "f": { "kinds": ["RISK_CONTROL"] } }),
        )
        .await;
    let edges = d["oversightTasks"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["description"], "冬季施工用火用电");
}

async fn hazard(app: &TestApp, fx: &Fixture, project: &str) -> String {
    let d = app
        .data(
            fx.inspector.auth(),
            REPORT,
            json!({ "input": {
                "projectId": project, "level": "GENERAL", "category": "SCAFFOLDING",
                "description": "外架连墙件缺失", "location": "1号楼",
            } }),
        )
        .await;
    d["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn circular(recipients: &[&str], links: &[&str], key: Option<&str>) -> Value {
    json!({ "input": {
        "title": "关于近期检查发现问题的通报",
        "body": "部分项目外架连墙件缺失，请立即整改。",
        "recipientIds": recipients,
        "links": links,
        "idempotencyKey": key,
    } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circular_names_only_records_its_issuer_may_read() {
    let (app, fx) = Fixture::spawn().await;
    let ours = hazard(&app, &fx, &fx.project.id).await;
    let theirs = hazard(&app, &fx, &fx.other_project.id).await;
    let year = today().year();

    // The township's staff: a hazard of another township's project, an enterprise outside its
    // projects, another org unit, a record of the wrong kind — all refused, nothing written.
    let before = snapshot(&app).await;
    for (input, field) in [
        (circular(&[&fx.contractor.id], &[&theirs], None), "links"),
        (
            circular(&[&fx.other_contractor.id], &[&ours], None),
            "recipientIds",
        ),
        (circular(&[&fx.street.id], &[&ours], None), "recipientIds"),
        (
            circular(&[&fx.contractor.id], &[&fx.project.id], None),
            "links",
        ),
        (circular(&[], &[&ours], None), "recipientIds"),
    ] {
        let body = app.gql(fx.township_staff.auth(), ISSUE, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let body = app
        .gql(
            fx.manager.auth(),
            ISSUE,
            circular(&[&fx.contractor.id], &[&ours], None),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(snapshot(&app).await, before);

    // Its own project's hazard, to a participant: issued, numbered in the year.
    let d = app
        .data(
            fx.township_staff.auth(),
            ISSUE,
            circular(&[&fx.contractor.id], &[&ours], Some("c-1")),
        )
        .await;
    let first = d["issueCircular"]["circular"].clone();
    assert_eq!(first["number"], format!("区住建安通〔{year}〕1号"));
    let again = app
        .data(
            fx.township_staff.auth(),
            ISSUE,
            circular(&[&fx.contractor.id], &[&ours], Some("c-1")),
        )
        .await;
    assert_eq!(again["issueCircular"]["circular"]["id"], first["id"]);

    // The commission names both hazards and sends it to the contractor and the township.
    let d = app
        .data(
            fx.staff.auth(),
            ISSUE,
            circular(
                &[&fx.contractor.id, &fx.township.id],
                &[&ours, &theirs],
                None,
            ),
        )
        .await;
    let second = d["issueCircular"]["circular"].clone();
    assert_eq!(second["number"], format!("区住建安通〔{year}〕2号"));
    assert_eq!(second["links"].as_array().unwrap().len(), 2);

    // The contractor reads both circulars, and of the second only the hazard it may read.
    let d = app.data(fx.manager.auth(), CIRCULARS, json!({})).await;
    let edges = d["circulars"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2);
    assert_eq!(edges[0]["node"]["id"], second["id"]);
    assert_eq!(edges[0]["node"]["links"], json!([{ "id": ours }]));
    let d = app
        .data(fx.other_manager.auth(), CIRCULARS, json!({}))
        .await;
    assert_eq!(d["circulars"]["edges"], json!([]));
    assert_eq!(
        told(&app, &fx.manager.token, "oversight.circular_issued").await,
        2
    );
    assert_eq!(
        told(&app, &fx.other_manager.token, "oversight.circular_issued").await,
        0
    );

    // Signing for it: the unit's first reader is the receipt; others of the unit change nothing;
    // a unit it was not sent to cannot sign.
    let d = app
        .data(fx.manager.auth(), READ, json!({ "id": second["id"] }))
        .await;
    let r = &d["markCircularRead"];
    assert_eq!(r["receipt"]["readBy"]["id"], json!(fx.manager.id));
    assert_eq!(
        r["circular"]["receipts"],
        json!({ "recipients": 2, "read": 1, "rate": 0.5 })
    );
    let before = snapshot(&app).await;
    let d = app
        .data(fx.safety.auth(), READ, json!({ "id": second["id"] }))
        .await;
    assert_eq!(
        d["markCircularRead"]["receipt"]["readBy"]["id"],
        json!(fx.manager.id)
    );
    let body = app
        .gql(fx.other_manager.auth(), READ, json!({ "id": second["id"] }))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app
        .gql(fx.staff.auth(), READ, json!({ "id": second["id"] }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(snapshot(&app).await, before);
    let d = app
        .data(
            fx.township_staff.auth(),
            READ,
            json!({ "id": second["id"] }),
        )
        .await;
    assert_eq!(d["markCircularRead"]["circular"]["receipts"]["read"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_take_the_same_statements_whatever_their_size() {
    // The statement counter is server-wide: keep the background pollers quiet.
    let (app, fx) = Fixture::spawn_with(jianan_tests::Options {
        outbox_poll_ms: Some(3_600_000),
        ..jianan_tests::Options::default()
    })
    .await;
    let ours = hazard(&app, &fx, &fx.project.id).await;
    for i in 0..6 {
        let mut m = meeting_input(&fx);
        m["input"]["idempotencyKey"] = json!(format!("m-{i}"));
        app.data(fx.staff.auth(), MEETING, m).await;
        app.data(
            fx.staff.auth(),
            ISSUE,
            circular(&[&fx.contractor.id, &fx.township.id], &[&ours], None),
        )
        .await;
    }
    // Let the dispatcher finish what the writes woke it for.
    app.settle().await;
    let pages = [
        (
            "query($n: Int) { meetings(first: $n) { edges { node { id orgUnits { name }
               enterprises { name } decisions { description owner { displayName } } } } } }",
            "meetings",
        ),
        (
            "query($n: Int) { circulars(first: $n) { edges { node { number issuer { displayName }
               links { ... on Hazard { id } } recipients { readAt orgUnit { name } enterprise { name } }
               receipts { rate } } } } }",
            "circulars",
        ),
        (
            "query($n: Int) { oversightTasks(first: $n) { edges { node { description
               owner { displayName } meeting { title } } } } }",
            "oversightTasks",
        ),
    ];
    for (query, root) in pages {
        let mut counts = Vec::new();
        for n in [2, 6] {
            let before = app.metric("jianan_sql_statements_total").await;
            let d = app.data(fx.staff.auth(), query, json!({ "n": n })).await;
            assert_eq!(d[root]["edges"].as_array().unwrap().len(), n, "{root}");
            counts.push(app.metric("jianan_sql_statements_total").await - before);
        }
        assert_eq!(counts[0], counts[1], "{root}: {counts:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_task_is_raised_overdue_once_after_its_due_day() {
    use jianan_oversight::service::task::mark_overdue;
    let (app, fx) = Fixture::spawn().await;
    let d = app.data(fx.staff.auth(), MEETING, meeting_input(&fx)).await;
    let decisions = d["recordMeeting"]["meeting"]["decisions"].clone();
    // The township's decision (due in 5 days) is done; the contractor's (due in 3) is not.
    app.data(
        fx.township_staff.auth(),
        COMPLETE,
        json!({ "input": { "id": decisions[0]["id"], "note": "已完成" } }),
    )
    .await;
    let k = app.server().kernel.clone();
    let on = |n: u64| today().checked_add_days(Days::new(n)).unwrap();
    // The clock is driven: the due day itself is in time, the day after is not — once.
    assert_eq!(mark_overdue(&k, on(3)).await.unwrap(), 0);
    assert_eq!(mark_overdue(&k, on(4)).await.unwrap(), 1);
    assert_eq!(mark_overdue(&k, on(4)).await.unwrap(), 0);
    assert_eq!(mark_overdue(&k, on(30)).await.unwrap(), 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'oversight.task_overdue'")
            .await,
        1
    );
    assert_eq!(
        told(&app, &fx.manager.token, "oversight.task_overdue").await,
        1
    );
    assert_eq!(
        told(&app, &fx.township_staff.token, "oversight.task_overdue").await,
        0
    );
}

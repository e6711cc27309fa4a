//! Obligations judged against history (issue #7 item 3): a period's subjects are those that owed
//! the duty during it (project status history, account roles over time), a closed period never
//! changes afterwards, a stop-work order pauses a project's duties, an obligation can exempt
//! statutory holidays, and a missed department duty reaches the department's head and the
//! leadership group's office.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Datelike, Duration, NaiveDate};
use jianan_kernel::calendar::{Period, PeriodKind, today};
use jianan_tests::fixtures::{Fixture, data};
use jianan_tests::{BACKDATE_HISTORY, TestApp, error_code};
use serde_json::{Value, json};

const COMPLIANCE: &str = "query($code: String!, $date: Date!) {
  obligationCompliance(code: $code, date: $date) { period metCount missedCount
    subjects { subjectId label count required met owedDays } } }";
const DAILY: &str = "inspections.safety_manager_daily";
const MONTHLY: &str = "inspections.enterprise_monthly";
const LEADER_MONTHLY: &str = "inspections.leader_monthly_supervision";
const DEPARTMENT_WEEKLY: &str = "inspections.department_weekly_supervision";
const ISSUE: &str = "mutation($input: IssueEnforcementActionInput!) {
  issueEnforcementAction(input: $input) { enforcementAction { id } } }";
const UPDATE_ORG: &str = "mutation($input: UpdateOrgUnitInput!) {
  updateOrgUnit(input: $input) { orgUnit { id version leadershipOffice head { id } } } }";

async fn compliance(app: &TestApp, fx: &Fixture, code: &str, date: NaiveDate) -> Value {
    app.data(
        fx.admin.auth(),
        COMPLIANCE,
        json!({ "code": code, "date": date.to_string() }),
    )
    .await["obligationCompliance"]
        .clone()
}

/// The global IDs of a compliance answer's subjects.
fn subjects(c: &Value) -> Vec<String> {
    c["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subjectId"].as_str().unwrap().to_owned())
        .collect()
}

fn first_of_last_month() -> NaiveDate {
    let t = today();
    let first = NaiveDate::from_ymd_opt(t.year(), t.month(), 1).unwrap();
    Period::containing(PeriodKind::Month, first).prev().start
}

/// Closes one period of one obligation, as the scheduled job does once it has ended.
async fn close(app: &TestApp, code: &str, date: NaiveDate) -> usize {
    let k = &app.server().kernel;
    let o = k.obligations.iter().find(|o| o.def().code == code).unwrap();
    let period = Period::containing(o.def().period, date);
    jianan_kernel::obligations::close_period(k, o.as_ref(), period)
        .await
        .unwrap()
}

fn stop_work(kind: &str, fx: &Fixture) -> Value {
    json!({ "input": {
        "kind": kind,
        "legalBasis": "《建设工程安全生产管理条例》第四十三条第（四）项",
        "description": "深基坑支护未按方案施工，责令停工整改",
        "targetEnterpriseId": fx.contractor.id,
        "projectId": fx.project.id,
    } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_month_reads_as_it_was_judged_whatever_happens_to_its_subjects_later() {
    let (app, fx) = Fixture::spawn().await;
    let last_month = first_of_last_month();
    // Created today, the fixture's projects did not owe last month's check.
    let c = compliance(&app, &fx, MONTHLY, last_month).await;
    assert!(subjects(&c).is_empty(), "{c}");
    assert_eq!(
        subjects(&compliance(&app, &fx, MONTHLY, today()).await),
        [fx.project.id.clone(), fx.other_project.id.clone()]
    );

    // As if both had been active all year: last month both owed it, neither met it.
    app.exec(BACKDATE_HISTORY).await;
    let before = compliance(&app, &fx, MONTHLY, last_month).await;
    assert_eq!(before["missedCount"], 2);
    assert_eq!(
        before["subjects"][0]["owedDays"],
        i64::from(Period::containing(PeriodKind::Month, last_month).days() as i32)
    );
    assert_eq!(close(&app, MONTHLY, last_month).await, 2);
    assert_eq!(app.count("obligation_standing").await, 2);

    // Afterwards the site is archived and the other one completed: last month does not change;
    // from tomorrow on, neither owes a daily check.
    app.data(
        fx.admin.auth(),
        "mutation($id: ID!) { archiveProject(input: {id: $id}) { project { id } } }",
        json!({ "id": fx.project.id }),
    )
    .await;
    app.data(
        fx.admin.auth(),
        "mutation($id: ID!) { updateProject(input: {id: $id, status: COMPLETED}) { project { id } } }",
        json!({ "id": fx.other_project.id }),
    )
    .await;
    assert_eq!(compliance(&app, &fx, MONTHLY, last_month).await, before);
    let tomorrow = today() + Duration::days(1);
    assert!(subjects(&compliance(&app, &fx, DAILY, tomorrow).await).is_empty());
    // Today they were active until now, so today's duty stands.
    assert_eq!(
        subjects(&compliance(&app, &fx, DAILY, today()).await).len(),
        2
    );
    // Closing again changes nothing.
    assert_eq!(close(&app, MONTHLY, last_month).await, 0);
    assert_eq!(compliance(&app, &fx, MONTHLY, last_month).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_work_order_pauses_the_sites_duties_until_it_resumes() {
    let (app, fx) = Fixture::spawn().await;
    let tomorrow = today() + Duration::days(1);
    let owes_tomorrow = async |app: &TestApp| {
        subjects(&compliance(app, &fx, DAILY, tomorrow).await).contains(&fx.project.id)
    };
    assert!(owes_tomorrow(&app).await);
    app.data(
        fx.inspector.auth(),
        ISSUE,
        stop_work("STOP_WORK_ORDER", &fx),
    )
    .await;
    // Suspended from now on: tomorrow owes nothing, today (active this morning) still does.
    assert!(!owes_tomorrow(&app).await);
    assert!(subjects(&compliance(&app, &fx, DAILY, today()).await).contains(&fx.project.id));
    app.data(
        fx.inspector.auth(),
        ISSUE,
        stop_work("RESUME_WORK_ORDER", &fx),
    )
    .await;
    assert!(owes_tomorrow(&app).await);
    // The history says so: ACTIVE, then SUSPENDED, then ACTIVE again.
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM state_span WHERE subject_type = 'Project' AND state = 'SUSPENDED' AND until_at IS NOT NULL")
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leaders_monthly_duty_follows_the_role_over_time() {
    let (app, fx) = Fixture::spawn().await;
    app.exec(BACKDATE_HISTORY).await;
    let last_month = first_of_last_month();
    let next_month = Period::containing(PeriodKind::Month, today()).next().start;
    // A new deputy leader from today.
    let d = app
        .data(
            fx.admin.auth(),
            "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }",
            json!({ "input": { "username": "fx-deputy", "displayName": "新任副组长", "password": "demo-pass-2026",
                "roles": ["LEADER"], "orgUnitId": fx.commission.id } }),
        )
        .await;
    let deputy = d["createAccount"]["account"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The leader hands over today: no longer LEADER.
    app.data(
        fx.admin.auth(),
        "mutation($id: ID!) { updateAccount(input: {id: $id, roles: [DEPARTMENT_STAFF]}) { account { id } } }",
        json!({ "id": fx.leader.id }),
    )
    .await;
    assert_eq!(
        subjects(&compliance(&app, &fx, LEADER_MONTHLY, last_month).await),
        vec![fx.leader.id.clone()],
        "last month: only the leader then"
    );
    let mut now = subjects(&compliance(&app, &fx, LEADER_MONTHLY, today()).await);
    now.sort();
    let mut both = vec![fx.leader.id.clone(), deputy.clone()];
    both.sort();
    assert_eq!(now, both, "this month: both held the role in it");
    assert_eq!(
        subjects(&compliance(&app, &fx, LEADER_MONTHLY, next_month).await),
        [deputy],
        "next month: only the deputy"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_of_statutory_holidays_owes_no_department_supervision() {
    let (app, fx) = Fixture::spawn().await;
    app.exec("UPDATE org_unit SET created_at = '2025-12-31 16:00:00+00:00'")
        .await;
    let feb = |d| NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
    // 2026 Spring Festival: 15–23 February; the week of Monday 16 February is all holiday.
    let holiday_week = compliance(&app, &fx, DEPARTMENT_WEEKLY, feb(18)).await;
    assert!(subjects(&holiday_week).is_empty(), "{holiday_week}");
    // The week before: Sunday the 15th is already a holiday (Saturday the 14th is a make-up
    // working day), six days are owed.
    let before = compliance(&app, &fx, DEPARTMENT_WEEKLY, feb(11)).await;
    assert_eq!(subjects(&before), vec![fx.department.id.clone()]);
    assert_eq!(before["subjects"][0]["owedDays"], 6);
    // The week of Monday 23 February: the 23rd is a holiday, six days are owed.
    let after = compliance(&app, &fx, DEPARTMENT_WEEKLY, feb(25)).await;
    assert_eq!(after["subjects"][0]["owedDays"], 6);
    let info = app
        .data(
            fx.admin.auth(),
            "{ obligations { code exemptHolidays } }",
            json!({}),
        )
        .await;
    let exempt: Vec<&str> = info["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["exemptHolidays"] == true)
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(exempt, [DEPARTMENT_WEEKLY]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_department_week_reaches_its_head_and_the_leadership_office() {
    let (app, fx) = Fixture::spawn().await;
    app.exec("UPDATE org_unit SET created_at = '2025-12-31 16:00:00+00:00'")
        .await;
    let footprint = async |app: &TestApp| {
        // Handlers of earlier events write too (audit records, links); let them finish first.
        app.settle().await;
        (
            app.count("audit_log").await,
            app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM org_unit")
                .await,
        )
    };
    let before = footprint(&app).await;
    // Refused, writing nothing: a head who is not of the unit; the office in a township; by
    // someone who does not manage org units.
    for (who, input, code, field) in [
        (
            &fx.admin,
            json!({ "id": fx.department.id, "headAccountId": fx.township_staff.id }),
            "BAD_USER_INPUT",
            Some("headAccountId"),
        ),
        (
            &fx.admin,
            json!({ "id": fx.township.id, "leadershipOffice": true }),
            "BAD_USER_INPUT",
            Some("leadershipOffice"),
        ),
        (
            &fx.staff,
            json!({ "id": fx.department.id, "headAccountId": fx.staff.id }),
            "FORBIDDEN",
            None,
        ),
    ] {
        let body = app
            .gql(who.auth(), UPDATE_ORG, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&body), code, "{body}");
        if let Some(f) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], f);
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .any(|c| c > '\u{2e80}')
            );
        }
    }
    assert_eq!(footprint(&app).await, before);

    // The department's head is its staff member; the office sits in the commission (where the
    // leader is). Marking a second office moves it.
    let d = app
        .data(
            fx.admin.auth(),
            UPDATE_ORG,
            json!({ "input": { "id": fx.department.id, "headAccountId": fx.staff.id, "leadershipOffice": true } }),
        )
        .await;
    assert_eq!(
        d["updateOrgUnit"]["orgUnit"]["head"]["id"],
        fx.staff.id.as_str()
    );
    let d = app
        .data(
            fx.admin.auth(),
            UPDATE_ORG,
            json!({ "input": { "id": fx.commission.id, "leadershipOffice": true } }),
        )
        .await;
    assert_eq!(d["updateOrgUnit"]["orgUnit"]["leadershipOffice"], true);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM org_unit WHERE leadership_office = TRUE")
            .await,
        1
    );

    // Last week nobody supervised: closing it tells the head and the office's people.
    let last_week = today() - Duration::days(7);
    assert_eq!(close(&app, DEPARTMENT_WEEKLY, last_week).await, 1);
    let told = async |who: &jianan_tests::fixtures::Account| -> Vec<String> {
        let d = app
            .data(
                who.auth(),
                "{ notifications(first: 20) { nodes { kind title body } } }",
                json!({}),
            )
            .await;
        d["notifications"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "kernel.obligation_missed")
            .map(|n| {
                format!(
                    "{} {}",
                    n["title"].as_str().unwrap(),
                    n["body"].as_str().unwrap()
                )
            })
            .collect()
    };
    for who in [&fx.staff, &fx.leader] {
        let got = told(who).await;
        assert_eq!(got.len(), 1, "{}: {got:?}", who.username);
        assert!(
            got[0].contains("成员单位每周督查") && got[0].contains(data::DEPARTMENT.1),
            "{got:?}"
        );
    }
    // The department's inspector is neither head nor office.
    assert!(told(&fx.inspector).await.is_empty());
}

//! The obligation engine (issue #3 §6, §11): periods in Asia/Shanghai, evidence, missed periods.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use jianan_kernel::calendar::{Period, PeriodKind};
use jianan_tests::fixtures::Fixture;
use jianan_tests::png;
use sea_orm::EntityTrait;
use serde_json::json;

const DAILY: &str = "inspections.safety_manager_daily";
const COMPLIANCE: &str = "query($code: String!, $date: Date!, $subject: ID) {
  obligationCompliance(code: $code, date: $date, subjectId: $subject) {
    period periodStart missedCount subjects { subjectId label count met evidence { occurredAt } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_daily_check_shows_on_the_right_shanghai_date_across_midnight_utc() {
    // The fixture's site has no self-check history.
    let (app, fx) = Fixture::spawn().await;
    let safety = fx.safety.token.clone();
    let inspector = fx.inspector.token.clone();
    let project = fx.project.id.clone();
    let code = fx.project.code.clone();
    // The week of Monday 2026-11-16 (Asia/Shanghai = UTC+8). No check on Wednesday 18th local time;
    // the record at 2026-11-18T16:30Z is Thursday 00:30 in Shanghai, and the one at
    // 2026-11-17T15:59Z is still Tuesday 23:59.
    // Past days can only be recorded while they were open (issue #7 item 2), so the history is
    // replayed through the service as recorded half a minute after each check.
    let k = &app.server().kernel;
    app.exec(jianan_tests::BACKDATE_HISTORY).await;
    let safety_account = jianan_entity::account::Entity::find_by_id(fx.safety.uuid)
        .one(&k.db.conn)
        .await
        .unwrap()
        .unwrap();
    let who = jianan_kernel::principal::RequestInfo {
        principal: std::sync::Arc::new(
            jianan_registry::service::auth::principal_of(&k.db.conn, k, &safety_account)
                .await
                .unwrap(),
        ),
        request_id: "replay".into(),
        client_addr: None,
    };
    for at in [
        "2026-11-16T01:00:00Z",
        "2026-11-17T15:59:00Z",
        "2026-11-18T16:30:00Z",
        "2026-11-20T02:00:00Z",
        "2026-11-21T02:00:00Z",
        "2026-11-22T02:00:00Z",
    ] {
        let at: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
        let i = jianan_inspections::service::inspection::record_as_of(
            k,
            &who,
            jianan_inspections::service::inspection::NewInspection {
                project_id: fx.project.uuid,
                kind: jianan_inspections::entity::enums::InspectionKind::SafetyManagerDaily,
                inspected_at: at,
                latitude: None,
                longitude: None,
                inspector_ids: Vec::new(),
                findings: "日常巡查，未发现问题".into(),
                result: jianan_inspections::entity::enums::InspectionResult::NoProblem,
                checklist: None,
                hazards: Vec::new(),
                draw_assignment: None,
                idempotency_key: None,
            },
            at + chrono::Duration::seconds(30),
        )
        .await
        .unwrap();
        assert!(!i.late);
    }
    let mut missed_days = Vec::new();
    for day in 16..=22 {
        let date = format!("2026-11-{day}");
        let d = app
            .data(
                Some(&inspector),
                COMPLIANCE,
                json!({ "code": DAILY, "date": date, "subject": project }),
            )
            .await;
        let c = &d["obligationCompliance"];
        assert_eq!(c["period"], date);
        let s = &c["subjects"][0];
        assert!(s["label"].as_str().unwrap().starts_with(&code));
        if !s["met"].as_bool().unwrap() {
            missed_days.push(day);
        }
        if day == 19 {
            assert_eq!(
                s["evidence"][0]["occurredAt"].as_str().unwrap(),
                "2026-11-18T16:30:00+00:00"
            );
        }
    }
    assert_eq!(
        missed_days,
        [18],
        "only Wednesday 18 November (Shanghai) is missed"
    );
    let d = app
        .data(
            Some(&inspector),
            COMPLIANCE,
            json!({ "code": DAILY, "date": "2026-11-18", "subject": project }),
        )
        .await;
    assert_eq!(
        d["obligationCompliance"]["periodStart"], "2026-11-17T16:00:00+00:00",
        "the day starts at 00:00 +08:00"
    );

    // Closing the day publishes the miss once, and tells the enterprise.
    let daily = k
        .obligations
        .iter()
        .find(|o| o.def().code == DAILY)
        .unwrap();
    let wednesday = Period::containing(
        PeriodKind::Day,
        NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
    );
    let missed = jianan_kernel::obligations::close_period(k, daily.as_ref(), wednesday)
        .await
        .unwrap();
    assert!(missed >= 1);
    assert_eq!(
        jianan_kernel::obligations::close_period(k, daily.as_ref(), wednesday)
            .await
            .unwrap(),
        0,
        "closed once"
    );
    let tuesday = Period::containing(
        PeriodKind::Day,
        NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
    );
    jianan_kernel::obligations::close_period(k, daily.as_ref(), tuesday)
        .await
        .unwrap();
    let count = |period: &'static str| {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'kernel.obligation_missed' AND aggregate_id = '{}' AND payload LIKE '%\"period\":\"{period}\"%'",
            fx.project.uuid
        );
        let app = &app;
        async move { app.scalar(&sql).await }
    };
    assert_eq!(
        count("2026-11-18").await,
        1,
        "one obligation_missed for the project on the 18th"
    );
    assert_eq!(count("2026-11-17").await, 0, "Tuesday was met");
    let n = app
        .data(
            Some(&safety),
            "{ notifications(first: 50) { edges { node { kind title body } } } }",
            json!({}),
        )
        .await;
    let wednesday: Vec<_> = n["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["node"]["kind"] == "kernel.obligation_missed"
                && e["node"]["title"].as_str().unwrap().contains("2026-11-18")
        })
        .collect();
    assert_eq!(
        wednesday.len(),
        1,
        "one summary notification per person and period: {n}"
    );
    assert!(
        wednesday[0]["node"]["body"]
            .as_str()
            .unwrap()
            .contains(&code),
        "it names the project"
    );

    // Enterprise scope: the safety manager sees only their own projects' standing.
    let d = app.data(Some(&safety), "query { obligationCompliance(code: \"inspections.project_leader_weekly\", date: \"2026-11-18\", onlyMissed: true) { period missedCount } }", json!({})).await;
    assert_eq!(d["obligationCompliance"]["period"], "2026-W47");
    let mine = app
        .data(
            Some(&safety),
            "{ projects(filter: {statuses: [ACTIVE]}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        d["obligationCompliance"]["missedCount"], mine["projects"]["totalCount"],
        "no weekly checks at all that week"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_photographed_publicity_items_meet_the_monthly_site_obligation() {
    // The fixture's site has no self-check history.
    let (app, fx) = Fixture::spawn().await;
    let safety = fx.safety.token.clone();
    let project = fx.project.id.clone();
    let mut items = Vec::new();
    for (kind, title) in [
        ("SLOGAN", "安全第一 预防为主"),
        ("POSTER", "高处作业必须系挂安全带"),
        ("COLUMN", "安全生产宣传专栏"),
    ] {
        let d = app
            .data(
                Some(&safety),
                "mutation($p: ID!, $k: PublicityKind!, $t: String!) { recordPublicityItem(input: {projectId: $p, kind: $k, title: $t, location: \"大门入口\"}) { id } }",
                json!({ "p": project, "k": kind, "t": title }),
            )
            .await;
        items.push(d["recordPublicityItem"]["id"].as_str().unwrap().to_owned());
    }
    let evidence_before = app.count("obligation_evidence").await;
    for item in &items[..2] {
        let (status, body) = app.upload(&safety, item, png(0)).await;
        assert!(status == 200 && body.get("errors").is_none(), "{body}");
    }
    let confirm = "mutation($p: ID!, $ids: [ID!]!) { confirmSitePublicity(input: {projectId: $p, itemIds: $ids}) { countedThisMonth } }";
    let body = app
        .gql(
            Some(&safety),
            confirm,
            json!({ "p": project, "ids": items }),
        )
        .await;
    assert_eq!(
        jianan_tests::error_code(&body),
        "BAD_USER_INPUT",
        "an item without a photo does not count"
    );
    assert_eq!(
        app.count("obligation_evidence").await,
        evidence_before,
        "and nothing was counted"
    );
    app.upload(&safety, &items[2], png(0)).await;
    let d = app
        .data(
            Some(&safety),
            confirm,
            json!({ "p": project, "ids": items }),
        )
        .await;
    assert_eq!(d["confirmSitePublicity"]["countedThisMonth"], 3);
    let d = app
        .data(
            Some(&safety),
            confirm,
            json!({ "p": project, "ids": items }),
        )
        .await;
    assert_eq!(
        d["confirmSitePublicity"]["countedThisMonth"], 3,
        "confirming twice counts each item once"
    );
    let today = jianan_kernel::calendar::today().to_string();
    let d = app
        .data(
            Some(&safety),
            COMPLIANCE,
            json!({ "code": "inspections.site_publicity", "date": today, "subject": project }),
        )
        .await;
    assert_eq!(d["obligationCompliance"]["subjects"][0]["met"], true);
}

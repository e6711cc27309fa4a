//! Services and kernel APIs called directly on the platform kernel (no HTTP), through the
//! kernel test harness: registry rules, the audit chain, the outbox, obligations and the calendar.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::BoxFuture;
use jianan_entity::enums::{CalendarDayKind, EnterpriseKind};
use jianan_entity::{audit_log, calendar_day, notification};
use jianan_kernel::AppResult;
use jianan_kernel::calendar::{Period, PeriodKind};
use jianan_kernel::obligations;
use jianan_kernel::outbox::{Event, EventHandler};
use jianan_kernel::principal::Role;
use jianan_kernel::scope::RowScope;
use jianan_tests::harness::Harness;
use jianan_tests::{calls, valid_uscc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_harness_caller_carries_what_a_logged_in_request_would() {
    let h = Harness::new().await;
    let w = &h.world;
    for role in Role::ALL {
        let who = h.who(role);
        let p = &who.principal;
        assert_eq!(p.account_id, Some(w.accounts.of(role)), "{role:?}");
        assert_eq!(p.roles, [role]);
        assert_eq!(
            p.permissions,
            h.kernel.tokens.permissions().permissions_of(&[role]),
            "{role:?}: the role's permissions"
        );
        let (township, enterprise) = match role {
            Role::TownshipStaff | Role::HouseMonitor => (Some(w.township), None),
            r if r.is_enterprise() => (None, Some(w.contractor)),
            _ => (None, None),
        };
        assert_eq!(p.township_id, township, "{role:?}");
        assert_eq!(p.enterprise_id, enterprise, "{role:?}");
    }
    let staff = h.who(Role::DepartmentStaff);
    assert!(staff.principal.can("registry.enterprise.manage"));
    assert_eq!(staff.principal.org_unit_id, Some(w.department));
    let manager = h.who(Role::EnterpriseManager);
    assert!(!manager.principal.can("registry.enterprise.manage"));
    let supervision = h.acting_as(w.accounts.supervision);
    assert_eq!(supervision.principal.enterprise_id, Some(w.supervisor));
    let other = h.acting_as(w.accounts.other_manager);
    assert_eq!(other.principal.enterprise_id, Some(w.other_contractor));
}

/// (enterprises, audit records, outbox events, idempotency records).
async fn writes(h: &Harness) -> (i64, i64, i64, i64) {
    (
        h.count("enterprise").await,
        h.count("audit_log").await,
        h.count("outbox_event").await,
        h.count("idempotency_record").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registry_refuses_a_bad_credit_code_and_writes_nothing() {
    let h = Harness::new().await;
    let staff = h.who(Role::DepartmentStaff);
    let before = writes(&h).await;
    let valid = valid_uscc("91500156MA5UHRN01");
    let right = valid.chars().last().unwrap();
    let bad_check = format!("{}{}", &valid[..17], if right == '0' { '1' } else { '0' });
    for (code, reason) in [
        (bad_check.as_str(), "校验码"),
        ("9150015674746378", "18位"),
        ("91500156O47463789X", "第9位"),
    ] {
        let err = calls::create_enterprise(
            &h.kernel,
            &staff,
            code,
            "重庆测试建设有限公司",
            EnterpriseKind::Contractor,
            Some("retry-1"),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code.as_str(), "BAD_USER_INPUT", "{code}");
        assert_eq!(err.field.as_deref(), Some("uscc"));
        assert!(err.message.contains(reason), "{code}: {}", err.message);
    }
    assert_eq!(writes(&h).await, before, "refused creates write nothing");

    // The same input with a valid code is one enterprise, one audit record, one event, and a
    // retry with the same key returns it without writing again.
    let e = calls::create_enterprise(
        &h.kernel,
        &staff,
        &valid,
        "重庆测试建设有限公司",
        EnterpriseKind::Contractor,
        Some("retry-1"),
    )
    .await
    .unwrap();
    assert_eq!(e.uscc, valid);
    assert_eq!(e.version, 1);
    let after = writes(&h).await;
    assert_eq!(
        (after.0, after.1, after.2),
        (before.0 + 1, before.1 + 1, before.2 + 1)
    );
    let again = calls::create_enterprise(
        &h.kernel,
        &staff,
        &valid,
        "重庆测试建设有限公司",
        EnterpriseKind::Contractor,
        Some("retry-1"),
    )
    .await
    .unwrap();
    assert_eq!(again.id, e.id);
    assert_eq!(writes(&h).await, after, "a replay writes nothing");
    // The audit record names the caller.
    let record = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("registry.enterprise.create"))
        .filter(audit_log::Column::EntityId.eq(e.id.to_string()))
        .one(&h.kernel.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.actor_id, Some(h.world.accounts.staff));
    // Without a key, the taken code is an input error on the same field.
    let dup = calls::create_enterprise(
        &h.kernel,
        &staff,
        &valid,
        "另一家公司",
        EnterpriseKind::Supervisor,
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (dup.code.as_str(), dup.field.as_deref()),
        ("BAD_USER_INPUT", Some("uscc"))
    );
    assert_eq!(writes(&h).await, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archiving_checks_the_version_and_happens_once() {
    let h = Harness::new().await;
    let staff = h.who(Role::DepartmentStaff);
    let e = calls::create_enterprise(
        &h.kernel,
        &staff,
        &valid_uscc("91500156MA5UHRN02"),
        "归档测试有限公司",
        EnterpriseKind::Subcontractor,
        None,
    )
    .await
    .unwrap();
    let before = writes(&h).await;
    let stale = calls::archive_enterprise(&h.kernel, &staff, e.id, Some(7))
        .await
        .unwrap_err();
    assert_eq!(stale.code.as_str(), "CONFLICT");
    assert_eq!(writes(&h).await, before, "a refused archive writes nothing");

    let archived = calls::archive_enterprise(&h.kernel, &staff, e.id, Some(1))
        .await
        .unwrap();
    assert_eq!(archived.version, 2);
    assert!(archived.archived_at.is_some());
    let after = writes(&h).await;
    assert_eq!(
        (after.1, after.2),
        (before.1 + 1, before.2 + 1),
        "one audit record, one event"
    );
    let twice = calls::archive_enterprise(&h.kernel, &staff, e.id, None)
        .await
        .unwrap();
    assert_eq!(twice.version, 2, "archiving twice changes nothing");
    assert_eq!(twice.archived_at, archived.archived_at);
    assert_eq!(writes(&h).await, after, "and records nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_chain_covers_service_writes_and_detects_an_edit() {
    let h = Harness::new().await;
    assert!(h.audit().await.is_intact());
    for (i, role) in [Role::Admin, Role::DepartmentStaff, Role::Inspector]
        .into_iter()
        .enumerate()
    {
        calls::create_enterprise(
            &h.kernel,
            &h.who(role),
            &valid_uscc(&format!("91500156MA5UAUD0{i}")),
            &format!("审计测试{i}有限公司"),
            EnterpriseKind::Contractor,
            None,
        )
        .await
        .unwrap();
    }
    let report = h.audit().await;
    assert!(report.is_intact(), "{:?}", report.problems);
    assert_eq!(report.records, 3);
    assert_eq!(h.count("audit_log").await, 3);

    h.tamper("UPDATE audit_log SET detail = '{\"uscc\":\"FORGED\"}' WHERE seq = (SELECT MIN(seq) + 1 FROM audit_log)")
        .await;
    let report = h.audit().await;
    assert!(!report.is_intact(), "an edited record is detected");
    assert!(!report.problems.is_empty());
}

/// Records every event it is given.
struct Recorder {
    topics: &'static [&'static str],
    seen: Mutex<Vec<Event>>,
}

impl EventHandler for Recorder {
    fn name(&self) -> &'static str {
        "test.recorder"
    }
    fn topics(&self) -> &'static [&'static str] {
        self.topics
    }
    fn handle<'a>(
        &'a self,
        _txn: &'a jianan_kernel::db::WriteTxn,
        event: &'a Event,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            self.seen.lock().unwrap().push(event.clone());
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enforcement_action_reaches_its_consumer_once_through_the_dispatcher() {
    let h = Harness::new().await;
    let inspector = h.who(Role::Inspector);
    let credit = Arc::new(Recorder {
        topics: &["inspections.enforcement_issued"],
        seen: Mutex::new(Vec::new()),
    });
    let dispatcher = h.dispatcher(vec![credit.clone()]);
    let mut live = h.kernel.bus.subscribe();

    // A deduction without points is refused before anything is published.
    let err = calls::deduct_credit_points(
        &h.kernel,
        &inspector,
        h.world.contractor,
        h.world.project,
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("points"));
    assert_eq!(h.count("outbox_event").await, 0);

    let action = calls::deduct_credit_points(
        &h.kernel,
        &inspector,
        h.world.contractor,
        h.world.project,
        Some(3),
    )
    .await
    .unwrap();
    assert!(
        credit.seen.lock().unwrap().is_empty(),
        "nothing is delivered before the dispatcher runs"
    );
    let dispatched = dispatcher.run_once().await.unwrap();
    assert_eq!(dispatched, 1, "the action's event");
    {
        let seen = credit.seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "one event for one action");
        let e = &seen[0];
        assert_eq!(e.aggregate_id, action.id.to_string());
        assert_eq!(e.actor_id, Some(h.world.accounts.inspector));
        assert_eq!(e.payload["points"], 3);
    }
    // On SQLite the dispatcher feeds this process's subscribers itself; on PostgreSQL it NOTIFYs
    // and every instance's listener does (the harness runs none: platform.rs covers that path).
    if h.kernel.db.backend() == sea_orm::DatabaseBackend::Sqlite {
        let mut topics = Vec::new();
        while let Ok(e) = live.try_recv() {
            topics.push(e.topic.clone());
        }
        assert!(
            topics.contains(&"inspections.enforcement_issued".to_owned()),
            "subscribers see it once dispatched: {topics:?}"
        );
    }

    // Nothing left: a second pass delivers nothing, and a redelivery after a crash is skipped by
    // the handler's delivery record.
    // The credit module's own handler applied the deduction and published its two follow-ups
    // (`credit.changed`: the score, the bad record), which the next pass delivers.
    assert_eq!(dispatcher.run_once().await.unwrap(), 2);
    assert_eq!(dispatcher.run_once().await.unwrap(), 0);
    h.exec("UPDATE outbox_event SET dispatched_at = NULL").await;
    assert_eq!(dispatcher.run_once().await.unwrap(), dispatched + 2);
    assert_eq!(credit.seen.lock().unwrap().len(), 1, "no second effect");
    assert_eq!(h.count("credit_entry").await, 1, "deducted once");
    assert_eq!(
        h.dispatch().await,
        0,
        "the platform's own pass finds nothing"
    );
}

const DAILY: &str = "inspections.safety_manager_daily";

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(y: i32, m: u32, d: u32) -> Period {
    Period::containing(PeriodKind::Day, NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_shanghai_day_is_published_once_to_the_people_of_each_project() {
    let h = Harness::new().await;
    let k = &h.kernel;
    let daily = k
        .obligations
        .iter()
        .find(|o| o.def().code == DAILY)
        .unwrap()
        .clone();
    // Both sites have been active all year. The site's safety manager checks at 23:59 on Tuesday
    // 17 and 00:00 on Thursday 19 November (Asia/Shanghai, UTC+8); nobody checks on the other
    // project.
    h.exec(jianan_tests::BACKDATE_HISTORY).await;
    let w = k.db.begin_write().await.unwrap();
    for t in ["2026-11-17T15:59:00Z", "2026-11-18T16:00:00Z"] {
        obligations::record_evidence(
            &*w,
            DAILY,
            h.world.project,
            at(t),
            "Inspection",
            uuid::Uuid::now_v7(),
        )
        .await
        .unwrap();
    }
    w.commit().await.unwrap();

    // Standing as the contractor's safety manager sees it: its own site only.
    let safety = h.who(Role::EnterpriseSafetyManager);
    let standing = |p: Period| {
        let daily = daily.clone();
        let scope = RowScope::of(&safety.principal);
        async move {
            obligations::compliance(&k.db.conn, daily.as_ref(), p, scope)
                .await
                .unwrap()
        }
    };
    for (d, met) in [(17, true), (18, false), (19, true)] {
        let s = standing(day(2026, 11, d)).await;
        assert_eq!(s.len(), 1, "the enterprise sees its own site only");
        assert_eq!(s[0].subject.id, h.world.project);
        assert_eq!(s[0].met(), met, "2026-11-{d}");
    }

    let wednesday = day(2026, 11, 18);
    let missed = obligations::close_period(k, daily.as_ref(), wednesday)
        .await
        .unwrap();
    assert_eq!(missed, 2, "the site and the other project");
    assert_eq!(
        obligations::close_period(k, daily.as_ref(), wednesday)
            .await
            .unwrap(),
        0,
        "closed once"
    );
    for project in [h.world.project, h.world.other_project] {
        assert_eq!(
            h.scalar(&format!(
                "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'kernel.obligation_missed' AND aggregate_id = '{project}'"
            ))
            .await,
            1
        );
    }

    // One notification each for the people of the participants and the township's staff.
    let notified: Vec<uuid::Uuid> = notification::Entity::find()
        .filter(notification::Column::Kind.eq("kernel.obligation_missed"))
        .all(&k.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.recipient_id)
        .collect();
    let a = &h.world.accounts;
    let mut expected = vec![
        a.township_staff,
        a.safety,
        a.project_leader,
        a.manager,
        a.supervision,
        a.other_manager,
    ];
    let mut got = notified.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "one notification per responsible person");

    // The dispatcher delivers the misses and the notifications' announcements.
    let pending = h
        .scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE dispatched_at IS NULL")
        .await;
    assert_eq!(pending, 2 + 6);
    assert_eq!(h.dispatch().await, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_follow_the_calendar_the_commission_loaded() {
    let h = Harness::new().await;
    let k = &h.kernel;
    let friday = NaiveDate::from_ymd_opt(2027, 2, 5).unwrap();
    // 2027 has no built-in arrangement: plain Monday–Friday.
    assert_eq!(
        k.calendar().add_working_days(friday, 1),
        NaiveDate::from_ymd_opt(2027, 2, 8).unwrap()
    );
    for (d, kind) in [
        (6, CalendarDayKind::MakeupWorkday),
        (8, CalendarDayKind::Holiday),
        (9, CalendarDayKind::Holiday),
    ] {
        calendar_day::ActiveModel {
            day: Set(NaiveDate::from_ymd_opt(2027, 2, d).unwrap()),
            kind: Set(kind),
            note: Set("春节".to_owned()),
        }
        .insert(&k.db.conn)
        .await
        .unwrap();
    }
    k.replace_calendar(jianan_kernel::calendar_api::load(&k.db.conn).await.unwrap());
    let cal = k.calendar();
    assert_eq!(
        cal.add_working_days(friday, 1),
        NaiveDate::from_ymd_opt(2027, 2, 6).unwrap(),
        "the Saturday make-up day counts"
    );
    assert_eq!(
        cal.add_working_days(friday, 2),
        NaiveDate::from_ymd_opt(2027, 2, 10).unwrap(),
        "the two holidays are skipped"
    );
    // Built-in years stay as published: 2025 National Day, from Tue 30 Sep, 3 working days.
    assert_eq!(
        cal.add_working_days(NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(), 3),
        NaiveDate::from_ymd_opt(2025, 10, 11).unwrap()
    );
}

//! Credit evaluation at the service level (issue #9): the rules version in force at the event's
//! date decides; applying the same event twice changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use jianan_contracts::inspections::{EnforcementIssued, EnforcementKind};
use jianan_credit::entity::enums::RuleTrigger;
use jianan_credit::service::evaluation::apply_enforcement;
use jianan_credit::service::rules::{NewRule, NewRuleVersion, publish};
use jianan_kernel::principal::Role;
use jianan_tests::harness::Harness;
use sea_orm::Iterable;
use uuid::Uuid;

fn action(enterprise: Uuid, points: u32, at: chrono::DateTime<Utc>) -> EnforcementIssued {
    EnforcementIssued {
        action_id: Uuid::now_v7(),
        kind: EnforcementKind::CreditDeduction,
        legal_basis: "《建设工程安全生产管理条例》第六十二条".into(),
        description: "临边防护缺失".into(),
        enterprise_id: Some(enterprise),
        enterprise_uscc: Some("91500156MA60000000".into()),
        enterprise_name: Some("测试建设有限公司".into()),
        person: None,
        points: Some(points),
        penalty_fen: None,
        project_id: None,
        township_id: None,
        hazard_ids: Vec::new(),
        inspection_ids: Vec::new(),
        occurred_at: at,
    }
}

async fn apply(h: &Harness, event: Uuid, e: &EnforcementIssued) {
    let w = h.kernel.db.begin_write().await.unwrap();
    apply_enforcement(&w, event, e).await.unwrap();
    w.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_version_in_force_at_the_events_date_decides_and_a_replay_counts_once() {
    let h = Harness::new().await;
    let from = Utc::now() + Duration::days(30);
    let rules = RuleTrigger::iter()
        .map(|t| NewRule {
            code: format!("V2-{t:?}"),
            trigger: t,
            points: Some(if t == RuleTrigger::CreditDeduction {
                10
            } else {
                0
            }),
            bad_record: false,
            publication_months: 6,
            source: "测试细则".into(),
            confirmed: false,
        })
        .collect();
    publish(
        &h.kernel,
        &h.who(Role::DepartmentStaff),
        NewRuleVersion {
            effective_from: from,
            note: None,
            rules,
            idempotency_key: None,
        },
    )
    .await
    .unwrap();
    let e = h.world.contractor;
    // Now: version 1, the decision's own 3 points, and a bad record.
    let today = action(e, 3, Utc::now());
    let event = Uuid::now_v7();
    apply(&h, event, &today).await;
    apply(&h, event, &today).await;
    assert_eq!(h.count("credit_entry").await, 1, "a replay counts once");
    assert_eq!(h.count("credit_record").await, 1);
    assert_eq!(h.count("credit_change").await, 2);
    // After version 2 starts: its 10 points whatever the decision says, and no record.
    let later = action(e, 3, from + Duration::days(1));
    apply(&h, Uuid::now_v7(), &later).await;
    assert_eq!(
        h.scalar("SELECT COUNT(*) AS n FROM credit_entry WHERE rule_version = 2 AND points = -10")
            .await,
        1
    );
    assert_eq!(h.count("credit_record").await, 1);
    // The feed has no gaps.
    assert_eq!(h.scalar("SELECT MAX(seq) AS n FROM credit_change").await, 3);
    assert_eq!(
        h.scalar("SELECT last_seq AS n FROM credit_feed_head").await,
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_leave_a_gap_free_feed() {
    use jianan_credit::service::records::{NewGoodRecord, record_good};
    let h = Harness::new().await;
    let staff = h.who(Role::DepartmentStaff);
    let firms = [
        h.world.contractor,
        h.world.supervisor,
        h.world.developer,
        h.world.other_contractor,
    ];
    // Twelve writers at once (on PostgreSQL truly concurrent; they queue on the feed's lock),
    // while a dispatcher delivers the events they publish.
    let writes = futures_util::future::join_all((0..12).map(|i| {
        let (k, staff) = (h.kernel.clone(), staff.clone());
        let firm = firms[i % 4];
        tokio::spawn(async move {
            record_good(
                &k,
                &staff,
                NewGoodRecord {
                    enterprise_id: firm,
                    title: format!("表彰{i}"),
                    legal_basis: "测试".into(),
                    description: "测试".into(),
                    decided_at: Utc::now(),
                    idempotency_key: None,
                },
            )
            .await
            .unwrap()
        })
    }));
    let (done, _) = tokio::join!(writes, h.dispatch());
    assert!(done.iter().all(Result::is_ok));
    assert_eq!(
        h.scalar("SELECT COUNT(*) AS n FROM credit_change").await,
        12
    );
    assert_eq!(
        h.scalar("SELECT COUNT(DISTINCT seq) AS n FROM credit_change")
            .await,
        12
    );
    assert_eq!(h.scalar("SELECT MIN(seq) AS n FROM credit_change").await, 1);
    assert_eq!(
        h.scalar("SELECT MAX(seq) AS n FROM credit_change").await,
        12
    );
    assert_eq!(
        h.scalar("SELECT last_seq AS n FROM credit_feed_head").await,
        12
    );
    // Each entry's event carries its sequence number.
    assert_eq!(
        h.scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'credit.changed'")
            .await,
        12
    );
}

//! `jianan seed --scale N` (issue #14 item 1): a tiny volume (a hundredth of a district, 20 days
//! of rosters and warnings) loaded into an empty database, then read back as users would — every
//! hazard state, statistics equal to the rows, a township's page whose hazards keep their links,
//! a photo that downloads, the bureau's credit feed read whole in its largest pages (100; the API refuses 500), a credit profile,
//! the list queries' totals, a roster covered every day — and a second load that changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};

use jianan_api::app::{ScaleSeeded, seed_scale};
use jianan_kernel::volume::Volume;
use jianan_tests::{Options, TestApp};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// A hundredth of a district over 20 days of rosters and warnings.
fn tiny() -> Volume {
    Volume::fraction(100, 20)
}

async fn seeded() -> (TestApp, Volume, HashMap<&'static str, u64>) {
    let app = TestApp::spawn_with(Options {
        empty: true,
        outbox_poll_ms: Some(3_600_000),
        ..Options::default()
    })
    .await;
    let volume = tiny();
    let k = app.server().kernel.clone();
    let loaded = seed_scale(&app.config(), &k, &volume)
        .await
        .unwrap_or_else(|e| panic!("seed: {}", e.0));
    let ScaleSeeded::Loaded { tables, .. } = loaded else {
        panic!("an empty database is loaded");
    };
    (app, volume, tables.into_iter().collect())
}

/// The text column `t` of the first row `sql` returns.
async fn text(app: &TestApp, sql: &str) -> String {
    let db = app.db().await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no row: {sql}"));
    row.try_get::<String>("", "t").unwrap()
}

async fn total(app: &TestApp, token: &str, query: &str, field: &str) -> i64 {
    let d = app.data(Some(token), query, json!({})).await;
    d[field]["totalCount"].as_i64().unwrap()
}

const STATUSES: [&str; 6] = [
    "REPORTED",
    "ASSIGNED",
    "RECTIFYING",
    "SUBMITTED",
    "CLOSED",
    "VOIDED",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_volume_reads_back_as_a_district_and_a_second_load_changes_nothing() {
    let (app, volume, loaded) = seeded().await;
    // What each module wrote is the volume asked for.
    assert_eq!(loaded["inspection"] as usize, volume.inspections);
    assert_eq!(loaded["hazard"] as usize, volume.hazards);
    assert_eq!(loaded["housing_house"] as usize, volume.houses);
    assert_eq!(loaded["rewards_report"] as usize, volume.reports);
    assert_eq!(loaded["experts_expert"] as usize, volume.experts);
    assert_eq!(loaded["credit_record"] as usize, volume.credit_records);
    assert!(loaded["credit_change"] as usize > volume.credit_records);
    assert!(loaded["credit_entry"] > 0 && loaded["enforcement_action"] > 0);
    assert_eq!(loaded["duty_shift"] as usize, 3 * volume.days as usize);
    assert!(loaded["attachment (Hazard)"] > 0);
    let admin = app.login("admin").await;

    // Every state of the state machine, and the statistics agree with the rows.
    let mut by_status = HashMap::new();
    for s in STATUSES {
        let rows = app
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM hazard WHERE status = '{s}'"
            ))
            .await;
        let listed = app
            .data(
                Some(&admin),
                "query($s: [HazardStatus!]) { hazards(filter: { statuses: $s }, first: 1) { totalCount } }",
                json!({ "s": [s] }),
            )
            .await["hazards"]["totalCount"]
            .as_i64()
            .unwrap();
        assert!(rows > 0, "no hazard {s}");
        assert_eq!(listed, rows, "{s}");
        by_status.insert(s.to_owned(), rows);
    }
    let stats = app
        .data(
            Some(&admin),
            "{ hazardStatistics { total byStatus { status count } byLevel { level count } } }",
            json!({}),
        )
        .await;
    let all = app.scalar("SELECT COUNT(*) AS n FROM hazard").await;
    assert_eq!(stats["hazardStatistics"]["total"].as_i64().unwrap(), all);
    for c in stats["hazardStatistics"]["byStatus"].as_array().unwrap() {
        let s = c["status"].as_str().unwrap();
        assert_eq!(c["count"].as_i64().unwrap(), by_status[s], "{s}");
    }
    let majors = app
        .scalar("SELECT COUNT(*) AS n FROM hazard WHERE level = 'MAJOR'")
        .await;
    assert!(majors > 0);
    // Closed hazards were closed after they were reported; every step count is the version.
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM hazard WHERE status = 'CLOSED' AND (closed_at IS NULL OR closed_at < reported_at)")
            .await,
        0
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM hazard h WHERE h.version <> (SELECT COUNT(*) FROM hazard_step s WHERE s.hazard_id = h.id) + (SELECT COUNT(*) FROM hazard_implementation i WHERE i.hazard_id = h.id)")
            .await,
        0
    );

    // A township's assigned hazards: each in a project of that township, its responsible
    // enterprise a participant of that project.
    let page = app
        .data(
            Some(&admin),
            "{ hazards(filter: { statuses: [ASSIGNED] }, first: 1) { nodes { project { township { id } } } } }",
            json!({}),
        )
        .await;
    let township = page["hazards"]["nodes"][0]["project"]["township"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = app
        .data(
            Some(&admin),
            "query($t: ID) { hazards(filter: { townshipId: $t, statuses: [ASSIGNED, RECTIFYING] }, first: 50) {
               nodes { status responsibleEnterprise { id } deadlineAt
                       project { township { id } participants { enterprise { id } } } } } }",
            json!({ "t": township }),
        )
        .await;
    let nodes = page["hazards"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    for n in nodes {
        assert_eq!(n["project"]["township"]["id"], township.as_str());
        assert!(["ASSIGNED", "RECTIFYING"].contains(&n["status"].as_str().unwrap()));
        assert!(n["deadlineAt"].is_string(), "{n}");
        let responsible = n["responsibleEnterprise"]["id"].as_str().unwrap();
        assert!(
            n["project"]["participants"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["enterprise"]["id"] == responsible),
            "{n}"
        );
    }

    // A seeded photo downloads.
    let closed = app
        .data(
            Some(&admin),
            "{ hazards(filter: { statuses: [CLOSED] }, first: 50) { nodes { photos { url sha256 } } } }",
            json!({}),
        )
        .await;
    let photo = closed["hazards"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["photos"].as_array().unwrap().clone())
        .next()
        .expect("a closed hazard with photos");
    let res = app
        .client
        .get(format!("{}{}", app.base, photo["url"].as_str().unwrap()))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&bytes)),
        photo["sha256"].as_str().unwrap()
    );

    // The bureau's feed, read in pages of 100 (the most `first` allows): every change once, in sequence, every record.
    let mut cursor: Option<String> = None;
    let mut seqs = Vec::new();
    let mut records = HashSet::new();
    loop {
        let d = app
            .data(
                Some(&admin),
                "query($after: String) { creditChanges(after: $after, first: 100) {
                   edges { cursor node { seq recordType recordId } } pageInfo { hasNextPage } } }",
                json!({ "after": cursor }),
            )
            .await;
        let c = &d["creditChanges"];
        for e in c["edges"].as_array().unwrap() {
            seqs.push(e["node"]["seq"].as_i64().unwrap());
            if e["node"]["recordType"] == "CreditRecord" {
                assert!(
                    records.insert(e["node"]["recordId"].as_str().unwrap().to_owned()),
                    "a record twice"
                );
            }
            cursor = Some(e["cursor"].as_str().unwrap().to_owned());
        }
        if !c["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
    }
    let changes = app.count("credit_change").await;
    assert_eq!(seqs, (1..=changes).collect::<Vec<_>>());
    assert_eq!(records.len() as i64, app.count("credit_record").await);

    // Every score is its base plus its entries (never below 0), as the service computes it.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM credit_score s WHERE s.score <> CASE
               WHEN s.base + COALESCE((SELECT SUM(e.points) FROM credit_entry e WHERE e.score_id = s.id), 0) < 0 THEN 0
               ELSE s.base + COALESCE((SELECT SUM(e.points) FROM credit_entry e WHERE e.score_id = s.id), 0) END"
        )
        .await,
        0
    );
    // A seeded enterprise with a bad record: its profile and records agree with its rows.
    let uscc = text(
        &app,
        "SELECT uscc AS t FROM credit_record WHERE kind = 'BAD' AND subject_kind = 'ENTERPRISE' ORDER BY uscc LIMIT 1",
    )
    .await;
    let rows = app
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM credit_record WHERE uscc = '{uscc}' AND subject_kind = 'ENTERPRISE'"
        ))
        .await;
    let d = app
        .data(
            Some(&admin),
            "query($u: String!) { creditProfile(uscc: $u) { uscc currentYear score years { year score entries { points } } }
               creditRecords(filter: { uscc: $u, subjectKind: ENTERPRISE }, first: 1) { totalCount } }",
            json!({ "u": uscc }),
        )
        .await;
    let profile = &d["creditProfile"];
    assert_eq!(profile["uscc"], uscc.as_str());
    assert_eq!(d["creditRecords"]["totalCount"].as_i64().unwrap(), rows);
    let year = profile["currentYear"].as_i64().unwrap();
    let stored = app
        .scalar(&format!(
            "SELECT CAST(COALESCE(MAX(score), 100) AS BIGINT) AS n FROM credit_score WHERE uscc = '{uscc}' AND subject_kind = 'ENTERPRISE' AND year = {year}"
        ))
        .await;
    assert_eq!(profile["score"].as_i64().unwrap(), stored, "{profile}");
    for y in profile["years"].as_array().unwrap() {
        let sum: i64 = y["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["points"].as_i64().unwrap())
            .sum();
        assert_eq!(y["score"].as_i64().unwrap(), (100 + sum).max(0), "{y}");
    }

    // The other modules' lists count what was loaded.
    for (query, field, table) in [
        (
            "{ houses(first: 1) { totalCount } }",
            "houses",
            "housing_house",
        ),
        (
            "{ experts(first: 1) { totalCount } }",
            "experts",
            "experts_expert",
        ),
        (
            "{ rewardReports(first: 1) { totalCount } }",
            "rewardReports",
            "rewards_report",
        ),
        (
            "{ dutyWarnings(first: 1) { totalCount } }",
            "dutyWarnings",
            "duty_warning",
        ),
    ] {
        assert_eq!(
            total(&app, &admin, query, field).await,
            app.count(table).await,
            "{field}"
        );
    }
    // Every past day of the volume is covered around the clock, with its three shifts.
    let today = jianan_kernel::calendar::today();
    for back in 1..=u64::from(volume.days) {
        let day = today - chrono::Days::new(back);
        let d = app
            .data(
                Some(&admin),
                "query($d: Date!) { dutyRoster(date: $d) { covered shifts { id } } }",
                json!({ "d": day.to_string() }),
            )
            .await;
        assert_eq!(d["dutyRoster"]["covered"], true, "{day}");
        assert_eq!(
            d["dutyRoster"]["shifts"].as_array().unwrap().len(),
            3,
            "{day}"
        );
    }
    // Reporters' identities are sealed, never in plain text.
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM rewards_report WHERE named AND (identity_ciphertext IS NULL OR identity_ciphertext LIKE '%举报人%')")
            .await,
        0
    );
    assert!(
        app.scalar("SELECT COUNT(*) AS n FROM rewards_reward").await > 0,
        "some reports are rewarded"
    );

    // Seeding again (the command, as an operator would) loads nothing.
    let before: Vec<i64> = {
        let mut v = Vec::new();
        for t in [
            "inspection",
            "hazard",
            "credit_change",
            "housing_house",
            "duty_shift",
        ] {
            v.push(app.count(t).await);
        }
        v
    };
    let k = app.server().kernel.clone();
    assert!(matches!(
        seed_scale(&app.config(), &k, &volume)
            .await
            .unwrap_or_else(|e| panic!("{}", e.0)),
        ScaleSeeded::AlreadyThere
    ));
    assert_eq!(app.cli(&["seed", "--scale", "1"]).await, 0);
    let mut after = Vec::new();
    for t in [
        "inspection",
        "hazard",
        "credit_change",
        "housing_house",
        "duty_shift",
    ] {
        after.push(app.count(t).await);
    }
    assert_eq!(before, after);
    let _: Value = Value::Null;
}

//! Credit over HTTP (issue #9): enforcement → score exactly once with its reason; the change
//! feed resumed from any cursor; the bureau's account reads only the exchange; public
//! disclosure; publishing a rules version.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use futures_util::future::join_all;
use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, TestApp, error_code};
use serde_json::{Value, json};

const ISSUE: &str = "mutation($input: IssueEnforcementActionInput!) {
  issueEnforcementAction(input: $input) { enforcementAction { id } } }";

const PROFILE: &str = "query($u: String!, $p: String) { creditProfile(uscc: $u, person: $p) {
  uscc score level currentYear enterprise { name }
  years { year base score level entries { points ruleCode ruleVersion ruleSource legalBasis reason sourceType sourceId } } } }";

const CHANGES: &str = "query($after: String, $first: Int) { creditChanges(after: $after, first: $first) {
  edges { cursor node { seq kind uscc recordType summary } } pageInfo { hasNextPage endCursor } } }";

fn deduction(enterprise: &str, points: i32, key: Option<&str>, person: Option<&str>) -> Value {
    json!({ "input": {
        "kind": "CREDIT_DEDUCTION",
        "legalBasis": "《建设工程安全生产管理条例》第六十二条",
        "description": format!("脚手架连墙件缺失，扣{points}分"),
        "targetEnterpriseId": enterprise,
        "targetPerson": person,
        "points": points,
        "idempotencyKey": key,
    } })
}

async fn issue(app: &TestApp, token: &str, input: Value) -> String {
    app.data(Some(token), ISSUE, input).await["issueEnforcementAction"]["enforcementAction"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enforcement_action_changes_the_score_exactly_once_with_its_reason() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    // Retried with the same key: one action, one event.
    let a = issue(
        &app,
        &inspector,
        deduction(&fx.contractor.id, 3, Some("k-1"), None),
    )
    .await;
    let b = issue(
        &app,
        &inspector,
        deduction(&fx.contractor.id, 3, Some("k-1"), None),
    )
    .await;
    assert_eq!(a, b);
    app.settle().await;

    let read = |token: String| {
        let app = &app;
        let uscc = fx.contractor.uscc.clone();
        async move {
            app.data(Some(&token), PROFILE, json!({ "u": uscc })).await["creditProfile"].clone()
        }
    };
    let p = read(fx.staff.token.clone()).await;
    assert_eq!(p["score"], 97);
    assert_eq!(p["level"], "A");
    assert_eq!(p["enterprise"]["name"], fx.contractor.name.as_str());
    let entries = p["years"][0]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["points"], -3);
    assert_eq!(entries[0]["ruleCode"], "ENF-DEDUCTION");
    assert_eq!(entries[0]["ruleVersion"], 1);
    assert_eq!(
        entries[0]["legalBasis"],
        "《建设工程安全生产管理条例》第六十二条"
    );
    assert_eq!(entries[0]["reason"], "脚手架连墙件缺失，扣3分");
    assert_eq!(entries[0]["sourceType"], "EnforcementAction");
    assert_eq!(entries[0]["sourceId"], a.as_str());
    assert!(entries[0]["ruleSource"].as_str().unwrap().contains("241号"));

    // The event delivered again (its delivery record lost, as after a crash): nothing changes.
    app.exec("DELETE FROM event_delivery WHERE handler = 'credit.apply_enforcement'")
        .await;
    app.exec("UPDATE outbox_event SET dispatched_at = NULL WHERE topic = 'inspections.enforcement_issued'")
        .await;
    app.settle().await;
    assert_eq!(app.count("credit_entry").await, 1);
    assert_eq!(app.count("credit_record").await, 1);
    let again = read(fx.staff.token.clone()).await;
    assert_eq!(again["score"], 97);
    assert_eq!(again["years"][0]["entries"].as_array().unwrap().len(), 1);

    // The enterprise sees its own profile; another enterprise does not see it.
    assert_eq!(read(fx.manager.token.clone()).await["score"], 97);
    assert_eq!(read(fx.other_manager.token.clone()).await, Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_person_gets_a_profile_of_their_own() {
    let (app, fx) = Fixture::spawn().await;
    issue(
        &app,
        &fx.inspector.token,
        deduction(&fx.contractor.id, 5, None, Some("张三（项目负责人）")),
    )
    .await;
    app.settle().await;
    let person = app
        .data(
            fx.staff.auth(),
            PROFILE,
            json!({ "u": fx.contractor.uscc, "p": "张三（项目负责人）" }),
        )
        .await;
    assert_eq!(person["creditProfile"]["score"], 95);
    let firm = app
        .data(fx.staff.auth(), PROFILE, json!({ "u": fx.contractor.uscc }))
        .await;
    assert_eq!(firm["creditProfile"]["score"], 95);
    // The person's bad record is not disclosed; the enterprise's is.
    let public = app
        .data(
            None,
            "{ publicCreditRecords(first: 10) { edges { node { subjectName kind } } } }",
            json!({}),
        )
        .await;
    let names: Vec<_> = public["publicCreditRecords"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["subjectName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, vec![fx.contractor.name.clone()]);
}

/// Reads the whole feed from `cursor` in pages of `page`, returning the sequence numbers and
/// the last cursor.
async fn drain(
    app: &TestApp,
    token: &str,
    mut cursor: Option<String>,
    page: i32,
) -> (Vec<i64>, Option<String>) {
    let mut seqs = Vec::new();
    loop {
        let d = app
            .data(
                Some(token),
                CHANGES,
                json!({ "after": cursor, "first": page }),
            )
            .await;
        let c = &d["creditChanges"];
        for e in c["edges"].as_array().unwrap() {
            seqs.push(e["node"]["seq"].as_i64().unwrap());
            cursor = Some(e["cursor"].as_str().unwrap().to_owned());
        }
        if !c["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (seqs, cursor);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_consumer_resumes_from_its_cursor_and_gets_every_change_once() {
    let (app, fx) = Fixture::spawn().await;
    let bureau = fx.bureau.token.clone();
    // Concurrent writers: four actions against two enterprises at once.
    let targets = [
        &fx.contractor.id,
        &fx.other_contractor.id,
        &fx.contractor.id,
        &fx.supervisor.id,
    ];
    join_all(targets.iter().enumerate().map(|(i, e)| {
        let app = &app;
        let token = fx.inspector.token.clone();
        let input = deduction(e, i32::try_from(i).unwrap() + 1, None, None);
        async move { issue(app, &token, input).await }
    }))
    .await;
    app.settle().await;

    // The consumer reads two pages, then "crashes" and keeps only its cursor.
    let first = app
        .data(Some(&bureau), CHANGES, json!({ "first": 3 }))
        .await;
    let edges = first["creditChanges"]["edges"].as_array().unwrap().clone();
    let mut seen: Vec<i64> = edges
        .iter()
        .map(|e| e["node"]["seq"].as_i64().unwrap())
        .collect();
    let cursor = edges.last().unwrap()["cursor"].as_str().unwrap().to_owned();

    // More changes happen meanwhile.
    join_all((0..3).map(|i| {
        let app = &app;
        let token = fx.inspector.token.clone();
        let input = deduction(&fx.developer.id, i + 1, None, None);
        async move { issue(app, &token, input).await }
    }))
    .await;
    app.settle().await;

    let (rest, end) = drain(&app, &bureau, Some(cursor), 2).await;
    seen.extend(rest);
    // Each action: one score change and one bad record.
    let total = app.count("credit_change").await;
    assert_eq!(total, 14);
    assert_eq!(
        seen,
        (1..=total).collect::<Vec<_>>(),
        "complete, in order, once each"
    );
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len());

    // Resuming from the end yields nothing new; a new change appears after it.
    let (none, _) = drain(&app, &bureau, end.clone(), 5).await;
    assert!(none.is_empty());
    issue(
        &app,
        &fx.inspector.token,
        deduction(&fx.contractor.id, 1, None, None),
    )
    .await;
    app.settle().await;
    let (next, _) = drain(&app, &bureau, end, 5).await;
    assert_eq!(next, vec![total + 1, total + 2]);

    // Sequence numbers are exactly those of the published `credit.changed` events.
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'credit.changed'")
            .await,
        total + 2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bureau_reads_only_the_exchange() {
    let (app, fx) = Fixture::spawn().await;
    issue(
        &app,
        &fx.inspector.token,
        deduction(&fx.contractor.id, 3, None, None),
    )
    .await;
    app.settle().await;
    let bureau = fx.bureau.auth();

    // The exchange: the feed and the restrictions, with their source records.
    let feed = app.data(bureau, CHANGES, json!({ "first": 10 })).await;
    assert_eq!(feed["creditChanges"]["edges"].as_array().unwrap().len(), 2);
    // The feed is read in pages of up to 500 with every column (its rows are flat), and no more;
    // other lists stay at 100 a page.
    const WIDE: &str = "query($first: Int) { creditChanges(first: $first) { edges { node {
      seq changeId kind subjectKind uscc person recordType recordId summary occurredAt } }
      pageInfo { endCursor hasNextPage } } }";
    let wide = app.data(bureau, WIDE, json!({ "first": 500 })).await;
    assert_eq!(wide["creditChanges"]["edges"].as_array().unwrap().len(), 2);
    let too_many = app.gql(bureau, WIDE, json!({ "first": 501 })).await;
    assert_eq!(
        too_many["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{too_many}"
    );
    assert!(too_many["data"].is_null() || too_many["data"]["creditChanges"].is_null());
    let records = app
        .gql(
            fx.staff.auth(),
            "{ creditRecords(first: 101) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        records["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{records}"
    );
    let r = app
        .data(
            bureau,
            "query($u: String!) { creditRestrictions(uscc: $u) { uscc level score
               restrictions { kind until basis sourceRecords { id title publicUntil } } } }",
            json!({ "u": fx.contractor.uscc }),
        )
        .await;
    let kinds: Vec<_> = r["creditRestrictions"]["restrictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "AWARDS_AND_HONOURS",
            "QUALIFICATION_REVIEW",
            "PRIORITY_RANDOM_CHECK"
        ]
    );
    assert_eq!(r["creditRestrictions"]["score"], 97);
    let record_id = r["creditRestrictions"]["restrictions"][0]["sourceRecords"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Nothing outside it.
    for q in [
        "query($u: String!) { creditProfile(uscc: $u) { score } }",
        "query($u: String!) { creditRecords(filter: {uscc: $u}) { edges { node { id } } } }",
        "query($u: String!) { enterprise(uscc: $u) { name } }",
        "{ creditRuleVersions { version } }",
        "{ hazards { edges { node { id } } } }",
        "{ enforcementActions { edges { node { id } } } }",
        "{ projects { edges { node { id } } } }",
    ] {
        let vars = if q.contains("$u") {
            json!({ "u": fx.contractor.uscc })
        } else {
            json!({})
        };
        let body = app.gql(bureau, q, vars).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{q}: {body}");
    }
    let node = app
        .data(
            bureau,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": record_id }),
        )
        .await;
    assert_eq!(node["node"], Value::Null);
    // And the feed is the bureau's (and administrators'), not the enterprises' or inspectors'.
    for who in [&fx.manager, &fx.inspector, &fx.township_staff] {
        let body = app.gql(who.auth(), CHANGES, json!({})).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let anonymous = app.gql(None, CHANGES, json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_disclosure_shows_only_public_records_in_their_period() {
    let (app, fx) = Fixture::spawn().await;
    // A warning interview leaves no record; a circular leaves a public bad record.
    for kind in ["WARNING_INTERVIEW", "CIRCULAR"] {
        app.data(
            fx.inspector.auth(),
            ISSUE,
            json!({ "input": { "kind": kind, "legalBasis": "建市〔2017〕241号 第八条",
                "description": "安全管理不到位", "targetEnterpriseId": fx.contractor.id } }),
        )
        .await;
    }
    app.settle().await;
    const PUBLIC: &str = "query($u: String) { publicCreditRecords(uscc: $u, first: 10) {
        edges { node { kind uscc subjectName title legalBasis publicUntil } } } }";
    let d = app
        .data(None, PUBLIC, json!({ "u": fx.contractor.uscc }))
        .await;
    let edges = d["publicCreditRecords"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["kind"], "BAD");
    assert_eq!(
        edges[0]["node"]["title"],
        format!("通报批评：{}", fx.contractor.name)
    );
    // A circular deducts nothing under version 1.
    let p = app
        .data(fx.staff.auth(), PROFILE, json!({ "u": fx.contractor.uscc }))
        .await;
    assert_eq!(p["creditProfile"]["score"], 100);

    // Once its period is over it is neither disclosed nor used for sanctions.
    app.exec("UPDATE credit_record SET public_until = decided_at")
        .await;
    let d = app
        .data(None, PUBLIC, json!({ "u": fx.contractor.uscc }))
        .await;
    assert!(
        d["publicCreditRecords"]["edges"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let r = app
        .data(
            fx.bureau.auth(),
            "query($u: String!) { creditRestrictions(uscc: $u) { restrictions { kind } } }",
            json!({ "u": fx.contractor.uscc }),
        )
        .await;
    assert_eq!(
        r["creditRestrictions"]["restrictions"],
        json!([{ "kind": "REDUCED_RANDOM_CHECK" }])
    );
    // Anonymous callers still cannot read the internal lists.
    let body = app
        .gql(
            None,
            "{ creditRecords { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

const PUBLISH: &str =
    "mutation($input: PublishCreditRulesInput!) { publishCreditRules(input: $input) {
  creditRuleVersion { version effectiveFrom rules { code trigger points } } } }";

fn rules_input(from: &str, deduction_points: Option<i32>, key: Option<&str>) -> Value {
    let kinds = [
        "WARNING_INTERVIEW",
        "CIRCULAR",
        "PUBLIC_EXPOSURE",
        "CREDIT_DEDUCTION",
        "STOP_WORK_ORDER",
        "RESUME_WORK_ORDER",
        "PENALTY",
    ];
    let rules: Vec<Value> = kinds
        .iter()
        .map(|k| {
            json!({ "code": format!("V2-{k}"), "trigger": k,
                "points": if *k == "CREDIT_DEDUCTION" { json!(deduction_points) } else { json!(0) },
                "badRecord": *k != "WARNING_INTERVIEW" && *k != "RESUME_WORK_ORDER",
                "publicationMonths": 12, "source": "区住建委2027年信用评价细则（测试）" })
        })
        .collect();
    json!({ "input": { "effectiveFrom": from, "note": "2027年版", "rules": rules, "idempotencyKey": key } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_commission_publishes_a_rules_version_from_a_future_date() {
    let (app, fx) = Fixture::spawn().await;
    let audits = app.count("audit_log").await;
    // Not the inspector's to publish.
    let body = app
        .gql(
            fx.inspector.auth(),
            PUBLISH,
            rules_input("2099-01-01T00:00:00+08:00", Some(4), None),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    // Never retroactive.
    let body = app
        .gql(
            fx.staff.auth(),
            PUBLISH,
            rules_input("2020-01-01T00:00:00+08:00", Some(4), None),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "effectiveFrom");
    // A kind missing.
    let mut partial = rules_input("2099-01-01T00:00:00+08:00", Some(4), None);
    partial["input"]["rules"].as_array_mut().unwrap().pop();
    let body = app.gql(fx.staff.auth(), PUBLISH, partial).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(app.count("credit_rule_version").await, 1);
    assert_eq!(app.count("audit_log").await, audits);

    let a = app
        .data(
            fx.staff.auth(),
            PUBLISH,
            rules_input("2099-01-01T00:00:00+08:00", Some(4), Some("v2")),
        )
        .await;
    let b = app
        .data(
            fx.staff.auth(),
            PUBLISH,
            rules_input("2099-01-01T00:00:00+08:00", Some(4), Some("v2")),
        )
        .await;
    assert_eq!(a, b, "a retry returns the first result");
    assert_eq!(a["publishCreditRules"]["creditRuleVersion"]["version"], 2);
    assert_eq!(app.count("credit_rule_version").await, 2);
    assert_eq!(app.count("audit_log").await, audits + 1);
    // Not before the latest version.
    let body = app
        .gql(
            fx.staff.auth(),
            PUBLISH,
            rules_input("2098-01-01T00:00:00+08:00", Some(4), None),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");

    // Today's actions are still evaluated with version 1 (the action states 3 points).
    issue(
        &app,
        &fx.inspector.token,
        deduction(&fx.contractor.id, 3, None, None),
    )
    .await;
    app.settle().await;
    let p = app
        .data(fx.staff.auth(), PROFILE, json!({ "u": fx.contractor.uscc }))
        .await;
    assert_eq!(
        p["creditProfile"]["years"][0]["entries"][0]["ruleVersion"],
        1
    );
    assert_eq!(p["creditProfile"]["score"], 97);
    let v = app
        .data(
            fx.manager.auth(),
            "{ creditRuleVersions { version rules { code source confirmed } } }",
            json!({}),
        )
        .await;
    assert_eq!(v["creditRuleVersions"][0]["version"], 2);
    assert_eq!(
        v["creditRuleVersions"][1]["rules"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_count_levels_records_and_the_blacklist() {
    let (app, fx) = Fixture::spawn().await;
    issue(
        &app,
        &fx.inspector.token,
        deduction(&fx.contractor.id, 25, None, None),
    )
    .await;
    app.data(
        fx.inspector.auth(),
        ISSUE,
        json!({ "input": { "kind": "CIRCULAR", "legalBasis": "建市〔2017〕241号 第八条",
            "description": "通报", "targetEnterpriseId": fx.supervisor.id } }),
    )
    .await;
    app.settle().await;
    const STATS: &str = "{ creditStatistics { year byLevel { level count } recordsByMonth { kind month count } blacklistSize } }";
    let s = app.data(fx.leader.auth(), STATS, json!({})).await["creditStatistics"].clone();
    // Four enterprises: the contractor at 75 (C), the three others at the base score (A).
    assert_eq!(
        s["byLevel"],
        json!([{ "level": "A", "count": 3 }, { "level": "B", "count": 0 },
               { "level": "C", "count": 1 }, { "level": "D", "count": 0 }])
    );
    let month = jianan_kernel::calendar::to_shanghai(chrono::Utc::now())
        .format("%Y-%m")
        .to_string();
    assert_eq!(
        s["recordsByMonth"],
        json!([{ "kind": "BAD", "month": month, "count": 2 }])
    );
    assert_eq!(s["blacklistSize"], 0);
    for who in [&fx.manager, &fx.bureau, &fx.township_staff] {
        let body = app.gql(who.auth(), STATS, json!({})).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_scores_follow_from_the_demo_actions() {
    let app = TestApp::spawn_with(jianan_tests::Options {
        empty: true,
        ..jianan_tests::Options::default()
    })
    .await;
    let k = &app.server().kernel;
    let config = app.config();
    jianan_api::app::seed_demo(&config, k).await.unwrap();
    jianan_api::app::seed_demo(&config, k).await.unwrap(); // idempotent
    app.settle().await;
    let token = app.login("inspector").await;
    let d = app
        .data(
            Some(&token),
            "{ creditRecords(first: 10) { edges { node { kind uscc title } } } }",
            json!({}),
        )
        .await;
    let edges = d["creditRecords"]["edges"].as_array().unwrap();
    let bad: Vec<_> = edges
        .iter()
        .filter(|e| e["node"]["kind"] == "BAD")
        .collect();
    assert_eq!(edges.len() - bad.len(), 2, "two good records");
    // The one credit deduction of the inspections demo: 3 points; its warning interview leaves
    // no record.
    assert_eq!(bad.len(), 1);
    let uscc = bad[0]["node"]["uscc"].as_str().unwrap();
    let p = app.data(Some(&token), PROFILE, json!({ "u": uscc })).await;
    assert_eq!(p["creditProfile"]["score"], 97);
    assert_eq!(p["creditProfile"]["level"], "A");
    assert_eq!(p["creditProfile"]["years"][0]["entries"][0]["points"], -3);
    let feed = app.login("admin").await;
    let (seqs, _) = drain(&app, &feed, None, 50).await;
    assert_eq!(
        seqs,
        vec![1, 2, 3, 4],
        "two good records, one score change, one bad record"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_cost_the_same_statements_whatever_their_size() {
    // The global statement counter also counts the background pollers: keep them quiet (commits
    // still wake the dispatcher), as the other statement-counting tests do.
    let (app, fx) = Fixture::spawn_with(Options {
        outbox_poll_ms: Some(3_600_000),
        ..Options::default()
    })
    .await;
    let targets = [
        &fx.contractor,
        &fx.supervisor,
        &fx.developer,
        &fx.other_contractor,
    ];
    for i in 0..8 {
        issue(
            &app,
            &fx.inspector.token,
            deduction(&targets[i % 4].id, 1, None, None),
        )
        .await;
    }
    app.settle().await;
    const RECORDS: &str = "query($n: Int) { creditRecords(first: $n) { edges { node { id title enterprise { name } } } } }";
    let mut counts = Vec::new();
    for n in [2, 8] {
        let before = app.metric("jianan_sql_statements_total").await;
        let d = app.data(fx.staff.auth(), RECORDS, json!({ "n": n })).await;
        assert_eq!(
            d["creditRecords"]["edges"].as_array().unwrap().len(),
            n as usize
        );
        let feed = app
            .data(fx.bureau.auth(), CHANGES, json!({ "first": n }))
            .await;
        assert_eq!(
            feed["creditChanges"]["edges"].as_array().unwrap().len(),
            n as usize
        );
        counts.push(app.metric("jianan_sql_statements_total").await - before);
    }
    assert_eq!(counts[0], counts[1], "statements for 2 and 8: {counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restrictions_are_asked_by_agencies_with_a_valid_code() {
    let (app, fx) = Fixture::spawn().await;
    const Q: &str = "query($u: String!) { creditRestrictions(uscc: $u) { level } }";
    // An enterprise cannot ask (its scope would hide another's records).
    let body = app
        .gql(
            fx.manager.auth(),
            Q,
            json!({ "u": fx.other_contractor.uscc }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    // A code failing its check character.
    let mut bad = fx.contractor.uscc.clone();
    let last = if bad.ends_with('0') { "1" } else { "0" };
    bad.replace_range(17.., last);
    let body = app.gql(fx.bureau.auth(), Q, json!({ "u": bad })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "uscc");
}

//! Races (issue #8 item 4): two concurrent conflicting transitions → exactly one succeeds, the
//! others get CONFLICT and write nothing. On PostgreSQL the transactions really overlap (each
//! claims the row version it read); on SQLite the writer lock serialises them, and the later ones
//! find the state moved on. Same assertions on both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_util::future::join_all;
use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, add_photo, error_code};
use serde_json::{Value, json};

const N: usize = 6;

/// How many of `bodies` succeeded, and that every other one is a CONFLICT.
fn one_winner(bodies: &[Value]) -> usize {
    let ok = bodies.iter().filter(|b| b.get("errors").is_none()).count();
    for b in bodies.iter().filter(|b| b.get("errors").is_some()) {
        assert_eq!(error_code(b), "CONFLICT", "{b}");
    }
    ok
}

async fn topic_count(app: &TestApp, topic: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = '{topic}'"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submissions_of_one_rectification_let_exactly_one_through() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let d = app
        .data(
            Some(&inspector),
            "mutation($p: ID!) { reportHazard(input: {projectId: $p, level: GENERAL, category: \"SCAFFOLDING\",
              description: \"脚手板未满铺\", location: \"2号楼\"}) { hazard { id } } }",
            json!({ "p": fx.project.id }),
        )
        .await;
    let id = d["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.data(
        Some(&inspector),
        "mutation($id: ID!, $e: ID!) { assignHazard(input: {id: $id, responsibleEnterpriseId: $e,
          responsiblePerson: \"王工\", deadlineWorkingDays: 5}) { hazard { id } } }",
        json!({ "id": id, "e": fx.contractor.id }),
    )
    .await;
    app.data(
        Some(&manager),
        "mutation($id: ID!) { startRectification(input: {id: $id}) { hazard { id } } }",
        json!({ "id": id }),
    )
    .await;
    let photo = add_photo(&app, &manager, &id).await;
    let steps = app.count("hazard_step").await;
    let submit = "mutation($id: ID!, $p: [ID!]!) { submitRectification(input: {id: $id, comment: \"已整改\", photoIds: $p}) { hazard { status } } }";
    let bodies = join_all(
        (0..N).map(|_| app.gql(Some(&manager), submit, json!({ "id": id, "p": [photo] }))),
    )
    .await;
    assert_eq!(one_winner(&bodies), 1, "{bodies:?}");
    assert_eq!(app.count("hazard_step").await, steps + 1);
    assert_eq!(
        topic_count(&app, "inspections.rectification_submitted").await,
        1
    );

    // Verify and reject at once: one of them.
    let bodies = join_all((0..N).map(|n| {
        let verb = if n % 2 == 0 { "verifyRectification" } else { "rejectRectification" };
        app.gql(
            Some(&inspector),
            Box::leak(
                format!("mutation($id: ID!) {{ {verb}(input: {{id: $id, comment: \"复查\"}}) {{ hazard {{ status }} }} }}")
                    .into_boxed_str(),
            ),
            json!({ "id": id }),
        )
    }))
    .await;
    assert_eq!(one_winner(&bodies), 1, "{bodies:?}");
    assert_eq!(app.count("hazard_step").await, steps + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_stop_work_orders_suspend_a_project_once() {
    let (app, fx) = Fixture::spawn().await;
    let issue = "mutation($input: IssueEnforcementActionInput!) { issueEnforcementAction(input: $input) { enforcementAction { id } } }";
    let input = json!({ "input": {
        "kind": "STOP_WORK_ORDER",
        "legalBasis": "《建设工程安全生产管理条例》第四十三条第（四）项",
        "description": "深基坑支护未按方案施工，责令停工整改",
        "targetEnterpriseId": fx.contractor.id,
        "projectId": fx.project.id,
    } });
    let actions = app.count("enforcement_action").await;
    let bodies =
        join_all((0..N).map(|_| app.gql(Some(&fx.inspector.token), issue, input.clone()))).await;
    assert_eq!(one_winner(&bodies), 1, "{bodies:?}");
    assert_eq!(app.count("enforcement_action").await, actions + 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM state_span WHERE state = 'SUSPENDED'")
            .await,
        1,
        "one suspension in the project's history"
    );
}

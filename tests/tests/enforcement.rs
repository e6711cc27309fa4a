//! Enforcement actions (issue #3 §4, §11).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use sea_orm::ConnectionTrait;
use serde_json::json;

const ISSUE: &str = "mutation($input: IssueEnforcementActionInput!) {
  issueEnforcementAction(input: $input) { enforcementAction { id kind points penaltyFen targetEnterprise { name } } } }";

async fn events(app: &TestApp, topic: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = '{topic}'"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enforcement_action_publishes_exactly_one_event_even_when_retried() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let enterprise = fx.contractor.id.clone();
    let input = |key: Option<&str>, points: Option<i32>| {
        json!({ "input": {
            "kind": "CREDIT_DEDUCTION",
            "legalBasis": "《重庆市建筑施工企业诚信综合评价暂行办法》（渝府发〔2012〕65号）",
            "description": "脚手架连墙件缺失，限期整改逾期未改",
            "targetEnterpriseId": enterprise,
            "points": points,
            "idempotencyKey": key,
        } })
    };
    // Bad input first: a deduction without points writes nothing and publishes nothing.
    let body = app
        .gql(Some(&inspector), ISSUE, input(Some("retry-1"), None))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "points");
    assert_eq!(events(&app, "inspections.enforcement_issued").await, 0);
    assert_eq!(app.count("enforcement_action").await, 0);

    let a = app
        .data(Some(&inspector), ISSUE, input(Some("retry-1"), Some(3)))
        .await;
    let b = app
        .data(Some(&inspector), ISSUE, input(Some("retry-1"), Some(3)))
        .await;
    assert_eq!(
        a["issueEnforcementAction"]["enforcementAction"]["id"],
        b["issueEnforcementAction"]["enforcementAction"]["id"]
    );
    assert_eq!(
        a["issueEnforcementAction"]["enforcementAction"]["points"],
        3
    );
    assert_eq!(app.count("enforcement_action").await, 1);
    assert_eq!(
        events(&app, "inspections.enforcement_issued").await,
        1,
        "one event for one action"
    );

    // The payload carries what credit needs.
    let db = app.db().await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT payload FROM outbox_event WHERE topic = 'inspections.enforcement_issued'"
                .to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    let payload: serde_json::Value =
        serde_json::from_str(&row.try_get::<String>("", "payload").unwrap()).unwrap();
    assert_eq!(payload["kind"], "CREDIT_DEDUCTION");
    assert_eq!(payload["points"], 3);

    // The enterprise sees the action against it; another enterprise does not; enterprises cannot issue.
    let d = app
        .data(
            Some(&manager),
            "{ enforcementActions { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["enforcementActions"]["totalCount"], 1);
    let other = fx.other_manager.token.clone();
    let d = app
        .data(
            Some(&other),
            "{ enforcementActions { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["enforcementActions"]["totalCount"], 0);
    assert_eq!(
        error_code(&app.gql(Some(&manager), ISSUE, input(None, Some(1))).await),
        "FORBIDDEN"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn penalties_are_integer_fen_and_need_a_positive_amount() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let base = |fen: serde_json::Value| {
        json!({ "input": { "kind": "PENALTY", "legalBasis": "《建设工程安全生产管理条例》第六十二条",
            "description": "未按规定设置安全警示标志", "targetPerson": "张某（项目经理）", "penaltyFen": fen } })
    };
    assert_eq!(
        error_code(&app.gql(Some(&inspector), ISSUE, base(json!(0))).await),
        "BAD_USER_INPUT"
    );
    assert_eq!(
        error_code(&app.gql(Some(&inspector), ISSUE, base(json!(12.5))).await),
        "BAD_USER_INPUT"
    );
    let d = app
        .data(Some(&inspector), ISSUE, base(json!(5_000_000)))
        .await;
    // Money travels as a string of digits (the `Fen` scalar), exact past 32 and 53 bits.
    assert_eq!(
        d["issueEnforcementAction"]["enforcementAction"]["penaltyFen"],
        "5000000"
    );
    let big = app
        .data(Some(&inspector), ISSUE, base(json!("9007199254740993")))
        .await;
    assert_eq!(
        big["issueEnforcementAction"]["enforcementAction"]["penaltyFen"],
        "9007199254740993"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&inspector), ISSUE, base(json!("99999999999999999999")))
                .await
        ),
        "BAD_USER_INPUT"
    );
    let db = app.db().await;
    db.execute_unprepared("SELECT 1").await.unwrap();
}

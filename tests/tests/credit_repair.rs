//! Credit repair (信用修复) and good records over HTTP (issue #9 item 2): application → review →
//! decision; only an approval ends a publication early, never before 3 months, never by the
//! reviewer; every refusal writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const APPLY: &str = "mutation($input: ApplyCreditRepairInput!) { applyCreditRepair(input: $input) {
  creditRepair { id status record { id } } } }";
const REVIEW: &str =
    "mutation($input: ReviewCreditRepairInput!) { reviewCreditRepair(input: $input) {
  creditRepair { id status reviewOpinion } } }";
const APPROVE: &str =
    "mutation($input: ApproveCreditRepairInput!) { approveCreditRepair(input: $input) {
  creditRepair { id status decisionNote } creditRecord { endedAt inForce } } }";
const REJECT: &str =
    "mutation($input: RejectCreditRepairInput!) { rejectCreditRepair(input: $input) {
  creditRepair { id status } } }";
const PUBLIC: &str = "query($u: String) { publicCreditRecords(uscc: $u, first: 10) { edges { node { kind title } } } }";

/// Counts of what a refused step must not write.
async fn snapshot(app: &TestApp) -> [i64; 4] {
    // Handlers of earlier events write too (audit records, links); let them finish first.
    app.settle().await;
    [
        app.count("credit_repair").await,
        app.count("audit_log").await,
        app.count("credit_change").await,
        app.scalar("SELECT COUNT(*) AS n FROM credit_record WHERE ended_at IS NOT NULL")
            .await,
    ]
}

async fn bad_record(app: &TestApp, fx: &Fixture) -> String {
    app.data(
        fx.inspector.auth(),
        "mutation($input: IssueEnforcementActionInput!) { issueEnforcementAction(input: $input) { enforcementAction { id } } }",
        json!({ "input": { "kind": "CIRCULAR", "legalBasis": "建市〔2017〕241号 第八条",
            "description": "安全管理人员不到岗", "targetEnterpriseId": fx.contractor.id } }),
    )
    .await;
    app.settle().await;
    let d = app
        .data(
            fx.manager.auth(),
            "{ creditRecords { edges { node { id kind } } } }",
            json!({}),
        )
        .await;
    d["creditRecords"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn input(v: Value) -> Value {
    json!({ "input": v })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_ends_a_publication_only_by_decision_after_review() {
    let (app, fx) = Fixture::spawn().await;
    let record = bad_record(&app, &fx).await;

    // Only the enterprise's own manager applies, for its own record.
    let before = snapshot(&app).await;
    let body = app
        .gql(
            fx.safety.auth(),
            APPLY,
            input(json!({ "recordId": record, "statement": "已整改" })),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = app
        .gql(
            fx.other_manager.auth(),
            APPLY,
            input(json!({ "recordId": record, "statement": "已整改" })),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "recordId");
    let body = app
        .gql(
            fx.manager.auth(),
            APPLY,
            input(json!({ "recordId": record, "statement": "  " })),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(snapshot(&app).await, before);

    let applied = |key: &str| {
        input(
            json!({ "recordId": record, "statement": "已落实安全管理人员到岗制度", "idempotencyKey": key }),
        )
    };
    let a = app.data(fx.manager.auth(), APPLY, applied("r-1")).await;
    let b = app.data(fx.manager.auth(), APPLY, applied("r-1")).await;
    assert_eq!(a, b, "a retry returns the first application");
    let repair = a["applyCreditRepair"]["creditRepair"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        a["applyCreditRepair"]["creditRepair"]["status"],
        "SUBMITTED"
    );
    // One open application per record.
    let before = snapshot(&app).await;
    let body = app.gql(fx.manager.auth(), APPLY, applied("r-2")).await;
    assert_eq!(error_code(&body), "CONFLICT");
    // No decision before the review.
    let body = app
        .gql(
            fx.leader.auth(),
            APPROVE,
            input(json!({ "repairId": repair, "note": "同意" })),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    // Not the enterprise's to review or decide.
    let body = app
        .gql(
            fx.manager.auth(),
            REVIEW,
            input(json!({ "repairId": repair, "opinion": "自审" })),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(snapshot(&app).await, before);

    let r = app
        .data(
            fx.admin.auth(),
            REVIEW,
            input(json!({ "repairId": repair, "opinion": "整改属实" })),
        )
        .await;
    assert_eq!(
        r["reviewCreditRepair"]["creditRepair"]["status"],
        "REVIEWED"
    );

    // Within 3 months of the decision: refused.
    let before = snapshot(&app).await;
    let body = app
        .gql(
            fx.leader.auth(),
            APPROVE,
            input(json!({ "repairId": repair, "note": "同意" })),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("3个月")
    );
    app.exec("UPDATE credit_record SET decided_at = '2026-01-01 00:00:00+00:00'")
        .await;
    // The reviewer does not decide.
    let body = app
        .gql(
            fx.admin.auth(),
            APPROVE,
            input(json!({ "repairId": repair, "note": "同意" })),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(
        app.data(None, PUBLIC, json!({ "u": fx.contractor.uscc }))
            .await["publicCreditRecords"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The flags follow the same rule: the leader may now approve, the reviewer may not, the
    // enterprise may do nothing.
    const CAN: &str =
        "{ creditRepairs { edges { node { viewerCan { review approve reject } } } } }";
    let can = |d: serde_json::Value| d["creditRepairs"]["edges"][0]["node"]["viewerCan"].clone();
    assert_eq!(
        can(app.data(fx.leader.auth(), CAN, json!({})).await),
        json!({ "review": false, "approve": true, "reject": true })
    );
    assert_eq!(
        can(app.data(fx.admin.auth(), CAN, json!({})).await),
        json!({ "review": false, "approve": false, "reject": false })
    );
    assert_eq!(
        can(app.data(fx.manager.auth(), CAN, json!({})).await),
        json!({ "review": false, "approve": false, "reject": false })
    );
    let d = app
        .data(
            fx.leader.auth(),
            APPROVE,
            input(json!({ "repairId": repair, "note": "准予修复" })),
        )
        .await;
    assert_eq!(
        d["approveCreditRepair"]["creditRepair"]["status"],
        "APPROVED"
    );
    assert_eq!(d["approveCreditRepair"]["creditRecord"]["inForce"], false);
    assert!(d["approveCreditRepair"]["creditRecord"]["endedAt"].is_string());
    // Ended: no longer disclosed, no longer a ground for restrictions, and in the feed.
    assert!(
        app.data(None, PUBLIC, json!({ "u": fx.contractor.uscc }))
            .await["publicCreditRecords"]["edges"]
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
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM credit_change WHERE kind = 'RECORD_ENDED'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('credit.repair.apply', 'credit.repair.review', 'credit.repair.approve', 'credit.record.end')").await,
        4
    );
    // Decided once.
    let body = app
        .gql(
            fx.leader.auth(),
            REJECT,
            input(json!({ "repairId": repair, "note": "再议" })),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    // An ended record cannot be applied for again.
    let body = app.gql(fx.manager.auth(), APPLY, applied("r-3")).await;
    assert_eq!(error_code(&body), "CONFLICT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_repair_leaves_the_record_public() {
    let (app, fx) = Fixture::spawn().await;
    let record = bad_record(&app, &fx).await;
    let a = app
        .data(
            fx.manager.auth(),
            APPLY,
            input(json!({ "recordId": record, "statement": "已整改" })),
        )
        .await;
    let repair = a["applyCreditRepair"]["creditRepair"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = app
        .data(
            fx.leader.auth(),
            REJECT,
            input(json!({ "repairId": repair, "note": "整改材料不全" })),
        )
        .await;
    assert_eq!(
        d["rejectCreditRepair"]["creditRepair"]["status"],
        "REJECTED"
    );
    assert_eq!(
        app.data(None, PUBLIC, json!({ "u": fx.contractor.uscc }))
            .await["publicCreditRecords"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The enterprise sees its application; another enterprise does not.
    let q = "{ creditRepairs { edges { node { id status } } } }";
    let own = app.data(fx.manager.auth(), q, json!({})).await;
    assert_eq!(own["creditRepairs"]["edges"].as_array().unwrap().len(), 1);
    let other = app.data(fx.other_manager.auth(), q, json!({})).await;
    assert!(
        other["creditRepairs"]["edges"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_commission_records_good_credit_public_for_three_years() {
    let (app, fx) = Fixture::spawn().await;
    const GOOD: &str =
        "mutation($input: RecordGoodCreditInput!) { recordGoodCredit(input: $input) {
      creditRecord { kind decidedAt publicUntil isPublic } } }";
    let good = |at: &str| {
        input(
            json!({ "enterpriseId": fx.contractor.id, "title": "市级安全文明工地",
            "legalBasis": "渝建〔2026〕1号（测试）", "description": "某项目获评", "decidedAt": at }),
        )
    };
    let before = snapshot(&app).await;
    let body = app
        .gql(fx.manager.auth(), GOOD, good("2026-06-01T00:00:00Z"))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = app
        .gql(fx.staff.auth(), GOOD, good("2099-06-01T00:00:00Z"))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(snapshot(&app).await, before);
    let d = app
        .data(fx.staff.auth(), GOOD, good("2026-06-01T00:00:00Z"))
        .await;
    let r = &d["recordGoodCredit"]["creditRecord"];
    assert_eq!(r["kind"], "GOOD");
    assert_eq!(r["isPublic"], true);
    assert!(r["publicUntil"].as_str().unwrap().starts_with("2029-06-01"));
    let p = app
        .data(None, PUBLIC, json!({ "u": fx.contractor.uscc }))
        .await;
    assert_eq!(p["publicCreditRecords"]["edges"][0]["node"]["kind"], "GOOD");
    assert_eq!(app.count("credit_change").await, 1);
}

//! The blacklist over HTTP (issue #9 item 2): entry on a ground citing a bad record in force,
//! the restrictions it brings, removal only after the management period; refusals write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::error_code;
use jianan_tests::fixtures::Fixture;
use serde_json::json;

const LIST: &str =
    "mutation($input: ListOnCreditBlacklistInput!) { listOnCreditBlacklist(input: $input) {
  creditBlacklistEntry { id uscc ground listedAt until record { id } } } }";
const REMOVE: &str =
    "mutation($input: RemoveFromCreditBlacklistInput!) { removeFromCreditBlacklist(input: $input) {
  creditBlacklistEntry { id removedAt removalReason } } }";
const RESTRICTIONS: &str = "query($u: String!) { creditRestrictions(uscc: $u) { restrictions { kind basis sourceRecords { id } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blacklisted_enterprise_is_restricted_until_it_is_removed_after_its_period() {
    let (app, fx) = Fixture::spawn().await;
    app.data(
        fx.inspector.auth(),
        "mutation($input: IssueEnforcementActionInput!) { issueEnforcementAction(input: $input) { enforcementAction { id } } }",
        json!({ "input": { "kind": "PENALTY", "legalBasis": "《建筑法》第六十七条",
            "description": "转包工程", "targetEnterpriseId": fx.contractor.id, "penaltyFen": "5000000" } }),
    )
    .await;
    app.settle().await;
    let d = app
        .data(
            fx.staff.auth(),
            "{ creditRecords { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let record = d["creditRecords"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let input = |key: Option<&str>| {
        json!({ "input": { "recordId": record, "ground": "SUBCONTRACTING_OR_LENDING",
            "basis": "武隆建罚〔2026〕1号（测试）", "idempotencyKey": key } })
    };
    let snapshot = || async {
        [
            app.count("credit_blacklist").await,
            app.count("audit_log").await,
            app.count("credit_change").await,
        ]
    };

    let before = snapshot().await;
    let body = app.gql(fx.inspector.auth(), LIST, input(None)).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(snapshot().await, before);

    let a = app.data(fx.staff.auth(), LIST, input(Some("b-1"))).await;
    let b = app.data(fx.staff.auth(), LIST, input(Some("b-1"))).await;
    assert_eq!(a, b, "a retry returns the first listing");
    let entry = a["listOnCreditBlacklist"]["creditBlacklistEntry"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.count("credit_blacklist").await, 1);

    // Listed once.
    let before = snapshot().await;
    let body = app.gql(fx.staff.auth(), LIST, input(None)).await;
    assert_eq!(error_code(&body), "CONFLICT");
    // Within its management period: not removed.
    let body = app
        .gql(
            fx.staff.auth(),
            REMOVE,
            json!({ "input": { "entryId": entry, "reason": "已整改" } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(snapshot().await, before);

    // The bureau sees every restriction, bidding included, resting on the record.
    let r = app
        .data(
            fx.bureau.auth(),
            RESTRICTIONS,
            json!({ "u": fx.contractor.uscc }),
        )
        .await;
    let list = r["creditRestrictions"]["restrictions"].as_array().unwrap();
    let kinds: Vec<_> = list.iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"BIDDING"), "{kinds:?}");
    assert!(
        list.iter()
            .all(|x| x["sourceRecords"][0]["id"] == record.as_str())
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM credit_change WHERE kind = 'BLACKLISTED'")
            .await,
        1
    );
    // The enterprise sees its own listing; another does not.
    let q = "{ creditBlacklist(currentOnly: true) { edges { node { id } } } }";
    assert_eq!(
        app.data(fx.manager.auth(), q, json!({})).await["creditBlacklist"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        app.data(fx.other_manager.auth(), q, json!({})).await["creditBlacklist"]["edges"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // After the period: removed, audited, in the feed, and bidding is open again.
    app.exec("UPDATE credit_blacklist SET until = listed_at")
        .await;
    let d = app
        .data(
            fx.staff.auth(),
            REMOVE,
            json!({ "input": { "entryId": entry, "reason": "管理期满未再发生列入情形" } }),
        )
        .await;
    assert!(d["removeFromCreditBlacklist"]["creditBlacklistEntry"]["removedAt"].is_string());
    let r = app
        .data(
            fx.bureau.auth(),
            RESTRICTIONS,
            json!({ "u": fx.contractor.uscc }),
        )
        .await;
    let kinds: Vec<_> = r["creditRestrictions"]["restrictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(!kinds.contains(&"BIDDING".to_owned()), "{kinds:?}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('credit.blacklist.list', 'credit.blacklist.remove')").await,
        2
    );
    let body = app
        .gql(
            fx.staff.auth(),
            REMOVE,
            json!({ "input": { "entryId": entry, "reason": "再次" } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
}

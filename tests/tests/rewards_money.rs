//! Rewards money and duplicates end to end (issue #10 items 3 and 4): a reward proposed from the
//! standards table, approved by two different people, paid within the year's budget and confirmed
//! by the anonymous reporter through the receipt code; every refusal writes nothing; the budget
//! ledger adds up; a duplicate's reporter is not rewarded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Datelike;
use jianan_tests::fixtures::Fixture;
use jianan_tests::{DEMO_PASSWORD, TestApp, error_code};
use serde_json::{Value, json};

const SUBMIT: &str = "mutation($input: SubmitReportInput!) { submitReport(input: $input) { receiptCode passphrase status acceptDueAt } }";
const BY_RECEIPT: &str = "query($c: String!, $p: String!) { reportByReceipt(receiptCode: $c, passphrase: $p) { status verdict reward { amountFen status paidOn } } }";
const REPORT_FIELDS: &str = "id status verdict version duplicateOf reward { id status amountFen }";
const REWARD_FIELDS: &str = "id amountFen standardFen ruleCode basis overrideReason status version budgetYear paymentMethod paidOn confirmedAt refusalReason report { id } proposedBy { id } departmentApprovedBy { id } finalApprovedBy { id } paidBy { id }";
const BUDGET: &str = "query($y: Int!) { rewardBudget(year: $y) { year budgetFen committedFen paidFen availableFen version } }";
const SET_BUDGET: &str = "mutation($input: SetRewardBudgetInput!) { setRewardBudget(input: $input) { budget { year budgetFen committedFen paidFen availableFen version } } }";
const CONFIRM: &str = "mutation($input: ConfirmRewardPaymentInput!) { confirmRewardPayment(input: $input) { report { status reward { amountFen status paidOn } } } }";
const CREATE_ACCOUNT: &str =
    "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }";

fn report_input(project: &str) -> Value {
    json!({ "input": {
        "category": "GENERAL_HAZARD",
        "channel": "WEB",
        "description": "3号楼脚手架连墙件整层缺失，工人无安全带作业",
        "projectId": project,
        "address": "工业园区3号楼北侧",
        "observedAt": "2026-12-01T02:00:00Z",
    } })
}

/// Files an anonymous report; returns its receipt code and passphrase.
async fn submit(app: &TestApp, project: &str) -> (String, String) {
    let d = app.data(None, SUBMIT, report_input(project)).await;
    (
        d["submitReport"]["receiptCode"]
            .as_str()
            .unwrap()
            .to_owned(),
        d["submitReport"]["passphrase"].as_str().unwrap().to_owned(),
    )
}

async fn by_receipt(app: &TestApp, code: &str, pass: &str) -> Value {
    app.gql(None, BY_RECEIPT, json!({ "c": code, "p": pass }))
        .await
}

/// The handler's view of the newest report.
async fn newest_report(app: &TestApp, token: &str) -> Value {
    let q = format!("{{ rewardReports(first: 1) {{ nodes {{ {REPORT_FIELDS} }} }} }}");
    app.data(Some(token), &q, json!({})).await["rewardReports"]["nodes"][0].clone()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A report workflow mutation (`acceptReport`, `markReportDuplicate`…) returning the report.
async fn act(app: &TestApp, token: Option<&str>, verb: &str, input: Value) -> Value {
    let q = format!(
        "mutation($input: {}Input!) {{ {verb}(input: $input) {{ report {{ {REPORT_FIELDS} }} }} }}",
        capitalise(verb)
    );
    app.gql(token, &q, json!({ "input": input })).await
}

/// A reward mutation returning the reward.
async fn money(app: &TestApp, token: Option<&str>, verb: &str, input: Value) -> Value {
    let input_type = match verb {
        "approveReward" | "approveRewardFinal" => "ApproveRewardInput".to_owned(),
        other => format!("{}Input", capitalise(other)),
    };
    let q = format!(
        "mutation($input: {input_type}!) {{ {verb}(input: $input) {{ reward {{ {REWARD_FIELDS} }} }} }}"
    );
    app.gql(token, &q, json!({ "input": input })).await
}

fn ok<'a>(body: &'a Value, verb: &str) -> &'a Value {
    assert!(body["errors"].is_null(), "{verb}: {body}");
    &body["data"][verb]["reward"]
}

/// Rows and versions of everything a refused step could touch.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    // Handlers of earlier events write too (audit records, links); let them finish first.
    app.settle().await;
    vec![
        app.count("rewards_reward").await,
        app.count("rewards_budget").await,
        app.count("rewards_report").await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM rewards_reward")
            .await,
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM rewards_budget")
            .await,
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM rewards_report")
            .await,
    ]
}

/// A report filed anonymously, accepted, assigned to the fixture's inspector and found
/// `verdict`; returns its global id and the receipt.
async fn verified(app: &TestApp, fx: &Fixture, verdict: &str) -> (String, (String, String)) {
    let staff = fx.staff.token.clone();
    let receipt = submit(app, &fx.project.id).await;
    let id = newest_report(app, &staff).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (token, verb, input) in [
        (&staff, "acceptReport", json!({ "reportId": id })),
        (
            &staff,
            "assignReportVerifier",
            json!({ "reportId": id, "verifierId": fx.inspector.id }),
        ),
        (
            &fx.inspector.token,
            "verifyReport",
            json!({ "reportId": id, "verdict": verdict, "findings": "现场核查" }),
        ),
    ] {
        let body = act(app, Some(token), verb, input).await;
        assert!(body["errors"].is_null(), "{verb}: {body}");
    }
    (id, receipt)
}

/// The current budget year (Beijing time).
fn this_year() -> i32 {
    jianan_kernel::calendar::today().year()
}

fn today() -> String {
    jianan_kernel::calendar::today()
        .format("%Y-%m-%d")
        .to_string()
}

async fn set_budget(app: &TestApp, token: &str, fen: &str, version: Option<i64>) -> Value {
    app.gql(
        Some(token),
        SET_BUDGET,
        json!({ "input": { "year": this_year(), "amountFen": fen, "expectedVersion": version } }),
    )
    .await
}

async fn budget(app: &TestApp, token: &str) -> Value {
    app.data(Some(token), BUDGET, json!({ "y": this_year() }))
        .await["rewardBudget"]
        .clone()
}

/// A second leader who also holds the department's approval (DEPARTMENT_STAFF + LEADER), to
/// prove one person cannot give both approvals.
async fn dual_approver(app: &TestApp, fx: &Fixture) -> (String, String) {
    let d = app
        .data(
            Some(&fx.admin.token),
            CREATE_ACCOUNT,
            json!({ "input": { "username": "dual-approver", "displayName": "双重角色（测试）",
                "kind": "PERSON", "password": DEMO_PASSWORD,
                "roles": ["DEPARTMENT_STAFF", "LEADER"], "orgUnitId": fx.commission.id } }),
        )
        .await;
    let id = d["createAccount"]["account"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, app.login("dual-approver").await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reward_goes_from_proposal_through_two_approvals_and_payment_to_the_reporters_confirmation()
 {
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    let admin = fx.admin.token.clone();
    let leader = fx.leader.token.clone();
    let (dual_id, dual) = dual_approver(&app, &fx).await;

    // Before verification no reward can be proposed.
    let (code, pass) = submit(&app, &fx.project.id).await;
    let early_id = newest_report(&app, &staff).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = snapshot(&app).await;
    let early = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": early_id }),
    )
    .await;
    assert_eq!(error_code(&early), "CONFLICT", "{early}");
    assert_eq!(snapshot(&app).await, before);
    // The reporter sees no reward yet.
    let seen = by_receipt(&app, &code, &pass).await;
    assert!(
        seen["data"]["reportByReceipt"]["reward"].is_null(),
        "{seen}"
    );

    let (id, (code, pass)) = verified(&app, &fx, "TRUE").await;

    // Proposals refused: anonymous, without the permission, an amount above the table's maximum,
    // another amount without a reason, a stale version — nothing written.
    let before = snapshot(&app).await;
    for (token, input, code_expected, field) in [
        (None, json!({ "reportId": id }), "UNAUTHENTICATED", None),
        (
            Some(fx.inspector.token.as_str()),
            json!({ "reportId": id }),
            "FORBIDDEN",
            None,
        ),
        (
            Some(leader.as_str()),
            json!({ "reportId": id }),
            "FORBIDDEN",
            None,
        ),
        (
            Some(staff.as_str()),
            json!({ "reportId": id, "amountFen": "50001", "reason": "情节严重" }),
            "BAD_USER_INPUT",
            Some("amountFen"),
        ),
        (
            Some(staff.as_str()),
            json!({ "reportId": id, "amountFen": "30000" }),
            "BAD_USER_INPUT",
            Some("reason"),
        ),
        (
            Some(staff.as_str()),
            json!({ "reportId": id, "expectedVersion": 1 }),
            "CONFLICT",
            None,
        ),
    ] {
        let body = money(&app, token, "proposeReward", input).await;
        assert_eq!(error_code(&body), code_expected, "{body}");
        assert!(
            !body["errors"][0]["message"].as_str().unwrap().is_ascii(),
            "{body}"
        );
        if let Some(f) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], f, "{body}");
        }
    }
    assert_eq!(snapshot(&app).await, before);

    // The proposal: GENERAL_HAZARD found TRUE = 500 yuan = 50,000 fen, rule and basis stored.
    let proposed = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": id, "expectedVersion": 4 }),
    )
    .await;
    let reward = ok(&proposed, "proposeReward").clone();
    assert_eq!(reward["amountFen"], "50000", "{reward}");
    assert_eq!(reward["standardFen"], "50000");
    assert_eq!(reward["ruleCode"], "RS2026-GH-FULL");
    assert!(
        reward["basis"].as_str().unwrap().contains("待委里确认"),
        "{reward}"
    );
    assert_eq!(reward["status"], "PROPOSED");
    assert_eq!(reward["proposedBy"]["id"], fx.staff.id);
    assert_eq!(reward["report"]["id"], id);
    let rid = reward["id"].as_str().unwrap().to_owned();
    // The handler's view of the report carries it; the reporter sees amount and status.
    let r = newest_report(&app, &staff).await;
    assert_eq!(r["reward"]["id"], rid.as_str(), "{r}");
    let seen = by_receipt(&app, &code, &pass).await;
    assert_eq!(
        seen["data"]["reportByReceipt"]["reward"],
        json!({ "amountFen": "50000", "status": "PROPOSED", "paidOn": null }),
        "{seen}"
    );
    // The receipt view has no field naming who proposed or approved.
    let nosy = app
        .gql(
            None,
            "query($c: String!, $p: String!) { reportByReceipt(receiptCode: $c, passphrase: $p) { reward { finalApprovedBy { id } } } }",
            json!({ "c": code, "p": pass }),
        )
        .await;
    assert!(!nosy["errors"].is_null(), "{nosy}");

    // Refused before the first approval: a second proposal, the proposer approving, the final
    // approval out of order, the wrong roles, payment out of order, the reporter confirming an
    // unpaid reward — nothing written.
    let before = snapshot(&app).await;
    let refusals: Vec<(Option<&str>, &str, Value, &str)> = vec![
        (
            Some(&staff),
            "proposeReward",
            json!({ "reportId": id }),
            "CONFLICT",
        ),
        (
            Some(&staff),
            "approveReward",
            json!({ "rewardId": rid }),
            "FORBIDDEN",
        ),
        (
            Some(&leader),
            "approveReward",
            json!({ "rewardId": rid }),
            "FORBIDDEN",
        ),
        (
            Some(&fx.inspector.token),
            "approveReward",
            json!({ "rewardId": rid }),
            "FORBIDDEN",
        ),
        (
            None,
            "approveReward",
            json!({ "rewardId": rid }),
            "UNAUTHENTICATED",
        ),
        (
            Some(&leader),
            "approveRewardFinal",
            json!({ "rewardId": rid }),
            "CONFLICT",
        ),
        (
            Some(&admin),
            "approveRewardFinal",
            json!({ "rewardId": rid }),
            "FORBIDDEN",
        ),
        (
            Some(&staff),
            "recordRewardPayment",
            json!({ "rewardId": rid, "method": "BANK_TRANSFER", "paidOn": today() }),
            "CONFLICT",
        ),
        (
            Some(&admin),
            "approveReward",
            json!({ "rewardId": rid, "expectedVersion": 7 }),
            "CONFLICT",
        ),
        (
            Some(&staff),
            "refuseReward",
            json!({ "rewardId": rid, "reason": "本人拟定" }),
            "FORBIDDEN",
        ),
        (
            Some(&admin),
            "refuseReward",
            json!({ "rewardId": rid, "reason": " " }),
            "BAD_USER_INPUT",
        ),
    ];
    for (token, verb, input, code_expected) in refusals {
        let body = money(&app, token, verb, input).await;
        assert_eq!(error_code(&body), code_expected, "{verb}: {body}");
        assert!(
            !body["errors"][0]["message"].as_str().unwrap().is_ascii(),
            "{verb}: {body}"
        );
    }
    let unpaid = app
        .gql(
            None,
            CONFIRM,
            json!({ "input": { "receiptCode": code, "passphrase": pass } }),
        )
        .await;
    assert_eq!(error_code(&unpaid), "CONFLICT", "{unpaid}");
    assert_eq!(snapshot(&app).await, before);

    // First approval by the department (the admin, not the proposer).
    let first = money(
        &app,
        Some(&admin),
        "approveReward",
        json!({ "rewardId": rid, "expectedVersion": 1 }),
    )
    .await;
    let r = ok(&first, "approveReward");
    assert_eq!(r["status"], "APPROVED_DEPARTMENT", "{first}");
    assert_eq!(r["departmentApprovedBy"]["id"], fx.admin.id);

    // Final approval refused without a budget for the year, and beyond the available budget.
    let before = snapshot(&app).await;
    let no_budget = money(
        &app,
        Some(&leader),
        "approveRewardFinal",
        json!({ "rewardId": rid }),
    )
    .await;
    assert_eq!(error_code(&no_budget), "CONFLICT", "{no_budget}");
    assert!(
        no_budget["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("预算尚未设定"),
        "{no_budget}"
    );
    assert_eq!(snapshot(&app).await, before);
    // Setting the budget: not by the staff; by the leader, audited.
    let refused = set_budget(&app, &staff, "100000", None).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let negative = set_budget(&app, &leader, "-1", None).await;
    assert_eq!(error_code(&negative), "BAD_USER_INPUT", "{negative}");
    assert_eq!(snapshot(&app).await, before);
    let set = set_budget(&app, &leader, "49999", None).await;
    assert!(set["errors"].is_null(), "{set}");
    assert_eq!(
        set["data"]["setRewardBudget"]["budget"]["availableFen"],
        "49999"
    );
    let before = snapshot(&app).await;
    let over = money(
        &app,
        Some(&leader),
        "approveRewardFinal",
        json!({ "rewardId": rid }),
    )
    .await;
    assert_eq!(error_code(&over), "CONFLICT", "{over}");
    assert!(
        over["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("超出"),
        "{over}"
    );
    // A stale budget version is refused too.
    let stale = set_budget(&app, &leader, "100000", Some(7)).await;
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    assert_eq!(snapshot(&app).await, before);
    let raised = set_budget(&app, &admin, "100000", Some(1)).await;
    assert!(raised["errors"].is_null(), "{raised}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'rewards.budget.set'")
            .await,
        2
    );

    // Final approval by the leader: charged to this year.
    let fin = money(
        &app,
        Some(&leader),
        "approveRewardFinal",
        json!({ "rewardId": rid, "expectedVersion": 2 }),
    )
    .await;
    let r = ok(&fin, "approveRewardFinal");
    assert_eq!(r["status"], "APPROVED", "{fin}");
    assert_eq!(r["finalApprovedBy"]["id"], fx.leader.id);
    assert_eq!(r["budgetYear"], this_year());
    let b = budget(&app, &staff).await;
    assert_eq!(
        b,
        json!({ "year": this_year(), "budgetFen": "100000", "committedFen": "50000",
                "paidFen": "0", "availableFen": "50000", "version": 3 }),
    );
    // The budget cannot drop below what is committed.
    let before = snapshot(&app).await;
    let lower = set_budget(&app, &leader, "49999", None).await;
    assert_eq!(error_code(&lower), "CONFLICT", "{lower}");
    assert_eq!(snapshot(&app).await, before);

    // Payment: refused to the leader (no permission), dated in the future; recorded by staff.
    let tomorrow = (jianan_kernel::calendar::today() + chrono::Days::new(1))
        .format("%Y-%m-%d")
        .to_string();
    for (token, input, code_expected) in [
        (
            &leader,
            json!({ "rewardId": rid, "method": "BANK_TRANSFER", "paidOn": today() }),
            "FORBIDDEN",
        ),
        (
            &staff,
            json!({ "rewardId": rid, "method": "BANK_TRANSFER", "paidOn": tomorrow }),
            "BAD_USER_INPUT",
        ),
    ] {
        let body = money(&app, Some(token), "recordRewardPayment", input).await;
        assert_eq!(error_code(&body), code_expected, "{body}");
    }
    assert_eq!(snapshot(&app).await, before);
    let paid = money(
        &app,
        Some(&staff),
        "recordRewardPayment",
        json!({ "rewardId": rid, "method": "BANK_TRANSFER", "paidOn": today(), "expectedVersion": 3 }),
    )
    .await;
    let r = ok(&paid, "recordRewardPayment");
    assert_eq!(r["status"], "PAID", "{paid}");
    assert_eq!(r["paymentMethod"], "BANK_TRANSFER");
    assert_eq!(r["paidBy"]["id"], fx.staff.id);
    let b = budget(&app, &staff).await;
    assert_eq!(b["committedFen"], "0");
    assert_eq!(b["paidFen"], "50000");
    assert_eq!(b["availableFen"], "50000");

    // The reporter confirms receipt: a wrong passphrase is refused like everywhere else.
    let before = snapshot(&app).await;
    let wrong = app
        .gql(
            None,
            CONFIRM,
            json!({ "input": { "receiptCode": code, "passphrase": "AAAA-AAAA-AAAA-AAAA-AAAA" } }),
        )
        .await;
    assert_eq!(error_code(&wrong), "NOT_FOUND", "{wrong}");
    assert_eq!(
        wrong["errors"][0]["message"], "回执码或查询密码不正确",
        "{wrong}"
    );
    assert_eq!(snapshot(&app).await, before);
    let confirmed = app
        .gql(
            None,
            CONFIRM,
            json!({ "input": { "receiptCode": code, "passphrase": pass } }),
        )
        .await;
    assert!(confirmed["errors"].is_null(), "{confirmed}");
    assert_eq!(
        confirmed["data"]["confirmRewardPayment"]["report"]["reward"],
        json!({ "amountFen": "50000", "status": "CONFIRMED", "paidOn": today() }),
    );
    // Only once.
    let before = snapshot(&app).await;
    let again = app
        .gql(
            None,
            CONFIRM,
            json!({ "input": { "receiptCode": code, "passphrase": pass } }),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");
    assert_eq!(snapshot(&app).await, before);
    let seen = by_receipt(&app, &code, &pass).await;
    assert_eq!(
        seen["data"]["reportByReceipt"]["reward"]["status"],
        "CONFIRMED"
    );
    // Paid and confirmed still count as paid.
    let b = budget(&app, &staff).await;
    assert_eq!(b["paidFen"], "50000");
    // The statistics do not show one reward's amount: it is that reporter's.
    let stats = app
        .data(
            Some(&staff),
            "{ rewardStatistics { rewardsPaid rewardsPaidFen } }",
            json!({}),
        )
        .await;
    assert_eq!(
        stats["rewardStatistics"],
        json!({ "rewardsPaid": null, "rewardsPaidFen": null })
    );
    // Every step audited; the anonymous confirmation without an address.
    for action in [
        "rewards.reward.propose",
        "rewards.reward.approve",
        "rewards.reward.approve_final",
        "rewards.reward.pay",
        "rewards.reward.confirm",
    ] {
        let n = app
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}'"
            ))
            .await;
        assert_eq!(n, 1, "{action}");
    }

    // One person cannot give both approvals: the dual-role account approves first, then is
    // refused the final approval; a different leader gives it.
    let (id2, _) = verified(&app, &fx, "PARTLY_TRUE").await;
    let p2 = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": id2 }),
    )
    .await;
    let r2 = ok(&p2, "proposeReward").clone();
    assert_eq!(r2["amountFen"], "25000", "{r2}");
    assert_eq!(r2["ruleCode"], "RS2026-GH-PART");
    let rid2 = r2["id"].as_str().unwrap().to_owned();
    let a2 = money(
        &app,
        Some(&dual),
        "approveReward",
        json!({ "rewardId": rid2 }),
    )
    .await;
    assert_eq!(
        ok(&a2, "approveReward")["departmentApprovedBy"]["id"],
        dual_id
    );
    let before = snapshot(&app).await;
    let twice = money(
        &app,
        Some(&dual),
        "approveRewardFinal",
        json!({ "rewardId": rid2 }),
    )
    .await;
    assert_eq!(error_code(&twice), "FORBIDDEN", "{twice}");
    assert!(
        twice["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("两次审批"),
        "{twice}"
    );
    assert_eq!(snapshot(&app).await, before);
    // The final approver refuses it instead, with a reason; a refused reward is final.
    let refused = money(
        &app,
        Some(&leader),
        "refuseReward",
        json!({ "rewardId": rid2, "reason": "举报人系被举报单位负责人" }),
    )
    .await;
    let r = ok(&refused, "refuseReward");
    assert_eq!(r["status"], "REFUSED", "{refused}");
    assert_eq!(r["refusalReason"], "举报人系被举报单位负责人");
    let before = snapshot(&app).await;
    let after_refusal = money(
        &app,
        Some(&leader),
        "approveRewardFinal",
        json!({ "rewardId": rid2 }),
    )
    .await;
    assert_eq!(error_code(&after_refusal), "CONFLICT", "{after_refusal}");
    assert_eq!(snapshot(&app).await, before);
    // Refused rewards do not count against the budget.
    assert_eq!(budget(&app, &staff).await["availableFen"], "50000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_ledger_adds_up_across_rewards_in_different_states() {
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    let admin = fx.admin.token.clone();
    let leader = fx.leader.token.clone();
    // No budget yet: nothing set, nothing spent.
    assert_eq!(
        budget(&app, &staff).await,
        json!({ "year": this_year(), "budgetFen": null, "committedFen": "0", "paidFen": "0",
                "availableFen": "0", "version": null })
    );
    let set = set_budget(&app, &leader, "1000000", None).await;
    assert!(set["errors"].is_null(), "{set}");
    // Changing it without a version is allowed (the last change wins; the audit trail keeps both).
    let changed = set_budget(&app, &admin, "2000000", None).await;
    assert!(changed["errors"].is_null(), "{changed}");
    assert_eq!(budget(&app, &staff).await["version"], 2);

    // Three rewards: one paid (50,000), one approved and not paid (overridden to 40,000 with a
    // reason), one only proposed (not counted).
    let mut rewards = Vec::new();
    for (verdict, amount) in [("TRUE", None), ("TRUE", Some("40000")), ("TRUE", None)] {
        let (id, _) = verified(&app, &fx, verdict).await;
        let mut input = json!({ "reportId": id });
        if let Some(a) = amount {
            input["amountFen"] = json!(a);
            input["reason"] = json!("举报线索部分需补充核实，酌减");
        }
        let body = money(&app, Some(&staff), "proposeReward", input).await;
        rewards.push(ok(&body, "proposeReward").clone());
    }
    assert_eq!(rewards[1]["amountFen"], "40000");
    assert_eq!(rewards[1]["standardFen"], "50000");
    assert_eq!(rewards[1]["overrideReason"], "举报线索部分需补充核实，酌减");
    for r in &rewards[..2] {
        let id = r["id"].as_str().unwrap();
        for (token, verb) in [(&admin, "approveReward"), (&leader, "approveRewardFinal")] {
            let body = money(&app, Some(token), verb, json!({ "rewardId": id })).await;
            ok(&body, verb);
        }
    }
    let body = money(
        &app,
        Some(&staff),
        "recordRewardPayment",
        json!({ "rewardId": rewards[0]["id"], "method": "CASH", "paidOn": today() }),
    )
    .await;
    ok(&body, "recordRewardPayment");

    let b = budget(&app, &staff).await;
    assert_eq!(b["budgetFen"], "2000000", "{b}");
    assert_eq!(b["committedFen"], "40000", "{b}");
    assert_eq!(b["paidFen"], "50000", "{b}");
    assert_eq!(b["availableFen"], "1910000", "{b}");
    let n = |v: &Value| v.as_str().unwrap().parse::<i64>().unwrap();
    assert_eq!(
        n(&b["budgetFen"]),
        n(&b["availableFen"]) + n(&b["committedFen"]) + n(&b["paidFen"])
    );
    // Another year has nothing charged to it.
    let other = app
        .data(Some(&staff), BUDGET, json!({ "y": this_year() - 1 }))
        .await;
    assert_eq!(other["rewardBudget"]["committedFen"], "0");
    // The ledger is readable by those who read reports, not by enterprises.
    let refused = app
        .gql(Some(&fx.manager.token), BUDGET, json!({ "y": this_year() }))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_first_valid_reporter_of_a_matter_is_rewarded() {
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();

    let (first, _) = verified(&app, &fx, "TRUE").await;
    let (second, _) = verified(&app, &fx, "TRUE").await;
    let (third, _) = verified(&app, &fx, "TRUE").await;

    // Refused marks: the later report as the original of an earlier one, a report as its own
    // duplicate, without the permission, a stale version — nothing written.
    let before = snapshot(&app).await;
    for (token, input, code_expected) in [
        (
            &staff,
            json!({ "reportId": first, "ofReportId": second }),
            "BAD_USER_INPUT",
        ),
        (
            &staff,
            json!({ "reportId": second, "ofReportId": second }),
            "BAD_USER_INPUT",
        ),
        (
            &fx.inspector.token,
            json!({ "reportId": second, "ofReportId": first }),
            "FORBIDDEN",
        ),
        (
            &staff,
            json!({ "reportId": second, "ofReportId": first, "expectedVersion": 1 }),
            "CONFLICT",
        ),
    ] {
        let body = act(&app, Some(token), "markReportDuplicate", input).await;
        assert_eq!(error_code(&body), code_expected, "{body}");
    }
    assert_eq!(snapshot(&app).await, before);

    let marked = act(
        &app,
        Some(&staff),
        "markReportDuplicate",
        json!({ "reportId": second, "ofReportId": first, "expectedVersion": 4 }),
    )
    .await;
    assert!(marked["errors"].is_null(), "{marked}");
    assert_eq!(
        marked["data"]["markReportDuplicate"]["report"]["duplicateOf"],
        first
    );
    // A duplicate of the duplicate is recorded against the earliest report.
    let chained = act(
        &app,
        Some(&staff),
        "markReportDuplicate",
        json!({ "reportId": third, "ofReportId": second }),
    )
    .await;
    assert_eq!(
        chained["data"]["markReportDuplicate"]["report"]["duplicateOf"], first,
        "{chained}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'rewards.report.duplicate'")
            .await,
        2
    );

    // The duplicate's reporter is not rewarded while the first report is valid.
    let before = snapshot(&app).await;
    let dup = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": second }),
    )
    .await;
    assert_eq!(error_code(&dup), "CONFLICT", "{dup}");
    assert_eq!(
        dup["errors"][0]["message"], "重复举报，仅奖励首位有效举报人",
        "{dup}"
    );
    // Marking twice is refused.
    let again = act(
        &app,
        Some(&staff),
        "markReportDuplicate",
        json!({ "reportId": second, "ofReportId": first }),
    )
    .await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");
    assert_eq!(snapshot(&app).await, before);
    // The first reporter is.
    let body = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": first }),
    )
    .await;
    ok(&body, "proposeReward");
    // A report with a reward can no longer be marked as a duplicate.
    let (fourth, _) = verified(&app, &fx, "TRUE").await;
    let body = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": fourth }),
    )
    .await;
    ok(&body, "proposeReward");
    let before = snapshot(&app).await;
    let late = act(
        &app,
        Some(&staff),
        "markReportDuplicate",
        json!({ "reportId": fourth, "ofReportId": first }),
    )
    .await;
    assert_eq!(error_code(&late), "CONFLICT", "{late}");
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_original_is_found_false_the_earliest_valid_duplicate_is_rewarded() {
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    let (original, _) = verified(&app, &fx, "FALSE").await;
    let (second, _) = verified(&app, &fx, "PARTLY_TRUE").await;
    let (third, _) = verified(&app, &fx, "TRUE").await;
    for dup in [&second, &third] {
        let body = act(
            &app,
            Some(&staff),
            "markReportDuplicate",
            json!({ "reportId": dup, "ofReportId": original }),
        )
        .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    // The original, found false, earns nothing.
    let before = snapshot(&app).await;
    let body = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": original }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    // The third is not the earliest valid one.
    let body = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": third }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(snapshot(&app).await, before);
    // The second is: partly true, half the standard.
    let body = money(
        &app,
        Some(&staff),
        "proposeReward",
        json!({ "reportId": second }),
    )
    .await;
    assert_eq!(ok(&body, "proposeReward")["amountFen"], "25000", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_final_approvals_racing_for_the_last_of_the_budget_cannot_both_spend_it() {
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    let leader = fx.leader.token.clone();
    let set = set_budget(&app, &leader, "50000", None).await;
    assert!(set["errors"].is_null(), "{set}");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (id, _) = verified(&app, &fx, "TRUE").await;
        let body = money(
            &app,
            Some(&staff),
            "proposeReward",
            json!({ "reportId": id }),
        )
        .await;
        let rid = ok(&body, "proposeReward")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let body = money(
            &app,
            Some(&fx.admin.token),
            "approveReward",
            json!({ "rewardId": rid }),
        )
        .await;
        ok(&body, "approveReward");
        ids.push(rid);
    }
    let (a, b) = tokio::join!(
        money(
            &app,
            Some(&leader),
            "approveRewardFinal",
            json!({ "rewardId": ids[0] }),
        ),
        money(
            &app,
            Some(&leader),
            "approveRewardFinal",
            json!({ "rewardId": ids[1] }),
        ),
    );
    let won = [&a, &b].iter().filter(|r| r["errors"].is_null()).count();
    assert_eq!(won, 1, "{a}\n{b}");
    let lost = if a["errors"].is_null() { &b } else { &a };
    assert_eq!(error_code(lost), "CONFLICT", "{lost}");
    let l = budget(&app, &staff).await;
    assert_eq!(l["committedFen"], "50000", "{l}");
    assert_eq!(l["availableFen"], "0", "{l}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM rewards_reward WHERE status = 'APPROVED'")
            .await,
        1
    );
}

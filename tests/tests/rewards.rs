//! Rewarded public reporting end to end (issue #10 items 1, 2, 4, 5, 8): filing without an
//! account, following by receipt code, questions and answers, the handling workflow with its
//! refusals, the sealed identity and its two-person reveal, and the limits on anonymous callers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, TestApp, error_code};
use serde_json::{Value, json};

const NAME: &str = "欧阳举报人";
const CONTACT: &str = "13987654321";

/// Every log line the server writes in this process (DEBUG and up), to scan for the identity.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        buf
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The text of every row `sql` selects (one column `t`), searched in Rust: a scan written as
/// `LIKE '%<identity>%'` would itself put the identity into the captured statement log.
async fn texts(app: &TestApp, sql: &str) -> String {
    use sea_orm::{FromQueryResult, JsonValue, Statement};
    let db = app.db().await;
    let rows = JsonValue::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .all(&db)
    .await
    .unwrap();
    serde_json::to_string(&rows).unwrap()
}

const SUBMIT: &str = "mutation($input: SubmitReportInput!) { submitReport(input: $input) { receiptCode passphrase status acceptDueAt } }";
const BY_RECEIPT: &str = "query($c: String!, $p: String!) { reportByReceipt(receiptCode: $c, passphrase: $p) { status category description rejectionReason verdict messages { fromReporter body } } }";
const REPORT_FIELDS: &str = "id pseudonym named status verdict findings rejectionReason version messages { fromReporter body } project { id } verifier { id }";

fn report_input(project: &str, channel: &str, named: bool) -> Value {
    let mut input = json!({
        "category": "GENERAL_HAZARD",
        "channel": channel,
        "description": "3号楼脚手架连墙件整层缺失，工人无安全带作业",
        "projectId": project,
        "address": "工业园区3号楼北侧",
        "observedAt": "2026-12-01T02:00:00Z",
    });
    if named {
        input["reporterName"] = json!(NAME);
        input["reporterContact"] = json!(CONTACT);
    }
    json!({ "input": input })
}

async fn submit(
    app: &TestApp,
    token: Option<&str>,
    project: &str,
    named: bool,
) -> (String, String) {
    let d = app
        .data(token, SUBMIT, report_input(project, "WEB", named))
        .await;
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

/// The handler's global id of the newest report.
async fn newest_report(app: &TestApp, token: &str) -> Value {
    let q = format!("{{ rewardReports(first: 1) {{ nodes {{ {REPORT_FIELDS} }} }} }}");
    app.data(Some(token), &q, json!({})).await["rewardReports"]["nodes"][0].clone()
}

async fn act(app: &TestApp, token: Option<&str>, verb: &str, input: Value) -> Value {
    let q = format!(
        "mutation($input: {}Input!) {{ {verb}(input: $input) {{ report {{ {REPORT_FIELDS} }} }} }}",
        capitalise(verb)
    );
    app.gql(token, &q, json!({ "input": input })).await
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

async fn snapshot(app: &TestApp) -> (i64, i64, i64, i64) {
    // Handlers of earlier events write too (audit records, links); let them finish first.
    app.settle().await;
    (
        app.count("rewards_report").await,
        app.count("rewards_message").await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_report_is_followed_by_receipt_through_its_whole_life_cycle() {
    captured_logs();
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    let inspector = fx.inspector.token.clone();

    let (code, pass) = submit(&app, None, &fx.project.id, false).await;
    assert_eq!(code.len(), 19, "{code}");
    let seen = by_receipt(&app, &code, &pass).await;
    assert_eq!(
        seen["data"]["reportByReceipt"]["status"], "SUBMITTED",
        "{seen}"
    );
    // Lower case and without separators works too.
    let loose = by_receipt(
        &app,
        &code.replace('-', "").to_lowercase(),
        &pass.replace('-', ""),
    )
    .await;
    assert_eq!(
        loose["data"]["reportByReceipt"]["status"], "SUBMITTED",
        "{loose}"
    );

    let r = newest_report(&app, &staff).await;
    let id = r["id"].as_str().unwrap().to_owned();
    assert!(r["pseudonym"].as_str().unwrap().starts_with("举报人-"));
    assert_eq!(r["named"], false);
    assert_eq!(r["project"]["id"], fx.project.id);

    // The reporter cannot answer before being asked; nothing is written.
    let before = snapshot(&app).await;
    let q = "mutation($input: AnswerReportQuestionInput!) { answerReportQuestion(input: $input) { report { status messages { fromReporter body } } } }";
    let early = app
        .gql(
            None,
            q,
            json!({ "input": { "receiptCode": code, "passphrase": pass, "body": "补充" } }),
        )
        .await;
    assert_eq!(error_code(&early), "CONFLICT", "{early}");
    assert_eq!(snapshot(&app).await, before);

    // Refused steps: anonymous, without the permission, out of order — nothing written.
    let refusals = [
        (
            None,
            "acceptReport",
            json!({ "reportId": id }),
            "UNAUTHENTICATED",
        ),
        (
            Some(inspector.as_str()),
            "acceptReport",
            json!({ "reportId": id }),
            "FORBIDDEN",
        ),
        (
            Some(staff.as_str()),
            "closeReport",
            json!({ "reportId": id }),
            "CONFLICT",
        ),
        (
            Some(staff.as_str()),
            "verifyReport",
            json!({ "reportId": id, "verdict": "TRUE", "findings": "x" }),
            "CONFLICT",
        ),
        (
            Some(staff.as_str()),
            "assignReportVerifier",
            json!({ "reportId": id, "verifierId": fx.inspector.id }),
            "CONFLICT",
        ),
        (
            Some(staff.as_str()),
            "rejectReport",
            json!({ "reportId": id, "reason": "  " }),
            "BAD_USER_INPUT",
        ),
    ];
    for (token, verb, input, code) in refusals {
        let body = act(&app, token, verb, input).await;
        assert_eq!(error_code(&body), code, "{verb}: {body}");
        assert!(
            !body["errors"][0]["message"].as_str().unwrap().is_ascii(),
            "{body}"
        );
    }
    assert_eq!(snapshot(&app).await, before);

    // A question and its answer.
    let asked = act(
        &app,
        Some(&staff),
        "askReporter",
        json!({ "reportId": id, "body": "请问是哪一层？" }),
    )
    .await;
    assert!(asked["errors"].is_null(), "{asked}");
    let answered = app
        .gql(
            None,
            q,
            json!({ "input": { "receiptCode": code, "passphrase": pass, "body": "第12层" } }),
        )
        .await;
    let msgs = &answered["data"]["answerReportQuestion"]["report"]["messages"];
    assert_eq!(msgs[0]["fromReporter"], false, "{answered}");
    assert_eq!(msgs[1]["body"], "第12层");

    // Accept, assign, verify (only the assigned verifier), close.
    let accepted = act(
        &app,
        Some(&staff),
        "acceptReport",
        json!({ "reportId": id }),
    )
    .await;
    assert_eq!(
        accepted["data"]["acceptReport"]["report"]["status"], "ACCEPTED",
        "{accepted}"
    );
    let bad_verifier = act(
        &app,
        Some(&staff),
        "assignReportVerifier",
        json!({ "reportId": id, "verifierId": fx.manager.id }),
    )
    .await;
    assert_eq!(
        error_code(&bad_verifier),
        "BAD_USER_INPUT",
        "{bad_verifier}"
    );
    let assigned = act(
        &app,
        Some(&staff),
        "assignReportVerifier",
        json!({ "reportId": id, "verifierId": fx.inspector.id }),
    )
    .await;
    assert_eq!(
        assigned["data"]["assignReportVerifier"]["report"]["status"], "VERIFYING",
        "{assigned}"
    );
    let before = snapshot(&app).await;
    let not_mine = act(
        &app,
        Some(&staff),
        "verifyReport",
        json!({ "reportId": id, "verdict": "TRUE", "findings": "属实" }),
    )
    .await;
    assert_eq!(error_code(&not_mine), "FORBIDDEN", "{not_mine}");
    assert_eq!(snapshot(&app).await, before);
    let verified = act(
        &app,
        Some(&inspector),
        "verifyReport",
        json!({ "reportId": id, "verdict": "TRUE", "findings": "现场核实连墙件缺失" }),
    )
    .await;
    assert_eq!(
        verified["data"]["verifyReport"]["report"]["verdict"], "TRUE",
        "{verified}"
    );
    let events = app
        .scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'rewards.report_verified'")
        .await;
    assert_eq!(events, 1);
    let closed = act(&app, Some(&staff), "closeReport", json!({ "reportId": id })).await;
    assert_eq!(
        closed["data"]["closeReport"]["report"]["status"], "CLOSED",
        "{closed}"
    );
    let seen = by_receipt(&app, &code, &pass).await;
    assert_eq!(seen["data"]["reportByReceipt"]["status"], "CLOSED");
    assert_eq!(seen["data"]["reportByReceipt"]["verdict"], "TRUE");
    // No answers once closed.
    let late = app
        .gql(
            None,
            q,
            json!({ "input": { "receiptCode": code, "passphrase": pass, "body": "再补充" } }),
        )
        .await;
    assert_eq!(error_code(&late), "CONFLICT", "{late}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_report_shows_its_reason_to_the_reporter_and_false_reports_publish_nothing() {
    captured_logs();
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    let (code, pass) = submit(&app, None, &fx.project.id, false).await;
    let id = newest_report(&app, &staff).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rejected = act(
        &app,
        Some(&staff),
        "rejectReport",
        json!({ "reportId": id, "reason": "不属于本委管辖范围，已告知向区应急管理局反映" }),
    )
    .await;
    assert_eq!(
        rejected["data"]["rejectReport"]["report"]["status"], "REJECTED",
        "{rejected}"
    );
    let seen = by_receipt(&app, &code, &pass).await;
    assert_eq!(seen["data"]["reportByReceipt"]["status"], "REJECTED");
    assert!(
        seen["data"]["reportByReceipt"]["rejectionReason"]
            .as_str()
            .unwrap()
            .contains("管辖")
    );
    let again = act(
        &app,
        Some(&staff),
        "acceptReport",
        json!({ "reportId": id }),
    )
    .await;
    assert_eq!(error_code(&again), "CONFLICT");

    // A false verdict publishes no `rewards.report_verified`.
    submit(&app, None, &fx.project.id, false).await;
    let id = newest_report(&app, &staff).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    act(
        &app,
        Some(&staff),
        "acceptReport",
        json!({ "reportId": id }),
    )
    .await;
    act(
        &app,
        Some(&staff),
        "assignReportVerifier",
        json!({ "reportId": id, "verifierId": fx.staff.id }),
    )
    .await;
    let v = act(
        &app,
        Some(&staff),
        "verifyReport",
        json!({ "reportId": id, "verdict": "FALSE", "findings": "现场无此情况" }),
    )
    .await;
    assert_eq!(
        v["data"]["verifyReport"]["report"]["verdict"], "FALSE",
        "{v}"
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'rewards.report_verified'"
        )
        .await,
        0
    );

    // Hotline reports are entered by staff, never by an anonymous caller.
    let before = snapshot(&app).await;
    let anon = app
        .gql(
            None,
            SUBMIT,
            report_input(&fx.project.id, "HOTLINE_12345", true),
        )
        .await;
    assert_eq!(error_code(&anon), "UNAUTHENTICATED", "{anon}");
    let expert = app
        .gql(
            fx.expert.auth(),
            SUBMIT,
            report_input(&fx.project.id, "LETTER", true),
        )
        .await;
    assert_eq!(error_code(&expert), "FORBIDDEN", "{expert}");
    assert_eq!(snapshot(&app).await, before);
    let entered = app
        .gql(
            Some(&staff),
            SUBMIT,
            report_input(&fx.project.id, "HOTLINE_12350", true),
        )
        .await;
    assert_eq!(
        entered["data"]["submitReport"]["status"], "SUBMITTED",
        "{entered}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reporter_identity_is_sealed_and_never_leaves_by_any_channel() {
    let logs = captured_logs();
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    let mut responses = Vec::new();

    let d = app
        .gql(None, SUBMIT, report_input(&fx.project.id, "MOBILE", true))
        .await;
    responses.push(d.clone());
    let code = d["data"]["submitReport"]["receiptCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let pass = d["data"]["submitReport"]["passphrase"]
        .as_str()
        .unwrap()
        .to_owned();
    responses.push(by_receipt(&app, &code, &pass).await);
    let r = newest_report(&app, &staff).await;
    assert_eq!(r["named"], true);
    let id = r["id"].as_str().unwrap().to_owned();
    responses.push(r);
    responses.push(app.gql(Some(&staff), &format!("{{ node(id: \"{id}\") {{ ... on RewardReport {{ {REPORT_FIELDS} description address revealRequests {{ reason }} }} }} }}"), json!({})).await);
    act(
        &app,
        Some(&staff),
        "askReporter",
        json!({ "reportId": id, "body": "请补充照片" }),
    )
    .await;
    responses.push(
        act(
            &app,
            Some(&staff),
            "acceptReport",
            json!({ "reportId": id }),
        )
        .await,
    );
    responses.push(
        act(
            &app,
            Some(&staff),
            "assignReportVerifier",
            json!({ "reportId": id, "verifierId": fx.inspector.id }),
        )
        .await,
    );
    responses.push(
        act(
            &app,
            fx.inspector.auth(),
            "verifyReport",
            json!({ "reportId": id, "verdict": "PARTLY_TRUE", "findings": "部分属实" }),
        )
        .await,
    );
    // A refusal must not echo it either.
    responses.push(
        app.gql(None, SUBMIT, report_input(&fx.project.id, "LETTER", true))
            .await,
    );
    let req = app.gql(Some(&staff), "mutation($input: RequestIdentityRevealInput!) { requestIdentityReveal(input: $input) { request { id status reason } } }",
        json!({ "input": { "reportId": id, "reason": "需当面核实现场情况" } })).await;
    responses.push(req);
    app.settle().await;
    // Read before the scans below, whose own SQL names the identity.
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    assert!(
        logged.contains("rewards_report"),
        "the capture saw the server statements: {}",
        logged.chars().take(1500).collect::<String>()
    );
    let leaks: Vec<&str> = logged
        .lines()
        .filter(|l| l.contains(NAME) || l.contains(CONTACT))
        .collect();
    assert!(leaks.is_empty(), "identity in the logs: {leaks:#?}");
    assert!(!logged.contains(&pass), "passphrase in the logs");

    for body in &responses {
        let text = body.to_string();
        assert!(
            !text.contains(NAME) && !text.contains(CONTACT),
            "identity in a response: {text}"
        );
    }

    // The column holds ciphertext with its key id; no column holds the identity in clear.
    use jianan_rewards::entity::report;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = report::Entity::find()
        .filter(report::Column::Named.eq(true))
        .one(&app.db().await)
        .await
        .unwrap()
        .unwrap();
    let sealed = row.identity_ciphertext.unwrap();
    let key_id = row.identity_key_id.unwrap();
    assert!(sealed.len() > 40 && !sealed.contains(CONTACT), "{sealed}");
    assert!(key_id.starts_with("k1-"));
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&sealed)
        .unwrap();
    assert!(!String::from_utf8_lossy(&raw).contains(CONTACT));

    for (table, columns) in [
        (
            "rewards_report",
            "description || address || pseudonym || coalesce(identity_ciphertext, '')",
        ),
        (
            "audit_log",
            "actor_label || action || entity_type || entity_id || detail || coalesce(client_addr, '')",
        ),
        ("outbox_event", "topic || payload"),
        ("rewards_message", "body"),
        ("rewards_reveal_request", "reason"),
    ] {
        let text = texts(&app, &format!("SELECT ({columns}) AS t FROM {table}")).await;
        assert!(!text.is_empty(), "{table} scanned");
        assert!(
            !text.contains(CONTACT) && !text.contains(NAME),
            "identity found in {table}"
        );
    }
    // Anonymous callers leave no network address in the audit trail.
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'rewards.report.submit' AND client_addr IS NOT NULL AND actor_id IS NULL").await,
        0
    );
    assert!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'rewards.report.submit'")
            .await
            >= 1
    );
    // The event for inspections carries no reporter data.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'rewards.report_verified'"
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_passphrase_and_an_unknown_code_are_refused_identically_and_guesses_are_limited() {
    captured_logs();
    let (app, fx) = Fixture::spawn_with(Options {
        settings: Some(
            "[modules.rewards]\nreceipt_attempts_per_hour = 4\nsubmissions_per_hour = 2\n".into(),
        ),
        ..Options::default()
    })
    .await;
    let (code, pass) = submit(&app, None, &fx.project.id, false).await;
    let wrong = by_receipt(&app, &code, "AAAAA-BBBBB-CCCCC-DDDDD").await;
    let unknown = by_receipt(&app, "0000-0000-0000-0000", &pass).await;
    let malformed = by_receipt(&app, "nonsense", &pass).await;
    let strip = |v: &Value| {
        let mut v = v.clone();
        v["errors"][0]["locations"] = Value::Null;
        v
    };
    assert_eq!(error_code(&wrong), "NOT_FOUND", "{wrong}");
    assert_eq!(strip(&wrong), strip(&unknown));
    assert_eq!(strip(&wrong), strip(&malformed));
    // A success gives its attempt back; the failures stay counted: 3 so far, one more allowed.
    assert_eq!(
        by_receipt(&app, &code, &pass).await["data"]["reportByReceipt"]["status"],
        "SUBMITTED"
    );
    assert_eq!(error_code(&by_receipt(&app, &code, "X").await), "NOT_FOUND");
    let limited = by_receipt(&app, &code, &pass).await;
    assert_eq!(error_code(&limited), "RATE_LIMITED", "{limited}");

    // Two reports per address per hour here: the third is refused and writes nothing.
    submit(&app, None, &fx.project.id, false).await;
    let before = snapshot(&app).await;
    let third = app
        .gql(None, SUBMIT, report_input(&fx.project.id, "WEB", false))
        .await;
    assert_eq!(error_code(&third), "RATE_LIMITED", "{third}");
    assert_eq!(snapshot(&app).await, before);
    // Staff entering hotline reports are not limited by the public budget.
    let entered = app
        .gql(
            fx.staff.auth(),
            SUBMIT,
            report_input(&fx.project.id, "HOTLINE_12345", false),
        )
        .await;
    assert_eq!(
        entered["data"]["submitReport"]["status"], "SUBMITTED",
        "{entered}"
    );
    // Oversized descriptions are refused.
    let mut big = report_input(&fx.project.id, "HOTLINE_12345", false);
    big["input"]["description"] = json!("很".repeat(2001));
    let body = app.gql(fx.staff.auth(), SUBMIT, big).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

const REQUEST: &str = "mutation($input: RequestIdentityRevealInput!) { requestIdentityReveal(input: $input) { request { id status } } }";
const APPROVE: &str = "mutation($input: ApproveIdentityRevealInput!) { approveIdentityReveal(input: $input) { request { id status approvedBy { id } } } }";
const REVEAL: &str = "mutation($input: RevealReporterIdentityInput!) { revealReporterIdentity(input: $input) { request { status } identity { name contact } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identity_is_revealed_only_on_a_reasoned_request_approved_by_another_custodian() {
    captured_logs();
    let (app, fx) = Fixture::spawn().await;
    let (staff, admin, leader) = (
        fx.staff.token.clone(),
        fx.admin.token.clone(),
        fx.leader.token.clone(),
    );
    submit(&app, None, &fx.project.id, true).await;
    let id = newest_report(&app, &staff).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let before = app.count("rewards_reveal_request").await;
    let inspector = app
        .gql(
            fx.inspector.auth(),
            REQUEST,
            json!({ "input": { "reportId": id, "reason": "核实" } }),
        )
        .await;
    assert_eq!(error_code(&inspector), "FORBIDDEN", "{inspector}");
    let no_reason = app
        .gql(
            Some(&staff),
            REQUEST,
            json!({ "input": { "reportId": id, "reason": " " } }),
        )
        .await;
    assert_eq!(error_code(&no_reason), "BAD_USER_INPUT");
    assert_eq!(app.count("rewards_reveal_request").await, before);

    let req = app
        .gql(
            Some(&staff),
            REQUEST,
            json!({ "input": { "reportId": id, "reason": "需联系举报人到场指认" } }),
        )
        .await;
    let req_id = req["data"]["requestIdentityReveal"]["request"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Not yet approved: no reveal. The requester holds no custodian permission.
    let early = app
        .gql(
            Some(&staff),
            REVEAL,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(error_code(&early), "CONFLICT", "{early}");
    let self_approve = app
        .gql(
            Some(&staff),
            APPROVE,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(error_code(&self_approve), "FORBIDDEN", "{self_approve}");

    // An administrator holds both permissions, but cannot approve their own request.
    let own = app
        .gql(
            Some(&admin),
            REQUEST,
            json!({ "input": { "reportId": id, "reason": "复核" } }),
        )
        .await;
    let own_id = own["data"]["requestIdentityReveal"]["request"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let audits = app.count("audit_log").await;
    let refused = app
        .gql(
            Some(&admin),
            APPROVE,
            json!({ "input": { "requestId": own_id } }),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    assert_eq!(app.count("audit_log").await, audits);

    // A custodian approves the staff member's request; only the requester reads it, once.
    let approved = app
        .gql(
            Some(&leader),
            APPROVE,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(
        approved["data"]["approveIdentityReveal"]["request"]["status"], "APPROVED",
        "{approved}"
    );
    assert_eq!(
        approved["data"]["approveIdentityReveal"]["request"]["approvedBy"]["id"],
        fx.leader.id
    );
    let twice = app
        .gql(
            Some(&admin),
            APPROVE,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(error_code(&twice), "CONFLICT");
    let other = app
        .gql(
            Some(&admin),
            REVEAL,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(error_code(&other), "FORBIDDEN", "{other}");
    let custodian = app
        .gql(
            Some(&leader),
            REVEAL,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(error_code(&custodian), "FORBIDDEN");
    let revealed = app
        .gql(
            Some(&staff),
            REVEAL,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(
        revealed["data"]["revealReporterIdentity"]["identity"]["name"], NAME,
        "{revealed}"
    );
    assert_eq!(
        revealed["data"]["revealReporterIdentity"]["identity"]["contact"],
        CONTACT
    );
    let again = app
        .gql(
            Some(&staff),
            REVEAL,
            json!({ "input": { "requestId": req_id } }),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");

    // Each step audited, none with the identity.
    for action in [
        "rewards.identity.request",
        "rewards.identity.approve",
        "rewards.identity.reveal",
    ] {
        let n = app
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}'"
            ))
            .await;
        assert!(n >= 1, "{action}");
    }
    assert_eq!(
        texts(&app, "SELECT detail AS t FROM audit_log")
            .await
            .matches(CONTACT)
            .count()
            + texts(&app, "SELECT detail AS t FROM audit_log")
                .await
                .matches(NAME)
                .count(),
        0
    );

    // An anonymous report has nothing to reveal.
    submit(&app, None, &fx.project.id, false).await;
    let anon = newest_report(&app, &staff).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let nothing = app
        .gql(
            Some(&staff),
            REQUEST,
            json!({ "input": { "reportId": anon, "reason": "核实" } }),
        )
        .await;
    assert_eq!(error_code(&nothing), "CONFLICT", "{nothing}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_acceptance_deadline_is_published_once() {
    use jianan_rewards::entity::report;
    use sea_orm::{EntityTrait, sea_query::Expr};
    captured_logs();
    let (app, fx) = Fixture::spawn().await;
    submit(&app, None, &fx.project.id, false).await;
    let k = app.server().kernel.clone();
    assert_eq!(
        jianan_rewards::service::report::mark_overdue(&k)
            .await
            .unwrap(),
        0
    );
    let past = chrono::Utc::now() - chrono::Duration::days(1);
    report::Entity::update_many()
        .col_expr(report::Column::AcceptDueAt, Expr::value(past))
        .exec(&app.db().await)
        .await
        .unwrap();
    assert_eq!(
        jianan_rewards::service::report::mark_overdue(&k)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        jianan_rewards::service::report::mark_overdue(&k)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'rewards.report_overdue'")
            .await,
        1
    );
    let r = app
        .data(
            fx.staff.auth(),
            "{ rewardReports(first: 1) { nodes { overdue } } }",
            json!({}),
        )
        .await;
    assert_eq!(r["rewardReports"]["nodes"][0]["overdue"], true);
}

/// A report through to verification by the fixture's inspector; returns its global id.
async fn verified_with(
    app: &TestApp,
    fx: &Fixture,
    project: Option<&str>,
    verify: Value,
) -> (String, Value) {
    let staff = fx.staff.token.clone();
    let mut input = report_input(&fx.project.id, "WEB", false);
    if project.is_none() {
        input["input"]["projectId"] = Value::Null;
    }
    app.data(None, SUBMIT, input).await;
    let id = newest_report(app, &staff).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (verb, input) in [
        ("acceptReport", json!({ "reportId": id })),
        (
            "assignReportVerifier",
            json!({ "reportId": id, "verifierId": fx.inspector.id }),
        ),
    ] {
        let body = act(app, Some(&staff), verb, input).await;
        assert!(body["errors"].is_null(), "{verb}: {body}");
    }
    let mut v = verify;
    v["reportId"] = json!(id);
    let body = act(app, Some(&fx.inspector.token), "verifyReport", v).await;
    (id, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verified_report_opens_its_hazards_once_and_links_what_it_led_to() {
    let (app, fx) = Fixture::spawn().await;
    let hazards = json!([
        { "category": "SCAFFOLDING", "description": "3号楼外架连墙件整层缺失", "location": "3号楼北侧12层" },
        { "category": "WORK_AT_HEIGHT", "description": "作业人员未系安全带", "location": "3号楼12层临边" },
    ]);

    // Refused before anything is written: a category outside JGJ 59, hazards on a false report,
    // hazards without a project, a stale version.
    let (id, bad) = verified_with(
        &app,
        &fx,
        None,
        json!({ "verdict": "TRUE", "findings": "属实", "hazards": hazards }),
    )
    .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT", "{bad}");
    assert_eq!(
        bad["errors"][0]["extensions"]["field"], "projectId",
        "{bad}"
    );
    let before = snapshot(&app).await;
    for (input, field) in [
        (
            json!({ "reportId": id, "verdict": "TRUE", "findings": "属实", "projectId": fx.project.id,
                    "hazards": [{ "category": "CONFINED_SPACE", "description": "x", "location": "y" }] }),
            "hazards.0.category",
        ),
        (
            json!({ "reportId": id, "verdict": "FALSE", "findings": "不属实", "hazards": hazards }),
            "hazards",
        ),
        (
            json!({ "reportId": id, "verdict": "TRUE", "findings": "属实", "projectId": fx.project.id,
                    "hazards": [{ "category": "SCAFFOLDING", "description": " ", "location": "y" }] }),
            "hazards.0.description",
        ),
    ] {
        let body = act(&app, Some(&fx.inspector.token), "verifyReport", input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let stale = act(
        &app,
        Some(&fx.inspector.token),
        "verifyReport",
        json!({ "reportId": id, "verdict": "TRUE", "findings": "属实", "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    assert_eq!(snapshot(&app).await, before);

    // The verifier names the project and the two hazards found.
    let ok = act(
        &app,
        Some(&fx.inspector.token),
        "verifyReport",
        json!({ "reportId": id, "verdict": "PARTLY_TRUE", "findings": "部分属实", "projectId": fx.project.id,
                "hazards": hazards, "expectedVersion": 3 }),
    )
    .await;
    assert!(ok["errors"].is_null(), "{ok}");
    assert_eq!(
        ok["data"]["verifyReport"]["report"]["project"]["id"],
        fx.project.id
    );
    app.settle().await;
    let origin_count = || app.count("hazard_origin");
    assert_eq!(origin_count().await, 2);
    const LINKS: &str = "query($id: ID!) { node(id: $id) { ... on RewardReport { hazardIds enforcementActionIds } } }";
    let links = app
        .data(Some(&fx.staff.token), LINKS, json!({ "id": id }))
        .await;
    let hazard_ids = links["node"]["hazardIds"].as_array().unwrap().clone();
    assert_eq!(hazard_ids.len(), 2, "{links}");
    // They are real hazards on the project, general, as the verifier described them.
    const HAZARDS: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Hazard { level category description status project { id } } } }";
    let seen = app
        .data(
            Some(&fx.inspector.token),
            HAZARDS,
            json!({ "ids": hazard_ids }),
        )
        .await;
    let descriptions: Vec<&str> = seen["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            assert_eq!(h["level"], "GENERAL");
            assert_eq!(h["status"], "REPORTED");
            assert_eq!(h["project"]["id"], fx.project.id);
            h["description"].as_str().unwrap()
        })
        .collect();
    assert!(descriptions.contains(&"3号楼外架连墙件整层缺失"), "{seen}");

    // The event delivered again (its delivery records lost, as after a crash): still two.
    app.exec("DELETE FROM event_delivery").await;
    app.exec("UPDATE outbox_event SET dispatched_at = NULL")
        .await;
    app.settle().await;
    assert_eq!(origin_count().await, 2);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'inspections.hazards_opened'"
        )
        .await,
        1
    );
    let again = app
        .data(Some(&fx.staff.token), LINKS, json!({ "id": id }))
        .await;
    assert_eq!(again["node"]["hazardIds"].as_array().unwrap().len(), 2);

    // An enforcement action over one of those hazards is linked to the report, once.
    const ISSUE: &str = "mutation($input: IssueEnforcementActionInput!) { issueEnforcementAction(input: $input) { enforcementAction { id } } }";
    let action = app
        .data(
            Some(&fx.inspector.token),
            ISSUE,
            json!({ "input": { "kind": "WARNING_INTERVIEW", "legalBasis": "《建设工程安全生产管理条例》第六十五条",
                    "description": "责令限期整改", "targetEnterpriseId": fx.contractor.id,
                    "projectId": fx.project.id, "hazardIds": [hazard_ids[0]] } }),
        )
        .await["issueEnforcementAction"]["enforcementAction"]["id"]
        .clone();
    app.settle().await;
    let linked = app
        .data(Some(&fx.staff.token), LINKS, json!({ "id": id }))
        .await;
    assert_eq!(
        linked["node"]["enforcementActionIds"],
        json!([action]),
        "{linked}"
    );
    // Nothing about the report reaches the enterprise's view of the hazard.
    let theirs = app
        .gql(Some(&fx.manager.token), LINKS, json!({ "id": id }))
        .await;
    assert!(theirs["data"]["node"].is_null(), "{theirs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_count_reports_but_never_single_one_out() {
    let (app, fx) = Fixture::spawn().await;
    let staff = fx.staff.token.clone();
    // Five reports this year: four general hazards, one major hazard.
    for i in 0..5 {
        let mut input = report_input(&fx.project.id, "WEB", false);
        if i == 4 {
            input["input"]["category"] = json!("MAJOR_HAZARD");
        }
        app.data(None, SUBMIT, input).await;
    }
    let ids: Vec<String> = app
        .data(
            Some(&staff),
            "{ rewardReports(first: 10) { nodes { id } } }",
            json!({}),
        )
        .await["rewardReports"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 5);
    for (i, id) in ids.iter().enumerate() {
        let body = if i < 3 {
            act(
                &app,
                Some(&staff),
                "acceptReport",
                json!({ "reportId": id }),
            )
            .await
        } else {
            act(
                &app,
                Some(&staff),
                "rejectReport",
                json!({ "reportId": id, "reason": "不属于本委职责" }),
            )
            .await
        };
        assert!(body["errors"].is_null(), "{body}");
    }
    const STATS: &str = "{ rewardStatistics { year minimumCount total
        byCategory { category count } byTownship { townshipId count } byMonth { month count }
        byOutcome { outcome count } timeToAcceptance { count meanDays } timeToVerification { count meanDays }
        rewardsPaid rewardsPaidFen } }";
    let s = app.data(Some(&fx.inspector.token), STATS, json!({})).await["rewardStatistics"].clone();
    assert_eq!(s["minimumCount"], 3);
    assert_eq!(s["total"], 5);
    // One major-hazard report alone would be singled out: hidden, and the general count with it
    // (otherwise 5 − 4 gives it away).
    let cat = |c: &str| {
        s["byCategory"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["category"] == c)
            .map(|x| x["count"].clone())
    };
    assert_eq!(cat("MAJOR_HAZARD"), Some(Value::Null), "{s}");
    assert_eq!(cat("GENERAL_HAZARD"), Some(Value::Null), "{s}");
    // Two rejected, three still in progress: the two are hidden, and so the three.
    for o in s["byOutcome"].as_array().unwrap() {
        assert!(o["count"].is_null(), "{s}");
    }
    assert_eq!(
        s["byTownship"],
        json!([{ "townshipId": fx.township.id, "count": 5 }])
    );
    assert_eq!(s["byMonth"].as_array().unwrap().len(), 1);
    assert_eq!(s["byMonth"][0]["count"], 5);
    assert_eq!(s["timeToAcceptance"]["count"], 5);
    assert!(
        s["timeToAcceptance"]["meanDays"].as_f64().unwrap() < 1.0,
        "{s}"
    );
    // No verdict yet: nothing to average, nothing shown.
    assert_eq!(
        s["timeToVerification"],
        json!({ "count": 0, "meanDays": null })
    );
    assert_eq!(
        (&s["rewardsPaid"], &s["rewardsPaidFen"]),
        (&json!(0), &json!("0"))
    );

    // Not for enterprise people; a year out of range is the caller's mistake.
    let theirs = app.gql(Some(&fx.manager.token), STATS, json!({})).await;
    assert_eq!(error_code(&theirs), "FORBIDDEN", "{theirs}");
    let far = app
        .gql(
            Some(&staff),
            "{ rewardStatistics(year: 3000) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&far), "BAD_USER_INPUT", "{far}");
}

/// A JPEG as a phone writes it: JFIF, then Exif naming the phone and the GPS position, then the
/// image.
fn phone_photo() -> Vec<u8> {
    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        v.extend_from_slice(body);
        v
    }
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(
        0xE1,
        b"Exif\0\0MM\0*HUAWEI Mate 60 Pro SN:8JX4C2 GPS 29.3257N 107.7603E",
    ));
    j.extend(segment(0xDB, &[0u8; 65]));
    j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0x56, 0xFF, 0xD9]);
    j
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_adds_photos_that_say_nothing_about_the_phone_or_the_place() {
    let (app, fx) = Fixture::spawn().await;
    const SUBMIT_FOR_PHOTOS: &str = "mutation($input: SubmitReportInput!) { submitReport(input: $input) { reportId uploadToken uploadTokenExpiresAt receiptCode passphrase } }";
    let a = app
        .data(
            None,
            SUBMIT_FOR_PHOTOS,
            report_input(&fx.project.id, "WEB", false),
        )
        .await["submitReport"]
        .clone();
    let b = app
        .data(
            None,
            SUBMIT_FOR_PHOTOS,
            report_input(&fx.project.id, "MOBILE", false),
        )
        .await["submitReport"]
        .clone();
    let (id, token) = (
        a["reportId"].as_str().unwrap(),
        a["uploadToken"].as_str().unwrap(),
    );
    let photo = phone_photo();

    // Refused, nothing stored: no token; another report's token; a format that cannot be
    // cleaned; a damaged photo.
    let before = app.count("attachment").await;
    let (status, body) = app
        .upload_named("", id, photo.clone(), "现场.jpg", "image/jpeg")
        .await;
    assert_eq!(status, 401, "{body}");
    let (_, body) = app
        .upload_named(
            b["uploadToken"].as_str().unwrap(),
            id,
            photo.clone(),
            "现场.jpg",
            "image/jpeg",
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let (_, body) = app
        .upload_named(token, id, pdf, "材料.pdf", "application/pdf")
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let (_, body) = app
        .upload_named(token, id, photo[..40].to_vec(), "现场.jpg", "image/jpeg")
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(app.count("attachment").await, before);

    // The reporter's photo, stored without the phone's name, serial number or position.
    let (status, body) = app
        .upload_named(token, id, photo.clone(), "现场.jpg", "image/jpeg")
        .await;
    assert_eq!(status, 200, "{body}");
    let stored = &body["data"]["uploadAttachment"]["attachment"];
    assert_eq!(stored["mediaType"], "image/jpeg");
    assert!((stored["sizeBytes"].as_f64().unwrap() as usize) < photo.len());
    // The handler sees it on the report, and what they download is the cleaned file.
    let q =
        "query($id: ID!) { node(id: $id) { ... on RewardReport { photos { url sizeBytes } } } }";
    let seen = app
        .data(Some(&fx.staff.token), q, json!({ "id": id }))
        .await;
    let url = seen["node"]["photos"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = app
        .client
        .get(format!("{}{}", app.base, url))
        .bearer_auth(&fx.staff.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(got.starts_with(&[0xFF, 0xD8]) && got.ends_with(&[0xFF, 0xD9]));
    let text = String::from_utf8_lossy(&got);
    for secret in ["HUAWEI", "8JX4C2", "GPS", "107.7603"] {
        assert!(!text.contains(secret), "{secret} left in the stored photo");
    }
    // Enterprise people do not see it.
    let theirs = app
        .client
        .get(format!("{}{}", app.base, url))
        .bearer_auth(&fx.manager.token)
        .send()
        .await
        .unwrap();
    assert_ne!(theirs.status(), 200);
    // The reporter gets a fresh token with the receipt code and passphrase (a wrong passphrase
    // is refused as everywhere else).
    const RENEW: &str = "mutation($input: RenewReportUploadTokenInput!) { renewReportUploadToken(input: $input) { reportId uploadToken } }";
    let code = a["receiptCode"].as_str().unwrap();
    let pass = a["passphrase"].as_str().unwrap();
    let wrong = app
        .gql(
            None,
            RENEW,
            json!({ "input": { "receiptCode": code, "passphrase": "WRONG-PASS" } }),
        )
        .await;
    assert_eq!(error_code(&wrong), "NOT_FOUND", "{wrong}");
    let renewed = app
        .data(
            None,
            RENEW,
            json!({ "input": { "receiptCode": code, "passphrase": pass } }),
        )
        .await["renewReportUploadToken"]
        .clone();
    assert_eq!(renewed["reportId"], id);
    let (status, body) = app
        .upload_named(
            renewed["uploadToken"].as_str().unwrap(),
            id,
            phone_photo(),
            "补充.jpg",
            "image/jpeg",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Once the report is rejected the token adds nothing more.
    let rejected = act(
        &app,
        Some(&fx.staff.token),
        "rejectReport",
        json!({ "reportId": id, "reason": "重复举报" }),
    )
    .await;
    assert!(rejected["errors"].is_null(), "{rejected}");
    let (_, late) = app
        .upload_named(token, id, photo, "现场2.jpg", "image/jpeg")
        .await;
    assert_eq!(error_code(&late), "FORBIDDEN", "{late}");
    let closed = app
        .gql(
            None,
            RENEW,
            json!({ "input": { "receiptCode": code, "passphrase": pass } }),
        )
        .await;
    assert_eq!(error_code(&closed), "CONFLICT", "{closed}");
}

fn keyed(old: Option<&str>, new: &str) -> jianan_kernel::settings::SettingsFile {
    let mut text = format!("[modules.rewards]\nidentity_key = \"{new}\"\n");
    if let Some(old) = old {
        text.push_str(&format!("retired_identity_keys = [\"{old}\"]\n"));
    }
    jianan_kernel::settings::SettingsFile::new("rotation.toml", &text)
}

/// The identity of the only named report, as the kernel `k` opens it.
async fn open_identity(k: &jianan_kernel::Kernel) -> Result<String, String> {
    use sea_orm::EntityTrait;
    let r = jianan_rewards::entity::report::Entity::find()
        .all(&k.db.conn)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.named)
        .unwrap();
    let m = jianan_rewards::RewardsModule::of(k).unwrap();
    let key = m
        .key_for(k, r.identity_key_id.as_deref().unwrap())
        .map_err(|e| e.message)?;
    let plain = key
        .open(r.id, r.identity_ciphertext.as_deref().unwrap())
        .map_err(|e| e.message)?;
    Ok(String::from_utf8(plain).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identity_key_rotates_without_losing_an_identity() {
    let (a, b) = ("a1".repeat(32), "b2".repeat(32));
    let (app, fx) = Fixture::spawn_with(Options {
        settings: Some(format!("[modules.rewards]\nidentity_key = \"{a}\"\n")),
        ..Options::default()
    })
    .await;
    submit(&app, None, &fx.project.id, true).await;
    let instance = |file| {
        let mut c = app.config();
        c.settings_file = Some(file);
        c
    };
    let kernel = |c: jianan_api::config::Config| async move {
        let db = jianan_api::app::connect(&c).await.unwrap();
        jianan_api::app::kernel(&c, db).await.unwrap()
    };
    // The new key alone cannot open what the old one sealed.
    let b_only = kernel(instance(keyed(None, &b))).await;
    assert!(open_identity(&b_only).await.is_err());
    // With the old key retired, it can; the job seals it again with the new key, once.
    let rotating = kernel(instance(keyed(Some(&a), &b))).await;
    assert!(open_identity(&rotating).await.unwrap().contains(NAME));
    let before = app.count("audit_log").await;
    assert_eq!(
        jianan_rewards::service::identity::reseal(&rotating)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        jianan_rewards::service::identity::reseal(&rotating)
            .await
            .unwrap(),
        0
    );
    assert_eq!(app.count("audit_log").await, before + 1);
    // Now the new key alone opens it, and the old key is no longer needed.
    assert!(open_identity(&b_only).await.unwrap().contains(NAME));
    // The audit record names keys and a count, never the identity.
    let audit = texts(
        &app,
        "SELECT detail AS t FROM audit_log WHERE action = 'rewards.identity.reseal'",
    )
    .await;
    assert!(
        audit.contains(r#"\"reports\":1"#) && !audit.contains(NAME),
        "{audit}"
    );
}

#[test]
fn production_refuses_to_start_without_the_identity_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = jianan_api::config::Config::from_layers(
        jianan_api::config::FileConfig {
            mode: Some(jianan_api::config::Mode::Production),
            ..Default::default()
        },
        &jianan_api::config::Overrides {
            listen: Some("127.0.0.1:0".into()),
            data_dir: Some(dir.path().to_owned()),
            database_url: Some("sqlite::memory:".into()),
        },
    )
    .unwrap();
    let err = jianan_api::app::configured_modules(&c).err().unwrap().0;
    assert!(err.contains("JIANAN_REWARDS_IDENTITY_KEY"), "{err}");
    c.settings_file = Some(keyed(None, &"c3".repeat(32)));
    assert!(jianan_api::app::configured_modules(&c).is_ok());
}

//! Enforcement actions as the rules have them (#7 item 7): linked records belong to the target,
//! a stop-work order holds the project's status until a resume order, documents attach to an
//! action, and public exposures are readable without login.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const ISSUE: &str = "mutation($input: IssueEnforcementActionInput!) {
  issueEnforcementAction(input: $input) { enforcementAction { id kind project { status } } } }";
const STATUS: &str = "query($id: ID!) { node(id: $id) { ... on Project { status version } } }";
const UPDATE: &str =
    "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { status } } }";
const REPORT: &str =
    "mutation($input: ReportHazardInput!) { reportHazard(input: $input) { hazard { id } } }";

fn action(kind: &str, target: &str, project: Option<&str>) -> Value {
    json!({ "input": {
        "kind": kind,
        "legalBasis": "《建设工程安全生产管理条例》第四十三条第（四）项",
        "description": "深基坑支护未按方案施工，责令停工整改",
        "targetEnterpriseId": target,
        "projectId": project,
    } })
}

/// Rows an action can write: actions, audit records, events, project versions.
async fn footprint(app: &TestApp) -> (i64, i64, i64, i64) {
    // Handlers of earlier events write too (audit records, links); let them finish first.
    app.settle().await;
    (
        app.count("enforcement_action").await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM project")
            .await,
    )
}

async fn status(app: &TestApp, token: &str, project: &str) -> String {
    let d = app
        .data(Some(token), STATUS, json!({ "id": project }))
        .await;
    d["node"]["status"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_work_order_holds_the_project_until_a_resume_order() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let (contractor, project) = (fx.contractor.id.as_str(), fx.project.id.as_str());

    // Refused, writing nothing: no project; a resume order for a project that is not stopped.
    let before = footprint(&app).await;
    let body = app
        .gql(
            Some(&inspector),
            ISSUE,
            action("STOP_WORK_ORDER", contractor, None),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "projectId");
    let body = app
        .gql(
            Some(&inspector),
            ISSUE,
            action("RESUME_WORK_ORDER", contractor, Some(project)),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(footprint(&app).await, before);

    // The order suspends the project.
    let d = app
        .data(
            Some(&inspector),
            ISSUE,
            action("STOP_WORK_ORDER", contractor, Some(project)),
        )
        .await;
    assert_eq!(
        d["issueEnforcementAction"]["enforcementAction"]["project"]["status"],
        "SUSPENDED"
    );
    // Nobody moves the status meanwhile: not the contractor's manager, not the commission's
    // staff through updateProject; a second stop-work order is refused too.
    for token in [&fx.manager.token, &fx.admin.token] {
        let body = app
            .gql(
                Some(token),
                UPDATE,
                json!({ "input": { "id": project, "status": "ACTIVE" } }),
            )
            .await;
        assert_eq!(error_code(&body), "CONFLICT", "{body}");
    }
    let before = footprint(&app).await;
    let body = app
        .gql(
            Some(&inspector),
            ISSUE,
            action("STOP_WORK_ORDER", contractor, Some(project)),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(footprint(&app).await, before);
    assert_eq!(status(&app, &inspector, project).await, "SUSPENDED");

    // Only the enforcement officers issue orders.
    assert_eq!(
        error_code(
            &app.gql(
                Some(&fx.manager.token),
                ISSUE,
                action("RESUME_WORK_ORDER", contractor, Some(project))
            )
            .await
        ),
        "FORBIDDEN"
    );
    // The resume order lifts it; then the status is the project's own business again.
    let d = app
        .data(
            Some(&inspector),
            ISSUE,
            action("RESUME_WORK_ORDER", contractor, Some(project)),
        )
        .await;
    assert_eq!(
        d["issueEnforcementAction"]["enforcementAction"]["project"]["status"],
        "ACTIVE"
    );
    app.data(
        Some(&fx.manager.token),
        UPDATE,
        json!({ "input": { "id": project, "status": "SUSPENDED" } }),
    )
    .await;
    assert_eq!(status(&app, &inspector, project).await, "SUSPENDED");
    // Each order changed the project once, audited and published.
    let changes = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.project.status'")
        .await;
    assert_eq!(changes, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linked_records_must_belong_to_the_target() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    // A hazard on the other contractor's project.
    let d = app
        .data(
            Some(&inspector),
            REPORT,
            json!({ "input": {
                "projectId": fx.other_project.id, "level": "GENERAL", "category": "SCAFFOLDING",
                "description": "外架连墙件缺失", "location": "1号楼",
            } }),
        )
        .await;
    let foreign_hazard = d["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = footprint(&app).await;
    let mut input = action("WARNING_INTERVIEW", &fx.contractor.id, None);
    input["input"]["hazardIds"] = json!([foreign_hazard]);
    let body = app.gql(Some(&inspector), ISSUE, input).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "hazardIds");
    // A target that does not take part in the named project.
    let body = app
        .gql(
            Some(&inspector),
            ISSUE,
            action(
                "WARNING_INTERVIEW",
                &fx.other_contractor.id,
                Some(&fx.project.id),
            ),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "targetEnterpriseId"
    );
    assert_eq!(footprint(&app).await, before);
    // The same hazard against its own enterprise is fine.
    let mut input = action("WARNING_INTERVIEW", &fx.other_contractor.id, None);
    input["input"]["hazardIds"] = json!([foreign_hazard]);
    app.data(Some(&inspector), ISSUE, input).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exposures_are_public_and_documents_attach_to_actions() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let mut exposure = action("PUBLIC_EXPOSURE", &fx.contractor.id, Some(&fx.project.id));
    exposure["input"]["description"] = json!("施工现场多次存在重大事故隐患拒不整改，予以曝光");
    let d = app.data(Some(&inspector), ISSUE, exposure).await;
    let id = d["issueEnforcementAction"]["enforcementAction"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.data(
        Some(&inspector),
        ISSUE,
        action("WARNING_INTERVIEW", &fx.contractor.id, Some(&fx.project.id)),
    )
    .await;
    // Anyone, without login: the exposure, and only exposures.
    let d = app
        .data(
            None,
            "{ publicExposures { totalCount edges { node { enterpriseName enterpriseUscc description issuedAt } } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["publicExposures"]["totalCount"], 1);
    let node = &d["publicExposures"]["edges"][0]["node"];
    assert_eq!(node["enterpriseName"], fx.contractor.name.as_str());
    assert_eq!(node["enterpriseUscc"], fx.contractor.uscc.as_str());

    // The decision document attaches to the action; an enterprise account may not attach.
    let (status, body) = app
        .upload(&fx.manager.token, &id, jianan_tests::png(0))
        .await;
    assert!(
        status != 200 || body["errors"].is_array(),
        "an enterprise attached to an action: {body}"
    );
    let (status, body) = app.upload(&inspector, &id, jianan_tests::png(0)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let d = app
        .data(
            Some(&inspector),
            "query($id: ID!) { node(id: $id) { ... on EnforcementAction { attachments { mediaType } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(d["node"]["attachments"][0]["mediaType"], "image/png");
}

const STEP: &str = "mutation($input: RecordPenaltyStepInput!) { recordPenaltyStep(input: $input) {
  step { step decisionNumber amountFen } enforcementAction { penaltyProcedure { step } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_penalty_records_its_procedure_in_the_legal_order() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let mut penalty = action("PENALTY", &fx.contractor.id, Some(&fx.project.id));
    penalty["input"]["penaltyFen"] = json!("3000000000");
    let d = app.data(Some(&inspector), ISSUE, penalty).await;
    let id = d["issueEnforcementAction"]["enforcementAction"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let warning = app
        .data(
            Some(&inspector),
            ISSUE,
            action("WARNING_INTERVIEW", &fx.contractor.id, Some(&fx.project.id)),
        )
        .await["issueEnforcementAction"]["enforcementAction"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let step = |action: &str, step: &str, at: &str, extra: Value| {
        let mut input = json!({ "actionId": action, "step": step, "occurredAt": at });
        if let Value::Object(m) = extra {
            input.as_object_mut().unwrap().extend(m);
        }
        json!({ "input": input })
    };
    let steps = || app.count("penalty_step");

    // Refused, writing nothing: a decision before notice; a step on a non-penalty; a step by the
    // enterprise; the decision without its number; a payment of another amount.
    let refusals = [
        (
            step(
                &id,
                "DECIDED",
                "2026-11-02T09:00:00+08:00",
                json!({"decisionNumber": "渝建罚〔2026〕1号"}),
            ),
            &inspector,
            "CONFLICT",
        ),
        (
            step(
                &warning,
                "NOTICE_SERVED",
                "2026-11-02T09:00:00+08:00",
                json!({}),
            ),
            &inspector,
            "BAD_USER_INPUT",
        ),
        (
            step(&id, "NOTICE_SERVED", "2026-11-02T09:00:00+08:00", json!({})),
            &fx.manager.token,
            "FORBIDDEN",
        ),
    ];
    for (input, token, code) in refusals {
        let body = app.gql(Some(token), STEP, input).await;
        assert_eq!(error_code(&body), code, "{body}");
    }
    assert_eq!(steps().await, 0);

    for (s, at, extra) in [
        ("NOTICE_SERVED", "2026-11-02T09:00:00+08:00", json!({})),
        (
            "STATEMENT_HEARD",
            "2026-11-05T10:00:00+08:00",
            json!({ "note": "当事人提交书面陈述" }),
        ),
    ] {
        app.data(Some(&inspector), STEP, step(&id, s, at, extra))
            .await;
    }
    let body = app
        .gql(
            Some(&inspector),
            STEP,
            step(&id, "DECIDED", "2026-11-10T10:00:00+08:00", json!({})),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "decisionNumber");
    let d = app
        .data(
            Some(&inspector),
            STEP,
            step(
                &id,
                "DECIDED",
                "2026-11-10T10:00:00+08:00",
                json!({ "decisionNumber": "渝建罚〔2026〕1号" }),
            ),
        )
        .await;
    assert_eq!(
        d["recordPenaltyStep"]["step"]["decisionNumber"],
        "渝建罚〔2026〕1号"
    );
    let body = app
        .gql(
            Some(&inspector),
            STEP,
            step(
                &id,
                "PAID",
                "2026-11-20T10:00:00+08:00",
                json!({ "amountFen": "2999999999" }),
            ),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "amountFen");
    assert_eq!(steps().await, 3);
    let d = app
        .data(
            Some(&inspector),
            STEP,
            step(
                &id,
                "PAID",
                "2026-11-20T10:00:00+08:00",
                json!({ "amountFen": "3000000000" }),
            ),
        )
        .await;
    let procedure: Vec<&str> = d["recordPenaltyStep"]["enforcementAction"]["penaltyProcedure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        procedure,
        ["NOTICE_SERVED", "STATEMENT_HEARD", "DECIDED", "PAID"]
    );
    // Nothing follows a payment.
    let body = app
        .gql(
            Some(&inspector),
            STEP,
            step(
                &id,
                "PAID",
                "2026-11-21T10:00:00+08:00",
                json!({ "amountFen": "3000000000" }),
            ),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(steps().await, 4);
}

//! Hazard procedures of issue #7 item 4: the classification a hazard carries (a JGJ 59 item for a
//! general hazard, the criteria's article and item for a major one), fixing a general self-check
//! hazard on the spot, deadline extensions, photos on rectification steps. Every refusal is
//! checked to write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, add_photo, error_code};
use serde_json::{Value, json};

const FIELDS: &str = "id status level category generalCategory criterion { code article text }
  fixedOnSpot deadlineAt deadlineWorkingDays pendingExtension { extraWorkingDays reason }
  steps { action comment photos { id } }";

/// Everything a hazard write touches.
async fn snapshot(app: &TestApp) -> [i64; 5] {
    [
        app.count("hazard").await,
        app.count("hazard_step").await,
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM hazard")
            .await,
        app.count("audit_log").await,
        app.count("outbox_event").await,
    ]
}

async fn report(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(
        Some(token),
        &format!(
            "mutation($input: ReportHazardInput!) {{ reportHazard(input: $input) {{ hazard {{ {FIELDS} }} }} }}"
        ),
        json!({ "input": input }),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hazard_is_classified_as_the_rules_have_it() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let p = fx.project.id.clone();
    let base = |level: &str, category: Option<&str>, criterion: Option<&str>| {
        json!({ "projectId": p, "level": level, "category": category, "criterion": criterion,
            "description": "脚手架连墙件整层缺失", "location": "3号楼" })
    };
    let before = snapshot(&app).await;
    for (input, field) in [
        // A general hazard: a JGJ 59 item, not a major-hazard category, and no criterion.
        (base("GENERAL", Some("CONFINED_SPACE"), None), "category"),
        (base("GENERAL", None, None), "category"),
        (
            base("GENERAL", Some("SCAFFOLDING"), Some("SCAFFOLDING-2")),
            "criterion",
        ),
        // A major hazard: the condition it meets, of its category's article.
        (base("MAJOR", Some("SCAFFOLDING"), None), "criterion"),
        (base("MAJOR", None, Some("SCAFFOLDING-9")), "criterion"),
        (
            base(
                "MAJOR",
                Some("SCAFFOLDING"),
                Some("TEMPORARY_ELECTRICITY-1"),
            ),
            "criterion",
        ),
    ] {
        let body = report(&app, &inspector, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    assert_eq!(snapshot(&app).await, before);

    let d = report(&app, &inspector, base("MAJOR", None, Some("SCAFFOLDING-2"))).await;
    let h = &d["data"]["reportHazard"]["hazard"];
    assert_eq!(h["category"], "SCAFFOLDING", "{d}");
    assert_eq!(h["criterion"]["article"], "第七条第（二）项");
    assert_eq!(h["criterion"]["text"], "未设置连墙件或连墙件整层缺失");
    assert_eq!(h["generalCategory"], Value::Null);
    let d = report(&app, &inspector, base("GENERAL", Some("SCAFFOLDING"), None)).await;
    let h = &d["data"]["reportHazard"]["hazard"];
    assert_eq!(h["generalCategory"], "SCAFFOLDING", "{d}");
    assert_eq!(h["category"], Value::Null);

    // The lists a client picks from.
    let d = app
        .data(
            Some(&inspector),
            "{ hazardCriteria(category: SCAFFOLDING) { code article } generalHazardCategories { category name } }",
            json!({}),
        )
        .await;
    let codes: Vec<&str> = d["hazardCriteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SCAFFOLDING-1", "SCAFFOLDING-2", "SCAFFOLDING-3"]);
    assert_eq!(d["generalHazardCategories"].as_array().unwrap().len(), 10);
    assert_eq!(
        d["generalHazardCategories"][7]["name"],
        "物料提升机与施工升降机"
    );
}

const RECORD: &str = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) {
  inspection { hazards { id } } } }";
const FIX: &str = "mutation($input: FixHazardOnSpotInput!) { fixHazardOnSpot(input: $input) {
  hazard { id status fixedOnSpot closedAt responsibleEnterprise { id } steps { action photos { id } } } } }";

/// A self-check recorded now by `token`'s holder, finding one hazard of `level`.
async fn self_check_hazard(app: &TestApp, token: &str, project: &str, level: &str) -> String {
    let hazard = if level == "MAJOR" {
        json!({ "level": "MAJOR", "criterion": "TEMPORARY_ELECTRICITY-2", "description": "外电线路安全距离不足且未防护", "location": "北侧围墙" })
    } else {
        json!({ "level": "GENERAL", "category": "TEMPORARY_ELECTRICITY", "description": "开关箱门未上锁", "location": "钢筋棚" })
    };
    let d = app
        .data(
            Some(token),
            RECORD,
            json!({ "input": { "projectId": project, "kind": "SAFETY_MANAGER_DAILY",
                "inspectedAt": jianan_tests::recently().to_rfc3339(), "findings": "每日巡查",
                "result": "RECTIFY", "hazards": [hazard] } }),
        )
        .await;
    d["recordInspection"]["inspection"]["hazards"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_enterprise_fixes_a_general_self_check_hazard_on_the_spot() {
    let (app, fx) = Fixture::spawn().await;
    let safety = fx.safety.token.clone();
    let id = self_check_hazard(&app, &safety, &fx.project.id, "GENERAL").await;
    let before_photo = add_photo(&app, &safety, &id).await;
    let after_photo = add_photo(&app, &safety, &id).await;
    let fix = |before: Vec<&str>, after: Vec<&str>| json!({ "input": { "id": id, "comment": "已当场加锁", "beforePhotoIds": before, "afterPhotoIds": after } });
    // A hazard the commission found, and a major one of a self-check, are not fixed on the spot.
    let commission = app
        .data(
            Some(&fx.inspector.token),
            "mutation($p: ID!) { reportHazard(input: {projectId: $p, level: GENERAL, category: \"TEMPORARY_ELECTRICITY\",
              description: \"开关箱门未上锁\", location: \"钢筋棚\"}) { hazard { id } } }",
            json!({ "p": fx.project.id }),
        )
        .await["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let major = self_check_hazard(&app, &safety, &fx.project.id, "MAJOR").await;
    let commission_photo = add_photo(&app, &safety, &commission).await;
    let major_photo = add_photo(&app, &safety, &major).await;

    let before = snapshot(&app).await;
    for (token, input, code, field) in [
        // Not the enterprise that recorded the self-check: the supervision firm sees the
        // hazard but did not find it; another contractor does not see it.
        (
            &fx.supervision.token,
            fix(vec![&before_photo], vec![&after_photo]),
            "FORBIDDEN",
            None,
        ),
        (
            &fx.other_manager.token,
            fix(vec![&before_photo], vec![&after_photo]),
            "NOT_FOUND",
            None,
        ),
        // Photos: both kinds needed, different ones, of this hazard.
        (
            &safety,
            fix(vec![&before_photo], vec![]),
            "BAD_USER_INPUT",
            Some("afterPhotoIds"),
        ),
        (
            &safety,
            fix(vec![], vec![&after_photo]),
            "BAD_USER_INPUT",
            Some("beforePhotoIds"),
        ),
        (
            &safety,
            fix(vec![&before_photo], vec![&before_photo]),
            "BAD_USER_INPUT",
            Some("afterPhotoIds"),
        ),
        (
            &safety,
            fix(vec![&major_photo], vec![&after_photo]),
            "BAD_USER_INPUT",
            Some("beforePhotoIds"),
        ),
        (
            &safety,
            json!({ "input": { "id": commission, "comment": "已加锁", "beforePhotoIds": [commission_photo], "afterPhotoIds": [commission_photo] } }),
            "CONFLICT",
            None,
        ),
        (
            &safety,
            json!({ "input": { "id": major, "comment": "已处理", "beforePhotoIds": [major_photo], "afterPhotoIds": [major_photo] } }),
            "CONFLICT",
            None,
        ),
    ] {
        let body = app.gql(Some(token), FIX, input).await;
        assert_eq!(error_code(&body), code, "{body}");
        if let Some(f) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], f, "{body}");
        }
    }
    assert_eq!(snapshot(&app).await, before);

    // The project leader of the same contractor may fix it too: it is the enterprise's.
    let d = app
        .data(
            Some(&fx.project_leader.token),
            FIX,
            fix(vec![&before_photo], vec![&after_photo]),
        )
        .await;
    let h = &d["fixHazardOnSpot"]["hazard"];
    assert_eq!(h["status"], "CLOSED");
    assert_eq!(h["fixedOnSpot"], true);
    assert_eq!(h["responsibleEnterprise"]["id"], fx.contractor.id.as_str());
    let last = h["steps"].as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "FIX_ON_SPOT");
    assert_eq!(last["photos"].as_array().unwrap().len(), 2);
    // The commission sees it, closed on the spot.
    let seen = app
        .data(
            Some(&fx.inspector.token),
            "query($id: ID!) { node(id: $id) { ... on Hazard { status fixedOnSpot } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(seen["node"]["fixedOnSpot"], true);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'inspections.hazard_closed'"
        )
        .await,
        1
    );
}

const REQUEST: &str = "mutation($id: ID!, $d: Int!, $r: String!) { requestHazardDeadlineExtension(input: {id: $id, extraWorkingDays: $d, reason: $r}) {
  hazard { pendingExtension { extraWorkingDays reason } } } }";
const DECIDE: &str = "mutation($id: ID!, $a: Boolean!, $c: String!) { decideHazardDeadlineExtension(input: {id: $id, approve: $a, comment: $c}) {
  hazard { deadlineAt deadlineWorkingDays pendingExtension { extraWorkingDays } steps { action comment } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_enterprise_asks_for_a_later_deadline_and_the_commission_decides() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let manager = fx.manager.token.clone();
    let d = report(
        &app,
        &inspector,
        json!({ "projectId": fx.project.id, "level": "GENERAL", "category": "CIVILIZED_CONSTRUCTION",
            "description": "材料堆放杂乱", "location": "生活区" }),
    )
    .await;
    let id = d["data"]["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = app
        .data(
            Some(&inspector),
            "mutation($id: ID!, $e: ID!) { assignHazard(input: {id: $id, responsibleEnterpriseId: $e, responsiblePerson: \"王工\",
              deadlineWorkingDays: 5}) { hazard { deadlineAt } } }",
            json!({ "id": id, "e": fx.contractor.id }),
        )
        .await;
    let old: chrono::DateTime<chrono::Utc> = d["assignHazard"]["hazard"]["deadlineAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    let before = snapshot(&app).await;
    for (token, days, reason, code, field) in [
        (&fx.supervision.token, 3, "材料未到场", "FORBIDDEN", None),
        (
            &manager,
            0,
            "材料未到场",
            "BAD_USER_INPUT",
            Some("extraWorkingDays"),
        ),
        (
            &manager,
            61,
            "材料未到场",
            "BAD_USER_INPUT",
            Some("extraWorkingDays"),
        ),
        (&manager, 3, " ", "BAD_USER_INPUT", Some("reason")),
    ] {
        let body = app
            .gql(
                Some(token),
                REQUEST,
                json!({ "id": id, "d": days, "r": reason }),
            )
            .await;
        assert_eq!(error_code(&body), code, "{body}");
        if let Some(f) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], f);
        }
    }
    // Nothing pending, nothing to decide.
    let body = app
        .gql(
            Some(&inspector),
            DECIDE,
            json!({ "id": id, "a": true, "c": "" }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(snapshot(&app).await, before);

    let d = app
        .data(
            Some(&manager),
            REQUEST,
            json!({ "id": id, "d": 3, "r": "材料未到场" }),
        )
        .await;
    assert_eq!(
        d["requestHazardDeadlineExtension"]["hazard"]["pendingExtension"]["extraWorkingDays"],
        3
    );
    let before = snapshot(&app).await;
    let body = app
        .gql(
            Some(&manager),
            REQUEST,
            json!({ "id": id, "d": 2, "r": "再延两天" }),
        )
        .await;
    assert_eq!(
        error_code(&body),
        "CONFLICT",
        "one request at a time: {body}"
    );
    // The enterprise does not decide its own request; a refusal needs a reason.
    let body = app
        .gql(
            Some(&manager),
            DECIDE,
            json!({ "id": id, "a": true, "c": "" }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .gql(
            Some(&inspector),
            DECIDE,
            json!({ "id": id, "a": false, "c": "" }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(snapshot(&app).await, before);

    let d = app
        .data(
            Some(&inspector),
            DECIDE,
            json!({ "id": id, "a": true, "c": "同意" }),
        )
        .await;
    let h = &d["decideHazardDeadlineExtension"]["hazard"];
    let expected = app.server().kernel.calendar().deadline_instant(old, 3);
    let new: chrono::DateTime<chrono::Utc> = h["deadlineAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(new, expected, "three working days after the old deadline");
    assert_eq!(h["deadlineWorkingDays"], 8);
    assert_eq!(h["pendingExtension"], Value::Null);
    let last = h["steps"].as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "EXTEND_APPROVE");
    assert!(
        last["comment"]
            .as_str()
            .unwrap()
            .contains("批准延长3个工作日")
    );

    // The submission needs a photo of the rectified site.
    app.data(
        Some(&manager),
        "mutation($id: ID!) { startRectification(input: {id: $id}) { hazard { id } } }",
        json!({ "id": id }),
    )
    .await;
    let before = snapshot(&app).await;
    let submit = "mutation($id: ID!, $p: [ID!]!) { submitRectification(input: {id: $id, comment: \"已清理\", photoIds: $p}) { hazard { status } } }";
    let body = app
        .gql(Some(&manager), submit, json!({ "id": id, "p": [] }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "photoIds");
    assert_eq!(snapshot(&app).await, before);
    let photo = add_photo(&app, &manager, &id).await;
    let d = app
        .data(Some(&manager), submit, json!({ "id": id, "p": [photo] }))
        .await;
    assert_eq!(d["submitRectification"]["hazard"]["status"], "SUBMITTED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_commission_inspector_decides_a_major_hazards_extension() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    let d = report(
        &app,
        &inspector,
        json!({ "projectId": fx.project.id, "level": "MAJOR", "criterion": "SCAFFOLDING-2",
            "description": "连墙件整层缺失", "location": "3号楼" }),
    )
    .await;
    let id = d["data"]["reportHazard"]["hazard"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.data(
        Some(&inspector),
        "mutation($id: ID!, $e: ID!) { assignHazard(input: {id: $id, responsibleEnterpriseId: $e, responsiblePerson: \"王工\",
          deadlineWorkingDays: 5}) { hazard { id } } }",
        json!({ "id": id, "e": fx.contractor.id }),
    )
    .await;
    app.data(
        Some(&fx.manager.token),
        REQUEST,
        json!({ "id": id, "d": 3, "r": "需专家论证" }),
    )
    .await;
    let before = snapshot(&app).await;
    let body = app
        .gql(
            Some(&fx.staff.token),
            DECIDE,
            json!({ "id": id, "a": true, "c": "同意" }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(snapshot(&app).await, before);
    let d = app
        .data(
            Some(&inspector),
            DECIDE,
            json!({ "id": id, "a": true, "c": "同意" }),
        )
        .await;
    assert_eq!(
        d["decideHazardDeadlineExtension"]["hazard"]["deadlineWorkingDays"],
        8
    );
}

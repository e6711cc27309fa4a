//! Ledger exports (issue #11 item 3, the kernel's export mechanism): a mutation returns a
//! short-lived signed link; a browser opens it without a header and gets an XLSX in the printed
//! layout, made within the asker's scope; the link is no access token, expires, and its download
//! is audited.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::{Reader, Xlsx};
use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const REPORT: &str =
    "mutation($p: ID!, $d: String!) { reportHazard(input: {projectId: $p, level: GENERAL,
  category: \"SCAFFOLDING\", description: $d, location: \"3号楼北侧\"}) { hazard { id } } }";
const EXPORT: &str = "mutation($input: ExportHazardLedgerInput) { exportHazardLedger(input: $input) { url expiresAt } }";

async fn export(app: &TestApp, token: &str, input: Value) -> String {
    app.data(Some(token), EXPORT, json!({ "input": input }))
        .await["exportHazardLedger"]["url"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Opens `url` as a browser would (no Authorization header): status, headers, body.
async fn open(app: &TestApp, url: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = app
        .client
        .get(format!("{}{}", app.base, url))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.unwrap().to_vec())
}

fn sheet(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("隐患台账").unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ledger_link_opens_in_a_browser_as_the_printed_xlsx_within_the_askers_scope() {
    let (app, fx) = Fixture::spawn().await;
    let inspector = fx.inspector.token.clone();
    for (p, d) in [
        (&fx.project.id, "连墙件缺失"),
        (&fx.project.id, "临边防护缺失"),
        (&fx.other_project.id, "配电箱无门"),
    ] {
        app.data(Some(&inspector), REPORT, json!({ "p": p, "d": d }))
            .await;
    }

    // The commission's inspector: every hazard, oldest first, in the printed layout.
    let url = export(&app, &inspector, json!({})).await;
    assert!(url.starts_with("/exports/"), "{url}");
    let (status, headers, body) = open(&app, &url).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename*=UTF-8''"),
    );
    assert_eq!(headers["cache-control"], "no-store");
    let rows = sheet(body);
    assert_eq!(rows[0][0], "全区建设工程安全隐患台账");
    assert!(rows[1][0].contains("共3条"), "{:?}", rows[1]);
    assert_eq!(
        rows[2],
        vec![
            "序号",
            "项目名称",
            "乡镇（街道）",
            "隐患描述",
            "部位",
            "等级",
            "类别",
            "责任单位",
            "整改期限",
            "状态",
            "上报时间",
            "销号时间"
        ]
    );
    assert_eq!(rows.len(), 3 + 3);
    assert_eq!(rows[3][0], "1");
    assert_eq!(rows[3][3], "连墙件缺失");
    assert_eq!(rows[3][5], "一般");
    assert_eq!(rows[3][6], "脚手架");
    assert_eq!(rows[3][9], "已上报");
    assert_eq!(rows[5][3], "配电箱无门");

    // The township's staff: only their township's hazards, whatever they ask for.
    let theirs = sheet(
        open(
            &app,
            &export(&app, &fx.township_staff.token, json!({})).await,
        )
        .await
        .2,
    );
    assert_eq!(theirs.len(), 3 + 2, "{theirs:?}");
    assert!(
        theirs
            .iter()
            .all(|r| r.get(3).is_none_or(|d| d != "配电箱无门"))
    );
    // A filter by township and status.
    let street = export(
        &app,
        &inspector,
        json!({ "townshipId": fx.street.id, "statuses": ["REPORTED"] }),
    )
    .await;
    let rows = sheet(open(&app, &street).await.2);
    assert_eq!(rows.len(), 3 + 1);
    assert_eq!(rows[3][3], "配电箱无门");

    // The download is audited with its kind and row count.
    let audited = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kernel.export.download'")
        .await;
    assert_eq!(audited, 3);

    // The link's token is not an access token.
    let token = url.trim_start_matches("/exports/");
    let as_access = app.gql(Some(token), "{ me { id } }", json!({})).await;
    assert_eq!(error_code(&as_access), "UNAUTHENTICATED", "{as_access}");
    // Nor is an access token a link; a tampered link is refused.
    let (status, _, _) = open(&app, &format!("/exports/{inspector}")).await;
    assert_eq!(status, 401);
    let mut bad = url.clone();
    bad.pop();
    bad.push('A');
    let (status, _, body) = open(&app, &bad).await;
    assert_eq!(status, 401, "{}", String::from_utf8_lossy(&body));
    // Anonymous callers get no link; enterprise people get only what they may see.
    let anon = app.gql(None, EXPORT, json!({ "input": {} })).await;
    assert_eq!(error_code(&anon), "UNAUTHENTICATED", "{anon}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_link_expires() {
    let (app, fx) = Fixture::spawn().await;
    let k = &app.server().kernel;
    let who = k.tokens.verify(&fx.inspector.token).unwrap();
    let (token, _) = k
        .tokens
        .issue_export(&who, "inspections.hazard_ledger", json!({}), 1)
        .unwrap();
    let (status, _, _) = open(&app, &format!("/exports/{token}")).await;
    assert_eq!(status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (status, _, body) = open(&app, &format!("/exports/{token}")).await;
    assert_eq!(status, 401);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["message"], "下载链接已过期，请重新导出");
}

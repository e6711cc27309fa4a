//! The bureau's bulk import (issue #9 item 4): one uploaded CSV or XLSX file, validated row by
//! row, all or nothing, idempotent by the file's hash, unknown codes reported and never created,
//! and only the bureau's service account may call it. Over HTTP against the real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const IMPORT: &str = "mutation($file: Upload!) { importBureauCreditRecords(input: {file: $file}) {
  accepted repeated errorCount errors { row column message }
  unknownEnterprises { uscc name rows }
  import { id fileSha256 rows imported updated unchanged unknownEnterpriseCount } } }";

const HEADER: &str =
    "统一社会信用代码,企业名称,记录类别,决定文书号,决定日期,事由,处罚内容,截止日期,决定机关";
/// A valid code that no enterprise of the fixture has.
const UNKNOWN: &str = "91500156MA6YYY999D";

async fn upload(app: &TestApp, token: Option<&str>, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    let operations = json!({ "query": IMPORT, "variables": { "file": null } });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.file"] }).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    let mut req = app
        .client
        .post(format!("{}/graphql", app.base))
        .multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

fn csv(fx: &Fixture, extra: &str) -> Vec<u8> {
    format!(
        "{HEADER}\n\
         {c},{n},行政处罚,渝武市监罚〔2026〕11号,2026-03-09,未按规定公示年度报告,罚款5000元,,\n\
         {c},{n},严重违法失信名单,渝武市监失〔2026〕2号,2026/6/1,提交虚假材料取得登记,,2029-06-01,\n\
         {UNKNOWN},重庆未登记建筑有限公司,经营异常名录,渝武市监异〔2026〕5号,2026年5月20日,通过登记的住所无法联系,,,\n\
         {extra}",
        c = fx.contractor.uscc,
        n = fx.contractor.name
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_row_imports_nothing_and_the_answer_names_it() {
    let (app, fx) = Fixture::spawn().await;
    let enterprises = app.count("enterprise").await;
    let bad = csv(
        &fx,
        &format!(
            "{},,行政处罚,渝武市监罚〔2026〕11号,2026-02-30,,,,\n",
            fx.supervisor.uscc
        ),
    );
    let (status, body) = upload(&app, fx.bureau.auth(), "records.csv", bad).await;
    assert_eq!(status, 200, "{body}");
    let p = &body["data"]["importBureauCreditRecords"];
    assert_eq!(p["accepted"], false, "{p}");
    assert!(p["import"].is_null());
    // Row 5 (the header is row 1): a missing name and reason, an impossible date, and a document
    // number already used by row 2 — each named with its column.
    let errors = p["errors"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["row"] == 5), "{errors:?}");
    let columns: Vec<&str> = errors
        .iter()
        .map(|e| e["column"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["企业名称", "决定日期", "事由"]);
    assert_eq!(p["errorCount"], 3);
    assert_eq!(app.count("credit_bureau_record").await, 0);
    assert_eq!(app.count("credit_import").await, 0);
    assert_eq!(app.count("enterprise").await, enterprises);

    // A duplicate document within the file is an error on the later row.
    let dup = csv(
        &fx,
        &format!(
            "{},{},行政处罚,渝武市监罚〔2026〕11号,2026-03-10,另一事由,,,\n",
            fx.contractor.uscc, fx.contractor.name
        ),
    );
    let (_, body) = upload(&app, fx.bureau.auth(), "records.csv", dup).await;
    let e = &body["data"]["importBureauCreditRecords"]["errors"][0];
    assert_eq!(e["row"], 5);
    assert_eq!(e["column"], "决定文书号");
    assert!(e["message"].as_str().unwrap().contains("第2行"));
    assert_eq!(app.count("credit_bureau_record").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_file_imports_once_and_unknown_codes_are_reported_not_created() {
    let (app, fx) = Fixture::spawn().await;
    let enterprises = app.count("enterprise").await;
    let file = csv(&fx, "");
    let (status, body) = upload(&app, fx.bureau.auth(), "records.csv", file.clone()).await;
    assert_eq!(status, 200, "{body}");
    let p = body["data"]["importBureauCreditRecords"].clone();
    assert_eq!(p["accepted"], true, "{p}");
    assert_eq!(p["repeated"], false);
    assert_eq!(p["import"]["rows"], 3);
    assert_eq!(p["import"]["imported"], 3);
    assert_eq!(p["import"]["unknownEnterpriseCount"], 1);
    assert_eq!(
        p["unknownEnterprises"],
        json!([{ "uscc": UNKNOWN, "name": "重庆未登记建筑有限公司", "rows": [4] }])
    );
    assert_eq!(app.count("credit_bureau_record").await, 3);
    // Never silently created: the unknown code's record is kept under its code.
    assert_eq!(app.count("enterprise").await, enterprises);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM credit_bureau_record WHERE uscc = '{UNKNOWN}' AND enterprise_id IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'credit.bureau_import'")
            .await,
        1
    );

    // The serious-dishonesty listing brings joint punishment to the registered enterprise.
    let r = app
        .data(
            fx.bureau.auth(),
            "query($u: String!) { creditRestrictions(uscc: $u) { restrictions { kind until sourceBureauRecords { kind documentNumber inForceUntil } } } }",
            json!({ "u": fx.contractor.uscc }),
        )
        .await;
    let list = r["creditRestrictions"]["restrictions"]
        .as_array()
        .unwrap()
        .clone();
    let bidding = list
        .iter()
        .find(|x| x["kind"] == "BIDDING")
        .expect("bidding restricted");
    assert_eq!(
        bidding["sourceBureauRecords"],
        json!([{ "kind": "严重违法失信名单", "documentNumber": "渝武市监失〔2026〕2号", "inForceUntil": "2029-06-01" }])
    );
    assert!(list.iter().all(|x| x["kind"] != "REDUCED_RANDOM_CHECK"));

    // The same file again: the first import, nothing written.
    let (_, body) = upload(&app, fx.bureau.auth(), "again.csv", file).await;
    let again = &body["data"]["importBureauCreditRecords"];
    assert_eq!(again["accepted"], true);
    assert_eq!(again["repeated"], true);
    assert_eq!(again["import"]["id"], p["import"]["id"]);
    assert_eq!(app.count("credit_bureau_record").await, 3);
    assert_eq!(app.count("credit_import").await, 1);

    // A later export that repeats the records and lifts the abnormal listing: one update.
    let mut later = String::from_utf8(csv(&fx, "")).unwrap();
    later = later.replace(
        "通过登记的住所无法联系,,,",
        "通过登记的住所无法联系,,2026-11-30,",
    );
    let (_, body) = upload(&app, fx.bureau.auth(), "later.csv", later.into_bytes()).await;
    let l = &body["data"]["importBureauCreditRecords"]["import"];
    assert_eq!(
        (
            l["imported"].as_i64(),
            l["updated"].as_i64(),
            l["unchanged"].as_i64()
        ),
        (Some(0), Some(1), Some(2))
    );
    assert_eq!(app.count("credit_bureau_record").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xlsx_files_import_like_csv() {
    let (app, fx) = Fixture::spawn().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    let row = [
        fx.contractor.uscc.as_str(),
        fx.contractor.name.as_str(),
        "行政处罚",
        "渝武市监罚〔2026〕21号",
    ];
    for (c, v) in row.iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 4, 1).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 4, &date, &format)
        .unwrap();
    sheet.write_string(1, 5, "未按规定办理变更登记").unwrap();
    sheet.write_number(1, 6, 3000.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let (_, body) = upload(&app, fx.bureau.auth(), "records.xlsx", bytes).await;
    let p = &body["data"]["importBureauCreditRecords"];
    assert_eq!(p["accepted"], true, "{body}");
    assert_eq!(p["import"]["imported"], 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM credit_bureau_record WHERE content = '3000'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_one_but_the_bureau_may_import() {
    let (app, fx) = Fixture::spawn().await;
    let (status, _) = upload(&app, None, "records.csv", csv(&fx, "")).await;
    assert_eq!(status, 401);
    for who in [&fx.admin, &fx.inspector, &fx.leader, &fx.manager] {
        let (_, body) = upload(&app, who.auth(), "records.csv", csv(&fx, "")).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    // Not a table at all: the client's mistake, named on the file.
    let png = jianan_tests::png(10);
    let (_, body) = upload(&app, fx.bureau.auth(), "photo.png", png).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "file");
    assert_eq!(app.count("credit_bureau_record").await, 0);
    assert_eq!(app.count("credit_import").await, 0);
}

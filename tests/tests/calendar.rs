//! The commission loads a year's holidays and make-up working days; deadlines follow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::{Options, TestApp, error_code};
use serde_json::json;

const DEADLINE: &str =
    "query($from: Date!, $n: Int!) { workingDayDeadline(from: $from, workingDays: $n) }";
const SET: &str = "mutation($input: SetCalendarDaysInput!) { setCalendarDays(input: $input) { days { date kind } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_count_working_days_from_the_loaded_calendar() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    // No demo district: create the first administrator the way an operator would.
    let token = app.bootstrap_admin("root", "root-password-1").await;

    // Built-in 2025 National Day: from Tue 30 Sep, 3 working days → Sat 11 Oct (a make-up day).
    let d = app
        .data(
            Some(&token),
            DEADLINE,
            json!({ "from": "2025-09-30", "n": 3 }),
        )
        .await;
    assert_eq!(d["workingDayDeadline"], "2025-10-11");

    // 2027 has no built-in data: plain Monday–Friday until the commission loads the notice.
    let d = app
        .data(
            Some(&token),
            DEADLINE,
            json!({ "from": "2027-02-05", "n": 1 }),
        )
        .await;
    assert_eq!(d["workingDayDeadline"], "2027-02-08");
    let days = json!({ "input": { "year": 2027, "days": [
        { "date": "2027-02-08", "kind": "HOLIDAY", "note": "春节" },
        { "date": "2027-02-09", "kind": "HOLIDAY", "note": "春节" },
        { "date": "2027-02-06", "kind": "MAKEUP_WORKDAY", "note": "春节调休" },
    ] } });
    let d = app.data(Some(&token), SET, days).await;
    assert_eq!(d["setCalendarDays"]["days"].as_array().unwrap().len(), 3);
    let d = app
        .data(
            Some(&token),
            DEADLINE,
            json!({ "from": "2027-02-05", "n": 1 }),
        )
        .await;
    assert_eq!(
        d["workingDayDeadline"], "2027-02-06",
        "the Saturday make-up day now counts"
    );
    let d = app
        .data(
            Some(&token),
            DEADLINE,
            json!({ "from": "2027-02-05", "n": 2 }),
        )
        .await;
    assert_eq!(
        d["workingDayDeadline"], "2027-02-10",
        "the two holidays are skipped"
    );

    // A make-up working day on a weekday is not a make-up day: refused, nothing changes.
    let bad = json!({ "input": { "year": 2027, "days": [{ "date": "2027-02-10", "kind": "MAKEUP_WORKDAY" }] } });
    let body = app.gql(Some(&token), SET, bad).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let d = app
        .data(
            Some(&token),
            DEADLINE,
            json!({ "from": "2027-02-05", "n": 2 }),
        )
        .await;
    assert_eq!(d["workingDayDeadline"], "2027-02-10");
}

//! Errors and responses over HTTP (issue #8, items 5 and 6): argument coercion and validation
//! errors are BAD_USER_INPUT on the argument with a Chinese message, suggestions are off with
//! introspection, the PostgreSQL statement timeout is set on every connection, and responses keep
//! the selection set's key order.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_api::config::{Config, FileConfig, Mode, Overrides, Secret};
use jianan_tests::{Options, TestApp, error_code};
use serde_json::{Value, json};

fn field(body: &Value) -> &str {
    body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or("")
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or("")
}

/// True when the message is written in Chinese (at least one CJK character before any bracket).
fn chinese(message: &str) -> bool {
    message
        .split('（')
        .next()
        .unwrap_or("")
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_are_bad_user_input_on_the_argument_in_chinese() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    // (query, variables, the argument or input field at fault)
    let cases: Vec<(&str, Value, &str)> = vec![
        // An Int literal beyond 32 bits, and a year outside the calendar.
        (
            "{ calendarDays(year: 3475937160) { date } }",
            json!({}),
            "year",
        ),
        (
            "{ calendarDays(year: 2147483647) { date } }",
            json!({}),
            "year",
        ),
        // The same through a variable.
        (
            "query($y: Int!) { calendarDays(year: $y) { date } }",
            json!({ "y": 3475937160_i64 }),
            "year",
        ),
        // A validator's bound.
        (
            "{ workingDayDeadline(from: \"2026-01-05\", workingDays: -1660) }",
            json!({}),
            "workingDays",
        ),
        // Wrong type, a Date out of range, a malformed Date.
        (
            "{ workingDayDeadline(from: \"2026-01-05\", workingDays: \"ten\") }",
            json!({}),
            "workingDays",
        ),
        (
            "{ workingDayDeadline(from: \"2026-13-45\", workingDays: 1) }",
            json!({}),
            "from",
        ),
        (
            "query($d: Date!) { workingDayDeadline(from: $d, workingDays: 1) }",
            json!({ "d": "99999999-01-01" }),
            "from",
        ),
        // A missing required argument.
        (
            "{ workingDayDeadline(from: \"2026-01-05\") }",
            json!({}),
            "workingDays",
        ),
        // Page sizes: out of 32 bits, negative, over the maximum.
        (
            "{ projects(first: 3475937160) { totalCount } }",
            json!({}),
            "first",
        ),
        ("{ projects(first: -1) { totalCount } }", json!({}), "first"),
        ("{ projects(last: 101) { totalCount } }", json!({}), "last"),
        // An unknown enum value.
        (
            "{ hazards(filter: { levels: [SEVERE] }) { totalCount } }",
            json!({}),
            "levels",
        ),
        // An invalid ID.
        ("{ node(id: \"not-an-id\") { id } }", json!({}), "id"),
        // An Int beyond 32 bits inside an input object names the input field.
        (
            "mutation { setCalendarDays(input: { year: 9999999999, days: [] }) { days { date } } }",
            json!({}),
            "year",
        ),
        (
            "mutation { setCalendarDays(input: { year: 1800, days: [] }) { days { date } } }",
            json!({}),
            "year",
        ),
    ];
    for (query, variables, at_fault) in cases {
        let (status, body) = app.post(Some(&token), query, variables).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
        assert_eq!(field(&body), at_fault, "{query}: {body}");
        assert!(chinese(message(&body)), "{query}: {body}");
    }
    let body = app
        .gql(
            Some(&token),
            "{ calendarDays(year: 3475937160) { date } }",
            json!({}),
        )
        .await;
    assert_eq!(
        message(&body),
        "参数 year 超出范围：整数应在 -2147483648 到 2147483647 之间"
    );
    // The server is still serving, and a good request is unaffected.
    let d = app
        .data(
            Some(&token),
            "{ calendarDays(year: 2026) { date } }",
            json!({}),
        )
        .await;
    assert!(!d["calendarDays"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_int_argument_out_of_range_is_bad_user_input() {
    // Every Int argument of the schema, with a literal beyond 32 bits.
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    let schema = app
        .data(
            Some(&token),
            "{ __schema { queryType { fields { name args { name type { name ofType { name } } } } } } }",
            json!({}),
        )
        .await;
    let mut checked = 0;
    for f in schema["__schema"]["queryType"]["fields"]
        .as_array()
        .unwrap()
    {
        for a in f["args"].as_array().unwrap() {
            let ty = &a["type"];
            if ty["name"] != "Int" && ty["ofType"]["name"] != "Int" {
                continue;
            }
            let (field, name) = (f["name"].as_str().unwrap(), a["name"].as_str().unwrap());
            let query = format!("{{ {field}({name}: 3475937160) {{ __typename }} }}");
            let body = app.gql(Some(&token), &query, json!({})).await;
            // Other required arguments may be missing: either way the answer is the client's
            // fault, never INTERNAL.
            assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
            assert!(chinese(message(&body)), "{query}: {body}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "found only {checked} Int arguments");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_keep_the_selection_sets_key_order() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    for query in [
        "{ b: __typename a: __typename }",
        "{ me { username id displayName } }",
    ] {
        let res = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        let text = res.text().await.unwrap();
        let keys: Vec<&str> = if query.contains("me {") {
            vec!["\"username\"", "\"id\"", "\"displayName\""]
        } else {
            vec!["\"b\"", "\"a\""]
        };
        let at: Vec<usize> = keys
            .iter()
            .map(|k| text.find(k).unwrap_or_else(|| panic!("{k} in {text}")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{query}: {text}");
    }
    // Batches too.
    let text = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!([{ "query": "{ z: __typename y: __typename }" }]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.find("\"z\"").unwrap() < text.find("\"y\"").unwrap(),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_are_off_when_introspection_is_off() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    // Development: introspection on, suggestions on.
    let body = app
        .gql(None, "{ calendarDayz(year: 2026) { date } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(message(&body).contains("Did you mean"), "{body}");

    let tmp = tempfile::tempdir().unwrap();
    let file = FileConfig {
        mode: Some(Mode::Production),
        jwt_secret: Some(Secret("a-production-secret-of-at-least-32-chars".into())),
        audit_key: Some(Secret("a-production-audit-key-of-32-chars-at-least".into())),
        log_level: Some("warn".into()),
        ..FileConfig::default()
    };
    let o = Overrides {
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(tmp.path().join("data")),
        database_url: Some(format!(
            "sqlite://{}?mode=rwc",
            tmp.path().join("p.db").display()
        )),
    };
    let mut config = Config::from_layers(file, &o).unwrap();
    config.settings_file = Some(jianan_tests::production_settings());
    let server = jianan_api::start(config, false).await.unwrap();
    let body: Value = app
        .client
        .post(format!("http://{}/graphql", server.addr))
        .json(&json!({ "query": "{ calendarDayz(year: 2026) { date } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(!message(&body).contains("Did you mean"), "{body}");
    assert!(!message(&body).contains("calendarDays"), "{body}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_connections_carry_the_statement_timeout() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    if !app.database_url.starts_with("postgres") {
        return; // a PostgreSQL setting
    }
    use sea_orm::ConnectionTrait;
    let conn = &app.server().kernel.db.conn;
    // Every connection of the pool, not just the first.
    for _ in 0..4 {
        let row = conn
            .query_one_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                "SHOW statement_timeout",
            ))
            .await
            .unwrap()
            .unwrap();
        let v: String = row.try_get("", "statement_timeout").unwrap();
        assert_eq!(v, "20s");
    }
    // Migrations and the operator's commands run without it.
    let unbounded = jianan_api::app::connect_unbounded(&app.config())
        .await
        .unwrap();
    let row = unbounded
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            unbounded.conn.get_database_backend(),
            "SHOW statement_timeout",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "statement_timeout").unwrap(), "0");
    // A statement that runs past it fails on the server.
    let db = jianan_kernel::db::Db::connect_with(
        &app.database_url,
        1,
        Some(std::time::Duration::from_millis(50)),
    )
    .await
    .unwrap();
    let slow = db.conn.execute_unprepared("SELECT pg_sleep(1)").await;
    assert!(slow.is_err(), "cancelled by statement_timeout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_carry_a_complexity_cost() {
    let app = TestApp::spawn().await;
    let token = app.login("admin").await;
    let one = "{ hazardStatistics { total } inspectionStatistics { kind count } }";
    app.data(Some(&token), one, json!({})).await;
    // A dashboard cannot ask for dozens at once.
    let many: String = (0..25)
        .map(|i| format!("s{i}: hazardStatistics {{ total }} "))
        .collect();
    let body = app
        .gql(Some(&token), &format!("{{ {many} }}"), json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(message(&body).contains("查询过于复杂"), "{body}");
}

//! House safety screening end to end (issue #11): the registry with its duplicate check and
//! masked owners, campaigns within their period and scope, the screening that opens a ledger
//! entry, and the ledger from OPEN to CLOSED. Refusals write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Days;
use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code, uuid_of};
use serde_json::{Value, json};

const REGISTER: &str = "mutation($input: RegisterHouseInput!) { registerHouse(input: $input) {
    house { id address ownerName ownerPhone ownerMasked floorArea longitude latitude version } } }";
const UPDATE: &str = "mutation($input: UpdateHouseInput!) { updateHouse(input: $input) {
    house { id address storeys version } } }";
const START_CAMPAIGN: &str = "mutation($input: StartScreeningCampaignInput!) {
    startScreeningCampaign(input: $input) { screeningCampaign { id name startsOn endsOn } } }";
const SCREEN: &str = "mutation($input: RecordScreeningInput!) { recordScreening(input: $input) {
    screening { id risk level observed } ledgerEntry { id state measure version } } }";
const PROGRESS: &str = "query($id: ID!) { screeningCampaignProgress(campaignId: $id) {
    townshipId houses screened toScreen risky } }";
const LEDGER: &str = "query($t: ID!) { houseLedger(townshipId: $t) { id state measure
    responsiblePerson deadline closeNote version house { id address ownerName } } }";
const START_ENTRY: &str = "mutation($input: StartHouseLedgerEntryInput!) {
    startHouseLedgerEntry(input: $input) { ledgerEntry { id state measure deadline version } } }";
const CLOSE_ENTRY: &str = "mutation($input: CloseHouseLedgerEntryInput!) {
    closeHouseLedgerEntry(input: $input) { ledgerEntry { id state closeNote version } } }";

fn today() -> chrono::NaiveDate {
    jianan_kernel::calendar::today()
}

fn details(address: &str, structure: &str, house_use: &str) -> Value {
    json!({
        "village": "幸福村", "address": address, "longitude": 107.756_123_4, "latitude": 29.325_001,
        "ownerName": "张三丰", "ownerPhone": "13912345678", "structure": structure, "storeys": 2,
        "yearBuilt": 1995, "houseUse": house_use, "floorArea": "86.5", "selfBuilt": true,
        "hasDocuments": false
    })
}

async fn register(app: &TestApp, token: &str, township: &str, address: &str) -> Value {
    app.data(
        Some(token),
        REGISTER,
        json!({ "input": { "townshipId": township,
            "house": details(address, "EARTH_WOOD", "RENTAL") } }),
    )
    .await["registerHouse"]["house"]
        .clone()
}

async fn campaign(app: &TestApp, fx: &Fixture, starts: chrono::NaiveDate, uses: Value) -> String {
    let d = app
        .data(
            fx.staff.auth(),
            START_CAMPAIGN,
            json!({ "input": { "name": "2026年城乡房屋安全隐患排查", "townshipIds": [fx.township.id, fx.street.id],
                "uses": uses, "startsOn": starts.to_string(),
                "endsOn": (starts + Days::new(30)).to_string(), "targetCount": 10 } }),
        )
        .await;
    d["startScreeningCampaign"]["screeningCampaign"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Rows of every table a refused request must leave alone.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    // Handlers of earlier events write too (audit records, links); let them finish first.
    app.settle().await;
    let mut out = Vec::new();
    for t in [
        "housing_house",
        "housing_campaign",
        "housing_campaign_township",
        "housing_screening",
        "housing_ledger_entry",
        "audit_log",
        "outbox_event",
    ] {
        out.push(app.count(t).await);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_from_start_to_a_closed_ledger_entry() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let c = campaign(&app, &fx, today(), json!(null)).await;
    let a = register(&app, ts, &fx.township.id, "幸福村3组12号").await;
    let b = register(&app, ts, &fx.township.id, "幸福村3组14号").await;
    let street_house = register(&app, &fx.staff.token, &fx.street.id, "光明街8号").await;
    assert_eq!(a["floorArea"], "86.50");
    assert_eq!(a["longitude"], 107.756_123);
    assert_eq!(a["ownerName"], "张三丰");

    let d = app
        .data(
            Some(ts),
            SCREEN,
            json!({ "input": { "campaignId": c, "houseId": a["id"], "observed": ["WALL_CRACKS", "FOUNDATION_SETTLEMENT"],
                "findings": "北墙斜裂缝，宽约3毫米", "risk": "RISKY", "level": "C" } }),
        )
        .await;
    let entry = &d["recordScreening"]["ledgerEntry"];
    assert_eq!(entry["state"], "OPEN");
    assert_eq!(entry["measure"], "RESTRICT_USE");
    let entry_id = entry["id"].as_str().unwrap().to_owned();
    let d = app
        .data(
            Some(ts),
            SCREEN,
            json!({ "input": { "campaignId": c, "houseId": b["id"], "observed": [], "risk": "NO_RISK" } }),
        )
        .await;
    assert_eq!(d["recordScreening"]["ledgerEntry"], Value::Null);

    // The same house twice in one campaign is refused.
    let body = app
        .gql(
            Some(ts),
            SCREEN,
            json!({ "input": { "campaignId": c, "houseId": b["id"], "observed": [], "risk": "NO_RISK" } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    let d = app
        .data(fx.staff.auth(), PROGRESS, json!({ "id": c }))
        .await;
    let rows = d["screeningCampaignProgress"].as_array().unwrap();
    let row = |t: &str| rows.iter().find(|r| r["townshipId"] == t).unwrap().clone();
    assert_eq!(
        row(&fx.township.id),
        json!({ "townshipId": fx.township.id, "houses": 2, "screened": 2, "toScreen": 0, "risky": 1 })
    );
    assert_eq!(
        row(&fx.street.id),
        json!({ "townshipId": fx.street.id, "houses": 1, "screened": 0, "toScreen": 1, "risky": 0 })
    );
    // Township staff see their own township's row only.
    let d = app.data(Some(ts), PROGRESS, json!({ "id": c })).await;
    assert_eq!(d["screeningCampaignProgress"].as_array().unwrap().len(), 1);
    assert_eq!(
        d["screeningCampaignProgress"][0]["townshipId"],
        fx.township.id.as_str()
    );
    let _ = street_house;

    let d = app
        .data(Some(ts), LEDGER, json!({ "t": fx.township.id }))
        .await;
    let ledger = d["houseLedger"].as_array().unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0]["house"]["address"], "幸福村3组12号");

    // Start: a stale version is refused, then the work starts.
    let deadline = (today() + Days::new(10)).to_string();
    let start = |v: i32| {
        json!({ "input": { "id": entry_id, "expectedVersion": v, "measure": "REINFORCE",
            "responsiblePerson": "李四（村委会）", "deadline": deadline } })
    };
    let before = snapshot(&app).await;
    let body = app.gql(Some(ts), START_ENTRY, start(7)).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let body = app
        .gql(
            Some(ts),
            CLOSE_ENTRY,
            json!({ "input": { "id": entry_id, "note": "已加固" } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(snapshot(&app).await, before);
    let d = app.data(Some(ts), START_ENTRY, start(1)).await;
    let e = &d["startHouseLedgerEntry"]["ledgerEntry"];
    assert_eq!(e["state"], "IN_PROGRESS");
    assert_eq!(e["measure"], "REINFORCE");
    assert_eq!(e["version"], 2);

    // Closing needs a note.
    let before = snapshot(&app).await;
    let body = app
        .gql(
            Some(ts),
            CLOSE_ENTRY,
            json!({ "input": { "id": entry_id, "expectedVersion": 2, "note": "  " } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "note");
    assert_eq!(snapshot(&app).await, before);
    let audits = app.count("audit_log").await;
    let d = app
        .data(
            Some(ts),
            CLOSE_ENTRY,
            json!({ "input": { "id": entry_id, "expectedVersion": 2, "note": "已完成加固并经复核" } }),
        )
        .await;
    assert_eq!(d["closeHouseLedgerEntry"]["ledgerEntry"]["state"], "CLOSED");
    assert_eq!(app.count("audit_log").await, audits + 1);

    // The printed ledger's rows, in print order, owner masked.
    let db = app.db().await;
    let rows = jianan_housing::service::ledger::ledger_rows(&db, uuid_of(&fx.township.id))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].seq, 1);
    assert_eq!(rows[0].address, "幸福村3组12号");
    assert_eq!(rows[0].owner_name, "张**");
    assert_eq!(rows[0].owner_phone.as_deref(), Some("139****5678"));
    assert_eq!(
        rows[0].state,
        jianan_housing::entity::enums::LedgerState::Closed
    );
    assert_eq!(rows[0].close_note.as_deref(), Some("已完成加固并经复核"));

    // The house carries its latest judgement.
    let d = app
        .data(
            Some(ts),
            "query($id: ID!) { node(id: $id) { ... on House { risk level version } } }",
            json!({ "id": a["id"] }),
        )
        .await;
    assert_eq!(
        d["node"],
        json!({ "risk": "RISKY", "level": "C", "version": 2 })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_address_is_refused_and_writes_nothing() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let first = register(&app, ts, &fx.township.id, "幸福村3组 12号").await;
    let before = snapshot(&app).await;
    let body = app
        .gql(
            Some(ts),
            REGISTER,
            json!({ "input": { "townshipId": fx.township.id,
                "house": details("　幸福村３组   １２号 ", "FRAME", "OWN_DWELLING") } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(first["id"].as_str().unwrap()), "{message}");
    assert_eq!(snapshot(&app).await, before);

    // Correcting another house onto the same address is refused too.
    let other = register(&app, ts, &fx.township.id, "幸福村3组13号").await;
    let before = snapshot(&app).await;
    let body = app
        .gql(
            Some(ts),
            UPDATE,
            json!({ "input": { "id": other["id"], "expectedVersion": 1,
                "house": details("幸福村3组  12号 ", "FRAME", "OWN_DWELLING") } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(snapshot(&app).await, before);
    // A stale version is refused; the right one corrects the house.
    let mut house = details("幸福村3组13号", "FRAME", "OWN_DWELLING");
    house["storeys"] = json!(3);
    let body = app
        .gql(
            Some(ts),
            UPDATE,
            json!({ "input": { "id": other["id"], "expectedVersion": 5, "house": house } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let d = app
        .data(
            Some(ts),
            UPDATE,
            json!({ "input": { "id": other["id"], "expectedVersion": 1, "house": house } }),
        )
        .await;
    assert_eq!(d["updateHouse"]["house"]["storeys"], 3);
    assert_eq!(d["updateHouse"]["house"]["version"], 2);

    // The same address in another township is another house.
    let street = register(&app, &fx.staff.token, &fx.street.id, "幸福村3组12号").await;
    assert!(street["id"].is_string());

    // Bad input names its field and writes nothing.
    let before = snapshot(&app).await;
    for (field, value) in [
        ("latitude", json!(91.0)),
        ("longitude", json!(-181.0)),
        ("floorArea", json!("12.345")),
        ("storeys", json!(0)),
        ("ownerName", json!(" ")),
    ] {
        let mut h = details("幸福村9组1号", "FRAME", "OWN_DWELLING");
        h[field] = value;
        let body = app
            .gql(
                Some(ts),
                REGISTER,
                json!({ "input": { "townshipId": fx.township.id, "house": h } }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{field}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    // Township staff register in their own township only.
    let body = app
        .gql(
            Some(ts),
            REGISTER,
            json!({ "input": { "townshipId": fx.street.id,
                "house": details("光明街1号", "FRAME", "OWN_DWELLING") } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screening_outside_the_campaign_s_period_or_scope_is_refused_and_writes_nothing() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let house = register(&app, ts, &fx.township.id, "幸福村3组12号").await;
    let later = campaign(&app, &fx, today() + Days::new(1), json!(null)).await;
    let business = campaign(&app, &fx, today(), json!(["BUSINESS"])).await;
    let open = campaign(&app, &fx, today(), json!(null)).await;
    let before = snapshot(&app).await;
    for c in [&later, &business] {
        let body = app
            .gql(
                Some(ts),
                SCREEN,
                json!({ "input": { "campaignId": c, "houseId": house["id"], "observed": [], "risk": "RISKY", "level": "D" } }),
            )
            .await;
        assert_eq!(error_code(&body), "CONFLICT", "{body}");
    }
    // An unknown checklist item, a contradictory judgement.
    let body = app
        .gql(
            Some(ts),
            SCREEN,
            json!({ "input": { "campaignId": open, "houseId": house["id"], "observed": ["NOPE"], "risk": "RISKY" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "observed",
        "{body}"
    );
    let body = app
        .gql(
            Some(ts),
            SCREEN,
            json!({ "input": { "campaignId": open, "houseId": house["id"], "observed": [], "risk": "NO_RISK", "level": "D" } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    // Township staff start no campaign; enterprises screen nothing.
    let body = app
        .gql(
            Some(ts),
            START_CAMPAIGN,
            json!({ "input": { "name": "x", "townshipIds": [fx.township.id],
                "startsOn": today().to_string(), "endsOn": today().to_string(), "targetCount": 1 } }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .gql(
            fx.manager.auth(),
            SCREEN,
            json!({ "input": { "campaignId": open, "houseId": house["id"], "observed": [], "risk": "RISKY" } }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(snapshot(&app).await, before);
    // Within period and scope it is recorded; a D appraisal lists the house for evacuation.
    let d = app
        .data(
            Some(ts),
            SCREEN,
            json!({ "input": { "campaignId": open, "houseId": house["id"], "observed": [], "risk": "SUSPECTED", "level": "D" } }),
        )
        .await;
    assert_eq!(d["recordScreening"]["ledgerEntry"]["measure"], "EVACUATE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_are_masked_without_the_permission_and_scopes_hold() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let house = register(&app, ts, &fx.township.id, "幸福村3组12号").await;
    let street = register(&app, &fx.staff.token, &fx.street.id, "光明街8号").await;
    const HOUSES: &str = "{ houses(first: 10) { totalCount edges { node { id ownerName ownerPhone ownerMasked } } } }";
    let d = app.data(fx.inspector.auth(), HOUSES, json!({})).await;
    assert_eq!(d["houses"]["totalCount"], 2);
    for e in d["houses"]["edges"].as_array().unwrap() {
        assert_eq!(e["node"]["ownerName"], "张**");
        assert_eq!(e["node"]["ownerPhone"], "139****5678");
        assert_eq!(e["node"]["ownerMasked"], true);
    }
    let d = app.data(fx.leader.auth(), HOUSES, json!({})).await;
    assert_eq!(d["houses"]["edges"][0]["node"]["ownerName"], "张**");
    // Township staff see their own township's houses in full, and no other.
    let d = app.data(Some(ts), HOUSES, json!({})).await;
    assert_eq!(d["houses"]["totalCount"], 1);
    let node = &d["houses"]["edges"][0]["node"];
    assert_eq!(node["id"], house["id"]);
    assert_eq!(node["ownerName"], "张三丰");
    assert_eq!(node["ownerPhone"], "13912345678");
    let d = app
        .data(
            Some(ts),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": street["id"] }),
        )
        .await;
    assert_eq!(d["node"], Value::Null);
    // Enterprises see nothing.
    let body = app.gql(fx.manager.auth(), HOUSES, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .gql(fx.manager.auth(), LEDGER, json!({ "t": fx.township.id }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
}

const ASSIGN: &str =
    "mutation($input: AssignHouseMonitorInput!) { assignHouseMonitor(input: $input) {
    assignment { id frequencyDays active startsOn house { id } } } }";
const LOG: &str =
    "mutation($input: RecordMonitoringLogInput!) { recordMonitoringLog(input: $input) {
    log { id trend readings } } }";
const MONITORING: &str = "housing.house_monitoring";

/// Kinds of `token`'s notifications.
async fn notification_kinds(app: &TestApp, token: &str) -> Vec<String> {
    let d = app
        .data(
            Some(token),
            "{ notifications(first: 50) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    d["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// Snapshot of the monitoring tables and what a log writes besides.
async fn monitoring_snapshot(app: &TestApp) -> Vec<i64> {
    let mut out = snapshot(app).await;
    for t in [
        "housing_monitor_assignment",
        "housing_monitoring_log",
        "notification",
        "obligation_evidence",
    ] {
        out.push(app.count(t).await);
    }
    out
}

/// A campaign, two RISKY houses in the township and one in the street; returns their ids.
async fn risky_houses(app: &TestApp, fx: &Fixture) -> (String, String, String) {
    let ts = fx.township_staff.token.as_str();
    let c = campaign(app, fx, today(), json!(null)).await;
    let a = register(app, ts, &fx.township.id, "幸福村3组12号").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = register(app, ts, &fx.township.id, "幸福村3组14号").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = register(app, &fx.staff.token, &fx.street.id, "光明街8号").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (token, h) in [(ts, &a), (ts, &b), (fx.staff.token.as_str(), &s)] {
        app.data(
            Some(token),
            SCREEN,
            json!({ "input": { "campaignId": c, "houseId": h, "observed": ["WALL_CRACKS"], "risk": "RISKY" } }),
        )
        .await;
    }
    (a, b, s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monitor_sees_and_logs_only_the_houses_assigned_to_them() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let monitor = fx.monitor.token.as_str();
    let (a, b, s) = risky_houses(&app, &fx).await;
    let plain = register(&app, ts, &fx.township.id, "幸福村5组1号").await["id"].clone();

    // Refused assignments write nothing: not a monitor, not a dangerous house, a bad frequency,
    // another township's house for township staff.
    let before = monitoring_snapshot(&app).await;
    for (input, code) in [
        (
            json!({ "houseId": a, "monitorId": fx.township_staff.id, "frequencyDays": 7 }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "houseId": plain, "monitorId": fx.monitor.id, "frequencyDays": 7 }),
            "CONFLICT",
        ),
        (
            json!({ "houseId": a, "monitorId": fx.monitor.id, "frequencyDays": 0 }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "houseId": s, "monitorId": fx.monitor.id, "frequencyDays": 7 }),
            "NOT_FOUND",
        ),
    ] {
        let body = app.gql(Some(ts), ASSIGN, json!({ "input": input })).await;
        assert_eq!(error_code(&body), code, "{input}: {body}");
    }
    // The street's house cannot take the township's monitor, even from the commission.
    let body = app
        .gql(
            fx.staff.auth(),
            ASSIGN,
            json!({ "input": { "houseId": s, "monitorId": fx.monitor.id, "frequencyDays": 7 } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(monitoring_snapshot(&app).await, before);

    let d = app
        .data(
            Some(ts),
            ASSIGN,
            json!({ "input": { "houseId": a, "monitorId": fx.monitor.id, "frequencyDays": 1 } }),
        )
        .await;
    assert_eq!(d["assignHouseMonitor"]["assignment"]["active"], true);
    assert!(
        notification_kinds(&app, monitor)
            .await
            .contains(&"housing.monitor_assigned".to_owned())
    );

    // The monitor sees the one house assigned, not the township's others nor the street's.
    let d = app
        .data(
            Some(monitor),
            "{ houses(first: 10) { totalCount edges { node { id ownerName } } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["houses"]["totalCount"], 1);
    assert_eq!(d["houses"]["edges"][0]["node"]["id"], a.as_str());
    assert_eq!(d["houses"]["edges"][0]["node"]["ownerName"], "张**");
    for other in [&b, &s] {
        let d = app
            .data(
                Some(monitor),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": other }),
            )
            .await;
        assert_eq!(d["node"], Value::Null, "{other}");
    }
    let body = app
        .gql(Some(monitor), LEDGER, json!({ "t": fx.township.id }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");

    // Logging elsewhere is refused and writes nothing; so is logging by anyone but the monitor.
    let before = monitoring_snapshot(&app).await;
    for (token, house, code) in [
        (monitor, &b, "NOT_FOUND"),
        (monitor, &s, "NOT_FOUND"),
        (ts, &a, "FORBIDDEN"),
    ] {
        let body = app
            .gql(
                Some(token),
                LOG,
                json!({ "input": { "houseId": house, "readings": "裂缝3毫米", "trend": "UNCHANGED" } }),
            )
            .await;
        assert_eq!(error_code(&body), code, "{house}: {body}");
    }
    assert_eq!(monitoring_snapshot(&app).await, before);

    let d = app
        .data(
            Some(monitor),
            LOG,
            json!({ "input": { "houseId": a, "readings": "北墙裂缝3毫米", "trend": "UNCHANGED" } }),
        )
        .await;
    assert_eq!(d["recordMonitoringLog"]["log"]["trend"], "UNCHANGED");
    let d = app
        .data(
            Some(monitor),
            "{ houseMonitoringLogs(first: 5) { totalCount } houseMonitorAssignments(first: 5) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["houseMonitoringLogs"]["totalCount"], 1);
    assert_eq!(d["houseMonitorAssignments"]["totalCount"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worsened_log_publishes_the_event_and_tells_the_township_and_the_commission() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let (a, _, _) = risky_houses(&app, &fx).await;
    app.data(
        Some(ts),
        ASSIGN,
        json!({ "input": { "houseId": a, "monitorId": fx.monitor.id, "frequencyDays": 7 } }),
    )
    .await;
    let events = "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'housing.house_worsened'";
    assert_eq!(app.scalar(events).await, 0);
    // Sent twice from a phone on a poor connection: logged, announced and told once.
    let input = json!({ "input": { "houseId": a, "readings": "北墙裂缝由3毫米增至6毫米",
        "trend": "WORSENED", "idempotencyKey": "phone-7f3a" } });
    let first = app.data(Some(&fx.monitor.token), LOG, input.clone()).await;
    let again = app.data(Some(&fx.monitor.token), LOG, input).await;
    assert_eq!(
        first["recordMonitoringLog"]["log"]["id"],
        again["recordMonitoringLog"]["log"]["id"]
    );
    assert_eq!(app.count("housing_monitoring_log").await, 1);
    assert_eq!(app.scalar(events).await, 1);
    app.settle().await;
    for token in [ts, fx.staff.token.as_str()] {
        assert!(
            notification_kinds(&app, token)
                .await
                .contains(&"housing.house_worsened".to_owned()),
            "{token}"
        );
    }
    // Not the enterprise, not the inspector (no department staff role).
    assert!(
        !notification_kinds(&app, &fx.manager.token)
            .await
            .contains(&"housing.house_worsened".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_monitoring_window_shows_as_missed() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let (a, _, _) = risky_houses(&app, &fx).await;
    app.data(
        Some(ts),
        ASSIGN,
        json!({ "input": { "houseId": a, "monitorId": fx.monitor.id, "frequencyDays": 1 } }),
    )
    .await;
    // The assignment was made three days ago: yesterday's visit is owed and was not made.
    let started = today() - Days::new(3);
    app.exec(&format!(
        "UPDATE housing_monitor_assignment SET starts_on = '{started}'"
    ))
    .await;
    let yesterday = today() - Days::new(1);
    const COMPLIANCE: &str = "query($code: String!, $date: Date!) {
      obligationCompliance(code: $code, date: $date) { metCount missedCount
        subjects { label count required met } } }";
    let c = app
        .data(
            fx.admin.auth(),
            COMPLIANCE,
            json!({ "code": MONITORING, "date": yesterday.to_string() }),
        )
        .await;
    let c = &c["obligationCompliance"];
    assert_eq!(c["missedCount"], 1, "{c}");
    assert_eq!(c["subjects"][0]["label"], "幸福村3组12号");
    assert_eq!(c["subjects"][0]["met"], false);

    // Today's visit meets today's window.
    app.data(
        Some(&fx.monitor.token),
        LOG,
        json!({ "input": { "houseId": a, "readings": "无明显变化", "trend": "UNCHANGED" } }),
    )
    .await;
    let c = app
        .data(
            fx.admin.auth(),
            COMPLIANCE,
            json!({ "code": MONITORING, "date": today().to_string() }),
        )
        .await;
    assert_eq!(c["obligationCompliance"]["metCount"], 1, "{c}");

    // Closing yesterday tells the monitor and the township's staff.
    let k = &app.server().kernel;
    let o = k
        .obligations
        .iter()
        .find(|o| o.def().code == MONITORING)
        .unwrap();
    let period = jianan_kernel::calendar::Period::containing(o.def().period, yesterday);
    let missed = jianan_kernel::obligations::close_period(k, o.as_ref(), period)
        .await
        .unwrap();
    assert_eq!(missed, 1);
    app.settle().await;
    for token in [fx.monitor.token.as_str(), ts] {
        assert!(
            notification_kinds(&app, token)
                .await
                .contains(&"kernel.obligation_missed".to_owned()),
            "{token}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_a_campaign_under_way_a_ledger_entry_in_progress_and_a_monitored_house() {
    let app = TestApp::spawn_with(jianan_tests::Options {
        empty: true,
        ..jianan_tests::Options::default()
    })
    .await;
    let k = &app.server().kernel;
    let config = app.config();
    jianan_api::app::seed_demo(&config, k).await.unwrap();
    jianan_api::app::seed_demo(&config, k).await.unwrap(); // idempotent
    let staff = app.login("staff").await;
    let d = app
        .data(
            Some(&staff),
            "{ houses(first: 1) { totalCount } screeningCampaigns(first: 5) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["houses"]["totalCount"], 20);
    assert_eq!(d["screeningCampaigns"]["totalCount"], 1);
    let township = app.login("township").await;
    let d = app
        .data(
            Some(&township),
            "{ houses(first: 1, filter: { risks: [RISKY] }) { totalCount edges { node { township { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["houses"]["totalCount"], 2);
    let baima = d["houses"]["edges"][0]["node"]["township"]["id"].clone();
    let d = app
        .data(Some(&township), LEDGER, json!({ "t": baima }))
        .await;
    let states: Vec<&str> = d["houseLedger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["IN_PROGRESS", "OPEN"]);
    let monitor = app.login("monitor").await;
    let d = app
        .data(
            Some(&monitor),
            "{ houses(first: 5) { totalCount } houseMonitoringLogs(first: 5) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["houses"]["totalCount"], 1);
    assert_eq!(d["houseMonitoringLogs"]["totalCount"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_count_houses_by_risk_and_level_coverage_and_overdue_measures() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let (_a, _b, _s) = risky_houses(&app, &fx).await;
    register(&app, ts, &fx.township.id, "幸福村6组1号").await;
    // One of the township's measures is past its deadline.
    let d = app
        .data(Some(ts), LEDGER, json!({ "t": fx.township.id }))
        .await;
    let entry = d["houseLedger"][0]["id"].as_str().unwrap().to_owned();
    app.data(
        Some(ts),
        START_ENTRY,
        json!({ "input": { "id": entry, "measure": "MONITOR", "responsiblePerson": "李四",
            "deadline": today().to_string() } }),
    )
    .await;
    let yesterday = today() - Days::new(1);
    app.exec(&format!(
        "UPDATE housing_ledger_entry SET deadline = '{yesterday}' WHERE state = 'IN_PROGRESS'"
    ))
    .await;
    const STATS: &str = "query($t: ID) { housingStatistics(townshipId: $t) { townshipId houses
        screened coverage byRisk { risk count } byLevel { level count } overdueMeasures } }";
    let d = app.data(fx.staff.auth(), STATS, json!({})).await;
    let rows = d["housingStatistics"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let township = rows
        .iter()
        .find(|r| r["townshipId"] == fx.township.id.as_str())
        .unwrap();
    assert_eq!(township["houses"], 3);
    assert_eq!(township["screened"], 2);
    assert!((township["coverage"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(township["byRisk"], json!([{ "risk": "RISKY", "count": 2 }]));
    assert_eq!(township["byLevel"], json!([]));
    assert_eq!(township["overdueMeasures"], 1);
    // Township staff see their own township; enterprises nothing.
    let d = app.data(Some(ts), STATS, json!({})).await;
    assert_eq!(d["housingStatistics"].as_array().unwrap().len(), 1);
    let d = app
        .data(Some(ts), STATS, json!({ "t": fx.street.id }))
        .await;
    assert_eq!(d["housingStatistics"], json!([]));
    let body = app.gql(fx.manager.auth(), STATS, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_house_map_is_geojson_within_the_caller_s_scope() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let (a, _b, _s) = risky_houses(&app, &fx).await;
    register(&app, ts, &fx.township.id, "幸福村6组1号").await;
    const MAP: &str = "query($t: ID, $r: [HouseRisk!]) { houseMap(townshipId: $t, risks: $r) }";
    let d = app
        .data(
            fx.inspector.auth(),
            MAP,
            json!({ "t": fx.township.id, "r": ["RISKY"] }),
        )
        .await;
    let text = serde_json::to_string(&d["houseMap"]).unwrap();
    let parsed: geojson::GeoJson = text.parse().expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("not a FeatureCollection: {text}");
    };
    assert_eq!(fc.features.len(), 2);
    let f = fc
        .features
        .iter()
        .find(|f| f.property("id").and_then(|v| v.as_str()) == Some(a.as_str()))
        .expect("house a on the map");
    let geometry = serde_json::to_value(f.geometry.as_ref().unwrap()).unwrap();
    assert_eq!(geometry["type"], "Point");
    assert_eq!(geometry["coordinates"], json!([107.756_123, 29.325_001]));
    assert_eq!(f.property("risk").unwrap(), "RISKY");
    assert_eq!(f.property("address").unwrap(), "幸福村3组12号");
    assert!(f.property("ownerName").is_none());
    assert!(!text.contains("张三丰") && !text.contains("13912345678"));
    assert_eq!(d["houseMap"]["truncated"], false);
    // Township staff map their own township only; all judgements by default.
    let d = app.data(Some(ts), MAP, json!({})).await;
    assert_eq!(d["houseMap"]["features"].as_array().unwrap().len(), 3);
    let d = app.data(Some(&fx.monitor.token), MAP, json!({})).await;
    assert_eq!(d["houseMap"]["features"].as_array().unwrap().len(), 0);
    let body = app.gql(fx.manager.auth(), MAP, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_the_ledger_take_the_same_statements_whatever_their_size() {
    // The statement counter is server-wide: keep the background pollers quiet (commits still
    // wake the dispatcher), as every statement-counting test does.
    let (app, fx) = Fixture::spawn_with(jianan_tests::Options {
        outbox_poll_ms: Some(3_600_000),
        ..jianan_tests::Options::default()
    })
    .await;
    let ts = fx.township_staff.token.as_str();
    let c = campaign(&app, &fx, today(), json!(null)).await;
    let mut ids = Vec::new();
    for i in 0..8 {
        let h = register(&app, ts, &fx.township.id, &format!("幸福村7组{i}号")).await;
        ids.push(h["id"].as_str().unwrap().to_owned());
    }
    const PAGE: &str =
        "query($n: Int!) { houses(first: $n) { edges { node { id township { id name }
        photos { id } ownerName } } } }";
    const LEDGER_PAGE: &str =
        "query($t: ID!) { houseLedger(townshipId: $t) { id house { id address } } }";
    let screen = |id: &str| json!({ "input": { "campaignId": c, "houseId": id, "observed": [], "risk": "RISKY" } });
    let mut ledger_counts = Vec::new();
    for batch in [&ids[0..2], &ids[2..8]] {
        for id in batch {
            app.data(Some(ts), SCREEN, screen(id)).await;
        }
        app.settle().await;
        let before = app.metric("jianan_sql_statements_total").await;
        let d = app
            .data(Some(ts), LEDGER_PAGE, json!({ "t": fx.township.id }))
            .await;
        assert!(d["houseLedger"][0]["house"]["address"].is_string());
        ledger_counts.push(app.metric("jianan_sql_statements_total").await - before);
    }
    assert_eq!(ledger_counts[0], ledger_counts[1], "{ledger_counts:?}");
    let mut counts = Vec::new();
    for n in [2, 8] {
        let before = app.metric("jianan_sql_statements_total").await;
        let d = app.data(Some(ts), PAGE, json!({ "n": n })).await;
        assert_eq!(d["houses"]["edges"].as_array().unwrap().len(), n as usize);
        counts.push(app.metric("jianan_sql_statements_total").await - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for 2 and 8 houses: {counts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn township_staff_add_house_photos_and_the_monitor_adds_photos_to_their_log() {
    let (app, fx) = Fixture::spawn().await;
    let ts = fx.township_staff.token.as_str();
    let (a, b, _) = risky_houses(&app, &fx).await;
    let photo = jianan_tests::add_photo(&app, ts, &a).await;
    let d = app
        .data(
            Some(&fx.inspector.token),
            "query($id: ID!) { node(id: $id) { ... on House { photos { id } } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(d["node"]["photos"], json!([{ "id": photo }]));
    app.data(
        Some(ts),
        ASSIGN,
        json!({ "input": { "houseId": a, "monitorId": fx.monitor.id, "frequencyDays": 7 } }),
    )
    .await;
    let monitor = fx.monitor.token.as_str();
    let d = app
        .data(
            Some(monitor),
            LOG,
            json!({ "input": { "houseId": a, "readings": "裂缝3毫米", "trend": "CHANGED" } }),
        )
        .await;
    let log = d["recordMonitoringLog"]["log"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let photo = jianan_tests::add_photo(&app, monitor, &log).await;
    let d = app
        .data(
            Some(ts),
            "query($h: ID) { houseMonitoringLogs(houseId: $h, first: 5) { edges { node { id trend photos { id } } } } }",
            json!({ "h": a }),
        )
        .await;
    let node = &d["houseMonitoringLogs"]["edges"][0]["node"];
    assert_eq!(node["id"], log.as_str());
    assert_eq!(node["photos"], json!([{ "id": photo }]));
    // The monitor adds no photo to a house (not theirs to describe), nor to another house.
    let (status, body) = app.upload(monitor, &a, jianan_tests::png(8)).await;
    assert!(status != 200 || !body["errors"].is_null(), "{body}");
    let (status, body) = app.upload(monitor, &b, jianan_tests::png(8)).await;
    assert!(status != 200 || !body["errors"].is_null(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_township_ledger_exports_as_the_printed_xlsx_holding_its_rows() {
    use calamine::{Reader, Xlsx};
    let (app, fx) = Fixture::spawn().await;
    risky_houses(&app, &fx).await;
    const EXPORT: &str =
        "mutation($t: ID!) { exportHouseLedger(townshipId: $t) { url expiresAt } }";
    // The township's staff export their own ledger; a browser opens the link without a header.
    let url = app
        .data(
            Some(&fx.township_staff.token),
            EXPORT,
            json!({ "t": fx.township.id }),
        )
        .await["exportHouseLedger"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .client
        .get(format!("{}{}", app.base, url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let rows: Vec<Vec<String>> = book
        .worksheet_range("危房整治台账")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(
        rows[0][0].ends_with("房屋安全隐患整治台账"),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[2][0], "序号");
    assert_eq!(rows[2][2], "地址");
    // The two risky houses of the township, not the street's; owners masked.
    assert_eq!(rows.len(), 3 + 2, "{rows:?}");
    let addresses: Vec<&str> = rows[3..].iter().map(|r| r[2].as_str()).collect();
    assert!(addresses.contains(&"幸福村3组12号"), "{addresses:?}");
    assert!(
        rows[3..]
            .iter()
            .all(|r| r[5] == "存在安全隐患" && r[10] == "待整治")
    );
    assert!(rows[3..].iter().all(|r| r[3].contains('*')), "{rows:?}");
    // Another township's ledger is refused to them, before any link is made.
    let other = app
        .gql(
            Some(&fx.township_staff.token),
            EXPORT,
            json!({ "t": fx.street.id }),
        )
        .await;
    assert_eq!(error_code(&other), "FORBIDDEN", "{other}");
    // The commission exports any township's.
    let street = app
        .data(Some(&fx.staff.token), EXPORT, json!({ "t": fx.street.id }))
        .await;
    assert!(street["exportHouseLedger"]["url"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_reports_up_and_the_commission_handles_it_to_closure() {
    let (app, fx) = Fixture::spawn().await;
    risky_houses(&app, &fx).await;
    const SUBMIT: &str =
        "mutation($input: SubmitHousingReportInput!) { submitHousingReport(input: $input) {
        report { id status figures summary version township { id } } } }";
    let handle = |verb: &str| {
        format!(
            "mutation($input: HandleHousingReportInput!) {{ {verb}(input: $input) {{ report {{ id status returnReason closeNote summary version }} }} }}"
        )
    };
    const LIST: &str = "query($t: ID) { housingReports(townshipId: $t, first: 10) { nodes { id period status } } }";
    let month = chrono::Utc::now().format("%Y-%m").to_string();

    // Refused, nothing written: the commission cannot report for a township; a township cannot
    // report for another; a month in the future; an empty summary.
    let before = report_snapshot(&app).await;
    for (token, township, period, summary, code) in [
        (
            &fx.staff.token,
            &fx.township.id,
            month.as_str(),
            "本月排查情况",
            "FORBIDDEN",
        ),
        (
            &fx.township_staff.token,
            &fx.street.id,
            month.as_str(),
            "本月排查情况",
            "FORBIDDEN",
        ),
        (
            &fx.township_staff.token,
            &fx.township.id,
            "2999-01",
            "本月排查情况",
            "BAD_USER_INPUT",
        ),
        (
            &fx.township_staff.token,
            &fx.township.id,
            month.as_str(),
            "  ",
            "BAD_USER_INPUT",
        ),
    ] {
        let body = app
            .gql(
                Some(token),
                SUBMIT,
                json!({ "input": { "townshipId": township, "period": period, "summary": summary } }),
            )
            .await;
        assert_eq!(error_code(&body), code, "{body}");
    }
    assert_eq!(report_snapshot(&app).await, before);

    // The township reports; its figures are taken as they stand.
    let sent = app
        .data(
            Some(&fx.township_staff.token),
            SUBMIT,
            json!({ "input": { "townshipId": fx.township.id, "period": month, "summary": "本月排查2户，均存在安全隐患" } }),
        )
        .await["submitHousingReport"]["report"]
        .clone();
    assert_eq!(sent["status"], "SUBMITTED");
    assert_eq!(sent["figures"]["houses"], 2, "{sent}");
    assert_eq!(sent["figures"]["byRisk"]["RISKY"], 2, "{sent}");
    let id = sent["id"].as_str().unwrap().to_owned();
    // Once per month.
    let again = app
        .gql(
            Some(&fx.township_staff.token),
            SUBMIT,
            json!({ "input": { "townshipId": fx.township.id, "period": month, "summary": "重复" } }),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");

    // The commission returns it; the township cannot close it; it sends it again.
    let returned = app
        .data(
            Some(&fx.staff.token),
            &handle("returnHousingReport"),
            json!({ "input": { "id": id, "text": "请补充整治措施落实情况", "expectedVersion": 1 } }),
        )
        .await["returnHousingReport"]["report"]
        .clone();
    assert_eq!(returned["status"], "RETURNED");
    let theirs = app
        .gql(
            Some(&fx.township_staff.token),
            &handle("closeHousingReport"),
            json!({ "input": { "id": id, "text": "x" } }),
        )
        .await;
    assert_eq!(error_code(&theirs), "FORBIDDEN", "{theirs}");
    let resent = app
        .data(
            Some(&fx.township_staff.token),
            &handle("resubmitHousingReport"),
            json!({ "input": { "id": id, "text": "已补充：2户均已落实监测", "expectedVersion": 2 } }),
        )
        .await["resubmitHousingReport"]["report"]
        .clone();
    assert_eq!(resent["status"], "SUBMITTED");
    // Out of order and stale versions are conflicts, nothing written.
    let before = report_snapshot(&app).await;
    let early = app
        .gql(
            Some(&fx.staff.token),
            &handle("closeHousingReport"),
            json!({ "input": { "id": id, "text": "办结" } }),
        )
        .await;
    assert_eq!(error_code(&early), "CONFLICT", "{early}");
    let stale = app
        .gql(
            Some(&fx.staff.token),
            &handle("acceptHousingReport"),
            json!({ "input": { "id": id, "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    assert_eq!(report_snapshot(&app).await, before);
    // Accepted and closed, each step audited.
    app.data(
        Some(&fx.staff.token),
        &handle("acceptHousingReport"),
        json!({ "input": { "id": id } }),
    )
    .await;
    let closed = app
        .data(
            Some(&fx.staff.token),
            &handle("closeHousingReport"),
            json!({ "input": { "id": id, "text": "已督导落实，办结" } }),
        )
        .await["closeHousingReport"]["report"]
        .clone();
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(closed["closeNote"], "已督导落实，办结");
    let audited = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'housing.report.%'")
        .await;
    assert_eq!(audited, 5);

    // The commission sees every township's reports; the street's staff would see none of these.
    let all = app.data(Some(&fx.inspector.token), LIST, json!({})).await;
    assert_eq!(all["housingReports"]["nodes"][0]["status"], "CLOSED");
    let mine = app
        .data(
            Some(&fx.township_staff.token),
            LIST,
            json!({ "t": fx.street.id }),
        )
        .await;
    assert_eq!(mine["housingReports"]["nodes"], json!([]));
}

async fn report_snapshot(app: &TestApp) -> Vec<i64> {
    vec![
        app.count("housing_report").await,
        app.count("audit_log").await,
        app.scalar("SELECT COALESCE(SUM(version), 0) AS n FROM housing_report")
            .await,
    ]
}

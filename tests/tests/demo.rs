//! `jianan serve --demo`: the whole demo district loads, and it is worth looking at.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::{Options, TestApp};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_demo_district_loads_with_hazards_in_every_state() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    let k = &app.server().kernel;
    let config = app.config();
    jianan_api::app::seed_demo(&config, k).await.unwrap();
    jianan_api::app::seed_demo(&config, k).await.unwrap(); // idempotent
    // What other modules do with the demo's events (credit, the report's hazard) is done.
    app.settle().await;
    let token = app.login("inspector").await;
    let d = app
        .data(
            Some(&token),
            "{ projects { totalCount } enterprises { totalCount } inspections { totalCount }
               hazardStatistics { byStatus { status count } byLevel { level count } }
               enforcementActions { totalCount edges { node { kind legalBasis hazardIds } } }
               publicRandomDraws { edges { node { status seed } } }
               doubleRandom: inspections(kinds: [DOUBLE_RANDOM]) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["projects"]["totalCount"], 150);
    assert_eq!(d["enterprises"]["totalCount"], 200);
    assert!(d["inspections"]["totalCount"].as_i64().unwrap() > 100);
    let statuses: Vec<_> = d["hazardStatistics"]["byStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .collect();
    for s in ["REPORTED", "ASSIGNED", "RECTIFYING", "SUBMITTED", "CLOSED"] {
        assert!(
            statuses.contains(&s.to_owned()),
            "{s} missing: {statuses:?}"
        );
    }
    assert_eq!(
        d["hazardStatistics"]["byLevel"].as_array().unwrap().len(),
        2,
        "general and major"
    );
    // Four supervision checks in sixteen find a major hazard, and one more is walked through the
    // five implementations; every other demo hazard is general (demo::tests checks each major
    // one against a criterion of 建质规〔2024〕5号).
    let by_level = |level: &str| {
        d["hazardStatistics"]["byLevel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["level"] == level)
            .map(|l| l["count"].as_i64().unwrap())
    };
    assert_eq!(by_level("MAJOR"), Some(5));
    // Nineteen from inspections' own demo, one opened for the verified public report, two for
    // the findings of the experts' demo visit.
    assert_eq!(by_level("GENERAL"), Some(22));
    assert_eq!(d["enforcementActions"]["totalCount"], 2);
    // Each enforcement action is about one hazard and cites a basis that was checked
    // (docs/legal-sources.md), not the 条例's penalty articles.
    for edge in d["enforcementActions"]["edges"].as_array().unwrap() {
        let action = &edge["node"];
        assert_eq!(action["hazardIds"].as_array().unwrap().len(), 1, "{action}");
        assert!(
            action["legalBasis"]
                .as_str()
                .unwrap()
                .contains("武隆建发〔2021〕69号"),
            "{action}"
        );
    }
    assert_eq!(
        d["publicRandomDraws"]["edges"][0]["node"]["status"],
        "PUBLISHED"
    );
    assert!(d["publicRandomDraws"]["edges"][0]["node"]["seed"].is_string());
    assert_eq!(
        d["doubleRandom"]["totalCount"], 1,
        "the first drawn team has recorded its check"
    );
    // Public reports in every state; the verified one led to its hazard.
    let staff = app.login("staff").await;
    let reports = app
        .data(
            Some(&staff),
            "{ rewardReports(first: 20) { nodes { status named hazardIds messages { fromReporter } } } }",
            json!({}),
        )
        .await;
    let nodes = reports["rewardReports"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 6, "{reports}");
    for s in [
        "SUBMITTED",
        "ACCEPTED",
        "VERIFYING",
        "VERIFIED",
        "CLOSED",
        "REJECTED",
    ] {
        assert!(
            nodes.iter().any(|n| n["status"] == s),
            "{s} missing: {reports}"
        );
    }
    let verified = nodes.iter().find(|n| n["status"] == "VERIFIED").unwrap();
    assert_eq!(
        verified["hazardIds"].as_array().unwrap().len(),
        1,
        "{reports}"
    );
    assert!(nodes.iter().any(|n| n["named"] == true));
    assert!(
        nodes
            .iter()
            .any(|n| n["messages"].as_array().unwrap().len() == 2)
    );
    // The experts' demo: sixty experts, a visit whose two findings became hazards, a review
    // with its panel of five drawn.
    let e = app
        .data(
            Some(&staff),
            "{ experts { totalCount } expertVisits { edges { node { findings { hazardId } } } }
               schemeReviews { edges { node { status assignments { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(e["experts"]["totalCount"], 60);
    let findings = e["expertVisits"]["edges"][0]["node"]["findings"]
        .as_array()
        .unwrap();
    assert_eq!(findings.len(), 2);
    assert!(findings.iter().all(|f| f["hazardId"].is_string()));
    let review = &e["schemeReviews"]["edges"][0]["node"];
    assert_eq!(review["assignments"].as_array().unwrap().len(), 5);
    // Oversight: two meetings (one decision done), an assessment with a “两重两新” item, a
    // circular the contractor has signed for.
    let o = app
        .data(
            Some(&staff),
            "{ meetings { edges { node { kind decisions { status } } } }
               riskAssessments { edges { node { risks { twoKeyTwoNew } } } }
               circulars { edges { node { number receipts { recipients read } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(o["meetings"]["edges"].as_array().unwrap().len(), 2, "{o}");
    let done = o["meetings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["node"]["decisions"].as_array().unwrap().clone())
        .filter(|d| d["status"] == "DONE")
        .count();
    assert_eq!(done, 1, "{o}");
    let risks = &o["riskAssessments"]["edges"][0]["node"]["risks"];
    assert_eq!(risks.as_array().unwrap().len(), 3, "{o}");
    assert_eq!(
        o["circulars"]["edges"][0]["node"]["receipts"],
        json!({ "recipients": 2, "read": 1 }),
        "{o}"
    );
    // The audit chain covers all of it.
    assert!(
        jianan_kernel::audit::verify_db(&k.db, &[])
            .await
            .unwrap()
            .is_intact()
    );
}

//! Double-random draws (issue #3 §5, §11): commit, draw, publish, and anyone re-runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_inspections::rules::draw::{Candidate, DrawInput, draw, verify_commitment};
use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code, uuid_of};
use serde_json::{Value, json};
use uuid::Uuid;

const PUBLIC: &str = "{ publicRandomDraws(first: 5) { edges { node { id title status commitment seed canonicalInput inputHash deadlineAt
  assignments { projectId projectCode inspectors { id name } } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_draw_re_runs_to_the_same_selection() {
    // The demo district gives the draw enough active projects; the fixture gives its people.
    let app = TestApp::spawn().await;
    let fx = Fixture::build(&app).await;
    let inspector = fx.inspector.token.clone();
    let pool = vec![
        fx.inspector.id.clone(),
        fx.staff.id.clone(),
        fx.leader.id.clone(),
        fx.expert.id.clone(),
    ];
    let some_project = fx.project.id.clone();
    let create = "mutation($input: CreateRandomDrawInput!) { createRandomDraw(input: $input) { randomDraw { id status commitment seed } } }";
    let input = |team: i32| {
        json!({ "input": { "title": "2026年第四季度在建项目双随机抽查", "inspectorIds": pool, "targetCount": 5, "teamSize": team,
            "deadlineWorkingDays": 10, "conflicts": [{ "inspectorId": fx.inspector.id, "projectId": some_project }] } })
    };
    let body = app.gql(Some(&inspector), create, input(1)).await;
    assert_eq!(
        error_code(&body),
        "BAD_USER_INPUT",
        "a team of one is refused"
    );
    assert_eq!(body["errors"][0]["extensions"]["field"], "teamSize");

    let d = app.data(Some(&inspector), create, input(2)).await;
    let draw_id = d["createRandomDraw"]["randomDraw"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let commitment = d["createRandomDraw"]["randomDraw"]["commitment"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(commitment.len(), 64);
    assert!(
        d["createRandomDraw"]["randomDraw"]["seed"].is_null(),
        "the seed stays secret until publication"
    );

    // The public sees the commitment before the draw, and nothing else.
    let p = app.data(None, PUBLIC, json!({})).await;
    let node = &p["publicRandomDraws"]["edges"][0]["node"];
    assert_eq!(node["commitment"], commitment);
    assert!(node["seed"].is_null() && node["assignments"].is_null());

    let step = |verb: &'static str| {
        format!("mutation($id: ID!) {{ {verb}(input: {{id: $id}}) {{ randomDraw {{ status }} }} }}")
    };
    let d = app
        .data(
            Some(&inspector),
            &step("executeRandomDraw"),
            json!({ "id": draw_id }),
        )
        .await;
    assert_eq!(d["executeRandomDraw"]["randomDraw"]["status"], "DRAWN");
    assert_eq!(
        error_code(
            &app.gql(
                Some(&inspector),
                &step("executeRandomDraw"),
                json!({ "id": draw_id })
            )
            .await
        ),
        "CONFLICT"
    );
    assert!(
        app.data(None, PUBLIC, json!({})).await["publicRandomDraws"]["edges"][0]["node"]["seed"]
            .is_null()
    );
    let manager = fx.manager.token.clone();
    assert_eq!(
        error_code(
            &app.gql(
                Some(&manager),
                &step("publishRandomDraw"),
                json!({ "id": draw_id })
            )
            .await
        ),
        "FORBIDDEN"
    );
    app.data(
        Some(&inspector),
        &step("publishRandomDraw"),
        json!({ "id": draw_id }),
    )
    .await;

    // Published: anyone, without logging in, can check and re-run it.
    let p = app.data(None, PUBLIC, json!({})).await;
    let node = &p["publicRandomDraws"]["edges"][0]["node"];
    assert_eq!(node["status"], "PUBLISHED");
    assert!(node["deadlineAt"].is_string());
    let seed = node["seed"].as_str().unwrap();
    assert!(
        verify_commitment(seed, &commitment),
        "SHA-256(seed) is the commitment published before the draw"
    );
    let canonical: Value = serde_json::from_str(node["canonicalInput"].as_str().unwrap()).unwrap();
    assert_eq!(canonical["seed"], seed);
    let candidates = |key: &str| -> Vec<Candidate> {
        canonical[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Candidate {
                id: c["id"].as_str().unwrap().parse().unwrap(),
                weight: c["weight"].as_u64().unwrap() as u32,
            })
            .collect()
    };
    let rerun = draw(&DrawInput {
        seed_hex: seed.to_owned(),
        inspectors: candidates("inspectors"),
        targets: candidates("targets"),
        target_count: canonical["target_count"].as_u64().unwrap() as u32,
        team_size: canonical["team_size"].as_u64().unwrap() as u32,
        conflicts: canonical["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c[0].as_str().unwrap().parse().unwrap(),
                    c[1].as_str().unwrap().parse().unwrap(),
                )
            })
            .collect(),
    })
    .unwrap();
    assert_eq!(rerun.input_hash, node["inputHash"].as_str().unwrap());
    let published: Vec<(Uuid, Vec<Uuid>)> = node["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                uuid_of(a["projectId"].as_str().unwrap()),
                a["inspectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| uuid_of(i["id"].as_str().unwrap()))
                    .collect(),
            )
        })
        .collect();
    let recomputed: Vec<(Uuid, Vec<Uuid>)> = rerun
        .assignments
        .iter()
        .map(|a| (a.target, a.inspectors.clone()))
        .collect();
    assert_eq!(
        published, recomputed,
        "the published selection is exactly what the algorithm gives"
    );
    assert_eq!(published.len(), 5);
    for (target, team) in &published {
        assert_eq!(team.len(), 2);
        assert_ne!(team[0], team[1]);
        if *target == fx.project.uuid {
            assert!(
                !team.contains(&fx.inspector.uuid),
                "the recused inspector is not on that team"
            );
        }
    }
}

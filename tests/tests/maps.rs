//! Map data (issue #11 item 6): projects get a place (WGS-84, checked), and `projectMap` gives
//! the caller's projects as an RFC 7946 FeatureCollection with their open hazards — parsed here
//! with the `geojson` crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_tests::fixtures::Fixture;
use jianan_tests::{TestApp, error_code};
use serde_json::{Value, json};

const SET_LOCATION: &str = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { version location { longitude latitude } } } }";
const MAP: &str = "query($t: ID) { projectMap(townshipId: $t) }";

async fn map(app: &TestApp, token: &str, township: Option<&str>) -> geojson::FeatureCollection {
    let d = app.data(Some(token), MAP, json!({ "t": township })).await;
    let text = serde_json::to_string(&d["projectMap"]).unwrap();
    text.parse::<geojson::GeoJson>()
        .map(geojson::FeatureCollection::try_from)
        .expect("valid GeoJSON")
        .expect("a FeatureCollection")
}

fn point(f: &geojson::Feature) -> Vec<f64> {
    match &f.geometry.as_ref().unwrap().value {
        geojson::GeometryValue::Point { coordinates } => coordinates.as_slice().to_vec(),
        other => panic!("not a point: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_are_on_the_map_with_their_open_hazards() {
    let (app, fx) = Fixture::spawn().await;
    let admin = fx.admin.token.clone();
    // A point out of range is the caller's mistake; nothing changes.
    let bad = app
        .gql(
            Some(&admin),
            SET_LOCATION,
            json!({ "input": { "id": fx.project.id, "location": { "longitude": 107.76, "latitude": 95.0 } } }),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT", "{bad}");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "location.latitude");
    for (id, lon, lat) in [
        (&fx.project.id, 107.760_313, 29.325_701),
        (&fx.other_project.id, 107.801, 29.4),
    ] {
        let d = app
            .data(
                Some(&admin),
                SET_LOCATION,
                json!({ "input": { "id": id, "location": { "longitude": lon, "latitude": lat } } }),
            )
            .await;
        assert_eq!(
            d["updateProject"]["project"]["location"],
            json!({ "longitude": lon, "latitude": lat })
        );
    }
    let report = "mutation($p: ID!) { reportHazard(input: {projectId: $p, level: GENERAL,
        category: \"SCAFFOLDING\", description: \"连墙件缺失\", location: \"北侧\"}) { hazard { id } } }";
    app.data(
        Some(&fx.inspector.token),
        report,
        json!({ "p": fx.project.id }),
    )
    .await;

    let all = map(&app, &fx.inspector.token, None).await;
    assert_eq!(all.features.len(), 2);
    let site = all
        .features
        .iter()
        .find(|f| f.id == Some(geojson::feature::Id::String(fx.project.id.clone())))
        .expect("the project is on the map");
    assert_eq!(point(site), vec![107.760_313, 29.325_701]);
    let props = site.properties.as_ref().unwrap();
    assert_eq!(props["openHazards"], json!(1));
    assert_eq!(props["openMajorHazards"], json!(0));
    assert_eq!(props["status"], json!("ACTIVE"));

    // Township staff see their township's projects only; a filter narrows the commission's map.
    let theirs = map(&app, &fx.township_staff.token, None).await;
    assert_eq!(theirs.features.len(), 1);
    let street = map(&app, &fx.inspector.token, Some(&fx.street.id)).await;
    assert_eq!(street.features.len(), 1);
    assert_eq!(
        street.features[0].properties.as_ref().unwrap()["openHazards"],
        Value::from(0)
    );
    // Not for anonymous callers.
    let anon = app.gql(None, MAP, json!({})).await;
    assert_eq!(error_code(&anon), "UNAUTHENTICATED", "{anon}");
}

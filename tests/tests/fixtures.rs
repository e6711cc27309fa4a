//! The shared fixtures are what the tests built on them assume: every role has a logged-in
//! account anchored where it belongs, and each account sees the projects its scope allows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_kernel::principal::Role;
use jianan_tests::fixtures::Fixture;
use jianan_tests::{Options, TestApp, error_code};
use serde_json::json;

const ME: &str = "{ me { id username kind roles orgUnit { id } enterprise { id } } }";
const PROJECTS: &str = "{ projects(first: 10) { totalCount edges { node { code } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_has_a_logged_in_account_anchored_where_it_belongs() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    let fx = Fixture::build(&app).await;
    for role in Role::ALL {
        let a = fx.account(role);
        let d = app.data(a.auth(), ME, json!({})).await;
        let me = &d["me"];
        assert_eq!(me["id"], a.id.as_str(), "{role:?}");
        assert_eq!(me["username"], a.username.as_str());
        assert_eq!(me["roles"], json!([role.as_str()]));
        let (org, enterprise) = match role {
            Role::Admin | Role::Expert | Role::BureauService => (None, None),
            Role::Leader => (Some(&fx.commission.id), None),
            Role::DepartmentStaff | Role::Inspector => (Some(&fx.department.id), None),
            Role::TownshipStaff => (Some(&fx.township.id), None),
            // A monitor belongs to the township (services.rs checks the principal's township) but
            // reads no org unit: their row scope is only the housing module's grant.
            Role::HouseMonitor => (None, None),
            Role::EnterpriseSafetyManager
            | Role::EnterpriseProjectLeader
            | Role::EnterpriseManager => (None, Some(&fx.contractor.id)),
        };
        assert_eq!(
            me["orgUnit"]["id"].as_str(),
            org.map(String::as_str),
            "{role:?}"
        );
        assert_eq!(
            me["enterprise"]["id"].as_str(),
            enterprise.map(String::as_str),
            "{role:?}"
        );
        let kind = if role == Role::BureauService {
            "SERVICE"
        } else {
            "PERSON"
        };
        assert_eq!(me["kind"], kind);
    }
    let d = app.data(fx.supervision.auth(), ME, json!({})).await;
    assert_eq!(d["me"]["enterprise"]["id"], fx.supervisor.id.as_str());
    let d = app.data(fx.other_manager.auth(), ME, json!({})).await;
    assert_eq!(d["me"]["enterprise"]["id"], fx.other_contractor.id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fixture_site_has_its_participants_and_each_account_sees_its_own_projects() {
    let app = TestApp::spawn_with(Options {
        empty: true,
        ..Options::default()
    })
    .await;
    let fx = Fixture::build(&app).await;
    let d = app
        .data(
            fx.inspector.auth(),
            "query($id: ID!) { node(id: $id) { ... on Project { code status township { id }
               participants { role enterprise { id } } keyPersons { role } } } }",
            json!({ "id": fx.project.id }),
        )
        .await;
    let p = &d["node"];
    assert_eq!(p["code"], fx.project.code.as_str());
    assert_eq!(p["status"], "ACTIVE");
    assert_eq!(p["township"]["id"], fx.township.id.as_str());
    let mut participants: Vec<(String, String)> = p["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["role"].as_str().unwrap().to_owned(),
                x["enterprise"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    participants.sort();
    let mut expected = vec![
        ("CONTRACTOR".to_owned(), fx.contractor.id.clone()),
        ("DEVELOPER".to_owned(), fx.developer.id.clone()),
        ("SUPERVISOR".to_owned(), fx.supervisor.id.clone()),
    ];
    expected.sort();
    assert_eq!(participants, expected);
    assert_eq!(p["keyPersons"].as_array().unwrap().len(), 3);

    let codes = |token: Option<&str>| {
        let app = &app;
        let token = token.map(str::to_owned);
        async move {
            let d = app.data(token.as_deref(), PROJECTS, json!({})).await;
            let mut codes: Vec<String> = d["projects"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
                .collect();
            codes.sort();
            codes
        }
    };
    let both = vec![fx.project.code.clone(), fx.other_project.code.clone()];
    let site = vec![fx.project.code.clone()];
    assert_eq!(codes(fx.admin.auth()).await, both);
    assert_eq!(codes(fx.inspector.auth()).await, both);
    assert_eq!(
        codes(fx.township_staff.auth()).await,
        site,
        "its township only"
    );
    assert_eq!(codes(fx.manager.auth()).await, site);
    assert_eq!(codes(fx.safety.auth()).await, site);
    assert_eq!(
        codes(fx.supervision.auth()).await,
        site,
        "the supervision firm's site"
    );
    assert_eq!(
        codes(fx.other_manager.auth()).await,
        vec![fx.other_project.code.clone()]
    );
    let body = app.gql(fx.bureau.auth(), PROJECTS, json!({})).await;
    assert_eq!(
        error_code(&body),
        "FORBIDDEN",
        "the bureau reads no registry"
    );
}

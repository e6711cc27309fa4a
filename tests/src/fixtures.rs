//! Shared test fixtures: one construction site and one account per role.
//!
//! [`Fixture::build`] creates, over the public GraphQL API of a [`TestApp`] (so it only depends on
//! the public schema), the records most tests need:
//!
//! - org units: the commission, its safety department, a township and a street;
//! - [`Fixture::project`], an active project in the township, with its contractor (施工单位),
//!   supervision firm (监理单位) and developer (建设单位) as participants and three key persons;
//! - [`Fixture::other_project`], an active project in the street whose contractor shares nothing
//!   with the first, for "another enterprise does not see it" checks;
//! - one logged-in account per role: ADMIN, LEADER, DEPARTMENT_STAFF, INSPECTOR, TOWNSHIP_STAFF
//!   (of the township), the contractor's ENTERPRISE_SAFETY_MANAGER, ENTERPRISE_PROJECT_LEADER and
//!   ENTERPRISE_MANAGER, an account of the supervision firm, EXPERT, BUREAU_SERVICE (client
//!   credentials), and the other contractor's manager.
//!
//! Every account's password is [`crate::DEMO_PASSWORD`]. The same world, inserted directly and
//! without HTTP, is what [`crate::harness::Harness`] builds from [`data`].
use futures_util::future::join_all;
use jianan_kernel::principal::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{DEMO_PASSWORD, Options, TestApp, uuid_of, valid_uscc};

/// Names, codes and numbers of the fixture world, shared by the GraphQL fixture and the kernel
/// harness so both describe the same site.
pub mod data {
    /// 武隆区住房和城乡建设委员会 (the commission).
    pub const COMMISSION: (&str, &str) = ("FX-COMMISSION", "测试住建委");
    /// 质量安全监督站 (the commission's safety department).
    pub const DEPARTMENT: (&str, &str) = ("FX-DEPT-SAFETY", "测试质安站");
    /// The township of [`PROJECT`].
    pub const TOWNSHIP: (&str, &str) = ("FX-TS", "测试镇");
    /// The street of [`OTHER_PROJECT`].
    pub const STREET: (&str, &str) = ("FX-ST", "测试街道");

    /// An enterprise: credit code (17 characters; the check character is computed) and name.
    pub struct Enterprise {
        pub uscc17: &'static str,
        pub name: &'static str,
    }
    /// 施工单位 (contractor of [`PROJECT`]).
    pub const CONTRACTOR: Enterprise = Enterprise {
        uscc17: "91500156MA5FXC001",
        name: "测试建工集团有限公司",
    };
    /// 监理单位 (supervision firm of [`PROJECT`]).
    pub const SUPERVISOR: Enterprise = Enterprise {
        uscc17: "91500156MA5FXC002",
        name: "测试工程监理有限公司",
    };
    /// 建设单位 (developer of [`PROJECT`]).
    pub const DEVELOPER: Enterprise = Enterprise {
        uscc17: "91500156MA5FXC003",
        name: "测试置业有限公司",
    };
    /// Contractor of [`OTHER_PROJECT`] only.
    pub const OTHER_CONTRACTOR: Enterprise = Enterprise {
        uscc17: "91500156MA5FXC004",
        name: "另一测试建筑有限公司",
    };

    /// The site: code and name.
    pub const PROJECT: (&str, &str) = ("FX-2026-0001", "测试小区一期");
    /// The unrelated site: code and name.
    pub const OTHER_PROJECT: (&str, &str) = ("FX-2026-0002", "另一测试项目");
    /// Address of both sites.
    pub const ADDRESS: &str = "重庆市武隆区测试路1号";

    /// Key persons of [`PROJECT`]: (role, name, 17 digits of the ID card, phone).
    pub const PROJECT_LEADER: (&str, &str, &str) = ("张项目", "50023219800101001", "13900001001");
    pub const SAFETY_MANAGER: (&str, &str, &str) = ("李安全", "50023219850202002", "13900001002");
    pub const CHIEF_SUPERVISOR: (&str, &str, &str) = ("王监理", "50023219750303003", "13900001003");

    /// Usernames, one per role (the enterprise roles are the contractor's).
    pub const ADMIN: &str = "fx-admin";
    pub const LEADER: &str = "fx-leader";
    pub const STAFF: &str = "fx-staff";
    pub const INSPECTOR: &str = "fx-inspector";
    pub const TOWNSHIP_STAFF: &str = "fx-township";
    pub const SAFETY: &str = "fx-safety";
    pub const PROJECT_LEADER_ACCOUNT: &str = "fx-pm";
    pub const MANAGER: &str = "fx-manager";
    /// An account of the supervision firm (ENTERPRISE_MANAGER of [`SUPERVISOR`]).
    pub const SUPERVISION: &str = "fx-supervision";
    pub const EXPERT: &str = "fx-expert";
    /// HOUSE_MONITOR of the township.
    pub const MONITOR: &str = "fx-monitor";
    /// Client id of the bureau's service account.
    pub const BUREAU: &str = "fx-bureau";
    /// ENTERPRISE_MANAGER of [`OTHER_CONTRACTOR`].
    pub const OTHER_MANAGER: &str = "fx-manager2";
}

/// A GB 11643 identity card number: the 17 digits and their check character.
pub fn id_card(body17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = body17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("17 digits") * w)
        .sum();
    let check = CHECK[(sum % 11) as usize] as char;
    format!("{body17}{check}")
}

/// A `KeyPersonInput` of `createProject`.
fn key_person(role: &str, (name, card, phone): (&str, &str, &str), enterprise: &str) -> Value {
    json!({ "role": role, "name": name, "idCard": id_card(card), "phone": phone, "enterpriseId": enterprise })
}

/// A record created by the fixture: its global ID and its row id.
#[derive(Debug, Clone)]
pub struct Record {
    /// Global (Relay) ID, as the API takes it.
    pub id: String,
    pub uuid: Uuid,
}

impl Record {
    fn of(global: &Value) -> Record {
        let id = global.as_str().expect("global ID").to_owned();
        Record {
            uuid: uuid_of(&id),
            id,
        }
    }
}

/// An enterprise of the fixture.
#[derive(Debug, Clone)]
pub struct Enterprise {
    pub id: String,
    pub uuid: Uuid,
    pub uscc: String,
    pub name: String,
}

/// A project of the fixture.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub uuid: Uuid,
    pub code: String,
}

/// A logged-in account of the fixture.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    /// Global ID of the account.
    pub id: String,
    pub uuid: Uuid,
    /// A fresh access token.
    pub token: String,
}

impl Account {
    /// The token as [`TestApp::data`] takes it.
    pub fn auth(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// One site with its participants and one logged-in account per role (see the module doc).
#[derive(Debug, Clone)]
pub struct Fixture {
    pub commission: Record,
    pub department: Record,
    pub township: Record,
    pub street: Record,
    pub contractor: Enterprise,
    pub supervisor: Enterprise,
    pub developer: Enterprise,
    pub other_contractor: Enterprise,
    /// Active, in [`Fixture::township`]; contractor, supervisor and developer participate.
    pub project: Project,
    /// Active, in [`Fixture::street`]; only [`Fixture::other_contractor`] participates.
    pub other_project: Project,
    pub admin: Account,
    pub leader: Account,
    pub staff: Account,
    pub inspector: Account,
    pub township_staff: Account,
    pub safety: Account,
    pub project_leader: Account,
    pub manager: Account,
    pub supervision: Account,
    pub expert: Account,
    pub bureau: Account,
    pub other_manager: Account,
    /// HOUSE_MONITOR of [`Fixture::township`].
    pub monitor: Account,
}

const CREATE_ORG_UNIT: &str =
    "mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { orgUnit { id } } }";
const CREATE_ENTERPRISE: &str = "mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id uscc name } } }";
const CREATE_PROJECT: &str = "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id code } } }";
const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id username } } }";
const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken } }";
const SERVICE_TOKEN: &str = "mutation($c: String!, $s: String!) { issueServiceToken(input: {clientId: $c, clientSecret: $s}) { accessToken } }";

impl Fixture {
    /// Starts a server without the demo district and builds the fixture on it.
    pub async fn spawn() -> (TestApp, Fixture) {
        Self::spawn_with(Options::default()).await
    }

    /// Like [`Fixture::spawn`], with options (the demo district stays off).
    pub async fn spawn_with(options: Options) -> (TestApp, Fixture) {
        let app = TestApp::spawn_with(Options {
            empty: true,
            ..options
        })
        .await;
        let fx = Fixture::build(&app).await;
        (app, fx)
    }

    /// Creates the fixture on `app` (with or without the demo district; its names do not clash
    /// with the demo's). Call it once per app.
    pub async fn build(app: &TestApp) -> Fixture {
        let admin_token = app.bootstrap_admin(data::ADMIN, DEMO_PASSWORD).await;
        let root = Some(admin_token.as_str());

        let org = |(code, name): (&str, &str), kind: &str, parent: Option<&str>| {
            let input = json!({ "input": { "code": code, "name": name, "kind": kind, "parentId": parent } });
            async move {
                Record::of(
                    &app.data(root, CREATE_ORG_UNIT, input).await["createOrgUnit"]["orgUnit"]["id"],
                )
            }
        };
        let commission = org(data::COMMISSION, "COMMISSION", None).await;
        let department = org(data::DEPARTMENT, "DEPARTMENT", Some(&commission.id)).await;
        let township = org(data::TOWNSHIP, "TOWNSHIP", None).await;
        let street = org(data::STREET, "STREET", None).await;

        let enterprise = |e: data::Enterprise, kind: &'static str| async move {
            let input = json!({ "input": { "uscc": valid_uscc(e.uscc17), "name": e.name, "kind": kind,
                "qualifications": ["建筑工程施工总承包二级"] } });
            let d = app.data(root, CREATE_ENTERPRISE, input).await;
            let e = &d["createEnterprise"]["enterprise"];
            let r = Record::of(&e["id"]);
            Enterprise {
                id: r.id,
                uuid: r.uuid,
                uscc: e["uscc"].as_str().expect("uscc").to_owned(),
                name: e["name"].as_str().expect("name").to_owned(),
            }
        };
        let contractor = enterprise(data::CONTRACTOR, "CONTRACTOR").await;
        let supervisor = enterprise(data::SUPERVISOR, "SUPERVISOR").await;
        let developer = enterprise(data::DEVELOPER, "DEVELOPER").await;
        let other_contractor = enterprise(data::OTHER_CONTRACTOR, "CONTRACTOR").await;

        let project = |(code, name): (&str, &str),
                       township: &str,
                       participants: Value,
                       persons: Value| {
            let input = json!({ "input": { "code": code, "name": name, "townshipId": township,
                "address": data::ADDRESS, "kind": "HOUSING", "status": "ACTIVE", "startOn": "2026-03-01",
                "participants": participants, "keyPersons": persons } });
            async move {
                let d = app.data(root, CREATE_PROJECT, input).await;
                let p = &d["createProject"]["project"];
                let r = Record::of(&p["id"]);
                Project {
                    id: r.id,
                    uuid: r.uuid,
                    code: p["code"].as_str().expect("code").to_owned(),
                }
            }
        };
        let site = project(
            data::PROJECT,
            &township.id,
            json!([
                { "enterpriseId": contractor.id, "role": "CONTRACTOR" },
                { "enterpriseId": supervisor.id, "role": "SUPERVISOR" },
                { "enterpriseId": developer.id, "role": "DEVELOPER" },
            ]),
            json!([
                key_person("PROJECT_LEADER", data::PROJECT_LEADER, &contractor.id),
                key_person("SAFETY_MANAGER", data::SAFETY_MANAGER, &contractor.id),
                key_person("CHIEF_SUPERVISOR", data::CHIEF_SUPERVISOR, &supervisor.id),
            ]),
        )
        .await;
        let other_project = project(
            data::OTHER_PROJECT,
            &street.id,
            json!([{ "enterpriseId": other_contractor.id, "role": "CONTRACTOR" }]),
            json!([]),
        )
        .await;

        // The accounts, then their logins, each batch concurrently (hashing dominates).
        let specs: [(&str, Role, Option<&str>, Option<&str>); 12] = [
            (data::LEADER, Role::Leader, Some(&commission.id), None),
            (
                data::STAFF,
                Role::DepartmentStaff,
                Some(&department.id),
                None,
            ),
            (data::INSPECTOR, Role::Inspector, Some(&department.id), None),
            (
                data::TOWNSHIP_STAFF,
                Role::TownshipStaff,
                Some(&township.id),
                None,
            ),
            (
                data::SAFETY,
                Role::EnterpriseSafetyManager,
                None,
                Some(&contractor.id),
            ),
            (
                data::PROJECT_LEADER_ACCOUNT,
                Role::EnterpriseProjectLeader,
                None,
                Some(&contractor.id),
            ),
            (
                data::MANAGER,
                Role::EnterpriseManager,
                None,
                Some(&contractor.id),
            ),
            (
                data::SUPERVISION,
                Role::EnterpriseManager,
                None,
                Some(&supervisor.id),
            ),
            (data::EXPERT, Role::Expert, None, None),
            (data::BUREAU, Role::BureauService, None, None),
            (
                data::OTHER_MANAGER,
                Role::EnterpriseManager,
                None,
                Some(&other_contractor.id),
            ),
            (data::MONITOR, Role::HouseMonitor, Some(&township.id), None),
        ];
        let created = join_all(specs.iter().map(|(username, role, org, enterprise)| {
            let kind = if *role == Role::BureauService { "SERVICE" } else { "PERSON" };
            let input = json!({ "input": { "username": username, "displayName": format!("{username}（测试）"),
                "kind": kind, "password": DEMO_PASSWORD, "roles": [role.as_str()],
                "orgUnitId": org, "enterpriseId": enterprise } });
            async move {
                let d = app.data(root, CREATE_ACCOUNT, input).await;
                Record::of(&d["createAccount"]["account"]["id"])
            }
        }))
        .await;
        let mut logins = join_all(specs.iter().zip(created).map(
            |((username, role, ..), record)| async move {
                let token = if *role == Role::BureauService {
                    app.data(
                        None,
                        SERVICE_TOKEN,
                        json!({ "c": username, "s": DEMO_PASSWORD }),
                    )
                    .await["issueServiceToken"]["accessToken"]
                        .clone()
                } else {
                    app.data(None, LOGIN, json!({ "u": username, "p": DEMO_PASSWORD }))
                        .await["login"]["accessToken"]
                        .clone()
                };
                Account {
                    username: (*username).to_owned(),
                    id: record.id,
                    uuid: record.uuid,
                    token: token.as_str().expect("access token").to_owned(),
                }
            },
        ))
        .await
        .into_iter();
        let mut next = || logins.next().expect("one login per account");
        let (leader, staff, inspector, township_staff) = (next(), next(), next(), next());
        let (safety, project_leader, manager, supervision) = (next(), next(), next(), next());
        let (expert, bureau, other_manager, monitor) = (next(), next(), next(), next());

        let me = app.data(root, "{ me { id } }", json!({})).await;
        let admin_record = Record::of(&me["me"]["id"]);
        let admin = Account {
            username: data::ADMIN.to_owned(),
            id: admin_record.id,
            uuid: admin_record.uuid,
            token: admin_token.clone(),
        };
        Fixture {
            commission,
            department,
            township,
            street,
            contractor,
            supervisor,
            developer,
            other_contractor,
            project: site,
            other_project,
            admin,
            leader,
            staff,
            inspector,
            township_staff,
            safety,
            project_leader,
            manager,
            supervision,
            expert,
            bureau,
            other_manager,
            monitor,
        }
    }

    /// The fixture's account holding `role` (the enterprise roles are the contractor's).
    pub fn account(&self, role: Role) -> &Account {
        match role {
            Role::Admin => &self.admin,
            Role::Leader => &self.leader,
            Role::DepartmentStaff => &self.staff,
            Role::Inspector => &self.inspector,
            Role::TownshipStaff => &self.township_staff,
            Role::EnterpriseSafetyManager => &self.safety,
            Role::EnterpriseProjectLeader => &self.project_leader,
            Role::EnterpriseManager => &self.manager,
            Role::Expert => &self.expert,
            Role::BureauService => &self.bureau,
            Role::HouseMonitor => &self.monitor,
        }
    }
}

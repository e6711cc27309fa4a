//! The kernel test harness: the platform's [`Kernel`] — the one the server builds, with every
//! module's permissions, obligations and event handlers — on a fresh, migrated database, without
//! HTTP, so services and kernel APIs are called directly.
//!
//! ```text
//! let h = Harness::new().await;
//! let who = h.who(Role::DepartmentStaff);
//! // … call a service with `&h.kernel` and `&who` …
//! h.dispatch().await; // deliver the outbox once, as the server's dispatcher would
//! assert!(h.audit().await.is_intact());
//! ```
//!
//! [`Harness::new`] inserts the fixture world of [`crate::fixtures::data`] (org units,
//! enterprises, two active projects, one account per role) straight into the tables; the callers
//! ([`Harness::who`]) are built the way a login builds them and then round-tripped through an
//! access token, so they carry exactly what a request's principal carries.
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use jianan_api::config::{Config, FileConfig, Overrides};
use jianan_entity::enums::{
    AccountKind, EnterpriseKind, KeyPersonRole, OrgUnitKind, ParticipantRole, ProjectKind,
    ProjectStatus,
};
use jianan_entity::{account, enterprise, org_unit, project, project_participant, project_person};
use jianan_kernel::Kernel;
use jianan_kernel::audit::AuditReport;
use jianan_kernel::outbox::{Dispatcher, EventHandler};
use jianan_kernel::principal::{RequestInfo, Role};
use jianan_migration::{Migrator, MigratorTrait};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use crate::fixtures::{data, id_card};
use crate::valid_uscc;

/// Row ids of the fixture world (the same site as [`crate::fixtures::Fixture`]).
#[derive(Debug, Clone)]
pub struct World {
    pub commission: Uuid,
    pub department: Uuid,
    pub township: Uuid,
    pub street: Uuid,
    pub contractor: Uuid,
    pub supervisor: Uuid,
    pub developer: Uuid,
    pub other_contractor: Uuid,
    /// Active, in [`World::township`]; contractor, supervisor and developer participate.
    pub project: Uuid,
    /// Active, in [`World::street`]; only [`World::other_contractor`] participates.
    pub other_project: Uuid,
    pub accounts: Accounts,
}

/// Account ids of the fixture world, one per role (enterprise roles: the contractor's).
#[derive(Debug, Clone)]
pub struct Accounts {
    pub admin: Uuid,
    pub leader: Uuid,
    pub staff: Uuid,
    pub inspector: Uuid,
    pub township_staff: Uuid,
    pub safety: Uuid,
    pub project_leader: Uuid,
    pub manager: Uuid,
    /// ENTERPRISE_MANAGER of the supervision firm.
    pub supervision: Uuid,
    pub expert: Uuid,
    pub bureau: Uuid,
    /// ENTERPRISE_MANAGER of the other contractor.
    pub other_manager: Uuid,
    /// HOUSE_MONITOR of the township.
    pub monitor: Uuid,
}

impl Accounts {
    /// The account holding `role` (enterprise roles: the contractor's).
    pub fn of(&self, role: Role) -> Uuid {
        match role {
            Role::Admin => self.admin,
            Role::Leader => self.leader,
            Role::DepartmentStaff => self.staff,
            Role::Inspector => self.inspector,
            Role::TownshipStaff => self.township_staff,
            Role::EnterpriseSafetyManager => self.safety,
            Role::EnterpriseProjectLeader => self.project_leader,
            Role::EnterpriseManager => self.manager,
            Role::Expert => self.expert,
            Role::BureauService => self.bureau,
            Role::HouseMonitor => self.monitor,
        }
    }

    /// Every account of the world.
    pub fn all(&self) -> [Uuid; 13] {
        [
            self.admin,
            self.leader,
            self.staff,
            self.inspector,
            self.township_staff,
            self.safety,
            self.project_leader,
            self.manager,
            self.supervision,
            self.expert,
            self.bureau,
            self.other_manager,
            self.monitor,
        ]
    }
}

/// The kernel on a fresh database, with the fixture world and its callers.
pub struct Harness {
    pub kernel: Arc<Kernel>,
    pub config: Config,
    pub database_url: String,
    pub world: World,
    callers: HashMap<Uuid, RequestInfo>,
    _tmp: tempfile::TempDir,
}

impl Harness {
    /// Builds the kernel on a fresh database (SQLite, or PostgreSQL when
    /// [`crate::POSTGRES_ENV`] is set), migrated, with the fixture world.
    pub async fn new() -> Harness {
        let tmp = tempfile::tempdir().expect("tempdir");
        let database_url = crate::fresh_database_url(tmp.path()).await;
        let config = Config::from_layers(
            FileConfig {
                log_level: Some("warn".into()),
                ..FileConfig::default()
            },
            &Overrides {
                listen: None,
                data_dir: Some(tmp.path().join("data")),
                database_url: Some(database_url.clone()),
            },
        )
        .expect("config");
        let db = jianan_api::app::connect(&config).await.expect("connect");
        Migrator::up(&db.conn, None).await.expect("migrations");
        let kernel = jianan_api::app::kernel(&config, db).await.expect("kernel");
        let world = insert_world(&kernel).await;
        let mut callers = HashMap::new();
        for id in world.accounts.all() {
            callers.insert(id, caller(&kernel, id).await);
        }
        Harness {
            kernel,
            config,
            database_url,
            world,
            callers,
            _tmp: tmp,
        }
    }

    /// The caller holding `role`, anchored like its account: commission roles to their org
    /// unit, TOWNSHIP_STAFF to the township, enterprise roles to the contractor.
    pub fn who(&self, role: Role) -> RequestInfo {
        self.acting_as(self.world.accounts.of(role))
    }

    /// The caller of one of the world's accounts (e.g. `world.accounts.other_manager`).
    pub fn acting_as(&self, account: Uuid) -> RequestInfo {
        self.callers
            .get(&account)
            .cloned()
            .unwrap_or_else(|| panic!("{account} is not an account of the world"))
    }

    /// The system itself (jobs, seeding), as the kernel's own code calls it.
    pub fn system(&self) -> RequestInfo {
        RequestInfo::system("test")
    }

    /// An outbox dispatcher with every module's event handlers and `extra` ones (a test's own
    /// recording handler). On SQLite it feeds the kernel's event bus itself; on PostgreSQL the
    /// bus is fed by the LISTEN task of a running server, which the harness does not start.
    pub fn dispatcher(&self, extra: Vec<Arc<dyn EventHandler>>) -> Dispatcher {
        let handlers = jianan_api::app::modules()
            .iter()
            .flat_map(|m| m.event_handlers())
            .chain(extra)
            .collect();
        Dispatcher::new(
            self.kernel.db.clone(),
            handlers,
            self.kernel.bus.clone(),
            jianan_kernel::outbox::DEFAULT_POLL,
        )
    }

    /// Delivers the pending outbox events once, as the server's dispatcher would; returns how
    /// many were dispatched.
    pub async fn dispatch(&self) -> usize {
        self.dispatcher(Vec::new())
            .run_once()
            .await
            .expect("dispatch")
    }

    /// `SELECT COUNT(*) FROM table`.
    pub async fn count(&self, table: &str) -> i64 {
        crate::count(&self.kernel.db.conn, table).await
    }

    /// The integer column `n` of the one row `sql` returns.
    pub async fn scalar(&self, sql: &str) -> i64 {
        crate::scalar(&self.kernel.db.conn, sql).await
    }

    /// Runs a statement directly (tampering, time travel).
    pub async fn exec(&self, sql: &str) {
        self.kernel
            .db
            .conn
            .execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Runs `sql` as a database-level attacker: after lifting the append-only guard of
    /// `audit_log` (see [`crate::lift_audit_guard`]).
    pub async fn tamper(&self, sql: &str) {
        crate::lift_audit_guard(&self.kernel.db.conn).await;
        self.exec(sql).await;
    }

    /// Recomputes the audit hash chain.
    pub async fn audit(&self) -> AuditReport {
        jianan_kernel::audit::verify_db(&self.kernel.db, &[])
            .await
            .expect("audit verify")
    }
}

/// What a request carrying an access token of account `id` would carry: the principal a login
/// builds, signed into a token and verified back.
async fn caller(k: &Kernel, id: Uuid) -> RequestInfo {
    let a = account::Entity::find_by_id(id)
        .one(&k.db.conn)
        .await
        .expect("load account")
        .expect("account exists");
    let p = jianan_registry::service::auth::principal_of(&k.db.conn, k, &a)
        .await
        .expect("principal");
    let (token, _) = k.tokens.issue(&p).expect("issue token");
    let principal = k.tokens.verify(&token).expect("verify token");
    RequestInfo {
        principal: Arc::new(principal),
        request_id: format!("test-{}", a.username),
        client_addr: None,
    }
}

/// Inserts the fixture world in one transaction (no audit, no events: it is the state before the
/// test, not something a test did).
async fn insert_world(k: &Kernel) -> World {
    let now = Utc::now();
    let w = k.db.begin_write().await.expect("begin");
    let org = |(code, name): (&str, &str), kind: OrgUnitKind, parent: Option<Uuid>| {
        let id = Uuid::now_v7();
        (
            id,
            org_unit::ActiveModel {
                id: Set(id),
                code: Set(code.to_owned()),
                name: Set(name.to_owned()),
                kind: Set(kind),
                parent_id: Set(parent),
                head_account_id: Set(None),
                leadership_office: Set(false),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                archived_at: Set(None),
            },
        )
    };
    let (commission, c) = org(data::COMMISSION, OrgUnitKind::Commission, None);
    let (department, d) = org(data::DEPARTMENT, OrgUnitKind::Department, Some(commission));
    let (township, t) = org(data::TOWNSHIP, OrgUnitKind::Township, None);
    let (street, s) = org(data::STREET, OrgUnitKind::Street, None);
    for unit in [c, d, t, s] {
        unit.insert(&*w).await.expect("org unit");
    }

    let enterprise_row = |e: data::Enterprise, kind: EnterpriseKind| {
        let id = Uuid::now_v7();
        let row = enterprise::ActiveModel {
            id: Set(id),
            uscc: Set(valid_uscc(e.uscc17)),
            name: Set(e.name.to_owned()),
            kind: Set(kind),
            legal_representative: Set(None),
            address: Set(Some(data::ADDRESS.to_owned())),
            qualifications: Set(r#"["建筑工程施工总承包二级"]"#.to_owned()),
            licence_no: Set(None),
            licence_expires_on: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
        };
        (id, row)
    };
    let (contractor, e1) = enterprise_row(data::CONTRACTOR, EnterpriseKind::Contractor);
    let (supervisor, e2) = enterprise_row(data::SUPERVISOR, EnterpriseKind::Supervisor);
    let (developer, e3) = enterprise_row(data::DEVELOPER, EnterpriseKind::Developer);
    let (other_contractor, e4) = enterprise_row(data::OTHER_CONTRACTOR, EnterpriseKind::Contractor);
    for e in [e1, e2, e3, e4] {
        e.insert(&*w).await.expect("enterprise");
    }

    let project_row = |(code, name): (&str, &str), township: Uuid| {
        let id = Uuid::now_v7();
        let row = project::ActiveModel {
            id: Set(id),
            code: Set(code.to_owned()),
            name: Set(name.to_owned()),
            township_id: Set(township),
            address: Set(data::ADDRESS.to_owned()),
            kind: Set(ProjectKind::Housing),
            status: Set(ProjectStatus::Active),
            start_on: Set(NaiveDate::from_ymd_opt(2026, 3, 1)),
            planned_end_on: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
            status_hold_id: Set(None),
            longitude_e6: Set(None),
            latitude_e6: Set(None),
        };
        (id, row)
    };
    let (site, p1) = project_row(data::PROJECT, township);
    let (other_project, p2) = project_row(data::OTHER_PROJECT, street);
    for p in [p1, p2] {
        p.insert(&*w).await.expect("project");
    }
    for id in [site, other_project] {
        jianan_kernel::history::set_states(&*w, "Project", id, &["ACTIVE"], now)
            .await
            .expect("status history");
    }
    for (project_id, enterprise_id, role) in [
        (site, contractor, ParticipantRole::Contractor),
        (site, supervisor, ParticipantRole::Supervisor),
        (site, developer, ParticipantRole::Developer),
        (other_project, other_contractor, ParticipantRole::Contractor),
    ] {
        project_participant::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(project_id),
            enterprise_id: Set(enterprise_id),
            role: Set(role),
        }
        .insert(&*w)
        .await
        .expect("participant");
    }
    for (role, (name, card, phone), enterprise_id) in [
        (
            KeyPersonRole::ProjectLeader,
            data::PROJECT_LEADER,
            contractor,
        ),
        (
            KeyPersonRole::SafetyManager,
            data::SAFETY_MANAGER,
            contractor,
        ),
        (
            KeyPersonRole::ChiefSupervisor,
            data::CHIEF_SUPERVISOR,
            supervisor,
        ),
    ] {
        project_person::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(site),
            role: Set(role),
            name: Set(name.to_owned()),
            phone: Set(Some(phone.to_owned())),
            id_card: Set(Some(id_card(card))),
            enterprise_id: Set(Some(enterprise_id)),
            account_id: Set(None),
        }
        .insert(&*w)
        .await
        .expect("key person");
    }

    let account_row = async |username: &str,
                             role: Role,
                             org_unit_id: Option<Uuid>,
                             enterprise_id: Option<Uuid>| {
        let id = Uuid::now_v7();
        account::ActiveModel {
            id: Set(id),
            username: Set(username.to_owned()),
            display_name: Set(format!("{username}（测试）")),
            kind: Set(if role == Role::BureauService {
                AccountKind::Service
            } else {
                AccountKind::Person
            }),
            // No password: harness callers never log in.
            secret_hash: Set("!".to_owned()),
            roles: Set(serde_json::json!([role.as_str()]).to_string()),
            org_unit_id: Set(org_unit_id),
            enterprise_id: Set(enterprise_id),
            phone: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
            enforcement_cert_number: Set(None),
            enforcement_cert_authority: Set(None),
            enforcement_cert_valid_until: Set(None),
        }
        .insert(&*w)
        .await
        .expect("account");
        jianan_kernel::history::set_states(&*w, "Account", id, &[role.as_str()], now)
            .await
            .expect("role history");
        id
    };
    let accounts = Accounts {
        admin: account_row(data::ADMIN, Role::Admin, Some(commission), None).await,
        leader: account_row(data::LEADER, Role::Leader, Some(commission), None).await,
        staff: account_row(data::STAFF, Role::DepartmentStaff, Some(department), None).await,
        inspector: account_row(data::INSPECTOR, Role::Inspector, Some(department), None).await,
        township_staff: account_row(
            data::TOWNSHIP_STAFF,
            Role::TownshipStaff,
            Some(township),
            None,
        )
        .await,
        safety: account_row(
            data::SAFETY,
            Role::EnterpriseSafetyManager,
            None,
            Some(contractor),
        )
        .await,
        project_leader: account_row(
            data::PROJECT_LEADER_ACCOUNT,
            Role::EnterpriseProjectLeader,
            None,
            Some(contractor),
        )
        .await,
        manager: account_row(
            data::MANAGER,
            Role::EnterpriseManager,
            None,
            Some(contractor),
        )
        .await,
        supervision: account_row(
            data::SUPERVISION,
            Role::EnterpriseManager,
            None,
            Some(supervisor),
        )
        .await,
        expert: account_row(data::EXPERT, Role::Expert, None, None).await,
        bureau: account_row(data::BUREAU, Role::BureauService, None, None).await,
        other_manager: account_row(
            data::OTHER_MANAGER,
            Role::EnterpriseManager,
            None,
            Some(other_contractor),
        )
        .await,
        monitor: account_row(data::MONITOR, Role::HouseMonitor, Some(township), None).await,
    };
    w.commit().await.expect("commit world");
    World {
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
        accounts,
    }
}

//! Registry: org units, accounts, enterprises, projects and participants — the shared domain
//! every module refers to (docs/architecture.md). Also login and tokens, since accounts live here.

pub mod demo;
pub mod demo_data;
pub mod graphql;
pub mod migrations;
pub mod service;
pub mod uscc;
pub mod volume;

use std::sync::Arc;

use futures_util::future::BoxFuture;
use jianan_entity::{enterprise, project};
use jianan_kernel::attachments::{AttachmentOwner, ScopedOwner};
use jianan_kernel::module::Module;
use jianan_kernel::principal::{PermissionDef, Principal, Role};
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppResult, Kernel};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

pub use graphql::{RegistryMutation, RegistryQuery};

/// The registry's query root (see `jianan_kernel::modules!`).
pub type Query = RegistryQuery;
/// The registry's mutation root.
pub type Mutation = RegistryMutation;
/// The registry has no subscriptions.
pub type Subscription = jianan_kernel::gateway::NoSubscription;
/// The registry's record types.
pub type Records = (
    graphql::types::Project,
    graphql::types::Enterprise,
    graphql::types::OrgUnit,
    graphql::types::Account,
);

/// The registry as a module.
pub fn module() -> Box<dyn Module> {
    Box::new(RegistryModule::default())
}

/// The module's section `[modules.registry]` of jianan.toml: how sign-in resists abuse
/// (docs/security.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegistrySettings {
    /// Failed sign-in attempts per user name (or client id) within the window; default 10.
    pub login_failures_per_name: u32,
    /// Failed sign-in and refresh attempts per client address within the window; default 30.
    pub login_failures_per_address: u32,
    /// Failed sign-in and refresh attempts on this instance within the window; default 1000.
    pub login_failures_global: u32,
    /// The window of the three limits, in seconds; default 300.
    pub login_window_seconds: u64,
    /// Absolute lifetime of a sign-in in days: its refresh tokens stop working this long after
    /// the password login, however often they were rotated; default 30.
    pub refresh_absolute_days: u32,
}

impl Default for RegistrySettings {
    fn default() -> Self {
        RegistrySettings {
            login_failures_per_name: 10,
            login_failures_per_address: 30,
            login_failures_global: 1000,
            login_window_seconds: 300,
            refresh_absolute_days: 30,
        }
    }
}

impl RegistrySettings {
    fn check(&self) -> Result<(), String> {
        let range = |name: &str, v: u64, lo: u64, hi: u64| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(format!("[modules.registry] {name} 应在{lo}到{hi}之间"))
            }
        };
        range(
            "login_failures_per_name",
            self.login_failures_per_name.into(),
            1,
            1000,
        )?;
        range(
            "login_failures_per_address",
            self.login_failures_per_address.into(),
            1,
            100_000,
        )?;
        range(
            "login_failures_global",
            self.login_failures_global.into(),
            1,
            1_000_000,
        )?;
        range("login_window_seconds", self.login_window_seconds, 1, 86_400)?;
        range(
            "refresh_absolute_days",
            self.refresh_absolute_days.into(),
            1,
            365,
        )
    }
}

/// The registry's permissions.
pub mod perms {
    pub const ORG_UNIT_READ: &str = "registry.org_unit.read";
    pub const ORG_UNIT_MANAGE: &str = "registry.org_unit.manage";
    pub const ACCOUNT_READ: &str = "registry.account.read";
    pub const ACCOUNT_MANAGE: &str = "registry.account.manage";
    pub const ENTERPRISE_READ: &str = "registry.enterprise.read";
    pub const ENTERPRISE_MANAGE: &str = "registry.enterprise.manage";
    pub const PROJECT_READ: &str = "registry.project.read";
    pub const PROJECT_UPDATE: &str = "registry.project.update";
    pub const PROJECT_MANAGE: &str = "registry.project.manage";
    pub const PERSON_PII: &str = "registry.person.pii";
}

/// Every role that belongs to a person (not the bureau's service account).
const PEOPLE: &[Role] = &[
    Role::Admin,
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
    Role::TownshipStaff,
    Role::EnterpriseSafetyManager,
    Role::EnterpriseProjectLeader,
    Role::EnterpriseManager,
    Role::Expert,
    Role::HouseMonitor,
];

/// The registry module: its settings and the sign-in limits built from them.
#[derive(Default)]
pub struct RegistryModule {
    pub settings: RegistrySettings,
    pub auth: Arc<service::auth::AuthGuard>,
}

impl RegistryModule {
    /// This kernel's registry module (None when the kernel was built without it).
    pub fn of(k: &Kernel) -> Option<&RegistryModule> {
        k.modules.iter().find_map(|m| {
            let any: &dyn std::any::Any = m.as_ref();
            any.downcast_ref::<RegistryModule>()
        })
    }
}

impl Module for RegistryModule {
    fn name(&self) -> &'static str {
        "registry"
    }

    fn configure(&mut self, section: &jianan_kernel::settings::Section<'_>) -> Result<(), String> {
        let s: RegistrySettings = section.parse()?;
        s.check()?;
        self.auth = Arc::new(service::auth::AuthGuard::new(&s));
        self.settings = s;
        Ok(())
    }

    fn credential_fields(&self) -> Vec<&'static str> {
        graphql::CREDENTIAL_FIELDS.to_vec()
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        vec![
            PermissionDef {
                name: ORG_UNIT_READ,
                description: "查看组织机构",
                roles: PEOPLE,
            },
            PermissionDef {
                name: ORG_UNIT_MANAGE,
                description: "维护组织机构",
                roles: &[Role::Admin],
            },
            PermissionDef {
                name: ACCOUNT_READ,
                description: "查看账号",
                roles: &[Role::Admin],
            },
            PermissionDef {
                name: ACCOUNT_MANAGE,
                description: "管理账号",
                roles: &[Role::Admin],
            },
            PermissionDef {
                name: ENTERPRISE_READ,
                description: "查看企业",
                roles: PEOPLE,
            },
            PermissionDef {
                name: ENTERPRISE_MANAGE,
                description: "登记和维护企业",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: PROJECT_READ,
                description: "查看项目",
                roles: PEOPLE,
            },
            PermissionDef {
                name: PROJECT_UPDATE,
                description: "修改项目信息和关键岗位人员",
                roles: &[
                    Role::Admin,
                    Role::DepartmentStaff,
                    Role::EnterpriseManager,
                    Role::EnterpriseProjectLeader,
                ],
            },
            PermissionDef {
                name: PROJECT_MANAGE,
                description: "登记、归档项目和调整参建单位",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: PERSON_PII,
                description: "查看完整的身份证号和手机号",
                roles: &[Role::Admin],
            },
        ]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::registry::TOPICS.to_vec()
    }

    fn attachment_owners(&self) -> Vec<Arc<dyn AttachmentOwner>> {
        vec![
            Arc::new(ScopedOwner::<project::Entity>::new(
                "Project",
                &[perms::PROJECT_READ],
                &[perms::PROJECT_UPDATE],
            )),
            Arc::new(EnterpriseAttachments),
        ]
    }

    fn seed_demo<'a>(&'a self, kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { demo::seed(kernel).await.map(|_| ()) })
    }

    /// `seed --scale N`: the district's enterprises and projects N times (accounts once).
    fn seed_demo_at<'a>(
        &'a self,
        kernel: &'a Kernel,
        volume: &'a jianan_kernel::volume::Volume,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { demo::seed_scaled(kernel, volume.copies).await.map(|_| ()) })
    }

    fn seed_volume<'a>(
        &'a self,
        kernel: &'a Kernel,
        volume: &'a jianan_kernel::volume::Volume,
    ) -> BoxFuture<'a, AppResult<jianan_kernel::volume::Loaded>> {
        Box::pin(volume::seed(kernel, volume))
    }
}

/// Enterprise documents (licences, certificates).
struct EnterpriseAttachments;

impl AttachmentOwner for EnterpriseAttachments {
    fn owner_type(&self) -> &'static str {
        "Enterprise"
    }
    fn can_read<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        p: &'a Principal,
        id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(async move {
            if !p.can(perms::ENTERPRISE_READ) {
                return Ok(false);
            }
            Ok(scoped::<enterprise::Entity>(p)
                .filter(enterprise::Column::Id.eq(id))
                .count(db)
                .await?
                == 1)
        })
    }
    fn can_attach<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        p: &'a Principal,
        id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(async move {
            Ok(p.can(perms::ENTERPRISE_MANAGE)
                && enterprise::Entity::find_by_id(id).count(db).await? == 1)
        })
    }
}

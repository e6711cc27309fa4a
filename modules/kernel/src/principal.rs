//! Who is calling: roles, the [`Principal`] attached to every request, and the permission table
//! assembled from every module's grants.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use async_graphql::{Context, Enum};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// 角色 — platform-wide roles. Modules grant permissions to roles; accounts hold roles.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Enum,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// 系统管理员 (administrator)
    Admin,
    /// 领导小组组长/副组长 (leadership group leader or deputy)
    Leader,
    /// 委内科室工作人员 (department staff of the commission)
    DepartmentStaff,
    /// 安全监督检查人员 (commission inspector)
    Inspector,
    /// 乡镇（街道）工作人员 (township or street staff)
    TownshipStaff,
    /// 企业专职安全员 (enterprise safety manager)
    EnterpriseSafetyManager,
    /// 企业项目负责人 (enterprise project leader)
    EnterpriseProjectLeader,
    /// 企业负责人 (enterprise manager)
    EnterpriseManager,
    /// 专家 (expert)
    Expert,
    /// 区市场监管局服务账号 (the Market Supervision Bureau's service account)
    BureauService,
    /// 房屋安全监测员 (house safety monitor of a township: watches the dangerous houses assigned to
    /// them)
    HouseMonitor,
}

impl Role {
    /// All roles, in declaration order.
    pub const ALL: [Role; 11] = [
        Role::Admin,
        Role::Leader,
        Role::DepartmentStaff,
        Role::Inspector,
        Role::TownshipStaff,
        Role::EnterpriseSafetyManager,
        Role::EnterpriseProjectLeader,
        Role::EnterpriseManager,
        Role::Expert,
        Role::BureauService,
        Role::HouseMonitor,
    ];
    /// The stored and token spelling (SCREAMING_SNAKE_CASE).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Leader => "LEADER",
            Role::DepartmentStaff => "DEPARTMENT_STAFF",
            Role::Inspector => "INSPECTOR",
            Role::TownshipStaff => "TOWNSHIP_STAFF",
            Role::EnterpriseSafetyManager => "ENTERPRISE_SAFETY_MANAGER",
            Role::EnterpriseProjectLeader => "ENTERPRISE_PROJECT_LEADER",
            Role::EnterpriseManager => "ENTERPRISE_MANAGER",
            Role::Expert => "EXPERT",
            Role::BureauService => "BUREAU_SERVICE",
            Role::HouseMonitor => "HOUSE_MONITOR",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// Roles held by an enterprise's own people: they are scoped to that enterprise.
    pub fn is_enterprise(self) -> bool {
        matches!(
            self,
            Role::EnterpriseSafetyManager | Role::EnterpriseProjectLeader | Role::EnterpriseManager
        )
    }
    /// Commission-wide roles that see the whole district.
    pub fn is_district_wide(self) -> bool {
        matches!(
            self,
            Role::Admin | Role::Leader | Role::DepartmentStaff | Role::Inspector
        )
    }
}

/// The roles stored on an account (a JSON list of role names; unknown names are skipped).
pub fn roles_of(a: &jianan_entity::account::Model) -> Vec<Role> {
    let names: Vec<String> = serde_json::from_str(&a.roles).unwrap_or_default();
    names.iter().filter_map(|n| Role::parse(n)).collect()
}

/// One permission a module defines, named `module.action` (e.g. `registry.project.create`),
/// with the roles it is granted to.
#[derive(Debug, Clone)]
pub struct PermissionDef {
    pub name: &'static str,
    /// 中文说明
    pub description: &'static str,
    pub roles: &'static [Role],
}

/// A module-defined standing of a caller toward particular rows, beyond the district, township
/// and enterprise scopes the kernel knows: "the expert with account X" (`experts.expert`), "the
/// bearer of receipt R" (`rewards.receipt`), "the exchange E" (`credit.exchange`). Tables say which
/// rows a grant reaches ([`crate::scope::ScopedEntity::grant_condition`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// `module.kind`, prefixed by the module that defines it.
    pub kind: String,
    /// The record the standing is anchored to (an account, a report, an exchange).
    pub id: Uuid,
}

impl Grant {
    pub fn new(kind: &str, id: Uuid) -> Grant {
        Grant {
            kind: kind.to_owned(),
            id,
        }
    }
}

/// A module's hook giving the holders of `role` a [`Grant`]: e.g. the experts module gives every
/// EXPERT the grant `experts.expert` anchored to their own account, so they see their assignments.
#[derive(Debug, Clone, Copy)]
pub struct RoleScope {
    pub role: Role,
    /// The grant, computed from the caller (`None`: this caller gets none).
    pub grant: fn(&Principal) -> Option<Grant>,
}

/// Role → permissions and role → grants, assembled once at start-up from every module's
/// [`PermissionDef`]s and [`RoleScope`]s.
#[derive(Debug, Default, Clone)]
pub struct PermissionTable {
    by_role: BTreeMap<Role, BTreeSet<&'static str>>,
    defs: Vec<PermissionDef>,
    role_scopes: Vec<RoleScope>,
}

impl PermissionTable {
    pub fn new(defs: impl IntoIterator<Item = PermissionDef>) -> Self {
        let mut table = PermissionTable::default();
        for def in defs {
            for role in def.roles {
                table.by_role.entry(*role).or_default().insert(def.name);
            }
            table.defs.push(def);
        }
        table
    }
    /// The union of the permissions of `roles`.
    pub fn permissions_of(&self, roles: &[Role]) -> BTreeSet<&'static str> {
        roles
            .iter()
            .filter_map(|r| self.by_role.get(r))
            .flatten()
            .copied()
            .collect()
    }
    pub fn definitions(&self) -> &[PermissionDef] {
        &self.defs
    }
    /// Adds the modules' role scopes.
    pub fn with_role_scopes(mut self, scopes: impl IntoIterator<Item = RoleScope>) -> Self {
        self.role_scopes.extend(scopes);
        self
    }
    /// Fills in what `p`'s roles give it: permissions, and the grants of the role scopes (added to
    /// the grants it already carries, e.g. from a receipt token).
    pub fn complete(&self, mut p: Principal) -> Principal {
        p.permissions = self.permissions_of(&p.roles);
        let given: Vec<Grant> = self
            .role_scopes
            .iter()
            .filter(|s| p.roles.contains(&s.role))
            .filter_map(|s| (s.grant)(&p))
            .collect();
        for g in given {
            if !p.grants.contains(&g) {
                p.grants.push(g);
            }
        }
        p
    }
}

/// What kind of caller this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Anonymous,
    Person,
    Service,
}

/// The authenticated caller of one request, built from a verified access token.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub account_id: Option<Uuid>,
    pub username: String,
    pub roles: Vec<Role>,
    pub permissions: BTreeSet<&'static str>,
    /// The org unit the account belongs to (a department, township, street or agency).
    pub org_unit_id: Option<Uuid>,
    /// Set when the org unit is a township or street: township staff are scoped to it.
    pub township_id: Option<Uuid>,
    /// Set for enterprise users: they are scoped to this enterprise.
    pub enterprise_id: Option<Uuid>,
    /// Module-defined standings (see [`Grant`]); they widen the rows the caller sees.
    pub grants: Vec<Grant>,
}

impl Principal {
    pub fn anonymous() -> Self {
        Principal {
            kind: PrincipalKind::Anonymous,
            account_id: None,
            username: String::new(),
            roles: Vec::new(),
            permissions: BTreeSet::new(),
            org_unit_id: None,
            township_id: None,
            enterprise_id: None,
            grants: Vec::new(),
        }
    }
    pub fn is_authenticated(&self) -> bool {
        self.kind != PrincipalKind::Anonymous
    }
    /// Signed in, or holding a bearer token that grants something (e.g. a reporter's receipt):
    /// someone the server has given a token to, who may send files.
    pub fn is_known(&self) -> bool {
        self.is_authenticated() || !self.grants.is_empty()
    }
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
    pub fn can(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }
    /// `UNAUTHENTICATED` for anonymous callers, `FORBIDDEN` for those lacking the permission.
    pub fn require(&self, permission: &str) -> AppResult<()> {
        if !self.is_authenticated() {
            Err(AppError::unauthenticated())
        } else if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
    pub fn require_account(&self) -> AppResult<Uuid> {
        self.account_id.ok_or_else(AppError::unauthenticated)
    }
    /// A stable key naming the caller, for idempotency records.
    pub fn key(&self) -> String {
        match self.account_id {
            Some(id) => id.to_string(),
            None => "anonymous".to_owned(),
        }
    }
}

/// Per-request facts the kernel needs: the caller, the request id and the client address.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub principal: Arc<Principal>,
    pub request_id: String,
    /// The client's network address; `None` where it must not be recorded.
    pub client_addr: Option<String>,
}

impl RequestInfo {
    pub fn anonymous() -> Self {
        RequestInfo {
            principal: Arc::new(Principal::anonymous()),
            request_id: String::new(),
            client_addr: None,
        }
    }
    /// The system itself (CLI, scheduled jobs, demo seeding).
    pub fn system(label: &str) -> Self {
        let mut p = Principal::anonymous();
        p.kind = PrincipalKind::Service;
        p.username = label.to_owned();
        p.roles = vec![Role::Admin];
        RequestInfo {
            principal: Arc::new(p),
            request_id: String::new(),
            client_addr: None,
        }
    }
}

/// The request's [`RequestInfo`] (anonymous when the gateway attached none).
pub fn request_info<'a>(ctx: &'a Context<'_>) -> std::borrow::Cow<'a, RequestInfo> {
    match ctx.data_opt::<RequestInfo>() {
        Some(info) => std::borrow::Cow::Borrowed(info),
        None => std::borrow::Cow::Owned(RequestInfo::anonymous()),
    }
}

/// The caller of this request.
pub fn principal(ctx: &Context<'_>) -> Arc<Principal> {
    request_info(ctx).principal.clone()
}

/// Guard: the caller must be logged in.
pub struct Authenticated;

impl async_graphql::Guard for Authenticated {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        if principal(ctx).is_authenticated() {
            Ok(())
        } else {
            Err(AppError::unauthenticated().into())
        }
    }
}

/// Guard: signed in, or holding a bearer grant ([`Principal::is_known`]).
pub struct Known;

impl async_graphql::Guard for Known {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        if principal(ctx).is_known() {
            Ok(())
        } else {
            Err(AppError::unauthenticated().into())
        }
    }
}

/// Guard: the caller must hold `permission` (`UNAUTHENTICATED` when anonymous).
pub struct Permission(pub &'static str);

impl async_graphql::Guard for Permission {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        principal(ctx).require(self.0).map_err(Into::into)
    }
}

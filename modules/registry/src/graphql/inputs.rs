//! The registry's GraphQL input objects, and their conversion to the services' plain inputs:
//! global IDs are decoded here, and a malformed one is a `BAD_USER_INPUT` naming the input field.
use async_graphql::{ID, InputObject};
use jianan_entity::enums::{
    AccountKind, EnterpriseKind, KeyPersonRole, OrgUnitKind, ParticipantRole, ProjectKind,
    ProjectStatus,
};
use jianan_kernel::AppError;
use jianan_kernel::principal::Role;
use jianan_kernel::relay::decode_id;
use jianan_kernel::scalars::Date;
use uuid::Uuid;

use crate::service::account::{AccountUpdate, CredentialChange, EnforcementCredential, NewAccount};
use crate::service::enterprise::{EnterpriseUpdate, NewEnterprise};
use crate::service::org_unit::{NewOrgUnit, OrgUnitUpdate};
use crate::service::project::{KeyPerson, NewProject, Participant, ProjectUpdate};

/// Decodes an optional global ID of `type_name` given in input field `field`.
fn optional_id(id: Option<&ID>, type_name: &str, field: &str) -> Result<Option<Uuid>, AppError> {
    id.map(|id| decode_id(id, type_name, field)).transpose()
}

/// 登录 — input of `login`.
#[derive(InputObject)]
pub struct LoginInput {
    /// 用户名 (username)
    pub username: String,
    /// 密码 (password)
    #[graphql(secret)]
    pub password: String,
}

/// 刷新令牌 — input of `refreshToken` and `logout`.
#[derive(InputObject)]
pub struct RefreshTokenInput {
    /// 刷新令牌 (refresh token)
    #[graphql(secret)]
    pub refresh_token: String,
}

/// 服务账号取令牌 — input of `issueServiceToken` (client credentials).
#[derive(InputObject)]
pub struct IssueServiceTokenInput {
    /// 客户端编号 (client id)
    pub client_id: String,
    /// 客户端密钥 (client secret)
    #[graphql(secret)]
    pub client_secret: String,
}

/// 归档 — input of the `archive*` mutations.
#[derive(InputObject)]
pub struct ArchiveInput {
    /// 全局编号 (global ID)
    pub id: ID,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 新建组织 — input of `createOrgUnit`.
#[derive(Debug, InputObject)]
pub struct CreateOrgUnitInput {
    /// 组织代码，如 TS-BAIMA (code)
    pub code: String,
    /// 名称 (name)
    pub name: String,
    /// 类型 (kind)
    pub kind: OrgUnitKind,
    /// 上级组织全局编号 (parent global ID)
    pub parent_id: Option<ID>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<CreateOrgUnitInput> for NewOrgUnit {
    type Error = AppError;
    fn try_from(i: CreateOrgUnitInput) -> Result<Self, AppError> {
        Ok(NewOrgUnit {
            parent_id: optional_id(i.parent_id.as_ref(), "OrgUnit", "parentId")?,
            code: i.code,
            name: i.name,
            kind: i.kind,
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 修改组织 — input of `updateOrgUnit`.
#[derive(Debug, InputObject)]
pub struct UpdateOrgUnitInput {
    /// 全局编号 (global ID)
    pub id: ID,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
    /// 名称 (name)
    pub name: Option<String>,
    /// 上级组织全局编号 (parent global ID)
    pub parent_id: Option<ID>,
    /// 负责人账号全局编号，须为本组织的账号；本组织漏履职时通知负责人 (head: an account of this unit,
    /// told when the unit misses a duty)
    pub head_account_id: Option<ID>,
    /// 设为（true）或取消（false）领导小组办公室所在单位；全区仅一个，其人员收到各成员单位漏履职通知
    /// (hosts the leadership group's office; one in the district; its people hear of every missed
    /// department duty)
    pub leadership_office: Option<bool>,
}

impl TryFrom<UpdateOrgUnitInput> for OrgUnitUpdate {
    type Error = AppError;
    fn try_from(i: UpdateOrgUnitInput) -> Result<Self, AppError> {
        Ok(OrgUnitUpdate {
            id: decode_id(&i.id, "OrgUnit", "id")?,
            parent_id: optional_id(i.parent_id.as_ref(), "OrgUnit", "parentId")?,
            head_account_id: optional_id(i.head_account_id.as_ref(), "Account", "headAccountId")?,
            leadership_office: i.leadership_office,
            expected_version: i.expected_version,
            name: i.name,
        })
    }
}

/// 新建账号 — input of `createAccount`.
#[derive(Debug, InputObject)]
pub struct CreateAccountInput {
    /// 用户名（服务账号为客户端编号）(username, or client id of a service account)
    pub username: String,
    /// 显示名称 (display name)
    pub display_name: String,
    /// 账号类型，默认人员账号 (kind, default PERSON)
    pub kind: Option<AccountKind>,
    /// 初始密码（服务账号为客户端密钥），至少8位 (password or client secret)
    pub password: String,
    /// 角色 (roles)
    pub roles: Vec<Role>,
    /// 所属组织全局编号 (org unit global ID)
    pub org_unit_id: Option<ID>,
    /// 所属企业全局编号，企业人员必填 (enterprise global ID; required for enterprise roles)
    pub enterprise_id: Option<ID>,
    /// 手机号码 (mobile number)
    pub phone: Option<String>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<CreateAccountInput> for NewAccount {
    type Error = AppError;
    fn try_from(i: CreateAccountInput) -> Result<Self, AppError> {
        Ok(NewAccount {
            org_unit_id: optional_id(i.org_unit_id.as_ref(), "OrgUnit", "orgUnitId")?,
            enterprise_id: optional_id(i.enterprise_id.as_ref(), "Enterprise", "enterpriseId")?,
            username: i.username,
            display_name: i.display_name,
            kind: i.kind,
            password: i.password,
            roles: i.roles,
            phone: i.phone,
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 修改账号 — input of `updateAccount`.
#[derive(Debug, InputObject)]
pub struct UpdateAccountInput {
    /// 全局编号 (global ID)
    pub id: ID,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
    /// 显示名称 (display name)
    pub display_name: Option<String>,
    /// 新密码 (new password)
    pub password: Option<String>,
    /// 角色，整体替换 (roles, replaced)
    pub roles: Option<Vec<Role>>,
    /// 所属组织 (org unit)
    pub org_unit_id: Option<ID>,
    /// 所属企业 (enterprise)
    pub enterprise_id: Option<ID>,
    /// 手机号码 (mobile number)
    pub phone: Option<String>,
}

impl TryFrom<UpdateAccountInput> for AccountUpdate {
    type Error = AppError;
    fn try_from(i: UpdateAccountInput) -> Result<Self, AppError> {
        Ok(AccountUpdate {
            id: decode_id(&i.id, "Account", "id")?,
            org_unit_id: optional_id(i.org_unit_id.as_ref(), "OrgUnit", "orgUnitId")?,
            enterprise_id: optional_id(i.enterprise_id.as_ref(), "Enterprise", "enterpriseId")?,
            expected_version: i.expected_version,
            display_name: i.display_name,
            password: i.password,
            roles: i.roles,
            phone: i.phone,
        })
    }
}

/// 登记执法证 — input of `setEnforcementCredential`.
#[derive(Debug, InputObject)]
pub struct SetEnforcementCredentialInput {
    /// 账号全局编号 (account global ID)
    pub account_id: ID,
    /// 执法证号 (credential number)
    pub number: String,
    /// 发证机关 (issuing authority)
    pub issuing_authority: String,
    /// 有效期至，含当日 (valid until, inclusive)
    pub valid_until: Date,
    /// 期望的当前版本 (expected version of the account)
    pub expected_version: Option<i32>,
}

impl TryFrom<SetEnforcementCredentialInput> for CredentialChange {
    type Error = AppError;
    fn try_from(i: SetEnforcementCredentialInput) -> Result<Self, AppError> {
        Ok(CredentialChange {
            account_id: decode_id(&i.account_id, "Account", "accountId")?,
            expected_version: i.expected_version,
            credential: Some(EnforcementCredential {
                number: i.number,
                issuing_authority: i.issuing_authority,
                valid_until: i.valid_until.0,
            }),
        })
    }
}

/// 注销执法证 — input of `clearEnforcementCredential`.
#[derive(Debug, InputObject)]
pub struct ClearEnforcementCredentialInput {
    /// 账号全局编号 (account global ID)
    pub account_id: ID,
    /// 期望的当前版本 (expected version of the account)
    pub expected_version: Option<i32>,
}

impl TryFrom<ClearEnforcementCredentialInput> for CredentialChange {
    type Error = AppError;
    fn try_from(i: ClearEnforcementCredentialInput) -> Result<Self, AppError> {
        Ok(CredentialChange {
            account_id: decode_id(&i.account_id, "Account", "accountId")?,
            expected_version: i.expected_version,
            credential: None,
        })
    }
}

/// 登记企业 — input of `createEnterprise`.
#[derive(Debug, InputObject)]
pub struct CreateEnterpriseInput {
    /// 统一社会信用代码（18位，GB 32100-2015）(unified social credit code)
    pub uscc: String,
    /// 企业名称 (name)
    pub name: String,
    /// 企业类型 (kind)
    pub kind: EnterpriseKind,
    /// 法定代表人 (legal representative)
    pub legal_representative: Option<String>,
    /// 注册地址 (registered address)
    pub address: Option<String>,
    /// 资质 (qualifications)
    pub qualifications: Option<Vec<String>>,
    /// 安全生产许可证编号 (safety-production licence number)
    pub licence_no: Option<String>,
    /// 安全生产许可证有效期至 (licence valid until)
    pub licence_expires_on: Option<Date>,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl From<CreateEnterpriseInput> for NewEnterprise {
    fn from(i: CreateEnterpriseInput) -> Self {
        NewEnterprise {
            uscc: i.uscc,
            name: i.name,
            kind: i.kind,
            legal_representative: i.legal_representative,
            address: i.address,
            qualifications: i.qualifications,
            licence_no: i.licence_no,
            licence_expires_on: i.licence_expires_on.map(Into::into),
            idempotency_key: i.idempotency_key,
        }
    }
}

/// 修改企业信息 — input of `updateEnterprise`; null fields stay unchanged.
#[derive(Debug, InputObject)]
pub struct UpdateEnterpriseInput {
    /// 企业全局编号 (global ID)
    pub id: ID,
    /// 期望的当前版本；不一致时返回 CONFLICT (expected version)
    pub expected_version: Option<i32>,
    /// 统一社会信用代码 (unified social credit code)
    pub uscc: Option<String>,
    /// 企业名称 (name)
    pub name: Option<String>,
    /// 企业类型 (kind)
    pub kind: Option<EnterpriseKind>,
    /// 法定代表人 (legal representative)
    pub legal_representative: Option<String>,
    /// 注册地址 (address)
    pub address: Option<String>,
    /// 资质 (qualifications; replaces the list)
    pub qualifications: Option<Vec<String>>,
    /// 安全生产许可证编号 (licence number)
    pub licence_no: Option<String>,
    /// 安全生产许可证有效期至 (licence valid until)
    pub licence_expires_on: Option<Date>,
}

impl TryFrom<UpdateEnterpriseInput> for EnterpriseUpdate {
    type Error = AppError;
    fn try_from(i: UpdateEnterpriseInput) -> Result<Self, AppError> {
        Ok(EnterpriseUpdate {
            id: decode_id(&i.id, "Enterprise", "id")?,
            expected_version: i.expected_version,
            uscc: i.uscc,
            name: i.name,
            kind: i.kind,
            legal_representative: i.legal_representative,
            address: i.address,
            qualifications: i.qualifications,
            licence_no: i.licence_no,
            licence_expires_on: i.licence_expires_on.map(Into::into),
        })
    }
}

/// 参建单位 — a participating enterprise.
#[derive(Debug, Clone, InputObject)]
pub struct ParticipantInput {
    /// 企业全局编号 (enterprise global ID)
    pub enterprise_id: ID,
    /// 参建角色 (role)
    pub role: ParticipantRole,
}

/// 关键岗位人员 — a key person of the project.
#[derive(Debug, Clone, InputObject)]
pub struct KeyPersonInput {
    /// 岗位 (role)
    pub role: KeyPersonRole,
    /// 姓名 (name)
    pub name: String,
    /// 手机号码 (mobile number)
    pub phone: Option<String>,
    /// 身份证号码（GB 11643，18位）(resident ID number)
    pub id_card: Option<String>,
    /// 所属企业全局编号 (enterprise global ID)
    pub enterprise_id: Option<ID>,
}

fn participants(list: Vec<ParticipantInput>) -> Result<Vec<Participant>, AppError> {
    list.into_iter()
        .map(|p| {
            Ok(Participant {
                enterprise_id: decode_id(&p.enterprise_id, "Enterprise", "participants")?,
                role: p.role,
            })
        })
        .collect()
}

fn key_persons(list: Vec<KeyPersonInput>) -> Result<Vec<KeyPerson>, AppError> {
    list.into_iter()
        .map(|p| {
            Ok(KeyPerson {
                enterprise_id: optional_id(p.enterprise_id.as_ref(), "Enterprise", "keyPersons")?,
                role: p.role,
                name: p.name,
                phone: p.phone,
                id_card: p.id_card,
            })
        })
        .collect()
}

/// 登记项目 — input of `createProject`.
#[derive(Debug, InputObject)]
pub struct CreateProjectInput {
    /// 项目编号，如 WL-2026-0001 (project code)
    pub code: String,
    /// 项目名称 (name)
    pub name: String,
    /// 所在乡镇（街道）的全局编号 (township or street global ID)
    pub township_id: ID,
    /// 项目地址 (address)
    pub address: String,
    /// 项目类型 (kind)
    pub kind: ProjectKind,
    /// 项目状态，默认未开工 (status, default PLANNED)
    pub status: Option<ProjectStatus>,
    /// 开工日期 (start date)
    pub start_on: Option<Date>,
    /// 计划竣工日期 (planned completion date)
    pub planned_end_on: Option<Date>,
    /// 位置（WGS-84 经纬度）(location, WGS-84)
    pub location: Option<jianan_kernel::geo::GeoPointInput>,
    /// 参建单位 (participating enterprises)
    #[graphql(default)]
    pub participants: Vec<ParticipantInput>,
    /// 关键岗位人员 (key persons)
    #[graphql(default)]
    pub key_persons: Vec<KeyPersonInput>,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<CreateProjectInput> for NewProject {
    type Error = AppError;
    fn try_from(i: CreateProjectInput) -> Result<Self, AppError> {
        Ok(NewProject {
            township_id: decode_id(&i.township_id, "OrgUnit", "townshipId")?,
            participants: participants(i.participants)?,
            key_persons: key_persons(i.key_persons)?,
            code: i.code,
            name: i.name,
            address: i.address,
            kind: i.kind,
            status: i.status,
            start_on: i.start_on.map(Into::into),
            planned_end_on: i.planned_end_on.map(Into::into),
            location: i
                .location
                .map(|l| jianan_kernel::geo::to_e6(l, "location"))
                .transpose()?,
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 修改项目 — input of `updateProject`; null fields stay unchanged, given lists replace.
#[derive(Debug, InputObject)]
pub struct UpdateProjectInput {
    /// 项目全局编号 (global ID)
    pub id: ID,
    /// 期望的当前版本；不一致时返回 CONFLICT (expected version)
    pub expected_version: Option<i32>,
    /// 项目名称 (name)
    pub name: Option<String>,
    /// 所在乡镇（街道）(township; needs registry.project.manage)
    pub township_id: Option<ID>,
    /// 项目地址 (address)
    pub address: Option<String>,
    /// 项目类型 (kind)
    pub kind: Option<ProjectKind>,
    /// 项目状态 (status)
    pub status: Option<ProjectStatus>,
    /// 开工日期 (start date)
    pub start_on: Option<Date>,
    /// 计划竣工日期 (planned completion date)
    pub planned_end_on: Option<Date>,
    /// 位置（WGS-84 经纬度）(location, WGS-84)
    pub location: Option<jianan_kernel::geo::GeoPointInput>,
    /// 参建单位，整体替换 (participants, replaced as a whole; needs registry.project.manage)
    pub participants: Option<Vec<ParticipantInput>>,
    /// 关键岗位人员，整体替换 (key persons, replaced as a whole)
    pub key_persons: Option<Vec<KeyPersonInput>>,
}

impl TryFrom<UpdateProjectInput> for ProjectUpdate {
    type Error = AppError;
    fn try_from(i: UpdateProjectInput) -> Result<Self, AppError> {
        Ok(ProjectUpdate {
            id: decode_id(&i.id, "Project", "id")?,
            township_id: optional_id(i.township_id.as_ref(), "OrgUnit", "townshipId")?,
            participants: i.participants.map(participants).transpose()?,
            key_persons: i.key_persons.map(key_persons).transpose()?,
            expected_version: i.expected_version,
            name: i.name,
            address: i.address,
            kind: i.kind,
            status: i.status,
            start_on: i.start_on.map(Into::into),
            planned_end_on: i.planned_end_on.map(Into::into),
            location: i
                .location
                .map(|l| jianan_kernel::geo::to_e6(l, "location"))
                .transpose()?,
        })
    }
}

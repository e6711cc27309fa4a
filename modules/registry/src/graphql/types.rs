//! Registry GraphQL types. Related records come from the request's loaders, which list
//! resolvers prime for the whole page (see `jianan_kernel::loader`).
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use jianan_entity::enums::{
    AccountKind, EnterpriseKind, KeyPersonRole, OrgUnitKind, ParticipantRole, ProjectKind,
    ProjectStatus,
};
use jianan_entity::{account, enterprise, org_unit, project, project_participant, project_person};
use jianan_kernel::graphql::Attachment;
use jianan_kernel::loader::loaders;
use jianan_kernel::node::NodeRecord;
use jianan_kernel::pii::{mask_id_card, mask_phone};
use jianan_kernel::principal::{Role, principal};
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::Date;
use jianan_kernel::{AppResult, kernel};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::perms;

jianan_kernel::grouping!(
    /// Participants grouped by project.
    pub ParticipantsOfProject: project_participant, ProjectId / project_id, order Id);

jianan_kernel::grouping!(
    /// Key persons grouped by project.
    pub PersonsOfProject: project_person, ProjectId / project_id, order Id);

/// 组织机构 — the commission, a department, a township or street, or an external agency.
#[derive(Clone)]
pub struct OrgUnit(pub org_unit::Model);

/// 组织机构 — the commission, a department, a township or street, or an external agency.
#[Object]
impl OrgUnit {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 组织代码 (code)
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// 名称 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 类型 (kind)
    async fn kind(&self) -> OrgUnitKind {
        self.0.kind
    }
    /// 上级组织 (parent unit)
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        let Some(pid) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<org_unit::Entity>()
            .load_one(pid)
            .await?
            .map(OrgUnit))
    }
    /// 负责人 (head of the unit)
    async fn head(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Some(id) = self.0.head_account_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .named_by_id::<account::Entity>()
            .load_one(id)
            .await?
            .map(Account))
    }
    /// 是否领导小组办公室所在单位 (hosts the leadership group's office)
    async fn leadership_office(&self) -> bool {
        self.0.leadership_office
    }
    /// 版本号，修改时用于并发控制 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 创建时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 修改时间 (updated at)
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// 归档时间，未归档为空 (archived at)
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
}

/// 账号 — a person's login or a service account.
#[derive(Clone)]
pub struct Account(pub account::Model);

/// 账号 — a person's login or a service account.
#[Object]
impl Account {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 用户名 (username)
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// 显示名称 (display name)
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// 账号类型 (kind)
    async fn kind(&self) -> AccountKind {
        self.0.kind
    }
    /// 角色 (roles)
    async fn roles(&self) -> Vec<Role> {
        crate::service::auth::roles_of(&self.0)
    }
    /// 角色赋予的权限，按名称排序，如 inspections.hazard.rectify；前端据此显示功能
    /// (the permissions its roles grant, sorted, e.g. `inspections.hazard.rectify`; what the
    /// front-end shows or hides; `me { permissions }` is the caller's own)
    async fn permissions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let roles = crate::service::auth::roles_of(&self.0);
        let table = kernel(ctx)?.tokens.permissions();
        Ok(table
            .permissions_of(&roles)
            .into_iter()
            .map(str::to_owned)
            .collect())
    }
    /// 所属组织 (org unit)
    async fn org_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        let Some(id) = self.0.org_unit_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<org_unit::Entity>()
            .load_one(id)
            .await?
            .map(OrgUnit))
    }
    /// 所属企业 (enterprise)
    async fn enterprise(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Enterprise>> {
        let Some(id) = self.0.enterprise_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<enterprise::Entity>()
            .load_one(id)
            .await?
            .map(Enterprise))
    }
    /// 手机号码（默认脱敏）(mobile number, masked unless permitted)
    async fn phone(&self, ctx: &Context<'_>) -> Option<String> {
        let full = principal(ctx).can(perms::PERSON_PII);
        self.0
            .phone
            .as_deref()
            .map(|p| if full { p.to_owned() } else { mask_phone(p) })
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 创建时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 停用时间，正常为空 (archived / disabled at)
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// 执法证；仅账号管理员和本人可见，其他人为空 (enforcement credential; shown to account
    /// managers and to the account itself, null to anyone else)
    async fn enforcement_credential(&self, ctx: &Context<'_>) -> Option<EnforcementCredential> {
        let p = principal(ctx);
        if !(p.can(perms::ACCOUNT_MANAGE) || p.account_id == Some(self.0.id)) {
            return None;
        }
        crate::service::account::credential_of(&self.0).map(|c| EnforcementCredential {
            valid_today: crate::service::account::credential_valid_on(
                Some(&c),
                jianan_kernel::calendar::today(),
            ),
            number: c.number,
            issuing_authority: c.issuing_authority,
            valid_until: Date(c.valid_until),
        })
    }
}

/// 执法证 — an enforcement credential (行政执法证件).
#[derive(async_graphql::SimpleObject)]
pub struct EnforcementCredential {
    /// 执法证号 (number)
    pub number: String,
    /// 发证机关 (issuing authority)
    pub issuing_authority: String,
    /// 有效期至，含当日 (valid until, inclusive)
    pub valid_until: Date,
    /// 今日（北京时间）是否有效 (valid today, Beijing time)
    pub valid_today: bool,
}

/// 企业 — an enterprise identified by its unified social credit code.
#[derive(Clone)]
pub struct Enterprise(pub enterprise::Model);

/// 企业 — an enterprise identified by its unified social credit code.
#[Object]
impl Enterprise {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 统一社会信用代码 (unified social credit code)
    async fn uscc(&self) -> &str {
        &self.0.uscc
    }
    /// 企业名称 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 企业类型 (kind)
    async fn kind(&self) -> EnterpriseKind {
        self.0.kind
    }
    /// 法定代表人 (legal representative)
    async fn legal_representative(&self) -> Option<&str> {
        self.0.legal_representative.as_deref()
    }
    /// 地址 (address)
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    /// 资质 (qualifications)
    async fn qualifications(&self) -> Vec<String> {
        serde_json::from_str(&self.0.qualifications).unwrap_or_default()
    }
    /// 安全生产许可证编号 (safety-production licence number)
    async fn licence_no(&self) -> Option<&str> {
        self.0.licence_no.as_deref()
    }
    /// 安全生产许可证有效期至 (licence valid until)
    async fn licence_expires_on(&self) -> Option<Date> {
        self.0.licence_expires_on.map(Date)
    }
    /// 附件（证照等）(attachments: licences, certificates)
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 创建时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 修改时间 (updated at)
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// 归档时间 (archived at)
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
}

/// 项目 — a construction project.
#[derive(Clone)]
pub struct Project(pub project::Model);

/// 项目 — a construction project.
#[Object]
impl Project {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 项目编号 (code)
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// 项目名称 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 所在乡镇（街道）(township or street)
    async fn township(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(loaders(ctx)?
            .by_id::<org_unit::Entity>()
            .load_one(self.0.township_id)
            .await?
            .map(OrgUnit))
    }
    /// 项目地址 (address)
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// 项目类型 (kind)
    async fn kind(&self) -> ProjectKind {
        self.0.kind
    }
    /// 项目状态 (status)
    async fn status(&self) -> ProjectStatus {
        self.0.status
    }
    /// 开工日期 (start date)
    async fn start_on(&self) -> Option<Date> {
        self.0.start_on.map(Date)
    }
    /// 计划竣工日期 (planned completion)
    async fn planned_end_on(&self) -> Option<Date> {
        self.0.planned_end_on.map(Date)
    }
    /// 位置（WGS-84 经纬度）(location, WGS-84)
    async fn location(&self) -> Option<jianan_kernel::geo::GeoPoint> {
        self.0
            .location_e6()
            .map(|(lon, lat)| jianan_kernel::geo::from_e6(lon, lat))
    }
    /// 参建单位 (participating enterprises)
    async fn participants(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ProjectParticipant>> {
        let list = loaders(ctx)?
            .grouped::<ParticipantsOfProject>()
            .load_one(self.0.id)
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(ProjectParticipant)
            .collect())
    }
    /// 关键岗位人员 (key persons)
    async fn key_persons(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<KeyPerson>> {
        let list = loaders(ctx)?
            .grouped::<PersonsOfProject>()
            .load_one(self.0.id)
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(KeyPerson)
            .collect())
    }
    /// 附件（照片、文件）(photos and documents)
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 登记时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 修改时间 (updated at)
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// 归档时间 (archived at)
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
}

/// 参建单位 — an enterprise taking part in a project, in one role.
pub struct ProjectParticipant(pub project_participant::Model);

/// 参建单位 — an enterprise taking part in a project, in one role.
#[Object]
impl ProjectParticipant {
    /// 参建角色 (role)
    async fn role(&self) -> ParticipantRole {
        self.0.role
    }
    /// 企业；不在可见范围内时为空 (the enterprise; null when outside the caller's scope)
    async fn enterprise(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Enterprise>> {
        Ok(loaders(ctx)?
            .by_id::<enterprise::Entity>()
            .load_one(self.0.enterprise_id)
            .await?
            .map(Enterprise))
    }
}

/// 关键岗位人员 — project leader, safety manager or chief supervisor.
pub struct KeyPerson(pub project_person::Model);

/// 关键岗位人员 — project leader, safety manager or chief supervisor.
#[Object]
impl KeyPerson {
    /// 岗位 (role)
    async fn role(&self) -> KeyPersonRole {
        self.0.role
    }
    /// 姓名 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 手机号码（默认脱敏）(mobile number, masked unless permitted)
    async fn phone(&self, ctx: &Context<'_>) -> Option<String> {
        let full = principal(ctx).can(perms::PERSON_PII);
        self.0
            .phone
            .as_deref()
            .map(|p| if full { p.to_owned() } else { mask_phone(p) })
    }
    /// 身份证号码（默认脱敏）(resident ID number, masked unless permitted)
    async fn id_card(&self, ctx: &Context<'_>) -> Option<String> {
        let full = principal(ctx).can(perms::PERSON_PII);
        self.0
            .id_card
            .as_deref()
            .map(|p| if full { p.to_owned() } else { mask_id_card(p) })
    }
    /// 所属企业 (enterprise)
    async fn enterprise(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Enterprise>> {
        let Some(id) = self.0.enterprise_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<enterprise::Entity>()
            .load_one(id)
            .await?
            .map(Enterprise))
    }
}

jianan_kernel::node_record!(OrgUnit, org_unit::Entity, perms::ORG_UNIT_READ);
jianan_kernel::node_record!(Enterprise, enterprise::Entity, perms::ENTERPRISE_READ);
jianan_kernel::node_record!(Project, project::Entity, perms::PROJECT_READ);

/// Accounts are read by holders of `registry.account.read`; everyone reads their own.
impl NodeRecord for Account {
    const TYPE_NAME: &'static str = <account::Entity as jianan_kernel::loader::Record>::TYPE_NAME;
    fn load<'a>(
        ctx: &'a Context<'_>,
        ids: Vec<Uuid>,
    ) -> BoxFuture<'a, AppResult<Vec<(Uuid, Self)>>> {
        Box::pin(async move {
            let p = principal(ctx);
            let ids: Vec<Uuid> = if p.can(perms::ACCOUNT_READ) {
                ids
            } else {
                ids.into_iter()
                    .filter(|id| p.account_id == Some(*id))
                    .collect()
            };
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let rows = account::Entity::find()
                .filter(account::Column::Id.is_in(ids))
                .all(&kernel(ctx)?.db.conn)
                .await?;
            Ok(rows.into_iter().map(|a| (a.id, Account(a))).collect())
        })
    }
}

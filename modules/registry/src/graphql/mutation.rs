//! Registry mutations: `verbNoun(input): VerbNounPayload` (docs/api-conventions.md).
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, request_info};
use jianan_kernel::relay::decode_id;

use super::inputs::{
    ArchiveInput, ClearEnforcementCredentialInput, CreateAccountInput, CreateEnterpriseInput,
    CreateOrgUnitInput, CreateProjectInput, IssueServiceTokenInput, LoginInput, RefreshTokenInput,
    SetEnforcementCredentialInput, UpdateAccountInput, UpdateEnterpriseInput, UpdateOrgUnitInput,
    UpdateProjectInput,
};
use super::types::{Account, Enterprise, OrgUnit, Project};
use crate::perms;
use crate::service::auth::{self, Tokens};
use crate::service::{account, enterprise, org_unit, project};

/// Tokens returned by `login`, `refreshToken` and `issueServiceToken`.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// 访问令牌（JWT，15分钟有效），放在 Authorization: Bearer 头中 (access token)
    pub access_token: String,
    /// 刷新令牌，只能使用一次 (refresh token, single use; null for service accounts)
    pub refresh_token: Option<String>,
    /// 访问令牌过期时间 (access token expiry)
    pub expires_at: DateTime<Utc>,
    /// 登录的账号 (the account)
    pub account: Account,
}

impl From<Tokens> for AuthPayload {
    fn from(t: Tokens) -> Self {
        AuthPayload {
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            expires_at: t.expires_at,
            account: Account(t.account),
        }
    }
}

/// Result of `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// 是否成功 (always true: logging out twice is fine)
    pub ok: bool,
}

macro_rules! payload {
    ($name:ident, $field:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(SimpleObject)]
        pub struct $name {
            #[doc = "变更后的记录 (the record after the change)"]
            pub $field: $ty,
        }
    };
}
payload!(
    CreateOrgUnitPayload,
    org_unit,
    OrgUnit,
    "Result of `createOrgUnit`."
);
payload!(
    UpdateOrgUnitPayload,
    org_unit,
    OrgUnit,
    "Result of `updateOrgUnit`."
);
payload!(
    ArchiveOrgUnitPayload,
    org_unit,
    OrgUnit,
    "Result of `archiveOrgUnit`."
);
payload!(
    CreateAccountPayload,
    account,
    Account,
    "Result of `createAccount`."
);
payload!(
    UpdateAccountPayload,
    account,
    Account,
    "Result of `updateAccount`."
);
payload!(
    ArchiveAccountPayload,
    account,
    Account,
    "Result of `archiveAccount`."
);
payload!(
    SetEnforcementCredentialPayload,
    account,
    Account,
    "Result of `setEnforcementCredential`."
);
payload!(
    ClearEnforcementCredentialPayload,
    account,
    Account,
    "Result of `clearEnforcementCredential`."
);
payload!(
    CreateEnterprisePayload,
    enterprise,
    Enterprise,
    "Result of `createEnterprise`."
);
payload!(
    UpdateEnterprisePayload,
    enterprise,
    Enterprise,
    "Result of `updateEnterprise`."
);
payload!(
    ArchiveEnterprisePayload,
    enterprise,
    Enterprise,
    "Result of `archiveEnterprise`."
);
payload!(
    CreateProjectPayload,
    project,
    Project,
    "Result of `createProject`."
);
payload!(
    UpdateProjectPayload,
    project,
    Project,
    "Result of `updateProject`."
);
payload!(
    ArchiveProjectPayload,
    project,
    Project,
    "Result of `archiveProject`."
);

/// Registry mutations.
#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// 用户名密码登录 (password login)
    async fn login(
        &self,
        ctx: &Context<'_>,
        input: LoginInput,
    ) -> async_graphql::Result<AuthPayload> {
        let k = kernel(ctx)?;
        Ok(
            auth::login(k, &request_info(ctx), &input.username, &input.password)
                .await?
                .into(),
        )
    }

    /// 用刷新令牌换取新令牌；旧刷新令牌随即失效，重复使用将注销整个登录 (rotate tokens)
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        input: RefreshTokenInput,
    ) -> async_graphql::Result<AuthPayload> {
        let k = kernel(ctx)?;
        Ok(auth::refresh(k, &request_info(ctx), &input.refresh_token)
            .await?
            .into())
    }

    /// 退出登录：注销该刷新令牌所属的整个登录 (log out)
    async fn logout(
        &self,
        ctx: &Context<'_>,
        input: RefreshTokenInput,
    ) -> async_graphql::Result<LogoutPayload> {
        let k = kernel(ctx)?;
        auth::logout(k, &request_info(ctx), &input.refresh_token).await?;
        Ok(LogoutPayload { ok: true })
    }

    /// 服务账号以客户端凭据取得访问令牌 (client-credentials grant for service accounts)
    async fn issue_service_token(
        &self,
        ctx: &Context<'_>,
        input: IssueServiceTokenInput,
    ) -> async_graphql::Result<AuthPayload> {
        let k = kernel(ctx)?;
        Ok(auth::client_credentials(
            k,
            &request_info(ctx),
            &input.client_id,
            &input.client_secret,
        )
        .await?
        .into())
    }

    /// 新建组织 (create an org unit)
    #[graphql(guard = "Permission(perms::ORG_UNIT_MANAGE)")]
    async fn create_org_unit(
        &self,
        ctx: &Context<'_>,
        input: CreateOrgUnitInput,
    ) -> async_graphql::Result<CreateOrgUnitPayload> {
        let k = kernel(ctx)?;
        Ok(CreateOrgUnitPayload {
            org_unit: OrgUnit(org_unit::create(k, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 修改组织 (update an org unit)
    #[graphql(guard = "Permission(perms::ORG_UNIT_MANAGE)")]
    async fn update_org_unit(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrgUnitInput,
    ) -> async_graphql::Result<UpdateOrgUnitPayload> {
        let k = kernel(ctx)?;
        Ok(UpdateOrgUnitPayload {
            org_unit: OrgUnit(org_unit::update(k, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 归档组织 (archive an org unit)
    #[graphql(guard = "Permission(perms::ORG_UNIT_MANAGE)")]
    async fn archive_org_unit(
        &self,
        ctx: &Context<'_>,
        input: ArchiveInput,
    ) -> async_graphql::Result<ArchiveOrgUnitPayload> {
        let k = kernel(ctx)?;
        let id = decode_id(&input.id, "OrgUnit", "id")?;
        Ok(ArchiveOrgUnitPayload {
            org_unit: OrgUnit(
                org_unit::archive(k, &request_info(ctx), id, input.expected_version).await?,
            ),
        })
    }

    /// 新建账号 (create an account)
    #[graphql(guard = "Permission(perms::ACCOUNT_MANAGE)")]
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: CreateAccountInput,
    ) -> async_graphql::Result<CreateAccountPayload> {
        let k = kernel(ctx)?;
        Ok(CreateAccountPayload {
            account: Account(account::create(k, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 修改账号 (update an account)
    #[graphql(guard = "Permission(perms::ACCOUNT_MANAGE)")]
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        input: UpdateAccountInput,
    ) -> async_graphql::Result<UpdateAccountPayload> {
        let k = kernel(ctx)?;
        Ok(UpdateAccountPayload {
            account: Account(account::update(k, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 停用账号 (archive / disable an account)
    #[graphql(guard = "Permission(perms::ACCOUNT_MANAGE)")]
    async fn archive_account(
        &self,
        ctx: &Context<'_>,
        input: ArchiveInput,
    ) -> async_graphql::Result<ArchiveAccountPayload> {
        let k = kernel(ctx)?;
        let id = decode_id(&input.id, "Account", "id")?;
        Ok(ArchiveAccountPayload {
            account: Account(
                account::archive(k, &request_info(ctx), id, input.expected_version).await?,
            ),
        })
    }

    /// 登记或更换账号的执法证（证号、发证机关、有效期）；只有持有效执法证的人员可列入双随机抽查的
    /// 执法检查人员名录 (record or replace an account's enforcement credential; only holders of a
    /// valid one may be in a double-random draw's inspector pool)
    #[graphql(guard = "Permission(perms::ACCOUNT_MANAGE)")]
    async fn set_enforcement_credential(
        &self,
        ctx: &Context<'_>,
        input: SetEnforcementCredentialInput,
    ) -> async_graphql::Result<SetEnforcementCredentialPayload> {
        let k = kernel(ctx)?;
        Ok(SetEnforcementCredentialPayload {
            account: Account(
                account::change_credential(k, &request_info(ctx), input.try_into()?).await?,
            ),
        })
    }

    /// 注销账号的执法证（如调离执法岗位）(clear an account's enforcement credential)
    #[graphql(guard = "Permission(perms::ACCOUNT_MANAGE)")]
    async fn clear_enforcement_credential(
        &self,
        ctx: &Context<'_>,
        input: ClearEnforcementCredentialInput,
    ) -> async_graphql::Result<ClearEnforcementCredentialPayload> {
        let k = kernel(ctx)?;
        Ok(ClearEnforcementCredentialPayload {
            account: Account(
                account::change_credential(k, &request_info(ctx), input.try_into()?).await?,
            ),
        })
    }

    /// 登记企业 (register an enterprise)
    #[graphql(guard = "Permission(perms::ENTERPRISE_MANAGE)")]
    async fn create_enterprise(
        &self,
        ctx: &Context<'_>,
        input: CreateEnterpriseInput,
    ) -> async_graphql::Result<CreateEnterprisePayload> {
        let k = kernel(ctx)?;
        Ok(CreateEnterprisePayload {
            enterprise: Enterprise(enterprise::create(k, &request_info(ctx), input.into()).await?),
        })
    }

    /// 修改企业信息 (update an enterprise)
    #[graphql(guard = "Permission(perms::ENTERPRISE_MANAGE)")]
    async fn update_enterprise(
        &self,
        ctx: &Context<'_>,
        input: UpdateEnterpriseInput,
    ) -> async_graphql::Result<UpdateEnterprisePayload> {
        let k = kernel(ctx)?;
        Ok(UpdateEnterprisePayload {
            enterprise: Enterprise(
                enterprise::update(k, &request_info(ctx), input.try_into()?).await?,
            ),
        })
    }

    /// 归档企业 (archive an enterprise)
    #[graphql(guard = "Permission(perms::ENTERPRISE_MANAGE)")]
    async fn archive_enterprise(
        &self,
        ctx: &Context<'_>,
        input: ArchiveInput,
    ) -> async_graphql::Result<ArchiveEnterprisePayload> {
        let k = kernel(ctx)?;
        let id = decode_id(&input.id, "Enterprise", "id")?;
        Ok(ArchiveEnterprisePayload {
            enterprise: Enterprise(
                enterprise::archive(k, &request_info(ctx), id, input.expected_version).await?,
            ),
        })
    }

    /// 登记项目 (register a project)
    #[graphql(guard = "Permission(perms::PROJECT_MANAGE)")]
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> async_graphql::Result<CreateProjectPayload> {
        let k = kernel(ctx)?;
        Ok(CreateProjectPayload {
            project: Project(project::create(k, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 修改项目；企业用户只能修改本企业参建的项目 (update a project within the caller's scope)
    #[graphql(guard = "Permission(perms::PROJECT_UPDATE)")]
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectInput,
    ) -> async_graphql::Result<UpdateProjectPayload> {
        let k = kernel(ctx)?;
        Ok(UpdateProjectPayload {
            project: Project(project::update(k, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 归档项目 (archive a project)
    #[graphql(guard = "Permission(perms::PROJECT_MANAGE)")]
    async fn archive_project(
        &self,
        ctx: &Context<'_>,
        input: ArchiveInput,
    ) -> async_graphql::Result<ArchiveProjectPayload> {
        let k = kernel(ctx)?;
        let id = decode_id(&input.id, "Project", "id")?;
        Ok(ArchiveProjectPayload {
            project: Project(
                project::archive(k, &request_info(ctx), id, input.expected_version).await?,
            ),
        })
    }
}

//! Registry queries: lists are keyset-paginated connections, scoped in the kernel.
use std::collections::HashSet;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use jianan_entity::enums::{EnterpriseKind, OrgUnitKind, ProjectKind, ProjectStatus};
use jianan_entity::{account, enterprise, org_unit, project};
use jianan_kernel::graphql::AttachmentsByOwner;
use jianan_kernel::list;
use jianan_kernel::loader::{loaders, node_selects};
use jianan_kernel::principal::{Authenticated, Permission, Role, principal};
use jianan_kernel::relay::{
    KeysetOrder, OrderDirection, PageArgs, RelayConnection, SortValue, decode_id,
};
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppError, kernel};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::types::{
    Account, Enterprise, OrgUnit, ParticipantsOfProject, PersonsOfProject, Project,
};
use crate::perms;
use crate::uscc;

/// 组织筛选 — filter of `orgUnits`.
#[derive(InputObject, Default)]
pub struct OrgUnitFilter {
    /// 类型 (kinds)
    pub kinds: Option<Vec<OrgUnitKind>>,
    /// 上级组织 (parent)
    pub parent_id: Option<ID>,
    /// 名称包含 (name contains)
    pub search: Option<String>,
    /// 包含已归档 (include archived)
    #[graphql(default)]
    pub include_archived: bool,
}

/// 企业筛选 — filter of `enterprises`.
#[derive(InputObject, Default)]
pub struct EnterpriseFilter {
    /// 企业类型 (kinds)
    pub kinds: Option<Vec<EnterpriseKind>>,
    /// 名称或信用代码包含 (name or code contains)
    pub search: Option<String>,
    /// 包含已归档 (include archived)
    #[graphql(default)]
    pub include_archived: bool,
}

/// 企业排序字段 — enterprise sort field.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum EnterpriseOrderField {
    /// 按名称 (by name)
    #[default]
    Name,
    /// 按统一社会信用代码 (by code)
    Uscc,
    /// 按登记时间 (by registration time)
    CreatedAt,
}

/// 企业排序 — enterprise ordering.
#[derive(InputObject, Default)]
pub struct EnterpriseOrder {
    /// 字段 (field)
    pub field: EnterpriseOrderField,
    /// 方向 (direction)
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// 项目筛选 — filter of `projects`.
#[derive(InputObject, Default)]
pub struct ProjectFilter {
    /// 所在乡镇（街道）(township or street)
    pub township_id: Option<ID>,
    /// 状态 (statuses)
    pub statuses: Option<Vec<ProjectStatus>>,
    /// 类型 (kinds)
    pub kinds: Option<Vec<ProjectKind>>,
    /// 参建企业 (participating enterprise)
    pub enterprise_id: Option<ID>,
    /// 名称或编号包含 (name or code contains)
    pub search: Option<String>,
    /// 包含已归档 (include archived)
    #[graphql(default)]
    pub include_archived: bool,
}

/// 项目排序字段 — project sort field.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProjectOrderField {
    /// 按项目编号 (by code)
    #[default]
    Code,
    /// 按名称 (by name)
    Name,
    /// 按登记时间 (by registration time)
    CreatedAt,
}

/// 项目排序 — project ordering.
#[derive(InputObject, Default)]
pub struct ProjectOrder {
    /// 字段 (field)
    pub field: ProjectOrderField,
    /// 方向 (direction)
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// 账号筛选 — filter of `accounts`.
#[derive(InputObject, Default)]
pub struct AccountFilter {
    /// 角色 (role)
    pub role: Option<Role>,
    /// 所属组织 (org unit)
    pub org_unit_id: Option<ID>,
    /// 所属企业 (enterprise)
    pub enterprise_id: Option<ID>,
    /// 用户名或显示名称包含 (username or display name contains)
    pub search: Option<String>,
    /// 包含已停用 (include archived)
    #[graphql(default)]
    pub include_archived: bool,
}

fn search_term(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Registry queries.
#[derive(Default)]
pub struct RegistryQuery;

#[Object]
impl RegistryQuery {
    /// 当前登录账号 (the caller's own account)
    #[graphql(guard = "Authenticated")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Account> {
        let k = kernel(ctx)?;
        let id = principal(ctx).require_account()?;
        let a = account::Entity::find_by_id(id)
            .one(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(Account(a.ok_or_else(|| AppError::not_found("账号"))?))
    }

    /// 组织机构列表，按代码排序 (org units, ordered by code)
    #[graphql(
        guard = "Permission(perms::ORG_UNIT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn org_units(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<OrgUnitFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<OrgUnit>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<org_unit::Entity>(&principal(ctx));
        if !f.include_archived {
            select = select.filter(org_unit::Column::ArchivedAt.is_null());
        }
        if let Some(kinds) = f.kinds {
            select = select.filter(org_unit::Column::Kind.is_in(kinds));
        }
        if let Some(p) = &f.parent_id {
            select =
                select.filter(org_unit::Column::ParentId.eq(decode_id(p, "OrgUnit", "parentId")?));
        }
        if let Some(s) = search_term(&f.search) {
            select = select.filter(org_unit::Column::Name.contains(&s));
        }
        let order = KeysetOrder::<org_unit::Entity> {
            column: org_unit::Column::Code,
            id_column: org_unit::Column::Id,
            descending: false,
            key: |m| (SortValue::Str(m.code.clone()), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<org_unit::Entity>(ctx, "parent", |m| m.parent_id)
            .await?;
        Ok(page.connection(OrgUnit))
    }

    /// 账号列表，按用户名排序 (accounts, ordered by username)
    #[graphql(
        guard = "Permission(perms::ACCOUNT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<AccountFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Account>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<account::Entity>(&principal(ctx));
        if !f.include_archived {
            select = select.filter(account::Column::ArchivedAt.is_null());
        }
        if let Some(r) = f.role {
            select = select.filter(account::Column::Roles.contains(format!("\"{}\"", r.as_str())));
        }
        if let Some(o) = &f.org_unit_id {
            select =
                select.filter(account::Column::OrgUnitId.eq(decode_id(o, "OrgUnit", "orgUnitId")?));
        }
        if let Some(e) = &f.enterprise_id {
            select = select.filter(account::Column::EnterpriseId.eq(decode_id(
                e,
                "Enterprise",
                "enterpriseId",
            )?));
        }
        if let Some(s) = search_term(&f.search) {
            select = select.filter(
                Condition::any()
                    .add(account::Column::Username.contains(&s))
                    .add(account::Column::DisplayName.contains(&s)),
            );
        }
        let order = KeysetOrder::<account::Entity> {
            column: account::Column::Username,
            id_column: account::Column::Id,
            descending: false,
            key: |m| (SortValue::Str(m.username.clone()), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<org_unit::Entity>(ctx, "orgUnit", |m| m.org_unit_id)
            .await?;
        page.prime::<enterprise::Entity>(ctx, "enterprise", |m| m.enterprise_id)
            .await?;
        Ok(page.connection(Account))
    }

    /// 企业列表 (enterprises)
    #[graphql(
        guard = "Permission(perms::ENTERPRISE_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn enterprises(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<EnterpriseFilter>,
        #[graphql(
            desc = "排序，默认顺序见字段说明 (order; the default is in the field's description)"
        )]
        order_by: Option<EnterpriseOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Enterprise>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<enterprise::Entity>(&principal(ctx));
        if !f.include_archived {
            select = select.filter(enterprise::Column::ArchivedAt.is_null());
        }
        if let Some(kinds) = f.kinds {
            select = select.filter(enterprise::Column::Kind.is_in(kinds));
        }
        if let Some(s) = search_term(&f.search) {
            select = select.filter(
                Condition::any()
                    .add(enterprise::Column::Name.contains(&s))
                    .add(enterprise::Column::Uscc.contains(s.to_uppercase())),
            );
        }
        let o = order_by.unwrap_or_default();
        let descending = o.direction == OrderDirection::Desc;
        let order = match o.field {
            EnterpriseOrderField::Name => KeysetOrder::<enterprise::Entity> {
                column: enterprise::Column::Name,
                id_column: enterprise::Column::Id,
                descending,
                key: |m| (SortValue::Str(m.name.clone()), m.id),
            },
            EnterpriseOrderField::Uscc => KeysetOrder {
                column: enterprise::Column::Uscc,
                id_column: enterprise::Column::Id,
                descending,
                key: |m: &enterprise::Model| (SortValue::Str(m.uscc.clone()), m.id),
            },
            EnterpriseOrderField::CreatedAt => KeysetOrder {
                column: enterprise::Column::CreatedAt,
                id_column: enterprise::Column::Id,
                descending,
                key: |m: &enterprise::Model| (SortValue::Time(m.created_at), m.id),
            },
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime_grouped::<AttachmentsByOwner>(ctx, "attachments")
            .await?;
        Ok(page.connection(Enterprise))
    }

    /// 按统一社会信用代码查企业 (an enterprise by its unified social credit code)
    #[graphql(guard = "Permission(perms::ENTERPRISE_READ)")]
    async fn enterprise(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "统一社会信用代码")] uscc: String,
    ) -> async_graphql::Result<Option<Enterprise>> {
        let k = kernel(ctx)?;
        let code = uscc::normalize(&uscc);
        let e = scoped::<enterprise::Entity>(&principal(ctx))
            .filter(enterprise::Column::Uscc.eq(code))
            .one(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(e.map(Enterprise))
    }

    /// 项目列表；企业用户只看到本企业参建的项目，乡镇用户只看到本乡镇的项目
    /// (projects; enterprise users see their own, township staff their township's)
    #[graphql(
        guard = "Permission(perms::PROJECT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<ProjectFilter>,
        #[graphql(
            desc = "排序，默认顺序见字段说明 (order; the default is in the field's description)"
        )]
        order_by: Option<ProjectOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Project>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<project::Entity>(&principal(ctx));
        if !f.include_archived {
            select = select.filter(project::Column::ArchivedAt.is_null());
        }
        if let Some(t) = &f.township_id {
            select = select.filter(project::Column::TownshipId.eq(decode_id(
                t,
                "OrgUnit",
                "townshipId",
            )?));
        }
        if let Some(st) = f.statuses {
            select = select.filter(project::Column::Status.is_in(st));
        }
        if let Some(kinds) = f.kinds {
            select = select.filter(project::Column::Kind.is_in(kinds));
        }
        if let Some(e) = &f.enterprise_id {
            let e = decode_id(e, "Enterprise", "enterpriseId")?;
            select = select.filter(
                project::Column::Id.in_subquery(
                    Query::select()
                        .column(jianan_entity::project_participant::Column::ProjectId)
                        .from(jianan_entity::project_participant::Entity)
                        .and_where(jianan_entity::project_participant::Column::EnterpriseId.eq(e))
                        .to_owned(),
                ),
            );
        }
        if let Some(s) = search_term(&f.search) {
            select = select.filter(
                Condition::any()
                    .add(project::Column::Name.contains(&s))
                    .add(project::Column::Code.contains(&s)),
            );
        }
        let o = order_by.unwrap_or_default();
        let descending = o.direction == OrderDirection::Desc;
        let order = match o.field {
            ProjectOrderField::Code => KeysetOrder::<project::Entity> {
                column: project::Column::Code,
                id_column: project::Column::Id,
                descending,
                key: |m| (SortValue::Str(m.code.clone()), m.id),
            },
            ProjectOrderField::Name => KeysetOrder {
                column: project::Column::Name,
                id_column: project::Column::Id,
                descending,
                key: |m: &project::Model| (SortValue::Str(m.name.clone()), m.id),
            },
            ProjectOrderField::CreatedAt => KeysetOrder {
                column: project::Column::CreatedAt,
                id_column: project::Column::Id,
                descending,
                key: |m: &project::Model| (SortValue::Time(m.created_at), m.id),
            },
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        prime_project_page(ctx, page.rows()).await?;
        Ok(page.connection(Project))
    }

    /// 按项目编号查项目 (a project by its code)
    #[graphql(guard = "Permission(perms::PROJECT_READ)")]
    async fn project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "项目编号")] code: String,
    ) -> async_graphql::Result<Option<Project>> {
        let k = kernel(ctx)?;
        let p = scoped::<project::Entity>(&principal(ctx))
            .filter(project::Column::Code.eq(code.trim()))
            .one(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(p.map(Project))
    }
}

/// Loads what the client selected below a page of projects, one statement per relation, so the
/// page costs the same number of statements whatever its size (STYLE.md, "Performance traps").
async fn prime_project_page<'a>(
    ctx: &Context<'_>,
    rows: impl Iterator<Item = &'a project::Model>,
) -> async_graphql::Result<()> {
    let l = loaders(ctx)?;
    let rows: Vec<&project::Model> = rows.collect();
    let ids: Vec<_> = rows.iter().map(|m| m.id).collect();
    if node_selects(ctx, &["township"]) {
        let t: HashSet<_> = rows.iter().map(|m| m.township_id).collect();
        l.by_id::<org_unit::Entity>().load_many(t).await?;
    }
    let mut enterprises = HashSet::new();
    if node_selects(ctx, &["participants"]) {
        let groups = l.prime_grouped::<ParticipantsOfProject>(&ids).await?;
        if node_selects(ctx, &["participants", "enterprise"]) {
            enterprises.extend(groups.values().flatten().map(|p| p.enterprise_id));
        }
    }
    if node_selects(ctx, &["keyPersons"]) {
        let groups = l.prime_grouped::<PersonsOfProject>(&ids).await?;
        if node_selects(ctx, &["keyPersons", "enterprise"]) {
            enterprises.extend(groups.values().flatten().filter_map(|p| p.enterprise_id));
        }
    }
    if !enterprises.is_empty() {
        l.by_id::<enterprise::Entity>()
            .load_many(enterprises)
            .await?;
    }
    if node_selects(ctx, &["attachments"]) {
        l.prime_grouped::<AttachmentsByOwner>(&ids).await?;
    }
    Ok(())
}

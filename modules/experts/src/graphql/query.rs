//! Experts queries: lists within the caller's scope, paged by the kernel's list helper.
use async_graphql::{Context, ID, InputObject, Object};
use jianan_entity::project;
use jianan_kernel::AppError;
use jianan_kernel::list;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::{
    KeysetOrder, PageArgs, RelayConnection, SortValue, decode_any, decode_id,
};
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, QueryFilter};

use super::types::{
    self, ChiefEngineer, DangerousWork, Expert, ExpertAssignment, ExpertCheck, ExpertDraw,
    ExpertServiceRequest, ExpertStatistics, ExpertVisit, SchemeReview,
};
use crate::entity::enums::{AssignmentStatus, ExpertStatus, ServiceRequestStatus, Specialty};
use crate::entity::{
    assignment, dangerous_work, draw, expert, scheme_review, service_request, visit,
};
use crate::entity::{chief_engineer, expert_check};
use crate::perms;
use jianan_kernel::scalars::Date;

/// 筛选 — filter of `experts`.
#[derive(InputObject, Default)]
pub struct ExpertFilter {
    /// 专业领域 (specialty)
    pub specialty: Option<Specialty>,
    /// 状态 (statuses)
    pub statuses: Option<Vec<ExpertStatus>>,
    /// 姓名，完全匹配 (name, exact)
    pub name: Option<String>,
}

/// 筛选 — filter of `expert_service_requests`.
#[derive(InputObject, Default)]
pub struct ExpertServiceRequestFilter {
    /// 项目全局编号 (project)
    pub project_id: Option<ID>,
    /// 状态 (statuses)
    pub statuses: Option<Vec<ServiceRequestStatus>>,
}

/// 筛选 — filter of `expert_draws`.
#[derive(InputObject, Default)]
pub struct ExpertDrawFilter {
    /// 任务全局编号 (subject: ExpertServiceRequest or SchemeReview)
    pub subject_id: Option<ID>,
}

/// 筛选 — filter of `expert_assignments`.
#[derive(InputObject, Default)]
pub struct ExpertAssignmentFilter {
    /// 专家全局编号 (expert)
    pub expert_id: Option<ID>,
    /// 状态 (statuses)
    pub statuses: Option<Vec<AssignmentStatus>>,
}

/// 筛选 — filter of `expert_visits`.
#[derive(InputObject, Default)]
pub struct ExpertVisitFilter {
    /// 项目全局编号 (project)
    pub project_id: Option<ID>,
    /// 整改跟踪是否完成 (follow-up done)
    pub follow_up_done: Option<bool>,
}

/// 筛选 — filter of `dangerous_works`.
#[derive(InputObject, Default)]
pub struct DangerousWorkFilter {
    /// 项目全局编号 (project)
    pub project_id: Option<ID>,
    /// 是否超过一定规模 (beyond a certain scale)
    pub beyond_scale: Option<bool>,
}

/// 筛选 — filter of `scheme_reviews`.
#[derive(InputObject, Default)]
pub struct SchemeReviewFilter {
    /// 项目全局编号 (project)
    pub project_id: Option<ID>,
}

/// The experts query root.
#[derive(Default)]
pub struct ExpertsQuery;

/// 专家服务 — queries of the experts module.
#[Object]
impl ExpertsQuery {
    /// 专家库（按可见范围），最新入库的在前 (the expert library within the caller's scope)
    #[graphql(
        guard = "Permission(perms::EXPERT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn experts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<ExpertFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Expert>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<expert::Entity>(&principal(ctx));
        if let Some(s) = &f.specialty {
            select = select.filter(
                expert::Column::Specialties
                    .like(format!("%,{},%", crate::service::library::code(s))),
            );
        }
        if let Some(s) = f.statuses {
            select = select.filter(expert::Column::Status.is_in(s));
        }
        if let Some(n) = &f.name {
            select = select.filter(expert::Column::Name.eq(n.trim()));
        }
        let order = KeysetOrder::<expert::Entity> {
            column: expert::Column::CreatedAt,
            id_column: expert::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime_grouped::<types::CertificatesOfExpert>(ctx, "certificates")
            .await?;
        page.prime_grouped::<types::CertificatesOfExpert>(ctx, "hasExpiringCertificate")
            .await?;
        page.prime_grouped::<types::AssignmentsOfExpert>(ctx, "rating")
            .await?;
        Ok(page.connection(Expert))
    }

    /// 专家服务申请（按可见范围），最新的在前 (service requests within the caller's scope)
    #[graphql(
        guard = "Permission(perms::REQUEST_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn expert_service_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<ExpertServiceRequestFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<ExpertServiceRequest>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<service_request::Entity>(&principal(ctx));
        if let Some(p) = &f.project_id {
            select = select.filter(service_request::Column::ProjectId.eq(decode_id(
                p,
                "Project",
                "projectId",
            )?));
        }
        if let Some(s) = f.statuses {
            select = select.filter(service_request::Column::Status.is_in(s));
        }
        let order = KeysetOrder::<service_request::Entity> {
            column: service_request::Column::CreatedAt,
            id_column: service_request::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
            .await?;
        page.prime_grouped::<types::AssignmentsOfSubject>(ctx, "assignments")
            .await?;
        Ok(page.connection(ExpertServiceRequest))
    }

    /// 专家随机抽取，最新的在前 (draws)
    #[graphql(
        guard = "Permission(perms::DRAW_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn expert_draws(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<ExpertDrawFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<ExpertDraw>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<draw::Entity>(&principal(ctx));
        if let Some(s) = &f.subject_id {
            let (_, id) =
                decode_any(s).ok_or_else(|| AppError::bad_input("subjectId", "全局编号无效"))?;
            select = select.filter(draw::Column::SubjectId.eq(id));
        }
        let order = KeysetOrder::<draw::Entity> {
            column: draw::Column::CreatedAt,
            id_column: draw::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
            .await?;
        Ok(page.connection(ExpertDraw))
    }

    /// 专家任务（按可见范围；专家本人仅见本人的），最新的在前 (assignments within the caller's scope)
    #[graphql(
        guard = "Permission(perms::ASSIGNMENT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn expert_assignments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<ExpertAssignmentFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<ExpertAssignment>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<assignment::Entity>(&principal(ctx));
        if let Some(e) = &f.expert_id {
            select =
                select.filter(assignment::Column::ExpertId.eq(decode_id(e, "Expert", "expertId")?));
        }
        if let Some(s) = f.statuses {
            select = select.filter(assignment::Column::Status.is_in(s));
        }
        let order = KeysetOrder::<assignment::Entity> {
            column: assignment::Column::CreatedAt,
            id_column: assignment::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
            .await?;
        page.prime::<expert::Entity>(ctx, "expert", |m| Some(m.expert_id))
            .await?;
        Ok(page.connection(ExpertAssignment))
    }

    /// 专家服务记录（按可见范围），最新的在前 (visits within the caller's scope)
    #[graphql(
        guard = "Permission(perms::VISIT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn expert_visits(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<ExpertVisitFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<ExpertVisit>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<visit::Entity>(&principal(ctx));
        if let Some(p) = &f.project_id {
            select =
                select.filter(visit::Column::ProjectId.eq(decode_id(p, "Project", "projectId")?));
        }
        if let Some(d) = f.follow_up_done {
            select = select.filter(if d {
                visit::Column::ClosedAt.is_not_null()
            } else {
                visit::Column::ClosedAt.is_null()
            });
        }
        let order = KeysetOrder::<visit::Entity> {
            column: visit::Column::CreatedAt,
            id_column: visit::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
            .await?;
        page.prime::<service_request::Entity>(ctx, "request", |m| Some(m.request_id))
            .await?;
        page.prime_grouped::<types::FindingsOfVisit>(ctx, "findings")
            .await?;
        Ok(page.connection(ExpertVisit))
    }

    /// 危大工程清单（按可见范围），最新的在前 (dangerous sub-projects within the caller's scope)
    #[graphql(
        guard = "Permission(perms::REVIEW_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn dangerous_works(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<DangerousWorkFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<DangerousWork>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<dangerous_work::Entity>(&principal(ctx));
        if let Some(p) = &f.project_id {
            select = select.filter(dangerous_work::Column::ProjectId.eq(decode_id(
                p,
                "Project",
                "projectId",
            )?));
        }
        if let Some(b) = f.beyond_scale {
            select = select.filter(dangerous_work::Column::BeyondScale.eq(b));
        }
        let order = KeysetOrder::<dangerous_work::Entity> {
            column: dangerous_work::Column::CreatedAt,
            id_column: dangerous_work::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
            .await?;
        Ok(page.connection(DangerousWork))
    }

    /// 专项方案专家论证（按可见范围），最新的在前 (scheme reviews within the caller's scope)
    #[graphql(
        guard = "Permission(perms::REVIEW_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn scheme_reviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<SchemeReviewFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<SchemeReview>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<scheme_review::Entity>(&principal(ctx));
        if let Some(p) = &f.project_id {
            select = select.filter(scheme_review::Column::ProjectId.eq(decode_id(
                p,
                "Project",
                "projectId",
            )?));
        }
        let order = KeysetOrder::<scheme_review::Entity> {
            column: scheme_review::Column::CreatedAt,
            id_column: scheme_review::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
            .await?;
        page.prime::<dangerous_work::Entity>(ctx, "dangerousWork", |m| Some(m.dangerous_work_id))
            .await?;
        page.prime_grouped::<types::AssignmentsOfSubject>(ctx, "assignments")
            .await?;
        Ok(page.connection(SchemeReview))
    }

    /// 重点时段专家检查安排，最新的在前 (expert checks, newest first)
    #[graphql(
        guard = "Permission(perms::CHECK_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn expert_checks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<ExpertCheck>> {
        let select = scoped::<expert_check::Entity>(&principal(ctx));
        let order = KeysetOrder::<expert_check::Entity> {
            column: expert_check::Column::CreatedAt,
            id_column: expert_check::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        Ok(page.connection(ExpertCheck))
    }

    /// 企业总工程师登记（企业仅见本企业）(chief-engineer register; an enterprise sees its own)
    #[graphql(
        guard = "Permission(perms::CHIEF_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn chief_engineers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<ChiefEngineer>> {
        let select = scoped::<chief_engineer::Entity>(&principal(ctx));
        let order = KeysetOrder::<chief_engineer::Entity> {
            column: chief_engineer::Column::CreatedAt,
            id_column: chief_engineer::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        Ok(page.connection(ChiefEngineer))
    }

    /// 专家服务统计（服务日期在区间内的服务；区间内指派的任务）(statistics over a date range)
    #[graphql(guard = "Permission(perms::STATISTICS_READ)")]
    async fn expert_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "起始日（含）(first day)")] from: Date,
        #[graphql(desc = "结束日（含）(last day)")] to: Date,
    ) -> async_graphql::Result<ExpertStatistics> {
        let k = jianan_kernel::kernel(ctx)?;
        let s =
            crate::service::statistics::compute(&k.db.conn, &principal(ctx), from.0, to.0).await?;
        Ok(s.into())
    }
}

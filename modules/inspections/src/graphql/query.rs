//! Inspections queries.

use crate::rules::hazard_criteria::HazardCategory;
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use jianan_entity::{enterprise, project};
use jianan_kernel::graphql::AttachmentsByOwner;
use jianan_kernel::kernel;
use jianan_kernel::list;
use jianan_kernel::loader::{loaders, node_selects};
use jianan_kernel::principal::{Authenticated, Permission, principal};
use jianan_kernel::relay::{
    KeysetOrder, OrderDirection, PageArgs, RelayConnection, SortValue, decode_id,
};
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::types::{
    EnforcementAction, Hazard, HazardsOfInspection, ImplementationsOfHazard, Inspection,
    PublicExposure, RandomDraw, StepsOfHazard,
};
use crate::entity::enums::{EnforcementKind, HazardLevel, HazardStatus, InspectionKind};
use crate::entity::{enforcement_action, hazard, inspection, random_draw};
use crate::perms;

/// 隐患筛选 — filter of `hazards`.
#[derive(InputObject, Default)]
pub struct HazardFilter {
    /// 项目 (project)
    pub project_id: Option<ID>,
    /// 乡镇（街道）(township or street)
    pub township_id: Option<ID>,
    /// 整改责任企业 (responsible enterprise)
    pub responsible_enterprise_id: Option<ID>,
    /// 等级 (levels)
    pub levels: Option<Vec<HazardLevel>>,
    /// 状态 (statuses)
    pub statuses: Option<Vec<HazardStatus>>,
    /// 只看整改逾期的：责任企业过期仍未提交（待复查的不算）(only hazards whose responsible
    /// enterprise is past its deadline without submitting; those waiting for verification excluded)
    #[graphql(default)]
    pub overdue_only: bool,
    /// 类别代码 (category codes)
    pub categories: Option<Vec<String>>,
    /// 上报时间不早于 (reported at or after)
    pub reported_from: Option<DateTime<Utc>>,
    /// 上报时间早于 (reported before)
    pub reported_before: Option<DateTime<Utc>>,
    /// 来源 (source: found by an inspection or reported directly)
    pub source: Option<HazardSource>,
    /// 发现该隐患的检查 (the inspection that found it)
    pub inspection_id: Option<ID>,
    /// 描述或部位包含 (description or location contains)
    pub search: Option<String>,
}

/// 隐患来源 — where a hazard came from.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum HazardSource {
    /// 检查发现（自查、督查、双随机、暗访等）(found by an inspection of any kind)
    Inspection,
    /// 直接上报 (reported directly, outside an inspection)
    DirectReport,
}

/// 隐患排序字段 — hazard sort field.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum HazardOrderField {
    /// 按上报时间 (by reported time)
    #[default]
    ReportedAt,
    /// 按整改期限；尚无期限（未交办）的隐患不列出 (by rectification deadline; hazards without
    /// one — not yet assigned — are left out)
    DeadlineAt,
}

/// 隐患排序 — hazard ordering (default: newest first).
#[derive(InputObject)]
pub struct HazardOrder {
    /// 字段 (field)
    pub field: HazardOrderField,
    /// 方向 (direction)
    pub direction: OrderDirection,
}

/// 一般隐患类别 — a JGJ 59-2011 inspection item.
#[derive(async_graphql::SimpleObject)]
pub struct GeneralHazardCategoryInfo {
    /// 代码 (code)
    pub category: crate::rules::hazard_class::GeneralCategory,
    /// 名称 (name)
    pub name: String,
}

/// Inspections queries.
#[derive(Default)]
pub struct InspectionsQuery;

#[Object]
impl InspectionsQuery {
    /// 隐患列表（按可见范围）(hazards within the caller's scope)
    #[graphql(
        guard = "Permission(perms::HAZARD_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn hazards(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<HazardFilter>,
        #[graphql(
            desc = "排序，默认顺序见字段说明 (order; the default is in the field's description)"
        )]
        order_by: Option<HazardOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Hazard>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<hazard::Entity>(&principal(ctx));
        if let Some(p) = &f.project_id {
            select =
                select.filter(hazard::Column::ProjectId.eq(decode_id(p, "Project", "projectId")?));
        }
        if let Some(t) = &f.township_id {
            select = select.filter(hazard::Column::TownshipId.eq(decode_id(
                t,
                "OrgUnit",
                "townshipId",
            )?));
        }
        if let Some(e) = &f.responsible_enterprise_id {
            select = select.filter(hazard::Column::ResponsibleEnterpriseId.eq(decode_id(
                e,
                "Enterprise",
                "responsibleEnterpriseId",
            )?));
        }
        if let Some(l) = f.levels {
            select = select.filter(hazard::Column::Level.is_in(l));
        }
        if let Some(s) = f.statuses {
            select = select.filter(hazard::Column::Status.is_in(s));
        }
        if f.overdue_only {
            select = select
                .filter(
                    hazard::Column::Status.is_in(crate::service::rectification::ENTERPRISE_HOLDS),
                )
                .filter(hazard::Column::DeadlineAt.lt(Utc::now()));
        }
        if let Some(c) = f.categories {
            select = select.filter(hazard::Column::Category.is_in(c));
        }
        if let Some(t) = f.reported_from {
            select = select.filter(hazard::Column::ReportedAt.gte(t));
        }
        if let Some(t) = f.reported_before {
            select = select.filter(hazard::Column::ReportedAt.lt(t));
        }
        match f.source {
            Some(HazardSource::Inspection) => {
                select = select.filter(hazard::Column::InspectionId.is_not_null());
            }
            Some(HazardSource::DirectReport) => {
                select = select.filter(hazard::Column::InspectionId.is_null());
            }
            None => {}
        }
        if let Some(i) = &f.inspection_id {
            select = select.filter(hazard::Column::InspectionId.eq(decode_id(
                i,
                "Inspection",
                "inspectionId",
            )?));
        }
        if let Some(text) = f.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            select = select.filter(
                sea_orm::Condition::any()
                    .add(hazard::Column::Description.contains(text))
                    .add(hazard::Column::Location.contains(text)),
            );
        }
        let (field, descending) = order_by
            .map(|o| (o.field, o.direction == OrderDirection::Desc))
            .unwrap_or((HazardOrderField::ReportedAt, true));
        let order = match field {
            HazardOrderField::ReportedAt => KeysetOrder::<hazard::Entity> {
                column: hazard::Column::ReportedAt,
                id_column: hazard::Column::Id,
                descending,
                key: |m| (SortValue::Time(m.reported_at), m.id),
            },
            HazardOrderField::DeadlineAt => {
                // A keyset needs a value on every row: unassigned hazards have no deadline.
                select = select.filter(hazard::Column::DeadlineAt.is_not_null());
                KeysetOrder {
                    column: hazard::Column::DeadlineAt,
                    id_column: hazard::Column::Id,
                    descending,
                    key: |m: &hazard::Model| {
                        (
                            SortValue::Time(m.deadline_at.unwrap_or(m.reported_at)),
                            m.id,
                        )
                    },
                }
            }
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        // One statement per selected relation, whatever the page size.
        page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
            .await?;
        page.prime::<enterprise::Entity>(ctx, "responsibleEnterprise", |m| {
            m.responsible_enterprise_id
        })
        .await?;
        page.prime_grouped::<AttachmentsByOwner>(ctx, "photos")
            .await?;
        page.prime_grouped::<StepsOfHazard>(ctx, "steps").await?;
        page.prime_grouped::<ImplementationsOfHazard>(ctx, "implementations")
            .await?;
        super::viewer::prime_hazard_viewer(ctx, &page).await?;
        Ok(page.connection(Hazard))
    }

    /// 执法措施列表，最新的在前 (enforcement actions, newest first)
    #[graphql(
        guard = "Permission(perms::ENFORCEMENT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn enforcement_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "对象企业 (target enterprise)")] enterprise_id: Option<ID>,
        #[graphql(desc = "措施类型 (kinds)")] kinds: Option<Vec<EnforcementKind>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<EnforcementAction>> {
        let mut select = scoped::<enforcement_action::Entity>(&principal(ctx));
        if let Some(e) = &enterprise_id {
            select = select.filter(enforcement_action::Column::TargetEnterpriseId.eq(decode_id(
                e,
                "Enterprise",
                "enterpriseId",
            )?));
        }
        if let Some(kinds) = kinds {
            select = select.filter(enforcement_action::Column::Kind.is_in(kinds));
        }
        let order = KeysetOrder::<enforcement_action::Entity> {
            column: enforcement_action::Column::IssuedAt,
            id_column: enforcement_action::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.issued_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<enterprise::Entity>(ctx, "targetEnterprise", |m| m.target_enterprise_id)
            .await?;
        page.prime::<project::Entity>(ctx, "project", |m| m.project_id)
            .await?;
        page.prime_grouped::<super::types::PenaltyStepsOfAction>(ctx, "penaltyProcedure")
            .await?;
        page.prime_grouped::<AttachmentsByOwner>(ctx, "attachments")
            .await?;
        super::viewer::prime_enforcement_viewer(ctx, &page).await?;
        Ok(page.connection(EnforcementAction))
    }

    /// 工地宣传品（按可见范围），最新的在前 (site publicity items within the caller's scope,
    /// newest first)
    #[graphql(
        guard = "Permission(perms::INSPECTION_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn publicity_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "项目 (project)")] project_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<super::types::PublicityItem>> {
        use crate::entity::publicity_item;
        let mut select = scoped::<publicity_item::Entity>(&principal(ctx));
        if let Some(p) = &project_id {
            select = select.filter(publicity_item::Column::ProjectId.eq(decode_id(
                p,
                "Project",
                "projectId",
            )?));
        }
        let order = KeysetOrder::<publicity_item::Entity> {
            column: publicity_item::Column::RecordedAt,
            id_column: publicity_item::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.recorded_at), m.id),
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
        page.prime_grouped::<AttachmentsByOwner>(ctx, "photos")
            .await?;
        Ok(page.connection(super::types::PublicityItem))
    }

    /// 重大事故隐患判定标准（2024版）的条款，可按类别筛选；上报重大隐患时引用其代码 (the conditions
    /// of the 2024 major-hazard criteria, optionally of one category; a major hazard cites a code)
    #[graphql(guard = "Authenticated")]
    async fn hazard_criteria(
        &self,
        #[graphql(desc = "类别 (category)")] category: Option<HazardCategory>,
    ) -> Vec<super::types::HazardCriterion> {
        crate::rules::hazard_criteria::criteria()
            .iter()
            .filter(|c| category.is_none_or(|k| c.category == k))
            .map(super::types::HazardCriterion::from)
            .collect()
    }

    /// 一般隐患类别：JGJ 59-2011 的十个检查项目 (general hazard categories: the ten inspection items
    /// of JGJ 59-2011)
    #[graphql(guard = "Authenticated")]
    async fn general_hazard_categories(&self) -> Vec<GeneralHazardCategoryInfo> {
        crate::rules::hazard_class::ALL_GENERAL
            .iter()
            .map(|c| GeneralHazardCategoryInfo {
                category: *c,
                name: c.label_zh().to_owned(),
            })
            .collect()
    }

    /// 曝光台：已曝光的企业和事实，任何人（无需登录）可查看，最新的在前
    /// (public exposures, newest first; no login needed)
    #[graphql(complexity = "jianan_kernel::list::complexity(child_complexity, first, last)")]
    async fn public_exposures(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<PublicExposure>> {
        // Public by nature (曝光): every exposure, and only exposures.
        let select = enforcement_action::Entity::find()
            .filter(enforcement_action::Column::Kind.eq(EnforcementKind::PublicExposure));
        let order = KeysetOrder::<enforcement_action::Entity> {
            column: enforcement_action::Column::IssuedAt,
            id_column: enforcement_action::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.issued_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        Ok(page.connection(PublicExposure))
    }

    /// 双随机抽查公开栏：任何人（无需登录）可查看承诺、种子、输入和结果并复算
    /// (public: commitments of coming draws and everything of published ones; no login needed)
    #[graphql(complexity = "jianan_kernel::list::complexity(child_complexity, first, last)")]
    async fn public_random_draws(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<RandomDraw>> {
        // Public (一公开): no scope and no login.
        let select = random_draw::Entity::find();
        let order = KeysetOrder::<random_draw::Entity> {
            column: random_draw::Column::CreatedAt,
            id_column: random_draw::Column::Id,
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
        Ok(page.connection(RandomDraw))
    }

    /// 双随机抽查结果公示栏（一公开）：已公示结果的抽查，按公示时间最新的在前；各抽中项目由谁检查、
    /// 检查结论，任何人（无需登录）可查看 (draws whose results are published, newest publication
    /// first: who checked each drawn project and the outcome; no login needed)
    #[graphql(complexity = "jianan_kernel::list::complexity(child_complexity, first, last)")]
    async fn public_draw_results(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<RandomDraw>> {
        // Public (一公开): no scope and no login; only draws whose results are published.
        let select = random_draw::Entity::find()
            .filter(random_draw::Column::ResultsPublishedAt.is_not_null());
        let order = KeysetOrder::<random_draw::Entity> {
            column: random_draw::Column::ResultsPublishedAt,
            id_column: random_draw::Column::Id,
            descending: true,
            key: |m| {
                (
                    SortValue::Time(m.results_published_at.unwrap_or(m.created_at)),
                    m.id,
                )
            },
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        Ok(page.connection(RandomDraw))
    }

    /// 检查记录，最新的在前 (inspections within the caller's scope, newest first)
    #[graphql(
        guard = "Permission(perms::INSPECTION_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn inspections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "项目 (project)")] project_id: Option<ID>,
        #[graphql(desc = "检查类型 (kinds)")] kinds: Option<Vec<InspectionKind>>,
        #[graphql(
            desc = "只看评分不合格、尚待复查的检查 (only failing scored inspections still awaiting their re-inspection)",
            default = false
        )]
        reinspection_due: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Inspection>> {
        let mut select = scoped::<inspection::Entity>(&principal(ctx));
        if reinspection_due {
            use crate::entity::reinspection as r;
            use sea_orm::{QuerySelect, QueryTrait};
            select = select.filter(
                inspection::Column::Id.in_subquery(
                    r::Entity::find()
                        .select_only()
                        .column(r::Column::FailedInspectionId)
                        .filter(r::Column::FulfilledAt.is_null())
                        .into_query(),
                ),
            );
        }
        if let Some(p) = &project_id {
            select = select.filter(inspection::Column::ProjectId.eq(decode_id(
                p,
                "Project",
                "projectId",
            )?));
        }
        if let Some(kinds) = kinds {
            select = select.filter(inspection::Column::Kind.is_in(kinds));
        }
        let order = KeysetOrder::<inspection::Entity> {
            column: inspection::Column::InspectedAt,
            id_column: inspection::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.inspected_at), m.id),
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
        page.prime_grouped::<HazardsOfInspection>(ctx, "hazards")
            .await?;
        page.prime_grouped::<super::types::ReinspectionOfInspection>(ctx, "reinspection")
            .await?;
        page.prime_grouped::<super::types::ParticipantsOfInspection>(ctx, "confirmedInspectors")
            .await?;
        // The people named on the page (recorders, listed inspectors), in one statement.
        if node_selects(ctx, &["inspectors"]) || node_selects(ctx, &["recordedBy"]) {
            let people: std::collections::HashSet<uuid::Uuid> = page
                .rows()
                .flat_map(|m| {
                    crate::service::inspection::inspector_ids(m)
                        .into_iter()
                        .chain(m.recorded_by)
                })
                .collect();
            loaders(ctx)?
                .named_by_id::<jianan_entity::account::Entity>()
                .load_many(people)
                .await?;
        }
        page.prime_grouped::<AttachmentsByOwner>(ctx, "photos")
            .await?;
        super::viewer::prime_inspection_viewer(ctx, &page).await?;
        Ok(page.connection(Inspection))
    }

    /// 检查表模板（JSON），默认最新版本；请改用类型化的 checklistTemplates (a checklist template as
    /// JSON, latest version by default; use the typed `checklistTemplates`)
    #[graphql(
        guard = "Permission(perms::INSPECTION_READ)",
        deprecation = "请改用类型化的 checklistTemplates (use the typed checklistTemplates)"
    )]
    async fn checklist_template(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "模板代码，如 JGJ59-2011")] code: String,
        #[graphql(desc = "版本")] version: Option<i32>,
    ) -> async_graphql::Result<async_graphql::Json<crate::rules::jgj59::Template>> {
        let k = kernel(ctx)?;
        let (_, t) = crate::service::inspection::template(&k.db.conn, &code, version).await?;
        Ok(async_graphql::Json(t))
    }
}

//! Day-one reads for the front-end and the field app (issue #7 item 8): what the caller may do
//! with each record (`viewerCan`), the caller's to-do list (`myTasks`), and the checklist
//! templates with a score preview (see [`super::checklist`]).
//!
//! **`viewerCan`.** Each flag is the predicate of [`crate::service::policy`] that the mutation
//! itself applies, judged on the caller's principal and the record's present state. A flag says
//! whether the action is open to the caller now; the mutation may still refuse the input (an empty
//! reason, a deadline out of range) or a stale `expectedVersion`. A record object exists only for
//! a caller who sees the record, so a flag never reveals a record — the hazards of an unpublished
//! covert inspection have no flags for the inspected enterprise because it cannot read them. The
//! facts the flags need are loaded per page, not per record: the caller's enterprise's
//! participations (one statement per request) and, when `viewerCan` is selected on a list, the
//! page's five implementations, confirmed participants or penalty steps (one statement each).
use std::collections::HashSet;

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::enums::ParticipantRole;
use jianan_entity::project;
use jianan_kernel::acting::ParticipationsOfEnterprise;
use jianan_kernel::kernel;
use jianan_kernel::list::{self, ListPage};
use jianan_kernel::loader::{loaders, node_selects};
use jianan_kernel::principal::{Authenticated, Permission, Principal, principal};
use jianan_kernel::relay::{KeysetOrder, PageArgs, RelayConnection, SortValue};
use jianan_registry::graphql::types::Project;
use uuid::Uuid;

use super::checklist::ChecklistTemplate;
use super::inputs::ChecklistInput;
use super::types::{
    DrawAssignment, Hazard, ImplementationsOfHazard, InspectionScore, ParticipantsOfInspection,
    PenaltyStepsOfAction, RandomDraw, StepsOfHazard,
};
use crate::entity::enums::{InspectionKind, RectificationAction};
use crate::entity::{enforcement_action, hazard, inspection};
use crate::perms;
use crate::rules::penalty::PenaltyStep;
use crate::service::policy::{self, HazardAct, HazardFacts};
use crate::service::tasks;

// ---------------------------------------------------------------------------------------------
// viewerCan
// ---------------------------------------------------------------------------------------------

/// 当前用户可对该隐患办理的事项 — what the caller may do with this hazard now (each flag is the rule
/// its mutation applies; the input may still be refused).
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct HazardViewerCan {
    /// 可交办 (assignHazard)
    pub assign: bool,
    /// 可记录五落实 (recordHazardImplementation)
    pub record_implementation: bool,
    /// 可开始整改 (startRectification)
    pub start: bool,
    /// 可提交整改 (submitRectification)
    pub submit: bool,
    /// 可复查销号 (verifyRectification)
    pub verify: bool,
    /// 可退回整改 (rejectRectification)
    pub reject: bool,
    /// 可作废 (voidHazard)
    pub void: bool,
    /// 可调整等级 (reclassifyHazard)
    pub reclassify: bool,
    /// 可上传照片和文件 (uploadAttachment with this hazard as owner)
    pub attach: bool,
}

/// 当前用户可对该检查办理的事项 — what the caller may do with this inspection now.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectionViewerCan {
    /// 可确认本人参加 (confirmInspectionParticipation: listed as an inspector, not yet confirmed)
    pub confirm_participation: bool,
    /// 可公开暗访结果 (publishCovertInspection: a covert inspection not yet published)
    pub publish: bool,
    /// 可上传照片 (uploadAttachment with this inspection as owner)
    pub attach: bool,
}

/// 当前用户可对该执法措施办理的事项 — what the caller may do with this enforcement action now.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct EnforcementActionViewerCan {
    /// 可记录处罚程序的下一步 (recordPenaltyStep: a penalty whose procedure is not finished)
    pub record_penalty_step: bool,
    /// 下一步可记录的程序步骤，按法定顺序；不可记录时为空 (the steps recordPenaltyStep accepts next,
    /// in the legal order; empty when recordPenaltyStep is not open)
    pub next_penalty_steps: Vec<PenaltyStep>,
    /// 可上传文书和照片 (uploadAttachment with this action as owner)
    pub attach: bool,
}

/// The participant roles the caller's enterprise plays on `project_id`, from the caller's
/// enterprise's participations (one statement per request, cached by the request's loader).
async fn caller_roles_on(
    ctx: &Context<'_>,
    p: &Principal,
    project_id: Uuid,
) -> async_graphql::Result<Vec<ParticipantRole>> {
    let Some(enterprise) = p.enterprise_id else {
        return Ok(Vec::new());
    };
    let rows = loaders(ctx)?
        .grouped::<ParticipationsOfEnterprise>()
        .load_one(enterprise)
        .await?
        .unwrap_or_default();
    Ok(rows
        .iter()
        .filter(|r| r.project_id == project_id)
        .map(|r| r.role)
        .collect())
}

/// The flags of hazard `h` for the caller.
pub async fn hazard_viewer_can(
    ctx: &Context<'_>,
    h: &hazard::Model,
) -> async_graphql::Result<HazardViewerCan> {
    let p = principal(ctx);
    let implementations = loaders(ctx)?
        .grouped::<ImplementationsOfHazard>()
        .load_one(h.id)
        .await?
        .map_or(0, |v| v.len());
    let roles = caller_roles_on(ctx, &p, h.project_id).await?;
    let facts = HazardFacts {
        implementations,
        caller_is_responsible: policy::acts_for_responsible(&p, h, &roles),
    };
    let may = |a| policy::hazard(&p, HazardAct::Transition(a), h, facts).is_ok();
    use RectificationAction as A;
    Ok(HazardViewerCan {
        assign: may(A::Assign),
        record_implementation: policy::hazard(&p, HazardAct::RecordImplementation, h, facts)
            .is_ok(),
        start: may(A::Start),
        submit: may(A::Submit),
        verify: may(A::Verify),
        reject: may(A::Reject),
        void: may(A::Void),
        reclassify: may(A::Reclassify),
        attach: policy::HAZARD_FILES.permits_attach(&p),
    })
}

/// The flags of inspection `i` for the caller.
pub async fn inspection_viewer_can(
    ctx: &Context<'_>,
    i: &inspection::Model,
) -> async_graphql::Result<InspectionViewerCan> {
    let p = principal(ctx);
    let confirmed: Vec<Uuid> = loaders(ctx)?
        .grouped::<ParticipantsOfInspection>()
        .load_one(i.id)
        .await?
        .unwrap_or_default()
        .iter()
        .map(|c| c.account_id)
        .collect();
    Ok(InspectionViewerCan {
        confirm_participation: policy::confirm_participation(&p, i, &confirmed).is_ok(),
        publish: policy::publish_covert(&p, i).is_ok(),
        attach: policy::INSPECTION_FILES.permits_attach(&p),
    })
}

/// The flags of enforcement action `a` for the caller.
pub async fn enforcement_viewer_can(
    ctx: &Context<'_>,
    a: &enforcement_action::Model,
) -> async_graphql::Result<EnforcementActionViewerCan> {
    let p = principal(ctx);
    let next = if policy::penalty_procedure(&p, a).is_ok() {
        let steps = loaders(ctx)?
            .grouped::<PenaltyStepsOfAction>()
            .load_one(a.id)
            .await?
            .unwrap_or_default();
        // The latest step, as the mutation reads it (recorded order).
        policy::next_penalty_steps(steps.last().map(|s| s.step))
    } else {
        Vec::new()
    };
    Ok(EnforcementActionViewerCan {
        record_penalty_step: !next.is_empty(),
        next_penalty_steps: next,
        attach: policy::ENFORCEMENT_FILES.permits_attach(&p),
    })
}

/// Loads the caller's enterprise's participations into the request's loader (one statement).
async fn prime_participations(ctx: &Context<'_>) -> async_graphql::Result<()> {
    if let Some(e) = principal(ctx).enterprise_id {
        loaders(ctx)?
            .grouped::<ParticipationsOfEnterprise>()
            .load_one(e)
            .await?;
    }
    Ok(())
}

/// When the client selected `viewerCan` on a page of hazards: what the flags need, for the whole
/// page (the participations; the five implementations unless `implementations` primed them).
pub async fn prime_hazard_viewer(
    ctx: &Context<'_>,
    page: &ListPage<hazard::Entity>,
) -> async_graphql::Result<()> {
    if !node_selects(ctx, &["viewerCan"]) {
        return Ok(());
    }
    prime_participations(ctx).await?;
    if !node_selects(ctx, &["implementations"]) {
        page.prime_grouped::<ImplementationsOfHazard>(ctx, "viewerCan")
            .await?;
    }
    Ok(())
}

/// When the client selected `viewerCan` on a page of inspections: the confirmed participants,
/// unless `confirmedInspectors` primed them.
pub async fn prime_inspection_viewer(
    ctx: &Context<'_>,
    page: &ListPage<inspection::Entity>,
) -> async_graphql::Result<()> {
    if node_selects(ctx, &["viewerCan"]) && !node_selects(ctx, &["confirmedInspectors"]) {
        page.prime_grouped::<ParticipantsOfInspection>(ctx, "viewerCan")
            .await?;
    }
    Ok(())
}

/// When the client selected `viewerCan` on a page of enforcement actions: the penalty steps,
/// unless `penaltyProcedure` primed them.
pub async fn prime_enforcement_viewer(
    ctx: &Context<'_>,
    page: &ListPage<enforcement_action::Entity>,
) -> async_graphql::Result<()> {
    if node_selects(ctx, &["viewerCan"]) && !node_selects(ctx, &["penaltyProcedure"]) {
        page.prime_grouped::<PenaltyStepsOfAction>(ctx, "viewerCan")
            .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// myTasks
// ---------------------------------------------------------------------------------------------

/// 我的待办 — the caller's to-do list. Every part is the caller's own, within the caller's row
/// scope, by the rules the mutations apply (`service::tasks`).
pub struct MyTasks;

/// Hazards ordered by deadline, soonest first (every hazard in these lists has one: it was
/// assigned).
fn by_deadline() -> KeysetOrder<hazard::Entity> {
    KeysetOrder {
        column: hazard::Column::DeadlineAt,
        id_column: hazard::Column::Id,
        descending: false,
        key: |m: &hazard::Model| {
            (
                SortValue::Time(m.deadline_at.unwrap_or(m.reported_at)),
                m.id,
            )
        },
    }
}

/// One page of hazards from `select`, primed like the `hazards` list.
async fn hazard_page(
    ctx: &Context<'_>,
    select: sea_orm::Select<hazard::Entity>,
    args: PageArgs,
) -> async_graphql::Result<RelayConnection<Hazard>> {
    use jianan_kernel::graphql::AttachmentsByOwner;
    use sea_orm::{ColumnTrait, QueryFilter};
    // A keyset needs a value on every row (an assigned hazard always has a deadline).
    let select = select.filter(hazard::Column::DeadlineAt.is_not_null());
    let page = list::page(ctx, select, &by_deadline(), args).await?;
    page.prime::<project::Entity>(ctx, "project", |m| Some(m.project_id))
        .await?;
    page.prime::<jianan_entity::enterprise::Entity>(ctx, "responsibleEnterprise", |m| {
        m.responsible_enterprise_id
    })
    .await?;
    page.prime_grouped::<AttachmentsByOwner>(ctx, "photos")
        .await?;
    page.prime_grouped::<StepsOfHazard>(ctx, "steps").await?;
    page.prime_grouped::<ImplementationsOfHazard>(ctx, "implementations")
        .await?;
    prime_hazard_viewer(ctx, &page).await?;
    Ok(page.connection(Hazard))
}

/// 我的待办 — the caller's to-do list.
#[Object]
impl MyTasks {
    /// 待整改的隐患：本企业为整改责任企业、本人可代表其办理、处于已交办或整改中（含退回后）；待复查的
    /// 不在此列。按整改期限从近到远 (hazards the caller's enterprise must rectify now — assigned, or
    /// being rectified again after a rejection — on projects where the caller acts for it; soonest
    /// deadline first)
    #[graphql(complexity = "jianan_kernel::list::complexity(child_complexity, first, last)")]
    async fn hazards_to_rectify(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Hazard>> {
        let select = tasks::hazards_to_rectify(&principal(ctx));
        hazard_page(ctx, select, PageArgs::new(first, after, last, before)).await
    }

    /// 待复查的隐患：可见范围内已提交整改、本人可复查销号的（重大事故隐患仅委监督检查人员）。按整改期限
    /// 从近到远 (submitted hazards in the caller's scope that the caller may verify — a major one only
    /// a commission inspector; soonest deadline first)
    #[graphql(complexity = "jianan_kernel::list::complexity(child_complexity, first, last)")]
    async fn hazards_to_verify(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Hazard>> {
        let select = tasks::hazards_to_verify(&principal(ctx));
        hazard_page(ctx, select, PageArgs::new(first, after, last, before)).await
    }

    /// 本期应做而未做的自查：本人负责记录的日检、周检、月检，按本企业施工的在建项目，本期（日、周、月，
    /// 北京时间）尚无记录的；每个检查类型和项目至多一条，按类型、项目编号排列，不分页 (the self-checks
    /// the caller records that a project owes in the current day, week or month and has no record of
    /// yet; at most one per kind and project, by kind then project code; not paginated — bounded by
    /// the projects the caller's enterprise builds)
    #[graphql(complexity = "5 + child_complexity * 20")]
    async fn self_checks_due(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SelfCheckDue>> {
        let due = tasks::self_checks_due(kernel(ctx)?, &principal(ctx), Utc::now()).await?;
        if node_selects_here(ctx, "project") {
            let ids: HashSet<Uuid> = due.iter().map(|d| d.project_id).collect();
            loaders(ctx)?
                .by_id::<project::Entity>()
                .load_many(ids)
                .await?;
        }
        Ok(due.into_iter().map(SelfCheckDue).collect())
    }

    /// 待执行的双随机抽查任务：已公开的抽查中本人所在检查组的项目，自公开起本人尚未记录（或列为检查人员）
    /// 该项目的双随机检查的；按完成期限从近到远，不分页 (assignments of published double-random draws
    /// whose team includes the caller, where no DOUBLE_RANDOM inspection of the project since the
    /// draw's publication was recorded by or lists the caller; soonest deadline first; not paginated)
    #[graphql(complexity = "5 + child_complexity * 20")]
    async fn draw_assignments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DrawTask>> {
        let list = tasks::draw_assignments(&kernel(ctx)?.db.conn, &principal(ctx)).await?;
        if node_selects_here(ctx, "project") {
            let ids: HashSet<Uuid> = list.iter().map(|t| t.project_id).collect();
            loaders(ctx)?
                .by_id::<project::Entity>()
                .load_many(ids)
                .await?;
        }
        Ok(list.into_iter().map(DrawTask).collect())
    }
}

/// Whether the client selected `field` on the items of the list being resolved.
fn node_selects_here(ctx: &Context<'_>, field: &str) -> bool {
    ctx.look_ahead().field(field).exists()
}

/// 应做的自查 — a self-check the caller owes in the current period and has not recorded yet.
pub struct SelfCheckDue(pub tasks::SelfCheckDue);

/// 应做的自查 — a self-check the caller owes in the current period and has not recorded yet.
#[Object]
impl SelfCheckDue {
    /// 检查类型（日检、周检、月检）(the self-check kind)
    async fn kind(&self) -> InspectionKind {
        self.0.kind
    }
    /// 项目 (the project that owes it)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        Ok(loaders(ctx)?
            .by_id::<project::Entity>()
            .load_one(self.0.project_id)
            .await?
            .map(Project))
    }
    /// 项目编号和名称 (project code and name)
    async fn project_label(&self) -> &str {
        &self.0.label
    }
    /// 义务代码 (the obligation it fulfils)
    async fn obligation_code(&self) -> &str {
        self.0.obligation
    }
    /// 本期，如 2026-11-18、2026-W47、2026-11 (the current period)
    async fn period(&self) -> String {
        self.0.period.label()
    }
    /// 本期开始 (start of the period)
    async fn period_start(&self) -> DateTime<Utc> {
        self.0.period.start_utc()
    }
    /// 截止：本期结束（不含）(due by: the end of the period, exclusive)
    async fn due_by(&self) -> DateTime<Utc> {
        self.0.period.end_utc()
    }
    /// 本期已计入次数 (records counted so far this period)
    async fn count(&self) -> u32 {
        self.0.count
    }
    /// 每期要求次数 (records required per period)
    async fn required(&self) -> u32 {
        self.0.required
    }
}

/// 双随机抽查任务 — a drawn project the caller has still to check.
pub struct DrawTask(pub tasks::DrawTask);

/// 双随机抽查任务 — a drawn project the caller has still to check.
#[Object]
impl DrawTask {
    /// 抽查 (the published draw)
    async fn draw(&self) -> RandomDraw {
        RandomDraw(self.0.draw.clone())
    }
    /// 抽中的项目及检查组 (the drawn project and its team, as published)
    async fn assignment(&self) -> async_graphql::Result<Option<DrawAssignment>> {
        let Some((result, labels)) = crate::service::draw::result_of(&self.0.draw)? else {
            return Ok(None);
        };
        Ok(result
            .assignments
            .get(self.0.index)
            .map(|a| DrawAssignment::of(a, &labels)))
    }
    /// 项目（在本人可见范围内时）(the project, when within the caller's scope)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        Ok(loaders(ctx)?
            .by_id::<project::Entity>()
            .load_one(self.0.project_id)
            .await?
            .map(Project))
    }
    /// 完成检查截止时间 (deadline)
    async fn deadline_at(&self) -> Option<DateTime<Utc>> {
        self.0.draw.deadline_at
    }
    /// 是否已过期限 (past the deadline)
    async fn overdue(&self) -> bool {
        self.0.draw.deadline_at.is_some_and(|d| d < Utc::now())
    }
}

// ---------------------------------------------------------------------------------------------
// The query root
// ---------------------------------------------------------------------------------------------

/// The caller's own reads.
#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// 我的待办：待整改、待复查的隐患，本期应做的自查，待执行的双随机抽查任务
    /// (the caller's to-do list: hazards to rectify and to verify, self-checks due this period,
    /// double-random assignments to carry out)
    #[graphql(guard = "Authenticated")]
    async fn my_tasks(&self) -> MyTasks {
        MyTasks
    }

    /// 检查表模板（类型化）：不指定代码时为每个模板的最新版本；指定代码时为其最新版本或指定版本；没有时为空
    /// (checklist templates, typed: the latest version of each, or of `code`, or version `version`
    /// of `code`; empty when there is none)
    #[graphql(guard = "Permission(perms::INSPECTION_READ)")]
    async fn checklist_templates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "模板代码，如 JGJ59-2011 (template code)")] code: Option<String>,
        #[graphql(desc = "版本，须同时指定代码 (version; with `code`)")] version: Option<i32>,
    ) -> async_graphql::Result<Vec<ChecklistTemplate>> {
        let k = kernel(ctx)?;
        let rows =
            crate::service::inspection::templates(&k.db.conn, code.as_deref(), version).await?;
        Ok(rows
            .into_iter()
            .map(|(version, template)| ChecklistTemplate { version, template })
            .collect())
    }

    /// 检查表评分预览：按记录检查（recordInspection）同一评分规则计算，不写入任何数据；答卷有误时的错误
    /// 与记录检查相同 (scores a checklist exactly as recordInspection would — the same function —
    /// and writes nothing; a checklist recordInspection refuses is refused here with the same error)
    #[graphql(
        guard = "Permission(perms::INSPECTION_RECORD).or(Permission(perms::SELF_CHECK_RECORD))"
    )]
    async fn checklist_score_preview(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "检查表答卷 (the checklist answers)")] input: ChecklistInput,
    ) -> async_graphql::Result<InspectionScore> {
        let k = kernel(ctx)?;
        let (_, card) =
            crate::service::inspection::score_checklist(&k.db.conn, &input.into()).await?;
        Ok(InspectionScore(card))
    }
}

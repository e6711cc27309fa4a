//! Oversight queries: meetings, tasks, risk assessments and the “两重两新” items in force,
//! circulars, statistics. Every list is the caller's scope, one keyset page.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use std::collections::HashSet;

use async_graphql::ID;
use jianan_entity::{account, enterprise, org_unit};
use jianan_kernel::AppResult;
use jianan_kernel::kernel;
use jianan_kernel::list::{self, ListPage};
use jianan_kernel::loader::{loaders, node_selects};
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::encode_id;
use jianan_kernel::relay::{KeysetOrder, PageArgs, RelayConnection, SortValue};
use jianan_kernel::scalars::Date;
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, QueryFilter};

use super::types::{
    Circular, DecisionsOfMeeting, LinksOfCircular, Meeting, OversightTask, RecipientsOfCircular,
    RiskAssessment, RisksOfAssessment, UnitsOfMeeting,
};
use crate::entity::enums::{MeetingKind, TaskKind, TaskStatus, UnitKind};
use crate::entity::{assessment, circular, meeting, task};
use crate::perms;
use crate::service::{assessment as assessment_service, statistics};

/// 会议筛选 (meeting filter)
#[derive(InputObject, Default)]
pub struct MeetingFilter {
    /// 会议类别 (kinds)
    pub kinds: Option<Vec<MeetingKind>>,
    /// 召开日期不早于 (held on or after)
    pub from: Option<Date>,
    /// 召开日期不晚于 (held on or before)
    pub to: Option<Date>,
}

/// 督办事项筛选 (task filter)
#[derive(InputObject, Default)]
pub struct OversightTaskFilter {
    /// 类别 (kinds)
    pub kinds: Option<Vec<TaskKind>>,
    /// 状态 (states)
    pub statuses: Option<Vec<TaskStatus>>,
    /// 只看本人负责的 (only mine)
    pub mine: Option<bool>,
    /// 完成时限不晚于（查逾期：状态 OPEN 且时限早于今天）(due on or before)
    pub due_before: Option<Date>,
}

/// 纳入监督检查的“两重两新”事项 — a flagged risk of an assessment in force.
#[derive(SimpleObject)]
pub struct SupervisionFocusItem {
    /// 风险研判 (the assessment)
    pub assessment: RiskAssessment,
    /// 风险及管控措施 (the risk)
    pub risk: OversightTask,
}

/// 督办统计 — a year's oversight figures.
#[derive(SimpleObject)]
pub struct OversightTaskFigures {
    /// 事项数（完成时限在本年）(tasks due in the year)
    pub total: i64,
    /// 按期办结 (done on time)
    pub on_time: i64,
    /// 逾期办结 (done late)
    pub late: i64,
    /// 逾期未办结 (open past the due date)
    pub overdue: i64,
    /// 未到期 (open, not yet due)
    pub pending: i64,
    /// 办结率（0到1）(done, 0 to 1)
    pub done_rate: f64,
}

impl From<statistics::TaskFigures> for OversightTaskFigures {
    fn from(f: statistics::TaskFigures) -> Self {
        let done = f.on_time + f.late;
        OversightTaskFigures {
            total: f.total,
            on_time: f.on_time,
            late: f.late,
            overdue: f.overdue,
            pending: f.pending,
            done_rate: if f.total == 0 {
                0.0
            } else {
                done as f64 / f.total as f64
            },
        }
    }
}

/// 按会议类别 (meetings by kind)
#[derive(SimpleObject)]
pub struct MeetingKindCount {
    /// 会议类别 (kind)
    pub kind: MeetingKind,
    /// 次数 (meetings held)
    pub count: i64,
}

/// 督办统计 — a year's oversight figures.
#[derive(SimpleObject)]
pub struct OversightStatistics {
    /// 年度 (year)
    pub year: i32,
    /// 按类别的会议次数 (meetings held, by kind)
    pub meetings: Vec<MeetingKindCount>,
    /// 会议议定事项 (meeting decisions)
    pub decisions: OversightTaskFigures,
    /// 风险管控措施 (risk control measures)
    pub risk_controls: OversightTaskFigures,
    /// 发布通报数 (circulars issued)
    pub circulars: i64,
    /// 通报接收单位次数 (recipient units, summed over circulars)
    pub recipients: i64,
    /// 已签收单位次数 (receipts)
    pub receipts: i64,
    /// 签收率（0到1）(read rate, 0 to 1)
    pub read_rate: f64,
}

/// What one statistics query counts for in the complexity limit (four statements).
pub const STATISTICS_COST: usize = 250;

fn created_order<E, M>(
    created: E::Column,
    id: E::Column,
    key: fn(&M) -> (SortValue, uuid::Uuid),
) -> KeysetOrder<E>
where
    E: sea_orm::EntityTrait<Model = M>,
{
    KeysetOrder::<E> {
        column: created,
        id_column: id,
        descending: true,
        key,
    }
}

/// Loads the named accounts `ids` into the request's loader (one statement), when any.
async fn prime_accounts(ctx: &Context<'_>, ids: HashSet<uuid::Uuid>) -> AppResult<()> {
    if !ids.is_empty() {
        loaders(ctx)?
            .named_by_id::<account::Entity>()
            .load_many(ids)
            .await?;
    }
    Ok(())
}

/// Loads the org units and enterprises `units` names, each kind in one statement, when the client
/// selected them.
async fn prime_units(
    ctx: &Context<'_>,
    units: impl Iterator<Item = (UnitKind, uuid::Uuid)>,
    org_field: &[&str],
    enterprise_field: &[&str],
) -> AppResult<()> {
    let (mut orgs, mut ents) = (HashSet::new(), HashSet::new());
    for (kind, id) in units {
        match kind {
            UnitKind::OrgUnit => orgs.insert(id),
            UnitKind::Enterprise => ents.insert(id),
        };
    }
    let l = loaders(ctx)?;
    if !orgs.is_empty() && node_selects(ctx, org_field) {
        l.by_id::<org_unit::Entity>().load_many(orgs).await?;
    }
    if !ents.is_empty() && node_selects(ctx, enterprise_field) {
        l.by_id::<enterprise::Entity>().load_many(ents).await?;
    }
    Ok(())
}

/// Primes what a page of meetings shows: decisions (and their owners), the units that attended.
async fn prime_meetings(ctx: &Context<'_>, page: &ListPage<meeting::Entity>) -> AppResult<()> {
    let ids: Vec<uuid::Uuid> = page.rows().map(|m| m.id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let l = loaders(ctx)?;
    if node_selects(ctx, &["decisions"]) {
        let groups = l.prime_grouped::<DecisionsOfMeeting>(&ids).await?;
        if node_selects(ctx, &["decisions", "owner"]) {
            let owners = groups.values().flatten().map(|t| t.owner_account_id);
            prime_accounts(ctx, owners.collect()).await?;
        }
    }
    if node_selects(ctx, &["orgUnits"]) || node_selects(ctx, &["enterprises"]) {
        let groups = l.prime_grouped::<UnitsOfMeeting>(&ids).await?;
        let units = groups.values().flatten().map(|u| (u.unit_kind, u.unit_id));
        prime_units(ctx, units, &["orgUnits"], &["enterprises"]).await?;
    }
    Ok(())
}

/// Primes what a page of tasks shows: owners, meetings, assessments.
async fn prime_tasks(ctx: &Context<'_>, page: &ListPage<task::Entity>) -> AppResult<()> {
    if node_selects(ctx, &["owner"]) {
        prime_accounts(ctx, page.rows().map(|t| t.owner_account_id).collect()).await?;
    }
    if principal(ctx).can(perms::MEETING_READ) {
        page.prime::<meeting::Entity>(ctx, "meeting", |t| t.meeting_id)
            .await?;
    }
    if principal(ctx).can(perms::ASSESSMENT_READ) {
        page.prime::<assessment::Entity>(ctx, "riskAssessment", |t| t.assessment_id)
            .await?;
    }
    Ok(())
}

/// Primes what a page of circulars shows: issuers and their units, recipients (their units and
/// readers), and the linked records — all of them loaded through the node directory as the
/// reader in one batch per record type, so each circular's `links` finds them in the loaders.
async fn prime_circulars(ctx: &Context<'_>, page: &ListPage<circular::Entity>) -> AppResult<()> {
    let ids: Vec<uuid::Uuid> = page.rows().map(|c| c.id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let l = loaders(ctx)?;
    if node_selects(ctx, &["issuer"]) {
        prime_accounts(ctx, page.rows().map(|c| c.issuer_account_id).collect()).await?;
    }
    page.prime::<org_unit::Entity>(ctx, "issuerUnit", |c| c.issuer_unit_id)
        .await?;
    if node_selects(ctx, &["recipients"]) || node_selects(ctx, &["receipts"]) {
        let groups = l.prime_grouped::<RecipientsOfCircular>(&ids).await?;
        let rows: Vec<_> = groups.values().flatten().collect();
        prime_units(
            ctx,
            rows.iter().map(|r| (r.unit_kind, r.unit_id)),
            &["recipients", "orgUnit"],
            &["recipients", "enterprise"],
        )
        .await?;
        if node_selects(ctx, &["recipients", "readBy"]) {
            prime_accounts(ctx, rows.iter().filter_map(|r| r.read_by).collect()).await?;
        }
    }
    if node_selects(ctx, &["links"]) {
        let groups = l.prime_grouped::<LinksOfCircular>(&ids).await?;
        let links: Vec<ID> = groups
            .values()
            .flatten()
            .map(|r| encode_id(&r.target_type, r.target_id))
            .collect();
        if !links.is_empty() {
            jianan_kernel::node::directory(ctx)?
                .load(ctx, &links, "links")
                .await?;
        }
    }
    Ok(())
}

/// Oversight queries.
#[derive(Default)]
pub struct OversightQuery;

#[Object]
impl OversightQuery {
    /// 会议（党组扩大会、专题会、宣贯会、学习会），最新记录的在前；企业和乡镇看本单位参加的
    /// (meetings within the caller's scope, newest first; units see the meetings they attended)
    #[graphql(
        guard = "Permission(perms::MEETING_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<MeetingFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Meeting>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<meeting::Entity>(&principal(ctx));
        if let Some(k) = f.kinds.filter(|k| !k.is_empty()) {
            select = select.filter(meeting::Column::Kind.is_in(k));
        }
        if let Some(d) = f.from {
            select = select.filter(meeting::Column::HeldOn.gte(d.0));
        }
        if let Some(d) = f.to {
            select = select.filter(meeting::Column::HeldOn.lte(d.0));
        }
        let order = created_order::<meeting::Entity, _>(
            meeting::Column::CreatedAt,
            meeting::Column::Id,
            |m| (SortValue::Time(m.created_at), m.id),
        );
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        prime_meetings(ctx, &page).await?;
        Ok(page.connection(Meeting))
    }

    /// 督办事项（会议议定事项、风险管控措施），最新交办的在前；乡镇、企业看本单位的
    /// (tasks within the caller's scope, newest first)
    #[graphql(
        guard = "Permission(perms::TASK_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn oversight_tasks(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<OversightTaskFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<OversightTask>> {
        let p = principal(ctx);
        let f = filter.unwrap_or_default();
        let mut select = scoped::<task::Entity>(&p);
        if let Some(k) = f.kinds.filter(|k| !k.is_empty()) {
            select = select.filter(task::Column::Kind.is_in(k));
        }
        if let Some(s) = f.statuses.filter(|s| !s.is_empty()) {
            select = select.filter(task::Column::Status.is_in(s));
        }
        if f.mine == Some(true) {
            select =
                select.filter(task::Column::OwnerAccountId.eq(p.account_id.unwrap_or_default()));
        }
        if let Some(d) = f.due_before {
            select = select.filter(task::Column::DueOn.lte(d.0));
        }
        let order =
            created_order::<task::Entity, _>(task::Column::CreatedAt, task::Column::Id, |m| {
                (SortValue::Time(m.created_at), m.id)
            });
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        prime_tasks(ctx, &page).await?;
        Ok(page.connection(OversightTask))
    }

    /// 风险研判，最新记录的在前 (risk assessments, newest first)
    #[graphql(
        guard = "Permission(perms::ASSESSMENT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn risk_assessments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "覆盖该日的 (covering this day)")] covering: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<RiskAssessment>> {
        let mut select = scoped::<assessment::Entity>(&principal(ctx));
        if let Some(d) = covering {
            select = select
                .filter(assessment::Column::StartsOn.lte(d.0))
                .filter(assessment::Column::EndsOn.gte(d.0));
        }
        let order = created_order::<assessment::Entity, _>(
            assessment::Column::CreatedAt,
            assessment::Column::Id,
            |m| (SortValue::Time(m.created_at), m.id),
        );
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        let ids: Vec<uuid::Uuid> = page.rows().map(|a| a.id).collect();
        if node_selects(ctx, &["risks"]) && !ids.is_empty() {
            let groups = loaders(ctx)?
                .prime_grouped::<RisksOfAssessment>(&ids)
                .await?;
            if node_selects(ctx, &["risks", "owner"]) {
                let owners = groups.values().flatten().map(|t| t.owner_account_id);
                prime_accounts(ctx, owners.collect()).await?;
            }
        }
        Ok(page.connection(RiskAssessment))
    }

    /// 某日须纳入监督检查的“两重两新”事项（覆盖该日的研判中标记的风险）(the “两重两新” risks of
    /// the assessments covering a day, for supervision checklists)
    #[graphql(guard = "Permission(perms::ASSESSMENT_READ)")]
    async fn supervision_focus_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "日期，缺省为今天 (the day; today by default)")] on: Option<Date>,
    ) -> async_graphql::Result<Vec<SupervisionFocusItem>> {
        let on = on.map_or_else(jianan_kernel::calendar::today, |d| d.0);
        let rows =
            assessment_service::focus_items(&kernel(ctx)?.db.conn, &principal(ctx), on).await?;
        Ok(rows
            .into_iter()
            .map(|(a, t)| SupervisionFocusItem {
                assessment: RiskAssessment(a),
                risk: OversightTask(t),
            })
            .collect())
    }

    /// 通报，最新发布的在前；接收单位看发给本单位的，乡镇也看本乡镇发布的
    /// (circulars within the caller's scope, newest first)
    #[graphql(
        guard = "Permission(perms::CIRCULAR_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn circulars(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Circular>> {
        let select = scoped::<circular::Entity>(&principal(ctx));
        let order = created_order::<circular::Entity, _>(
            circular::Column::IssuedAt,
            circular::Column::Id,
            |m| (SortValue::Time(m.issued_at), m.id),
        );
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        prime_circulars(ctx, &page).await?;
        Ok(page.connection(Circular))
    }

    /// 督办统计：会议次数、议定事项和管控措施的办结情况、通报签收率（按可见范围）
    /// (a year's figures: meetings, how decisions and control measures were done, circular receipts)
    #[graphql(
        guard = "Permission(perms::STATISTICS_READ)",
        complexity = "STATISTICS_COST"
    )]
    async fn oversight_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "年度 (year)")] year: i32,
    ) -> async_graphql::Result<OversightStatistics> {
        if !(2000..=2100).contains(&year) {
            return Err(
                jianan_kernel::AppError::bad_input("year", "年度应在2000到2100之间").into(),
            );
        }
        let s = statistics::statistics(&kernel(ctx)?.db.conn, &principal(ctx), year).await?;
        Ok(OversightStatistics {
            year,
            meetings: s
                .meetings
                .into_iter()
                .map(|(kind, count)| MeetingKindCount { kind, count })
                .collect(),
            decisions: s.decisions.into(),
            risk_controls: s.risk_controls.into(),
            circulars: s.circulars,
            recipients: s.recipients,
            receipts: s.receipts,
            read_rate: if s.recipients == 0 {
                0.0
            } else {
                s.receipts as f64 / s.recipients as f64
            },
        })
    }
}

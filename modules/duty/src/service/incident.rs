//! Information reports (信息报告: 事故、险情、灾情): a township's staff (for their township), an
//! enterprise's people (for their projects) or the commission file the first report, with the
//! casualties and losses as structured figures; whoever may file for it sends follow-ups (续报)
//! while it is open, each resetting the next deadline; the commission closes it (终报). Deadlines
//! are data ([`crate::rules::deadlines::reports`]); a follow-up not made in time publishes
//! `duty.incident_report_overdue` once per deadline ([`mark_overdue`], run by [`OverdueJob`]).
use chrono::{DateTime, TimeDelta, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::DomainEvent as _;
use jianan_contracts::duty::{IncidentReportOverdue, IncidentReported};
use jianan_entity::enums::OrgUnitKind;
use jianan_entity::{org_unit, project};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::inbox::{NewNotification, notify};
use jianan_kernel::module::ScheduledJob;
use jianan_kernel::principal::{Principal, RequestInfo, Role};
use jianan_kernel::scope::{RowScope, scoped};
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{IncidentKind, IncidentSeverity, IncidentStatus};
use crate::entity::{incident, incident_update};
use crate::perms;
use crate::rules::deadlines::reports as rule;

/// The GraphQL type name.
pub const REPORT: &str = "DutyIncidentReport";
/// How long ago an incident may have occurred to be filed now.
pub const MAX_AGE_DAYS: i64 = 30;

impl Versioned for incident::Entity {
    fn id_column() -> incident::Column {
        incident::Column::Id
    }
    fn version_column() -> incident::Column {
        incident::Column::Version
    }
    fn updated_at_column() -> incident::Column {
        incident::Column::UpdatedAt
    }
}

/// Casualties and losses (伤亡和损失).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Figures {
    pub deaths: i32,
    pub injuries: i32,
    pub missing: i32,
    pub direct_loss_yuan: i64,
}

impl Figures {
    fn check(&self) -> AppResult<()> {
        for (field, n) in [
            ("deaths", self.deaths),
            ("injuries", self.injuries),
            ("missing", self.missing),
        ] {
            if !(0..=100_000).contains(&n) {
                return Err(AppError::bad_input(field, "人数应为0至100000"));
            }
        }
        if !(0..=1_000_000_000_000).contains(&self.direct_loss_yuan) {
            return Err(AppError::bad_input(
                "directLossYuan",
                "直接经济损失金额无效",
            ));
        }
        Ok(())
    }
}

/// What `file` takes.
#[derive(Debug, Clone, Serialize)]
pub struct NewReport {
    pub kind: IncidentKind,
    pub severity: IncidentSeverity,
    pub title: String,
    pub description: String,
    pub township_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    pub figures: Figures,
    pub idempotency_key: Option<String>,
}

/// Whether `p` may report for a place: the commission anywhere; township staff in their township;
/// enterprise people for a project their enterprise takes part in (`project_visible`).
fn may_report_for(p: &Principal, township_id: Uuid, project_visible: bool) -> bool {
    match RowScope::of(p) {
        RowScope::District => true,
        RowScope::Township(t) => t == township_id,
        RowScope::Enterprise(_) => project_visible,
        RowScope::Nothing => false,
    }
}

/// 信息首报 (`duty.report.file`).
pub async fn file(k: &Kernel, who: &RequestInfo, input: NewReport) -> AppResult<incident::Model> {
    let p = &who.principal;
    p.require(perms::REPORT_FILE)?;
    let key = IdempotencyKey::from_input(
        who,
        "fileIncidentReport",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let title = required_text("title", "标题", &input.title, 200)?;
    let description = required_text("description", "情况描述", &input.description, 5000)?;
    input.figures.check()?;
    let now = Utc::now();
    if input.occurred_at > now + TimeDelta::minutes(5) {
        return Err(AppError::bad_input("occurredAt", "发生时间不能晚于现在"));
    }
    if input.occurred_at < now - TimeDelta::days(MAX_AGE_DAYS) {
        return Err(AppError::bad_input(
            "occurredAt",
            "只能报告30天内发生的事件",
        ));
    }
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return incident::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed report missing"));
    }
    let (township_id, project_id) = match input.project_id {
        Some(pid) => {
            let pr = scoped::<project::Entity>(p)
                .filter(project::Column::Id.eq(pid))
                .one(&*w)
                .await?
                .ok_or_else(|| AppError::bad_input("projectId", "项目不存在或无权查看"))?;
            if !may_report_for(p, pr.township_id, true) {
                return Err(AppError::bad_input("projectId", "只能报告本单位的项目"));
            }
            (pr.township_id, Some(pr.id))
        }
        None => {
            let t = input
                .township_id
                .ok_or_else(|| AppError::bad_input("townshipId", "请选择事发乡镇（街道）或项目"))?;
            org_unit::Entity::find_by_id(t)
                .one(&*w)
                .await?
                .filter(|u| matches!(u.kind, OrgUnitKind::Township | OrgUnitKind::Street))
                .ok_or_else(|| AppError::bad_input("townshipId", "乡镇（街道）不存在"))?;
            if !may_report_for(p, t, false) {
                return Err(AppError::bad_input(
                    "townshipId",
                    "只能报告本乡镇（街道）或本企业项目的事件",
                ));
            }
            (t, None)
        }
    };
    let f = input.figures;
    let model = incident::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(input.kind),
        severity: Set(input.severity),
        title: Set(title.clone()),
        description: Set(description),
        township_id: Set(township_id),
        project_id: Set(project_id),
        occurred_at: Set(input.occurred_at),
        reported_at: Set(now),
        first_due_at: Set(rule::first_due(input.occurred_at)),
        deaths: Set(f.deaths),
        injuries: Set(f.injuries),
        missing: Set(f.missing),
        direct_loss_yuan: Set(f.direct_loss_yuan),
        status: Set(IncidentStatus::Open),
        next_due_at: Set(Some(rule::next_due(now))),
        overdue_published_at: Set(None),
        closed_at: Set(None),
        reported_by: Set(p.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.report.file", REPORT, model.id).detail(json!({
            "kind": model.kind, "severity": model.severity, "township": township_id,
            "project": project_id, "occurredAt": model.occurred_at, "figures": f,
        })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &IncidentReported {
            report_id: model.id,
            kind: model.kind.into(),
            township_id,
            project_id,
            occurred_at: model.occurred_at,
            deaths: f.deaths,
        },
    )
    .await?;
    let mut recipients = super::accounts_with_role(&*w, Role::Leader).await?;
    recipients.extend(super::accounts_with_role(&*w, Role::DepartmentStaff).await?);
    recipients.sort();
    recipients.dedup();
    for r in recipients {
        notify(
            &*w,
            who,
            NewNotification {
                recipient_id: r,
                kind: IncidentReported::TOPIC.into(),
                title: format!("信息报告：{title}"),
                body: format!(
                    "死亡{}人、受伤{}人、失踪{}人",
                    f.deaths, f.injuries, f.missing
                ),
                subject: Some((REPORT.into(), model.id)),
            },
        )
        .await?;
    }
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// A report the caller may see.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<incident::Model> {
    scoped::<incident::Entity>(p)
        .filter(incident::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("信息报告"))
}

/// A step after the first report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 续报 (`duty.report.file`, by whoever may report for the place).
    FollowUp,
    /// 终报 (`duty.report.close`, the commission).
    Close,
}

/// 续报 or 终报: the figures as they now stand and what changed; refused once closed.
pub async fn advance(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    step: Step,
    text: &str,
    figures: Figures,
    expected_version: Option<i32>,
) -> AppResult<incident::Model> {
    let p = &who.principal;
    p.require(match step {
        Step::FollowUp => perms::REPORT_FILE,
        Step::Close => perms::REPORT_CLOSE,
    })?;
    let text = required_text("text", "报告内容", text, 5000)?;
    figures.check()?;
    let w = k.db.begin_write().await?;
    let r = visible(&*w, p, id).await?;
    if step == Step::FollowUp && !may_report_for(p, r.township_id, r.project_id.is_some()) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "只能续报本乡镇（街道）或本企业项目的事件",
        ));
    }
    if r.status == IncidentStatus::Closed {
        return Err(AppError::conflict("该信息报告已终报"));
    }
    claim_read::<incident::Entity, _>(&*w, r.id, r.version, expected_version).await?;
    let now = Utc::now();
    let mut am: incident::ActiveModel = r.clone().into();
    am.deaths = Set(figures.deaths);
    am.injuries = Set(figures.injuries);
    am.missing = Set(figures.missing);
    am.direct_loss_yuan = Set(figures.direct_loss_yuan);
    match step {
        Step::FollowUp => {
            am.next_due_at = Set(Some(rule::next_due(now)));
            am.overdue_published_at = Set(None);
        }
        Step::Close => {
            am.status = Set(IncidentStatus::Closed);
            am.next_due_at = Set(None);
            am.closed_at = Set(Some(now));
        }
    }
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    let step_name = match step {
        Step::FollowUp => "FOLLOW_UP",
        Step::Close => "CLOSURE",
    };
    incident_update::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(r.id),
        step: Set(step_name.into()),
        text: Set(text),
        deaths: Set(figures.deaths),
        injuries: Set(figures.injuries),
        missing: Set(figures.missing),
        direct_loss_yuan: Set(figures.direct_loss_yuan),
        created_by: Set(p.account_id),
        created_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(
            match step {
                Step::FollowUp => "duty.report.follow_up",
                Step::Close => "duty.report.close",
            },
            REPORT,
            r.id,
        )
        .detail(json!({ "figures": figures })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// Publishes `duty.incident_report_overdue` once for each open report whose follow-up deadline
/// has passed at `now` (claimed per report; a follow-up sets a new deadline and re-arms it), and
/// notifies the reporter. Returns how many were published.
pub async fn mark_overdue(k: &Kernel, now: DateTime<Utc>) -> AppResult<usize> {
    let who = RequestInfo::system("scheduler");
    let due = incident::Entity::find()
        .filter(incident::Column::Status.eq(IncidentStatus::Open))
        .filter(incident::Column::NextDueAt.lte(now))
        .filter(incident::Column::OverduePublishedAt.is_null())
        .order_by_asc(incident::Column::NextDueAt)
        .limit(500)
        .all(&k.db.conn)
        .await?;
    let mut n = 0;
    for r in due {
        let Some(due_at) = r.next_due_at else {
            continue; // not reached: the query asked for a deadline
        };
        let w = k.db.begin_write().await?;
        let claimed = incident::Entity::update_many()
            .col_expr(incident::Column::OverduePublishedAt, Expr::value(now))
            .filter(incident::Column::Id.eq(r.id))
            .filter(incident::Column::NextDueAt.eq(due_at))
            .filter(incident::Column::OverduePublishedAt.is_null())
            .exec(&*w)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        audit::record(
            &w,
            &who,
            AuditEntry::new("duty.report.overdue", REPORT, r.id).detail(json!({ "dueAt": due_at })),
        )
        .await?;
        outbox::publish_event(
            &*w,
            &who,
            &IncidentReportOverdue {
                report_id: r.id,
                township_id: r.township_id,
                due_at,
            },
        )
        .await?;
        if let Some(reporter) = r.reported_by {
            notify(
                &*w,
                &who,
                NewNotification {
                    recipient_id: reporter,
                    kind: IncidentReportOverdue::TOPIC.into(),
                    title: "信息报告续报逾期".into(),
                    body: format!("{}：请及时续报", r.title),
                    subject: Some((REPORT.into(), r.id)),
                },
            )
            .await?;
        }
        w.commit().await?;
        n += 1;
    }
    Ok(n)
}

/// The scheduled job around [`mark_overdue`].
pub struct OverdueJob {
    pub every: std::time::Duration,
}

impl ScheduledJob for OverdueJob {
    fn name(&self) -> &'static str {
        "duty.incident_report_overdue"
    }
    fn every(&self) -> std::time::Duration {
        self.every
    }
    fn run<'a>(&'a self, kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { mark_overdue(kernel, Utc::now()).await.map(|_| ()) })
    }
}

/// Report timeliness within the caller's scope: reports filed, first reports within the deadline,
/// reports whose follow-up is overdue now.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timeliness {
    pub reports: u32,
    pub first_on_time: u32,
    pub follow_up_overdue: u32,
}

/// Reported at, first report due, overdue published at.
type TimelinessRow = (DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>);

/// Timeliness of the reports filed in `[from, until)` that `p` may see.
pub async fn timeliness<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> AppResult<Timeliness> {
    p.require(perms::STATISTICS_READ)?;
    let rows: Vec<TimelinessRow> = scoped::<incident::Entity>(p)
        .select_only()
        .column(incident::Column::ReportedAt)
        .column(incident::Column::FirstDueAt)
        .column(incident::Column::OverduePublishedAt)
        .filter(incident::Column::ReportedAt.gte(from))
        .filter(incident::Column::ReportedAt.lt(until))
        .into_tuple()
        .all(db)
        .await?;
    let mut t = Timeliness::default();
    for (reported, first_due, overdue) in rows {
        t.reports += 1;
        if reported <= first_due {
            t.first_on_time += 1;
        }
        if overdue.is_some() {
            t.follow_up_overdue += 1;
        }
    }
    Ok(t)
}

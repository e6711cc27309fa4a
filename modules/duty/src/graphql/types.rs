//! Duty GraphQL types.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::{account, org_unit};
use jianan_kernel::loader::loaders;
use jianan_kernel::node::NodeRecord;
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::Date;
use jianan_registry::graphql::types::{Account, OrgUnit};

use crate::entity::enums::{
    DutyPost, IncidentKind, IncidentSeverity, IncidentStatus, KeyPeriodKind, ResponseLevel,
    WarningLevel, WarningTargetKind,
};
use crate::entity::{incident, key_period, response, shift, warning, warning_target};
use crate::perms;
use crate::service::roster::{Gap, RosterDay};
use crate::service::warning::Acknowledgement;

jianan_kernel::grouping!(
    /// A warning's targets, in the order they were given.
    pub TargetsOfWarning: crate::entity::warning_target, WarningId / warning_id, order Id);

/// 重点时段 — a key period (major holiday, extreme weather, sensitive period).
#[derive(Clone)]
pub struct DutyKeyPeriod(pub key_period::Model);

/// 重点时段 — a key period (major holiday, extreme weather, sensitive period).
#[Object]
impl DutyKeyPeriod {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 名称 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 类别 (kind)
    async fn kind(&self) -> KeyPeriodKind {
        self.0.kind
    }
    /// 等级 1–4（1 最高）(level, 1 the highest)
    async fn level(&self) -> i32 {
        self.0.level
    }
    /// 起始日（含）(first day, inclusive)
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// 结束日（含）(last day, inclusive)
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    /// 说明 (note)
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// 是否已撤销 (cancelled)
    async fn cancelled(&self) -> bool {
        self.0.cancelled_at.is_some()
    }
    /// 撤销时间 (cancelled at)
    async fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.0.cancelled_at
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}
jianan_kernel::node_record!(DutyKeyPeriod, key_period::Entity, perms::KEY_PERIOD_READ);

/// 签收情况 — a warning's acknowledgement, over the targets the caller may see.
#[derive(SimpleObject)]
pub struct DutyAcknowledgement {
    /// 预警对象数 (targets)
    pub targets: u32,
    /// 已签收 (acknowledged, on time or late)
    pub acknowledged: u32,
    /// 按时签收 (acknowledged by the deadline)
    pub on_time: u32,
    /// 逾期升级 (escalated for not acknowledging in time)
    pub escalated: u32,
    /// 签收率：已签收 ÷ 对象数 (acknowledgement rate)
    pub rate: f64,
}

impl From<Acknowledgement> for DutyAcknowledgement {
    fn from(a: Acknowledgement) -> Self {
        DutyAcknowledgement {
            targets: a.targets,
            acknowledged: a.acknowledged,
            on_time: a.on_time,
            escalated: a.escalated,
            rate: a.rate(),
        }
    }
}

/// 预警 — an early warning issued by the commission.
#[derive(Clone)]
pub struct DutyWarning(pub warning::Model);

impl DutyWarning {
    /// The targets the caller may see: the warning's targets (one batched statement per page)
    /// re-read through the caller's row scope (one more).
    async fn visible_targets(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<warning_target::Model>> {
        let l = loaders(ctx)?;
        let all = l
            .grouped::<TargetsOfWarning>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let visible = l
            .by_id::<warning_target::Entity>()
            .load_many(all.iter().map(|t| t.id))
            .await?;
        Ok(all
            .into_iter()
            .filter_map(|t| visible.get(&t.id).cloned())
            .collect())
    }
}

/// 预警 — an early warning issued by the commission.
#[Object]
impl DutyWarning {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 等级 (level)
    async fn level(&self) -> WarningLevel {
        self.0.level
    }
    /// 标题 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 预警内容 (message)
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// 防范要求 (required actions)
    async fn required_actions(&self) -> Vec<String> {
        serde_json::from_str(&self.0.required_actions).unwrap_or_default()
    }
    /// 发布时间 (issued at)
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
    /// 签收期限 (acknowledge by)
    async fn ack_due_at(&self) -> DateTime<Utc> {
        self.0.ack_due_at
    }
    /// 预警对象（按可见范围）(targets within the caller's scope)
    async fn targets(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DutyWarningTarget>> {
        Ok(self
            .visible_targets(ctx)
            .await?
            .into_iter()
            .map(DutyWarningTarget)
            .collect())
    }
    /// 签收情况（按可见范围）(acknowledgement over the targets within the caller's scope)
    async fn acknowledgement(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<DutyAcknowledgement> {
        let ts = self.visible_targets(ctx).await?;
        Ok(Acknowledgement::of(&ts).into())
    }
}
jianan_kernel::node_record!(DutyWarning, warning::Entity, perms::WARNING_READ);

/// 预警对象 — a township, project or department a warning is addressed to.
#[derive(Clone)]
pub struct DutyWarningTarget(pub warning_target::Model);

/// 预警对象 — a township, project or department a warning is addressed to.
#[Object]
impl DutyWarningTarget {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 类别 (kind)
    async fn kind(&self) -> WarningTargetKind {
        self.0.kind
    }
    /// 乡镇、项目或科室的全局编号 (global ID of the township, project or department)
    async fn unit_id(&self) -> ID {
        match self.0.kind {
            WarningTargetKind::Project => encode_id("Project", self.0.unit_id),
            _ => encode_id("OrgUnit", self.0.unit_id),
        }
    }
    /// 名称（发布时）(name when the warning was issued)
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// 所在乡镇（街道）(township it lies in; none for a department)
    async fn township(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        let Some(t) = self.0.township_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<org_unit::Entity>()
            .load_one(t)
            .await?
            .map(OrgUnit))
    }
    /// 签收期限 (acknowledge by)
    async fn ack_due_at(&self) -> DateTime<Utc> {
        self.0.ack_due_at
    }
    /// 签收时间 (acknowledged at)
    async fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.0.acknowledged_at
    }
    /// 签收说明 (note given when acknowledging)
    async fn ack_note(&self) -> Option<&str> {
        self.0.ack_note.as_deref()
    }
    /// 逾期升级时间 (escalated at, when not acknowledged in time)
    async fn escalated_at(&self) -> Option<DateTime<Utc>> {
        self.0.escalated_at
    }
}
jianan_kernel::node_record!(
    DutyWarningTarget,
    warning_target::Entity,
    perms::WARNING_READ
);

/// 值班班次 — one person on one duty post for a stretch of time.
#[derive(Clone)]
pub struct DutyShift(pub shift::Model);

/// 值班班次 — one person on one duty post for a stretch of time.
#[Object]
impl DutyShift {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 岗位 (post)
    async fn post(&self) -> DutyPost {
        self.0.post
    }
    /// 值班人 (the person on duty)
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        Ok(loaders(ctx)?
            .named_by_id::<account::Entity>()
            .load_one(self.0.account_id)
            .await?
            .map(Account))
    }
    /// 值班电话 (phone to reach them on)
    async fn phone(&self) -> &str {
        &self.0.phone
    }
    /// 开始 (starts at)
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    /// 结束 (ends at)
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    /// 在岗签到时间 (checked in at)
    async fn checked_in_at(&self) -> Option<DateTime<Utc>> {
        self.0.checked_in_at
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}
jianan_kernel::node_record!(DutyShift, shift::Entity, perms::ROSTER_READ);

/// 值班空档 — a stretch of a day a post is not covered.
#[derive(SimpleObject)]
pub struct DutyRosterGap {
    /// 岗位 (post)
    pub post: DutyPost,
    /// 起 (from)
    pub from: DateTime<Utc>,
    /// 止 (until)
    pub until: DateTime<Utc>,
}

impl From<Gap> for DutyRosterGap {
    fn from(g: Gap) -> Self {
        DutyRosterGap {
            post: g.post,
            from: g.from,
            until: g.until,
        }
    }
}

/// 某日值班表 — a day's roster: its shifts and the gaps they leave.
#[derive(SimpleObject)]
pub struct DutyRosterDay {
    /// 日期（北京时间）(date, Asia/Shanghai)
    pub date: Date,
    /// 是否法定节假日 (a statutory holiday; 24-hour duty covers it too)
    pub holiday: bool,
    /// 全天两个岗位均有人值守 (both posts covered all day)
    pub covered: bool,
    /// 班次 (shifts overlapping the day)
    pub shifts: Vec<DutyShift>,
    /// 空档 (gaps)
    pub gaps: Vec<DutyRosterGap>,
}

impl From<RosterDay> for DutyRosterDay {
    fn from(r: RosterDay) -> Self {
        DutyRosterDay {
            date: Date(r.date),
            holiday: r.holiday,
            covered: r.gaps.is_empty(),
            shifts: r.shifts.into_iter().map(DutyShift).collect(),
            gaps: r.gaps.into_iter().map(Into::into).collect(),
        }
    }
}

jianan_kernel::grouping!(
    /// A report's follow-ups and closure, oldest first.
    pub UpdatesOfReport: crate::entity::incident_update, ReportId / report_id, order Id);

/// 伤亡和损失 — casualties and losses.
#[derive(SimpleObject)]
pub struct DutyIncidentFigures {
    /// 死亡人数 (deaths)
    pub deaths: i32,
    /// 受伤人数 (injuries)
    pub injuries: i32,
    /// 失踪人数 (missing)
    pub missing: i32,
    /// 直接经济损失（元）(direct loss, yuan)
    pub direct_loss_yuan: String,
}

/// 续报、终报 — a follow-up or the closing report.
#[derive(SimpleObject)]
pub struct DutyIncidentUpdate {
    /// FOLLOW_UP 续报 或 CLOSURE 终报 (step)
    pub step: String,
    /// 报告内容 (text)
    pub text: String,
    /// 当时的伤亡和损失 (figures given)
    pub figures: DutyIncidentFigures,
    /// 时间 (at)
    pub created_at: DateTime<Utc>,
}

/// 信息报告 — a report of an accident, a danger or a disaster.
#[derive(Clone)]
pub struct DutyIncidentReport(pub incident::Model);

/// 信息报告 — a report of an accident, a danger or a disaster.
#[Object]
impl DutyIncidentReport {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 类别 (kind)
    async fn kind(&self) -> IncidentKind {
        self.0.kind
    }
    /// 等级 (severity)
    async fn severity(&self) -> IncidentSeverity {
        self.0.severity
    }
    /// 标题 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 情况描述 (description)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 事发乡镇（街道）(township)
    async fn township(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(loaders(ctx)?
            .by_id::<org_unit::Entity>()
            .load_one(self.0.township_id)
            .await?
            .map(OrgUnit))
    }
    /// 项目全局编号（如有）(project's global ID, if any)
    async fn project_id(&self) -> Option<ID> {
        self.0.project_id.map(|p| encode_id("Project", p))
    }
    /// 发生时间 (occurred at)
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// 首报时间 (first reported at)
    async fn reported_at(&self) -> DateTime<Utc> {
        self.0.reported_at
    }
    /// 首报时限 (first report due by)
    async fn first_due_at(&self) -> DateTime<Utc> {
        self.0.first_due_at
    }
    /// 首报是否超时 (first report late)
    async fn first_report_late(&self) -> bool {
        self.0.reported_at > self.0.first_due_at
    }
    /// 当前伤亡和损失 (casualties and losses as they now stand)
    async fn figures(&self) -> DutyIncidentFigures {
        DutyIncidentFigures {
            deaths: self.0.deaths,
            injuries: self.0.injuries,
            missing: self.0.missing,
            direct_loss_yuan: self.0.direct_loss_yuan.to_string(),
        }
    }
    /// 状态 (status)
    async fn status(&self) -> IncidentStatus {
        self.0.status
    }
    /// 下次续报时限 (next follow-up due by, while open)
    async fn next_due_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_due_at
    }
    /// 续报是否逾期（已发出逾期提醒）(follow-up overdue)
    async fn follow_up_overdue(&self) -> bool {
        self.0.overdue_published_at.is_some()
    }
    /// 终报时间 (closed at)
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// 续报和终报，最早的在前 (follow-ups and closure, oldest first)
    async fn updates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DutyIncidentUpdate>> {
        Ok(loaders(ctx)?
            .grouped::<UpdatesOfReport>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|u| DutyIncidentUpdate {
                step: u.step,
                text: u.text,
                figures: DutyIncidentFigures {
                    deaths: u.deaths,
                    injuries: u.injuries,
                    missing: u.missing,
                    direct_loss_yuan: u.direct_loss_yuan.to_string(),
                },
                created_at: u.created_at,
            })
            .collect())
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}
jianan_kernel::node_record!(DutyIncidentReport, incident::Entity, perms::REPORT_READ);

jianan_kernel::grouping!(
    /// A response's steps, in order.
    pub StepsOfResponse: crate::entity::response_step, ResponseId / response_id, order Id);

jianan_kernel::grouping!(
    /// The reports linked to a response.
    pub ReportsOfResponse: crate::entity::response_report, ResponseId / response_id, order Id);

/// 响应过程 — a response's start, an escalation or its end.
#[derive(SimpleObject)]
pub struct DutyEmergencyResponseStep {
    /// START 启动 / ESCALATE 提升 / END 结束 (action)
    pub action: String,
    /// 此后的级别 (level after the step)
    pub level: ResponseLevel,
    /// 说明 (note)
    pub note: Option<String>,
    /// 时间 (at)
    pub at: DateTime<Utc>,
}

/// 应急响应 — an emergency response, level Ⅳ to Ⅰ.
#[derive(Clone)]
pub struct DutyEmergencyResponse(pub response::Model);

/// 应急响应 — an emergency response, level Ⅳ to Ⅰ.
#[Object]
impl DutyEmergencyResponse {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 名称 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 启动原因 (reason)
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// 当前级别 (current level)
    async fn level(&self) -> ResponseLevel {
        self.0.level
    }
    /// 启动时间 (started at)
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    /// 结束时间 (ended at)
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
    /// 响应过程 (steps)
    async fn steps(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<DutyEmergencyResponseStep>> {
        Ok(loaders(ctx)?
            .grouped::<StepsOfResponse>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|s| DutyEmergencyResponseStep {
                action: s.action,
                level: s.level,
                note: s.note,
                at: s.at,
            })
            .collect())
    }
    /// 关联的信息报告（按可见范围）(linked reports within the caller's scope)
    async fn reports(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DutyIncidentReport>> {
        let l = loaders(ctx)?;
        let links = l
            .grouped::<ReportsOfResponse>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let found = l
            .by_id::<incident::Entity>()
            .load_many(links.iter().map(|x| x.report_id))
            .await?;
        Ok(links
            .into_iter()
            .filter_map(|x| found.get(&x.report_id).cloned().map(DutyIncidentReport))
            .collect())
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}
jianan_kernel::node_record!(
    DutyEmergencyResponse,
    response::Entity,
    perms::RESPONSE_READ
);

//! Oversight record types. Related records come from the request's loaders, primed by the list
//! resolvers for the whole page.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::{account, enterprise, org_unit};
use jianan_kernel::calendar::{local_date, today};
use jianan_kernel::loader::loaders;
use jianan_kernel::node::{Node, NodeRecord};
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::Date;
use jianan_registry::graphql::types::{Account, Enterprise, OrgUnit};

use crate::entity::enums::{
    AssessmentOccasion, MeetingKind, RiskLevel, TaskKind, TaskStatus, UnitKind,
};
use crate::entity::meeting_unit;
use crate::entity::{assessment, circular, circular_link, circular_recipient, meeting, task};
use crate::perms;
use crate::rules::{Timeliness, timeliness};

/// GraphQL type names (and audit entity types).
pub const MEETING: &str = "Meeting";
pub const TASK: &str = "OversightTask";
pub const ASSESSMENT: &str = "RiskAssessment";
pub const CIRCULAR: &str = "Circular";

jianan_kernel::grouping!(
    /// Units that attended, grouped by meeting.
    pub UnitsOfMeeting: crate::entity::meeting_unit, MeetingId / meeting_id, order UnitId);
/// Decisions grouped by meeting, in their order.
pub struct DecisionsOfMeeting;
impl jianan_kernel::loader::Grouping for DecisionsOfMeeting {
    type Entity = task::Entity;
    fn parent_column() -> task::Column {
        task::Column::MeetingId
    }
    fn parent_of(m: &task::Model) -> uuid::Uuid {
        m.meeting_id.unwrap_or_default()
    }
    fn order_column() -> task::Column {
        task::Column::Position
    }
}

/// Risks grouped by assessment, in their order.
pub struct RisksOfAssessment;
impl jianan_kernel::loader::Grouping for RisksOfAssessment {
    type Entity = task::Entity;
    fn parent_column() -> task::Column {
        task::Column::AssessmentId
    }
    fn parent_of(m: &task::Model) -> uuid::Uuid {
        m.assessment_id.unwrap_or_default()
    }
    fn order_column() -> task::Column {
        task::Column::Position
    }
}
jianan_kernel::grouping!(
    /// Recipients grouped by circular.
    pub RecipientsOfCircular: crate::entity::circular_recipient, CircularId / circular_id, order UnitId);
jianan_kernel::grouping!(
    /// Linked records grouped by circular, in their order.
    pub LinksOfCircular: crate::entity::circular_link, CircularId / circular_id, order Position);

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

async fn named_account(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<Account>> {
    Ok(loaders(ctx)?
        .named_by_id::<account::Entity>()
        .load_one(id)
        .await?
        .map(Account))
}

async fn org_unit(ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Option<OrgUnit>> {
    Ok(loaders(ctx)?
        .by_id::<org_unit::Entity>()
        .load_one(id)
        .await?
        .map(OrgUnit))
}

async fn enterprise(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<Enterprise>> {
    Ok(loaders(ctx)?
        .by_id::<enterprise::Entity>()
        .load_one(id)
        .await?
        .map(Enterprise))
}

/// 会议 — a deployment meeting or study session, as held.
#[derive(Clone)]
pub struct Meeting(pub meeting::Model);

/// 会议 — a deployment meeting or study session, as held.
#[Object]
impl Meeting {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 会议类别 (kind)
    async fn kind(&self) -> MeetingKind {
        self.0.kind
    }
    /// 会议名称 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 召开日期 (held on)
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }
    /// 会议地点 (venue)
    async fn venue(&self) -> &str {
        &self.0.venue
    }
    /// 主持人 (chair)
    async fn chair(&self) -> &str {
        &self.0.chair
    }
    /// 参会人员（姓名及单位）(attendees, as written)
    async fn attendees(&self) -> Vec<String> {
        json_list(&self.0.attendees)
    }
    /// 会议议题 (topics)
    async fn topics(&self) -> Vec<String> {
        json_list(&self.0.topics)
    }
    /// 会议纪要摘要 (summary of the minutes)
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// 参会机关科室、乡镇（街道）(org units that attended)
    async fn org_units(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrgUnit>> {
        let mut out = Vec::new();
        for u in units_of(ctx, self.0.id, UnitKind::OrgUnit).await? {
            out.extend(org_unit(ctx, u).await?);
        }
        Ok(out)
    }
    /// 参会企业（可见范围内）(enterprises that attended, within the caller's scope)
    async fn enterprises(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Enterprise>> {
        let mut out = Vec::new();
        for u in units_of(ctx, self.0.id, UnitKind::Enterprise).await? {
            out.extend(enterprise(ctx, u).await?);
        }
        Ok(out)
    }
    /// 议定事项 (decisions, in order)
    async fn decisions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OversightTask>> {
        Ok(loaders(ctx)?
            .grouped::<DecisionsOfMeeting>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(OversightTask)
            .collect())
    }
    /// 会议纪要等附件 (minutes and other attachments)
    async fn attachments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<jianan_kernel::graphql::Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 记录时间 (recorded at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}

async fn units_of(
    ctx: &Context<'_>,
    meeting: uuid::Uuid,
    kind: UnitKind,
) -> async_graphql::Result<Vec<uuid::Uuid>> {
    Ok(loaders(ctx)?
        .grouped::<UnitsOfMeeting>()
        .load_one(meeting)
        .await?
        .unwrap_or_default()
        .into_iter()
        .filter(|u: &meeting_unit::Model| u.unit_kind == kind)
        .map(|u| u.unit_id)
        .collect())
}

jianan_kernel::node_record!(Meeting, meeting::Entity, perms::MEETING_READ);

/// 督办事项 — a meeting's decision or a risk assessment's control measure, tracked to done.
#[derive(Clone)]
pub struct OversightTask(pub task::Model);

/// 督办事项 — a meeting's decision or a risk assessment's control measure, tracked to done.
#[Object]
impl OversightTask {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 类别 (kind)
    async fn kind(&self) -> TaskKind {
        self.0.kind
    }
    /// 议定事项或所研判的风险 (the decision, or the risk assessed)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 管控措施（风险）(control measures, for a risk)
    async fn measures(&self) -> Option<&str> {
        self.0.measures.as_deref()
    }
    /// 风险等级（风险）(risk level, for a risk)
    async fn risk_level(&self) -> Option<RiskLevel> {
        self.0.risk_level
    }
    /// 是否“两重两新”事项（须纳入监督检查内容）(a “两重两新” item: supervision checklists include it)
    async fn two_key_two_new(&self) -> bool {
        self.0.two_key_two_new
    }
    /// 责任人 (the person responsible)
    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        named_account(ctx, self.0.owner_account_id).await
    }
    /// 完成时限 (due on)
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// 状态 (state)
    async fn status(&self) -> TaskStatus {
        self.0.status
    }
    /// 时效：未到期、已逾期、按期办结、逾期办结 (timeliness against the due date, today)
    async fn timeliness(&self) -> Timeliness {
        timeliness(self.0.due_on, self.0.done_at.map(local_date), today())
    }
    /// 办结时间 (done at)
    async fn done_at(&self) -> Option<DateTime<Utc>> {
        self.0.done_at
    }
    /// 办理情况 (what was done)
    async fn done_note(&self) -> Option<&str> {
        self.0.done_note.as_deref()
    }
    /// 所属会议（可见时）(the meeting, when a decision and visible)
    async fn meeting(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Meeting>> {
        let Some(id) = self.0.meeting_id else {
            return Ok(None);
        };
        if !jianan_kernel::principal::principal(ctx).can(perms::MEETING_READ) {
            return Ok(None);
        }
        Ok(loaders(ctx)?
            .by_id::<meeting::Entity>()
            .load_one(id)
            .await?
            .map(Meeting))
    }
    /// 所属风险研判（可见时）(the risk assessment, when a risk and visible)
    async fn risk_assessment(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RiskAssessment>> {
        let Some(id) = self.0.assessment_id else {
            return Ok(None);
        };
        if !jianan_kernel::principal::principal(ctx).can(perms::ASSESSMENT_READ) {
            return Ok(None);
        }
        Ok(loaders(ctx)?
            .by_id::<assessment::Entity>()
            .load_one(id)
            .await?
            .map(RiskAssessment))
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}

jianan_kernel::node_record!(OversightTask, task::Entity, perms::TASK_READ);

/// 风险研判 — a risk assessment for a key period or node.
#[derive(Clone)]
pub struct RiskAssessment(pub assessment::Model);

/// 风险研判 — a risk assessment for a key period or node.
#[Object]
impl RiskAssessment {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 研判名称 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 研判时机 (occasion)
    async fn occasion(&self) -> AssessmentOccasion {
        self.0.occasion
    }
    /// 时段或节点名称 (the period or node)
    async fn occasion_name(&self) -> &str {
        &self.0.occasion_name
    }
    /// 覆盖起始日 (first day covered)
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// 覆盖结束日 (last day covered)
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    /// 研判日期 (assessed on)
    async fn assessed_on(&self) -> Date {
        Date(self.0.assessed_on)
    }
    /// 研判结论 (summary)
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// 风险及管控措施 (risks with their control measures, in order)
    async fn risks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OversightTask>> {
        Ok(loaders(ctx)?
            .grouped::<RisksOfAssessment>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(OversightTask)
            .collect())
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}

jianan_kernel::node_record!(RiskAssessment, assessment::Entity, perms::ASSESSMENT_READ);

/// 通报接收单位 — a recipient unit and its read receipt.
#[derive(Clone)]
pub struct CircularRecipient(pub circular_recipient::Model);

/// 通报接收单位 — a recipient unit and its read receipt.
#[Object]
impl CircularRecipient {
    /// 单位类别 (kind of unit)
    async fn unit_kind(&self) -> UnitKind {
        self.0.unit_kind
    }
    /// 接收的机关科室、乡镇（街道）(the org unit, when one)
    async fn org_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        match self.0.unit_kind {
            UnitKind::OrgUnit => org_unit(ctx, self.0.unit_id).await,
            UnitKind::Enterprise => Ok(None),
        }
    }
    /// 接收企业（可见范围内）(the enterprise, when one and visible)
    async fn enterprise(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Enterprise>> {
        match self.0.unit_kind {
            UnitKind::Enterprise => enterprise(ctx, self.0.unit_id).await,
            UnitKind::OrgUnit => Ok(None),
        }
    }
    /// 签收时间（本单位首位阅读者）(read at: the unit's first reader)
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
    /// 签收人 (who read it first)
    async fn read_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        match self.0.read_by {
            Some(id) => named_account(ctx, id).await,
            None => Ok(None),
        }
    }
}

/// 签收率 — figures of a circular's receipts.
#[derive(SimpleObject)]
pub struct ReceiptFigures {
    /// 接收单位数 (recipient units)
    pub recipients: i64,
    /// 已签收单位数 (units that read it)
    pub read: i64,
    /// 签收率（0到1）(read rate, 0 to 1)
    pub rate: f64,
}

/// 通报 — an issued circular listing the problems found.
#[derive(Clone)]
pub struct Circular(pub circular::Model);

impl Circular {
    async fn recipient_rows(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<circular_recipient::Model>> {
        Ok(loaders(ctx)?
            .grouped::<RecipientsOfCircular>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default())
    }
}

/// 通报 — an issued circular listing the problems found.
#[Object]
impl Circular {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 文号 (document number)
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// 标题 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 正文 (body)
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// 发布人 (issued by)
    async fn issuer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        named_account(ctx, self.0.issuer_account_id).await
    }
    /// 发布单位 (the issuer's unit)
    async fn issuer_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        match self.0.issuer_unit_id {
            Some(id) => org_unit(ctx, id).await,
            None => Ok(None),
        }
    }
    /// 发布时间 (issued at)
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
    /// 通报所列记录（仅列出本人可查看的）(the records it names: the inspections, hazards and
    /// enforcement actions the reader may read, in order)
    async fn links(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Node>> {
        let rows: Vec<circular_link::Model> = loaders(ctx)?
            .grouped::<LinksOfCircular>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<ID> = rows
            .iter()
            .map(|l| encode_id(&l.target_type, l.target_id))
            .collect();
        let directory = jianan_kernel::node::directory(ctx)?;
        Ok(directory
            .load(ctx, &ids, "links")
            .await?
            .into_iter()
            .flatten()
            .collect())
    }
    /// 接收单位及签收情况 (recipients and their receipts)
    async fn recipients(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CircularRecipient>> {
        Ok(self
            .recipient_rows(ctx)
            .await?
            .into_iter()
            .map(CircularRecipient)
            .collect())
    }
    /// 签收情况 (receipt figures)
    async fn receipts(&self, ctx: &Context<'_>) -> async_graphql::Result<ReceiptFigures> {
        let rows = self.recipient_rows(ctx).await?;
        let recipients = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        let read =
            i64::try_from(rows.iter().filter(|r| r.read_at.is_some()).count()).unwrap_or(i64::MAX);
        Ok(ReceiptFigures {
            recipients,
            read,
            rate: if recipients == 0 {
                0.0
            } else {
                read as f64 / recipients as f64
            },
        })
    }
}

jianan_kernel::node_record!(Circular, circular::Entity, perms::CIRCULAR_READ);

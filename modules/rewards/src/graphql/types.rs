//! Rewards GraphQL types. None of them has a field for the reporter's identity except
//! [`RevealedIdentity`], returned only by `revealReporterIdentity`.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::{account, org_unit, project};
use jianan_kernel::kernel;
use jianan_kernel::loader::loaders;
use jianan_kernel::node::NodeRecord;
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::{Date, Fen};
use jianan_kernel::scope::scoped;
use jianan_registry::graphql::types::{Account, OrgUnit, Project};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::entity::enums::{
    PaymentMethod, ReportCategory, ReportChannel, ReportStatus, RevealStatus, RewardStatus, Verdict,
};
use crate::entity::{message, report, reveal_request, reward};
use crate::perms;
use crate::service;

jianan_kernel::grouping!(
    /// Messages grouped by report, oldest first.
    pub MessagesOfReport: crate::entity::message, ReportId / report_id, order Id);

jianan_kernel::grouping!(
    /// The reward of each report (at most one: `report_id` is unique).
    pub RewardOfReport: crate::entity::reward, ReportId / report_id, order Id);

jianan_kernel::grouping!(
    /// What reports led to (hazards, enforcement actions), grouped by report.
    pub LinksOfReport: crate::entity::report_link, ReportId / report_id, order TargetId);

/// 举报沟通消息 — a question from the commission or the reporter's answer.
#[derive(SimpleObject, Clone)]
pub struct ReportMessage {
    /// 是否举报人所写（否则为委里的提问）(written by the reporter; otherwise a question from the commission)
    pub from_reporter: bool,
    /// 内容 (text)
    pub body: String,
    /// 时间 (sent at)
    pub sent_at: DateTime<Utc>,
}

impl From<message::Model> for ReportMessage {
    fn from(m: message::Model) -> Self {
        ReportMessage {
            from_reporter: m.from_reporter,
            body: m.body,
            sent_at: m.created_at,
        }
    }
}

/// 举报（办理人员所见）— a public report as handlers see it: the reporter appears only by
/// pseudonym.
#[derive(Clone)]
pub struct RewardReport(pub report::Model);

impl RewardReport {
    async fn links(&self, ctx: &Context<'_>, target_type: &str) -> async_graphql::Result<Vec<ID>> {
        Ok(loaders(ctx)?
            .grouped::<LinksOfReport>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|l| l.target_type == target_type)
            .map(|l| encode_id(target_type, l.target_id))
            .collect())
    }
}

/// 举报（办理人员所见）— a public report as handlers see it: the reporter appears only by
/// pseudonym.
#[Object]
impl RewardReport {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 举报人化名 (the reporter's pseudonym)
    async fn pseudonym(&self) -> &str {
        &self.0.pseudonym
    }
    /// 是否留有姓名或联系方式（加密保存，须经批准方可查看）(whether the reporter left a name or
    /// contact, sealed and readable only after an approved request)
    async fn named(&self) -> bool {
        self.0.named
    }
    /// 类别 (category)
    async fn category(&self) -> ReportCategory {
        self.0.category
    }
    /// 渠道 (channel)
    async fn channel(&self) -> ReportChannel {
        self.0.channel
    }
    /// 举报内容 (what the reporter describes)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 地点 (address)
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// 发现时间 (when the reporter observed it)
    async fn observed_at(&self) -> Option<DateTime<Utc>> {
        self.0.observed_at
    }
    /// 涉及项目 (project, when known)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        let Some(id) = self.0.project_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<project::Entity>()
            .load_one(id)
            .await?
            .map(Project))
    }
    /// 乡镇（街道）(township or street, when known)
    async fn township(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        let Some(id) = self.0.township_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<org_unit::Entity>()
            .load_one(id)
            .await?
            .map(OrgUnit))
    }
    /// 状态 (status)
    async fn status(&self) -> ReportStatus {
        self.0.status
    }
    /// 受理期限 (acceptance deadline, in working days from filing)
    async fn accept_due_at(&self) -> DateTime<Utc> {
        self.0.accept_due_at
    }
    /// 核查期限 (verification deadline, from acceptance)
    async fn verify_due_at(&self) -> Option<DateTime<Utc>> {
        self.0.verify_due_at
    }
    /// 是否已逾期（受理或核查）(whether a deadline was missed and published)
    async fn overdue(&self) -> bool {
        self.0.accept_overdue_at.is_some() || self.0.verify_overdue_at.is_some()
    }
    /// 不予受理理由 (why it was rejected)
    async fn rejection_reason(&self) -> Option<&str> {
        self.0.rejection_reason.as_deref()
    }
    /// 核查人 (the assigned verifier)
    async fn verifier(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Some(id) = self.0.verifier_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .named_by_id::<account::Entity>()
            .load_one(id)
            .await?
            .map(Account))
    }
    /// 核查结论 (verdict)
    async fn verdict(&self) -> Option<Verdict> {
        self.0.verdict
    }
    /// 核查情况 (findings)
    async fn findings(&self) -> Option<&str> {
        self.0.findings.as_deref()
    }
    /// 与举报人的沟通 (questions to and answers from the reporter, oldest first)
    async fn messages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ReportMessage>> {
        Ok(loaders(ctx)?
            .grouped::<MessagesOfReport>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ReportMessage::from)
            .collect())
    }
    /// 照片（已去除设备和位置信息）(photos, without device or location metadata)
    async fn photos(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<jianan_kernel::graphql::Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 据此所立隐患（监督检查模块依核查结论所立）(hazards inspections opened for this report; read
    /// them through `nodes(ids:)`)
    async fn hazard_ids(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ID>> {
        self.links(ctx, service::links::HAZARD).await
    }
    /// 据此下达的执法措施（针对上述隐患）(enforcement actions issued over those hazards)
    async fn enforcement_action_ids(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ID>> {
        self.links(ctx, service::links::ENFORCEMENT_ACTION).await
    }
    /// 身份查看申请（仅申请人和保管人可见）(requests to reveal the reporter's identity; shown to
    /// holders of the request or custodian permission only)
    async fn reveal_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<IdentityRevealRequest>> {
        let p = jianan_kernel::principal::principal(ctx);
        if !(p.can(perms::IDENTITY_REQUEST) || p.can(perms::IDENTITY_REVEAL)) {
            return Ok(Vec::new());
        }
        let k = kernel(ctx)?;
        let rows = scoped::<reveal_request::Entity>(&p)
            .filter(reveal_request::Column::ReportId.eq(self.0.id))
            .order_by_asc(reveal_request::Column::Id)
            .all(&k.db.conn)
            .await
            .map_err(jianan_kernel::AppError::from)?;
        Ok(rows.into_iter().map(IdentityRevealRequest).collect())
    }
    /// 重复举报：同一事项最早的举报（全局编号）(the earliest report of the same matter this one
    /// repeats; only the first valid reporter is rewarded)
    async fn duplicate_of(&self) -> Option<ID> {
        self.0.duplicate_of.map(|id| encode_id(Self::TYPE_NAME, id))
    }
    /// 举报奖励 (the reward, once proposed)
    async fn reward(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Reward>> {
        Ok(loaders(ctx)?
            .grouped::<RewardOfReport>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(Reward))
    }
    /// 提交时间 (filed at)
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}

jianan_kernel::node_record!(RewardReport, report::Entity, perms::REPORT_READ);

/// 举报（举报人所见）— what the bearer of the receipt code and passphrase sees of their report.
pub struct ReceiptReport {
    pub report: report::Model,
    pub messages: Vec<message::Model>,
}

/// 举报（举报人所见）— what the bearer of the receipt code and passphrase sees of their report.
#[Object]
impl ReceiptReport {
    /// 类别 (category)
    async fn category(&self) -> ReportCategory {
        self.report.category
    }
    /// 举报内容 (what was reported)
    async fn description(&self) -> &str {
        &self.report.description
    }
    /// 地点 (address)
    async fn address(&self) -> &str {
        &self.report.address
    }
    /// 状态 (status)
    async fn status(&self) -> ReportStatus {
        self.report.status
    }
    /// 提交时间 (filed at)
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.report.created_at
    }
    /// 受理期限 (acceptance deadline)
    async fn accept_due_at(&self) -> DateTime<Utc> {
        self.report.accept_due_at
    }
    /// 不予受理理由 (why it was rejected)
    async fn rejection_reason(&self) -> Option<&str> {
        self.report.rejection_reason.as_deref()
    }
    /// 核查结论（核查后可见）(verdict, once verified)
    async fn verdict(&self) -> Option<Verdict> {
        self.report.verdict
    }
    /// 委里的提问和本人的回复 (the commission's questions and the reporter's answers)
    async fn messages(&self) -> Vec<ReportMessage> {
        self.messages
            .iter()
            .cloned()
            .map(ReportMessage::from)
            .collect()
    }
    /// 奖励（拟定后可见：金额、状态、发放日期；不含审批人）(the reward once proposed: amount,
    /// status and payment date, never who approved it)
    async fn reward(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ReceiptReward>> {
        let k = kernel(ctx)?;
        Ok(service::reward::of_report(&k.db.conn, self.report.id)
            .await?
            .map(|r| ReceiptReward {
                amount_fen: Fen(r.amount_fen),
                status: r.status,
                paid_on: r.paid_on.map(Date),
            }))
    }
}

/// 奖励（举报人所见）— what the reporter sees of their reward: no names.
#[derive(SimpleObject)]
pub struct ReceiptReward {
    /// 奖励金额（分）(amount in fen)
    pub amount_fen: Fen,
    /// 状态 (status)
    pub status: RewardStatus,
    /// 发放日期 (paid on)
    pub paid_on: Option<Date>,
}

/// 举报奖励 — the reward of one report, as staff see it.
#[derive(Clone)]
pub struct Reward(pub reward::Model);

async fn named_account(
    ctx: &Context<'_>,
    id: Option<uuid::Uuid>,
) -> async_graphql::Result<Option<Account>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(loaders(ctx)?
        .named_by_id::<account::Entity>()
        .load_one(id)
        .await?
        .map(Account))
}

/// 举报奖励 — the reward of one report, as staff see it.
#[Object]
impl Reward {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 举报 (the report)
    async fn report(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RewardReport>> {
        Ok(loaders(ctx)?
            .by_id::<report::Entity>()
            .load_one(self.0.report_id)
            .await?
            .map(RewardReport))
    }
    /// 核查结论（计算依据）(the verdict the amount rests on)
    async fn verdict(&self) -> Verdict {
        self.0.verdict
    }
    /// 奖励金额（分）(amount paid, in fen)
    async fn amount_fen(&self) -> Fen {
        Fen(self.0.amount_fen)
    }
    /// 标准金额（分）(the standards table's amount, in fen)
    async fn standard_fen(&self) -> Fen {
        Fen(self.0.standard_fen)
    }
    /// 适用标准代码，如 RS2026-GH-FULL (rule code)
    async fn rule_code(&self) -> &str {
        &self.0.rule_code
    }
    /// 依据 (legal basis, as it stood when proposed)
    async fn basis(&self) -> &str {
        &self.0.basis
    }
    /// 金额调整理由 (why the amount differs from the standard)
    async fn override_reason(&self) -> Option<&str> {
        self.0.override_reason.as_deref()
    }
    /// 状态 (status)
    async fn status(&self) -> RewardStatus {
        self.0.status
    }
    /// 拟定人 (proposed by)
    async fn proposed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        named_account(ctx, Some(self.0.proposed_by)).await
    }
    /// 部门审核人 (first approver)
    async fn department_approved_by(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Account>> {
        named_account(ctx, self.0.department_approved_by).await
    }
    /// 部门审核时间 (first approval at)
    async fn department_approved_at(&self) -> Option<DateTime<Utc>> {
        self.0.department_approved_at
    }
    /// 领导审批人 (final approver)
    async fn final_approved_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        named_account(ctx, self.0.final_approved_by).await
    }
    /// 领导审批时间 (final approval at)
    async fn final_approved_at(&self) -> Option<DateTime<Utc>> {
        self.0.final_approved_at
    }
    /// 计入预算年度 (the budget year charged)
    async fn budget_year(&self) -> Option<i32> {
        self.0.budget_year
    }
    /// 不予奖励人 (refused by)
    async fn refused_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        named_account(ctx, self.0.refused_by).await
    }
    /// 不予奖励理由 (why it was refused)
    async fn refusal_reason(&self) -> Option<&str> {
        self.0.refusal_reason.as_deref()
    }
    /// 发放方式 (payment method)
    async fn payment_method(&self) -> Option<PaymentMethod> {
        self.0.payment_method
    }
    /// 发放日期 (paid on)
    async fn paid_on(&self) -> Option<Date> {
        self.0.paid_on.map(Date)
    }
    /// 发放登记人 (payment recorded by)
    async fn paid_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        named_account(ctx, self.0.paid_by).await
    }
    /// 举报人确认收到时间 (when the reporter confirmed receipt)
    async fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.0.confirmed_at
    }
    /// 拟定时间 (proposed at)
    async fn proposed_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}

jianan_kernel::node_record!(Reward, reward::Entity, perms::REPORT_READ);

/// 年度举报奖励预算 — a year's budget and what its rewards add up to (fen): available = budget −
/// committed − paid.
#[derive(SimpleObject)]
pub struct RewardBudget {
    /// 年度 (year)
    pub year: i32,
    /// 预算（分；未设定为空）(the budget in fen; null when not set)
    pub budget_fen: Option<Fen>,
    /// 已审批未发放（分）(approved, not yet paid)
    pub committed_fen: Fen,
    /// 已发放（分，含举报人已确认）(paid, confirmed or not)
    pub paid_fen: Fen,
    /// 可用余额（分）(available: budget − committed − paid)
    pub available_fen: Fen,
    /// 版本号（未设定为空）(version; null when not set)
    pub version: Option<i32>,
}

/// 举报人身份查看申请 — a handler's request to read a reporter's identity.
#[derive(Clone)]
pub struct IdentityRevealRequest(pub reveal_request::Model);

/// 举报人身份查看申请 — a handler's request to read a reporter's identity.
#[Object]
impl IdentityRevealRequest {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 举报 (the report)
    async fn report(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RewardReport>> {
        Ok(loaders(ctx)?
            .by_id::<report::Entity>()
            .load_one(self.0.report_id)
            .await?
            .map(RewardReport))
    }
    /// 申请人 (requested by)
    async fn requested_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        Ok(loaders(ctx)?
            .named_by_id::<account::Entity>()
            .load_one(self.0.requested_by)
            .await?
            .map(Account))
    }
    /// 申请理由 (reason)
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// 状态 (status)
    async fn status(&self) -> RevealStatus {
        self.0.status
    }
    /// 批准的保管人 (the approving custodian)
    async fn approved_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Some(id) = self.0.approved_by else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .named_by_id::<account::Entity>()
            .load_one(id)
            .await?
            .map(Account))
    }
    /// 批准时间 (approved at)
    async fn approved_at(&self) -> Option<DateTime<Utc>> {
        self.0.approved_at
    }
    /// 查看时间 (revealed at)
    async fn revealed_at(&self) -> Option<DateTime<Utc>> {
        self.0.revealed_at
    }
    /// 申请时间 (requested at)
    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(
    IdentityRevealRequest,
    reveal_request::Entity,
    perms::REPORT_READ
);

/// 举报人身份（仅经批准的申请人可见一次）— the reporter's identity, shown once to the approved
/// requester.
#[derive(SimpleObject)]
pub struct RevealedIdentity {
    /// 姓名 (name)
    pub name: Option<String>,
    /// 联系方式 (contact)
    pub contact: Option<String>,
}

impl From<service::report::Identity> for RevealedIdentity {
    fn from(i: service::report::Identity) -> Self {
        RevealedIdentity {
            name: i.name,
            contact: i.contact,
        }
    }
}

impl RewardBudget {
    /// A year's budget and its ledger (two statements, the sums in SQL).
    pub async fn load<C: sea_orm::ConnectionTrait>(
        db: &C,
        year: i32,
    ) -> jianan_kernel::AppResult<RewardBudget> {
        let b = service::reward::budget_of(db, year).await?;
        let l = service::reward::ledger(db, year).await?;
        let budget = b.as_ref().map_or(0, |b| b.amount_fen);
        Ok(RewardBudget {
            year,
            budget_fen: b.as_ref().map(|b| Fen(b.amount_fen)),
            committed_fen: Fen(l.committed_fen),
            paid_fen: Fen(l.paid_fen),
            available_fen: Fen(budget - l.committed_fen - l.paid_fen),
            version: b.map(|b| b.version),
        })
    }
}

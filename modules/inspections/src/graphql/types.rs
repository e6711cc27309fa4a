//! Inspections GraphQL types.
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use jianan_entity::{account, enterprise, project};
use jianan_kernel::graphql::Attachment;
use jianan_kernel::loader::{Grouping, loaders};
use jianan_kernel::node::NodeRecord;
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::{Date, Fen};
use jianan_kernel::{AppResult, kernel};
use jianan_registry::graphql::types::{Account, Enterprise, Project};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::{HazardLevel, HazardStatus, Implementation, RectificationAction};
use crate::entity::{hazard, hazard_implementation, hazard_step};
use crate::rules::hazard_class::GeneralCategory;
use crate::rules::hazard_criteria::HazardCategory;

jianan_kernel::grouping!(
    /// Rectification steps grouped by hazard.
    pub StepsOfHazard: hazard_step, HazardId / hazard_id, order Id);

jianan_kernel::grouping!(
    /// Five-implementation records grouped by hazard.
    pub ImplementationsOfHazard: hazard_implementation, HazardId / hazard_id, order Kind);

/// 隐患 — a hazard and its rectification.
#[derive(Clone)]
pub struct Hazard(pub hazard::Model);

/// 隐患 — a hazard and its rectification.
#[Object]
impl Hazard {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 所在项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        Ok(loaders(ctx)?
            .by_id::<project::Entity>()
            .load_one(self.0.project_id)
            .await?
            .map(Project))
    }
    /// 隐患等级 (level)
    async fn level(&self) -> HazardLevel {
        self.0.level
    }
    /// 重大事故隐患的类别（判定标准的条）；一般隐患为空，见 generalCategory (a major hazard's
    /// category of the criteria; null for a general hazard, see generalCategory)
    async fn category(&self) -> Option<HazardCategory> {
        (self.0.level == HazardLevel::Major)
            .then(|| HazardCategory::from_code(&self.0.category))
            .flatten()
    }
    /// 一般隐患的类别（JGJ 59 检查项目）；重大隐患为空 (a general hazard's JGJ 59 item; null for a
    /// major hazard)
    async fn general_category(&self) -> Option<GeneralCategory> {
        (self.0.level == HazardLevel::General)
            .then(|| GeneralCategory::from_code(&self.0.category))
            .flatten()
    }
    /// 重大事故隐患所符合的判定标准条款 (the condition of the 2024 criteria a major hazard meets)
    async fn criterion(&self) -> Option<HazardCriterion> {
        self.0
            .criterion
            .as_deref()
            .and_then(crate::rules::hazard_criteria::criterion_by_code)
            .map(HazardCriterion::from)
    }
    /// 是否由企业现场整改销号 (fixed on the spot by the enterprise during its self-check)
    async fn fixed_on_spot(&self) -> bool {
        self.0.fixed_on_spot
    }
    /// 挂牌督办（重大事故隐患）(listed supervision of a major hazard)
    async fn supervision(&self) -> Option<HazardSupervision> {
        match (
            self.0.supervising_unit_id,
            self.0.supervision_deadline_at,
            self.0.supervision_listed_at,
        ) {
            (Some(unit), Some(deadline_at), Some(listed_at)) => Some(HazardSupervision {
                unit,
                deadline_at,
                listed_at,
            }),
            _ => None,
        }
    }
    /// 销号验收时间（重大事故隐患）(when a major hazard's rectification was accepted)
    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.accepted_at
    }
    /// 验收人 (who accepted it)
    async fn accepted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Some(id) = self.0.accepted_by else {
            return Ok(None);
        };
        Ok(accounts_in_order(ctx, &[id]).await?.into_iter().next())
    }
    /// 待审批的延期申请 (the pending deadline-extension request)
    async fn pending_extension(&self) -> Option<PendingExtension> {
        match (self.0.extension_days, self.0.extension_requested_at) {
            (Some(days), Some(at)) => Some(PendingExtension {
                extra_working_days: days,
                reason: self.0.extension_reason.clone().unwrap_or_default(),
                requested_at: at,
            }),
            _ => None,
        }
    }
    /// 隐患描述 (description)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 具体部位 (location on site)
    async fn location(&self) -> &str {
        &self.0.location
    }
    /// 整改状态 (status)
    async fn status(&self) -> HazardStatus {
        self.0.status
    }
    /// 整改责任企业 (responsible enterprise)
    async fn responsible_enterprise(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Enterprise>> {
        let Some(id) = self.0.responsible_enterprise_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<enterprise::Entity>()
            .load_one(id)
            .await?
            .map(Enterprise))
    }
    /// 整改责任人 (responsible person)
    async fn responsible_person(&self) -> Option<&str> {
        self.0.responsible_person.as_deref()
    }
    /// 整改期限（工作日）(deadline in working days)
    async fn deadline_working_days(&self) -> Option<i32> {
        self.0.deadline_working_days
    }
    /// 整改截止时间（按节假日日历计算）(deadline, computed on the working-day calendar)
    async fn deadline_at(&self) -> Option<DateTime<Utc>> {
        self.0.deadline_at
    }
    /// 是否整改逾期：期限已过而责任企业仍未提交整改（待复查的不算）(the responsible enterprise is past
    /// its deadline and has not submitted; a hazard waiting for verification is not overdue)
    async fn overdue(&self) -> bool {
        crate::service::rectification::enterprise_is_late(
            self.0.status,
            self.0.deadline_at,
            Utc::now(),
        )
    }
    /// 上报时间 (reported at)
    async fn reported_at(&self) -> DateTime<Utc> {
        self.0.reported_at
    }
    /// 销号时间 (closed at)
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// 五落实记录（重大事故隐患）(the five implementations recorded, for major hazards)
    async fn implementations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<HazardImplementationRecord>> {
        let list = loaders(ctx)?
            .grouped::<ImplementationsOfHazard>()
            .load_one(self.0.id)
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(HazardImplementationRecord)
            .collect())
    }
    /// 整改过程 (the rectification steps, oldest first)
    async fn steps(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RectificationStep>> {
        let list = loaders(ctx)?
            .grouped::<StepsOfHazard>()
            .load_one(self.0.id)
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(RectificationStep)
            .collect())
    }
    /// 照片和文件 (photos and documents)
    async fn photos(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 当前用户现在可办理的事项，与对应变更的规则相同 (what the caller may do with this hazard now,
    /// by the rules the mutations apply)
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::viewer::HazardViewerCan> {
        super::viewer::hazard_viewer_can(ctx, &self.0).await
    }
}

/// 整改记录 — one step of a hazard's rectification.
pub struct RectificationStep(pub hazard_step::Model);

/// 整改记录 — one step of a hazard's rectification.
#[Object]
impl RectificationStep {
    /// 动作 (action)
    async fn action(&self) -> RectificationAction {
        self.0.action
    }
    /// 原状态 (status before)
    async fn from_status(&self) -> Option<HazardStatus> {
        self.0.from_status
    }
    /// 新状态 (status after)
    async fn to_status(&self) -> HazardStatus {
        self.0.to_status
    }
    /// 操作人账号全局编号 (actor's account ID)
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_id.map(|a| encode_id("Account", a))
    }
    /// 说明 (comment)
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    /// 时间 (at)
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// 本环节的照片 (the step's photos)
    async fn photos(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        let ids: Vec<Uuid> = serde_json::from_str(&self.0.photo_ids).unwrap_or_default();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The hazard's attachments, loaded once per request for all its steps.
        let all = jianan_kernel::graphql::attachments_of(ctx, self.0.hazard_id).await?;
        Ok(ids
            .iter()
            .filter_map(|id| all.iter().find(|a| a.0.id == *id).cloned())
            .collect())
    }
}

jianan_kernel::grouping!(
    /// The re-inspection a failing inspection calls for, by the failing inspection.
    pub ReinspectionOfInspection: crate::entity::reinspection, FailedInspectionId / failed_inspection_id, order FailedInspectionId);

/// 复查 — the scored re-inspection a failing inspection calls for.
pub struct Reinspection(pub crate::entity::reinspection::Model);

/// 复查 — the scored re-inspection a failing inspection calls for (JGJ 59-2011 §5.0.3).
#[Object]
impl Reinspection {
    /// 复查期限 (due by)
    async fn due_at(&self) -> DateTime<Utc> {
        self.0.due_at
    }
    /// 由委复查（true）或企业自行复查（false）(owed by the commission, or by the enterprise for its
    /// own self-check)
    async fn by_commission(&self) -> bool {
        self.0.by_commission
    }
    /// 是否逾期未复查 (past due and not carried out)
    async fn overdue(&self) -> bool {
        self.0.fulfilled_at.is_none() && self.0.due_at < Utc::now()
    }
    /// 复查完成时间 (when it was carried out)
    async fn fulfilled_at(&self) -> Option<DateTime<Utc>> {
        self.0.fulfilled_at
    }
    /// 复查的检查记录（按可见范围）(the re-inspection, if the caller sees it)
    async fn fulfilled_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Inspection>> {
        let Some(id) = self.0.fulfilled_inspection_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<crate::entity::inspection::Entity>()
            .load_one(id)
            .await?
            .map(Inspection))
    }
}

/// 判定标准条款 — one condition of 《房屋市政工程生产安全重大事故隐患判定标准（2024版）》.
#[derive(async_graphql::SimpleObject)]
pub struct HazardCriterion {
    /// 代码，如 SCAFFOLDING-2 (code)
    pub code: String,
    /// 类别（条）(category: the article)
    pub category: HazardCategory,
    /// 条款，如 第七条第（二）项 (article and item)
    pub article: String,
    /// 条款内容（措辞待与正式文本核对）(the condition; wording to verify against the published text)
    pub text: String,
}

impl From<&crate::rules::hazard_criteria::Criterion> for HazardCriterion {
    fn from(c: &crate::rules::hazard_criteria::Criterion) -> Self {
        HazardCriterion {
            code: c.code(),
            category: c.category,
            article: c.article.to_owned(),
            text: c.text.to_owned(),
        }
    }
}

/// 挂牌督办 — a major hazard's listed supervision.
pub struct HazardSupervision {
    unit: Uuid,
    deadline_at: DateTime<Utc>,
    listed_at: DateTime<Utc>,
}

/// 挂牌督办 — a major hazard's listed supervision.
#[Object]
impl HazardSupervision {
    /// 督办单位 (supervising unit)
    async fn supervising_unit(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<jianan_registry::graphql::types::OrgUnit>> {
        Ok(loaders(ctx)?
            .by_id::<jianan_entity::org_unit::Entity>()
            .load_one(self.unit)
            .await?
            .map(jianan_registry::graphql::types::OrgUnit))
    }
    /// 督办期限 (deadline)
    async fn deadline_at(&self) -> DateTime<Utc> {
        self.deadline_at
    }
    /// 挂牌时间 (listed at)
    async fn listed_at(&self) -> DateTime<Utc> {
        self.listed_at
    }
}

/// 待审批的延期申请 — a pending deadline extension.
#[derive(async_graphql::SimpleObject)]
pub struct PendingExtension {
    /// 申请延长的工作日数 (extra working days asked for)
    pub extra_working_days: i32,
    /// 理由 (reason)
    pub reason: String,
    /// 申请时间 (requested at)
    pub requested_at: DateTime<Utc>,
}

/// 五落实记录 — one implementation recorded for a major hazard.
pub struct HazardImplementationRecord(pub hazard_implementation::Model);

/// 五落实记录 — one implementation recorded for a major hazard.
#[Object]
impl HazardImplementationRecord {
    /// 哪一项 (which implementation)
    async fn kind(&self) -> Implementation {
        self.0.kind
    }
    /// 落实内容 (content)
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// 记录时间 (recorded at)
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

/// 执法措施 — an enforcement action (约谈、通报、曝光、扣分、停工、罚款).
#[derive(Clone)]
pub struct EnforcementAction(pub crate::entity::enforcement_action::Model);

/// 执法措施 — an enforcement action (约谈、通报、曝光、扣分、停工、罚款).
#[Object]
impl EnforcementAction {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 措施类型 (kind)
    async fn kind(&self) -> crate::entity::enums::EnforcementKind {
        self.0.kind
    }
    /// 法律依据 (legal basis)
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// 事实与处理说明 (facts and decision)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 对象企业 (target enterprise)
    async fn target_enterprise(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Enterprise>> {
        let Some(id) = self.0.target_enterprise_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<enterprise::Entity>()
            .load_one(id)
            .await?
            .map(Enterprise))
    }
    /// 对象个人 (target person)
    async fn target_person(&self) -> Option<&str> {
        self.0.target_person.as_deref()
    }
    /// 所涉项目 (project)
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
    /// 扣分分值 (credit points deducted)
    async fn points(&self) -> Option<i32> {
        self.0.points
    }
    /// 罚款金额（分，64位安全的字符串）(penalty in fen, as a 64-bit-safe string)
    async fn penalty_fen(&self) -> Option<Fen> {
        self.0.penalty_fen.map(Fen)
    }
    /// 关联隐患的全局编号 (linked hazards)
    async fn hazard_ids(&self) -> Vec<ID> {
        let ids: Vec<Uuid> = serde_json::from_str(&self.0.hazard_ids).unwrap_or_default();
        ids.into_iter().map(|i| encode_id("Hazard", i)).collect()
    }
    /// 关联检查的全局编号 (linked inspections)
    async fn inspection_ids(&self) -> Vec<ID> {
        let ids: Vec<Uuid> = serde_json::from_str(&self.0.inspection_ids).unwrap_or_default();
        ids.into_iter()
            .map(|i| encode_id("Inspection", i))
            .collect()
    }
    /// 文书和照片（告知书、决定书、送达回证等）(documents and photos: notices, decisions, receipts)
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 罚款的处罚程序（告知、陈述申辩或听证、决定、缴纳），按记录顺序；其他措施为空
    /// (a penalty's procedure so far, in order; empty for other kinds)
    async fn penalty_procedure(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<PenaltyProcedureStep>> {
        let list = loaders(ctx)?
            .grouped::<PenaltyStepsOfAction>()
            .load_one(self.0.id)
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(PenaltyProcedureStep)
            .collect())
    }
    /// 下达时间 (issued at)
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
    /// 当前用户现在可办理的事项，与对应变更的规则相同 (what the caller may do with this action now,
    /// by the rules the mutations apply)
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::viewer::EnforcementActionViewerCan> {
        super::viewer::enforcement_viewer_can(ctx, &self.0).await
    }
}

jianan_kernel::grouping!(
    /// Penalty procedure steps grouped by action.
    pub PenaltyStepsOfAction: crate::entity::penalty_step, ActionId / action_id, order RecordedAt);

/// 处罚程序步骤 — one recorded step of a penalty's procedure.
pub struct PenaltyProcedureStep(pub crate::entity::penalty_step::Model);

/// 处罚程序步骤 — one recorded step of a penalty's procedure.
#[Object]
impl PenaltyProcedureStep {
    /// 步骤 (step)
    async fn step(&self) -> crate::rules::penalty::PenaltyStep {
        self.0.step
    }
    /// 发生时间（以文书为准）(when it happened, as the documents say)
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// 决定书文号 (decision document number; DECIDED)
    async fn decision_number(&self) -> Option<&str> {
        self.0.decision_number.as_deref()
    }
    /// 缴纳金额（分）(amount paid in fen; PAID)
    async fn amount_fen(&self) -> Option<Fen> {
        self.0.amount_fen.map(Fen)
    }
    /// 备注 (note)
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// 记录时间 (recorded at)
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

/// 曝光 — a public exposure (曝光) as the public sees it: who, what, on which basis, when. Readable
/// without login; carries nothing about the inspections or people behind it.
pub struct PublicExposure(pub crate::entity::enforcement_action::Model);

/// 曝光 — a public exposure as the public sees it.
#[Object]
impl PublicExposure {
    /// 被曝光企业名称 (enterprise exposed)
    async fn enterprise_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.enterprise(ctx).await?.map(|e| e.name))
    }
    /// 被曝光企业统一社会信用代码 (its unified social credit code)
    async fn enterprise_uscc(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.enterprise(ctx).await?.map(|e| e.uscc))
    }
    /// 事实与处理 (facts and decision)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 法律依据 (legal basis)
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// 曝光时间 (published at)
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
}

impl PublicExposure {
    /// The exposed enterprise, read without the caller's scope: an exposure is public by nature.
    async fn enterprise(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<enterprise::Model>> {
        let Some(id) = self.0.target_enterprise_id else {
            return Ok(None);
        };
        Ok(enterprise::Entity::find_by_id(id)
            .one(&kernel(ctx)?.db.conn)
            .await
            .map_err(jianan_kernel::AppError::from)?)
    }
}

/// “双随机”抽查 — a double-random draw. The seed, canonical input and result are shown once it is
/// published; the seed's commitment is public from the start.
#[derive(Clone)]
pub struct RandomDraw(pub crate::entity::random_draw::Model);

impl RandomDraw {
    fn published(&self) -> bool {
        self.0.status == crate::entity::enums::DrawStatus::Published
    }
}

/// “双随机”抽查 — a double-random draw. The seed, canonical input and result are shown once it is
/// published; the seed's commitment is public from the start.
#[Object]
impl RandomDraw {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 抽查名称 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 状态 (status)
    async fn status(&self) -> crate::entity::enums::DrawStatus {
        self.0.status
    }
    /// 承诺（创建时即公开）：jianan-draw-v2 为 SHA-256(种子字节 ‖ SHA-256(规范化输入))，覆盖种子和
    /// 全部输入；旧版 jianan-draw-v1 为 SHA-256(种子字节) (the commitment, public from creation:
    /// under `jianan-draw-v2` the hex SHA-256 of the 32 seed bytes followed by the 32-byte SHA-256
    /// of `canonicalInput`, so it covers the seed and the whole input; under the legacy
    /// `jianan-draw-v1`, the SHA-256 of the seed bytes)
    async fn commitment(&self) -> &str {
        &self.0.commitment
    }
    /// 抽查协议版本：jianan-draw-v2 或旧版 jianan-draw-v1，决定承诺和规范化输入的算法
    /// (the protocol: `jianan-draw-v2`, or `jianan-draw-v1` for draws committed before it; it
    /// says how `commitment` and `canonicalInput` are computed)
    async fn protocol(&self) -> &'static str {
        if self.0.draw_date.is_some() {
            crate::rules::draw::PROTOCOL_V2
        } else {
            crate::rules::draw::DRAW_VERSION
        }
    }
    /// 抽查日期（北京时间），属于承诺的输入；人员名录按此日核验执法证 (the draw date, Beijing
    /// time: part of the committed input; pool members' credentials are valid on it)
    async fn draw_date(&self) -> Option<Date> {
        self.0.draw_date.map(Date)
    }
    /// 随机种子（公开后可见）(the seed, once published)
    async fn seed(&self) -> Option<&str> {
        self.published().then_some(self.0.seed_hex.as_str())
    }
    /// 规范化输入 JSON（名录、项目、每组人数、抽取数量、回避、日期），任何人可据此核对承诺并复算
    /// （公开后可见）(the canonical input document — pools, counts, conflicts, date — to check
    /// the commitment against and re-run, once published)
    async fn canonical_input(&self) -> async_graphql::Result<Option<String>> {
        if !self.published() {
            return Ok(None);
        }
        Ok(Some(crate::service::draw::canonical_input(&self.0)?))
    }
    /// 输入哈希 (SHA-256 of the canonical input, once published)
    async fn input_hash(&self) -> Option<&str> {
        if self.published() {
            self.0.input_hash.as_deref()
        } else {
            None
        }
    }
    /// 抽取结果（公开后可见）(the assignments, in draw order, once published)
    async fn assignments(&self) -> async_graphql::Result<Option<Vec<DrawAssignment>>> {
        if !self.published() {
            return Ok(None);
        }
        let Some((result, labels)) = crate::service::draw::result_of(&self.0)? else {
            return Ok(None);
        };
        let outcomes = crate::service::draw::outcomes_of(&self.0)?.unwrap_or_default();
        let person = |i: &Uuid| DrawInspector {
            id: encode_id("Account", *i),
            name: labels.inspectors.get(i).cloned().unwrap_or_default(),
        };
        Ok(Some(
            result
                .assignments
                .into_iter()
                .map(|a| {
                    let (code, name) = labels.projects.get(&a.target).cloned().unwrap_or_default();
                    let outcome = outcomes.iter().find(|o| o.project_id == a.target).map(|o| {
                        DrawAssignmentOutcome {
                            status: if o.inspection_id.is_some() {
                                DrawAssignmentStatus::CarriedOut
                            } else {
                                DrawAssignmentStatus::NotCarriedOut
                            },
                            inspection_id: o.inspection_id.map(|i| encode_id("Inspection", i)),
                            result: o.result(),
                            inspected_at: o.inspected_at,
                            checked_by: o.checked_by.iter().map(person).collect(),
                            hazards_found: o.hazards_found,
                        }
                    });
                    DrawAssignment {
                        project_id: encode_id("Project", a.target),
                        project_code: code,
                        project_name: name,
                        inspectors: a.inspectors.iter().map(person).collect(),
                        outcome,
                    }
                })
                .collect(),
        ))
    }
    /// 每组人数 (team size)
    async fn team_size(&self) -> async_graphql::Result<u32> {
        Ok(crate::service::draw::pools(&self.0)?.team_size)
    }
    /// 抽取对象数量 (how many targets)
    async fn target_count(&self) -> async_graphql::Result<u32> {
        Ok(crate::service::draw::pools(&self.0)?.target_count)
    }
    /// 完成检查期限（工作日）(deadline in working days)
    async fn deadline_working_days(&self) -> i32 {
        self.0.deadline_working_days
    }
    /// 完成检查截止时间（公开时按工作日计算）(deadline, computed at publication)
    async fn deadline_at(&self) -> Option<DateTime<Utc>> {
        self.0.deadline_at
    }
    /// 创建时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 公开时间：公开种子和抽取结果的时间 (when the seed and the assignments were published;
    /// the results' publication is `resultsPublishedAt`)
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// 抽取时间 (when the draw was run)
    async fn drawn_at(&self) -> Option<DateTime<Utc>> {
        self.0.drawn_at
    }
    /// 结果公示期限：抽取后20个工作日（北京时间24时）；未抽取为空 (when the results must be public
    /// at the latest: 20 working days after the draw was run, at 24:00 Beijing time; null before)
    async fn publish_deadline(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(crate::service::draw::results_deadline(
            kernel(ctx)?,
            &self.0,
        ))
    }
    /// 结果公示时间 (when the results were published)
    async fn results_published_at(&self) -> Option<DateTime<Utc>> {
        self.0.results_published_at
    }
    /// 结果逾期公示：公示晚于期限，或期限已过仍未公示 (the results were published after
    /// `publishDeadline`, or are still unpublished past it)
    async fn late(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(crate::rules::draw_results::is_late(
            crate::service::draw::results_deadline(kernel(ctx)?, &self.0),
            self.0.results_published_at,
            Utc::now(),
        ))
    }
}

/// 抽取结果中的一组 — one drawn project and its team.
#[derive(async_graphql::SimpleObject)]
pub struct DrawAssignment {
    /// 项目全局编号 (project global ID)
    pub project_id: ID,
    /// 项目编号 (project code)
    pub project_code: String,
    /// 项目名称 (project name)
    pub project_name: String,
    /// 检查组成员，按抽取顺序 (the team, in draw order)
    pub inspectors: Vec<DrawInspector>,
    /// 检查结果（结果公示后可见）(the outcome, once the draw's results are published)
    pub outcome: Option<DrawAssignmentOutcome>,
}

/// 抽查任务实施情况 — whether a drawn project was checked.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
pub enum DrawAssignmentStatus {
    /// 已实施：抽中的检查组已记录检查 (carried out: the drawn team recorded its inspection)
    CarriedOut,
    /// 未按期实施：完成期限届满仍无检查记录 (not carried out: no inspection by the completion
    /// deadline)
    NotCarriedOut,
}

/// 抽查任务的结果（公示内容）— the published outcome of one assignment.
#[derive(async_graphql::SimpleObject)]
pub struct DrawAssignmentOutcome {
    /// 实施情况 (carried out or not)
    pub status: DrawAssignmentStatus,
    /// 检查全局编号（有查看权限者可据此打开检查记录）(the inspection's global ID)
    pub inspection_id: Option<ID>,
    /// 检查结论 (the inspection's result)
    pub result: Option<crate::entity::enums::InspectionResult>,
    /// 检查时间 (when checked)
    pub inspected_at: Option<DateTime<Utc>>,
    /// 实际参加检查的人员（均为抽中的组员）(who checked: drawn team members who took part)
    pub checked_by: Vec<DrawInspector>,
    /// 发现的隐患数 (hazards found)
    pub hazards_found: u32,
}

impl DrawAssignment {
    /// One assignment of a draw's result, with the names the draw recorded.
    pub fn of(
        a: &crate::rules::draw::Assignment,
        labels: &crate::service::draw::Labels,
    ) -> DrawAssignment {
        let (code, name) = labels.projects.get(&a.target).cloned().unwrap_or_default();
        DrawAssignment {
            project_id: encode_id("Project", a.target),
            project_code: code,
            project_name: name,
            inspectors: a
                .inspectors
                .iter()
                .map(|i| DrawInspector {
                    id: encode_id("Account", *i),
                    name: labels.inspectors.get(i).cloned().unwrap_or_default(),
                })
                .collect(),
            outcome: None,
        }
    }
}

/// 检查人员 — an inspector of a drawn team.
#[derive(async_graphql::SimpleObject)]
pub struct DrawInspector {
    /// 账号全局编号 (account global ID)
    pub id: ID,
    /// 姓名 (display name)
    pub name: String,
}

/// Hazards grouped by the inspection that found them.
pub struct HazardsOfInspection;
impl Grouping for HazardsOfInspection {
    type Entity = hazard::Entity;
    fn parent_column() -> hazard::Column {
        hazard::Column::InspectionId
    }
    fn parent_of(m: &hazard::Model) -> Uuid {
        m.inspection_id.unwrap_or_default()
    }
    fn order_column() -> hazard::Column {
        hazard::Column::Id
    }
}

/// 检查 — an inspection of any kind, with its score when a checklist was used.
#[derive(Clone)]
pub struct Inspection(pub crate::entity::inspection::Model);

/// 检查 — an inspection of any kind, with its score when a checklist was used.
#[Object]
impl Inspection {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 复查：评分不合格时须在期限内对项目再次评分检查（JGJ 59-2011 第5.0.3条）；其他检查为空
    /// (the re-inspection a failing scored inspection calls for; null otherwise)
    async fn reinspection(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Reinspection>> {
        let list = loaders(ctx)?
            .grouped::<ReinspectionOfInspection>()
            .load_one(self.0.id)
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(Reinspection))
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        Ok(loaders(ctx)?
            .by_id::<project::Entity>()
            .load_one(self.0.project_id)
            .await?
            .map(Project))
    }
    /// 检查类型 (kind)
    async fn kind(&self) -> crate::entity::enums::InspectionKind {
        self.0.kind
    }
    /// 检查时间 (when)
    async fn inspected_at(&self) -> DateTime<Utc> {
        self.0.inspected_at
    }
    /// 纬度 (latitude, WGS-84)
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }
    /// 经度 (longitude, WGS-84)
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }
    /// 检查人员账号的全局编号 (inspector accounts)
    async fn inspector_ids(&self) -> Vec<ID> {
        let ids: Vec<Uuid> = serde_json::from_str(&self.0.inspector_ids).unwrap_or_default();
        ids.into_iter().map(|i| encode_id("Account", i)).collect()
    }
    /// 检查人员账号 (the listed inspectors, as accounts)
    async fn inspectors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Account>> {
        let ids = crate::service::inspection::inspector_ids(&self.0);
        accounts_in_order(ctx, &ids).await
    }
    /// 已确认参加的检查人员；督导只为确认者计数 (the listed inspectors who confirmed they took
    /// part; supervision counts only for them and the recorder)
    async fn confirmed_inspectors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Account>> {
        let rows = loaders(ctx)?
            .grouped::<ParticipantsOfInspection>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.account_id).collect();
        accounts_in_order(ctx, &ids).await
    }
    /// 录入时间 (when the record was made)
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 录入人 (who made the record)
    async fn recorded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let ids: Vec<Uuid> = self.0.recorded_by.into_iter().collect();
        Ok(accounts_in_order(ctx, &ids).await?.into_iter().next())
    }
    /// 逾期补录：所属周期关闭后在宽限期内录入，不计入已关闭周期的履职 (late: recorded in the
    /// grace window after its period closed; never counted for the closed period)
    async fn late(&self) -> bool {
        self.0.late
    }
    /// 检查情况 (findings)
    async fn findings(&self) -> &str {
        &self.0.findings
    }
    /// 检查结论 (result)
    async fn result(&self) -> crate::entity::enums::InspectionResult {
        self.0.result
    }
    /// 是否暗访 (covert)
    async fn covert(&self) -> bool {
        self.0.covert
    }
    /// 暗访公开时间 (when a covert inspection was published)
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// 评分（服务器按模板计算）(the score, computed on the server)
    async fn score(&self) -> Option<InspectionScore> {
        let card: crate::rules::jgj59::Scorecard =
            serde_json::from_str(self.0.scorecard.as_deref()?).ok()?;
        Some(InspectionScore(card))
    }
    /// 发现的隐患 (hazards found)
    async fn hazards(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Hazard>> {
        let list = loaders(ctx)?
            .grouped::<HazardsOfInspection>()
            .load_one(self.0.id)
            .await?;
        Ok(list.unwrap_or_default().into_iter().map(Hazard).collect())
    }
    /// 照片 (photos)
    async fn photos(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 检查表答卷（按记录原样）；各分项表得分见 score.sheets (the checklist answers as recorded; the
    /// per-sheet score lines are `score.sheets`)
    async fn checklist(&self) -> Option<super::checklist::InspectionChecklist> {
        let checklist: crate::service::inspection::Checklist =
            serde_json::from_str(self.0.answers.as_deref()?).ok()?;
        Some(super::checklist::InspectionChecklist {
            checklist,
            template_version: self.0.template_version,
        })
    }
    /// 当前用户现在可办理的事项，与对应变更的规则相同 (what the caller may do with this inspection
    /// now, by the rules the mutations apply)
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::viewer::InspectionViewerCan> {
        super::viewer::inspection_viewer_can(ctx, &self.0).await
    }
}

/// The accounts `ids` in that order (one statement). An inspection's people are shown to whoever
/// sees the inspection; the account's phone stays masked by the registry's own rule.
async fn accounts_in_order(ctx: &Context<'_>, ids: &[Uuid]) -> async_graphql::Result<Vec<Account>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // People named on a record the caller sees are part of it, whatever the caller's scope over
    // accounts; the list resolver primes this loader for the whole page.
    let rows = loaders(ctx)?
        .named_by_id::<account::Entity>()
        .load_many(ids.iter().copied())
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.get(id).cloned().map(Account))
        .collect())
}

jianan_kernel::grouping!(
    /// Confirmed participants grouped by inspection, in the order they confirmed.
    pub ParticipantsOfInspection: crate::entity::inspection_participant, InspectionId / inspection_id, order ConfirmedAt);

/// 检查评分 — the scorecard of a checklist inspection (JGJ 59-2011 汇总表).
pub struct InspectionScore(pub crate::rules::jgj59::Scorecard);

/// 检查评分 — the scorecard of a checklist inspection (JGJ 59-2011 汇总表).
#[Object]
impl InspectionScore {
    /// 模板代码 (template code)
    async fn template_code(&self) -> &str {
        &self.0.template_code
    }
    /// 模板版本 (template version)
    async fn template_version(&self) -> u32 {
        self.0.template_version
    }
    /// 汇总得分（百分之一分）(total in hundredths of a point)
    async fn total_centi(&self) -> u32 {
        self.0.total_centi
    }
    /// 汇总得分，如 "88.89" (total, two decimals)
    async fn total(&self) -> String {
        crate::rules::jgj59::format_centi(self.0.total_centi)
    }
    /// 评定等级 (rating)
    async fn rating(&self) -> crate::rules::jgj59::Rating {
        self.0.rating
    }
    /// 须限期整改（评定不合格，JGJ 59-2011 第5.0.3条）：检查结论不能为“未发现问题”
    /// (a failed rating must be rectified within a time limit: the inspection's result cannot be
    /// NO_PROBLEM)
    async fn requires_rectification(&self) -> bool {
        self.0.rating.requires_rectification()
    }
    /// 各分项表得分，按模板顺序，含不适用的 (every sheet's score line, in template order, the sheets
    /// not applicable included)
    async fn sheets(&self) -> Vec<SheetScoreLine> {
        self.0
            .sheets
            .iter()
            .map(|s| SheetScoreLine {
                sheet: s.sheet.clone(),
                summary_item: s.summary_item.clone(),
                not_applicable: s.not_applicable,
                score_centi: s.score_centi,
                score: crate::rules::jgj59::format_centi(s.score_centi),
                zeroed_reason: s.zeroed_reason.as_ref().map(|r| r.message_zh()),
                earned_points: s.earned_points,
                applicable_points: s.applicable_points,
                guaranteed_centi: s.guaranteed_centi,
                guaranteed_earned_points: s.guaranteed_earned_points,
                guaranteed_applicable_points: s.guaranteed_applicable_points,
                clamped: s
                    .clamped
                    .iter()
                    .map(|c| ClampedDeductionLine {
                        item: c.item.clone(),
                        requested: c.requested,
                        applied: c.applied,
                    })
                    .collect(),
            })
            .collect()
    }
    /// 汇总表各行，按表A顺序 (the summary sheet's lines, in the order of table A)
    async fn summary(&self) -> Vec<SummaryScoreLine> {
        self.0
            .summary
            .iter()
            .map(|l| SummaryScoreLine {
                item: l.item.clone(),
                name: l.name.clone(),
                weight: l.weight,
                applicable: l.applicable,
                sheets: l.sheets.clone(),
                score_centi: l.score_centi,
                contribution_centi: l.contribution_centi,
            })
            .collect()
    }
}

/// 分项表得分 — one sheet's score line.
#[derive(async_graphql::SimpleObject)]
pub struct SheetScoreLine {
    /// 分项表代码 (sheet code)
    pub sheet: String,
    /// 计入的汇总表分项代码 (code of the summary item it feeds)
    pub summary_item: String,
    /// 不适用（未填报、整表缺项或各项均缺项）(not applicable: not answered, answered as not
    /// applicable, or no item applicable)
    pub not_applicable: bool,
    /// 得分（百分之一分）(score in hundredths)
    pub score_centi: u32,
    /// 得分，如 "88.89" (score, two decimals)
    pub score: String,
    /// 计零分的原因 (why the sheet scores zero)
    pub zeroed_reason: Option<String>,
    /// 适用项目实得分 (points earned on the applicable items, before any zeroing)
    pub earned_points: u32,
    /// 适用项目应得分 (full points of the applicable items)
    pub applicable_points: u32,
    /// 保证项目小计（按60分折算，百分之一分；无保证项目的表为0）(guaranteed subtotal on the 60-point
    /// scale, in hundredths; 0 on sheets without guaranteed items)
    pub guaranteed_centi: u32,
    /// 适用保证项目实得分 (points earned on the applicable guaranteed items)
    pub guaranteed_earned_points: u32,
    /// 适用保证项目应得分 (full points of the applicable guaranteed items)
    pub guaranteed_applicable_points: u32,
    /// 超过应得分的扣分，按应得分计 (deductions larger than their item's points, and what was applied)
    pub clamped: Vec<ClampedDeductionLine>,
}

/// 扣分超限 — a deduction larger than its item's points, applied as the item's points.
#[derive(async_graphql::SimpleObject)]
pub struct ClampedDeductionLine {
    /// 检查项目序号 (item code)
    pub item: String,
    /// 填报的扣分 (deduction given)
    pub requested: u32,
    /// 实际扣分 (deduction applied: the item's points)
    pub applied: u32,
}

/// 汇总表行 — one line of the summary sheet (表A).
#[derive(async_graphql::SimpleObject)]
pub struct SummaryScoreLine {
    /// 汇总分项代码 (summary item code)
    pub item: String,
    /// 名称 (name)
    pub name: String,
    /// 满分值 (weight)
    pub weight: u32,
    /// 是否适用（有适用的分项表）(whether any of its sheets applies)
    pub applicable: bool,
    /// 计入的分项表代码 (codes of the applicable sheets averaged into it)
    pub sheets: Vec<String>,
    /// 分项表平均得分（百分之一分，仅供显示）(mean of those sheets' scores, in hundredths, for display)
    pub score_centi: u32,
    /// 折算得分（百分之一分，仅供显示；汇总得分按精确值计算）(weight × score / 100 in hundredths, for
    /// display; the total is computed exactly, not from these)
    pub contribution_centi: u32,
}

jianan_kernel::node_record!(Hazard, hazard::Entity, crate::perms::HAZARD_READ);
jianan_kernel::node_record!(
    EnforcementAction,
    crate::entity::enforcement_action::Entity,
    crate::perms::ENFORCEMENT_READ
);
jianan_kernel::node_record!(
    Inspection,
    crate::entity::inspection::Entity,
    crate::perms::INSPECTION_READ
);

/// Draws are public (一公开): every logged-in caller reads them; their fields reveal only what
/// the draw's status allows.
impl NodeRecord for RandomDraw {
    const TYPE_NAME: &'static str = "RandomDraw";
    fn load<'a>(
        ctx: &'a Context<'_>,
        ids: Vec<Uuid>,
    ) -> BoxFuture<'a, AppResult<Vec<(Uuid, Self)>>> {
        Box::pin(async move {
            use crate::entity::random_draw;
            let rows = random_draw::Entity::find()
                .filter(random_draw::Column::Id.is_in(ids))
                .all(&kernel(ctx)?.db.conn)
                .await?;
            Ok(rows.into_iter().map(|d| (d.id, RandomDraw(d))).collect())
        })
    }
}

/// 工地宣传品 — a publicity item kept on a site (标语、海报、专栏、视频), with its photos.
#[derive(Clone)]
pub struct PublicityItem(pub crate::entity::publicity_item::Model);

/// 工地宣传品 — a publicity item kept on a site (标语、海报、专栏、视频), with its photos.
#[Object]
impl PublicityItem {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        Ok(loaders(ctx)?
            .by_id::<project::Entity>()
            .load_one(self.0.project_id)
            .await?
            .map(Project))
    }
    /// 类型 (kind)
    async fn kind(&self) -> crate::entity::enums::PublicityKind {
        self.0.kind
    }
    /// 标题或内容 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 设置位置 (where on the site)
    async fn location(&self) -> &str {
        &self.0.location
    }
    /// 登记时间 (recorded at)
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// 照片 (photos)
    async fn photos(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
}

jianan_kernel::node_record!(
    PublicityItem,
    crate::entity::publicity_item::Entity,
    crate::perms::INSPECTION_READ
);

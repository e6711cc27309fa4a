//! Experts GraphQL types. An expert's phone is masked for callers without
//! `experts.expert.contact_read`; lists of assignments under a request or review go through the
//! caller's scope (an expert sees their own only).
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::project;
use jianan_kernel::loader::loaders;
use jianan_kernel::node::NodeRecord;
use jianan_kernel::pii::mask_phone;
use jianan_kernel::principal::principal;
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::Date;
use jianan_registry::graphql::types::Project;
use uuid::Uuid;

use crate::entity::enums::*;
use crate::entity::{
    assignment, certificate, dangerous_work, draw, expert, finding, scheme_review, service_request,
    visit,
};
use crate::perms;
use crate::rules::certificate_expiring;
use crate::service;

jianan_kernel::grouping!(
    /// Certificates grouped by expert.
    pub CertificatesOfExpert: crate::entity::certificate, ExpertId / expert_id, order ExpiresOn);
jianan_kernel::grouping!(
    /// Assignments grouped by expert (for ratings and workload).
    pub AssignmentsOfExpert: crate::entity::assignment, ExpertId / expert_id, order Id);
jianan_kernel::grouping!(
    /// Assignments grouped by subject (request or review); read through the scoped loader.
    pub AssignmentsOfSubject: crate::entity::assignment, SubjectId / subject_id, order Id);
jianan_kernel::grouping!(
    /// Findings grouped by visit.
    pub FindingsOfVisit: crate::entity::finding, VisitId / visit_id, order Ordinal);

pub(crate) async fn project_of(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Option<Project>> {
    Ok(loaders(ctx)?
        .by_id::<project::Entity>()
        .load_one(id)
        .await?
        .map(Project))
}

/// The assignments of a subject the caller may see (two statements for a whole page).
async fn assignments_of(
    ctx: &Context<'_>,
    subject: Uuid,
) -> async_graphql::Result<Vec<ExpertAssignment>> {
    let l = loaders(ctx)?;
    let rows = l
        .grouped::<AssignmentsOfSubject>()
        .load_one(subject)
        .await?
        .unwrap_or_default();
    let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
    let visible = l
        .by_id::<assignment::Entity>()
        .load_many(ids.clone())
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| visible.get(id).cloned().map(ExpertAssignment))
        .collect())
}

/// 证书 — a certificate of an expert.
pub struct ExpertCertificate(pub certificate::Model);

/// 证书 — a certificate of an expert.
#[Object]
impl ExpertCertificate {
    /// 证书名称 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 证书编号 (number)
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// 有效期至 (valid until)
    async fn expires_on(&self) -> Date {
        Date(self.0.expires_on)
    }
    /// 已过期或90天内到期 (expired or expiring within 90 days)
    async fn expiring(&self) -> bool {
        certificate_expiring(self.0.expires_on, jianan_kernel::calendar::today())
    }
}

/// 专家 — an expert in the library.
#[derive(Clone)]
pub struct Expert(pub expert::Model);

/// 专家 — an expert in the library.
#[Object]
impl Expert {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 姓名 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 专业领域 (specialties)
    async fn specialties(&self) -> Vec<Specialty> {
        service::library::specialties_of(&self.0)
    }
    /// 职称 (professional title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 任职单位统一社会信用代码 (employer's unified social credit code)
    async fn employer_uscc(&self) -> Option<&str> {
        self.0.employer_uscc.as_deref()
    }
    /// 任职单位名称 (employer's name)
    async fn employer_name(&self) -> Option<&str> {
        self.0.employer_name.as_deref()
    }
    /// 任职单位已在企业库登记 (the employer is in the registry, so avoidance knows it)
    async fn employer_registered(&self) -> bool {
        self.0.employer_enterprise_id.is_some()
    }
    /// 状态 (status)
    async fn status(&self) -> ExpertStatus {
        self.0.status
    }
    /// 联系电话（无权限者脱敏显示）(phone, masked without `experts.expert.contact_read`)
    async fn phone(&self, ctx: &Context<'_>) -> Option<String> {
        let phone = self.0.phone.as_deref()?;
        Some(if principal(ctx).can(perms::EXPERT_CONTACT_READ) {
            phone.to_owned()
        } else {
            mask_phone(phone)
        })
    }
    /// 已关联登录账号 (linked to a login account)
    async fn has_account(&self) -> bool {
        self.0.account_id.is_some()
    }
    /// 证书（按到期日）(certificates, by expiry)
    async fn certificates(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ExpertCertificate>> {
        Ok(loaders(ctx)?
            .grouped::<CertificatesOfExpert>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ExpertCertificate)
            .collect())
    }
    /// 有证书已过期或即将到期 (a certificate is expired or expiring within 90 days)
    async fn has_expiring_certificate(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let today = jianan_kernel::calendar::today();
        Ok(loaders(ctx)?
            .grouped::<CertificatesOfExpert>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .iter()
            .any(|c| certificate_expiring(c.expires_on, today)))
    }
    /// 以往工作评价 (ratings from past work)
    async fn rating(&self, ctx: &Context<'_>) -> async_graphql::Result<ExpertRating> {
        let rows = loaders(ctx)?
            .grouped::<AssignmentsOfExpert>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let rated: Vec<i32> = rows.iter().filter_map(|a| a.rating).collect();
        let served = rows
            .iter()
            .filter(|a| a.status == AssignmentStatus::Assigned)
            .count();
        Ok(ExpertRating {
            rated_count: i32::try_from(rated.len()).unwrap_or(i32::MAX),
            average: (!rated.is_empty())
                .then(|| f64::from(rated.iter().sum::<i32>()) / rated.len() as f64),
            assignment_count: i32::try_from(served).unwrap_or(i32::MAX),
        })
    }
    /// 版本号 (version, for expectedVersion)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 入库时间 (registered at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(Expert, expert::Entity, perms::EXPERT_READ);

/// 专家评价 — ratings from past work.
#[derive(SimpleObject)]
pub struct ExpertRating {
    /// 平均分（1–5，未评价为空）(average, 1–5; null when never rated)
    pub average: Option<f64>,
    /// 评价次数 (ratings)
    pub rated_count: i32,
    /// 承担任务数（不含拒绝）(assignments served, refusals excluded)
    pub assignment_count: i32,
}

/// 专家服务申请 — a request for an expert visit.
#[derive(Clone)]
pub struct ExpertServiceRequest(pub service_request::Model);

/// 专家服务申请 — a request for an expert visit.
#[Object]
impl ExpertServiceRequest {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        project_of(ctx, self.0.project_id).await
    }
    /// 申请方 (who asked)
    async fn requester(&self) -> ServiceRequester {
        self.0.requester
    }
    /// 申请企业全局编号 (the asking enterprise)
    async fn requester_enterprise_id(&self) -> Option<ID> {
        self.0
            .requester_enterprise_id
            .map(|e| encode_id("Enterprise", e))
    }
    /// 服务事项 (topic)
    async fn topic(&self) -> &str {
        &self.0.topic
    }
    /// 专业 (specialty)
    async fn specialty(&self) -> Specialty {
        self.0.specialty
    }
    /// 专家人数 (experts asked for)
    async fn expert_count(&self) -> i32 {
        self.0.expert_count
    }
    /// 状态 (status)
    async fn status(&self) -> ServiceRequestStatus {
        self.0.status
    }
    /// 专家任务（按可见范围）(assignments within the caller's scope)
    async fn assignments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ExpertAssignment>> {
        assignments_of(ctx, self.0.id).await
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 申请时间 (asked at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(
    ExpertServiceRequest,
    service_request::Entity,
    perms::REQUEST_READ
);

/// 专家随机抽取 — a draw, verifiable once drawn (seed, document and order published).
#[derive(Clone)]
pub struct ExpertDraw(pub draw::Model);

/// 专家随机抽取 — a draw, verifiable once drawn (seed, document and order published).
#[Object]
impl ExpertDraw {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 任务类型 (subject type)
    async fn subject_type(&self) -> AssignmentSubject {
        self.0.subject_type
    }
    /// 任务全局编号 (subject: ExpertServiceRequest or SchemeReview)
    async fn subject_id(&self) -> ID {
        encode_id(subject_type_name(self.0.subject_type), self.0.subject_id)
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        project_of(ctx, self.0.project_id).await
    }
    /// 专业 (specialty)
    async fn specialty(&self) -> Specialty {
        self.0.specialty
    }
    /// 抽取人数 (experts drawn)
    async fn expert_count(&self) -> i32 {
        self.0.expert_count
    }
    /// 状态 (status)
    async fn status(&self) -> DrawStatus {
        self.0.status
    }
    /// 协议版本 (protocol)
    async fn protocol(&self) -> &'static str {
        crate::rules::draw::PROTOCOL
    }
    /// 承诺值：SHA-256(种子 ‖ SHA-256(输入文档)) (commitment)
    async fn commitment(&self) -> &str {
        &self.0.commitment
    }
    /// 抽取日期 (draw date, Beijing time)
    async fn draw_date(&self) -> Date {
        Date(self.0.draw_date)
    }
    /// 随机种子（抽取后公开）(seed, published once drawn)
    async fn seed(&self) -> Option<&str> {
        (self.0.status == DrawStatus::Drawn).then_some(self.0.seed_hex.as_str())
    }
    /// 规范化输入文档（抽取后公开，含回避名单及事由）(canonical input document, published once
    /// drawn; lists the avoided experts with their reasons)
    async fn document(&self) -> async_graphql::Result<Option<String>> {
        if self.0.status != DrawStatus::Drawn {
            return Ok(None);
        }
        Ok(Some(service::draw::canonical_document(&self.0)?))
    }
    /// 抽取顺序（专家全局编号；前若干名为入选，其后依次替补）(drawn order of expert IDs)
    async fn order(&self) -> async_graphql::Result<Option<Vec<ID>>> {
        Ok(service::draw::order_of(&self.0)?
            .map(|o| o.into_iter().map(|id| encode_id("Expert", id)).collect()))
    }
    /// 校验通过：承诺值与种子、文档相符，且顺序可复算 (verified: commitment and order recomputed)
    async fn verified(&self) -> async_graphql::Result<Option<bool>> {
        let Some(order) = service::draw::order_of(&self.0)? else {
            return Ok(None);
        };
        let doc = service::draw::document_of(&self.0)?;
        Ok(Some(crate::rules::draw::verify(
            &self.0.seed_hex,
            &doc,
            &self.0.commitment,
            &order,
        )))
    }
    /// 承诺时间 (committed at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 抽取时间 (drawn at)
    async fn drawn_at(&self) -> Option<DateTime<Utc>> {
        self.0.drawn_at
    }
}

jianan_kernel::node_record!(ExpertDraw, draw::Entity, perms::DRAW_READ);

/// The GraphQL type of a subject.
pub fn subject_type_name(s: AssignmentSubject) -> &'static str {
    match s {
        AssignmentSubject::ServiceRequest => "ExpertServiceRequest",
        AssignmentSubject::SchemeReview => "SchemeReview",
    }
}

/// 专家任务 — an expert assigned to a request or a review.
#[derive(Clone)]
pub struct ExpertAssignment(pub assignment::Model);

/// 专家任务 — an expert assigned to a request or a review.
#[Object]
impl ExpertAssignment {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 专家 (the expert, as the caller may see them)
    async fn expert(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Expert>> {
        Ok(loaders(ctx)?
            .by_id::<expert::Entity>()
            .load_one(self.0.expert_id)
            .await?
            .map(Expert))
    }
    /// 专家全局编号 (expert ID)
    async fn expert_id(&self) -> ID {
        encode_id("Expert", self.0.expert_id)
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        project_of(ctx, self.0.project_id).await
    }
    /// 任务类型 (subject type)
    async fn subject_type(&self) -> AssignmentSubject {
        self.0.subject_type
    }
    /// 任务全局编号 (subject ID)
    async fn subject_id(&self) -> ID {
        encode_id(subject_type_name(self.0.subject_type), self.0.subject_id)
    }
    /// 抽取全局编号 (the draw, if drawn)
    async fn draw_id(&self) -> Option<ID> {
        self.0.draw_id.map(|d| encode_id("ExpertDraw", d))
    }
    /// 产生方式 (how the expert came)
    async fn source(&self) -> AssignmentSource {
        self.0.source
    }
    /// 状态 (status)
    async fn status(&self) -> AssignmentStatus {
        self.0.status
    }
    /// 拒绝理由 (reason of a refusal)
    async fn refusal_reason(&self) -> Option<&str> {
        self.0.refusal_reason.as_deref()
    }
    /// 评分（1–5）(rating)
    async fn rating(&self) -> Option<i32> {
        self.0.rating
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 指派时间 (assigned at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(ExpertAssignment, assignment::Entity, perms::ASSIGNMENT_READ);

/// 专家服务记录 — a visit and its findings.
#[derive(Clone)]
pub struct ExpertVisit(pub visit::Model);

/// 专家服务记录 — a visit and its findings.
#[Object]
impl ExpertVisit {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 服务申请 (the request)
    async fn request(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ExpertServiceRequest>> {
        Ok(loaders(ctx)?
            .by_id::<service_request::Entity>()
            .load_one(self.0.request_id)
            .await?
            .map(ExpertServiceRequest))
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        project_of(ctx, self.0.project_id).await
    }
    /// 服务日期 (visited on)
    async fn visited_on(&self) -> Date {
        Date(self.0.visited_on)
    }
    /// 服务情况 (summary)
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// 发现的问题 (findings)
    async fn findings(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ExpertFinding>> {
        Ok(loaders(ctx)?
            .grouped::<FindingsOfVisit>()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ExpertFinding)
            .collect())
    }
    /// 整改跟踪已完成（全部问题已销号）(follow-up done: every finding closed)
    async fn follow_up_done(&self) -> bool {
        self.0.closed_at.is_some()
    }
    /// 跟踪完成时间 (follow-up done at)
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// 录入时间 (recorded at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(ExpertVisit, visit::Entity, perms::VISIT_READ);

/// 服务发现的问题 — one finding; inspections opens one hazard for it.
#[derive(Clone)]
pub struct ExpertFinding(pub finding::Model);

/// 服务发现的问题 — one finding; inspections opens one hazard for it.
#[Object]
impl ExpertFinding {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 服务记录全局编号 (visit ID)
    async fn visit_id(&self) -> ID {
        encode_id("ExpertVisit", self.0.visit_id)
    }
    /// 隐患类别 (general hazard category)
    async fn category(&self) -> &str {
        &self.0.category
    }
    /// 问题描述 (description)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 部位 (location)
    async fn location(&self) -> &str {
        &self.0.location
    }
    /// 状态 (status)
    async fn status(&self) -> FindingStatus {
        self.0.status
    }
    /// 对应隐患全局编号 (the hazard inspections opened for it)
    async fn hazard_id(&self) -> Option<ID> {
        self.0.hazard_id.map(|h| encode_id("Hazard", h))
    }
    /// 销号时间 (closed at)
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
}

jianan_kernel::node_record!(ExpertFinding, finding::Entity, perms::VISIT_READ);

/// 计量参数值 — one measured quantity of a dangerous sub-project.
#[derive(SimpleObject)]
pub struct MeasureValue {
    /// 参数 (measure)
    pub measure: Measure,
    /// 数值 (value)
    pub value: f64,
}

/// 危大工程 — a dangerous sub-project of a project.
#[derive(Clone)]
pub struct DangerousWork(pub dangerous_work::Model);

/// 危大工程 — a dangerous sub-project of a project.
#[Object]
impl DangerousWork {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        project_of(ctx, self.0.project_id).await
    }
    /// 类别 (kind)
    async fn kind(&self) -> DangerousWorkKind {
        self.0.kind
    }
    /// 工程概况 (description)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 计量参数 (measures)
    async fn measures(&self) -> Vec<MeasureValue> {
        service::review::measures_of(&self.0)
            .into_iter()
            .map(|(measure, value)| MeasureValue { measure, value })
            .collect()
    }
    /// 超过一定规模（须专家论证）(beyond a certain scale: the scheme needs an expert review)
    async fn beyond_scale(&self) -> bool {
        self.0.beyond_scale
    }
    /// 判定依据 (the threshold that decided it)
    async fn basis(&self) -> Option<&str> {
        self.0.basis.as_deref()
    }
    /// 登记时间 (registered at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(DangerousWork, dangerous_work::Entity, perms::REVIEW_READ);

/// 专项方案专家论证 — the expert review of a scheme.
#[derive(Clone)]
pub struct SchemeReview(pub scheme_review::Model);

/// 专项方案专家论证 — the expert review of a scheme.
#[Object]
impl SchemeReview {
    /// 全局编号（上传论证报告时作为 ownerId）(global ID; the `ownerId` of its report)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 危大工程 (the dangerous sub-project)
    async fn dangerous_work(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DangerousWork>> {
        Ok(loaders(ctx)?
            .by_id::<dangerous_work::Entity>()
            .load_one(self.0.dangerous_work_id)
            .await?
            .map(DangerousWork))
    }
    /// 项目 (project)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        project_of(ctx, self.0.project_id).await
    }
    /// 专项施工方案名称 (scheme title)
    async fn scheme_title(&self) -> &str {
        &self.0.scheme_title
    }
    /// 状态 (status)
    async fn status(&self) -> ReviewStatus {
        self.0.status
    }
    /// 论证结论 (conclusion)
    async fn conclusion(&self) -> Option<ReviewConclusion> {
        self.0.conclusion
    }
    /// 论证意见 (the panel's opinion)
    async fn opinion(&self) -> Option<&str> {
        self.0.opinion.as_deref()
    }
    /// 签字论证报告（附件全局编号）(the signed report, an attachment ID)
    async fn report_attachment_id(&self) -> Option<ID> {
        self.0
            .report_attachment_id
            .map(|a| encode_id("Attachment", a))
    }
    /// 附件 (attachments)
    async fn attachments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<jianan_kernel::graphql::Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 论证专家任务（按可见范围）(assignments within the caller's scope)
    async fn assignments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ExpertAssignment>> {
        assignments_of(ctx, self.0.id).await
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 论证时间 (concluded at)
    async fn concluded_at(&self) -> Option<DateTime<Utc>> {
        self.0.concluded_at
    }
    /// 创建时间 (planned at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(SchemeReview, scheme_review::Entity, perms::REVIEW_READ);

/// 重点时段专家检查 — an expert check scheduled for a key period or a date range.
#[derive(Clone)]
pub struct ExpertCheck(pub crate::entity::expert_check::Model);

/// 重点时段专家检查 — an expert check scheduled for a key period or a date range.
#[Object]
impl ExpertCheck {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 检查名称 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 对应重点时段编号（值班模块）(the key period it serves, if any)
    async fn key_period_id(&self) -> Option<ID> {
        self.0.key_period_id.map(|k| encode_id("KeyPeriod", k))
    }
    /// 开始日 (first day)
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// 结束日 (last day)
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    /// 状态 (status)
    async fn status(&self) -> CheckStatus {
        self.0.status
    }
    /// 安排时间 (scheduled at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(
    ExpertCheck,
    crate::entity::expert_check::Entity,
    perms::CHECK_READ
);

/// 安全技术团队成员 — a member of a chief engineer's team.
#[derive(SimpleObject)]
pub struct TeamMemberView {
    /// 姓名 (name)
    pub name: String,
    /// 职称 (title)
    pub title: String,
    /// 专业 (specialty)
    pub specialty: Specialty,
}

/// 总工程师 — an enterprise's chief engineer and safety-technology team.
#[derive(Clone)]
pub struct ChiefEngineer(pub crate::entity::chief_engineer::Model);

/// 总工程师 — an enterprise's chief engineer and safety-technology team.
#[Object]
impl ChiefEngineer {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 企业全局编号 (enterprise)
    async fn enterprise_id(&self) -> ID {
        encode_id("Enterprise", self.0.enterprise_id)
    }
    /// 总工程师姓名 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 职称 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 联系电话（无权限者脱敏显示）(phone, masked without `experts.chief_engineer.manage`)
    async fn phone(&self, ctx: &Context<'_>) -> Option<String> {
        let phone = self.0.phone.as_deref()?;
        Some(if principal(ctx).can(perms::CHIEF_MANAGE) {
            phone.to_owned()
        } else {
            mask_phone(phone)
        })
    }
    /// 安全技术团队 (safety-technology team)
    async fn team(&self) -> Vec<TeamMemberView> {
        service::chief::team_of(&self.0)
            .into_iter()
            .map(|m| TeamMemberView {
                name: m.name,
                title: m.title,
                specialty: m.specialty,
            })
            .collect()
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 更新时间 (updated at)
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

jianan_kernel::node_record!(
    ChiefEngineer,
    crate::entity::chief_engineer::Entity,
    perms::CHIEF_READ
);

/// 月度分专业服务次数 — visits of one specialty in one month.
#[derive(SimpleObject)]
pub struct ExpertVisitMonth {
    /// 月份 YYYY-MM (month)
    pub month: String,
    /// 专业 (specialty)
    pub specialty: Specialty,
    /// 服务次数 (visits)
    pub visits: i64,
}

/// 专家工作量 — one active expert's assignments in the range.
#[derive(SimpleObject)]
pub struct ExpertWorkload {
    /// 专家全局编号 (expert)
    pub expert_id: ID,
    /// 姓名 (name)
    pub name: String,
    /// 任务数 (assignments)
    pub assignments: i64,
}

/// 专家服务统计 — visits by specialty and month, findings per visit, workload balance.
#[derive(SimpleObject)]
pub struct ExpertStatistics {
    /// 按月、按专业的服务次数 (visits by month and specialty)
    pub visits_by_month: Vec<ExpertVisitMonth>,
    /// 服务次数 (visits)
    pub visits: i64,
    /// 发现问题数 (findings)
    pub findings: i64,
    /// 平均每次服务发现问题数 (findings per visit)
    pub findings_per_visit: f64,
    /// 在库专家工作量，少的在前 (active experts' workload, fewest first)
    pub workload: Vec<ExpertWorkload>,
    /// 工作量极差（最多减最少）(most minus fewest assignments)
    pub workload_spread: i64,
}

impl From<service::statistics::Statistics> for ExpertStatistics {
    fn from(s: service::statistics::Statistics) -> Self {
        ExpertStatistics {
            visits_by_month: s
                .by_month
                .into_iter()
                .map(|m| ExpertVisitMonth {
                    month: m.month,
                    specialty: m.specialty,
                    visits: m.visits,
                })
                .collect(),
            visits: s.visits,
            findings: s.findings,
            findings_per_visit: s.findings_per_visit,
            workload: s
                .workload
                .into_iter()
                .map(|w| ExpertWorkload {
                    expert_id: encode_id("Expert", w.expert_id),
                    name: w.name,
                    assignments: w.assignments,
                })
                .collect(),
            workload_spread: s.workload_spread,
        }
    }
}

//! Experts mutations: a guard, decoding, one service call.
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, request_info};
use jianan_kernel::relay::decode_id;
use jianan_kernel::scalars::Date;

use super::types::{
    ChiefEngineer, DangerousWork, Expert, ExpertAssignment, ExpertCertificate, ExpertCheck,
    ExpertDraw, ExpertServiceRequest, ExpertVisit, SchemeReview,
};
use crate::entity::enums::{
    AssignmentSubject, DangerousWorkKind, ExpertStatus, Measure, ReviewConclusion, Specialty,
};
use crate::perms;
use crate::service;

/// 证书 — a certificate as entered.
#[derive(InputObject)]
pub struct ExpertCertificateInput {
    /// 证书名称 (name)
    pub name: String,
    /// 证书编号 (number)
    pub number: String,
    /// 有效期至 (valid until)
    pub expires_on: Date,
}

impl From<ExpertCertificateInput> for service::library::NewCertificate {
    fn from(c: ExpertCertificateInput) -> Self {
        service::library::NewCertificate {
            name: c.name,
            number: c.number,
            expires_on: c.expires_on.0,
        }
    }
}

/// 专家入库 — input of `registerExpert`.
#[derive(InputObject)]
pub struct RegisterExpertInput {
    /// 姓名 (name)
    pub name: String,
    /// 专业领域（至少一个）(specialties, at least one)
    pub specialties: Vec<Specialty>,
    /// 职称 (professional title)
    pub title: String,
    /// 任职单位统一社会信用代码 (employer's unified social credit code)
    pub employer_uscc: Option<String>,
    /// 任职单位名称（未在企业库登记时必填）(employer's name, required when not in the registry)
    pub employer_name: Option<String>,
    /// 联系电话 (phone)
    pub phone: Option<String>,
    /// 专家登录账号全局编号（角色须为专家）(the expert's login account, role EXPERT)
    pub account_id: Option<ID>,
    /// 证书 (certificates)
    pub certificates: Option<Vec<ExpertCertificateInput>>,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `registerExpert`.
#[derive(SimpleObject)]
pub struct RegisterExpertPayload {
    /// 入库的专家 (the expert)
    pub expert: Expert,
}

/// 变更专家状态 — input of `setExpertStatus`.
#[derive(InputObject)]
pub struct SetExpertStatusInput {
    /// 专家全局编号 (expert)
    pub expert_id: ID,
    /// 新状态 (new status)
    pub status: ExpertStatus,
    /// 原因 (reason)
    pub reason: String,
    /// 预期版本号 (expected version)
    pub expected_version: Option<i32>,
}

/// Result of `setExpertStatus`.
#[derive(SimpleObject)]
pub struct SetExpertStatusPayload {
    /// 专家 (the expert)
    pub expert: Expert,
}

/// 登记证书 — input of `addExpertCertificate`.
#[derive(InputObject)]
pub struct AddExpertCertificateInput {
    /// 专家全局编号 (expert)
    pub expert_id: ID,
    /// 证书 (the certificate)
    pub certificate: ExpertCertificateInput,
}

/// Result of `addExpertCertificate`.
#[derive(SimpleObject)]
pub struct AddExpertCertificatePayload {
    /// 登记的证书 (the certificate)
    pub certificate: ExpertCertificate,
}

/// 申请专家服务 — input of `createExpertServiceRequest`.
#[derive(InputObject)]
pub struct CreateExpertServiceRequestInput {
    /// 项目全局编号 (project)
    pub project_id: ID,
    /// 服务事项 (topic)
    pub topic: String,
    /// 专业 (specialty)
    pub specialty: Specialty,
    /// 专家人数（1–5）(experts, 1–5)
    pub expert_count: i32,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `createExpertServiceRequest`.
#[derive(SimpleObject)]
pub struct CreateExpertServiceRequestPayload {
    /// 服务申请 (the request)
    pub request: ExpertServiceRequest,
}

/// 承诺抽取 — input of `commitExpertDraw`.
#[derive(InputObject)]
pub struct CommitExpertDrawInput {
    /// 任务类型 (subject type)
    pub subject_type: AssignmentSubject,
    /// 任务全局编号（服务申请或方案论证）(the request or review)
    pub subject_id: ID,
    /// 专业 (specialty)
    pub specialty: Specialty,
    /// 抽取人数 (experts to draw)
    pub count: i32,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `commitExpertDraw` and `executeExpertDraw`.
#[derive(SimpleObject)]
pub struct ExpertDrawPayload {
    /// 抽取 (the draw)
    pub draw: ExpertDraw,
}

/// 执行抽取 — input of `executeExpertDraw`.
#[derive(InputObject)]
pub struct ExecuteExpertDrawInput {
    /// 抽取全局编号 (draw)
    pub draw_id: ID,
}

/// 指定专家 — input of `appointExpert`.
#[derive(InputObject)]
pub struct AppointExpertInput {
    /// 任务类型 (subject type)
    pub subject_type: AssignmentSubject,
    /// 任务全局编号 (the request or review)
    pub subject_id: ID,
    /// 专家全局编号 (expert)
    pub expert_id: ID,
}

/// Result of `appointExpert` and `rateExpertAssignment`.
#[derive(SimpleObject)]
pub struct ExpertAssignmentPayload {
    /// 专家任务 (the assignment)
    pub assignment: ExpertAssignment,
}

/// 拒绝任务 — input of `refuseExpertAssignment`.
#[derive(InputObject)]
pub struct RefuseExpertAssignmentInput {
    /// 专家任务全局编号 (assignment)
    pub assignment_id: ID,
    /// 理由 (reason)
    pub reason: String,
    /// 预期版本号 (expected version)
    pub expected_version: Option<i32>,
}

/// Result of `refuseExpertAssignment`.
#[derive(SimpleObject)]
pub struct RefuseExpertAssignmentPayload {
    /// 已拒绝的任务 (the refused assignment)
    pub assignment: ExpertAssignment,
    /// 替补专家的任务（按抽取顺序；无可替补或非抽取产生时为空）(the replacement, if any)
    pub replacement: Option<ExpertAssignment>,
}

/// 评价专家工作 — input of `rateExpertAssignment`.
#[derive(InputObject)]
pub struct RateExpertAssignmentInput {
    /// 专家任务全局编号 (assignment)
    pub assignment_id: ID,
    /// 评分（1–5）(rating, 1–5)
    pub rating: i32,
}

/// 发现问题 — one finding as entered.
#[derive(InputObject)]
pub struct ExpertFindingInput {
    /// 一般隐患类别代码 (general hazard category code)
    pub category: String,
    /// 问题描述 (description)
    pub description: String,
    /// 部位 (location)
    pub location: String,
}

/// 录入服务记录 — input of `recordExpertVisit`.
#[derive(InputObject)]
pub struct RecordExpertVisitInput {
    /// 服务申请全局编号 (request)
    pub request_id: ID,
    /// 服务日期 (visited on)
    pub visited_on: Date,
    /// 服务情况 (summary)
    pub summary: String,
    /// 发现的问题 (findings)
    pub findings: Vec<ExpertFindingInput>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `recordExpertVisit`.
#[derive(SimpleObject)]
pub struct RecordExpertVisitPayload {
    /// 服务记录 (the visit)
    pub visit: ExpertVisit,
}

/// 计量参数值 — one measured quantity.
#[derive(InputObject)]
pub struct MeasureValueInput {
    /// 参数 (measure)
    pub measure: Measure,
    /// 数值 (value)
    pub value: f64,
}

/// 登记危大工程 — input of `registerDangerousWork`.
#[derive(InputObject)]
pub struct RegisterDangerousWorkInput {
    /// 项目全局编号 (project)
    pub project_id: ID,
    /// 类别 (kind)
    pub kind: DangerousWorkKind,
    /// 工程概况 (description)
    pub description: String,
    /// 计量参数 (measures)
    pub measures: Vec<MeasureValueInput>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `registerDangerousWork`.
#[derive(SimpleObject)]
pub struct RegisterDangerousWorkPayload {
    /// 危大工程 (the dangerous sub-project)
    pub dangerous_work: DangerousWork,
}

/// 组织方案论证 — input of `planSchemeReview`.
#[derive(InputObject)]
pub struct PlanSchemeReviewInput {
    /// 危大工程全局编号 (dangerous sub-project)
    pub dangerous_work_id: ID,
    /// 专项施工方案名称 (scheme title)
    pub scheme_title: String,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `planSchemeReview` and `concludeSchemeReview`.
#[derive(SimpleObject)]
pub struct SchemeReviewPayload {
    /// 方案论证 (the review)
    pub review: SchemeReview,
}

/// 登记论证结论 — input of `concludeSchemeReview`.
#[derive(InputObject)]
pub struct ConcludeSchemeReviewInput {
    /// 方案论证全局编号 (review)
    pub review_id: ID,
    /// 结论 (conclusion)
    pub conclusion: ReviewConclusion,
    /// 论证意见（修改后通过、不通过时必填）(opinion; required unless PASS)
    pub opinion: Option<String>,
    /// 签字论证报告：本论证已上传的附件全局编号 (the signed report, an attachment of this review)
    pub report_attachment_id: ID,
    /// 预期版本号 (expected version)
    pub expected_version: Option<i32>,
}

/// 安排专家检查 — input of `scheduleExpertCheck`.
#[derive(InputObject)]
pub struct ScheduleExpertCheckInput {
    /// 检查名称 (title)
    pub title: String,
    /// 开始日 (first day)
    pub starts_on: Date,
    /// 结束日 (last day)
    pub ends_on: Date,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `scheduleExpertCheck`.
#[derive(SimpleObject)]
pub struct ScheduleExpertCheckPayload {
    /// 检查安排 (the check)
    pub check: ExpertCheck,
}

/// 安全技术团队成员 — a team member as entered.
#[derive(InputObject)]
pub struct TeamMemberInput {
    /// 姓名 (name)
    pub name: String,
    /// 职称 (title)
    pub title: String,
    /// 专业 (specialty)
    pub specialty: Specialty,
}

/// 登记总工程师 — input of `setChiefEngineer`.
#[derive(InputObject)]
pub struct SetChiefEngineerInput {
    /// 企业全局编号 (enterprise)
    pub enterprise_id: ID,
    /// 总工程师姓名 (name)
    pub name: String,
    /// 职称 (title)
    pub title: String,
    /// 联系电话 (phone)
    pub phone: Option<String>,
    /// 安全技术团队 (team)
    pub team: Vec<TeamMemberInput>,
    /// 预期版本号 (expected version)
    pub expected_version: Option<i32>,
}

/// Result of `setChiefEngineer`.
#[derive(SimpleObject)]
pub struct SetChiefEngineerPayload {
    /// 总工程师登记 (the entry)
    pub chief_engineer: ChiefEngineer,
}

fn subject_type_name(s: AssignmentSubject) -> &'static str {
    super::types::subject_type_name(s)
}

/// The experts mutation root.
#[derive(Default)]
pub struct ExpertsMutation;

/// 专家服务 — mutations of the experts module.
#[Object]
impl ExpertsMutation {
    /// 专家入库 (register an expert)
    #[graphql(guard = "Permission(perms::EXPERT_MANAGE)")]
    async fn register_expert(
        &self,
        ctx: &Context<'_>,
        input: RegisterExpertInput,
    ) -> async_graphql::Result<RegisterExpertPayload> {
        let new = service::library::NewExpert {
            name: input.name,
            specialties: input.specialties,
            title: input.title,
            employer_uscc: input.employer_uscc,
            employer_name: input.employer_name,
            phone: input.phone,
            account_id: input
                .account_id
                .map(|a| decode_id(&a, "Account", "accountId"))
                .transpose()?,
            certificates: input
                .certificates
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            idempotency_key: input.idempotency_key,
        };
        let m = service::library::register(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(RegisterExpertPayload { expert: Expert(m) })
    }

    /// 暂停、恢复或退出专家 (suspend, reactivate or retire an expert)
    #[graphql(guard = "Permission(perms::EXPERT_MANAGE)")]
    async fn set_expert_status(
        &self,
        ctx: &Context<'_>,
        input: SetExpertStatusInput,
    ) -> async_graphql::Result<SetExpertStatusPayload> {
        let id = decode_id(&input.expert_id, "Expert", "expertId")?;
        let m = service::library::set_status(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            input.status,
            &input.reason,
            input.expected_version,
        )
        .await?;
        Ok(SetExpertStatusPayload { expert: Expert(m) })
    }

    /// 登记专家证书 (add a certificate)
    #[graphql(guard = "Permission(perms::EXPERT_MANAGE)")]
    async fn add_expert_certificate(
        &self,
        ctx: &Context<'_>,
        input: AddExpertCertificateInput,
    ) -> async_graphql::Result<AddExpertCertificatePayload> {
        let id = decode_id(&input.expert_id, "Expert", "expertId")?;
        let m = service::library::add_certificate(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            input.certificate.into(),
        )
        .await?;
        Ok(AddExpertCertificatePayload {
            certificate: ExpertCertificate(m),
        })
    }

    /// 申请专家服务 (ask for an expert visit)
    #[graphql(guard = "Permission(perms::REQUEST_CREATE)")]
    async fn create_expert_service_request(
        &self,
        ctx: &Context<'_>,
        input: CreateExpertServiceRequestInput,
    ) -> async_graphql::Result<CreateExpertServiceRequestPayload> {
        let new = service::request::NewRequest {
            project_id: decode_id(&input.project_id, "Project", "projectId")?,
            topic: input.topic,
            specialty: input.specialty,
            expert_count: input.expert_count,
            idempotency_key: input.idempotency_key,
        };
        let m = service::request::create(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(CreateExpertServiceRequestPayload {
            request: ExpertServiceRequest(m),
        })
    }

    /// 承诺专家随机抽取（公布承诺值，种子保密）(commit a draw: the commitment is published, the
    /// seed kept until the draw)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn commit_expert_draw(
        &self,
        ctx: &Context<'_>,
        input: CommitExpertDrawInput,
    ) -> async_graphql::Result<ExpertDrawPayload> {
        let new = service::draw::NewDraw {
            subject_type: input.subject_type,
            subject_id: decode_id(
                &input.subject_id,
                subject_type_name(input.subject_type),
                "subjectId",
            )?,
            specialty: input.specialty,
            count: input.count,
            idempotency_key: input.idempotency_key,
        };
        let m = service::draw::commit(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(ExpertDrawPayload {
            draw: ExpertDraw(m),
        })
    }

    /// 执行专家随机抽取（公开种子，派出专家）(run a committed draw: publishes the seed and assigns
    /// the experts)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn execute_expert_draw(
        &self,
        ctx: &Context<'_>,
        input: ExecuteExpertDrawInput,
    ) -> async_graphql::Result<ExpertDrawPayload> {
        let id = decode_id(&input.draw_id, "ExpertDraw", "drawId")?;
        let m = service::draw::execute(kernel(ctx)?, &request_info(ctx), id).await?;
        Ok(ExpertDrawPayload {
            draw: ExpertDraw(m),
        })
    }

    /// 指定专家（同样适用回避规则）(appoint a named expert; the avoidance rules apply)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn appoint_expert(
        &self,
        ctx: &Context<'_>,
        input: AppointExpertInput,
    ) -> async_graphql::Result<ExpertAssignmentPayload> {
        let subject = decode_id(
            &input.subject_id,
            subject_type_name(input.subject_type),
            "subjectId",
        )?;
        let expert = decode_id(&input.expert_id, "Expert", "expertId")?;
        let m = service::draw::appoint(
            kernel(ctx)?,
            &request_info(ctx),
            input.subject_type,
            subject,
            expert,
        )
        .await?;
        Ok(ExpertAssignmentPayload {
            assignment: ExpertAssignment(m),
        })
    }

    /// 拒绝专家任务（按抽取顺序替补）(refuse an assignment; the next drawn expert replaces)
    #[graphql(guard = "Permission(perms::ASSIGNMENT_REFUSE)")]
    async fn refuse_expert_assignment(
        &self,
        ctx: &Context<'_>,
        input: RefuseExpertAssignmentInput,
    ) -> async_graphql::Result<RefuseExpertAssignmentPayload> {
        let id = decode_id(&input.assignment_id, "ExpertAssignment", "assignmentId")?;
        let (refused, replacement) = service::draw::refuse(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            &input.reason,
            input.expected_version,
        )
        .await?;
        Ok(RefuseExpertAssignmentPayload {
            assignment: ExpertAssignment(refused),
            replacement: replacement.map(ExpertAssignment),
        })
    }

    /// 评价专家工作 (rate an expert's work)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn rate_expert_assignment(
        &self,
        ctx: &Context<'_>,
        input: RateExpertAssignmentInput,
    ) -> async_graphql::Result<ExpertAssignmentPayload> {
        let id = decode_id(&input.assignment_id, "ExpertAssignment", "assignmentId")?;
        let m = service::draw::rate(kernel(ctx)?, &request_info(ctx), id, input.rating).await?;
        Ok(ExpertAssignmentPayload {
            assignment: ExpertAssignment(m),
        })
    }

    /// 录入专家服务记录（每个问题转为一条隐患）(record a visit; each finding becomes a hazard)
    #[graphql(guard = "Permission(perms::VISIT_RECORD)")]
    async fn record_expert_visit(
        &self,
        ctx: &Context<'_>,
        input: RecordExpertVisitInput,
    ) -> async_graphql::Result<RecordExpertVisitPayload> {
        let new = service::visit::NewVisit {
            request_id: decode_id(&input.request_id, "ExpertServiceRequest", "requestId")?,
            visited_on: input.visited_on.0,
            summary: input.summary,
            findings: input
                .findings
                .into_iter()
                .map(|f| service::visit::NewFinding {
                    category: f.category,
                    description: f.description,
                    location: f.location,
                })
                .collect(),
            idempotency_key: input.idempotency_key,
        };
        let m = service::visit::record(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(RecordExpertVisitPayload {
            visit: ExpertVisit(m),
        })
    }

    /// 登记危大工程（自动判定是否超过一定规模）(register a dangerous sub-project)
    #[graphql(guard = "Permission(perms::WORK_REGISTER)")]
    async fn register_dangerous_work(
        &self,
        ctx: &Context<'_>,
        input: RegisterDangerousWorkInput,
    ) -> async_graphql::Result<RegisterDangerousWorkPayload> {
        let new = service::review::NewWork {
            project_id: decode_id(&input.project_id, "Project", "projectId")?,
            kind: input.kind,
            description: input.description,
            measures: input
                .measures
                .into_iter()
                .map(|m| (m.measure, m.value))
                .collect(),
            idempotency_key: input.idempotency_key,
        };
        let m = service::review::register_work(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(RegisterDangerousWorkPayload {
            dangerous_work: DangerousWork(m),
        })
    }

    /// 组织专项方案专家论证 (plan a scheme review)
    #[graphql(guard = "Permission(perms::REVIEW_MANAGE)")]
    async fn plan_scheme_review(
        &self,
        ctx: &Context<'_>,
        input: PlanSchemeReviewInput,
    ) -> async_graphql::Result<SchemeReviewPayload> {
        let work = decode_id(&input.dangerous_work_id, "DangerousWork", "dangerousWorkId")?;
        let m = service::review::plan(
            kernel(ctx)?,
            &request_info(ctx),
            work,
            &input.scheme_title,
            input.idempotency_key.as_deref(),
        )
        .await?;
        Ok(SchemeReviewPayload {
            review: SchemeReview(m),
        })
    }

    /// 登记论证结论（至少5名无利害关系的专家，附签字论证报告）(conclude a scheme review)
    #[graphql(guard = "Permission(perms::REVIEW_MANAGE)")]
    async fn conclude_scheme_review(
        &self,
        ctx: &Context<'_>,
        input: ConcludeSchemeReviewInput,
    ) -> async_graphql::Result<SchemeReviewPayload> {
        let id = decode_id(&input.review_id, "SchemeReview", "reviewId")?;
        let report = decode_id(
            &input.report_attachment_id,
            "Attachment",
            "reportAttachmentId",
        )?;
        let m = service::review::conclude(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            input.conclusion,
            input.opinion.as_deref(),
            report,
            input.expected_version,
        )
        .await?;
        Ok(SchemeReviewPayload {
            review: SchemeReview(m),
        })
    }

    /// 安排专家检查（按日期区间）(schedule an expert check over a date range)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn schedule_expert_check(
        &self,
        ctx: &Context<'_>,
        input: ScheduleExpertCheckInput,
    ) -> async_graphql::Result<ScheduleExpertCheckPayload> {
        let m = service::checks::schedule(
            kernel(ctx)?,
            &request_info(ctx),
            &input.title,
            input.starts_on.0,
            input.ends_on.0,
            input.idempotency_key.as_deref(),
        )
        .await?;
        Ok(ScheduleExpertCheckPayload {
            check: ExpertCheck(m),
        })
    }

    /// 登记企业总工程师及安全技术团队 (set an enterprise's chief engineer and team)
    #[graphql(guard = "Permission(perms::CHIEF_MANAGE)")]
    async fn set_chief_engineer(
        &self,
        ctx: &Context<'_>,
        input: SetChiefEngineerInput,
    ) -> async_graphql::Result<SetChiefEngineerPayload> {
        let enterprise = decode_id(&input.enterprise_id, "Enterprise", "enterpriseId")?;
        let team = input
            .team
            .into_iter()
            .map(|m| service::chief::TeamMember {
                name: m.name,
                title: m.title,
                specialty: m.specialty,
            })
            .collect();
        let m = service::chief::set(
            kernel(ctx)?,
            &request_info(ctx),
            enterprise,
            service::chief::ChiefEngineerData {
                name: input.name,
                title: input.title,
                phone: input.phone,
                team,
            },
            input.expected_version,
        )
        .await?;
        Ok(SetChiefEngineerPayload {
            chief_engineer: ChiefEngineer(m),
        })
    }
}

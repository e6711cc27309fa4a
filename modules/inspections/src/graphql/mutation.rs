//! Inspections mutations: each state change is its own verb (docs/api-conventions.md).
use async_graphql::{Context, Object, SimpleObject};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Authenticated, Permission, request_info};

use super::inputs::ConfirmInspectionParticipationInput;
use super::inputs::{
    AssignHazardInput, ConfirmSitePublicityInput, CreateRandomDrawInput,
    IssueEnforcementActionInput, PublishCovertInspectionInput, PublishDrawResultsInput,
    RandomDrawStepInput, ReclassifyHazardInput, RecordHazardImplementationInput,
    RecordInspectionInput, RecordPublicityItemInput, RectificationStepInput, ReportHazardInput,
    VoidHazardInput,
};
use super::inputs::{
    DecideDeadlineExtensionInput, FixHazardOnSpotInput, RequestDeadlineExtensionInput,
    SuperviseHazardInput,
};
use super::types::{EnforcementAction, Hazard, Inspection, RandomDraw};
use crate::perms;
use crate::service::hazard as svc;

/// Result of `recordPenaltyStep`.
#[derive(SimpleObject)]
pub struct RecordPenaltyStepPayload {
    /// 罚款措施 (the action)
    pub enforcement_action: EnforcementAction,
    /// 记录的步骤 (the step recorded)
    pub step: super::types::PenaltyProcedureStep,
}

/// Result of every hazard mutation.
#[derive(SimpleObject)]
pub struct HazardPayload {
    /// 变更后的隐患 (the hazard after the change)
    pub hazard: Hazard,
}

/// Result of `voidHazard`.
#[derive(SimpleObject)]
pub struct VoidHazardPayload {
    /// 作废后的隐患 (the hazard, now VOIDED)
    pub hazard: Hazard,
}

/// Result of `reclassifyHazard`.
#[derive(SimpleObject)]
pub struct ReclassifyHazardPayload {
    /// 调整后的隐患 (the hazard at its new level)
    pub hazard: Hazard,
}

/// Result of `issueEnforcementAction`.
#[derive(SimpleObject)]
pub struct IssueEnforcementActionPayload {
    /// 下达的执法措施 (the action)
    pub enforcement_action: EnforcementAction,
}

/// Result of the draw mutations.
#[derive(SimpleObject)]
pub struct RandomDrawPayload {
    /// 抽查 (the draw)
    pub random_draw: RandomDraw,
}

/// Result of `publishDrawResults`.
#[derive(SimpleObject)]
pub struct PublishDrawResultsPayload {
    /// 抽查，结果已公示 (the draw, its results published)
    pub random_draw: RandomDraw,
}

/// Result of the inspection mutations.
#[derive(SimpleObject)]
pub struct InspectionPayload {
    /// 检查 (the inspection)
    pub inspection: Inspection,
}

/// Result of `confirmInspectionParticipation`.
#[derive(SimpleObject)]
pub struct ConfirmInspectionParticipationPayload {
    /// 检查 (the inspection)
    pub inspection: Inspection,
}

/// Result of `recordPublicityItem`.
#[derive(SimpleObject)]
pub struct RecordPublicityItemPayload {
    /// 宣传品全局编号，用于上传照片 (item global ID; upload its photos with uploadAttachment)
    pub id: async_graphql::ID,
    /// 登记的宣传品 (the item recorded)
    pub publicity_item: super::types::PublicityItem,
}

/// Result of `confirmSitePublicity`.
#[derive(SimpleObject)]
pub struct ConfirmSitePublicityPayload {
    /// 本月已确认的宣传品数（要求不少于3处）(items counted this month; 3 required)
    pub counted_this_month: u64,
}

/// Inspections mutations.
#[derive(Default)]
pub struct InspectionsMutation;

#[Object]
impl InspectionsMutation {
    /// 上报隐患 (report a hazard)
    #[graphql(guard = "Permission(perms::HAZARD_REPORT)")]
    async fn report_hazard(
        &self,
        ctx: &Context<'_>,
        input: ReportHazardInput,
    ) -> async_graphql::Result<HazardPayload> {
        Ok(HazardPayload {
            hazard: Hazard(svc::report(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 交办隐患：确定整改责任企业、责任人和期限 (assign for rectification)
    #[graphql(guard = "Permission(perms::HAZARD_ASSIGN)")]
    async fn assign_hazard(
        &self,
        ctx: &Context<'_>,
        input: AssignHazardInput,
    ) -> async_graphql::Result<HazardPayload> {
        Ok(HazardPayload {
            hazard: Hazard(svc::assign(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 记录重大事故隐患的五落实之一 (record one of the five implementations)
    #[graphql(guard = "Permission(perms::HAZARD_RECTIFY)")]
    async fn record_hazard_implementation(
        &self,
        ctx: &Context<'_>,
        input: RecordHazardImplementationInput,
    ) -> async_graphql::Result<HazardPayload> {
        Ok(HazardPayload {
            hazard: Hazard(
                svc::record_implementation(kernel(ctx)?, &request_info(ctx), input.try_into()?)
                    .await?,
            ),
        })
    }

    /// 开始整改（重大事故隐患须五落实）(start rectification)
    #[graphql(guard = "Permission(perms::HAZARD_RECTIFY)")]
    async fn start_rectification(
        &self,
        ctx: &Context<'_>,
        input: RectificationStepInput,
    ) -> async_graphql::Result<HazardPayload> {
        Ok(HazardPayload {
            hazard: Hazard(svc::start(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 提交整改，待复查 (submit the rectification for verification)
    #[graphql(guard = "Permission(perms::HAZARD_RECTIFY)")]
    async fn submit_rectification(
        &self,
        ctx: &Context<'_>,
        input: RectificationStepInput,
    ) -> async_graphql::Result<HazardPayload> {
        Ok(HazardPayload {
            hazard: Hazard(svc::submit(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 复查通过并销号（重大事故隐患仅委监督检查人员）(verify and close)
    #[graphql(guard = "Permission(perms::HAZARD_VERIFY)")]
    async fn verify_rectification(
        &self,
        ctx: &Context<'_>,
        input: RectificationStepInput,
    ) -> async_graphql::Result<HazardPayload> {
        Ok(HazardPayload {
            hazard: Hazard(svc::verify(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 作废隐患（须说明理由；重大事故隐患仅委监督检查人员）(void a hazard, with a reason; a major
    /// hazard only by a commission inspector)
    #[graphql(guard = "Permission(perms::HAZARD_ASSIGN)")]
    async fn void_hazard(
        &self,
        ctx: &Context<'_>,
        input: VoidHazardInput,
    ) -> async_graphql::Result<VoidHazardPayload> {
        Ok(VoidHazardPayload {
            hazard: Hazard(svc::void(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?),
        })
    }

    /// 调整隐患等级：一般↔重大（须说明理由；仅委监督检查人员；状态不变）(reclassify general ↔
    /// major, with a reason; commission inspectors only; the status stays)
    #[graphql(guard = "Permission(perms::HAZARD_ASSIGN)")]
    async fn reclassify_hazard(
        &self,
        ctx: &Context<'_>,
        input: ReclassifyHazardInput,
    ) -> async_graphql::Result<ReclassifyHazardPayload> {
        Ok(ReclassifyHazardPayload {
            hazard: Hazard(
                svc::reclassify(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?,
            ),
        })
    }

    /// 现场整改：企业自查发现的一般隐患当场整改，附整改前后照片，自行销号（仅开展该次自查的企业）
    /// (fix a general hazard of the enterprise's own self-check on the spot, with before and after
    /// photos; closed by the enterprise that recorded the self-check)
    #[graphql(guard = "Permission(perms::HAZARD_RECTIFY)")]
    async fn fix_hazard_on_spot(
        &self,
        ctx: &Context<'_>,
        input: FixHazardOnSpotInput,
    ) -> async_graphql::Result<HazardPayload> {
        let h = svc::fix_on_spot(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?;
        Ok(HazardPayload { hazard: Hazard(h) })
    }

    /// 挂牌督办重大事故隐患（督办单位、期限；仅委监督检查人员）(list a major hazard for supervision:
    /// supervising unit and deadline; commission inspectors only)
    #[graphql(guard = "Permission(perms::HAZARD_ASSIGN)")]
    async fn supervise_hazard(
        &self,
        ctx: &Context<'_>,
        input: SuperviseHazardInput,
    ) -> async_graphql::Result<HazardPayload> {
        let h = svc::supervise(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?;
        Ok(HazardPayload { hazard: Hazard(h) })
    }

    /// 销号验收：重大事故隐患整改提交后的现场验收，附照片；验收合格后才能复查销号（仅委监督检查人员）
    /// (accept a major hazard's submitted rectification on site, with photos, before it is closed;
    /// commission inspectors only)
    #[graphql(guard = "Permission(perms::HAZARD_VERIFY)")]
    async fn accept_hazard_rectification(
        &self,
        ctx: &Context<'_>,
        input: RectificationStepInput,
    ) -> async_graphql::Result<HazardPayload> {
        let h = svc::accept(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?;
        Ok(HazardPayload { hazard: Hazard(h) })
    }

    /// 申请延长整改期限（整改责任企业；期限届满前；一次一项）(ask for a later deadline: the
    /// responsible enterprise, before the deadline, one request at a time)
    #[graphql(guard = "Permission(perms::HAZARD_RECTIFY)")]
    async fn request_hazard_deadline_extension(
        &self,
        ctx: &Context<'_>,
        input: RequestDeadlineExtensionInput,
    ) -> async_graphql::Result<HazardPayload> {
        let h = svc::request_extension(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?;
        Ok(HazardPayload { hazard: Hazard(h) })
    }

    /// 审批整改延期申请（批准则期限顺延；重大事故隐患仅委监督检查人员）(decide a pending extension:
    /// approved, the deadline moves; a major hazard's only by a commission inspector)
    #[graphql(guard = "Permission(perms::HAZARD_ASSIGN)")]
    async fn decide_hazard_deadline_extension(
        &self,
        ctx: &Context<'_>,
        input: DecideDeadlineExtensionInput,
    ) -> async_graphql::Result<HazardPayload> {
        let h = svc::decide_extension(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?;
        Ok(HazardPayload { hazard: Hazard(h) })
    }

    /// 下达执法措施（约谈、通报、曝光、扣分、停工、罚款），并通知信用模块 (issue an enforcement action)
    #[graphql(guard = "Permission(perms::ENFORCEMENT_ISSUE)")]
    async fn issue_enforcement_action(
        &self,
        ctx: &Context<'_>,
        input: IssueEnforcementActionInput,
    ) -> async_graphql::Result<IssueEnforcementActionPayload> {
        let action =
            crate::service::enforcement::issue(kernel(ctx)?, &request_info(ctx), input.try_into()?)
                .await?;
        Ok(IssueEnforcementActionPayload {
            enforcement_action: EnforcementAction(action),
        })
    }

    /// 记录罚款的处罚程序：告知、陈述申辩或听证（或放弃）、决定（文号）、缴纳，按法定顺序
    /// (record the next step of a penalty's procedure, in the legal order)
    #[graphql(guard = "Permission(perms::ENFORCEMENT_ISSUE)")]
    async fn record_penalty_step(
        &self,
        ctx: &Context<'_>,
        input: super::inputs::RecordPenaltyStepInput,
    ) -> async_graphql::Result<RecordPenaltyStepPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx);
        let step =
            crate::service::enforcement::record_penalty_step(k, &who, input.try_into()?).await?;
        let action = crate::service::enforcement::get(&k.db.conn, step.action_id).await?;
        Ok(RecordPenaltyStepPayload {
            enforcement_action: EnforcementAction(action),
            step: super::types::PenaltyProcedureStep(step),
        })
    }

    /// 组织双随机抽查：固定对象库和人员库，生成随机种子并公开其承诺 (create a draw and commit its seed)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn create_random_draw(
        &self,
        ctx: &Context<'_>,
        input: CreateRandomDrawInput,
    ) -> async_graphql::Result<RandomDrawPayload> {
        let d = crate::service::draw::create(kernel(ctx)?, &request_info(ctx), input.try_into()?)
            .await?;
        Ok(RandomDrawPayload {
            random_draw: RandomDraw(d),
        })
    }

    /// 按已承诺的种子抽取 (run the draw on the committed seed)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn execute_random_draw(
        &self,
        ctx: &Context<'_>,
        input: RandomDrawStepInput,
    ) -> async_graphql::Result<RandomDrawPayload> {
        let id = jianan_kernel::relay::decode_id(&input.id, "RandomDraw", "id")?;
        let d = crate::service::draw::execute(kernel(ctx)?, &request_info(ctx), id).await?;
        Ok(RandomDrawPayload {
            random_draw: RandomDraw(d),
        })
    }

    /// 公开抽查结果（一公开），公开种子并起算完成期限 (publish seed, input and result)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn publish_random_draw(
        &self,
        ctx: &Context<'_>,
        input: RandomDrawStepInput,
    ) -> async_graphql::Result<RandomDrawPayload> {
        let id = jianan_kernel::relay::decode_id(&input.id, "RandomDraw", "id")?;
        let d = crate::service::draw::publish(kernel(ctx)?, &request_info(ctx), id).await?;
        Ok(RandomDrawPayload {
            random_draw: RandomDraw(d),
        })
    }

    /// 公示抽查结果（一公开）：各抽中项目由谁检查、检查结论；须各项任务均已记录，或完成期限已过
    /// （未记录的公示为未按期实施）；应在抽取后20个工作日内公示 (publish a draw's results: who
    /// checked each drawn project and the outcome; every assignment recorded, or the completion
    /// deadline passed — those unrecorded are published as not carried out; due 20 working days
    /// after the draw)
    #[graphql(guard = "Permission(perms::DRAW_MANAGE)")]
    async fn publish_draw_results(
        &self,
        ctx: &Context<'_>,
        input: PublishDrawResultsInput,
    ) -> async_graphql::Result<PublishDrawResultsPayload> {
        let id = jianan_kernel::relay::decode_id(&input.id, "RandomDraw", "id")?;
        let d = crate::service::draw::publish_results(kernel(ctx)?, &request_info(ctx), id).await?;
        Ok(PublishDrawResultsPayload {
            random_draw: RandomDraw(d),
        })
    }

    /// 记录检查（日周月自查由企业记录，其余由委和乡镇记录）；评分由服务器按模板计算
    /// (record an inspection; the checklist score is computed on the server)
    #[graphql(guard = "Authenticated")]
    async fn record_inspection(
        &self,
        ctx: &Context<'_>,
        input: RecordInspectionInput,
    ) -> async_graphql::Result<InspectionPayload> {
        let i =
            crate::service::inspection::record(kernel(ctx)?, &request_info(ctx), input.try_into()?)
                .await?;
        Ok(InspectionPayload {
            inspection: Inspection(i),
        })
    }

    /// 确认本人参加了检查：列为检查人员的账号本人确认后，督导才计入其履职
    /// (a listed inspector confirms in person that they took part; only then does the
    /// inspection count for their supervision duty)
    #[graphql(guard = "Authenticated")]
    async fn confirm_inspection_participation(
        &self,
        ctx: &Context<'_>,
        input: ConfirmInspectionParticipationInput,
    ) -> async_graphql::Result<ConfirmInspectionParticipationPayload> {
        let id = jianan_kernel::relay::decode_id(&input.id, "Inspection", "id")?;
        let i =
            crate::service::inspection::confirm_participation(kernel(ctx)?, &request_info(ctx), id)
                .await?;
        Ok(ConfirmInspectionParticipationPayload {
            inspection: Inspection(i),
        })
    }

    /// 公开暗访结果：被检查企业自此可见 (publish a covert inspection to the inspected enterprise)
    #[graphql(guard = "Permission(perms::INSPECTION_RECORD)")]
    async fn publish_covert_inspection(
        &self,
        ctx: &Context<'_>,
        input: PublishCovertInspectionInput,
    ) -> async_graphql::Result<InspectionPayload> {
        let id = jianan_kernel::relay::decode_id(&input.id, "Inspection", "id")?;
        let i = crate::service::inspection::publish_covert(kernel(ctx)?, &request_info(ctx), id)
            .await?;
        Ok(InspectionPayload {
            inspection: Inspection(i),
        })
    }

    /// 登记工地安全宣传品（标语、海报、专栏、视频）(record a publicity item on a site)
    #[graphql(
        guard = "Permission(perms::SELF_CHECK_RECORD).or(Permission(perms::INSPECTION_RECORD))"
    )]
    async fn record_publicity_item(
        &self,
        ctx: &Context<'_>,
        input: RecordPublicityItemInput,
    ) -> async_graphql::Result<RecordPublicityItemPayload> {
        let item =
            crate::service::publicity::record(kernel(ctx)?, &request_info(ctx), input.try_into()?)
                .await?;
        Ok(RecordPublicityItemPayload {
            id: jianan_kernel::relay::encode_id("PublicityItem", item.id),
            publicity_item: super::types::PublicityItem(item),
        })
    }

    /// 每月确认工地宣传品仍在位（须有照片），计入“不少于3处”义务 (confirm this month's publicity)
    #[graphql(guard = "Permission(perms::SELF_CHECK_RECORD)")]
    async fn confirm_site_publicity(
        &self,
        ctx: &Context<'_>,
        input: ConfirmSitePublicityInput,
    ) -> async_graphql::Result<ConfirmSitePublicityPayload> {
        let n =
            crate::service::publicity::confirm(kernel(ctx)?, &request_info(ctx), input.try_into()?)
                .await?;
        Ok(ConfirmSitePublicityPayload {
            counted_this_month: n,
        })
    }

    /// 复查不通过，退回整改 (reject, back to rectifying)
    #[graphql(guard = "Permission(perms::HAZARD_VERIFY)")]
    async fn reject_rectification(
        &self,
        ctx: &Context<'_>,
        input: RectificationStepInput,
    ) -> async_graphql::Result<HazardPayload> {
        Ok(HazardPayload {
            hazard: Hazard(svc::reject(kernel(ctx)?, &request_info(ctx), input.try_into()?).await?),
        })
    }
}

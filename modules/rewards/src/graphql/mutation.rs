//! Rewards mutations: a guard (where the caller must be logged in), decoding, one service call.
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Authenticated, Permission, request_info};
use jianan_kernel::relay::{decode_id, encode_id};
use jianan_kernel::scalars::{Date, Fen};

use super::types::{
    IdentityRevealRequest, ReceiptReport, RevealedIdentity, Reward, RewardBudget, RewardReport,
};
use crate::entity::enums::{PaymentMethod, ReportCategory, ReportChannel, ReportStatus, Verdict};
use crate::perms;
use crate::service;
use crate::service::report::{NewReport, Step};

/// 提交举报 — input of `submitReport`.
#[derive(InputObject)]
pub struct SubmitReportInput {
    /// 类别 (category)
    pub category: ReportCategory,
    /// 渠道：网站、移动端由举报人提交；热线、来信、来访由工作人员代为登记 (channel: web and mobile
    /// by the reporter; hotlines, letters and visits entered by staff)
    pub channel: ReportChannel,
    /// 举报内容（不超过2000字）(what was observed, at most 2000 characters)
    pub description: String,
    /// 乡镇（街道）全局编号 (township or street, if known)
    pub township_id: Option<ID>,
    /// 项目全局编号 (project, if known)
    pub project_id: Option<ID>,
    /// 地点 (address)
    pub address: String,
    /// 发现时间 (when it was observed)
    pub observed_at: Option<DateTime<Utc>>,
    /// 举报人姓名（可不填；加密保存）(reporter's name, optional, sealed)
    pub reporter_name: Option<String>,
    /// 联系方式（可不填；加密保存）(contact, optional, sealed)
    pub reporter_contact: Option<String>,
}

/// Result of `submitReport`: the receipt code and passphrase are shown this once.
#[derive(SimpleObject)]
pub struct SubmitReportPayload {
    /// 回执码（请妥善保存）(receipt code: keep it)
    pub receipt_code: String,
    /// 查询密码（只显示这一次）(passphrase: shown this once)
    pub passphrase: String,
    /// 状态 (status)
    pub status: ReportStatus,
    /// 受理期限 (acceptance deadline)
    pub accept_due_at: DateTime<Utc>,
    /// 举报编号：上传照片时作为 ownerId (the report's id: the `ownerId` for `uploadAttachment`)
    pub report_id: ID,
    /// 照片上传凭证：在有效期内作为 Bearer 令牌上传本举报的照片（照片中的设备和位置信息会被去除）
    /// (a bearer token for uploading this report's photos until it expires; the photos' device and
    /// location metadata are removed)
    pub upload_token: String,
    /// 上传凭证有效期至 (when the upload token expires)
    pub upload_token_expires_at: DateTime<Utc>,
}

/// 重新获取照片上传凭证 — input of `renewReportUploadToken`.
#[derive(InputObject)]
pub struct RenewReportUploadTokenInput {
    /// 回执码 (receipt code)
    pub receipt_code: String,
    /// 查询密码 (passphrase)
    pub passphrase: String,
}

/// Result of `renewReportUploadToken`.
#[derive(SimpleObject)]
pub struct RenewReportUploadTokenPayload {
    /// 举报编号：上传照片时作为 ownerId (the report's id, the `ownerId` for `uploadAttachment`)
    pub report_id: ID,
    /// 照片上传凭证（Bearer 令牌）(a bearer token for this report's photos)
    pub upload_token: String,
    /// 有效期至 (when it expires)
    pub upload_token_expires_at: DateTime<Utc>,
}

/// 回复委里提问 — input of `answerReportQuestion`.
#[derive(InputObject)]
pub struct AnswerReportQuestionInput {
    /// 回执码 (receipt code)
    pub receipt_code: String,
    /// 查询密码 (passphrase)
    pub passphrase: String,
    /// 回复内容 (answer)
    pub body: String,
}

/// Result of `answerReportQuestion`.
#[derive(SimpleObject)]
pub struct AnswerReportQuestionPayload {
    /// 本人举报 (the report)
    pub report: ReceiptReport,
}

/// 向举报人提问 — input of `askReporter`.
#[derive(InputObject)]
pub struct AskReporterInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 问题 (question)
    pub body: String,
}

/// Result of `askReporter`.
#[derive(SimpleObject)]
pub struct AskReporterPayload {
    /// 举报 (the report)
    pub report: RewardReport,
}

/// 受理举报 — input of `acceptReport`.
#[derive(InputObject)]
pub struct AcceptReportInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of `acceptReport`.
#[derive(SimpleObject)]
pub struct AcceptReportPayload {
    /// 举报 (the report)
    pub report: RewardReport,
}

/// 不予受理 — input of `rejectReport`.
#[derive(InputObject)]
pub struct RejectReportInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 理由（举报人可见）(reason, shown to the reporter)
    pub reason: String,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of `rejectReport`.
#[derive(SimpleObject)]
pub struct RejectReportPayload {
    /// 举报 (the report)
    pub report: RewardReport,
}

/// 指派核查人 — input of `assignReportVerifier`.
#[derive(InputObject)]
pub struct AssignReportVerifierInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 核查人账号全局编号 (verifier account)
    pub verifier_id: ID,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of `assignReportVerifier`.
#[derive(SimpleObject)]
pub struct AssignReportVerifierPayload {
    /// 举报 (the report)
    pub report: RewardReport,
}

/// 记录核查结论 — input of `verifyReport`.
#[derive(InputObject)]
pub struct VerifyReportInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 结论 (verdict)
    pub verdict: Verdict,
    /// 核查情况 (findings)
    pub findings: String,
    /// 所涉项目（举报未写明或有误时由核查人确定；立隐患时必须有）(the project, when the report did not name it)
    pub project_id: Option<ID>,
    /// 须立案整改的隐患（由监督检查模块立为一般隐患）(hazards found, which inspections opens as general hazards)
    #[graphql(default)]
    pub hazards: Vec<FoundHazardInput>,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// 核查发现的隐患 — a hazard the verifier found, for inspections to open as a general hazard
/// (the inspectors reclassify one that meets a major-hazard criterion).
#[derive(InputObject)]
pub struct FoundHazardInput {
    /// 隐患类别：《建筑施工安全检查标准》（JGJ 59-2011）表A的检查项目代码，如 `SCAFFOLDING`
    /// (general hazard category, one of `GeneralHazardCategory`)
    pub category: String,
    /// 隐患描述 (description)
    pub description: String,
    /// 部位 (where on the site)
    pub location: String,
}

/// Result of `verifyReport`.
#[derive(SimpleObject)]
pub struct VerifyReportPayload {
    /// 举报 (the report)
    pub report: RewardReport,
}

/// 办结举报 — input of `closeReport`.
#[derive(InputObject)]
pub struct CloseReportInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of `closeReport`.
#[derive(SimpleObject)]
pub struct CloseReportPayload {
    /// 举报 (the report)
    pub report: RewardReport,
}

/// 申请查看举报人身份 — input of `requestIdentityReveal`.
#[derive(InputObject)]
pub struct RequestIdentityRevealInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 理由 (reason)
    pub reason: String,
}

/// Result of `requestIdentityReveal`.
#[derive(SimpleObject)]
pub struct RequestIdentityRevealPayload {
    /// 申请 (the request)
    pub request: IdentityRevealRequest,
}

/// 批准查看举报人身份 — input of `approveIdentityReveal`.
#[derive(InputObject)]
pub struct ApproveIdentityRevealInput {
    /// 申请全局编号 (request)
    pub request_id: ID,
}

/// Result of `approveIdentityReveal`.
#[derive(SimpleObject)]
pub struct ApproveIdentityRevealPayload {
    /// 申请 (the request)
    pub request: IdentityRevealRequest,
}

/// 查看举报人身份 — input of `revealReporterIdentity`.
#[derive(InputObject)]
pub struct RevealReporterIdentityInput {
    /// 已批准的申请全局编号 (the approved request)
    pub request_id: ID,
}

/// Result of `revealReporterIdentity`.
#[derive(SimpleObject)]
pub struct RevealReporterIdentityPayload {
    /// 申请 (the request, now revealed)
    pub request: IdentityRevealRequest,
    /// 举报人身份 (the reporter's identity)
    pub identity: RevealedIdentity,
}

/// 拟定举报奖励 — input of `proposeReward`.
#[derive(InputObject)]
pub struct ProposeRewardInput {
    /// 举报全局编号 (report)
    pub report_id: ID,
    /// 奖励金额（分；不填按奖励标准计算；与标准不同须说明理由，不超过标准上限）(amount in fen;
    /// by default the standards table's; another amount needs a reason and is bounded by the
    /// table's maximum)
    pub amount_fen: Option<Fen>,
    /// 金额调整理由 (why the amount differs from the standard)
    pub reason: Option<String>,
    /// 举报所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the report's version the
    /// decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of the reward mutations.
#[derive(SimpleObject)]
pub struct RewardPayload {
    /// 奖励 (the reward)
    pub reward: Reward,
}

/// 审核、审批奖励 — input of `approveReward` and `approveRewardFinal`.
#[derive(InputObject)]
pub struct ApproveRewardInput {
    /// 奖励全局编号 (reward)
    pub reward_id: ID,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// 不予奖励 — input of `refuseReward`.
#[derive(InputObject)]
pub struct RefuseRewardInput {
    /// 奖励全局编号 (reward)
    pub reward_id: ID,
    /// 理由 (reason)
    pub reason: String,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// 登记奖励发放 — input of `recordRewardPayment`.
#[derive(InputObject)]
pub struct RecordRewardPaymentInput {
    /// 奖励全局编号 (reward)
    pub reward_id: ID,
    /// 发放方式 (method)
    pub method: PaymentMethod,
    /// 发放日期 (paid on)
    pub paid_on: Date,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// 举报人确认收到奖励 — input of `confirmRewardPayment`.
#[derive(InputObject)]
pub struct ConfirmRewardPaymentInput {
    /// 回执码 (receipt code)
    pub receipt_code: String,
    /// 查询密码 (passphrase)
    pub passphrase: String,
}

/// Result of `confirmRewardPayment`.
#[derive(SimpleObject)]
pub struct ConfirmRewardPaymentPayload {
    /// 本人举报 (the report, with its reward)
    pub report: ReceiptReport,
}

/// 设定年度奖励预算 — input of `setRewardBudget`.
#[derive(InputObject)]
pub struct SetRewardBudgetInput {
    /// 年度 (year)
    pub year: i32,
    /// 预算金额（分）(amount in fen)
    pub amount_fen: Fen,
    /// 所依据的版本号（可选；新设年度不填）(the version the decision was made on; none for a new year)
    pub expected_version: Option<i32>,
}

/// Result of `setRewardBudget`.
#[derive(SimpleObject)]
pub struct SetRewardBudgetPayload {
    /// 预算及其使用情况 (the budget and its ledger)
    pub budget: RewardBudget,
}

/// 标记重复举报 — input of `markReportDuplicate`.
#[derive(InputObject)]
pub struct MarkReportDuplicateInput {
    /// 重复的举报全局编号 (the later report)
    pub report_id: ID,
    /// 同一事项较早的举报全局编号 (the earlier report of the same matter)
    pub of_report_id: ID,
    /// 所依据的版本号（可选；记录已被他人改动则返回 CONFLICT）(the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of `markReportDuplicate`.
#[derive(SimpleObject)]
pub struct MarkReportDuplicatePayload {
    /// 举报 (the report marked)
    pub report: RewardReport,
}

/// The rewards mutation root.
#[derive(Default)]
pub struct RewardsMutation;

fn report_id(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    Ok(decode_id(id, "RewardReport", "reportId")?)
}

fn reward_id(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    Ok(decode_id(id, "Reward", "rewardId")?)
}

async fn reward_step(
    ctx: &Context<'_>,
    id: &ID,
    step: service::reward::RewardStep,
    expected_version: Option<i32>,
) -> async_graphql::Result<RewardPayload> {
    let r = service::reward::advance(
        kernel(ctx)?,
        &request_info(ctx),
        reward_id(id)?,
        step,
        expected_version,
    )
    .await?;
    Ok(RewardPayload { reward: Reward(r) })
}

/// 有奖举报 — mutations of the rewards module.
#[Object]
impl RewardsMutation {
    /// 提交举报（无需登录；热线、来信、来访由工作人员代为登记）(file a report without an account;
    /// hotline, letter and visit reports are entered by staff)
    async fn submit_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitReportInput,
    ) -> async_graphql::Result<SubmitReportPayload> {
        let new = NewReport {
            category: input.category,
            channel: input.channel,
            description: input.description,
            township_id: input
                .township_id
                .as_ref()
                .map(|t| decode_id(t, "OrgUnit", "townshipId"))
                .transpose()?,
            project_id: input
                .project_id
                .as_ref()
                .map(|p| decode_id(p, "Project", "projectId"))
                .transpose()?,
            address: input.address,
            observed_at: input.observed_at,
            reporter_name: input.reporter_name,
            reporter_contact: input.reporter_contact,
        };
        let k = kernel(ctx)?;
        let receipt = service::report::submit(k, &request_info(ctx), new).await?;
        let (upload_token, expires) = k.tokens.issue_bearer(
            jianan_kernel::principal::Grant::new(crate::grants::RECEIPT, receipt.report.id),
            crate::UPLOAD_TOKEN_SECONDS,
        )?;
        Ok(SubmitReportPayload {
            receipt_code: receipt.receipt_code,
            passphrase: receipt.passphrase,
            status: receipt.report.status,
            accept_due_at: receipt.report.accept_due_at,
            report_id: encode_id("RewardReport", receipt.report.id),
            upload_token,
            upload_token_expires_at: DateTime::from_timestamp(expires, 0).unwrap_or_default(),
        })
    }

    /// 重新获取照片上传凭证（凭回执码和查询密码；举报办结或不予受理后不再提供）(a new 30-minute
    /// token for adding photos to one's report, with the receipt code and passphrase; not once
    /// the report is closed or rejected)
    async fn renew_report_upload_token(
        &self,
        ctx: &Context<'_>,
        input: RenewReportUploadTokenInput,
    ) -> async_graphql::Result<RenewReportUploadTokenPayload> {
        let k = kernel(ctx)?;
        let r = service::report::by_receipt(
            k,
            &request_info(ctx),
            &input.receipt_code,
            &input.passphrase,
        )
        .await?;
        if matches!(r.status, ReportStatus::Closed | ReportStatus::Rejected) {
            return Err(
                jianan_kernel::AppError::conflict("举报已办结或不予受理，不能再补充照片").into(),
            );
        }
        let (upload_token, expires) = k.tokens.issue_bearer(
            jianan_kernel::principal::Grant::new(crate::grants::RECEIPT, r.id),
            crate::UPLOAD_TOKEN_SECONDS,
        )?;
        Ok(RenewReportUploadTokenPayload {
            report_id: encode_id("RewardReport", r.id),
            upload_token,
            upload_token_expires_at: DateTime::from_timestamp(expires, 0).unwrap_or_default(),
        })
    }

    /// 回复委里的提问（凭回执码和查询密码）(answer the commission's question, with the receipt
    /// code and passphrase)
    async fn answer_report_question(
        &self,
        ctx: &Context<'_>,
        input: AnswerReportQuestionInput,
    ) -> async_graphql::Result<AnswerReportQuestionPayload> {
        let k = kernel(ctx)?;
        let r = service::report::answer(
            k,
            &request_info(ctx),
            &input.receipt_code,
            &input.passphrase,
            &input.body,
        )
        .await?;
        let messages = service::report::messages(&k.db.conn, r.id).await?;
        Ok(AnswerReportQuestionPayload {
            report: ReceiptReport {
                report: r,
                messages,
            },
        })
    }

    /// 向举报人提问（举报人凭回执码查看并回复）(ask the reporter a question)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn ask_reporter(
        &self,
        ctx: &Context<'_>,
        input: AskReporterInput,
    ) -> async_graphql::Result<AskReporterPayload> {
        let r = service::report::ask(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            &input.body,
        )
        .await?;
        Ok(AskReporterPayload {
            report: RewardReport(r),
        })
    }

    /// 受理举报 (accept a report)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn accept_report(
        &self,
        ctx: &Context<'_>,
        input: AcceptReportInput,
    ) -> async_graphql::Result<AcceptReportPayload> {
        let r = service::report::advance(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            Step::Accept,
            input.expected_version,
        )
        .await?;
        Ok(AcceptReportPayload {
            report: RewardReport(r),
        })
    }

    /// 不予受理（理由告知举报人）(reject a report, with a reason shown to the reporter)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn reject_report(
        &self,
        ctx: &Context<'_>,
        input: RejectReportInput,
    ) -> async_graphql::Result<RejectReportPayload> {
        let r = service::report::advance(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            Step::Reject {
                reason: input.reason,
            },
            input.expected_version,
        )
        .await?;
        Ok(RejectReportPayload {
            report: RewardReport(r),
        })
    }

    /// 指派（或改派）核查人 (assign or reassign the verifier)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn assign_report_verifier(
        &self,
        ctx: &Context<'_>,
        input: AssignReportVerifierInput,
    ) -> async_graphql::Result<AssignReportVerifierPayload> {
        let r = service::report::advance(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            Step::Assign {
                verifier_id: decode_id(&input.verifier_id, "Account", "verifierId")?,
            },
            input.expected_version,
        )
        .await?;
        Ok(AssignReportVerifierPayload {
            report: RewardReport(r),
        })
    }

    /// 记录核查结论（仅被指派的核查人）(record the verdict; the assigned verifier only)
    #[graphql(guard = "Permission(perms::REPORT_VERIFY)")]
    async fn verify_report(
        &self,
        ctx: &Context<'_>,
        input: VerifyReportInput,
    ) -> async_graphql::Result<VerifyReportPayload> {
        let r = service::report::advance(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            Step::Verify {
                verdict: input.verdict,
                findings: input.findings,
                project_id: input
                    .project_id
                    .as_ref()
                    .map(|p| decode_id(p, "Project", "projectId"))
                    .transpose()?,
                hazards: input
                    .hazards
                    .into_iter()
                    .map(|h| jianan_contracts::rewards::FoundHazard {
                        category: h.category,
                        description: h.description,
                        location: h.location,
                    })
                    .collect(),
            },
            input.expected_version,
        )
        .await?;
        Ok(VerifyReportPayload {
            report: RewardReport(r),
        })
    }

    /// 办结举报 (close a verified report)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn close_report(
        &self,
        ctx: &Context<'_>,
        input: CloseReportInput,
    ) -> async_graphql::Result<CloseReportPayload> {
        let r = service::report::advance(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            Step::Close,
            input.expected_version,
        )
        .await?;
        Ok(CloseReportPayload {
            report: RewardReport(r),
        })
    }

    /// 申请查看举报人身份（须说明理由，经另一名保管人批准）(ask to see a reporter's identity,
    /// with a reason; another person, a custodian, must approve)
    #[graphql(guard = "Permission(perms::IDENTITY_REQUEST)")]
    async fn request_identity_reveal(
        &self,
        ctx: &Context<'_>,
        input: RequestIdentityRevealInput,
    ) -> async_graphql::Result<RequestIdentityRevealPayload> {
        let r = service::reveal::request(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            &input.reason,
        )
        .await?;
        Ok(RequestIdentityRevealPayload {
            request: IdentityRevealRequest(r),
        })
    }

    /// 批准他人的身份查看申请（保管人；不能批准本人的申请）(a custodian approves someone else's
    /// request)
    #[graphql(guard = "Permission(perms::IDENTITY_REVEAL)")]
    async fn approve_identity_reveal(
        &self,
        ctx: &Context<'_>,
        input: ApproveIdentityRevealInput,
    ) -> async_graphql::Result<ApproveIdentityRevealPayload> {
        let r = service::reveal::approve(
            kernel(ctx)?,
            &request_info(ctx),
            decode_id(&input.request_id, "IdentityRevealRequest", "requestId")?,
        )
        .await?;
        Ok(ApproveIdentityRevealPayload {
            request: IdentityRevealRequest(r),
        })
    }

    /// 查看经批准的举报人身份（申请人本人，一次）(the requester reads the approved identity, once)
    #[graphql(guard = "Permission(perms::IDENTITY_REQUEST)")]
    async fn reveal_reporter_identity(
        &self,
        ctx: &Context<'_>,
        input: RevealReporterIdentityInput,
    ) -> async_graphql::Result<RevealReporterIdentityPayload> {
        let (r, identity) = service::reveal::reveal(
            kernel(ctx)?,
            &request_info(ctx),
            decode_id(&input.request_id, "IdentityRevealRequest", "requestId")?,
        )
        .await?;
        Ok(RevealReporterIdentityPayload {
            request: IdentityRevealRequest(r),
            identity: identity.into(),
        })
    }

    /// 标记重复举报（同一事项仅奖励首位有效举报人）(record that a report repeats an earlier one
    /// of the same matter; only the first valid reporter is rewarded)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn mark_report_duplicate(
        &self,
        ctx: &Context<'_>,
        input: MarkReportDuplicateInput,
    ) -> async_graphql::Result<MarkReportDuplicatePayload> {
        let r = service::duplicates::mark(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            decode_id(&input.of_report_id, "RewardReport", "ofReportId")?,
            input.expected_version,
        )
        .await?;
        Ok(MarkReportDuplicatePayload {
            report: RewardReport(r),
        })
    }

    /// 拟定举报奖励（已核查属实或部分属实；金额按奖励标准计算）(propose the reward of a verified,
    /// substantiated report; the amount comes from the standards table)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn propose_reward(
        &self,
        ctx: &Context<'_>,
        input: ProposeRewardInput,
    ) -> async_graphql::Result<RewardPayload> {
        let r = service::reward::propose(
            kernel(ctx)?,
            &request_info(ctx),
            report_id(&input.report_id)?,
            service::reward::Proposal {
                amount_fen: input.amount_fen.map(|f| f.0),
                reason: input.reason,
            },
            input.expected_version,
        )
        .await?;
        Ok(RewardPayload { reward: Reward(r) })
    }

    /// 部门审核奖励（不能审核本人拟定的奖励）(first approval, by the department; not of one's own
    /// proposal)
    #[graphql(guard = "Permission(perms::REWARD_APPROVE)")]
    async fn approve_reward(
        &self,
        ctx: &Context<'_>,
        input: ApproveRewardInput,
    ) -> async_graphql::Result<RewardPayload> {
        reward_step(
            ctx,
            &input.reward_id,
            service::reward::RewardStep::ApproveDepartment,
            input.expected_version,
        )
        .await
    }

    /// 领导审批奖励（与拟定人、部门审核人不得为同一人；计入当年预算，超出可用余额不予审批）
    /// (final approval by a leader, neither the proposer nor the first approver; charged to this
    /// year's budget, refused beyond what is available)
    #[graphql(guard = "Permission(perms::REWARD_APPROVE_FINAL)")]
    async fn approve_reward_final(
        &self,
        ctx: &Context<'_>,
        input: ApproveRewardInput,
    ) -> async_graphql::Result<RewardPayload> {
        reward_step(
            ctx,
            &input.reward_id,
            service::reward::RewardStep::ApproveFinal,
            input.expected_version,
        )
        .await
    }

    /// 不予奖励（由待审环节的审批人决定，须说明理由）(refuse a reward, by whoever may approve the
    /// pending step, with a reason)
    #[graphql(guard = "Authenticated")]
    async fn refuse_reward(
        &self,
        ctx: &Context<'_>,
        input: RefuseRewardInput,
    ) -> async_graphql::Result<RewardPayload> {
        reward_step(
            ctx,
            &input.reward_id,
            service::reward::RewardStep::Refuse {
                reason: input.reason,
            },
            input.expected_version,
        )
        .await
    }

    /// 登记奖励发放 (record that an approved reward was paid)
    #[graphql(guard = "Permission(perms::REWARD_PAY)")]
    async fn record_reward_payment(
        &self,
        ctx: &Context<'_>,
        input: RecordRewardPaymentInput,
    ) -> async_graphql::Result<RewardPayload> {
        reward_step(
            ctx,
            &input.reward_id,
            service::reward::RewardStep::Pay {
                method: input.method,
                paid_on: input.paid_on.0,
            },
            input.expected_version,
        )
        .await
    }

    /// 确认收到奖励（举报人凭回执码和查询密码）(the reporter confirms receipt, with the receipt
    /// code and passphrase)
    async fn confirm_reward_payment(
        &self,
        ctx: &Context<'_>,
        input: ConfirmRewardPaymentInput,
    ) -> async_graphql::Result<ConfirmRewardPaymentPayload> {
        let k = kernel(ctx)?;
        let r = service::reward::confirm(
            k,
            &request_info(ctx),
            &input.receipt_code,
            &input.passphrase,
        )
        .await?;
        let messages = service::report::messages(&k.db.conn, r.id).await?;
        Ok(ConfirmRewardPaymentPayload {
            report: ReceiptReport {
                report: r,
                messages,
            },
        })
    }

    /// 设定年度举报奖励预算（不能低于当年已审批和已发放的合计）(set a year's reward budget; not
    /// below what the year has committed and paid)
    #[graphql(guard = "Permission(perms::BUDGET_MANAGE)")]
    async fn set_reward_budget(
        &self,
        ctx: &Context<'_>,
        input: SetRewardBudgetInput,
    ) -> async_graphql::Result<SetRewardBudgetPayload> {
        let k = kernel(ctx)?;
        service::reward::set_budget(
            k,
            &request_info(ctx),
            input.year,
            input.amount_fen.0,
            input.expected_version,
        )
        .await?;
        Ok(SetRewardBudgetPayload {
            budget: RewardBudget::load(&k.db.conn, input.year).await?,
        })
    }
}

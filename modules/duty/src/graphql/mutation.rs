//! Duty mutations: a guard, decoding, one service call each.
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, request_info};
use jianan_kernel::relay::decode_id;
use jianan_kernel::scalars::Date;

use jianan_kernel::AppError;

use super::types::{
    DutyEmergencyResponse, DutyIncidentReport, DutyKeyPeriod, DutyShift, DutyWarning,
};
use crate::entity::enums::{
    DutyPost, IncidentKind, IncidentSeverity, KeyPeriodKind, ResponseLevel, WarningLevel,
    WarningTargetKind,
};
use crate::perms;
use crate::service::incident::{self, Figures, NewReport};
use crate::service::key_period::{self, KEY_PERIOD, KeyPeriodInput};
use crate::service::response;
use crate::service::roster::{self, NewShift, SHIFT};
use crate::service::warning::{self, NewWarning, WARNING};

/// 设置重点时段 — input of `declareKeyPeriod`.
#[derive(InputObject)]
pub struct DeclareKeyPeriodInput {
    /// 名称，如“2027年春节” (name)
    pub name: String,
    /// 类别 (kind)
    pub kind: KeyPeriodKind,
    /// 等级 1–4（1 最高）(level, 1 the highest)
    pub level: i32,
    /// 起始日（含）(first day)
    pub starts_on: Date,
    /// 结束日（含）(last day)
    pub ends_on: Date,
    /// 说明 (note)
    pub note: Option<String>,
}

/// 调整重点时段 — input of `changeKeyPeriod` (the period as it should now stand).
#[derive(InputObject)]
pub struct ChangeKeyPeriodInput {
    /// 重点时段 (key period)
    pub id: ID,
    /// 名称 (name)
    pub name: String,
    /// 类别 (kind)
    pub kind: KeyPeriodKind,
    /// 等级 1–4 (level)
    pub level: i32,
    /// 起始日（含）(first day)
    pub starts_on: Date,
    /// 结束日（含）(last day)
    pub ends_on: Date,
    /// 说明 (note)
    pub note: Option<String>,
    /// 所依据的版本号 (the version the change was made on)
    pub expected_version: Option<i32>,
}

/// 撤销重点时段 — input of `cancelKeyPeriod`.
#[derive(InputObject)]
pub struct CancelKeyPeriodInput {
    /// 重点时段 (key period)
    pub id: ID,
    /// 撤销原因 (reason)
    pub reason: String,
    /// 所依据的版本号 (the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of a key period mutation.
#[derive(SimpleObject)]
pub struct KeyPeriodPayload {
    /// 重点时段 (the key period)
    pub key_period: DutyKeyPeriod,
}

/// 预警对象 — one target of `issueWarning`.
#[derive(InputObject)]
pub struct WarningTargetInput {
    /// 类别 (kind)
    pub kind: WarningTargetKind,
    /// 乡镇（街道）或科室的 OrgUnit 编号，或项目的 Project 编号 (the township's or department's
    /// OrgUnit ID, or the project's Project ID)
    pub id: ID,
}

/// 发布预警 — input of `issueWarning`.
#[derive(InputObject)]
pub struct IssueWarningInput {
    /// 等级 (level; sets the acknowledgement deadline)
    pub level: WarningLevel,
    /// 标题 (title)
    pub title: String,
    /// 预警内容 (message)
    pub message: String,
    /// 防范要求 (required actions)
    #[graphql(default)]
    pub required_actions: Vec<String>,
    /// 预警对象：乡镇、项目、科室 (targets: townships, projects, departments)
    pub targets: Vec<WarningTargetInput>,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `issueWarning`.
#[derive(SimpleObject)]
pub struct IssueWarningPayload {
    /// 预警 (the warning)
    pub warning: DutyWarning,
}

/// 签收预警 — input of `acknowledgeWarning`.
#[derive(InputObject)]
pub struct AcknowledgeWarningInput {
    /// 预警 (warning)
    pub warning_id: ID,
    /// 签收说明 (note)
    pub note: Option<String>,
}

/// Result of `acknowledgeWarning`.
#[derive(SimpleObject)]
pub struct AcknowledgeWarningPayload {
    /// 预警 (the warning)
    pub warning: DutyWarning,
}

/// 排班 — input of `assignDutyShift`.
#[derive(InputObject)]
pub struct AssignDutyShiftInput {
    /// 岗位 (post)
    pub post: DutyPost,
    /// 值班人 Account 编号 (the person's Account ID)
    pub account_id: ID,
    /// 值班电话 (phone)
    pub phone: String,
    /// 开始 (starts at)
    pub starts_at: DateTime<Utc>,
    /// 结束（最长24小时）(ends at; at most 24 hours later)
    pub ends_at: DateTime<Utc>,
}

/// 在岗签到 — input of `checkInDutyShift`.
#[derive(InputObject)]
pub struct CheckInDutyShiftInput {
    /// 班次 (shift)
    pub shift_id: ID,
}

/// 换班 — input of `swapDutyShift`.
#[derive(InputObject)]
pub struct SwapDutyShiftInput {
    /// 班次 (shift)
    pub shift_id: ID,
    /// 接班人 Account 编号 (the person taking the shift)
    pub to_account_id: ID,
    /// 接班人值班电话 (their phone)
    pub phone: String,
    /// 换班原因 (reason)
    pub reason: String,
    /// 所依据的版本号 (the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of a shift mutation.
#[derive(SimpleObject)]
pub struct DutyShiftPayload {
    /// 班次 (the shift)
    pub shift: DutyShift,
}

/// 伤亡和损失 — casualties and losses in a report.
#[derive(InputObject)]
pub struct DutyIncidentFiguresInput {
    /// 死亡人数 (deaths)
    #[graphql(default)]
    pub deaths: i32,
    /// 受伤人数 (injuries)
    #[graphql(default)]
    pub injuries: i32,
    /// 失踪人数 (missing)
    #[graphql(default)]
    pub missing: i32,
    /// 直接经济损失（元，整数）(direct loss in yuan, a whole number)
    #[graphql(default)]
    pub direct_loss_yuan: String,
}

fn figures(f: &DutyIncidentFiguresInput) -> Result<Figures, AppError> {
    let loss = if f.direct_loss_yuan.trim().is_empty() {
        0
    } else {
        f.direct_loss_yuan
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::bad_input("directLossYuan", "直接经济损失应为整数（元）"))?
    };
    Ok(Figures {
        deaths: f.deaths,
        injuries: f.injuries,
        missing: f.missing,
        direct_loss_yuan: loss,
    })
}

/// 信息首报 — input of `fileIncidentReport`.
#[derive(InputObject)]
pub struct FileIncidentReportInput {
    /// 类别 (kind)
    pub kind: IncidentKind,
    /// 等级 (severity)
    pub severity: IncidentSeverity,
    /// 标题 (title)
    pub title: String,
    /// 情况描述 (description)
    pub description: String,
    /// 事发乡镇（街道），不填项目时必填 (township; required without a project)
    pub township_id: Option<ID>,
    /// 项目 (project)
    pub project_id: Option<ID>,
    /// 发生时间 (occurred at)
    pub occurred_at: DateTime<Utc>,
    /// 伤亡和损失 (casualties and losses)
    pub figures: DutyIncidentFiguresInput,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// 续报、终报 — input of `followUpIncidentReport` and `closeIncidentReport`.
#[derive(InputObject)]
pub struct AdvanceIncidentReportInput {
    /// 信息报告 (report)
    pub id: ID,
    /// 报告内容 (what changed)
    pub text: String,
    /// 当前伤亡和损失 (casualties and losses as they now stand)
    pub figures: DutyIncidentFiguresInput,
    /// 所依据的版本号 (the version the step was made on)
    pub expected_version: Option<i32>,
}

/// Result of a report mutation.
#[derive(SimpleObject)]
pub struct DutyIncidentReportPayload {
    /// 信息报告 (the report)
    pub report: DutyIncidentReport,
}

async fn advance(
    ctx: &Context<'_>,
    input: AdvanceIncidentReportInput,
    step: incident::Step,
) -> async_graphql::Result<DutyIncidentReportPayload> {
    let id = decode_id(&input.id, incident::REPORT, "id")?;
    let f = figures(&input.figures)?;
    let m = incident::advance(
        kernel(ctx)?,
        &request_info(ctx),
        id,
        step,
        &input.text,
        f,
        input.expected_version,
    )
    .await?;
    Ok(DutyIncidentReportPayload {
        report: DutyIncidentReport(m),
    })
}

/// 启动应急响应 — input of `startEmergencyResponse`.
#[derive(InputObject)]
pub struct StartEmergencyResponseInput {
    /// 名称 (title)
    pub title: String,
    /// 启动原因 (reason)
    pub reason: String,
    /// 级别 (level)
    pub level: ResponseLevel,
    /// 关联的信息报告 (linked reports)
    #[graphql(default)]
    pub report_ids: Vec<ID>,
}

/// 提升应急响应级别 — input of `escalateEmergencyResponse`.
#[derive(InputObject)]
pub struct EscalateEmergencyResponseInput {
    /// 应急响应 (response)
    pub id: ID,
    /// 新级别（须高于当前）(the new, higher level)
    pub level: ResponseLevel,
    /// 说明 (note)
    pub note: Option<String>,
    /// 所依据的版本号 (the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// 结束应急响应 — input of `endEmergencyResponse`.
#[derive(InputObject)]
pub struct EndEmergencyResponseInput {
    /// 应急响应 (response)
    pub id: ID,
    /// 说明 (note)
    pub note: Option<String>,
    /// 所依据的版本号 (the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// 关联信息报告 — input of `linkReportToEmergencyResponse`.
#[derive(InputObject)]
pub struct LinkReportToEmergencyResponseInput {
    /// 应急响应 (response)
    pub id: ID,
    /// 信息报告 (report)
    pub report_id: ID,
}

/// Result of an emergency response mutation.
#[derive(SimpleObject)]
pub struct DutyEmergencyResponsePayload {
    /// 应急响应 (the response)
    pub response: DutyEmergencyResponse,
}

/// Duty mutations.
#[derive(Default)]
pub struct DutyMutation;

#[Object]
impl DutyMutation {
    /// 设置重点时段（委里）(declare a key period)
    #[graphql(guard = "Permission(perms::KEY_PERIOD_MANAGE)")]
    async fn declare_key_period(
        &self,
        ctx: &Context<'_>,
        input: DeclareKeyPeriodInput,
    ) -> async_graphql::Result<KeyPeriodPayload> {
        let m = key_period::declare(
            kernel(ctx)?,
            &request_info(ctx),
            KeyPeriodInput {
                name: input.name,
                kind: input.kind,
                level: input.level,
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                note: input.note,
            },
        )
        .await?;
        Ok(KeyPeriodPayload {
            key_period: DutyKeyPeriod(m),
        })
    }

    /// 调整重点时段的名称、类别、日期或等级（委里）(change a key period)
    #[graphql(guard = "Permission(perms::KEY_PERIOD_MANAGE)")]
    async fn change_key_period(
        &self,
        ctx: &Context<'_>,
        input: ChangeKeyPeriodInput,
    ) -> async_graphql::Result<KeyPeriodPayload> {
        let id = decode_id(&input.id, KEY_PERIOD, "id")?;
        let m = key_period::change(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            KeyPeriodInput {
                name: input.name,
                kind: input.kind,
                level: input.level,
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                note: input.note,
            },
            input.expected_version,
        )
        .await?;
        Ok(KeyPeriodPayload {
            key_period: DutyKeyPeriod(m),
        })
    }

    /// 撤销重点时段（委里）(cancel a key period)
    #[graphql(guard = "Permission(perms::KEY_PERIOD_MANAGE)")]
    async fn cancel_key_period(
        &self,
        ctx: &Context<'_>,
        input: CancelKeyPeriodInput,
    ) -> async_graphql::Result<KeyPeriodPayload> {
        let id = decode_id(&input.id, KEY_PERIOD, "id")?;
        let m = key_period::cancel(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            &input.reason,
            input.expected_version,
        )
        .await?;
        Ok(KeyPeriodPayload {
            key_period: DutyKeyPeriod(m),
        })
    }

    /// 发布预警（委里）(issue an early warning)
    #[graphql(guard = "Permission(perms::WARNING_ISSUE)")]
    async fn issue_warning(
        &self,
        ctx: &Context<'_>,
        input: IssueWarningInput,
    ) -> async_graphql::Result<IssueWarningPayload> {
        let targets = input
            .targets
            .iter()
            .map(|t| {
                let ty = match t.kind {
                    WarningTargetKind::Project => "Project",
                    _ => "OrgUnit",
                };
                decode_id(&t.id, ty, "targets").map(|id| (t.kind, id))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let m = warning::issue(
            kernel(ctx)?,
            &request_info(ctx),
            NewWarning {
                level: input.level,
                title: input.title,
                message: input.message,
                required_actions: input.required_actions,
                targets,
                idempotency_key: input.idempotency_key,
            },
        )
        .await?;
        Ok(IssueWarningPayload {
            warning: DutyWarning(m),
        })
    }

    /// 签收预警（本乡镇、本企业项目、本科室）(acknowledge a warning for one's township, projects or
    /// department)
    #[graphql(guard = "Permission(perms::WARNING_ACKNOWLEDGE)")]
    async fn acknowledge_warning(
        &self,
        ctx: &Context<'_>,
        input: AcknowledgeWarningInput,
    ) -> async_graphql::Result<AcknowledgeWarningPayload> {
        let id = decode_id(&input.warning_id, WARNING, "warningId")?;
        let m = warning::acknowledge(kernel(ctx)?, &request_info(ctx), id, input.note.as_deref())
            .await?;
        Ok(AcknowledgeWarningPayload {
            warning: DutyWarning(m),
        })
    }

    /// 排班（委里）(put a person on a duty shift)
    #[graphql(guard = "Permission(perms::ROSTER_MANAGE)")]
    async fn assign_duty_shift(
        &self,
        ctx: &Context<'_>,
        input: AssignDutyShiftInput,
    ) -> async_graphql::Result<DutyShiftPayload> {
        let account_id = decode_id(&input.account_id, "Account", "accountId")?;
        let m = roster::assign(
            kernel(ctx)?,
            &request_info(ctx),
            NewShift {
                post: input.post,
                account_id,
                phone: input.phone,
                starts_at: input.starts_at,
                ends_at: input.ends_at,
            },
        )
        .await?;
        Ok(DutyShiftPayload {
            shift: DutyShift(m),
        })
    }

    /// 在岗签到（本人班次）(check in for one's own shift)
    #[graphql(guard = "Permission(perms::ROSTER_CHECK_IN)")]
    async fn check_in_duty_shift(
        &self,
        ctx: &Context<'_>,
        input: CheckInDutyShiftInput,
    ) -> async_graphql::Result<DutyShiftPayload> {
        let id = decode_id(&input.shift_id, SHIFT, "shiftId")?;
        let m = roster::check_in(kernel(ctx)?, &request_info(ctx), id).await?;
        Ok(DutyShiftPayload {
            shift: DutyShift(m),
        })
    }

    /// 信息首报（乡镇报本乡镇，企业报本企业项目，委里报全区）(file the first report of an accident,
    /// danger or disaster)
    #[graphql(guard = "Permission(perms::REPORT_FILE)")]
    async fn file_incident_report(
        &self,
        ctx: &Context<'_>,
        input: FileIncidentReportInput,
    ) -> async_graphql::Result<DutyIncidentReportPayload> {
        let township_id = input
            .township_id
            .as_ref()
            .map(|t| decode_id(t, "OrgUnit", "townshipId"))
            .transpose()?;
        let project_id = input
            .project_id
            .as_ref()
            .map(|p| decode_id(p, "Project", "projectId"))
            .transpose()?;
        let m = incident::file(
            kernel(ctx)?,
            &request_info(ctx),
            NewReport {
                kind: input.kind,
                severity: input.severity,
                title: input.title,
                description: input.description,
                township_id,
                project_id,
                occurred_at: input.occurred_at,
                figures: figures(&input.figures)?,
                idempotency_key: input.idempotency_key,
            },
        )
        .await?;
        Ok(DutyIncidentReportPayload {
            report: DutyIncidentReport(m),
        })
    }

    /// 续报 (send a follow-up)
    #[graphql(guard = "Permission(perms::REPORT_FILE)")]
    async fn follow_up_incident_report(
        &self,
        ctx: &Context<'_>,
        input: AdvanceIncidentReportInput,
    ) -> async_graphql::Result<DutyIncidentReportPayload> {
        advance(ctx, input, incident::Step::FollowUp).await
    }

    /// 终报（委里）(close a report)
    #[graphql(guard = "Permission(perms::REPORT_CLOSE)")]
    async fn close_incident_report(
        &self,
        ctx: &Context<'_>,
        input: AdvanceIncidentReportInput,
    ) -> async_graphql::Result<DutyIncidentReportPayload> {
        advance(ctx, input, incident::Step::Close).await
    }

    /// 启动应急响应（委领导）(start an emergency response)
    #[graphql(guard = "Permission(perms::RESPONSE_MANAGE)")]
    async fn start_emergency_response(
        &self,
        ctx: &Context<'_>,
        input: StartEmergencyResponseInput,
    ) -> async_graphql::Result<DutyEmergencyResponsePayload> {
        let reports = input
            .report_ids
            .iter()
            .map(|r| decode_id(r, incident::REPORT, "reportIds"))
            .collect::<Result<Vec<_>, _>>()?;
        let m = response::start(
            kernel(ctx)?,
            &request_info(ctx),
            &input.title,
            &input.reason,
            input.level,
            &reports,
        )
        .await?;
        Ok(DutyEmergencyResponsePayload {
            response: DutyEmergencyResponse(m),
        })
    }

    /// 提升应急响应级别（委领导）(raise an emergency response's level)
    #[graphql(guard = "Permission(perms::RESPONSE_MANAGE)")]
    async fn escalate_emergency_response(
        &self,
        ctx: &Context<'_>,
        input: EscalateEmergencyResponseInput,
    ) -> async_graphql::Result<DutyEmergencyResponsePayload> {
        let id = decode_id(&input.id, response::RESPONSE, "id")?;
        let m = response::advance(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            response::Step::Escalate(input.level),
            input.note.as_deref(),
            input.expected_version,
        )
        .await?;
        Ok(DutyEmergencyResponsePayload {
            response: DutyEmergencyResponse(m),
        })
    }

    /// 结束应急响应（委领导）(end an emergency response)
    #[graphql(guard = "Permission(perms::RESPONSE_MANAGE)")]
    async fn end_emergency_response(
        &self,
        ctx: &Context<'_>,
        input: EndEmergencyResponseInput,
    ) -> async_graphql::Result<DutyEmergencyResponsePayload> {
        let id = decode_id(&input.id, response::RESPONSE, "id")?;
        let m = response::advance(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            response::Step::End,
            input.note.as_deref(),
            input.expected_version,
        )
        .await?;
        Ok(DutyEmergencyResponsePayload {
            response: DutyEmergencyResponse(m),
        })
    }

    /// 关联信息报告（委领导）(link a report to a running response)
    #[graphql(guard = "Permission(perms::RESPONSE_MANAGE)")]
    async fn link_report_to_emergency_response(
        &self,
        ctx: &Context<'_>,
        input: LinkReportToEmergencyResponseInput,
    ) -> async_graphql::Result<DutyEmergencyResponsePayload> {
        let id = decode_id(&input.id, response::RESPONSE, "id")?;
        let report = decode_id(&input.report_id, incident::REPORT, "reportId")?;
        let m = response::link_report(kernel(ctx)?, &request_info(ctx), id, report).await?;
        Ok(DutyEmergencyResponsePayload {
            response: DutyEmergencyResponse(m),
        })
    }

    /// 批准换班（委里）(approve a swap: give a shift to another person)
    #[graphql(guard = "Permission(perms::ROSTER_MANAGE)")]
    async fn swap_duty_shift(
        &self,
        ctx: &Context<'_>,
        input: SwapDutyShiftInput,
    ) -> async_graphql::Result<DutyShiftPayload> {
        let id = decode_id(&input.shift_id, SHIFT, "shiftId")?;
        let to = decode_id(&input.to_account_id, "Account", "toAccountId")?;
        let m = roster::swap(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            to,
            &input.phone,
            &input.reason,
            input.expected_version,
        )
        .await?;
        Ok(DutyShiftPayload {
            shift: DutyShift(m),
        })
    }
}

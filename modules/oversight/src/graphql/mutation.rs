//! Oversight mutations. Each checks its permission in a guard; the services check who acts for
//! whom, the state and the inputs before anything is written.
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use jianan_kernel::AppError;
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, request_info};
use jianan_kernel::relay::{decode_any, decode_id};
use jianan_kernel::scalars::Date;
use uuid::Uuid;

use super::types::{Circular, CircularRecipient, Meeting, OversightTask, RiskAssessment};
use crate::entity::enums::{AssessmentOccasion, MeetingKind, RiskLevel, UnitKind};
use crate::perms;
use crate::service::{self, NewTask};

/// 议定事项 — a decision to give out.
#[derive(InputObject)]
pub struct DecisionInput {
    /// 议定事项 (the decision)
    pub description: String,
    /// 责任人账号 (the account responsible)
    pub owner_id: ID,
    /// 完成时限 (due on)
    pub due_on: Date,
}

/// 风险及管控措施 — a risk to list.
#[derive(InputObject)]
pub struct RiskInput {
    /// 风险描述 (the risk)
    pub description: String,
    /// 风险等级 (level)
    pub level: RiskLevel,
    /// 管控措施 (control measures)
    pub measures: String,
    /// 责任人账号 (the account responsible)
    pub owner_id: ID,
    /// 完成时限 (due on)
    pub due_on: Date,
    /// 是否“两重两新”事项（须纳入监督检查内容）(a “两重两新” item for supervision checklists)
    #[graphql(default)]
    pub two_key_two_new: bool,
}

/// 记录会议 — input of `recordMeeting`.
#[derive(InputObject)]
pub struct RecordMeetingInput {
    /// 会议类别 (kind)
    pub kind: MeetingKind,
    /// 会议名称 (title)
    pub title: String,
    /// 召开日期（不晚于今天）(held on, not after today)
    pub held_on: Date,
    /// 会议地点 (venue)
    pub venue: String,
    /// 主持人 (chair)
    pub chair: String,
    /// 参会人员（姓名及单位）(attendees, as written)
    pub attendees: Vec<String>,
    /// 会议议题 (topics)
    pub topics: Vec<String>,
    /// 会议纪要摘要（纪要全文作为附件上传）(summary; upload the minutes as an attachment)
    pub summary: Option<String>,
    /// 参会单位：机关科室、乡镇（街道）或企业的全局编号 (units that attended: OrgUnit or
    /// Enterprise IDs)
    #[graphql(default)]
    pub unit_ids: Vec<ID>,
    /// 议定事项 (decisions)
    #[graphql(default)]
    pub decisions: Vec<DecisionInput>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// 记录风险研判 — input of `recordRiskAssessment`.
#[derive(InputObject)]
pub struct RecordRiskAssessmentInput {
    /// 研判名称 (title)
    pub title: String,
    /// 研判时机 (occasion)
    pub occasion: AssessmentOccasion,
    /// 时段或节点名称，如“2027年春节” (the period or node)
    pub occasion_name: String,
    /// 覆盖起始日 (first day covered)
    pub starts_on: Date,
    /// 覆盖结束日 (last day covered)
    pub ends_on: Date,
    /// 研判日期 (assessed on)
    pub assessed_on: Date,
    /// 研判结论 (summary)
    pub summary: Option<String>,
    /// 风险及管控措施（至少一项）(risks, at least one)
    pub risks: Vec<RiskInput>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// 办结督办事项 — input of `completeOversightTask`.
#[derive(InputObject)]
pub struct CompleteOversightTaskInput {
    /// 督办事项 (the task)
    pub id: ID,
    /// 办理情况 (what was done)
    pub note: String,
    /// 所依据的版本号 (the version the report was made on)
    pub expected_version: Option<i32>,
}

/// 发布通报 — input of `issueCircular`.
#[derive(InputObject)]
pub struct IssueCircularInput {
    /// 标题 (title)
    pub title: String,
    /// 正文 (body)
    pub body: String,
    /// 接收单位：机关科室、乡镇（街道）或企业的全局编号 (recipients: OrgUnit or Enterprise IDs)
    pub recipient_ids: Vec<ID>,
    /// 通报所列的检查、隐患、执法记录（须为发布人可查看的）(the inspections, hazards and
    /// enforcement actions it names; each must be readable by the issuer)
    #[graphql(default)]
    pub links: Vec<ID>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// 签收通报 — input of `markCircularRead`.
#[derive(InputObject)]
pub struct MarkCircularReadInput {
    /// 通报 (the circular)
    pub id: ID,
}

/// Result of `recordMeeting`.
#[derive(SimpleObject)]
pub struct RecordMeetingPayload {
    /// 会议 (the meeting)
    pub meeting: Meeting,
}

/// Result of `recordRiskAssessment`.
#[derive(SimpleObject)]
pub struct RecordRiskAssessmentPayload {
    /// 风险研判 (the assessment)
    pub risk_assessment: RiskAssessment,
}

/// Result of `completeOversightTask`.
#[derive(SimpleObject)]
pub struct CompleteOversightTaskPayload {
    /// 督办事项 (the task)
    pub task: OversightTask,
}

/// Result of `issueCircular`.
#[derive(SimpleObject)]
pub struct IssueCircularPayload {
    /// 通报 (the circular)
    pub circular: Circular,
}

/// Result of `markCircularRead`.
#[derive(SimpleObject)]
pub struct MarkCircularReadPayload {
    /// 通报 (the circular)
    pub circular: Circular,
    /// 本单位的签收 (the caller's unit's receipt)
    pub receipt: CircularRecipient,
}

fn unit(id: &ID, field: &str) -> Result<(UnitKind, Uuid), AppError> {
    match decode_any(id) {
        Some((t, u)) if t == "OrgUnit" => Ok((UnitKind::OrgUnit, u)),
        Some((t, u)) if t == "Enterprise" => Ok((UnitKind::Enterprise, u)),
        _ => Err(AppError::bad_input(
            field,
            "单位应为机关科室、乡镇（街道）或企业的编号",
        )),
    }
}

fn units(ids: &[ID], field: &str) -> Result<Vec<(UnitKind, Uuid)>, AppError> {
    ids.iter().map(|id| unit(id, field)).collect()
}

fn owner(id: &ID, field: &str) -> Result<Uuid, AppError> {
    decode_id(id, "Account", field)
}

/// Oversight mutations.
#[derive(Default)]
pub struct OversightMutation;

#[Object]
impl OversightMutation {
    /// 记录会议及其议定事项（议定事项交办责任人并通知）(record a meeting held and give out its
    /// decisions; owners are notified)
    #[graphql(guard = "Permission(perms::MEETING_RECORD)")]
    async fn record_meeting(
        &self,
        ctx: &Context<'_>,
        input: RecordMeetingInput,
    ) -> async_graphql::Result<RecordMeetingPayload> {
        let decisions = input
            .decisions
            .iter()
            .map(|d| {
                Ok(NewTask {
                    description: d.description.clone(),
                    measures: None,
                    risk_level: None,
                    two_key_two_new: false,
                    owner: owner(&d.owner_id, "decisions")?,
                    due_on: d.due_on.0,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let m = service::meeting::record(
            kernel(ctx)?,
            &request_info(ctx),
            service::meeting::NewMeeting {
                kind: input.kind,
                title: input.title,
                held_on: input.held_on.0,
                venue: input.venue,
                chair: input.chair,
                attendees: input.attendees,
                topics: input.topics,
                summary: input.summary,
                units: units(&input.unit_ids, "unitIds")?,
                decisions,
            },
            input.idempotency_key.as_deref(),
        )
        .await?;
        Ok(RecordMeetingPayload {
            meeting: Meeting(m),
        })
    }

    /// 记录风险研判（风险、管控措施、责任人、时限；标记“两重两新”事项）(record a risk assessment:
    /// risks with measures, owners and due dates; “两重两新” items flagged)
    #[graphql(guard = "Permission(perms::ASSESSMENT_RECORD)")]
    async fn record_risk_assessment(
        &self,
        ctx: &Context<'_>,
        input: RecordRiskAssessmentInput,
    ) -> async_graphql::Result<RecordRiskAssessmentPayload> {
        let risks = input
            .risks
            .iter()
            .map(|r| {
                Ok(NewTask {
                    description: r.description.clone(),
                    measures: Some(r.measures.clone()),
                    risk_level: Some(r.level),
                    two_key_two_new: r.two_key_two_new,
                    owner: owner(&r.owner_id, "risks")?,
                    due_on: r.due_on.0,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let a = service::assessment::record(
            kernel(ctx)?,
            &request_info(ctx),
            service::assessment::NewAssessment {
                title: input.title,
                occasion: input.occasion,
                occasion_name: input.occasion_name,
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                assessed_on: input.assessed_on.0,
                summary: input.summary,
                risks,
            },
            input.idempotency_key.as_deref(),
        )
        .await?;
        Ok(RecordRiskAssessmentPayload {
            risk_assessment: RiskAssessment(a),
        })
    }

    /// 报告督办事项办结（仅责任人本人）(report a task done: its owner only)
    #[graphql(guard = "Permission(perms::TASK_COMPLETE)")]
    async fn complete_oversight_task(
        &self,
        ctx: &Context<'_>,
        input: CompleteOversightTaskInput,
    ) -> async_graphql::Result<CompleteOversightTaskPayload> {
        let id = decode_id(&input.id, super::types::TASK, "id")?;
        let t = service::task::complete(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            &input.note,
            input.expected_version,
        )
        .await?;
        Ok(CompleteOversightTaskPayload {
            task: OversightTask(t),
        })
    }

    /// 发布通报（编文号，即时送达接收单位并通知；所列记录须为发布人可查看的）(issue a circular:
    /// numbered, delivered to its recipients at once; it names only records the issuer may read)
    #[graphql(guard = "Permission(perms::CIRCULAR_ISSUE)")]
    async fn issue_circular(
        &self,
        ctx: &Context<'_>,
        input: IssueCircularInput,
    ) -> async_graphql::Result<IssueCircularPayload> {
        let mut links = Vec::with_capacity(input.links.len());
        for id in &input.links {
            let (ty, uuid) =
                decode_any(id).ok_or_else(|| AppError::bad_input("links", "无效的全局编号"))?;
            links.push((ty, uuid));
        }
        service::circular::check_links(&links)?;
        // What the issuer may read is what the kernel's node directory loads for them: the
        // record's read permission and row scope, in one place.
        let directory = jianan_kernel::node::directory(ctx)?;
        let visible = directory.load(ctx, &input.links, "links").await?;
        if visible.iter().any(Option::is_none) {
            return Err(AppError::bad_input("links", "所列记录不存在或无权查看").into());
        }
        let c = service::circular::issue(
            kernel(ctx)?,
            &request_info(ctx),
            service::circular::NewCircular {
                title: input.title,
                body: input.body,
                recipients: units(&input.recipient_ids, "recipientIds")?,
                links,
            },
            input.idempotency_key.as_deref(),
        )
        .await?;
        Ok(IssueCircularPayload {
            circular: Circular(c),
        })
    }

    /// 签收通报（接收单位人员；本单位首位阅读者为签收人）(mark a circular read for one's unit:
    /// the unit's first reader signs for it)
    #[graphql(guard = "Permission(perms::CIRCULAR_READ)")]
    async fn mark_circular_read(
        &self,
        ctx: &Context<'_>,
        input: MarkCircularReadInput,
    ) -> async_graphql::Result<MarkCircularReadPayload> {
        let id = decode_id(&input.id, super::types::CIRCULAR, "id")?;
        let (c, r) = service::circular::mark_read(kernel(ctx)?, &request_info(ctx), id).await?;
        Ok(MarkCircularReadPayload {
            circular: Circular(c),
            receipt: CircularRecipient(r),
        })
    }
}

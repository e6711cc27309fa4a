//! Enumerations of the rewards module, shared by the database and the GraphQL schema.
use async_graphql::Enum;
use sea_orm::entity::prelude::*;
use serde::Serialize;

/// 举报类别 — what kind of matter a public report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportCategory {
    /// 重大事故隐患 (a major accident hazard)
    #[sea_orm(string_value = "MAJOR_HAZARD")]
    MajorHazard,
    /// 一般事故隐患 (a general hazard)
    #[sea_orm(string_value = "GENERAL_HAZARD")]
    GeneralHazard,
    /// 安全生产违法行为 (a violation of work-safety law, e.g. work without a permit)
    #[sea_orm(string_value = "VIOLATION")]
    Violation,
    /// 瞒报、谎报事故 (a concealed or falsely reported accident)
    #[sea_orm(string_value = "CONCEALED_ACCIDENT")]
    ConcealedAccident,
}

/// 举报渠道 — how a report reached the commission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportChannel {
    /// 网站 (the web form, by the reporter)
    #[sea_orm(string_value = "WEB")]
    Web,
    /// 移动端 (the mobile app, by the reporter)
    #[sea_orm(string_value = "MOBILE")]
    Mobile,
    /// 12345政务服务便民热线 (the 12345 hotline, entered by staff)
    #[sea_orm(string_value = "HOTLINE_12345")]
    Hotline12345,
    /// 12350安全生产举报热线 (the 12350 work-safety hotline, entered by staff)
    #[sea_orm(string_value = "HOTLINE_12350")]
    Hotline12350,
    /// 来信 (a letter, entered by staff)
    #[sea_orm(string_value = "LETTER")]
    Letter,
    /// 来访 (a visit in person, entered by staff)
    #[sea_orm(string_value = "VISIT")]
    Visit,
}

impl ReportChannel {
    /// Channels through which staff enter a report on the reporter's behalf.
    pub fn entered_by_staff(self) -> bool {
        !matches!(self, ReportChannel::Web | ReportChannel::Mobile)
    }
}

/// 举报办理状态 — where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportStatus {
    /// 已提交，待受理 (submitted, awaiting acceptance)
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    /// 已受理，待指派核查人 (accepted, awaiting a verifier)
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    /// 不予受理 (rejected, with the reason shown to the reporter)
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
    /// 核查中 (being verified)
    #[sea_orm(string_value = "VERIFYING")]
    Verifying,
    /// 已核查 (verified, with a verdict)
    #[sea_orm(string_value = "VERIFIED")]
    Verified,
    /// 已办结 (closed)
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// 核查结论 — the verdict of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// 属实 (true)
    #[sea_orm(string_value = "TRUE")]
    True,
    /// 部分属实 (partly true)
    #[sea_orm(string_value = "PARTLY_TRUE")]
    PartlyTrue,
    /// 不属实 (false)
    #[sea_orm(string_value = "FALSE")]
    False,
}

impl Verdict {
    /// A true or partly true report is acted on (hazards opened, reward considered).
    pub fn substantiated(self) -> bool {
        !matches!(self, Verdict::False)
    }
}

/// 身份揭示申请状态 — where a request to reveal a reporter's identity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RevealStatus {
    /// 待保管人审批 (awaiting a custodian)
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// 已批准，申请人可查看一次 (approved: the requester may read the identity once)
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    /// 已查看 (the identity was read)
    #[sea_orm(string_value = "REVEALED")]
    Revealed,
}

/// 奖励状态 — where a reward stands: proposed, approved by the department, approved finally by a
/// leader (the money is committed against the year's budget), paid, and confirmed by the
/// reporter; or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RewardStatus {
    /// 已拟定，待部门审核 (proposed, awaiting the department's approval)
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    /// 部门已审核，待领导审批 (approved by the department, awaiting a leader's final approval)
    #[sea_orm(string_value = "APPROVED_DEPARTMENT")]
    ApprovedDepartment,
    /// 已审批，待发放（计入当年预算）(approved, awaiting payment; committed against the year's budget)
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    /// 已发放，待举报人确认 (paid, awaiting the reporter's confirmation)
    #[sea_orm(string_value = "PAID")]
    Paid,
    /// 举报人已确认收到 (the reporter confirmed receipt)
    #[sea_orm(string_value = "CONFIRMED")]
    Confirmed,
    /// 不予奖励 (refused, with a reason)
    #[sea_orm(string_value = "REFUSED")]
    Refused,
}

/// 发放方式 — how a reward was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentMethod {
    /// 银行转账 (bank transfer)
    #[sea_orm(string_value = "BANK_TRANSFER")]
    BankTransfer,
    /// 现金 (cash)
    #[sea_orm(string_value = "CASH")]
    Cash,
    /// 其他 (other)
    #[sea_orm(string_value = "OTHER")]
    Other,
}

//! Enumerations of the credit module, shared by the database, the GraphQL schema and serde.
use async_graphql::Enum;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// 评价对象类型 — whose credit: an enterprise, or one of its key persons (项目负责人、安全员…).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubjectKind {
    /// 企业 (enterprise)
    #[sea_orm(string_value = "ENTERPRISE")]
    Enterprise,
    /// 关键岗位人员 (key person: project leader, safety manager…)
    #[sea_orm(string_value = "PERSON")]
    Person,
}

/// 信用等级 — the level a year's score maps to ([`crate::rules::evaluation::level_of`]).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(4))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CreditLevel {
    /// A级 优秀（≥90分）(excellent, 90 points or more)
    #[sea_orm(string_value = "A")]
    A,
    /// B级 良好（80–89分）(good, 80 to 89)
    #[sea_orm(string_value = "B")]
    B,
    /// C级 一般（60–79分）(fair, 60 to 79)
    #[sea_orm(string_value = "C")]
    C,
    /// D级 较差（<60分）(poor, under 60)
    #[sea_orm(string_value = "D")]
    D,
}

/// 信用记录类型 — good (优良) or bad (不良) credit information.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecordKind {
    /// 优良信用记录 (good record: awards, honours)
    #[sea_orm(string_value = "GOOD")]
    Good,
    /// 不良信用记录 (bad record: penalties, administrative measures)
    #[sea_orm(string_value = "BAD")]
    Bad,
}

/// 规则触发事项 — what a row of the rules table applies to: the kind of enforcement action
/// that inspections issued (`inspections.enforcement_issued`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleTrigger {
    /// 约谈 (warning interview)
    #[sea_orm(string_value = "WARNING_INTERVIEW")]
    WarningInterview,
    /// 通报 (circular)
    #[sea_orm(string_value = "CIRCULAR")]
    Circular,
    /// 曝光 (public exposure)
    #[sea_orm(string_value = "PUBLIC_EXPOSURE")]
    PublicExposure,
    /// 诚信扣分 (credit deduction)
    #[sea_orm(string_value = "CREDIT_DEDUCTION")]
    CreditDeduction,
    /// 停工 (stop-work order)
    #[sea_orm(string_value = "STOP_WORK_ORDER")]
    StopWorkOrder,
    /// 复工 (resume-work order)
    #[sea_orm(string_value = "RESUME_WORK_ORDER")]
    ResumeWorkOrder,
    /// 罚款 (penalty)
    #[sea_orm(string_value = "PENALTY")]
    Penalty,
}

/// 信用变更类型 — what an entry of the change feed reports.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChangeKind {
    /// 信用分变动 (a score changed)
    #[sea_orm(string_value = "SCORE_CHANGED")]
    ScoreChanged,
    /// 新增信用记录 (a record was published)
    #[sea_orm(string_value = "RECORD_PUBLISHED")]
    RecordPublished,
    /// 信用记录提前结束公开 (a record's publication ended early)
    #[sea_orm(string_value = "RECORD_ENDED")]
    RecordEnded,
    /// 列入黑名单 (put on the blacklist)
    #[sea_orm(string_value = "BLACKLISTED")]
    Blacklisted,
    /// 移出黑名单 (taken off the blacklist)
    #[sea_orm(string_value = "BLACKLIST_REMOVED")]
    BlacklistRemoved,
}

impl From<jianan_contracts::inspections::EnforcementKind> for RuleTrigger {
    fn from(k: jianan_contracts::inspections::EnforcementKind) -> Self {
        use jianan_contracts::inspections::EnforcementKind as K;
        match k {
            K::WarningInterview => Self::WarningInterview,
            K::Circular => Self::Circular,
            K::PublicExposure => Self::PublicExposure,
            K::CreditDeduction => Self::CreditDeduction,
            K::StopWorkOrder => Self::StopWorkOrder,
            K::ResumeWorkOrder => Self::ResumeWorkOrder,
            K::Penalty => Self::Penalty,
        }
    }
}

impl From<ChangeKind> for jianan_contracts::credit::CreditChangeKind {
    fn from(k: ChangeKind) -> Self {
        match k {
            ChangeKind::ScoreChanged => Self::ScoreChanged,
            ChangeKind::RecordPublished => Self::RecordPublished,
            ChangeKind::RecordEnded => Self::RecordEnded,
            ChangeKind::Blacklisted => Self::Blacklisted,
            ChangeKind::BlacklistRemoved => Self::BlacklistRemoved,
        }
    }
}

/// 信用修复状态 — where a credit repair application stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RepairStatus {
    /// 已申请，待审核 (applied for, awaiting review)
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    /// 已审核，待决定 (reviewed, awaiting decision)
    #[sea_orm(string_value = "REVIEWED")]
    Reviewed,
    /// 准予修复：记录提前结束公开 (approved: the record's publication ended)
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    /// 不予修复 (rejected)
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
}

/// 信用修复操作 — a step of the repair workflow.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RepairAction {
    /// 审核（提出意见）(review, with an opinion)
    #[sea_orm(string_value = "REVIEW")]
    Review,
    /// 决定准予修复 (decide to approve)
    #[sea_orm(string_value = "APPROVE")]
    Approve,
    /// 决定不予修复 (decide to reject)
    #[sea_orm(string_value = "REJECT")]
    Reject,
}

/// 列入黑名单情形 — the ground an enterprise is blacklisted on (《建筑市场信用管理暂行办法》
/// 建市〔2017〕241号 第十四条; each listing also cites a bad record in force).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BlacklistGround {
    /// 利用虚假材料、以欺骗手段取得企业资质 (qualification obtained by fraud)
    #[sea_orm(string_value = "FRAUDULENT_QUALIFICATION")]
    FraudulentQualification,
    /// 发生转包、出借资质，受到行政处罚 (illegal subcontracting or lending a qualification, penalised)
    #[sea_orm(string_value = "SUBCONTRACTING_OR_LENDING")]
    SubcontractingOrLending,
    /// 发生重大及以上工程质量安全事故，或1年内累计2次及以上较大事故，或性质恶劣的较大事故，受到行政处罚
    /// (a major accident or worse, two larger ones within a year, or a particularly bad larger one, penalised)
    #[sea_orm(string_value = "SERIOUS_ACCIDENT")]
    SeriousAccident,
    /// 经法院判决或仲裁认定拖欠工程款且拒不履行 (payment arrears established by a court or arbitration, not honoured)
    #[sea_orm(string_value = "PAYMENT_ARREARS")]
    PaymentArrears,
}

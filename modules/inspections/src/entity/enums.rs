//! Enumerations of the inspections module, shared by the database and the GraphQL schema.
use async_graphql::Enum;
use sea_orm::entity::prelude::*;
use serde::Serialize;

/// 隐患等级 — general hazard or major accident hazard (重大事故隐患).
///
/// The level of a hazard.
///
/// 建质规〔2024〕5号 第二条: 本标准所称重大事故隐患，是指在房屋市政工程施工过程中，存在的危害程度
/// 较大、可能导致群死群伤或造成重大经济损失的生产安全事故隐患 — a major accident hazard is a hazard,
/// arising during the construction of housing or municipal works, whose degree of harm is large
/// and which may cause mass casualties or a major economic loss. A hazard meeting any condition of
/// [`crate::rules::hazard_criteria::criteria`] is to be judged major (应判定为重大事故隐患); any other hazard is general.
/// (Wording of the 2024 第二条 to verify; the 2022 version's 第二条, checked, reads the same with
/// "房屋建筑和市政基础设施工程（以下简称房屋市政工程）".)
///
/// The general/major split itself comes from 《安全生产事故隐患排查治理暂行规定》(国家安全生产监督
/// 管理总局令第16号, 2007-12-28, in force 2008-02-01) 第三条, which defines a general hazard
/// (一般事故隐患) as one of small harm and small difficulty that can be rectified at once on
/// discovery (危害和整改难度较小，发现后能够立即整改排除; wording checked, continued force to
/// verify).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HazardLevel {
    /// 一般隐患 (general hazard)
    #[sea_orm(string_value = "GENERAL")]
    General,
    /// 重大事故隐患 (major accident hazard: listed for supervision, 五落实 before rectification)
    #[sea_orm(string_value = "MAJOR")]
    Major,
}

/// 整改状态 — where a hazard stands in its rectification.
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
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HazardStatus {
    /// 已上报 (reported, not yet assigned)
    #[sea_orm(string_value = "REPORTED")]
    Reported,
    /// 已交办 (assigned to the responsible enterprise with a deadline)
    #[sea_orm(string_value = "ASSIGNED")]
    Assigned,
    /// 整改中 (being rectified)
    #[sea_orm(string_value = "RECTIFYING")]
    Rectifying,
    /// 已提交整改，待复查 (rectification submitted, awaiting verification)
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    /// 已销号 (verified and closed)
    #[sea_orm(string_value = "CLOSED")]
    Closed,
    /// 已作废：误报、重复等，由委作废并说明理由 (voided by the commission with a reason: reported
    /// in error, a duplicate…; never rectified, never overdue)
    #[sea_orm(string_value = "VOIDED")]
    Voided,
}

/// 整改环节动作 — a step of the rectification workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RectificationAction {
    /// 上报 (report)
    #[sea_orm(string_value = "REPORT")]
    Report,
    /// 交办 (assign)
    #[sea_orm(string_value = "ASSIGN")]
    Assign,
    /// 开始整改 (start rectification)
    #[sea_orm(string_value = "START")]
    Start,
    /// 提交整改 (submit rectification)
    #[sea_orm(string_value = "SUBMIT")]
    Submit,
    /// 复查通过，销号 (verify and close)
    #[sea_orm(string_value = "VERIFY")]
    Verify,
    /// 复查不通过，退回整改 (reject, back to rectifying)
    #[sea_orm(string_value = "REJECT")]
    Reject,
    /// 作废（须说明理由）(void, with a reason)
    #[sea_orm(string_value = "VOID")]
    Void,
    /// 调整等级：一般↔重大（须说明理由；状态不变）(reclassify general ↔ major, with a reason; the
    /// status stays)
    #[sea_orm(string_value = "RECLASSIFY")]
    Reclassify,
    /// 现场整改：企业自查发现的一般隐患当场整改完毕，附整改前后照片，自行销号 (fixed on the spot by
    /// the enterprise during its self-check, with before and after photos; closed by itself)
    #[sea_orm(string_value = "FIX_ON_SPOT")]
    FixOnSpot,
    /// 挂牌督办：重大事故隐患由督办单位限期督办 (listed supervision of a major hazard: supervising
    /// unit and deadline)
    #[sea_orm(string_value = "SUPERVISE")]
    Supervise,
    /// 销号验收：重大事故隐患整改完成后的验收，复查销号之前须通过 (acceptance of a major hazard's
    /// rectification, required before it is closed)
    #[sea_orm(string_value = "ACCEPT")]
    Accept,
    /// 申请延期：整改责任企业申请延长整改期限 (the responsible enterprise asks for a later deadline)
    #[sea_orm(string_value = "EXTEND_REQUEST")]
    ExtendRequest,
    /// 批准延期 (the commission approves the extension)
    #[sea_orm(string_value = "EXTEND_APPROVE")]
    ExtendApprove,
    /// 不批准延期 (the commission refuses the extension)
    #[sea_orm(string_value = "EXTEND_REJECT")]
    ExtendReject,
}

/// 五落实 — the five implementations a major hazard needs before rectification starts.
///
/// One of the five implementations (五落实) that the treatment of a major hazard must settle:
/// responsibility, measures, funds, deadline and contingency plan (责任、措施、资金、时限、预案).
///
/// Sources:
/// - The plan (武隆建发〔2021〕69号) 三、（三） asks for "重大隐患整改的责任、措施、资金、时限、预案
///   “五落实”" — the five, in this order (checked against `shared/seed/ten-measures.zh.txt`).
/// - 《中华人民共和国安全生产法》(2021 amendment) 第四十一条 requires the unit to set up and carry
///   out a hazard investigation and treatment system (事故隐患排查治理制度), to take technical and
///   management measures to remove hazards, and to report the treatment of major hazards to the
///   supervising department and the workers' congress (checked). It does not itself enumerate the
///   five.
/// - 《安全生产事故隐患排查治理暂行规定》(国家安全生产监督管理总局令第16号) 第十五条 requires a
///   treatment plan for each major hazard covering, among others, the methods and measures, the
///   funds and materials, the responsible body and persons, the time limit, and the safety measures
///   and contingency plan — the five items here (article number and continued force to verify).
/// - 《国务院关于进一步加强企业安全生产工作的通知》(国发〔2010〕23号; title and number checked)
///   asks enterprises to put rectification measures, responsibility, funds, time limit and plan
///   "in place" (五到位; wording to verify).
///
/// For housing and municipal works, 建质规〔2024〕5号's covering notice (to verify; the 2022
/// notice, 建质规〔2022〕2号, asks for 挂牌督办 of major hazards) and
/// 《房屋市政工程生产安全重大隐患排查治理挂牌督办暂行办法》(建质〔2011〕158号) put major hazards
/// under listed supervision (挂牌督办) until they are removed; they are not relied on here for the
/// list of five.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Implementation {
    /// 责任落实 (responsibility)
    #[sea_orm(string_value = "RESPONSIBILITY")]
    Responsibility,
    /// 措施落实 (measures)
    #[sea_orm(string_value = "MEASURES")]
    Measures,
    /// 资金落实 (funds)
    #[sea_orm(string_value = "FUNDS")]
    Funds,
    /// 时限落实 (deadline)
    #[sea_orm(string_value = "DEADLINE")]
    Deadline,
    /// 预案落实 (contingency plan)
    #[sea_orm(string_value = "CONTINGENCY_PLAN")]
    ContingencyPlan,
}

impl Implementation {
    /// All five, in the order the documents list them.
    pub const ALL: [Implementation; 5] = [
        Implementation::Responsibility,
        Implementation::Measures,
        Implementation::Funds,
        Implementation::Deadline,
        Implementation::ContingencyPlan,
    ];
}

/// 执法措施类型 — the enforcement measures of measure 4 of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EnforcementKind {
    /// 约谈 (warning interview)
    #[sea_orm(string_value = "WARNING_INTERVIEW")]
    WarningInterview,
    /// 通报 (circular)
    #[sea_orm(string_value = "CIRCULAR")]
    Circular,
    /// 曝光 (public exposure)
    #[sea_orm(string_value = "PUBLIC_EXPOSURE")]
    PublicExposure,
    /// 诚信扣分 (credit deduction, with points)
    #[sea_orm(string_value = "CREDIT_DEDUCTION")]
    CreditDeduction,
    /// 停工整改通知 (stop-work order): suspends the project until a resume order
    #[sea_orm(string_value = "STOP_WORK_ORDER")]
    StopWorkOrder,
    /// 复工通知 (resume-work order): lifts the project's stop-work order
    #[sea_orm(string_value = "RESUME_WORK_ORDER")]
    ResumeWorkOrder,
    /// 罚款 (penalty, in fen)
    #[sea_orm(string_value = "PENALTY")]
    Penalty,
}

/// “双随机”抽查状态 — where a double-random draw stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DrawStatus {
    /// 已承诺：种子的哈希已公开，尚未抽取 (seed committed, not drawn)
    #[sea_orm(string_value = "COMMITTED")]
    Committed,
    /// 已抽取，待公开 (drawn, not yet published)
    #[sea_orm(string_value = "DRAWN")]
    Drawn,
    /// 已公开：种子、输入和结果均可查验 (published: seed, inputs and result verifiable)
    #[sea_orm(string_value = "PUBLISHED")]
    Published,
}

/// 检查类型 — every kind of inspection the plan names (measures 1, 3, 4, 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InspectionKind {
    /// 专职安全员每日自查（日检）(safety manager's daily self-check)
    #[sea_orm(string_value = "SAFETY_MANAGER_DAILY")]
    SafetyManagerDaily,
    /// 项目负责人每周自查（周检）(project leader's weekly self-check)
    #[sea_orm(string_value = "PROJECT_LEADER_WEEKLY")]
    ProjectLeaderWeekly,
    /// 企业每月自查（月检）(enterprise's monthly self-check)
    #[sea_orm(string_value = "ENTERPRISE_MONTHLY")]
    EnterpriseMonthly,
    /// 领导小组组长、副组长督查 (leadership group supervision)
    #[sea_orm(string_value = "LEADERSHIP_SUPERVISION")]
    LeadershipSupervision,
    /// 成员部门督查 (member department supervision)
    #[sea_orm(string_value = "DEPARTMENT_SUPERVISION")]
    DepartmentSupervision,
    /// 双随机抽查 (double-random check)
    #[sea_orm(string_value = "DOUBLE_RANDOM")]
    DoubleRandom,
    /// 暗查暗访 (covert check)
    #[sea_orm(string_value = "COVERT")]
    Covert,
    /// 专家检查 (expert check)
    #[sea_orm(string_value = "EXPERT")]
    Expert,
    /// 重点时段检查 (key-period check)
    #[sea_orm(string_value = "KEY_PERIOD")]
    KeyPeriod,
}

impl InspectionKind {
    /// Self-checks (日周月) are recorded by the enterprise; the others by the commission.
    pub fn is_self_check(self) -> bool {
        matches!(
            self,
            Self::SafetyManagerDaily | Self::ProjectLeaderWeekly | Self::EnterpriseMonthly
        )
    }
}

/// 检查结论 — the outcome of an inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InspectionResult {
    /// 未发现问题 (no problem found)
    #[sea_orm(string_value = "NO_PROBLEM")]
    NoProblem,
    /// 限期整改 (rectify within a deadline)
    #[sea_orm(string_value = "RECTIFY")]
    Rectify,
    /// 停工整改 (stop work and rectify)
    #[sea_orm(string_value = "STOP_WORK")]
    StopWork,
}

/// 安全宣传品类型 — the four kinds of site publicity the plan names (measure 1: 标语、海报、专栏、视频).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PublicityKind {
    /// 标语 (slogan banner)
    #[sea_orm(string_value = "SLOGAN")]
    Slogan,
    /// 海报 (poster)
    #[sea_orm(string_value = "POSTER")]
    Poster,
    /// 专栏 (display board)
    #[sea_orm(string_value = "COLUMN")]
    Column,
    /// 视频 (video screen)
    #[sea_orm(string_value = "VIDEO")]
    Video,
}

//! Enumerations of the oversight module, shared by the database and the GraphQL schema.
use async_graphql::Enum;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// 会议类别 — kind of meeting (plan, measure 1: 党组扩大会或专题会; 组织参建责任单位学习贯彻).
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
pub enum MeetingKind {
    /// 党组扩大会 (enlarged meeting of the Party group)
    #[sea_orm(string_value = "PARTY_GROUP_ENLARGED")]
    PartyGroupEnlarged,
    /// 专题会 (special meeting on one topic)
    #[sea_orm(string_value = "SPECIAL_TOPIC")]
    SpecialTopic,
    /// 宣贯会 (briefing of the responsible units of key projects)
    #[sea_orm(string_value = "BRIEFING")]
    Briefing,
    /// 学习会 (study session)
    #[sea_orm(string_value = "STUDY")]
    Study,
}
/// 单位类别 — whether a unit is one of the platform's org units or an enterprise.
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
pub enum UnitKind {
    /// 机关科室、乡镇（街道）(a department, township or street)
    #[sea_orm(string_value = "ORG_UNIT")]
    OrgUnit,
    /// 企业 (an enterprise)
    #[sea_orm(string_value = "ENTERPRISE")]
    Enterprise,
}
/// 督办事项类别 — where a tracked task came from.
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
pub enum TaskKind {
    /// 会议议定事项 (a meeting's decision)
    #[sea_orm(string_value = "DECISION")]
    Decision,
    /// 风险管控措施 (a risk assessment's control measure)
    #[sea_orm(string_value = "RISK_CONTROL")]
    RiskControl,
}
/// 督办事项状态 — state of a tracked task.
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
pub enum TaskStatus {
    /// 办理中 (open)
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// 已办结 (done)
    #[sea_orm(string_value = "DONE")]
    Done,
}
/// 风险等级 — level of an assessed risk (the four colours of safety risk grading: 重大/较大/一般/低).
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
pub enum RiskLevel {
    /// 重大风险 (major, red)
    #[sea_orm(string_value = "MAJOR")]
    Major,
    /// 较大风险 (high, orange)
    #[sea_orm(string_value = "HIGH")]
    High,
    /// 一般风险 (moderate, yellow)
    #[sea_orm(string_value = "MODERATE")]
    Moderate,
    /// 低风险 (low, blue)
    #[sea_orm(string_value = "LOW")]
    Low,
}
/// 研判时机 — why a risk assessment was made (plan, measure 2: 重要时段、重要节点或出现对安全工作有较大影响的新情况、新问题).
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
pub enum AssessmentOccasion {
    /// 重要时段 (a key period: holidays, extreme weather, sensitive periods)
    #[sea_orm(string_value = "KEY_PERIOD")]
    KeyPeriod,
    /// 重要节点 (a key node of the work)
    #[sea_orm(string_value = "KEY_NODE")]
    KeyNode,
    /// 新情况、新问题 (a new situation or problem)
    #[sea_orm(string_value = "NEW_SITUATION")]
    NewSituation,
}

//! Enumerations of the duty module, shared by the database, the GraphQL schema and serde.
use async_graphql::Enum;
use jianan_contracts::duty as contract;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// 重点时段类别 — kind of key period.
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
#[graphql(name = "DutyKeyPeriodKind")]
pub enum KeyPeriodKind {
    /// 重大节假日 (major holiday)
    #[sea_orm(string_value = "MAJOR_HOLIDAY")]
    MajorHoliday,
    /// 极端天气 (extreme weather)
    #[sea_orm(string_value = "EXTREME_WEATHER")]
    ExtremeWeather,
    /// 敏感时期 (sensitive period)
    #[sea_orm(string_value = "SENSITIVE_PERIOD")]
    SensitivePeriod,
}

impl From<KeyPeriodKind> for contract::KeyPeriodKind {
    fn from(k: KeyPeriodKind) -> Self {
        match k {
            KeyPeriodKind::MajorHoliday => contract::KeyPeriodKind::MajorHoliday,
            KeyPeriodKind::ExtremeWeather => contract::KeyPeriodKind::ExtremeWeather,
            KeyPeriodKind::SensitivePeriod => contract::KeyPeriodKind::SensitivePeriod,
        }
    }
}

/// 预警等级 — level of an early warning (蓝 < 黄 < 橙 < 红).
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
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "DutyWarningLevel")]
pub enum WarningLevel {
    /// 蓝色预警 (blue)
    #[sea_orm(string_value = "BLUE")]
    Blue,
    /// 黄色预警 (yellow)
    #[sea_orm(string_value = "YELLOW")]
    Yellow,
    /// 橙色预警 (orange)
    #[sea_orm(string_value = "ORANGE")]
    Orange,
    /// 红色预警 (red)
    #[sea_orm(string_value = "RED")]
    Red,
}

impl From<WarningLevel> for contract::WarningLevel {
    fn from(l: WarningLevel) -> Self {
        match l {
            WarningLevel::Blue => contract::WarningLevel::Blue,
            WarningLevel::Yellow => contract::WarningLevel::Yellow,
            WarningLevel::Orange => contract::WarningLevel::Orange,
            WarningLevel::Red => contract::WarningLevel::Red,
        }
    }
}

/// 预警对象类别 — what a warning targets.
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
#[graphql(name = "DutyWarningTargetKind")]
pub enum WarningTargetKind {
    /// 乡镇（街道）(a township or street: its staff acknowledge)
    #[sea_orm(string_value = "TOWNSHIP")]
    Township,
    /// 在建项目 (a project: the people of its participating enterprises acknowledge)
    #[sea_orm(string_value = "PROJECT")]
    Project,
    /// 委内科室 (a department of the commission: its staff acknowledge)
    #[sea_orm(string_value = "DEPARTMENT")]
    Department,
}

impl From<WarningTargetKind> for contract::WarningTargetKind {
    fn from(k: WarningTargetKind) -> Self {
        match k {
            WarningTargetKind::Township => contract::WarningTargetKind::Township,
            WarningTargetKind::Project => contract::WarningTargetKind::Project,
            WarningTargetKind::Department => contract::WarningTargetKind::Department,
        }
    }
}

/// 值班岗位 — the post a duty shift fills.
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
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "DutyPost")]
pub enum DutyPost {
    /// 带班领导 (leader on duty)
    #[sea_orm(string_value = "LEADER")]
    Leader,
    /// 值班人员 (staff on duty)
    #[sea_orm(string_value = "STAFF")]
    Staff,
}

impl DutyPost {
    /// Both posts, each of which must be covered around the clock.
    pub const ALL: [DutyPost; 2] = [DutyPost::Leader, DutyPost::Staff];
}

/// 信息报告类别 — kind of information report.
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
#[graphql(name = "DutyIncidentKind")]
pub enum IncidentKind {
    /// 事故 (accident)
    #[sea_orm(string_value = "ACCIDENT")]
    Accident,
    /// 险情 (dangerous situation)
    #[sea_orm(string_value = "DANGER")]
    Danger,
    /// 灾情 (disaster)
    #[sea_orm(string_value = "DISASTER")]
    Disaster,
}

impl From<IncidentKind> for contract::IncidentKind {
    fn from(k: IncidentKind) -> Self {
        match k {
            IncidentKind::Accident => contract::IncidentKind::Accident,
            IncidentKind::Danger => contract::IncidentKind::Danger,
            IncidentKind::Disaster => contract::IncidentKind::Disaster,
        }
    }
}

/// 事故等级 — severity, as graded by 《生产安全事故报告和调查处理条例》第三条 (一般、较大、重大、
/// 特别重大); for a danger or a disaster the reporter's own estimate.
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
#[graphql(name = "DutyIncidentSeverity")]
pub enum IncidentSeverity {
    /// 一般 (general)
    #[sea_orm(string_value = "GENERAL")]
    General,
    /// 较大 (larger)
    #[sea_orm(string_value = "LARGER")]
    Larger,
    /// 重大 (major)
    #[sea_orm(string_value = "MAJOR")]
    Major,
    /// 特别重大 (extraordinary)
    #[sea_orm(string_value = "EXTRAORDINARY")]
    Extraordinary,
}

/// 信息报告状态 — state of an information report.
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
#[graphql(name = "DutyIncidentStatus")]
pub enum IncidentStatus {
    /// 续报中 (open: follow-ups due)
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// 已终报 (closed)
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// 应急响应级别 — level of an emergency response, Ⅳ the lowest, Ⅰ the highest (escalation raises
/// it).
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
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(4))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "DutyResponseLevel")]
pub enum ResponseLevel {
    /// Ⅳ级响应 (level IV, the lowest)
    #[sea_orm(string_value = "IV")]
    #[graphql(name = "LEVEL_IV")]
    #[serde(rename = "LEVEL_IV")]
    LevelIv,
    /// Ⅲ级响应 (level III)
    #[sea_orm(string_value = "III")]
    #[graphql(name = "LEVEL_III")]
    #[serde(rename = "LEVEL_III")]
    LevelIii,
    /// Ⅱ级响应 (level II)
    #[sea_orm(string_value = "II")]
    #[graphql(name = "LEVEL_II")]
    #[serde(rename = "LEVEL_II")]
    LevelIi,
    /// Ⅰ级响应 (level I, the highest)
    #[sea_orm(string_value = "I")]
    #[graphql(name = "LEVEL_I")]
    #[serde(rename = "LEVEL_I")]
    LevelI,
}

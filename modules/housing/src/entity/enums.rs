//! Enumerations of the housing module, shared by the database and the GraphQL schema.
use async_graphql::Enum;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// 结构类型 — the load-bearing structure of a house.
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
pub enum StructureType {
    /// 砖混结构 (brick and concrete)
    #[sea_orm(string_value = "BRICK_CONCRETE")]
    BrickConcrete,
    /// 框架结构 (reinforced-concrete frame)
    #[sea_orm(string_value = "FRAME")]
    Frame,
    /// 砖木结构 (brick and timber)
    #[sea_orm(string_value = "BRICK_WOOD")]
    BrickWood,
    /// 土木结构 (earth and timber)
    #[sea_orm(string_value = "EARTH_WOOD")]
    EarthWood,
    /// 石结构 (stone)
    #[sea_orm(string_value = "STONE")]
    Stone,
    /// 钢结构 (steel)
    #[sea_orm(string_value = "STEEL")]
    Steel,
    /// 其他结构 (other)
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// 房屋用途 — what a house is used for.
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
pub enum HouseUse {
    /// 自住 (the owner's own dwelling)
    #[sea_orm(string_value = "OWN_DWELLING")]
    OwnDwelling,
    /// 经营 (business premises)
    #[sea_orm(string_value = "BUSINESS")]
    Business,
    /// 出租 (let to tenants)
    #[sea_orm(string_value = "RENTAL")]
    Rental,
    /// 混合用途 (mixed use)
    #[sea_orm(string_value = "MIXED")]
    Mixed,
}

/// 初判风险 — the screener's initial judgement of a house.
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
pub enum HouseRisk {
    /// 无安全隐患 (no risk found)
    #[sea_orm(string_value = "NO_RISK")]
    NoRisk,
    /// 疑似存在安全隐患 (suspected: needs an appraisal)
    #[sea_orm(string_value = "SUSPECTED")]
    Suspected,
    /// 存在安全隐患 (risky)
    #[sea_orm(string_value = "RISKY")]
    Risky,
}

/// 鉴定等级 — the appraisal level of JGJ 125-2016 《危险房屋鉴定标准》 §6.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(1))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AppraisalLevel {
    /// A级：结构能满足安全使用要求 (structure meets safe-use requirements)
    #[sea_orm(string_value = "A")]
    A,
    /// B级：个别结构构件评定为危险构件，但不影响主体结构安全 (a few dangerous members; main structure safe)
    #[sea_orm(string_value = "B")]
    B,
    /// C级：部分承重结构不能满足安全使用要求，房屋局部处于危险状态，构成局部危房 (locally dangerous)
    #[sea_orm(string_value = "C")]
    C,
    /// D级：承重结构已不能满足安全使用要求，房屋整体处于危险状态，构成整幢危房 (wholly dangerous)
    #[sea_orm(string_value = "D")]
    D,
}

/// 管控措施 — what is done about a dangerous house.
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
pub enum LedgerMeasure {
    /// 监测 (monitor)
    #[sea_orm(string_value = "MONITOR")]
    Monitor,
    /// 加固 (reinforce)
    #[sea_orm(string_value = "REINFORCE")]
    Reinforce,
    /// 限制使用 (restrict use)
    #[sea_orm(string_value = "RESTRICT_USE")]
    RestrictUse,
    /// 撤离人员 (evacuate)
    #[sea_orm(string_value = "EVACUATE")]
    Evacuate,
    /// 拆除 (demolish)
    #[sea_orm(string_value = "DEMOLISH")]
    Demolish,
}

/// 台账整治状态 — where a ledger entry stands.
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
pub enum LedgerState {
    /// 待整治 (open: measures not yet under way)
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// 整治中 (measures under way)
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// 已销号 (closed, with a note)
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// 监测变化 — what a monitoring visit found compared with the last one.
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
pub enum MonitoringTrend {
    /// 无变化 (unchanged)
    #[sea_orm(string_value = "UNCHANGED")]
    Unchanged,
    /// 有变化（未加剧）(changed, not worse)
    #[sea_orm(string_value = "CHANGED")]
    Changed,
    /// 加剧 (worsened: the township and the commission are told at once)
    #[sea_orm(string_value = "WORSENED")]
    Worsened,
}

/// 上报状态 — where a township's report stands with the commission.
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
#[graphql(name = "HousingReportState")]
pub enum ReportState {
    /// 已上报，待委里处理 (submitted, awaiting the commission)
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    /// 已退回，待乡镇补充后重报 (returned with a reason, for the township to complete)
    #[sea_orm(string_value = "RETURNED")]
    Returned,
    /// 已受理 (accepted: the commission follows it up)
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    /// 已办结 (closed, with a note)
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

//! Enumerations of the experts module, shared by the database and the GraphQL schema.
use async_graphql::Enum;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// 专业领域 — an expert's field.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertSpecialty")]
pub enum Specialty {
    /// 基坑工程 (foundation pits)
    #[sea_orm(string_value = "FOUNDATION_PIT")]
    FoundationPit,
    /// 模板及支撑体系 (formwork and shoring)
    #[sea_orm(string_value = "FORMWORK_SHORING")]
    FormworkShoring,
    /// 脚手架 (scaffolding)
    #[sea_orm(string_value = "SCAFFOLDING")]
    Scaffolding,
    /// 起重吊装及起重机械 (hoisting machinery)
    #[sea_orm(string_value = "HOISTING_MACHINERY")]
    HoistingMachinery,
    /// 施工临时用电 (temporary electricity)
    #[sea_orm(string_value = "TEMPORARY_ELECTRICITY")]
    TemporaryElectricity,
    /// 消防安全 (fire safety)
    #[sea_orm(string_value = "FIRE_SAFETY")]
    FireSafety,
    /// 结构工程 (structures)
    #[sea_orm(string_value = "STRUCTURES")]
    Structures,
    /// 特种设备 (special equipment)
    #[sea_orm(string_value = "SPECIAL_EQUIPMENT")]
    SpecialEquipment,
    /// 建筑幕墙 (curtain walls)
    #[sea_orm(string_value = "CURTAIN_WALL")]
    CurtainWall,
    /// 拆除工程 (demolition)
    #[sea_orm(string_value = "DEMOLITION")]
    Demolition,
    /// 暗挖及地下工程 (underground works)
    #[sea_orm(string_value = "UNDERGROUND_WORKS")]
    UndergroundWorks,
    /// 安全管理 (safety management)
    #[sea_orm(string_value = "SAFETY_MANAGEMENT")]
    SafetyManagement,
}

/// 专家状态 — whether an expert may be drawn.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExpertStatus {
    /// 在库可抽取 (active)
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// 暂停抽取 (suspended)
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
    /// 已退出专家库 (retired)
    #[sea_orm(string_value = "RETIRED")]
    Retired,
}

/// 服务申请状态 — where a service request stands.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceRequestStatus {
    /// 待派专家 (waiting for experts)
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// 已派专家，待服务 (experts assigned)
    #[sea_orm(string_value = "EXPERTS_ASSIGNED")]
    ExpertsAssigned,
    /// 已服务，跟踪整改 (visited, following up the findings)
    #[sea_orm(string_value = "FOLLOWING_UP")]
    FollowingUp,
    /// 已办结 (closed: every finding rectified)
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// 申请方 — who asked for a service visit.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertServiceRequester")]
pub enum ServiceRequester {
    /// 住建委 (the commission)
    #[sea_orm(string_value = "COMMISSION")]
    Commission,
    /// 企业 (an enterprise)
    #[sea_orm(string_value = "ENTERPRISE")]
    Enterprise,
}

/// 任务类型 — what an expert is assigned to.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertAssignmentSubject")]
pub enum AssignmentSubject {
    /// 专家服务（进企业、到项目）(a service visit)
    #[sea_orm(string_value = "SERVICE_REQUEST")]
    ServiceRequest,
    /// 专项施工方案专家论证 (a scheme review)
    #[sea_orm(string_value = "SCHEME_REVIEW")]
    SchemeReview,
}

/// 任务状态 — whether an assigned expert serves.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertAssignmentStatus")]
pub enum AssignmentStatus {
    /// 已指派 (assigned)
    #[sea_orm(string_value = "ASSIGNED")]
    Assigned,
    /// 已拒绝或回避，已替补 (refused; replaced)
    #[sea_orm(string_value = "REFUSED")]
    Refused,
}

/// 产生方式 — how an expert came to the assignment.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertAssignmentSource")]
pub enum AssignmentSource {
    /// 随机抽取 (drawn)
    #[sea_orm(string_value = "DRAWN")]
    Drawn,
    /// 按抽取顺序替补 (replacement in drawn order)
    #[sea_orm(string_value = "REPLACEMENT")]
    Replacement,
    /// 指定 (appointed)
    #[sea_orm(string_value = "APPOINTED")]
    Appointed,
}

/// 抽取状态 — a draw's commit–reveal stage.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertDrawStatus")]
pub enum DrawStatus {
    /// 已承诺（种子未公开）(committed; seed hidden)
    #[sea_orm(string_value = "COMMITTED")]
    Committed,
    /// 已抽取（种子已公开）(drawn; seed published)
    #[sea_orm(string_value = "DRAWN")]
    Drawn,
}

/// 回避事由 — why an expert may not serve on a project.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertAvoidance")]
pub enum Avoidance {
    /// 已暂停 (suspended)
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
    /// 已退出专家库 (retired)
    #[sea_orm(string_value = "RETIRED")]
    Retired,
    /// 任职单位参建该项目 (employed by a participating enterprise)
    #[sea_orm(string_value = "EMPLOYED_BY_PARTICIPANT")]
    EmployedByParticipant,
    /// 近期已为该项目服务 (drawn for this project recently)
    #[sea_orm(string_value = "RECENTLY_DRAWN")]
    RecentlyDrawn,
    /// 已在本任务中（含已拒绝）(already on this assignment, refused included)
    #[sea_orm(string_value = "ALREADY_ON_SUBJECT")]
    AlreadyOnSubject,
}

/// 问题状态 — whether a finding is rectified.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertFindingStatus")]
pub enum FindingStatus {
    /// 待整改 (open)
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// 已整改销号 (closed)
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// 危大工程类别 — kind of dangerous sub-project (建办质〔2018〕31号 附件一、二).
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DangerousWorkKind {
    /// 基坑工程（土方开挖、支护、降水）(excavation)
    #[sea_orm(string_value = "DEEP_EXCAVATION")]
    DeepExcavation,
    /// 工具式模板工程（滑模、爬模、飞模、隧道模）(tool formwork)
    #[sea_orm(string_value = "TOOL_FORMWORK")]
    ToolFormwork,
    /// 混凝土模板支撑工程 (concrete formwork support)
    #[sea_orm(string_value = "FORMWORK_SUPPORT")]
    FormworkSupport,
    /// 承重支撑体系 (load-bearing support)
    #[sea_orm(string_value = "LOAD_BEARING_SUPPORT")]
    LoadBearingSupport,
    /// 非常规起重设备、方法的起重吊装 (unconventional lifting)
    #[sea_orm(string_value = "UNCONVENTIONAL_LIFTING")]
    UnconventionalLifting,
    /// 起重机械安装和拆卸 (crane erection and dismantling)
    #[sea_orm(string_value = "CRANE_INSTALLATION")]
    CraneInstallation,
    /// 落地式钢管脚手架 (floor-standing steel scaffold)
    #[sea_orm(string_value = "FLOOR_SCAFFOLD")]
    FloorScaffold,
    /// 附着式升降脚手架或操作平台 (attached lifting scaffold)
    #[sea_orm(string_value = "ATTACHED_LIFTING_SCAFFOLD")]
    AttachedLiftingScaffold,
    /// 悬挑式脚手架 (cantilever scaffold)
    #[sea_orm(string_value = "CANTILEVER_SCAFFOLD")]
    CantileverScaffold,
    /// 特殊建构筑物或文物保护范围内的拆除 (special demolition)
    #[sea_orm(string_value = "SPECIAL_DEMOLITION")]
    SpecialDemolition,
    /// 其他拆除工程 (other demolition)
    #[sea_orm(string_value = "DEMOLITION")]
    Demolition,
    /// 暗挖工程（矿山法、盾构法、顶管法）(underground excavation)
    #[sea_orm(string_value = "UNDERGROUND_EXCAVATION")]
    UndergroundExcavation,
    /// 建筑幕墙安装 (curtain wall installation)
    #[sea_orm(string_value = "CURTAIN_WALL")]
    CurtainWall,
    /// 钢结构安装 (steel structure erection)
    #[sea_orm(string_value = "STEEL_STRUCTURE")]
    SteelStructure,
    /// 网架和索膜结构安装 (space frame and membrane)
    #[sea_orm(string_value = "SPACE_FRAME")]
    SpaceFrame,
    /// 人工挖孔桩 (manually dug piles)
    #[sea_orm(string_value = "MANUAL_DUG_PILE")]
    ManualDugPile,
    /// 水下作业 (underwater works)
    #[sea_orm(string_value = "UNDERWATER")]
    Underwater,
    /// 大型结构整体顶升、平移、转体 (heavy lifting, sliding, rotation)
    #[sea_orm(string_value = "HEAVY_JACKING")]
    HeavyJacking,
    /// 采用新技术新工艺新材料新设备且尚无技术标准 (new technology without a standard)
    #[sea_orm(string_value = "NEW_TECHNOLOGY")]
    NewTechnology,
}

/// 计量参数 — a quantity the thresholds look at.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "DangerousWorkMeasure")]
pub enum Measure {
    /// 开挖深度（米）(excavation depth, m)
    #[sea_orm(string_value = "DEPTH_M")]
    DepthM,
    /// 搭设/施工/安装高度（米）(height, m)
    #[sea_orm(string_value = "HEIGHT_M")]
    HeightM,
    /// 跨度（米）(span, m)
    #[sea_orm(string_value = "SPAN_M")]
    SpanM,
    /// 施工总荷载设计值（kN/m²）(total design load, kN/m²)
    #[sea_orm(string_value = "AREA_LOAD_KN_M2")]
    AreaLoadKnM2,
    /// 集中线荷载设计值（kN/m）(concentrated line load, kN/m)
    #[sea_orm(string_value = "LINE_LOAD_KN_M")]
    LineLoadKnM,
    /// 单点集中荷载（kN）(point load, kN)
    #[sea_orm(string_value = "POINT_LOAD_KN")]
    PointLoadKn,
    /// 单件起吊重量或结构重量（kN）(weight, kN)
    #[sea_orm(string_value = "WEIGHT_KN")]
    WeightKn,
    /// 起重量（kN）(lifting capacity, kN)
    #[sea_orm(string_value = "CAPACITY_KN")]
    CapacityKn,
}

/// 论证结论 — the outcome of a scheme review (建办质〔2018〕31号 第十一条).
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "SchemeReviewConclusion")]
pub enum ReviewConclusion {
    /// 通过 (pass)
    #[sea_orm(string_value = "PASS")]
    Pass,
    /// 修改后通过 (pass after revision)
    #[sea_orm(string_value = "PASS_AFTER_REVISION")]
    PassAfterRevision,
    /// 不通过 (fail)
    #[sea_orm(string_value = "FAIL")]
    Fail,
}

/// 论证状态 — a scheme review's stage.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "SchemeReviewStatus")]
pub enum ReviewStatus {
    /// 待论证 (planned)
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// 已论证 (concluded)
    #[sea_orm(string_value = "CONCLUDED")]
    Concluded,
}

/// 专家检查状态 — a scheduled expert check in a key period.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "ExpertCheckStatus")]
pub enum CheckStatus {
    /// 已安排 (scheduled)
    #[sea_orm(string_value = "SCHEDULED")]
    Scheduled,
    /// 已取消 (cancelled)
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

//! Enumerations shared by the database and the GraphQL schema.
use async_graphql::Enum;
use sea_orm::entity::prelude::*;

/// 组织类型 — the kind of an organisational unit.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrgUnitKind {
    /// 区住房城乡建委 (the commission itself)
    #[sea_orm(string_value = "COMMISSION")]
    Commission,
    /// 委内科室/直属单位 (a department or directly affiliated unit of the commission)
    #[sea_orm(string_value = "DEPARTMENT")]
    Department,
    /// 乡镇 (township)
    #[sea_orm(string_value = "TOWNSHIP")]
    Township,
    /// 街道 (street / sub-district)
    #[sea_orm(string_value = "STREET")]
    Street,
    /// 外部单位，如区市场监督管理局 (external agency, e.g. the Market Supervision Bureau)
    #[sea_orm(string_value = "EXTERNAL_AGENCY")]
    ExternalAgency,
}

impl OrgUnitKind {
    /// Townships and streets are the district's territorial units: township staff are scoped to one.
    pub fn is_territorial(self) -> bool {
        matches!(self, Self::Township | Self::Street)
    }
}

/// 账号类型 — a person logging in with a password, or a machine with client credentials.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AccountKind {
    /// 人员账号 (person)
    #[sea_orm(string_value = "PERSON")]
    Person,
    /// 服务账号，如区市场监管局系统 (service account, e.g. the bureau's system)
    #[sea_orm(string_value = "SERVICE")]
    Service,
}

/// 企业类型 — the kind of an enterprise.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EnterpriseKind {
    /// 施工总承包单位 (general contractor)
    #[sea_orm(string_value = "CONTRACTOR")]
    Contractor,
    /// 专业分包单位 (specialist subcontractor)
    #[sea_orm(string_value = "SUBCONTRACTOR")]
    Subcontractor,
    /// 监理单位 (supervision firm)
    #[sea_orm(string_value = "SUPERVISOR")]
    Supervisor,
    /// 建设单位 (developer / client)
    #[sea_orm(string_value = "DEVELOPER")]
    Developer,
    /// 设计单位 (design institute)
    #[sea_orm(string_value = "DESIGNER")]
    Designer,
    /// 勘察单位 (survey firm)
    #[sea_orm(string_value = "SURVEYOR")]
    Surveyor,
    /// 劳务分包单位 (labour-service subcontractor)
    #[sea_orm(string_value = "LABOUR_SERVICE")]
    LabourService,
}

/// 项目类型 — the kind of a construction project.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ProjectKind {
    /// 房屋建筑工程 (building works)
    #[sea_orm(string_value = "HOUSING")]
    Housing,
    /// 市政公用工程 (municipal works)
    #[sea_orm(string_value = "MUNICIPAL")]
    Municipal,
    /// 道路工程 (road)
    #[sea_orm(string_value = "ROAD")]
    Road,
    /// 桥梁工程 (bridge)
    #[sea_orm(string_value = "BRIDGE")]
    Bridge,
    /// 水利/管网工程 (water and pipelines)
    #[sea_orm(string_value = "WATER")]
    Water,
    /// 改造/装修工程 (renovation)
    #[sea_orm(string_value = "RENOVATION")]
    Renovation,
    /// 拆除工程 (demolition)
    #[sea_orm(string_value = "DEMOLITION")]
    Demolition,
    /// 其他 (other)
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// 项目状态 — where a project stands; only ACTIVE sites carry recurring self-check obligations.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ProjectStatus {
    /// 未开工 (planned)
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// 在建 (under construction)
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// 停工 (suspended)
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
    /// 竣工 (completed)
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
}

/// 参建角色 — the role an enterprise plays on a project.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ParticipantRole {
    /// 建设单位 (developer)
    #[sea_orm(string_value = "DEVELOPER")]
    Developer,
    /// 施工总承包单位 (general contractor)
    #[sea_orm(string_value = "CONTRACTOR")]
    Contractor,
    /// 专业分包单位 (subcontractor)
    #[sea_orm(string_value = "SUBCONTRACTOR")]
    Subcontractor,
    /// 监理单位 (supervisor)
    #[sea_orm(string_value = "SUPERVISOR")]
    Supervisor,
    /// 设计单位 (designer)
    #[sea_orm(string_value = "DESIGNER")]
    Designer,
    /// 勘察单位 (surveyor)
    #[sea_orm(string_value = "SURVEYOR")]
    Surveyor,
    /// 劳务分包单位 (labour service)
    #[sea_orm(string_value = "LABOUR_SERVICE")]
    LabourService,
}

/// 关键岗位 — the key persons of a project.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum KeyPersonRole {
    /// 项目负责人（项目经理）(project leader)
    #[sea_orm(string_value = "PROJECT_LEADER")]
    ProjectLeader,
    /// 专职安全生产管理人员 (full-time safety manager)
    #[sea_orm(string_value = "SAFETY_MANAGER")]
    SafetyManager,
    /// 总监理工程师 (chief supervising engineer)
    #[sea_orm(string_value = "CHIEF_SUPERVISOR")]
    ChiefSupervisor,
}

/// 日历日类型 — an exception to the Monday–Friday working week.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, serde::Serialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CalendarDayKind {
    /// 法定节假日（休息日）(public holiday, a day off)
    #[sea_orm(string_value = "HOLIDAY")]
    Holiday,
    /// 调休上班日 (make-up working day on a weekend)
    #[sea_orm(string_value = "MAKEUP_WORKDAY")]
    MakeupWorkday,
}

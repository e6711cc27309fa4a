//! Housing GraphQL types. The owner's name and phone are masked for callers without
//! `housing.house.owner_read`.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::org_unit;
use jianan_kernel::loader::loaders;
use jianan_kernel::node::NodeRecord;
use jianan_kernel::pii::{mask_name, mask_phone};
use jianan_kernel::principal::principal;
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::Date;
use jianan_registry::graphql::types::OrgUnit;

use crate::entity::enums::{
    AppraisalLevel, HouseRisk, HouseUse, LedgerMeasure, LedgerState, StructureType,
};
use crate::entity::{campaign, house, ledger, screening};
use crate::perms;
use crate::rules::checklist;
use crate::service;

pub(crate) async fn township(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<OrgUnit>> {
    Ok(loaders(ctx)?
        .by_id::<org_unit::Entity>()
        .load_one(id)
        .await?
        .map(OrgUnit))
}

/// 房屋 — a house in the safety-screening registry.
#[derive(Clone)]
pub struct House(pub house::Model);

/// 房屋 — a house in the safety-screening registry.
#[Object]
impl House {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 乡镇（街道）(township or street)
    async fn township(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        township(ctx, self.0.township_id).await
    }
    /// 村（社区）(village or community)
    async fn village(&self) -> &str {
        &self.0.village
    }
    /// 地址 (address)
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// 经度（WGS-84，6位小数）(longitude, WGS-84)
    async fn longitude(&self) -> f64 {
        service::house::degrees(self.0.longitude_e6)
    }
    /// 纬度（WGS-84，6位小数）(latitude, WGS-84)
    async fn latitude(&self) -> f64 {
        service::house::degrees(self.0.latitude_e6)
    }
    /// 户主姓名（无权限者脱敏显示）(owner's name, masked without `housing.house.owner_read`)
    async fn owner_name(&self, ctx: &Context<'_>) -> String {
        if principal(ctx).can(perms::HOUSE_OWNER_READ) {
            self.0.owner_name.clone()
        } else {
            mask_name(&self.0.owner_name)
        }
    }
    /// 户主联系电话（无权限者脱敏显示）(owner's phone, masked without `housing.house.owner_read`)
    async fn owner_phone(&self, ctx: &Context<'_>) -> Option<String> {
        let phone = self.0.owner_phone.as_deref()?;
        Some(if principal(ctx).can(perms::HOUSE_OWNER_READ) {
            phone.to_owned()
        } else {
            mask_phone(phone)
        })
    }
    /// 户主信息是否已脱敏 (whether the owner's data is shown masked)
    async fn owner_masked(&self, ctx: &Context<'_>) -> bool {
        !principal(ctx).can(perms::HOUSE_OWNER_READ)
    }
    /// 结构类型 (structure)
    async fn structure(&self) -> StructureType {
        self.0.structure
    }
    /// 层数 (storeys)
    async fn storeys(&self) -> i32 {
        self.0.storeys
    }
    /// 建成年份 (year built)
    async fn year_built(&self) -> Option<i32> {
        self.0.year_built
    }
    /// 用途 (use)
    async fn house_use(&self) -> HouseUse {
        self.0.house_use
    }
    /// 建筑面积（平方米，两位小数的十进制字符串，如 "86.50"）(floor area in m², a decimal string)
    async fn floor_area(&self) -> String {
        service::house::format_floor_area(self.0.floor_area_dm2)
    }
    /// 是否自建房 (self-built)
    async fn self_built(&self) -> bool {
        self.0.self_built
    }
    /// 是否有建设手续 (construction documents present)
    async fn has_documents(&self) -> bool {
        self.0.has_documents
    }
    /// 最近一次排查初判 (latest screening judgement)
    async fn risk(&self) -> Option<HouseRisk> {
        self.0.risk
    }
    /// 鉴定等级（JGJ 125-2016）(latest appraisal level)
    async fn level(&self) -> Option<AppraisalLevel> {
        self.0.level
    }
    /// 最近排查时间 (last screened at)
    async fn screened_at(&self) -> Option<DateTime<Utc>> {
        self.0.screened_at
    }
    /// 照片 (photos)
    async fn photos(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<jianan_kernel::graphql::Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 版本号（更正时作为 expectedVersion）(version, for `expectedVersion`)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 登记时间 (registered at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 更新时间 (updated at)
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

jianan_kernel::node_record!(House, house::Entity, perms::HOUSE_READ);

/// 排查行动 — a screening campaign.
#[derive(Clone)]
pub struct ScreeningCampaign(pub campaign::Model);

/// 排查行动 — a screening campaign.
#[Object]
impl ScreeningCampaign {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 名称 (name)
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 限定用途（空为全部）(house uses covered; empty: all)
    async fn uses(&self) -> Vec<HouseUse> {
        service::campaign::uses_of(&self.0)
    }
    /// 限定结构类型（空为全部）(structures covered; empty: all)
    async fn structures(&self) -> Vec<StructureType> {
        service::campaign::structures_of(&self.0)
    }
    /// 开始日期 (first day)
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// 结束日期（含）(last day, included)
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    /// 目标排查数 (target number of houses)
    async fn target_count(&self) -> i32 {
        self.0.target_count
    }
    /// 启动时间 (started at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(ScreeningCampaign, campaign::Entity, perms::CAMPAIGN_READ);

/// 乡镇排查进度 — a campaign's progress in one township.
#[derive(SimpleObject, Clone)]
pub struct CampaignTownshipProgress {
    /// 乡镇（街道）全局编号 (township global ID)
    pub township_id: ID,
    /// 范围内房屋数 (houses within the campaign's scope)
    pub houses: i64,
    /// 已排查 (screened)
    pub screened: i64,
    /// 待排查 (to screen)
    pub to_screen: i64,
    /// 发现存在隐患或C/D级 (judged risky or appraised C/D)
    pub risky: i64,
}

impl From<service::campaign::TownshipProgress> for CampaignTownshipProgress {
    fn from(p: service::campaign::TownshipProgress) -> Self {
        CampaignTownshipProgress {
            township_id: encode_id("OrgUnit", p.township_id),
            houses: p.houses,
            screened: p.screened,
            to_screen: p.to_screen,
            risky: p.risky,
        }
    }
}

/// 检查项 — an item of the screening checklist.
#[derive(SimpleObject, Clone)]
pub struct ChecklistItem {
    /// 代码（录入排查结果时使用）(code, as `recordScreening` takes it)
    pub code: String,
    /// 检查项 (item)
    pub name: String,
    /// 部位 (part of the house)
    pub part: String,
    /// 依据 (source)
    pub source: String,
}

impl From<&checklist::Item> for ChecklistItem {
    fn from(i: &checklist::Item) -> Self {
        ChecklistItem {
            code: i.code.to_owned(),
            name: i.name.to_owned(),
            part: i.part.to_owned(),
            source: i.source.to_owned(),
        }
    }
}

/// 排查记录 — one house screened in one campaign.
#[derive(Clone)]
pub struct HouseScreening(pub screening::Model);

/// 排查记录 — one house screened in one campaign.
#[Object]
impl HouseScreening {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 排查行动全局编号 (campaign global ID)
    async fn campaign_id(&self) -> ID {
        encode_id("ScreeningCampaign", self.0.campaign_id)
    }
    /// 房屋全局编号 (house global ID)
    async fn house_id(&self) -> ID {
        encode_id("House", self.0.house_id)
    }
    /// 发现的检查项代码 (codes of the checklist items observed)
    async fn observed(&self) -> Vec<String> {
        serde_json::from_str(&self.0.observed).unwrap_or_default()
    }
    /// 排查发现 (findings)
    async fn findings(&self) -> &str {
        &self.0.findings
    }
    /// 初判 (initial judgement)
    async fn risk(&self) -> HouseRisk {
        self.0.risk
    }
    /// 鉴定等级（已鉴定时）(appraisal level, when appraised)
    async fn level(&self) -> Option<AppraisalLevel> {
        self.0.level
    }
    /// 排查时间 (screened at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(HouseScreening, screening::Entity, perms::CAMPAIGN_READ);

/// 危房台账条目 — a dangerous house on its township's ledger.
#[derive(Clone)]
pub struct HouseLedgerEntry(pub ledger::Model);

/// 危房台账条目 — a dangerous house on its township's ledger.
#[Object]
impl HouseLedgerEntry {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 房屋 (the house)
    async fn house(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<House>> {
        Ok(loaders(ctx)?
            .by_id::<house::Entity>()
            .load_one(self.0.house_id)
            .await?
            .map(House))
    }
    /// 乡镇（街道）(township or street)
    async fn township(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        township(ctx, self.0.township_id).await
    }
    /// 列入台账的排查记录全局编号 (the screening that listed it)
    async fn screening_id(&self) -> ID {
        encode_id("HouseScreening", self.0.screening_id)
    }
    /// 初判 (judgement when listed)
    async fn risk(&self) -> HouseRisk {
        self.0.risk
    }
    /// 鉴定等级 (appraisal level when listed)
    async fn level(&self) -> Option<AppraisalLevel> {
        self.0.level
    }
    /// 管控措施 (measure)
    async fn measure(&self) -> LedgerMeasure {
        self.0.measure
    }
    /// 责任人 (responsible person)
    async fn responsible_person(&self) -> Option<&str> {
        self.0.responsible_person.as_deref()
    }
    /// 整治期限 (deadline)
    async fn deadline(&self) -> Option<Date> {
        self.0.deadline.map(Date)
    }
    /// 是否逾期（未销号且已过整治期限）(overdue: not closed and past its deadline)
    async fn overdue(&self) -> bool {
        self.0.state != LedgerState::Closed
            && self
                .0
                .deadline
                .is_some_and(|d| d < jianan_kernel::calendar::today())
    }
    /// 状态 (state)
    async fn state(&self) -> LedgerState {
        self.0.state
    }
    /// 销号说明 (closing note)
    async fn close_note(&self) -> Option<&str> {
        self.0.close_note.as_deref()
    }
    /// 销号时间 (closed at)
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// 版本号 (version, for `expectedVersion`)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 列入台账时间 (listed at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(HouseLedgerEntry, ledger::Entity, perms::LEDGER_READ);

/// 监测任务 — a monitor assigned to a dangerous house.
#[derive(Clone)]
pub struct HouseMonitorAssignment(pub crate::entity::monitor_assignment::Model);

/// 监测任务 — a monitor assigned to a dangerous house.
#[Object]
impl HouseMonitorAssignment {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 房屋 (the house)
    async fn house(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<House>> {
        Ok(loaders(ctx)?
            .by_id::<house::Entity>()
            .load_one(self.0.house_id)
            .await?
            .map(House))
    }
    /// 监测员账号全局编号 (the monitor's account)
    async fn monitor_id(&self) -> ID {
        encode_id("Account", self.0.monitor_account_id)
    }
    /// 监测频次（每几天一次）(one visit every this many days)
    async fn frequency_days(&self) -> i32 {
        self.0.frequency_days
    }
    /// 首个监测周期开始日 (first day of the first window)
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// 是否在任 (in force)
    async fn active(&self) -> bool {
        self.0.ended_at.is_none()
    }
    /// 指派时间 (assigned at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 结束时间（被新的指派替换）(ended at, when replaced)
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
}

jianan_kernel::node_record!(
    HouseMonitorAssignment,
    crate::entity::monitor_assignment::Entity,
    perms::MONITORING_READ
);

/// 监测记录 — one monitoring visit.
#[derive(Clone)]
pub struct HouseMonitoringLog(pub crate::entity::monitoring_log::Model);

/// 监测记录 — one monitoring visit.
#[Object]
impl HouseMonitoringLog {
    /// 全局编号（上传照片时作为 ownerId）(global ID; the `ownerId` of its photos)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 房屋全局编号 (house global ID)
    async fn house_id(&self) -> ID {
        encode_id("House", self.0.house_id)
    }
    /// 监测任务全局编号 (assignment global ID)
    async fn assignment_id(&self) -> ID {
        encode_id("HouseMonitorAssignment", self.0.assignment_id)
    }
    /// 监测读数 (readings)
    async fn readings(&self) -> &str {
        &self.0.readings
    }
    /// 变化情况 (trend)
    async fn trend(&self) -> crate::entity::enums::MonitoringTrend {
        self.0.trend
    }
    /// 照片 (photos)
    async fn photos(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<jianan_kernel::graphql::Attachment>> {
        Ok(jianan_kernel::graphql::attachments_of(ctx, self.0.id).await?)
    }
    /// 监测时间 (logged at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

jianan_kernel::node_record!(
    HouseMonitoringLog,
    crate::entity::monitoring_log::Entity,
    perms::MONITORING_READ
);

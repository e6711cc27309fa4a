//! Housing mutations: a guard, decoding, one service call.
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, request_info};
use jianan_kernel::relay::decode_id;
use jianan_kernel::scalars::Date;

use super::types::{
    House, HouseLedgerEntry, HouseMonitorAssignment, HouseMonitoringLog, HouseScreening,
    ScreeningCampaign,
};
use crate::entity::enums::{
    AppraisalLevel, HouseRisk, HouseUse, LedgerMeasure, MonitoringTrend, StructureType,
};
use crate::perms;
use crate::service;

/// 房屋信息 — the description of a house, as registered or corrected.
#[derive(InputObject)]
pub struct HouseDetailsInput {
    /// 村（社区）(village or community)
    pub village: String,
    /// 地址（同一乡镇内规范化后不得重复）(address; unique within the township once normalised)
    pub address: String,
    /// 经度（WGS-84，-180到180，保留6位小数）(longitude, WGS-84)
    pub longitude: f64,
    /// 纬度（WGS-84，-90到90，保留6位小数）(latitude, WGS-84)
    pub latitude: f64,
    /// 户主姓名 (owner's name)
    pub owner_name: String,
    /// 户主联系电话 (owner's phone)
    pub owner_phone: Option<String>,
    /// 结构类型 (structure)
    pub structure: StructureType,
    /// 层数（1到50）(storeys)
    pub storeys: i32,
    /// 建成年份 (year built)
    pub year_built: Option<i32>,
    /// 用途 (use)
    pub house_use: HouseUse,
    /// 建筑面积：平方米，最多两位小数的十进制字符串，如 "86.5" (floor area in m², a decimal string
    /// with at most two decimals)
    pub floor_area: String,
    /// 是否自建房 (self-built)
    pub self_built: bool,
    /// 是否有建设手续 (construction documents present)
    pub has_documents: bool,
}

impl From<HouseDetailsInput> for service::house::HouseData {
    fn from(i: HouseDetailsInput) -> Self {
        service::house::HouseData {
            village: i.village,
            address: i.address,
            longitude: i.longitude,
            latitude: i.latitude,
            owner_name: i.owner_name,
            owner_phone: i.owner_phone,
            structure: i.structure,
            storeys: i.storeys,
            year_built: i.year_built,
            house_use: i.house_use,
            floor_area: i.floor_area,
            self_built: i.self_built,
            has_documents: i.has_documents,
        }
    }
}

/// 登记房屋 — input of `registerHouse`.
#[derive(InputObject)]
pub struct RegisterHouseInput {
    /// 乡镇（街道）全局编号 (township or street)
    pub township_id: ID,
    /// 房屋信息 (the house)
    pub house: HouseDetailsInput,
}

/// Result of `registerHouse`.
#[derive(SimpleObject)]
pub struct RegisterHousePayload {
    /// 登记的房屋 (the house)
    pub house: House,
}

/// 更正房屋信息 — input of `updateHouse`.
#[derive(InputObject)]
pub struct UpdateHouseInput {
    /// 房屋全局编号 (house global ID)
    pub id: ID,
    /// 读取时的版本号 (the version read)
    pub expected_version: Option<i32>,
    /// 房屋信息 (the house)
    pub house: HouseDetailsInput,
}

/// Result of `updateHouse`.
#[derive(SimpleObject)]
pub struct UpdateHousePayload {
    /// 更正后的房屋 (the house)
    pub house: House,
}

/// 启动排查行动 — input of `startScreeningCampaign`.
#[derive(InputObject)]
pub struct StartScreeningCampaignInput {
    /// 名称 (name)
    pub name: String,
    /// 覆盖的乡镇（街道）全局编号 (townships covered)
    pub township_ids: Vec<ID>,
    /// 限定用途（不填为全部）(uses covered; none: all)
    pub uses: Option<Vec<HouseUse>>,
    /// 限定结构类型（不填为全部）(structures covered; none: all)
    pub structures: Option<Vec<StructureType>>,
    /// 开始日期 (first day)
    pub starts_on: Date,
    /// 结束日期（含）(last day, included)
    pub ends_on: Date,
    /// 目标排查数 (target number of houses)
    pub target_count: i32,
}

/// Result of `startScreeningCampaign`.
#[derive(SimpleObject)]
pub struct StartScreeningCampaignPayload {
    /// 排查行动 (the campaign)
    pub screening_campaign: ScreeningCampaign,
}

/// 录入排查结果 — input of `recordScreening`.
#[derive(InputObject)]
pub struct RecordScreeningInput {
    /// 排查行动全局编号 (campaign)
    pub campaign_id: ID,
    /// 房屋全局编号 (house)
    pub house_id: ID,
    /// 发现问题的检查项代码（见 screeningChecklist）(codes of the checklist items observed)
    pub observed: Vec<String>,
    /// 排查发现 (findings)
    pub findings: Option<String>,
    /// 初判 (initial judgement)
    pub risk: HouseRisk,
    /// 鉴定等级（已鉴定时填写）(appraisal level, when appraised)
    pub level: Option<AppraisalLevel>,
}

/// Result of `recordScreening`.
#[derive(SimpleObject)]
pub struct RecordScreeningPayload {
    /// 排查记录 (the screening)
    pub screening: HouseScreening,
    /// 因此列入台账的条目（如有）(the ledger entry it opened, if any)
    pub ledger_entry: Option<HouseLedgerEntry>,
}

/// 开始整治 — input of `startHouseLedgerEntry`.
#[derive(InputObject)]
pub struct StartHouseLedgerEntryInput {
    /// 台账条目全局编号 (ledger entry)
    pub id: ID,
    /// 读取时的版本号 (the version read)
    pub expected_version: Option<i32>,
    /// 管控措施 (measure)
    pub measure: LedgerMeasure,
    /// 责任人 (responsible person)
    pub responsible_person: String,
    /// 整治期限 (deadline)
    pub deadline: Date,
}

/// Result of `startHouseLedgerEntry`.
#[derive(SimpleObject)]
pub struct StartHouseLedgerEntryPayload {
    /// 台账条目 (the entry)
    pub ledger_entry: HouseLedgerEntry,
}

/// 销号 — input of `closeHouseLedgerEntry`.
#[derive(InputObject)]
pub struct CloseHouseLedgerEntryInput {
    /// 台账条目全局编号 (ledger entry)
    pub id: ID,
    /// 读取时的版本号 (the version read)
    pub expected_version: Option<i32>,
    /// 销号说明 (what was done)
    pub note: String,
}

/// Result of `closeHouseLedgerEntry`.
#[derive(SimpleObject)]
pub struct CloseHouseLedgerEntryPayload {
    /// 台账条目 (the entry)
    pub ledger_entry: HouseLedgerEntry,
}

/// 指派监测员 — input of `assignHouseMonitor`.
#[derive(InputObject)]
pub struct AssignHouseMonitorInput {
    /// 房屋全局编号 (house)
    pub house_id: ID,
    /// 监测员账号全局编号（该乡镇的房屋安全监测员）(the monitor's account, a HOUSE_MONITOR of the
    /// house's township)
    pub monitor_id: ID,
    /// 监测频次：每几天一次（1到90）(one visit every this many days, 1 to 90)
    pub frequency_days: i32,
}

/// Result of `assignHouseMonitor`.
#[derive(SimpleObject)]
pub struct AssignHouseMonitorPayload {
    /// 监测任务 (the assignment)
    pub assignment: HouseMonitorAssignment,
}

/// 录入监测记录 — input of `recordMonitoringLog`.
#[derive(InputObject)]
pub struct RecordMonitoringLogInput {
    /// 房屋全局编号 (house)
    pub house_id: ID,
    /// 监测读数（裂缝宽度、倾斜等）(readings: crack widths, tilt, …)
    pub readings: String,
    /// 变化情况 (trend since the last visit)
    pub trend: MonitoringTrend,
    /// 幂等键：重试时返回首次结果 (idempotency key: a retry returns the first result)
    pub idempotency_key: Option<String>,
}

/// Result of `recordMonitoringLog`: upload the photos afterwards with the log's id as `ownerId`.
#[derive(SimpleObject)]
pub struct RecordMonitoringLogPayload {
    /// 监测记录 (the log)
    pub log: HouseMonitoringLog,
}

/// The housing mutation root.
#[derive(Default)]
pub struct HousingMutation;

/// 房屋安全 — mutations of the housing module.
#[Object]
impl HousingMutation {
    /// 登记房屋 (register a house)
    #[graphql(guard = "Permission(perms::HOUSE_REGISTER)")]
    async fn register_house(
        &self,
        ctx: &Context<'_>,
        input: RegisterHouseInput,
    ) -> async_graphql::Result<RegisterHousePayload> {
        let township = decode_id(&input.township_id, "OrgUnit", "townshipId")?;
        let model = service::house::register(
            kernel(ctx)?,
            &request_info(ctx),
            township,
            input.house.into(),
        )
        .await?;
        Ok(RegisterHousePayload {
            house: House(model),
        })
    }

    /// 更正房屋信息 (correct a house's description)
    #[graphql(guard = "Permission(perms::HOUSE_REGISTER)")]
    async fn update_house(
        &self,
        ctx: &Context<'_>,
        input: UpdateHouseInput,
    ) -> async_graphql::Result<UpdateHousePayload> {
        let id = decode_id(&input.id, "House", "id")?;
        let model = service::house::update(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            input.house.into(),
            input.expected_version,
        )
        .await?;
        Ok(UpdateHousePayload {
            house: House(model),
        })
    }

    /// 启动排查行动 (start a screening campaign)
    #[graphql(guard = "Permission(perms::CAMPAIGN_MANAGE)")]
    async fn start_screening_campaign(
        &self,
        ctx: &Context<'_>,
        input: StartScreeningCampaignInput,
    ) -> async_graphql::Result<StartScreeningCampaignPayload> {
        let township_ids = input
            .township_ids
            .iter()
            .map(|t| decode_id(t, "OrgUnit", "townshipIds"))
            .collect::<Result<Vec<_>, _>>()?;
        let (model, _) = service::campaign::start(
            kernel(ctx)?,
            &request_info(ctx),
            service::campaign::NewCampaign {
                name: input.name,
                township_ids,
                uses: input.uses.unwrap_or_default(),
                structures: input.structures.unwrap_or_default(),
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                target_count: input.target_count,
            },
        )
        .await?;
        Ok(StartScreeningCampaignPayload {
            screening_campaign: ScreeningCampaign(model),
        })
    }

    /// 录入排查结果 (record the screening of a house)
    #[graphql(guard = "Permission(perms::SCREENING_RECORD)")]
    async fn record_screening(
        &self,
        ctx: &Context<'_>,
        input: RecordScreeningInput,
    ) -> async_graphql::Result<RecordScreeningPayload> {
        let new = service::campaign::NewScreening {
            campaign_id: decode_id(&input.campaign_id, "ScreeningCampaign", "campaignId")?,
            house_id: decode_id(&input.house_id, "House", "houseId")?,
            observed: input.observed,
            findings: input.findings,
            risk: input.risk,
            level: input.level,
        };
        let (s, entry) =
            service::campaign::record_screening(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(RecordScreeningPayload {
            screening: HouseScreening(s),
            ledger_entry: entry.map(HouseLedgerEntry),
        })
    }

    /// 开始整治（待整治 → 整治中）(start the measures of a ledger entry)
    #[graphql(guard = "Permission(perms::LEDGER_MANAGE)")]
    async fn start_house_ledger_entry(
        &self,
        ctx: &Context<'_>,
        input: StartHouseLedgerEntryInput,
    ) -> async_graphql::Result<StartHouseLedgerEntryPayload> {
        let id = decode_id(&input.id, "HouseLedgerEntry", "id")?;
        let model = service::ledger::start(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            service::ledger::Plan {
                measure: input.measure,
                responsible_person: input.responsible_person,
                deadline: input.deadline.0,
            },
            input.expected_version,
        )
        .await?;
        Ok(StartHouseLedgerEntryPayload {
            ledger_entry: HouseLedgerEntry(model),
        })
    }

    /// 销号（整治中 → 已销号，须说明）(close a ledger entry, with a note)
    #[graphql(guard = "Permission(perms::LEDGER_MANAGE)")]
    async fn close_house_ledger_entry(
        &self,
        ctx: &Context<'_>,
        input: CloseHouseLedgerEntryInput,
    ) -> async_graphql::Result<CloseHouseLedgerEntryPayload> {
        let id = decode_id(&input.id, "HouseLedgerEntry", "id")?;
        let model = service::ledger::close(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            &input.note,
            input.expected_version,
        )
        .await?;
        Ok(CloseHouseLedgerEntryPayload {
            ledger_entry: HouseLedgerEntry(model),
        })
    }

    /// 指派监测员 (assign a monitor to a dangerous house)
    #[graphql(guard = "Permission(perms::MONITOR_ASSIGN)")]
    async fn assign_house_monitor(
        &self,
        ctx: &Context<'_>,
        input: AssignHouseMonitorInput,
    ) -> async_graphql::Result<AssignHouseMonitorPayload> {
        let house = decode_id(&input.house_id, "House", "houseId")?;
        let monitor = decode_id(&input.monitor_id, "Account", "monitorId")?;
        let model = service::monitor::assign(
            kernel(ctx)?,
            &request_info(ctx),
            house,
            monitor,
            input.frequency_days,
        )
        .await?;
        Ok(AssignHouseMonitorPayload {
            assignment: HouseMonitorAssignment(model),
        })
    }

    /// 录入监测记录（在任监测员）(log a monitoring visit, by the assigned monitor)
    #[graphql(guard = "Permission(perms::MONITORING_RECORD)")]
    async fn record_monitoring_log(
        &self,
        ctx: &Context<'_>,
        input: RecordMonitoringLogInput,
    ) -> async_graphql::Result<RecordMonitoringLogPayload> {
        let house = decode_id(&input.house_id, "House", "houseId")?;
        let model = service::monitor::record_log(
            kernel(ctx)?,
            &request_info(ctx),
            house,
            &input.readings,
            input.trend,
            input.idempotency_key.as_deref(),
        )
        .await?;
        Ok(RecordMonitoringLogPayload {
            log: HouseMonitoringLog(model),
        })
    }
}

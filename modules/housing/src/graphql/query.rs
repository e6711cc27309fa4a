//! Housing queries.
use async_graphql::{Context, ID, InputObject, Object};
use jianan_entity::org_unit;
use jianan_kernel::graphql::AttachmentsByOwner;
use jianan_kernel::kernel;
use jianan_kernel::list;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::{KeysetOrder, PageArgs, RelayConnection, SortValue, decode_id};
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use super::types::{
    CampaignTownshipProgress, ChecklistItem, House, HouseLedgerEntry, HouseMonitorAssignment,
    HouseMonitoringLog, ScreeningCampaign,
};
use crate::entity::enums::{AppraisalLevel, HouseRisk, HouseUse, StructureType};
use crate::entity::{campaign, house, ledger, monitor_assignment, monitoring_log};
use crate::perms;
use crate::rules::checklist;
use crate::service;

/// 房屋筛选 — filter of `houses`.
#[derive(InputObject, Default)]
pub struct HouseFilter {
    /// 乡镇（街道）全局编号 (township or street)
    pub township_id: Option<ID>,
    /// 村（社区），完全匹配 (village, exact)
    pub village: Option<String>,
    /// 初判 (latest judgements)
    pub risks: Option<Vec<HouseRisk>>,
    /// 鉴定等级 (appraisal levels)
    pub levels: Option<Vec<AppraisalLevel>>,
    /// 用途 (uses)
    pub uses: Option<Vec<HouseUse>>,
    /// 结构类型 (structures)
    pub structures: Option<Vec<StructureType>>,
}

/// The housing query root.
#[derive(Default)]
pub struct HousingQuery;

/// 房屋安全 — queries of the housing module.
#[Object]
impl HousingQuery {
    /// 房屋列表（按可见范围），最新登记的在前 (houses within the caller's scope, newest first)
    #[graphql(
        guard = "Permission(perms::HOUSE_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn houses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选条件 (filter)")] filter: Option<HouseFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<House>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<house::Entity>(&principal(ctx));
        if let Some(t) = &f.township_id {
            select =
                select.filter(house::Column::TownshipId.eq(decode_id(t, "OrgUnit", "townshipId")?));
        }
        if let Some(v) = &f.village {
            select = select.filter(house::Column::Village.eq(v.trim()));
        }
        if let Some(r) = f.risks {
            select = select.filter(house::Column::Risk.is_in(r));
        }
        if let Some(l) = f.levels {
            select = select.filter(house::Column::Level.is_in(l));
        }
        if let Some(u) = f.uses {
            select = select.filter(house::Column::HouseUse.is_in(u));
        }
        if let Some(s) = f.structures {
            select = select.filter(house::Column::Structure.is_in(s));
        }
        let order = KeysetOrder::<house::Entity> {
            column: house::Column::CreatedAt,
            id_column: house::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<org_unit::Entity>(ctx, "township", |m| Some(m.township_id))
            .await?;
        page.prime_grouped::<AttachmentsByOwner>(ctx, "photos")
            .await?;
        Ok(page.connection(House))
    }

    /// 排查行动列表（按可见范围），最新的在前 (screening campaigns within the caller's scope)
    #[graphql(
        guard = "Permission(perms::CAMPAIGN_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn screening_campaigns(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<ScreeningCampaign>> {
        let select = scoped::<campaign::Entity>(&principal(ctx));
        let order = KeysetOrder::<campaign::Entity> {
            column: campaign::Column::CreatedAt,
            id_column: campaign::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        Ok(page.connection(ScreeningCampaign))
    }

    /// 排查行动各乡镇进度：已排查、待排查、发现隐患（township staff see their own township
    /// only）(a campaign's progress per township)
    #[graphql(guard = "Permission(perms::CAMPAIGN_READ)")]
    async fn screening_campaign_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "排查行动全局编号 (campaign global ID)")] campaign_id: ID,
    ) -> async_graphql::Result<Vec<CampaignTownshipProgress>> {
        let p = principal(ctx);
        let id = decode_id(&campaign_id, "ScreeningCampaign", "campaignId")?;
        let db = &kernel(ctx)?.db.conn;
        let c = scoped::<campaign::Entity>(&p)
            .filter(campaign::Column::Id.eq(id))
            .one(db)
            .await
            .map_err(jianan_kernel::AppError::from)?
            .ok_or_else(|| jianan_kernel::AppError::not_found("排查行动"))?;
        let scope = jianan_kernel::scope::RowScope::of(&p);
        Ok(service::campaign::progress(db, &c)
            .await?
            .into_iter()
            .filter(|t| match scope {
                jianan_kernel::scope::RowScope::District => true,
                jianan_kernel::scope::RowScope::Township(own) => own == t.township_id,
                _ => false,
            })
            .map(CampaignTownshipProgress::from)
            .collect())
    }

    /// 乡镇危房整治台账（按列入时间）(a township's hazard ledger, oldest first)
    #[graphql(guard = "Permission(perms::LEDGER_READ)")]
    async fn house_ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "乡镇（街道）全局编号 (township global ID)")] township_id: ID,
    ) -> async_graphql::Result<Vec<HouseLedgerEntry>> {
        let t = decode_id(&township_id, "OrgUnit", "townshipId")?;
        let rows = scoped::<ledger::Entity>(&principal(ctx))
            .filter(ledger::Column::TownshipId.eq(t))
            .order_by_asc(ledger::Column::CreatedAt)
            .order_by_asc(ledger::Column::Id)
            .all(&kernel(ctx)?.db.conn)
            .await
            .map_err(jianan_kernel::AppError::from)?;
        let ids: Vec<_> = rows.iter().map(|r| r.house_id).collect();
        jianan_kernel::loader::loaders(ctx)?
            .by_id::<house::Entity>()
            .load_many(ids)
            .await?;
        Ok(rows.into_iter().map(HouseLedgerEntry).collect())
    }

    /// 房屋安全排查检查表 (the screening checklist)
    #[graphql(guard = "Permission(perms::CAMPAIGN_READ)")]
    async fn screening_checklist(&self) -> Vec<ChecklistItem> {
        checklist::ITEMS.iter().map(ChecklistItem::from).collect()
    }

    /// 监测任务（按可见范围；监测员只见本人的），最新的在前 (monitor assignments within the
    /// caller's scope, newest first; a monitor sees their own)
    #[graphql(
        guard = "Permission(perms::MONITORING_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn house_monitor_assignments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "房屋全局编号 (house)")] house_id: Option<ID>,
        #[graphql(desc = "只看在任的 (in force only)")] active_only: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<HouseMonitorAssignment>> {
        let mut select = scoped::<monitor_assignment::Entity>(&principal(ctx));
        if let Some(h) = &house_id {
            select = select
                .filter(monitor_assignment::Column::HouseId.eq(decode_id(h, "House", "houseId")?));
        }
        if active_only.unwrap_or(false) {
            select = select.filter(monitor_assignment::Column::EndedAt.is_null());
        }
        let order = KeysetOrder::<monitor_assignment::Entity> {
            column: monitor_assignment::Column::CreatedAt,
            id_column: monitor_assignment::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<house::Entity>(ctx, "house", |m| Some(m.house_id))
            .await?;
        Ok(page.connection(HouseMonitorAssignment))
    }

    /// 监测记录（按可见范围），最新的在前 (monitoring logs within the caller's scope, newest first)
    #[graphql(
        guard = "Permission(perms::MONITORING_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn house_monitoring_logs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "房屋全局编号 (house)")] house_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<HouseMonitoringLog>> {
        let mut select = scoped::<monitoring_log::Entity>(&principal(ctx));
        if let Some(h) = &house_id {
            select = select
                .filter(monitoring_log::Column::HouseId.eq(decode_id(h, "House", "houseId")?));
        }
        let order = KeysetOrder::<monitoring_log::Entity> {
            column: monitoring_log::Column::CreatedAt,
            id_column: monitoring_log::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = list::page(
            ctx,
            select,
            &order,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime_grouped::<AttachmentsByOwner>(ctx, "photos")
            .await?;
        Ok(page.connection(HouseMonitoringLog))
    }
}

//! Housing statistics for dashboards.
use async_graphql::{Context, ID, Object, SimpleObject};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::{decode_id, encode_id};

use crate::entity::enums::{AppraisalLevel, HouseRisk};
use crate::perms;
use crate::service::statistics;

/// 按初判 (houses by latest judgement)
#[derive(SimpleObject)]
pub struct HouseRiskCount {
    /// 初判 (judgement)
    pub risk: HouseRisk,
    /// 房屋数 (houses)
    pub count: i64,
}

/// 按鉴定等级 (houses by appraisal level)
#[derive(SimpleObject)]
pub struct HouseLevelCount {
    /// 鉴定等级 (level)
    pub level: AppraisalLevel,
    /// 房屋数 (houses)
    pub count: i64,
}

/// 乡镇房屋安全统计 — one township's figures.
#[derive(SimpleObject)]
pub struct HousingTownshipStatistics {
    /// 乡镇（街道）全局编号 (township)
    pub township_id: ID,
    /// 登记房屋数 (houses registered)
    pub houses: i64,
    /// 已排查房屋数 (houses screened at least once)
    pub screened: i64,
    /// 排查覆盖率（0到1）(screening coverage, 0 to 1)
    pub coverage: f64,
    /// 按最近一次初判 (by latest judgement)
    pub by_risk: Vec<HouseRiskCount>,
    /// 按鉴定等级 (by appraisal level)
    pub by_level: Vec<HouseLevelCount>,
    /// 逾期未销号的台账措施数 (ledger measures past their deadline and not closed)
    pub overdue_measures: i64,
}

/// What one statistics query counts for in the complexity limit (three grouped statements).
pub const STATISTICS_COST: usize = 250;

/// Housing statistics queries.
#[derive(Default)]
pub struct HousingStatisticsQuery;

/// 房屋安全统计 — statistics of the housing module.
#[Object]
impl HousingStatisticsQuery {
    /// 房屋安全统计（按可见范围，按乡镇）(house safety figures per township, within the caller's
    /// scope)
    #[graphql(
        guard = "Permission(perms::STATISTICS_READ)",
        complexity = "STATISTICS_COST + child_complexity"
    )]
    async fn housing_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "乡镇（街道）全局编号；不填为全部可见乡镇 (township; all visible when null)"
        )]
        township_id: Option<ID>,
    ) -> async_graphql::Result<Vec<HousingTownshipStatistics>> {
        let t = township_id
            .as_ref()
            .map(|t| decode_id(t, "OrgUnit", "townshipId"))
            .transpose()?;
        let rows = statistics::statistics(&kernel(ctx)?.db.conn, &principal(ctx), t).await?;
        Ok(rows
            .into_iter()
            .map(|s| {
                #[allow(clippy::cast_precision_loss)]
                let coverage = if s.houses == 0 {
                    0.0
                } else {
                    s.screened as f64 / s.houses as f64
                };
                HousingTownshipStatistics {
                    township_id: encode_id("OrgUnit", s.township_id),
                    houses: s.houses,
                    screened: s.screened,
                    coverage,
                    by_risk: s
                        .by_risk
                        .into_iter()
                        .map(|(risk, count)| HouseRiskCount { risk, count })
                        .collect(),
                    by_level: s
                        .by_level
                        .into_iter()
                        .map(|(level, count)| HouseLevelCount { level, count })
                        .collect(),
                    overdue_measures: s.overdue_measures,
                }
            })
            .collect())
    }
}

/// At most this many houses on one map (the first by id); the collection says
/// `"truncated": true` when more matched.
pub const MAP_LIMIT: u64 = 5000;

/// The house map's query.
#[derive(Default)]
pub struct HouseMapQuery;

/// 房屋分布图 — the map of houses.
#[Object]
impl HouseMapQuery {
    /// 房屋分布图：GeoJSON FeatureCollection（RFC 7946），每座房屋一个 Point [经度, 纬度]（WGS-84），
    /// properties 含 id、村（社区）、地址、初判、鉴定等级；不含户主信息；最多5000座，超出时
    /// "truncated" 为 true (houses within the caller's scope as a GeoJSON FeatureCollection of
    /// WGS-84 points; no owner data; at most 5000, with "truncated": true when more matched)
    #[graphql(
        guard = "Permission(perms::HOUSE_READ)",
        complexity = "STATISTICS_COST + child_complexity"
    )]
    async fn house_map(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "乡镇（街道）全局编号 (township)")] township_id: Option<ID>,
        #[graphql(
            desc = "初判（不填为全部，含未排查）(judgements; all, unscreened included, when null)"
        )]
        risks: Option<Vec<HouseRisk>>,
    ) -> async_graphql::Result<async_graphql::Json<serde_json::Value>> {
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
        let t = township_id
            .as_ref()
            .map(|t| decode_id(t, "OrgUnit", "townshipId"))
            .transpose()?;
        let mut select =
            jianan_kernel::scope::scoped::<crate::entity::house::Entity>(&principal(ctx));
        if let Some(t) = t {
            select = select.filter(crate::entity::house::Column::TownshipId.eq(t));
        }
        if let Some(r) = risks {
            select = select.filter(crate::entity::house::Column::Risk.is_in(r));
        }
        let mut rows = select
            .order_by_asc(crate::entity::house::Column::Id)
            .limit(MAP_LIMIT + 1)
            .all(&kernel(ctx)?.db.conn)
            .await
            .map_err(jianan_kernel::AppError::from)?;
        let truncated = rows.len() as u64 > MAP_LIMIT;
        rows.truncate(usize::try_from(MAP_LIMIT).unwrap_or(usize::MAX));
        Ok(async_graphql::Json(
            crate::service::house::feature_collection(&rows, truncated),
        ))
    }
}

//! Dashboard statistics types and queries.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::{decode_id, encode_id};
use jianan_kernel::scope::RowScope;

use crate::entity::enums::{HazardLevel, HazardStatus, InspectionKind};
use crate::perms;
use crate::rules::hazard_criteria::HazardCategory;
use crate::service::statistics::{Window, hazard_stats, inspections_by_kind};

/// 按等级计数 (count by level)
#[derive(SimpleObject)]
pub struct LevelCount {
    /// 等级 (level)
    pub level: HazardLevel,
    /// 数量 (count)
    pub count: u64,
}

/// 按状态计数 (count by status)
#[derive(SimpleObject)]
pub struct StatusCount {
    /// 状态 (status)
    pub status: HazardStatus,
    /// 数量 (count)
    pub count: u64,
}

/// 按类别计数 (count by category)
#[derive(SimpleObject)]
pub struct CategoryCount {
    /// 类别 (category)
    pub category: Option<HazardCategory>,
    /// 数量 (count)
    pub count: u64,
}

/// 按乡镇计数 (count by township)
#[derive(SimpleObject)]
pub struct TownshipCount {
    /// 乡镇（街道）全局编号 (township global ID)
    pub township_id: ID,
    /// 数量 (count)
    pub count: u64,
}

/// 按月计数（北京时间）(count by Asia/Shanghai month)
#[derive(SimpleObject)]
pub struct MonthCount {
    /// 月份，如 2026-11 (month)
    pub month: String,
    /// 数量 (count)
    pub count: u64,
}

/// 整改用时（小时，最近秩百分位数）(rectification time in hours, nearest-rank percentiles)
#[derive(SimpleObject)]
pub struct DurationPercentiles {
    /// 已销号隐患数 (closed hazards counted)
    pub count: u64,
    /// 中位数 (p50)
    pub p50_hours: f64,
    /// 90%分位 (p90)
    pub p90_hours: f64,
    /// 99%分位 (p99)
    pub p99_hours: f64,
}

/// 隐患统计 — hazard figures for dashboards.
#[derive(SimpleObject)]
pub struct HazardStatistics {
    /// 总数 (total)
    pub total: u64,
    /// 按等级 (by level)
    pub by_level: Vec<LevelCount>,
    /// 按状态 (by status)
    pub by_status: Vec<StatusCount>,
    /// 按类别 (by category)
    pub by_category: Vec<CategoryCount>,
    /// 按乡镇（街道）(by township)
    pub by_township: Vec<TownshipCount>,
    /// 按月（北京时间）(by month, Asia/Shanghai)
    pub by_month: Vec<MonthCount>,
    /// 整改逾期：责任企业过期仍未提交整改（待复查的不算）(the responsible enterprise is past its
    /// deadline and has not submitted; hazards waiting for verification are not counted)
    pub overdue_open: u64,
    /// 整改用时 (rectification time)
    pub rectification_time: DurationPercentiles,
}

/// 按检查类型计数 (count by inspection kind)
#[derive(SimpleObject)]
pub struct KindCount {
    /// 检查类型 (kind)
    pub kind: InspectionKind,
    /// 数量 (count)
    pub count: u64,
}

/// What one statistics query counts for in the complexity limit (`max_query_complexity`, 5000
/// by default): it runs several aggregates over every record in the caller's scope, so a
/// dashboard may ask for a handful at once but not for dozens.
pub const STATISTICS_COST: usize = 250;

/// Statistics queries.
#[derive(Default)]
pub struct StatisticsQuery;

#[Object]
impl StatisticsQuery {
    /// 隐患统计（按可见范围；时间按上报时间筛选）(hazard statistics within the caller's scope)
    #[graphql(
        guard = "Permission(perms::HAZARD_READ)",
        complexity = "STATISTICS_COST + child_complexity"
    )]
    async fn hazard_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "乡镇（街道）(township)")] township_id: Option<ID>,
        #[graphql(desc = "起（含）(from, inclusive)")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "止（不含）(to, exclusive)")] to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<HazardStatistics> {
        let k = kernel(ctx)?;
        let township = township_id
            .as_ref()
            .map(|t| decode_id(t, "OrgUnit", "townshipId"))
            .transpose()?;
        let s = hazard_stats(
            &k.db.conn,
            RowScope::of(&principal(ctx)),
            township,
            Window { from, to },
        )
        .await?;
        let (count, p50, p90, p99) = s.rectification_hours;
        Ok(HazardStatistics {
            total: s.total,
            by_level: s
                .by_level
                .into_iter()
                .map(|(level, count)| LevelCount { level, count })
                .collect(),
            by_status: s
                .by_status
                .into_iter()
                .map(|(status, count)| StatusCount { status, count })
                .collect(),
            by_category: s
                .by_category
                .into_iter()
                .map(|(c, count)| CategoryCount {
                    category: HazardCategory::from_code(&c),
                    count,
                })
                .collect(),
            by_township: s
                .by_township
                .into_iter()
                .map(|(t, count)| TownshipCount {
                    township_id: encode_id("OrgUnit", t),
                    count,
                })
                .collect(),
            by_month: s
                .by_month
                .into_iter()
                .map(|(month, count)| MonthCount { month, count })
                .collect(),
            overdue_open: s.overdue_open,
            rectification_time: DurationPercentiles {
                count,
                p50_hours: p50,
                p90_hours: p90,
                p99_hours: p99,
            },
        })
    }

    /// 检查次数按类型统计 (inspections by kind within the caller's scope)
    #[graphql(
        guard = "Permission(perms::INSPECTION_READ)",
        complexity = "STATISTICS_COST + child_complexity"
    )]
    async fn inspection_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "乡镇（街道）(township)")] township_id: Option<ID>,
        #[graphql(desc = "起（含）(from, inclusive)")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "止（不含）(to, exclusive)")] to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<KindCount>> {
        let k = kernel(ctx)?;
        let township = township_id
            .as_ref()
            .map(|t| decode_id(t, "OrgUnit", "townshipId"))
            .transpose()?;
        let rows = inspections_by_kind(
            &k.db.conn,
            RowScope::of(&principal(ctx)),
            township,
            Window { from, to },
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, count)| KindCount { kind, count })
            .collect())
    }
}

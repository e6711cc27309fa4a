//! Report statistics for dashboards (issue #10 item 6), with small counts suppressed.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::Datelike;
use jianan_kernel::kernel;
use jianan_kernel::principal::Permission;
use jianan_kernel::relay::encode_id;
use jianan_kernel::scalars::Fen;

use crate::RewardsModule;
use crate::entity::enums::ReportCategory;
use crate::perms;
use crate::service::statistics::{self, Outcome};

/// 按类别 (count by category)
#[derive(SimpleObject)]
pub struct ReportCategoryCount {
    /// 类别 (category)
    pub category: ReportCategory,
    /// 数量；少于公开下限时不显示 (count; null when suppressed)
    pub count: Option<u64>,
}

/// 按乡镇（街道）(count by township)
#[derive(SimpleObject)]
pub struct ReportTownshipCount {
    /// 乡镇（街道）全局编号；举报未写明时为空 (township; null when the report named none)
    pub township_id: Option<ID>,
    /// 数量；少于公开下限时不显示 (count; null when suppressed)
    pub count: Option<u64>,
}

/// 按月（北京时间）(count by Asia/Shanghai month)
#[derive(SimpleObject)]
pub struct ReportMonthCount {
    /// 月份，如 2026-11 (month)
    pub month: String,
    /// 数量；少于公开下限时不显示 (count; null when suppressed)
    pub count: Option<u64>,
}

/// 按办理结果 (count by outcome)
#[derive(SimpleObject)]
pub struct ReportOutcomeCount {
    /// 结果 (outcome)
    pub outcome: Outcome,
    /// 数量；少于公开下限时不显示 (count; null when suppressed)
    pub count: Option<u64>,
}

/// 办理用时 (time from filing to a step)
#[derive(SimpleObject)]
pub struct ReportStepTime {
    /// 计入的举报数（少于公开下限时为0）(reports counted; 0 when suppressed)
    pub count: u64,
    /// 平均天数；少于公开下限时不显示 (mean days; null when suppressed)
    pub mean_days: Option<f64>,
}

/// 举报统计 — a year of public reports. Counts below `minimumCount` are not shown (and, when one
/// alone would be, the next smallest is hidden too), so no single report can be picked out.
#[derive(SimpleObject)]
pub struct RewardStatistics {
    /// 年度（北京时间）(calendar year, Asia/Shanghai)
    pub year: i32,
    /// 公开下限：少于此数的计数不显示 (counts below this are suppressed)
    pub minimum_count: u64,
    /// 举报总数 (reports filed)
    pub total: Option<u64>,
    /// 按类别 (by category)
    pub by_category: Vec<ReportCategoryCount>,
    /// 按乡镇（街道）(by township)
    pub by_township: Vec<ReportTownshipCount>,
    /// 按月 (by month)
    pub by_month: Vec<ReportMonthCount>,
    /// 按办理结果 (by outcome)
    pub by_outcome: Vec<ReportOutcomeCount>,
    /// 提交至受理（或不予受理）用时 (time to acceptance or rejection)
    pub time_to_acceptance: ReportStepTime,
    /// 提交至核查结论用时 (time to a verdict)
    pub time_to_verification: ReportStepTime,
    /// 已发放奖励笔数（计入本年度预算）(rewards paid from this year's budget; null when suppressed)
    pub rewards_paid: Option<u64>,
    /// 已发放奖励金额（分）；笔数少于公开下限时不显示 (their sum in fen; null when suppressed)
    pub rewards_paid_fen: Option<Fen>,
}

/// What one statistics query counts for in the complexity limit (as in inspections: several
/// aggregates over every report of the year).
pub const STATISTICS_COST: usize = 250;

/// Statistics queries.
#[derive(Default)]
pub struct RewardStatisticsQuery;

#[Object]
impl RewardStatisticsQuery {
    /// 举报统计（少量计数不予显示）(report statistics of a year, small counts suppressed)
    #[graphql(
        guard = "Permission(perms::STATISTICS_READ)",
        complexity = "STATISTICS_COST + child_complexity"
    )]
    async fn reward_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "年度，默认当年（北京时间）(year; this year by default)")] year: Option<
            i32,
        >,
    ) -> async_graphql::Result<RewardStatistics> {
        let k = kernel(ctx)?;
        let year = year.unwrap_or_else(|| jianan_kernel::calendar::today().year());
        if !(2000..=2100).contains(&year) {
            return Err(
                jianan_kernel::AppError::bad_input("year", "年度应在2000至2100之间").into(),
            );
        }
        let min = u64::from(RewardsModule::of(k)?.settings.statistics_min_count);
        let s = statistics::statistics(&k.db.conn, year, min).await?;
        let step = |d: statistics::Duration| ReportStepTime {
            count: d.count,
            mean_days: d.mean_days.map(|m| (m * 10.0).round() / 10.0),
        };
        Ok(RewardStatistics {
            year: s.year,
            minimum_count: s.min_count,
            total: s.total,
            by_category: s
                .by_category
                .into_iter()
                .map(|(category, count)| ReportCategoryCount { category, count })
                .collect(),
            by_township: s
                .by_township
                .into_iter()
                .map(|(t, count)| ReportTownshipCount {
                    township_id: t.map(|t| encode_id("OrgUnit", t)),
                    count,
                })
                .collect(),
            by_month: s
                .by_month
                .into_iter()
                .map(|(month, count)| ReportMonthCount { month, count })
                .collect(),
            by_outcome: s
                .by_outcome
                .into_iter()
                .map(|(outcome, count)| ReportOutcomeCount { outcome, count })
                .collect(),
            time_to_acceptance: step(s.to_acceptance),
            time_to_verification: step(s.to_verification),
            rewards_paid: s.rewards_paid,
            rewards_paid_fen: s.rewards_paid_fen.map(Fen),
        })
    }
}

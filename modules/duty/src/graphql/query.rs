//! Duty queries.
use async_graphql::{Context, Object, SimpleObject};
use jianan_kernel::calendar::local_midnight_utc;
use jianan_kernel::list;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::{KeysetOrder, PageArgs, RelayConnection, SortValue};
use jianan_kernel::scalars::Date;
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppError, kernel};
use sea_orm::{ColumnTrait, Condition, QueryFilter};

use jianan_entity::org_unit;

use super::types::{
    DutyAcknowledgement, DutyEmergencyResponse, DutyIncidentReport, DutyKeyPeriod, DutyRosterDay,
    DutyWarning, ReportsOfResponse, StepsOfResponse, TargetsOfWarning, UpdatesOfReport,
};
use crate::entity::enums::{IncidentStatus, WarningLevel};
use crate::entity::{incident, key_period, response, warning};
use crate::perms;
use crate::service;

/// 某等级预警的统计 — warnings of one level and their acknowledgement.
#[derive(SimpleObject)]
pub struct DutyWarningLevelFigures {
    /// 等级 (level)
    pub level: WarningLevel,
    /// 预警数 (warnings issued)
    pub warnings: u32,
    /// 签收情况 (acknowledgement of the targets within the caller's scope)
    pub acknowledgement: DutyAcknowledgement,
}

/// 信息报告及时性 — report timeliness within the caller's scope.
#[derive(SimpleObject)]
pub struct DutyReportTimeliness {
    /// 首报数 (reports filed)
    pub reports: u32,
    /// 首报按时 (first reports within the deadline)
    pub first_on_time: u32,
    /// 续报当前逾期 (reports whose follow-up is overdue now)
    pub follow_up_overdue: u32,
    /// 首报及时率 (first reports on time ÷ reports; 0 when none)
    pub first_on_time_rate: f64,
}

/// Duty queries.
#[derive(Default)]
pub struct DutyQuery;

#[Object]
impl DutyQuery {
    /// 重点时段列表，起始日最新的在前 (key periods, latest start first)
    #[graphql(
        guard = "Permission(perms::KEY_PERIOD_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn duty_key_periods(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "只列包含该日的 (only those covering this date)")] active_on: Option<Date>,
        #[graphql(desc = "包括已撤销的 (include cancelled ones)", default = false)]
        include_cancelled: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<DutyKeyPeriod>> {
        let mut select = scoped::<key_period::Entity>(&principal(ctx));
        if let Some(d) = active_on {
            select = select
                .filter(key_period::Column::StartsOn.lte(d.0))
                .filter(key_period::Column::EndsOn.gte(d.0));
        }
        if !include_cancelled {
            select = select.filter(key_period::Column::CancelledAt.is_null());
        }
        let order = KeysetOrder::<key_period::Entity> {
            column: key_period::Column::CreatedAt,
            id_column: key_period::Column::Id,
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
        Ok(page.connection(DutyKeyPeriod))
    }

    /// 预警列表（委里看全部，乡镇、企业看发给本单位的），最新的在前 (warnings within the caller's
    /// scope, newest first)
    #[graphql(
        guard = "Permission(perms::WARNING_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn duty_warnings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "等级 (levels)")] levels: Option<Vec<WarningLevel>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<DutyWarning>> {
        let mut select = scoped::<warning::Entity>(&principal(ctx));
        if let Some(l) = levels.filter(|l| !l.is_empty()) {
            select = select.filter(Condition::all().add(warning::Column::Level.is_in(l)));
        }
        let order = KeysetOrder::<warning::Entity> {
            column: warning::Column::CreatedAt,
            id_column: warning::Column::Id,
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
        page.prime_grouped::<TargetsOfWarning>(ctx, "targets")
            .await?;
        page.prime_grouped::<TargetsOfWarning>(ctx, "acknowledgement")
            .await?;
        Ok(page.connection(DutyWarning))
    }

    /// 某日值班表：带班领导、值班人员、电话和空档 (a day's duty roster: the shifts, their phones and
    /// the gaps)
    #[graphql(guard = "Permission(perms::ROSTER_READ)")]
    async fn duty_roster(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "日期（北京时间）(date, Asia/Shanghai)")] date: Date,
    ) -> async_graphql::Result<DutyRosterDay> {
        let day = service::roster::roster_day(kernel(ctx)?, &principal(ctx), date.0).await?;
        Ok(day.into())
    }

    /// 信息报告列表（委里看全部，乡镇看本乡镇，企业看本企业项目），最新的在前 (information reports
    /// within the caller's scope, newest first)
    #[graphql(
        guard = "Permission(perms::REPORT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn duty_incident_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "状态 (states)")] statuses: Option<Vec<IncidentStatus>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<DutyIncidentReport>> {
        let mut select = scoped::<incident::Entity>(&principal(ctx));
        if let Some(s) = statuses.filter(|s| !s.is_empty()) {
            select = select.filter(incident::Column::Status.is_in(s));
        }
        let order = KeysetOrder::<incident::Entity> {
            column: incident::Column::CreatedAt,
            id_column: incident::Column::Id,
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
        page.prime_grouped::<UpdatesOfReport>(ctx, "updates")
            .await?;
        Ok(page.connection(DutyIncidentReport))
    }

    /// 应急响应列表，最新的在前 (emergency responses, newest first)
    #[graphql(
        guard = "Permission(perms::RESPONSE_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn duty_emergency_responses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "只列进行中的 (running only)", default = false)] active_only: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<DutyEmergencyResponse>> {
        let mut select = scoped::<response::Entity>(&principal(ctx));
        if active_only {
            select = select.filter(response::Column::EndedAt.is_null());
        }
        let order = KeysetOrder::<response::Entity> {
            column: response::Column::CreatedAt,
            id_column: response::Column::Id,
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
        page.prime_grouped::<StepsOfResponse>(ctx, "steps").await?;
        page.prime_grouped::<ReportsOfResponse>(ctx, "reports")
            .await?;
        Ok(page.connection(DutyEmergencyResponse))
    }

    /// 信息报告及时性（按可见范围）(report timeliness within the caller's scope)
    #[graphql(guard = "Permission(perms::STATISTICS_READ)")]
    async fn duty_report_timeliness(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "起始日（含）(from, inclusive)")] from: Date,
        #[graphql(desc = "结束日（含）(to, inclusive)")] to: Date,
    ) -> async_graphql::Result<DutyReportTimeliness> {
        if to.0 < from.0 {
            return Err(AppError::bad_input("to", "结束日不能早于起始日").into());
        }
        let until =
            to.0.succ_opt()
                .ok_or_else(|| AppError::bad_input("to", "日期无效"))?;
        let t = service::incident::timeliness(
            &kernel(ctx)?.db.conn,
            &principal(ctx),
            local_midnight_utc(from.0),
            local_midnight_utc(until),
        )
        .await?;
        Ok(DutyReportTimeliness {
            reports: t.reports,
            first_on_time: t.first_on_time,
            follow_up_overdue: t.follow_up_overdue,
            first_on_time_rate: if t.reports == 0 {
                0.0
            } else {
                f64::from(t.first_on_time) / f64::from(t.reports)
            },
        })
    }

    /// 预警统计：按等级的预警数和签收率（按可见范围）(warnings and acknowledgement rates by level,
    /// within the caller's scope)
    #[graphql(guard = "Permission(perms::STATISTICS_READ)")]
    async fn duty_warning_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "起始日（含）(from, inclusive)")] from: Date,
        #[graphql(desc = "结束日（含）(to, inclusive)")] to: Date,
    ) -> async_graphql::Result<Vec<DutyWarningLevelFigures>> {
        if to.0 < from.0 {
            return Err(AppError::bad_input("to", "结束日不能早于起始日").into());
        }
        let until =
            to.0.succ_opt()
                .ok_or_else(|| AppError::bad_input("to", "日期无效"))?;
        let rows = service::statistics::warnings_by_level(
            &kernel(ctx)?.db.conn,
            &principal(ctx),
            local_midnight_utc(from.0),
            local_midnight_utc(until),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|(level, f)| DutyWarningLevelFigures {
                level,
                warnings: f.warnings,
                acknowledgement: f.ack.into(),
            })
            .collect())
    }
}

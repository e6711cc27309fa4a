//! Reporting up: a township's monthly report and the commission's handling of it.
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::org_unit;
use jianan_kernel::kernel;
use jianan_kernel::list;
use jianan_kernel::node::NodeRecord;
use jianan_kernel::principal::{Permission, principal, request_info};
use jianan_kernel::relay::{
    KeysetOrder, PageArgs, RelayConnection, SortValue, decode_id, encode_id,
};
use jianan_kernel::scope::scoped;
use jianan_registry::graphql::types::OrgUnit;
use sea_orm::{ColumnTrait, QueryFilter};

use super::types::township;
use crate::entity::enums::ReportState;
use crate::entity::report;
use crate::perms;
use crate::service::report::{REPORT, Step, advance, submit};

/// 乡镇上报 — a township's monthly report on its house safety work.
#[derive(Clone)]
pub struct HousingReport(pub report::Model);

/// 乡镇上报 — a township's monthly report on its house safety work.
#[Object]
impl HousingReport {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 乡镇（街道）(township)
    async fn township(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        township(ctx, self.0.township_id).await
    }
    /// 月份 YYYY-MM (month reported on)
    async fn period(&self) -> &str {
        &self.0.period
    }
    /// 上报内容 (the township's summary)
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// 上报时的数据：房屋数、已排查、按初判、按鉴定等级、逾期措施 (the township's figures when
    /// sent: houses, screened, byRisk, byLevel, overdueMeasures)
    async fn figures(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(serde_json::from_str(&self.0.figures).unwrap_or_default())
    }
    /// 状态 (state)
    async fn status(&self) -> ReportState {
        self.0.status
    }
    /// 退回理由 (why it was returned)
    async fn return_reason(&self) -> Option<&str> {
        self.0.return_reason.as_deref()
    }
    /// 办结说明 (closing note)
    async fn close_note(&self) -> Option<&str> {
        self.0.close_note.as_deref()
    }
    /// 上报时间 (sent at, the last time)
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }
    /// 处理时间 (handled at, the last time)
    async fn handled_at(&self) -> Option<DateTime<Utc>> {
        self.0.handled_at
    }
    /// 版本号 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
}

jianan_kernel::node_record!(HousingReport, report::Entity, perms::REPORT_READ);

/// Report queries.
#[derive(Default)]
pub struct HousingReportQuery;

#[Object]
impl HousingReportQuery {
    /// 乡镇上报列表（委里看全部乡镇，乡镇看本乡镇），最新的在前 (township reports within the
    /// caller's scope, newest first)
    #[graphql(
        guard = "Permission(perms::REPORT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn housing_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "乡镇（街道）(township)")] township_id: Option<ID>,
        #[graphql(desc = "状态 (states)")] statuses: Option<Vec<ReportState>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<HousingReport>> {
        let mut select = scoped::<report::Entity>(&principal(ctx));
        if let Some(t) = &township_id {
            select = select.filter(report::Column::TownshipId.eq(decode_id(
                t,
                "OrgUnit",
                "townshipId",
            )?));
        }
        if let Some(s) = statuses.filter(|s| !s.is_empty()) {
            select = select.filter(report::Column::Status.is_in(s));
        }
        let order = KeysetOrder::<report::Entity> {
            column: report::Column::CreatedAt,
            id_column: report::Column::Id,
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
        Ok(page.connection(HousingReport))
    }
}

/// 乡镇上报 — input of `submitHousingReport`.
#[derive(InputObject)]
pub struct SubmitHousingReportInput {
    /// 乡镇（街道）(township)
    pub township_id: ID,
    /// 月份 YYYY-MM (month)
    pub period: String,
    /// 上报内容 (summary)
    pub summary: String,
}

/// 处理上报 — input of the handling mutations.
#[derive(InputObject)]
pub struct HandleHousingReportInput {
    /// 上报 (report)
    pub id: ID,
    /// 重报内容、退回理由或办结说明（受理时不填）(the new summary, the reason or the closing
    /// note; none to accept)
    pub text: Option<String>,
    /// 所依据的版本号 (the version the decision was made on)
    pub expected_version: Option<i32>,
}

/// Result of a report mutation.
#[derive(SimpleObject)]
pub struct HousingReportPayload {
    /// 上报 (the report)
    pub report: HousingReport,
}

/// Report mutations.
#[derive(Default)]
pub struct HousingReportMutation;

async fn step(
    ctx: &Context<'_>,
    input: HandleHousingReportInput,
    s: Step,
) -> async_graphql::Result<HousingReportPayload> {
    let id = decode_id(&input.id, REPORT, "id")?;
    let r = advance(
        kernel(ctx)?,
        &request_info(ctx),
        id,
        s,
        input.text.as_deref(),
        input.expected_version,
    )
    .await?;
    Ok(HousingReportPayload {
        report: HousingReport(r),
    })
}

#[Object]
impl HousingReportMutation {
    /// 乡镇上报（本乡镇工作人员，每月一次，数据自动取当时的统计）(a township's monthly report, by
    /// its own staff; the figures are taken now)
    #[graphql(guard = "Permission(perms::REPORT_SUBMIT)")]
    async fn submit_housing_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitHousingReportInput,
    ) -> async_graphql::Result<HousingReportPayload> {
        let t = decode_id(&input.township_id, "OrgUnit", "townshipId")?;
        let r = submit(
            kernel(ctx)?,
            &request_info(ctx),
            t,
            &input.period,
            &input.summary,
        )
        .await?;
        Ok(HousingReportPayload {
            report: HousingReport(r),
        })
    }
    /// 退回后重报（本乡镇，text 为新的上报内容）(send a returned report again; text: the new summary)
    #[graphql(guard = "Permission(perms::REPORT_SUBMIT)")]
    async fn resubmit_housing_report(
        &self,
        ctx: &Context<'_>,
        input: HandleHousingReportInput,
    ) -> async_graphql::Result<HousingReportPayload> {
        step(ctx, input, Step::Resubmit).await
    }
    /// 退回上报（委里，text 为退回理由）(return a report; text: the reason)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn return_housing_report(
        &self,
        ctx: &Context<'_>,
        input: HandleHousingReportInput,
    ) -> async_graphql::Result<HousingReportPayload> {
        step(ctx, input, Step::Return).await
    }
    /// 受理上报（委里）(accept a report)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn accept_housing_report(
        &self,
        ctx: &Context<'_>,
        input: HandleHousingReportInput,
    ) -> async_graphql::Result<HousingReportPayload> {
        step(ctx, input, Step::Accept).await
    }
    /// 办结上报（委里，text 为办结说明）(close an accepted report; text: the note)
    #[graphql(guard = "Permission(perms::REPORT_HANDLE)")]
    async fn close_housing_report(
        &self,
        ctx: &Context<'_>,
        input: HandleHousingReportInput,
    ) -> async_graphql::Result<HousingReportPayload> {
        step(ctx, input, Step::Close).await
    }
}

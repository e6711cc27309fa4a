//! Rewards queries.
use async_graphql::{Context, Object};
use jianan_entity::project;
use jianan_kernel::kernel;
use jianan_kernel::list;
use jianan_kernel::principal::{Permission, principal, request_info};
use jianan_kernel::relay::{KeysetOrder, PageArgs, RelayConnection, SortValue};
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, QueryFilter};

use super::types::{MessagesOfReport, ReceiptReport, RewardBudget, RewardOfReport, RewardReport};
use crate::entity::enums::ReportStatus;
use crate::entity::report;
use crate::perms;
use crate::service;

/// The rewards query root.
#[derive(Default)]
pub struct RewardsQuery;

/// 有奖举报 — queries of the rewards module.
#[Object]
impl RewardsQuery {
    /// 凭回执码和查询密码查看本人举报（无需登录；错误的回执码和错误的密码答复相同）(the report
    /// behind a receipt code and passphrase, without an account; an unknown code and a wrong
    /// passphrase are refused alike)
    async fn report_by_receipt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "回执码 (receipt code)")] receipt_code: String,
        #[graphql(desc = "查询密码 (passphrase)")] passphrase: String,
    ) -> async_graphql::Result<ReceiptReport> {
        let k = kernel(ctx)?;
        let r =
            service::report::by_receipt(k, &request_info(ctx), &receipt_code, &passphrase).await?;
        let messages = service::report::messages(&k.db.conn, r.id).await?;
        Ok(ReceiptReport {
            report: r,
            messages,
        })
    }

    /// 举报列表（办理人员；只见化名），最新的在前 (reports for handlers, pseudonymous, newest first)
    #[graphql(
        guard = "Permission(perms::REPORT_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn reward_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "状态 (statuses)")] statuses: Option<Vec<ReportStatus>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<RewardReport>> {
        let mut select = scoped::<report::Entity>(&principal(ctx));
        if let Some(s) = statuses {
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
        page.prime::<project::Entity>(ctx, "project", |m| m.project_id)
            .await?;
        page.prime_grouped::<MessagesOfReport>(ctx, "messages")
            .await?;
        page.prime_grouped::<RewardOfReport>(ctx, "reward").await?;
        Ok(page.connection(RewardReport))
    }

    /// 年度举报奖励预算：预算、已审批未发放、已发放、可用余额（分）(a year's reward budget and
    /// what its rewards add up to, in fen)
    #[graphql(guard = "Permission(perms::REPORT_READ)")]
    async fn reward_budget(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "年度 (year)")] year: i32,
    ) -> async_graphql::Result<RewardBudget> {
        Ok(RewardBudget::load(&kernel(ctx)?.db.conn, year).await?)
    }
}

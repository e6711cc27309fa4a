//! The hazard ledger export (隐患台账, XLSX through a short-lived signed link).
use async_graphql::{Context, ID, InputObject, Object};
use jianan_kernel::exports::{ExportLink, link};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::decode_id;

use crate::entity::enums::HazardStatus;
use crate::perms;
use crate::service::ledger::{KIND, LedgerParams};

/// 导出隐患台账 — input of `exportHazardLedger`.
#[derive(InputObject, Default)]
pub struct ExportHazardLedgerInput {
    /// 乡镇（街道）；不填为可见范围内全部 (township; all the caller sees when omitted)
    pub township_id: Option<ID>,
    /// 状态；不填为全部 (statuses; all when omitted)
    #[graphql(default)]
    pub statuses: Vec<HazardStatus>,
}

/// Ledger exports.
#[derive(Default)]
pub struct LedgerMutation;

#[Object]
impl LedgerMutation {
    /// 导出隐患台账（XLSX）：返回5分钟内有效的下载链接，浏览器可直接打开；台账在打开时按本人可见范围生成
    /// (export the hazard ledger as XLSX: a download link valid for five minutes that a browser
    /// opens directly; the ledger is made when it is opened, within the caller's scope)
    #[graphql(guard = "Permission(perms::HAZARD_READ)")]
    async fn export_hazard_ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] input: ExportHazardLedgerInput,
    ) -> async_graphql::Result<ExportLink> {
        let params = LedgerParams {
            township_id: input
                .township_id
                .as_ref()
                .map(|t| decode_id(t, "OrgUnit", "townshipId"))
                .transpose()?,
            statuses: input.statuses,
        };
        let params = serde_json::to_value(&params).map_err(jianan_kernel::AppError::internal)?;
        Ok(link(kernel(ctx)?, &principal(ctx), KIND, params)?)
    }
}

//! The township ledger export (危房整治台账, XLSX through a short-lived signed link).
use async_graphql::{Context, ID, Object};
use jianan_kernel::exports::{ExportLink, link};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::decode_id;

use crate::perms;
use crate::service::ledger_export::{KIND, Params, check};

/// Ledger exports.
#[derive(Default)]
pub struct HousingExportMutation;

#[Object]
impl HousingExportMutation {
    /// 导出乡镇危房整治台账（XLSX）：返回5分钟内有效的下载链接，浏览器可直接打开（户主信息已脱敏）
    /// (export a township's house ledger as XLSX: a download link valid for five minutes that a
    /// browser opens directly; owners masked)
    #[graphql(guard = "Permission(perms::LEDGER_READ)")]
    async fn export_house_ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "乡镇（街道）全局编号 (township)")] township_id: ID,
    ) -> async_graphql::Result<ExportLink> {
        let t = decode_id(&township_id, "OrgUnit", "townshipId")?;
        let p = principal(ctx);
        // Refused now rather than when the link is opened.
        check(&p, t)?;
        let params = serde_json::to_value(Params { township_id: t })
            .map_err(jianan_kernel::AppError::internal)?;
        Ok(link(kernel(ctx)?, &p, KIND, params)?)
    }
}

//! Exports: a ledger (台账) as the commission prints it, downloaded by a browser through a
//! short-lived signed link. Any module offers its exports ([`crate::module::Module::exports`]):
//! an [`ExportSource`] names its kind (`module.what`) and produces the file for a caller. A
//! module's mutation checks the request and asks for a link ([`link`]); the link
//! (`/exports/<token>`) carries, signed with the server's token key, the kind, the parameters and
//! who asked (their roles and units, as an access token does), and lasts [`LINK_TTL_SECONDS`].
//! Opening it needs no header, so a browser can follow it; the file is produced at that moment
//! within the asker's scope, and the download is audited ([`download`]).
//!
//! [`xlsx`] writes a table in the printed layout: a title over the columns, the unit and time of
//! making, a bold bordered header repeated on every printed page, landscape A4 fitted to the
//! page width, page numbers in the footer.
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use serde::Serialize;

use crate::Kernel;
use crate::audit::{self, AuditEntry};
use crate::error::{AppError, AppResult};
use crate::principal::{Principal, RequestInfo};

/// How long an export link lasts: five minutes, enough to click it, too short to forward it.
pub const LINK_TTL_SECONDS: i64 = 5 * 60;

/// A produced file.
pub struct ExportFile {
    /// The name the browser saves it as.
    pub file_name: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
    /// Data rows in it (recorded in the audit trail).
    pub rows: usize,
}

/// XLSX's media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An export a module offers.
pub trait ExportSource: Send + Sync {
    /// `module.what`, e.g. `inspections.hazard_ledger`.
    fn kind(&self) -> &'static str;
    /// The file for `who` with `params` (as the module's mutation put them in the link), within
    /// `who`'s row scope.
    fn produce<'a>(
        &'a self,
        k: &'a Kernel,
        who: &'a Principal,
        params: &'a serde_json::Value,
    ) -> BoxFuture<'a, AppResult<ExportFile>>;
}

/// A link to an export.
#[derive(Debug, Clone, Serialize, async_graphql::SimpleObject)]
#[graphql(name = "ExportLink")]
pub struct ExportLink {
    /// 下载地址（相对于服务地址，浏览器可直接打开，无需登录头）(path to open in a browser; no
    /// Authorization header needed)
    pub url: String,
    /// 失效时间（5分钟）(when the link stops working: five minutes)
    pub expires_at: DateTime<Utc>,
}

/// The source of export `kind`, if a module offers it.
pub fn source(k: &Kernel, kind: &str) -> Option<Arc<dyn ExportSource>> {
    k.modules
        .iter()
        .flat_map(|m| m.exports())
        .find(|s| s.kind() == kind)
}

/// A link to export `kind` with `params` for `who` (a person or service account; not an
/// anonymous caller).
pub fn link(
    k: &Kernel,
    who: &Principal,
    kind: &str,
    params: serde_json::Value,
) -> AppResult<ExportLink> {
    who.require_account()?;
    if source(k, kind).is_none() {
        return Err(AppError::internal(format!("export {kind} is not offered")));
    }
    let (token, exp) = k.tokens.issue_export(who, kind, params, LINK_TTL_SECONDS)?;
    Ok(ExportLink {
        url: format!("/exports/{token}"),
        expires_at: DateTime::from_timestamp(exp, 0).unwrap_or_default(),
    })
}

/// The file behind an export link: the token verified (signature, expiry, that it is an export
/// link), the file produced within its asker's scope, the download audited.
pub async fn download(k: &Kernel, token: &str) -> AppResult<ExportFile> {
    let (who, kind, params) = k.tokens.verify_export(token)?;
    let src = source(k, &kind).ok_or_else(|| AppError::not_found("导出"))?;
    let file = src.produce(k, &who, &params).await?;
    let info = RequestInfo {
        principal: Arc::new(who),
        request_id: String::new(),
        client_addr: None,
    };
    let w = k.db.begin_write().await?;
    audit::record(
        &w,
        &info,
        AuditEntry::new("kernel.export.download", "Export", kind.clone())
            .detail(serde_json::json!({ "kind": kind, "params": params, "rows": file.rows })),
    )
    .await?;
    w.commit().await?;
    Ok(file)
}

/// A table to print.
pub struct Table {
    /// 标题, e.g. "某某镇房屋安全隐患台账".
    pub title: String,
    /// The line under the title: unit and time of making.
    pub subtitle: String,
    /// Header and column width (in characters) of each column.
    pub columns: Vec<(&'static str, f64)>,
    pub rows: Vec<Vec<String>>,
}

/// The table as an XLSX workbook of one sheet named `sheet`, in the printed layout.
pub fn xlsx(sheet: &str, t: &Table) -> AppResult<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::internal(format!("xlsx: {e}"));
    let n = u16::try_from(t.columns.len().max(1)).map_err(AppError::internal)?;
    let last_col = n - 1;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(fail)?;
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let sub = Format::new()
        .set_font_size(10)
        .set_align(FormatAlign::Right);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_background_color("#D9E1F2");
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    ws.merge_range(0, 0, 0, last_col, &t.title, &title)
        .map_err(fail)?;
    ws.set_row_height(0, 30).map_err(fail)?;
    ws.merge_range(1, 0, 1, last_col, &t.subtitle, &sub)
        .map_err(fail)?;
    for (c, (header, width)) in t.columns.iter().enumerate() {
        let c = u16::try_from(c).map_err(AppError::internal)?;
        ws.write_string_with_format(2, c, *header, &head)
            .map_err(fail)?;
        ws.set_column_width(c, *width).map_err(fail)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = u32::try_from(r + 3).map_err(AppError::internal)?;
        for (c, value) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(AppError::internal)?;
            ws.write_string_with_format(r, c, value, &cell)
                .map_err(fail)?;
        }
    }
    // Printed: landscape A4, one page wide, the header repeated, page numbers.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(2, 2).map_err(fail)?;
    ws.set_freeze_panes(3, 0).map_err(fail)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    wb.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_table_prints_with_its_title_header_and_rows() {
        let t = Table {
            title: "测试台账".into(),
            subtitle: "制表单位：测试　制表时间：2026-12-03".into(),
            columns: vec![("序号", 6.0), ("内容", 30.0)],
            rows: vec![vec!["1".into(), "甲".into()], vec!["2".into(), "乙".into()]],
        };
        let bytes = xlsx("台账", &t).unwrap();
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("台账").unwrap();
        let cells: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(cells[0][0], "测试台账");
        assert_eq!(cells[2], vec!["序号", "内容"]);
        assert_eq!(cells[3], vec!["1", "甲"]);
        assert_eq!(cells[4], vec!["2", "乙"]);
    }
}

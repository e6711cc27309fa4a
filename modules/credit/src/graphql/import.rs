//! GraphQL of the bureau's bulk import (`importBureauCreditRecords`).
use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use jianan_kernel::kernel;
use jianan_kernel::principal::request_info;
use jianan_kernel::relay::encode_id;

use crate::entity::credit_import;
use crate::service::import::{self, Outcome};

/// 导入市场监管局记录 — input of `importBureauCreditRecords`.
#[derive(InputObject)]
pub struct ImportBureauCreditRecordsInput {
    /// CSV 或 XLSX 文件，第一行为表头：统一社会信用代码、企业名称、记录类别（行政处罚/经营异常名录/
    /// 严重违法失信名单）、决定文书号、决定日期、事由，可选：处罚内容、截止日期、决定机关 (a CSV or
    /// XLSX file whose first row is the header; see docs/credit.md)
    pub file: Upload,
}

/// 导入批次 (an accepted import)
pub struct CreditImport(pub credit_import::Model);

/// 导入批次 (an accepted import)
#[Object]
impl CreditImport {
    /// 全局编号 (global ID)
    async fn id(&self) -> ID {
        encode_id("CreditImport", self.0.id)
    }
    /// 文件的 SHA-256（同一文件再次导入不会重复写入）(the file's SHA-256: the same file again writes nothing)
    async fn file_sha256(&self) -> &str {
        &self.0.file_sha256
    }
    /// 文件名 (file name)
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// 数据行数 (data rows in the file)
    async fn rows(&self) -> i32 {
        self.0.rows
    }
    /// 新增记录数 (records new to the platform)
    async fn imported(&self) -> i32 {
        self.0.imported
    }
    /// 更新截止日期的记录数 (records whose end date changed)
    async fn updated(&self) -> i32 {
        self.0.updated
    }
    /// 已导入且未变的记录数 (records imported before, unchanged)
    async fn unchanged(&self) -> i32 {
        self.0.unchanged
    }
    /// 登记库中没有的企业数 (codes the registry does not know)
    async fn unknown_enterprise_count(&self) -> i32 {
        self.0.unknown_enterprises
    }
    /// 导入时间 (imported at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// 行错误 (one thing wrong with one row)
#[derive(SimpleObject)]
pub struct ImportRowError {
    /// 行号（表头为第1行）(row number; the header is row 1)
    pub row: i32,
    /// 列名（表头中的名称）；为空时指整行 (the column as the header names it; empty: the whole row)
    pub column: Option<String>,
    /// 错误说明 (what is wrong)
    pub message: String,
}

/// 登记库中没有的企业 (a code the registry does not know)
#[derive(SimpleObject)]
pub struct ImportUnknownEnterprise {
    /// 统一社会信用代码 (unified social credit code)
    pub uscc: String,
    /// 文件中的企业名称 (the name in the file)
    pub name: String,
    /// 所在行号 (its rows)
    pub rows: Vec<i32>,
}

/// 导入结果：全部通过才写入，否则列出每一行的错误且不写入任何数据 (the result: written only when
/// every row is valid; otherwise every row's errors and nothing written)
#[derive(SimpleObject)]
pub struct ImportBureauCreditRecordsPayload {
    /// 是否已导入（含重复导入同一文件）(accepted, including a repeat of the same file)
    pub accepted: bool,
    /// 同一文件此前已导入，本次未写入 (the same file was imported before: nothing written now)
    pub repeated: bool,
    /// 导入批次 (the import)
    pub import: Option<CreditImport>,
    /// 行错误（至多1000条）(row errors, at most 1,000)
    pub errors: Vec<ImportRowError>,
    /// 错误总数 (how many errors in all)
    pub error_count: i32,
    /// 登记库中没有的企业：其记录按代码保存，企业登记后自动对应，不会自动新建企业 (codes the
    /// registry does not know: their records are kept under the code and match once the
    /// enterprise is registered; no enterprise is created)
    pub unknown_enterprises: Vec<ImportUnknownEnterprise>,
}

fn small(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<Outcome> for ImportBureauCreditRecordsPayload {
    fn from(o: Outcome) -> Self {
        ImportBureauCreditRecordsPayload {
            accepted: o.import.is_some(),
            repeated: o.repeated,
            import: o.import.map(CreditImport),
            errors: o
                .errors
                .into_iter()
                .map(|e| ImportRowError {
                    row: small(e.row),
                    column: e.column,
                    message: e.message,
                })
                .collect(),
            error_count: small(o.error_count),
            unknown_enterprises: o
                .unknown_enterprises
                .into_iter()
                .map(|u| ImportUnknownEnterprise {
                    uscc: u.uscc,
                    name: u.name,
                    rows: u.rows.into_iter().map(small).collect(),
                })
                .collect(),
        }
    }
}

/// The import mutation.
#[derive(Default)]
pub struct CreditImportMutation;

#[Object]
impl CreditImportMutation {
    /// 导入市场监管局的行政处罚、经营异常名录、严重违法失信名单（仅市场监管局服务账号）：逐行校验，
    /// 全部通过才写入；同一文件重复导入不重复写入 (import the bureau's records, its service account
    /// only: every row validated, all or nothing, idempotent by the file's hash)
    async fn import_bureau_credit_records(
        &self,
        ctx: &Context<'_>,
        input: ImportBureauCreditRecordsInput,
    ) -> async_graphql::Result<ImportBureauCreditRecordsPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx);
        // Refused before the file is even looked at.
        who.principal.require(import::IMPORT)?;
        let value = input.file.value(ctx)?;
        let outcome = import::import(k, &who, &value.filename, value.content).await?;
        Ok(outcome.into())
    }
}

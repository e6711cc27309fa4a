//! Bulk import of the Market Supervision Bureau's records (docs/credit.md, "Import"): one
//! uploaded CSV or XLSX file, validated row by row, written all or nothing, idempotent by the
//! file's SHA-256.
//!
//! - **Who.** Only the bureau's service account (`credit.exchange.import`).
//! - **Validation.** Every row is checked before anything is written; the answer lists every
//!   error (at most [`MAX_ERRORS`]) with its row number and column, and nothing is written.
//! - **Matching.** Enterprises are matched to the registry by unified social credit code. Codes the
//!   registry does not know are reported (with their rows) and their records kept under the code,
//!   never turned into new enterprises: they match once the enterprise is registered.
//! - **Idempotency.** The same file again returns the first import and writes nothing. A record is
//!   one decision document of one kind: a later file that repeats it changes nothing, and one that
//!   gives it a new end date (a listing lifted) updates that date.
//! - **Speed.** Reading, validation and matching are in memory and in batches of
//!   [`CHUNK`] codes; the writes are multi-row inserts in one transaction. 100,000 rows are
//!   measured by the benchmark (BENCHMARKS.md).
//! - The bureau's own records are not echoed back on the change feed; they change no score. They
//!   feed `creditRestrictions` (see [`crate::rules::bureau`]).
use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};

use chrono::{NaiveDate, Utc};
use jianan_entity::enterprise;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::tabular::{self, Row, Table};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::Expr,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::{credit_bureau_record, credit_import};
use crate::rules::bureau::{self, BureauKind, COLUMNS};

/// Permission to import the bureau's records.
pub const IMPORT: &str = "credit.exchange.import";
/// Most data rows one file may hold.
pub const MAX_ROWS: usize = 200_000;
/// Most row errors one answer lists (their total is always given).
pub const MAX_ERRORS: usize = 1_000;
/// Rows per multi-row statement (and codes per `IN` list).
const CHUNK: usize = 500;

/// One thing wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number in the file (the header is row 1).
    pub row: usize,
    /// The column, as the header names it (`None`: the row as a whole).
    pub column: Option<String>,
    pub message: String,
}

/// A code the registry does not know, with the rows that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnterprise {
    pub uscc: String,
    pub name: String,
    pub rows: Vec<usize>,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The import (a new one, or the earlier one of the same file); `None` when refused.
    pub import: Option<credit_import::Model>,
    /// The file had been imported before: nothing was written now.
    pub repeated: bool,
    /// Why it was refused, row by row (empty when accepted).
    pub errors: Vec<RowError>,
    /// How many errors there were in all (`errors` lists at most [`MAX_ERRORS`]).
    pub error_count: usize,
    /// Codes the registry does not know.
    pub unknown_enterprises: Vec<UnknownEnterprise>,
}

/// One valid row.
#[derive(Debug, Clone)]
struct Parsed {
    row: usize,
    kind: BureauKind,
    uscc: String,
    name: String,
    document: String,
    decided: NaiveDate,
    reason: String,
    content: Option<String>,
    until: Option<NaiveDate>,
    authority: String,
}

/// Imports `file` (its name as uploaded, its content).
pub async fn import<R: Read + Seek>(
    k: &Kernel,
    who: &RequestInfo,
    file_name: &str,
    mut file: R,
) -> AppResult<Outcome> {
    who.principal.require(IMPORT)?;
    let digest = sha256_of(&mut file)?;
    if let Some(earlier) = credit_import::Entity::find()
        .filter(credit_import::Column::FileSha256.eq(digest.clone()))
        .one(&k.db.conn)
        .await?
    {
        return Ok(repeated(earlier));
    }
    let mut head = [0u8; 512];
    let n = read_head(&mut file, &mut head)?;
    let format = tabular::detect(file_name, &head[..n])
        .ok_or_else(|| AppError::bad_input("file", "只接受 CSV 或 XLSX 文件（不接受旧版 .xls）"))?;
    let table = tabular::read(&mut file, format, "file", MAX_ROWS)?;
    let (rows, mut errors) = validate(&table, jianan_kernel::calendar::today())?;
    if !errors.is_empty() {
        let error_count = errors.len();
        errors.truncate(MAX_ERRORS);
        return Ok(Outcome {
            import: None,
            repeated: false,
            errors,
            error_count,
            unknown_enterprises: Vec::new(),
        });
    }

    // Match the codes to the registry, a chunk of codes per statement.
    let codes: Vec<String> = {
        let mut seen = HashSet::new();
        rows.iter()
            .filter(|r| seen.insert(r.uscc.as_str()))
            .map(|r| r.uscc.clone())
            .collect()
    };
    let mut known: HashMap<String, Uuid> = HashMap::with_capacity(codes.len());
    for chunk in codes.chunks(CHUNK) {
        let found: Vec<(Uuid, String)> = enterprise::Entity::find()
            .select_only()
            .column(enterprise::Column::Id)
            .column(enterprise::Column::Uscc)
            .filter(enterprise::Column::Uscc.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(&k.db.conn)
            .await?;
        known.extend(found.into_iter().map(|(id, code)| (code, id)));
    }
    let mut unknown: Vec<UnknownEnterprise> = Vec::new();
    let mut unknown_at: HashMap<&str, usize> = HashMap::new();
    for r in rows.iter().filter(|r| !known.contains_key(&r.uscc)) {
        match unknown_at.get(r.uscc.as_str()) {
            Some(&i) => unknown[i].rows.push(r.row),
            None => {
                unknown_at.insert(&r.uscc, unknown.len());
                unknown.push(UnknownEnterprise {
                    uscc: r.uscc.clone(),
                    name: r.name.clone(),
                    rows: vec![r.row],
                });
            }
        }
    }

    let w = k.db.begin_write().await?;
    // Records already here, by (kind, document).
    let mut existing: HashMap<(String, String), (Uuid, Option<NaiveDate>)> = HashMap::new();
    for kind in [
        BureauKind::AdministrativePenalty,
        BureauKind::AbnormalOperation,
        BureauKind::SeriousDishonesty,
    ] {
        let docs: Vec<String> = rows
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.document.clone())
            .collect();
        for chunk in docs.chunks(CHUNK) {
            let found: Vec<(Uuid, String, Option<NaiveDate>)> =
                credit_bureau_record::Entity::find()
                    .select_only()
                    .column(credit_bureau_record::Column::Id)
                    .column(credit_bureau_record::Column::DocumentNumber)
                    .column(credit_bureau_record::Column::InForceUntil)
                    .filter(credit_bureau_record::Column::Kind.eq(kind.as_str()))
                    .filter(
                        credit_bureau_record::Column::DocumentNumber.is_in(chunk.iter().cloned()),
                    )
                    .into_tuple()
                    .all(&*w)
                    .await?;
            for (id, doc, until) in found {
                existing.insert((kind.as_str().to_owned(), doc), (id, until));
            }
        }
    }

    let import_id = Uuid::now_v7();
    let now = Utc::now();
    let (mut imported, mut updated, mut unchanged) = (0i32, 0i32, 0i32);
    let mut fresh: Vec<credit_bureau_record::ActiveModel> = Vec::new();
    for r in &rows {
        let until = bureau::in_force_until(r.kind, r.decided, r.until);
        match existing.get(&(r.kind.as_str().to_owned(), r.document.clone())) {
            Some((_, was)) if *was == until => unchanged += 1,
            Some((id, _)) => {
                credit_bureau_record::Entity::update_many()
                    .col_expr(
                        credit_bureau_record::Column::InForceUntil,
                        Expr::value(until),
                    )
                    .col_expr(credit_bureau_record::Column::UpdatedAt, Expr::value(now))
                    .filter(credit_bureau_record::Column::Id.eq(*id))
                    .exec(&*w)
                    .await?;
                updated += 1;
            }
            None => {
                imported += 1;
                fresh.push(credit_bureau_record::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    import_id: Set(import_id),
                    kind: Set(r.kind.as_str().to_owned()),
                    uscc: Set(r.uscc.clone()),
                    enterprise_id: Set(known.get(&r.uscc).copied()),
                    enterprise_name: Set(r.name.clone()),
                    document_number: Set(r.document.clone()),
                    decided_on: Set(r.decided),
                    reason: Set(r.reason.clone()),
                    content: Set(r.content.clone()),
                    in_force_until: Set(until),
                    authority: Set(r.authority.clone()),
                    row_number: Set(i32::try_from(r.row).unwrap_or(i32::MAX)),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
                if fresh.len() == CHUNK {
                    insert_chunk(&*w, std::mem::take(&mut fresh)).await?;
                }
            }
        }
    }
    insert_chunk(&*w, fresh).await?;
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let batch = credit_import::ActiveModel {
        id: Set(import_id),
        file_sha256: Set(digest.clone()),
        file_name: Set(file_name.chars().take(255).collect()),
        rows: Set(count(rows.len())),
        imported: Set(imported),
        updated: Set(updated),
        unchanged: Set(unchanged),
        unknown_enterprises: Set(count(unknown.len())),
        imported_by: Set(who.principal.account_id),
        created_at: Set(now),
    };
    let batch = match batch.insert(&*w).await {
        Ok(b) => b,
        // The same file, imported concurrently and committed first: ours is dropped.
        Err(e) if jianan_kernel::error::is_unique_violation(&e) => {
            drop(w);
            let earlier = credit_import::Entity::find()
                .filter(credit_import::Column::FileSha256.eq(digest))
                .one(&k.db.conn)
                .await?
                .ok_or_else(|| AppError::internal("import vanished after a unique violation"))?;
            return Ok(repeated(earlier));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &w,
        who,
        AuditEntry::new("credit.bureau_import", "CreditImport", import_id).detail(
            serde_json::json!({
                "sha256": batch.file_sha256,
                "rows": batch.rows,
                "imported": imported,
                "updated": updated,
                "unchanged": unchanged,
                "unknownEnterprises": batch.unknown_enterprises,
            }),
        ),
    )
    .await?;
    w.commit().await?;
    Ok(Outcome {
        import: Some(batch),
        repeated: false,
        errors: Vec::new(),
        error_count: 0,
        unknown_enterprises: unknown,
    })
}

fn repeated(earlier: credit_import::Model) -> Outcome {
    Outcome {
        import: Some(earlier),
        repeated: true,
        errors: Vec::new(),
        error_count: 0,
        unknown_enterprises: Vec::new(),
    }
}

async fn insert_chunk<C: ConnectionTrait>(
    db: &C,
    chunk: Vec<credit_bureau_record::ActiveModel>,
) -> AppResult<()> {
    if !chunk.is_empty() {
        credit_bureau_record::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn sha256_of<R: Read + Seek>(file: &mut R) -> AppResult<String> {
    let unreadable = |_| AppError::bad_input("file", "无法读取上传的文件");
    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    Ok(hex::encode(hasher.finalize()))
}

fn read_head<R: Read + Seek>(file: &mut R, head: &mut [u8]) -> AppResult<usize> {
    let unreadable = |_| AppError::bad_input("file", "无法读取上传的文件");
    let mut n = 0;
    while n < head.len() {
        let got = file.read(&mut head[n..]).map_err(unreadable)?;
        if got == 0 {
            break;
        }
        n += got;
    }
    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    Ok(n)
}

/// Checks every row; returns the valid rows, and every error (empty when all are valid). A
/// missing column is one error on row 1.
fn validate(table: &Table, today: NaiveDate) -> AppResult<(Vec<Parsed>, Vec<RowError>)> {
    let mut errors = Vec::new();
    let mut col: HashMap<&str, usize> = HashMap::new();
    for (name, required) in COLUMNS {
        match table.column(name) {
            Some(i) => {
                col.insert(name, i);
            }
            None if required => errors.push(RowError {
                row: 1,
                column: Some(name.to_owned()),
                message: format!("表头缺少“{name}”列"),
            }),
            None => {}
        }
    }
    if !errors.is_empty() {
        return Ok((Vec::new(), errors));
    }
    if table.rows.is_empty() {
        return Err(AppError::bad_input("file", "文件中没有数据行"));
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut first_row_of: HashMap<(BureauKind, String), usize> = HashMap::new();
    for row in &table.rows {
        if let Some(p) = parse_row(row, &col, today, &mut errors) {
            match first_row_of.get(&(p.kind, p.document.clone())) {
                Some(first) => errors.push(RowError {
                    row: row.number,
                    column: Some(bureau::COL_DOCUMENT.to_owned()),
                    message: format!("与第{first}行的决定文书号重复"),
                }),
                None => {
                    first_row_of.insert((p.kind, p.document.clone()), row.number);
                    rows.push(p);
                }
            }
        }
    }
    Ok((rows, errors))
}

fn parse_row(
    row: &Row,
    col: &HashMap<&str, usize>,
    today: NaiveDate,
    errors: &mut Vec<RowError>,
) -> Option<Parsed> {
    let before = errors.len();
    let cell = |name: &str| -> &str {
        col.get(name)
            .and_then(|i| row.cells.get(*i))
            .map_or("", |s| s.as_str())
    };
    let mut err = |name: &str, message: String| {
        errors.push(RowError {
            row: row.number,
            column: Some(name.to_owned()),
            message,
        })
    };
    let text = |name: &str, max: usize, required: bool, err: &mut dyn FnMut(&str, String)| {
        let v = cell(name);
        if v.is_empty() {
            if required {
                err(name, format!("“{name}”不能为空"));
            }
            None
        } else if v.chars().count() > max {
            err(name, format!("“{name}”不能超过{max}个字符"));
            None
        } else {
            Some(v.to_owned())
        }
    };
    let uscc = jianan_registry::uscc::normalize(cell(bureau::COL_USCC));
    if uscc.is_empty() {
        err(bureau::COL_USCC, "“统一社会信用代码”不能为空".to_owned());
    } else if let Err(e) = jianan_registry::uscc::validate(&uscc) {
        err(bureau::COL_USCC, e.message_zh());
    }
    let name = text(bureau::COL_NAME, 200, true, &mut err);
    let kind = match cell(bureau::COL_KIND) {
        "" => {
            err(bureau::COL_KIND, "“记录类别”不能为空".to_owned());
            None
        }
        label => BureauKind::from_label(label).or_else(|| {
            err(
                bureau::COL_KIND,
                format!("未知的记录类别“{label}”，应为行政处罚、经营异常名录或严重违法失信名单"),
            );
            None
        }),
    };
    let document = text(bureau::COL_DOCUMENT, 100, true, &mut err);
    let mut date = |name: &str, required: bool| match cell(name) {
        "" => {
            if required {
                err(name, format!("“{name}”不能为空"));
            }
            None
        }
        s => bureau::parse_date(s).or_else(|| {
            err(
                name,
                format!("“{name}”不是有效日期：{s}（应如 2026-03-09）"),
            );
            None
        }),
    };
    let decided = date(bureau::COL_DECIDED, true);
    let until = date(bureau::COL_UNTIL, false);
    if let Some(d) = decided.filter(|d| *d > today) {
        err(bureau::COL_DECIDED, format!("决定日期 {d} 晚于今天"));
    }
    if let (Some(d), Some(u)) = (decided, until)
        && u < d
    {
        err(bureau::COL_UNTIL, format!("截止日期 {u} 早于决定日期 {d}"));
    }
    let reason = text(bureau::COL_REASON, 1000, true, &mut err);
    let content = text(bureau::COL_CONTENT, 1000, false, &mut err);
    let authority = text(bureau::COL_AUTHORITY, 100, false, &mut err)
        .unwrap_or_else(|| "区市场监督管理局".to_owned());
    if errors.len() > before {
        return None;
    }
    Some(Parsed {
        row: row.number,
        kind: kind?,
        uscc,
        name: name?,
        document: document?,
        decided: decided?,
        reason: reason?,
        content,
        until,
        authority,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            headers: COLUMNS.iter().map(|(n, _)| (*n).to_owned()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    number: i + 2,
                    cells: cells.iter().map(|c| (*c).to_owned()).collect(),
                })
                .collect(),
        }
    }

    /// Valid codes (GB 32100 check characters worked out by hand from the weights).
    const CODE: &str = "91500156MA5FXC001H";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
    }

    #[test]
    fn every_bad_cell_is_named_with_its_row_and_column() {
        let code = CODE;
        let t = table(&[
            &[
                code,
                "重庆甲建设有限公司",
                "行政处罚",
                "渝武市监罚〔2026〕1号",
                "2026-03-09",
                "未按规定公示年报",
                "罚款5000元",
                "",
                "",
            ],
            &[
                "91500156MA5FXC0010",
                "",
                "黑名单",
                "",
                "2026-02-30",
                "",
                "",
                "",
                "",
            ],
            &[
                code,
                "重庆甲建设有限公司",
                "行政处罚",
                "渝武市监罚〔2026〕1号",
                "2026-03-10",
                "重复",
                "",
                "",
                "",
            ],
            &[
                code,
                "重庆甲建设有限公司",
                "经营异常名录",
                "渝武市监异〔2026〕3号",
                "2027-01-01",
                "未年报",
                "",
                "2026-01-01",
                "",
            ],
        ]);
        let (rows, errors) = match validate(&t, today()) {
            Ok(v) => v,
            Err(e) => panic!("{}", e.message),
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].row, 2);
        let at = |row: usize| -> Vec<String> {
            errors
                .iter()
                .filter(|e| e.row == row)
                .filter_map(|e| e.column.clone())
                .collect()
        };
        assert_eq!(
            at(3),
            [
                "统一社会信用代码",
                "企业名称",
                "记录类别",
                "决定文书号",
                "决定日期",
                "事由"
            ]
        );
        assert_eq!(at(4), ["决定文书号"]);
        assert!(
            errors
                .iter()
                .any(|e| e.row == 4 && e.message.contains("第2行"))
        );
        assert_eq!(at(5), ["决定日期", "截止日期"]);
    }

    #[test]
    fn a_missing_column_is_one_error_on_the_header_row() {
        let mut t = table(&[]);
        t.headers.retain(|h| h != "事由");
        let (rows, errors) = match validate(&t, today()) {
            Ok(v) => v,
            Err(e) => panic!("{}", e.message),
        };
        assert!(rows.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 1);
        assert_eq!(errors[0].column.as_deref(), Some("事由"));
    }
}

//! Reading an uploaded table (CSV or XLSX) into rows of text, for bulk imports: the first
//! non-empty row is the header, later rows keep the row number a person sees in a spreadsheet
//! (the header is row 1), so an error report can say "第 17 行".
//!
//! CSV is RFC 4180 (quotes, doubled quotes, line breaks in quoted fields) in UTF-8, with or
//! without a byte-order mark; a file that is not UTF-8 is read as GB18030 (which covers GBK and
//! GB2312), the encoding Excel uses for "CSV" on Chinese Windows. XLSX is the first worksheet;
//! numbers that are whole are written without a decimal point, dates as `YYYY-MM-DD` (with the
//! time when it is not midnight). A file that is neither, or is broken, is the client's mistake:
//! `BAD_USER_INPUT` on `field`, never `INTERNAL`.
use std::io::{Read, Seek};

use calamine::{Data, Reader, Xlsx};

use crate::error::{AppError, AppResult};

/// Formats a bulk import accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// One data row: its row number in the file (header = 1) and its cells, trimmed, as many as
/// the header has columns (missing cells are empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

/// A table read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column names, trimmed.
    pub headers: Vec<String>,
    /// Data rows; rows whose cells are all empty are skipped.
    pub rows: Vec<Row>,
}

impl Table {
    /// The position of column `name`, if the header has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// Recognises the format from the first bytes (an XLSX file is a ZIP archive) and, failing that,
/// from the file name.
pub fn detect(file_name: &str, head: &[u8]) -> Option<Format> {
    if head.starts_with(b"PK\x03\x04") {
        return Some(Format::Xlsx);
    }
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        return Some(Format::Csv);
    }
    // An old binary .xls (OLE2) or anything else is refused rather than misread.
    (!head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && !head.is_empty() && !head.contains(&0))
        .then_some(Format::Csv)
}

/// Reads the whole table; at most `max_rows` data rows.
pub fn read<R: Read + Seek>(
    mut input: R,
    format: Format,
    field: &str,
    max_rows: usize,
) -> AppResult<Table> {
    let grid = match format {
        Format::Csv => {
            let mut raw = Vec::new();
            input
                .read_to_end(&mut raw)
                .map_err(|_| AppError::bad_input(field, "无法读取上传的文件"))?;
            csv_grid(&raw, field, max_rows)?
        }
        Format::Xlsx => xlsx_grid(input, field, max_rows)?,
    };
    into_table(grid, field, max_rows)
}

fn too_many(field: &str, max_rows: usize) -> AppError {
    AppError::bad_input(field, format!("文件超过{max_rows}行数据，请分批导入"))
}

/// Decodes `raw` as UTF-8 (without its BOM) or, when it is not UTF-8, as GB18030.
fn decode(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    match std::str::from_utf8(raw) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::GB18030.decode(raw).0,
    }
}

/// Rows of (row number, cells), the header included.
type Grid = Vec<(usize, Vec<String>)>;

fn csv_grid(raw: &[u8], field: &str, max_rows: usize) -> AppResult<Grid> {
    let text = decode(raw);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(i + 1, |p| p.line() as usize);
            AppError::bad_input(field, format!("CSV 第{line}行格式错误（引号不匹配？）"))
        })?;
        // The reader's own count is in records; a quoted field with line breaks spans lines,
        // and a person counts rows, so the record number is the row number.
        grid.push((i + 1, record.iter().map(|c| c.trim().to_owned()).collect()));
        if grid.len() > max_rows.saturating_add(1) {
            return Err(too_many(field, max_rows));
        }
    }
    Ok(grid)
}

fn xlsx_grid<R: Read + Seek>(input: R, field: &str, max_rows: usize) -> AppResult<Grid> {
    let bad = || AppError::bad_input(field, "无法读取 XLSX 文件（文件损坏或不是 XLSX 格式）");
    let mut book = Xlsx::new(input).map_err(|_| bad())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::bad_input(field, "XLSX 文件中没有工作表"))?
        .map_err(|_| bad())?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut grid = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        // Spreadsheet row numbers: the range may start below row 1 and right of column A.
        let mut row: Vec<String> = vec![String::new(); first_col];
        row.extend(cells.iter().map(cell_text));
        grid.push((first_row + i + 1, row));
        if grid.len() > max_rows.saturating_add(1) {
            return Err(too_many(field, max_rows));
        }
    }
    Ok(grid)
}

/// A cell as text: whole numbers without a decimal point, dates as ISO dates.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => String::new(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => "#ERROR".to_owned(),
    }
}

fn into_table(grid: Grid, field: &str, max_rows: usize) -> AppResult<Table> {
    let mut rows = grid
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, headers)) = rows.next() else {
        return Err(AppError::bad_input(field, "文件是空的：第一行应为表头"));
    };
    let mut headers = headers;
    while headers.last().is_some_and(|h| h.is_empty()) {
        headers.pop();
    }
    let width = headers.len();
    let rows: Vec<Row> = rows
        .map(|(number, mut cells)| {
            cells.resize(width, String::new());
            Row { number, cells }
        })
        .collect();
    if rows.len() > max_rows {
        return Err(too_many(field, max_rows));
    }
    Ok(Table { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn csv(text: &[u8]) -> Table {
        match read(Cursor::new(text.to_vec()), Format::Csv, "file", 100) {
            Ok(t) => t,
            Err(e) => panic!("{}", e.message),
        }
    }

    #[test]
    fn csv_rows_keep_the_numbers_a_person_sees() {
        let t = csv(
            "\u{feff}统一社会信用代码,名称, 备注 \n91500156MA5FXC0017,\"重庆某建设有限公司\",\"两行\n备注\"\n\n,,\n915001,\"带\"\"引号\"\"的名称\"\n"
                .as_bytes(),
        );
        assert_eq!(t.headers, ["统一社会信用代码", "名称", "备注"]);
        assert_eq!(t.column("备注"), Some(2));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].number, 2);
        assert_eq!(t.rows[0].cells[2], "两行\n备注");
        // The blank line and the row of empty cells are skipped but still counted.
        assert_eq!(t.rows[1].number, 4);
        assert_eq!(t.rows[1].cells, ["915001", "带\"引号\"的名称", ""]);
    }

    #[test]
    fn csv_in_gbk_is_read_as_gb18030() {
        let (bytes, _, _) = encoding_rs::GBK.encode("名称,金额\n重庆某公司,100\n");
        let t = csv(&bytes);
        assert_eq!(t.headers, ["名称", "金额"]);
        assert_eq!(t.rows[0].cells, ["重庆某公司", "100"]);
    }

    #[test]
    fn bad_files_are_the_clients_mistake() {
        let e = read(Cursor::new(b"\n\n".to_vec()), Format::Csv, "file", 10).err();
        assert!(e.is_some_and(|e| e.message.contains("表头")));
        let e = read(
            Cursor::new(b"PK\x03\x04junk".to_vec()),
            Format::Xlsx,
            "file",
            10,
        )
        .err();
        assert!(e.is_some_and(|e| e.message.contains("XLSX")));
        let many = "h\n".to_owned() + &"1\n".repeat(11);
        let e = read(Cursor::new(many.into_bytes()), Format::Csv, "file", 10).err();
        assert!(e.is_some_and(|e| e.message.contains("10")));
    }

    #[test]
    fn the_format_comes_from_the_bytes_then_the_name() {
        assert_eq!(detect("x.csv", b"PK\x03\x04..."), Some(Format::Xlsx));
        assert_eq!(detect("records.CSV", b"a,b"), Some(Format::Csv));
        assert_eq!(detect("records", b"a,b\n"), Some(Format::Csv));
        assert_eq!(detect("old.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0]), None);
        assert_eq!(detect("image", &[0x89, b'P', b'N', b'G', 0, 0]), None);
    }

    #[test]
    fn xlsx_cells_read_as_text() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 9).ok();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let ok = sheet.write_string(0, 0, "统一社会信用代码").is_ok()
            && sheet.write_string(0, 1, "金额").is_ok()
            && sheet.write_string(0, 2, "决定日期").is_ok()
            && sheet.write_string(1, 0, "91500156MA5FXC0017").is_ok()
            && sheet.write_number(1, 1, 5000.0).is_ok()
            && date
                .as_ref()
                .is_some_and(|d| sheet.write_datetime_with_format(1, 2, d, &format).is_ok())
            && sheet.write_number(3, 1, 12.5).is_ok();
        assert!(ok);
        let Ok(bytes) = book.save_to_buffer() else {
            panic!("xlsx written")
        };
        assert_eq!(detect("anything", &bytes), Some(Format::Xlsx));
        let t = match read(Cursor::new(bytes), Format::Xlsx, "file", 10) {
            Ok(t) => t,
            Err(e) => panic!("{}", e.message),
        };
        assert_eq!(t.headers, ["统一社会信用代码", "金额", "决定日期"]);
        assert_eq!(t.rows[0].number, 2);
        assert_eq!(
            t.rows[0].cells,
            ["91500156MA5FXC0017", "5000", "2026-03-09"]
        );
        assert_eq!(t.rows[1].number, 4);
        assert_eq!(t.rows[1].cells, ["", "12.5", ""]);
    }
}

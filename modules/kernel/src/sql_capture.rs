//! A record of every SQL statement the server runs, with its bound values, for the benchmark's
//! SQL floor (docs/performance.md): the benchmark sends one request of an operation to a
//! server started with `sql_capture_file`, reads back the statements that request ran, and then
//! executes exactly those statements — same text, same values, prepared the same way — straight
//! against the database, with no HTTP and no GraphQL, to measure what the operation would cost
//! if the platform itself cost nothing.
//!
//! The file holds real values (credit codes, hashes of tokens, names), so the setting is refused
//! in production mode (`api::config`). Values are written tagged with their SQL type
//! ([`value_to_json`]) so they are bound back with the same type ([`value_from_json`]): a UUID
//! replayed as text would be a different statement on PostgreSQL and miss the index on SQLite,
//! where UUIDs are stored as blobs.
use std::io::Write;
use std::sync::Mutex;

use sea_orm::sea_query::{OptionEnum, Value};
use sea_orm::{DatabaseBackend, Statement};
use serde_json::{Value as Json, json};

/// One captured statement, a line of the capture file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CapturedStatement {
    /// Microseconds since the Unix epoch when the statement finished.
    pub at_us: i64,
    pub sql: String,
    /// Tagged values ([`value_to_json`]); `None` for a statement without parameters.
    pub values: Option<Vec<Json>>,
    /// Whether the database refused it.
    pub failed: bool,
}

impl CapturedStatement {
    /// The statement to execute again, or `None` when a value has a type the capture cannot
    /// carry (none of the platform's columns has one).
    pub fn statement(&self, backend: DatabaseBackend) -> Option<Statement> {
        match &self.values {
            None => Some(Statement::from_string(backend, self.sql.clone())),
            Some(vs) => {
                let values = vs
                    .iter()
                    .map(value_from_json)
                    .collect::<Option<Vec<Value>>>()?;
                Some(Statement::from_sql_and_values(
                    backend,
                    self.sql.clone(),
                    values,
                ))
            }
        }
    }
}

/// Appends statements to a file, one JSON object a line, flushed at once (the benchmark reads
/// the file while the server runs).
pub struct SqlCapture {
    file: Mutex<std::fs::File>,
}

impl SqlCapture {
    pub fn create(path: &std::path::Path) -> std::io::Result<SqlCapture> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(SqlCapture {
            file: Mutex::new(file),
        })
    }

    /// Records one statement; a failure to write is logged, never the request's failure.
    pub fn record(&self, statement: &Statement, failed: bool) {
        let line = CapturedStatement {
            at_us: chrono::Utc::now().timestamp_micros(),
            sql: statement.sql.clone(),
            values: statement
                .values
                .as_ref()
                .map(|v| v.0.iter().map(value_to_json).collect()),
            failed,
        };
        let Ok(mut text) = serde_json::to_string(&line) else {
            return;
        };
        text.push('\n');
        let Ok(mut f) = self.file.lock() else { return };
        if let Err(e) = f.write_all(text.as_bytes()) {
            tracing::warn!(error = %e, "SQL capture: write failed");
        }
    }
}

/// A bound value as `{"t": type, "v": value}`; `v` is null for SQL NULL.
pub fn value_to_json(v: &Value) -> Json {
    fn t<T: serde::Serialize>(tag: &str, v: &Option<T>) -> Json {
        json!({ "t": tag, "v": v })
    }
    match v {
        Value::Bool(x) => t("bool", x),
        Value::TinyInt(x) => t("i8", x),
        Value::SmallInt(x) => t("i16", x),
        Value::Int(x) => t("i32", x),
        Value::BigInt(x) => t("i64", x),
        Value::TinyUnsigned(x) => t("u8", x),
        Value::SmallUnsigned(x) => t("u16", x),
        Value::Unsigned(x) => t("u32", x),
        Value::BigUnsigned(x) => t("u64", x),
        Value::Float(x) => t("f32", x),
        Value::Double(x) => t("f64", x),
        Value::String(x) => t("string", x),
        Value::Char(x) => t("char", x),
        Value::Bytes(x) => t("bytes", &x.as_ref().map(hex::encode)),
        Value::Json(x) => t("json", &x.as_deref()),
        Value::ChronoDate(x) => t("date", x),
        Value::ChronoTime(x) => t("time", x),
        Value::ChronoDateTime(x) => t("datetime", x),
        Value::ChronoDateTimeUtc(x) => t("datetime_utc", x),
        Value::ChronoDateTimeLocal(x) => t("datetime_utc", &x.map(|d| d.to_utc())),
        Value::ChronoDateTimeWithTimeZone(x) => t("datetime_tz", x),
        Value::Uuid(x) => t("uuid", x),
        Value::Enum(OptionEnum::Some(_)) | Value::Enum(OptionEnum::None(_)) => {
            json!({ "t": "unsupported", "v": format!("{v:?}") })
        }
        #[allow(unreachable_patterns)]
        other => json!({ "t": "unsupported", "v": format!("{other:?}") }),
    }
}

/// The value [`value_to_json`] wrote, or `None` for a tag it does not know.
pub fn value_from_json(j: &Json) -> Option<Value> {
    fn de<T: serde::de::DeserializeOwned>(v: &Json) -> Option<Option<T>> {
        serde_json::from_value(v.clone()).ok()
    }
    let v = j.get("v")?;
    Some(match j.get("t")?.as_str()? {
        "bool" => Value::Bool(de(v)?),
        "i8" => Value::TinyInt(de(v)?),
        "i16" => Value::SmallInt(de(v)?),
        "i32" => Value::Int(de(v)?),
        "i64" => Value::BigInt(de(v)?),
        "u8" => Value::TinyUnsigned(de(v)?),
        "u16" => Value::SmallUnsigned(de(v)?),
        "u32" => Value::Unsigned(de(v)?),
        "u64" => Value::BigUnsigned(de(v)?),
        "f32" => Value::Float(de(v)?),
        "f64" => Value::Double(de(v)?),
        "string" => Value::String(de(v)?),
        "char" => Value::Char(de(v)?),
        "bytes" => Value::Bytes(match v.as_str() {
            Some(h) => Some(hex::decode(h).ok()?),
            None => None,
        }),
        "json" => Value::Json(if v.is_null() {
            None
        } else {
            Some(Box::new(v.clone()))
        }),
        "date" => Value::ChronoDate(de(v)?),
        "time" => Value::ChronoTime(de(v)?),
        "datetime" => Value::ChronoDateTime(de(v)?),
        "datetime_utc" => Value::ChronoDateTimeUtc(de(v)?),
        "datetime_tz" => Value::ChronoDateTimeWithTimeZone(de(v)?),
        "uuid" => Value::Uuid(de(v)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn every_value_the_platform_binds_comes_back_the_same() {
        let values = vec![
            Value::Bool(Some(true)),
            Value::Int(Some(-7)),
            Value::BigInt(Some(1 << 40)),
            Value::BigInt(None),
            Value::Double(Some(29.5)),
            Value::String(Some("渝武建〔2026〕1号".into())),
            Value::String(None),
            Value::Bytes(Some(vec![0, 1, 254, 255])),
            Value::Json(Some(Box::new(json!({"a": [1, "二"]})))),
            Value::ChronoDate(Some(
                NaiveDate::from_ymd_opt(2026, 2, 28).unwrap_or_default(),
            )),
            Value::ChronoDateTimeUtc(Some(
                Utc.with_ymd_and_hms(2026, 12, 3, 8, 30, 1)
                    .single()
                    .unwrap_or_default(),
            )),
            Value::Uuid(Some(uuid::Uuid::from_u128(
                0x0193_0000_0000_7000_8000_0000_0000_0001,
            ))),
            Value::Uuid(None),
        ];
        for v in values {
            let back = value_from_json(&value_to_json(&v));
            assert_eq!(back.as_ref(), Some(&v), "{v:?}");
        }
    }

    #[test]
    fn an_unknown_tag_is_not_replayed() {
        assert!(value_from_json(&json!({"t": "unsupported", "v": "x"})).is_none());
        let c = CapturedStatement {
            at_us: 0,
            sql: "SELECT $1".into(),
            values: Some(vec![json!({"t": "unsupported", "v": "x"})]),
            failed: false,
        };
        assert!(c.statement(DatabaseBackend::Postgres).is_none());
    }
}

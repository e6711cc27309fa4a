//! Scalars of the API whose library names would leak implementation details.
use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;
use serde::Serialize;

/// 日期，格式 YYYY-MM-DD（Asia/Shanghai 日历日）— a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

/// 日期，格式 YYYY-MM-DD（Asia/Shanghai 日历日）
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("日期格式应为 YYYY-MM-DD：{s}"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    // Checked during validation too, so a malformed literal or variable is the client's
    // BAD_USER_INPUT before anything runs.
    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

impl From<Date> for NaiveDate {
    fn from(d: Date) -> Self {
        d.0
    }
}

/// 金额（分），十进制整数字符串，如 "1250000" 表示 12500.00 元 — an amount of money in fen.
///
/// GraphQL's `Int` is 32 bits (at most 21,474,836.47 yuan in fen) and JavaScript numbers are exact
/// only to 2^53, so money travels as a string of digits, exact to 64 bits. Input also accepts an
/// integer literal. Money is never a floating-point number (docs/api-conventions.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// 金额（分），十进制整数字符串，可达64位，如 "1250000" 表示 12500.00 元；输入也接受整数
/// (money in fen as a string of decimal digits, exact to 64 bits; input also accepts an integer)
#[Scalar(name = "Fen")]
impl ScalarType for Fen {
    fn parse(value: Value) -> InputValueResult<Self> {
        let parsed = match &value {
            Value::String(s) => {
                let digits = s.strip_prefix('-').unwrap_or(s);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    s.parse::<i64>().ok()
                }
            }
            Value::Number(n) => n.as_i64(),
            _ => return Err(InputValueError::expected_type(value)),
        };
        parsed
            .map(Fen)
            .ok_or_else(|| InputValueError::custom("金额应为以分为单位的整数（不超过64位）"))
    }

    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn fen_is_exact_beyond_32_and_53_bits() {
        // 2^31 fen ≈ 21.47 million yuan: past GraphQL Int; 2^53 + 1: past a JavaScript number.
        for raw in [
            "2147483648",
            "9007199254740993",
            "9223372036854775807",
            "-5",
            "0",
        ] {
            let f = Fen::parse(Value::String(raw.into())).unwrap();
            assert_eq!(f.to_value(), Value::String(raw.into()));
        }
        assert_eq!(Fen::parse(Value::from(1250000)).unwrap(), Fen(1_250_000));
        for bad in [
            "",
            "12.5",
            "1e6",
            "9223372036854775808",
            "１２",
            " 12",
            "+12",
        ] {
            assert!(Fen::parse(Value::String(bad.into())).is_err(), "{bad}");
        }
        assert!(Fen::parse(Value::from(12.5)).is_err());
        assert!(Fen::parse(Value::Boolean(true)).is_err());
    }
}

//! Input validators every module shares: required and optional text with length limits (counted
//! in characters, not bytes), mainland mobile numbers. Each returns `BAD_USER_INPUT` naming the
//! input field, with a Chinese message that says what is wrong.
use crate::error::{AppError, AppResult};

/// Trims a required text input and checks its length (in characters).
pub fn required_text(field: &str, label: &str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::bad_input(field, format!("{label}不能为空")));
    }
    if v.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("{label}不能超过{max}个字符"),
        ));
    }
    Ok(v.to_owned())
}

/// Trims an optional text input; empty or blank becomes `None`.
pub fn optional_text(
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> AppResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required_text(field, label, v, max).map(Some),
    }
}

/// A mainland mobile number: 11 digits starting with 1 (blank becomes `None`).
pub fn phone(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.len() == 11 && v.starts_with('1') && v.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(v.to_owned()))
    } else {
        Err(AppError::bad_input(field, "手机号码应为以1开头的11位数字"))
    }
}

/// At most `max` items in a list input.
pub fn at_most<T>(field: &str, label: &str, items: &[T], max: usize) -> AppResult<()> {
    if items.len() > max {
        return Err(AppError::bad_input(field, format!("{label}最多{max}项")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn required_text_trims_and_counts_characters_not_bytes() {
        assert_eq!(
            required_text("name", "名称", "  甲乙  ", 2).unwrap(),
            "甲乙"
        );
        let long = required_text("name", "名称", "甲乙丙", 2).unwrap_err();
        assert_eq!(long.field.as_deref(), Some("name"));
        assert_eq!(long.message, "名称不能超过2个字符");
        let empty = required_text("name", "名称", "   ", 2).unwrap_err();
        assert_eq!(empty.message, "名称不能为空");
    }

    #[test]
    fn optional_text_turns_blank_into_none() {
        assert_eq!(optional_text("n", "备注", Some("  "), 5).unwrap(), None);
        assert_eq!(optional_text("n", "备注", None, 5).unwrap(), None);
        assert_eq!(
            optional_text("n", "备注", Some(" a "), 5).unwrap(),
            Some("a".into())
        );
        assert!(optional_text("n", "备注", Some("abcdef"), 5).is_err());
    }

    #[test]
    fn phone_accepts_only_mainland_mobile_numbers() {
        assert_eq!(
            phone("phone", Some("13800138000")).unwrap(),
            Some("13800138000".into())
        );
        assert_eq!(phone("phone", Some(" ")).unwrap(), None);
        for bad in ["23800138000", "1380013800", "1380013800a", "+8613800138000"] {
            assert!(phone("phone", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn at_most_bounds_lists() {
        assert!(at_most("ids", "编号", &[1, 2], 2).is_ok());
        assert_eq!(
            at_most("ids", "编号", &[1, 2, 3], 2).unwrap_err().message,
            "编号最多2项"
        );
    }
}

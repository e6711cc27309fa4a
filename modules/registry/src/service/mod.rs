//! Registry domain logic as plain functions over the kernel: resolvers stay thin.
pub mod account;
pub mod auth;
pub mod enterprise;
pub mod org_unit;
pub mod project;

use jianan_kernel::{AppError, AppResult};

/// Trims a required text input and checks its length (in characters).
pub(crate) fn required_text(
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> AppResult<String> {
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

/// Trims an optional text input; empty becomes `None`.
pub(crate) fn optional_text(
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

/// A mainland mobile number: 11 digits starting with 1.
pub(crate) fn phone(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.len() == 11 && v.starts_with('1') && v.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(v.to_owned()))
    } else {
        Err(AppError::bad_input(field, "手机号码应为以1开头的11位数字"))
    }
}

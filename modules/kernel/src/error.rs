//! The platform's error type and its fixed set of client codes (docs/api-conventions.md).
//!
//! [`AppError`] deliberately does not implement `Display`/`std::error::Error`: async-graphql turns
//! anything that does into a client message verbatim, which would leak SQL or paths. Converting
//! through `From<AppError> for async_graphql::Error` is the only way out to a client.
use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// `extensions.code` of every GraphQL error the platform returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 未登录或凭据无效
    Unauthenticated,
    /// 无权限
    Forbidden,
    /// 输入有误 (with `extensions.field`)
    BadUserInput,
    /// 记录不存在或不可见
    NotFound,
    /// 版本冲突或唯一性冲突
    Conflict,
    /// 请求过于频繁
    RateLimited,
    /// 内部错误 (details only in the server log)
    Internal,
}

impl ErrorCode {
    /// The stable string clients match on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
        }
    }
}

/// An error on its way to a client: a code, a Chinese message safe to show, and for input errors
/// the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

/// Result of every kernel and service function.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }
    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "请先登录")
    }
    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "没有执行此操作的权限")
    }
    /// An input error on one field (the GraphQL input field name, camelCase).
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::BadUserInput,
            message: message.into(),
            field: Some(field.into()),
        }
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what}不存在或无权查看"))
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }
    /// The record changed since the caller read it (`expectedVersion` mismatch).
    pub fn stale_version() -> Self {
        Self::new(ErrorCode::Conflict, "记录已被他人修改，请刷新后重试")
    }
    pub fn rate_limited() -> Self {
        Self::new(ErrorCode::RateLimited, "请求过于频繁，请稍后再试")
    }
    /// An internal failure: the cause goes to the log (with a correlation id), the client sees a
    /// generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let incident = uuid::Uuid::now_v7();
        tracing::error!(%incident, %cause, "internal error");
        Self::new(
            ErrorCode::Internal,
            format!("服务器内部错误（事件编号 {incident}）"),
        )
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        Self::internal(err)
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let code = err.code.as_str();
        let field = err.field;
        async_graphql::Error::new(err.message).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(field) = &field {
                ext.set("field", field.as_str());
            }
        })
    }
}

/// True when a database error is a unique-constraint violation (on either backend).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

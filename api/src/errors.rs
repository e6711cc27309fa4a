//! The error policy of every operation (docs/api-conventions.md#errors), as a schema extension so
//! that HTTP and WebSocket operations get the same treatment:
//!
//! - every error carries `extensions.code` from the fixed set;
//! - errors of the GraphQL engine itself (parse, validation, limits) and errors raised while an
//!   argument is coerced (an `Int` outside 32 bits, a validator's bound, a malformed `Date`) are
//!   `BAD_USER_INPUT`, with a Chinese message and, where one is at fault, the argument or input
//!   field in `extensions.field`;
//! - a resolver error without a code is a server fault: `INTERNAL`, logged with an incident id,
//!   and the client sees only that id (no English text from a library reaches it);
//! - a panicking resolver is caught: its field is `INTERNAL` with an incident id (logged with the
//!   panic), the rest of the response resolves, and the server keeps serving.
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextResolve,
    ResolveInfo,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Pos, Response, ServerError, ServerResult, Value, Variables};
use futures_util::FutureExt;
use jianan_kernel::{AppError, ErrorCode};

/// The extension factory to register on the schema.
pub struct ErrorPolicy;

impl ExtensionFactory for ErrorPolicy {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorPolicyExtension::default())
    }
}

#[derive(Default)]
struct Arguments {
    /// Keyed by the position of the argument's value: that is where async-graphql places an error
    /// raised while coercing it.
    by_pos: HashMap<Pos, (String, Value)>,
    /// The arguments of each field, keyed by the field's position: where an argument fails
    /// coercion while the complexity of the query is computed (`first`, `last`).
    by_field: HashMap<Pos, Vec<(String, Value)>>,
}

#[derive(Default)]
struct ErrorPolicyExtension {
    arguments: Mutex<Arguments>,
}

fn collect_arguments(set: &SelectionSet, variables: &Variables, out: &mut Arguments) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                for (name, value) in &f.node.arguments {
                    let resolved = value
                        .node
                        .clone()
                        .into_const_with(|v: Name| variables.get(&v).cloned().ok_or(()))
                        .unwrap_or(Value::Null);
                    out.by_field
                        .entry(f.node.name.pos)
                        .or_default()
                        .push((name.node.to_string(), resolved.clone()));
                    out.by_pos
                        .insert(value.pos, (name.node.to_string(), resolved));
                }
                collect_arguments(&f.node.selection_set.node, variables, out);
            }
            Selection::InlineFragment(f) => {
                collect_arguments(&f.node.selection_set.node, variables, out);
            }
            // Fragment definitions are walked once each, below.
            Selection::FragmentSpread(_) => {}
        }
    }
}

#[async_trait::async_trait]
impl Extension for ErrorPolicyExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        let arguments = match self.arguments.lock() {
            Ok(mut a) => std::mem::take(&mut *a),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        for e in &mut response.errors {
            classify(e, &arguments);
        }
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let mut found = Arguments::default();
        for (_, op) in doc.operations.iter() {
            collect_arguments(&op.node.selection_set.node, variables, &mut found);
        }
        for frag in doc.fragments.values() {
            collect_arguments(&frag.node.selection_set.node, variables, &mut found);
        }
        let mut a = match self.arguments.lock() {
            Ok(a) => a,
            Err(poisoned) => poisoned.into_inner(),
        };
        *a = found;
        Ok(doc)
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let pos = info.field.name.pos;
        let field = format!("{}.{}", info.parent_type, info.name);
        match AssertUnwindSafe(next.run(ctx, info)).catch_unwind().await {
            Ok(result) => result,
            Err(panic) => Err(panicked(&field, pos, panic.as_ref())),
        }
    }
}

/// The error for a resolver that panicked: the panic and an incident id go to the log, the
/// client gets the incident id only.
fn panicked(field: &str, pos: Pos, panic: &(dyn std::any::Any + Send)) -> ServerError {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned());
    let e = AppError::internal(format!("resolver {field} panicked: {what}"));
    coded(
        ServerError::new(e.message, Some(pos)),
        ErrorCode::Internal,
        None,
    )
}

fn coded(mut e: ServerError, code: ErrorCode, field: Option<&str>) -> ServerError {
    let ext = e.extensions.get_or_insert_with(Default::default);
    ext.set("code", code.as_str());
    if let Some(f) = field {
        ext.set("field", f);
    }
    e
}

fn has_code(e: &ServerError) -> bool {
    e.extensions
        .as_ref()
        .is_some_and(|x| x.get("code").is_some())
}

/// Gives an error without a code its code, field and Chinese message.
fn classify(e: &mut ServerError, arguments: &Arguments) {
    if has_code(e) {
        return;
    }
    if let Some(field) = coercion_at_field(e, arguments) {
        e.message = argument_error(&field, &e.message);
        *e = coded(e.clone(), ErrorCode::BadUserInput, Some(&field));
        return;
    }
    if e.path.is_empty() {
        // Parse and validation errors, and the depth / complexity / batch limits.
        let (message, field) = request_error(&e.message);
        e.message = message;
        *e = coded(e.clone(), ErrorCode::BadUserInput, field.as_deref());
        return;
    }
    let at_argument = e
        .locations
        .first()
        .and_then(|pos| arguments.by_pos.get(pos));
    if let Some((name, value)) = at_argument {
        // Raised while coercing an argument, before the resolver ran.
        let field = inner_field(&e.message, value).unwrap_or_else(|| name.clone());
        e.message = argument_error(&field, &e.message);
        *e = coded(e.clone(), ErrorCode::BadUserInput, Some(&field));
        return;
    }
    // Anything else without a code is a fault of ours: log it, show only the incident id.
    let path = e
        .path
        .iter()
        .map(|s| match s {
            async_graphql::PathSegment::Field(f) => f.clone(),
            async_graphql::PathSegment::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".");
    let internal = AppError::internal(format!("{path}: {}", e.message));
    e.message = internal.message;
    *e = coded(e.clone(), ErrorCode::Internal, None);
}

/// An argument that failed coercion while the query's complexity was computed: the error sits at
/// the field, so the argument is the one whose number does not fit.
fn coercion_at_field(e: &ServerError, arguments: &Arguments) -> Option<String> {
    if !e.message.starts_with("Failed to parse ") {
        return None;
    }
    let args = arguments.by_field.get(e.locations.first()?)?;
    args.iter()
        .find_map(|(name, v)| match inner_field(&e.message, v) {
            Some(inner) => Some(inner),
            None => matches!(v, Value::Number(n) if n.as_i64().is_none_or(|i| i32::try_from(i).is_err()))
                .then(|| name.clone()),
        })
}

/// The text between the first pair of double quotes after `marker`.
fn quoted_after<'a>(message: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    Some(&rest[start..start + len])
}

/// The last name of a path such as `input.hazards.0.level`.
fn last_name(path: &str) -> String {
    path.rsplit('.')
        .find(|s| s.parse::<usize>().is_err())
        .unwrap_or(path)
        .to_owned()
}

/// A Chinese message (the engine's own text kept in brackets, for developers) and the argument
/// or input field at fault, if any.
fn request_error(english: &str) -> (String, Option<String>) {
    let (chinese, field): (String, Option<String>) =
        if let Some(path) = quoted_after(english, "Invalid value for argument ") {
            let field = last_name(path);
            let chinese = if let Some(ty) = quoted_after(english, "enumeration type ") {
                format!("参数 {field} 的取值不是 {ty} 的有效值")
            } else if let Some(missing) = quoted_after(english, ", field ")
                && english.contains("is required but not provided")
            {
                return (
                    format!("请求无效：缺少必填字段 {missing}（{english}）"),
                    Some(missing.to_owned()),
                );
            } else if let Some(ty) = quoted_after(english, "expected type ") {
                format!("参数 {field} 的类型不正确，应为 {ty}")
            } else {
                format!("参数 {field} 的值无效")
            };
            (chinese, Some(field))
        } else if english.contains("is required but not provided")
            && let Some(arg) = quoted_after(english, " argument ")
        {
            (format!("缺少必填参数 {arg}"), Some(arg.to_owned()))
        } else if let Some(arg) = quoted_after(english, "Unknown argument ") {
            (format!("未知参数 {arg}"), Some(arg.to_owned()))
        } else if let Some(f) = quoted_after(english, "Unknown field ") {
            (format!("未知字段 {f}"), None)
        } else if english.contains("nested too deep") {
            ("查询嵌套过深".to_owned(), None)
        } else if english.contains("too complex") {
            ("查询过于复杂".to_owned(), None)
        } else if english.starts_with("Variable ") {
            ("变量有误".to_owned(), None)
        } else {
            return (format!("请求无效：{english}"), None);
        };
    (format!("请求无效：{chinese}（{english}）"), field)
}

/// The Chinese message of an argument that failed coercion.
fn argument_error(field: &str, english: &str) -> String {
    let lower = english.to_lowercase();
    if let Some(range) = english
        .find("Only integers from ")
        .map(|i| &english[i + "Only integers from ".len()..])
    {
        // "-2147483648 to 2147483647 are accepted."
        let range = range.split(" are accepted").next().unwrap_or(range);
        let range = range.replace(" to ", " 到 ");
        return format!("参数 {field} 超出范围：整数应在 {range} 之间");
    }
    if let Some(n) = english
        .split("must be greater than or equal to ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit() && c != '-').next())
    {
        return format!("参数 {field} 不能小于 {n}");
    }
    if let Some(n) = english
        .split("must be less than or equal to ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit() && c != '-').next())
    {
        return format!("参数 {field} 不能大于 {n}");
    }
    if lower.contains("\"date\"") || lower.contains("\"datetime\"") {
        return format!("参数 {field} 不是有效的日期或时间（{english}）");
    }
    format!("参数 {field} 的值无效（{english}）")
}

/// Inside an input object, the field whose number does not fit a 32-bit `Int` or breaks a
/// validator's bound (the engine names only the whole argument).
fn inner_field(english: &str, value: &Value) -> Option<String> {
    // The number at fault: one beyond 32 bits, or the one a validator quotes ("the value is N").
    let quoted: Option<i64> = english
        .split("the value is ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit() && c != '-').next())
        .and_then(|n| n.parse().ok());
    if quoted.is_none() && !english.contains("Only integers from") {
        return None;
    }
    let at_fault = |n: &async_graphql::Number| match quoted {
        Some(q) => n.as_i64() == Some(q),
        None => n.as_i64().is_none_or(|i| i32::try_from(i).is_err()),
    };
    fn find(
        v: &Value,
        key: Option<&str>,
        at_fault: &dyn Fn(&async_graphql::Number) -> bool,
    ) -> Option<String> {
        match v {
            Value::Number(n) => at_fault(n).then(|| key.map(str::to_owned)).flatten(),
            Value::Object(map) => map
                .iter()
                .find_map(|(k, v)| find(v, Some(k.as_str()), at_fault)),
            Value::List(items) => items.iter().find_map(|v| find(v, key, at_fault)),
            _ => None,
        }
    }
    find(value, None, &at_fault)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};

    struct Q;

    #[Object]
    impl Q {
        /// fine
        async fn fine(&self) -> i32 {
            1
        }
        /// boom
        async fn boom(&self) -> i32 {
            if std::hint::black_box(true) {
                panic!("a bug in a resolver")
            }
            0
        }
        /// an argument
        async fn echo(&self, #[graphql(validator(minimum = 0))] n: i32) -> i32 {
            n
        }
        /// a plain resolver error
        async fn failing(&self) -> async_graphql::Result<i32> {
            Err(async_graphql::Error::new(
                "connection refused at /var/run/db.sock",
            ))
        }
    }

    fn schema() -> Schema<Q, EmptyMutation, EmptySubscription> {
        Schema::build(Q, EmptyMutation, EmptySubscription)
            .extension(ErrorPolicy)
            .finish()
    }

    fn ext(e: &ServerError, key: &str) -> Option<String> {
        match e.extensions.as_ref()?.get(key)? {
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    #[tokio::test]
    async fn a_panicking_resolver_is_internal_with_an_incident_and_the_rest_resolves() {
        let s = schema();
        let r = s.execute("{ fine boom }").await;
        assert_eq!(r.errors.len(), 1, "{r:?}");
        let e = &r.errors[0];
        assert_eq!(ext(e, "code").as_deref(), Some("INTERNAL"));
        assert!(e.message.contains("事件编号"), "{}", e.message);
        assert!(!e.message.contains("a bug"), "the panic stays in the log");
        let data = r.data.into_json().unwrap();
        assert_eq!(data["fine"], 1);
        // The schema keeps serving.
        let r = s.execute("{ fine }").await;
        assert!(r.errors.is_empty());
    }

    #[tokio::test]
    async fn coercion_errors_are_bad_user_input_on_the_argument() {
        let s = schema();
        for q in ["{ echo(n: 3475937160) }", "{ echo(n: -5) }"] {
            let r = s.execute(q).await;
            let e = &r.errors[0];
            assert_eq!(ext(e, "code").as_deref(), Some("BAD_USER_INPUT"), "{q}");
            assert_eq!(ext(e, "field").as_deref(), Some("n"), "{q}");
            assert!(e.message.starts_with("参数 n "), "{}", e.message);
        }
        let r = s.execute("{ echo(n: \"x\") }").await;
        assert_eq!(ext(&r.errors[0], "field").as_deref(), Some("n"));
        let r = s.execute("{ echo }").await;
        assert_eq!(ext(&r.errors[0], "field").as_deref(), Some("n"));
        assert!(r.errors[0].message.contains("缺少必填参数"));
    }

    #[tokio::test]
    async fn an_uncoded_resolver_error_reveals_only_an_incident() {
        let r = schema().execute("{ failing }").await;
        let e = &r.errors[0];
        assert_eq!(ext(e, "code").as_deref(), Some("INTERNAL"));
        assert!(!e.message.contains("/var/run"), "{}", e.message);
    }
}

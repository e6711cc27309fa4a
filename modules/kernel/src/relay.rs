//! Relay conventions (docs/api-conventions.md): opaque global IDs and keyset-paginated cursor connections.
//!
//! Pagination never uses OFFSET: a cursor carries the sort key and the id of its row, and the next
//! page is `WHERE (key, id) > (cursor.key, cursor.id) ORDER BY key, id LIMIT n + 1`.
use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{ID, Object, OutputType};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Default page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// Encodes a record's global ID: base64url of `Type:uuid`.
pub fn encode_id(type_name: &str, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// Decodes any global ID into its type name and UUID.
pub fn decode_any(id: &ID) -> Option<(String, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (ty, uuid) = text.split_once(':')?;
    Some((ty.to_owned(), Uuid::parse_str(uuid).ok()?))
}

/// Decodes a global ID that must name a `type_name` record; `field` names the input field for
/// the error.
pub fn decode_id(id: &ID, type_name: &str, field: &str) -> AppResult<Uuid> {
    match decode_any(id) {
        Some((ty, uuid)) if ty == type_name => Ok(uuid),
        _ => Err(AppError::bad_input(field, format!("无效的{type_name}编号"))),
    }
}

/// 排序方向 — sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, async_graphql::Enum)]
pub enum OrderDirection {
    /// 升序 (ascending)
    #[default]
    Asc,
    /// 降序 (descending)
    Desc,
}

/// A sort key value as carried in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    Int(i64),
    Time(DateTime<Utc>),
    Str(String),
}

impl From<SortValue> for Value {
    fn from(v: SortValue) -> Value {
        match v {
            SortValue::Int(i) => i.into(),
            SortValue::Time(t) => t.into(),
            SortValue::Str(s) => s.into(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct CursorData {
    k: SortValue,
    id: Uuid,
}

fn encode_cursor(key: SortValue, id: Uuid) -> String {
    let json = serde_json::to_vec(&CursorData { k: key, id }).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

fn decode_cursor(cursor: &str, field: &str) -> AppResult<CursorData> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|raw| serde_json::from_slice(&raw).ok())
        .ok_or_else(|| AppError::bad_input(field, "无效的分页游标"))
}

/// `first/after/last/before` as the client sent them.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
    /// The largest page this list allows; [`MAX_PAGE_SIZE`] unless [`PageArgs::up_to`] says
    /// otherwise.
    pub max: Option<u64>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        PageArgs {
            first,
            after,
            last,
            before,
            max: None,
        }
    }

    /// Allows pages of up to `max` rows: only for flat machine feeds whose rows carry no
    /// relations (a page of 500 such rows costs one statement, like a page of 100).
    pub fn up_to(mut self, max: u64) -> Self {
        self.max = Some(max);
        self
    }
    /// Validates the arguments: returns (page size, backwards?).
    fn size(&self) -> AppResult<(u64, bool)> {
        if self.first.is_some() && self.last.is_some() {
            return Err(AppError::bad_input("first", "不能同时指定 first 和 last"));
        }
        let (n, field, backwards) = match (self.first, self.last) {
            (_, Some(n)) => (n, "last", true),
            (Some(n), None) => (n, "first", false),
            (None, None) => (DEFAULT_PAGE_SIZE as i32, "first", self.before.is_some()),
        };
        let n = u64::try_from(n).map_err(|_| AppError::bad_input(field, "分页数量不能为负数"))?;
        let max = self.max.unwrap_or(MAX_PAGE_SIZE);
        if n > max {
            return Err(AppError::bad_input(field, format!("每页最多{max}条")));
        }
        Ok((n, backwards))
    }
}

/// How a list is ordered: one sort column, ties broken by the id column.
pub struct KeysetOrder<E: EntityTrait> {
    pub column: E::Column,
    pub id_column: E::Column,
    pub descending: bool,
    /// Reads the sort key and the id of a row.
    pub key: fn(&E::Model) -> (SortValue, Uuid),
}

/// One page of rows with their cursors.
pub struct Page<M> {
    pub rows: Vec<(String, M)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

/// Loads one keyset page of `select` (which already carries filters and scope) in one statement.
pub async fn paginate<E, C>(
    db: &C,
    select: Select<E>,
    order: &KeysetOrder<E>,
    args: &PageArgs,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let (n, backwards) = args.size()?;
    // Walking backwards flips the direction of both the comparison and the ORDER BY.
    let ascending = order.descending == backwards;
    let mut select = select;
    let cursors = [
        (&args.after, "after", true),
        (&args.before, "before", false),
    ];
    for (cursor, field, is_after) in cursors {
        let Some(cursor) = cursor else { continue };
        let c = decode_cursor(cursor, field)?;
        // after → rows past the cursor in the list's order; before → rows ahead of it.
        let greater = is_after != order.descending;
        select = select.filter(keyset_condition(order, c, greater));
    }
    let dir = if ascending { Order::Asc } else { Order::Desc };
    let mut rows = select
        .order_by(order.column, dir.clone())
        .order_by(order.id_column, dir)
        .limit(n + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > n;
    rows.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    if backwards {
        rows.reverse();
    }
    let rows = rows
        .into_iter()
        .map(|m| {
            let (k, id) = (order.key)(&m);
            (encode_cursor(k, id), m)
        })
        .collect();
    Ok(Page {
        rows,
        has_previous_page: if backwards {
            more
        } else {
            args.after.is_some()
        },
        has_next_page: if backwards {
            args.before.is_some()
        } else {
            more
        },
    })
}

fn keyset_condition<E: EntityTrait>(
    order: &KeysetOrder<E>,
    c: CursorData,
    greater: bool,
) -> Condition {
    let key: Value = c.k.into();
    let (col, id) = (order.column, order.id_column);
    if greater {
        Condition::any()
            .add(col.gt(key.clone()))
            .add(Condition::all().add(col.eq(key)).add(id.gt(c.id)))
    } else {
        Condition::any()
            .add(col.lt(key.clone()))
            .add(Condition::all().add(col.eq(key)).add(id.lt(c.id)))
    }
}

/// A condition that matches no row (used for empty scopes).
pub fn nothing() -> Condition {
    Expr::val(1).eq(Expr::val(0)).into_condition()
}

/// `totalCount` of a connection, counted only when the client asks for it.
#[derive(Clone)]
pub struct TotalCount(Arc<dyn Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync>);

impl TotalCount {
    /// Counts the rows of `select` (filters and scope included, no paging).
    pub fn of<E>(db: &DatabaseConnection, select: Select<E>) -> Self
    where
        E: EntityTrait,
        E::Model: Sync,
    {
        let db = db.clone();
        TotalCount(Arc::new(move || {
            let db = db.clone();
            let select = select.clone();
            Box::pin(async move { Ok(select.count(&db).await?) })
        }))
    }
}

#[Object]
impl TotalCount {
    /// 符合条件的记录总数 (number of records matching the filter, over all pages)
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok((self.0)().await?)
    }
}

/// The connection type every list field returns.
pub type RelayConnection<T> = Connection<String, T, TotalCount>;

/// Builds a connection from a page, mapping each row to its GraphQL node.
pub fn connection<M, T: OutputType>(
    page: Page<M>,
    total: TotalCount,
    map: impl Fn(M) -> T,
) -> RelayConnection<T> {
    let mut conn =
        Connection::with_additional_fields(page.has_previous_page, page.has_next_page, total);
    conn.edges
        .extend(page.rows.into_iter().map(|(c, m)| Edge::new(c, map(m))));
    conn
}

/// The description of each pagination argument of a list field (docs/api-conventions.md#lists).
pub const PAGE_ARGUMENTS: [(&str, &str); 4] = [
    (
        "first",
        "向后翻页：本页最多返回的条数，默认20，最大100 (page forward: at most this many items; 20 by default, at most 100)",
    ),
    (
        "after",
        "向后翻页：从该游标之后开始，游标取自上一页的 endCursor (page forward: start after this cursor, the previous page's endCursor)",
    ),
    (
        "last",
        "向前翻页：本页最多返回的条数，最大100，不可与 first 同时使用 (page backward: at most this many items, at most 100; not together with first)",
    ),
    (
        "before",
        "向前翻页：到该游标之前为止，游标取自下一页的 startCursor (page backward: end before this cursor, the next page's startCursor)",
    ),
];

/// Documents, in Chinese with English like the rest of the schema, what no doc comment of ours
/// can reach: the connection plumbing that async-graphql generates (`…Connection`, `…Edge`,
/// `PageInfo`), the pagination arguments of every list field, the `ID` scalar, and the `input`
/// argument of every mutation (described by its input type, `VerbNounInput`). Register it after
/// every other type: `builder.register_output_type::<GeneratedDocs>()`. It is not itself a
/// schema type.
pub struct GeneratedDocs;

impl OutputType for GeneratedDocs {
    fn type_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("PageInfo")
    }
    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        document_generated(registry);
        "PageInfo".to_owned()
    }
    async fn resolve(
        &self,
        _: &async_graphql::ContextSelectionSet<'_>,
        _: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<async_graphql::Value> {
        Ok(async_graphql::Value::Null)
    }
}

fn describe(
    fields: &mut async_graphql::indexmap::IndexMap<String, async_graphql::registry::MetaField>,
    docs: &[(&str, String)],
) {
    for (name, doc) in docs {
        if let Some(f) = fields.get_mut(*name) {
            f.description = Some(doc.clone());
        }
    }
}

/// See [`GeneratedDocs`].
pub fn document_generated(registry: &mut async_graphql::registry::Registry) {
    use async_graphql::registry::MetaType;
    registry.set_description(
        "ID",
        "全局编号：不透明的字符串，原样保存和回传，不要解析或拼接 (global ID: an opaque string; store it and send it back, never parse or build one)",
    );
    let input_docs: std::collections::HashMap<String, String> = registry
        .types
        .iter()
        .filter_map(|(name, ty)| match ty {
            MetaType::InputObject {
                description: Some(d),
                ..
            } => Some((name.clone(), d.clone())),
            _ => None,
        })
        .collect();
    let mutation = registry.mutation_type.clone();
    for (name, ty) in registry.types.iter_mut() {
        let (description, fields) = match ty {
            MetaType::Object {
                description,
                fields,
                ..
            }
            | MetaType::Interface {
                description,
                fields,
                ..
            } => (description, fields),
            _ => continue,
        };
        let is = |a: &str, b: &str| fields.contains_key(a) && fields.contains_key(b);
        if name == "PageInfo" {
            *description = Some("分页信息 (where a page stands in its list)".to_owned());
            describe(
                fields,
                &[
                    ("hasNextPage", "之后是否还有记录（向后翻页时）(whether more items follow, when paging forward)".to_owned()),
                    ("hasPreviousPage", "之前是否还有记录（向前翻页时）(whether more items precede, when paging backward)".to_owned()),
                    ("startCursor", "本页第一条的游标，向前翻页时作 before (cursor of the first item; pass as before to page backward)".to_owned()),
                    ("endCursor", "本页最后一条的游标，向后翻页时作 after (cursor of the last item; pass as after to page forward)".to_owned()),
                ],
            );
        } else if let Some(node) = name.strip_suffix("Connection")
            && is("edges", "pageInfo")
        {
            *description = Some(format!(
                "{node} 列表的一页（Relay 游标分页）(one page of a list of {node}, a Relay cursor connection)"
            ));
            describe(
                fields,
                &[
                    (
                        "edges",
                        "本页的记录及其游标 (the page's items with their cursors)".to_owned(),
                    ),
                    ("nodes", "本页的记录 (the page's items)".to_owned()),
                    ("pageInfo", "分页信息 (paging information)".to_owned()),
                ],
            );
        } else if let Some(node) = name.strip_suffix("Edge")
            && is("cursor", "node")
        {
            *description = Some(format!(
                "{node} 列表中的一项及其游标 (one item of a list of {node}, with its cursor)"
            ));
            describe(
                fields,
                &[
                    ("cursor", "该项的游标，不透明，仅用于翻页 (the item's cursor: opaque, for paging only)".to_owned()),
                    ("node", "该项记录 (the item)".to_owned()),
                ],
            );
        }
        if Some(name) == mutation.as_ref() {
            for field in fields.values_mut() {
                if let Some(input) = field.args.get_mut("input")
                    && input.description.is_none()
                {
                    let ty = input.ty.trim_end_matches('!');
                    input.description = input_docs.get(ty).cloned();
                }
            }
        }
        for field in fields.values_mut() {
            if !field.ty.trim_end_matches('!').ends_with("Connection") {
                continue;
            }
            for (arg, doc) in PAGE_ARGUMENTS {
                if let Some(a) = field.args.get_mut(arg)
                    && a.description.is_none()
                {
                    a.description = Some(doc.to_owned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn global_ids_round_trip_and_reject_other_types() {
        let id = Uuid::now_v7();
        let gid = encode_id("Project", id);
        assert_eq!(decode_any(&gid), Some(("Project".to_owned(), id)));
        assert_eq!(decode_id(&gid, "Project", "id").unwrap(), id);
        let err = decode_id(&gid, "Enterprise", "id").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("id"));
        assert!(decode_any(&ID("not base64!".into())).is_none());
    }

    #[test]
    fn page_size_is_bounded() {
        assert!(PageArgs::new(Some(101), None, None, None).size().is_err());
        assert!(PageArgs::new(Some(-1), None, None, None).size().is_err());
        assert!(PageArgs::new(Some(1), None, Some(1), None).size().is_err());
        assert_eq!(
            PageArgs::default().size().unwrap(),
            (DEFAULT_PAGE_SIZE, false)
        );
        assert_eq!(
            PageArgs::new(None, None, Some(5), None).size().unwrap(),
            (5, true)
        );
    }

    #[test]
    fn cursor_round_trips_each_key_kind() {
        for k in [
            SortValue::Int(7),
            SortValue::Str("甲".into()),
            SortValue::Time(Utc::now()),
        ] {
            let id = Uuid::now_v7();
            let c = decode_cursor(&encode_cursor(k.clone(), id), "after").unwrap();
            assert_eq!((c.k, c.id), (k, id));
        }
    }
}

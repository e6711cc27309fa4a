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
        }
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
        if n > MAX_PAGE_SIZE {
            return Err(AppError::bad_input(
                field,
                format!("每页最多{MAX_PAGE_SIZE}条"),
            ));
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

//! Optimistic concurrency (docs/api-conventions.md): records carry `version`; an update may pass
//! `expectedVersion` and gets `CONFLICT` when someone else changed the record first.
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Columns every versioned record has.
pub trait Versioned: EntityTrait {
    fn id_column() -> Self::Column;
    fn version_column() -> Self::Column;
    fn updated_at_column() -> Self::Column;
}

/// Claims the next version of record `id` in `txn`: `version = version + 1` where the version is
/// still `expected` (when given). Call it before writing the change, in the same transaction, so a
/// concurrent writer either waits for us or fails its own claim.
pub async fn claim<E: Versioned, C: ConnectionTrait>(
    txn: &C,
    id: Uuid,
    expected: Option<i32>,
) -> AppResult<()> {
    let mut update = E::update_many()
        .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
        .col_expr(E::updated_at_column(), Expr::value(chrono::Utc::now()))
        .filter(E::id_column().eq(id));
    if let Some(v) = expected {
        update = update.filter(E::version_column().eq(v));
    }
    let res = update.exec(txn).await?;
    if res.rows_affected == 1 {
        Ok(())
    } else if expected.is_some() {
        Err(AppError::stale_version())
    } else {
        Err(AppError::internal(format!(
            "versioned record {id} vanished during update"
        )))
    }
}

/// Claims the next version of record `id` as it was read: `version = version + 1` only while the
/// version is still `read` — the one the caller based its decision on (its status, its state).
/// A client's `expected` version, when given, must be that one too. So of two concurrent writers
/// that read the same row, exactly one succeeds; on PostgreSQL the other waits for the first's
/// row lock, finds the version moved on and gets `CONFLICT`, with nothing written.
pub async fn claim_read<E: Versioned, C: ConnectionTrait>(
    txn: &C,
    id: Uuid,
    read: i32,
    expected: Option<i32>,
) -> AppResult<()> {
    if expected.is_some_and(|e| e != read) {
        return Err(AppError::stale_version());
    }
    claim::<E, C>(txn, id, Some(read)).await
}

macro_rules! versioned {
    ($($module:ident),*) => {$(
        impl Versioned for jianan_entity::$module::Entity {
            fn id_column() -> jianan_entity::$module::Column { jianan_entity::$module::Column::Id }
            fn version_column() -> jianan_entity::$module::Column { jianan_entity::$module::Column::Version }
            fn updated_at_column() -> jianan_entity::$module::Column { jianan_entity::$module::Column::UpdatedAt }
        }
    )*};
}
versioned!(project, enterprise, org_unit, account, webhook_subscription);

/// Records that can be archived: hidden from default lists, kept for what refers to them.
pub trait Archivable: Versioned {
    fn archived_at_column() -> Self::Column;
}

/// Archives record `id` in `txn`: claims the next version (checking `expected` when given) and
/// sets `archived_at`. Archiving an archived record changes nothing and returns `false`.
pub async fn archive<E, C>(txn: &C, id: Uuid, expected: Option<i32>) -> AppResult<bool>
where
    E: Archivable,
    E::Model: Sync,
    C: ConnectionTrait,
{
    use sea_orm::PaginatorTrait;
    let already = E::find()
        .filter(E::id_column().eq(id))
        .filter(E::archived_at_column().is_not_null())
        .count(txn)
        .await?;
    if already > 0 {
        return Ok(false);
    }
    claim::<E, C>(txn, id, expected).await?;
    E::update_many()
        .col_expr(E::archived_at_column(), Expr::value(chrono::Utc::now()))
        .filter(E::id_column().eq(id))
        .exec(txn)
        .await?;
    Ok(true)
}

macro_rules! archivable {
    ($($module:ident),*) => {$(
        impl Archivable for jianan_entity::$module::Entity {
            fn archived_at_column() -> jianan_entity::$module::Column { jianan_entity::$module::Column::ArchivedAt }
        }
    )*};
}
archivable!(project, enterprise, org_unit, account);

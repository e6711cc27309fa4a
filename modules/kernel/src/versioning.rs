//! Optimistic concurrency (DESIGN §2): records carry `version`; an update may pass
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

macro_rules! versioned {
    ($($module:ident),*) => {$(
        impl Versioned for jianan_entity::$module::Entity {
            fn id_column() -> jianan_entity::$module::Column { jianan_entity::$module::Column::Id }
            fn version_column() -> jianan_entity::$module::Column { jianan_entity::$module::Column::Version }
            fn updated_at_column() -> jianan_entity::$module::Column { jianan_entity::$module::Column::UpdatedAt }
        }
    )*};
}
versioned!(project, enterprise, org_unit, account);

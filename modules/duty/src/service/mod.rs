//! The duty module's domain logic: plain functions over the kernel, called by the GraphQL
//! resolvers, the jobs, the demo and the tests.
pub mod incident;
pub mod key_period;
pub mod response;
pub mod roster;
pub mod statistics;
pub mod warning;

use jianan_entity::account;
use jianan_kernel::AppResult;
use jianan_kernel::principal::{Role, roles_of};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// Live accounts holding `role`, in id order.
pub(crate) async fn accounts_with_role<C: ConnectionTrait>(
    db: &C,
    role: Role,
) -> AppResult<Vec<Uuid>> {
    Ok(account::Entity::find()
        .filter(account::Column::ArchivedAt.is_null())
        .filter(account::Column::Roles.contains(role.as_str()))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| roles_of(a).contains(&role))
        .map(|a| a.id)
        .collect())
}

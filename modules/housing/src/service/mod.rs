//! Domain logic of the housing module: plain functions over the kernel, no GraphQL types.
pub mod campaign;
pub mod house;
pub mod ledger;
pub mod ledger_export;
pub mod monitor;
pub mod report;
pub mod statistics;

use jianan_entity::enums::OrgUnitKind;
use jianan_entity::org_unit;
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::RowScope;
use jianan_kernel::{AppError, AppResult};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// Checks that `township_id` is a township or street the caller may act in: any for the
/// commission, their own for township staff; `field` names the input.
pub async fn township_for<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    township_id: Uuid,
    field: &str,
) -> AppResult<org_unit::Model> {
    let unit = org_unit::Entity::find_by_id(township_id)
        .one(db)
        .await?
        .filter(|u| {
            matches!(u.kind, OrgUnitKind::Township | OrgUnitKind::Street) && u.archived_at.is_none()
        })
        .ok_or_else(|| AppError::bad_input(field, "乡镇（街道）不存在"))?;
    match RowScope::of(p) {
        RowScope::District => Ok(unit),
        RowScope::Township(t) if t == township_id => Ok(unit),
        _ => Err(AppError::bad_input(field, "只能在本乡镇（街道）办理")),
    }
}

//! 黑名单 — an enterprise's listing on the blacklist, from entry to removal.
use sea_orm::entity::prelude::*;

use super::enums::BlacklistGround;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_blacklist")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub enterprise_id: Uuid,
    pub uscc: String,
    pub enterprise_name: String,
    pub ground: BlacklistGround,
    /// The bad record in force the listing rests on.
    pub record_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub basis: String,
    pub listed_by: Option<Uuid>,
    pub listed_at: DateTimeUtc,
    /// End of the management period ([`crate::rules::blacklist::MANAGEMENT_MONTHS`]).
    pub until: DateTimeUtc,
    pub removed_by: Option<Uuid>,
    pub removed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub removal_reason: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 通报 — an issued circular listing the problems found.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oversight_circular")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    /// Number within the year, from 1.
    pub seq: i32,
    /// The document number as printed (see `rules::circular_number`).
    pub number: String,
    pub title: String,
    pub body: String,
    pub issuer_account_id: Uuid,
    /// The issuer's org unit (a township's own circulars are seen by the township).
    pub issuer_unit_id: Option<Uuid>,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

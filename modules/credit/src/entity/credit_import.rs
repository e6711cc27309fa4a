//! 导入批次 — one accepted bulk import of the bureau's records, unique by the file's SHA-256, so
//! importing the same file again changes nothing.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_import")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub file_sha256: String,
    pub file_name: String,
    /// Data rows in the file.
    pub rows: i32,
    /// Records new to the platform.
    pub imported: i32,
    /// Records already imported whose end date the file changed (a listing lifted, say).
    pub updated: i32,
    /// Records already imported, unchanged.
    pub unchanged: i32,
    /// Distinct codes the registry does not know (their records are kept, keyed by code).
    pub unknown_enterprises: i32,
    pub imported_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

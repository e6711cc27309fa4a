//! Accounts: people (password, Argon2id) and service accounts (client credentials).
#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub kind: AccountKind,
    pub secret_hash: String,
    /// JSON array of role names (SCREAMING_CASE).
    #[sea_orm(column_type = "Text")]
    pub roles: String,
    pub org_unit_id: Option<Uuid>,
    pub enterprise_id: Option<Uuid>,
    pub phone: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    /// 执法证号 (enforcement credential number); the three credential columns are all set or
    /// all empty.
    pub enforcement_cert_number: Option<String>,
    /// 执法证发证机关 (issuing authority).
    pub enforcement_cert_authority: Option<String>,
    /// 执法证有效期至（含当日）(valid until, inclusive, a Shanghai calendar date).
    pub enforcement_cert_valid_until: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

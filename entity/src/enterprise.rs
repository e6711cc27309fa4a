//! Enterprises identified by their unified social credit code.
#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub uscc: String,
    pub name: String,
    pub kind: EnterpriseKind,
    pub legal_representative: Option<String>,
    pub address: Option<String>,
    /// JSON array of qualification (资质) names.
    #[sea_orm(column_type = "Text")]
    pub qualifications: String,
    pub licence_no: Option<String>,
    pub licence_expires_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! A closed period of an obligation: judged once, its misses published.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "obligation_close")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub obligation: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    pub closed_at: DateTimeUtc,
    pub missed: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

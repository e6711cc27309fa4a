//! 总工程师 — an enterprise's chief engineer and safety-technology team (总工程师制度).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_chief_engineer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// One row per enterprise.
    pub enterprise_id: Uuid,
    pub name: String,
    pub title: String,
    pub phone: Option<String>,
    /// JSON array of {name, title, specialty}.
    pub team: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 安全宣传品 — a publicity item kept on a site (标语/海报/专栏/视频), photographed.
use sea_orm::entity::prelude::*;

use super::enums::PublicityKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publicity_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub kind: PublicityKind,
    pub title: String,
    pub location: String,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

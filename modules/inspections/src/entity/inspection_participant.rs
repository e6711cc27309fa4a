//! 检查人员确认参加 — a listed inspector's own confirmation that they took part in an
//! inspection; only a confirmed inspector's duty is credited (issue #7 item 1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_participant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub account_id: Uuid,
    pub confirmed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

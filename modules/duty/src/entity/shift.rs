//! 值班班次 — one person on one duty post from one instant to another (at most 24 hours).
use sea_orm::entity::prelude::*;

use super::enums::DutyPost;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_shift")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub post: DutyPost,
    pub account_id: Uuid,
    /// The number to reach them on during the shift.
    pub phone: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// 在岗签到 (checked in at), by the person themselves.
    pub checked_in_at: Option<DateTimeUtc>,
    pub assigned_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

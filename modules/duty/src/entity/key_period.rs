//! 重点时段 — a key period (major holiday, extreme weather, sensitive period) with its level.
use sea_orm::entity::prelude::*;

use super::enums::KeyPeriodKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_key_period")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: KeyPeriodKind,
    /// 1–4, 1 the highest.
    pub level: i32,
    /// First day, inclusive (Asia/Shanghai).
    pub starts_on: Date,
    /// Last day, inclusive.
    pub ends_on: Date,
    pub note: Option<String>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub declared_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

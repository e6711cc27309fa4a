//! 监测任务 — a house safety monitor assigned to a dangerous house, with how often they visit.
//! A house has at most one assignment in force (`ended_at` null); a new one ends the previous.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "housing_monitor_assignment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub house_id: Uuid,
    /// Copied from the house (scope anchor).
    pub township_id: Uuid,
    /// The HOUSE_MONITOR account.
    pub monitor_account_id: Uuid,
    /// One visit per this many days.
    pub frequency_days: i32,
    /// First day of the first monitoring window (Asia/Shanghai): the assignment's day.
    pub starts_on: Date,
    pub assigned_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// When a later assignment replaced it.
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

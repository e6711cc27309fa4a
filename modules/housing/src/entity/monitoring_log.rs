//! 监测记录 — one monitoring visit, by the assigned monitor. Photos are attachments of the log.
use sea_orm::entity::prelude::*;

use super::enums::MonitoringTrend;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "housing_monitoring_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub house_id: Uuid,
    pub township_id: Uuid,
    pub monitor_account_id: Uuid,
    /// 监测读数 (free text: crack widths, tilt, …)
    pub readings: String,
    pub trend: MonitoringTrend,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Construction projects, each in one township or street.
#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub township_id: Uuid,
    pub address: String,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
    pub start_on: Option<Date>,
    pub planned_end_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    /// The enforcement action holding the status (a stop-work order until its resume order);
    /// while set, the status cannot be changed by anyone else.
    pub status_hold_id: Option<Uuid>,
    /// 经度 (WGS-84 longitude in millionths of a degree; set together with the latitude)
    pub longitude_e6: Option<i32>,
    /// 纬度 (WGS-84 latitude in millionths of a degree)
    pub latitude_e6: Option<i32>,
}

impl Model {
    /// Where the project is, if known: (longitude, latitude) in millionths of a degree.
    pub fn location_e6(&self) -> Option<(i32, i32)> {
        self.longitude_e6.zip(self.latitude_e6)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

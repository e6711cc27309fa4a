//! 房屋 — a house in the safety-screening registry. The owner's name and phone are personal data:
//! stored in full, shown masked to callers without `housing.house.owner_read`.
use sea_orm::entity::prelude::*;

use super::enums::{AppraisalLevel, HouseRisk, HouseUse, StructureType};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "housing_house")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// 乡镇（街道）: an org unit of kind TOWNSHIP or STREET.
    pub township_id: Uuid,
    /// 村（社区）
    pub village: String,
    /// 地址, as entered (trimmed).
    pub address: String,
    /// The normalised address (see `service::house::normalise_address`), unique within a township.
    pub address_key: String,
    /// WGS-84 longitude in millionths of a degree (6 decimals, exact).
    pub longitude_e6: i64,
    /// WGS-84 latitude in millionths of a degree.
    pub latitude_e6: i64,
    pub owner_name: String,
    pub owner_phone: Option<String>,
    pub structure: StructureType,
    pub storeys: i32,
    pub year_built: Option<i32>,
    pub house_use: HouseUse,
    /// 建筑面积 in square decimetres (1 m² = 100 dm²): exact to 0.01 m².
    pub floor_area_dm2: i64,
    pub self_built: bool,
    pub has_documents: bool,
    /// The latest screening's judgement (none before the first screening).
    pub risk: Option<HouseRisk>,
    /// The latest appraisal level (none until appraised).
    pub level: Option<AppraisalLevel>,
    pub screened_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

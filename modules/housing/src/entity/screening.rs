//! 排查记录 — one house screened in one campaign (at most once per campaign).
use sea_orm::entity::prelude::*;

use super::enums::{AppraisalLevel, HouseRisk};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "housing_screening")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub house_id: Uuid,
    /// Copied from the house (scope anchor).
    pub township_id: Uuid,
    /// JSON list of the checklist item codes observed (`rules::checklist::ITEMS`).
    pub observed: String,
    pub findings: String,
    pub risk: HouseRisk,
    pub level: Option<AppraisalLevel>,
    pub screened_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

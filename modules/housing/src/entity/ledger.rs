//! 危房台账条目 — a house judged RISKY or appraised C/D, with its measure, responsible person,
//! deadline and state. At most one entry per house is not CLOSED.
use sea_orm::entity::prelude::*;

use super::enums::{AppraisalLevel, HouseRisk, LedgerMeasure, LedgerState};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "housing_ledger_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub house_id: Uuid,
    pub township_id: Uuid,
    /// The screening that put the house on the ledger.
    pub screening_id: Uuid,
    pub risk: HouseRisk,
    pub level: Option<AppraisalLevel>,
    pub measure: LedgerMeasure,
    pub responsible_person: Option<String>,
    pub deadline: Option<Date>,
    pub state: LedgerState,
    pub close_note: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 风险研判 — a risk assessment for a key period or node.
use sea_orm::entity::prelude::*;

use super::enums::AssessmentOccasion;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oversight_assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub occasion: AssessmentOccasion,
    /// The period or node, e.g. “2027年春节”.
    pub occasion_name: String,
    /// First and last day the assessment covers (inclusive).
    pub starts_on: Date,
    pub ends_on: Date,
    pub assessed_on: Date,
    pub summary: String,
    pub recorded_by: Uuid,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

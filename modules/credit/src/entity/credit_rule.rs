//! 信用评价规则 — one row of a version of the rules table: what an enforcement action of a kind
//! does to credit, with the source it cites.
use sea_orm::entity::prelude::*;

use super::enums::RuleTrigger;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_rule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub version_id: Uuid,
    /// Stable code of the rule, e.g. `ENF-DEDUCTION`.
    pub code: String,
    pub trigger: RuleTrigger,
    /// Points deducted; `None`: the points the enforcement decision states.
    pub points: Option<i32>,
    /// Whether a bad record is published.
    pub bad_record: bool,
    /// Publication period of that bad record in months (6 to 36).
    pub publication_months: i32,
    /// The citation (document, article), or the note that the district's rule is not at hand.
    #[sea_orm(column_type = "Text")]
    pub source: String,
    /// Whether the source was checked against its published text.
    pub confirmed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

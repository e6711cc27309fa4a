//! 信用评价 — a subject's score for one evaluation year (base score plus its entries).
use sea_orm::entity::prelude::*;

use super::enums::{CreditLevel, SubjectKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_score")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject_kind: SubjectKind,
    /// The enterprise's USCC, or `USCC/person` (`-/person` without an enterprise).
    pub subject_key: String,
    pub enterprise_id: Option<Uuid>,
    pub uscc: Option<String>,
    /// The enterprise's name (at the first entry), or the person as the decision names them.
    pub subject_name: String,
    pub person: Option<String>,
    /// Evaluation year (Asia/Shanghai calendar year of the events).
    pub year: i32,
    pub base: i32,
    /// base + Σ entries, never below 0.
    pub score: i32,
    pub level: CreditLevel,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

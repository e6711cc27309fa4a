//! 扣分/加分明细 — one deduction or addition of a year's score, with why: the rule (and its
//! version), the legal basis and the source record. Unique on (source event, subject kind): a
//! replayed event cannot count twice.
use sea_orm::entity::prelude::*;

use super::enums::SubjectKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub score_id: Uuid,
    pub subject_kind: SubjectKind,
    pub enterprise_id: Option<Uuid>,
    /// Signed: negative for a deduction.
    pub points: i32,
    pub rule_code: String,
    pub rule_version: i32,
    #[sea_orm(column_type = "Text")]
    pub rule_source: String,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// GraphQL type of the source (`EnforcementAction`).
    pub source_type: String,
    pub source_id: Uuid,
    pub source_event_id: Option<Uuid>,
    pub occurred_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

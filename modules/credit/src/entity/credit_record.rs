//! 信用记录 — a good or bad credit record with its publication period.
use sea_orm::entity::prelude::*;

use super::enums::{RecordKind, SubjectKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_record")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: RecordKind,
    pub subject_kind: SubjectKind,
    pub enterprise_id: Option<Uuid>,
    pub uscc: Option<String>,
    pub subject_name: String,
    pub person: Option<String>,
    pub township_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub rule_code: Option<String>,
    pub source_type: String,
    pub source_id: Uuid,
    pub source_event_id: Option<Uuid>,
    /// When the decision was made (the publication starts then).
    pub decided_at: DateTimeUtc,
    /// End of the penalty itself, when it lasts (the publication never ends before it).
    pub penalty_until: Option<DateTimeUtc>,
    /// End of the publication period ([`crate::rules::publication::publication_until`]).
    pub public_until: DateTimeUtc,
    /// Whether the rules say the record is disclosed to the public.
    pub is_public: bool,
    /// Set when a decision ended the publication early.
    pub ended_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

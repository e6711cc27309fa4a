//! 信用变更 — one entry of the change feed for the Market Supervision Bureau.
use sea_orm::entity::prelude::*;

use super::enums::{ChangeKind, SubjectKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Feed sequence: 1, 2, 3… without gaps, assigned under the locked `credit_feed_head`.
    #[sea_orm(unique)]
    pub seq: i64,
    pub kind: ChangeKind,
    pub subject_kind: SubjectKind,
    pub enterprise_id: Option<Uuid>,
    pub uscc: Option<String>,
    pub person: Option<String>,
    pub record_type: String,
    pub record_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

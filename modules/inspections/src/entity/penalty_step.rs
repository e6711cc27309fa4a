//! 处罚程序记录 — one recorded step of a penalty's procedure (notice, hearing, decision, payment).
use sea_orm::entity::prelude::*;

use crate::rules::penalty::PenaltyStep;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "penalty_step")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub action_id: Uuid,
    pub step: PenaltyStep,
    /// When it happened (as the documents say), not when it was recorded.
    pub occurred_at: DateTimeUtc,
    /// 决定书文号 (DECIDED).
    pub decision_number: Option<String>,
    /// Amount paid in fen (PAID).
    pub amount_fen: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

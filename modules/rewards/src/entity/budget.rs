//! 举报奖励年度预算 — the money set aside for rewards in one year (fen). What is committed and
//! paid is summed from `rewards_reward`, never stored here.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rewards_budget")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The calendar year (Beijing time), unique.
    pub year: i32,
    pub amount_fen: i64,
    /// Who set it last.
    pub set_by: Option<Uuid>,
    /// Claimed by every change of the amount and by every final approval charged to the year
    /// (so two approvals cannot both spend the same money).
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 举报奖励 — the reward of one report (at most one per report): the amount in fen computed from
//! the standards table (or proposed instead, with a reason), the rule and basis it rests on, and
//! its approval, payment and the reporter's confirmation.
use sea_orm::entity::prelude::*;

use super::enums::{PaymentMethod, RewardStatus, Verdict};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rewards_reward")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The report rewarded (unique).
    pub report_id: Uuid,
    /// The verdict the amount was computed from.
    pub verdict: Verdict,
    /// 奖励金额（分）: what is paid.
    pub amount_fen: i64,
    /// What the standards table gives (fen); differs from `amount_fen` only with `override_reason`.
    pub standard_fen: i64,
    /// E.g. `RS2026-GH-FULL` (see `rules::standards`).
    pub rule_code: String,
    /// The citation of the rule, as it stood when the reward was proposed.
    pub basis: String,
    /// Why the amount differs from the standard.
    pub override_reason: Option<String>,
    pub status: RewardStatus,
    pub proposed_by: Uuid,
    pub department_approved_by: Option<Uuid>,
    pub department_approved_at: Option<DateTimeUtc>,
    pub final_approved_by: Option<Uuid>,
    pub final_approved_at: Option<DateTimeUtc>,
    /// The budget year the reward is charged to: the Beijing-time year of the final approval.
    pub budget_year: Option<i32>,
    pub refused_by: Option<Uuid>,
    pub refused_at: Option<DateTimeUtc>,
    pub refusal_reason: Option<String>,
    pub payment_method: Option<PaymentMethod>,
    pub paid_on: Option<Date>,
    pub paid_by: Option<Uuid>,
    /// When the reporter confirmed receipt (through the receipt code).
    pub confirmed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

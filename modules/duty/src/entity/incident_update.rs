//! 续报、终报 — a follow-up or the closing report, with the figures it gave.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_incident_update")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub report_id: Uuid,
    /// `FOLLOW_UP` or `CLOSURE`.
    pub step: String,
    pub text: String,
    pub deaths: i32,
    pub injuries: i32,
    pub missing: i32,
    pub direct_loss_yuan: i64,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

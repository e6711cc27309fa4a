//! 复查 — the re-inspection a failing scored inspection (JGJ 59 不合格) calls for, with its
//! deadline, and the later scored inspection that carried it out.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reinspection")]
pub struct Model {
    /// The failing inspection.
    #[sea_orm(primary_key, auto_increment = false)]
    pub failed_inspection_id: Uuid,
    pub project_id: Uuid,
    /// Owed by the commission (the failing inspection was the commission's) or by the enterprise
    /// (its own self-check failed).
    pub by_commission: bool,
    pub due_at: DateTimeUtc,
    pub fulfilled_inspection_id: Option<Uuid>,
    pub fulfilled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 整改记录 — one transition of a hazard's rectification, with who did it and why.
use sea_orm::entity::prelude::*;

use super::enums::{HazardStatus, RectificationAction};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_step")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub hazard_id: Uuid,
    pub action: RectificationAction,
    pub from_status: Option<HazardStatus>,
    pub to_status: HazardStatus,
    pub actor_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub at: DateTimeUtc,
    /// Photos of the step: a JSON array of attachment ids (of the hazard).
    #[sea_orm(column_type = "Text")]
    pub photo_ids: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

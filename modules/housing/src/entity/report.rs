//! 乡镇上报 — a township's monthly report on its house safety work, with the figures as they
//! stood when it was sent (JSON), and the commission's handling.
use sea_orm::entity::prelude::*;

use super::enums::ReportState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "housing_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub township_id: Uuid,
    /// `YYYY-MM` (Asia/Shanghai month reported on).
    pub period: String,
    pub summary: String,
    /// The township's figures when the report was (re)submitted, as JSON.
    pub figures: String,
    pub status: ReportState,
    pub return_reason: Option<String>,
    pub close_note: Option<String>,
    pub submitted_by: Uuid,
    pub submitted_at: DateTimeUtc,
    pub handled_by: Option<Uuid>,
    pub handled_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

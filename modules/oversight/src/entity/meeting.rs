//! 会议 — a deployment meeting or study session, as held.
use sea_orm::entity::prelude::*;

use super::enums::MeetingKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oversight_meeting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: Date,
    pub venue: String,
    pub chair: String,
    /// Attendees as written (name and unit), JSON array of strings.
    pub attendees: String,
    /// Topics, JSON array of strings.
    pub topics: String,
    pub summary: String,
    pub recorded_by: Uuid,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

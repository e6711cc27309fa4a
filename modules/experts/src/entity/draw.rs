//! 专家随机抽取 — a committed, then drawn, random draw of experts for one subject.
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_draw")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub subject_type: AssignmentSubject,
    pub subject_id: Uuid,
    pub specialty: Specialty,
    pub expert_count: i32,
    pub status: DrawStatus,
    /// hex(SHA-256(seed ‖ SHA-256(document)))
    pub commitment: String,
    /// Secret until drawn.
    pub seed_hex: String,
    /// The canonical input document (rules::draw::canonical_json).
    pub document: String,
    /// The drawn order (JSON array of expert ids), once drawn.
    pub result: Option<String>,
    pub draw_date: Date,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub drawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! “双随机、一公开” — a double-random draw: committed, drawn, published.
use sea_orm::entity::prelude::*;

use super::enums::DrawStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "random_draw")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub status: DrawStatus,
    /// Hex SHA-256 of the seed, public from creation.
    pub commitment: String,
    /// The seed (64 hex digits); shown only once the draw is published.
    pub seed_hex: String,
    /// The draw input without the seed (pools, counts, conflicts), fixed at creation.
    #[sea_orm(column_type = "Text")]
    pub pools: String,
    /// Display data for the published result: project codes/names, inspector names.
    #[sea_orm(column_type = "Text")]
    pub labels: String,
    /// The result (`rules::draw::DrawResult` as JSON), once drawn.
    #[sea_orm(column_type = "Text", nullable)]
    pub result: Option<String>,
    pub input_hash: Option<String>,
    pub deadline_working_days: i32,
    pub deadline_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub drawn_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    /// The draw date (Beijing time), part of the committed input (`jianan-draw-v2`); `None` for
    /// draws committed under the legacy v1 protocol.
    pub draw_date: Option<Date>,
    /// When its results must be published at the latest: 20 working days after the draw was
    /// run (`rules::draw_results`); set when drawn.
    pub results_deadline_at: Option<DateTimeUtc>,
    /// When its results (the outcome of every assignment) were published.
    pub results_published_at: Option<DateTimeUtc>,
    /// The outcomes as published (`service::draw::Outcome` list as JSON), frozen at publication.
    #[sea_orm(column_type = "Text", nullable)]
    pub outcomes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

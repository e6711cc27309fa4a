//! A partner system's subscription to change topics, delivered as signed HTTP POSTs (webhooks).
#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_subscription")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The account (usually a service account) that owns it; deliveries stop when it is archived.
    pub account_id: Uuid,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The topics, as a JSON array of strings.
    #[sea_orm(column_type = "Text")]
    pub topics: String,
    pub description: String,
    /// Bumped by a secret rotation: the signing secret is derived from (server key, id, generation).
    pub secret_generation: i32,
    /// Paused subscriptions get no new deliveries.
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

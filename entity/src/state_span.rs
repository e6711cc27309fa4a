//! A span of time during which a record was in a state: a project ACTIVE, an account holding the
//! LEADER role. Obligations are judged against these spans, so a period's subjects are those that
//! owed the duty *during* it, not those that happen to owe it today.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "state_span")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// GraphQL type name of the record (`Project`, `Account`).
    pub subject_type: String,
    pub subject_id: Uuid,
    /// The state (a project status, a role).
    pub state: String,
    /// From (inclusive).
    pub from_at: DateTimeUtc,
    /// Until (exclusive); open while the record is still in the state.
    pub until_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! One subject's standing in a closed period, frozen when the period closed: what the commission
//! was told then is what it reads later.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "obligation_standing")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub obligation: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject_id: Uuid,
    pub subject_type: String,
    pub label: String,
    pub township_id: Option<Uuid>,
    pub count: i32,
    pub required: i32,
    /// Days of the period on which the subject owed the duty.
    pub owed_days: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

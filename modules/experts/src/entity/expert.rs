//! 专家 — an expert in the library (专家库).
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_expert")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// Specialty codes, comma-separated with a comma on each side (",FOUNDATION_PIT,SCAFFOLDING,"),
    /// so one specialty is matched with `LIKE '%,CODE,%'`.
    pub specialties: String,
    /// 职称 (professional title)
    pub title: String,
    /// Employer's unified social credit code.
    pub employer_uscc: Option<String>,
    /// The employer in the registry, when it is registered there (avoidance).
    pub employer_enterprise_id: Option<Uuid>,
    pub employer_name: Option<String>,
    pub status: ExpertStatus,
    pub phone: Option<String>,
    /// The expert's login account (role EXPERT), when they have one.
    pub account_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! 危大工程 — a dangerous sub-project registered on a project.
#[allow(unused_imports)]
use super::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts_dangerous_work")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    pub kind: DangerousWorkKind,
    pub description: String,
    /// JSON array of {measure, value}.
    pub measures: String,
    /// 超过一定规模 (decided by rules::dangerous_works).
    pub beyond_scale: bool,
    /// Which threshold made it so (Chinese, for the record).
    pub basis: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

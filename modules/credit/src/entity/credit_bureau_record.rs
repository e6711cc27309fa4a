//! 市场监管局记录 — a record of the Market Supervision Bureau (a penalty, an abnormal-operation
//! listing, a serious-dishonesty listing), brought in by its bulk import and matched to the
//! registry by unified social credit code. Kept apart from the commission's own records: it does
//! not change a score, it feeds the joint-punishment restrictions.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_bureau_record")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The import that brought it.
    pub import_id: Uuid,
    /// [`crate::rules::bureau::BureauKind`], stored spelling.
    pub kind: String,
    pub uscc: String,
    /// The registry's enterprise with that code, if there is one (`None`: reported as unknown).
    pub enterprise_id: Option<Uuid>,
    pub enterprise_name: String,
    /// 决定文书号: unique per kind.
    pub document_number: String,
    pub decided_on: Date,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub content: Option<String>,
    /// Last day in force ([`crate::rules::bureau::in_force_until`]); `None`: until removed.
    pub in_force_until: Option<Date>,
    pub authority: String,
    /// Its row in the imported file (header = 1).
    pub row_number: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! The Market Supervision Bureau's records (`credit_bureau_record`) and the imports that bring
//! them (`credit_import`, unique by the file's SHA-256).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CreditImport {
    Table,
    Id,
    FileSha256,
    FileName,
    Rows,
    Imported,
    Updated,
    Unchanged,
    UnknownEnterprises,
    ImportedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CreditBureauRecord {
    Table,
    Id,
    ImportId,
    Kind,
    Uscc,
    EnterpriseId,
    EnterpriseName,
    DocumentNumber,
    DecidedOn,
    Reason,
    Content,
    InForceUntil,
    Authority,
    RowNumber,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CreditImport::Table)
                .col(uuid(CreditImport::Id).primary_key())
                .col(string_len(CreditImport::FileSha256, 64).unique_key())
                .col(string_len(CreditImport::FileName, 255))
                .col(integer(CreditImport::Rows))
                .col(integer(CreditImport::Imported))
                .col(integer(CreditImport::Updated))
                .col(integer(CreditImport::Unchanged))
                .col(integer(CreditImport::UnknownEnterprises))
                .col(uuid_null(CreditImport::ImportedBy))
                .col(timestamp_with_time_zone(CreditImport::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditBureauRecord::Table)
                .col(uuid(CreditBureauRecord::Id).primary_key())
                .col(uuid(CreditBureauRecord::ImportId))
                .col(string_len(CreditBureauRecord::Kind, 32))
                .col(string_len(CreditBureauRecord::Uscc, 18))
                .col(uuid_null(CreditBureauRecord::EnterpriseId))
                .col(string_len(CreditBureauRecord::EnterpriseName, 200))
                .col(string_len(CreditBureauRecord::DocumentNumber, 100))
                .col(date(CreditBureauRecord::DecidedOn))
                .col(text(CreditBureauRecord::Reason))
                .col(text_null(CreditBureauRecord::Content))
                .col(date_null(CreditBureauRecord::InForceUntil))
                .col(string_len(CreditBureauRecord::Authority, 100))
                .col(integer(CreditBureauRecord::RowNumber))
                .col(timestamp_with_time_zone(CreditBureauRecord::CreatedAt))
                .col(timestamp_with_time_zone(CreditBureauRecord::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // One record per decision document of a kind: what makes a re-export idempotent.
        m.create_index(
            Index::create()
                .name("ux_credit_bureau_record_document")
                .table(CreditBureauRecord::Table)
                .col(CreditBureauRecord::Kind)
                .col(CreditBureauRecord::DocumentNumber)
                .unique()
                .to_owned(),
        )
        .await?;
        // Restrictions and profiles read an enterprise's records by code.
        m.create_index(
            Index::create()
                .name("ix_credit_bureau_record_uscc")
                .table(CreditBureauRecord::Table)
                .col(CreditBureauRecord::Uscc)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CreditBureauRecord::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(CreditImport::Table).to_owned())
            .await?;
        Ok(())
    }
}

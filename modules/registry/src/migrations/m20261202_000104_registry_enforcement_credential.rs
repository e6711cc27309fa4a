//! 执法证 — an account's enforcement credential (number, issuing authority, valid until): only an
//! officer holding one valid on the draw date may be in a double-random draw's inspector pool
//! (issue #7 item 6). Three nullable columns: an account without a credential has none of them.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Account {
    Table,
    EnforcementCertNumber,
    EnforcementCertAuthority,
    EnforcementCertValidUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        m.alter_table(
            Table::alter()
                .table(Account::Table)
                .add_column(string_len_null(Account::EnforcementCertNumber, 64))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Account::Table)
                .add_column(string_len_null(Account::EnforcementCertAuthority, 100))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Account::Table)
                .add_column(date_null(Account::EnforcementCertValidUntil))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Account::EnforcementCertValidUntil,
            Account::EnforcementCertAuthority,
            Account::EnforcementCertNumber,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Account::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

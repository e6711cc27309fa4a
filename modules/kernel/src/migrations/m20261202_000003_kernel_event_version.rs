//! Outbox events carry the major version of their payload's contract, so a consumer built for an
//! older version can refuse a newer payload instead of misreading it. Events written before this
//! migration were all version 1.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvent {
    Table,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // NOT NULL with a constant default: accepted by SQLite's ADD COLUMN and by PostgreSQL.
        m.alter_table(
            Table::alter()
                .table(OutboxEvent::Table)
                .add_column(integer(OutboxEvent::Version).default(1))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OutboxEvent::Table)
                .drop_column(OutboxEvent::Version)
                .to_owned(),
        )
        .await
    }
}

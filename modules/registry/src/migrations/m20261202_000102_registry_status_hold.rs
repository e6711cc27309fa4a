//! A project's status can be held by an enforcement action: a stop-work order (停工整改通知)
//! suspends the project until a resume order lifts it, and nobody changes the status meanwhile.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Project {
    Table,
    StatusHoldId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Project::Table)
                .add_column(uuid_null(Project::StatusHoldId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Project::Table)
                .drop_column(Project::StatusHoldId)
                .to_owned(),
        )
        .await
    }
}

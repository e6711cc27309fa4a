use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PublicityItem {
    Table,
    Id,
    ProjectId,
    TownshipId,
    Kind,
    Title,
    Location,
    RecordedBy,
    RecordedAt,
}
#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PublicityItem::Table)
                .col(uuid(PublicityItem::Id).primary_key())
                .col(uuid(PublicityItem::ProjectId))
                .col(uuid(PublicityItem::TownshipId))
                .col(string_len(PublicityItem::Kind, 16))
                .col(string(PublicityItem::Title))
                .col(string(PublicityItem::Location))
                .col(uuid_null(PublicityItem::RecordedBy))
                .col(timestamp_with_time_zone(PublicityItem::RecordedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_publicity_project")
                        .from(PublicityItem::Table, PublicityItem::ProjectId)
                        .to(Project::Table, Project::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_publicity_project")
                .table(PublicityItem::Table)
                .col(PublicityItem::ProjectId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PublicityItem::Table).to_owned())
            .await
    }
}

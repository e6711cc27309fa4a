use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RandomDraw {
    Table,
    Id,
    Title,
    Status,
    Commitment,
    SeedHex,
    Pools,
    Labels,
    Result,
    InputHash,
    DeadlineWorkingDays,
    DeadlineAt,
    CreatedBy,
    CreatedAt,
    DrawnAt,
    PublishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RandomDraw::Table)
                .col(uuid(RandomDraw::Id).primary_key())
                .col(string(RandomDraw::Title))
                .col(string_len(RandomDraw::Status, 16))
                .col(string_len(RandomDraw::Commitment, 64))
                .col(string_len(RandomDraw::SeedHex, 64))
                .col(text(RandomDraw::Pools))
                .col(text(RandomDraw::Labels))
                .col(text_null(RandomDraw::Result))
                .col(string_len_null(RandomDraw::InputHash, 64))
                .col(integer(RandomDraw::DeadlineWorkingDays))
                .col(timestamp_with_time_zone_null(RandomDraw::DeadlineAt))
                .col(uuid_null(RandomDraw::CreatedBy))
                .col(timestamp_with_time_zone(RandomDraw::CreatedAt))
                .col(timestamp_with_time_zone_null(RandomDraw::DrawnAt))
                .col(timestamp_with_time_zone_null(RandomDraw::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_draw_created")
                .table(RandomDraw::Table)
                .col(RandomDraw::CreatedAt)
                .col(RandomDraw::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RandomDraw::Table).to_owned())
            .await
    }
}

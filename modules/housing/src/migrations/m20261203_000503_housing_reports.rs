//! Reporting up (issue #11 item 5): a township's monthly report on its house safety work, with
//! the figures as they stood when it was sent, handled by the commission to closure. One report
//! per township and month.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HousingReport {
    Table,
    Id,
    TownshipId,
    Period,
    Summary,
    Figures,
    Status,
    ReturnReason,
    CloseNote,
    SubmittedBy,
    SubmittedAt,
    HandledBy,
    HandledAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HousingReport::Table)
                .col(uuid(HousingReport::Id).primary_key())
                .col(uuid(HousingReport::TownshipId))
                .col(string_len(HousingReport::Period, 7))
                .col(text(HousingReport::Summary))
                .col(text(HousingReport::Figures))
                .col(string_len(HousingReport::Status, 16))
                .col(text_null(HousingReport::ReturnReason))
                .col(text_null(HousingReport::CloseNote))
                .col(uuid(HousingReport::SubmittedBy))
                .col(timestamp_with_time_zone(HousingReport::SubmittedAt))
                .col(uuid_null(HousingReport::HandledBy))
                .col(timestamp_with_time_zone_null(HousingReport::HandledAt))
                .col(integer(HousingReport::Version))
                .col(timestamp_with_time_zone(HousingReport::CreatedAt))
                .col(timestamp_with_time_zone(HousingReport::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_housing_report_period")
                .table(HousingReport::Table)
                .col(HousingReport::TownshipId)
                .col(HousingReport::Period)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_report_created")
                .table(HousingReport::Table)
                .col(HousingReport::CreatedAt)
                .col(HousingReport::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(HousingReport::Table).to_owned())
            .await
    }
}

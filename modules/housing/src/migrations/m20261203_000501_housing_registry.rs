//! Houses, screening campaigns (with their townships), screening records and the hazard ledger.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HousingHouse {
    Table,
    Id,
    TownshipId,
    Village,
    Address,
    AddressKey,
    LongitudeE6,
    LatitudeE6,
    OwnerName,
    OwnerPhone,
    Structure,
    Storeys,
    YearBuilt,
    HouseUse,
    FloorAreaDm2,
    SelfBuilt,
    HasDocuments,
    Risk,
    Level,
    ScreenedAt,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HousingCampaign {
    Table,
    Id,
    Name,
    Uses,
    Structures,
    StartsOn,
    EndsOn,
    TargetCount,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HousingCampaignTownship {
    Table,
    Id,
    CampaignId,
    TownshipId,
}

#[derive(DeriveIden)]
enum HousingScreening {
    Table,
    Id,
    CampaignId,
    HouseId,
    TownshipId,
    Observed,
    Findings,
    Risk,
    Level,
    ScreenedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HousingLedgerEntry {
    Table,
    Id,
    HouseId,
    TownshipId,
    ScreeningId,
    Risk,
    Level,
    Measure,
    ResponsiblePerson,
    Deadline,
    State,
    CloseNote,
    ClosedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HousingHouse::Table)
                .col(uuid(HousingHouse::Id).primary_key())
                .col(uuid(HousingHouse::TownshipId))
                .col(string_len(HousingHouse::Village, 100))
                .col(string_len(HousingHouse::Address, 200))
                .col(string_len(HousingHouse::AddressKey, 200))
                .col(big_integer(HousingHouse::LongitudeE6))
                .col(big_integer(HousingHouse::LatitudeE6))
                .col(string_len(HousingHouse::OwnerName, 50))
                .col(string_len_null(HousingHouse::OwnerPhone, 32))
                .col(string_len(HousingHouse::Structure, 16))
                .col(integer(HousingHouse::Storeys))
                .col(integer_null(HousingHouse::YearBuilt))
                .col(string_len(HousingHouse::HouseUse, 16))
                .col(big_integer(HousingHouse::FloorAreaDm2))
                .col(boolean(HousingHouse::SelfBuilt))
                .col(boolean(HousingHouse::HasDocuments))
                .col(string_len_null(HousingHouse::Risk, 16))
                .col(string_len_null(HousingHouse::Level, 1))
                .col(timestamp_with_time_zone_null(HousingHouse::ScreenedAt))
                .col(uuid_null(HousingHouse::CreatedBy))
                .col(integer(HousingHouse::Version))
                .col(timestamp_with_time_zone(HousingHouse::CreatedAt))
                .col(timestamp_with_time_zone(HousingHouse::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // Duplicate addresses within a township are refused; this index settles races.
        m.create_index(
            Index::create()
                .name("ux_housing_house_address")
                .table(HousingHouse::Table)
                .col(HousingHouse::TownshipId)
                .col(HousingHouse::AddressKey)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_house_created")
                .table(HousingHouse::Table)
                .col(HousingHouse::CreatedAt)
                .col(HousingHouse::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_house_township")
                .table(HousingHouse::Table)
                .col(HousingHouse::TownshipId)
                .col(HousingHouse::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(HousingCampaign::Table)
                .col(uuid(HousingCampaign::Id).primary_key())
                .col(string_len(HousingCampaign::Name, 100))
                .col(text(HousingCampaign::Uses))
                .col(text(HousingCampaign::Structures))
                .col(date(HousingCampaign::StartsOn))
                .col(date(HousingCampaign::EndsOn))
                .col(integer(HousingCampaign::TargetCount))
                .col(uuid_null(HousingCampaign::CreatedBy))
                .col(integer(HousingCampaign::Version))
                .col(timestamp_with_time_zone(HousingCampaign::CreatedAt))
                .col(timestamp_with_time_zone(HousingCampaign::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_campaign_created")
                .table(HousingCampaign::Table)
                .col(HousingCampaign::CreatedAt)
                .col(HousingCampaign::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HousingCampaignTownship::Table)
                .col(uuid(HousingCampaignTownship::Id).primary_key())
                .col(uuid(HousingCampaignTownship::CampaignId))
                .col(uuid(HousingCampaignTownship::TownshipId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_housing_campaign_township_campaign")
                        .from(
                            HousingCampaignTownship::Table,
                            HousingCampaignTownship::CampaignId,
                        )
                        .to(HousingCampaign::Table, HousingCampaign::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_housing_campaign_township")
                .table(HousingCampaignTownship::Table)
                .col(HousingCampaignTownship::CampaignId)
                .col(HousingCampaignTownship::TownshipId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_campaign_township_township")
                .table(HousingCampaignTownship::Table)
                .col(HousingCampaignTownship::TownshipId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(HousingScreening::Table)
                .col(uuid(HousingScreening::Id).primary_key())
                .col(uuid(HousingScreening::CampaignId))
                .col(uuid(HousingScreening::HouseId))
                .col(uuid(HousingScreening::TownshipId))
                .col(text(HousingScreening::Observed))
                .col(text(HousingScreening::Findings))
                .col(string_len(HousingScreening::Risk, 16))
                .col(string_len_null(HousingScreening::Level, 1))
                .col(uuid_null(HousingScreening::ScreenedBy))
                .col(timestamp_with_time_zone(HousingScreening::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_housing_screening_campaign")
                        .from(HousingScreening::Table, HousingScreening::CampaignId)
                        .to(HousingCampaign::Table, HousingCampaign::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_housing_screening_house")
                        .from(HousingScreening::Table, HousingScreening::HouseId)
                        .to(HousingHouse::Table, HousingHouse::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_housing_screening_campaign_house")
                .table(HousingScreening::Table)
                .col(HousingScreening::CampaignId)
                .col(HousingScreening::HouseId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_screening_campaign_township")
                .table(HousingScreening::Table)
                .col(HousingScreening::CampaignId)
                .col(HousingScreening::TownshipId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_screening_house")
                .table(HousingScreening::Table)
                .col(HousingScreening::HouseId)
                .col(HousingScreening::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(HousingLedgerEntry::Table)
                .col(uuid(HousingLedgerEntry::Id).primary_key())
                .col(uuid(HousingLedgerEntry::HouseId))
                .col(uuid(HousingLedgerEntry::TownshipId))
                .col(uuid(HousingLedgerEntry::ScreeningId))
                .col(string_len(HousingLedgerEntry::Risk, 16))
                .col(string_len_null(HousingLedgerEntry::Level, 1))
                .col(string_len(HousingLedgerEntry::Measure, 16))
                .col(string_len_null(HousingLedgerEntry::ResponsiblePerson, 50))
                .col(date_null(HousingLedgerEntry::Deadline))
                .col(string_len(HousingLedgerEntry::State, 16))
                .col(text_null(HousingLedgerEntry::CloseNote))
                .col(timestamp_with_time_zone_null(HousingLedgerEntry::ClosedAt))
                .col(integer(HousingLedgerEntry::Version))
                .col(timestamp_with_time_zone(HousingLedgerEntry::CreatedAt))
                .col(timestamp_with_time_zone(HousingLedgerEntry::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_housing_ledger_house")
                        .from(HousingLedgerEntry::Table, HousingLedgerEntry::HouseId)
                        .to(HousingHouse::Table, HousingHouse::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_housing_ledger_screening")
                        .from(HousingLedgerEntry::Table, HousingLedgerEntry::ScreeningId)
                        .to(HousingScreening::Table, HousingScreening::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_ledger_township")
                .table(HousingLedgerEntry::Table)
                .col(HousingLedgerEntry::TownshipId)
                .col(HousingLedgerEntry::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_ledger_house")
                .table(HousingLedgerEntry::Table)
                .col(HousingLedgerEntry::HouseId)
                .col(HousingLedgerEntry::State)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            HousingLedgerEntry::Table.into_iden(),
            HousingScreening::Table.into_iden(),
            HousingCampaignTownship::Table.into_iden(),
            HousingCampaign::Table.into_iden(),
            HousingHouse::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

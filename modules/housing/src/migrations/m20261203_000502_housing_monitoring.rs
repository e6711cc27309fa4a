//! Monitor assignments and monitoring logs.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HousingHouse {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum HousingMonitorAssignment {
    Table,
    Id,
    HouseId,
    TownshipId,
    MonitorAccountId,
    FrequencyDays,
    StartsOn,
    AssignedBy,
    CreatedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum HousingMonitoringLog {
    Table,
    Id,
    AssignmentId,
    HouseId,
    TownshipId,
    MonitorAccountId,
    Readings,
    Trend,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HousingMonitorAssignment::Table)
                .col(uuid(HousingMonitorAssignment::Id).primary_key())
                .col(uuid(HousingMonitorAssignment::HouseId))
                .col(uuid(HousingMonitorAssignment::TownshipId))
                .col(uuid(HousingMonitorAssignment::MonitorAccountId))
                .col(integer(HousingMonitorAssignment::FrequencyDays))
                .col(date(HousingMonitorAssignment::StartsOn))
                .col(uuid_null(HousingMonitorAssignment::AssignedBy))
                .col(timestamp_with_time_zone(
                    HousingMonitorAssignment::CreatedAt,
                ))
                .col(timestamp_with_time_zone_null(
                    HousingMonitorAssignment::EndedAt,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_housing_assignment_house")
                        .from(
                            HousingMonitorAssignment::Table,
                            HousingMonitorAssignment::HouseId,
                        )
                        .to(HousingHouse::Table, HousingHouse::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_assignment_house")
                .table(HousingMonitorAssignment::Table)
                .col(HousingMonitorAssignment::HouseId)
                .col(HousingMonitorAssignment::EndedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_assignment_monitor")
                .table(HousingMonitorAssignment::Table)
                .col(HousingMonitorAssignment::MonitorAccountId)
                .col(HousingMonitorAssignment::EndedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_assignment_created")
                .table(HousingMonitorAssignment::Table)
                .col(HousingMonitorAssignment::CreatedAt)
                .col(HousingMonitorAssignment::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HousingMonitoringLog::Table)
                .col(uuid(HousingMonitoringLog::Id).primary_key())
                .col(uuid(HousingMonitoringLog::AssignmentId))
                .col(uuid(HousingMonitoringLog::HouseId))
                .col(uuid(HousingMonitoringLog::TownshipId))
                .col(uuid(HousingMonitoringLog::MonitorAccountId))
                .col(text(HousingMonitoringLog::Readings))
                .col(string_len(HousingMonitoringLog::Trend, 16))
                .col(timestamp_with_time_zone(HousingMonitoringLog::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_housing_log_assignment")
                        .from(
                            HousingMonitoringLog::Table,
                            HousingMonitoringLog::AssignmentId,
                        )
                        .to(
                            HousingMonitorAssignment::Table,
                            HousingMonitorAssignment::Id,
                        ),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_log_house")
                .table(HousingMonitoringLog::Table)
                .col(HousingMonitoringLog::HouseId)
                .col(HousingMonitoringLog::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_housing_log_created")
                .table(HousingMonitoringLog::Table)
                .col(HousingMonitoringLog::CreatedAt)
                .col(HousingMonitoringLog::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(HousingMonitoringLog::Table).to_owned())
            .await?;
        m.drop_table(
            Table::drop()
                .table(HousingMonitorAssignment::Table)
                .to_owned(),
        )
        .await
    }
}

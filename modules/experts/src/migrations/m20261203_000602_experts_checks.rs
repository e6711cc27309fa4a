//! Key periods as the experts module last heard of them, the expert checks scheduled for them
//! (or for a date range), and the chief-engineer register.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ExpertsKeyPeriod {
    Table,
    Id,
    Name,
    Kind,
    Level,
    StartsOn,
    EndsOn,
    Cancelled,
    EventSeq,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ExpertsCheck {
    Table,
    Id,
    KeyPeriodId,
    Title,
    StartsOn,
    EndsOn,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ExpertsChiefEngineer {
    Table,
    Id,
    EnterpriseId,
    Name,
    Title,
    Phone,
    Team,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ExpertsKeyPeriod::Table)
                .col(uuid(ExpertsKeyPeriod::Id).primary_key())
                .col(string(ExpertsKeyPeriod::Name))
                .col(string(ExpertsKeyPeriod::Kind))
                .col(integer(ExpertsKeyPeriod::Level))
                .col(date(ExpertsKeyPeriod::StartsOn))
                .col(date(ExpertsKeyPeriod::EndsOn))
                .col(boolean(ExpertsKeyPeriod::Cancelled))
                .col(big_integer(ExpertsKeyPeriod::EventSeq))
                .col(timestamp_with_time_zone(ExpertsKeyPeriod::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ExpertsCheck::Table)
                .col(uuid(ExpertsCheck::Id).primary_key())
                .col(uuid_null(ExpertsCheck::KeyPeriodId))
                .col(string(ExpertsCheck::Title))
                .col(date(ExpertsCheck::StartsOn))
                .col(date(ExpertsCheck::EndsOn))
                .col(string(ExpertsCheck::Status))
                .col(uuid_null(ExpertsCheck::CreatedBy))
                .col(timestamp_with_time_zone(ExpertsCheck::CreatedAt))
                .col(timestamp_with_time_zone(ExpertsCheck::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_experts_check_key_period")
                .table(ExpertsCheck::Table)
                .col(ExpertsCheck::KeyPeriodId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_experts_check_created")
                .table(ExpertsCheck::Table)
                .col(ExpertsCheck::CreatedAt)
                .col(ExpertsCheck::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ExpertsChiefEngineer::Table)
                .col(uuid(ExpertsChiefEngineer::Id).primary_key())
                .col(uuid(ExpertsChiefEngineer::EnterpriseId))
                .col(string(ExpertsChiefEngineer::Name))
                .col(string(ExpertsChiefEngineer::Title))
                .col(string_null(ExpertsChiefEngineer::Phone))
                .col(text(ExpertsChiefEngineer::Team))
                .col(integer(ExpertsChiefEngineer::Version))
                .col(timestamp_with_time_zone(ExpertsChiefEngineer::CreatedAt))
                .col(timestamp_with_time_zone(ExpertsChiefEngineer::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_experts_chief_engineer_enterprise")
                        .from(
                            ExpertsChiefEngineer::Table,
                            ExpertsChiefEngineer::EnterpriseId,
                        )
                        .to(Enterprise::Table, Enterprise::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_experts_chief_engineer_enterprise")
                .table(ExpertsChiefEngineer::Table)
                .col(ExpertsChiefEngineer::EnterpriseId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_experts_chief_engineer_created")
                .table(ExpertsChiefEngineer::Table)
                .col(ExpertsChiefEngineer::CreatedAt)
                .col(ExpertsChiefEngineer::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ExpertsChiefEngineer::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ExpertsCheck::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ExpertsKeyPeriod::Table).to_owned())
            .await?;
        Ok(())
    }
}

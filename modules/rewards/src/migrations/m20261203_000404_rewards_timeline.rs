//! When each handling step happened (`accepted_at`, `verified_at`, `closed_at`), so that the
//! statistics measure the time to acceptance and to verification in SQL.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RewardsReport {
    Table,
    AcceptedAt,
    VerifiedAt,
    ClosedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            RewardsReport::AcceptedAt,
            RewardsReport::VerifiedAt,
            RewardsReport::ClosedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(RewardsReport::Table)
                    .add_column(timestamp_with_time_zone_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            RewardsReport::AcceptedAt,
            RewardsReport::VerifiedAt,
            RewardsReport::ClosedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(RewardsReport::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

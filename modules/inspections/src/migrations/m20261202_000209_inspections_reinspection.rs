//! Re-inspection duties (issue #7 item 5): a scored inspection rated 不合格 under JGJ 59-2011
//! (§5.0.3: a failing site is rectified within a time limit until it passes) calls for a scored
//! re-inspection of the project by a deadline.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reinspection {
    Table,
    FailedInspectionId,
    ProjectId,
    ByCommission,
    DueAt,
    FulfilledInspectionId,
    FulfilledAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Reinspection::Table)
                .col(uuid(Reinspection::FailedInspectionId).primary_key())
                .col(uuid(Reinspection::ProjectId))
                .col(boolean(Reinspection::ByCommission))
                .col(timestamp_with_time_zone(Reinspection::DueAt))
                .col(uuid_null(Reinspection::FulfilledInspectionId))
                .col(timestamp_with_time_zone_null(Reinspection::FulfilledAt))
                .col(timestamp_with_time_zone(Reinspection::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_reinspection_open")
                .table(Reinspection::Table)
                .col(Reinspection::ProjectId)
                .col(Reinspection::FulfilledAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Reinspection::Table).to_owned())
            .await
    }
}

//! What a report led to: `rewards_report_link` ties a report to the hazards inspections opened
//! for it and to the enforcement actions issued over those hazards (filled from the events of
//! inspections, never typed by hand), one row per report and record.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RewardsReportLink {
    Table,
    ReportId,
    TargetType,
    TargetId,
    CreatedAt,
}
#[derive(DeriveIden)]
enum RewardsReport {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RewardsReportLink::Table)
                .col(uuid(RewardsReportLink::ReportId))
                .col(string_len(RewardsReportLink::TargetType, 32))
                .col(uuid(RewardsReportLink::TargetId))
                .col(timestamp_with_time_zone(RewardsReportLink::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(RewardsReportLink::ReportId)
                        .col(RewardsReportLink::TargetType)
                        .col(RewardsReportLink::TargetId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_rewards_link_report")
                        .from(RewardsReportLink::Table, RewardsReportLink::ReportId)
                        .to(RewardsReport::Table, RewardsReport::Id),
                )
                .to_owned(),
        )
        .await?;
        // Finding the report behind a hazard when an enforcement action names it.
        m.create_index(
            Index::create()
                .name("ix_rewards_link_target")
                .table(RewardsReportLink::Table)
                .col(RewardsReportLink::TargetType)
                .col(RewardsReportLink::TargetId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RewardsReportLink::Table).to_owned())
            .await
    }
}

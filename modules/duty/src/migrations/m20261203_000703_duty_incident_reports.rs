//! Information reports (信息报告): accidents, dangers and disasters, their follow-ups and closure.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DutyIncidentReport {
    Table,
    Id,
    Kind,
    Severity,
    Title,
    Description,
    TownshipId,
    ProjectId,
    OccurredAt,
    ReportedAt,
    FirstDueAt,
    Deaths,
    Injuries,
    Missing,
    DirectLossYuan,
    Status,
    NextDueAt,
    OverduePublishedAt,
    ClosedAt,
    ReportedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DutyIncidentUpdate {
    Table,
    Id,
    ReportId,
    Step,
    Text,
    Deaths,
    Injuries,
    Missing,
    DirectLossYuan,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DutyIncidentReport as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(uuid(R::Id).primary_key())
                .col(string_len(R::Kind, 16))
                .col(string_len(R::Severity, 16))
                .col(string_len(R::Title, 200))
                .col(text(R::Description))
                .col(uuid(R::TownshipId))
                .col(uuid_null(R::ProjectId))
                .col(timestamp_with_time_zone(R::OccurredAt))
                .col(timestamp_with_time_zone(R::ReportedAt))
                .col(timestamp_with_time_zone(R::FirstDueAt))
                .col(integer(R::Deaths))
                .col(integer(R::Injuries))
                .col(integer(R::Missing))
                .col(big_integer(R::DirectLossYuan))
                .col(string_len(R::Status, 8))
                .col(timestamp_with_time_zone_null(R::NextDueAt))
                .col(timestamp_with_time_zone_null(R::OverduePublishedAt))
                .col(timestamp_with_time_zone_null(R::ClosedAt))
                .col(uuid_null(R::ReportedBy))
                .col(integer(R::Version))
                .col(timestamp_with_time_zone(R::CreatedAt))
                .col(timestamp_with_time_zone(R::UpdatedAt))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_duty_incident_created", vec![R::CreatedAt, R::Id]),
            (
                "ix_duty_incident_township",
                vec![R::TownshipId, R::CreatedAt],
            ),
            ("ix_duty_incident_due", vec![R::NextDueAt]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(R::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        use DutyIncidentUpdate as U;
        m.create_table(
            Table::create()
                .table(U::Table)
                .col(uuid(U::Id).primary_key())
                .col(uuid(U::ReportId))
                .col(string_len(U::Step, 16))
                .col(text(U::Text))
                .col(integer(U::Deaths))
                .col(integer(U::Injuries))
                .col(integer(U::Missing))
                .col(big_integer(U::DirectLossYuan))
                .col(uuid_null(U::CreatedBy))
                .col(timestamp_with_time_zone(U::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_duty_incident_update_report")
                        .from(U::Table, U::ReportId)
                        .to(R::Table, R::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_incident_update_report")
                .table(U::Table)
                .col(U::ReportId)
                .col(U::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DutyIncidentUpdate::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(DutyIncidentReport::Table).to_owned())
            .await
    }
}

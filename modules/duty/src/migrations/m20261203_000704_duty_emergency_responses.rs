//! Emergency responses (应急响应, level Ⅳ to Ⅰ): start, escalations, end, linked reports.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DutyEmergencyResponse {
    Table,
    Id,
    Title,
    Reason,
    Level,
    StartedAt,
    EndedAt,
    StartedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DutyEmergencyResponseStep {
    Table,
    Id,
    ResponseId,
    Action,
    Level,
    Note,
    By,
    At,
}

#[derive(DeriveIden)]
enum DutyEmergencyResponseReport {
    Table,
    Id,
    ResponseId,
    ReportId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DutyIncidentReport {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DutyEmergencyResponse as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(uuid(R::Id).primary_key())
                .col(string_len(R::Title, 200))
                .col(text(R::Reason))
                .col(string_len(R::Level, 4))
                .col(timestamp_with_time_zone(R::StartedAt))
                .col(timestamp_with_time_zone_null(R::EndedAt))
                .col(uuid_null(R::StartedBy))
                .col(integer(R::Version))
                .col(timestamp_with_time_zone(R::CreatedAt))
                .col(timestamp_with_time_zone(R::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_emergency_response_created")
                .table(R::Table)
                .col(R::CreatedAt)
                .col(R::Id)
                .to_owned(),
        )
        .await?;
        use DutyEmergencyResponseStep as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(uuid(S::Id).primary_key())
                .col(uuid(S::ResponseId))
                .col(string_len(S::Action, 16))
                .col(string_len(S::Level, 4))
                .col(text_null(S::Note))
                .col(uuid_null(S::By))
                .col(timestamp_with_time_zone(S::At))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_duty_emergency_step_response")
                        .from(S::Table, S::ResponseId)
                        .to(R::Table, R::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_emergency_step_response")
                .table(S::Table)
                .col(S::ResponseId)
                .col(S::Id)
                .to_owned(),
        )
        .await?;
        use DutyEmergencyResponseReport as L;
        m.create_table(
            Table::create()
                .table(L::Table)
                .col(uuid(L::Id).primary_key())
                .col(uuid(L::ResponseId))
                .col(uuid(L::ReportId))
                .col(timestamp_with_time_zone(L::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_duty_emergency_link_response")
                        .from(L::Table, L::ResponseId)
                        .to(R::Table, R::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_duty_emergency_link_report")
                        .from(L::Table, L::ReportId)
                        .to(DutyIncidentReport::Table, DutyIncidentReport::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_duty_emergency_link")
                .table(L::Table)
                .col(L::ResponseId)
                .col(L::ReportId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(DutyEmergencyResponseReport::Table)
                .to_owned(),
        )
        .await?;
        m.drop_table(
            Table::drop()
                .table(DutyEmergencyResponseStep::Table)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(DutyEmergencyResponse::Table).to_owned())
            .await
    }
}

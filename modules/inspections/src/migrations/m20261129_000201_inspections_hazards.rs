use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Hazard {
    Table,
    Id,
    ProjectId,
    TownshipId,
    InspectionId,
    Level,
    Category,
    Description,
    Location,
    Status,
    ResponsibleEnterpriseId,
    ResponsiblePerson,
    DeadlineWorkingDays,
    DeadlineAt,
    VisibleToEnterprise,
    ReportedBy,
    ReportedAt,
    ClosedAt,
    OverdueAt,
    Version,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum HazardStep {
    Table,
    Id,
    HazardId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    Comment,
    At,
}
#[derive(DeriveIden)]
enum HazardImplementation {
    Table,
    HazardId,
    Kind,
    Content,
    RecordedBy,
    RecordedAt,
}
#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Hazard::Table)
                .col(uuid(Hazard::Id).primary_key())
                .col(uuid(Hazard::ProjectId))
                .col(uuid(Hazard::TownshipId))
                .col(uuid_null(Hazard::InspectionId))
                .col(string_len(Hazard::Level, 16))
                .col(string_len(Hazard::Category, 48))
                .col(text(Hazard::Description))
                .col(string(Hazard::Location))
                .col(string_len(Hazard::Status, 16))
                .col(uuid_null(Hazard::ResponsibleEnterpriseId))
                .col(string_null(Hazard::ResponsiblePerson))
                .col(integer_null(Hazard::DeadlineWorkingDays))
                .col(timestamp_with_time_zone_null(Hazard::DeadlineAt))
                .col(boolean(Hazard::VisibleToEnterprise).default(true))
                .col(uuid_null(Hazard::ReportedBy))
                .col(timestamp_with_time_zone(Hazard::ReportedAt))
                .col(timestamp_with_time_zone_null(Hazard::ClosedAt))
                .col(timestamp_with_time_zone_null(Hazard::OverdueAt))
                .col(integer(Hazard::Version).default(1))
                .col(timestamp_with_time_zone(Hazard::CreatedAt))
                .col(timestamp_with_time_zone(Hazard::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_hazard_project")
                        .from(Hazard::Table, Hazard::ProjectId)
                        .to(Project::Table, Project::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_hazard_enterprise")
                        .from(Hazard::Table, Hazard::ResponsibleEnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "ix_hazard_project",
                vec![Hazard::ProjectId, Hazard::ReportedAt],
            ),
            (
                "ix_hazard_township",
                vec![Hazard::TownshipId, Hazard::ReportedAt],
            ),
            ("ix_hazard_reported", vec![Hazard::ReportedAt, Hazard::Id]),
            (
                "ix_hazard_open_deadline",
                vec![Hazard::Status, Hazard::DeadlineAt],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Hazard::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(HazardStep::Table)
                .col(uuid(HazardStep::Id).primary_key())
                .col(uuid(HazardStep::HazardId))
                .col(string_len(HazardStep::Action, 16))
                .col(string_len_null(HazardStep::FromStatus, 16))
                .col(string_len(HazardStep::ToStatus, 16))
                .col(uuid_null(HazardStep::ActorId))
                .col(text(HazardStep::Comment))
                .col(timestamp_with_time_zone(HazardStep::At))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_step_hazard")
                        .from(HazardStep::Table, HazardStep::HazardId)
                        .to(Hazard::Table, Hazard::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_step_hazard")
                .table(HazardStep::Table)
                .col(HazardStep::HazardId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HazardImplementation::Table)
                .col(uuid(HazardImplementation::HazardId))
                .col(string_len(HazardImplementation::Kind, 24))
                .col(text(HazardImplementation::Content))
                .col(uuid_null(HazardImplementation::RecordedBy))
                .col(timestamp_with_time_zone(HazardImplementation::RecordedAt))
                .primary_key(
                    Index::create()
                        .col(HazardImplementation::HazardId)
                        .col(HazardImplementation::Kind),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_implementation_hazard")
                        .from(HazardImplementation::Table, HazardImplementation::HazardId)
                        .to(Hazard::Table, Hazard::Id),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            HazardImplementation::Table.into_iden(),
            HazardStep::Table.into_iden(),
            Hazard::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

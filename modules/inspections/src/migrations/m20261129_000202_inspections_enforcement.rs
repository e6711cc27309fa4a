use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EnforcementAction {
    Table,
    Id,
    Kind,
    LegalBasis,
    Description,
    TargetEnterpriseId,
    TargetPerson,
    ProjectId,
    TownshipId,
    Points,
    PenaltyFen,
    HazardIds,
    InspectionIds,
    IssuedBy,
    IssuedAt,
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
                .table(EnforcementAction::Table)
                .col(uuid(EnforcementAction::Id).primary_key())
                .col(string_len(EnforcementAction::Kind, 24))
                .col(text(EnforcementAction::LegalBasis))
                .col(text(EnforcementAction::Description))
                .col(uuid_null(EnforcementAction::TargetEnterpriseId))
                .col(string_null(EnforcementAction::TargetPerson))
                .col(uuid_null(EnforcementAction::ProjectId))
                .col(uuid_null(EnforcementAction::TownshipId))
                .col(integer_null(EnforcementAction::Points))
                .col(big_integer_null(EnforcementAction::PenaltyFen))
                .col(text(EnforcementAction::HazardIds))
                .col(text(EnforcementAction::InspectionIds))
                .col(uuid_null(EnforcementAction::IssuedBy))
                .col(timestamp_with_time_zone(EnforcementAction::IssuedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_enforcement_enterprise")
                        .from(
                            EnforcementAction::Table,
                            EnforcementAction::TargetEnterpriseId,
                        )
                        .to(Enterprise::Table, Enterprise::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_enforcement_project")
                        .from(EnforcementAction::Table, EnforcementAction::ProjectId)
                        .to(Project::Table, Project::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_enforcement_enterprise")
                .table(EnforcementAction::Table)
                .col(EnforcementAction::TargetEnterpriseId)
                .col(EnforcementAction::IssuedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_enforcement_issued")
                .table(EnforcementAction::Table)
                .col(EnforcementAction::IssuedAt)
                .col(EnforcementAction::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EnforcementAction::Table).to_owned())
            .await
    }
}

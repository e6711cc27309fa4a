use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    Id,
    Code,
    Name,
    Kind,
    ParentId,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}
#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
    Uscc,
    Name,
    Kind,
    LegalRepresentative,
    Address,
    Qualifications,
    LicenceNo,
    LicenceExpiresOn,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}
#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Username,
    DisplayName,
    Kind,
    SecretHash,
    Roles,
    OrgUnitId,
    EnterpriseId,
    Phone,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}
#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    AccountId,
    FamilyId,
    TokenHash,
    IssuedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}
#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
    Code,
    Name,
    TownshipId,
    Address,
    Kind,
    Status,
    StartOn,
    PlannedEndOn,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}
#[derive(DeriveIden)]
enum ProjectParticipant {
    Table,
    Id,
    ProjectId,
    EnterpriseId,
    Role,
}
#[derive(DeriveIden)]
enum ProjectPerson {
    Table,
    Id,
    ProjectId,
    Role,
    Name,
    Phone,
    IdCard,
    EnterpriseId,
    AccountId,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

/// Version, timestamps and the archive marker every registry record carries.
fn lifecycle(
    t: &mut TableCreateStatement,
    version: impl IntoIden,
    created: impl IntoIden,
    updated: impl IntoIden,
    archived: impl IntoIden,
) {
    t.col(integer(version).default(1))
        .col(timestamp_with_time_zone(created))
        .col(timestamp_with_time_zone(updated))
        .col(timestamp_with_time_zone_null(archived));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = Table::create();
        t.table(OrgUnit::Table)
            .col(uuid(OrgUnit::Id).primary_key())
            .col(string_uniq(OrgUnit::Code))
            .col(string(OrgUnit::Name))
            .col(string_len(OrgUnit::Kind, 32))
            .col(uuid_null(OrgUnit::ParentId))
            .foreign_key(&mut fk(
                "fk_org_unit_parent",
                (OrgUnit::Table, OrgUnit::ParentId),
                (OrgUnit::Table, OrgUnit::Id),
            ));
        lifecycle(
            &mut t,
            OrgUnit::Version,
            OrgUnit::CreatedAt,
            OrgUnit::UpdatedAt,
            OrgUnit::ArchivedAt,
        );
        m.create_table(t.to_owned()).await?;

        let mut t = Table::create();
        t.table(Enterprise::Table)
            .col(uuid(Enterprise::Id).primary_key())
            .col(string_len_uniq(Enterprise::Uscc, 18))
            .col(string(Enterprise::Name))
            .col(string_len(Enterprise::Kind, 32))
            .col(string_null(Enterprise::LegalRepresentative))
            .col(string_null(Enterprise::Address))
            .col(text(Enterprise::Qualifications))
            .col(string_null(Enterprise::LicenceNo))
            .col(date_null(Enterprise::LicenceExpiresOn));
        lifecycle(
            &mut t,
            Enterprise::Version,
            Enterprise::CreatedAt,
            Enterprise::UpdatedAt,
            Enterprise::ArchivedAt,
        );
        m.create_table(t.to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_enterprise_name")
                .table(Enterprise::Table)
                .col(Enterprise::Name)
                .col(Enterprise::Id)
                .to_owned(),
        )
        .await?;

        let mut t = Table::create();
        t.table(Account::Table)
            .col(uuid(Account::Id).primary_key())
            .col(string_uniq(Account::Username))
            .col(string(Account::DisplayName))
            .col(string_len(Account::Kind, 16))
            .col(string(Account::SecretHash))
            .col(text(Account::Roles))
            .col(uuid_null(Account::OrgUnitId))
            .col(uuid_null(Account::EnterpriseId))
            .col(string_null(Account::Phone))
            .foreign_key(&mut fk(
                "fk_account_org_unit",
                (Account::Table, Account::OrgUnitId),
                (OrgUnit::Table, OrgUnit::Id),
            ))
            .foreign_key(&mut fk(
                "fk_account_enterprise",
                (Account::Table, Account::EnterpriseId),
                (Enterprise::Table, Enterprise::Id),
            ));
        lifecycle(
            &mut t,
            Account::Version,
            Account::CreatedAt,
            Account::UpdatedAt,
            Account::ArchivedAt,
        );
        m.create_table(t.to_owned()).await?;

        m.create_table(
            Table::create()
                .table(RefreshToken::Table)
                .col(uuid(RefreshToken::Id).primary_key())
                .col(uuid(RefreshToken::AccountId))
                .col(uuid(RefreshToken::FamilyId))
                .col(string_len_uniq(RefreshToken::TokenHash, 64))
                .col(timestamp_with_time_zone(RefreshToken::IssuedAt))
                .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                .col(timestamp_with_time_zone_null(RefreshToken::RevokedAt))
                .foreign_key(&mut fk(
                    "fk_refresh_token_account",
                    (RefreshToken::Table, RefreshToken::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_refresh_token_family")
                .table(RefreshToken::Table)
                .col(RefreshToken::FamilyId)
                .to_owned(),
        )
        .await?;

        let mut t = Table::create();
        t.table(Project::Table)
            .col(uuid(Project::Id).primary_key())
            .col(string_uniq(Project::Code))
            .col(string(Project::Name))
            .col(uuid(Project::TownshipId))
            .col(string(Project::Address))
            .col(string_len(Project::Kind, 32))
            .col(string_len(Project::Status, 16))
            .col(date_null(Project::StartOn))
            .col(date_null(Project::PlannedEndOn))
            .foreign_key(&mut fk(
                "fk_project_township",
                (Project::Table, Project::TownshipId),
                (OrgUnit::Table, OrgUnit::Id),
            ));
        lifecycle(
            &mut t,
            Project::Version,
            Project::CreatedAt,
            Project::UpdatedAt,
            Project::ArchivedAt,
        );
        m.create_table(t.to_owned()).await?;
        for (name, col) in [
            ("ix_project_township", Project::TownshipId),
            ("ix_project_name", Project::Name),
            ("ix_project_created", Project::CreatedAt),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Project::Table)
                    .col(col)
                    .col(Project::Id)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(ProjectParticipant::Table)
                .col(uuid(ProjectParticipant::Id).primary_key())
                .col(uuid(ProjectParticipant::ProjectId))
                .col(uuid(ProjectParticipant::EnterpriseId))
                .col(string_len(ProjectParticipant::Role, 32))
                .foreign_key(&mut fk(
                    "fk_participant_project",
                    (ProjectParticipant::Table, ProjectParticipant::ProjectId),
                    (Project::Table, Project::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_participant_enterprise",
                    (ProjectParticipant::Table, ProjectParticipant::EnterpriseId),
                    (Enterprise::Table, Enterprise::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_participant")
                .table(ProjectParticipant::Table)
                .col(ProjectParticipant::ProjectId)
                .col(ProjectParticipant::EnterpriseId)
                .col(ProjectParticipant::Role)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_participant_enterprise")
                .table(ProjectParticipant::Table)
                .col(ProjectParticipant::EnterpriseId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ProjectPerson::Table)
                .col(uuid(ProjectPerson::Id).primary_key())
                .col(uuid(ProjectPerson::ProjectId))
                .col(string_len(ProjectPerson::Role, 32))
                .col(string(ProjectPerson::Name))
                .col(string_null(ProjectPerson::Phone))
                .col(string_null(ProjectPerson::IdCard))
                .col(uuid_null(ProjectPerson::EnterpriseId))
                .col(uuid_null(ProjectPerson::AccountId))
                .foreign_key(&mut fk(
                    "fk_person_project",
                    (ProjectPerson::Table, ProjectPerson::ProjectId),
                    (Project::Table, Project::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_person_enterprise",
                    (ProjectPerson::Table, ProjectPerson::EnterpriseId),
                    (Enterprise::Table, Enterprise::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_person_account",
                    (ProjectPerson::Table, ProjectPerson::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_person_project")
                .table(ProjectPerson::Table)
                .col(ProjectPerson::ProjectId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ProjectPerson::Table.into_iden(),
            ProjectParticipant::Table.into_iden(),
            Project::Table.into_iden(),
            RefreshToken::Table.into_iden(),
            Account::Table.into_iden(),
            Enterprise::Table.into_iden(),
            OrgUnit::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

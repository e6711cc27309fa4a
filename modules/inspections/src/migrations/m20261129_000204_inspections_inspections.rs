use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::rules::jgj59;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
    ProjectId,
    TownshipId,
    Kind,
    InspectedAt,
    Latitude,
    Longitude,
    InspectorIds,
    Findings,
    Result,
    TemplateCode,
    TemplateVersion,
    Answers,
    Scorecard,
    ScoreCenti,
    Covert,
    PublishedAt,
    RecordedBy,
    CreatedAt,
}
#[derive(DeriveIden)]
enum ChecklistTemplate {
    Table,
    Code,
    Version,
    Name,
    Body,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ChecklistTemplate::Table)
                .col(string_len(ChecklistTemplate::Code, 32))
                .col(integer(ChecklistTemplate::Version))
                .col(string(ChecklistTemplate::Name))
                .col(text(ChecklistTemplate::Body))
                .col(timestamp_with_time_zone(ChecklistTemplate::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(ChecklistTemplate::Code)
                        .col(ChecklistTemplate::Version),
                )
                .to_owned(),
        )
        .await?;
        // The first template: JGJ 59-2011, version 1, as data. A corrected edition is a new
        // version in a new migration; inspections keep the version they were scored with.
        let t = jgj59::jgj59_2011();
        let body = serde_json::to_string(&t).map_err(|e| DbErr::Custom(e.to_string()))?;
        m.exec_stmt(
            Query::insert()
                .into_table(ChecklistTemplate::Table)
                .columns([
                    ChecklistTemplate::Code,
                    ChecklistTemplate::Version,
                    ChecklistTemplate::Name,
                    ChecklistTemplate::Body,
                    ChecklistTemplate::CreatedAt,
                ])
                .values_panic([
                    t.code.clone().into(),
                    <i32 as TryFrom<u32>>::try_from(t.version)
                        .unwrap_or(1)
                        .into(),
                    t.name.clone().into(),
                    body.into(),
                    chrono::Utc::now().into(),
                ])
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Inspection::Table)
                .col(uuid(Inspection::Id).primary_key())
                .col(uuid(Inspection::ProjectId))
                .col(uuid(Inspection::TownshipId))
                .col(string_len(Inspection::Kind, 32))
                .col(timestamp_with_time_zone(Inspection::InspectedAt))
                .col(double_null(Inspection::Latitude))
                .col(double_null(Inspection::Longitude))
                .col(text(Inspection::InspectorIds))
                .col(text(Inspection::Findings))
                .col(string_len(Inspection::Result, 24))
                .col(string_len_null(Inspection::TemplateCode, 32))
                .col(integer_null(Inspection::TemplateVersion))
                .col(text_null(Inspection::Answers))
                .col(text_null(Inspection::Scorecard))
                .col(integer_null(Inspection::ScoreCenti))
                .col(boolean(Inspection::Covert).default(false))
                .col(timestamp_with_time_zone_null(Inspection::PublishedAt))
                .col(uuid_null(Inspection::RecordedBy))
                .col(timestamp_with_time_zone(Inspection::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_inspection_project")
                        .from(Inspection::Table, Inspection::ProjectId)
                        .to(Project::Table, Project::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "ix_inspection_project",
                vec![Inspection::ProjectId, Inspection::InspectedAt],
            ),
            (
                "ix_inspection_time",
                vec![Inspection::InspectedAt, Inspection::Id],
            ),
            (
                "ix_inspection_kind",
                vec![Inspection::Kind, Inspection::InspectedAt],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Inspection::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Inspection::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ChecklistTemplate::Table).to_owned())
            .await
    }
}

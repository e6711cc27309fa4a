//! Double-random draws carried out and published (双随机、一公开, issue #7 item 6):
//!
//! - `random_draw` gains its draw date (part of the committed input; empty for draws committed
//!   before, which stay verifiable as `jianan-draw-v1`), the deadline for publishing its results
//!   (20 working days after the draw), when they were published, and the outcomes as published
//!   (frozen, so the public record never changes afterwards);
//! - `draw_inspection` links each DOUBLE_RANDOM inspection to the assignment (draw + project) it
//!   carried out: one inspection per assignment, one assignment per inspection.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RandomDraw {
    Table,
    Id,
    DrawDate,
    ResultsDeadlineAt,
    ResultsPublishedAt,
    Outcomes,
}
#[derive(DeriveIden)]
enum DrawInspection {
    Table,
    Id,
    DrawId,
    ProjectId,
    InspectionId,
    RecordedAt,
}
#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            date_null(RandomDraw::DrawDate),
            timestamp_with_time_zone_null(RandomDraw::ResultsDeadlineAt),
            timestamp_with_time_zone_null(RandomDraw::ResultsPublishedAt),
            text_null(RandomDraw::Outcomes),
        ] {
            m.alter_table(
                Table::alter()
                    .table(RandomDraw::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        // The public list of published results, newest first.
        m.create_index(
            Index::create()
                .name("ix_draw_results_published")
                .table(RandomDraw::Table)
                .col(RandomDraw::ResultsPublishedAt)
                .col(RandomDraw::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DrawInspection::Table)
                .col(uuid(DrawInspection::Id).primary_key())
                .col(uuid(DrawInspection::DrawId))
                .col(uuid(DrawInspection::ProjectId))
                .col(uuid(DrawInspection::InspectionId))
                .col(timestamp_with_time_zone(DrawInspection::RecordedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_draw_inspection_draw")
                        .from(DrawInspection::Table, DrawInspection::DrawId)
                        .to(RandomDraw::Table, RandomDraw::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_draw_inspection_project")
                        .from(DrawInspection::Table, DrawInspection::ProjectId)
                        .to(Project::Table, Project::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_draw_inspection_inspection")
                        .from(DrawInspection::Table, DrawInspection::InspectionId)
                        .to(Inspection::Table, Inspection::Id),
                )
                .to_owned(),
        )
        .await?;
        // An assignment is carried out once; an inspection carries out one assignment.
        m.create_index(
            Index::create()
                .name("ux_draw_inspection_assignment")
                .table(DrawInspection::Table)
                .col(DrawInspection::DrawId)
                .col(DrawInspection::ProjectId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_draw_inspection_inspection")
                .table(DrawInspection::Table)
                .col(DrawInspection::InspectionId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DrawInspection::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("ix_draw_results_published")
                .table(RandomDraw::Table)
                .to_owned(),
        )
        .await?;
        for column in [
            RandomDraw::Outcomes,
            RandomDraw::ResultsPublishedAt,
            RandomDraw::ResultsDeadlineAt,
            RandomDraw::DrawDate,
        ] {
            m.alter_table(
                Table::alter()
                    .table(RandomDraw::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

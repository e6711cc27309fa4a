//! The recorded steps of a penalty's procedure (notice, hearing, decision, payment).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PenaltyStep {
    Table,
    Id,
    ActionId,
    Step,
    OccurredAt,
    DecisionNumber,
    AmountFen,
    Note,
    RecordedBy,
    RecordedAt,
}
#[derive(DeriveIden)]
enum EnforcementAction {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PenaltyStep::Table)
                .col(uuid(PenaltyStep::Id).primary_key())
                .col(uuid(PenaltyStep::ActionId))
                .col(string_len(PenaltyStep::Step, 24))
                .col(timestamp_with_time_zone(PenaltyStep::OccurredAt))
                .col(string_null(PenaltyStep::DecisionNumber))
                .col(big_integer_null(PenaltyStep::AmountFen))
                .col(text_null(PenaltyStep::Note))
                .col(uuid_null(PenaltyStep::RecordedBy))
                .col(timestamp_with_time_zone(PenaltyStep::RecordedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_penalty_step_action")
                        .from(PenaltyStep::Table, PenaltyStep::ActionId)
                        .to(EnforcementAction::Table, EnforcementAction::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_penalty_step_action")
                .table(PenaltyStep::Table)
                .col(PenaltyStep::ActionId)
                .col(PenaltyStep::RecordedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PenaltyStep::Table).to_owned())
            .await
    }
}

//! State history (`state_span`: when a project was ACTIVE, when an account held a role) and the
//! frozen standings of closed obligation periods (`obligation_standing`), so a closed month's
//! compliance is judged against who owed the duty then and never changes afterwards.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StateSpan {
    Table,
    Id,
    SubjectType,
    SubjectId,
    State,
    FromAt,
    UntilAt,
}

#[derive(DeriveIden)]
enum ObligationStanding {
    Table,
    Obligation,
    Period,
    SubjectId,
    SubjectType,
    Label,
    TownshipId,
    Count,
    Required,
    OwedDays,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StateSpan::Table)
                .col(uuid(StateSpan::Id).primary_key())
                .col(string_len(StateSpan::SubjectType, 32))
                .col(uuid(StateSpan::SubjectId))
                .col(string_len(StateSpan::State, 64))
                .col(timestamp_with_time_zone(StateSpan::FromAt))
                .col(timestamp_with_time_zone_null(StateSpan::UntilAt))
                .to_owned(),
        )
        .await?;
        // "Which projects were ACTIVE during this month": by type and state, then time.
        m.create_index(
            Index::create()
                .name("ix_state_span_state")
                .table(StateSpan::Table)
                .col(StateSpan::SubjectType)
                .col(StateSpan::State)
                .col(StateSpan::FromAt)
                .to_owned(),
        )
        .await?;
        // "Close this record's open spans": by record.
        m.create_index(
            Index::create()
                .name("ix_state_span_subject")
                .table(StateSpan::Table)
                .col(StateSpan::SubjectId)
                .col(StateSpan::UntilAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ObligationStanding::Table)
                .col(string_len(ObligationStanding::Obligation, 64))
                .col(string_len(ObligationStanding::Period, 16))
                .col(uuid(ObligationStanding::SubjectId))
                .col(string_len(ObligationStanding::SubjectType, 32))
                .col(string_len(ObligationStanding::Label, 200))
                .col(uuid_null(ObligationStanding::TownshipId))
                .col(integer(ObligationStanding::Count))
                .col(integer(ObligationStanding::Required))
                .col(integer(ObligationStanding::OwedDays))
                .primary_key(
                    Index::create()
                        .col(ObligationStanding::Obligation)
                        .col(ObligationStanding::Period)
                        .col(ObligationStanding::SubjectId),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ObligationStanding::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(StateSpan::Table).to_owned())
            .await
    }
}

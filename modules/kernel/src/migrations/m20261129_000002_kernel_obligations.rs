use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ObligationEvidence {
    Table,
    Id,
    Obligation,
    SubjectId,
    OccurredAt,
    RecordType,
    RecordId,
}
#[derive(DeriveIden)]
enum ObligationClose {
    Table,
    Obligation,
    Period,
    ClosedAt,
    Missed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ObligationEvidence::Table)
                .col(uuid(ObligationEvidence::Id).primary_key())
                .col(string_len(ObligationEvidence::Obligation, 64))
                .col(uuid(ObligationEvidence::SubjectId))
                .col(timestamp_with_time_zone(ObligationEvidence::OccurredAt))
                .col(string_len(ObligationEvidence::RecordType, 32))
                .col(uuid(ObligationEvidence::RecordId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_evidence_lookup")
                .table(ObligationEvidence::Table)
                .col(ObligationEvidence::Obligation)
                .col(ObligationEvidence::OccurredAt)
                .col(ObligationEvidence::SubjectId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ObligationClose::Table)
                .col(string_len(ObligationClose::Obligation, 64))
                .col(string_len(ObligationClose::Period, 16))
                .col(timestamp_with_time_zone(ObligationClose::ClosedAt))
                .col(integer(ObligationClose::Missed))
                .primary_key(
                    Index::create()
                        .col(ObligationClose::Obligation)
                        .col(ObligationClose::Period),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ObligationClose::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ObligationEvidence::Table).to_owned())
            .await
    }
}

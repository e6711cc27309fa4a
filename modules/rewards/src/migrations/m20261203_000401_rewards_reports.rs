use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RewardsReport {
    Table,
    Id,
    ReceiptCode,
    PassphraseHash,
    Category,
    Channel,
    Description,
    TownshipId,
    ProjectId,
    Address,
    ObservedAt,
    Status,
    Pseudonym,
    Named,
    IdentityCiphertext,
    IdentityKeyId,
    EnteredBy,
    AcceptDueAt,
    VerifyDueAt,
    RejectionReason,
    VerifierId,
    Verdict,
    Findings,
    AcceptOverdueAt,
    VerifyOverdueAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RewardsMessage {
    Table,
    Id,
    ReportId,
    FromReporter,
    AuthorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RewardsRevealRequest {
    Table,
    Id,
    ReportId,
    RequestedBy,
    Reason,
    Status,
    ApprovedBy,
    ApprovedAt,
    RevealedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RewardsReport::Table)
                .col(uuid(RewardsReport::Id).primary_key())
                .col(string_len(RewardsReport::ReceiptCode, 32).unique_key())
                .col(string(RewardsReport::PassphraseHash))
                .col(string_len(RewardsReport::Category, 24))
                .col(string_len(RewardsReport::Channel, 16))
                .col(text(RewardsReport::Description))
                .col(uuid_null(RewardsReport::TownshipId))
                .col(uuid_null(RewardsReport::ProjectId))
                .col(string(RewardsReport::Address))
                .col(timestamp_with_time_zone_null(RewardsReport::ObservedAt))
                .col(string_len(RewardsReport::Status, 16))
                .col(string_len(RewardsReport::Pseudonym, 32))
                .col(boolean(RewardsReport::Named))
                .col(text_null(RewardsReport::IdentityCiphertext))
                .col(string_len_null(RewardsReport::IdentityKeyId, 64))
                .col(uuid_null(RewardsReport::EnteredBy))
                .col(timestamp_with_time_zone(RewardsReport::AcceptDueAt))
                .col(timestamp_with_time_zone_null(RewardsReport::VerifyDueAt))
                .col(text_null(RewardsReport::RejectionReason))
                .col(uuid_null(RewardsReport::VerifierId))
                .col(string_len_null(RewardsReport::Verdict, 16))
                .col(text_null(RewardsReport::Findings))
                .col(timestamp_with_time_zone_null(
                    RewardsReport::AcceptOverdueAt,
                ))
                .col(timestamp_with_time_zone_null(
                    RewardsReport::VerifyOverdueAt,
                ))
                .col(integer(RewardsReport::Version))
                .col(timestamp_with_time_zone(RewardsReport::CreatedAt))
                .col(timestamp_with_time_zone(RewardsReport::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rewards_report_created")
                .table(RewardsReport::Table)
                .col(RewardsReport::CreatedAt)
                .col(RewardsReport::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rewards_report_township")
                .table(RewardsReport::Table)
                .col(RewardsReport::TownshipId)
                .col(RewardsReport::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RewardsMessage::Table)
                .col(uuid(RewardsMessage::Id).primary_key())
                .col(uuid(RewardsMessage::ReportId))
                .col(boolean(RewardsMessage::FromReporter))
                .col(uuid_null(RewardsMessage::AuthorId))
                .col(text(RewardsMessage::Body))
                .col(timestamp_with_time_zone(RewardsMessage::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_rewards_message_report")
                        .from(RewardsMessage::Table, RewardsMessage::ReportId)
                        .to(RewardsReport::Table, RewardsReport::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rewards_message_report")
                .table(RewardsMessage::Table)
                .col(RewardsMessage::ReportId)
                .col(RewardsMessage::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RewardsRevealRequest::Table)
                .col(uuid(RewardsRevealRequest::Id).primary_key())
                .col(uuid(RewardsRevealRequest::ReportId))
                .col(uuid(RewardsRevealRequest::RequestedBy))
                .col(text(RewardsRevealRequest::Reason))
                .col(string_len(RewardsRevealRequest::Status, 16))
                .col(uuid_null(RewardsRevealRequest::ApprovedBy))
                .col(timestamp_with_time_zone_null(
                    RewardsRevealRequest::ApprovedAt,
                ))
                .col(timestamp_with_time_zone_null(
                    RewardsRevealRequest::RevealedAt,
                ))
                .col(timestamp_with_time_zone(RewardsRevealRequest::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_rewards_reveal_report")
                        .from(RewardsRevealRequest::Table, RewardsRevealRequest::ReportId)
                        .to(RewardsReport::Table, RewardsReport::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rewards_reveal_report")
                .table(RewardsRevealRequest::Table)
                .col(RewardsRevealRequest::ReportId)
                .col(RewardsRevealRequest::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RewardsRevealRequest::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(RewardsMessage::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(RewardsReport::Table).to_owned())
            .await
    }
}

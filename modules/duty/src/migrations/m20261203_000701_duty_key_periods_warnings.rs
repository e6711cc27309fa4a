//! Key periods (重点时段) and early warnings (预警) with one row per target, which carries the
//! target's acknowledgement and its one escalation.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DutyKeyPeriod {
    Table,
    Id,
    Name,
    Kind,
    Level,
    StartsOn,
    EndsOn,
    Note,
    CancelledAt,
    DeclaredBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DutyWarning {
    Table,
    Id,
    Level,
    Title,
    Message,
    RequiredActions,
    IssuedBy,
    IssuedAt,
    AckDueAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DutyWarningTarget {
    Table,
    Id,
    WarningId,
    Kind,
    UnitId,
    TownshipId,
    Label,
    AckDueAt,
    AcknowledgedAt,
    AcknowledgedBy,
    AckNote,
    EscalatedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DutyKeyPeriod::Table)
                .col(uuid(DutyKeyPeriod::Id).primary_key())
                .col(string_len(DutyKeyPeriod::Name, 100))
                .col(string_len(DutyKeyPeriod::Kind, 24))
                .col(integer(DutyKeyPeriod::Level))
                .col(date(DutyKeyPeriod::StartsOn))
                .col(date(DutyKeyPeriod::EndsOn))
                .col(text_null(DutyKeyPeriod::Note))
                .col(timestamp_with_time_zone_null(DutyKeyPeriod::CancelledAt))
                .col(uuid_null(DutyKeyPeriod::DeclaredBy))
                .col(integer(DutyKeyPeriod::Version))
                .col(timestamp_with_time_zone(DutyKeyPeriod::CreatedAt))
                .col(timestamp_with_time_zone(DutyKeyPeriod::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_key_period_starts")
                .table(DutyKeyPeriod::Table)
                .col(DutyKeyPeriod::StartsOn)
                .col(DutyKeyPeriod::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DutyWarning::Table)
                .col(uuid(DutyWarning::Id).primary_key())
                .col(string_len(DutyWarning::Level, 8))
                .col(string_len(DutyWarning::Title, 200))
                .col(text(DutyWarning::Message))
                .col(text(DutyWarning::RequiredActions))
                .col(uuid_null(DutyWarning::IssuedBy))
                .col(timestamp_with_time_zone(DutyWarning::IssuedAt))
                .col(timestamp_with_time_zone(DutyWarning::AckDueAt))
                .col(timestamp_with_time_zone(DutyWarning::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_warning_created")
                .table(DutyWarning::Table)
                .col(DutyWarning::CreatedAt)
                .col(DutyWarning::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DutyWarningTarget::Table)
                .col(uuid(DutyWarningTarget::Id).primary_key())
                .col(uuid(DutyWarningTarget::WarningId))
                .col(string_len(DutyWarningTarget::Kind, 16))
                .col(uuid(DutyWarningTarget::UnitId))
                .col(uuid_null(DutyWarningTarget::TownshipId))
                .col(string_len(DutyWarningTarget::Label, 200))
                .col(timestamp_with_time_zone(DutyWarningTarget::AckDueAt))
                .col(timestamp_with_time_zone_null(
                    DutyWarningTarget::AcknowledgedAt,
                ))
                .col(uuid_null(DutyWarningTarget::AcknowledgedBy))
                .col(text_null(DutyWarningTarget::AckNote))
                .col(timestamp_with_time_zone_null(
                    DutyWarningTarget::EscalatedAt,
                ))
                .col(timestamp_with_time_zone(DutyWarningTarget::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_duty_warning_target_warning")
                        .from(DutyWarningTarget::Table, DutyWarningTarget::WarningId)
                        .to(DutyWarning::Table, DutyWarning::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_duty_warning_target_unit")
                .table(DutyWarningTarget::Table)
                .col(DutyWarningTarget::WarningId)
                .col(DutyWarningTarget::Kind)
                .col(DutyWarningTarget::UnitId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_warning_target_township")
                .table(DutyWarningTarget::Table)
                .col(DutyWarningTarget::TownshipId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_warning_target_due")
                .table(DutyWarningTarget::Table)
                .col(DutyWarningTarget::AckDueAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DutyWarningTarget::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(DutyWarning::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(DutyKeyPeriod::Table).to_owned())
            .await
    }
}

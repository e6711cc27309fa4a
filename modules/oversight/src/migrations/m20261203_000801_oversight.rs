//! Meetings (with the units that attended), risk assessments, the tasks both give out (meeting
//! decisions, risk control measures), and circulars with their recipients (read receipts) and the
//! records they link.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OversightMeeting {
    Table,
    Id,
    Kind,
    Title,
    HeldOn,
    Venue,
    Chair,
    Attendees,
    Topics,
    Summary,
    RecordedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OversightMeetingUnit {
    Table,
    MeetingId,
    UnitId,
    UnitKind,
}

#[derive(DeriveIden)]
enum OversightAssessment {
    Table,
    Id,
    Title,
    Occasion,
    OccasionName,
    StartsOn,
    EndsOn,
    AssessedOn,
    Summary,
    RecordedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OversightTask {
    Table,
    Id,
    Kind,
    MeetingId,
    AssessmentId,
    Position,
    Description,
    Measures,
    RiskLevel,
    TwoKeyTwoNew,
    OwnerAccountId,
    OwnerUnitId,
    DueOn,
    Status,
    DoneAt,
    DoneNote,
    OverdueAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OversightCircular {
    Table,
    Id,
    Year,
    Seq,
    Number,
    Title,
    Body,
    IssuerAccountId,
    IssuerUnitId,
    IssuedAt,
}

#[derive(DeriveIden)]
enum OversightCircularRecipient {
    Table,
    CircularId,
    UnitId,
    UnitKind,
    ReadBy,
    ReadAt,
}

#[derive(DeriveIden)]
enum OversightCircularLink {
    Table,
    CircularId,
    Position,
    TargetType,
    TargetId,
}

fn index(
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OversightMeeting::Table)
                .col(uuid(OversightMeeting::Id).primary_key())
                .col(string_len(OversightMeeting::Kind, 24))
                .col(string_len(OversightMeeting::Title, 200))
                .col(date(OversightMeeting::HeldOn))
                .col(string_len(OversightMeeting::Venue, 200))
                .col(string_len(OversightMeeting::Chair, 100))
                .col(text(OversightMeeting::Attendees))
                .col(text(OversightMeeting::Topics))
                .col(text(OversightMeeting::Summary))
                .col(uuid(OversightMeeting::RecordedBy))
                .col(integer(OversightMeeting::Version))
                .col(timestamp_with_time_zone(OversightMeeting::CreatedAt))
                .col(timestamp_with_time_zone(OversightMeeting::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_oversight_meeting_held",
            OversightMeeting::Table,
            &["held_on", "id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OversightMeetingUnit::Table)
                .col(uuid(OversightMeetingUnit::MeetingId))
                .col(uuid(OversightMeetingUnit::UnitId))
                .col(string_len(OversightMeetingUnit::UnitKind, 16))
                .primary_key(
                    Index::create()
                        .col(OversightMeetingUnit::MeetingId)
                        .col(OversightMeetingUnit::UnitId),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_oversight_meeting_unit_unit",
            OversightMeetingUnit::Table,
            &["unit_id", "meeting_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OversightAssessment::Table)
                .col(uuid(OversightAssessment::Id).primary_key())
                .col(string_len(OversightAssessment::Title, 200))
                .col(string_len(OversightAssessment::Occasion, 16))
                .col(string_len(OversightAssessment::OccasionName, 200))
                .col(date(OversightAssessment::StartsOn))
                .col(date(OversightAssessment::EndsOn))
                .col(date(OversightAssessment::AssessedOn))
                .col(text(OversightAssessment::Summary))
                .col(uuid(OversightAssessment::RecordedBy))
                .col(integer(OversightAssessment::Version))
                .col(timestamp_with_time_zone(OversightAssessment::CreatedAt))
                .col(timestamp_with_time_zone(OversightAssessment::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_oversight_assessment_starts",
            OversightAssessment::Table,
            &["starts_on", "id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OversightTask::Table)
                .col(uuid(OversightTask::Id).primary_key())
                .col(string_len(OversightTask::Kind, 16))
                .col(uuid_null(OversightTask::MeetingId))
                .col(uuid_null(OversightTask::AssessmentId))
                .col(integer(OversightTask::Position))
                .col(text(OversightTask::Description))
                .col(text_null(OversightTask::Measures))
                .col(string_len_null(OversightTask::RiskLevel, 16))
                .col(boolean(OversightTask::TwoKeyTwoNew))
                .col(uuid(OversightTask::OwnerAccountId))
                .col(uuid_null(OversightTask::OwnerUnitId))
                .col(date(OversightTask::DueOn))
                .col(string_len(OversightTask::Status, 16))
                .col(timestamp_with_time_zone_null(OversightTask::DoneAt))
                .col(text_null(OversightTask::DoneNote))
                .col(timestamp_with_time_zone_null(OversightTask::OverdueAt))
                .col(integer(OversightTask::Version))
                .col(timestamp_with_time_zone(OversightTask::CreatedAt))
                .col(timestamp_with_time_zone(OversightTask::UpdatedAt))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_oversight_task_due", &["due_on", "id"][..]),
            ("ix_oversight_task_meeting", &["meeting_id", "position"][..]),
            (
                "ix_oversight_task_assessment",
                &["assessment_id", "position"][..],
            ),
            (
                "ix_oversight_task_owner",
                &["owner_account_id", "status"][..],
            ),
        ] {
            m.create_index(index(name, OversightTask::Table, cols, false))
                .await?;
        }
        m.create_table(
            Table::create()
                .table(OversightCircular::Table)
                .col(uuid(OversightCircular::Id).primary_key())
                .col(integer(OversightCircular::Year))
                .col(integer(OversightCircular::Seq))
                .col(string_len(OversightCircular::Number, 40))
                .col(string_len(OversightCircular::Title, 200))
                .col(text(OversightCircular::Body))
                .col(uuid(OversightCircular::IssuerAccountId))
                .col(uuid_null(OversightCircular::IssuerUnitId))
                .col(timestamp_with_time_zone(OversightCircular::IssuedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_oversight_circular_number",
            OversightCircular::Table,
            &["year", "seq"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_oversight_circular_issued",
            OversightCircular::Table,
            &["issued_at", "id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OversightCircularRecipient::Table)
                .col(uuid(OversightCircularRecipient::CircularId))
                .col(uuid(OversightCircularRecipient::UnitId))
                .col(string_len(OversightCircularRecipient::UnitKind, 16))
                .col(uuid_null(OversightCircularRecipient::ReadBy))
                .col(timestamp_with_time_zone_null(
                    OversightCircularRecipient::ReadAt,
                ))
                .primary_key(
                    Index::create()
                        .col(OversightCircularRecipient::CircularId)
                        .col(OversightCircularRecipient::UnitId),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_oversight_circular_recipient_unit",
            OversightCircularRecipient::Table,
            &["unit_id", "circular_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OversightCircularLink::Table)
                .col(uuid(OversightCircularLink::CircularId))
                .col(integer(OversightCircularLink::Position))
                .col(string_len(OversightCircularLink::TargetType, 40))
                .col(uuid(OversightCircularLink::TargetId))
                .primary_key(
                    Index::create()
                        .col(OversightCircularLink::CircularId)
                        .col(OversightCircularLink::Position),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            OversightCircularLink::Table.into_iden(),
            OversightCircularRecipient::Table.into_iden(),
            OversightCircular::Table.into_iden(),
            OversightTask::Table.into_iden(),
            OversightAssessment::Table.into_iden(),
            OversightMeetingUnit::Table.into_iden(),
            OversightMeeting::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

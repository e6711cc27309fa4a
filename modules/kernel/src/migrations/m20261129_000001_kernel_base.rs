use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::audit::GENESIS;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table, Seq, Id, OccurredAt, ActorId, ActorLabel, Action, EntityType, EntityId, RequestId, ClientAddr, Detail, PrevHash, Hash,
}
#[derive(DeriveIden)]
enum AuditHead { Table, Id, LastSeq, LastHash, Count }
#[derive(DeriveIden)]
enum OutboxEvent {
    Table, Seq, Id, Topic, AggregateType, AggregateId, Payload, ActorId, OccurredAt, DispatchedAt, Attempts, LastError,
}
#[derive(DeriveIden)]
enum EventDelivery { Table, EventId, Handler, DeliveredAt }
#[derive(DeriveIden)]
enum IdempotencyRecord { Table, PrincipalKey, Operation, IdempotencyKey, RecordId, RequestHash, CreatedAt }
#[derive(DeriveIden)]
enum Attachment { Table, Id, Sha256, SizeBytes, MediaType, FileName, OwnerType, OwnerId, UploadedBy, CreatedAt }
#[derive(DeriveIden)]
enum Notification { Table, Id, RecipientId, Kind, Title, Body, SubjectType, SubjectId, CreatedAt, ReadAt }
#[derive(DeriveIden)]
enum CalendarDay { Table, Day, Kind, Note }

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Seq))
                .col(uuid_uniq(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::OccurredAt))
                .col(uuid_null(AuditLog::ActorId))
                .col(string(AuditLog::ActorLabel))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::EntityType))
                .col(string(AuditLog::EntityId))
                .col(string_null(AuditLog::RequestId))
                .col(string_null(AuditLog::ClientAddr))
                .col(text(AuditLog::Detail))
                .col(string(AuditLog::PrevHash))
                .col(string(AuditLog::Hash))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_audit_entity").table(AuditLog::Table).col(AuditLog::EntityType).col(AuditLog::EntityId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(integer(AuditHead::Id).primary_key())
                .col(big_integer(AuditHead::LastSeq))
                .col(string(AuditHead::LastHash))
                .col(big_integer(AuditHead::Count))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::LastSeq, AuditHead::LastHash, AuditHead::Count])
                .values_panic([1.into(), 0i64.into(), GENESIS.into(), 0i64.into()])
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OutboxEvent::Table)
                .col(big_pk_auto(OutboxEvent::Seq))
                .col(uuid_uniq(OutboxEvent::Id))
                .col(string(OutboxEvent::Topic))
                .col(string(OutboxEvent::AggregateType))
                .col(string(OutboxEvent::AggregateId))
                .col(text(OutboxEvent::Payload))
                .col(uuid_null(OutboxEvent::ActorId))
                .col(timestamp_with_time_zone(OutboxEvent::OccurredAt))
                .col(timestamp_with_time_zone_null(OutboxEvent::DispatchedAt))
                .col(integer(OutboxEvent::Attempts).default(0))
                .col(text_null(OutboxEvent::LastError))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_outbox_pending").table(OutboxEvent::Table).col(OutboxEvent::DispatchedAt).col(OutboxEvent::Seq).to_owned()).await?;
        m.create_index(Index::create().name("ix_outbox_aggregate").table(OutboxEvent::Table).col(OutboxEvent::AggregateType).col(OutboxEvent::AggregateId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(EventDelivery::Table)
                .col(uuid(EventDelivery::EventId))
                .col(string(EventDelivery::Handler))
                .col(timestamp_with_time_zone(EventDelivery::DeliveredAt))
                .primary_key(Index::create().col(EventDelivery::EventId).col(EventDelivery::Handler))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(IdempotencyRecord::Table)
                .col(string(IdempotencyRecord::PrincipalKey))
                .col(string(IdempotencyRecord::Operation))
                .col(string(IdempotencyRecord::IdempotencyKey))
                .col(string(IdempotencyRecord::RecordId))
                .col(string(IdempotencyRecord::RequestHash))
                .col(timestamp_with_time_zone(IdempotencyRecord::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(IdempotencyRecord::PrincipalKey)
                        .col(IdempotencyRecord::Operation)
                        .col(IdempotencyRecord::IdempotencyKey),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Attachment::Table)
                .col(uuid(Attachment::Id).primary_key())
                .col(string_len(Attachment::Sha256, 64))
                .col(big_integer(Attachment::SizeBytes))
                .col(string(Attachment::MediaType))
                .col(string(Attachment::FileName))
                .col(string(Attachment::OwnerType))
                .col(uuid(Attachment::OwnerId))
                .col(uuid_null(Attachment::UploadedBy))
                .col(timestamp_with_time_zone(Attachment::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_attachment_owner").table(Attachment::Table).col(Attachment::OwnerId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(Notification::Table)
                .col(uuid(Notification::Id).primary_key())
                .col(uuid(Notification::RecipientId))
                .col(string(Notification::Kind))
                .col(string(Notification::Title))
                .col(text(Notification::Body))
                .col(string_null(Notification::SubjectType))
                .col(uuid_null(Notification::SubjectId))
                .col(timestamp_with_time_zone(Notification::CreatedAt))
                .col(timestamp_with_time_zone_null(Notification::ReadAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_notification_recipient").table(Notification::Table).col(Notification::RecipientId).col(Notification::CreatedAt).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(CalendarDay::Table)
                .col(date(CalendarDay::Day).primary_key())
                .col(string_len(CalendarDay::Kind, 16))
                .col(string(CalendarDay::Note).default(""))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CalendarDay::Table.into_iden(),
            Notification::Table.into_iden(),
            Attachment::Table.into_iden(),
            IdempotencyRecord::Table.into_iden(),
            EventDelivery::Table.into_iden(),
            OutboxEvent::Table.into_iden(),
            AuditHead::Table.into_iden(),
            AuditLog::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

//! Webhooks (issue #9 item 4): a partner's subscriptions to change topics
//! (`webhook_subscription`), one delivery per (subscription, event) (`webhook_delivery`, retried
//! with backoff and dead-lettered after a limit), and the log of every attempt with its HTTP
//! status (`webhook_attempt`). No secret is stored: each subscription's signing secret is derived
//! from the server's key (docs/security.md, "Webhooks").
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookSubscription {
    Table,
    Id,
    AccountId,
    Url,
    Topics,
    Description,
    SecretGeneration,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    SubscriptionId,
    EventId,
    Topic,
    Body,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastStatusCode,
    LastError,
    CreatedAt,
    DeliveredAt,
    DeadAt,
}

#[derive(DeriveIden)]
enum WebhookAttempt {
    Table,
    Id,
    DeliveryId,
    Attempt,
    StartedAt,
    StatusCode,
    Error,
    DurationMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookSubscription::Table)
                .col(uuid(WebhookSubscription::Id).primary_key())
                .col(uuid(WebhookSubscription::AccountId))
                .col(string_len(WebhookSubscription::Url, 2048))
                .col(text(WebhookSubscription::Topics))
                .col(string_len(WebhookSubscription::Description, 200))
                .col(integer(WebhookSubscription::SecretGeneration))
                .col(boolean(WebhookSubscription::Active))
                .col(integer(WebhookSubscription::Version))
                .col(timestamp_with_time_zone(WebhookSubscription::CreatedAt))
                .col(timestamp_with_time_zone(WebhookSubscription::UpdatedAt))
                .col(timestamp_with_time_zone_null(
                    WebhookSubscription::ArchivedAt,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_webhook_subscription_account")
                .table(WebhookSubscription::Table)
                .col(WebhookSubscription::AccountId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookDelivery::Table)
                .col(uuid(WebhookDelivery::Id).primary_key())
                .col(uuid(WebhookDelivery::SubscriptionId))
                .col(uuid(WebhookDelivery::EventId))
                .col(string_len(WebhookDelivery::Topic, 128))
                .col(text(WebhookDelivery::Body))
                .col(string_len(WebhookDelivery::Status, 16))
                .col(integer(WebhookDelivery::Attempts))
                .col(timestamp_with_time_zone_null(
                    WebhookDelivery::NextAttemptAt,
                ))
                .col(timestamp_with_time_zone_null(WebhookDelivery::ClaimedUntil))
                .col(integer_null(WebhookDelivery::LastStatusCode))
                .col(text_null(WebhookDelivery::LastError))
                .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                .col(timestamp_with_time_zone_null(WebhookDelivery::DeliveredAt))
                .col(timestamp_with_time_zone_null(WebhookDelivery::DeadAt))
                .to_owned(),
        )
        .await?;
        // One delivery per subscription and event, whatever redelivers the event.
        m.create_index(
            Index::create()
                .name("ux_webhook_delivery_event")
                .table(WebhookDelivery::Table)
                .col(WebhookDelivery::SubscriptionId)
                .col(WebhookDelivery::EventId)
                .unique()
                .to_owned(),
        )
        .await?;
        // The sender's claim: pending deliveries by due time.
        m.create_index(
            Index::create()
                .name("ix_webhook_delivery_due")
                .table(WebhookDelivery::Table)
                .col(WebhookDelivery::Status)
                .col(WebhookDelivery::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookAttempt::Table)
                .col(uuid(WebhookAttempt::Id).primary_key())
                .col(uuid(WebhookAttempt::DeliveryId))
                .col(integer(WebhookAttempt::Attempt))
                .col(timestamp_with_time_zone(WebhookAttempt::StartedAt))
                .col(integer_null(WebhookAttempt::StatusCode))
                .col(text_null(WebhookAttempt::Error))
                .col(big_integer(WebhookAttempt::DurationMs))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_webhook_attempt_delivery")
                .table(WebhookAttempt::Table)
                .col(WebhookAttempt::DeliveryId)
                .col(WebhookAttempt::Attempt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookAttempt::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(WebhookDelivery::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(WebhookSubscription::Table).to_owned())
            .await?;
        Ok(())
    }
}

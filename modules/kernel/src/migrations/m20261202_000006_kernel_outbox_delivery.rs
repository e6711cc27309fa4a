//! The outbox under failure (issue #8 item 8): a pass claims its events for a lease
//! (`claimed_until`), so instances never run the same delivery at once; a failed delivery is
//! retried with backoff (`next_attempt_at`) instead of blocking the events behind it; after too
//! many attempts it is dead-lettered (`dead_at`) for an administrator to read and replay.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvent {
    Table,
    NextAttemptAt,
    ClaimedUntil,
    DeadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            OutboxEvent::NextAttemptAt,
            OutboxEvent::ClaimedUntil,
            OutboxEvent::DeadAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(OutboxEvent::Table)
                    .add_column(timestamp_with_time_zone_null(c))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            OutboxEvent::NextAttemptAt,
            OutboxEvent::ClaimedUntil,
            OutboxEvent::DeadAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(OutboxEvent::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

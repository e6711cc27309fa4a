//! Duty rosters (值班表): shifts of the leader on duty and the staff on duty, with check-in.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DutyShift {
    Table,
    Id,
    Post,
    AccountId,
    Phone,
    StartsAt,
    EndsAt,
    CheckedInAt,
    AssignedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DutyShift::Table)
                .col(uuid(DutyShift::Id).primary_key())
                .col(string_len(DutyShift::Post, 8))
                .col(uuid(DutyShift::AccountId))
                .col(string_len(DutyShift::Phone, 20))
                .col(timestamp_with_time_zone(DutyShift::StartsAt))
                .col(timestamp_with_time_zone(DutyShift::EndsAt))
                .col(timestamp_with_time_zone_null(DutyShift::CheckedInAt))
                .col(uuid_null(DutyShift::AssignedBy))
                .col(integer(DutyShift::Version))
                .col(timestamp_with_time_zone(DutyShift::CreatedAt))
                .col(timestamp_with_time_zone(DutyShift::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_shift_starts")
                .table(DutyShift::Table)
                .col(DutyShift::StartsAt)
                .col(DutyShift::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_duty_shift_account")
                .table(DutyShift::Table)
                .col(DutyShift::AccountId)
                .col(DutyShift::StartsAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DutyShift::Table).to_owned())
            .await
    }
}

//! Rewards money and duplicates (issue #10 items 3 and 4): `rewards_reward` (one reward per
//! report, amounts in integer fen), `rewards_budget` (one amount per year), and
//! `rewards_report.duplicate_of` (the earlier report of the same matter).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RewardsReward {
    Table,
    Id,
    ReportId,
    Verdict,
    AmountFen,
    StandardFen,
    RuleCode,
    Basis,
    OverrideReason,
    Status,
    ProposedBy,
    DepartmentApprovedBy,
    DepartmentApprovedAt,
    FinalApprovedBy,
    FinalApprovedAt,
    BudgetYear,
    RefusedBy,
    RefusedAt,
    RefusalReason,
    PaymentMethod,
    PaidOn,
    PaidBy,
    ConfirmedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RewardsBudget {
    Table,
    Id,
    Year,
    AmountFen,
    SetBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RewardsReport {
    Table,
    Id,
    DuplicateOf,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RewardsReward::Table)
                .col(uuid(RewardsReward::Id).primary_key())
                .col(uuid(RewardsReward::ReportId).unique_key())
                .col(string_len(RewardsReward::Verdict, 16))
                .col(big_integer(RewardsReward::AmountFen))
                .col(big_integer(RewardsReward::StandardFen))
                .col(string_len(RewardsReward::RuleCode, 32))
                .col(text(RewardsReward::Basis))
                .col(text_null(RewardsReward::OverrideReason))
                .col(string_len(RewardsReward::Status, 24))
                .col(uuid(RewardsReward::ProposedBy))
                .col(uuid_null(RewardsReward::DepartmentApprovedBy))
                .col(timestamp_with_time_zone_null(
                    RewardsReward::DepartmentApprovedAt,
                ))
                .col(uuid_null(RewardsReward::FinalApprovedBy))
                .col(timestamp_with_time_zone_null(
                    RewardsReward::FinalApprovedAt,
                ))
                .col(integer_null(RewardsReward::BudgetYear))
                .col(uuid_null(RewardsReward::RefusedBy))
                .col(timestamp_with_time_zone_null(RewardsReward::RefusedAt))
                .col(text_null(RewardsReward::RefusalReason))
                .col(string_len_null(RewardsReward::PaymentMethod, 16))
                .col(date_null(RewardsReward::PaidOn))
                .col(uuid_null(RewardsReward::PaidBy))
                .col(timestamp_with_time_zone_null(RewardsReward::ConfirmedAt))
                .col(integer(RewardsReward::Version))
                .col(timestamp_with_time_zone(RewardsReward::CreatedAt))
                .col(timestamp_with_time_zone(RewardsReward::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_rewards_reward_report")
                        .from(RewardsReward::Table, RewardsReward::ReportId)
                        .to(RewardsReport::Table, RewardsReport::Id),
                )
                .to_owned(),
        )
        .await?;
        // The budget ledger sums one year's rewards by status.
        m.create_index(
            Index::create()
                .name("ix_rewards_reward_year")
                .table(RewardsReward::Table)
                .col(RewardsReward::BudgetYear)
                .col(RewardsReward::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RewardsBudget::Table)
                .col(uuid(RewardsBudget::Id).primary_key())
                .col(integer(RewardsBudget::Year).unique_key())
                .col(big_integer(RewardsBudget::AmountFen))
                .col(uuid_null(RewardsBudget::SetBy))
                .col(integer(RewardsBudget::Version))
                .col(timestamp_with_time_zone(RewardsBudget::CreatedAt))
                .col(timestamp_with_time_zone(RewardsBudget::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RewardsReport::Table)
                .add_column(uuid_null(RewardsReport::DuplicateOf))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rewards_report_duplicate")
                .table(RewardsReport::Table)
                .col(RewardsReport::DuplicateOf)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_rewards_report_duplicate")
                .table(RewardsReport::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RewardsReport::Table)
                .drop_column(RewardsReport::DuplicateOf)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(RewardsBudget::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(RewardsReward::Table).to_owned())
            .await
    }
}

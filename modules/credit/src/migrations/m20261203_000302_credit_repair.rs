//! Credit repair applications (信用修复): application → review → decision.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CreditRepair {
    Table,
    Id,
    RecordId,
    EnterpriseId,
    Status,
    Statement,
    AppliedBy,
    AppliedAt,
    ReviewOpinion,
    ReviewedBy,
    ReviewedAt,
    DecisionNote,
    DecidedBy,
    DecidedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum CreditRecord {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CreditRepair::Table)
                .col(uuid(CreditRepair::Id).primary_key())
                .col(uuid(CreditRepair::RecordId))
                .col(uuid(CreditRepair::EnterpriseId))
                .col(string_len(CreditRepair::Status, 16))
                .col(text(CreditRepair::Statement))
                .col(uuid_null(CreditRepair::AppliedBy))
                .col(timestamp_with_time_zone(CreditRepair::AppliedAt))
                .col(text_null(CreditRepair::ReviewOpinion))
                .col(uuid_null(CreditRepair::ReviewedBy))
                .col(timestamp_with_time_zone_null(CreditRepair::ReviewedAt))
                .col(text_null(CreditRepair::DecisionNote))
                .col(uuid_null(CreditRepair::DecidedBy))
                .col(timestamp_with_time_zone_null(CreditRepair::DecidedAt))
                .col(integer(CreditRepair::Version))
                .col(timestamp_with_time_zone(CreditRepair::CreatedAt))
                .col(timestamp_with_time_zone(CreditRepair::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_repair_record")
                        .from(CreditRepair::Table, CreditRepair::RecordId)
                        .to(CreditRecord::Table, CreditRecord::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_repair_enterprise")
                        .from(CreditRepair::Table, CreditRepair::EnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_repair_enterprise")
                .table(CreditRepair::Table)
                .col(CreditRepair::EnterpriseId)
                .col(CreditRepair::AppliedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_repair_applied")
                .table(CreditRepair::Table)
                .col(CreditRepair::AppliedAt)
                .col(CreditRepair::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_repair_record")
                .table(CreditRepair::Table)
                .col(CreditRepair::RecordId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CreditRepair::Table).to_owned())
            .await
    }
}

//! The blacklist (黑名单): entry with a ground and a bad record in force, removal after the
//! management period.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CreditBlacklist {
    Table,
    Id,
    EnterpriseId,
    Uscc,
    EnterpriseName,
    Ground,
    RecordId,
    Basis,
    ListedBy,
    ListedAt,
    Until,
    RemovedBy,
    RemovedAt,
    RemovalReason,
    Version,
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
                .table(CreditBlacklist::Table)
                .col(uuid(CreditBlacklist::Id).primary_key())
                .col(uuid(CreditBlacklist::EnterpriseId))
                .col(string_len(CreditBlacklist::Uscc, 18))
                .col(string_len(CreditBlacklist::EnterpriseName, 200))
                .col(string_len(CreditBlacklist::Ground, 32))
                .col(uuid(CreditBlacklist::RecordId))
                .col(text(CreditBlacklist::Basis))
                .col(uuid_null(CreditBlacklist::ListedBy))
                .col(timestamp_with_time_zone(CreditBlacklist::ListedAt))
                .col(timestamp_with_time_zone(CreditBlacklist::Until))
                .col(uuid_null(CreditBlacklist::RemovedBy))
                .col(timestamp_with_time_zone_null(CreditBlacklist::RemovedAt))
                .col(text_null(CreditBlacklist::RemovalReason))
                .col(integer(CreditBlacklist::Version))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_blacklist_record")
                        .from(CreditBlacklist::Table, CreditBlacklist::RecordId)
                        .to(CreditRecord::Table, CreditRecord::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_blacklist_enterprise")
                        .from(CreditBlacklist::Table, CreditBlacklist::EnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_blacklist_enterprise")
                .table(CreditBlacklist::Table)
                .col(CreditBlacklist::EnterpriseId)
                .col(CreditBlacklist::RemovedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_blacklist_listed")
                .table(CreditBlacklist::Table)
                .col(CreditBlacklist::ListedAt)
                .col(CreditBlacklist::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CreditBlacklist::Table).to_owned())
            .await
    }
}

//! Hazards opened at another module's request (a verified public report, …): `hazard_origin`
//! names the record that asked, so one record opens its hazards once (unique per record and
//! position), whatever happens to the events that carry the request.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HazardOrigin {
    Table,
    HazardId,
    OriginType,
    OriginId,
    Ordinal,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Hazard {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HazardOrigin::Table)
                .col(uuid(HazardOrigin::HazardId).primary_key())
                .col(string_len(HazardOrigin::OriginType, 48))
                .col(uuid(HazardOrigin::OriginId))
                .col(integer(HazardOrigin::Ordinal))
                .col(timestamp_with_time_zone(HazardOrigin::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_hazard_origin_hazard")
                        .from(HazardOrigin::Table, HazardOrigin::HazardId)
                        .to(Hazard::Table, Hazard::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_hazard_origin_record")
                .table(HazardOrigin::Table)
                .col(HazardOrigin::OriginType)
                .col(HazardOrigin::OriginId)
                .col(HazardOrigin::Ordinal)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(HazardOrigin::Table).to_owned())
            .await
    }
}

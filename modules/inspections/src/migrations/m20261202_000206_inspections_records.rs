//! Inspection records (issue #7 items 1 and 2): the listed inspectors' confirmations that they
//! took part, and the `late` mark of a record made in the grace window after its period closed.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InspectionParticipant {
    Table,
    Id,
    InspectionId,
    AccountId,
    ConfirmedAt,
}
#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
    Late,
}
#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(InspectionParticipant::Table)
                .col(uuid(InspectionParticipant::Id).primary_key())
                .col(uuid(InspectionParticipant::InspectionId))
                .col(uuid(InspectionParticipant::AccountId))
                .col(timestamp_with_time_zone(InspectionParticipant::ConfirmedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            InspectionParticipant::Table,
                            InspectionParticipant::InspectionId,
                        )
                        .to(Inspection::Table, Inspection::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            InspectionParticipant::Table,
                            InspectionParticipant::AccountId,
                        )
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_inspection_participant")
                .table(InspectionParticipant::Table)
                .col(InspectionParticipant::InspectionId)
                .col(InspectionParticipant::AccountId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Inspection::Table)
                .add_column(boolean(Inspection::Late).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Inspection::Table)
                .drop_column(Inspection::Late)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(InspectionParticipant::Table).to_owned())
            .await
    }
}

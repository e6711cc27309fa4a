//! A project's place on the map (issue #11 item 6): WGS-84 longitude and latitude in
//! millionths of a degree, both or neither.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Project {
    Table,
    LongitudeE6,
    LatitudeE6,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [Project::LongitudeE6, Project::LatitudeE6] {
            m.alter_table(
                Table::alter()
                    .table(Project::Table)
                    .add_column(integer_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Project::LongitudeE6, Project::LatitudeE6] {
            m.alter_table(
                Table::alter()
                    .table(Project::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

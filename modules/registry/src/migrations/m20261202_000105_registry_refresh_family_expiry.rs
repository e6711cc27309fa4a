//! The absolute lifetime of a sign-in (issue #8 item 1): every refresh token carries the moment
//! its family — the login it descends from — stops working, however often it was rotated. Old
//! tokens get their own expiry. Also an index on the account, since a password or role change
//! revokes every refresh token of the account.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    AccountId,
    ExpiresAt,
    FamilyExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RefreshToken::Table)
                .add_column(timestamp_with_time_zone_null(RefreshToken::FamilyExpiresAt))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(RefreshToken::Table)
                .value(
                    RefreshToken::FamilyExpiresAt,
                    Expr::col(RefreshToken::ExpiresAt),
                )
                .and_where(Expr::col(RefreshToken::FamilyExpiresAt).is_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_refresh_token_account")
                .table(RefreshToken::Table)
                .col(RefreshToken::AccountId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_refresh_token_account")
                .table(RefreshToken::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RefreshToken::Table)
                .drop_column(RefreshToken::FamilyExpiresAt)
                .to_owned(),
        )
        .await
    }
}

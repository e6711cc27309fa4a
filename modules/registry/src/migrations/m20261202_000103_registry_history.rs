//! Obligations are judged against history (issue #7 item 3). This migration
//! - back-fills the state history (`state_span`) from the rows as they stand: each project in its
//!   current status since it was created (until it was archived), each account in its roles since
//!   it was created (until archived) — the best that can be known of the time before history was
//!   kept;
//! - gives org units a head (负责人) and marks the unit hosting the leadership group's office
//!   (领导小组办公室), who hear when a department misses its weekly supervision.
use sea_orm::{ConnectionTrait, Statement, TryGetable};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    HeadAccountId,
    LeadershipOffice,
}

#[derive(DeriveIden)]
enum StateSpan {
    Table,
    Id,
    SubjectType,
    SubjectId,
    State,
    FromAt,
    UntilAt,
}

type At = chrono::DateTime<chrono::Utc>;

fn get<T: TryGetable>(r: &sea_orm::QueryResult, col: &str) -> Result<T, DbErr> {
    r.try_get("", col)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OrgUnit::Table)
                .add_column(uuid_null(OrgUnit::HeadAccountId))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrgUnit::Table)
                .add_column(boolean(OrgUnit::LeadershipOffice).default(false))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let mut spans: Vec<(String, Uuid, String, At, Option<At>)> = Vec::new();
        for r in db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, status, created_at, archived_at FROM project",
            ))
            .await?
        {
            spans.push((
                "Project".into(),
                get(&r, "id")?,
                get(&r, "status")?,
                get(&r, "created_at")?,
                get(&r, "archived_at")?,
            ));
        }
        for r in db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, roles, created_at, archived_at FROM account",
            ))
            .await?
        {
            let roles: String = get(&r, "roles")?;
            let roles: Vec<String> = serde_json::from_str(&roles).unwrap_or_default();
            for role in roles {
                spans.push((
                    "Account".into(),
                    get(&r, "id")?,
                    role,
                    get(&r, "created_at")?,
                    get(&r, "archived_at")?,
                ));
            }
        }
        for chunk in spans.chunks(200) {
            let mut insert = Query::insert();
            insert.into_table(StateSpan::Table).columns([
                StateSpan::Id,
                StateSpan::SubjectType,
                StateSpan::SubjectId,
                StateSpan::State,
                StateSpan::FromAt,
                StateSpan::UntilAt,
            ]);
            for (kind, id, state, from, until) in chunk {
                insert.values_panic([
                    Uuid::now_v7().into(),
                    kind.clone().into(),
                    (*id).into(),
                    state.clone().into(),
                    (*from).into(),
                    (*until).into(),
                ]);
            }
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(
            Query::delete()
                .from_table(StateSpan::Table)
                .cond_where(Expr::col(StateSpan::SubjectType).is_in(["Project", "Account"]))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrgUnit::Table)
                .drop_column(OrgUnit::LeadershipOffice)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrgUnit::Table)
                .drop_column(OrgUnit::HeadAccountId)
                .to_owned(),
        )
        .await
    }
}

//! The keyed audit chain (issue #8 item 7): `audit_head.keyed_from_seq` marks the first record
//! authenticated with the audit key — records already written keep their plain SHA-256 hashes —
//! and `audit_log` becomes append-only in the database itself: a trigger refuses UPDATE, DELETE
//! (and on PostgreSQL TRUNCATE) whoever asks, so a bug or an injected statement in the
//! application cannot rewrite history. (Dropping the trigger is DDL, which the application never
//! runs outside migrations; on PostgreSQL, `database_migrate_url` also keeps the serving role from
//! owning the table — see docs/security.md.)
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    KeyedFromSeq,
}

const PG_UP: &str = r#"
CREATE OR REPLACE FUNCTION jianan_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION jianan_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION jianan_audit_append_only();
"#;

const PG_DOWN: &str = r#"
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
DROP FUNCTION IF EXISTS jianan_audit_append_only();
"#;

const SQLITE_UP: &[&str] = &[
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(AuditHead::Table)
                .add_column(
                    ColumnDef::new(AuditHead::KeyedFromSeq)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared("UPDATE audit_head SET keyed_from_seq = last_seq + 1")
            .await?;
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(PG_UP).await?;
            }
            _ => {
                for s in SQLITE_UP {
                    db.execute_unprepared(s).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(PG_DOWN).await?;
            }
            _ => {
                for s in SQLITE_DOWN {
                    db.execute_unprepared(s).await?;
                }
            }
        }
        m.alter_table(
            Table::alter()
                .table(AuditHead::Table)
                .drop_column(AuditHead::KeyedFromSeq)
                .to_owned(),
        )
        .await
    }
}

//! The outbox delivers every event at least once, and handlers take effect exactly once, across
//! failures and a crash between handling and marking the event dispatched.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use jianan_kernel::db::Db;
use jianan_kernel::outbox::{Dispatcher, Event, EventBus, EventHandler, publish};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppError, AppResult};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use sea_orm_migration::{MigrationTrait, MigratorTrait};

struct KernelOnly;
impl MigratorTrait for KernelOnly {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        jianan_kernel::migrations::migrations()
    }
}

/// Counts its runs; fails the first `fail_first` of them.
struct Counting {
    runs: AtomicUsize,
    fail_first: usize,
}

impl EventHandler for Counting {
    fn name(&self) -> &'static str {
        "test.counting"
    }
    fn topics(&self) -> &'static [&'static str] {
        &["test.happened"]
    }
    fn handle<'a>(
        &'a self,
        _txn: &'a DatabaseTransaction,
        _e: &'a Event,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let n = self.runs.fetch_add(1, Ordering::SeqCst);
            if n < self.fail_first {
                Err(AppError::conflict("暂时失败"))
            } else {
                Ok(())
            }
        })
    }
}

async fn setup() -> (tempfile::TempDir, Db) {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", tmp.path().join("k.db").display());
    let db = Db::connect(&url, 4).await.unwrap();
    KernelOnly::up(&db.conn, None).await.unwrap();
    (tmp, db)
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    let row = db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            db.backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn a_failing_handler_is_retried_and_takes_effect_once() {
    let (_tmp, db) = setup().await;
    let handler = Arc::new(Counting {
        runs: AtomicUsize::new(0),
        fail_first: 1,
    });
    let bus = EventBus::default();
    let mut live = bus.subscribe();
    let d = Dispatcher::new(
        db.clone(),
        vec![handler.clone()],
        bus,
        Duration::from_secs(3600),
    );

    let w = db.begin_write().await.unwrap();
    publish(
        &*w,
        &RequestInfo::system("test"),
        "test.happened",
        "Thing",
        "1",
        serde_json::json!({ "n": 1 }),
    )
    .await
    .unwrap();
    w.commit().await.unwrap();

    assert_eq!(
        d.run_once().await.unwrap(),
        0,
        "the handler failed: nothing dispatched"
    );
    assert_eq!(
        scalar(&db, "SELECT attempts AS n FROM outbox_event").await,
        1
    );
    assert_eq!(d.run_once().await.unwrap(), 1);
    assert_eq!(handler.runs.load(Ordering::SeqCst), 2);
    assert_eq!(
        live.try_recv().unwrap().topic,
        "test.happened",
        "subscribers see it once dispatched"
    );

    // A crash after the handler committed but before the event was marked: redelivered, and the
    // handler is skipped because its delivery record exists.
    db.conn
        .execute_unprepared("UPDATE outbox_event SET dispatched_at = NULL")
        .await
        .unwrap();
    assert_eq!(d.run_once().await.unwrap(), 1);
    assert_eq!(handler.runs.load(Ordering::SeqCst), 2, "no second effect");
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) AS n FROM event_delivery").await,
        1
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) AS n FROM outbox_event WHERE dispatched_at IS NULL"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn an_event_exists_only_if_its_transaction_committed() {
    let (_tmp, db) = setup().await;
    let w = db.begin_write().await.unwrap();
    publish(
        &*w,
        &RequestInfo::system("test"),
        "test.happened",
        "Thing",
        "2",
        serde_json::Value::Null,
    )
    .await
    .unwrap();
    drop(w); // rolled back
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) AS n FROM outbox_event").await,
        0
    );
}

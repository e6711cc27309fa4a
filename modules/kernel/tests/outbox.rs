//! The outbox delivers every event at least once, and handlers take effect exactly once, across
//! failures and a crash between handling and marking the event dispatched. Handlers receive the
//! decoded contract type; a payload they cannot read is refused and the reason recorded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use jianan_contracts::DomainEvent;
use jianan_kernel::db::Db;
use jianan_kernel::outbox::{
    Dispatcher, Event, EventBus, EventHandler, HandleEvent, handler, publish_event,
};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppError, AppResult};
use sea_orm::ConnectionTrait;
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

struct KernelOnly;
impl MigratorTrait for KernelOnly {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        jianan_kernel::migrations::migrations()
    }
}

/// Something happened to a thing (version 1 of the test contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Happened {
    thing_id: Uuid,
    n: u32,
}

impl DomainEvent for Happened {
    const TOPIC: &'static str = "test.happened";
    const VERSION: u32 = 1;
    fn aggregate_type(&self) -> &str {
        "Thing"
    }
    fn aggregate_id(&self) -> Uuid {
        self.thing_id
    }
}

/// The same topic after a breaking change (`n` renamed): version 2.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HappenedV2 {
    thing_id: Uuid,
    count: u32,
}

impl DomainEvent for HappenedV2 {
    const TOPIC: &'static str = "test.happened";
    const VERSION: u32 = 2;
    fn aggregate_type(&self) -> &str {
        "Thing"
    }
    fn aggregate_id(&self) -> Uuid {
        self.thing_id
    }
}

/// Counts its runs and keeps what it received; fails the first `fail_first` of them.
#[derive(Default)]
struct Counting {
    runs: AtomicUsize,
    fail_first: usize,
    seen: Mutex<Vec<Happened>>,
}

impl HandleEvent<Happened> for Arc<Counting> {
    fn name(&self) -> &'static str {
        "test.counting"
    }
    fn handle<'a>(
        &'a self,
        _txn: &'a jianan_kernel::db::WriteTxn,
        _event: &'a Event,
        payload: Happened,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let n = self.runs.fetch_add(1, Ordering::SeqCst);
            if n < self.fail_first {
                return Err(AppError::conflict("暂时失败"));
            }
            self.seen.lock().unwrap().push(payload);
            Ok(())
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

fn dispatcher(db: &Db, h: &Arc<Counting>, bus: EventBus) -> Dispatcher {
    let typed: Arc<dyn EventHandler> = handler::<Happened, _>(h.clone());
    assert_eq!(typed.topics(), &["test.happened"]);
    Dispatcher::new(db.clone(), vec![typed], bus, Duration::from_secs(3600))
}

async fn publish<E: DomainEvent>(db: &Db, event: &E) -> Uuid {
    let w = db.begin_write().await.unwrap();
    let id = publish_event(&*w, &RequestInfo::system("test"), event)
        .await
        .unwrap();
    w.commit().await.unwrap();
    id
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

async fn text(db: &Db, sql: &str) -> String {
    let row = db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            db.backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<String>("", "t").unwrap()
}

#[tokio::test]
async fn a_failing_handler_is_retried_and_takes_effect_once() {
    let (_tmp, db) = setup().await;
    let counting = Arc::new(Counting {
        fail_first: 1,
        ..Default::default()
    });
    let bus = EventBus::default();
    let mut live = bus.subscribe();
    let d = dispatcher(&db, &counting, bus);

    let thing = Uuid::now_v7();
    publish(
        &db,
        &Happened {
            thing_id: thing,
            n: 1,
        },
    )
    .await;

    assert_eq!(
        d.run_once().await.unwrap(),
        0,
        "the handler failed: nothing dispatched"
    );
    assert_eq!(
        scalar(&db, "SELECT attempts AS n FROM outbox_event").await,
        1
    );
    // Backing off: not retried at once.
    assert_eq!(d.run_once().await.unwrap(), 0);
    assert_eq!(counting.runs.load(Ordering::SeqCst), 1);
    db.conn
        .execute_unprepared("UPDATE outbox_event SET next_attempt_at = NULL")
        .await
        .unwrap();
    assert_eq!(d.run_once().await.unwrap(), 1);
    assert_eq!(counting.runs.load(Ordering::SeqCst), 2);
    let ev = live.try_recv().unwrap();
    assert_eq!(
        (ev.topic.as_str(), ev.version),
        ("test.happened", 1),
        "subscribers see it once dispatched"
    );
    assert_eq!(
        ev.payload,
        serde_json::json!({ "thingId": thing, "n": 1 }),
        "subscribers see the payload as JSON"
    );

    // A crash after the handler committed but before the event was marked: redelivered, and the
    // handler is skipped because its delivery record exists.
    db.conn
        .execute_unprepared("UPDATE outbox_event SET dispatched_at = NULL")
        .await
        .unwrap();
    assert_eq!(d.run_once().await.unwrap(), 1);
    assert_eq!(counting.runs.load(Ordering::SeqCst), 2, "no second effect");
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
    publish_event(
        &*w,
        &RequestInfo::system("test"),
        &Happened {
            thing_id: Uuid::now_v7(),
            n: 2,
        },
    )
    .await
    .unwrap();
    drop(w); // rolled back
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) AS n FROM outbox_event").await,
        0
    );
}

#[tokio::test]
async fn the_outbox_stores_topic_version_aggregate_and_payload_of_the_contract() {
    let (_tmp, db) = setup().await;
    let thing = Uuid::now_v7();
    publish(
        &db,
        &Happened {
            thing_id: thing,
            n: 7,
        },
    )
    .await;
    assert_eq!(
        text(
            &db,
            "SELECT topic || ' v' || version || ' ' || aggregate_type || ' ' || aggregate_id AS t FROM outbox_event"
        )
        .await,
        format!("test.happened v1 Thing {thing}")
    );
    let payload: serde_json::Value =
        serde_json::from_str(&text(&db, "SELECT payload AS t FROM outbox_event").await).unwrap();
    assert_eq!(payload, serde_json::json!({ "thingId": thing, "n": 7 }));
}

#[tokio::test]
async fn a_typed_handler_receives_the_decoded_struct() {
    let (_tmp, db) = setup().await;
    let counting = Arc::new(Counting::default());
    let d = dispatcher(&db, &counting, EventBus::default());
    let sent = Happened {
        thing_id: Uuid::now_v7(),
        n: 42,
    };
    publish(&db, &sent).await;
    assert_eq!(d.run_once().await.unwrap(), 1);
    assert_eq!(*counting.seen.lock().unwrap(), vec![sent]);
}

#[tokio::test]
async fn a_payload_of_a_newer_version_is_refused_and_the_reason_recorded() {
    let (_tmp, db) = setup().await;
    let counting = Arc::new(Counting::default());
    let d = dispatcher(&db, &counting, EventBus::default());
    publish(
        &db,
        &HappenedV2 {
            thing_id: Uuid::now_v7(),
            count: 3,
        },
    )
    .await;

    assert_eq!(d.run_once().await.unwrap(), 0, "refused, not dispatched");
    assert_eq!(counting.runs.load(Ordering::SeqCst), 0, "handler not run");
    assert_eq!(
        scalar(&db, "SELECT attempts AS n FROM outbox_event").await,
        1
    );
    assert_eq!(
        text(&db, "SELECT last_error AS t FROM outbox_event").await,
        "事件 test.happened 的版本 v2 高于处理者支持的 v1，须先升级处理者"
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) AS n FROM event_delivery").await,
        0
    );
}

#[tokio::test]
async fn a_payload_that_does_not_decode_is_refused_and_the_reason_recorded() {
    let (_tmp, db) = setup().await;
    let counting = Arc::new(Counting::default());
    let d = dispatcher(&db, &counting, EventBus::default());
    publish(
        &db,
        &Happened {
            thing_id: Uuid::now_v7(),
            n: 1,
        },
    )
    .await;
    db.conn
        .execute_unprepared(r#"UPDATE outbox_event SET payload = '{"thingId": "not a uuid"}'"#)
        .await
        .unwrap();

    assert_eq!(d.run_once().await.unwrap(), 0);
    assert_eq!(counting.runs.load(Ordering::SeqCst), 0);
    let reason = text(&db, "SELECT last_error AS t FROM outbox_event").await;
    assert!(
        reason.starts_with("事件 test.happened v1 的内容无法按 v1 解析："),
        "{reason}"
    );
}

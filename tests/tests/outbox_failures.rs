//! The outbox under failure (issue #8 item 8): a failing handler backs off without holding up the
//! events behind it, gives up after too many attempts into a dead-letter list that administrators
//! read and replay, and two dispatchers never run the same delivery at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use jianan_kernel::AppResult;
use jianan_kernel::outbox::{Event, EventHandler, MAX_ATTEMPTS};
use jianan_kernel::principal::Role;
use jianan_tests::fixtures::Fixture;
use jianan_tests::harness::Harness;
use jianan_tests::{calls, error_code};

use serde_json::json;

/// Counts every call per event, and fails for the events of `failing` aggregates.
struct Counting {
    failing: Mutex<Vec<String>>,
    calls: Mutex<Vec<uuid::Uuid>>,
}

impl EventHandler for Counting {
    fn name(&self) -> &'static str {
        "test.counting"
    }
    fn topics(&self) -> &'static [&'static str] {
        &["inspections.enforcement_issued"]
    }
    fn handle<'a>(
        &'a self,
        _txn: &'a jianan_kernel::db::WriteTxn,
        event: &'a Event,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            self.calls.lock().unwrap().push(event.id);
            if self.failing.lock().unwrap().contains(&event.aggregate_id) {
                return Err(jianan_kernel::AppError::internal("downstream unavailable"));
            }
            Ok(())
        })
    }
}

fn counting() -> Arc<Counting> {
    Arc::new(Counting {
        failing: Mutex::new(Vec::new()),
        calls: Mutex::new(Vec::new()),
    })
}

async fn issue(h: &Harness) -> String {
    calls::deduct_credit_points(
        &h.kernel,
        &h.who(Role::Inspector),
        h.world.contractor,
        h.world.project,
        Some(1),
    )
    .await
    .unwrap()
    .id
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_event_backs_off_then_is_dead_lettered_without_blocking_the_rest() {
    let h = Harness::new().await;
    let handler = counting();
    let dispatcher = h.dispatcher(vec![handler.clone()]);
    let first = issue(&h).await;
    // Two more behind it.
    issue(&h).await;
    issue(&h).await;
    handler.failing.lock().unwrap().push(first.clone());

    // The first fails; the two behind it go out in the same pass.
    let events = h.count("outbox_event").await;
    let done = dispatcher.run_once().await.unwrap();
    assert_eq!(done as i64, events - 1, "everything but the failing event");
    let calls_after_first_pass = handler.calls.lock().unwrap().len();
    assert_eq!(calls_after_first_pass, 3);
    let failing = format!(
        "SELECT COUNT(*) AS n FROM outbox_event WHERE aggregate_id = '{first}' AND topic = 'inspections.enforcement_issued'"
    );
    assert_eq!(
        h.scalar(&format!(
            "{failing} AND attempts = 1 AND next_attempt_at IS NOT NULL AND dead_at IS NULL"
        ))
        .await,
        1
    );
    // Backing off: an immediate pass does not call the handler again.
    dispatcher.run_once().await.unwrap();
    assert_eq!(handler.calls.lock().unwrap().len(), calls_after_first_pass);
    // Once due, it is retried; at the last attempt it is dead-lettered and not retried again.
    h.exec(&format!(
        "UPDATE outbox_event SET next_attempt_at = NULL, attempts = {} WHERE aggregate_id = '{first}'",
        MAX_ATTEMPTS - 1
    ))
    .await;
    dispatcher.run_once().await.unwrap();
    assert_eq!(
        handler.calls.lock().unwrap().len(),
        calls_after_first_pass + 1
    );
    assert_eq!(
        h.scalar(&format!(
            "{failing} AND dead_at IS NOT NULL AND attempts = {MAX_ATTEMPTS}"
        ))
        .await,
        1
    );
    h.exec("UPDATE outbox_event SET next_attempt_at = NULL")
        .await;
    dispatcher.run_once().await.unwrap();
    assert_eq!(
        handler.calls.lock().unwrap().len(),
        calls_after_first_pass + 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_dispatchers_never_run_the_same_delivery() {
    let h = Harness::new().await;
    let handler = counting();
    let a = h.dispatcher(vec![handler.clone()]);
    let b = h.dispatcher(vec![handler.clone()]);
    for _ in 0..20 {
        issue(&h).await;
    }
    // Counted before the pass: handlers publish follow-up events (credit's `credit.changed`),
    // which a later pass dispatches.
    let events = h.count("outbox_event").await as usize;
    let (x, y) = tokio::join!(a.run_once(), b.run_once());
    let (x, y) = (x.unwrap(), y.unwrap());
    // Every event there before the pass is dispatched; follow-ups (credit.changed) published by
    // one dispatcher's handlers may be claimed by the other in the same round.
    assert!(
        x + y >= events,
        "every event dispatched: {x} + {y} < {events}"
    );
    let calls = handler.calls.lock().unwrap().clone();
    let mut unique = calls.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        calls.len(),
        20,
        "each enforcement event handled once: {x} + {y}"
    );
    assert_eq!(unique.len(), 20);
}

const DEAD: &str = "{ deadLetterEvents { id topic aggregateType attempts lastError deadAt } }";
const REPLAY: &str = "mutation($id: ID!) { replayDeadLetterEvent(input: {id: $id}) { id } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_read_and_replay_dead_letters() {
    let (app, fx) = Fixture::spawn().await;
    app.data(
        Some(&fx.inspector.token),
        "mutation($p: ID!) { reportHazard(input: {projectId: $p, level: GENERAL, category: \"SCAFFOLDING\",
          description: \"脚手板未满铺\", location: \"2号楼\"}) { hazard { id } } }",
        json!({ "p": fx.project.id }),
    )
    .await;
    app.settle().await;
    // As if its delivery had failed ten times.
    app.exec(&format!(
        "UPDATE outbox_event SET dispatched_at = NULL, dead_at = '2026-12-01 00:00:00+00:00', attempts = {MAX_ATTEMPTS},
         last_error = '下游不可用' WHERE topic = 'inspections.hazard_reported'"
    ))
    .await;
    let body = app.gql(Some(&fx.inspector.token), DEAD, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let d = app.data(Some(&fx.admin.token), DEAD, json!({})).await;
    let list = d["deadLetterEvents"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["topic"], "inspections.hazard_reported");
    assert_eq!(list[0]["lastError"], "下游不可用");
    assert!(list[0].get("payload").is_none());
    let id = list[0]["id"].as_str().unwrap().to_owned();

    let body = app
        .gql(Some(&fx.inspector.token), REPLAY, json!({ "id": id }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = app
        .gql(Some(&fx.admin.token), REPLAY, json!({ "id": "not-a-uuid" }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let audits = app.count("audit_log").await;
    app.data(Some(&fx.admin.token), REPLAY, json!({ "id": id }))
        .await;
    assert_eq!(app.count("audit_log").await, audits + 1);
    app.settle().await;
    assert_eq!(app.pending_events().await, 0, "delivered after the replay");
    assert!(
        app.data(Some(&fx.admin.token), DEAD, json!({})).await["deadLetterEvents"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let body = app
        .gql(Some(&fx.admin.token), REPLAY, json!({ "id": id }))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "nothing left to replay");
}

//! The notification inbox: persisted messages to one account, read or unread, delivered live over
//! the `notificationReceived` subscription. Modules call [`notify`] inside their transaction; the
//! live delivery rides on the outbox, so a notification is pushed only once it is committed.
use chrono::Utc;
use jianan_contracts::DomainEvent;
use jianan_contracts::kernel::NotificationCreated;
use jianan_entity::notification;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::error::AppResult;
use crate::outbox;
use crate::principal::RequestInfo;

/// Outbox topic announcing a new notification.
pub const TOPIC_NOTIFICATION_CREATED: &str = NotificationCreated::TOPIC;

/// A message for one account.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub recipient_id: Uuid,
    /// `module.what`, e.g. `inspections.hazard_assigned`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The record it is about (GraphQL type name and id), if any.
    pub subject: Option<(String, Uuid)>,
}

/// Writes a notification in `txn` and announces it through the outbox.
pub async fn notify<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    n: NewNotification,
) -> AppResult<Uuid> {
    let id = Uuid::now_v7();
    let (subject_type, subject_id) = match n.subject {
        Some((t, i)) => (Some(t), Some(i)),
        None => (None, None),
    };
    notification::ActiveModel {
        id: Set(id),
        recipient_id: Set(n.recipient_id),
        kind: Set(n.kind),
        title: Set(n.title),
        body: Set(n.body),
        subject_type: Set(subject_type),
        subject_id: Set(subject_id),
        created_at: Set(Utc::now()),
        read_at: Set(None),
    }
    .insert(txn)
    .await?;
    outbox::publish_event(
        txn,
        who,
        &NotificationCreated {
            notification_id: id,
            recipient_id: n.recipient_id,
        },
    )
    .await?;
    Ok(id)
}

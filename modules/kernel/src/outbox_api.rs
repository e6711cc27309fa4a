//! GraphQL of the outbox's dead letters (issue #8 item 8): administrators read the events the
//! dispatcher gave up on, and replay them once the cause is fixed. Payloads are not shown: an
//! event may carry what its record hides from most readers; the topic, the aggregate and the
//! error say what failed.
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::outbox_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr};
use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::error::{AppError, AppResult};
use crate::kernel;
use crate::principal::{Permission, request_info};

/// Permission to read and replay dead-lettered events.
pub const OUTBOX_MANAGE: &str = "kernel.outbox.manage";

/// 死信事件 — an event the dispatcher gave up on after too many failed deliveries.
#[derive(SimpleObject)]
pub struct DeadLetterEvent {
    /// 事件编号（UUID）(event id)
    pub id: ID,
    /// 主题 (topic)
    pub topic: String,
    /// 契约主版本 (contract major version)
    pub version: i32,
    /// 聚合类型 (aggregate type)
    pub aggregate_type: String,
    /// 聚合编号 (aggregate id)
    pub aggregate_id: String,
    /// 发生时间 (occurred at)
    pub occurred_at: DateTime<Utc>,
    /// 已尝试次数 (attempts)
    pub attempts: i32,
    /// 最后一次错误 (last error)
    pub last_error: Option<String>,
    /// 转入死信的时间 (dead-lettered at)
    pub dead_at: DateTime<Utc>,
}

/// Dead-letter queries.
#[derive(Default)]
pub struct OutboxQuery;

#[Object]
impl OutboxQuery {
    /// 死信事件，最近的在前（至多200条）(dead-lettered events, most recent first; at most 200)
    #[graphql(guard = "Permission(OUTBOX_MANAGE)")]
    async fn dead_letter_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "条数，1到200 (how many, 1 to 200)", default = 50)] limit: i32,
    ) -> async_graphql::Result<Vec<DeadLetterEvent>> {
        let limit = u64::try_from(limit)
            .ok()
            .filter(|l| (1..=200).contains(l))
            .ok_or_else(|| AppError::bad_input("limit", "条数应在1到200之间"))?;
        let rows = outbox_event::Entity::find()
            .filter(outbox_event::Column::DeadAt.is_not_null())
            .filter(outbox_event::Column::DispatchedAt.is_null())
            .order_by_desc(outbox_event::Column::DeadAt)
            .order_by_desc(outbox_event::Column::Seq)
            .limit(limit)
            .all(&kernel(ctx)?.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(rows
            .into_iter()
            .filter_map(|m| {
                Some(DeadLetterEvent {
                    id: ID(m.id.to_string()),
                    dead_at: m.dead_at?,
                    topic: m.topic,
                    version: m.version,
                    aggregate_type: m.aggregate_type,
                    aggregate_id: m.aggregate_id,
                    occurred_at: m.occurred_at,
                    attempts: m.attempts,
                    last_error: m.last_error,
                })
            })
            .collect())
    }
}

/// 重放死信事件 — input of `replayDeadLetterEvent`.
#[derive(InputObject)]
pub struct ReplayDeadLetterEventInput {
    /// 事件编号（UUID）(event id)
    pub id: ID,
}

/// Result of `replayDeadLetterEvent`.
#[derive(SimpleObject)]
pub struct ReplayDeadLetterEventPayload {
    /// 重新排队的事件编号 (the event queued again)
    pub id: ID,
}

/// Dead-letter mutations.
#[derive(Default)]
pub struct OutboxMutation;

#[Object]
impl OutboxMutation {
    /// 重放死信事件：重新排队投递，重置尝试次数（已投递成功的处理程序不会重复执行）(queue a
    /// dead-lettered event again, attempts reset; handlers that already handled it are skipped)
    #[graphql(guard = "Permission(OUTBOX_MANAGE)")]
    async fn replay_dead_letter_event(
        &self,
        ctx: &Context<'_>,
        input: ReplayDeadLetterEventInput,
    ) -> async_graphql::Result<ReplayDeadLetterEventPayload> {
        let id = Uuid::parse_str(input.id.as_str())
            .map_err(|_| AppError::bad_input("id", "事件编号无效"))?;
        replay(ctx, id).await?;
        Ok(ReplayDeadLetterEventPayload { id: input.id })
    }
}

async fn replay(ctx: &Context<'_>, id: Uuid) -> AppResult<()> {
    let k = kernel(ctx)?;
    let who = request_info(ctx);
    let w = k.db.begin_write().await?;
    let updated = outbox_event::Entity::update_many()
        .col_expr(
            outbox_event::Column::DeadAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(outbox_event::Column::Attempts, Expr::value(0))
        .col_expr(
            outbox_event::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox_event::Column::Id.eq(id))
        .filter(outbox_event::Column::DeadAt.is_not_null())
        .filter(outbox_event::Column::DispatchedAt.is_null())
        .exec(&*w)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::not_found("死信事件"));
    }
    audit::record(
        &w,
        &who,
        AuditEntry::new("kernel.outbox.replay", "OutboxEvent", id),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

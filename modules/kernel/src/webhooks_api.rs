//! Webhook subscriptions and their delivery log, as services (plain inputs) and GraphQL
//! (see [`crate::webhooks`] for delivery and signatures).
//!
//! Who: holders of [`WEBHOOKS_MANAGE`] (the bureau's service account, administrators) manage
//! their **own** subscriptions, and may subscribe only to topics whose permission they hold.
//! Administrators also read, pause, delete and replay everyone's (a partner's receiver was down
//! for a day: the administrator replays the dead letters once it is back). Everything written is
//! audited; secrets are never stored, logged or audited.
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::{webhook_attempt, webhook_delivery, webhook_subscription};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::error::{AppError, AppResult};
use crate::idempotency::{IdempotencyKey, begin_create, finish_create};
use crate::principal::{Permission, Principal, RequestInfo, Role, principal, request_info};
use crate::relay::{
    KeysetOrder, PageArgs, RelayConnection, SortValue, TotalCount, connection, decode_id,
    encode_id, paginate,
};
use crate::webhooks::{self, WEBHOOKS_MANAGE, WebhookTopic, status};
use crate::{Kernel, kernel};

/// Most subscriptions one account may have.
pub const MAX_SUBSCRIPTIONS: u64 = 20;
const TYPE_SUBSCRIPTION: &str = "WebhookSubscription";
const TYPE_DELIVERY: &str = "WebhookDelivery";

// --- Services --------------------------------------------------------------------------------

/// A new subscription.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewSubscription {
    pub url: String,
    pub topics: Vec<String>,
    pub description: Option<String>,
}

/// Changes to a subscription; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionChange {
    pub url: Option<String>,
    pub topics: Option<Vec<String>>,
    pub description: Option<String>,
    pub active: Option<bool>,
    pub expected_version: Option<i32>,
}

/// The rows of `webhook_subscription` a caller may see: their own, or every one for an
/// administrator. The one place this table is scoped.
fn visible(p: &Principal) -> Condition {
    if p.has_role(Role::Admin) {
        Condition::all()
    } else {
        match p.account_id {
            Some(id) => Condition::all().add(webhook_subscription::Column::AccountId.eq(id)),
            None => crate::relay::nothing(),
        }
    }
}

/// The subscription `id` if the caller may see it (else `NOT_FOUND`, the same answer as for one
/// that does not exist).
async fn find_visible<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<webhook_subscription::Model> {
    webhook_subscription::Entity::find_by_id(id)
        .filter(visible(p))
        .filter(webhook_subscription::Column::ArchivedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("推送订阅"))
}

/// Checks a receiver URL: absolute `https://` (or `http://` where allowed), a host, no
/// credentials, at most 2,048 characters.
pub fn check_url(url: &str, allow_http: bool) -> AppResult<String> {
    let url = url.trim();
    let bad = |m: &str| AppError::bad_input("url", m.to_owned());
    if url.is_empty() || url.len() > 2048 {
        return Err(bad("接收地址应为1到2048个字符"));
    }
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://") {
        if !allow_http {
            return Err(bad("接收地址须使用 https"));
        }
        r
    } else {
        return Err(bad("接收地址须以 https:// 开头"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return Err(bad("接收地址须有主机名，且不得包含用户名或密码"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("接收地址不得包含空白或控制字符"));
    }
    Ok(url.to_owned())
}

/// Checks topics: 1 to 10, each declared and permitted to the caller; sorted, deduplicated.
fn check_topics(k: &Kernel, p: &Principal, topics: &[String]) -> AppResult<Vec<String>> {
    if topics.is_empty() || topics.len() > 10 {
        return Err(AppError::bad_input("topics", "应订阅1到10个主题"));
    }
    let mut out: Vec<String> = Vec::with_capacity(topics.len());
    for t in topics {
        let Some(def) = k.webhook_topics.iter().find(|d| d.topic == t) else {
            return Err(AppError::bad_input(
                "topics",
                format!("不存在可订阅的主题 {t}"),
            ));
        };
        if !p.can(def.permission) {
            return Err(AppError::bad_input("topics", format!("无权订阅主题 {t}")));
        }
        out.push(def.topic.to_owned());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn allow_http(k: &Kernel) -> bool {
    k.development || k.webhooks.allow_http
}

/// Creates a subscription owned by the caller; returns it and its secret (shown this once).
pub async fn create(
    k: &Kernel,
    who: &RequestInfo,
    input: NewSubscription,
    key: Option<&IdempotencyKey>,
) -> AppResult<(webhook_subscription::Model, String)> {
    let p = &who.principal;
    p.require(WEBHOOKS_MANAGE)?;
    let owner = p.require_account()?;
    let url = check_url(&input.url, allow_http(k))?;
    let topics = check_topics(k, p, &input.topics)?;
    let description =
        crate::validate::optional_text("description", "说明", input.description.as_deref(), 200)?
            .unwrap_or_default();
    let (w, first) = begin_create(&k.db, key).await?;
    if let Some(id) = first {
        // A retry: the same subscription, and the same secret (the first answer may have been
        // lost on the way; the caller owns the subscription and could rotate it anyway).
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        let s = find_visible(&*w, p, id).await?;
        let secret = secret_of(&w, &s)?;
        return Ok((s, secret));
    }
    let count = webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::AccountId.eq(owner))
        .filter(webhook_subscription::Column::ArchivedAt.is_null())
        .count(&*w)
        .await?;
    if count >= MAX_SUBSCRIPTIONS {
        return Err(AppError::conflict(format!(
            "每个账号最多{MAX_SUBSCRIPTIONS}个推送订阅"
        )));
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    let model = webhook_subscription::ActiveModel {
        id: Set(id),
        account_id: Set(owner),
        url: Set(url.clone()),
        topics: Set(serde_json::to_string(&topics).map_err(AppError::internal)?),
        description: Set(description),
        secret_generation: Set(1),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("kernel.webhook.create", TYPE_SUBSCRIPTION, id)
            .detail(serde_json::json!({ "url": url, "topics": topics })),
    )
    .await?;
    let secret = secret_of(&w, &model)?;
    finish_create(w, key, id).await?;
    Ok((model, secret))
}

fn secret_of(w: &crate::db::WriteTxn, s: &webhook_subscription::Model) -> AppResult<String> {
    let key = w
        .audit_key()
        .ok_or_else(|| AppError::internal("no server key: webhook secrets cannot be derived"))?;
    Ok(webhooks::secret_for(key, s.id, s.secret_generation))
}

/// Claims the next version of a subscription as it was read (`CONFLICT` when someone changed
/// it first, or when `expected` is not the version read).
async fn claim<C: ConnectionTrait>(
    db: &C,
    s: &webhook_subscription::Model,
    expected: Option<i32>,
) -> AppResult<()> {
    crate::versioning::claim_read::<webhook_subscription::Entity, C>(db, s.id, s.version, expected)
        .await
}

/// Changes URL, topics, description or whether it is active.
pub async fn update(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    change: SubscriptionChange,
) -> AppResult<webhook_subscription::Model> {
    let p = &who.principal;
    p.require(WEBHOOKS_MANAGE)?;
    let url = change
        .url
        .as_deref()
        .map(|u| check_url(u, allow_http(k)))
        .transpose()?;
    let topics = change
        .topics
        .as_deref()
        .map(|t| check_topics(k, p, t))
        .transpose()?;
    let description = change
        .description
        .as_deref()
        .map(|d| crate::validate::optional_text("description", "说明", Some(d), 200))
        .transpose()?
        .map(Option::unwrap_or_default);
    let w = k.db.begin_write().await?;
    let s = find_visible(&*w, p, id).await?;
    claim(&*w, &s, change.expected_version).await?;
    let mut m: webhook_subscription::ActiveModel = s.clone().into();
    if let Some(u) = &url {
        m.url = Set(u.clone());
    }
    if let Some(t) = &topics {
        m.topics = Set(serde_json::to_string(t).map_err(AppError::internal)?);
    }
    if let Some(d) = description {
        m.description = Set(d);
    }
    if let Some(a) = change.active {
        m.active = Set(a);
    }
    m.version = Set(s.version + 1);
    let model = m.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("kernel.webhook.update", TYPE_SUBSCRIPTION, id)
            .detail(serde_json::json!({ "url": url, "topics": topics, "active": change.active })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// Replaces the secret (the old one stops signing at once); returns the new one, shown once.
pub async fn rotate_secret(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<(webhook_subscription::Model, String)> {
    let p = &who.principal;
    p.require(WEBHOOKS_MANAGE)?;
    let w = k.db.begin_write().await?;
    let s = find_visible(&*w, p, id).await?;
    if s.account_id != p.require_account()? {
        // An administrator may pause or delete someone's subscription, never learn its secret.
        return Err(AppError::forbidden());
    }
    claim(&*w, &s, expected_version).await?;
    let mut m: webhook_subscription::ActiveModel = s.clone().into();
    m.secret_generation = Set(s.secret_generation + 1);
    m.version = Set(s.version + 1);
    let model = m.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("kernel.webhook.rotate_secret", TYPE_SUBSCRIPTION, id),
    )
    .await?;
    let secret = secret_of(&w, &model)?;
    w.commit().await?;
    Ok((model, secret))
}

/// Deletes (archives) a subscription; its pending deliveries are dead-lettered by the sender.
pub async fn delete(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<()> {
    let p = &who.principal;
    p.require(WEBHOOKS_MANAGE)?;
    let w = k.db.begin_write().await?;
    let s = find_visible(&*w, p, id).await?;
    claim(&*w, &s, expected_version).await?;
    webhook_subscription::Entity::update_many()
        .col_expr(
            webhook_subscription::Column::ArchivedAt,
            Expr::value(Utc::now()),
        )
        .filter(webhook_subscription::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("kernel.webhook.delete", TYPE_SUBSCRIPTION, id),
    )
    .await?;
    w.commit().await
}

/// Sends a dead or delivered delivery again (a new series of attempts; the log is kept).
pub async fn replay(
    k: &Kernel,
    who: &RequestInfo,
    delivery: Uuid,
) -> AppResult<webhook_delivery::Model> {
    let p = &who.principal;
    p.require(WEBHOOKS_MANAGE)?;
    let w = k.db.begin_write().await?;
    let d = webhook_delivery::Entity::find_by_id(delivery)
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("推送记录"))?;
    let s = find_visible(&*w, p, d.subscription_id)
        .await
        .map_err(|_| AppError::not_found("推送记录"))?;
    if d.status == status::PENDING {
        return Err(AppError::conflict("该推送仍在投递中，无需重放"));
    }
    let res = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(status::PENDING),
        )
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(0))
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            webhook_delivery::Column::DeadAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_delivery::Column::DeliveredAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_delivery::Column::Id.eq(delivery))
        .filter(webhook_delivery::Column::Status.eq(d.status.clone()))
        .exec(&*w)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("kernel.webhook.replay", TYPE_DELIVERY, delivery)
            .detail(serde_json::json!({ "subscription": s.id, "was": d.status })),
    )
    .await?;
    w.commit().await?;
    webhook_delivery::Entity::find_by_id(delivery)
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("推送记录"))
}

// --- GraphQL ---------------------------------------------------------------------------------

/// 推送投递状态 (delivery status)
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum WebhookDeliveryStatus {
    /// 待投递或重试中 (waiting, or being retried)
    Pending,
    /// 已送达（接收方返回 2xx）(delivered: the receiver answered 2xx)
    Delivered,
    /// 死信：多次失败后停止重试，可重放 (dead-lettered after too many failures; can be replayed)
    Dead,
}

impl WebhookDeliveryStatus {
    fn as_str(self) -> &'static str {
        match self {
            WebhookDeliveryStatus::Pending => status::PENDING,
            WebhookDeliveryStatus::Delivered => status::DELIVERED,
            WebhookDeliveryStatus::Dead => status::DEAD,
        }
    }
    fn parse(s: &str) -> WebhookDeliveryStatus {
        match s {
            status::DELIVERED => WebhookDeliveryStatus::Delivered,
            status::DEAD => WebhookDeliveryStatus::Dead,
            _ => WebhookDeliveryStatus::Pending,
        }
    }
}

/// 可订阅的推送主题 (a topic one may subscribe to)
#[derive(SimpleObject)]
pub struct WebhookTopicInfo {
    /// 主题 (topic), e.g. `credit.changed`
    pub topic: String,
    /// 说明 (what it carries)
    pub description: String,
}

impl From<&WebhookTopic> for WebhookTopicInfo {
    fn from(t: &WebhookTopic) -> Self {
        WebhookTopicInfo {
            topic: t.topic.to_owned(),
            description: t.description.to_owned(),
        }
    }
}

/// 推送订阅 — a partner system's subscription to change topics, delivered as signed POSTs.
pub struct WebhookSubscription(pub webhook_subscription::Model);

/// 推送订阅 — a partner system's subscription to change topics, delivered as signed POSTs.
#[Object]
impl WebhookSubscription {
    /// 全局编号 (global ID)
    async fn id(&self) -> ID {
        encode_id(TYPE_SUBSCRIPTION, self.0.id)
    }
    /// 接收地址 (receiver URL)
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// 订阅的主题 (topics)
    async fn topics(&self) -> Vec<String> {
        webhooks::topics_of(&self.0)
    }
    /// 说明 (description)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 是否启用；暂停时新事件照常排队，恢复后投递 (active; while paused, deliveries wait)
    async fn active(&self) -> bool {
        self.0.active
    }
    /// 所属账号 (owning account)
    async fn owner_account_id(&self) -> ID {
        encode_id("Account", self.0.account_id)
    }
    /// 版本号，用于 expectedVersion (version, for expectedVersion)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 创建时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 更新时间 (updated at)
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// 推送记录 — one event delivered (or being delivered) to one subscription.
pub struct WebhookDelivery {
    model: webhook_delivery::Model,
    attempts: Vec<webhook_attempt::Model>,
}

/// 推送记录 — one event delivered (or being delivered) to one subscription.
#[Object]
impl WebhookDelivery {
    /// 全局编号 (global ID); the `webhook-id` header is its UUID
    async fn id(&self) -> ID {
        encode_id(TYPE_DELIVERY, self.model.id)
    }
    /// 请求头 webhook-id 的值，接收方据此去重 (the `webhook-id` header, for deduplication)
    async fn webhook_id(&self) -> String {
        self.model.id.to_string()
    }
    /// 事件编号 (event id)
    async fn event_id(&self) -> String {
        self.model.event_id.to_string()
    }
    /// 主题 (topic)
    async fn topic(&self) -> &str {
        &self.model.topic
    }
    /// 推送内容（JSON，每次尝试相同）(the JSON body, the same on every attempt)
    async fn body(&self) -> &str {
        &self.model.body
    }
    /// 状态 (status)
    async fn status(&self) -> WebhookDeliveryStatus {
        WebhookDeliveryStatus::parse(&self.model.status)
    }
    /// 本轮已尝试次数 (attempts in the current series)
    async fn attempt_count(&self) -> i32 {
        self.model.attempts
    }
    /// 下次尝试时间 (next attempt at, while pending)
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.model.status == status::PENDING)
            .then_some(self.model.next_attempt_at)
            .flatten()
    }
    /// 最近一次的 HTTP 状态码 (last HTTP status code)
    async fn last_status_code(&self) -> Option<i32> {
        self.model.last_status_code
    }
    /// 最近一次的错误 (last error)
    async fn last_error(&self) -> Option<&str> {
        self.model.last_error.as_deref()
    }
    /// 创建时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
    /// 送达时间 (delivered at)
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.model.delivered_at
    }
    /// 转入死信的时间 (dead-lettered at)
    async fn dead_at(&self) -> Option<DateTime<Utc>> {
        self.model.dead_at
    }
    /// 投递日志：每次尝试及其状态码，按时间先后 (delivery log: every attempt with its status code, oldest first)
    async fn attempts(&self) -> Vec<WebhookAttempt> {
        self.attempts.iter().cloned().map(WebhookAttempt).collect()
    }
}

/// 一次投递尝试 (one delivery attempt)
pub struct WebhookAttempt(webhook_attempt::Model);

/// 一次投递尝试 (one delivery attempt)
#[Object]
impl WebhookAttempt {
    /// 第几次尝试（重放后从1重新计数）(attempt number; restarts at 1 after a replay)
    async fn attempt(&self) -> i32 {
        self.0.attempt
    }
    /// 开始时间 (started at)
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    /// 接收方的 HTTP 状态码；未收到响应时为空 (the receiver's HTTP status; empty when it did not answer)
    async fn status_code(&self) -> Option<i32> {
        self.0.status_code
    }
    /// 未收到响应的原因 (why no response came)
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// 耗时（毫秒）(duration in milliseconds)
    async fn duration_ms(&self) -> i64 {
        self.0.duration_ms
    }
}

/// Webhook queries.
#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// 当前账号可订阅的推送主题 (topics the caller may subscribe to)
    #[graphql(guard = "Permission(WEBHOOKS_MANAGE)")]
    async fn webhook_topics(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<WebhookTopicInfo>> {
        let k = kernel(ctx)?;
        let p = principal(ctx);
        Ok(k.webhook_topics
            .iter()
            .filter(|t| p.can(t.permission))
            .map(WebhookTopicInfo::from)
            .collect())
    }

    /// 推送订阅：本账号的；管理员可见全部 (webhook subscriptions: one's own; administrators see all)
    #[graphql(guard = "Permission(WEBHOOKS_MANAGE)")]
    async fn webhook_subscriptions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<WebhookSubscription>> {
        let k = kernel(ctx)?;
        let p = principal(ctx);
        let rows = webhook_subscription::Entity::find()
            .filter(visible(&p))
            .filter(webhook_subscription::Column::ArchivedAt.is_null())
            .order_by_asc(webhook_subscription::Column::CreatedAt)
            .order_by_asc(webhook_subscription::Column::Id)
            .all(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(rows.into_iter().map(WebhookSubscription).collect())
    }

    /// 推送记录（投递日志），最新的在前 (deliveries of a subscription with their attempts, newest first)
    #[graphql(guard = "Permission(WEBHOOKS_MANAGE)")]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "推送订阅的全局编号 (the subscription's global ID)")] subscription_id: ID,
        #[graphql(desc = "只看该状态的记录 (only deliveries in this status)")] status: Option<
            WebhookDeliveryStatus,
        >,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<WebhookDelivery>> {
        let k = kernel(ctx)?;
        let p = principal(ctx);
        let sub = decode_id(&subscription_id, TYPE_SUBSCRIPTION, "subscriptionId")?;
        let s = find_visible(&k.db.conn, &p, sub).await?;
        let mut select = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::SubscriptionId.eq(s.id));
        if let Some(st) = status {
            select = select.filter(webhook_delivery::Column::Status.eq(st.as_str()));
        }
        let order = KeysetOrder::<webhook_delivery::Entity> {
            column: webhook_delivery::Column::CreatedAt,
            id_column: webhook_delivery::Column::Id,
            descending: true,
            key: |m| (SortValue::Time(m.created_at), m.id),
        };
        let page = paginate(
            &k.db.conn,
            select.clone(),
            &order,
            &PageArgs::new(first, after, last, before),
        )
        .await?;
        // The page's attempt logs in one statement.
        let ids: Vec<Uuid> = page.rows.iter().map(|(_, m)| m.id).collect();
        let attempts = webhook_attempt::Entity::find()
            .filter(webhook_attempt::Column::DeliveryId.is_in(ids))
            .order_by_asc(webhook_attempt::Column::DeliveryId)
            .order_by_asc(webhook_attempt::Column::StartedAt)
            .order_by_asc(webhook_attempt::Column::Id)
            .all(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        let mut by_delivery: std::collections::HashMap<Uuid, Vec<webhook_attempt::Model>> =
            std::collections::HashMap::new();
        for a in attempts {
            by_delivery.entry(a.delivery_id).or_default().push(a);
        }
        Ok(connection(page, TotalCount::of(&k.db.conn, select), |m| {
            WebhookDelivery {
                attempts: by_delivery.get(&m.id).cloned().unwrap_or_default(),
                model: m,
            }
        }))
    }
}

/// 新建推送订阅 — input of `createWebhookSubscription`.
#[derive(InputObject)]
pub struct CreateWebhookSubscriptionInput {
    /// 接收地址，须为 https（开发模式或 webhook_allow_http 时可用 http）(receiver URL; https)
    pub url: String,
    /// 订阅的主题，见 webhookTopics (topics, see webhookTopics)
    pub topics: Vec<String>,
    /// 说明 (description)
    pub description: Option<String>,
    /// 幂等键：重试时返回首次结果 (idempotency key: a retry returns the first result)
    pub idempotency_key: Option<String>,
}

/// 订阅及其签名密钥 (a subscription and its signing secret)
#[derive(SimpleObject)]
pub struct WebhookSubscriptionSecretPayload {
    /// 推送订阅 (the subscription)
    pub subscription: WebhookSubscription,
    /// 签名密钥（whsec_…），只在此处显示，请妥善保存 (the signing secret, `whsec_…`: shown
    /// only here, keep it safe)
    pub secret: String,
}

/// 修改推送订阅 — input of `updateWebhookSubscription`.
#[derive(InputObject)]
pub struct UpdateWebhookSubscriptionInput {
    /// 推送订阅的全局编号 (the subscription's global ID)
    pub id: ID,
    /// 新的接收地址 (new receiver URL)
    pub url: Option<String>,
    /// 新的主题列表 (new topics)
    pub topics: Option<Vec<String>>,
    /// 新的说明 (new description)
    pub description: Option<String>,
    /// 启用或暂停 (active or paused)
    pub active: Option<bool>,
    /// 期望的版本号 (expected version)
    pub expected_version: Option<i32>,
}

/// 推送订阅 (the subscription)
#[derive(SimpleObject)]
pub struct WebhookSubscriptionPayload {
    /// 推送订阅 (the subscription)
    pub subscription: WebhookSubscription,
}

/// 指定一个推送订阅 — input of `rotateWebhookSecret` and `deleteWebhookSubscription`.
#[derive(InputObject)]
pub struct WebhookSubscriptionRefInput {
    /// 推送订阅的全局编号 (the subscription's global ID)
    pub id: ID,
    /// 期望的版本号 (expected version)
    pub expected_version: Option<i32>,
}

/// 已删除的推送订阅 (the subscription deleted)
#[derive(SimpleObject)]
pub struct DeleteWebhookSubscriptionPayload {
    /// 被删除的订阅的全局编号 (global ID of the deleted subscription)
    pub id: ID,
}

/// 重放推送 — input of `replayWebhookDelivery`.
#[derive(InputObject)]
pub struct ReplayWebhookDeliveryInput {
    /// 推送记录的全局编号 (the delivery's global ID)
    pub id: ID,
}

/// 重新排队的推送记录 (the delivery queued again)
#[derive(SimpleObject)]
pub struct ReplayWebhookDeliveryPayload {
    /// 推送记录 (the delivery)
    pub delivery: WebhookDelivery,
}

/// Webhook mutations.
#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// 新建推送订阅；返回的签名密钥只显示这一次 (subscribe to topics; the signing secret is shown once)
    async fn create_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookSubscriptionInput,
    ) -> async_graphql::Result<WebhookSubscriptionSecretPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx);
        let new = NewSubscription {
            url: input.url,
            topics: input.topics,
            description: input.description,
        };
        let key = IdempotencyKey::from_input(
            &who,
            "kernel.webhook.create",
            input.idempotency_key.as_deref(),
            &new,
        )?;
        let (s, secret) = create(k, &who, new, key.as_ref()).await?;
        Ok(WebhookSubscriptionSecretPayload {
            subscription: WebhookSubscription(s),
            secret,
        })
    }

    /// 修改推送订阅（地址、主题、说明、启用/暂停）(change URL, topics, description, pause/resume)
    async fn update_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        input: UpdateWebhookSubscriptionInput,
    ) -> async_graphql::Result<WebhookSubscriptionPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx);
        let id = decode_id(&input.id, TYPE_SUBSCRIPTION, "id")?;
        let s = update(
            k,
            &who,
            id,
            SubscriptionChange {
                url: input.url,
                topics: input.topics,
                description: input.description,
                active: input.active,
                expected_version: input.expected_version,
            },
        )
        .await?;
        Ok(WebhookSubscriptionPayload {
            subscription: WebhookSubscription(s),
        })
    }

    /// 更换签名密钥：旧密钥立即失效，新密钥只显示这一次（仅订阅所属账号）(rotate the signing
    /// secret: the old one stops at once, the new one is shown once; the owner only)
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        input: WebhookSubscriptionRefInput,
    ) -> async_graphql::Result<WebhookSubscriptionSecretPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx);
        let id = decode_id(&input.id, TYPE_SUBSCRIPTION, "id")?;
        let (s, secret) = rotate_secret(k, &who, id, input.expected_version).await?;
        Ok(WebhookSubscriptionSecretPayload {
            subscription: WebhookSubscription(s),
            secret,
        })
    }

    /// 删除推送订阅；未送达的推送转入死信 (delete a subscription; undelivered deliveries are dead-lettered)
    async fn delete_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        input: WebhookSubscriptionRefInput,
    ) -> async_graphql::Result<DeleteWebhookSubscriptionPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx);
        let id = decode_id(&input.id, TYPE_SUBSCRIPTION, "id")?;
        delete(k, &who, id, input.expected_version).await?;
        Ok(DeleteWebhookSubscriptionPayload { id: input.id })
    }

    /// 重放推送：已送达或死信的推送重新投递，尝试次数从1计 (send a delivered or dead-lettered
    /// delivery again; attempts restart at 1)
    async fn replay_webhook_delivery(
        &self,
        ctx: &Context<'_>,
        input: ReplayWebhookDeliveryInput,
    ) -> async_graphql::Result<ReplayWebhookDeliveryPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx);
        let id = decode_id(&input.id, TYPE_DELIVERY, "id")?;
        let d = replay(k, &who, id).await?;
        let attempts = webhook_attempt::Entity::find()
            .filter(webhook_attempt::Column::DeliveryId.eq(id))
            .order_by_asc(webhook_attempt::Column::StartedAt)
            .order_by_asc(webhook_attempt::Column::Id)
            .all(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(ReplayWebhookDeliveryPayload {
            delivery: WebhookDelivery { model: d, attempts },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn receiver_urls_are_absolute_https_with_a_host_and_no_credentials() {
        assert_eq!(
            check_url(" https://bureau.example/hooks?x=1 ", false).ok(),
            Some("https://bureau.example/hooks?x=1".to_owned())
        );
        assert!(check_url("http://127.0.0.1:9000/h", false).is_err());
        assert!(check_url("http://127.0.0.1:9000/h", true).is_ok());
        for bad in [
            "",
            "ftp://bureau.example/",
            "https://",
            "https:///path",
            "https://user:pw@bureau.example/",
            "https://bureau.example/a b",
            "bureau.example/hooks",
        ] {
            let e = check_url(bad, true).err();
            assert_eq!(
                e.as_ref().and_then(|e| e.field.as_deref()),
                Some("url"),
                "{bad:?} should be refused on the url field"
            );
        }
        assert!(check_url(&format!("https://h/{}", "a".repeat(2050)), false).is_err());
    }
}

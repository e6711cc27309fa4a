//! The kernel's own part of the schema: attachments and the notification inbox.
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Subscription, Upload};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use futures_util::future::BoxFuture;
use jianan_entity::{attachment, notification};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::idempotency::{IdempotencyKey, begin_create, finish_create};
use crate::inbox::TOPIC_NOTIFICATION_CREATED;
use crate::node::NodeRecord;
use crate::principal::{Authenticated, Known, principal, request_info};
use crate::relay::{KeysetOrder, PageArgs, RelayConnection, SortValue, decode_any, encode_id};
use crate::{Kernel, kernel};

/// 附件 — a photo or document attached to a record.
#[derive(Clone)]
pub struct Attachment(pub attachment::Model);

/// Attachments are readable by whoever may read the record they belong to (its owner policy).
impl NodeRecord for Attachment {
    const TYPE_NAME: &'static str = "Attachment";
    fn load<'a>(
        ctx: &'a Context<'_>,
        ids: Vec<Uuid>,
    ) -> BoxFuture<'a, AppResult<Vec<(Uuid, Self)>>> {
        Box::pin(async move {
            let k = kernel(ctx)?;
            let p = principal(ctx);
            let rows = attachment::Entity::find()
                .filter(attachment::Column::Id.is_in(ids))
                .all(&k.db.conn)
                .await?;
            // One policy check per owner record, however many of its files were asked for.
            let mut readable: HashMap<(String, Uuid), bool> = HashMap::new();
            let mut out = Vec::with_capacity(rows.len());
            for a in rows {
                let owner = (a.owner_type.clone(), a.owner_id);
                let may = match readable.get(&owner) {
                    Some(may) => *may,
                    None => {
                        let may = k
                            .attachments
                            .can_read(&k.db.conn, &p, &a.owner_type, a.owner_id)
                            .await?;
                        readable.insert(owner, may);
                        may
                    }
                };
                if may {
                    out.push((a.id, Attachment(a)));
                }
            }
            Ok(out)
        })
    }
}

/// 附件 — a photo or document attached to a record.
#[Object]
impl Attachment {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 文件名 (file name as uploaded)
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// 媒体类型，由文件内容识别 (media type, recognised from the content)
    async fn media_type(&self) -> &str {
        &self.0.media_type
    }
    /// 文件大小（字节）(size in bytes)
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    /// SHA-256 摘要 (content digest, hex)
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// 下载地址，需携带访问令牌 (download path; send the access token)
    async fn url(&self) -> String {
        format!("/attachments/{}", self.0.id)
    }
    /// 上传时间 (uploaded at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The files attached to record `owner_id`, through the request's grouped loader (list resolvers
/// prime it for a whole page). The caller has already read the owner record, so its files are
/// readable too.
pub async fn attachments_of(ctx: &Context<'_>, owner_id: Uuid) -> AppResult<Vec<Attachment>> {
    let list = crate::loader::loaders(ctx)?
        .grouped::<AttachmentsByOwner>()
        .load_one(owner_id)
        .await?;
    Ok(list
        .unwrap_or_default()
        .into_iter()
        .map(Attachment)
        .collect())
}

crate::grouping!(
    /// Attachments grouped by the record they belong to (owner ids are UUIDv7, unique across types).
    pub AttachmentsByOwner: attachment, OwnerId / owner_id, order Id);

/// 通知 — a message in the caller's inbox.
#[derive(Clone)]
pub struct Notification(pub notification::Model);

/// A notification is readable by its recipient only.
impl NodeRecord for Notification {
    const TYPE_NAME: &'static str = "Notification";
    fn load<'a>(
        ctx: &'a Context<'_>,
        ids: Vec<Uuid>,
    ) -> BoxFuture<'a, AppResult<Vec<(Uuid, Self)>>> {
        Box::pin(async move {
            let Some(me) = principal(ctx).account_id else {
                return Ok(Vec::new());
            };
            let rows = notification::Entity::find()
                .filter(notification::Column::Id.is_in(ids))
                .filter(notification::Column::RecipientId.eq(me))
                .all(&kernel(ctx)?.db.conn)
                .await?;
            Ok(rows.into_iter().map(|n| (n.id, Notification(n))).collect())
        })
    }
}

/// 通知 — a message in the caller's inbox.
#[Object]
impl Notification {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id(Self::TYPE_NAME, self.0.id)
    }
    /// 通知类别，如 inspections.hazard_assigned (kind)
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// 标题 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 正文 (body)
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// 相关记录的全局编号 (global ID of the record it is about)
    async fn subject_id(&self) -> Option<ID> {
        match (&self.0.subject_type, self.0.subject_id) {
            (Some(t), Some(id)) => Some(encode_id(t, id)),
            _ => None,
        }
    }
    /// 创建时间 (created at)
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 阅读时间，未读为空 (read at; null while unread)
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
}

fn notification_order() -> KeysetOrder<notification::Entity> {
    KeysetOrder {
        column: notification::Column::CreatedAt,
        id_column: notification::Column::Id,
        descending: true,
        key: |m| (SortValue::Time(m.created_at), m.id),
    }
}

/// Kernel queries.
#[derive(Default)]
pub struct KernelQuery;

#[Object]
impl KernelQuery {
    /// 我的通知，最新的在前 (my notifications, newest first)
    #[graphql(
        guard = "Authenticated",
        complexity = "crate::list::complexity(child_complexity, first, last)"
    )]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "只看未读 (unread only)", default = false)] unread_only: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<Notification>> {
        // An inbox is its recipient's alone, whatever their role.
        let me = principal(ctx).require_account()?;
        let mut select =
            notification::Entity::find().filter(notification::Column::RecipientId.eq(me));
        if unread_only {
            select = select.filter(notification::Column::ReadAt.is_null());
        }
        let args = PageArgs::new(first, after, last, before);
        let page = crate::list::page(ctx, select, &notification_order(), args).await?;
        Ok(page.connection(Notification))
    }

    /// 我的未读通知数 (number of my unread notifications)
    #[graphql(guard = "Authenticated")]
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let k = kernel(ctx)?;
        let me = principal(ctx).require_account()?;
        let n = notification::Entity::find()
            .filter(notification::Column::RecipientId.eq(me))
            .filter(notification::Column::ReadAt.is_null())
            .count(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(n)
    }
}

/// 上传附件 — input of `uploadAttachment` (GraphQL multipart request).
#[derive(InputObject)]
pub struct UploadAttachmentInput {
    /// 附件所属记录的全局编号 (global ID of the record the file belongs to)
    pub owner_id: ID,
    /// 文件 (the file part)
    pub file: Upload,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `uploadAttachment`.
#[derive(SimpleObject)]
pub struct UploadAttachmentPayload {
    /// 已保存的附件 (the stored attachment)
    pub attachment: Attachment,
}

/// 标记通知已读 — input of `markNotificationsRead`.
#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// 要标记的通知；为空则标记全部 (notifications to mark; all when null)
    pub ids: Option<Vec<ID>>,
}

/// Result of `markNotificationsRead`.
#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    /// 本次标记为已读的数量 (how many were marked read)
    pub updated_count: u64,
}

/// Kernel mutations.
#[derive(Default)]
pub struct KernelMutation;

#[Object]
impl KernelMutation {
    /// 上传附件（GraphQL multipart 请求；登录用户，或持有该记录上传凭证的举报人）(upload a photo
    /// or document to a record; signed in, or a reporter with the record's upload token)
    #[graphql(guard = "Known")]
    async fn upload_attachment(
        &self,
        ctx: &Context<'_>,
        input: UploadAttachmentInput,
    ) -> async_graphql::Result<UploadAttachmentPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx).into_owned();
        let (owner_type, owner_id) = decode_any(&input.owner_id)
            .ok_or_else(|| AppError::bad_input("ownerId", "无效的记录编号"))?;
        let upload = input
            .file
            .value(ctx)
            .map_err(|_| AppError::bad_input("file", "无法读取上传的文件"))?;
        let fingerprint =
            serde_json::json!({ "ownerId": input.owner_id.as_str(), "fileName": upload.filename });
        let key = IdempotencyKey::from_input(
            &who,
            "uploadAttachment",
            input.idempotency_key.as_deref(),
            &fingerprint,
        )?;
        let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
        if let Some(id) = replay {
            let found = find_attachment(k, &id).await?;
            return Ok(UploadAttachmentPayload {
                attachment: Attachment(found),
            });
        }
        let model = k
            .attachments
            .attach(
                &k.db.conn,
                &w,
                &who,
                &owner_type,
                owner_id,
                &upload.filename,
                upload.content_type.as_deref(),
                upload.content,
            )
            .await?;
        finish_create(w, key.as_ref(), model.id).await?;
        Ok(UploadAttachmentPayload {
            attachment: Attachment(model),
        })
    }

    /// 标记通知已读 (mark my notifications read)
    #[graphql(guard = "Authenticated")]
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        input: MarkNotificationsReadInput,
    ) -> async_graphql::Result<MarkNotificationsReadPayload> {
        let k = kernel(ctx)?;
        let me = principal(ctx).require_account()?;
        let mut update = notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
            .filter(notification::Column::RecipientId.eq(me))
            .filter(notification::Column::ReadAt.is_null());
        if let Some(ids) = &input.ids {
            let ids = ids
                .iter()
                .map(|id| crate::relay::decode_id(id, "Notification", "ids"))
                .collect::<AppResult<Vec<_>>>()?;
            update = update.filter(notification::Column::Id.is_in(ids));
        }
        let w = k.db.begin_write().await?;
        let res = update.exec(&*w).await.map_err(AppError::from)?;
        w.commit().await?;
        Ok(MarkNotificationsReadPayload {
            updated_count: res.rows_affected,
        })
    }
}

async fn find_attachment(k: &Kernel, id: &str) -> AppResult<attachment::Model> {
    let id = Uuid::parse_str(id).map_err(AppError::internal)?;
    attachment::Entity::find_by_id(id)
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("附件"))
}

/// Loads an attachment if the caller may read the record it belongs to.
pub async fn readable_attachment(
    k: &Kernel,
    p: &crate::principal::Principal,
    id: Uuid,
) -> AppResult<attachment::Model> {
    let a = attachment::Entity::find_by_id(id)
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("附件"))?;
    if !p.is_authenticated() {
        return Err(AppError::unauthenticated());
    }
    if k.attachments
        .can_read(&k.db.conn, p, &a.owner_type, a.owner_id)
        .await?
    {
        Ok(a)
    } else {
        Err(AppError::not_found("附件"))
    }
}

/// Kernel subscriptions.
#[derive(Default)]
pub struct KernelSubscription;

#[Subscription]
impl KernelSubscription {
    /// 新通知实时推送 (my new notifications, live)
    #[graphql(guard = "Authenticated")]
    async fn notification_received(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = Notification> + use<>> {
        let k: Arc<Kernel> = kernel(ctx)?.clone();
        let me = principal(ctx).require_account()?;
        Ok(notification_stream(k, me))
    }
}

/// The caller's new notifications, from the moment of subscribing.
fn notification_stream(k: Arc<Kernel>, me: Uuid) -> impl Stream<Item = Notification> {
    let rx = k.bus.subscribe();
    futures_util::stream::unfold((k, rx), move |(k, mut rx)| async move {
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return None,
            };
            if ev.topic != TOPIC_NOTIFICATION_CREATED {
                continue;
            }
            let for_me = ev.payload.get("recipientId").and_then(|v| v.as_str())
                == Some(me.to_string().as_str());
            if !for_me {
                continue;
            }
            let Ok(id) = Uuid::parse_str(&ev.aggregate_id) else {
                continue;
            };
            if let Ok(Some(n)) = notification::Entity::find_by_id(id).one(&k.db.conn).await {
                return Some((Notification(n), (k, rx)));
            }
        }
    })
}

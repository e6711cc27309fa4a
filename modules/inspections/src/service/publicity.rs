//! Site publicity (measure 1 of the plan: 施工现场要常态化保持3条（幅）以上的标语、海报、专栏或视频):
//! items are recorded per site and photographed; each month the site confirms the items still in
//! place, and every confirmed item with a photo is evidence for `inspections.site_publicity`.
use chrono::Utc;
use jianan_entity::obligation_evidence;
use jianan_entity::{attachment, project};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::{Period, PeriodKind};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::obligations::{ObligationDef, SubjectKind, record_evidence};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enums::PublicityKind;
use crate::entity::publicity_item;

/// 在建工地安全宣传不少于3处（每月确认，附照片）
pub const SITE_PUBLICITY: ObligationDef = ObligationDef {
    code: "inspections.site_publicity",
    name: "在建工地安全宣传不少于3处",
    subject: SubjectKind::Project,
    period: PeriodKind::Month,
    required: 3,
    source: "《工作方案》三、（一）：施工现场要常态化保持3条（幅）以上的标语、海报、专栏或视频",
    exempt_holidays: false,
};

/// 登记安全宣传品 — a publicity item on a site. Serialised (without the key) to fingerprint an
/// idempotent retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPublicityItem {
    /// 项目 (project)
    pub project_id: Uuid,
    /// 类型 (kind)
    pub kind: PublicityKind,
    /// 内容或标题 (title)
    pub title: String,
    /// 设置位置 (location)
    pub location: String,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// 月度确认 — the items of a site still in place this month.
#[derive(Debug, Clone)]
pub struct PublicityConfirmation {
    /// 项目 (project)
    pub project_id: Uuid,
    /// 仍在位的宣传品（须已上传照片）(items still in place; each must have a photo)
    pub item_ids: Vec<Uuid>,
}

/// Records a publicity item on a site within the caller's scope.
pub async fn record(
    k: &Kernel,
    who: &RequestInfo,
    input: NewPublicityItem,
) -> AppResult<publicity_item::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "recordPublicityItem",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let project_id = input.project_id;
    let title = required_text("title", "宣传内容", &input.title, 200)?;
    let location = required_text("location", "设置位置", &input.location, 200)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return publicity_item::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::not_found("宣传品"));
    }
    let p = scoped::<project::Entity>(&who.principal)
        .filter(project::Column::Id.eq(project_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("projectId", "项目不存在或无权查看"))?;
    let model = publicity_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(p.id),
        township_id: Set(p.township_id),
        kind: Set(input.kind),
        title: Set(title),
        location: Set(location),
        recorded_by: Set(who.principal.account_id),
        recorded_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.publicity.record", "PublicityItem", model.id),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Confirms this month's publicity: each listed item of the project that has a photo becomes
/// evidence (once per item and month). Returns how many items count this month.
pub async fn confirm(
    k: &Kernel,
    who: &RequestInfo,
    input: PublicityConfirmation,
) -> AppResult<u64> {
    let project_id = input.project_id;
    let ids = input.item_ids;
    let w = k.db.begin_write().await?;
    scoped::<project::Entity>(&who.principal)
        .filter(project::Column::Id.eq(project_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("projectId", "项目不存在或无权查看"))?;
    let items = publicity_item::Entity::find()
        .filter(publicity_item::Column::ProjectId.eq(project_id))
        .filter(publicity_item::Column::Id.is_in(ids.clone()))
        .all(&*w)
        .await?;
    if items.len() != ids.len() {
        return Err(AppError::bad_input("itemIds", "宣传品不属于该项目"));
    }
    let now = Utc::now();
    let month = Period::containing_instant(PeriodKind::Month, now);
    for item in &items {
        let photos = attachment::Entity::find()
            .filter(attachment::Column::OwnerId.eq(item.id))
            .count(&*w)
            .await?;
        if photos == 0 {
            return Err(AppError::bad_input(
                "itemIds",
                format!("“{}”还没有照片", item.title),
            ));
        }
        let already = obligation_evidence::Entity::find()
            .filter(obligation_evidence::Column::Obligation.eq(SITE_PUBLICITY.code))
            .filter(obligation_evidence::Column::RecordId.eq(item.id))
            .filter(obligation_evidence::Column::OccurredAt.gte(month.start_utc()))
            .filter(obligation_evidence::Column::OccurredAt.lt(month.end_utc()))
            .count(&*w)
            .await?;
        if already == 0 {
            record_evidence(
                &*w,
                SITE_PUBLICITY.code,
                project_id,
                now,
                "PublicityItem",
                item.id,
            )
            .await?;
        }
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.publicity.confirm", "Project", project_id)
            .detail(serde_json::json!({ "items": ids.len() })),
    )
    .await?;
    let counted = evidence_this_month(&*w, project_id, month).await?;
    w.commit().await?;
    Ok(counted)
}

async fn evidence_this_month<C: ConnectionTrait>(
    db: &C,
    project: Uuid,
    month: Period,
) -> AppResult<u64> {
    Ok(obligation_evidence::Entity::find()
        .filter(obligation_evidence::Column::Obligation.eq(SITE_PUBLICITY.code))
        .filter(obligation_evidence::Column::SubjectId.eq(project))
        .filter(obligation_evidence::Column::OccurredAt.gte(month.start_utc()))
        .filter(obligation_evidence::Column::OccurredAt.lt(month.end_utc()))
        .count(db)
        .await?)
}

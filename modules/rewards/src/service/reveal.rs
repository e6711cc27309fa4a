//! Revealing a reporter's identity (DESIGN §3): a handler asks with a reason; a custodian — a
//! second person holding `rewards.identity.reveal` — approves; the requester then reads the
//! identity once. Each step is audited, never with the identity in the record.
use chrono::Utc;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::report::Identity;
use crate::RewardsModule;
use crate::entity::enums::RevealStatus;
use crate::entity::{report, reveal_request};
use crate::perms;

/// A handler asks to see the identity of a named report's reporter.
pub async fn request(
    k: &Kernel,
    who: &RequestInfo,
    report_id: Uuid,
    reason: &str,
) -> AppResult<reveal_request::Model> {
    let p = &who.principal;
    p.require(perms::IDENTITY_REQUEST)?;
    let requester = p.require_account()?;
    let reason = required_text("reason", "申请理由", reason, 500)?;
    let w = k.db.begin_write().await?;
    let r = scoped::<report::Entity>(p)
        .filter(report::Column::Id.eq(report_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("举报"))?;
    if !r.named {
        return Err(AppError::conflict("该举报为匿名举报，没有可查看的身份"));
    }
    let model = reveal_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(r.id),
        requested_by: Set(requester),
        reason: Set(reason.clone()),
        status: Set(RevealStatus::Pending),
        approved_by: Set(None),
        approved_at: Set(None),
        revealed_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(
            "rewards.identity.request",
            "IdentityRevealRequest",
            model.id,
        )
        .detail(json!({ "report": r.id, "reason": reason })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

async fn load(
    w: &jianan_kernel::db::WriteTxn,
    who: &RequestInfo,
    id: Uuid,
) -> AppResult<reveal_request::Model> {
    scoped::<reveal_request::Entity>(&who.principal)
        .filter(reveal_request::Column::Id.eq(id))
        .one(&**w)
        .await?
        .ok_or_else(|| AppError::not_found("身份查看申请"))
}

/// A custodian approves someone else's pending request.
pub async fn approve(
    k: &Kernel,
    who: &RequestInfo,
    request_id: Uuid,
) -> AppResult<reveal_request::Model> {
    let p = &who.principal;
    p.require(perms::IDENTITY_REVEAL)?;
    let custodian = p.require_account()?;
    let w = k.db.begin_write().await?;
    let req = load(&w, who, request_id).await?;
    if req.requested_by == custodian {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "不能批准本人提出的身份查看申请，须由另一名保管人批准",
        ));
    }
    if req.status != RevealStatus::Pending {
        return Err(AppError::conflict("该申请已处理"));
    }
    let mut am: reveal_request::ActiveModel = req.clone().into();
    am.status = Set(RevealStatus::Approved);
    am.approved_by = Set(Some(custodian));
    am.approved_at = Set(Some(Utc::now()));
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(
            "rewards.identity.approve",
            "IdentityRevealRequest",
            model.id,
        )
        .detail(json!({ "report": model.report_id, "requestedBy": model.requested_by })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// The requester reads the identity of an approved request, once.
pub async fn reveal(
    k: &Kernel,
    who: &RequestInfo,
    request_id: Uuid,
) -> AppResult<(reveal_request::Model, Identity)> {
    let module = RewardsModule::of(k)?;
    let p = &who.principal;
    p.require(perms::IDENTITY_REQUEST)?;
    let me = p.require_account()?;
    let w = k.db.begin_write().await?;
    let req = load(&w, who, request_id).await?;
    if req.requested_by != me {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "只有申请人本人可以查看批准的身份",
        ));
    }
    match req.status {
        RevealStatus::Pending => return Err(AppError::conflict("申请尚未经保管人批准")),
        RevealStatus::Revealed => return Err(AppError::conflict("该申请已查看过，需重新申请")),
        RevealStatus::Approved => {}
    }
    let r = report::Entity::find_by_id(req.report_id)
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("举报"))?;
    let (Some(sealed), Some(key_id)) = (&r.identity_ciphertext, &r.identity_key_id) else {
        return Err(AppError::conflict("该举报为匿名举报，没有可查看的身份"));
    };
    let key = module.key_for(k, key_id)?;
    let plain = key.open(r.id, sealed)?;
    let identity: Identity = serde_json::from_slice(&plain)
        .map_err(|_| AppError::internal("sealed identity does not decode"))?;
    let mut am: reveal_request::ActiveModel = req.clone().into();
    am.status = Set(RevealStatus::Revealed);
    am.revealed_at = Set(Some(Utc::now()));
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("rewards.identity.reveal", "IdentityRevealRequest", model.id)
            .detail(json!({ "report": model.report_id, "approvedBy": model.approved_by })),
    )
    .await?;
    w.commit().await?;
    Ok((model, identity))
}

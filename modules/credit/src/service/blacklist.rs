//! The blacklist: entry (with a ground and a bad record in force) and removal (after the
//! management period, or once the cited record was ended). See [`crate::rules::blacklist`].
use chrono::Utc;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enums::{BlacklistGround, ChangeKind, RecordKind, SubjectKind};
use crate::entity::{credit_blacklist, credit_record};
use crate::rules::blacklist::{listing_until, may_remove};
use crate::rules::publication::in_force;
use crate::service::feed::{self, NewChange};

/// 列入黑名单 — what `listOnCreditBlacklist` needs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewListing {
    pub record_id: Uuid,
    pub ground: BlacklistGround,
    pub basis: String,
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// Lists the enterprise of a bad record in force. Refused: a record that is not an
/// enterprise's bad record in force; an enterprise already listed.
pub async fn list(
    k: &Kernel,
    who: &RequestInfo,
    input: NewListing,
) -> AppResult<credit_blacklist::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "listOnCreditBlacklist",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let basis = required_text("basis", "列入依据", &input.basis, 2000)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return credit_blacklist::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("remembered listing missing"));
    }
    let now = Utc::now();
    let record = scoped::<credit_record::Entity>(&who.principal)
        .filter(credit_record::Column::Id.eq(input.record_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("recordId", "信用记录不存在"))?;
    let (Some(enterprise_id), Some(uscc)) = (record.enterprise_id, record.uscc.clone()) else {
        return Err(AppError::bad_input(
            "recordId",
            "只有企业的不良信用记录可作为列入依据",
        ));
    };
    if record.kind != RecordKind::Bad
        || record.subject_kind != SubjectKind::Enterprise
        || !in_force(record.public_until, record.ended_at, now)
    {
        return Err(AppError::bad_input(
            "recordId",
            "列入黑名单须依据企业在公开期内的不良信用记录（过期记录不得用于惩戒）",
        ));
    }
    let listed = credit_blacklist::Entity::find()
        .filter(credit_blacklist::Column::EnterpriseId.eq(enterprise_id))
        .filter(credit_blacklist::Column::RemovedAt.is_null())
        .one(&*w)
        .await?;
    if listed.is_some() {
        return Err(AppError::conflict("该企业已在黑名单中"));
    }
    let model = credit_blacklist::ActiveModel {
        id: Set(Uuid::now_v7()),
        enterprise_id: Set(enterprise_id),
        uscc: Set(uscc.clone()),
        enterprise_name: Set(record.subject_name.clone()),
        ground: Set(input.ground),
        record_id: Set(record.id),
        basis: Set(basis),
        listed_by: Set(who.principal.account_id),
        listed_at: Set(now),
        until: Set(listing_until(now)),
        removed_by: Set(None),
        removed_at: Set(None),
        removal_reason: Set(None),
        version: Set(1),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("credit.blacklist.list", "CreditBlacklistEntry", model.id).detail(
            serde_json::json!({ "enterprise": uscc, "ground": model.ground, "record": record.id }),
        ),
    )
    .await?;
    feed::append(
        &*w,
        who,
        NewChange {
            kind: ChangeKind::Blacklisted,
            subject_kind: SubjectKind::Enterprise,
            enterprise_id: Some(enterprise_id),
            uscc: Some(uscc),
            person: None,
            record_type: "CreditBlacklistEntry",
            record_id: model.id,
            summary: format!(
                "列入黑名单，管理期限至{}",
                jianan_kernel::calendar::local_date(model.until)
            ),
        },
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Removes a listing. Refused (`CONFLICT`, nothing written): already removed; within its
/// management period while its record still stands.
pub async fn remove(
    k: &Kernel,
    who: &RequestInfo,
    listing_id: Uuid,
    reason: &str,
) -> AppResult<credit_blacklist::Model> {
    let reason = required_text("reason", "移出理由", reason, 2000)?;
    let w = k.db.begin_write().await?;
    let listing = scoped::<credit_blacklist::Entity>(&who.principal)
        .filter(credit_blacklist::Column::Id.eq(listing_id))
        .lock_exclusive()
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("黑名单记录"))?;
    if listing.removed_at.is_some() {
        return Err(AppError::conflict("该企业已移出黑名单"));
    }
    let record = credit_record::Entity::find_by_id(listing.record_id)
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::internal("record of a listing missing"))?;
    let now = Utc::now();
    if !may_remove(listing.until, record.ended_at.is_some(), now) {
        return Err(AppError::conflict(format!(
            "黑名单管理期限至{}，期满前不得移出（依据记录已被撤销的除外）",
            jianan_kernel::calendar::local_date(listing.until)
        )));
    }
    let mut active: credit_blacklist::ActiveModel = listing.clone().into();
    active.removed_at = Set(Some(now));
    active.removed_by = Set(who.principal.account_id);
    active.removal_reason = Set(Some(reason.clone()));
    active.version = Set(listing.version + 1);
    let listing = active.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(
            "credit.blacklist.remove",
            "CreditBlacklistEntry",
            listing.id,
        )
        .detail(serde_json::json!({ "enterprise": listing.uscc, "reason": reason })),
    )
    .await?;
    feed::append(
        &*w,
        who,
        NewChange {
            kind: ChangeKind::BlacklistRemoved,
            subject_kind: SubjectKind::Enterprise,
            enterprise_id: Some(listing.enterprise_id),
            uscc: Some(listing.uscc.clone()),
            person: None,
            record_type: "CreditBlacklistEntry",
            record_id: listing.id,
            summary: "移出黑名单".to_owned(),
        },
    )
    .await?;
    w.commit().await?;
    Ok(listing)
}

//! Credit repair (信用修复): an enterprise applies to end a bad record's publication early, the
//! commission reviews, and a second person decides. Only an approval ends a publication early.
//!
//! ```text
//! (new) ──apply──▶ SUBMITTED ──REVIEW──▶ REVIEWED ──APPROVE──▶ APPROVED   (record ended)
//!                      │                     │
//!                      └──────REJECT─────────┴──────REJECT──▶ REJECTED
//! ```
//!
//! Rules: the record is a bad record of the applicant's own enterprise and in force; one open
//! application per record; the decider is not the reviewer; an approval comes at least 3 months
//! after the record was decided (《建筑市场诚信行为信息管理办法》建市〔2007〕9号: a shortened
//! publication "最短不得少于3个月").
use chrono::{DateTime, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enums::{ChangeKind, RecordKind, RepairAction, RepairStatus, SubjectKind};
use crate::entity::{credit_record, credit_repair};
use crate::rules::publication::{REPAIR_MIN_MONTHS, add_months, in_force};
use crate::service::feed::{self, NewChange};

/// The next status, or `None` when `action` does not apply to `from`.
pub fn next_status(from: RepairStatus, action: RepairAction) -> Option<RepairStatus> {
    use RepairAction::*;
    use RepairStatus::*;
    match (from, action) {
        (Submitted, Review) => Some(Reviewed),
        (Reviewed, Approve) => Some(Approved),
        (Submitted | Reviewed, Reject) => Some(Rejected),
        _ => None,
    }
}

fn status_zh(s: RepairStatus) -> &'static str {
    match s {
        RepairStatus::Submitted => "待审核",
        RepairStatus::Reviewed => "待决定",
        RepairStatus::Approved => "已准予修复",
        RepairStatus::Rejected => "不予修复",
    }
}

fn action_zh(a: RepairAction) -> &'static str {
    match a {
        RepairAction::Review => "审核",
        RepairAction::Approve => "准予修复",
        RepairAction::Reject => "不予修复",
    }
}

/// 申请信用修复 — what `applyCreditRepair` needs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRepair {
    pub record_id: Uuid,
    pub statement: String,
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// An enterprise applies to repair one of its bad records in force.
pub async fn apply(
    k: &Kernel,
    who: &RequestInfo,
    input: NewRepair,
) -> AppResult<credit_repair::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "applyCreditRepair",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let statement = required_text("statement", "整改情况说明", &input.statement, 4000)?;
    let enterprise = who
        .principal
        .enterprise_id
        .ok_or_else(AppError::forbidden)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let record = scoped::<credit_record::Entity>(&who.principal)
        .filter(credit_record::Column::Id.eq(input.record_id))
        .filter(credit_record::Column::EnterpriseId.eq(enterprise))
        .filter(credit_record::Column::SubjectKind.eq(SubjectKind::Enterprise))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("recordId", "信用记录不存在或不属于本企业"))?;
    if record.kind != RecordKind::Bad {
        return Err(AppError::bad_input(
            "recordId",
            "只有不良信用记录可以申请信用修复",
        ));
    }
    let now = Utc::now();
    if !in_force(record.public_until, record.ended_at, now) {
        return Err(AppError::conflict("该记录已不在公开期内，无需修复"));
    }
    let open = credit_repair::Entity::find()
        .filter(credit_repair::Column::RecordId.eq(record.id))
        .filter(
            credit_repair::Column::Status.is_in([RepairStatus::Submitted, RepairStatus::Reviewed]),
        )
        .one(&*w)
        .await?;
    if open.is_some() {
        return Err(AppError::conflict("该记录已有办理中的信用修复申请"));
    }
    let model = credit_repair::ActiveModel {
        id: Set(Uuid::now_v7()),
        record_id: Set(record.id),
        enterprise_id: Set(enterprise),
        status: Set(RepairStatus::Submitted),
        statement: Set(statement),
        applied_by: Set(who.principal.account_id),
        applied_at: Set(now),
        review_opinion: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        decision_note: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("credit.repair.apply", "CreditRepair", model.id)
            .detail(serde_json::json!({ "record": record.id })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

async fn get<C: sea_orm::ConnectionTrait>(db: &C, id: Uuid) -> AppResult<credit_repair::Model> {
    credit_repair::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("remembered credit repair missing"))
}

/// The rule of each commission step, written once: the mutation calls it inside its
/// transaction, `viewerCan` with the facts loaded for the page. `FORBIDDEN` without the step's
/// permission; `CONFLICT` when the step does not apply to the status, when the decider reviewed
/// the application, or (approval) when the record is no longer in force or its decision is less
/// than 3 months old. Returns the status after the step.
pub fn allowed(
    p: &Principal,
    action: RepairAction,
    repair: &credit_repair::Model,
    record: &credit_record::Model,
    now: DateTime<Utc>,
) -> AppResult<RepairStatus> {
    let permission = match action {
        RepairAction::Review => crate::perms::REPAIR_REVIEW,
        RepairAction::Approve | RepairAction::Reject => crate::perms::REPAIR_DECIDE,
    };
    p.require(permission)?;
    let to = next_status(repair.status, action).ok_or_else(|| {
        AppError::conflict(format!(
            "申请当前状态为“{}”，不能{}",
            status_zh(repair.status),
            action_zh(action)
        ))
    })?;
    if action != RepairAction::Review
        && p.account_id.is_some()
        && repair.reviewed_by == p.account_id
    {
        return Err(AppError::conflict("审核人与决定人不能为同一人"));
    }
    if action == RepairAction::Approve {
        if !in_force(record.public_until, record.ended_at, now) {
            return Err(AppError::conflict("该记录已不在公开期内"));
        }
        if now < add_months(record.decided_at, REPAIR_MIN_MONTHS) {
            return Err(AppError::conflict(
                "不良信用记录公开满3个月后方可提前结束公开（建市〔2007〕9号）",
            ));
        }
    }
    Ok(to)
}

/// One step of the commission's side: review, approve or reject, with its text (opinion or
/// note). Refused with `CONFLICT` when the step does not apply to the status, when the decider
/// reviewed it, or (approval) before 3 months of publication or once the record is no longer in
/// force; nothing is written then.
pub async fn step(
    k: &Kernel,
    who: &RequestInfo,
    repair_id: Uuid,
    action: RepairAction,
    text: &str,
) -> AppResult<credit_repair::Model> {
    let (field, label) = match action {
        RepairAction::Review => ("opinion", "审核意见"),
        RepairAction::Approve | RepairAction::Reject => ("note", "决定理由"),
    };
    let text = required_text(field, label, text, 4000)?;
    let account = who.principal.require_account()?;
    let w = k.db.begin_write().await?;
    let repair = scoped::<credit_repair::Entity>(&who.principal)
        .filter(credit_repair::Column::Id.eq(repair_id))
        .lock_exclusive()
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("信用修复申请"))?;
    let record = credit_record::Entity::find_by_id(repair.record_id)
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::internal("credit record of a repair missing"))?;
    let now = Utc::now();
    let to = allowed(&who.principal, action, &repair, &record, now)?;
    let mut active: credit_repair::ActiveModel = repair.clone().into();
    active.status = Set(to);
    active.version = Set(repair.version + 1);
    active.updated_at = Set(now);
    match action {
        RepairAction::Review => {
            active.review_opinion = Set(Some(text.clone()));
            active.reviewed_by = Set(Some(account));
            active.reviewed_at = Set(Some(now));
        }
        RepairAction::Approve | RepairAction::Reject => {
            active.decision_note = Set(Some(text.clone()));
            active.decided_by = Set(Some(account));
            active.decided_at = Set(Some(now));
        }
    }
    let repair = active.update(&*w).await?;
    let verb = match action {
        RepairAction::Review => "credit.repair.review",
        RepairAction::Approve => "credit.repair.approve",
        RepairAction::Reject => "credit.repair.reject",
    };
    audit::record(
        &w,
        who,
        AuditEntry::new(verb, "CreditRepair", repair.id).detail(serde_json::json!({
            "record": record.id, "status": repair.status, "text": text,
        })),
    )
    .await?;
    if action == RepairAction::Approve {
        let mut r: credit_record::ActiveModel = record.clone().into();
        r.ended_at = Set(Some(now));
        r.version = Set(record.version + 1);
        let record = r.update(&*w).await?;
        audit::record(
            &w,
            who,
            AuditEntry::new("credit.record.end", "CreditRecord", record.id).detail(
                serde_json::json!({ "repair": repair.id, "publicUntil": record.public_until }),
            ),
        )
        .await?;
        feed::append(
            &*w,
            who,
            NewChange {
                kind: ChangeKind::RecordEnded,
                subject_kind: record.subject_kind,
                enterprise_id: record.enterprise_id,
                uscc: record.uscc.clone(),
                person: record.person.clone(),
                record_type: "CreditRecord",
                record_id: record.id,
                summary: format!("信用修复：{} 提前结束公开", record.title),
            },
        )
        .await?;
    }
    w.commit().await?;
    Ok(repair)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn every_status_and_action() {
        use RepairAction::*;
        use RepairStatus::*;
        for from in RepairStatus::iter() {
            for action in RepairAction::iter() {
                let expected = match (from, action) {
                    (Submitted, Review) => Some(Reviewed),
                    (Submitted, Reject) => Some(Rejected),
                    (Reviewed, Approve) => Some(Approved),
                    (Reviewed, Reject) => Some(Rejected),
                    (Submitted, Approve) | (Reviewed, Review) => None,
                    (Approved | Rejected, _) => None,
                };
                assert_eq!(next_status(from, action), expected, "{from:?} × {action:?}");
            }
        }
    }
}

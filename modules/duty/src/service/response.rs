//! Emergency responses (应急响应, measure 九 三、“强化应急响应”): the commission's leaders start a
//! response at level Ⅳ to Ⅰ, raise it (never lower it: a lower level is a new decision to end and
//! restart), link information reports to it, and end it. Every step is kept as a row with the
//! level then, audited, and claims the version it was decided on.
use chrono::Utc;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::ResponseLevel;
use crate::entity::{incident, response, response_report, response_step};
use crate::perms;

/// The GraphQL type name.
pub const RESPONSE: &str = "DutyEmergencyResponse";

impl Versioned for response::Entity {
    fn id_column() -> response::Column {
        response::Column::Id
    }
    fn version_column() -> response::Column {
        response::Column::Version
    }
    fn updated_at_column() -> response::Column {
        response::Column::UpdatedAt
    }
}

/// A step after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Escalate(ResponseLevel),
    End,
}

/// The level a step leads to, or why it is refused: an ended response takes no step; an
/// escalation must raise the level.
pub fn next_level(current: ResponseLevel, ended: bool, step: Step) -> AppResult<ResponseLevel> {
    if ended {
        return Err(AppError::conflict("应急响应已结束"));
    }
    match step {
        Step::Escalate(to) if to > current => Ok(to),
        Step::Escalate(_) => Err(AppError::bad_input("level", "只能提升响应级别")),
        Step::End => Ok(current),
    }
}

async fn visible<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<response::Model> {
    scoped::<response::Entity>(p)
        .filter(response::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("应急响应"))
}

async fn step_row<C: ConnectionTrait>(
    db: &C,
    response_id: Uuid,
    action: &str,
    level: ResponseLevel,
    note: Option<String>,
    by: Option<Uuid>,
) -> AppResult<()> {
    response_step::ActiveModel {
        id: Set(Uuid::now_v7()),
        response_id: Set(response_id),
        action: Set(action.into()),
        level: Set(level),
        note: Set(note),
        by: Set(by),
        at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// 启动应急响应 (`duty.response.manage`), with the reports that led to it.
pub async fn start(
    k: &Kernel,
    who: &RequestInfo,
    title: &str,
    reason: &str,
    level: ResponseLevel,
    report_ids: &[Uuid],
) -> AppResult<response::Model> {
    let p = &who.principal;
    p.require(perms::RESPONSE_MANAGE)?;
    let title = required_text("title", "名称", title, 200)?;
    let reason = required_text("reason", "启动原因", reason, 5000)?;
    let mut ids = report_ids.to_vec();
    ids.sort();
    ids.dedup();
    let w = k.db.begin_write().await?;
    if !ids.is_empty() {
        let found = scoped::<incident::Entity>(p)
            .filter(incident::Column::Id.is_in(ids.clone()))
            .all(&*w)
            .await?;
        if found.len() != ids.len() {
            return Err(AppError::bad_input("reportIds", "信息报告不存在或无权查看"));
        }
    }
    let now = Utc::now();
    let model = response::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(title),
        reason: Set(reason),
        level: Set(level),
        started_at: Set(now),
        ended_at: Set(None),
        started_by: Set(p.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    step_row(&*w, model.id, "START", level, None, p.account_id).await?;
    for r in &ids {
        response_report::ActiveModel {
            id: Set(Uuid::now_v7()),
            response_id: Set(model.id),
            report_id: Set(*r),
            created_at: Set(now),
        }
        .insert(&*w)
        .await?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.response.start", RESPONSE, model.id)
            .detail(json!({ "level": level, "reports": ids })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// 提升响应级别 or 结束响应 (`duty.response.manage`).
pub async fn advance(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    step: Step,
    note: Option<&str>,
    expected_version: Option<i32>,
) -> AppResult<response::Model> {
    let p = &who.principal;
    p.require(perms::RESPONSE_MANAGE)?;
    let note = optional_text("note", "说明", note, 2000)?;
    let w = k.db.begin_write().await?;
    let r = visible(&*w, p, id).await?;
    let to = next_level(r.level, r.ended_at.is_some(), step)?;
    claim_read::<response::Entity, _>(&*w, r.id, r.version, expected_version).await?;
    let now = Utc::now();
    let mut am: response::ActiveModel = r.clone().into();
    am.level = Set(to);
    if step == Step::End {
        am.ended_at = Set(Some(now));
    }
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    let (action, audit_action) = match step {
        Step::Escalate(_) => ("ESCALATE", "duty.response.escalate"),
        Step::End => ("END", "duty.response.end"),
    };
    step_row(&*w, r.id, action, to, note, p.account_id).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(audit_action, RESPONSE, r.id).detail(json!({ "from": r.level, "to": to })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// 关联信息报告 (`duty.response.manage`): once per report, while the response runs.
pub async fn link_report(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    report_id: Uuid,
) -> AppResult<response::Model> {
    let p = &who.principal;
    p.require(perms::RESPONSE_MANAGE)?;
    let w = k.db.begin_write().await?;
    let r = visible(&*w, p, id).await?;
    if r.ended_at.is_some() {
        return Err(AppError::conflict("应急响应已结束"));
    }
    scoped::<incident::Entity>(p)
        .filter(incident::Column::Id.eq(report_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("reportId", "信息报告不存在或无权查看"))?;
    let exists = response_report::Entity::find()
        .filter(response_report::Column::ResponseId.eq(r.id))
        .filter(response_report::Column::ReportId.eq(report_id))
        .one(&*w)
        .await?;
    if exists.is_some() {
        return Err(AppError::conflict("该信息报告已关联"));
    }
    response_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        response_id: Set(r.id),
        report_id: Set(report_id),
        created_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.response.link_report", RESPONSE, r.id)
            .detail(json!({ "report": report_id })),
    )
    .await?;
    w.commit().await?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ResponseLevel::*;

    #[test]
    fn a_response_only_rises_and_nothing_follows_its_end() {
        let all = [LevelIv, LevelIii, LevelIi, LevelI];
        for (i, from) in all.iter().enumerate() {
            for (j, to) in all.iter().enumerate() {
                let r = next_level(*from, false, Step::Escalate(*to));
                assert_eq!(r.is_ok(), j > i, "{from:?} → {to:?}");
                assert!(next_level(*from, true, Step::Escalate(*to)).is_err());
            }
            assert_eq!(next_level(*from, false, Step::End).unwrap(), *from);
            assert!(next_level(*from, true, Step::End).is_err());
        }
    }
}

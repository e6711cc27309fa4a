//! Key periods (重点时段): the commission declares a major holiday, a spell of extreme weather or a
//! sensitive period with its dates and level (1 the highest), changes them, or cancels it. Every
//! step publishes `duty.key_period_declared` with the period as it now stands, so the experts
//! module schedules (or drops) its expert checks; consumers keep the latest per period.
use chrono::{NaiveDate, Utc};
use jianan_contracts::duty::KeyPeriodDeclared;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::today;
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel, outbox};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::KeyPeriodKind;
use crate::entity::key_period;
use crate::perms;

/// The GraphQL type name.
pub const KEY_PERIOD: &str = "DutyKeyPeriod";

/// Longest key period accepted, in days.
pub const MAX_DAYS: i64 = 366;

impl Versioned for key_period::Entity {
    fn id_column() -> key_period::Column {
        key_period::Column::Id
    }
    fn version_column() -> key_period::Column {
        key_period::Column::Version
    }
    fn updated_at_column() -> key_period::Column {
        key_period::Column::UpdatedAt
    }
}

/// What `declare` and `change` take.
#[derive(Debug, Clone)]
pub struct KeyPeriodInput {
    pub name: String,
    pub kind: KeyPeriodKind,
    pub level: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: Option<String>,
}

/// Checked fields of a key period.
struct Checked {
    name: String,
    level: i32,
    note: Option<String>,
}

/// Checks a key period's fields: a name, a level 1–4, an end not before the start nor before
/// today, at most [`MAX_DAYS`] days.
fn check(input: &KeyPeriodInput) -> AppResult<Checked> {
    let name = required_text("name", "名称", &input.name, 100)?;
    if !(1..=4).contains(&input.level) {
        return Err(AppError::bad_input("level", "等级应为1至4（1最高）"));
    }
    if input.ends_on < input.starts_on {
        return Err(AppError::bad_input("endsOn", "结束日不能早于起始日"));
    }
    if input.ends_on < today() {
        return Err(AppError::bad_input("endsOn", "不能设置已经结束的重点时段"));
    }
    if (input.ends_on - input.starts_on).num_days() >= MAX_DAYS {
        return Err(AppError::bad_input("endsOn", "重点时段最长一年"));
    }
    let note = optional_text("note", "说明", input.note.as_deref(), 2000)?;
    Ok(Checked {
        name,
        level: input.level,
        note,
    })
}

fn event_of(m: &key_period::Model) -> KeyPeriodDeclared {
    KeyPeriodDeclared {
        key_period_id: m.id,
        name: m.name.clone(),
        kind: m.kind.into(),
        level: m.level,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        cancelled: m.cancelled_at.is_some(),
    }
}

/// A key period the caller may see.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    p: &jianan_kernel::principal::Principal,
    id: Uuid,
) -> AppResult<key_period::Model> {
    scoped::<key_period::Entity>(p)
        .filter(key_period::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("重点时段"))
}

/// 设置重点时段 (`duty.key_period.manage`).
pub async fn declare(
    k: &Kernel,
    who: &RequestInfo,
    input: KeyPeriodInput,
) -> AppResult<key_period::Model> {
    let p = &who.principal;
    p.require(perms::KEY_PERIOD_MANAGE)?;
    let c = check(&input)?;
    let now = Utc::now();
    let w = k.db.begin_write().await?;
    let model = key_period::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(c.name),
        kind: Set(input.kind),
        level: Set(c.level),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        note: Set(c.note),
        cancelled_at: Set(None),
        declared_by: Set(p.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.key_period.declare", KEY_PERIOD, model.id).detail(json!({
            "name": model.name, "kind": model.kind, "level": model.level,
            "startsOn": model.starts_on, "endsOn": model.ends_on,
        })),
    )
    .await?;
    outbox::publish_event(&*w, who, &event_of(&model)).await?;
    w.commit().await?;
    Ok(model)
}

/// 调整重点时段 (`duty.key_period.manage`): new name, kind, dates or level; refused once cancelled
/// or when nothing changes.
pub async fn change(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    input: KeyPeriodInput,
    expected_version: Option<i32>,
) -> AppResult<key_period::Model> {
    let p = &who.principal;
    p.require(perms::KEY_PERIOD_MANAGE)?;
    let c = check(&input)?;
    let w = k.db.begin_write().await?;
    let kp = visible(&*w, p, id).await?;
    if kp.cancelled_at.is_some() {
        return Err(AppError::conflict("重点时段已撤销，不能再调整"));
    }
    if kp.name == c.name
        && kp.kind == input.kind
        && kp.level == c.level
        && kp.starts_on == input.starts_on
        && kp.ends_on == input.ends_on
        && kp.note == c.note
    {
        return Err(AppError::bad_input("name", "没有需要调整的内容"));
    }
    claim_read::<key_period::Entity, _>(&*w, kp.id, kp.version, expected_version).await?;
    let mut am: key_period::ActiveModel = kp.clone().into();
    am.name = Set(c.name);
    am.kind = Set(input.kind);
    am.level = Set(c.level);
    am.starts_on = Set(input.starts_on);
    am.ends_on = Set(input.ends_on);
    am.note = Set(c.note);
    am.version = Set(kp.version + 1);
    am.updated_at = Set(Utc::now());
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.key_period.change", KEY_PERIOD, model.id).detail(json!({
            "from": { "name": kp.name, "kind": kp.kind, "level": kp.level,
                      "startsOn": kp.starts_on, "endsOn": kp.ends_on },
            "to": { "name": model.name, "kind": model.kind, "level": model.level,
                    "startsOn": model.starts_on, "endsOn": model.ends_on },
        })),
    )
    .await?;
    outbox::publish_event(&*w, who, &event_of(&model)).await?;
    w.commit().await?;
    Ok(model)
}

/// 撤销重点时段 (`duty.key_period.manage`), with the reason; once.
pub async fn cancel(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    reason: &str,
    expected_version: Option<i32>,
) -> AppResult<key_period::Model> {
    let p = &who.principal;
    p.require(perms::KEY_PERIOD_MANAGE)?;
    let reason = required_text("reason", "撤销原因", reason, 1000)?;
    let w = k.db.begin_write().await?;
    let kp = visible(&*w, p, id).await?;
    if kp.cancelled_at.is_some() {
        return Err(AppError::conflict("重点时段已撤销"));
    }
    claim_read::<key_period::Entity, _>(&*w, kp.id, kp.version, expected_version).await?;
    let now = Utc::now();
    let mut am: key_period::ActiveModel = kp.clone().into();
    am.cancelled_at = Set(Some(now));
    am.version = Set(kp.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.key_period.cancel", KEY_PERIOD, model.id)
            .detail(json!({ "reason": reason })),
    )
    .await?;
    outbox::publish_event(&*w, who, &event_of(&model)).await?;
    w.commit().await?;
    Ok(model)
}

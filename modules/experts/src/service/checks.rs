//! 重点时段专家检查 (measure 7) — expert checks scheduled for key periods. The duty module
//! declares key periods (`duty.key_period_declared`); this module keeps the latest declaration
//! of each (by outbox order) and keeps one scheduled check per key period in step with it: a
//! declaration schedules it, a change of dates moves it, a cancellation cancels it. The
//! commission may also schedule a check from a date range.
use chrono::{NaiveDate, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::duty::KeyPeriodDeclared;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::db::WriteTxn;
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::outbox::{Event, HandleEvent};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::CheckStatus;
use crate::entity::{expert_check, key_period};
use crate::perms;

/// The GraphQL type name of a check.
pub const CHECK: &str = "ExpertCheck";

/// Longest check accepted (days).
pub const MAX_CHECK_DAYS: i64 = 92;

/// Keeps the latest declaration of a key period and its check in step.
pub struct KeyPeriodChecks;

impl HandleEvent<KeyPeriodDeclared> for KeyPeriodChecks {
    fn name(&self) -> &'static str {
        "experts.key_period_checks"
    }
    fn handle<'a>(
        &'a self,
        w: &'a WriteTxn,
        event: &'a Event,
        k: KeyPeriodDeclared,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let txn: &DatabaseTransaction = w;
            let now = Utc::now();
            let kind = serde_json::to_value(k.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            match key_period::Entity::find_by_id(k.key_period_id)
                .one(txn)
                .await?
            {
                Some(old) if old.event_seq >= event.seq => return Ok(()),
                Some(old) => {
                    let mut am: key_period::ActiveModel = old.into();
                    am.name = Set(k.name.clone());
                    am.kind = Set(kind);
                    am.level = Set(k.level);
                    am.starts_on = Set(k.starts_on);
                    am.ends_on = Set(k.ends_on);
                    am.cancelled = Set(k.cancelled);
                    am.event_seq = Set(event.seq);
                    am.updated_at = Set(now);
                    am.update(txn).await?;
                }
                None => {
                    key_period::ActiveModel {
                        id: Set(k.key_period_id),
                        name: Set(k.name.clone()),
                        kind: Set(kind),
                        level: Set(k.level),
                        starts_on: Set(k.starts_on),
                        ends_on: Set(k.ends_on),
                        cancelled: Set(k.cancelled),
                        event_seq: Set(event.seq),
                        updated_at: Set(now),
                    }
                    .insert(txn)
                    .await?;
                }
            }
            let who = RequestInfo::system("experts");
            let existing = expert_check::Entity::find()
                .filter(expert_check::Column::KeyPeriodId.eq(k.key_period_id))
                .one(txn)
                .await?;
            let (id, action) = match existing {
                None if k.cancelled => return Ok(()),
                None => {
                    let m = expert_check::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        key_period_id: Set(Some(k.key_period_id)),
                        title: Set(format!("{}专家检查", k.name)),
                        starts_on: Set(k.starts_on),
                        ends_on: Set(k.ends_on),
                        status: Set(CheckStatus::Scheduled),
                        created_by: Set(None),
                        created_at: Set(now),
                        updated_at: Set(now),
                    }
                    .insert(txn)
                    .await?;
                    (m.id, "experts.check.schedule")
                }
                Some(c) => {
                    let id = c.id;
                    let status = if k.cancelled {
                        CheckStatus::Cancelled
                    } else {
                        CheckStatus::Scheduled
                    };
                    if c.status == status && c.starts_on == k.starts_on && c.ends_on == k.ends_on {
                        return Ok(());
                    }
                    let mut am: expert_check::ActiveModel = c.into();
                    am.title = Set(format!("{}专家检查", k.name));
                    am.starts_on = Set(k.starts_on);
                    am.ends_on = Set(k.ends_on);
                    am.status = Set(status);
                    am.updated_at = Set(now);
                    am.update(txn).await?;
                    (
                        id,
                        if k.cancelled {
                            "experts.check.cancel"
                        } else {
                            "experts.check.reschedule"
                        },
                    )
                }
            };
            audit::record(
                w,
                &who,
                AuditEntry::new(action, CHECK, id).detail(json!({
                    "keyPeriod": k.key_period_id,
                    "startsOn": k.starts_on,
                    "endsOn": k.ends_on,
                })),
            )
            .await?;
            Ok(())
        })
    }
}

/// 安排专家检查 (`experts.draw.manage`): the commission schedules a check over a date range
/// (at most [`MAX_CHECK_DAYS`] days, not ending in the past).
pub async fn schedule(
    k: &Kernel,
    who: &RequestInfo,
    title: &str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    idempotency_key: Option<&str>,
) -> AppResult<expert_check::Model> {
    let p = &who.principal;
    p.require(perms::DRAW_MANAGE)?;
    let key = IdempotencyKey::from_input(
        who,
        "scheduleExpertCheck",
        idempotency_key,
        &(title, starts_on, ends_on),
    )?;
    let title = required_text("title", "检查名称", title, 100)?;
    if ends_on < starts_on || (ends_on - starts_on).num_days() >= MAX_CHECK_DAYS {
        return Err(AppError::bad_input(
            "endsOn",
            format!("结束日期应不早于开始日期，且检查期不超过{MAX_CHECK_DAYS}天"),
        ));
    }
    if ends_on < jianan_kernel::calendar::today() {
        return Err(AppError::bad_input("endsOn", "结束日期不能早于今天"));
    }
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return expert_check::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed check missing"));
    }
    let now = Utc::now();
    let m = expert_check::ActiveModel {
        id: Set(Uuid::now_v7()),
        key_period_id: Set(None),
        title: Set(title),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        status: Set(CheckStatus::Scheduled),
        created_by: Set(p.account_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.check.schedule", CHECK, m.id)
            .detail(json!({ "startsOn": starts_on, "endsOn": ends_on })),
    )
    .await?;
    finish_create(w, key.as_ref(), m.id).await?;
    Ok(m)
}

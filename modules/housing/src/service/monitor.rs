//! Monitoring of dangerous houses (危房监测): township or commission staff assign a house safety
//! monitor (HOUSE_MONITOR of the house's township) to a house judged RISKY or appraised C/D, with
//! a frequency in days; the monitor logs each visit from the field. A WORSENED visit publishes
//! `housing.house_worsened` and notifies the township's staff and the commission's department
//! staff at once. A missed visit is an obligation of the kernel's engine
//! ([`MonitoringDuty`]).
//!
//! **Monitoring windows.** An assignment made on day `d0` with frequency `f` has windows
//! `[d0 + k·f, d0 + (k+1)·f)`. The engine's periods are days: the duty of window `k` falls on its
//! last day, and a visit anywhere in the window counts for it — its evidence is dated at the
//! start of that last day (so a visit on day 2 of a 7-day window is evidence dated on day 7).
//! A window's day is owed while the assignment is in force; a later assignment ends it.
use chrono::{NaiveDate, Utc};
use futures_util::future::BoxFuture;
use jianan_entity::account;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::{Period, PeriodKind, local_date, local_midnight_utc};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::inbox::{NewNotification, notify};
use jianan_kernel::obligations::{Obligation, ObligationDef, Span, Subject, SubjectKind};
use jianan_kernel::principal::{RequestInfo, Role, roles_of};
use jianan_kernel::scope::{RowScope, scope_condition, scoped};
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::township_for;
use crate::entity::enums::{AppraisalLevel, HouseRisk, MonitoringTrend};
use crate::entity::{house, monitor_assignment as assignment, monitoring_log as log};
use crate::perms;

/// The GraphQL type name of an assignment.
pub const ASSIGNMENT: &str = "HouseMonitorAssignment";
/// The GraphQL type name of a log.
pub const LOG: &str = "HouseMonitoringLog";

/// 危房定期监测 — the monitor's visit once per window of the assignment's frequency.
pub const MONITORING: ObligationDef = ObligationDef {
    code: "housing.house_monitoring",
    name: "危房定期监测",
    subject: SubjectKind::Account,
    period: PeriodKind::Day,
    required: 1,
    source: "《工作方案》措施八：城乡房屋安全隐患排查整治，对存在安全隐患的房屋落实监测（条文待核实）",
    exempt_holidays: false,
};

/// Longest monitoring interval accepted (days).
pub const MAX_FREQUENCY_DAYS: i32 = 90;

/// The last day of the monitoring window containing `day`, for an assignment starting on
/// `starts_on` with `frequency` days (`None` before it starts).
pub fn window_due(starts_on: NaiveDate, frequency: i32, day: NaiveDate) -> Option<NaiveDate> {
    let f = i64::from(frequency.max(1));
    let offset = (day - starts_on).num_days();
    if offset < 0 {
        return None;
    }
    let k = offset / f;
    starts_on.checked_add_signed(chrono::TimeDelta::days((k + 1) * f - 1))
}

/// Whether a house's judgement calls for monitoring: RISKY, or appraised C/D.
pub fn needs_monitoring(h: &house::Model) -> bool {
    h.risk == Some(HouseRisk::Risky)
        || matches!(h.level, Some(AppraisalLevel::C | AppraisalLevel::D))
}

/// 指派监测员 (`housing.monitor.assign`): township staff of the house's township or the
/// commission. The monitor must hold HOUSE_MONITOR in that township. An assignment in force for
/// the house is ended by the new one.
pub async fn assign(
    k: &Kernel,
    who: &RequestInfo,
    house_id: Uuid,
    monitor_account_id: Uuid,
    frequency_days: i32,
) -> AppResult<assignment::Model> {
    let p = &who.principal;
    p.require(perms::MONITOR_ASSIGN)?;
    if !(1..=MAX_FREQUENCY_DAYS).contains(&frequency_days) {
        return Err(AppError::bad_input(
            "frequencyDays",
            format!("监测频次应为每1到{MAX_FREQUENCY_DAYS}天一次"),
        ));
    }
    let w = k.db.begin_write().await?;
    let h = super::house::visible(&*w, p, house_id).await?;
    township_for(&*w, p, h.township_id, "houseId").await?;
    if !needs_monitoring(&h) {
        return Err(AppError::conflict(
            "只有初判存在安全隐患或鉴定为C级、D级的房屋需要指派监测员",
        ));
    }
    let monitor = account::Entity::find_by_id(monitor_account_id)
        .one(&*w)
        .await?
        .filter(|a| {
            a.archived_at.is_none()
                && a.org_unit_id == Some(h.township_id)
                && roles_of(a).contains(&Role::HouseMonitor)
        })
        .ok_or_else(|| {
            AppError::bad_input(
                "monitorId",
                "监测员须为该房屋所在乡镇（街道）的房屋安全监测员",
            )
        })?;
    let now = Utc::now();
    let previous = assignment::Entity::find()
        .filter(assignment::Column::HouseId.eq(h.id))
        .filter(assignment::Column::EndedAt.is_null())
        .all(&*w)
        .await?;
    for prev in previous {
        let id = prev.id;
        let mut am: assignment::ActiveModel = prev.into();
        am.ended_at = Set(Some(now));
        am.update(&*w).await?;
        audit::record(
            &w,
            who,
            AuditEntry::new("housing.monitor.end", ASSIGNMENT, id)
                .detail(json!({ "house": h.id, "replacedBy": monitor.id })),
        )
        .await?;
    }
    let model = assignment::ActiveModel {
        id: Set(Uuid::now_v7()),
        house_id: Set(h.id),
        township_id: Set(h.township_id),
        monitor_account_id: Set(monitor.id),
        frequency_days: Set(frequency_days),
        starts_on: Set(local_date(now)),
        assigned_by: Set(p.account_id),
        created_at: Set(now),
        ended_at: Set(None),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.monitor.assign", ASSIGNMENT, model.id).detail(json!({
            "house": h.id,
            "monitor": monitor.id,
            "frequencyDays": frequency_days,
        })),
    )
    .await?;
    notify(
        &*w,
        who,
        NewNotification {
            recipient_id: monitor.id,
            kind: "housing.monitor_assigned".into(),
            title: "新的危房监测任务".into(),
            body: format!("{}，每{}天监测一次", h.address, frequency_days),
            subject: Some(("House".into(), h.id)),
        },
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// 录入监测记录 (`housing.monitoring.record`): only the monitor assigned to the house (in force).
/// A WORSENED visit publishes `housing.house_worsened` and notifies the township's staff and the
/// commission's department staff. With an idempotency key, a retry from a phone on a poor
/// connection returns the first log instead of logging the visit twice.
pub async fn record_log(
    k: &Kernel,
    who: &RequestInfo,
    house_id: Uuid,
    readings: &str,
    trend: MonitoringTrend,
    idempotency_key: Option<&str>,
) -> AppResult<log::Model> {
    let p = &who.principal;
    p.require(perms::MONITORING_RECORD)?;
    let me = p.require_account()?;
    let key = IdempotencyKey::from_input(
        who,
        "recordMonitoringLog",
        idempotency_key,
        &(house_id, readings, trend),
    )?;
    let readings = required_text("readings", "监测读数", readings, 2000)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return log::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed monitoring log missing"));
    }
    let h = super::house::visible(&*w, p, house_id).await?;
    let a = assignment::Entity::find()
        .filter(assignment::Column::HouseId.eq(h.id))
        .filter(assignment::Column::EndedAt.is_null())
        .one(&*w)
        .await?
        .filter(|a| a.monitor_account_id == me)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::Forbidden,
                "只有该房屋的在任监测员可以录入监测记录",
            )
        })?;
    let now = Utc::now();
    let model = log::ActiveModel {
        id: Set(Uuid::now_v7()),
        assignment_id: Set(a.id),
        house_id: Set(h.id),
        township_id: Set(h.township_id),
        monitor_account_id: Set(me),
        readings: Set(readings.clone()),
        trend: Set(trend),
        created_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.monitoring.record", LOG, model.id)
            .detail(json!({ "house": h.id, "assignment": a.id, "trend": trend })),
    )
    .await?;
    if let Some(due) = window_due(a.starts_on, a.frequency_days, local_date(now)) {
        jianan_kernel::obligations::record_evidence(
            &*w,
            MONITORING.code,
            a.id,
            local_midnight_utc(due),
            LOG,
            model.id,
        )
        .await?;
    }
    if trend == MonitoringTrend::Worsened {
        outbox::publish_event(
            &*w,
            who,
            &jianan_contracts::housing::HouseWorsened {
                log_id: model.id,
                house_id: h.id,
                township_id: h.township_id,
                monitor_account_id: me,
                address: h.address.clone(),
                readings: readings.clone(),
            },
        )
        .await?;
        for recipient in worsened_recipients(&*w, h.township_id).await? {
            notify(
                &*w,
                who,
                NewNotification {
                    recipient_id: recipient,
                    kind: jianan_contracts::housing::HouseWorsened::TOPIC.into(),
                    title: "危房监测发现险情加剧".into(),
                    body: format!("{}：{}", h.address, readings),
                    subject: Some(("House".into(), h.id)),
                },
            )
            .await?;
        }
    }
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

use jianan_contracts::DomainEvent as _;

/// Who hears of a worsened house: township staff of its township and the commission's department
/// staff (the platform has no marker for the housing department among the departments yet: all
/// department staff are told).
async fn worsened_recipients<C: ConnectionTrait>(
    db: &C,
    township_id: Uuid,
) -> AppResult<Vec<Uuid>> {
    let accounts = account::Entity::find()
        .filter(account::Column::ArchivedAt.is_null())
        .filter(
            Condition::any()
                .add(account::Column::OrgUnitId.eq(township_id))
                .add(account::Column::Roles.contains(Role::DepartmentStaff.as_str())),
        )
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    Ok(accounts
        .into_iter()
        .filter(|a| {
            let roles = roles_of(a);
            (roles.contains(&Role::TownshipStaff) && a.org_unit_id == Some(township_id))
                || roles.contains(&Role::DepartmentStaff)
        })
        .map(|a| a.id)
        .collect())
}

/// The monitoring duty: each assignment in force owes a visit on the last day of each of its
/// windows (see the module comment). The subject is the assignment; its monitor answers for it
/// and the township's staff hear when it is missed.
pub struct MonitoringDuty;

impl Obligation for MonitoringDuty {
    fn def(&self) -> &ObligationDef {
        &MONITORING
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
        period: Period,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            let day = period.start;
            let rows = assignment::Entity::find()
                .filter(scope_condition::<assignment::Entity>(scope))
                .filter(assignment::Column::StartsOn.lte(day))
                .filter(
                    Condition::any()
                        .add(assignment::Column::EndedAt.is_null())
                        .add(assignment::Column::EndedAt.gt(period.start_utc())),
                )
                .order_by_asc(assignment::Column::Id)
                .all(db)
                .await?;
            let due: Vec<assignment::Model> = rows
                .into_iter()
                .filter(|a| window_due(a.starts_on, a.frequency_days, day) == Some(day))
                .collect();
            if due.is_empty() {
                return Ok(Vec::new());
            }
            let houses: std::collections::HashMap<Uuid, String> = house::Entity::find()
                .filter(house::Column::Id.is_in(due.iter().map(|a| a.house_id)))
                .all(db)
                .await?
                .into_iter()
                .map(|h| (h.id, h.address))
                .collect();
            Ok(due
                .into_iter()
                .map(|a| Subject {
                    id: a.id,
                    type_name: ASSIGNMENT,
                    label: houses.get(&a.house_id).cloned().unwrap_or_default(),
                    township_id: Some(a.township_id),
                    enterprise_ids: Vec::new(),
                    account_ids: vec![a.monitor_account_id],
                    owing: vec![Span {
                        subject_id: a.id,
                        from: local_midnight_utc(a.starts_on),
                        until: a.ended_at,
                    }],
                })
                .collect())
        })
    }
}

/// An assignment the caller may see.
pub async fn visible_assignment<C: ConnectionTrait>(
    db: &C,
    p: &jianan_kernel::principal::Principal,
    id: Uuid,
) -> AppResult<assignment::Model> {
    scoped::<assignment::Entity>(p)
        .filter(assignment::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("监测任务"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    #[test]
    fn each_window_is_due_on_its_last_day() {
        // Weekly from 1 December: windows 1–7, 8–14, …
        assert_eq!(window_due(d(1), 7, d(1)), Some(d(7)));
        assert_eq!(window_due(d(1), 7, d(7)), Some(d(7)));
        assert_eq!(window_due(d(1), 7, d(8)), Some(d(14)));
        assert_eq!(window_due(d(2), 7, d(1)), None);
        // Daily: every day is its own window.
        assert_eq!(window_due(d(1), 1, d(5)), Some(d(5)));
        // Every three days.
        assert_eq!(window_due(d(1), 3, d(4)), Some(d(6)));
    }
}

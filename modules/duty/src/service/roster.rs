//! Duty rosters (值班表, `dutyRoster(date:)`): the commission's staff put a leader on duty (带班领导)
//! and staff on duty (值班人员) on shifts of at most 24 hours, with the number to reach them on;
//! every day, holidays included, both posts must be covered around the clock
//! ([`crate::rules::coverage`]). A day left with a gap is an obligation missed
//! ([`RosterCoverage`], `duty.roster_coverage`): the day's evidence is written when the shift that
//! closes its last gap is assigned. The person on duty checks in (在岗签到) for their own shift;
//! a swap (换班) is decided by the commission's staff, audited with who gave the shift to whom
//! and why.
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::duty::RosterChanged;
use jianan_entity::enums::OrgUnitKind;
use jianan_entity::{account, org_unit};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::{
    Period, PeriodKind, end_of_local_day_utc, local_date, local_midnight_utc,
};
use jianan_kernel::obligations::{Obligation, ObligationDef, Span, Subject, SubjectKind};
use jianan_kernel::principal::{Principal, RequestInfo, Role, roles_of};
use jianan_kernel::scope::{RowScope, scoped};
use jianan_kernel::validate::{phone, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::DutyPost;
use crate::entity::shift;
use crate::perms;
use crate::rules::coverage::{Interval, gaps};

/// The GraphQL type name of a shift.
pub const SHIFT: &str = "DutyShift";
/// Longest shift.
pub const MAX_SHIFT_HOURS: i64 = 24;
/// How early before a shift its person may check in.
pub const CHECK_IN_EARLY_MINUTES: i64 = 30;

/// 24小时值班 — both posts covered around the clock, every day.
pub const ROSTER_COVERAGE: ObligationDef = ObligationDef {
    code: "duty.roster_coverage",
    name: "24小时值班（带班领导和值班人员全天在岗）",
    subject: SubjectKind::OrgUnit,
    period: PeriodKind::Day,
    required: 1,
    source: "武隆建发〔2021〕69号 措施九：落实领导干部值班值守、关键岗位24小时值班制度",
    // 24-hour duty covers holidays: a gap on a statutory holiday is missed like any other day.
    exempt_holidays: false,
};

impl Versioned for shift::Entity {
    fn id_column() -> shift::Column {
        shift::Column::Id
    }
    fn version_column() -> shift::Column {
        shift::Column::Version
    }
    fn updated_at_column() -> shift::Column {
        shift::Column::UpdatedAt
    }
}

/// What `assign` takes.
#[derive(Debug, Clone)]
pub struct NewShift {
    pub post: DutyPost,
    pub account_id: Uuid,
    pub phone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A post's uncovered stretch of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub post: DutyPost,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// The gaps of `day` (Asia/Shanghai) for both posts, given the shifts that overlap it.
pub fn day_gaps(day: NaiveDate, shifts: &[shift::Model]) -> Vec<Gap> {
    let (start, end) = (local_midnight_utc(day), end_of_local_day_utc(day));
    DutyPost::ALL
        .iter()
        .flat_map(|post| {
            gaps(
                start,
                end,
                shifts.iter().filter(|s| s.post == *post).map(|s| Interval {
                    from: s.starts_at,
                    until: s.ends_at,
                }),
            )
            .into_iter()
            .map(|g| Gap {
                post: *post,
                from: g.from,
                until: g.until,
            })
        })
        .collect()
}

/// The shifts overlapping `day`, in start order.
async fn shifts_of_day<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    day: NaiveDate,
) -> AppResult<Vec<shift::Model>> {
    Ok(scoped::<shift::Entity>(p)
        .filter(shift::Column::StartsAt.lt(end_of_local_day_utc(day)))
        .filter(shift::Column::EndsAt.gt(local_midnight_utc(day)))
        .order_by_asc(shift::Column::StartsAt)
        .order_by_asc(shift::Column::Id)
        .all(db)
        .await?)
}

/// A day's roster: its shifts and the gaps they leave.
#[derive(Debug, Clone)]
pub struct RosterDay {
    pub date: NaiveDate,
    pub holiday: bool,
    pub shifts: Vec<shift::Model>,
    pub gaps: Vec<Gap>,
}

/// 值班表 (`duty.roster.read`): the shifts of `day` and its gaps.
pub async fn roster_day(k: &Kernel, p: &Principal, day: NaiveDate) -> AppResult<RosterDay> {
    p.require(perms::ROSTER_READ)?;
    let shifts = shifts_of_day(&k.db.conn, p, day).await?;
    Ok(RosterDay {
        date: day,
        holiday: k.calendar().holidays().contains(&day),
        gaps: day_gaps(day, &shifts),
        shifts,
    })
}

/// The org unit that answers for the district's duty roster: the commission (the oldest unit of
/// kind COMMISSION, should there be several).
pub async fn commission<C: ConnectionTrait>(db: &C) -> AppResult<Option<org_unit::Model>> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Kind.eq(OrgUnitKind::Commission))
        .order_by_asc(org_unit::Column::CreatedAt)
        .order_by_asc(org_unit::Column::Id)
        .one(db)
        .await?)
}

/// Days (Asia/Shanghai) that `[from, until)` touches.
fn days_touched(from: DateTime<Utc>, until: DateTime<Utc>) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = local_date(from);
    let last = local_date(until - TimeDelta::nanoseconds(1));
    while d <= last {
        out.push(d);
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// Whether `a` may hold `post`: a leader (LEADER) for the leader on duty; commission staff
/// (ADMIN, LEADER, DEPARTMENT_STAFF, INSPECTOR) for the staff on duty.
pub fn may_hold(a: &account::Model, post: DutyPost) -> bool {
    let roles = roles_of(a);
    a.archived_at.is_none()
        && match post {
            DutyPost::Leader => roles.contains(&Role::Leader),
            DutyPost::Staff => roles.iter().any(|r| r.is_district_wide()),
        }
}

/// 排班 (`duty.roster.manage`): puts `account` on `post` from `starts_at` to `ends_at` (at most
/// 24 hours, not ended yet), with the phone to reach them on; refused when they are on another
/// shift at the same time. A day whose last gap this shift closes gets its coverage evidence.
pub async fn assign(k: &Kernel, who: &RequestInfo, input: NewShift) -> AppResult<shift::Model> {
    let p = &who.principal;
    p.require(perms::ROSTER_MANAGE)?;
    if input.ends_at <= input.starts_at {
        return Err(AppError::bad_input("endsAt", "班次结束时间应晚于开始时间"));
    }
    if input.ends_at - input.starts_at > TimeDelta::hours(MAX_SHIFT_HOURS) {
        return Err(AppError::bad_input("endsAt", "一个班次最长24小时"));
    }
    let now = Utc::now();
    if input.ends_at <= now {
        return Err(AppError::bad_input("endsAt", "不能安排已经结束的班次"));
    }
    let phone = phone("phone", Some(&input.phone))?
        .ok_or_else(|| AppError::bad_input("phone", "请填写值班联系电话"))?;
    let w = k.db.begin_write().await?;
    let person = account::Entity::find_by_id(input.account_id)
        .one(&*w)
        .await?
        .filter(|a| may_hold(a, input.post))
        .ok_or_else(|| {
            AppError::bad_input(
                "accountId",
                match input.post {
                    DutyPost::Leader => "带班领导须为领导小组成员（LEADER）",
                    DutyPost::Staff => "值班人员须为委内工作人员",
                },
            )
        })?;
    let clash = shift::Entity::find()
        .filter(shift::Column::AccountId.eq(person.id))
        .filter(shift::Column::StartsAt.lt(input.ends_at))
        .filter(shift::Column::EndsAt.gt(input.starts_at))
        .one(&*w)
        .await?;
    if clash.is_some() {
        return Err(AppError::conflict("该人员在这段时间已有值班安排"));
    }
    let days = days_touched(input.starts_at, input.ends_at);
    let mut before = Vec::new();
    for d in &days {
        before.push(day_gaps(*d, &shifts_of_day(&*w, p, *d).await?).is_empty());
    }
    let model = shift::ActiveModel {
        id: Set(Uuid::now_v7()),
        post: Set(input.post),
        account_id: Set(person.id),
        phone: Set(phone),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        checked_in_at: Set(None),
        assigned_by: Set(p.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.roster.assign", SHIFT, model.id).detail(json!({
            "post": model.post, "account": person.id,
            "startsAt": model.starts_at, "endsAt": model.ends_at,
        })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &RosterChanged {
            shift_id: model.id,
            starts_at: model.starts_at,
            ends_at: model.ends_at,
        },
    )
    .await?;
    if let Some(c) = commission(&*w).await? {
        for (d, was_covered) in days.iter().zip(before) {
            if !was_covered && day_gaps(*d, &shifts_of_day(&*w, p, *d).await?).is_empty() {
                jianan_kernel::obligations::record_evidence(
                    &*w,
                    ROSTER_COVERAGE.code,
                    c.id,
                    local_midnight_utc(*d),
                    SHIFT,
                    model.id,
                )
                .await?;
            }
        }
    }
    w.commit().await?;
    Ok(model)
}

/// A shift the caller may see.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<shift::Model> {
    scoped::<shift::Entity>(p)
        .filter(shift::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("值班班次"))
}

/// 在岗签到 (`duty.roster.check_in`): the person on the shift only, from
/// [`CHECK_IN_EARLY_MINUTES`] before it starts until it ends, once.
pub async fn check_in(k: &Kernel, who: &RequestInfo, id: Uuid) -> AppResult<shift::Model> {
    let p = &who.principal;
    p.require(perms::ROSTER_CHECK_IN)?;
    let me = p.require_account()?;
    let w = k.db.begin_write().await?;
    let s = visible(&*w, p, id).await?;
    if s.account_id != me {
        return Err(AppError::new(ErrorCode::Forbidden, "只能为本人的班次签到"));
    }
    if s.checked_in_at.is_some() {
        return Err(AppError::conflict("已签到"));
    }
    let now = Utc::now();
    if now < s.starts_at - TimeDelta::minutes(CHECK_IN_EARLY_MINUTES) || now >= s.ends_at {
        return Err(AppError::conflict(
            "不在该班次的签到时间内（开班前30分钟至下班）",
        ));
    }
    claim_read::<shift::Entity, _>(&*w, s.id, s.version, None).await?;
    let mut am: shift::ActiveModel = s.clone().into();
    am.checked_in_at = Set(Some(now));
    am.version = Set(s.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.roster.check_in", SHIFT, model.id),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// 换班 (`duty.roster.manage`): the commission's staff approve a swap, giving a shift not yet
/// checked in nor ended to another person who may hold its post and is free then, with their
/// phone and the reason; audited with both people. Coverage is unchanged.
pub async fn swap(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    to_account_id: Uuid,
    new_phone: &str,
    reason: &str,
    expected_version: Option<i32>,
) -> AppResult<shift::Model> {
    let p = &who.principal;
    p.require(perms::ROSTER_MANAGE)?;
    let reason = required_text("reason", "换班原因", reason, 500)?;
    let new_phone = phone("phone", Some(new_phone))?
        .ok_or_else(|| AppError::bad_input("phone", "请填写值班联系电话"))?;
    let w = k.db.begin_write().await?;
    let s = visible(&*w, p, id).await?;
    let now = Utc::now();
    if s.checked_in_at.is_some() || s.ends_at <= now {
        return Err(AppError::conflict("已签到或已结束的班次不能换班"));
    }
    if s.account_id == to_account_id {
        return Err(AppError::bad_input(
            "toAccountId",
            "换班人员与原值班人员相同",
        ));
    }
    let person = account::Entity::find_by_id(to_account_id)
        .one(&*w)
        .await?
        .filter(|a| may_hold(a, s.post))
        .ok_or_else(|| AppError::bad_input("toAccountId", "换班人员不能担任该岗位"))?;
    let clash = shift::Entity::find()
        .filter(shift::Column::AccountId.eq(person.id))
        .filter(shift::Column::StartsAt.lt(s.ends_at))
        .filter(shift::Column::EndsAt.gt(s.starts_at))
        .one(&*w)
        .await?;
    if clash.is_some() {
        return Err(AppError::conflict("换班人员在这段时间已有值班安排"));
    }
    claim_read::<shift::Entity, _>(&*w, s.id, s.version, expected_version).await?;
    let mut am: shift::ActiveModel = s.clone().into();
    am.account_id = Set(person.id);
    am.phone = Set(new_phone);
    am.version = Set(s.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.roster.swap", SHIFT, model.id).detail(json!({
            "from": s.account_id, "to": person.id, "reason": reason,
        })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &RosterChanged {
            shift_id: model.id,
            starts_at: model.starts_at,
            ends_at: model.ends_at,
        },
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// The roster obligation: the commission owes, each day, both posts covered for 24 hours.
pub struct RosterCoverage;

impl Obligation for RosterCoverage {
    fn def(&self) -> &ObligationDef {
        &ROSTER_COVERAGE
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
        _period: Period,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            // The district's roster: only district-wide callers (and the engine) judge it.
            if scope != RowScope::District {
                return Ok(Vec::new());
            }
            let Some(c) = commission(db).await? else {
                return Ok(Vec::new());
            };
            let keepers = super::accounts_with_role(db, Role::DepartmentStaff).await?;
            Ok(vec![Subject {
                id: c.id,
                type_name: "OrgUnit",
                label: format!("{}值班表", c.name),
                township_id: None,
                enterprise_ids: Vec::new(),
                account_ids: keepers,
                owing: vec![Span {
                    subject_id: c.id,
                    from: c.created_at,
                    until: c.archived_at,
                }],
            }])
        })
    }
}

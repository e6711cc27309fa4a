//! Demo data, written through the services (audit trail, events and roster evidence included):
//! a holiday and a cold spell declared as key periods, an orange warning to two townships and a
//! department that one township has acknowledged, today's roster fully covered and tomorrow's
//! with an evening gap, and a danger reported by a township.
use chrono::{Datelike, Days, NaiveDate, TimeDelta};
use jianan_entity::{account, org_unit};
use jianan_kernel::calendar::{local_midnight_utc, today};
use jianan_kernel::{AppError, AppResult, Kernel};
use jianan_registry::demo::request_as;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::{
    DutyPost, IncidentKind, IncidentSeverity, KeyPeriodKind, WarningLevel, WarningTargetKind,
};
use crate::entity::warning;
use crate::service::incident::{self, Figures, NewReport};
use crate::service::key_period::{self, KeyPeriodInput};
use crate::service::roster::{self, NewShift};
use crate::service::warning::{self as warnings, NewWarning};

async fn unit(k: &Kernel, code: &str) -> AppResult<Uuid> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo org unit {code} missing")))?
        .id)
}

async fn person(k: &Kernel, username: &str) -> AppResult<Uuid> {
    Ok(account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo account {username} missing")))?
        .id)
}

/// Seeds the duty demo (once: nothing is added when warnings exist).
pub async fn seed(k: &Kernel) -> AppResult<()> {
    if warning::Entity::find().count(&k.db.conn).await? > 0 {
        return Ok(());
    }
    let staff = request_as(k, "staff").await?;
    let township = request_as(k, "township").await?;
    let day = today();
    let new_year = NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
        .ok_or_else(|| AppError::internal("no next new year"))?;
    key_period::declare(
        k,
        &staff,
        KeyPeriodInput {
            name: format!("{}年元旦", day.year() + 1),
            kind: KeyPeriodKind::MajorHoliday,
            level: 2,
            starts_on: new_year.checked_sub_days(Days::new(1)).unwrap_or(new_year),
            ends_on: new_year.checked_add_days(Days::new(2)).unwrap_or(new_year),
            note: Some("节前开展安全检查，节日期间严格24小时值班和领导带班".into()),
        },
    )
    .await?;
    key_period::declare(
        k,
        &staff,
        KeyPeriodInput {
            name: "寒潮低温天气".into(),
            kind: KeyPeriodKind::ExtremeWeather,
            level: 3,
            starts_on: day,
            ends_on: day.checked_add_days(Days::new(3)).unwrap_or(day),
            note: None,
        },
    )
    .await?;

    let baima = unit(k, "TS-BAIMA").await?;
    let jiangkou = unit(k, "TS-JIANGKOU").await?;
    let safety = unit(k, "DEPT-SAFETY").await?;
    let w = warnings::issue(
        k,
        &staff,
        NewWarning {
            level: WarningLevel::Orange,
            title: "寒潮橙色预警".into(),
            message: "受强冷空气影响，未来48小时最低气温降至-3℃，山区有道路结冰。".into(),
            required_actions: vec![
                "停止露天高处作业和吊装作业".into(),
                "做好工地防冻、防滑和防火措施".into(),
                "落实值班值守，险情及时报告".into(),
            ],
            targets: vec![
                (WarningTargetKind::Township, baima),
                (WarningTargetKind::Township, jiangkou),
                (WarningTargetKind::Department, safety),
            ],
            idempotency_key: None,
        },
    )
    .await?;
    warnings::acknowledge(k, &township, w.id, Some("已转发各村（社区）和在建项目")).await?;

    // Today covered around the clock; tomorrow the staff post is open from 12:00.
    let leader = person(k, "leader").await?;
    let staff_id = person(k, "staff").await?;
    let inspector = person(k, "inspector").await?;
    let midnight = local_midnight_utc(day);
    let h = |n: i64| midnight + TimeDelta::hours(n);
    for (post, who, from, to, phone) in [
        (DutyPost::Leader, leader, 0, 24, "13800000101"),
        (DutyPost::Staff, staff_id, 0, 12, "13800000102"),
        (DutyPost::Staff, inspector, 12, 24, "13800000103"),
        (DutyPost::Leader, leader, 24, 48, "13800000101"),
        (DutyPost::Staff, staff_id, 24, 36, "13800000102"),
    ] {
        roster::assign(
            k,
            &staff,
            NewShift {
                post,
                account_id: who,
                phone: phone.into(),
                starts_at: h(from),
                ends_at: h(to),
            },
        )
        .await?;
    }

    incident::file(
        k,
        &township,
        NewReport {
            kind: IncidentKind::Danger,
            severity: IncidentSeverity::General,
            title: "白马村道路边坡局部垮塌".into(),
            description: "白马村3组村道边坡局部垮塌，已设置警戒，无人员伤亡。".into(),
            township_id: Some(baima),
            project_id: None,
            occurred_at: jianan_kernel::calendar::now() - TimeDelta::minutes(30),
            figures: Figures::default(),
            idempotency_key: None,
        },
    )
    .await?;
    Ok(())
}

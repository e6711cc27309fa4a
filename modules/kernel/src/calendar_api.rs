//! The working-day calendar as data the commission maintains (docs/api-conventions.md: "a holiday calendar the
//! commission can load each year (调休 included)"), on top of the built-in State Council notices.
//!
//! A year with rows in `calendar_day` is taken from those rows alone (the commission's copy of
//! that year's notice replaces the built-in one); other years use [`WorkCalendar::china_official`].
use std::collections::HashSet;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{Datelike, NaiveDate};
use jianan_entity::calendar_day;
use jianan_entity::enums::CalendarDayKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::audit::{self, AuditEntry};
use crate::calendar::{CalendarEntry, DayKind, WorkCalendar};
use crate::error::{AppError, AppResult};
use crate::principal::{Authenticated, Permission, request_info};
use crate::scalars::Date;
use crate::{Kernel, kernel};

/// Permission to replace a year's holidays and make-up working days.
pub const CALENDAR_MANAGE: &str = "kernel.calendar.manage";

fn to_entry(r: &calendar_day::Model) -> CalendarEntry {
    let kind = match r.kind {
        CalendarDayKind::Holiday => DayKind::Holiday,
        CalendarDayKind::MakeupWorkday => DayKind::MakeupWorkday,
    };
    CalendarEntry { date: r.day, kind }
}

/// The effective calendar: the commission's years from the database, built-in data elsewhere.
pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<WorkCalendar> {
    let rows = calendar_day::Entity::find().all(db).await?;
    let years: HashSet<i32> = rows.iter().map(|r| r.day.year()).collect();
    let builtin = WorkCalendar::china_official()
        .entries()
        .into_iter()
        .filter(|e| !years.contains(&e.date.year()));
    Ok(WorkCalendar::from_entries(
        builtin.chain(rows.iter().map(to_entry)),
    ))
}

/// 日历例外日 — a holiday or a make-up working day.
#[derive(SimpleObject, Clone)]
pub struct CalendarDay {
    /// 日期 (date, Asia/Shanghai)
    pub date: Date,
    /// 类型 (kind)
    pub kind: CalendarDayKind,
}

/// 日历例外日 — one day of `setCalendarDays`.
#[derive(InputObject)]
pub struct CalendarDayInput {
    /// 日期 (date)
    pub date: Date,
    /// 类型 (kind)
    pub kind: CalendarDayKind,
    /// 说明，如“春节” (note, e.g. the festival)
    #[graphql(default)]
    pub note: String,
}

/// 设置某年节假日 — input of `setCalendarDays`.
#[derive(InputObject)]
pub struct SetCalendarDaysInput {
    /// 年份，1949至2199 (year, 1949 to 2199)
    #[graphql(validator(minimum = 1949, maximum = 2199))]
    pub year: i32,
    /// 该年全部节假日和调休上班日，整体替换 (every exception of the year; replaces the year)
    pub days: Vec<CalendarDayInput>,
}

/// Result of `setCalendarDays`.
#[derive(SimpleObject)]
pub struct SetCalendarDaysPayload {
    /// 该年生效的例外日 (the year's effective exceptions)
    pub days: Vec<CalendarDay>,
}

fn year_days(cal: &WorkCalendar, year: i32) -> Vec<CalendarDay> {
    cal.entries()
        .into_iter()
        .filter(|e| e.date.year() == year)
        .map(|e| CalendarDay {
            date: Date(e.date),
            kind: match e.kind {
                DayKind::Holiday => CalendarDayKind::Holiday,
                DayKind::MakeupWorkday => CalendarDayKind::MakeupWorkday,
            },
        })
        .collect()
}

/// Calendar queries.
#[derive(Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// 某年的节假日和调休上班日 (a year's holidays and make-up working days)
    #[graphql(guard = "Authenticated")]
    async fn calendar_days(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "公历年份，1949至2199 (calendar year, 1949 to 2199)",
            validator(minimum = 1949, maximum = 2199)
        )]
        year: i32,
    ) -> async_graphql::Result<Vec<CalendarDay>> {
        Ok(year_days(&kernel(ctx)?.calendar(), year))
    }

    /// 自某日起第N个工作日（法定期限的截止日）(the date N working days after `from`)
    #[graphql(guard = "Authenticated")]
    async fn working_day_deadline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "起算日，不计入期限 (start date; not itself counted)")] from: Date,
        #[graphql(
            desc = "工作日数，0至3650 (number of working days, 0 to 3650)",
            validator(minimum = 0, maximum = 3650)
        )]
        working_days: i32,
    ) -> async_graphql::Result<Date> {
        let n = u32::try_from(working_days).unwrap_or(0);
        Ok(Date(kernel(ctx)?.calendar().add_working_days(from.0, n)))
    }
}

/// Calendar mutations.
#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// 设置某年的节假日和调休上班日（按国务院办公厅当年通知）(replace a year's calendar)
    #[graphql(guard = "Permission(CALENDAR_MANAGE)")]
    async fn set_calendar_days(
        &self,
        ctx: &Context<'_>,
        input: SetCalendarDaysInput,
    ) -> async_graphql::Result<SetCalendarDaysPayload> {
        let k = kernel(ctx)?;
        let who = request_info(ctx).into_owned();
        let year = set_year(k, &who, input).await?;
        Ok(SetCalendarDaysPayload {
            days: year_days(&k.calendar(), year),
        })
    }
}

async fn set_year(
    k: &Kernel,
    who: &crate::principal::RequestInfo,
    input: SetCalendarDaysInput,
) -> AppResult<i32> {
    let year = input.year;
    if input.days.iter().any(|d| d.date.0.year() != year) {
        return Err(AppError::bad_input(
            "days",
            format!("所有日期都应在{year}年内"),
        ));
    }
    let entries: Vec<CalendarEntry> = input
        .days
        .iter()
        .map(|d| {
            to_entry(&calendar_day::Model {
                day: d.date.0,
                kind: d.kind,
                note: String::new(),
            })
        })
        .collect();
    WorkCalendar::try_from_entries(entries)
        .map_err(|e| AppError::bad_input("days", format!("日历数据有误：{e}")))?;
    let w = k.db.begin_write().await?;
    let from = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| AppError::bad_input("year", "年份无效"))?;
    let to = NaiveDate::from_ymd_opt(year + 1, 1, 1)
        .ok_or_else(|| AppError::bad_input("year", "年份无效"))?;
    calendar_day::Entity::delete_many()
        .filter(calendar_day::Column::Day.gte(from))
        .filter(calendar_day::Column::Day.lt(to))
        .exec(&*w)
        .await?;
    for d in &input.days {
        calendar_day::ActiveModel {
            day: Set(d.date.0),
            kind: Set(d.kind),
            note: Set(d.note.trim().to_owned()),
        }
        .insert(&*w)
        .await
        .map_err(|e| {
            if crate::error::is_unique_violation(&e) {
                AppError::bad_input("days", format!("日期 {} 重复", d.date.0))
            } else {
                e.into()
            }
        })?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("kernel.calendar.set", "Calendar", year)
            .detail(serde_json::json!({ "days": input.days.len() })),
    )
    .await?;
    let fresh = load(&*w).await?;
    w.commit().await?;
    k.replace_calendar(fresh);
    Ok(year)
}

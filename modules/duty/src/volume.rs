//! The duty module's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): the past
//! `volume.days` days (a year) of 24-hour rosters and of early warnings, as `assignDutyShift`,
//! `checkInDutyShift`, `issueWarning`, `acknowledgeWarning` and the escalation job leave them —
//! written in bulk, without audit records, events or notifications.
//!
//! - **Rosters.** Every past day, holidays included, both posts are covered around the clock
//!   ([`crate::rules::coverage`]): the leader on duty (a LEADER) for the whole day, the staff on
//!   duty (commission staff, in rotation) in two twelve-hour shifts. Each shift was assigned a
//!   week ahead and nearly all were checked in. Each day gets the `duty.roster_coverage`
//!   evidence the service writes when the shift that closes the day's last gap is assigned (the
//!   day's last shift), so the obligation reads as met. The demo's own roster covers today and
//!   tomorrow; the volume stops at today's midnight, so no shift overlaps another of its person.
//! - **Warnings.** About one every other day per copy of the district, of every level, to two to
//!   six townships and now and then a department, each target due by the level's deadline
//!   ([`ack_due_at`]). Most targets acknowledge in time; some late (escalated first, once, as the
//!   job does at the deadline); a few never (escalated, unanswered).
use chrono::{Duration, TimeDelta};
use jianan_entity::enums::OrgUnitKind;
use jianan_entity::{account, obligation_evidence, org_unit};
use jianan_kernel::calendar::{local_midnight_utc, today};
use jianan_kernel::principal::roles_of;
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppResult, Kernel};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entity::enums::{DutyPost, WarningLevel, WarningTargetKind};
use crate::entity::{shift, warning, warning_target};
use crate::rules::deadlines::ack_due_at;
use crate::service::roster::{ROSTER_COVERAGE, SHIFT, commission};

const WARNINGS: [(WarningLevel, u32, &str, &str); 4] = [
    (
        WarningLevel::Blue,
        50,
        "大风天气预警",
        "预计未来24小时我区有6级以上大风，请加强塔吊、脚手架等设施的检查加固",
    ),
    (
        WarningLevel::Yellow,
        30,
        "强降雨预警",
        "预计未来24小时我区有暴雨，请做好深基坑、高边坡和低洼工地的防汛准备",
    ),
    (
        WarningLevel::Orange,
        15,
        "高温天气预警",
        "预计未来三天最高气温超过37℃，请调整作业时间，做好防暑降温",
    ),
    (
        WarningLevel::Red,
        5,
        "地质灾害气象风险预警",
        "我区地质灾害气象风险等级为红色，请立即停止危险区域作业并撤离人员",
    ),
];

/// Loads the volume (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let mut rng = volume.rng("duty");
    let db = &k.db.conn;
    let people = account::Entity::find()
        .filter(account::Column::ArchivedAt.is_null())
        .order_by_asc(account::Column::Username)
        .all(db)
        .await?;
    let leaders: Vec<Uuid> = people
        .iter()
        .filter(|a| crate::service::roster::may_hold(a, DutyPost::Leader))
        .map(|a| a.id)
        .collect();
    let staff: Vec<Uuid> = people
        .iter()
        .filter(|a| a.kind == jianan_entity::enums::AccountKind::Person)
        .filter(|a| crate::service::roster::may_hold(a, DutyPost::Staff))
        .filter(|a| !leaders.contains(&a.id))
        .map(|a| a.id)
        .collect();
    let Some(c) = commission(db).await? else {
        return Ok(Vec::new());
    };
    let scheduler = people
        .iter()
        .find(|a| roles_of(a).contains(&jianan_kernel::principal::Role::DepartmentStaff))
        .map(|a| a.id);
    let mut shifts = Vec::new();
    let mut evidence = Vec::new();
    if !leaders.is_empty() && !staff.is_empty() {
        let first = today();
        for back in (1..=i64::from(volume.days)).rev() {
            let day = first - Duration::days(back);
            let midnight = local_midnight_utc(day);
            let assigned = midnight - Duration::days(7);
            let staff_a = staff[usize::try_from(back * 2).unwrap_or(0) % staff.len()];
            let staff_b = staff[usize::try_from(back * 2 + 1).unwrap_or(0) % staff.len()];
            let leader = leaders[usize::try_from(back).unwrap_or(0) % leaders.len()];
            let mut last = Uuid::nil();
            for (post, who, from, to) in [
                (DutyPost::Leader, leader, 0, 24),
                (DutyPost::Staff, staff_a, 0, 12),
                (DutyPost::Staff, staff_b, 12, 24),
            ] {
                let starts = midnight + TimeDelta::hours(from);
                let id = id_at(&mut rng, assigned);
                let checked = (rng.gen_range(0..50) != 0)
                    .then(|| starts - Duration::minutes(rng.gen_range(-10..30)));
                shifts.push(shift::ActiveModel {
                    id: Set(id),
                    post: Set(post),
                    account_id: Set(who),
                    phone: Set(format!("1380023{:04}", rng.gen_range(0..10_000))),
                    starts_at: Set(starts),
                    ends_at: Set(midnight + TimeDelta::hours(to)),
                    checked_in_at: Set(checked),
                    assigned_by: Set(scheduler),
                    version: Set(if checked.is_some() { 2 } else { 1 }),
                    created_at: Set(assigned),
                    updated_at: Set(checked.unwrap_or(assigned)),
                });
                last = id;
            }
            evidence.push(obligation_evidence::ActiveModel {
                id: Set(id_at(&mut rng, assigned)),
                obligation: Set(ROSTER_COVERAGE.code.to_owned()),
                subject_id: Set(c.id),
                occurred_at: Set(midnight),
                record_type: Set(SHIFT.to_owned()),
                record_id: Set(last),
            });
        }
    }

    // Warnings to townships and departments.
    let units = org_unit::Entity::find()
        .filter(org_unit::Column::ArchivedAt.is_null())
        .order_by_asc(org_unit::Column::Code)
        .all(db)
        .await?;
    let townships: Vec<&org_unit::Model> = units
        .iter()
        .filter(|u| matches!(u.kind, OrgUnitKind::Township | OrgUnitKind::Street))
        .collect();
    let departments: Vec<&org_unit::Model> = units
        .iter()
        .filter(|u| u.kind == OrgUnitKind::Department)
        .collect();
    let answerer = |unit: Uuid| -> Option<Uuid> {
        people
            .iter()
            .find(|a| a.org_unit_id == Some(unit))
            .map(|a| a.id)
    };
    let issuer = leaders.first().copied().or(scheduler);
    let mut warnings = Vec::new();
    let mut targets = Vec::new();
    let count = usize::try_from(volume.days).unwrap_or(0) * volume.copies / 2;
    let anchor = volume.anchor();
    let weights: Vec<(usize, u32)> = WARNINGS.iter().enumerate().map(|(i, w)| (i, w.1)).collect();
    for _ in 0..count.max(1) {
        if townships.is_empty() {
            break;
        }
        let pick = {
            let total: u32 = weights.iter().map(|w| w.1).sum();
            let mut p = rng.gen_range(0..total.max(1));
            let mut chosen = 0;
            for (i, w) in &weights {
                if p < *w {
                    chosen = *i;
                    break;
                }
                p -= *w;
            }
            chosen
        };
        let Some((level, _, title, message)) = WARNINGS.get(pick) else {
            continue;
        };
        let issued = anchor
            - Duration::minutes(
                rng.gen_range(2 * 24 * 60..i64::from(volume.days.max(3)) * 24 * 60),
            );
        let due = ack_due_at(*level, issued);
        let id = id_at(&mut rng, issued);
        warnings.push(warning::ActiveModel {
            id: Set(id),
            level: Set(*level),
            title: Set((*title).to_owned()),
            message: Set((*message).to_owned()),
            required_actions: Set(serde_json::json!([
                "立即转发辖区在建项目",
                "落实防范措施并反馈"
            ])
            .to_string()),
            issued_by: Set(issuer),
            issued_at: Set(issued),
            ack_due_at: Set(due),
            created_at: Set(issued),
        });
        let mut chosen: Vec<(WarningTargetKind, &org_unit::Model)> = Vec::new();
        for _ in 0..rng.gen_range(2..=6) {
            let t = townships[rng.gen_range(0..townships.len())];
            if !chosen.iter().any(|(_, u)| u.id == t.id) {
                chosen.push((WarningTargetKind::Township, t));
            }
        }
        if !departments.is_empty() && rng.gen_range(0..3) == 0 {
            chosen.push((
                WarningTargetKind::Department,
                departments[rng.gen_range(0..departments.len())],
            ));
        }
        for (kind, u) in chosen {
            let span = (due - issued).num_minutes().max(2);
            let (acked, escalated) = match rng.gen_range(0..100) {
                0..90 => (
                    Some(issued + Duration::minutes(rng.gen_range(1..span))),
                    None,
                ),
                90..97 => {
                    let esc = due + Duration::minutes(1);
                    (
                        Some(esc + Duration::minutes(rng.gen_range(10..600))),
                        Some(esc),
                    )
                }
                _ => (None, Some(due + Duration::minutes(1))),
            };
            let acked = acked.filter(|a| *a < anchor);
            targets.push(warning_target::ActiveModel {
                id: Set(id_at(&mut rng, issued)),
                warning_id: Set(id),
                kind: Set(kind),
                unit_id: Set(u.id),
                township_id: Set((kind == WarningTargetKind::Township).then_some(u.id)),
                label: Set(u.name.clone()),
                ack_due_at: Set(due),
                acknowledged_at: Set(acked),
                acknowledged_by: Set(acked.and(answerer(u.id))),
                ack_note: Set(acked.map(|_| "已转发并落实防范措施".to_owned())),
                escalated_at: Set(escalated),
                created_at: Set(issued),
            });
        }
    }
    let w = k.db.begin_write().await?;
    let n_shifts = insert_chunked(&*w, shifts).await?;
    let n_evidence = insert_chunked(&*w, evidence).await?;
    let n_warnings = insert_chunked(&*w, warnings).await?;
    let n_targets = insert_chunked(&*w, targets).await?;
    w.commit().await?;
    Ok(vec![
        ("duty_shift", n_shifts),
        ("obligation_evidence (duty)", n_evidence),
        ("duty_warning", n_warnings),
        ("duty_warning_target", n_targets),
    ])
}

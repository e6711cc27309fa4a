//! 会议 (plan, measure 1: “通过召开党组扩大会或专题会，深入学习……安排部署”; “组织重点项目参建责任单位
//! 深入学习贯彻”; measure 2: “及时组织召开专题会议”): a meeting as held — kind, date, attendees,
//! topics, minutes (an attachment) — and its decisions, each given to a person with a due date and
//! tracked to done.
use chrono::{NaiveDate, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::today;
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::{NewTask, check_units, checked_tasks, insert_tasks, texts};
use crate::entity::enums::{MeetingKind, TaskKind, UnitKind};
use crate::entity::{meeting, meeting_unit};
use crate::graphql::types::MEETING;
use crate::perms;

/// A meeting to record.
#[derive(Debug, Clone, Serialize)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub venue: String,
    pub chair: String,
    /// Attendees as written (name and unit).
    pub attendees: Vec<String>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    /// The units that attended (they see the meeting and its decisions).
    pub units: Vec<(UnitKind, Uuid)>,
    pub decisions: Vec<NewTask>,
}

/// 记录会议 (`oversight.meeting.record`, the commission's staff): a meeting already held (not
/// after today), with at least one attendee and one topic; its decisions are given to their
/// owners (notified). With an idempotency key a retry returns the first record.
pub async fn record(
    k: &Kernel,
    who: &RequestInfo,
    input: NewMeeting,
    idempotency_key: Option<&str>,
) -> AppResult<meeting::Model> {
    let p = &who.principal;
    p.require(perms::MEETING_RECORD)?;
    let me = p.require_account()?;
    let key = IdempotencyKey::from_input(who, "recordMeeting", idempotency_key, &input)?;
    let title = required_text("title", "会议名称", &input.title, 200)?;
    if input.held_on > today() {
        return Err(AppError::bad_input("heldOn", "会议日期不能晚于今天"));
    }
    let venue = required_text("venue", "会议地点", &input.venue, 200)?;
    let chair = required_text("chair", "主持人", &input.chair, 100)?;
    let attendees = texts("attendees", "参会人员", &input.attendees, 300, 100)?;
    let topics = texts("topics", "会议议题", &input.topics, 30, 200)?;
    let summary = optional_text("summary", "会议纪要摘要", input.summary.as_deref(), 5000)?;
    jianan_kernel::validate::at_most("unitIds", "参会单位", &input.units, 300)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return meeting::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed meeting missing"));
    }
    check_units(&*w, &input.units, "unitIds").await?;
    let decisions = checked_tasks(&*w, &input.decisions, false, input.held_on, "decisions").await?;
    let now = Utc::now();
    let model = meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(input.kind),
        title: Set(title.clone()),
        held_on: Set(input.held_on),
        venue: Set(venue),
        chair: Set(chair),
        attendees: Set(json!(attendees).to_string()),
        topics: Set(json!(topics).to_string()),
        summary: Set(summary.unwrap_or_default()),
        recorded_by: Set(me),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    for (kind, unit) in &input.units {
        meeting_unit::ActiveModel {
            meeting_id: Set(model.id),
            unit_id: Set(*unit),
            unit_kind: Set(*kind),
        }
        .insert(&*w)
        .await?;
    }
    let n = decisions.len();
    insert_tasks(&w, who, TaskKind::Decision, model.id, &title, decisions).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("oversight.meeting.record", MEETING, model.id).detail(json!({
            "kind": input.kind,
            "heldOn": input.held_on,
            "units": input.units.len(),
            "decisions": n,
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

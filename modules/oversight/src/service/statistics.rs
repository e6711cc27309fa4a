//! Oversight statistics for the leadership: meetings held by kind, how the tasks they and the risk
//! assessments gave out stand (done on time, late, overdue), and how circulars were received.
use chrono::{DateTime, NaiveDate, Utc};
use jianan_kernel::AppResult;
use jianan_kernel::calendar::{local_date, today};
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};

use crate::entity::enums::{MeetingKind, TaskKind};
use crate::entity::{circular, circular_recipient, meeting, task};
use crate::rules::{Timeliness, timeliness};

/// How the tasks of one kind stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskFigures {
    pub total: i64,
    pub on_time: i64,
    pub late: i64,
    pub overdue: i64,
    pub pending: i64,
}

impl TaskFigures {
    /// Adds one task standing as `t`.
    pub fn add(&mut self, t: Timeliness) {
        self.total += 1;
        match t {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::Overdue => self.overdue += 1,
            Timeliness::Pending => self.pending += 1,
        }
    }
}

/// The year's figures.
#[derive(Debug, Clone, Default)]
pub struct Statistics {
    pub meetings: Vec<(MeetingKind, i64)>,
    pub decisions: TaskFigures,
    pub risk_controls: TaskFigures,
    pub circulars: i64,
    pub recipients: i64,
    pub receipts: i64,
}

/// Figures of `year` (Beijing time) within the caller's scope: meetings held in the year, tasks
/// due in the year, circulars issued in the year. Four statements whatever the volume.
pub async fn statistics<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    year: i32,
) -> AppResult<Statistics> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let meetings: Vec<(MeetingKind, i64)> = scoped::<meeting::Entity>(p)
        .select_only()
        .column(meeting::Column::Kind)
        .column_as(meeting::Column::Id.count(), "n")
        .filter(meeting::Column::HeldOn.between(first, last))
        .group_by(meeting::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let tasks: Vec<(TaskKind, NaiveDate, Option<DateTime<Utc>>)> = scoped::<task::Entity>(p)
        .select_only()
        .column(task::Column::Kind)
        .column(task::Column::DueOn)
        .column(task::Column::DoneAt)
        .filter(task::Column::DueOn.between(first, last))
        .into_tuple()
        .all(db)
        .await?;
    let now = today();
    let mut s = Statistics {
        meetings,
        ..Statistics::default()
    };
    s.meetings.sort_by_key(|(k, _)| *k as u8);
    for (kind, due, done) in tasks {
        let t = timeliness(due, done.map(local_date), now);
        match kind {
            TaskKind::Decision => s.decisions.add(t),
            TaskKind::RiskControl => s.risk_controls.add(t),
        }
    }
    let start = jianan_kernel::calendar::local_midnight_utc(first);
    let end = jianan_kernel::calendar::local_midnight_utc(
        NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default(),
    );
    let of_year = scoped::<circular::Entity>(p)
        .filter(circular::Column::IssuedAt.gte(start))
        .filter(circular::Column::IssuedAt.lt(end));
    s.circulars = i64::try_from(of_year.clone().count(db).await?).unwrap_or(i64::MAX);
    let (recipients, receipts): (i64, i64) = circular_recipient::Entity::find()
        .select_only()
        .column_as(circular_recipient::Column::UnitId.count(), "n")
        .column_as(circular_recipient::Column::ReadAt.count(), "r")
        .filter(
            circular_recipient::Column::CircularId.in_subquery(
                of_year
                    .select_only()
                    .column(circular::Column::Id)
                    .into_query(),
            ),
        )
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, 0));
    s.recipients = recipients;
    s.receipts = receipts;
    Ok(s)
}

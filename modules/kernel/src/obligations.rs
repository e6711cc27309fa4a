//! The obligation engine (the plan (docs/architecture.md), "Obligations"; the plan's 常态化): recurring duties with a
//! subject (a project, an account, an org unit), a period (day/week/month in Asia/Shanghai) and a
//! required count, fulfilled by evidence records that modules write in the same transaction as
//! the record itself. It answers "who met which obligation in which period, with which
//! evidence", and when a period closes it publishes `kernel.obligation_missed` for each subject
//! that fell short and notifies the people responsible.
//!
//! Judged against history (issue #7 item 3): a period's subjects are those that owed the duty
//! during it — each provider answers from the state history ([`crate::history`]: when a project
//! was ACTIVE, when an account held a role), not from today's rows — and a subject owes a period
//! only on the days it owed the duty (see [`owed_days`]: a project under a stop-work order for a
//! whole day owes nothing that day; an obligation may exempt statutory holidays). When a period
//! closes, every subject's standing is frozen in `obligation_standing`, and a closed period is
//! read from there: what the commission was told is what it reads later.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::DomainEvent;
use jianan_contracts::kernel::ObligationMissed;
use jianan_entity::{account, obligation_close, obligation_evidence, obligation_standing};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::calendar::{Period, PeriodKind};
use crate::error::{AppError, AppResult};
pub use crate::history::Span;
use crate::inbox::{NewNotification, notify};
use crate::principal::{RequestInfo, Role};
use crate::scope::RowScope;
use crate::{Kernel, outbox};

/// Topic published for every subject that missed an obligation in a closed period.
pub const TOPIC_MISSED: &str = ObligationMissed::TOPIC;

/// What an obligation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Project,
    Account,
    OrgUnit,
}

/// A recurring duty.
#[derive(Debug, Clone)]
pub struct ObligationDef {
    /// `module.what`, e.g. `inspections.safety_manager_daily`.
    pub code: &'static str,
    /// 中文名称
    pub name: &'static str,
    pub subject: SubjectKind,
    pub period: PeriodKind,
    /// How many evidence records a subject needs per period.
    pub required: u32,
    /// Where the duty comes from (the plan's clause).
    pub source: &'static str,
    /// Whether statutory holidays (法定节假日, from the commission's working-day calendar) are
    /// exempt: nobody owes the duty on them.
    pub exempt_holidays: bool,
}

/// A subject an obligation applies to, with who is responsible for it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: Uuid,
    /// GraphQL type name of the subject, for its global ID.
    pub type_name: &'static str,
    pub label: String,
    pub township_id: Option<Uuid>,
    /// Enterprises whose people answer for it (a project's participants).
    pub enterprise_ids: Vec<Uuid>,
    /// Accounts who answer for it directly (a leader for their own supervision), or who must hear
    /// when it is missed (a department's head, the leadership group's office).
    pub account_ids: Vec<Uuid>,
    /// When, around the period asked about, the subject owed the duty (its spans in the owing
    /// state: a project ACTIVE, an account holding the role, a department existing).
    pub owing: Vec<Span>,
}

/// An obligation a module defines: its definition and, now, the subjects it applies to.
pub trait Obligation: Send + Sync {
    fn def(&self) -> &ObligationDef;
    /// The subjects within `scope` that owed the duty at some time during `period` (e.g. projects
    /// that were ACTIVE then), each with its owing spans. Row scope is applied by the provider
    /// through the kernel's [`crate::scope`] conditions.
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
        period: Period,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>>;
}

/// The days of `period` (Asia/Shanghai) on which a subject with these owing spans owed the duty:
/// days that some span overlaps, less statutory holidays when `holidays` is given. A subject owes
/// the period when this is not empty.
///
/// So a project that was ACTIVE at any moment of a day owes that day's daily check (a stop-work
/// order issued at 15:00 leaves the morning's duty standing; a resume order at 09:00 restores
/// the day's duty), and a day wholly under a stop-work order owes nothing; a week or a month is
/// owed when at least one of its days is.
pub fn owed_days(
    period: Period,
    owing: &[Span],
    holidays: Option<&std::collections::BTreeSet<chrono::NaiveDate>>,
) -> Vec<chrono::NaiveDate> {
    let mut out = Vec::new();
    let mut day = period.start;
    while day < period.end_exclusive {
        let start = crate::calendar::local_midnight_utc(day);
        let end = crate::calendar::end_of_local_day_utc(day);
        let exempt = holidays.is_some_and(|h| h.contains(&day));
        if !exempt
            && owing
                .iter()
                .any(|s| s.from < end && s.until.is_none_or(|u| u > start))
        {
            out.push(day);
        }
        match day.succ_opt() {
            Some(d) => day = d,
            None => break,
        }
    }
    out
}

/// Records that `record` fulfils obligation `code` for `subject` at `at`, in the caller's
/// transaction.
pub async fn record_evidence<C: ConnectionTrait>(
    txn: &C,
    code: &str,
    subject_id: Uuid,
    at: DateTime<Utc>,
    record_type: &str,
    record_id: Uuid,
) -> AppResult<()> {
    obligation_evidence::ActiveModel {
        id: Set(Uuid::now_v7()),
        obligation: Set(code.to_owned()),
        subject_id: Set(subject_id),
        occurred_at: Set(at),
        record_type: Set(record_type.to_owned()),
        record_id: Set(record_id),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// One subject's standing in one period.
#[derive(Debug, Clone)]
pub struct Standing {
    pub subject: Subject,
    pub count: u32,
    pub required: u32,
    /// Days of the period on which the subject owed the duty.
    pub owed_days: u32,
    pub evidence: Vec<obligation_evidence::Model>,
}

impl Standing {
    pub fn met(&self) -> bool {
        self.count >= self.required
    }
}

/// Every subject's standing for `period`: the subjects that owed the duty during it, their
/// evidence, and — once the period is closed — the standing frozen when it closed.
pub async fn compliance(
    db: &DatabaseConnection,
    o: &dyn Obligation,
    period: Period,
    scope: RowScope,
) -> AppResult<Vec<Standing>> {
    let def = o.def();
    if period.kind != def.period {
        return Err(AppError::bad_input("period", "期间类型与该义务不符"));
    }
    let label = period.label();
    let closed = obligation_close::Entity::find_by_id((def.code.to_owned(), label.clone()))
        .one(db)
        .await?
        .is_some();
    let holidays = if def.exempt_holidays {
        Some(crate::calendar_api::load(db).await?.holidays().clone())
    } else {
        None
    };
    let mut subjects = o.subjects(db, scope, period).await?;
    let mut frozen: HashMap<Uuid, obligation_standing::Model> = HashMap::new();
    if closed && !subjects.is_empty() {
        frozen = obligation_standing::Entity::find()
            .filter(obligation_standing::Column::Obligation.eq(def.code))
            .filter(obligation_standing::Column::Period.eq(label))
            .filter(obligation_standing::Column::SubjectId.is_in(subjects.iter().map(|s| s.id)))
            .all(db)
            .await?
            .into_iter()
            .map(|f| (f.subject_id, f))
            .collect();
        // A closed period's subjects are those judged when it closed.
        subjects.retain(|s| frozen.contains_key(&s.id));
    }
    let mut by_subject: HashMap<Uuid, Vec<obligation_evidence::Model>> = HashMap::new();
    if !subjects.is_empty() {
        let evidence = obligation_evidence::Entity::find()
            .filter(obligation_evidence::Column::Obligation.eq(def.code))
            .filter(obligation_evidence::Column::OccurredAt.gte(period.start_utc()))
            .filter(obligation_evidence::Column::OccurredAt.lt(period.end_utc()))
            .filter(obligation_evidence::Column::SubjectId.is_in(subjects.iter().map(|s| s.id)))
            .order_by_asc(obligation_evidence::Column::OccurredAt)
            .all(db)
            .await?;
        for e in evidence {
            by_subject.entry(e.subject_id).or_default().push(e);
        }
    }
    Ok(subjects
        .into_iter()
        .filter_map(|s| {
            let evidence = by_subject.remove(&s.id).unwrap_or_default();
            let (count, required, owed) = match frozen.get(&s.id) {
                Some(f) => (
                    u32::try_from(f.count).unwrap_or(0),
                    u32::try_from(f.required).unwrap_or(0),
                    u32::try_from(f.owed_days).unwrap_or(0),
                ),
                None => {
                    let owed = owed_days(period, &s.owing, holidays.as_ref()).len();
                    if owed == 0 {
                        return None;
                    }
                    (
                        u32::try_from(evidence.len()).unwrap_or(u32::MAX),
                        def.required,
                        u32::try_from(owed).unwrap_or(u32::MAX),
                    )
                }
            };
            Some(Standing {
                count,
                required,
                owed_days: owed,
                evidence,
                subject: s,
            })
        })
        .collect())
}

/// Closes one period of one obligation: publishes `kernel.obligation_missed` per subject that fell
/// short and notifies the responsible people (one summary per person). Closing twice does
/// nothing. Returns how many subjects missed it.
pub async fn close_period(k: &Kernel, o: &dyn Obligation, period: Period) -> AppResult<usize> {
    let def = o.def();
    let label = period.label();
    let standings = compliance(&k.db.conn, o, period, RowScope::District).await?;
    let missed: Vec<&Standing> = standings.iter().filter(|s| !s.met()).collect();
    let who = RequestInfo::system("obligations");
    let w = k.db.begin_write().await?;
    let first = obligation_close::ActiveModel {
        obligation: Set(def.code.to_owned()),
        period: Set(label.clone()),
        closed_at: Set(Utc::now()),
        missed: Set(i32::try_from(missed.len()).unwrap_or(i32::MAX)),
    }
    .insert(&*w)
    .await;
    match first {
        Ok(_) => {}
        Err(e) if crate::error::is_unique_violation(&e) => return Ok(0),
        Err(e) => return Err(e.into()),
    }
    // Freeze every standing, so the closed period reads the same for ever.
    for chunk in standings.chunks(500) {
        obligation_standing::Entity::insert_many(chunk.iter().map(|s| {
            obligation_standing::ActiveModel {
                obligation: Set(def.code.to_owned()),
                period: Set(label.clone()),
                subject_id: Set(s.subject.id),
                subject_type: Set(s.subject.type_name.to_owned()),
                label: Set(s.subject.label.chars().take(200).collect()),
                township_id: Set(s.subject.township_id),
                count: Set(i32::try_from(s.count).unwrap_or(i32::MAX)),
                required: Set(i32::try_from(s.required).unwrap_or(i32::MAX)),
                owed_days: Set(i32::try_from(s.owed_days).unwrap_or(i32::MAX)),
            }
        }))
        .exec(&*w)
        .await?;
    }
    for s in &missed {
        outbox::publish_event(
            &*w,
            &who,
            &ObligationMissed {
                obligation: def.code.to_owned(),
                period: label.clone(),
                count: s.count,
                required: s.required,
                subject_type: s.subject.type_name.to_owned(),
                subject_id: s.subject.id,
                township_id: s.subject.township_id,
            },
        )
        .await?;
    }
    // Who hears about it: township staff of the subject's township, the people of its
    // enterprises, and its own accounts — one notification each, listing their subjects.
    let townships: Vec<Uuid> = missed
        .iter()
        .filter_map(|s| s.subject.township_id)
        .collect();
    let enterprises: Vec<Uuid> = missed
        .iter()
        .flat_map(|s| s.subject.enterprise_ids.iter().copied())
        .collect();
    let mut recipients: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    if !townships.is_empty() || !enterprises.is_empty() {
        let accounts = account::Entity::find()
            .filter(account::Column::ArchivedAt.is_null())
            .filter(
                sea_orm::Condition::any()
                    .add(account::Column::OrgUnitId.is_in(townships.clone()))
                    .add(account::Column::EnterpriseId.is_in(enterprises.clone())),
            )
            .all(&*w)
            .await?;
        for a in accounts {
            let roles: Vec<String> = serde_json::from_str(&a.roles).unwrap_or_default();
            let township_staff = roles.iter().any(|r| r == Role::TownshipStaff.as_str());
            for s in &missed {
                let by_township = township_staff
                    && a.org_unit_id.is_some()
                    && a.org_unit_id == s.subject.township_id;
                let by_enterprise = a
                    .enterprise_id
                    .is_some_and(|e| s.subject.enterprise_ids.contains(&e));
                if by_township || by_enterprise {
                    recipients
                        .entry(a.id)
                        .or_default()
                        .push(s.subject.label.clone());
                }
            }
        }
    }
    for s in &missed {
        for a in &s.subject.account_ids {
            recipients
                .entry(*a)
                .or_default()
                .push(s.subject.label.clone());
        }
    }
    for (recipient, labels) in recipients {
        let shown: Vec<&str> = labels.iter().take(10).map(String::as_str).collect();
        let more = if labels.len() > 10 {
            format!("等{}个", labels.len())
        } else {
            String::new()
        };
        notify(
            &*w,
            &who,
            NewNotification {
                recipient_id: recipient,
                kind: TOPIC_MISSED.into(),
                title: format!("{}：{} 未完成", def.name, label),
                body: format!("{}{}", shown.join("、"), more),
                subject: None,
            },
        )
        .await?;
    }
    w.commit().await?;
    Ok(missed.len())
}

/// Closes every period that has ended since the last one closed (the first time: the period
/// just before `now`; history before the platform was running is not judged).
pub async fn close_due(
    k: &Kernel,
    obligations: &[Arc<dyn Obligation>],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut total = 0;
    for o in obligations {
        let def = o.def();
        let last = obligation_close::Entity::find()
            .filter(obligation_close::Column::Obligation.eq(def.code))
            .order_by_desc(obligation_close::Column::ClosedAt)
            .one(&k.db.conn)
            .await?;
        let current = Period::containing_instant(def.period, now);
        let mut p = match last.and_then(|l| Period::from_label(&l.period).ok()) {
            Some(closed) => closed.next(),
            None => current.prev(),
        };
        while p.end_utc() <= now && p.start < current.start {
            total += close_period(k, o.as_ref(), p).await?;
            p = p.next();
        }
    }
    Ok(total)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;
    use chrono::NaiveDate;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }
    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    fn span(from: &str, until: Option<&str>) -> Span {
        Span {
            subject_id: Uuid::nil(),
            from: at(from),
            until: until.map(at),
        }
    }

    #[test]
    fn a_day_is_owed_when_the_subject_owed_the_duty_at_some_moment_of_it() {
        let day = |d| Period::containing(PeriodKind::Day, date(11, d));
        // ACTIVE until a stop-work order at 15:00 Tuesday 17 November (07:00Z), again from a resume
        // order at 09:00 Thursday 19 (01:00Z).
        let owing = [
            span("2026-01-01T00:00:00Z", Some("2026-11-17T07:00:00Z")),
            span("2026-11-19T01:00:00Z", None),
        ];
        // Tuesday: active in the morning, so its daily check stands.
        assert_eq!(owed_days(day(17), &owing, None), vec![date(11, 17)]);
        // Wednesday: suspended all day, nothing owed.
        assert!(owed_days(day(18), &owing, None).is_empty());
        // Thursday: resumed at 09:00, owed.
        assert_eq!(owed_days(day(19), &owing, None), vec![date(11, 19)]);
        // The week owes six of its seven days.
        let week = Period::containing(PeriodKind::Week, date(11, 18));
        assert_eq!(owed_days(week, &owing, None).len(), 6);
        // A span ending exactly at local midnight (16:00Z) does not touch the next day.
        let ended = [span("2026-01-01T00:00:00Z", Some("2026-11-17T16:00:00Z"))];
        assert_eq!(owed_days(day(17), &ended, None), vec![date(11, 17)]);
        assert!(owed_days(day(18), &ended, None).is_empty());
        // A project that became ACTIVE at 23:30 on the 20th (15:30Z) owes that day.
        let late = [span("2026-11-20T15:30:00Z", None)];
        assert_eq!(owed_days(day(20), &late, None), vec![date(11, 20)]);
        assert!(owed_days(day(19), &late, None).is_empty());
    }

    #[test]
    fn statutory_holidays_are_exempt_when_the_obligation_says_so() {
        // 2026 Spring Festival: 15–23 February are holidays (国务院办公厅 2026 notice), so the ISO
        // week of Monday 16 February is holiday throughout, and the week of Monday 23 February
        // has one holiday (the 23rd) and six other days (two of them a weekend).
        let holidays = WorkCalendar::china_official().holidays().clone();
        let always = [span("2025-01-01T00:00:00Z", None)];
        let week = |m, d| Period::containing(PeriodKind::Week, date(m, d));
        assert!(owed_days(week(2, 16), &always, Some(&holidays)).is_empty());
        assert_eq!(owed_days(week(2, 16), &always, None).len(), 7);
        assert_eq!(
            owed_days(week(2, 23), &always, Some(&holidays)),
            (24..=28)
                .map(|d| date(2, d))
                .chain([date(3, 1)])
                .collect::<Vec<_>>()
        );
    }
}

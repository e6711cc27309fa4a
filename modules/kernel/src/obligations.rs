//! The obligation engine (the plan (docs/architecture.md), "Obligations"; the plan's 常态化): recurring duties with a
//! subject (a project, an account, an org unit), a period (day/week/month in Asia/Shanghai) and a
//! required count, fulfilled by evidence records that modules write in the same transaction as
//! the record itself. It answers "who met which obligation in which period, with which
//! evidence", and when a period closes it publishes `kernel.obligation_missed` for each subject
//! that fell short and notifies the people responsible.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::DomainEvent;
use jianan_contracts::kernel::ObligationMissed;
use jianan_entity::{account, obligation_close, obligation_evidence};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::calendar::{Period, PeriodKind};
use crate::error::{AppError, AppResult};
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
    /// Accounts who answer for it directly (a leader for their own supervision).
    pub account_ids: Vec<Uuid>,
}

/// An obligation a module defines: its definition and, now, the subjects it applies to.
pub trait Obligation: Send + Sync {
    fn def(&self) -> &ObligationDef;
    /// The subjects within `scope` (e.g. active projects). Row scope is applied by the provider
    /// through the kernel's [`crate::scope`] conditions.
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>>;
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
    pub evidence: Vec<obligation_evidence::Model>,
}

impl Standing {
    pub fn met(&self) -> bool {
        self.count >= self.required
    }
}

/// Every subject's standing for `period` (two statements: subjects and evidence).
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
    let subjects = o.subjects(db, scope).await?;
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
        .map(|s| {
            let evidence = by_subject.remove(&s.id).unwrap_or_default();
            Standing {
                count: u32::try_from(evidence.len()).unwrap_or(u32::MAX),
                required: def.required,
                evidence,
                subject: s,
            }
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

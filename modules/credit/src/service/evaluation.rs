//! Evaluation: applying an enforcement action to the credit of its targets.
//!
//! `inspections.enforcement_issued` → for the enterprise (and the person, when the action names
//! one): the rule in force at the action's date gives the points (the decision's own points for
//! a credit deduction) and whether a bad record is published, with its period. Each effect is
//! written once: the dispatcher records the delivery with the handler's writes, and the entry
//! and the record are unique on (source event, subject kind), checked before writing and held
//! by unique indexes, so a replayed event changes nothing.
use chrono::{DateTime, Datelike, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::inspections::EnforcementIssued;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::local_date;
use jianan_kernel::db::WriteTxn;
use jianan_kernel::outbox::{Event, HandleEvent};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppError, AppResult};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::enums::{ChangeKind, RecordKind, RuleTrigger, SubjectKind};
use crate::entity::{credit_entry, credit_record, credit_rule, credit_score};
use crate::rules::evaluation::{BASE_SCORE, level_of, score_of};
use crate::rules::publication::publication_until;
use crate::service::feed::{self, NewChange};
use crate::service::rules::rule_at;

/// Applies each enforcement action to credit.
pub struct CreditFromEnforcement;

impl HandleEvent<EnforcementIssued> for CreditFromEnforcement {
    fn name(&self) -> &'static str {
        "credit.apply_enforcement"
    }
    fn handle<'a>(
        &'a self,
        txn: &'a WriteTxn,
        event: &'a Event,
        payload: EnforcementIssued,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { apply_enforcement(txn, event.id, &payload).await })
    }
}

/// Whose credit an event touches.
#[derive(Debug, Clone)]
pub struct Subject {
    pub kind: SubjectKind,
    pub key: String,
    pub enterprise_id: Option<Uuid>,
    pub uscc: Option<String>,
    pub name: String,
    pub person: Option<String>,
}

impl Subject {
    /// The enterprise an action targets.
    pub fn enterprise(id: Uuid, uscc: &str, name: &str) -> Subject {
        Subject {
            kind: SubjectKind::Enterprise,
            key: uscc.to_owned(),
            enterprise_id: Some(id),
            uscc: Some(uscc.to_owned()),
            name: name.to_owned(),
            person: None,
        }
    }
    /// A key person, keyed by their enterprise's code and the name the decision gives.
    pub fn person(person: &str, enterprise: Option<(Uuid, &str)>) -> Subject {
        let person = person.trim().to_owned();
        Subject {
            kind: SubjectKind::Person,
            key: person_key(enterprise.map(|(_, u)| u), &person),
            enterprise_id: enterprise.map(|(id, _)| id),
            uscc: enterprise.map(|(_, u)| u.to_owned()),
            name: person.clone(),
            person: Some(person),
        }
    }
}

/// `USCC/person` (`-/person` without an enterprise).
pub fn person_key(uscc: Option<&str>, person: &str) -> String {
    format!("{}/{}", uscc.unwrap_or("-"), person.trim())
}

/// The evaluation year of an instant: its calendar year in Asia/Shanghai.
pub fn year_of(at: DateTime<Utc>) -> i32 {
    local_date(at).year()
}

/// Applies one enforcement action (event `event_id`) inside the delivery's transaction.
pub async fn apply_enforcement(
    w: &WriteTxn,
    event_id: Uuid,
    e: &EnforcementIssued,
) -> AppResult<()> {
    let txn: &DatabaseTransaction = w;
    // Credit's writers one at a time (see `feed::lock`), before anything is read.
    feed::lock(txn).await?;
    let trigger = RuleTrigger::from(e.kind);
    let Some((version, rule)) = rule_at(txn, trigger, e.occurred_at).await? else {
        // No version in force that early: nothing to apply (version 1 starts 2018-01-01).
        return Ok(());
    };
    let enterprise = match (e.enterprise_id, e.enterprise_uscc.as_deref()) {
        (Some(id), Some(uscc)) => Some((id, uscc)),
        _ => None,
    };
    let mut subjects = Vec::new();
    if let Some((id, uscc)) = enterprise {
        subjects.push(Subject::enterprise(
            id,
            uscc,
            e.enterprise_name.as_deref().unwrap_or(uscc),
        ));
    }
    if let Some(p) = e.person.as_deref().filter(|p| !p.trim().is_empty()) {
        subjects.push(Subject::person(p, enterprise));
    }
    let points = match (rule.points, e.points) {
        (Some(p), _) => p,
        (None, Some(p)) => i32::try_from(p).map_err(AppError::internal)?,
        (None, None) => 0,
    };
    let who = RequestInfo::system("credit");
    let mut applied = Vec::new();
    for s in &subjects {
        let mut did = false;
        if points > 0 {
            did |= deduct(txn, &who, event_id, e, s, &rule, version, points).await?;
        }
        if rule.bad_record {
            did |= publish_bad_record(txn, &who, event_id, e, s, &rule).await?;
        }
        if did {
            applied.push(s.name.clone());
        }
    }
    // What the handler changed is audited like any request's change (a replay changes nothing
    // and records nothing).
    if !applied.is_empty() {
        audit::record(
            w,
            &who,
            AuditEntry::new("credit.enforcement.apply", "EnforcementAction", e.action_id).detail(
                serde_json::json!({
                    "event": event_id,
                    "rule": rule.code,
                    "rulesVersion": version,
                    "points": points,
                    "badRecord": rule.bad_record,
                    "subjects": applied,
                }),
            ),
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn deduct<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    event_id: Uuid,
    e: &EnforcementIssued,
    s: &Subject,
    rule: &credit_rule::Model,
    version: i32,
    points: i32,
) -> AppResult<bool> {
    let already = credit_entry::Entity::find()
        .filter(credit_entry::Column::SourceEventId.eq(event_id))
        .filter(credit_entry::Column::SubjectKind.eq(s.kind))
        .one(txn)
        .await?;
    if already.is_some() {
        return Ok(false);
    }
    let score = score_row(txn, s, year_of(e.occurred_at)).await?;
    let now = Utc::now();
    credit_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        score_id: Set(score.id),
        subject_kind: Set(s.kind),
        enterprise_id: Set(s.enterprise_id),
        points: Set(-points),
        rule_code: Set(rule.code.clone()),
        rule_version: Set(version),
        rule_source: Set(rule.source.clone()),
        legal_basis: Set(e.legal_basis.clone()),
        reason: Set(e.description.clone()),
        source_type: Set("EnforcementAction".to_owned()),
        source_id: Set(e.action_id),
        source_event_id: Set(Some(event_id)),
        occurred_at: Set(e.occurred_at),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    let all: Vec<i32> = credit_entry::Entity::find()
        .filter(credit_entry::Column::ScoreId.eq(score.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|x| x.points)
        .collect();
    let value = score_of(score.base, all);
    let level = level_of(value);
    let mut active: credit_score::ActiveModel = score.clone().into();
    active.score = Set(value);
    active.level = Set(level);
    active.version = Set(score.version + 1);
    active.updated_at = Set(now);
    let score = active.update(txn).await?;
    feed::append(
        txn,
        who,
        NewChange {
            kind: ChangeKind::ScoreChanged,
            subject_kind: s.kind,
            enterprise_id: s.enterprise_id,
            uscc: s.uscc.clone(),
            person: s.person.clone(),
            record_type: "CreditScore",
            record_id: score.id,
            summary: format!(
                "{}年度扣{}分（{}），现{}分，{:?}级",
                score.year, points, rule.code, score.score, score.level
            ),
        },
    )
    .await?;
    Ok(true)
}

/// The subject's score row of `year`, created at the base score when missing. The caller holds
/// the feed lock, so no other credit writer is between this read and the commit; the row lock
/// is a second guard for any future writer that forgets it.
async fn score_row<C: ConnectionTrait>(
    txn: &C,
    s: &Subject,
    year: i32,
) -> AppResult<credit_score::Model> {
    let found = credit_score::Entity::find()
        .filter(credit_score::Column::SubjectKind.eq(s.kind))
        .filter(credit_score::Column::SubjectKey.eq(s.key.clone()))
        .filter(credit_score::Column::Year.eq(year))
        .lock_exclusive()
        .one(txn)
        .await?;
    if let Some(found) = found {
        return Ok(found);
    }
    let now = Utc::now();
    Ok(credit_score::ActiveModel {
        id: Set(Uuid::now_v7()),
        subject_kind: Set(s.kind),
        subject_key: Set(s.key.clone()),
        enterprise_id: Set(s.enterprise_id),
        uscc: Set(s.uscc.clone()),
        subject_name: Set(s.name.clone()),
        person: Set(s.person.clone()),
        year: Set(year),
        base: Set(BASE_SCORE),
        score: Set(BASE_SCORE),
        level: Set(level_of(BASE_SCORE)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?)
}

async fn publish_bad_record<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    event_id: Uuid,
    e: &EnforcementIssued,
    s: &Subject,
    rule: &credit_rule::Model,
) -> AppResult<bool> {
    let already = credit_record::Entity::find()
        .filter(credit_record::Column::SourceEventId.eq(event_id))
        .filter(credit_record::Column::SubjectKind.eq(s.kind))
        .one(txn)
        .await?;
    if already.is_some() {
        return Ok(false);
    }
    let until = publication_until(
        RecordKind::Bad,
        e.occurred_at,
        rule.publication_months,
        None,
    );
    let title = format!("{}：{}", trigger_title(rule.trigger), s.name);
    let record = credit_record::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(RecordKind::Bad),
        subject_kind: Set(s.kind),
        enterprise_id: Set(s.enterprise_id),
        uscc: Set(s.uscc.clone()),
        subject_name: Set(s.name.clone()),
        person: Set(s.person.clone()),
        township_id: Set(e.township_id),
        title: Set(title),
        legal_basis: Set(e.legal_basis.clone()),
        description: Set(e.description.clone()),
        rule_code: Set(Some(rule.code.clone())),
        source_type: Set("EnforcementAction".to_owned()),
        source_id: Set(e.action_id),
        source_event_id: Set(Some(event_id)),
        decided_at: Set(e.occurred_at),
        penalty_until: Set(None),
        public_until: Set(until),
        // Records of enterprises are disclosed; those of natural persons are not (PIPL: the
        // commission's disclosure rule for persons is not at hand).
        is_public: Set(s.kind == SubjectKind::Enterprise),
        ended_at: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    feed::append(
        txn,
        who,
        NewChange {
            kind: ChangeKind::RecordPublished,
            subject_kind: s.kind,
            enterprise_id: s.enterprise_id,
            uscc: s.uscc.clone(),
            person: s.person.clone(),
            record_type: "CreditRecord",
            record_id: record.id,
            summary: format!(
                "不良信用记录（{}），公开至{}",
                record.title,
                local_date(record.public_until)
            ),
        },
    )
    .await?;
    Ok(true)
}

/// Chinese title of an action kind.
pub fn trigger_title(t: RuleTrigger) -> &'static str {
    match t {
        RuleTrigger::WarningInterview => "约谈警示",
        RuleTrigger::Circular => "通报批评",
        RuleTrigger::PublicExposure => "公开曝光",
        RuleTrigger::CreditDeduction => "诚信扣分",
        RuleTrigger::StopWorkOrder => "责令停工整改",
        RuleTrigger::ResumeWorkOrder => "复工",
        RuleTrigger::Penalty => "行政处罚（罚款）",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_year_is_the_beijing_calendar_year() {
        // 2026-12-31 17:00 UTC is 2027-01-01 01:00 in Beijing.
        let at = Utc
            .with_ymd_and_hms(2026, 12, 31, 17, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(year_of(at), 2027);
        let at = Utc
            .with_ymd_and_hms(2026, 12, 31, 15, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(year_of(at), 2026);
    }

    #[test]
    fn a_person_is_keyed_by_enterprise_and_name() {
        assert_eq!(person_key(Some("X"), " 张三 "), "X/张三");
        assert_eq!(person_key(None, "张三"), "-/张三");
    }
}

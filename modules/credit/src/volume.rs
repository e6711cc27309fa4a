//! The credit module's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): a year of
//! credit records over the registry's enterprises, with the scores and the change feed the
//! credit service would have written, so the bureau's `creditChanges` reads every record in
//! sequence order without a gap, and every score is its base plus its entries.
//!
//! - **Bad records and deductions.** The inspections module's volume issues enforcement actions
//!   (`enforcement_action`), whose `inspections.enforcement_issued` events a bulk load does not
//!   publish. This module reads those rows instead (the same facts the event carries) and applies
//!   the rules table in force at each action's date exactly as
//!   [`crate::service::evaluation::apply_enforcement`] does: a deduction on the enterprise's (and
//!   a named person's) score of that year — entry, score and level recomputed with
//!   [`score_of`]/[`level_of`], a `SCORE_CHANGED` feed entry — and, when the rule says so, a bad
//!   record public for the rule's period with its `RECORD_PUBLISHED` entry.
//! - **Good records** (优良信用记录: awards the commission enters, as
//!   [`crate::service::records::record_good`]) make up the rest of `volume.credit_records`: public
//!   three years ([`publication_until`]), no points.
//! - **The feed** continues from `credit_feed_head`, entries numbered in the order the changes
//!   happened, and the head moves to the last one in the same transaction — one writer, as the
//!   service's feed lock makes it. No `credit.changed` outbox events, no audit records.
//! - Actions issued today or later (the demo's, issued through the service) are left to the
//!   event handler.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use jianan_entity::enterprise;
use jianan_kernel::calendar::local_date;
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppResult, Kernel};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr};
use uuid::Uuid;

use crate::entity::enums::{ChangeKind, RecordKind, RuleTrigger, SubjectKind};
use crate::entity::{credit_change, credit_entry, credit_feed_head, credit_record, credit_score};
use crate::rules::evaluation::{BASE_SCORE, level_of, score_of};
use crate::rules::publication::publication_until;
use crate::service::evaluation::{Subject, trigger_title, year_of};
use crate::service::feed;
use crate::service::rules::rule_at;

/// The columns of the inspections module's `enforcement_action` that its event carries: read
/// here, never written.
mod action {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "enforcement_action")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        pub legal_basis: String,
        pub description: String,
        pub target_enterprise_id: Option<Uuid>,
        pub target_person: Option<String>,
        pub township_id: Option<Uuid>,
        pub points: Option<i32>,
        pub issued_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Awards a district gives its builders, with the document that grants each.
const AWARDS: [(&str, &str); 6] = [
    (
        "区级安全文明施工标准化工地",
        "区住房和城乡建设委员会安全文明施工标准化工地评选办法",
    ),
    (
        "市级安全文明施工标准化工地",
        "市住房和城乡建设委员会关于开展安全文明施工标准化工地评选的通知",
    ),
    (
        "建设工程质量安全管理优秀单位",
        "区住房和城乡建设委员会年度质量安全工作表彰决定",
    ),
    (
        "安全生产月活动先进单位",
        "区安全生产委员会办公室关于表扬安全生产月活动先进单位的通报",
    ),
    (
        "农民工工资支付诚信单位",
        "区根治拖欠农民工工资工作领导小组表彰决定",
    ),
    ("绿色施工示范工程", "市建筑业绿色施工示范工程评选办法"),
];

fn trigger(kind: &str) -> Option<RuleTrigger> {
    Some(match kind {
        "WARNING_INTERVIEW" => RuleTrigger::WarningInterview,
        "CIRCULAR" => RuleTrigger::Circular,
        "PUBLIC_EXPOSURE" => RuleTrigger::PublicExposure,
        "CREDIT_DEDUCTION" => RuleTrigger::CreditDeduction,
        "STOP_WORK_ORDER" => RuleTrigger::StopWorkOrder,
        "RESUME_WORK_ORDER" => RuleTrigger::ResumeWorkOrder,
        "PENALTY" => RuleTrigger::Penalty,
        _ => return None,
    })
}

/// A score row as it stands during the load.
struct Score {
    row: credit_score::Model,
    entries: Vec<i32>,
    existed: bool,
    changed: bool,
}

/// One feed entry before its sequence number.
struct Change {
    at: DateTime<Utc>,
    kind: ChangeKind,
    subject_kind: SubjectKind,
    enterprise_id: Option<Uuid>,
    uscc: Option<String>,
    person: Option<String>,
    record_type: &'static str,
    record_id: Uuid,
    summary: String,
}

/// Loads the volume (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let mut rng = volume.rng("credit");
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::ArchivedAt.is_null())
        .order_by_asc(enterprise::Column::Uscc)
        .all(&k.db.conn)
        .await?;
    if enterprises.is_empty() || volume.credit_records == 0 {
        return Ok(Vec::new());
    }
    let by_id: HashMap<Uuid, &enterprise::Model> = enterprises.iter().map(|e| (e.id, e)).collect();
    let anchor = volume.anchor();
    let w = k.db.begin_write().await?;
    let head = feed::lock(&*w).await?;
    let actions = action::Entity::find()
        .filter(action::Column::IssuedAt.lt(anchor))
        .order_by_asc(action::Column::IssuedAt)
        .order_by_asc(action::Column::Id)
        .all(&*w)
        .await?;
    let mut scores: HashMap<(SubjectKind, String, i32), Score> = HashMap::new();
    for row in credit_score::Entity::find().all(&*w).await? {
        scores.insert(
            (row.subject_kind, row.subject_key.clone(), row.year),
            Score {
                row,
                entries: Vec::new(),
                existed: true,
                changed: false,
            },
        );
    }
    for e in credit_entry::Entity::find().all(&*w).await? {
        if let Some(s) = scores.values_mut().find(|s| s.row.id == e.score_id) {
            s.entries.push(e.points);
        }
    }
    let mut rules = HashMap::new();
    let mut records = Vec::new();
    let mut entries = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    for a in &actions {
        let Some(t) = trigger(&a.kind) else { continue };
        let day = local_date(a.issued_at);
        if let std::collections::hash_map::Entry::Vacant(slot) = rules.entry((t, day)) {
            slot.insert(rule_at(&*w, t, a.issued_at).await?);
        }
        let Some(Some((version, rule))) = rules.get(&(t, day)) else {
            continue;
        };
        let enterprise = a
            .target_enterprise_id
            .and_then(|id| by_id.get(&id))
            .map(|e| (e.id, e.uscc.as_str(), e.name.as_str()));
        let mut subjects = Vec::new();
        if let Some((id, uscc, name)) = enterprise {
            subjects.push(Subject::enterprise(id, uscc, name));
        }
        if let Some(p) = a.target_person.as_deref().filter(|p| !p.trim().is_empty()) {
            subjects.push(Subject::person(
                p,
                enterprise.map(|(id, uscc, _)| (id, uscc)),
            ));
        }
        let points = rule.points.or(a.points).unwrap_or(0);
        // The event the handler would have been given: one id per action.
        let event_id = id_at(&mut rng, a.issued_at);
        let handled = a.issued_at + Duration::seconds(rng.gen_range(1..30));
        for s in &subjects {
            if points > 0 {
                let year = year_of(a.issued_at);
                let score = scores
                    .entry((s.kind, s.key.clone(), year))
                    .or_insert_with(|| Score {
                        row: credit_score::Model {
                            id: id_at(&mut rng, handled),
                            subject_kind: s.kind,
                            subject_key: s.key.clone(),
                            enterprise_id: s.enterprise_id,
                            uscc: s.uscc.clone(),
                            subject_name: s.name.clone(),
                            person: s.person.clone(),
                            year,
                            base: BASE_SCORE,
                            score: BASE_SCORE,
                            level: level_of(BASE_SCORE),
                            version: 1,
                            created_at: handled,
                            updated_at: handled,
                        },
                        entries: Vec::new(),
                        existed: false,
                        changed: true,
                    });
                score.entries.push(-points);
                score.row.score = score_of(score.row.base, score.entries.iter().copied());
                score.row.level = level_of(score.row.score);
                score.row.version += 1;
                score.row.updated_at = handled;
                score.changed = true;
                entries.push(credit_entry::ActiveModel {
                    id: Set(id_at(&mut rng, handled)),
                    score_id: Set(score.row.id),
                    subject_kind: Set(s.kind),
                    enterprise_id: Set(s.enterprise_id),
                    points: Set(-points),
                    rule_code: Set(rule.code.clone()),
                    rule_version: Set(*version),
                    rule_source: Set(rule.source.clone()),
                    legal_basis: Set(a.legal_basis.clone()),
                    reason: Set(a.description.clone()),
                    source_type: Set("EnforcementAction".to_owned()),
                    source_id: Set(a.id),
                    source_event_id: Set(Some(event_id)),
                    occurred_at: Set(a.issued_at),
                    created_at: Set(handled),
                });
                changes.push(Change {
                    at: handled,
                    kind: ChangeKind::ScoreChanged,
                    subject_kind: s.kind,
                    enterprise_id: s.enterprise_id,
                    uscc: s.uscc.clone(),
                    person: s.person.clone(),
                    record_type: "CreditScore",
                    record_id: score.row.id,
                    summary: format!(
                        "{}年度扣{}分（{}），现{}分，{:?}级",
                        year, points, rule.code, score.row.score, score.row.level
                    ),
                });
            }
            if rule.bad_record && records.len() < volume.credit_records {
                let until =
                    publication_until(RecordKind::Bad, a.issued_at, rule.publication_months, None);
                let title = format!("{}：{}", trigger_title(rule.trigger), s.name);
                let id = id_at(&mut rng, handled);
                changes.push(Change {
                    at: handled,
                    kind: ChangeKind::RecordPublished,
                    subject_kind: s.kind,
                    enterprise_id: s.enterprise_id,
                    uscc: s.uscc.clone(),
                    person: s.person.clone(),
                    record_type: "CreditRecord",
                    record_id: id,
                    summary: format!("不良信用记录（{title}），公开至{}", local_date(until)),
                });
                records.push(credit_record::ActiveModel {
                    id: Set(id),
                    kind: Set(RecordKind::Bad),
                    subject_kind: Set(s.kind),
                    enterprise_id: Set(s.enterprise_id),
                    uscc: Set(s.uscc.clone()),
                    subject_name: Set(s.name.clone()),
                    person: Set(s.person.clone()),
                    township_id: Set(a.township_id),
                    title: Set(title),
                    legal_basis: Set(a.legal_basis.clone()),
                    description: Set(a.description.clone()),
                    rule_code: Set(Some(rule.code.clone())),
                    source_type: Set("EnforcementAction".to_owned()),
                    source_id: Set(a.id),
                    source_event_id: Set(Some(event_id)),
                    decided_at: Set(a.issued_at),
                    penalty_until: Set(None),
                    public_until: Set(until),
                    is_public: Set(s.kind == SubjectKind::Enterprise),
                    ended_at: Set(None),
                    version: Set(1),
                    created_at: Set(handled),
                });
            }
        }
    }
    // Good records make up the rest: decided over the past year, entered a day or three later.
    for _ in records.len()..volume.credit_records {
        let Some(ent) = enterprises.get(rng.gen_range(0..enterprises.len())) else {
            continue;
        };
        let decided = volume.ago(rng.gen_range(4 * 86_400..365 * 86_400));
        let entered = decided + Duration::minutes(rng.gen_range(24 * 60..72 * 60));
        let (title, basis) = AWARDS[rng.gen_range(0..AWARDS.len())];
        let id = id_at(&mut rng, entered);
        changes.push(Change {
            at: entered,
            kind: ChangeKind::RecordPublished,
            subject_kind: SubjectKind::Enterprise,
            enterprise_id: Some(ent.id),
            uscc: Some(ent.uscc.clone()),
            person: None,
            record_type: "CreditRecord",
            record_id: id,
            summary: format!("优良信用记录：{title}"),
        });
        records.push(credit_record::ActiveModel {
            id: Set(id),
            kind: Set(RecordKind::Good),
            subject_kind: Set(SubjectKind::Enterprise),
            enterprise_id: Set(Some(ent.id)),
            uscc: Set(Some(ent.uscc.clone())),
            subject_name: Set(ent.name.clone()),
            person: Set(None),
            township_id: Set(None),
            title: Set(title.to_owned()),
            legal_basis: Set(basis.to_owned()),
            description: Set(format!("{}获评{title}", ent.name)),
            rule_code: Set(None),
            source_type: Set("CreditRecord".to_owned()),
            source_id: Set(id),
            source_event_id: Set(None),
            decided_at: Set(decided),
            penalty_until: Set(None),
            public_until: Set(publication_until(RecordKind::Good, decided, 0, None)),
            is_public: Set(true),
            ended_at: Set(None),
            version: Set(1),
            created_at: Set(entered),
        });
    }
    // The feed in the order the changes happened (commit order); a stable sort keeps an
    // action's entries in the order the handler appends them.
    changes.sort_by_key(|c| c.at);
    let mut seq = head.last_seq;
    let mut feed_rows = Vec::with_capacity(changes.len());
    for c in changes {
        seq += 1;
        feed_rows.push(credit_change::ActiveModel {
            id: Set(id_at(&mut rng, c.at)),
            seq: Set(seq),
            kind: Set(c.kind),
            subject_kind: Set(c.subject_kind),
            enterprise_id: Set(c.enterprise_id),
            uscc: Set(c.uscc),
            person: Set(c.person),
            record_type: Set(c.record_type.to_owned()),
            record_id: Set(c.record_id),
            summary: Set(c.summary),
            occurred_at: Set(c.at),
        });
    }
    let mut new_scores = Vec::new();
    let mut touched = Vec::new();
    let mut all: Vec<Score> = scores.into_values().filter(|s| s.changed).collect();
    all.sort_by_key(|s| s.row.id);
    for s in all {
        if s.existed {
            touched.push(s.row);
        } else {
            new_scores.push(credit_score::ActiveModel::from(s.row));
        }
    }
    let n_scores = insert_chunked(&*w, new_scores).await?;
    for row in touched {
        credit_score::Entity::update_many()
            .col_expr(credit_score::Column::Score, Expr::value(row.score))
            .col_expr(credit_score::Column::Level, Expr::value(row.level))
            .col_expr(credit_score::Column::Version, Expr::value(row.version))
            .col_expr(credit_score::Column::UpdatedAt, Expr::value(row.updated_at))
            .filter(credit_score::Column::Id.eq(row.id))
            .exec(&*w)
            .await?;
    }
    let n_entries = insert_chunked(&*w, entries).await?;
    let n_records = insert_chunked(&*w, records).await?;
    let n_changes = insert_chunked(&*w, feed_rows).await?;
    credit_feed_head::Entity::update_many()
        .col_expr(credit_feed_head::Column::LastSeq, Expr::value(seq))
        .filter(credit_feed_head::Column::Id.eq(1))
        .exec(&*w)
        .await?;
    w.commit().await?;
    Ok(vec![
        ("credit_record", n_records),
        ("credit_score", n_scores),
        ("credit_entry", n_entries),
        ("credit_change", n_changes),
    ])
}

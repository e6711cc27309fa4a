//! Early warnings (预警): the commission issues a warning — level (blue, yellow, orange, red),
//! message, required actions — to townships, projects and departments. Each target acknowledges
//! (签收) by a deadline that depends on the level ([`crate::rules::deadlines`]); a target still
//! silent at its deadline escalates exactly once ([`escalate_due`], run by [`EscalationJob`]):
//! `duty.warning_escalated` is published and the issuer, the leaders and the target's people are
//! notified.
//!
//! Who acknowledges for a target ([`answers_for`]): the staff of the township (TOWNSHIP_STAFF of
//! that township), the people of an enterprise taking part in the project (enterprise roles), the
//! staff of the department (DEPARTMENT_STAFF of that department).
use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::DomainEvent as _;
use jianan_contracts::duty::{WarningEscalated, WarningIssued, WarningTargetRef};
use jianan_entity::enums::OrgUnitKind;
use jianan_entity::{account, org_unit, project, project_participant};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::inbox::{NewNotification, notify};
use jianan_kernel::module::ScheduledJob;
use jianan_kernel::principal::{Principal, RequestInfo, Role, roles_of};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{WarningLevel, WarningTargetKind};
use crate::entity::{warning, warning_target as target};
use crate::perms;
use crate::rules::deadlines;

/// The GraphQL type name of a warning.
pub const WARNING: &str = "DutyWarning";
/// The GraphQL type name of a warning's target.
pub const TARGET: &str = "DutyWarningTarget";
/// Most targets one warning may have.
pub const MAX_TARGETS: usize = 200;
/// Most required actions one warning may list.
pub const MAX_ACTIONS: usize = 20;

/// What `issue` takes; ids decoded already.
#[derive(Debug, Clone, Serialize)]
pub struct NewWarning {
    pub level: WarningLevel,
    pub title: String,
    pub message: String,
    pub required_actions: Vec<String>,
    pub targets: Vec<(WarningTargetKind, Uuid)>,
    pub idempotency_key: Option<String>,
}

/// A target resolved against the registry, before it is written.
struct Resolved {
    kind: WarningTargetKind,
    unit_id: Uuid,
    township_id: Option<Uuid>,
    label: String,
}

fn target_ref(t: &target::Model) -> WarningTargetRef {
    WarningTargetRef {
        target_id: t.id,
        kind: t.kind.into(),
        unit_id: t.unit_id,
        township_id: t.township_id,
    }
}

/// Checks every target against the registry: a live township or street, a project, a live
/// department. Duplicates are dropped.
async fn resolve<C: ConnectionTrait>(
    db: &C,
    targets: &[(WarningTargetKind, Uuid)],
) -> AppResult<Vec<Resolved>> {
    let mut seen = HashSet::new();
    let wanted: Vec<(WarningTargetKind, Uuid)> = targets
        .iter()
        .copied()
        .filter(|t| seen.insert(*t))
        .collect();
    if wanted.is_empty() {
        return Err(AppError::bad_input("targets", "请至少选择一个预警对象"));
    }
    if wanted.len() > MAX_TARGETS {
        return Err(AppError::bad_input(
            "targets",
            format!("预警对象最多{MAX_TARGETS}个"),
        ));
    }
    let unit_ids: Vec<Uuid> = wanted
        .iter()
        .filter(|(k, _)| *k != WarningTargetKind::Project)
        .map(|(_, id)| *id)
        .collect();
    let project_ids: Vec<Uuid> = wanted
        .iter()
        .filter(|(k, _)| *k == WarningTargetKind::Project)
        .map(|(_, id)| *id)
        .collect();
    let units: BTreeMap<Uuid, org_unit::Model> = if unit_ids.is_empty() {
        BTreeMap::new()
    } else {
        org_unit::Entity::find()
            .filter(org_unit::Column::Id.is_in(unit_ids))
            .filter(org_unit::Column::ArchivedAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    let projects: BTreeMap<Uuid, project::Model> = if project_ids.is_empty() {
        BTreeMap::new()
    } else {
        project::Entity::find()
            .filter(project::Column::Id.is_in(project_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    wanted
        .into_iter()
        .map(|(kind, id)| {
            let found = match kind {
                WarningTargetKind::Township => units
                    .get(&id)
                    .filter(|u| matches!(u.kind, OrgUnitKind::Township | OrgUnitKind::Street))
                    .map(|u| (Some(u.id), u.name.clone())),
                WarningTargetKind::Department => units
                    .get(&id)
                    .filter(|u| u.kind == OrgUnitKind::Department)
                    .map(|u| (None, u.name.clone())),
                WarningTargetKind::Project => projects
                    .get(&id)
                    .map(|p| (Some(p.township_id), p.name.clone())),
            };
            let (township_id, label) = found.ok_or_else(|| {
                AppError::bad_input("targets", "预警对象不存在（乡镇、项目或科室）")
            })?;
            Ok(Resolved {
                kind,
                unit_id: id,
                township_id,
                label: label.chars().take(200).collect(),
            })
        })
        .collect()
}

/// The accounts that answer for each of `targets` (see the module comment), by target id.
async fn people_of<C: ConnectionTrait>(
    db: &C,
    targets: &[target::Model],
) -> AppResult<BTreeMap<Uuid, BTreeSet<Uuid>>> {
    let units: Vec<Uuid> = targets
        .iter()
        .filter(|t| t.kind != WarningTargetKind::Project)
        .map(|t| t.unit_id)
        .collect();
    let projects: Vec<Uuid> = targets
        .iter()
        .filter(|t| t.kind == WarningTargetKind::Project)
        .map(|t| t.unit_id)
        .collect();
    let participants = if projects.is_empty() {
        Vec::new()
    } else {
        project_participant::Entity::find()
            .filter(project_participant::Column::ProjectId.is_in(projects))
            .all(db)
            .await?
    };
    let enterprises: Vec<Uuid> = participants.iter().map(|p| p.enterprise_id).collect();
    let mut out: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    if units.is_empty() && enterprises.is_empty() {
        return Ok(out);
    }
    let accounts = account::Entity::find()
        .filter(account::Column::ArchivedAt.is_null())
        .filter(
            Condition::any()
                .add(account::Column::OrgUnitId.is_in(units))
                .add(account::Column::EnterpriseId.is_in(enterprises)),
        )
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    for a in &accounts {
        let roles = roles_of(a);
        for t in targets {
            let answers = match t.kind {
                WarningTargetKind::Township => {
                    roles.contains(&Role::TownshipStaff) && a.org_unit_id == Some(t.unit_id)
                }
                WarningTargetKind::Department => {
                    roles.contains(&Role::DepartmentStaff) && a.org_unit_id == Some(t.unit_id)
                }
                WarningTargetKind::Project => {
                    roles.iter().any(|r| r.is_enterprise())
                        && participants.iter().any(|p| {
                            p.project_id == t.unit_id && Some(p.enterprise_id) == a.enterprise_id
                        })
                }
            };
            if answers {
                out.entry(t.id).or_default().insert(a.id);
            }
        }
    }
    Ok(out)
}

/// Whether `p` answers for target `t` (acknowledges it): township staff of its township, staff of
/// its department, people of an enterprise among `my_projects` (the projects the caller's
/// enterprise takes part in).
pub fn answers_for(p: &Principal, t: &target::Model, my_projects: &HashSet<Uuid>) -> bool {
    match t.kind {
        WarningTargetKind::Township => {
            p.has_role(Role::TownshipStaff) && p.township_id == Some(t.unit_id)
        }
        WarningTargetKind::Department => {
            p.has_role(Role::DepartmentStaff) && p.org_unit_id == Some(t.unit_id)
        }
        WarningTargetKind::Project => {
            p.roles.iter().any(|r| r.is_enterprise()) && my_projects.contains(&t.unit_id)
        }
    }
}

/// The projects among `candidates` that the caller's enterprise takes part in.
pub(crate) async fn my_projects<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    candidates: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashSet<Uuid>> {
    let Some(e) = p.enterprise_id else {
        return Ok(HashSet::new());
    };
    let candidates: Vec<Uuid> = candidates.into_iter().collect();
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(project_participant::Entity::find()
        .filter(project_participant::Column::EnterpriseId.eq(e))
        .filter(project_participant::Column::ProjectId.is_in(candidates))
        .all(db)
        .await?
        .into_iter()
        .map(|pp| pp.project_id)
        .collect())
}

fn level_name(level: WarningLevel) -> &'static str {
    match level {
        WarningLevel::Blue => "蓝色",
        WarningLevel::Yellow => "黄色",
        WarningLevel::Orange => "橙色",
        WarningLevel::Red => "红色",
    }
}

/// 发布预警 (`duty.warning.issue`): every check before the first write; the warning, its targets,
/// the audit record, `duty.warning_issued` and a notification to each target's people in one
/// transaction. With an idempotency key a retry returns the first warning.
pub async fn issue(k: &Kernel, who: &RequestInfo, input: NewWarning) -> AppResult<warning::Model> {
    let p = &who.principal;
    p.require(perms::WARNING_ISSUE)?;
    let key = IdempotencyKey::from_input(
        who,
        "issueWarning",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let title = required_text("title", "预警标题", &input.title, 200)?;
    let message = required_text("message", "预警内容", &input.message, 5000)?;
    if input.required_actions.len() > MAX_ACTIONS {
        return Err(AppError::bad_input(
            "requiredActions",
            format!("防范要求最多{MAX_ACTIONS}条"),
        ));
    }
    let mut actions = Vec::new();
    for a in &input.required_actions {
        if let Some(a) = optional_text("requiredActions", "防范要求", Some(a), 500)? {
            actions.push(a);
        }
    }
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return warning::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed warning missing"));
    }
    let resolved = resolve(&*w, &input.targets).await?;
    let now = Utc::now();
    let due = deadlines::ack_due_at(input.level, now);
    let model = warning::ActiveModel {
        id: Set(Uuid::now_v7()),
        level: Set(input.level),
        title: Set(title.clone()),
        message: Set(message.clone()),
        required_actions: Set(json!(actions).to_string()),
        issued_by: Set(p.account_id),
        issued_at: Set(now),
        ack_due_at: Set(due),
        created_at: Set(now),
    }
    .insert(&*w)
    .await?;
    let rows: Vec<target::Model> = resolved
        .into_iter()
        .map(|r| target::Model {
            id: Uuid::now_v7(),
            warning_id: model.id,
            kind: r.kind,
            unit_id: r.unit_id,
            township_id: r.township_id,
            label: r.label,
            ack_due_at: due,
            acknowledged_at: None,
            acknowledged_by: None,
            ack_note: None,
            escalated_at: None,
            created_at: now,
        })
        .collect();
    target::Entity::insert_many(rows.iter().cloned().map(target::ActiveModel::from))
        .exec(&*w)
        .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.warning.issue", WARNING, model.id).detail(json!({
            "level": input.level,
            "title": title,
            "ackDueAt": due,
            "targets": rows.iter().map(|t| json!({ "kind": t.kind, "unit": t.unit_id })).collect::<Vec<_>>(),
        })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &WarningIssued {
            warning_id: model.id,
            level: input.level.into(),
            title: title.clone(),
            ack_due_at: due,
            targets: rows.iter().map(target_ref).collect(),
        },
    )
    .await?;
    let people = people_of(&*w, &rows).await?;
    let recipients: BTreeSet<Uuid> = people.values().flatten().copied().collect();
    for recipient in recipients {
        notify(
            &*w,
            who,
            NewNotification {
                recipient_id: recipient,
                kind: WarningIssued::TOPIC.into(),
                title: format!("【{}预警】{}", level_name(input.level), title),
                body: message.chars().take(500).collect(),
                subject: Some((WARNING.into(), model.id)),
            },
        )
        .await?;
    }
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// 签收预警 (`duty.warning.acknowledge`): acknowledges every target of the warning the caller
/// answers for ([`answers_for`]) that is not yet acknowledged — late ones too (they stay counted
/// as late and escalated). Refused with FORBIDDEN when the caller answers for none of its targets,
/// CONFLICT when all of theirs are acknowledged already.
pub async fn acknowledge(
    k: &Kernel,
    who: &RequestInfo,
    warning_id: Uuid,
    note: Option<&str>,
) -> AppResult<warning::Model> {
    let p = &who.principal;
    p.require(perms::WARNING_ACKNOWLEDGE)?;
    let me = p.require_account()?;
    let note = optional_text("note", "签收说明", note, 1000)?;
    let w = k.db.begin_write().await?;
    let warn = scoped::<warning::Entity>(p)
        .filter(warning::Column::Id.eq(warning_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("预警"))?;
    let targets = target::Entity::find()
        .filter(target::Column::WarningId.eq(warn.id))
        .order_by_asc(target::Column::Id)
        .all(&*w)
        .await?;
    let mine_projects = my_projects(
        &*w,
        p,
        targets
            .iter()
            .filter(|t| t.kind == WarningTargetKind::Project)
            .map(|t| t.unit_id),
    )
    .await?;
    let mine: Vec<&target::Model> = targets
        .iter()
        .filter(|t| answers_for(p, t, &mine_projects))
        .collect();
    if mine.is_empty() {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "你不是该预警的签收对象",
        ));
    }
    let pending: Vec<Uuid> = mine
        .iter()
        .filter(|t| t.acknowledged_at.is_none())
        .map(|t| t.id)
        .collect();
    if pending.is_empty() {
        return Err(AppError::conflict("该预警已签收"));
    }
    let now = Utc::now();
    target::Entity::update_many()
        .col_expr(target::Column::AcknowledgedAt, Expr::value(now))
        .col_expr(target::Column::AcknowledgedBy, Expr::value(me))
        .col_expr(target::Column::AckNote, Expr::value(note.clone()))
        .filter(target::Column::Id.is_in(pending.clone()))
        .filter(target::Column::AcknowledgedAt.is_null())
        .exec(&*w)
        .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("duty.warning.acknowledge", WARNING, warn.id).detail(json!({
            "targets": pending,
            "onTime": now <= warn.ack_due_at,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(warn)
}

/// Escalates every target whose acknowledgement deadline has passed at `now` without it, once
/// each: claims the target (`escalated_at` set only where still empty, so a second run or a
/// second instance finds nothing left), audits, publishes `duty.warning_escalated` and notifies
/// the issuer, the leaders (LEADER) and the target's own people. Returns how many escalated.
/// The job calls it with the present; tests call it with the instant they want.
pub async fn escalate_due(k: &Kernel, now: DateTime<Utc>) -> AppResult<usize> {
    let who = RequestInfo::system("scheduler");
    let due = target::Entity::find()
        .filter(target::Column::AcknowledgedAt.is_null())
        .filter(target::Column::EscalatedAt.is_null())
        .filter(target::Column::AckDueAt.lte(now))
        .order_by_asc(target::Column::AckDueAt)
        .limit(500)
        .all(&k.db.conn)
        .await?;
    let mut n = 0;
    for t in due {
        if !deadlines::escalation_due(t.acknowledged_at, t.escalated_at, t.ack_due_at, now) {
            continue;
        }
        let w = k.db.begin_write().await?;
        let claimed = target::Entity::update_many()
            .col_expr(target::Column::EscalatedAt, Expr::value(now))
            .filter(target::Column::Id.eq(t.id))
            .filter(target::Column::EscalatedAt.is_null())
            .filter(target::Column::AcknowledgedAt.is_null())
            .exec(&*w)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let Some(warn) = warning::Entity::find_by_id(t.warning_id).one(&*w).await? else {
            continue; // not reached: a target's warning is never deleted
        };
        audit::record(
            &w,
            &who,
            AuditEntry::new("duty.warning.escalate", WARNING, warn.id)
                .detail(json!({ "target": t.id, "kind": t.kind, "unit": t.unit_id })),
        )
        .await?;
        outbox::publish_event(
            &*w,
            &who,
            &WarningEscalated {
                warning_id: warn.id,
                target: target_ref(&t),
                level: warn.level.into(),
                ack_due_at: t.ack_due_at,
            },
        )
        .await?;
        let mut recipients: BTreeSet<Uuid> = super::accounts_with_role(&*w, Role::Leader)
            .await?
            .into_iter()
            .collect();
        recipients.extend(warn.issued_by);
        if let Some(people) = people_of(&*w, std::slice::from_ref(&t))
            .await?
            .remove(&t.id)
        {
            recipients.extend(people);
        }
        for recipient in recipients {
            notify(
                &*w,
                &who,
                NewNotification {
                    recipient_id: recipient,
                    kind: WarningEscalated::TOPIC.into(),
                    title: format!("【{}预警】逾期未签收", level_name(warn.level)),
                    body: format!("{}：{} 未在期限内签收", warn.title, t.label),
                    subject: Some((WARNING.into(), warn.id)),
                },
            )
            .await?;
        }
        w.commit().await?;
        n += 1;
    }
    Ok(n)
}

/// The scheduled job around [`escalate_due`].
pub struct EscalationJob {
    pub every: std::time::Duration,
}

impl ScheduledJob for EscalationJob {
    fn name(&self) -> &'static str {
        "duty.warning_escalation"
    }
    fn every(&self) -> std::time::Duration {
        self.every
    }
    fn run<'a>(&'a self, kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { escalate_due(kernel, Utc::now()).await.map(|_| ()) })
    }
}

/// A warning's acknowledgement: how many targets, acknowledged (on time or late), escalated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Acknowledgement {
    pub targets: u32,
    pub acknowledged: u32,
    pub on_time: u32,
    pub escalated: u32,
}

impl Acknowledgement {
    /// Tallies `targets`.
    pub fn of<'a>(targets: impl IntoIterator<Item = &'a target::Model>) -> Acknowledgement {
        let mut a = Acknowledgement::default();
        for t in targets {
            a.targets += 1;
            if t.acknowledged_at.is_some() {
                a.acknowledged += 1;
            }
            if deadlines::on_time(t.acknowledged_at, t.escalated_at, t.ack_due_at) {
                a.on_time += 1;
            }
            if t.escalated_at.is_some() {
                a.escalated += 1;
            }
        }
        a
    }
    /// Acknowledged ÷ targets (0 for none).
    pub fn rate(&self) -> f64 {
        if self.targets == 0 {
            0.0
        } else {
            f64::from(self.acknowledged) / f64::from(self.targets)
        }
    }
}

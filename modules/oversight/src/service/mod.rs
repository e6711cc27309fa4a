//! The oversight module's services: every check before the first write, audit records and
//! notifications in the same transaction.
pub mod assessment;
pub mod circular;
pub mod meeting;
pub mod statistics;
pub mod task;

use chrono::{NaiveDate, Utc};
use jianan_entity::enums::AccountKind;
use jianan_entity::{account, enterprise, org_unit};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enums::{RiskLevel, TaskKind, TaskStatus, UnitKind};
use crate::entity::task as task_row;
use crate::rules::MAX_TASKS;

/// A task to give out: a meeting's decision, or a risk with its control measures.
#[derive(Debug, Clone, Serialize)]
pub struct NewTask {
    pub description: String,
    /// Control measures (required for a risk, none for a decision).
    pub measures: Option<String>,
    pub risk_level: Option<RiskLevel>,
    pub two_key_two_new: bool,
    /// The account responsible.
    pub owner: Uuid,
    pub due_on: NaiveDate,
}

/// A person's active account: the one a task is given to. Returns the account and its unit (org
/// unit or enterprise), which scopes the task.
pub(crate) async fn owner<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    field: &str,
) -> AppResult<(account::Model, Option<Uuid>)> {
    let a = account::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| a.archived_at.is_none() && a.kind == AccountKind::Person)
        .ok_or_else(|| AppError::bad_input(field, "责任人账号不存在或已停用"))?;
    let unit = a.org_unit_id.or(a.enterprise_id);
    Ok((a, unit))
}

/// Checks that every unit exists and is in use.
pub(crate) async fn check_units<C: ConnectionTrait>(
    db: &C,
    units: &[(UnitKind, Uuid)],
    field: &str,
) -> AppResult<()> {
    for (kind, id) in units {
        let ok = match kind {
            UnitKind::OrgUnit => org_unit::Entity::find_by_id(*id)
                .one(db)
                .await?
                .is_some_and(|u| u.archived_at.is_none()),
            UnitKind::Enterprise => enterprise::Entity::find_by_id(*id)
                .one(db)
                .await?
                .is_some_and(|e| e.archived_at.is_none()),
        };
        if !ok {
            return Err(AppError::bad_input(field, "单位不存在或已撤销"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    if units.iter().any(|(_, id)| !seen.insert(*id)) {
        return Err(AppError::bad_input(field, "单位重复"));
    }
    Ok(())
}

/// Validates the tasks of a meeting (`risk = false`) or an assessment (`risk = true`): texts,
/// owners, due dates not before `from`. Returns them trimmed, with each owner's unit.
pub(crate) async fn checked_tasks<C: ConnectionTrait>(
    db: &C,
    tasks: &[NewTask],
    risk: bool,
    from: NaiveDate,
    field: &str,
) -> AppResult<Vec<(NewTask, Option<Uuid>)>> {
    jianan_kernel::validate::at_most(field, "事项", tasks, MAX_TASKS)?;
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        let description = required_text(
            field,
            if risk { "风险描述" } else { "议定事项" },
            &t.description,
            1000,
        )?;
        let measures = if risk {
            Some(required_text(
                field,
                "管控措施",
                t.measures.as_deref().unwrap_or(""),
                2000,
            )?)
        } else {
            None
        };
        if risk && t.risk_level.is_none() {
            return Err(AppError::bad_input(field, "请标明风险等级"));
        }
        if t.due_on < from {
            return Err(AppError::bad_input(field, "完成时限不能早于会议或研判日期"));
        }
        let (_, unit) = owner(db, t.owner, field).await?;
        out.push((
            NewTask {
                description,
                measures,
                risk_level: if risk { t.risk_level } else { None },
                two_key_two_new: risk && t.two_key_two_new,
                owner: t.owner,
                due_on: t.due_on,
            },
            unit,
        ));
    }
    Ok(out)
}

/// Inserts the tasks of a meeting or an assessment and tells each owner.
pub(crate) async fn insert_tasks(
    w: &jianan_kernel::db::WriteTxn,
    who: &RequestInfo,
    kind: TaskKind,
    parent: Uuid,
    title: &str,
    tasks: Vec<(NewTask, Option<Uuid>)>,
) -> AppResult<Vec<task_row::Model>> {
    let now = Utc::now();
    let mut out = Vec::with_capacity(tasks.len());
    for (i, (t, unit)) in tasks.into_iter().enumerate() {
        let m = task_row::ActiveModel {
            id: Set(Uuid::now_v7()),
            kind: Set(kind),
            meeting_id: Set((kind == TaskKind::Decision).then_some(parent)),
            assessment_id: Set((kind == TaskKind::RiskControl).then_some(parent)),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            description: Set(t.description),
            measures: Set(t.measures),
            risk_level: Set(t.risk_level),
            two_key_two_new: Set(t.two_key_two_new),
            owner_account_id: Set(t.owner),
            owner_unit_id: Set(unit),
            due_on: Set(t.due_on),
            status: Set(TaskStatus::Open),
            done_at: Set(None),
            done_note: Set(None),
            overdue_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&**w)
        .await?;
        jianan_kernel::inbox::notify(
            &**w,
            who,
            jianan_kernel::inbox::NewNotification {
                recipient_id: m.owner_account_id,
                kind: match kind {
                    TaskKind::Decision => "oversight.decision_assigned",
                    TaskKind::RiskControl => "oversight.risk_control_assigned",
                }
                .into(),
                title: match kind {
                    TaskKind::Decision => "会议议定事项交办",
                    TaskKind::RiskControl => "风险管控措施交办",
                }
                .into(),
                body: format!("{title}：{}（{}前完成）", m.description, m.due_on),
                subject: Some((crate::graphql::types::TASK.into(), m.id)),
            },
        )
        .await?;
        out.push(m);
    }
    Ok(out)
}

/// Parses one list of texts: each trimmed and required, at most `max` of at most `len` chars.
pub(crate) fn texts(
    field: &str,
    label: &str,
    items: &[String],
    max: usize,
    len: usize,
) -> AppResult<Vec<String>> {
    if items.is_empty() {
        return Err(AppError::bad_input(field, format!("{label}不能为空")));
    }
    jianan_kernel::validate::at_most(field, label, items, max)?;
    items
        .iter()
        .map(|t| required_text(field, label, t, len))
        .collect()
}

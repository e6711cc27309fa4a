//! Tracking tasks to done: the person a decision or a control measure was given to reports it
//! done, with a note — nobody else on their behalf.
use chrono::Utc;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::TaskStatus;
use crate::entity::task;
use crate::graphql::types::TASK;
use crate::perms;

impl Versioned for task::Entity {
    fn id_column() -> task::Column {
        task::Column::Id
    }
    fn version_column() -> task::Column {
        task::Column::Version
    }
    fn updated_at_column() -> task::Column {
        task::Column::UpdatedAt
    }
}

/// 办结督办事项 (`oversight.task.complete`): only the task's owner, only while it is open; the
/// note says what was done. Claims the version it was decided on.
pub async fn complete(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    note: &str,
    expected_version: Option<i32>,
) -> AppResult<task::Model> {
    let p = &who.principal;
    p.require(perms::TASK_COMPLETE)?;
    let me = p.require_account()?;
    let note = required_text("note", "办理情况", note, 2000)?;
    let w = k.db.begin_write().await?;
    let t = scoped::<task::Entity>(p)
        .filter(task::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("督办事项"))?;
    if t.owner_account_id != me {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "只有该事项的责任人可以报告办结",
        ));
    }
    if t.status != TaskStatus::Open {
        return Err(AppError::conflict("该事项已办结"));
    }
    claim_read::<task::Entity, _>(&*w, t.id, t.version, expected_version).await?;
    let now = Utc::now();
    let mut am: task::ActiveModel = t.clone().into();
    am.status = Set(TaskStatus::Done);
    am.done_at = Set(Some(now));
    am.done_note = Set(Some(note));
    am.version = Set(t.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("oversight.task.complete", TASK, model.id)
            .detail(json!({ "kind": model.kind, "dueOn": model.due_on })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// Publishes `oversight.task_overdue` once for each task still open after its due day (`today`
/// in Beijing dates: the due day itself is in time, `rules::timeliness`), tells its owner, and
/// audits it; returns how many it published. Each task is claimed with `overdue_at IS NULL`, so a
/// second run — or a second instance — publishes nothing again.
pub async fn mark_overdue(k: &Kernel, today: chrono::NaiveDate) -> AppResult<usize> {
    use jianan_contracts::oversight as contract;
    use jianan_kernel::inbox::{NewNotification, notify};
    use sea_orm::EntityTrait;
    use sea_orm::sea_query::Expr;

    let who = RequestInfo::system("scheduler");
    let now = Utc::now();
    let w = k.db.begin_write().await?;
    let late = task::Entity::find()
        .filter(task::Column::Status.eq(TaskStatus::Open))
        .filter(task::Column::DueOn.lt(today))
        .filter(task::Column::OverdueAt.is_null())
        .all(&*w)
        .await?;
    let mut published = 0;
    for t in late {
        let claimed = task::Entity::update_many()
            .col_expr(task::Column::OverdueAt, Expr::value(now))
            .filter(task::Column::Id.eq(t.id))
            .filter(task::Column::OverdueAt.is_null())
            .exec(&*w)
            .await?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let kind = match t.kind {
            crate::entity::enums::TaskKind::Decision => contract::TaskKind::Decision,
            crate::entity::enums::TaskKind::RiskControl => contract::TaskKind::RiskControl,
        };
        jianan_kernel::outbox::publish_event(
            &*w,
            &who,
            &contract::TaskOverdue {
                task_id: t.id,
                kind,
                owner_account_id: t.owner_account_id,
                due_on: t.due_on,
            },
        )
        .await?;
        notify(
            &*w,
            &who,
            NewNotification {
                recipient_id: t.owner_account_id,
                kind: "oversight.task_overdue".into(),
                title: "督办事项已逾期".into(),
                body: format!("{}（时限{}）", t.description, t.due_on),
                subject: Some((TASK.into(), t.id)),
            },
        )
        .await?;
        audit::record(
            &w,
            &who,
            AuditEntry::new("oversight.task.overdue", TASK, t.id)
                .detail(json!({ "dueOn": t.due_on })),
        )
        .await?;
        published += 1;
    }
    w.commit().await?;
    Ok(published)
}

/// Looks for overdue tasks (every `every`).
pub struct OverdueJob {
    pub every: std::time::Duration,
}

impl jianan_kernel::module::ScheduledJob for OverdueJob {
    fn name(&self) -> &'static str {
        "oversight.task_overdue"
    }
    fn every(&self) -> std::time::Duration {
        self.every
    }
    fn run<'a>(&'a self, kernel: &'a Kernel) -> futures_util::future::BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            mark_overdue(kernel, jianan_kernel::calendar::today())
                .await
                .map(|_| ())
        })
    }
}

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

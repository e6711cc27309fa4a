//! The experts module's services: plain functions over the kernel, every check before the first
//! write, audited, with their events in the same transaction.
pub mod checks;
pub mod chief;
pub mod draw;
pub mod followup;
pub mod library;
pub mod request;
pub mod review;
pub mod statistics;
pub mod visit;

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use jianan_entity::{project, project_participant};
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::AssignmentStatus;
use crate::entity::{assignment, expert};
use crate::rules::avoidance::{ExpertFacts, ProjectFacts};

/// A project the caller may see, or `BAD_USER_INPUT` on `field`.
pub async fn visible_project<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
    field: &str,
) -> AppResult<project::Model> {
    scoped::<project::Entity>(p)
        .filter(project::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input(field, "项目不存在或无权查看"))
}

/// The enterprises taking part in a project (any role).
pub async fn participants<C: ConnectionTrait>(db: &C, project: Uuid) -> AppResult<BTreeSet<Uuid>> {
    Ok(project_participant::Entity::find()
        .filter(project_participant::Column::ProjectId.eq(project))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.enterprise_id)
        .collect())
}

/// What the avoidance rules need about `experts` for a subject on `project`.
pub async fn facts<C: ConnectionTrait>(
    db: &C,
    project: Uuid,
    subject: Uuid,
    experts: &[expert::Model],
) -> AppResult<(Vec<ExpertFacts>, ProjectFacts)> {
    let on_project = assignment::Entity::find()
        .filter(assignment::Column::ProjectId.eq(project))
        .all(db)
        .await?;
    let mut last: HashMap<Uuid, NaiveDate> = HashMap::new();
    let mut on_subject = BTreeSet::new();
    for a in &on_project {
        if a.subject_id == subject {
            on_subject.insert(a.expert_id);
        } else if a.status == AssignmentStatus::Assigned {
            let d = jianan_kernel::calendar::local_date(a.created_at);
            let e = last.entry(a.expert_id).or_insert(d);
            *e = (*e).max(d);
        }
    }
    let facts = experts
        .iter()
        .map(|e| ExpertFacts {
            id: e.id,
            status: e.status,
            employer: e.employer_enterprise_id,
            last_on_project: last.get(&e.id).copied(),
        })
        .collect();
    Ok((
        facts,
        ProjectFacts {
            participants: participants(db, project).await?,
            on_subject,
        },
    ))
}

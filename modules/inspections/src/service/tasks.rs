//! The caller's own to-do list (`myTasks`, issue #7 item 8): what the field app and the consoles
//! show on the first screen. Every part is asked of the caller's principal, within its row scope,
//! by the same rules the mutations apply:
//!
//! - **hazards to rectify**: hazards the caller's enterprise is responsible for and must act on
//!   now (assigned, or being rectified — again after a rejection), on projects where the caller
//!   acts for it ([`super::hazard::RESPONSIBLE_ENTERPRISE`], the rule of start, submit and the five
//!   implementations). A submitted hazard waits on the commission, not on the enterprise.
//! - **hazards to verify**: submitted hazards in the caller's scope that the caller may verify
//!   ([`super::policy::verifiable_levels`]: a major one only a commission inspector).
//! - **self-checks due**: for each self-check kind the caller records
//!   ([`super::inspection::self_check_recorder`]), the projects where the caller records it that
//!   owe it in the current period (day, week, month; the obligation engine's subjects) and have no
//!   evidence yet.
//! - **draw assignments**: published double-random draws that put the caller in a team, for a
//!   project whose assignment is not yet recorded (no DOUBLE_RANDOM inspection linked to it) and
//!   whose results are not yet published. (Formerly inferred: no DOUBLE_RANDOM inspection of
//!   that project, dated from the draw's publication, was recorded by the caller or lists the
//!   caller as an inspector.
//!
//! Covert inspections stay covert: a hazard of an unpublished covert inspection is never assigned
//! (`assignHazard` refuses it) and is filtered out besides; an unpublished draw is never shown.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use jianan_entity::project_participant;
use jianan_kernel::acting::roles_by_project;
use jianan_kernel::calendar::Period;
use jianan_kernel::obligations::compliance;
use jianan_kernel::principal::Principal;
use jianan_kernel::relay::nothing;
use jianan_kernel::scope::{RowScope, scoped};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select};
use uuid::Uuid;

use super::hazard::RESPONSIBLE_ENTERPRISE;
use super::inspection::self_check_recorder;
use super::obligations::self_check_obligation;
use super::policy::verifiable_levels;
use super::rectification::ENTERPRISE_HOLDS;
use crate::entity::enums::{DrawStatus, HazardStatus, InspectionKind};
use crate::entity::{hazard, random_draw};
use crate::perms;

/// The self-check kinds, in the order of their periods (day, week, month).
pub const SELF_CHECK_KINDS: [InspectionKind; 3] = [
    InspectionKind::SafetyManagerDaily,
    InspectionKind::ProjectLeaderWeekly,
    InspectionKind::EnterpriseMonthly,
];

/// Hazards the caller must rectify now (see the module doc), as a select to page.
pub fn hazards_to_rectify(p: &Principal) -> Select<hazard::Entity> {
    let select = scoped::<hazard::Entity>(p);
    let acting = RESPONSIBLE_ENTERPRISE.projects(p);
    let Some((enterprise, projects)) = acting.filter(|_| p.can(perms::HAZARD_RECTIFY)) else {
        return select.filter(nothing());
    };
    select
        .filter(hazard::Column::ResponsibleEnterpriseId.eq(enterprise))
        .filter(hazard::Column::ProjectId.in_subquery(projects))
        .filter(hazard::Column::Status.is_in(ENTERPRISE_HOLDS))
        .filter(hazard::Column::VisibleToEnterprise.eq(true))
}

/// Submitted hazards the caller may verify (see the module doc), as a select to page.
pub fn hazards_to_verify(p: &Principal) -> Select<hazard::Entity> {
    let select = scoped::<hazard::Entity>(p);
    let levels = verifiable_levels(p);
    if levels.is_empty() || !p.can(perms::HAZARD_READ) {
        return select.filter(nothing());
    }
    // A major hazard is closed only once listed for supervision and accepted (挂牌督办 … 验收后
    // 销号, the verify rule of [`super::policy::hazard`]); until then it waits on its acceptance.
    select
        .filter(hazard::Column::Status.eq(HazardStatus::Submitted))
        .filter(hazard::Column::Level.is_in(levels))
        .filter(
            sea_orm::Condition::any()
                .add(hazard::Column::Level.ne(crate::entity::enums::HazardLevel::Major))
                .add(
                    sea_orm::Condition::all()
                        .add(hazard::Column::SupervisionListedAt.is_not_null())
                        .add(hazard::Column::AcceptedAt.is_not_null()),
                ),
        )
}

/// A self-check the caller owes and has not done in the current period.
#[derive(Debug, Clone)]
pub struct SelfCheckDue {
    /// 检查类型 (the self-check kind)
    pub kind: InspectionKind,
    /// The project that owes it.
    pub project_id: Uuid,
    /// The project's code and name.
    pub label: String,
    /// The obligation it fulfils.
    pub obligation: &'static str,
    /// The current period of that obligation.
    pub period: Period,
    /// Records counted so far in the period, and how many are required.
    pub count: u32,
    pub required: u32,
}

/// The self-checks due in the current period (at `now`) that the caller records (see the module
/// doc): at most one per self-check kind and project of the caller's enterprise.
pub async fn self_checks_due(
    k: &Kernel,
    p: &Principal,
    now: DateTime<Utc>,
) -> AppResult<Vec<SelfCheckDue>> {
    let Some(enterprise) = p.enterprise_id else {
        return Ok(Vec::new());
    };
    if !p.is_authenticated() || !p.can(perms::SELF_CHECK_RECORD) {
        return Ok(Vec::new());
    }
    // Which kinds the caller records, on which projects: the recorders' rules, judged on the
    // enterprise's participations (one statement).
    let participations = project_participant::Entity::find()
        .filter(project_participant::Column::EnterpriseId.eq(enterprise))
        .all(&k.db.conn)
        .await?;
    let roles = roles_by_project(&participations);
    let mut due = Vec::new();
    for kind in SELF_CHECK_KINDS {
        let (Some(rule), Some(code)) = (self_check_recorder(kind), self_check_obligation(kind))
        else {
            continue;
        };
        let mine: HashSet<Uuid> = roles
            .iter()
            .filter(|(_, r)| rule.decide(p, r).is_some())
            .map(|(project, _)| *project)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let o = k
            .obligations
            .iter()
            .find(|o| o.def().code == code)
            .ok_or_else(|| AppError::internal("self-check obligation not registered"))?;
        let period = Period::containing_instant(o.def().period, now);
        let standings = compliance(
            &k.db.conn,
            o.as_ref(),
            period,
            RowScope::Enterprise(enterprise),
        )
        .await?;
        due.extend(
            standings
                .into_iter()
                .filter(|s| !s.met() && mine.contains(&s.subject.id))
                .map(|s| SelfCheckDue {
                    kind,
                    project_id: s.subject.id,
                    label: s.subject.label,
                    obligation: code,
                    period,
                    count: s.count,
                    required: s.required,
                }),
        );
    }
    Ok(due)
}

/// A drawn project the caller has still to check.
#[derive(Debug, Clone)]
pub struct DrawTask {
    /// The published draw.
    pub draw: random_draw::Model,
    /// Its position in the draw's assignments (draw order).
    pub index: usize,
    /// The drawn project.
    pub project_id: Uuid,
}

/// The published draws' assignments that name the caller and that the caller has not carried out
/// (see the module doc), soonest deadline first. Two statements, whatever the number of draws.
pub async fn draw_assignments<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
) -> AppResult<Vec<DrawTask>> {
    let Some(me) = p.account_id.filter(|_| p.is_authenticated()) else {
        return Ok(Vec::new());
    };
    // The result names the team members by id: a text match narrows the draws, the parsed result
    // decides.
    let draws = random_draw::Entity::find()
        .filter(random_draw::Column::Status.eq(DrawStatus::Published))
        .filter(random_draw::Column::Result.contains(me.to_string()))
        .order_by_asc(random_draw::Column::DeadlineAt)
        .order_by_asc(random_draw::Column::Id)
        .all(db)
        .await?;
    let mut tasks = Vec::new();
    for d in draws {
        let Some((result, _)) = super::draw::result_of(&d)? else {
            continue;
        };
        for (index, a) in result.assignments.iter().enumerate() {
            if a.inspectors.contains(&me) {
                tasks.push(DrawTask {
                    draw: d.clone(),
                    index,
                    project_id: a.target,
                });
            }
        }
    }
    // Done once the assignment is recorded (an inspection linked to it), or once the draw's
    // results are published (an assignment not carried out by then never will be).
    tasks.retain(|t| t.draw.results_published_at.is_none());
    if tasks.is_empty() {
        return Ok(tasks);
    }
    let recorded: HashSet<(Uuid, Uuid)> = crate::entity::draw_inspection::Entity::find()
        .filter(
            crate::entity::draw_inspection::Column::DrawId
                .is_in(tasks.iter().map(|t| t.draw.id).collect::<HashSet<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.draw_id, r.project_id))
        .collect();
    tasks.retain(|t| !recorded.contains(&(t.draw.id, t.project_id)));
    Ok(tasks)
}

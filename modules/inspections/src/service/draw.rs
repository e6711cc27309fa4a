//! “双随机、一公开” (measure 3 of the plan): random targets, random enforcement officers, results
//! public.
//!
//! 1. `createRandomDraw` fixes the pools (targets from a project filter, inspectors — enforcement
//!    officers with a credential valid on the draw date —, conflicts), the draw date and a secret
//!    random seed, and publishes at once the commitment `SHA-256(seed ‖ SHA-256(canonical input))`
//!    (`rules::draw::commitment_of`), which covers the seed and the whole input. A pool that cannot
//!    staff every possible team of at least two is refused.
//! 2. `executeRandomDraw` runs [`crate::rules::draw::draw`] — deterministic given the seed and the
//!    pools — and stores the assignments; the results are due 20 working days later
//!    (`rules::draw_results`).
//! 3. `publishRandomDraw` reveals the seed and the canonical input with the assignments, with a
//!    completion deadline in working days. Anyone can then check the commitment and re-run the
//!    documented algorithm to get the same assignments.
//! 4. Each drawn team records its DOUBLE_RANDOM inspection against its assignment
//!    (`recordInspection` with `drawAssignment`; [`check_assignment`], [`link_inspection`]).
//! 5. `publishDrawResults` publishes, for every assignment, who checked it and the outcome of its
//!    inspection, frozen as published (一公开); readable without login (`publicDrawResults`).
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use jianan_contracts::inspections as events;
use jianan_entity::enums::ProjectStatus;
use jianan_entity::{account, project, project_participant};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::{Principal, RequestInfo, Role};
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::enums::{DrawStatus, HazardLevel, HazardStatus, InspectionResult};
use crate::entity::{draw_inspection, hazard, inspection, random_draw};
use crate::rules::draw::{Candidate, DrawError, DrawInput, DrawResult, draw};
use crate::rules::draw_results::{self, RecordingRefusal};

/// The pools of a draw, fixed at creation (everything of [`DrawInput`] but the seed).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pools {
    pub inspectors: Vec<Candidate>,
    pub targets: Vec<Candidate>,
    pub target_count: u32,
    pub team_size: u32,
    pub conflicts: Vec<(Uuid, Uuid)>,
}

impl Pools {
    /// The full draw input with `seed_hex` and the draw date (`None` for a legacy v1 draw).
    pub fn with_seed(&self, seed_hex: &str, date: Option<NaiveDate>) -> DrawInput {
        DrawInput {
            seed_hex: seed_hex.to_owned(),
            date,
            inspectors: self.inspectors.clone(),
            targets: self.targets.clone(),
            target_count: self.target_count,
            team_size: self.team_size,
            conflicts: self.conflicts.clone(),
        }
    }
}

/// Names shown next to ids in the published result.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Labels {
    /// project id → (code, name)
    pub projects: HashMap<Uuid, (String, String)>,
    /// inspector account id → display name
    pub inspectors: HashMap<Uuid, String>,
}

/// The roles of an enforcement officer who may be drawn: the commission's inspectors, department
/// staff and leaders (experts assist checks but are not enforcement officers; township staff check
/// their own township and are not in the commission's pool). Each must also hold an enforcement
/// credential valid on the draw date (`registry::service::account::credential_valid_on`).
pub const POOL_ROLES: &[Role] = &[Role::Inspector, Role::DepartmentStaff, Role::Leader];

/// The pool cannot staff a team: refused on `teamSize` or `inspectorIds`, naming the project.
fn staffing_error(e: &DrawError, labels: &Labels) -> AppError {
    match e {
        DrawError::TeamTooSmall => AppError::bad_input("teamSize", "每组检查人员至少2人"),
        DrawError::NotEnoughInspectors { target } => {
            let (code, name) = labels.projects.get(target).cloned().unwrap_or_default();
            AppError::bad_input(
                "inspectorIds",
                format!("项目{code}（{name}）回避后可选的执法检查人员不足一组，无法组成检查组"),
            )
        }
        other => AppError::bad_input("inspectorIds", other.message_zh()),
    }
}

/// Risk weighting of a target: a project with an open major hazard is three times as likely to be
/// drawn ("sampling may be weighted by risk", the plan (docs/architecture.md)).
/// 《国务院办公厅关于推广随机抽查规范事中事后监管的通知》 asks for more random checks of subjects
/// with many complaints or serious violations ("对投诉举报多、列入经营异常名录或有严重违法违规记录
/// 等情况的市场主体，要加大随机抽查力度", as quoted in a published summary; its number,
/// 国办发〔2015〕58号, to verify); 《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管
/// 的意见》(国发〔2019〕5号) ties sampling to credit risk (passage to verify). The factor 3 is this
/// project's choice, not a figure from either.
pub const MAJOR_HAZARD_WEIGHT: u32 = 3;

/// 回避 — an inspector who must not check a project.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrawConflict {
    /// 检查人员账号 (inspector account)
    pub inspector_id: Uuid,
    /// 回避的项目 (project)
    pub project_id: Uuid,
}

/// 组织双随机抽查 — a draw to create. Serialised (without the key) to fingerprint an idempotent
/// retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRandomDraw {
    /// 抽查名称 (title)
    pub title: String,
    /// 检查对象范围：乡镇（街道），不填为全区 (townships; all when `None`)
    pub township_ids: Option<Vec<Uuid>>,
    /// 检查对象范围：项目状态，默认在建 (project statuses; default ACTIVE)
    pub project_statuses: Option<Vec<ProjectStatus>>,
    /// 检查人员名录 (the inspectors' pool: accounts)
    pub inspector_ids: Vec<Uuid>,
    /// 抽取对象数量 (how many projects to draw)
    pub target_count: i32,
    /// 每组检查人员数（至少2人）(inspectors per team, at least two)
    pub team_size: i32,
    /// 回避关系 (conflicts of interest)
    pub conflicts: Vec<DrawConflict>,
    /// 公开后完成检查的期限（工作日，1到20）(deadline in working days after publication, 1–20)
    pub deadline_working_days: i32,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

fn new_seed() -> String {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    hex::encode(seed)
}

/// Loads a draw by id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<random_draw::Model> {
    random_draw::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("双随机抽查"))
}

/// Creates a draw: pools, parameters and draw date fixed, seed and input committed. Refused on
/// `inspectorIds` when a pool member is not an active account of [`POOL_ROLES`] with an
/// enforcement credential valid on the draw date (today, Beijing time), or when the pool cannot
/// give every candidate project a team of `teamSize` after recusals
/// (`rules::draw::check_staffing`); on `teamSize` below two; on `deadlineWorkingDays` outside
/// 1–20 (the inspections must be done before the results are due). A refused call writes nothing.
pub async fn create(
    k: &Kernel,
    who: &RequestInfo,
    input: NewRandomDraw,
) -> AppResult<random_draw::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "createRandomDraw",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let title = required_text("title", "抽查名称", &input.title, 100)?;
    let team_size = u32::try_from(input.team_size)
        .ok()
        .filter(|t| *t >= crate::rules::draw::MIN_TEAM_SIZE)
        .ok_or_else(|| AppError::bad_input("teamSize", "每组检查人员至少2人"))?;
    let target_count = u32::try_from(input.target_count)
        .ok()
        .filter(|t| *t >= 1)
        .ok_or_else(|| AppError::bad_input("targetCount", "抽取数量至少为1"))?;
    let days = input.deadline_working_days;
    let most = i32::try_from(draw_results::RESULTS_WORKING_DAYS).unwrap_or(i32::MAX);
    if !(1..=most).contains(&days) {
        return Err(AppError::bad_input(
            "deadlineWorkingDays",
            format!(
                "完成检查的期限应为1到{most}个工作日（抽查结果须在抽取后{most}个工作日内公示）"
            ),
        ));
    }
    let inspector_ids: BTreeSet<Uuid> = input.inspector_ids.iter().copied().collect();
    let townships = input.township_ids.clone();
    let mut conflicts: Vec<(Uuid, Uuid)> = input
        .conflicts
        .iter()
        .map(|c| (c.inspector_id, c.project_id))
        .collect();
    let draw_date = jianan_kernel::calendar::today();

    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    // Inspectors: active accounts of the commission's enforcement roles, each with an
    // enforcement credential valid on the draw date.
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(inspector_ids.iter().copied()))
        .all(&*w)
        .await?;
    let mut eligible: Vec<&account::Model> = Vec::with_capacity(accounts.len());
    for id in &inspector_ids {
        let a = accounts
            .iter()
            .find(|a| a.id == *id && a.archived_at.is_none())
            .filter(|a| {
                jianan_registry::service::auth::roles_of(a)
                    .iter()
                    .any(|r| POOL_ROLES.contains(r))
            })
            .ok_or_else(|| {
                AppError::bad_input(
                    "inspectorIds",
                    "检查人员名录中有账号不存在、已停用或不是委执法检查人员",
                )
            })?;
        let credential = jianan_registry::service::account::credential_of(a);
        if !jianan_registry::service::account::credential_valid_on(credential.as_ref(), draw_date) {
            return Err(AppError::bad_input(
                "inspectorIds",
                format!(
                    "{}没有在抽查日期{}有效的执法证，不能列入执法检查人员名录",
                    a.display_name,
                    draw_date.format("%Y-%m-%d")
                ),
            ));
        }
        eligible.push(a);
    }
    // Targets: projects in range, weighted by open major hazards.
    let statuses = input
        .project_statuses
        .clone()
        .unwrap_or_else(|| vec![ProjectStatus::Active]);
    let mut q = project::Entity::find()
        .filter(project::Column::ArchivedAt.is_null())
        .filter(project::Column::Status.is_in(statuses));
    if let Some(t) = &townships {
        q = q.filter(project::Column::TownshipId.is_in(t.clone()));
    }
    let projects = q.all(&*w).await?;
    if (projects.len() as u64) < u64::from(target_count) {
        return Err(AppError::bad_input(
            "targetCount",
            format!("符合条件的项目只有{}个", projects.len()),
        ));
    }
    let risky: BTreeSet<Uuid> = hazard::Entity::find()
        .filter(hazard::Column::Level.eq(HazardLevel::Major))
        .filter(hazard::Column::Status.is_not_in([HazardStatus::Closed, HazardStatus::Voided]))
        .all(&*w)
        .await?
        .into_iter()
        .map(|h| h.project_id)
        .collect();
    // An inspector tied to an enterprise on the project recuses automatically.
    let tied: Vec<(Uuid, Uuid)> = {
        let by_enterprise: HashMap<Uuid, Vec<Uuid>> = eligible
            .iter()
            .filter_map(|a| a.enterprise_id.map(|e| (e, a.id)))
            .fold(HashMap::new(), |mut m, (e, a)| {
                m.entry(e).or_default().push(a);
                m
            });
        if by_enterprise.is_empty() {
            Vec::new()
        } else {
            project_participant::Entity::find()
                .filter(
                    project_participant::Column::EnterpriseId.is_in(by_enterprise.keys().copied()),
                )
                .all(&*w)
                .await?
                .into_iter()
                .flat_map(|p| {
                    by_enterprise
                        .get(&p.enterprise_id)
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .map(move |a| (a, p.project_id))
                })
                .collect()
        }
    };
    conflicts.extend(tied);
    conflicts.sort();
    conflicts.dedup();
    let pools = Pools {
        inspectors: eligible
            .iter()
            .map(|a| Candidate {
                id: a.id,
                weight: 1,
            })
            .collect(),
        targets: projects
            .iter()
            .map(|p| Candidate {
                id: p.id,
                weight: if risky.contains(&p.id) {
                    MAJOR_HAZARD_WEIGHT
                } else {
                    1
                },
            })
            .collect(),
        target_count,
        team_size,
        conflicts,
    };
    let labels = Labels {
        projects: projects
            .iter()
            .map(|p| (p.id, (p.code.clone(), p.name.clone())))
            .collect(),
        inspectors: eligible
            .iter()
            .map(|a| (a.id, a.display_name.clone()))
            .collect(),
    };
    crate::rules::draw::check_staffing(
        &pools.inspectors,
        &pools.targets,
        pools.team_size,
        &pools.conflicts,
    )
    .map_err(|e| staffing_error(&e, &labels))?;
    let seed = new_seed();
    let committed = pools.with_seed(&seed, Some(draw_date));
    let commitment = crate::rules::draw::commitment_of(&committed)
        .map_err(|e| AppError::internal(e.message_zh()))?;
    let model = random_draw::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(title),
        status: Set(DrawStatus::Committed),
        commitment: Set(commitment.clone()),
        seed_hex: Set(seed),
        pools: Set(serde_json::to_string(&pools).map_err(AppError::internal)?),
        labels: Set(serde_json::to_string(&labels).map_err(AppError::internal)?),
        result: Set(None),
        input_hash: Set(Some(crate::rules::draw::input_hash(&committed))),
        deadline_working_days: Set(days),
        deadline_at: Set(None),
        created_by: Set(who.principal.account_id),
        created_at: Set(Utc::now()),
        drawn_at: Set(None),
        published_at: Set(None),
        draw_date: Set(Some(draw_date)),
        results_deadline_at: Set(None),
        results_published_at: Set(None),
        outcomes: Set(None),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.draw.create", "RandomDraw", model.id).detail(serde_json::json!({
            "commitment": commitment, "targets": pools.targets.len(), "inspectors": pools.inspectors.len(),
        })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::DrawCommitted {
            draw_id: model.id,
            commitment,
            protocol: crate::rules::draw::PROTOCOL_V2.to_owned(),
        },
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

fn pools_of(m: &random_draw::Model) -> AppResult<Pools> {
    serde_json::from_str(&m.pools).map_err(AppError::internal)
}

/// Runs the draw on the committed seed and pools.
pub async fn execute(k: &Kernel, who: &RequestInfo, id: Uuid) -> AppResult<random_draw::Model> {
    let w = k.db.begin_write().await?;
    let d = get(&*w, id).await?;
    if d.status != DrawStatus::Committed {
        return Err(AppError::conflict("该抽查已经抽取过"));
    }
    let input = pools_of(&d)?.with_seed(&d.seed_hex, d.draw_date);
    let result = draw(&input).map_err(|e| AppError::new(ErrorCode::Conflict, e.message_zh()))?;
    if d.input_hash
        .as_ref()
        .is_some_and(|h| *h != result.input_hash)
    {
        return Err(AppError::internal(
            "the draw's input changed after its commitment",
        ));
    }
    let now = Utc::now();
    // Only while still COMMITTED: of two concurrent runs, one draws, the other gets CONFLICT.
    let updated = random_draw::Entity::update_many()
        .col_expr(random_draw::Column::Status, Expr::value(DrawStatus::Drawn))
        .col_expr(
            random_draw::Column::Result,
            Expr::value(Some(
                serde_json::to_string(&result).map_err(AppError::internal)?,
            )),
        )
        .col_expr(
            random_draw::Column::InputHash,
            Expr::value(Some(result.input_hash.clone())),
        )
        .col_expr(random_draw::Column::DrawnAt, Expr::value(Some(now)))
        .col_expr(
            random_draw::Column::ResultsDeadlineAt,
            Expr::value(Some(draw_results::results_deadline(&k.calendar(), now))),
        )
        .filter(random_draw::Column::Id.eq(id))
        .filter(random_draw::Column::Status.eq(DrawStatus::Committed))
        .exec(&*w)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("该抽查已经抽取过"));
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.draw.execute", "RandomDraw", id)
            .detail(serde_json::json!({ "inputHash": result.input_hash, "assignments": result.assignments.len() })),
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

/// Publishes the draw (一公开): seed, canonical input and result become public, with a deadline.
pub async fn publish(k: &Kernel, who: &RequestInfo, id: Uuid) -> AppResult<random_draw::Model> {
    let w = k.db.begin_write().await?;
    let d = get(&*w, id).await?;
    if d.status != DrawStatus::Drawn {
        return Err(AppError::conflict("只有已抽取、未公开的抽查可以公开"));
    }
    let days = u32::try_from(d.deadline_working_days).unwrap_or(0);
    let now = Utc::now();
    let deadline = k.calendar().deadline_instant(now, days);
    let updated = random_draw::Entity::update_many()
        .col_expr(
            random_draw::Column::Status,
            Expr::value(DrawStatus::Published),
        )
        .col_expr(random_draw::Column::PublishedAt, Expr::value(now))
        .col_expr(random_draw::Column::DeadlineAt, Expr::value(deadline))
        .filter(random_draw::Column::Id.eq(id))
        .filter(random_draw::Column::Status.eq(DrawStatus::Drawn))
        .exec(&*w)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("该抽查已经公开"));
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.draw.publish", "RandomDraw", id),
    )
    .await?;
    let input_hash = d
        .input_hash
        .ok_or_else(|| AppError::internal("a drawn draw has no input hash"))?;
    outbox::publish_event(
        &*w,
        who,
        &events::DrawPublished {
            draw_id: id,
            seed: d.seed_hex,
            input_hash,
            deadline_at: deadline,
        },
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

/// The full input of a draw (seed, pools, date) as committed.
pub fn input_of(m: &random_draw::Model) -> AppResult<DrawInput> {
    Ok(pools_of(m)?.with_seed(&m.seed_hex, m.draw_date))
}

/// The canonical input document that anyone hashes and re-runs, for a published draw.
pub fn canonical_input(m: &random_draw::Model) -> AppResult<String> {
    Ok(crate::rules::draw::canonical_json(&input_of(m)?))
}

/// When the draw's results are due: stored when drawn; for a draw run before the deadline was
/// stored, computed from when it was run with today's calendar.
pub fn results_deadline(k: &Kernel, m: &random_draw::Model) -> Option<DateTime<Utc>> {
    m.results_deadline_at.or_else(|| {
        m.drawn_at
            .map(|at| draw_results::results_deadline(&k.calendar(), at))
    })
}

/// The stored result and labels.
pub fn result_of(m: &random_draw::Model) -> AppResult<Option<(DrawResult, Labels)>> {
    let Some(r) = &m.result else { return Ok(None) };
    let result: DrawResult = serde_json::from_str(r).map_err(AppError::internal)?;
    let labels: Labels = serde_json::from_str(&m.labels).map_err(AppError::internal)?;
    Ok(Some((result, labels)))
}

/// The pools of a stored draw.
pub fn pools(m: &random_draw::Model) -> AppResult<Pools> {
    pools_of(m)
}

/// 双随机抽查任务 — the assignment (draw + project) a DOUBLE_RANDOM inspection carries out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRef {
    /// 抽查 (draw)
    pub draw_id: Uuid,
    /// 抽中的项目 (the drawn project)
    pub project_id: Uuid,
}

/// Checks, inside the transaction that records an inspection of `inspected_at` listing
/// `listed` inspectors, that the caller may carry out `assignment`: the draw is published and its
/// results are not; the project was drawn in it; the caller and the listed inspectors are members
/// of its drawn team, at least two of them (`rules::draw_results::check_recording`: a stranger
/// is `FORBIDDEN`, the list is refused on `inspectorIds`); the check did not happen before the
/// draw; and the assignment has not been recorded yet (`CONFLICT`).
pub async fn check_assignment<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    assignment: AssignmentRef,
    listed: &[Uuid],
    inspected_at: DateTime<Utc>,
) -> AppResult<()> {
    let recorder = p.require_account()?;
    let d = random_draw::Entity::find_by_id(assignment.draw_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("drawAssignment", "双随机抽查不存在"))?;
    if d.status != DrawStatus::Published {
        return Err(AppError::conflict(
            "该抽查尚未公开抽取结果，不能据此记录检查",
        ));
    }
    if d.results_published_at.is_some() {
        return Err(AppError::conflict("该抽查的结果已经公示，不能再记录检查"));
    }
    let (result, _) =
        result_of(&d)?.ok_or_else(|| AppError::internal("a published draw has no result"))?;
    let team = result
        .assignments
        .iter()
        .find(|a| a.target == assignment.project_id)
        .map(|a| a.inspectors.clone())
        .ok_or_else(|| AppError::bad_input("drawAssignment", "该项目不在这次抽查的抽取结果中"))?;
    draw_results::check_recording(&team, recorder, listed).map_err(|e| match e {
        RecordingRefusal::NotOnTeam => AppError::new(ErrorCode::Forbidden, e.message_zh()),
        _ => AppError::bad_input("inspectorIds", e.message_zh()),
    })?;
    if d.drawn_at.is_some_and(|at| inspected_at < at) {
        return Err(AppError::bad_input(
            "inspectedAt",
            "检查时间早于抽查抽取时间，不能作为该抽查任务的检查",
        ));
    }
    let done = draw_inspection::Entity::find()
        .filter(draw_inspection::Column::DrawId.eq(assignment.draw_id))
        .filter(draw_inspection::Column::ProjectId.eq(assignment.project_id))
        .one(db)
        .await?;
    if done.is_some() {
        return Err(AppError::conflict("该抽查任务已经记录过检查"));
    }
    Ok(())
}

/// Links the inspection just recorded to the assignment it carried out, in the recording's
/// transaction. A concurrent second record of the same assignment hits the unique key and is a
/// `CONFLICT` (its transaction rolls back whole).
pub async fn link_inspection<C: ConnectionTrait>(
    db: &C,
    assignment: AssignmentRef,
    inspection_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    draw_inspection::ActiveModel {
        id: Set(Uuid::now_v7()),
        draw_id: Set(assignment.draw_id),
        project_id: Set(assignment.project_id),
        inspection_id: Set(inspection_id),
        recorded_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| {
        if jianan_kernel::error::is_unique_violation(&e) {
            AppError::conflict("该抽查任务已经记录过检查")
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// 抽查任务的结果 — one assignment's outcome as published (frozen in `random_draw.outcomes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// 抽中的项目 (project)
    pub project_id: Uuid,
    /// 执行该任务的检查；未按期实施为空 (the inspection; none when not carried out)
    pub inspection_id: Option<Uuid>,
    /// 检查结论（InspectionResult 的值）(the inspection's result, e.g. `RECTIFY`)
    pub result: Option<String>,
    /// 检查时间 (when it was checked)
    pub inspected_at: Option<DateTime<Utc>>,
    /// 实际参加检查的抽中人员：记录人和列明的检查人员 (who checked: recorder and listed inspectors)
    pub checked_by: Vec<Uuid>,
    /// 发现的隐患数 (hazards found)
    pub hazards_found: u32,
}

impl Outcome {
    /// The result as the enum (`None` when not carried out).
    pub fn result(&self) -> Option<InspectionResult> {
        self.result
            .as_ref()
            .and_then(|r| InspectionResult::try_from_value(r).ok())
    }
}

/// The published outcomes of a draw, in assignment order (`None` until published).
pub fn outcomes_of(m: &random_draw::Model) -> AppResult<Option<Vec<Outcome>>> {
    m.outcomes
        .as_deref()
        .map(|o| serde_json::from_str(o).map_err(AppError::internal))
        .transpose()
}

/// Publishes a draw's results (一公开, `publishDrawResults`): for every assignment, who checked it
/// and the outcome of its inspection, frozen as published. Refused (`CONFLICT`) before the draw
/// itself is published, when already done, and while an assignment has no inspection recorded
/// and the completion deadline has not passed (`rules::draw_results::check_publishable`); past
/// it, an assignment without an inspection is published as not carried out. Publishing after
/// the results deadline (20 working days after the draw) is allowed and shown as `late`.
pub async fn publish_results(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
) -> AppResult<random_draw::Model> {
    let w = k.db.begin_write().await?;
    let d = get(&*w, id).await?;
    if d.status != DrawStatus::Published {
        return Err(AppError::conflict(
            "须先公开抽查的种子和抽取结果，再公示检查结果",
        ));
    }
    if d.results_published_at.is_some() {
        return Err(AppError::conflict("该抽查的结果已经公示"));
    }
    let (result, _) =
        result_of(&d)?.ok_or_else(|| AppError::internal("a published draw has no result"))?;
    let links = draw_inspection::Entity::find()
        .filter(draw_inspection::Column::DrawId.eq(id))
        .all(&*w)
        .await?;
    let now = Utc::now();
    draw_results::check_publishable(result.assignments.len(), links.len(), d.deadline_at, now)
        .map_err(|e| AppError::conflict(e.message_zh()))?;
    let inspections = inspection::Entity::find()
        .filter(inspection::Column::Id.is_in(links.iter().map(|l| l.inspection_id)))
        .all(&*w)
        .await?;
    let hazards = hazard::Entity::find()
        .filter(hazard::Column::InspectionId.is_in(links.iter().map(|l| l.inspection_id)))
        .all(&*w)
        .await?;
    let outcomes: Vec<Outcome> = result
        .assignments
        .iter()
        .map(|a| {
            let done = links
                .iter()
                .find(|l| l.project_id == a.target)
                .and_then(|l| inspections.iter().find(|i| i.id == l.inspection_id));
            match done {
                Some(i) => {
                    let mut checked_by = vec![];
                    for person in i
                        .recorded_by
                        .into_iter()
                        .chain(super::inspection::inspector_ids(i))
                    {
                        if !checked_by.contains(&person) {
                            checked_by.push(person);
                        }
                    }
                    Outcome {
                        project_id: a.target,
                        inspection_id: Some(i.id),
                        result: Some(i.result.to_value()),
                        inspected_at: Some(i.inspected_at),
                        checked_by,
                        hazards_found: u32::try_from(
                            hazards
                                .iter()
                                .filter(|h| h.inspection_id == Some(i.id))
                                .count(),
                        )
                        .unwrap_or(u32::MAX),
                    }
                }
                None => Outcome {
                    project_id: a.target,
                    inspection_id: None,
                    result: None,
                    inspected_at: None,
                    checked_by: Vec::new(),
                    hazards_found: 0,
                },
            }
        })
        .collect();
    let carried_out = outcomes
        .iter()
        .filter(|o| o.inspection_id.is_some())
        .count();
    let deadline = results_deadline(k, &d);
    let late = draw_results::is_late(deadline, Some(now), now);
    let updated = random_draw::Entity::update_many()
        .col_expr(random_draw::Column::ResultsPublishedAt, Expr::value(now))
        .col_expr(
            random_draw::Column::Outcomes,
            Expr::value(serde_json::to_string(&outcomes).map_err(AppError::internal)?),
        )
        .filter(random_draw::Column::Id.eq(id))
        .filter(random_draw::Column::ResultsPublishedAt.is_null())
        .exec(&*w)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("该抽查的结果已经公示"));
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.draw.publish_results", "RandomDraw", id).detail(
            serde_json::json!({
                "carriedOut": carried_out,
                "notCarriedOut": outcomes.len() - carried_out,
                "late": late,
            }),
        ),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::DrawResultsPublished {
            draw_id: id,
            published_at: now,
            carried_out: u32::try_from(carried_out).unwrap_or(u32::MAX),
            not_carried_out: u32::try_from(outcomes.len() - carried_out).unwrap_or(u32::MAX),
            late,
        },
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

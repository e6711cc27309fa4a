//! “双随机、一公开” (measure 3 of the plan): random targets, random inspectors, results public.
//!
//! 1. `createRandomDraw` fixes the pools (targets from a project filter, inspectors, conflicts)
//!    and a secret random seed, and publishes the seed's SHA-256 commitment at once.
//! 2. `executeRandomDraw` runs [`crate::rules::draw::draw`] — deterministic given the seed and the
//!    pools — and stores the assignments.
//! 3. `publishRandomDraw` reveals the seed and the canonical input with the result, with a
//!    deadline in working days. Anyone can then check `SHA-256(seed) = commitment` and re-run
//!    the documented algorithm to get the same assignments.
use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use jianan_contracts::inspections as events;
use jianan_entity::enums::ProjectStatus;
use jianan_entity::{account, project, project_participant};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::{RequestInfo, Role};
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::enums::{DrawStatus, HazardLevel, HazardStatus};
use crate::entity::{hazard, random_draw};
use crate::rules::draw::{Candidate, DrawInput, DrawResult, draw};

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
    /// The full draw input with `seed_hex`.
    pub fn with_seed(&self, seed_hex: &str) -> DrawInput {
        DrawInput {
            seed_hex: seed_hex.to_owned(),
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
    /// 公开后完成检查的期限（工作日）(deadline in working days after publication)
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

/// Creates a draw: pools fixed, seed committed.
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
    if !(1..=365).contains(&days) {
        return Err(AppError::bad_input(
            "deadlineWorkingDays",
            "期限应为1到365个工作日",
        ));
    }
    let inspector_ids: BTreeSet<Uuid> = input.inspector_ids.iter().copied().collect();
    let townships = input.township_ids.clone();
    let mut conflicts: Vec<(Uuid, Uuid)> = input
        .conflicts
        .iter()
        .map(|c| (c.inspector_id, c.project_id))
        .collect();

    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    // Inspectors: active accounts holding an inspecting role.
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(inspector_ids.iter().copied()))
        .filter(account::Column::ArchivedAt.is_null())
        .all(&*w)
        .await?;
    let eligible: Vec<&account::Model> = accounts
        .iter()
        .filter(|a| {
            let roles = jianan_registry::service::auth::roles_of(a);
            roles.iter().any(|r| {
                matches!(
                    r,
                    Role::Inspector | Role::DepartmentStaff | Role::Leader | Role::Expert
                )
            })
        })
        .collect();
    if eligible.len() != inspector_ids.len() {
        return Err(AppError::bad_input(
            "inspectorIds",
            "检查人员名录中有账号不存在、已停用或不是检查人员",
        ));
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
    let seed = new_seed();
    let commitment =
        crate::rules::draw::commitment(&seed).map_err(|e| AppError::internal(e.message_zh()))?;
    let model = random_draw::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(title),
        status: Set(DrawStatus::Committed),
        commitment: Set(commitment.clone()),
        seed_hex: Set(seed),
        pools: Set(serde_json::to_string(&pools).map_err(AppError::internal)?),
        labels: Set(serde_json::to_string(&labels).map_err(AppError::internal)?),
        result: Set(None),
        input_hash: Set(None),
        deadline_working_days: Set(days),
        deadline_at: Set(None),
        created_by: Set(who.principal.account_id),
        created_at: Set(Utc::now()),
        drawn_at: Set(None),
        published_at: Set(None),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &*w,
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
    let input = pools_of(&d)?.with_seed(&d.seed_hex);
    let result = draw(&input).map_err(|e| AppError::new(ErrorCode::Conflict, e.message_zh()))?;
    random_draw::ActiveModel {
        id: sea_orm::Unchanged(id),
        status: Set(DrawStatus::Drawn),
        result: Set(Some(
            serde_json::to_string(&result).map_err(AppError::internal)?,
        )),
        input_hash: Set(Some(result.input_hash.clone())),
        drawn_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(&*w)
    .await?;
    audit::record(
        &*w,
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
        &*w,
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

/// The canonical input (with the seed) that anyone re-runs, for a published draw.
pub fn canonical_input(m: &random_draw::Model) -> AppResult<String> {
    Ok(crate::rules::draw::canonical_json(
        &pools_of(m)?.with_seed(&m.seed_hex),
    ))
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

//! Enforcement actions (measure 4 of the plan: 约谈、通报、曝光、诚信扣分、停工、罚款), each with its
//! legal basis and target, published as `inspections.enforcement_issued` for the credit module.
use chrono::{DateTime, Utc};
use jianan_contracts::inspections as events;
use std::collections::HashSet;

use jianan_entity::enums::ProjectStatus;
use jianan_entity::{enterprise, project, project_participant};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::{AppError, AppResult, Kernel, outbox};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enums::EnforcementKind;
use crate::entity::{enforcement_action, penalty_step};
use crate::entity::{hazard, inspection};
use crate::rules::penalty::PenaltyStep;
use jianan_kernel::scope::scoped;

/// Largest deduction one action may carry (a safety-credit year starts from 100 points).
pub const MAX_POINTS: i32 = 100;

/// 下达执法措施 — an enforcement action to issue. Serialised (without the key) to fingerprint an
/// idempotent retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewEnforcementAction {
    /// 措施类型 (kind)
    pub kind: EnforcementKind,
    /// 法律依据（条款原文或文号）(legal basis)
    pub legal_basis: String,
    /// 事实与处理说明 (facts and decision)
    pub description: String,
    /// 对象企业 (target enterprise)
    pub target_enterprise_id: Option<Uuid>,
    /// 对象个人（姓名、岗位）(target person)
    pub target_person: Option<String>,
    /// 所涉项目 (project)
    pub project_id: Option<Uuid>,
    /// 扣分分值（诚信扣分必填）(points, for CREDIT_DEDUCTION)
    pub points: Option<i32>,
    /// 罚款金额（分）(penalty in fen, for PENALTY)
    pub penalty_fen: Option<i64>,
    /// 关联隐患 (linked hazards)
    pub hazard_ids: Vec<Uuid>,
    /// 关联检查 (linked inspections)
    pub inspection_ids: Vec<Uuid>,
    /// 幂等键：重试时返回首次结果且不重复发布事件 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// Issues an enforcement action and publishes it, once per idempotency key.
pub async fn issue(
    k: &Kernel,
    who: &RequestInfo,
    input: NewEnforcementAction,
) -> AppResult<enforcement_action::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "issueEnforcementAction",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let legal_basis = required_text("legalBasis", "法律依据", &input.legal_basis, 2000)?;
    let description = required_text("description", "事实与处理说明", &input.description, 4000)?;
    let target_person = optional_text(
        "targetPerson",
        "对象个人",
        input.target_person.as_deref(),
        100,
    )?;
    let target_enterprise = input.target_enterprise_id;
    if target_enterprise.is_none() && target_person.is_none() {
        return Err(AppError::bad_input(
            "targetEnterpriseId",
            "须指定对象企业或对象个人",
        ));
    }
    let points = match (input.kind, input.points) {
        (EnforcementKind::CreditDeduction, Some(p)) if (1..=MAX_POINTS).contains(&p) => Some(p),
        (EnforcementKind::CreditDeduction, _) => {
            return Err(AppError::bad_input(
                "points",
                format!("诚信扣分须为1到{MAX_POINTS}分"),
            ));
        }
        (_, Some(_)) => return Err(AppError::bad_input("points", "只有诚信扣分填写扣分分值")),
        (_, None) => None,
    };
    let penalty_fen = match (input.kind, input.penalty_fen) {
        (EnforcementKind::Penalty, Some(f)) if f > 0 => Some(f),
        (EnforcementKind::Penalty, _) => {
            return Err(AppError::bad_input(
                "penaltyFen",
                "罚款金额须大于0（单位：分）",
            ));
        }
        (_, Some(_)) => return Err(AppError::bad_input("penaltyFen", "只有罚款填写金额")),
        (_, None) => None,
    };
    let hazards = input.hazard_ids;
    let inspections = input.inspection_ids;
    let project_id = input.project_id;

    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    // Loaded (not only counted) so the event carries the code and name credit keys records by.
    let target = match target_enterprise {
        Some(e) => Some(
            enterprise::Entity::find_by_id(e)
                .one(&*w)
                .await?
                .ok_or_else(|| AppError::bad_input("targetEnterpriseId", "对象企业不存在"))?,
        ),
        None => None,
    };
    let project = match project_id {
        Some(p) => Some(
            project::Entity::find_by_id(p)
                .one(&*w)
                .await?
                .ok_or_else(|| AppError::bad_input("projectId", "项目不存在"))?,
        ),
        None => None,
    };
    let township_id = project.as_ref().map(|p| p.township_id);
    check_links(&*w, target_enterprise, project_id, &hazards, &inspections).await?;
    let action_id = Uuid::now_v7();
    let status_change = match (input.kind, &project) {
        (EnforcementKind::StopWorkOrder | EnforcementKind::ResumeWorkOrder, None) => {
            return Err(AppError::bad_input(
                "projectId",
                "停工整改通知和复工通知须指定项目",
            ));
        }
        (EnforcementKind::StopWorkOrder, Some(p)) => {
            if p.archived_at.is_some() || p.status == ProjectStatus::Completed {
                return Err(AppError::conflict("项目已完工或归档，不能下达停工整改通知"));
            }
            if p.status_hold_id.is_some() {
                return Err(AppError::conflict("项目已处于停工整改中"));
            }
            Some((p.id, ProjectStatus::Suspended, Some(action_id), p.version))
        }
        (EnforcementKind::ResumeWorkOrder, Some(p)) => {
            if p.status_hold_id.is_none() {
                return Err(AppError::conflict("项目未处于停工整改中，无需复工通知"));
            }
            Some((p.id, ProjectStatus::Active, None, p.version))
        }
        _ => None,
    };
    let model = enforcement_action::ActiveModel {
        id: Set(action_id),
        kind: Set(input.kind),
        legal_basis: Set(legal_basis),
        description: Set(description),
        target_enterprise_id: Set(target_enterprise),
        target_person: Set(target_person),
        project_id: Set(project_id),
        township_id: Set(township_id),
        points: Set(points),
        penalty_fen: Set(penalty_fen),
        hazard_ids: Set(serde_json::to_string(&hazards).map_err(AppError::internal)?),
        inspection_ids: Set(serde_json::to_string(&inspections).map_err(AppError::internal)?),
        issued_by: Set(who.principal.account_id),
        issued_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    if let Some((project, status, hold, read)) = status_change {
        let reason = format!("执法措施 {}", model.id);
        jianan_registry::service::project::set_status_held(
            &w, who, project, status, hold, &reason, read,
        )
        .await?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.enforcement.issue", "EnforcementAction", model.id).detail(serde_json::json!({
            "kind": model.kind, "enterprise": model.target_enterprise_id, "points": model.points, "penaltyFen": model.penalty_fen,
        })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::EnforcementIssued {
            action_id: model.id,
            kind: model.kind.into(),
            legal_basis: model.legal_basis.clone(),
            description: model.description.clone(),
            enterprise_id: model.target_enterprise_id,
            enterprise_uscc: target.as_ref().map(|e| e.uscc.clone()),
            enterprise_name: target.map(|e| e.name),
            person: model.target_person.clone(),
            points: model
                .points
                .map(u32::try_from)
                .transpose()
                .map_err(AppError::internal)?,
            penalty_fen: model
                .penalty_fen
                .map(u64::try_from)
                .transpose()
                .map_err(AppError::internal)?,
            project_id: model.project_id,
            township_id: model.township_id,
            hazard_ids: hazards,
            inspection_ids: inspections,
            occurred_at: model.issued_at,
        },
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Linked hazards and inspections must exist and belong to the action's target: on its project
/// when one is named, and on projects the target enterprise takes part in (a hazard's responsible
/// enterprise, when it has one, is the target); the target takes part in the named project.
/// Otherwise an action could cite another enterprise's records.
async fn check_links<C: ConnectionTrait>(
    db: &C,
    target: Option<Uuid>,
    project: Option<Uuid>,
    hazards: &[Uuid],
    inspections: &[Uuid],
) -> AppResult<()> {
    let mut hazard_projects = HashSet::new();
    let mut inspection_projects = HashSet::new();
    let found = hazard::Entity::find()
        .filter(hazard::Column::Id.is_in(hazards.iter().copied()))
        .all(db)
        .await?;
    if found.len() != hazards.iter().collect::<HashSet<_>>().len() {
        return Err(AppError::bad_input("hazardIds", "关联的隐患不存在"));
    }
    for h in &found {
        if project.is_some_and(|p| p != h.project_id)
            || target.is_some_and(|t| h.responsible_enterprise_id.is_some_and(|r| r != t))
        {
            return Err(AppError::bad_input(
                "hazardIds",
                "关联的隐患不属于该对象企业或项目",
            ));
        }
        hazard_projects.insert(h.project_id);
    }
    let found = inspection::Entity::find()
        .filter(inspection::Column::Id.is_in(inspections.iter().copied()))
        .all(db)
        .await?;
    if found.len() != inspections.iter().collect::<HashSet<_>>().len() {
        return Err(AppError::bad_input("inspectionIds", "关联的检查不存在"));
    }
    for i in &found {
        if project.is_some_and(|p| p != i.project_id) {
            return Err(AppError::bad_input(
                "inspectionIds",
                "关联的检查不属于该项目",
            ));
        }
        inspection_projects.insert(i.project_id);
    }
    let Some(target) = target else {
        return Ok(());
    };
    let projects: HashSet<Uuid> = project
        .into_iter()
        .chain(hazard_projects.iter().copied())
        .chain(inspection_projects.iter().copied())
        .collect();
    if projects.is_empty() {
        return Ok(());
    }
    let joined: HashSet<Uuid> = project_participant::Entity::find()
        .filter(project_participant::Column::EnterpriseId.eq(target))
        .filter(project_participant::Column::ProjectId.is_in(projects.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.project_id)
        .collect();
    if let Some(p) = project
        && !joined.contains(&p)
    {
        return Err(AppError::bad_input(
            "targetEnterpriseId",
            "对象企业未参建该项目",
        ));
    }
    for (field, of) in [
        ("hazardIds", &hazard_projects),
        ("inspectionIds", &inspection_projects),
    ] {
        if !of.is_subset(&joined) {
            return Err(AppError::bad_input(
                field,
                "关联的记录不属于该对象企业参建的项目",
            ));
        }
    }
    Ok(())
}

/// Loads an action by id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<enforcement_action::Model> {
    enforcement_action::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("执法措施"))
}

/// 记录处罚程序 — one step of a penalty's procedure to record.
#[derive(Debug, Clone)]
pub struct PenaltyStepRecord {
    pub action_id: Uuid,
    pub step: PenaltyStep,
    /// When it happened, as the documents say.
    pub occurred_at: DateTime<Utc>,
    /// 决定书文号 (DECIDED only).
    pub decision_number: Option<String>,
    /// Amount paid in fen (PAID only; must equal the penalty).
    pub amount_fen: Option<i64>,
    pub note: Option<String>,
}

/// The steps recorded for a penalty, in order.
pub async fn penalty_steps<C: ConnectionTrait>(
    db: &C,
    action_id: Uuid,
) -> AppResult<Vec<penalty_step::Model>> {
    Ok(penalty_step::Entity::find()
        .filter(penalty_step::Column::ActionId.eq(action_id))
        .order_by_asc(penalty_step::Column::RecordedAt)
        .order_by_asc(penalty_step::Column::Id)
        .all(db)
        .await?)
}

/// Records the next step of a penalty's procedure ([`crate::rules::penalty`]): only on a PENALTY,
/// only in the procedure's order, a decision with its document number, a payment of the amount
/// decided. Audited; a refused step writes nothing.
pub async fn record_penalty_step(
    k: &Kernel,
    who: &RequestInfo,
    input: PenaltyStepRecord,
) -> AppResult<penalty_step::Model> {
    if input.occurred_at > Utc::now() + chrono::Duration::minutes(5) {
        return Err(AppError::bad_input(
            "occurredAt",
            "发生时间不能晚于当前时间",
        ));
    }
    let note = optional_text("note", "备注", input.note.as_deref(), 2000)?;
    let decision_number = optional_text(
        "decisionNumber",
        "决定书文号",
        input.decision_number.as_deref(),
        100,
    )?;
    match (input.step, &decision_number) {
        (PenaltyStep::Decided, None) => {
            return Err(AppError::bad_input(
                "decisionNumber",
                "作出处罚决定须填写决定书文号",
            ));
        }
        (PenaltyStep::Decided, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            return Err(AppError::bad_input(
                "decisionNumber",
                "只有作出处罚决定时填写决定书文号",
            ));
        }
    }
    let w = k.db.begin_write().await?;
    let action = scoped::<enforcement_action::Entity>(&who.principal)
        .filter(enforcement_action::Column::Id.eq(input.action_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("执法措施"))?;
    super::policy::penalty_procedure(&who.principal, &action)?;
    match (input.step, input.amount_fen) {
        (PenaltyStep::Paid, Some(paid)) if Some(paid) == action.penalty_fen => {}
        (PenaltyStep::Paid, _) => {
            return Err(AppError::bad_input(
                "amountFen",
                "缴纳金额须与处罚决定的罚款金额一致",
            ));
        }
        (_, Some(_)) => {
            return Err(AppError::bad_input("amountFen", "只有缴纳罚款时填写金额"));
        }
        (_, None) => {}
    }
    let steps = penalty_steps(&*w, action.id).await?;
    let last = steps.last().map(|s| s.step);
    super::policy::penalty_step_order(last, input.step)?;
    if steps
        .last()
        .is_some_and(|s| input.occurred_at < s.occurred_at)
    {
        return Err(AppError::bad_input(
            "occurredAt",
            "发生时间不能早于上一步骤",
        ));
    }
    let model = penalty_step::ActiveModel {
        id: Set(Uuid::now_v7()),
        action_id: Set(action.id),
        step: Set(input.step),
        occurred_at: Set(input.occurred_at),
        decision_number: Set(decision_number),
        amount_fen: Set(input.amount_fen),
        note: Set(note),
        recorded_by: Set(who.principal.account_id),
        recorded_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(
            "inspections.enforcement.penalty_step",
            "EnforcementAction",
            action.id,
        )
        .detail(serde_json::json!({
            "step": model.step, "occurredAt": model.occurred_at,
            "decisionNumber": model.decision_number, "amountFen": model.amount_fen,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

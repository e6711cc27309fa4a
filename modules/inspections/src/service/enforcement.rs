//! Enforcement actions (measure 4 of the plan: 约谈、通报、曝光、诚信扣分、停工、罚款), each with its
//! legal basis and target, published as `inspections.enforcement_issued` for the credit module.
use chrono::Utc;
use jianan_contracts::inspections as events;
use jianan_entity::{enterprise, project};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::{AppError, AppResult, Kernel, outbox};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enforcement_action;
use crate::entity::enums::EnforcementKind;
use crate::entity::hazard;

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
    let township_id = match project_id {
        Some(p) => Some(
            project::Entity::find_by_id(p)
                .one(&*w)
                .await?
                .ok_or_else(|| AppError::bad_input("projectId", "项目不存在"))?
                .township_id,
        ),
        None => None,
    };
    if !hazards.is_empty() {
        let found = hazard::Entity::find()
            .filter(hazard::Column::Id.is_in(hazards.clone()))
            .count(&*w)
            .await?;
        if found != hazards.len() as u64 {
            return Err(AppError::bad_input("hazardIds", "关联的隐患不存在"));
        }
    }
    let model = enforcement_action::ActiveModel {
        id: Set(Uuid::now_v7()),
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
    audit::record(
        &*w,
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

/// Loads an action by id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<enforcement_action::Model> {
    enforcement_action::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("执法措施"))
}

//! Inspections of every kind (measures 1, 3, 4): self-checks (日周月), supervision, double-random,
//! covert, expert and key-period checks, with a server-computed checklist score.
use chrono::{DateTime, Utc};
use jianan_contracts::inspections as events;
use jianan_entity::project;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::obligations::record_evidence;
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use uuid::Uuid;

use super::hazard::{NewHazard, checked_category, insert_reported};
use crate::entity::enums::{HazardLevel, InspectionKind, InspectionResult};
use crate::entity::{checklist_template, inspection};
use crate::perms;
use crate::rules::jgj59::{self, ItemAnswer, Scorecard, SheetAnswer, Template};

/// 检查表条目 — one item's answer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChecklistItem {
    /// 条目序号（模板中的 code）(item code)
    pub item: String,
    /// 扣分（整数分）(points deducted)
    pub deduction: i32,
    /// 缺项（不适用）(not applicable)
    pub not_applicable: bool,
    /// 说明 (note)
    pub note: Option<String>,
}

/// 分项检查评分表 — one sheet's answers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChecklistSheet {
    /// 分项表代码（模板中的 code）(sheet code)
    pub sheet: String,
    /// 整张表不适用（无此项工程）(the whole sheet is not applicable)
    pub not_applicable: bool,
    /// 各条目 (items; unanswered items count as checked without deduction)
    pub items: Vec<ChecklistItem>,
}

/// 检查表 — the checklist of a scored inspection, stored as submitted (camelCase JSON).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Checklist {
    /// 模板代码，如 JGJ59-2011 (template code)
    pub template_code: String,
    /// 模板版本，不填为最新版 (template version; latest when `None`)
    pub template_version: Option<i32>,
    /// 各分项表 (sheets answered; the others are not applicable)
    pub sheets: Vec<ChecklistSheet>,
}

/// 检查中发现的隐患 — a hazard found by the inspection.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundHazard {
    /// 等级 (level)
    pub level: HazardLevel,
    /// 类别代码 (category code)
    pub category: String,
    /// 描述 (description)
    pub description: String,
    /// 部位 (location)
    pub location: String,
}

/// 记录检查 — an inspection to record. Serialised (without the key) to fingerprint an idempotent
/// retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewInspection {
    /// 项目 (project)
    pub project_id: Uuid,
    /// 检查类型 (kind)
    pub kind: InspectionKind,
    /// 检查时间 (when)
    pub inspected_at: DateTime<Utc>,
    /// 纬度（WGS-84）(latitude)
    pub latitude: Option<f64>,
    /// 经度（WGS-84）(longitude)
    pub longitude: Option<f64>,
    /// 检查人员账号 (inspector accounts)
    pub inspector_ids: Vec<Uuid>,
    /// 检查情况 (findings)
    pub findings: String,
    /// 检查结论 (result)
    pub result: InspectionResult,
    /// 检查表（评分检查必填）(the checklist, for a scored inspection)
    pub checklist: Option<Checklist>,
    /// 发现的隐患 (hazards found; reported with the inspection)
    pub hazards: Vec<FoundHazard>,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// Loads a stored template version (the latest when `version` is `None`).
pub async fn template<C: ConnectionTrait>(
    db: &C,
    code: &str,
    version: Option<i32>,
) -> AppResult<(i32, Template)> {
    let mut q =
        checklist_template::Entity::find().filter(checklist_template::Column::Code.eq(code.trim()));
    if let Some(v) = version {
        q = q.filter(checklist_template::Column::Version.eq(v));
    }
    let row = q
        .order_by_desc(checklist_template::Column::Version)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("checklist", "检查表模板不存在"))?;
    let t: Template = serde_json::from_str(&row.body).map_err(AppError::internal)?;
    Ok((row.version, t))
}

fn answers(input: &Checklist) -> AppResult<Vec<SheetAnswer>> {
    input
        .sheets
        .iter()
        .map(|s| {
            Ok(SheetAnswer {
                sheet: s.sheet.clone(),
                not_applicable: s.not_applicable,
                items: s
                    .items
                    .iter()
                    .map(|i| {
                        Ok(ItemAnswer {
                            item: i.item.clone(),
                            deduction: u32::try_from(i.deduction)
                                .map_err(|_| AppError::bad_input("checklist", "扣分不能为负数"))?,
                            not_applicable: i.not_applicable,
                            note: i.note.clone(),
                        })
                    })
                    .collect::<AppResult<Vec<_>>>()?,
            })
        })
        .collect()
}

/// Scores a checklist on the server (JGJ 59 rules, `rules::jgj59::score`).
pub async fn score_checklist<C: ConnectionTrait>(
    db: &C,
    input: &Checklist,
) -> AppResult<(i32, Scorecard)> {
    let (version, t) = template(db, &input.template_code, input.template_version).await?;
    let card = jgj59::score(&t, &answers(input)?)
        .map_err(|e| AppError::bad_input("checklist", e.message_zh()))?;
    Ok((version, card))
}

/// Loads an inspection by id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<inspection::Model> {
    inspection::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("检查"))
}

/// Records an inspection (and the hazards it found).
pub async fn record(
    k: &Kernel,
    who: &RequestInfo,
    input: NewInspection,
) -> AppResult<inspection::Model> {
    let p = &who.principal;
    let needed = if input.kind.is_self_check() {
        perms::SELF_CHECK_RECORD
    } else {
        perms::INSPECTION_RECORD
    };
    p.require(needed)?;
    let key = IdempotencyKey::from_input(
        who,
        "recordInspection",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let project_id = input.project_id;
    let findings = required_text("findings", "检查情况", &input.findings, 4000)?;
    if input.inspected_at > Utc::now() + chrono::Duration::minutes(10) {
        return Err(AppError::bad_input(
            "inspectedAt",
            "检查时间不能晚于当前时间",
        ));
    }
    match (input.latitude, input.longitude) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {}
        (None, None) => {}
        _ => {
            return Err(AppError::bad_input(
                "latitude",
                "定位坐标无效（须同时提供有效的纬度和经度）",
            ));
        }
    }
    let inspectors = input.inspector_ids.clone();
    let hazards = input
        .hazards
        .iter()
        .map(|h| {
            Ok(NewHazard {
                level: h.level,
                category: checked_category(&h.category)?,
                description: required_text("hazards", "隐患描述", &h.description, 2000)?,
                location: required_text("hazards", "具体部位", &h.location, 200)?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let scored = match &input.checklist {
        Some(c) => Some(score_checklist(&k.db.conn, c).await?),
        None => None,
    };

    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let project = scoped::<project::Entity>(p)
        .filter(project::Column::Id.eq(project_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("projectId", "项目不存在或无权查看"))?;
    let covert = input.kind == InspectionKind::Covert;
    let (template_code, template_version, scorecard, score_centi) = match &scored {
        Some((v, card)) => (
            Some(card.template_code.clone()),
            Some(*v),
            Some(serde_json::to_string(card).map_err(AppError::internal)?),
            Some(i32::try_from(card.total_centi).unwrap_or(0)),
        ),
        None => (None, None, None, None),
    };
    let model = inspection::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(project.id),
        township_id: Set(project.township_id),
        kind: Set(input.kind),
        inspected_at: Set(input.inspected_at),
        latitude: Set(input.latitude),
        longitude: Set(input.longitude),
        inspector_ids: Set(serde_json::to_string(&inspectors).map_err(AppError::internal)?),
        findings: Set(findings),
        result: Set(input.result),
        template_code: Set(template_code),
        template_version: Set(template_version),
        answers: Set(input
            .checklist
            .as_ref()
            .map(|c| serde_json::to_string(c).unwrap_or_default())),
        scorecard: Set(scorecard),
        score_centi: Set(score_centi),
        covert: Set(covert),
        published_at: Set(None),
        recorded_by: Set(p.account_id),
        created_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    for h in hazards {
        insert_reported(&*w, who, &project, h, Some(model.id), !covert).await?;
    }
    // Evidence for the obligation engine, in the same transaction as the record.
    use super::obligations as ob;
    if let Some(code) = ob::self_check_obligation(model.kind) {
        record_evidence(
            &*w,
            code,
            project.id,
            model.inspected_at,
            "Inspection",
            model.id,
        )
        .await?;
    }
    if model.kind == InspectionKind::LeadershipSupervision {
        for a in ob::supervisors(&inspectors, p.account_id) {
            record_evidence(
                &*w,
                ob::LEADER_MONTHLY.code,
                a,
                model.inspected_at,
                "Inspection",
                model.id,
            )
            .await?;
        }
    }
    if model.kind == InspectionKind::DepartmentSupervision
        && let Some(unit) = p.org_unit_id
    {
        record_evidence(
            &*w,
            ob::DEPARTMENT_WEEKLY.code,
            unit,
            model.inspected_at,
            "Inspection",
            model.id,
        )
        .await?;
    }
    audit::record(
        &*w,
        who,
        AuditEntry::new("inspections.inspection.record", "Inspection", model.id).detail(serde_json::json!({
            "project": project.code, "kind": model.kind, "score": model.score_centi, "covert": covert,
        })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::InspectionRecorded {
            inspection_id: model.id,
            project_id: model.project_id,
            kind: model.kind.into(),
            inspected_at: model.inspected_at,
            recorded_by: model.recorded_by,
        },
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Publishes a covert inspection: from now on the inspected enterprise sees it and its hazards.
pub async fn publish_covert(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
) -> AppResult<inspection::Model> {
    let w = k.db.begin_write().await?;
    let i = scoped::<inspection::Entity>(&who.principal)
        .filter(inspection::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("检查"))?;
    if !i.covert {
        return Err(AppError::bad_input("id", "只有暗查暗访需要公开"));
    }
    if i.published_at.is_some() {
        return Err(AppError::new(ErrorCode::Conflict, "该暗访已经公开"));
    }
    let now = Utc::now();
    inspection::Entity::update_many()
        .col_expr(inspection::Column::PublishedAt, Expr::value(now))
        .filter(inspection::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    crate::service::hazard::reveal_covert_hazards(&*w, who, id).await?;
    audit::record(
        &*w,
        who,
        AuditEntry::new("inspections.inspection.publish", "Inspection", id),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::CovertInspectionPublished {
            inspection_id: id,
            project_id: i.project_id,
        },
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

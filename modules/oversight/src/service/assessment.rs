//! 风险研判 (plan, measure 2: “在重要时段、重要节点或出现对安全工作有较大影响的新情况、新问题时……
//! 必须组织开展风险研判，细化管控措施，落实责任人员……必须将‘两重两新’安排部署情况纳入安全监管和
//! 监督检查内容”): an assessment for a span of days lists its risks, each with its control
//! measures, the person responsible and a due date (tracked to done), and flags the “两重两新”
//! items that supervision checklists must include while the span lasts.
use chrono::{NaiveDate, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::today;
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::{NewTask, checked_tasks, insert_tasks};
use crate::entity::enums::{AssessmentOccasion, TaskKind};
use crate::entity::{assessment, task};
use crate::graphql::types::ASSESSMENT;
use crate::perms;
use crate::rules::check_span;

/// A risk assessment to record.
#[derive(Debug, Clone, Serialize)]
pub struct NewAssessment {
    pub title: String,
    pub occasion: AssessmentOccasion,
    pub occasion_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub assessed_on: NaiveDate,
    pub summary: Option<String>,
    pub risks: Vec<NewTask>,
}

/// 记录风险研判 (`oversight.assessment.record`): made on a day not after today and not after the
/// span ends; at least one risk, each with measures, level, owner and a due date not before the
/// assessment. The owners are notified.
pub async fn record(
    k: &Kernel,
    who: &RequestInfo,
    input: NewAssessment,
    idempotency_key: Option<&str>,
) -> AppResult<assessment::Model> {
    let p = &who.principal;
    p.require(perms::ASSESSMENT_RECORD)?;
    let me = p.require_account()?;
    let key = IdempotencyKey::from_input(who, "recordRiskAssessment", idempotency_key, &input)?;
    let title = required_text("title", "研判名称", &input.title, 200)?;
    let occasion_name = required_text("occasionName", "时段或节点", &input.occasion_name, 200)?;
    check_span(input.starts_on, input.ends_on).map_err(|(f, m)| AppError::bad_input(f, m))?;
    if input.assessed_on > today() {
        return Err(AppError::bad_input("assessedOn", "研判日期不能晚于今天"));
    }
    if input.assessed_on > input.ends_on {
        return Err(AppError::bad_input(
            "assessedOn",
            "研判应在所研判的时段结束前作出",
        ));
    }
    let summary = optional_text("summary", "研判结论", input.summary.as_deref(), 5000)?;
    if input.risks.is_empty() {
        return Err(AppError::bad_input("risks", "至少列出一项风险及其管控措施"));
    }
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return assessment::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed assessment missing"));
    }
    let risks = checked_tasks(&*w, &input.risks, true, input.assessed_on, "risks").await?;
    let now = Utc::now();
    let model = assessment::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(title.clone()),
        occasion: Set(input.occasion),
        occasion_name: Set(occasion_name),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        assessed_on: Set(input.assessed_on),
        summary: Set(summary.unwrap_or_default()),
        recorded_by: Set(me),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    let flagged = risks.iter().filter(|(t, _)| t.two_key_two_new).count();
    let n = risks.len();
    insert_tasks(&w, who, TaskKind::RiskControl, model.id, &title, risks).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("oversight.assessment.record", ASSESSMENT, model.id).detail(json!({
            "occasion": input.occasion,
            "startsOn": input.starts_on,
            "endsOn": input.ends_on,
            "risks": n,
            "twoKeyTwoNew": flagged,
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// 纳入监督检查的“两重两新”事项: the flagged risks of the assessments whose span covers `on`,
/// still open or not — a supervision visit checks them all while the span lasts — within the
/// caller's scope of assessments, in the order of the assessments and their risks.
pub async fn focus_items<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    on: NaiveDate,
) -> AppResult<Vec<(assessment::Model, task::Model)>> {
    let assessments = scoped::<assessment::Entity>(p)
        .filter(assessment::Column::StartsOn.lte(on))
        .filter(assessment::Column::EndsOn.gte(on))
        .order_by_asc(assessment::Column::StartsOn)
        .order_by_asc(assessment::Column::Id)
        .all(db)
        .await?;
    if assessments.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = assessments.iter().map(|a| a.id).collect();
    let tasks = task::Entity::find()
        .filter(task::Column::AssessmentId.is_in(ids))
        .filter(task::Column::TwoKeyTwoNew.eq(true))
        .order_by_asc(task::Column::Position)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for a in assessments {
        for t in tasks.iter().filter(|t| t.assessment_id == Some(a.id)) {
            out.push((a.clone(), t.clone()));
        }
    }
    Ok(out)
}

//! 危大工程清单与专项方案专家论证 — a project's dangerous sub-projects, each judged "beyond a
//! certain scale" or not by [`crate::rules::dangerous_works`], and the expert review of the
//! special construction scheme of those beyond it: at least five experts, none with an interest
//! in the project (none employed by a participating enterprise), a conclusion, and the signed
//! report attached.
use chrono::Utc;
use jianan_entity::attachment;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::today;
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{
    AssignmentStatus, DangerousWorkKind, Measure, ReviewConclusion, ReviewStatus,
};
use crate::entity::{assignment, dangerous_work, expert, scheme_review};
use crate::perms;
use crate::rules::avoidance::avoidance;
use crate::rules::dangerous_works::{MIN_REVIEW_EXPERTS, beyond_scale};

/// The GraphQL type names.
pub const WORK: &str = "DangerousWork";
pub const REVIEW: &str = "SchemeReview";

impl Versioned for scheme_review::Entity {
    fn id_column() -> scheme_review::Column {
        scheme_review::Column::Id
    }
    fn version_column() -> scheme_review::Column {
        scheme_review::Column::Version
    }
    fn updated_at_column() -> scheme_review::Column {
        scheme_review::Column::UpdatedAt
    }
}

/// What `register_work` needs.
#[derive(Debug, Clone, Serialize)]
pub struct NewWork {
    pub project_id: Uuid,
    pub kind: DangerousWorkKind,
    pub description: String,
    pub measures: Vec<(Measure, f64)>,
    pub idempotency_key: Option<String>,
}

/// The measures of a stored dangerous sub-project.
pub fn measures_of(m: &dangerous_work::Model) -> Vec<(Measure, f64)> {
    serde_json::from_str(&m.measures).unwrap_or_default()
}

/// 登记危大工程 (`experts.dangerous_work.register`): on a project the caller may see; whether it
/// is beyond a certain scale is decided by the thresholds of 建办质〔2018〕31号 附件二.
pub async fn register_work(
    k: &Kernel,
    who: &RequestInfo,
    input: NewWork,
) -> AppResult<dangerous_work::Model> {
    let p = &who.principal;
    p.require(perms::WORK_REGISTER)?;
    let key = IdempotencyKey::from_input(
        who,
        "registerDangerousWork",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let description = required_text("description", "工程概况", &input.description, 1000)?;
    jianan_kernel::validate::at_most("measures", "计量参数", &input.measures, 10)?;
    if input
        .measures
        .iter()
        .any(|(_, v)| !v.is_finite() || *v < 0.0 || *v > 100_000.0)
    {
        return Err(AppError::bad_input(
            "measures",
            "计量参数应为0到100000之间的数",
        ));
    }
    let basis = beyond_scale(input.kind, &input.measures);
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return dangerous_work::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed dangerous work missing"));
    }
    let project = super::visible_project(&*w, p, input.project_id, "projectId").await?;
    let model = dangerous_work::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(project.id),
        township_id: Set(project.township_id),
        kind: Set(input.kind),
        description: Set(description),
        measures: Set(serde_json::to_string(&input.measures).map_err(AppError::internal)?),
        beyond_scale: Set(basis.is_some()),
        basis: Set(basis.map(str::to_owned)),
        created_by: Set(p.account_id),
        created_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.dangerous_work.register", WORK, model.id).detail(json!({
            "project": project.code,
            "kind": input.kind,
            "beyondScale": model.beyond_scale,
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Loads a review by id (no scope).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<scheme_review::Model> {
    scheme_review::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("专项方案论证"))
}

/// 组织专项方案论证 (`experts.review.manage`): only for a dangerous sub-project beyond a certain
/// scale; experts are then drawn or appointed with subject SCHEME_REVIEW.
pub async fn plan(
    k: &Kernel,
    who: &RequestInfo,
    work_id: Uuid,
    scheme_title: &str,
    idempotency_key: Option<&str>,
) -> AppResult<scheme_review::Model> {
    let p = &who.principal;
    p.require(perms::REVIEW_MANAGE)?;
    let key = IdempotencyKey::from_input(
        who,
        "planSchemeReview",
        idempotency_key,
        &(work_id, scheme_title),
    )?;
    let title = required_text("schemeTitle", "专项施工方案名称", scheme_title, 200)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let work = scoped::<dangerous_work::Entity>(p)
        .filter(dangerous_work::Column::Id.eq(work_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("dangerousWorkId", "危大工程不存在或无权查看"))?;
    if !work.beyond_scale {
        return Err(AppError::bad_input(
            "dangerousWorkId",
            "该危大工程未超过一定规模，专项施工方案无需组织专家论证",
        ));
    }
    let now = Utc::now();
    let model = scheme_review::ActiveModel {
        id: Set(Uuid::now_v7()),
        dangerous_work_id: Set(work.id),
        project_id: Set(work.project_id),
        township_id: Set(work.township_id),
        scheme_title: Set(title),
        status: Set(ReviewStatus::Planned),
        conclusion: Set(None),
        opinion: Set(None),
        report_attachment_id: Set(None),
        created_by: Set(p.account_id),
        concluded_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.review.plan", REVIEW, model.id)
            .detail(json!({ "dangerousWork": work.id })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// 登记论证结论 (`experts.review.manage`): refused while fewer than five experts serve on the
/// review, when one of them must recuse (employed by an enterprise now taking part in the
/// project, suspended or retired), or when the signed report is not an attachment of this
/// review. A PASS_AFTER_REVISION or FAIL conclusion needs the panel's opinion.
pub async fn conclude(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    conclusion: ReviewConclusion,
    opinion: Option<&str>,
    report_attachment_id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<scheme_review::Model> {
    let p = &who.principal;
    p.require(perms::REVIEW_MANAGE)?;
    let opinion = optional_text("opinion", "论证意见", opinion, 4000)?;
    if conclusion != ReviewConclusion::Pass && opinion.is_none() {
        return Err(AppError::bad_input(
            "opinion",
            "修改后通过或不通过的，应写明论证意见",
        ));
    }
    let w = k.db.begin_write().await?;
    let r = scoped::<scheme_review::Entity>(p)
        .filter(scheme_review::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("专项方案论证"))?;
    if r.status != ReviewStatus::Planned {
        return Err(AppError::conflict("该论证已登记结论"));
    }
    let serving = assignment::Entity::find()
        .filter(assignment::Column::SubjectId.eq(r.id))
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .all(&*w)
        .await?;
    if serving.len() < MIN_REVIEW_EXPERTS {
        return Err(AppError::conflict(format!(
            "论证专家只有{}人，专家组应由{MIN_REVIEW_EXPERTS}名及以上专家组成",
            serving.len()
        )));
    }
    let experts = expert::Entity::find()
        .filter(expert::Column::Id.is_in(serving.iter().map(|a| a.expert_id)))
        .all(&*w)
        .await?;
    // Serving on this review is not a reason to recuse from it: only the other rules apply.
    let (facts, mut project) = super::facts(&*w, r.project_id, r.id, &experts).await?;
    project.on_subject.clear();
    let date = today();
    for f in &facts {
        if let Some(reason) = avoidance(f, &project, date)
            .filter(|a| *a != crate::entity::enums::Avoidance::RecentlyDrawn)
        {
            let name = experts
                .iter()
                .find(|e| e.id == f.id)
                .map(|e| e.name.clone())
                .unwrap_or_default();
            return Err(AppError::conflict(format!(
                "论证专家{name}应当回避（{}），请先替换",
                super::draw::avoidance_zh(reason)
            )));
        }
    }
    let report = attachment::Entity::find_by_id(report_attachment_id)
        .one(&*w)
        .await?
        .filter(|a| a.owner_type == REVIEW && a.owner_id == r.id);
    if report.is_none() {
        return Err(AppError::bad_input(
            "reportAttachmentId",
            "论证报告须为本次论证已上传的附件",
        ));
    }
    claim_read::<scheme_review::Entity, _>(&*w, id, r.version, expected_version).await?;
    let now = Utc::now();
    scheme_review::Entity::update_many()
        .col_expr(
            scheme_review::Column::Status,
            Expr::value(ReviewStatus::Concluded),
        )
        .col_expr(
            scheme_review::Column::Conclusion,
            Expr::value(Some(conclusion)),
        )
        .col_expr(scheme_review::Column::Opinion, Expr::value(opinion.clone()))
        .col_expr(
            scheme_review::Column::ReportAttachmentId,
            Expr::value(Some(report_attachment_id)),
        )
        .col_expr(scheme_review::Column::ConcludedAt, Expr::value(Some(now)))
        .filter(scheme_review::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.review.conclude", REVIEW, id).detail(json!({
            "conclusion": conclusion,
            "experts": serving.iter().map(|a| a.expert_id).collect::<Vec<_>>(),
            "report": report_attachment_id,
        })),
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

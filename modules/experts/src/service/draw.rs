//! 专家随机抽取与指派 — experts are drawn for a service request or a scheme review on the
//! commit–reveal protocol of [`crate::rules::draw`], after the avoidance rules of
//! [`crate::rules::avoidance`] took the conflicted experts out of the pool; or appointed by name
//! (checked by the same rules). An expert who refuses is replaced by the next expert of the
//! draw's order who may still serve; the refusal and the replacement are both recorded.
use chrono::Utc;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::today;
use jianan_kernel::db::WriteTxn;
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::inbox::{NewNotification, notify};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{
    AssignmentSource, AssignmentStatus, AssignmentSubject, DrawStatus, ExpertStatus, ReviewStatus,
    ServiceRequestStatus, Specialty,
};
use crate::entity::{assignment, draw, expert, scheme_review, service_request};
use crate::perms;
use crate::rules::avoidance::{avoidance, split};
use crate::rules::draw::{DrawDocument, DrawError, canonical_json, commitment_of, order};

/// The GraphQL type names.
pub const DRAW: &str = "ExpertDraw";
pub const ASSIGNMENT: &str = "ExpertAssignment";

impl Versioned for assignment::Entity {
    fn id_column() -> assignment::Column {
        assignment::Column::Id
    }
    fn version_column() -> assignment::Column {
        assignment::Column::Version
    }
    fn updated_at_column() -> assignment::Column {
        assignment::Column::UpdatedAt
    }
}

/// The subject an expert is drawn or appointed for, as the caller sees it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub kind: AssignmentSubject,
    pub id: Uuid,
    pub project_id: Uuid,
    pub township_id: Uuid,
    /// Whether experts may still be added (request not visited, review not concluded).
    pub open: bool,
    /// Experts the subject asks for (a review: the minimum of five).
    pub wanted: usize,
}

/// Loads a subject within the caller's scope: `NOT_FOUND` when it is invisible.
pub async fn subject<C: ConnectionTrait>(
    db: &C,
    who: &RequestInfo,
    kind: AssignmentSubject,
    id: Uuid,
) -> AppResult<Subject> {
    let p = &who.principal;
    match kind {
        AssignmentSubject::ServiceRequest => {
            let r = scoped::<service_request::Entity>(p)
                .filter(service_request::Column::Id.eq(id))
                .one(db)
                .await?
                .ok_or_else(|| AppError::not_found("专家服务申请"))?;
            Ok(Subject {
                kind,
                id,
                project_id: r.project_id,
                township_id: r.township_id,
                open: matches!(
                    r.status,
                    ServiceRequestStatus::Open | ServiceRequestStatus::ExpertsAssigned
                ),
                wanted: usize::try_from(r.expert_count).unwrap_or(1),
            })
        }
        AssignmentSubject::SchemeReview => {
            let r = scoped::<scheme_review::Entity>(p)
                .filter(scheme_review::Column::Id.eq(id))
                .one(db)
                .await?
                .ok_or_else(|| AppError::not_found("专项方案论证"))?;
            Ok(Subject {
                kind,
                id,
                project_id: r.project_id,
                township_id: r.township_id,
                open: r.status == ReviewStatus::Planned,
                wanted: crate::rules::dangerous_works::MIN_REVIEW_EXPERTS,
            })
        }
    }
}

/// Active experts of a specialty, in id order.
async fn pool<C: ConnectionTrait>(db: &C, specialty: Specialty) -> AppResult<Vec<expert::Model>> {
    Ok(expert::Entity::find()
        .filter(
            expert::Column::Specialties.like(format!("%,{},%", super::library::code(&specialty))),
        )
        .filter(expert::Column::Status.ne(ExpertStatus::Retired))
        .order_by_asc(expert::Column::Id)
        .all(db)
        .await?)
}

fn new_seed() -> String {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    hex::encode(seed)
}

/// What `commit` needs.
#[derive(Debug, Clone, Serialize)]
pub struct NewDraw {
    pub subject_type: AssignmentSubject,
    pub subject_id: Uuid,
    pub specialty: Specialty,
    pub count: i32,
    pub idempotency_key: Option<String>,
}

/// Loads a draw by id (no scope).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<draw::Model> {
    draw::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("专家随机抽取"))
}

/// The committed document of a draw.
pub fn document_of(d: &draw::Model) -> AppResult<DrawDocument> {
    serde_json::from_str::<StoredDocument>(&d.document)
        .map(|s| s.0)
        .map_err(AppError::internal)
}

/// The drawn order of a drawn draw.
pub fn order_of(d: &draw::Model) -> AppResult<Option<Vec<Uuid>>> {
    d.result
        .as_deref()
        .map(|r| serde_json::from_str(r).map_err(AppError::internal))
        .transpose()
}

/// The document as stored: the structure (the canonical JSON is recomputed from it).
#[derive(Serialize, serde::Deserialize)]
struct StoredDocument(DrawDocument);

/// 承诺抽取 (`experts.draw.manage`): fixes the pool (experts of the specialty who are not
/// retired), takes the avoided experts out with their reasons, and commits to a fresh seed. The
/// seed stays secret until [`execute`]. Refused when the subject is closed, when a committed
/// draw of the subject waits to be run, or when fewer experts may serve than asked for.
pub async fn commit(k: &Kernel, who: &RequestInfo, input: NewDraw) -> AppResult<draw::Model> {
    let p = &who.principal;
    p.require(perms::DRAW_MANAGE)?;
    let key = IdempotencyKey::from_input(
        who,
        "commitExpertDraw",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let count = u32::try_from(input.count)
        .ok()
        .filter(|c| (1..=20).contains(c))
        .ok_or_else(|| AppError::bad_input("count", "抽取人数应为1到20人"))?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let s = subject(&*w, who, input.subject_type, input.subject_id).await?;
    if !s.open {
        return Err(AppError::conflict("该任务已办理完毕，不能再抽取专家"));
    }
    let pending = draw::Entity::find()
        .filter(draw::Column::SubjectId.eq(s.id))
        .filter(draw::Column::Status.eq(DrawStatus::Committed))
        .one(&*w)
        .await?;
    if pending.is_some() {
        return Err(AppError::conflict("该任务已有待执行的抽取"));
    }
    let experts = pool(&*w, input.specialty).await?;
    let (facts, project) = super::facts(&*w, s.project_id, s.id, &experts).await?;
    let date = today();
    let (eligible, avoided) = split(&facts, &project, date);
    if eligible.len() < count as usize {
        return Err(AppError::bad_input(
            "count",
            format!(
                "该专业可抽取（回避后）的专家只有{}人，不足{}人",
                eligible.len(),
                count
            ),
        ));
    }
    let doc = DrawDocument {
        date,
        subject: s.id,
        project: s.project_id,
        specialty: input.specialty,
        count,
        eligible,
        avoided,
    };
    let seed = new_seed();
    let commitment =
        commitment_of(&seed, &doc).map_err(|e| AppError::internal(format!("{e:?}")))?;
    let model = draw::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(s.project_id),
        township_id: Set(s.township_id),
        subject_type: Set(s.kind),
        subject_id: Set(s.id),
        specialty: Set(input.specialty),
        expert_count: Set(input.count),
        status: Set(DrawStatus::Committed),
        commitment: Set(commitment.clone()),
        seed_hex: Set(seed),
        document: Set(
            serde_json::to_string(&StoredDocument(doc.clone())).map_err(AppError::internal)?
        ),
        result: Set(None),
        draw_date: Set(date),
        created_by: Set(p.account_id),
        created_at: Set(Utc::now()),
        drawn_at: Set(None),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.draw.commit", DRAW, model.id).detail(json!({
            "commitment": commitment,
            "eligible": doc.eligible.len(),
            "avoided": doc.avoided.len(),
            "count": count,
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// The canonical document of a draw, as committed (published once drawn).
pub fn canonical_document(d: &draw::Model) -> AppResult<String> {
    Ok(canonical_json(&document_of(d)?))
}

/// 执行抽取 (`experts.draw.manage`): ranks the committed pool with the committed seed and
/// assigns the first experts of the order who may still serve (avoidance checked again: an
/// expert suspended since the commitment is passed over, and the audit record says so). The seed
/// is published with the order.
pub async fn execute(k: &Kernel, who: &RequestInfo, id: Uuid) -> AppResult<draw::Model> {
    let p = &who.principal;
    p.require(perms::DRAW_MANAGE)?;
    let w = k.db.begin_write().await?;
    let d = scoped::<draw::Entity>(p)
        .filter(draw::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("专家随机抽取"))?;
    if d.status != DrawStatus::Committed {
        return Err(AppError::conflict("该抽取已经执行"));
    }
    let s = subject(&*w, who, d.subject_type, d.subject_id).await?;
    if !s.open {
        return Err(AppError::conflict("该任务已办理完毕，不能再抽取专家"));
    }
    let doc = document_of(&d)?;
    let ranked = order(&d.seed_hex, &doc).map_err(|e| match e {
        DrawError::NotEnough { have, need } => {
            AppError::conflict(format!("可抽取的专家只有{have}人，不足{need}人"))
        }
        DrawError::BadSeed => AppError::internal("stored seed is malformed"),
    })?;
    let now = Utc::now();
    let updated = draw::Entity::update_many()
        .col_expr(draw::Column::Status, Expr::value(DrawStatus::Drawn))
        .col_expr(
            draw::Column::Result,
            Expr::value(Some(
                serde_json::to_string(&ranked).map_err(AppError::internal)?,
            )),
        )
        .col_expr(draw::Column::DrawnAt, Expr::value(Some(now)))
        .filter(draw::Column::Id.eq(id))
        .filter(draw::Column::Status.eq(DrawStatus::Committed))
        .exec(&*w)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("该抽取已经执行"));
    }
    let (picked, passed) = take_next(&*w, &s, &ranked, doc.count as usize).await?;
    for e in &picked {
        insert_assignment(&w, who, &s, e, Some(d.id), AssignmentSource::Drawn).await?;
    }
    mark_assigned(&*w, &s).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.draw.execute", DRAW, id).detail(json!({
            "assigned": picked.iter().map(|e| e.id).collect::<Vec<_>>(),
            "passedOver": passed,
        })),
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

/// The first `n` experts of `ranked` who may serve on `s` now, and those passed over (with the
/// reason).
async fn take_next<C: ConnectionTrait>(
    db: &C,
    s: &Subject,
    ranked: &[Uuid],
    n: usize,
) -> AppResult<(Vec<expert::Model>, Vec<serde_json::Value>)> {
    let experts = expert::Entity::find()
        .filter(expert::Column::Id.is_in(ranked.iter().copied()))
        .all(db)
        .await?;
    let (facts, project) = super::facts(db, s.project_id, s.id, &experts).await?;
    let date = today();
    let mut picked = Vec::new();
    let mut passed = Vec::new();
    for id in ranked {
        if picked.len() >= n {
            break;
        }
        let (Some(f), Some(e)) = (
            facts.iter().find(|f| f.id == *id),
            experts.iter().find(|e| e.id == *id),
        ) else {
            continue;
        };
        match avoidance(f, &project, date) {
            None => picked.push(e.clone()),
            // Already on the subject is the normal case for a replacement: not worth a line.
            Some(crate::entity::enums::Avoidance::AlreadyOnSubject) => {}
            Some(r) => passed.push(json!({ "expert": id, "reason": r })),
        }
    }
    Ok((picked, passed))
}

async fn insert_assignment(
    w: &WriteTxn,
    who: &RequestInfo,
    s: &Subject,
    e: &expert::Model,
    draw_id: Option<Uuid>,
    source: AssignmentSource,
) -> AppResult<assignment::Model> {
    let now = Utc::now();
    let model = assignment::ActiveModel {
        id: Set(Uuid::now_v7()),
        expert_id: Set(e.id),
        expert_account_id: Set(e.account_id),
        project_id: Set(s.project_id),
        township_id: Set(s.township_id),
        subject_type: Set(s.kind),
        subject_id: Set(s.id),
        draw_id: Set(draw_id),
        source: Set(source),
        status: Set(AssignmentStatus::Assigned),
        refusal_reason: Set(None),
        rating: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**w)
    .await?;
    audit::record(
        w,
        who,
        AuditEntry::new("experts.assignment.create", ASSIGNMENT, model.id).detail(json!({
            "expert": e.id,
            "subject": s.id,
            "source": source,
            "draw": draw_id,
        })),
    )
    .await?;
    if let Some(account) = e.account_id {
        notify(
            &**w,
            who,
            NewNotification {
                recipient_id: account,
                kind: "experts.assignment_created".into(),
                title: "新的专家任务".into(),
                body: match s.kind {
                    AssignmentSubject::ServiceRequest => "您被选派参加一次专家服务".into(),
                    AssignmentSubject::SchemeReview => "您被选派参加一次专项施工方案论证".into(),
                },
                subject: Some((ASSIGNMENT.into(), model.id)),
            },
        )
        .await?;
    }
    Ok(model)
}

async fn mark_assigned<C: ConnectionTrait>(db: &C, s: &Subject) -> AppResult<()> {
    if s.kind == AssignmentSubject::ServiceRequest {
        service_request::Entity::update_many()
            .col_expr(
                service_request::Column::Status,
                Expr::value(ServiceRequestStatus::ExpertsAssigned),
            )
            .col_expr(service_request::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(service_request::Column::Id.eq(s.id))
            .filter(service_request::Column::Status.eq(ServiceRequestStatus::Open))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// 指定专家 (`experts.draw.manage`): appoints a named expert, refused on `expertId` when the
/// avoidance rules exclude them (the reason in the message).
pub async fn appoint(
    k: &Kernel,
    who: &RequestInfo,
    kind: AssignmentSubject,
    subject_id: Uuid,
    expert_id: Uuid,
) -> AppResult<assignment::Model> {
    let p = &who.principal;
    p.require(perms::DRAW_MANAGE)?;
    let w = k.db.begin_write().await?;
    let s = subject(&*w, who, kind, subject_id).await?;
    if !s.open {
        return Err(AppError::conflict("该任务已办理完毕，不能再指派专家"));
    }
    let e = scoped::<expert::Entity>(p)
        .filter(expert::Column::Id.eq(expert_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("expertId", "专家不存在"))?;
    let (facts, project) = super::facts(&*w, s.project_id, s.id, std::slice::from_ref(&e)).await?;
    if let Some(r) = facts.first().and_then(|f| avoidance(f, &project, today())) {
        return Err(AppError::bad_input(
            "expertId",
            format!("该专家应当回避：{}", avoidance_zh(r)),
        ));
    }
    let model = insert_assignment(&w, who, &s, &e, None, AssignmentSource::Appointed).await?;
    mark_assigned(&*w, &s).await?;
    w.commit().await?;
    Ok(model)
}

/// The Chinese reason of an avoidance.
pub fn avoidance_zh(r: crate::entity::enums::Avoidance) -> &'static str {
    use crate::entity::enums::Avoidance::*;
    match r {
        Suspended => "已暂停抽取",
        Retired => "已退出专家库",
        EmployedByParticipant => "任职单位参建该项目",
        RecentlyDrawn => "近期已为该项目服务",
        AlreadyOnSubject => "已在本任务中",
    }
}

/// 拒绝任务 (`experts.assignment.refuse`): the expert refuses their own assignment, or the
/// commission records a refusal on their behalf; only while the subject is open. When the
/// assignment came from a draw, the next expert of that draw's order who may serve replaces
/// them (returned second); otherwise nobody does (the commission draws or appoints again).
pub async fn refuse(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    reason: &str,
    expected_version: Option<i32>,
) -> AppResult<(assignment::Model, Option<assignment::Model>)> {
    let p = &who.principal;
    p.require(perms::ASSIGNMENT_REFUSE)?;
    let reason = required_text("reason", "拒绝理由", reason, 500)?;
    let w = k.db.begin_write().await?;
    let a = scoped::<assignment::Entity>(p)
        .filter(assignment::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("专家任务"))?;
    if a.status != AssignmentStatus::Assigned {
        return Err(AppError::conflict("该任务已拒绝"));
    }
    // The subject as the system sees it: an expert's scope already proved the assignment theirs.
    let s = subject(
        &*w,
        &RequestInfo::system("experts"),
        a.subject_type,
        a.subject_id,
    )
    .await?;
    if !s.open {
        return Err(AppError::conflict("该任务已办理完毕，不能再拒绝"));
    }
    claim_read::<assignment::Entity, _>(&*w, id, a.version, expected_version).await?;
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Status,
            Expr::value(AssignmentStatus::Refused),
        )
        .col_expr(
            assignment::Column::RefusalReason,
            Expr::value(Some(reason.clone())),
        )
        .filter(assignment::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.assignment.refuse", ASSIGNMENT, id)
            .detail(json!({ "expert": a.expert_id, "reason": reason })),
    )
    .await?;
    let mut replacement = None;
    if let Some(draw_id) = a.draw_id {
        let d = get(&*w, draw_id).await?;
        let ranked = order_of(&d)?.unwrap_or_default();
        let (picked, passed) = take_next(&*w, &s, &ranked, 1).await?;
        if let Some(e) = picked.first() {
            replacement = Some(
                insert_assignment(&w, who, &s, e, Some(draw_id), AssignmentSource::Replacement)
                    .await?,
            );
        }
        audit::record(
            &w,
            who,
            AuditEntry::new("experts.draw.replace", DRAW, draw_id).detail(json!({
                "refused": a.expert_id,
                "replacement": picked.first().map(|e| e.id),
                "passedOver": passed,
            })),
        )
        .await?;
    }
    let refused = assignment::Entity::find_by_id(id)
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::internal("assignment vanished"))?;
    w.commit().await?;
    Ok((refused, replacement))
}

/// 评价专家工作 (`experts.draw.manage`): a rating from 1 to 5 for an expert who served, once the
/// work is done (the visit recorded, the review concluded); once per assignment.
pub async fn rate(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    rating: i32,
) -> AppResult<assignment::Model> {
    let p = &who.principal;
    p.require(perms::DRAW_MANAGE)?;
    if !(1..=5).contains(&rating) {
        return Err(AppError::bad_input("rating", "评分应为1到5分"));
    }
    let w = k.db.begin_write().await?;
    let a = scoped::<assignment::Entity>(p)
        .filter(assignment::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("专家任务"))?;
    if a.status != AssignmentStatus::Assigned {
        return Err(AppError::conflict("已拒绝的任务不能评价"));
    }
    if a.rating.is_some() {
        return Err(AppError::conflict("该任务已评价"));
    }
    // Done: the request's visit recorded, the review concluded.
    let s = subject(&*w, who, a.subject_type, a.subject_id).await?;
    if s.open {
        return Err(AppError::conflict("服务或论证完成后才能评价"));
    }
    claim_read::<assignment::Entity, _>(&*w, id, a.version, None).await?;
    assignment::Entity::update_many()
        .col_expr(assignment::Column::Rating, Expr::value(Some(rating)))
        .filter(assignment::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.assignment.rate", ASSIGNMENT, id)
            .detail(json!({ "expert": a.expert_id, "rating": rating })),
    )
    .await?;
    let model = assignment::Entity::find_by_id(id)
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::internal("assignment vanished"))?;
    w.commit().await?;
    Ok(model)
}

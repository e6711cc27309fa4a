//! Hazards and their rectification: every transition a permission-checked, audited mutation that
//! publishes an event and notifies the people concerned, in one transaction.
use chrono::Utc;
use futures_util::future::BoxFuture;
use jianan_contracts::DomainEvent;
use jianan_contracts::inspections as events;
use jianan_entity::{account, project};
use jianan_kernel::acting::{Acting, ENTERPRISE_ROLES};
use jianan_kernel::attachments::checked_photos;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::db::WriteTxn;
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::inbox::{NewNotification, notify};
use jianan_kernel::module::ScheduledJob;
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use super::policy::{self, HazardAct};
use super::rectification::{TransitionError, next_status};
use crate::entity::enums::{HazardLevel, HazardStatus, Implementation, RectificationAction};
use crate::entity::{hazard, hazard_implementation, hazard_step};
use crate::perms;
use crate::rules::hazard_class::{Classification, GeneralCategory, classify};
use crate::rules::hazard_criteria::HazardCategory;

impl Versioned for hazard::Entity {
    fn id_column() -> hazard::Column {
        hazard::Column::Id
    }
    fn version_column() -> hazard::Column {
        hazard::Column::Version
    }
    fn updated_at_column() -> hazard::Column {
        hazard::Column::UpdatedAt
    }
}

/// 上报隐患 — a hazard reported on a project. Serialised (without the key) to fingerprint an
/// idempotent retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HazardReport {
    /// 所在项目 (project)
    pub project_id: Uuid,
    /// 隐患等级 (level)
    pub level: HazardLevel,
    /// 隐患类别代码：一般隐患为 JGJ 59 检查项目，重大隐患为判定标准类别（可省略，由条款确定）
    /// (category code: a JGJ 59 item for a general hazard; for a major one the criteria's
    /// category, implied by the criterion)
    pub category: Option<String>,
    /// 重大事故隐患所符合的判定标准条款代码，如 SCAFFOLDING-2 (the condition a major hazard meets)
    pub criterion: Option<String>,
    /// 隐患描述 (description)
    pub description: String,
    /// 具体部位 (location on site)
    pub location: String,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// 交办隐患 — who rectifies a hazard, and by when.
#[derive(Debug, Clone)]
pub struct HazardAssignment {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 整改责任企业 (responsible enterprise; must take part in the project)
    pub responsible_enterprise_id: Uuid,
    /// 整改责任人 (responsible person)
    pub responsible_person: String,
    /// 整改期限（工作日）(deadline in working days)
    pub deadline_working_days: i32,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 作废隐患 — the commission voids a hazard that is not one (reported in error, a duplicate…).
#[derive(Debug, Clone)]
pub struct HazardVoiding {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 作废理由 (reason; required)
    pub reason: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 调整隐患等级 — a commission inspector moves a hazard between general and major.
#[derive(Debug, Clone)]
pub struct HazardReclassification {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 新等级 (the new level; must differ from the current one)
    pub level: HazardLevel,
    /// 新类别：调为一般隐患时的 JGJ 59 检查项目（省略则取最接近的项目）(the general category when made
    /// general; the nearest JGJ 59 item when omitted)
    pub category: Option<String>,
    /// 调为重大隐患时所符合的判定标准条款（必填）(the condition met, required when made major)
    pub criterion: Option<String>,
    /// 调整理由 (reason; required)
    pub reason: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 五落实 — one of the five implementations of a major hazard.
#[derive(Debug, Clone)]
pub struct ImplementationRecord {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 哪一项落实 (which implementation)
    pub kind: Implementation,
    /// 落实内容 (what was put in place)
    pub content: String,
}

/// 整改环节 — a step of the rectification: start, submit, verify or reject.
#[derive(Debug, Clone)]
pub struct RectificationStep {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 说明：整改情况、复查意见或退回理由 (what was done, the verdict, or why it is rejected)
    pub comment: String,
    /// 照片：已上传到该隐患的图片附件 (photos: image attachments uploaded to the hazard)
    pub photo_ids: Vec<Uuid>,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 现场整改 — an enterprise fixed a general hazard of its own self-check on the spot.
#[derive(Debug, Clone)]
pub struct OnSpotFix {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 整改情况 (what was done)
    pub comment: String,
    /// 整改前照片 (before)
    pub before_photo_ids: Vec<Uuid>,
    /// 整改后照片 (after)
    pub after_photo_ids: Vec<Uuid>,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 挂牌督办 — the commission lists a major hazard for supervision.
#[derive(Debug, Clone)]
pub struct SupervisionListing {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 督办单位 (supervising org unit)
    pub supervising_unit_id: Uuid,
    /// 督办期限（北京时间，当日24时止）(deadline date, until 24:00 Beijing time)
    pub deadline: chrono::NaiveDate,
    /// 督办要求 (what is required)
    pub comment: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 申请延期 — the responsible enterprise asks for more working days.
#[derive(Debug, Clone)]
pub struct ExtensionRequest {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 延长的工作日数 (extra working days, 1–60)
    pub extra_working_days: i32,
    /// 理由 (reason)
    pub reason: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 延期审批 — the commission decides a pending extension request.
#[derive(Debug, Clone)]
pub struct ExtensionDecision {
    /// 隐患 (hazard)
    pub hazard_id: Uuid,
    /// 是否批准 (approve?)
    pub approve: bool,
    /// 意见 (comment; required when refusing)
    pub comment: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

/// 整改责任企业 — who may start, submit and record the five implementations of a hazard's
/// rectification: an enterprise account (any enterprise role) of the hazard's responsible
/// enterprise, which must take part in the hazard's project (in any participant role). Seeing the
/// hazard is not enough: the supervision firm (监理) and the other enterprises of the project see
/// it, but the duty to rectify lies with the enterprise it was assigned to (《安全生产法》第四十一条:
/// the production and business unit takes technical and management measures to find and eliminate
/// hazards, 及时发现并消除事故隐患; issue #7 item 1).
pub const RESPONSIBLE_ENTERPRISE: Acting = Acting {
    roles: ENTERPRISE_ROLES,
    participant_roles: &[],
    who: "隐患的整改责任企业人员",
};

/// The accounts of `h`'s responsible enterprise, to notify — none while the hazard is hidden
/// from enterprises (a covert inspection not yet published), so no notification can tell the
/// enterprise of it early.
async fn responsible_recipients<C: ConnectionTrait>(
    txn: &C,
    h: &hazard::Model,
) -> AppResult<Vec<Uuid>> {
    match h.responsible_enterprise_id {
        Some(e) if h.visible_to_enterprise => enterprise_accounts(txn, e).await,
        _ => Ok(Vec::new()),
    }
}

fn refused(e: TransitionError) -> AppError {
    AppError::new(ErrorCode::Conflict, e.message_zh())
}

/// Loads a hazard the caller may see, inside `txn`.
pub async fn visible<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    id: Uuid,
) -> AppResult<hazard::Model> {
    scoped::<hazard::Entity>(&who.principal)
        .filter(hazard::Column::Id.eq(id))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("隐患"))
}

async fn enterprise_accounts<C: ConnectionTrait>(
    txn: &C,
    enterprise_id: Uuid,
) -> AppResult<Vec<Uuid>> {
    Ok(account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::EnterpriseId.eq(enterprise_id))
        .filter(account::Column::ArchivedAt.is_null())
        .into_tuple::<Uuid>()
        .all(txn)
        .await?)
}

async fn step<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    h: &hazard::Model,
    action: RectificationAction,
    to: HazardStatus,
    comment: &str,
) -> AppResult<()> {
    step_with_photos(txn, who, h, action, to, comment, &[]).await
}

async fn step_with_photos<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    h: &hazard::Model,
    action: RectificationAction,
    to: HazardStatus,
    comment: &str,
    photos: &[Uuid],
) -> AppResult<()> {
    hazard_step::ActiveModel {
        id: Set(Uuid::now_v7()),
        hazard_id: Set(h.id),
        action: Set(action),
        from_status: Set(if action == RectificationAction::Report {
            None
        } else {
            Some(h.status)
        }),
        to_status: Set(to),
        actor_id: Set(who.principal.account_id),
        comment: Set(comment.trim().to_owned()),
        at: Set(Utc::now()),
        photo_ids: Set(serde_json::to_string(photos).map_err(AppError::internal)?),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Reports a hazard on a project the caller may see.
pub async fn report(
    k: &Kernel,
    who: &RequestInfo,
    input: HazardReport,
) -> AppResult<hazard::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "reportHazard",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let project_id = input.project_id;
    let class = checked_class(
        input.level,
        input.category.as_deref(),
        input.criterion.as_deref(),
        None,
    )?;
    let description = required_text("description", "隐患描述", &input.description, 2000)?;
    let location = required_text("location", "具体部位", &input.location, 200)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let project = scoped::<project::Entity>(&who.principal)
        .filter(project::Column::Id.eq(project_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("projectId", "项目不存在或无权查看"))?;
    let model = insert_reported(
        &w,
        who,
        &project,
        NewHazard {
            level: input.level,
            class,
            description,
            location,
        },
        None,
        true,
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// A hazard to insert in state REPORTED.
pub struct NewHazard {
    pub level: HazardLevel,
    pub class: Classification,
    pub description: String,
    pub location: String,
}

/// Inserts a reported hazard with its first step, audit record and event, in `txn`.
/// `visible_to_enterprise` is false for hazards of an unpublished covert inspection.
pub async fn insert_reported(
    w: &WriteTxn,
    who: &RequestInfo,
    project: &project::Model,
    h: NewHazard,
    inspection_id: Option<Uuid>,
    visible_to_enterprise: bool,
) -> AppResult<hazard::Model> {
    let txn = &**w;
    let to = next_status(None, RectificationAction::Report, h.level, 0).map_err(refused)?;
    let now = Utc::now();
    let model = hazard::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(project.id),
        township_id: Set(project.township_id),
        inspection_id: Set(inspection_id),
        level: Set(h.level),
        category: Set(h.class.category),
        criterion: Set(h.class.criterion),
        fixed_on_spot: Set(false),
        supervising_unit_id: Set(None),
        supervision_deadline_at: Set(None),
        supervision_listed_at: Set(None),
        accepted_at: Set(None),
        accepted_by: Set(None),
        extension_days: Set(None),
        extension_reason: Set(None),
        extension_requested_at: Set(None),
        description: Set(h.description),
        location: Set(h.location),
        status: Set(to),
        responsible_enterprise_id: Set(None),
        responsible_person: Set(None),
        deadline_working_days: Set(None),
        deadline_at: Set(None),
        visible_to_enterprise: Set(visible_to_enterprise),
        reported_by: Set(who.principal.account_id),
        reported_at: Set(now),
        closed_at: Set(None),
        overdue_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    step(txn, who, &model, RectificationAction::Report, to, "").await?;
    audit::record(
        w,
        who,
        AuditEntry::new("inspections.hazard.report", "Hazard", model.id)
            .detail(serde_json::json!({ "project": project.code, "level": model.level, "category": model.category, "criterion": model.criterion })),
    )
    .await?;
    // A covert inspection's hazard is announced when the inspection is published
    // ([`reveal_covert_hazards`]), so no consumer of the event learns of it early.
    if model.visible_to_enterprise {
        publish_reported(txn, who, &model).await?;
    }
    Ok(model)
}

async fn publish_reported<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    h: &hazard::Model,
) -> AppResult<()> {
    outbox::publish_event(
        txn,
        who,
        &events::HazardReported {
            hazard_id: h.id,
            project_id: h.project_id,
            level: h.level.into(),
            category: h.category.clone(),
        },
    )
    .await?;
    Ok(())
}

/// Makes the hazards of the covert inspection `inspection_id` visible to the inspected
/// enterprise and only now publishes their `inspections.hazard_reported`, in `txn` (called when
/// the inspection is published).
pub async fn reveal_covert_hazards<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    inspection_id: Uuid,
) -> AppResult<()> {
    let hidden = hazard::Entity::find()
        .filter(hazard::Column::InspectionId.eq(inspection_id))
        .filter(hazard::Column::VisibleToEnterprise.eq(false))
        .all(txn)
        .await?;
    hazard::Entity::update_many()
        .col_expr(hazard::Column::VisibleToEnterprise, Expr::value(true))
        .filter(hazard::Column::InspectionId.eq(inspection_id))
        .exec(txn)
        .await?;
    for h in &hidden {
        publish_reported(txn, who, h).await?;
    }
    Ok(())
}

/// Checks a hazard's classification for its level ([`classify`]); errors name the input field,
/// or `field` when given (an inspection's `hazards`).
pub fn checked_class(
    level: HazardLevel,
    category: Option<&str>,
    criterion: Option<&str>,
    field: Option<&str>,
) -> AppResult<Classification> {
    classify(
        level,
        category.map(str::trim).filter(|c| !c.is_empty()),
        criterion.map(str::trim).filter(|c| !c.is_empty()),
    )
    .map_err(|(f, msg)| AppError::bad_input(field.unwrap_or(f), msg))
}

/// Commits a hazard write and returns the hazard as written.
async fn committed(w: WriteTxn, id: Uuid) -> AppResult<hazard::Model> {
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

/// Loads a hazard by id (no scope; callers checked it).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<hazard::Model> {
    hazard::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("隐患"))
}

/// Opens the transaction of a transition: the hazard (in scope), its next status, the version
/// claimed.
async fn begin_transition(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    action: RectificationAction,
    expected_version: Option<i32>,
) -> AppResult<(WriteTxn, hazard::Model, HazardStatus)> {
    let w = k.db.begin_write().await?;
    let h = visible(&*w, who, id).await?;
    // Who may take the step, in the hazard's state: the rule the `viewerCan` flags show.
    let facts = policy::hazard_facts(&*w, &who.principal, &h).await?;
    policy::hazard(&who.principal, HazardAct::Transition(action), &h, facts)?;
    let to =
        next_status(Some(h.status), action, h.level, facts.implementations).map_err(refused)?;
    claim_read::<hazard::Entity, _>(&*w, id, h.version, expected_version).await?;
    Ok((w, h, to))
}

/// Publishes the event of the step `action` taking `h` to `to`.
async fn publish_transition<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    h: &hazard::Model,
    action: RectificationAction,
    to: HazardStatus,
    comment: &str,
) -> AppResult<()> {
    let t = events::HazardTransition {
        hazard_id: h.id,
        project_id: h.project_id,
        level: h.level.into(),
        from: h.status.into(),
        to: to.into(),
    };
    use RectificationAction as A;
    use outbox::publish_event as publish;
    match action {
        A::Report => {
            return Err(AppError::internal(
                "a report is published by insert_reported",
            ));
        }
        A::Reclassify => {
            return Err(AppError::internal(
                "a reclassification is published by reclassify",
            ));
        }
        // Listing, acceptance and extensions change no status; they are audited and notified.
        A::Supervise | A::Accept | A::ExtendRequest | A::ExtendApprove | A::ExtendReject => {
            return Ok(());
        }
        A::FixOnSpot => publish(txn, who, &events::HazardClosed::from(t)).await?,
        A::Assign => publish(txn, who, &events::HazardAssigned::from(t)).await?,
        A::Start => publish(txn, who, &events::RectificationStarted::from(t)).await?,
        A::Submit => publish(txn, who, &events::RectificationSubmitted::from(t)).await?,
        A::Verify => publish(txn, who, &events::HazardClosed::from(t)).await?,
        A::Reject => publish(txn, who, &events::RectificationRejected::from(t)).await?,
        A::Void => {
            let voided = events::HazardVoided {
                hazard_id: h.id,
                project_id: h.project_id,
                level: h.level.into(),
                from: h.status.into(),
                reason: comment.to_owned(),
            };
            publish(txn, who, &voided).await?
        }
    };
    Ok(())
}

/// Sends one notification about hazard `h` to each of `recipients`, in `txn`.
async fn notify_about<C: ConnectionTrait>(
    txn: &C,
    who: &RequestInfo,
    h: &hazard::Model,
    recipients: impl IntoIterator<Item = Uuid>,
    kind: &str,
    title: &str,
    body: &str,
) -> AppResult<()> {
    for recipient_id in recipients {
        notify(
            txn,
            who,
            NewNotification {
                recipient_id,
                kind: kind.to_owned(),
                title: title.to_owned(),
                body: body.to_owned(),
                subject: Some(("Hazard".into(), h.id)),
            },
        )
        .await?;
    }
    Ok(())
}

/// Finishes a transition: status, step, audit, event.
async fn finish_transition(
    w: &WriteTxn,
    who: &RequestInfo,
    h: &hazard::Model,
    action: RectificationAction,
    to: HazardStatus,
    comment: &str,
    photos: &[Uuid],
) -> AppResult<()> {
    hazard::Entity::update_many()
        .col_expr(hazard::Column::Status, Expr::value(to))
        .filter(hazard::Column::Id.eq(h.id))
        .exec(&**w)
        .await?;
    step_with_photos(&**w, who, h, action, to, comment, photos).await?;
    let name = match action {
        RectificationAction::Report => "inspections.hazard.report",
        RectificationAction::Assign => "inspections.hazard.assign",
        RectificationAction::Start => "inspections.hazard.start",
        RectificationAction::Submit => "inspections.hazard.submit",
        RectificationAction::Verify => "inspections.hazard.verify",
        RectificationAction::Reject => "inspections.hazard.reject",
        RectificationAction::Void => "inspections.hazard.void",
        RectificationAction::Reclassify => "inspections.hazard.reclassify",
        RectificationAction::FixOnSpot => "inspections.hazard.fix_on_spot",
        RectificationAction::Supervise => "inspections.hazard.supervise",
        RectificationAction::Accept => "inspections.hazard.accept",
        RectificationAction::ExtendRequest => "inspections.hazard.extension_request",
        RectificationAction::ExtendApprove => "inspections.hazard.extension_approve",
        RectificationAction::ExtendReject => "inspections.hazard.extension_reject",
    };
    audit::record(
        w,
        who,
        AuditEntry::new(name, "Hazard", h.id).detail(
            serde_json::json!({ "from": h.status, "to": to, "comment": comment, "photos": photos.len() }),
        ),
    )
    .await?;
    publish_transition(&**w, who, h, action, to, comment).await
}

/// 交办: the responsible enterprise (a participant of the project), person and deadline in
/// working days; the enterprise's people are notified.
pub async fn assign(
    k: &Kernel,
    who: &RequestInfo,
    input: HazardAssignment,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let enterprise = input.responsible_enterprise_id;
    let person = required_text(
        "responsiblePerson",
        "整改责任人",
        &input.responsible_person,
        50,
    )?;
    let days = u32::try_from(input.deadline_working_days)
        .ok()
        .filter(|d| (1..=365).contains(d))
        .ok_or_else(|| AppError::bad_input("deadlineWorkingDays", "整改期限应为1到365个工作日"))?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Assign,
        input.expected_version,
    )
    .await?;
    let participates = jianan_entity::project_participant::Entity::find()
        .filter(jianan_entity::project_participant::Column::ProjectId.eq(h.project_id))
        .filter(jianan_entity::project_participant::Column::EnterpriseId.eq(enterprise))
        .count(&*w)
        .await?;
    if participates == 0 {
        return Err(AppError::bad_input(
            "responsibleEnterpriseId",
            "整改责任企业须为该项目的参建单位",
        ));
    }
    let deadline = k.calendar().deadline_instant(Utc::now(), days);
    hazard::ActiveModel {
        id: sea_orm::Unchanged(id),
        responsible_enterprise_id: Set(Some(enterprise)),
        responsible_person: Set(Some(person.clone())),
        deadline_working_days: Set(Some(input.deadline_working_days)),
        deadline_at: Set(Some(deadline)),
        ..Default::default()
    }
    .update(&*w)
    .await?;
    let comment = format!("责任人：{person}；期限：{days}个工作日");
    finish_transition(&w, who, &h, RectificationAction::Assign, to, &comment, &[]).await?;
    let assigned = get(&*w, id).await?;
    let recipients = responsible_recipients(&*w, &assigned).await?;
    let body = format!(
        "{}（{}）须在{days}个工作日内整改完毕。",
        h.description, h.location
    );
    notify_about(
        &*w,
        who,
        &h,
        recipients,
        events::HazardAssigned::TOPIC,
        "隐患已交办，请按期整改",
        &body,
    )
    .await?;
    committed(w, id).await
}

/// Records one of the five implementations (replacing an earlier record of the same kind).
pub async fn record_implementation(
    k: &Kernel,
    who: &RequestInfo,
    input: ImplementationRecord,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let content = required_text("content", "落实内容", &input.content, 2000)?;
    let w = k.db.begin_write().await?;
    let h = visible(&*w, who, id).await?;
    let facts = policy::hazard_facts(&*w, &who.principal, &h).await?;
    policy::hazard(&who.principal, HazardAct::RecordImplementation, &h, facts)?;
    hazard_implementation::Entity::delete_many()
        .filter(hazard_implementation::Column::HazardId.eq(id))
        .filter(hazard_implementation::Column::Kind.eq(input.kind))
        .exec(&*w)
        .await?;
    hazard_implementation::ActiveModel {
        hazard_id: Set(id),
        kind: Set(input.kind),
        content: Set(content),
        recorded_by: Set(who.principal.account_id),
        recorded_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    claim_read::<hazard::Entity, _>(&*w, id, h.version, None).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.hazard.implementation", "Hazard", id)
            .detail(serde_json::json!({ "kind": input.kind })),
    )
    .await?;
    committed(w, id).await
}

/// The rectifying enterprise starts work (a major hazard only with its five implementations).
pub async fn start(
    k: &Kernel,
    who: &RequestInfo,
    input: RectificationStep,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Start,
        input.expected_version,
    )
    .await?;
    let photos = checked_photos(&*w, "Hazard", id, &input.photo_ids, "photoIds", 0).await?;
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::Start,
        to,
        &input.comment,
        &photos,
    )
    .await?;
    committed(w, id).await
}

/// The enterprise submits its rectification; the reporter is asked to review it.
pub async fn submit(
    k: &Kernel,
    who: &RequestInfo,
    input: RectificationStep,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let comment = required_text("comment", "整改情况说明", &input.comment, 2000)?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Submit,
        input.expected_version,
    )
    .await?;
    // The rectified site, photographed: at least one photo after rectification.
    let photos = checked_photos(&*w, "Hazard", id, &input.photo_ids, "photoIds", 1).await?;
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::Submit,
        to,
        &comment,
        &photos,
    )
    .await?;
    let body = format!("{}（{}）：{comment}", h.description, h.location);
    let title = "整改已提交，请复查";
    notify_about(
        &*w,
        who,
        &h,
        h.reported_by,
        events::RectificationSubmitted::TOPIC,
        title,
        &body,
    )
    .await?;
    committed(w, id).await
}

/// Verifies the rectification and closes the hazard (销号). A major hazard is closed only by a
/// commission inspector.
pub async fn verify(
    k: &Kernel,
    who: &RequestInfo,
    input: RectificationStep,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Verify,
        input.expected_version,
    )
    .await?;
    let photos = checked_photos(&*w, "Hazard", id, &input.photo_ids, "photoIds", 0).await?;
    hazard::Entity::update_many()
        .col_expr(hazard::Column::ClosedAt, Expr::value(Utc::now()))
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::Verify,
        to,
        &input.comment,
        &photos,
    )
    .await?;
    committed(w, id).await
}

/// Rejects the rectification: back to rectifying, with the reason.
pub async fn reject(
    k: &Kernel,
    who: &RequestInfo,
    input: RectificationStep,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let reason = required_text("comment", "退回理由", &input.comment, 2000)?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Reject,
        input.expected_version,
    )
    .await?;
    let photos = checked_photos(&*w, "Hazard", id, &input.photo_ids, "photoIds", 0).await?;
    // A rejected rectification must be accepted again after it is resubmitted.
    hazard::Entity::update_many()
        .col_expr(
            hazard::Column::AcceptedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(
            hazard::Column::AcceptedBy,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::Reject,
        to,
        &reason,
        &photos,
    )
    .await?;
    let recipients = responsible_recipients(&*w, &h).await?;
    notify_about(
        &*w,
        who,
        &h,
        recipients,
        events::RectificationRejected::TOPIC,
        "整改未通过复查，请继续整改",
        &reason,
    )
    .await?;
    committed(w, id).await
}

/// 作废: the commission (whoever may assign) voids an open hazard with a reason; a major hazard
/// only by a commission inspector, as only they close one. The responsible enterprise, if any
/// and if the hazard is visible to it, is told.
pub async fn void(k: &Kernel, who: &RequestInfo, input: HazardVoiding) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let reason = required_text("reason", "作废理由", &input.reason, 2000)?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Void,
        input.expected_version,
    )
    .await?;
    finish_transition(&w, who, &h, RectificationAction::Void, to, &reason, &[]).await?;
    let recipients = responsible_recipients(&*w, &h).await?;
    notify_about(
        &*w,
        who,
        &h,
        recipients,
        events::HazardVoided::TOPIC,
        "隐患已作废，无需整改",
        &format!("{}（{}）：{reason}", h.description, h.location),
    )
    .await?;
    committed(w, id).await
}

fn level_zh(l: HazardLevel) -> &'static str {
    match l {
        HazardLevel::General => "一般事故隐患",
        HazardLevel::Major => "重大事故隐患",
    }
}

/// 调整等级 (general ↔ major) of an open hazard, with a reason; the status stays. Either way a
/// major hazard is involved, so only a commission inspector may (as only they close one). A
/// hazard made major must still have its five implementations before rectification starts.
pub async fn reclassify(
    k: &Kernel,
    who: &RequestInfo,
    input: HazardReclassification,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let reason = required_text("reason", "调整理由", &input.reason, 2000)?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Reclassify,
        input.expected_version,
    )
    .await?;
    if input.level == h.level {
        return Err(AppError::bad_input(
            "level",
            format!("隐患已是{}", level_zh(h.level)),
        ));
    }
    // Made general without a category: the JGJ 59 item nearest its major-hazard category.
    let nearest = HazardCategory::from_code(&h.category)
        .map(|c| GeneralCategory::nearest(c).code())
        .unwrap_or(GeneralCategory::SafetyManagement.code());
    let category = match (input.level, input.category.as_deref()) {
        (HazardLevel::General, None) => Some(nearest),
        (_, c) => c,
    };
    let class = checked_class(input.level, category, input.criterion.as_deref(), None)?;
    hazard::Entity::update_many()
        .col_expr(hazard::Column::Level, Expr::value(input.level))
        .col_expr(
            hazard::Column::Category,
            Expr::value(class.category.clone()),
        )
        .col_expr(
            hazard::Column::Criterion,
            Expr::value(class.criterion.clone()),
        )
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    let comment = format!("{}→{}：{reason}", level_zh(h.level), level_zh(input.level));
    step(&*w, who, &h, RectificationAction::Reclassify, to, &comment).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("inspections.hazard.reclassify", "Hazard", id).detail(
            serde_json::json!({ "from": h.level, "to": input.level, "status": h.status, "reason": reason,
                "category": class.category, "criterion": class.criterion }),
        ),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::HazardReclassified {
            hazard_id: id,
            project_id: h.project_id,
            from_level: h.level.into(),
            to_level: input.level.into(),
            status: h.status.into(),
            reason: reason.clone(),
        },
    )
    .await?;
    let recipients = responsible_recipients(&*w, &h).await?;
    notify_about(
        &*w,
        who,
        &h,
        recipients,
        events::HazardReclassified::TOPIC,
        "隐患等级已调整",
        &format!("{}（{}）：{comment}", h.description, h.location),
    )
    .await?;
    committed(w, id).await
}

/// Demo only: moves an assigned hazard's deadline to yesterday so the overdue job finds it.
pub async fn backdate_deadline_for_demo(k: &Kernel, id: Uuid) -> AppResult<()> {
    let w = k.db.begin_write().await?;
    hazard::Entity::update_many()
        .col_expr(
            hazard::Column::DeadlineAt,
            Expr::value(Utc::now() - chrono::Duration::days(1)),
        )
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    w.commit().await
}

/// Permission each workflow step needs.
pub fn permission_of(action: RectificationAction) -> &'static str {
    match action {
        RectificationAction::Report => perms::HAZARD_REPORT,
        RectificationAction::Assign => perms::HAZARD_ASSIGN,
        RectificationAction::Start | RectificationAction::Submit => perms::HAZARD_RECTIFY,
        RectificationAction::Verify | RectificationAction::Reject => perms::HAZARD_VERIFY,
        RectificationAction::Void | RectificationAction::Reclassify => perms::HAZARD_ASSIGN,
        RectificationAction::FixOnSpot | RectificationAction::ExtendRequest => {
            perms::HAZARD_RECTIFY
        }
        RectificationAction::Supervise
        | RectificationAction::ExtendApprove
        | RectificationAction::ExtendReject => perms::HAZARD_ASSIGN,
        RectificationAction::Accept => perms::HAZARD_VERIFY,
    }
}

/// 现场整改: a general hazard that an enterprise found in its own self-check and fixed on the
/// spot is closed by that enterprise, with photos before and after; the commission sees it as
/// closed and fixed on the spot. Only the enterprise that recorded the self-check (acting for the
/// project as its contractor, like the self-check's recorder), only while the hazard is REPORTED.
pub async fn fix_on_spot(
    k: &Kernel,
    who: &RequestInfo,
    input: OnSpotFix,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let comment = required_text("comment", "现场整改情况", &input.comment, 2000)?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::FixOnSpot,
        input.expected_version,
    )
    .await?;
    let self_check = match h.inspection_id {
        Some(i) => crate::entity::inspection::Entity::find_by_id(i)
            .one(&*w)
            .await?
            .filter(|i| i.kind.is_self_check()),
        None => None,
    };
    let Some(inspection) = self_check else {
        return Err(AppError::conflict("只有企业自查发现的一般隐患可以现场整改"));
    };
    // The recorder's enterprise: the self-check was recorded by one of its accounts.
    let recorder_enterprise = match inspection.recorded_by {
        Some(a) => account::Entity::find_by_id(a)
            .one(&*w)
            .await?
            .and_then(|a| a.enterprise_id),
        None => None,
    };
    match recorder_enterprise {
        Some(e) => {
            ON_SPOT_FIXER
                .require(&*w, &who.principal, e, h.project_id)
                .await?
        }
        None => {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "只有开展自查的企业人员可以现场整改",
            ));
        }
    }
    let before = checked_photos(
        &*w,
        "Hazard",
        id,
        &input.before_photo_ids,
        "beforePhotoIds",
        1,
    )
    .await?;
    let after = checked_photos(
        &*w,
        "Hazard",
        id,
        &input.after_photo_ids,
        "afterPhotoIds",
        1,
    )
    .await?;
    if before.iter().any(|b| after.contains(b)) {
        return Err(AppError::bad_input(
            "afterPhotoIds",
            "整改前后的照片不能是同一张",
        ));
    }
    let now = Utc::now();
    hazard::Entity::update_many()
        .col_expr(hazard::Column::ClosedAt, Expr::value(now))
        .col_expr(hazard::Column::FixedOnSpot, Expr::value(true))
        .col_expr(
            hazard::Column::ResponsibleEnterpriseId,
            Expr::value(recorder_enterprise),
        )
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    let photos: Vec<Uuid> = before.iter().chain(&after).copied().collect();
    let comment = format!(
        "{comment}（整改前照片{}张，整改后照片{}张）",
        before.len(),
        after.len()
    );
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::FixOnSpot,
        to,
        &comment,
        &photos,
    )
    .await?;
    committed(w, id).await
}

/// Who may fix a self-check hazard on the spot: an account of the enterprise that recorded the
/// self-check, taking part in the project (any enterprise role).
pub const ON_SPOT_FIXER: Acting = Acting {
    roles: ENTERPRISE_ROLES,
    participant_roles: &[],
    who: "开展该次自查的企业人员",
};

/// 挂牌督办: a commission inspector lists an open major hazard for supervision by an org unit (the
/// commission, one of its departments, or a township or street) until a deadline. Listing again
/// replaces the unit and deadline (audited). The responsible enterprise is told.
pub async fn supervise(
    k: &Kernel,
    who: &RequestInfo,
    input: SupervisionListing,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let comment = required_text("comment", "督办要求", &input.comment, 2000)?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Supervise,
        input.expected_version,
    )
    .await?;
    let unit = jianan_entity::org_unit::Entity::find_by_id(input.supervising_unit_id)
        .one(&*w)
        .await?
        .filter(|u| u.archived_at.is_none())
        .ok_or_else(|| AppError::bad_input("supervisingUnitId", "督办单位不存在"))?;
    use jianan_entity::enums::OrgUnitKind as K;
    if !matches!(
        unit.kind,
        K::Commission | K::Department | K::Township | K::Street
    ) {
        return Err(AppError::bad_input(
            "supervisingUnitId",
            "督办单位应为委机关、委内科室或乡镇（街道）",
        ));
    }
    let deadline = jianan_kernel::calendar::end_of_local_day_utc(input.deadline);
    if deadline <= Utc::now() {
        return Err(AppError::bad_input("deadline", "督办期限应晚于今天"));
    }
    hazard::Entity::update_many()
        .col_expr(hazard::Column::SupervisingUnitId, Expr::value(unit.id))
        .col_expr(hazard::Column::SupervisionDeadlineAt, Expr::value(deadline))
        .col_expr(hazard::Column::SupervisionListedAt, Expr::value(Utc::now()))
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    let comment = format!(
        "督办单位：{}；督办期限：{}；{comment}",
        unit.name, input.deadline
    );
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::Supervise,
        to,
        &comment,
        &[],
    )
    .await?;
    let recipients = responsible_recipients(&*w, &h).await?;
    notify_about(
        &*w,
        who,
        &h,
        recipients,
        "inspections.hazard_supervised",
        "重大事故隐患已挂牌督办",
        &format!("{}（{}）：{comment}", h.description, h.location),
    )
    .await?;
    committed(w, id).await
}

/// 销号验收: a commission inspector accepts the submitted rectification of a listed major hazard
/// on site, with photos; only then may it be closed (VERIFY). A rejection clears the acceptance.
pub async fn accept(
    k: &Kernel,
    who: &RequestInfo,
    input: RectificationStep,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let comment = required_text("comment", "验收意见", &input.comment, 2000)?;
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::Accept,
        input.expected_version,
    )
    .await?;
    let photos = checked_photos(&*w, "Hazard", id, &input.photo_ids, "photoIds", 1).await?;
    hazard::Entity::update_many()
        .col_expr(hazard::Column::AcceptedAt, Expr::value(Utc::now()))
        .col_expr(
            hazard::Column::AcceptedBy,
            Expr::value(who.principal.account_id),
        )
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::Accept,
        to,
        &comment,
        &photos,
    )
    .await?;
    committed(w, id).await
}

/// 申请延期: the responsible enterprise asks for 1–60 more working days while it holds the hazard,
/// before the deadline has passed, one request at a time. The reporter is asked to decide.
pub async fn request_extension(
    k: &Kernel,
    who: &RequestInfo,
    input: ExtensionRequest,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let reason = required_text("reason", "延期理由", &input.reason, 2000)?;
    if !(1..=60).contains(&input.extra_working_days) {
        return Err(AppError::bad_input(
            "extraWorkingDays",
            "延长期限应为1到60个工作日",
        ));
    }
    let (w, h, to) = begin_transition(
        k,
        who,
        id,
        RectificationAction::ExtendRequest,
        input.expected_version,
    )
    .await?;
    hazard::Entity::update_many()
        .col_expr(
            hazard::Column::ExtensionDays,
            Expr::value(input.extra_working_days),
        )
        .col_expr(hazard::Column::ExtensionReason, Expr::value(reason.clone()))
        .col_expr(
            hazard::Column::ExtensionRequestedAt,
            Expr::value(Utc::now()),
        )
        .filter(hazard::Column::Id.eq(id))
        .exec(&*w)
        .await?;
    let comment = format!("申请延长{}个工作日：{reason}", input.extra_working_days);
    finish_transition(
        &w,
        who,
        &h,
        RectificationAction::ExtendRequest,
        to,
        &comment,
        &[],
    )
    .await?;
    notify_about(
        &*w,
        who,
        &h,
        h.reported_by,
        "inspections.hazard_extension_requested",
        "整改延期申请，请审批",
        &format!("{}（{}）：{comment}", h.description, h.location),
    )
    .await?;
    committed(w, id).await
}

/// 延期审批: whoever may assign hazards approves (the deadline moves by the requested working days,
/// counted from the current deadline, and an overdue mark is lifted if the new deadline is still
/// ahead) or refuses (with a reason) a pending request. The enterprise is told.
pub async fn decide_extension(
    k: &Kernel,
    who: &RequestInfo,
    input: ExtensionDecision,
) -> AppResult<hazard::Model> {
    let id = input.hazard_id;
    let action = if input.approve {
        RectificationAction::ExtendApprove
    } else {
        RectificationAction::ExtendReject
    };
    let comment = if input.approve {
        input.comment.trim().to_owned()
    } else {
        required_text("comment", "不批准的理由", &input.comment, 2000)?
    };
    let (w, h, to) = begin_transition(k, who, id, action, input.expected_version).await?;
    // The policy checked that a request is pending.
    let days = h.extension_days.unwrap_or(0);
    let mut update = hazard::Entity::update_many()
        .col_expr(
            hazard::Column::ExtensionDays,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(
            hazard::Column::ExtensionReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            hazard::Column::ExtensionRequestedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(hazard::Column::Id.eq(id));
    let note = if input.approve {
        let from = h.deadline_at.unwrap_or_else(Utc::now);
        let days_u = u32::try_from(days).unwrap_or(0);
        let deadline = k.calendar().deadline_instant(from, days_u);
        update = update
            .col_expr(hazard::Column::DeadlineAt, Expr::value(deadline))
            .col_expr(
                hazard::Column::DeadlineWorkingDays,
                Expr::value(h.deadline_working_days.unwrap_or(0) + days),
            );
        if deadline > Utc::now() {
            update = update.col_expr(
                hazard::Column::OverdueAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            );
        }
        format!(
            "批准延长{days}个工作日，新期限{}",
            jianan_kernel::calendar::to_shanghai(deadline).format("%Y-%m-%d %H:%M")
        )
    } else {
        format!("不批准延期：{comment}")
    };
    update.exec(&*w).await?;
    let full = if input.approve && !comment.is_empty() {
        format!("{note}；{comment}")
    } else {
        note
    };
    finish_transition(&w, who, &h, action, to, &full, &[]).await?;
    let recipients = responsible_recipients(&*w, &h).await?;
    notify_about(
        &*w,
        who,
        &h,
        recipients,
        "inspections.hazard_extension_decided",
        if input.approve {
            "整改延期已批准"
        } else {
            "整改延期未获批准"
        },
        &format!("{}（{}）：{full}", h.description, h.location),
    )
    .await?;
    committed(w, id).await
}

/// Marks hazards whose deadline passed while the responsible enterprise still holds them
/// ([`super::rectification::enterprise_is_late`]; not those submitted and waiting for
/// verification), once each, and publishes
/// `inspections.hazard_overdue` (and notifies the enterprise and the reporter).
pub async fn mark_overdue(k: &Kernel) -> AppResult<usize> {
    let who = RequestInfo::system("scheduler");
    let now = Utc::now();
    let due = hazard::Entity::find()
        .filter(hazard::Column::Status.is_in(super::rectification::ENTERPRISE_HOLDS))
        .filter(hazard::Column::DeadlineAt.lt(now))
        .filter(hazard::Column::OverdueAt.is_null())
        .limit(500)
        .all(&k.db.conn)
        .await?;
    let mut n = 0;
    for h in due {
        let Some(deadline_at) = h.deadline_at else {
            continue; // not reached: the query asked for a deadline in the past
        };
        let w = k.db.begin_write().await?;
        // Claim it: a second scheduler (another instance) finds nothing left to mark.
        let claimed = hazard::Entity::update_many()
            .col_expr(hazard::Column::OverdueAt, Expr::value(now))
            .filter(hazard::Column::Id.eq(h.id))
            .filter(hazard::Column::OverdueAt.is_null())
            .exec(&*w)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        audit::record(
            &w,
            &who,
            AuditEntry::new("inspections.hazard.overdue", "Hazard", h.id),
        )
        .await?;
        outbox::publish_event(
            &*w,
            &who,
            &events::HazardOverdue {
                hazard_id: h.id,
                project_id: h.project_id,
                level: h.level.into(),
                deadline_at,
            },
        )
        .await?;
        let mut recipients = responsible_recipients(&*w, &h).await?;
        recipients.extend(h.reported_by);
        let body = format!("{}（{}）超过整改期限仍未销号。", h.description, h.location);
        notify_about(
            &*w,
            &who,
            &h,
            recipients,
            events::HazardOverdue::TOPIC,
            "隐患整改已逾期",
            &body,
        )
        .await?;
        w.commit().await?;
        n += 1;
    }
    Ok(n)
}

/// The scheduled job around [`mark_overdue`].
pub struct OverdueJob {
    /// How often it runs (`[modules.inspections] overdue_scan_seconds`).
    pub every: std::time::Duration,
}

impl ScheduledJob for OverdueJob {
    fn name(&self) -> &'static str {
        "inspections.hazard_overdue"
    }
    fn every(&self) -> std::time::Duration {
        self.every
    }
    fn run<'a>(&'a self, kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { mark_overdue(kernel).await.map(|_| ()) })
    }
}

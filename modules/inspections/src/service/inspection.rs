//! Inspections of every kind (measures 1, 3, 4): self-checks (日周月), supervision, double-random,
//! covert, expert and key-period checks, with a server-computed checklist score.
use chrono::{DateTime, Utc};
use jianan_contracts::inspections as events;
use jianan_entity::enums::{OrgUnitKind, ParticipantRole};
use jianan_entity::{account, org_unit, project};
use jianan_kernel::acting::Acting;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::{Period, PeriodKind};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::obligations::record_evidence;
use jianan_kernel::principal::{Principal, RequestInfo, Role};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, Kernel, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::hazard::{NewHazard, checked_class, insert_reported};
use crate::entity::enums::{HazardLevel, InspectionKind, InspectionResult};
use crate::entity::{checklist_template, inspection, inspection_participant};
use crate::perms;
use crate::rules::jgj59::{self, ItemAnswer, Scorecard, SheetAnswer, Template};

/// 检查表条目 — one item's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// 类别代码：一般隐患为 JGJ 59 检查项目，重大隐患可省略 (category code: a JGJ 59 item for a
    /// general hazard; optional for a major one)
    pub category: Option<String>,
    /// 重大事故隐患所符合的判定标准条款代码 (the condition a major hazard meets)
    pub criterion: Option<String>,
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
    /// 所执行的双随机抽查任务（双随机检查必填，其他类型不填）(the draw assignment a DOUBLE_RANDOM
    /// inspection carries out; required for that kind, refused for the others)
    pub draw_assignment: Option<super::draw::AssignmentRef>,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// Every DOUBLE_RANDOM inspection carries out one assignment of a draw, on that assignment's
/// project; no other kind names one (issue #7 item 6). Refused on `drawAssignment`, or on
/// `projectId` when the projects differ.
fn check_draw_assignment(input: &NewInspection) -> AppResult<()> {
    match (input.kind, input.draw_assignment) {
        (InspectionKind::DoubleRandom, None) => Err(AppError::bad_input(
            "drawAssignment",
            "双随机检查须注明所执行的抽查任务（抽查和抽中的项目）",
        )),
        (InspectionKind::DoubleRandom, Some(a)) if a.project_id != input.project_id => Err(
            AppError::bad_input("projectId", "检查的项目与所执行的抽查任务的项目不一致"),
        ),
        (InspectionKind::DoubleRandom, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => Err(AppError::bad_input(
            "drawAssignment",
            "只有双随机检查可以关联抽查任务",
        )),
    }
}

/// The enterprises that do a project's construction and so owe its self-checks: the general
/// contractor and its subcontractors (《工作方案》三、（三）; the plan puts the duty on the
/// construction enterprise's people, not on the supervision firm or the developer).
const BUILDERS: &[ParticipantRole] = &[ParticipantRole::Contractor, ParticipantRole::Subcontractor];

/// 日检 — the contractor's (or subcontractor's) full-time safety managers (项目专职安全员每日).
pub const DAILY_RECORDER: Acting = Acting {
    roles: &[Role::EnterpriseSafetyManager],
    participant_roles: BUILDERS,
    who: "施工单位（含分包单位）的专职安全员",
};
/// 周检 — the contractor's project leader (项目负责人每周).
pub const WEEKLY_RECORDER: Acting = Acting {
    roles: &[Role::EnterpriseProjectLeader],
    participant_roles: BUILDERS,
    who: "施工单位的项目负责人",
};
/// 月检 — the contractor's enterprise managers (企业每月).
pub const MONTHLY_RECORDER: Acting = Acting {
    roles: &[Role::EnterpriseManager],
    participant_roles: BUILDERS,
    who: "施工单位的企业负责人",
};

/// Who may record a self-check of `kind` (None for the commission's kinds).
pub fn self_check_recorder(kind: InspectionKind) -> Option<&'static Acting> {
    match kind {
        InspectionKind::SafetyManagerDaily => Some(&DAILY_RECORDER),
        InspectionKind::ProjectLeaderWeekly => Some(&WEEKLY_RECORDER),
        InspectionKind::EnterpriseMonthly => Some(&MONTHLY_RECORDER),
        _ => None,
    }
}

/// The roles an inspector of the commission's kinds may hold: the leadership group, department
/// and township staff, enforcement inspectors and invited experts.
const COMMISSION_INSPECTOR_ROLES: &[Role] = &[
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
    Role::TownshipStaff,
    Role::Expert,
];

fn roles_of(a: &account::Model) -> Vec<Role> {
    jianan_kernel::principal::roles_of(a)
}

/// Checks `inspectorIds`: each an existing, active person account of a fitting role — for a
/// self-check, a person of the recording enterprise; otherwise a commission role (see
/// [`COMMISSION_INSPECTOR_ROLES`]). Refused as `BAD_USER_INPUT` on `inspectorIds`.
async fn checked_inspectors<C: ConnectionTrait>(
    db: &C,
    kind: InspectionKind,
    enterprise: Option<Uuid>,
    ids: &[Uuid],
) -> AppResult<Vec<account::Model>> {
    let mut wanted = ids.to_vec();
    wanted.sort();
    wanted.dedup();
    if wanted.len() != ids.len() {
        return Err(AppError::bad_input("inspectorIds", "检查人员重复"));
    }
    let found = account::Entity::find()
        .filter(account::Column::Id.is_in(wanted.iter().copied()))
        .all(db)
        .await?;
    for id in &wanted {
        let fits = found.iter().find(|a| a.id == *id).is_some_and(|a| {
            a.archived_at.is_none()
                && a.kind == jianan_entity::enums::AccountKind::Person
                && if kind.is_self_check() {
                    enterprise.is_some() && a.enterprise_id == enterprise
                } else {
                    roles_of(a)
                        .iter()
                        .any(|r| COMMISSION_INSPECTOR_ROLES.contains(r))
                }
        });
        if !fits {
            let need = if kind.is_self_check() {
                "本企业人员"
            } else {
                "委、部门、乡镇的检查人员或专家"
            };
            return Err(AppError::bad_input(
                "inspectorIds",
                format!("检查人员须为在用的{need}账号"),
            ));
        }
    }
    Ok(found)
}

/// Credits an account's part in a supervision (measure 1): a leader's monthly supervision to the
/// leader, a department's weekly one to the department the account belongs to. Only an account
/// that holds the duty is credited; the caller makes sure it took part (recorder or confirmed).
async fn credit_supervision<C: ConnectionTrait>(
    db: &C,
    i: &inspection::Model,
    account_id: Uuid,
    roles: &[Role],
    org_unit_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use super::obligations as ob;
    // A closed period's compliance never changes: a late record, or a confirmation made after
    // the period ended, credits nobody.
    let end = Period::containing_instant(period_kind(i.kind), i.inspected_at).end_utc();
    if i.late || now >= end {
        return Ok(());
    }
    match i.kind {
        InspectionKind::LeadershipSupervision if roles.contains(&Role::Leader) => {
            record_evidence(
                db,
                ob::LEADER_MONTHLY.code,
                account_id,
                i.inspected_at,
                "Inspection",
                i.id,
            )
            .await
        }
        InspectionKind::DepartmentSupervision => {
            let Some(unit) = org_unit_id else {
                return Ok(());
            };
            let department = org_unit::Entity::find_by_id(unit)
                .filter(org_unit::Column::Kind.eq(OrgUnitKind::Department))
                .one(db)
                .await?;
            let credited = jianan_entity::obligation_evidence::Entity::find()
                .filter(
                    jianan_entity::obligation_evidence::Column::Obligation
                        .eq(ob::DEPARTMENT_WEEKLY.code),
                )
                .filter(jianan_entity::obligation_evidence::Column::SubjectId.eq(unit))
                .filter(jianan_entity::obligation_evidence::Column::RecordId.eq(i.id))
                .one(db)
                .await?;
            if department.is_none() || credited.is_some() {
                return Ok(());
            }
            record_evidence(
                db,
                ob::DEPARTMENT_WEEKLY.code,
                unit,
                i.inspected_at,
                "Inspection",
                i.id,
            )
            .await
        }
        _ => Ok(()),
    }
}

/// The recorder's own credit.
async fn credit_recorder<C: ConnectionTrait>(
    db: &C,
    i: &inspection::Model,
    p: &Principal,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(me) = p.account_id else {
        return Ok(());
    };
    credit_supervision(db, i, me, &p.roles, p.org_unit_id, now).await
}

/// The period an inspection of `kind` belongs to: the period of the duty it serves (日检 a day,
/// 周检 and department supervision a week, 月检 and leaders' supervision a month); kinds that
/// serve no periodic duty (double-random, covert, expert, key-period) are judged by their day.
pub fn period_kind(kind: InspectionKind) -> PeriodKind {
    match kind {
        InspectionKind::ProjectLeaderWeekly | InspectionKind::DepartmentSupervision => {
            PeriodKind::Week
        }
        InspectionKind::EnterpriseMonthly | InspectionKind::LeadershipSupervision => {
            PeriodKind::Month
        }
        _ => PeriodKind::Day,
    }
}

/// Clock skew tolerated between a field device and the server for `inspectedAt`.
pub const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(10);

/// Whether a record made `now` for `inspected_at` is on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Recorded while its period is open: counts for its period.
    OnTime,
    /// Recorded after its period closed, within the grace window: kept, shown as late, never
    /// counted for the closed period.
    Late,
}

/// The time rule (issue #7 item 2): `inspectedAt` may not be in the future (beyond
/// [`CLOCK_SKEW`]); a record whose period (see [`period_kind`]) has ended is late, and refused
/// once more than `grace` has passed since the period ended (periods in Asia/Shanghai,
/// `kernel::calendar`). The error is the Chinese message for `inspectedAt`.
pub fn timeliness(
    kind: InspectionKind,
    inspected_at: DateTime<Utc>,
    now: DateTime<Utc>,
    grace: chrono::Duration,
) -> Result<Timeliness, String> {
    if inspected_at > now + CLOCK_SKEW {
        return Err("检查时间不能晚于当前时间".into());
    }
    let end = Period::containing_instant(period_kind(kind), inspected_at).end_utc();
    if now < end {
        Ok(Timeliness::OnTime)
    } else if now <= end + grace {
        Ok(Timeliness::Late)
    } else {
        Err(format!(
            "检查时间所在周期已于{}结束，超过{}天补录宽限期，不能再录入",
            jianan_kernel::calendar::to_shanghai(end).format("%Y-%m-%d %H:%M"),
            grace.num_days()
        ))
    }
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

/// The stored templates: the latest version of each (of `code` only, when given), or version
/// `version` of `code`; in code order. Empty when there is none.
pub async fn templates<C: ConnectionTrait>(
    db: &C,
    code: Option<&str>,
    version: Option<i32>,
) -> AppResult<Vec<(i32, Template)>> {
    let mut q = checklist_template::Entity::find();
    if let Some(c) = code {
        q = q.filter(checklist_template::Column::Code.eq(c.trim()));
    }
    if let Some(v) = version {
        if code.is_none() {
            return Err(AppError::bad_input(
                "version",
                "指定版本时须同时指定模板代码",
            ));
        }
        q = q.filter(checklist_template::Column::Version.eq(v));
    }
    let rows = q
        .order_by_asc(checklist_template::Column::Code)
        .order_by_desc(checklist_template::Column::Version)
        .all(db)
        .await?;
    let mut out: Vec<(i32, Template)> = Vec::new();
    let mut last_code: Option<String> = None;
    for row in rows {
        if last_code.as_deref() == Some(row.code.as_str()) {
            continue; // an older version of the template just taken
        }
        let t: Template = serde_json::from_str(&row.body).map_err(AppError::internal)?;
        last_code = Some(row.code);
        out.push((row.version, t));
    }
    Ok(out)
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
    let answers = answers(input)?;
    let card = jgj59::require_guaranteed_answered(&t, &answers)
        .and_then(|()| jgj59::score(&t, &answers))
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

/// Records an inspection (and the hazards it found), now.
pub async fn record(
    k: &Kernel,
    who: &RequestInfo,
    input: NewInspection,
) -> AppResult<inspection::Model> {
    record_as_of(k, who, input, Utc::now()).await
}

/// Records an inspection as if at `now` (its `recordedAt`): the server passes the current time;
/// the demo replays a history recorded when it happened, and tests a fixed moment.
pub async fn record_as_of(
    k: &Kernel,
    who: &RequestInfo,
    input: NewInspection,
    now: DateTime<Utc>,
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
    check_draw_assignment(&input)?;
    let findings = required_text("findings", "检查情况", &input.findings, 4000)?;
    let grace = chrono::Duration::days(i64::from(
        crate::InspectionsModule::settings_of(k).late_grace_days,
    ));
    let late = timeliness(input.kind, input.inspected_at, now, grace)
        .map_err(|m| AppError::bad_input("inspectedAt", m))?
        == Timeliness::Late;
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
                class: checked_class(
                    h.level,
                    h.category.as_deref(),
                    h.criterion.as_deref(),
                    Some("hazards"),
                )?,
                description: required_text("hazards", "隐患描述", &h.description, 2000)?,
                location: required_text("hazards", "具体部位", &h.location, 200)?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let scored = match &input.checklist {
        Some(c) => Some(score_checklist(&k.db.conn, c).await?),
        None => None,
    };
    if let Some((_, card)) = &scored
        && card.rating.requires_rectification()
        && input.result == InspectionResult::NoProblem
    {
        return Err(AppError::bad_input(
            "result",
            "检查评定为不合格（JGJ 59-2011 第5.0.3条须限期整改），检查结论不能为“未发现问题”",
        ));
    }

    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let project = scoped::<project::Entity>(p)
        .filter(project::Column::Id.eq(project_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("projectId", "项目不存在或无权查看"))?;
    // Self-checks are the owing enterprise's: the supervision firm sees the site but does not
    // record the contractor's self-checks (kernel::acting).
    let enterprise = match self_check_recorder(input.kind) {
        Some(rule) => Some(rule.require_enterprise(&*w, p, project.id).await?),
        None => None,
    };
    checked_inspectors(&*w, input.kind, enterprise, &inspectors).await?;
    if let Some(a) = input.draw_assignment {
        super::draw::check_assignment(&*w, p, a, &inspectors, input.inspected_at).await?;
    }
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
        created_at: Set(now),
        late: Set(late),
    }
    .insert(&*w)
    .await?;
    if let Some(a) = input.draw_assignment {
        super::draw::link_inspection(&*w, a, model.id, now).await?;
    }
    for h in hazards {
        insert_reported(&w, who, &project, h, Some(model.id), !covert).await?;
    }
    // Evidence for the obligation engine, in the same transaction as the record.
    use super::obligations as ob;
    if let Some(code) = ob::self_check_obligation(model.kind)
        && !model.late
    {
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
    // Supervision credits the recorder now and each listed inspector once they confirm.
    credit_recorder(&*w, &model, p, now).await?;
    if let Some((_, card)) = &scored {
        let days = crate::InspectionsModule::settings_of(k).reinspection_working_days;
        let due = k.calendar().deadline_instant(model.inspected_at, days);
        follow_up_scored(&*w, &model, card.rating.requires_rectification(), due, now).await?;
    }
    audit::record(
        &w,
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

/// 复查 (JGJ 59-2011 §5.0.3: a failing site is rectified within a time limit until it passes): a
/// scored inspection carries out the project's open re-inspection owed by its side (the
/// commission's for a commission inspection, the enterprise's for a self-check), and, when it is
/// rated 不合格 itself, calls for a new one due at `due`. In the caller's transaction; nobody is
/// notified here (a covert inspection's failure must not reach the enterprise before it is
/// published; the duty is read on the inspection and in `reinspectionsDue`, within scope).
async fn follow_up_scored<C: ConnectionTrait>(
    txn: &C,
    model: &inspection::Model,
    failed: bool,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use crate::entity::reinspection as r;
    let by_commission = !model.kind.is_self_check();
    r::Entity::update_many()
        .col_expr(r::Column::FulfilledInspectionId, Expr::value(model.id))
        .col_expr(r::Column::FulfilledAt, Expr::value(now))
        .filter(r::Column::ProjectId.eq(model.project_id))
        .filter(r::Column::ByCommission.eq(by_commission))
        .filter(r::Column::FulfilledAt.is_null())
        .filter(r::Column::FailedInspectionId.ne(model.id))
        .exec(txn)
        .await?;
    if failed {
        r::ActiveModel {
            failed_inspection_id: Set(model.id),
            project_id: Set(model.project_id),
            by_commission: Set(by_commission),
            due_at: Set(due),
            fulfilled_inspection_id: Set(None),
            fulfilled_at: Set(None),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The listed inspectors of an inspection, in the order recorded.
pub fn inspector_ids(i: &inspection::Model) -> Vec<Uuid> {
    serde_json::from_str(&i.inspector_ids).unwrap_or_default()
}

/// 确认参加检查 — a listed inspector confirms, in person, that they took part. Only then does the
/// inspection count for their supervision duty (measure 1): a township account listing the
/// leader does not credit the leader until the leader confirms.
pub async fn confirm_participation(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
) -> AppResult<inspection::Model> {
    let p = &who.principal;
    let me = p.require_account()?;
    let w = k.db.begin_write().await?;
    let i = scoped::<inspection::Entity>(p)
        .filter(inspection::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("检查"))?;
    let done: Vec<Uuid> = confirmed(&*w, id)
        .await?
        .into_iter()
        .map(|c| c.account_id)
        .collect();
    super::policy::confirm_participation(p, &i, &done)?;
    inspection_participant::ActiveModel {
        id: Set(Uuid::now_v7()),
        inspection_id: Set(id),
        account_id: Set(me),
        confirmed_at: Set(Utc::now()),
    }
    .insert(&*w)
    .await?;
    credit_supervision(&*w, &i, me, &p.roles, p.org_unit_id, Utc::now()).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(
            "inspections.inspection.confirm_participation",
            "Inspection",
            id,
        ),
    )
    .await?;
    w.commit().await?;
    Ok(i)
}

/// The accounts that confirmed their part in each of `ids`.
pub async fn confirmed<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> AppResult<Vec<inspection_participant::Model>> {
    Ok(inspection_participant::Entity::find()
        .filter(inspection_participant::Column::InspectionId.eq(id))
        .order_by_asc(inspection_participant::Column::ConfirmedAt)
        .all(db)
        .await?)
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
    super::policy::publish_covert(&who.principal, &i)?;
    let now = Utc::now();
    // Only while unpublished: of two concurrent publications, one publishes, one gets CONFLICT.
    let updated = inspection::Entity::update_many()
        .col_expr(inspection::Column::PublishedAt, Expr::value(now))
        .filter(inspection::Column::Id.eq(id))
        .filter(inspection::Column::PublishedAt.is_null())
        .exec(&*w)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("该暗访已经公开"));
    }
    crate::service::hazard::reveal_covert_hazards(&*w, who, id).await?;
    audit::record(
        &w,
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_default()
    }
    const DAILY: InspectionKind = InspectionKind::SafetyManagerDaily;

    #[test]
    fn a_daily_check_is_on_time_until_local_midnight_then_late_for_the_grace_days() {
        let grace = chrono::Duration::days(3);
        // 2026-11-18 10:00 in Shanghai (02:00Z); the day ends 2026-11-19 00:00 +08:00 = 18th 16:00Z.
        let checked = at(2026, 11, 18, 2, 0);
        assert_eq!(
            timeliness(DAILY, checked, at(2026, 11, 18, 15, 59), grace),
            Ok(Timeliness::OnTime)
        );
        assert_eq!(
            timeliness(DAILY, checked, at(2026, 11, 18, 16, 0), grace),
            Ok(Timeliness::Late)
        );
        // end + 3 days = 2026-11-21 16:00Z: still late; a minute on, refused.
        assert_eq!(
            timeliness(DAILY, checked, at(2026, 11, 21, 16, 0), grace),
            Ok(Timeliness::Late)
        );
        let refused = timeliness(DAILY, checked, at(2026, 11, 21, 16, 1), grace).unwrap_err();
        assert!(refused.contains("2026-11-19 00:00"), "{refused}");
        assert!(refused.contains("3天"), "{refused}");
    }

    #[test]
    fn a_monthly_check_two_months_back_is_refused_and_the_future_only_within_the_skew() {
        let grace = chrono::Duration::days(3);
        // October ends 2026-11-01 00:00 +08:00 = 2026-10-31 16:00Z.
        let october = at(2026, 10, 5, 2, 0);
        let kind = InspectionKind::EnterpriseMonthly;
        assert_eq!(
            timeliness(kind, october, at(2026, 11, 2, 0, 0), grace),
            Ok(Timeliness::Late)
        );
        assert!(timeliness(kind, october, at(2026, 12, 2, 0, 0), grace).is_err());
        let now = at(2026, 12, 2, 6, 0);
        assert_eq!(
            timeliness(DAILY, now + chrono::Duration::minutes(9), now, grace),
            Ok(Timeliness::OnTime)
        );
        assert_eq!(
            timeliness(DAILY, now + chrono::Duration::minutes(11), now, grace),
            Err("检查时间不能晚于当前时间".to_owned())
        );
        // No grace: late only at the very instant the period ends.
        assert!(timeliness(DAILY, at(2026, 12, 1, 2, 0), now, chrono::Duration::zero()).is_err());
    }

    #[test]
    fn each_kind_is_judged_by_the_period_of_its_duty() {
        assert_eq!(period_kind(DAILY), PeriodKind::Day);
        assert_eq!(
            period_kind(InspectionKind::ProjectLeaderWeekly),
            PeriodKind::Week
        );
        assert_eq!(
            period_kind(InspectionKind::DepartmentSupervision),
            PeriodKind::Week
        );
        assert_eq!(
            period_kind(InspectionKind::EnterpriseMonthly),
            PeriodKind::Month
        );
        assert_eq!(
            period_kind(InspectionKind::LeadershipSupervision),
            PeriodKind::Month
        );
        assert_eq!(period_kind(InspectionKind::Covert), PeriodKind::Day);
    }
}

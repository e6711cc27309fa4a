//! Reports: filing (anonymous or named, or entered by staff), following by receipt code, the
//! questions between handlers and the reporter, and the handling workflow with its deadlines.
use chrono::{DateTime, Duration, Utc};
use futures_util::future::BoxFuture;
use jianan_contracts::rewards as contract;
use jianan_entity::{account, org_unit, project};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::module::ScheduledJob;
use jianan_kernel::principal::{Principal, PrincipalKind, RequestInfo};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel, outbox};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::secrets::{self, DUMMY_HASH};
use super::workflow::{ReportAction, next_status};
use crate::RewardsModule;
use crate::entity::enums::{ReportCategory, ReportChannel, ReportStatus, Verdict};
use crate::entity::{message, report};
use crate::perms;

/// Longest description, answer or question (characters).
pub const MAX_TEXT: usize = 2000;

/// What a reporter (or staff on their behalf) files.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub category: ReportCategory,
    pub channel: ReportChannel,
    pub description: String,
    pub township_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub address: String,
    pub observed_at: Option<DateTime<Utc>>,
    /// The reporter's name, if they give one (sealed, never stored in clear).
    pub reporter_name: Option<String>,
    /// How to reach the reporter, if they give it (sealed, never stored in clear).
    pub reporter_contact: Option<String>,
}

/// What the reporter is given, once.
pub struct Receipt {
    pub report: report::Model,
    /// As shown: groups of four joined by `-`.
    pub receipt_code: String,
    pub passphrase: String,
}

/// The identity sealed on a report.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    pub name: Option<String>,
    pub contact: Option<String>,
}

/// The request as the audit trail may see it: an anonymous caller's address is dropped here
/// already, whatever the audit writer would do.
pub(crate) fn discreet(who: &RequestInfo) -> RequestInfo {
    if who.principal.kind == PrincipalKind::Anonymous {
        RequestInfo {
            principal: who.principal.clone(),
            request_id: who.request_id.clone(),
            client_addr: None,
        }
    } else {
        who.clone()
    }
}

/// The one refusal for a wrong code, an unknown code or a wrong passphrase.
pub fn receipt_refused() -> AppError {
    AppError::new(ErrorCode::NotFound, "回执码或查询密码不正确")
}

/// Files a report. Anyone may file through the web or the mobile app (rate-limited per client
/// address, which is hashed in memory and never stored); hotline, letter and visit reports are
/// entered by staff holding `rewards.report.enter`.
pub async fn submit(k: &Kernel, who: &RequestInfo, input: NewReport) -> AppResult<Receipt> {
    let module = RewardsModule::of(k)?;
    let p = &who.principal;
    if input.channel.entered_by_staff() {
        p.require(perms::REPORT_ENTER)?;
    } else if !p.can(perms::REPORT_ENTER) {
        module
            .submissions
            .hit(&module.address_key(who.client_addr.as_deref()))?;
    }
    let description = required_text("description", "举报内容", &input.description, MAX_TEXT)?;
    let address = required_text("address", "地点", &input.address, 200)?;
    let name = optional_text("reporterName", "姓名", input.reporter_name.as_deref(), 50)?;
    let contact = optional_text(
        "reporterContact",
        "联系方式",
        input.reporter_contact.as_deref(),
        100,
    )?;
    let now = Utc::now();
    if input
        .observed_at
        .is_some_and(|t| t > now + Duration::minutes(5))
    {
        return Err(AppError::bad_input("observedAt", "发现时间不能晚于现在"));
    }
    let (project_id, township_id) = match input.project_id {
        Some(pid) => {
            let pr = project::Entity::find_by_id(pid)
                .one(&k.db.conn)
                .await?
                .ok_or_else(|| AppError::bad_input("projectId", "项目不存在"))?;
            (Some(pr.id), Some(pr.township_id))
        }
        None => match input.township_id {
            Some(tid) => {
                org_unit::Entity::find_by_id(tid)
                    .one(&k.db.conn)
                    .await?
                    .ok_or_else(|| AppError::bad_input("townshipId", "乡镇（街道）不存在"))?;
                (None, Some(tid))
            }
            None => (None, None),
        },
    };
    let id = Uuid::now_v7();
    let named = name.is_some() || contact.is_some();
    let sealed = if named {
        let key = module.identity_key(k)?;
        let plain = serde_json::to_vec(&Identity { name, contact }).map_err(AppError::internal)?;
        Some((key.seal(id, &plain)?, key.id))
    } else {
        None
    };
    let code = secrets::new_receipt_code();
    let passphrase = secrets::new_passphrase();
    let normalised = secrets::normalise_passphrase(&passphrase);
    let hash = module
        .hashing
        .run(move || secrets::hash_passphrase(&normalised))
        .await??;
    let accept_due_at = k
        .calendar()
        .deadline_instant(now, module.settings.accept_working_days);
    let entered_by = input
        .channel
        .entered_by_staff()
        .then_some(p.account_id)
        .flatten();
    let (identity_ciphertext, identity_key_id) = match sealed {
        Some((c, kid)) => (Some(c), Some(kid)),
        None => (None, None),
    };
    let who = discreet(who);
    let w = k.db.begin_write().await?;
    let model = report::ActiveModel {
        id: Set(id),
        receipt_code: Set(code.clone()),
        passphrase_hash: Set(hash),
        category: Set(input.category),
        channel: Set(input.channel),
        description: Set(description),
        township_id: Set(township_id),
        project_id: Set(project_id),
        address: Set(address),
        observed_at: Set(input.observed_at),
        status: Set(ReportStatus::Submitted),
        pseudonym: Set(secrets::pseudonym(id)),
        named: Set(named),
        identity_ciphertext: Set(identity_ciphertext),
        identity_key_id: Set(identity_key_id),
        entered_by: Set(entered_by),
        accept_due_at: Set(accept_due_at),
        verify_due_at: Set(None),
        rejection_reason: Set(None),
        verifier_id: Set(None),
        verdict: Set(None),
        findings: Set(None),
        accept_overdue_at: Set(None),
        verify_overdue_at: Set(None),
        duplicate_of: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        accepted_at: Set(None),
        verified_at: Set(None),
        closed_at: Set(None),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        &who,
        AuditEntry::new("rewards.report.submit", "RewardReport", id).detail(json!({
            "channel": model.channel,
            "category": model.category,
            "named": named,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(Receipt {
        report: model,
        receipt_code: secrets::display_code(&code),
        passphrase,
    })
}

/// The report behind a receipt code and passphrase. A malformed code, an unknown code and a
/// wrong passphrase are refused alike ([`receipt_refused`]) and cost the same Argon2 hash;
/// attempts are limited per client address and overall.
pub async fn by_receipt(
    k: &Kernel,
    who: &RequestInfo,
    code: &str,
    passphrase: &str,
) -> AppResult<report::Model> {
    let module = RewardsModule::of(k)?;
    let addr = module.address_key(who.client_addr.as_deref());
    module.receipt_global.hit("*")?;
    if let Err(e) = module.receipt_per_address.hit(&addr) {
        module.receipt_global.forgive("*");
        return Err(e);
    }
    let row = match secrets::normalise_code(code) {
        Some(c) => {
            report::Entity::find()
                .filter(report::Column::ReceiptCode.eq(c))
                .one(&k.db.conn)
                .await?
        }
        None => None,
    };
    let hash = row
        .as_ref()
        .map(|r| r.passphrase_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let typed = secrets::normalise_passphrase(passphrase);
    let ok = module
        .hashing
        .run(move || secrets::verify_passphrase(&hash, &typed))
        .await?;
    match row {
        Some(r) if ok => {
            module.receipt_per_address.forgive(&addr);
            module.receipt_global.forgive("*");
            Ok(r)
        }
        _ => Err(receipt_refused()),
    }
}

/// The messages of a report, oldest first.
pub async fn messages<C: ConnectionTrait>(
    db: &C,
    report_id: Uuid,
) -> AppResult<Vec<message::Model>> {
    Ok(message::Entity::find()
        .filter(message::Column::ReportId.eq(report_id))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await?)
}

/// A report the caller may see, for a change (the scope decides; `NOT_FOUND` otherwise).
pub(crate) async fn visible<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<report::Model> {
    scoped::<report::Entity>(p)
        .filter(report::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("举报"))
}

/// A handler's question to the reporter (`rewards.report.handle`), shown to the reporter through
/// the receipt code. Not on a closed or rejected report.
pub async fn ask(
    k: &Kernel,
    who: &RequestInfo,
    report_id: Uuid,
    body: &str,
) -> AppResult<report::Model> {
    who.principal.require(perms::REPORT_HANDLE)?;
    let body = required_text("body", "问题", body, MAX_TEXT)?;
    let w = k.db.begin_write().await?;
    let r = visible(&*w, &who.principal, report_id).await?;
    if matches!(r.status, ReportStatus::Closed | ReportStatus::Rejected) {
        return Err(AppError::conflict("举报已办结或不予受理，不能再提问"));
    }
    insert_message(&*w, r.id, false, who.principal.account_id, body).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("rewards.report.ask", "RewardReport", r.id),
    )
    .await?;
    w.commit().await?;
    Ok(r)
}

/// The reporter's answer, through the receipt code and passphrase: only once the commission has
/// asked something, and not on a closed or rejected report.
pub async fn answer(
    k: &Kernel,
    who: &RequestInfo,
    code: &str,
    passphrase: &str,
    body: &str,
) -> AppResult<report::Model> {
    let r = by_receipt(k, who, code, passphrase).await?;
    let body = required_text("body", "回复", body, MAX_TEXT)?;
    if matches!(r.status, ReportStatus::Closed | ReportStatus::Rejected) {
        return Err(AppError::conflict("举报已办结或不予受理，不能再回复"));
    }
    let who = discreet(who);
    let w = k.db.begin_write().await?;
    let asked = messages(&*w, r.id).await?.iter().any(|m| !m.from_reporter);
    if !asked {
        return Err(AppError::conflict("委里尚未提问，暂不能回复"));
    }
    insert_message(&*w, r.id, true, None, body).await?;
    audit::record(
        &w,
        &who,
        AuditEntry::new("rewards.report.answer", "RewardReport", r.id),
    )
    .await?;
    w.commit().await?;
    Ok(r)
}

async fn insert_message<C: ConnectionTrait>(
    db: &C,
    report_id: Uuid,
    from_reporter: bool,
    author_id: Option<Uuid>,
    body: String,
) -> AppResult<()> {
    message::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(report_id),
        from_reporter: Set(from_reporter),
        author_id: Set(author_id),
        body: Set(body),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A step of the handling workflow, with what it needs.
#[derive(Debug, Clone)]
pub enum Step {
    /// 受理: the verification deadline starts.
    Accept,
    /// 不予受理, with the reason the reporter will read.
    Reject { reason: String },
    /// 指派核查人: an account holding `rewards.report.verify`.
    Assign { verifier_id: Uuid },
    /// 核查结论 (by the assigned verifier only), with the project it concerns (when the report
    /// did not name it) and the hazards found there, which inspections opens.
    Verify {
        verdict: Verdict,
        findings: String,
        project_id: Option<Uuid>,
        hazards: Vec<contract::FoundHazard>,
    },
    /// 办结
    Close,
}

impl Step {
    fn action(&self) -> ReportAction {
        match self {
            Step::Accept => ReportAction::Accept,
            Step::Reject { .. } => ReportAction::Reject,
            Step::Assign { .. } => ReportAction::Assign,
            Step::Verify { .. } => ReportAction::Verify,
            Step::Close => ReportAction::Close,
        }
    }
    fn audit_action(&self) -> &'static str {
        match self {
            Step::Accept => "rewards.report.accept",
            Step::Reject { .. } => "rewards.report.reject",
            Step::Assign { .. } => "rewards.report.assign",
            Step::Verify { .. } => "rewards.report.verify",
            Step::Close => "rewards.report.close",
        }
    }
}

/// Most hazards one verification may ask inspections to open.
pub const MAX_FOUND_HAZARDS: usize = 20;

/// Checks the hazards a verifier found: a general category of the shared list
/// (`GENERAL_HAZARD_CATEGORIES`, JGJ 59-2011 表A), a description and a place; none for a false
/// report.
fn checked_hazards(
    verdict: Verdict,
    hazards: Vec<contract::FoundHazard>,
) -> AppResult<Vec<contract::FoundHazard>> {
    if verdict == Verdict::False && !hazards.is_empty() {
        return Err(AppError::bad_input("hazards", "核查不属实的举报不立隐患"));
    }
    if hazards.len() > MAX_FOUND_HAZARDS {
        return Err(AppError::bad_input(
            "hazards",
            format!("一次核查最多立{MAX_FOUND_HAZARDS}项隐患"),
        ));
    }
    hazards
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            if !jianan_contracts::inspections::GENERAL_HAZARD_CATEGORIES
                .contains(&h.category.as_str())
            {
                return Err(AppError::bad_input(
                    format!("hazards.{i}.category"),
                    "隐患类别应为《建筑施工安全检查标准》（JGJ 59-2011）的检查项目之一",
                ));
            }
            Ok(contract::FoundHazard {
                category: h.category,
                description: required_text(
                    &format!("hazards.{i}.description"),
                    "隐患描述",
                    &h.description,
                    500,
                )?,
                location: required_text(
                    &format!("hazards.{i}.location"),
                    "隐患部位",
                    &h.location,
                    200,
                )?,
            })
        })
        .collect()
}

/// Moves a report one step. Checks everything before the first write: the permission, the state
/// (and `expected_version`, when the client sends the version it decided on), the verifier; a
/// refused step writes nothing. Of two concurrent steps on one report exactly one succeeds; the
/// other gets `CONFLICT`. A substantiated verdict publishes `rewards.report_verified` in the same
/// transaction.
pub async fn advance(
    k: &Kernel,
    who: &RequestInfo,
    report_id: Uuid,
    step: Step,
    expected_version: Option<i32>,
) -> AppResult<report::Model> {
    let module = RewardsModule::of(k)?;
    let p = &who.principal;
    match &step {
        Step::Verify { .. } => p.require(perms::REPORT_VERIFY)?,
        _ => p.require(perms::REPORT_HANDLE)?,
    }
    let step = match step {
        Step::Reject { reason } => Step::Reject {
            reason: required_text("reason", "不予受理理由", &reason, 500)?,
        },
        Step::Verify {
            verdict,
            findings,
            project_id,
            hazards,
        } => Step::Verify {
            verdict,
            findings: required_text("findings", "核查情况", &findings, MAX_TEXT)?,
            project_id,
            hazards: checked_hazards(verdict, hazards)?,
        },
        other => other,
    };
    let w = k.db.begin_write().await?;
    let r = visible(&*w, p, report_id).await?;
    let to = next_status(r.status, step.action())?;
    let now = Utc::now();
    let mut am: report::ActiveModel = r.clone().into();
    let mut detail = json!({ "from": r.status, "to": to });
    match &step {
        Step::Accept => {
            am.accepted_at = Set(Some(now));
            am.verify_due_at = Set(Some(
                now + Duration::days(i64::from(module.settings.verify_days)),
            ));
        }
        Step::Reject { reason } => {
            am.accepted_at = Set(Some(now));
            am.rejection_reason = Set(Some(reason.clone()));
            detail["reason"] = json!(reason);
        }
        Step::Assign { verifier_id } => {
            let verifier = account::Entity::find_by_id(*verifier_id)
                .one(&*w)
                .await?
                .filter(|a| a.archived_at.is_none())
                .ok_or_else(|| AppError::bad_input("verifierId", "核查人账号不存在"))?;
            let roles = jianan_kernel::principal::roles_of(&verifier);
            if !k
                .tokens
                .permissions()
                .permissions_of(&roles)
                .contains(perms::REPORT_VERIFY)
            {
                return Err(AppError::bad_input("verifierId", "该账号无核查举报的权限"));
            }
            am.verifier_id = Set(Some(verifier.id));
            detail["verifier"] = json!(verifier.username);
        }
        Step::Verify {
            verdict,
            findings,
            project_id,
            hazards,
        } => {
            if r.verifier_id != p.account_id || p.account_id.is_none() {
                return Err(AppError::new(
                    ErrorCode::Forbidden,
                    "只有被指派的核查人可以记录核查结论",
                ));
            }
            // The verifier may name the project the report is about (or correct it).
            if let Some(pid) = project_id {
                let pr = project::Entity::find_by_id(*pid)
                    .one(&*w)
                    .await?
                    .ok_or_else(|| AppError::bad_input("projectId", "项目不存在"))?;
                am.project_id = Set(Some(pr.id));
                am.township_id = Set(Some(pr.township_id));
                detail["project"] = json!(pr.code);
            }
            if !hazards.is_empty() && project_id.or(r.project_id).is_none() {
                return Err(AppError::bad_input(
                    "projectId",
                    "立隐患须确定所在项目，请填写项目",
                ));
            }
            am.verified_at = Set(Some(now));
            am.verdict = Set(Some(*verdict));
            am.findings = Set(Some(findings.clone()));
            detail["verdict"] = json!(verdict);
            detail["hazards"] = json!(hazards.len());
        }
        Step::Close => {
            am.closed_at = Set(Some(now));
        }
    }
    // Claims the version the decision was made on: a concurrent step (or a client's stale
    // version) gets CONFLICT and writes nothing.
    claim_read::<report::Entity, _>(&*w, r.id, r.version, expected_version).await?;
    am.status = Set(to);
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(step.audit_action(), "RewardReport", model.id).detail(detail),
    )
    .await?;
    if let Step::Verify {
        verdict,
        findings,
        hazards,
        ..
    } = &step
    {
        let verdict = match verdict {
            Verdict::True => Some(contract::Verdict::True),
            Verdict::PartlyTrue => Some(contract::Verdict::PartlyTrue),
            Verdict::False => None,
        };
        if let Some(verdict) = verdict {
            let category = serde_json::to_value(model.category)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            outbox::publish_event(
                &*w,
                who,
                &contract::ReportVerified {
                    report_id: model.id,
                    project_id: model.project_id,
                    township_id: model.township_id,
                    category,
                    verdict,
                    findings: findings.clone(),
                    hazards: hazards.clone(),
                },
            )
            .await?;
        }
    }
    w.commit().await?;
    Ok(model)
}

/// Publishes `rewards.report_overdue` once for each report past its acceptance or verification
/// deadline with the step not done; returns how many were published.
pub async fn mark_overdue(k: &Kernel) -> AppResult<usize> {
    let who = RequestInfo::system("scheduler");
    let now = Utc::now();
    let w = k.db.begin_write().await?;
    let late_acceptance = report::Entity::find()
        .filter(report::Column::Status.eq(ReportStatus::Submitted))
        .filter(report::Column::AcceptDueAt.lt(now))
        .filter(report::Column::AcceptOverdueAt.is_null())
        .all(&*w)
        .await?;
    let late_verification = report::Entity::find()
        .filter(report::Column::Status.is_in([ReportStatus::Accepted, ReportStatus::Verifying]))
        .filter(report::Column::VerifyDueAt.lt(now))
        .filter(report::Column::VerifyOverdueAt.is_null())
        .all(&*w)
        .await?;
    let mut published = 0;
    for (rows, step) in [
        (late_acceptance, contract::ReportStep::Acceptance),
        (late_verification, contract::ReportStep::Verification),
    ] {
        for r in rows {
            let due_at = match step {
                contract::ReportStep::Acceptance => r.accept_due_at,
                contract::ReportStep::Verification => r.verify_due_at.unwrap_or(r.accept_due_at),
            };
            let mut am: report::ActiveModel = r.clone().into();
            match step {
                contract::ReportStep::Acceptance => am.accept_overdue_at = Set(Some(now)),
                contract::ReportStep::Verification => am.verify_overdue_at = Set(Some(now)),
            }
            am.update(&*w).await?;
            outbox::publish_event(
                &*w,
                &who,
                &contract::ReportOverdue {
                    report_id: r.id,
                    step,
                    due_at,
                },
            )
            .await?;
            audit::record(
                &w,
                &who,
                AuditEntry::new("rewards.report.overdue", "RewardReport", r.id)
                    .detail(json!({ "step": step, "dueAt": due_at })),
            )
            .await?;
            published += 1;
        }
    }
    w.commit().await?;
    Ok(published)
}

/// Looks for overdue handling steps (`[modules.rewards] overdue_scan_seconds`).
pub struct OverdueJob {
    pub every: std::time::Duration,
}

impl ScheduledJob for OverdueJob {
    fn name(&self) -> &'static str {
        "rewards.report_overdue"
    }
    fn every(&self) -> std::time::Duration {
        self.every
    }
    fn run<'a>(&'a self, kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { mark_overdue(kernel).await.map(|_| ()) })
    }
}

impl Versioned for report::Entity {
    fn id_column() -> report::Column {
        report::Column::Id
    }
    fn version_column() -> report::Column {
        report::Column::Version
    }
    fn updated_at_column() -> report::Column {
        report::Column::UpdatedAt
    }
}

//! Rewards money (issue #10 item 3): a reward proposed from the standards table for a verified,
//! substantiated report, approved twice by different people (the department, then a leader,
//! charged against the year's budget), paid, and confirmed by the reporter through the receipt
//! code; or refused. And the annual budget ledger, summed in SQL.
//!
//! Every step checks everything before its first write — permission, state, separation of
//! duties, budget — claims the version it decided on, and is audited; a refused step writes
//! nothing.
use chrono::{Datelike, NaiveDate, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::local_date;
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::report::{by_receipt, discreet, visible};
use crate::entity::enums::{PaymentMethod, ReportStatus, RewardStatus, Verdict};
use crate::entity::{budget, report, reward};
use crate::perms;
use crate::rules::standards;

/// The refusal of a duplicate's reward (only the first valid reporter of a matter is rewarded).
pub const DUPLICATE_REFUSED: &str = "重复举报，仅奖励首位有效举报人";

/// Largest budget one year may have (fen): ten billion yuan, far beyond any district's.
pub const MAX_BUDGET_FEN: i64 = 1_000_000_000_000;

/// What is done to a reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewardAction {
    /// 部门审核
    ApproveDepartment,
    /// 领导审批
    ApproveFinal,
    /// 不予奖励
    Refuse,
    /// 登记发放
    Pay,
    /// 举报人确认收到
    Confirm,
}

impl RewardAction {
    pub const ALL: [RewardAction; 5] = [
        RewardAction::ApproveDepartment,
        RewardAction::ApproveFinal,
        RewardAction::Refuse,
        RewardAction::Pay,
        RewardAction::Confirm,
    ];
}

/// The status after `action`, or `CONFLICT` with a Chinese message.
pub fn next_status(from: RewardStatus, action: RewardAction) -> AppResult<RewardStatus> {
    use RewardAction as A;
    use RewardStatus as S;
    match (from, action) {
        (S::Proposed, A::ApproveDepartment) => Ok(S::ApprovedDepartment),
        (S::ApprovedDepartment, A::ApproveFinal) => Ok(S::Approved),
        (S::Proposed | S::ApprovedDepartment, A::Refuse) => Ok(S::Refused),
        (S::Approved, A::Pay) => Ok(S::Paid),
        (S::Paid, A::Confirm) => Ok(S::Confirmed),
        (S::Proposed, _) => Err(AppError::conflict("奖励尚待部门审核")),
        (S::ApprovedDepartment, _) => Err(AppError::conflict("奖励尚待领导审批")),
        (S::Approved, _) => Err(AppError::conflict("奖励已审批，待登记发放")),
        (S::Paid, _) => Err(AppError::conflict("奖励已发放，待举报人确认")),
        (S::Confirmed, _) => Err(AppError::conflict("奖励已发放并经举报人确认")),
        (S::Refused, _) => Err(AppError::conflict("该奖励已不予发放")),
    }
}

/// Shown as yuan with two decimals in messages.
fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

fn forbidden(message: &str) -> AppError {
    AppError::new(ErrorCode::Forbidden, message)
}

/// The reward of a report, if any.
pub async fn of_report<C: ConnectionTrait>(
    db: &C,
    report_id: Uuid,
) -> AppResult<Option<reward::Model>> {
    Ok(reward::Entity::find()
        .filter(reward::Column::ReportId.eq(report_id))
        .one(db)
        .await?)
}

/// Whether the reporter of `r` may be rewarded as far as duplicates go: a report that is not a
/// duplicate may; a duplicate may only when every report of the same matter filed before it
/// (the original and earlier duplicates) was rejected or found false — the earliest valid
/// reporter is rewarded. An earlier report still being handled counts as valid (it may yet be
/// rewarded), so the duplicate waits.
async fn check_first_valid<C: ConnectionTrait>(db: &C, r: &report::Model) -> AppResult<()> {
    let Some(root) = r.duplicate_of else {
        return Ok(());
    };
    let group = report::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(report::Column::Id.eq(root))
                .add(report::Column::DuplicateOf.eq(root)),
        )
        .all(db)
        .await?;
    let earlier_valid = group.iter().any(|m| {
        m.id != r.id
            && (m.created_at, m.id) < (r.created_at, r.id)
            && m.status != ReportStatus::Rejected
            && m.verdict != Some(Verdict::False)
    });
    if earlier_valid {
        return Err(AppError::conflict(DUPLICATE_REFUSED));
    }
    Ok(())
}

/// What a handler proposes: the standard amount, or another one with a reason.
#[derive(Debug, Clone, Default)]
pub struct Proposal {
    pub amount_fen: Option<i64>,
    pub reason: Option<String>,
}

/// 拟定奖励 (`rewards.report.handle`): for a verified or closed report found true or partly true,
/// at most one per report; the amount comes from the standards table unless another is proposed
/// with a reason (at most the table's maximum for the category). Claims the report's version.
pub async fn propose(
    k: &Kernel,
    who: &RequestInfo,
    report_id: Uuid,
    proposal: Proposal,
    expected_version: Option<i32>,
) -> AppResult<reward::Model> {
    let p = &who.principal;
    p.require(perms::REPORT_HANDLE)?;
    let proposer = p.require_account()?;
    let reason = optional_text("reason", "调整理由", proposal.reason.as_deref(), 500)?;
    let w = k.db.begin_write().await?;
    let r = visible(&*w, p, report_id).await?;
    if !matches!(r.status, ReportStatus::Verified | ReportStatus::Closed) {
        return Err(AppError::conflict("只有已核查或已办结的举报可以拟定奖励"));
    }
    let verdict = r
        .verdict
        .ok_or_else(|| AppError::conflict("举报尚无核查结论"))?;
    let award = standards::award(r.category, verdict)
        .ok_or_else(|| AppError::conflict("核查不属实的举报不予奖励"))?;
    check_first_valid(&*w, &r).await?;
    if of_report(&*w, r.id).await?.is_some() {
        return Err(AppError::conflict("该举报已拟定奖励，每份举报至多奖励一次"));
    }
    let (amount_fen, override_reason) = match proposal.amount_fen {
        Some(a) if a != award.amount_fen => {
            if !(1..=award.max_fen).contains(&a) {
                return Err(AppError::bad_input(
                    "amountFen",
                    format!(
                        "奖励金额应在0.01元至{}元之间（奖励标准上限）",
                        yuan(award.max_fen)
                    ),
                ));
            }
            let Some(reason) = reason else {
                return Err(AppError::bad_input(
                    "reason",
                    "奖励金额与标准不同，须说明调整理由",
                ));
            };
            (a, Some(reason))
        }
        _ => (award.amount_fen, None),
    };
    claim_read::<report::Entity, _>(&*w, r.id, r.version, expected_version).await?;
    let now = Utc::now();
    let model = reward::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(r.id),
        verdict: Set(verdict),
        amount_fen: Set(amount_fen),
        standard_fen: Set(award.amount_fen),
        rule_code: Set(award.rule_code.clone()),
        basis: Set(award.basis),
        override_reason: Set(override_reason.clone()),
        status: Set(RewardStatus::Proposed),
        proposed_by: Set(proposer),
        department_approved_by: Set(None),
        department_approved_at: Set(None),
        final_approved_by: Set(None),
        final_approved_at: Set(None),
        budget_year: Set(None),
        refused_by: Set(None),
        refused_at: Set(None),
        refusal_reason: Set(None),
        payment_method: Set(None),
        paid_on: Set(None),
        paid_by: Set(None),
        confirmed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await
    .map_err(|e| {
        if jianan_kernel::error::is_unique_violation(&e) {
            AppError::conflict("该举报已拟定奖励，每份举报至多奖励一次")
        } else {
            AppError::from(e)
        }
    })?;
    audit::record(
        &w,
        who,
        AuditEntry::new("rewards.reward.propose", "Reward", model.id).detail(json!({
            "report": r.id,
            "amountFen": amount_fen,
            "standardFen": award.amount_fen,
            "rule": award.rule_code,
            "overrideReason": override_reason,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// A reward the caller may see (district-wide roles), for a change.
async fn visible_reward<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<reward::Model> {
    scoped::<reward::Entity>(p)
        .filter(reward::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("奖励"))
}

/// A step of a reward by staff.
#[derive(Debug, Clone)]
pub enum RewardStep {
    /// 部门审核 (`rewards.reward.approve`; not the proposer).
    ApproveDepartment,
    /// 领导审批 (`rewards.reward.approve_final`; neither the proposer nor the first approver),
    /// charged to this year's budget.
    ApproveFinal,
    /// 不予奖励, with a reason, by whoever may approve the pending step.
    Refuse { reason: String },
    /// 登记发放 (`rewards.reward.pay`).
    Pay {
        method: PaymentMethod,
        paid_on: NaiveDate,
    },
}

impl RewardStep {
    fn action(&self) -> RewardAction {
        match self {
            RewardStep::ApproveDepartment => RewardAction::ApproveDepartment,
            RewardStep::ApproveFinal => RewardAction::ApproveFinal,
            RewardStep::Refuse { .. } => RewardAction::Refuse,
            RewardStep::Pay { .. } => RewardAction::Pay,
        }
    }
    fn audit_action(&self) -> &'static str {
        match self {
            RewardStep::ApproveDepartment => "rewards.reward.approve",
            RewardStep::ApproveFinal => "rewards.reward.approve_final",
            RewardStep::Refuse { .. } => "rewards.reward.refuse",
            RewardStep::Pay { .. } => "rewards.reward.pay",
        }
    }
}

/// Moves a reward one step (see [`RewardStep`]). Of two concurrent steps exactly one succeeds.
pub async fn advance(
    k: &Kernel,
    who: &RequestInfo,
    reward_id: Uuid,
    step: RewardStep,
    expected_version: Option<i32>,
) -> AppResult<reward::Model> {
    let p = &who.principal;
    match &step {
        RewardStep::ApproveDepartment => p.require(perms::REWARD_APPROVE)?,
        RewardStep::ApproveFinal => p.require(perms::REWARD_APPROVE_FINAL)?,
        RewardStep::Pay { .. } => p.require(perms::REWARD_PAY)?,
        RewardStep::Refuse { .. } => {
            if !p.can(perms::REWARD_APPROVE_FINAL) {
                p.require(perms::REWARD_APPROVE)?;
            }
        }
    }
    let me = p.require_account()?;
    let step = match step {
        RewardStep::Refuse { reason } => RewardStep::Refuse {
            reason: required_text("reason", "不予奖励理由", &reason, 500)?,
        },
        other => other,
    };
    let now = Utc::now();
    let w = k.db.begin_write().await?;
    let r = visible_reward(&*w, p, reward_id).await?;
    let to = next_status(r.status, step.action())?;
    let mut am: reward::ActiveModel = r.clone().into();
    let mut detail = json!({ "from": r.status, "to": to, "report": r.report_id });
    match &step {
        RewardStep::ApproveDepartment => {
            if r.proposed_by == me {
                return Err(forbidden("不能审核本人拟定的奖励"));
            }
            am.department_approved_by = Set(Some(me));
            am.department_approved_at = Set(Some(now));
        }
        RewardStep::ApproveFinal => {
            if r.proposed_by == me {
                return Err(forbidden("不能审批本人拟定的奖励"));
            }
            if r.department_approved_by == Some(me) {
                return Err(forbidden("同一人不能两次审批同一奖励"));
            }
            let year = local_date(now).year();
            let b = budget_of(&*w, year).await?.ok_or_else(|| {
                AppError::conflict(format!("{year}年度举报奖励预算尚未设定，不能审批"))
            })?;
            let l = ledger(&*w, year).await?;
            let available = b.amount_fen - l.committed_fen - l.paid_fen;
            if r.amount_fen > available {
                return Err(AppError::conflict(format!(
                    "超出{year}年度举报奖励预算：可用{}元，本次{}元",
                    yuan(available),
                    yuan(r.amount_fen)
                )));
            }
            // Two final approvals charged to one year serialise on the budget's version: the
            // second re-reads the ledger or gets CONFLICT, so they cannot spend the same money.
            claim_read::<budget::Entity, _>(&*w, b.id, b.version, None).await?;
            am.final_approved_by = Set(Some(me));
            am.final_approved_at = Set(Some(now));
            am.budget_year = Set(Some(year));
            detail["budgetYear"] = json!(year);
            detail["amountFen"] = json!(r.amount_fen);
            detail["availableBeforeFen"] = json!(available);
        }
        RewardStep::Refuse { reason } => {
            let may = match r.status {
                RewardStatus::Proposed => p.can(perms::REWARD_APPROVE),
                _ => p.can(perms::REWARD_APPROVE_FINAL),
            };
            if !may {
                return Err(forbidden("只有该环节的审批人可以决定不予奖励"));
            }
            if r.proposed_by == me {
                return Err(forbidden("不能决定本人拟定的奖励"));
            }
            am.refused_by = Set(Some(me));
            am.refused_at = Set(Some(now));
            am.refusal_reason = Set(Some(reason.clone()));
            detail["reason"] = json!(reason);
        }
        RewardStep::Pay { method, paid_on } => {
            if *paid_on > local_date(now) {
                return Err(AppError::bad_input("paidOn", "发放日期不能晚于今天"));
            }
            if r.final_approved_at
                .is_some_and(|at| *paid_on < local_date(at))
            {
                return Err(AppError::bad_input("paidOn", "发放日期不能早于审批日期"));
            }
            am.payment_method = Set(Some(*method));
            am.paid_on = Set(Some(*paid_on));
            am.paid_by = Set(Some(me));
            detail["method"] = json!(method);
            detail["paidOn"] = json!(paid_on);
            detail["amountFen"] = json!(r.amount_fen);
        }
    }
    claim_read::<reward::Entity, _>(&*w, r.id, r.version, expected_version).await?;
    am.status = Set(to);
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(step.audit_action(), "Reward", model.id).detail(detail),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// The reporter confirms receipt of a paid reward, through the receipt code and passphrase (a
/// wrong code or passphrase is refused as everywhere else, `NOT_FOUND`).
pub async fn confirm(
    k: &Kernel,
    who: &RequestInfo,
    code: &str,
    passphrase: &str,
) -> AppResult<report::Model> {
    let rep = by_receipt(k, who, code, passphrase).await?;
    let who = discreet(who);
    let w = k.db.begin_write().await?;
    let r = of_report(&*w, rep.id)
        .await?
        .ok_or_else(|| AppError::conflict("该举报暂无奖励"))?;
    let to = next_status(r.status, RewardAction::Confirm)?;
    claim_read::<reward::Entity, _>(&*w, r.id, r.version, None).await?;
    let now = Utc::now();
    let mut am: reward::ActiveModel = r.clone().into();
    am.status = Set(to);
    am.confirmed_at = Set(Some(now));
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    am.update(&*w).await?;
    audit::record(
        &w,
        &who,
        AuditEntry::new("rewards.reward.confirm", "Reward", r.id)
            .detail(json!({ "from": r.status, "to": to, "report": rep.id })),
    )
    .await?;
    w.commit().await?;
    Ok(rep)
}

/// The budget of a year, if set.
pub async fn budget_of<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<Option<budget::Model>> {
    Ok(budget::Entity::find()
        .filter(budget::Column::Year.eq(year))
        .one(db)
        .await?)
}

/// What a year's rewards add up to (fen): approved but not paid, and paid (confirmed or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, FromQueryResult)]
pub struct Ledger {
    pub committed_fen: i64,
    pub paid_fen: i64,
}

/// One statement: `SUM` of the year's approved and paid rewards.
pub async fn ledger<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<Ledger> {
    let sum = |statuses: &str| {
        Expr::cust(format!(
            "CAST(COALESCE(SUM(CASE WHEN status IN ({statuses}) THEN amount_fen ELSE 0 END), 0) AS BIGINT)"
        ))
    };
    let q = Query::select()
        .expr_as(sum("'APPROVED'"), Alias::new("committed_fen"))
        .expr_as(sum("'PAID', 'CONFIRMED'"), Alias::new("paid_fen"))
        .from(reward::Entity)
        .and_where(reward::Column::BudgetYear.eq(year))
        .to_owned();
    let stmt = db.get_database_backend().build(&q);
    Ok(Ledger::find_by_statement(stmt)
        .one(db)
        .await?
        .unwrap_or_default())
}

/// 设定年度奖励预算 (`rewards.budget.manage`): creates or changes a year's amount; not below what
/// the year has already committed and paid.
pub async fn set_budget(
    k: &Kernel,
    who: &RequestInfo,
    year: i32,
    amount_fen: i64,
    expected_version: Option<i32>,
) -> AppResult<budget::Model> {
    let p = &who.principal;
    p.require(perms::BUDGET_MANAGE)?;
    let me = p.require_account()?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_input("year", "年度应在2000至2100之间"));
    }
    if !(0..=MAX_BUDGET_FEN).contains(&amount_fen) {
        return Err(AppError::bad_input(
            "amountFen",
            "预算金额应为不小于0的整数（分），且不超过100亿元",
        ));
    }
    let now = Utc::now();
    let w = k.db.begin_write().await?;
    let l = ledger(&*w, year).await?;
    if amount_fen < l.committed_fen + l.paid_fen {
        return Err(AppError::conflict(format!(
            "预算不能低于{year}年度已审批和已发放的奖励合计{}元",
            yuan(l.committed_fen + l.paid_fen)
        )));
    }
    let existing = budget_of(&*w, year).await?;
    let from = existing.as_ref().map(|b| b.amount_fen);
    let model = match existing {
        Some(b) => {
            claim_read::<budget::Entity, _>(&*w, b.id, b.version, expected_version).await?;
            let version = b.version + 1;
            let mut am: budget::ActiveModel = b.into();
            am.amount_fen = Set(amount_fen);
            am.set_by = Set(Some(me));
            am.version = Set(version);
            am.updated_at = Set(now);
            am.update(&*w).await?
        }
        None => {
            if expected_version.is_some() {
                return Err(AppError::stale_version());
            }
            budget::ActiveModel {
                id: Set(Uuid::now_v7()),
                year: Set(year),
                amount_fen: Set(amount_fen),
                set_by: Set(Some(me)),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&*w)
            .await
            .map_err(|e| {
                if jianan_kernel::error::is_unique_violation(&e) {
                    AppError::stale_version()
                } else {
                    AppError::from(e)
                }
            })?
        }
    };
    audit::record(
        &w,
        who,
        AuditEntry::new("rewards.budget.set", "RewardBudget", model.id)
            .detail(json!({ "year": year, "fromFen": from, "toFen": amount_fen })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

impl Versioned for reward::Entity {
    fn id_column() -> reward::Column {
        reward::Column::Id
    }
    fn version_column() -> reward::Column {
        reward::Column::Version
    }
    fn updated_at_column() -> reward::Column {
        reward::Column::UpdatedAt
    }
}

impl Versioned for budget::Entity {
    fn id_column() -> budget::Column {
        budget::Column::Id
    }
    fn version_column() -> budget::Column {
        budget::Column::Version
    }
    fn updated_at_column() -> budget::Column {
        budget::Column::UpdatedAt
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn every_reward_state_and_action_pair() {
        use RewardAction as A;
        use RewardStatus as S;
        let allowed = [
            (S::Proposed, A::ApproveDepartment, S::ApprovedDepartment),
            (S::Proposed, A::Refuse, S::Refused),
            (S::ApprovedDepartment, A::ApproveFinal, S::Approved),
            (S::ApprovedDepartment, A::Refuse, S::Refused),
            (S::Approved, A::Pay, S::Paid),
            (S::Paid, A::Confirm, S::Confirmed),
        ];
        for from in RewardStatus::iter() {
            for action in RewardAction::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match (next_status(from, action), expected) {
                    (Ok(to), Some(e)) => assert_eq!(to, e, "{from:?} {action:?}"),
                    (Err(err), None) => {
                        assert_eq!(err.code, ErrorCode::Conflict, "{from:?} {action:?}");
                        assert!(!err.message.is_ascii());
                    }
                    (got, e) => panic!("{from:?} {action:?}: {got:?} vs {e:?}"),
                }
            }
        }
    }

    #[test]
    fn yuan_shows_two_decimals() {
        assert_eq!(yuan(50_000), "500.00");
        assert_eq!(yuan(12_345), "123.45");
        assert_eq!(yuan(7), "0.07");
    }
}

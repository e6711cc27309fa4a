//! Reporting up (issue #11 item 5): a township sends the commission its monthly report — a
//! summary in its words and its figures as they stand (houses, screened, by judgement and
//! level, overdue measures) — and the commission handles it to closure: returns it with a reason
//! (the township completes and sends it again), or accepts it and closes it with a note. Every
//! step is audited and claims the version it was decided on.
use chrono::{Datelike, NaiveDate, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::today;
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::scope::{RowScope, scoped};
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::township_for;
use crate::entity::enums::ReportState;
use crate::entity::report;
use crate::perms;

/// The GraphQL type name.
pub const REPORT: &str = "HousingReport";

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

/// A handling step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Resubmit,
    Return,
    Accept,
    Close,
}

/// The state a step leads to from `from` (a pure function of the workflow:
/// SUBMITTED → RETURNED → SUBMITTED …; SUBMITTED → ACCEPTED → CLOSED).
pub fn next_state(from: ReportState, step: Step) -> AppResult<ReportState> {
    use ReportState::*;
    match (from, step) {
        (Returned, Step::Resubmit) => Ok(Submitted),
        (Submitted, Step::Return) => Ok(Returned),
        (Submitted, Step::Accept) => Ok(Accepted),
        (Accepted, Step::Close) => Ok(Closed),
        _ => Err(AppError::conflict("上报当前状态不能执行此操作")),
    }
}

/// `YYYY-MM`, not after this month.
pub fn checked_period(text: &str) -> AppResult<String> {
    let t = text.trim();
    let first = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| t.len() == 7)
        .ok_or_else(|| AppError::bad_input("period", "月份格式应为 YYYY-MM"))?;
    let now = today();
    if (first.year(), first.month()) > (now.year(), now.month()) {
        return Err(AppError::bad_input("period", "不能上报未来的月份"));
    }
    Ok(t.to_owned())
}

/// Counts keyed by the enum's schema name.
fn by<K: serde::Serialize>(v: &[(K, i64)]) -> serde_json::Map<String, serde_json::Value> {
    v.iter()
        .map(|(k, n)| (json!(k).as_str().unwrap_or_default().to_owned(), json!(n)))
        .collect()
}

/// The township's figures now, as JSON.
async fn figures<C: ConnectionTrait>(db: &C, p: &Principal, township: Uuid) -> AppResult<String> {
    let s = super::statistics::statistics(db, p, Some(township))
        .await?
        .into_iter()
        .next()
        .unwrap_or_default();
    let risk = by(&s.by_risk);
    let level = by(&s.by_level);
    Ok(json!({
        "houses": s.houses,
        "screened": s.screened,
        "byRisk": risk,
        "byLevel": level,
        "overdueMeasures": s.overdue_measures,
    })
    .to_string())
}

/// 乡镇上报 (`housing.report.submit`, the township's own staff): one report per township and
/// month; the figures are taken now.
pub async fn submit(
    k: &Kernel,
    who: &RequestInfo,
    township_id: Uuid,
    period: &str,
    summary: &str,
) -> AppResult<report::Model> {
    let p = &who.principal;
    p.require(perms::REPORT_SUBMIT)?;
    let me = p.require_account()?;
    if !matches!(RowScope::of(p), RowScope::Township(t) if t == township_id) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "只能由本乡镇（街道）上报",
        ));
    }
    let period = checked_period(period)?;
    let summary = required_text("summary", "上报内容", summary, 5000)?;
    let w = k.db.begin_write().await?;
    township_for(&*w, p, township_id, "townshipId").await?;
    let exists = report::Entity::find()
        .filter(report::Column::TownshipId.eq(township_id))
        .filter(report::Column::Period.eq(period.clone()))
        .one(&*w)
        .await?;
    if exists.is_some() {
        return Err(AppError::conflict(format!(
            "{period}已上报，请在原上报上修改（退回后重报）"
        )));
    }
    let now = Utc::now();
    let model = report::ActiveModel {
        id: Set(Uuid::now_v7()),
        township_id: Set(township_id),
        period: Set(period.clone()),
        summary: Set(summary),
        figures: Set(figures(&*w, p, township_id).await?),
        status: Set(ReportState::Submitted),
        return_reason: Set(None),
        close_note: Set(None),
        submitted_by: Set(me),
        submitted_at: Set(now),
        handled_by: Set(None),
        handled_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.report.submit", REPORT, model.id)
            .detail(json!({ "period": period })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// A handling step: `Resubmit` by the township (`housing.report.submit`, with a new summary);
/// `Return` (with the reason), `Accept` and `Close` (with a note) by the commission
/// (`housing.report.handle`).
pub async fn advance(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    step: Step,
    text: Option<&str>,
    expected_version: Option<i32>,
) -> AppResult<report::Model> {
    let p = &who.principal;
    let me = p.require_account()?;
    let text = match step {
        Step::Resubmit => {
            p.require(perms::REPORT_SUBMIT)?;
            Some(required_text(
                "summary",
                "上报内容",
                text.unwrap_or(""),
                5000,
            )?)
        }
        Step::Return => {
            p.require(perms::REPORT_HANDLE)?;
            Some(required_text(
                "reason",
                "退回理由",
                text.unwrap_or(""),
                1000,
            )?)
        }
        Step::Close => {
            p.require(perms::REPORT_HANDLE)?;
            Some(required_text("note", "办结说明", text.unwrap_or(""), 1000)?)
        }
        Step::Accept => {
            p.require(perms::REPORT_HANDLE)?;
            None
        }
    };
    let w = k.db.begin_write().await?;
    let r = scoped::<report::Entity>(p)
        .filter(report::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("上报"))?;
    if step == Step::Resubmit
        && !matches!(RowScope::of(p), RowScope::Township(t) if t == r.township_id)
    {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "只能由本乡镇（街道）重报",
        ));
    }
    let to = next_state(r.status, step)?;
    claim_read::<report::Entity, _>(&*w, r.id, r.version, expected_version).await?;
    let now = Utc::now();
    let mut am: report::ActiveModel = r.clone().into();
    let (action, detail) = match step {
        Step::Resubmit => {
            am.summary = Set(text.clone().unwrap_or_default());
            am.figures = Set(figures(&*w, p, r.township_id).await?);
            am.submitted_by = Set(me);
            am.submitted_at = Set(now);
            ("housing.report.resubmit", json!({}))
        }
        Step::Return => {
            am.return_reason = Set(text.clone());
            am.handled_by = Set(Some(me));
            am.handled_at = Set(Some(now));
            ("housing.report.return", json!({ "reason": text }))
        }
        Step::Accept => {
            am.handled_by = Set(Some(me));
            am.handled_at = Set(Some(now));
            ("housing.report.accept", json!({}))
        }
        Step::Close => {
            am.close_note = Set(text.clone());
            am.handled_by = Set(Some(me));
            am.handled_at = Set(Some(now));
            ("housing.report.close", json!({ "note": text }))
        }
    };
    am.status = Set(to);
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(action, REPORT, model.id).detail(detail),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_workflow_goes_from_submission_to_closure() {
        use ReportState::*;
        assert_eq!(next_state(Submitted, Step::Return).unwrap(), Returned);
        assert_eq!(next_state(Returned, Step::Resubmit).unwrap(), Submitted);
        assert_eq!(next_state(Submitted, Step::Accept).unwrap(), Accepted);
        assert_eq!(next_state(Accepted, Step::Close).unwrap(), Closed);
        for (from, step) in [
            (Submitted, Step::Close),
            (Submitted, Step::Resubmit),
            (Returned, Step::Accept),
            (Accepted, Step::Return),
            (Closed, Step::Return),
            (Closed, Step::Resubmit),
        ] {
            assert!(next_state(from, step).is_err(), "{from:?} {step:?}");
        }
    }

    #[test]
    fn periods_are_months_not_in_the_future() {
        assert_eq!(checked_period(" 2026-01 ").unwrap(), "2026-01");
        assert!(checked_period("2026-13").is_err());
        assert!(checked_period("2026-1").is_err());
        assert!(checked_period("2999-01").is_err());
    }
}

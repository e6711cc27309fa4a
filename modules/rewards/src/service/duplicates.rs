//! Duplicates (issue #10 item 4): a handler records that a report repeats an earlier report of
//! the same matter. 《安全生产领域举报奖励办法》（安监总财〔2018〕19号）: 多人多次举报同一事项的，
//! 仅对最先有效举报的举报人给予奖励 (article: to confirm). The rule kept here:
//!
//! - `duplicate_of` always names the *earliest* report of the matter (the root): marking a report
//!   as the duplicate of a duplicate records that one's root;
//! - the original must have been filed before the duplicate; a report others already repeat,
//!   one already marked, or one with a reward cannot be marked;
//! - the reporter of a duplicate is rewarded only when every report of the matter filed before it
//!   was rejected or found false (see `service::reward`): the earliest valid reporter is rewarded.
use chrono::Utc;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::versioning::claim_read;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::report::visible;
use super::reward::of_report;
use crate::entity::report;
use crate::perms;

/// 标记重复举报 (`rewards.report.handle`). Claims the duplicate's version.
pub async fn mark(
    k: &Kernel,
    who: &RequestInfo,
    report_id: Uuid,
    of_report_id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<report::Model> {
    let p = &who.principal;
    p.require(perms::REPORT_HANDLE)?;
    if report_id == of_report_id {
        return Err(AppError::bad_input("ofReportId", "不能标记为自身的重复"));
    }
    let w = k.db.begin_write().await?;
    let r = visible(&*w, p, report_id).await?;
    let of = visible(&*w, p, of_report_id)
        .await
        .map_err(|_| AppError::bad_input("ofReportId", "原举报不存在"))?;
    if r.duplicate_of.is_some() {
        return Err(AppError::conflict("该举报已标记为重复举报"));
    }
    if (of.created_at, of.id) >= (r.created_at, r.id) {
        return Err(AppError::bad_input("ofReportId", "原举报应早于本举报提交"));
    }
    if r.project_id.zip(of.project_id).is_some_and(|(a, b)| a != b) {
        return Err(AppError::bad_input(
            "ofReportId",
            "两份举报涉及不同项目，不是同一事项",
        ));
    }
    let repeated = report::Entity::find()
        .filter(report::Column::DuplicateOf.eq(r.id))
        .count(&*w)
        .await?;
    if repeated > 0 {
        return Err(AppError::conflict(
            "已有其他举报标记为本举报的重复，不能再将本举报标记为重复",
        ));
    }
    if of_report(&*w, r.id).await?.is_some() {
        return Err(AppError::conflict("该举报已拟定奖励，不能再标记为重复"));
    }
    let root = of.duplicate_of.unwrap_or(of.id);
    claim_read::<report::Entity, _>(&*w, r.id, r.version, expected_version).await?;
    let now = Utc::now();
    let mut am: report::ActiveModel = r.clone().into();
    am.duplicate_of = Set(Some(root));
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("rewards.report.duplicate", "RewardReport", r.id)
            .detail(json!({ "of": root, "named": of.id })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

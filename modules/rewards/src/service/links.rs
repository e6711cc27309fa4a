//! What a report led to, learnt from inspections' events (the module never imports
//! inspections): the hazards opened for a verified report (`inspections.hazards_opened` naming
//! the report), then the enforcement actions issued over any of those hazards
//! (`inspections.enforcement_issued`). Each link is written once, so a replayed event changes
//! nothing.
use chrono::Utc;
use futures_util::future::BoxFuture;
use jianan_contracts::inspections::{EnforcementIssued, HazardsOpened};
use jianan_kernel::AppResult;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::db::WriteTxn;
use jianan_kernel::outbox::{Event, HandleEvent};
use jianan_kernel::principal::RequestInfo;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entity::{report, report_link};

/// The GraphQL type names of the linked records.
pub const HAZARD: &str = "Hazard";
pub const ENFORCEMENT_ACTION: &str = "EnforcementAction";
/// What inspections calls a report when it opens hazards for one.
pub use jianan_contracts::rewards::REPORT_TYPE as REWARD_REPORT;

/// Links the hazards inspections opened for a report.
pub struct LinkHazards;

impl HandleEvent<HazardsOpened> for LinkHazards {
    fn name(&self) -> &'static str {
        "rewards.link_hazards"
    }
    fn handle<'a>(
        &'a self,
        w: &'a WriteTxn,
        _event: &'a Event,
        e: HazardsOpened,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            if e.origin_type != REWARD_REPORT {
                return Ok(());
            }
            let txn: &DatabaseTransaction = w;
            if report::Entity::find_by_id(e.origin_id)
                .one(txn)
                .await?
                .is_none()
            {
                return Ok(());
            }
            link(w, e.origin_id, HAZARD, &e.hazard_ids).await
        })
    }
}

/// Links an enforcement action to the reports whose hazards it names.
pub struct LinkEnforcement;

impl HandleEvent<EnforcementIssued> for LinkEnforcement {
    fn name(&self) -> &'static str {
        "rewards.link_enforcement"
    }
    fn handle<'a>(
        &'a self,
        w: &'a WriteTxn,
        _event: &'a Event,
        e: EnforcementIssued,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            if e.hazard_ids.is_empty() {
                return Ok(());
            }
            let txn: &DatabaseTransaction = w;
            let mut reports: Vec<Uuid> = report_link::Entity::find()
                .filter(report_link::Column::TargetType.eq(HAZARD))
                .filter(report_link::Column::TargetId.is_in(e.hazard_ids.iter().copied()))
                .all(txn)
                .await?
                .into_iter()
                .map(|l| l.report_id)
                .collect();
            reports.sort();
            reports.dedup();
            for r in reports {
                link(w, r, ENFORCEMENT_ACTION, &[e.action_id]).await?;
            }
            Ok(())
        })
    }
}

/// Writes the links of `report_id` to `targets` that do not exist yet, and audits them.
async fn link(w: &WriteTxn, report_id: Uuid, target_type: &str, targets: &[Uuid]) -> AppResult<()> {
    let txn: &DatabaseTransaction = w;
    let existing: Vec<Uuid> = report_link::Entity::find()
        .filter(report_link::Column::ReportId.eq(report_id))
        .filter(report_link::Column::TargetType.eq(target_type))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.target_id)
        .collect();
    let new: Vec<Uuid> = targets
        .iter()
        .copied()
        .filter(|t| !existing.contains(t))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    for t in &new {
        report_link::ActiveModel {
            report_id: Set(report_id),
            target_type: Set(target_type.to_owned()),
            target_id: Set(*t),
            created_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
    }
    audit::record(
        w,
        &RequestInfo::system("rewards"),
        AuditEntry::new("rewards.report.link", "RewardReport", report_id)
            .detail(serde_json::json!({ "type": target_type, "ids": new })),
    )
    .await
}

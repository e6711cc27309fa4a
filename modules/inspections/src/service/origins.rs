//! Hazards opened at another module's request. A verified public report
//! (`rewards.report_verified`) names the hazards its verifier found on a project; inspections
//! opens each as a general hazard in state REPORTED (the inspectors reclassify one that meets a
//! major-hazard criterion, citing it), records where it came from (`hazard_origin`), and
//! announces the set (`inspections.hazards_opened`) so the asking module can link them. A record
//! opens its hazards once: the dispatcher delivers an event to a handler once, and the origin
//! rows make a second request for the same record a no-op whatever event carries it.
use chrono::Utc;
use futures_util::future::BoxFuture;
use jianan_contracts::experts::{FINDING_TYPE, VisitFinding};
use jianan_contracts::inspections::HazardsOpened;
use jianan_contracts::rewards::{FoundHazard, ReportVerified};
use jianan_entity::project;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::db::WriteTxn;
use jianan_kernel::outbox::{self, Event, HandleEvent};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppError, AppResult};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use uuid::Uuid;

use super::hazard::{NewHazard, insert_reported};
use crate::entity::enums::HazardLevel;
use crate::entity::hazard_origin;
use crate::rules::hazard_class::classify;

/// What the rewards module calls a public report.
pub use jianan_contracts::rewards::REPORT_TYPE as REWARD_REPORT;

/// Opens the hazards a verified public report found.
pub struct HazardsFromReport;

impl HandleEvent<ReportVerified> for HazardsFromReport {
    fn name(&self) -> &'static str {
        "inspections.hazards_from_report"
    }
    fn handle<'a>(
        &'a self,
        w: &'a WriteTxn,
        _event: &'a Event,
        payload: ReportVerified,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let Some(project_id) = payload.project_id else {
                return Ok(());
            };
            open(
                w,
                REWARD_REPORT,
                payload.report_id,
                project_id,
                &payload.hazards,
            )
            .await
            .map(|_| ())
        })
    }
}

/// Opens one general hazard for each finding of an expert's visit (`experts.visit_finding`),
/// once per finding: the origin is the finding itself ([`FINDING_TYPE`]), so a redelivered or
/// republished event finds its `hazard_origin` row and opens nothing more.
pub struct HazardFromVisitFinding;

impl HandleEvent<VisitFinding> for HazardFromVisitFinding {
    fn name(&self) -> &'static str {
        "inspections.hazard_from_visit_finding"
    }
    fn handle<'a>(
        &'a self,
        w: &'a WriteTxn,
        _event: &'a Event,
        f: VisitFinding,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let found = [FoundHazard {
                category: f.category,
                description: f.description,
                location: f.location,
            }];
            open(w, FINDING_TYPE, f.finding_id, f.project_id, &found)
                .await
                .map(|_| ())
        })
    }
}

/// Opens `found` on project `project_id` for record `origin_id` of type `origin_type`, once:
/// returns the hazards opened, or nothing when the record opened its hazards before (or asked
/// for none, or the project is gone).
pub async fn open(
    w: &WriteTxn,
    origin_type: &'static str,
    origin_id: Uuid,
    project_id: Uuid,
    found: &[FoundHazard],
) -> AppResult<Vec<Uuid>> {
    let txn: &DatabaseTransaction = w;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let before = hazard_origin::Entity::find()
        .filter(hazard_origin::Column::OriginType.eq(origin_type))
        .filter(hazard_origin::Column::OriginId.eq(origin_id))
        .count(txn)
        .await?;
    if before > 0 {
        return Ok(Vec::new());
    }
    let Some(project) = project::Entity::find_by_id(project_id).one(txn).await? else {
        tracing::warn!(origin_type, %origin_id, "hazards asked for on a missing project");
        return Ok(Vec::new());
    };
    let who = RequestInfo::system("inspections");
    let mut ids = Vec::with_capacity(found.len());
    for (i, f) in found.iter().enumerate() {
        // The asking module checked the category against the shared list; a mismatch is a
        // fault between modules, retried and then dead-lettered where operators see it.
        let class = classify(HazardLevel::General, Some(&f.category), None)
            .map_err(|(_, m)| AppError::internal(format!("{origin_type} {origin_id}: {m}")))?;
        let h = insert_reported(
            w,
            &who,
            &project,
            NewHazard {
                level: HazardLevel::General,
                class,
                description: f.description.clone(),
                location: f.location.clone(),
            },
            None,
            true,
        )
        .await?;
        hazard_origin::ActiveModel {
            hazard_id: Set(h.id),
            origin_type: Set(origin_type.to_owned()),
            origin_id: Set(origin_id),
            ordinal: Set(i32::try_from(i).map_err(AppError::internal)?),
            created_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
        ids.push(h.id);
    }
    audit::record(
        w,
        &who,
        AuditEntry::new("inspections.hazards.open_for", origin_type, origin_id)
            .detail(serde_json::json!({ "project": project.code, "hazards": ids })),
    )
    .await?;
    outbox::publish_event(
        txn,
        &who,
        &HazardsOpened {
            origin_type: origin_type.to_owned(),
            origin_id,
            project_id,
            hazard_ids: ids.clone(),
        },
    )
    .await?;
    Ok(ids)
}

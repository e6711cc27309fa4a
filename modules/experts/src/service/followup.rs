//! 促整改 — following a visit's findings up from inspections' events (the module never imports
//! inspections): `inspections.hazards_opened` for a finding links its hazard;
//! `inspections.hazard_closed` closes the finding of that hazard, and when every finding of a
//! visit is closed the visit's follow-up is done and its request closed. Each change is made
//! once, so a replayed event changes nothing.
use chrono::Utc;
use futures_util::future::BoxFuture;
use jianan_contracts::experts::FINDING_TYPE;
use jianan_contracts::inspections::{HazardClosed, HazardsOpened};
use jianan_kernel::AppResult;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::db::WriteTxn;
use jianan_kernel::outbox::{Event, HandleEvent};
use jianan_kernel::principal::RequestInfo;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::visit::{FINDING, VISIT};
use crate::entity::enums::{FindingStatus, ServiceRequestStatus};
use crate::entity::{finding, service_request, visit};

/// Links the hazard inspections opened for a finding.
pub struct LinkFindingHazards;

impl HandleEvent<HazardsOpened> for LinkFindingHazards {
    fn name(&self) -> &'static str {
        "experts.link_finding_hazards"
    }
    fn handle<'a>(
        &'a self,
        w: &'a WriteTxn,
        _event: &'a Event,
        e: HazardsOpened,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            if e.origin_type != FINDING_TYPE {
                return Ok(());
            }
            let Some(hazard) = e.hazard_ids.first().copied() else {
                return Ok(());
            };
            let txn: &DatabaseTransaction = w;
            let linked = finding::Entity::update_many()
                .col_expr(finding::Column::HazardId, Expr::value(Some(hazard)))
                .filter(finding::Column::Id.eq(e.origin_id))
                .filter(finding::Column::HazardId.is_null())
                .exec(txn)
                .await?;
            if linked.rows_affected == 1 {
                audit::record(
                    w,
                    &RequestInfo::system("experts"),
                    AuditEntry::new("experts.finding.link_hazard", FINDING, e.origin_id)
                        .detail(json!({ "hazard": hazard })),
                )
                .await?;
            }
            Ok(())
        })
    }
}

/// Closes the finding whose hazard was closed, and the visit (and request) once all are.
pub struct CloseFindings;

impl HandleEvent<HazardClosed> for CloseFindings {
    fn name(&self) -> &'static str {
        "experts.close_findings"
    }
    fn handle<'a>(
        &'a self,
        w: &'a WriteTxn,
        _event: &'a Event,
        e: HazardClosed,
    ) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            let txn: &DatabaseTransaction = w;
            let Some(f) = finding::Entity::find()
                .filter(finding::Column::HazardId.eq(e.hazard_id))
                .filter(finding::Column::Status.eq(FindingStatus::Open))
                .one(txn)
                .await?
            else {
                return Ok(());
            };
            let who = RequestInfo::system("experts");
            let now = Utc::now();
            finding::Entity::update_many()
                .col_expr(finding::Column::Status, Expr::value(FindingStatus::Closed))
                .col_expr(finding::Column::ClosedAt, Expr::value(Some(now)))
                .filter(finding::Column::Id.eq(f.id))
                .exec(txn)
                .await?;
            audit::record(
                w,
                &who,
                AuditEntry::new("experts.finding.close", FINDING, f.id)
                    .detail(json!({ "hazard": e.hazard_id })),
            )
            .await?;
            let open = finding::Entity::find()
                .filter(finding::Column::VisitId.eq(f.visit_id))
                .filter(finding::Column::Status.eq(FindingStatus::Open))
                .count(txn)
                .await?;
            if open == 0 {
                visit::Entity::update_many()
                    .col_expr(visit::Column::ClosedAt, Expr::value(Some(now)))
                    .filter(visit::Column::Id.eq(f.visit_id))
                    .exec(txn)
                    .await?;
                service_request::Entity::update_many()
                    .col_expr(
                        service_request::Column::Status,
                        Expr::value(ServiceRequestStatus::Closed),
                    )
                    .col_expr(
                        service_request::Column::Version,
                        Expr::col(service_request::Column::Version).add(1),
                    )
                    .col_expr(service_request::Column::UpdatedAt, Expr::value(now))
                    .filter(service_request::Column::Id.eq(f.request_id))
                    .exec(txn)
                    .await?;
                audit::record(
                    w,
                    &who,
                    AuditEntry::new("experts.visit.follow_up_done", VISIT, f.visit_id)
                        .detail(json!({ "request": f.request_id })),
                )
                .await?;
            }
            Ok(())
        })
    }
}

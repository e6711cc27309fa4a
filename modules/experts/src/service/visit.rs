//! 专家服务记录 — the visit of the experts assigned to a request: what they did and what they
//! found. Each finding is published as `experts.visit_finding`; inspections opens one general
//! hazard for it and the follow-up ([`super::followup`]) closes the finding when that hazard is
//! closed.
use chrono::{NaiveDate, Utc};
use jianan_contracts::experts::VisitFinding;
use jianan_contracts::inspections::GENERAL_HAZARD_CATEGORIES;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::{local_date, today};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::claim_read;
use jianan_kernel::{AppError, AppResult, Kernel, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{FindingStatus, ServiceRequestStatus};
use crate::entity::{finding, service_request, visit};
use crate::perms;

/// The GraphQL type names.
pub const VISIT: &str = "ExpertVisit";
pub const FINDING: &str = jianan_contracts::experts::FINDING_TYPE;

/// Most findings one visit records.
pub const MAX_FINDINGS: usize = 50;

/// A finding as entered.
#[derive(Debug, Clone, Serialize)]
pub struct NewFinding {
    pub category: String,
    pub description: String,
    pub location: String,
}

/// What `record` needs.
#[derive(Debug, Clone, Serialize)]
pub struct NewVisit {
    pub request_id: Uuid,
    pub visited_on: NaiveDate,
    pub summary: String,
    pub findings: Vec<NewFinding>,
    pub idempotency_key: Option<String>,
}

/// Loads a visit by id (no scope).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<visit::Model> {
    visit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("专家服务记录"))
}

/// 录入服务记录 (`experts.visit.record`): by an expert serving on the request (an expert's scope
/// reaches only the requests they serve on) or by the commission's staff; once per request,
/// after experts were assigned. The day may not be in the future nor before the request.
/// Findings name one of the general hazard categories. A request without findings is closed at
/// once; otherwise it is followed up until every finding's hazard is closed.
pub async fn record(k: &Kernel, who: &RequestInfo, input: NewVisit) -> AppResult<visit::Model> {
    let p = &who.principal;
    p.require(perms::VISIT_RECORD)?;
    let key = IdempotencyKey::from_input(
        who,
        "recordExpertVisit",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let summary = required_text("summary", "服务情况", &input.summary, 4000)?;
    jianan_kernel::validate::at_most("findings", "发现问题", &input.findings, MAX_FINDINGS)?;
    let mut findings = Vec::with_capacity(input.findings.len());
    for f in &input.findings {
        if !GENERAL_HAZARD_CATEGORIES.contains(&f.category.as_str()) {
            return Err(AppError::bad_input(
                "findings",
                "隐患类别不在一般隐患类别之列",
            ));
        }
        findings.push(NewFinding {
            category: f.category.clone(),
            description: required_text("findings", "问题描述", &f.description, 1000)?,
            location: required_text("findings", "部位", &f.location, 200)?,
        });
    }
    if input.visited_on > today() {
        return Err(AppError::bad_input("visitedOn", "服务日期不能晚于今天"));
    }
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let r = scoped::<service_request::Entity>(p)
        .filter(service_request::Column::Id.eq(input.request_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("专家服务申请"))?;
    match r.status {
        ServiceRequestStatus::ExpertsAssigned => {}
        ServiceRequestStatus::Open => {
            return Err(AppError::conflict("尚未派出专家，不能录入服务记录"));
        }
        _ => return Err(AppError::conflict("该申请已录入服务记录")),
    }
    if input.visited_on < local_date(r.created_at) {
        return Err(AppError::bad_input("visitedOn", "服务日期不能早于申请日期"));
    }
    claim_read::<service_request::Entity, _>(&*w, r.id, r.version, None).await?;
    let now = Utc::now();
    let model = visit::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(r.id),
        project_id: Set(r.project_id),
        township_id: Set(r.township_id),
        visited_on: Set(input.visited_on),
        summary: Set(summary),
        recorded_by: Set(p.account_id),
        closed_at: Set(findings.is_empty().then_some(now)),
        created_at: Set(now),
    }
    .insert(&*w)
    .await?;
    let mut ids = Vec::with_capacity(findings.len());
    for (i, f) in findings.iter().enumerate() {
        let fm = finding::ActiveModel {
            id: Set(Uuid::now_v7()),
            visit_id: Set(model.id),
            request_id: Set(r.id),
            project_id: Set(r.project_id),
            township_id: Set(r.township_id),
            ordinal: Set(i32::try_from(i).map_err(AppError::internal)?),
            category: Set(f.category.clone()),
            description: Set(f.description.clone()),
            location: Set(f.location.clone()),
            status: Set(FindingStatus::Open),
            hazard_id: Set(None),
            closed_at: Set(None),
            created_at: Set(now),
        }
        .insert(&*w)
        .await?;
        outbox::publish_event(
            &*w,
            who,
            &VisitFinding {
                finding_id: fm.id,
                visit_id: model.id,
                project_id: r.project_id,
                category: f.category.clone(),
                description: f.description.clone(),
                location: f.location.clone(),
            },
        )
        .await?;
        ids.push(fm.id);
    }
    let status = if findings.is_empty() {
        ServiceRequestStatus::Closed
    } else {
        ServiceRequestStatus::FollowingUp
    };
    service_request::Entity::update_many()
        .col_expr(service_request::Column::Status, Expr::value(status))
        .filter(service_request::Column::Id.eq(r.id))
        .exec(&*w)
        .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.visit.record", VISIT, model.id).detail(json!({
            "request": r.id,
            "visitedOn": input.visited_on,
            "findings": ids,
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

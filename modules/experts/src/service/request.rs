//! 专家服务申请 — the commission, or an enterprise for a project it takes part in, asks for an
//! expert visit (“进企业、到项目、查隐患、促整改”) on a topic and specialty; experts are then drawn
//! or appointed ([`super::draw`]), the visit recorded ([`super::visit`]) and its findings followed
//! up until closed ([`super::followup`]).
use chrono::Utc;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::Versioned;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{ServiceRequestStatus, ServiceRequester, Specialty};
use crate::entity::service_request;
use crate::perms;

/// The GraphQL type name of a request.
pub const REQUEST: &str = "ExpertServiceRequest";

/// Most experts one visit asks for.
pub const MAX_EXPERTS_PER_VISIT: i32 = 5;

impl Versioned for service_request::Entity {
    fn id_column() -> service_request::Column {
        service_request::Column::Id
    }
    fn version_column() -> service_request::Column {
        service_request::Column::Version
    }
    fn updated_at_column() -> service_request::Column {
        service_request::Column::UpdatedAt
    }
}

/// What `create` needs.
#[derive(Debug, Clone, Serialize)]
pub struct NewRequest {
    pub project_id: Uuid,
    pub topic: String,
    pub specialty: Specialty,
    pub expert_count: i32,
    pub idempotency_key: Option<String>,
}

/// Loads a request by id (no scope).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<service_request::Model> {
    service_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("专家服务申请"))
}

/// 申请专家服务 (`experts.request.create`). An enterprise's people ask for a project their
/// enterprise takes part in (the project must be in their scope); the commission for any.
pub async fn create(
    k: &Kernel,
    who: &RequestInfo,
    input: NewRequest,
) -> AppResult<service_request::Model> {
    let p = &who.principal;
    p.require(perms::REQUEST_CREATE)?;
    let key = IdempotencyKey::from_input(
        who,
        "createExpertServiceRequest",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let topic = required_text("topic", "服务事项", &input.topic, 500)?;
    if !(1..=MAX_EXPERTS_PER_VISIT).contains(&input.expert_count) {
        return Err(AppError::bad_input(
            "expertCount",
            format!("每次服务的专家人数应为1到{MAX_EXPERTS_PER_VISIT}人"),
        ));
    }
    let enterprise = p
        .roles
        .iter()
        .any(|r| r.is_enterprise())
        .then_some(p.enterprise_id)
        .flatten();
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let project = super::visible_project(&*w, p, input.project_id, "projectId").await?;
    let now = Utc::now();
    let model = service_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(project.id),
        township_id: Set(project.township_id),
        requester: Set(if enterprise.is_some() {
            ServiceRequester::Enterprise
        } else {
            ServiceRequester::Commission
        }),
        requester_enterprise_id: Set(enterprise),
        topic: Set(topic),
        specialty: Set(input.specialty),
        expert_count: Set(input.expert_count),
        status: Set(ServiceRequestStatus::Open),
        created_by: Set(p.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.request.create", REQUEST, model.id).detail(json!({
            "project": project.code,
            "specialty": input.specialty,
            "experts": input.expert_count,
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

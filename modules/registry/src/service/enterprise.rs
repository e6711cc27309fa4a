//! Enterprises: create, update, archive.
use chrono::{NaiveDate, Utc};
use jianan_contracts::registry as events;
use jianan_entity::enterprise;
use jianan_entity::enums::EnterpriseKind;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::versioning::{self, claim};
use jianan_kernel::{AppError, AppResult, Kernel, outbox};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::uscc;
use jianan_kernel::validate::{optional_text, required_text};

/// 登记企业 — a new enterprise. Serialised (without the key) to fingerprint an idempotent retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewEnterprise {
    /// 统一社会信用代码（18位，GB 32100-2015）(unified social credit code)
    pub uscc: String,
    /// 企业名称 (name)
    pub name: String,
    /// 企业类型 (kind)
    pub kind: EnterpriseKind,
    /// 法定代表人 (legal representative)
    pub legal_representative: Option<String>,
    /// 注册地址 (registered address)
    pub address: Option<String>,
    /// 资质 (qualifications)
    pub qualifications: Option<Vec<String>>,
    /// 安全生产许可证编号 (safety-production licence number)
    pub licence_no: Option<String>,
    /// 安全生产许可证有效期至 (licence valid until)
    pub licence_expires_on: Option<NaiveDate>,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// 修改企业信息 — changes to an enterprise; `None` leaves a field unchanged.
#[derive(Debug, Clone)]
pub struct EnterpriseUpdate {
    /// 企业 (the enterprise)
    pub id: Uuid,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
    /// 统一社会信用代码 (unified social credit code)
    pub uscc: Option<String>,
    /// 企业名称 (name)
    pub name: Option<String>,
    /// 企业类型 (kind)
    pub kind: Option<EnterpriseKind>,
    /// 法定代表人 (legal representative)
    pub legal_representative: Option<String>,
    /// 注册地址 (address)
    pub address: Option<String>,
    /// 资质 (qualifications; replaces the list)
    pub qualifications: Option<Vec<String>>,
    /// 安全生产许可证编号 (licence number)
    pub licence_no: Option<String>,
    /// 安全生产许可证有效期至 (licence valid until)
    pub licence_expires_on: Option<NaiveDate>,
}

/// The normalised code, or `BAD_USER_INPUT` on field `uscc` with the standard's reason.
pub fn checked_uscc(code: &str) -> AppResult<String> {
    let code = uscc::normalize(code);
    uscc::validate(&code).map_err(|e| AppError::bad_input("uscc", e.message_zh()))?;
    Ok(code)
}

fn qualifications_json(q: &[String]) -> AppResult<String> {
    let list = q
        .iter()
        .map(|s| required_text("qualifications", "资质名称", s, 100))
        .collect::<AppResult<Vec<_>>>()?;
    serde_json::to_string(&list).map_err(AppError::internal)
}

fn unique_uscc(e: sea_orm::DbErr) -> AppError {
    if jianan_kernel::error::is_unique_violation(&e) {
        AppError::bad_input("uscc", "该统一社会信用代码已登记")
    } else {
        e.into()
    }
}

/// Loads an enterprise by id (no scope: callers have checked it).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<enterprise::Model> {
    enterprise::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("企业"))
}

/// Registers an enterprise.
pub async fn create(
    k: &Kernel,
    who: &RequestInfo,
    input: NewEnterprise,
) -> AppResult<enterprise::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "createEnterprise",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let code = checked_uscc(&input.uscc)?;
    let name = required_text("name", "企业名称", &input.name, 100)?;
    let legal = optional_text(
        "legalRepresentative",
        "法定代表人",
        input.legal_representative.as_deref(),
        50,
    )?;
    let address = optional_text("address", "地址", input.address.as_deref(), 200)?;
    let quals = qualifications_json(input.qualifications.as_deref().unwrap_or_default())?;
    let licence = optional_text(
        "licenceNo",
        "安全生产许可证编号",
        input.licence_no.as_deref(),
        64,
    )?;

    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let now = Utc::now();
    let model = enterprise::ActiveModel {
        id: Set(Uuid::now_v7()),
        uscc: Set(code),
        name: Set(name),
        kind: Set(input.kind),
        legal_representative: Set(legal),
        address: Set(address),
        qualifications: Set(quals),
        licence_no: Set(licence),
        licence_expires_on: Set(input.licence_expires_on),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&*w)
    .await
    .map_err(unique_uscc)?;
    audit::record(
        &w,
        who,
        AuditEntry::new("registry.enterprise.create", "Enterprise", model.id)
            .detail(serde_json::json!({ "uscc": model.uscc, "name": model.name })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::EnterpriseCreated {
            enterprise_id: model.id,
            uscc: model.uscc.clone(),
        },
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Updates an enterprise (optimistic concurrency through `expectedVersion`).
pub async fn update(
    k: &Kernel,
    who: &RequestInfo,
    input: EnterpriseUpdate,
) -> AppResult<enterprise::Model> {
    let id = input.id;
    let mut changes = serde_json::Map::new();
    let mut am = enterprise::ActiveModel {
        id: sea_orm::Unchanged(id),
        ..Default::default()
    };
    if let Some(u) = &input.uscc {
        let code = checked_uscc(u)?;
        changes.insert("uscc".into(), code.clone().into());
        am.uscc = Set(code);
    }
    if let Some(n) = &input.name {
        let n = required_text("name", "企业名称", n, 100)?;
        changes.insert("name".into(), n.clone().into());
        am.name = Set(n);
    }
    if let Some(kind) = input.kind {
        changes.insert(
            "kind".into(),
            serde_json::to_value(kind).unwrap_or_default(),
        );
        am.kind = Set(kind);
    }
    if let Some(v) = &input.legal_representative {
        am.legal_representative = Set(optional_text(
            "legalRepresentative",
            "法定代表人",
            Some(v),
            50,
        )?);
        changes.insert("legalRepresentative".into(), v.clone().into());
    }
    if let Some(v) = &input.address {
        am.address = Set(optional_text("address", "地址", Some(v), 200)?);
        changes.insert("address".into(), v.clone().into());
    }
    if let Some(q) = &input.qualifications {
        am.qualifications = Set(qualifications_json(q)?);
        changes.insert("qualifications".into(), q.clone().into());
    }
    if let Some(v) = &input.licence_no {
        am.licence_no = Set(optional_text(
            "licenceNo",
            "安全生产许可证编号",
            Some(v),
            64,
        )?);
        changes.insert("licenceNo".into(), v.clone().into());
    }
    if let Some(d) = input.licence_expires_on {
        am.licence_expires_on = Set(Some(d));
        changes.insert("licenceExpiresOn".into(), d.to_string().into());
    }
    let w = k.db.begin_write().await?;
    get(&*w, id).await?;
    claim::<enterprise::Entity, _>(&*w, id, input.expected_version).await?;
    if am.is_changed() {
        am.update(&*w).await.map_err(unique_uscc)?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("registry.enterprise.update", "Enterprise", id).detail(changes.into()),
    )
    .await?;
    let model = get(&*w, id).await?;
    outbox::publish_event(
        &*w,
        who,
        &events::EnterpriseUpdated {
            enterprise_id: id,
            version: model.version,
        },
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// Archives an enterprise: it disappears from default lists but stays referable.
pub async fn archive(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<enterprise::Model> {
    let w = k.db.begin_write().await?;
    get(&*w, id).await?;
    if versioning::archive::<enterprise::Entity, _>(&*w, id, expected_version).await? {
        audit::record(
            &w,
            who,
            AuditEntry::new("registry.enterprise.archive", "Enterprise", id),
        )
        .await?;
        outbox::publish_event(&*w, who, &events::EnterpriseArchived { enterprise_id: id }).await?;
    }
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

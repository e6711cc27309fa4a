//! The expert library (专家库): experts with their specialties, title, certificates (expiry
//! flagged), employer (by unified social credit code, for avoidance), status and contact; an
//! expert may be linked to a login account of role EXPERT, which then sees only their own work.
use chrono::{NaiveDate, Utc};
use jianan_entity::{account, enterprise};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::{RequestInfo, Role, roles_of};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{phone, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{ExpertStatus, Specialty};
use crate::entity::{certificate, expert};
use crate::perms;

/// The GraphQL type name of an expert.
pub const EXPERT: &str = "Expert";

impl Versioned for expert::Entity {
    fn id_column() -> expert::Column {
        expert::Column::Id
    }
    fn version_column() -> expert::Column {
        expert::Column::Version
    }
    fn updated_at_column() -> expert::Column {
        expert::Column::UpdatedAt
    }
}

/// A certificate as entered.
#[derive(Debug, Clone, Serialize)]
pub struct NewCertificate {
    pub name: String,
    pub number: String,
    pub expires_on: NaiveDate,
}

/// What `register` needs.
#[derive(Debug, Clone, Serialize)]
pub struct NewExpert {
    pub name: String,
    pub specialties: Vec<Specialty>,
    pub title: String,
    pub employer_uscc: Option<String>,
    pub employer_name: Option<String>,
    pub phone: Option<String>,
    pub account_id: Option<Uuid>,
    pub certificates: Vec<NewCertificate>,
    pub idempotency_key: Option<String>,
}

/// The stored form of a specialty list: codes with a comma on each side.
pub fn specialties_text(s: &[Specialty]) -> String {
    let mut s = s.to_vec();
    s.sort();
    s.dedup();
    let codes: Vec<String> = s.iter().map(code).collect();
    format!(",{},", codes.join(","))
}

/// The SCREAMING_CASE code of a specialty.
pub fn code(s: &Specialty) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The specialties of a stored expert.
pub fn specialties_of(m: &expert::Model) -> Vec<Specialty> {
    m.specialties
        .split(',')
        .filter(|c| !c.is_empty())
        .filter_map(|c| serde_json::from_value(serde_json::Value::String(c.to_owned())).ok())
        .collect()
}

fn checked_certificates(c: &[NewCertificate]) -> AppResult<Vec<NewCertificate>> {
    jianan_kernel::validate::at_most("certificates", "证书", c, 20)?;
    c.iter()
        .map(|c| {
            Ok(NewCertificate {
                name: required_text("certificates", "证书名称", &c.name, 100)?,
                number: required_text("certificates", "证书编号", &c.number, 64)?,
                expires_on: c.expires_on,
            })
        })
        .collect()
}

async fn insert_certificates<C: ConnectionTrait>(
    db: &C,
    expert_id: Uuid,
    c: &[NewCertificate],
) -> AppResult<()> {
    for c in c {
        certificate::ActiveModel {
            id: Set(Uuid::now_v7()),
            expert_id: Set(expert_id),
            name: Set(c.name.clone()),
            number: Set(c.number.clone()),
            expires_on: Set(c.expires_on),
            created_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// 专家入库 (`experts.expert.manage`). The employer, when given by its unified social credit
/// code, is linked to the registry's enterprise of that code (its name taken from there) so that
/// avoidance knows it; an unregistered employer keeps its code and the name given. A linked
/// account must be an active EXPERT account not linked to another expert.
pub async fn register(k: &Kernel, who: &RequestInfo, input: NewExpert) -> AppResult<expert::Model> {
    who.principal.require(perms::EXPERT_MANAGE)?;
    let key = IdempotencyKey::from_input(
        who,
        "registerExpert",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let name = required_text("name", "姓名", &input.name, 50)?;
    let title = required_text("title", "职称", &input.title, 50)?;
    if input.specialties.is_empty() {
        return Err(AppError::bad_input("specialties", "至少填写一个专业领域"));
    }
    let phone = phone("phone", input.phone.as_deref())?;
    let uscc = match input.employer_uscc.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(
            jianan_registry::service::enterprise::checked_uscc(c)
                .map_err(|_| AppError::bad_input("employerUscc", "任职单位统一社会信用代码有误"))?,
        ),
    };
    let certificates = checked_certificates(&input.certificates)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let employer = match &uscc {
        None => None,
        Some(c) => {
            enterprise::Entity::find()
                .filter(enterprise::Column::Uscc.eq(c.as_str()))
                .one(&*w)
                .await?
        }
    };
    let employer_name = match (&employer, &uscc) {
        (Some(e), _) => Some(e.name.clone()),
        (None, Some(_)) => Some(required_text(
            "employerName",
            "任职单位名称",
            input.employer_name.as_deref().unwrap_or_default(),
            100,
        )?),
        (None, None) => None,
    };
    if let Some(a) = input.account_id {
        check_account(&*w, a).await?;
    }
    let now = Utc::now();
    let model = expert::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        specialties: Set(specialties_text(&input.specialties)),
        title: Set(title),
        employer_uscc: Set(uscc),
        employer_enterprise_id: Set(employer.as_ref().map(|e| e.id)),
        employer_name: Set(employer_name),
        status: Set(ExpertStatus::Active),
        phone: Set(phone),
        account_id: Set(input.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    insert_certificates(&*w, model.id, &certificates).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.expert.register", EXPERT, model.id).detail(json!({
            "specialties": model.specialties,
            "employer": model.employer_enterprise_id,
            "account": model.account_id,
            "certificates": certificates.len(),
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

async fn check_account<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<()> {
    let ok = account::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|a| a.archived_at.is_none() && roles_of(&a).contains(&Role::Expert));
    if !ok {
        return Err(AppError::bad_input(
            "accountId",
            "账号不存在、已停用或不是专家账号",
        ));
    }
    let taken = expert::Entity::find()
        .filter(expert::Column::AccountId.eq(id))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(AppError::bad_input("accountId", "该账号已关联其他专家"));
    }
    Ok(())
}

/// Loads an expert by id (no scope: for services that checked the caller already).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<expert::Model> {
    expert::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("专家"))
}

/// 暂停、恢复、退出 (`experts.expert.manage`): changes an expert's status. A retired expert
/// stays retired; setting the status it has is refused.
pub async fn set_status(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    status: ExpertStatus,
    reason: &str,
    expected_version: Option<i32>,
) -> AppResult<expert::Model> {
    let p = &who.principal;
    p.require(perms::EXPERT_MANAGE)?;
    let reason = required_text("reason", "原因", reason, 500)?;
    let w = k.db.begin_write().await?;
    let e = scoped::<expert::Entity>(p)
        .filter(expert::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("专家"))?;
    if e.status == ExpertStatus::Retired {
        return Err(AppError::conflict("该专家已退出专家库"));
    }
    if e.status == status {
        return Err(AppError::conflict("专家已是该状态"));
    }
    claim_read::<expert::Entity, _>(&*w, id, e.version, expected_version).await?;
    let mut am: expert::ActiveModel = get(&*w, id).await?.into();
    am.status = Set(status);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.expert.set_status", EXPERT, id)
            .detail(json!({ "from": e.status, "to": status, "reason": reason })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// 登记证书 (`experts.expert.manage`).
pub async fn add_certificate(
    k: &Kernel,
    who: &RequestInfo,
    expert_id: Uuid,
    c: NewCertificate,
) -> AppResult<certificate::Model> {
    let p = &who.principal;
    p.require(perms::EXPERT_MANAGE)?;
    let c = checked_certificates(std::slice::from_ref(&c))?
        .pop()
        .ok_or_else(|| AppError::internal("certificate vanished"))?;
    let w = k.db.begin_write().await?;
    let e = scoped::<expert::Entity>(p)
        .filter(expert::Column::Id.eq(expert_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("expertId", "专家不存在"))?;
    insert_certificates(&*w, e.id, std::slice::from_ref(&c)).await?;
    let model = certificate::Entity::find()
        .filter(certificate::Column::ExpertId.eq(e.id))
        .filter(certificate::Column::Number.eq(c.number.as_str()))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::internal("certificate vanished"))?;
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.certificate.add", EXPERT, e.id)
            .detail(json!({ "certificate": model.id, "expiresOn": c.expires_on })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

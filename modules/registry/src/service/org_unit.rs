//! Org units: the commission, its departments, townships and streets, external agencies.
use chrono::Utc;
use jianan_entity::enums::OrgUnitKind;
use jianan_entity::{account, org_unit};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::versioning::{self, claim};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use serde::Serialize;
use uuid::Uuid;

use jianan_kernel::validate::required_text;

/// 新建组织 — a new org unit. Serialised (without the key) to fingerprint an idempotent retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrgUnit {
    /// 组织代码，如 TS-BAIMA (code)
    pub code: String,
    /// 名称 (name)
    pub name: String,
    /// 类型 (kind)
    pub kind: OrgUnitKind,
    /// 上级组织 (parent)
    pub parent_id: Option<Uuid>,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// 修改组织 — changes to an org unit; `None` leaves a field unchanged.
#[derive(Debug, Clone)]
pub struct OrgUnitUpdate {
    /// 组织 (the org unit)
    pub id: Uuid,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
    /// 名称 (name)
    pub name: Option<String>,
    /// 上级组织 (parent)
    pub parent_id: Option<Uuid>,
    /// 负责人：本组织的账号 (head: an account of this unit)
    pub head_account_id: Option<Uuid>,
    /// 是否领导小组办公室所在单位（全区仅一个）(hosts the leadership group's office; one at most)
    pub leadership_office: Option<bool>,
}

/// Loads an org unit by id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<org_unit::Model> {
    org_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("组织"))
}

fn checked_code(code: &str) -> AppResult<String> {
    let code = required_text("code", "组织代码", code, 32)?.to_uppercase();
    if code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(code)
    } else {
        Err(AppError::bad_input(
            "code",
            "组织代码只能包含字母、数字、连字符和下划线",
        ))
    }
}

async fn checked_parent<C: ConnectionTrait>(
    db: &C,
    parent: Option<Uuid>,
    me: Option<Uuid>,
) -> AppResult<Option<Uuid>> {
    let Some(id) = parent else {
        return Ok(None);
    };
    if Some(id) == me {
        return Err(AppError::bad_input("parentId", "上级组织不能是自身"));
    }
    get(db, id)
        .await
        .map_err(|_| AppError::bad_input("parentId", "上级组织不存在"))?;
    Ok(Some(id))
}

/// Creates an org unit.
pub async fn create(
    k: &Kernel,
    who: &RequestInfo,
    input: NewOrgUnit,
) -> AppResult<org_unit::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "createOrgUnit",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let code = checked_code(&input.code)?;
    let name = required_text("name", "组织名称", &input.name, 100)?;
    let parent = checked_parent(&k.db.conn, input.parent_id, None).await?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let now = Utc::now();
    let model = org_unit::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(code),
        name: Set(name),
        kind: Set(input.kind),
        parent_id: Set(parent),
        head_account_id: Set(None),
        leadership_office: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&*w)
    .await
    .map_err(|e| {
        if jianan_kernel::error::is_unique_violation(&e) {
            AppError::bad_input("code", "组织代码已存在")
        } else {
            e.into()
        }
    })?;
    audit::record(
        &w,
        who,
        AuditEntry::new("registry.org_unit.create", "OrgUnit", model.id)
            .detail(serde_json::json!({ "code": model.code, "name": model.name })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Renames or re-parents an org unit.
pub async fn update(
    k: &Kernel,
    who: &RequestInfo,
    input: OrgUnitUpdate,
) -> AppResult<org_unit::Model> {
    let id = input.id;
    let mut am = org_unit::ActiveModel {
        id: sea_orm::Unchanged(id),
        ..Default::default()
    };
    if let Some(n) = &input.name {
        am.name = Set(required_text("name", "组织名称", n, 100)?);
    }
    if input.parent_id.is_some() {
        am.parent_id = Set(checked_parent(&k.db.conn, input.parent_id, Some(id)).await?);
    }
    let w = k.db.begin_write().await?;
    let current = get(&*w, id).await?;
    if let Some(head) = input.head_account_id {
        let a = account::Entity::find_by_id(head)
            .one(&*w)
            .await?
            .filter(|a| a.archived_at.is_none())
            .ok_or_else(|| AppError::bad_input("headAccountId", "负责人账号不存在或已停用"))?;
        if a.org_unit_id != Some(id) {
            return Err(AppError::bad_input(
                "headAccountId",
                "负责人须为本组织的账号",
            ));
        }
        am.head_account_id = Set(Some(head));
    }
    if let Some(office) = input.leadership_office {
        if office
            && !matches!(
                current.kind,
                OrgUnitKind::Department | OrgUnitKind::Commission
            )
        {
            return Err(AppError::bad_input(
                "leadershipOffice",
                "领导小组办公室只能设在委机关或委内科室、直属单位",
            ));
        }
        if office && !current.leadership_office {
            // One office in the district: moving it clears the previous unit's mark.
            org_unit::Entity::update_many()
                .col_expr(org_unit::Column::LeadershipOffice, Expr::value(false))
                .filter(org_unit::Column::LeadershipOffice.eq(true))
                .exec(&*w)
                .await?;
        }
        am.leadership_office = Set(office);
    }
    claim::<org_unit::Entity, _>(&*w, id, input.expected_version).await?;
    if am.is_changed() {
        am.update(&*w).await?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("registry.org_unit.update", "OrgUnit", id).detail(serde_json::json!({
            "name": input.name, "headAccountId": input.head_account_id,
            "leadershipOffice": input.leadership_office,
        })),
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

/// Archives an org unit.
pub async fn archive(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<org_unit::Model> {
    let w = k.db.begin_write().await?;
    get(&*w, id).await?;
    if versioning::archive::<org_unit::Entity, _>(&*w, id, expected_version).await? {
        audit::record(
            &w,
            who,
            AuditEntry::new("registry.org_unit.archive", "OrgUnit", id),
        )
        .await?;
    }
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

//! Accounts: people and service accounts, with their roles and anchors (org unit, enterprise).
use chrono::Utc;
use jianan_entity::enums::AccountKind;
use jianan_entity::{account, enterprise, org_unit};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::{RequestInfo, Role};
use jianan_kernel::versioning::{self, claim};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::Serialize;
use uuid::Uuid;

use super::auth::hash_secret;
use jianan_kernel::validate::{phone, required_text};

/// Shortest password or client secret accepted.
pub const MIN_SECRET_LEN: usize = 8;

/// 新建账号 — a new account. Serialised (without secret and key) to fingerprint an idempotent
/// retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAccount {
    /// 用户名（服务账号为客户端编号）(username, or client id of a service account)
    pub username: String,
    /// 显示名称 (display name)
    pub display_name: String,
    /// 账号类型，默认人员账号 (kind, default PERSON)
    pub kind: Option<AccountKind>,
    /// 初始密码（服务账号为客户端密钥），至少8位 (password or client secret)
    #[serde(skip)]
    pub password: String,
    /// 角色 (roles)
    pub roles: Vec<Role>,
    /// 所属组织 (org unit)
    pub org_unit_id: Option<Uuid>,
    /// 所属企业，企业人员必填 (enterprise; required for enterprise roles)
    pub enterprise_id: Option<Uuid>,
    /// 手机号码 (mobile number)
    pub phone: Option<String>,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// 修改账号 — changes to an account; `None` leaves a field unchanged.
#[derive(Debug, Clone)]
pub struct AccountUpdate {
    /// 账号 (the account)
    pub id: Uuid,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
    /// 显示名称 (display name)
    pub display_name: Option<String>,
    /// 新密码 (new password)
    pub password: Option<String>,
    /// 角色，整体替换 (roles, replaced)
    pub roles: Option<Vec<Role>>,
    /// 所属组织 (org unit)
    pub org_unit_id: Option<Uuid>,
    /// 所属企业 (enterprise)
    pub enterprise_id: Option<Uuid>,
    /// 手机号码 (mobile number)
    pub phone: Option<String>,
}

/// Loads an account by id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<account::Model> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("账号"))
}

fn checked_secret(secret: &str) -> AppResult<String> {
    if secret.chars().count() < MIN_SECRET_LEN {
        return Err(AppError::bad_input(
            "password",
            format!("密码至少{MIN_SECRET_LEN}位"),
        ));
    }
    hash_secret(secret)
}

/// The anchors a set of roles needs: enterprise roles need an enterprise, township staff a
/// township or street.
async fn checked_anchors<C: ConnectionTrait>(
    db: &C,
    roles: &[Role],
    org: Option<Uuid>,
    ent: Option<Uuid>,
) -> AppResult<(Option<Uuid>, Option<Uuid>)> {
    if roles.is_empty() {
        return Err(AppError::bad_input("roles", "至少需要一个角色"));
    }
    let org = match org {
        Some(id) => Some(
            org_unit::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::bad_input("orgUnitId", "所属组织不存在"))?,
        ),
        None => None,
    };
    let ent = match ent {
        Some(id) => {
            enterprise::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::bad_input("enterpriseId", "所属企业不存在"))?;
            Some(id)
        }
        None => None,
    };
    if roles.iter().any(|r| r.is_enterprise()) && ent.is_none() {
        return Err(AppError::bad_input(
            "enterpriseId",
            "企业人员账号必须指定所属企业",
        ));
    }
    if roles.contains(&Role::TownshipStaff)
        && !org.as_ref().is_some_and(|o| o.kind.is_territorial())
    {
        return Err(AppError::bad_input(
            "orgUnitId",
            "乡镇（街道）工作人员必须属于一个乡镇或街道",
        ));
    }
    Ok((org.map(|o| o.id), ent))
}

fn roles_json(roles: &[Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_owned())
}

/// Creates an account.
pub async fn create(k: &Kernel, who: &RequestInfo, input: NewAccount) -> AppResult<account::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "createAccount",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let username = required_text("username", "用户名", &input.username, 64)?;
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c))
    {
        return Err(AppError::bad_input(
            "username",
            "用户名只能包含字母、数字和 - _ . @",
        ));
    }
    let display = required_text("displayName", "显示名称", &input.display_name, 50)?;
    let phone = phone("phone", input.phone.as_deref())?;
    let (org, ent) = checked_anchors(
        &k.db.conn,
        &input.roles,
        input.org_unit_id,
        input.enterprise_id,
    )
    .await?;
    let secret_hash = checked_secret(&input.password)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let now = Utc::now();
    let model = account::ActiveModel {
        id: Set(Uuid::now_v7()),
        username: Set(username),
        display_name: Set(display),
        kind: Set(input.kind.unwrap_or(AccountKind::Person)),
        secret_hash: Set(secret_hash),
        roles: Set(roles_json(&input.roles)),
        org_unit_id: Set(org),
        enterprise_id: Set(ent),
        phone: Set(phone),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&*w)
    .await
    .map_err(|e| {
        if jianan_kernel::error::is_unique_violation(&e) {
            AppError::bad_input("username", "用户名已存在")
        } else {
            e.into()
        }
    })?;
    record_roles(&*w, model.id, &input.roles).await?;
    audit::record(
        &*w,
        who,
        AuditEntry::new("registry.account.create", "Account", model.id)
            .detail(serde_json::json!({ "username": model.username, "roles": input.roles })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Keeps the account's role history (`state_span`, subject type `Account`): a leader's monthly
/// duty is owed for the months they held the role. No roles when archived.
pub async fn record_roles<C: ConnectionTrait>(txn: &C, id: Uuid, roles: &[Role]) -> AppResult<()> {
    let states: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    jianan_kernel::history::set_states(txn, "Account", id, &states, Utc::now()).await
}

/// Updates an account; a password change is audited without the password.
pub async fn update(
    k: &Kernel,
    who: &RequestInfo,
    input: AccountUpdate,
) -> AppResult<account::Model> {
    let id = input.id;
    let current = get(&k.db.conn, id).await?;
    let mut am = account::ActiveModel {
        id: sea_orm::Unchanged(id),
        ..Default::default()
    };
    if let Some(d) = &input.display_name {
        am.display_name = Set(required_text("displayName", "显示名称", d, 50)?);
    }
    if let Some(p) = &input.password {
        am.secret_hash = Set(checked_secret(p)?);
    }
    if let Some(p) = &input.phone {
        am.phone = Set(phone("phone", Some(p))?);
    }
    if input.roles.is_some() || input.org_unit_id.is_some() || input.enterprise_id.is_some() {
        let roles = input
            .roles
            .clone()
            .unwrap_or_else(|| super::auth::roles_of(&current));
        let org_id = input.org_unit_id.or(current.org_unit_id);
        let ent_id = input.enterprise_id.or(current.enterprise_id);
        let (org, ent) = checked_anchors(&k.db.conn, &roles, org_id, ent_id).await?;
        am.roles = Set(roles_json(&roles));
        am.org_unit_id = Set(org);
        am.enterprise_id = Set(ent);
    }
    let w = k.db.begin_write().await?;
    claim::<account::Entity, _>(&*w, id, input.expected_version).await?;
    if am.is_changed() {
        am.update(&*w).await?;
    }
    if let Some(roles) = &input.roles
        && current.archived_at.is_none()
    {
        record_roles(&*w, id, roles).await?;
    }
    audit::record(
        &*w,
        who,
        AuditEntry::new("registry.account.update", "Account", id).detail(serde_json::json!({
            "displayName": input.display_name, "roles": input.roles, "passwordChanged": input.password.is_some(),
        })),
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

/// Archives (disables) an account: it can no longer log in or refresh.
pub async fn archive(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<account::Model> {
    let w = k.db.begin_write().await?;
    get(&*w, id).await?;
    if versioning::archive::<account::Entity, _>(&*w, id, expected_version).await? {
        record_roles(&*w, id, &[]).await?;
        audit::record(
            &*w,
            who,
            AuditEntry::new("registry.account.archive", "Account", id),
        )
        .await?;
    }
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

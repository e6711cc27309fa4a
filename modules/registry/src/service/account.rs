//! Accounts: people and service accounts, with their roles and anchors (org unit, enterprise).
use chrono::{NaiveDate, Utc};
use jianan_entity::enums::AccountKind;
use jianan_entity::{account, enterprise, org_unit};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::{RequestInfo, Role};
use jianan_kernel::versioning::{self, claim};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use uuid::Uuid;

use super::auth::{hash_secret_pooled, revoke_account};
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

async fn checked_secret(k: &Kernel, secret: &str) -> AppResult<String> {
    if secret.chars().count() < MIN_SECRET_LEN {
        return Err(AppError::bad_input(
            "password",
            format!("密码至少{MIN_SECRET_LEN}位"),
        ));
    }
    hash_secret_pooled(k, secret).await
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
    if roles.contains(&Role::HouseMonitor) && !org.as_ref().is_some_and(|o| o.kind.is_territorial())
    {
        return Err(AppError::bad_input(
            "orgUnitId",
            "房屋安全监测员必须属于一个乡镇或街道",
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
    let secret_hash = checked_secret(k, &input.password).await?;
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
        enforcement_cert_number: Set(None),
        enforcement_cert_authority: Set(None),
        enforcement_cert_valid_until: Set(None),
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
        &w,
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
        am.secret_hash = Set(checked_secret(k, p).await?);
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
    // What the tokens carry (roles and anchors) or what proves the identity (the password)
    // changes: every sign-in of the account ends, so no refresh token mints the old standing.
    let ends_sign_ins = input.password.is_some()
        || input.roles.as_ref().is_some_and(|r| {
            let mut new: Vec<&str> = r.iter().map(|x| x.as_str()).collect();
            let mut old: Vec<&str> = super::auth::roles_of(&current)
                .iter()
                .map(|x| x.as_str())
                .collect();
            new.sort_unstable();
            new.dedup();
            old.sort_unstable();
            old.dedup();
            new != old
        })
        || input
            .org_unit_id
            .is_some_and(|o| Some(o) != current.org_unit_id)
        || input
            .enterprise_id
            .is_some_and(|e| Some(e) != current.enterprise_id);
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
    let revoked = if ends_sign_ins {
        revoke_account(&*w, id).await?
    } else {
        0
    };
    audit::record(
        &w,
        who,
        AuditEntry::new("registry.account.update", "Account", id).detail(serde_json::json!({
            "displayName": input.display_name, "roles": input.roles, "passwordChanged": input.password.is_some(),
            "refreshTokensRevoked": revoked,
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
        revoke_account(&*w, id).await?;
        audit::record(
            &w,
            who,
            AuditEntry::new("registry.account.archive", "Account", id),
        )
        .await?;
    }
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

/// 执法证 — an enforcement credential (行政执法证件): its number, the authority that issued it and
/// the last day it is valid.
///
/// Only officers with enforcement qualification may enforce: 《中华人民共和国行政处罚法》（2021年修订）
/// 第四十二条 "行政处罚应当由具有行政执法资格的执法人员实施。执法人员不得少于两人". The double-random
/// draw picks its inspectors from the pool of enforcement officers (执法检查人员名录库,
/// 《国务院办公厅关于推广随机抽查规范事中事后监管的通知》国办发〔2015〕58号 二（二）), so an account
/// enters a draw's pool only with a credential valid on the draw date ([`credential_valid_on`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnforcementCredential {
    /// 执法证号 (number)
    pub number: String,
    /// 发证机关 (issuing authority)
    pub issuing_authority: String,
    /// 有效期至，含当日 (valid until, inclusive; a Beijing-time date)
    pub valid_until: NaiveDate,
}

/// The roles whose holders may carry an enforcement credential: the commission's leaders,
/// department staff and inspectors, and township (street) staff, who may hold enforcement
/// powers handed down to townships (《行政处罚法》第二十四条). Enterprise people, experts and
/// service accounts never do.
pub const ENFORCEMENT_ROLES: &[Role] = &[
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
    Role::TownshipStaff,
];

/// The credential recorded on an account, if any (all three columns set).
pub fn credential_of(a: &account::Model) -> Option<EnforcementCredential> {
    match (
        &a.enforcement_cert_number,
        &a.enforcement_cert_authority,
        a.enforcement_cert_valid_until,
    ) {
        (Some(number), Some(authority), Some(valid_until)) => Some(EnforcementCredential {
            number: number.clone(),
            issuing_authority: authority.clone(),
            valid_until,
        }),
        _ => None,
    }
}

/// Whether `credential` is valid on `date`: it exists and `date` is no later than its last valid
/// day (the "valid until" day itself is included). A credential has no start date here: the
/// platform records it once issued.
pub fn credential_valid_on(credential: Option<&EnforcementCredential>, date: NaiveDate) -> bool {
    credential.is_some_and(|c| date <= c.valid_until)
}

/// 登记执法证 — records (or replaces) an account's enforcement credential.
#[derive(Debug, Clone)]
pub struct CredentialChange {
    /// 账号 (the account)
    pub account_id: Uuid,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
    /// 执法证；`None` 为注销 (the credential; `None` clears it)
    pub credential: Option<EnforcementCredential>,
}

/// The account a credential may be recorded on: an active person account holding one of
/// [`ENFORCEMENT_ROLES`]. Refused as `BAD_USER_INPUT` on `accountId`.
fn check_credential_holder(a: &account::Model) -> AppResult<()> {
    if a.archived_at.is_some() {
        return Err(AppError::bad_input("accountId", "账号已停用"));
    }
    if a.kind != AccountKind::Person {
        return Err(AppError::bad_input("accountId", "服务账号不能登记执法证"));
    }
    let roles = super::auth::roles_of(a);
    if !roles.iter().any(|r| ENFORCEMENT_ROLES.contains(r)) {
        return Err(AppError::bad_input(
            "accountId",
            "只有委领导、委内科室、监督检查人员和乡镇（街道）工作人员可以登记执法证",
        ));
    }
    Ok(())
}

/// Sets or clears an account's enforcement credential (`setEnforcementCredential`,
/// `clearEnforcementCredential`). A new credential must not have expired already (today in
/// Beijing time) and its number must not be on another account; clearing an account without one
/// is a `CONFLICT`. Audited in the same transaction; a refused call writes nothing.
pub async fn change_credential(
    k: &Kernel,
    who: &RequestInfo,
    input: CredentialChange,
) -> AppResult<account::Model> {
    let credential = match &input.credential {
        Some(c) => {
            let number = required_text("number", "执法证号", &c.number, 64)?;
            let authority =
                required_text("issuingAuthority", "发证机关", &c.issuing_authority, 100)?;
            if c.valid_until < jianan_kernel::calendar::today() {
                return Err(AppError::bad_input(
                    "validUntil",
                    "执法证已过有效期，不能登记",
                ));
            }
            Some(EnforcementCredential {
                number,
                issuing_authority: authority,
                valid_until: c.valid_until,
            })
        }
        None => None,
    };
    let id = input.account_id;
    let w = k.db.begin_write().await?;
    let current = account::Entity::find_by_id(id)
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("accountId", "账号不存在"))?;
    let action = match &credential {
        Some(c) => {
            check_credential_holder(&current)?;
            let taken = account::Entity::find()
                .filter(account::Column::EnforcementCertNumber.eq(c.number.clone()))
                .filter(account::Column::Id.ne(id))
                .one(&*w)
                .await?;
            if taken.is_some() {
                return Err(AppError::bad_input(
                    "number",
                    "该执法证号已登记在其他账号上",
                ));
            }
            "registry.account.set_enforcement_credential"
        }
        None => {
            if credential_of(&current).is_none() {
                return Err(AppError::conflict("该账号没有登记执法证"));
            }
            "registry.account.clear_enforcement_credential"
        }
    };
    claim::<account::Entity, _>(&*w, id, input.expected_version).await?;
    account::ActiveModel {
        id: sea_orm::Unchanged(id),
        enforcement_cert_number: Set(credential.as_ref().map(|c| c.number.clone())),
        enforcement_cert_authority: Set(credential.as_ref().map(|c| c.issuing_authority.clone())),
        enforcement_cert_valid_until: Set(credential.as_ref().map(|c| c.valid_until)),
        ..Default::default()
    }
    .update(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new(action, "Account", id).detail(serde_json::json!({
            "username": current.username,
            "credential": credential,
            "previousNumber": current.enforcement_cert_number,
        })),
    )
    .await?;
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Worked by hand: a credential valid until 2026-12-31 is valid on the 31st and not on
    /// 2027-01-01; no credential is never valid.
    #[test]
    fn a_credential_is_valid_through_its_last_day_only() {
        let c = EnforcementCredential {
            number: "渝执法2026-0001".into(),
            issuing_authority: "重庆市人民政府".into(),
            valid_until: day(2026, 12, 31),
        };
        assert!(credential_valid_on(Some(&c), day(2026, 12, 2)));
        assert!(credential_valid_on(Some(&c), day(2026, 12, 31)));
        assert!(!credential_valid_on(Some(&c), day(2027, 1, 1)));
        assert!(!credential_valid_on(None, day(2026, 12, 2)));
    }
}

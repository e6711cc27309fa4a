//! Login, rotating refresh tokens with reuse detection, logout and service-account client
//! credentials (docs/security.md).
use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jianan_entity::enums::AccountKind;
use jianan_entity::{account, org_unit, refresh_token};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::{Principal, PrincipalKind, RequestInfo, Role};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Lifetime of a refresh token.
pub const REFRESH_TTL_DAYS: i64 = 30;

/// Hashes a password or client secret with Argon2id (default parameters of the `argon2` crate:
/// 19 MiB, 2 passes — the OWASP minimum).
pub fn hash_secret(secret: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(AppError::internal)?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

fn verify_secret(hash: &str, secret: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(secret.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the account does not exist, so that a wrong name takes as long
/// as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_secret("jianan-dummy").unwrap_or_default());

/// Tokens handed to a client after login or refresh.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub account: account::Model,
}

/// The roles stored on an account.
pub fn roles_of(a: &account::Model) -> Vec<Role> {
    let names: Vec<String> = serde_json::from_str(&a.roles).unwrap_or_default();
    names.iter().filter_map(|n| Role::parse(n)).collect()
}

/// Builds the principal of an account (resolving its township when its unit is territorial).
pub async fn principal_of<C: ConnectionTrait>(
    db: &C,
    k: &Kernel,
    a: &account::Model,
) -> AppResult<Principal> {
    let unit = match a.org_unit_id {
        Some(id) => org_unit::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let roles = roles_of(a);
    Ok(k.tokens.permissions().complete(Principal {
        kind: if a.kind == AccountKind::Service {
            PrincipalKind::Service
        } else {
            PrincipalKind::Person
        },
        account_id: Some(a.id),
        username: a.username.clone(),
        permissions: Default::default(),
        roles,
        org_unit_id: a.org_unit_id,
        township_id: unit.filter(|u| u.kind.is_territorial()).map(|u| u.id),
        enterprise_id: a.enterprise_id,
        grants: Vec::new(),
    }))
}

fn bad_credentials() -> AppError {
    AppError::new(ErrorCode::Unauthenticated, "用户名或密码错误")
}

fn new_refresh_secret() -> (String, String) {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    (token, hash)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

async fn issue<C: ConnectionTrait>(
    txn: &C,
    k: &Kernel,
    a: account::Model,
    family: Uuid,
) -> AppResult<Tokens> {
    let p = principal_of(txn, k, &a).await?;
    let (access_token, exp) = k.tokens.issue(&p)?;
    let (refresh, hash) = new_refresh_secret();
    let now = Utc::now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(a.id),
        family_id: Set(family),
        token_hash: Set(hash),
        issued_at: Set(now),
        expires_at: Set(now + chrono::Duration::days(REFRESH_TTL_DAYS)),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(Tokens {
        access_token,
        refresh_token: Some(refresh),
        expires_at: DateTime::from_timestamp(exp, 0).unwrap_or(now),
        account: a,
    })
}

fn as_actor(who: &RequestInfo, a: &account::Model) -> RequestInfo {
    let mut p = Principal::anonymous();
    p.kind = PrincipalKind::Person;
    p.account_id = Some(a.id);
    p.username = a.username.clone();
    RequestInfo {
        principal: std::sync::Arc::new(p),
        request_id: who.request_id.clone(),
        client_addr: who.client_addr.clone(),
    }
}

/// Password login of a person.
pub async fn login(
    k: &Kernel,
    who: &RequestInfo,
    username: &str,
    password: &str,
) -> AppResult<Tokens> {
    let username = username.trim();
    let limit_key = format!("{}|{}", username, who.client_addr.as_deref().unwrap_or(""));
    k.login_limiter.hit(&limit_key)?;
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .filter(account::Column::Kind.eq(AccountKind::Person))
        .filter(account::Column::ArchivedAt.is_null())
        .one(&k.db.conn)
        .await?;
    let Some(a) = found else {
        verify_secret(&DUMMY_HASH, password);
        return Err(bad_credentials());
    };
    if !verify_secret(&a.secret_hash, password) {
        tracing::warn!(username, "failed login");
        return Err(bad_credentials());
    }
    k.login_limiter.reset(&limit_key);
    let w = k.db.begin_write().await?;
    let tokens = issue(&*w, k, a.clone(), Uuid::now_v7()).await?;
    audit::record(
        &*w,
        &as_actor(who, &a),
        AuditEntry::new("registry.auth.login", "Account", a.id),
    )
    .await?;
    w.commit().await?;
    Ok(tokens)
}

/// Exchanges a refresh token for new tokens. Each refresh token works once: presenting a used
/// one means it was stolen or replayed, and revokes its whole family (every token descended from
/// the same login).
pub async fn refresh(k: &Kernel, who: &RequestInfo, token: &str) -> AppResult<Tokens> {
    let invalid = || {
        AppError::new(
            ErrorCode::Unauthenticated,
            "刷新令牌无效或已过期，请重新登录",
        )
    };
    let w = k.db.begin_write().await?;
    let Some(t) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(token)))
        .one(&*w)
        .await?
    else {
        return Err(invalid());
    };
    let now = Utc::now();
    // Claim the token: only one request can move it from unused to used.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(t.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&*w)
        .await?;
    if claimed.rows_affected != 1 {
        revoke_family(&*w, t.family_id).await?;
        let a = account::Entity::find_by_id(t.account_id).one(&*w).await?;
        if let Some(a) = a {
            audit::record(
                &*w,
                &as_actor(who, &a),
                AuditEntry::new("registry.auth.refresh_reuse_detected", "Account", a.id)
                    .detail(serde_json::json!({ "family": t.family_id })),
            )
            .await?;
        }
        w.commit().await?;
        tracing::warn!(family = %t.family_id, "refresh token reuse detected; family revoked");
        return Err(invalid());
    }
    if t.expires_at <= now {
        return Err(invalid());
    }
    let a = account::Entity::find_by_id(t.account_id)
        .filter(account::Column::ArchivedAt.is_null())
        .one(&*w)
        .await?
        .ok_or_else(invalid)?;
    let tokens = issue(&*w, k, a, t.family_id).await?;
    w.commit().await?;
    Ok(tokens)
}

async fn revoke_family<C: ConnectionTrait>(txn: &C, family: Uuid) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Revokes the refresh token's family. Succeeds for unknown tokens too (nothing to revoke).
pub async fn logout(k: &Kernel, who: &RequestInfo, token: &str) -> AppResult<()> {
    let w = k.db.begin_write().await?;
    if let Some(t) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(token)))
        .one(&*w)
        .await?
    {
        revoke_family(&*w, t.family_id).await?;
        if let Some(a) = account::Entity::find_by_id(t.account_id).one(&*w).await? {
            audit::record(
                &*w,
                &as_actor(who, &a),
                AuditEntry::new("registry.auth.logout", "Account", a.id),
            )
            .await?;
        }
    }
    w.commit().await
}

/// Client-credentials grant of a service account: an access token, no refresh token.
pub async fn client_credentials(
    k: &Kernel,
    who: &RequestInfo,
    client_id: &str,
    secret: &str,
) -> AppResult<Tokens> {
    let client_id = client_id.trim();
    k.login_limiter.hit(&format!(
        "svc|{client_id}|{}",
        who.client_addr.as_deref().unwrap_or("")
    ))?;
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(client_id))
        .filter(account::Column::Kind.eq(AccountKind::Service))
        .filter(account::Column::ArchivedAt.is_null())
        .one(&k.db.conn)
        .await?;
    let Some(a) = found else {
        verify_secret(&DUMMY_HASH, secret);
        return Err(AppError::new(
            ErrorCode::Unauthenticated,
            "客户端编号或密钥错误",
        ));
    };
    if !verify_secret(&a.secret_hash, secret) {
        return Err(AppError::new(
            ErrorCode::Unauthenticated,
            "客户端编号或密钥错误",
        ));
    }
    let p = principal_of(&k.db.conn, k, &a).await?;
    let (access_token, exp) = k.tokens.issue(&p)?;
    Ok(Tokens {
        access_token,
        refresh_token: None,
        expires_at: DateTime::from_timestamp(exp, 0).unwrap_or_else(Utc::now),
        account: a,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_verify_only_with_the_right_password() {
        let Ok(h) = hash_secret("correct horse") else {
            panic!("hash failed")
        };
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_secret(&h, "correct horse"));
        assert!(!verify_secret(&h, "correct hors"));
        assert!(!verify_secret("not a hash", "x"));
    }
}

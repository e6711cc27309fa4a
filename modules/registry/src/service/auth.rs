//! Login, rotating refresh tokens with reuse detection, logout and service-account client
//! credentials (docs/security.md), and how they hold up under abuse: hashing on a bounded
//! blocking pool, failure limits per name, per address and per instance with bounded memory,
//! failures audited, and sign-ins that end (absolute lifetime, password or role change).
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jianan_entity::enums::AccountKind;
use jianan_entity::{account, org_unit, refresh_token};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::cpu::CpuPool;
use jianan_kernel::principal::{Principal, PrincipalKind, RequestInfo, Role};
use jianan_kernel::ratelimit::RateLimiter;
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Lifetime of one refresh token (unused); a sign-in as a whole also ends after
/// `refresh_absolute_days` ([`crate::RegistrySettings`]).
pub const REFRESH_TTL_DAYS: i64 = 30;

/// Longest user name or client id kept in a rate-limit key or an audit record (accounts have
/// at most 64 characters).
pub const MAX_NAME_CHARS: usize = 64;

/// Hashes a password or client secret with Argon2id (default parameters of the `argon2` crate:
/// 19 MiB, 2 passes — the OWASP minimum). Blocking: from async code use [`hash_secret_pooled`].
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

/// The sign-in limits and the hashing pool of one kernel (held by [`crate::RegistryModule`]).
///
/// Every attempt is counted *before* its hash, so concurrent guesses cannot slip past a limit;
/// a success takes its count back (and clears its name's count). What remains counted is
/// failures, and attempts still running.
pub struct AuthGuard {
    per_name: RateLimiter,
    per_address: RateLimiter,
    global: RateLimiter,
    /// Argon2 runs here: off the async workers, one hash per core at a time.
    pub hashing: CpuPool,
}

impl Default for AuthGuard {
    fn default() -> Self {
        AuthGuard::new(&crate::RegistrySettings::default())
    }
}

/// An attempt counted against the limits; [`Attempt::succeeded`] takes it back.
struct Attempt<'a> {
    guard: &'a AuthGuard,
    name: Option<String>,
    address: String,
}

impl Attempt<'_> {
    fn succeeded(self) {
        if let Some(n) = &self.name {
            self.guard.per_name.reset(n);
        }
        self.guard.per_address.forgive(&self.address);
        self.guard.global.forgive("*");
    }
}

impl AuthGuard {
    pub fn new(s: &crate::RegistrySettings) -> Self {
        let window = Duration::from_secs(s.login_window_seconds);
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        AuthGuard {
            per_name: RateLimiter::new(n(s.login_failures_per_name), window),
            per_address: RateLimiter::new(n(s.login_failures_per_address), window),
            global: RateLimiter::with_capacity(n(s.login_failures_global), window, 1),
            hashing: CpuPool::default(),
        }
    }

    /// Counts an attempt by `name` (if any) from `address`, or refuses it with `RATE_LIMITED`
    /// when any of the three budgets is spent (and then counts nothing).
    fn attempt(&self, name: Option<String>, address: &str) -> AppResult<Attempt<'_>> {
        if let Some(n) = &name {
            self.per_name.hit(n)?;
        }
        let undo_name = || {
            if let Some(n) = &name {
                self.per_name.forgive(n);
            }
        };
        if let Err(e) = self.per_address.hit(address) {
            undo_name();
            return Err(e);
        }
        if let Err(e) = self.global.hit("*") {
            undo_name();
            self.per_address.forgive(address);
            return Err(e);
        }
        Ok(Attempt {
            guard: self,
            name,
            address: address.to_owned(),
        })
    }

    /// Verifies `secret` against `hash` on the hashing pool.
    async fn verify(&self, hash: String, secret: &str) -> AppResult<bool> {
        let secret = secret.to_owned();
        self.hashing
            .run(move || verify_secret(&hash, &secret))
            .await
    }
}

/// The guard of this kernel (a shared default when the kernel has no registry module).
pub fn guard(k: &Kernel) -> Arc<AuthGuard> {
    static FALLBACK: LazyLock<Arc<AuthGuard>> = LazyLock::new(Arc::default);
    crate::RegistryModule::of(k)
        .map(|m| m.auth.clone())
        .unwrap_or_else(|| FALLBACK.clone())
}

/// Hashes a new password or secret on the kernel's hashing pool.
pub async fn hash_secret_pooled(k: &Kernel, secret: &str) -> AppResult<String> {
    let secret = secret.to_owned();
    guard(k).hashing.run(move || hash_secret(&secret)).await?
}

fn settings(k: &Kernel) -> crate::RegistrySettings {
    crate::RegistryModule::of(k)
        .map(|m| m.settings.clone())
        .unwrap_or_default()
}

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
    jianan_kernel::principal::roles_of(a)
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

fn bad_client() -> AppError {
    AppError::new(ErrorCode::Unauthenticated, "客户端编号或密钥错误")
}

fn invalid_refresh() -> AppError {
    AppError::new(
        ErrorCode::Unauthenticated,
        "刷新令牌无效或已过期，请重新登录",
    )
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

/// Issues an access token and a refresh token of `family`, which stops working at
/// `family_expires_at`.
async fn issue<C: ConnectionTrait>(
    txn: &C,
    k: &Kernel,
    a: account::Model,
    family: Uuid,
    family_expires_at: DateTime<Utc>,
) -> AppResult<Tokens> {
    let p = principal_of(txn, k, &a).await?;
    let (access_token, exp) = k.tokens.issue_in_session(&p, Some(family))?;
    let (refresh, hash) = new_refresh_secret();
    let now = Utc::now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(a.id),
        family_id: Set(family),
        token_hash: Set(hash),
        issued_at: Set(now),
        expires_at: Set((now + chrono::Duration::days(REFRESH_TTL_DAYS)).min(family_expires_at)),
        used_at: Set(None),
        revoked_at: Set(None),
        family_expires_at: Set(Some(family_expires_at)),
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
    p.kind = if a.kind == AccountKind::Service {
        PrincipalKind::Service
    } else {
        PrincipalKind::Person
    };
    p.account_id = Some(a.id);
    p.username = a.username.clone();
    RequestInfo {
        principal: std::sync::Arc::new(p),
        request_id: who.request_id.clone(),
        client_addr: who.client_addr.clone(),
    }
}

/// The actor of a failed sign-in: whoever claimed the name, with no account (they did not prove
/// it) but with their address (a sign-in attempt is not an anonymous report).
fn claimant(who: &RequestInfo, name: &str) -> RequestInfo {
    let mut p = Principal::anonymous();
    p.kind = PrincipalKind::Person;
    p.username = name.to_owned();
    RequestInfo {
        principal: std::sync::Arc::new(p),
        request_id: who.request_id.clone(),
        client_addr: who.client_addr.clone(),
    }
}

/// Writes the audit record of a refused sign-in in its own transaction.
async fn audit_failure(k: &Kernel, who: &RequestInfo, entry: AuditEntry) -> AppResult<()> {
    let w = k.db.begin_write().await?;
    audit::record(&w, who, entry).await?;
    w.commit().await
}

fn capped_name(name: &str) -> String {
    name.trim().chars().take(MAX_NAME_CHARS).collect()
}

fn address(who: &RequestInfo) -> &str {
    who.client_addr.as_deref().unwrap_or("")
}

/// Password login of a person.
pub async fn login(
    k: &Kernel,
    who: &RequestInfo,
    username: &str,
    password: &str,
) -> AppResult<Tokens> {
    let g = guard(k);
    let full = username.trim();
    // The capped name keys the limits and the audit; the lookup uses the whole name, so a
    // longer name never matches an account that shares its first 64 characters.
    let username = capped_name(full);
    let attempt = g.attempt(Some(format!("person|{username}")), address(who))?;
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(full))
        .filter(account::Column::Kind.eq(AccountKind::Person))
        .filter(account::Column::ArchivedAt.is_null())
        .one(&k.db.conn)
        .await?;
    let (ok, account_id) = match &found {
        Some(a) => (g.verify(a.secret_hash.clone(), password).await?, Some(a.id)),
        None => {
            g.verify(DUMMY_HASH.clone(), password).await?;
            (false, None)
        }
    };
    let Some(a) = found.filter(|_| ok) else {
        tracing::warn!(username, "failed login");
        audit_failure(
            k,
            &claimant(who, &username),
            AuditEntry::new(
                "registry.auth.login_failed",
                "Account",
                account_id.map(|id| id.to_string()).unwrap_or_default(),
            )
            .detail(serde_json::json!({
                "username": username,
                "reason": if account_id.is_some() { "WRONG_PASSWORD" } else { "UNKNOWN_ACCOUNT" },
            })),
        )
        .await?;
        return Err(bad_credentials());
    };
    attempt.succeeded();
    let absolute = chrono::Duration::days(settings(k).refresh_absolute_days.into());
    let w = k.db.begin_write().await?;
    let tokens = issue(&*w, k, a.clone(), Uuid::now_v7(), Utc::now() + absolute).await?;
    audit::record(
        &w,
        &as_actor(who, &a),
        AuditEntry::new("registry.auth.login", "Account", a.id),
    )
    .await?;
    w.commit().await?;
    Ok(tokens)
}

/// Why a refresh was refused, as audited.
async fn refresh_refused(
    k: &Kernel,
    who: &RequestInfo,
    t: Option<&refresh_token::Model>,
    reason: &str,
) -> AppResult<Tokens> {
    let (actor, id) = match t {
        Some(t) => match account::Entity::find_by_id(t.account_id)
            .one(&k.db.conn)
            .await?
        {
            Some(a) => (as_actor(who, &a), a.id.to_string()),
            None => (claimant(who, "匿名"), t.account_id.to_string()),
        },
        None => (claimant(who, "匿名"), String::new()),
    };
    audit_failure(
        k,
        &actor,
        AuditEntry::new("registry.auth.refresh_failed", "Account", id).detail(serde_json::json!({
            "reason": reason,
            "family": t.map(|t| t.family_id),
        })),
    )
    .await?;
    Err(invalid_refresh())
}

/// Exchanges a refresh token for new tokens. Each refresh token works once: presenting a used
/// one means it was stolen or replayed, and revokes its whole family (every token descended from
/// the same login). A family ends at its absolute lifetime however often it was rotated, and is
/// revoked when the account's password, roles or anchors change.
pub async fn refresh(k: &Kernel, who: &RequestInfo, token: &str) -> AppResult<Tokens> {
    let g = guard(k);
    let attempt = g.attempt(None, address(who))?;
    let w = k.db.begin_write().await?;
    let Some(t) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(token)))
        .one(&*w)
        .await?
    else {
        drop(w);
        return refresh_refused(k, who, None, "UNKNOWN_TOKEN").await;
    };
    if t.revoked_at.is_some() {
        drop(w);
        return refresh_refused(k, who, Some(&t), "REVOKED").await;
    }
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
                &w,
                &as_actor(who, &a),
                AuditEntry::new("registry.auth.refresh_reuse_detected", "Account", a.id)
                    .detail(serde_json::json!({ "family": t.family_id })),
            )
            .await?;
        }
        w.commit().await?;
        tracing::warn!(family = %t.family_id, "refresh token reuse detected; family revoked");
        return Err(invalid_refresh());
    }
    // Tokens from before the absolute lifetime existed carry their own expiry as the family's.
    let family_expires_at = t.family_expires_at.unwrap_or(t.expires_at);
    let reason = if family_expires_at <= now {
        Some("SIGN_IN_EXPIRED")
    } else if t.expires_at <= now {
        Some("EXPIRED")
    } else {
        None
    };
    if let Some(reason) = reason {
        drop(w);
        return refresh_refused(k, who, Some(&t), reason).await;
    }
    let Some(a) = account::Entity::find_by_id(t.account_id)
        .filter(account::Column::ArchivedAt.is_null())
        .one(&*w)
        .await?
    else {
        drop(w);
        return refresh_refused(k, who, Some(&t), "ACCOUNT_ARCHIVED").await;
    };
    let tokens = issue(&*w, k, a, t.family_id, family_expires_at).await?;
    w.commit().await?;
    attempt.succeeded();
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

/// Revokes every refresh token of an account, in the caller's transaction (a password, role or
/// anchor change, archiving): each sign-in must start again with a password. Returns how many
/// tokens were still live.
pub async fn revoke_account<C: ConnectionTrait>(txn: &C, account_id: Uuid) -> AppResult<u64> {
    let r = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::AccountId.eq(account_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(r.rows_affected)
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
                &w,
                &as_actor(who, &a),
                AuditEntry::new("registry.auth.logout", "Account", a.id),
            )
            .await?;
        }
    }
    w.commit().await
}

/// Client-credentials grant of a service account: an access token, no refresh token. Both the
/// grant and its refusal are audited.
pub async fn client_credentials(
    k: &Kernel,
    who: &RequestInfo,
    client_id: &str,
    secret: &str,
) -> AppResult<Tokens> {
    let g = guard(k);
    let full = client_id.trim();
    let client_id = capped_name(full);
    let attempt = g.attempt(Some(format!("service|{client_id}")), address(who))?;
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(full))
        .filter(account::Column::Kind.eq(AccountKind::Service))
        .filter(account::Column::ArchivedAt.is_null())
        .one(&k.db.conn)
        .await?;
    let (ok, account_id) = match &found {
        Some(a) => (g.verify(a.secret_hash.clone(), secret).await?, Some(a.id)),
        None => {
            g.verify(DUMMY_HASH.clone(), secret).await?;
            (false, None)
        }
    };
    let Some(a) = found.filter(|_| ok) else {
        tracing::warn!(client_id, "failed client-credentials grant");
        audit_failure(
            k,
            &claimant(who, &client_id),
            AuditEntry::new(
                "registry.auth.service_token_failed",
                "Account",
                account_id.map(|id| id.to_string()).unwrap_or_default(),
            )
            .detail(serde_json::json!({
                "clientId": client_id,
                "reason": if account_id.is_some() { "WRONG_SECRET" } else { "UNKNOWN_CLIENT" },
            })),
        )
        .await?;
        return Err(bad_client());
    };
    attempt.succeeded();
    let p = principal_of(&k.db.conn, k, &a).await?;
    let (access_token, exp) = k.tokens.issue(&p)?;
    let w = k.db.begin_write().await?;
    audit::record(
        &w,
        &as_actor(who, &a),
        AuditEntry::new("registry.auth.service_token", "Account", a.id),
    )
    .await?;
    w.commit().await?;
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

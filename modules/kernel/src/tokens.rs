//! Access tokens: short-lived HS256 JWTs carrying the caller's roles and scope anchors, so a
//! request is authenticated without a database round trip. Refresh tokens (long-lived, rotating)
//! are the registry's business.
use std::sync::Arc;

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::principal::{Grant, PermissionTable, Principal, PrincipalKind, Role};

/// Lifetime of an access token (issue #2: 15 minutes).
pub const ACCESS_TTL_SECONDS: i64 = 15 * 60;
/// `iss` of the tokens this platform issues.
pub const ISSUER: &str = "jianan";

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    /// `PERSON` or `SERVICE`.
    pub kind: String,
    pub username: String,
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub township: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enterprise: Option<Uuid>,
    /// Grants carried by the token itself (a bearer token for one record); grants that follow
    /// from roles are not carried but recomputed on every request.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub grants: Vec<Grant>,
    /// The sign-in this token belongs to (the refresh-token family), when it came from one: a
    /// long-lived connection opened with it ends when that sign-in is logged out or revoked.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<Uuid>,
}

/// What bounds the life of a verified token: its expiry and the sign-in it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLife {
    /// `exp`, seconds since the epoch.
    pub exp: i64,
    /// The refresh-token family of the sign-in, if the token came from one (not a service token).
    pub session: Option<Uuid>,
}

/// `kind` of a bearer token: no account, only the grants it carries.
pub const BEARER: &str = "BEARER";
/// The `kind` of an export link's claims: never accepted as an access token.
pub const EXPORT: &str = "EXPORT";

/// How every token of this server is checked: HS256, its issuer, expiry without leeway.
fn validation() -> Validation {
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = 0;
    v.set_issuer(&[ISSUER]);
    v.set_required_spec_claims(&["exp", "iss", "sub"]);
    v
}

/// The claims of an account's token of `kind` for `ttl` seconds from now.
fn claims_of(p: &Principal, kind: &str, ttl: i64, sid: Option<Uuid>) -> AppResult<AccessClaims> {
    let now = Utc::now().timestamp();
    Ok(AccessClaims {
        sub: p.account_id.ok_or_else(AppError::unauthenticated)?,
        iss: ISSUER.to_owned(),
        iat: now,
        exp: now + ttl,
        jti: Uuid::now_v7(),
        kind: kind.to_owned(),
        username: p.username.clone(),
        roles: p.roles.clone(),
        org: p.org_unit_id,
        township: p.township_id,
        enterprise: p.enterprise_id,
        grants: Vec::new(),
        sid,
    })
}

/// An export link's claims ([`TokenKeys::issue_export`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ExportClaims {
    #[serde(flatten)]
    access: AccessClaims,
    export: String,
    params: serde_json::Value,
}

/// Signs and verifies access tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: Arc<EncodingKey>,
    decoding: Arc<DecodingKey>,
    permissions: Arc<PermissionTable>,
}

impl TokenKeys {
    pub fn new(secret: &[u8], permissions: Arc<PermissionTable>) -> Self {
        TokenKeys {
            encoding: Arc::new(EncodingKey::from_secret(secret)),
            decoding: Arc::new(DecodingKey::from_secret(secret)),
            permissions,
        }
    }

    pub fn permissions(&self) -> &PermissionTable {
        &self.permissions
    }

    /// Issues an access token for a principal; returns the token and its expiry (unix seconds).
    pub fn issue(&self, p: &Principal) -> AppResult<(String, i64)> {
        self.issue_in_session(p, None)
    }

    /// Like [`TokenKeys::issue`], for the sign-in `session` (its refresh-token family).
    pub fn issue_in_session(
        &self,
        p: &Principal,
        session: Option<Uuid>,
    ) -> AppResult<(String, i64)> {
        let kind = if p.kind == PrincipalKind::Service {
            "SERVICE"
        } else {
            "PERSON"
        };
        let claims = claims_of(p, kind, ACCESS_TTL_SECONDS, session)?;
        let exp = claims.exp;
        self.sign(&claims).map(|t| (t, exp))
    }

    /// Issues a bearer token that carries one grant and nothing else — e.g. for the anonymous
    /// holder of a report's receipt code, who may then follow that one report. The caller stays
    /// anonymous (no account, no role, no permission); `ttl_seconds` bounds its life.
    pub fn issue_bearer(&self, grant: Grant, ttl_seconds: i64) -> AppResult<(String, i64)> {
        let now = Utc::now().timestamp();
        let exp = now + ttl_seconds.clamp(1, ACCESS_TTL_SECONDS);
        let claims = AccessClaims {
            sub: grant.id,
            iss: ISSUER.to_owned(),
            iat: now,
            exp,
            jti: Uuid::now_v7(),
            kind: BEARER.to_owned(),
            username: String::new(),
            roles: Vec::new(),
            org: None,
            township: None,
            enterprise: None,
            grants: vec![grant],
            sid: None,
        };
        self.sign(&claims).map(|t| (t, exp))
    }

    /// Signs an export link for `p` ([`crate::exports`]): the asker's claims as in an access
    /// token, with the export's kind and parameters, for `ttl_seconds`.
    pub fn issue_export(
        &self,
        p: &Principal,
        export: &str,
        params: serde_json::Value,
        ttl_seconds: i64,
    ) -> AppResult<(String, i64)> {
        let claims = ExportClaims {
            access: claims_of(p, EXPORT, ttl_seconds.clamp(1, ACCESS_TTL_SECONDS), None)?,
            export: export.to_owned(),
            params,
        };
        let exp = claims.access.exp;
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map(|t| (t, exp))
            .map_err(AppError::internal)
    }

    /// Verifies an export link: signature, expiry (no leeway), issuer, and that it is an export
    /// link (an access token is not one, nor the reverse). Returns the asker, rebuilt with the
    /// permissions of their roles, the kind and the parameters.
    pub fn verify_export(&self, token: &str) -> AppResult<(Principal, String, serde_json::Value)> {
        let v = validation();
        let c = jsonwebtoken::decode::<ExportClaims>(token, &self.decoding, &v)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                match e.kind() {
                    ErrorKind::ExpiredSignature => AppError::new(
                        crate::error::ErrorCode::Unauthenticated,
                        "下载链接已过期，请重新导出",
                    ),
                    _ => AppError::new(crate::error::ErrorCode::Unauthenticated, "下载链接无效"),
                }
            })?
            .claims;
        if c.access.kind != EXPORT {
            return Err(AppError::new(
                crate::error::ErrorCode::Unauthenticated,
                "下载链接无效",
            ));
        }
        let a = c.access;
        let p = self.permissions.complete(Principal {
            kind: PrincipalKind::Person,
            account_id: Some(a.sub),
            username: a.username,
            permissions: Default::default(),
            roles: a.roles,
            org_unit_id: a.org,
            township_id: a.township,
            enterprise_id: a.enterprise,
            grants: Vec::new(),
        });
        Ok((p, c.export, c.params))
    }

    /// Signs arbitrary claims (tests use this to forge expired tokens with the real key).
    pub fn sign(&self, claims: &AccessClaims) -> AppResult<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(AppError::internal)
    }

    /// Verifies a token and rebuilds the principal: signature, expiry (no leeway) and issuer.
    pub fn verify(&self, token: &str) -> AppResult<Principal> {
        self.verify_until(token).map(|(p, _)| p)
    }

    /// Like [`TokenKeys::verify`], with what bounds the token's life: a long-lived connection (a
    /// WebSocket) closes when it expires or when its sign-in ends.
    pub fn verify_until(&self, token: &str) -> AppResult<(Principal, TokenLife)> {
        let v = validation();
        let data =
            jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &v).map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                match e.kind() {
                    ErrorKind::ExpiredSignature => AppError::new(
                        crate::error::ErrorCode::Unauthenticated,
                        "登录已过期，请重新登录",
                    ),
                    _ => AppError::new(crate::error::ErrorCode::Unauthenticated, "访问令牌无效"),
                }
            })?;
        let c = data.claims;
        let life = TokenLife {
            exp: c.exp,
            session: c.sid,
        };
        // An export link is signed with the same key; it opens one download, never the API.
        if c.kind == EXPORT {
            return Err(AppError::new(
                crate::error::ErrorCode::Unauthenticated,
                "访问令牌无效",
            ));
        }
        if c.kind == BEARER {
            let mut p = Principal::anonymous();
            p.grants = c.grants;
            return Ok((p, life));
        }
        Ok((
            self.permissions.complete(Principal {
                kind: if c.kind == "SERVICE" {
                    PrincipalKind::Service
                } else {
                    PrincipalKind::Person
                },
                account_id: Some(c.sub),
                username: c.username,
                permissions: Default::default(),
                roles: c.roles,
                org_unit_id: c.org,
                township_id: c.township,
                enterprise_id: c.enterprise,
                grants: c.grants,
            }),
            life,
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(
            b"0123456789abcdef0123456789abcdef",
            Arc::new(PermissionTable::default()),
        )
    }

    fn person() -> Principal {
        let mut p = Principal::anonymous();
        p.kind = PrincipalKind::Person;
        p.account_id = Some(Uuid::now_v7());
        p.username = "admin".into();
        p.roles = vec![Role::Admin];
        p
    }

    #[test]
    fn issued_tokens_verify_and_tampered_or_expired_ones_do_not() {
        let k = keys();
        let (token, _) = k.issue(&person()).unwrap();
        assert_eq!(k.verify(&token).unwrap().username, "admin");
        let mut tampered = token.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(k.verify(&tampered).is_err());
        let other = TokenKeys::new(
            b"another-secret-another-secret-xx",
            Arc::new(PermissionTable::default()),
        );
        assert!(other.verify(&token).is_err());
        let now = Utc::now().timestamp();
        let expired = AccessClaims {
            sub: Uuid::now_v7(),
            iss: ISSUER.into(),
            iat: now - 100,
            exp: now - 1,
            jti: Uuid::now_v7(),
            kind: "PERSON".into(),
            username: "x".into(),
            roles: vec![],
            org: None,
            township: None,
            enterprise: None,
            grants: vec![],
            sid: None,
        };
        let err = k.verify(&k.sign(&expired).unwrap()).unwrap_err();
        assert_eq!(err.code.as_str(), "UNAUTHENTICATED");
    }
}

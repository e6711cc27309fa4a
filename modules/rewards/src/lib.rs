//! Rewards (measure 5 of the plan): rewarded public reporting with reporter confidentiality
//! (DESIGN §3). Anyone may file a report without an account and follow it with the receipt code
//! and passphrase given once; handlers accept or reject it within working-day deadlines, assign a
//! verifier, record the verdict (a substantiated report publishes `rewards.report_verified`) and
//! close it. The reporter's identity is sealed with AES-256-GCM; handlers see a pseudonym; a
//! reveal needs a handler's reasoned request and a custodian's approval. See docs/rewards.md.

pub mod demo;
pub mod entity;
pub mod graphql;
pub mod migrations;
pub mod rules;
pub mod service;
pub mod volume;

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use jianan_kernel::attachments::AttachmentOwner;
use jianan_kernel::module::{Module, ScheduledJob};
use jianan_kernel::principal::{Grant, PermissionDef, Principal, Role};
use jianan_kernel::ratelimit::RateLimiter;
use jianan_kernel::scope::ScopedEntity;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, QueryFilter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use entity::{report, reveal_request, reward};
pub use graphql::{RewardsMutation, RewardsQuery};
use service::secrets::IdentityKey;

/// The rewards query roots, merged.
#[derive(async_graphql::MergedObject, Default)]
pub struct RewardsQueries(RewardsQuery, graphql::statistics::RewardStatisticsQuery);

/// The rewards query root (see `jianan_kernel::modules!`).
pub type Query = RewardsQueries;
/// The rewards mutation root.
pub type Mutation = RewardsMutation;
/// No subscriptions of its own: nothing about a report is pushed live (a subscription is one more
/// channel through which a reporter could be exposed).
pub type Subscription = jianan_kernel::gateway::NoSubscription;
/// The module's record types.
pub type Records = (
    graphql::types::RewardReport,
    graphql::types::IdentityRevealRequest,
    graphql::types::Reward,
);

/// The rewards module.
pub fn module() -> Box<dyn Module> {
    Box::new(RewardsModule::default())
}

/// The module's permissions.
pub mod perms {
    /// Read reports (pseudonymous: never the identity).
    pub const REPORT_READ: &str = "rewards.report.read";
    /// Enter a hotline, letter or visit report on the reporter's behalf.
    pub const REPORT_ENTER: &str = "rewards.report.enter";
    /// Accept, reject, assign, question the reporter, close.
    pub const REPORT_HANDLE: &str = "rewards.report.handle";
    /// Record the verdict of a report one is assigned to verify.
    pub const REPORT_VERIFY: &str = "rewards.report.verify";
    /// Ask to see a reporter's identity, with a reason.
    pub const IDENTITY_REQUEST: &str = "rewards.identity.request";
    /// Custodian: approve someone else's request to see a reporter's identity.
    pub const IDENTITY_REVEAL: &str = "rewards.identity.reveal";
    /// Read report statistics (small counts suppressed).
    pub const STATISTICS_READ: &str = "rewards.statistics.read";
    /// First approval of a reward (the department), not of one's own proposal.
    pub const REWARD_APPROVE: &str = "rewards.reward.approve";
    /// Final approval of a reward (a leader), by neither its proposer nor its first approver;
    /// charged to the year's budget.
    pub const REWARD_APPROVE_FINAL: &str = "rewards.reward.approve_final";
    /// Record that an approved reward was paid.
    pub const REWARD_PAY: &str = "rewards.reward.pay";
    /// Set the annual reward budget.
    pub const BUDGET_MANAGE: &str = "rewards.budget.manage";
}

/// Grants the module defines.
pub mod grants {
    /// The anonymous bearer of one report's receipt code (kernel `issue_bearer`): that report.
    pub const RECEIPT: &str = "rewards.receipt";
}

/// Township staff see the reports about their township (they hold no read permission today: the
/// commission handles reports centrally); enterprise people see none; the bearer of a receipt
/// sees that one report.
impl ScopedEntity for report::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(report::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        (grant.kind == grants::RECEIPT)
            .then(|| Condition::all().add(report::Column::Id.eq(grant.id)))
    }
}

jianan_kernel::record!(report::Entity, "RewardReport");

/// How long the photo-upload token given with a new report lasts (30 minutes).
pub const UPLOAD_TOKEN_SECONDS: i64 = 30 * 60;

/// Who may add and see a report's photos: the reporter through the upload token given with the
/// receipt (until the report is closed or rejected), staff entering a report on the reporter's
/// behalf, and those who may read the report. The photos lose their device and location
/// metadata before they are stored.
struct ReportPhotos;

impl AttachmentOwner for ReportPhotos {
    fn owner_type(&self) -> &'static str {
        "RewardReport"
    }
    fn can_read<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        principal: &'a Principal,
        owner_id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(async move {
            if !(principal.can(perms::REPORT_READ) || holds_receipt(principal, owner_id)) {
                return Ok(false);
            }
            jianan_kernel::attachments::visible::<report::Entity>(db, principal, owner_id).await
        })
    }
    fn can_attach<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        principal: &'a Principal,
        owner_id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(async move {
            if !(principal.can(perms::REPORT_ENTER) || holds_receipt(principal, owner_id)) {
                return Ok(false);
            }
            let open = jianan_kernel::scope::scoped::<report::Entity>(principal)
                .filter(report::Column::Id.eq(owner_id))
                .one(db)
                .await?
                .is_some_and(|r| {
                    !matches!(
                        r.status,
                        entity::enums::ReportStatus::Closed | entity::enums::ReportStatus::Rejected
                    )
                });
            Ok(open)
        })
    }
    fn strips_metadata(&self) -> bool {
        true
    }
}

fn holds_receipt(p: &Principal, report_id: Uuid) -> bool {
    p.grants
        .iter()
        .any(|g| g.kind == grants::RECEIPT && g.id == report_id)
}

/// Reveal requests are seen by district-wide roles only.
impl ScopedEntity for reveal_request::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}

jianan_kernel::record!(reveal_request::Entity, "IdentityRevealRequest");

/// Rewards are seen by district-wide roles only (never by the reporter's township or anyone
/// outside the commission; the reporter sees amount and status through the receipt code).
impl ScopedEntity for reward::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}

jianan_kernel::record!(reward::Entity, "Reward");

/// The module's section `[modules.rewards]` of jianan.toml.
#[derive(Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RewardsSettings {
    /// 举报人身份加密密钥: 64 hex digits (AES-256). Overridden by the environment variable
    /// `JIANAN_REWARDS_IDENTITY_KEY`. Required in production; in development, when absent, a key
    /// is derived from the development audit key (itself generated once into the data directory).
    pub identity_key: Option<String>,
    /// 已停用的身份加密密钥: keys replaced by `identity_key`, kept only to open what they sealed
    /// until the job `rewards.identity_reseal` has sealed it again with the current key (then
    /// remove them). 64 hex digits each; also `JIANAN_REWARDS_RETIRED_IDENTITY_KEYS`,
    /// comma-separated.
    pub retired_identity_keys: Vec<String>,
    /// 受理期限（工作日）: a report is accepted or rejected within this many working days
    /// (default 5, 1 to 30; the commission's choice).
    pub accept_working_days: u32,
    /// 核查期限（日）: verification within this many days of acceptance (default 60, as the 2012
    /// rules have it; to verify).
    pub verify_days: u32,
    /// Reports filed per client address per hour (default 10). The address is only hashed in
    /// memory, never stored.
    pub submissions_per_hour: u32,
    /// Receipt-code look-ups (and answers) per client address per hour (default 20).
    pub receipt_attempts_per_hour: u32,
    /// Receipt-code look-ups per hour across all addresses (default 2000).
    pub receipt_attempts_global_per_hour: u32,
    /// How often overdue steps are looked for, in seconds (default 300).
    pub overdue_scan_seconds: u64,
    /// 统计公开下限: statistics do not show counts below this (default 3, at least 2), so a
    /// report cannot be singled out.
    pub statistics_min_count: u32,
}

impl std::fmt::Debug for RewardsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RewardsSettings")
            .field("identity_key", &self.identity_key.as_ref().map(|_| "***"))
            .field("retired_identity_keys", &self.retired_identity_keys.len())
            .field("accept_working_days", &self.accept_working_days)
            .field("verify_days", &self.verify_days)
            .finish_non_exhaustive()
    }
}

impl Default for RewardsSettings {
    fn default() -> Self {
        RewardsSettings {
            identity_key: None,
            retired_identity_keys: Vec::new(),
            accept_working_days: 5,
            verify_days: 60,
            submissions_per_hour: 10,
            receipt_attempts_per_hour: 20,
            receipt_attempts_global_per_hour: 2000,
            overdue_scan_seconds: 300,
            statistics_min_count: 3,
        }
    }
}

/// The module: its settings, the identity key, and the limits on anonymous callers.
pub struct RewardsModule {
    pub settings: RewardsSettings,
    key: Option<IdentityKey>,
    retired: Vec<IdentityKey>,
    pub(crate) submissions: RateLimiter,
    pub(crate) receipt_per_address: RateLimiter,
    pub(crate) receipt_global: RateLimiter,
    /// Salt of the in-memory hashes of client addresses (the limiters' keys): fresh per process,
    /// so the keys cannot be matched against a list of addresses.
    address_salt: [u8; 16],
    /// Argon2 runs here, off the async workers.
    pub(crate) hashing: jianan_kernel::cpu::CpuPool,
}

impl Default for RewardsModule {
    fn default() -> Self {
        RewardsModule::with_settings(RewardsSettings::default(), None, Vec::new())
    }
}

const HOUR: Duration = Duration::from_secs(3600);

fn count(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

impl RewardsModule {
    fn with_settings(
        settings: RewardsSettings,
        key: Option<IdentityKey>,
        retired: Vec<IdentityKey>,
    ) -> Self {
        let mut salt = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut salt);
        RewardsModule {
            submissions: RateLimiter::new(count(settings.submissions_per_hour), HOUR),
            receipt_per_address: RateLimiter::new(count(settings.receipt_attempts_per_hour), HOUR),
            receipt_global: RateLimiter::with_capacity(
                count(settings.receipt_attempts_global_per_hour),
                HOUR,
                1,
            ),
            settings,
            key,
            retired,
            address_salt: salt,
            hashing: jianan_kernel::cpu::CpuPool::default(),
        }
    }

    /// The configured rewards module of this kernel.
    pub fn of(k: &Kernel) -> AppResult<&RewardsModule> {
        k.modules
            .iter()
            .find_map(|m| {
                let any: &dyn std::any::Any = m.as_ref();
                any.downcast_ref::<RewardsModule>()
            })
            .ok_or_else(|| AppError::internal("the rewards module is not configured"))
    }

    /// The rate-limit key of a client address: a salted hash, kept only in memory.
    pub(crate) fn address_key(&self, addr: Option<&str>) -> String {
        let mut h = Sha256::new();
        h.update(self.address_salt);
        h.update(addr.unwrap_or("").as_bytes());
        hex::encode(h.finalize())
    }

    /// The key that sealed an identity under id `key_id`: the current one or a retired one.
    pub fn key_for(&self, k: &Kernel, key_id: &str) -> AppResult<IdentityKey> {
        let current = self.identity_key(k)?;
        if current.id == key_id {
            return Ok(current);
        }
        self.retired
            .iter()
            .find(|r| r.id == key_id)
            .cloned()
            .ok_or_else(|| {
                AppError::internal(format!(
                    "identity sealed with key {key_id}, which is neither identity_key nor retired"
                ))
            })
    }

    /// The key sealing reporters' identities (see [`RewardsSettings::identity_key`]).
    pub fn identity_key(&self, k: &Kernel) -> AppResult<IdentityKey> {
        if let Some(key) = &self.key {
            return Ok(key.clone());
        }
        if !k.development {
            return Err(AppError::internal(
                "生产模式必须配置 [modules.rewards] identity_key 或 JIANAN_REWARDS_IDENTITY_KEY",
            ));
        }
        let audit =
            k.db.audit_key()
                .ok_or_else(|| AppError::internal("the audit key is not configured"))?;
        Ok(IdentityKey::new(
            audit.derive(b"jianan-rewards-identity-dev-v1", &[]),
        ))
    }
}

impl Module for RewardsModule {
    fn name(&self) -> &'static str {
        "rewards"
    }

    fn configure(&mut self, section: &jianan_kernel::settings::Section<'_>) -> Result<(), String> {
        let s: RewardsSettings = section.parse()?;
        if !(1..=30).contains(&s.accept_working_days) {
            return Err("[modules.rewards] accept_working_days 应在1到30个工作日之间".into());
        }
        if !(1..=90).contains(&s.verify_days) {
            return Err("[modules.rewards] verify_days 应在1到90天之间".into());
        }
        if !(2..=100).contains(&s.statistics_min_count) {
            return Err("[modules.rewards] statistics_min_count 应在2到100之间".into());
        }
        if !(1..=86_400).contains(&s.overdue_scan_seconds) {
            return Err("[modules.rewards] overdue_scan_seconds 应在1到86400秒之间".into());
        }
        let from_env = std::env::var("JIANAN_REWARDS_IDENTITY_KEY")
            .ok()
            .filter(|v| !v.trim().is_empty());
        let key = match from_env.as_deref().or(s.identity_key.as_deref()) {
            Some(text) => {
                Some(IdentityKey::from_hex(text).map_err(|e| format!("[modules.rewards] {e}"))?)
            }
            None => None,
        };
        if key.is_none() && section.is_production() {
            return Err(
                "生产模式必须配置举报人身份加密密钥：[modules.rewards] identity_key 或环境变量 \
                 JIANAN_REWARDS_IDENTITY_KEY（64位十六进制，AES-256）"
                    .into(),
            );
        }
        let retired_env: Vec<String> = std::env::var("JIANAN_REWARDS_RETIRED_IDENTITY_KEYS")
            .ok()
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let retired = s
            .retired_identity_keys
            .iter()
            .chain(&retired_env)
            .map(|t| {
                IdentityKey::from_hex(t)
                    .map_err(|e| format!("[modules.rewards] retired_identity_keys: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !retired.is_empty() && key.is_none() {
            return Err(
                "[modules.rewards] 配置了 retired_identity_keys 时须同时配置新的 identity_key"
                    .into(),
            );
        }
        *self = RewardsModule::with_settings(s, key, retired);
        Ok(())
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        vec![
            PermissionDef {
                name: REPORT_READ,
                description: "查看举报（只见举报人化名，不见身份）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                ],
            },
            PermissionDef {
                name: REPORT_ENTER,
                description: "代为登记热线、来信、来访举报",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: REPORT_HANDLE,
                description: "受理或不予受理举报、指派核查人、向举报人提问、办结",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: REPORT_VERIFY,
                description: "核查指派给本人的举报并记录结论",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::Inspector],
            },
            PermissionDef {
                name: IDENTITY_REQUEST,
                description: "申请查看举报人身份（须说明理由，经保管人批准）",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: STATISTICS_READ,
                description: "查看举报统计（少量计数不予显示）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                ],
            },
            PermissionDef {
                name: IDENTITY_REVEAL,
                description: "举报人身份保管人：批准他人查看举报人身份的申请",
                roles: &[Role::Admin, Role::Leader],
            },
            PermissionDef {
                name: REWARD_APPROVE,
                description: "审核举报奖励（部门审核；不能审核本人拟定的奖励）",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: REWARD_APPROVE_FINAL,
                description: "审批举报奖励（领导审批；与拟定人、部门审核人不得为同一人；计入年度预算）",
                roles: &[Role::Leader],
            },
            PermissionDef {
                name: REWARD_PAY,
                description: "登记举报奖励发放",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: BUDGET_MANAGE,
                description: "设定年度举报奖励预算",
                roles: &[Role::Admin, Role::Leader],
            },
        ]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::rewards::TOPICS.to_vec()
    }

    fn seed_demo<'a>(
        &'a self,
        kernel: &'a jianan_kernel::Kernel,
    ) -> futures_util::future::BoxFuture<'a, AppResult<()>> {
        Box::pin(demo::seed(kernel))
    }

    fn seed_volume<'a>(
        &'a self,
        kernel: &'a jianan_kernel::Kernel,
        volume: &'a jianan_kernel::volume::Volume,
    ) -> futures_util::future::BoxFuture<'a, AppResult<jianan_kernel::volume::Loaded>> {
        Box::pin(volume::seed(kernel, volume))
    }

    fn attachment_owners(&self) -> Vec<Arc<dyn AttachmentOwner>> {
        vec![Arc::new(ReportPhotos)]
    }

    fn event_handlers(&self) -> Vec<Arc<dyn jianan_kernel::outbox::EventHandler>> {
        use jianan_kernel::outbox::handler;
        vec![
            handler(service::links::LinkHazards),
            handler(service::links::LinkEnforcement),
        ]
    }

    fn jobs(&self) -> Vec<Arc<dyn ScheduledJob>> {
        let every = Duration::from_secs(self.settings.overdue_scan_seconds);
        vec![
            Arc::new(service::report::OverdueJob { every }),
            Arc::new(service::identity::ResealJob { every }),
        ]
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use jianan_kernel::settings::{Section, SettingsFile};

    fn configure(text: &str) -> Result<RewardsModule, String> {
        let file = SettingsFile::new("jianan.toml", text);
        let mut m = RewardsModule::default();
        m.configure(&Section::new("rewards", Some(&file)))?;
        Ok(m)
    }

    #[test]
    fn settings_are_checked_when_they_arrive() {
        let m = configure("").unwrap();
        assert_eq!(m.settings.accept_working_days, 5);
        assert!(m.key.is_none());
        let key = "11".repeat(32);
        let m = configure(&format!("[modules.rewards]\nidentity_key = \"{key}\"\n")).unwrap();
        assert!(m.key.as_ref().unwrap().id.starts_with("k1-"));
        // The key never prints.
        assert!(!format!("{:?}", m.settings).contains(&key));
        let short = configure("[modules.rewards]\nidentity_key = \"abcd\"\n")
            .err()
            .unwrap();
        assert!(short.contains("identity_key"), "{short}");
        assert!(!short.contains("abcd"), "{short}");
        assert!(configure("[modules.rewards]\naccept_working_days = 0\n").is_err());
        assert!(configure("[modules.rewards]\nverify_days = 400\n").is_err());
        assert!(configure("[modules.rewards]\nunknown = 1\n").is_err());
    }

    #[test]
    fn address_keys_are_salted_hashes() {
        let m = RewardsModule::default();
        let k = m.address_key(Some("203.0.113.7"));
        assert!(!k.contains("203.0.113.7"));
        assert_eq!(k, m.address_key(Some("203.0.113.7")));
        assert_ne!(k, RewardsModule::default().address_key(Some("203.0.113.7")));
    }
}

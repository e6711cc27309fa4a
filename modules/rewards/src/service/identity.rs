//! Rotating the key that seals reporters' identities. The operator sets a new `identity_key`
//! and lists the old one under `retired_identity_keys`; identities sealed with a retired key
//! still open (`RewardsModule::key_for`), and the job `rewards.identity_reseal` seals them again
//! with the current key, a batch at a time, each batch audited (key ids and counts only). When
//! no report names a retired key any more, the operator removes it.
use futures_util::future::BoxFuture;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::module::ScheduledJob;
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppResult, Kernel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::RewardsModule;
use crate::entity::report;

/// Reports sealed again per pass.
pub const BATCH: u64 = 200;

/// Seals again with the current key up to [`BATCH`] identities sealed with a retired one;
/// returns how many.
pub async fn reseal(k: &Kernel) -> AppResult<usize> {
    let module = RewardsModule::of(k)?;
    if module.retired.is_empty() {
        return Ok(0);
    }
    let current = module.identity_key(k)?;
    let w = k.db.begin_write().await?;
    let rows = report::Entity::find()
        .filter(report::Column::IdentityKeyId.is_not_null())
        .filter(report::Column::IdentityKeyId.ne(current.id.clone()))
        .order_by_asc(report::Column::Id)
        .limit(BATCH)
        .all(&*w)
        .await?;
    let mut from: Vec<String> = Vec::new();
    for r in &rows {
        let (Some(sealed), Some(key_id)) = (&r.identity_ciphertext, &r.identity_key_id) else {
            continue;
        };
        let plain = module.key_for(k, key_id)?.open(r.id, sealed)?;
        let mut am: report::ActiveModel = r.clone().into();
        am.identity_ciphertext = Set(Some(current.seal(r.id, &plain)?));
        am.identity_key_id = Set(Some(current.id.clone()));
        am.update(&*w).await?;
        if !from.contains(key_id) {
            from.push(key_id.clone());
        }
    }
    if !rows.is_empty() {
        audit::record(
            &w,
            &RequestInfo::system("rewards"),
            AuditEntry::new("rewards.identity.reseal", "IdentityKey", current.id.clone())
                .detail(json!({ "reports": rows.len(), "from": from })),
        )
        .await?;
    }
    w.commit().await?;
    Ok(rows.len())
}

/// Seals identities again after a key rotation (runs with the overdue scan's period).
pub struct ResealJob {
    pub every: std::time::Duration,
}

impl ScheduledJob for ResealJob {
    fn name(&self) -> &'static str {
        "rewards.identity_reseal"
    }
    fn every(&self) -> std::time::Duration {
        self.every
    }
    fn run<'a>(&'a self, kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move { reseal(kernel).await.map(|_| ()) })
    }
}

//! The rewards module's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): a year of
//! public reports (举报) in every state of their handling, with the rewards their verdicts earn,
//! as `submitReport`, the handling steps and the reward steps leave them
//! ([`crate::service::report`], [`crate::service::reward`]) — written in bulk, without audit
//! records, events, messages or notifications.
//!
//! - **Reporters.** Two in five give a name or contact. Their identity is sealed exactly as the
//!   service seals it (AES-256-GCM under the module's identity key, bound to the report id,
//!   [`crate::service::secrets::IdentityKey::seal`]); anonymous reports have none. Nothing is
//!   stored in plain text. Handlers see the pseudonym derived from the report id.
//! - **Receipts.** Each report has its own receipt code (with its check character). The
//!   passphrases were never handed to anyone, so all reports share one Argon2id hash of a
//!   passphrase nobody knows (hashing twenty thousand would take minutes and prove nothing).
//! - **States.** A timeline per report (accepted or rejected within the acceptance deadline, a
//!   verifier assigned, a verdict, closed), cut at today. Web and mobile reports come in alone;
//!   hotline, letter and visit reports are entered by staff.
//! - **Rewards.** A verified true or partly true report earns the standard amount
//!   ([`award`]); its reward moves through proposal, the department's and the final approval,
//!   payment and the reporter's confirmation, a few refused. Approved amounts are charged to
//!   the Beijing year of their final approval, and each such year's budget covers them.
//! - Verified reports do not open hazards here: that is the inspections module's answer to an
//!   event, and a bulk load publishes none (docs/seed.md).
use std::collections::BTreeMap;

use chrono::{Datelike, Duration};
use jianan_entity::{account, project};
use jianan_kernel::calendar::to_shanghai;
use jianan_kernel::principal::{Role, roles_of};
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppResult, Kernel};
use rand::{Rng, RngCore};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::RewardsModule;
use crate::entity::enums::{
    PaymentMethod, ReportCategory, ReportChannel, ReportStatus, RewardStatus, Verdict,
};
use crate::entity::{budget, report, reward};
use crate::rules::standards::award;
use crate::service::report::Identity;
use crate::service::secrets;

const CATEGORIES: [(ReportCategory, u32); 4] = [
    (ReportCategory::GeneralHazard, 60),
    (ReportCategory::Violation, 25),
    (ReportCategory::MajorHazard, 12),
    (ReportCategory::ConcealedAccident, 3),
];
const CHANNELS: [(ReportChannel, u32); 6] = [
    (ReportChannel::Mobile, 40),
    (ReportChannel::Web, 20),
    (ReportChannel::Hotline12345, 25),
    (ReportChannel::Hotline12350, 8),
    (ReportChannel::Letter, 4),
    (ReportChannel::Visit, 3),
];
const TEXTS: [&str; 5] = [
    "工地夜间施工未设置警示标志，临边无防护",
    "脚手架搭设不规范，工人高处作业未系安全带",
    "塔吊司机无证操作，吊装时下方有人员通行",
    "基坑边堆放大量土方，支护出现裂缝",
    "施工现场临时用电乱拉乱接，配电箱无门",
];

fn weighted<T: Copy>(rng: &mut rand::rngs::StdRng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut pick = rng.gen_range(0..total.max(1));
    for (item, w) in items {
        if pick < *w {
            return Some(*item);
        }
        pick -= *w;
    }
    None
}

/// Loads the volume (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let module = RewardsModule::of(k)?;
    let key = module.identity_key(k)?;
    let mut rng = volume.rng("rewards");
    let projects = project::Entity::find()
        .filter(project::Column::ArchivedAt.is_null())
        .order_by_asc(project::Column::Code)
        .all(&k.db.conn)
        .await?;
    let people = account::Entity::find()
        .filter(account::Column::ArchivedAt.is_null())
        .order_by_asc(account::Column::Username)
        .all(&k.db.conn)
        .await?;
    let with = |role: Role| -> Vec<uuid::Uuid> {
        people
            .iter()
            .filter(|a| roles_of(a).contains(&role))
            .map(|a| a.id)
            .collect()
    };
    let handlers = with(Role::DepartmentStaff);
    let verifiers = with(Role::Inspector);
    let leaders = with(Role::Leader);
    let (Some(handler), Some(leader)) = (handlers.first().copied(), leaders.first().copied())
    else {
        return Ok(Vec::new());
    };
    if projects.is_empty() || verifiers.is_empty() {
        return Ok(Vec::new());
    }
    let mut unknown = [0u8; 24];
    rng.fill_bytes(&mut unknown);
    let hash = secrets::hash_passphrase(&hex::encode(unknown))?;
    let cal = k.calendar();
    let anchor = volume.anchor();
    let mut reports = Vec::new();
    let mut rewards = Vec::new();
    let mut charged: BTreeMap<i32, i64> = BTreeMap::new();
    for _ in 0..volume.reports {
        let created = volume.ago(rng.gen_range(3_600..365 * 86_400));
        let id = id_at(&mut rng, created);
        let category = weighted(&mut rng, &CATEGORIES).unwrap_or(ReportCategory::GeneralHazard);
        let channel = weighted(&mut rng, &CHANNELS).unwrap_or(ReportChannel::Web);
        let Some(p) = projects.get(rng.gen_range(0..projects.len())) else {
            continue;
        };
        let named = rng.gen_range(0..5) < 2;
        let sealed = if named {
            let who = Identity {
                name: Some(format!("举报人{}", rng.gen_range(1000..9999))),
                contact: Some(format!("137{:08}", rng.gen_range(0..100_000_000))),
            };
            let plain = serde_json::to_vec(&who).map_err(jianan_kernel::AppError::internal)?;
            Some(key.seal(id, &plain)?)
        } else {
            None
        };
        let accept_due = cal.deadline_instant(created, module.settings.accept_working_days);
        let mut row = report::ActiveModel {
            id: Set(id),
            receipt_code: Set(secrets::receipt_code_from(&mut rng)),
            passphrase_hash: Set(hash.clone()),
            category: Set(category),
            channel: Set(channel),
            description: Set(TEXTS[rng.gen_range(0..TEXTS.len())].to_owned()),
            township_id: Set(Some(p.township_id)),
            project_id: Set(Some(p.id)),
            address: Set(p.address.clone()),
            observed_at: Set(Some(created - Duration::hours(rng.gen_range(1..72)))),
            status: Set(ReportStatus::Submitted),
            pseudonym: Set(secrets::pseudonym(id)),
            named: Set(named),
            identity_key_id: Set(sealed.as_ref().map(|_| key.id.clone())),
            identity_ciphertext: Set(sealed),
            entered_by: Set(channel.entered_by_staff().then_some(handler)),
            accept_due_at: Set(accept_due),
            verify_due_at: Set(None),
            rejection_reason: Set(None),
            verifier_id: Set(None),
            verdict: Set(None),
            findings: Set(None),
            accept_overdue_at: Set(None),
            verify_overdue_at: Set(None),
            duplicate_of: Set(None),
            version: Set(1),
            created_at: Set(created),
            updated_at: Set(created),
            accepted_at: Set(None),
            verified_at: Set(None),
            closed_at: Set(None),
        };
        // The handling timeline, cut at today.
        let mut version = 1;
        let mut t = created;
        let accepted = t + Duration::hours(rng.gen_range(2..48));
        if accepted < anchor {
            t = accepted;
            version += 1;
            row.accepted_at = Set(Some(accepted));
            if rng.gen_range(0..10) == 0 {
                row.status = Set(ReportStatus::Rejected);
                row.rejection_reason = Set(Some(
                    "举报内容不属于本委职责范围，已告知举报人向相关部门反映".to_owned(),
                ));
            } else {
                row.status = Set(ReportStatus::Accepted);
                row.verify_due_at = Set(Some(
                    accepted + Duration::days(i64::from(module.settings.verify_days)),
                ));
                let assigned = t + Duration::hours(rng.gen_range(1..24));
                if assigned < anchor {
                    t = assigned;
                    version += 1;
                    let verifier = verifiers[rng.gen_range(0..verifiers.len())];
                    row.status = Set(ReportStatus::Verifying);
                    row.verifier_id = Set(Some(verifier));
                    let verified = t + Duration::hours(rng.gen_range(24..240));
                    if verified < anchor {
                        t = verified;
                        version += 1;
                        let verdict = match rng.gen_range(0..10) {
                            0..5 => Verdict::True,
                            5..7 => Verdict::PartlyTrue,
                            _ => Verdict::False,
                        };
                        row.status = Set(ReportStatus::Verified);
                        row.verdict = Set(Some(verdict));
                        row.verified_at = Set(Some(verified));
                        row.findings = Set(Some(match verdict {
                            Verdict::False => "经现场核查，举报情况不属实".to_owned(),
                            _ => "经现场核查，举报情况基本属实，已责令整改".to_owned(),
                        }));
                        let closed = t + Duration::hours(rng.gen_range(4..120));
                        if closed < anchor {
                            t = closed;
                            version += 1;
                            row.status = Set(ReportStatus::Closed);
                            row.closed_at = Set(Some(closed));
                        }
                        if let Some(a) = award(category, verdict) {
                            let (reward_row, year) = reward_of(
                                &mut rng, id, verdict, a, verified, anchor, handler, leader,
                            );
                            if let (Some(y), Set(amount)) = (year, &reward_row.amount_fen) {
                                *charged.entry(y).or_default() += *amount;
                            }
                            rewards.push(reward_row);
                        }
                    }
                }
            }
        }
        row.version = Set(version);
        row.updated_at = Set(t);
        reports.push(row);
    }
    let w = k.db.begin_write().await?;
    let n_reports = insert_chunked(&*w, reports).await?;
    let n_rewards = insert_chunked(&*w, rewards).await?;
    // Each year's budget covers what was approved in it (on top of any budget already set).
    let mut budgets = 0u64;
    for (year, amount) in charged {
        let existing = budget::Entity::find()
            .filter(budget::Column::Year.eq(year))
            .one(&*w)
            .await?;
        match existing {
            Some(b) => {
                budget::Entity::update_many()
                    .col_expr(
                        budget::Column::AmountFen,
                        sea_orm::sea_query::Expr::value(b.amount_fen + amount),
                    )
                    .filter(budget::Column::Id.eq(b.id))
                    .exec(&*w)
                    .await?;
            }
            None => {
                let at = anchor - Duration::days(400);
                budgets += insert_chunked(
                    &*w,
                    vec![budget::ActiveModel {
                        id: Set(id_at(&mut rng, at)),
                        year: Set(year),
                        amount_fen: Set(amount + amount / 5),
                        set_by: Set(Some(leader)),
                        version: Set(1),
                        created_at: Set(at),
                        updated_at: Set(at),
                    }],
                )
                .await?;
            }
        }
    }
    w.commit().await?;
    Ok(vec![
        ("rewards_report", n_reports),
        ("rewards_reward", n_rewards),
        ("rewards_budget", budgets),
    ])
}

/// The reward of a verified report, moved along its steps until today; with the budget year it
/// is charged to once finally approved.
#[allow(clippy::too_many_arguments)]
fn reward_of(
    rng: &mut rand::rngs::StdRng,
    report_id: uuid::Uuid,
    verdict: Verdict,
    a: crate::rules::standards::Award,
    verified: chrono::DateTime<chrono::Utc>,
    anchor: chrono::DateTime<chrono::Utc>,
    handler: uuid::Uuid,
    leader: uuid::Uuid,
) -> (reward::ActiveModel, Option<i32>) {
    let proposed = verified + Duration::hours(rng.gen_range(2..72));
    let proposed = proposed.min(anchor - Duration::minutes(1));
    let mut r = reward::ActiveModel {
        id: Set(id_at(rng, proposed)),
        report_id: Set(report_id),
        verdict: Set(verdict),
        amount_fen: Set(a.amount_fen),
        standard_fen: Set(a.amount_fen),
        rule_code: Set(a.rule_code),
        basis: Set(a.basis),
        override_reason: Set(None),
        status: Set(RewardStatus::Proposed),
        proposed_by: Set(handler),
        department_approved_by: Set(None),
        department_approved_at: Set(None),
        final_approved_by: Set(None),
        final_approved_at: Set(None),
        budget_year: Set(None),
        refused_by: Set(None),
        refused_at: Set(None),
        refusal_reason: Set(None),
        payment_method: Set(None),
        paid_on: Set(None),
        paid_by: Set(None),
        confirmed_at: Set(None),
        version: Set(1),
        created_at: Set(proposed),
        updated_at: Set(proposed),
    };
    let mut year = None;
    let mut t = proposed;
    let mut version = 1;
    let mut step = |rng: &mut rand::rngs::StdRng, hours: std::ops::Range<i64>| {
        let at = t + Duration::hours(rng.gen_range(hours));
        (at < anchor).then(|| {
            t = at;
            version += 1;
            at
        })
    };
    if rng.gen_range(0..25) == 0 {
        if let Some(at) = step(rng, 24..120) {
            r.status = Set(RewardStatus::Refused);
            r.refused_by = Set(Some(leader));
            r.refused_at = Set(Some(at));
            r.refusal_reason = Set(Some("举报人系该项目从业人员，不符合奖励条件".to_owned()));
        }
    } else if let Some(at) = step(rng, 24..120) {
        r.status = Set(RewardStatus::ApprovedDepartment);
        r.department_approved_by = Set(Some(handler));
        r.department_approved_at = Set(Some(at));
        if let Some(at) = step(rng, 24..240) {
            r.status = Set(RewardStatus::Approved);
            r.final_approved_by = Set(Some(leader));
            r.final_approved_at = Set(Some(at));
            let y = to_shanghai(at).year();
            r.budget_year = Set(Some(y));
            year = Some(y);
            if let Some(at) = step(rng, 48..480) {
                r.status = Set(RewardStatus::Paid);
                r.payment_method = Set(Some(if rng.gen_range(0..4) == 0 {
                    PaymentMethod::Cash
                } else {
                    PaymentMethod::BankTransfer
                }));
                r.paid_on = Set(Some(to_shanghai(at).date_naive()));
                r.paid_by = Set(Some(handler));
                if let Some(at) = step(rng, 24..240) {
                    r.status = Set(RewardStatus::Confirmed);
                    r.confirmed_at = Set(Some(at));
                }
            }
        }
    }
    r.version = Set(version);
    r.updated_at = Set(t);
    (r, year)
}

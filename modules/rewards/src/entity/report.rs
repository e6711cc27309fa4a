//! 举报 — a public report. The reporter's identity and contact are held only as AES-256-GCM
//! ciphertext (`identity_ciphertext`, with the id of the key that sealed it); handlers see
//! `pseudonym`. Nothing about the reporter's network address or device is kept.
use sea_orm::entity::prelude::*;

use super::enums::{ReportCategory, ReportChannel, ReportStatus, Verdict};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rewards_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// 回执码 (normalised: no separators), unique.
    pub receipt_code: String,
    /// Argon2id hash of the passphrase given to the reporter once.
    pub passphrase_hash: String,
    pub category: ReportCategory,
    pub channel: ReportChannel,
    pub description: String,
    pub township_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub address: String,
    pub observed_at: Option<DateTimeUtc>,
    pub status: ReportStatus,
    /// 化名: what handlers call the reporter.
    pub pseudonym: String,
    /// Whether the reporter gave a name or contact (encrypted below).
    pub named: bool,
    /// base64(nonce ‖ AES-256-GCM ciphertext of the identity JSON), bound to the report id.
    pub identity_ciphertext: Option<String>,
    /// Which key sealed `identity_ciphertext` (for rotation).
    pub identity_key_id: Option<String>,
    /// The staff account that entered a hotline, letter or visit report.
    pub entered_by: Option<Uuid>,
    pub accept_due_at: DateTimeUtc,
    pub verify_due_at: Option<DateTimeUtc>,
    pub rejection_reason: Option<String>,
    pub verifier_id: Option<Uuid>,
    pub verdict: Option<Verdict>,
    pub findings: Option<String>,
    /// When the missed acceptance deadline was published (`rewards.report_overdue`), once.
    pub accept_overdue_at: Option<DateTimeUtc>,
    /// When the missed verification deadline was published, once.
    pub verify_overdue_at: Option<DateTimeUtc>,
    /// 重复举报: the earliest report of the same matter this one repeats (never itself a
    /// duplicate). Only the first valid reporter of a matter is rewarded.
    pub duplicate_of: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When it was accepted (or rejected): the end of the acceptance step.
    pub accepted_at: Option<DateTimeUtc>,
    /// When the verdict was recorded.
    pub verified_at: Option<DateTimeUtc>,
    /// When it was closed.
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

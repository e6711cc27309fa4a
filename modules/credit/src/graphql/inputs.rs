//! Inputs and payloads of the credit mutations.
use async_graphql::{InputObject, SimpleObject};
use chrono::{DateTime, Utc};

use super::types::{CreditBlacklistEntry, CreditRecord, CreditRepair, CreditRuleVersion};
use crate::entity::enums::{BlacklistGround, RuleTrigger};

/// 规则行 — one row of a new version of the rules table.
#[derive(InputObject)]
pub struct CreditRuleInput {
    /// 规则代码 (code)
    pub code: String,
    /// 触发事项：执法措施类型 (the kind of enforcement action it applies to)
    pub trigger: RuleTrigger,
    /// 扣分（0–100）；为空以执法决定载明的分值为准 (points, 0–100; null: the decision's own points)
    pub points: Option<i32>,
    /// 是否记不良信用记录 (whether a bad record is published)
    pub bad_record: bool,
    /// 不良记录公开期限（6–36个月）(publication period in months, 6–36)
    pub publication_months: i32,
    /// 出处（文件名称、文号、条款），未取得原文须注明 (source: document, number, article; say so when not at hand)
    pub source: String,
    /// 出处是否已与原文核对 (whether checked against the text)
    #[graphql(default)]
    pub confirmed: bool,
}

/// 发布信用评价规则新版本 — input of `publishCreditRules`.
#[derive(InputObject)]
pub struct PublishCreditRulesInput {
    /// 生效时间（须晚于当前时间及上一版本）(in force from; after now and after the latest version)
    pub effective_from: DateTime<Utc>,
    /// 说明 (note)
    pub note: Option<String>,
    /// 规则：每种执法措施一条 (one row per kind of enforcement action)
    pub rules: Vec<CreditRuleInput>,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `publishCreditRules`.
#[derive(SimpleObject)]
pub struct PublishCreditRulesPayload {
    /// 新发布的版本 (the version published)
    pub credit_rule_version: CreditRuleVersion,
}

/// 记录优良信用 — input of `recordGoodCredit`.
#[derive(InputObject)]
pub struct RecordGoodCreditInput {
    /// 企业全局编号 (enterprise global ID)
    pub enterprise_id: async_graphql::ID,
    /// 标题，如“市级安全文明工地” (title, e.g. an award)
    pub title: String,
    /// 认定依据（表彰文件文号）(basis: the award's document)
    pub legal_basis: String,
    /// 事实说明 (facts)
    pub description: String,
    /// 认定时间（不晚于当前）(when decided; not in the future)
    pub decided_at: DateTime<Utc>,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `recordGoodCredit`.
#[derive(SimpleObject)]
pub struct RecordGoodCreditPayload {
    /// 新记录 (the record)
    pub credit_record: CreditRecord,
}

/// 申请信用修复 — input of `applyCreditRepair`.
#[derive(InputObject)]
pub struct ApplyCreditRepairInput {
    /// 本企业的不良信用记录全局编号 (global ID of one of the enterprise's bad records)
    pub record_id: async_graphql::ID,
    /// 整改情况说明 (account of the rectification)
    pub statement: String,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `applyCreditRepair`.
#[derive(SimpleObject)]
pub struct ApplyCreditRepairPayload {
    /// 申请 (the application)
    pub credit_repair: CreditRepair,
}

/// 审核信用修复 — input of `reviewCreditRepair`.
#[derive(InputObject)]
pub struct ReviewCreditRepairInput {
    /// 申请全局编号 (application global ID)
    pub repair_id: async_graphql::ID,
    /// 审核意见 (opinion)
    pub opinion: String,
}

/// Result of `reviewCreditRepair`.
#[derive(SimpleObject)]
pub struct ReviewCreditRepairPayload {
    /// 申请 (the application)
    pub credit_repair: CreditRepair,
}

/// 准予信用修复 — input of `approveCreditRepair`.
#[derive(InputObject)]
pub struct ApproveCreditRepairInput {
    /// 申请全局编号 (application global ID)
    pub repair_id: async_graphql::ID,
    /// 决定理由 (note)
    pub note: String,
}

/// Result of `approveCreditRepair`.
#[derive(SimpleObject)]
pub struct ApproveCreditRepairPayload {
    /// 申请 (the application)
    pub credit_repair: CreditRepair,
    /// 提前结束公开的记录 (the record, its publication ended)
    pub credit_record: Option<CreditRecord>,
}

/// 不予信用修复 — input of `rejectCreditRepair`.
#[derive(InputObject)]
pub struct RejectCreditRepairInput {
    /// 申请全局编号 (application global ID)
    pub repair_id: async_graphql::ID,
    /// 决定理由 (note)
    pub note: String,
}

/// Result of `rejectCreditRepair`.
#[derive(SimpleObject)]
pub struct RejectCreditRepairPayload {
    /// 申请 (the application)
    pub credit_repair: CreditRepair,
}

/// 列入黑名单 — input of `listOnCreditBlacklist`.
#[derive(InputObject)]
pub struct ListOnCreditBlacklistInput {
    /// 依据的企业不良信用记录全局编号（须在公开期内）(global ID of the enterprise's bad record in force)
    pub record_id: async_graphql::ID,
    /// 列入情形 (ground)
    pub ground: BlacklistGround,
    /// 列入依据（处罚决定文号等）(basis: the decision's number…)
    pub basis: String,
    /// 幂等键：重试时返回首次结果 (idempotency key)
    pub idempotency_key: Option<String>,
}

/// Result of `listOnCreditBlacklist`.
#[derive(SimpleObject)]
pub struct ListOnCreditBlacklistPayload {
    /// 黑名单记录 (the listing)
    pub credit_blacklist_entry: CreditBlacklistEntry,
}

/// 移出黑名单 — input of `removeFromCreditBlacklist`.
#[derive(InputObject)]
pub struct RemoveFromCreditBlacklistInput {
    /// 黑名单记录全局编号 (listing global ID)
    pub entry_id: async_graphql::ID,
    /// 移出理由 (reason)
    pub reason: String,
}

/// Result of `removeFromCreditBlacklist`.
#[derive(SimpleObject)]
pub struct RemoveFromCreditBlacklistPayload {
    /// 黑名单记录 (the listing)
    pub credit_blacklist_entry: CreditBlacklistEntry,
}

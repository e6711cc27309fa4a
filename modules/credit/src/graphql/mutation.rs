//! Credit mutations: a guard, decoding, one service call.
use async_graphql::{Context, Object};
use jianan_kernel::principal::{Permission, request_info};
use jianan_kernel::{AppError, kernel};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use jianan_kernel::relay::decode_id;

use super::inputs::*;
use super::types::{CreditBlacklistEntry, CreditRecord, CreditRepair, CreditRuleVersion};
use crate::entity::enums::RepairAction;
use crate::entity::{credit_record, credit_rule};
use crate::perms;
use crate::service::blacklist::{self, NewListing};
use crate::service::records::{NewGoodRecord, record_good};
use crate::service::repair::{self, NewRepair};
use crate::service::rules::{NewRule, NewRuleVersion, publish};

/// Credit mutations.
#[derive(Default)]
pub struct CreditMutation;

#[Object]
impl CreditMutation {
    /// 发布信用评价规则新版本（自生效时间起评价新发生的事项，不追溯）(publish a new version of the
    /// rules table, applied to events from its start; never retroactive)
    #[graphql(guard = "Permission(perms::RULES_MANAGE)")]
    async fn publish_credit_rules(
        &self,
        ctx: &Context<'_>,
        input: PublishCreditRulesInput,
    ) -> async_graphql::Result<PublishCreditRulesPayload> {
        let k = kernel(ctx)?;
        let new = NewRuleVersion {
            effective_from: input.effective_from,
            note: input.note,
            rules: input
                .rules
                .into_iter()
                .map(|r| NewRule {
                    code: r.code,
                    trigger: r.trigger,
                    points: r.points,
                    bad_record: r.bad_record,
                    publication_months: r.publication_months,
                    source: r.source,
                    confirmed: r.confirmed,
                })
                .collect(),
            idempotency_key: input.idempotency_key,
        };
        let version = publish(k, &request_info(ctx), new).await?;
        let rules = credit_rule::Entity::find()
            .filter(credit_rule::Column::VersionId.eq(version.id))
            .all(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(PublishCreditRulesPayload {
            credit_rule_version: CreditRuleVersion(version, rules),
        })
    }

    /// 记录优良信用（公开3年）(record a good credit record, public for 3 years)
    #[graphql(guard = "Permission(perms::RECORD_MANAGE)")]
    async fn record_good_credit(
        &self,
        ctx: &Context<'_>,
        input: RecordGoodCreditInput,
    ) -> async_graphql::Result<RecordGoodCreditPayload> {
        let new = NewGoodRecord {
            enterprise_id: decode_id(&input.enterprise_id, "Enterprise", "enterpriseId")?,
            title: input.title,
            legal_basis: input.legal_basis,
            description: input.description,
            decided_at: input.decided_at,
            idempotency_key: input.idempotency_key,
        };
        let record = record_good(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(RecordGoodCreditPayload {
            credit_record: CreditRecord(record),
        })
    }

    /// 申请信用修复（企业负责人，为本企业在公开期内的不良记录）(apply to repair one of the
    /// enterprise's bad records in force)
    #[graphql(guard = "Permission(perms::REPAIR_APPLY)")]
    async fn apply_credit_repair(
        &self,
        ctx: &Context<'_>,
        input: ApplyCreditRepairInput,
    ) -> async_graphql::Result<ApplyCreditRepairPayload> {
        let new = NewRepair {
            record_id: decode_id(&input.record_id, "CreditRecord", "recordId")?,
            statement: input.statement,
            idempotency_key: input.idempotency_key,
        };
        let repair = repair::apply(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(ApplyCreditRepairPayload {
            credit_repair: CreditRepair(repair),
        })
    }

    /// 审核信用修复申请 (review a repair application)
    #[graphql(guard = "Permission(perms::REPAIR_REVIEW)")]
    async fn review_credit_repair(
        &self,
        ctx: &Context<'_>,
        input: ReviewCreditRepairInput,
    ) -> async_graphql::Result<ReviewCreditRepairPayload> {
        let id = decode_id(&input.repair_id, "CreditRepair", "repairId")?;
        let repair = repair::step(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            RepairAction::Review,
            &input.opinion,
        )
        .await?;
        Ok(ReviewCreditRepairPayload {
            credit_repair: CreditRepair(repair),
        })
    }

    /// 准予信用修复：记录提前结束公开（公开满3个月后；决定人不得为审核人）(approve: the record's
    /// publication ends now; at least 3 months after it began; not by the reviewer)
    #[graphql(guard = "Permission(perms::REPAIR_DECIDE)")]
    async fn approve_credit_repair(
        &self,
        ctx: &Context<'_>,
        input: ApproveCreditRepairInput,
    ) -> async_graphql::Result<ApproveCreditRepairPayload> {
        let k = kernel(ctx)?;
        let id = decode_id(&input.repair_id, "CreditRepair", "repairId")?;
        let repair = repair::step(
            k,
            &request_info(ctx),
            id,
            RepairAction::Approve,
            &input.note,
        )
        .await?;
        let record = credit_record::Entity::find_by_id(repair.record_id)
            .one(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(ApproveCreditRepairPayload {
            credit_repair: CreditRepair(repair),
            credit_record: record.map(CreditRecord),
        })
    }

    /// 不予信用修复 (reject a repair application)
    #[graphql(guard = "Permission(perms::REPAIR_DECIDE)")]
    async fn reject_credit_repair(
        &self,
        ctx: &Context<'_>,
        input: RejectCreditRepairInput,
    ) -> async_graphql::Result<RejectCreditRepairPayload> {
        let id = decode_id(&input.repair_id, "CreditRepair", "repairId")?;
        let repair = repair::step(
            kernel(ctx)?,
            &request_info(ctx),
            id,
            RepairAction::Reject,
            &input.note,
        )
        .await?;
        Ok(RejectCreditRepairPayload {
            credit_repair: CreditRepair(repair),
        })
    }

    /// 列入黑名单（须依据企业在公开期内的不良信用记录；管理期限1年）(put an enterprise on the
    /// blacklist, citing a bad record in force; management period one year)
    #[graphql(guard = "Permission(perms::BLACKLIST_MANAGE)")]
    async fn list_on_credit_blacklist(
        &self,
        ctx: &Context<'_>,
        input: ListOnCreditBlacklistInput,
    ) -> async_graphql::Result<ListOnCreditBlacklistPayload> {
        let new = NewListing {
            record_id: decode_id(&input.record_id, "CreditRecord", "recordId")?,
            ground: input.ground,
            basis: input.basis,
            idempotency_key: input.idempotency_key,
        };
        let entry = blacklist::list(kernel(ctx)?, &request_info(ctx), new).await?;
        Ok(ListOnCreditBlacklistPayload {
            credit_blacklist_entry: CreditBlacklistEntry(entry),
        })
    }

    /// 移出黑名单（管理期满，或依据记录已被撤销）(take an enterprise off the blacklist: after the
    /// management period, or once its record was ended)
    #[graphql(guard = "Permission(perms::BLACKLIST_MANAGE)")]
    async fn remove_from_credit_blacklist(
        &self,
        ctx: &Context<'_>,
        input: RemoveFromCreditBlacklistInput,
    ) -> async_graphql::Result<RemoveFromCreditBlacklistPayload> {
        let id = decode_id(&input.entry_id, "CreditBlacklistEntry", "entryId")?;
        let entry = blacklist::remove(kernel(ctx)?, &request_info(ctx), id, &input.reason).await?;
        Ok(RemoveFromCreditBlacklistPayload {
            credit_blacklist_entry: CreditBlacklistEntry(entry),
        })
    }
}

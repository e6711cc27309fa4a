//! Credit queries.
use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use jianan_kernel::list;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::{KeysetOrder, PageArgs, RelayConnection, SortValue};
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppError, kernel};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::types::{
    CreditBlacklistEntry, CreditChange, CreditProfile, CreditRecord, CreditRepair,
    CreditRestriction, CreditRestrictions, CreditRuleVersion, CreditStatistics, PublicCreditRecord,
};
use crate::entity::enums::{RecordKind, RepairStatus, SubjectKind};
use crate::entity::{
    credit_blacklist, credit_change, credit_record, credit_repair, credit_rule, credit_rule_version,
};
use crate::perms;
use crate::rules::evaluation::{BASE_SCORE, level_of};
use crate::service::profile;

/// 信用记录筛选 — filter of `creditRecords`.
#[derive(InputObject, Default)]
pub struct CreditRecordFilter {
    /// 统一社会信用代码 (unified social credit code)
    pub uscc: Option<String>,
    /// 记录类型 (good or bad)
    pub kind: Option<RecordKind>,
    /// 对象类型 (enterprise or key person)
    pub subject_kind: Option<SubjectKind>,
    /// 只看当前有效的（公开期内、未提前结束）(only records in force now)
    #[graphql(default)]
    pub in_force_only: bool,
}

const RECORD_ORDER: KeysetOrder<credit_record::Entity> = KeysetOrder {
    column: credit_record::Column::DecidedAt,
    id_column: credit_record::Column::Id,
    descending: true,
    key: |m| (SortValue::Time(m.decided_at), m.id),
};

const REPAIR_ORDER: KeysetOrder<credit_repair::Entity> = KeysetOrder {
    column: credit_repair::Column::AppliedAt,
    id_column: credit_repair::Column::Id,
    descending: true,
    key: |m| (SortValue::Time(m.applied_at), m.id),
};

const LISTING_ORDER: KeysetOrder<credit_blacklist::Entity> = KeysetOrder {
    column: credit_blacklist::Column::ListedAt,
    id_column: credit_blacklist::Column::Id,
    descending: true,
    key: |m| (SortValue::Time(m.listed_at), m.id),
};

/// Commit order: the sequence assigned under the feed lock.
/// The bureau reads its feed in pages of up to 500 (issue #14: the whole feed end to end);
/// the rows are flat, so a large page is one statement and no relations.
const FEED_PAGE_MAX: u64 = 500;

const CHANGE_ORDER: KeysetOrder<credit_change::Entity> = KeysetOrder {
    column: credit_change::Column::Seq,
    id_column: credit_change::Column::Id,
    descending: false,
    key: |m| (SortValue::Int(m.seq), m.id),
};

/// Credit queries.
#[derive(Default)]
pub struct CreditQuery;

#[Object]
impl CreditQuery {
    /// 信用档案：按统一社会信用代码查企业（或其关键岗位人员）的各年度得分、等级及扣分原因；
    /// 企业用户只能查本企业 (an enterprise's — or its key person's — credit profile: every year's
    /// score, level and the history of why; enterprise users see only their own)
    #[graphql(guard = "Permission(perms::PROFILE_READ)")]
    async fn credit_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "统一社会信用代码 (unified social credit code)")] uscc: String,
        #[graphql(
            desc = "关键岗位人员，按执法文书所写（如“张三（项目负责人）”）；为空查企业 (key person as the decision names them; empty for the enterprise)"
        )]
        person: Option<String>,
    ) -> async_graphql::Result<Option<CreditProfile>> {
        let k = kernel(ctx)?;
        let p = principal(ctx);
        let found = profile::profile(&k.db.conn, &p, &uscc, person.as_deref()).await?;
        Ok(found.map(|f| CreditProfile(f, profile::current_year(Utc::now()))))
    }

    /// 信用记录列表（按认定时间倒序；企业只看本企业）(credit records, newest first, within the
    /// caller's scope)
    #[graphql(
        guard = "Permission(perms::RECORD_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn credit_records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "筛选 (filter)")] filter: Option<CreditRecordFilter>,
        #[graphql(desc = "向后取多少条 (page size, forward)")] first: Option<i32>,
        #[graphql(desc = "游标之后 (after this cursor)")] after: Option<String>,
        #[graphql(desc = "向前取多少条 (page size, backward)")] last: Option<i32>,
        #[graphql(desc = "游标之前 (before this cursor)")] before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<CreditRecord>> {
        let f = filter.unwrap_or_default();
        let mut select = scoped::<credit_record::Entity>(&principal(ctx));
        if let Some(u) = &f.uscc {
            select =
                select.filter(credit_record::Column::Uscc.eq(jianan_registry::uscc::normalize(u)));
        }
        if let Some(kind) = f.kind {
            select = select.filter(credit_record::Column::Kind.eq(kind));
        }
        if let Some(s) = f.subject_kind {
            select = select.filter(credit_record::Column::SubjectKind.eq(s));
        }
        if f.in_force_only {
            select = select.filter(profile::in_force_condition(Utc::now()));
        }
        let page = list::page(
            ctx,
            select,
            &RECORD_ORDER,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<jianan_entity::enterprise::Entity>(ctx, "enterprise", |m| m.enterprise_id)
            .await?;
        Ok(page.connection(CreditRecord))
    }

    /// 信用信息公开：无需登录，只含规则规定公开且在公开期内的企业信用记录 (public credit
    /// disclosure: no login; only records the rules make public, within their period)
    #[graphql(complexity = "jianan_kernel::list::complexity(child_complexity, first, None)")]
    async fn public_credit_records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "统一社会信用代码 (unified social credit code)")] uscc: Option<String>,
        #[graphql(desc = "向后取多少条 (page size)")] first: Option<i32>,
        #[graphql(desc = "游标之后 (after this cursor)")] after: Option<String>,
    ) -> async_graphql::Result<RelayConnection<PublicCreditRecord>> {
        let mut select =
            credit_record::Entity::find().filter(profile::disclosure_condition(Utc::now()));
        if let Some(u) = &uscc {
            select =
                select.filter(credit_record::Column::Uscc.eq(jianan_registry::uscc::normalize(u)));
        }
        let page = list::page(
            ctx,
            select,
            &RECORD_ORDER,
            PageArgs::new(first, after, None, None),
        )
        .await?;
        Ok(page.connection(PublicCreditRecord))
    }

    /// 联合惩戒与“三个挂钩”：企业今日适用的限制（评先评优、资格资质、招投标、双随机重点）
    /// 或激励（降低抽查频次），各附依据记录和截止时间；委内人员及区市场监管局可查 (which
    /// restrictions or incentives apply to an enterprise today, with their source records and end;
    /// for the commission's staff and the Market Supervision Bureau)
    #[graphql(guard = "Permission(perms::RESTRICTIONS_READ)")]
    async fn credit_restrictions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "统一社会信用代码 (unified social credit code)")] uscc: String,
    ) -> async_graphql::Result<CreditRestrictions> {
        let k = kernel(ctx)?;
        let p = principal(ctx);
        let now = Utc::now();
        let (code, score, list) = profile::restrictions_of(&k.db.conn, &p, &uscc, now).await?;
        let ids: Vec<_> = list
            .iter()
            .flat_map(|r| r.source_records.iter().copied())
            .collect();
        let records = if ids.is_empty() {
            Vec::new()
        } else {
            scoped::<credit_record::Entity>(&p)
                .filter(credit_record::Column::Id.is_in(ids))
                .all(&k.db.conn)
                .await
                .map_err(AppError::from)?
        };
        let bureau_ids: Vec<_> = list
            .iter()
            .flat_map(|r| r.bureau_records.iter().copied())
            .collect();
        let bureau = if bureau_ids.is_empty() {
            Vec::new()
        } else {
            scoped::<crate::entity::credit_bureau_record::Entity>(&p)
                .filter(crate::entity::credit_bureau_record::Column::Id.is_in(bureau_ids))
                .all(&k.db.conn)
                .await
                .map_err(AppError::from)?
        };
        Ok(CreditRestrictions {
            uscc: code,
            as_of: now,
            level: score.as_ref().map_or(level_of(BASE_SCORE), |s| s.level),
            score: score.as_ref().map_or(BASE_SCORE, |s| s.score),
            restrictions: list
                .into_iter()
                .map(|r| CreditRestriction::of(r, &records, &bureau))
                .collect(),
        })
    }

    /// 信用变更数据交换（区市场监管局服务账号）：按提交顺序、无遗漏、可从任一游标续读 (the credit
    /// change feed for the Market Supervision Bureau: complete, in commit order, resumable from
    /// any cursor)
    #[graphql(
        guard = "Permission(perms::EXCHANGE_READ)",
        complexity = "jianan_kernel::list::feed_complexity(first)"
    )]
    async fn credit_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "上次读到的游标；为空从头读 (the cursor last read; empty to start from the beginning)"
        )]
        after: Option<String>,
        #[graphql(desc = "最多取多少条，默认20，至多500 (page size: 20 by default, at most 500)")]
        first: Option<i32>,
    ) -> async_graphql::Result<RelayConnection<CreditChange>> {
        let select = scoped::<credit_change::Entity>(&principal(ctx));
        let page = list::page(
            ctx,
            select,
            &CHANGE_ORDER,
            PageArgs::new(first, after, None, None).up_to(FEED_PAGE_MAX),
        )
        .await?;
        Ok(page.connection(CreditChange))
    }

    /// 信用评价规则各版本（新版本在前），每条规则注明出处 (every version of the rules table,
    /// newest first, each rule citing its source)
    #[graphql(guard = "Permission(perms::RULES_READ)")]
    async fn credit_rule_versions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CreditRuleVersion>> {
        let k = kernel(ctx)?;
        let p = principal(ctx);
        let versions = scoped::<credit_rule_version::Entity>(&p)
            .order_by_desc(credit_rule_version::Column::Version)
            .all(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        let rules = scoped::<credit_rule::Entity>(&p)
            .order_by_asc(credit_rule::Column::Code)
            .all(&k.db.conn)
            .await
            .map_err(AppError::from)?;
        Ok(versions
            .into_iter()
            .map(|v| {
                let rows = rules
                    .iter()
                    .filter(|r| r.version_id == v.id)
                    .cloned()
                    .collect();
                CreditRuleVersion(v, rows)
            })
            .collect())
    }

    /// 信用修复申请列表（新申请在前；企业只看本企业）(repair applications, newest first,
    /// within the caller's scope)
    #[graphql(
        guard = "Permission(perms::REPAIR_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn credit_repairs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "状态 (statuses)")] statuses: Option<Vec<RepairStatus>>,
        #[graphql(desc = "向后取多少条 (page size, forward)")] first: Option<i32>,
        #[graphql(desc = "游标之后 (after this cursor)")] after: Option<String>,
        #[graphql(desc = "向前取多少条 (page size, backward)")] last: Option<i32>,
        #[graphql(desc = "游标之前 (before this cursor)")] before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<CreditRepair>> {
        let mut select = scoped::<credit_repair::Entity>(&principal(ctx));
        if let Some(s) = statuses {
            select = select.filter(credit_repair::Column::Status.is_in(s));
        }
        let page = list::page(
            ctx,
            select,
            &REPAIR_ORDER,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<credit_record::Entity>(ctx, "record", |m| Some(m.record_id))
            .await?;
        page.prime::<credit_record::Entity>(ctx, "viewerCan", |m| Some(m.record_id))
            .await?;
        Ok(page.connection(CreditRepair))
    }

    /// 黑名单（新列入在前；企业只看本企业）(blacklist listings, newest first, within the
    /// caller's scope)
    #[graphql(
        guard = "Permission(perms::RECORD_READ)",
        complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"
    )]
    async fn credit_blacklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "只看未移出的 (only listings not removed)", default)] current_only: bool,
        #[graphql(desc = "向后取多少条 (page size, forward)")] first: Option<i32>,
        #[graphql(desc = "游标之后 (after this cursor)")] after: Option<String>,
        #[graphql(desc = "向前取多少条 (page size, backward)")] last: Option<i32>,
        #[graphql(desc = "游标之前 (before this cursor)")] before: Option<String>,
    ) -> async_graphql::Result<RelayConnection<CreditBlacklistEntry>> {
        let mut select = scoped::<credit_blacklist::Entity>(&principal(ctx));
        if current_only {
            select = select.filter(credit_blacklist::Column::RemovedAt.is_null());
        }
        let page = list::page(
            ctx,
            select,
            &LISTING_ORDER,
            PageArgs::new(first, after, last, before),
        )
        .await?;
        page.prime::<credit_record::Entity>(ctx, "record", |m| Some(m.record_id))
            .await?;
        Ok(page.connection(CreditBlacklistEntry))
    }

    /// 信用统计：等级分布、各月信用记录、黑名单规模 (credit statistics: level distribution,
    /// records per month, blacklist size)
    #[graphql(guard = "Permission(perms::STATISTICS_READ)")]
    async fn credit_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "评价年度，默认当年 (evaluation year; this year by default)")]
        year: Option<i32>,
    ) -> async_graphql::Result<CreditStatistics> {
        let k = kernel(ctx)?;
        let year = year.unwrap_or_else(|| profile::current_year(Utc::now()));
        let s = crate::service::statistics::statistics(&k.db.conn, &principal(ctx), year).await?;
        Ok(s.into())
    }
}

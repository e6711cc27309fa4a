//! Credit GraphQL types.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use jianan_entity::enterprise;
use jianan_kernel::loader::loaders;
use jianan_kernel::relay::encode_id;
use jianan_registry::graphql::types::Enterprise;

use crate::entity::enums::{
    BlacklistGround, ChangeKind, CreditLevel, RecordKind, RepairAction, RepairStatus, RuleTrigger,
    SubjectKind,
};
use crate::entity::{
    credit_blacklist, credit_change, credit_entry, credit_record, credit_repair, credit_rule,
    credit_rule_version, credit_score,
};
use crate::perms;
use crate::rules::restrictions::{Restriction, RestrictionKind};

/// 信用记录 — a good or bad credit record with its publication period.
#[derive(Clone)]
pub struct CreditRecord(pub credit_record::Model);

jianan_kernel::node_record!(CreditRecord, credit_record::Entity, perms::RECORD_READ);

/// 信用记录 — a good or bad credit record with its publication period.
#[Object]
impl CreditRecord {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id("CreditRecord", self.0.id)
    }
    /// 记录类型：优良或不良 (good or bad)
    async fn kind(&self) -> RecordKind {
        self.0.kind
    }
    /// 对象类型 (enterprise or key person)
    async fn subject_kind(&self) -> SubjectKind {
        self.0.subject_kind
    }
    /// 统一社会信用代码 (the enterprise's unified social credit code)
    async fn uscc(&self) -> Option<&str> {
        self.0.uscc.as_deref()
    }
    /// 对象名称：企业名称或个人姓名 (enterprise name, or the person as the decision names them)
    async fn subject_name(&self) -> &str {
        &self.0.subject_name
    }
    /// 标题 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 认定依据 (legal basis)
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// 事实与处理 (facts and decision)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 适用规则代码 (code of the rule applied)
    async fn rule_code(&self) -> Option<&str> {
        self.0.rule_code.as_deref()
    }
    /// 来源类型，如 EnforcementAction (type of the source record)
    async fn source_type(&self) -> &str {
        &self.0.source_type
    }
    /// 来源记录全局编号 (global ID of the source record)
    async fn source_id(&self) -> ID {
        encode_id(&self.0.source_type, self.0.source_id)
    }
    /// 认定时间（公开起始）(when decided; the publication starts then)
    async fn decided_at(&self) -> DateTime<Utc> {
        self.0.decided_at
    }
    /// 处罚期限届满时间 (end of the penalty, when it lasts)
    async fn penalty_until(&self) -> Option<DateTime<Utc>> {
        self.0.penalty_until
    }
    /// 公开期限届满时间 (end of the publication period)
    async fn public_until(&self) -> DateTime<Utc> {
        self.0.public_until
    }
    /// 是否向社会公开 (whether disclosed to the public)
    async fn is_public(&self) -> bool {
        self.0.is_public
    }
    /// 提前结束公开的时间 (when its publication was ended early by decision)
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
    /// 当前是否有效：在公开期内且未提前结束；过期记录不得用于惩戒 (in force now: within its period and
    /// not ended; an expired record is not used for sanctions)
    async fn in_force(&self) -> bool {
        crate::rules::publication::in_force(self.0.public_until, self.0.ended_at, Utc::now())
    }
    /// 对象企业 (the enterprise, if visible to the caller)
    async fn enterprise(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Enterprise>> {
        let Some(id) = self.0.enterprise_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .by_id::<enterprise::Entity>()
            .load_one(id)
            .await?
            .map(Enterprise))
    }
}

/// 公开信用记录 — a record as the public sees it (没有内部字段).
#[derive(Clone)]
pub struct PublicCreditRecord(pub credit_record::Model);

/// 公开信用记录 — a credit record disclosed to the public.
#[Object]
impl PublicCreditRecord {
    /// 记录类型 (good or bad)
    async fn kind(&self) -> RecordKind {
        self.0.kind
    }
    /// 统一社会信用代码 (unified social credit code)
    async fn uscc(&self) -> Option<&str> {
        self.0.uscc.as_deref()
    }
    /// 企业名称 (enterprise name)
    async fn subject_name(&self) -> &str {
        &self.0.subject_name
    }
    /// 标题 (title)
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 认定依据 (legal basis)
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// 事实与处理 (facts and decision)
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// 认定时间 (when decided)
    async fn decided_at(&self) -> DateTime<Utc> {
        self.0.decided_at
    }
    /// 公开期限届满时间 (end of the publication period)
    async fn public_until(&self) -> DateTime<Utc> {
        self.0.public_until
    }
}

/// 扣分/加分明细 — one deduction or addition, with why.
#[derive(Clone)]
pub struct CreditEntry(pub credit_entry::Model);

/// 扣分/加分明细 — one deduction (negative) or addition of a year's score, with why.
#[Object]
impl CreditEntry {
    /// 分值（扣分为负）(signed points: negative for a deduction)
    async fn points(&self) -> i32 {
        self.0.points
    }
    /// 规则代码 (code of the rule applied)
    async fn rule_code(&self) -> &str {
        &self.0.rule_code
    }
    /// 规则版本 (version of the rules table in force at the event's date)
    async fn rule_version(&self) -> i32 {
        self.0.rule_version
    }
    /// 规则出处 (the rule's source)
    async fn rule_source(&self) -> &str {
        &self.0.rule_source
    }
    /// 执法决定的法律依据 (legal basis of the decision)
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// 事由 (reason: the decision's facts)
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// 来源类型 (type of the source record, e.g. EnforcementAction)
    async fn source_type(&self) -> &str {
        &self.0.source_type
    }
    /// 来源记录全局编号 (global ID of the source record)
    async fn source_id(&self) -> ID {
        encode_id(&self.0.source_type, self.0.source_id)
    }
    /// 发生时间 (when the source happened)
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
}

/// 年度信用评价 — a subject's score for one year.
#[derive(Clone)]
pub struct CreditYear {
    pub score: credit_score::Model,
    pub entries: Vec<credit_entry::Model>,
}

/// 年度信用评价 — a subject's score for one evaluation year, and why.
#[Object]
impl CreditYear {
    /// 评价年度 (evaluation year, Beijing calendar)
    async fn year(&self) -> i32 {
        self.score.year
    }
    /// 基础分 (base score)
    async fn base(&self) -> i32 {
        self.score.base
    }
    /// 得分 (score: base plus entries, never below 0)
    async fn score(&self) -> i32 {
        self.score.score
    }
    /// 信用等级 (level)
    async fn level(&self) -> CreditLevel {
        self.score.level
    }
    /// 明细（按时间先后）(the entries, oldest first)
    async fn entries(&self) -> Vec<CreditEntry> {
        self.entries.iter().cloned().map(CreditEntry).collect()
    }
}

/// 信用档案 — a subject's credit: every evaluation year and its history.
pub struct CreditProfile(pub crate::service::profile::Profile, pub i32);

/// 信用档案 — an enterprise's (or key person's) credit: every year's score and why.
#[Object]
impl CreditProfile {
    /// 对象类型 (enterprise or key person)
    async fn subject_kind(&self) -> SubjectKind {
        self.0.kind
    }
    /// 统一社会信用代码 (unified social credit code)
    async fn uscc(&self) -> &str {
        &self.0.uscc
    }
    /// 个人（对象为关键岗位人员时）(the person, when the subject is a key person)
    async fn person(&self) -> Option<&str> {
        self.0.person.as_deref()
    }
    /// 企业 (the enterprise)
    async fn enterprise(&self) -> Option<Enterprise> {
        self.0.enterprise.clone().map(Enterprise)
    }
    /// 当前年度 (the current evaluation year)
    async fn current_year(&self) -> i32 {
        self.1
    }
    /// 当前年度得分（无明细时为基础分）(this year's score; the base score when nothing applied)
    async fn score(&self) -> i32 {
        self.current()
            .map_or(crate::rules::evaluation::BASE_SCORE, |s| s.score)
    }
    /// 当前年度等级 (this year's level)
    async fn level(&self) -> CreditLevel {
        self.current().map_or(
            crate::rules::evaluation::level_of(crate::rules::evaluation::BASE_SCORE),
            |s| s.level,
        )
    }
    /// 各年度评价及明细（新年度在前）(every year with entries, newest first)
    async fn years(&self) -> Vec<CreditYear> {
        self.0
            .years
            .iter()
            .map(|s| CreditYear {
                score: s.clone(),
                entries: self
                    .0
                    .entries
                    .iter()
                    .filter(|e| e.score_id == s.id)
                    .cloned()
                    .collect(),
            })
            .collect()
    }
}

impl CreditProfile {
    fn current(&self) -> Option<&credit_score::Model> {
        self.0.years.iter().find(|y| y.year == self.1)
    }
}

/// 限制措施 — one restriction that applies today.
#[derive(SimpleObject)]
pub struct CreditRestriction {
    /// 措施 (the restriction or incentive)
    pub kind: RestrictionKind,
    /// 依据的信用记录 (the records it rests on; empty when it rests on the level alone)
    pub source_records: Vec<CreditRecord>,
    /// 依据的市场监管局记录（行政处罚、经营异常名录、严重违法失信名单）(the Market Supervision
    /// Bureau's records it rests on)
    pub source_bureau_records: Vec<BureauCreditRecord>,
    /// 截止时间 (when it ends)
    pub until: DateTime<Utc>,
    /// 依据 (its citation)
    pub basis: String,
}

impl CreditRestriction {
    /// From the rule's result, with the records it cites (already loaded).
    pub fn of(
        r: Restriction,
        records: &[credit_record::Model],
        bureau: &[crate::entity::credit_bureau_record::Model],
    ) -> Self {
        CreditRestriction {
            kind: r.kind,
            source_bureau_records: bureau
                .iter()
                .filter(|m| r.bureau_records.contains(&m.id))
                .cloned()
                .map(BureauCreditRecord)
                .collect(),
            source_records: records
                .iter()
                .filter(|m| r.source_records.contains(&m.id))
                .cloned()
                .map(CreditRecord)
                .collect(),
            until: r.until,
            basis: r.basis.to_owned(),
        }
    }
}

/// 市场监管局记录 — a record of the Market Supervision Bureau, from its import.
pub struct BureauCreditRecord(pub crate::entity::credit_bureau_record::Model);

/// 市场监管局记录 — a record of the Market Supervision Bureau, from its import.
#[async_graphql::Object]
impl BureauCreditRecord {
    /// 全局编号 (global ID)
    async fn id(&self) -> async_graphql::ID {
        jianan_kernel::relay::encode_id("BureauCreditRecord", self.0.id)
    }
    /// 记录类别：行政处罚、经营异常名录或严重违法失信名单 (kind, in the bureau's words)
    async fn kind(&self) -> &str {
        crate::rules::bureau::BureauKind::parse(&self.0.kind).map_or("", |k| k.label())
    }
    /// 统一社会信用代码 (unified social credit code)
    async fn uscc(&self) -> &str {
        &self.0.uscc
    }
    /// 企业名称（文件中的）(enterprise name, as in the file)
    async fn enterprise_name(&self) -> &str {
        &self.0.enterprise_name
    }
    /// 决定文书号 (decision document number)
    async fn document_number(&self) -> &str {
        &self.0.document_number
    }
    /// 决定日期 (decided on)
    async fn decided_on(&self) -> chrono::NaiveDate {
        self.0.decided_on
    }
    /// 事由 (reason)
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// 处罚内容 (penalty content)
    async fn content(&self) -> Option<&str> {
        self.0.content.as_deref()
    }
    /// 有效至（含当日）；为空表示直至移出 (in force through this day; empty: until removed)
    async fn in_force_until(&self) -> Option<chrono::NaiveDate> {
        self.0.in_force_until
    }
    /// 决定机关 (deciding authority)
    async fn authority(&self) -> &str {
        &self.0.authority
    }
}

/// 联合惩戒查询结果 — what applies to an enterprise today.
#[derive(SimpleObject)]
pub struct CreditRestrictions {
    /// 统一社会信用代码 (unified social credit code)
    pub uscc: String,
    /// 查询时间 (as of)
    pub as_of: DateTime<Utc>,
    /// 当前年度等级（无明细时为A）(this year's level; A when nothing applied)
    pub level: CreditLevel,
    /// 当前年度得分 (this year's score)
    pub score: i32,
    /// 适用的限制或激励措施 (restrictions and incentives that apply)
    pub restrictions: Vec<CreditRestriction>,
}

/// 信用变更 — one entry of the change feed.
#[derive(Clone)]
pub struct CreditChange(pub credit_change::Model);

/// 信用变更 — one entry of the change feed, in commit order.
#[Object]
impl CreditChange {
    /// 顺序号（无间断，按提交顺序）(sequence number: no gaps, commit order)
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    /// 变更编号 (change id)
    async fn change_id(&self) -> String {
        self.0.id.to_string()
    }
    /// 变更类型 (kind)
    async fn kind(&self) -> ChangeKind {
        self.0.kind
    }
    /// 对象类型 (enterprise or key person)
    async fn subject_kind(&self) -> SubjectKind {
        self.0.subject_kind
    }
    /// 统一社会信用代码 (unified social credit code)
    async fn uscc(&self) -> Option<&str> {
        self.0.uscc.as_deref()
    }
    /// 个人 (the key person, when the subject is one)
    async fn person(&self) -> Option<&str> {
        self.0.person.as_deref()
    }
    /// 涉及的记录类型：CreditScore 或 CreditRecord (type of the record concerned)
    async fn record_type(&self) -> &str {
        &self.0.record_type
    }
    /// 涉及的记录编号 (id of the record concerned)
    async fn record_id(&self) -> String {
        self.0.record_id.to_string()
    }
    /// 摘要 (summary)
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// 变更时间 (when committed)
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
}

/// 信用评价规则 — one row of the rules table.
#[derive(Clone)]
pub struct CreditRule(pub credit_rule::Model);

/// 信用评价规则 — one row of a version of the rules table, with its source.
#[Object]
impl CreditRule {
    /// 规则代码 (code)
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// 触发事项：执法措施类型 (the kind of enforcement action it applies to)
    async fn trigger(&self) -> RuleTrigger {
        self.0.trigger
    }
    /// 扣分；为空表示以执法决定载明的分值为准 (points deducted; null: the decision's own points)
    async fn points(&self) -> Option<i32> {
        self.0.points
    }
    /// 是否记不良信用记录 (whether a bad record is published)
    async fn bad_record(&self) -> bool {
        self.0.bad_record
    }
    /// 不良记录公开期限（月）(publication period of that record, months)
    async fn publication_months(&self) -> i32 {
        self.0.publication_months
    }
    /// 出处，或“district rule not at hand”的说明 (its source, or the note that the district's rule is not at hand)
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// 出处是否已与原文核对 (whether the source was checked against its text)
    async fn confirmed(&self) -> bool {
        self.0.confirmed
    }
}

/// 规则版本 — a published version of the rules table.
#[derive(Clone)]
pub struct CreditRuleVersion(pub credit_rule_version::Model, pub Vec<credit_rule::Model>);

/// 规则版本 — a version of the rules table, in force from a date.
#[Object]
impl CreditRuleVersion {
    /// 版本号 (version number)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 生效时间 (in force from)
    async fn effective_from(&self) -> DateTime<Utc> {
        self.0.effective_from
    }
    /// 说明 (note)
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// 发布时间 (when published)
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
    /// 规则 (its rows)
    async fn rules(&self) -> Vec<CreditRule> {
        self.1.iter().cloned().map(CreditRule).collect()
    }
}

/// 信用修复申请 — an application to end a bad record's publication early.
#[derive(Clone)]
pub struct CreditRepair(pub credit_repair::Model);

jianan_kernel::node_record!(CreditRepair, credit_repair::Entity, perms::REPAIR_READ);

/// 信用修复申请 — an enterprise's application to end a bad record's publication early, its
/// review and the decision.
#[Object]
impl CreditRepair {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id("CreditRepair", self.0.id)
    }
    /// 状态 (status)
    async fn status(&self) -> RepairStatus {
        self.0.status
    }
    /// 申请修复的信用记录 (the record)
    async fn record(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CreditRecord>> {
        Ok(loaders(ctx)?
            .by_id::<credit_record::Entity>()
            .load_one(self.0.record_id)
            .await?
            .map(CreditRecord))
    }
    /// 整改情况说明 (the applicant's account of the rectification)
    async fn statement(&self) -> &str {
        &self.0.statement
    }
    /// 申请时间 (applied at)
    async fn applied_at(&self) -> DateTime<Utc> {
        self.0.applied_at
    }
    /// 审核意见 (review opinion)
    async fn review_opinion(&self) -> Option<&str> {
        self.0.review_opinion.as_deref()
    }
    /// 审核时间 (reviewed at)
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// 决定理由 (decision note)
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// 决定时间 (decided at)
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// 版本 (version)
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 当前用户可执行的操作 (what the caller may do with it now)
    async fn viewer_can(&self, ctx: &Context<'_>) -> async_graphql::Result<CreditRepairViewerCan> {
        let p = jianan_kernel::principal::principal(ctx);
        let record = loaders(ctx)?
            .by_id::<credit_record::Entity>()
            .load_one(self.0.record_id)
            .await?;
        let now = Utc::now();
        let may = |action| {
            record.as_ref().is_some_and(|r| {
                crate::service::repair::allowed(&p, action, &self.0, r, now).is_ok()
            })
        };
        Ok(CreditRepairViewerCan {
            review: may(RepairAction::Review),
            approve: may(RepairAction::Approve),
            reject: may(RepairAction::Reject),
        })
    }
}

/// 信用修复申请的可执行操作 — what the caller may do with an application now (the same rule as
/// the mutations).
#[derive(SimpleObject)]
pub struct CreditRepairViewerCan {
    /// 可审核 (may review)
    pub review: bool,
    /// 可准予修复 (may approve)
    pub approve: bool,
    /// 可不予修复 (may reject)
    pub reject: bool,
}

/// 黑名单记录 — an enterprise's listing on the blacklist.
#[derive(Clone)]
pub struct CreditBlacklistEntry(pub credit_blacklist::Model);

jianan_kernel::node_record!(
    CreditBlacklistEntry,
    credit_blacklist::Entity,
    perms::RECORD_READ
);

/// 黑名单记录 — an enterprise's listing on the blacklist, from entry to removal.
#[Object]
impl CreditBlacklistEntry {
    /// 全局编号 (global ID)
    pub async fn id(&self) -> ID {
        encode_id("CreditBlacklistEntry", self.0.id)
    }
    /// 统一社会信用代码 (unified social credit code)
    async fn uscc(&self) -> &str {
        &self.0.uscc
    }
    /// 企业名称 (enterprise name)
    async fn enterprise_name(&self) -> &str {
        &self.0.enterprise_name
    }
    /// 列入情形 (ground)
    async fn ground(&self) -> BlacklistGround {
        self.0.ground
    }
    /// 列入依据 (basis)
    async fn basis(&self) -> &str {
        &self.0.basis
    }
    /// 依据的不良信用记录 (the bad record it rests on)
    async fn record(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CreditRecord>> {
        Ok(loaders(ctx)?
            .by_id::<credit_record::Entity>()
            .load_one(self.0.record_id)
            .await?
            .map(CreditRecord))
    }
    /// 列入时间 (listed at)
    async fn listed_at(&self) -> DateTime<Utc> {
        self.0.listed_at
    }
    /// 管理期限届满 (end of the management period)
    async fn until(&self) -> DateTime<Utc> {
        self.0.until
    }
    /// 移出时间 (removed at)
    async fn removed_at(&self) -> Option<DateTime<Utc>> {
        self.0.removed_at
    }
    /// 移出理由 (removal reason)
    async fn removal_reason(&self) -> Option<&str> {
        self.0.removal_reason.as_deref()
    }
}

/// 等级人数 — enterprises at one level.
#[derive(SimpleObject)]
pub struct CreditLevelCount {
    /// 等级 (level)
    pub level: CreditLevel,
    /// 企业数 (enterprises)
    pub count: u64,
}

/// 记录月度数 — records of one kind decided in one month.
#[derive(SimpleObject)]
pub struct CreditRecordMonthCount {
    /// 记录类型 (kind)
    pub kind: RecordKind,
    /// 月份（北京时间，YYYY-MM）(month, Beijing time)
    pub month: String,
    /// 记录数 (records)
    pub count: u64,
}

/// 信用统计 — the dashboard's credit figures for one year.
#[derive(SimpleObject)]
pub struct CreditStatistics {
    /// 评价年度 (evaluation year)
    pub year: i32,
    /// 企业信用等级分布（当年无扣分的企业按基础分计A级）(enterprises per level; those with nothing
    /// applied this year count as A)
    pub by_level: Vec<CreditLevelCount>,
    /// 各月新增信用记录（按类型）(records decided per month and kind)
    pub records_by_month: Vec<CreditRecordMonthCount>,
    /// 黑名单现有企业数 (enterprises on the blacklist now)
    pub blacklist_size: u64,
}

impl From<crate::service::statistics::Statistics> for CreditStatistics {
    fn from(s: crate::service::statistics::Statistics) -> Self {
        CreditStatistics {
            year: s.year,
            by_level: s
                .by_level
                .into_iter()
                .map(|(level, count)| CreditLevelCount { level, count })
                .collect(),
            records_by_month: s
                .records_by_month
                .into_iter()
                .map(|(kind, month, count)| CreditRecordMonthCount { kind, month, count })
                .collect(),
            blacklist_size: s.blacklist_size,
        }
    }
}

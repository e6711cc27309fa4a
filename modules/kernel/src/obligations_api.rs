//! GraphQL of the obligation engine: definitions and compliance by period, subject and township.
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::calendar::{Period, PeriodKind};
use crate::error::AppError;
use crate::kernel;
use crate::obligations::{SubjectKind, compliance};
use crate::principal::{Authenticated, principal};
use crate::relay::{decode_any, encode_id};
use crate::scalars::Date;
use crate::scope::RowScope;

/// 常态化义务 — a recurring obligation.
#[derive(SimpleObject)]
pub struct ObligationInfo {
    /// 代码 (code)
    pub code: String,
    /// 名称 (name)
    pub name: String,
    /// 周期：DAY/WEEK/MONTH（按北京时间，周一为一周之始）(period kind, Asia/Shanghai, weeks from Monday)
    pub period: String,
    /// 每期要求次数 (required count per period)
    pub required: u32,
    /// 对象类型：Project/Account/OrgUnit (subject type)
    pub subject_type: String,
    /// 依据 (source)
    pub source: String,
    /// 法定节假日是否免除 (whether statutory holidays are exempt)
    pub exempt_holidays: bool,
}

/// 履行证据 — a record that counts towards an obligation.
#[derive(SimpleObject)]
pub struct ObligationEvidence {
    /// 记录的全局编号 (global ID of the record)
    pub record_id: ID,
    /// 发生时间 (when)
    pub occurred_at: DateTime<Utc>,
}

/// 对象履行情况 — one subject's standing in a period. The subjects of a period are those that owed the
/// duty during it (from the history of project statuses and account roles); a closed period reads
/// as it was judged when it closed.
#[derive(SimpleObject)]
pub struct SubjectStanding {
    /// 对象的全局编号 (subject global ID)
    pub subject_id: ID,
    /// 对象名称 (label)
    pub label: String,
    /// 完成次数 (count)
    pub count: u32,
    /// 要求次数 (required)
    pub required: u32,
    /// 是否完成 (met)
    pub met: bool,
    /// 本期内负有该义务的天数（在建、未停工、非免除的节假日）(days of the period on which the subject owed
    /// the duty: e.g. the project was active, not under a stop-work order, not an exempt holiday)
    pub owed_days: u32,
    /// 证据 (evidence)
    pub evidence: Vec<ObligationEvidence>,
}

/// 义务履行情况 — compliance with one obligation in one period.
#[derive(SimpleObject)]
pub struct ObligationCompliance {
    /// 义务代码 (code)
    pub code: String,
    /// 义务名称 (name)
    pub name: String,
    /// 期间，如 2026-11-18、2026-W47、2026-11 (period label)
    pub period: String,
    /// 期间开始（含）(start, inclusive)
    pub period_start: DateTime<Utc>,
    /// 期间结束（不含）(end, exclusive)
    pub period_end: DateTime<Utc>,
    /// 完成的对象数 (subjects that met it)
    pub met_count: u32,
    /// 未完成的对象数 (subjects that missed it)
    pub missed_count: u32,
    /// 各对象 (subjects, filtered as asked)
    pub subjects: Vec<SubjectStanding>,
}

fn kind_label(k: PeriodKind) -> &'static str {
    match k {
        PeriodKind::Day => "DAY",
        PeriodKind::Week => "WEEK",
        PeriodKind::Month => "MONTH",
    }
}

fn subject_type(s: SubjectKind) -> &'static str {
    match s {
        SubjectKind::Project => "Project",
        SubjectKind::Account => "Account",
        SubjectKind::OrgUnit => "OrgUnit",
    }
}

/// Obligation queries.
#[derive(Default)]
pub struct ObligationQuery;

#[Object]
impl ObligationQuery {
    /// 全部常态化义务 (every recurring obligation)
    #[graphql(guard = "Authenticated")]
    async fn obligations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ObligationInfo>> {
        Ok(kernel(ctx)?
            .obligations
            .iter()
            .map(|o| {
                let d = o.def();
                ObligationInfo {
                    code: d.code.into(),
                    name: d.name.into(),
                    period: kind_label(d.period).into(),
                    required: d.required,
                    subject_type: subject_type(d.subject).into(),
                    source: d.source.into(),
                    exempt_holidays: d.exempt_holidays,
                }
            })
            .collect())
    }

    /// 某义务在包含某日的期间内的履行情况（按可见范围）(compliance in the period containing `date`)
    #[graphql(guard = "Authenticated")]
    async fn obligation_compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "义务代码 (obligation code)")] code: String,
        #[graphql(desc = "期间内的任一日期（北京时间）(any date in the period, Asia/Shanghai)")]
        date: Date,
        #[graphql(desc = "乡镇（街道）(township)")] township_id: Option<ID>,
        #[graphql(desc = "只看某对象 (one subject)")] subject_id: Option<ID>,
        #[graphql(desc = "只列未完成的 (missed only)", default = false)] only_missed: bool,
    ) -> async_graphql::Result<ObligationCompliance> {
        let k = kernel(ctx)?;
        let o = k
            .obligations
            .iter()
            .find(|o| o.def().code == code)
            .ok_or_else(|| AppError::bad_input("code", "没有这项义务"))?;
        let def = o.def();
        let period = Period::containing(def.period, date.0);
        let township = township_id
            .as_ref()
            .map(|t| crate::relay::decode_id(t, "OrgUnit", "townshipId"))
            .transpose()?;
        let subject = subject_id
            .as_ref()
            .map(|s| {
                decode_any(s)
                    .map(|(_, id)| id)
                    .ok_or_else(|| AppError::bad_input("subjectId", "无效的对象编号"))
            })
            .transpose()?;
        let scope = RowScope::of(&principal(ctx));
        let standings = compliance(&k.db.conn, o.as_ref(), period, scope).await?;
        let standings: Vec<_> = standings
            .into_iter()
            .filter(|s| township.is_none() || s.subject.township_id == township)
            .filter(|s| subject.is_none() || Some(s.subject.id) == subject)
            .collect();
        let met_count =
            u32::try_from(standings.iter().filter(|s| s.met()).count()).unwrap_or(u32::MAX);
        let missed_count = u32::try_from(standings.len()).unwrap_or(u32::MAX) - met_count;
        Ok(ObligationCompliance {
            code: def.code.into(),
            name: def.name.into(),
            period: period.label(),
            period_start: period.start_utc(),
            period_end: period.end_utc(),
            met_count,
            missed_count,
            subjects: standings
                .into_iter()
                .filter(|s| !only_missed || !s.met())
                .map(|s| SubjectStanding {
                    met: s.met(),
                    owed_days: s.owed_days,
                    subject_id: encode_id(s.subject.type_name, s.subject.id),
                    label: s.subject.label,
                    count: s.count,
                    required: s.required,
                    evidence: s
                        .evidence
                        .into_iter()
                        .map(|e| ObligationEvidence {
                            record_id: encode_id(&e.record_type, e.record_id),
                            occurred_at: e.occurred_at,
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}

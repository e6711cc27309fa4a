//! The rules table: the version in force at a date, and publishing a new version.
use chrono::{DateTime, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enums::RuleTrigger;
use crate::entity::{credit_rule, credit_rule_version};
use crate::rules::publication::{BAD_MAX_MONTHS, BAD_MIN_MONTHS};

/// Largest deduction a rule may state (a year starts from 100 points).
pub const MAX_POINTS: i32 = 100;

/// The version in force at `at`: the one with the latest start not after `at`.
pub async fn version_at<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
) -> AppResult<Option<credit_rule_version::Model>> {
    Ok(credit_rule_version::Entity::find()
        .filter(credit_rule_version::Column::EffectiveFrom.lte(at))
        .order_by_desc(credit_rule_version::Column::EffectiveFrom)
        .order_by_desc(credit_rule_version::Column::Version)
        .one(db)
        .await?)
}

/// The rule for `trigger` in the version in force at `at`, with that version's number.
pub async fn rule_at<C: ConnectionTrait>(
    db: &C,
    trigger: RuleTrigger,
    at: DateTime<Utc>,
) -> AppResult<Option<(i32, credit_rule::Model)>> {
    let Some(version) = version_at(db, at).await? else {
        return Ok(None);
    };
    let rule = credit_rule::Entity::find()
        .filter(credit_rule::Column::VersionId.eq(version.id))
        .filter(credit_rule::Column::Trigger.eq(trigger))
        .one(db)
        .await?;
    Ok(rule.map(|r| (version.version, r)))
}

/// One row of a new version.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRule {
    pub code: String,
    pub trigger: RuleTrigger,
    pub points: Option<i32>,
    pub bad_record: bool,
    pub publication_months: i32,
    pub source: String,
    pub confirmed: bool,
}

/// 发布规则新版本 — a whole new version of the rules table, in force from `effective_from`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRuleVersion {
    pub effective_from: DateTime<Utc>,
    pub note: Option<String>,
    pub rules: Vec<NewRule>,
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// Publishes a new version. Refused: a start in the past (history is never re-evaluated), a
/// start not after the latest version's, a trigger missing or listed twice, a row without its
/// source, points outside 0–100, months outside 6–36. Audited.
pub async fn publish(
    k: &Kernel,
    who: &RequestInfo,
    input: NewRuleVersion,
) -> AppResult<credit_rule_version::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "publishCreditRules",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let note = optional_text("note", "说明", input.note.as_deref(), 2000)?.unwrap_or_default();
    let mut rows = Vec::with_capacity(input.rules.len());
    for t in <RuleTrigger as sea_orm::Iterable>::iter() {
        let n = input.rules.iter().filter(|r| r.trigger == t).count();
        if n != 1 {
            return Err(AppError::bad_input(
                "rules",
                "每种执法措施须有且仅有一条规则",
            ));
        }
    }
    for r in &input.rules {
        let code = required_text("rules.code", "规则代码", &r.code, 32)?;
        let source = required_text("rules.source", "规则出处", &r.source, 2000)?;
        if let Some(p) = r.points
            && !(0..=MAX_POINTS).contains(&p)
        {
            return Err(AppError::bad_input(
                "rules.points",
                format!("扣分应为0到{MAX_POINTS}分"),
            ));
        }
        let months = i64::from(r.publication_months);
        if !(i64::from(BAD_MIN_MONTHS)..=i64::from(BAD_MAX_MONTHS)).contains(&months) {
            return Err(AppError::bad_input(
                "rules.publicationMonths",
                "不良信用记录公开期限应为6到36个月（建市〔2017〕241号 第十条）",
            ));
        }
        rows.push((code, source, r));
    }
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return credit_rule_version::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("remembered rule version missing"));
    }
    let now = Utc::now();
    if input.effective_from <= now {
        return Err(AppError::bad_input(
            "effectiveFrom",
            "生效日期须晚于当前时间：已发生事项按当时有效的规则评价，不追溯",
        ));
    }
    let latest = credit_rule_version::Entity::find()
        .order_by_desc(credit_rule_version::Column::Version)
        .one(&*w)
        .await?;
    if let Some(l) = &latest
        && input.effective_from <= l.effective_from
    {
        return Err(AppError::conflict(format!(
            "生效日期须晚于第{}版的生效日期",
            l.version
        )));
    }
    let number = latest.map_or(1, |l| l.version + 1);
    let version = credit_rule_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        version: Set(number),
        effective_from: Set(input.effective_from),
        note: Set(note),
        published_by: Set(who.principal.account_id),
        published_at: Set(now),
    }
    .insert(&*w)
    .await?;
    for (code, source, r) in rows {
        credit_rule::ActiveModel {
            id: Set(Uuid::now_v7()),
            version_id: Set(version.id),
            code: Set(code),
            trigger: Set(r.trigger),
            points: Set(r.points),
            bad_record: Set(r.bad_record),
            publication_months: Set(r.publication_months),
            source: Set(source),
            confirmed: Set(r.confirmed),
        }
        .insert(&*w)
        .await?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("credit.rules.publish", "CreditRuleVersion", version.id).detail(
            serde_json::json!({
                "version": version.version,
                "effectiveFrom": version.effective_from,
                "rules": input.rules,
            }),
        ),
    )
    .await?;
    finish_create(w, key.as_ref(), version.id).await?;
    Ok(version)
}

//! Reads: a subject's profile (scores per year and why), its restrictions today, and the
//! disclosure rule for anonymous readers.
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use jianan_entity::enterprise;
use jianan_kernel::AppResult;
use jianan_kernel::calendar::local_midnight_utc;
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder};

use crate::entity::enums::{RecordKind, SubjectKind};
use crate::entity::{
    credit_blacklist, credit_bureau_record, credit_entry, credit_record, credit_score,
};
use crate::rules::bureau::{BureauInForce, BureauKind, merge_restrictions};
use crate::rules::restrictions::{BadRecordInForce, Listing, Restriction, restrictions};
use crate::service::evaluation::person_key;

/// A profile as the caller may see it.
#[derive(Debug, Clone)]
pub struct Profile {
    pub kind: SubjectKind,
    pub enterprise: Option<enterprise::Model>,
    pub uscc: String,
    pub person: Option<String>,
    /// Every evaluation year with entries, newest first.
    pub years: Vec<credit_score::Model>,
    /// The history of every year, oldest first.
    pub entries: Vec<credit_entry::Model>,
}

/// The profile of the enterprise `uscc` (or of `person` of it), when the caller may see the
/// enterprise; scores and entries through the caller's scope.
pub async fn profile<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    uscc: &str,
    person: Option<&str>,
) -> AppResult<Option<Profile>> {
    let code = jianan_registry::uscc::normalize(uscc);
    let ent = scoped::<enterprise::Entity>(p)
        .filter(enterprise::Column::Uscc.eq(code.clone()))
        .one(db)
        .await?;
    let Some(ent) = ent else { return Ok(None) };
    let (kind, key) = match person {
        Some(name) => (SubjectKind::Person, person_key(Some(&code), name)),
        None => (SubjectKind::Enterprise, code.clone()),
    };
    let years = scoped::<credit_score::Entity>(p)
        .filter(credit_score::Column::SubjectKind.eq(kind))
        .filter(credit_score::Column::SubjectKey.eq(key))
        .order_by_desc(credit_score::Column::Year)
        .all(db)
        .await?;
    let ids: Vec<_> = years.iter().map(|y| y.id).collect();
    let entries = if ids.is_empty() {
        Vec::new()
    } else {
        scoped::<credit_entry::Entity>(p)
            .filter(credit_entry::Column::ScoreId.is_in(ids))
            .order_by_asc(credit_entry::Column::OccurredAt)
            .order_by_asc(credit_entry::Column::Id)
            .all(db)
            .await?
    };
    Ok(Some(Profile {
        kind,
        enterprise: Some(ent),
        uscc: code,
        person: person.map(|s| s.trim().to_owned()),
        years,
        entries,
    }))
}

/// The restrictions on the enterprise `uscc` at `now`, from its bad records in force, its
/// blacklist listing and this year's level, read through the caller's scope. Only callers whose
/// scope reaches every enterprise's credit may ask (commission staff, the bureau's exchange):
/// anyone narrower would be told "no restriction" about an enterprise they cannot see. A code
/// that fails its check character is `BAD_USER_INPUT`; a valid code unknown to the district has
/// no record here and gets the answer for a clean record.
pub async fn restrictions_of<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    uscc: &str,
    now: DateTime<Utc>,
) -> AppResult<(String, Option<credit_score::Model>, Vec<Restriction>)> {
    let code = jianan_registry::uscc::normalize(uscc);
    jianan_registry::uscc::validate(&code)
        .map_err(|e| jianan_kernel::AppError::bad_input("uscc", e.message_zh()))?;
    let year = crate::service::evaluation::year_of(now);
    let score = scoped::<credit_score::Entity>(p)
        .filter(credit_score::Column::SubjectKind.eq(SubjectKind::Enterprise))
        .filter(credit_score::Column::SubjectKey.eq(code.clone()))
        .filter(credit_score::Column::Year.eq(year))
        .one(db)
        .await?;
    let bad = scoped::<credit_record::Entity>(p)
        .filter(credit_record::Column::SubjectKind.eq(SubjectKind::Enterprise))
        .filter(credit_record::Column::Uscc.eq(code.clone()))
        .filter(credit_record::Column::Kind.eq(RecordKind::Bad))
        .filter(in_force_condition(now))
        .order_by_asc(credit_record::Column::DecidedAt)
        .all(db)
        .await?;
    let bad: Vec<BadRecordInForce> = bad
        .iter()
        .map(|r| BadRecordInForce {
            id: r.id,
            public_until: r.public_until,
        })
        .collect();
    let listing = scoped::<credit_blacklist::Entity>(p)
        .filter(credit_blacklist::Column::Uscc.eq(code.clone()))
        .filter(credit_blacklist::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .map(|l| Listing {
            record_id: l.record_id,
            until: l.until,
        });
    let year_end = NaiveDate::from_ymd_opt(year + 1, 1, 1)
        .map(local_midnight_utc)
        .unwrap_or(now);
    let mut list = restrictions(&bad, listing, score.as_ref().map(|s| s.level), year_end);
    // The Market Supervision Bureau's records in force (its imports), through the same scope.
    let today = jianan_kernel::calendar::today();
    let bureau: Vec<BureauInForce> = scoped::<credit_bureau_record::Entity>(p)
        .filter(credit_bureau_record::Column::Uscc.eq(code.clone()))
        .filter(
            Condition::any()
                .add(credit_bureau_record::Column::InForceUntil.is_null())
                .add(credit_bureau_record::Column::InForceUntil.gte(today)),
        )
        .order_by_asc(credit_bureau_record::Column::DecidedOn)
        .order_by_asc(credit_bureau_record::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(BureauInForce {
                id: r.id,
                kind: BureauKind::parse(&r.kind)?,
                // In force through its last day (Beijing time).
                until: r
                    .in_force_until
                    .and_then(|d| d.succ_opt())
                    .map(local_midnight_utc),
            })
        })
        .collect();
    merge_restrictions(&mut list, &bureau, year_end);
    Ok((code, score, list))
}

/// Records still within their publication period and not ended early: the only ones used for
/// sanctions (建市〔2017〕241号 第十三条).
pub fn in_force_condition(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(credit_record::Column::EndedAt.is_null())
        .add(credit_record::Column::PublicUntil.gt(now))
}

/// What the public may read: records the rules make public, within their publication period,
/// not ended early. This is the disclosure rule, not a caller scope: anonymous readers have no
/// row scope, and read only through `publicCreditRecords`.
pub fn disclosure_condition(now: DateTime<Utc>) -> Condition {
    in_force_condition(now).add(credit_record::Column::IsPublic.eq(true))
}

/// The current evaluation year.
pub fn current_year(now: DateTime<Utc>) -> i32 {
    jianan_kernel::calendar::local_date(now).year()
}

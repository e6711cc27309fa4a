//! Joint punishment and the "three links" (三个挂钩：与经济效益、行政许可、企业信誉挂钩): which
//! restrictions (or incentives) apply to a subject today, from its records in force and its
//! level. A pure function; the sources are cited on each kind.
//!
//! Seed plan, measure 6: 在企业及其有关负责人评先评优、项目申报奖项、资格资质管理等方面实施联合惩戒;
//! 构建“三个挂钩”激励约束机制. 《建筑市场信用管理暂行办法》（建市〔2017〕241号）第十二条: 对信用好的
//! 可实行优先办理、简化程序等激励措施；对存在严重失信行为的作为“双随机、一公开”监管重点对象;
//! 第十三条: expired bad information is not used (the caller passes only records in force).
use async_graphql::Enum;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::enums::CreditLevel;

/// 限制（或激励）措施 — a restriction or incentive other agencies apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RestrictionKind {
    /// 限制评先评优、项目申报奖项（企业信誉挂钩）(no awards or honours, no project award applications)
    AwardsAndHonours,
    /// 资格资质管理中重点审查（行政许可挂钩）(qualification and licence matters reviewed closely)
    QualificationReview,
    /// 招标投标中予以限制（经济效益挂钩）(restricted in bidding)
    Bidding,
    /// 列为“双随机、一公开”重点监管对象 (priority target of double-random checks)
    PriorityRandomCheck,
    /// 守信激励：降低随机抽查频次 (incentive: reduced random-check frequency)
    ReducedRandomCheck,
}

/// A bad record in force, as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadRecordInForce {
    pub id: Uuid,
    pub public_until: DateTime<Utc>,
}

/// One restriction that applies, with its sources and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    pub kind: RestrictionKind,
    /// Records it rests on (empty when it rests on the level alone).
    pub source_records: Vec<Uuid>,
    /// The Market Supervision Bureau's records it rests on ([`crate::rules::bureau`]).
    pub bureau_records: Vec<Uuid>,
    /// When it ends (the latest end of its records, or the end of the evaluation year).
    pub until: DateTime<Utc>,
    /// Its citation.
    pub basis: &'static str,
}

const MEASURE_6: &str = "《住房城乡建设领域深化“十条措施”落实常态化安全管理工作方案》措施（六）：评先评优、项目申报奖项、资格资质管理等方面实施联合惩戒；“三个挂钩”";
const ART_12: &str = "《建筑市场信用管理暂行办法》建市〔2017〕241号 第十二条";
const BIDDING: &str = "“三个挂钩”之与经济效益挂钩（措施六）；D级限制投标的具体规则：district rule not at hand; to confirm with the commission";

/// A blacklist listing not yet removed, as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    /// The bad record the listing cites.
    pub record_id: Uuid,
    /// End of its management period.
    pub until: DateTime<Utc>,
}

const BLACKLIST: &str = "列入建筑市场主体“黑名单”：建市〔2017〕241号 第十四条、第十七条（作为重点监管对象并依法限制；条款号待核实）；限制范围：措施（六）联合惩戒";

/// The restrictions that apply given the bad records in force, a blacklist listing not yet
/// removed, and this year's level (`None`: no score this year, i.e. the base score, level A),
/// with `year_end` the end of the evaluation year.
///
/// - any bad record in force → no awards/honours and close qualification review, until the
///   latest record's end;
/// - any bad record in force, or level D → priority target of double-random checks;
/// - level D → restricted in bidding until the year's end;
/// - on the blacklist → all four restrictions, at least until its management period ends;
/// - level A, no bad record in force, not listed → reduced random-check frequency until the
///   year's end.
pub fn restrictions(
    bad: &[BadRecordInForce],
    listing: Option<Listing>,
    level: Option<CreditLevel>,
    year_end: DateTime<Utc>,
) -> Vec<Restriction> {
    let level = level.unwrap_or(CreditLevel::A);
    let ids: Vec<Uuid> = bad.iter().map(|r| r.id).collect();
    let latest = bad.iter().map(|r| r.public_until).max();
    let mut out: Vec<Restriction> = Vec::new();
    let mut add = |kind, sources: &[Uuid], until, basis| {
        if let Some(r) = out.iter_mut().find(|r| r.kind == kind) {
            for s in sources {
                if !r.source_records.contains(s) {
                    r.source_records.push(*s);
                }
            }
            r.until = r.until.max(until);
        } else {
            out.push(Restriction {
                kind,
                source_records: sources.to_vec(),
                bureau_records: Vec::new(),
                until,
                basis,
            });
        }
    };
    if let Some(until) = latest {
        add(RestrictionKind::AwardsAndHonours, &ids, until, MEASURE_6);
        add(RestrictionKind::QualificationReview, &ids, until, MEASURE_6);
    }
    if level == CreditLevel::D {
        add(RestrictionKind::Bidding, &ids, year_end, BIDDING);
    }
    match (latest, level) {
        (Some(l), CreditLevel::D) => add(
            RestrictionKind::PriorityRandomCheck,
            &ids,
            l.max(year_end),
            ART_12,
        ),
        (Some(l), _) => add(RestrictionKind::PriorityRandomCheck, &ids, l, ART_12),
        (None, CreditLevel::D) => add(RestrictionKind::PriorityRandomCheck, &ids, year_end, ART_12),
        (None, _) => {}
    }
    if let Some(l) = listing {
        for kind in [
            RestrictionKind::AwardsAndHonours,
            RestrictionKind::QualificationReview,
            RestrictionKind::Bidding,
            RestrictionKind::PriorityRandomCheck,
        ] {
            add(kind, &[l.record_id], l.until, BLACKLIST);
        }
    }
    if out.is_empty() && level == CreditLevel::A {
        out.push(Restriction {
            kind: RestrictionKind::ReducedRandomCheck,
            source_records: Vec::new(),
            bureau_records: Vec::new(),
            until: year_end,
            basis: ART_12,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }
    fn kinds(r: &[Restriction]) -> Vec<RestrictionKind> {
        r.iter().map(|r| r.kind).collect()
    }

    #[test]
    fn good_credit_earns_fewer_random_checks() {
        let end = at(2026, 12, 31);
        let r = restrictions(&[], None, None, end);
        assert_eq!(kinds(&r), vec![RestrictionKind::ReducedRandomCheck]);
        assert_eq!(r[0].until, end);
        // B or C with nothing in force: neither restricted nor rewarded.
        assert!(restrictions(&[], None, Some(CreditLevel::B), end).is_empty());
        assert!(restrictions(&[], None, Some(CreditLevel::C), end).is_empty());
    }

    #[test]
    fn a_bad_record_in_force_restricts_until_its_latest_end() {
        let end = at(2026, 12, 31);
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let bad = [
            BadRecordInForce {
                id: a,
                public_until: at(2027, 6, 3),
            },
            BadRecordInForce {
                id: b,
                public_until: at(2027, 9, 1),
            },
        ];
        let r = restrictions(&bad, None, Some(CreditLevel::B), end);
        assert_eq!(
            kinds(&r),
            vec![
                RestrictionKind::AwardsAndHonours,
                RestrictionKind::QualificationReview,
                RestrictionKind::PriorityRandomCheck
            ]
        );
        assert!(r.iter().all(|x| x.until == at(2027, 9, 1)));
        assert!(r.iter().all(|x| x.source_records == vec![a, b]));
    }

    #[test]
    fn level_d_restricts_bidding_for_the_year() {
        let end = at(2026, 12, 31);
        let r = restrictions(&[], None, Some(CreditLevel::D), end);
        assert_eq!(
            kinds(&r),
            vec![
                RestrictionKind::Bidding,
                RestrictionKind::PriorityRandomCheck
            ]
        );
        assert!(r.iter().all(|x| x.until == end));
    }

    #[test]
    fn a_listing_brings_every_restriction_until_its_period_ends() {
        let end = at(2026, 12, 31);
        let rec = Uuid::from_u128(9);
        let bad = [BadRecordInForce {
            id: rec,
            public_until: at(2027, 6, 3),
        }];
        let listing = Listing {
            record_id: rec,
            until: at(2027, 12, 3),
        };
        let r = restrictions(&bad, Some(listing), Some(CreditLevel::B), end);
        assert_eq!(
            kinds(&r),
            vec![
                RestrictionKind::AwardsAndHonours,
                RestrictionKind::QualificationReview,
                RestrictionKind::PriorityRandomCheck,
                RestrictionKind::Bidding,
            ]
        );
        // Merged: one source record, the later end.
        assert!(r.iter().all(|x| x.source_records == vec![rec]));
        assert!(r.iter().all(|x| x.until == at(2027, 12, 3)));
    }
}

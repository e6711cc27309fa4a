//! The Market Supervision Bureau's records, as its bulk import brings them (measure 6:
//! 与市场监管部门信息互通、联合惩戒): which kinds there are, the columns of the import file, how
//! long each kind stays in force when the file gives no end, and which restrictions each imposes.
//! Pure functions, each with its source.
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

use crate::rules::restrictions::{Restriction, RestrictionKind};

/// 市场监管局记录类别 — the three lists the bureau exchanges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BureauKind {
    /// 行政处罚 (an administrative penalty decided by the bureau)
    AdministrativePenalty,
    /// 经营异常名录 (listed as operating abnormally)
    AbnormalOperation,
    /// 严重违法失信名单 (listed as seriously illegal and dishonest)
    SeriousDishonesty,
}

impl BureauKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BureauKind::AdministrativePenalty => "ADMINISTRATIVE_PENALTY",
            BureauKind::AbnormalOperation => "ABNORMAL_OPERATION",
            BureauKind::SeriousDishonesty => "SERIOUS_DISHONESTY",
        }
    }

    /// From the stored spelling.
    pub fn parse(s: &str) -> Option<BureauKind> {
        [
            BureauKind::AdministrativePenalty,
            BureauKind::AbnormalOperation,
            BureauKind::SeriousDishonesty,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// From the label in the bureau's file (its own words, with the short forms people type).
    pub fn from_label(label: &str) -> Option<BureauKind> {
        match label.trim() {
            "行政处罚" | "行政处罚信息" => Some(BureauKind::AdministrativePenalty),
            "经营异常名录" | "经营异常" | "列入经营异常名录" => {
                Some(BureauKind::AbnormalOperation)
            }
            "严重违法失信名单" | "严重违法失信企业名单" | "严重违法失信" => {
                Some(BureauKind::SeriousDishonesty)
            }
            _ => None,
        }
    }

    /// How long a record stays in force when the file gives no end date: the public-disclosure
    /// period of a penalty, and the period after which a listing may be lifted at the earliest.
    /// `None`: in force until the bureau reports its removal.
    ///
    /// - Penalty: three years — 《市场监督管理行政处罚信息公示规定》（国家市场监督管理总局令第45号，
    ///   2021）第十四条, to verify against the published text.
    /// - Abnormal operation: until removed — 《企业经营异常名录管理暂行办法》（国家工商行政管理总局令
    ///   第68号）第十一条至第十三条 (removal on the enterprise's correction).
    /// - Serious dishonesty: three years — 《市场监督管理严重违法失信名单管理办法》（国家市场监督管理
    ///   总局令第44号，2021）第十七条 (removal on application after three years), to verify.
    pub fn default_years_in_force(self) -> Option<i32> {
        match self {
            BureauKind::AdministrativePenalty | BureauKind::SeriousDishonesty => Some(3),
            BureauKind::AbnormalOperation => None,
        }
    }

    /// The label in the bureau's words.
    pub fn label(self) -> &'static str {
        match self {
            BureauKind::AdministrativePenalty => "行政处罚",
            BureauKind::AbnormalOperation => "经营异常名录",
            BureauKind::SeriousDishonesty => "严重违法失信名单",
        }
    }
}

/// The import file's columns (its header row, in the bureau's words), and whether each is
/// required.
pub const COLUMNS: [(&str, bool); 9] = [
    (COL_USCC, true),
    (COL_NAME, true),
    (COL_KIND, true),
    (COL_DOCUMENT, true),
    (COL_DECIDED, true),
    (COL_REASON, true),
    (COL_CONTENT, false),
    (COL_UNTIL, false),
    (COL_AUTHORITY, false),
];
pub const COL_USCC: &str = "统一社会信用代码";
pub const COL_NAME: &str = "企业名称";
pub const COL_KIND: &str = "记录类别";
pub const COL_DOCUMENT: &str = "决定文书号";
pub const COL_DECIDED: &str = "决定日期";
pub const COL_REASON: &str = "事由";
pub const COL_CONTENT: &str = "处罚内容";
pub const COL_UNTIL: &str = "截止日期";
pub const COL_AUTHORITY: &str = "决定机关";

/// A date as people write it in a spreadsheet: `2026-03-09`, `2026/3/9`, `2026.3.9`,
/// `2026年3月9日` or `20260309`; optionally followed by a time, which is ignored.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let day = s.split([' ', 'T']).next().unwrap_or(s);
    if day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(day, "%Y%m%d").ok();
    }
    let cleaned: String = day
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '年' | '月' | '/' | '.' => '-',
            c => c,
        })
        .collect();
    let mut parts = cleaned.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The last day a record is in force: the file's end date when it gives one, else the decision
/// date plus the kind's default period (the same day `years` later; 29 February → 28 February).
pub fn in_force_until(
    kind: BureauKind,
    decided: NaiveDate,
    until: Option<NaiveDate>,
) -> Option<NaiveDate> {
    until.or_else(|| {
        let years = kind.default_years_in_force()?;
        let y = decided.year() + years;
        NaiveDate::from_ymd_opt(y, decided.month(), decided.day())
            .or_else(|| NaiveDate::from_ymd_opt(y, decided.month(), 28))
    })
}

/// One of the bureau's records in force, as the restriction rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BureauInForce {
    pub id: Uuid,
    pub kind: BureauKind,
    /// End of its force (`None`: until the bureau reports its removal).
    pub until: Option<DateTime<Utc>>,
}

const JOINT: &str = "《关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）；《市场监督管理严重违法失信名单管理办法》（总局令第44号）；措施（六）联合惩戒";
const PENALTY: &str = "措施（六）：评先评优、项目申报奖项中实施联合惩戒；市场监管行政处罚公示期内的适用范围：district rule not at hand; to confirm with the commission";
const ABNORMAL: &str = "《企业经营异常名录管理暂行办法》（工商总局令第68号）；列入经营异常名录的企业作为“双随机、一公开”重点监管对象（建市〔2017〕241号 第十二条）";

/// What the bureau's records in force add to an enterprise's restrictions, merged into `out`
/// (the commission's own restrictions), with `open_until` the end given to a record in force
/// until removed (the end of the evaluation year, when it is looked at again):
///
/// - a serious-dishonesty listing → joint punishment: no awards or honours, close qualification
///   review, restricted bidding, priority target of random checks;
/// - an administrative penalty → no awards or honours while it is public;
/// - an abnormal-operation listing → priority target of random checks.
///
/// Any of them takes away the reduced-random-check incentive of good credit.
pub fn merge_restrictions(
    out: &mut Vec<Restriction>,
    records: &[BureauInForce],
    open_until: DateTime<Utc>,
) {
    for r in records {
        let until = r.until.unwrap_or(open_until);
        let (kinds, basis): (&[RestrictionKind], &'static str) = match r.kind {
            BureauKind::SeriousDishonesty => (
                &[
                    RestrictionKind::AwardsAndHonours,
                    RestrictionKind::QualificationReview,
                    RestrictionKind::Bidding,
                    RestrictionKind::PriorityRandomCheck,
                ],
                JOINT,
            ),
            BureauKind::AdministrativePenalty => (&[RestrictionKind::AwardsAndHonours], PENALTY),
            BureauKind::AbnormalOperation => (&[RestrictionKind::PriorityRandomCheck], ABNORMAL),
        };
        for kind in kinds {
            match out.iter_mut().find(|x| x.kind == *kind) {
                Some(x) => {
                    if !x.bureau_records.contains(&r.id) {
                        x.bureau_records.push(r.id);
                    }
                    x.until = x.until.max(until);
                }
                None => out.push(Restriction {
                    kind: *kind,
                    source_records: Vec::new(),
                    bureau_records: vec![r.id],
                    until,
                    basis,
                }),
            }
        }
    }
    if !records.is_empty() {
        out.retain(|x| x.kind != RestrictionKind::ReducedRandomCheck);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_serious_dishonesty_listing_brings_joint_punishment_and_ends_the_incentive() {
        let year_end = at(2027, 1, 1);
        let mut out = crate::rules::restrictions::restrictions(&[], None, None, year_end);
        assert_eq!(out[0].kind, RestrictionKind::ReducedRandomCheck);
        let (s, p) = (Uuid::from_u128(1), Uuid::from_u128(2));
        merge_restrictions(
            &mut out,
            &[
                BureauInForce {
                    id: s,
                    kind: BureauKind::SeriousDishonesty,
                    until: Some(at(2029, 6, 1)),
                },
                BureauInForce {
                    id: p,
                    kind: BureauKind::AdministrativePenalty,
                    until: Some(at(2029, 3, 9)),
                },
            ],
            year_end,
        );
        let kinds: Vec<RestrictionKind> = out.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RestrictionKind::AwardsAndHonours,
                RestrictionKind::QualificationReview,
                RestrictionKind::Bidding,
                RestrictionKind::PriorityRandomCheck
            ]
        );
        // Awards rest on both records, until the later end.
        assert_eq!(out[0].bureau_records, [s, p]);
        assert_eq!(out[0].until, at(2029, 6, 1));
        assert_eq!(out[2].bureau_records, [s]);
    }

    #[test]
    fn an_abnormal_listing_makes_a_priority_target_until_the_year_is_looked_at_again() {
        let year_end = at(2027, 1, 1);
        let mut out = Vec::new();
        let a = Uuid::from_u128(3);
        merge_restrictions(
            &mut out,
            &[BureauInForce {
                id: a,
                kind: BureauKind::AbnormalOperation,
                until: None,
            }],
            year_end,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, RestrictionKind::PriorityRandomCheck);
        assert_eq!(out[0].until, year_end);
        assert!(out[0].source_records.is_empty());
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn labels_people_type_map_to_the_three_kinds() {
        assert_eq!(
            BureauKind::from_label(" 行政处罚 "),
            Some(BureauKind::AdministrativePenalty)
        );
        assert_eq!(
            BureauKind::from_label("经营异常"),
            Some(BureauKind::AbnormalOperation)
        );
        assert_eq!(
            BureauKind::from_label("严重违法失信企业名单"),
            Some(BureauKind::SeriousDishonesty)
        );
        assert_eq!(BureauKind::from_label("黑名单"), None);
        for k in [
            BureauKind::AdministrativePenalty,
            BureauKind::AbnormalOperation,
            BureauKind::SeriousDishonesty,
        ] {
            assert_eq!(BureauKind::parse(k.as_str()), Some(k));
            assert_eq!(BureauKind::from_label(k.label()), Some(k));
        }
    }

    #[test]
    fn dates_in_the_forms_spreadsheets_hold() {
        for s in [
            "2026-03-09",
            "2026/3/9",
            "2026.3.9",
            "2026年3月9日",
            "20260309",
            "2026-03-09 00:00:00",
        ] {
            assert_eq!(parse_date(s), Some(d(2026, 3, 9)), "{s}");
        }
        for s in [
            "",
            "2026-13-01",
            "2026-02-30",
            "26-3-9",
            "三月九日",
            "2026-3",
            "2026-3-9-1",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn in_force_until_the_files_end_or_the_kinds_period() {
        let decided = d(2026, 3, 9);
        assert_eq!(
            in_force_until(BureauKind::AdministrativePenalty, decided, None),
            Some(d(2029, 3, 9))
        );
        assert_eq!(
            in_force_until(BureauKind::SeriousDishonesty, decided, Some(d(2027, 1, 1))),
            Some(d(2027, 1, 1))
        );
        // Listed as abnormal: in force until the bureau reports the removal.
        assert_eq!(
            in_force_until(BureauKind::AbnormalOperation, decided, None),
            None
        );
        // A leap day three years on is the 28th.
        assert_eq!(
            in_force_until(BureauKind::AdministrativePenalty, d(2028, 2, 29), None),
            Some(d(2031, 2, 28))
        );
    }
}

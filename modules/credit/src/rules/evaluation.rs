//! The safety-credit evaluation: the base score of a year, the level a score maps to, and the
//! baseline rules table (version 1), seeded by the module's first migration. Later versions are
//! published by the commission (`publishCreditRules`) and kept in `credit_rule_version` /
//! `credit_rule`; an event is evaluated with the version in force at the event's date.
use crate::entity::enums::{CreditLevel, RuleTrigger};

/// 基础分 — every subject starts an evaluation year from 100 points.
///
/// Source: the platform's convention, shared with inspections (`MAX_POINTS`: "a safety-credit
/// year starts from 100 points"); the district's own scoring rule is not at hand — to confirm
/// with the commission.
pub const BASE_SCORE: i32 = 100;

/// 信用等级 — the level a year's score maps to: A ≥ 90, B 80–89, C 60–79, D < 60.
///
/// Source: district rule not at hand; to confirm with the commission. The thresholds are the
/// platform's proposal (four bands, as the national 《建筑市场信用信息分级标准（征求意见稿）》
/// 2020 grades bad information A/B/C by severity — a different scale, not used here). A score
/// below 0 is treated as 0.
pub fn level_of(score: i32) -> CreditLevel {
    match score {
        90.. => CreditLevel::A,
        80..=89 => CreditLevel::B,
        60..=79 => CreditLevel::C,
        _ => CreditLevel::D,
    }
}

/// A year's score from its base and its entries' signed points, never below 0.
pub fn score_of(base: i32, entries: impl IntoIterator<Item = i32>) -> i32 {
    entries
        .into_iter()
        .fold(base, |s, p| s.saturating_add(p))
        .max(0)
}

/// One row of the baseline rules table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaselineRule {
    pub code: &'static str,
    pub trigger: RuleTrigger,
    /// Points deducted; `None`: the points the enforcement decision states.
    pub points: Option<i32>,
    /// Whether a bad record is published.
    pub bad_record: bool,
    /// Publication period in months (see [`crate::rules::publication`]).
    pub publication_months: i32,
    pub source: &'static str,
    /// Whether the source was checked against its published text.
    pub confirmed: bool,
}

/// Not-at-hand note used by every row whose points are the district's to set.
const DISTRICT: &str =
    "district rule not at hand; to confirm with the commission（区级扣分标准原文未取得，待委核实）";

/// Version 1 of the rules table, in force from [`BASELINE_EFFECTIVE_FROM`].
///
/// Bad credit information is "受到行政处罚或行政处理" (《建筑市场信用管理暂行办法》建市〔2017〕241号
/// 第八条), hence a bad record for a penalty, a stop-work order, a circular and a public exposure;
/// a warning interview (约谈) is neither and leaves no record. The publication period of 6 months
/// is the minimum of 第十条 (6 months to 3 years, decided by the deciding authority).
pub const BASELINE: &[BaselineRule] = &[
    BaselineRule {
        code: "ENF-DEDUCTION",
        trigger: RuleTrigger::CreditDeduction,
        points: None,
        bad_record: true,
        publication_months: 6,
        source: "诚信扣分：分值以执法决定载明的为准（inspections 限1–100分）；扣分标准：district rule not at hand; to confirm with the commission；公开期限：建市〔2017〕241号 第十条",
        confirmed: false,
    },
    BaselineRule {
        code: "ENF-PENALTY",
        trigger: RuleTrigger::Penalty,
        points: Some(0),
        bad_record: true,
        publication_months: 6,
        source: "行政处罚列为不良信用信息：《建筑市场信用管理暂行办法》建市〔2017〕241号 第八条、第十条；《全国建筑市场各方主体不良行为记录认定标准》建市〔2007〕9号；是否另行扣分：district rule not at hand; to confirm with the commission",
        confirmed: true,
    },
    BaselineRule {
        code: "ENF-STOP-WORK",
        trigger: RuleTrigger::StopWorkOrder,
        points: Some(0),
        bad_record: true,
        publication_months: 6,
        source: "责令停工整改属行政处理，列为不良信用信息：建市〔2017〕241号 第八条、第十条；是否另行扣分：district rule not at hand; to confirm with the commission",
        confirmed: true,
    },
    BaselineRule {
        code: "ENF-CIRCULAR",
        trigger: RuleTrigger::Circular,
        points: Some(0),
        bad_record: true,
        publication_months: 6,
        source: "通报批评属行政处理，列为不良信用信息：建市〔2017〕241号 第八条、第十条；是否另行扣分：district rule not at hand; to confirm with the commission",
        confirmed: true,
    },
    BaselineRule {
        code: "ENF-EXPOSURE",
        trigger: RuleTrigger::PublicExposure,
        points: Some(0),
        bad_record: true,
        publication_months: 6,
        source: "公开曝光：按行政处理列为不良信用信息（建市〔2017〕241号 第八条、第十条）；曝光是否构成行政处理：district rule not at hand; to confirm with the commission",
        confirmed: false,
    },
    BaselineRule {
        code: "ENF-INTERVIEW",
        trigger: RuleTrigger::WarningInterview,
        points: Some(0),
        bad_record: false,
        publication_months: 6,
        source: "约谈警示不属行政处罚或行政处理，不记不良信用信息（建市〔2017〕241号 第八条）；是否扣分：district rule not at hand; to confirm with the commission",
        confirmed: false,
    },
    BaselineRule {
        code: "ENF-RESUME",
        trigger: RuleTrigger::ResumeWorkOrder,
        points: Some(0),
        bad_record: false,
        publication_months: 6,
        source: "复工通知解除停工，不影响信用（平台约定）",
        confirmed: true,
    },
];

/// Start of version 1: 2018-01-01 00:00 Beijing time, when 建市〔2017〕241号 took effect.
pub const BASELINE_EFFECTIVE_FROM: &str = "2017-12-31T16:00:00Z";

/// Shown with `DISTRICT` rows in docs and tests.
pub fn district_note() -> &'static str {
    DISTRICT
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn levels_follow_the_worked_thresholds() {
        // Worked by hand: the band edges and one value inside each band.
        assert_eq!(level_of(100), CreditLevel::A);
        assert_eq!(level_of(90), CreditLevel::A);
        assert_eq!(level_of(89), CreditLevel::B);
        assert_eq!(level_of(80), CreditLevel::B);
        assert_eq!(level_of(79), CreditLevel::C);
        assert_eq!(level_of(60), CreditLevel::C);
        assert_eq!(level_of(59), CreditLevel::D);
        assert_eq!(level_of(0), CreditLevel::D);
        assert_eq!(level_of(-5), CreditLevel::D);
        assert_eq!(level_of(130), CreditLevel::A);
    }

    #[test]
    fn a_score_is_the_base_plus_its_entries_never_below_zero() {
        // 100 − 3 − 5 + 2 = 94.
        assert_eq!(score_of(100, [-3, -5, 2]), 94);
        assert_eq!(score_of(100, []), 100);
        // 100 − 60 − 60 = −20 → 0.
        assert_eq!(score_of(100, [-60, -60]), 0);
    }

    #[test]
    fn the_baseline_has_one_cited_row_per_enforcement_kind() {
        for t in RuleTrigger::iter() {
            let rows: Vec<_> = BASELINE.iter().filter(|r| r.trigger == t).collect();
            assert_eq!(rows.len(), 1, "{t:?}");
        }
        for r in BASELINE {
            assert!(!r.source.trim().is_empty(), "{} cites nothing", r.code);
            assert!((6..=36).contains(&r.publication_months));
            // An unconfirmed row says so in its source.
            if !r.confirmed {
                assert!(r.source.contains("to confirm"), "{}", r.code);
            }
        }
        assert!(district_note().contains("to confirm with the commission"));
    }
}

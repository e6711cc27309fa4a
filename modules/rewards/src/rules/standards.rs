//! 举报奖励标准 — how much a substantiated report earns, in integer fen, as a const table (one
//! row per report category) and a pure function of the category and the verdict.
//!
//! National basis: 《安全生产领域举报奖励办法》（国家安全监管总局、财政部，安监总财〔2018〕19号）.
//! For 重大事故隐患 and 安全生产违法行为 it sets the reward at 15% of the administrative penalty
//! actually imposed, at least 3,000 yuan and at most 300,000 yuan; for 瞒报、谎报事故 it pays per
//! concealed death by the final grade of the accident (30,000 / 40,000 / 50,000 / 60,000 yuan for
//! a general / larger / major / especially major accident), at most 300,000 yuan; and when several
//! people report the same matter only the first valid reporter is rewarded (article numbers: to
//! confirm against the published text — cited here as 第十一条 for hazards and violations and
//! 第十二条 for concealed accidents).
//!
//! The platform does not know the penalty or the number of deaths when a reward is proposed, so
//! the district pays a flat standard amount per category — the national *minimum* where the
//! national rule applies, a local figure for general hazards (which the national rule does not
//! cover) — and the handler may propose a different amount, with a reason, up to the row's
//! maximum. **Every figure below is a conservative placeholder: to confirm with the commission**
//! (the district's own reward rules were not at hand).
//!
//! A partly true report (部分属实) earns half the standard amount, rounded down to the fen; a
//! false report earns nothing. The rule code and basis text returned are stored with each reward,
//! so a later change of this table does not rewrite past rewards: a new table gets a new
//! [`TABLE_VERSION`] and new codes.
use crate::entity::enums::{ReportCategory, Verdict};

/// Version of the table; part of every rule code.
pub const TABLE_VERSION: &str = "RS2026";

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standard {
    pub category: ReportCategory,
    /// Short code of the row (the rule code is `RS2026-<code>-<FULL|PART>`).
    pub code: &'static str,
    /// 属实 — the full standard amount (fen).
    pub full_fen: i64,
    /// The most a handler may propose for this category (fen).
    pub max_fen: i64,
    /// The citation stored with each reward.
    pub basis: &'static str,
}

/// One yuan in fen.
const YUAN: i64 = 100;

/// The table. Figures: to confirm with the commission.
pub const STANDARDS: [Standard; 4] = [
    // 重大事故隐患: 3,000 yuan, the national minimum (15% of the penalty, not known when the reward
    // is proposed); up to the national maximum of 300,000 yuan. To confirm with the commission.
    Standard {
        category: ReportCategory::MajorHazard,
        code: "MH",
        full_fen: 3_000 * YUAN,
        max_fen: 300_000 * YUAN,
        basis: "《安全生产领域举报奖励办法》（安监总财〔2018〕19号）第十一条：举报重大事故隐患，查证属实的，按行政处罚金额的15%计发，最低3000元，最高不超过30万元；区定标准按最低额3000元计发（待委里确认）",
    },
    // 安全生产违法行为: the same national rule and figures as major hazards. To confirm with the
    // commission.
    Standard {
        category: ReportCategory::Violation,
        code: "VI",
        full_fen: 3_000 * YUAN,
        max_fen: 300_000 * YUAN,
        basis: "《安全生产领域举报奖励办法》（安监总财〔2018〕19号）第十一条：举报安全生产违法行为，查证属实的，按行政处罚金额的15%计发，最低3000元，最高不超过30万元；区定标准按最低额3000元计发（待委里确认）",
    },
    // 一般事故隐患: outside the national rule (which covers major hazards and violations); a local
    // incentive of 500 yuan, which is also its maximum, as several local rules pay for a general
    // hazard ordered rectified in writing. To confirm with the commission.
    Standard {
        category: ReportCategory::GeneralHazard,
        code: "GH",
        full_fen: 500 * YUAN,
        max_fen: 500 * YUAN,
        basis: "区定标准（待委里确认）：举报一般事故隐患经核查属实并书面责令限期整改的，奖励500元，最高500元；《安全生产领域举报奖励办法》（安监总财〔2018〕19号）仅对重大事故隐患和违法行为规定奖励标准",
    },
    // 瞒报、谎报事故: 30,000 yuan, one concealed death in a general accident (the lowest tier);
    // up to 300,000 yuan. To confirm with the commission.
    Standard {
        category: ReportCategory::ConcealedAccident,
        code: "CA",
        full_fen: 30_000 * YUAN,
        max_fen: 300_000 * YUAN,
        basis: "《安全生产领域举报奖励办法》（安监总财〔2018〕19号）第十二条：举报瞒报、谎报事故的，按最终确认的事故等级和查实的瞒报谎报死亡人数计发（一般事故每人3万元，较大4万元，重大5万元，特别重大6万元），最高不超过30万元；区定标准按一般事故1人3万元计发（待委里确认）",
    },
];

/// The row of a category.
pub fn standard(category: ReportCategory) -> &'static Standard {
    // The table has one row per category (checked by a test); GENERAL_HAZARD is the fallback
    // only to keep this total.
    STANDARDS
        .iter()
        .find(|s| s.category == category)
        .unwrap_or(&STANDARDS[2])
}

/// The computed reward: the amount and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub amount_fen: i64,
    /// E.g. `RS2026-GH-FULL`, `RS2026-GH-PART`.
    pub rule_code: String,
    pub basis: String,
    /// The most a handler may propose instead.
    pub max_fen: i64,
}

/// The reward for a report of `category` found `verdict`: the full amount for `TRUE`, half
/// (rounded down to the fen) for `PARTLY_TRUE`, none for `FALSE`.
pub fn award(category: ReportCategory, verdict: Verdict) -> Option<Award> {
    let s = standard(category);
    let (amount_fen, part, note) = match verdict {
        Verdict::True => (s.full_fen, "FULL", "核查属实，全额"),
        Verdict::PartlyTrue => (
            s.full_fen / 2,
            "PART",
            "部分属实，按标准的50%计发（待委里确认）",
        ),
        Verdict::False => return None,
    };
    Some(Award {
        amount_fen,
        rule_code: format!("{TABLE_VERSION}-{}-{part}", s.code),
        basis: format!("{}；{note}", s.basis),
        max_fen: s.max_fen,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn a_general_hazard_earns_500_yuan_half_when_partly_true_and_nothing_when_false() {
        let full = award(ReportCategory::GeneralHazard, Verdict::True).unwrap();
        assert_eq!(full.amount_fen, 50_000);
        assert_eq!(full.rule_code, "RS2026-GH-FULL");
        assert_eq!(full.max_fen, 50_000);
        let part = award(ReportCategory::GeneralHazard, Verdict::PartlyTrue).unwrap();
        assert_eq!(part.amount_fen, 25_000);
        assert_eq!(part.rule_code, "RS2026-GH-PART");
        assert!(part.basis.contains("50%"));
        assert_eq!(award(ReportCategory::GeneralHazard, Verdict::False), None);
    }

    #[test]
    fn the_national_categories_pay_the_national_minimum_up_to_300000_yuan() {
        // 3,000 yuan = 300,000 fen; 300,000 yuan = 30,000,000 fen.
        for c in [ReportCategory::MajorHazard, ReportCategory::Violation] {
            let a = award(c, Verdict::True).unwrap();
            assert_eq!(a.amount_fen, 300_000, "{c:?}");
            assert_eq!(a.max_fen, 30_000_000, "{c:?}");
            assert!(a.basis.contains("安监总财〔2018〕19号"));
            assert_eq!(award(c, Verdict::PartlyTrue).unwrap().amount_fen, 150_000);
        }
        let a = award(ReportCategory::ConcealedAccident, Verdict::True).unwrap();
        assert_eq!(a.amount_fen, 3_000_000);
        assert_eq!(a.rule_code, "RS2026-CA-FULL");
        assert_eq!(
            award(ReportCategory::ConcealedAccident, Verdict::PartlyTrue)
                .unwrap()
                .amount_fen,
            1_500_000
        );
        assert_eq!(award(ReportCategory::MajorHazard, Verdict::False), None);
    }

    #[test]
    fn the_table_has_one_sound_row_per_category() {
        for c in ReportCategory::iter() {
            let rows: Vec<_> = STANDARDS.iter().filter(|s| s.category == c).collect();
            assert_eq!(rows.len(), 1, "{c:?}");
            let s = rows[0];
            assert!(0 < s.full_fen && s.full_fen <= s.max_fen, "{c:?}");
            assert!(s.basis.contains("待委里确认"), "{c:?}");
            assert_eq!(standard(c), s);
        }
        let codes: std::collections::HashSet<_> = STANDARDS.iter().map(|s| s.code).collect();
        assert_eq!(codes.len(), STANDARDS.len());
    }
}

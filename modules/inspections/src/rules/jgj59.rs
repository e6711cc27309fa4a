//! The site safety checklist of JGJ 59-2011《建筑施工安全检查标准》(Standard for construction
//! safety inspection) as data, and its scoring as a pure function.
//!
//! JGJ 59-2011 is an industry standard of the Ministry of Housing and Urban-Rural Development
//! (announcement No. 1204 of 2011-12-07), in force since 2012-07-01; §4.0.1 and §5.0.3 are its
//! mandatory clauses (强制性条文). It replaced JGJ 59-99. (These facts checked against a copy of
//! the announcement; see `docs/legal-sources.md`.)
//!
//! # What the standard says, and where
//!
//! - Chapter 3 lists the items to check for each kind of work (§3.1 安全管理 … §3.17 施工机具);
//!   each sub-sheet splits its items into guaranteed items (保证项目, 60 points) and general items
//!   (一般项目, 40 points), except the 高处作业 (§3.13) and 施工机具 (§3.17) sheets, which have
//!   no guaranteed items at all.
//! - Appendix B holds the nineteen sub-sheets (分项检查评分表, 表B.1–表B.19); appendix A holds
//!   the summary sheet (检查评分汇总表, 表A) with the ten summary items and their weights.
//! - §4.0.1 (mandatory): every guaranteed item must be checked (保证项目应全数检查).
//! - §4.0.3 gives the scoring rules; the sub-item numbers below are those of the published
//!   text as remembered (to verify):
//!   (1) every sheet and the summary sheet are out of 100; a sheet's score is the sum of its
//!   items' scores; (2) scores are given by deducting, and an item's deductions never exceed its
//!   points (应得分); (3) a sub-sheet scores nothing when one guaranteed item scores nothing or
//!   the guaranteed subtotal is under 40 (保证项目中有一项未得分或保证项目小计得分不足40分);
//!   (4) a summary item's score is `A1 = B × C / 100` (B the item's weight, C the sub-sheet
//!   score); (5) with items not applicable (缺项) a sheet's or the summary's score is
//!   `A2 = D / E × 100` (D the points earned on the items checked, E the full points of the items
//!   checked); (6) the scaffold, hoist and crane summary items take the arithmetic mean of
//!   their sub-sheets.
//! - §5.0.1/§5.0.2 rate the inspection: 优良 (good) — no sub-sheet scores zero and the summary
//!   total is 80 or more; 合格 (pass) — no sub-sheet scores zero and the total is under 80 but
//!   70 or more; 不合格 (fail) — the total is under 70 (汇总表得分值不足70分), or a sub-sheet
//!   scores zero (有一分项检查评分表得零分). §5.0.3 (mandatory): a failing site must be
//!   rectified within a time limit until it passes.
//!
//! # Units and rounding
//!
//! Deductions and item points are whole points, as in the standard. Every computed score is an
//! integer number of hundredths of a point ("centipoints", `8_000` = 80.00 points); there is no
//! floating point anywhere. The standard itself prescribes no rounding (to verify: none was
//! found in §4.0.3, appendix A or appendix B), so this module fixes one rule and keeps to it:
//!
//! 1. A sub-sheet's score is `D × 100 / E` rounded **half up** to 0.01 point. This is the figure
//!    written on the sub-sheet, and everything after it starts from that figure.
//! 2. The summary total is then computed **exactly** from those sheet scores (the means of
//!    §4.0.3(6), the weights of §4.0.3(4) and the rescaling of §4.0.3(5), all as one fraction)
//!    and rounded half up to 0.01 point once, at the end.
//! 3. The rating compares that rounded total with 80.00 and 70.00.
//! 4. The per-line figures of the summary ([`SummaryLine::score_centi`],
//!    [`SummaryLine::contribution_centi`]) are each rounded half up for display only; they are
//!    not fed into the total, so the displayed contributions may differ from the total by a few
//!    hundredths. (Rounding every line first would let a site with only the 安全管理 sheet score
//!    88.90 when its only sheet scores 88.89.)
//!
//! Round half up of a non-negative fraction `n / d` is `(2n + d) / (2d)` in integer division.
//!
//! # Answers not given
//!
//! - A sheet of the template that the inspection does not answer is treated as not applicable
//!   (缺项): the site has no such work (no tower crane, no cantilever scaffold …). A sheet whose
//!   items are all not applicable is not applicable too.
//! - An item of an answered sheet that has no [`ItemAnswer`] is taken as checked with nothing
//!   deducted, like a blank 扣减分数 cell on the paper form. §4.0.1 requires every guaranteed item
//!   to be checked, so a guaranteed item left out is refused by [`require_guaranteed_answered`],
//!   which the inspection service applies before [`score`].
//!
//! # Interpretation to verify: guaranteed items not applicable
//!
//! §4.0.3(3) compares the guaranteed subtotal with 40 of 60 points; it does not say what to do
//! when a guaranteed item itself is not applicable (e.g. 外电防护 on a site without overhead
//! lines, 多塔作业 with one tower crane). This module rescales as §4.0.3(5) does: the guaranteed
//! subtotal is `earned × 60 / applicable` and the sheet scores zero when that is under 40 (an exact
//! integer comparison, `earned × 60 < 40 × applicable`). With every guaranteed item applicable
//! this is exactly "deductions on guaranteed items over 20".
//!
//! # Item data: verification status
//!
//! Sheet names, item names and points are transcribed from memory of appendix B and partly
//! checked against third-party copies of the 2011 sheets; the `criteria` strings are short
//! summaries of the 扣分标准 column, not quotations. Seen in copies of the 2011 sheets (not in
//! the published standard itself): the names of the guaranteed items of 安全管理, 文明施工,
//! 扣件式钢管脚手架, 基坑工程, 模板支架 and 施工用电; the ten 10-point items of 高处作业 without
//! guaranteed items; the guaranteed items and points of 高处作业吊篮 and 物料提升机; five items of
//! 施工机具. The ten summary items and weights were checked against a third-party copy of 表A (安全管理 10,
//! 文明施工 15, …, 施工机具 5). Everything else
//! carries "to verify" on its sheet in the doc comment of [`jgj59_2011`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// Code of the JGJ 59-2011 template.
pub const TEMPLATE_CODE: &str = "JGJ59-2011";
/// Version of the template data produced by [`jgj59_2011`]. Bump it whenever an item, a point
/// value or a weight changes, so stored inspections keep pointing at the data they were scored
/// with.
pub const TEMPLATE_VERSION: u32 = 1;
/// Full points of every sheet and of the summary sheet (§4.0.3(1)).
pub const SHEET_FULL_POINTS: u32 = 100;
/// Points of the guaranteed items of a sheet that has them (appendix B: 小计 60).
pub const GUARANTEED_FULL_POINTS: u32 = 60;
/// The guaranteed subtotal under which a sheet scores nothing (§4.0.3(3): 不足40分).
pub const GUARANTEED_MIN_POINTS: u32 = 40;
/// Sum of the summary weights (表A: 满分100分).
pub const SUMMARY_FULL_WEIGHT: u32 = 100;
/// Lowest total rated 优良 (§5.0.2: 80分及以上), in centipoints.
pub const GOOD_MIN_CENTI: u32 = 8_000;
/// Lowest total rated 合格 (§5.0.2: 70分及以上), in centipoints.
pub const PASS_MIN_CENTI: u32 = 7_000;

/// Centipoints per point.
const CENTI_PER_POINT: u128 = 100;

// ---------------------------------------------------------------------------------------------
// Template data
// ---------------------------------------------------------------------------------------------

/// A versioned checklist: the summary sheet's items with their weights, and the sub-sheets.
///
/// Plain data, serialisable to JSON so it can be stored and loaded back; check a loaded template
/// with [`Template::validate`] ([`score`] does so itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Code of the standard, `"JGJ59-2011"`.
    pub code: String,
    /// Version of this data (not of the standard).
    pub version: u32,
    /// Title of the standard.
    pub name: String,
    /// The summary sheet's items (汇总表分项) in the order of 表A; weights sum to 100.
    pub summary_items: Vec<SummaryItem>,
    /// The sub-sheets (分项检查评分表) in the order of appendix B.
    pub sheets: Vec<Sheet>,
}

/// One item of the summary sheet (表A) and its weight (满分分值).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryItem {
    /// Stable code, e.g. `"scaffolding"`.
    pub code: String,
    /// Chinese name, e.g. `"脚手架"`.
    pub name: String,
    /// Weight in the summary sheet, in points.
    pub weight: u32,
}

/// A sub-sheet (分项检查评分表).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// Stable code, e.g. `"safety_management"`.
    pub code: String,
    /// Table number in appendix B, e.g. `"B.1"`.
    pub table: String,
    /// Chinese name, e.g. `"安全管理检查评分表"`.
    pub name: String,
    /// Code of the [`SummaryItem`] this sheet feeds.
    pub summary_item: String,
    /// Items in the order of the sheet (序号).
    pub items: Vec<Item>,
}

/// A checked item (检查项目) of a sub-sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The item's number on its sheet (序号), `"1"`, `"2"`, …
    pub code: String,
    /// Chinese name, e.g. `"安全生产责任制"`.
    pub name: String,
    /// A guaranteed item (保证项目); otherwise a general item (一般项目).
    pub guaranteed: bool,
    /// Full points of the item (应得分数).
    pub points: u32,
    /// Short summary of the deduction criteria (扣分标准); not a quotation.
    pub criteria: String,
}

impl Template {
    /// The sheet with this code.
    pub fn sheet(&self, code: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.code == code)
    }

    /// The summary item with this code.
    pub fn summary_item(&self, code: &str) -> Option<&SummaryItem> {
        self.summary_items.iter().find(|s| s.code == code)
    }

    /// Checks the invariants [`score`] relies on: unique codes; summary weights positive and
    /// summing to 100; every sheet feeding a known summary item, its items worth at least one
    /// point each and 100 in all, and its guaranteed items worth 60 (or 0 for a sheet without
    /// guaranteed items, like 高处作业 and 施工机具).
    pub fn validate(&self) -> Result<(), TemplateError> {
        let mut summary_codes = BTreeSet::new();
        let mut weights = 0u32;
        for s in &self.summary_items {
            if !summary_codes.insert(s.code.as_str()) {
                return Err(TemplateError::DuplicateSummaryItem {
                    item: s.code.clone(),
                });
            }
            if s.weight == 0 {
                return Err(TemplateError::ZeroWeight {
                    item: s.code.clone(),
                });
            }
            weights = weights.saturating_add(s.weight);
        }
        if weights != SUMMARY_FULL_WEIGHT {
            return Err(TemplateError::WeightsNot100 { total: weights });
        }
        let mut sheet_codes = BTreeSet::new();
        for sheet in &self.sheets {
            if !sheet_codes.insert(sheet.code.as_str()) {
                return Err(TemplateError::DuplicateSheet {
                    sheet: sheet.code.clone(),
                });
            }
            if !summary_codes.contains(sheet.summary_item.as_str()) {
                return Err(TemplateError::UnknownSummaryItem {
                    sheet: sheet.code.clone(),
                    summary_item: sheet.summary_item.clone(),
                });
            }
            let mut item_codes = BTreeSet::new();
            for item in &sheet.items {
                if !item_codes.insert(item.code.as_str()) {
                    return Err(TemplateError::DuplicateItem {
                        sheet: sheet.code.clone(),
                        item: item.code.clone(),
                    });
                }
                if item.points == 0 {
                    return Err(TemplateError::ZeroPointItem {
                        sheet: sheet.code.clone(),
                        item: item.code.clone(),
                    });
                }
            }
            let total = sheet.total_points();
            if total != SHEET_FULL_POINTS {
                return Err(TemplateError::SheetPointsNot100 {
                    sheet: sheet.code.clone(),
                    total,
                });
            }
            let guaranteed = sheet.guaranteed_points();
            if guaranteed != GUARANTEED_FULL_POINTS && guaranteed != 0 {
                return Err(TemplateError::GuaranteedPointsNot60 {
                    sheet: sheet.code.clone(),
                    total: guaranteed,
                });
            }
        }
        Ok(())
    }
}

impl Sheet {
    /// The item with this code.
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }

    /// Sum of all items' points (100 in a valid template).
    pub fn total_points(&self) -> u32 {
        self.items
            .iter()
            .fold(0u32, |sum, i| sum.saturating_add(i.points))
    }

    /// Sum of the guaranteed items' points (60, or 0 on a sheet without guaranteed items).
    pub fn guaranteed_points(&self) -> u32 {
        self.items
            .iter()
            .filter(|i| i.guaranteed)
            .fold(0u32, |sum, i| sum.saturating_add(i.points))
    }
}

/// Why a template (typically one loaded from storage) cannot be used for scoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    DuplicateSummaryItem { item: String },
    ZeroWeight { item: String },
    WeightsNot100 { total: u32 },
    DuplicateSheet { sheet: String },
    UnknownSummaryItem { sheet: String, summary_item: String },
    DuplicateItem { sheet: String, item: String },
    ZeroPointItem { sheet: String, item: String },
    SheetPointsNot100 { sheet: String, total: u32 },
    GuaranteedPointsNot60 { sheet: String, total: u32 },
}

impl TemplateError {
    /// Message for users, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::DuplicateSummaryItem { item } => format!("检查表模板中汇总项目“{item}”重复"),
            Self::ZeroWeight { item } => format!("检查表模板中汇总项目“{item}”的分值为零"),
            Self::WeightsNot100 { total } => {
                format!("检查表模板的汇总表各项分值合计为{total}分，应为100分")
            }
            Self::DuplicateSheet { sheet } => format!("检查表模板中分项检查评分表“{sheet}”重复"),
            Self::UnknownSummaryItem {
                sheet,
                summary_item,
            } => format!("分项检查评分表“{sheet}”对应的汇总项目“{summary_item}”不存在"),
            Self::DuplicateItem { sheet, item } => {
                format!("分项检查评分表“{sheet}”中检查项目“{item}”重复")
            }
            Self::ZeroPointItem { sheet, item } => {
                format!("分项检查评分表“{sheet}”中检查项目“{item}”的应得分为零")
            }
            Self::SheetPointsNot100 { sheet, total } => {
                format!("分项检查评分表“{sheet}”各检查项目应得分合计为{total}分，应为100分")
            }
            Self::GuaranteedPointsNot60 { sheet, total } => {
                format!("分项检查评分表“{sheet}”保证项目小计为{total}分，应为60分（或无保证项目）")
            }
        }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateSummaryItem { item } => write!(f, "duplicate summary item `{item}`"),
            Self::ZeroWeight { item } => write!(f, "summary item `{item}` has weight 0"),
            Self::WeightsNot100 { total } => write!(f, "summary weights sum to {total}, not 100"),
            Self::DuplicateSheet { sheet } => write!(f, "duplicate sheet `{sheet}`"),
            Self::UnknownSummaryItem {
                sheet,
                summary_item,
            } => write!(
                f,
                "sheet `{sheet}` feeds unknown summary item `{summary_item}`"
            ),
            Self::DuplicateItem { sheet, item } => {
                write!(f, "duplicate item `{item}` in sheet `{sheet}`")
            }
            Self::ZeroPointItem { sheet, item } => {
                write!(f, "item `{item}` of sheet `{sheet}` is worth 0 points")
            }
            Self::SheetPointsNot100 { sheet, total } => {
                write!(f, "items of sheet `{sheet}` sum to {total} points, not 100")
            }
            Self::GuaranteedPointsNot60 { sheet, total } => write!(
                f,
                "guaranteed items of sheet `{sheet}` sum to {total} points, not 60 (or 0)"
            ),
        }
    }
}

impl std::error::Error for TemplateError {}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/// What the inspection found on one sub-sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetAnswer {
    /// Code of the [`Sheet`].
    pub sheet: String,
    /// The whole sheet does not apply to this site (缺项). Its items may only carry notes.
    #[serde(default)]
    pub not_applicable: bool,
    /// Item answers; items left out are checked with nothing deducted.
    #[serde(default)]
    pub items: Vec<ItemAnswer>,
}

/// What the inspection found on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAnswer {
    /// Code of the [`Item`] on its sheet.
    pub item: String,
    /// Points deducted (扣减分数), whole points as the standard deducts. More than the item's
    /// points is clamped to them (§4.0.3(2)) and reported in [`SheetScore::clamped`].
    #[serde(default)]
    pub deduction: u32,
    /// The item does not apply to this site (缺项); it is rescaled out (§4.0.3(5)).
    #[serde(default)]
    pub not_applicable: bool,
    /// The inspector's note (检查记录).
    #[serde(default)]
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/// The result of scoring an inspection against a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    /// [`Template::code`] of the template used.
    pub template_code: String,
    /// [`Template::version`] of the template used.
    pub template_version: u32,
    /// Summary total (汇总表得分), centipoints, 0..=10_000; see the module doc for rounding.
    pub total_centi: u32,
    /// Rating (§5.0.2).
    pub rating: Rating,
    /// Every sheet of the template, in template order, including those not applicable.
    pub sheets: Vec<SheetScore>,
    /// Every summary item of the template, in template order.
    pub summary: Vec<SummaryLine>,
}

/// The score of one sub-sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetScore {
    /// Code of the sheet.
    pub sheet: String,
    /// Code of the summary item it feeds.
    pub summary_item: String,
    /// The sheet was not answered, answered as not applicable, or has no applicable item.
    pub not_applicable: bool,
    /// Sheet score (实得分), centipoints on the 100-point scale, rescaled over the applicable
    /// items (§4.0.3(5)), rounded half up; 0 when zeroed.
    pub score_centi: u32,
    /// Why an applicable sheet scores zero; `Some` exactly when an applicable sheet scores 0.
    pub zeroed_reason: Option<ZeroReason>,
    /// Points earned on the applicable items (D of §4.0.3(5)), before any zeroing.
    pub earned_points: u32,
    /// Full points of the applicable items (E of §4.0.3(5)).
    pub applicable_points: u32,
    /// Guaranteed subtotal (保证项目小计) on the 60-point scale, centipoints, rounded half up;
    /// rescaled when some guaranteed items are not applicable. 0 on sheets without guaranteed
    /// items.
    pub guaranteed_centi: u32,
    /// Points earned on the applicable guaranteed items.
    pub guaranteed_earned_points: u32,
    /// Full points of the applicable guaranteed items.
    pub guaranteed_applicable_points: u32,
    /// Deductions larger than their item's points, and what was applied instead.
    pub clamped: Vec<ClampedDeduction>,
}

/// A deduction that exceeded its item's points and was clamped (§4.0.3(2)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClampedDeduction {
    /// Code of the item.
    pub item: String,
    /// Deduction given in the answer.
    pub requested: u32,
    /// Deduction applied: the item's points.
    pub applied: u32,
}

/// Why an applicable sub-sheet scores zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ZeroReason {
    /// A guaranteed item scored nothing (§4.0.3(3): 保证项目中有一项未得分). The first such item
    /// in sheet order.
    GuaranteedItemScoredZero { item: String },
    /// The guaranteed subtotal is under 40 of 60 points (§4.0.3(3): 保证项目小计得分不足40分).
    GuaranteedSubtotalUnder40,
    /// Every applicable item was fully deducted on a sheet without guaranteed items
    /// (高处作业, 施工机具); the sheet scores zero, which fails the inspection (§5.0.2).
    NoPointsEarned,
}

impl ZeroReason {
    /// Explanation for users, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::GuaranteedItemScoredZero { item } => {
                format!("保证项目（序号{item}）未得分，该分项检查评分表不得分")
            }
            Self::GuaranteedSubtotalUnder40 => {
                "保证项目小计得分不足40分，该分项检查评分表不得分".to_owned()
            }
            Self::NoPointsEarned => "各检查项目均未得分，该分项检查评分表得零分".to_owned(),
        }
    }
}

/// One line of the summary sheet (表A).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLine {
    /// Code of the summary item.
    pub item: String,
    /// Chinese name of the summary item.
    pub name: String,
    /// Weight (B of §4.0.3(4)).
    pub weight: u32,
    /// At least one of its sheets is applicable; otherwise the line is rescaled out of the
    /// total (§4.0.3(5)).
    pub applicable: bool,
    /// Codes of the applicable sheets averaged into this line (§4.0.3(6)).
    pub sheets: Vec<String>,
    /// Mean of those sheets' scores (C of §4.0.3(4)), centipoints, rounded half up for display.
    pub score_centi: u32,
    /// `weight × score / 100` (A1 of §4.0.3(4)), centipoints, rounded half up for display.
    pub contribution_centi: u32,
}

/// Rating of an inspection (§5.0.1, §5.0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 优良: no sub-sheet scores zero and the total is 80 or more.
    Good,
    /// 合格: no sub-sheet scores zero and 70 ≤ total < 80.
    Pass,
    /// 不合格: the total is under 70, or a sub-sheet scores zero. §5.0.3 (mandatory): the site
    /// must be rectified within a time limit until it passes.
    Fail,
}

impl Rating {
    /// A failed site must be rectified (§5.0.3, mandatory: 不合格的施工现场必须限期整改达到合格 —
    /// wording as remembered, to verify), so a failed inspection cannot conclude that no problem
    /// was found.
    pub fn requires_rectification(self) -> bool {
        self == Self::Fail
    }

    /// The standard's Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Good => "优良",
            Self::Pass => "合格",
            Self::Fail => "不合格",
        }
    }
}

/// Why an inspection cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreError {
    /// The template breaks an invariant ([`Template::validate`]).
    InvalidTemplate(TemplateError),
    /// An answer names a sheet the template does not have.
    UnknownSheet { sheet: String },
    /// Two answers name the same sheet.
    DuplicateSheet { sheet: String },
    /// An item answer names an item the sheet does not have.
    UnknownItem { sheet: String, item: String },
    /// Two item answers name the same item of a sheet.
    DuplicateItem { sheet: String, item: String },
    /// An item marked not applicable carries a deduction.
    DeductionOnNotApplicableItem {
        sheet: String,
        item: String,
        deduction: u32,
    },
    /// A sheet marked not applicable carries a deduction on one of its items.
    DeductionOnNotApplicableSheet { sheet: String, item: String },
    /// No sheet of the template applies: there is nothing to rate.
    NothingApplicable,
    /// A guaranteed item of an applicable sheet has no answer (§4.0.1: 保证项目应全数检查).
    UnansweredGuaranteedItem { sheet: String, item: String },
    /// A sheet that applies to every site ([`ALWAYS_APPLY`]) is missing or marked not applicable.
    AlwaysApplicableSheetMissing { sheet: String },
}

impl ScoreError {
    /// Message for users, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::InvalidTemplate(e) => format!("检查表模板有误：{}", e.message_zh()),
            Self::UnknownSheet { sheet } => format!("检查表中没有分项检查评分表“{sheet}”"),
            Self::DuplicateSheet { sheet } => {
                format!("分项检查评分表“{sheet}”重复填报")
            }
            Self::UnknownItem { sheet, item } => {
                format!("分项检查评分表“{sheet}”中没有检查项目“{item}”")
            }
            Self::DuplicateItem { sheet, item } => {
                format!("分项检查评分表“{sheet}”中检查项目“{item}”重复填报")
            }
            Self::DeductionOnNotApplicableItem {
                sheet,
                item,
                deduction,
            } => {
                format!("分项检查评分表“{sheet}”中检查项目“{item}”已标为缺项，不能扣{deduction}分")
            }
            Self::DeductionOnNotApplicableSheet { sheet, item } => {
                format!("分项检查评分表“{sheet}”已标为缺项，其检查项目“{item}”不能扣分")
            }
            Self::NothingApplicable => "本次检查没有适用的分项检查评分表，无法评分".to_owned(),
            Self::UnansweredGuaranteedItem { sheet, item } => format!(
                "分项检查评分表“{sheet}”的保证项目“{item}”未填报：保证项目应全数检查（JGJ 59-2011 第4.0.1条），未检查不等于满分"
            ),
            Self::AlwaysApplicableSheetMissing { sheet } => {
                format!("分项检查评分表“{sheet}”适用于每个工地，评分检查必须填报，不能缺项")
            }
        }
    }
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidTemplate(e) => write!(f, "invalid template: {e}"),
            Self::UnknownSheet { sheet } => write!(f, "unknown sheet `{sheet}`"),
            Self::DuplicateSheet { sheet } => write!(f, "sheet `{sheet}` answered twice"),
            Self::UnknownItem { sheet, item } => {
                write!(f, "unknown item `{item}` in sheet `{sheet}`")
            }
            Self::DuplicateItem { sheet, item } => {
                write!(f, "item `{item}` of sheet `{sheet}` answered twice")
            }
            Self::DeductionOnNotApplicableItem {
                sheet,
                item,
                deduction,
            } => write!(
                f,
                "item `{item}` of sheet `{sheet}` is not applicable but deducts {deduction}"
            ),
            Self::DeductionOnNotApplicableSheet { sheet, item } => write!(
                f,
                "sheet `{sheet}` is not applicable but item `{item}` deducts points"
            ),
            Self::NothingApplicable => write!(f, "no applicable sheet to score"),
            Self::UnansweredGuaranteedItem { sheet, item } => {
                write!(
                    f,
                    "guaranteed item `{item}` of sheet `{sheet}` is not answered"
                )
            }
            Self::AlwaysApplicableSheetMissing { sheet } => {
                write!(
                    f,
                    "sheet `{sheet}` applies to every site and is not answered"
                )
            }
        }
    }
}

impl std::error::Error for ScoreError {}

impl From<TemplateError> for ScoreError {
    fn from(e: TemplateError) -> Self {
        Self::InvalidTemplate(e)
    }
}

/// Formats centipoints as points with two decimals: `7990` → `"79.90"`.
pub fn format_centi(centi: u32) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// The sheets that apply to every site, so a scored inspection always answers them: 安全管理
/// (表B.1) — every site has its safety management (responsibility system, schemes, briefings,
/// inspections, training, emergency plans). The standard does not list such sheets; this is the
/// platform's reading, agreed to be the minimum. 文明施工 (表B.2: enclosure, site, materials,
/// fire) arguably applies to every site as well — to confirm with the commission before adding it.
pub const ALWAYS_APPLY: [&str; 1] = ["safety_management"];

/// §4.0.1 (mandatory, 保证项目应全数检查): every guaranteed item of a sheet the inspection
/// answers as applicable must itself be answered — a deduction (0 included) or not applicable —
/// so that an item nobody checked is never taken as full marks. The sheets that apply to every
/// site ([`ALWAYS_APPLY`]) must be answered, as applicable; other sheets not answered, or answered
/// as not applicable, are 缺项 and need nothing.
pub fn require_guaranteed_answered(
    template: &Template,
    answers: &[SheetAnswer],
) -> Result<(), ScoreError> {
    for code in ALWAYS_APPLY {
        let answered = answers.iter().any(|a| a.sheet == code && !a.not_applicable);
        if !answered && template.sheet(code).is_some() {
            return Err(ScoreError::AlwaysApplicableSheetMissing {
                sheet: code.to_owned(),
            });
        }
    }
    for answer in answers.iter().filter(|a| !a.not_applicable) {
        let Some(sheet) = template.sheet(&answer.sheet) else {
            return Err(ScoreError::UnknownSheet {
                sheet: answer.sheet.clone(),
            });
        };
        if let Some(missing) = sheet
            .items
            .iter()
            .filter(|i| i.guaranteed)
            .find(|i| !answer.items.iter().any(|a| a.item == i.code))
        {
            return Err(ScoreError::UnansweredGuaranteedItem {
                sheet: sheet.code.clone(),
                item: missing.code.clone(),
            });
        }
    }
    Ok(())
}

/// Scores an inspection.
///
/// Rules, in order (JGJ 59-2011; see the module doc for the text and the rounding rule):
/// 1. The template is validated ([`Template::validate`]); the answers are checked: unknown or
///    duplicate sheet and item codes, and deductions on anything marked not applicable, are
///    errors. Sheets not answered are not applicable.
/// 2. Per item: a deduction over the item's points is clamped to them and reported (§4.0.3(2)).
/// 3. Per sheet: `score = earned / applicable points × 100` over the applicable items
///    (§4.0.3(1), (5)); zero when a guaranteed item scores nothing or the guaranteed subtotal,
///    rescaled to 60, is under 40 (§4.0.3(3)).
/// 4. Per summary item: the mean of its applicable sheets (§4.0.3(6)), weighted
///    `weight × mean / 100` (§4.0.3(4)).
/// 5. Total: the weighted sum over the applicable summary items, rescaled by
///    `100 / Σ applicable weights` (§4.0.3(5)).
/// 6. Rating (§5.0.2): fail when any applicable sheet scores zero or the total is under 70.00;
///    good at 80.00 or more; pass otherwise.
pub fn score(template: &Template, answers: &[SheetAnswer]) -> Result<Scorecard, ScoreError> {
    template.validate()?;
    let answered = index_answers(template, answers)?;

    let sheets: Vec<SheetScore> = template
        .sheets
        .iter()
        .map(|sheet| score_sheet(sheet, answered.get(sheet.code.as_str())))
        .collect();

    // Σ w_k · S_k / n_k over applicable summary items k, where S_k is the sum of the k-th item's
    // sheet scores and n_k their number, kept exact as numerator / (lcm of all n_k).
    let mut lines = Vec::with_capacity(template.summary_items.len());
    let mut parts: Vec<(u128, u128, u128)> = Vec::new(); // (weight, S_k, n_k)
    for item in &template.summary_items {
        let fed: Vec<&SheetScore> = sheets
            .iter()
            .filter(|s| s.summary_item == item.code && !s.not_applicable)
            .collect();
        let n = u128::try_from(fed.len()).unwrap_or(u128::MAX);
        let sum: u128 = fed.iter().map(|s| u128::from(s.score_centi)).sum();
        let weight = u128::from(item.weight);
        let applicable = n > 0;
        if applicable {
            parts.push((weight, sum, n));
        }
        lines.push(SummaryLine {
            item: item.code.clone(),
            name: item.name.clone(),
            weight: item.weight,
            applicable,
            sheets: fed.iter().map(|s| s.sheet.clone()).collect(),
            score_centi: to_u32(round_half_up(sum, n)),
            contribution_centi: to_u32(round_half_up(weight * sum, CENTI_PER_POINT * n)),
        });
    }
    if parts.is_empty() {
        return Err(ScoreError::NothingApplicable);
    }

    let common = parts.iter().fold(1u128, |l, &(_, _, n)| lcm(l, n));
    let applicable_weight: u128 = parts.iter().map(|&(w, _, _)| w).sum();
    let numerator: u128 = parts
        .iter()
        .map(|&(w, sum, n)| w * sum * (common / n))
        .sum();
    let total_centi = to_u32(round_half_up(numerator, applicable_weight * common));

    let any_zero = sheets.iter().any(|s| s.zeroed_reason.is_some());
    let rating = if any_zero || total_centi < PASS_MIN_CENTI {
        Rating::Fail
    } else if total_centi >= GOOD_MIN_CENTI {
        Rating::Good
    } else {
        Rating::Pass
    };

    Ok(Scorecard {
        template_code: template.code.clone(),
        template_version: template.version,
        total_centi,
        rating,
        sheets,
        summary: lines,
    })
}

/// A sheet's answer with its item answers indexed by item code.
struct IndexedAnswer<'a> {
    not_applicable: bool,
    items: BTreeMap<&'a str, &'a ItemAnswer>,
}

/// Checks the answers against the template and indexes them by sheet code.
fn index_answers<'a>(
    template: &Template,
    answers: &'a [SheetAnswer],
) -> Result<BTreeMap<&'a str, IndexedAnswer<'a>>, ScoreError> {
    let mut out = BTreeMap::new();
    for answer in answers {
        let sheet = template
            .sheet(&answer.sheet)
            .ok_or_else(|| ScoreError::UnknownSheet {
                sheet: answer.sheet.clone(),
            })?;
        if out.contains_key(answer.sheet.as_str()) {
            return Err(ScoreError::DuplicateSheet {
                sheet: answer.sheet.clone(),
            });
        }
        let mut items = BTreeMap::new();
        for item in &answer.items {
            if sheet.item(&item.item).is_none() {
                return Err(ScoreError::UnknownItem {
                    sheet: answer.sheet.clone(),
                    item: item.item.clone(),
                });
            }
            if items.insert(item.item.as_str(), item).is_some() {
                return Err(ScoreError::DuplicateItem {
                    sheet: answer.sheet.clone(),
                    item: item.item.clone(),
                });
            }
            if item.deduction > 0 && answer.not_applicable {
                return Err(ScoreError::DeductionOnNotApplicableSheet {
                    sheet: answer.sheet.clone(),
                    item: item.item.clone(),
                });
            }
            if item.deduction > 0 && item.not_applicable {
                return Err(ScoreError::DeductionOnNotApplicableItem {
                    sheet: answer.sheet.clone(),
                    item: item.item.clone(),
                    deduction: item.deduction,
                });
            }
        }
        out.insert(
            answer.sheet.as_str(),
            IndexedAnswer {
                not_applicable: answer.not_applicable,
                items,
            },
        );
    }
    Ok(out)
}

/// Scores one sheet whose answer (if any) has been checked by [`index_answers`].
fn score_sheet(sheet: &Sheet, answer: Option<&IndexedAnswer<'_>>) -> SheetScore {
    let mut result = SheetScore {
        sheet: sheet.code.clone(),
        summary_item: sheet.summary_item.clone(),
        not_applicable: true,
        score_centi: 0,
        zeroed_reason: None,
        earned_points: 0,
        applicable_points: 0,
        guaranteed_centi: 0,
        guaranteed_earned_points: 0,
        guaranteed_applicable_points: 0,
        clamped: Vec::new(),
    };
    let Some(answer) = answer.filter(|a| !a.not_applicable) else {
        return result;
    };

    let mut first_zero_guaranteed: Option<&str> = None;
    for item in &sheet.items {
        let given = answer.items.get(item.code.as_str());
        if given.is_some_and(|a| a.not_applicable) {
            continue;
        }
        let requested = given.map_or(0, |a| a.deduction);
        let applied = requested.min(item.points);
        if requested > applied {
            result.clamped.push(ClampedDeduction {
                item: item.code.clone(),
                requested,
                applied,
            });
        }
        let earned = item.points - applied;
        result.applicable_points += item.points;
        result.earned_points += earned;
        if item.guaranteed {
            result.guaranteed_applicable_points += item.points;
            result.guaranteed_earned_points += earned;
            if earned == 0 && first_zero_guaranteed.is_none() {
                first_zero_guaranteed = Some(item.code.as_str());
            }
        }
    }
    if result.applicable_points == 0 {
        return result;
    }
    result.not_applicable = false;

    let g_earned = u128::from(result.guaranteed_earned_points);
    let g_applicable = u128::from(result.guaranteed_applicable_points);
    let g_full = u128::from(sheet.guaranteed_points());
    if g_applicable > 0 {
        result.guaranteed_centi = to_u32(round_half_up(
            g_earned * g_full * CENTI_PER_POINT,
            g_applicable,
        ));
    }
    // Guaranteed subtotal rescaled to the sheet's 60 guaranteed points, compared with 40:
    // g_earned × 60 / g_applicable < 40  ⇔  g_earned × 60 < 40 × g_applicable.
    let under_40 =
        g_applicable > 0 && g_earned * g_full < u128::from(GUARANTEED_MIN_POINTS) * g_applicable;

    result.zeroed_reason = if let Some(item) = first_zero_guaranteed {
        Some(ZeroReason::GuaranteedItemScoredZero {
            item: item.to_owned(),
        })
    } else if under_40 {
        Some(ZeroReason::GuaranteedSubtotalUnder40)
    } else if result.earned_points == 0 {
        Some(ZeroReason::NoPointsEarned)
    } else {
        None
    };
    if result.zeroed_reason.is_none() {
        result.score_centi = to_u32(round_half_up(
            u128::from(result.earned_points) * u128::from(SHEET_FULL_POINTS) * CENTI_PER_POINT,
            u128::from(result.applicable_points),
        ));
    }
    result
}

/// `n / d` rounded half up (both non-negative); 0 when `d` is 0.
fn round_half_up(n: u128, d: u128) -> u128 {
    if d == 0 { 0 } else { (2 * n + d) / (2 * d) }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn lcm(a: u128, b: u128) -> u128 {
    if a == 0 || b == 0 {
        0
    } else {
        a / gcd(a, b) * b
    }
}

/// Every score here is at most 10_000 centipoints, so this never saturates in practice.
fn to_u32(v: u128) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// The JGJ 59-2011 data
// ---------------------------------------------------------------------------------------------

/// Guaranteed item (保证项目).
const G: bool = true;
/// General item (一般项目).
const O: bool = false;

/// Builds a sheet; items are numbered `"1"`, `"2"`, … in order, as the 序号 column does.
fn sheet(
    code: &str,
    table: &str,
    name: &str,
    summary_item: &str,
    items: &[(bool, &str, u32, &str)],
) -> Sheet {
    Sheet {
        code: code.to_owned(),
        table: table.to_owned(),
        name: name.to_owned(),
        summary_item: summary_item.to_owned(),
        items: items
            .iter()
            .zip(1u32..)
            .map(|(&(guaranteed, name, points, criteria), n)| Item {
                code: n.to_string(),
                name: name.to_owned(),
                guaranteed,
                points,
                criteria: criteria.to_owned(),
            })
            .collect(),
    }
}

fn summary(code: &str, name: &str, weight: u32) -> SummaryItem {
    SummaryItem {
        code: code.to_owned(),
        name: name.to_owned(),
        weight,
    }
}

/// The JGJ 59-2011 checklist: summary sheet 表A and sub-sheets 表B.1–表B.19.
///
/// Summary items and weights (表A; §4.0.2 names the ten): 安全管理 10, 文明施工 15, 脚手架 10,
/// 基坑工程 10, 模板支架 10, 高处作业 10, 施工用电 10, 物料提升机与施工升降机 10,
/// 塔式起重机与起重吊装 10, 施工机具 5 — 100 in all. (JGJ 59-99 had 文明施工 20, 起重吊装 5 on its
/// own, 基坑支护与模板工程 10, "三宝""四口"防护 10.)
///
/// Sheets and their verification status:
/// - B.1 安全管理 — exact.
/// - B.2 文明施工 — guaranteed items checked; general items to verify.
/// - B.3 扣件式钢管脚手架 — guaranteed items checked; general items (构配件材质 5, 通道 5) to verify.
/// - B.4 门式, B.5 碗扣式, B.6 承插型盘扣式, B.7 满堂, B.8 悬挑式, B.9 附着式升降 脚手架 — item
///   names and points from memory, to verify (all 10-point items).
/// - B.10 高处作业吊篮 — items checked against a third-party copy; to verify.
/// - B.11 基坑工程, B.12 模板支架 — guaranteed items checked; general items to verify.
/// - B.13 高处作业 — ten items of 10 points, no guaranteed items; checked.
/// - B.8 悬挑式脚手架 — general items 架体防护 10, 层间防护 10, 构配件材质 10 seen in a copy.
/// - B.14 施工用电 — guaranteed item names checked; their points (外电防护 10, 接地与接零保护系统
///   20, 配电线路 10, 配电箱与开关箱 20) and the general items (配电室与配电装置 15, 现场照明 15,
///   用电档案 10) to verify.
/// - B.15 物料提升机 — guaranteed items and points seen in copies (安全装置 15, 防护设施 15,
///   附墙架与缆风绳 10, 钢丝绳 10, 安拆、验收与使用 10; one copy names item 2 防护措施, to
///   verify); general items and points (通信装置 5, 避雷装置 5) to verify.
/// - B.16 施工升降机, B.17 塔式起重机, B.18 起重吊装 — from memory, to verify.
/// - B.19 施工机具 — eleven items, no guaranteed items; 平刨 10, 圆盘锯 10, 手持电动工具 8,
///   钢筋机械 10, 电焊机 10 checked against a third-party copy; 搅拌机 10, 气瓶 8, 翻斗车 8,
///   潜水泵 6, 振捣器 8, 桩工机械 12 to verify (桩工机械 12 is what makes the sheet total 100).
// One line per item keeps the table readable against appendix B; rustfmt would spread each
// item over six lines.
#[rustfmt::skip]
pub fn jgj59_2011() -> Template {
    Template {
        code: TEMPLATE_CODE.to_owned(),
        version: TEMPLATE_VERSION,
        name: "建筑施工安全检查标准".to_owned(),
        summary_items: vec![
            summary("safety_management", "安全管理", 10),
            summary("civilized_construction", "文明施工", 15),
            summary("scaffolding", "脚手架", 10),
            summary("foundation_pit", "基坑工程", 10),
            summary("formwork_support", "模板支架", 10),
            summary("work_at_height", "高处作业", 10),
            summary("temporary_electricity", "施工用电", 10),
            summary("hoists", "物料提升机与施工升降机", 10),
            summary("cranes_and_lifting", "塔式起重机与起重吊装", 10),
            summary("construction_machinery", "施工机具", 5),
        ],
        sheets: vec![
            sheet(
                "safety_management",
                "B.1",
                "安全管理检查评分表",
                "safety_management",
                &[
                    (G, "安全生产责任制", 10, "未建立安全生产责任制或责任制未经责任人签字确认；未配备专职安全员；未制定安全生产管理目标或未考核；未制定安全资金保障制度"),
                    (G, "施工组织设计及专项施工方案", 10, "施工组织设计中未制定安全技术措施；危大工程未编制专项施工方案或未按规定论证；未经审批；未按方案组织实施"),
                    (G, "安全技术交底", 10, "未进行书面安全技术交底；未按分部分项进行交底；交底内容不全面或针对性不强；交底未履行签字手续"),
                    (G, "安全检查", 10, "未建立安全检查制度；无检查记录；事故隐患整改未做到定人、定时间、定措施；重大事故隐患整改通知书所列项目未按期整改和复查"),
                    (G, "安全教育", 10, "未建立安全教育培训制度；新入场人员未进行三级安全教育；变换工种或采用新技术前未进行安全教育；管理人员、专职安全员未按规定进行年度教育培训和考核"),
                    (G, "应急救援", 10, "未制定安全生产应急救援预案；未建立应急救援组织或未配备救援人员；未定期组织演练；未配置应急救援器材和设备"),
                    (O, "分包单位安全管理", 10, "分包单位资质、资格、分包手续不全或失效；未签订安全生产协议书；分包单位未按规定建立安全机构或未配备专职安全员"),
                    (O, "持证上岗", 10, "未经培训从事施工、安全管理和特种作业；项目经理、专职安全员和特种作业人员未持证上岗"),
                    (O, "生产安全事故处理", 10, "生产安全事故未按规定报告；未按规定进行调查分析、制定防范措施；未依法为施工作业人员办理保险"),
                    (O, "安全标志", 10, "主要施工区域、危险部位未按规定悬挂安全标志；未绘制现场安全标志布置图；未设置重大危险源公示牌"),
                ],
            ),
            sheet(
                "civilized_construction",
                "B.2",
                "文明施工检查评分表",
                "civilized_construction",
                &[
                    (G, "现场围挡", 10, "市区主要路段围挡高度低于2.5m、一般路段低于1.8m；围挡未达到坚固、稳定、整洁、美观"),
                    (G, "封闭管理", 10, "出入口未设置大门或门卫室；未建立门卫值守制度；施工人员进入未佩戴工作卡；出入口未设置车辆冲洗设施"),
                    (G, "施工场地", 10, "主要道路及材料加工区地面未硬化；道路不畅通；未采取防尘措施；未设置排水设施；未设置吸烟处"),
                    (G, "材料管理", 10, "材料未按总平面布局码放或未标明名称、规格；未采取防火、防锈蚀、防雨措施；易燃易爆物品未分类储藏在专用库房"),
                    (G, "现场办公与住宿", 10, "作业区、材料存放区与办公生活区未隔离；在建工程、伙房、库房兼作宿舍；宿舍不符合规定；冬季、夏季无保暖、防暑降温措施"),
                    (G, "现场防火", 10, "未制定消防安全管理制度和措施；临时用房和作业场所防火设计不符合规范；未设置消防通道、消防水源；灭火器材配置不合理；明火作业未履行动火审批手续"),
                    (O, "综合治理", 10, "生活区未设置学习和娱乐场所；未建立治安保卫制度或责任未分解到人；治安防范措施不到位"),
                    (O, "公示标牌", 10, "大门口处未设置公示标牌（五牌一图）或不规范；未设置安全标语；未设置宣传栏、读报栏、黑板报"),
                    (O, "生活设施", 10, "未建立卫生责任制度；食堂与厕所、垃圾站等距离不符合规定；食堂未办理卫生许可证或炊事人员无健康证；厕所、淋浴间不符合要求；生活垃圾未及时清理"),
                    (O, "社区服务", 10, "夜间未经许可施工；现场焚烧各类废弃物；未采取防止粉尘、噪声、光污染的措施；未制定施工不扰民措施"),
                ],
            ),
            sheet(
                "scaffold_fastener",
                "B.3",
                "扣件式钢管脚手架检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未进行设计计算；方案未按规定审核、审批；超规模架体方案未按规定组织专家论证"),
                    (G, "立杆基础", 10, "立杆基础不平、不实或不符合方案；立杆底部缺少底座、垫板；未按规范设置纵、横向扫地杆；未采取排水措施"),
                    (G, "架体与建筑结构拉结", 10, "架体与建筑结构拉结方式或间距不符合规范；底层第一步纵向水平杆处未设置连墙件；24m以上双排脚手架未采用刚性连墙件"),
                    (G, "杆件间距与剪刀撑", 10, "立杆、纵向水平杆、横向水平杆间距超过设计或规范；未按规定设置剪刀撑或横向斜撑；剪刀撑斜杆角度、搭接不符合规范"),
                    (G, "脚手板与防护栏杆", 10, "脚手板未满铺或铺设不牢、不稳；脚手板规格、材质不符合要求；架体外侧未用密目式安全网封闭；作业层未设置防护栏杆、挡脚板"),
                    (G, "交底与验收", 10, "搭设前未进行交底或交底无记录；分段搭设分段使用未分段验收；搭设完毕未办理验收手续或验收内容未量化"),
                    (O, "横向水平杆设置", 10, "未在立杆与纵向水平杆交点处设置横向水平杆；未按脚手板铺设需要增设横向水平杆；双排架横向水平杆只固定一端；单排架横向水平杆插入墙内不足180mm"),
                    (O, "杆件连接", 10, "纵向水平杆搭接长度不足1m或固定不符合要求；立杆除顶层顶步外采用搭接；杆件对接扣件布置不符合规范；扣件紧固力矩不符合要求"),
                    (O, "层间防护", 10, "作业层脚手板下未用安全平网兜底或作业层以下每隔10m未用安全平网封闭；作业层与建筑物之间未封闭"),
                    (O, "构配件材质", 5, "钢管直径、壁厚、材质不符合要求；钢管弯曲、变形、锈蚀严重；扣件未进行复试或技术性能不符合标准"),
                    (O, "通道", 5, "未设置人员上下专用通道；通道设置不符合要求"),
                ],
            ),
            sheet(
                "scaffold_portal",
                "B.4",
                "门式钢管脚手架检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未进行设计计算；方案未按规定审核、审批；超规模架体方案未组织专家论证"),
                    (G, "架体基础", 10, "架体基础不平、不实或不符合方案；架体底部未设置垫板或底座；未按规范设置扫地杆；未采取排水措施"),
                    (G, "架体稳定", 10, "架体与建筑结构拉结方式或间距不符合规范；未按规范设置剪刀撑；门架立杆垂直偏差超过规范"),
                    (G, "杆件锁臂", 10, "未按规定组装或漏装杆件、锁臂；未按规范设置纵向水平加固杆；扣件与连接的杆件参数不匹配"),
                    (G, "脚手板", 10, "脚手板未满铺或铺设不牢、不稳；规格、材质不符合要求；挂扣式钢脚手板挂钩未挂扣到位或未处于锁住状态"),
                    (G, "交底与验收", 10, "搭设前未进行交底或交底无记录；分段搭设分段使用未分段验收；搭设完毕未办理验收手续或验收内容未量化"),
                    (O, "架体防护", 10, "作业层防护栏杆不符合规范；未设置挡脚板；架体外侧未用密目式安全网封闭；作业层脚手板下未用安全平网兜底或层间未封闭"),
                    (O, "构配件材质", 10, "杆件变形、锈蚀严重；门架局部开焊；构配件规格、型号、材质或产品质量不符合规范"),
                    (O, "荷载", 10, "施工荷载超过设计规定；荷载堆放不均匀"),
                    (O, "通道", 10, "未设置人员上下专用通道；通道设置不符合要求"),
                ],
            ),
            sheet(
                "scaffold_bowl",
                "B.5",
                "碗扣式钢管脚手架检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未进行设计计算；方案未按规定审核、审批；超规模架体方案未组织专家论证"),
                    (G, "架体基础", 10, "基础不平、不实或不符合方案；立杆底部缺少底座、垫板；未按规范设置纵、横向扫地杆；未采取排水措施"),
                    (G, "架体稳定", 10, "连墙件设置不符合规范；底层第一步水平杆处未设置连墙件；未按规范设置专用斜杆或八字形斜撑；斜杆未固定在碗扣节点处"),
                    (G, "杆件锁件", 10, "立杆间距、水平杆步距超过设计或规范；未按方案在碗扣节点处设置纵、横向水平杆；架体组装不牢或上碗扣紧固不符合要求"),
                    (G, "脚手板", 10, "脚手板未满铺或铺设不牢、不稳；规格、材质不符合要求；挂扣式钢脚手板挂钩未挂扣到位或未处于锁住状态"),
                    (G, "交底与验收", 10, "搭设前未进行交底或交底无记录；分段搭设分段使用未分段验收；搭设完毕未办理验收手续或验收内容未量化"),
                    (O, "架体防护", 10, "架体外侧未用密目式安全网封闭；作业层防护栏杆不符合规范；作业层未设置挡脚板；作业层脚手板下未兜底或层间未封闭"),
                    (O, "构配件材质", 10, "杆件弯曲、变形、锈蚀严重；钢管、构配件规格或材质不符合规范"),
                    (O, "荷载", 10, "施工荷载超过设计规定；荷载堆放不均匀"),
                    (O, "通道", 10, "未设置人员上下专用通道；通道设置不符合要求"),
                ],
            ),
            sheet(
                "scaffold_disk_lock",
                "B.6",
                "承插型盘扣式钢管脚手架检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未进行设计计算；方案未按规定审核、审批"),
                    (G, "架体基础", 10, "基础不平、不实或不符合方案；立杆底部缺少垫板或垫板不符合规范；未按规范设置纵、横向扫地杆；未采取排水措施"),
                    (G, "架体稳定", 10, "架体与建筑结构未按规范拉结；底层第一步水平杆处未设置连墙件或未采取其他可靠固定措施；连墙件非刚性杆件；未按规范设置竖向斜杆或剪刀撑"),
                    (G, "杆件设置", 10, "立杆间距、水平杆步距超过设计或规范；未按方案在插盘处设置纵、横向水平杆；双排脚手架每步水平杆层未设置水平斜杆"),
                    (G, "脚手板", 10, "脚手板未满铺或铺设不牢、不稳；规格、材质不符合要求；挂扣式钢脚手板挂钩未挂扣到位或未处于锁住状态"),
                    (G, "交底与验收", 10, "搭设前未进行交底或交底无记录；分段搭设分段使用未分段验收；搭设完毕未办理验收手续或验收内容未量化"),
                    (O, "架体防护", 10, "架体外侧未用密目式安全网封闭；作业层防护栏杆不符合规范；作业层未设置挡脚板；作业层脚手板下未兜底或层间未封闭"),
                    (O, "杆件连接", 10, "立杆竖向接长位置不符合要求；剪刀撑斜杆接长不符合要求"),
                    (O, "构配件材质", 10, "钢管、构配件规格、型号、材质或产品质量不符合规范；钢管弯曲、变形、锈蚀严重"),
                    (O, "通道", 10, "未设置人员上下专用通道；通道设置不符合要求"),
                ],
            ),
            sheet(
                "scaffold_full_hall",
                "B.7",
                "满堂脚手架检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未进行设计计算；方案未按规定审核、审批"),
                    (G, "架体基础", 10, "基础不平、不实或不符合方案；立杆底部缺少底座、垫板；未按规范设置扫地杆；未采取排水措施"),
                    (G, "架体稳定", 10, "未按规范设置竖向剪刀撑或专用斜杆；未按规范设置水平剪刀撑或专用水平斜杆；高宽比超限未采取与结构拉结等稳定措施"),
                    (G, "杆件锁件", 10, "立杆间距、水平杆步距超过设计或规范；杆件接长不符合要求；架体搭设不牢或节点紧固不符合要求"),
                    (G, "脚手板", 10, "脚手板未满铺或铺设不牢、不稳；规格、材质不符合要求；挂扣式钢脚手板挂钩未挂扣到位或未处于锁住状态"),
                    (G, "交底与验收", 10, "搭设前未进行交底或交底无记录；分段搭设分段使用未分段验收；搭设完毕未办理验收手续或验收内容未量化"),
                    (O, "架体防护", 10, "作业层防护栏杆不符合规范；作业层未设置挡脚板；作业层脚手板下未用安全平网兜底或层间未封闭"),
                    (O, "构配件材质", 10, "钢管、构配件规格、型号、材质或产品质量不符合规范；杆件弯曲、变形、锈蚀严重"),
                    (O, "荷载", 10, "架体施工荷载超过设计规定；荷载堆放不均匀"),
                    (O, "通道", 10, "未设置人员上下专用通道；通道设置不符合要求"),
                ],
            ),
            sheet(
                "scaffold_cantilever",
                "B.8",
                "悬挑式脚手架检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未进行设计计算；方案未按规定审核、审批；超过规范允许高度的方案未组织专家论证"),
                    (G, "悬挑钢梁", 10, "钢梁截面高度未按设计确定或小于160mm；固定段长度小于悬挑段的1.25倍；外端未用钢丝绳或钢拉杆与上层结构拉结；锚固不符合设计和规范；钢梁间距未按立杆纵距设置"),
                    (G, "架体稳定", 10, "立杆底部与钢梁连接处未可靠固定；承插式立杆接长未用螺栓或销钉固定；扫地杆设置不符合规范；未设置连续式剪刀撑或横向斜撑；未按规定与建筑结构拉结"),
                    (G, "脚手板", 10, "脚手板规格、材质不符合要求；脚手板未满铺或铺设不严、不牢、不稳"),
                    (G, "荷载", 10, "施工荷载超过设计规定；施工荷载堆放不均匀"),
                    (G, "交底与验收", 10, "搭设前未进行交底或交底无记录；分段搭设分段使用未分段验收；搭设完毕未办理验收手续或验收内容未量化"),
                    (O, "杆件间距", 10, "立杆间距、纵向水平杆步距超过设计或规范；未在立杆与纵向水平杆交点处设置横向水平杆；未按脚手板铺设需要增设横向水平杆"),
                    (O, "架体防护", 10, "作业层防护栏杆不符合规范；作业层未设置挡脚板；架体外侧未用密目式安全网封闭或网间不严"),
                    (O, "层间防护", 10, "作业层脚手板下未用安全平网兜底或作业层以下每隔10m未用安全平网封闭；作业层与建筑物之间未封闭；架体底层未封闭或封闭不严"),
                    (O, "构配件材质", 10, "型钢、钢管、构配件规格及材质不符合规范；型钢、钢管、构配件弯曲、变形、锈蚀严重"),
                ],
            ),
            sheet(
                "scaffold_attached_lifting",
                "B.9",
                "附着式升降脚手架检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未进行设计计算；方案未按规定审核、审批；提升高度超过规定未组织专家论证"),
                    (G, "安全装置", 10, "未采用防坠落装置或性能不符合规范；防坠落装置与升降设备未分别独立固定；未安装防倾覆装置或不符合规范；未安装同步控制装置或性能不符合规范"),
                    (G, "架体构造", 10, "架体高度、宽度、支承跨度、水平悬挑长度、悬臂高度或全高与支承跨度乘积超过规范限值"),
                    (G, "附着支座", 10, "未按竖向主框架覆盖的每个楼层设置附着支座；使用工况未将竖向主框架与附着支座固定；升降工况防倾、防坠装置未设在附着支座上；附着支座与结构连接固定方式不符合规范"),
                    (G, "架体安装", 10, "主框架及水平支承桁架节点未采用焊接或螺栓连接；杆件轴线未汇交于节点；立杆底端未设在桁架上弦节点处；竖向主框架组装高度低于架体高度；剪刀撑未将主框架、桁架和架体连成一体"),
                    (G, "架体升降", 10, "两跨以上架体同时升降采用手动升降设备；升降工况附着支座处结构混凝土强度未达到要求；升降工况架体上有施工荷载或人员停留"),
                    (O, "检查验收", 10, "主要构配件进场未验收；分区段安装分区段使用未分区段验收；搭设完毕未办理验收手续或验收内容未量化；提升前无检查记录；提升后使用前未履行验收手续或资料不全"),
                    (O, "脚手板", 10, "脚手板未满铺或铺设不严、不牢；作业层与建筑结构之间空隙封闭不严；脚手板规格、材质不符合要求"),
                    (O, "架体防护", 10, "架体外侧未用密目式安全网封闭或网间连接不严；作业层防护栏杆不符合规范；作业层未设置挡脚板"),
                    (O, "安全作业", 10, "操作前未进行安全技术交底或交底无记录；作业人员未经培训或未定岗定责；安装拆除单位资质不符合要求或特种作业人员未持证上岗；安装、升降、拆除时未设警戒区和专人监护；荷载不均匀或超载"),
                ],
            ),
            sheet(
                "suspended_platform",
                "B.10",
                "高处作业吊篮检查评分表",
                "scaffolding",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或未对吊篮支架支撑处结构承载力进行验算；方案未按规定审核、审批"),
                    (G, "安全装置", 10, "未安装防坠安全锁或安全锁失灵；安全锁超过标定期限仍在使用；未设置挂设安全带的专用安全绳及安全锁扣或安全绳未固定在建筑物可靠位置；未安装上限位装置或限位失灵"),
                    (G, "悬挂机构", 10, "前支架支撑在女儿墙或挑檐边缘；前梁外伸长度不符合说明书；前支架与支撑面不垂直或脚轮受力；使用破损配重件或替代物；配重件重量不符合设计"),
                    (G, "钢丝绳", 10, "钢丝绳断丝、松股、硬弯、锈蚀或有油污附着物；安全钢丝绳规格型号与工作钢丝绳不同或未独立悬挂；安全钢丝绳不悬垂；电焊作业未对钢丝绳采取保护措施"),
                    (G, "安装作业", 10, "吊篮平台组装长度不符合说明书和规范；吊篮组装的构配件不是同一生产厂家的产品"),
                    (G, "升降作业", 10, "操作升降人员未经培训合格；吊篮内作业人员超过2人；作业人员未将安全带用安全锁扣挂在独立设置的专用安全绳上；作业人员未从地面进出吊篮"),
                    (O, "交底与验收", 10, "未履行验收程序或验收表未经责任人签字；验收内容未量化；每天班前、班后未进行检查；安装、使用前未进行交底或交底无记录"),
                    (O, "安全防护", 10, "吊篮平台周边防护栏杆或挡脚板不符合规范；上下立体交叉作业时吊篮未设置顶部防护板"),
                    (O, "吊篮稳定", 10, "吊篮作业未采取防摆动措施；吊篮钢丝绳不垂直或吊篮距建筑物空隙过大"),
                    (O, "荷载", 10, "施工荷载超过设计规定；荷载堆放不均匀"),
                ],
            ),
            sheet(
                "foundation_pit",
                "B.11",
                "基坑工程检查评分表",
                "foundation_pit",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案；方案未按规定审核、审批；超规模基坑方案未按规定组织专家论证；周边环境或施工条件变化后方案未重新审核、审批"),
                    (G, "基坑支护", 10, "有塌方危险的基槽未采取支护措施；自然放坡坡率不符合方案和规范；支护结构不符合设计要求；支护结构水平位移达到报警值未采取控制措施"),
                    (G, "降排水", 10, "开挖深度范围内有地下水未采取降排水措施；坑边未设排水沟或不符合规范；放坡开挖未对坡顶、坡面、坡脚采取降排水措施；坑底未设排水沟和集水井或排水不及时"),
                    (G, "基坑开挖", 10, "支护结构未达到设计强度提前开挖下层土方；未按设计和方案分层、分段开挖或开挖不均衡；未采取防止碰撞支护结构或工程桩的措施；软土场地机械作业未采取硬化措施"),
                    (G, "坑边荷载", 10, "坑边堆置土、料具等荷载超过支护设计允许值；施工机械与基坑边沿的安全距离不符合设计要求"),
                    (G, "安全防护", 10, "开挖深度2m及以上的基坑周边未设置防护栏杆或不符合规范；未设置供人员上下的专用梯道或不符合规范；降水井口未设置防护盖板或围栏"),
                    (O, "基坑监测", 10, "未按要求进行基坑监测；监测项目不符合设计和规范；监测间隔不符合方案或变化速率较大时未加密观测；未按要求提交监测报告或报告不完整"),
                    (O, "支撑拆除", 10, "支撑拆除方式、顺序不符合专项方案；机械拆除时施工荷载大于支撑结构承载能力；人工拆除未设置防护设施；非常规拆除方式不符合规范"),
                    (O, "作业环境", 10, "坑内土方机械、施工人员安全距离不符合规范；上下垂直作业未采取防护措施；在各种管线范围内挖土未设专人监护；作业区光线不良"),
                    (O, "应急预案", 10, "未编制基坑工程应急预案或预案内容不完整；应急组织机构不健全或应急物资、材料、工具、机具储备不符合预案要求"),
                ],
            ),
            sheet(
                "formwork_support",
                "B.12",
                "模板支架检查评分表",
                "formwork_support",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或结构设计未经计算；方案未经审核、审批；超规模模板支架方案未按规定组织专家论证"),
                    (G, "支架基础", 10, "基础不坚实平整或承载力不符合方案；底部未设置垫板、底座或不符合规范；未按规范设置扫地杆；未采取排水设施；支架设在楼面结构上时未验算承载力或未采取加固措施"),
                    (G, "支架构造", 10, "立杆纵、横间距或水平杆步距大于设计和规范；水平杆未连续设置；未按规范设置竖向、水平剪刀撑或专用斜杆"),
                    (G, "支架稳定", 10, "高宽比超过规范未采取与建筑结构刚性连接或加宽等措施；立杆伸出顶层水平杆长度超过规范；浇筑混凝土时未对基础沉降、架体变形采取监测措施"),
                    (G, "施工荷载", 10, "荷载堆放不均匀；施工荷载超过设计规定；浇筑混凝土未控制混凝土堆积高度"),
                    (G, "交底与验收", 10, "支架搭设、拆除前未进行交底或无文字记录；搭设完毕未办理验收手续；验收内容未量化或未经责任人签字确认"),
                    (O, "杆件连接", 10, "立杆、水平杆连接不符合规范；剪刀撑斜杆接长不符合规范；杆件各连接点紧固不符合规范"),
                    (O, "底座与托撑", 10, "螺杆直径与立杆内径不匹配；螺杆旋入螺母内长度或外伸长度不符合规范"),
                    (O, "构配件材质", 10, "钢管、构配件规格、型号、材质不符合规范；杆件弯曲、变形、锈蚀严重"),
                    (O, "支架拆除", 10, "拆除前未确认混凝土强度达到设计要求；未设置警戒区或未设专人监护"),
                ],
            ),
            sheet(
                "work_at_height",
                "B.13",
                "高处作业检查评分表",
                "work_at_height",
                &[
                    (O, "安全帽", 10, "施工现场人员未佩戴安全帽；未按标准佩戴安全帽；安全帽质量不符合现行国家标准"),
                    (O, "安全网", 10, "外脚手架架体外侧未用密目式安全网封闭或网间连接不严；安全网质量不符合现行国家标准"),
                    (O, "安全带", 10, "高处作业人员未按规定系挂安全带；安全带系挂不符合要求；安全带质量不符合现行国家标准"),
                    (O, "临边防护", 10, "工作面边沿无临边防护；临边防护设施构造、强度不符合规范；防护设施未形成定型化、工具式"),
                    (O, "洞口防护", 10, "孔、洞未采取防护措施；防护措施、设施不符合要求或不严密；防护设施未定型化、工具式；电梯井内未按每隔两层且不大于10m设置安全平网"),
                    (O, "通道口防护", 10, "未搭设防护棚或防护不严、不牢固；防护棚两侧未封闭；宽度、长度不符合要求；建筑物高度超过24m时棚顶未采用双层防护；材质不符合规范"),
                    (O, "攀登作业", 10, "移动式梯子梯脚底部垫高使用；折梯未使用可靠拉撑装置；梯子材质或制作质量不符合规范"),
                    (O, "悬空作业", 10, "悬空作业处未设置防护栏杆或其他可靠安全设施；所用索具、吊具等未经验收；悬空作业人员未系挂安全带或佩带工具袋"),
                    (O, "移动式操作平台", 10, "平台未按规定设计计算；轮子与平台连接不牢固可靠或立柱底端离地超过80mm；组装不符合设计和规范；台面铺板不严；四周未设防护栏杆或未设登高扶梯；材质不符合规范"),
                    (O, "悬挑式物料钢平台", 10, "未编制专项施工方案或未经设计计算；下部支撑系统或上部拉结点未设在建筑结构上；斜拉杆或钢丝绳未按要求在两侧各设两道；未设置固定防护栏杆或挡脚板；台面铺板不严；未设置荷载限定标牌"),
                ],
            ),
            sheet(
                "temporary_electricity",
                "B.14",
                "施工用电检查评分表",
                "temporary_electricity",
                &[
                    (G, "外电防护", 10, "外电线路与在建工程、脚手架、起重机械、场内机动车道的安全距离不足且未采取防护措施；防护设施未设明显警示标志或搭设不符合规范；在外电架空线路正下方施工、建造临时设施或堆放材料"),
                    (G, "接地与接零保护系统", 20, "未采用TN-S接零保护系统或未采用同一保护系统；保护零线引出位置、材质、规格、颜色不符合规范；电气设备未接保护零线；保护零线装设开关、熔断器或通过工作电流；接地电阻不符合规范；起重机、提升机、升降机、脚手架防雷措施不符合规范"),
                    (G, "配电线路", 10, "线路及接头不能保证机械强度和绝缘强度；未设短路、过载保护；截面不满足负荷电流；线路设施、材料、相序、档距及安全距离不符合规范；电缆沿地面明设或沿脚手架、树木敷设；室内明敷主干线离地不足2.5m"),
                    (G, "配电箱与开关箱", 20, "未采用三级配电、二级漏电保护系统；用电设备无各自专用开关箱；箱体结构、箱内电器设置不符合规范；漏电保护器参数不匹配或不灵敏；无系统接线图和分路标记；无门锁或防雨措施；安装位置、距离不符合规范"),
                    (O, "配电室与配电装置", 15, "配电室耐火等级未达到三级；未配置适用于电气火灾的灭火器材；配电装置布设或仪表电器元件不符合规范；备用发电机组未与外电线路连锁；未采取防雨雪、防小动物措施；未设警示标志、供电平面图和系统图"),
                    (O, "现场照明", 15, "照明用电与动力用电混用；特殊场所未使用36V及以下安全电压；手持照明灯未使用36V以下电源；照明变压器未使用双绕组安全隔离变压器；灯具金属外壳未接保护零线；未按规范配备应急照明"),
                    (O, "用电档案", 10, "总包与分包未订立临时用电管理协议；未编制用电施工组织设计或外电防护专项方案或缺乏针对性；未履行审批、验收程序；接地电阻、绝缘电阻、漏电保护器检测记录及巡视检查、隐患整改记录未填写或不真实；档案不齐全、未设专人管理"),
                ],
            ),
            sheet(
                "material_hoist",
                "B.15",
                "物料提升机检查评分表",
                "hoists",
                &[
                    (G, "安全装置", 15, "未安装起重量限制器、防坠安全器或不灵敏；安全停层装置不符合规范或未定型化；未安装上行程限位或不灵敏、安全越程不符合规范；安装高度超过30m未安装渐进式防坠安全器、自动停层、语音及影像信号监控装置"),
                    (G, "防护设施", 15, "未设置防护围栏或进料口防护棚或不符合规范；停层平台两侧未设防护栏杆、挡脚板；停层平台脚手板铺设不严、不牢；未安装平台门或平台门不起作用、未定型化；吊笼门不符合规范"),
                    (G, "附墙架与缆风绳", 10, "附墙架结构、材质、间距不符合说明书或未与建筑结构可靠连接；缆风绳数量、位置不符合规范；缆风绳未用钢丝绳或未与地锚连接；钢丝绳直径小于8mm或角度不符合45°~60°；安装高度超过30m仍使用缆风绳；地锚不符合规范"),
                    (G, "钢丝绳", 10, "钢丝绳磨损、变形、锈蚀达到报废标准；绳夹设置不符合规范；吊笼处于最低位置时卷筒上钢丝绳少于3圈；未设置过路保护措施或钢丝绳拖地"),
                    (G, "安拆、验收与使用", 10, "安装拆卸单位无专业承包资质和安全生产许可证；未制定专项施工方案或未经审核、审批；未履行验收程序或验收表未经责任人签字；安拆人员及司机未持证上岗；作业前未按规定例行检查或无记录；多班作业未填写交接班记录"),
                    (O, "基础与导轨架", 10, "基础承载力、平整度不符合规范；基础周边未设排水设施；导轨架垂直度偏差大于导轨架高度的0.15%；井架停层平台通道处结构未采取加强措施"),
                    (O, "动力与传动", 10, "卷扬机、曳引机安装不牢固；卷筒与导向轮距离不足且未设排绳器；钢丝绳在卷筒上排列不整齐；滑轮与导轨架、吊笼未刚性连接或与钢丝绳不匹配；卷筒、滑轮未设防止钢丝绳脱出装置；多根曳引钢丝绳未设曳引力平衡装置"),
                    (O, "通信装置", 5, "未按规范设置通信装置；通信装置信号显示不清晰"),
                    (O, "卷扬机操作棚", 10, "未设置卷扬机操作棚；操作棚搭设不符合规范"),
                    (O, "避雷装置", 5, "在其他防雷保护范围以外未设置避雷装置；避雷装置不符合规范"),
                ],
            ),
            sheet(
                "construction_elevator",
                "B.16",
                "施工升降机检查评分表",
                "hoists",
                &[
                    (G, "安全装置", 10, "未安装起重量限制器或不灵敏；未安装渐进式防坠安全器或不灵敏；防坠安全器超过有效标定期限；对重钢丝绳未安装防松绳装置或不灵敏；未安装急停开关、缓冲器或不符合规范；SC型升降机未安装安全钩"),
                    (G, "限位装置", 10, "未安装极限开关、上限位开关、下限位开关或不灵敏；极限开关与上限位开关安全越程不符合规范；极限开关与上、下限位开关共用一个触发元件；未安装吊笼门机电连锁装置或吊笼顶窗电气安全开关或不灵敏"),
                    (G, "防护设施", 10, "未设置地面防护围栏或不符合规范；未安装防护围栏门连锁保护装置或不灵敏；未设置出入口防护棚或不符合规范；停层平台搭设不符合规范；未安装层门或层门不起作用、未定型化"),
                    (G, "附墙架", 10, "附墙架采用非配套标准产品未进行设计计算；与建筑结构连接方式、角度不符合说明书；附墙架间距、最高附着点以上导轨架自由高度超过说明书要求"),
                    (G, "钢丝绳、滑轮与对重", 10, "对重钢丝绳少于2根或未相对独立；钢丝绳达到报废标准或规格、固定不符合说明书及规范；滑轮未安装钢丝绳防脱装置；对重重量、固定不符合说明书及规范；对重未安装防脱轨保护装置"),
                    (G, "安拆、验收与使用", 10, "安装拆卸单位无专业承包资质和安全生产许可证；未编制安拆专项方案或未经审核、审批；未履行验收程序或验收表未经责任人签字；安拆人员及司机未持证上岗；作业前未例行检查或无记录；多班作业未填写交接班记录"),
                    (O, "导轨架", 10, "导轨架垂直度不符合规范；标准节质量不符合说明书及规范；对重导轨不符合规范；标准节连接螺栓使用不符合说明书及规范"),
                    (O, "基础", 10, "基础制作、验收不符合说明书及规范；基础设在地下室顶板或楼面结构上未验算支承结构承载力；基础未设排水设施"),
                    (O, "电气安全", 10, "与架空线路距离不足未采取防护措施或防护措施不符合规范；未设置电缆导向架或不符合规范；在防雷保护范围以外未设置避雷装置或不符合规范"),
                    (O, "通信装置", 10, "未安装楼层信号联络装置；楼层联络信号不清晰"),
                ],
            ),
            sheet(
                "tower_crane",
                "B.17",
                "塔式起重机检查评分表",
                "cranes_and_lifting",
                &[
                    (G, "载荷限制装置", 10, "未安装起重量限制器或不灵敏；未安装力矩限制器或不灵敏"),
                    (G, "行程限位装置", 10, "未安装起升高度限位器或不灵敏、安全越程不符合规范；未安装幅度限位器或不灵敏；回转不设集电器的塔机未安装回转限位器或不灵敏；行走式塔机未安装行走限位器或不灵敏"),
                    (G, "保护装置", 10, "小车变幅塔机未安装断绳保护及断轴保护装置；轨道行程末端未安装缓冲器及止挡装置；臂根铰点高度大于50m未安装风速仪或不灵敏；顶部高度大于30m且高于周围建筑物未安装障碍指示灯"),
                    (G, "吊钩、滑轮、卷筒与钢丝绳", 10, "吊钩未安装钢丝绳防脱钩装置或磨损、变形达到报废标准；滑轮、卷筒未安装钢丝绳防脱装置或磨损达到报废标准；钢丝绳达到报废标准或规格、固定、缠绕不符合说明书及规范"),
                    (G, "多塔作业", 10, "多塔作业未制定专项施工方案或方案未经审批；任意两台塔机之间的最小架设距离不符合规范"),
                    (G, "安拆、验收与使用", 10, "安装拆卸单位无专业承包资质和安全生产许可证；未制定安拆专项方案或未经审核、审批；未履行验收程序或验收表未经责任人签字；安拆人员、司机、指挥未持证上岗；作业前未例行检查或无记录；多班作业未填写交接班记录"),
                    (O, "附着", 10, "高度超过规定未安装附着装置；附着水平距离不满足说明书要求未进行设计计算和审批；内爬式塔机的建筑承载结构未验算；附着装置安装不符合说明书及规范；附着前后塔身垂直度不符合规范"),
                    (O, "基础与轨道", 10, "基础未按说明书及有关规定设计、检测、验收；基础未设排水措施；路基箱或枕木铺设、轨道铺设不符合说明书及规范"),
                    (O, "结构设施", 10, "主要结构件变形、锈蚀不符合规范；平台、走道、梯子、护栏设置不符合规范；高强螺栓、销轴、紧固件的紧固、连接不符合规范"),
                    (O, "电气安全", 10, "未采用TN-S接零保护系统供电；与架空线路安全距离不足未采取防护措施或防护措施不符合规范；未安装避雷接地装置或不符合规范；电缆使用及固定不符合规范"),
                ],
            ),
            sheet(
                "lifting_operations",
                "B.18",
                "起重吊装检查评分表",
                "cranes_and_lifting",
                &[
                    (G, "施工方案", 10, "未编制专项施工方案或方案未经审核、审批；超规模起重吊装方案未按规定组织专家论证"),
                    (G, "起重机械", 10, "未安装荷载限制装置或行程限位装置或不灵敏；起重拔杆组装不符合设计要求；拔杆组装后未履行验收程序或验收表无责任人签字"),
                    (G, "钢丝绳与地锚", 10, "钢丝绳磨损、断丝、变形、锈蚀达到报废标准或规格不符合说明书；吊钩、卷筒、滑轮磨损达到报废标准或未安装钢丝绳防脱装置；拔杆缆风绳、地锚设置不符合设计要求"),
                    (G, "索具", 10, "编结连接的编结长度或绳夹连接的绳夹规格、数量、间距不符合规范；索具安全系数不符合规范；吊索规格不匹配或机械性能不符合设计要求"),
                    (G, "作业环境", 10, "起重机行走作业处地面承载能力不符合说明书或未采取加固措施；起重机与架空线路安全距离不符合规范"),
                    (G, "作业人员", 10, "起重机司机无证操作或操作证与机型不符；未设置专职信号指挥和司索人员；作业前未进行安全技术交底或交底无文字记录"),
                    (O, "起重吊装", 10, "多机抬吊时单机荷载不符合方案；吊索系挂点不符合方案；起重臂下有人停留或吊物从人正上方通过；吊具载运人员；吊运易散落物件未使用吊笼"),
                    (O, "高处作业", 10, "未按规定设置高处作业平台或平台不符合规范；未按规定设置爬梯或爬梯强度、构造不符合规范；未设置安全带悬挂点"),
                    (O, "构件码放", 10, "构件码放荷载超过作业面承载能力；码放高度超过规定；大型构件码放无稳定措施"),
                    (O, "警戒监护", 10, "未按规定设置作业警戒区；警戒区未设专人监护"),
                ],
            ),
            sheet(
                "construction_machinery",
                "B.19",
                "施工机具检查评分表",
                "construction_machinery",
                &[
                    (O, "平刨", 10, "安装后未履行验收程序；未设置护手安全装置；传动部位未设防护罩；未做保护接零或未设漏电保护器；未设安全作业棚；使用多功能木工机具"),
                    (O, "圆盘锯", 10, "安装后未履行验收程序；未设锯盘护罩、分料器、防护挡板或传动部位未设防护罩；未做保护接零或未设漏电保护器；未设安全作业棚；使用多功能木工机具"),
                    (O, "手持电动工具", 8, "Ⅰ类手持电动工具未采取保护接零或未设漏电保护器；使用Ⅰ类工具未按规定穿戴绝缘用品；随意接长电源线"),
                    (O, "钢筋机械", 10, "安装后未履行验收程序；未做保护接零或未设漏电保护器；钢筋加工区未设作业棚、对焊区未采取防火花飞溅措施或冷拉区未设防护栏板；传动部位未设防护罩"),
                    (O, "电焊机", 10, "安装后未履行验收程序；未做保护接零或未设漏电保护器；未设二次空载降压保护器；一次线过长或未穿管保护；二次线未采用防水橡皮护套铜芯软电缆、过长或绝缘老化；未设防雨罩或接线柱防护罩"),
                    (O, "搅拌机", 10, "安装后未履行验收程序；未做保护接零或未设漏电保护器；离合器、制动器、钢丝绳达不到要求；上料斗未设安全挂钩或止挡装置；传动部位未设防护罩；未设安全作业棚"),
                    (O, "气瓶", 8, "气瓶未安装减压器；乙炔瓶未安装回火防止器；气瓶间距小于5m或与明火距离小于10m未采取隔离措施；未设防震圈和防护帽；存放不符合要求"),
                    (O, "翻斗车", 8, "制动、转向装置不灵敏；驾驶员无证操作；行车载人或违章行车"),
                    (O, "潜水泵", 6, "未做保护接零或未设漏电保护器；负荷线未使用专用防水橡皮电缆；负荷线有接头"),
                    (O, "振捣器", 8, "未使用移动式配电箱；电缆线过长；操作人员未穿戴绝缘防护用品"),
                    (O, "桩工机械", 12, "安装后未履行验收程序；作业前未编制专项施工方案或未进行安全技术交底；安全装置不齐全或不灵敏；作业区地面承载力不符合规定或未采取硬化措施；与输电线路安全距离不符合规范"),
                ],
            ),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn every_guaranteed_item_of_an_applicable_sheet_must_be_answered() {
        let t = jgj59_2011();
        // 安全管理 answers guaranteed items 1–5 and general item 10: item 6 is missing.
        let mut items: Vec<ItemAnswer> = ["1", "2", "3", "4", "5", "10"]
            .iter()
            .map(|c| item(c, 0))
            .collect();
        let sheet = |items: Vec<ItemAnswer>, not_applicable: bool| SheetAnswer {
            sheet: "safety_management".into(),
            not_applicable,
            items,
        };
        assert_eq!(
            require_guaranteed_answered(&t, &[sheet(items.clone(), false)]),
            Err(ScoreError::UnansweredGuaranteedItem {
                sheet: "safety_management".into(),
                item: "6".into()
            })
        );
        // Answered as not applicable counts as an answer; so does a whole sheet not applicable.
        items.push(ItemAnswer {
            not_applicable: true,
            ..item("6", 0)
        });
        assert_eq!(
            require_guaranteed_answered(&t, &[sheet(items, false)]),
            Ok(())
        );
        // 安全管理 applies to every site: not applicable, or left out, is refused; another sheet
        // not applicable is fine.
        let missing = Err(ScoreError::AlwaysApplicableSheetMissing {
            sheet: "safety_management".into(),
        });
        assert_eq!(
            require_guaranteed_answered(&t, &[sheet(Vec::new(), true)]),
            missing
        );
        let civilized = SheetAnswer {
            sheet: "civilized_construction".into(),
            not_applicable: true,
            items: Vec::new(),
        };
        assert_eq!(
            require_guaranteed_answered(&t, std::slice::from_ref(&civilized)),
            missing
        );
        let all: Vec<ItemAnswer> = ["1", "2", "3", "4", "5", "6"]
            .iter()
            .map(|c| item(c, 0))
            .collect();
        assert_eq!(
            require_guaranteed_answered(&t, &[sheet(all, false), civilized]),
            Ok(())
        );
    }

    #[test]
    fn only_a_failed_rating_requires_rectification() {
        assert!(Rating::Fail.requires_rectification());
        assert!(!Rating::Pass.requires_rectification());
        assert!(!Rating::Good.requires_rectification());
    }

    fn item(code: &str, deduction: u32) -> ItemAnswer {
        ItemAnswer {
            item: code.to_owned(),
            deduction,
            not_applicable: false,
            note: None,
        }
    }

    fn na(code: &str) -> ItemAnswer {
        ItemAnswer {
            item: code.to_owned(),
            deduction: 0,
            not_applicable: true,
            note: Some("无此项".to_owned()),
        }
    }

    fn answer(sheet: &str, deductions: &[(&str, u32)]) -> SheetAnswer {
        SheetAnswer {
            sheet: sheet.to_owned(),
            not_applicable: false,
            items: deductions.iter().map(|&(c, d)| item(c, d)).collect(),
        }
    }

    fn sheet_score<'a>(card: &'a Scorecard, code: &str) -> &'a SheetScore {
        card.sheets.iter().find(|s| s.sheet == code).unwrap()
    }

    fn line<'a>(card: &'a Scorecard, code: &str) -> &'a SummaryLine {
        card.summary.iter().find(|l| l.item == code).unwrap()
    }

    /// One sheet per summary item, each deducting exactly 20 points, only from general items
    /// (or anywhere on sheets without guaranteed items), so each scores 100 − 20 = 80.
    fn all_at_80() -> Vec<SheetAnswer> {
        vec![
            answer(
                "safety_management",
                &[("7", 5), ("8", 5), ("9", 5), ("10", 5)],
            ),
            answer(
                "civilized_construction",
                &[("7", 5), ("8", 5), ("9", 5), ("10", 5)],
            ),
            answer(
                "scaffold_fastener",
                &[("7", 5), ("8", 5), ("9", 5), ("10", 5)],
            ),
            answer("foundation_pit", &[("7", 5), ("8", 5), ("9", 5), ("10", 5)]),
            answer(
                "formwork_support",
                &[("7", 5), ("8", 5), ("9", 5), ("10", 5)],
            ),
            answer("work_at_height", &[("1", 5), ("2", 5), ("3", 5), ("4", 5)]),
            answer("temporary_electricity", &[("5", 10), ("6", 10)]),
            answer("material_hoist", &[("6", 10), ("7", 10)]),
            answer("tower_crane", &[("7", 5), ("8", 5), ("9", 5), ("10", 5)]),
            answer("construction_machinery", &[("1", 10), ("2", 10)]),
        ]
    }

    /// Like [`all_at_80`] plus 10 more points on two guaranteed items (5 + 5; the guaranteed
    /// subtotal stays 50 ≥ 40), so each sheet scores 100 − 30 = 70.
    fn all_at_70() -> Vec<SheetAnswer> {
        let mut answers = all_at_80();
        for a in &mut answers {
            match a.sheet.as_str() {
                "work_at_height" => a.items.extend([item("5", 5), item("6", 5)]),
                "construction_machinery" => a.items.push(item("4", 10)),
                _ => a.items.extend([item("1", 5), item("2", 5)]),
            }
        }
        answers
    }

    fn set_machinery(answers: &mut [SheetAnswer], deductions: &[(&str, u32)]) {
        let a = answers
            .iter_mut()
            .find(|a| a.sheet == "construction_machinery")
            .unwrap();
        a.items = deductions.iter().map(|&(c, d)| item(c, d)).collect();
    }

    // --- template data ----------------------------------------------------------------------

    #[test]
    fn template_is_valid_and_every_sheet_is_100_with_60_guaranteed() {
        let t = jgj59_2011();
        assert_eq!(t.validate(), Ok(()));
        assert_eq!(t.code, "JGJ59-2011");
        assert_eq!(t.sheets.len(), 19);
        for s in &t.sheets {
            assert_eq!(s.total_points(), 100, "{}", s.code);
            let expected = match s.code.as_str() {
                "work_at_height" | "construction_machinery" => 0,
                _ => 60,
            };
            assert_eq!(s.guaranteed_points(), expected, "{}", s.code);
        }
        let tables: Vec<String> = t.sheets.iter().map(|s| s.table.clone()).collect();
        let expected: Vec<String> = (1..=19).map(|n| format!("B.{n}")).collect();
        assert_eq!(tables, expected);
    }

    #[test]
    fn summary_weights_are_those_of_table_a() {
        let t = jgj59_2011();
        let weights: Vec<(&str, u32)> = t
            .summary_items
            .iter()
            .map(|s| (s.name.as_str(), s.weight))
            .collect();
        assert_eq!(
            weights,
            vec![
                ("安全管理", 10),
                ("文明施工", 15),
                ("脚手架", 10),
                ("基坑工程", 10),
                ("模板支架", 10),
                ("高处作业", 10),
                ("施工用电", 10),
                ("物料提升机与施工升降机", 10),
                ("塔式起重机与起重吊装", 10),
                ("施工机具", 5),
            ]
        );
        let scaffolds = t
            .sheets
            .iter()
            .filter(|s| s.summary_item == "scaffolding")
            .count();
        assert_eq!(scaffolds, 8);
    }

    #[test]
    fn safety_management_sheet_is_exact() {
        let t = jgj59_2011();
        let s = t.sheet("safety_management").unwrap();
        let items: Vec<(&str, &str, bool, u32)> = s
            .items
            .iter()
            .map(|i| (i.code.as_str(), i.name.as_str(), i.guaranteed, i.points))
            .collect();
        assert_eq!(
            items,
            vec![
                ("1", "安全生产责任制", true, 10),
                ("2", "施工组织设计及专项施工方案", true, 10),
                ("3", "安全技术交底", true, 10),
                ("4", "安全检查", true, 10),
                ("5", "安全教育", true, 10),
                ("6", "应急救援", true, 10),
                ("7", "分包单位安全管理", false, 10),
                ("8", "持证上岗", false, 10),
                ("9", "生产安全事故处理", false, 10),
                ("10", "安全标志", false, 10),
            ]
        );
    }

    #[test]
    fn template_round_trips_through_json() {
        let t = jgj59_2011();
        let json = serde_json::to_string(&t).unwrap();
        let back: Template = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn broken_template_is_rejected_before_scoring() {
        let mut t = jgj59_2011();
        t.sheets[0].items[9].points = 5; // 安全标志 10 → 5: the sheet sums to 95
        let err = t.validate().unwrap_err();
        assert_eq!(
            err,
            TemplateError::SheetPointsNot100 {
                sheet: "safety_management".to_owned(),
                total: 95
            }
        );
        let scored = score(&t, &[answer("safety_management", &[])]);
        assert_eq!(scored, Err(ScoreError::InvalidTemplate(err)));

        let mut t = jgj59_2011();
        t.summary_items[1].weight = 20; // 文明施工 15 → 20 (the JGJ 59-99 weight)
        assert_eq!(
            t.validate(),
            Err(TemplateError::WeightsNot100 { total: 105 })
        );
    }

    // --- (a) one sheet, deductions and a not-applicable item ---------------------------------

    #[test]
    fn not_applicable_item_is_rescaled_out_of_the_sheet() {
        // 安全管理: deduct 4 on 1 安全生产责任制 and 3 on 5 安全教育 (guaranteed), 3 on 10
        // 安全标志 (general); 7 分包单位安全管理 is not applicable (no subcontractors).
        //   applicable points E = 100 − 10 = 90
        //   earned D           = 90 − (4 + 3 + 3) = 80
        //   guaranteed         = 60 − 7 = 53 ≥ 40, no guaranteed item at 0 → not zeroed
        //   score              = 80 / 90 × 100 = 88.888… → 88.89 (8888.89 rounds half up to 8889)
        let t = jgj59_2011();
        let mut a = answer("safety_management", &[("1", 4), ("5", 3), ("10", 3)]);
        a.items.push(na("7"));
        let card = score(&t, &[a]).unwrap();
        let s = sheet_score(&card, "safety_management");
        assert!(!s.not_applicable);
        assert_eq!(s.applicable_points, 90);
        assert_eq!(s.earned_points, 80);
        assert_eq!(s.guaranteed_earned_points, 53);
        assert_eq!(s.guaranteed_applicable_points, 60);
        assert_eq!(s.guaranteed_centi, 5_300);
        assert_eq!(s.zeroed_reason, None);
        assert_eq!(s.score_centi, 8_889);

        // Only 安全管理 applies; the total is rescaled over its weight 10 (§4.0.3(5)):
        //   total = 10 × 88.89 / 100 / 10 × 100 = 88.89 → GOOD.
        //   The displayed contribution is 10 × 88.89 / 100 = 8.889 → 8.89.
        assert_eq!(card.total_centi, 8_889);
        assert_eq!(card.rating, Rating::Good);
        let l = line(&card, "safety_management");
        assert!(l.applicable);
        assert_eq!(l.score_centi, 8_889);
        assert_eq!(l.contribution_centi, 889);
        assert!(!line(&card, "scaffolding").applicable);
        assert!(sheet_score(&card, "tower_crane").not_applicable);
        assert_eq!(format_centi(card.total_centi), "88.89");
    }

    // --- (b) a guaranteed item fully deducted ------------------------------------------------

    #[test]
    fn guaranteed_item_at_zero_fails_the_inspection_even_above_80() {
        // Every summary item has one sheet; all score 100 except 安全管理, where 4 安全检查
        // (10 points) is given a deduction of 12: clamped to 10, so the item scores 0 and the
        // sheet scores 0 (§4.0.3(2), (3)).
        //   total = (0 × 10 + 100 × (15 + 10 × 7 + 5)) / 100 = 9000 / 100 = 90.00
        //   90.00 ≥ 80 but a sub-sheet scores zero → FAIL (§5.0.2).
        let t = jgj59_2011();
        let mut answers: Vec<SheetAnswer> = all_at_80()
            .into_iter()
            .map(|a| answer(&a.sheet, &[]))
            .collect();
        answers[0] = answer("safety_management", &[("4", 12)]);
        let card = score(&t, &answers).unwrap();
        let s = sheet_score(&card, "safety_management");
        assert_eq!(
            s.clamped,
            vec![ClampedDeduction {
                item: "4".to_owned(),
                requested: 12,
                applied: 10
            }]
        );
        assert_eq!(
            s.zeroed_reason,
            Some(ZeroReason::GuaranteedItemScoredZero {
                item: "4".to_owned()
            })
        );
        assert_eq!(s.score_centi, 0);
        assert_eq!(s.earned_points, 90); // before zeroing
        assert_eq!(card.total_centi, 9_000);
        assert_eq!(card.rating, Rating::Fail);
        assert_eq!(card.rating.label_zh(), "不合格");
        assert!(s.zeroed_reason.as_ref().unwrap().message_zh().contains('4'));
    }

    // --- (c) guaranteed subtotal under 40 ----------------------------------------------------

    #[test]
    fn guaranteed_deductions_of_21_zero_the_sheet_but_20_do_not() {
        // 21: deduct 8 on item 1, 8 on item 2, 5 on item 3 — no item at 0 (2, 2, 5 left),
        //     guaranteed subtotal 60 − 21 = 39 < 40 → sheet 0.
        let t = jgj59_2011();
        let card = score(
            &t,
            &[answer("safety_management", &[("1", 8), ("2", 8), ("3", 5)])],
        )
        .unwrap();
        let s = sheet_score(&card, "safety_management");
        assert_eq!(s.guaranteed_centi, 3_900);
        assert_eq!(s.zeroed_reason, Some(ZeroReason::GuaranteedSubtotalUnder40));
        assert_eq!(s.score_centi, 0);
        assert_eq!(card.total_centi, 0);
        assert_eq!(card.rating, Rating::Fail);

        // 20: 8 + 8 + 4 → guaranteed 40, not under 40 → sheet 100 − 20 = 80.00.
        let card = score(
            &t,
            &[answer("safety_management", &[("1", 8), ("2", 8), ("3", 4)])],
        )
        .unwrap();
        let s = sheet_score(&card, "safety_management");
        assert_eq!(s.guaranteed_centi, 4_000);
        assert_eq!(s.zeroed_reason, None);
        assert_eq!(s.score_centi, 8_000);
        assert_eq!(card.rating, Rating::Good);
    }

    #[test]
    fn guaranteed_subtotal_is_rescaled_when_a_guaranteed_item_does_not_apply() {
        // 施工用电 without overhead lines: 1 外电防护 (10) is not applicable, so the guaranteed
        // items applicable are 20 + 10 + 20 = 50 points.
        // Deduct 10 on 2 接地与接零保护系统 (20) and 7 on 4 配电箱与开关箱 (20): 17 in all.
        //   guaranteed earned 50 − 17 = 33; rescaled 33 × 60 / 50 = 39.6 < 40 → sheet 0.
        let t = jgj59_2011();
        let mut a = answer("temporary_electricity", &[("2", 10), ("4", 7)]);
        a.items.push(na("1"));
        let card = score(&t, &[a]).unwrap();
        let s = sheet_score(&card, "temporary_electricity");
        assert_eq!(s.guaranteed_applicable_points, 50);
        assert_eq!(s.guaranteed_earned_points, 33);
        assert_eq!(s.guaranteed_centi, 3_960);
        assert_eq!(s.zeroed_reason, Some(ZeroReason::GuaranteedSubtotalUnder40));

        // Deduct 16 instead (10 + 6): guaranteed 34 × 60 / 50 = 40.8 ≥ 40 → not zeroed.
        //   applicable 90, earned 90 − 16 = 74, score 74 / 90 × 100 = 82.222… → 82.22.
        let mut a = answer("temporary_electricity", &[("2", 10), ("4", 6)]);
        a.items.push(na("1"));
        let card = score(&t, &[a]).unwrap();
        let s = sheet_score(&card, "temporary_electricity");
        assert_eq!(s.guaranteed_centi, 4_080);
        assert_eq!(s.zeroed_reason, None);
        assert_eq!(s.score_centi, 8_222);
    }

    #[test]
    fn sheet_without_guaranteed_items_fails_when_everything_is_deducted() {
        // 施工机具 has no guaranteed items; deducting all 100 points leaves it at zero, and a
        // zero sub-sheet fails the inspection (§5.0.2). The other 9 sheets score 100, so
        //   total = 100 × 95 / 100 = 95.00, still FAIL.
        let t = jgj59_2011();
        let mut answers: Vec<SheetAnswer> = all_at_80()
            .into_iter()
            .map(|a| answer(&a.sheet, &[]))
            .collect();
        let all: Vec<(String, u32)> = t
            .sheet("construction_machinery")
            .unwrap()
            .items
            .iter()
            .map(|i| (i.code.clone(), i.points))
            .collect();
        let refs: Vec<(&str, u32)> = all.iter().map(|(c, p)| (c.as_str(), *p)).collect();
        set_machinery(&mut answers, &refs);
        let card = score(&t, &answers).unwrap();
        let s = sheet_score(&card, "construction_machinery");
        assert_eq!(s.zeroed_reason, Some(ZeroReason::NoPointsEarned));
        assert_eq!(card.total_centi, 9_500);
        assert_eq!(card.rating, Rating::Fail);
    }

    // --- (d) averaging -----------------------------------------------------------------------

    #[test]
    fn two_scaffold_sheets_are_averaged() {
        // 扣件式: deduct 6 on 1 施工方案, 8 on 7 横向水平杆设置 → 100 − 14 = 86.00.
        // 悬挑式: deduct 5 on 2 悬挑钢梁, 10 on 8 架体防护, 5 on 9 层间防护 → 100 − 20 = 80.00.
        // 门式 is answered as not applicable and does not count.
        //   脚手架 = (86 + 80) / 2 = 83.00; contribution 10 × 83 / 100 = 8.30.
        //   Only 脚手架 applies: total = 8.30 / 10 × 100 = 83.00 → GOOD.
        let t = jgj59_2011();
        let answers = vec![
            answer("scaffold_fastener", &[("1", 6), ("7", 8)]),
            answer("scaffold_cantilever", &[("2", 5), ("8", 10), ("9", 5)]),
            SheetAnswer {
                sheet: "scaffold_portal".to_owned(),
                not_applicable: true,
                items: vec![],
            },
        ];
        let card = score(&t, &answers).unwrap();
        assert_eq!(sheet_score(&card, "scaffold_fastener").score_centi, 8_600);
        assert_eq!(sheet_score(&card, "scaffold_cantilever").score_centi, 8_000);
        assert!(sheet_score(&card, "scaffold_portal").not_applicable);
        let l = line(&card, "scaffolding");
        assert_eq!(l.sheets, vec!["scaffold_fastener", "scaffold_cantilever"]);
        assert_eq!(l.score_centi, 8_300);
        assert_eq!(l.contribution_centi, 830);
        assert_eq!(card.total_centi, 8_300);
        assert_eq!(card.rating, Rating::Good);
    }

    #[test]
    fn three_scaffold_sheets_average_without_intermediate_rounding() {
        // Add 碗扣式 deducting 19 (9 on 7 架体防护, 10 on 8 构配件材质) → 81.00.
        //   mean = (86 + 80 + 81) / 3 = 82.333… → shown 82.33
        //   contribution = 10 × 82.333… / 100 = 8.2333… → shown 8.23
        //   total (only 脚手架) = 82.333… → 82.33
        let t = jgj59_2011();
        let answers = vec![
            answer("scaffold_fastener", &[("1", 6), ("7", 8)]),
            answer("scaffold_cantilever", &[("2", 5), ("8", 10), ("9", 5)]),
            answer("scaffold_bowl", &[("7", 9), ("8", 10)]),
        ];
        let card = score(&t, &answers).unwrap();
        let l = line(&card, "scaffolding");
        assert_eq!(l.score_centi, 8_233);
        assert_eq!(l.contribution_centi, 823);
        assert_eq!(card.total_centi, 8_233);
    }

    // --- (e) the 80 boundary -----------------------------------------------------------------

    #[test]
    fn total_of_exactly_80_is_good() {
        // Ten sheets at 80.00 each:
        //   total = 80 × (10 + 15 + 10 × 7 + 5) / 100 = 80 × 100 / 100 = 80.00 → GOOD.
        let card = score(&jgj59_2011(), &all_at_80()).unwrap();
        assert!(
            card.sheets
                .iter()
                .filter(|s| !s.not_applicable)
                .all(|s| s.score_centi == 8_000)
        );
        assert_eq!(card.total_centi, 8_000);
        assert_eq!(card.rating, Rating::Good);
        assert_eq!(card.rating.label_zh(), "优良");
    }

    #[test]
    fn total_of_79_90_is_pass() {
        // As above, but 施工机具 (weight 5) deducts 22 (10 + 10 + 2) → 78.00:
        //   10×80 + 15×80 + 7×(10×80) + 5×78 = 800 + 1200 + 5600 + 390 = 7990
        //   total = 7990 / 100 = 79.90 → PASS.
        let mut answers = all_at_80();
        set_machinery(&mut answers, &[("1", 10), ("2", 10), ("3", 2)]);
        let card = score(&jgj59_2011(), &answers).unwrap();
        assert_eq!(
            sheet_score(&card, "construction_machinery").score_centi,
            7_800
        );
        assert_eq!(
            line(&card, "construction_machinery").contribution_centi,
            390
        );
        assert_eq!(card.total_centi, 7_990);
        assert_eq!(card.rating, Rating::Pass);
        assert_eq!(card.rating.label_zh(), "合格");
    }

    #[test]
    fn summary_items_not_applicable_are_rescaled_out_of_the_total() {
        // No tower crane and no lifting: 塔式起重机与起重吊装 (weight 10) is not applicable.
        // Others as in the 79.90 case: eight sheets at 80, 施工机具 at 78.
        //   Σ applicable weights = 90
        //   Σ weight × score     = 85 × 80 + 5 × 78 = 6800 + 390 = 7190
        //   total = 7190 / 90 = 79.888… → 79.89 → PASS.
        let mut answers = all_at_80();
        answers.retain(|a| a.sheet != "tower_crane");
        set_machinery(&mut answers, &[("1", 10), ("2", 10), ("3", 2)]);
        let card = score(&jgj59_2011(), &answers).unwrap();
        let l = line(&card, "cranes_and_lifting");
        assert!(!l.applicable);
        assert_eq!(l.contribution_centi, 0);
        assert_eq!(card.total_centi, 7_989);
        assert_eq!(card.rating, Rating::Pass);
    }

    // --- (f) the 70 boundary -----------------------------------------------------------------

    #[test]
    fn total_of_69_90_fails_and_70_passes() {
        // Ten sheets at 70.00 each: total = 70 × 100 / 100 = 70.00 → PASS.
        let card = score(&jgj59_2011(), &all_at_70()).unwrap();
        assert_eq!(card.total_centi, 7_000);
        assert_eq!(card.rating, Rating::Pass);

        // 施工机具 deducts 32 (10 + 10 + 10 + 2) → 68.00:
        //   95 × 70 + 5 × 68 = 6650 + 340 = 6990 → 69.90 → FAIL.
        let mut answers = all_at_70();
        set_machinery(&mut answers, &[("1", 10), ("2", 10), ("4", 10), ("3", 2)]);
        let card = score(&jgj59_2011(), &answers).unwrap();
        assert!(card.sheets.iter().all(|s| s.zeroed_reason.is_none()));
        assert_eq!(card.total_centi, 6_990);
        assert_eq!(card.rating, Rating::Fail);
    }

    // --- (g) errors --------------------------------------------------------------------------

    #[test]
    fn unknown_codes_are_errors() {
        let t = jgj59_2011();
        let err = score(&t, &[answer("scaffold_bamboo", &[])]).unwrap_err();
        assert_eq!(
            err,
            ScoreError::UnknownSheet {
                sheet: "scaffold_bamboo".to_owned()
            }
        );
        assert!(err.message_zh().contains("scaffold_bamboo"));

        let err = score(&t, &[answer("safety_management", &[("11", 1)])]).unwrap_err();
        assert_eq!(
            err,
            ScoreError::UnknownItem {
                sheet: "safety_management".to_owned(),
                item: "11".to_owned()
            }
        );
        assert!(err.message_zh().contains("11"));
    }

    #[test]
    fn duplicate_answers_are_errors() {
        let t = jgj59_2011();
        let err = score(
            &t,
            &[
                answer("tower_crane", &[]),
                answer("tower_crane", &[("1", 2)]),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err,
            ScoreError::DuplicateSheet {
                sheet: "tower_crane".to_owned()
            }
        );
        assert!(!err.message_zh().is_empty());

        let err = score(&t, &[answer("tower_crane", &[("1", 2), ("1", 3)])]).unwrap_err();
        assert_eq!(
            err,
            ScoreError::DuplicateItem {
                sheet: "tower_crane".to_owned(),
                item: "1".to_owned()
            }
        );
    }

    #[test]
    fn deductions_on_not_applicable_things_are_errors() {
        let t = jgj59_2011();
        let mut a = answer("tower_crane", &[]);
        a.items.push(ItemAnswer {
            item: "5".to_owned(),
            deduction: 4,
            not_applicable: true,
            note: None,
        });
        let err = score(&t, &[a]).unwrap_err();
        assert_eq!(
            err,
            ScoreError::DeductionOnNotApplicableItem {
                sheet: "tower_crane".to_owned(),
                item: "5".to_owned(),
                deduction: 4
            }
        );
        assert!(err.message_zh().contains("缺项"));

        let mut a = answer("tower_crane", &[("3", 2)]);
        a.not_applicable = true;
        let err = score(&t, &[a]).unwrap_err();
        assert_eq!(
            err,
            ScoreError::DeductionOnNotApplicableSheet {
                sheet: "tower_crane".to_owned(),
                item: "3".to_owned()
            }
        );
    }

    #[test]
    fn nothing_applicable_is_an_error() {
        let t = jgj59_2011();
        assert_eq!(score(&t, &[]), Err(ScoreError::NothingApplicable));
        // A sheet whose every item is not applicable is not applicable either.
        let a = SheetAnswer {
            sheet: "work_at_height".to_owned(),
            not_applicable: false,
            items: (1..=10).map(|n| na(&n.to_string())).collect(),
        };
        assert_eq!(score(&t, &[a]), Err(ScoreError::NothingApplicable));
        assert!(!ScoreError::NothingApplicable.message_zh().is_empty());
    }

    #[test]
    fn answers_and_scorecards_serialise() {
        let json = r#"[{"sheet":"safety_management","items":[{"item":"1","deduction":4}]}]"#;
        let answers: Vec<SheetAnswer> = serde_json::from_str(json).unwrap();
        let card = score(&jgj59_2011(), &answers).unwrap();
        assert_eq!(card.total_centi, 9_600);
        let text = serde_json::to_string(&card).unwrap();
        assert!(text.contains(r#""rating":"good""#));
        let back: Scorecard = serde_json::from_str(&text).unwrap();
        assert_eq!(back, card);
    }
}

//! How a hazard is classified (issue #7 item 4): a **major** accident hazard names the category
//! and the condition (article and item) of 《房屋市政工程生产安全重大事故隐患判定标准（2024版）》
//! (建质规〔2024〕5号, [`super::hazard_criteria`]) that it meets; a **general** hazard is not forced
//! into a major-hazard category but gets a general category: the ten inspection items of the
//! summary sheet of JGJ 59-2011 《建筑施工安全检查标准》 (表A, §4.0.2: 安全管理, 文明施工,
//! 脚手架, 基坑工程, 模板支架, 高处作业, 施工用电, 物料提升机与施工升降机, 塔式起重机与起重吊装,
//! 施工机具), the items the checklist of [`super::jgj59`] scores.
//!
//! The `hazard.category` column holds a general category code for a general hazard and a
//! major-hazard category code for a major one; the level says which.
use serde::{Deserialize, Serialize};

use super::hazard_criteria::{Criterion, HazardCategory, criterion_by_code};
use crate::entity::enums::HazardLevel;

/// 一般隐患类别 — the ten inspection items of JGJ 59-2011 表A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "GeneralHazardCategory")]
pub enum GeneralCategory {
    /// 安全管理 (safety management)
    SafetyManagement,
    /// 文明施工 (civilized construction: enclosure, site, materials, fire, living quarters)
    CivilizedConstruction,
    /// 脚手架 (scaffolding)
    Scaffolding,
    /// 基坑工程 (foundation pits)
    FoundationPit,
    /// 模板支架 (formwork supports)
    FormworkSupport,
    /// 高处作业 (work at height: 三宝、四口、临边)
    WorkAtHeight,
    /// 施工用电 (temporary electricity)
    TemporaryElectricity,
    /// 物料提升机与施工升降机 (material hoists and construction elevators)
    Hoists,
    /// 塔式起重机与起重吊装 (tower cranes and lifting)
    CranesAndLifting,
    /// 施工机具 (construction machinery and tools)
    ConstructionMachinery,
}

/// Every general category, in the order of JGJ 59-2011 表A.
pub const ALL_GENERAL: [GeneralCategory; 10] = [
    GeneralCategory::SafetyManagement,
    GeneralCategory::CivilizedConstruction,
    GeneralCategory::Scaffolding,
    GeneralCategory::FoundationPit,
    GeneralCategory::FormworkSupport,
    GeneralCategory::WorkAtHeight,
    GeneralCategory::TemporaryElectricity,
    GeneralCategory::Hoists,
    GeneralCategory::CranesAndLifting,
    GeneralCategory::ConstructionMachinery,
];

impl GeneralCategory {
    /// Stable code, equal to the serde and GraphQL name.
    pub fn code(self) -> &'static str {
        match self {
            Self::SafetyManagement => "SAFETY_MANAGEMENT",
            Self::CivilizedConstruction => "CIVILIZED_CONSTRUCTION",
            Self::Scaffolding => "SCAFFOLDING",
            Self::FoundationPit => "FOUNDATION_PIT",
            Self::FormworkSupport => "FORMWORK_SUPPORT",
            Self::WorkAtHeight => "WORK_AT_HEIGHT",
            Self::TemporaryElectricity => "TEMPORARY_ELECTRICITY",
            Self::Hoists => "HOISTS",
            Self::CranesAndLifting => "CRANES_AND_LIFTING",
            Self::ConstructionMachinery => "CONSTRUCTION_MACHINERY",
        }
    }

    /// The item's name in JGJ 59-2011 表A.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::SafetyManagement => "安全管理",
            Self::CivilizedConstruction => "文明施工",
            Self::Scaffolding => "脚手架",
            Self::FoundationPit => "基坑工程",
            Self::FormworkSupport => "模板支架",
            Self::WorkAtHeight => "高处作业",
            Self::TemporaryElectricity => "施工用电",
            Self::Hoists => "物料提升机与施工升降机",
            Self::CranesAndLifting => "塔式起重机与起重吊装",
            Self::ConstructionMachinery => "施工机具",
        }
    }

    /// The category with this code, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        ALL_GENERAL.into_iter().find(|c| c.code() == code)
    }

    /// The general category closest to a major-hazard category: used when a major hazard is
    /// reclassified as general without naming one, and by the migration that moved general
    /// hazards out of major-hazard categories. Categories without a JGJ 59 item of their own
    /// (confined spaces, demolition, reckless operation, banned techniques, other) fall under
    /// 安全管理; tunnels under 基坑工程 (underground works); temporary stockpiling under 文明施工
    /// (表B.2 材料管理).
    pub fn nearest(major: HazardCategory) -> Self {
        use HazardCategory as H;
        match major {
            H::FoundationPitAndSlope | H::Tunnel => Self::FoundationPit,
            H::FormworkAndShoring => Self::FormworkSupport,
            H::Scaffolding => Self::Scaffolding,
            H::HoistingMachinery => Self::CranesAndLifting,
            H::WorkAtHeight => Self::WorkAtHeight,
            H::TemporaryElectricity => Self::TemporaryElectricity,
            H::TemporaryStockpiling => Self::CivilizedConstruction,
            H::SafetyManagement
            | H::ConfinedSpace
            | H::Demolition
            | H::RecklessOperation
            | H::BannedTechniques
            | H::Other => Self::SafetyManagement,
        }
    }
}

/// A hazard's checked classification: what to store in `category` and `criterion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub category: String,
    pub criterion: Option<String>,
}

/// Why a classification is refused: the input field and a Chinese message.
pub type ClassError = (&'static str, String);

/// Checks a hazard's classification for its level. A general hazard needs a general category
/// (and no criterion); a major hazard needs the code of the condition it meets, and a category,
/// if given, must be that condition's.
pub fn classify(
    level: HazardLevel,
    category: Option<&str>,
    criterion: Option<&str>,
) -> Result<Classification, ClassError> {
    match level {
        HazardLevel::General => {
            if criterion.is_some() {
                return Err((
                    "criterion",
                    "一般事故隐患不引用重大事故隐患判定标准条款".into(),
                ));
            }
            let code = category.ok_or(("category", "一般事故隐患须选择隐患类别".into()))?;
            let c = GeneralCategory::from_code(code).ok_or((
                "category",
                "一般事故隐患的类别应为《建筑施工安全检查标准》（JGJ 59-2011）的检查项目之一"
                    .to_string(),
            ))?;
            Ok(Classification {
                category: c.code().to_owned(),
                criterion: None,
            })
        }
        HazardLevel::Major => {
            let code =
                criterion.ok_or(("criterion", "重大事故隐患须注明所符合的判定标准条款".into()))?;
            let c: &Criterion =
                criterion_by_code(code).ok_or(("criterion", "判定标准条款无效".to_string()))?;
            if let Some(given) = category
                && given != c.category.code()
            {
                return Err((
                    "criterion",
                    format!(
                        "{}属于“{}”，与所选类别不符",
                        c.article,
                        c.category.label_zh()
                    ),
                ));
            }
            Ok(Classification {
                category: c.category.code().to_owned(),
                criterion: Some(c.code()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn other_modules_name_exactly_these_categories() {
        // The list other modules check against before asking for hazards.
        let shared = jianan_contracts::inspections::GENERAL_HAZARD_CATEGORIES;
        let ours: Vec<&str> = ALL_GENERAL.iter().map(|c| c.code()).collect();
        assert_eq!(ours, shared.to_vec());
    }

    #[test]
    fn a_general_hazard_takes_a_jgj59_item_and_no_criterion() {
        let ok = classify(HazardLevel::General, Some("TEMPORARY_ELECTRICITY"), None).unwrap();
        assert_eq!(ok.category, "TEMPORARY_ELECTRICITY");
        assert_eq!(ok.criterion, None);
        // A major-hazard category that is not a JGJ 59 item, a missing one, a criterion.
        assert_eq!(
            classify(HazardLevel::General, Some("CONFINED_SPACE"), None)
                .unwrap_err()
                .0,
            "category"
        );
        assert_eq!(
            classify(HazardLevel::General, None, None).unwrap_err().0,
            "category"
        );
        assert_eq!(
            classify(
                HazardLevel::General,
                Some("SCAFFOLDING"),
                Some("SCAFFOLDING-1")
            )
            .unwrap_err()
            .0,
            "criterion"
        );
    }

    #[test]
    fn a_major_hazard_names_the_condition_it_meets() {
        // 第十条第（一）项 is the first condition of 施工临时用电.
        let ok = classify(HazardLevel::Major, None, Some("TEMPORARY_ELECTRICITY-1")).unwrap();
        assert_eq!(ok.category, "TEMPORARY_ELECTRICITY");
        assert_eq!(ok.criterion.as_deref(), Some("TEMPORARY_ELECTRICITY-1"));
        let same = classify(
            HazardLevel::Major,
            Some("TEMPORARY_ELECTRICITY"),
            Some("TEMPORARY_ELECTRICITY-1"),
        );
        assert_eq!(same.unwrap(), ok);
        // A condition of another article than the category given.
        let (field, msg) = classify(
            HazardLevel::Major,
            Some("SCAFFOLDING"),
            Some("TEMPORARY_ELECTRICITY-1"),
        )
        .unwrap_err();
        assert_eq!(field, "criterion");
        assert!(
            msg.contains("第十条") && msg.contains("施工临时用电"),
            "{msg}"
        );
        assert_eq!(
            classify(HazardLevel::Major, Some("SCAFFOLDING"), None)
                .unwrap_err()
                .0,
            "criterion"
        );
        assert_eq!(
            classify(HazardLevel::Major, None, Some("SCAFFOLDING-99"))
                .unwrap_err()
                .0,
            "criterion"
        );
    }

    #[test]
    fn every_major_category_has_a_nearest_general_one() {
        use super::super::hazard_criteria::ALL_CATEGORIES;
        for c in ALL_CATEGORIES {
            assert!(GeneralCategory::from_code(GeneralCategory::nearest(c).code()).is_some());
        }
        assert_eq!(
            GeneralCategory::nearest(HazardCategory::HoistingMachinery),
            GeneralCategory::CranesAndLifting
        );
    }
}

//! 房屋安全排查检查表 — the items a screener looks at, as data.
//!
//! Sources: 《农村住房安全性鉴定技术导则》（建村函〔2019〕200号）, which screens a rural house's
//! site, foundation, load-bearing members and roof, and JGJ 125-2016 《危险房屋鉴定标准》 §5
//! (dangerous-member criteria: foundation settlement, cracks in load-bearing walls, deformation
//! of load-bearing members, roof damage). The grouping into these ten items and their wording is
//! this module's own summary for the screening form; **to verify** against the texts, which were
//! not at hand when the table was written (clause numbers are deliberately not quoted).
//! Unauthorised alteration (擅自改扩建) and change of use come from the 2023 national campaign on
//! self-built houses (经营性自建房) — also **to verify**.

/// One item of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Stable code, SCREAMING_CASE, as clients send it.
    pub code: &'static str,
    /// 检查项
    pub name: &'static str,
    /// 所属部位
    pub part: &'static str,
    /// 依据 (to verify, see the module comment)
    pub source: &'static str,
}

const GUIDE: &str = "《农村住房安全性鉴定技术导则》（建村函〔2019〕200号）（待核实）";
const JGJ125: &str = "JGJ 125-2016《危险房屋鉴定标准》（待核实）";
const SELF_BUILT: &str = "全国自建房安全专项整治（待核实）";

/// The checklist, in the order of the form.
pub const ITEMS: &[Item] = &[
    Item {
        code: "SITE_HAZARD",
        name: "场地危险（滑坡、崩塌、泥石流、地面塌陷等地质灾害隐患）",
        part: "场地",
        source: GUIDE,
    },
    Item {
        code: "FOUNDATION_SETTLEMENT",
        name: "地基沉降",
        part: "地基基础",
        source: JGJ125,
    },
    Item {
        code: "WALL_CRACKS",
        name: "墙体裂缝",
        part: "墙体",
        source: JGJ125,
    },
    Item {
        code: "WALL_TILT",
        name: "墙体倾斜、鼓闪",
        part: "墙体",
        source: JGJ125,
    },
    Item {
        code: "MEMBER_DEFORMATION",
        name: "承重构件变形（梁、柱、屋架）",
        part: "承重构件",
        source: JGJ125,
    },
    Item {
        code: "MEMBER_DECAY",
        name: "承重构件腐朽、虫蛀、锈蚀",
        part: "承重构件",
        source: JGJ125,
    },
    Item {
        code: "ROOF_LEAK",
        name: "屋面漏水",
        part: "屋面",
        source: GUIDE,
    },
    Item {
        code: "ROOF_DAMAGE",
        name: "屋面塌陷、檩条椽子断裂",
        part: "屋面",
        source: JGJ125,
    },
    Item {
        code: "UNAUTHORISED_ALTERATION",
        name: "擅自改扩建（加层、拆改承重墙）",
        part: "使用",
        source: SELF_BUILT,
    },
    Item {
        code: "CHANGE_OF_USE",
        name: "擅自改变用途（改作经营、出租）",
        part: "使用",
        source: SELF_BUILT,
    },
];

/// The item with `code`.
pub fn item(code: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_screaming_case_and_every_item_cites_a_source() {
        let mut codes: Vec<&str> = ITEMS.iter().map(|i| i.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ITEMS.len());
        for i in ITEMS {
            assert!(
                i.code.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{}",
                i.code
            );
            assert!(!i.name.is_ascii() && !i.source.is_empty(), "{}", i.code);
        }
    }

    #[test]
    fn the_brief_s_items_are_there() {
        for name in [
            "地基沉降",
            "墙体裂缝",
            "承重构件变形",
            "屋面漏水",
            "擅自改扩建",
        ] {
            assert!(ITEMS.iter().any(|i| i.name.starts_with(name)), "{name}");
        }
        assert_eq!(item("WALL_CRACKS").map(|i| i.part), Some("墙体"));
        assert!(item("NOPE").is_none());
    }
}

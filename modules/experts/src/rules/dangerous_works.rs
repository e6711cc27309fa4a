//! 超过一定规模的危险性较大的分部分项工程 — which dangerous sub-projects are "beyond a certain
//! scale" and so need their special construction scheme reviewed by at least five experts.
//!
//! Sources: 《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号，2018年6月1日施行）
//! 第十二条 (expert review of schemes beyond a certain scale); 《住房城乡建设部办公厅关于实施〈危险性
//! 较大的分部分项工程安全管理规定〉有关问题的通知》（建办质〔2018〕31号）附件二《超过一定规模的危险性
//! 较大的分部分项工程范围》 (the thresholds below, one row per item of 附件二) and 第十条 (an expert
//! panel of at least five members who meet the requirements, none with an interest in the
//! project).
use crate::entity::enums::{DangerousWorkKind, Measure};

/// Experts a scheme review needs at least (建办质〔2018〕31号 第十条：专家组成员应当由5名及以上
/// 符合相关专业要求的专家组成).
pub const MIN_REVIEW_EXPERTS: usize = 5;

/// One threshold: a kind is beyond a certain scale when `measure` reaches `at_least`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub kind: DangerousWorkKind,
    pub measure: Measure,
    pub at_least: f64,
    /// The item of 附件二, in Chinese.
    pub basis: &'static str,
}

/// Kinds beyond a certain scale whatever their size.
pub const ALWAYS: &[(DangerousWorkKind, &str)] = &[
    (
        DangerousWorkKind::ToolFormwork,
        "附件二 二（一）工具式模板工程：包括滑模、爬模、飞模、隧道模等工程",
    ),
    (
        DangerousWorkKind::SpecialDemolition,
        "附件二 五：码头、桥梁、高架、烟囱、水塔或特殊建、构筑物的拆除；文物保护建筑、优秀历史建筑或历史文化风貌区影响范围内的拆除",
    ),
    (
        DangerousWorkKind::UndergroundExcavation,
        "附件二 六：采用矿山法、盾构法、顶管法施工的隧道、洞室工程",
    ),
    (
        DangerousWorkKind::Underwater,
        "附件二 七（四）：水下作业工程",
    ),
    (
        DangerousWorkKind::NewTechnology,
        "附件二 七（六）：采用新技术、新工艺、新材料、新设备可能影响工程施工安全，尚无国家、行业及地方技术标准的分部分项工程",
    ),
];

/// The thresholds of 附件二, as data.
pub const THRESHOLDS: &[Threshold] = &[
    Threshold {
        kind: DangerousWorkKind::DeepExcavation,
        measure: Measure::DepthM,
        at_least: 5.0,
        basis: "附件二 一：开挖深度超过5m（含5m）的基坑（槽）的土方开挖、支护、降水工程",
    },
    Threshold {
        kind: DangerousWorkKind::FormworkSupport,
        measure: Measure::HeightM,
        at_least: 8.0,
        basis: "附件二 二（二）：混凝土模板支撑工程搭设高度8m及以上",
    },
    Threshold {
        kind: DangerousWorkKind::FormworkSupport,
        measure: Measure::SpanM,
        at_least: 18.0,
        basis: "附件二 二（二）：混凝土模板支撑工程搭设跨度18m及以上",
    },
    Threshold {
        kind: DangerousWorkKind::FormworkSupport,
        measure: Measure::AreaLoadKnM2,
        at_least: 15.0,
        basis: "附件二 二（二）：施工总荷载（设计值）15kN/m²及以上",
    },
    Threshold {
        kind: DangerousWorkKind::FormworkSupport,
        measure: Measure::LineLoadKnM,
        at_least: 20.0,
        basis: "附件二 二（二）：集中线荷载（设计值）20kN/m及以上",
    },
    Threshold {
        kind: DangerousWorkKind::LoadBearingSupport,
        measure: Measure::PointLoadKn,
        at_least: 7.0,
        basis: "附件二 二（三）：承重支撑体系承受单点集中荷载7kN及以上",
    },
    Threshold {
        kind: DangerousWorkKind::UnconventionalLifting,
        measure: Measure::WeightKn,
        at_least: 100.0,
        basis: "附件二 三（一）：采用非常规起重设备、方法，且单件起吊重量在100kN及以上",
    },
    Threshold {
        kind: DangerousWorkKind::CraneInstallation,
        measure: Measure::CapacityKn,
        at_least: 300.0,
        basis: "附件二 三（二）：起重量300kN及以上的起重机械安装和拆卸",
    },
    Threshold {
        kind: DangerousWorkKind::CraneInstallation,
        measure: Measure::HeightM,
        at_least: 200.0,
        basis: "附件二 三（二）：搭设总高度200m及以上，或搭设基础标高在200m及以上的起重机械安装和拆卸",
    },
    Threshold {
        kind: DangerousWorkKind::FloorScaffold,
        measure: Measure::HeightM,
        at_least: 50.0,
        basis: "附件二 四（一）：搭设高度50m及以上的落地式钢管脚手架工程",
    },
    Threshold {
        kind: DangerousWorkKind::AttachedLiftingScaffold,
        measure: Measure::HeightM,
        at_least: 150.0,
        basis: "附件二 四（二）：提升高度在150m及以上的附着式升降脚手架工程或附着式升降操作平台工程",
    },
    Threshold {
        kind: DangerousWorkKind::CantileverScaffold,
        measure: Measure::HeightM,
        at_least: 20.0,
        basis: "附件二 四（三）：分段架体搭设高度20m及以上的悬挑式脚手架工程",
    },
    Threshold {
        kind: DangerousWorkKind::CurtainWall,
        measure: Measure::HeightM,
        at_least: 50.0,
        basis: "附件二 七（一）：施工高度50m及以上的建筑幕墙安装工程",
    },
    Threshold {
        kind: DangerousWorkKind::SteelStructure,
        measure: Measure::SpanM,
        at_least: 36.0,
        basis: "附件二 七（二）：跨度36m及以上的钢结构安装工程",
    },
    Threshold {
        kind: DangerousWorkKind::SpaceFrame,
        measure: Measure::SpanM,
        at_least: 60.0,
        basis: "附件二 七（二）：跨度60m及以上的网架和索膜结构安装工程",
    },
    Threshold {
        kind: DangerousWorkKind::ManualDugPile,
        measure: Measure::DepthM,
        at_least: 16.0,
        basis: "附件二 七（三）：开挖深度16m及以上的人工挖孔桩工程",
    },
    Threshold {
        kind: DangerousWorkKind::HeavyJacking,
        measure: Measure::WeightKn,
        at_least: 1000.0,
        basis: "附件二 七（五）：重量1000kN及以上的大型结构整体顶升、平移、转体等施工工艺",
    },
];

/// Whether a dangerous sub-project of `kind` with `measures` is beyond a certain scale, and the
/// item of 附件二 that makes it so (the first that applies). Other demolition
/// ([`DangerousWorkKind::Demolition`]) is a dangerous sub-project but never beyond the scale.
pub fn beyond_scale(kind: DangerousWorkKind, measures: &[(Measure, f64)]) -> Option<&'static str> {
    if let Some((_, basis)) = ALWAYS.iter().find(|(k, _)| *k == kind) {
        return Some(basis);
    }
    THRESHOLDS
        .iter()
        .filter(|t| t.kind == kind)
        .find(|t| {
            measures
                .iter()
                .any(|(m, v)| *m == t.measure && *v >= t.at_least)
        })
        .map(|t| t.basis)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn excavations_from_five_metres_are_beyond_the_scale() {
        let k = DangerousWorkKind::DeepExcavation;
        assert!(beyond_scale(k, &[(Measure::DepthM, 4.9)]).is_none());
        assert!(beyond_scale(k, &[(Measure::DepthM, 5.0)]).is_some());
        // A measure another kind looks at does not count.
        assert!(beyond_scale(k, &[(Measure::HeightM, 60.0)]).is_none());
    }

    #[test]
    fn formwork_support_reaches_the_scale_by_any_of_its_four_measures() {
        let k = DangerousWorkKind::FormworkSupport;
        assert!(beyond_scale(k, &[(Measure::HeightM, 7.5), (Measure::SpanM, 12.0)]).is_none());
        assert!(beyond_scale(k, &[(Measure::HeightM, 7.5), (Measure::SpanM, 18.0)]).is_some());
        assert!(beyond_scale(k, &[(Measure::AreaLoadKnM2, 15.0)]).is_some());
        assert!(beyond_scale(k, &[(Measure::LineLoadKnM, 19.9)]).is_none());
    }

    #[test]
    fn some_kinds_are_always_beyond_and_other_demolition_never() {
        assert!(beyond_scale(DangerousWorkKind::UndergroundExcavation, &[]).is_some());
        assert!(
            beyond_scale(DangerousWorkKind::Demolition, &[(Measure::HeightM, 100.0)]).is_none()
        );
        assert!(
            beyond_scale(
                DangerousWorkKind::CantileverScaffold,
                &[(Measure::HeightM, 20.0)]
            )
            .is_some()
        );
    }
}

//! Major accident hazards of housing and municipal works: the criteria of
//! 《房屋市政工程生产安全重大事故隐患判定标准（2024版）》(建质规〔2024〕5号), the two hazard
//! levels, and the five implementations (五落实) required to treat a major hazard.
//!
//! # Source and verification status
//!
//! The criteria below are transcribed article by article from the 2024 standard (eighteen
//! articles; 第四条 to 第十七条 hold the conditions). The transcription was taken from a
//! third-party knowledge base that pins the text of the attachment republished by the Dongguan
//! housing bureau (zjj.dg.gov.cn, attachment `4323450.docx`), and it reproduces that pinned text
//! exactly (its SHA-256 fingerprint matches). It has **not** been checked against the copy
//! published by the Ministry of Housing and Urban-Rural Development (住房和城乡建设部) itself:
//! **wording to verify against the published text** before the wording is shown as a quotation.
//! The same source gives 2024-12-13 as the date of issue and entry into force (第十八条: the
//! standard applies from its date of issue); that date is also to verify.
//!
//! A later check (issue #7 item 9, recorded in `docs/legal-sources.md`) found no official copy of
//! the 2024 text either: the Hainan housing department's notice 琼建质〔2025〕38号 confirms that the
//! ministry issued the 2024 version, and the number 建质规〔2024〕5号 appears with its title only in
//! third-party copies. The repealed 2022 version, 建质规〔2022〕2号 of 2022-04-19, was checked
//! against republished copies of the ministry's notice.
//!
//! Only the trailing full stop or semicolon of each item has been dropped. 第五条第（四）项 keeps
//! its four numbered warning signs in one criterion, because the standard counts it as one item.
//!
//! # Changes from the 2022 version
//!
//! 第十八条 repeals 《房屋市政工程生产安全重大事故隐患判定标准（2022版）》(建质规〔2022〕2号).
//! Against the 2022 version, the 2024 version
//! - widens 基坑工程 to 基坑、边坡工程 (第五条) and 模板工程 to 模板工程及支撑体系 (第六条);
//! - replaces 暗挖工程 by 隧道工程 (第十三条), adding shield tunnelling and rail-transit
//!   protection zones;
//! - adds two categories: 施工临时堆载 (第十四条) and 冒险作业 (第十五条);
//! - renumbers the banned-techniques article to 第十六条 and the catch-all to 第十七条.
//!
//! It has no separate article for manual bored piles (人工挖孔桩), curtain walls (建筑幕墙) or
//! steel and space structures: steel-structure and space-frame erection supports appear only as a
//! work-at-height item (第九条第（一）、（二）项).

use serde::{Deserialize, Serialize};

use HazardCategory as H;

/// Official title of the standard the criteria come from.
pub const STANDARD_TITLE: &str = "房屋市政工程生产安全重大事故隐患判定标准（2024版）";

/// Document number of the standard the criteria come from.
pub const STANDARD_DOCUMENT_NUMBER: &str = "建质规〔2024〕5号";

/// Document number of the 2022 version, repealed by 第十八条 of the 2024 version.
pub const SUPERSEDED_DOCUMENT_NUMBER: &str = "建质规〔2022〕2号";

/// A category of conditions in 建质规〔2024〕5号: one per article from 第四条 to 第十七条.
///
/// Serialised as the `SCREAMING_SNAKE_CASE` variant name, which [`HazardCategory::code`] also
/// returns; store the code, not the article number, because article numbers changed between the
/// 2022 and the 2024 versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HazardCategory {
    /// 第四条 施工安全管理: permits, qualifications, certificates, dangerous sub-project schemes
    /// and acceptance.
    SafetyManagement,
    /// 第五条 基坑、边坡工程: foundation pits and slopes (2022: 基坑工程).
    FoundationPitAndSlope,
    /// 第六条 模板工程及支撑体系: formwork and its shoring.
    FormworkAndShoring,
    /// 第七条 脚手架工程: scaffolding.
    Scaffolding,
    /// 第八条 建筑起重机械及吊装工程: construction hoisting machinery and lifting.
    HoistingMachinery,
    /// 第九条 高处作业: work at height.
    WorkAtHeight,
    /// 第十条 施工临时用电: temporary electricity.
    TemporaryElectricity,
    /// 第十一条 有限空间作业: confined spaces.
    ConfinedSpace,
    /// 第十二条 拆除工程: demolition.
    Demolition,
    /// 第十三条 隧道工程: tunnels (2022: 暗挖工程, underground excavation).
    Tunnel,
    /// 第十四条 施工临时堆载: temporary stockpiling loads (new in 2024).
    TemporaryStockpiling,
    /// 第十五条 冒险作业: reckless operations (new in 2024).
    RecklessOperation,
    /// 第十六条: use of techniques, equipment and materials the state bans or restricts.
    BannedTechniques,
    /// 第十七条: other serious violations carrying a real danger of mass casualties or major loss.
    Other,
}

/// Every category, in the order of the standard's articles.
pub const ALL_CATEGORIES: [HazardCategory; 14] = [
    HazardCategory::SafetyManagement,
    HazardCategory::FoundationPitAndSlope,
    HazardCategory::FormworkAndShoring,
    HazardCategory::Scaffolding,
    HazardCategory::HoistingMachinery,
    HazardCategory::WorkAtHeight,
    HazardCategory::TemporaryElectricity,
    HazardCategory::ConfinedSpace,
    HazardCategory::Demolition,
    HazardCategory::Tunnel,
    HazardCategory::TemporaryStockpiling,
    HazardCategory::RecklessOperation,
    HazardCategory::BannedTechniques,
    HazardCategory::Other,
];

impl HazardCategory {
    /// Name of the category as the standard words it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::SafetyManagement => "施工安全管理",
            Self::FoundationPitAndSlope => "基坑、边坡工程",
            Self::FormworkAndShoring => "模板工程及支撑体系",
            Self::Scaffolding => "脚手架工程",
            Self::HoistingMachinery => "建筑起重机械及吊装工程",
            Self::WorkAtHeight => "高处作业",
            Self::TemporaryElectricity => "施工临时用电",
            Self::ConfinedSpace => "有限空间作业",
            Self::Demolition => "拆除工程",
            Self::Tunnel => "隧道工程",
            Self::TemporaryStockpiling => "施工临时堆载",
            Self::RecklessOperation => "冒险作业",
            Self::BannedTechniques => "使用国家明令禁止和限制使用的施工工艺、设备和材料",
            Self::Other => "其他",
        }
    }

    /// Stable code, equal to the serde name.
    pub fn code(self) -> &'static str {
        match self {
            Self::SafetyManagement => "SAFETY_MANAGEMENT",
            Self::FoundationPitAndSlope => "FOUNDATION_PIT_AND_SLOPE",
            Self::FormworkAndShoring => "FORMWORK_AND_SHORING",
            Self::Scaffolding => "SCAFFOLDING",
            Self::HoistingMachinery => "HOISTING_MACHINERY",
            Self::WorkAtHeight => "WORK_AT_HEIGHT",
            Self::TemporaryElectricity => "TEMPORARY_ELECTRICITY",
            Self::ConfinedSpace => "CONFINED_SPACE",
            Self::Demolition => "DEMOLITION",
            Self::Tunnel => "TUNNEL",
            Self::TemporaryStockpiling => "TEMPORARY_STOCKPILING",
            Self::RecklessOperation => "RECKLESS_OPERATION",
            Self::BannedTechniques => "BANNED_TECHNIQUES",
            Self::Other => "OTHER",
        }
    }

    /// The category with this code, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        ALL_CATEGORIES.into_iter().find(|c| c.code() == code)
    }

    /// The article of 建质规〔2024〕5号 that lists the category's conditions.
    pub fn article(self) -> &'static str {
        match self {
            Self::SafetyManagement => "第四条",
            Self::FoundationPitAndSlope => "第五条",
            Self::FormworkAndShoring => "第六条",
            Self::Scaffolding => "第七条",
            Self::HoistingMachinery => "第八条",
            Self::WorkAtHeight => "第九条",
            Self::TemporaryElectricity => "第十条",
            Self::ConfinedSpace => "第十一条",
            Self::Demolition => "第十二条",
            Self::Tunnel => "第十三条",
            Self::TemporaryStockpiling => "第十四条",
            Self::RecklessOperation => "第十五条",
            Self::BannedTechniques => "第十六条",
            Self::Other => "第十七条",
        }
    }
}

/// One condition of 建质规〔2024〕5号 that, when present, is to be judged a major accident hazard
/// (应判定为重大事故隐患).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Criterion {
    /// Category, i.e. the article the condition belongs to.
    pub category: HazardCategory,
    /// Article and item, e.g. `"第四条第（一）项"`; an article without items is cited alone.
    pub article: &'static str,
    /// Text of the condition (wording to verify against the published text).
    pub text: &'static str,
}

const fn c(category: HazardCategory, article: &'static str, text: &'static str) -> Criterion {
    Criterion {
        category,
        article,
        text,
    }
}

static CRITERIA: [Criterion; 53] = [
    // 第四条 施工安全管理有下列情形之一的，应判定为重大事故隐患：
    c(
        H::SafetyManagement,
        "第四条第（一）项",
        "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动或超（无）资质承揽工程",
    ),
    c(
        H::SafetyManagement,
        "第四条第（二）项",
        "建筑施工企业未按照规定要求足额配备安全生产管理人员，或其主要负责人、项目负责人、专职安全生产管理人员未取得有效安全生产考核合格证书从事相关工作",
    ),
    c(
        H::SafetyManagement,
        "第四条第（三）项",
        "建筑施工特种作业人员未取得有效特种作业人员操作资格证书上岗作业",
    ),
    c(
        H::SafetyManagement,
        "第四条第（四）项",
        "危险性较大的分部分项工程未编制、未审核专项施工方案，或专项施工方案存在严重缺陷的，或未按规定组织专家对“超过一定规模的危险性较大的分部分项工程范围”的专项施工方案进行论证",
    ),
    c(
        H::SafetyManagement,
        "第四条第（五）项",
        "对于按照规定需要验收的危险性较大的分部分项工程，未经验收合格即进入下一道工序或投入使用",
    ),
    // 第五条 基坑、边坡工程有下列情形之一的，应判定为重大事故隐患：
    c(
        H::FoundationPitAndSlope,
        "第五条第（一）项",
        "未对因基坑、边坡工程施工可能造成损害的毗邻建筑物、构筑物和地下管线等，采取专项防护措施",
    ),
    c(
        H::FoundationPitAndSlope,
        "第五条第（二）项",
        "基坑、边坡土方超挖且未采取有效措施",
    ),
    c(
        H::FoundationPitAndSlope,
        "第五条第（三）项",
        "深基坑、高边坡（一级、二级）施工未进行第三方监测",
    ),
    c(
        H::FoundationPitAndSlope,
        "第五条第（四）项",
        "有下列基坑、边坡坍塌风险预兆之一，且未及时处理：1.支护结构或周边建筑物变形值超过设计变形控制值；2.基坑侧壁出现大量漏水、流土；3.基坑底部出现管涌或突涌；4.桩间土流失孔洞深度超过桩径",
    ),
    // 第六条 模板工程及支撑体系有下列情形之一的，应判定为重大事故隐患：
    c(
        H::FormworkAndShoring,
        "第六条第（一）项",
        "模板支架的基础承载力和变形不满足设计要求",
    ),
    c(
        H::FormworkAndShoring,
        "第六条第（二）项",
        "模板支架承受的施工荷载超过设计值",
    ),
    c(
        H::FormworkAndShoring,
        "第六条第（三）项",
        "模板支架拆除及滑模、爬模爬升时，混凝土强度未达到设计或规范要求",
    ),
    c(
        H::FormworkAndShoring,
        "第六条第（四）项",
        "危险性较大的混凝土模板支撑工程未按专项施工方案要求的顺序或分层厚度浇筑混凝土",
    ),
    // 第七条 脚手架工程有下列情形之一的，应判定为重大事故隐患：
    c(
        H::Scaffolding,
        "第七条第（一）项",
        "脚手架工程的基础承载力和变形不满足设计要求",
    ),
    c(
        H::Scaffolding,
        "第七条第（二）项",
        "未设置连墙件或连墙件整层缺失",
    ),
    c(
        H::Scaffolding,
        "第七条第（三）项",
        "附着式升降脚手架的防倾覆、防坠落或同步升降控制装置不符合设计要求、失效或缺失",
    ),
    // 第八条 建筑起重机械及吊装工程有下列情形之一的，应判定为重大事故隐患：
    c(
        H::HoistingMachinery,
        "第八条第（一）项",
        "塔式起重机、施工升降机、物料提升机等起重机械设备未经验收合格即投入使用，或未按规定办理使用登记",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（二）项",
        "建筑起重机械的基础承载力和变形不满足设计要求",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（三）项",
        "建筑起重机械安装、拆卸、爬升（降）以及附着前未对结构件、爬升装置和附着装置以及高强度螺栓、销轴、定位板等连接件及安全装置进行检查",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（四）项",
        "建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（五）项",
        "建筑起重机械主要受力构件有可见裂纹、严重锈蚀、塑性变形、开焊，或其连接螺栓、销轴缺失或失效",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（六）项",
        "施工升降机附着间距和最高附着以上的最大悬高及垂直度不符合规范要求",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（七）项",
        "塔式起重机独立起升高度、附着间距和最高附着以上的最大悬高及垂直度不符合规范要求",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（八）项",
        "塔式起重机与周边建（构）筑物或群塔作业未保持安全距离",
    ),
    c(
        H::HoistingMachinery,
        "第八条第（九）项",
        "使用达到报废标准的建筑起重机械，或使用达到报废标准的吊索具进行起重吊装作业",
    ),
    // 第九条 高处作业有下列情形之一的，应判定为重大事故隐患：
    c(
        H::WorkAtHeight,
        "第九条第（一）项",
        "钢结构、网架安装用支撑结构基础承载力和变形不满足设计要求，钢结构、网架安装用支撑结构超过设计承载力或未按设计要求设置防倾覆装置",
    ),
    c(
        H::WorkAtHeight,
        "第九条第（二）项",
        "单榀钢桁架（屋架）等预制构件安装时未采取防失稳措施",
    ),
    c(
        H::WorkAtHeight,
        "第九条第（三）项",
        "悬挑式卸料平台的搁置点、拉结点、支撑点未设置在稳定的主体结构上，且未做可靠连接",
    ),
    c(
        H::WorkAtHeight,
        "第九条第（四）项",
        "脚手架与结构外表面之间贯通未采取水平防护措施，或电梯井道内贯通未采取水平防护措施且电梯井口未设置防护门",
    ),
    c(
        H::WorkAtHeight,
        "第九条第（五）项",
        "高处作业吊篮超载使用，或安全锁失效、安全绳（用于挂设安全带）未独立悬挂",
    ),
    // 第十条 施工临时用电有下列情形之一的，应判定为重大事故隐患：
    c(
        H::TemporaryElectricity,
        "第十条第（一）项",
        "特殊作业环境（通风不畅、高温、有导电灰尘、相对湿度长期超过75%、泥泞、存在积水或其他导电液体等不利作业环境）照明未按规定使用安全电压",
    ),
    c(
        H::TemporaryElectricity,
        "第十条第（二）项",
        "在建工程及脚手架、机械设备、场内机动车道与外电架空线路之间的安全距离不符合规范要求且未采取防护措施",
    ),
    // 第十一条 有限空间作业有下列情形之一的，应判定为重大事故隐患：
    c(
        H::ConfinedSpace,
        "第十一条第（一）项",
        "未辨识施工现场有限空间，且未在显著位置设置警示标志",
    ),
    c(
        H::ConfinedSpace,
        "第十一条第（二）项",
        "有限空间作业未履行“作业审批制度”，未对施工人员进行专项安全教育培训，未执行“先通风、再检测、后作业”原则",
    ),
    c(
        H::ConfinedSpace,
        "第十一条第（三）项",
        "有限空间作业时现场无专人负责监护工作，或无专职安全生产管理人员现场监督",
    ),
    c(
        H::ConfinedSpace,
        "第十一条第（四）项",
        "有限空间作业现场未配备必要的气体检测、机械通风、呼吸防护及应急救援设施设备",
    ),
    // 第十二条 拆除工程有下列情形之一的，应判定为重大事故隐患：
    c(
        H::Demolition,
        "第十二条第（一）项",
        "装饰装修工程拆除承重结构未经原设计单位或具有相应资质条件的设计单位进行结构复核",
    ),
    c(
        H::Demolition,
        "第十二条第（二）项",
        "拆除施工作业顺序不符合规范和施工方案要求",
    ),
    // 第十三条 隧道工程有下列情形之一的，应判定为重大事故隐患：
    c(
        H::Tunnel,
        "第十三条第（一）项",
        "作业面带水施工未采取相关措施，或地下水控制措施失效且继续施工",
    ),
    c(
        H::Tunnel,
        "第十三条第（二）项",
        "施工时出现涌水、涌沙、局部坍塌，支护结构扭曲变形或出现裂缝，未及时采取措施",
    ),
    c(
        H::Tunnel,
        "第十三条第（三）项",
        "未按规范或施工方案要求选择开挖、支护方法，或未按规定开展超前地质预报、监控量测，或监测数据超过设计控制值且未及时采取措施",
    ),
    c(
        H::Tunnel,
        "第十三条第（四）项",
        "盾构机始发、接收端头未按设计进行加固，或加固效果未达到要求且未采取措施即开始施工",
    ),
    c(
        H::Tunnel,
        "第十三条第（五）项",
        "盾构机盾尾密封失效、铰链部位发生渗漏仍继续掘进作业，或盾构机带压开仓检查换刀未按有关规定实施",
    ),
    c(
        H::Tunnel,
        "第十三条第（六）项",
        "未对因施工可能造成损害的毗邻建筑物、构筑物和地下管线等，采取专项防护措施",
    ),
    c(
        H::Tunnel,
        "第十三条第（七）项",
        "未经批准，在轨道交通工程安全保护区范围内进行新（改、扩）建建（构）筑物、敷设管线、架空、挖掘、爆破等作业",
    ),
    // 第十四条 施工临时堆载有下列情形之一的，应判定为重大事故隐患：
    c(
        H::TemporaryStockpiling,
        "第十四条第（一）项",
        "基坑周边堆载超过设计允许值",
    ),
    c(
        H::TemporaryStockpiling,
        "第十四条第（二）项",
        "无支护基坑（槽）周边，在坑底边线周边与开挖深度相等范围内堆载",
    ),
    c(
        H::TemporaryStockpiling,
        "第十四条第（三）项",
        "楼板、屋面和地下室顶板等结构构件或脚手架上堆载超过设计允许值",
    ),
    // 第十五条 存在以下冒险作业情形之一的，应判定为重大事故隐患：
    c(
        H::RecklessOperation,
        "第十五条第（一）项",
        "使用混凝土泵车、打桩设备、汽车起重机、履带起重机等大型机械设备，未校核其运行路线及作业位置承载能力",
    ),
    c(
        H::RecklessOperation,
        "第十五条第（二）项",
        "在雷雨、大雪、浓雾或大风等恶劣天气条件下违规进行吊装作业、设备安装、拆卸和高处作业",
    ),
    c(
        H::RecklessOperation,
        "第十五条第（三）项",
        "施工现场使用塔式起重机、汽车起重机、履带起重机或轮胎起重机等非载人设备吊运人员",
    ),
    // 第十六条 (a single condition, no items).
    c(
        H::BannedTechniques,
        "第十六条",
        "使用国家明令禁止和限制使用的危害程度较大、可能导致群死群伤或造成重大经济损失的施工工艺、设备和材料",
    ),
    // 第十七条 (a single condition, no items).
    c(
        H::Other,
        "第十七条",
        "其他严重违反房屋市政工程安全生产法律法规、部门规章及强制性标准，且存在危害程度较大、可能导致群死群伤或造成重大经济损失的现实危险",
    ),
];

/// Every condition of 建质规〔2024〕5号, in the standard's order (53 items).
pub fn criteria() -> &'static [Criterion] {
    &CRITERIA
}

/// The conditions of one category, in the standard's order.
pub fn criteria_of(category: HazardCategory) -> impl Iterator<Item = &'static Criterion> {
    CRITERIA.iter().filter(move |c| c.category == category)
}

impl Criterion {
    /// Stable code of the condition: its category's code and its position within the article,
    /// e.g. `SCAFFOLDING-2` for 第七条第（二）项. An article without items is `…-1`.
    pub fn code(&self) -> String {
        let n = criteria_of(self.category)
            .position(|c| c.article == self.article)
            .map_or(0, |i| i + 1);
        format!("{}-{n}", self.category.code())
    }
}

/// The condition with this code ([`Criterion::code`]), if any.
pub fn criterion_by_code(code: &str) -> Option<&'static Criterion> {
    let (category, n) = code.rsplit_once('-')?;
    let category = HazardCategory::from_code(category)?;
    let n: usize = n.parse().ok()?;
    criteria_of(category).nth(n.checked_sub(1)?)
}

/// The level of a hazard and the five implementations live with the database enums:
/// [`crate::entity::enums::HazardLevel`] and [`crate::entity::enums::Implementation`].
pub use crate::entity::enums::{HazardLevel, Implementation};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use std::collections::HashSet;

    #[test]
    fn criterion_codes_name_the_article_and_item() {
        // 第七条 脚手架工程, item (二); 第四条 item (一); 第十七条 has one condition only.
        let c = criterion_by_code("SCAFFOLDING-2").unwrap();
        assert_eq!(c.article, "第七条第（二）项");
        assert_eq!(c.code(), "SCAFFOLDING-2");
        assert_eq!(
            criterion_by_code("SAFETY_MANAGEMENT-1").unwrap().article,
            "第四条第（一）项"
        );
        assert_eq!(
            criterion_by_code("OTHER-1").unwrap().category,
            HazardCategory::Other
        );
        for bad in [
            "SCAFFOLDING-0",
            "SCAFFOLDING-99",
            "SCAFFOLDING",
            "NOPE-1",
            "SCAFFOLDING-x",
        ] {
            assert!(criterion_by_code(bad).is_none(), "{bad}");
        }
        // Every code round-trips and is unique.
        let codes: HashSet<String> = criteria().iter().map(Criterion::code).collect();
        assert_eq!(codes.len(), criteria().len());
        for c in criteria() {
            assert_eq!(criterion_by_code(&c.code()), Some(c));
        }
    }

    #[test]
    fn every_category_has_a_criterion() {
        for category in ALL_CATEGORIES {
            assert!(
                criteria_of(category).next().is_some(),
                "{category:?} has no criterion"
            );
        }
    }

    #[test]
    fn item_counts_follow_the_standard() {
        let counts: Vec<usize> = ALL_CATEGORIES
            .into_iter()
            .map(|c| criteria_of(c).count())
            .collect();
        assert_eq!(counts, [5, 4, 4, 3, 9, 5, 2, 4, 2, 7, 3, 3, 1, 1]);
        assert_eq!(criteria().len(), 53);
    }

    #[test]
    fn every_criterion_is_cited_under_its_categorys_article() {
        let mut articles = HashSet::new();
        for criterion in criteria() {
            assert!(criterion.article.starts_with(criterion.category.article()));
            let rest = &criterion.article[criterion.category.article().len()..];
            assert!(rest.is_empty() || (rest.starts_with("第（") && rest.ends_with("）项")));
            assert!(
                articles.insert(criterion.article),
                "{} twice",
                criterion.article
            );
            assert!(!criterion.text.is_empty());
            assert!(!criterion.text.ends_with('；') && !criterion.text.ends_with('。'));
        }
    }

    #[test]
    fn criteria_are_in_article_order() {
        let mut last = 0;
        for criterion in criteria() {
            let index = ALL_CATEGORIES
                .iter()
                .position(|c| *c == criterion.category)
                .unwrap();
            assert!(index >= last);
            last = index;
        }
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        let codes: HashSet<_> = ALL_CATEGORIES.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), ALL_CATEGORIES.len());
        for category in ALL_CATEGORIES {
            assert_eq!(HazardCategory::from_code(category.code()), Some(category));
        }
        assert_eq!(HazardCategory::from_code("UNDERGROUND_EXCAVATION"), None);
    }

    #[test]
    fn labels_are_non_empty_and_unique() {
        let labels: HashSet<_> = ALL_CATEGORIES.iter().map(|c| c.label_zh()).collect();
        assert_eq!(labels.len(), ALL_CATEGORIES.len());
        assert!(labels.iter().all(|l| !l.is_empty()));
        let articles: HashSet<_> = ALL_CATEGORIES.iter().map(|c| c.article()).collect();
        assert_eq!(articles.len(), ALL_CATEGORIES.len());
    }

    #[test]
    fn category_serde_is_screaming_snake_case_and_equals_code() {
        for category in ALL_CATEGORIES {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.code()));
            let back: HazardCategory = serde_json::from_str(&json).unwrap();
            assert_eq!(back, category);
        }
        assert_eq!(
            serde_json::to_string(&HazardCategory::FoundationPitAndSlope).unwrap(),
            "\"FOUNDATION_PIT_AND_SLOPE\""
        );
        assert!(serde_json::from_str::<HazardCategory>("\"FoundationPitAndSlope\"").is_err());
    }
}

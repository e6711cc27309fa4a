//! Deterministic demo data for `jianan seed --demo`: the commission, its
//! departments, the district's townships and streets, partner agencies,
//! 200 enterprises, 150 projects and one login per role.
//!
//! Everything here is plain Rust data built by pure functions: no database,
//! ORM or random-number crate. A tiny SplitMix64 generator with fixed seeds
//! makes every call return exactly the same data, so tests and the demo can
//! rely on indices (e.g. `projects()[0].contractor`).
//!
//! Sources:
//! - the commission and its member units: the plan 武隆建发〔2021〕69号,
//!   section 二 "组织机构" (`shared/seed/ten-measures.zh.txt`);
//! - townships and streets: 渝府〔2020〕18号 (2020-04-22), after which 武隆区
//!   has 4 streets, 10 towns and 12 townships (26 units);
//! - unified social credit codes: GB 32100-2015 (see [`crate::uscc`]), with a
//!   GB 11714 organisation code inside;
//! - resident identity numbers: GB 11643-1999.
//!
//! Enterprise, project and person names, addresses, phone and ID numbers
//! are fictitious; any resemblance to a real one is accidental.

use std::collections::HashSet;

use crate::uscc;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "jianan-demo";

/// Org code of the commission (区住房城乡建委).
pub const COMMISSION: &str = "COMMISSION";
/// Org code of 质量安全服务中心 (质安中心), which hosts the leadership group's office.
pub const DEPT_SAFETY: &str = "DEPT-SAFETY";
/// Org code of 建管科.
pub const DEPT_CONSTRUCTION: &str = "DEPT-CONSTRUCTION";
/// Org code of 白马镇, the township of the demo township account.
pub const TS_BAIMA: &str = "TS-BAIMA";
/// Org code of 武隆区市场监督管理局.
pub const EXT_MARKET: &str = "EXT-MARKET";

/// Unified region code (GB/T 2260) of 武隆区 (500232 武隆县 until 2016). The county became a
/// district in November 2016 (checked); the two codes are to verify against the published list.
pub const WULONG_REGION: &str = "500156";

// ---------------------------------------------------------------------------
// Org units
// ---------------------------------------------------------------------------

/// Kind of an organisational unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgKind {
    /// 区住房城乡建委 itself.
    Commission,
    /// A department (科室) or affiliated institution (委属事业单位) of the commission.
    Department,
    /// A town (镇) or township (乡, incl. 民族乡).
    Township,
    /// A street (街道).
    Street,
    /// Another district agency.
    ExternalAgency,
}

impl OrgKind {
    /// Chinese term.
    pub fn label_zh(self) -> &'static str {
        match self {
            OrgKind::Commission => "区住房城乡建委",
            OrgKind::Department => "科室（委属单位）",
            OrgKind::Township => "乡镇",
            OrgKind::Street => "街道",
            OrgKind::ExternalAgency => "区级部门",
        }
    }
}

/// An organisational unit of the demo district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOrgUnit {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: OrgKind,
    pub parent_code: Option<&'static str>,
}

/// The commission's member units as the plan (武隆建发〔2021〕69号, 二、组织机构)
/// names them: "办公室、建管科、村镇科、房地产建设科、房地产市场科、基建科、
/// 房屋管理科、执法支队、质量安全服务中心负责人为成员 … 领导小组办公室下设于质安中心".
const DEPARTMENTS: [(&str, &str); 9] = [
    ("DEPT-OFFICE", "办公室"),
    (DEPT_CONSTRUCTION, "建管科"),
    ("DEPT-VILLAGE", "村镇科"),
    ("DEPT-RE-CONSTRUCTION", "房地产建设科"),
    ("DEPT-RE-MARKET", "房地产市场科"),
    ("DEPT-INFRA", "基建科"),
    ("DEPT-HOUSING", "房屋管理科"),
    ("DEPT-ENFORCEMENT", "执法支队"),
    (DEPT_SAFETY, "质量安全服务中心"),
];

/// Other district agencies. The plan names 区市场监督管理局 (measure 6, credit
/// exchange); 应急管理局 (office of the district safety committee that issued
/// 武隆安委发〔2021〕25号) and 城市管理局 are not named in it.
const AGENCIES: [(&str, &str); 3] = [
    (EXT_MARKET, "武隆区市场监督管理局"),
    ("EXT-EMERGENCY", "武隆区应急管理局"),
    ("EXT-URBAN", "武隆区城市管理局"),
];

/// A street or township, with the number of demo projects placed in it.
struct Township {
    code: &'static str,
    name: &'static str,
    kind: OrgKind,
    projects: usize,
}

const fn ts(code: &'static str, name: &'static str, kind: OrgKind, projects: usize) -> Township {
    Township {
        code,
        name,
        kind,
        projects,
    }
}

/// The 26 township-level units of 武隆区 after 渝府〔2020〕18号 (2020-04-22:
/// 羊角镇 and 土坎镇 merged into 羊角街道, 仙女山镇 became 仙女山街道, 凤来乡
/// became 凤来镇): 4 streets, 10 towns, 12 townships (4 of them ethnic).
/// 渝府〔2020〕18号 itself (date, the three changes, 4/10/12 after them) was
/// checked against its republication by 上游新闻 (cqcb.com, 2020-04-27), and the
/// 26 names against a third-party listing of the district's division; to check
/// against the district's own current list before relying on it beyond demo
/// data.
///
/// Project counts add up to 150, with most in the two urban streets.
const TOWNSHIPS: [Township; 26] = [
    ts("ST-FENGSHAN", "凤山街道", OrgKind::Street, 25),
    ts("ST-FURONG", "芙蓉街道", OrgKind::Street, 25),
    ts("ST-XIANNVSHAN", "仙女山街道", OrgKind::Street, 14),
    ts("ST-YANGJIAO", "羊角街道", OrgKind::Street, 9),
    ts(TS_BAIMA, "白马镇", OrgKind::Township, 4),
    ts("TS-JIANGKOU", "江口镇", OrgKind::Township, 4),
    ts("TS-HUOLU", "火炉镇", OrgKind::Township, 4),
    ts("TS-YAJIANG", "鸭江镇", OrgKind::Township, 4),
    ts("TS-CHANGBA", "长坝镇", OrgKind::Township, 4),
    ts("TS-PINGQIAO", "平桥镇", OrgKind::Township, 4),
    ts("TS-TONGZI", "桐梓镇", OrgKind::Township, 4),
    ts("TS-HESHUN", "和顺镇", OrgKind::Township, 4),
    ts("TS-SHUANGHE", "双河镇", OrgKind::Township, 4),
    ts("TS-FENGLAI", "凤来镇", OrgKind::Township, 4),
    ts("TS-MIAOYA", "庙垭乡", OrgKind::Township, 4),
    ts("TS-SHIQIAO", "石桥苗族土家族乡", OrgKind::Township, 3),
    ts("TS-HUANGYING", "黄莺乡", OrgKind::Township, 3),
    ts("TS-CANGGOU", "沧沟乡", OrgKind::Township, 3),
    ts("TS-WENFU", "文复苗族土家族乡", OrgKind::Township, 3),
    ts("TS-TUDI", "土地乡", OrgKind::Township, 3),
    ts("TS-BAIYUN", "白云乡", OrgKind::Township, 3),
    ts("TS-HOUPING", "后坪苗族土家族乡", OrgKind::Township, 3),
    ts("TS-HAOKOU", "浩口苗族仡佬族乡", OrgKind::Township, 3),
    ts("TS-JIELONG", "接龙乡", OrgKind::Township, 3),
    ts("TS-ZHAOJIA", "赵家乡", OrgKind::Township, 3),
    ts("TS-DADONGHE", "大洞河乡", OrgKind::Township, 3),
];

/// The commission, its departments, the district's 26 streets and townships,
/// and partner agencies. Departments have the commission as parent; streets,
/// townships and agencies have none (they report to the district government).
pub fn org_units() -> Vec<DemoOrgUnit> {
    let mut units = Vec::with_capacity(1 + DEPARTMENTS.len() + TOWNSHIPS.len() + AGENCIES.len());
    units.push(DemoOrgUnit {
        code: COMMISSION,
        name: "重庆市武隆区住房和城乡建设委员会",
        kind: OrgKind::Commission,
        parent_code: None,
    });
    units.extend(DEPARTMENTS.iter().map(|&(code, name)| DemoOrgUnit {
        code,
        name,
        kind: OrgKind::Department,
        parent_code: Some(COMMISSION),
    }));
    units.extend(TOWNSHIPS.iter().map(|t| DemoOrgUnit {
        code: t.code,
        name: t.name,
        kind: t.kind,
        parent_code: None,
    }));
    units.extend(AGENCIES.iter().map(|&(code, name)| DemoOrgUnit {
        code,
        name,
        kind: OrgKind::ExternalAgency,
        parent_code: None,
    }));
    units
}

// ---------------------------------------------------------------------------
// Deterministic generator
// ---------------------------------------------------------------------------

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish integer in `0..n` (0 when `n == 0`).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// Integer in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.below(10) as u8)))
            .collect()
    }
}

const ENTERPRISE_SEED: u64 = 0x4A49_414E_414E_0001;
const PROJECT_SEED: u64 = 0x4A49_414E_414E_0002;

// ---------------------------------------------------------------------------
// Enterprises
// ---------------------------------------------------------------------------

/// Role an enterprise plays in construction projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnterpriseKind {
    /// 施工总承包单位.
    Contractor,
    /// 专业分包单位.
    Subcontractor,
    /// 监理单位.
    Supervisor,
    /// 建设单位 (developer / owner).
    Developer,
    /// 设计单位.
    Designer,
    /// 勘察单位.
    Surveyor,
    /// 劳务分包单位.
    LabourService,
}

impl EnterpriseKind {
    /// Chinese term.
    pub fn label_zh(self) -> &'static str {
        match self {
            EnterpriseKind::Contractor => "施工总承包单位",
            EnterpriseKind::Subcontractor => "专业分包单位",
            EnterpriseKind::Supervisor => "监理单位",
            EnterpriseKind::Developer => "建设单位",
            EnterpriseKind::Designer => "设计单位",
            EnterpriseKind::Surveyor => "勘察单位",
            EnterpriseKind::LabourService => "劳务分包单位",
        }
    }

    /// Construction enterprises (施工企业) need a safety-production licence
    /// (安全生产许可证条例, 建筑施工企业安全生产许可证管理规定); the others hold
    /// a qualification certificate only.
    pub fn needs_safety_licence(self) -> bool {
        matches!(
            self,
            EnterpriseKind::Contractor
                | EnterpriseKind::Subcontractor
                | EnterpriseKind::LabourService
        )
    }
}

/// A demo enterprise.
///
/// `licence_no` is the safety-production licence (安全生产许可证) number for
/// construction enterprises ([`EnterpriseKind::needs_safety_licence`]) and the
/// qualification certificate (资质证书) number for the others; `licence_expires`
/// is its expiry date (year, month, day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEnterprise {
    pub uscc: String,
    pub name: String,
    pub kind: EnterpriseKind,
    pub qualification: String,
    pub licence_no: String,
    pub licence_expires: (i32, u32, u32),
}

/// Name suffix and the qualifications that go with it.
type Template = (&'static str, &'static [&'static str]);

struct KindSpec {
    kind: EnterpriseKind,
    count: usize,
    /// Percentage registered in 武隆区 (the rest in Chongqing at large).
    local_percent: usize,
    templates: &'static [Template],
}

const SPECS: [KindSpec; 7] = [
    KindSpec {
        kind: EnterpriseKind::Contractor,
        count: 60,
        local_percent: 40,
        templates: &[
            (
                "建设工程有限公司",
                &[
                    "建筑工程施工总承包二级",
                    "建筑工程施工总承包三级",
                    "建筑工程施工总承包一级",
                ],
            ),
            (
                "建筑工程有限公司",
                &["建筑工程施工总承包二级", "建筑工程施工总承包三级"],
            ),
            (
                "建设（集团）有限公司",
                &["建筑工程施工总承包一级", "市政公用工程施工总承包一级"],
            ),
            (
                "市政工程有限公司",
                &["市政公用工程施工总承包二级", "市政公用工程施工总承包三级"],
            ),
            (
                "路桥工程有限公司",
                &["公路工程施工总承包二级", "公路工程施工总承包三级"],
            ),
            (
                "水利水电工程有限公司",
                &["水利水电工程施工总承包三级", "水利水电工程施工总承包二级"],
            ),
        ],
    },
    KindSpec {
        kind: EnterpriseKind::Subcontractor,
        count: 35,
        local_percent: 30,
        templates: &[
            (
                "地基基础工程有限公司",
                &["地基基础工程专业承包二级", "地基基础工程专业承包一级"],
            ),
            (
                "钢结构工程有限公司",
                &["钢结构工程专业承包二级", "钢结构工程专业承包三级"],
            ),
            (
                "装饰工程有限公司",
                &[
                    "建筑装修装饰工程专业承包二级",
                    "建筑装修装饰工程专业承包一级",
                ],
            ),
            (
                "机电安装工程有限公司",
                &[
                    "建筑机电安装工程专业承包二级",
                    "建筑机电安装工程专业承包三级",
                ],
            ),
            (
                "起重设备安装工程有限公司",
                &[
                    "起重设备安装工程专业承包二级",
                    "起重设备安装工程专业承包三级",
                ],
            ),
            (
                "消防工程有限公司",
                &["消防设施工程专业承包二级", "消防设施工程专业承包一级"],
            ),
            ("模板脚手架工程有限公司", &["模板脚手架专业承包不分等级"]),
            (
                "防水防腐保温工程有限公司",
                &["防水防腐保温工程专业承包二级"],
            ),
        ],
    },
    KindSpec {
        kind: EnterpriseKind::LabourService,
        count: 30,
        local_percent: 80,
        templates: &[
            ("建筑劳务有限公司", &["施工劳务不分等级"]),
            ("劳务有限公司", &["施工劳务不分等级"]),
        ],
    },
    KindSpec {
        kind: EnterpriseKind::Supervisor,
        count: 25,
        local_percent: 25,
        templates: &[
            (
                "工程监理咨询有限公司",
                &[
                    "房屋建筑工程监理甲级",
                    "房屋建筑工程监理乙级",
                    "工程监理综合资质",
                ],
            ),
            (
                "建设监理有限公司",
                &["房屋建筑工程监理乙级", "市政公用工程监理乙级"],
            ),
            (
                "工程项目管理有限公司",
                &["工程监理综合资质", "市政公用工程监理甲级"],
            ),
        ],
    },
    KindSpec {
        kind: EnterpriseKind::Developer,
        count: 30,
        local_percent: 70,
        templates: &[
            (
                "房地产开发有限公司",
                &["房地产开发企业二级", "房地产开发企业一级"],
            ),
            ("置业有限公司", &["房地产开发企业二级"]),
            ("城市建设开发有限公司", &["房地产开发企业二级"]),
        ],
    },
    KindSpec {
        kind: EnterpriseKind::Designer,
        count: 10,
        local_percent: 20,
        templates: &[
            (
                "建筑设计研究院有限公司",
                &["建筑行业（建筑工程）甲级", "建筑行业（建筑工程）乙级"],
            ),
            (
                "工程设计有限公司",
                &[
                    "市政行业（道路工程）专业乙级",
                    "市政行业（排水工程）专业乙级",
                ],
            ),
        ],
    },
    KindSpec {
        kind: EnterpriseKind::Surveyor,
        count: 10,
        local_percent: 20,
        templates: &[
            (
                "岩土工程勘察有限公司",
                &[
                    "工程勘察专业类岩土工程（勘察）甲级",
                    "工程勘察专业类岩土工程（勘察）乙级",
                ],
            ),
            (
                "工程勘察设计有限公司",
                &[
                    "工程勘察专业类工程测量乙级",
                    "工程勘察专业类岩土工程（勘察）乙级",
                ],
            ),
        ],
    },
];

/// Fictitious trade names (字号).
const TRADE_NAMES: [&str; 96] = [
    "渝隆", "乌江", "芙蓉", "仙山", "鼎盛", "宏达", "建安", "华夏", "兴业", "恒泰", "中渝", "巴渝",
    "长江", "嘉陵", "渝发", "金鼎", "顺达", "聚力", "腾飞", "锦程", "明远", "博远", "正阳", "天成",
    "鑫源", "永固", "德信", "诚信", "宏图", "大业", "安泰", "瑞丰", "隆兴", "昌盛", "泰和", "同创",
    "合力", "众鑫", "盛世", "广厦", "信达", "宝利", "凯旋", "东方", "海川", "晨曦", "蓝天", "武陵",
    "峡江", "龙腾", "山城", "金石", "世纪", "汇通", "联创", "新城", "华岳", "宏升", "卓越", "精诚",
    "筑友", "基石", "恒达", "利民", "润泽", "弘毅", "佳鑫", "茂源", "远航", "通衢", "云岭", "青山",
    "翠峰", "荣盛", "万象", "兴隆", "和盛", "锐进", "正源", "立本", "天佑", "康达", "永安", "福顺",
    "九鼎", "广源", "致远", "丰泽", "耀华", "鸿运", "志诚", "祥和", "中瑞", "益民", "坤元", "乾丰",
];

/// Region codes for enterprises registered outside 武隆区: the municipality
/// itself (500000, most often) and some central districts.
const CITY_REGIONS: [&str; 10] = [
    "500000", "500000", "500000", "500000", "500112", "500102", "500103", "500105", "500106",
    "500108",
];

/// GB 11714-1997 check digit of an 8-character organisation code body:
/// weights 3,7,9,10,5,8,4,2; digits count their value, letters A=10 … Z=35;
/// C9 = 11 − (Σ mod 11), 10 → 'X', 11 → '0'.
fn organisation_code_check(body: &str) -> Option<char> {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0u32;
    let mut n = 0usize;
    for c in body.chars() {
        let v = match c {
            '0'..='9' => c.to_digit(10)?,
            'A'..='Z' => u32::from(c) - u32::from('A') + 10,
            _ => return None,
        };
        sum += v * W.get(n)?;
        n += 1;
    }
    if n != W.len() {
        return None;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        d => char::from_digit(d, 10),
    }
}

/// A USCC for a company (authority 9 = market regulation, kind 1 = enterprise)
/// registered in `region`: positions 9–17 a GB 11714 organisation code (new
/// registrations since 2015 start with "MA"), position 18 the GB 32100 check.
fn demo_uscc(rng: &mut Rng, region: &str) -> Option<String> {
    let alphabet: Vec<char> = uscc::ALPHABET.chars().collect();
    let mut body = String::with_capacity(8);
    if rng.chance(70) {
        body.push_str("MA");
    }
    while body.len() < 8 {
        body.push(rng.pick(&alphabet));
    }
    let mut code = format!("91{region}{body}");
    code.push(organisation_code_check(&body)?);
    code.push(uscc::check_character(&code)?);
    Some(code)
}

fn make_enterprise(
    rng: &mut Rng,
    spec: &KindSpec,
    names: &mut HashSet<String>,
    codes: &mut HashSet<String>,
    licences: &mut HashSet<String>,
) -> Option<DemoEnterprise> {
    let local = rng.chance(spec.local_percent);
    let (prefix, region) = if local {
        ("重庆市武隆区", WULONG_REGION)
    } else {
        ("重庆", rng.pick(&CITY_REGIONS))
    };
    let mut chosen = None;
    for _ in 0..1000 {
        let (suffix, quals) = rng.pick(spec.templates);
        let name = format!("{prefix}{}{suffix}", rng.pick(&TRADE_NAMES));
        if !names.contains(&name) {
            chosen = Some((name, rng.pick(quals)));
            break;
        }
    }
    let (name, qualification) = chosen?;
    let mut uscc_code = demo_uscc(rng, region)?;
    while codes.contains(&uscc_code) {
        uscc_code = demo_uscc(rng, region)?;
    }
    let (licence_no, licence_expires) = loop {
        let (no, expires) = licence(rng, spec.kind);
        if !licences.contains(&no) {
            break (no, expires);
        }
    };
    names.insert(name.clone());
    codes.insert(uscc_code.clone());
    licences.insert(licence_no.clone());
    Some(DemoEnterprise {
        uscc: uscc_code,
        name,
        kind: spec.kind,
        qualification: qualification.to_string(),
        licence_no,
        licence_expires,
    })
}

/// Licence or certificate number and expiry. Safety-production licences are
/// valid 3 years, qualification certificates 5. A few have already expired or
/// expire during 2026, so the demo has something to warn about.
fn licence(rng: &mut Rng, kind: EnterpriseKind) -> (String, (i32, u32, u32)) {
    let r = rng.below(100);
    let issued: i32 = if r < 6 {
        2022
    } else if r < 25 {
        2023
    } else if r < 60 {
        2024
    } else {
        2025
    };
    let month = rng.range(1, 12);
    let day = rng.range(1, 28);
    match kind {
        EnterpriseKind::Contractor
        | EnterpriseKind::Subcontractor
        | EnterpriseKind::LabourService => (
            format!("(渝)JZ安许证字[{issued}]{}", rng.digits(7)),
            (issued + 3, month, day),
        ),
        EnterpriseKind::Developer => (
            format!("渝房开资字〔{issued}〕{}号", rng.digits(4)),
            (issued + 5, month, day),
        ),
        EnterpriseKind::Supervisor | EnterpriseKind::Designer | EnterpriseKind::Surveyor => {
            (format!("E250{}", rng.digits(6)), (issued + 5, month, day))
        }
    }
}

/// Exactly 200 enterprises, grouped by kind in this order: 60 contractors,
/// 35 subcontractors, 30 labour-service companies, 25 supervisors,
/// 30 developers, 10 designers, 10 surveyors. Names, codes and licence
/// numbers are all distinct; every code passes [`uscc::validate`].
pub fn enterprises() -> Vec<DemoEnterprise> {
    let mut rng = Rng(ENTERPRISE_SEED);
    let mut names = HashSet::new();
    let mut codes = HashSet::new();
    let mut licences = HashSet::new();
    let mut out = Vec::with_capacity(200);
    for spec in &SPECS {
        for _ in 0..spec.count {
            if let Some(e) = make_enterprise(&mut rng, spec, &mut names, &mut codes, &mut licences)
            {
                out.push(e);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

/// A person on a project (project leader, safety manager, chief supervisor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    pub name: String,
    /// Mobile number, 11 digits.
    pub phone: String,
    /// 18-character resident identity number (GB 11643-1999).
    pub id_card: String,
}

/// Check character of an 18-character resident identity number (GB 11643-1999,
/// ISO 7064 MOD 11-2): weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 over the
/// first 17 digits; Σ mod 11 = 0,1,2,…,10 → '1','0','X','9','8','7','6','5','4','3','2'.
pub fn resident_id_check(first17: &str) -> Option<char> {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let mut sum = 0u32;
    let mut n = 0usize;
    for c in first17.chars() {
        sum += c.to_digit(10)? * W.get(n)?;
        n += 1;
    }
    if n != W.len() {
        return None;
    }
    C.get((sum % 11) as usize).copied()
}

const SURNAMES: [&str; 64] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任",
    "冉", "向", "谭", "简", "覃", "姚", "卢", "傅", "钟", "汪", "石", "廖", "贺", "龚", "熊", "秦",
];

const GIVEN: [&str; 64] = [
    "伟", "勇", "军", "杰", "涛", "明", "超", "强", "磊", "洋", "艳", "敏", "静", "丽", "娟", "霞",
    "建", "国", "华", "平", "刚", "波", "辉", "鹏", "宇", "浩", "俊", "峰", "林", "斌", "亮", "红",
    "志", "文", "成", "德", "春", "秋", "兰", "梅", "燕", "玲", "芳", "琴", "云", "川", "江", "山",
    "小", "正", "家", "兴", "永", "晓", "海", "世", "顺", "利", "中", "光", "佳", "雪", "婷", "军",
];

const MOBILE_PREFIXES: [&str; 16] = [
    "139", "138", "137", "136", "135", "158", "159", "187", "188", "177", "180", "189", "133",
    "153", "199", "152",
];

/// Makes people with distinct identity numbers: the sequence code (positions
/// 15–17) is a running counter.
struct People {
    seq: u32,
}

impl People {
    fn person(&mut self, rng: &mut Rng) -> DemoPerson {
        self.seq += 1;
        let mut name = String::from(rng.pick(&SURNAMES));
        name.push_str(rng.pick(&GIVEN));
        if rng.chance(70) {
            name.push_str(rng.pick(&GIVEN));
        }
        let phone = format!("{}{}", rng.pick(&MOBILE_PREFIXES), rng.digits(8));
        let year = rng.range(1966, 1998);
        let month = rng.range(1, 12);
        let day = rng.range(1, 28);
        let first17 = format!(
            "{WULONG_REGION}{year:04}{month:02}{day:02}{:03}",
            self.seq % 1000
        );
        let check = resident_id_check(&first17).unwrap_or('X');
        DemoPerson {
            name,
            phone,
            id_card: format!("{first17}{check}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------

/// Kind of construction project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectKind {
    /// 房屋建筑.
    Housing,
    /// 市政公用.
    Municipal,
    /// 道路.
    Road,
    /// 桥梁.
    Bridge,
    /// 水利.
    Water,
    /// 改造.
    Renovation,
    /// 拆除.
    Demolition,
    /// 其他.
    Other,
}

impl ProjectKind {
    /// Chinese term.
    pub fn label_zh(self) -> &'static str {
        match self {
            ProjectKind::Housing => "房屋建筑工程",
            ProjectKind::Municipal => "市政公用工程",
            ProjectKind::Road => "道路工程",
            ProjectKind::Bridge => "桥梁工程",
            ProjectKind::Water => "水利工程",
            ProjectKind::Renovation => "改造工程",
            ProjectKind::Demolition => "拆除工程",
            ProjectKind::Other => "其他工程",
        }
    }
}

/// Lifecycle status of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectStatus {
    /// 未开工.
    Planned,
    /// 在建.
    Active,
    /// 停工.
    Suspended,
    /// 竣工.
    Completed,
}

impl ProjectStatus {
    /// Chinese term.
    pub fn label_zh(self) -> &'static str {
        match self {
            ProjectStatus::Planned => "未开工",
            ProjectStatus::Active => "在建",
            ProjectStatus::Suspended => "停工",
            ProjectStatus::Completed => "竣工",
        }
    }
}

/// A demo project. `contractor`, `supervisor`, `developer` and
/// `subcontractors` are indices into [`enterprises()`] of kind
/// [`EnterpriseKind::Contractor`], [`EnterpriseKind::Supervisor`],
/// [`EnterpriseKind::Developer`] and [`EnterpriseKind::Subcontractor`] or
/// [`EnterpriseKind::LabourService`] respectively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProject {
    pub code: String,
    pub name: String,
    pub township_code: &'static str,
    pub address: String,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
    pub contractor: usize,
    pub supervisor: usize,
    pub developer: usize,
    pub subcontractors: Vec<usize>,
    pub project_leader: DemoPerson,
    pub safety_managers: Vec<DemoPerson>,
    pub chief_supervisor: DemoPerson,
    pub start: (i32, u32, u32),
}

impl DemoProject {
    /// Every enterprise taking part in the project.
    pub fn participants(&self) -> impl Iterator<Item = usize> + '_ {
        [self.contractor, self.supervisor, self.developer]
            .into_iter()
            .chain(self.subcontractors.iter().copied())
    }
}

/// Name templates: `{t}` township name, `{t2}` another township, `{x}` a
/// fictitious place word, `{k}` a phase number. "场镇" is dropped for streets.
const NAME_TEMPLATES: [(ProjectKind, &[&str]); 8] = [
    (
        ProjectKind::Housing,
        &[
            "武隆区{t}{x}安置房项目",
            "{t}{x}小区{k}期工程",
            "{t}{x}公租房项目",
            "{t}场镇{x}集中安置点建设工程",
            "{t}{x}苑住宅小区{k}期项目",
        ],
    ),
    (
        ProjectKind::Municipal,
        &[
            "{t}污水管网工程",
            "{t}场镇雨污分流改造工程",
            "{t}供水管网改造工程",
            "{t}{x}片区综合管网工程",
            "{t}污水处理站提标改造工程",
        ],
    ),
    (
        ProjectKind::Road,
        &[
            "{t}{x}村通组公路硬化工程",
            "{t}至{t2}公路改建工程",
            "{t}{x}产业路建设工程",
            "{t}场镇{x}路新建工程",
        ],
    ),
    (
        ProjectKind::Bridge,
        &["{t}{x}大桥新建工程", "{t}{x}人行桥维修加固工程"],
    ),
    (
        ProjectKind::Water,
        &[
            "{t}{x}水库除险加固工程",
            "{t}农村供水保障提升工程",
            "{t}{x}河道综合治理工程",
            "{t}{x}山洪沟防洪治理工程",
        ],
    ),
    (
        ProjectKind::Renovation,
        &[
            "{t}{x}老旧小区改造工程",
            "{t}场镇风貌改造工程",
            "{t}{x}农贸市场改造工程",
        ],
    ),
    (
        ProjectKind::Demolition,
        &["{t}{x}危旧房拆除工程", "{t}{x}旧厂房拆除工程"],
    ),
    (
        ProjectKind::Other,
        &[
            "{t}综合文化站建设工程",
            "{t}中心卫生院迁建工程",
            "{t}{x}小学教学楼建设工程",
            "{t}便民服务中心建设工程",
        ],
    ),
];

/// Hotel renovations on 仙女山, the district's resort plateau.
const XIANNVSHAN_TEMPLATES: [&str; 3] = [
    "仙女山{x}酒店改造工程",
    "仙女山{x}度假酒店装修改造工程",
    "仙女山{x}民宿集群提升改造工程",
];

const PLACE_WORDS: [&str; 32] = [
    "桂花湾",
    "新华",
    "滨江",
    "青龙",
    "大坪",
    "杉树坪",
    "金竹",
    "龙潭",
    "红岩",
    "白果",
    "黄桷",
    "水井湾",
    "高峰",
    "石板沟",
    "桃园",
    "长岭",
    "松林",
    "观音岩",
    "柏杨",
    "双龙",
    "万峰",
    "石坝",
    "高坪",
    "茶园",
    "向阳",
    "枫香",
    "鹿鸣",
    "梨花",
    "竹林",
    "银杏",
    "云峰",
    "兰亭",
];

const VILLAGE_WORDS: [&str; 16] = [
    "新华", "红岩", "青龙", "大坪", "金竹", "龙潭", "白果", "桃园", "长岭", "松林", "柏杨", "双龙",
    "万峰", "石坝", "高坪", "茶园",
];

const ROAD_WORDS: [&str; 10] = [
    "建设", "新华", "滨江", "兴隆", "人民", "和平", "文化", "东风", "育才", "长青",
];

const PHASES: [&str; 3] = ["一", "二", "三"];

/// Kind weights (percent) for streets and for rural towns and townships.
const URBAN_KINDS: [(ProjectKind, usize); 8] = [
    (ProjectKind::Housing, 38),
    (ProjectKind::Municipal, 17),
    (ProjectKind::Road, 10),
    (ProjectKind::Bridge, 4),
    (ProjectKind::Water, 4),
    (ProjectKind::Renovation, 15),
    (ProjectKind::Demolition, 6),
    (ProjectKind::Other, 6),
];
const RURAL_KINDS: [(ProjectKind, usize); 8] = [
    (ProjectKind::Housing, 20),
    (ProjectKind::Municipal, 15),
    (ProjectKind::Road, 24),
    (ProjectKind::Bridge, 6),
    (ProjectKind::Water, 18),
    (ProjectKind::Renovation, 7),
    (ProjectKind::Demolition, 4),
    (ProjectKind::Other, 6),
];

fn pick_weighted(rng: &mut Rng, table: &[(ProjectKind, usize)]) -> ProjectKind {
    let total: usize = table.iter().map(|&(_, w)| w).sum();
    let mut r = rng.below(total);
    for &(kind, w) in table {
        if r < w {
            return kind;
        }
        r -= w;
    }
    ProjectKind::Other
}

fn project_name(
    rng: &mut Rng,
    town: &Township,
    kind: ProjectKind,
    used: &HashSet<String>,
) -> String {
    let templates: &[&str] = if town.code == "ST-XIANNVSHAN" && kind == ProjectKind::Renovation {
        &XIANNVSHAN_TEMPLATES
    } else {
        NAME_TEMPLATES
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| *t)
            .unwrap_or(&[])
    };
    let mut last = String::new();
    for _ in 0..50 {
        let mut t = rng.pick(templates).to_string();
        if town.kind == OrgKind::Street {
            t = t.replace("场镇", "");
        }
        let other = loop {
            let o = rng.pick(&TOWNSHIPS.map(|t| t.name));
            if o != town.name {
                break o;
            }
        };
        let name = t
            .replace("{t2}", other)
            .replace("{t}", town.name)
            .replace("{x}", rng.pick(&PLACE_WORDS))
            .replace("{k}", rng.pick(&PHASES));
        if !used.contains(&name) {
            return name;
        }
        last = name;
    }
    // Fall back on a numbered variant; never reached with the current seed.
    let mut n = 2;
    loop {
        let name = format!("{last}（{n}标段）");
        if !used.contains(&name) {
            return name;
        }
        n += 1;
    }
}

fn address(rng: &mut Rng, town: &Township) -> String {
    if town.kind == OrgKind::Street {
        format!(
            "重庆市武隆区{}{}路{}号",
            town.name,
            rng.pick(&ROAD_WORDS),
            rng.range(1, 320)
        )
    } else {
        format!(
            "重庆市武隆区{}{}村{}组",
            town.name,
            rng.pick(&VILLAGE_WORDS),
            rng.range(1, 12)
        )
    }
}

/// Whether a contractor's or supervisor's qualification covers a project kind
/// (建筑工程 for buildings, 市政公用 for utilities, roads and bridges, 公路 for
/// roads and bridges, 水利水电 for water works; 综合 covers all).
fn qualification_fits(qualification: &str, kind: ProjectKind) -> bool {
    use ProjectKind::{Bridge, Demolition, Housing, Municipal, Other, Renovation, Road, Water};
    if qualification.contains("综合") {
        return true;
    }
    if qualification.starts_with("建筑工程") || qualification.starts_with("房屋建筑") {
        matches!(kind, Housing | Renovation | Demolition | Other)
    } else if qualification.starts_with("市政公用") {
        matches!(
            kind,
            Municipal | Road | Bridge | Water | Renovation | Demolition
        )
    } else if qualification.starts_with("公路") {
        matches!(kind, Road | Bridge)
    } else if qualification.starts_with("水利水电") {
        matches!(kind, Water)
    } else {
        false
    }
}

/// Among the enterprises in `pool` qualified for `kind`, the one with the
/// fewest projects so far (ties broken at random); any of `pool` if none fits.
fn least_loaded(
    rng: &mut Rng,
    ents: &[DemoEnterprise],
    pool: &[usize],
    load: &[usize],
    kind: ProjectKind,
) -> usize {
    let fits: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| {
            ents.get(i)
                .is_some_and(|e| qualification_fits(&e.qualification, kind))
        })
        .collect();
    let candidates = if fits.is_empty() { pool.to_vec() } else { fits };
    let load_of = |i: usize| load.get(i).copied().unwrap_or(0);
    let min = candidates.iter().map(|&i| load_of(i)).min().unwrap_or(0);
    let lightest: Vec<usize> = candidates
        .into_iter()
        .filter(|&i| load_of(i) == min)
        .collect();
    rng.pick(&lightest)
}

fn indices_of(enterprises: &[DemoEnterprise], kinds: &[EnterpriseKind]) -> Vec<usize> {
    enterprises
        .iter()
        .enumerate()
        .filter(|(_, e)| kinds.contains(&e.kind))
        .map(|(i, _)| i)
        .collect()
}

/// Exactly 150 projects over the district's 26 streets and townships (most in
/// 凤山街道 and 芙蓉街道), mostly active, codes `WL-<start year>-<nnnn>` with a
/// running number 0001–0150. `projects()[0]` is active.
pub fn projects() -> Vec<DemoProject> {
    let ents = enterprises();
    let contractors = indices_of(&ents, &[EnterpriseKind::Contractor]);
    let supervisors = indices_of(&ents, &[EnterpriseKind::Supervisor]);
    let developers = indices_of(&ents, &[EnterpriseKind::Developer]);
    let subs = indices_of(
        &ents,
        &[EnterpriseKind::Subcontractor, EnterpriseKind::LabourService],
    );

    let mut rng = Rng(PROJECT_SEED);

    let mut places: Vec<&Township> = TOWNSHIPS
        .iter()
        .flat_map(|t| std::iter::repeat_n(t, t.projects))
        .collect();
    rng.shuffle(&mut places);

    // Contractors and supervisors are chosen among those qualified for the
    // project's kind, spreading the work evenly.
    let mut load = vec![0usize; ents.len()];

    let mut people = People { seq: 0 };
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(places.len());
    for (i, town) in places.iter().enumerate() {
        let kind = if town.code == "ST-XIANNVSHAN" && rng.chance(40) {
            ProjectKind::Renovation
        } else if town.kind == OrgKind::Street {
            pick_weighted(&mut rng, &URBAN_KINDS)
        } else {
            pick_weighted(&mut rng, &RURAL_KINDS)
        };
        let contractor = least_loaded(&mut rng, &ents, &contractors, &load, kind);
        let supervisor = least_loaded(&mut rng, &ents, &supervisors, &load, kind);
        for e in [contractor, supervisor] {
            if let Some(n) = load.get_mut(e) {
                *n += 1;
            }
        }
        let name = project_name(&mut rng, town, kind, &names);
        names.insert(name.clone());
        let r = rng.below(100);
        let status = if i == 0 || r < 78 {
            ProjectStatus::Active
        } else if r < 86 {
            ProjectStatus::Planned
        } else if r < 92 {
            ProjectStatus::Suspended
        } else {
            ProjectStatus::Completed
        };
        let month = rng.range(1, 12);
        let day = rng.range(1, 28);
        let start = match status {
            ProjectStatus::Planned => (2026, rng.range(4, 12), day),
            ProjectStatus::Active => {
                let year = 2024 + rng.below(3) as i32;
                let month = if year == 2026 { rng.range(1, 2) } else { month };
                (year, month, day)
            }
            ProjectStatus::Suspended => (2024 + rng.below(2) as i32, month, day),
            ProjectStatus::Completed => (2023 + rng.below(2) as i32, month, day),
        };
        let mut subcontractors = Vec::new();
        for _ in 0..rng.below(4) {
            let s = rng.pick(&subs);
            if !subcontractors.contains(&s) {
                subcontractors.push(s);
            }
        }
        let project_leader = people.person(&mut rng);
        let safety_managers = (0..1 + rng.below(3))
            .map(|_| people.person(&mut rng))
            .collect();
        let chief_supervisor = people.person(&mut rng);
        out.push(DemoProject {
            code: format!("WL-{}-{:04}", start.0, i + 1),
            name,
            township_code: town.code,
            address: address(&mut rng, town),
            kind,
            status,
            contractor,
            supervisor,
            developer: rng.pick(&developers),
            subcontractors,
            project_leader,
            safety_managers,
            chief_supervisor,
            start,
        });
    }
    out
}

/// A contractor that takes part in an active project but in no project
/// together with enterprise `first`: the enterprise of the second demo
/// enterprise manager, used by tests of enterprise scoping.
pub fn unrelated_contractor(projects: &[DemoProject], first: usize) -> Option<usize> {
    projects
        .iter()
        .filter(|p| p.status == ProjectStatus::Active)
        .map(|p| p.contractor)
        .find(|&candidate| {
            candidate != first
                && !projects.iter().any(|p| {
                    p.participants().any(|e| e == first) && p.participants().any(|e| e == candidate)
                })
        })
}

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

/// A demo login. Enterprise accounts carry an index into [`enterprises()`]
/// instead of an org unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub password: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub org_code: Option<&'static str>,
    pub enterprise_index: Option<usize>,
}

const fn account(
    username: &'static str,
    display_name: &'static str,
    role: &'static str,
    org_code: Option<&'static str>,
    enterprise_index: Option<usize>,
) -> DemoAccount {
    DemoAccount {
        username,
        password: DEMO_PASSWORD,
        display_name,
        role,
        org_code,
        enterprise_index,
    }
}

/// One account per role, all with password [`DEMO_PASSWORD`]. `safety`, `pm`
/// and `manager` belong to the contractor of `projects()[0]`; `manager2`
/// manages a different contractor that shares no project with it.
pub fn accounts() -> Vec<DemoAccount> {
    let projects = projects();
    let first = projects.first().map(|p| p.contractor);
    let second = first.and_then(|a| unrelated_contractor(&projects, a));
    vec![
        account(
            "admin",
            "系统管理员（演示）",
            "ADMIN",
            Some(COMMISSION),
            None,
        ),
        account("leader", "委领导（演示）", "LEADER", Some(COMMISSION), None),
        account(
            "staff",
            "建管科工作人员（演示）",
            "DEPARTMENT_STAFF",
            Some(DEPT_CONSTRUCTION),
            None,
        ),
        account(
            "inspector",
            "质安中心监督员（演示）",
            "INSPECTOR",
            Some(DEPT_SAFETY),
            None,
        ),
        account(
            "township",
            "白马镇工作人员（演示）",
            "TOWNSHIP_STAFF",
            Some(TS_BAIMA),
            None,
        ),
        account(
            "safety",
            "企业安全员（演示）",
            "ENTERPRISE_SAFETY_MANAGER",
            None,
            first,
        ),
        account(
            "pm",
            "项目负责人（演示）",
            "ENTERPRISE_PROJECT_LEADER",
            None,
            first,
        ),
        account(
            "manager",
            "企业负责人（演示）",
            "ENTERPRISE_MANAGER",
            None,
            first,
        ),
        account(
            "manager2",
            "另一企业负责人（演示）",
            "ENTERPRISE_MANAGER",
            None,
            second,
        ),
        account("expert", "专家（演示）", "EXPERT", None, None),
        account(
            "monitor",
            "白马镇房屋安全监测员（演示）",
            "HOUSE_MONITOR",
            Some(TS_BAIMA),
            None,
        ),
        account(
            "bureau",
            "区市场监督管理局（服务账号）",
            "BUREAU_SERVICE",
            Some(EXT_MARKET),
            None,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_units_are_consistent() {
        let units = org_units();
        let codes: HashSet<_> = units.iter().map(|u| u.code).collect();
        assert_eq!(codes.len(), units.len(), "org codes must be distinct");
        let names: HashSet<_> = units.iter().map(|u| u.name).collect();
        assert_eq!(names.len(), units.len(), "org names must be distinct");
        for u in &units {
            assert!(u.code.is_ascii(), "{}", u.code);
            if let Some(parent) = u.parent_code {
                assert!(codes.contains(parent), "{} has unknown parent", u.code);
            }
        }
        assert_eq!(
            units
                .iter()
                .filter(|u| u.kind == OrgKind::Commission)
                .count(),
            1
        );
        assert_eq!(
            units
                .iter()
                .filter(|u| u.kind == OrgKind::Department)
                .count(),
            9
        );
        let streets = units.iter().filter(|u| u.kind == OrgKind::Street).count();
        let townships = units.iter().filter(|u| u.kind == OrgKind::Township).count();
        assert_eq!((streets, townships), (4, 22));
        assert_eq!(streets + townships, 26);
        let towns = units.iter().filter(|u| u.name.ends_with('镇')).count();
        let xiang = units
            .iter()
            .filter(|u| u.kind == OrgKind::Township && u.name.ends_with('乡'))
            .count();
        assert_eq!((towns, xiang), (10, 12));
        for code in [
            COMMISSION,
            DEPT_SAFETY,
            DEPT_CONSTRUCTION,
            TS_BAIMA,
            EXT_MARKET,
        ] {
            assert!(codes.contains(code), "{code}");
        }
        assert!(
            units
                .iter()
                .any(|u| u.code == TS_BAIMA && u.name == "白马镇")
        );
        assert!(
            units
                .iter()
                .any(|u| u.code == EXT_MARKET && u.name.contains("市场监督管理局"))
        );
        assert_eq!(TOWNSHIPS.iter().map(|t| t.projects).sum::<usize>(), 150);
    }

    #[test]
    fn organisation_code_check_digit() {
        // 华为技术有限公司's organisation code 19220382-1 (inside its USCC).
        assert_eq!(organisation_code_check("19220382"), Some('1'));
        // 腾讯科技（深圳）有限公司: 71526726-X.
        assert_eq!(organisation_code_check("71526726"), Some('X'));
        assert_eq!(organisation_code_check("1922038"), None);
    }

    #[test]
    fn two_hundred_valid_distinct_enterprises() {
        let ents = enterprises();
        assert_eq!(ents.len(), 200);
        let codes: HashSet<_> = ents.iter().map(|e| e.uscc.as_str()).collect();
        assert_eq!(codes.len(), 200);
        let names: HashSet<_> = ents.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.len(), 200);
        let licences: HashSet<_> = ents.iter().map(|e| e.licence_no.as_str()).collect();
        assert_eq!(licences.len(), 200);
        for e in &ents {
            assert_eq!(uscc::validate(&e.uscc), Ok(()), "{}", e.uscc);
            assert!(e.uscc.starts_with("91"));
            let org: String = e.uscc.chars().skip(8).take(8).collect();
            assert_eq!(
                organisation_code_check(&org),
                e.uscc.chars().nth(16),
                "{}",
                e.uscc
            );
            if e.name.starts_with("重庆市武隆区") {
                assert_eq!(&e.uscc[2..8], WULONG_REGION);
            }
            assert_eq!(
                e.licence_no.contains("安许证"),
                e.kind.needs_safety_licence(),
                "{}",
                e.licence_no
            );
            let (y, m, d) = e.licence_expires;
            assert!((2025..=2030).contains(&y) && (1..=12).contains(&m) && (1..=28).contains(&d));
            assert!(!e.qualification.is_empty());
        }
        for spec in &SPECS {
            assert_eq!(
                ents.iter().filter(|e| e.kind == spec.kind).count(),
                spec.count
            );
        }
    }

    #[test]
    fn enterprises_are_deterministic() {
        assert_eq!(enterprises(), enterprises());
        assert_eq!(projects(), projects());
        assert_eq!(accounts(), accounts());
    }

    #[test]
    fn one_hundred_fifty_projects_with_right_participants() {
        let ents = enterprises();
        let ps = projects();
        assert_eq!(ps.len(), 150);
        let codes: HashSet<_> = ps.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes.len(), 150);
        let names: HashSet<_> = ps.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names.len(), 150);
        let kind = |i: usize| ents.get(i).map(|e| e.kind);
        for p in &ps {
            assert_eq!(
                kind(p.contractor),
                Some(EnterpriseKind::Contractor),
                "{}",
                p.code
            );
            for e in [p.contractor, p.supervisor] {
                let q = ents.get(e).map_or("", |e| e.qualification.as_str());
                assert!(qualification_fits(q, p.kind), "{} {:?} {q}", p.code, p.kind);
            }
            assert_eq!(
                kind(p.supervisor),
                Some(EnterpriseKind::Supervisor),
                "{}",
                p.code
            );
            assert_eq!(
                kind(p.developer),
                Some(EnterpriseKind::Developer),
                "{}",
                p.code
            );
            for &s in &p.subcontractors {
                assert!(matches!(
                    kind(s),
                    Some(EnterpriseKind::Subcontractor | EnterpriseKind::LabourService)
                ));
            }
            assert!(!p.safety_managers.is_empty());
            assert!(p.code.starts_with(&format!("WL-{}-", p.start.0)));
            let (y, m, d) = p.start;
            assert!((2023..=2026).contains(&y) && (1..=12).contains(&m) && (1..=28).contains(&d));
        }
        // Every contractor builds at least one project.
        for (i, e) in ents.iter().enumerate() {
            if e.kind == EnterpriseKind::Contractor {
                assert!(ps.iter().any(|p| p.contractor == i), "{} idle", e.name);
            }
        }
        let active = ps
            .iter()
            .filter(|p| p.status == ProjectStatus::Active)
            .count();
        assert!(active * 10 >= ps.len() * 7, "mostly active: {active}");
        assert_eq!(ps.first().map(|p| p.status), Some(ProjectStatus::Active));
    }

    #[test]
    fn every_township_code_exists_and_streets_have_most() {
        let units = org_units();
        let ps = projects();
        for p in &ps {
            let unit = units.iter().find(|u| u.code == p.township_code);
            assert!(
                matches!(
                    unit.map(|u| u.kind),
                    Some(OrgKind::Street | OrgKind::Township)
                ),
                "{}",
                p.township_code
            );
            assert!(p.address.contains(unit.map(|u| u.name).unwrap_or("?")));
        }
        let count = |code: &str| ps.iter().filter(|p| p.township_code == code).count();
        assert_eq!(count("ST-FENGSHAN"), 25);
        assert_eq!(count("ST-FURONG"), 25);
        for t in &TOWNSHIPS {
            assert!(count(t.code) >= 3, "{}", t.code);
        }
        assert!(count(TS_BAIMA) > 0);
    }

    #[test]
    fn id_cards_are_valid_and_distinct() {
        // A worked example (GB 11643-1999 appendix style): 11010519491231002 → X.
        assert_eq!(resident_id_check("11010519491231002"), Some('X'));
        assert_eq!(resident_id_check("1101051949123100"), None);
        let ps = projects();
        let people: Vec<&DemoPerson> = ps
            .iter()
            .flat_map(|p| {
                std::iter::once(&p.project_leader)
                    .chain(p.safety_managers.iter())
                    .chain(std::iter::once(&p.chief_supervisor))
            })
            .collect();
        let mut ids = HashSet::new();
        let mut phones = HashSet::new();
        for person in &people {
            let id = &person.id_card;
            assert_eq!(id.len(), 18, "{id}");
            assert!(id.starts_with(WULONG_REGION));
            assert_eq!(resident_id_check(&id[..17]), id.chars().last(), "{id}");
            assert!(ids.insert(id.clone()), "duplicate {id}");
            assert_eq!(person.phone.len(), 11);
            assert!(
                person.phone.starts_with('1') && person.phone.chars().all(|c| c.is_ascii_digit())
            );
            assert!(
                phones.insert(person.phone.clone()),
                "duplicate {}",
                person.phone
            );
            let n = person.name.chars().count();
            assert!((2..=3).contains(&n), "{}", person.name);
        }
    }

    #[test]
    fn accounts_cover_every_role() {
        let accs = accounts();
        let roles: HashSet<_> = accs.iter().map(|a| a.role).collect();
        for role in [
            "ADMIN",
            "LEADER",
            "DEPARTMENT_STAFF",
            "INSPECTOR",
            "TOWNSHIP_STAFF",
            "ENTERPRISE_SAFETY_MANAGER",
            "ENTERPRISE_PROJECT_LEADER",
            "ENTERPRISE_MANAGER",
            "EXPERT",
            "BUREAU_SERVICE",
            "HOUSE_MONITOR",
        ] {
            assert!(roles.contains(role), "{role}");
        }
        let users: HashSet<_> = accs.iter().map(|a| a.username).collect();
        assert_eq!(users.len(), accs.len());
        let units = org_units();
        for a in &accs {
            assert_eq!(a.password, "jianan-demo");
            if let Some(org) = a.org_code {
                assert!(units.iter().any(|u| u.code == org), "{org}");
            }
        }
        let by = |u: &str| accs.iter().find(|a| a.username == u).copied();
        assert_eq!(by("township").and_then(|a| a.org_code), Some(TS_BAIMA));
        assert_eq!(by("inspector").and_then(|a| a.org_code), Some(DEPT_SAFETY));
        assert_eq!(by("bureau").and_then(|a| a.org_code), Some(EXT_MARKET));
        let first = projects()[0].contractor;
        for u in ["safety", "pm", "manager"] {
            assert_eq!(by(u).and_then(|a| a.enterprise_index), Some(first), "{u}");
        }
    }

    #[test]
    fn the_two_enterprise_managers_share_no_project() {
        let ents = enterprises();
        let ps = projects();
        let accs = accounts();
        let ent = |u: &str| {
            accs.iter()
                .find(|a| a.username == u)
                .and_then(|a| a.enterprise_index)
        };
        let (Some(a), Some(b)) = (ent("manager"), ent("manager2")) else {
            panic!("both enterprise managers need an enterprise");
        };
        assert_ne!(a, b);
        assert_eq!(ents[a].kind, EnterpriseKind::Contractor);
        assert_eq!(ents[b].kind, EnterpriseKind::Contractor);
        assert_eq!(unrelated_contractor(&ps, a), Some(b));
        let of = |e: usize| -> HashSet<&str> {
            ps.iter()
                .filter(|p| p.participants().any(|x| x == e))
                .map(|p| p.code.as_str())
                .collect()
        };
        let (pa, pb) = (of(a), of(b));
        assert!(!pa.is_empty() && !pb.is_empty());
        assert!(pa.is_disjoint(&pb), "{pa:?} ∩ {pb:?}");
        assert!(
            ps.iter()
                .any(|p| p.contractor == b && p.status == ProjectStatus::Active)
        );
    }
}

//! Demo data for `jianan seed --demo`: two months of self-checks with realistic gaps, scored
//! supervision checks, hazards in every state (some major, some overdue), enforcement actions and
//! a published double-random draw — written through the same services the API uses (called
//! directly, with `Uuid`s), so every record has its steps, audit trail, events and obligation
//! evidence.
use chrono::{Duration, NaiveDate, Utc};
use jianan_entity::enums::ProjectStatus;
use jianan_entity::{account, project};
use jianan_kernel::calendar::{local_midnight_utc, today};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entity::enums::{
    EnforcementKind, HazardLevel, Implementation, InspectionKind, InspectionResult,
};
use crate::entity::inspection;
use crate::rules::hazard_criteria::HazardCategory;
use crate::service::{draw, enforcement, hazard, inspection as insp};

/// A tiny deterministic generator (SplitMix64), so the demo is the same on every machine.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

async fn who(k: &Kernel, username: &str) -> AppResult<RequestInfo> {
    jianan_registry::demo::request_as(k, username).await
}

/// A demo hazard, worded as a site inspector would record it.
///
/// `basis` says why the level is what it is. For a major hazard it is the item of
/// 建质规〔2024〕5号 the description meets, as numbered in
/// [`crate::rules::hazard_criteria::criteria`] (a unit test checks that the item exists and sits
/// under the hazard's category). For a general hazard it is the summary item of the JGJ 59-2011
/// checklist (检查评分汇总表) the finding falls under; a general hazard meets no item of the 2024
/// criteria.
struct DemoHazard {
    level: HazardLevel,
    category: HazardCategory,
    description: &'static str,
    location: &'static str,
    basis: &'static str,
}

impl DemoHazard {
    /// The hazard's classification as the service takes it: a major hazard's criterion code (found
    /// from its article and category), a general hazard's JGJ 59 item (found from its name).
    fn class(&self) -> AppResult<(Option<String>, Option<String>)> {
        match self.level {
            HazardLevel::Major => crate::rules::hazard_criteria::criteria()
                .iter()
                .find(|c| c.category == self.category && c.article == self.basis)
                .map(|c| (None, Some(c.code())))
                .ok_or_else(|| AppError::internal("demo hazard criterion missing")),
            HazardLevel::General => crate::rules::hazard_class::ALL_GENERAL
                .iter()
                .find(|g| g.label_zh() == self.basis)
                .map(|g| (Some(g.code().to_owned()), None))
                .ok_or_else(|| AppError::internal("demo hazard JGJ 59 item missing")),
        }
    }
}

/// A 1×1 PNG: the demo's stand-in for a site photo.
pub(crate) const DEMO_PHOTO: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// Uploads the demo photo to hazard `id` as `who`.
async fn photo(k: &Kernel, who: &RequestInfo, id: uuid::Uuid, name: &str) -> AppResult<uuid::Uuid> {
    let w = k.db.begin_write().await?;
    let a = k
        .attachments
        .attach(
            &k.db.conn,
            &w,
            who,
            "Hazard",
            id,
            name,
            Some("image/png"),
            bytes::Bytes::from_static(DEMO_PHOTO),
        )
        .await?;
    w.commit().await?;
    Ok(a.id)
}

const fn major(
    category: HazardCategory,
    description: &'static str,
    location: &'static str,
    article: &'static str,
) -> DemoHazard {
    DemoHazard {
        level: HazardLevel::Major,
        category,
        description,
        location,
        basis: article,
    }
}

const fn general(
    category: HazardCategory,
    description: &'static str,
    location: &'static str,
    jgj59_item: &'static str,
) -> DemoHazard {
    DemoHazard {
        level: HazardLevel::General,
        category,
        description,
        location,
        basis: jgj59_item,
    }
}

/// Major accident hazards, each meeting one item of 建质规〔2024〕5号 in the words of that item
/// (transcription of `rules::hazard_criteria`; its wording is still to verify against the
/// ministry's published text). The first four are found by supervision checks; the last is walked
/// through the five implementations.
const MAJOR_HAZARDS: [DemoHazard; 5] = [
    // 第八条第（四）项: 建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏.
    major(
        HazardCategory::HoistingMachinery,
        "1号塔式起重机力矩限制器失效，仍在进行吊装作业",
        "1号塔吊",
        "第八条第（四）项",
    ),
    // 第七条第（二）项: 未设置连墙件或连墙件整层缺失.
    major(
        HazardCategory::Scaffolding,
        "3号楼北侧落地式外脚手架第11层连墙件整层缺失",
        "3号楼北侧外架",
        "第七条第（二）项",
    ),
    // 第十四条第（一）项: 基坑周边堆载超过设计允许值 (施工临时堆载 since 2024, not 基坑工程).
    major(
        HazardCategory::TemporaryStockpiling,
        "基坑南侧坑边堆放钢筋和弃土，堆载超过设计允许值",
        "基坑南侧",
        "第十四条第（一）项",
    ),
    // 第十一条第（三）项: 有限空间作业时现场无专人负责监护工作，或无专职安全生产管理人员现场监督.
    major(
        HazardCategory::ConfinedSpace,
        "污水检查井内有人作业，井口无专人监护，也无专职安全生产管理人员现场监督",
        "污水检查井",
        "第十一条第（三）项",
    ),
    // 第九条第（四）项, second limb: 电梯井道内贯通未采取水平防护措施且电梯井口未设置防护门.
    major(
        HazardCategory::WorkAtHeight,
        "2号楼电梯井道内未设置水平防护，且各层电梯井口未设置防护门",
        "2号楼电梯井",
        "第九条第（四）项",
    ),
];

/// General hazards: real findings that meet no item of the 2024 criteria (a partial gap, a
/// missing record, a device missing on one box), each under a JGJ 59-2011 summary item. The
/// category is the nearest one of the criteria, the only categories the data model has today.
const GENERAL_HAZARDS: [DemoHazard; 7] = [
    general(
        HazardCategory::TemporaryElectricity,
        "钢筋加工棚开关箱未设置漏电保护器",
        "钢筋加工棚",
        "施工用电",
    ),
    general(
        HazardCategory::WorkAtHeight,
        "5层楼面东侧临边防护栏杆缺失约6米",
        "5层楼面东侧",
        "高处作业",
    ),
    general(
        HazardCategory::Scaffolding,
        "外脚手架作业层脚手板未满铺，未设置挡脚板",
        "2号楼南侧外架",
        "脚手架",
    ),
    general(
        HazardCategory::FoundationPitAndSlope,
        "基坑东侧周边防护栏杆局部缺失",
        "基坑东侧",
        "基坑工程",
    ),
    general(
        HazardCategory::FormworkAndShoring,
        "三层顶板模板支架局部扫地杆缺失",
        "1号楼三层顶板",
        "模板支架",
    ),
    general(
        HazardCategory::SafetyManagement,
        "钢筋班组安全技术交底未履行签字手续",
        "项目部",
        "安全管理",
    ),
    general(
        HazardCategory::HoistingMachinery,
        "构件吊装作业未设置警戒区，无专人监护",
        "1号塔吊作业区",
        "塔式起重机与起重吊装",
    ),
];

/// The five implementations recorded for the major hazard walked to MAJOR_READY (the elevator
/// shaft, the last of [`MAJOR_HAZARDS`]).
fn implementation_note(kind: Implementation) -> &'static str {
    match kind {
        Implementation::Responsibility => {
            "项目经理为整改责任人，专职安全员现场督促，监理单位跟踪复查"
        }
        Implementation::Measures => {
            "电梯井道内按规范分层设置水平安全网，各层井口安装定型化防护门；整改完成前封闭井口周边区域"
        }
        Implementation::Funds => "整改费用在项目安全生产费用中列支",
        Implementation::Deadline => "交办之日起5个工作日内完成整改",
        Implementation::ContingencyPlan => {
            "整改期间禁止在井道周边作业，按项目高处坠落专项应急预案做好应急准备"
        }
    }
}

/// Seeds the inspections demo unless inspections exist already.
pub async fn seed(k: &Kernel) -> AppResult<()> {
    if inspection::Entity::find().count(&k.db.conn).await? > 0 {
        return Ok(());
    }
    let mut rng = Rng(20_261_129);
    let inspector = who(k, "inspector").await?;
    let safety = who(k, "safety").await?;
    let pm = who(k, "pm").await?;
    let manager = who(k, "manager").await?;
    let enterprise = safety
        .principal
        .enterprise_id
        .ok_or_else(|| AppError::internal("demo safety account has no enterprise"))?;
    // The demo enterprise's active projects carry the self-check history.
    let mine: Vec<project::Model> = project::Entity::find()
        .filter(project::Column::Status.eq(ProjectStatus::Active))
        .filter(project::Column::Id.in_subquery(
            jianan_kernel::registry_scopes::projects_of_enterprise(enterprise),
        ))
        .order_by_asc(project::Column::Code)
        .all(&k.db.conn)
        .await?;
    let end = today();
    for p in mine.iter().take(4) {
        for back in 1..=60i64 {
            let day = end - Duration::days(back);
            // About one day in twelve is missed: the compliance view has something to show.
            if rng.below(12) == 0 {
                continue;
            }
            let at = local_midnight_utc(day)
                + Duration::hours(8 + i64::try_from(rng.below(9)).unwrap_or(0));
            record(
                k,
                &safety,
                p.id,
                InspectionKind::SafetyManagerDaily,
                at,
                "日常巡查",
            )
            .await?;
            if day.format("%u").to_string() == "1" {
                record(
                    k,
                    &pm,
                    p.id,
                    InspectionKind::ProjectLeaderWeekly,
                    at + Duration::hours(1),
                    "项目负责人周检",
                )
                .await?;
            }
            if day.format("%d").to_string() == "05" {
                record(
                    k,
                    &manager,
                    p.id,
                    InspectionKind::EnterpriseMonthly,
                    at + Duration::hours(2),
                    "企业月度检查",
                )
                .await?;
            }
        }
    }
    // Scored supervision checks across the district, finding hazards.
    let active: Vec<project::Model> = project::Entity::find()
        .filter(project::Column::Status.eq(ProjectStatus::Active))
        .order_by_asc(project::Column::Code)
        .all(&k.db.conn)
        .await?;
    // One check every second working day from the first working day after the 2026 National Day
    // holiday (10-01 to 10-07), at 10:00 Beijing time: no supervision on a holiday or a weekend.
    let calendar = k.calendar();
    let mut day = calendar
        .next_working_day_on_or_after(NaiveDate::from_ymd_opt(2026, 10, 8).unwrap_or_default());
    let (mut majors, mut generals) = (MAJOR_HAZARDS.iter().cycle(), GENERAL_HAZARDS.iter().cycle());
    for (n, p) in active.iter().step_by(6).take(16).enumerate() {
        let at = local_midnight_utc(day) + Duration::hours(10);
        day = calendar.add_working_days(day, 2);
        // Every guaranteed item (1–6) answered (§4.0.1), and two general items.
        let deductions: Vec<insp::ChecklistItem> = ["1", "2", "3", "4", "5", "6", "8", "10"]
            .iter()
            .map(|item| insp::ChecklistItem {
                item: (*item).into(),
                deduction: i32::try_from(rng.below(5)).unwrap_or(0),
                not_applicable: false,
                note: None,
            })
            .collect();
        // One check in four finds a major hazard.
        let found = if n % 4 == 3 {
            majors.next()
        } else {
            generals.next()
        }
        .ok_or_else(|| AppError::internal("demo hazards missing"))?;
        let (category, criterion) = found.class()?;
        let input = insp::NewInspection {
            project_id: p.id,
            kind: if n % 5 == 4 {
                InspectionKind::Covert
            } else {
                InspectionKind::DepartmentSupervision
            },
            inspected_at: at,
            latitude: Some(29.32 + f64::from(u32::try_from(n).unwrap_or(0)) * 0.01),
            longitude: Some(107.76),
            inspector_ids: inspector.principal.account_id.into_iter().collect(),
            findings: "对照《建筑施工安全检查标准》（JGJ 59-2011）安全管理检查评分表逐项检查，并巡查施工现场"
                .into(),
            result: InspectionResult::Rectify,
            checklist: Some(insp::Checklist {
                template_code: "JGJ59-2011".into(),
                template_version: None,
                sheets: vec![insp::ChecklistSheet {
                    sheet: "safety_management".into(),
                    not_applicable: false,
                    items: deductions,
                }],
            }),
            hazards: vec![insp::FoundHazard {
                level: found.level,
                category,
                criterion,
                description: found.description.into(),
                location: found.location.into(),
            }],
            draw_assignment: None,
            idempotency_key: None,
        };
        // Recorded the same day, as the inspector would have: the period was open then.
        insp::record_as_of(k, &inspector, input, at + Duration::hours(1)).await?;
    }
    // Hazards on the demo enterprise's projects, walked to every state.
    let states = [
        "REPORTED",
        "ASSIGNED",
        "RECTIFYING",
        "SUBMITTED",
        "CLOSED",
        "REJECTED",
        "MAJOR_READY",
        "OVERDUE",
    ];
    // The major one is the last of MAJOR_HAZARDS; the others are the general hazards in turn.
    let mut generals = GENERAL_HAZARDS.iter();
    // (hazard, project, description) of the major hazard and of the overdue one, for enforcement.
    let mut walked_major = None;
    let mut walked_overdue = None;
    for (n, state) in states.iter().enumerate() {
        let Some(p) = mine.get(n % mine.len().max(1)) else {
            break;
        };
        let major = *state == "MAJOR_READY";
        let found = if major {
            MAJOR_HAZARDS.last()
        } else {
            generals.next()
        }
        .ok_or_else(|| AppError::internal("demo hazards missing"))?;
        let (category, criterion) = found.class()?;
        let h = hazard::report(
            k,
            &inspector,
            hazard::HazardReport {
                project_id: p.id,
                level: found.level,
                category,
                criterion,
                description: found.description.into(),
                location: found.location.into(),
                idempotency_key: None,
            },
        )
        .await?;
        if major {
            walked_major = Some((h.id, p.id, found.description));
        } else if *state == "OVERDUE" {
            walked_overdue = Some((h.id, p.id, found.description));
        }
        let id = h.id;
        if *state == "REPORTED" {
            continue;
        }
        hazard::assign(
            k,
            &inspector,
            hazard::HazardAssignment {
                hazard_id: id,
                responsible_enterprise_id: enterprise,
                responsible_person: "项目负责人".into(),
                deadline_working_days: if *state == "OVERDUE" { 1 } else { 5 },
                expected_version: None,
            },
        )
        .await?;
        if *state == "OVERDUE" {
            // Its one-working-day deadline is backdated so the overdue job has something to find.
            hazard::backdate_deadline_for_demo(k, h.id).await?;
            continue;
        }
        if major {
            for kind in Implementation::ALL {
                hazard::record_implementation(
                    k,
                    &safety,
                    hazard::ImplementationRecord {
                        hazard_id: id,
                        kind,
                        content: implementation_note(kind).into(),
                    },
                )
                .await?;
            }
        }
        if *state == "ASSIGNED" {
            continue;
        }
        let step = |c: &str, photos: Vec<uuid::Uuid>| hazard::RectificationStep {
            hazard_id: id,
            comment: c.into(),
            photo_ids: photos,
            expected_version: None,
        };
        hazard::start(k, &safety, step("", Vec::new())).await?;
        if *state == "RECTIFYING" || major {
            continue;
        }
        let after = photo(k, &safety, id, "整改后.png").await?;
        hazard::submit(k, &safety, step("已按要求整改，附整改后照片", vec![after])).await?;
        match *state {
            "CLOSED" => {
                hazard::verify(k, &inspector, step("复查合格，予以销号", Vec::new())).await?;
            }
            "REJECTED" => {
                hazard::reject(k, &inspector, step("整改不到位，请继续整改", Vec::new())).await?;
            }
            _ => {}
        }
    }
    // Enforcement against the demo enterprise, each on the hazard it is about.
    //
    // The plan (武隆建发〔2021〕69号) 三、（四） names 约谈警示 for projects "存在重大安全隐患", and
    // 三、（六） the safety-credit evaluation; the credit deduction also cites the municipal credit
    // evaluation measures (渝府发〔2012〕65号; whether they are still in force is to verify, and the
    // 3 points are illustrative, not taken from its scoring table). See docs/legal-sources.md.
    let actions = walked_major.zip(walked_overdue).map(|(major, overdue)| {
        [
            (
                EnforcementKind::WarningInterview,
                None,
                "《住房城乡建设领域深化“十条措施”落实常态化安全管理工作方案》（武隆建发〔2021〕69号）三、（四）",
                major,
                format!(
                    "项目存在重大事故隐患（{}），约谈施工企业负责人和项目负责人，督促落实“五落实”，限期消除隐患",
                    major.2
                ),
            ),
            (
                EnforcementKind::CreditDeduction,
                Some(3),
                "《重庆市建筑施工企业诚信综合评价暂行办法》（渝府发〔2012〕65号）；《住房城乡建设领域深化“十条措施”落实常态化安全管理工作方案》（武隆建发〔2021〕69号）三、（六）",
                overdue,
                format!("交办的隐患（{}）逾期未完成整改", overdue.2),
            ),
        ]
    });
    for (kind, points, basis, (hazard_id, project_id, _), description) in
        actions.into_iter().flatten()
    {
        enforcement::issue(
            k,
            &inspector,
            enforcement::NewEnforcementAction {
                kind,
                legal_basis: basis.into(),
                description,
                target_enterprise_id: Some(enterprise),
                target_person: None,
                project_id: Some(project_id),
                points,
                penalty_fen: None,
                hazard_ids: vec![hazard_id],
                inspection_ids: Vec::new(),
                idempotency_key: None,
            },
        )
        .await?;
    }
    // A published double-random draw. Its pool: the commission's enforcement officers, each with
    // an enforcement credential (执法证) valid on the draw date.
    let pool: Vec<account::Model> = account::Entity::find()
        .filter(account::Column::Username.is_in(["inspector", "staff", "leader"]))
        .all(&k.db.conn)
        .await?;
    let registry = RequestInfo::system("seed");
    for (n, a) in pool.iter().enumerate() {
        use jianan_registry::service::account::{
            CredentialChange, EnforcementCredential, change_credential,
        };
        change_credential(
            k,
            &registry,
            CredentialChange {
                account_id: a.id,
                expected_version: None,
                credential: Some(EnforcementCredential {
                    number: format!("渝执字第5001560{:02}号", n + 1),
                    issuing_authority: "重庆市人民政府".into(),
                    valid_until: today() + Duration::days(3 * 365),
                }),
            },
        )
        .await?;
    }
    let d = draw::create(
        k,
        &inspector,
        draw::NewRandomDraw {
            title: "2026年第四季度在建项目“双随机”抽查".into(),
            township_ids: None,
            project_statuses: None,
            inspector_ids: pool.iter().map(|a| a.id).collect(),
            target_count: 6,
            team_size: 2,
            conflicts: Vec::new(),
            deadline_working_days: 15,
            idempotency_key: None,
        },
    )
    .await?;
    draw::execute(k, &inspector, d.id).await?;
    let d = draw::publish(k, &inspector, d.id).await?;
    // The first drawn team has checked its project; the others are still to go.
    if let Some(first) = draw::result_of(&d)?.and_then(|(r, _)| r.assignments.into_iter().next())
        && let [recorder, partner, ..] = first.inspectors.as_slice()
        && let Some(recorder) = pool.iter().find(|a| a.id == *recorder)
    {
        insp::record(
            k,
            &who(k, &recorder.username).await?,
            insp::NewInspection {
                project_id: first.target,
                kind: InspectionKind::DoubleRandom,
                inspected_at: Utc::now(),
                latitude: None,
                longitude: None,
                inspector_ids: vec![*partner],
                findings: "双随机抽查：对照《建筑施工安全检查标准》抽查现场安全管理".into(),
                result: InspectionResult::NoProblem,
                checklist: None,
                hazards: Vec::new(),
                draw_assignment: Some(draw::AssignmentRef {
                    draw_id: d.id,
                    project_id: first.target,
                }),
                idempotency_key: None,
            },
        )
        .await?;
    }
    Ok(())
}

async fn record(
    k: &Kernel,
    who: &RequestInfo,
    project: Uuid,
    kind: InspectionKind,
    at: chrono::DateTime<Utc>,
    findings: &str,
) -> AppResult<()> {
    // The history is replayed as recorded shortly after each check, while its period was open.
    insp::record_as_of(
        k,
        who,
        insp::NewInspection {
            project_id: project,
            kind,
            inspected_at: at,
            latitude: None,
            longitude: None,
            inspector_ids: Vec::new(),
            findings: findings.into(),
            result: InspectionResult::NoProblem,
            checklist: None,
            hazards: Vec::new(),
            draw_assignment: None,
            idempotency_key: None,
        },
        at + Duration::minutes(30),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::rules::hazard_criteria::criteria;
    use crate::rules::jgj59::jgj59_2011;

    /// Every demo major hazard cites an item of 建质规〔2024〕5号 that exists and belongs to the
    /// hazard's category, i.e. to the article that holds the item.
    #[test]
    fn every_major_demo_hazard_meets_a_criterion_of_its_category() {
        for h in &MAJOR_HAZARDS {
            assert_eq!(h.level, HazardLevel::Major, "{}", h.description);
            let criterion = criteria()
                .iter()
                .find(|c| c.article == h.basis)
                .unwrap_or_else(|| panic!("{}: no criterion {}", h.description, h.basis));
            assert_eq!(
                criterion.category,
                h.category,
                "{}: {} is under {}",
                h.description,
                h.basis,
                criterion.category.article()
            );
        }
    }

    /// Every demo general hazard falls under a summary item of JGJ 59-2011.
    #[test]
    fn every_general_demo_hazard_falls_under_a_jgj59_summary_item() {
        let template = jgj59_2011();
        for h in &GENERAL_HAZARDS {
            assert_eq!(h.level, HazardLevel::General, "{}", h.description);
            assert!(
                template.summary_items.iter().any(|s| s.name == h.basis),
                "{}: {} is not a JGJ 59-2011 summary item",
                h.description,
                h.basis
            );
        }
    }

    /// The seed needs a general hazard for each of the seven non-major states, and descriptions
    /// are distinct so the demo lists read as different findings.
    #[test]
    fn demo_hazards_are_enough_and_distinct() {
        assert!(GENERAL_HAZARDS.len() >= 7);
        let mut seen = std::collections::HashSet::new();
        for h in MAJOR_HAZARDS.iter().chain(&GENERAL_HAZARDS) {
            assert!(seen.insert(h.description), "{} twice", h.description);
            assert!(!h.location.is_empty());
        }
        for kind in Implementation::ALL {
            assert!(!implementation_note(kind).is_empty());
        }
    }
}

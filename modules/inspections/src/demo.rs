//! Demo data for `jianan seed --demo`: two months of self-checks with realistic gaps, scored
//! supervision checks, hazards in every state (some major, some overdue), enforcement actions and
//! a published double-random draw — written through the same services the API uses (called
//! directly, with `Uuid`s), so every record has its steps, audit trail, events and obligation
//! evidence.
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use jianan_entity::enums::ProjectStatus;
use jianan_entity::{account, project};
use jianan_kernel::calendar::{local_midnight_utc, today};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::sync::Arc;
use uuid::Uuid;

use crate::entity::enums::{
    EnforcementKind, HazardLevel, Implementation, InspectionKind, InspectionResult,
};
use crate::entity::inspection;
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
    let a = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo account {username} missing")))?;
    let p = jianan_registry::service::auth::principal_of(&k.db.conn, k, &a).await?;
    Ok(RequestInfo {
        principal: Arc::new(p),
        request_id: "demo-seed".into(),
        client_addr: None,
    })
}

const HAZARDS: &[(&str, &str, &str)] = &[
    (
        "SCAFFOLDING",
        "脚手架连墙件缺失，架体局部外倾",
        "3号楼北侧外架",
    ),
    (
        "TEMPORARY_ELECTRICITY",
        "开关箱未设置漏电保护器",
        "钢筋加工棚",
    ),
    ("WORK_AT_HEIGHT", "临边防护栏杆缺失", "5层楼板东侧"),
    ("HOISTING_MACHINERY", "塔吊力矩限制器失效", "1号塔吊"),
    (
        "FOUNDATION_PIT_AND_SLOPE",
        "基坑周边堆载超出设计要求",
        "基坑南侧",
    ),
    (
        "FORMWORK_AND_SHORING",
        "高支模立杆间距超出专项方案",
        "地下室顶板",
    ),
    ("SAFETY_MANAGEMENT", "项目负责人未按规定带班", "项目部"),
    ("CONFINED_SPACE", "有限空间作业未检测气体", "污水井"),
];

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
    for (n, p) in active.iter().step_by(6).take(16).enumerate() {
        let at = Utc.from_utc_datetime(
            &(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default()
                + Duration::days(i64::try_from(n * 3).unwrap_or(0)))
            .and_hms_opt(2, 0, 0)
            .unwrap_or_default(),
        );
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
        let (cat, desc, loc) = HAZARDS[n % HAZARDS.len()];
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
            findings: "对照《建筑施工安全检查标准》逐项检查".into(),
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
                level: if n % 4 == 3 {
                    HazardLevel::Major
                } else {
                    HazardLevel::General
                },
                category: cat.into(),
                description: desc.into(),
                location: loc.into(),
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
    for (n, state) in states.iter().enumerate() {
        let Some(p) = mine.get(n % mine.len().max(1)) else {
            break;
        };
        let (cat, desc, loc) = HAZARDS[n % HAZARDS.len()];
        let major = *state == "MAJOR_READY";
        let h = hazard::report(
            k,
            &inspector,
            hazard::HazardReport {
                project_id: p.id,
                level: if major {
                    HazardLevel::Major
                } else {
                    HazardLevel::General
                },
                category: cat.into(),
                description: desc.into(),
                location: loc.into(),
                idempotency_key: None,
            },
        )
        .await?;
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
                        content: "已落实并形成书面记录".into(),
                    },
                )
                .await?;
            }
        }
        if *state == "ASSIGNED" {
            continue;
        }
        let step = |c: &str| hazard::RectificationStep {
            hazard_id: id,
            comment: c.into(),
            expected_version: None,
        };
        hazard::start(k, &safety, step("")).await?;
        if *state == "RECTIFYING" || major {
            continue;
        }
        hazard::submit(k, &safety, step("已按要求整改，附整改前后照片")).await?;
        match *state {
            "CLOSED" => {
                hazard::verify(k, &inspector, step("复查合格，予以销号")).await?;
            }
            "REJECTED" => {
                hazard::reject(k, &inspector, step("整改不到位，请继续整改")).await?;
            }
            _ => {}
        }
    }
    // Enforcement: a warning interview and a credit deduction against the demo enterprise.
    for (kind, points, basis) in [
        (
            EnforcementKind::WarningInterview,
            None,
            "《建设工程安全生产管理条例》第五十三条",
        ),
        (
            EnforcementKind::CreditDeduction,
            Some(3),
            "《重庆市建筑施工企业安全生产信用评价办法》",
        ),
    ] {
        enforcement::issue(
            k,
            &inspector,
            enforcement::NewEnforcementAction {
                kind,
                legal_basis: basis.into(),
                description: "隐患整改逾期未完成".into(),
                target_enterprise_id: Some(enterprise),
                target_person: None,
                project_id: mine.first().map(|p| p.id),
                points,
                penalty_fen: None,
                hazard_ids: Vec::new(),
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

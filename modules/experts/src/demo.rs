//! Demo data: sixty experts across the specialties (two suspended, one retired, some with
//! certificates expiring; the demo account `expert` linked to one), a service request whose
//! visit found two problems (inspections opens their hazards), a drawn request waiting for its
//! visit, and a deep excavation beyond the scale with its review panel drawn — all entered
//! through the services, as the demo's staff and expert.
use chrono::{Days, NaiveDate};
use jianan_entity::{account, project};
use jianan_kernel::{AppError, AppResult, Kernel};
use jianan_registry::demo::request_as;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::entity::enums::{
    AssignmentSubject, DangerousWorkKind, ExpertStatus, Measure, Specialty,
};
use crate::entity::expert;
use crate::service::library::{self, NewCertificate, NewExpert};
use crate::service::{draw, request, review, visit};

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 10] = [
    "建国", "志强", "海燕", "立新", "文博", "晓东", "丽华", "振宇", "国栋", "慧敏",
];
const TITLES: [&str; 3] = ["高级工程师", "正高级工程师", "工程师"];
const SPECIALTIES: [Specialty; 12] = [
    Specialty::FoundationPit,
    Specialty::FormworkShoring,
    Specialty::Scaffolding,
    Specialty::HoistingMachinery,
    Specialty::TemporaryElectricity,
    Specialty::FireSafety,
    Specialty::Structures,
    Specialty::SpecialEquipment,
    Specialty::CurtainWall,
    Specialty::Demolition,
    Specialty::UndergroundWorks,
    Specialty::SafetyManagement,
];

/// Seeds the library (skipped when experts exist already).
pub async fn seed(k: &Kernel) -> AppResult<()> {
    if expert::Entity::find().count(&k.db.conn).await? > 0 {
        return Ok(());
    }
    let who = request_as(k, "staff").await?;
    let expert_account = account::Entity::find()
        .filter(account::Column::Username.eq("expert"))
        .one(&k.db.conn)
        .await?
        .map(|a| a.id);
    let mut ids = Vec::new();
    let base = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    for i in 0..60usize {
        let name = format!("{}{}", SURNAMES[i % 12], GIVEN[(i * 7) % 10]);
        let mut specialties = vec![SPECIALTIES[i % 12]];
        if i % 3 == 0 {
            specialties.push(SPECIALTIES[(i + 5) % 12]);
        }
        // Every seventh expert's certificate runs out within the warning period.
        let days = if i % 7 == 0 { 30 } else { 400 + (i as u64) * 5 };
        let e = library::register(
            k,
            &who,
            NewExpert {
                name,
                specialties,
                title: TITLES[i % 3].to_owned(),
                employer_uscc: None,
                employer_name: None,
                phone: Some(format!("139{:08}", 10_000_000 + i * 7919)),
                account_id: if i == 2 { expert_account } else { None },
                certificates: vec![NewCertificate {
                    name: "注册安全工程师".into(),
                    number: format!("AQ-{:06}", 100_000 + i),
                    expires_on: base.checked_add_days(Days::new(days)).unwrap_or(base),
                }],
                idempotency_key: None,
            },
        )
        .await?;
        let status = match i {
            13 | 37 => Some(ExpertStatus::Suspended),
            59 => Some(ExpertStatus::Retired),
            _ => None,
        };
        if let Some(s) = status {
            library::set_status(k, &who, e.id, s, "示例数据", None).await?;
        }
        ids.push(e.id);
    }
    let projects = project::Entity::find()
        .filter(project::Column::ArchivedAt.is_null())
        .order_by_asc(project::Column::Code)
        .all(&k.db.conn)
        .await?;
    let (Some(first), Some(second)) = (projects.first(), projects.get(1)) else {
        return Ok(());
    };
    // A visit by the demo expert that found two problems.
    let r = request::create(
        k,
        &who,
        request::NewRequest {
            project_id: first.id,
            topic: "脚手架搭设和拆除安全服务".into(),
            specialty: Specialty::Scaffolding,
            expert_count: 1,
            idempotency_key: None,
        },
    )
    .await?;
    draw::appoint(k, &who, AssignmentSubject::ServiceRequest, r.id, ids[2]).await?;
    if expert_account.is_some() {
        let as_expert = request_as(k, "expert").await?;
        visit::record(
            k,
            &as_expert,
            visit::NewVisit {
                request_id: r.id,
                visited_on: jianan_kernel::calendar::today(),
                summary: "检查外脚手架搭设、连墙件和临时用电".into(),
                findings: vec![
                    visit::NewFinding {
                        category: "SCAFFOLDING".into(),
                        description: "外脚手架连墙件间距超过规范要求".into(),
                        location: "2号楼东立面".into(),
                    },
                    visit::NewFinding {
                        category: "TEMPORARY_ELECTRICITY".into(),
                        description: "分配电箱未设置漏电保护器".into(),
                        location: "2号楼北侧分配电箱".into(),
                    },
                ],
                idempotency_key: None,
            },
        )
        .await?;
    }
    // A drawn request waiting for its visit.
    let r2 = request::create(
        k,
        &who,
        request::NewRequest {
            project_id: second.id,
            topic: "塔吊安装验收前安全服务".into(),
            specialty: Specialty::HoistingMachinery,
            expert_count: 2,
            idempotency_key: None,
        },
    )
    .await?;
    let d = draw::commit(
        k,
        &who,
        draw::NewDraw {
            subject_type: AssignmentSubject::ServiceRequest,
            subject_id: r2.id,
            specialty: Specialty::HoistingMachinery,
            count: 2,
            idempotency_key: None,
        },
    )
    .await?;
    draw::execute(k, &who, d.id).await?;
    // A deep excavation beyond the scale, its review planned and its panel of five drawn.
    let work = review::register_work(
        k,
        &who,
        review::NewWork {
            project_id: second.id,
            kind: DangerousWorkKind::DeepExcavation,
            description: "地下二层基坑，开挖深度9.6米，排桩加内支撑".into(),
            measures: vec![(Measure::DepthM, 9.6)],
            idempotency_key: None,
        },
    )
    .await?;
    let plan = review::plan(k, &who, work.id, "深基坑支护及降水专项施工方案", None).await?;
    let d = draw::commit(
        k,
        &who,
        draw::NewDraw {
            subject_type: AssignmentSubject::SchemeReview,
            subject_id: plan.id,
            specialty: Specialty::FoundationPit,
            count: 5,
            idempotency_key: None,
        },
    )
    .await
    .map_err(|e| AppError::internal(format!("demo review draw: {e:?}")))?;
    draw::execute(k, &who, d.id).await?;
    Ok(())
}

//! Demo data: about sixty experts across the specialties (some suspended, one retired, some
//! with certificates expiring), entered through the library service.
use chrono::{Days, NaiveDate};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppResult, Kernel};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::entity::enums::{ExpertStatus, Specialty};
use crate::entity::expert;
use crate::service::library::{self, NewCertificate, NewExpert};

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
    let who = RequestInfo::system("seed");
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
                account_id: None,
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
    }
    Ok(())
}

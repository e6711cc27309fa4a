//! Demo data: houses in four of the demo district's townships and streets, a screening campaign
//! under way (started ten days ago by the department), some houses screened — no risk,
//! suspected, risky, appraised C and D — their ledger entries (one under way in 白马镇), and the
//! demo monitor (`monitor`, 白马镇) assigned to a dangerous house, with one visit logged. Written
//! through the module's services as the demo accounts, so everything has its audit trail.
use chrono::Days;
use jianan_entity::account;
use jianan_entity::org_unit;
use jianan_kernel::{AppError, AppResult, Kernel};
use jianan_registry::demo::request_as;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::{
    AppraisalLevel, HouseRisk, HouseUse, LedgerMeasure, MonitoringTrend, StructureType,
};
use crate::entity::house;
use crate::service::campaign::{NewCampaign, NewScreening};
use crate::service::house::HouseData;
use crate::service::{campaign, house as houses, ledger, monitor};

/// The townships (demo org codes) and a centre point for their houses.
const PLACES: [(&str, &str, f64, f64); 4] = [
    ("TS-BAIMA", "白马村", 107.631_2, 29.393_4),
    ("TS-JIANGKOU", "江口村", 107.846_5, 29.318_7),
    ("TS-HUOLU", "火炉村", 107.921_3, 29.456_1),
    ("ST-FENGSHAN", "凤山社区", 107.757_8, 29.325_6),
];

const OWNERS: [&str; 8] = [
    "张德明",
    "李秀英",
    "王建国",
    "刘桂兰",
    "陈志强",
    "杨淑芬",
    "赵德华",
    "周玉梅",
];

const STRUCTURES: [StructureType; 4] = [
    StructureType::BrickConcrete,
    StructureType::BrickWood,
    StructureType::EarthWood,
    StructureType::Frame,
];

const USES: [HouseUse; 3] = [HouseUse::OwnDwelling, HouseUse::Rental, HouseUse::Business];

/// What the campaign found at the first houses of each township (the rest are not screened yet).
const JUDGEMENTS: [(HouseRisk, Option<AppraisalLevel>); 4] = [
    (HouseRisk::Risky, Some(AppraisalLevel::C)),
    (HouseRisk::NoRisk, None),
    (HouseRisk::Suspected, None),
    (HouseRisk::Risky, Some(AppraisalLevel::D)),
];

/// Seeds the housing demo (once: nothing is added when houses exist).
pub async fn seed(k: &Kernel) -> AppResult<()> {
    if house::Entity::find().count(&k.db.conn).await? > 0 {
        return Ok(());
    }
    let staff = request_as(k, "staff").await?;
    let township = request_as(k, "township").await?;
    let mut townships = Vec::new();
    for (code, ..) in PLACES {
        let unit = org_unit::Entity::find()
            .filter(org_unit::Column::Code.eq(code))
            .one(&k.db.conn)
            .await?
            .ok_or_else(|| AppError::internal(format!("demo township {code} missing")))?;
        townships.push(unit.id);
    }
    let today = jianan_kernel::calendar::today();
    let (c, _) = campaign::start(
        k,
        &staff,
        NewCampaign {
            name: "2026年城乡房屋安全隐患排查整治".into(),
            township_ids: townships.clone(),
            uses: Vec::new(),
            structures: Vec::new(),
            starts_on: today.checked_sub_days(Days::new(10)).unwrap_or(today),
            ends_on: today.checked_add_days(Days::new(50)).unwrap_or(today),
            target_count: 24,
        },
    )
    .await?;
    let mut n = 0usize;
    let mut baima_dangerous = Vec::new();
    for (t, (_, village, lon, lat)) in townships.iter().zip(PLACES) {
        for i in 0..5u32 {
            n += 1;
            let step = f64::from(i) * 0.000_731;
            let data = HouseData {
                village: village.into(),
                address: format!("{village}{}组{}号", i / 2 + 1, 10 + i * 3),
                longitude: lon + step,
                latitude: lat - step / 2.0,
                owner_name: OWNERS[n % OWNERS.len()].into(),
                owner_phone: Some(format!("139{:08}", 23_450_000 + n * 7)),
                structure: STRUCTURES[n % STRUCTURES.len()],
                storeys: i32::try_from(1 + n % 3).unwrap_or(1),
                year_built: Some(1975 + i32::try_from(n * 2).unwrap_or(0)),
                house_use: USES[n % USES.len()],
                floor_area: format!("{}.{}", 60 + n * 9, n % 10),
                self_built: !n.is_multiple_of(4),
                has_documents: n.is_multiple_of(3),
            };
            let h = houses::register(k, &staff, *t, data).await?;
            let Some(&(risk, level)) = JUDGEMENTS.get(i as usize) else {
                continue;
            };
            let (_, entry) = campaign::record_screening(
                k,
                &staff,
                NewScreening {
                    campaign_id: c.id,
                    house_id: h.id,
                    observed: match risk {
                        HouseRisk::NoRisk => Vec::new(),
                        HouseRisk::Suspected => vec!["ROOF_LEAK".into()],
                        HouseRisk::Risky => {
                            vec!["WALL_CRACKS".into(), "FOUNDATION_SETTLEMENT".into()]
                        }
                    },
                    findings: Some(match risk {
                        HouseRisk::NoRisk => "未发现明显隐患".into(),
                        HouseRisk::Suspected => "屋面局部渗漏，建议鉴定".into(),
                        HouseRisk::Risky => "承重墙斜裂缝，地基不均匀沉降".into(),
                    }),
                    risk,
                    level,
                },
            )
            .await?;
            if *t == townships[0]
                && let Some(e) = entry
            {
                baima_dangerous.push((h.id, e));
            }
        }
    }
    // 白马镇: the C-level house's work is under way; the monitor watches the D-level house.
    if let Some((_, e)) = baima_dangerous.first() {
        ledger::start(
            k,
            &township,
            e.id,
            ledger::Plan {
                measure: LedgerMeasure::Reinforce,
                responsible_person: "白马村村委会 王主任".into(),
                deadline: today.checked_add_days(Days::new(30)).unwrap_or(today),
            },
            Some(e.version),
        )
        .await?;
    }
    if let Some((house_id, _)) = baima_dangerous.get(1) {
        let monitor_id = account_id_of(k, "monitor").await?;
        monitor::assign(k, &township, *house_id, monitor_id, 7).await?;
        let monitor = request_as(k, "monitor").await?;
        monitor::record_log(
            k,
            &monitor,
            *house_id,
            "北墙斜裂缝宽约3毫米，与上次相同；人员已撤离",
            MonitoringTrend::Unchanged,
            None,
        )
        .await?;
    }
    Ok(())
}

async fn account_id_of(k: &Kernel, username: &str) -> AppResult<Uuid> {
    account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&k.db.conn)
        .await?
        .map(|a| a.id)
        .ok_or_else(|| AppError::internal(format!("demo account {username} missing")))
}

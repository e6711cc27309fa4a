//! The housing module's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): houses in
//! every township and street, screened in one year-long campaign, with the hazard ledger the
//! screenings open — as `registerHouse`, `recordHouseScreening` and the ledger's steps leave them
//! ([`crate::service::campaign::record_screening`]), written in bulk without audit records.
//!
//! - Nine houses in ten are screened; each screening's judgement is copied onto its house
//!   (`risk`, `level`, `screened_at`, one more `version`), as the service does.
//! - A screening whose judgement calls for a measure ([`ledger_measure`]: risky, or appraised C
//!   or D) opens a ledger entry; of those, some are being dealt with (a responsible person and a
//!   deadline) and some are closed with a note.
//! - Addresses are unique per township under [`normalise_address`], as the registry requires.
use chrono::{Datelike, Duration};
use jianan_entity::enums::OrgUnitKind;
use jianan_entity::{account, org_unit};
use jianan_kernel::calendar::{to_shanghai, today};
use jianan_kernel::principal::{Role, roles_of};
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppResult, Kernel};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entity::enums::{AppraisalLevel, HouseRisk, HouseUse, LedgerState, StructureType};
use crate::entity::{campaign, campaign_township, house, ledger, screening};
use crate::rules::checklist::ITEMS;
use crate::rules::ledger::ledger_measure;
use crate::service::house::normalise_address;

const SURNAMES: [&str; 12] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 10] = [
    "桂英", "秀兰", "建国", "德明", "春华", "国强", "玉梅", "永福", "志刚", "淑珍",
];
const STRUCTURES: [(StructureType, u32); 6] = [
    (StructureType::BrickConcrete, 55),
    (StructureType::Frame, 15),
    (StructureType::BrickWood, 15),
    (StructureType::EarthWood, 8),
    (StructureType::Stone, 5),
    (StructureType::Steel, 2),
];
const USES: [(HouseUse, u32); 4] = [
    (HouseUse::OwnDwelling, 75),
    (HouseUse::Business, 8),
    (HouseUse::Rental, 10),
    (HouseUse::Mixed, 7),
];

fn weighted<T: Copy>(rng: &mut rand::rngs::StdRng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut pick = rng.gen_range(0..total.max(1));
    for (item, w) in items {
        if pick < *w {
            return Some(*item);
        }
        pick -= *w;
    }
    None
}

/// Loads the volume (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let mut rng = volume.rng("housing");
    let townships: Vec<org_unit::Model> = org_unit::Entity::find()
        .filter(org_unit::Column::Kind.is_in([OrgUnitKind::Township, OrgUnitKind::Street]))
        .filter(org_unit::Column::ArchivedAt.is_null())
        .order_by_asc(org_unit::Column::Code)
        .all(&k.db.conn)
        .await?;
    if townships.is_empty() || volume.houses == 0 {
        return Ok(Vec::new());
    }
    // Screened by the township's staff (or, without any, by the commission's).
    let people = account::Entity::find()
        .filter(account::Column::ArchivedAt.is_null())
        .order_by_asc(account::Column::Username)
        .all(&k.db.conn)
        .await?;
    let staff_of = |t: Uuid| -> Vec<Uuid> {
        people
            .iter()
            .filter(|a| a.org_unit_id == Some(t) && roles_of(a).contains(&Role::TownshipStaff))
            .map(|a| a.id)
            .collect()
    };
    let commission: Vec<Uuid> = people
        .iter()
        .filter(|a| {
            let r = roles_of(a);
            r.contains(&Role::DepartmentStaff) || r.contains(&Role::Admin)
        })
        .map(|a| a.id)
        .collect();
    let anchor = volume.anchor();
    let created = anchor - Duration::days(400);
    let starts = today() - chrono::Days::new(365);
    let campaign_id = id_at(&mut rng, created);
    let w = k.db.begin_write().await?;
    let n_campaign = insert_chunked(
        &*w,
        vec![campaign::ActiveModel {
            id: Set(campaign_id),
            name: Set(format!(
                "{}年度城乡房屋安全隐患排查",
                to_shanghai(anchor).year()
            )),
            uses: Set("[]".to_owned()),
            structures: Set("[]".to_owned()),
            starts_on: Set(starts),
            ends_on: Set(today() + chrono::Days::new(30)),
            target_count: Set(i32::try_from(volume.houses).unwrap_or(i32::MAX)),
            created_by: Set(commission.first().copied()),
            version: Set(1),
            created_at: Set(created),
            updated_at: Set(created),
        }],
    )
    .await?;
    let mut links = Vec::new();
    for t in &townships {
        links.push(campaign_township::ActiveModel {
            id: Set(id_at(&mut rng, created)),
            campaign_id: Set(campaign_id),
            township_id: Set(t.id),
        });
    }
    let n_links = insert_chunked(&*w, links).await?;
    let staff: Vec<Vec<Uuid>> = townships.iter().map(|t| staff_of(t.id)).collect();
    let (mut n_houses, mut n_screenings, mut n_ledger) = (0u64, 0u64, 0u64);
    let mut houses = Vec::new();
    let mut screenings = Vec::new();
    let mut entries = Vec::new();
    for i in 0..volume.houses {
        let ti = i % townships.len();
        let Some(t) = townships.get(ti) else { continue };
        let village = format!(
            "{}村",
            ["新华", "红光", "团结", "和平", "长坪", "双河"][rng.gen_range(0..6)]
        );
        let address = format!(
            "{}{}{}组{}号",
            t.name,
            village,
            rng.gen_range(1..12),
            i / townships.len() + 1
        );
        let registered = created + Duration::minutes(rng.gen_range(0..30 * 24 * 60));
        let id = id_at(&mut rng, registered);
        let owner = format!(
            "{}{}",
            SURNAMES[rng.gen_range(0..SURNAMES.len())],
            GIVEN[rng.gen_range(0..GIVEN.len())]
        );
        let mut row = house::ActiveModel {
            id: Set(id),
            township_id: Set(t.id),
            village: Set(village),
            address_key: Set(normalise_address(&address)),
            address: Set(address),
            longitude_e6: Set(107_300_000 + rng.gen_range(0..700_000)),
            latitude_e6: Set(29_100_000 + rng.gen_range(0..600_000)),
            owner_name: Set(owner),
            owner_phone: Set(Some(format!(
                "13{}{:08}",
                rng.gen_range(0..10),
                rng.gen_range(0..100_000_000)
            ))),
            structure: Set(weighted(&mut rng, &STRUCTURES).unwrap_or(StructureType::BrickConcrete)),
            storeys: Set(rng.gen_range(1..=6)),
            year_built: Set(Some(rng.gen_range(1960..=2022))),
            house_use: Set(weighted(&mut rng, &USES).unwrap_or(HouseUse::OwnDwelling)),
            floor_area_dm2: Set(rng.gen_range(6_000..40_000)),
            self_built: Set(rng.gen_range(0..10) < 8),
            has_documents: Set(rng.gen_range(0..10) < 6),
            risk: Set(None),
            level: Set(None),
            screened_at: Set(None),
            created_by: Set(staff.get(ti).and_then(|s| s.first()).copied()),
            version: Set(1),
            created_at: Set(registered),
            updated_at: Set(registered),
        };
        if rng.gen_range(0..10) < 9 {
            let at = anchor - Duration::minutes(rng.gen_range(24 * 60..364 * 24 * 60));
            let (risk, level) = match rng.gen_range(0..100) {
                0..80 => (HouseRisk::NoRisk, None),
                80..94 => (
                    HouseRisk::Suspected,
                    if rng.gen_range(0..2) == 0 {
                        Some(AppraisalLevel::B)
                    } else {
                        None
                    },
                ),
                _ => (
                    HouseRisk::Risky,
                    if rng.gen_range(0..5) < 3 {
                        Some(AppraisalLevel::C)
                    } else {
                        Some(AppraisalLevel::D)
                    },
                ),
            };
            let mut observed: Vec<&str> = Vec::new();
            if risk != HouseRisk::NoRisk {
                for _ in 0..rng.gen_range(1..=3) {
                    let item = ITEMS[rng.gen_range(0..ITEMS.len())].code;
                    if !observed.contains(&item) {
                        observed.push(item);
                    }
                }
            }
            let by = staff
                .get(ti)
                .and_then(|s| (!s.is_empty()).then(|| s[rng.gen_range(0..s.len())]))
                .or(commission.first().copied());
            let sid = id_at(&mut rng, at);
            screenings.push(screening::ActiveModel {
                id: Set(sid),
                campaign_id: Set(campaign_id),
                house_id: Set(id),
                township_id: Set(t.id),
                observed: Set(serde_json::to_string(&observed).unwrap_or_else(|_| "[]".into())),
                findings: Set(if observed.is_empty() {
                    String::new()
                } else {
                    "墙体开裂，需进一步鉴定".to_owned()
                }),
                risk: Set(risk),
                level: Set(level),
                screened_by: Set(by),
                created_at: Set(at),
            });
            row.risk = Set(Some(risk));
            row.level = Set(level);
            row.screened_at = Set(Some(at));
            row.version = Set(2);
            row.updated_at = Set(at);
            if let Some(measure) = ledger_measure(risk, level) {
                let (state, person, deadline, note, closed, version, updated) =
                    match rng.gen_range(0..20) {
                        0..12 => (LedgerState::Open, None, None, None, None, 1, at),
                        12..17 => {
                            let started = at + Duration::days(rng.gen_range(1..10));
                            let started = started.min(anchor - Duration::hours(1));
                            (
                                LedgerState::InProgress,
                                Some(format!(
                                    "{}村委会主任",
                                    SURNAMES[rng.gen_range(0..SURNAMES.len())]
                                )),
                                Some(today() + chrono::Days::new(rng.gen_range(10..90))),
                                None,
                                None,
                                2,
                                started,
                            )
                        }
                        _ => {
                            let done = at + Duration::days(rng.gen_range(1..30));
                            let done = done.min(anchor - Duration::hours(1));
                            (
                                LedgerState::Closed,
                                Some(format!(
                                    "{}村委会主任",
                                    SURNAMES[rng.gen_range(0..SURNAMES.len())]
                                )),
                                Some(to_shanghai(done).date_naive()),
                                Some("已完成整治并复核".to_owned()),
                                Some(done),
                                3,
                                done,
                            )
                        }
                    };
                entries.push(ledger::ActiveModel {
                    id: Set(id_at(&mut rng, at)),
                    house_id: Set(id),
                    township_id: Set(t.id),
                    screening_id: Set(sid),
                    risk: Set(risk),
                    level: Set(level),
                    measure: Set(measure),
                    responsible_person: Set(person),
                    deadline: Set(deadline),
                    state: Set(state),
                    close_note: Set(note),
                    closed_at: Set(closed),
                    version: Set(version),
                    created_at: Set(at),
                    updated_at: Set(updated),
                });
            }
        }
        houses.push(row);
        if houses.len() >= 5_000 {
            n_houses += insert_chunked(&*w, std::mem::take(&mut houses)).await?;
            n_screenings += insert_chunked(&*w, std::mem::take(&mut screenings)).await?;
            n_ledger += insert_chunked(&*w, std::mem::take(&mut entries)).await?;
        }
    }
    n_houses += insert_chunked(&*w, houses).await?;
    n_screenings += insert_chunked(&*w, screenings).await?;
    n_ledger += insert_chunked(&*w, entries).await?;
    w.commit().await?;
    Ok(vec![
        ("housing_campaign", n_campaign),
        ("housing_campaign_township", n_links),
        ("housing_house", n_houses),
        ("housing_screening", n_screenings),
        ("housing_ledger_entry", n_ledger),
    ])
}

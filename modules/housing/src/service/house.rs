//! The house registry: registration and correction of houses, with their duplicate check.
//!
//! - Coordinates are WGS-84, kept to 6 decimals (about 0.1 m) as integer millionths of a degree.
//! - The floor area is given as a decimal string of square metres with at most two decimals
//!   (`"86.5"`), kept as integer square decimetres (1 m² = 100 dm²), and shown as `"86.50"`.
//! - A house whose normalised address ([`normalise_address`]) is already registered in the same
//!   township is refused with `CONFLICT` naming the existing house's global ID; there is no
//!   override: correct the existing record instead (a unique index settles races).
use chrono::{Datelike, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::relay::encode_id;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{phone, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::township_for;
use crate::entity::enums::{HouseUse, StructureType};
use crate::entity::house;
use crate::perms;

/// The GraphQL type name of a house.
pub const HOUSE: &str = "House";

/// The comparable form of an address: trimmed, full-width forms (U+FF01–U+FF5E and the
/// ideographic space) turned into their ASCII counterparts, runs of whitespace collapsed to one
/// space, ASCII letters lower-cased. `"  幸福村３组　１２号 "` → `"幸福村3组 12号"`.
pub fn normalise_address(address: &str) -> String {
    let half: String = address
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    half.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// Degrees → millionths of a degree, rounded; refused outside `[-limit, limit]` or when not a
/// number.
pub fn coordinate_e6(field: &str, label: &str, value: f64, limit: f64) -> AppResult<i64> {
    if !value.is_finite() || value.abs() > limit {
        return Err(AppError::bad_input(
            field,
            format!("{label}应在-{limit}到{limit}度之间（WGS-84）"),
        ));
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok((value * 1_000_000.0).round() as i64)
}

/// Millionths of a degree → degrees.
#[allow(clippy::cast_precision_loss)]
pub fn degrees(e6: i64) -> f64 {
    e6 as f64 / 1_000_000.0
}

/// Largest floor area accepted: 100 000 m².
pub const MAX_FLOOR_AREA_DM2: i64 = 10_000_000;

/// `"86.5"` (m²) → 8650 (dm²); at most two decimals, more than 0 and at most 100 000 m².
pub fn parse_floor_area(text: &str) -> AppResult<i64> {
    let bad = || AppError::bad_input("floorArea", "建筑面积应为平方米数，最多两位小数，如 86.5");
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || whole.len() > 7
        || frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || (t.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let dm2 = w * 100 + f;
    if dm2 <= 0 || dm2 > MAX_FLOOR_AREA_DM2 {
        return Err(AppError::bad_input(
            "floorArea",
            "建筑面积应大于0且不超过100000平方米",
        ));
    }
    Ok(dm2)
}

/// 8650 → `"86.50"`.
pub fn format_floor_area(dm2: i64) -> String {
    format!("{}.{:02}", dm2 / 100, dm2 % 100)
}

/// A house's description, as registered or corrected.
#[derive(Debug, Clone)]
pub struct HouseData {
    pub village: String,
    pub address: String,
    pub longitude: f64,
    pub latitude: f64,
    pub owner_name: String,
    pub owner_phone: Option<String>,
    pub structure: StructureType,
    pub storeys: i32,
    pub year_built: Option<i32>,
    pub house_use: HouseUse,
    /// m², decimal string (see the module comment).
    pub floor_area: String,
    pub self_built: bool,
    pub has_documents: bool,
}

/// [`HouseData`] checked and converted to stored values.
struct Checked {
    village: String,
    address: String,
    address_key: String,
    longitude_e6: i64,
    latitude_e6: i64,
    owner_name: String,
    owner_phone: Option<String>,
    floor_area_dm2: i64,
}

fn check(d: &HouseData) -> AppResult<Checked> {
    let village = required_text("village", "村（社区）", &d.village, 100)?;
    let address = required_text("address", "地址", &d.address, 200)?;
    let owner_name = required_text("ownerName", "户主姓名", &d.owner_name, 50)?;
    let owner_phone = phone("ownerPhone", d.owner_phone.as_deref())?;
    let longitude_e6 = coordinate_e6("longitude", "经度", d.longitude, 180.0)?;
    let latitude_e6 = coordinate_e6("latitude", "纬度", d.latitude, 90.0)?;
    if !(1..=50).contains(&d.storeys) {
        return Err(AppError::bad_input("storeys", "层数应在1到50之间"));
    }
    let this_year = jianan_kernel::calendar::today().year();
    if let Some(y) = d.year_built
        && !(1800..=this_year).contains(&y)
    {
        return Err(AppError::bad_input(
            "yearBuilt",
            format!("建成年份应在1800到{this_year}之间"),
        ));
    }
    let floor_area_dm2 = parse_floor_area(&d.floor_area)?;
    Ok(Checked {
        address_key: normalise_address(&address),
        village,
        address,
        longitude_e6,
        latitude_e6,
        owner_name,
        owner_phone,
        floor_area_dm2,
    })
}

/// Refuses a second house at the same normalised address in the township.
async fn check_duplicate<C: ConnectionTrait>(
    db: &C,
    township_id: Uuid,
    key: &str,
    except: Option<Uuid>,
) -> AppResult<()> {
    let mut q = house::Entity::find()
        .filter(house::Column::TownshipId.eq(township_id))
        .filter(house::Column::AddressKey.eq(key));
    if let Some(id) = except {
        q = q.filter(house::Column::Id.ne(id));
    }
    if let Some(existing) = q.one(db).await? {
        return Err(duplicate(existing.id));
    }
    Ok(())
}

fn duplicate(id: Uuid) -> AppError {
    AppError::conflict(format!(
        "该乡镇（街道）已登记相同地址的房屋：{}",
        encode_id(HOUSE, id).as_str()
    ))
}

/// A house the caller may see.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<house::Model> {
    scoped::<house::Entity>(p)
        .filter(house::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("房屋"))
}

/// 登记房屋 (`housing.house.register`) in the caller's township (any, for the commission).
pub async fn register(
    k: &Kernel,
    who: &RequestInfo,
    township_id: Uuid,
    data: HouseData,
) -> AppResult<house::Model> {
    let p = &who.principal;
    p.require(perms::HOUSE_REGISTER)?;
    let c = check(&data)?;
    let w = k.db.begin_write().await?;
    township_for(&*w, p, township_id, "townshipId").await?;
    check_duplicate(&*w, township_id, &c.address_key, None).await?;
    let now = Utc::now();
    let model = house::ActiveModel {
        id: Set(Uuid::now_v7()),
        township_id: Set(township_id),
        village: Set(c.village),
        address: Set(c.address),
        address_key: Set(c.address_key),
        longitude_e6: Set(c.longitude_e6),
        latitude_e6: Set(c.latitude_e6),
        owner_name: Set(c.owner_name),
        owner_phone: Set(c.owner_phone),
        structure: Set(data.structure),
        storeys: Set(data.storeys),
        year_built: Set(data.year_built),
        house_use: Set(data.house_use),
        floor_area_dm2: Set(c.floor_area_dm2),
        self_built: Set(data.self_built),
        has_documents: Set(data.has_documents),
        risk: Set(None),
        level: Set(None),
        screened_at: Set(None),
        created_by: Set(p.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await
    .map_err(|e| unique_to_conflict(e, "该乡镇（街道）已登记相同地址的房屋"))?;
    // The owner's name and phone stay out of the audit detail (personal data).
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.house.register", HOUSE, model.id).detail(json!({
            "township": township_id,
            "address": model.address,
            "structure": model.structure,
            "use": model.house_use,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

fn unique_to_conflict(e: sea_orm::DbErr, message: &str) -> AppError {
    if jianan_kernel::error::is_unique_violation(&e) {
        AppError::conflict(message)
    } else {
        AppError::from(e)
    }
}

/// 更正房屋信息 (`housing.house.register`): replaces the description of a house the caller may
/// see, claiming its version (`expectedVersion`). The township does not change.
pub async fn update(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    data: HouseData,
    expected_version: Option<i32>,
) -> AppResult<house::Model> {
    let p = &who.principal;
    p.require(perms::HOUSE_REGISTER)?;
    let c = check(&data)?;
    let w = k.db.begin_write().await?;
    let h = visible(&*w, p, id).await?;
    township_for(&*w, p, h.township_id, "id").await?;
    check_duplicate(&*w, h.township_id, &c.address_key, Some(h.id)).await?;
    claim_read::<house::Entity, _>(&*w, h.id, h.version, expected_version).await?;
    let version = h.version + 1;
    let mut am: house::ActiveModel = h.into();
    am.village = Set(c.village);
    am.address = Set(c.address);
    am.address_key = Set(c.address_key);
    am.longitude_e6 = Set(c.longitude_e6);
    am.latitude_e6 = Set(c.latitude_e6);
    am.owner_name = Set(c.owner_name);
    am.owner_phone = Set(c.owner_phone);
    am.structure = Set(data.structure);
    am.storeys = Set(data.storeys);
    am.year_built = Set(data.year_built);
    am.house_use = Set(data.house_use);
    am.floor_area_dm2 = Set(c.floor_area_dm2);
    am.self_built = Set(data.self_built);
    am.has_documents = Set(data.has_documents);
    am.version = Set(version);
    am.updated_at = Set(Utc::now());
    let model = am
        .update(&*w)
        .await
        .map_err(|e| unique_to_conflict(e, "该乡镇（街道）已登记相同地址的房屋"))?;
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.house.update", HOUSE, model.id).detail(json!({
            "address": model.address,
            "structure": model.structure,
            "use": model.house_use,
            "version": model.version,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

impl Versioned for house::Entity {
    fn id_column() -> house::Column {
        house::Column::Id
    }
    fn version_column() -> house::Column {
        house::Column::Version
    }
    fn updated_at_column() -> house::Column {
        house::Column::UpdatedAt
    }
}

/// Houses as a GeoJSON FeatureCollection (RFC 7946): a Point `[longitude, latitude]` (WGS-84,
/// 6 decimals) per house, with properties id (global), village, address, risk and level — never
/// the owner. `truncated` is a foreign member saying that more houses matched than are shown.
pub fn feature_collection(houses: &[house::Model], truncated: bool) -> serde_json::Value {
    let features = houses.iter().map(|h| {
        let id = encode_id(HOUSE, h.id).to_string();
        let mut properties = serde_json::Map::new();
        properties.insert("id".into(), id.clone().into());
        properties.insert("village".into(), h.village.clone().into());
        properties.insert("address".into(), h.address.clone().into());
        properties.insert("risk".into(), json!(h.risk));
        properties.insert("level".into(), json!(h.level));
        jianan_kernel::geo::Feature {
            id,
            // Checked to ±180 and ±90 degrees when stored, so within i32.
            at: (
                i32::try_from(h.longitude_e6).unwrap_or_default(),
                i32::try_from(h.latitude_e6).unwrap_or_default(),
            ),
            properties,
        }
    });
    let mut fc = jianan_kernel::geo::feature_collection(features);
    fc["truncated"] = json!(truncated);
    fc
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn addresses_are_compared_in_normal_form() {
        assert_eq!(normalise_address("  幸福村３组　１２号 "), "幸福村3组 12号");
        assert_eq!(normalise_address("幸福村3组   12号"), "幸福村3组 12号");
        assert_eq!(normalise_address("ＡＢ路\t5号"), "ab路 5号");
        assert_eq!(normalise_address("（一）"), "(一)");
        assert_ne!(normalise_address("3组12号"), normalise_address("3组 12号"));
    }

    #[test]
    fn floor_areas_are_exact_square_decimetres() {
        assert_eq!(parse_floor_area("86.5").unwrap(), 8650);
        assert_eq!(parse_floor_area(" 120 ").unwrap(), 12_000);
        assert_eq!(parse_floor_area("0.01").unwrap(), 1);
        assert_eq!(format_floor_area(8650), "86.50");
        assert_eq!(format_floor_area(1), "0.01");
        for bad in [
            "",
            "0",
            "-3",
            "1.234",
            "1.",
            ".5",
            "abc",
            "1e3",
            "100000.01",
        ] {
            assert!(parse_floor_area(bad).is_err(), "{bad}");
        }
        assert!(parse_floor_area("100000").is_ok());
    }

    #[test]
    fn coordinates_keep_six_decimals_within_range() {
        assert_eq!(
            coordinate_e6("longitude", "经度", 107.756_123_4, 180.0).unwrap(),
            107_756_123
        );
        assert_eq!(degrees(29_325_001), 29.325_001);
        assert!(coordinate_e6("latitude", "纬度", 90.5, 90.0).is_err());
        assert!(coordinate_e6("latitude", "纬度", f64::NAN, 90.0).is_err());
        assert!(coordinate_e6("longitude", "经度", -180.0, 180.0).is_ok());
    }
}

//! Screening campaigns (排查行动) and the screening of houses within them.
//!
//! A campaign has a period (Asia/Shanghai dates, both included), the townships it covers and,
//! optionally, the house uses and structures it is limited to. A house is screened at most once per
//! campaign, only during the period and only when it is within the scope; otherwise the request is
//! refused (`CONFLICT`) and nothing is written. A screening sets the house's current judgement
//! and, when the house is judged RISKY or appraised C/D ([`crate::rules::ledger`]), opens a
//! ledger entry unless one is still open for the house.
use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{optional_text, required_text};
use jianan_kernel::versioning::claim_read;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::township_for;
use crate::entity::enums::{AppraisalLevel, HouseRisk, HouseUse, LedgerState, StructureType};
use crate::entity::{campaign, campaign_township, house, ledger, screening};
use crate::perms;
use crate::rules::{checklist, ledger::ledger_measure};

/// At most this many townships per campaign (the district has far fewer).
pub const MAX_TOWNSHIPS: usize = 100;

/// What `startScreeningCampaign` needs.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    pub township_ids: Vec<Uuid>,
    /// Empty: every use.
    pub uses: Vec<HouseUse>,
    /// Empty: every structure.
    pub structures: Vec<StructureType>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub target_count: i32,
}

/// The uses a campaign is limited to (empty: all).
pub fn uses_of(c: &campaign::Model) -> Vec<HouseUse> {
    serde_json::from_str(&c.uses).unwrap_or_default()
}

/// The structures a campaign is limited to (empty: all).
pub fn structures_of(c: &campaign::Model) -> Vec<StructureType> {
    serde_json::from_str(&c.structures).unwrap_or_default()
}

/// 启动排查行动 (`housing.campaign.manage`).
pub async fn start(
    k: &Kernel,
    who: &RequestInfo,
    input: NewCampaign,
) -> AppResult<(campaign::Model, Vec<Uuid>)> {
    let p = &who.principal;
    p.require(perms::CAMPAIGN_MANAGE)?;
    let name = required_text("name", "排查行动名称", &input.name, 100)?;
    let mut townships = input.township_ids.clone();
    townships.sort_unstable();
    townships.dedup();
    if townships.is_empty() || townships.len() > MAX_TOWNSHIPS {
        return Err(AppError::bad_input(
            "townshipIds",
            format!("应选择1到{MAX_TOWNSHIPS}个乡镇（街道）"),
        ));
    }
    if input.ends_on < input.starts_on {
        return Err(AppError::bad_input("endsOn", "结束日期不能早于开始日期"));
    }
    if !(1..=1_000_000).contains(&input.target_count) {
        return Err(AppError::bad_input(
            "targetCount",
            "目标排查数应在1到1000000之间",
        ));
    }
    let mut uses = input.uses.clone();
    uses.sort_by_key(|u| *u as u8);
    uses.dedup();
    let mut structures = input.structures.clone();
    structures.sort_by_key(|s| *s as u8);
    structures.dedup();
    let w = k.db.begin_write().await?;
    for t in &townships {
        township_for(&*w, p, *t, "townshipIds").await?;
    }
    let now = Utc::now();
    let model = campaign::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        uses: Set(serde_json::to_string(&uses).map_err(AppError::internal)?),
        structures: Set(serde_json::to_string(&structures).map_err(AppError::internal)?),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        target_count: Set(input.target_count),
        created_by: Set(p.account_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*w)
    .await?;
    for t in &townships {
        campaign_township::ActiveModel {
            id: Set(Uuid::now_v7()),
            campaign_id: Set(model.id),
            township_id: Set(*t),
        }
        .insert(&*w)
        .await?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.campaign.start", "ScreeningCampaign", model.id).detail(json!({
            "name": model.name,
            "townships": townships,
            "uses": uses,
            "structures": structures,
            "startsOn": model.starts_on,
            "endsOn": model.ends_on,
            "targetCount": model.target_count,
        })),
    )
    .await?;
    w.commit().await?;
    Ok((model, townships))
}

/// The townships of a campaign.
pub async fn townships_of<C: ConnectionTrait>(db: &C, campaign_id: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(campaign_township::Entity::find()
        .filter(campaign_township::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.township_id)
        .collect())
}

/// What `recordScreening` needs.
#[derive(Debug, Clone)]
pub struct NewScreening {
    pub campaign_id: Uuid,
    pub house_id: Uuid,
    /// Codes of the checklist items observed ([`checklist::ITEMS`]).
    pub observed: Vec<String>,
    pub findings: Option<String>,
    pub risk: HouseRisk,
    /// Only when the house was appraised.
    pub level: Option<AppraisalLevel>,
}

/// Why a house is outside a campaign, if it is.
pub fn outside_scope(
    c: &campaign::Model,
    townships: &[Uuid],
    h: &house::Model,
    today: NaiveDate,
) -> Option<&'static str> {
    if today < c.starts_on {
        return Some("排查行动尚未开始");
    }
    if today > c.ends_on {
        return Some("排查行动已结束");
    }
    if !townships.contains(&h.township_id) {
        return Some("该房屋所在乡镇（街道）不在本次排查范围内");
    }
    let uses = uses_of(c);
    if !uses.is_empty() && !uses.contains(&h.house_use) {
        return Some("该房屋用途不在本次排查范围内");
    }
    let structures = structures_of(c);
    if !structures.is_empty() && !structures.contains(&h.structure) {
        return Some("该房屋结构类型不在本次排查范围内");
    }
    None
}

/// 录入排查结果 (`housing.screening.record`) for a house the caller may see, in its township.
/// Returns the screening and the ledger entry it opened, if any.
pub async fn record_screening(
    k: &Kernel,
    who: &RequestInfo,
    input: NewScreening,
) -> AppResult<(screening::Model, Option<ledger::Model>)> {
    let p = &who.principal;
    p.require(perms::SCREENING_RECORD)?;
    let mut observed = Vec::new();
    for code in &input.observed {
        let item = checklist::item(code.trim()).ok_or_else(|| {
            AppError::bad_input("observed", format!("检查项 {code} 不在检查表中"))
        })?;
        if !observed.contains(&item.code) {
            observed.push(item.code);
        }
    }
    let findings =
        optional_text("findings", "排查发现", input.findings.as_deref(), 2000)?.unwrap_or_default();
    if input.risk == HouseRisk::NoRisk
        && matches!(input.level, Some(AppraisalLevel::C | AppraisalLevel::D))
    {
        return Err(AppError::bad_input(
            "risk",
            "鉴定为C级或D级的房屋，初判不能为无安全隐患",
        ));
    }
    let w = k.db.begin_write().await?;
    let h = super::house::visible(&*w, p, input.house_id).await?;
    township_for(&*w, p, h.township_id, "houseId").await?;
    let c = scoped::<campaign::Entity>(p)
        .filter(campaign::Column::Id.eq(input.campaign_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("排查行动"))?;
    let townships = townships_of(&*w, c.id).await?;
    let today = jianan_kernel::calendar::today();
    if let Some(why) = outside_scope(&c, &townships, &h, today) {
        return Err(AppError::conflict(why));
    }
    let already = screening::Entity::find()
        .filter(screening::Column::CampaignId.eq(c.id))
        .filter(screening::Column::HouseId.eq(h.id))
        .count(&*w)
        .await?;
    if already > 0 {
        return Err(AppError::conflict("该房屋在本次排查行动中已录入排查结果"));
    }
    let measure = ledger_measure(input.risk, input.level);
    let open_entry = if measure.is_some() {
        ledger::Entity::find()
            .filter(ledger::Column::HouseId.eq(h.id))
            .filter(ledger::Column::State.ne(LedgerState::Closed))
            .one(&*w)
            .await?
    } else {
        None
    };
    claim_read::<house::Entity, _>(&*w, h.id, h.version, None).await?;
    let now = Utc::now();
    let s = screening::ActiveModel {
        id: Set(Uuid::now_v7()),
        campaign_id: Set(c.id),
        house_id: Set(h.id),
        township_id: Set(h.township_id),
        observed: Set(serde_json::to_string(&observed).map_err(AppError::internal)?),
        findings: Set(findings),
        risk: Set(input.risk),
        level: Set(input.level),
        screened_by: Set(p.account_id),
        created_at: Set(now),
    }
    .insert(&*w)
    .await
    .map_err(|e| {
        if jianan_kernel::error::is_unique_violation(&e) {
            AppError::conflict("该房屋在本次排查行动中已录入排查结果")
        } else {
            AppError::from(e)
        }
    })?;
    let version = h.version + 1;
    let previous_level = h.level;
    let mut am: house::ActiveModel = h.clone().into();
    am.risk = Set(Some(input.risk));
    am.level = Set(input.level.or(previous_level));
    am.screened_at = Set(Some(now));
    am.version = Set(version);
    am.updated_at = Set(now);
    am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.screening.record", "HouseScreening", s.id).detail(json!({
            "campaign": c.id,
            "house": h.id,
            "observed": observed,
            "risk": input.risk,
            "level": input.level,
        })),
    )
    .await?;
    let mut entry = None;
    if let (Some(measure), None) = (measure, open_entry) {
        let e = ledger::ActiveModel {
            id: Set(Uuid::now_v7()),
            house_id: Set(h.id),
            township_id: Set(h.township_id),
            screening_id: Set(s.id),
            risk: Set(input.risk),
            level: Set(input.level),
            measure: Set(measure),
            responsible_person: Set(None),
            deadline: Set(None),
            state: Set(LedgerState::Open),
            close_note: Set(None),
            closed_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&*w)
        .await?;
        audit::record(
            &w,
            who,
            AuditEntry::new("housing.ledger.open", "HouseLedgerEntry", e.id).detail(json!({
                "house": h.id,
                "screening": s.id,
                "measure": measure,
            })),
        )
        .await?;
        entry = Some(e);
    }
    w.commit().await?;
    Ok((s, entry))
}

/// A campaign's progress in one township.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TownshipProgress {
    pub township_id: Uuid,
    /// Houses of the township within the campaign's uses and structures.
    pub houses: i64,
    /// Houses screened in the campaign.
    pub screened: i64,
    /// Houses within scope not yet screened.
    pub to_screen: i64,
    /// Screenings that judged the house RISKY or appraised it C/D.
    pub risky: i64,
}

/// 排查进度 per township of the campaign, counted in SQL (two grouped statements).
pub async fn progress<C: ConnectionTrait>(
    db: &C,
    c: &campaign::Model,
) -> AppResult<Vec<TownshipProgress>> {
    let townships = townships_of(db, c.id).await?;
    let mut houses = house::Entity::find()
        .select_only()
        .column(house::Column::TownshipId)
        .column_as(house::Column::Id.count(), "n")
        .filter(house::Column::TownshipId.is_in(townships.clone()))
        .group_by(house::Column::TownshipId);
    let uses = uses_of(c);
    if !uses.is_empty() {
        houses = houses.filter(house::Column::HouseUse.is_in(uses));
    }
    let structures = structures_of(c);
    if !structures.is_empty() {
        houses = houses.filter(house::Column::Structure.is_in(structures));
    }
    let houses: BTreeMap<Uuid, i64> = houses
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let screened: BTreeMap<Uuid, (i64, i64)> = screening::Entity::find()
        .select_only()
        .column(screening::Column::TownshipId)
        .column_as(screening::Column::Id.count(), "n")
        .column_as(
            Expr::cust("SUM(CASE WHEN risk = 'RISKY' OR level IN ('C', 'D') THEN 1 ELSE 0 END)"),
            "risky",
        )
        .filter(screening::Column::CampaignId.eq(c.id))
        .group_by(screening::Column::TownshipId)
        .into_tuple::<(Uuid, i64, Option<i64>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(t, n, r)| (t, (n, r.unwrap_or(0))))
        .collect();
    Ok(townships
        .into_iter()
        .map(|t| {
            let h = houses.get(&t).copied().unwrap_or(0);
            let (s, r) = screened.get(&t).copied().unwrap_or((0, 0));
            TownshipProgress {
                township_id: t,
                houses: h,
                screened: s,
                to_screen: (h - s).max(0),
                risky: r,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::entity::enums::{HouseUse, StructureType};

    fn campaign(uses: &[HouseUse], structures: &[StructureType]) -> campaign::Model {
        let now = Utc::now();
        campaign::Model {
            id: Uuid::now_v7(),
            name: "c".into(),
            uses: serde_json::to_string(uses).unwrap(),
            structures: serde_json::to_string(structures).unwrap(),
            starts_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            target_count: 10,
            created_by: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    fn house(t: Uuid) -> house::Model {
        let now = Utc::now();
        house::Model {
            id: Uuid::now_v7(),
            township_id: t,
            village: "v".into(),
            address: "a".into(),
            address_key: "a".into(),
            longitude_e6: 0,
            latitude_e6: 0,
            owner_name: "o".into(),
            owner_phone: None,
            structure: StructureType::EarthWood,
            storeys: 2,
            year_built: None,
            house_use: HouseUse::Rental,
            floor_area_dm2: 100,
            self_built: true,
            has_documents: false,
            risk: None,
            level: None,
            screened_at: None,
            created_by: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn only_within_period_and_scope() {
        let t = Uuid::now_v7();
        let h = house(t);
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let all = campaign(&[], &[]);
        assert_eq!(outside_scope(&all, &[t], &h, day(1)), None);
        assert_eq!(outside_scope(&all, &[t], &h, day(31)), None);
        assert!(
            outside_scope(
                &all,
                &[t],
                &h,
                NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
            )
            .is_some()
        );
        assert!(
            outside_scope(&all, &[t], &h, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).is_some()
        );
        assert!(outside_scope(&all, &[Uuid::now_v7()], &h, day(5)).is_some());
        let rental = campaign(&[HouseUse::Rental, HouseUse::Business], &[]);
        assert_eq!(outside_scope(&rental, &[t], &h, day(5)), None);
        let own = campaign(&[HouseUse::OwnDwelling], &[]);
        assert!(outside_scope(&own, &[t], &h, day(5)).is_some());
        let frame = campaign(&[], &[StructureType::Frame]);
        assert!(outside_scope(&frame, &[t], &h, day(5)).is_some());
    }
}

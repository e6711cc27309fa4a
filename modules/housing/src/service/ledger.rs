//! The hazard ledger (危房台账): what is done about each house judged RISKY or appraised C/D.
//!
//! An entry opens with the screening (see [`super::campaign::record_screening`]) in state OPEN
//! with a proposed measure; the township starts the work (IN_PROGRESS), naming the measure, the
//! responsible person and the deadline; it closes (销号) with a note. Each step is audited and
//! claims the entry's version (`expectedVersion`). A refused step writes nothing.
use chrono::{NaiveDate, Utc};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::pii::{mask_name, mask_phone};
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::township_for;
use crate::entity::enums::{AppraisalLevel, HouseRisk, LedgerMeasure, LedgerState};
use crate::entity::{house, ledger};
use crate::perms;

/// The GraphQL type name of a ledger entry.
pub const ENTRY: &str = "HouseLedgerEntry";

/// What is done to a ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerAction {
    /// 开始整治
    Start,
    /// 销号
    Close,
}

impl LedgerAction {
    pub const ALL: [LedgerAction; 2] = [LedgerAction::Start, LedgerAction::Close];
}

/// The state after `action`, or `CONFLICT` with a Chinese message.
pub fn next_state(from: LedgerState, action: LedgerAction) -> AppResult<LedgerState> {
    use LedgerAction as A;
    use LedgerState as S;
    match (from, action) {
        (S::Open, A::Start) => Ok(S::InProgress),
        (S::InProgress, A::Close) => Ok(S::Closed),
        (S::Open, A::Close) => Err(AppError::conflict("整治尚未开始，不能销号")),
        (S::InProgress, A::Start) => Err(AppError::conflict("整治已在进行中")),
        (S::Closed, _) => Err(AppError::conflict("该台账条目已销号")),
    }
}

/// A ledger entry the caller may see.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: Uuid,
) -> AppResult<ledger::Model> {
    scoped::<ledger::Entity>(p)
        .filter(ledger::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("台账条目"))
}

/// How the work is planned when it starts.
#[derive(Debug, Clone)]
pub struct Plan {
    pub measure: LedgerMeasure,
    pub responsible_person: String,
    pub deadline: NaiveDate,
}

/// 开始整治 (`housing.ledger.manage`): OPEN → IN_PROGRESS with the measure, the responsible person
/// and the deadline (not in the past).
pub async fn start(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    plan: Plan,
    expected_version: Option<i32>,
) -> AppResult<ledger::Model> {
    let p = &who.principal;
    p.require(perms::LEDGER_MANAGE)?;
    let person = required_text("responsiblePerson", "责任人", &plan.responsible_person, 50)?;
    if plan.deadline < jianan_kernel::calendar::today() {
        return Err(AppError::bad_input("deadline", "整治期限不能早于今天"));
    }
    let w = k.db.begin_write().await?;
    let e = visible(&*w, p, id).await?;
    township_for(&*w, p, e.township_id, "id").await?;
    let to = next_state(e.state, LedgerAction::Start)?;
    claim_read::<ledger::Entity, _>(&*w, e.id, e.version, expected_version).await?;
    let version = e.version + 1;
    let mut am: ledger::ActiveModel = e.into();
    am.state = Set(to);
    am.measure = Set(plan.measure);
    am.responsible_person = Set(Some(person.clone()));
    am.deadline = Set(Some(plan.deadline));
    am.version = Set(version);
    am.updated_at = Set(Utc::now());
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.ledger.start", ENTRY, model.id).detail(json!({
            "measure": plan.measure,
            "responsiblePerson": person,
            "deadline": plan.deadline,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// 销号 (`housing.ledger.manage`): IN_PROGRESS → CLOSED, with a note saying what was done.
pub async fn close(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    note: &str,
    expected_version: Option<i32>,
) -> AppResult<ledger::Model> {
    let p = &who.principal;
    p.require(perms::LEDGER_MANAGE)?;
    let note = required_text("note", "销号说明", note, 1000)?;
    let w = k.db.begin_write().await?;
    let e = visible(&*w, p, id).await?;
    township_for(&*w, p, e.township_id, "id").await?;
    let to = next_state(e.state, LedgerAction::Close)?;
    claim_read::<ledger::Entity, _>(&*w, e.id, e.version, expected_version).await?;
    let now = Utc::now();
    let version = e.version + 1;
    let mut am: ledger::ActiveModel = e.into();
    am.state = Set(to);
    am.close_note = Set(Some(note.clone()));
    am.closed_at = Set(Some(now));
    am.version = Set(version);
    am.updated_at = Set(now);
    let model = am.update(&*w).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("housing.ledger.close", ENTRY, model.id).detail(json!({ "note": note })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// One row of the printed ledger (台账) of a township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// 序号
    pub seq: usize,
    /// 村（社区）
    pub village: String,
    /// 地址
    pub address: String,
    /// 户主（脱敏）
    pub owner_name: String,
    /// 联系电话（脱敏）
    pub owner_phone: Option<String>,
    /// 初判结果
    pub risk: HouseRisk,
    /// 鉴定等级
    pub level: Option<AppraisalLevel>,
    /// 管控措施
    pub measure: LedgerMeasure,
    /// 责任人
    pub responsible_person: Option<String>,
    /// 整治期限
    pub deadline: Option<NaiveDate>,
    /// 状态
    pub state: LedgerState,
    /// 销号说明
    pub close_note: Option<String>,
    /// 列入台账日期 (Asia/Shanghai)
    pub listed_on: NaiveDate,
}

/// The columns of the printed ledger: every ledger entry of `township_id`, oldest first, one
/// [`LedgerRow`] each with its fields in print order. The owner's name and phone are masked:
/// the ledger is printed and passed around. The caller checks who may have it (the export will
/// gate it on `housing.ledger.read` and the township scope).
pub async fn ledger_rows<C: ConnectionTrait>(
    db: &C,
    township_id: Uuid,
) -> AppResult<Vec<LedgerRow>> {
    let entries = ledger::Entity::find()
        .filter(ledger::Column::TownshipId.eq(township_id))
        .order_by_asc(ledger::Column::CreatedAt)
        .order_by_asc(ledger::Column::Id)
        .all(db)
        .await?;
    let houses: std::collections::HashMap<Uuid, house::Model> = house::Entity::find()
        .filter(house::Column::TownshipId.eq(township_id))
        .filter(house::Column::Id.is_in(entries.iter().map(|e| e.house_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let h = houses
                .get(&e.house_id)
                .cloned()
                .ok_or_else(|| AppError::internal("ledger entry without its house"))?;
            Ok(LedgerRow {
                seq: i + 1,
                village: h.village,
                address: h.address,
                owner_name: mask_name(&h.owner_name),
                owner_phone: h.owner_phone.as_deref().map(mask_phone),
                risk: e.risk,
                level: e.level,
                measure: e.measure,
                responsible_person: e.responsible_person,
                deadline: e.deadline,
                state: e.state,
                close_note: e.close_note,
                listed_on: jianan_kernel::calendar::local_date(e.created_at),
            })
        })
        .collect()
}

impl Versioned for ledger::Entity {
    fn id_column() -> ledger::Column {
        ledger::Column::Id
    }
    fn version_column() -> ledger::Column {
        ledger::Column::Version
    }
    fn updated_at_column() -> ledger::Column {
        ledger::Column::UpdatedAt
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jianan_kernel::ErrorCode;
    use sea_orm::Iterable;

    #[test]
    fn every_ledger_state_and_action_pair() {
        use LedgerAction as A;
        use LedgerState as S;
        let allowed = [
            (S::Open, A::Start, S::InProgress),
            (S::InProgress, A::Close, S::Closed),
        ];
        for from in LedgerState::iter() {
            for action in LedgerAction::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match (next_state(from, action), expected) {
                    (Ok(to), Some(e)) => assert_eq!(to, e, "{from:?} {action:?}"),
                    (Err(err), None) => {
                        assert_eq!(err.code, ErrorCode::Conflict, "{from:?} {action:?}");
                        assert!(!err.message.is_ascii());
                    }
                    (got, e) => panic!("{from:?} {action:?}: {got:?} vs {e:?}"),
                }
            }
        }
    }
}

//! 危房整治台账 as the township prints it, through the kernel's export mechanism
//! (`housing.ledger`): every ledger entry of one township, oldest first, owners masked.
use chrono::Utc;
use futures_util::future::BoxFuture;
use jianan_entity::org_unit;
use jianan_kernel::calendar::to_shanghai;
use jianan_kernel::exports::{ExportFile, ExportSource, Table, XLSX, xlsx};
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::RowScope;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ledger::{LedgerRow, ledger_rows};
use crate::entity::enums::{AppraisalLevel, HouseRisk, LedgerMeasure, LedgerState};
use crate::perms;

/// The export's kind.
pub const KIND: &str = "housing.ledger";

/// What the ledger is asked for with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Params {
    pub township_id: Uuid,
}

/// The printed columns, in the order of [`LedgerRow`], with their widths.
pub const COLUMNS: [(&str, f64); 13] = [
    ("序号", 6.0),
    ("村（社区）", 12.0),
    ("地址", 26.0),
    ("户主", 8.0),
    ("联系电话", 14.0),
    ("初判结果", 12.0),
    ("鉴定等级", 8.0),
    ("管控措施", 10.0),
    ("责任人", 10.0),
    ("整治期限", 12.0),
    ("状态", 8.0),
    ("销号说明", 24.0),
    ("列入日期", 12.0),
];

fn risk_zh(r: HouseRisk) -> &'static str {
    match r {
        HouseRisk::NoRisk => "无安全隐患",
        HouseRisk::Suspected => "疑似存在隐患",
        HouseRisk::Risky => "存在安全隐患",
    }
}

fn level_zh(l: AppraisalLevel) -> &'static str {
    match l {
        AppraisalLevel::A => "A级",
        AppraisalLevel::B => "B级",
        AppraisalLevel::C => "C级",
        AppraisalLevel::D => "D级",
    }
}

fn measure_zh(m: LedgerMeasure) -> &'static str {
    match m {
        LedgerMeasure::Monitor => "监测",
        LedgerMeasure::Reinforce => "加固",
        LedgerMeasure::RestrictUse => "限制使用",
        LedgerMeasure::Evacuate => "撤离人员",
        LedgerMeasure::Demolish => "拆除",
    }
}

fn state_zh(s: LedgerState) -> &'static str {
    match s {
        LedgerState::Open => "待整治",
        LedgerState::InProgress => "整治中",
        LedgerState::Closed => "已销号",
    }
}

/// A ledger row as printed.
pub fn printed(r: &LedgerRow) -> Vec<String> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        r.seq.to_string(),
        r.village.clone(),
        r.address.clone(),
        r.owner_name.clone(),
        r.owner_phone.clone().unwrap_or_default(),
        risk_zh(r.risk).to_owned(),
        r.level.map(level_zh).unwrap_or_default().to_owned(),
        measure_zh(r.measure).to_owned(),
        r.responsible_person.clone().unwrap_or_default(),
        day(r.deadline),
        state_zh(r.state).to_owned(),
        r.close_note.clone().unwrap_or_default(),
        r.listed_on.to_string(),
    ]
}

/// The township ledger as an XLSX export: the whole ledger of a township, for the commission
/// and for that township's own staff.
pub struct HouseLedger;

impl ExportSource for HouseLedger {
    fn kind(&self) -> &'static str {
        KIND
    }
    fn produce<'a>(
        &'a self,
        k: &'a Kernel,
        who: &'a Principal,
        params: &'a serde_json::Value,
    ) -> BoxFuture<'a, AppResult<ExportFile>> {
        Box::pin(async move {
            let p: Params = serde_json::from_value(params.clone())
                .map_err(|_| AppError::bad_input("params", "导出参数无效"))?;
            check(who, p.township_id)?;
            let town = org_unit::Entity::find_by_id(p.township_id)
                .one(&k.db.conn)
                .await?
                .ok_or_else(|| AppError::not_found("乡镇（街道）"))?;
            let rows: Vec<Vec<String>> = ledger_rows(&k.db.conn, p.township_id)
                .await?
                .iter()
                .map(printed)
                .collect();
            let now = to_shanghai(Utc::now());
            let table = Table {
                title: format!("{}房屋安全隐患整治台账", town.name),
                subtitle: format!(
                    "制表人：{}　制表时间：{}　共{}户",
                    who.username,
                    now.format("%Y年%m月%d日 %H:%M"),
                    rows.len()
                ),
                columns: COLUMNS.to_vec(),
                rows,
            };
            let n = table.rows.len();
            Ok(ExportFile {
                file_name: format!("{}危房整治台账-{}.xlsx", town.name, now.format("%Y%m%d")),
                media_type: XLSX,
                bytes: xlsx("危房整治台账", &table)?,
                rows: n,
            })
        })
    }
}

/// Who may have a township's whole ledger: a holder of `housing.ledger.read` who sees the
/// district, or that township's own staff (monitors hold no ledger permission).
pub fn check(who: &Principal, township_id: Uuid) -> AppResult<()> {
    who.require(perms::LEDGER_READ)?;
    match RowScope::of(who) {
        RowScope::District => Ok(()),
        RowScope::Township(t) if t == township_id => Ok(()),
        _ => Err(AppError::forbidden()),
    }
}

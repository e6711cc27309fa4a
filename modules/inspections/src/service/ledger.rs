//! 隐患台账 — the hazard ledger as the commission prints it, through the kernel's export
//! mechanism: one row per hazard within the asker's scope (optionally one township, some
//! statuses), oldest report first.
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use jianan_entity::{enterprise, org_unit, project};
use jianan_kernel::calendar::to_shanghai;
use jianan_kernel::exports::{ExportFile, ExportSource, Table, XLSX, xlsx};
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::enums::{HazardLevel, HazardStatus};
use crate::entity::hazard;
use crate::perms;
use crate::rules::hazard_class::GeneralCategory;
use crate::rules::hazard_criteria::HazardCategory;
use crate::service::rectification::status_zh;

/// The export's kind.
pub const KIND: &str = "inspections.hazard_ledger";

/// Most rows one ledger holds (a district's year is far below it).
pub const MAX_ROWS: u64 = 50_000;

/// What a ledger is asked for with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LedgerParams {
    pub township_id: Option<Uuid>,
    #[serde(default)]
    pub statuses: Vec<HazardStatus>,
}

/// The columns of the printed ledger, in order, with their widths.
pub const COLUMNS: [(&str, f64); 12] = [
    ("序号", 6.0),
    ("项目名称", 24.0),
    ("乡镇（街道）", 12.0),
    ("隐患描述", 36.0),
    ("部位", 16.0),
    ("等级", 8.0),
    ("类别", 14.0),
    ("责任单位", 24.0),
    ("整改期限", 12.0),
    ("状态", 12.0),
    ("上报时间", 12.0),
    ("销号时间", 12.0),
];

fn level_zh(l: HazardLevel) -> &'static str {
    match l {
        HazardLevel::General => "一般",
        HazardLevel::Major => "重大",
    }
}

fn category_zh(level: HazardLevel, code: &str) -> String {
    let label = match level {
        HazardLevel::General => GeneralCategory::from_code(code).map(GeneralCategory::label_zh),
        HazardLevel::Major => HazardCategory::from_code(code).map(HazardCategory::label_zh),
    };
    label.map_or_else(|| code.to_owned(), str::to_owned)
}

fn day(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| to_shanghai(t).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The ledger's rows for `who`: four statements whatever the number of hazards (the hazards,
/// then their projects, townships and responsible enterprises in one query each).
pub async fn rows(k: &Kernel, who: &Principal, p: &LedgerParams) -> AppResult<Vec<Vec<String>>> {
    let db = &k.db.conn;
    let mut q = scoped::<hazard::Entity>(who);
    if let Some(t) = p.township_id {
        q = q.filter(hazard::Column::TownshipId.eq(t));
    }
    if !p.statuses.is_empty() {
        q = q.filter(hazard::Column::Status.is_in(p.statuses.clone()));
    }
    let hazards = q
        .order_by_asc(hazard::Column::ReportedAt)
        .order_by_asc(hazard::Column::Id)
        .all(db)
        .await?;
    if hazards.len() as u64 > MAX_ROWS {
        return Err(AppError::bad_input(
            "townshipId",
            format!("台账超过{MAX_ROWS}行，请按乡镇（街道）或状态分别导出"),
        ));
    }
    let ids = |f: fn(&hazard::Model) -> Option<Uuid>| {
        let mut v: Vec<Uuid> = hazards.iter().filter_map(f).collect();
        v.sort();
        v.dedup();
        v
    };
    let projects = project::Entity::find()
        .filter(project::Column::Id.is_in(ids(|h| Some(h.project_id))))
        .all(db)
        .await?;
    let towns = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(ids(|h| Some(h.township_id))))
        .all(db)
        .await?;
    let firms = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids(|h| h.responsible_enterprise_id)))
        .all(db)
        .await?;
    Ok(hazards
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let project = projects.iter().find(|x| x.id == h.project_id);
            let town = towns.iter().find(|x| x.id == h.township_id);
            let firm = h
                .responsible_enterprise_id
                .and_then(|e| firms.iter().find(|x| x.id == e));
            vec![
                (i + 1).to_string(),
                project.map(|x| x.name.clone()).unwrap_or_default(),
                town.map(|x| x.name.clone()).unwrap_or_default(),
                h.description.clone(),
                h.location.clone(),
                level_zh(h.level).to_owned(),
                category_zh(h.level, &h.category),
                firm.map(|x| x.name.clone()).unwrap_or_default(),
                day(h.deadline_at),
                status_zh(h.status).to_owned(),
                day(Some(h.reported_at)),
                day(h.closed_at),
            ]
        })
        .collect())
}

/// The hazard ledger as an XLSX export.
pub struct HazardLedger;

impl ExportSource for HazardLedger {
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
            // Checked again when the link is opened: the asker may have lost the right since.
            who.require(perms::HAZARD_READ)?;
            let p: LedgerParams = serde_json::from_value(params.clone())
                .map_err(|_| AppError::bad_input("params", "导出参数无效"))?;
            let rows = rows(k, who, &p).await?;
            let place = match p.township_id {
                Some(t) => org_unit::Entity::find_by_id(t)
                    .one(&k.db.conn)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_default(),
                None => "全区".to_owned(),
            };
            let now = to_shanghai(Utc::now());
            let table = Table {
                title: format!("{place}建设工程安全隐患台账"),
                subtitle: format!(
                    "制表人：{}　制表时间：{}　共{}条",
                    who.username,
                    now.format("%Y年%m月%d日 %H:%M"),
                    rows.len()
                ),
                columns: COLUMNS.to_vec(),
                rows,
            };
            let n = table.rows.len();
            Ok(ExportFile {
                file_name: format!("{place}隐患台账-{}.xlsx", now.format("%Y%m%d")),
                media_type: XLSX,
                bytes: xlsx("隐患台账", &table)?,
                rows: n,
            })
        })
    }
}

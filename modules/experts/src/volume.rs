//! The experts module's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): the expert
//! library (专家库) of a district of that size, as `registerExpert` leaves it
//! ([`crate::service::library::register`]): each expert with one to three specialties (stored as
//! the service stores them, [`specialties_text`]), a professional title, an employer — a
//! registered enterprise (so that avoidance in a draw knows it) or an outside institute — a phone,
//! and one or two certificates, some near or past their expiry. A few are suspended or retired.
//! No login accounts: experts sign in only when the commission links an EXPERT account.
use chrono::Duration;
use jianan_entity::enterprise;
use jianan_kernel::calendar::today;
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppResult, Kernel};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, Iterable, QueryFilter, QueryOrder, Set};

use crate::entity::enums::{ExpertStatus, Specialty};
use crate::entity::{certificate, expert};
use crate::service::library::specialties_text;

const SURNAMES: [&str; 12] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "建华", "志强", "文斌", "海涛", "晓东", "国平", "立新", "红梅", "永胜", "德华", "俊峰", "明亮",
];
const TITLES: [&str; 4] = ["高级工程师", "正高级工程师", "工程师", "教授级高级工程师"];
const CERTIFICATES: [&str; 4] = [
    "一级注册建造师",
    "注册安全工程师",
    "一级注册结构工程师",
    "注册岩土工程师",
];
const INSTITUTES: [&str; 3] = ["重庆大学", "市建筑科学研究院", "市勘测院"];

/// Loads the volume (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let mut rng = volume.rng("experts");
    let employers = enterprise::Entity::find()
        .filter(enterprise::Column::ArchivedAt.is_null())
        .order_by_asc(enterprise::Column::Uscc)
        .all(&k.db.conn)
        .await?;
    let all: Vec<Specialty> = Specialty::iter().collect();
    let mut experts = Vec::new();
    let mut certificates = Vec::new();
    for i in 0..volume.experts {
        let at = volume.ago(rng.gen_range(30 * 86_400..720 * 86_400));
        let id = id_at(&mut rng, at);
        let mut mine = Vec::new();
        for _ in 0..rng.gen_range(1..=3) {
            if let Some(s) = all.get(rng.gen_range(0..all.len().max(1))) {
                mine.push(*s);
            }
        }
        let employer = if rng.gen_range(0..3) < 2 && !employers.is_empty() {
            employers.get(rng.gen_range(0..employers.len()))
        } else {
            None
        };
        let status = match rng.gen_range(0..50) {
            0 => ExpertStatus::Retired,
            1 | 2 => ExpertStatus::Suspended,
            _ => ExpertStatus::Active,
        };
        experts.push(expert::ActiveModel {
            id: Set(id),
            name: Set(format!(
                "{}{}",
                SURNAMES[rng.gen_range(0..SURNAMES.len())],
                GIVEN[rng.gen_range(0..GIVEN.len())]
            )),
            specialties: Set(specialties_text(&mine)),
            title: Set(TITLES[rng.gen_range(0..TITLES.len())].to_owned()),
            employer_uscc: Set(employer.map(|e| e.uscc.clone())),
            employer_enterprise_id: Set(employer.map(|e| e.id)),
            employer_name: Set(Some(employer.map_or_else(
                || INSTITUTES[rng.gen_range(0..INSTITUTES.len())].to_owned(),
                |e| e.name.clone(),
            ))),
            status: Set(status),
            phone: Set(Some(format!("139{:08}", rng.gen_range(0..100_000_000)))),
            account_id: Set(None),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
        });
        for c in 0..rng.gen_range(1..=2) {
            // Most valid for years; one in ten expires within three months or has expired.
            let days: i64 = if rng.gen_range(0..10) == 0 {
                rng.gen_range(-60..90)
            } else {
                rng.gen_range(180..1_800)
            };
            let expires = today() + Duration::days(days);
            certificates.push(certificate::ActiveModel {
                id: Set(id_at(&mut rng, at)),
                expert_id: Set(id),
                name: Set(CERTIFICATES[rng.gen_range(0..CERTIFICATES.len())].to_owned()),
                number: Set(format!("渝{:06}{c}", i)),
                expires_on: Set(expires),
                created_at: Set(at),
            });
        }
    }
    let w = k.db.begin_write().await?;
    let n_experts = insert_chunked(&*w, experts).await?;
    let n_certificates = insert_chunked(&*w, certificates).await?;
    w.commit().await?;
    Ok(vec![
        ("experts_expert", n_experts),
        ("experts_certificate", n_certificates),
    ])
}

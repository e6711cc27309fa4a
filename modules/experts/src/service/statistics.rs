//! 专家服务统计 — visits by specialty and month, findings per visit, and the balance of the
//! experts' workload, within the caller's scope and a date range. A fixed number of statements
//! whatever the size.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use jianan_kernel::principal::Principal;
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::{AssignmentStatus, ExpertStatus, Specialty};
use crate::entity::{assignment, expert, finding, service_request, visit};

/// Visits of one specialty in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthCount {
    /// "YYYY-MM"
    pub month: String,
    pub specialty: Specialty,
    pub visits: i64,
}

/// One expert's workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub expert_id: Uuid,
    pub name: String,
    pub assignments: i64,
}

/// The statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub by_month: Vec<MonthCount>,
    pub visits: i64,
    pub findings: i64,
    /// Findings per visit (0 when no visit).
    pub findings_per_visit: f64,
    /// Active experts, fewest assignments first.
    pub workload: Vec<Workload>,
    /// Most minus fewest assignments among active experts.
    pub workload_spread: i64,
}

/// Computes the statistics of visits on days `from..=to` and assignments made in that range.
pub async fn compute<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Statistics> {
    if to < from || (to - from).num_days() > 366 * 3 {
        return Err(AppError::bad_input("to", "统计区间应为1天到3年"));
    }
    let visits = scoped::<visit::Entity>(p)
        .filter(visit::Column::VisitedOn.gte(from))
        .filter(visit::Column::VisitedOn.lte(to))
        .all(db)
        .await?;
    let requests: HashMap<Uuid, Specialty> = scoped::<service_request::Entity>(p)
        .filter(service_request::Column::Id.is_in(visits.iter().map(|v| v.request_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.specialty))
        .collect();
    let findings = scoped::<finding::Entity>(p)
        .filter(finding::Column::VisitId.is_in(visits.iter().map(|v| v.id)))
        .all(db)
        .await?
        .len() as i64;
    let mut months: BTreeMap<(String, Specialty), i64> = BTreeMap::new();
    for v in &visits {
        if let Some(s) = requests.get(&v.request_id) {
            *months
                .entry((v.visited_on.format("%Y-%m").to_string(), *s))
                .or_default() += 1;
        }
    }
    let start = jianan_kernel::calendar::local_midnight_utc(from);
    let end = jianan_kernel::calendar::local_midnight_utc(to + chrono::Days::new(1));
    let assignments = scoped::<assignment::Entity>(p)
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .filter(assignment::Column::CreatedAt.gte(start))
        .filter(assignment::Column::CreatedAt.lt(end))
        .all(db)
        .await?;
    let mut per: HashMap<Uuid, i64> = HashMap::new();
    for a in &assignments {
        *per.entry(a.expert_id).or_default() += 1;
    }
    let mut workload: Vec<Workload> = scoped::<expert::Entity>(p)
        .filter(expert::Column::Status.eq(ExpertStatus::Active))
        .all(db)
        .await?
        .into_iter()
        .map(|e| Workload {
            assignments: per.get(&e.id).copied().unwrap_or(0),
            expert_id: e.id,
            name: e.name,
        })
        .collect();
    workload.sort_by(|a, b| {
        a.assignments
            .cmp(&b.assignments)
            .then(a.expert_id.cmp(&b.expert_id))
    });
    let spread = match (workload.first(), workload.last()) {
        (Some(a), Some(b)) => b.assignments - a.assignments,
        _ => 0,
    };
    let n = visits.len() as i64;
    Ok(Statistics {
        by_month: months
            .into_iter()
            .map(|((month, specialty), visits)| MonthCount {
                month,
                specialty,
                visits,
            })
            .collect(),
        visits: n,
        findings,
        findings_per_visit: if n == 0 {
            0.0
        } else {
            findings as f64 / n as f64
        },
        workload,
        workload_spread: spread,
    })
}

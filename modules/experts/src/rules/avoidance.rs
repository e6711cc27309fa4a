//! 专家回避 — which experts may not serve on a project's draw, review or visit.
//!
//! Sources:
//! * 《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号，2018）第十二条：专项施工
//!   方案论证的专家“与本工程有利害关系的人员不得以专家身份参加专家论证会”; 建办质〔2018〕31号
//!   第十条 lists who attends in other capacities (the construction, supervision, design and survey
//!   units). An expert employed by an enterprise that takes part in the project therefore recuses.
//! * Suspended or retired experts are not drawn (the library's own status).
//! * “近期已为该项目抽取” — an expert drawn for the same project within [`RECENT_DAYS`] is avoided so
//!   that the same people do not keep examining the same site. The period is a local working
//!   choice (待核实: no national rule fixes it).
//! * An expert already on the same assignment (serving, or having refused) is not drawn again.
use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::entity::enums::{Avoidance, ExpertStatus};

/// An expert drawn for a project within this many days is avoided for that project (待核实).
pub const RECENT_DAYS: i64 = 90;

/// What the avoidance rules know of one expert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertFacts {
    pub id: Uuid,
    pub status: ExpertStatus,
    /// The employer in the registry, if registered.
    pub employer: Option<Uuid>,
    /// The latest day the expert was assigned to the project (any subject), if ever.
    pub last_on_project: Option<NaiveDate>,
}

/// What the avoidance rules know of the project and the assignment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFacts {
    /// Enterprises taking part in the project (construction, supervision, … units).
    pub participants: BTreeSet<Uuid>,
    /// Experts already on this assignment (serving or refused).
    pub on_subject: BTreeSet<Uuid>,
}

/// Why `e` may not serve on the project on `today`, or `None` when they may. The first reason
/// in this order wins: retired, suspended, already on the subject, employed by a participant,
/// recently on the project.
pub fn avoidance(e: &ExpertFacts, p: &ProjectFacts, today: NaiveDate) -> Option<Avoidance> {
    if e.status == ExpertStatus::Retired {
        return Some(Avoidance::Retired);
    }
    if e.status == ExpertStatus::Suspended {
        return Some(Avoidance::Suspended);
    }
    if p.on_subject.contains(&e.id) {
        return Some(Avoidance::AlreadyOnSubject);
    }
    if e.employer.is_some_and(|x| p.participants.contains(&x)) {
        return Some(Avoidance::EmployedByParticipant);
    }
    if e.last_on_project
        .is_some_and(|d| (today - d).num_days() < RECENT_DAYS)
    {
        return Some(Avoidance::RecentlyDrawn);
    }
    None
}

/// Splits `experts` into those who may be drawn (in the given order) and those avoided, with
/// their reasons.
pub fn split(
    experts: &[ExpertFacts],
    p: &ProjectFacts,
    today: NaiveDate,
) -> (Vec<Uuid>, Vec<(Uuid, Avoidance)>) {
    let mut eligible = Vec::new();
    let mut avoided = Vec::new();
    for e in experts {
        match avoidance(e, p, today) {
            None => eligible.push(e.id),
            Some(r) => avoided.push((e.id, r)),
        }
    }
    (eligible, avoided)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn expert(n: u128) -> ExpertFacts {
        ExpertFacts {
            id: Uuid::from_u128(n),
            status: ExpertStatus::Active,
            employer: None,
            last_on_project: None,
        }
    }

    #[test]
    fn each_reason_is_found_and_the_first_wins() {
        let builder = Uuid::from_u128(100);
        let p = ProjectFacts {
            participants: [builder].into(),
            on_subject: [Uuid::from_u128(5)].into(),
        };
        let today = day(3);
        assert_eq!(avoidance(&expert(1), &p, today), None);
        let mut e = expert(2);
        e.employer = Some(builder);
        assert_eq!(
            avoidance(&e, &p, today),
            Some(Avoidance::EmployedByParticipant)
        );
        e.status = ExpertStatus::Suspended;
        assert_eq!(avoidance(&e, &p, today), Some(Avoidance::Suspended));
        e.status = ExpertStatus::Retired;
        assert_eq!(avoidance(&e, &p, today), Some(Avoidance::Retired));
        let mut e = expert(3);
        e.employer = Some(Uuid::from_u128(101));
        assert_eq!(avoidance(&e, &p, today), None);
        assert_eq!(
            avoidance(&expert(5), &p, today),
            Some(Avoidance::AlreadyOnSubject)
        );
    }

    #[test]
    fn recently_means_fewer_than_ninety_days() {
        let p = ProjectFacts::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut e = expert(1);
        // 2026-09-04 is 90 days before 2026-12-03: no longer recent.
        e.last_on_project = NaiveDate::from_ymd_opt(2026, 9, 4);
        assert_eq!(avoidance(&e, &p, today), None);
        e.last_on_project = NaiveDate::from_ymd_opt(2026, 9, 5);
        assert_eq!(avoidance(&e, &p, today), Some(Avoidance::RecentlyDrawn));
    }
}

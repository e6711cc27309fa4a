//! What a caller may do to a record in its present state (issue #7 item 8): one predicate per
//! action, shared by the mutation — which refuses with the predicate's error — and by the record's
//! `viewerCan` flags — which show whether the predicate passes — so that a flag can never disagree
//! with what the mutation does.
//!
//! Each predicate is pure. It takes the caller, the record and the facts the rule needs, already
//! loaded: a mutation loads them inside its transaction, the flags load them for a whole page at
//! once through the request's loaders. A predicate judges the caller and the record's state, not
//! the mutation's input: with a flag true, the mutation still refuses an empty reason or a deadline
//! out of range (`BAD_USER_INPUT`) and a stale `expectedVersion` (`CONFLICT`).
//!
//! The permission a mutation's guard checks is part of each predicate too, so a flag is false for
//! a caller whose roles do not grant the action.
use jianan_entity::enums::ParticipantRole;
use jianan_kernel::attachments::ScopedOwner;
use jianan_kernel::principal::{Principal, Role};
use jianan_kernel::{AppError, AppResult, ErrorCode};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::hazard::{RESPONSIBLE_ENTERPRISE, permission_of};
use super::rectification::next_status;
use crate::entity::enums::{EnforcementKind, HazardLevel, HazardStatus, RectificationAction};
use crate::entity::{enforcement_action, hazard, hazard_implementation, inspection};
use crate::perms;
use crate::rules::penalty::{PenaltyStep, may_follow};

// ---------------------------------------------------------------------------------------------
// Attachments
// ---------------------------------------------------------------------------------------------

/// Who reads and attaches hazard photos (before and after rectification): readers of hazards;
/// reporters and the rectifying enterprises.
pub const HAZARD_FILES: ScopedOwner<hazard::Entity> = ScopedOwner::new(
    "Hazard",
    &[perms::HAZARD_READ],
    &[perms::HAZARD_REPORT, perms::HAZARD_RECTIFY],
);

/// Who reads and attaches inspection photos: readers of inspections; whoever records them.
pub const INSPECTION_FILES: ScopedOwner<inspection::Entity> = ScopedOwner::new(
    "Inspection",
    &[perms::INSPECTION_READ],
    &[perms::INSPECTION_RECORD, perms::SELF_CHECK_RECORD],
);

/// Who reads and attaches enforcement documents (notices, decisions, proof of service and
/// payment): readers of enforcement actions; whoever issues them.
pub const ENFORCEMENT_FILES: ScopedOwner<enforcement_action::Entity> = ScopedOwner::new(
    "EnforcementAction",
    &[perms::ENFORCEMENT_READ],
    &[perms::ENFORCEMENT_ISSUE],
);

// ---------------------------------------------------------------------------------------------
// Hazards
// ---------------------------------------------------------------------------------------------

/// An action on a hazard: a step of the rectification workflow, or recording one of a major
/// hazard's five implementations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HazardAct {
    /// A step of the state machine (`assignHazard`, `startRectification`, …).
    Transition(RectificationAction),
    /// `recordHazardImplementation`.
    RecordImplementation,
}

impl HazardAct {
    /// The permission the action's mutation is guarded by.
    pub fn permission(self) -> &'static str {
        match self {
            HazardAct::Transition(a) => permission_of(a),
            HazardAct::RecordImplementation => perms::HAZARD_RECTIFY,
        }
    }
}

/// What the hazard rules need beyond the hazard row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HazardFacts {
    /// How many of the five implementations are recorded.
    pub implementations: usize,
    /// Whether the caller acts for the hazard's responsible enterprise on its project
    /// ([`RESPONSIBLE_ENTERPRISE`]); false while it has none.
    pub caller_is_responsible: bool,
}

/// Whether a caller may close (销号) or void a hazard of `level`: a major hazard only a commission
/// inspector (挂牌督办 … 验收后销号).
pub fn settles_level(p: &Principal, level: HazardLevel) -> bool {
    level != HazardLevel::Major || p.has_role(Role::Inspector)
}

/// The levels of submitted hazard the caller may verify: none without the permission, general
/// ones, and major ones for a commission inspector. `myTasks { hazardsToVerify }` filters by it;
/// [`hazard`] refuses by the same rule.
pub fn verifiable_levels(p: &Principal) -> Vec<HazardLevel> {
    if !p.can(perms::HAZARD_VERIFY) {
        return Vec::new();
    }
    [HazardLevel::General, HazardLevel::Major]
        .into_iter()
        .filter(|l| settles_level(p, *l))
        .collect()
}

/// Whether the caller acts for `h`'s responsible enterprise, given the participant roles the
/// caller's enterprise plays on `h`'s project (the kernel's [`jianan_kernel::acting::Acting`]
/// rule, judged without a statement).
pub fn acts_for_responsible(
    p: &Principal,
    h: &hazard::Model,
    roles_on_project: &[ParticipantRole],
) -> bool {
    h.responsible_enterprise_id
        .is_some_and(|e| RESPONSIBLE_ENTERPRISE.decide(p, roles_on_project) == Some(e))
}

/// The facts of `h` for `p`, loaded in `db` (a mutation's transaction).
pub async fn hazard_facts<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    h: &hazard::Model,
) -> AppResult<HazardFacts> {
    let implementations = hazard_implementation::Entity::find()
        .filter(hazard_implementation::Column::HazardId.eq(h.id))
        .count(db)
        .await?;
    let caller_is_responsible = match h.responsible_enterprise_id {
        Some(e) => {
            RESPONSIBLE_ENTERPRISE
                .acts_for(db, p, e, h.project_id)
                .await?
        }
        None => false,
    };
    Ok(HazardFacts {
        implementations: usize::try_from(implementations).unwrap_or(usize::MAX),
        caller_is_responsible,
    })
}

/// May `p` take `act` on hazard `h` now? The refusal is the mutation's error:
///
/// - the permission of the action (`FORBIDDEN`);
/// - five implementations: only on a major hazard (`BAD_USER_INPUT` on `id`), only while assigned
///   or rectifying (`CONFLICT`), only by the responsible enterprise (`FORBIDDEN`);
/// - a transition must be legal from the current status (the state machine of
///   [`super::rectification`], including a major hazard's five implementations before it starts;
///   `CONFLICT`); then
///   - assign: not a hazard of an unpublished covert inspection (`CONFLICT`);
///   - start, submit: only the responsible enterprise (`FORBIDDEN`);
///   - verify, void: a major hazard only a commission inspector (`FORBIDDEN`);
///   - reclassify: only a commission inspector (`FORBIDDEN`).
pub fn hazard(p: &Principal, act: HazardAct, h: &hazard::Model, f: HazardFacts) -> AppResult<()> {
    p.require(act.permission())?;
    let action = match act {
        HazardAct::RecordImplementation => {
            if h.level != HazardLevel::Major {
                return Err(AppError::bad_input("id", "只有重大事故隐患需要记录五落实"));
            }
            if !matches!(h.status, HazardStatus::Assigned | HazardStatus::Rectifying) {
                return Err(AppError::conflict("隐患交办后、销号前才能记录五落实"));
            }
            return responsible(h, f);
        }
        HazardAct::Transition(a) => a,
    };
    next_status(Some(h.status), action, h.level, f.implementations)
        .map_err(|e| AppError::new(ErrorCode::Conflict, e.message_zh()))?;
    use RectificationAction as A;
    match action {
        A::Assign if !h.visible_to_enterprise => Err(AppError::conflict(
            "该隐患来自尚未公开的暗查暗访，公开后才能交办",
        )),
        A::Start | A::Submit => responsible(h, f),
        A::Verify if !settles_level(p, h.level) => Err(AppError::new(
            ErrorCode::Forbidden,
            "重大事故隐患只能由委监督检查人员复查销号",
        )),
        A::Void if !settles_level(p, h.level) => Err(AppError::new(
            ErrorCode::Forbidden,
            "重大事故隐患只能由委监督检查人员作废",
        )),
        A::Reclassify if !p.has_role(Role::Inspector) => Err(AppError::new(
            ErrorCode::Forbidden,
            "调整隐患等级（一般与重大之间）只能由委监督检查人员办理",
        )),
        // 挂牌督办 … 验收后销号: a major hazard is listed and accepted before it is closed.
        A::Verify if h.level == HazardLevel::Major && h.supervision_listed_at.is_none() => Err(
            AppError::conflict("重大事故隐患须先挂牌督办，验收合格后才能销号"),
        ),
        A::Verify if h.level == HazardLevel::Major && h.accepted_at.is_none() => {
            Err(AppError::conflict("重大事故隐患须经销号验收合格后才能销号"))
        }
        A::Supervise if !p.has_role(Role::Inspector) => Err(AppError::new(
            ErrorCode::Forbidden,
            "重大事故隐患挂牌督办只能由委监督检查人员办理",
        )),
        A::Accept if !p.has_role(Role::Inspector) => Err(AppError::new(
            ErrorCode::Forbidden,
            "重大事故隐患销号验收只能由委监督检查人员办理",
        )),
        A::Accept if h.supervision_listed_at.is_none() => {
            Err(AppError::conflict("重大事故隐患须先挂牌督办，再验收"))
        }
        A::Accept if h.accepted_at.is_some() => Err(AppError::conflict("该隐患的整改已验收")),
        A::ExtendRequest => {
            responsible(h, f)?;
            if h.extension_requested_at.is_some() {
                return Err(AppError::conflict("已有待审批的延期申请"));
            }
            if h.deadline_at.is_some_and(|d| d <= chrono::Utc::now()) {
                return Err(AppError::conflict("整改期限已过，不能再申请延期"));
            }
            Ok(())
        }
        A::ExtendApprove | A::ExtendReject if h.extension_requested_at.is_none() => {
            Err(AppError::conflict("没有待审批的延期申请"))
        }
        A::ExtendApprove | A::ExtendReject if !settles_level(p, h.level) => Err(AppError::new(
            ErrorCode::Forbidden,
            "重大事故隐患的延期只能由委监督检查人员审批",
        )),
        _ => Ok(()),
    }
}

/// `FORBIDDEN` unless the caller acts for `h`'s responsible enterprise (a hazard not yet assigned
/// has none, so nobody may).
fn responsible(h: &hazard::Model, f: HazardFacts) -> AppResult<()> {
    match h.responsible_enterprise_id {
        None => Err(AppError::new(
            ErrorCode::Forbidden,
            "隐患尚未交办整改责任企业，不能办理此事项",
        )),
        Some(_) if f.caller_is_responsible => Ok(()),
        Some(_) => Err(RESPONSIBLE_ENTERPRISE.refusal()),
    }
}

// ---------------------------------------------------------------------------------------------
// Inspections
// ---------------------------------------------------------------------------------------------

/// May `p` confirm taking part in inspection `i`, whose confirmed participants are `confirmed`?
/// Only an account listed as an inspector, in person (`FORBIDDEN`), once (`CONFLICT`).
pub fn confirm_participation(
    p: &Principal,
    i: &inspection::Model,
    confirmed: &[Uuid],
) -> AppResult<()> {
    let me = p.require_account()?;
    if !super::inspection::inspector_ids(i).contains(&me) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "只有列为检查人员的账号本人可以确认参加",
        ));
    }
    if confirmed.contains(&me) {
        return Err(AppError::new(ErrorCode::Conflict, "已经确认参加该检查"));
    }
    Ok(())
}

/// May `p` publish inspection `i` to the inspected enterprise? Whoever records the commission's
/// inspections (`FORBIDDEN`); only a covert one (`BAD_USER_INPUT` on `id`), once (`CONFLICT`).
pub fn publish_covert(p: &Principal, i: &inspection::Model) -> AppResult<()> {
    p.require(perms::INSPECTION_RECORD)?;
    if !i.covert {
        return Err(AppError::bad_input("id", "只有暗查暗访需要公开"));
    }
    if i.published_at.is_some() {
        return Err(AppError::new(ErrorCode::Conflict, "该暗访已经公开"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Enforcement
// ---------------------------------------------------------------------------------------------

/// May `p` record steps of action `a`'s penalty procedure at all? Whoever issues enforcement
/// actions (`FORBIDDEN`), on a penalty only (`BAD_USER_INPUT` on `actionId`).
pub fn penalty_procedure(p: &Principal, a: &enforcement_action::Model) -> AppResult<()> {
    p.require(perms::ENFORCEMENT_ISSUE)?;
    if a.kind != EnforcementKind::Penalty {
        return Err(AppError::bad_input("actionId", "只有罚款需要记录处罚程序"));
    }
    Ok(())
}

/// May step `next` follow the steps recorded so far (`last`: the latest)? `CONFLICT`, saying what
/// the procedure's order is, otherwise ([`crate::rules::penalty::may_follow`]).
pub fn penalty_step_order(last: Option<PenaltyStep>, next: PenaltyStep) -> AppResult<()> {
    if may_follow(last, next) {
        return Ok(());
    }
    Err(AppError::conflict(match last {
        None => "须先送达行政处罚告知书".to_owned(),
        Some(PenaltyStep::Paid) => "罚款已缴纳，处罚程序已结束".to_owned(),
        Some(_) => "处罚程序的顺序不对：告知、听取陈述申辩（或听证、放弃）、决定、缴纳".to_owned(),
    }))
}

/// The steps that may follow `last` ([`penalty_step_order`]), in the procedure's order; none
/// once the fine is paid.
pub fn next_penalty_steps(last: Option<PenaltyStep>) -> Vec<PenaltyStep> {
    use sea_orm::Iterable;
    PenaltyStep::iter()
        .filter(|next| penalty_step_order(last, *next).is_ok())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jianan_kernel::principal::PrincipalKind;
    use std::collections::BTreeSet;

    fn caller(roles: &[Role], permissions: &[&'static str], enterprise: Option<Uuid>) -> Principal {
        let mut p = Principal::anonymous();
        p.kind = PrincipalKind::Person;
        p.account_id = Some(Uuid::now_v7());
        p.roles = roles.to_vec();
        p.permissions = permissions.iter().copied().collect::<BTreeSet<_>>();
        p.enterprise_id = enterprise;
        p
    }

    fn hazard_in(
        status: HazardStatus,
        level: HazardLevel,
        responsible: Option<Uuid>,
    ) -> hazard::Model {
        let now = chrono::Utc::now();
        hazard::Model {
            id: Uuid::now_v7(),
            project_id: Uuid::now_v7(),
            township_id: Uuid::now_v7(),
            inspection_id: None,
            level,
            category: "SCAFFOLDING".into(),
            criterion: (level == HazardLevel::Major).then(|| "SCAFFOLDING-2".into()),
            fixed_on_spot: false,
            supervising_unit_id: None,
            supervision_deadline_at: None,
            // A major hazard here has been listed and accepted: only the role rules are tested.
            supervision_listed_at: (level == HazardLevel::Major).then_some(now),
            accepted_at: (level == HazardLevel::Major).then_some(now),
            accepted_by: None,
            extension_days: None,
            extension_reason: None,
            extension_requested_at: None,
            description: "d".into(),
            location: "l".into(),
            status,
            responsible_enterprise_id: responsible,
            responsible_person: None,
            deadline_working_days: None,
            deadline_at: None,
            visible_to_enterprise: true,
            reported_by: None,
            reported_at: now,
            closed_at: None,
            overdue_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    const ALL_HAZARD: &[&str] = &[
        perms::HAZARD_ASSIGN,
        perms::HAZARD_VERIFY,
        perms::HAZARD_REPORT,
        perms::HAZARD_READ,
    ];

    #[test]
    fn only_an_inspector_settles_a_major_hazard_and_verifiable_levels_say_the_same() {
        let staff = caller(&[Role::DepartmentStaff], ALL_HAZARD, None);
        let inspector = caller(&[Role::Inspector], ALL_HAZARD, None);
        let enterprise = caller(&[Role::EnterpriseManager], &[perms::HAZARD_RECTIFY], None);
        let f = HazardFacts {
            implementations: 5,
            caller_is_responsible: false,
        };
        for (p, levels) in [
            (&staff, vec![HazardLevel::General]),
            (&inspector, vec![HazardLevel::General, HazardLevel::Major]),
            (&enterprise, vec![]),
        ] {
            assert_eq!(verifiable_levels(p), levels);
            for level in [HazardLevel::General, HazardLevel::Major] {
                let h = hazard_in(HazardStatus::Submitted, level, None);
                let verify = HazardAct::Transition(RectificationAction::Verify);
                assert_eq!(
                    hazard(p, verify, &h, f).is_ok(),
                    levels.contains(&level),
                    "{:?} {level:?}",
                    p.roles
                );
            }
        }
    }

    #[test]
    fn the_responsible_enterprise_alone_starts_and_only_with_five_implementations_when_major() {
        let e = Uuid::now_v7();
        let safety = caller(
            &[Role::EnterpriseSafetyManager],
            &[perms::HAZARD_RECTIFY],
            Some(e),
        );
        let start = HazardAct::Transition(RectificationAction::Start);
        let general = hazard_in(HazardStatus::Assigned, HazardLevel::General, Some(e));
        let major = hazard_in(HazardStatus::Assigned, HazardLevel::Major, Some(e));
        let yes = |n| HazardFacts {
            implementations: n,
            caller_is_responsible: true,
        };
        assert!(hazard(&safety, start, &general, yes(0)).is_ok());
        let refused = hazard(&safety, start, &major, yes(4)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::Conflict);
        assert!(hazard(&safety, start, &major, yes(5)).is_ok());
        let other = HazardFacts {
            implementations: 5,
            caller_is_responsible: false,
        };
        assert_eq!(
            hazard(&safety, start, &general, other).unwrap_err().code,
            ErrorCode::Forbidden
        );
        // The participant roles decide "acts for", as the kernel's rule does.
        assert!(acts_for_responsible(
            &safety,
            &general,
            &[ParticipantRole::Supervisor]
        ));
        assert!(!acts_for_responsible(&safety, &general, &[]));
        let unassigned = hazard_in(HazardStatus::Assigned, HazardLevel::General, None);
        assert!(!acts_for_responsible(
            &safety,
            &unassigned,
            &[ParticipantRole::Contractor]
        ));
    }

    #[test]
    fn the_next_penalty_steps_are_those_the_order_allows() {
        use PenaltyStep::*;
        assert_eq!(next_penalty_steps(None), vec![NoticeServed]);
        assert_eq!(
            next_penalty_steps(Some(NoticeServed)),
            vec![RightsWaived, StatementHeard, HearingHeld]
        );
        assert_eq!(next_penalty_steps(Some(Decided)), vec![Paid]);
        assert!(next_penalty_steps(Some(Paid)).is_empty());
    }
}

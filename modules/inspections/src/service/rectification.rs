//! The rectification state machine (issue #3, measure 3 of the plan):
//!
//! ```text
//! (new) ──REPORT──▶ REPORTED ──ASSIGN──▶ ASSIGNED ──START──▶ RECTIFYING ──SUBMIT──▶ SUBMITTED ──VERIFY──▶ CLOSED
//!                                                               ▲                        │
//!                                                               └────────REJECT──────────┘
//!
//! REPORTED, ASSIGNED, RECTIFYING, SUBMITTED ──VOID──▶ VOIDED
//! REPORTED, ASSIGNED, RECTIFYING, SUBMITTED ──RECLASSIFY──▶ (the same status, the other level)
//! REPORTED ──FIX_ON_SPOT──▶ CLOSED                          (general hazards only)
//! REPORTED, ASSIGNED, RECTIFYING, SUBMITTED ──SUPERVISE──▶ (same)   (major hazards only)
//! SUBMITTED ──ACCEPT──▶ SUBMITTED                           (major hazards only)
//! ASSIGNED, RECTIFYING ──EXTEND_REQUEST──▶ (same)
//! ASSIGNED, RECTIFYING, SUBMITTED ──EXTEND_APPROVE / EXTEND_REJECT──▶ (same)
//! ```
//!
//! A general hazard found in an enterprise's own self-check may be fixed on the spot (现场整改)
//! and closed by the enterprise with before and after photos. A major hazard is listed for
//! supervision (挂牌督办: supervising unit and deadline) and accepted (销号验收) before it is
//! closed (the service checks both before VERIFY); the responsible enterprise may ask for a later
//! deadline once at a time, and the commission decides.
//!
//! The commission voids (作废) a hazard that is not one — reported in error, a duplicate — with a
//! reason; a closed hazard stays closed, and nothing leaves VOIDED.
//!
//! A major accident hazard (重大事故隐患) cannot leave ASSIGNED until its five implementations
//! (五落实: 责任、措施、资金、时限、预案) are recorded — the plan (武隆建发〔2021〕69号) 三、（三）
//! asks that major hazards be rectified with "责任、措施、资金、时限、预案“五落实”", and
//! 《安全生产法》第四十一条 requires their treatment to be reported to the supervising department
//! (see [`crate::entity::enums::Implementation`] for the sources) — and only a commission inspector
//! may close it (销号: listed supervision, 挂牌督办 under 建质〔2011〕158号, ends when the
//! supervising department accepts the rectification; wording of that rule to verify).
use crate::entity::enums::{HazardLevel, HazardStatus, RectificationAction};

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The action does not apply to the hazard's current status.
    Illegal {
        from: Option<HazardStatus>,
        action: RectificationAction,
    },
    /// A major hazard without all five implementations cannot start rectification.
    MissingImplementations { recorded: usize },
    /// The action applies to hazards of the other level only.
    WrongLevel {
        level: HazardLevel,
        action: RectificationAction,
    },
}

impl TransitionError {
    /// Chinese message for the client.
    pub fn message_zh(&self) -> String {
        match self {
            TransitionError::Illegal { from, action } => {
                let from = from.map(status_zh).unwrap_or("未上报");
                format!("隐患当前状态为“{from}”，不能执行“{}”", action_zh(*action))
            }
            TransitionError::MissingImplementations { recorded } => {
                format!(
                    "重大事故隐患须先落实责任、措施、资金、时限、预案（已落实{recorded}项，共5项）"
                )
            }
            TransitionError::WrongLevel { level, action } => {
                let level = match level {
                    HazardLevel::General => "一般事故隐患",
                    HazardLevel::Major => "重大事故隐患",
                };
                format!("{level}不能执行“{}”", action_zh(*action))
            }
        }
    }
}

/// 状态中文名
pub fn status_zh(s: HazardStatus) -> &'static str {
    match s {
        HazardStatus::Reported => "已上报",
        HazardStatus::Assigned => "已交办",
        HazardStatus::Rectifying => "整改中",
        HazardStatus::Submitted => "待复查",
        HazardStatus::Closed => "已销号",
        HazardStatus::Voided => "已作废",
    }
}

/// 动作中文名
pub fn action_zh(a: RectificationAction) -> &'static str {
    match a {
        RectificationAction::Report => "上报",
        RectificationAction::Assign => "交办",
        RectificationAction::Start => "开始整改",
        RectificationAction::Submit => "提交整改",
        RectificationAction::Verify => "复查销号",
        RectificationAction::Reject => "退回整改",
        RectificationAction::Void => "作废",
        RectificationAction::Reclassify => "调整等级",
        RectificationAction::FixOnSpot => "现场整改",
        RectificationAction::Supervise => "挂牌督办",
        RectificationAction::Accept => "销号验收",
        RectificationAction::ExtendRequest => "申请延期",
        RectificationAction::ExtendApprove => "批准延期",
        RectificationAction::ExtendReject => "不批准延期",
    }
}

/// The status after `action`, or why it is refused. `implementations` is how many of the five
/// implementations are recorded (only consulted for major hazards leaving ASSIGNED).
pub fn next_status(
    from: Option<HazardStatus>,
    action: RectificationAction,
    level: HazardLevel,
    implementations: usize,
) -> Result<HazardStatus, TransitionError> {
    use HazardStatus as S;
    use RectificationAction as A;
    let major_only = matches!(action, A::Supervise | A::Accept);
    let general_only = matches!(action, A::FixOnSpot);
    if (major_only && level != HazardLevel::Major)
        || (general_only && level != HazardLevel::General)
    {
        return Err(TransitionError::WrongLevel { level, action });
    }
    let to = match (from, action) {
        (None, A::Report) => S::Reported,
        (Some(S::Reported), A::Assign) => S::Assigned,
        (Some(S::Assigned), A::Start) => {
            if level == HazardLevel::Major && implementations < 5 {
                return Err(TransitionError::MissingImplementations {
                    recorded: implementations,
                });
            }
            S::Rectifying
        }
        (Some(S::Rectifying), A::Submit) => S::Submitted,
        (Some(S::Submitted), A::Verify) => S::Closed,
        (Some(S::Submitted), A::Reject) => S::Rectifying,
        (Some(S::Reported | S::Assigned | S::Rectifying | S::Submitted), A::Void) => S::Voided,
        (Some(s @ (S::Reported | S::Assigned | S::Rectifying | S::Submitted)), A::Reclassify) => s,
        (Some(S::Reported), A::FixOnSpot) => S::Closed,
        (Some(s @ (S::Reported | S::Assigned | S::Rectifying | S::Submitted)), A::Supervise) => s,
        (Some(S::Submitted), A::Accept) => S::Submitted,
        (Some(s @ (S::Assigned | S::Rectifying)), A::ExtendRequest) => s,
        (
            Some(s @ (S::Assigned | S::Rectifying | S::Submitted)),
            A::ExtendApprove | A::ExtendReject,
        ) => s,
        _ => return Err(TransitionError::Illegal { from, action }),
    };
    Ok(to)
}

/// The statuses in which the responsible enterprise holds the hazard: assigned, or being
/// rectified (again, after a rejection). Once it has submitted, the hazard waits on the
/// commission's verification (待复查), and a passing deadline is not the enterprise's delay.
pub const ENTERPRISE_HOLDS: [HazardStatus; 2] = [HazardStatus::Assigned, HazardStatus::Rectifying];

/// 整改逾期 — is the responsible enterprise late with `status` and `deadline` at `now`? Only
/// while it holds the hazard ([`ENTERPRISE_HOLDS`]) and the deadline has passed (issue #7 item 4:
/// overdue counts only hazards where the enterprise is late). The overdue job, the `overdueOnly`
/// filter, the `overdue` field and the statistics all ask this question.
pub fn enterprise_is_late(
    status: HazardStatus,
    deadline: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    ENTERPRISE_HOLDS.contains(&status) && deadline.is_some_and(|d| d < now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use HazardStatus as S;
    use RectificationAction as A;

    const ACTIONS: [A; 14] = [
        A::Report,
        A::Assign,
        A::Start,
        A::Submit,
        A::Verify,
        A::Reject,
        A::Void,
        A::Reclassify,
        A::FixOnSpot,
        A::Supervise,
        A::Accept,
        A::ExtendRequest,
        A::ExtendApprove,
        A::ExtendReject,
    ];
    const STATES: [Option<S>; 7] = [
        None,
        Some(S::Reported),
        Some(S::Assigned),
        Some(S::Rectifying),
        Some(S::Submitted),
        Some(S::Closed),
        Some(S::Voided),
    ];

    #[test]
    fn the_happy_path_and_the_rejection_loop() {
        let g = HazardLevel::General;
        assert_eq!(next_status(None, A::Report, g, 0), Ok(S::Reported));
        assert_eq!(
            next_status(Some(S::Reported), A::Assign, g, 0),
            Ok(S::Assigned)
        );
        assert_eq!(
            next_status(Some(S::Assigned), A::Start, g, 0),
            Ok(S::Rectifying)
        );
        assert_eq!(
            next_status(Some(S::Rectifying), A::Submit, g, 0),
            Ok(S::Submitted)
        );
        assert_eq!(
            next_status(Some(S::Submitted), A::Reject, g, 0),
            Ok(S::Rectifying)
        );
        assert_eq!(
            next_status(Some(S::Submitted), A::Verify, g, 0),
            Ok(S::Closed)
        );
    }

    #[test]
    fn the_legal_transitions_counted_by_level() {
        let legal = |level| {
            STATES
                .iter()
                .flat_map(|s| ACTIONS.iter().map(move |a| (*s, *a)))
                .filter(|(s, a)| next_status(*s, *a, level, 5).is_ok())
                .count()
        };
        // Six of the workflow, VOID and RECLASSIFY from each of the four open states (14);
        // extension requests from ASSIGNED and RECTIFYING (2) and decisions from those and
        // SUBMITTED (3 + 3): 22 for either level. Then FIX_ON_SPOT from REPORTED for a general
        // hazard (23); SUPERVISE from the four open states and ACCEPT from SUBMITTED for a major
        // one (27).
        assert_eq!(legal(HazardLevel::General), 23);
        assert_eq!(legal(HazardLevel::Major), 27);
        assert_eq!(
            next_status(Some(S::Reported), A::FixOnSpot, HazardLevel::General, 0),
            Ok(S::Closed)
        );
        assert_eq!(
            next_status(Some(S::Reported), A::FixOnSpot, HazardLevel::Major, 5),
            Err(TransitionError::WrongLevel {
                level: HazardLevel::Major,
                action: A::FixOnSpot
            })
        );
        assert!(
            next_status(Some(S::Submitted), A::Accept, HazardLevel::General, 5)
                .is_err_and(|e| e.message_zh().contains("一般事故隐患不能执行“销号验收”"))
        );
        // Nothing leaves CLOSED or VOIDED.
        for a in ACTIONS {
            assert!(next_status(Some(S::Closed), a, HazardLevel::General, 5).is_err());
            assert!(next_status(Some(S::Voided), a, HazardLevel::General, 5).is_err());
        }
    }

    #[test]
    fn reclassifying_keeps_the_status_of_an_open_hazard() {
        for level in [HazardLevel::General, HazardLevel::Major] {
            for s in [S::Reported, S::Assigned, S::Rectifying, S::Submitted] {
                assert_eq!(next_status(Some(s), A::Reclassify, level, 0), Ok(s));
            }
            for s in [None, Some(S::Closed), Some(S::Voided)] {
                assert!(next_status(s, A::Reclassify, level, 5).is_err());
            }
        }
    }

    #[test]
    fn an_open_hazard_of_either_level_may_be_voided() {
        for level in [HazardLevel::General, HazardLevel::Major] {
            for s in [S::Reported, S::Assigned, S::Rectifying, S::Submitted] {
                assert_eq!(next_status(Some(s), A::Void, level, 0), Ok(S::Voided));
            }
            assert_eq!(
                next_status(None, A::Void, level, 0),
                Err(TransitionError::Illegal {
                    from: None,
                    action: A::Void
                })
            );
        }
        assert!(
            TransitionError::Illegal {
                from: Some(S::Closed),
                action: A::Void
            }
            .message_zh()
            .contains("不能执行“作废”")
        );
    }

    #[test]
    fn only_the_enterprise_is_late() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T08:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        let past = Some(now - chrono::Duration::hours(1));
        let future = Some(now + chrono::Duration::hours(1));
        let late: Vec<_> = STATES
            .iter()
            .flatten()
            .filter(|s| enterprise_is_late(**s, past, now))
            .copied()
            .collect();
        // Waiting for verification (SUBMITTED) or closed is not the enterprise's delay.
        assert_eq!(late, [S::Assigned, S::Rectifying]);
        for s in STATES.iter().flatten() {
            assert!(
                !enterprise_is_late(*s, future, now),
                "{s:?} before the deadline"
            );
            assert!(
                !enterprise_is_late(*s, None, now),
                "{s:?} without a deadline"
            );
            assert!(
                !enterprise_is_late(*s, Some(now), now),
                "{s:?} at the deadline"
            );
        }
    }

    #[test]
    fn a_major_hazard_needs_all_five_implementations_to_start() {
        for n in 0..5 {
            assert_eq!(
                next_status(Some(S::Assigned), A::Start, HazardLevel::Major, n),
                Err(TransitionError::MissingImplementations { recorded: n })
            );
        }
        assert_eq!(
            next_status(Some(S::Assigned), A::Start, HazardLevel::Major, 5),
            Ok(S::Rectifying)
        );
        assert!(
            TransitionError::MissingImplementations { recorded: 3 }
                .message_zh()
                .contains("已落实3项")
        );
    }
}

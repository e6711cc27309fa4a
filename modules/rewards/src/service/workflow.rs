//! The handling of a report as a pure state machine.
use jianan_kernel::{AppError, AppResult};

use crate::entity::enums::ReportStatus;

/// What a handler or verifier does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    /// 受理
    Accept,
    /// 不予受理
    Reject,
    /// 指派（或改派）核查人
    Assign,
    /// 记录核查结论
    Verify,
    /// 办结
    Close,
}

impl ReportAction {
    pub const ALL: [ReportAction; 5] = [
        ReportAction::Accept,
        ReportAction::Reject,
        ReportAction::Assign,
        ReportAction::Verify,
        ReportAction::Close,
    ];
}

/// The status after `action`, or `CONFLICT` with a Chinese message when `from` does not allow it.
pub fn next_status(from: ReportStatus, action: ReportAction) -> AppResult<ReportStatus> {
    use ReportAction as A;
    use ReportStatus as S;
    match (from, action) {
        (S::Submitted, A::Accept) => Ok(S::Accepted),
        (S::Submitted, A::Reject) => Ok(S::Rejected),
        (S::Accepted | S::Verifying, A::Assign) => Ok(S::Verifying),
        (S::Verifying, A::Verify) => Ok(S::Verified),
        (S::Verified, A::Close) => Ok(S::Closed),
        (S::Submitted, _) => Err(AppError::conflict("举报尚未受理")),
        (S::Accepted, _) => Err(AppError::conflict("举报已受理，应先指派核查人")),
        (S::Rejected, _) => Err(AppError::conflict("举报已不予受理")),
        (S::Verifying, _) => Err(AppError::conflict("举报正在核查，应先记录核查结论")),
        (S::Verified, _) => Err(AppError::conflict("举报已核查，只能办结")),
        (S::Closed, _) => Err(AppError::conflict("举报已办结")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn every_state_and_action_pair() {
        use ReportAction as A;
        use ReportStatus as S;
        let allowed = [
            (S::Submitted, A::Accept, S::Accepted),
            (S::Submitted, A::Reject, S::Rejected),
            (S::Accepted, A::Assign, S::Verifying),
            (S::Verifying, A::Assign, S::Verifying),
            (S::Verifying, A::Verify, S::Verified),
            (S::Verified, A::Close, S::Closed),
        ];
        let mut checked = 0;
        for from in S::iter() {
            for action in A::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(next_status(from, action).unwrap(), to),
                    None => assert_eq!(
                        next_status(from, action).unwrap_err().code,
                        jianan_kernel::ErrorCode::Conflict,
                        "{from:?} {action:?}"
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 30);
    }
}

//! The procedure of an administrative penalty (行政处罚程序), as the order in which its steps may
//! be recorded. Source: 《中华人民共和国行政处罚法》(2021 revision) — prior notice of the facts,
//! reasons, basis and the party's rights (第四十四条), the party's statement and defence
//! (陈述、申辩, 第四十五条) or, for large fines, a hearing on request (听证, 第六十三条、第六十四条),
//! then the written decision (行政处罚决定书, 第五十九条), then payment (第六十七条).
//! Article numbers and their subjects checked against published copies of the 2021 text (see
//! `docs/legal-sources.md`).
use sea_orm::entity::prelude::StringLen;
use serde::Serialize;

/// 处罚程序步骤 — a step of a penalty's procedure.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    sea_orm::EnumIter,
    sea_orm::DeriveActiveEnum,
    async_graphql::Enum,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PenaltyStep {
    /// 送达行政处罚告知书 (prior notice served)
    #[sea_orm(string_value = "NOTICE_SERVED")]
    NoticeServed,
    /// 当事人放弃陈述、申辩和听证 (the party waived statement, defence and hearing)
    #[sea_orm(string_value = "RIGHTS_WAIVED")]
    RightsWaived,
    /// 听取陈述、申辩 (statement and defence heard)
    #[sea_orm(string_value = "STATEMENT_HEARD")]
    StatementHeard,
    /// 举行听证 (hearing held)
    #[sea_orm(string_value = "HEARING_HELD")]
    HearingHeld,
    /// 作出行政处罚决定（须有决定书文号）(decision made, with its document number)
    #[sea_orm(string_value = "DECIDED")]
    Decided,
    /// 罚款已缴纳（金额须与决定一致）(fine paid, the amount decided)
    #[sea_orm(string_value = "PAID")]
    Paid,
}

/// Whether `next` may follow the steps recorded so far (`last` = the latest, `None` = none).
/// Notice first; then the party is heard (or waives it) before any decision; payment last.
/// Several hearing steps may follow one another (a statement, then a hearing on request).
pub fn may_follow(last: Option<PenaltyStep>, next: PenaltyStep) -> bool {
    use PenaltyStep::*;
    matches!(
        (last, next),
        (None, NoticeServed)
            | (
                Some(NoticeServed | StatementHeard | HearingHeld),
                RightsWaived | StatementHeard | HearingHeld
            )
            | (Some(RightsWaived | StatementHeard | HearingHeld), Decided)
            | (Some(Decided), Paid)
    )
}

#[cfg(test)]
mod tests {
    use super::PenaltyStep::*;
    use super::*;
    use sea_orm::Iterable;

    /// Every (last, next) pair, worked by hand: the only legal ones are listed.
    #[test]
    fn the_procedure_runs_notice_hearing_decision_payment() {
        let legal = [
            (None, NoticeServed),
            (Some(NoticeServed), RightsWaived),
            (Some(NoticeServed), StatementHeard),
            (Some(NoticeServed), HearingHeld),
            (Some(StatementHeard), StatementHeard),
            (Some(StatementHeard), HearingHeld),
            (Some(StatementHeard), RightsWaived),
            (Some(HearingHeld), HearingHeld),
            (Some(HearingHeld), StatementHeard),
            (Some(HearingHeld), RightsWaived),
            (Some(RightsWaived), Decided),
            (Some(StatementHeard), Decided),
            (Some(HearingHeld), Decided),
            (Some(Decided), Paid),
        ];
        let lasts = std::iter::once(None).chain(PenaltyStep::iter().map(Some));
        for last in lasts {
            for next in PenaltyStep::iter() {
                assert_eq!(
                    may_follow(last, next),
                    legal.contains(&(last, next)),
                    "{last:?} -> {next:?}"
                );
            }
        }
        // In words: no decision without notice and hearing; nothing after payment.
        assert!(!may_follow(Some(NoticeServed), Decided));
        assert!(!may_follow(None, Decided));
        assert!(PenaltyStep::iter().all(|n| !may_follow(Some(Paid), n)));
    }
}

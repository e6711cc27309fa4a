//! Which screenings put a house on the hazard ledger (危房台账), with what first measure.
//!
//! A house goes on the ledger when judged RISKY (存在安全隐患), or when appraised C (局部危房) or D
//! (整幢危房) per JGJ 125-2016 §6 — whatever the initial judgement. The first measure is a
//! proposal the township revises when it starts the work: D → EVACUATE (整幢危房：人员撤离), C →
//! RESTRICT_USE (局部危房：限制使用、停止使用危险部位), RISKY without a C/D appraisal → MONITOR
//! (监测，待鉴定). The mapping follows the usual 危房处理 practice (观察使用、处理使用、停止使用、
//! 整体拆除) and is **to verify** with the housing department.
use crate::entity::enums::{AppraisalLevel, HouseRisk, LedgerMeasure};

/// The first measure when the screening puts the house on the ledger; `None`: it does not.
pub fn ledger_measure(risk: HouseRisk, level: Option<AppraisalLevel>) -> Option<LedgerMeasure> {
    match (risk, level) {
        (_, Some(AppraisalLevel::D)) => Some(LedgerMeasure::Evacuate),
        (_, Some(AppraisalLevel::C)) => Some(LedgerMeasure::RestrictUse),
        (HouseRisk::Risky, _) => Some(LedgerMeasure::Monitor),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn risky_or_c_or_d_goes_on_the_ledger() {
        for risk in HouseRisk::iter() {
            for level in std::iter::once(None).chain(AppraisalLevel::iter().map(Some)) {
                let on = ledger_measure(risk, level).is_some();
                let expected = risk == HouseRisk::Risky
                    || matches!(level, Some(AppraisalLevel::C | AppraisalLevel::D));
                assert_eq!(on, expected, "{risk:?} {level:?}");
            }
        }
        assert_eq!(
            ledger_measure(HouseRisk::Suspected, Some(AppraisalLevel::D)),
            Some(LedgerMeasure::Evacuate)
        );
        assert_eq!(
            ledger_measure(HouseRisk::Risky, Some(AppraisalLevel::C)),
            Some(LedgerMeasure::RestrictUse)
        );
        assert_eq!(
            ledger_measure(HouseRisk::Risky, Some(AppraisalLevel::B)),
            Some(LedgerMeasure::Monitor)
        );
        assert_eq!(
            ledger_measure(HouseRisk::NoRisk, Some(AppraisalLevel::B)),
            None
        );
    }
}

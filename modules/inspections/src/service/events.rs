//! The module's enumerations as its events carry them (`jianan_contracts::inspections`): the
//! contracts crate cannot depend on this module, so it has its own copies, and the exhaustive
//! matches here make a new variant a compile error until the contract says what it means.
use jianan_contracts::inspections as contract;

use crate::entity::enums::{EnforcementKind, HazardLevel, HazardStatus, InspectionKind};

impl From<HazardLevel> for contract::HazardLevel {
    fn from(l: HazardLevel) -> Self {
        match l {
            HazardLevel::General => Self::General,
            HazardLevel::Major => Self::Major,
        }
    }
}

impl From<HazardStatus> for contract::HazardStatus {
    fn from(s: HazardStatus) -> Self {
        match s {
            HazardStatus::Reported => Self::Reported,
            HazardStatus::Assigned => Self::Assigned,
            HazardStatus::Rectifying => Self::Rectifying,
            HazardStatus::Submitted => Self::Submitted,
            HazardStatus::Closed => Self::Closed,
            HazardStatus::Voided => Self::Voided,
        }
    }
}

impl From<InspectionKind> for contract::InspectionKind {
    fn from(k: InspectionKind) -> Self {
        match k {
            InspectionKind::SafetyManagerDaily => Self::SafetyManagerDaily,
            InspectionKind::ProjectLeaderWeekly => Self::ProjectLeaderWeekly,
            InspectionKind::EnterpriseMonthly => Self::EnterpriseMonthly,
            InspectionKind::LeadershipSupervision => Self::LeadershipSupervision,
            InspectionKind::DepartmentSupervision => Self::DepartmentSupervision,
            InspectionKind::DoubleRandom => Self::DoubleRandom,
            InspectionKind::Covert => Self::Covert,
            InspectionKind::Expert => Self::Expert,
            InspectionKind::KeyPeriod => Self::KeyPeriod,
        }
    }
}

impl From<EnforcementKind> for contract::EnforcementKind {
    fn from(k: EnforcementKind) -> Self {
        match k {
            EnforcementKind::WarningInterview => Self::WarningInterview,
            EnforcementKind::Circular => Self::Circular,
            EnforcementKind::PublicExposure => Self::PublicExposure,
            EnforcementKind::CreditDeduction => Self::CreditDeduction,
            EnforcementKind::StopWorkOrder => Self::StopWorkOrder,
            EnforcementKind::ResumeWorkOrder => Self::ResumeWorkOrder,
            EnforcementKind::Penalty => Self::Penalty,
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::Iterable;

    use super::*;

    /// The database/GraphQL enum and the contract's copy serialise to the same names.
    fn same_names<A, B>()
    where
        A: Iterable + serde::Serialize + Copy + Into<B>,
        B: serde::Serialize,
    {
        for v in A::iter() {
            assert_eq!(
                serde_json::to_value(v).ok(),
                serde_json::to_value(v.into()).ok()
            );
        }
    }

    #[test]
    fn contract_enums_carry_the_same_names_as_the_schema() {
        same_names::<HazardLevel, contract::HazardLevel>();
        same_names::<HazardStatus, contract::HazardStatus>();
        same_names::<InspectionKind, contract::InspectionKind>();
        same_names::<EnforcementKind, contract::EnforcementKind>();
    }
}

//! Acting for someone: who may write a record on behalf of an enterprise on a project, stated
//! once here so that every module asks the same question the same way.
//!
//! Seeing a record is not enough to act on it: the supervision firm (监理) of a project sees its
//! hazards, but only the responsible enterprise rectifies them; a daily self-check is owed by the
//! contractor's safety managers, not by any enterprise account on the site. An [`Acting`] rule
//! names the roles that may act and the part the enterprise must play in the project.
use jianan_entity::enums::ParticipantRole;
use jianan_entity::project_participant;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::principal::{Principal, Role};

/// Who may act for an enterprise on a project.
#[derive(Debug, Clone, Copy)]
pub struct Acting {
    /// The account must hold one of these enterprise roles.
    pub roles: &'static [Role],
    /// The enterprise must take part in the project in one of these roles (any role when empty).
    pub participant_roles: &'static [ParticipantRole],
    /// Who that is, in words for the refusal: e.g. "施工单位的专职安全员".
    pub who: &'static str,
}

/// Every enterprise role, for rules that do not narrow them.
pub const ENTERPRISE_ROLES: &[Role] = &[
    Role::EnterpriseSafetyManager,
    Role::EnterpriseProjectLeader,
    Role::EnterpriseManager,
];

impl Acting {
    /// The caller's enterprise when the caller's roles qualify under this rule, before looking at
    /// any project.
    fn candidate(&self, p: &Principal) -> Option<Uuid> {
        let enterprise_id = p.enterprise_id?;
        (p.is_authenticated() && self.roles.iter().any(|r| p.has_role(*r))).then_some(enterprise_id)
    }

    /// The rule itself, pure: the enterprise the caller acts for on a project where the caller's
    /// enterprise plays `roles_on_project` (empty when it takes no part), or `None`. Every other
    /// form of the rule ([`Acting::enterprise`] on one project, [`Acting::projects`] as SQL, a
    /// page of records judged from [`ParticipationsOfEnterprise`]) answers through this one.
    pub fn decide(&self, p: &Principal, roles_on_project: &[ParticipantRole]) -> Option<Uuid> {
        let enterprise_id = self.candidate(p)?;
        let takes_part = if self.participant_roles.is_empty() {
            !roles_on_project.is_empty()
        } else {
            roles_on_project
                .iter()
                .any(|r| self.participant_roles.contains(r))
        };
        takes_part.then_some(enterprise_id)
    }

    /// The enterprise the caller acts for on `project_id` under this rule, or `None`.
    pub async fn enterprise<C: ConnectionTrait>(
        &self,
        db: &C,
        p: &Principal,
        project_id: Uuid,
    ) -> AppResult<Option<Uuid>> {
        let Some(enterprise_id) = self.candidate(p) else {
            return Ok(None);
        };
        let roles: Vec<ParticipantRole> = project_participant::Entity::find()
            .filter(project_participant::Column::ProjectId.eq(project_id))
            .filter(project_participant::Column::EnterpriseId.eq(enterprise_id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.role)
            .collect();
        Ok(self.decide(p, &roles))
    }

    /// The rule as SQL, for lists ("the hazards I must rectify"): the caller's enterprise and the
    /// projects on which the caller acts for it (a subquery of project ids), or `None` when the
    /// caller acts nowhere under this rule. Equivalent to [`Acting::decide`] on every project.
    pub fn projects(&self, p: &Principal) -> Option<(Uuid, SelectStatement)> {
        let enterprise_id = self.candidate(p)?;
        let mut q = Query::select()
            .column(project_participant::Column::ProjectId)
            .from(project_participant::Entity)
            .and_where(project_participant::Column::EnterpriseId.eq(enterprise_id))
            .to_owned();
        if !self.participant_roles.is_empty() {
            q.and_where(
                project_participant::Column::Role.is_in(self.participant_roles.iter().copied()),
            );
        }
        Some((enterprise_id, q))
    }

    /// Does the caller act for enterprise `enterprise_id` on `project_id`?
    pub async fn acts_for<C: ConnectionTrait>(
        &self,
        db: &C,
        p: &Principal,
        enterprise_id: Uuid,
        project_id: Uuid,
    ) -> AppResult<bool> {
        Ok(self.enterprise(db, p, project_id).await? == Some(enterprise_id))
    }

    /// `FORBIDDEN`, naming who may act, unless the caller acts for `enterprise_id` on
    /// `project_id`.
    pub async fn require<C: ConnectionTrait>(
        &self,
        db: &C,
        p: &Principal,
        enterprise_id: Uuid,
        project_id: Uuid,
    ) -> AppResult<()> {
        if self.acts_for(db, p, enterprise_id, project_id).await? {
            Ok(())
        } else {
            Err(self.refusal())
        }
    }

    /// The enterprise the caller acts for on `project_id`, or `FORBIDDEN` naming who may.
    pub async fn require_enterprise<C: ConnectionTrait>(
        &self,
        db: &C,
        p: &Principal,
        project_id: Uuid,
    ) -> AppResult<Uuid> {
        self.enterprise(db, p, project_id)
            .await?
            .ok_or_else(|| self.refusal())
    }

    /// The refusal naming who may act (`FORBIDDEN`).
    pub fn refusal(&self) -> AppError {
        AppError::new(
            crate::error::ErrorCode::Forbidden,
            format!("只有{}可以办理此事项", self.who),
        )
    }
}

/// Every participation of an enterprise, grouped by enterprise: loaded once per request for the
/// caller's enterprise (one statement), it answers [`Acting::decide`] for every record of a page
/// without a statement per record.
pub struct ParticipationsOfEnterprise;

impl crate::loader::Grouping for ParticipationsOfEnterprise {
    type Entity = project_participant::Entity;
    fn parent_column() -> project_participant::Column {
        project_participant::Column::EnterpriseId
    }
    fn parent_of(m: &project_participant::Model) -> Uuid {
        m.enterprise_id
    }
    fn order_column() -> project_participant::Column {
        project_participant::Column::Id
    }
}

/// The participant roles each project's row in `participations` gives, by project.
pub fn roles_by_project(
    participations: &[project_participant::Model],
) -> std::collections::HashMap<Uuid, Vec<ParticipantRole>> {
    let mut out: std::collections::HashMap<Uuid, Vec<ParticipantRole>> =
        std::collections::HashMap::new();
    for m in participations {
        out.entry(m.project_id).or_default().push(m.role);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::PrincipalKind;

    const DAILY: Acting = Acting {
        roles: &[Role::EnterpriseSafetyManager],
        participant_roles: &[ParticipantRole::Contractor, ParticipantRole::Subcontractor],
        who: "施工单位的专职安全员",
    };
    const ANY: Acting = Acting {
        roles: ENTERPRISE_ROLES,
        participant_roles: &[],
        who: "参建单位人员",
    };

    fn person(roles: &[Role], enterprise: Option<Uuid>) -> Principal {
        let mut p = Principal::anonymous();
        p.kind = PrincipalKind::Person;
        p.roles = roles.to_vec();
        p.enterprise_id = enterprise;
        p
    }

    #[test]
    fn the_role_and_the_part_in_the_project_both_decide() {
        let e = Uuid::now_v7();
        let safety = person(&[Role::EnterpriseSafetyManager], Some(e));
        let manager = person(&[Role::EnterpriseManager], Some(e));
        use ParticipantRole::*;
        assert_eq!(DAILY.decide(&safety, &[Contractor]), Some(e));
        assert_eq!(DAILY.decide(&safety, &[Supervisor, Subcontractor]), Some(e));
        assert_eq!(DAILY.decide(&safety, &[Supervisor]), None);
        assert_eq!(DAILY.decide(&safety, &[]), None);
        assert_eq!(DAILY.decide(&manager, &[Contractor]), None);
        // Any part will do when the rule names none, but some part it must be.
        assert_eq!(ANY.decide(&manager, &[Supervisor]), Some(e));
        assert_eq!(ANY.decide(&manager, &[]), None);
        // Without an enterprise, or anonymous, nobody acts.
        assert_eq!(
            ANY.decide(&person(&[Role::EnterpriseManager], None), &[Contractor]),
            None
        );
        assert_eq!(ANY.decide(&Principal::anonymous(), &[Contractor]), None);
        assert!(ANY.projects(&Principal::anonymous()).is_none());
        assert!(DAILY.projects(&manager).is_none());
        assert_eq!(DAILY.projects(&safety).map(|(id, _)| id), Some(e));
    }
}

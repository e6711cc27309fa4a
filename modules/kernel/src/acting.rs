//! Acting for someone: who may write a record on behalf of an enterprise on a project, stated
//! once here so that every module asks the same question the same way.
//!
//! Seeing a record is not enough to act on it: the supervision firm (监理) of a project sees its
//! hazards, but only the responsible enterprise rectifies them; a daily self-check is owed by the
//! contractor's safety managers, not by any enterprise account on the site. An [`Acting`] rule
//! names the roles that may act and the part the enterprise must play in the project.
use jianan_entity::enums::ParticipantRole;
use jianan_entity::project_participant;
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
    /// The enterprise the caller acts for on `project_id` under this rule, or `None`.
    pub async fn enterprise<C: ConnectionTrait>(
        &self,
        db: &C,
        p: &Principal,
        project_id: Uuid,
    ) -> AppResult<Option<Uuid>> {
        let Some(enterprise_id) = p.enterprise_id else {
            return Ok(None);
        };
        if !p.is_authenticated() || !self.roles.iter().any(|r| p.has_role(*r)) {
            return Ok(None);
        }
        let mut q = project_participant::Entity::find()
            .filter(project_participant::Column::ProjectId.eq(project_id))
            .filter(project_participant::Column::EnterpriseId.eq(enterprise_id));
        if !self.participant_roles.is_empty() {
            q = q.filter(
                project_participant::Column::Role.is_in(self.participant_roles.iter().copied()),
            );
        }
        Ok(q.one(db).await?.map(|_| enterprise_id))
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

    fn refusal(&self) -> AppError {
        AppError::new(
            crate::error::ErrorCode::Forbidden,
            format!("只有{}可以办理此事项", self.who),
        )
    }
}

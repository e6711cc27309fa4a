//! Scope rules and record identities of the registry's tables. They live in the kernel, beside
//! [`crate::scope`], so that every rule deciding who sees which registry row is in one file.
use jianan_entity::{account, enterprise, org_unit, project, project_participant};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use crate::scope::ScopedEntity;

/// Projects an enterprise takes part in (any role): the subquery every project-owned table uses
/// for enterprise scope.
pub fn projects_of_enterprise(enterprise_id: Uuid) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(project_participant::Column::ProjectId)
        .from(project_participant::Entity)
        .and_where(project_participant::Column::EnterpriseId.eq(enterprise_id))
        .to_owned()
}

/// Township staff see the projects in their township; enterprise people see the projects their
/// enterprise takes part in.
impl ScopedEntity for project::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(project::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(project::Column::Id.in_subquery(projects_of_enterprise(enterprise_id))),
        )
    }
}

/// The enterprise register is district-wide information for township staff. Enterprise people see
/// their own enterprise and the enterprises they work alongside on a project.
impl ScopedEntity for enterprise::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        let partners = Query::select()
            .column(project_participant::Column::EnterpriseId)
            .from(project_participant::Entity)
            .and_where(
                project_participant::Column::ProjectId
                    .in_subquery(projects_of_enterprise(enterprise_id)),
            )
            .to_owned();
        Some(
            Condition::any()
                .add(enterprise::Column::Id.eq(enterprise_id))
                .add(enterprise::Column::Id.in_subquery(partners)),
        )
    }
}

/// Org units (departments, townships, agencies) are reference data every logged-in person sees.
impl ScopedEntity for org_unit::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
}

/// Township staff see their township's accounts, enterprise people their enterprise's.
impl ScopedEntity for account::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(account::Column::OrgUnitId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(account::Column::EnterpriseId.eq(enterprise_id)))
    }
}

crate::record!(project::Entity, "Project");
crate::record!(enterprise::Entity, "Enterprise");
crate::record!(org_unit::Entity, "OrgUnit");
crate::record!(account::Entity, "Account");

//! The first obligations (issue #3 §6), from the plan (`shared/seed/ten-measures.zh.txt`):
//! each active project's daily, weekly and monthly self-checks (measure 3: 项目专职安全员每日、
//! 项目负责人每周、企业每月开展隐患排查), each leader's monthly and each member department's weekly
//! supervision (measure 1: 组长、副组长每月至少带队督导检查1次，成员单位每周至少开展1次).
use futures_util::future::BoxFuture;
use jianan_entity::enums::{OrgUnitKind, ProjectStatus};
use jianan_entity::{account, org_unit, project, project_participant};
use jianan_kernel::AppResult;
use jianan_kernel::calendar::PeriodKind;
use jianan_kernel::obligations::{Obligation, ObligationDef, Subject, SubjectKind};
use jianan_kernel::principal::Role;
use jianan_kernel::scope::{RowScope, scope_condition};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::enums::InspectionKind;

/// 项目专职安全员每日自查
pub const DAILY: ObligationDef = ObligationDef {
    code: "inspections.safety_manager_daily",
    name: "专职安全员每日隐患排查",
    subject: SubjectKind::Project,
    period: PeriodKind::Day,
    required: 1,
    source: "《工作方案》三、（三）隐患排查：项目专职安全员每日排查",
};
/// 项目负责人每周自查
pub const WEEKLY: ObligationDef = ObligationDef {
    code: "inspections.project_leader_weekly",
    name: "项目负责人每周隐患排查",
    subject: SubjectKind::Project,
    period: PeriodKind::Week,
    required: 1,
    source: "《工作方案》三、（三）隐患排查：项目负责人每周排查",
};
/// 企业每月自查
pub const MONTHLY: ObligationDef = ObligationDef {
    code: "inspections.enterprise_monthly",
    name: "企业每月隐患排查",
    subject: SubjectKind::Project,
    period: PeriodKind::Month,
    required: 1,
    source: "《工作方案》三、（三）隐患排查：企业每月排查",
};
/// 领导小组组长、副组长每月督导
pub const LEADER_MONTHLY: ObligationDef = ObligationDef {
    code: "inspections.leader_monthly_supervision",
    name: "领导小组组长、副组长每月带队督导检查",
    subject: SubjectKind::Account,
    period: PeriodKind::Month,
    required: 1,
    source: "《工作方案》三、（一）：组长、副组长每月至少带队督导检查1次",
};
/// 成员单位每周督查
pub const DEPARTMENT_WEEKLY: ObligationDef = ObligationDef {
    code: "inspections.department_weekly_supervision",
    name: "成员单位每周督查",
    subject: SubjectKind::OrgUnit,
    period: PeriodKind::Week,
    required: 1,
    source: "《工作方案》三、（一）：各成员单位每周至少开展1次督查",
};

/// The obligation a self-check kind fulfils for its project.
pub fn self_check_obligation(kind: InspectionKind) -> Option<&'static str> {
    match kind {
        InspectionKind::SafetyManagerDaily => Some(DAILY.code),
        InspectionKind::ProjectLeaderWeekly => Some(WEEKLY.code),
        InspectionKind::EnterpriseMonthly => Some(MONTHLY.code),
        _ => None,
    }
}

/// A duty of every active project (its self-checks, its publicity).
pub struct ActiveProjectDuty(pub &'static ObligationDef);

impl Obligation for ActiveProjectDuty {
    fn def(&self) -> &ObligationDef {
        self.0
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            let projects = project::Entity::find()
                .filter(scope_condition::<project::Entity>(scope))
                .filter(project::Column::Status.eq(ProjectStatus::Active))
                .filter(project::Column::ArchivedAt.is_null())
                .order_by_asc(project::Column::Code)
                .all(db)
                .await?;
            let participants = project_participant::Entity::find()
                .filter(project_participant::Column::ProjectId.is_in(projects.iter().map(|p| p.id)))
                .all(db)
                .await?;
            Ok(projects
                .into_iter()
                .map(|p| Subject {
                    id: p.id,
                    type_name: "Project",
                    label: format!("{} {}", p.code, p.name),
                    township_id: Some(p.township_id),
                    enterprise_ids: participants
                        .iter()
                        .filter(|x| x.project_id == p.id)
                        .map(|x| x.enterprise_id)
                        .collect(),
                    account_ids: Vec::new(),
                })
                .collect())
        })
    }
}

/// Each leader's monthly supervision (subjects: accounts with the LEADER role; district scope).
pub struct LeaderSupervision;

impl Obligation for LeaderSupervision {
    fn def(&self) -> &ObligationDef {
        &LEADER_MONTHLY
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            if scope != RowScope::District {
                return Ok(Vec::new());
            }
            let leaders = account::Entity::find()
                .filter(account::Column::ArchivedAt.is_null())
                .filter(account::Column::Roles.contains(format!("\"{}\"", Role::Leader.as_str())))
                .order_by_asc(account::Column::Username)
                .all(db)
                .await?;
            Ok(leaders
                .into_iter()
                .map(|a| Subject {
                    id: a.id,
                    type_name: "Account",
                    label: a.display_name,
                    township_id: None,
                    enterprise_ids: Vec::new(),
                    account_ids: vec![a.id],
                })
                .collect())
        })
    }
}

/// Each member department's weekly supervision (subjects: department org units).
pub struct DepartmentSupervision;

impl Obligation for DepartmentSupervision {
    fn def(&self) -> &ObligationDef {
        &DEPARTMENT_WEEKLY
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            if scope != RowScope::District {
                return Ok(Vec::new());
            }
            let units = org_unit::Entity::find()
                .filter(org_unit::Column::Kind.eq(OrgUnitKind::Department))
                .filter(org_unit::Column::ArchivedAt.is_null())
                .order_by_asc(org_unit::Column::Code)
                .all(db)
                .await?;
            Ok(units
                .into_iter()
                .map(|u| Subject {
                    id: u.id,
                    type_name: "OrgUnit",
                    label: u.name,
                    township_id: None,
                    enterprise_ids: Vec::new(),
                    account_ids: Vec::new(),
                })
                .collect())
        })
    }
}

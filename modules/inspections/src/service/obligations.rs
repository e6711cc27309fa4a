//! The first obligations (issue #3 §6), from the plan (`shared/seed/ten-measures.zh.txt`):
//! each active project's daily, weekly and monthly self-checks (measure 3: 严格开展安全管理人员日排查、
//! 项目负责人周排查、企业月排查), each leader's monthly and each member department's weekly
//! supervision (measure 1: 领导小组组长、副组长至少每个月开展1次督查检查，相关成员科室至少每周开展1次
//! 督查检查). Each `source` quotes the plan's words.
use futures_util::future::BoxFuture;
use jianan_entity::enums::{OrgUnitKind, ProjectStatus};
use jianan_entity::{account, org_unit, project, project_participant};
use jianan_kernel::AppResult;
use jianan_kernel::calendar::{Period, PeriodKind};
use jianan_kernel::history;
use jianan_kernel::obligations::{Obligation, ObligationDef, Subject, SubjectKind};
use jianan_kernel::principal::Role;
use jianan_kernel::scope::{RowScope, scope_condition};
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::entity::enums::InspectionKind;

/// 项目专职安全员每日自查
pub const DAILY: ObligationDef = ObligationDef {
    code: "inspections.safety_manager_daily",
    name: "专职安全员每日隐患排查",
    subject: SubjectKind::Project,
    period: PeriodKind::Day,
    required: 1,
    source: "《工作方案》三、（三）：严格开展安全管理人员日排查、项目负责人周排查、企业月排查",
    exempt_holidays: false,
};
/// 项目负责人每周自查
pub const WEEKLY: ObligationDef = ObligationDef {
    code: "inspections.project_leader_weekly",
    name: "项目负责人每周隐患排查",
    subject: SubjectKind::Project,
    period: PeriodKind::Week,
    required: 1,
    source: "《工作方案》三、（三）：严格开展安全管理人员日排查、项目负责人周排查、企业月排查",
    exempt_holidays: false,
};
/// 企业每月自查
pub const MONTHLY: ObligationDef = ObligationDef {
    code: "inspections.enterprise_monthly",
    name: "企业每月隐患排查",
    subject: SubjectKind::Project,
    period: PeriodKind::Month,
    required: 1,
    source: "《工作方案》三、（三）：严格开展安全管理人员日排查、项目负责人周排查、企业月排查",
    exempt_holidays: false,
};
/// 领导小组组长、副组长每月督导
pub const LEADER_MONTHLY: ObligationDef = ObligationDef {
    code: "inspections.leader_monthly_supervision",
    name: "领导小组组长、副组长每月带队督导检查",
    subject: SubjectKind::Account,
    period: PeriodKind::Month,
    required: 1,
    source: "《工作方案》三、（一）：领导小组组长、副组长至少每个月开展1次督查检查",
    exempt_holidays: false,
};
/// 成员单位每周督查
pub const DEPARTMENT_WEEKLY: ObligationDef = ObligationDef {
    code: "inspections.department_weekly_supervision",
    name: "成员单位每周督查",
    subject: SubjectKind::OrgUnit,
    period: PeriodKind::Week,
    required: 1,
    source: "《工作方案》三、（一）：相关成员科室至少每周开展1次督查检查",
    // Member departments keep office days: a week that is all statutory holiday (the Spring
    // Festival or National Day week) owes no supervision; a week with any other day still does.
    exempt_holidays: true,
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

/// A duty of every active project (its self-checks, its publicity): owed while the project is
/// ACTIVE — not while it is planned, suspended (a stop-work order), completed or archived — as its
/// status history records it.
pub struct ActiveProjectDuty(pub &'static ObligationDef);

impl Obligation for ActiveProjectDuty {
    fn def(&self) -> &ObligationDef {
        self.0
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
        period: Period,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            let mut spans = history::spans_during(
                db,
                "Project",
                &ProjectStatus::Active.to_value(),
                period.start_utc(),
                period.end_utc(),
            )
            .await?;
            if spans.is_empty() {
                return Ok(Vec::new());
            }
            let projects = project::Entity::find()
                .filter(scope_condition::<project::Entity>(scope))
                .filter(project::Column::Id.is_in(spans.keys().copied()))
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
                    owing: spans.remove(&p.id).unwrap_or_default(),
                })
                .collect())
        })
    }
}

/// Each leader's monthly supervision: owed by accounts while they hold the LEADER role (from the
/// role history, so a leader who left in the middle of a month still owed that month); district
/// scope only.
pub struct LeaderSupervision;

impl Obligation for LeaderSupervision {
    fn def(&self) -> &ObligationDef {
        &LEADER_MONTHLY
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
        period: Period,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            if scope != RowScope::District {
                return Ok(Vec::new());
            }
            let mut spans = history::spans_during(
                db,
                "Account",
                Role::Leader.as_str(),
                period.start_utc(),
                period.end_utc(),
            )
            .await?;
            if spans.is_empty() {
                return Ok(Vec::new());
            }
            let leaders = account::Entity::find()
                .filter(account::Column::Id.is_in(spans.keys().copied()))
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
                    owing: spans.remove(&a.id).unwrap_or_default(),
                })
                .collect())
        })
    }
}

/// Each member department's weekly supervision (subjects: department org units, owed while they
/// exist). A missed week reaches the department's head and the leadership group's office
/// (领导小组办公室, 《工作方案》二: 领导小组办公室下设于质安中心).
pub struct DepartmentSupervision;

impl Obligation for DepartmentSupervision {
    fn def(&self) -> &ObligationDef {
        &DEPARTMENT_WEEKLY
    }
    fn subjects<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        scope: RowScope,
        period: Period,
    ) -> BoxFuture<'a, AppResult<Vec<Subject>>> {
        Box::pin(async move {
            if scope != RowScope::District {
                return Ok(Vec::new());
            }
            let units = org_unit::Entity::find()
                .filter(org_unit::Column::Kind.eq(OrgUnitKind::Department))
                .filter(org_unit::Column::CreatedAt.lt(period.end_utc()))
                .filter(
                    Condition::any()
                        .add(org_unit::Column::ArchivedAt.is_null())
                        .add(org_unit::Column::ArchivedAt.gt(period.start_utc())),
                )
                .order_by_asc(org_unit::Column::Code)
                .all(db)
                .await?;
            if units.is_empty() {
                return Ok(Vec::new());
            }
            // The leadership group's office: the active accounts of the unit marked as it.
            let offices: Vec<uuid::Uuid> = org_unit::Entity::find()
                .filter(org_unit::Column::LeadershipOffice.eq(true))
                .filter(org_unit::Column::ArchivedAt.is_null())
                .all(db)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let office: Vec<uuid::Uuid> = account::Entity::find()
                .filter(account::Column::OrgUnitId.is_in(offices))
                .filter(account::Column::ArchivedAt.is_null())
                .order_by_asc(account::Column::Username)
                .all(db)
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect();
            Ok(units
                .into_iter()
                .map(|u| {
                    let mut account_ids: Vec<uuid::Uuid> = u.head_account_id.into_iter().collect();
                    account_ids.extend(office.iter().filter(|a| Some(**a) != u.head_account_id));
                    Subject {
                        id: u.id,
                        type_name: "OrgUnit",
                        label: u.name,
                        township_id: None,
                        enterprise_ids: Vec::new(),
                        account_ids,
                        owing: vec![history::Span {
                            subject_id: u.id,
                            from: u.created_at,
                            until: u.archived_at,
                        }],
                    }
                })
                .collect())
        })
    }
}

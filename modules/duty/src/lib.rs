//! Duty (measure 9 of the plan, 强化节点值守): key periods (重点时段), 24-hour duty rosters with the
//! leader on duty and staff on duty (值班表), and early warnings (预警) that every target must
//! acknowledge by a deadline or see escalated. See docs/duty.md.

pub mod demo;
pub mod entity;
pub mod graphql;
pub mod migrations;
pub mod rules;
pub mod service;
pub mod volume;

use std::sync::Arc;
use std::time::Duration;

use jianan_kernel::module::{Module, ScheduledJob};
use jianan_kernel::principal::{PermissionDef, Role};
use jianan_kernel::registry_scopes::projects_of_enterprise;
use jianan_kernel::scope::ScopedEntity;
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use entity::enums::WarningTargetKind;
use entity::{incident, key_period, response, shift, warning, warning_target};
pub use graphql::{DutyMutation, DutyQuery};

/// The duty query root (see `jianan_kernel::modules!`).
pub type Query = DutyQuery;
/// The duty mutation root.
pub type Mutation = DutyMutation;
/// The duty subscription root.
pub type Subscription = graphql::subscription::DutySubscription;
/// The module's record types.
pub type Records = (
    graphql::types::DutyKeyPeriod,
    graphql::types::DutyWarning,
    graphql::types::DutyWarningTarget,
    graphql::types::DutyShift,
    graphql::types::DutyIncidentReport,
    graphql::types::DutyEmergencyResponse,
);

/// The duty module.
pub fn module() -> Box<dyn Module> {
    Box::new(DutyModule)
}

/// The module's permissions.
pub mod perms {
    /// Read key periods.
    pub const KEY_PERIOD_READ: &str = "duty.key_period.read";
    /// Declare, change and cancel key periods.
    pub const KEY_PERIOD_MANAGE: &str = "duty.key_period.manage";
    /// Read warnings (those addressed to one's township, projects or, for the commission, all).
    pub const WARNING_READ: &str = "duty.warning.read";
    /// Issue warnings.
    pub const WARNING_ISSUE: &str = "duty.warning.issue";
    /// Acknowledge warnings addressed to one's township, projects or department.
    pub const WARNING_ACKNOWLEDGE: &str = "duty.warning.acknowledge";
    /// Read the duty roster (with the phones of the people on duty).
    pub const ROSTER_READ: &str = "duty.roster.read";
    /// Keep the roster: assign shifts, approve swaps.
    pub const ROSTER_MANAGE: &str = "duty.roster.manage";
    /// Check in for one's own shift.
    pub const ROSTER_CHECK_IN: &str = "duty.roster.check_in";
    /// Read information reports (the commission all, a township its own, an enterprise its
    /// projects').
    pub const REPORT_READ: &str = "duty.report.read";
    /// File information reports and their follow-ups (for one's township or projects).
    pub const REPORT_FILE: &str = "duty.report.file";
    /// Close information reports (终报).
    pub const REPORT_CLOSE: &str = "duty.report.close";
    /// Read emergency responses.
    pub const RESPONSE_READ: &str = "duty.response.read";
    /// Start, escalate and end emergency responses, link reports to them.
    pub const RESPONSE_MANAGE: &str = "duty.response.manage";
    /// Read duty statistics.
    pub const STATISTICS_READ: &str = "duty.statistics.read";
}

/// Key periods are district-wide announcements: every standing that may read them sees them all.
impl ScopedEntity for key_period::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
}
jianan_kernel::record!(key_period::Entity, "DutyKeyPeriod");

/// The warnings that have a target among `targets`.
fn warnings_with(targets: Condition) -> sea_orm::sea_query::SelectStatement {
    SqlQuery::select()
        .column(warning_target::Column::WarningId)
        .from(warning_target::Entity)
        .cond_where(targets)
        .to_owned()
}

fn township_targets(township_id: Uuid) -> Condition {
    Condition::all().add(warning_target::Column::TownshipId.eq(township_id))
}

fn enterprise_targets(enterprise_id: Uuid) -> Condition {
    Condition::all()
        .add(warning_target::Column::Kind.eq(WarningTargetKind::Project))
        .add(warning_target::Column::UnitId.in_subquery(projects_of_enterprise(enterprise_id)))
}

/// Township staff see the warnings with a target in their township (the township itself or a
/// project in it); enterprise people those addressed to their projects.
impl ScopedEntity for warning::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(warning::Column::Id.in_subquery(warnings_with(township_targets(township_id)))),
        )
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all().add(
                warning::Column::Id.in_subquery(warnings_with(enterprise_targets(enterprise_id))),
            ),
        )
    }
}
jianan_kernel::record!(warning::Entity, "DutyWarning");

/// Township staff see the targets in their township; enterprise people their projects'.
impl ScopedEntity for warning_target::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(township_targets(township_id))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(enterprise_targets(enterprise_id))
    }
}
jianan_kernel::record!(warning_target::Entity, "DutyWarningTarget");

/// Township staff see their township's reports; enterprise people their projects'.
impl ScopedEntity for incident::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(incident::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all().add(
                incident::Column::ProjectId.in_subquery(projects_of_enterprise(enterprise_id)),
            ),
        )
    }
}
jianan_kernel::record!(incident::Entity, "DutyIncidentReport");

/// Township staff see the district's emergency responses (they take part in them); enterprises do
/// not.
impl ScopedEntity for response::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(response::Entity, "DutyEmergencyResponse");

/// Township staff see the commission's roster (to reach the people on duty); enterprises do not.
impl ScopedEntity for shift::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(shift::Entity, "DutyShift");

const COMMISSION_STAFF: &[Role] = &[Role::Admin, Role::Leader, Role::DepartmentStaff];
const GOVERNMENT: &[Role] = &[
    Role::Admin,
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
    Role::TownshipStaff,
];
const WARNED: &[Role] = &[
    Role::Admin,
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
    Role::TownshipStaff,
    Role::EnterpriseSafetyManager,
    Role::EnterpriseProjectLeader,
    Role::EnterpriseManager,
];

/// The duty module.
#[derive(Debug, Default)]
pub struct DutyModule;

impl Module for DutyModule {
    fn name(&self) -> &'static str {
        "duty"
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        vec![
            PermissionDef {
                name: KEY_PERIOD_READ,
                description: "查看重点时段（重大节假日、极端天气、敏感时期）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::EnterpriseManager,
                ],
            },
            PermissionDef {
                name: KEY_PERIOD_MANAGE,
                description: "设置、调整、撤销重点时段",
                roles: COMMISSION_STAFF,
            },
            PermissionDef {
                name: WARNING_READ,
                description: "查看预警（委里看全部，乡镇、企业看发给本单位的）",
                roles: WARNED,
            },
            PermissionDef {
                name: WARNING_ISSUE,
                description: "发布预警",
                roles: COMMISSION_STAFF,
            },
            PermissionDef {
                name: WARNING_ACKNOWLEDGE,
                description: "签收发给本乡镇、本企业项目或本科室的预警",
                roles: &[
                    Role::DepartmentStaff,
                    Role::TownshipStaff,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::EnterpriseManager,
                ],
            },
            PermissionDef {
                name: ROSTER_READ,
                description: "查看值班表（含值班电话）",
                roles: GOVERNMENT,
            },
            PermissionDef {
                name: ROSTER_MANAGE,
                description: "排班、批准换班",
                roles: COMMISSION_STAFF,
            },
            PermissionDef {
                name: ROSTER_CHECK_IN,
                description: "本人值班在岗签到",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                ],
            },
            PermissionDef {
                name: REPORT_READ,
                description: "查看信息报告（委里看全部，乡镇看本乡镇，企业看本企业项目）",
                roles: WARNED,
            },
            PermissionDef {
                name: REPORT_FILE,
                description: "报送事故、险情、灾情信息（首报、续报）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::TownshipStaff,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::EnterpriseManager,
                ],
            },
            PermissionDef {
                name: REPORT_CLOSE,
                description: "信息报告终报",
                roles: COMMISSION_STAFF,
            },
            PermissionDef {
                name: RESPONSE_READ,
                description: "查看应急响应",
                roles: GOVERNMENT,
            },
            PermissionDef {
                name: RESPONSE_MANAGE,
                description: "启动、提升、结束应急响应，关联信息报告",
                roles: &[Role::Admin, Role::Leader],
            },
            PermissionDef {
                name: STATISTICS_READ,
                description: "查看值班值守统计（预警签收率等）",
                roles: GOVERNMENT,
            },
        ]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::duty::TOPICS.to_vec()
    }

    fn jobs(&self) -> Vec<Arc<dyn ScheduledJob>> {
        vec![
            Arc::new(service::warning::EscalationJob {
                every: Duration::from_secs(60),
            }),
            Arc::new(service::incident::OverdueJob {
                every: Duration::from_secs(300),
            }),
        ]
    }

    fn obligations(&self) -> Vec<Arc<dyn jianan_kernel::obligations::Obligation>> {
        vec![Arc::new(service::roster::RosterCoverage)]
    }

    fn seed_demo<'a>(
        &'a self,
        kernel: &'a jianan_kernel::Kernel,
    ) -> futures_util::future::BoxFuture<'a, jianan_kernel::AppResult<()>> {
        Box::pin(demo::seed(kernel))
    }

    fn seed_volume<'a>(
        &'a self,
        kernel: &'a jianan_kernel::Kernel,
        volume: &'a jianan_kernel::volume::Volume,
    ) -> futures_util::future::BoxFuture<'a, jianan_kernel::AppResult<jianan_kernel::volume::Loaded>>
    {
        Box::pin(volume::seed(kernel, volume))
    }
}

//! Oversight (measures 1 and 2 of the plan): the leadership group's deployment meetings and study
//! sessions with their decisions tracked to done; risk assessments for key periods and nodes with
//! control measures, responsible persons and the “两重两新” items supervision checklists include;
//! circulars that list the problems found, published to their recipients with read receipts.
//! See docs/oversight.md.

pub mod demo;
pub mod entity;
pub mod graphql;
pub mod migrations;
pub mod rules;
pub mod service;

use std::sync::Arc;

use jianan_kernel::attachments::{AttachmentOwner, ScopedOwner};
use jianan_kernel::module::Module;
use jianan_kernel::principal::{PermissionDef, Role};
use jianan_kernel::scope::ScopedEntity;
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use entity::{assessment, circular, circular_recipient, meeting, meeting_unit, task};
pub use graphql::{OversightMutation, OversightQuery};

/// The oversight query root (see `jianan_kernel::modules!`).
pub type Query = OversightQuery;
/// The oversight mutation root.
pub type Mutation = OversightMutation;
/// No subscriptions of its own (owners and recipients are told through the kernel's inbox).
pub type Subscription = jianan_kernel::gateway::NoSubscription;
/// The module's record types.
pub type Records = (
    graphql::types::Meeting,
    graphql::types::OversightTask,
    graphql::types::RiskAssessment,
    graphql::types::Circular,
);

/// The oversight module.
pub fn module() -> Box<dyn Module> {
    Box::new(OversightModule)
}

/// The module's permissions.
pub mod perms {
    /// Read meetings (units: those they attended).
    pub const MEETING_READ: &str = "oversight.meeting.read";
    /// Record meetings and give out their decisions (and upload the minutes).
    pub const MEETING_RECORD: &str = "oversight.meeting.record";
    /// Read tasks (units: their own people's).
    pub const TASK_READ: &str = "oversight.task.read";
    /// Report one's own task done.
    pub const TASK_COMPLETE: &str = "oversight.task.complete";
    /// Read risk assessments and the “两重两新” items in force.
    pub const ASSESSMENT_READ: &str = "oversight.assessment.read";
    /// Record risk assessments.
    pub const ASSESSMENT_RECORD: &str = "oversight.assessment.record";
    /// Read circulars (recipients: those sent to them) and sign for them.
    pub const CIRCULAR_READ: &str = "oversight.circular.read";
    /// Issue circulars.
    pub const CIRCULAR_ISSUE: &str = "oversight.circular.issue";
    /// Read oversight statistics.
    pub const STATISTICS_READ: &str = "oversight.statistics.read";
}

/// Every person's role (tasks are given to and circulars sent to any of them).
const PEOPLE: &[Role] = &[
    Role::Admin,
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
    Role::TownshipStaff,
    Role::EnterpriseSafetyManager,
    Role::EnterpriseProjectLeader,
    Role::EnterpriseManager,
];

/// How often open tasks are checked against their due day (a day's granularity needs no more).
const OVERDUE_SCAN_SECONDS: u64 = 600;

/// The commission's staff who run the leadership group's work.
const COMMISSION: &[Role] = &[Role::Admin, Role::Leader, Role::DepartmentStaff];

fn meetings_attended_by(unit: Uuid) -> Condition {
    Condition::all().add(
        meeting::Column::Id.in_subquery(
            SqlQuery::select()
                .column(meeting_unit::Column::MeetingId)
                .from(meeting_unit::Entity)
                .and_where(meeting_unit::Column::UnitId.eq(unit))
                .to_owned(),
        ),
    )
}

/// Townships and enterprises see the meetings they attended.
impl ScopedEntity for meeting::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(meetings_attended_by(township_id))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(meetings_attended_by(enterprise_id))
    }
}
jianan_kernel::record!(meeting::Entity, "Meeting");

/// Townships and enterprises see the tasks given to their people.
impl ScopedEntity for task::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(task::Column::OwnerUnitId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(task::Column::OwnerUnitId.eq(enterprise_id)))
    }
}
jianan_kernel::record!(task::Entity, "OversightTask");

/// Risk assessments are the commission's; townships and enterprises see the tasks they are given.
impl ScopedEntity for assessment::Entity {
    fn township_condition(_township_id: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(assessment::Entity, "RiskAssessment");

fn circulars_sent_to(unit: Uuid) -> sea_orm::sea_query::SelectStatement {
    SqlQuery::select()
        .column(circular_recipient::Column::CircularId)
        .from(circular_recipient::Entity)
        .and_where(circular_recipient::Column::UnitId.eq(unit))
        .to_owned()
}

/// A township sees the circulars sent to it and those it issued; an enterprise those sent to it.
impl ScopedEntity for circular::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(
            Condition::any()
                .add(circular::Column::IssuerUnitId.eq(township_id))
                .add(circular::Column::Id.in_subquery(circulars_sent_to(township_id))),
        )
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(circular::Column::Id.in_subquery(circulars_sent_to(enterprise_id))),
        )
    }
}
jianan_kernel::record!(circular::Entity, "Circular");

/// The oversight module.
#[derive(Debug, Default)]
pub struct OversightModule;

impl Module for OversightModule {
    fn name(&self) -> &'static str {
        "oversight"
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        vec![
            PermissionDef {
                name: MEETING_READ,
                description: "查看会议及议定事项（乡镇、企业看本单位参加的）",
                roles: PEOPLE,
            },
            PermissionDef {
                name: MEETING_RECORD,
                description: "记录会议、交办议定事项、上传会议纪要",
                roles: COMMISSION,
            },
            PermissionDef {
                name: TASK_READ,
                description: "查看督办事项（乡镇、企业看本单位的）",
                roles: PEOPLE,
            },
            PermissionDef {
                name: TASK_COMPLETE,
                description: "报告本人负责的督办事项办结",
                roles: PEOPLE,
            },
            PermissionDef {
                name: ASSESSMENT_READ,
                description: "查看风险研判和须纳入监督检查的“两重两新”事项",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                ],
            },
            PermissionDef {
                name: ASSESSMENT_RECORD,
                description: "记录风险研判、落实管控措施和责任人员",
                roles: COMMISSION,
            },
            PermissionDef {
                name: CIRCULAR_READ,
                description: "查看、签收通报（接收单位看发给本单位的）",
                roles: PEOPLE,
            },
            PermissionDef {
                name: CIRCULAR_ISSUE,
                description: "发布通报（乡镇仅向本辖区项目参建企业）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::TownshipStaff,
                ],
            },
            PermissionDef {
                name: STATISTICS_READ,
                description: "查看督办统计",
                roles: COMMISSION,
            },
        ]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::oversight::TOPICS.to_vec()
    }

    fn jobs(&self) -> Vec<Arc<dyn jianan_kernel::module::ScheduledJob>> {
        vec![Arc::new(service::task::OverdueJob {
            every: std::time::Duration::from_secs(OVERDUE_SCAN_SECONDS),
        })]
    }

    fn attachment_owners(&self) -> Vec<Arc<dyn AttachmentOwner>> {
        vec![Arc::new(ScopedOwner::<meeting::Entity>::new(
            graphql::types::MEETING,
            &[perms::MEETING_READ],
            &[perms::MEETING_RECORD],
        ))]
    }

    fn seed_demo<'a>(
        &'a self,
        kernel: &'a jianan_kernel::Kernel,
    ) -> futures_util::future::BoxFuture<'a, jianan_kernel::AppResult<()>> {
        Box::pin(demo::seed(kernel))
    }
}

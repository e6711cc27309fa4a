//! Experts (measure 10 of the plan, and the expert checks of measure 7): the expert library
//! (专家库), service visits to enterprises and projects (“进企业、到项目、查隐患、促整改”) whose
//! findings become hazards in inspections, a verifiable random draw with avoidance, the register
//! of dangerous sub-projects (危大工程) and the expert review of the schemes of those beyond a
//! certain scale. See docs/experts.md.

pub mod demo;
pub mod entity;
pub mod graphql;
pub mod migrations;
pub mod rules;
pub mod service;
pub mod volume;

use std::sync::Arc;

use jianan_kernel::attachments::{AttachmentOwner, ScopedOwner};
use jianan_kernel::module::Module;
use jianan_kernel::outbox::EventHandler;
use jianan_kernel::principal::{Grant, PermissionDef, Role, RoleScope};
use jianan_kernel::registry_scopes::projects_of_enterprise;
use jianan_kernel::scope::ScopedEntity;
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use entity::enums::{AssignmentStatus, AssignmentSubject};
use entity::{
    assignment, certificate, chief_engineer, dangerous_work, draw, expert, expert_check, finding,
    scheme_review, service_request, visit,
};

/// The experts query root (see `jianan_kernel::modules!`).
pub type Query = graphql::query::ExpertsQuery;
/// The experts mutation root.
pub type Mutation = graphql::mutation::ExpertsMutation;
/// No subscriptions of its own.
pub type Subscription = jianan_kernel::gateway::NoSubscription;
/// The module's record types.
pub type Records = (
    graphql::types::Expert,
    graphql::types::ExpertServiceRequest,
    graphql::types::ExpertDraw,
    graphql::types::ExpertAssignment,
    graphql::types::ExpertVisit,
    graphql::types::ExpertFinding,
    graphql::types::DangerousWork,
    graphql::types::SchemeReview,
    graphql::types::ExpertCheck,
    graphql::types::ChiefEngineer,
);

/// The experts module.
pub fn module() -> Box<dyn Module> {
    Box::new(ExpertsModule)
}

/// The module's permissions.
pub mod perms {
    /// Read the expert library (an expert: their own record).
    pub const EXPERT_READ: &str = "experts.expert.read";
    /// See experts' phone numbers in full.
    pub const EXPERT_CONTACT_READ: &str = "experts.expert.contact_read";
    /// Register experts, change their status, add certificates.
    pub const EXPERT_MANAGE: &str = "experts.expert.manage";
    /// Read service requests (enterprises: their projects'; experts: those they serve).
    pub const REQUEST_READ: &str = "experts.request.read";
    /// Ask for an expert service visit (the commission, or an enterprise for its own projects).
    pub const REQUEST_CREATE: &str = "experts.request.create";
    /// Read draws (commitment, then seed and order).
    pub const DRAW_READ: &str = "experts.draw.read";
    /// Commit and run draws, appoint experts, rate their work.
    pub const DRAW_MANAGE: &str = "experts.draw.manage";
    /// Read assignments (an expert: their own).
    pub const ASSIGNMENT_READ: &str = "experts.assignment.read";
    /// Refuse an assignment (the expert, or the commission recording it), which draws the next.
    pub const ASSIGNMENT_REFUSE: &str = "experts.assignment.refuse";
    /// Read visits and their findings.
    pub const VISIT_READ: &str = "experts.visit.read";
    /// Record a visit (an assigned expert, or the commission's staff).
    pub const VISIT_RECORD: &str = "experts.visit.record";
    /// Read dangerous sub-projects and scheme reviews.
    pub const REVIEW_READ: &str = "experts.review.read";
    /// Register a project's dangerous sub-projects.
    pub const WORK_REGISTER: &str = "experts.dangerous_work.register";
    /// Plan and conclude scheme reviews, attach their signed reports.
    pub const REVIEW_MANAGE: &str = "experts.review.manage";
    /// Read the expert checks scheduled for key periods.
    pub const CHECK_READ: &str = "experts.check.read";
    /// Read the chief-engineer register (an enterprise: its own entry).
    pub const CHIEF_READ: &str = "experts.chief_engineer.read";
    /// Keep an enterprise's chief engineer and team (an enterprise's manager: its own).
    pub const CHIEF_MANAGE: &str = "experts.chief_engineer.manage";
    /// Read the experts statistics.
    pub const STATISTICS_READ: &str = "experts.statistics.read";
}

/// Grants the module defines.
pub mod grants {
    /// Every EXPERT: their own account, reaching their expert record, their assignments and the
    /// requests, visits, findings and reviews those assignments are on.
    pub const EXPERT: &str = "experts.expert";
}

fn expert_grant(grant: &Grant) -> Option<Uuid> {
    (grant.kind == grants::EXPERT).then_some(grant.id)
}

/// The subjects of `kind` an expert's account serves on (assignments in force).
fn subjects_of(account: Uuid, kind: AssignmentSubject) -> sea_orm::sea_query::SelectStatement {
    SqlQuery::select()
        .column(assignment::Column::SubjectId)
        .from(assignment::Entity)
        .and_where(assignment::Column::ExpertAccountId.eq(account))
        .and_where(assignment::Column::SubjectType.eq(kind))
        .and_where(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .to_owned()
}

/// The commission sees the library; an expert sees their own record; townships and
/// enterprises see none.
impl ScopedEntity for expert::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        expert_grant(grant).map(|a| Condition::all().add(expert::Column::AccountId.eq(a)))
    }
}
jianan_kernel::record!(expert::Entity, "Expert");

/// Certificates follow their expert.
impl ScopedEntity for certificate::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        expert_grant(grant).map(|a| {
            Condition::all().add(
                certificate::Column::ExpertId.in_subquery(
                    SqlQuery::select()
                        .column(expert::Column::Id)
                        .from(expert::Entity)
                        .and_where(expert::Column::AccountId.eq(a))
                        .to_owned(),
                ),
            )
        })
    }
}

/// Townships see their township's requests; enterprises those on the projects they take part
/// in; an expert those they serve on.
impl ScopedEntity for service_request::Entity {
    fn township_condition(t: Uuid) -> Option<Condition> {
        Some(Condition::all().add(service_request::Column::TownshipId.eq(t)))
    }
    fn enterprise_condition(e: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(service_request::Column::ProjectId.in_subquery(projects_of_enterprise(e))),
        )
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        expert_grant(grant).map(|a| {
            Condition::all().add(
                service_request::Column::Id
                    .in_subquery(subjects_of(a, AssignmentSubject::ServiceRequest)),
            )
        })
    }
}
jianan_kernel::record!(service_request::Entity, "ExpertServiceRequest");

/// Draws are the commission's (their published documents are what others verify).
impl ScopedEntity for draw::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(draw::Entity, "ExpertDraw");

/// Townships see their township's assignments; an expert sees their own; enterprises none.
impl ScopedEntity for assignment::Entity {
    fn township_condition(t: Uuid) -> Option<Condition> {
        Some(Condition::all().add(assignment::Column::TownshipId.eq(t)))
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        expert_grant(grant).map(|a| Condition::all().add(assignment::Column::ExpertAccountId.eq(a)))
    }
}
jianan_kernel::record!(assignment::Entity, "ExpertAssignment");

/// Visits: townships theirs, enterprises their projects', experts those of their requests.
impl ScopedEntity for visit::Entity {
    fn township_condition(t: Uuid) -> Option<Condition> {
        Some(Condition::all().add(visit::Column::TownshipId.eq(t)))
    }
    fn enterprise_condition(e: Uuid) -> Option<Condition> {
        Some(Condition::all().add(visit::Column::ProjectId.in_subquery(projects_of_enterprise(e))))
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        expert_grant(grant).map(|a| {
            Condition::all().add(
                visit::Column::RequestId
                    .in_subquery(subjects_of(a, AssignmentSubject::ServiceRequest)),
            )
        })
    }
}
jianan_kernel::record!(visit::Entity, "ExpertVisit");

/// Findings follow their visit.
impl ScopedEntity for finding::Entity {
    fn township_condition(t: Uuid) -> Option<Condition> {
        Some(Condition::all().add(finding::Column::TownshipId.eq(t)))
    }
    fn enterprise_condition(e: Uuid) -> Option<Condition> {
        Some(
            Condition::all().add(finding::Column::ProjectId.in_subquery(projects_of_enterprise(e))),
        )
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        expert_grant(grant).map(|a| {
            Condition::all().add(
                finding::Column::RequestId
                    .in_subquery(subjects_of(a, AssignmentSubject::ServiceRequest)),
            )
        })
    }
}
jianan_kernel::record!(finding::Entity, "ExpertFinding");

/// Dangerous sub-projects: townships theirs, enterprises their projects'.
impl ScopedEntity for dangerous_work::Entity {
    fn township_condition(t: Uuid) -> Option<Condition> {
        Some(Condition::all().add(dangerous_work::Column::TownshipId.eq(t)))
    }
    fn enterprise_condition(e: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(dangerous_work::Column::ProjectId.in_subquery(projects_of_enterprise(e))),
        )
    }
}
jianan_kernel::record!(dangerous_work::Entity, "DangerousWork");

/// Scheme reviews: townships theirs, enterprises their projects', experts those they sit on.
impl ScopedEntity for scheme_review::Entity {
    fn township_condition(t: Uuid) -> Option<Condition> {
        Some(Condition::all().add(scheme_review::Column::TownshipId.eq(t)))
    }
    fn enterprise_condition(e: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(scheme_review::Column::ProjectId.in_subquery(projects_of_enterprise(e))),
        )
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        expert_grant(grant).map(|a| {
            Condition::all().add(
                scheme_review::Column::Id
                    .in_subquery(subjects_of(a, AssignmentSubject::SchemeReview)),
            )
        })
    }
}
jianan_kernel::record!(scheme_review::Entity, "SchemeReview");

/// Expert checks are the commission's.
impl ScopedEntity for expert_check::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(expert_check::Entity, "ExpertCheck");

/// The chief-engineer register: an enterprise sees its own entry; townships none.
impl ScopedEntity for chief_engineer::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(e: Uuid) -> Option<Condition> {
        Some(Condition::all().add(chief_engineer::Column::EnterpriseId.eq(e)))
    }
}
jianan_kernel::record!(chief_engineer::Entity, "ChiefEngineer");

/// The experts module.
#[derive(Debug, Default)]
pub struct ExpertsModule;

const COMMISSION: &[Role] = &[
    Role::Admin,
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
];
const MANAGERS: &[Role] = &[Role::Admin, Role::DepartmentStaff];

impl Module for ExpertsModule {
    fn name(&self) -> &'static str {
        "experts"
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        let def = |name, description, roles| PermissionDef {
            name,
            description,
            roles,
        };
        vec![
            def(
                EXPERT_READ,
                "查看专家库（专家本人仅看本人）",
                &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::Expert,
                ],
            ),
            def(EXPERT_CONTACT_READ, "查看专家联系电话全文", MANAGERS),
            def(EXPERT_MANAGE, "专家入库、暂停、退出及证书登记", MANAGERS),
            def(
                REQUEST_READ,
                "查看专家服务申请（企业看本企业项目，专家看本人参与的）",
                &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::EnterpriseManager,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::Expert,
                ],
            ),
            def(
                REQUEST_CREATE,
                "申请专家服务（企业仅限本企业参建项目）",
                &[
                    Role::Admin,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::EnterpriseManager,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                ],
            ),
            def(DRAW_READ, "查看专家随机抽取及其公开验证信息", COMMISSION),
            def(
                DRAW_MANAGE,
                "专家随机抽取、指定专家、评价专家工作",
                MANAGERS,
            ),
            def(
                ASSIGNMENT_READ,
                "查看专家任务（专家本人仅看本人）",
                &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::Expert,
                ],
            ),
            def(
                ASSIGNMENT_REFUSE,
                "拒绝或回避专家任务（专家本人，或委里代为登记），按抽取顺序替补",
                &[Role::Admin, Role::DepartmentStaff, Role::Expert],
            ),
            def(
                VISIT_READ,
                "查看专家服务记录及发现问题",
                &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::EnterpriseManager,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::Expert,
                ],
            ),
            def(
                VISIT_RECORD,
                "录入专家服务记录（仅限该任务的专家或委工作人员）",
                &[
                    Role::Admin,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::Expert,
                ],
            ),
            def(
                REVIEW_READ,
                "查看危大工程清单和专项方案论证",
                &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::EnterpriseManager,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::Expert,
                ],
            ),
            def(
                WORK_REGISTER,
                "登记项目危大工程（企业仅限本企业参建项目）",
                &[
                    Role::Admin,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::EnterpriseManager,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                ],
            ),
            def(
                REVIEW_MANAGE,
                "组织超过一定规模危大工程专项方案专家论证、登记结论和签字论证报告",
                MANAGERS,
            ),
            def(CHECK_READ, "查看重点时段专家检查安排", COMMISSION),
            def(
                CHIEF_READ,
                "查看企业总工程师及安全技术团队（企业仅看本企业）",
                &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::EnterpriseManager,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                ],
            ),
            def(
                CHIEF_MANAGE,
                "登记企业总工程师及安全技术团队（企业负责人仅限本企业）",
                &[Role::Admin, Role::DepartmentStaff, Role::EnterpriseManager],
            ),
            def(STATISTICS_READ, "查看专家服务统计", COMMISSION),
        ]
    }

    fn role_scopes(&self) -> Vec<RoleScope> {
        vec![RoleScope {
            role: Role::Expert,
            grant: |p| p.account_id.map(|id| Grant::new(grants::EXPERT, id)),
        }]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::experts::TOPICS.to_vec()
    }

    fn event_handlers(&self) -> Vec<Arc<dyn EventHandler>> {
        vec![
            jianan_kernel::outbox::handler(service::followup::LinkFindingHazards),
            jianan_kernel::outbox::handler(service::followup::CloseFindings),
            jianan_kernel::outbox::handler(service::checks::KeyPeriodChecks),
        ]
    }

    fn attachment_owners(&self) -> Vec<Arc<dyn AttachmentOwner>> {
        vec![Arc::new(ScopedOwner::<scheme_review::Entity>::new(
            "SchemeReview",
            &[perms::REVIEW_READ],
            &[perms::REVIEW_MANAGE],
        ))]
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

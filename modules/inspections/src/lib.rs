//! Inspections (measures 1, 3 and 4 of the plan): hazards and their rectification, with the
//! kernel's scopes, audit, outbox and inbox.

pub mod demo;
pub mod entity;
pub mod graphql;
pub mod migrations;
pub mod rules;
pub mod service;
pub mod volume;

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use jianan_kernel::AppResult;
use jianan_kernel::attachments::AttachmentOwner;
use jianan_kernel::module::{Module, ScheduledJob};
use jianan_kernel::principal::{PermissionDef, Principal, Role};
use jianan_kernel::registry_scopes::projects_of_enterprise;
use jianan_kernel::scope::{ScopedEntity, scoped};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use entity::hazard;
pub use graphql::{InspectionsMutation, InspectionsQuery};

/// The module's query root: lists and lookups, dashboard statistics, and the caller's own reads
/// (`myTasks`, checklist templates and score previews).
#[derive(async_graphql::MergedObject, Default)]
pub struct InspectionsQueries(
    InspectionsQuery,
    graphql::StatisticsQuery,
    graphql::ViewerQuery,
    graphql::map::MapQuery,
);

/// The inspections query root (see `jianan_kernel::modules!`).
pub type Query = InspectionsQueries;
/// The inspections mutation root.
pub type Mutation = InspectionsMutations;

/// The inspections mutation roots, merged.
#[derive(async_graphql::MergedObject, Default)]
pub struct InspectionsMutations(InspectionsMutation, graphql::ledger::LedgerMutation);
/// Inspections has no subscriptions of its own (events reach clients through the kernel's).
pub type Subscription = jianan_kernel::gateway::NoSubscription;
/// The module's record types.
pub type Records = (
    graphql::types::Hazard,
    graphql::types::EnforcementAction,
    graphql::types::RandomDraw,
    graphql::types::Inspection,
    graphql::types::PublicityItem,
);

/// The inspections module.
pub fn module() -> Box<dyn Module> {
    Box::new(InspectionsModule::default())
}

/// The module's permissions.
pub mod perms {
    pub const HAZARD_READ: &str = "inspections.hazard.read";
    pub const HAZARD_REPORT: &str = "inspections.hazard.report";
    pub const HAZARD_ASSIGN: &str = "inspections.hazard.assign";
    pub const HAZARD_RECTIFY: &str = "inspections.hazard.rectify";
    pub const HAZARD_VERIFY: &str = "inspections.hazard.verify";
    pub const ENFORCEMENT_READ: &str = "inspections.enforcement.read";
    pub const ENFORCEMENT_ISSUE: &str = "inspections.enforcement.issue";
    pub const DRAW_MANAGE: &str = "inspections.draw.manage";
    pub const INSPECTION_READ: &str = "inspections.inspection.read";
    pub const INSPECTION_RECORD: &str = "inspections.inspection.record";
    pub const SELF_CHECK_RECORD: &str = "inspections.self_check.record";
}

const ENTERPRISE: &[Role] = &[
    Role::EnterpriseSafetyManager,
    Role::EnterpriseProjectLeader,
    Role::EnterpriseManager,
];

/// Township staff see their township's hazards; enterprise people see the hazards of the projects
/// their enterprise takes part in, except those of covert inspections not yet published.
impl ScopedEntity for hazard::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(hazard::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(hazard::Column::VisibleToEnterprise.eq(true))
                .add(hazard::Column::ProjectId.in_subquery(projects_of_enterprise(enterprise_id))),
        )
    }
}

jianan_kernel::record!(hazard::Entity, "Hazard");

/// Township staff see actions on their township's projects; enterprise people see the actions
/// against their own enterprise.
impl ScopedEntity for entity::enforcement_action::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(entity::enforcement_action::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(entity::enforcement_action::Column::TargetEnterpriseId.eq(enterprise_id)),
        )
    }
}

jianan_kernel::record!(entity::enforcement_action::Entity, "EnforcementAction");

/// Township staff see their township's inspections; enterprise people see the inspections of
/// their projects, except covert ones not yet published.
impl ScopedEntity for entity::inspection::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(entity::inspection::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all()
                .add(
                    entity::inspection::Column::ProjectId
                        .in_subquery(projects_of_enterprise(enterprise_id)),
                )
                .add(
                    Condition::any()
                        .add(entity::inspection::Column::Covert.eq(false))
                        .add(entity::inspection::Column::PublishedAt.is_not_null()),
                ),
        )
    }
}

jianan_kernel::record!(entity::inspection::Entity, "Inspection");

/// The module's section `[modules.inspections]` of jianan.toml.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InspectionsSettings {
    /// How often overdue rectifications are looked for, in seconds (default 60).
    pub overdue_scan_seconds: u64,
    /// 补录宽限期（天）: whole days after an inspection's period closes during which it may still
    /// be recorded; such a record is kept and shown as late, never counted for the closed period
    /// (issue #7 item 2). 0 = no late records; at most 31; default 3.
    pub late_grace_days: u32,
    /// 复查期限（工作日）: a scored inspection rated 不合格 calls for a scored re-inspection of the
    /// project within this many working days (JGJ 59-2011 §5.0.3 requires rectification "限期"
    /// without a number: the commission's choice; default 10, 1 to 60).
    pub reinspection_working_days: u32,
}

impl Default for InspectionsSettings {
    fn default() -> Self {
        InspectionsSettings {
            overdue_scan_seconds: 60,
            late_grace_days: 3,
            reinspection_working_days: 10,
        }
    }
}

/// Township staff see their township's site publicity; enterprise people that of their projects.
impl ScopedEntity for entity::publicity_item::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(entity::publicity_item::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all().add(
                entity::publicity_item::Column::ProjectId
                    .in_subquery(projects_of_enterprise(enterprise_id)),
            ),
        )
    }
}

jianan_kernel::record!(entity::publicity_item::Entity, "PublicityItem");

/// The inspections module.
#[derive(Debug, Default)]
pub struct InspectionsModule {
    pub settings: InspectionsSettings,
}

impl InspectionsModule {
    /// The settings this kernel's inspections module was configured with (defaults when the
    /// module is not in the kernel's list).
    pub fn settings_of(k: &jianan_kernel::Kernel) -> InspectionsSettings {
        Self::settings_in(&k.modules)
    }

    /// The settings of the inspections module among `modules` (defaults when absent).
    pub fn settings_in(modules: &[Arc<dyn Module>]) -> InspectionsSettings {
        modules
            .iter()
            .find_map(|m| {
                let any: &dyn std::any::Any = m.as_ref();
                any.downcast_ref::<InspectionsModule>()
            })
            .map(|m| m.settings.clone())
            .unwrap_or_default()
    }
}

impl Module for InspectionsModule {
    fn name(&self) -> &'static str {
        "inspections"
    }

    fn configure(&mut self, section: &jianan_kernel::settings::Section<'_>) -> Result<(), String> {
        let s: InspectionsSettings = section.parse()?;
        if !(1..=86_400).contains(&s.overdue_scan_seconds) {
            return Err("[modules.inspections] overdue_scan_seconds 应在1到86400秒之间".into());
        }
        if s.late_grace_days > 31 {
            return Err("[modules.inspections] late_grace_days 应在0到31天之间".into());
        }
        if !(1..=60).contains(&s.reinspection_working_days) {
            return Err(
                "[modules.inspections] reinspection_working_days 应在1到60个工作日之间".into(),
            );
        }
        self.settings = s;
        Ok(())
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        vec![
            PermissionDef {
                name: HAZARD_READ,
                description: "查看隐患及整改情况",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::EnterpriseManager,
                    Role::Expert,
                ],
            },
            PermissionDef {
                name: HAZARD_REPORT,
                description: "上报隐患",
                roles: &[
                    Role::Admin,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::Expert,
                    Role::EnterpriseSafetyManager,
                    Role::EnterpriseProjectLeader,
                    Role::EnterpriseManager,
                ],
            },
            PermissionDef {
                name: HAZARD_ASSIGN,
                description: "交办隐患、确定整改期限",
                roles: &[
                    Role::Admin,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                ],
            },
            PermissionDef {
                name: HAZARD_RECTIFY,
                description: "落实五落实、整改并提交",
                roles: ENTERPRISE,
            },
            PermissionDef {
                name: HAZARD_VERIFY,
                description: "复查整改（重大事故隐患仅委监督检查人员可销号）",
                roles: &[
                    Role::Admin,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                ],
            },
            PermissionDef {
                name: ENFORCEMENT_READ,
                description: "查看执法措施（企业只看针对本企业的）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::EnterpriseManager,
                    Role::EnterpriseProjectLeader,
                    Role::EnterpriseSafetyManager,
                ],
            },
            PermissionDef {
                name: ENFORCEMENT_ISSUE,
                description: "下达约谈、通报、曝光、扣分、停工、罚款",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::Inspector],
            },
            PermissionDef {
                name: DRAW_MANAGE,
                description: "组织“双随机”抽查：承诺、抽取、公开",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::Inspector],
            },
            PermissionDef {
                name: INSPECTION_READ,
                description: "查看检查记录（企业看不到未公开的暗访）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::Expert,
                    Role::EnterpriseManager,
                    Role::EnterpriseProjectLeader,
                    Role::EnterpriseSafetyManager,
                ],
            },
            PermissionDef {
                name: INSPECTION_RECORD,
                description: "记录督查、双随机、暗访、专家和重点时段检查",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::Expert,
                ],
            },
            PermissionDef {
                name: SELF_CHECK_RECORD,
                description: "记录日周月自查",
                roles: ENTERPRISE,
            },
        ]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::inspections::TOPICS.to_vec()
    }

    fn seed_demo<'a>(&'a self, kernel: &'a jianan_kernel::Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(demo::seed(kernel))
    }

    fn seed_volume<'a>(
        &'a self,
        kernel: &'a jianan_kernel::Kernel,
        volume: &'a jianan_kernel::volume::Volume,
    ) -> BoxFuture<'a, AppResult<jianan_kernel::volume::Loaded>> {
        Box::pin(volume::seed(kernel, volume))
    }

    fn event_handlers(&self) -> Vec<Arc<dyn jianan_kernel::outbox::EventHandler>> {
        // A verified public report opens the hazards its verifier found.
        // … and an expert's visit finding opens one hazard (once per finding).
        vec![
            jianan_kernel::outbox::handler(service::origins::HazardsFromReport),
            jianan_kernel::outbox::handler(service::origins::HazardFromVisitFinding),
        ]
    }

    fn jobs(&self) -> Vec<Arc<dyn ScheduledJob>> {
        vec![Arc::new(service::hazard::OverdueJob {
            every: Duration::from_secs(self.settings.overdue_scan_seconds),
        })]
    }

    fn obligations(&self) -> Vec<Arc<dyn jianan_kernel::obligations::Obligation>> {
        use service::obligations::*;
        vec![
            Arc::new(ActiveProjectDuty(&DAILY)),
            Arc::new(ActiveProjectDuty(&WEEKLY)),
            Arc::new(ActiveProjectDuty(&MONTHLY)),
            Arc::new(LeaderSupervision),
            Arc::new(DepartmentSupervision),
            Arc::new(ActiveProjectDuty(&service::publicity::SITE_PUBLICITY)),
        ]
    }

    fn exports(&self) -> Vec<Arc<dyn jianan_kernel::exports::ExportSource>> {
        vec![Arc::new(service::ledger::HazardLedger)]
    }

    fn attachment_owners(&self) -> Vec<Arc<dyn AttachmentOwner>> {
        vec![
            // Hazard photos (before and after rectification) and inspection photos; the same
            // policies answer the records' `viewerCan { attach }`.
            Arc::new(service::policy::HAZARD_FILES),
            Arc::new(service::policy::INSPECTION_FILES),
            Arc::new(PublicityPhotos),
            // Enforcement documents: notices, decisions, proof of service and payment.
            Arc::new(service::policy::ENFORCEMENT_FILES),
        ]
    }
}

/// Publicity photos: readable and attachable by whoever sees the site's project.
struct PublicityPhotos;

impl AttachmentOwner for PublicityPhotos {
    fn owner_type(&self) -> &'static str {
        "PublicityItem"
    }
    fn can_read<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        p: &'a Principal,
        id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(async move { visible_publicity(db, p, id).await })
    }
    fn can_attach<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        p: &'a Principal,
        id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(async move {
            let may = p.can(perms::SELF_CHECK_RECORD) || p.can(perms::INSPECTION_RECORD);
            Ok(may && visible_publicity(db, p, id).await?)
        })
    }
}

async fn visible_publicity(db: &DatabaseConnection, p: &Principal, id: Uuid) -> AppResult<bool> {
    use sea_orm::EntityTrait;
    let Some(item) = entity::publicity_item::Entity::find_by_id(id)
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    Ok(scoped::<jianan_entity::project::Entity>(p)
        .filter(jianan_entity::project::Column::Id.eq(item.project_id))
        .count(db)
        .await?
        == 1)
}

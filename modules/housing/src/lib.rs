//! Housing (measure 8 of the plan): urban and rural house safety screening (城乡房屋安全隐患排查).
//! Township (乡镇/街道) staff register houses and screen them in campaigns the commission's
//! housing department starts; houses judged RISKY or appraised C/D (JGJ 125-2016) go on the
//! township's hazard ledger (危房台账) until their measures are done. See docs/housing.md.

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
use jianan_kernel::principal::{Grant, PermissionDef, Role, RoleScope};
use jianan_kernel::scope::ScopedEntity;
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use entity::{
    campaign, campaign_township, house, ledger, monitor_assignment, monitoring_log, screening,
};
pub use graphql::{HousingMutation, HousingQuery};

/// The housing query roots, merged.
#[derive(async_graphql::MergedObject, Default)]
pub struct HousingQueries(
    HousingQuery,
    graphql::statistics::HousingStatisticsQuery,
    graphql::statistics::HouseMapQuery,
    graphql::report::HousingReportQuery,
);

/// The housing query root (see `jianan_kernel::modules!`).
pub type Query = HousingQueries;
/// The housing mutation root.
pub type Mutation = HousingMutations;

/// The housing mutation roots, merged.
#[derive(async_graphql::MergedObject, Default)]
pub struct HousingMutations(
    HousingMutation,
    graphql::export::HousingExportMutation,
    graphql::report::HousingReportMutation,
);
/// No subscriptions of its own.
pub type Subscription = jianan_kernel::gateway::NoSubscription;
/// The module's record types.
pub type Records = (
    graphql::types::House,
    graphql::types::ScreeningCampaign,
    graphql::types::HouseScreening,
    graphql::types::HouseLedgerEntry,
    graphql::types::HouseMonitorAssignment,
    graphql::types::HouseMonitoringLog,
    graphql::report::HousingReport,
);

/// The housing module.
pub fn module() -> Box<dyn Module> {
    Box::new(HousingModule)
}

/// The module's permissions.
pub mod perms {
    /// Read houses (the owner masked).
    pub const HOUSE_READ: &str = "housing.house.read";
    /// See a house owner's name and phone in full.
    pub const HOUSE_OWNER_READ: &str = "housing.house.owner_read";
    /// Register houses and correct them (and add their photos).
    pub const HOUSE_REGISTER: &str = "housing.house.register";
    /// Read screening campaigns and their progress.
    pub const CAMPAIGN_READ: &str = "housing.campaign.read";
    /// Start screening campaigns.
    pub const CAMPAIGN_MANAGE: &str = "housing.campaign.manage";
    /// Record the screening of a house.
    pub const SCREENING_RECORD: &str = "housing.screening.record";
    /// Read the hazard ledger.
    pub const LEDGER_READ: &str = "housing.ledger.read";
    /// Start and close ledger entries.
    pub const LEDGER_MANAGE: &str = "housing.ledger.manage";
    /// Assign a monitor to a dangerous house.
    pub const MONITOR_ASSIGN: &str = "housing.monitor.assign";
    /// Read monitor assignments and monitoring logs.
    pub const MONITORING_READ: &str = "housing.monitoring.read";
    /// Log a monitoring visit (the assigned monitor only).
    pub const MONITORING_RECORD: &str = "housing.monitoring.record";
    /// Read house safety statistics.
    pub const STATISTICS_READ: &str = "housing.statistics.read";
    /// Read township reports (the commission all, a township its own).
    pub const REPORT_READ: &str = "housing.report.read";
    /// Send one's township's monthly report (and again after it was returned).
    pub const REPORT_SUBMIT: &str = "housing.report.submit";
    /// Return, accept and close township reports.
    pub const REPORT_HANDLE: &str = "housing.report.handle";
}

/// Grants the module defines.
pub mod grants {
    /// Every HOUSE_MONITOR: their own account, reaching the houses they are assigned to (in
    /// force), those assignments and their logs.
    pub const MONITOR: &str = "housing.monitor";
}

/// The houses a monitor's assignments in force reach.
fn assigned_houses(monitor: Uuid) -> sea_orm::sea_query::SelectStatement {
    SqlQuery::select()
        .column(monitor_assignment::Column::HouseId)
        .from(monitor_assignment::Entity)
        .and_where(monitor_assignment::Column::MonitorAccountId.eq(monitor))
        .and_where(monitor_assignment::Column::EndedAt.is_null())
        .to_owned()
}

fn monitor_grant(grant: &Grant) -> Option<Uuid> {
    (grant.kind == grants::MONITOR).then_some(grant.id)
}

/// Township staff see the houses of their township; enterprises see none.
impl ScopedEntity for house::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(house::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
    /// A monitor sees the houses they are assigned to.
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        monitor_grant(grant)
            .map(|m| Condition::all().add(house::Column::Id.in_subquery(assigned_houses(m))))
    }
}
jianan_kernel::record!(house::Entity, "House");

/// Township staff see their township's assignments; a monitor sees their own.
impl ScopedEntity for monitor_assignment::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(monitor_assignment::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        monitor_grant(grant)
            .map(|m| Condition::all().add(monitor_assignment::Column::MonitorAccountId.eq(m)))
    }
}
jianan_kernel::record!(monitor_assignment::Entity, "HouseMonitorAssignment");

/// Township staff see their township's monitoring logs; a monitor sees their own.
impl ScopedEntity for monitoring_log::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(monitoring_log::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        monitor_grant(grant)
            .map(|m| Condition::all().add(monitoring_log::Column::MonitorAccountId.eq(m)))
    }
}
jianan_kernel::record!(monitoring_log::Entity, "HouseMonitoringLog");

/// Township staff see the campaigns that cover their township.
impl ScopedEntity for campaign::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(
            Condition::all().add(
                campaign::Column::Id.in_subquery(
                    SqlQuery::select()
                        .column(campaign_township::Column::CampaignId)
                        .from(campaign_township::Entity)
                        .and_where(campaign_township::Column::TownshipId.eq(township_id))
                        .to_owned(),
                ),
            ),
        )
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(campaign::Entity, "ScreeningCampaign");

/// Township staff see the screenings of their township.
impl ScopedEntity for screening::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(screening::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(screening::Entity, "HouseScreening");

/// Township staff see their township's ledger.
impl ScopedEntity for ledger::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(ledger::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(ledger::Entity, "HouseLedgerEntry");

/// Township staff see their township's reports; the commission sees all.
impl ScopedEntity for entity::report::Entity {
    fn township_condition(township_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(entity::report::Column::TownshipId.eq(township_id)))
    }
    fn enterprise_condition(_enterprise_id: Uuid) -> Option<Condition> {
        None
    }
}
jianan_kernel::record!(entity::report::Entity, "HousingReport");

/// The housing module.
#[derive(Debug, Default)]
pub struct HousingModule;

impl Module for HousingModule {
    fn name(&self) -> &'static str {
        "housing"
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        vec![
            PermissionDef {
                name: HOUSE_READ,
                description: "查看房屋安全排查登记（户主信息脱敏）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::HouseMonitor,
                ],
            },
            PermissionDef {
                name: HOUSE_OWNER_READ,
                description: "查看房屋户主姓名和联系电话全文",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::TownshipStaff],
            },
            PermissionDef {
                name: HOUSE_REGISTER,
                description: "登记、更正房屋信息并上传房屋照片",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::TownshipStaff],
            },
            PermissionDef {
                name: CAMPAIGN_READ,
                description: "查看房屋安全排查行动及进度",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                ],
            },
            PermissionDef {
                name: CAMPAIGN_MANAGE,
                description: "启动房屋安全排查行动",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: SCREENING_RECORD,
                description: "录入房屋安全排查结果",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::TownshipStaff],
            },
            PermissionDef {
                name: LEDGER_READ,
                description: "查看危房整治台账",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                ],
            },
            PermissionDef {
                name: LEDGER_MANAGE,
                description: "危房整治台账：开始整治、销号",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::TownshipStaff],
            },
            PermissionDef {
                name: MONITOR_ASSIGN,
                description: "为危房指派房屋安全监测员",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::TownshipStaff],
            },
            PermissionDef {
                name: MONITORING_READ,
                description: "查看危房监测任务和监测记录",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                    Role::HouseMonitor,
                ],
            },
            PermissionDef {
                name: REPORT_READ,
                description: "查看乡镇上报（委里看全部，乡镇看本乡镇）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                ],
            },
            PermissionDef {
                name: REPORT_SUBMIT,
                description: "上报本乡镇房屋安全工作（每月一次，退回后重报）",
                roles: &[Role::TownshipStaff],
            },
            PermissionDef {
                name: REPORT_HANDLE,
                description: "退回、受理、办结乡镇上报",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: STATISTICS_READ,
                description: "查看房屋安全统计",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::TownshipStaff,
                ],
            },
            PermissionDef {
                name: MONITORING_RECORD,
                description: "录入危房监测记录（仅限在任监测员）",
                roles: &[Role::HouseMonitor],
            },
        ]
    }

    fn role_scopes(&self) -> Vec<RoleScope> {
        vec![RoleScope {
            role: Role::HouseMonitor,
            grant: |p| p.account_id.map(|id| Grant::new(grants::MONITOR, id)),
        }]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::housing::TOPICS.to_vec()
    }

    fn obligations(&self) -> Vec<Arc<dyn jianan_kernel::obligations::Obligation>> {
        vec![Arc::new(service::monitor::MonitoringDuty)]
    }

    fn exports(&self) -> Vec<Arc<dyn jianan_kernel::exports::ExportSource>> {
        vec![Arc::new(service::ledger_export::HouseLedger)]
    }

    fn attachment_owners(&self) -> Vec<Arc<dyn AttachmentOwner>> {
        vec![
            Arc::new(ScopedOwner::<house::Entity>::new(
                "House",
                &[perms::HOUSE_READ],
                &[perms::HOUSE_REGISTER],
            )),
            Arc::new(ScopedOwner::<monitoring_log::Entity>::new(
                "HouseMonitoringLog",
                &[perms::MONITORING_READ],
                &[perms::MONITORING_RECORD],
            )),
        ]
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

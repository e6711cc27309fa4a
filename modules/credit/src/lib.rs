//! Credit (measure 6 of the plan, and the credit side of measure 4): safety-credit evaluation of
//! enterprises and key persons from `inspections.enforcement_issued` events, a versioned rules
//! table kept as data, good and bad records with their publication periods, public disclosure,
//! the restrictions other agencies ask about (`creditRestrictions`), and the change feed the
//! Market Supervision Bureau reads (`creditChanges`, also as webhooks) and the bureau's own records
//! it imports (`importBureauCreditRecords`). It reacts to events and never imports
//! another domain module. See docs/credit.md.

pub mod demo;
pub mod entity;
pub mod graphql;
pub mod migrations;
pub mod rules;
pub mod service;
pub mod volume;

use std::sync::Arc;

use futures_util::future::BoxFuture;
use jianan_kernel::AppResult;
use jianan_kernel::module::Module;
use jianan_kernel::outbox::{self, EventHandler};
use jianan_kernel::principal::{Grant, PermissionDef, Role, RoleScope};
use jianan_kernel::scope::ScopedEntity;
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use entity::{
    credit_blacklist, credit_bureau_record, credit_change, credit_entry, credit_record,
    credit_repair, credit_rule, credit_rule_version, credit_score,
};
pub use graphql::{CreditMutation, CreditQuery};

/// The credit query root (see `jianan_kernel::modules!`).
pub type Query = CreditQuery;
/// The credit mutation root: the commission's mutations and the bureau's import.
#[derive(async_graphql::MergedObject, Default)]
pub struct CreditMutations(CreditMutation, graphql::import::CreditImportMutation);
/// The credit mutation root.
pub type Mutation = CreditMutations;
/// No subscriptions of its own (feed entries are also `credit.changed` events).
pub type Subscription = jianan_kernel::gateway::NoSubscription;
/// The module's record types.
pub type Records = (
    graphql::types::CreditRecord,
    graphql::types::CreditRepair,
    graphql::types::CreditBlacklistEntry,
);

/// The credit module.
pub fn module() -> Box<dyn Module> {
    Box::new(CreditModule)
}

/// The module's permissions.
pub mod perms {
    pub const PROFILE_READ: &str = "credit.profile.read";
    pub const RECORD_READ: &str = "credit.record.read";
    pub const RULES_READ: &str = "credit.rules.read";
    pub const RULES_MANAGE: &str = "credit.rules.manage";
    pub const RESTRICTIONS_READ: &str = "credit.restrictions.read";
    pub const EXCHANGE_READ: &str = "credit.exchange.read";
    pub const RECORD_MANAGE: &str = "credit.record.manage";
    pub const REPAIR_READ: &str = "credit.repair.read";
    pub const REPAIR_APPLY: &str = "credit.repair.apply";
    pub const REPAIR_REVIEW: &str = "credit.repair.review";
    pub const REPAIR_DECIDE: &str = "credit.repair.decide";
    pub const BLACKLIST_MANAGE: &str = "credit.blacklist.manage";
    pub const STATISTICS_READ: &str = "credit.statistics.read";
    pub const EXCHANGE_IMPORT: &str = crate::service::import::IMPORT;
}

/// Module-defined standings.
pub mod grants {
    /// The Market Supervision Bureau's service account: its exchange with the commission (the
    /// change feed, and the records and levels behind `creditRestrictions`).
    pub const EXCHANGE: &str = "credit.exchange";
}

const STAFF_AND_ENTERPRISES: &[Role] = &[
    Role::Admin,
    Role::Leader,
    Role::DepartmentStaff,
    Role::Inspector,
    Role::EnterpriseSafetyManager,
    Role::EnterpriseProjectLeader,
    Role::EnterpriseManager,
];

fn exchange(grant: &Grant) -> Option<Condition> {
    (grant.kind == grants::EXCHANGE).then(Condition::all)
}

/// Commission staff see every score; an enterprise its own; township staff none (credit is
/// the commission's); the bureau's exchange reaches levels (for restrictions).
impl ScopedEntity for credit_score::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(credit_score::Column::EnterpriseId.eq(enterprise_id)))
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        exchange(grant)
    }
}

/// The history behind a score: staff see all, an enterprise its own; the exchange none.
impl ScopedEntity for credit_entry::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(credit_entry::Column::EnterpriseId.eq(enterprise_id)))
    }
}

/// Records: staff see all, an enterprise its own; the exchange reaches them (restrictions cite
/// them).
impl ScopedEntity for credit_record::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(credit_record::Column::EnterpriseId.eq(enterprise_id)))
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        exchange(grant)
    }
}

jianan_kernel::record!(credit_record::Entity, "CreditRecord");

/// Repair applications: staff see all, an enterprise its own.
impl ScopedEntity for credit_repair::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(credit_repair::Column::EnterpriseId.eq(enterprise_id)))
    }
}

jianan_kernel::record!(credit_repair::Entity, "CreditRepair");

/// Blacklist listings: staff see all, an enterprise its own; the exchange reaches them
/// (restrictions rest on them).
impl ScopedEntity for credit_blacklist::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(credit_blacklist::Column::EnterpriseId.eq(enterprise_id)))
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        exchange(grant)
    }
}

jianan_kernel::record!(credit_blacklist::Entity, "CreditBlacklistEntry");

/// The bureau's own records: staff see all, an enterprise its own, the exchange all of them
/// (they are the bureau's).
impl ScopedEntity for credit_bureau_record::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition> {
        Some(Condition::all().add(credit_bureau_record::Column::EnterpriseId.eq(enterprise_id)))
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        exchange(grant)
    }
}

/// The change feed: staff and the exchange; enterprises read their profile instead.
impl ScopedEntity for credit_change::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(grant: &Grant) -> Option<Condition> {
        exchange(grant)
    }
}

/// The rules table is the same for everyone who may read it.
impl ScopedEntity for credit_rule_version::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
}

/// The rules table is the same for everyone who may read it.
impl ScopedEntity for credit_rule::Entity {
    fn township_condition(_: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        Some(Condition::all())
    }
}

/// The credit module.
#[derive(Debug, Default)]
pub struct CreditModule;

impl Module for CreditModule {
    fn name(&self) -> &'static str {
        "credit"
    }

    fn permissions(&self) -> Vec<PermissionDef> {
        use perms::*;
        vec![
            PermissionDef {
                name: PROFILE_READ,
                description: "查看信用评价及扣分明细（企业只看本企业）",
                roles: STAFF_AND_ENTERPRISES,
            },
            PermissionDef {
                name: RECORD_READ,
                description: "查看信用记录（企业只看本企业）",
                roles: STAFF_AND_ENTERPRISES,
            },
            PermissionDef {
                name: RULES_READ,
                description: "查看信用评价规则及其版本",
                roles: STAFF_AND_ENTERPRISES,
            },
            PermissionDef {
                name: RULES_MANAGE,
                description: "发布信用评价规则新版本（自生效日起适用）",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: RESTRICTIONS_READ,
                description: "查询联合惩戒及“三个挂钩”限制措施（委内人员及区市场监管局）",
                // Not enterprises: their scope would answer "no restriction" about others.
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                    Role::BureauService,
                ],
            },
            PermissionDef {
                name: EXCHANGE_READ,
                description: "读取信用变更数据交换（区市场监管局）",
                roles: &[Role::Admin, Role::BureauService],
            },
            PermissionDef {
                name: RECORD_MANAGE,
                description: "记录优良信用（评先评优、表彰）",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: REPAIR_READ,
                description: "查看信用修复申请（企业只看本企业）",
                roles: STAFF_AND_ENTERPRISES,
            },
            PermissionDef {
                name: REPAIR_APPLY,
                description: "为本企业的不良信用记录申请信用修复",
                roles: &[Role::EnterpriseManager],
            },
            PermissionDef {
                name: REPAIR_REVIEW,
                description: "审核信用修复申请",
                roles: &[Role::Admin, Role::DepartmentStaff, Role::Inspector],
            },
            PermissionDef {
                name: REPAIR_DECIDE,
                description: "决定信用修复（准予后记录提前结束公开；不得由审核人决定）",
                roles: &[Role::Admin, Role::Leader],
            },
            PermissionDef {
                name: BLACKLIST_MANAGE,
                description: "列入、移出黑名单",
                roles: &[Role::Admin, Role::DepartmentStaff],
            },
            PermissionDef {
                name: EXCHANGE_IMPORT,
                description: "导入区市场监管局的行政处罚、经营异常名录、严重违法失信名单（仅市场监管局服务账号）",
                roles: &[Role::BureauService],
            },
            PermissionDef {
                name: STATISTICS_READ,
                description: "查看信用统计（等级分布、记录、黑名单）",
                roles: &[
                    Role::Admin,
                    Role::Leader,
                    Role::DepartmentStaff,
                    Role::Inspector,
                ],
            },
        ]
    }

    fn role_scopes(&self) -> Vec<RoleScope> {
        vec![RoleScope {
            role: Role::BureauService,
            grant: |p| p.account_id.map(|id| Grant::new(grants::EXCHANGE, id)),
        }]
    }

    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::credit::TOPICS.to_vec()
    }

    fn webhook_topics(&self) -> Vec<jianan_kernel::webhooks::WebhookTopic> {
        vec![jianan_kernel::webhooks::WebhookTopic {
            topic:
                <jianan_contracts::credit::CreditChanged as jianan_contracts::DomainEvent>::TOPIC,
            permission: perms::EXCHANGE_READ,
            description: "信用变更：每条变更数据交换记录一条推送，内容与 creditChanges 相同",
        }]
    }

    fn event_handlers(&self) -> Vec<Arc<dyn EventHandler>> {
        vec![outbox::handler(service::evaluation::CreditFromEnforcement)]
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
}

//! Jian'an kernel: what every module builds on (docs/architecture.md). Not a domain module.
//!
//! - [`principal`]: roles, the request's [`principal::Principal`], permission table and guards
//! - [`scope`]: row-level scopes, enforced in one place
//! - [`error`]: the fixed error codes with Chinese messages
//! - [`relay`]: global IDs and keyset-paginated connections
//! - [`loader`]: request-scoped DataLoaders with deterministic batching (priming)
//! - [`audit`]: the hash-chained audit writer; [`outbox`]: transactional events and dispatcher
//! - [`idempotency`]: retried creates return the first result
//! - [`attachments`], [`inbox`]: files and notifications every module uses
//! - [`webhooks`]: signed deliveries of declared topics to partner systems
//! - [`calendar`]: Asia/Shanghai periods and the working-day calendar
//! - [`module`]: the trait each module implements

pub mod acting;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod calendar_api;
pub mod cpu;
pub mod credentials;
pub mod db;
pub mod error;
pub mod exports;
pub mod gateway;
pub mod geo;
pub mod graphql;
pub mod history;
pub mod idempotency;
pub mod image_meta;
pub mod inbox;
pub mod list;
pub mod loader;
pub mod migrations;
pub mod module;
pub mod node;
pub mod obligations;
pub mod obligations_api;
pub mod outbox;
pub mod outbox_api;
pub mod pii;
pub mod principal;
pub mod ratelimit;
pub mod registry_scopes;
pub mod relay;
pub mod scalars;
pub mod scope;
pub mod settings;
pub mod sql_capture;
pub mod tabular;
pub mod tokens;
pub mod validate;
pub mod versioning;
pub mod volume;
pub mod webhooks;
pub mod webhooks_api;

use std::sync::Arc;

pub use error::{AppError, AppResult, ErrorCode};

/// What the kernel's macros refer to, so a module using them needs no extra dependencies.
#[doc(hidden)]
pub mod __private {
    pub use async_graphql;
    pub use futures_util::future::BoxFuture;
    pub use sea_orm::EntityTrait;
    pub use uuid::Uuid;
}

/// The kernel's own record types (attachments and notifications).
pub type Records = (graphql::Attachment, graphql::Notification);

/// The kernel's part of the root query: `node`/`nodes`, attachments and inbox, calendar,
/// obligations.
#[derive(async_graphql::MergedObject, Default)]
pub struct KernelQueries(
    node::NodeQuery,
    graphql::KernelQuery,
    calendar_api::CalendarQuery,
    obligations_api::ObligationQuery,
    outbox_api::OutboxQuery,
    webhooks_api::WebhookQuery,
);

/// The kernel's part of the root mutation.
#[derive(async_graphql::MergedObject, Default)]
pub struct KernelMutations(
    graphql::KernelMutation,
    calendar_api::CalendarMutation,
    outbox_api::OutboxMutation,
    webhooks_api::WebhookMutation,
);

/// The kernel's query root, as the gateway's module list expects it.
pub type Query = KernelQueries;
/// The kernel's mutation root.
pub type Mutation = KernelMutations;

/// The kernel's part of the root subscription.
pub type Subscription = graphql::KernelSubscription;

/// The kernel as a module (its permissions, published events and obligations).
pub fn module() -> Box<dyn module::Module> {
    Box::new(KernelModule)
}

/// The platform's shared services, one per process, in the schema's data.
pub struct Kernel {
    pub db: db::Db,
    pub tokens: tokens::TokenKeys,
    pub bus: outbox::EventBus,
    pub attachments: attachments::AttachmentStore,
    /// The working-day calendar; replaced when the commission loads a year (see [`calendar_api`]).
    pub calendar: std::sync::RwLock<calendar::WorkCalendar>,
    /// Development mode: demo conveniences on, GraphiQL and introspection available.
    pub development: bool,
    /// Every module's recurring obligations.
    pub obligations: Vec<Arc<dyn obligations::Obligation>>,
    /// The modules of this build, configured, the kernel first.
    pub modules: Vec<Arc<dyn module::Module>>,
    /// Webhook delivery settings.
    pub webhooks: webhooks::WebhookSettings,
    /// Every module's webhook topics (what partners may subscribe to).
    pub webhook_topics: Vec<webhooks::WebhookTopic>,
}

impl Kernel {
    /// The current working-day calendar.
    pub fn calendar(&self) -> calendar::WorkCalendar {
        match self.calendar.read() {
            Ok(c) => c.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Swaps in a freshly loaded calendar.
    pub fn replace_calendar(&self, fresh: calendar::WorkCalendar) {
        match self.calendar.write() {
            Ok(mut c) => *c = fresh,
            Err(p) => *p.into_inner() = fresh,
        }
    }
}

/// The kernel's own permissions, as a module so the gateway treats it like the others.
pub struct KernelModule;

impl module::Module for KernelModule {
    fn name(&self) -> &'static str {
        "kernel"
    }
    fn permissions(&self) -> Vec<principal::PermissionDef> {
        vec![
            principal::PermissionDef {
                name: calendar_api::CALENDAR_MANAGE,
                description: "维护节假日和调休日历",
                roles: &[principal::Role::Admin],
            },
            principal::PermissionDef {
                name: outbox_api::OUTBOX_MANAGE,
                description: "查看和重放投递失败的死信事件",
                roles: &[principal::Role::Admin],
            },
            principal::PermissionDef {
                name: webhooks::WEBHOOKS_MANAGE,
                description: "管理本账号的推送订阅（管理员可管理全部），查看投递日志，重放推送",
                roles: &[principal::Role::Admin, principal::Role::BureauService],
            },
        ]
    }
    fn published_events(&self) -> Vec<&'static str> {
        jianan_contracts::kernel::TOPICS.to_vec()
    }
}

/// The kernel from a resolver's context.
pub fn kernel<'a>(ctx: &'a async_graphql::Context<'_>) -> AppResult<&'a Arc<Kernel>> {
    ctx.data::<Arc<Kernel>>()
        .map_err(|_| AppError::internal("kernel missing from schema data"))
}

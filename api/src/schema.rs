//! Schema assembly: each module's roots merged into one typed schema (DESIGN §1), plus the Relay
//! `Node` interface over every record type.
use async_graphql::{Context, ID, Interface, MergedObject, MergedSubscription, Object, Schema};
use jianan_entity::{account, enterprise, notification, org_unit, project};
use jianan_kernel::calendar_api::{CalendarMutation, CalendarQuery};
use jianan_kernel::graphql::{
    Attachment, KernelMutation, KernelQuery, KernelSubscription, Notification, readable_attachment,
};
use jianan_kernel::loader::loaders;
use jianan_kernel::obligations_api::ObligationQuery;
use jianan_kernel::principal::principal;
use jianan_kernel::relay::decode_any;
use jianan_kernel::{AppError, kernel};
use jianan_registry::graphql::types::{Account, Enterprise, OrgUnit, Project};
use jianan_registry::{RegistryMutation, RegistryQuery, perms};
use sea_orm::EntityTrait;

/// 节点 — any record, fetched by its global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "全局编号 (global ID)"))]
pub enum Node {
    Project(Project),
    Enterprise(Enterprise),
    OrgUnit(OrgUnit),
    Account(Account),
    Attachment(Attachment),
    Notification(Notification),
    #[cfg(feature = "inspections")]
    Hazard(jianan_inspections::graphql::types::Hazard),
    #[cfg(feature = "inspections")]
    EnforcementAction(jianan_inspections::graphql::types::EnforcementAction),
    #[cfg(feature = "inspections")]
    RandomDraw(jianan_inspections::graphql::types::RandomDraw),
    #[cfg(feature = "inspections")]
    Inspection(jianan_inspections::graphql::types::Inspection),
}

/// Most IDs `nodes(ids:)` takes at once.
const MAX_NODES: usize = 100;

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

async fn load_node(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Node>> {
    let Some((ty, uuid)) = decode_any(id) else {
        return Err(AppError::bad_input("id", "无效的全局编号").into());
    };
    let p = principal(ctx);
    if !p.is_authenticated() {
        return Err(AppError::unauthenticated().into());
    }
    let l = loaders(ctx)?;
    // Each type's read permission; rows come through the scoped loaders.
    let node = match ty.as_str() {
        "Project" if p.can(perms::PROJECT_READ) => l
            .by_id::<project::Entity>()
            .load_one(uuid)
            .await?
            .map(|m| Node::Project(Project(m))),
        "Enterprise" if p.can(perms::ENTERPRISE_READ) => l
            .by_id::<enterprise::Entity>()
            .load_one(uuid)
            .await?
            .map(|m| Node::Enterprise(Enterprise(m))),
        "OrgUnit" if p.can(perms::ORG_UNIT_READ) => l
            .by_id::<org_unit::Entity>()
            .load_one(uuid)
            .await?
            .map(|m| Node::OrgUnit(OrgUnit(m))),
        "Account" if p.can(perms::ACCOUNT_READ) || p.account_id == Some(uuid) => {
            let k = kernel(ctx)?;
            account::Entity::find_by_id(uuid)
                .one(&k.db.conn)
                .await
                .map_err(AppError::from)?
                .map(|m| Node::Account(Account(m)))
        }
        "Attachment" => {
            let k = kernel(ctx)?;
            readable_attachment(k, &p, uuid)
                .await
                .ok()
                .map(|m| Node::Attachment(Attachment(m)))
        }
        "Notification" => {
            let k = kernel(ctx)?;
            notification::Entity::find_by_id(uuid)
                .one(&k.db.conn)
                .await
                .map_err(AppError::from)?
                .filter(|n| Some(n.recipient_id) == p.account_id)
                .map(|m| Node::Notification(Notification(m)))
        }
        #[cfg(feature = "inspections")]
        "Hazard" if p.can(jianan_inspections::perms::HAZARD_READ) => l
            .by_id::<jianan_inspections::entity::hazard::Entity>()
            .load_one(uuid)
            .await?
            .map(|m| Node::Hazard(jianan_inspections::graphql::types::Hazard(m))),
        #[cfg(feature = "inspections")]
        "EnforcementAction" if p.can(jianan_inspections::perms::ENFORCEMENT_READ) => l
            .by_id::<jianan_inspections::entity::enforcement_action::Entity>()
            .load_one(uuid)
            .await?
            .map(|m| {
                Node::EnforcementAction(jianan_inspections::graphql::types::EnforcementAction(m))
            }),
        #[cfg(feature = "inspections")]
        "Inspection" if p.can(jianan_inspections::perms::INSPECTION_READ) => l
            .by_id::<jianan_inspections::entity::inspection::Entity>()
            .load_one(uuid)
            .await?
            .map(|m| Node::Inspection(jianan_inspections::graphql::types::Inspection(m))),
        // Draws are public (一公开); their fields reveal only what the status allows.
        #[cfg(feature = "inspections")]
        "RandomDraw" => {
            let k = kernel(ctx)?;
            jianan_inspections::service::draw::get(&k.db.conn, uuid)
                .await
                .ok()
                .map(|m| Node::RandomDraw(jianan_inspections::graphql::types::RandomDraw(m)))
        }
        _ => None,
    };
    Ok(node)
}

#[Object]
impl NodeQuery {
    /// 按全局编号取任意记录；无权查看时为空 (any record by global ID; null when not visible)
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        load_node(ctx, &id).await
    }

    /// 按全局编号批量取记录，最多100个 (several records by global ID, at most 100)
    #[graphql(complexity = "5 + ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(
                AppError::bad_input("ids", format!("一次最多查询{MAX_NODES}个编号")).into(),
            );
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            out.push(load_node(ctx, id).await?);
        }
        Ok(out)
    }
}

/// Queries of the domain modules compiled in (each a cargo feature).
#[derive(MergedObject, Default)]
pub struct ModuleQuery(
    #[cfg(feature = "inspections")] jianan_inspections::InspectionsQuery,
    #[cfg(feature = "inspections")] jianan_inspections::graphql::StatisticsQuery,
);

/// Mutations of the domain modules compiled in.
#[derive(MergedObject, Default)]
pub struct ModuleMutation(#[cfg(feature = "inspections")] jianan_inspections::InspectionsMutation);

/// The root query: one part per module.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    KernelQuery,
    CalendarQuery,
    ObligationQuery,
    RegistryQuery,
    ModuleQuery,
);

/// The root mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    KernelMutation,
    CalendarMutation,
    RegistryMutation,
    ModuleMutation,
);

/// The root subscription.
#[derive(MergedSubscription, Default)]
pub struct Subscription(KernelSubscription);

/// The platform's schema type.
pub type JiananSchema = Schema<Query, Mutation, Subscription>;

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
    pub introspection: bool,
}

/// Builds the schema; `data` is the kernel (schema data shared by all requests).
pub fn build(
    kernel: Option<std::sync::Arc<jianan_kernel::Kernel>>,
    limits: Limits,
) -> JiananSchema {
    let mut b = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .limit_depth(limits.depth)
    .limit_complexity(limits.complexity)
    .limit_recursive_depth(64)
    .limit_directives(20);
    if !limits.introspection {
        b = b.disable_introspection();
    }
    if let Some(k) = kernel {
        b = b.data(k);
    }
    b.finish()
}

/// The SDL of the schema, as committed in `api/schema.graphql`.
pub fn sdl() -> String {
    build(
        None,
        Limits {
            depth: 15,
            complexity: 5000,
            introspection: true,
        },
    )
    .sdl()
}

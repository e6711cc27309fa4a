//! The Relay `Node` interface (docs/api-conventions.md), generated from the record types the modules contribute.
//!
//! A module lists its record types once, as a tuple (`pub type Records = (Hazard, Inspection);`),
//! each implementing [`NodeRecord`]: its GraphQL type name and how the caller's visible records of
//! that type are loaded by id — for most types with [`crate::node_record!`] (entity + read
//! permission, rows through the caller's row scope). The gateway's module list ([`crate::modules!`])
//! registers every module's tuple, so the `Node` interface, `node(id:)` and `nodes(ids:)` know all
//! of them without a line of per-type code in the gateway.
//!
//! `nodes(ids:)` groups the ids by type and loads each group with one statement, the groups
//! concurrently.
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaField, MetaType, MetaTypeId, Registry};
use async_graphql::{
    Context, ContextSelectionSet, ID, Object, OutputType, Positioned, ServerResult, Value,
};
use futures_util::future::BoxFuture;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::loader::{Record, loaders};
use crate::principal::principal;
use crate::relay::decode_any;
use crate::scope::ScopedEntity;

/// Name of the interface in the schema.
const NODE: &str = "Node";
/// Most IDs `nodes(ids:)` takes at once.
pub const MAX_NODES: usize = 100;

/// A GraphQL record type that implements `Node`.
pub trait NodeRecord: OutputType + Clone + Send + Sync + Sized + 'static {
    /// The GraphQL type name, also the prefix of its global IDs.
    const TYPE_NAME: &'static str;
    /// The records with these ids that the caller may read; ids it may not read, or that do not
    /// exist, are simply absent (the caller cannot tell the two apart).
    fn load<'a>(
        ctx: &'a Context<'_>,
        ids: Vec<Uuid>,
    ) -> BoxFuture<'a, AppResult<Vec<(Uuid, Self)>>>;
}

/// The common [`NodeRecord::load`]: holders of `permission` get the rows of `E` within their row
/// scope, through the request's by-id loader (so a later field lookup hits its cache).
pub fn load_scoped<'a, E, T>(
    ctx: &'a Context<'_>,
    ids: Vec<Uuid>,
    permission: &'static str,
    wrap: fn(E::Model) -> T,
) -> BoxFuture<'a, AppResult<Vec<(Uuid, T)>>>
where
    E: Record + ScopedEntity,
    E::Model: Send + Sync + Clone,
    T: Send + 'a,
{
    Box::pin(async move {
        if !principal(ctx).can(permission) {
            return Ok(Vec::new());
        }
        let rows = loaders(ctx)?.by_id::<E>().load_many(ids).await?;
        Ok(rows.into_iter().map(|(id, m)| (id, wrap(m))).collect())
    })
}

/// Implements [`NodeRecord`] for a record type read through the caller's row scope:
/// `node_record!(Hazard, hazard::Entity, perms::HAZARD_READ);` — the GraphQL type (a tuple struct
/// around the entity's model), the entity (which implements [`Record`] and [`ScopedEntity`]) and
/// the permission needed to read it.
#[macro_export]
macro_rules! node_record {
    ($ty:ident, $entity:ty, $permission:expr) => {
        impl $crate::node::NodeRecord for $ty {
            const TYPE_NAME: &'static str = <$entity as $crate::loader::Record>::TYPE_NAME;
            fn load<'a>(
                ctx: &'a $crate::__private::async_graphql::Context<'_>,
                ids: ::std::vec::Vec<$crate::__private::Uuid>,
            ) -> $crate::__private::BoxFuture<
                'a,
                $crate::AppResult<::std::vec::Vec<($crate::__private::Uuid, Self)>>,
            > {
                $crate::node::load_scoped::<$entity, $ty>(ctx, ids, $permission, $ty)
            }
        }
    };
}

/// Any record behind the `Node` interface: resolves as its concrete type.
pub struct Node(Box<dyn AnyRecord>);

impl Clone for Node {
    fn clone(&self) -> Self {
        Node(self.0.clone_box())
    }
}

impl Node {
    pub fn new<T: NodeRecord>(record: T) -> Node {
        Node(Box::new(record))
    }
}

/// Object-safe view of a record type (async-graphql's `OutputType` is not object safe).
trait AnyRecord: Send + Sync {
    fn type_name(&self) -> Cow<'static, str>;
    fn clone_box(&self) -> Box<dyn AnyRecord>;
    fn resolve<'a>(
        &'a self,
        ctx: &'a ContextSelectionSet<'a>,
        field: &'a Positioned<Field>,
    ) -> BoxFuture<'a, ServerResult<Value>>;
}

impl<T: NodeRecord> AnyRecord for T {
    fn type_name(&self) -> Cow<'static, str> {
        Cow::Borrowed(T::TYPE_NAME)
    }
    fn clone_box(&self) -> Box<dyn AnyRecord> {
        Box::new(self.clone())
    }
    fn resolve<'a>(
        &'a self,
        ctx: &'a ContextSelectionSet<'a>,
        field: &'a Positioned<Field>,
    ) -> BoxFuture<'a, ServerResult<Value>> {
        Box::pin(OutputType::resolve(self, ctx, field))
    }
}

impl OutputType for Node {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(NODE)
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        registry.create_output_type::<Self, _>(MetaTypeId::Interface, |_| {
            let mut fields = async_graphql::indexmap::IndexMap::new();
            fields.insert(
                "id".to_owned(),
                MetaField {
                    name: "id".to_owned(),
                    description: Some("全局编号 (global ID)".to_owned()),
                    args: Default::default(),
                    ty: "ID!".to_owned(),
                    deprecation: Default::default(),
                    cache_control: Default::default(),
                    external: false,
                    requires: None,
                    provides: None,
                    visible: None,
                    shareable: false,
                    inaccessible: false,
                    tags: Vec::new(),
                    override_from: None,
                    compute_complexity: None,
                    directive_invocations: Vec::new(),
                    requires_scopes: Vec::new(),
                },
            );
            MetaType::Interface {
                name: NODE.to_owned(),
                description: Some("节点 — any record, fetched by its global ID.".to_owned()),
                fields,
                possible_types: Default::default(),
                extends: false,
                keys: None,
                visible: None,
                inaccessible: false,
                tags: Vec::new(),
                rust_typename: Some(std::any::type_name::<Self>()),
                directive_invocations: Vec::new(),
                requires_scopes: Vec::new(),
            }
        })
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        self.0.resolve(ctx, field).await
    }
}

/// Registers `T` as an implementation of `Node`.
fn implement<T: NodeRecord>(registry: &mut Registry) {
    Node::create_type_info(registry);
    T::create_type_info(registry);
    if let Some(MetaType::Interface { possible_types, .. }) = registry.types.get_mut(NODE) {
        possible_types.insert(T::TYPE_NAME.to_owned());
    }
    registry.add_implements(T::TYPE_NAME, NODE);
}

/// Loads a group of ids of one record type.
type LoadFn =
    for<'a, 'b> fn(&'a Context<'b>, Vec<Uuid>) -> BoxFuture<'a, AppResult<Vec<(Uuid, Node)>>>;

fn load_erased<'a, T: NodeRecord>(
    ctx: &'a Context<'_>,
    ids: Vec<Uuid>,
) -> BoxFuture<'a, AppResult<Vec<(Uuid, Node)>>> {
    Box::pin(async move {
        let rows = T::load(ctx, ids).await?;
        Ok(rows.into_iter().map(|(id, r)| (id, Node::new(r))).collect())
    })
}

/// One record type as the gateway knows it: its name and its loader.
#[derive(Clone, Copy)]
pub struct NodeSource {
    pub type_name: &'static str,
    load: LoadFn,
}

/// A module's record types: a tuple of [`NodeRecord`]s (or `()`).
pub trait RecordList: 'static {
    /// Adds each type to the schema as an implementation of `Node`.
    fn register(registry: &mut Registry);
    /// Each type's name and loader.
    fn sources(out: &mut Vec<NodeSource>);
}

impl RecordList for () {
    fn register(_: &mut Registry) {}
    fn sources(_: &mut Vec<NodeSource>) {}
}

macro_rules! record_list_tuple {
    ($($t:ident),+) => {
        impl<$($t: NodeRecord),+> RecordList for ($($t,)+) {
            fn register(registry: &mut Registry) {
                $(implement::<$t>(registry);)+
            }
            fn sources(out: &mut Vec<NodeSource>) {
                $(out.push(NodeSource { type_name: $t::TYPE_NAME, load: load_erased::<$t> });)+
            }
        }
    };
}

record_list_tuple!(A);
record_list_tuple!(A, B);
record_list_tuple!(A, B, C);
record_list_tuple!(A, B, C, D);
record_list_tuple!(A, B, C, D, E);
record_list_tuple!(A, B, C, D, E, F);
record_list_tuple!(A, B, C, D, E, F, G);
record_list_tuple!(A, B, C, D, E, F, G, H);
record_list_tuple!(A, B, C, D, E, F, G, H, I);
record_list_tuple!(A, B, C, D, E, F, G, H, I, J);
record_list_tuple!(A, B, C, D, E, F, G, H, I, J, K);
record_list_tuple!(A, B, C, D, E, F, G, H, I, J, K, L);

/// Registers the record types of `L` with a schema under construction:
/// `builder.register_output_type::<Implementations<L>>()`. It is not itself a schema type.
pub struct Implementations<L>(std::marker::PhantomData<fn() -> L>);

impl<L: RecordList> OutputType for Implementations<L> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(NODE)
    }
    fn create_type_info(registry: &mut Registry) -> String {
        L::register(registry);
        NODE.to_owned()
    }
    async fn resolve(
        &self,
        _: &ContextSelectionSet<'_>,
        _: &Positioned<Field>,
    ) -> ServerResult<Value> {
        Ok(Value::Null)
    }
}

/// Every record type of the build, by name: schema data that `node`/`nodes` read.
#[derive(Clone, Default)]
pub struct NodeDirectory(Arc<HashMap<&'static str, NodeSource>>);

impl NodeDirectory {
    /// The directory of the record types of `L`. Panics on a duplicate type name, which is a
    /// programming error caught by every test that builds the schema.
    #[allow(clippy::panic)]
    pub fn of<L: RecordList>() -> NodeDirectory {
        let mut sources = Vec::new();
        L::sources(&mut sources);
        let mut map = HashMap::new();
        for s in sources {
            if map.insert(s.type_name, s).is_some() {
                panic!("record type {} is registered twice", s.type_name);
            }
        }
        NodeDirectory(Arc::new(map))
    }

    /// The registered type names, sorted.
    pub fn type_names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.0.keys().copied().collect();
        names.sort_unstable();
        names
    }

    /// Loads the records named by `ids` (in their order; `None` where not visible). Ids of one
    /// type load together in one batch, the types concurrently.
    /// `field` names the argument for the error about an undecodable id.
    pub async fn load(
        &self,
        ctx: &Context<'_>,
        ids: &[ID],
        field: &str,
    ) -> AppResult<Vec<Option<Node>>> {
        let mut decoded = Vec::with_capacity(ids.len());
        let mut groups: HashMap<&'static str, (NodeSource, Vec<Uuid>)> = HashMap::new();
        for id in ids {
            let (ty, uuid) =
                decode_any(id).ok_or_else(|| AppError::bad_input(field, "无效的全局编号"))?;
            if !principal(ctx).is_authenticated() {
                return Err(AppError::unauthenticated());
            }
            let source = self.0.get(ty.as_str()).copied();
            decoded.push(source.map(|s| (s.type_name, uuid)));
            if let Some(s) = source {
                let group = groups.entry(s.type_name).or_insert((s, Vec::new()));
                if !group.1.contains(&uuid) {
                    group.1.push(uuid);
                }
            }
        }
        let loads = groups.into_values().map(|(source, uuids)| async move {
            (source.load)(ctx, uuids)
                .await
                .map(|rows| (source.type_name, rows))
        });
        let mut found: HashMap<(&'static str, Uuid), Node> = HashMap::new();
        for (ty, rows) in futures_util::future::try_join_all(loads).await? {
            for (id, node) in rows {
                found.insert((ty, id), node);
            }
        }
        Ok(decoded
            .into_iter()
            .map(|key| key.and_then(|k| found.get(&k).cloned()))
            .collect())
    }
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

/// The node directory of the schema serving `ctx` (for modules that load records of other
/// modules' types as the caller, e.g. the records a circular names).
pub fn directory<'a>(ctx: &'a Context<'_>) -> AppResult<&'a NodeDirectory> {
    ctx.data::<NodeDirectory>()
        .map_err(|_| AppError::internal("node directory missing from schema data"))
}

#[Object]
impl NodeQuery {
    /// 按全局编号取任意记录；无权查看时为空 (any record by global ID; null when not visible)
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "记录的全局编号 (the record's global ID)")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let mut one = directory(ctx)?
            .load(ctx, std::slice::from_ref(&id), "id")
            .await?;
        Ok(one.pop().flatten())
    }

    /// 按全局编号批量取记录，最多100个 (several records by global ID, at most 100)
    #[graphql(complexity = "5 + ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "记录的全局编号，最多100个 (global IDs, at most 100)")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(
                AppError::bad_input("ids", format!("一次最多查询{MAX_NODES}个编号")).into(),
            );
        }
        Ok(directory(ctx)?.load(ctx, &ids, "ids").await?)
    }
}

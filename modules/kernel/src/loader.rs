//! Request-scoped DataLoaders that batch deterministically (STYLE.md, "Performance traps").
//!
//! A plain DataLoader batches whatever arrives within its delay window, so under load a page's
//! lookups split into several batches. Here a list resolver loads its page, then loads the page's
//! related records in one statement per relation and *primes* the request's loaders with them
//! ([`Loaders::by_id`] + `feed_many`, [`prime_grouped`]); field resolvers then hit the cache.
//! A page therefore costs a fixed number of statements whatever its size and the server's load.
//! Loaders live in request data (never schema data), so users' caches never mix.
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::principal::{Principal, request_info};
use crate::scope::{ScopedEntity, principal_condition};

/// A table whose rows have a UUID primary key and a GraphQL type name.
pub trait Record: EntityTrait {
    /// The GraphQL type name used in global IDs.
    const TYPE_NAME: &'static str;
    fn id_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> Uuid;
}

/// Implements [`Record`] for an entity whose primary key is a UUID column `id`:
/// `record!(hazard::Entity, "Hazard");` — the type name is the one in the record's global IDs.
#[macro_export]
macro_rules! record {
    ($entity:ty, $name:literal) => {
        impl $crate::loader::Record for $entity {
            const TYPE_NAME: &'static str = $name;
            fn id_column() -> <$entity as $crate::__private::EntityTrait>::Column {
                <$entity as $crate::__private::EntityTrait>::Column::Id
            }
            fn id_of(
                m: &<$entity as $crate::__private::EntityTrait>::Model,
            ) -> $crate::__private::Uuid {
                m.id
            }
        }
    };
}

/// Declares a [`Grouping`] in one line: `grouping!(pub StepsOfHazard: hazard_step, HazardId /
/// hazard_id, order Id)` — rows of `hazard_step::Entity` grouped by the `HazardId` column (the
/// model's `hazard_id` field), ordered by `Id`. Doc comments and attributes go first.
#[macro_export]
macro_rules! grouping {
    ($(#[$attr:meta])* $vis:vis $name:ident: $($m:tt)::+, $parent:ident / $field:ident, order $order:ident) => {
        $(#[$attr])*
        $vis struct $name;
        impl $crate::loader::Grouping for $name {
            type Entity = $($m)::+::Entity;
            fn parent_column() -> $($m)::+::Column {
                $($m)::+::Column::$parent
            }
            fn parent_of(m: &$($m)::+::Model) -> $crate::__private::Uuid {
                m.$field
            }
            fn order_column() -> $($m)::+::Column {
                $($m)::+::Column::$order
            }
        }
    };
}

/// A one-to-many relation: rows of `E` grouped by a parent id column.
pub trait Grouping: Send + Sync + 'static {
    type Entity: EntityTrait;
    fn parent_column() -> <Self::Entity as EntityTrait>::Column;
    fn parent_of(model: &<Self::Entity as EntityTrait>::Model) -> Uuid;
    fn order_column() -> <Self::Entity as EntityTrait>::Column;
}

/// Loads records by id, within the caller's scope (out-of-scope ids load as missing).
pub struct ByIdLoader<E> {
    db: DatabaseConnection,
    scope: Condition,
    _e: PhantomData<fn() -> E>,
}

impl<E> Loader<Uuid> for ByIdLoader<E>
where
    E: Record + ScopedEntity,
    E::Model: Send + Sync + Clone,
{
    type Value = E::Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, AppError> {
        let rows = E::find()
            .filter(self.scope.clone())
            .filter(E::id_column().is_in(keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|m| (E::id_of(&m), m)).collect())
    }
}

/// Loads records by id whatever the caller's row scope: for the people *named on* a record the
/// caller may already see (its recorder, its inspectors), whose names are part of that record.
/// Never the start of a list or a lookup.
pub struct NamedByIdLoader<E> {
    db: DatabaseConnection,
    _e: PhantomData<fn() -> E>,
}

impl<E> Loader<Uuid> for NamedByIdLoader<E>
where
    E: Record,
    E::Model: Send + Sync + Clone,
{
    type Value = E::Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, AppError> {
        let rows = E::find()
            .filter(E::id_column().is_in(keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|m| (E::id_of(&m), m)).collect())
    }
}

/// Loads the children of parents, in the relation's order.
pub struct GroupLoader<G> {
    db: DatabaseConnection,
    _g: PhantomData<fn() -> G>,
}

impl<G> Loader<Uuid> for GroupLoader<G>
where
    G: Grouping,
    <G::Entity as EntityTrait>::Model: Send + Sync + Clone,
{
    type Value = Vec<<G::Entity as EntityTrait>::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, AppError> {
        let rows = load_grouped::<G>(&self.db, keys).await?;
        Ok(rows)
    }
}

/// One statement: the children of every parent in `parents` (parents without any get `vec![]`).
pub async fn load_grouped<G: Grouping>(
    db: &DatabaseConnection,
    parents: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<<G::Entity as EntityTrait>::Model>>> {
    let mut out: HashMap<Uuid, Vec<_>> = parents.iter().map(|p| (*p, Vec::new())).collect();
    if parents.is_empty() {
        return Ok(out);
    }
    let rows = G::Entity::find()
        .filter(G::parent_column().is_in(parents.iter().copied()))
        .order_by_asc(G::order_column())
        .all(db)
        .await?;
    for row in rows {
        out.entry(G::parent_of(&row)).or_default().push(row);
    }
    Ok(out)
}

type AnyLoader = Arc<dyn Any + Send + Sync>;

/// The loaders of one request.
pub struct Loaders {
    db: DatabaseConnection,
    principal: Arc<Principal>,
    map: Mutex<HashMap<TypeId, AnyLoader>>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection, principal: Arc<Principal>) -> Self {
        Loaders {
            db,
            principal,
            map: Mutex::default(),
        }
    }

    fn get_or_make<L: Send + Sync + 'static>(&self, make: impl FnOnce() -> L) -> Arc<L> {
        let mut map = match self.map.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let any = map
            .entry(TypeId::of::<L>())
            .or_insert_with(|| Arc::new(make()) as AnyLoader)
            .clone();
        drop(map);
        match any.downcast::<L>() {
            Ok(l) => l,
            // Unreachable: the map is keyed by the type it stores.
            Err(_) => Arc::new(make_unreachable()),
        }
    }

    /// The by-id loader of `E`, scoped to the caller.
    pub fn by_id<E>(&self) -> Arc<DataLoader<ByIdLoader<E>, HashMapCache>>
    where
        E: Record + ScopedEntity,
        E::Model: Send + Sync + Clone,
    {
        self.get_or_make(|| {
            DataLoader::with_cache(
                ByIdLoader::<E> {
                    db: self.db.clone(),
                    scope: principal_condition::<E>(&self.principal),
                    _e: PhantomData,
                },
                tokio::spawn,
                HashMapCache::default(),
            )
        })
    }

    /// The loader of records of `E` named on records the caller sees (see [`NamedByIdLoader`]).
    pub fn named_by_id<E>(&self) -> Arc<DataLoader<NamedByIdLoader<E>, HashMapCache>>
    where
        E: Record,
        E::Model: Send + Sync + Clone,
    {
        self.get_or_make(|| {
            DataLoader::with_cache(
                NamedByIdLoader::<E> {
                    db: self.db.clone(),
                    _e: PhantomData,
                },
                tokio::spawn,
                HashMapCache::default(),
            )
        })
    }

    /// The loader of relation `G`.
    pub fn grouped<G>(&self) -> Arc<DataLoader<GroupLoader<G>, HashMapCache>>
    where
        G: Grouping,
        <G::Entity as EntityTrait>::Model: Send + Sync + Clone,
    {
        self.get_or_make(|| {
            DataLoader::with_cache(
                GroupLoader::<G> {
                    db: self.db.clone(),
                    _g: PhantomData,
                },
                tokio::spawn,
                HashMapCache::default(),
            )
        })
    }

    /// Primes the by-id loader of `E` with rows already loaded.
    pub async fn prime<E>(&self, rows: impl IntoIterator<Item = E::Model>)
    where
        E: Record + ScopedEntity,
        E::Model: Send + Sync + Clone,
    {
        self.by_id::<E>()
            .feed_many(rows.into_iter().map(|m| (E::id_of(&m), m)))
            .await;
    }

    /// Loads relation `G` for all `parents` in one statement and primes its loader.
    pub async fn prime_grouped<G>(
        &self,
        parents: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Vec<<G::Entity as EntityTrait>::Model>>>
    where
        G: Grouping,
        <G::Entity as EntityTrait>::Model: Send + Sync + Clone,
    {
        let groups = load_grouped::<G>(&self.db, parents).await?;
        self.grouped::<G>().feed_many(groups.clone()).await;
        Ok(groups)
    }
}

#[allow(clippy::panic)]
fn make_unreachable<L>() -> L {
    unreachable!("loader map holds a loader of another type")
}

/// The request's loaders; a request without them (a test harness) gets a fresh set.
pub fn loaders<'a>(ctx: &'a Context<'_>) -> AppResult<&'a Loaders> {
    ctx.data_opt::<Loaders>().ok_or_else(|| {
        let _ = request_info(ctx);
        AppError::internal("request has no loaders")
    })
}

/// Whether the client selected `path` below the nodes of the connection being resolved
/// (`edges { node { … } }` or `nodes { … }`), to prime only the relations it asked for.
pub fn node_selects(ctx: &Context<'_>, path: &[&str]) -> bool {
    let la = ctx.look_ahead();
    let mut via_edges = la.field("edges").field("node");
    let mut via_nodes = la.field("nodes");
    for p in path {
        via_edges = via_edges.field(p);
        via_nodes = via_nodes.field(p);
    }
    via_edges.exists() || via_nodes.exists()
}

//! One helper for every list field (docs/api-conventions.md): a filtered, ordered select — normally
//! [`crate::scope::scoped`], so the caller's row scope is already in it — becomes one keyset page
//! ([`page`]), the page primes the request's loaders with the relations the client selected
//! ([`ListPage::prime`], [`ListPage::prime_grouped`]: one statement per relation, whatever the
//! page size), and the page becomes a Relay connection with a lazily counted `totalCount`
//! ([`ListPage::connection`]). A list field's cost grows with its page size ([`complexity`]).
//!
//! ```ignore
//! #[graphql(guard = "Permission(perms::HAZARD_READ)",
//!           complexity = "jianan_kernel::list::complexity(child_complexity, first, last)")]
//! async fn hazards(&self, ctx: &Context<'_>, filter: Option<HazardFilter>, first: Option<i32>,
//!                  after: Option<String>, last: Option<i32>, before: Option<String>)
//!     -> async_graphql::Result<RelayConnection<Hazard>> {
//!     let select = scoped::<hazard::Entity>(&principal(ctx)).filter(filter.condition()?);
//!     let page = list::page(ctx, select, &ORDER, PageArgs::new(first, after, last, before)).await?;
//!     page.prime::<project::Entity>(ctx, "project", |h| Some(h.project_id)).await?;
//!     Ok(page.connection(Hazard))
//! }
//! ```
use std::collections::HashSet;

use async_graphql::{Context, OutputType};
use sea_orm::{EntityTrait, Select};
use uuid::Uuid;

use crate::error::AppResult;
use crate::kernel;
use crate::loader::{Grouping, Record, loaders, node_selects};
use crate::relay::{
    KeysetOrder, Page, PageArgs, RelayConnection, TotalCount, connection, paginate,
};
use crate::scope::ScopedEntity;

/// Page size assumed when the client gives neither `first` nor `last`.
const DEFAULT_PAGE: usize = 20;

/// The cost of a list field: a fixed 5, plus the page size times the cost of one node.
/// Used as `complexity = "jianan_kernel::list::complexity(child_complexity, first, last)"`.
pub fn complexity(child_complexity: usize, first: Option<i32>, last: Option<i32>) -> usize {
    let first = first.unwrap_or(DEFAULT_PAGE as i32);
    let size = usize::try_from(first.max(last.unwrap_or(0))).unwrap_or(0);
    size.saturating_mul(child_complexity).saturating_add(5)
}

/// The cost of a flat feed page (rows of scalars only, no relations): one per row plus 5,
/// whatever columns are selected, since a row costs the same to read with one column or ten.
/// Used as `complexity = "jianan_kernel::list::feed_complexity(first)"`.
pub fn feed_complexity(first: Option<i32>) -> usize {
    let size = usize::try_from(first.unwrap_or(DEFAULT_PAGE as i32)).unwrap_or(0);
    size.saturating_add(5)
}

/// One page of a list, with what is needed to count the whole list.
pub struct ListPage<E: EntityTrait> {
    page: Page<E::Model>,
    total: TotalCount,
}

/// Loads one keyset page of `select` (which carries the scope and the filters) in one
/// statement; `totalCount` is counted only if the client asks for it.
pub async fn page<E>(
    ctx: &Context<'_>,
    select: Select<E>,
    order: &KeysetOrder<E>,
    args: PageArgs,
) -> AppResult<ListPage<E>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let db = &kernel(ctx)?.db.conn;
    let page = paginate(db, select.clone(), order, &args).await?;
    Ok(ListPage {
        page,
        total: TotalCount::of(db, select),
    })
}

impl<E: EntityTrait> ListPage<E> {
    /// The rows of the page, in order.
    pub fn rows(&self) -> impl Iterator<Item = &E::Model> {
        self.page.rows.iter().map(|(_, m)| m)
    }

    /// When the client selected `field` on the nodes, loads the records of `R` that the page's
    /// rows refer to (through `refers`) in one statement, within the caller's scope, and primes
    /// the request's by-id loader so the field resolvers find them there.
    pub async fn prime<R>(
        &self,
        ctx: &Context<'_>,
        field: &str,
        refers: impl Fn(&E::Model) -> Option<Uuid>,
    ) -> AppResult<()>
    where
        R: Record + ScopedEntity,
        R::Model: Send + Sync + Clone,
    {
        if !node_selects(ctx, &[field]) {
            return Ok(());
        }
        let ids: HashSet<Uuid> = self.rows().filter_map(refers).collect();
        if !ids.is_empty() {
            loaders(ctx)?.by_id::<R>().load_many(ids).await?;
        }
        Ok(())
    }

    /// When the client selected `field` on the nodes, loads relation `G` (children grouped by
    /// the page's rows) in one statement and primes its loader.
    pub async fn prime_grouped<G>(&self, ctx: &Context<'_>, field: &str) -> AppResult<()>
    where
        E: Record,
        G: Grouping,
        <G::Entity as EntityTrait>::Model: Send + Sync + Clone,
    {
        if !node_selects(ctx, &[field]) {
            return Ok(());
        }
        let ids: Vec<Uuid> = self.rows().map(E::id_of).collect();
        loaders(ctx)?.prime_grouped::<G>(&ids).await?;
        Ok(())
    }

    /// The page as a Relay connection of `T`.
    pub fn connection<T: OutputType>(self, wrap: impl Fn(E::Model) -> T) -> RelayConnection<T> {
        connection(self.page, self.total, wrap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_costs_its_page_size_times_its_nodes() {
        // Worked by hand: 5 + size × child.
        assert_eq!(complexity(3, None, None), 5 + 20 * 3);
        assert_eq!(complexity(3, Some(100), None), 305);
        assert_eq!(complexity(3, None, Some(7)), 5 + 20 * 3);
        assert_eq!(complexity(3, Some(2), Some(7)), 5 + 7 * 3);
        assert_eq!(complexity(3, Some(-5), None), 5);
        assert_eq!(complexity(usize::MAX, Some(100), None), usize::MAX);
    }
}

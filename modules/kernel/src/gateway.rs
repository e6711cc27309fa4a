//! The gateway's module list, written once: [`crate::modules!`] turns a list of module crates
//! into everything the gateway assembles from them — the runtime module list, the merged GraphQL
//! roots and the record types behind the Relay `Node` interface.
//!
//! Every module crate exports, at its root:
//! - `fn module() -> Box<dyn Module>`: its [`crate::module::Module`] implementation;
//! - `Query`, `Mutation`, `Subscription`: its GraphQL roots (each a type with a GraphQL name unique
//!   in the schema; a module without subscriptions uses [`NoSubscription`]);
//! - `Records`: a tuple of its record types ([`crate::node::NodeRecord`]), or `()`.

/// The subscription root of a module that has none.
///
/// Not `async_graphql::EmptySubscription`: the merged root asks each module's root in turn for a
/// field's stream and stops at the first that answers, and `EmptySubscription` answers every
/// field with the error "Schema is not configured for subscription" — so a module listed after
/// one without subscriptions could never serve its own. This one answers none.
#[derive(Default, Clone, Copy)]
pub struct NoSubscription;

impl async_graphql::SubscriptionType for NoSubscription {
    fn type_name() -> std::borrow::Cow<'static, str> {
        <async_graphql::EmptySubscription as async_graphql::SubscriptionType>::type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        <async_graphql::EmptySubscription as async_graphql::SubscriptionType>::create_type_info(
            registry,
        )
    }

    fn is_empty() -> bool {
        true
    }

    fn create_field_stream<'a>(
        &'a self,
        _ctx: &'a async_graphql::Context<'_>,
    ) -> Option<
        std::pin::Pin<Box<dyn futures_util::Stream<Item = async_graphql::Response> + Send + 'a>>,
    > {
        None
    }
}

/// Declares the modules of this build, the kernel implied and first:
///
/// ```ignore
/// jianan_kernel::modules! {
///     jianan_registry,
///     #[cfg(feature = "inspections")] jianan_inspections,
/// }
/// ```
///
/// It defines, in the calling module: `modules()` (the kernel's and every listed module's
/// [`crate::module::Module`]), the schema roots `Query`, `Mutation` and `Subscription` (the
/// kernel's roots merged with every module's, in list order) and `Records` (every record type).
#[macro_export]
macro_rules! modules {
    ($($(#[$attr:meta])* $krate:ident),* $(,)?) => {
        /// Every module of this build, the kernel first, with default settings.
        pub fn modules() -> ::std::vec::Vec<::std::boxed::Box<dyn $crate::module::Module>> {
            #[allow(unused_mut)]
            let mut all: ::std::vec::Vec<::std::boxed::Box<dyn $crate::module::Module>> =
                ::std::vec![$crate::module()];
            $( $(#[$attr])* all.push($krate::module()); )*
            all
        }

        /// The root query: one part per module.
        #[derive(async_graphql::MergedObject, Default)]
        pub struct Query($crate::Query, $( $(#[$attr])* $krate::Query, )*);

        /// The root mutation.
        #[derive(async_graphql::MergedObject, Default)]
        pub struct Mutation($crate::Mutation, $( $(#[$attr])* $krate::Mutation, )*);

        /// The root subscription.
        #[derive(async_graphql::MergedSubscription, Default)]
        pub struct Subscription($crate::Subscription, $( $(#[$attr])* $krate::Subscription, )*);

        /// Every record type of this build (the `Node` interface's implementations).
        pub struct Records;

        impl $crate::node::RecordList for Records {
            fn register(registry: &mut async_graphql::registry::Registry) {
                <$crate::Records as $crate::node::RecordList>::register(registry);
                $( $(#[$attr])* <$krate::Records as $crate::node::RecordList>::register(registry); )*
            }
            fn sources(out: &mut ::std::vec::Vec<$crate::node::NodeSource>) {
                <$crate::Records as $crate::node::RecordList>::sources(out);
                $( $(#[$attr])* <$krate::Records as $crate::node::RecordList>::sources(out); )*
            }
        }
    };
}

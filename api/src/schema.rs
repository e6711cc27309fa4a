//! Schema assembly: the kernel's and every module's roots merged into one typed schema, and the
//! Relay `Node` interface over every module's record types (docs/architecture.md). The module list is the
//! one line per module below; nothing else here names a module or a record type.
use async_graphql::Schema;
use jianan_kernel::node::{Implementations, NodeDirectory};

jianan_kernel::modules! {
    jianan_registry,
    #[cfg(feature = "inspections")]
    jianan_inspections,
    #[cfg(feature = "credit")]
    jianan_credit,
    #[cfg(feature = "rewards")]
    jianan_rewards,
    #[cfg(feature = "housing")]
    jianan_housing,
    #[cfg(feature = "experts")]
    jianan_experts,
    #[cfg(feature = "duty")]
    jianan_duty,
    #[cfg(feature = "oversight")]
    jianan_oversight,
}

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
    .register_output_type::<Implementations<Records>>()
    // Last: documents what async-graphql generates (connections, paging arguments, `ID`, mutation inputs).
    .register_output_type::<jianan_kernel::relay::GeneratedDocs>()
    .data(NodeDirectory::of::<Records>())
    .limit_depth(limits.depth)
    .limit_complexity(limits.complexity)
    .limit_recursive_depth(64)
    .limit_directives(20)
    .extension(jianan_kernel::credentials::OneCredentialField::new(
        modules().iter().flat_map(|m| m.credential_fields()),
    ))
    .extension(crate::errors::ErrorPolicy)
    .extension(crate::loaders_ext::OperationLoaders);
    if !limits.introspection {
        // "Did you mean …?" would hand out the field names that introspection hides.
        b = b.disable_introspection().disable_suggestions();
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

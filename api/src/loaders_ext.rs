//! Loaders per operation on WebSocket connections (issue #8 item 3). An HTTP request carries its
//! own [`Loaders`] (request data, built in `http.rs`); a WebSocket connection's operations share
//! the connection's session data, so this extension gives each operation fresh loaders when it
//! starts: caches never outlive the operation, and one subscription's rows are not served to the
//! next.
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::{Request, ServerResult};
use jianan_kernel::Kernel;
use jianan_kernel::loader::Loaders;
use jianan_kernel::principal::RequestInfo;

/// The extension (see the module doc).
pub struct OperationLoaders;

impl ExtensionFactory for OperationLoaders {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationLoadersExtension)
    }
}

struct OperationLoadersExtension;

#[async_trait::async_trait]
impl Extension for OperationLoadersExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let request = next.run(ctx, request).await?;
        // Session data holds the caller only on a WebSocket (HTTP puts it in request data, with
        // its own loaders).
        match (ctx.data::<RequestInfo>(), ctx.data::<Arc<Kernel>>()) {
            (Ok(info), Ok(k)) => {
                Ok(request.data(Loaders::new(k.db.conn.clone(), info.principal.clone())))
            }
            _ => Ok(request),
        }
    }
}

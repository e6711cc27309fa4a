//! The HTTP surface: `/graphql` per the GraphQL-over-HTTP specification, `/graphql/ws`
//! (graphql-transport-ws), attachments, health, readiness and metrics.
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{BatchRequest, BatchResponse, Data, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, Path, RawQuery, Request, State, WebSocketUpgrade,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jianan_kernel::loader::Loaders;
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::tokens::TokenLife;
use jianan_kernel::{AppError, ErrorCode, Kernel};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::config::Config;
use crate::graphiql;
use crate::schema::JiananSchema;

/// Request counters for `/metrics`.
#[derive(Default)]
pub struct HttpMetrics {
    requests: AtomicU64,
    client_errors: AtomicU64,
    server_errors: AtomicU64,
    graphql_requests: AtomicU64,
    duration_micros: AtomicU64,
}

/// Shared state of the router.
#[derive(Clone)]
pub struct AppState {
    pub kernel: Arc<Kernel>,
    pub schema: JiananSchema,
    pub config: Arc<Config>,
    pub metrics: Arc<HttpMetrics>,
    pub started: Instant,
    /// Uploads (multipart requests) being received at once; more wait for none and are refused.
    pub uploads: Arc<tokio::sync::Semaphore>,
}

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The router with every layer: request id, tracing, CORS, body limit, metrics.
pub fn router(state: AppState) -> Router {
    let cfg = state.config.clone();
    // The multipart body may carry several files; JSON bodies are checked against
    // `max_body_bytes` by the handler itself. One byte above the multipart parser's own limit,
    // so that the parser, which says which limit was crossed, answers first.
    let upload_limit = usize::try_from(crate::upload::Limits::of(&cfg).whole_body())
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut app = Router::new()
        .route(
            "/graphql",
            get(graphql_get)
                .post(graphql_post)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/graphql/ws", get(graphql_ws))
        .route("/attachments/{id}", get(attachment))
        .route("/exports/{token}", get(export))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(cfg.max_body_bytes));
    if !cfg.is_production() {
        app = app
            .route("/graphiql", get(graphiql_page))
            .merge(graphiql::router());
    }
    let app = app
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .with_state(state);
    let cors = cors(&cfg.cors_origins);
    app.layer(cors)
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            // An export link's path is its credential: logged without it.
            let path = req.uri().path();
            let path = if path.starts_with("/exports/") {
                "/exports/…"
            } else {
                path
            };
            tracing::info_span!("http", method = %req.method(), path = %path, request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

fn cors(origins: &[String]) -> CorsLayer {
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([header::HeaderName::from_static("x-request-id")])
}

async fn count_requests(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let res = next.run(req).await;
    let m = &s.metrics;
    m.requests.fetch_add(1, Ordering::Relaxed);
    let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    m.duration_micros.fetch_add(micros, Ordering::Relaxed);
    if res.status().is_client_error() {
        m.client_errors.fetch_add(1, Ordering::Relaxed);
    } else if res.status().is_server_error() {
        m.server_errors.fetch_add(1, Ordering::Relaxed);
    }
    res
}

/// Which response media type the client accepts (GraphQL-over-HTTP §"Accept").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Media {
    GraphqlResponse,
    Json,
}

fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        // No Accept header: treat as application/json (the specification's legacy rule).
        return Some(Media::Json);
    };
    let types: Vec<&str> = accept
        .split(',')
        .map(|t| t.split(';').next().unwrap_or("").trim())
        .collect();
    if types.contains(&GRAPHQL_RESPONSE) {
        Some(Media::GraphqlResponse)
    } else if types
        .iter()
        .any(|t| *t == JSON || *t == "*/*" || *t == "application/*")
    {
        Some(Media::Json)
    } else {
        None
    }
}

fn error_json(code: ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] })
}

fn respond(status: StatusCode, media: Media, body: Vec<u8>) -> Response {
    let ct = match media {
        Media::GraphqlResponse => GRAPHQL_RESPONSE,
        Media::Json => JSON,
    };
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(ct))],
        body,
    )
        .into_response()
}

/// A failure before execution (unparseable body, bad token, …): no `data` entry.
fn request_failure(status: StatusCode, media: Media, code: ErrorCode, message: &str) -> Response {
    respond(
        status,
        media,
        error_json(code, message).to_string().into_bytes(),
    )
}

/// The caller of a request, from `Authorization: Bearer <token>`. A present but invalid token is
/// an error, never a silent downgrade to anonymous.
pub fn authenticate(kernel: &Kernel, authorization: Option<&str>) -> Result<Principal, AppError> {
    match authorization.map(str::trim) {
        None | Some("") => Ok(Principal::anonymous()),
        Some(v) => {
            let token = v
                .strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .ok_or_else(|| {
                    AppError::new(
                        ErrorCode::Unauthenticated,
                        "Authorization 头应为 Bearer 令牌",
                    )
                })?;
            kernel.tokens.verify(token.trim())
        }
    }
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Who is asking, with the request id and address for the audit trail.
fn request_info(
    config: &Config,
    principal: Principal,
    headers: &HeaderMap,
    addr: SocketAddr,
) -> RequestInfo {
    RequestInfo {
        principal: Arc::new(principal),
        request_id: request_id(headers),
        client_addr: Some(crate::forwarded::client_ip(config, headers, addr.ip()).to_string()),
    }
}

/// Attaches the caller and a fresh set of loaders (one per operation, never shared).
fn with_data(
    req: async_graphql::Request,
    info: &RequestInfo,
    state: &AppState,
) -> async_graphql::Request {
    req.data(info.clone()).data(Loaders::new(
        state.kernel.db.conn.clone(),
        info.principal.clone(),
    ))
}

async fn execute(
    state: &AppState,
    media: Media,
    batch: BatchRequest,
    info: RequestInfo,
) -> Response {
    state
        .metrics
        .graphql_requests
        .fetch_add(1, Ordering::Relaxed);
    let response = match batch {
        BatchRequest::Single(r) => {
            let r = with_data(r, &info, state);
            BatchResponse::Single(run(state, r).await)
        }
        BatchRequest::Batch(list) => {
            if list.len() > state.config.max_batch {
                return request_failure(
                    StatusCode::BAD_REQUEST,
                    media,
                    ErrorCode::BadUserInput,
                    &format!("批量请求最多包含{}个操作", state.config.max_batch),
                );
            }
            let mut out = Vec::with_capacity(list.len());
            for r in list {
                out.push(run(state, with_data(r, &info, state)).await);
            }
            BatchResponse::Batch(out)
        }
    };
    let (status, body) = encode(media, response);
    respond(status, media, body)
}

/// Executes one operation within `request_timeout_ms`. An operation that runs longer is
/// abandoned (its transaction, if any, rolls back unless it had committed) and answered with an
/// `INTERNAL` error naming the limit.
async fn run(state: &AppState, r: async_graphql::Request) -> async_graphql::Response {
    within(state.config.request_timeout_ms, state.schema.execute(r)).await
}

/// `fut`, or a timeout error after `ms` milliseconds (0: no limit).
pub async fn within(
    ms: u64,
    fut: impl std::future::Future<Output = async_graphql::Response>,
) -> async_graphql::Response {
    if ms == 0 {
        return fut.await;
    }
    match tokio::time::timeout(std::time::Duration::from_millis(ms), fut).await {
        Ok(r) => r,
        Err(_) => {
            let incident = AppError::internal(format!("operation exceeded {ms} ms"));
            let secs = ms as f64 / 1000.0;
            let mut e = ServerError::new(
                format!(
                    "请求执行超时（上限 {secs} 秒），请缩小查询范围后重试；{}",
                    incident.message
                ),
                None,
            );
            e.extensions
                .get_or_insert_with(Default::default)
                .set("code", ErrorCode::Internal.as_str());
            async_graphql::Response::from_errors(vec![e])
        }
    }
}

/// A request error (parse or validation, coded `BAD_USER_INPUT` by the schema's error policy):
/// errors without a path and no data.
fn is_request_error(r: &async_graphql::Response) -> bool {
    r.data == async_graphql::Value::Null
        && !r.errors.is_empty()
        && r.errors.iter().all(|e: &ServerError| {
            e.path.is_empty()
                && e.extensions.as_ref().and_then(|x| x.get("code"))
                    == Some(&async_graphql::Value::from(
                        ErrorCode::BadUserInput.as_str(),
                    ))
        })
}

/// One response as it goes on the wire. It is serialised straight from the engine's values, whose
/// objects keep the order of the selection set: going through `serde_json::Value` (a sorted map
/// without serde_json's `preserve_order`) would reorder every object's keys.
#[derive(serde::Serialize)]
struct Wire {
    /// Absent for a request error (GraphQL-over-HTTP: no `data` entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<async_graphql::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ServerError>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: std::collections::BTreeMap<String, async_graphql::Value>,
}

fn encode_one(r: async_graphql::Response) -> (bool, Wire) {
    let request_error = is_request_error(&r);
    let wire = Wire {
        data: (!request_error).then_some(r.data),
        errors: r.errors,
        extensions: r.extensions,
    };
    (request_error, wire)
}

fn encode(media: Media, response: BatchResponse) -> (StatusCode, Vec<u8>) {
    let (status, bytes) = match response {
        BatchResponse::Single(r) => {
            let (request_error, wire) = encode_one(r);
            let status = if request_error && media == Media::GraphqlResponse {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            (status, serde_json::to_vec(&wire))
        }
        BatchResponse::Batch(list) => {
            let wires: Vec<Wire> = list.into_iter().map(|r| encode_one(r).1).collect();
            (StatusCode::OK, serde_json::to_vec(&wires))
        }
    };
    match bytes {
        Ok(bytes) => (status, bytes),
        // Serialising engine values cannot fail (string keys only); should it, say so in JSON.
        Err(e) => {
            let e = AppError::internal(e);
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                error_json(e.code, &e.message).to_string().into_bytes(),
            )
        }
    }
}

async fn graphql_post(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return (
            StatusCode::NOT_ACCEPTABLE,
            "Accept 应包含 application/graphql-response+json 或 application/json",
        )
            .into_response();
    };
    let principal = match authenticate(
        &state.kernel,
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    ) {
        Ok(p) => p,
        Err(e) => return request_failure(StatusCode::UNAUTHORIZED, media, e.code, &e.message),
    };
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    // Held until the request has run, so the files it received are counted until stored.
    let mut _upload_permit = None;
    let batch = if ct.starts_with(JSON) {
        let bytes: Bytes = match axum::body::to_bytes(body, state.config.max_body_bytes).await {
            Ok(b) => b,
            Err(_) => {
                return request_failure(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    media,
                    ErrorCode::BadUserInput,
                    "请求体过大",
                );
            }
        };
        match serde_json::from_slice::<BatchRequest>(&bytes) {
            Ok(b) => b,
            Err(_) => {
                return request_failure(
                    StatusCode::BAD_REQUEST,
                    media,
                    ErrorCode::BadUserInput,
                    "请求体不是有效的 GraphQL JSON 请求",
                );
            }
        }
    } else if ct.starts_with("multipart/form-data") {
        // Files only from someone signed in (or holding a bearer grant, as a reporter does for
        // the photos of their report): refused before a byte of the body is read.
        if !principal.is_known() {
            return request_failure(
                StatusCode::UNAUTHORIZED,
                media,
                ErrorCode::Unauthenticated,
                "上传文件须先登录",
            );
        }
        // A bounded number of uploads at once (each may hold temporary files).
        let Ok(permit) = state.uploads.clone().try_acquire_owned() else {
            return request_failure(
                StatusCode::TOO_MANY_REQUESTS,
                media,
                ErrorCode::RateLimited,
                "同时上传的文件过多，请稍后重试",
            );
        };
        _upload_permit = Some(permit);
        let limits = crate::upload::Limits::of(&state.config);
        let tmp = state.config.upload_tmp_dir();
        match crate::upload::receive(&ct, body, limits, &tmp).await {
            Ok(b) => b,
            Err(refusal) => return upload_refused(media, refusal),
        }
    } else {
        return request_failure(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            ErrorCode::BadUserInput,
            "Content-Type 应为 application/json 或 multipart/form-data",
        );
    };
    execute(
        &state,
        media,
        batch,
        request_info(&state.config, principal, &headers, addr),
    )
    .await
}

/// The answer to a multipart request refused while it was received: nothing was stored.
fn upload_refused(media: Media, refusal: crate::upload::Refusal) -> Response {
    use crate::upload::Refusal;
    let (status, code, message) = match refusal {
        Refusal::TooManyFiles(n) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BadUserInput,
            format!("一次最多上传{n}个文件"),
        ),
        Refusal::FileTooLarge(limit) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BadUserInput,
            format!("文件超过大小上限（{} MB）", limit / (1024 * 1024)),
        ),
        Refusal::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BadUserInput,
            "请求体过大".to_owned(),
        ),
        Refusal::Invalid(why) => (
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            format!("无效的文件上传请求：{why}"),
        ),
        Refusal::Io(e) => {
            let e = AppError::internal(format!("spooling an upload: {e}"));
            (StatusCode::INTERNAL_SERVER_ERROR, e.code, e.message)
        }
    };
    request_failure(status, media, code, &message)
}

/// Whether the selected operation of a GET request is a query (GET must not mutate).
fn is_query_operation(req: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(doc) = async_graphql::parser::parse_query(&req.query) else {
        return true;
    };
    let ty = match (&doc.operations, req.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(map), Some(name)) => map.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(map), None) if map.len() == 1 => {
            map.values().next().map(|op| op.node.ty)
        }
        _ => None,
    };
    ty.is_none_or(|t| t == OperationType::Query)
}

async fn graphql_get(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let qs = query.unwrap_or_default();
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html && !qs.contains("query=") && !state.config.is_production() {
        return graphiql_page().await.into_response();
    }
    let Some(media) = negotiate(&headers) else {
        return (
            StatusCode::NOT_ACCEPTABLE,
            "Accept 应包含 application/graphql-response+json 或 application/json",
        )
            .into_response();
    };
    let principal = match authenticate(
        &state.kernel,
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    ) {
        Ok(p) => p,
        Err(e) => return request_failure(StatusCode::UNAUTHORIZED, media, e.code, &e.message),
    };
    let req = match async_graphql::http::parse_query_string(&qs) {
        Ok(r) => r,
        Err(_) => {
            return request_failure(
                StatusCode::BAD_REQUEST,
                media,
                ErrorCode::BadUserInput,
                "无效的 GraphQL GET 请求",
            );
        }
    };
    if !is_query_operation(&req) {
        let mut res = request_failure(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            ErrorCode::BadUserInput,
            "GET 请求只能执行查询，变更请使用 POST",
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return res;
    }
    execute(
        &state,
        media,
        BatchRequest::Single(req),
        request_info(&state.config, principal, &headers, addr),
    )
    .await
}

async fn graphiql_page() -> Html<String> {
    Html(graphiql::page("/graphql", "/graphql/ws"))
}

/// graphql-transport-ws: browsers cannot send headers on a WebSocket, so the token comes in the
/// `connection_init` payload (`{"Authorization": "Bearer …"}`, or `authorization`/`token`).
async fn graphql_ws(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let request_id = request_id(&headers);
    let client_addr = crate::forwarded::client_ip(&state.config, &headers, addr.ip()).to_string();
    // The session the connection was opened with: its account and its token's expiry.
    let session: WsSession = Arc::default();
    let watched = session.clone();
    let check = std::time::Duration::from_millis(state.config.ws_session_check_ms);
    upgrade
        // The same size limit as an HTTP request body.
        .max_message_size(state.config.max_body_bytes)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            let schema = state.schema.clone();
            let kernel = state.kernel.clone();
            let watcher = watch_session(kernel.clone(), watched, check);
            let serve = GraphQLWebSocket::new(stream, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let auth = ["Authorization", "authorization", "token"]
                        .iter()
                        .find_map(|k| payload.get(k).and_then(|v| v.as_str()))
                        .map(|v| {
                            if v.starts_with("Bearer ") || v.starts_with("bearer ") {
                                v.to_owned()
                            } else {
                                format!("Bearer {v}")
                            }
                        });
                    let (principal, exp) = match auth.as_deref() {
                        Some(a) => authenticate_until(&kernel, a),
                        None => Ok((
                            jianan_kernel::principal::Principal::anonymous(),
                            TokenLife {
                                exp: i64::MAX,
                                session: None,
                            },
                        )),
                    }
                    .map_err(async_graphql::Error::from)?;
                    if let Ok(mut s) = session.lock() {
                        *s = Some((principal.account_id, exp));
                    }
                    let principal = Arc::new(principal);
                    let mut data = Data::default();
                    data.insert(RequestInfo {
                        principal: principal.clone(),
                        request_id,
                        client_addr: Some(client_addr.clone()),
                    });
                    // Loaders come per operation (`loaders_ext`), not per connection.
                    drop(principal);
                    Ok(data)
                })
                .serve();
            async move {
                // The connection ends when the client leaves, or when its session no longer
                // stands: dropping it closes the socket and every subscription on it.
                tokio::select! {
                    _ = serve => {}
                    reason = watcher => {
                        tracing::info!(reason, "websocket closed: session ended");
                    }
                }
            }
        })
}

/// A WebSocket's session once initialised: its account and what bounds its token's life.
type WsSession = Arc<std::sync::Mutex<Option<(Option<Uuid>, TokenLife)>>>;

/// Resolves (with the reason) once the WebSocket's session no longer stands: its token has
/// expired, its sign-in was logged out or revoked (every refresh token of the family revoked),
/// or its account is archived. Checked every `every` and at the token's expiry.
async fn watch_session(
    kernel: Arc<Kernel>,
    session: WsSession,
    every: std::time::Duration,
) -> &'static str {
    loop {
        let current = session.lock().ok().and_then(|s| *s);
        let now = chrono::Utc::now().timestamp();
        let wait = match current {
            Some((_, life)) if life.exp <= now => return "token expired",
            Some((_, life)) => every.min(std::time::Duration::from_secs(
                u64::try_from(life.exp - now).unwrap_or(u64::MAX),
            )),
            None => every,
        };
        tokio::time::sleep(wait).await;
        let Some((Some(account), life)) = session.lock().ok().and_then(|s| *s) else {
            continue;
        };
        if life.exp <= chrono::Utc::now().timestamp() {
            return "token expired";
        }
        if let Some(family) = life.session {
            use jianan_entity::refresh_token;
            use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
            let live = refresh_token::Entity::find()
                .filter(refresh_token::Column::FamilyId.eq(family))
                .filter(refresh_token::Column::RevokedAt.is_null())
                .count(&kernel.db.conn)
                .await;
            if matches!(live, Ok(0)) {
                return "signed out";
            }
        }
        let archived =
            <jianan_entity::account::Entity as sea_orm::EntityTrait>::find_by_id(account)
                .one(&kernel.db.conn)
                .await
                .map(|a| a.is_none_or(|a| a.archived_at.is_some()));
        if matches!(archived, Ok(true)) {
            return "account archived";
        }
    }
}

/// Verifies a bearer `Authorization` value, with the token's expiry.
fn authenticate_until(
    kernel: &Kernel,
    authorization: &str,
) -> Result<(jianan_kernel::principal::Principal, TokenLife), AppError> {
    let token = authorization
        .trim()
        .strip_prefix("Bearer ")
        .or_else(|| authorization.trim().strip_prefix("bearer "))
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::Unauthenticated,
                "Authorization 头应为 Bearer 令牌",
            )
        })?;
    kernel.tokens.verify_until(token.trim())
}

/// An export link (`jianan_kernel::exports`): the token in the path is the authority, so a
/// browser opens it without a header; the file is made now, within the asker's scope.
async fn export(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match jianan_kernel::exports::download(&state.kernel, &token).await {
        Ok(file) => {
            let disposition = format!(
                "attachment; filename*=UTF-8''{}",
                percent_encode(&file.file_name)
            );
            let mut res = (StatusCode::OK, file.bytes).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.media_type),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            // The token must not travel on as a Referer from anything the file links to.
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            res
        }
        Err(e) => {
            let status = match e.code {
                ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
                ErrorCode::Forbidden => StatusCode::FORBIDDEN,
                ErrorCode::NotFound => StatusCode::NOT_FOUND,
                ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (
                status,
                [(header::CONTENT_TYPE, JSON)],
                error_json(e.code, &e.message).to_string(),
            )
                .into_response()
        }
    }
}

async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let fail = |status: StatusCode, e: AppError| {
        (
            status,
            [(header::CONTENT_TYPE, JSON)],
            error_json(e.code, &e.message).to_string(),
        )
            .into_response()
    };
    let principal = match authenticate(
        &state.kernel,
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    ) {
        Ok(p) if p.is_authenticated() => p,
        Ok(_) => return fail(StatusCode::UNAUTHORIZED, AppError::unauthenticated()),
        Err(e) => return fail(StatusCode::UNAUTHORIZED, e),
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return fail(StatusCode::NOT_FOUND, AppError::not_found("附件"));
    };
    let k = &state.kernel;
    let a = match jianan_kernel::graphql::readable_attachment(k, &principal, id).await {
        Ok(a) => a,
        Err(e) => return fail(StatusCode::NOT_FOUND, e),
    };
    // Streamed from the store chunk by chunk, never held whole.
    match k.attachments.read_stream(&a.sha256).await {
        Ok(stream) => {
            let disposition = format!(
                "attachment; filename*=UTF-8''{}",
                percent_encode(&a.file_name)
            );
            let mut res = (StatusCode::OK, Body::from_stream(stream)).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(a.size_bytes));
            if let Ok(v) = HeaderValue::from_str(&a.media_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            res
        }
        Err(e) => fail(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

/// RFC 5987 percent-encoding of a file name.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.kernel.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = &state.config.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("")
            .trim();
        let same = given.len() == expected.0.trim().len()
            && given
                .bytes()
                .zip(expected.0.trim().bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "metrics require a bearer token",
            )
                .into_response();
        }
    }
    let m = &state.metrics;
    let db = &state.kernel.db.stats;
    let mut out = String::new();
    let mut put = |name: &str, kind: &str, help: &str, value: String| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
        ));
    };
    put(
        "jianan_http_requests_total",
        "counter",
        "HTTP requests served.",
        m.requests.load(Ordering::Relaxed).to_string(),
    );
    put(
        "jianan_http_client_errors_total",
        "counter",
        "HTTP responses with a 4xx status.",
        m.client_errors.load(Ordering::Relaxed).to_string(),
    );
    put(
        "jianan_http_server_errors_total",
        "counter",
        "HTTP responses with a 5xx status.",
        m.server_errors.load(Ordering::Relaxed).to_string(),
    );
    put(
        "jianan_http_request_duration_seconds_sum",
        "counter",
        "Total time spent serving HTTP requests.",
        format!(
            "{:.6}",
            m.duration_micros.load(Ordering::Relaxed) as f64 / 1e6
        ),
    );
    put(
        "jianan_graphql_requests_total",
        "counter",
        "GraphQL requests executed.",
        m.graphql_requests.load(Ordering::Relaxed).to_string(),
    );
    put(
        "jianan_sql_statements_total",
        "counter",
        "SQL statements executed.",
        db.statements().to_string(),
    );
    put(
        "jianan_sql_failed_total",
        "counter",
        "SQL statements that failed.",
        db.failed().to_string(),
    );
    put(
        "jianan_uptime_seconds",
        "gauge",
        "Seconds since the server started.",
        state.started.elapsed().as_secs().to_string(),
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn an_operation_past_the_timeout_is_abandoned_with_an_internal_error() {
        let slow = async {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            async_graphql::Response::new(async_graphql::Value::from(1))
        };
        let started = Instant::now();
        let r = within(50, slow).await;
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(r.data, async_graphql::Value::Null);
        let e = &r.errors[0];
        assert!(e.message.contains("超时"), "{}", e.message);
        assert_eq!(
            e.extensions.as_ref().and_then(|x| x.get("code")),
            Some(&async_graphql::Value::from("INTERNAL"))
        );
        assert!(
            !is_request_error(&r),
            "a timeout is not the client's malformed request"
        );
        // Within the limit, and with no limit, the operation's own response comes back.
        let fast = || async { async_graphql::Response::new(async_graphql::Value::from(1)) };
        assert!(within(5_000, fast()).await.errors.is_empty());
        assert!(within(0, fast()).await.errors.is_empty());
    }

    #[test]
    fn the_wire_keeps_the_selection_sets_key_order() {
        let mut data = async_graphql::indexmap::IndexMap::new();
        data.insert(async_graphql::Name::new("b"), async_graphql::Value::from(1));
        data.insert(async_graphql::Name::new("a"), async_graphql::Value::from(2));
        let r = async_graphql::Response::new(async_graphql::Value::Object(data));
        let (_, body) = encode(Media::Json, BatchResponse::Single(r));
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"data":{"b":1,"a":2}}"#
        );
    }
}

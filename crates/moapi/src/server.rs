//! Assembles the HTTP server: both APIs, the operator API, health, docs, and the cross-cutting
//! layers (request IDs, logging without secrets, limits on the request head, timeouts and panics
//! answered in the caller's dialect, graceful shutdown), and serves it over hyper's HTTP/1.

mod head_errors;

use std::time::Duration;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderName, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hyper_util::rt::TokioIo;
use moapi_core::{AppState, Code, MoguError, Status};
use tokio::net::TcpListener;
use tower::Service;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Which error dialect a path speaks.
enum Dialect {
    Moego,
    Mogu,
}

fn dialect(path: &str) -> Dialect {
    if path.starts_with("/v1/") {
        Dialect::Moego
    } else {
        Dialect::Mogu
    }
}

/// moapi's limits on the request head, answered in the path's dialect (`head_limits`).
/// hyper's own limits sit above them (`serve_http`), so that it refuses by itself only what
/// these would refuse too.
const MAX_TARGET_BYTES: usize = 8 * 1024;
const MAX_HEADER_BYTES: usize = 64 * 1024;
const MAX_HEADER_FIELDS: usize = 100;

/// Header fields hyper makes room for; more are its own 431 (`head_errors`).
const HYPER_MAX_HEADERS: usize = 256;

pub fn router(state: AppState) -> Router {
    let request_timeout = state.config.request_timeout;
    let body_timeout = state.config.body_timeout;
    Router::new()
        .merge(moapi_moego::router())
        .merge(moapi_mogu::router())
        .nest("/admin/v1", crate::admin::router())
        .merge(crate::docs::router())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(unrouted)
        .method_not_allowed_fallback(unrouted_method)
        .layer(middleware::from_fn(moapi_core::db::one_connection_per_request))
        // Body readers answer its error with 408 in their dialect (moapi_core::wire).
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(middleware::from_fn(head_limits))
        .layer(middleware::from_fn_with_state(request_timeout, timeout_in_dialect))
        .layer(CatchPanicLayer::custom(|_| {
            Status::internal("handler panicked").into_response()
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                // Method, path and request ID only: headers and query strings may carry secrets.
                let request_id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "database not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
                .into_response()
        }
    }
}

/// No route serves the path.
async fn unrouted(method: Method, uri: Uri) -> Response {
    match dialect(uri.path()) {
        Dialect::Moego => moapi_moego::unrouted(&method, uri.path()),
        Dialect::Mogu => moapi_mogu::unrouted(&method, uri.path()),
    }
}

/// A route serves the path, with other methods. A 405 for a path the vendor's catalog does not
/// know gets the methods of its routes in `Allow` from the router.
async fn unrouted_method(method: Method, uri: Uri, route: Option<MatchedPath>) -> Response {
    let path = uri.path();
    let route = route.as_ref().map_or(path, MatchedPath::as_str);
    match dialect(path) {
        Dialect::Moego => moapi_moego::unrouted_method(&method, path, route),
        Dialect::Mogu => moapi_mogu::unrouted_method(&method, path, route),
    }
}

/// A request refused for its head, before any handler, in its path's dialect (MOGU's when no
/// path could be read): INVALID_ARGUMENT with the HTTP status of the refusal for MoeGo.
enum Refusal {
    Moego(Status),
    Mogu(MoguError),
}

impl Refusal {
    fn body_bytes(&self) -> Vec<u8> {
        match self {
            Refusal::Moego(status) => status.body_bytes(),
            Refusal::Mogu(error) => error.body_bytes(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Moego(status) => status.into_response(),
            Refusal::Mogu(error) => error.into_response(),
        }
    }
}

/// The answer for a request head refused with `status` (400, 414 or 431), by moapi's limits or
/// by hyper's parser.
fn head_refusal(status: StatusCode, path: &str) -> Refusal {
    let (field, message) = match status {
        StatusCode::URI_TOO_LONG => (
            "uri",
            format!("the request target is longer than {MAX_TARGET_BYTES} bytes"),
        ),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => (
            "headers",
            format!(
                "the request has more than {MAX_HEADER_FIELDS} header fields or more than {MAX_HEADER_BYTES} bytes of them"
            ),
        ),
        _ => ("request", "the request is not valid HTTP/1.1".to_string()),
    };
    match dialect(path) {
        Dialect::Moego => {
            Refusal::Moego(Status::invalid_argument(message).with_http_status(status))
        }
        Dialect::Mogu => Refusal::Mogu(MoguError::new(status, field, message)),
    }
}

/// moapi's limits on the request target and header fields.
async fn head_limits(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    let status = if target > MAX_TARGET_BYTES {
        StatusCode::URI_TOO_LONG
    } else {
        let headers = request.headers();
        // As on the wire: name, ": ", value, CRLF.
        let bytes: usize = headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum();
        if headers.len() > MAX_HEADER_FIELDS || bytes > MAX_HEADER_BYTES {
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        } else {
            return next.run(request).await;
        }
    };
    head_refusal(status, request.uri().path()).into_response()
}

async fn timeout_in_dialect(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => match dialect(&path) {
            Dialect::Moego => {
                Status::new(Code::DeadlineExceeded, "request timed out").into_response()
            }
            Dialect::Mogu => {
                MoguError::new(StatusCode::GATEWAY_TIMEOUT, "request", "request timed out")
                    .into_response()
            }
        },
    }
}

/// Serves until `shutdown` resolves, then finishes the requests in flight. The AI import
/// worker, the webhook engine, the membership renewal sweep and the mailer run beside the server and stop
/// with it (a job in hand is taken up again by any node once its lease expires; a renewal
/// interrupted before its commit is billed by the next sweep).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let worker = moapi_mogu::ai::worker::run(state.clone());
    let webhooks = moapi_moego::webhook::dispatch::run(state.clone());
    let renewals = moapi_moego::membership::renewal::run(state.clone());
    let mailer = moapi_moego::message::mailer::run(state.clone());
    let server = serve_http(listener, router(state), shutdown);
    tokio::select! {
        served = server => served,
        never = worker => match never {},
        never = webhooks => match never {},
        never = renewals => match never {},
        never = mailer => match never {},
    }
}

/// What `axum::serve` does, which cannot be configured: accepts connections and serves each
/// with hyper's HTTP/1, with the peer's address as `ConnectInfo` (IP-restricted keys, view
/// counting), until `shutdown`; then stops accepting and lets each connection finish its
/// request in flight. Unlike `axum::serve`, hyper has room for more header fields than moapi
/// accepts (so `head_limits` answers those), and its own bodiless error answers get the
/// dialect's body (`head_errors`).
async fn serve_http(
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    // Its read buffer (about 400 KiB) already holds more than MAX_TARGET_BYTES and
    // MAX_HEADER_BYTES together; its limit on the target (65,534 bytes) is fixed.
    http.max_headers(HYPER_MAX_HEADERS);
    // `shutdown` drops the one receiver of `stopping`, which every connection watches. As in
    // axum::serve, the signal and not the end of this future stops them: connections of a
    // server whose task is aborted live on.
    let (stopping, stop) = tokio::sync::watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        drop(stop);
    });
    // Each connection holds an `open` receiver: `finished` closes when the last one is done.
    let (finished, open) = tokio::sync::watch::channel(());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
            () = stopping.closed() => break,
        };
        let (app, http, open, stopping) =
            (app.clone(), http.clone(), open.clone(), stopping.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut request| {
                request.extensions_mut().insert(ConnectInfo(peer));
                app.clone().call(request)
            });
            let connection =
                http.serve_connection(TokioIo::new(head_errors::DialectIo::new(stream)), service);
            tokio::pin!(connection);
            let served = tokio::select! {
                served = connection.as_mut() => served,
                () = stopping.closed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = served {
                tracing::debug!(error = %err, "connection ended with an error");
            }
            drop(open);
        });
    }
    drop(listener);
    drop(open);
    finished.closed().await;
    Ok(())
}

/// As `axum::serve`: a connection the client gave up on is nobody's problem; anything else
/// (out of file descriptors) is logged and retried after a pause.
async fn accept_failed(err: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %err, "accept failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// What `serve` warns about when no `MOAPI_SECRETS_KEY` is configured and it listens beyond
/// loopback: the key sealing stored secrets then lives in the database beside them, so a copy
/// of the database (a backup) is enough to read them. That suits a sandbox on this machine, not
/// a server others reach.
pub fn secrets_key_warning(
    listening: std::net::SocketAddr,
    secrets_key_configured: bool,
) -> Option<String> {
    if secrets_key_configured || listening.ip().to_canonical().is_loopback() {
        return None;
    }
    Some(format!(
        "MOAPI_SECRETS_KEY is not set while serving on {listening}: the key sealing webhook \
         secret tokens and custom header values is kept in the database beside them, so anyone \
         with a copy of the database can read them. Set MOAPI_SECRETS_KEY (see \
         docs/webhooks.md, \"Secrets at rest\", to move existing values to it)"
    ))
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

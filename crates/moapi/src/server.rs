//! Assembles the HTTP server: both APIs, the operator API, health, docs, and the cross-cutting
//! layers (request IDs, logging without secrets, timeouts and panics answered in the caller's
//! dialect, graceful shutdown).

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderName, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use moapi_core::{AppState, Code, MoguError, Status};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
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

pub fn router(state: AppState) -> Router {
    let request_timeout = state.config.request_timeout;
    Router::new()
        .merge(moapi_moego::router())
        .merge(moapi_mogu::router())
        .nest("/admin/v1", crate::admin::router())
        .merge(crate::docs::router())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(unrouted)
        .method_not_allowed_fallback(unrouted)
        .layer(middleware::from_fn(moapi_core::db::one_connection_per_request))
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

async fn unrouted(method: Method, uri: Uri) -> Response {
    match dialect(uri.path()) {
        Dialect::Moego => moapi_moego::unrouted(&method, uri.path()),
        Dialect::Mogu => moapi_mogu::unrouted(&method, uri.path()),
    }
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
/// worker and the webhook engine run beside the server and stop with it (a job in hand is
/// taken up again by any node once its lease expires).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let worker = moapi_mogu::ai::worker::run(state.clone());
    let webhooks = moapi_moego::webhook::dispatch::run(state.clone());
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(shutdown);
    tokio::select! {
        served = server => served,
        never = worker => match never {},
        never = webhooks => match never {},
    }
}

/// What `serve` warns about when no `MOAPI_SECRETS_KEY` is configured and it listens beyond
/// loopback: the key sealing stored secrets then lives in the database beside them, so a copy
/// of the database (a backup) is enough to read them. That suits a sandbox on this machine, not
/// a server others reach.
pub fn secrets_key_warning(listening: SocketAddr, secrets_key_configured: bool) -> Option<String> {
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

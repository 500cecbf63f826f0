//! MoeGo webhooks: the delivery engine (fan-out, claiming, retries, limits), the request each
//! attempt sends, and the delivery log with its operations.

pub mod delivery;
pub mod dispatch;
pub mod send;

use axum::routing::{get, post};
use axum::Router;
use moapi_core::AppState;

/// The delivery operations, under both the singular and the plural prefix: the vendor's
/// documents use both.
pub fn delivery_router() -> Router<AppState> {
    let mut router = Router::new().route(
        "/v1/webhooks/{id}/test",
        post(delivery::trigger_test_webhook_delivery),
    );
    for prefix in ["/v1/webhook/deliveries", "/v1/webhooks/deliveries"] {
        router = router
            .route(
                &format!("{prefix}/{{id}}"),
                get(delivery::get_webhook_delivery),
            )
            .route(
                &format!("{prefix}:list"),
                post(delivery::list_webhook_deliveries),
            )
            .route(
                &format!("{prefix}/{{id}}/redeliver"),
                post(delivery::redeliver_webhook_deliveries),
            );
    }
    router
}

//! Operator endpoints for memberships: create one, subscribe a customer, cancel a
//! subscription, and run the renewal sweep now, each at the present instant.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::memberships::{
    self, CancelSubscriptionRequest, NewMembershipRequest, NewSubscriptionRequest,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/moego/companies/{company}/memberships",
            post(create_membership),
        )
        .route("/moego/companies/{company}/subscriptions", post(subscribe))
        .route(
            "/moego/subscriptions/{subscription}/cancel",
            post(cancel_subscription),
        )
        .route("/moego/memberships/renewals", post(run_renewals))
}

async fn create_membership(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewMembershipRequest>,
) -> Answer<serde_json::Value> {
    let id =
        memberships::create_membership(&state, &mut db, &company, &request, now_micros()).await?;
    created(json!({ "membershipId": id }))
}

async fn subscribe(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewSubscriptionRequest>,
) -> Answer<serde_json::Value> {
    let id = memberships::subscribe(&state, &mut db, &company, &request, now_micros()).await?;
    created(json!({ "subscriptionId": id }))
}

async fn cancel_subscription(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(subscription): Path<String>,
    Json(request): Json<CancelSubscriptionRequest>,
) -> Answer<serde_json::Value> {
    memberships::cancel_subscription(&state, &mut db, &subscription, &request, now_micros())
        .await?;
    edited(json!({ "subscriptionId": subscription }))
}

async fn run_renewals(_: OperatorToken, mut db: Conn) -> Answer<serde_json::Value> {
    let sweep = memberships::run_renewals(&mut db, now_micros()).await?;
    edited(json!({ "ordersOpened": sweep.orders_opened, "failed": sweep.failed }))
}

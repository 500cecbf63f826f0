//! Operator endpoints for orders and payments: retail-style sales, payments, refunds,
//! discounts and redeemed packages (the vendor takes these in its app and terminals), each
//! recorded now.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use serde_json::json;

use super::{created, Answer, Json, OperatorToken};
use crate::operator::orders::{
    self, NewDiscountRequest, NewPaymentRequest, NewRedeemPackageRequest, NewRefundRequest,
    NewSaleRequest,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moego/companies/{company}/orders", post(create_sale))
        .route("/moego/orders/{order}/payments", post(record_payment))
        .route("/moego/orders/{order}/discounts", post(apply_discount))
        .route(
            "/moego/orders/{order}/redeem-packages",
            post(record_redeem_package),
        )
        .route("/moego/payments/{payment}/refunds", post(refund_payment))
}

async fn create_sale(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewSaleRequest>,
) -> Answer<serde_json::Value> {
    let id = orders::create_sale(&state, &mut db, &company, &request, now_micros()).await?;
    created(json!({ "orderId": id }))
}

async fn record_payment(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(order): Path<String>,
    Json(request): Json<NewPaymentRequest>,
) -> Answer<serde_json::Value> {
    let id = orders::record_payment(&state, &mut db, &order, &request, now_micros()).await?;
    created(json!({ "paymentId": id }))
}

async fn refund_payment(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(payment): Path<String>,
    Json(request): Json<NewRefundRequest>,
) -> Answer<serde_json::Value> {
    let id = orders::refund_payment(&state, &mut db, &payment, &request, now_micros()).await?;
    created(json!({ "refundId": id }))
}

async fn apply_discount(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(order): Path<String>,
    Json(request): Json<NewDiscountRequest>,
) -> Answer<serde_json::Value> {
    let id = orders::apply_discount(&state, &mut db, &order, &request, now_micros()).await?;
    created(json!({ "discountId": id }))
}

async fn record_redeem_package(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(order): Path<String>,
    Json(request): Json<NewRedeemPackageRequest>,
) -> Answer<serde_json::Value> {
    let id = orders::record_redeem_package(&state, &mut db, &order, &request, now_micros()).await?;
    created(json!({ "redeemPackageId": id }))
}

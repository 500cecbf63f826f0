//! Operator endpoints for a business's package catalog and products: create them and change a
//! product's stock, each recorded now. Sales of them and package redemptions are the orders'
//! verbs (`admin/orders.rs`).

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::retail::{
    self, NewProductRequest, NewRetailPackageRequest, StockChangeRequest,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/moego/businesses/{business}/packages",
            post(create_package),
        )
        .route(
            "/moego/businesses/{business}/products",
            post(create_product),
        )
        .route("/moego/products/{product}/stock", post(change_stock))
}

async fn create_package(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
    Json(request): Json<NewRetailPackageRequest>,
) -> Answer<serde_json::Value> {
    let id = retail::create_package(&state, &mut db, &business, &request, now_micros()).await?;
    created(json!({ "packageId": id }))
}

async fn create_product(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
    Json(request): Json<NewProductRequest>,
) -> Answer<serde_json::Value> {
    let id = retail::create_product(&state, &mut db, &business, &request, now_micros()).await?;
    created(json!({ "productId": id }))
}

async fn change_stock(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(product): Path<String>,
    Json(request): Json<StockChangeRequest>,
) -> Answer<serde_json::Value> {
    let stock = retail::change_stock(&state, &mut db, &product, &request, now_micros()).await?;
    edited(json!({ "stock": stock }))
}

//! Operator endpoints for discount codes: create one in any stored status, move it between
//! ACTIVE, INACTIVE and ARCHIVED, delete it.

use axum::extract::{Path, State};
use axum::routing::{delete, post, put};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use moapi_moego::discount::wire::Discount;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::discounts::{self, CodeStatusRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moego/companies/{company}/discounts", post(create_code))
        .route(
            "/moego/companies/{company}/discounts/{code}/status",
            put(set_status),
        )
        .route(
            "/moego/companies/{company}/discounts/{code}",
            delete(delete_code),
        )
}

async fn create_code(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(discount): Json<Discount>,
) -> Answer<Discount> {
    let code = discounts::create_code(&state, &mut db, &company, &discount, now_micros()).await?;
    created(code)
}

async fn set_status(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, code)): Path<(String, String)>,
    Json(request): Json<CodeStatusRequest>,
) -> Answer<serde_json::Value> {
    discounts::set_status(&state, &mut db, &company, &code, &request).await?;
    edited(json!({ "code": code, "status": request.status.name() }))
}

async fn delete_code(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, code)): Path<(String, String)>,
) -> Answer<serde_json::Value> {
    discounts::delete_code(&state, &mut db, &company, &code).await?;
    edited(json!({ "deleted": code }))
}

//! Operator endpoints for vans: create one at a business, edit or delete it, and assign its
//! staff from a date on, each recorded now.

use axum::extract::{Path, State};
use axum::routing::{post, put};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::vans::{self, Assignment, AssignmentRequest, VanRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moego/businesses/{business}/vans", post(create_van))
        .route("/moego/vans/{van}", put(edit_van).delete(delete_van))
        .route("/moego/vans/{van}/assignments/{date}", put(assign_staff))
}

async fn create_van(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
    Json(request): Json<VanRequest>,
) -> Answer<serde_json::Value> {
    let id = vans::create_van(&state, &mut db, &business, &request, now_micros()).await?;
    created(json!({ "vanId": id }))
}

async fn edit_van(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(van): Path<String>,
    Json(request): Json<VanRequest>,
) -> Answer<serde_json::Value> {
    let id = vans::edit_van(&state, &mut db, &van, &request, now_micros()).await?;
    edited(json!({ "vanId": id }))
}

async fn delete_van(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(van): Path<String>,
) -> Answer<serde_json::Value> {
    vans::delete_van(&state, &mut db, &van, now_micros()).await?;
    edited(json!({ "deleted": van }))
}

async fn assign_staff(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((van, date)): Path<(String, String)>,
    Json(request): Json<AssignmentRequest>,
) -> Answer<Assignment> {
    let assignment =
        vans::assign_staff(&state, &mut db, &van, &date, &request, now_micros()).await?;
    edited(assignment)
}

//! Operator endpoints for appointments: the soft delete and recording grooming reports.

use axum::extract::{Path, State};
use axum::routing::{delete, post};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::AppState;
use moapi_moego::appointment::wire::GroomingReport;
use serde_json::json;

use super::{created, Answer, Json, OperatorToken};
use crate::operator::appointments::{self, NewGroomingReportRequest};
use crate::operator::OperatorError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moego/appointments/{id}", delete(delete_appointment))
        .route(
            "/moego/appointments/{id}/grooming-reports",
            post(record_grooming_report),
        )
}

/// Answers the APPOINTMENT_DELETED payload shape: `{"id","isDeleted":true}`.
async fn delete_appointment(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, OperatorError> {
    let id = appointments::delete_appointment(&state, &mut db, &id).await?;
    Ok(Json(json!({ "id": id, "isDeleted": true })))
}

async fn record_grooming_report(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Json(request): Json<NewGroomingReportRequest>,
) -> Answer<GroomingReport> {
    created(appointments::record_grooming_report(&state, &mut db, &id, &request).await?)
}

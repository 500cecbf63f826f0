//! Operator endpoints for agreements: create one for a company, edit or delete it, and read
//! its records with their signatures.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::agreements::{self, AgreementRecord, AgreementRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/moego/companies/{company}/agreements",
            post(create_agreement),
        )
        .route(
            "/moego/agreements/{agreement}",
            put(edit_agreement).delete(delete_agreement),
        )
        .route(
            "/moego/agreements/{agreement}/records",
            get(agreement_records),
        )
}

async fn create_agreement(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<AgreementRequest>,
) -> Answer<serde_json::Value> {
    let id =
        agreements::create_agreement(&state, &mut db, &company, &request, now_micros()).await?;
    created(json!({ "agreementId": id }))
}

async fn edit_agreement(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(agreement): Path<String>,
    Json(request): Json<AgreementRequest>,
) -> Answer<serde_json::Value> {
    let id =
        agreements::edit_agreement(&state, &mut db, &agreement, &request, now_micros()).await?;
    edited(json!({ "agreementId": id }))
}

async fn delete_agreement(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(agreement): Path<String>,
) -> Answer<serde_json::Value> {
    agreements::delete_agreement(&state, &mut db, &agreement, now_micros()).await?;
    edited(json!({ "deleted": agreement }))
}

async fn agreement_records(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(agreement): Path<String>,
) -> Answer<serde_json::Value> {
    let records: Vec<AgreementRecord> =
        agreements::agreement_records(&state, &mut db, &agreement).await?;
    edited(json!({ "records": records }))
}

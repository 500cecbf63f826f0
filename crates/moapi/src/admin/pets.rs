//! Operator endpoints for pets and leads: company pet codes and lead settings, and the soft
//! delete of a pet.

use axum::extract::{Path, State};
use axum::routing::{delete, post, put};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::AppState;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::pets::{self, NewLeadSettingRequest, NewPetCodeRequest};
use crate::operator::OperatorError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/moego/companies/{company}/pet-codes",
            post(create_pet_code),
        )
        .route(
            "/moego/companies/{company}/lead-life-cycles",
            post(create_lead_life_cycle),
        )
        .route(
            "/moego/companies/{company}/lead-action-statuses",
            post(create_lead_action_status),
        )
        .route(
            "/moego/companies/{company}/pet-codes/{entry}",
            put(replace_pet_code),
        )
        .route(
            "/moego/companies/{company}/lead-life-cycles/{entry}",
            put(replace_lead_life_cycle),
        )
        .route(
            "/moego/companies/{company}/lead-action-statuses/{entry}",
            put(replace_lead_action_status),
        )
        .route("/moego/customers/{id}/pets/{pet}", delete(delete_pet))
}

async fn replace_pet_code(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, entry)): Path<(String, String)>,
    Json(request): Json<NewPetCodeRequest>,
) -> Answer<serde_json::Value> {
    pets::replace_pet_code(&state, &mut db, &company, &entry, &request).await?;
    edited(json!({ "petCodeId": entry }))
}

async fn replace_lead_life_cycle(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, entry)): Path<(String, String)>,
    Json(request): Json<NewLeadSettingRequest>,
) -> Answer<serde_json::Value> {
    pets::replace_lead_life_cycle(&state, &mut db, &company, &entry, &request).await?;
    edited(json!({ "lifeCycleId": entry }))
}

async fn replace_lead_action_status(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, entry)): Path<(String, String)>,
    Json(request): Json<NewLeadSettingRequest>,
) -> Answer<serde_json::Value> {
    pets::replace_lead_action_status(&state, &mut db, &company, &entry, &request).await?;
    edited(json!({ "actionStatusId": entry }))
}

async fn create_pet_code(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewPetCodeRequest>,
) -> Answer<serde_json::Value> {
    let id = pets::create_pet_code(&state, &mut db, &company, &request).await?;
    created(json!({ "petCodeId": id }))
}

async fn create_lead_life_cycle(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewLeadSettingRequest>,
) -> Answer<serde_json::Value> {
    let id = pets::create_lead_life_cycle(&state, &mut db, &company, &request).await?;
    created(json!({ "lifeCycleId": id }))
}

async fn create_lead_action_status(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewLeadSettingRequest>,
) -> Answer<serde_json::Value> {
    let id = pets::create_lead_action_status(&state, &mut db, &company, &request).await?;
    created(json!({ "actionStatusId": id }))
}

/// Answers the vendor's PET_DELETED payload shape: `{"id","deleted":true}`.
async fn delete_pet(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((customer, pet)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, OperatorError> {
    let id = pets::delete_pet(&state, &mut db, &customer, &pet).await?;
    Ok(Json(json!({ "id": id, "deleted": true })))
}

//! Operator endpoints for booking settings: services, lodging types with their units, each
//! business's currency, tax and working hours, and closed dates.

use axum::extract::{Path, State};
use axum::routing::{delete, post, put};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::AppState;
use serde_json::json;

use super::{created, Answer, Json, OperatorToken};
use crate::operator::booking_settings::{
    self as settings, BusinessSettings, BusinessSettingsRequest, CreatedLodgingType,
    NewClosedDateRequest, NewLodgingTypeRequest, NewServiceRequest,
};
use crate::operator::OperatorError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moego/companies/{company}/services", post(create_service))
        .route(
            "/moego/businesses/{business}/booking-settings",
            put(put_business_settings),
        )
        .route(
            "/moego/businesses/{business}/closed-dates",
            post(add_closed_date),
        )
        .route("/moego/closed-dates/{id}", delete(delete_closed_date))
        .route(
            "/moego/businesses/{business}/lodging-types",
            post(create_lodging_type),
        )
}

async fn create_service(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewServiceRequest>,
) -> Answer<serde_json::Value> {
    let id = settings::create_service(&state, &mut db, &company, &request).await?;
    created(json!({ "serviceId": id }))
}

async fn put_business_settings(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
    Json(request): Json<BusinessSettingsRequest>,
) -> Result<Json<BusinessSettings>, OperatorError> {
    Ok(Json(
        settings::put_business_settings(&state, &mut db, &business, &request).await?,
    ))
}

async fn add_closed_date(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
    Json(request): Json<NewClosedDateRequest>,
) -> Answer<serde_json::Value> {
    let id = settings::add_closed_date(&state, &mut db, &business, &request).await?;
    created(json!({ "closedDateId": id }))
}

async fn delete_closed_date(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, OperatorError> {
    let id = settings::delete_closed_date(&state, &mut db, &id).await?;
    Ok(Json(json!({ "id": id, "deleted": true })))
}

async fn create_lodging_type(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
    Json(request): Json<NewLodgingTypeRequest>,
) -> Answer<CreatedLodgingType> {
    created(settings::create_lodging_type(&state, &mut db, &business, &request).await?)
}

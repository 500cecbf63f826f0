//! `PATCH /trips/{tripId}/visibility`: makes a trip public (its page is served) or private.
//! The same flag is `isPublic` on the trip, which `PATCH /trips/{tripId}` also sets.

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::routing::patch;
use axum::{Json, Router};
use moapi_core::auth::MoguPrincipal;
use moapi_core::db::Conn;
use moapi_core::wire::MoguJson;
use moapi_core::{AppState, MoguError};
use serde::Deserialize;
use utoipa::ToSchema;

use super::config::store::touch_trip;
use super::wire::{BodyField, Trip, ValidationErrors};
use super::{find_trip, path_trip_id, trip_not_found};

pub fn router() -> Router<AppState> {
    Router::new().route("/trips/{tripId}/visibility", patch(set_trip_visibility))
}

/// The body of `PATCH /trips/{tripId}/visibility` and `PATCH /catalogs/{catalogId}/visibility`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisibilityRequest {
    #[serde(default)]
    #[schema(value_type = bool, required = true)]
    pub is_public: BodyField<bool>,
}

#[utoipa::path(
    patch,
    path = "/trips/{tripId}/visibility",
    tag = "trips",
    operation_id = "setTripVisibility",
    description = "Make a trip public (its page is served) or private. Answers the updated trip.",
    params(("tripId" = i64, Path, description = "Unique identifier of the trip", example = 12345)),
    request_body = VisibilityRequest,
    responses(
        (status = 200, description = "Updated trip", body = Trip),
        (status = 400, description = "isPublic is missing or not a boolean", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such trip in the caller's account", body = ValidationErrors),
    )
)]
pub async fn set_trip_visibility(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    MoguJson(request): MoguJson<VisibilityRequest>,
) -> Result<Json<Trip>, MoguError> {
    let trip_id = path_trip_id(path)?;
    let is_public = match request.is_public {
        BodyField::Value(is_public) => is_public,
        BodyField::Absent => return Err(MoguError::invalid("isPublic", "isPublic is required")),
        BodyField::Null | BodyField::Invalid => {
            return Err(MoguError::invalid("isPublic", "must be true or false"))
        }
    };
    let conn = db.get().await?;
    touch_trip(conn, trip_id, Some(principal.account_id), Some(is_public))
        .await?
        .ok_or_else(trip_not_found)?;
    let trip = find_trip(conn, principal.account_id, trip_id).await?;
    Ok(Json(trip.into()))
}

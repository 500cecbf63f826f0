//! Operator endpoint for abandoned bookings: marking one CONTACTED, recorded now.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use moapi_moego::online_booking::wire::AbandonedBooking;
use serde::Deserialize;

use super::{edited, Answer, Json, OperatorToken};
use crate::operator::abandoned_bookings;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/moego/abandoned_bookings/{id}/contacted",
        post(mark_contacted),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ContactedRequest {
    #[serde(default)]
    note: String,
}

async fn mark_contacted(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Json(request): Json<ContactedRequest>,
) -> Answer<AbandonedBooking> {
    let booking =
        abandoned_bookings::mark_contacted(&state, &mut db, &id, &request.note, now_micros())
            .await?;
    edited(booking)
}

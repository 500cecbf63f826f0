//! Operator endpoints for reviews: the review link of a FINISHED appointment, and importing a
//! review that came through one of the vendor's channels, recorded now.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use moapi_moego::review::wire::Review;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::reviews::{self, ImportReviewRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/moego/appointments/{appointment}/review_link",
            post(review_link),
        )
        .route(
            "/moego/appointments/{appointment}/reviews",
            post(import_review),
        )
}

async fn review_link(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(appointment): Path<String>,
) -> Answer<serde_json::Value> {
    let url = reviews::review_link(&state, &mut db, &appointment).await?;
    edited(json!({ "reviewUrl": url }))
}

async fn import_review(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(appointment): Path<String>,
    Json(request): Json<ImportReviewRequest>,
) -> Answer<Review> {
    created(reviews::import_review(&state, &mut db, &appointment, &request, now_micros()).await?)
}

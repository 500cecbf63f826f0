//! Operator endpoint for messages: a company's sandbox outbox.

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::AppState;
use serde::Deserialize;
use serde_json::json;

use super::{edited, Answer, OperatorToken};
use crate::operator::messages;

pub fn router() -> Router<AppState> {
    Router::new().route("/moego/companies/{company}/messages", get(outbox))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OutboxQuery {
    customer_id: Option<String>,
    limit: Option<i64>,
}

async fn outbox(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Query(query): Query<OutboxQuery>,
) -> Answer<serde_json::Value> {
    let messages = messages::outbox(
        &state,
        &mut db,
        &company,
        query.customer_id.as_deref(),
        query.limit,
    )
    .await?;
    edited(json!({ "messages": messages }))
}

//! The event outbox: a write the vendor announces as a webhook event appends the event in the
//! same transaction, so an event exists exactly when its change was committed. Delivery reads
//! the table later.

use sqlx::AnyConnection;

use crate::db;
use crate::time::now_micros;

pub struct NewEvent<'a> {
    pub product: &'a str,
    /// The tenant the event belongs to (a MoeGo company, a MOGU account).
    pub tenant_id: i64,
    pub event_type: &'a str,
    /// The complete body receivers will get.
    pub payload: &'a serde_json::Value,
}

/// Appends an event inside the caller's transaction and returns its ID.
pub async fn append(conn: &mut AnyConnection, event: NewEvent<'_>) -> Result<String, sqlx::Error> {
    Ok(append_all(conn, &[event]).await?.remove(0))
}

/// Appends events (one multi-row statement) inside the caller's transaction and returns their
/// IDs: the payload's `id` where it has one, a new UUID otherwise.
pub async fn append_all(
    conn: &mut AnyConnection,
    events: &[NewEvent<'_>],
) -> Result<Vec<String>, sqlx::Error> {
    let now = now_micros();
    let event_ids: Vec<String> = events
        .iter()
        .map(|event| {
            event
                .payload
                .get("id")
                .and_then(|id| id.as_str())
                .map(str::to_string)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
        })
        .collect();
    let rows = events
        .iter()
        .zip(&event_ids)
        .map(|(event, event_id)| {
            vec![
                event_id.as_str().into(),
                event.product.into(),
                event.tenant_id.into(),
                event.event_type.into(),
                event.payload.to_string().into(),
                now.into(),
            ]
        })
        .collect();
    db::insert_rows(
        conn,
        "outbox_events",
        &[
            "event_id",
            "product",
            "tenant_id",
            "event_type",
            "payload",
            "created_at",
        ],
        rows,
    )
    .await?;
    Ok(event_ids)
}

/// Number of events waiting in the outbox for a tenant (used by tests and diagnostics).
pub async fn count_for_tenant(
    conn: &mut AnyConnection,
    product: &str,
    tenant_id: i64,
) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox_events WHERE product = $1 AND tenant_id = $2")
            .bind(product)
            .bind(tenant_id)
            .fetch_one(conn)
            .await?;
    Ok(count)
}

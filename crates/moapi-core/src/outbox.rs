//! The event outbox: a write the vendor announces as a webhook event appends the event in the
//! same transaction, so an event exists exactly when its change was committed. Delivery reads
//! the table later.

use sqlx::AnyConnection;

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
    let event_id = event
        .payload
        .get("id")
        .and_then(|id| id.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    sqlx::query(
        "INSERT INTO outbox_events (event_id, product, tenant_id, event_type, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&event_id)
    .bind(event.product)
    .bind(event.tenant_id)
    .bind(event.event_type)
    .bind(event.payload.to_string())
    .bind(now_micros())
    .execute(conn)
    .await?;
    Ok(event_id)
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

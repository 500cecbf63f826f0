//! Message threads (one per customer) and their messages, in SQL; the mailer's claims.

use sqlx::AnyConnection;

/// Where a message is: kept in the sandbox outbox, waiting for the mailer, sent, or failed.
pub const SANDBOX: &str = "SANDBOX";
pub const PENDING: &str = "PENDING";
pub const SENT: &str = "SENT";
pub const FAILED: &str = "FAILED";

/// A message to write; its thread is the customer's.
pub struct NewMessage<'a> {
    pub company_id: i64,
    pub customer_id: i64,
    pub method: &'a str,
    pub message_type: &'a str,
    pub body: &'a str,
    pub recipient: &'a str,
    pub delivery: &'static str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub thread_id: i64,
    pub customer_id: i64,
    pub company_id: i64,
    pub method: String,
    pub message_type: String,
    pub body: String,
    pub recipient: String,
    pub delivery: String,
    pub attempts: i64,
    pub last_error: String,
    pub sent_at: Option<i64>,
    pub created_at: i64,
}

const MESSAGE_COLUMNS: &str = "m.id, m.thread_id, t.customer_id, t.company_id, m.method, \
    m.message_type, m.body, m.recipient, m.delivery, m.attempts, m.last_error, m.sent_at, \
    m.created_at";

/// Appends a message to the customer's thread (made on its first message) at `at`; answers
/// (thread, message). The thread's upsert is the lock that keeps one customer's messages in
/// order across nodes.
pub async fn append(
    conn: &mut AnyConnection,
    message: &NewMessage<'_>,
    at: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let (thread_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_message_threads (company_id, customer_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) \
         ON CONFLICT (customer_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
    )
    .bind(message.company_id)
    .bind(message.customer_id)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    let (message_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_messages (thread_id, method, message_type, body, recipient, \
         delivery, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         RETURNING id",
    )
    .bind(thread_id)
    .bind(message.method)
    .bind(message.message_type)
    .bind(message.body)
    .bind(message.recipient)
    .bind(message.delivery)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok((thread_id, message_id))
}

/// The thread's company and customer.
pub async fn thread(
    conn: &mut AnyConnection,
    thread_id: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT company_id, customer_id FROM moego_message_threads WHERE id = $1")
        .bind(thread_id)
        .fetch_optional(conn)
        .await
}

/// A thread's messages, oldest first.
pub async fn messages_of_thread(
    conn: &mut AnyConnection,
    thread_id: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM moego_messages m \
         JOIN moego_message_threads t ON t.id = m.thread_id WHERE m.thread_id = $1 ORDER BY m.id"
    ))
    .bind(thread_id)
    .fetch_all(conn)
    .await
}

/// A company's messages, newest first, of one customer when given (the operator's outbox).
pub async fn outbox(
    conn: &mut AnyConnection,
    company_id: i64,
    customer_id: Option<i64>,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM moego_messages m \
         JOIN moego_message_threads t ON t.id = m.thread_id \
         WHERE t.company_id = $1 AND ($2 = 0 OR t.customer_id = $2) \
         ORDER BY m.id DESC LIMIT $3"
    ))
    .bind(company_id)
    .bind(customer_id.unwrap_or(0))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// PENDING messages due by `now` and not claimed by a live mailer, oldest first.
pub async fn due(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM moego_messages m \
         JOIN moego_message_threads t ON t.id = m.thread_id \
         WHERE m.delivery = 'PENDING' AND m.next_attempt_at <= $1 AND m.claimed_until <= $1 \
         ORDER BY m.next_attempt_at, m.id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Claims a PENDING message until `until` if no live claim holds it: true for the one mailer
/// that gets it.
pub async fn claim(
    conn: &mut AnyConnection,
    message_id: i64,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE moego_messages SET claimed_until = $3 \
         WHERE id = $1 AND delivery = 'PENDING' AND claimed_until <= $2",
    )
    .bind(message_id)
    .bind(now)
    .bind(until)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Records an attempt: SENT at `now`, or failed with `error`, due again at `retry_at` (or
/// FAILED for good when `None`).
pub async fn record_attempt(
    conn: &mut AnyConnection,
    message_id: i64,
    now: i64,
    outcome: Result<(), (&str, Option<i64>)>,
) -> Result<(), sqlx::Error> {
    let (delivery, error, next_attempt_at, sent_at) = match outcome {
        Ok(()) => (SENT, "", now, Some(now)),
        Err((error, Some(retry_at))) => (PENDING, error, retry_at, None),
        Err((error, None)) => (FAILED, error, now, None),
    };
    sqlx::query(
        "UPDATE moego_messages SET delivery = $2, last_error = $3, next_attempt_at = $4, \
         sent_at = $5, attempts = attempts + 1, claimed_until = 0 WHERE id = $1",
    )
    .bind(message_id)
    .bind(delivery)
    .bind(error)
    .bind(next_attempt_at)
    .bind(sent_at)
    .execute(conn)
    .await?;
    Ok(())
}

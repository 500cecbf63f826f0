//! Custom header values carry receiver credentials (docs/webhooks.md tells users to put them
//! there), so they are kept sealed at rest like the secret token: a webhook's `headers` and
//! every delivery log's `request_headers` hold the `SecretBox`-sealed JSON map. The API answers
//! them opened, as the vendor does, and the delivery engine opens them to send.
//!
//! Rows written before this were stored with the JSON in clear, and a migration cannot seal
//! them (the key is not in SQL's reach). Both remedies are used, for different reasons: reads
//! accept either form (a sealed value starts with `SecretBox`'s prefix, JSON never does), so a
//! row a node of the previous version writes during a rolling upgrade still works; and each
//! node seals the clear rows once at start-up ([`seal_clear_rows`]), because reading both forms
//! alone would leave existing receivers' credentials in clear for as long as their webhooks
//! live. Sealing is a conditional UPDATE (the row still holds the clear text read), so nodes
//! starting together seal each row once and never seal a sealed value again.
//!
//! [`reseal`] moves every sealed value (secret tokens too) under a new key, for
//! `moapi secrets rotate`.

use std::borrow::Cow;

use moapi_core::db::Conn;
use moapi_core::secret_box::{SecretBox, Unreadable, SEALED_PREFIX};
use moapi_core::time::now_micros;
use moapi_core::AppState;
use sqlx::AnyConnection;

use super::wire::Headers;

/// The columns holding custom header values: (table, column).
const HEADER_COLUMNS: [(&str, &str); 2] = [
    ("moego_webhooks", "headers"),
    ("moego_webhook_deliveries", "request_headers"),
];
/// Set once a node has sealed every clear row: later starts skip the scan of the delivery log.
const SEALED_SETTING: &str = "webhook_headers_sealed";
const BATCH: i64 = 500;

/// A header map's stored form.
pub fn seal(secrets: &SecretBox, headers: &Headers) -> String {
    secrets.seal(&serde_json::to_string(headers).unwrap_or_default())
}

/// A stored header map's JSON text: opened when sealed, as is when written in clear before
/// header values were sealed.
fn json_text<'a>(secrets: &SecretBox, stored: &'a str) -> Result<Cow<'a, str>, Unreadable> {
    if SecretBox::is_sealed(stored) {
        secrets.open(stored).map(Cow::Owned)
    } else {
        Ok(Cow::Borrowed(stored))
    }
}

/// A stored header map, sealed or (written before sealing) in clear. `Unreadable` when it was
/// sealed under another key.
pub fn open(secrets: &SecretBox, stored: &str) -> Result<Headers, Unreadable> {
    Ok(serde_json::from_str(&json_text(secrets, stored)?).unwrap_or_default())
}

/// `stored` in the sealed form: itself when sealed already, else the clear JSON sealed.
pub fn sealed_form(secrets: &SecretBox, stored: &str) -> String {
    if SecretBox::is_sealed(stored) {
        stored.to_string()
    } else {
        secrets.seal(stored)
    }
}

/// Seals the header columns' rows still in clear; returns how many it sealed. Runs once per
/// database (a setting records that it finished); see the module's comment for why it is safe
/// on several nodes at once.
pub async fn seal_clear_rows(state: &AppState) -> Result<u64, sqlx::Error> {
    let mut db = state.db.conn();
    let done: Option<(String,)> =
        sqlx::query_as("SELECT value FROM deployment_settings WHERE name = $1")
            .bind(SEALED_SETTING)
            .fetch_optional(db.get().await?)
            .await?;
    if done.is_some() {
        return Ok(0);
    }
    let mut sealed = 0;
    for (table, column) in HEADER_COLUMNS {
        sealed += seal_clear_column(state, &mut db, table, column).await?;
    }
    sqlx::query(
        "INSERT INTO deployment_settings (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(SEALED_SETTING)
    .bind(now_micros().to_string())
    .execute(db.get().await?)
    .await?;
    Ok(sealed)
}

async fn seal_clear_column(
    state: &AppState,
    db: &mut Conn,
    table: &str,
    column: &str,
) -> Result<u64, sqlx::Error> {
    let mut sealed = 0;
    let mut after = 0;
    loop {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, {column} FROM {table} WHERE id > $1 AND {column} NOT LIKE $2 \
             ORDER BY id LIMIT $3"
        ))
        .bind(after)
        .bind(format!("{SEALED_PREFIX}%"))
        .bind(BATCH)
        .fetch_all(db.get().await?)
        .await?;
        let Some((last, _)) = rows.last() else {
            return Ok(sealed);
        };
        after = *last;
        let _gate = db.write_gate().await;
        let mut tx = db.begin().await?;
        for (id, clear) in &rows {
            // Only if the row still holds what was read: another node may have sealed it.
            sealed += sqlx::query(&format!(
                "UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3"
            ))
            .bind(state.secrets.seal(clear))
            .bind(*id)
            .bind(clear)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
    }
}

/// What [`reseal`] moved under the new key.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Resealed {
    pub secret_tokens: u64,
    pub webhook_headers: u64,
    pub delivery_headers: u64,
}

#[derive(Debug)]
pub enum ResealError {
    Database(sqlx::Error),
    /// A value that opens with neither key: what it is, named without its content.
    Unreadable(String),
}

impl std::fmt::Display for ResealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResealError::Database(err) => write!(f, "{err}"),
            ResealError::Unreadable(what) => write!(
                f,
                "{what} opens with neither the current secrets key nor the new one; nothing was changed"
            ),
        }
    }
}

impl std::error::Error for ResealError {}

impl From<sqlx::Error> for ResealError {
    fn from(err: sqlx::Error) -> Self {
        ResealError::Database(err)
    }
}

/// A stored value's clear text: sealed under `from`, or already under `to` (a rotation run
/// again after an interruption, or for values a node still on the old key wrote meanwhile), or
/// clear JSON when `clear_allowed` (headers written before sealing).
fn clear_text(
    from: &SecretBox,
    to: &SecretBox,
    stored: &str,
    clear_allowed: bool,
    what: impl FnOnce() -> String,
) -> Result<String, ResealError> {
    if !SecretBox::is_sealed(stored) && clear_allowed {
        return Ok(stored.to_string());
    }
    from.open(stored)
        .or_else(|_| to.open(stored))
        .map_err(|_| ResealError::Unreadable(what()))
}

/// Re-seals every webhook secret token and every header map (webhooks and delivery logs) under
/// `to`, in one transaction: all of them move, or none when one opens with neither key.
pub async fn reseal(
    conn: &mut AnyConnection,
    from: &SecretBox,
    to: &SecretBox,
) -> Result<Resealed, ResealError> {
    let mut tx = sqlx::Connection::begin(conn).await?;
    let mut done = Resealed::default();
    let mut after = 0;
    loop {
        let rows: Vec<(i64, Option<String>, String)> = sqlx::query_as(
            "SELECT id, secret_sealed, headers FROM moego_webhooks WHERE id > $1 \
             ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let Some((last, ..)) = rows.last() else {
            break;
        };
        after = *last;
        for (id, secret, headers) in rows {
            let secret = match secret {
                Some(sealed) => {
                    done.secret_tokens += 1;
                    let clear = clear_text(from, to, &sealed, false, || {
                        format!("the secret token of webhook {id}")
                    })?;
                    Some(to.seal(&clear))
                }
                None => None,
            };
            let headers = clear_text(from, to, &headers, true, || {
                format!("the headers of webhook {id}")
            })?;
            sqlx::query("UPDATE moego_webhooks SET secret_sealed = $1, headers = $2 WHERE id = $3")
                .bind(secret)
                .bind(to.seal(&headers))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            done.webhook_headers += 1;
        }
    }
    let mut after = 0;
    loop {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, request_headers FROM moego_webhook_deliveries WHERE id > $1 \
             ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let Some((last, _)) = rows.last() else {
            break;
        };
        after = *last;
        for (id, headers) in rows {
            let headers = clear_text(from, to, &headers, true, || {
                format!("the request headers of webhook delivery log {id}")
            })?;
            sqlx::query("UPDATE moego_webhook_deliveries SET request_headers = $1 WHERE id = $2")
                .bind(to.seal(&headers))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            done.delivery_headers += 1;
        }
    }
    tx.commit().await?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::wire::HeaderValues;

    #[test]
    fn headers_open_from_either_form_and_only_under_their_key() {
        let secrets = SecretBox::new(b"one");
        let headers = Headers::from([(
            "X-Api-Key".to_string(),
            HeaderValues {
                values: vec!["receiver-key".into()],
            },
        )]);
        let stored = seal(&secrets, &headers);
        assert!(!stored.contains("receiver-key"), "{stored}");
        assert_eq!(open(&secrets, &stored), Ok(headers.clone()));
        let clear = r#"{"X-Api-Key":{"values":["receiver-key"]}}"#;
        assert_eq!(open(&secrets, clear), Ok(headers.clone()));
        assert_eq!(open(&SecretBox::new(b"two"), &stored), Err(Unreadable));
        assert_eq!(sealed_form(&secrets, &stored), stored);
        assert_eq!(
            open(&secrets, &sealed_form(&secrets, clear)),
            Ok(headers.clone())
        );
    }
}

//! Storage of webhook subscriptions (`moego_webhooks`, migration 0013). The delivery engine
//! reads the same columns with its own SQL, so their meaning is fixed: `organizations` is a
//! JSON list of `{"id": raw ID, "type": "COMPANY"|"BUSINESS"}`, `event_types` a JSON list of
//! names, `headers` the SecretBox-sealed JSON `{"Name":{"values":[...]}}` (in clear in rows
//! written before header values were sealed: see `sealed`), `secret_sealed` the
//! SecretBox-sealed secret token.

use moapi_core::secret_box::SecretBox;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{IdCodec, IdKind, Status};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::sealed;
use super::wire::{Organization, Webhook, CONTENT_TYPE_JSON};

/// An organization as stored: the raw ID and its `v1OrganizationType` name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOrganization {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebhookRow {
    pub id: i64,
    pub client_id: i64,
    pub endpoint_url: String,
    pub organizations: String,
    pub event_types: String,
    pub secret_sealed: Option<String>,
    pub is_active: i64,
    pub verify_ssl: i64,
    pub headers: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A webhook's writable fields, validated; the secret and the headers already sealed.
#[derive(Debug, Clone)]
pub struct WebhookValues {
    pub endpoint_url: String,
    pub organizations: Vec<StoredOrganization>,
    pub event_types: Vec<String>,
    pub secret_sealed: Option<String>,
    pub is_active: bool,
    pub verify_ssl: bool,
    /// The custom headers' JSON map, sealed (`sealed::seal`).
    pub headers_sealed: String,
}

impl WebhookRow {
    pub fn organizations(&self) -> Vec<StoredOrganization> {
        serde_json::from_str(&self.organizations).unwrap_or_default()
    }

    pub fn event_types(&self) -> Vec<String> {
        serde_json::from_str(&self.event_types).unwrap_or_default()
    }

    /// The stored fields as the input rules know them (the base of a replace). Headers a row
    /// still holds in clear are sealed, so that a replace stores them sealed.
    pub fn values(&self, secrets: &SecretBox) -> WebhookValues {
        WebhookValues {
            endpoint_url: self.endpoint_url.clone(),
            organizations: self.organizations(),
            event_types: self.event_types(),
            secret_sealed: self.secret_sealed.clone(),
            is_active: self.is_active != 0,
            verify_ssl: self.verify_ssl != 0,
            headers_sealed: sealed::sealed_form(secrets, &self.headers),
        }
    }

    /// The API's view, with the secret and the headers opened (the vendor returns both).
    pub fn to_wire(&self, ids: &IdCodec, secrets: &SecretBox) -> Result<Webhook, Status> {
        let unreadable = |what: &str| {
            Status::internal(format!(
                "the {what} of webhook {} does not open with the configured secrets key",
                self.id
            ))
        };
        let secret_token = match &self.secret_sealed {
            Some(sealed) => secrets.open(sealed).map_err(|_| unreadable("secret"))?,
            None => String::new(),
        };
        let headers = sealed::open(secrets, &self.headers).map_err(|_| unreadable("headers"))?;
        Ok(Webhook {
            id: ids.encode(IdKind::Webhook, self.id),
            organizations: self
                .organizations()
                .iter()
                .map(|organization| Organization {
                    id: ids.encode(
                        if organization.kind == super::input::BUSINESS {
                            IdKind::Business
                        } else {
                            IdKind::Company
                        },
                        organization.id,
                    ),
                    kind: Some(organization.kind.clone()),
                })
                .collect(),
            event_types: self.event_types(),
            endpoint_url: self.endpoint_url.clone(),
            secret_token,
            content_type: CONTENT_TYPE_JSON.to_string(),
            is_active: self.is_active != 0,
            verify_ssl: self.verify_ssl != 0,
            headers,
            created_time: protojson_timestamp(self.created_at),
            updated_time: protojson_timestamp(self.updated_at),
        })
    }
}

const COLUMNS: &str = "id, client_id, endpoint_url, organizations, event_types, secret_sealed, \
     is_active, verify_ssl, headers, created_at, updated_at";

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<WebhookRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_webhooks WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Every webhook of a client, by ID: at most [`super::input::MAX_WEBHOOKS_PER_CLIENT`].
pub async fn list_of_client(
    conn: &mut AnyConnection,
    client_id: i64,
) -> Result<Vec<WebhookRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_webhooks WHERE client_id = $1 ORDER BY id"
    ))
    .bind(client_id)
    .fetch_all(conn)
    .await
}

/// Serialises webhook writes of one client until the transaction ends (the row lock on
/// PostgreSQL, the write lock on SQLite), so that the count and URL checks that follow hold
/// when the insert commits. It must be the transaction's first statement (see
/// `pet::begin_write`).
pub async fn lock_client(conn: &mut AnyConnection, client_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE moego_clients SET name = name WHERE id = $1")
        .bind(client_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count_of_client(conn: &mut AnyConnection, client_id: i64) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM moego_webhooks WHERE client_id = $1")
            .bind(client_id)
            .fetch_one(conn)
            .await?;
    Ok(count)
}

/// Whether another webhook of the client already delivers to `url`.
pub async fn url_taken(
    conn: &mut AnyConnection,
    client_id: i64,
    url: &str,
    except_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM moego_webhooks WHERE client_id = $1 AND endpoint_url = $2 AND id <> $3",
    )
    .bind(client_id)
    .bind(url)
    .bind(except_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub async fn insert(
    conn: &mut AnyConnection,
    client_id: i64,
    values: &WebhookValues,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_webhooks (client_id, endpoint_url, organizations, event_types, \
         secret_sealed, content_type, is_active, verify_ssl, headers, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(client_id)
    .bind(&values.endpoint_url)
    .bind(json(&values.organizations))
    .bind(json(&values.event_types))
    .bind(values.secret_sealed.as_deref())
    .bind(CONTENT_TYPE_JSON)
    .bind(i64::from(values.is_active))
    .bind(i64::from(values.verify_ssl))
    .bind(&values.headers_sealed)
    .bind(now_micros())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Replaces a webhook's writable fields; false when it no longer exists.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    values: &WebhookValues,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE moego_webhooks SET endpoint_url = $2, organizations = $3, event_types = $4, \
         secret_sealed = $5, is_active = $6, verify_ssl = $7, headers = $8, updated_at = $9 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(&values.endpoint_url)
    .bind(json(&values.organizations))
    .bind(json(&values.event_types))
    .bind(values.secret_sealed.as_deref())
    .bind(i64::from(values.is_active))
    .bind(i64::from(values.verify_ssl))
    .bind(&values.headers_sealed)
    .bind(now_micros())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a webhook; false when it was already gone.
pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM moego_webhooks WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|err| err.is_unique_violation())
}

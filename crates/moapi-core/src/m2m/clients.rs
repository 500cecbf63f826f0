//! Storage of M2M clients: their hashed secrets, scopes, the accounts they may act in (their
//! grant) and the external identity (`azp`) an identity provider's tokens carry for them.

use sqlx::{AnyConnection, Connection};
use subtle::ConstantTimeEq;

use crate::auth::{hash_secret, new_secret};
use crate::time::now_micros;

const CLIENT_SECRET_PREFIX: &str = "m2m_";

pub struct NewClient<'a> {
    pub name: &'a str,
    pub scopes: &'a [String],
    pub account_ids: &'a [i64],
    /// The client's ID at an external identity provider (Auth0's `azp`), when it has one.
    pub external_id: Option<&'a str>,
}

pub struct CreatedClient {
    pub client_id: String,
    pub client_secret: String,
}

/// An active client as a request needs it.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub scopes: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct ClientRow {
    id: String,
    secret_hash: String,
    scopes: String,
}

impl From<ClientRow> for Client {
    fn from(row: ClientRow) -> Self {
        Client {
            id: row.id,
            scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
        }
    }
}

fn new_client_id() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
    bs58::encode(bytes).into_string()
}

/// Creates a client and its grant in one transaction; the secret exists only in the answer.
pub async fn create_client(
    conn: &mut AnyConnection,
    client: &NewClient<'_>,
) -> Result<CreatedClient, sqlx::Error> {
    let client_id = new_client_id();
    let client_secret = new_secret(CLIENT_SECRET_PREFIX);
    let mut tx = conn.begin().await?;
    sqlx::query(
        "INSERT INTO mogu_m2m_clients (id, name, secret_hash, scopes, external_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&client_id)
    .bind(client.name)
    .bind(hash_secret(&client_secret))
    .bind(serde_json::to_string(client.scopes).unwrap_or_else(|_| "[]".into()))
    .bind(client.external_id)
    .bind(now_micros())
    .execute(&mut *tx)
    .await?;
    for account_id in client.account_ids {
        sqlx::query("INSERT INTO mogu_m2m_grants (client_id, account_id) VALUES ($1, $2)")
            .bind(&client_id)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(CreatedClient {
        client_id,
        client_secret,
    })
}

const ACTIVE_CLIENT: &str =
    "SELECT id, secret_hash, scopes FROM mogu_m2m_clients WHERE revoked_at IS NULL AND ";

/// The active client `client_id` when `secret` is its secret (compared in constant time).
pub async fn authenticate(
    conn: &mut AnyConnection,
    client_id: &str,
    secret: &str,
) -> Result<Option<Client>, sqlx::Error> {
    let row: Option<ClientRow> = sqlx::query_as(&format!("{ACTIVE_CLIENT}id = $1"))
        .bind(client_id)
        .fetch_optional(&mut *conn)
        .await?;
    let hash = hash_secret(secret);
    Ok(row
        .filter(|row| bool::from(row.secret_hash.as_bytes().ct_eq(hash.as_bytes())))
        .map(Client::from))
}

/// The active client with this ID (moapi's own tokens name it), or this external ID.
pub async fn find_active(
    conn: &mut AnyConnection,
    id: &str,
    by_external_id: bool,
) -> Result<Option<Client>, sqlx::Error> {
    let column = if by_external_id { "external_id" } else { "id" };
    let row: Option<ClientRow> = sqlx::query_as(&format!("{ACTIVE_CLIENT}{column} = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(Client::from))
}

/// The agent with `email` (stored lower case) when its account lies in the client's grant and,
/// if one is named, is `account_id`. One query whatever fails, so no branch takes longer.
pub async fn resolve_agent(
    conn: &mut AnyConnection,
    client_id: &str,
    email: &str,
    account_id: Option<i64>,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.account_id FROM mogu_agents a \
         JOIN mogu_m2m_grants g ON g.account_id = a.account_id AND g.client_id = $1 \
         WHERE a.email = $2 AND ($3 < 0 OR a.account_id = $3)",
    )
    .bind(client_id)
    .bind(email.trim().to_lowercase())
    .bind(account_id.unwrap_or(-1))
    .fetch_optional(&mut *conn)
    .await
}

/// A client as the operator lists it (never its secret).
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub client_id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub account_ids: Vec<i64>,
    pub external_id: Option<String>,
    pub created_at: String,
    pub revoked: bool,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    scopes: String,
    external_id: Option<String>,
    created_at: i64,
    revoked_at: Option<i64>,
}

pub async fn list_clients(conn: &mut AnyConnection) -> Result<Vec<ClientSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, name, scopes, external_id, created_at, revoked_at \
         FROM mogu_m2m_clients ORDER BY created_at, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let grants: Vec<(String, i64)> = sqlx::query_as(
        "SELECT client_id, account_id FROM mogu_m2m_grants ORDER BY client_id, account_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ClientSummary {
            account_ids: grants
                .iter()
                .filter(|(client, _)| *client == row.id)
                .map(|(_, account)| *account)
                .collect(),
            client_id: row.id,
            name: row.name,
            scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
            external_id: row.external_id,
            created_at: crate::time::iso_millis(row.created_at),
            revoked: row.revoked_at.is_some(),
        })
        .collect())
}

/// Revokes a client: its token requests and live tokens fail at once, on every node. `false`
/// when no active client has that ID.
pub async fn revoke_client(conn: &mut AnyConnection, client_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE mogu_m2m_clients SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
    )
    .bind(now_micros())
    .bind(client_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

//! API keys of both products. Secrets are shown once and stored only as SHA-256 hashes; a
//! request's key is found by its hash, so neither the lookup nor the comparison leaks the
//! secret through timing. Each node remembers the keys it found for a moment ([`KeyCache`]): a
//! revoked key fails on its next request on the node that revoked it, and within
//! [`KEY_CHECK_TTL`] on every other.
//!
//! MoeGo: `Authorization: Basic base64(secret)`, tolerating a bare base64 value and a raw
//! secret after `Basic ` as clients in the wild send. MOGU: `Authorization: Bearer ak_...`, or
//! an M2M access token with `x-on-behalf-of` (`crate::m2m`).

mod cache;

use sqlx::AnyConnection;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ipnet::IpNet;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{Code, MoguError, Status};
use crate::time::now_micros;
use crate::AppState;
use cache::KnownKey;
pub use cache::{KeyCache, KEY_CHECK_TTL};

const MOEGO_SECRET_PREFIX: &str = "mgk_";
const MOGU_SECRET_PREFIX: &str = "ak_";

pub(crate) fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", bs58::encode(bytes).into_string())
}

pub(crate) fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The value a MoeGo client puts in its `Authorization` header.
pub fn moego_authorization(secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(secret))
}

/// What a MoeGo key may reach, besides its owner's boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoegoRestriction {
    /// Organization restriction to one company: the company and all its businesses.
    Company(i64),
    /// Organization restriction to some businesses of one company.
    Businesses {
        company_id: i64,
        business_ids: Vec<i64>,
    },
    /// Server restriction: every company of the owner, from these networks only.
    AllowedIps(Vec<IpNet>),
}

pub struct NewMoegoKey {
    pub name: String,
    pub client_id: i64,
    pub restriction: MoegoRestriction,
    pub scopes: Vec<String>,
}

pub struct CreatedKey {
    pub id: String,
    pub secret: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySummary {
    pub id: String,
    pub product: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub allowed_ips: Vec<String>,
    pub created_at: String,
    pub revoked: bool,
}

/// One `api_keys` row as written; lists are JSON text.
#[derive(Default)]
struct KeyColumns<'a> {
    product: &'a str,
    name: &'a str,
    moego_client_id: Option<i64>,
    moego_company_id: Option<i64>,
    moego_business_ids: Vec<i64>,
    allowed_ips: Vec<String>,
    scopes: &'a [String],
    mogu_agent_id: Option<i64>,
}

fn json_list<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

async fn insert_key(
    conn: &mut AnyConnection,
    key: KeyColumns<'_>,
    secret_prefix: &str,
) -> Result<CreatedKey, sqlx::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let secret = new_secret(secret_prefix);
    sqlx::query(
        "INSERT INTO api_keys (id, product, name, secret_hash, moego_client_id, moego_company_id, \
         moego_business_ids, allowed_ips, scopes, mogu_agent_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(key.product)
    .bind(key.name)
    .bind(hash_secret(&secret))
    .bind(key.moego_client_id)
    .bind(key.moego_company_id)
    .bind(json_list(&key.moego_business_ids))
    .bind(json_list(&key.allowed_ips))
    .bind(json_list(key.scopes))
    .bind(key.mogu_agent_id)
    .bind(now_micros())
    .execute(&mut *conn)
    .await?;
    Ok(CreatedKey { id, secret })
}

pub async fn create_moego_key(
    conn: &mut AnyConnection,
    key: &NewMoegoKey,
) -> Result<CreatedKey, sqlx::Error> {
    let (company_id, business_ids, allowed_ips) = match &key.restriction {
        MoegoRestriction::Company(company) => (Some(*company), Vec::new(), Vec::new()),
        MoegoRestriction::Businesses {
            company_id,
            business_ids,
        } => (Some(*company_id), business_ids.clone(), Vec::new()),
        MoegoRestriction::AllowedIps(nets) => (
            None,
            Vec::new(),
            nets.iter().map(IpNet::to_string).collect(),
        ),
    };
    let columns = KeyColumns {
        product: "moego",
        name: &key.name,
        moego_client_id: Some(key.client_id),
        moego_company_id: company_id,
        moego_business_ids: business_ids,
        allowed_ips,
        scopes: &key.scopes,
        mogu_agent_id: None,
    };
    insert_key(conn, columns, MOEGO_SECRET_PREFIX).await
}

pub async fn create_mogu_key(
    conn: &mut AnyConnection,
    name: &str,
    agent_id: i64,
) -> Result<CreatedKey, sqlx::Error> {
    let columns = KeyColumns {
        product: "mogu",
        name,
        mogu_agent_id: Some(agent_id),
        ..KeyColumns::default()
    };
    insert_key(conn, columns, MOGU_SECRET_PREFIX).await
}

#[derive(sqlx::FromRow)]
struct KeyListRow {
    id: String,
    product: String,
    name: String,
    scopes: String,
    allowed_ips: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

pub async fn list_keys(conn: &mut AnyConnection) -> Result<Vec<KeySummary>, sqlx::Error> {
    let rows: Vec<KeyListRow> = sqlx::query_as(
        "SELECT id, product, name, scopes, allowed_ips, created_at, revoked_at \
         FROM api_keys ORDER BY created_at, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| KeySummary {
            id: row.id,
            product: row.product,
            name: row.name,
            scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
            allowed_ips: serde_json::from_str(&row.allowed_ips).unwrap_or_default(),
            created_at: crate::time::protojson_timestamp(row.created_at),
            revoked: row.revoked_at.is_some(),
        })
        .collect())
}

/// Revokes a key; `false` when no active key has that ID. `keys` (this node's) forgets it at
/// once; other nodes refuse it within [`KEY_CHECK_TTL`].
pub async fn revoke_key(
    conn: &mut AnyConnection,
    keys: &KeyCache,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_micros())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    keys.forget(id);
    Ok(done.rows_affected() == 1)
}

/// A stored key as a lookup reads it.
trait KeyRow: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin {
    /// The statement finding the active key of one product by `$1`, its secret's hash.
    const LOOKUP: &'static str;
    fn secret_hash(&self) -> &str;
    fn known(self) -> KnownKey;
}

/// The active key whose secret is one of `candidates`: from this node's [`KeyCache`] when a
/// lookup found it within [`KEY_CHECK_TTL`], else from the database (and then remembered).
async fn find_key<T: KeyRow>(
    state: &AppState,
    candidates: &[String],
) -> Result<Option<KnownKey>, sqlx::Error> {
    let hashes: Vec<String> = candidates.iter().map(|c| hash_secret(c)).collect();
    if let Some(known) = hashes.iter().find_map(|hash| state.keys.get(hash)) {
        return Ok(Some(known));
    }
    let lookup_began = Instant::now();
    let mut db = state.db.conn();
    let conn = db.get().await?;
    for hash in hashes {
        let found: Option<T> = sqlx::query_as(T::LOOKUP)
            .bind(&hash)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(row) = found {
            if bool::from(row.secret_hash().as_bytes().ct_eq(hash.as_bytes())) {
                let known = row.known();
                state.keys.remember(hash, known.clone(), lookup_began);
                return Ok(Some(known));
            }
        }
    }
    Ok(None)
}

/// The caller of a MoeGo request, as its key describes it.
#[derive(Debug, Clone)]
pub struct MoegoPrincipal {
    pub key_id: String,
    /// The API client (the vendor's "organization owner") that owns the key.
    pub client_id: i64,
    pub restriction: MoegoRestriction,
    pub scopes: Vec<String>,
}

/// The owner chain of a company, as access checks need it.
#[derive(Debug, Clone, Copy)]
pub struct CompanyOwner {
    pub company_id: i64,
    pub client_id: i64,
}

impl MoegoPrincipal {
    pub fn allows_company(&self, company: CompanyOwner) -> bool {
        company.client_id == self.client_id
            && match &self.restriction {
                MoegoRestriction::Company(id) => *id == company.company_id,
                MoegoRestriction::Businesses { company_id, .. } => {
                    *company_id == company.company_id
                }
                MoegoRestriction::AllowedIps(_) => true,
            }
    }

    pub fn allows_business(&self, company: CompanyOwner, business_id: i64) -> bool {
        self.allows_company(company)
            && match &self.restriction {
                MoegoRestriction::Businesses { business_ids, .. } => {
                    business_ids.contains(&business_id)
                }
                _ => true,
            }
    }

    /// The businesses a key is limited to, when it is limited to some.
    pub fn business_subset(&self) -> Option<&[i64]> {
        match &self.restriction {
            MoegoRestriction::Businesses { business_ids, .. } => Some(business_ids),
            _ => None,
        }
    }

    /// A key with scopes may only call operations needing one of them; no scopes means all.
    pub fn require_scope(&self, scope: &str) -> Result<(), Status> {
        if self.scopes.is_empty() || self.scopes.iter().any(|s| s == scope) {
            Ok(())
        } else {
            Err(Status::new(
                Code::PermissionDenied,
                format!("the API key lacks the scope {scope}"),
            ))
        }
    }
}

#[derive(sqlx::FromRow)]
struct MoegoKeyRow {
    id: String,
    secret_hash: String,
    moego_client_id: i64,
    moego_company_id: Option<i64>,
    moego_business_ids: String,
    allowed_ips: String,
    scopes: String,
}

impl KeyRow for MoegoKeyRow {
    const LOOKUP: &'static str =
        "SELECT id, secret_hash, moego_client_id, moego_company_id, moego_business_ids, \
         allowed_ips, scopes FROM api_keys WHERE secret_hash = $1 AND product = 'moego' \
         AND revoked_at IS NULL AND moego_client_id IS NOT NULL";

    fn secret_hash(&self) -> &str {
        &self.secret_hash
    }

    fn known(self) -> KnownKey {
        let allowed_ips: Vec<IpNet> = serde_json::from_str(&self.allowed_ips).unwrap_or_default();
        let business_ids: Vec<i64> =
            serde_json::from_str(&self.moego_business_ids).unwrap_or_default();
        let restriction = match self.moego_company_id {
            None => MoegoRestriction::AllowedIps(allowed_ips),
            Some(company_id) if business_ids.is_empty() => MoegoRestriction::Company(company_id),
            Some(company_id) => MoegoRestriction::Businesses {
                company_id,
                business_ids,
            },
        };
        KnownKey::Moego(MoegoPrincipal {
            key_id: self.id,
            client_id: self.moego_client_id,
            restriction,
            scopes: serde_json::from_str(&self.scopes).unwrap_or_default(),
        })
    }
}

fn strip_scheme<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let head = value.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| value[scheme.len()..].trim_start())
}

/// The secrets a MoeGo `Authorization` value may carry, most likely first.
fn moego_candidates(header: &str) -> Vec<String> {
    let value = header.trim();
    let value = strip_scheme(value, "Basic ").unwrap_or(value).trim();
    let mut candidates = Vec::with_capacity(2);
    if let Some(decoded) = STANDARD
        .decode(value)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
    {
        // RFC 7617 clients send `secret:` (an empty password); the vendor's form has no colon.
        let decoded = decoded.trim();
        candidates.push(decoded.strip_suffix(':').unwrap_or(decoded).to_string());
    }
    candidates.push(value.to_string());
    candidates.retain(|c| c.starts_with(MOEGO_SECRET_PREFIX));
    candidates
}

fn peer_ip(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

impl FromRequestParts<AppState> for MoegoPrincipal {
    type Rejection = Status;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Status> {
        let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
            return Err(Status::unauthenticated("no authorization found in headers"));
        };
        let header = header.to_str().unwrap_or_default();
        let candidates = moego_candidates(header);
        let Some(KnownKey::Moego(principal)) = find_key::<MoegoKeyRow>(state, &candidates).await?
        else {
            return Err(Status::unauthenticated("invalid or revoked API key"));
        };
        state
            .rate_limits
            .check(&principal.key_id)
            .map_err(Status::rate_limited)?;
        if let MoegoRestriction::AllowedIps(nets) = &principal.restriction {
            let allowed = nets.is_empty()
                || peer_ip(parts).is_some_and(|ip| nets.iter().any(|net| net.contains(&ip)));
            if !allowed {
                return Err(Status::new(
                    Code::PermissionDenied,
                    "the API key is not allowed from this IP address",
                ));
            }
        }
        Ok(principal)
    }
}

/// The caller of a MOGU request: the agent its key belongs to, and the agent's account. An M2M
/// client acting on behalf of an agent is that agent here (see `crate::m2m`).
#[derive(Debug, Clone)]
pub struct MoguPrincipal {
    /// The API key's ID, or `m2m:<clientId>` for an M2M client.
    pub key_id: String,
    pub agent_id: i64,
    pub account_id: i64,
}

#[derive(sqlx::FromRow)]
struct MoguKeyRow {
    id: String,
    secret_hash: String,
    agent_id: i64,
    account_id: i64,
}

impl KeyRow for MoguKeyRow {
    const LOOKUP: &'static str = "SELECT k.id, k.secret_hash, a.id AS agent_id, a.account_id \
         FROM api_keys k JOIN mogu_agents a ON a.id = k.mogu_agent_id \
         WHERE k.secret_hash = $1 AND k.product = 'mogu' AND k.revoked_at IS NULL";

    fn secret_hash(&self) -> &str {
        &self.secret_hash
    }

    fn known(self) -> KnownKey {
        KnownKey::Mogu(MoguPrincipal {
            key_id: self.id,
            agent_id: self.agent_id,
            account_id: self.account_id,
        })
    }
}

impl FromRequestParts<AppState> for MoguPrincipal {
    type Rejection = MoguError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, MoguError> {
        let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
            return Err(MoguError::unauthorized("API key is required"));
        };
        let header = header.to_str().unwrap_or_default().trim();
        let token = strip_scheme(header, "Bearer ").unwrap_or(header).trim();
        if !token.starts_with(MOGU_SECRET_PREFIX) {
            if crate::m2m::looks_like_jwt(token) {
                return crate::m2m::principal(parts, state, token).await;
            }
            return Err(MoguError::unauthorized("invalid API key"));
        }
        let Some(KnownKey::Mogu(principal)) =
            find_key::<MoguKeyRow>(state, &[token.to_string()]).await?
        else {
            return Err(MoguError::unauthorized("invalid API key"));
        };
        state
            .rate_limits
            .check(&principal.key_id)
            .map_err(MoguError::rate_limited)?;
        Ok(principal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moego_header_forms_all_yield_the_secret() {
        let secret = new_secret(MOEGO_SECRET_PREFIX);
        let encoded = STANDARD.encode(&secret);
        let with_colon = STANDARD.encode(format!("{secret}:"));
        for header in [
            format!("Basic {encoded}"),
            format!("basic {encoded}"),
            encoded.clone(),
            format!("Basic {secret}"),
            format!("Basic {with_colon}"),
        ] {
            assert!(moego_candidates(&header).contains(&secret), "{header}");
        }
        assert!(moego_candidates("Basic bm90LWEta2V5").is_empty());
    }
}

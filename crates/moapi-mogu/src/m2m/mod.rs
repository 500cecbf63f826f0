//! MOGU M2M on the API side: `POST /oauth/token` (OAuth 2.0 client_credentials) issues moapi's
//! short-lived access tokens, and [`require_operation_scope`] tells the core's `MoguPrincipal`
//! which scope the operation being served needs, from the reference catalog, so every MOGU
//! handler is scope-checked without knowing about M2M. Token checks and the `x-on-behalf-of`
//! resolution live in `moapi_core::m2m`.

pub mod wire;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use moapi_core::error::body_timeout_message;
use moapi_core::m2m::{clients, RequiredScope};
use moapi_core::route_catalog::{lookup, Lookup};
use moapi_core::wire::body_timed_out;
use moapi_core::AppState;

use self::wire::{OAuthError, TokenRequest, TokenResponse};
use crate::reference;

/// Every scope an M2M client may hold. The reference documents the trips ones; the catalog ones
/// follow its `m2mOnBehalfOf` requirements.
pub const SCOPES: &[&str] = &[
    "read:trips",
    "create:trips",
    "update:trips",
    "delete:trips",
    "read:catalogs",
    "create:catalogs",
    "update:catalogs",
    "delete:catalogs",
];

/// The scope an operation of the reference needs; `None` for public operations. The two AI
/// operations list no M2M scope in the reference; they create a trip, so they need
/// `create:trips` (docs/compatibility.md).
pub fn scope_of(operation_id: &str) -> Option<&'static str> {
    Some(match operation_id {
        "getTrips" | "getTripById" | "getTripConfig" | "getTripVisualizations" => "read:trips",
        "createTrip" | "createTripFromDocument" | "cancelJob" => "create:trips",
        "updateTrip" | "updateTripConfig" | "setTripVisibility" => "update:trips",
        "deleteTrip" => "delete:trips",
        "getCatalogs" | "getCatalogById" | "getCatalogTrips" => "read:catalogs",
        "createCatalog" => "create:catalogs",
        "updateCatalog"
        | "addTripsToCatalog"
        | "removeTripsFromCatalog"
        | "setCatalogVisibility" => "update:catalogs",
        "deleteCatalog" => "delete:catalogs",
        _ => return None,
    })
}

/// Declares the `m2mOnBehalfOf` scheme of the OpenAPI document: moapi's own token endpoint and
/// the scopes.
pub struct M2mScheme;

impl utoipa::Modify for M2mScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ClientCredentials, Flow, OAuth2, Scopes, SecurityScheme};
        let scopes = Scopes::from_iter(SCOPES.iter().map(|scope| (*scope, *scope)));
        let flow = Flow::ClientCredentials(ClientCredentials::new("/oauth/token", scopes));
        let description = "An OAuth client_credentials access token (`Authorization: Bearer \
                           <token>`) with `x-on-behalf-of: <email>` or `<email>,<accountId>` \
                           naming the agent the client acts for.";
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "m2mOnBehalfOf",
                SecurityScheme::OAuth2(OAuth2::with_description([flow], description)),
            );
    }
}

/// Marks a request with the scope its reference operation needs (see `RequiredScope`).
pub async fn require_operation_scope(mut request: Request, next: Next) -> Response {
    if let Lookup::Found(operation) = lookup(
        reference::OPERATIONS,
        request.method().as_str(),
        request.uri().path(),
    ) {
        if let Some(scope) = scope_of(operation.operation_id) {
            request.extensions_mut().insert(RequiredScope(scope));
        }
    }
    next.run(request).await
}

pub fn router() -> Router<AppState> {
    Router::new().route("/oauth/token", post(issue_token))
}

/// `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1), when sent.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or_default().trim();
    let encoded = value
        .get(..6)
        .filter(|scheme| scheme.eq_ignore_ascii_case("basic "))
        .map(|_| value[6..].trim())
        .ok_or_else(OAuthError::invalid_client)?;
    let decoded = STANDARD
        .decode(encoded)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(OAuthError::invalid_client)?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(OAuthError::invalid_client)?;
    Ok(Some((id.to_string(), secret.to_string())))
}

/// Reads the body as a form (`application/x-www-form-urlencoded`, the RFC's encoding) or as a
/// JSON object (what Auth0's examples send); without a Content-Type, a body starting with `{`
/// is JSON.
fn token_request(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, OAuthError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let json = content_type.contains("json")
        || (content_type.is_empty() && body.trim_ascii_start().starts_with(b"{"));
    if json {
        serde_json::from_slice(body).map_err(|err| {
            OAuthError::invalid_request(format!("the body is not a valid token request: {err}"))
        })
    } else {
        serde_urlencoded::from_bytes(body).map_err(|err| {
            OAuthError::invalid_request(format!("the form is not a valid token request: {err}"))
        })
    }
}

/// The scopes the token will carry: those asked for, each of which the client must hold, or
/// all of the client's.
fn granted_scopes(requested: Option<&str>, held: &[String]) -> Result<Vec<String>, OAuthError> {
    let requested: Vec<&str> = requested.unwrap_or_default().split_whitespace().collect();
    if requested.is_empty() {
        return Ok(held.to_vec());
    }
    let mut granted: Vec<String> = Vec::with_capacity(requested.len());
    for scope in requested {
        if !held.iter().any(|held| held == scope) {
            return Err(OAuthError::invalid_scope(format!(
                "the client does not hold the scope {scope}"
            )));
        }
        if !granted.iter().any(|g| g == scope) {
            granted.push(scope.to_string());
        }
    }
    Ok(granted)
}

async fn issue_token(
    State(state): State<AppState>,
    request: Request,
) -> Result<TokenResponse, OAuthError> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, state.config.body_limit_bytes)
        .await
        .map_err(|err| {
            if body_timed_out(&err) {
                OAuthError::request_timeout(body_timeout_message(state.config.body_timeout))
            } else {
                OAuthError::invalid_request("the body is too large or unreadable")
            }
        })?;
    let request = token_request(&parts.headers, &body)?;
    match request.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(other) => return Err(OAuthError::unsupported_grant_type(other)),
        None => return Err(OAuthError::invalid_request("grant_type is required")),
    }
    // One authentication method per request (RFC 6749 §2.3); a body client_id that repeats
    // the Basic one is tolerated.
    let (client_id, secret) = match (basic_credentials(&parts.headers)?, request.client_secret) {
        (Some(_), Some(_)) => {
            return Err(OAuthError::invalid_request(
                "send the client credentials either in the Authorization header or in the body",
            ))
        }
        (Some((id, secret)), None) => {
            if request
                .client_id
                .as_ref()
                .is_some_and(|body_id| *body_id != id)
            {
                return Err(OAuthError::invalid_request(
                    "client_id differs from the Authorization header's",
                ));
            }
            (id, secret)
        }
        (None, Some(secret)) => (
            request.client_id.ok_or_else(OAuthError::invalid_client)?,
            secret,
        ),
        (None, None) => return Err(OAuthError::invalid_client()),
    };
    if let Some(audience) = request.audience.as_deref() {
        if audience != state.m2m.audience() {
            return Err(OAuthError::invalid_target(audience));
        }
    }
    // No client's ID or secret holds a NUL, which PostgreSQL could not even compare.
    if client_id.contains('\0') || secret.contains('\0') {
        return Err(OAuthError::invalid_client());
    }
    let mut db = state.db.conn();
    let authenticated = match db.get().await {
        Ok(conn) => clients::authenticate(conn, &client_id, &secret).await,
        Err(err) => Err(err),
    };
    let client = authenticated
        .map_err(|err| {
            tracing::error!(error = %err, "token request failed");
            OAuthError::server_error()
        })?
        .ok_or_else(OAuthError::invalid_client)?;
    let scopes = granted_scopes(request.scope.as_deref(), &client.scopes)?;
    let issued_at = unix_seconds();
    let token = state
        .m2m
        .issue(&client.id, &scopes, issued_at)
        .map_err(|err| {
            tracing::error!(error = %err, "token signing failed");
            OAuthError::server_error()
        })?;
    Ok(TokenResponse {
        access_token: token.access_token,
        token_type: "Bearer",
        expires_in: token.expires_in,
        scope: scopes.join(" "),
    })
}

fn unix_seconds() -> i64 {
    moapi_core::time::now_micros() / 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_narrow_to_what_the_client_holds() {
        let held = vec!["read:trips".to_string(), "update:trips".to_string()];
        assert_eq!(granted_scopes(None, &held).unwrap(), held);
        assert_eq!(granted_scopes(Some("  "), &held).unwrap(), held);
        assert_eq!(
            granted_scopes(Some("read:trips read:trips"), &held).unwrap(),
            ["read:trips"]
        );
        assert!(granted_scopes(Some("read:trips delete:trips"), &held).is_err());
    }

    #[test]
    fn every_scope_needed_is_a_known_scope() {
        for operation in reference::OPERATIONS {
            if let Some(scope) = scope_of(operation.operation_id) {
                assert!(SCOPES.contains(&scope), "{}", operation.operation_id);
            }
        }
    }
}

//! Wire types several MoeGo resources share (google.type.*) and the protojson rule that
//! default values are left out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `google.type.TimeZone`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
#[schema(as = typeTimeZone)]
pub struct TimeZone {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
}

/// `google.type.LatLng`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[schema(as = typeLatLng)]
pub struct LatLng {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub latitude: f64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub longitude: f64,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

pub fn is_false(value: &bool) -> bool {
    !*value
}

/// A resource ID from the URL path. One that does not even decode as text is as malformed as
/// a tampered one, so it gets the vendor's "invalid obfuscate" rather than axum's plain text.
pub struct PathId(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = moapi_core::Status;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| PathId(id))
            .map_err(|_| moapi_core::Status::invalid_obfuscate())
    }
}

/// Most items a repeated request field may hold (the vendor's limit on `...In` filters).
pub const MAX_REPEATED: usize = 1000;

/// INVALID_ARGUMENT naming `field` when it holds more than [`MAX_REPEATED`] items.
pub fn check_max_items(field: &str, len: usize) -> Result<(), moapi_core::Status> {
    if len > MAX_REPEATED {
        return Err(moapi_core::Status::invalid_argument(format!(
            "{field}: value must contain at most {MAX_REPEATED} items, got {len}"
        )));
    }
    Ok(())
}

/// Two resource IDs from the URL path (`/v1/customers/{customerId}/notes/{noteId}`), refused
/// like [`PathId`] when they are not text.
pub struct PathIdPair(pub String, pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathIdPair {
    type Rejection = moapi_core::Status;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path((first, second))| PathIdPair(first, second))
            .map_err(|_| moapi_core::Status::invalid_obfuscate())
    }
}

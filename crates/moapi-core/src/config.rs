//! Runtime settings shared by every part of the server. The binary fills them from flags and
//! environment variables; tests build them directly.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://FILE` (the default) or `postgres://...`.
    pub database_url: String,
    /// Bearer token of the operator API; `None` disables `/admin/v1`.
    pub admin_token: Option<String>,
    /// Secret behind the obfuscated MoeGo IDs. `None`: generated once and kept in the database,
    /// so every node of a deployment encodes IDs alike.
    pub id_secret: Option<String>,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Longest time a request may run before it is answered with a timeout.
    pub request_timeout: Duration,
    /// Base URL printed in links and curl examples.
    pub public_base_url: String,
    /// Requests per second each API key may make on one node; `None`: unlimited.
    pub rate_limit_per_second: Option<std::num::NonZeroU32>,
    /// M2M: the audience of the tokens moapi issues, and of an external provider's tokens;
    /// `None`: moapi's tokens say `moapi`.
    pub m2m_audience: Option<String>,
    /// M2M: the `iss` of an external provider's tokens (with `m2m_audience` and
    /// `m2m_jwks_url`, its tokens are accepted).
    pub m2m_issuer: Option<String>,
    /// M2M: where the external provider publishes its signing keys (JWKS).
    pub m2m_jwks_url: Option<String>,
}

impl Config {
    pub fn new(database_url: impl Into<String>) -> Self {
        Config {
            database_url: database_url.into(),
            admin_token: None,
            id_secret: None,
            body_limit_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            public_base_url: "http://127.0.0.1:8080".to_string(),
            rate_limit_per_second: None,
            m2m_audience: None,
            m2m_issuer: None,
            m2m_jwks_url: None,
        }
    }
}

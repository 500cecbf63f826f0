//! The external identity provider's signing keys (a JWKS document), fetched on first use and
//! cached in this node's memory for a while: keys are public and any node can fetch them, so
//! nothing needs sharing. A token signed with a key the cache does not know triggers one early
//! refresh (the provider rotated its keys), at most every few seconds so that tokens with made-up
//! key IDs cannot turn this node into a JWKS flooder.

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::DecodingKey;
use tokio::sync::Mutex;

/// How long fetched keys are used before they are fetched again.
const KEYS_TTL: Duration = Duration::from_secs(600);
/// After a failed fetch, the wait before the next try: a provider outage must not make every
/// request wait for its own fetch to time out.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);
/// The shortest time between two refreshes forced by unknown key IDs.
const FORCED_REFRESH_INTERVAL: Duration = Duration::from_secs(10);
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

pub struct JwksCache {
    url: String,
    http: reqwest::Client,
    state: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    keys: Option<JwkSet>,
    /// When the keys are due for a fetch; `None` before the first.
    refresh_at: Option<Instant>,
    last_forced_refresh: Option<Instant>,
}

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("no key of the identity provider matches the token")]
    UnknownKey,
    #[error("the identity provider's keys could not be fetched")]
    Unavailable,
}

impl CacheState {
    fn find(&self, kid: Option<&str>) -> Option<DecodingKey> {
        let set = self.keys.as_ref()?;
        let jwk = match kid {
            Some(kid) => set.find(kid)?,
            // A token without `kid` is only unambiguous when the provider has one key.
            None if set.keys.len() == 1 => &set.keys[0],
            None => return None,
        };
        DecodingKey::from_jwk(jwk).ok()
    }
}

impl JwksCache {
    pub fn new(url: String) -> Self {
        JwksCache {
            url,
            http: reqwest::Client::builder()
                .timeout(FETCH_TIMEOUT)
                .build()
                .unwrap_or_default(),
            state: Mutex::new(CacheState::default()),
        }
    }

    async fn fetch(&self) -> Result<JwkSet, reqwest::Error> {
        self.http
            .get(&self.url)
            .send()
            .await?
            .error_for_status()?
            .json::<JwkSet>()
            .await
    }

    /// Replaces the cached keys; on failure keeps the old ones (a provider outage should not
    /// reject tokens signed with keys we already know) and tries again a little later.
    async fn refresh(&self, state: &mut CacheState) {
        match self.fetch().await {
            Ok(set) => {
                state.keys = Some(set);
                state.refresh_at = Some(Instant::now() + KEYS_TTL);
            }
            Err(err) => {
                tracing::warn!(error = %err, url = %self.url, "fetching the M2M provider's JWKS failed");
                state.refresh_at = Some(Instant::now() + RETRY_AFTER_FAILURE);
            }
        }
    }

    /// The key that verifies a token with this `kid`.
    pub async fn key(&self, kid: Option<&str>) -> Result<DecodingKey, JwksError> {
        // One lock across the fetch: concurrent requests wait for one fetch instead of each
        // sending their own.
        let mut state = self.state.lock().await;
        let due = state.refresh_at.is_none_or(|at| Instant::now() >= at);
        if due {
            self.refresh(&mut state).await;
        }
        if let Some(key) = state.find(kid) {
            return Ok(key);
        }
        if state.keys.is_none() {
            return Err(JwksError::Unavailable);
        }
        let may_force = state
            .last_forced_refresh
            .is_none_or(|at| at.elapsed() >= FORCED_REFRESH_INTERVAL);
        if due || !may_force {
            return Err(JwksError::UnknownKey);
        }
        state.last_forced_refresh = Some(Instant::now());
        self.refresh(&mut state).await;
        state.find(kid).ok_or(JwksError::UnknownKey)
    }
}

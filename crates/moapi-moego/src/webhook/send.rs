//! One delivery attempt: the vendor's request (its headers, both signatures, the webhook's
//! custom headers, optionally Standard Webhooks headers), sent through the SSRF guard to the
//! addresses vetted at this moment (a name that now resolves inside the network is refused),
//! never following a redirect, and what came back, capped for the log. An attempt does not
//! fail: it reports what happened.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use moapi_core::config::WebhookConfig;
use moapi_core::outbound::{self, Outbound};
use moapi_core::secret_box::{SecretBox, Unreadable};
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdCodec, IdKind};
use reqwest::Url;
use sqlx::AnyConnection;

use super::sealed;
use super::wire::{HeaderValues, Headers};

pub const USER_AGENT: &str = "Moego/Webhook-1.0";
/// Bytes of a request or response body the log keeps.
pub const LOGGED_BODY_BYTES: usize = 64 * 1024;
/// Reused connections are kept for this many distinct (host, addresses, TLS) targets.
const MAX_CACHED_CLIENTS: usize = 256;

/// A webhook's secret as sending sees it.
#[derive(Debug, Clone)]
pub enum Secret {
    None,
    Key(String),
    /// Sealed under another key (`MOAPI_SECRETS_KEY` changed): nothing is sent unsigned.
    Unreadable,
}

/// A webhook as delivering to it needs it.
#[derive(Debug, Clone)]
pub struct Target {
    pub webhook_id: i64,
    pub client_id: i64,
    /// The API client's UUID, sent as `X-Moe-Client-Id` and signed.
    pub client_uid: String,
    pub endpoint_url: String,
    pub secret: Secret,
    /// The custom headers, opened; `Unreadable` when sealed under another key (nothing is
    /// sent without them).
    pub headers: Result<Headers, Unreadable>,
    pub verify_ssl: bool,
    pub standard_webhooks: bool,
    pub is_active: bool,
}

type TargetRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
    i64,
);

impl Target {
    /// The webhook `webhook_id` with its client, `None` when it was deleted.
    pub async fn load(
        conn: &mut AnyConnection,
        secrets: &SecretBox,
        webhook_id: i64,
    ) -> Result<Option<Target>, sqlx::Error> {
        let row: Option<TargetRow> = sqlx::query_as(
            "SELECT w.id, w.client_id, c.client_uid, w.endpoint_url, w.secret_sealed, w.headers, \
             w.verify_ssl, w.standard_webhooks, w.is_active \
             FROM moego_webhooks w JOIN moego_clients c ON c.id = w.client_id WHERE w.id = $1",
        )
        .bind(webhook_id)
        .fetch_optional(conn)
        .await?;
        Ok(row.map(
            |(
                id,
                client_id,
                client_uid,
                endpoint_url,
                sealed,
                headers,
                verify,
                standard,
                active,
            )| {
                let secret = match sealed.as_deref() {
                    None | Some("") => Secret::None,
                    Some(sealed) => secrets.open(sealed).map_or(Secret::Unreadable, Secret::Key),
                };
                Target {
                    webhook_id: id,
                    client_id,
                    client_uid,
                    endpoint_url,
                    secret,
                    headers: sealed::open(secrets, &headers),
                    verify_ssl: verify != 0,
                    standard_webhooks: standard != 0,
                    is_active: active != 0,
                }
            },
        ))
    }
}

/// What to send: the body and the names the headers give it.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// `X-Moe-Delivery-ID`, the same on every retry.
    pub delivery_uid: &'a str,
    pub event_type: &'a str,
    pub body: &'a str,
}

/// One attempt as the delivery log records it.
#[derive(Debug, Clone, Default)]
pub struct Attempt {
    pub request_url: String,
    /// The address connected to (`ip:port`), empty when none was reached.
    pub delivered_to: String,
    pub request_headers: BTreeMap<String, HeaderValues>,
    pub request_body: Vec<u8>,
    pub response_status: i32,
    pub response_headers: BTreeMap<String, HeaderValues>,
    pub response_body: Vec<u8>,
    pub response_is_json: bool,
    pub started_at: i64,
    pub duration_ms: i64,
    pub success: bool,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClientKey {
    host: Option<String>,
    addresses: Vec<SocketAddr>,
    verify_tls: bool,
}

/// Sends attempts; one per node, sharing keep-alive connections between deliveries to the
/// same vetted addresses.
pub struct Sender {
    guard: Outbound,
    config: WebhookConfig,
    ids: Arc<IdCodec>,
    clients: Mutex<HashMap<ClientKey, reqwest::Client>>,
}

impl Sender {
    pub fn new(state: &AppState) -> Sender {
        Sender {
            guard: Outbound::new(&state.config.outbound),
            config: state.config.webhooks.clone(),
            ids: state.ids.clone(),
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Sends `message` to `target` once and reports what happened.
    pub async fn send(&self, target: &Target, message: Message<'_>) -> Attempt {
        let started_at = now_micros();
        let clock = Instant::now();
        let headers = self.headers(target, message, started_at / 1000);
        let mut attempt = Attempt {
            request_url: target.endpoint_url.clone(),
            request_headers: headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.clone(),
                        HeaderValues {
                            values: vec![value.clone()],
                        },
                    )
                })
                .collect(),
            request_body: capped(message.body.as_bytes()),
            started_at,
            ..Attempt::default()
        };
        if let Err(error) = self.exchange(target, &headers, message, &mut attempt).await {
            attempt.error = error;
        }
        attempt.duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
        attempt
    }

    /// The request's headers in the order they are sent.
    fn headers(&self, target: &Target, message: Message<'_>, millis: i64) -> Vec<(String, String)> {
        let nonce = rand::random::<u64>().to_string();
        let timestamp = millis.to_string();
        let mut headers: Vec<(String, String)> = [
            ("Content-Type", "application/json".to_string()),
            ("User-Agent", USER_AGENT.to_string()),
            ("X-Moe-Client-Id", target.client_uid.clone()),
            ("X-Moe-Event-Type", message.event_type.to_string()),
            ("X-Moe-Delivery-ID", message.delivery_uid.to_string()),
            (
                "X-Moe-Webhook-ID",
                self.ids.encode(IdKind::Webhook, target.webhook_id),
            ),
            ("X-Moe-Nonce", nonce.clone()),
            ("X-Moe-Timestamp", timestamp.clone()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect();
        let secret = match &target.secret {
            Secret::Key(secret) => Some(secret.as_str()),
            Secret::None | Secret::Unreadable => None,
        };
        if let Some(secret) = secret {
            let parts = [
                target.client_uid.as_bytes(),
                nonce.as_bytes(),
                timestamp.as_bytes(),
                message.body.as_bytes(),
            ];
            headers.push((
                "X-Moe-Signature".into(),
                hmac_base64::<Hmac<sha1::Sha1>>(secret.as_bytes(), &parts),
            ));
            headers.push((
                "X-Moe-Signature-256".into(),
                hmac_base64::<Hmac<sha2::Sha256>>(secret.as_bytes(), &parts),
            ));
        }
        if self.config.standard_webhooks || target.standard_webhooks {
            let seconds = (millis / 1000).to_string();
            headers.push(("webhook-id".into(), message.delivery_uid.to_string()));
            headers.push(("webhook-timestamp".into(), seconds.clone()));
            if let Some(secret) = secret {
                headers.push((
                    "webhook-signature".into(),
                    standard_signature(secret, message.delivery_uid, &seconds, message.body),
                ));
            }
        }
        for (name, values) in target.headers.iter().flatten() {
            // The engine's own headers carry the signature; a custom header cannot replace them.
            if headers
                .iter()
                .any(|(taken, _)| taken.eq_ignore_ascii_case(name))
            {
                continue;
            }
            for value in &values.values {
                headers.push((name.clone(), value.clone()));
            }
        }
        headers
    }

    async fn exchange(
        &self,
        target: &Target,
        headers: &[(String, String)],
        message: Message<'_>,
        attempt: &mut Attempt,
    ) -> Result<(), String> {
        if matches!(target.secret, Secret::Unreadable) {
            return Err(
                "the webhook's secret token cannot be read with this server's secrets key".into(),
            );
        }
        if target.headers.is_err() {
            return Err(
                "the webhook's custom headers cannot be read with this server's secrets key".into(),
            );
        }
        let url = self
            .guard
            .check_url(&target.endpoint_url)
            .map_err(|err| err.to_string())?;
        if url.scheme() != "https" && !self.config.allow_http {
            return Err("the endpoint URL must use HTTPS".into());
        }
        let addresses = self.guard.vet(&url).await.map_err(|err| err.to_string())?;
        let client = self.client(&url, addresses, target.verify_ssl)?;
        let mut request = client.post(url);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request
            .body(message.body.to_string())
            .send()
            .await
            .map_err(|err| failure(err, self.config.delivery_timeout))?;
        attempt.delivered_to = response
            .remote_addr()
            .map(|address| address.to_string())
            .unwrap_or_default();
        attempt.response_status = i32::from(response.status().as_u16());
        attempt.success = response.status().is_success();
        attempt.response_is_json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("json"));
        for (name, value) in response.headers() {
            attempt
                .response_headers
                .entry(name.as_str().to_string())
                .or_default()
                .values
                .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
        let read = read_capped(response, &mut attempt.response_body).await;
        if !attempt.success {
            return Err(format!(
                "the endpoint answered HTTP {}",
                attempt.response_status
            ));
        }
        read.map_err(|err| failure(err, self.config.delivery_timeout))
    }

    fn client(
        &self,
        url: &Url,
        addresses: Vec<SocketAddr>,
        verify_tls: bool,
    ) -> Result<reqwest::Client, String> {
        let key = ClientKey {
            host: url.host_str().map(str::to_string),
            addresses,
            verify_tls,
        };
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let client = outbound::pinned_client(
            url,
            &key.addresses,
            self.config.delivery_timeout,
            verify_tls,
        )
        .map_err(|err| err.to_string())?;
        if clients.len() >= MAX_CACHED_CLIENTS {
            clients.clear();
        }
        clients.insert(key, client.clone());
        Ok(client)
    }
}

/// Reads the body, keeping the first [`LOGGED_BODY_BYTES`]; the rest is read and dropped so
/// the connection can be reused.
async fn read_capped(
    mut response: reqwest::Response,
    into: &mut Vec<u8>,
) -> Result<(), reqwest::Error> {
    while let Some(chunk) = response.chunk().await? {
        let room = LOGGED_BODY_BYTES.saturating_sub(into.len());
        into.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(())
}

fn capped(body: &[u8]) -> Vec<u8> {
    body[..body.len().min(LOGGED_BODY_BYTES)].to_vec()
}

fn failure(err: reqwest::Error, timeout: Duration) -> String {
    if err.is_timeout() {
        return format!("no answer within {} s", timeout.as_secs_f64());
    }
    outbound::without_url(err)
}

/// base64 of the HMAC of the concatenated `parts` under `key`.
fn hmac_base64<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    BASE64.encode(mac.finalize().into_bytes())
}

/// `X-Moe-Signature-256`: base64 HMAC-SHA256 of clientId + nonce + timestamp + body.
pub fn moe_signature_256(
    secret: &str,
    client_uid: &str,
    nonce: &str,
    timestamp: &str,
    body: &str,
) -> String {
    hmac_base64::<Hmac<sha2::Sha256>>(
        secret.as_bytes(),
        &[
            client_uid.as_bytes(),
            nonce.as_bytes(),
            timestamp.as_bytes(),
            body.as_bytes(),
        ],
    )
}

/// Standard Webhooks' `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body`. A `whsec_` secret is base64 as the spec defines it; any other secret
/// is used as its bytes.
pub fn standard_signature(secret: &str, id: &str, seconds: &str, body: &str) -> String {
    let key = secret
        .strip_prefix("whsec_")
        .and_then(|encoded| BASE64.decode(encoded).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let signed = hmac_base64::<Hmac<sha2::Sha256>>(
        &key,
        &[
            id.as_bytes(),
            b".",
            seconds.as_bytes(),
            b".",
            body.as_bytes(),
        ],
    );
    format!("v1,{signed}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_known_values() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), base64.
        assert_eq!(
            moe_signature_256(
                "key",
                "The quick ",
                "brown fox ",
                "jumps over ",
                "the lazy dog"
            ),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
        );
        // HMAC-SHA1 of the same, base64.
        assert_eq!(
            hmac_base64::<Hmac<sha1::Sha1>>(
                b"key",
                &[b"The quick brown fox jumps over the lazy dog"]
            ),
            "3nybhbi3iqa8ino29wqQcBydtNk="
        );
        // The Standard Webhooks reference example.
        assert_eq!(
            standard_signature(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "1614265330",
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}

//! Helpers of the webhook delivery tests: webhooks inserted as the API would store them, events
//! committed to the outbox as writers commit them, real `moapi serve` processes to kill, and a
//! receiver that records every delivery and checks its signature with its own HMAC code
//! (nothing here calls the engine's signing code).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use moapi_core::outbox::{self, NewEvent};
use moapi_core::time::now_micros;
use moapi_core::IdKind;
use moapi_moego::event::{self, EventType};
use serde_json::json;

use super::TestApp;

pub const WEBHOOK: &str = "webhook/v1/webhook_service.swagger.json";

// The function below is printed in docs/webhooks.md ("Verifying signatures"); a test checks
// that the two stay the same text.
// BEGIN verify_moego_signature
/// Checks a MoeGo delivery: `X-Moe-Signature-256` must be the base64 HMAC-SHA256, keyed by the
/// webhook's secret token, of the client ID, nonce, timestamp and raw body, concatenated.
pub fn verify_moego_signature(
    secret_token: &str,
    headers: &HashMap<String, String>,
    raw_body: &[u8],
) -> bool {
    use base64::Engine;
    use hmac::{Hmac, Mac};

    let header = |name: &str| headers.get(name).map(String::as_str).unwrap_or_default();
    let Ok(signature) =
        base64::engine::general_purpose::STANDARD.decode(header("x-moe-signature-256"))
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret_token.as_bytes()) else {
        return false;
    };
    mac.update(header("x-moe-client-id").as_bytes());
    mac.update(header("x-moe-nonce").as_bytes());
    mac.update(header("x-moe-timestamp").as_bytes());
    mac.update(raw_body);
    // verify_slice compares in constant time.
    mac.verify_slice(&signature).is_ok()
}
// END verify_moego_signature

/// base64 of the HMAC of `message` under `key`.
fn hmac_base64<M: hmac::Mac + hmac::digest::KeyInit>(key: &str, message: &[u8]) -> String {
    use base64::Engine;
    let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn header<'a>(headers: &'a HashMap<String, String>, name: &str) -> &'a str {
    headers.get(name).map(String::as_str).unwrap_or_default()
}

/// The legacy `X-Moe-Signature` (HMAC-SHA1 over the same message).
pub fn verify_legacy_signature(
    secret: &str,
    headers: &HashMap<String, String>,
    body: &[u8],
) -> bool {
    let mut message = [
        header(headers, "x-moe-client-id"),
        header(headers, "x-moe-nonce"),
        header(headers, "x-moe-timestamp"),
    ]
    .concat()
    .into_bytes();
    message.extend_from_slice(body);
    header(headers, "x-moe-signature") == hmac_base64::<hmac::Hmac<sha1::Sha1>>(secret, &message)
}

/// The Standard Webhooks `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`).
pub fn verify_standard_signature(
    secret: &str,
    headers: &HashMap<String, String>,
    body: &[u8],
) -> bool {
    let mut message = format!(
        "{}.{}.",
        header(headers, "webhook-id"),
        header(headers, "webhook-timestamp")
    )
    .into_bytes();
    message.extend_from_slice(body);
    let expected = format!(
        "v1,{}",
        hmac_base64::<hmac::Hmac<sha2::Sha256>>(secret, &message)
    );
    header(headers, "webhook-signature")
        .split(' ')
        .any(|candidate| candidate == expected)
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// Lower-case names; repeated headers joined with ", ".
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// X-Moe-Signature-256 checked against the receiver's secret.
    pub signature_valid: bool,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }
}

#[derive(Clone)]
struct ReceiverState {
    secret: String,
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

/// A webhook receiver on 127.0.0.1 answering every POST with a settable status.
pub struct Receiver {
    pub url: String,
    pub secret: String,
    state: ReceiverState,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn receive(
    State(state): State<ReceiverState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (name, value) in &headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        seen.entry(name.as_str().to_string())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(&value);
            })
            .or_insert(value);
    }
    let signature_valid = verify_moego_signature(&state.secret, &seen, &body);
    state.received.lock().unwrap().push(Received {
        headers: seen,
        body: body.to_vec(),
        signature_valid,
        at: Instant::now(),
    });
    StatusCode::from_u16(state.status.load(Ordering::SeqCst)).unwrap()
}

impl Receiver {
    pub async fn start(secret: &str) -> Receiver {
        let state = ReceiverState {
            secret: secret.to_string(),
            received: Arc::default(),
            status: Arc::new(AtomicU16::new(200)),
        };
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver {
            url,
            secret: secret.to_string(),
            state,
            server,
        }
    }

    /// The status every later request is answered with.
    pub fn answer(&self, status: u16) {
        self.state.status.store(status, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.state.received.lock().unwrap().len()
    }

    /// Waits until `done` holds for what was received, panicking after `limit`.
    pub async fn wait_until(
        &self,
        limit: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = Instant::now() + limit;
        loop {
            let received = self.received();
            if done(&received) {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "gave up waiting after {limit:?}: {} requests received",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        self.wait_until(Duration::from_secs(20), |received| received.len() >= count)
            .await
    }
}

/// A webhook as `insert_webhook` stores it.
pub struct NewWebhook<'a> {
    pub company_index: usize,
    pub url: &'a str,
    pub secret: Option<&'a str>,
    pub event_types: &'a [&'a str],
    /// As stored; `null` (the default) listens to the company of `company_index`, which the
    /// fixtures' company keys reach.
    pub organizations: serde_json::Value,
    pub headers: serde_json::Value,
    pub standard_webhooks: bool,
}

impl<'a> NewWebhook<'a> {
    pub fn to(url: &'a str, secret: &'a str, event_types: &'a [&'a str]) -> Self {
        NewWebhook {
            company_index: 0,
            url,
            secret: Some(secret),
            event_types,
            organizations: serde_json::Value::Null,
            headers: json!({}),
            standard_webhooks: false,
        }
    }
}

impl TestApp {
    /// The API client owning company `index` of the fixtures.
    pub async fn client_of(&self, company_index: usize) -> i64 {
        let company = self
            .state
            .ids
            .decode(IdKind::Company, &self.seed.moego[company_index].company_id)
            .unwrap();
        let (client_id,): (i64,) =
            sqlx::query_as("SELECT client_id FROM moego_companies WHERE id = $1")
                .bind(company)
                .fetch_one(self.state.db.conn().get().await.unwrap())
                .await
                .unwrap();
        client_id
    }

    /// Stores a webhook of the client of company `company_index` (secret and headers sealed, as
    /// the API stores them) and returns its encoded ID.
    pub async fn insert_webhook(&self, webhook: NewWebhook<'_>) -> String {
        let client_id = self.client_of(webhook.company_index).await;
        let organizations = match webhook.organizations {
            serde_json::Value::Null => {
                let company = &self.seed.moego[webhook.company_index].company_id;
                let company = self.state.ids.decode(IdKind::Company, company).unwrap();
                json!([{"id": company, "type": "COMPANY"}])
            }
            listed => listed,
        };
        let now = now_micros();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_webhooks (client_id, endpoint_url, organizations, event_types, \
             secret_sealed, headers, standard_webhooks, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(client_id)
        .bind(webhook.url)
        .bind(organizations.to_string())
        .bind(json!(webhook.event_types).to_string())
        .bind(webhook.secret.map(|secret| self.state.secrets.seal(secret)))
        .bind(moapi_moego::webhook::sealed::seal(
            &self.state.secrets,
            &serde_json::from_value(webhook.headers).unwrap(),
        ))
        .bind(i64::from(webhook.standard_webhooks))
        .bind(now)
        .fetch_one(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
        self.state.ids.encode(IdKind::Webhook, id)
    }

    /// Commits `count` CUSTOMER_CREATED events of company `company_index`, `per_transaction`
    /// at a time, as writers commit them; returns their event IDs in order.
    pub async fn commit_events(
        &self,
        company_index: usize,
        count: usize,
        per_transaction: usize,
    ) -> Vec<String> {
        let company = self
            .state
            .ids
            .decode(IdKind::Company, &self.seed.moego[company_index].company_id)
            .unwrap();
        // Event numbers of this call: distinct from any other call's.
        let base = rand::random::<u32>() as i64 * 1_000_000;
        let mut event_ids = Vec::with_capacity(count);
        for chunk in (0..count)
            .collect::<Vec<_>>()
            .chunks(per_transaction.max(1))
        {
            let mut detached = self.state.db.conn().detach().await.unwrap();
            let mut tx = sqlx::Connection::begin(&mut detached).await.unwrap();
            for n in chunk {
                let body = event::envelope(
                    &self.state.ids,
                    base + *n as i64,
                    company,
                    EventType::CustomerCreated,
                    "customer",
                    json!({"id": format!("cus_{n}"), "firstName": "Burst"}),
                );
                let id = outbox::append(
                    &mut tx,
                    NewEvent {
                        product: "moego",
                        tenant_id: company,
                        event_type: EventType::CustomerCreated.name(),
                        payload: &body,
                    },
                )
                .await
                .unwrap();
                event_ids.push(id);
            }
            tx.commit().await.unwrap();
        }
        event_ids
    }

    pub fn on_postgres(&self) -> bool {
        self.state.db.backend() == moapi_core::db::Backend::Postgres
    }
}

/// A `moapi serve` process on this app's database, killed with SIGKILL when dropped.
pub struct ServerProcess {
    child: std::process::Child,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServerProcess {
    /// Starts `moapi serve` on a free port with a short lease and fast retries, allowing HTTP
    /// receivers on 127.0.0.1, and waits until it answers.
    pub async fn start(app: &TestApp) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_moapi"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", &app.state.config.database_url])
            .env("MOAPI_LOG", "error")
            .env("MOAPI_SSRF_ALLOW", "127.0.0.1/32")
            .env("MOAPI_WEBHOOK_ALLOW_HTTP", "true")
            .env("MOAPI_WEBHOOK_TIMEOUT", "1")
            .env("MOAPI_WEBHOOK_LEASE", "2")
            .env("MOAPI_WEBHOOK_POLL_MS", "20")
            .env("MOAPI_WEBHOOK_RETRY_SCHEDULE", "100ms,200ms,300ms")
            .env("MOAPI_WEBHOOK_PER_MINUTE", "1000000")
            .env("MOAPI_WEBHOOK_PER_DAY", "100000000")
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("start moapi serve");
        let process = ServerProcess { child };
        let health = format!("http://127.0.0.1:{port}/healthz");
        let deadline = Instant::now() + Duration::from_secs(20);
        while reqwest::get(&health).await.is_err() {
            assert!(Instant::now() < deadline, "moapi serve did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        process
    }

    /// SIGKILL: no shutdown, no cleanup, leases left behind.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

//! Runtime settings shared by every part of the server. The binary fills them from flags and
//! environment variables; tests build them directly.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://FILE` (the default) or `postgres://...`.
    pub database_url: String,
    /// Connections in the database pool (`MOAPI_DB_POOL`); `None`: two per core on SQLite,
    /// four per core on PostgreSQL.
    pub db_pool: Option<u32>,
    /// Bearer token of the operator API; `None` disables `/admin/v1`.
    pub admin_token: Option<String>,
    /// Secret behind the obfuscated MoeGo IDs. `None`: generated once and kept in the database,
    /// so every node of a deployment encodes IDs alike.
    pub id_secret: Option<String>,
    /// Key that encrypts stored secrets the API returns (webhook secret tokens). `None`: one is
    /// generated and kept in the database, which only suits a sandbox.
    pub secrets_key: Option<String>,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Longest time a request may run before it is answered with a timeout.
    pub request_timeout: Duration,
    /// Longest wait for the next part of a request body; a body that stops arriving (one
    /// shorter than its Content-Length) is answered with 408 after it.
    pub body_timeout: Duration,
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
    /// Outbound requests (documents fetched for AI imports, later webhooks): the networks a
    /// guarded fetch may reach although they are private, and its size and time limits.
    pub outbound: OutboundConfig,
    /// AI trip imports: the optional model and the background worker's pace.
    pub ai: AiConfig,
    /// MoeGo webhooks: what receivers may be and how deliveries are sent.
    pub webhooks: WebhookConfig,
    /// How long an online booking page visit may sit idle before it reads as an abandoned
    /// booking (`MOAPI_BOOKING_IDLE`).
    pub booking_idle: Duration,
    /// Where EMAIL messages are really sent (`MOAPI_SMTP_URL`); `None`: they stay in the
    /// sandbox outbox like every other message.
    pub smtp: Option<SmtpConfig>,
}

/// An SMTP server (lettre's URL form: `smtp://host:587?tls=required`, `smtps://user:pass@host`,
/// `smtp://127.0.0.1:2525` for a local sink) and the sender's address.
#[derive(Clone)]
pub struct SmtpConfig {
    pub url: String,
    pub from: String,
}

/// The URL may hold a password: it is never printed.
impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("url", &"<redacted>")
            .field("from", &self.from)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Accept `http://` receivers (`MOAPI_WEBHOOK_ALLOW_HTTP`), a sandbox setting; otherwise
    /// receivers must be HTTPS like the vendor's.
    pub allow_http: bool,
    /// Also send Standard Webhooks headers on every webhook's deliveries, not only on those of
    /// webhooks that ask for them.
    pub standard_webhooks: bool,
    /// Delays before each retry of a failed delivery (jitter is added); its length is the
    /// number of retries.
    pub retry_schedule: Vec<Duration>,
    /// Longest time one delivery attempt (connect, send, answer) may take.
    pub delivery_timeout: Duration,
    /// How long a node owns the deliveries it claimed; longer than `delivery_timeout`, so only
    /// a node that died loses them to another.
    pub lease: Duration,
    /// How often an idle node looks for new events and due deliveries.
    pub poll_interval: Duration,
    /// Deliveries one node sends at the same time.
    pub concurrency: usize,
    /// Deliveries per webhook per minute and per day; more wait for the next window.
    pub per_minute_limit: i64,
    pub per_day_limit: i64,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            allow_http: false,
            standard_webhooks: false,
            retry_schedule: [30, 120, 600].map(Duration::from_secs).to_vec(),
            delivery_timeout: Duration::from_secs(30),
            lease: Duration::from_secs(90),
            poll_interval: Duration::from_millis(100),
            concurrency: 64,
            per_minute_limit: 500,
            per_day_limit: 50_000,
        }
    }
}

/// Parses a retry schedule such as `30s,2m,10m` (units ms, s, m, h).
pub fn parse_retry_schedule(text: &str) -> Result<Vec<Duration>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let split = item
                .find(|c: char| !c.is_ascii_digit())
                .ok_or_else(|| format!("{item:?} has no unit (ms, s, m or h)"))?;
            let (number, unit) = item.split_at(split);
            let number: u64 = number
                .parse()
                .map_err(|_| format!("{item:?} does not start with a number"))?;
            let millis = match unit {
                "ms" => 1,
                "s" => 1_000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => return Err(format!("{item:?}: the unit must be ms, s, m or h")),
            };
            Ok(Duration::from_millis(number.saturating_mul(millis)))
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct OutboundConfig {
    /// CIDRs exempt from the SSRF guard (`MOAPI_SSRF_ALLOW`); empty: only public addresses.
    pub allow: Vec<ipnet::IpNet>,
    /// Largest response body read, in bytes.
    pub max_bytes: usize,
    /// Longest time one request (connect, headers and body) may take.
    pub timeout: Duration,
}

impl Default for OutboundConfig {
    fn default() -> Self {
        OutboundConfig {
            allow: Vec::new(),
            max_bytes: 10 * 1024 * 1024,
            timeout: Duration::from_secs(20),
        }
    }
}

#[derive(Clone)]
pub struct AiConfig {
    /// An OpenAI-compatible chat completions URL; `None`: the built-in extractor only.
    pub endpoint: Option<String>,
    /// Bearer token sent to `endpoint`; never logged.
    pub api_key: Option<String>,
    /// The `model` named in each completion request.
    pub model: String,
    /// Longest time one completion request may take.
    pub timeout: Duration,
    /// How long a worker owns a claimed job without renewing its lease; a job whose worker
    /// died is taken up by another worker once this has passed.
    pub job_lease: Duration,
    /// How often an idle worker looks for new jobs.
    pub poll_interval: Duration,
    /// A pause before each stage; zero in production, longer in tests that stop a server
    /// mid-job.
    pub stage_delay: Duration,
}

impl std::fmt::Debug for AiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AiConfig")
            .field("endpoint", &self.endpoint)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .field("job_lease", &self.job_lease)
            .field("poll_interval", &self.poll_interval)
            .field("stage_delay", &self.stage_delay)
            .finish()
    }
}

impl Default for AiConfig {
    fn default() -> Self {
        AiConfig {
            endpoint: None,
            api_key: None,
            model: "gpt-4o-mini".to_string(),
            timeout: Duration::from_secs(120),
            job_lease: Duration::from_secs(15),
            poll_interval: Duration::from_millis(500),
            stage_delay: Duration::ZERO,
        }
    }
}

impl Config {
    pub fn new(database_url: impl Into<String>) -> Self {
        Config {
            database_url: database_url.into(),
            db_pool: None,
            admin_token: None,
            id_secret: None,
            secrets_key: None,
            body_limit_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(5),
            public_base_url: "http://127.0.0.1:8080".to_string(),
            rate_limit_per_second: None,
            m2m_audience: None,
            m2m_issuer: None,
            m2m_jwks_url: None,
            outbound: OutboundConfig::default(),
            ai: AiConfig::default(),
            webhooks: WebhookConfig::default(),
            booking_idle: Duration::from_secs(30 * 60),
            smtp: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_schedules_take_units() {
        assert_eq!(
            parse_retry_schedule("30s, 2m,10m").unwrap(),
            [30, 120, 600].map(Duration::from_secs).to_vec()
        );
        assert_eq!(
            parse_retry_schedule("5ms,1h").unwrap(),
            vec![Duration::from_millis(5), Duration::from_secs(3600)]
        );
        assert!(parse_retry_schedule("").unwrap().is_empty());
        assert!(parse_retry_schedule("10").is_err());
        assert!(parse_retry_schedule("10d").is_err());
        assert!(parse_retry_schedule("s").is_err());
    }
}

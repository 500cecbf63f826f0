//! The mailer: sends PENDING EMAIL messages through the configured SMTP server (lettre), on
//! every node. A message is claimed before it is sent, so one node sends it; a node that dies
//! holding a claim leaves it to another once the claim lapses. A refused or failed send is
//! tried again later, and after its last attempt the message is FAILED with the reason.

use std::convert::Infallible;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use moapi_core::config::SmtpConfig;
use moapi_core::time::now_micros;
use moapi_core::AppState;

use super::store::{self, MessageRow};

/// How often the mailer looks for messages to send.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Messages taken per look.
const BATCH: i64 = 20;
/// How long a claim holds: longer than any send takes (lettre's own timeout is 60 s).
const CLAIM_MICROS: i64 = 120 * 1_000_000;
/// Attempts before a message is FAILED for good.
const MAX_ATTEMPTS: i64 = 5;
/// The wait before the first retry, doubled for each later one.
const FIRST_RETRY_MICROS: i64 = 30 * 1_000_000;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer of a configuration, or why it cannot be one (a malformed URL or sender).
    /// The reason never repeats the URL, which may hold a password.
    pub fn new(config: &SmtpConfig) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|err| format!("MOAPI_SMTP_URL is not an SMTP URL: {err}"))?
            .build();
        let from = config
            .from
            .parse()
            .map_err(|err| format!("MOAPI_SMTP_FROM {:?} is not an address: {err}", config.from))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, message: &MessageRow, company_name: &str) -> Result<(), String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|err| format!("the recipient is not an address: {err}"))?;
        let text = match message.message_type.as_str() {
            "PIC" => format!("A picture for you: {}", message.body),
            _ => message.body.clone(),
        };
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("A message from {company_name}"))
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|err| err.to_string())?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|err| err.to_string())
    }
}

/// When a message that failed its `attempts`-th attempt is tried again; `None` after the last.
fn retry_at(attempts: i64, now: i64) -> Option<i64> {
    (attempts < MAX_ATTEMPTS).then(|| now + FIRST_RETRY_MICROS * (1 << (attempts - 1).clamp(0, 10)))
}

/// Sends what is due once; answers how many messages this node attempted.
pub async fn send_due(state: &AppState, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let now = now_micros();
    let mut conn = state.db.conn();
    let due = store::due(conn.get().await?, now, BATCH).await?;
    let mut attempted = 0;
    for message in due {
        let claimed = {
            let _gate = conn.write_gate().await;
            store::claim(conn.get().await?, message.id, now, now + CLAIM_MICROS).await?
        };
        if !claimed {
            continue;
        }
        let company = crate::company::store::find(conn.get().await?, message.company_id)
            .await?
            .map(|company| company.name)
            .unwrap_or_default();
        // No connection is held while the SMTP server answers.
        conn.release();
        let sent = mailer.send(&message, &company).await;
        let done = now_micros();
        let outcome = match &sent {
            Ok(()) => Ok(()),
            Err(error) => Err((error.as_str(), retry_at(message.attempts + 1, done))),
        };
        if let Err(error) = &sent {
            tracing::warn!(message_id = message.id, %error, "an email message was not sent");
        }
        let _gate = conn.write_gate().await;
        store::record_attempt(conn.get().await?, message.id, done, outcome).await?;
        attempted += 1;
    }
    Ok(attempted)
}

/// Runs beside the server: sends due EMAIL messages while an SMTP server is configured (and
/// valid: `serve` refuses to start otherwise); without one, it never does anything.
pub async fn run(state: AppState) -> Infallible {
    let Some(mailer) = state
        .config
        .smtp
        .as_ref()
        .and_then(|config| Mailer::new(config).ok())
    else {
        return std::future::pending().await;
    };
    loop {
        if let Err(err) = send_due(&state, &mailer).await {
            tracing::warn!(error = %err, "the mailer could not read its messages");
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_then_stop() {
        assert_eq!(retry_at(1, 0), Some(FIRST_RETRY_MICROS));
        assert_eq!(retry_at(2, 0), Some(2 * FIRST_RETRY_MICROS));
        assert_eq!(retry_at(4, 0), Some(8 * FIRST_RETRY_MICROS));
        assert_eq!(retry_at(MAX_ATTEMPTS, 0), None);
    }

    /// Async: lettre's connection pool starts a task on the runtime as the transport is built.
    #[tokio::test]
    async fn configurations_are_checked_without_repeating_the_url() {
        let bad = SmtpConfig {
            url: "ftp://user:secret@example.com".into(),
            from: "moapi <moapi@localhost>".into(),
        };
        let err = Mailer::new(&bad).err().unwrap();
        assert!(!err.contains("secret"), "{err}");
        let bad_from = SmtpConfig {
            url: "smtp://127.0.0.1:2525".into(),
            from: "not an address".into(),
        };
        assert!(Mailer::new(&bad_from)
            .err()
            .unwrap()
            .contains("MOAPI_SMTP_FROM"));
    }
}

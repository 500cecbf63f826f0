//! Messages: SendMessageToCustomer against the vendor swagger (one thread per customer, the
//! channel checked against the customer's contact details, preferences and compliance
//! configuration, errors in the dialect), the operator's sandbox outbox and the thread page,
//! and EMAIL messages really sent through an SMTP server (a sink the test runs), retried when
//! the server refuses. On both databases.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::fidelity::assert_moego;
use common::Reply;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const MESSAGES: &str = "message/v1/message_service.swagger.json";

type Demo = common::HappyPaws;

async fn demo_with(configure: impl FnOnce(&mut moapi_core::Config)) -> Demo {
    common::happy_paws(configure).await
}

impl Demo {
    async fn send_as(&self, auth: &str, body: Value) -> Reply {
        self.app
            .moego_post(auth, "/v1/messages:sendToCustomer", body)
            .await
    }

    async fn send(&self, body: Value) -> Reply {
        self.send_as(&self.auth, body).await
    }

    async fn customer(&self, first_name: &str) -> Value {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                "/v1/customers:list",
                json!({"companyId": self.company, "pagination": {"pageSize": 100}}),
            )
            .await;
        reply.body["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|customer| customer["firstName"] == first_name)
            .cloned()
            .unwrap()
    }

    async fn outbox(&self, customer: Option<&str>) -> Vec<Value> {
        let query = customer
            .map(|id| format!("?customerId={id}"))
            .unwrap_or_default();
        let reply = self
            .app
            .send(self.app.admin(
                Method::GET,
                &format!("/moego/companies/{}/messages{query}", self.company),
            ))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["messages"].as_array().unwrap().clone()
    }

    async fn update_customer(&self, id: &str, body: Value) {
        let mut body = body;
        body["companyId"] = json!(self.company);
        let reply = self
            .app
            .send(
                self.app
                    .client
                    .put(self.app.url(&format!("/v1/customers/{id}")))
                    .header("authorization", &self.auth)
                    .json(&body),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
}

fn text(customer: &str, method: &str, body: &str) -> Value {
    json!({"customerId": customer, "messageBody": body, "messageType": "TEXT", "method": method})
}

#[tokio::test]
async fn messages_join_the_customer_thread_on_consented_channels() {
    let demo = demo_with(|_| {}).await;
    let emma = demo.customer("Emma").await;
    let emma_id = emma["id"].as_str().unwrap();

    // Every demo customer has a thread, Noah Park (who booked through the page) too.
    for name in ["Emma", "James", "Sophia", "Noah"] {
        let customer = demo.customer(name).await;
        let thread = demo.outbox(Some(customer["id"].as_str().unwrap())).await;
        assert!(!thread.is_empty(), "{name} has no thread");
    }
    // The demo's thread: two messages to Emma, kept in the sandbox.
    let before = demo.outbox(Some(emma_id)).await;
    assert_eq!(before.len(), 2, "{before:?}");
    assert!(before.iter().all(|m| m["delivery"] == "SANDBOX"));
    let thread = before[0]["threadId"].as_str().unwrap().to_string();

    let sent = demo.send(text(emma_id, "MSG", "See you Saturday!")).await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert_moego(MESSAGES, "v1SendMessageToCustomerResponse", &sent.body);
    assert_eq!(
        sent.body["threadId"],
        thread.as_str(),
        "one thread per customer"
    );
    assert!(sent.body["messageId"].as_str().unwrap().starts_with("msg_"));
    let email = demo
        .send(json!({"customer_id": emma_id, "message_body": "Your invoice", "method": "EMAIL"}))
        .await;
    assert_eq!(email.status, 200, "{}", email.text);
    assert_eq!(email.body["threadId"], thread.as_str());
    let call = demo
        .send(
            json!({"customerId": emma_id, "phoneNumber": "415-555-0134", "messageBody": "Ready",
                     "messageType": "TEXT", "method": "CALL"}),
        )
        .await;
    assert_eq!(call.status, 200, "{}", call.text);

    let outbox = demo.outbox(Some(emma_id)).await;
    assert_eq!(outbox.len(), 5);
    let newest = &outbox[0];
    assert_eq!(newest["method"], "CALL");
    assert_eq!(newest["recipient"], "+14155550134");
    assert_eq!(outbox[1]["method"], "EMAIL");
    assert_eq!(outbox[1]["recipient"], "emma.davis@example.com");
    assert_eq!(
        outbox[1]["delivery"], "SANDBOX",
        "no SMTP server configured"
    );
    assert_eq!(outbox[1]["messageType"], "TEXT", "TEXT when unspecified");
    assert_eq!(outbox[2]["body"], "See you Saturday!");
    assert_eq!(outbox[2]["messageId"], sent.body["messageId"]);

    // The thread's page shows them, escaped, oldest first.
    let hostile = demo
        .send(text(emma_id, "MSG", "<script>alert(1)</script> & bye"))
        .await;
    assert_eq!(hostile.status, 200);
    let url = demo.outbox(Some(emma_id)).await[0]["threadUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let path = &url[url.find("/links/").unwrap()..];
    let page = demo.app.send(demo.app.client.get(demo.app.url(path))).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page
        .text
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; bye"));
    assert!(!page.text.contains("<script>"));
    let first = page.text.find("Biscuit is all done").unwrap();
    let last = page.text.find("&lt;script&gt;").unwrap();
    assert!(first < last, "oldest first");
    let tampered = format!(
        "{}{}",
        path.split('?').next().unwrap(),
        "?expires=1&signature=00"
    );
    assert_eq!(
        demo.app
            .send(demo.app.client.get(demo.app.url(&tampered)))
            .await
            .status,
        403
    );

    // Consent and preferences: a channel the customer has not consented to, or opted out of.
    let james = demo.customer("James").await;
    let james_id = james["id"].as_str().unwrap();
    demo.update_customer(
        james_id,
        json!({"complianceConfig": {"serviceRelatedChannels": {"channels": ["COMPLIANCE_CHANNEL_EMAIL"]}}}),
    )
    .await;
    let refused = demo.send(text(james_id, "MSG", "hi")).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert_eq!(refused.body["code"], 9, "FAILED_PRECONDITION");
    assert!(refused.text.contains("consented"), "{}", refused.text);
    assert_eq!(
        demo.send(text(james_id, "CALL", "hi")).await.body["code"],
        9
    );
    assert_eq!(demo.send(text(james_id, "EMAIL", "hi")).await.status, 200);
    // Preferences are given when a customer is created.
    let quiet = demo
        .app
        .moego_post(
            &demo.auth,
            "/v1/customers",
            json!({"companyId": demo.company, "preferredBusinessId": demo.downtown, "firstName": "Quinn", "lastName": "Hale", "phone": "415-555-0199",
                   "email": "quinn@example.com",
                   "preference": {"receiveAutoMessage": false, "receiveAutoEmail": false}}),
        )
        .await;
    assert_eq!(quiet.status, 200, "{}", quiet.text);
    let quinn = quiet.body["id"].as_str().unwrap();
    for (method, preference) in [("EMAIL", "receiveAutoEmail"), ("MSG", "receiveAutoMessage")] {
        let opted_out = demo.send(text(quinn, method, "hi")).await;
        assert_eq!(opted_out.body["code"], 9, "{}", opted_out.text);
        assert!(opted_out.text.contains(preference), "{}", opted_out.text);
    }
    assert_eq!(demo.send(text(quinn, "CALL", "hi")).await.status, 200);
    let no_app = demo.send(text(james_id, "APP", "hi")).await;
    assert_eq!(no_app.body["code"], 9, "{}", no_app.text);
    let sophia = demo.customer("Sophia").await;
    let no_email = demo
        .send(text(sophia["id"].as_str().unwrap(), "EMAIL", "hi"))
        .await;
    assert_eq!(no_email.body["code"], 9, "{}", no_email.text);
    assert!(no_email.text.contains("no email"));
    assert_eq!(
        demo.outbox(Some(james_id)).await.len(),
        2,
        "refusals record nothing"
    );

    // Bad requests.
    for (body, field) in [
        (json!({"messageBody": "x", "method": "MSG"}), "customerId"),
        (
            json!({"customerId": emma_id, "method": "MSG"}),
            "messageBody",
        ),
        (json!({"customerId": emma_id, "messageBody": "x"}), "method"),
        (
            json!({"customerId": emma_id, "messageBody": "x".repeat(1601), "method": "MSG"}),
            "messageBody",
        ),
        (
            json!({"customerId": emma_id, "messageBody": "a photo", "messageType": "PIC", "method": "MSG"}),
            "messageBody",
        ),
        (
            json!({"customerId": emma_id, "messageBody": "x", "method": "MSG", "phoneNumber": "+1 212 555 0000"}),
            "phoneNumber",
        ),
        (
            json!({"customerId": emma_id, "messageBody": "x", "method": "EMAIL", "phoneNumber": "415-555-0134"}),
            "phoneNumber",
        ),
    ] {
        let reply = demo.send(body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
    let carrier = demo
        .send(json!({"customerId": emma_id, "messageBody": "x", "method": "PIGEON"}))
        .await;
    assert_eq!(carrier.status, 400, "{}", carrier.text);
    let malformed = demo.send(text("cus_nope", "MSG", "x")).await;
    assert_eq!(malformed.body["message"], "invalid obfuscate");
    let foreign = demo
        .send_as(&demo.other_auth, text(emma_id, "MSG", "x"))
        .await;
    assert_eq!(foreign.status, 403, "{}", foreign.text);
}

/// A local SMTP server for the test: it refuses the first `refuse` messages (554 at DATA's
/// end), then accepts, and keeps what it accepted.
struct SmtpSink {
    url: String,
    received: Arc<Mutex<Vec<String>>>,
}

async fn smtp_sink(refuse: usize) -> SmtpSink {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    let refused = Arc::new(Mutex::new(0usize));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (kept, refused) = (kept.clone(), refused.clone());
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            let message = data.take().unwrap();
                            let answer: &[u8] = {
                                let mut count = refused.lock().unwrap();
                                if *count < refuse {
                                    *count += 1;
                                    b"554 refused for the test\r\n"
                                } else {
                                    kept.lock().unwrap().push(message);
                                    b"250 queued\r\n"
                                }
                            };
                            let _ = write.write_all(answer).await;
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    SmtpSink { url, received }
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within 10 s");
}

#[tokio::test]
async fn email_messages_go_out_through_the_smtp_server() {
    let sink = smtp_sink(0).await;
    let url = sink.url.clone();
    let demo = demo_with(move |config| {
        config.smtp = Some(moapi_core::config::SmtpConfig {
            url,
            from: "Happy Paws <hello@happypaws.example>".into(),
        })
    })
    .await;
    let emma = demo.customer("Emma").await;
    let emma_id = emma["id"].as_str().unwrap();
    let sent = demo
        .send(text(emma_id, "EMAIL", "Biscuit's next groom is on Friday."))
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    let received = sink.received.clone();
    until("the email's arrival", || {
        !received.lock().unwrap().is_empty()
    })
    .await;
    let email = sink.received.lock().unwrap()[0].clone();
    assert!(email.contains("To: emma.davis@example.com"), "{email}");
    assert!(
        email.contains("From: \"Happy Paws\" <hello@happypaws.example>"),
        "{email}"
    );
    assert!(
        email.contains("Subject: A message from Happy Paws Grooming"),
        "{email}"
    );
    assert!(
        email.contains("Biscuit's next groom is on Friday."),
        "{email}"
    );
    // A text message is not mailed.
    demo.send(text(emma_id, "MSG", "not by mail")).await;
    let mut outbox = Vec::new();
    for _ in 0..100 {
        outbox = demo.outbox(Some(emma_id)).await;
        if outbox[1]["delivery"] == "SENT" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(outbox[1]["delivery"], "SENT", "{outbox:?}");
    assert!(outbox[1]["sentTime"].is_string());
    assert_eq!(outbox[0]["delivery"], "SANDBOX");
    assert_eq!(sink.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_email_is_tried_again_later_and_kept_meanwhile() {
    let sink = smtp_sink(1).await;
    let url = sink.url.clone();
    let demo = demo_with(move |config| {
        config.smtp = Some(moapi_core::config::SmtpConfig {
            url,
            from: "moapi <moapi@localhost>".into(),
        })
    })
    .await;
    let emma = demo.customer("Emma").await;
    let emma_id = emma["id"].as_str().unwrap();
    demo.send(text(emma_id, "EMAIL", "First try refused")).await;
    let mut outbox = Vec::new();
    for _ in 0..100 {
        outbox = demo.outbox(Some(emma_id)).await;
        if outbox[0]["attempts"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let message = &outbox[0];
    assert_eq!(message["attempts"], 1, "{outbox:?}");
    assert_eq!(message["delivery"], "PENDING", "due again later");
    assert!(
        message["lastError"].as_str().unwrap().contains("554"),
        "{message}"
    );
    assert!(sink.received.lock().unwrap().is_empty());
    // Made due now (as the retry's time passing would), the mailer sends it.
    let id: i64 = demo
        .app
        .state
        .ids
        .decode(
            moapi_core::IdKind::Message,
            message["messageId"].as_str().unwrap(),
        )
        .unwrap();
    let mut conn = demo.app.state.db.conn();
    sqlx::query("UPDATE moego_messages SET next_attempt_at = 0 WHERE id = $1")
        .bind(id)
        .execute(conn.get().await.unwrap())
        .await
        .unwrap();
    drop(conn);
    let received = sink.received.clone();
    until("the retry's arrival", || {
        !received.lock().unwrap().is_empty()
    })
    .await;
    assert!(sink.received.lock().unwrap()[0].contains("First try refused"));
}

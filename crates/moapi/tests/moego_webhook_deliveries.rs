//! MoeGo webhook deliveries: the engine (fan-out to matching webhooks, the vendor's signed
//! request, retries, limits, purge, the SSRF guard at delivery time), its durability (a server
//! killed with SIGKILL mid-burst, two nodes on one PostgreSQL) and the four delivery operations
//! against the vendor swagger.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use common::fidelity::assert_moego;
use common::webhook_deliveries::{
    verify_legacy_signature, verify_moego_signature, verify_standard_signature, NewWebhook,
    Received, Receiver, ServerProcess, WEBHOOK,
};
use common::TestApp;
use moapi_core::time::now_micros;
use moapi_core::{Config, IdKind};
use serde_json::{json, Value};

const SECRET: &str = "s3cr3t-token";

fn fast(config: &mut Config) {
    config.outbound.allow = moapi_core::outbound::parse_allow_list("127.0.0.1/32").unwrap();
    config.webhooks.allow_http = true;
    config.webhooks.poll_interval = Duration::from_millis(20);
    config.webhooks.retry_schedule = [50, 100, 150].map(Duration::from_millis).to_vec();
    config.webhooks.delivery_timeout = Duration::from_secs(2);
    config.webhooks.lease = Duration::from_secs(5);
}

async fn spawn_fast() -> TestApp {
    common::spawn_with(fast).await
}

async fn create_customer(app: &TestApp, index: usize, first_name: &str) -> String {
    let reply = app
        .moego_post(
            &app.moego_auth(index),
            "/v1/customers",
            json!({
                "companyId": app.seed.moego[index].company_id,
                "preferredBusinessId": app.seed.moego[index].business_ids[0],
                "firstName": first_name,
                "lastName": "Hook",
                "phone": "+12125550123",
            }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_string()
}

/// A fresh app, company A's key, a receiver and a CUSTOMER_CREATED webhook of company A's
/// client pointing at it.
async fn app_with_webhook() -> (TestApp, String, Receiver, String) {
    let app = spawn_fast().await;
    let auth = app.moego_auth(0);
    let receiver = Receiver::start(SECRET).await;
    let webhook = app
        .insert_webhook(NewWebhook::to(&receiver.url, SECRET, &["CUSTOMER_CREATED"]))
        .await;
    (app, auth, receiver, webhook)
}

async fn job_states(app: &TestApp, webhook: &str) -> Vec<(String, i64, i64)> {
    let id = app.state.ids.decode(IdKind::Webhook, webhook).unwrap();
    sqlx::query_as(
        "SELECT state, attempts, next_attempt_at FROM moego_webhook_jobs WHERE webhook_id = $1 \
         ORDER BY id",
    )
    .bind(id)
    .fetch_all(app.state.db.conn().get().await.unwrap())
    .await
    .unwrap()
}

async fn list_deliveries(app: &TestApp, auth: &str, prefix: &str, request: Value) -> common::Reply {
    app.moego_post(auth, &format!("{prefix}/deliveries:list"), request)
        .await
}

/// The webhook's first 100 logged attempts, checked against the swagger.
async fn deliveries_of(app: &TestApp, auth: &str, webhook: &str) -> Vec<Value> {
    let list = list_deliveries(
        app,
        auth,
        "/v1/webhook",
        json!({"pagination": {"pageSize": 100}, "webhookId": webhook}),
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_moego(WEBHOOK, "v1ListWebhookDeliveriesResponse", &list.body);
    list.body["deliveries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn events_reach_matching_webhooks_with_the_vendor_headers_and_signatures() {
    let app = spawn_fast().await;
    let alpha = Receiver::start(SECRET).await;
    let pets_only = Receiver::start(SECRET).await;
    let other_client = Receiver::start(SECRET).await;
    let other_company = Receiver::start(SECRET).await;
    let webhook = app
        .insert_webhook(NewWebhook {
            headers: json!({"X-Team": {"values": ["grooming"]}, "X-Moe-Signature-256": {"values": ["forged"]}}),
            ..NewWebhook::to(&alpha.url, SECRET, &["CUSTOMER_CREATED"])
        })
        .await;
    app.insert_webhook(NewWebhook::to(&pets_only.url, SECRET, &["PET_CREATED"]))
        .await;
    app.insert_webhook(NewWebhook {
        company_index: 1,
        ..NewWebhook::to(&other_client.url, SECRET, &["CUSTOMER_CREATED"])
    })
    .await;
    let alpha_company = app
        .state
        .ids
        .decode(IdKind::Company, &app.seed.moego[0].company_id)
        .unwrap();
    app.insert_webhook(NewWebhook {
        organizations: json!([{"id": alpha_company + 1000, "type": "COMPANY"}]),
        ..NewWebhook::to(&other_company.url, SECRET, &["CUSTOMER_CREATED"])
    })
    .await;

    let customer = create_customer(&app, 0, "Webhook").await;
    let received = alpha.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(alpha.count(), 1, "one delivery per event and webhook");
    assert_eq!(pets_only.count(), 0, "not subscribed to the event type");
    assert_eq!(other_client.count(), 0, "another client's webhook");
    assert_eq!(other_company.count(), 0, "subscribed to another company");

    let delivery = &received[0];
    let body = delivery.json();
    assert_eq!(body["type"], "CUSTOMER_CREATED");
    assert_eq!(body["customer"]["id"], customer.as_str());
    assert_eq!(body["companyId"], app.seed.moego[0].company_id.as_str());
    let client_uid: (String,) =
        sqlx::query_as("SELECT client_uid FROM moego_clients WHERE id = $1")
            .bind(app.client_of(0).await)
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert_eq!(delivery.header("user-agent"), "Moego/Webhook-1.0");
    assert_eq!(delivery.header("content-type"), "application/json");
    assert_eq!(delivery.header("x-moe-client-id"), client_uid.0);
    assert_eq!(delivery.header("x-moe-event-type"), "CUSTOMER_CREATED");
    assert_eq!(delivery.header("x-moe-webhook-id"), webhook);
    let delivery_id = delivery.header("x-moe-delivery-id");
    assert_eq!(delivery_id.len(), 36, "a UUID: {delivery_id}");
    assert!(delivery
        .header("x-moe-nonce")
        .chars()
        .all(|c| c.is_ascii_digit()));
    let timestamp: i64 = delivery.header("x-moe-timestamp").parse().unwrap();
    assert!(
        (now_micros() / 1000 - timestamp).abs() < 60_000,
        "milliseconds"
    );
    assert_eq!(
        delivery.header("x-team"),
        "grooming",
        "custom headers are sent"
    );
    assert!(delivery.signature_valid, "X-Moe-Signature-256 verifies");
    assert!(verify_legacy_signature(
        SECRET,
        &delivery.headers,
        &delivery.body
    ));
    let mut tampered = delivery.body.clone();
    tampered[1] ^= 1;
    assert!(!verify_moego_signature(
        SECRET,
        &delivery.headers,
        &tampered
    ));
    assert!(!verify_moego_signature(
        "another secret",
        &delivery.headers,
        &delivery.body
    ));
    assert!(
        !delivery.headers.contains_key("webhook-signature"),
        "not asked for"
    );
}

/// The delivery of one committed event to a fresh app's only webhook, made with `secret` and
/// `standard_webhooks`.
async fn one_event_delivered(secret: Option<&str>, standard_webhooks: bool) -> Received {
    let app = spawn_fast().await;
    let receiver = Receiver::start(SECRET).await;
    app.insert_webhook(NewWebhook {
        secret,
        standard_webhooks,
        ..NewWebhook::to(&receiver.url, SECRET, &["CUSTOMER_CREATED"])
    })
    .await;
    app.commit_events(0, 1, 1).await;
    receiver.wait_for(1).await.remove(0)
}

#[tokio::test]
async fn standard_webhooks_headers_are_sent_when_the_webhook_asks() {
    let delivery = one_event_delivered(Some(SECRET), true).await;
    assert_eq!(
        delivery.header("webhook-id"),
        delivery.header("x-moe-delivery-id")
    );
    let seconds: i64 = delivery.header("webhook-timestamp").parse().unwrap();
    assert!((now_micros() / 1_000_000 - seconds).abs() < 60);
    assert!(verify_standard_signature(
        SECRET,
        &delivery.headers,
        &delivery.body
    ));
    assert!(delivery.signature_valid);
}

#[tokio::test]
async fn a_webhook_without_a_secret_gets_unsigned_deliveries() {
    let delivery = one_event_delivered(None, false).await;
    assert!(!delivery.headers.contains_key("x-moe-signature-256"));
    assert!(!delivery.headers.contains_key("x-moe-signature"));
    assert!(!delivery.header("x-moe-nonce").is_empty());
}

#[tokio::test]
async fn failures_are_retried_three_times_then_logged_as_failed() {
    let (app, auth, receiver, webhook) = app_with_webhook().await;
    receiver.answer(503);
    let started = Instant::now();
    let events = app.commit_events(0, 1, 1).await;
    let received = receiver.wait_for(4).await;
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.count(), 4, "the first attempt and 3 retries");
    let ids: HashSet<&str> = received
        .iter()
        .map(|r| r.header("x-moe-delivery-id"))
        .collect();
    assert_eq!(ids.len(), 1, "the delivery ID is stable across retries");
    let gaps: Vec<Duration> = received.windows(2).map(|w| w[1].at - w[0].at).collect();
    for (gap, scheduled) in gaps.iter().zip([50, 100, 150]) {
        assert!(
            *gap >= Duration::from_millis(scheduled),
            "retries wait their turn: {gaps:?}"
        );
    }
    assert!(elapsed >= Duration::from_millis(300));
    let states = job_states(&app, &webhook).await;
    assert_eq!(states.len(), 1);
    assert_eq!((states[0].0.as_str(), states[0].1), ("FAILED", 4));

    let deliveries = deliveries_of(&app, &auth, &webhook).await;
    let mut retry_counts: Vec<i64> = deliveries
        .iter()
        .map(|d| d["retryCount"].as_i64().unwrap_or(0))
        .collect();
    retry_counts.sort();
    assert_eq!(retry_counts, [0, 1, 2, 3]);
    for delivery in deliveries {
        assert_eq!(delivery["responseStatus"], 503);
        assert!(delivery.get("success").is_none(), "false is omitted");
        assert_eq!(delivery["eventId"], events[0].as_str());
        assert!(delivery["error"].as_str().unwrap().contains("503"));
    }
}

#[tokio::test]
async fn a_receiver_that_recovers_gets_the_delivery_on_a_retry() {
    let (app, _, receiver, webhook) = app_with_webhook().await;
    receiver.answer(500);
    app.commit_events(0, 1, 1).await;
    receiver.wait_for(1).await;
    receiver.answer(200);
    receiver.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.count(), 2);
    let states = job_states(&app, &webhook).await;
    assert_eq!((states[0].0.as_str(), states[0].1), ("DONE", 2));
}

/// The error of a test delivery to `url` through `app`, which must not have reached anything.
async fn refused_test_delivery(app: &TestApp, url: &str) -> String {
    let webhook = app
        .insert_webhook(NewWebhook::to(url, SECRET, &["CUSTOMER_CREATED"]))
        .await;
    let reply = app
        .moego_post(
            &app.moego_auth(0),
            &format!("/v1/webhooks/{webhook}/test"),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(WEBHOOK, "v1WebhookDelivery", &reply.body);
    assert!(reply.body.get("success").is_none(), "{url}");
    assert!(
        reply.body.get("deliveredTo").is_none(),
        "{url}: nothing was reached"
    );
    reply.body["error"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn internal_addresses_and_plain_http_are_refused_at_delivery_time() {
    let receiver = Receiver::start(SECRET).await;
    let port = receiver
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/hook")
        .to_string();
    // Webhooks stored directly, as if they had passed creation while their names resolved
    // elsewhere: the guard runs again at every delivery.
    let app = spawn_fast().await;
    for (url, reason) in [
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://10.0.0.1/hook", "private"),
    ] {
        let error = refused_test_delivery(&app, url).await;
        assert!(
            error.contains("refused") && error.contains(reason),
            "{url}: {error}"
        );
    }
    let strict = common::spawn_with(|config| {
        fast(config);
        config.outbound.allow.clear();
        config.webhooks.allow_http = false;
    })
    .await;
    let error = refused_test_delivery(&strict, &format!("https://localhost:{port}/hook")).await;
    assert!(
        error.contains("refused") && error.contains("loopback"),
        "{error}"
    );
    let error = refused_test_delivery(&strict, "http://example.com/hook").await;
    assert!(error.contains("HTTPS"), "{error}");
    assert_eq!(receiver.count(), 0);
}

#[tokio::test]
async fn per_webhook_limits_delay_deliveries_without_dropping_them() {
    let app = common::spawn_with(|config| {
        fast(config);
        config.webhooks.per_minute_limit = 3;
    })
    .await;
    let receiver = Receiver::start(SECRET).await;
    let webhook = app
        .insert_webhook(NewWebhook::to(&receiver.url, SECRET, &["CUSTOMER_CREATED"]))
        .await;
    app.commit_events(0, 5, 5).await;
    receiver.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.count(), 3, "the rest waits for the next minute");
    let states = job_states(&app, &webhook).await;
    let waiting: Vec<&(String, i64, i64)> = states
        .iter()
        .filter(|(state, ..)| state == "PENDING")
        .collect();
    assert_eq!(waiting.len(), 2, "{states:?}");
    let next_minute = (now_micros() / 60_000_000 + 1) * 60_000_000;
    for (_, attempts, next_attempt_at) in waiting {
        assert_eq!(*attempts, 0, "a delayed delivery is not a failed attempt");
        assert!(*next_attempt_at <= next_minute && *next_attempt_at > now_micros() - 60_000_000);
    }
}

#[tokio::test]
async fn delivery_operations_answer_in_the_vendor_shape_under_both_prefixes() {
    let (app, auth, receiver, webhook) = app_with_webhook().await;

    // A test delivery: sent now, whatever the event types, answered with its log record.
    let test = app
        .moego_post(&auth, &format!("/v1/webhooks/{webhook}/test"), json!({}))
        .await;
    assert_eq!(test.status, 200, "{}", test.text);
    assert_moego(WEBHOOK, "v1WebhookDelivery", &test.body);
    let delivery = &test.body;
    assert_eq!(delivery["webhookId"], webhook.as_str());
    assert_eq!(delivery["eventType"], "HEALTH_CHECK");
    assert_eq!(delivery["success"], true);
    assert_eq!(delivery["responseStatus"], 200);
    assert_eq!(delivery["requestUrl"], receiver.url.as_str());
    assert!(delivery["deliveredTo"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    assert_eq!(delivery["requestFormat"], "CONTENT_TYPE_JSON");
    assert!(delivery["durationMs"].is_string() || delivery.get("durationMs").is_none());
    assert_eq!(
        delivery["requestHeaders"]["User-Agent"]["values"][0],
        "Moego/Webhook-1.0"
    );
    let got = receiver.wait_for(1).await.remove(0);
    assert!(got.signature_valid);
    assert_eq!(got.json()["healthCheck"]["validation"], "hello world");
    let sent_body = base64_decode(delivery["requestBody"].as_str().unwrap());
    assert_eq!(sent_body, got.body, "the log keeps the exact body sent");

    // A custom test payload and event type.
    let custom = app
        .moego_post(
            &auth,
            &format!("/v1/webhooks/{webhook}/test"),
            json!({"eventType": "PET_CREATED", "payload": base64_encode(br#"{"ping":1}"#)}),
        )
        .await;
    assert_eq!(custom.status, 200, "{}", custom.text);
    assert_eq!(custom.body["eventType"], "PET_CREATED");
    assert_eq!(receiver.wait_for(2).await[1].body, br#"{"ping":1}"#);

    // An event delivery by the engine, then a failing test.
    app.commit_events(0, 1, 1).await;
    receiver.wait_for(3).await;
    receiver.answer(500);
    let failed = app
        .moego_post(&auth, &format!("/v1/webhooks/{webhook}/test"), json!({}))
        .await;
    assert_moego(WEBHOOK, "v1WebhookDelivery", &failed.body);
    assert!(failed.body.get("success").is_none());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.count(), 4, "a failed test is not retried");
    receiver.answer(200);

    // Get, under both prefixes.
    let id = delivery["id"].as_str().unwrap();
    for prefix in ["/v1/webhook", "/v1/webhooks"] {
        let got = app
            .moego_get(&auth, &format!("{prefix}/deliveries/{id}"))
            .await;
        assert_eq!(got.status, 200, "{}", got.text);
        assert_moego(WEBHOOK, "v1WebhookDelivery", &got.body);
        assert_eq!(&got.body, delivery);
    }

    // List: newest first, paged, filtered.
    for prefix in ["/v1/webhook", "/v1/webhooks"] {
        let page = list_deliveries(
            &app,
            &auth,
            prefix,
            json!({"pagination": {"pageSize": 3}, "webhookId": webhook}),
        )
        .await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert_moego(WEBHOOK, "v1ListWebhookDeliveriesResponse", &page.body);
        assert_eq!(page.body["deliveries"].as_array().unwrap().len(), 3);
        assert_eq!(page.body["deliveries"][0]["id"], failed.body["id"]);
        assert_eq!(page.body["nextPageToken"], "2");
        let rest = list_deliveries(
            &app,
            &auth,
            prefix,
            json!({"pagination": {"pageSize": 3, "pageToken": "2"}, "webhookId": webhook}),
        )
        .await;
        assert_eq!(rest.body["deliveries"].as_array().unwrap().len(), 1);
        assert_eq!(rest.body["nextPageToken"], "");
    }
    let count = |filter: Value| {
        let app = &app;
        let auth = &auth;
        let webhook = &webhook;
        async move {
            let reply = list_deliveries(
                app,
                auth,
                "/v1/webhook",
                json!({"pagination": {"pageSize": 100}, "webhookId": webhook, "filter": filter}),
            )
            .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            reply.body["deliveries"].as_array().unwrap().len()
        }
    };
    assert_eq!(count(json!({"success": true})).await, 3);
    assert_eq!(count(json!({"success": false})).await, 1);
    assert_eq!(count(json!({"eventTypes": ["CUSTOMER_CREATED"]})).await, 1);
    assert_eq!(
        count(json!({"eventTypes": ["HEALTH_CHECK", "PET_CREATED"]})).await,
        3
    );
    assert_eq!(
        count(json!({"deliveryTime": {"startTime": "2000-01-01T00:00:00Z", "endTime": "2001-01-01T00:00:00Z"}})).await,
        0
    );
    assert_eq!(
        count(json!({"deliveryTime": {"startTime": "2000-01-01T00:00:00Z"}})).await,
        4
    );

    // Redeliver: sent again now, a new log record, the same event.
    let engine_delivery = list_deliveries(
        &app,
        &auth,
        "/v1/webhook",
        json!({"pagination": {"pageSize": 1}, "webhookId": webhook, "filter": {"eventTypes": ["CUSTOMER_CREATED"]}}),
    )
    .await
    .body["deliveries"][0]
        .clone();
    let engine_id = engine_delivery["id"].as_str().unwrap();
    for prefix in ["/v1/webhooks", "/v1/webhook"] {
        let again = app
            .moego_post(
                &auth,
                &format!("{prefix}/deliveries/{engine_id}/redeliver?webhookId={webhook}"),
                json!({}),
            )
            .await;
        assert_eq!(again.status, 200, "{}", again.text);
        assert_moego(WEBHOOK, "v1WebhookDelivery", &again.body);
        assert_ne!(again.body["id"], engine_delivery["id"]);
        assert_eq!(again.body["eventId"], engine_delivery["eventId"]);
        assert_eq!(again.body["eventType"], "CUSTOMER_CREATED");
        assert_eq!(again.body["success"], true);
    }
    let all = receiver.wait_for(6).await;
    assert_eq!(all[4].body, all[2].body, "the same event body");
    assert!(all[4].signature_valid && all[5].signature_valid);
}

/// The raw `request_headers` of every logged attempt, oldest first.
async fn stored_request_headers(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, request_headers FROM moego_webhook_deliveries ORDER BY id")
        .fetch_all(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap()
}

/// The webhook's logged attempts once there are `count` of them (the engine records an attempt
/// just after the receiver got it).
async fn logged(app: &TestApp, auth: &str, webhook: &str, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let deliveries = deliveries_of(app, auth, webhook).await;
        if deliveries.len() >= count {
            return deliveries;
        }
        assert!(Instant::now() < deadline, "{} logged", deliveries.len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn custom_header_values_are_sent_and_logged_but_sealed_in_the_log() {
    let app = spawn_fast().await;
    let auth = app.moego_auth(0);
    let receiver = Receiver::start(SECRET).await;
    let mut body = app.webhook_body(0, &receiver.url);
    body["secretToken"] = json!(SECRET);
    body["headers"] = json!({"X-Receiver-Key": {"values": ["rk-credential-1"]}});
    let created = app.moego_post(&auth, "/v1/webhooks", body).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let webhook = created.body["id"].as_str().unwrap().to_string();

    // One delivery by the engine, one test delivery.
    app.commit_events(0, 1, 1).await;
    receiver.wait_for(1).await;
    let test = app
        .moego_post(&auth, &format!("/v1/webhooks/{webhook}/test"), json!({}))
        .await;
    assert_eq!(test.status, 200, "{}", test.text);
    for got in receiver.wait_for(2).await {
        assert_eq!(got.header("x-receiver-key"), "rk-credential-1");
        assert!(got.signature_valid);
    }

    // The API answers every header sent, custom values included, as before.
    let deliveries = logged(&app, &auth, &webhook, 2).await;
    for delivery in &deliveries {
        assert_eq!(
            delivery["requestHeaders"]["X-Receiver-Key"],
            json!({"values": ["rk-credential-1"]}),
            "{delivery}"
        );
        assert_eq!(
            delivery["requestHeaders"]["User-Agent"],
            json!({"values": ["Moego/Webhook-1.0"]})
        );
    }
    let id = test.body["id"].as_str().unwrap();
    let fetched = app
        .moego_get(&auth, &format!("/v1/webhook/deliveries/{id}"))
        .await;
    assert_eq!(fetched.body, test.body, "{}", fetched.text);

    // The log's column holds them sealed.
    let stored = stored_request_headers(&app).await;
    assert_eq!(stored.len(), 2);
    for (_, column) in stored {
        assert!(!column.contains("rk-credential-1"), "in clear: {column}");
        let opened: Value =
            serde_json::from_str(&app.state.secrets.open(&column).expect("sealed")).unwrap();
        assert_eq!(
            opened["X-Receiver-Key"],
            json!({"values": ["rk-credential-1"]})
        );
    }
}

#[tokio::test]
async fn headers_stored_in_clear_before_sealing_still_work_and_are_sealed_at_start() {
    let app = spawn_fast().await;
    let auth = app.moego_auth(0);
    let receiver = Receiver::start(SECRET).await;
    let clear = json!({"X-Legacy-Key": {"values": ["legacy-credential"]}});
    let webhook = app
        .insert_webhook(NewWebhook {
            headers: clear.clone(),
            ..NewWebhook::to(&receiver.url, SECRET, &["CUSTOMER_CREATED"])
        })
        .await;
    let test = app
        .moego_post(&auth, &format!("/v1/webhooks/{webhook}/test"), json!({}))
        .await;
    assert_eq!(test.status, 200, "{}", test.text);
    // Both columns as the previous version wrote them: JSON in clear.
    let (log_id, sealed_log) = stored_request_headers(&app).await.remove(0);
    let clear_log = app.state.secrets.open(&sealed_log).unwrap();
    for (sql, value, id) in [
        (
            "UPDATE moego_webhooks SET headers = $1 WHERE id = $2",
            clear.to_string(),
            app.state.ids.decode(IdKind::Webhook, &webhook).unwrap(),
        ),
        (
            "UPDATE moego_webhook_deliveries SET request_headers = $1 WHERE id = $2",
            clear_log,
            log_id,
        ),
    ] {
        sqlx::query(sql)
            .bind(value)
            .bind(id)
            .execute(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    }
    let stored_webhook = || async {
        let (headers,): (String,) = sqlx::query_as("SELECT headers FROM moego_webhooks")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
        headers
    };
    assert!(stored_webhook().await.contains("legacy-credential"));

    // Read in either form: the API answers them, the engine sends them.
    let webhook_path = format!("/v1/webhooks/{webhook}");
    let delivery_path = format!(
        "/v1/webhook/deliveries/{}",
        test.body["id"].as_str().unwrap()
    );
    let answered_webhook = app.moego_get(&auth, &webhook_path).await;
    assert_eq!(
        answered_webhook.body["headers"], clear,
        "{}",
        answered_webhook.text
    );
    let answered_delivery = app.moego_get(&auth, &delivery_path).await;
    assert_eq!(
        answered_delivery.body, test.body,
        "{}",
        answered_delivery.text
    );
    app.commit_events(0, 1, 1).await;
    assert_eq!(
        receiver.wait_for(2).await[1].header("x-legacy-key"),
        "legacy-credential"
    );

    // Two nodes starting at once seal the clear rows at start-up, each row once.
    let (_first, _second) = tokio::join!(ServerProcess::start(&app), ServerProcess::start(&app));
    let webhook_column = stored_webhook().await;
    let mut columns = vec![webhook_column];
    columns.extend(
        stored_request_headers(&app)
            .await
            .into_iter()
            .map(|(_, c)| c),
    );
    for column in &columns {
        assert!(!column.contains("legacy-credential"), "in clear: {column}");
        let opened = app.state.secrets.open(column).expect("sealed once");
        assert!(opened.starts_with('{'), "sealed twice: {opened}");
    }
    assert_eq!(
        app.moego_get(&auth, &webhook_path).await.body,
        answered_webhook.body
    );
    assert_eq!(
        app.moego_get(&auth, &delivery_path).await.body,
        answered_delivery.body
    );
    app.commit_events(0, 1, 1).await;
    assert_eq!(
        receiver.wait_for(3).await[2].header("x-legacy-key"),
        "legacy-credential"
    );
    // Once per database.
    assert_eq!(
        moapi_moego::webhook::sealed::seal_clear_rows(&app.state)
            .await
            .unwrap(),
        0
    );
}

/// Runs `moapi secrets rotate --to-key KEY` on the app's database with the generated key as
/// the current one; returns whether it succeeded and what it printed.
fn rotate_to(app: &TestApp, key: &str) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_moapi"))
        .args(["secrets", "rotate", "--to-key", key])
        .args(["--database-url", &app.state.config.database_url])
        .env_remove("MOAPI_SECRETS_KEY")
        .env("MOAPI_LOG", "error")
        .output()
        .expect("moapi runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

/// Every sealed value the database holds: secret tokens, webhook headers, log headers.
async fn sealed_values(app: &TestApp) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for sql in [
        "SELECT secret_sealed FROM moego_webhooks WHERE secret_sealed IS NOT NULL ORDER BY id",
        "SELECT headers FROM moego_webhooks ORDER BY id",
        "SELECT request_headers FROM moego_webhook_deliveries ORDER BY id",
    ] {
        let rows: Vec<(String,)> = sqlx::query_as(sql)
            .fetch_all(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
        values.extend(rows.into_iter().map(|(value,)| value));
    }
    values
}

#[tokio::test]
async fn secrets_rotate_reseals_every_value_under_the_new_key() {
    const NEW_KEY: &str = "a-new-configured-secrets-key";
    let app = spawn_fast().await;
    let auth = app.moego_auth(0);
    let receiver = Receiver::start(SECRET).await;
    let mut body = app.webhook_body(0, &receiver.url);
    body["secretToken"] = json!(SECRET);
    body["headers"] = json!({"X-Receiver-Key": {"values": ["rk-credential-2"]}});
    let created = app.moego_post(&auth, "/v1/webhooks", body).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let webhook = created.body["id"].as_str().unwrap().to_string();
    let test = app
        .moego_post(&auth, &format!("/v1/webhooks/{webhook}/test"), json!({}))
        .await;
    assert_eq!(test.status, 200, "{}", test.text);
    // A second webhook whose headers are still in clear (written before sealing).
    let legacy = app
        .insert_webhook(NewWebhook {
            secret: None,
            ..NewWebhook::to(
                &format!("{}?legacy", receiver.url),
                SECRET,
                &["PET_CREATED"],
            )
        })
        .await;
    sqlx::query(r#"UPDATE moego_webhooks SET headers = '{"X-Old":{"values":["old-credential"]}}' WHERE id = $1"#)
        .bind(app.state.ids.decode(IdKind::Webhook, &legacy).unwrap())
        .execute(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();

    let (ok, printed) = rotate_to(&app, NEW_KEY);
    assert!(ok, "{printed}");
    assert!(
        printed.contains(
            "re-sealed 1 webhook secret tokens, the headers of 2 webhooks and of 1 delivery logs"
        ),
        "{printed}"
    );
    let new_key = moapi_core::secret_box::SecretBox::new(NEW_KEY.as_bytes());
    let rotated = sealed_values(&app).await;
    assert_eq!(rotated.len(), 4);
    for value in &rotated {
        assert!(
            new_key.open(value).is_ok(),
            "not under the new key: {value}"
        );
        assert!(
            app.state.secrets.open(value).is_err(),
            "still opens with the old key"
        );
        assert!(!value.contains("old-credential"));
    }

    // A node with the new key answers and delivers as before.
    let (base, _node) = app
        .second_node_with(|config| config.secrets_key = Some(NEW_KEY.to_string()))
        .await;
    let get = |path: String| {
        app.client
            .get(format!("{base}{path}"))
            .header("authorization", auth.clone())
            .send()
    };
    let fetched: Value = get(format!("/v1/webhooks/{webhook}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, created.body);
    let logged: Value = get(format!(
        "/v1/webhook/deliveries/{}",
        test.body["id"].as_str().unwrap()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(logged, test.body);
    let sent = app
        .client
        .post(format!("{base}/v1/webhooks/{webhook}/test"))
        .header("authorization", auth.clone())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    let got = receiver.wait_for(2).await.remove(1);
    assert!(
        got.signature_valid,
        "signed with the secret opened under the new key"
    );
    assert_eq!(got.header("x-receiver-key"), "rk-credential-2");

    // A key that opens nothing: refused, and nothing changes.
    let (ok, printed) = rotate_to(&app, "yet-another-key");
    assert!(!ok, "{printed}");
    assert!(printed.contains("opens with neither"), "{printed}");
    assert!(!printed.contains("rk-credential-2") && !printed.contains(SECRET));
    let after = sealed_values(&app).await;
    assert_eq!(
        after.len(),
        5,
        "the new node's test delivery logged one more"
    );
    for value in &after {
        assert!(new_key.open(value).is_ok(), "changed by a refused rotation");
    }
}

/// A refused request: the key, the POST body (a GET when none), the path, the HTTP status,
/// the MoeGo code and words of the message.
type RefusedCase<'a> = (&'a str, Option<Value>, String, u16, i64, &'a str);

#[tokio::test]
async fn delivery_operations_refuse_bad_input_and_other_clients() {
    let app = spawn_fast().await;
    let auth = app.moego_auth(0);
    let other = app.moego_auth(1);
    let receiver = Receiver::start(SECRET).await;
    let webhook = app
        .insert_webhook(NewWebhook::to(&receiver.url, SECRET, &["CUSTOMER_CREATED"]))
        .await;
    let second = app
        .insert_webhook(NewWebhook::to(
            &format!("{}?second", receiver.url),
            SECRET,
            &["CUSTOMER_CREATED"],
        ))
        .await;
    let delivery = app
        .moego_post(&auth, &format!("/v1/webhooks/{webhook}/test"), json!({}))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();

    let list = "/v1/webhook/deliveries:list";
    let test = format!("/v1/webhooks/{webhook}/test");
    let page = json!({"pageSize": 5});
    let missing_delivery = app.state.ids.encode(IdKind::WebhookDelivery, 999_999);
    let missing_webhook = app.state.ids.encode(IdKind::Webhook, 999_999);
    let cases: Vec<RefusedCase> = vec![
        // Another client's webhook and delivery: PERMISSION_DENIED, as other resources answer.
        (&other, Some(json!({})), test.clone(), 403, 7, ""),
        (
            &other,
            None,
            format!("/v1/webhook/deliveries/{delivery}"),
            403,
            7,
            "",
        ),
        (
            &other,
            Some(json!({"pagination": page, "webhookId": webhook})),
            list.into(),
            403,
            7,
            "",
        ),
        // Required fields and bad values name the field.
        (
            &auth,
            Some(json!({"pagination": page})),
            list.into(),
            400,
            3,
            "webhookId",
        ),
        (
            &auth,
            Some(json!({"webhookId": webhook})),
            list.into(),
            400,
            3,
            "pagination",
        ),
        (
            &auth,
            Some(
                json!({"pagination": page, "webhookId": webhook, "filter": {"eventTypes": ["ORDER_CREATED"]}}),
            ),
            list.into(),
            400,
            3,
            "filter.eventTypes[0]",
        ),
        (
            &auth,
            Some(
                json!({"pagination": page, "webhookId": webhook, "filter": {"deliveryTime": {"startTime": "yesterday"}}}),
            ),
            list.into(),
            400,
            3,
            "filter.deliveryTime.startTime",
        ),
        (
            &auth,
            Some(json!({"eventType": "PING"})),
            test.clone(),
            400,
            3,
            "eventType",
        ),
        (
            &auth,
            Some(json!({"payload": "%%%"})),
            test.clone(),
            400,
            3,
            "payload",
        ),
        (
            &auth,
            Some(json!({})),
            format!("/v1/webhooks/deliveries/{delivery}/redeliver"),
            400,
            3,
            "webhookId",
        ),
        // Unknown and malformed IDs.
        (
            &auth,
            None,
            format!("/v1/webhook/deliveries/{missing_delivery}"),
            404,
            5,
            "",
        ),
        (
            &auth,
            Some(json!({})),
            format!("/v1/webhooks/{missing_webhook}/test"),
            404,
            5,
            "",
        ),
        (
            &auth,
            None,
            "/v1/webhook/deliveries/whd_nonsense".into(),
            400,
            13,
            "invalid obfuscate",
        ),
        // A delivery redelivered under a webhook it does not belong to.
        (
            &auth,
            Some(json!({})),
            format!("/v1/webhooks/deliveries/{delivery}/redeliver?webhookId={second}"),
            404,
            5,
            "webhookId",
        ),
    ];
    for (key, body, path, status, code, text) in cases {
        let reply = match body {
            Some(body) => app.moego_post(key, &path, body).await,
            None => app.moego_get(key, &path).await,
        };
        assert_eq!(reply.status, status, "{path}: {}", reply.text);
        assert_eq!(reply.body["code"], code, "{path}: {}", reply.text);
        assert!(
            reply.body["message"].as_str().unwrap().contains(text),
            "{path}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn logs_older_than_fifteen_days_are_purged() {
    let (app, auth, _receiver, webhook) = app_with_webhook().await;
    for _ in 0..2 {
        let reply = app
            .moego_post(&auth, &format!("/v1/webhooks/{webhook}/test"), json!({}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let sixteen_days = 16 * 24 * 3600 * 1_000_000i64;
    let old = now_micros() - sixteen_days;
    let (oldest,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM moego_webhook_deliveries")
        .fetch_one(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    // The oldest attempt and its job, sixteen days back.
    for sql in [
        "UPDATE moego_webhook_deliveries SET delivered_at = $1 WHERE id = $2",
        "UPDATE moego_webhook_jobs SET finished_at = $1 \
         WHERE id = (SELECT job_id FROM moego_webhook_deliveries WHERE id = $2)",
    ] {
        sqlx::query(sql)
            .bind(old)
            .bind(oldest)
            .execute(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    }
    moapi_moego::webhook::dispatch::purge(&app.state, now_micros())
        .await
        .unwrap();
    let left = deliveries_of(&app, &auth, &webhook).await;
    assert_eq!(left.len(), 1);
    assert_ne!(
        left[0]["id"],
        app.state.ids.encode(IdKind::WebhookDelivery, oldest)
    );
    let (jobs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM moego_webhook_jobs")
        .fetch_one(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    assert_eq!(jobs, 1, "the old finished job went with its log");
}

/// Every event ID of `expected` among the deliveries, and how often each delivery ID came.
fn tally(received: &[Received]) -> (HashSet<String>, HashMap<String, usize>) {
    let mut events = HashSet::new();
    let mut deliveries: HashMap<String, usize> = HashMap::new();
    for delivery in received {
        assert!(delivery.signature_valid, "every delivery verifies");
        events.insert(delivery.json()["id"].as_str().unwrap().to_string());
        *deliveries
            .entry(delivery.header("x-moe-delivery-id").to_string())
            .or_default() += 1;
    }
    (events, deliveries)
}

#[tokio::test]
async fn a_server_killed_during_a_burst_delivers_every_event_after_restart() {
    let app = spawn_fast().await;
    // Only `moapi serve` processes deliver here; this process only commits events.
    app.stop_server();
    let receiver = Receiver::start(SECRET).await;
    app.insert_webhook(NewWebhook::to(&receiver.url, SECRET, &["CUSTOMER_CREATED"]))
        .await;
    let server = ServerProcess::start(&app).await;
    let kill_mid_burst = async {
        receiver
            .wait_until(Duration::from_secs(40), |received| received.len() >= 500)
            .await;
        server.kill();
        let (committed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_events")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
        (receiver.count(), committed)
    };
    // A burst of 10,000 events in 100 transactions over a second or more.
    let burst = async {
        let mut events = Vec::new();
        for _ in 0..100 {
            events.extend(app.commit_events(0, 100, 100).await);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        events
    };
    let (events, (killed_at, committed_at_kill)) = tokio::join!(burst, kill_mid_burst);
    assert!(
        committed_at_kill < 10_000,
        "killed while events were still being committed"
    );
    let _restarted = ServerProcess::start(&app).await;
    let received = receiver
        .wait_until(Duration::from_secs(50), |received| {
            received.len() >= events.len() && tally(received).0.len() == events.len()
        })
        .await;
    let (delivered, deliveries) = tally(&received);
    let expected: HashSet<String> = events.into_iter().collect();
    assert_eq!(delivered, expected, "no event is lost");
    assert_eq!(
        deliveries.len(),
        expected.len(),
        "one delivery ID per event"
    );
    eprintln!(
        "killed after {killed_at} deliveries, {committed_at_kill} events committed; {} requests in all ({} repeated after the kill)",
        received.len(),
        received.len() - expected.len()
    );
}

#[tokio::test]
async fn two_nodes_on_one_postgres_deliver_each_event_exactly_once() {
    let app = spawn_fast().await;
    if !app.on_postgres() {
        eprintln!(
            "skipped: nodes share a database on PostgreSQL only (set MOAPI_TEST_DATABASE_URL)"
        );
        return;
    }
    // Only the two `moapi serve` processes deliver; this process only commits events.
    app.stop_server();
    let receiver = Receiver::start(SECRET).await;
    app.insert_webhook(NewWebhook::to(&receiver.url, SECRET, &["CUSTOMER_CREATED"]))
        .await;
    let _first = ServerProcess::start(&app).await;
    let _second = ServerProcess::start(&app).await;
    let events = app.commit_events(0, 3_000, 50).await;
    receiver
        .wait_until(Duration::from_secs(40), |received| {
            received.len() >= events.len()
        })
        .await;
    // Time for a duplicate, if there were one, to arrive.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let received = receiver.received();
    let (delivered, deliveries) = tally(&received);
    assert_eq!(delivered.len(), events.len());
    let repeated: Vec<_> = deliveries.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "delivered twice: {repeated:?}");
    assert_eq!(received.len(), events.len());
    let (unfinished,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM moego_webhook_jobs WHERE state <> 'DONE'")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert_eq!(unfinished, 0);
}

/// The first code block of `language` in docs/webhooks.md.
fn documented(language: &str) -> String {
    let doc = include_str!("../../../docs/webhooks.md");
    let start = doc
        .find(&format!("```{language}\n"))
        .unwrap_or_else(|| panic!("docs/webhooks.md has a {language} block"))
        + language.len()
        + 4;
    let length = doc[start..].find("\n```").unwrap();
    doc[start..start + length].to_string()
}

/// Runs the documented Python verifier on one delivery; returns what it printed.
fn python_verifies(secret: &str, headers: &HashMap<String, String>, body: &[u8]) -> String {
    use std::io::Write;
    let script = format!(
        "{}\n\nimport json, sys\ncase = json.load(sys.stdin)\n\
         print(verify_moego_signature(case['secret'], case['headers'], base64.b64decode(case['body'])))\n",
        documented("python")
    );
    let mut child = std::process::Command::new("python3")
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let case = json!({"secret": secret, "headers": headers, "body": base64_encode(body)});
    child
        .stdin
        .take()
        .unwrap()
        .write_all(case.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

#[tokio::test]
async fn the_documented_verifiers_accept_real_deliveries_and_reject_tampered_ones() {
    // The Rust snippet is the receiver's own check, word for word.
    let helper = include_str!("common/webhook_deliveries.rs");
    let tested = helper
        .split("// BEGIN verify_moego_signature\n")
        .nth(1)
        .and_then(|rest| rest.split("// END verify_moego_signature").next())
        .unwrap();
    assert_eq!(documented("rust").trim_end(), tested.trim_end());

    let delivery = one_event_delivered(Some(SECRET), false).await;
    assert!(delivery.signature_valid);
    assert_eq!(
        python_verifies(SECRET, &delivery.headers, &delivery.body),
        "True"
    );
    let mut tampered = delivery.body.clone();
    tampered.push(b' ');
    assert_eq!(
        python_verifies(SECRET, &delivery.headers, &tampered),
        "False"
    );
    assert!(!verify_moego_signature(
        SECRET,
        &delivery.headers,
        &tampered
    ));
    assert_eq!(
        python_verifies("wrong", &delivery.headers, &delivery.body),
        "False"
    );
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

//! MOGU AI trip imports over HTTP: documents (text, Markdown, HTML, PDF, URL) become trips
//! whose itinerary days match them; jobs are public to read, cancellable by their agent only,
//! survive a server stopped mid-job, reach URLs only through the SSRF guard, and use a
//! configured model when there is one. Responses are checked against the reference schemas.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::fidelity::assert_mogu;
use common::{Reply, TestApp};
use moapi_core::Config;
use serde_json::{json, Value};

const ITINERARY: &str = "# France and Italy by Train

Ten days across two countries, starting 14 July 2025.

Day 1 - Paris
Arrival and a walk to the Eiffel Tower.

Dinner in Montmartre.

Day 2: Lyon
- Vieux Lyon
- Bouchon lunch

## Day 3
Turin and its arcades.

Day 4 - Rome
Colosseum, then a train home from Italy.
";

/// Fast polling, and 127.0.0.1 reachable through the guard for the tests' local servers.
fn quick(config: &mut Config) {
    config.ai.poll_interval = Duration::from_millis(20);
    config.outbound.allow = moapi_core::outbound::parse_allow_list("127.0.0.1/32").unwrap();
    config.outbound.timeout = Duration::from_secs(5);
}

async fn spawn_quick() -> TestApp {
    common::spawn_with(quick).await
}

async fn create_job(app: &TestApp, auth: &str, body: Value) -> Reply {
    app.send(
        app.client
            .post(app.url("/ai/trips/from-document"))
            .header("authorization", auth)
            .json(&body),
    )
    .await
}

async fn status(app: &TestApp, job_id: &str) -> Reply {
    app.send(
        app.client
            .get(app.url(&format!("/ai/trips/{job_id}/status"))),
    )
    .await
}

async fn cancel(app: &TestApp, auth: Option<&str>, job_id: &str) -> Reply {
    let mut request = app
        .client
        .post(app.url(&format!("/ai/trips/{job_id}/actions/cancel")));
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    app.send(request).await
}

/// Creates a job as agent a1 and returns its ID, checking the 202 answer.
async fn start(app: &TestApp, source: Value) -> String {
    let reply = create_job(app, &app.mogu_auth(0), json!({ "source": source })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_mogu("AiJobCreated", &reply.body);
    reply.body["jobId"].as_str().unwrap().to_string()
}

/// Polls the job's status until it leaves `processing` (or `stage` is reached), at most 15 s.
async fn wait_for(app: &TestApp, job_id: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..750 {
        let reply = status(app, job_id).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        if done(&reply.body) {
            assert_mogu("AiJobStatus", &reply.body);
            return reply.body;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "job {job_id} did not get there: {}",
        status(app, job_id).await.text
    );
}

async fn finished(app: &TestApp, job_id: &str) -> Value {
    wait_for(app, job_id, |job| job["status"] != "processing").await
}

async fn completed_trip(app: &TestApp, job_id: &str) -> (Value, Value) {
    let job = finished(app, job_id).await;
    assert_eq!(job["status"], "completed", "{job}");
    let trip = app
        .send(
            app.client
                .get(app.url(&format!("/trips/{}", job["tripId"])))
                .header("authorization", app.mogu_auth(0)),
        )
        .await;
    assert_eq!(trip.status, 200, "{}", trip.text);
    (job, trip.body)
}

/// The trip's blocks, as `GET /trips/{tripId}/config` shows them.
async fn blocks_of(app: &TestApp, trip_id: i64) -> Vec<Value> {
    let reply = app
        .send(
            app.client
                .get(app.url(&format!("/trips/{trip_id}/config")))
                .header("authorization", app.mogu_auth(0)),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_mogu("TripConfig", &reply.body);
    reply.body["blocks"].as_array().unwrap().clone()
}

/// The itinerary's days in display order: (title, date, text of the day's text block).
async fn days_of(app: &TestApp, trip_id: i64) -> Vec<(String, Value, String)> {
    let blocks = blocks_of(app, trip_id).await;
    let by_id = |id: &Value| {
        blocks
            .iter()
            .find(|block| block["id"] == *id)
            .unwrap_or_else(|| panic!("no block {id}"))
            .clone()
    };
    let itinerary = blocks
        .iter()
        .find(|block| block["type"] == "itinerary")
        .expect("an itinerary block");
    itinerary["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            let day = by_id(id);
            assert_eq!(day["type"], "itineraryDay");
            assert_eq!(day["parent"], itinerary["id"]);
            let text = day["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|child| {
                    let block = by_id(child);
                    assert_eq!(block["type"], "text");
                    block["content"]["text"].as_str().unwrap().to_string()
                })
                .collect::<Vec<_>>()
                .join("");
            (
                day["content"]["title"].as_str().unwrap().to_string(),
                day["content"]["date"].clone(),
                text,
            )
        })
        .collect()
}

fn titles(days: &[(String, Value, String)]) -> Vec<&str> {
    days.iter().map(|(title, _, _)| title.as_str()).collect()
}

#[tokio::test]
async fn a_multi_day_itinerary_text_becomes_a_trip_whose_days_match_the_document() {
    let app = spawn_quick().await;
    let reply = create_job(
        &app,
        &app.mogu_auth(0),
        json!({"source": {"type": "text", "text": ITINERARY}, "isTemplate": true}),
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_mogu("AiJobCreated", &reply.body);
    assert_eq!(reply.body["status"], "processing");
    let job_id = reply.body["jobId"].as_str().unwrap();
    let links = &reply.body["links"];
    let public = |path: String| format!("{}{path}", app.state.config.public_base_url);
    assert_eq!(
        links["status"],
        public(format!("/ai/trips/{job_id}/status"))
    );
    assert_eq!(
        links["cancel"],
        public(format!("/ai/trips/{job_id}/actions/cancel"))
    );
    assert_eq!(links["publicUrl"], public(format!("/p/ai/trips/{job_id}")));

    let (job, trip) = completed_trip(&app, job_id).await;
    assert_eq!(job["stage"], "completed");
    assert_eq!(job["tripSlug"], trip["slug"]);
    assert_eq!(
        job["publicUrl"],
        public(format!("/p/trips/{}", trip["slug"].as_str().unwrap()))
    );
    assert!(job.get("error").is_none());
    assert_eq!(trip["title"], "France and Italy by Train");
    assert_eq!(trip["dateStart"], "2025-07-14T00:00:00.000Z");
    assert_eq!(trip["dateFinish"], "2025-07-17T00:00:00.000Z");
    assert_eq!(trip["duration"], 4);
    assert_eq!(trip["countries"], json!(["FRA", "ITA"]));
    assert_eq!(trip["isTemplate"], true);

    let days = days_of(&app, trip["id"].as_i64().unwrap()).await;
    assert_eq!(titles(&days), ["Paris", "Lyon", "Day 3", "Rome"]);
    let dates: Vec<&Value> = days.iter().map(|(_, date, _)| date).collect();
    assert_eq!(
        dates,
        [
            &json!("2025-07-14"),
            &json!("2025-07-15"),
            &json!("2025-07-16"),
            &json!("2025-07-17")
        ]
    );
    assert_eq!(
        days[0].2,
        "<p>Arrival and a walk to the Eiffel Tower.</p><p>Dinner in Montmartre.</p>"
    );
    assert_eq!(
        days[1].2,
        "<ul><li>Vieux Lyon</li><li>Bouchon lunch</li></ul>"
    );

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = no_redirects
        .get(app.url(&format!("/p/ai/trips/{job_id}")))
        .send()
        .await
        .unwrap();
    assert!(page.status().is_redirection());
    assert_eq!(
        page.headers()[header::LOCATION],
        format!("/p/trips/{}", trip["slug"].as_str().unwrap())
    );
}

#[tokio::test]
async fn status_needs_no_key_and_unknown_jobs_are_not_found() {
    let app = spawn_quick().await;
    let job_id = start(
        &app,
        json!({"type": "text", "text": "Weekend\nDay 1 - Porto"}),
    )
    .await;
    let reply = status(&app, &job_id).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_mogu("AiJobStatus", &reply.body);
    assert_eq!(reply.body["jobId"], job_id.as_str());
    for unknown in ["1c2c38f3-e596-463e-9f62-75c7c3602770", "not-a-uuid"] {
        let reply = status(&app, unknown).await;
        assert_eq!(reply.status, 404);
        assert_mogu("AiError", &reply.body);
        assert_eq!(reply.body["error"]["code"], "job_not_found");
    }
    finished(&app, &job_id).await;
}

/// A PDF of one page, one text line per item.
fn pdf(lines: &[&str]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font_id}});
    let mut operations = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("TL", vec![18.into()]),
        Operation::new("Td", vec![50.into(), 780.into()]),
    ];
    for line in lines {
        operations.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
        operations.push(Operation::new("T*", vec![]));
    }
    operations.push(Operation::new("ET", vec![]));
    let content = Content { operations };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[tokio::test]
async fn html_markdown_and_pdf_documents_are_read_alike() {
    let app = spawn_quick().await;
    let html = "<!doctype html><html><head><title>x</title><style>h1{color:red}</style></head>\
                <body><h1>Alps &amp; Lakes</h1><p>Switzerland, from 2025-09-01.</p>\
                <h2>Day 1 - Geneva</h2><p>Walk by the lake.</p>\
                <h2>Day 2: Zermatt</h2><p>Train to <b>Zermatt</b>.</p></body></html>";
    let markdown = "# Alps & Lakes\n\nSwitzerland, from 2025-09-01.\n\n## Day 1 - Geneva\n\
                    Walk by the **lake**.\n\n## Day 2: Zermatt\nTrain to [Zermatt](https://z.example).\n";
    let pdf = pdf(&[
        "Alps & Lakes",
        "Switzerland, from 2025-09-01.",
        "Day 1 - Geneva",
        "Walk by the lake.",
        "Day 2: Zermatt",
        "Train to Zermatt.",
    ]);
    let sources = [
        json!({"type": "inline", "filename": "alps.html", "data": STANDARD.encode(html)}),
        json!({"type": "text", "text": markdown}),
        json!({"type": "inline", "filename": "alps.pdf", "data": STANDARD.encode(&pdf)}),
        // No extension: the content tells it is a PDF.
        json!({"type": "inline", "filename": "alps", "data": STANDARD.encode(&pdf)}),
    ];
    for source in sources {
        let job_id = start(&app, source.clone()).await;
        let (_, trip) = completed_trip(&app, &job_id).await;
        assert_eq!(trip["title"], "Alps & Lakes", "{source}");
        assert_eq!(trip["countries"], json!(["CHE"]));
        assert_eq!(trip["dateStart"], "2025-09-01T00:00:00.000Z");
        assert_eq!(trip["dateFinish"], "2025-09-02T00:00:00.000Z");
        let days = days_of(&app, trip["id"].as_i64().unwrap()).await;
        assert_eq!(titles(&days), ["Geneva", "Zermatt"], "{source}");
        assert!(days[0].2.contains("Walk by the lake."), "{:?}", days[0]);
        assert!(days[1].2.contains("Train to Zermatt."), "{:?}", days[1]);
    }
}

#[tokio::test]
async fn bad_sources_get_the_reference_error_codes() {
    let app = spawn_quick().await;
    let auth = app.mogu_auth(0);
    for (body, code) in [
        (json!({}), "invalid_source"),
        (json!({"source": {"type": "fax"}}), "invalid_source"),
        (
            json!({"source": {"type": "text", "text": "  "}}),
            "invalid_source",
        ),
        (
            json!({"source": {"type": "text", "text": 42}}),
            "invalid_source",
        ),
        (
            json!({"source": {"type": "inline", "filename": "a.pdf", "data": "%%%"}}),
            "invalid_source",
        ),
        (
            json!({"source": {"type": "inline", "filename": "photo.jpg", "data": "aGk="}}),
            "unsupported_format",
        ),
        (
            json!({"source": {"type": "inline", "filename": "blob", "data": STANDARD.encode([0xff, 0xfe, 0x00, 0x81])}}),
            "unsupported_format",
        ),
        (
            json!({"source": {"type": "url", "url": "ftp://files.example/a.pdf"}}),
            "invalid_url",
        ),
        (
            json!({"source": {"type": "url", "url": "not a url"}}),
            "invalid_url",
        ),
    ] {
        let reply = create_job(&app, &auth, body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_mogu("AiError", &reply.body);
        assert_eq!(reply.body["error"]["code"], code, "{body}");
    }
    for (what, body) in [
        ("malformed JSON", b"{\"source\":".to_vec()),
        ("an array", b"[1,2]".to_vec()),
        (
            "invalid UTF-8",
            b"{\"source\":{\"type\":\"text\",\"text\":\"\xff\"}}".to_vec(),
        ),
        (
            "deep nesting",
            format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
    ] {
        let reply = app
            .send(
                app.client
                    .post(app.url("/ai/trips/from-document"))
                    .header("authorization", &auth)
                    .body(body),
            )
            .await;
        assert_eq!(reply.status, 400, "{what}: {}", reply.text);
        assert_mogu("AiError", &reply.body);
        assert_eq!(reply.body["error"]["code"], "invalid_source", "{what}");
    }
    let text = json!({"source": {"type": "text", "text": "Day 1 - Paris"}});
    let reply = app
        .send(
            app.client
                .post(app.url("/ai/trips/from-document"))
                .json(&text),
        )
        .await;
    assert_eq!(reply.status, 401);
    assert_mogu("AiError", &reply.body);
    assert_eq!(reply.body["error"]["code"], "missing_api_key");
    let reply = create_job(&app, "Bearer ak_wrong", text).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["error"]["code"], "invalid_api_key");
}

/// A local document server: an HTML itinerary, and a redirect towards the metadata address.
async fn document_server() -> SocketAddr {
    let html = "<html><body><h1>Lisbon Long Weekend</h1><p>Portugal, 3 October 2025.</p>\
                <h2>Day 1 - Alfama</h2><p>Tram 28.</p><h2>Day 2 - Belem</h2><p>Pasteis.</p>\
                </body></html>";
    let router = Router::new()
        .route(
            "/itinerary",
            get(
                move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html) },
            ),
        )
        .route(
            "/moved",
            get(|| async { axum::response::Redirect::temporary("/itinerary") }),
        )
        .route(
            "/to-metadata",
            get(|| async {
                axum::response::Redirect::temporary("http://169.254.169.254/latest/meta-data/")
            }),
        )
        .route(
            "/huge",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/plain")],
                    "x".repeat(64 * 1024),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    address
}

#[tokio::test]
async fn url_sources_reach_allow_listed_hosts_only() {
    let app = common::spawn_with(|config| {
        quick(config);
        config.outbound.max_bytes = 32 * 1024;
    })
    .await;
    let server = document_server().await;

    for path in ["/itinerary", "/moved"] {
        let url = format!("http://{server}{path}");
        let job_id = start(&app, json!({"type": "url", "url": url})).await;
        let (_, trip) = completed_trip(&app, &job_id).await;
        assert_eq!(trip["title"], "Lisbon Long Weekend");
        assert_eq!(trip["countries"], json!(["PRT"]));
        assert_eq!(trip["dateStart"], "2025-10-03T00:00:00.000Z");
        let days = days_of(&app, trip["id"].as_i64().unwrap()).await;
        assert_eq!(titles(&days), ["Alfama", "Belem"]);
    }

    for refused in [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://10.0.0.7/itinerary.pdf",
        "http://[::1]/itinerary",
        "http://127.0.0.2/itinerary",
    ] {
        let reply = create_job(
            &app,
            &app.mogu_auth(0),
            json!({"source": {"type": "url", "url": refused}}),
        )
        .await;
        assert_eq!(reply.status, 400, "{refused}: {}", reply.text);
        assert_mogu("AiError", &reply.body);
        assert_eq!(reply.body["error"]["code"], "invalid_url", "{refused}");
    }

    // Refusals found while fetching end the job with a message instead.
    for (path, reason) in [
        ("/to-metadata", "cloud metadata"),
        ("/huge", "larger than 32768 bytes"),
        ("/missing", "HTTP 404"),
    ] {
        let url = format!("http://{server}{path}");
        let job_id = start(&app, json!({"type": "url", "url": url})).await;
        let job = finished(&app, &job_id).await;
        assert_eq!(job["status"], "error", "{job}");
        assert_eq!(job["stage"], "extractingText");
        assert_eq!(job["tripId"], Value::Null);
        let error = job["error"].as_str().unwrap();
        assert!(error.contains(reason), "{path}: {error}");
    }
}

#[tokio::test]
async fn only_the_creating_agent_cancels_and_only_while_processing() {
    let app = common::spawn_with(|config| {
        quick(config);
        config.ai.stage_delay = Duration::from_millis(700);
    })
    .await;
    let job_id = start(&app, json!({"type": "text", "text": ITINERARY})).await;

    let reply = cancel(&app, None, &job_id).await;
    assert_eq!(reply.status, 401);
    assert_mogu("AiError", &reply.body);
    assert_eq!(reply.body["error"]["code"], "missing_api_key");
    let reply = cancel(&app, Some("Bearer ak_nope"), &job_id).await;
    assert_eq!(reply.body["error"]["code"], "invalid_api_key");
    // Another agent of the same account, and an agent of another account: as if unknown.
    for other in [1, 2] {
        let reply = cancel(&app, Some(&app.mogu_auth(other)), &job_id).await;
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_mogu("AiError", &reply.body);
        assert_eq!(reply.body["error"]["code"], "job_not_found");
    }
    let reply = cancel(
        &app,
        Some(&app.mogu_auth(0)),
        "1c2c38f3-e596-463e-9f62-75c7c3602770",
    )
    .await;
    assert_eq!(reply.status, 404);

    let reply = cancel(&app, Some(&app.mogu_auth(0)), &job_id).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_mogu("AiJobStatus", &reply.body);
    assert_eq!(reply.body["status"], "canceled");
    assert_eq!(reply.body["tripId"], Value::Null);

    let reply = cancel(&app, Some(&app.mogu_auth(0)), &job_id).await;
    assert_eq!(reply.status, 400);
    assert_mogu("AiError", &reply.body);
    assert_eq!(reply.body["error"]["code"], "job_not_cancelable");

    // The worker notices at its next stage and creates nothing.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let job = status(&app, &job_id).await.body;
    assert_eq!(job["status"], "canceled");
    assert_eq!(job["tripId"], Value::Null);
    let trips = app
        .send(
            app.client
                .get(app.url("/trips"))
                .header("authorization", app.mogu_auth(0)),
        )
        .await;
    assert_eq!(trips.body["totalCount"], 0);

    // A finished job cannot be cancelled either.
    let fast = spawn_quick().await;
    let done = start(&fast, json!({"type": "text", "text": "Trip\nDay 1 - Oslo"})).await;
    finished(&fast, &done).await;
    let reply = cancel(&fast, Some(&fast.mogu_auth(0)), &done).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["error"]["code"], "job_not_cancelable");
}

#[tokio::test]
async fn a_job_survives_its_server_stopping_mid_processing() {
    // The first server dawdles in every stage and holds a one-second lease.
    let app = common::spawn_with(|config| {
        quick(config);
        config.ai.stage_delay = Duration::from_secs(5);
        config.ai.job_lease = Duration::from_secs(1);
    })
    .await;
    let job_id = start(&app, json!({"type": "text", "text": ITINERARY})).await;
    wait_for(&app, &job_id, |job| job["stage"] == "extractingText").await;
    app.stop_server();

    // Another server on the same database takes the job up once the lease has expired.
    let (base, _second) = app
        .second_node_with(|config| config.ai.stage_delay = Duration::ZERO)
        .await;
    let status_url = format!("{base}/ai/trips/{job_id}/status");
    let mut job = Value::Null;
    for _ in 0..400 {
        job = app.send(app.client.get(&status_url)).await.body;
        if job["status"] != "processing" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(job["status"], "completed", "{job}");
    let trip_id = job["tripId"].as_i64().unwrap();
    let days = days_of(&app, trip_id).await;
    assert_eq!(titles(&days), ["Paris", "Lyon", "Day 3", "Rome"]);
    let (trips,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mogu_trips")
        .fetch_one(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    assert_eq!(trips, 1, "the job made exactly one trip");
}

type Seen = Arc<Mutex<Vec<(HeaderMap, Value)>>>;

/// A fake chat completions endpoint answering `content` and recording each request.
async fn fake_model(content: String) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let recorder = seen.clone();
    let router = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, Json(request): Json<Value>| {
            let recorder = recorder.clone();
            let content = content.clone();
            async move {
                recorder.lock().unwrap().push((headers, request));
                if content.is_empty() {
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
                Json(json!({
                    "id": "chatcmpl-1", "object": "chat.completion",
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}]
                }))
                .into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{address}/v1/chat/completions"), seen)
}

#[tokio::test]
async fn a_configured_model_is_asked_and_its_answer_validated() {
    let answer = json!({
        "title": "Kyoto in Spring",
        "introduction": "Temples and gardens.",
        "countries": ["JPN"],
        "days": [
            {"day": 1, "title": "Higashiyama", "date": "2026-04-01", "text": "Kiyomizu-dera.\n\nGion at dusk."},
            {"day": 2, "title": "Arashiyama", "date": null, "text": "Bamboo grove."}
        ]
    });
    let (endpoint, seen) = fake_model(answer.to_string()).await;
    let app = common::spawn_with(|config| {
        quick(config);
        config.ai.endpoint = Some(endpoint);
        config.ai.api_key = Some("sk-test-key".into());
        config.ai.model = "test-model".into();
    })
    .await;
    let job_id = start(
        &app,
        json!({"type": "text", "text": "Kyoto, two days in April"}),
    )
    .await;
    let (_, trip) = completed_trip(&app, &job_id).await;
    assert_eq!(trip["title"], "Kyoto in Spring");
    assert_eq!(trip["countries"], json!(["JPN"]));
    assert_eq!(trip["dateStart"], "2026-04-01T00:00:00.000Z");
    assert_eq!(trip["dateFinish"], "2026-04-02T00:00:00.000Z");
    let days = days_of(&app, trip["id"].as_i64().unwrap()).await;
    assert_eq!(titles(&days), ["Higashiyama", "Arashiyama"]);
    assert_eq!(days[0].2, "<p>Kiyomizu-dera.</p><p>Gion at dusk.</p>");
    assert_eq!(days[1].1, json!("2026-04-02"));

    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let (headers, request) = &requests[0];
    assert_eq!(headers["authorization"], "Bearer sk-test-key");
    assert_eq!(request["model"], "test-model");
    assert_eq!(request["response_format"], json!({"type": "json_object"}));
    assert_eq!(
        request["messages"][1]["content"],
        "Kyoto, two days in April"
    );

    // An answer that is not a trip, and a failing endpoint, fail the job with a reason.
    for (content, reason) in [
        (
            json!({"title": "No days"}).to_string(),
            "days must be an array",
        ),
        (String::new(), "HTTP 500"),
    ] {
        let (endpoint, _) = fake_model(content).await;
        let app = common::spawn_with(|config| {
            quick(config);
            config.ai.endpoint = Some(endpoint);
        })
        .await;
        let job_id = start(&app, json!({"type": "text", "text": "Anything"})).await;
        let job = finished(&app, &job_id).await;
        assert_eq!(job["status"], "error");
        assert_eq!(job["stage"], "generatingBlocks");
        assert!(job["error"].as_str().unwrap().contains(reason), "{job}");
    }
}

#[tokio::test]
async fn nodes_sharing_a_database_run_each_job_once_even_when_stages_outlast_the_lease() {
    // Every stage lasts longer than the lease: only renewals keep a job with its worker.
    let slow = |config: &mut Config| {
        quick(config);
        config.ai.stage_delay = Duration::from_millis(700);
        config.ai.job_lease = Duration::from_millis(600);
    };
    let app = common::spawn_with(slow).await;
    let (_base, _second) = app.second_node_with(slow).await;
    let mut jobs = Vec::new();
    for city in ["Oslo", "Bergen", "Tromso", "Stavanger"] {
        let text = format!("{city} trip\nDay 1 - {city}\nDay 2 - Fjords of Norway");
        jobs.push(start(&app, json!({"type": "text", "text": text})).await);
    }
    for job_id in &jobs {
        let job = finished(&app, job_id).await;
        assert_eq!(job["status"], "completed", "{job}");
    }
    let (trips, attempts): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM mogu_trips), (SELECT MAX(attempts) FROM mogu_ai_jobs)",
    )
    .fetch_one(app.state.db.conn().get().await.unwrap())
    .await
    .unwrap();
    assert_eq!(trips, 4, "one trip per job");
    assert_eq!(attempts, 1, "no job was taken from a live worker");
    let (kept,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mogu_ai_jobs WHERE source_data <> ''")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert_eq!(kept, 0, "documents are dropped once their job has ended");
}

#[tokio::test]
async fn unreadable_documents_end_their_job_with_a_reason() {
    let app = spawn_quick().await;
    for (source, stage, reason) in [
        (
            json!({"type": "inline", "filename": "broken.pdf", "data": STANDARD.encode("not a PDF at all")}),
            "extractingText",
            "PDF document could not be read",
        ),
        (
            json!({"type": "inline", "filename": "empty.html", "data": STANDARD.encode("<html><body><script>x()</script></body></html>")}),
            "generatingBlocks",
            "Could not extract trip information from document",
        ),
    ] {
        let job_id = start(&app, source.clone()).await;
        let job = finished(&app, &job_id).await;
        assert_eq!(job["status"], "error", "{source}: {job}");
        assert_eq!(job["stage"], stage, "{source}");
        assert_eq!(job["tripId"], Value::Null);
        assert!(job["error"].as_str().unwrap().contains(reason), "{job}");
    }
}

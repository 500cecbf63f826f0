//! MOGU public pages: a public trip's page rendered by headless Chromium on a phone and a
//! desktop, view counting through `GET /trips/{tripId}/visualizations`, public catalogs, and
//! what visitors must never get (private, unknown or expired trips, hostile markup).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::fidelity::assert_mogu;
use common::TestApp;
use moapi_core::time::now_micros;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";

/// A three-day itinerary with text, a dropdown, a hidden block and the contact card.
fn itinerary_config() -> Value {
    json!({
        "blocks": [
            {"id": "intro", "type": "title", "parent": null, "children": [], "content": {"title": "Your journey"}},
            {"id": "itin", "type": "itinerary", "parent": null, "children": ["d1", "d2", "d3"]},
            {"id": "d1", "type": "itineraryDay", "parent": "itin", "children": ["d1-text"], "content": {"title": "Arrival in Paris"}},
            {"id": "d1-text", "type": "text", "parent": "d1", "children": [],
             "content": {"text": "<p>Check in at the hotel, then a <b>Seine cruise</b> at sunset.</p>"}},
            {"id": "d2", "type": "itineraryDay", "parent": "itin", "children": ["d2-text", "d2-secret"], "content": {"title": "Versailles Palace"}},
            {"id": "d2-text", "type": "text", "parent": "d2", "children": [], "content": {"text": "<p>Gardens and the Hall of Mirrors.</p>"}},
            {"id": "d2-secret", "type": "text", "parent": "d2", "children": [], "hidden": true, "content": {"text": "<p>Internal margin note</p>"}},
            {"id": "d3", "type": "itineraryDay", "parent": "itin", "children": ["faq"], "content": {"title": "Farewell in Montmartre"}},
            {"id": "faq", "type": "dropdown", "parent": "d3", "children": ["faq-text"], "content": {"title": "What is included?"}},
            {"id": "faq-text", "type": "text", "parent": "faq", "children": [], "content": {"text": "<ul><li>Breakfasts</li><li>Transfers</li></ul>"}},
            {"id": "lead", "type": "form", "parent": null, "children": [], "content": {"title": "Lead form"}}
        ],
        "contact": {"agentName": "Ann Lee", "agencyName": "Travel Dreams Agency", "email": "ann@dreams.example",
                    "phoneNumber": "+33 1 23 45 67 89", "visible": true},
        "settings": {"canDownloadPdf": true, "canCreateCopy": false, "hasExpiration": false}
    })
}

const DAY_TITLES: [&str; 3] = [
    "Arrival in Paris",
    "Versailles Palace",
    "Farewell in Montmartre",
];

/// Creates a trip of agent `agent` with `fields`, public unless they say otherwise.
async fn new_trip(app: &TestApp, agent: usize, fields: Value) -> Value {
    let mut body = json!({"isPublic": true, "dateStart": "2025-07-15T00:00:00.000Z",
                          "dateFinish": "2025-07-17T00:00:00.000Z", "duration": 3, "countries": ["FRA"]});
    body.as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    let reply = app.create_trip(&app.mogu_auth(agent), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

/// Like [`new_trip`], then gives the trip `config` through `PATCH /trips/{tripId}/config`.
async fn trip_with_config(app: &TestApp, agent: usize, fields: Value, config: &Value) -> Value {
    let trip = new_trip(app, agent, fields).await;
    let path = format!("/trips/{}/config", trip["id"]);
    mogu_call(
        app,
        agent,
        reqwest::Method::PATCH,
        &path,
        config.clone(),
        200,
    )
    .await;
    trip
}

/// Stores `config` (blocks and contact) as the trip's config straight into the database, as
/// no client could: content the config API would refuse, to test the page's own defences.
async fn store_raw_config(app: &TestApp, trip: &Value, config: &Value) {
    let mut document = json!({"blocks": [], "contact": {}, "slider": [], "theme": {},
        "settings": {"canDownloadPdf": true, "canCreateCopy": false, "hasExpiration": false}});
    document
        .as_object_mut()
        .unwrap()
        .extend(config.as_object().unwrap().clone());
    sqlx::query(
        "INSERT INTO mogu_trip_configs (trip_id, revision, config, updated_at) VALUES ($1, 1, $2, $3)",
    )
    .bind(trip["id"].as_i64().unwrap())
    .bind(document.to_string())
    .bind(now_micros())
    .execute(app.state.db.conn().get().await.unwrap())
    .await
    .unwrap();
}

fn page_path(trip: &Value) -> String {
    format!("/p/trips/{}", trip["slug"].as_str().unwrap())
}

struct Page {
    status: u16,
    headers: reqwest::header::HeaderMap,
    html: String,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |value| value.to_str().unwrap())
    }
}

async fn visit(app: &TestApp, path: &str, user_agent: &str) -> Page {
    visit_at(app, &app.url(path), user_agent).await
}

async fn visit_at(app: &TestApp, url: &str, user_agent: &str) -> Page {
    let response = app
        .client
        .get(url)
        .header("user-agent", user_agent)
        .send()
        .await
        .expect("the server answers");
    Page {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        html: response.text().await.unwrap(),
    }
}

async fn visualizations(
    app: &TestApp,
    agent: usize,
    trip: &Value,
    query: &[(&str, &str)],
) -> common::Reply {
    app.send(
        app.client
            .get(app.url(&format!("/trips/{}/visualizations", trip["id"])))
            .header("authorization", app.mogu_auth(agent))
            .query(query),
    )
    .await
}

/// Checks a visualizations body against the reference's TripVisualizations once moapi's
/// documented extensions (docs/compatibility.md) are set aside: the reference's own fields
/// must keep their types and nothing else may appear.
fn assert_visualizations_fidelity(body: &Value) {
    let mut reference_part = body.clone();
    let object = reference_part.as_object_mut().unwrap();
    for extension in [
        "uniqueVisitors",
        "lastViewedAt",
        "page",
        "pageSize",
        "totalDays",
        "totalPages",
    ] {
        assert!(
            object.remove(extension).is_some(),
            "{extension} missing from {body}"
        );
    }
    for day in object["data"].as_array_mut().unwrap() {
        let day = day.as_object_mut().unwrap();
        for extension in ["date", "views", "uniqueVisitors"] {
            assert!(
                day.remove(extension).is_some(),
                "{extension} missing from {body}"
            );
        }
    }
    assert_mogu("TripVisualizations", &reference_part);
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium

/// Runs Chromium headless on `url` with `extra` arguments in a fresh profile; returns stdout.
async fn chromium(url: &str, extra: &[String]) -> String {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: the public page tests render in Debian's Chromium; \
         install it with `apt-get install -y chromium` (`scripts/test` does so)"
    );
    let profile =
        std::env::temp_dir().join(format!("moapi-chromium-{:016x}", rand::random::<u64>()));
    let mut command = tokio::process::Command::new(CHROMIUM);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(90), command.output())
        .await
        .expect("chromium finishes within 90 s")
        .expect("chromium starts");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("chromium prints UTF-8")
}

/// Screenshots `url` in a window of `width`×`height` and decodes the PNG.
async fn screenshot(url: &str, width: u32, height: u32) -> (png::OutputInfo, Vec<u8>) {
    let file: PathBuf =
        std::env::temp_dir().join(format!("moapi-shot-{:016x}.png", rand::random::<u64>()));
    chromium(
        url,
        &[
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", file.display()),
        ],
    )
    .await;
    let bytes = std::fs::read(&file).expect("chromium wrote the screenshot");
    let _ = std::fs::remove_file(&file);
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("the screenshot is a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
    let info = reader.next_frame(&mut pixels).expect("the PNG decodes");
    pixels.truncate(info.buffer_size());
    (info, pixels)
}

/// Asserts a screenshot has the window's size and shows a rendered page, not a blank one:
/// many colours, and a good share of pixels that are not the background's.
fn assert_rendered(info: &png::OutputInfo, pixels: &[u8], width: u32, height: u32) {
    assert_eq!(
        (info.width, info.height),
        (width, height),
        "screenshot size"
    );
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let samples = info.color_type.samples();
    assert!(
        samples >= 3,
        "a colour screenshot, got {:?}",
        info.color_type
    );
    let mut colours: HashMap<[u8; 3], usize> = HashMap::new();
    for pixel in pixels.chunks_exact(samples) {
        *colours.entry([pixel[0], pixel[1], pixel[2]]).or_default() += 1;
    }
    let total = (width * height) as usize;
    let background = colours.values().copied().max().unwrap_or(total);
    assert!(
        colours.len() >= 24,
        "only {} colours: the page looks blank",
        colours.len()
    );
    assert!(
        (total - background) * 100 >= total * 3,
        "{} of {total} pixels differ from the background: the page looks blank",
        total - background
    );
}

#[tokio::test]
async fn a_public_trip_renders_in_headless_chromium_on_a_phone_and_a_desktop() {
    let app = common::spawn().await;
    let trip = trip_with_config(
        &app,
        0,
        json!({"title": "Paris in Three Days", "seoDescription": "Classic Paris with a day at Versailles"}),
        &itinerary_config(),
    )
    .await;
    let url = app.url(&page_path(&trip));

    for (width, height) in [(390, 844), (1280, 800)] {
        let (info, pixels) = screenshot(&url, width, height).await;
        assert_rendered(&info, &pixels, width, height);
    }

    let dom = chromium(&url, &["--dump-dom".to_string()]).await;
    let mut last = 0;
    for title in DAY_TITLES {
        let at = dom
            .find(title)
            .unwrap_or_else(|| panic!("{title} not in the DOM:\n{dom}"));
        assert!(at > last, "days are shown in children order");
        last = at;
    }
    assert!(dom.contains("<h1>Paris in Three Days</h1>"));
    assert!(dom.contains("Seine cruise") && dom.contains("What is included?"));
    assert!(dom.contains("Travel Dreams Agency") && dom.contains("mailto:ann@dreams.example"));
    assert!(
        !dom.contains("Internal margin note"),
        "hidden blocks are not rendered"
    );
    assert!(
        !dom.contains("Lead form"),
        "unknown block types are skipped"
    );

    let counted = visualizations(&app, 0, &trip, &[]).await;
    assert_eq!(counted.status, 200, "{}", counted.text);
    assert_eq!(
        counted.body["totalCount"], 3,
        "each browser load is a view: {}",
        counted.body
    );
    assert_eq!(
        counted.body["uniqueVisitors"], 1,
        "one browser on one address"
    );
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP

#[tokio::test]
async fn every_view_counts_and_visitors_are_unique_per_day() {
    let app = common::spawn().await;
    let trip = trip_with_config(
        &app,
        0,
        json!({"title": "Lisbon Weekend"}),
        &itinerary_config(),
    )
    .await;
    let path = page_path(&trip);

    let empty = visualizations(&app, 0, &trip, &[]).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_visualizations_fidelity(&empty.body);
    assert_eq!(
        empty.body,
        json!({"tripId": trip["id"], "totalCount": 0, "uniqueVisitors": 0, "lastViewedAt": null,
               "data": [], "page": 1, "pageSize": 20, "totalDays": 0, "totalPages": 0})
    );

    for user_agent in ["Phone", "Phone", "Phone", "Laptop", "Laptop"] {
        assert_eq!(visit(&app, &path, user_agent).await.status, 200);
    }
    let head = app.client.head(app.url(&path)).send().await.unwrap();
    assert_eq!(
        head.status(),
        200,
        "HEAD answers like GET but is not a view"
    );
    // Another node of the deployment shares the day's salt: the same visitor stays one.
    let (second_base, second_server) = app.second_node().await;
    let page = visit_at(&app, &format!("{second_base}{path}"), "Phone").await;
    assert_eq!(page.status, 200);
    second_server.abort();

    let counted = visualizations(&app, 0, &trip, &[]).await;
    assert_eq!(counted.status, 200, "{}", counted.text);
    assert_visualizations_fidelity(&counted.body);
    let body = &counted.body;
    assert_eq!(
        (&body["totalCount"], &body["uniqueVisitors"]),
        (&json!(6), &json!(2)),
        "{body}"
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(body["data"].as_array().unwrap().len(), 1, "{body}");
    let day = &body["data"][0];
    assert_eq!(
        (&day["date"], &day["views"], &day["uniqueVisitors"]),
        (&json!(today), &json!(6), &json!(2))
    );
    assert_eq!(day["viewedAt"], body["lastViewedAt"]);
    assert_eq!(
        (&body["totalDays"], &body["totalPages"]),
        (&json!(1), &json!(1))
    );

    // Totals follow the days the filters select.
    let filters = format!(r#"[{{"field":"date","operator":"gt","value":"{today}"}}]"#);
    let later = visualizations(&app, 0, &trip, &[("filters", &filters)]).await;
    assert_eq!(later.status, 200, "{}", later.text);
    assert_eq!(
        (&later.body["totalCount"], &later.body["data"]),
        (&json!(0), &json!([]))
    );

    // The visitor hashes hold no address, and today's salt lives in the database.
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT day, visitor_hash FROM mogu_trip_views ORDER BY visitor_hash")
            .fetch_all(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert_eq!(rows.len(), 2);
    for (_, hash) in &rows {
        assert!(hash.len() == 32 && !hash.contains("127.0.0.1"), "{hash}");
    }
    let salts: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM deployment_settings WHERE name LIKE 'visitor%'")
            .fetch_all(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert_eq!(salts, [(format!("visitor_salt:{today}"),)]);
}

#[tokio::test]
async fn visualizations_are_for_the_trips_account_only() {
    let app = common::spawn().await;
    let trip = trip_with_config(&app, 0, json!({"title": "Rome"}), &json!({"blocks": []})).await;
    visit(&app, &page_path(&trip), "Phone").await;
    assert_eq!(
        visualizations(&app, 1, &trip, &[]).await.body["totalCount"],
        1,
        "any agent of the account"
    );
    let foreign = visualizations(&app, 2, &trip, &[]).await;
    assert_eq!(foreign.status, 404);
    assert_eq!(
        foreign.body,
        json!({"errors": {"tripId": ["trip not found"]}})
    );
    let anonymous = app
        .send(
            app.client
                .get(app.url(&format!("/trips/{}/visualizations", trip["id"]))),
        )
        .await;
    assert_eq!(anonymous.status, 401);
    let bad_id = app
        .send(
            app.client
                .get(app.url("/trips/abc/visualizations"))
                .header("authorization", app.mogu_auth(0)),
        )
        .await;
    assert_eq!(bad_id.status, 400);
    assert!(bad_id.body["errors"]["tripId"].is_array());
    for (parameter, value) in [
        ("pageSize", "0"),
        ("page", "x"),
        ("filters", "[{"),
        (
            "filters",
            r#"[{"field":"views","operator":"gt","value":1}]"#,
        ),
        ("orderBy", r#"{"field":"visitor","direction":"asc"}"#),
    ] {
        let reply = visualizations(&app, 0, &trip, &[(parameter, value)]).await;
        assert_eq!(reply.status, 400, "{parameter}={value}");
        assert!(reply.body["errors"][parameter].is_array(), "{}", reply.text);
    }
}

#[tokio::test]
async fn private_unknown_and_expired_trips_are_not_shown() {
    let app = common::spawn().await;
    let private = trip_with_config(
        &app,
        0,
        json!({"title": "Secret Retreat", "isPublic": false}),
        &itinerary_config(),
    )
    .await;
    let expired = trip_with_config(
        &app,
        0,
        json!({"title": "Last Summer", "dateExpiration": "2020-01-01T00:00:00.000Z"}),
        &itinerary_config(),
    )
    .await;
    for path in [
        page_path(&private),
        "/p/trips/no-such-trip-abc123".to_string(),
        "/p/trips/%FF".to_string(),
        "/p/elsewhere".to_string(),
    ] {
        let page = visit(&app, &path, "Phone").await;
        assert_eq!(page.status, 404, "{path}");
        assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
        assert!(page.html.contains("Page not found"), "{}", page.html);
        assert!(!page.html.contains("Secret Retreat") && !page.html.contains("Arrival in Paris"));
    }
    let gone = visit(&app, &page_path(&expired), "Phone").await;
    assert_eq!(gone.status, 410);
    assert!(
        gone.html.contains("This offer has expired") && !gone.html.contains("Arrival in Paris")
    );
    for trip in [&private, &expired] {
        assert_eq!(
            visualizations(&app, 0, trip, &[]).await.body["totalCount"],
            0,
            "no view of a page not shown"
        );
    }
    // Made public, the private trip is reachable.
    let path = format!("/trips/{}/visibility", private["id"]);
    let body = json!({"isPublic": true});
    mogu_call(&app, 0, reqwest::Method::PATCH, &path, body, 200).await;
    assert_eq!(visit(&app, &page_path(&private), "Phone").await.status, 200);
}

#[tokio::test]
async fn a_trip_without_a_config_shows_its_agent_as_contact() {
    let app = common::spawn().await;
    let trip = new_trip(&app, 0, json!({"title": "Quick Quote"})).await;
    let page = visit(&app, &page_path(&trip), "Phone").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("<h1>Quick Quote</h1>"));
    assert!(page.html.contains("Agent A1") && page.html.contains("mailto:a1@a.example"));
    assert!(
        page.html.contains("<span>Account A</span>"),
        "the account names the top bar"
    );
}

#[tokio::test]
async fn embed_mode_may_be_framed_and_drops_the_page_chrome() {
    let app = common::spawn().await;
    let trip = trip_with_config(
        &app,
        0,
        json!({"title": "Alps by Train"}),
        &itinerary_config(),
    )
    .await;
    let normal = visit(&app, &page_path(&trip), "Phone").await;
    assert_eq!(normal.status, 200);
    assert_eq!(normal.header("x-frame-options"), "DENY");
    let policy = normal.header("content-security-policy");
    assert!(
        policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"),
        "{policy}"
    );
    assert!(policy.contains("style-src 'sha256-"), "{policy}");
    assert_eq!(normal.header("x-content-type-options"), "nosniff");
    assert!(normal.html.contains("<header class=\"bar\">") && normal.html.contains("<footer"));

    let embedded = visit(&app, &format!("{}?embed=true", page_path(&trip)), "Phone").await;
    assert_eq!(embedded.status, 200);
    assert_eq!(embedded.header("x-frame-options"), "");
    assert!(embedded
        .header("content-security-policy")
        .contains("frame-ancestors *"));
    assert!(embedded.html.contains("<body class=\"embed\">"));
    assert!(!embedded.html.contains("class=\"bar\"") && !embedded.html.contains("<footer"));
    for title in DAY_TITLES {
        assert!(embedded.html.contains(title), "{title}");
    }
    assert_eq!(
        visualizations(&app, 0, &trip, &[]).await.body["totalCount"],
        2,
        "embedded views count too"
    );
}

#[tokio::test]
async fn hostile_content_is_escaped_or_sanitised() {
    let app = common::spawn().await;
    let config = json!({
        "blocks": [
            {"id": "t", "type": "text", "parent": null, "children": [],
             "content": {"text": "<p>Fine <b>print</b></p><script>alert('text')</script><img src=x onerror=alert(1)><a href=\"javascript:alert(2)\">click</a><SCRIPT SRC=//evil.example/x.js></SCRIPT>"}},
            {"id": "h", "type": "title", "parent": null, "children": [], "content": {"title": "<script>alert('title')</script>"}},
            {"id": "g", "type": "gallery", "parent": null, "children": [],
             "content": {"images": [{"url": "javascript:alert(3)"}, {"url": "https://img.example/a.jpg\" onload=\"alert(4)"}]}}
        ],
        "contact": {"agentName": "</p><script>alert('contact')</script>", "web": "javascript:alert(5)", "visible": true}
    });
    let trip = new_trip(
        &app,
        0,
        json!({"title": "<script>alert('trip')</script>", "seoDescription": "\"><script>alert('seo')</script>"}),
    )
    .await;
    store_raw_config(&app, &trip, &config).await;
    let page = visit(&app, &page_path(&trip), "Phone").await;
    assert_eq!(page.status, 200);
    let lower = page.html.to_lowercase();
    for forbidden in [
        "<script",
        "onerror",
        "onload=\"",
        "javascript:",
        "evil.example",
    ] {
        assert!(
            !lower.contains(forbidden),
            "{forbidden} survived:\n{}",
            page.html
        );
    }
    assert!(
        page.html.contains("<p>Fine <b>print</b></p>"),
        "safe formatting is kept"
    );
    assert!(
        page.html
            .contains("&lt;script&gt;alert(&#39;trip&#39;)&lt;/script&gt;"),
        "text is shown, escaped"
    );
}

// ---------------------------------------------------------------------------------------------
// Catalogs

/// Sends `body` to the MOGU API as agent `agent` and expects `status`.
async fn mogu_call(
    app: &TestApp,
    agent: usize,
    method: reqwest::Method,
    path: &str,
    body: Value,
    status: u16,
) -> Value {
    let reply = app
        .send(
            app.client
                .request(method, app.url(path))
                .header("authorization", app.mogu_auth(agent))
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, status, "{path}: {}", reply.text);
    reply.body
}

/// Creates a catalog holding `trips` through the catalog API, made public if `public`.
async fn new_catalog(app: &TestApp, title: &str, public: bool, trips: &[&Value]) -> i64 {
    let trip_ids: Vec<&Value> = trips.iter().map(|trip| &trip["id"]).collect();
    let body = json!({"title": title, "description": "Our <best> trips", "tripIds": trip_ids});
    let catalog = mogu_call(app, 0, reqwest::Method::POST, "/catalogs", body, 201).await;
    let id = catalog["id"].as_i64().unwrap();
    if public {
        let path = format!("/catalogs/{id}/visibility");
        let body = json!({"isPublic": true});
        mogu_call(app, 0, reqwest::Method::PATCH, &path, body, 200).await;
    }
    id
}

#[tokio::test]
async fn a_public_catalog_lists_its_public_trips() {
    let app = common::spawn().await;
    let config = json!({"blocks": []});
    let added_last = trip_with_config(&app, 0, json!({"title": "Loire Castles"}), &config).await;
    let shown = trip_with_config(
        &app,
        0,
        json!({"title": "Paris Highlights", "coverImage": "https://img.example/paris.jpg"}),
        &config,
    )
    .await;
    let private = trip_with_config(
        &app,
        0,
        json!({"title": "Draft Trip", "isPublic": false}),
        &config,
    )
    .await;
    let expired = trip_with_config(
        &app,
        0,
        json!({"title": "Old Offer", "dateExpiration": "2020-01-01T00:00:00.000Z"}),
        &config,
    )
    .await;
    let catalog = new_catalog(&app, "European Tours", true, &[&shown, &private, &expired]).await;
    let path = format!("/catalogs/{catalog}/trips");
    let body = json!({"tripIds": [added_last["id"]]});
    mogu_call(&app, 0, reqwest::Method::POST, &path, body, 200).await;

    let page = visit(&app, &format!("/p/catalogs/{catalog}"), "Phone").await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(
        page.html.contains("<h1>European Tours</h1>")
            && page.html.contains("Our &lt;best&gt; trips")
    );
    let first = page
        .html
        .find(&format!("href=\"{}\"", page_path(&shown)))
        .expect("the public trip's card");
    let second = page
        .html
        .find(&format!("href=\"{}\"", page_path(&added_last)))
        .expect("the second card");
    assert!(first < second, "cards in the order the trips were added");
    assert!(page.html.contains("src=\"https://img.example/paris.jpg\""));
    for hidden in ["Draft Trip", "Old Offer"] {
        assert!(!page.html.contains(hidden), "{hidden} is listed");
    }
    let embedded = visit(&app, &format!("/p/catalogs/{catalog}?embed=true"), "Phone").await;
    assert!(embedded
        .html
        .contains(&format!("href=\"{}?embed=true\"", page_path(&shown))));
    assert!(embedded
        .header("content-security-policy")
        .contains("frame-ancestors *"));

    let private_catalog = new_catalog(&app, "Internal", false, &[&shown]).await;
    for path in [
        format!("/p/catalogs/{private_catalog}"),
        "/p/catalogs/999999".to_string(),
        "/p/catalogs/abc".to_string(),
        "/p/catalogs/%FF".to_string(),
    ] {
        let page = visit(&app, &path, "Phone").await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.html.contains("Page not found") && !page.html.contains("Internal"));
    }
}

#[tokio::test]
async fn a_large_public_catalog_is_paged() {
    let app = common::spawn().await;
    let mut trips = Vec::new();
    for number in 1..=25 {
        trips.push(new_trip(&app, 0, json!({"title": format!("Trip number {number}")})).await);
    }
    let catalog = new_catalog(&app, "Everything", true, &trips.iter().collect::<Vec<_>>()).await;
    let cards = |html: &str| html.matches("<li><a href=\"/p/trips/").count();

    let first = visit(&app, &format!("/p/catalogs/{catalog}"), "Phone").await;
    assert_eq!(cards(&first.html), 24);
    assert!(first.html.contains("Page 1 of 2"));
    assert!(first
        .html
        .contains(&format!("href=\"/p/catalogs/{catalog}?page=2\">Next")));
    let second = visit(&app, &format!("/p/catalogs/{catalog}?page=2"), "Phone").await;
    assert_eq!(cards(&second.html), 1);
    assert!(second
        .html
        .contains(&format!("href=\"/p/catalogs/{catalog}?page=1\">← Previous")));
    let embedded = visit(&app, &format!("/p/catalogs/{catalog}?embed=true"), "Phone").await;
    assert!(embedded.html.contains(&format!(
        "href=\"/p/catalogs/{catalog}?embed=true&amp;page=2\">Next"
    )));
}

//! Every built endpoint, fed every kind of bad input, answers a clear 4xx in its own dialect:
//! never a 5xx, never a body that is not the dialect's error. That includes requests refused
//! before any handler: heads too large or unparsable, bodies that stop arriving, methods a path
//! does not have.

mod common;

use std::time::{Duration, Instant};

use common::{RawReply, TestApp};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

fn bad_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let text = |what: &'static str, body: String| (what, body.into_bytes());
    vec![
        text("malformed JSON", "{\"pagination\":".to_string()),
        text("an array", "[1,2,3]".to_string()),
        text("a string", "\"hello\"".to_string()),
        text("deep nesting", format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000))),
        text("a huge body", format!("{{\"title\":\"{}\"}}", "x".repeat(3 * 1024 * 1024))),
        text("wrong types", r#"{"pagination":{"pageSize":"many"},"companyId":[1],"title":5,"duration":"x","tripId":{"a":1},"blocks":5,"version":3,"isPublic":"yes","notes":"x","tags":7}"#.to_string()),
        text("nulls", r#"{"pagination":null,"companyId":null,"title":null,"tripId":null,"blocks":null,"isPublic":null}"#.to_string()),
        ("invalid UTF-8", b"{\"title\":\"\xff\xfe\"}".to_vec()),
    ]
}

async fn assert_rejected(app: &TestApp, method: &str, path: &str, auth: &str, moego: bool) {
    assert_rejected_bodies(app, method, path, auth, moego, bad_bodies()).await;
}

/// For a request whose body has no fields of its own, which therefore ignores unknown
/// members as every body does: only bodies that are not a JSON object.
async fn assert_unparsable_rejected(app: &TestApp, method: &str, path: &str, auth: &str) {
    let mut bodies = bad_bodies();
    bodies.retain(|(what, _)| !matches!(*what, "wrong types" | "nulls"));
    assert_rejected_bodies(app, method, path, auth, true, bodies).await;
}

async fn assert_rejected_bodies(
    app: &TestApp,
    method: &str,
    path: &str,
    auth: &str,
    moego: bool,
    bodies: Vec<(&'static str, Vec<u8>)>,
) {
    for (what, body) in bodies {
        let request = app
            .client
            .request(method.parse().unwrap(), app.url(path))
            .header("authorization", auth)
            .header("content-type", "application/json")
            .body(body);
        let reply = app.send(request).await;
        assert!(
            (400..500).contains(&reply.status),
            "{method} {path} with {what}: {} {}",
            reply.status,
            &reply.text[..reply.text.len().min(200)]
        );
        if moego {
            assert!(
                reply.body["code"].is_i64() && reply.body["message"].is_string(),
                "{method} {path} with {what}: {}",
                reply.text
            );
        } else {
            assert!(
                reply.body["errors"].is_object(),
                "{method} {path} with {what}: {}",
                reply.text
            );
        }
    }
}

#[tokio::test]
async fn moego_endpoints_refuse_bad_bodies_cleanly() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    for path in [
        "/v1/companies:list",
        "/v1/businesses:list",
        "/v1/staffs:list",
        "/v1/pets:list",
        "/v1/leads",
        "/v1/leads:list",
        "/v1/leads:promote",
        "/v1/aggregation/clients:lookupClientPetProfile",
    ] {
        assert_rejected(&app, "POST", path, &auth, true).await;
    }
}

#[tokio::test]
async fn customer_endpoints_refuse_bad_bodies_cleanly() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let customer = app
        .moego_post(
            &auth,
            "/v1/customers",
            serde_json::json!({
                "companyId": app.seed.moego[0].company_id,
                "preferredBusinessId": app.seed.moego[0].business_ids[0],
                "firstName": "Ana",
                "lastName": "Smith",
                "phone": "(212) 555-0101",
                "notes": [{"note": "first note"}],
            }),
        )
        .await;
    assert_eq!(customer.status, 200, "{}", customer.text);
    let customer = format!("/v1/customers/{}", customer.body["id"].as_str().unwrap());
    let notes = app
        .moego_post(
            &auth,
            &format!("{customer}/notes:list"),
            serde_json::json!({"pagination": {"pageSize": 5}}),
        )
        .await;
    let note = notes.body["notes"][0]["id"]
        .as_str()
        .expect("the note created");
    for (method, path) in [
        ("POST", "/v1/customers".to_string()),
        ("POST", "/v1/customers:list".to_string()),
        ("PUT", customer.clone()),
        ("POST", format!("{customer}/notes")),
        ("POST", format!("{customer}/notes:list")),
        ("PUT", format!("{customer}/notes/{note}")),
        ("POST", format!("{customer}/tags")),
    ] {
        assert_rejected(&app, method, &path, &auth, true).await;
    }
    assert_unparsable_rejected(&app, "POST", &format!("{customer}/tags:list"), &auth).await;
}

/// The IDs of a new trip and a new catalog of the agent behind `auth`.
async fn trip_and_catalog(app: &TestApp, auth: &str) -> (Value, Value) {
    let trip = app
        .create_trip(auth, serde_json::json!({"title": "x"}))
        .await;
    let catalog = app
        .send(
            app.client
                .post(app.url("/catalogs"))
                .header("authorization", auth)
                .json(&serde_json::json!({"title": "x"})),
        )
        .await;
    assert_eq!(catalog.status, 201, "{}", catalog.text);
    (trip.body["id"].clone(), catalog.body["id"].clone())
}

#[tokio::test]
async fn mogu_endpoints_refuse_bad_bodies_cleanly() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let (trip, catalog) = trip_and_catalog(&app, &auth).await;
    let (trip, catalog) = (format!("/trips/{trip}"), format!("/catalogs/{catalog}"));
    for (method, path) in [
        ("POST", "/trips".to_string()),
        ("DELETE", "/trips".to_string()),
        ("PATCH", trip.clone()),
        ("PATCH", format!("{trip}/config")),
        ("PATCH", format!("{trip}/visibility")),
        ("POST", "/catalogs".to_string()),
        ("PATCH", catalog.clone()),
        ("POST", format!("{catalog}/trips")),
        ("DELETE", format!("{catalog}/trips")),
        ("PATCH", format!("{catalog}/visibility")),
    ] {
        assert_rejected(&app, method, &path, &auth, false).await;
    }
}

#[tokio::test]
async fn bad_ids_and_query_strings_are_client_errors() {
    let app = common::spawn().await;
    let moego = app.moego_auth(0);
    for path in [
        "/v1/companies/%FF",
        "/v1/businesses/bus_",
        "/v1/staffs/stf_0000000000000000000000",
        "/v1/companies/cmp_%00",
        "/v1/customers/%FF",
        "/v1/customers/cus_",
        "/v1/customers/cus_0000000000000000000000",
        "/v1/customers/bus_0000000000000000000000",
        "/v1/customers/%FF/cof/link",
        "/v1/customers/cus_0000000000000000000000/cof/link",
    ] {
        let reply = app.moego_get(&moego, path).await;
        assert!(
            (400..500).contains(&reply.status),
            "{path}: {} {}",
            reply.status,
            reply.text
        );
        assert!(reply.body["code"].is_i64(), "{path}: {}", reply.text);
    }
    let customer_body = serde_json::json!({"companyId": app.seed.moego[0].company_id});
    for (method, path) in [
        ("PUT", "/v1/customers/%FF"),
        ("PUT", "/v1/customers/cus_0000000000000000000000"),
        ("POST", "/v1/customers/%FF/notes"),
        ("POST", "/v1/customers/cus_/notes:list"),
        ("PUT", "/v1/customers/%FF/notes/%FF"),
        ("DELETE", "/v1/customers/cus_0000000000000000000000/notes/x"),
        ("DELETE", "/v1/customers/%FF/notes/%00"),
        ("POST", "/v1/customers/99999999999999999999999/tags"),
        ("POST", "/v1/customers/%FF/tags:list"),
    ] {
        let reply = app
            .send(
                app.client
                    .request(method.parse().unwrap(), app.url(path))
                    .header("authorization", &moego)
                    .json(&customer_body),
            )
            .await;
        assert!(
            (400..500).contains(&reply.status),
            "{method} {path}: {} {}",
            reply.status,
            reply.text
        );
        assert!(
            reply.body["code"].is_i64(),
            "{method} {path}: {}",
            reply.text
        );
    }
    let mogu = app.mogu_auth(0);
    let (trip, catalog) = trip_and_catalog(&app, &mogu).await;
    for path in [
        "/trips/0",
        "/trips/-1",
        "/trips/99999999999999999999",
        "/trips/%FF",
        "/trips?page=%FF",
        "/trips?filters=%7B%7B",
        "/trips?pageSize=1e3",
        "/catalogs/0",
        "/catalogs/99999999999999999999/trips",
        "/catalogs?orderBy=%7B%7B",
        "/catalogs?filters=%5B%7B%22field%22%3A%22filters%22%7D%5D",
        "/trips/0/config",
        "/trips/%FF/config",
        "/trips/99999999999999999999/config",
        "/trips/0/visualizations",
        "/trips/%FF/visualizations",
        "/trips/-1/visualizations",
        "/trips/{trip}/visualizations?page=%FF",
        "/trips/{trip}/visualizations?page=0",
        "/trips/{trip}/visualizations?pageSize=1e3",
        "/trips/{trip}/visualizations?pageSize=-5",
        "/trips/{trip}/visualizations?filters=%7B%7B",
        "/trips/{trip}/visualizations?filters=%5B%7B%22field%22%3A%22views%22%7D%5D",
        "/trips/{trip}/visualizations?filters=%5B%7B%22field%22%3A%22date%22%2C%22operator%22%3A%22gte%22%2C%22value%22%3A%222026-02-30%22%7D%5D",
        "/trips/{trip}/visualizations?filters=%5B%7B%22field%22%3A%22date%22%2C%22operator%22%3A%22eq%22%2C%22value%22%3A%22yesterday%22%7D%5D",
        "/trips/{trip}/visualizations?orderBy=%7B%7B",
        "/trips/{trip}/visualizations?orderBy=%7B%22field%22%3A%22nope%22%7D",
        "/catalogs/{catalog}/trips?page=%FF",
        "/catalogs/{catalog}/trips?filters=%7B%7B",
        "/catalogs/{catalog}/trips?orderBy=%7B%22field%22%3A%22nope%22%7D",
        "/catalogs/{catalog}/trips?search=%7B%22fields%22%3A%5B%22nope%22%5D%2C%22term%22%3A%22x%22%7D",
    ] {
        let path = path
            .replace("{trip}", &trip.to_string())
            .replace("{catalog}", &catalog.to_string());
        let path = path.as_str();
        let reply = app
            .send(app.client.get(app.url(path)).header("authorization", &mogu))
            .await;
        assert!(
            (400..500).contains(&reply.status),
            "{path}: {} {}",
            reply.status,
            reply.text
        );
        assert!(reply.body["errors"].is_object(), "{path}: {}", reply.text);
    }
}

/// A NUL character (U+0000) in any stored string, or in a list's query, is refused in the
/// dialect naming the field, on both databases alike (PostgreSQL's text cannot hold it, so
/// neither stores it), and nothing is written.
#[tokio::test]
async fn nul_characters_are_refused_naming_the_field_and_nothing_is_written() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = app.seed.moego[0].company_id.clone();
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let pet = app.create_pet(&auth, &customer, "Rex").await;
    let nul = "Bad\u{0}name";
    let customers_before = app.count_rows("moego_customers").await;
    for (method, path, body, field) in [
        (
            "POST",
            "/v1/customers".to_string(),
            serde_json::json!({"companyId": company, "preferredBusinessId": app.seed.moego[0].business_ids[0],
                               "firstName": nul, "lastName": "Lee", "phone": "(212) 555-0102"}),
            "firstName",
        ),
        (
            "POST",
            format!("/v1/customers/{customer}/notes"),
            serde_json::json!({"notes": [{"note": nul}]}),
            "notes[0].note",
        ),
        (
            "PUT",
            format!("/v1/customers/{customer}/pets/{pet}"),
            serde_json::json!({"name": nul}),
            "name",
        ),
        (
            "POST",
            "/v1/leads".to_string(),
            serde_json::json!({"lead": {"companyId": company, "firstName": nul}}),
            "lead.firstName",
        ),
    ] {
        let reply = app
            .send(
                app.client
                    .request(method.parse().unwrap(), app.url(&path))
                    .header("authorization", &auth)
                    .json(&body),
            )
            .await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{path}: {}",
            reply.text
        );
        assert!(
            reply.body["message"].as_str().unwrap().contains(field),
            "{path}: {}",
            reply.text
        );
    }
    assert_eq!(app.count_rows("moego_customers").await, customers_before);

    let mogu = app.mogu_auth(0);
    let trip = app
        .create_trip(&mogu, serde_json::json!({"title": nul}))
        .await;
    assert_eq!(trip.status, 400, "{}", trip.text);
    assert!(trip.body["errors"]["title"].is_array(), "{}", trip.text);
    let catalog = app
        .send(
            app.client
                .post(app.url("/catalogs"))
                .header("authorization", &mogu)
                .json(&serde_json::json!({"title": "Ok", "description": nul})),
        )
        .await;
    assert_eq!(catalog.status, 400, "{}", catalog.text);
    assert!(
        catalog.body["errors"]["description"].is_array(),
        "{}",
        catalog.text
    );
    for filters in [
        serde_json::json!([{"field": "title", "operator": "contains", "value": nul}]).to_string(),
        format!("[{{\"field\":\"title\",\"operator\":\"eq\",\"value\":\"{nul}\"}}]"),
    ] {
        let listed = app
            .send(
                app.client
                    .get(app.url("/trips"))
                    .header("authorization", &mogu)
                    .query(&[("filters", filters.as_str())]),
            )
            .await;
        assert_eq!(listed.status, 400, "{}", listed.text);
        assert!(
            listed.body["errors"]["filters"].is_array(),
            "{}",
            listed.text
        );
    }
    assert_eq!(app.count_rows("mogu_trips").await, 0);
    let page = app.send(app.client.get(app.url("/p/trips/a%00b"))).await;
    assert_eq!(page.status, 404);
    let token = app
        .send(app.client.post(app.url("/oauth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "a\u{0}b"),
            ("client_secret", "s"),
        ]))
        .await;
    assert_eq!(token.status, 401, "{}", token.text);
    let companies = app.count_rows("moego_companies").await;
    let operator = app
        .send(
            app.admin(reqwest::Method::POST, "/moego/companies")
                .json(&serde_json::json!({"name": nul})),
        )
        .await;
    assert_eq!(operator.status, 400, "{}", operator.text);
    assert!(operator.text.contains("name"), "{}", operator.text);
    assert_eq!(app.count_rows("moego_companies").await, companies);
}

/// The methods of an `Allow` value, in any order.
fn methods(allow: Option<&str>) -> std::collections::BTreeSet<String> {
    allow
        .unwrap_or_default()
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect()
}

/// Every path of both catalogs, called with a method none of them uses: 405 in the dialect,
/// with the path's methods (GET brings HEAD) in `Allow`, whether the operation is built or not.
#[tokio::test]
async fn every_405_names_the_paths_methods_in_allow() {
    use moapi_core::route_catalog::Operation;
    let app = common::spawn().await;
    let concrete = |template: &str| {
        template
            .split('/')
            .map(|segment| match (segment.find('{'), segment.find('}')) {
                (Some(open), Some(close)) => {
                    format!("{}p1{}", &segment[..open], &segment[close + 1..])
                }
                _ => segment.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    let catalogs: [(&[Operation], &str, bool); 2] = [
        (moapi_moego::reference::OPERATIONS, "PATCH", true),
        (moapi_mogu::reference::OPERATIONS, "PUT", false),
    ];
    for (catalog, unused, moego) in catalogs {
        for operation in catalog {
            let mut expected: std::collections::BTreeSet<String> = catalog
                .iter()
                .filter(|other| other.path == operation.path)
                .map(|other| other.method.to_string())
                .collect();
            if expected.contains("GET") {
                expected.insert("HEAD".into());
            }
            let path = concrete(operation.path);
            let response = app
                .client
                .request(unused.parse().unwrap(), app.url(&path))
                .send()
                .await
                .unwrap();
            let what = format!("{unused} {path}");
            assert_eq!(response.status(), 405, "{what}");
            let allow = response
                .headers()
                .get("allow")
                .map(|v| v.to_str().unwrap().to_string());
            assert_eq!(methods(allow.as_deref()), expected, "{what}");
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if moego {
                assert_eq!(body["code"], 12, "{what}: {body}");
            } else {
                assert!(body["errors"]["method"].is_array(), "{what}: {body}");
            }
        }
    }
}

#[tokio::test]
async fn moapis_own_paths_answer_405_with_the_routers_methods() {
    let app = common::spawn().await;
    for (method, path, allow) in [
        // moapi's alias of the vendor's `/v1/webhook/deliveries:list`, not `/v1/webhooks/{id}`.
        ("GET", "/v1/webhooks/deliveries:list", "POST"),
        ("POST", "/healthz", "GET,HEAD"),
        ("GET", "/oauth/token", "POST"),
        ("DELETE", "/admin/v1/seed", "POST"),
        ("POST", "/docs", "GET,HEAD"),
        ("DELETE", "/p/trips/some-slug", "GET,HEAD"),
    ] {
        let response = app
            .client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(
            methods(response.headers().get("allow").map(|v| v.to_str().unwrap())),
            methods(Some(allow)),
            "{method} {path}"
        );
    }
    // HEAD is GET without a body: a GET operation answers HEAD with GET's status.
    let auth = app.moego_auth(0);
    let head = app
        .send(
            app.client
                .head(app.url("/v1/agreements/agr_x?companyId=cmp_x"))
                .header("authorization", &auth),
        )
        .await;
    let get = app
        .moego_get(&auth, "/v1/agreements/agr_x?companyId=cmp_x")
        .await;
    assert_eq!(get.status, 400, "{}", get.text);
    assert_eq!(head.status, get.status);
    assert!(head.text.is_empty());
}

#[tokio::test]
async fn appointment_paths_have_the_catalogs_methods_not_the_routers() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let cases = [
        // `/v1/appointments/{id}` is GET only, although a route takes POST there for the verbs.
        ("POST", "/v1/appointments/apt_x", "GET,HEAD"),
        ("DELETE", "/v1/appointments/apt_x", "GET,HEAD"),
        ("POST", "/v1/appointments/apt_x:archive", "GET,HEAD"),
        // A verb is an operation of its own, not an appointment ID `apt_x:cancel`.
        ("GET", "/v1/appointments/apt_x:cancel", "POST"),
        ("GET", "/v1/appointments/apt_x:reschedule", "POST"),
        ("GET", "/v1/appointments/apt_x:updateStatus", "POST"),
        ("HEAD", "/v1/appointments/apt_x:cancel", "POST"),
        ("PUT", "/v1/appointments/apt_x:cancel", "POST"),
        ("DELETE", "/v1/appointments/apt_x:updateStatus", "POST"),
        // `notes` is no appointment ID either.
        ("GET", "/v1/appointments/notes", "POST"),
    ];
    for (method, path, allow) in cases {
        for authorization in [Some(auth.as_str()), None] {
            let mut request = app.client.request(method.parse().unwrap(), app.url(path));
            if let Some(authorization) = authorization {
                request = request.header("authorization", authorization);
            }
            let response = request.send().await.unwrap();
            let what = format!("{method} {path} (key: {})", authorization.is_some());
            assert_eq!(response.status(), 405, "{what}");
            assert_eq!(
                methods(response.headers().get("allow").map(|v| v.to_str().unwrap())),
                methods(Some(allow)),
                "{what}"
            );
            let text = response.text().await.unwrap();
            if method != "HEAD" {
                assert_eq!(
                    text, r#"{"code":12,"message":"Method Not Allowed","details":[]}"#,
                    "{what}"
                );
            }
        }
    }
    // The verbs still reach their operations.
    let reply = app
        .moego_post(
            &auth,
            "/v1/appointments/apt_x:cancel",
            serde_json::json!({}),
        )
        .await;
    assert_ne!(reply.status, 405, "{}", reply.text);
    assert!((400..500).contains(&reply.status), "{}", reply.text);
}

/// A MoeGo error body with its code; `Allow` and the like are the caller's to check.
fn assert_moego_error(what: &str, status: u16, code: i64, reply: &RawReply) {
    assert_eq!(
        reply.status, status,
        "{what}: {} {}",
        reply.head, reply.body
    );
    let body = reply.json();
    assert_eq!(body["code"], code, "{what}: {}", reply.body);
    assert!(body["message"].is_string(), "{what}: {}", reply.body);
    assert_eq!(
        body["details"],
        serde_json::json!([]),
        "{what}: {}",
        reply.body
    );
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{what}"
    );
}

fn assert_mogu_error(what: &str, status: u16, field: &str, reply: &RawReply) {
    assert_eq!(
        reply.status, status,
        "{what}: {} {}",
        reply.head, reply.body
    );
    assert!(
        reply.json()["errors"][field][0].is_string(),
        "{what}: {}",
        reply.body
    );
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{what}"
    );
}

fn get(path: &str, extra_headers: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nhost: moapi\r\n{extra_headers}\r\n").into_bytes()
}

#[tokio::test]
async fn heads_over_moapis_limits_are_answered_in_the_paths_dialect() {
    let app = common::spawn().await;
    let long = "a".repeat(9 * 1024);
    let many: String = (0..120).map(|i| format!("x-field-{i}: 1\r\n")).collect();
    let large = format!("x-large: {}\r\n", "b".repeat(70 * 1024));
    for (what, request, moego, status, field) in [
        (
            "a long MoeGo path",
            get(&format!("/v1/companies/{long}"), ""),
            true,
            414,
            "uri",
        ),
        (
            "a long MOGU query",
            get(&format!("/trips?search={long}"), ""),
            false,
            414,
            "uri",
        ),
        (
            "many MoeGo header fields",
            get("/v1/companies/x", &many),
            true,
            431,
            "headers",
        ),
        (
            "a large MOGU header field",
            get("/trips", &large),
            false,
            431,
            "headers",
        ),
    ] {
        let reply = app.raw(&request).await;
        if moego {
            assert_moego_error(what, status, 3, &reply);
        } else {
            assert_mogu_error(what, status, field, &reply);
        }
        // Refused by moapi itself: it went through the layers.
        assert!(
            reply.header("x-request-id").is_some(),
            "{what}: {}",
            reply.head
        );
    }
}

#[tokio::test]
async fn heads_hyper_refuses_get_the_dialects_body_too() {
    let app = common::spawn().await;
    let too_long = "a".repeat(70_000);
    let too_many: String = (0..300).map(|i| format!("x-field-{i}: 1\r\n")).collect();
    let moego = [
        (
            "a target over 64 KiB",
            get(&format!("/v1/companies/{too_long}"), ""),
            414,
        ),
        ("300 header fields", get("/v1/companies/x", &too_many), 431),
        (
            "a header line without a colon",
            get("/v1/companies/x", "no colon here\r\n"),
            400,
        ),
        (
            "an absolute-form target",
            get("http://moapi.example/v1/companies/x", "bad header\r\n"),
            400,
        ),
        // The line is refused, but its path can be read.
        ("a bad version", b"GET /v1/x HTTP/9.9\r\n\r\n".to_vec(), 400),
    ];
    for (what, request, status) in moego {
        let reply = app.raw(&request).await;
        assert_moego_error(what, status, 3, &reply);
        assert_eq!(reply.header("connection"), Some("close"), "{what}");
        assert!(reply.header("x-request-id").is_some(), "{what}");
    }
    let mogu = [
        (
            "a target over 64 KiB",
            get(&format!("/trips?search={too_long}"), ""),
            414,
            "uri",
        ),
        (
            "300 header fields",
            get("/trips", &too_many),
            431,
            "headers",
        ),
        (
            "a bad header",
            get("/trips", "no colon here\r\n"),
            400,
            "request",
        ),
        // No path can be read: MOGU's body, the documented default.
        ("garbage", b"GARBAGE\r\n\r\n".to_vec(), 400, "request"),
    ];
    for (what, request, status, field) in mogu {
        let reply = app.raw(&request).await;
        assert_mogu_error(what, status, field, &reply);
    }
    // On a kept-alive connection, the dialect is that of the request refused, not the first.
    let mut stream = tokio::net::TcpStream::connect(app.addr()).await.unwrap();
    stream.write_all(&get("/healthz", "")).await.unwrap();
    assert_eq!(common::read_raw_reply(&mut stream).await.status, 200);
    stream
        .write_all(&get("/v1/companies/x", "no colon here\r\n"))
        .await
        .unwrap();
    let reply = common::read_raw_reply(&mut stream).await;
    assert_moego_error("a second request", 400, 3, &reply);
}

/// Sends a head announcing 100 bytes of body and 10 of them, then waits for the answer.
async fn stalled_body(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &str,
) -> (RawReply, Duration) {
    let mut stream = tokio::net::TcpStream::connect(app.addr()).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: moapi\r\n{headers}content-length: 100\r\n\r\n{{\"title\":"
    );
    let started = Instant::now();
    stream.write_all(request.as_bytes()).await.unwrap();
    let reply = common::read_raw_reply(&mut stream).await;
    (reply, started.elapsed())
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408_promptly_by_every_reader() {
    let app = common::spawn_with(|config| {
        config.body_timeout = Duration::from_millis(500);
        config.request_timeout = Duration::from_secs(8);
    })
    .await;
    let moego = format!("authorization: {}\r\n", app.moego_auth(0));
    let mogu = format!("authorization: {}\r\n", app.mogu_auth(0));
    let admin = format!("authorization: Bearer {}\r\n", common::ADMIN_TOKEN);
    let json = "content-type: application/json\r\n";
    let form = "content-type: application/x-www-form-urlencoded\r\n";
    let cases = [
        ("ProtoJson", "/v1/companies:list", moego.clone()),
        (
            "ProtoJson, a verb",
            "/v1/appointments/apt_x:cancel",
            moego.clone(),
        ),
        ("MoguJson", "/trips", format!("{mogu}{json}")),
        (
            "AI import",
            "/ai/trips/from-document",
            format!("{mogu}{json}"),
        ),
        ("token endpoint", "/oauth/token", json.to_string()),
        (
            "operator API",
            "/admin/v1/moego/companies",
            format!("{admin}{json}"),
        ),
        ("operator seed", "/admin/v1/seed", admin.clone()),
        (
            "card form",
            "/links/cof/cus_x?expires=1&signature=x",
            form.to_string(),
        ),
    ];
    for (what, path, headers) in cases {
        let (reply, took) = stalled_body(&app, "POST", path, &headers).await;
        assert_eq!(reply.status, 408, "{what}: {} {}", reply.head, reply.body);
        assert!(
            took < Duration::from_secs(4),
            "{what}: answered after {took:?}"
        );
        let body = reply.json();
        match what {
            "ProtoJson" | "ProtoJson, a verb" => {
                assert_moego_error(what, 408, 4, &reply);
                assert!(reply.body.contains("stopped arriving"), "{}", reply.body);
            }
            "MoguJson" => assert_mogu_error(what, 408, "body", &reply),
            "AI import" => assert_eq!(body["error"]["code"], "request_timeout", "{}", reply.body),
            "token endpoint" => assert_eq!(body["error"], "invalid_request", "{}", reply.body),
            "operator API" | "operator seed" => {
                assert_eq!(body["error"]["code"], "request_timeout", "{}", reply.body)
            }
            _ => assert!(reply.body.contains("<html"), "{what}: {}", reply.body),
        }
    }
    // The timeout is between parts of the body, not for all of it.
    let mut stream = tokio::net::TcpStream::connect(app.addr()).await.unwrap();
    let body = br#"{"title":"slow but steady"}"#;
    let head = format!(
        "POST /trips HTTP/1.1\r\nhost: moapi\r\n{mogu}{json}content-length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for part in body.chunks(9) {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stream.write_all(part).await.unwrap();
    }
    let reply = common::read_raw_reply(&mut stream).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
}

//! Every built endpoint, fed every kind of bad input, answers a clear 4xx in its own dialect:
//! never a 5xx, never a body that is not the dialect's error.

mod common;

use common::TestApp;
use serde_json::Value;

fn bad_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let text = |what: &'static str, body: String| (what, body.into_bytes());
    vec![
        text("malformed JSON", "{\"pagination\":".to_string()),
        text("an array", "[1,2,3]".to_string()),
        text("a string", "\"hello\"".to_string()),
        text("deep nesting", format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000))),
        text("a huge body", format!("{{\"title\":\"{}\"}}", "x".repeat(3 * 1024 * 1024))),
        text("wrong types", r#"{"pagination":{"pageSize":"many"},"companyId":[1],"title":5,"duration":"x","tripId":{"a":1}}"#.to_string()),
        text("nulls", r#"{"pagination":null,"companyId":null,"title":null,"tripId":null}"#.to_string()),
        ("invalid UTF-8", b"{\"title\":\"\xff\xfe\"}".to_vec()),
    ]
}

async fn assert_rejected(app: &TestApp, method: &str, path: &str, auth: &str, moego: bool) {
    for (what, body) in bad_bodies() {
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
async fn mogu_endpoints_refuse_bad_bodies_cleanly() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let created = app
        .create_trip(&auth, serde_json::json!({"title": "x"}))
        .await;
    let trip = format!("/trips/{}", created.body["id"]);
    let catalog = app
        .send(
            app.client
                .post(app.url("/catalogs"))
                .header("authorization", &auth)
                .json(&serde_json::json!({"title": "x"})),
        )
        .await;
    let catalog = format!("/catalogs/{}", catalog.body["id"]);
    for (method, path) in [
        ("POST", "/trips".to_string()),
        ("DELETE", "/trips".to_string()),
        ("PATCH", trip),
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
    let mogu = app.mogu_auth(0);
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
    ] {
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
        let _: &Value = &reply.body;
    }
}

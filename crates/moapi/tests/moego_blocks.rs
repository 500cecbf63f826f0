//! BlockService: creating, reading, listing and deleting staff blocks, on SQLite and
//! PostgreSQL.

mod common;

use common::booking::BLOCK;
use common::fidelity::assert_moego;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn blocks_are_created_read_listed_and_deleted_once() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.business_id(0, 0);
    let (ann, _) = app.staff("Ann").await;
    let mut ids = Vec::new();
    for day in ["2030-05-02", "2030-05-01", "2030-05-03"] {
        let created = app
            .moego_post(
                &auth,
                "/v1/blocks",
                json!({"businessId": business, "staffId": ann, "description": "Lunch",
                       "colorCode": "#FF0000",
                       "duration": {"startTime": format!("{day}T12:00:00Z"), "endTime": format!("{day}T13:00:00Z")}}),
            )
            .await;
        assert_eq!(created.status, 200, "{}", created.text);
        assert_moego(BLOCK, "v1Block", &created.body);
        assert_eq!(created.body["staffId"], ann);
        ids.push(created.body["id"].as_str().unwrap().to_string());
    }
    let got = app
        .moego_get(&auth, &format!("/v1/blocks/{}", ids[0]))
        .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_moego(BLOCK, "v1Block", &got.body);
    assert_eq!(got.body["duration"]["startTime"], "2030-05-02T12:00:00Z");
    assert_eq!(got.body["description"], "Lunch");

    let company = app.seed.moego[0].company_id.clone();
    let list = |token: &str, filter: serde_json::Value| {
        app.moego_post(
            &auth,
            "/v1/blocks:list",
            json!({"companyId": company, "businessIds": [business], "filter": filter,
                   "pagination": {"pageSize": 2, "pageToken": token}}),
        )
    };
    let first = list("1", json!({})).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_moego(BLOCK, "v1ListBlocksResponse", &first.body);
    assert_eq!(first.body["blocks"][0]["id"], ids[1], "by start time");
    assert_eq!(first.body["nextPageToken"], "2");
    let second = list("2", json!({})).await;
    assert_eq!(second.body["blocks"][0]["id"], ids[2]);
    assert!(second.body.get("nextPageToken").is_none());
    let window = list(
        "1",
        json!({"startTime": {"startTime": "2030-05-02T00:00:00Z", "endTime": "2030-05-03T00:00:00Z"}}),
    )
    .await;
    assert_eq!(window.body["blocks"].as_array().unwrap().len(), 1);

    let path = format!("/v1/blocks/{}", ids[0]);
    let deleted = app.moego_request(Method::DELETE, &auth, &path, None).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_moego(BLOCK, "v1DeleteBlockResponse", &deleted.body);
    let again = app.moego_request(Method::DELETE, &auth, &path, None).await;
    assert_eq!(again.body["code"], 3, "{}", again.text);
    assert_eq!(app.moego_get(&auth, &path).await.body["code"], 5);
    assert_eq!(
        list("1", json!({})).await.body["blocks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn bad_or_foreign_blocks_are_refused() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.business_id(0, 0);
    let (ann, _) = app.staff("Ann").await;
    let (bob, _) = app.staff("Bob").await;
    let (dee, _) = app.staff("Dee").await;
    let window = json!({"startTime": "2030-05-02T12:00:00Z", "endTime": "2030-05-02T13:00:00Z"});
    for (body, code, field) in [
        (
            json!({"businessId": business, "staffId": ann}),
            3,
            "duration",
        ),
        (
            json!({"businessId": business, "staffId": ann,
                   "duration": {"startTime": "2030-05-02T13:00:00Z", "endTime": "2030-05-02T12:00:00Z"}}),
            3,
            "duration",
        ),
        (
            json!({"businessId": business, "staffId": bob, "duration": window}),
            3,
            "staffId",
        ),
        (
            json!({"businessId": business, "staffId": dee, "duration": window}),
            7,
            "",
        ),
        (
            json!({"businessId": app.business_id(1, 0), "staffId": ann, "duration": window}),
            7,
            "",
        ),
    ] {
        let reply = app.moego_post(&auth, "/v1/blocks", body).await;
        assert_eq!(reply.body["code"], code, "{}", reply.text);
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
    assert_eq!(app.count_rows("moego_blocks").await, 0);
    let created = app
        .moego_post(
            &auth,
            "/v1/blocks",
            json!({"businessId": business, "staffId": ann, "duration": window}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap();
    let beta = app.moego_auth(1);
    assert_eq!(
        app.moego_get(&beta, &format!("/v1/blocks/{id}")).await.body["code"],
        7
    );
    let delete = app
        .moego_request(Method::DELETE, &beta, &format!("/v1/blocks/{id}"), None)
        .await;
    assert_eq!(delete.body["code"], 7);
}

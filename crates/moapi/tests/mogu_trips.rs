//! MOGU trips over HTTP: create, read, update, bulk delete and the list language, checked
//! against the reference schemas, with tenancy between accounts.

mod common;

use common::fidelity::assert_mogu;
use common::TestApp;
use serde_json::{json, Value};

async fn list(app: &TestApp, auth: &str, query: &[(&str, &str)]) -> common::Reply {
    app.send(
        app.client
            .get(app.url("/trips"))
            .header("authorization", auth)
            .query(query),
    )
    .await
}

fn paris() -> Value {
    json!({"title": "Paris Summer Vacation", "duration": 7, "dateStart": "2025-07-15T00:00:00.000Z",
           "dateFinish": "2025-07-22T00:00:00.000Z", "countries": ["FRA"]})
}

#[tokio::test]
async fn creating_a_trip_returns_201_with_server_made_codes() {
    let app = common::spawn().await;
    let reply = app.create_trip(&app.mogu_auth(0), paris()).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_mogu("Trip", &reply.body);
    let trip = &reply.body;
    assert_eq!(trip["title"], "Paris Summer Vacation");
    assert!(trip["slug"]
        .as_str()
        .unwrap()
        .starts_with("paris-summer-vacation-"));
    assert_eq!(trip["joinCode"].as_str().unwrap().len(), 8);
    assert_eq!(trip["code"], "TRIP-001");
    assert_eq!(trip["dateStart"], "2025-07-15T00:00:00.000Z");
    assert_eq!(trip["countries"], json!(["FRA"]));
    assert_eq!(trip["logo"], Value::Null);
    assert_eq!(trip["createdAt"], trip["updatedAt"]);
    let second = app
        .create_trip(&app.mogu_auth(1), json!({"title": "Rome"}))
        .await;
    assert_eq!(
        second.body["code"], "TRIP-002",
        "codes count per account, across its agents"
    );
    let other_account = app
        .create_trip(&app.mogu_auth(2), json!({"title": "Lima"}))
        .await;
    assert_eq!(other_account.body["code"], "TRIP-001");
}

#[tokio::test]
async fn get_and_patch_a_trip() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let created = app.create_trip(&auth, paris()).await.body;
    let path = format!("/trips/{}", created["id"]);
    let fetched = app
        .send(
            app.client
                .get(app.url(&path))
                .header("authorization", &auth),
        )
        .await;
    assert_eq!(fetched.status, 200);
    assert_mogu("Trip", &fetched.body);
    assert_eq!(fetched.body, created);

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let patch = json!({"title": "Paris & Loire", "duration": 9, "dateFinish": "2025-07-24T00:00:00.000Z", "logo": "https://img.example/logo.png"});
    let patched = app
        .send(
            app.client
                .patch(app.url(&path))
                .header("authorization", &auth)
                .json(&patch),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_mogu("Trip", &patched.body);
    assert_eq!(patched.body["title"], "Paris & Loire");
    assert_eq!(patched.body["duration"], 9);
    assert_eq!(
        patched.body["countries"],
        json!(["FRA"]),
        "absent fields keep their value"
    );
    assert_ne!(patched.body["updatedAt"], created["updatedAt"]);

    let cleared = app
        .send(
            app.client
                .patch(app.url(&path))
                .header("authorization", &auth)
                .json(&json!({"logo": null})),
        )
        .await;
    assert_eq!(cleared.body["logo"], Value::Null);
    assert_eq!(cleared.body["title"], "Paris & Loire");
}

#[tokio::test]
async fn trips_of_another_account_are_not_found() {
    let app = common::spawn().await;
    let created = app.create_trip(&app.mogu_auth(0), paris()).await.body;
    let path = format!("/trips/{}", created["id"]);
    let other = app.mogu_auth(2);
    let fetched = app
        .send(
            app.client
                .get(app.url(&path))
                .header("authorization", &other),
        )
        .await;
    assert_eq!(fetched.status, 404);
    assert_mogu("ValidationErrors", &fetched.body);
    let patched = app
        .send(
            app.client
                .patch(app.url(&path))
                .header("authorization", &other)
                .json(&json!({"title": "x"})),
        )
        .await;
    assert_eq!(patched.status, 404);
    let deleted = app
        .send(
            app.client
                .delete(app.url("/trips"))
                .header("authorization", &other)
                .json(&json!({"tripId": [created["id"]]})),
        )
        .await;
    assert_eq!(deleted.body["deleted"], json!([]));
    let listed = list(&app, &other, &[]).await;
    assert_eq!(listed.body["totalCount"], 0);
    let same_account = app
        .send(
            app.client
                .get(app.url(&path))
                .header("authorization", app.mogu_auth(1)),
        )
        .await;
    assert_eq!(
        same_account.status, 200,
        "agents of one account share its trips"
    );
}

#[tokio::test]
async fn bulk_delete_takes_an_array_named_trip_id() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let mut ids = Vec::new();
    for title in ["One", "Two", "Three"] {
        ids.push(app.create_trip(&auth, json!({"title": title})).await.body["id"].clone());
    }
    let reply = app
        .send(
            app.client
                .delete(app.url("/trips"))
                .header("authorization", &auth)
                .json(&json!({"tripId": [ids[0], ids[2], 999999]})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["deleted"], json!([ids[0], ids[2]]));
    let gone = app
        .send(
            app.client
                .get(app.url(&format!("/trips/{}", ids[0])))
                .header("authorization", &auth),
        )
        .await;
    assert_eq!(gone.status, 404);
    assert_eq!(list(&app, &auth, &[]).await.body["totalCount"], 1);
    for bad in [json!({}), json!({"tripId": []}), json!({"tripId": ["x"]})] {
        let reply = app
            .send(
                app.client
                    .delete(app.url("/trips"))
                    .header("authorization", &auth)
                    .json(&bad),
            )
            .await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
        assert!(reply.body["errors"]["tripId"].is_array(), "{}", reply.text);
    }
}

#[tokio::test]
async fn invalid_trips_are_refused_naming_every_field() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let reply = app.create_trip(&auth, json!({"title": "", "countries": ["XXX"], "dateStart": "2025-02-30T00:00:00Z", "duration": -1})).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_mogu("ValidationErrors", &reply.body);
    for field in ["title", "countries", "dateStart", "duration"] {
        assert!(
            reply.body["errors"][field].is_array(),
            "{field}: {}",
            reply.text
        );
    }
    let wrong_type = app
        .create_trip(&auth, json!({"title": "x", "duration": "seven"}))
        .await;
    assert_eq!(wrong_type.status, 400);
    assert!(
        wrong_type.body["errors"]["duration"].is_array(),
        "{}",
        wrong_type.text
    );
    let backwards = app.create_trip(&auth, json!({"title": "x", "dateStart": "2025-07-22T00:00:00Z", "dateFinish": "2025-07-15T00:00:00Z"})).await;
    assert_eq!(backwards.status, 400);
    let not_json = app
        .send(
            app.client
                .post(app.url("/trips"))
                .header("authorization", &auth)
                .body("{title"),
        )
        .await;
    assert_eq!(not_json.status, 400);
    assert!(not_json.body["errors"].is_object(), "{}", not_json.text);
    let bad_id = app
        .send(
            app.client
                .get(app.url("/trips/abc"))
                .header("authorization", &auth),
        )
        .await;
    assert_eq!(bad_id.status, 400);
    assert!(bad_id.body["errors"]["tripId"].is_array());
}

#[tokio::test]
async fn missing_or_wrong_keys_get_401_in_the_mogu_dialect() {
    let app = common::spawn().await;
    for auth in [
        None,
        Some("Bearer ak_wrong"),
        Some("Bearer nope"),
        Some(app.moego_auth(0).as_str()),
    ] {
        let mut request = app.client.get(app.url("/trips"));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let reply = app.send(request).await;
        assert_eq!(reply.status, 401, "{auth:?}");
        assert_mogu("ValidationErrors", &reply.body);
    }
}

#[tokio::test]
async fn list_filters_searches_sorts_and_pages() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    for (title, duration, start, countries) in [
        ("Paris Escape", 3, "2025-05-01T00:00:00Z", json!(["FRA"])),
        (
            "Paris and Rome",
            10,
            "2025-06-01T00:00:00Z",
            json!(["FRA", "ITA"]),
        ),
        ("Tokyo Lights", 12, "2025-07-01T00:00:00Z", json!(["JPN"])),
        ("Lisbon Weekend", 2, "2025-08-01T00:00:00Z", json!(["PRT"])),
    ] {
        let reply = app.create_trip(&auth, json!({"title": title, "duration": duration, "dateStart": start, "countries": countries})).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let titles = |reply: &common::Reply| -> Vec<String> {
        reply.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect()
    };
    let all = list(&app, &auth, &[]).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_mogu("PaginatedTrips", &all.body);
    assert_eq!(
        (
            all.body["page"].clone(),
            all.body["pageSize"].clone(),
            all.body["totalCount"].clone(),
            all.body["totalPages"].clone()
        ),
        (json!(1), json!(20), json!(4), json!(1))
    );
    assert_eq!(titles(&all)[0], "Lisbon Weekend", "newest first by default");
    assert_eq!(
        all.body["data"][0]["agentPictureUrl"],
        "https://img.example/a1.png"
    );

    let long = list(
        &app,
        &auth,
        &[
            (
                "filters",
                r#"[{"field":"duration","operator":"gte","value":5}]"#,
            ),
            ("orderBy", r#"{"field":"duration","direction":"asc"}"#),
        ],
    )
    .await;
    assert_eq!(titles(&long), vec!["Paris and Rome", "Tokyo Lights"]);
    let french = list(
        &app,
        &auth,
        &[
            (
                "filters",
                r#"[{"field":"countries","operator":"contains","value":"FRA"}]"#,
            ),
            ("search", r#"{"fields":["title"],"term":"ROME"}"#),
        ],
    )
    .await;
    assert_eq!(titles(&french), vec!["Paris and Rome"]);
    let summer = list(&app, &auth, &[("filters", r#"[{"field":"dateStart","operator":"gte","value":"2025-06-01T00:00:00.000Z"},{"field":"dateStart","operator":"lt","value":"2025-08-01T00:00:00.000Z"}]"#), ("orderBy", r#"{"field":"dateStart","direction":"desc"}"#)]).await;
    assert_eq!(titles(&summer), vec!["Tokyo Lights", "Paris and Rome"]);
    let chosen = list(
        &app,
        &auth,
        &[
            (
                "filters",
                r#"[{"field":"title","operator":"in","value":["Tokyo Lights","Lisbon Weekend"]}]"#,
            ),
            ("orderBy", r#"{"field":"title"}"#),
        ],
    )
    .await;
    assert_eq!(titles(&chosen), vec!["Lisbon Weekend", "Tokyo Lights"]);

    let mut paged = Vec::new();
    for page in ["1", "2"] {
        let reply = list(
            &app,
            &auth,
            &[
                ("page", page),
                ("pageSize", "3"),
                ("orderBy", r#"{"field":"title","direction":"asc"}"#),
            ],
        )
        .await;
        assert_eq!(reply.body["totalPages"], 2);
        paged.extend(titles(&reply));
    }
    assert_eq!(
        paged,
        vec![
            "Lisbon Weekend",
            "Paris Escape",
            "Paris and Rome",
            "Tokyo Lights"
        ]
    );
}

#[tokio::test]
async fn bad_list_parameters_are_named_in_the_error() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    for (key, value) in [
        ("page", "0"),
        ("pageSize", "500"),
        ("filters", "not json"),
        (
            "filters",
            r#"[{"field":"joinCode2","operator":"eq","value":"x"}]"#,
        ),
        (
            "filters",
            r#"[{"field":"duration","operator":"gte","value":"5"}]"#,
        ),
        ("search", r#"{"fields":["countries"],"term":"x"}"#),
        ("orderBy", r#"{"field":"countries","direction":"asc"}"#),
        ("orderBy", r#"{"field":"title","direction":"sideways"}"#),
    ] {
        let reply = list(&app, &auth, &[(key, value)]).await;
        assert_eq!(reply.status, 400, "{key}={value}: {}", reply.text);
        assert_mogu("ValidationErrors", &reply.body);
        assert!(
            reply.body["errors"][key].is_array(),
            "{key}={value}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn unknown_mogu_paths_answer_404_and_wrong_methods_405() {
    // Every operation of the reference is built, so none answers 501 any more.
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let reply = app
        .send(
            app.client
                .get(app.url("/nowhere"))
                .header("authorization", &auth),
        )
        .await;
    assert_eq!(reply.status, 404);
    assert_mogu("ValidationErrors", &reply.body);
    let reply = app
        .send(
            app.client
                .put(app.url("/trips/1"))
                .header("authorization", &auth),
        )
        .await;
    assert_eq!(reply.status, 405);
}

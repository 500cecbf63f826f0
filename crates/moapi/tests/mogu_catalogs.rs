//! MOGU catalogs over HTTP: create, read, update, delete, the catalog's trips (list, add,
//! remove) and visibility, checked against the reference schemas, with the list language,
//! idempotent trip sets, cascades and tenancy between accounts.

mod common;

use common::fidelity::assert_mogu;
use common::{Reply, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn call(app: &TestApp, auth: &str, method: Method, path: &str, body: Option<Value>) -> Reply {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("authorization", auth);
    if let Some(body) = body {
        request = request.json(&body);
    }
    app.send(request).await
}

async fn get(app: &TestApp, auth: &str, path: &str, query: &[(&str, &str)]) -> Reply {
    app.send(
        app.client
            .get(app.url(path))
            .header("authorization", auth)
            .query(query),
    )
    .await
}

/// Creates a catalog as `auth`, asserting the 201 and the reference shape.
async fn create_catalog(app: &TestApp, auth: &str, body: Value) -> Value {
    let reply = call(app, auth, Method::POST, "/catalogs", Some(body)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_mogu("Catalog", &reply.body);
    reply.body
}

/// Creates trips as `auth` and returns their ids.
async fn create_trips(app: &TestApp, auth: &str, trips: &[Value]) -> Vec<i64> {
    let mut ids = Vec::new();
    for trip in trips {
        let reply = app.create_trip(auth, trip.clone()).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        ids.push(reply.body["id"].as_i64().unwrap());
    }
    ids
}

fn titled(titles: &[&str]) -> Vec<Value> {
    titles.iter().map(|title| json!({"title": title})).collect()
}

fn titles(reply: &Reply) -> Vec<String> {
    let items = reply.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", reply.text));
    items
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_string())
        .collect()
}

/// Asserts an error reply of `status` in MOGU's shape that names each of `fields`.
#[track_caller]
fn assert_names(reply: &Reply, status: u16, fields: &[&str]) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_mogu("ValidationErrors", &reply.body);
    for field in fields {
        assert!(
            reply.body["errors"][field].is_array(),
            "{field}: {}",
            reply.text
        );
    }
}

/// Lets the clock move on so that a bumped `updatedAt` differs (it has millisecond precision).
async fn tick() {
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
}

#[tokio::test]
async fn a_created_catalog_reads_back_and_lists_in_the_reference_shape() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trips = create_trips(&app, &auth, &titled(&["Paris", "Rome"])).await;
    let catalog = create_catalog(
        &app,
        &auth,
        json!({"title": "European Tours", "description": "Collection of our best European tours",
               "filters": {"country": true}, "logoUrl": "https://example.com/catalog-logo.png",
               "tripIds": [trips[0], trips[1], trips[0]]}),
    )
    .await;
    assert_eq!(catalog["title"], "European Tours");
    assert_eq!(catalog["filters"], json!({"country": true}));
    assert_eq!(catalog["logoUrl"], "https://example.com/catalog-logo.png");
    assert_eq!(catalog["tripCount"], 2);
    assert_eq!(catalog["isPublic"], false);
    assert_eq!(catalog["accountId"], app.seed.mogu[0].account_id);
    assert_eq!(catalog["createdAt"], catalog["updatedAt"]);

    let path = format!("/catalogs/{}", catalog["id"]);
    let read = get(&app, &auth, &path, &[]).await;
    assert_eq!(read.status, 200);
    assert_mogu("Catalog", &read.body);
    assert_eq!(read.body, catalog);
    let same_account = get(&app, &app.mogu_auth(1), &path, &[]).await;
    assert_eq!(
        same_account.body, catalog,
        "agents of one account share its catalogs"
    );

    let bare = create_catalog(&app, &auth, json!({"title": "Bare"})).await;
    assert_eq!(
        (
            &bare["description"],
            &bare["logoUrl"],
            &bare["filters"],
            &bare["tripCount"]
        ),
        (&Value::Null, &Value::Null, &json!({}), &json!(0))
    );
    let listed = get(&app, &auth, "/catalogs", &[]).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_mogu("PaginatedCatalogs", &listed.body);
    assert_eq!(titles(&listed), ["Bare", "European Tours"], "newest first");
    assert_eq!(listed.body["data"][1], catalog);
    assert_eq!(
        (
            &listed.body["page"],
            &listed.body["pageSize"],
            &listed.body["totalCount"],
            &listed.body["totalPages"]
        ),
        (&json!(1), &json!(20), &json!(2), &json!(1))
    );
}

#[tokio::test]
async fn catalogs_filter_search_sort_and_page() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    for (title, description) in [
        ("Europe Classics", "Old towns"),
        ("Asian Cities", "Tokyo and Seoul"),
        ("Alps", "Europe in winter"),
    ] {
        create_catalog(
            &app,
            &auth,
            json!({"title": title, "description": description}),
        )
        .await;
    }
    create_catalog(&app, &app.mogu_auth(2), json!({"title": "Europe of B"})).await;
    let alps = get(
        &app,
        &auth,
        "/catalogs",
        &[(
            "filters",
            r#"[{"field":"title","operator":"eq","value":"Alps"}]"#,
        )],
    )
    .await;
    let alps_id = alps.body["data"][0]["id"].clone();
    let public = call(
        &app,
        &auth,
        Method::PATCH,
        &format!("/catalogs/{alps_id}/visibility"),
        Some(json!({"isPublic": true})),
    )
    .await;
    assert_eq!(public.status, 200, "{}", public.text);

    let search = get(
        &app,
        &auth,
        "/catalogs",
        &[
            (
                "search",
                r#"{"fields":["title","description"],"term":"EUROPE"}"#,
            ),
            ("orderBy", r#"{"field":"title","direction":"asc"}"#),
        ],
    )
    .await;
    assert_eq!(titles(&search), ["Alps", "Europe Classics"]);
    let only_public = get(
        &app,
        &auth,
        "/catalogs",
        &[(
            "filters",
            r#"[{"field":"isPublic","operator":"eq","value":true}]"#,
        )],
    )
    .await;
    assert_eq!(titles(&only_public), ["Alps"]);
    let mut paged = Vec::new();
    for page in ["1", "2"] {
        let reply = get(
            &app,
            &auth,
            "/catalogs",
            &[
                ("page", page),
                ("pageSize", "2"),
                ("orderBy", r#"{"field":"title"}"#),
            ],
        )
        .await;
        assert_mogu("PaginatedCatalogs", &reply.body);
        assert_eq!(
            (&reply.body["totalCount"], &reply.body["totalPages"]),
            (&json!(3), &json!(2))
        );
        paged.extend(titles(&reply));
    }
    assert_eq!(paged, ["Alps", "Asian Cities", "Europe Classics"]);

    for (key, value) in [
        ("page", "0"),
        ("pageSize", "101"),
        (
            "filters",
            r#"[{"field":"tripCount","operator":"gt","value":1}]"#,
        ),
        ("search", r#"{"fields":["logoUrl"],"term":"x"}"#),
        ("orderBy", r#"{"field":"description","direction":"asc"}"#),
    ] {
        let reply = get(&app, &auth, "/catalogs", &[(key, value)]).await;
        assert_names(&reply, 400, &[key]);
    }
}

#[tokio::test]
async fn catalog_trips_list_like_get_trips() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trips = create_trips(
        &app,
        &auth,
        &[
            json!({"title": "Paris Escape", "duration": 3, "countries": ["FRA"]}),
            json!({"title": "Paris and Rome", "duration": 10, "countries": ["FRA", "ITA"]}),
            json!({"title": "Tokyo Lights", "duration": 12, "countries": ["JPN"]}),
            json!({"title": "Lisbon Weekend", "duration": 2, "countries": ["PRT"]}),
        ],
    )
    .await;
    let catalog = create_catalog(
        &app,
        &auth,
        json!({"title": "Long and French", "tripIds": [trips[0], trips[1], trips[2]]}),
    )
    .await;
    let path = format!("/catalogs/{}/trips", catalog["id"]);
    let all = get(&app, &auth, &path, &[]).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_mogu("PaginatedTrips", &all.body);
    assert_eq!(
        titles(&all),
        ["Tokyo Lights", "Paris and Rome", "Paris Escape"]
    );
    assert_eq!(
        all.body["data"][0]["agentPictureUrl"],
        "https://img.example/a1.png"
    );
    let from_trips = get(&app, &auth, &format!("/trips/{}", trips[2]), &[]).await;
    let item = all.body["data"][0].as_object().unwrap();
    for (key, value) in from_trips.body.as_object().unwrap() {
        assert_eq!(
            &item[key], value,
            "catalog trip items are GET /trips items ({key})"
        );
    }

    let long = get(
        &app,
        &auth,
        &path,
        &[
            (
                "filters",
                r#"[{"field":"duration","operator":"gte","value":5}]"#,
            ),
            ("orderBy", r#"{"field":"duration","direction":"asc"}"#),
        ],
    )
    .await;
    assert_eq!(titles(&long), ["Paris and Rome", "Tokyo Lights"]);
    let french = get(
        &app,
        &auth,
        &path,
        &[
            (
                "filters",
                r#"[{"field":"countries","operator":"contains","value":"FRA"}]"#,
            ),
            ("search", r#"{"fields":["title"],"term":"escape"}"#),
        ],
    )
    .await;
    assert_eq!(titles(&french), ["Paris Escape"]);
    let page = get(
        &app,
        &auth,
        &path,
        &[
            ("page", "2"),
            ("pageSize", "2"),
            ("orderBy", r#"{"field":"title","direction":"asc"}"#),
        ],
    )
    .await;
    assert_mogu("PaginatedTrips", &page.body);
    assert_eq!(titles(&page), ["Tokyo Lights"]);
    assert_eq!(
        (&page.body["totalCount"], &page.body["totalPages"]),
        (&json!(3), &json!(2))
    );

    let bad = get(
        &app,
        &auth,
        &path,
        &[("orderBy", r#"{"field":"countries"}"#)],
    )
    .await;
    assert_names(&bad, 400, &["orderBy"]);
    let empty = create_catalog(&app, &auth, json!({"title": "Empty"})).await;
    let none = get(
        &app,
        &auth,
        &format!("/catalogs/{}/trips", empty["id"]),
        &[],
    )
    .await;
    assert_eq!(
        (&none.body["data"], &none.body["totalCount"]),
        (&json!([]), &json!(0))
    );
    let missing = get(&app, &auth, "/catalogs/999999/trips", &[]).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        json!({"errors": {"catalogId": ["catalog not found"]}})
    );
}

#[tokio::test]
async fn adding_and_removing_trips_is_idempotent_and_counted() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trips = create_trips(&app, &auth, &titled(&["One", "Two", "Three"])).await;
    let catalog = create_catalog(&app, &auth, json!({"title": "Set"})).await;
    let path = format!("/catalogs/{}/trips", catalog["id"]);

    tick().await;
    let added = call(
        &app,
        &auth,
        Method::POST,
        &path,
        Some(json!({"tripIds": [trips[0], trips[1]]})),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_mogu("Catalog", &added.body);
    assert_eq!(added.body["tripCount"], 2);
    assert_ne!(
        added.body["updatedAt"], catalog["updatedAt"],
        "a change bumps updatedAt"
    );

    tick().await;
    let again = call(
        &app,
        &auth,
        Method::POST,
        &path,
        Some(json!({"tripIds": [trips[1], trips[0]]})),
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(
        again.body, added.body,
        "adding twice keeps one link and changes nothing"
    );
    let single = call(
        &app,
        &auth,
        Method::POST,
        &path,
        Some(json!({"tripIds": trips[2]})),
    )
    .await;
    assert_eq!(single.body["tripCount"], 3);

    let absent = create_trips(&app, &auth, &titled(&["Elsewhere"])).await[0];
    tick().await;
    let removed_absent = call(
        &app,
        &auth,
        Method::DELETE,
        &path,
        Some(json!({"tripIds": [absent, 999999]})),
    )
    .await;
    assert_eq!(removed_absent.status, 200, "{}", removed_absent.text);
    assert_eq!(
        removed_absent.body, single.body,
        "removing trips not in the catalog is a no-op"
    );
    let removed = call(
        &app,
        &auth,
        Method::DELETE,
        &path,
        Some(json!({"tripIds": [trips[0], trips[2]]})),
    )
    .await;
    assert_eq!(removed.status, 200);
    assert_mogu("Catalog", &removed.body);
    assert_eq!(removed.body["tripCount"], 1);
    assert_ne!(removed.body["updatedAt"], single.body["updatedAt"]);
    let listed = get(&app, &auth, &path, &[]).await;
    assert_eq!(titles(&listed), ["Two"]);
    let still_there = get(&app, &auth, &format!("/trips/{}", trips[0]), &[]).await;
    assert_eq!(
        still_there.status, 200,
        "removing a trip from a catalog keeps the trip"
    );

    for method in [Method::POST, Method::DELETE] {
        for body in [
            json!({}),
            json!({"tripIds": []}),
            json!({"tripIds": [0]}),
            json!({"tripIds": ["1"]}),
            json!([1]),
        ] {
            let reply = call(&app, &auth, method.clone(), &path, Some(body)).await;
            assert_names(&reply, 400, &[]);
        }
    }
}

#[tokio::test]
async fn trips_of_another_account_or_unknown_are_refused_and_nothing_is_written() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let mine = create_trips(&app, &auth, &titled(&["Mine"])).await[0];
    let foreign = create_trips(&app, &app.mogu_auth(2), &titled(&["Foreign"])).await[0];
    let refusal = json!({"errors": {"tripIds": [format!("no such trips in this account: {foreign}, 999999")]}});

    let create = call(
        &app,
        &auth,
        Method::POST,
        "/catalogs",
        Some(json!({"title": "Mixed", "tripIds": [mine, foreign, 999999]})),
    )
    .await;
    assert_eq!((create.status, &create.body), (400, &refusal));
    assert_mogu("ValidationErrors", &create.body);
    assert_eq!(
        get(&app, &auth, "/catalogs", &[]).await.body["totalCount"],
        0,
        "no catalog was created"
    );

    let catalog = create_catalog(&app, &auth, json!({"title": "Clean", "tripIds": [mine]})).await;
    let path = format!("/catalogs/{}", catalog["id"]);
    let add = call(
        &app,
        &auth,
        Method::POST,
        &format!("{path}/trips"),
        Some(json!({"tripIds": [foreign, 999999]})),
    )
    .await;
    assert_eq!((add.status, &add.body), (400, &refusal));
    let patch = call(
        &app,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"title": "Renamed", "tripIds": [foreign, 999999]})),
    )
    .await;
    assert_eq!((patch.status, &patch.body), (400, &refusal));
    let unchanged = get(&app, &auth, &path, &[]).await;
    assert_eq!(
        unchanged.body, catalog,
        "a refused write changes nothing, the title included"
    );
}

#[tokio::test]
async fn a_patch_changes_what_it_names_and_replaces_the_trip_set() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trips = create_trips(&app, &auth, &titled(&["One", "Two", "Three"])).await;
    let catalog = create_catalog(
        &app,
        &auth,
        json!({"title": "Europe", "description": "Old", "logoUrl": "https://example.com/a.png",
               "filters": {"country": true}, "tripIds": [trips[0], trips[1]]}),
    )
    .await;
    let path = format!("/catalogs/{}", catalog["id"]);

    tick().await;
    let patched = call(
        &app,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"title": "Best of Europe", "description": null, "filters": {"country": false, "duration": true},
                    "tripIds": [trips[1], trips[2]]})),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_mogu("Catalog", &patched.body);
    assert_eq!(patched.body["title"], "Best of Europe");
    assert_eq!(patched.body["description"], Value::Null);
    assert_eq!(
        patched.body["logoUrl"], "https://example.com/a.png",
        "absent fields keep their value"
    );
    assert_eq!(
        patched.body["filters"],
        json!({"country": false, "duration": true})
    );
    assert_eq!(patched.body["tripCount"], 2);
    assert_eq!(patched.body["createdAt"], catalog["createdAt"]);
    assert_ne!(patched.body["updatedAt"], catalog["updatedAt"]);
    let listed = get(
        &app,
        &auth,
        &format!("{path}/trips"),
        &[("orderBy", r#"{"field":"title"}"#)],
    )
    .await;
    assert_eq!(titles(&listed), ["Three", "Two"]);

    tick().await;
    let same = call(
        &app,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"title": "Best of Europe", "tripIds": [trips[2], trips[1]]})),
    )
    .await;
    assert_eq!(
        same.body, patched.body,
        "a PATCH that changes nothing keeps updatedAt"
    );
    let emptied = call(
        &app,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"tripIds": [], "logoUrl": ""})),
    )
    .await;
    assert_eq!(
        (&emptied.body["tripCount"], &emptied.body["logoUrl"]),
        (&json!(0), &Value::Null)
    );

    let bad = call(
        &app,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"title": "", "logoUrl": "not a url", "filters": {"country": 1}, "tripIds": "all"})),
    )
    .await;
    assert_names(&bad, 400, &["title", "logoUrl", "filters", "tripIds"]);
    assert_eq!(get(&app, &auth, &path, &[]).await.body, emptied.body);
}

#[tokio::test]
async fn visibility_makes_a_catalog_public_or_private() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let catalog = create_catalog(&app, &auth, json!({"title": "Shown"})).await;
    let path = format!("/catalogs/{}/visibility", catalog["id"]);
    tick().await;
    let public = call(
        &app,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"isPublic": true})),
    )
    .await;
    assert_eq!(public.status, 200, "{}", public.text);
    assert_mogu("Catalog", &public.body);
    assert_eq!(public.body["isPublic"], true);
    assert_ne!(public.body["updatedAt"], catalog["updatedAt"]);
    let private = call(
        &app,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"isPublic": false})),
    )
    .await;
    assert_eq!(private.body["isPublic"], false);
    for body in [
        json!({}),
        json!({"isPublic": "yes"}),
        json!({"isPublic": null}),
    ] {
        let reply = call(&app, &auth, Method::PATCH, &path, Some(body.clone())).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(
            reply.body,
            json!({"errors": {"isPublic": ["must be true or false"]}})
        );
    }
}

#[tokio::test]
async fn deleting_a_trip_leaves_its_catalogs_and_deleting_a_catalog_keeps_its_trips() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trips = create_trips(&app, &auth, &titled(&["Kept", "Deleted"])).await;
    let first = create_catalog(&app, &auth, json!({"title": "First", "tripIds": trips})).await;
    let second = create_catalog(
        &app,
        &auth,
        json!({"title": "Second", "tripIds": [trips[1]]}),
    )
    .await;

    let deleted = call(
        &app,
        &auth,
        Method::DELETE,
        "/trips",
        Some(json!({"tripId": [trips[1]]})),
    )
    .await;
    assert_eq!(deleted.body["deleted"], json!([trips[1]]));
    let first_now = get(&app, &auth, &format!("/catalogs/{}", first["id"]), &[]).await;
    assert_eq!(first_now.body["tripCount"], 1);
    let second_trips = get(
        &app,
        &auth,
        &format!("/catalogs/{}/trips", second["id"]),
        &[],
    )
    .await;
    assert_eq!(second_trips.body["totalCount"], 0);

    let path = format!("/catalogs/{}", first["id"]);
    let gone = call(&app, &auth, Method::DELETE, &path, None).await;
    assert_eq!((gone.status, gone.text.as_str()), (204, ""));
    assert_eq!(get(&app, &auth, &path, &[]).await.status, 404);
    assert_eq!(
        call(&app, &auth, Method::DELETE, &path, None).await.status,
        404
    );
    assert_eq!(
        get(&app, &auth, &format!("/trips/{}", trips[0]), &[])
            .await
            .status,
        200
    );
    let catalogs = get(&app, &auth, "/catalogs", &[]).await;
    assert_eq!(titles(&catalogs), ["Second"]);
}

#[tokio::test]
async fn another_accounts_catalog_is_not_found_and_keys_come_first() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trip = create_trips(&app, &auth, &titled(&["Mine"])).await[0];
    let catalog = create_catalog(&app, &auth, json!({"title": "Private", "tripIds": [trip]})).await;
    let id = &catalog["id"];
    let other = app.mogu_auth(2);
    let not_found = json!({"errors": {"catalogId": ["catalog not found"]}});
    let operations = [
        (Method::GET, format!("/catalogs/{id}"), None),
        (
            Method::PATCH,
            format!("/catalogs/{id}"),
            Some(json!({"title": "Theirs"})),
        ),
        (Method::DELETE, format!("/catalogs/{id}"), None),
        (Method::GET, format!("/catalogs/{id}/trips"), None),
        (
            Method::POST,
            format!("/catalogs/{id}/trips"),
            Some(json!({"tripIds": [1]})),
        ),
        (
            Method::DELETE,
            format!("/catalogs/{id}/trips"),
            Some(json!({"tripIds": [trip]})),
        ),
        (
            Method::PATCH,
            format!("/catalogs/{id}/visibility"),
            Some(json!({"isPublic": true})),
        ),
    ];
    for (method, path, body) in &operations {
        let reply = call(&app, &other, method.clone(), path, body.clone()).await;
        assert_eq!(
            (reply.status, &reply.body),
            (404, &not_found),
            "{method} {path}"
        );
        assert_mogu("ValidationErrors", &reply.body);
    }
    assert_eq!(
        get(&app, &other, "/catalogs", &[]).await.body["totalCount"],
        0
    );
    assert_eq!(
        get(&app, &auth, &format!("/catalogs/{id}"), &[]).await.body,
        catalog,
        "untouched"
    );

    for (method, path) in [
        (Method::GET, "/catalogs/abc"),
        (Method::DELETE, "/catalogs/0"),
        (Method::GET, "/catalogs/-3/trips"),
    ] {
        let reply = call(&app, &auth, method, path, None).await;
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(
            reply.body,
            json!({"errors": {"catalogId": ["must be a positive integer"]}})
        );
    }
    let every_operation = [
        (Method::GET, "/catalogs"),
        (Method::POST, "/catalogs"),
        (Method::GET, "/catalogs/abc"),
        (Method::PATCH, "/catalogs/abc"),
        (Method::DELETE, "/catalogs/abc"),
        (Method::GET, "/catalogs/abc/trips"),
        (Method::POST, "/catalogs/abc/trips"),
        (Method::DELETE, "/catalogs/abc/trips"),
        (Method::PATCH, "/catalogs/abc/visibility"),
    ];
    for (method, path) in every_operation {
        let reply = app
            .send(
                app.client
                    .request(method.clone(), app.url(path))
                    .body("[not json"),
            )
            .await;
        assert_names(&reply, 401, &["authorization"]);
    }
}

#[tokio::test]
async fn invalid_new_catalogs_are_refused_naming_every_field() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let reply = call(
        &app,
        &auth,
        Method::POST,
        "/catalogs",
        Some(json!({"description": 7, "filters": ["country"], "logoUrl": "javascript:alert(1)", "tripIds": [-1]})),
    )
    .await;
    assert_names(
        &reply,
        400,
        &["title", "description", "filters", "logoUrl", "tripIds"],
    );
    let not_json = app
        .send(
            app.client
                .post(app.url("/catalogs"))
                .header("authorization", &auth)
                .body("{title"),
        )
        .await;
    assert_names(&not_json, 400, &["body"]);
    assert_eq!(
        get(&app, &auth, "/catalogs", &[]).await.body["totalCount"],
        0
    );
}

//! MOGU trip search on `title`: a word-prefix match through the title's word index, kept in
//! step with trip creation, title and field updates and deletion; checked against what the
//! list returns without a search, on both page strategies of the searched list.

mod common;

use common::fidelity::assert_mogu;
use common::TestApp;
use serde_json::{json, Value};

async fn list(app: &TestApp, auth: &str, query: &[(&str, &str)]) -> common::Reply {
    let reply = app
        .send(
            app.client
                .get(app.url("/trips"))
                .header("authorization", auth)
                .query(query),
        )
        .await;
    assert_eq!(reply.status, 200, "{query:?}: {}", reply.text);
    assert_mogu("PaginatedTrips", &reply.body);
    reply
}

fn titles(reply: &common::Reply) -> Vec<String> {
    reply.body["data"]
        .as_array()
        .expect("a data array")
        .iter()
        .map(|trip| trip["title"].as_str().expect("a title").to_string())
        .collect()
}

/// The titles a title search for `term` finds, newest first, and the total it reports.
async fn search(app: &TestApp, auth: &str, term: &str) -> (Vec<String>, Value) {
    let search = json!({"fields": ["title"], "term": term}).to_string();
    let reply = list(app, auth, &[("search", &search), ("pageSize", "100")]).await;
    (titles(&reply), reply.body["totalCount"].clone())
}

async fn create(app: &TestApp, auth: &str, body: Value) -> Value {
    let reply = app.create_trip(auth, body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].clone()
}

async fn patch(app: &TestApp, auth: &str, id: &Value, body: Value) {
    let reply = app
        .send(
            app.client
                .patch(app.url(&format!("/trips/{id}")))
                .header("authorization", auth)
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn a_new_trip_is_found_by_the_start_of_any_word_of_its_title() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    create(&app, &auth, json!({"title": "Paris Summer Vacation"})).await;
    create(&app, &auth, json!({"title": "Lisbon Weekend"})).await;
    for term in ["paris", "Par", "SUMMER", "vac", "  summer  "] {
        assert_eq!(
            search(&app, &auth, term).await,
            (vec!["Paris Summer Vacation".to_string()], json!(1)),
            "{term:?}"
        );
    }
    for term in ["aris", "vacations", "!!!", "rome"] {
        assert_eq!(
            search(&app, &auth, term).await,
            (vec![], json!(0)),
            "{term:?} starts no word"
        );
    }
    let other_account = app.mogu_auth(2);
    assert_eq!(
        search(&app, &other_account, "paris").await,
        (vec![], json!(0)),
        "another account's words are not searched"
    );
}

#[tokio::test]
async fn a_title_patch_moves_the_trip_to_its_new_words_and_other_fields_follow() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let id = create(&app, &auth, json!({"title": "Rome Getaway", "duration": 3})).await;
    patch(&app, &auth, &id, json!({"title": "Kyoto Lights"})).await;
    assert_eq!(search(&app, &auth, "rome").await, (vec![], json!(0)));
    assert_eq!(
        search(&app, &auth, "kyo").await,
        (vec!["Kyoto Lights".to_string()], json!(1))
    );

    // A filtered search is answered from the words' copies of the trip's fields: a patch of
    // a field other than the title must reach them.
    let long_kyoto = [
        (
            "filters",
            r#"[{"field":"duration","operator":"gte","value":5}]"#,
        ),
        ("search", r#"{"fields":["title"],"term":"kyoto"}"#),
    ];
    assert_eq!(list(&app, &auth, &long_kyoto).await.body["totalCount"], 0);
    patch(
        &app,
        &auth,
        &id,
        json!({"duration": 8, "countries": ["JPN"]}),
    )
    .await;
    let reply = list(&app, &auth, &long_kyoto).await;
    assert_eq!(
        (titles(&reply), reply.body["totalCount"].clone()),
        (vec!["Kyoto Lights".to_string()], json!(1))
    );
    let in_japan = list(
        &app,
        &auth,
        &[
            (
                "filters",
                r#"[{"field":"countries","operator":"contains","value":"JPN"}]"#,
            ),
            ("search", r#"{"fields":["title"],"term":"lig"}"#),
        ],
    )
    .await;
    assert_eq!(in_japan.body["totalCount"], 1);
}

#[tokio::test]
async fn deleted_trips_leave_the_search() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let gone = create(&app, &auth, json!({"title": "Paris Escape"})).await;
    create(&app, &auth, json!({"title": "Paris by Night"})).await;
    let reply = app
        .send(
            app.client
                .delete(app.url("/trips"))
                .header("authorization", &auth)
                .json(&json!({"tripId": [gone]})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        search(&app, &auth, "paris").await,
        (vec!["Paris by Night".to_string()], json!(1))
    );
    assert_eq!(search(&app, &auth, "escape").await, (vec![], json!(0)));
}

#[tokio::test]
async fn every_word_of_a_multi_word_term_must_start_a_word_of_the_title() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    for title in ["Paris and Rome", "Rome Escape", "Paris Escape"] {
        create(&app, &auth, json!({"title": title})).await;
    }
    assert_eq!(
        search(&app, &auth, "rome paris").await,
        (vec!["Paris and Rome".to_string()], json!(1)),
        "word order does not matter"
    );
    assert_eq!(
        search(&app, &auth, "esc, PAR").await,
        (vec!["Paris Escape".to_string()], json!(1))
    );
    assert_eq!(
        search(&app, &auth, "escape").await,
        (
            vec!["Paris Escape".to_string(), "Rome Escape".to_string()],
            json!(2)
        )
    );
}

#[tokio::test]
async fn search_ignores_case_in_any_script_but_not_accents() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    for title in [
        "Zürich ÉTÉ Retreat",
        "Ölüdeniz Lagoon",
        "Αθήνα Σαντορίνη",
        "東京 旅行",
    ] {
        create(&app, &auth, json!({"title": title})).await;
    }
    for (term, title) in [
        ("zür", "Zürich ÉTÉ Retreat"),
        ("été", "Zürich ÉTÉ Retreat"),
        ("ÖLÜ", "Ölüdeniz Lagoon"),
        ("ΑΘΉ", "Αθήνα Σαντορίνη"),
        ("σαν", "Αθήνα Σαντορίνη"),
        ("旅", "東京 旅行"),
    ] {
        assert_eq!(
            search(&app, &auth, term).await,
            (vec![title.to_string()], json!(1)),
            "{term:?}"
        );
    }
    assert_eq!(search(&app, &auth, "zur").await, (vec![], json!(0)));
}

#[tokio::test]
async fn a_trip_matching_with_several_words_counts_once() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    create(
        &app,
        &auth,
        json!({"title": "Paris, Parisian Nights", "duration": 6}),
    )
    .await;
    assert_eq!(
        search(&app, &auth, "pari").await,
        (vec!["Paris, Parisian Nights".to_string()], json!(1))
    );
    // The same with a filter, which the word rows answer alone.
    let reply = list(
        &app,
        &auth,
        &[
            (
                "filters",
                r#"[{"field":"duration","operator":"gte","value":5}]"#,
            ),
            ("search", r#"{"fields":["title"],"term":"pari"}"#),
        ],
    )
    .await;
    assert_eq!(
        (titles(&reply), reply.body["totalCount"].clone()),
        (vec!["Paris, Parisian Nights".to_string()], json!(1))
    );
}

#[tokio::test]
async fn other_fields_keep_substring_search_beside_the_title() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    create(&app, &auth, json!({"title": "Lisbon Weekend"})).await;
    create(&app, &auth, json!({"title": "Porto Wine"})).await;
    // Codes are TRIP-001, TRIP-002: "002" is inside a word, found as a substring of the code.
    let code = list(
        &app,
        &auth,
        &[("search", r#"{"fields":["code"],"term":"002"}"#)],
    )
    .await;
    assert_eq!(titles(&code), vec!["Porto Wine"]);
    let either = list(
        &app,
        &auth,
        &[("search", r#"{"fields":["title","code"],"term":"001"}"#)],
    )
    .await;
    assert_eq!(titles(&either), vec!["Lisbon Weekend"]);
    let slug = list(
        &app,
        &auth,
        &[("search", r#"{"fields":["slug"],"term":"bon-week"}"#)],
    )
    .await;
    assert_eq!(titles(&slug), vec!["Lisbon Weekend"]);
}

/// Every page of a searched, filtered, sorted list, concatenated.
async fn all_pages(app: &TestApp, auth: &str, order: &str, page_size: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for page in 1.. {
        let reply = list(
            app,
            auth,
            &[
                (
                    "filters",
                    r#"[{"field":"duration","operator":"gte","value":3}]"#,
                ),
                ("search", r#"{"fields":["title"],"term":"paris"}"#),
                ("orderBy", order),
                ("page", &page.to_string()),
                ("pageSize", &page_size.to_string()),
            ],
        )
        .await;
        assert_eq!(reply.body["totalCount"], 8, "{order} page {page}");
        let titles = titles(&reply);
        if titles.is_empty() {
            return seen;
        }
        seen.extend(titles);
    }
    unreachable!()
}

#[tokio::test]
async fn searched_pages_agree_with_the_unsearched_list_whichever_way_they_are_found() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    // Ten Paris trips of 2 to 11 days (eight of at least three days) among four others. Small
    // pages near the start walk the trips in order; later ones take IDs from sorted matches.
    for n in 0..14i64 {
        let city = if n % 7 < 5 { "Paris" } else { "Lisbon" };
        create(
            &app,
            &auth,
            json!({"title": format!("{city} trip {n:02}"), "duration": 2 + n % 10,
                   "dateStart": format!("2025-{:02}-01T00:00:00.000Z", 12 - n % 12)}),
        )
        .await;
    }
    for (order, sort_field, descending) in [
        (
            r#"{"field":"createdAt","direction":"desc"}"#,
            "createdAt",
            true,
        ),
        (
            r#"{"field":"dateStart","direction":"asc"}"#,
            "dateStart",
            false,
        ),
        (
            r#"{"field":"duration","direction":"desc"}"#,
            "duration",
            true,
        ),
        (r#"{"field":"title","direction":"asc"}"#, "title", false),
    ] {
        let unsearched = list(
            &app,
            &auth,
            &[
                (
                    "filters",
                    r#"[{"field":"duration","operator":"gte","value":3}]"#,
                ),
                ("orderBy", order),
                ("pageSize", "100"),
            ],
        )
        .await;
        let expected: Vec<String> = titles(&unsearched)
            .into_iter()
            .filter(|title| title.starts_with("Paris"))
            .collect();
        assert_eq!(expected.len(), 8, "{sort_field}");
        for page_size in [1, 3, 100] {
            assert_eq!(
                all_pages(&app, &auth, order, page_size).await,
                expected,
                "{sort_field} desc={descending} by pages of {page_size}"
            );
        }
    }
}

#[tokio::test]
async fn trips_stored_before_the_index_are_indexed_from_the_backlog() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let id = create(&app, &auth, json!({"title": "Hanoi Street Food"})).await;
    // As migration 0008 leaves a database that already had trips: no words, a backlog entry.
    let mut db = app.state.db.conn();
    let conn = db.get().await.unwrap();
    sqlx::query("DELETE FROM mogu_trip_terms")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO mogu_trip_terms_backlog (trip_id) VALUES ($1)")
        .bind(id.as_i64().unwrap())
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(search(&app, &auth, "hanoi").await.1, json!(0));
    let indexed = moapi_mogu::trip::search::index_backlog(&mut *conn)
        .await
        .unwrap();
    assert_eq!(indexed, 1);
    assert_eq!(
        search(&app, &auth, "street").await,
        (vec!["Hanoi Street Food".to_string()], json!(1))
    );
    assert_eq!(
        moapi_mogu::trip::search::index_backlog(&mut *conn)
            .await
            .unwrap(),
        0,
        "the backlog is emptied"
    );
}

//! MOGU trip configs and visibility over HTTP: the default config, a faithful round trip of
//! the reference example, the block tree's rules with their precise errors, optimistic
//! concurrency (a stale version changes nothing; of concurrent writers with one version, on two
//! nodes, exactly one wins), visibility, `updatedAt` bumps and tenancy.

mod common;

use common::fidelity::{assert_mogu, mogu_document};
use common::{Reply, TestApp};
use serde_json::{json, Value};

async fn new_trip(app: &TestApp, auth: &str) -> Value {
    let reply = app
        .create_trip(
            auth,
            json!({"title": "Paris Summer Vacation", "dateExpiration": "2025-06-30T00:00:00Z"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

fn config_path(trip: &Value) -> String {
    format!("/trips/{}/config", trip["id"])
}

async fn get(app: &TestApp, auth: &str, path: &str) -> Reply {
    app.send(app.client.get(app.url(path)).header("authorization", auth))
        .await
}

async fn patch(app: &TestApp, auth: &str, path: &str, body: &Value) -> Reply {
    app.send(
        app.client
            .patch(app.url(path))
            .header("authorization", auth)
            .json(body),
    )
    .await
}

/// The reference's TripConfigExample, as a client would send it.
fn reference_example() -> Value {
    mogu_document()
        .pointer("/components/examples/TripConfigExample/value")
        .cloned()
        .expect("the reference has a TripConfig example")
}

/// `config` without the members the server sets.
fn content(config: &Value) -> Value {
    let mut content = config.clone();
    let members = content.as_object_mut().unwrap();
    members.remove("version");
    members.remove("updatedAt");
    content
}

#[tokio::test]
async fn a_trip_that_never_had_a_config_has_a_default_one() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trip = new_trip(&app, &auth).await;
    let reply = get(&app, &auth, &config_path(&trip)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_mogu("TripConfig", &reply.body);
    assert_eq!(
        reply.body,
        json!({
            "version": "1.0.0+0",
            "blocks": [],
            "contact": {"agencyName": "Account A", "agentName": "Agent A1", "email": "a1@a.example",
                        "pictureUrl": "https://img.example/a1.png", "type": "agent", "visible": true},
            "slider": [],
            "updatedAt": trip["createdAt"],
            "settings": {"canDownloadPdf": true, "canCreateCopy": false, "hasExpiration": true},
            "theme": {},
        })
    );
}

#[tokio::test]
async fn the_reference_example_round_trips_and_partial_patches_keep_the_rest() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let path = config_path(&new_trip(&app, &auth).await);
    let example = reference_example();
    // The example's own version is the bare schema version: an update without a precondition.
    assert_eq!(example["version"], "1.0.0");
    let written = patch(&app, &auth, &path, &example).await;
    assert_eq!(written.status, 200, "{}", written.text);
    assert_mogu("TripConfig", &written.body);
    assert_eq!(content(&written.body), content(&example));
    assert_eq!(written.body["version"], "1.0.0+1");
    let read = get(&app, &auth, &path).await;
    assert_eq!(read.body, written.body);
    let day2 = &read.body["blocks"][4];
    assert_eq!(
        (&day2["hidden"], &day2["metadata"]),
        (&json!(true), &json!({"source": "ai-import"}))
    );
    assert!(
        read.body["blocks"][1].get("content").is_none(),
        "an absent content stays absent"
    );

    let settings = json!({"canDownloadPdf": false, "canCreateCopy": true, "hasExpiration": false, "pdfLayout": "compact"});
    let body = json!({"version": read.body["version"], "settings": settings, "theme": {"primaryColor": "#123456"}});
    let updated = patch(&app, &auth, &path, &body).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_mogu("TripConfig", &updated.body);
    assert_eq!(updated.body["version"], "1.0.0+2");
    assert_eq!(
        updated.body["settings"], settings,
        "unknown settings are kept"
    );
    assert_eq!(updated.body["theme"], json!({"primaryColor": "#123456"}));
    for kept in ["blocks", "contact", "slider"] {
        assert_eq!(updated.body[kept], example[kept], "{kept} is kept");
    }

    let emptied = patch(&app, &auth, &path, &json!({"blocks": []})).await;
    assert_eq!(
        emptied.body["blocks"],
        json!([]),
        "blocks replace the whole tree"
    );
    assert_eq!(emptied.body["version"], "1.0.0+3");
}

fn block(id: &str, block_type: &str, parent: Value, children: Value) -> Value {
    json!({"id": id, "type": block_type, "parent": parent, "children": children})
}

/// Each invalid tree, named, with the exact `errors` it must get.
fn invalid_trees() -> Vec<(&'static str, Value, Value)> {
    let itin = block("itin", "itinerary", Value::Null, json!(["day1"]));
    let day1 = block("day1", "itineraryDay", json!("itin"), json!([]));
    let too_many: Vec<Value> = (0..2001)
        .map(|i| block(&format!("b{i}"), "text", Value::Null, json!([])))
        .collect();
    vec![
        (
            "duplicate id",
            json!([itin, day1, block("day1", "text", Value::Null, json!([]))]),
            json!({"blocks[2]": ["duplicate block id \"day1\" (also blocks[1])"]}),
        ),
        (
            "dangling parent",
            json!([itin, day1, block("t", "text", json!("gone"), json!([]))]),
            json!({"blocks[2]": ["parent \"gone\" is not the id of any block"]}),
        ),
        (
            "child under a non-container",
            json!([
                itin,
                day1,
                block("t", "text", Value::Null, json!(["img"])),
                block("img", "gallery", json!("t"), json!([])),
            ]),
            json!({
                "blocks[2]": ["a \"text\" block cannot hold children; only itinerary, itineraryDay, group, box, dropdown blocks can"],
                "blocks[3]": ["parent \"t\" is a \"text\" block, which cannot hold children"],
            }),
        ),
        (
            "cycle",
            json!([
                block("a", "group", json!("b"), json!(["b"])),
                block("b", "box", json!("a"), json!(["a"])),
            ]),
            json!({"blocks[0]": ["block \"a\" is its own ancestor (parents: a -> b -> a)"]}),
        ),
        (
            "parent does not list its child",
            json!([block("itin", "itinerary", Value::Null, json!([])), day1]),
            json!({"blocks[1]": ["parent \"itin\" does not list \"day1\" in its children"]}),
        ),
        (
            "listed child names no parent",
            json!([itin, block("day1", "itineraryDay", Value::Null, json!([]))]),
            json!({"blocks[0]": ["child \"day1\" has no parent; it should be \"itin\""]}),
        ),
        (
            "malformed blocks",
            json!([{"id": "x"}, {"id": 7, "type": "text"}, "text"]),
            json!({
                "blocks[0]": ["missing field `type`"],
                "blocks[1].id": ["invalid type: integer `7`, expected a string"],
                "blocks[2]": ["invalid type: string \"text\", expected struct Block"],
            }),
        ),
        (
            "too many blocks",
            Value::from(too_many),
            json!({"blocks": ["at most 2000 blocks are allowed; got 2001"]}),
        ),
    ]
}

#[tokio::test]
async fn invalid_block_trees_are_refused_naming_the_offending_block() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let path = config_path(&new_trip(&app, &auth).await);
    let stored = patch(&app, &auth, &path, &reference_example()).await;
    assert_eq!(stored.status, 200, "{}", stored.text);
    for (case, blocks, errors) in invalid_trees() {
        let reply = patch(&app, &auth, &path, &json!({"blocks": blocks})).await;
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
        assert_mogu("ValidationErrors", &reply.body);
        assert_eq!(reply.body, json!({ "errors": errors }), "{case}");
    }
    assert_eq!(
        get(&app, &auth, &path).await.body,
        stored.body,
        "nothing changed"
    );
}

#[tokio::test]
async fn a_stale_version_gets_409_and_changes_nothing() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trip = new_trip(&app, &auth).await;
    let path = config_path(&trip);
    let first = get(&app, &auth, &path).await.body;
    let mut edit = first.clone();
    edit["slider"] = json!(["https://img.example/one.jpg"]);
    let saved = patch(&app, &auth, &path, &edit).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let trip_after_save = get(&app, &auth, &format!("/trips/{}", trip["id"]))
        .await
        .body;

    // A second client still holding the first read.
    let mut late = first.clone();
    late["slider"] = json!(["https://img.example/two.jpg"]);
    let refused = patch(&app, &auth, &path, &late).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_mogu("ValidationErrors", &refused.body);
    assert_eq!(
        refused.body,
        json!({"errors": {"version": ["version \"1.0.0+0\" is stale: the config changed since it was read; read it again, reapply the change and retry"]}})
    );
    assert_eq!(get(&app, &auth, &path).await.body, saved.body);
    let trip_now = get(&app, &auth, &format!("/trips/{}", trip["id"]))
        .await
        .body;
    assert_eq!(
        trip_now, trip_after_save,
        "the trip's updatedAt did not move"
    );

    for (version, status) in [("2.0.0+1", 400), ("1.0.0+abc", 400), ("1.0.0+9", 409)] {
        let reply = patch(
            &app,
            &auth,
            &path,
            &json!({"version": version, "slider": []}),
        )
        .await;
        assert_eq!(reply.status, status, "{version}: {}", reply.text);
        assert!(reply.body["errors"]["version"].is_array(), "{}", reply.text);
    }
    let unconditional = patch(&app, &auth, &path, &json!({"slider": []})).await;
    assert_eq!(
        (unconditional.status, &unconditional.body["version"]),
        (200, &json!("1.0.0+2")),
        "a PATCH without a version applies to the current config"
    );
}

#[tokio::test]
async fn of_concurrent_patches_with_one_version_on_two_nodes_exactly_one_wins() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let path = config_path(&new_trip(&app, &auth).await);
    let (second_base, second_node) = app.second_node().await;
    for round in 0..2 {
        let read = get(&app, &auth, &path).await.body;
        let writers = (0..8).map(|writer| {
            let base = if writer % 2 == 0 {
                &app.base
            } else {
                &second_base
            };
            let request = app
                .client
                .patch(format!("{base}{path}"))
                .header("authorization", &auth)
                .json(&json!({
                    "version": read["version"],
                    "slider": [format!("https://img.example/{round}-{writer}.jpg")],
                }));
            async move {
                let response = request.send().await.expect("the server answers");
                (
                    response.status().as_u16(),
                    response.json::<Value>().await.unwrap(),
                )
            }
        });
        let replies = futures_join_all(writers).await;
        let winners: Vec<&Value> = replies
            .iter()
            .filter(|(status, _)| *status == 200)
            .map(|(_, body)| body)
            .collect();
        assert_eq!(winners.len(), 1, "{replies:?}");
        assert!(
            replies
                .iter()
                .all(|(status, _)| *status == 200 || *status == 409),
            "{replies:?}"
        );
        let stored = get(&app, &auth, &path).await.body;
        assert_eq!(&stored, winners[0], "the winner's write is the one stored");
        assert_eq!(stored["version"], format!("1.0.0+{}", round + 1));
    }
    second_node.abort();
}

/// Runs the futures concurrently and returns their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    for handle in handles {
        outputs.push(handle.await.expect("the writer finishes"));
    }
    outputs
}

#[tokio::test]
async fn visibility_sets_is_public_and_answers_the_trip() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trip = new_trip(&app, &auth).await;
    assert_eq!(trip["isPublic"], false);
    let path = format!("/trips/{}/visibility", trip["id"]);
    let public = patch(&app, &auth, &path, &json!({"isPublic": true})).await;
    assert_eq!(public.status, 200, "{}", public.text);
    assert_mogu("Trip", &public.body);
    assert_eq!(public.body["isPublic"], true);
    assert!(public.body["updatedAt"].as_str() > trip["updatedAt"].as_str());
    let read = get(&app, &auth, &format!("/trips/{}", trip["id"])).await;
    assert_eq!(read.body, public.body);
    let private = patch(&app, &auth, &path, &json!({"isPublic": false})).await;
    assert_eq!(private.body["isPublic"], false);
    assert!(private.body["updatedAt"].as_str() > public.body["updatedAt"].as_str());

    for (body, message) in [
        (json!({}), "isPublic is required"),
        (json!({"isPublic": "yes"}), "must be true or false"),
        (json!({"isPublic": null}), "must be true or false"),
    ] {
        let reply = patch(&app, &auth, &path, &body).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.body, json!({"errors": {"isPublic": [message]}}));
    }
}

#[tokio::test]
async fn a_config_change_bumps_the_trip_updated_at() {
    let app = common::spawn().await;
    let auth = app.mogu_auth(0);
    let trip = new_trip(&app, &auth).await;
    let saved = patch(
        &app,
        &auth,
        &config_path(&trip),
        &json!({"theme": {"font": "serif"}}),
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let after = get(&app, &auth, &format!("/trips/{}", trip["id"]))
        .await
        .body;
    assert!(after["updatedAt"].as_str() > trip["updatedAt"].as_str());
    assert_eq!(
        after["updatedAt"], saved.body["updatedAt"],
        "the trip and its config changed at one instant"
    );
}

#[tokio::test]
async fn another_accounts_trip_is_not_found_and_unchanged() {
    let app = common::spawn().await;
    let owner = app.mogu_auth(0);
    let stranger = app.mogu_auth(2);
    let trip = new_trip(&app, &owner).await;
    let not_found = json!({"errors": {"tripId": ["trip not found"]}});
    let config = config_path(&trip);
    let visibility = format!("/trips/{}/visibility", trip["id"]);
    let replies = [
        get(&app, &stranger, &config).await,
        patch(&app, &stranger, &config, &json!({"blocks": []})).await,
        patch(&app, &stranger, &visibility, &json!({"isPublic": true})).await,
        get(&app, &owner, "/trips/999999/config").await,
    ];
    for reply in replies {
        assert_eq!((reply.status, &reply.body), (404, &not_found));
    }
    let unchanged = get(&app, &owner, &format!("/trips/{}", trip["id"]))
        .await
        .body;
    assert_eq!(unchanged, trip);
    assert_eq!(get(&app, &owner, &config).await.body["version"], "1.0.0+0");
    let bad_id = get(&app, &owner, "/trips/abc/config").await;
    assert_eq!(bad_id.status, 400);
    assert!(bad_id.body["errors"]["tripId"].is_array());
    let no_key = app.send(app.client.get(app.url(&config))).await;
    assert_eq!(no_key.status, 401);
}

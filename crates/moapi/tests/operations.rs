//! Health, request IDs, the generated OpenAPI documents and docs page, and the operator API.

mod common;

use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn health_and_readiness_answer_and_every_response_has_a_request_id() {
    let app = common::spawn().await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().get("x-request-id").is_some());
    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(
        (ready.status, ready.body["status"].as_str()),
        (200, Some("ready"))
    );
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn openapi_documents_describe_the_built_operations() {
    let app = common::spawn().await;
    let moego = app
        .send(app.client.get(app.url("/moego/openapi.json")))
        .await;
    assert_eq!(moego.status, 200);
    assert!(
        moego.body["paths"]["/v1/companies:list"]["post"].is_object(),
        "{}",
        moego.text
    );
    assert!(moego.body["components"]["schemas"]["v1Company"].is_object());
    let mogu = app
        .send(app.client.get(app.url("/mogu/openapi.json")))
        .await;
    assert!(
        mogu.body["paths"]["/trips/{tripId}"]["patch"].is_object(),
        "{}",
        mogu.text
    );
    let docs = app.send(app.client.get(app.url("/docs"))).await;
    assert_eq!(docs.status, 200);
    assert!(docs.text.contains("/v1/companies:list") && docs.text.contains("/trips/{tripId}"));
    for external in ["<script", "<link", "src=\"http", "@import"] {
        assert!(
            !docs.text.contains(external),
            "the page loads nothing from outside: {external}"
        );
    }
}

#[tokio::test]
async fn the_operator_api_needs_its_token_and_shares_the_cli_implementation() {
    let app = common::spawn().await;
    let without_token = app.client.post(app.url("/admin/v1/moego/companies"));
    let refused = app
        .send(without_token.json(&json!({"name": "Gamma"})))
        .await;
    assert_eq!(refused.status, 401);
    let admin = |path: &str| app.admin(Method::POST, path);
    let company = app
        .send(admin("/moego/companies").json(&json!({"name": "Gamma", "country": "US"})))
        .await;
    assert_eq!(company.status, 201, "{}", company.text);
    let company_id = company.body["companyId"].as_str().unwrap().to_string();
    let unknown_zone = app
        .send(admin("/moego/companies").json(&json!({"name": "Delta", "timezone": "Mars/Olympus"})))
        .await;
    assert_eq!(unknown_zone.status, 400, "{}", unknown_zone.text);
    assert!(
        unknown_zone.text.contains("timezone"),
        "{}",
        unknown_zone.text
    );
    let business = app
        .send(
            admin(&format!("/moego/companies/{company_id}/businesses"))
                .json(&json!({"name": "Gamma One"})),
        )
        .await;
    assert_eq!(business.status, 201, "{}", business.text);
    let key = app
        .send(admin("/keys/moego").json(&json!({"company": company_id})))
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let auth = key.body["authorization"].as_str().unwrap();
    let listed = app
        .moego_post(
            auth,
            "/v1/businesses:list",
            json!({"companyId": company_id, "pagination": {"pageSize": 5}}),
        )
        .await;
    assert_eq!(listed.body["businesses"][0]["name"], "Gamma One");
    let bad = app
        .send(admin("/keys/moego").json(&json!({"company": company_id, "scopes": ["everything"]})))
        .await;
    assert_eq!(bad.status, 400);
    let key_path = format!("/keys/{}", key.body["keyId"].as_str().unwrap());
    let revoke = app.send(app.admin(Method::DELETE, &key_path)).await;
    assert_eq!(revoke.status, 204);
    let after = app
        .moego_post(
            auth,
            "/v1/companies:list",
            json!({"pagination": {"pageSize": 5}}),
        )
        .await;
    assert_eq!(after.status, 401);
}

#[tokio::test]
async fn the_operator_api_creates_and_lists_mogu_accounts_and_agents() {
    let app = common::spawn().await;
    let admin = |path: &str| app.admin(Method::POST, path);
    let account = app
        .send(admin("/mogu/accounts").json(&json!({"name": "Gamma Travel"})))
        .await;
    assert_eq!(account.status, 201, "{}", account.text);
    let id = account.body["accountId"].as_i64().unwrap();
    let agent = app
        .send(
            admin(&format!("/mogu/accounts/{id}/agents"))
                .json(&json!({"email": "g1@gamma.example", "name": "G1"})),
        )
        .await;
    assert_eq!(agent.status, 201, "{}", agent.text);
    let again = app
        .send(
            admin(&format!("/mogu/accounts/{id}/agents"))
                .json(&json!({"email": "g1@gamma.example"})),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    let bad = app
        .send(admin("/mogu/accounts/999999/agents").json(&json!({"email": "x@y.example"})))
        .await;
    assert_eq!(bad.status, 404, "{}", bad.text);
    let listed = app.send(app.admin(Method::GET, "/mogu/accounts")).await;
    let gamma = listed.body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(gamma["agents"][0]["email"], "g1@gamma.example");
}

#[tokio::test]
async fn the_operator_api_is_absent_without_a_token() {
    let app = common::spawn_with(|config| config.admin_token = None).await;
    let reply = app
        .send(
            app.client
                .post(app.url("/admin/v1/mogu/accounts"))
                .header("authorization", "Bearer x")
                .json(&json!({"name": "x"})),
        )
        .await;
    assert_eq!(reply.status, 404);
}

#[tokio::test]
async fn outbox_events_are_written_with_their_transaction_only() {
    let app = common::spawn().await;
    let mut conn = app.state.db.conn().detach().await.unwrap();
    for (commit, expected) in [(false, 0), (true, 1)] {
        let mut detached = app.state.db.conn().detach().await.unwrap();
        let mut tx = sqlx::Connection::begin(&mut detached).await.unwrap();
        moapi_moego::event::emit(
            &mut tx,
            &app.state.ids,
            1,
            moapi_moego::event::EventType::HealthCheck,
            "healthCheck",
            json!({"validation": "x"}),
        )
        .await
        .unwrap();
        if commit {
            tx.commit().await.unwrap();
        } else {
            tx.rollback().await.unwrap();
        }
        let count = moapi_core::outbox::count_for_tenant(&mut conn, "moego", 1)
            .await
            .unwrap();
        assert_eq!(count, expected, "after commit={commit}");
    }
}

#[tokio::test]
async fn a_key_over_its_rate_limit_gets_429_in_its_dialect() {
    let app =
        common::spawn_with(|config| config.rate_limit_per_second = std::num::NonZeroU32::new(1))
            .await;
    let moego = app.moego_auth(0);
    let statuses = {
        let mut statuses = Vec::new();
        for _ in 0..3 {
            statuses.push(
                app.moego_post(
                    &moego,
                    "/v1/companies:list",
                    json!({"pagination": {"pageSize": 1}}),
                )
                .await,
            );
        }
        statuses
    };
    assert_eq!(
        statuses.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![200, 200, 429]
    );
    assert_eq!(statuses[2].body["code"], 8);
    let other_key = app
        .moego_post(
            &app.moego_auth(1),
            "/v1/companies:list",
            json!({"pagination": {"pageSize": 1}}),
        )
        .await;
    assert_eq!(other_key.status, 200, "limits are per key");

    let mogu = app.mogu_auth(0);
    let mut last = None;
    for _ in 0..3 {
        last = Some(
            app.client
                .get(app.url("/trips"))
                .header("authorization", &mogu)
                .send()
                .await
                .unwrap(),
        );
    }
    let last = last.unwrap();
    assert_eq!(last.status(), 429);
    assert_eq!(last.headers()["retry-after"], "1");
    let body: serde_json::Value = last.json().await.unwrap();
    assert!(body["errors"]["rate"].is_array(), "{body}");
}

#[tokio::test]
async fn two_nodes_on_one_database_behave_as_one_server() {
    let app = common::spawn().await;
    let (node_b, server_b) = app.second_node().await;
    let company = &app.seed.moego[0].company_id;
    let on_b = app
        .send(
            app.client
                .get(format!("{node_b}/v1/companies/{company}"))
                .header("authorization", app.moego_auth(0)),
        )
        .await;
    assert_eq!(
        on_b.status, 200,
        "IDs minted by one node decode on the other: {}",
        on_b.text
    );

    let mogu = app.mogu_auth(0);
    let created = app.create_trip(&mogu, json!({"title": "Shared"})).await;
    let path = format!("/trips/{}", created.body["id"]);
    let read_on_b = app
        .send(
            app.client
                .get(format!("{node_b}{path}"))
                .header("authorization", &mogu),
        )
        .await;
    assert_eq!(read_on_b.body["title"], "Shared");
    let second = app
        .send(
            app.client
                .post(format!("{node_b}/trips"))
                .header("authorization", &mogu)
                .json(&json!({"title": "Next"})),
        )
        .await;
    assert_eq!(
        second.body["code"], "TRIP-002",
        "trip codes come from the database, not a node"
    );

    let key = app
        .send(
            app.admin(Method::POST, "/keys/mogu")
                .json(&json!({"agentEmail": "b1@b.example"})),
        )
        .await;
    let bearer = format!("Bearer {}", key.body["apiKey"].as_str().unwrap());
    assert_eq!(
        app.send(
            app.client
                .get(format!("{node_b}/trips"))
                .header("authorization", &bearer)
        )
        .await
        .status,
        200
    );
    let key_path = format!("/keys/{}", key.body["keyId"].as_str().unwrap());
    let revoked = app.send(app.admin(Method::DELETE, &key_path)).await;
    assert_eq!(revoked.status, 204);
    // Node B remembers the key it found for at most this long.
    tokio::time::sleep(moapi_core::auth::KEY_CHECK_TTL).await;
    let after = app
        .send(
            app.client
                .get(format!("{node_b}/trips"))
                .header("authorization", &bearer),
        )
        .await;
    assert_eq!(
        after.status, 401,
        "a key revoked through one node fails on the other within KEY_CHECK_TTL"
    );
    server_b.abort();
}

#[tokio::test]
async fn the_demo_set_has_public_trips_with_itineraries_in_public_catalogs() {
    let app = common::spawn().await;
    let report = moapi::operator::seed(
        &app.state,
        &mut app.state.db.conn(),
        moapi::fixtures::Fixtures::demo(),
    )
    .await
    .expect("the demo set seeds next to other data");
    assert_eq!(report.public_trips.len(), 2);
    assert_eq!(report.public_catalogs.len(), 2);
    let trip = &report.public_trips[0];
    let agent = report
        .mogu
        .iter()
        .find(|agent| agent.account_id == trip.account_id)
        .unwrap();
    let auth = format!("Bearer {}", agent.api_key);
    let get = |path: String| {
        app.send(
            app.client
                .get(app.url(&path))
                .header("authorization", &auth),
        )
    };
    let config = get(format!("/trips/{}/config", trip.trip_id)).await;
    assert_eq!(config.status, 200, "{}", config.text);
    common::fidelity::assert_mogu("TripConfig", &config.body);
    let days: Vec<&str> = config.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|block| block["type"] == "itineraryDay")
        .map(|block| block["content"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        days,
        [
            "Arrival and the Latin Quarter",
            "Louvre and the Seine",
            "Versailles"
        ]
    );
    let catalogs = get("/catalogs".to_string()).await;
    assert_eq!(
        catalogs.body["data"][0]["tripCount"], 3,
        "{}",
        catalogs.text
    );
    let page = app
        .send(app.client.get(app.url(&format!("/p/trips/{}", trip.slug))))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Louvre and the Seine"));
    let catalog = app
        .send(app.client.get(app.url(&format!(
            "/p/catalogs/{}",
            report.public_catalogs[0].catalog_id
        ))))
        .await;
    assert_eq!(catalog.status, 200);
    assert!(catalog.text.contains("Paris Summer Vacation"));
    assert!(
        !catalog.text.contains("Lisbon and Porto"),
        "private trips stay off the public catalog page"
    );
}

/// moapi serves connections itself (not through axum::serve): on shutdown it stops accepting
/// and still answers the request in flight.
#[tokio::test]
async fn shutdown_stops_accepting_and_finishes_the_request_in_flight() {
    use tokio::io::AsyncWriteExt;
    let app = common::spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(moapi::server::serve(listener, app.state.clone(), async {
        let _ = stopped.await;
    }));
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let body = br#"{"title":"in flight"}"#;
    let head = format!(
        "POST /trips HTTP/1.1\r\nhost: moapi\r\nauthorization: {}\r\ncontent-length: {}\r\n\r\n",
        app.mogu_auth(0),
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..5]).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "no new connection after shutdown"
    );
    assert!(!server.is_finished(), "a request is still in flight");
    stream.write_all(&body[5..]).await.unwrap();
    let reply = common::read_raw_reply(&mut stream).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let served = tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops once its connections are done");
    assert!(matches!(served, Ok(Ok(()))));
}

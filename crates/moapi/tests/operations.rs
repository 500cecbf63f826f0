//! Health, request IDs, the generated OpenAPI documents and docs page, and the operator API.

mod common;

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
    let admin = |path: &str| app.client.post(app.url(&format!("/admin/v1{path}")));
    let refused = app
        .send(admin("/moego/companies").json(&json!({"name": "Gamma"})))
        .await;
    assert_eq!(refused.status, 401);
    let bearer = format!("Bearer {}", common::ADMIN_TOKEN);
    let company = app
        .send(
            admin("/moego/companies")
                .header("authorization", &bearer)
                .json(&json!({"name": "Gamma", "country": "US"})),
        )
        .await;
    assert_eq!(company.status, 201, "{}", company.text);
    let company_id = company.body["companyId"].as_str().unwrap().to_string();
    let business = app
        .send(
            admin(&format!("/moego/companies/{company_id}/businesses"))
                .header("authorization", &bearer)
                .json(&json!({"name": "Gamma One"})),
        )
        .await;
    assert_eq!(business.status, 201, "{}", business.text);
    let key = app
        .send(
            admin("/keys/moego")
                .header("authorization", &bearer)
                .json(&json!({"company": company_id})),
        )
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
        .send(
            admin("/keys/moego")
                .header("authorization", &bearer)
                .json(&json!({"company": company_id, "scopes": ["everything"]})),
        )
        .await;
    assert_eq!(bad.status, 400);
    let revoke = app
        .send(
            app.client
                .delete(app.url(&format!(
                    "/admin/v1/keys/{}",
                    key.body["keyId"].as_str().unwrap()
                )))
                .header("authorization", &bearer),
        )
        .await;
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
    let ids = &app.state.ids;
    let mut tx = app.state.db.pool().begin().await.unwrap();
    moapi_moego::event::emit(
        &mut tx,
        ids,
        1,
        moapi_moego::event::EventType::HealthCheck,
        "healthCheck",
        json!({"validation": "x"}),
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    let mut conn = app.state.db.pool().acquire().await.unwrap();
    assert_eq!(
        moapi_core::outbox::count_for_tenant(&mut conn, "moego", 1)
            .await
            .unwrap(),
        0
    );
    let mut tx = app.state.db.pool().begin().await.unwrap();
    moapi_moego::event::emit(
        &mut tx,
        ids,
        1,
        moapi_moego::event::EventType::HealthCheck,
        "healthCheck",
        json!({"validation": "x"}),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        moapi_core::outbox::count_for_tenant(&mut conn, "moego", 1)
            .await
            .unwrap(),
        1
    );
}

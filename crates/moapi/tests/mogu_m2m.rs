//! MOGU machine-to-machine auth: `POST /oauth/token` (client_credentials) tokens, externally
//! issued tokens checked against a JWKS, `x-on-behalf-of` resolution with one uniform failure,
//! and scopes enforced on every operation.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::fidelity::{assert_mogu, mogu_document};
use common::{Reply, TestApp};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use moapi::operator::{self, M2mClientRequest};
use serde_json::{json, Value};

const ALL_SCOPES: &[&str] = moapi_mogu::m2m::SCOPES;

/// The fields of a form-encoded token request.
type Form<'a> = &'a [(&'a str, &'a str)];

const EXTERNAL_ISSUER: &str = "https://tenant.idp.test/";
const EXTERNAL_AUDIENCE: &str = "https://trips.api.moapi.test";

fn account(app: &TestApp, agent_index: usize) -> i64 {
    app.seed.mogu[agent_index].account_id
}

/// Registers a client of `accounts` holding `scopes`; returns (clientId, clientSecret).
async fn register(app: &TestApp, scopes: &[&str], accounts: &[i64]) -> (String, String) {
    let client = operator::create_m2m_client(
        &mut app.state.db.conn(),
        &M2mClientRequest {
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            account_ids: accounts.to_vec(),
            ..Default::default()
        },
    )
    .await
    .expect("the operator registers the client");
    (client.client_id, client.client_secret)
}

async fn token_request(app: &TestApp, form: Form<'_>) -> Reply {
    app.send(app.client.post(app.url("/oauth/token")).form(form))
        .await
}

/// A token for a registered client, through the form-encoded request.
async fn token(app: &TestApp, scopes: &[&str], accounts: &[i64]) -> String {
    let (id, secret) = register(app, scopes, accounts).await;
    let reply = token_request(
        app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    format!("Bearer {}", reply.body["access_token"].as_str().unwrap())
}

/// `GET /trips` carrying `auth` and, when given, one `x-on-behalf-of` value.
async fn get_trips(app: &TestApp, auth: &str, on_behalf_of: Option<&str>) -> Reply {
    call(
        app,
        reqwest::Method::GET,
        "/trips",
        auth,
        on_behalf_of,
        None,
    )
    .await
}

/// A MOGU request carrying `auth` and, when given, one `x-on-behalf-of` value.
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    auth: &str,
    on_behalf_of: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("authorization", auth);
    if let Some(value) = on_behalf_of {
        request = request.header("x-on-behalf-of", value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    app.send(request).await
}

#[tokio::test]
async fn tokens_are_issued_for_form_json_and_basic_credentials() {
    let app = common::spawn().await;
    let (id, secret) = register(&app, &["read:trips", "create:trips"], &[account(&app, 0)]).await;

    let form = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
            ("audience", "moapi"),
        ],
    )
    .await;
    let json = app
        .send(app.client.post(app.url("/oauth/token")).json(&json!({
            "grant_type": "client_credentials", "client_id": id, "client_secret": secret,
            "scope": "read:trips"
        })))
        .await;
    let response = app
        .client
        .post(app.url("/oauth/token"))
        .basic_auth(&id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let basic: Value = response.json().await.unwrap();

    for (reply, scope) in [
        (&form.body, "read:trips create:trips"),
        (&json.body, "read:trips"),
        (&basic, "read:trips create:trips"),
    ] {
        assert_eq!(reply["token_type"], "Bearer", "{reply}");
        assert_eq!(reply["expires_in"], 3600);
        assert_eq!(reply["scope"], scope);
        assert_eq!(
            reply["access_token"].as_str().unwrap().split('.').count(),
            3
        );
    }

    // The narrowed token reads but may not create; the full one does both, on any node.
    let narrow = format!("Bearer {}", json.body["access_token"].as_str().unwrap());
    let full = format!("Bearer {}", form.body["access_token"].as_str().unwrap());
    let listed = get_trips(&app, &narrow, Some("a1@a.example")).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_mogu("PaginatedTrips", &listed.body);
    let refused = call(
        &app,
        reqwest::Method::POST,
        "/trips",
        &narrow,
        Some("a1@a.example"),
        Some(json!({"title": "Rome"})),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.body,
        json!({"errors": {"scope": ["this operation requires the scope create:trips"]}})
    );
    let (second, _node) = app.second_node().await;
    let created = app
        .send(
            app.client
                .post(format!("{second}/trips"))
                .header("authorization", &full)
                .header("x-on-behalf-of", "A2@A.example")
                .json(&json!({"title": "Rome"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_mogu("Trip", &created.body);
    // The trip belongs to the agent acted for: its own key sees it.
    let path = format!("/trips/{}", created.body["id"]);
    let mine = call(
        &app,
        reqwest::Method::GET,
        &path,
        &app.mogu_auth(1),
        None,
        None,
    )
    .await;
    assert_eq!(mine.status, 200);
}

#[tokio::test]
async fn bad_token_requests_get_oauth_errors() {
    let app = common::spawn().await;
    let (id, secret) = register(&app, &["read:trips"], &[account(&app, 0)]).await;
    let grant = ("grant_type", "client_credentials");

    let wrong_secret = token_request(
        &app,
        &[grant, ("client_id", &id), ("client_secret", "m2m_nope")],
    )
    .await;
    assert_eq!(wrong_secret.status, 401);
    assert_eq!(wrong_secret.body["error"], "invalid_client");
    let unknown = token_request(
        &app,
        &[grant, ("client_id", "nobody"), ("client_secret", &secret)],
    )
    .await;
    assert_eq!((unknown.status, &unknown.text), (401, &wrong_secret.text));
    let basic_wrong = app
        .client
        .post(app.url("/oauth/token"))
        .basic_auth(&id, Some("wrong"))
        .form(&[grant])
        .send()
        .await
        .unwrap();
    assert_eq!(basic_wrong.status(), 401);
    assert!(basic_wrong.headers().contains_key("www-authenticate"));
    let no_credentials = token_request(&app, &[grant]).await;
    assert_eq!(no_credentials.body["error"], "invalid_client");

    let cases: [(Form, u16, &str); 4] = [
        (
            &[
                ("grant_type", "password"),
                ("client_id", &id),
                ("client_secret", &secret),
            ],
            400,
            "unsupported_grant_type",
        ),
        (
            &[("client_id", &id), ("client_secret", &secret)],
            400,
            "invalid_request",
        ),
        (
            &[
                grant,
                ("client_id", &id),
                ("client_secret", &secret),
                ("scope", "read:trips delete:trips"),
            ],
            400,
            "invalid_scope",
        ),
        (
            &[
                grant,
                ("client_id", &id),
                ("client_secret", &secret),
                ("audience", "https://elsewhere.test"),
            ],
            400,
            "invalid_target",
        ),
    ];
    for (form, status, error) in cases {
        let reply = token_request(&app, form).await;
        assert_eq!(
            (reply.status, reply.body["error"].as_str()),
            (status, Some(error)),
            "{form:?}: {}",
            reply.text
        );
        assert!(reply.body["error_description"].is_string());
    }
    let both = app
        .client
        .post(app.url("/oauth/token"))
        .basic_auth(&id, Some(&secret))
        .form(&[grant, ("client_secret", &secret)])
        .send()
        .await
        .unwrap();
    assert_eq!(both.status(), 400);
    let not_json = app
        .send(
            app.client
                .post(app.url("/oauth/token"))
                .header("content-type", "application/json")
                .body("{"),
        )
        .await;
    assert_eq!(not_json.body["error"], "invalid_request");
}

#[tokio::test]
async fn a_token_without_update_trips_gets_403_on_patch() {
    let app = common::spawn().await;
    let auth = token(&app, &["read:trips", "create:trips"], &[account(&app, 0)]).await;
    let created = call(
        &app,
        reqwest::Method::POST,
        "/trips",
        &auth,
        Some("a1@a.example"),
        Some(json!({"title": "Paris"})),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let path = format!("/trips/{}", created.body["id"]);

    let patched = call(
        &app,
        reqwest::Method::PATCH,
        &path,
        &auth,
        Some("a1@a.example"),
        Some(json!({"title": "Lyon"})),
    )
    .await;
    assert_eq!(patched.status, 403);
    assert_mogu("ValidationErrors", &patched.body);
    assert_eq!(
        patched.body,
        json!({"errors": {"scope": ["this operation requires the scope update:trips"]}})
    );
    let unchanged = call(
        &app,
        reqwest::Method::GET,
        &path,
        &auth,
        Some("a1@a.example"),
        None,
    )
    .await;
    assert_eq!(unchanged.body["title"], "Paris");

    let updater = token(&app, &["update:trips"], &[account(&app, 0)]).await;
    let patched = call(
        &app,
        reqwest::Method::PATCH,
        &path,
        &updater,
        Some("a1@a.example"),
        Some(json!({"title": "Lyon"})),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["title"], "Lyon");
}

#[tokio::test]
async fn scopes_are_enforced_on_list_create_and_delete() {
    let app = common::spawn().await;
    let accounts = [account(&app, 0)];
    let trip = app
        .create_trip(&app.mogu_auth(0), json!({"title": "Oslo"}))
        .await
        .body["id"]
        .clone();
    let delete_body = json!({"tripId": [trip]});
    let updater = token(&app, &["update:trips"], &accounts).await;
    let agent = Some("a1@a.example");
    for (method, path, body, scope) in [
        (reqwest::Method::GET, "/trips", None, "read:trips"),
        (
            reqwest::Method::GET,
            &format!("/trips/{trip}") as &str,
            None,
            "read:trips",
        ),
        (
            reqwest::Method::POST,
            "/trips",
            Some(json!({"title": "Rome"})),
            "create:trips",
        ),
        (
            reqwest::Method::DELETE,
            "/trips",
            Some(delete_body.clone()),
            "delete:trips",
        ),
    ] {
        let reply = call(&app, method.clone(), path, &updater, agent, body).await;
        assert_eq!(reply.status, 403, "{method} {path}");
        assert_eq!(
            reply.body["errors"]["scope"][0],
            format!("this operation requires the scope {scope}")
        );
    }
    let lister = token(&app, &["read:trips"], &accounts).await;
    let listed = get_trips(&app, &lister, agent).await;
    assert_eq!(listed.body["totalCount"], 1);
    let deleter = token(&app, &["delete:trips"], &accounts).await;
    let deleted = call(
        &app,
        reqwest::Method::DELETE,
        "/trips",
        &deleter,
        agent,
        Some(delete_body),
    )
    .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.body["deleted"], json!([trip]));
    // API keys keep their full access, and ignore the header.
    let by_key = call(
        &app,
        reqwest::Method::POST,
        "/trips",
        &app.mogu_auth(0),
        Some("b1@b.example"),
        Some(json!({"title": "Rome"})),
    )
    .await;
    assert_eq!(by_key.status, 201);
    assert_eq!(by_key.body["code"], "TRIP-002");
}

#[tokio::test]
async fn every_on_behalf_of_failure_gets_the_same_answer() {
    let app = common::spawn().await;
    let (a, b) = (account(&app, 0), account(&app, 2));
    let auth = token(&app, ALL_SCOPES, &[a]).await;
    let unknown = get_trips(&app, &auth, Some("nobody@a.example")).await;
    assert_eq!(unknown.status, 401);
    assert_mogu("ValidationErrors", &unknown.body);
    let a_in_b = format!("a1@a.example,{b}");
    let missing_account = format!("a1@a.example,{}", a + b + 100);
    for value in [
        Some("b1@b.example"),
        Some(a_in_b.as_str()),
        Some(missing_account.as_str()),
        Some("not-an-email"),
        Some("a1@a.example,abc"),
        Some(""),
        None,
    ] {
        let reply = get_trips(&app, &auth, value).await;
        assert_eq!(
            (reply.status, &reply.text),
            (401, &unknown.text),
            "{value:?}"
        );
    }
    let own_account = format!("A1@a.example, {a}");
    let fine = get_trips(&app, &auth, Some(&own_account)).await;
    assert_eq!(fine.status, 200, "{}", fine.text);

    // A client granted account B acts for B's agent and sees B's trips only.
    app.create_trip(&app.mogu_auth(0), json!({"title": "A's trip"}))
        .await;
    let b_trip = app
        .create_trip(&app.mogu_auth(2), json!({"title": "B's trip"}))
        .await
        .body;
    let both = token(&app, &["read:trips"], &[a, b]).await;
    let seen = get_trips(&app, &both, Some("b1@b.example")).await;
    assert_eq!(seen.body["totalCount"], 1);
    assert_eq!(seen.body["data"][0]["id"], b_trip["id"]);
}

#[tokio::test]
async fn a_repeated_on_behalf_of_header_gets_400() {
    let app = common::spawn().await;
    let auth = token(&app, &["read:trips"], &[account(&app, 0)]).await;
    let reply = app
        .send(
            app.client
                .get(app.url("/trips"))
                .header("authorization", &auth)
                .header("x-on-behalf-of", "a1@a.example")
                .header("x-on-behalf-of", "a1@a.example"),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_mogu("ValidationErrors", &reply.body);
    assert!(reply.body["errors"]["x-on-behalf-of"].is_array());
}

#[tokio::test]
async fn expired_tampered_and_unregistered_tokens_are_rejected() {
    let app = common::spawn().await;
    let (id, _) = register(&app, &["read:trips"], &[account(&app, 0)]).await;
    let now = chrono::Utc::now().timestamp();
    let scopes = ["read:trips".to_string()];
    let fresh = app.state.m2m.issue(&id, &scopes, now).unwrap().access_token;
    let expired = app
        .state
        .m2m
        .issue(&id, &scopes, now - 7200)
        .unwrap()
        .access_token;
    let unregistered = app
        .state
        .m2m
        .issue("nobody", &scopes, now)
        .unwrap()
        .access_token;
    let mut tampered = fresh.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let ok = get_trips(&app, &format!("Bearer {fresh}"), Some("a1@a.example")).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    for token in [expired, tampered, unregistered, "a.b.c".to_string()] {
        let reply = get_trips(&app, &format!("Bearer {token}"), Some("a1@a.example")).await;
        assert_eq!(reply.status, 401, "{token}: {}", reply.text);
        assert!(
            reply.body["errors"]["authorization"].is_array(),
            "{}",
            reply.text
        );
    }
}

/// A JWKS endpoint on 127.0.0.1 whose document the test can swap, counting fetches.
struct JwksServer {
    url: String,
    document: Arc<Mutex<String>>,
    fetches: Arc<AtomicUsize>,
    _server: tokio::task::JoinHandle<()>,
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn jwks_server(document: String) -> JwksServer {
    let document = Arc::new(Mutex::new(document));
    let fetches = Arc::new(AtomicUsize::new(0));
    let (served, counted) = (document.clone(), fetches.clone());
    let router = axum::Router::new().route(
        "/.well-known/jwks.json",
        axum::routing::get(move || {
            let (served, counted) = (served.clone(), counted.clone());
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                let body = served.lock().unwrap().clone();
                ([("content-type", "application/json")], body)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/.well-known/jwks.json",
        listener.local_addr().unwrap()
    );
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    JwksServer {
        url,
        document,
        fetches,
        _server: server,
    }
}

/// An RS256 token as the external provider would sign it with test key `key` (1 or 2).
fn external_token(key: u8, kid: &str, claims: Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_string());
    let pem = fixture(&format!("m2m_rsa_{key}.pem"));
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
    )
    .unwrap()
}

fn external_claims(azp: &str, overrides: Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": EXTERNAL_ISSUER, "aud": [EXTERNAL_AUDIENCE, "https://tenant.idp.test/userinfo"],
        "sub": format!("{azp}@clients"), "azp": azp, "iat": now, "exp": now + 600,
        "scope": "read:trips update:trips", "gty": "client-credentials",
    });
    for (key, value) in overrides.as_object().unwrap() {
        claims[key] = value.clone();
    }
    claims
}

#[tokio::test]
async fn external_tokens_are_checked_against_the_providers_keys() {
    let jwks = jwks_server(fixture("m2m_jwks_1.json")).await;
    let app = spawn_with_provider(&jwks).await;
    let get = |token: String| {
        let app = &app;
        async move { get_trips(app, &format!("Bearer {token}"), Some("a1@a.example")).await }
    };

    let accepted = get(external_token(
        1,
        "test-key-1",
        external_claims("ext-client", json!({})),
    ))
    .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    // Scopes come from the token: `permissions` (Auth0 RBAC) counts as well as `scope`.
    let by_permissions = external_token(
        1,
        "test-key-1",
        external_claims(
            "ext-client",
            json!({"scope": null, "permissions": ["read:trips"]}),
        ),
    );
    assert_eq!(get(by_permissions).await.status, 200);
    let no_read = external_token(
        1,
        "test-key-1",
        external_claims("ext-client", json!({"scope": "update:trips"})),
    );
    assert_eq!(get(no_read).await.status, 403);

    let now = chrono::Utc::now().timestamp();
    for (case, token) in [
        (
            "wrong audience",
            external_token(
                1,
                "test-key-1",
                external_claims("ext-client", json!({"aud": "https://other.api.test"})),
            ),
        ),
        (
            "wrong issuer",
            external_token(
                1,
                "test-key-1",
                external_claims("ext-client", json!({"iss": "https://evil.test/"})),
            ),
        ),
        (
            "expired",
            external_token(
                1,
                "test-key-1",
                external_claims("ext-client", json!({"exp": now - 3600})),
            ),
        ),
        (
            "unregistered client",
            external_token(1, "test-key-1", external_claims("someone-else", json!({}))),
        ),
        (
            "signed by another key",
            external_token(2, "test-key-1", external_claims("ext-client", json!({}))),
        ),
    ] {
        let reply = get(token).await;
        assert_eq!(reply.status, 401, "{case}: {}", reply.text);
    }
    assert_eq!(
        jwks.fetches.load(Ordering::SeqCst),
        1,
        "the keys are cached"
    );

    // The provider rotates its key: an unknown kid refreshes the cache once.
    *jwks.document.lock().unwrap() = fixture("m2m_jwks_2.json");
    let rotated = get(external_token(
        2,
        "test-key-2",
        external_claims("ext-client", json!({})),
    ))
    .await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_eq!(jwks.fetches.load(Ordering::SeqCst), 2);
    // moapi's own tokens still work beside the provider's, with the configured audience.
    let own = token(&app, &["read:trips"], &[account(&app, 0)]).await;
    assert_eq!(
        get_trips(&app, &own, Some("a1@a.example")).await.status,
        200
    );
}

/// An app accepting the external provider behind `jwks`, with a client registered as
/// `ext-client` for account A.
async fn spawn_with_provider(jwks: &JwksServer) -> TestApp {
    let app = common::spawn_with(|config| {
        config.m2m_issuer = Some(EXTERNAL_ISSUER.to_string());
        config.m2m_audience = Some(EXTERNAL_AUDIENCE.to_string());
        config.m2m_jwks_url = Some(jwks.url.clone());
    })
    .await;
    operator::create_m2m_client(
        &mut app.state.db.conn(),
        &M2mClientRequest {
            scopes: vec!["read:trips".into()],
            account_ids: vec![account(&app, 0)],
            external_id: Some("ext-client".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app
}

#[tokio::test]
async fn a_provider_whose_keys_cannot_be_fetched_is_not_asked_on_every_request() {
    let jwks = jwks_server("<html>maintenance</html>".to_string()).await;
    let app = spawn_with_provider(&jwks).await;
    for _ in 0..3 {
        let token = external_token(1, "test-key-1", external_claims("ext-client", json!({})));
        let reply = get_trips(&app, &format!("Bearer {token}"), Some("a1@a.example")).await;
        assert_eq!(reply.status, 401, "{}", reply.text);
    }
    assert_eq!(jwks.fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn clients_are_registered_by_the_cli_and_the_operator_api() {
    let app = common::spawn().await;
    let a = account(&app, 0).to_string();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_moapi"))
        .args([
            "m2m",
            "create-client",
            "--scope",
            "read:trips",
            "--account",
            &a,
            "--json",
        ])
        .args(["--database-url", &app.state.config.database_url])
        .env("MOAPI_LOG", "error")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&String> = printed.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["clientId", "clientSecret"]);
    let reply = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", printed["clientId"].as_str().unwrap()),
            ("client_secret", printed["clientSecret"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(
        (reply.status, reply.body["scope"].as_str()),
        (200, Some("read:trips"))
    );
    let stored: (String,) =
        sqlx::query_as("SELECT secret_hash FROM mogu_m2m_clients WHERE id = $1")
            .bind(printed["clientId"].as_str().unwrap())
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert!(
        !stored.0.contains(printed["clientSecret"].as_str().unwrap()),
        "only a hash is kept"
    );

    let created = app
        .send(app.admin(reqwest::Method::POST, "/mogu/m2m-clients").json(&json!({
            "name": "Partner", "scopes": ["read:trips", "update:catalogs"], "accountIds": [account(&app, 0), account(&app, 2)]
        })))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert!(created.body["clientSecret"]
        .as_str()
        .unwrap()
        .starts_with("m2m_"));
    assert_eq!(created.body["accountIds"].as_array().unwrap().len(), 2);
    for (body, status) in [
        (
            json!({"scopes": ["write:everything"], "accountIds": [account(&app, 0)]}),
            400,
        ),
        (json!({"scopes": [], "accountIds": [account(&app, 0)]}), 400),
        (json!({"scopes": ["read:trips"], "accountIds": []}), 400),
        (
            json!({"scopes": ["read:trips"], "accountIds": [999999]}),
            404,
        ),
    ] {
        let reply = app
            .send(
                app.admin(reqwest::Method::POST, "/mogu/m2m-clients")
                    .json(&body),
            )
            .await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
    }
}

#[tokio::test]
async fn a_revoked_client_loses_its_tokens_at_once_on_every_node() {
    let app = common::spawn().await;
    let (id, secret) = register(&app, &["read:trips"], &[account(&app, 0)]).await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
    ];
    let issued = token_request(&app, &form).await.body;
    let auth = format!("Bearer {}", issued["access_token"].as_str().unwrap());
    assert_eq!(
        get_trips(&app, &auth, Some("a1@a.example")).await.status,
        200
    );

    let listed = app
        .send(app.admin(reqwest::Method::GET, "/mogu/m2m-clients"))
        .await;
    let client = &listed.body["clients"][0];
    assert_eq!(client["clientId"], id.as_str());
    assert_eq!(client["accountIds"], json!([account(&app, 0)]));
    assert_eq!(client["revoked"], false);
    assert!(!listed.text.contains(&secret), "secrets are never listed");

    let path = format!("/mogu/m2m-clients/{id}");
    let revoked = app.send(app.admin(reqwest::Method::DELETE, &path)).await;
    assert_eq!(revoked.status, 204);
    let again = app.send(app.admin(reqwest::Method::DELETE, &path)).await;
    assert_eq!(again.status, 404);

    let (second, _node) = app.second_node().await;
    let refused = app
        .send(
            app.client
                .get(format!("{second}/trips"))
                .header("authorization", &auth)
                .header("x-on-behalf-of", "a1@a.example"),
        )
        .await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    assert_eq!(
        token_request(&app, &form).await.body["error"],
        "invalid_client"
    );
}

#[test]
fn the_scope_of_every_operation_follows_the_reference() {
    let document = mogu_document();
    for operation in moapi_mogu::reference::OPERATIONS {
        let item = &document["paths"][operation.path][operation.method.to_lowercase()];
        let security = item["security"].as_array().cloned().unwrap_or_default();
        let documented = security
            .iter()
            .find_map(|requirement| requirement["m2mOnBehalfOf"].as_array())
            .and_then(|scopes| scopes.first())
            .and_then(Value::as_str);
        let ours = moapi_mogu::m2m::scope_of(operation.operation_id);
        match documented {
            Some(scope) => assert_eq!(ours, Some(scope), "{}", operation.operation_id),
            // Public operations need nothing; the AI operations list only bearerAuth.
            None if security.is_empty() => assert_eq!(ours, None, "{}", operation.operation_id),
            None => assert_eq!(ours, Some("create:trips"), "{}", operation.operation_id),
        }
    }
}

#[test]
fn the_openapi_document_declares_the_m2m_scheme() {
    let document = serde_json::to_value(moapi_mogu::openapi()).unwrap();
    let scheme = &document["components"]["securitySchemes"]["m2mOnBehalfOf"];
    let flow = &scheme["flows"]["clientCredentials"];
    assert_eq!(flow["tokenUrl"], "/oauth/token");
    let scopes: std::collections::BTreeSet<&str> = flow["scopes"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(scopes, ALL_SCOPES.iter().copied().collect());
}

//! MoeGo webhook subscriptions (WebhookService create, get, update, delete, list) over HTTP:
//! fidelity to the vendor swagger, the per-client limits, receiver rules (HTTPS, the SSRF
//! guard after resolution), organizations and tenancy, list filters and paging, and the
//! secret token and custom header values sealed at rest.

mod common;

use common::fidelity::assert_moego;
use common::webhooks::{public_url, webhook_ids, WEBHOOK};
use moapi::operator::MoegoKeyRequest;
use serde_json::{json, Value};

fn code(reply: &common::Reply) -> (u16, Option<i64>) {
    (reply.status, reply.body["code"].as_i64())
}

#[tokio::test]
async fn webhooks_are_created_read_replaced_listed_and_deleted_in_vendor_shape() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let created = app
        .create_webhook(
            &auth,
            json!({
                "endpointUrl": public_url("hooks/a"),
                "organizations": [app.company_organization(0)],
                "eventTypes": ["CUSTOMER_CREATED", "PET_CREATED"],
                "secretToken": "s3cret",
                "contentType": "CONTENT_TYPE_JSON",
                "headers": {"X-Api-Key": {"values": ["k1", "k2"]}},
            }),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_moego(WEBHOOK, "v1Webhook", &created.body);
    let webhook = &created.body;
    let id = webhook["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("whk_"), "{id}");
    assert_eq!(webhook["endpointUrl"], public_url("hooks/a"));
    assert_eq!(
        webhook["organizations"],
        json!([app.company_organization(0)])
    );
    assert_eq!(
        webhook["eventTypes"],
        json!(["CUSTOMER_CREATED", "PET_CREATED"])
    );
    assert_eq!(webhook["secretToken"], "s3cret");
    assert_eq!(webhook["contentType"], "CONTENT_TYPE_JSON");
    assert_eq!(
        (webhook["isActive"].clone(), webhook["verifySsl"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(
        webhook["headers"],
        json!({"X-Api-Key": {"values": ["k1", "k2"]}})
    );
    assert_eq!(webhook["createdTime"], webhook["updatedTime"]);

    let fetched = app.moego_get(&auth, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(fetched.status, 200, "{}", fetched.text);
    assert_moego(WEBHOOK, "v1Webhook", &fetched.body);
    assert_eq!(fetched.body, created.body);

    let replaced = app
        .put_webhook(
            &auth,
            &id,
            json!({
                "endpointUrl": public_url("hooks/b"),
                "eventTypes": ["APPOINTMENT_CREATED"],
                "isActive": false,
                "verifySsl": false,
                "secretToken": "rotated",
            }),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_moego(WEBHOOK, "v1Webhook", &replaced.body);
    let webhook = &replaced.body;
    assert_eq!(webhook["endpointUrl"], public_url("hooks/b"));
    assert_eq!(webhook["eventTypes"], json!(["APPOINTMENT_CREATED"]));
    assert_eq!(webhook["secretToken"], "rotated");
    // protojson leaves false out; optional fields not sent keep their values.
    assert!(webhook.get("isActive").is_none() && webhook.get("verifySsl").is_none());
    assert_eq!(
        webhook["organizations"],
        json!([app.company_organization(0)])
    );
    assert_eq!(
        webhook["headers"],
        json!({"X-Api-Key": {"values": ["k1", "k2"]}})
    );
    assert_eq!(webhook["createdTime"], created.body["createdTime"]);
    assert_ne!(webhook["updatedTime"], created.body["updatedTime"]);

    let without_events = app
        .put_webhook(&auth, &id, json!({"endpointUrl": public_url("hooks/b")}))
        .await;
    assert_eq!(
        code(&without_events),
        (400, Some(3)),
        "{}",
        without_events.text
    );
    let without_url = app
        .put_webhook(&auth, &id, json!({"eventTypes": ["PET_CREATED"]}))
        .await;
    assert_eq!(code(&without_url), (400, Some(3)), "{}", without_url.text);

    let listed = app
        .list_webhooks(&auth, json!({"pagination": {"pageSize": 10}}))
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(WEBHOOK, "v1ListWebhooksResponse", &listed.body);
    assert_eq!(listed.body["webhooks"], json!([replaced.body]));

    let deleted = app.delete_webhook(&auth, &id).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_moego(WEBHOOK, "v1DeleteWebhookResponse", &deleted.body);
    assert_eq!(deleted.body, json!({}));
    let gone = app.moego_get(&auth, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(code(&gone), (404, Some(5)));
    assert_eq!(code(&app.delete_webhook(&auth, &id).await), (404, Some(5)));
    assert_eq!(
        code(
            &app.put_webhook(&auth, &id, app.webhook_body(0, &public_url("x")))
                .await
        ),
        (404, Some(5))
    );
    let malformed = app.moego_get(&auth, "/v1/webhooks/whk_nope").await;
    assert_eq!(malformed.body["message"], "invalid obfuscate");
}

#[tokio::test]
async fn the_secret_token_is_sealed_at_rest_and_can_be_rotated_or_removed() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let mut body = app.webhook_body(0, &public_url("sealed"));
    body["secretToken"] = json!("whsec-plain-text-42");
    let id = app.created_webhook(&auth, body).await;
    let sealed = || async {
        let (sealed,): (Option<String>,) =
            sqlx::query_as("SELECT secret_sealed FROM moego_webhooks")
                .fetch_one(app.state.db.conn().get().await.unwrap())
                .await
                .unwrap();
        sealed
    };
    let stored = sealed().await.expect("the secret is stored sealed");
    assert!(!stored.contains("whsec-plain-text-42"), "{stored}");
    assert_eq!(
        app.state.secrets.open(&stored).unwrap(),
        "whsec-plain-text-42"
    );

    let mut rotate = app.webhook_body(0, &public_url("sealed"));
    rotate["secretToken"] = json!("rotated-secret");
    let rotated = app.put_webhook(&auth, &id, rotate).await;
    assert_eq!(
        rotated.body["secretToken"], "rotated-secret",
        "{}",
        rotated.text
    );
    let stored = sealed().await.unwrap();
    assert_eq!(app.state.secrets.open(&stored).unwrap(), "rotated-secret");

    let kept = app
        .put_webhook(&auth, &id, app.webhook_body(0, &public_url("sealed")))
        .await;
    assert_eq!(kept.body["secretToken"], "rotated-secret", "{}", kept.text);

    let mut remove = app.webhook_body(0, &public_url("sealed"));
    remove["secretToken"] = json!("");
    let removed = app.put_webhook(&auth, &id, remove).await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert!(
        removed.body.get("secretToken").is_none(),
        "{}",
        removed.text
    );
    assert_eq!(sealed().await, None);
}

#[tokio::test]
async fn custom_header_values_are_sealed_at_rest_and_answered_as_given() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let stored = || async {
        let (headers,): (String,) = sqlx::query_as("SELECT headers FROM moego_webhooks")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
        headers
    };
    // The raw column holds none of `values` and opens to exactly `expected`.
    let assert_sealed = |column: String, values: &[&str], expected: Value| {
        for value in values {
            assert!(!column.contains(value), "{value} in clear: {column}");
        }
        let opened = app.state.secrets.open(&column).expect("sealed");
        assert_eq!(serde_json::from_str::<Value>(&opened).unwrap(), expected);
    };
    let headers = json!({
        "Authorization": {"values": ["Bearer receiver-token-1"]},
        "X-Api-Key": {"values": ["receiver-key-2", "receiver-key-3"]},
    });
    let mut body = app.webhook_body(0, &public_url("credentials"));
    body["headers"] = headers.clone();
    let created = app.create_webhook(&auth, body).await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.body["headers"], headers);
    let first = ["receiver-token-1", "receiver-key-2", "receiver-key-3"];
    assert_sealed(stored().await, &first, headers.clone());
    let id = created.body["id"].as_str().unwrap().to_string();
    let fetched = app.moego_get(&auth, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(fetched.body, created.body, "{}", fetched.text);
    let listed = app
        .list_webhooks(&auth, json!({"pagination": {"pageSize": 10}}))
        .await;
    assert_eq!(
        listed.body["webhooks"],
        json!([created.body]),
        "{}",
        listed.text
    );

    // A replace without headers keeps them, still sealed; one with headers seals the new ones.
    let kept = app
        .put_webhook(&auth, &id, app.webhook_body(0, &public_url("credentials")))
        .await;
    assert_eq!(kept.body["headers"], headers, "{}", kept.text);
    assert_sealed(stored().await, &first, headers.clone());
    let replaced_headers = json!({"X-Api-Key": {"values": ["receiver-key-4"]}});
    let mut replace = app.webhook_body(0, &public_url("credentials"));
    replace["headers"] = replaced_headers.clone();
    let replaced = app.put_webhook(&auth, &id, replace).await;
    assert_eq!(
        replaced.body["headers"], replaced_headers,
        "{}",
        replaced.text
    );
    assert_sealed(stored().await, &["receiver-key-4"], replaced_headers);
    let fetched = app.moego_get(&auth, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(fetched.body, replaced.body, "{}", fetched.text);
}

#[tokio::test]
async fn a_second_webhook_to_the_same_url_already_exists() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    app.created_webhook(&auth, app.webhook_body(0, &public_url("same")))
        .await;
    let again = app
        .create_webhook(&auth, app.webhook_body(0, &public_url("same")))
        .await;
    assert_eq!(code(&again), (409, Some(6)), "{}", again.text);

    let other = app
        .created_webhook(&auth, app.webhook_body(0, &public_url("other")))
        .await;
    let moved = app
        .put_webhook(&auth, &other, app.webhook_body(0, &public_url("same")))
        .await;
    assert_eq!(code(&moved), (409, Some(6)), "{}", moved.text);
    // Replacing a webhook with its own URL is no conflict.
    let same = app
        .put_webhook(&auth, &other, app.webhook_body(0, &public_url("other")))
        .await;
    assert_eq!(same.status, 200, "{}", same.text);

    // URLs are unique per client: another client may use the same receiver.
    let beta = app
        .create_webhook(&app.moego_auth(1), app.webhook_body(1, &public_url("same")))
        .await;
    assert_eq!(beta.status, 200, "{}", beta.text);
}

#[tokio::test]
async fn the_51st_webhook_of_a_client_is_resource_exhausted() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let mut first = String::new();
    for n in 0..50 {
        let id = app
            .created_webhook(&auth, app.webhook_body(0, &public_url(&format!("n/{n}"))))
            .await;
        if n == 0 {
            first = id;
        }
    }
    let over = app
        .create_webhook(&auth, app.webhook_body(0, &public_url("n/50")))
        .await;
    assert_eq!(code(&over), (429, Some(8)), "{}", over.text);
    assert_eq!(app.count_rows("moego_webhooks").await, 50);
    // The limit is the client's: another client still has room.
    let beta = app
        .create_webhook(&app.moego_auth(1), app.webhook_body(1, &public_url("n/50")))
        .await;
    assert_eq!(beta.status, 200, "{}", beta.text);
    assert_eq!(app.delete_webhook(&auth, &first).await.status, 200);
    let room = app
        .create_webhook(&auth, app.webhook_body(0, &public_url("n/50")))
        .await;
    assert_eq!(room.status, 200, "{}", room.text);
}

#[tokio::test]
async fn receivers_must_be_https_unless_the_operator_allows_http() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    for url in [
        "http://1.1.1.1/hook",
        "ftp://1.1.1.1/hook",
        "not a url",
        "/relative",
        "https://user:pass@1.1.1.1/hook",
    ] {
        let refused = app.create_webhook(&auth, app.webhook_body(0, url)).await;
        assert_eq!(code(&refused), (400, Some(3)), "{url}: {}", refused.text);
        assert!(
            refused.body["message"]
                .as_str()
                .unwrap()
                .starts_with("endpointUrl: "),
            "{}",
            refused.text
        );
    }
    assert_eq!(app.count_rows("moego_webhooks").await, 0);

    let sandbox = common::spawn_with(|config| config.webhooks.allow_http = true).await;
    let plain = sandbox
        .create_webhook(
            &sandbox.moego_auth(0),
            sandbox.webhook_body(0, "http://1.1.1.1/hook"),
        )
        .await;
    assert_eq!(plain.status, 200, "{}", plain.text);
    assert_eq!(plain.body["endpointUrl"], "http://1.1.1.1/hook");
    // Allowing HTTP does not lift the SSRF guard.
    let internal = sandbox
        .create_webhook(
            &sandbox.moego_auth(0),
            sandbox.webhook_body(0, "http://10.0.0.1/hook"),
        )
        .await;
    assert_eq!(code(&internal), (400, Some(3)), "{}", internal.text);
}

/// A name other than `localhost` that the hosts file maps to a loopback address, when the
/// machine has one.
fn loopback_alias() -> Option<String> {
    let hosts = std::fs::read_to_string("/etc/hosts").ok()?;
    hosts.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        let address = fields.next()?;
        if !address.starts_with("127.") {
            return None;
        }
        fields
            .take_while(|name| !name.starts_with('#'))
            .find(|name| !name.starts_with("localhost"))
            .map(str::to_string)
    })
}

#[tokio::test]
async fn internal_and_metadata_receivers_are_refused_after_resolution() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let mut urls: Vec<String> = [
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/hook",
        "https://192.168.1.10/hook",
        "https://127.0.0.1:8443/hook",
        "https://[::1]/hook",
        "https://[::ffff:169.254.169.254]/hook",
        "https://localhost/hook",
        "https://no-such-host.invalid/hook",
    ]
    .map(String::from)
    .to_vec();
    urls.extend(loopback_alias().map(|name| format!("https://{name}/hook")));
    for url in &urls {
        let refused = app.create_webhook(&auth, app.webhook_body(0, url)).await;
        assert_eq!(code(&refused), (400, Some(3)), "{url}: {}", refused.text);
    }
    let metadata = app
        .create_webhook(&auth, app.webhook_body(0, "https://169.254.169.254/x"))
        .await;
    assert!(
        metadata.body["message"]
            .as_str()
            .unwrap()
            .contains("metadata"),
        "{}",
        metadata.text
    );
    // A replace is vetted like a create.
    let id = app
        .created_webhook(&auth, app.webhook_body(0, &public_url("ok")))
        .await;
    let moved = app
        .put_webhook(&auth, &id, app.webhook_body(0, "https://10.0.0.1/hook"))
        .await;
    assert_eq!(code(&moved), (400, Some(3)), "{}", moved.text);
    assert_eq!(app.count_rows("moego_webhooks").await, 1);

    // An allow-listed network is a receiver like any other; the rest stay refused.
    let local = common::spawn_with(|config| {
        config.outbound.allow = moapi_core::outbound::parse_allow_list("127.0.0.1/32").unwrap()
    })
    .await;
    let allowed = local
        .create_webhook(
            &local.moego_auth(0),
            local.webhook_body(0, "https://127.0.0.1:8443/hook"),
        )
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);
    let still = local
        .create_webhook(
            &local.moego_auth(0),
            local.webhook_body(0, "https://10.0.0.1/hook"),
        )
        .await;
    assert_eq!(code(&still), (400, Some(3)), "{}", still.text);
}

#[tokio::test]
async fn event_types_headers_and_content_type_are_checked() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let with = |field: &str, value: Value| {
        let mut body = app.webhook_body(0, &public_url("checked"));
        body[field] = value;
        body
    };
    for body in [
        with("eventTypes", json!([])),
        with("eventTypes", json!(["TYPE_UNSPECIFIED"])),
        with("eventTypes", json!(["ORDER_CREATED"])),
        with("eventTypes", Value::Null),
        with("endpointUrl", json!("")),
        with("contentType", json!("CONTENT_TYPE_XML")),
        with(
            "headers",
            json!({"X-Moe-Signature": {"values": ["forged"]}}),
        ),
        with("headers", json!({"User-Agent": {"values": ["me"]}})),
        with(
            "headers",
            json!({"webhook-signature": {"values": ["v1,x"]}}),
        ),
        with(
            "headers",
            json!({"X-Ok": {"values": ["a\r\nX-Injected: 1"]}}),
        ),
        with("headers", json!({"Bad Name": {"values": ["v"]}})),
        with("headers", json!({"X-Empty": {"values": []}})),
        with("secretToken", json!("s".repeat(513))),
    ] {
        let refused = app.create_webhook(&auth, body.clone()).await;
        assert_eq!(code(&refused), (400, Some(3)), "{body}: {}", refused.text);
    }
    assert_eq!(app.count_rows("moego_webhooks").await, 0);
    let deduplicated = app
        .create_webhook(
            &auth,
            with(
                "eventTypes",
                json!(["PET_DELETED", "HEALTH_CHECK", "PET_DELETED"]),
            ),
        )
        .await;
    assert_eq!(
        deduplicated.body["eventTypes"],
        json!(["PET_DELETED", "HEALTH_CHECK"]),
        "{}",
        deduplicated.text
    );
}

#[tokio::test]
async fn organizations_must_be_the_clients_and_within_the_keys_reach() {
    let app = common::spawn().await;
    let alpha = &app.seed.moego[0];
    let beta = &app.seed.moego[1];
    let auth = app.moego_auth(0);
    let with_organizations = |organizations: Value| {
        json!({
            "endpointUrl": public_url(&format!("org/{}", rand_suffix())),
            "eventTypes": ["PET_CREATED"],
            "organizations": organizations,
        })
    };
    let cases = [
        (json!([{"id": beta.company_id, "type": "COMPANY"}]), Some(7)),
        (
            json!([{"id": beta.business_ids[0], "type": "BUSINESS"}]),
            Some(7),
        ),
        (
            json!([{"id": alpha.company_id, "type": "ENTERPRISE"}]),
            Some(3),
        ),
        (json!([{"id": alpha.company_id}]), Some(3)),
        (
            json!([{"id": alpha.company_id, "type": "TYPE_UNSPECIFIED"}]),
            Some(3),
        ),
        (
            json!([{"id": alpha.business_ids[0], "type": "COMPANY"}]),
            Some(13),
        ),
        // A key limited to one company cannot subscribe to every organization of the client.
        (json!([]), Some(7)),
    ];
    for (organizations, expected) in cases {
        let reply = app
            .create_webhook(&auth, with_organizations(organizations.clone()))
            .await;
        assert_eq!(
            reply.body["code"].as_i64(),
            expected,
            "{organizations}: {}",
            reply.text
        );
    }
    let business = app
        .create_webhook(
            &auth,
            with_organizations(json!([
                {"id": alpha.business_ids[1], "type": "BUSINESS"},
                {"id": alpha.business_ids[1], "type": "BUSINESS"},
            ])),
        )
        .await;
    assert_eq!(business.status, 200, "{}", business.text);
    assert_eq!(
        business.body["organizations"],
        json!([{"id": alpha.business_ids[1], "type": "BUSINESS"}])
    );

    // A key of the whole client may listen to all its organizations; keys limited to one
    // company or business neither see nor change that webhook.
    let client_wide = app.client_wide_auth(0).await;
    let everywhere = app
        .created_webhook(&client_wide, with_organizations(json!([])))
        .await;
    let fetched = app
        .moego_get(&client_wide, &format!("/v1/webhooks/{everywhere}"))
        .await;
    assert!(
        fetched.body.get("organizations").is_none(),
        "{}",
        fetched.text
    );
    let hidden = app
        .moego_get(&auth, &format!("/v1/webhooks/{everywhere}"))
        .await;
    assert_eq!(code(&hidden), (403, Some(7)));
    let business_key = app
        .issue_moego_key(MoegoKeyRequest {
            company: alpha.company_id.clone(),
            businesses: vec![alpha.business_ids[1].clone()],
            ..Default::default()
        })
        .await
        .authorization;
    let page = json!({"pagination": {"pageSize": 50}});
    assert_eq!(
        webhook_ids(&app.list_webhooks(&business_key, page.clone()).await),
        vec![business.body["id"].as_str().unwrap().to_string()]
    );
    assert_eq!(
        webhook_ids(&app.list_webhooks(&client_wide, page.clone()).await).len(),
        2
    );
    assert_eq!(webhook_ids(&app.list_webhooks(&auth, page).await).len(), 1);
    let company_wide = app
        .create_webhook(
            &business_key,
            with_organizations(json!([app.company_organization(0)])),
        )
        .await;
    assert_eq!(code(&company_wide), (403, Some(7)), "{}", company_wide.text);
    assert_eq!(
        code(&app.delete_webhook(&business_key, &everywhere).await),
        (403, Some(7))
    );
}

fn rand_suffix() -> u64 {
    rand::random()
}

#[tokio::test]
async fn clients_never_see_each_others_webhooks() {
    let app = common::spawn().await;
    let alpha = app.moego_auth(0);
    let beta = app.moego_auth(1);
    let id = app
        .created_webhook(&alpha, app.webhook_body(0, &public_url("mine")))
        .await;
    let path = format!("/v1/webhooks/{id}");
    assert_eq!(code(&app.moego_get(&beta, &path).await), (403, Some(7)));
    assert_eq!(
        code(
            &app.put_webhook(&beta, &id, app.webhook_body(1, &public_url("theirs")))
                .await
        ),
        (403, Some(7))
    );
    assert_eq!(code(&app.delete_webhook(&beta, &id).await), (403, Some(7)));
    let listed = app
        .list_webhooks(
            &app.client_wide_auth(1).await,
            json!({"pagination": {"pageSize": 50}}),
        )
        .await;
    assert_eq!(webhook_ids(&listed), Vec::<String>::new());
    let mine = app.moego_get(&alpha, &path).await;
    assert_eq!(
        mine.body["endpointUrl"],
        public_url("mine"),
        "{}",
        mine.text
    );
}

#[tokio::test]
async fn lists_filter_by_activity_event_types_and_times_and_page() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let create = |path: &str, events: Value, active: bool| {
        let mut body = app.webhook_body(0, &public_url(path));
        body["eventTypes"] = events;
        body["isActive"] = json!(active);
        body
    };
    let first = app
        .create_webhook(&auth, create("one", json!(["CUSTOMER_CREATED"]), true))
        .await;
    let second = app
        .create_webhook(&auth, create("two", json!(["PET_CREATED"]), false))
        .await;
    let third = app
        .create_webhook(
            &auth,
            create("three", json!(["PET_CREATED", "CUSTOMER_UPDATED"]), true),
        )
        .await;
    let id = |reply: &common::Reply| reply.body["id"].as_str().unwrap().to_string();
    let (one, two, three) = (id(&first), id(&second), id(&third));
    let list = |filter: Value| {
        app.list_webhooks(
            &auth,
            json!({"pagination": {"pageSize": 50}, "filter": filter}),
        )
    };
    let active = list(json!({"isActive": true})).await;
    assert_moego(WEBHOOK, "v1ListWebhooksResponse", &active.body);
    assert_eq!(webhook_ids(&active), vec![one.clone(), three.clone()]);
    assert_eq!(
        webhook_ids(&list(json!({"isActive": false})).await),
        vec![two.clone()]
    );
    assert_eq!(
        webhook_ids(&list(json!({"eventTypes": ["PET_CREATED"]})).await),
        vec![two.clone(), three.clone()]
    );
    assert_eq!(
        webhook_ids(&list(json!({"eventTypes": ["HEALTH_CHECK"]})).await),
        Vec::<String>::new()
    );
    let second_created = second.body["createdTime"].clone();
    assert_eq!(
        webhook_ids(&list(json!({"createdTime": {"startTime": second_created}})).await),
        vec![two.clone(), three.clone()]
    );
    assert_eq!(
        webhook_ids(&list(json!({"createdTime": {"endTime": second_created}})).await),
        vec![one.clone()]
    );
    let touched = app
        .put_webhook(
            &auth,
            &one,
            create("one", json!(["CUSTOMER_CREATED"]), true),
        )
        .await;
    assert_eq!(
        webhook_ids(
            &list(json!({"updatedTime": {"startTime": touched.body["updatedTime"]}})).await
        ),
        vec![one.clone()]
    );
    for bad in [
        json!({"eventTypes": ["TYPE_UNSPECIFIED"]}),
        json!({"createdTime": {"startTime": "yesterday"}}),
        json!({"updatedTime": {"startTime": "2030-01-01T00:00:00Z", "endTime": "2020-01-01T00:00:00Z"}}),
    ] {
        assert_eq!(code(&list(bad.clone()).await), (400, Some(3)), "{bad}");
    }

    let page_one = app
        .list_webhooks(&auth, json!({"pagination": {"pageSize": 2}}))
        .await;
    assert_eq!(webhook_ids(&page_one), vec![one, two]);
    assert_eq!(page_one.body["nextPageToken"], "2");
    let page_two = app
        .list_webhooks(
            &auth,
            json!({"pagination": {"pageSize": 2, "pageToken": "2"}}),
        )
        .await;
    assert_moego(WEBHOOK, "v1ListWebhooksResponse", &page_two.body);
    assert_eq!(webhook_ids(&page_two), vec![three]);
    assert_eq!(page_two.body["nextPageToken"], "");
    let unpaged = app.list_webhooks(&auth, json!({})).await;
    assert_eq!(code(&unpaged), (400, Some(3)), "{}", unpaged.text);
}

#[tokio::test]
async fn webhook_operations_need_the_webhook_scopes() {
    let app = common::spawn().await;
    let reader = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            scopes: vec!["webhooks:read".into()],
            ..Default::default()
        })
        .await
        .authorization;
    let listed = app
        .list_webhooks(&reader, json!({"pagination": {"pageSize": 5}}))
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let refused = app
        .create_webhook(&reader, app.webhook_body(0, &public_url("scoped")))
        .await;
    assert_eq!(code(&refused), (403, Some(7)), "{}", refused.text);
}

#[tokio::test]
async fn concurrent_creates_never_pass_the_limit_or_duplicate_a_url() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let mut creates = tokio::task::JoinSet::new();
    // 56 distinct receivers and 4 repeats of one of them, all at once.
    for n in 0..60 {
        let path = format!("race/{}", n.min(56));
        let request = app
            .client
            .post(app.url("/v1/webhooks"))
            .header("authorization", auth.clone())
            .json(&app.webhook_body(0, &public_url(&path)));
        creates.spawn(async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        });
    }
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    while let Some(outcome) = creates.join_next().await {
        let (status, text) = outcome.unwrap();
        assert!([200, 409, 429].contains(&status), "{status}: {text}");
        *statuses.entry(status).or_default() += 1;
    }
    assert_eq!(statuses.get(&200), Some(&50), "{statuses:?}");
    assert_eq!(app.count_rows("moego_webhooks").await, 50);
    let (distinct,): (i64,) =
        sqlx::query_as("SELECT COUNT(DISTINCT endpoint_url) FROM moego_webhooks")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert_eq!(distinct, 50);
}

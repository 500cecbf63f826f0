//! MoeGo companies, businesses and staff over HTTP: fidelity to the vendor swagger, tenancy,
//! authentication forms, pagination and bad input.

mod common;

use base64::Engine;
use common::fidelity::assert_moego;
use moapi::operator::MoegoKeyRequest;
use serde_json::{json, Value};

const COMPANY: &str = "company/v1/company_service.swagger.json";
const BUSINESS: &str = "business/v1/business_service.swagger.json";
const STAFF: &str = "staff/v1/staff_service.swagger.json";

fn page(size: i64) -> Value {
    json!({ "pageSize": size })
}

async fn list_companies(app: &common::TestApp, auth: &str, size: i64) -> common::Reply {
    app.moego_post(
        auth,
        "/v1/companies:list",
        json!({ "pagination": page(size) }),
    )
    .await
}

#[tokio::test]
async fn companies_list_shows_only_the_keys_company_in_vendor_shape() {
    let app = common::spawn().await;
    let reply = list_companies(&app, &app.moego_auth(0), 10).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(COMPANY, "v1ListCompaniesResponse", &reply.body);
    let companies = reply.body["companies"].as_array().unwrap();
    assert_eq!(companies.len(), 1);
    assert_eq!(companies[0]["id"], app.seed.moego[0].company_id);
    assert_eq!(companies[0]["name"], "Alpha Grooming");
    assert_eq!(companies[0]["timezone"]["id"], "America/New_York");
    assert!(companies[0]["rawId"].is_string(), "int64 is a JSON string");
    assert_eq!(reply.body["nextPageToken"], "");
}

#[tokio::test]
async fn get_company_business_and_staff_by_id_match_the_swagger() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company_id = &app.seed.moego[0].company_id;
    let reply = app
        .moego_get(&auth, &format!("/v1/companies/{company_id}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(COMPANY, "v1Company", &reply.body);

    let business_id = &app.seed.moego[0].business_ids[0];
    let reply = app
        .moego_get(&auth, &format!("/v1/businesses/{business_id}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(BUSINESS, "v1Business", &reply.body);
    assert_eq!(reply.body["companyId"], *company_id);
    assert_eq!(reply.body["address"]["type"], "PRIMARY");
    assert_eq!(reply.body["address"]["postalCode"], "10001");

    let staffs = app
        .moego_post(
            &auth,
            "/v1/staffs:list",
            json!({"companyId": company_id, "pagination": page(10)}),
        )
        .await;
    assert_eq!(staffs.status, 200, "{}", staffs.text);
    assert_moego(STAFF, "v1ListStaffsResponse", &staffs.body);
    let ann = &staffs.body["staffs"][0];
    let reply = app
        .moego_get(
            &auth,
            &format!("/v1/staffs/{}", ann["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(STAFF, "v1Staff", &reply.body);
    assert_eq!(reply.body, *ann);
    assert_eq!(ann["role"]["name"], "Owner");
    assert_eq!(ann["hiredTime"], "2024-01-02T03:04:05Z");
    assert_eq!(ann["workingBusinessIds"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn staff_list_includes_deleted_staff_flagged() {
    let app = common::spawn().await;
    let reply = app
        .moego_post(&app.moego_auth(0), "/v1/staffs:list", json!({"companyId": app.seed.moego[0].company_id, "pagination": page(10), "includeDeleted": true}))
        .await;
    let staffs = reply.body["staffs"].as_array().unwrap();
    assert_eq!(staffs.len(), 3);
    let deleted: Vec<&Value> = staffs.iter().filter(|s| s["deleted"] == true).collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["firstName"], "Cid");
    assert!(
        staffs[0].get("deleted").is_none(),
        "false is a default and is omitted"
    );
}

#[tokio::test]
async fn the_three_documented_errors_are_byte_for_byte() {
    let app = common::spawn().await;
    let reply = app
        .send(app.client.post(app.url("/v1/companies:list")).body("{}"))
        .await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.text,
        r#"{"code":16,"message":"Authentication failed. Cause: no authorization found in headers. please check your credentials and try again."}"#
    );
    let reply = app
        .moego_get(&app.moego_auth(0), "/v1/companies/cmp_not-a-real-id")
        .await;
    assert_eq!(
        reply.text,
        r#"{"code":13,"message":"invalid obfuscate","details":[]}"#
    );
    let foreign = &app.seed.moego[1].company_id;
    let reply = app
        .moego_get(&app.moego_auth(0), &format!("/v1/companies/{foreign}"))
        .await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.text,
        r#"{"code":7,"message":"no permission to access the resource","details":[]}"#
    );
    assert_moego(COMPANY, "googlerpcStatus", &reply.body);
}

#[tokio::test]
async fn a_key_of_company_a_gets_code_7_on_every_id_of_company_b() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let beta = &app.seed.moego[1];
    let beta_staff = app
        .moego_post(
            &app.moego_auth(1),
            "/v1/staffs:list",
            json!({"companyId": beta.company_id, "pagination": page(10)}),
        )
        .await;
    let staff_id = beta_staff.body["staffs"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for path in [
        format!("/v1/companies/{}", beta.company_id),
        format!("/v1/businesses/{}", beta.business_ids[0]),
        format!("/v1/staffs/{staff_id}"),
    ] {
        let reply = app.moego_get(&auth, &path).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (403, Some(7)),
            "{path}: {}",
            reply.text
        );
    }
    for path in ["/v1/businesses:list", "/v1/staffs:list"] {
        let reply = app
            .moego_post(
                &auth,
                path,
                json!({"companyId": beta.company_id, "pagination": page(10)}),
            )
            .await;
        assert_eq!(reply.body["code"], 7, "{path}: {}", reply.text);
    }
}

#[tokio::test]
async fn every_authorization_form_clients_send_is_accepted() {
    let app = common::spawn().await;
    let secret = &app.seed.moego[0].api_key;
    let encoded = base64::engine::general_purpose::STANDARD.encode(secret);
    for header in [
        format!("Basic {encoded}"),
        encoded.clone(),
        format!("Basic {secret}"),
    ] {
        let reply = list_companies(&app, &header, 1).await;
        assert_eq!(reply.status, 200, "{header}: {}", reply.text);
    }
    let reply = list_companies(&app, "Basic bm9wZQ==", 1).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["code"], 16);
    assert!(reply.body.get("details").is_none());
}

#[tokio::test]
async fn a_revoked_key_fails_on_its_next_request() {
    let app = common::spawn().await;
    let issued = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            ..Default::default()
        })
        .await;
    let ok = list_companies(&app, &issued.authorization, 1).await;
    assert_eq!(ok.status, 200);
    assert!(moapi_core::auth::revoke_key(
        app.state.db.conn().get().await.unwrap(),
        &app.state.keys,
        &issued.key_id
    )
    .await
    .unwrap());
    let after = list_companies(&app, &issued.authorization, 1).await;
    assert_eq!((after.status, after.body["code"].as_i64()), (401, Some(16)));
}

/// Each node remembers the keys it found for at most `KEY_CHECK_TTL`: the node that revokes a
/// key refuses it at once, another node sharing the database within that bound.
#[tokio::test]
async fn a_key_revoked_on_one_node_is_refused_by_every_node_within_the_bound() {
    let app = common::spawn().await;
    let (other_node, _server) = app.second_node().await;
    let issued = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            ..Default::default()
        })
        .await;
    let on_other_node = || {
        app.client
            .post(format!("{other_node}/v1/companies:list"))
            .header("authorization", &issued.authorization)
            .json(&json!({ "pagination": page(1) }))
    };
    // Both nodes have now found, and remember, the key.
    assert_eq!(
        list_companies(&app, &issued.authorization, 1).await.status,
        200
    );
    assert_eq!(app.send(on_other_node()).await.status, 200);

    let revoked = app
        .send(app.admin(reqwest::Method::DELETE, &format!("/keys/{}", issued.key_id)))
        .await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    let revoked_at = std::time::Instant::now();
    let here = list_companies(&app, &issued.authorization, 1).await;
    assert_eq!((here.status, here.body["code"].as_i64()), (401, Some(16)));
    loop {
        let sent_after = revoked_at.elapsed();
        let there = app.send(on_other_node()).await;
        if there.status == 401 {
            break;
        }
        assert_eq!(there.status, 200, "{}", there.text);
        // Judged by when the request was sent, so a slow machine cannot fail it.
        assert!(
            sent_after < moapi_core::auth::KEY_CHECK_TTL,
            "the other node still accepts the key sent {sent_after:?} after it was revoked"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_business_restricted_key_sees_only_its_businesses() {
    let app = common::spawn().await;
    let alpha = &app.seed.moego[0];
    let issued = app
        .issue_moego_key(MoegoKeyRequest {
            company: alpha.company_id.clone(),
            businesses: vec![alpha.business_ids[1].clone()],
            ..Default::default()
        })
        .await;
    let listed = app
        .moego_post(
            &issued.authorization,
            "/v1/businesses:list",
            json!({"companyId": alpha.company_id, "pagination": page(10)}),
        )
        .await;
    let ids: Vec<&str> = listed.body["businesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![alpha.business_ids[1].as_str()]);
    let other = app
        .moego_get(
            &issued.authorization,
            &format!("/v1/businesses/{}", alpha.business_ids[0]),
        )
        .await;
    assert_eq!(other.body["code"], 7);
}

#[tokio::test]
async fn ip_restricted_keys_work_only_from_allowed_networks() {
    let app = common::spawn().await;
    let company = app.seed.moego[0].company_id.clone();
    let allowed = app
        .issue_moego_key(MoegoKeyRequest {
            company: company.clone(),
            allowed_ips: vec!["127.0.0.0/8".into()],
            ..Default::default()
        })
        .await;
    let denied = app
        .issue_moego_key(MoegoKeyRequest {
            company: company.clone(),
            allowed_ips: vec!["10.0.0.0/8".into()],
            ..Default::default()
        })
        .await;
    let ok = list_companies(&app, &allowed.authorization, 10).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let refused = list_companies(&app, &denied.authorization, 10).await;
    assert_eq!(
        (refused.status, refused.body["code"].as_i64()),
        (403, Some(7))
    );
    let both = moapi::operator::create_moego_key(
        &app.state,
        &mut app.state.db.conn(),
        &MoegoKeyRequest {
            company,
            businesses: vec![app.seed.moego[0].business_ids[0].clone()],
            allowed_ips: vec!["10.0.0.0/8".into()],
            ..Default::default()
        },
    )
    .await;
    assert!(
        both.is_err(),
        "organization and IP restrictions are mutually exclusive"
    );
}

#[tokio::test]
async fn a_scoped_key_may_call_only_its_scopes() {
    let app = common::spawn().await;
    let alpha = &app.seed.moego[0];
    let issued = app
        .issue_moego_key(MoegoKeyRequest {
            company: alpha.company_id.clone(),
            scopes: vec!["companies:read".into()],
            ..Default::default()
        })
        .await;
    let ok = list_companies(&app, &issued.authorization, 10).await;
    assert_eq!(ok.status, 200);
    let refused = app
        .moego_post(
            &issued.authorization,
            "/v1/businesses:list",
            json!({"companyId": alpha.company_id, "pagination": page(10)}),
        )
        .await;
    assert_eq!(refused.body["code"], 7);
}

#[tokio::test]
async fn paging_by_page_numbers_and_by_echoed_tokens_sees_every_record_once() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = app.seed.moego[0].company_id.clone();
    let mut by_number = Vec::new();
    for token in ["1", "2", "3"] {
        let reply = app
            .moego_post(
                &auth,
                "/v1/staffs:list",
                json!({"companyId": company, "pagination": {"pageSize": 1, "pageToken": token}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        by_number.extend(
            reply.body["staffs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].clone()),
        );
        let expected_next = if token == "3" {
            String::new()
        } else {
            (token.parse::<i32>().unwrap() + 1).to_string()
        };
        assert_eq!(reply.body["nextPageToken"], expected_next);
    }
    let mut echoed = Vec::new();
    let mut pagination = json!({"pageSize": 2});
    loop {
        let reply = app
            .moego_post(
                &auth,
                "/v1/staffs:list",
                json!({"companyId": company, "pagination": pagination}),
            )
            .await;
        echoed.extend(
            reply.body["staffs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].clone()),
        );
        let next = reply.body["nextPageToken"].as_str().unwrap().to_string();
        if next.is_empty() {
            break;
        }
        pagination = json!({"pageSize": 2, "pageToken": next});
    }
    assert_eq!(by_number.len(), 3);
    assert_eq!(by_number, echoed);
    let unique: std::collections::HashSet<String> = echoed.iter().map(|v| v.to_string()).collect();
    assert_eq!(unique.len(), 3);
}

#[tokio::test]
async fn bad_pagination_is_invalid_argument() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    for pagination in [
        json!(null),
        json!({"pageSize": 0}),
        json!({"pageSize": 501}),
        json!({"pageSize": 10, "pageToken": "0"}),
        json!({"pageSize": 10, "pageToken": "abc"}),
        json!({"pageSize": "ten"}),
    ] {
        let reply = app
            .moego_post(
                &auth,
                "/v1/companies:list",
                json!({"pagination": pagination}),
            )
            .await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{pagination}: {}",
            reply.text
        );
        assert_moego(COMPANY, "googlerpcStatus", &reply.body);
    }
}

#[tokio::test]
async fn bodies_are_json_whatever_the_content_type_and_unknown_fields_are_ignored() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let body = r#"{"pagination":{"page_size":"5","page_token":"1"},"somethingNew":true}"#;
    for content_type in [Some("application/json"), Some("text/plain"), None] {
        let mut request = app
            .client
            .post(app.url("/v1/companies:list"))
            .header("authorization", &auth)
            .body(body);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let reply = app.send(request).await;
        assert_eq!(reply.status, 200, "{content_type:?}: {}", reply.text);
    }
}

#[tokio::test]
async fn bad_bodies_get_a_clear_invalid_argument_never_a_500() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let huge = format!(
        r#"{{"pagination":{{"pageSize":1}},"pad":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let cases: Vec<(String, &str)> = vec![
        ("{".into(), "invalid JSON"),
        ("[]".into(), "invalid"),
        (
            r#"{"pagination":{"pageSize":1},"companyId":5}"#.into(),
            "companyId",
        ),
        (
            r#"{"pagination":{"pageSize":true}}"#.into(),
            "pagination.pageSize",
        ),
        (deep, "invalid"),
        (huge, "larger than"),
    ];
    for (body, expect) in cases {
        let reply = app
            .send(
                app.client
                    .post(app.url("/v1/businesses:list"))
                    .header("authorization", &auth)
                    .body(body.clone()),
            )
            .await;
        assert_eq!(
            reply.status,
            400,
            "{}: {}",
            &body[..body.len().min(60)],
            reply.text
        );
        assert_eq!(reply.body["code"], 3);
        assert!(
            reply.body["message"].as_str().unwrap().contains(expect),
            "{}",
            reply.text
        );
    }
    let missing = app
        .moego_post(
            &auth,
            "/v1/businesses:list",
            json!({"pagination": page(10)}),
        )
        .await;
    assert_eq!(
        (missing.status, missing.body["code"].as_i64()),
        (400, Some(3))
    );
    assert!(missing.text.contains("companyId"));
}

#[tokio::test]
async fn unknown_paths_are_404_and_other_methods_405() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let reply = app.moego_post(&auth, "/v1/nothing:list", json!({})).await;
    assert_eq!((reply.status, reply.body["code"].as_i64()), (404, Some(5)));
    assert_moego(COMPANY, "googlerpcStatus", &reply.body);
    let reply = app.moego_get(&auth, "/v1/companies:list").await;
    assert_eq!(reply.status, 405, "{}", reply.text);
}

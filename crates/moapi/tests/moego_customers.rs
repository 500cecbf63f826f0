//! MoeGo customers over HTTP: the 11 CustomerService operations checked against the vendor
//! swagger, paging, partial updates, phone matching, events, tenancy, bad input, the
//! operator's soft delete and the signed link pages.

mod common;

use std::collections::HashSet;

use common::fidelity::assert_moego;
use common::TestApp;
use moapi::operator::MoegoKeyRequest;
use moapi_core::IdKind;
use serde_json::{json, Value};

const CUSTOMER: &str = "customer/v1/customer_service.swagger.json";

struct Alpha {
    auth: String,
    company_id: String,
    business_id: String,
}

fn alpha(app: &TestApp) -> Alpha {
    Alpha {
        auth: app.moego_auth(0),
        company_id: app.seed.moego[0].company_id.clone(),
        business_id: app.seed.moego[0].business_ids[0].clone(),
    }
}

/// A valid create body for Alpha, with `extra` fields merged over it.
fn create_body(alpha: &Alpha, extra: Value) -> Value {
    let mut body = json!({
        "companyId": alpha.company_id,
        "preferredBusinessId": alpha.business_id,
        "firstName": "Ana",
        "lastName": "Smith",
        "phone": "(212) 555-0101",
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn create(app: &TestApp, alpha: &Alpha, extra: Value) -> Value {
    let reply = app
        .moego_post(&alpha.auth, "/v1/customers", create_body(alpha, extra))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(CUSTOMER, "v1Customer", &reply.body);
    reply.body
}

async fn put(app: &TestApp, auth: &str, path: &str, body: Value) -> common::Reply {
    app.send(
        app.client
            .put(app.url(path))
            .header("authorization", auth)
            .json(&body),
    )
    .await
}

async fn delete(app: &TestApp, auth: &str, path: &str) -> common::Reply {
    app.send(
        app.client
            .delete(app.url(path))
            .header("authorization", auth),
    )
    .await
}

async fn list(
    app: &TestApp,
    alpha: &Alpha,
    size: i64,
    token: Option<&str>,
    filter: Value,
) -> common::Reply {
    let mut pagination = json!({ "pageSize": size });
    if let Some(token) = token {
        pagination["pageToken"] = json!(token);
    }
    app.moego_post(
        &alpha.auth,
        "/v1/customers:list",
        json!({ "companyId": alpha.company_id, "pagination": pagination, "filter": filter }),
    )
    .await
}

fn ids_of(reply: &common::Reply) -> Vec<String> {
    reply.body["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The outbox events of Alpha's company, oldest first: (type, envelope).
async fn events(app: &TestApp, alpha: &Alpha) -> Vec<(String, Value)> {
    let company = app
        .state
        .ids
        .decode(IdKind::Company, &alpha.company_id)
        .unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT event_type, payload FROM outbox_events WHERE product = 'moego' AND tenant_id = $1 ORDER BY id",
    )
    .bind(company)
    .fetch_all(app.state.db.conn().get().await.unwrap())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(kind, payload)| (kind, serde_json::from_str(&payload).unwrap()))
        .collect()
}

fn assert_status(reply: &common::Reply, http: u16, code: i64, field: &str) {
    assert_eq!(reply.status, http, "{}", reply.text);
    assert_eq!(reply.body["code"], code, "{}", reply.text);
    assert!(
        reply.body["message"].as_str().unwrap().contains(field),
        "message names {field}: {}",
        reply.text
    );
}

fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").unwrap().1;
    &rest[rest.find('/').unwrap()..]
}

#[tokio::test]
async fn create_get_and_list_answer_every_field_in_vendor_shape() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let created = create(
        &app,
        &alpha,
        json!({
            "email": "Ana.Smith@Example.COM",
            "address": {"address1": "1 Main St", "city": "New York", "state": "NY", "postalCode": "10001",
                        "country": "US", "coordinate": {"latitude": 40.75, "longitude": -73.99}},
            "preference": {"receiveAutoEmail": false, "subscribeToMarketingEmails": true},
            "tags": [{"name": "VIP"}, {"name": "Cat person"}],
            "notes": [{"note": "Allergic to lavender shampoo"}],
            "complianceConfig": {"serviceRelatedChannels": {"channels": ["COMPLIANCE_CHANNEL_SMS", "COMPLIANCE_CHANNEL_EMAIL"]},
                                 "isConsented": true}
        }),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("cus_"));
    assert!(created["rawId"].is_string(), "int64 is a JSON string");
    assert_eq!(created["phone"], "+12125550101");
    assert_eq!(created["email"], "Ana.Smith@example.com");
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["companyId"], alpha.company_id);
    assert_eq!(created["preferredBusinessId"], alpha.business_id);
    assert_eq!(created["address"][0]["type"], "PRIMARY");
    assert!(created["address"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("adr_"));
    assert_eq!(created["address"][0]["coordinate"]["latitude"], 40.75);
    assert_eq!(
        created["preference"],
        json!({"receiveAutoMessage": true, "subscribeToMarketingEmails": true, "receiveAppointmentReminder": true})
    );
    assert_eq!(
        created["complianceConfig"],
        json!({"serviceRelatedChannels": ["COMPLIANCE_CHANNEL_SMS", "COMPLIANCE_CHANNEL_EMAIL"], "isConsented": true})
    );
    let tag_names: Vec<&str> = created["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tag_names, ["Cat person", "VIP"]);
    assert!(created["tags"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("ctag_"));
    assert!(created["notes"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("cxn_"));
    assert_eq!(created["notes"][0]["note"], "Allergic to lavender shampoo");
    assert!(created["upcomingAppointmentsUrl"]
        .as_str()
        .unwrap()
        .contains("/links/appointments/cus_"));
    assert!(created.get("deleted").is_none(), "false is left out");
    assert!(created["createdTime"].as_str().unwrap().ends_with('Z'));

    let got = app
        .moego_get(&alpha.auth, &format!("/v1/customers/{id}"))
        .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_moego(CUSTOMER, "v1Customer", &got.body);
    let mut without_link = got.body.clone();
    let mut expected = created.clone();
    without_link
        .as_object_mut()
        .unwrap()
        .remove("upcomingAppointmentsUrl");
    expected
        .as_object_mut()
        .unwrap()
        .remove("upcomingAppointmentsUrl");
    assert_eq!(without_link, expected);

    let listed = list(&app, &alpha, 10, None, json!({})).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(CUSTOMER, "v1ListCustomersResponse", &listed.body);
    assert_eq!(ids_of(&listed), [id]);
    assert_eq!(listed.body["nextPageToken"], "");

    let empty = list(&app, &alpha, 10, Some("2"), json!({})).await;
    assert_eq!(empty.body, json!({"nextPageToken": "", "customers": []}));
}

#[tokio::test]
async fn paging_by_page_number_or_by_echoed_token_sees_every_customer_once() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let mut all = Vec::new();
    for n in 0..7 {
        let body = create(
            &app,
            &alpha,
            json!({"firstName": format!("C{n}"), "phone": format!("+1212555{:04}", 200 + n)}),
        )
        .await;
        all.push(body["id"].as_str().unwrap().to_string());
    }
    let mut counted = Vec::new();
    for token in ["1", "2", "3"] {
        let reply = list(&app, &alpha, 3, Some(token), json!({})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        counted.extend(ids_of(&reply));
        let expected_next = if token == "3" {
            String::new()
        } else {
            (token.parse::<i64>().unwrap() + 1).to_string()
        };
        assert_eq!(reply.body["nextPageToken"], expected_next);
    }
    assert_eq!(
        counted, all,
        "page numbers: every customer once, in ID order"
    );

    let mut echoed = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let reply = list(&app, &alpha, 2, token.as_deref(), json!({})).await;
        echoed.extend(ids_of(&reply));
        match reply.body["nextPageToken"].as_str().unwrap() {
            "" => break,
            next => token = Some(next.to_string()),
        }
    }
    assert_eq!(echoed, all, "echoed tokens: every customer once");
    assert_eq!(echoed.iter().collect::<HashSet<_>>().len(), 7);
}

#[tokio::test]
async fn put_changes_only_the_fields_it_carries() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let created = create(&app, &alpha, json!({"email": "ana@example.com", "address": {"address1": "1 Main St", "city": "New York"}})).await;
    let path = format!("/v1/customers/{}", created["id"].as_str().unwrap());

    let reply = put(
        &app,
        &alpha.auth,
        &path,
        json!({"companyId": alpha.company_id, "firstName": "Anna"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(CUSTOMER, "v1Customer", &reply.body);
    assert_eq!(reply.body["firstName"], "Anna");
    for kept in [
        "lastName",
        "phone",
        "email",
        "address",
        "preference",
        "preferredBusinessId",
        "createdTime",
    ] {
        assert_eq!(reply.body[kept], created[kept], "{kept} kept");
    }

    let reply = put(
        &app,
        &alpha.auth,
        &path,
        json!({"companyId": alpha.company_id, "phone": "212 555 0199", "email": "", "firstName": null,
               "address": {"address1": "2 Side St", "city": "Brooklyn"}, "avatarPath": "https://img.example/ana.png",
               "preferredBusinessId": app.seed.moego[0].business_ids[1]}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["phone"], "+12125550199");
    assert!(
        reply.body.get("email").is_none(),
        "a present empty email clears it"
    );
    assert_eq!(reply.body["firstName"], "Anna", "null is absent");
    assert_eq!(reply.body["address"][0]["address1"], "2 Side St");
    assert_eq!(reply.body["avatar"], "https://img.example/ana.png");
    assert_eq!(
        reply.body["preferredBusinessId"],
        app.seed.moego[0].business_ids[1]
    );
    assert_eq!(reply.body["lastName"], "Smith");

    let reply = put(&app, &alpha.auth, &path, json!({"companyId": alpha.company_id, "tags": [{"name": "A"}, {"name": "B"}], "notes": [{"note": "first"}]})).await;
    assert_eq!(reply.body["tags"].as_array().unwrap().len(), 2);
    let note_id = reply.body["notes"][0]["id"].as_str().unwrap().to_string();
    let reply = put(&app, &alpha.auth, &path, json!({"companyId": alpha.company_id, "tags": [{"name": "C"}], "notes": [{"id": note_id, "note": "edited"}]})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["tags"].as_array().unwrap().len(),
        1,
        "non-empty tags replace"
    );
    assert_eq!(reply.body["tags"][0]["name"], "C");
    assert_eq!(
        reply.body["notes"],
        json!([{"id": note_id, "note": "edited", "lastUpdatedTime": reply.body["notes"][0]["lastUpdatedTime"]}])
    );
}

#[tokio::test]
async fn the_main_phone_filter_matches_however_the_number_is_typed() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({"phone": "(212) 555-1234"})).await;
    create(&app, &alpha, json!({"phone": "+1 646 555 9876"})).await;
    for typed in [
        "+12125551234",
        "212.555.1234",
        "1-212-555-1234",
        "+1 (212) 555 1234",
    ] {
        let reply = list(&app, &alpha, 10, None, json!({"mainPhoneNumber": typed})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(ids_of(&reply), [ana["id"].as_str().unwrap()], "{typed}");
    }
    let none = list(
        &app,
        &alpha,
        10,
        None,
        json!({"mainPhoneNumber": "212 555 0000"}),
    )
    .await;
    assert_eq!(ids_of(&none).len(), 0);
    let bad = list(
        &app,
        &alpha,
        10,
        None,
        json!({"mainPhoneNumber": "call me"}),
    )
    .await;
    assert_status(&bad, 400, 3, "filter.mainPhoneNumber");
}

#[tokio::test]
async fn last_updated_windows_include_their_start_and_exclude_their_end() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({})).await;
    let at = ana["lastUpdatedTime"].as_str().unwrap();
    let window = |start: Option<&str>, end: Option<&str>| {
        let mut interval = json!({});
        if let Some(start) = start {
            interval["startTime"] = json!(start);
        }
        if let Some(end) = end {
            interval["endTime"] = json!(end);
        }
        json!({ "lastUpdatedTime": interval })
    };
    assert_eq!(
        ids_of(&list(&app, &alpha, 10, None, window(Some(at), None)).await).len(),
        1,
        "start inclusive"
    );
    assert_eq!(
        ids_of(&list(&app, &alpha, 10, None, window(None, Some(at))).await).len(),
        0,
        "end exclusive"
    );
    assert_eq!(
        ids_of(&list(&app, &alpha, 10, None, window(Some(at), Some(at))).await).len(),
        0,
        "empty interval"
    );
    assert_eq!(
        ids_of(
            &list(
                &app,
                &alpha,
                10,
                None,
                window(Some("2020-01-01T00:00:00Z"), Some("2999-01-01T00:00:00Z"))
            )
            .await
        )
        .len(),
        1
    );
    let reversed = list(
        &app,
        &alpha,
        10,
        None,
        window(Some("2030-01-01T00:00:00Z"), Some("2020-01-01T00:00:00Z")),
    )
    .await;
    assert_status(&reversed, 400, 3, "filter.lastUpdatedTime");
    let feb30 = list(
        &app,
        &alpha,
        10,
        None,
        window(Some("2025-02-30T00:00:00Z"), None),
    )
    .await;
    assert_status(&feb30, 400, 3, "filter.lastUpdatedTime.startTime");

    let later = put(
        &app,
        &alpha.auth,
        &format!("/v1/customers/{}", ana["id"].as_str().unwrap()),
        json!({"companyId": alpha.company_id, "lastName": "Jones"}),
    )
    .await;
    let after_update = list(
        &app,
        &alpha,
        10,
        None,
        window(Some(later.body["lastUpdatedTime"].as_str().unwrap()), None),
    )
    .await;
    assert_eq!(
        ids_of(&after_update).len(),
        1,
        "an update moves the customer into later windows"
    );
}

#[tokio::test]
async fn notes_are_appended_listed_newest_first_updated_and_deleted() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({})).await;
    let id = ana["id"].as_str().unwrap();
    let mut added = Vec::new();
    for text in ["first", "second", "third"] {
        let reply = app
            .moego_post(
                &alpha.auth,
                &format!("/v1/customers/{id}/notes"),
                json!({"notes": [{"note": text}]}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(CUSTOMER, "v1AppendCustomerNotesResponse", &reply.body);
        added.push(reply.body["notes"][0]["id"].as_str().unwrap().to_string());
    }
    let page1 = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{id}/notes:list"),
            json!({"pagination": {"pageSize": 2}}),
        )
        .await;
    assert_eq!(page1.status, 200, "{}", page1.text);
    assert_moego(CUSTOMER, "v1ListCustomerNotesResponse", &page1.body);
    let texts: Vec<&str> = page1.body["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["note"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["third", "second"], "newest first");
    assert_eq!(page1.body["nextPageToken"], "2");
    let page2 = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{id}/notes:list"),
            json!({"pagination": {"pageSize": 2, "pageToken": "2"}}),
        )
        .await;
    assert_eq!(page2.body["notes"][0]["note"], "first");
    assert_eq!(page2.body["nextPageToken"], "");

    let note_path = format!("/v1/customers/{id}/notes/{}", added[0]);
    let updated = put(
        &app,
        &alpha.auth,
        &note_path,
        json!({"note": "first, edited"}),
    )
    .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_moego(CUSTOMER, "v1UpdateCustomerNoteResponse", &updated.body);
    assert_eq!(updated.body["note"]["note"], "first, edited");
    assert_eq!(updated.body["note"]["id"], added[0]);

    let deleted = delete(&app, &alpha.auth, &note_path).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_moego(CUSTOMER, "v1DeleteCustomerNoteResponse", &deleted.body);
    assert_eq!(deleted.body, json!({}));
    let again = delete(&app, &alpha.auth, &note_path).await;
    assert_status(&again, 404, 5, "note");
    let got = app
        .moego_get(&alpha.auth, &format!("/v1/customers/{id}"))
        .await;
    assert_eq!(got.body["notes"].as_array().unwrap().len(), 2);

    // Another customer's note is not reachable through this customer.
    let other = create(&app, &alpha, json!({"phone": "+12125550999"})).await;
    let foreign = put(
        &app,
        &alpha.auth,
        &format!(
            "/v1/customers/{}/notes/{}",
            other["id"].as_str().unwrap(),
            added[1]
        ),
        json!({"note": "x"}),
    )
    .await;
    assert_status(&foreign, 404, 5, "note");
    let empty = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{id}/notes"),
            json!({"notes": []}),
        )
        .await;
    assert_status(&empty, 400, 3, "notes");
    let blank = put(
        &app,
        &alpha.auth,
        &format!("/v1/customers/{id}/notes/{}", added[1]),
        json!({"note": "  "}),
    )
    .await;
    assert_status(&blank, 400, 3, "note");
}

#[tokio::test]
async fn tags_are_appended_once_and_listed_by_name() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({})).await;
    let id = ana["id"].as_str().unwrap();
    let reply = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{id}/tags"),
            json!({"tags": [{"name": "VIP"}, {"name": "Aggressive"}]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(CUSTOMER, "v1AppendCustomerTagsResponse", &reply.body);
    let vip = reply.body["tags"][0]["id"].as_str().unwrap().to_string();
    // By ID, by the same name again: still two tags.
    let again = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{id}/tags"),
            json!({"tags": [{"id": vip}, {"name": "VIP"}]}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["tags"].as_array().unwrap().len(), 1);
    let listed = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{id}/tags:list"),
            json!({}),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(
        CUSTOMER,
        "businesscustomerv1ListCustomerTagsResponse",
        &listed.body,
    );
    let names: Vec<&str> = listed.body["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Aggressive", "VIP"]);
    // The same tag reused on another customer of the company.
    let bob = create(
        &app,
        &alpha,
        json!({"firstName": "Bob", "phone": "+12125550102", "tags": [{"id": vip}]}),
    )
    .await;
    assert_eq!(bob["tags"][0]["id"], vip);

    // A tag of another company is refused with code 7.
    let beta_auth = app.moego_auth(1);
    let beta_company = &app.seed.moego[1].company_id;
    let beta_business = &app.seed.moego[1].business_ids[0];
    let beta_customer = app
        .moego_post(&beta_auth, "/v1/customers", json!({"companyId": beta_company, "preferredBusinessId": beta_business,
            "firstName": "Bea", "lastName": "Ng", "phone": "+14165550100", "tags": [{"name": "Beta tag"}]}))
        .await;
    assert_eq!(beta_customer.status, 200, "{}", beta_customer.text);
    let beta_tag = beta_customer.body["tags"][0]["id"].as_str().unwrap();
    let foreign = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{id}/tags"),
            json!({"tags": [{"id": beta_tag}]}),
        )
        .await;
    assert_status(&foreign, 403, 7, "no permission");
    // Another company's customer is refused with code 7, read whole or for its tags.
    let beta_id = beta_customer.body["id"].as_str().unwrap();
    let foreign_get = app
        .moego_get(&alpha.auth, &format!("/v1/customers/{beta_id}"))
        .await;
    assert_status(&foreign_get, 403, 7, "no permission");
    let foreign_tags = app
        .moego_post(
            &alpha.auth,
            &format!("/v1/customers/{beta_id}/tags:list"),
            json!({}),
        )
        .await;
    assert_status(&foreign_tags, 403, 7, "no permission");
    let empty = app
        .moego_post(&alpha.auth, &format!("/v1/customers/{id}/tags"), json!({}))
        .await;
    assert_status(&empty, 400, 3, "tags");
}

/// Checks a write succeeded and left exactly the one event `kind` after those expected so far.
async fn wrote(
    app: &TestApp,
    alpha: &Alpha,
    before: usize,
    expected: &mut Vec<&'static str>,
    kind: &'static str,
    reply: common::Reply,
) {
    assert_eq!(reply.status, 200, "{}", reply.text);
    expected.push(kind);
    let got = events(app, alpha).await;
    let types: Vec<&str> = got[before..]
        .iter()
        .map(|(kind, _)| kind.as_str())
        .collect();
    assert_eq!(&types, expected);
}

#[tokio::test]
async fn every_write_leaves_exactly_one_event_and_a_failed_write_none() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let before = events(&app, &alpha).await.len();
    let ana = create(&app, &alpha, json!({})).await;
    let id = ana["id"].as_str().unwrap().to_string();
    let path = format!("/v1/customers/{id}");

    let mut expected = vec!["CUSTOMER_CREATED"];
    let check = |expected: &Vec<&str>, got: &Vec<(String, Value)>| {
        let types: Vec<&str> = got[before..]
            .iter()
            .map(|(kind, _)| kind.as_str())
            .collect();
        assert_eq!(&types, expected);
    };
    check(&expected, &events(&app, &alpha).await);

    let reply = put(
        &app,
        &alpha.auth,
        &path,
        json!({"companyId": alpha.company_id, "lastName": "Jones"}),
    )
    .await;
    wrote(
        &app,
        &alpha,
        before,
        &mut expected,
        "CUSTOMER_UPDATED",
        reply,
    )
    .await;
    let reply = put(&app, &alpha.auth, &path, json!({"companyId": alpha.company_id, "complianceConfig": {"isAgreedMarketingPolicy": true}})).await;
    wrote(
        &app,
        &alpha,
        before,
        &mut expected,
        "CUSTOMER_COMPLIANCE_CHANGED",
        reply,
    )
    .await;
    let reply = app
        .moego_post(
            &alpha.auth,
            &format!("{path}/notes"),
            json!({"notes": [{"note": "a"}, {"note": "b"}]}),
        )
        .await;
    wrote(
        &app,
        &alpha,
        before,
        &mut expected,
        "CUSTOMER_UPDATED",
        reply,
    )
    .await;
    let reply = app
        .moego_post(
            &alpha.auth,
            &format!("{path}/tags"),
            json!({"tags": [{"name": "VIP"}]}),
        )
        .await;
    wrote(
        &app,
        &alpha,
        before,
        &mut expected,
        "CUSTOMER_UPDATED",
        reply,
    )
    .await;
    let note_id = app.moego_get(&alpha.auth, &path).await.body["notes"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        put(
            &app,
            &alpha.auth,
            &format!("{path}/notes/{note_id}"),
            json!({"note": "c"})
        )
        .await
        .status,
        200
    );
    expected.push("CUSTOMER_UPDATED");
    assert_eq!(
        delete(&app, &alpha.auth, &format!("{path}/notes/{note_id}"))
            .await
            .status,
        200
    );
    expected.push("CUSTOMER_UPDATED");
    check(&expected, &events(&app, &alpha).await);

    // Failed writes: nothing changes and no event is left.
    let unchanged = app.moego_get(&alpha.auth, &path).await.body;
    let failures = [
        put(&app, &alpha.auth, &path, json!({"companyId": alpha.company_id, "firstName": "Zed", "email": "not-an-email"})).await,
        put(&app, &alpha.auth, &path, json!({"companyId": alpha.company_id, "firstName": "Zed", "tags": [{"id": app.state.ids.encode(IdKind::CustomerTag, 999_999)}]})).await,
        put(&app, &alpha.auth, &path, json!({"companyId": alpha.company_id, "firstName": "Zed", "notes": [{"id": app.state.ids.encode(IdKind::CustomerNote, 999_999), "note": "x"}]})).await,
        app.moego_post(&alpha.auth, "/v1/customers", create_body(&alpha, json!({"tags": [{"id": app.state.ids.encode(IdKind::CustomerTag, 999_999)}]}))).await,
    ];
    for reply in failures {
        assert!(reply.status >= 400, "{}", reply.text);
    }
    check(&expected, &events(&app, &alpha).await);
    let now = app.moego_get(&alpha.auth, &path).await.body;
    assert_eq!(now["firstName"], unchanged["firstName"]);
    assert_eq!(now["lastUpdatedTime"], unchanged["lastUpdatedTime"]);
    assert_eq!(
        ids_of(&list(&app, &alpha, 10, None, json!({})).await).len(),
        1,
        "no half-created customer"
    );

    let deleted = app
        .send(app.admin(reqwest::Method::DELETE, &format!("/moego/customers/{id}")))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    expected.push("CUSTOMER_DELETED");
    let all = events(&app, &alpha).await;
    check(&expected, &all);

    // The documented envelope, the customer under the oneof key.
    for (kind, envelope) in &all[before..] {
        assert!(envelope["id"].as_str().unwrap().starts_with("evt_"));
        assert_eq!(envelope["type"], *kind);
        assert!(
            chrono::DateTime::parse_from_rfc3339(envelope["timestamp"].as_str().unwrap()).is_ok()
        );
        assert_eq!(envelope["companyId"], alpha.company_id);
        assert_eq!(envelope["customer"]["id"], id);
        assert_moego(CUSTOMER, "v1Customer", &envelope["customer"]);
        assert_eq!(envelope.as_object().unwrap().len(), 5, "{envelope}");
    }
    let last = &all.last().unwrap().1;
    assert_eq!(last["customer"]["deleted"], true);
    let compliance = &all[before + 2].1;
    assert_eq!(
        compliance["customer"]["complianceConfig"]["isAgreedMarketingPolicy"],
        true
    );
}

#[tokio::test]
async fn keys_reach_only_their_companys_customers() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({})).await;
    let path = format!("/v1/customers/{}", ana["id"].as_str().unwrap());
    let beta = app.moego_auth(1);
    assert_status(&app.moego_get(&beta, &path).await, 403, 7, "no permission");
    assert_status(
        &put(
            &app,
            &beta,
            &path,
            json!({"companyId": app.seed.moego[1].company_id, "firstName": "X"}),
        )
        .await,
        403,
        7,
        "no permission",
    );
    assert_status(
        &put(
            &app,
            &beta,
            &path,
            json!({"companyId": alpha.company_id, "firstName": "X"}),
        )
        .await,
        403,
        7,
        "no permission",
    );
    assert_status(
        &put(
            &app,
            &alpha.auth,
            &path,
            json!({"companyId": app.seed.moego[1].company_id, "firstName": "X"}),
        )
        .await,
        403,
        7,
        "no permission",
    );
    assert_status(
        &app.moego_post(
            &beta,
            &format!("{path}/notes"),
            json!({"notes": [{"note": "x"}]}),
        )
        .await,
        403,
        7,
        "no permission",
    );
    assert_status(
        &app.moego_post(
            &beta,
            &format!("{path}/notes:list"),
            json!({"pagination": {"pageSize": 5}}),
        )
        .await,
        403,
        7,
        "no permission",
    );
    assert_status(
        &app.moego_post(&beta, &format!("{path}/tags:list"), json!({}))
            .await,
        403,
        7,
        "no permission",
    );
    assert_status(
        &app.moego_get(&beta, &format!("{path}/cof/link")).await,
        403,
        7,
        "no permission",
    );
    let foreign_list = app
        .moego_post(
            &beta,
            "/v1/customers:list",
            json!({"companyId": alpha.company_id, "pagination": {"pageSize": 5}}),
        )
        .await;
    assert_status(&foreign_list, 403, 7, "no permission");
    let foreign_business = app
        .moego_post(
            &alpha.auth,
            "/v1/customers",
            create_body(
                &alpha,
                json!({"preferredBusinessId": app.seed.moego[1].business_ids[0]}),
            ),
        )
        .await;
    assert_status(&foreign_business, 403, 7, "no permission");
    let beta_list = app
        .moego_post(
            &beta,
            "/v1/customers:list",
            json!({"companyId": app.seed.moego[1].company_id, "pagination": {"pageSize": 5}}),
        )
        .await;
    assert_eq!(beta_list.body["customers"], json!([]));

    // Scopes: a read-only key reads but does not write; a key restricted to one business
    // cannot prefer another.
    let reader = app
        .issue_moego_key(MoegoKeyRequest {
            company: alpha.company_id.clone(),
            scopes: vec!["customers:read".into()],
            ..Default::default()
        })
        .await;
    assert_eq!(
        app.moego_get(&reader.authorization, &path).await.status,
        200
    );
    let refused = app
        .moego_post(
            &reader.authorization,
            "/v1/customers",
            create_body(&alpha, json!({})),
        )
        .await;
    assert_status(&refused, 403, 7, "customers:write");
    let one_business = app
        .issue_moego_key(MoegoKeyRequest {
            company: alpha.company_id.clone(),
            businesses: vec![app.seed.moego[0].business_ids[1].clone()],
            ..Default::default()
        })
        .await;
    let other_business = app
        .moego_post(
            &one_business.authorization,
            "/v1/customers",
            create_body(&alpha, json!({})),
        )
        .await;
    assert_status(&other_business, 403, 7, "no permission");
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_writes_nothing() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let cases = [
        (json!({"email": "ana@"}), "email"),
        (json!({"email": "ana@example"}), "email"),
        (json!({"phone": "555-1234"}), "phone"),
        (json!({"phone": "call me"}), "phone"),
        (json!({"phone": null}), "phone"),
        (json!({"firstName": " "}), "firstName"),
        (json!({"lastName": null}), "lastName"),
        (json!({"preferredBusinessId": ""}), "preferredBusinessId"),
        (json!({"companyId": ""}), "companyId"),
        (
            json!({"complianceConfig": {"serviceRelatedChannels": {"channels": ["PIGEON"]}}}),
            "complianceConfig.serviceRelatedChannels.channels[0]",
        ),
        (
            json!({"complianceConfig": {"marketingCampaignsChannels": {"channels": ["COMPLIANCE_CHANNEL_UNSPECIFIED"]}}}),
            "complianceConfig.marketingCampaignsChannels.channels[0]",
        ),
        (json!({"address": {"type": "TERTIARY"}}), "address.type"),
        (
            json!({"address": {"coordinate": {"latitude": 91, "longitude": 0}}}),
            "address.coordinate.latitude",
        ),
        (
            json!({"tags": (0..1001).map(|n| json!({"name": format!("t{n}")})).collect::<Vec<_>>()}),
            "tags",
        ),
        (
            json!({"notes": [{"note": "ok"}, {"note": ""}]}),
            "notes[1].note",
        ),
        (
            json!({"preference": {"receiveAutoEmail": "yes"}}),
            "preference.receiveAutoEmail",
        ),
    ];
    for (extra, field) in cases {
        let reply = app
            .moego_post(
                &alpha.auth,
                "/v1/customers",
                create_body(&alpha, extra.clone()),
            )
            .await;
        assert_status(&reply, 400, 3, field);
        assert_eq!(reply.body["details"], json!([]), "{extra}");
    }
    let tampered = app
        .moego_post(
            &alpha.auth,
            "/v1/customers",
            create_body(&alpha, json!({"preferredBusinessId": "bus_nope"})),
        )
        .await;
    assert_eq!(
        tampered.body,
        json!({"code": 13, "message": "invalid obfuscate", "details": []})
    );
    assert_eq!(
        app.moego_get(&alpha.auth, "/v1/customers/cus_1234")
            .await
            .body["message"],
        "invalid obfuscate"
    );
    let unknown = app
        .moego_get(
            &alpha.auth,
            &format!(
                "/v1/customers/{}",
                app.state.ids.encode(IdKind::Customer, 424_242)
            ),
        )
        .await;
    assert_status(&unknown, 404, 5, "customer not found");
    let no_page = app
        .moego_post(
            &alpha.auth,
            "/v1/customers:list",
            json!({"companyId": alpha.company_id}),
        )
        .await;
    assert_status(&no_page, 400, 3, "pagination");
    let no_company = app
        .moego_post(
            &alpha.auth,
            "/v1/customers:list",
            json!({"pagination": {"pageSize": 5}}),
        )
        .await;
    assert_status(&no_company, 400, 3, "companyId");

    assert_eq!(
        ids_of(&list(&app, &alpha, 10, None, json!({})).await).len(),
        0,
        "nothing was written"
    );
    assert_eq!(events(&app, &alpha).await.len(), 0, "and no event");
}

#[tokio::test]
async fn the_operator_soft_deletes_a_customer_out_of_the_lists() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({})).await;
    let bob = create(
        &app,
        &alpha,
        json!({"firstName": "Bob", "phone": "+12125550102"}),
    )
    .await;
    let id = ana["id"].as_str().unwrap();
    let reply = app
        .send(app.admin(reqwest::Method::DELETE, &format!("/moego/customers/{id}")))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["deleted"], true);
    assert_moego(CUSTOMER, "v1Customer", &reply.body);

    let got = app
        .moego_get(&alpha.auth, &format!("/v1/customers/{id}"))
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["deleted"], true);
    assert_eq!(
        ids_of(&list(&app, &alpha, 10, None, json!({})).await),
        [bob["id"].as_str().unwrap()]
    );
    let with_deleted = list(&app, &alpha, 10, None, json!({"includeDeleted": true})).await;
    assert_eq!(ids_of(&with_deleted), [id, bob["id"].as_str().unwrap()]);
    let by_phone = list(
        &app,
        &alpha,
        10,
        None,
        json!({"mainPhoneNumber": "(212) 555-0101"}),
    )
    .await;
    assert_eq!(ids_of(&by_phone).len(), 0);

    let write = put(
        &app,
        &alpha.auth,
        &format!("/v1/customers/{id}"),
        json!({"companyId": alpha.company_id, "firstName": "X"}),
    )
    .await;
    assert_status(&write, 400, 9, "deleted");
    let again = app
        .send(app.admin(reqwest::Method::DELETE, &format!("/moego/customers/{id}")))
        .await;
    assert_eq!(again.status, 404, "{}", again.text);
    let junk = app
        .send(app.admin(reqwest::Method::DELETE, "/moego/customers/cus_junk"))
        .await;
    assert_eq!(junk.status, 400, "{}", junk.text);
    let unauthorised = app
        .send(app.client.delete(app.url(&format!(
            "/admin/v1/moego/customers/{}",
            bob["id"].as_str().unwrap()
        ))))
        .await;
    assert_eq!(unauthorised.status, 401);
}

#[tokio::test]
async fn the_card_on_file_link_opens_a_form_that_saves_only_the_receipt_part() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({})).await;
    let id = ana["id"].as_str().unwrap();
    let reply = app
        .moego_get(&alpha.auth, &format!("/v1/customers/{id}/cof/link"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(CUSTOMER, "v1GenCustomerCofLinkResponse", &reply.body);
    let link = reply.body["link"].as_str().unwrap();
    assert!(link.starts_with(&app.state.config.public_base_url));
    let path = path_of(link).to_string();
    assert!(path.starts_with(&format!("/links/cof/{id}?expires=")));

    let page = app.send(app.client.get(app.url(&path))).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<form method=\"post\""), "{}", page.text);
    assert!(page.text.contains("Ana Smith") && page.text.contains("Alpha Grooming"));
    assert!(page.text.contains("name=\"viewport\""));
    assert!(
        !page.text.contains("src=") && !page.text.contains("<link"),
        "no external assets"
    );

    let submit = |form: Vec<(&'static str, &'static str)>| {
        app.send(app.client.post(app.url(&path)).form(&form))
    };
    let refused = submit(vec![
        ("cardholder", "Ana Smith"),
        ("number", "4242 4242 4242 4241"),
        ("exp_month", "12"),
        ("exp_year", "2035"),
        ("cvc", "123"),
    ])
    .await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("not valid"), "{}", refused.text);
    let saved = submit(vec![
        ("cardholder", "Ana Smith"),
        ("number", "4242 4242 4242 4242"),
        ("exp_month", "12"),
        ("exp_year", "2035"),
        ("cvc", "123"),
    ])
    .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert!(saved.text.contains("Visa ending in 4242"), "{}", saved.text);

    let raw = app.state.ids.decode(IdKind::Customer, id).unwrap();
    let cards: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT brand, last4, exp_month, exp_year FROM moego_customer_cards WHERE customer_id = $1",
    )
    .bind(raw)
    .fetch_all(app.state.db.conn().get().await.unwrap())
    .await
    .unwrap();
    assert_eq!(cards, [("Visa".to_string(), "4242".to_string(), 12, 2035)]);

    // Tampered, expired, and gone.
    let tampered = path.replace("signature=", "signature=00");
    assert_eq!(
        app.send(app.client.get(app.url(&tampered))).await.status,
        403
    );
    let other = create(&app, &alpha, json!({"phone": "+12125550111"})).await;
    let swapped = path.replace(id, other["id"].as_str().unwrap());
    let swapped_page = app.send(app.client.get(app.url(&swapped))).await;
    assert_eq!(swapped_page.status, 403);
    assert!(swapped_page.text.contains("not valid"));
    let forged_post = app
        .send(
            app.client
                .post(app.url(&swapped))
                .form(&[("number", "4242424242424242")]),
        )
        .await;
    assert_eq!(forged_post.status, 403);
    let expired = app.state.links.sign(
        &format!("/links/cof/{id}"),
        chrono::Utc::now().timestamp() - 1,
    );
    let expired_page = app.send(app.client.get(app.url(&expired))).await;
    assert_eq!(expired_page.status, 410);
    assert!(expired_page.text.contains("expired"));
    app.send(app.admin(reqwest::Method::DELETE, &format!("/moego/customers/{id}")))
        .await;
    assert_eq!(app.send(app.client.get(app.url(&path))).await.status, 410);
}

#[tokio::test]
async fn the_upcoming_appointments_link_lists_an_honest_empty_schedule() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({"firstName": "<b>Ana</b>"})).await;
    let path = path_of(ana["upcomingAppointmentsUrl"].as_str().unwrap()).to_string();
    let page = app.send(app.client.get(app.url(&path))).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("No upcoming appointments."),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("&lt;b&gt;Ana&lt;/b&gt;"),
        "names are escaped"
    );
    let cut = &path[..path.find("&signature=").unwrap()];
    assert_eq!(app.send(app.client.get(app.url(cut))).await.status, 403);
}

#[tokio::test]
async fn seeded_fixture_customers_are_listed() {
    let app = common::spawn().await;
    let report = moapi::operator::seed(
        &app.state,
        &mut app.state.db.conn(),
        moapi::fixtures::Fixtures::demo(),
    )
    .await
    .unwrap();
    let company = &report.moego[0];
    let reply = app
        .moego_post(
            &company.authorization,
            "/v1/customers:list",
            json!({"companyId": company.company_id, "pagination": {"pageSize": 50}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(CUSTOMER, "v1ListCustomersResponse", &reply.body);
    let customers = reply.body["customers"].as_array().unwrap();
    // The three of the fixture's customers section, and Noah Park, who booked online.
    assert_eq!(customers.len(), 4);
    assert_eq!(customers[0]["phone"], "+14155550134");
    assert_eq!(customers[3]["firstName"], "Noah");
    assert_eq!(customers[3]["phone"], "+14155550162");
    assert_eq!(customers[0]["tags"][0]["name"], "VIP");
    let bad = moapi::fixtures::Fixtures::parse("moego:\n- name: o\n  companies:\n  - name: c\n    customers: [{firstName: x, phone: nope}]\n").unwrap();
    assert!(
        moapi::operator::seed(&app.state, &mut app.state.db.conn(), bad)
            .await
            .is_err(),
        "a bad phone in fixtures is refused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_to_one_customer_all_land() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    let ana = create(&app, &alpha, json!({})).await;
    let path = format!("/v1/customers/{}", ana["id"].as_str().unwrap());
    let before = events(&app, &alpha).await.len();
    let mut requests = vec![
        app.client
            .put(app.url(&path))
            .json(&json!({"companyId": alpha.company_id, "firstName": "Fay"})),
        app.client
            .put(app.url(&path))
            .json(&json!({"companyId": alpha.company_id, "lastName": "Lu"})),
    ];
    for n in 0..6 {
        requests.push(
            app.client
                .post(app.url(&format!("{path}/notes")))
                .json(&json!({"notes": [{"note": format!("n{n}")}]})),
        );
    }
    let mut writes = tokio::task::JoinSet::new();
    for request in requests {
        let request = request.header("authorization", alpha.auth.clone());
        writes.spawn(async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        });
    }
    while let Some(outcome) = writes.join_next().await {
        let (status, text) = outcome.unwrap();
        assert_eq!(status, 200, "{text}");
    }
    let got = app.moego_get(&alpha.auth, &path).await.body;
    assert_eq!(
        (got["firstName"].as_str(), got["lastName"].as_str()),
        (Some("Fay"), Some("Lu")),
        "neither partial update overwrote the other"
    );
    assert_eq!(got["notes"].as_array().unwrap().len(), 6);
    assert_eq!(
        events(&app, &alpha).await.len() - before,
        8,
        "one event per write"
    );
}

//! MoeGo leads (LeadService) over HTTP: fidelity to the vendor swagger, partial updates,
//! filters, paging, promotion to a customer (once, with events), tenancy and bad input.

mod common;

use common::fidelity::assert_moego;
use common::pets::{LEAD, PET};
use common::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

async fn lead_setting(app: &TestApp, index: usize, kind: &str, body: Value) -> String {
    let company = &app.seed.moego[index].company_id;
    let reply = app
        .send(
            app.admin(Method::POST, &format!("/moego/companies/{company}/{kind}"))
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let key = if kind == "lead-life-cycles" {
        "lifeCycleId"
    } else {
        "actionStatusId"
    };
    reply.body[key].as_str().unwrap().to_string()
}

/// Creates a referral source in the company's catalog; returns its `rfs_` ID.
async fn referral_source(app: &TestApp, index: usize, name: &str) -> String {
    let reply = app
        .create_catalog_entry(index, "referral-sources", json!({ "name": name }))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["referralSourceId"].as_str().unwrap().to_string()
}

async fn create_lead(app: &TestApp, auth: &str, lead: Value) -> common::Reply {
    app.moego_post(auth, "/v1/leads", json!({ "lead": lead }))
        .await
}

fn lead_ids(reply: &common::Reply) -> Vec<String> {
    reply.body["leads"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", reply.text))
        .iter()
        .map(|lead| lead["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn create_get_update_and_list_leads_in_vendor_shape() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let alpha = &app.seed.moego[0];
    let new_stage = lead_setting(
        &app,
        0,
        "lead-life-cycles",
        json!({"name": "New", "isDefault": true}),
    )
    .await;
    let contacted = lead_setting(&app, 0, "lead-life-cycles", json!({"name": "Contacted"})).await;
    let call_back = lead_setting(
        &app,
        0,
        "lead-action-statuses",
        json!({"name": "Call back", "color": "#00FF00"}),
    )
    .await;
    let staff = app
        .moego_post(
            &auth,
            "/v1/staffs:list",
            json!({"companyId": alpha.company_id, "pagination": {"pageSize": 1}}),
        )
        .await;
    let staff_id = staff.body["staffs"][0]["id"].as_str().unwrap().to_string();
    let website = referral_source(&app, 0, "Website").await;

    let created = create_lead(
        &app,
        &auth,
        json!({
            "companyId": alpha.company_id,
            "firstName": "Lena", "lastName": "Park",
            "phone": "(212) 555-0042", "email": "Lena@Example.COM",
            "avatar": "https://img.example/lena.png",
            "address": {"address1": "5 Elm St", "city": "New York", "postalCode": "10001", "country": "US"},
            "pets": [{"name": "Bo", "type": "DOG", "breed": "Poodle", "weight": {"value": 8}}],
            "preferredBusinessId": alpha.business_ids[0],
            "allocateStaffId": staff_id,
            "lifeCycle": {"id": new_stage},
            "actionStatus": {"id": call_back},
            "referralSource": {"id": website},
            "id": "lcus_ignored"
        }),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_moego(LEAD, "v1Lead", &created.body);
    let lead = &created.body;
    let id = lead["id"].as_str().unwrap();
    assert!(id.starts_with("lcus_") && id != "lcus_ignored");
    assert_eq!(lead["phone"], "+12125550042", "E.164");
    assert_eq!(lead["email"], "Lena@example.com");
    assert_eq!(
        lead["lifeCycle"],
        json!({"id": new_stage, "name": "New", "isDefault": true})
    );
    assert_eq!(
        lead["actionStatus"],
        json!({"id": call_back, "name": "Call back", "color": "#00FF00"})
    );
    assert_eq!(
        lead["pets"][0]["weight"],
        json!({"value": 8, "unit": "KILOGRAM"})
    );
    assert_eq!(
        lead["referralSource"],
        json!({"id": website, "name": "Website"})
    );
    assert_eq!(lead["allocateStaffId"], staff_id.as_str());
    assert_eq!(lead["companyId"], alpha.company_id.as_str());

    let got = app.moego_get(&auth, &format!("/v1/leads/{id}")).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body, *lead);

    let updated = app
        .moego_request(
            Method::PUT,
            &auth,
            &format!("/v1/leads/{id}"),
            Some(json!({"lead": {"lifeCycle": {"id": contacted}, "lastName": "Park-Lee", "email": null}})),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_moego(LEAD, "v1Lead", &updated.body);
    assert_eq!(updated.body["lifeCycle"]["name"], "Contacted");
    assert_eq!(updated.body["lastName"], "Park-Lee");
    for kept in [
        "firstName",
        "phone",
        "email",
        "pets",
        "address",
        "actionStatus",
        "createdTime",
    ] {
        assert_eq!(updated.body[kept], lead[kept], "{kept} kept");
    }

    let other = create_lead(
        &app,
        &auth,
        json!({"companyId": alpha.company_id, "firstName": "Max", "phone": "+12125550043"}),
    )
    .await;
    let other_id = other.body["id"].as_str().unwrap().to_string();
    let list = |filter: Value| {
        app.moego_post(
            &auth,
            "/v1/leads:list",
            json!({"companyId": alpha.company_id, "pagination": {"pageSize": 10}, "filter": filter}),
        )
    };
    let all = list(json!({})).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_moego(LEAD, "v1ListLeadsResponse", &all.body);
    assert_eq!(lead_ids(&all), [id.to_string(), other_id.clone()]);
    assert_eq!(
        lead_ids(&list(json!({"lifeCycleId": contacted})).await),
        [id.to_string()]
    );
    assert_eq!(
        lead_ids(&list(json!({"lifeCycleId": new_stage})).await),
        Vec::<String>::new()
    );
    assert_eq!(
        lead_ids(&list(json!({"actionStatusId": call_back})).await),
        [id.to_string()]
    );
    assert_eq!(
        lead_ids(&list(json!({"mainPhoneNumber": "212.555.0043"})).await),
        std::slice::from_ref(&other_id)
    );

    // Paging by number and by echoed token sees each lead once.
    let first = app
        .moego_post(
            &auth,
            "/v1/leads:list",
            json!({"companyId": alpha.company_id, "pagination": {"pageSize": 1, "pageToken": "1"}}),
        )
        .await;
    assert_eq!(first.body["nextPageToken"], "2");
    let second = app
        .moego_post(
            &auth,
            "/v1/leads:list",
            json!({"companyId": alpha.company_id, "pagination": {"pageSize": 1, "pageToken": "2"}}),
        )
        .await;
    assert_eq!(
        [lead_ids(&first), lead_ids(&second)].concat(),
        [id.to_string(), other_id]
    );
    assert_eq!(second.body["nextPageToken"], "");
}

#[tokio::test]
async fn promoting_a_lead_creates_its_customer_and_pets_once() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let alpha = &app.seed.moego[0];
    let code = app.create_pet_code(0, "AG").await;
    let lead = create_lead(
        &app,
        &auth,
        json!({
            "companyId": alpha.company_id,
            "firstName": "Lena", "phone": "+12125550042", "email": "lena@example.com",
            "pets": [
                {"name": "Bo", "type": "DOG", "breed": "Poodle", "petCodes": [{"id": code}], "notes": [{"content": "shy"}]},
                {"name": "Mia", "type": "CAT", "breed": "Persian"}
            ]
        }),
    )
    .await;
    assert_eq!(lead.status, 200, "{}", lead.text);
    let id = lead.body["id"].as_str().unwrap().to_string();
    let events_before = app.moego_events().await.len();

    let promoted = app
        .moego_post(&auth, "/v1/leads:promote", json!({"id": id}))
        .await;
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    assert_moego(LEAD, "v1PromoteLeadResponse", &promoted.body);
    let customer = &promoted.body["customer"];
    let customer_id = customer["id"].as_str().unwrap();
    assert!(customer_id.starts_with("cus_"));
    assert_eq!(customer["firstName"], "Lena");
    assert_eq!(customer["phone"], "+12125550042");

    let pets = app
        .moego_post(
            &auth,
            &format!("/v1/customers/{customer_id}/pets:list"),
            json!({}),
        )
        .await;
    assert_eq!(pets.status, 200, "{}", pets.text);
    assert_moego(PET, "v1ListPetsResponse", &pets.body);
    let names: Vec<&str> = pets.body["pets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bo", "Mia"]);
    assert_eq!(pets.body["pets"][0]["petCodes"][0]["id"], code.as_str());
    assert_eq!(pets.body["pets"][0]["notes"][0]["content"], "shy");

    let events = app.moego_events().await;
    let kinds: Vec<&str> = events[events_before..]
        .iter()
        .map(|(kind, _)| kind.as_str())
        .collect();
    assert_eq!(kinds, ["CUSTOMER_CREATED", "PET_CREATED", "PET_CREATED"]);
    assert_eq!(events[events_before].1["customer"]["id"], customer_id);

    // A second promotion is refused and changes nothing.
    let customers_before = app.count_rows("moego_customers").await;
    let again = app
        .moego_post(&auth, "/v1/leads:promote", json!({"id": id}))
        .await;
    assert_eq!(
        (again.status, again.body["code"].as_i64()),
        (400, Some(9)),
        "{}",
        again.text
    );
    assert!(again.body["message"]
        .as_str()
        .unwrap()
        .contains(customer_id));
    assert_eq!(app.count_rows("moego_customers").await, customers_before);
    assert_eq!(app.count_rows("moego_pets").await, 2);
    assert_eq!(app.moego_events().await.len(), events.len());

    // The lead is a customer now: left out of leads:list, read-only, still readable.
    let listed = app
        .moego_post(
            &auth,
            "/v1/leads:list",
            json!({"companyId": alpha.company_id, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(lead_ids(&listed), Vec::<String>::new());
    let update = app
        .moego_request(
            Method::PUT,
            &auth,
            &format!("/v1/leads/{id}"),
            Some(json!({"lead": {"firstName": "X"}})),
        )
        .await;
    assert_eq!(update.body["code"], 9, "{}", update.text);
    assert_eq!(
        app.moego_get(&auth, &format!("/v1/leads/{id}"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn leads_of_another_company_and_bad_input_are_refused() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let alpha = &app.seed.moego[0];
    let beta = &app.seed.moego[1];
    let beta_lead = create_lead(
        &app,
        &app.moego_auth(1),
        json!({"companyId": beta.company_id, "firstName": "Dee"}),
    )
    .await;
    assert_eq!(beta_lead.status, 200, "{}", beta_lead.text);
    let beta_id = beta_lead.body["id"].as_str().unwrap();
    let beta_stage = lead_setting(&app, 1, "lead-life-cycles", json!({"name": "New"})).await;
    for reply in [
        app.moego_get(&auth, &format!("/v1/leads/{beta_id}")).await,
        app.moego_request(Method::PUT, &auth, &format!("/v1/leads/{beta_id}"), Some(json!({"lead": {"firstName": "X"}}))).await,
        app.moego_post(&auth, "/v1/leads:promote", json!({"id": beta_id})).await,
        app.moego_post(&auth, "/v1/leads:list", json!({"companyId": beta.company_id, "pagination": {"pageSize": 5}})).await,
        create_lead(&app, &auth, json!({"companyId": beta.company_id, "firstName": "X"})).await,
        create_lead(&app, &auth, json!({"companyId": alpha.company_id, "firstName": "X", "preferredBusinessId": beta.business_ids[0]})).await,
        create_lead(&app, &auth, json!({"companyId": alpha.company_id, "firstName": "X", "lifeCycle": {"id": beta_stage}})).await,
    ] {
        assert_eq!((reply.status, reply.body["code"].as_i64()), (403, Some(7)), "{}", reply.text);
        assert_moego(LEAD, "googlerpcStatus", &reply.body);
    }
    let leads_before = app.count_rows("moego_leads").await;
    let company = alpha.company_id.as_str();
    for bad in [
        json!({"firstName": "No company"}),
        json!({"companyId": company}),
        json!({"companyId": company, "firstName": "X", "email": "not-an-email"}),
        json!({"companyId": company, "firstName": "X", "phone": "call me maybe"}),
        json!({"companyId": company, "firstName": "X", "avatar": "http://insecure.example/a.png"}),
        json!({"companyId": company, "firstName": "X", "pets": [{"name": "Bo", "type": "DOG", "breed": "Pug", "birthday": {"year": 2023, "month": 2, "day": 30}}]}),
        json!({"companyId": company, "firstName": "X", "pets": [{"name": "Bo", "type": "WOLF", "breed": "Pug"}]}),
        json!({"companyId": company, "firstName": "X", "pets": [{"name": "Bo", "type": "DOG", "breed": "Pug", "weight": {"value": -1}}]}),
        json!({"companyId": company, "firstName": "X", "address": {"coordinate": {"latitude": 91, "longitude": 0}}}),
    ] {
        let reply = create_lead(&app, &auth, bad.clone()).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{bad}: {}",
            reply.text
        );
    }
    let no_lead = app.moego_post(&auth, "/v1/leads", json!({})).await;
    assert_eq!(no_lead.body["code"], 3);
    for bad in [
        json!({"companyId": company}),
        json!({"pagination": {"pageSize": 5}}),
        json!({"companyId": company, "pagination": {"pageSize": 5}, "filter": {"mainPhoneNumber": "abc"}}),
    ] {
        let reply = app.moego_post(&auth, "/v1/leads:list", bad).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{}",
            reply.text
        );
    }
    let promote_nothing = app.moego_post(&auth, "/v1/leads:promote", json!({})).await;
    assert_eq!(promote_nothing.body["code"], 3);
    let malformed = app.moego_get(&auth, "/v1/leads/lcus_nope").await;
    assert_eq!(
        malformed.text,
        r#"{"code":13,"message":"invalid obfuscate","details":[]}"#
    );
    assert_eq!(
        app.count_rows("moego_leads").await,
        leads_before,
        "nothing half-written"
    );
}

#[tokio::test]
async fn concurrent_promotions_of_one_lead_create_one_customer() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = &app.seed.moego[0].company_id;
    let lead = create_lead(
        &app,
        &auth,
        json!({"companyId": company, "firstName": "Race", "pets": [{"name": "Bo", "type": "DOG", "breed": "Pug"}]}),
    )
    .await;
    let id = lead.body["id"].as_str().unwrap();
    let promote = || app.moego_post(&auth, "/v1/leads:promote", json!({"id": id}));
    let (first, second) = tokio::join!(promote(), promote());
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [200, 400], "{} / {}", first.text, second.text);
    assert_eq!(app.count_rows("moego_customers").await, 1);
    assert_eq!(app.count_rows("moego_pets").await, 1);
    let kinds: Vec<String> = app
        .moego_events()
        .await
        .into_iter()
        .map(|(kind, _)| kind)
        .collect();
    assert_eq!(kinds, ["CUSTOMER_CREATED", "PET_CREATED"]);
}

#[tokio::test]
async fn a_leads_referral_source_is_an_entry_of_its_companys_catalog() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let alpha = &app.seed.moego[0];
    let website = referral_source(&app, 0, "Website").await;
    let theirs = referral_source(&app, 1, "Website").await;
    let lead = |phone: &str, source: Value| {
        create_lead(
            &app,
            &auth,
            json!({"companyId": alpha.company_id, "firstName": "Lena", "phone": phone,
                   "referralSource": source}),
        )
    };
    // By ID (a name sent beside it is the catalog's business), or by the entry's exact name.
    let by_id = lead("+12125550042", json!({"id": website, "name": "Other"})).await;
    assert_eq!(by_id.status, 200, "{}", by_id.text);
    assert_eq!(
        by_id.body["referralSource"],
        json!({"id": website, "name": "Website"})
    );
    let by_name = lead("+12125550043", json!({"name": "Website"})).await;
    assert_eq!(by_name.status, 200, "{}", by_name.text);
    assert_eq!(by_name.body["referralSource"]["id"], website.as_str());

    // A name the company does not have, another company's entry and a malformed ID (the
    // vendor's "invalid obfuscate").
    for (source, code) in [
        (json!({"name": "Billboard"}), 3),
        (json!({"id": theirs}), 7),
        (json!({"id": "web"}), 13),
    ] {
        let refused = lead("+12125550044", source.clone()).await;
        assert_eq!(refused.body["code"], code, "{source}: {}", refused.text);
    }

    // Renaming the entry renames it on the leads; promotion takes its name as the source.
    let company = &alpha.company_id;
    let renamed = app
        .send(
            app.admin(
                Method::PATCH,
                &format!("/moego/companies/{company}/referral-sources/{website}"),
            )
            .json(&json!({"name": "Our website"})),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let id = by_id.body["id"].as_str().unwrap();
    let got = app.moego_get(&auth, &format!("/v1/leads/{id}")).await;
    assert_eq!(
        got.body["referralSource"],
        json!({"id": website, "name": "Our website"})
    );
    // An empty source clears it.
    let cleared = app
        .moego_request(
            Method::PUT,
            &auth,
            &format!("/v1/leads/{id}"),
            Some(json!({"lead": {"referralSource": {}}})),
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert!(
        cleared.body.get("referralSource").is_none(),
        "{}",
        cleared.text
    );
}

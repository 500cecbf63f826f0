//! MoeGo pets (PetService) and the client lookup over HTTP: fidelity to the vendor swagger,
//! partial updates, notes and codes, paging, soft deletion, events, tenancy and bad input.

mod common;

use common::fidelity::assert_moego;
use common::pets::{AGGREGATION, PET};
use common::TestApp;
use moapi::operator::MoegoKeyRequest;
use reqwest::Method;
use serde_json::{json, Value};

fn full_pet(code_id: &str) -> Value {
    json!({
        "name": "Rex",
        "type": "DOG",
        "breed": "Beagle",
        "birthday": {"year": 2020, "month": 2, "day": 29},
        "gender": "MALE",
        "weight": {"value": 12, "unit": "KILOGRAM"},
        "fixed": "Yes",
        "coat": "short",
        "behavior": "friendly",
        "vaccinations": [{"name": "Rabies", "expiredAt": "2027-01-01T00:00:00Z"}],
        "vet": {"name": "Dr. Vet", "phoneNumber": "+1 (212) 555-1234", "address": "1 Vet St"},
        "evaluationStatus": "PASS",
        "photo": "https://img.example/rex.jpg",
        "petCodes": [{"id": code_id}],
        "notes": [{"content": "likes treats"}],
        "id": "pet_ignored", "customerId": "cus_ignored", "deleted": true
    })
}

async fn create_pet(app: &TestApp, auth: &str, customer: &str, pet: Value) -> common::Reply {
    app.moego_post(
        auth,
        &format!("/v1/customers/{customer}/pets"),
        json!({ "pet": pet }),
    )
    .await
}

/// A fresh app, company A's key and a customer of company A.
async fn alpha_with_customer() -> (TestApp, String, String) {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    (app, auth, customer)
}

async fn simple_pet(app: &TestApp, auth: &str, customer: &str, name: &str) -> String {
    let reply = create_pet(
        app,
        auth,
        customer,
        json!({"name": name, "type": "CAT", "breed": "Siamese"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["pet"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn create_get_update_and_list_pets_in_vendor_shape() {
    let (app, auth, customer) = alpha_with_customer().await;
    let code = app.create_pet_code(0, "AG").await;

    let created = create_pet(&app, &auth, &customer, full_pet(&code)).await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_moego(PET, "v1CreatePetResponse", &created.body);
    let pet = &created.body["pet"];
    let pet_id = pet["id"].as_str().unwrap();
    assert!(pet_id.starts_with("pet_") && pet_id != "pet_ignored");
    assert_eq!(pet["customerId"], customer.as_str());
    assert!(pet["rawId"].is_string(), "int64 is a JSON string");
    assert_eq!(pet["status"], "ALIVE", "new pets are ALIVE");
    assert_eq!(
        pet["birthday"],
        json!({"year": 2020, "month": 2, "day": 29})
    );
    assert_eq!(pet["weight"], json!({"value": 12, "unit": "KILOGRAM"}));
    assert_eq!(pet["fixed"], "yes");
    assert_eq!(pet["vet"]["phoneNumber"], "+12125551234", "E.164");
    assert_eq!(pet["vaccinations"][0]["expiredAt"], "2027-01-01T00:00:00Z");
    assert_eq!(pet["petCodes"][0]["id"], code.as_str());
    assert_eq!(pet["petCodes"][0]["abbreviation"], "AG");
    assert_eq!(pet["notes"][0]["content"], "likes treats");
    assert!(
        pet.get("deleted").is_none(),
        "read-only fields are not taken from the body"
    );

    let path = format!("/v1/customers/{customer}/pets/{pet_id}");
    let got = app.moego_get(&auth, &path).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_moego(PET, "v1Pet", &got.body);
    assert_eq!(got.body, *pet);

    // Absent and null fields keep their values; present ones replace them.
    let updated = app
        .moego_request(
            Method::PUT,
            &auth,
            &path,
            Some(json!({"coat": "long double coat", "weight": {"value": "30", "unit": "POUND"}, "name": null})),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_moego(PET, "v1Pet", &updated.body);
    assert_eq!(updated.body["coat"], "long double coat");
    assert_eq!(
        updated.body["weight"],
        json!({"value": 30, "unit": "POUND"})
    );
    for kept in [
        "name",
        "breed",
        "birthday",
        "vet",
        "petCodes",
        "notes",
        "createdTime",
    ] {
        assert_eq!(updated.body[kept], pet[kept], "{kept} kept");
    }
    let cleared = app
        .moego_request(Method::PUT, &auth, &path, Some(json!({"behavior": ""})))
        .await;
    assert!(cleared.body.get("behavior").is_none(), "{}", cleared.text);

    let listed = app
        .moego_post(
            &auth,
            &format!("/v1/customers/{customer}/pets:list"),
            json!({}),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(PET, "v1ListPetsResponse", &listed.body);
    assert_eq!(listed.body["pets"][0], cleared.body);
    let all = app
        .moego_post(
            &auth,
            "/v1/pets:list",
            json!({"companyId": app.seed.moego[0].company_id, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_moego(PET, "v1ListAllPetsResponse", &all.body);
    assert_eq!(all.body["pets"], json!([cleared.body]));
    assert_eq!(all.body["nextPageToken"], "");

    // One event per write, with the pet under the oneof key "pet".
    let events = app.moego_events().await;
    let kinds: Vec<&str> = events.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds, ["PET_CREATED", "PET_UPDATED", "PET_UPDATED"]);
    let (_, first) = &events[0];
    assert_eq!(first["type"], "PET_CREATED");
    assert_eq!(first["companyId"], app.seed.moego[0].company_id);
    assert!(first["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(first["pet"], *pet);
    assert_moego(PET, "v1Pet", &events[2].1["pet"]);
}

#[tokio::test]
async fn paging_pets_by_page_number_or_by_echoed_token_sees_every_pet_once() {
    let (app, auth, ann) = alpha_with_customer().await;
    let bob = app.insert_customer(0, "Bob", "+12125550002").await;
    let mut expected = Vec::new();
    for index in 0..7 {
        let owner = if index % 2 == 0 { &ann } else { &bob };
        expected.push(simple_pet(&app, &auth, owner, &format!("Pet {index}")).await);
    }
    let company = &app.seed.moego[0].company_id;
    let page = |token: Option<String>| {
        let mut pagination = json!({"pageSize": 3});
        if let Some(token) = token {
            pagination["pageToken"] = json!(token);
        }
        json!({"companyId": company, "pagination": pagination})
    };
    let ids = |reply: &common::Reply| -> Vec<String> {
        reply.body["pets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pet| pet["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut by_number = Vec::new();
    for number in 1..=3 {
        let reply = app
            .moego_post(&auth, "/v1/pets:list", page(Some(number.to_string())))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        by_number.extend(ids(&reply));
        let next = if number < 3 {
            (number + 1).to_string()
        } else {
            String::new()
        };
        assert_eq!(reply.body["nextPageToken"], next);
    }
    assert_eq!(by_number, expected);
    let mut by_token = Vec::new();
    let mut token = None;
    loop {
        let reply = app.moego_post(&auth, "/v1/pets:list", page(token)).await;
        by_token.extend(ids(&reply));
        match reply.body["nextPageToken"].as_str().unwrap() {
            "" => break,
            next => token = Some(next.to_string()),
        }
    }
    assert_eq!(by_token, expected);

    let of_bob = app
        .moego_post(
            &auth,
            "/v1/pets:list",
            json!({"companyId": company, "pagination": {"pageSize": 50}, "filter": {"customerIds": [bob]}}),
        )
        .await;
    assert_eq!(ids(&of_bob), [1, 3, 5].map(|i| expected[i].clone()));
    let future = app
        .moego_post(
            &auth,
            "/v1/pets:list",
            json!({"companyId": company, "pagination": {"pageSize": 50},
                   "filter": {"lastUpdatedTime": {"startTime": "2999-01-01T00:00:00Z"}}}),
        )
        .await;
    assert_eq!(future.body["pets"], json!([]));
    let window = app
        .moego_post(
            &auth,
            "/v1/pets:list",
            json!({"companyId": company, "pagination": {"pageSize": 50},
                   "filter": {"lastUpdatedTime": {"startTime": "2000-01-01T00:00:00Z", "endTime": "2999-01-01T00:00:00Z"}}}),
        )
        .await;
    assert_eq!(ids(&window), expected);
}

#[tokio::test]
async fn notes_list_newest_first_and_codes_append_and_delete() {
    let (app, auth, customer) = alpha_with_customer().await;
    let pet = simple_pet(&app, &auth, &customer, "Tom").await;
    let base = format!("/v1/customers/{customer}/pets/{pet}");

    let appended = app
        .moego_post(
            &auth,
            &format!("{base}/notes"),
            json!({"notes": [{"content": "first"}, {"content": "second"}]}),
        )
        .await;
    assert_eq!(appended.status, 200, "{}", appended.text);
    assert_moego(PET, "v1AppendPetNotesResponse", &appended.body);
    let third = app
        .moego_post(
            &auth,
            &format!("{base}/notes"),
            json!({"notes": [{"content": "third"}]}),
        )
        .await;
    assert_eq!(third.status, 200, "{}", third.text);
    let first_page = app
        .moego_post(
            &auth,
            &format!("{base}/notes:list"),
            json!({"pagination": {"pageSize": 2}}),
        )
        .await;
    assert_eq!(first_page.status, 200, "{}", first_page.text);
    assert_moego(PET, "v1ListPetNotesResponse", &first_page.body);
    let contents = |reply: &common::Reply| -> Vec<String> {
        reply.body["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|note| note["content"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(contents(&first_page), ["third", "second"]);
    assert_eq!(first_page.body["nextPageToken"], "2");
    let second_page = app
        .moego_post(
            &auth,
            &format!("{base}/notes:list"),
            json!({"pagination": {"pageSize": 2, "pageToken": "2"}}),
        )
        .await;
    assert_eq!(contents(&second_page), ["first"]);

    let aggressive = app.create_pet_code(0, "AG").await;
    let senior = app.create_pet_code(0, "SR").await;
    let codes = app
        .moego_post(
            &auth,
            &format!("{base}/codes"),
            json!({"petCodeIds": [aggressive, senior, aggressive]}),
        )
        .await;
    assert_eq!(codes.status, 200, "{}", codes.text);
    assert_moego(PET, "v1AppendPetCodesResponse", &codes.body);
    assert_eq!(codes.body["codes"].as_array().unwrap().len(), 2);
    assert_eq!(codes.body["codes"][0]["color"], "#FF0000");
    let again = app
        .moego_post(
            &auth,
            &format!("{base}/codes"),
            json!({"petCodeIds": [senior]}),
        )
        .await;
    assert_eq!(
        again.status, 200,
        "appending a carried code changes nothing: {}",
        again.text
    );
    let removed = app
        .moego_request(
            Method::DELETE,
            &auth,
            &format!("{base}/codes/{aggressive}"),
            None,
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(removed.body, json!({}));
    assert_moego(PET, "v1DeletePetCodeResponse", &removed.body);
    let gone = app
        .moego_request(
            Method::DELETE,
            &auth,
            &format!("{base}/codes/{aggressive}"),
            None,
        )
        .await;
    assert_eq!((gone.status, gone.body["code"].as_i64()), (404, Some(5)));

    let pet_now = app.moego_get(&auth, &base).await;
    let carried: Vec<&str> = pet_now.body["petCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code["abbreviation"].as_str().unwrap())
        .collect();
    assert_eq!(carried, ["SR"]);
    assert_eq!(pet_now.body["notes"][0]["content"], "third", "newest first");
    // Create, two note appends, two code appends, one code removal: one event each.
    let kinds: Vec<String> = app
        .moego_events()
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds.len(), 6);
    assert_eq!(kinds[0], "PET_CREATED");
    assert!(
        kinds[1..].iter().all(|kind| kind == "PET_UPDATED"),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn another_customers_or_companys_pets_are_refused() {
    let (app, auth, ann) = alpha_with_customer().await;
    let bob = app.insert_customer(0, "Bob", "+12125550002").await;
    let pet = simple_pet(&app, &auth, &ann, "Tom").await;
    let beta_customer = app.insert_customer(1, "Dee", "+12125550003").await;
    let beta_pet = simple_pet(&app, &app.moego_auth(1), &beta_customer, "Zed").await;
    let beta_code = app.create_pet_code(1, "BB").await;

    // A pet under another customer's ID: NOT_FOUND, as for a wrong ID.
    let wrong_owner = app
        .moego_get(&auth, &format!("/v1/customers/{bob}/pets/{pet}"))
        .await;
    assert_eq!(
        (wrong_owner.status, wrong_owner.body["code"].as_i64()),
        (404, Some(5))
    );
    let moved = app
        .moego_request(
            Method::PUT,
            &auth,
            &format!("/v1/customers/{bob}/pets/{pet}"),
            Some(json!({"name": "Stolen"})),
        )
        .await;
    assert_eq!(moved.body["code"], 5, "{}", moved.text);

    // Another company's customer, pet, company or pet code: code 7.
    for reply in [
        app.moego_get(
            &auth,
            &format!("/v1/customers/{beta_customer}/pets/{beta_pet}"),
        )
        .await,
        app.moego_post(
            &auth,
            &format!("/v1/customers/{beta_customer}/pets:list"),
            json!({}),
        )
        .await,
        create_pet(
            &app,
            &auth,
            &beta_customer,
            json!({"name": "X", "type": "DOG", "breed": "Pug"}),
        )
        .await,
        app.moego_post(
            &auth,
            "/v1/pets:list",
            json!({"companyId": app.seed.moego[1].company_id, "pagination": {"pageSize": 5}}),
        )
        .await,
        app.moego_post(
            &auth,
            &format!("/v1/customers/{ann}/pets/{pet}/codes"),
            json!({"petCodeIds": [beta_code]}),
        )
        .await,
    ] {
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (403, Some(7)),
            "{}",
            reply.text
        );
        assert_moego(PET, "googlerpcStatus", &reply.body);
    }
    // Listing by another company's customers through one's own company finds nothing.
    let filtered = app
        .moego_post(
            &auth,
            "/v1/pets:list",
            json!({"companyId": app.seed.moego[0].company_id, "pagination": {"pageSize": 5}, "filter": {"customerIds": [beta_customer]}}),
        )
        .await;
    assert_eq!(filtered.body["pets"], json!([]));

    let malformed = app
        .moego_get(&auth, &format!("/v1/customers/{ann}/pets/pet_nope"))
        .await;
    assert_eq!(
        malformed.text,
        r#"{"code":13,"message":"invalid obfuscate","details":[]}"#
    );
    let missing_company = app
        .moego_post(
            &auth,
            "/v1/pets:list",
            json!({"pagination": {"pageSize": 5}}),
        )
        .await;
    assert_eq!(
        (
            missing_company.status,
            missing_company.body["code"].as_i64()
        ),
        (400, Some(3))
    );

    // Scopes: a read-only key reads but cannot write.
    let reader = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            scopes: vec!["pets:read".into()],
            ..Default::default()
        })
        .await;
    let read = app
        .moego_get(
            &reader.authorization,
            &format!("/v1/customers/{ann}/pets/{pet}"),
        )
        .await;
    assert_eq!(read.status, 200, "{}", read.text);
    let write = create_pet(
        &app,
        &reader.authorization,
        &ann,
        json!({"name": "X", "type": "DOG", "breed": "Pug"}),
    )
    .await;
    assert_eq!(write.body["code"], 7, "{}", write.text);
}

#[tokio::test]
async fn bad_pet_input_is_refused_and_writes_nothing() {
    let (app, auth, customer) = alpha_with_customer().await;
    let pet = simple_pet(&app, &auth, &customer, "Tom").await;
    let (pets_before, events_before) = (
        app.count_rows("moego_pets").await,
        app.moego_events().await.len(),
    );
    let valid = json!({"name": "Rex", "type": "DOG", "breed": "Beagle"});
    let with = |field: &str, value: Value| {
        let mut pet = valid.clone();
        pet[field] = value;
        pet
    };
    let unknown_code = app.state.ids.encode(moapi_core::IdKind::PetCode, 999);
    let bad_pets = [
        with("birthday", json!({"year": 2021, "month": 2, "day": 30})),
        with("birthday", json!({"year": 2021, "month": 13, "day": 1})),
        with("type", json!("DRAGON")),
        with("type", json!("TYPE_UNSPECIFIED")),
        with("gender", json!("SOMETIMES")),
        with("weight", json!({"value": -3})),
        with("weight", json!({"value": 12.5})),
        with("weight", json!({"value": 5000})),
        with("weight", json!({"value": 5, "unit": "STONE"})),
        with("name", json!("")),
        with("breed", json!("  ")),
        with("fixed", json!("perhaps")),
        with("vet", json!({"phoneNumber": "not a phone"})),
        with(
            "vaccinations",
            json!([{"name": "Rabies", "expiredAt": "next year"}]),
        ),
        with("notes", json!([{"content": ""}])),
        with("petCodes", json!([{"id": "pcd_broken"}])),
        with("petCodes", json!([{"id": unknown_code}])),
    ];
    for bad in bad_pets {
        let reply = create_pet(&app, &auth, &customer, bad.clone()).await;
        assert!(
            matches!(reply.status, 400 | 404) && reply.body["code"] != 0,
            "{bad}: {} {}",
            reply.status,
            reply.text
        );
        assert_moego(PET, "googlerpcStatus", &reply.body);
    }
    let no_pet = app
        .moego_post(&auth, &format!("/v1/customers/{customer}/pets"), json!({}))
        .await;
    assert_eq!(no_pet.body["code"], 3);
    let path = format!("/v1/customers/{customer}/pets/{pet}");
    for bad in [
        json!({"birthday": {"year": 2023, "month": 2, "day": 29}}),
        json!({"type": "TYPE_UNSPECIFIED"}),
        json!({"weight": {"value": "heavy"}}),
        json!({"name": ""}),
        json!({"evaluationStatus": "MAYBE"}),
    ] {
        let reply = app
            .moego_request(Method::PUT, &auth, &path, Some(bad.clone()))
            .await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{bad}: {}",
            reply.text
        );
    }
    let company = &app.seed.moego[0].company_id;
    let too_many: Vec<String> = (0..1_001).map(|_| customer.clone()).collect();
    for bad in [
        json!({"companyId": company, "pagination": {"pageSize": 5}, "filter": {"customerIds": too_many}}),
        json!({"companyId": company, "pagination": {"pageSize": 5}, "filter": {"lastUpdatedTime": {"startTime": "2025-02-30T00:00:00Z"}}}),
        json!({"companyId": company, "pagination": {"pageSize": 5}, "filter": {"lastUpdatedTime": {"startTime": "2025-02-02T00:00:00Z", "endTime": "2025-01-01T00:00:00Z"}}}),
        json!({"companyId": company}),
        json!({"companyId": company, "pagination": {"pageSize": 501}}),
    ] {
        let reply = app.moego_post(&auth, "/v1/pets:list", bad).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{}",
            reply.text
        );
    }
    for (path, body) in [
        (format!("{path}/notes"), json!({"notes": []})),
        (
            format!("{path}/notes"),
            json!({"notes": [{"content": "ok"}, {"content": " "}]}),
        ),
        (format!("{path}/codes"), json!({"petCodeIds": []})),
        (format!("{path}/notes:list"), json!({})),
    ] {
        let reply = app.moego_post(&auth, &path, body).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{path}: {}",
            reply.text
        );
    }
    assert_eq!(app.count_rows("moego_pets").await, pets_before);
    assert_eq!(
        app.count_rows("moego_pet_notes").await,
        0,
        "nothing half-written"
    );
    assert_eq!(
        app.moego_events().await.len(),
        events_before,
        "a failed write leaves no event"
    );
}

#[tokio::test]
async fn deleted_pets_are_flagged_hidden_from_lists_and_read_only() {
    let (app, auth, customer) = alpha_with_customer().await;
    let kept = simple_pet(&app, &auth, &customer, "Kept").await;
    let pet = simple_pet(&app, &auth, &customer, "Gone").await;
    let deleted = app
        .send(app.admin(
            Method::DELETE,
            &format!("/moego/customers/{customer}/pets/{pet}"),
        ))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.body, json!({"id": pet, "deleted": true}));
    let again = app
        .send(app.admin(
            Method::DELETE,
            &format!("/moego/customers/{customer}/pets/{pet}"),
        ))
        .await;
    assert_eq!(again.status, 404, "{}", again.text);

    let (kind, event) = app.moego_events().await.pop().unwrap();
    assert_eq!(kind, "PET_DELETED");
    assert_eq!(event["pet"], json!({"id": pet, "deleted": true}));
    assert_eq!(
        app.moego_events().await.len(),
        3,
        "two creates and one delete"
    );

    let got = app
        .moego_get(&auth, &format!("/v1/customers/{customer}/pets/{pet}"))
        .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body["deleted"], true);
    assert_moego(PET, "v1Pet", &got.body);
    let names = |reply: common::Reply| -> Vec<String> {
        reply.body["pets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pet| pet["name"].as_str().unwrap().to_string())
            .collect()
    };
    let list_path = format!("/v1/customers/{customer}/pets:list");
    assert_eq!(
        names(app.moego_post(&auth, &list_path, json!({})).await),
        ["Kept"]
    );
    assert_eq!(
        names(
            app.moego_post(&auth, &list_path, json!({"includeDeleted": true}))
                .await
        ),
        ["Kept", "Gone"]
    );
    let company = &app.seed.moego[0].company_id;
    let all = app
        .moego_post(
            &auth,
            "/v1/pets:list",
            json!({"companyId": company, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(all.body["pets"][0]["id"], kept.as_str());
    assert_eq!(all.body["pets"].as_array().unwrap().len(), 1);
    let update = app
        .moego_request(
            Method::PUT,
            &auth,
            &format!("/v1/customers/{customer}/pets/{pet}"),
            Some(json!({"name": "Back"})),
        )
        .await;
    assert_eq!(
        (update.status, update.body["code"].as_i64()),
        (400, Some(9)),
        "{}",
        update.text
    );
}

#[tokio::test]
async fn lookup_finds_the_customer_by_any_typing_of_its_phone() {
    let (app, auth, customer) = alpha_with_customer().await;
    let code = app.create_pet_code(0, "AG").await;
    let created = create_pet(&app, &auth, &customer, full_pet(&code)).await;
    assert_eq!(created.status, 200, "{}", created.text);
    simple_pet(&app, &auth, &customer, "Tom").await;
    let business = &app.seed.moego[0].business_ids[0];
    let lookup = |phone: &str, business: &str| {
        app.moego_post(
            &auth,
            "/v1/aggregation/clients:lookupClientPetProfile",
            json!({"phoneNumber": phone, "businessId": business}),
        )
    };
    for typed in ["+1 212-555-0001", "(212) 555-0001", "2125550001"] {
        let reply = lookup(typed, business).await;
        assert_eq!(reply.status, 200, "{typed}: {}", reply.text);
        assert_moego(AGGREGATION, "v1LookupClientPetProfileResponse", &reply.body);
        assert_eq!(reply.body["customer"]["id"], customer.as_str());
        assert_eq!(reply.body["customer"]["phone"], "+12125550001");
        let pets = reply.body["pets"].as_array().unwrap();
        assert_eq!(pets.len(), 2);
        assert_eq!(pets[0]["petName"], "Rex");
        assert_eq!(pets[0]["weight"], "12 kg");
        assert_eq!(pets[0]["vaccineList"][0]["name"], "Rabies");
        assert!(
            reply.body.get("lastAppointment").is_none(),
            "no appointments yet"
        );
    }
    let nobody = lookup("+12125559999", business).await;
    assert_eq!(nobody.status, 200);
    assert_eq!(nobody.body, json!({"pets": []}));
    let foreign = lookup("+12125550001", &app.seed.moego[1].business_ids[0]).await;
    assert_eq!(foreign.body["code"], 7, "{}", foreign.text);
    // A key restricted to the company's second business may not look up at the first.
    let restricted = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            businesses: vec![app.seed.moego[0].business_ids[1].clone()],
            ..Default::default()
        })
        .await;
    let elsewhere = app
        .moego_post(
            &restricted.authorization,
            "/v1/aggregation/clients:lookupClientPetProfile",
            json!({"phoneNumber": "+12125550001", "businessId": business}),
        )
        .await;
    assert_eq!(elsewhere.body["code"], 7, "{}", elsewhere.text);
    let at_its_business = app
        .moego_post(
            &restricted.authorization,
            "/v1/aggregation/clients:lookupClientPetProfile",
            json!({"phoneNumber": "+12125550001", "businessId": app.seed.moego[0].business_ids[1]}),
        )
        .await;
    assert_eq!(at_its_business.body["customer"]["id"], customer.as_str());
    for bad in [
        json!({"phoneNumber": "+12125550001"}),
        json!({"businessId": business}),
        json!({"phoneNumber": "call me", "businessId": business}),
    ] {
        let reply = app
            .moego_post(&auth, "/v1/aggregation/clients:lookupClientPetProfile", bad)
            .await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{}",
            reply.text
        );
    }
}

#[tokio::test]
async fn deleting_a_customer_deletes_its_pets_in_the_same_transaction() {
    let (app, auth, customer) = alpha_with_customer().await;
    let other = app.insert_customer(0, "Bob", "+12125550002").await;
    let first = simple_pet(&app, &auth, &customer, "One").await;
    let second = simple_pet(&app, &auth, &customer, "Two").await;
    let gone_before = simple_pet(&app, &auth, &customer, "Gone").await;
    let untouched = simple_pet(&app, &auth, &other, "Other").await;
    let deleted = app
        .send(app.admin(
            Method::DELETE,
            &format!("/moego/customers/{customer}/pets/{gone_before}"),
        ))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let events_before = app.moego_events().await.len();

    let reply = app
        .send(app.admin(Method::DELETE, &format!("/moego/customers/{customer}")))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let events = app.moego_events().await;
    let new: Vec<(&str, &Value)> = events[events_before..]
        .iter()
        .map(|(kind, body)| (kind.as_str(), body))
        .collect();
    assert_eq!(new.len(), 3, "{new:?}");
    assert_eq!(new[0].0, "CUSTOMER_DELETED");
    assert_eq!(
        (new[1].0, &new[1].1["pet"]),
        ("PET_DELETED", &json!({"id": first, "deleted": true}))
    );
    assert_eq!(
        (new[2].0, &new[2].1["pet"]),
        ("PET_DELETED", &json!({"id": second, "deleted": true}))
    );
    let listed = app
        .moego_post(
            &auth,
            &format!("/v1/customers/{customer}/pets:list"),
            json!({"includeDeleted": true}),
        )
        .await;
    assert!(
        listed.body["pets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|pet| pet["deleted"] == true),
        "{}",
        listed.text
    );
    let kept = app
        .moego_get(&auth, &format!("/v1/customers/{other}/pets/{untouched}"))
        .await;
    assert!(kept.body.get("deleted").is_none(), "{}", kept.text);
}

#[tokio::test]
async fn the_demo_set_seeds_pets_with_their_codes_and_a_lead() {
    let app = common::spawn().await;
    let report = moapi::operator::seed(
        &app.state,
        &mut app.state.db.conn(),
        moapi::fixtures::Fixtures::demo(),
    )
    .await
    .unwrap();
    let company = &report.moego[0];
    let pets = app
        .moego_post(
            &company.authorization,
            "/v1/pets:list",
            json!({"companyId": company.company_id, "pagination": {"pageSize": 50}}),
        )
        .await;
    assert_eq!(pets.status, 200, "{}", pets.text);
    assert_moego(PET, "v1ListAllPetsResponse", &pets.body);
    let listed = pets.body["pets"].as_array().unwrap();
    // The fixture's four, and Kiwi, whose owner booked online (fixture abandonedBookings).
    assert_eq!(listed.len(), 5);
    assert_eq!(listed[0]["name"], "Biscuit");
    assert_eq!(listed[4]["name"], "Kiwi");
    assert_eq!(listed[0]["petCodes"][0]["abbreviation"], "SR");
    assert_eq!(listed[0]["notes"][0]["content"], "Loves the blow dryer");
    let leads = app
        .moego_post(
            &company.authorization,
            "/v1/leads:list",
            json!({"companyId": company.company_id, "pagination": {"pageSize": 50}}),
        )
        .await;
    assert_eq!(leads.status, 200, "{}", leads.text);
    assert_moego(common::pets::LEAD, "v1ListLeadsResponse", &leads.body);
    assert_eq!(leads.body["leads"][0]["lifeCycle"]["name"], "New");
    assert_eq!(leads.body["leads"][0]["pets"][0]["name"], "Pip");

    let orphan = moapi::fixtures::Fixtures::parse(
        "moego:\n- name: o\n  companies:\n  - name: c\n    pets: [{owner: '+12125550000', name: x, type: DOG, breed: y}]\n",
    )
    .unwrap();
    let refused = moapi::operator::seed(&app.state, &mut app.state.db.conn(), orphan)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("no customer"), "{refused}");
}

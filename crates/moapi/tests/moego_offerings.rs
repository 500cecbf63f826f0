//! MoeGo offerings (OfferingService ListLodgings) over HTTP: each lodging unit's availability
//! on a day of the company's time zone follows the live stays that occupy it, agrees with
//! `appointments:check`, and is paged; bad input and other tenants are refused.

mod common;

use common::booking::ServiceSpec;
use common::fidelity::assert_moego;
use common::TestApp;
use serde_json::{json, Value};

const OFFERING: &str = "offering/v1/offering_service.swagger.json";

struct Inn {
    app: TestApp,
    auth: String,
    company: String,
    business: String,
    customer: String,
    boarding: String,
}

async fn inn() -> Inn {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let boarding = app
        .insert_service(
            0,
            ServiceSpec {
                name: "Overnight",
                minutes: 1440,
                item_type: "BOARDING",
                ..Default::default()
            },
        )
        .await;
    Inn {
        company: app.seed.moego[0].company_id.clone(),
        business: app.business_id(0, 0),
        app,
        auth,
        customer,
        boarding,
    }
}

impl Inn {
    /// Books `pet` into `unit` for a night from `start`, conflicts checked.
    async fn stay(&self, pet: &str, unit: &str, start: &str) -> String {
        let booked = self
            .app
            .book(
                &self.auth,
                json!({"businessId": self.business, "customerId": self.customer,
                       "ignoreConflict": false, "petServices": [{"petId": pet, "services": [
                           {"id": self.boarding, "lodgingId": unit,
                            "duration": {"startTime": start}}]}]}),
            )
            .await;
        assert_eq!(booked.status, 200, "{}", booked.text);
        booked.body["id"].as_str().unwrap().to_string()
    }

    async fn lodgings(&self, body: Value) -> common::Reply {
        self.app
            .moego_post(&self.auth, "/v1/offerings/lodgings:list", body)
            .await
    }

    /// `(lodgingId, available, unavailableReason)` of the business's units on a day.
    async fn on(&self, (year, month, day): (i32, i32, i32), pet: Option<&str>) -> Vec<Value> {
        let mut body = json!({"companyId": self.company, "businessId": self.business,
                              "date": {"year": year, "month": month, "day": day}});
        if let Some(pet) = pet {
            body["petId"] = json!(pet);
        }
        let reply = self.lodgings(body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(
            OFFERING,
            "businessofferingv1ListLodgingsResponse",
            &reply.body,
        );
        reply.body["lodgings"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|lodging| {
                json!([
                    lodging["lodgingId"],
                    lodging.get("available").is_some(),
                    lodging.get("unavailableReason").is_some()
                ])
            })
            .collect()
    }
}

#[tokio::test]
async fn availability_follows_the_stays_of_the_company_day_and_agrees_with_the_check() {
    let inn = inn().await;
    let (suite, kennel) = (
        inn.app.insert_lodging_unit(0, 0, 2).await,
        inn.app.insert_lodging_unit(0, 0, 1).await,
    );
    let mut pets = Vec::new();
    for name in ["Ace", "Bo", "Cy"] {
        pets.push(inn.app.create_pet(&inn.auth, &inn.customer, name).await);
    }
    // Two nights from noon UTC (08:00 in New York) on June 3: the suite is full on the 3rd
    // and the 4th of the company's calendar, free on the 2nd and the 5th.
    inn.stay(&pets[0], &suite, "2030-06-03T12:00:00Z").await;
    let second = inn.stay(&pets[1], &suite, "2030-06-03T12:00:00Z").await;
    let free = json!([[suite, true, false], [kennel, true, false]]);
    let suite_full = json!([[suite, false, true], [kennel, true, false]]);
    assert_eq!(json!(inn.on((2030, 6, 2), None).await), free);
    assert_eq!(json!(inn.on((2030, 6, 3), None).await), suite_full);
    assert_eq!(json!(inn.on((2030, 6, 4), None).await), suite_full);
    assert_eq!(json!(inn.on((2030, 6, 5), None).await), free);
    // A pet already lodged there keeps its place.
    assert_eq!(json!(inn.on((2030, 6, 3), Some(&pets[0])).await), free);

    let reply = inn
        .lodgings(json!({"companyId": inn.company, "businessId": inn.business,
                         "date": {"year": 2030, "month": 6, "day": 3}}))
        .await;
    let reason = reply.body["lodgings"][0]["unavailableReason"]
        .as_str()
        .unwrap();
    assert!(
        reason.starts_with("Over capacity: Suite holds 2 pets and 2 are lodged on 2030-06-03"),
        "{reason}"
    );
    assert_eq!(reply.body["lodgings"][0]["lodgingName"], "Suite 1");

    // appointments:check says the same of a third pet over that day.
    let check = inn
        .app
        .moego_post(
            &inn.auth,
            "/v1/appointments:check",
            json!({"businessId": inn.business, "petIds": [pets[2]], "lodgingUnitIds": [suite, kennel],
                   "dateRange": {"startTime": "2030-06-03T04:00:00Z", "endTime": "2030-06-04T04:00:00Z"}}),
        )
        .await;
    let overfilled = &check.body["lodgingOverCapacityCheck"]["lodgings"];
    assert_eq!(overfilled.as_array().unwrap().len(), 1, "{}", check.text);
    assert_eq!(overfilled[0]["lodgingUnits"][0]["id"], suite.as_str());

    // A canceled stay frees its place.
    let cancel = inn
        .app
        .moego_post(
            &inn.auth,
            &format!("/v1/appointments/{second}:cancel"),
            json!({"businessId": inn.business}),
        )
        .await;
    assert_eq!(cancel.status, 200, "{}", cancel.text);
    assert_eq!(json!(inn.on((2030, 6, 3), None).await), free);
}

#[tokio::test]
async fn lodgings_are_paged_and_span_the_businesses_the_key_reaches() {
    let inn = inn().await;
    let first = inn.app.insert_lodging_unit(0, 0, 1).await;
    let second = inn.app.insert_lodging_unit(0, 0, 1).await;
    let elsewhere = inn.app.insert_lodging_unit(0, 1, 1).await;
    let ids = |reply: &common::Reply| -> Vec<Value> {
        reply.body["lodgings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|lodging| lodging["lodgingId"].clone())
            .collect()
    };
    // Without a business: every business of the company, today when no date is given.
    let all = inn.lodgings(json!({"companyId": inn.company})).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(ids(&all), [json!(first), json!(second), json!(elsewhere)]);
    let page_one = inn
        .lodgings(json!({"companyId": inn.company, "businessId": inn.business,
                         "pagination": {"pageSize": 1}}))
        .await;
    assert_eq!(ids(&page_one), [json!(first)]);
    let token = page_one.body["nextPageToken"].as_str().unwrap();
    let page_two = inn
        .lodgings(json!({"companyId": inn.company, "businessId": inn.business,
                         "pagination": {"pageSize": 1, "pageToken": token}}))
        .await;
    assert_eq!(ids(&page_two), [json!(second)]);
    assert!(
        page_two.body.get("nextPageToken").is_none(),
        "{}",
        page_two.text
    );
}

#[tokio::test]
async fn bad_input_and_other_tenants_are_refused() {
    let inn = inn().await;
    let other_company = inn.app.seed.moego[1].company_id.clone();
    let other_pet = {
        let auth = inn.app.moego_auth(1);
        let customer = inn.app.insert_customer(1, "Bob", "+12125550002").await;
        inn.app.create_pet(&auth, &customer, "Rex").await
    };
    let company = inn.company.as_str();
    for (body, code, field) in [
        (json!({}), 3, "companyId"),
        (json!({"companyId": other_company}), 7, ""),
        (
            json!({"companyId": company, "businessId": inn.app.business_id(1, 0)}),
            7,
            "",
        ),
        (
            json!({"companyId": company, "date": {"year": 2030, "month": 2, "day": 30}}),
            3,
            "date",
        ),
        (
            json!({"companyId": company, "date": {"year": 2030, "month": 6}}),
            3,
            "date",
        ),
        (json!({"companyId": company, "petId": other_pet}), 7, ""),
        (
            json!({"companyId": company, "serviceIds": ["svc_nope"]}),
            13,
            "obfuscate",
        ),
        (
            json!({"companyId": company, "pagination": {"pageSize": -1}}),
            3,
            "pageSize",
        ),
    ] {
        let reply = inn.lodgings(body.clone()).await;
        assert_eq!(reply.body["code"], code, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
}

/// Filters that let every pet in, with `changes` on top (the operator API stores filters as
/// given, so a filter object names every flag).
fn filters(changes: Value) -> Value {
    let mut all = json!({"breedFilter": true, "petSizeFilter": true, "coatFilter": true,
                         "petCodeFilter": {"isAllPetCode": true}, "serviceFilter": true});
    for (key, value) in changes.as_object().unwrap() {
        all[key] = value.clone();
    }
    all
}

impl Inn {
    /// A service made through the operator API; returns its `svc_` ID.
    async fn service(&self, body: Value) -> String {
        let made = self
            .app
            .operator_post(&format!("/moego/companies/{}/services", self.company), body)
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
        made.body["serviceId"].as_str().unwrap().to_string()
    }

    async fn services(&self, body: Value) -> common::Reply {
        let reply = self
            .app
            .moego_post(&self.auth, "/v1/offerings/services:list", body)
            .await;
        if reply.status == 200 {
            assert_moego(
                OFFERING,
                "businessofferingv1ListServicesResponse",
                &reply.body,
            );
        }
        reply
    }
}

fn ids_of(services: &Value) -> Value {
    services
        .as_array()
        .map(|services| {
            services
                .iter()
                .map(|service| service["id"].clone())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn services_follow_pet_filters_kinds_and_add_on_choices_per_pet() {
    let inn = inn().await;
    let poodle = inn.app.create_pet(&inn.auth, &inn.customer, "Pom").await;
    let lab = {
        let reply = inn
            .app
            .moego_post(
                &inn.auth,
                &format!("/v1/customers/{}/pets", inn.customer),
                json!({"pet": {"name": "Max", "type": "DOG", "breed": "Labrador"}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["pet"]["id"].as_str().unwrap().to_string()
    };
    let biter = inn.app.create_pet_code(0, "BT").await;
    let coded = inn
        .app
        .moego_post(
            &inn.auth,
            &format!("/v1/customers/{}/pets/{lab}/codes", inn.customer),
            json!({"petCodeIds": [biter]}),
        )
        .await;
    assert_eq!(coded.status, 200, "{}", coded.text);
    let groom = |name: &str, extra: Value| {
        let mut body = json!({"name": name, "serviceItemType": "GROOMING", "price": "50",
                              "serviceTime": 60, "filters": filters(json!({}))});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let full_groom = inn.service(groom("Full Groom", json!({}))).await;
    let poodle_cut = inn
        .service(groom(
            "Poodle Cut",
            json!({"filters": filters(json!({
            "breedFilter": false,
            "customizedBreeds": [{"petTypeName": "Dog", "breeds": ["poodle"]}]}))}),
        ))
        .await;
    let calm_only = inn
        .service(groom("Calm Spa", json!({"filters": filters(json!({
            "petCodeFilter": {"isAllPetCode": false, "isWhiteList": false, "petCodeIds": [biter]}}))})))
        .await;
    let nails = inn
        .service(groom("Nail Trim", json!({"serviceType": "ADDON", "price": "15", "filters": filters(json!({
            "serviceFilter": false,
            "serviceFilterList": [{"serviceItemType": "GROOMING", "availableServiceIdList": [full_groom]}]}))})))
        .await;

    // Per pet: the poodle takes all three primary services, the coded labrador only the
    // full groom; available to both: the full groom alone.
    let both = inn
        .services(json!({"companyId": inn.company, "businessId": inn.business,
                         "petIds": [poodle, lab], "serviceType": "SERVICE"}))
        .await;
    assert_eq!(both.status, 200, "{}", both.text);
    assert_eq!(
        ids_of(&both.body["services"]),
        json!([inn.boarding, full_groom, poodle_cut, calm_only])
    );
    assert_eq!(
        both.body["availableServiceIds"],
        json!([inn.boarding, full_groom])
    );
    assert_eq!(both.body["petServices"][0]["petId"], poodle.as_str());
    assert_eq!(
        ids_of(&both.body["petServices"][0]["services"]),
        json!([inn.boarding, full_groom, poodle_cut, calm_only])
    );
    assert_eq!(
        ids_of(&both.body["petServices"][1]["services"]),
        json!([inn.boarding, full_groom])
    );
    assert_eq!(both.body["services"][1]["price"]["units"], "50");
    assert_eq!(both.body["services"][1]["serviceTime"], 60);

    // Kinds: grooming only; add-ons go with the primary service chosen.
    let grooming = inn
        .services(
            json!({"companyId": inn.company, "serviceItemType": "GROOMING",
                         "petIds": [lab]}),
        )
        .await;
    assert_eq!(
        ids_of(&grooming.body["services"]),
        json!([full_groom, nails])
    );
    let with_full = inn
        .services(json!({"companyId": inn.company, "serviceType": "ADDON",
                         "selectedServiceIds": [full_groom]}))
        .await;
    assert_eq!(ids_of(&with_full.body["services"]), json!([nails]));
    let with_cut = inn
        .services(json!({"companyId": inn.company, "serviceType": "ADDON",
                         "selectedServiceIds": [poodle_cut]}))
        .await;
    assert!(with_cut.body.get("services").is_none(), "{}", with_cut.text);
    // Without pets there is no per-pet view; every listed service is available.
    assert!(with_full.body.get("petServices").is_none());
    assert_eq!(with_full.body["availableServiceIds"], json!([nails]));

    // Paged.
    let first = inn
        .services(json!({"companyId": inn.company, "pagination": {"pageSize": 2}}))
        .await;
    assert_eq!(
        ids_of(&first.body["services"]),
        json!([inn.boarding, full_groom])
    );
    assert_eq!(first.body["nextPageToken"], "2");

    for (body, code, field) in [
        (
            json!({"companyId": inn.company, "petIds": [poodle, poodle]}),
            3,
            "petIds[1]",
        ),
        (
            json!({"companyId": inn.company, "startDate": {"year": 2030, "month": 6, "day": 5},
                "endDate": {"year": 2030, "month": 6, "day": 4}}),
            3,
            "endDate",
        ),
        (
            json!({"companyId": inn.company, "startDate": {"year": 2030, "month": 13, "day": 5}}),
            3,
            "startDate",
        ),
        (
            json!({"companyId": inn.company, "selectedServiceIds": ["svc_nope"]}),
            13,
            "obfuscate",
        ),
        (
            json!({"companyId": inn.company, "serviceItemType": "KENNEL"}),
            3,
            "serviceItemType",
        ),
    ] {
        let reply = inn.services(body.clone()).await;
        assert_eq!(reply.body["code"], code, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
}

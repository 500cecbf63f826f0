//! MoeGo service catalog and lodgings (SettingService) over HTTP: fidelity to the vendor
//! swagger, updates, paging and filters, money and reference checks, tenancy, the operator's
//! booking settings and the fixtures that seed them.

mod common;

use common::fidelity::assert_moego;
use common::settings_services::SETTING;
use common::TestApp;
use moapi::fixtures::Fixtures;
use moapi::operator::{self, MoegoKeyRequest};
use moapi_core::IdKind;
use reqwest::Method;
use serde_json::{json, Value};

/// A USD google.type.Money as protojson writes it (a zero `nanos` left out).
fn usd(units: &str, nanos: i64) -> Value {
    let mut money = json!({"currencyCode": "USD", "units": units});
    if nanos != 0 {
        money["nanos"] = json!(nanos);
    }
    money
}

/// A valid grooming service body named `name`, with `extra`'s fields added or replaced.
fn grooming(name: &str, extra: Value) -> Value {
    let mut body = json!({
        "name": name,
        "serviceItemType": "GROOMING",
        "serviceType": "SERVICE",
        "price": usd("40", 0),
        "serviceTime": 60,
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body
}

/// Creates a service of company A and returns its body, which must be a swagger Service.
async fn created(app: &TestApp, body: Value) -> Value {
    let reply = app.create_service(0, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(SETTING, "businesssettingv1Service", &reply.body);
    reply.body
}

#[track_caller]
fn assert_error(reply: &common::Reply, status: u16, code: i64, needle: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(reply.body["code"], code, "{}", reply.text);
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains(needle),
        "{needle:?} not in {}",
        reply.text
    );
    assert_moego(SETTING, "googlerpcStatus", &reply.body);
}

async fn put_service(app: &TestApp, auth: &str, path: &str, body: Value) -> common::Reply {
    app.moego_request(Method::PUT, auth, path, Some(body)).await
}

#[tokio::test]
async fn a_created_service_reads_back_with_every_field() {
    let app = common::spawn().await;
    let business = app.seed.moego[0].business_ids[0].clone();
    let ann = app.staff_id(0, "Ann").await;
    let service = created(
        &app,
        json!({
            "name": "  Full Groom ",
            "serviceItemType": "GROOMING",
            "serviceType": "SERVICE",
            "price": usd("45", 500_000_000),
            "serviceTime": "90",
            "availableBusinessIds": [business],
            "availableAllStaff": false,
            "available_staff_ids": [ann],
        }),
    )
    .await;
    assert_eq!(service["name"], "Full Groom");
    assert_eq!(service["price"], usd("45", 500_000_000));
    assert_eq!(service["serviceTime"], 90);
    assert_eq!(service["serviceItemType"], "GROOMING");
    assert!(
        service.get("availableAllBusiness").is_none(),
        "false is omitted"
    );
    assert_eq!(service["availableBusinessIds"], json!([business]));
    assert_eq!(service["availableStaffIds"], json!([ann]));
    assert_eq!(service["breedFilter"], true, "every pet by default");
    assert_eq!(service["petCodeFilter"], json!({"isAllPetCode": true}));
    let id = service["id"].as_str().unwrap();
    assert!(id.starts_with("svc_"), "{id}");
    assert_eq!(
        app.state
            .ids
            .decode(IdKind::Service, id)
            .unwrap()
            .to_string(),
        service["rawId"].as_str().unwrap()
    );

    let got = app
        .moego_get(
            &app.moego_auth(0),
            &app.setting_path(0, &format!("services/{id}")),
        )
        .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_moego(SETTING, "businesssettingv1Service", &got.body);
    assert_eq!(got.body, service);

    // The older businessIds field names the businesses when availableBusinessIds is absent.
    let second = app.seed.moego[0].business_ids[1].clone();
    let by_business_ids = created(&app, grooming("Bath", json!({"businessIds": [second]}))).await;
    assert_eq!(by_business_ids["availableBusinessIds"], json!([second]));
    assert!(by_business_ids.get("availableAllBusiness").is_none());
}

#[tokio::test]
async fn an_update_replaces_what_it_sends_and_keeps_the_rest() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.seed.moego[0].business_ids[1].clone();
    let service = created(
        &app,
        grooming("Trim", json!({"availableBusinessIds": [business]})),
    )
    .await;
    let path = app.setting_path(0, &format!("services/{}", service["id"].as_str().unwrap()));

    let renamed = put_service(
        &app,
        &auth,
        &path,
        json!({"name": "Deluxe Trim", "price": usd("55", 0)}),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_moego(SETTING, "businesssettingv1Service", &renamed.body);
    assert_eq!(renamed.body["name"], "Deluxe Trim");
    assert_eq!(renamed.body["price"], usd("55", 0));
    assert_eq!(
        renamed.body["serviceTime"], 60,
        "absent fields keep their value"
    );
    assert_eq!(renamed.body["availableBusinessIds"], json!([business]));

    let everywhere = put_service(
        &app,
        &auth,
        &path,
        json!({"name": "Deluxe Trim", "price": usd("55", 0), "availableAllBusiness": true,
               "availableBusinessIds": [], "serviceTime": 45}),
    )
    .await;
    assert_eq!(everywhere.status, 200, "{}", everywhere.text);
    assert_eq!(everywhere.body["availableAllBusiness"], true);
    assert!(everywhere.body.get("availableBusinessIds").is_none());
    assert_eq!(everywhere.body["serviceTime"], 45);

    // name and price are required by the swagger; a name another service has is taken.
    let no_name = put_service(&app, &auth, &path, json!({"price": usd("1", 0)})).await;
    assert_error(&no_name, 400, 3, "name");
    let no_price = put_service(&app, &auth, &path, json!({"name": "X"})).await;
    assert_error(&no_price, 400, 3, "price");
    created(&app, grooming("Other", json!({}))).await;
    let taken = put_service(
        &app,
        &auth,
        &path,
        json!({"name": "other", "price": usd("1", 0)}),
    )
    .await;
    assert_error(&taken, 409, 6, "name");
    assert_error(
        &app.create_service(0, grooming("OTHER", json!({}))).await,
        409,
        6,
        "name",
    );

    // An inactive service still reads back but leaves the list.
    let inactive = put_service(
        &app,
        &auth,
        &path,
        json!({"name": "Deluxe Trim", "price": usd("55", 0), "inactive": true}),
    )
    .await;
    assert_eq!(inactive.status, 200, "{}", inactive.text);
    assert_eq!(app.moego_get(&auth, &path).await.status, 200);
    let list = app
        .moego_post(
            &auth,
            &app.setting_path(0, "services:list"),
            json!({"pagination": {"pageSize": 10}}),
        )
        .await;
    let names: Vec<&str> = list.body["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| service["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Other"]);
}

async fn list_names(app: &TestApp, auth: &str, index: usize, body: Value) -> (Vec<String>, String) {
    let reply = app
        .moego_post(auth, &app.setting_path(index, "services:list"), body)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(SETTING, "v1ListServicesResponse", &reply.body);
    let names = reply.body["services"]
        .as_array()
        .map(|services| {
            services
                .iter()
                .map(|service| service["name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    let token = reply.body["nextPageToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (names, token)
}

#[tokio::test]
async fn the_list_pages_and_filters_by_item_type_and_business() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let (one, two) = (
        app.seed.moego[0].business_ids[0].clone(),
        app.seed.moego[0].business_ids[1].clone(),
    );
    created(&app, grooming("G1", json!({}))).await;
    created(&app, grooming("G2", json!({"availableBusinessIds": [one]}))).await;
    created(&app, grooming("G3", json!({"availableBusinessIds": [two]}))).await;
    for (name, business) in [("B1", &one), ("B2", &two)] {
        created(
            &app,
            json!({"name": name, "serviceItemType": "BOARDING", "serviceType": "SERVICE",
                   "price": usd("70", 0), "availableBusinessIds": [business]}),
        )
        .await;
    }
    let mut pages = Vec::new();
    let mut token = String::new();
    loop {
        let (names, next) = list_names(
            &app,
            &auth,
            0,
            json!({"pagination": {"pageSize": 2, "pageToken": token}}),
        )
        .await;
        pages.push(names);
        if next.is_empty() {
            break;
        }
        token = next;
    }
    assert_eq!(pages, [vec!["G1", "G2"], vec!["G3", "B1"], vec!["B2"]]);

    let boarding = list_names(
        &app,
        &auth,
        0,
        json!({"pagination": {"pageSize": 10}, "filter": {"itemTypes": ["BOARDING"]}}),
    )
    .await;
    assert_eq!(
        boarding,
        (vec!["B1".to_string(), "B2".to_string()], String::new())
    );
    let at_two = list_names(
        &app,
        &auth,
        0,
        json!({"pagination": {"pageSize": 10}, "businessIds": [two]}),
    )
    .await;
    assert_eq!(at_two.0, ["G1", "G3", "B2"]);
    let groomed_at_one = list_names(
        &app,
        &auth,
        0,
        json!({"pagination": {"pageSize": 10}, "businessIds": [one],
               "filter": {"item_types": ["GROOMING", "DAYCARE"]}}),
    )
    .await;
    assert_eq!(groomed_at_one.0, ["G1", "G2"]);

    let list = |body: Value| {
        let app = &app;
        let auth = auth.clone();
        async move {
            app.moego_post(&auth, &app.setting_path(0, "services:list"), body)
                .await
        }
    };
    assert_error(&list(json!({})).await, 400, 3, "pagination");
    assert_error(
        &list(json!({"pagination": {"pageSize": 10}, "filter": {"itemTypes": ["SERVICE_ITEM_TYPE_UNSPECIFIED"]}})).await,
        400,
        3,
        "filter.itemTypes",
    );
    assert_error(
        &list(json!({"pagination": {"pageSize": 10}, "businessIds": [app.seed.moego[1].business_ids[0]]})).await,
        403,
        7,
        "no permission",
    );
}

#[tokio::test]
async fn money_and_times_are_checked() {
    let app = common::spawn().await;
    let cases = [
        (
            json!({"price": {"currencyCode": "USD", "units": "1", "nanos": -5}}),
            "price",
        ),
        (
            json!({"price": {"currencyCode": "USD", "units": "1", "nanos": 1_000_000_000}}),
            "price",
        ),
        (
            json!({"price": {"currencyCode": "usd", "units": "1"}}),
            "price",
        ),
        (json!({"price": {"units": "1"}}), "currencyCode"),
        (json!({"price": usd("-1", 0)}), "negative"),
        (json!({"price": usd("1", 5_000_000)}), "decimal places"),
        (
            json!({"price": {"currencyCode": "EUR", "units": "10"}}),
            "must be USD",
        ),
        (json!({"serviceTime": 0}), "serviceTime"),
        (json!({"serviceTime": 1441}), "serviceTime"),
        (
            json!({"serviceItemType": "SERVICE_ITEM_TYPE_UNSPECIFIED"}),
            "serviceItemType",
        ),
        (
            json!({"serviceType": "SERVICE_TYPE_UNSPECIFIED"}),
            "serviceType",
        ),
        (json!({"name": "   "}), "name"),
        (json!({"name": "x".repeat(151)}), "name"),
        (
            json!({"availableAllBusiness": false}),
            "availableBusinessIds",
        ),
    ];
    for (patch, needle) in cases {
        let reply = app.create_service(0, grooming("Bad", patch.clone())).await;
        assert_error(&reply, 400, 3, needle);
    }
    let unknown_enum = app
        .create_service(0, grooming("Bad", json!({"serviceItemType": "SPA"})))
        .await;
    assert_error(&unknown_enum, 400, 3, "serviceItemType");
    assert_eq!(app.count_rows("moego_services").await, 0);

    // A business that charges in CAD prices its services in CAD.
    let (one, two) = (
        app.seed.moego[0].business_ids[0].clone(),
        app.seed.moego[0].business_ids[1].clone(),
    );
    let settings = app
        .put_booking_settings(
            &one,
            json!({"currencyCode": "CAD", "taxRate": "13", "taxName": "HST"}),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    let cad = json!({"currencyCode": "CAD", "units": "30"});
    let at_one = |price: Value| {
        grooming(
            "Local",
            json!({"price": price, "availableBusinessIds": [one]}),
        )
    };
    assert_error(
        &app.create_service(0, at_one(usd("30", 0))).await,
        400,
        3,
        "must be CAD",
    );
    let local = created(&app, at_one(cad.clone())).await;
    assert_eq!(local["price"], cad);
    // Offered everywhere, the service would be priced in both CAD and USD.
    let mixed = app
        .create_service(0, grooming("Everywhere", json!({"price": cad})))
        .await;
    assert_error(&mixed, 400, 3, "different currencies");
    created(
        &app,
        grooming("At two", json!({"availableBusinessIds": [two]})),
    )
    .await;
    // Business one cannot go back to USD while a CAD service is offered there.
    let back = app
        .put_booking_settings(&one, json!({"currencyCode": "USD"}))
        .await;
    assert_eq!(back.status, 409, "{}", back.text);
    assert!(back.text.contains("Local"), "{}", back.text);
}

#[tokio::test]
async fn references_must_be_the_companys() {
    let app = common::spawn().await;
    let foreign_business = app.seed.moego[1].business_ids[0].clone();
    let foreign_staff = app.staff_id(1, "Dee").await;
    let deleted_staff = app.staff_id(0, "Cid").await;
    let unknown_business = app.state.ids.encode(IdKind::Business, 999_999);
    let unknown_staff = app.state.ids.encode(IdKind::Staff, 999_999);
    for (patch, status, code) in [
        (json!({"availableBusinessIds": [foreign_business]}), 403, 7),
        (json!({"businessIds": [foreign_business]}), 403, 7),
        (json!({"availableStaffIds": [foreign_staff]}), 403, 7),
        (json!({"availableBusinessIds": [unknown_business]}), 404, 5),
        (json!({"availableStaffIds": [unknown_staff]}), 404, 5),
        (json!({"availableStaffIds": [deleted_staff]}), 400, 9),
        (json!({"availableStaffIds": ["stf_garbage!"]}), 400, 13),
    ] {
        let reply = app.create_service(0, grooming("Ref", patch.clone())).await;
        assert_eq!(
            (
                reply.status,
                reply.body["code"].as_i64().unwrap_or_default()
            ),
            (status, code),
            "{patch}: {}",
            reply.text
        );
    }
    let auth = app.moego_auth(0);
    let unknown = app.state.ids.encode(IdKind::Service, 999_999);
    let missing = app
        .moego_get(&auth, &app.setting_path(0, &format!("services/{unknown}")))
        .await;
    assert_error(&missing, 404, 5, "service");
    let missing_update = put_service(
        &app,
        &auth,
        &app.setting_path(0, &format!("services/{unknown}")),
        json!({"name": "X", "price": usd("1", 0)}),
    )
    .await;
    assert_error(&missing_update, 404, 5, "service");
    let malformed = app
        .moego_get(&auth, &app.setting_path(0, "services/srv_nope"))
        .await;
    assert_error(&malformed, 400, 13, "invalid obfuscate");
}

#[tokio::test]
async fn tenants_see_only_their_own_catalog() {
    let app = common::spawn().await;
    let (alpha, beta) = (app.moego_auth(0), app.moego_auth(1));
    let one = app.seed.moego[0].business_ids[0].clone();
    let two = app.seed.moego[0].business_ids[1].clone();
    let at_one = created(
        &app,
        grooming("At one", json!({"availableBusinessIds": [one]})),
    )
    .await;
    created(&app, grooming("Everywhere", json!({}))).await;
    let id = at_one["id"].as_str().unwrap();

    // Beta's key reaches neither Alpha's company nor its services.
    let foreign_list = app
        .moego_post(
            &beta,
            &app.setting_path(0, "services:list"),
            json!({"pagination": {"pageSize": 10}}),
        )
        .await;
    assert_error(&foreign_list, 403, 7, "no permission");
    let through_own_company = app
        .moego_get(&beta, &app.setting_path(1, &format!("services/{id}")))
        .await;
    assert_error(&through_own_company, 403, 7, "no permission");
    let foreign_create = app
        .moego_post(
            &beta,
            &app.setting_path(0, "services"),
            grooming("Sneaky", json!({})),
        )
        .await;
    assert_error(&foreign_create, 403, 7, "no permission");
    let foreign_update = put_service(
        &app,
        &beta,
        &app.setting_path(1, &format!("services/{id}")),
        json!({"name": "Stolen", "price": usd("1", 0)}),
    )
    .await;
    assert_error(&foreign_update, 403, 7, "no permission");
    let (beta_names, _) = list_names(&app, &beta, 1, json!({"pagination": {"pageSize": 10}})).await;
    assert!(beta_names.is_empty(), "{beta_names:?}");

    // A key of business two sees what is offered there, and cannot price for business one.
    let key = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            businesses: vec![two.clone()],
            ..Default::default()
        })
        .await;
    let (names, _) = list_names(
        &app,
        &key.authorization,
        0,
        json!({"pagination": {"pageSize": 10}}),
    )
    .await;
    assert_eq!(names, ["Everywhere"]);
    let hidden = app
        .moego_get(
            &key.authorization,
            &app.setting_path(0, &format!("services/{id}")),
        )
        .await;
    assert_error(&hidden, 403, 7, "no permission");
    let elsewhere = app
        .moego_post(
            &key.authorization,
            &app.setting_path(0, "services"),
            grooming("Elsewhere", json!({"availableBusinessIds": [one]})),
        )
        .await;
    assert_error(&elsewhere, 403, 7, "no permission");

    // A key limited to reads cannot write.
    let reader = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            scopes: vec!["settings:read".into()],
            ..Default::default()
        })
        .await;
    let refused = app
        .moego_post(
            &reader.authorization,
            &app.setting_path(0, "services"),
            grooming("Read only", json!({})),
        )
        .await;
    assert_error(&refused, 403, 7, "settings:write");
    assert_eq!(
        app.moego_get(&alpha, &app.setting_path(0, &format!("services/{id}")))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn lodgings_list_each_type_with_its_units() {
    let app = common::spawn().await;
    let (one, two) = (
        app.seed.moego[0].business_ids[0].clone(),
        app.seed.moego[0].business_ids[1].clone(),
    );
    let suite = app
        .create_lodging_type(
            &one,
            json!({"name": "Suite", "description": "Quiet", "photoList": ["https://img.example/s.jpg"],
                   "maxPetNum": 2, "units": ["S1", "S2"]}),
        )
        .await;
    assert_eq!(suite.status, 201, "{}", suite.text);
    let yard = app
        .create_lodging_type(
            &two,
            json!({"name": "Yard", "maxPetNum": 10, "unitType": "AREA", "units": ["Big yard"]}),
        )
        .await;
    assert_eq!(yard.status, 201, "{}", yard.text);
    let beta_business = app.seed.moego[1].business_ids[0].clone();
    let kennel = app
        .create_lodging_type(&beta_business, json!({"name": "Kennel"}))
        .await;
    assert_eq!(kennel.status, 201, "{}", kennel.text);
    for bad in [
        json!({"name": ""}),
        json!({"name": "X", "maxPetNum": 0}),
        json!({"name": "X", "unitType": "LODGING_UNIT_TYPE_UNSPECIFIED"}),
        json!({"name": "X", "units": ["A", "A"]}),
        json!({"name": "X", "photoList": ["http://insecure.example/p.jpg"]}),
    ] {
        let reply = app.create_lodging_type(&one, bad.clone()).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
    }

    let lodgings = |auth: String, index: usize| {
        let app = &app;
        async move {
            let reply = app
                .moego_post(&auth, &app.setting_path(index, "lodgings"), json!({}))
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            assert_moego(SETTING, "v1ListLodgingsResponse", &reply.body);
            reply.body
        }
    };
    let alpha = lodgings(app.moego_auth(0), 0).await;
    assert_eq!(
        alpha["lodgings"][0],
        json!({
            "lodgingType": {
                "id": suite.body["lodgingTypeId"], "name": "Suite", "description": "Quiet",
                "photoList": ["https://img.example/s.jpg"], "maxPetNum": 2, "lodgingUnitType": "ROOM"
            },
            "lodgingUnits": [
                {"id": suite.body["lodgingUnitIds"][0], "name": "S1"},
                {"id": suite.body["lodgingUnitIds"][1], "name": "S2"}
            ]
        })
    );
    assert_eq!(
        alpha["lodgings"][1]["lodgingType"]["lodgingUnitType"],
        "AREA"
    );
    assert_eq!(alpha["lodgings"].as_array().unwrap().len(), 2);
    let beta = lodgings(app.moego_auth(1), 1).await;
    assert_eq!(beta["lodgings"].as_array().unwrap().len(), 1);
    assert!(beta["lodgings"][0].get("lodgingUnits").is_none());

    let key = app
        .issue_moego_key(MoegoKeyRequest {
            company: app.seed.moego[0].company_id.clone(),
            businesses: vec![two],
            ..Default::default()
        })
        .await;
    let limited = lodgings(key.authorization, 0).await;
    assert_eq!(limited["lodgings"].as_array().unwrap().len(), 1);
    assert_eq!(limited["lodgings"][0]["lodgingType"]["name"], "Yard");
    let foreign = app
        .moego_post(
            &app.moego_auth(1),
            &app.setting_path(0, "lodgings"),
            json!({}),
        )
        .await;
    assert_error(&foreign, 403, 7, "no permission");
}

#[tokio::test]
async fn booking_settings_and_closed_dates_are_validated_and_stored() {
    let app = common::spawn().await;
    let one = app.seed.moego[0].business_ids[0].clone();
    for (bad, needle) in [
        (json!({"currencyCode": "usd"}), "currencyCode"),
        (json!({"taxRate": "101"}), "taxRate"),
        (json!({"taxRate": "eight"}), "taxRate"),
        (json!({"workingHours": {"FUNDAY": []}}), "FUNDAY"),
        (
            json!({"workingHours": {"MONDAY": [{"start": 600, "end": 540}]}}),
            "MONDAY",
        ),
        (
            json!({"workingHours": {"MONDAY": [{"start": 540, "end": 720}, {"start": 700, "end": 900}]}}),
            "overlap",
        ),
        (
            json!({"workingHours": {"MONDAY": [{"start": 0, "end": 1441}]}}),
            "MONDAY",
        ),
    ] {
        let reply = app.put_booking_settings(&one, bad.clone()).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
        assert!(reply.text.contains(needle), "{needle}: {}", reply.text);
    }
    let reply = app
        .put_booking_settings(
            &one,
            json!({"currencyCode": "USD", "taxRate": "8.250", "taxName": "Sales tax",
                   "workingHours": {"TUESDAY": [{"start": 840, "end": 1080}, {"start": 540, "end": 720}], "SUNDAY": []}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let stored: (String, String, String, String) = sqlx::query_as(
        "SELECT currency_code, tax_rate, tax_name, working_hours FROM moego_business_settings",
    )
    .fetch_one(app.state.db.conn().get().await.unwrap())
    .await
    .unwrap();
    assert_eq!(
        stored,
        (
            "USD".into(),
            "8.25".into(),
            "Sales tax".into(),
            r#"{"TUESDAY":[{"start":540,"end":720},{"start":840,"end":1080}]}"#.into()
        )
    );

    let closed = |body: Value| {
        let app = &app;
        let one = one.clone();
        async move {
            app.send(
                app.admin(
                    Method::POST,
                    &format!("/moego/businesses/{one}/closed-dates"),
                )
                .json(&body),
            )
            .await
        }
    };
    assert_eq!(closed(json!({"startDate": "2026-02-30"})).await.status, 400);
    assert_eq!(
        closed(json!({"startDate": "2026-03-02", "endDate": "2026-03-01"}))
            .await
            .status,
        400
    );
    let holiday = closed(
        json!({"startDate": "2026-12-24", "endDate": "2026-12-26", "description": "Holidays"}),
    )
    .await;
    assert_eq!(holiday.status, 201, "{}", holiday.text);
    let single = closed(json!({"startDate": "2026-07-04"})).await;
    assert_eq!(single.status, 201, "{}", single.text);
    let days: Vec<(String, String)> =
        sqlx::query_as("SELECT start_date, end_date FROM moego_closed_dates ORDER BY id")
            .fetch_all(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    assert_eq!(
        days,
        [
            ("2026-12-24".to_string(), "2026-12-26".to_string()),
            ("2026-07-04".to_string(), "2026-07-04".to_string())
        ]
    );
    let id = holiday.body["closedDateId"].as_str().unwrap();
    let delete = || app.send(app.admin(Method::DELETE, &format!("/moego/closed-dates/{id}")));
    assert_eq!(delete().await.status, 200);
    assert_eq!(delete().await.status, 404);
    assert_eq!(app.count_rows("moego_closed_dates").await, 1);
}

#[tokio::test]
async fn the_demo_fixtures_seed_the_catalog_that_the_api_lists() {
    let app = common::spawn().await;
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    let happy = &report.moego[0];
    let (names, _) = {
        let reply = app
            .moego_post(
                &happy.authorization,
                &format!("/v1/setting/companies/{}/services:list", happy.company_id),
                json!({"pagination": {"pageSize": 50}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(SETTING, "v1ListServicesResponse", &reply.body);
        let services = reply.body["services"].as_array().unwrap().clone();
        let full_groom = &services[0];
        assert_eq!(full_groom["price"], usd("85", 0));
        assert_eq!(full_groom["availableStaffIds"].as_array().unwrap().len(), 3);
        let daycare = &services[3];
        assert_eq!(
            daycare["availableBusinessIds"],
            json!([happy.business_ids[1]])
        );
        (
            services
                .iter()
                .map(|service| service["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>(),
            (),
        )
    };
    assert_eq!(
        names,
        ["Full Groom", "Bath & Brush", "Nail Trim", "Puppy Daycare"]
    );

    let waggin = &report.moego[1];
    let lodgings = app
        .moego_post(
            &waggin.authorization,
            &format!("/v1/setting/companies/{}/lodgings", waggin.company_id),
            json!({}),
        )
        .await;
    assert_eq!(lodgings.status, 200, "{}", lodgings.text);
    assert_eq!(
        lodgings.body["lodgings"][0]["lodgingUnits"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let boarding = app
        .moego_post(
            &waggin.authorization,
            &format!("/v1/setting/companies/{}/services:list", waggin.company_id),
            json!({"pagination": {"pageSize": 50}, "filter": {"itemTypes": ["BOARDING"]}}),
        )
        .await;
    assert_eq!(
        boarding.body["services"][0]["price"],
        json!({"currencyCode": "CAD", "units": "65"}),
        "priced in the business's currency"
    );
    let (settings, closed): ((i64,), (i64,)) = (
        sqlx::query_as("SELECT COUNT(*) FROM moego_business_settings")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap(),
        sqlx::query_as("SELECT COUNT(*) FROM moego_closed_dates")
            .fetch_one(app.state.db.conn().get().await.unwrap())
            .await
            .unwrap(),
    );
    assert_eq!((settings.0, closed.0), (3, 2));

    // A fixture naming a business or staff member the company lacks is refused by name.
    let typo = Fixtures::parse(
        r#"
moego:
  - name: Typo Org
    companies:
      - name: Typo Co
        businesses: [{ name: Main }]
        services:
          - { name: Groom, serviceItemType: GROOMING, price: "10", serviceTime: 30, staff: [Nobody Here] }
"#,
    )
    .unwrap();
    let refused = operator::seed(&app.state, &mut app.state.db.conn(), typo)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("Nobody Here"), "{refused}");
}

#[tokio::test]
async fn a_staff_member_deleted_later_does_not_block_an_update() {
    let app = common::spawn().await;
    let bob = app.staff_id(0, "Bob").await;
    let service = created(
        &app,
        grooming("Bob's cut", json!({"availableStaffIds": [bob]})),
    )
    .await;
    let raw = app.state.ids.decode(IdKind::Staff, &bob).unwrap();
    sqlx::query("UPDATE moego_staff SET deleted = 1 WHERE id = $1")
        .bind(raw)
        .execute(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    let path = app.setting_path(0, &format!("services/{}", service["id"].as_str().unwrap()));
    let auth = app.moego_auth(0);
    let renamed = put_service(
        &app,
        &auth,
        &path,
        json!({"name": "Cut", "price": usd("40", 0)}),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["availableStaffIds"], json!([bob]));
    // Naming the deleted member anew, on another service, is refused.
    let again = app
        .create_service(
            0,
            grooming("Another cut", json!({"availableStaffIds": [bob]})),
        )
        .await;
    assert_error(&again, 400, 9, "deleted");
}

#[tokio::test]
async fn the_openapi_document_describes_the_service_and_lodging_operations() {
    let app = common::spawn().await;
    let document = app
        .send(app.client.get(app.url("/moego/openapi.json")))
        .await;
    assert_eq!(document.status, 200);
    let paths = &document.body["paths"];
    for (path, method, operation) in [
        (
            "/v1/setting/companies/{companyId}/services",
            "post",
            "SettingService_CreateService",
        ),
        (
            "/v1/setting/companies/{companyId}/services/{id}",
            "get",
            "SettingService_GetService",
        ),
        (
            "/v1/setting/companies/{companyId}/services/{id}",
            "put",
            "SettingService_UpdateService",
        ),
        (
            "/v1/setting/companies/{companyId}/services:list",
            "post",
            "SettingService_ListServices",
        ),
        (
            "/v1/setting/companies/{companyId}/lodgings",
            "post",
            "SettingService_ListLodgings",
        ),
    ] {
        assert_eq!(
            paths[path][method]["operationId"], operation,
            "{path} {method}"
        );
    }
    let schemas = &document.body["components"]["schemas"];
    for name in [
        "businesssettingv1Service",
        "v1ListServicesResponse",
        "v1Lodging",
    ] {
        assert!(schemas[name].is_object(), "{name}");
    }
}

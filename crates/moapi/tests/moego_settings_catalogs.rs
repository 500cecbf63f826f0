//! MoeGo SettingService catalog lists over HTTP: each lists what operators created, in
//! creation order (custom fields by displayOrder), faithful to the vendor swagger; the
//! associationTypes filter; tenancy, scopes and bad input; fixtures seed every catalog.

mod common;

use common::catalogs::{CATALOG_LISTS, SETTING};
use common::fidelity::assert_moego;
use common::{Reply, TestApp};
use moapi::fixtures::Fixtures;
use moapi::operator::{self, MoegoKeyRequest};
use reqwest::Method;
use serde_json::{json, Value};

/// The `field` of every entry of the response's `array`.
fn column(reply: &Reply, array: &str, field: &str) -> Vec<String> {
    reply.body[array]
        .as_array()
        .unwrap_or_else(|| panic!("{array} in {}", reply.text))
        .iter()
        .map(|entry| entry[field].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn created(app: &TestApp, catalog: &str, body: Value) -> Value {
    let reply = app.create_catalog_entry(0, catalog, body).await;
    assert_eq!(reply.status, 201, "{catalog}: {}", reply.text);
    reply.body
}

/// Custom fields of every value type with a default, in an order their displayOrder changes.
fn custom_fields() -> Vec<Value> {
    vec![
        json!({"associationType": "CUSTOMER", "code": "budget", "label": "Budget", "type": "MONEY",
               "displayOrder": 5, "defaultValue": {"money": {"currencyCode": "USD", "units": "25", "nanos": 500000000}}}),
        json!({"associationType": "LEAD", "code": "channel", "label": "Channel", "type": "SELECT",
               "displayOrder": 1, "isRequired": true, "helpText": "Where they found us",
               "options": [{"value": {"string": "web"}, "label": "Web", "sortOrder": 2},
                           {"value": {"string": "walk_in"}, "label": "Walk-in", "sortOrder": 1}],
               "defaultValue": {"string": "web"}}),
        json!({"associationType": "CUSTOMER", "code": "days", "label": "Days", "type": "MULTI_SELECT",
               "displayOrder": 1,
               "options": [{"value": {"string": "mon"}, "label": "Monday"}, {"value": {"string": "tue"}, "label": "Tuesday"}],
               "defaultValue": {"stringList": {"values": ["tue"]}}}),
        json!({"associationType": "CUSTOMER", "code": "visits", "label": "Visits", "type": "NUMBER",
               "displayOrder": 3, "defaultValue": {"int64": 0}}),
        json!({"associationType": "CUSTOMER", "code": "pickup", "label": "Pick-up time", "type": "TIME",
               "displayOrder": 3, "defaultValue": {"timeOfDay": {"hours": 17, "minutes": 30}}}),
        json!({"associationType": "LEAD", "code": "since", "label": "Since", "type": "DATETIME",
               "displayOrder": 4, "defaultValue": {"timestampTime": "2026-01-02T03:04:05-05:00"}}),
        json!({"associationType": "CUSTOMER", "code": "vip", "label": "VIP", "type": "BOOLEAN",
               "displayOrder": 4, "defaultValue": {"bool": false}, "source": "SYSTEM"}),
        json!({"associationType": "CUSTOMER", "code": "notes", "label": "Notes", "type": "LONG_TEXT"}),
    ]
}

/// Company A's catalogs, created through the operator API in a deliberately unsorted order.
async fn seed_alpha(app: &TestApp) {
    for name in ["VIP", "Nervous"] {
        created(app, "customer-tags", json!({"name": name})).await;
    }
    for name in ["Yelp", "Google"] {
        created(app, "referral-sources", json!({"name": name})).await;
    }
    for name in ["Dog", "Cat"] {
        created(app, "pet-types", json!({"name": name})).await;
    }
    for name in ["Short", "Curly"] {
        created(app, "pet-coat-types", json!({"name": name})).await;
    }
    created(app, "pet-sizes", json!({"name": "Small", "weightLow": {"value": 0, "unit": "POUND"}, "weightHigh": {"value": 20, "unit": "POUND"}})).await;
    created(app, "pet-sizes", json!({"name": "Any"})).await;
    for field in custom_fields() {
        created(app, "custom-fields", field).await;
    }
    for abbreviation in ["SR", "AG"] {
        app.create_pet_code(0, abbreviation).await;
    }
    created(
        app,
        "lead-life-cycles",
        json!({"name": "New", "isDefault": true}),
    )
    .await;
    created(app, "lead-life-cycles", json!({"name": "Contacted"})).await;
    created(
        app,
        "lead-action-statuses",
        json!({"name": "Call back", "color": "#FB8C00"}),
    )
    .await;
}

#[tokio::test]
async fn each_catalog_lists_what_was_created_in_creation_order_as_the_swagger_defines() {
    let app = common::spawn().await;
    seed_alpha(&app).await;
    let (auth, company) = (app.moego_auth(0), app.seed.moego[0].company_id.clone());
    let mut replies = Vec::new();
    for list in &CATALOG_LISTS {
        let reply = app
            .list_catalog(&auth, &company, list.path, json!({}))
            .await;
        assert_eq!(reply.status, 200, "{}: {}", list.path, reply.text);
        assert_moego(SETTING, list.definition, &reply.body);
        replies.push(reply);
    }
    let [fields, sources, tags, statuses, cycles, coats, codes, sizes, types] = &replies[..] else {
        unreachable!()
    };
    assert_eq!(column(tags, "tags", "name"), ["VIP", "Nervous"]);
    assert!(tags.body["tags"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("ctag_"));
    assert!(tags.body["tags"][0]["lastUpdatedTime"].is_string());
    assert_eq!(
        column(sources, "referralSources", "name"),
        ["Yelp", "Google"]
    );
    assert_eq!(column(types, "petTypes", "name"), ["Dog", "Cat"]);
    assert_eq!(column(coats, "petCoatTypes", "name"), ["Short", "Curly"]);
    assert_eq!(column(codes, "codes", "abbreviation"), ["SR", "AG"]);
    assert_eq!(codes.body["codes"][0]["color"], "#FF0000");
    assert_eq!(column(cycles, "lifeCycles", "name"), ["New", "Contacted"]);
    assert_eq!(cycles.body["lifeCycles"][0]["isDefault"], true);
    assert!(cycles.body["lifeCycles"][1].get("isDefault").is_none());
    assert_eq!(
        statuses.body["actionStatuses"],
        json!([{"id": statuses.body["actionStatuses"][0]["id"], "name": "Call back", "color": "#FB8C00"}])
    );
    assert_eq!(
        sizes.body["petSizes"][0]["weightHigh"],
        json!({"value": 20, "unit": "POUND"})
    );
    assert_eq!(
        sizes.body["petSizes"][0]["weightLow"],
        json!({"unit": "POUND"})
    );
    assert!(sizes.body["petSizes"][1].get("weightLow").is_none());
    assert_eq!(
        column(fields, "customFields", "code"),
        ["notes", "channel", "days", "visits", "pickup", "since", "vip", "budget"],
        "by displayOrder, then creation"
    );
    let by_code = |code: &str| {
        fields.body["customFields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|field| field["code"] == code)
            .unwrap()
            .clone()
    };
    let channel = by_code("channel");
    assert_eq!(channel["companyId"], company.as_str());
    assert_eq!(channel["type"], "SELECT");
    assert_eq!(channel["associationType"], "LEAD");
    assert_eq!(channel["source"], "CUSTOM");
    assert_eq!(channel["isRequired"], true);
    assert_eq!(
        channel["options"],
        json!([{"value": {"string": "walk_in"}, "label": "Walk-in", "sortOrder": 1},
               {"value": {"string": "web"}, "label": "Web", "sortOrder": 2}]),
        "options in sortOrder"
    );
    assert_eq!(channel["defaultValue"], json!({"string": "web"}));
    assert_eq!(by_code("visits")["defaultValue"], json!({"int64": "0"}));
    assert_eq!(by_code("vip")["defaultValue"], json!({"bool": false}));
    assert_eq!(by_code("vip")["source"], "SYSTEM");
    assert_eq!(
        by_code("since")["defaultValue"],
        json!({"timestampTime": "2026-01-02T08:04:05Z"})
    );
    assert_eq!(
        by_code("pickup")["defaultValue"],
        json!({"timeOfDay": {"hours": 17, "minutes": 30}})
    );
    assert_eq!(
        by_code("budget")["defaultValue"],
        json!({"money": {"currencyCode": "USD", "units": "25", "nanos": 500000000}})
    );
    let notes = by_code("notes");
    assert!(notes.get("defaultValue").is_none() && notes.get("options").is_none());
    assert!(notes.get("displayOrder").is_none());
    assert!(notes["createTime"].is_string() && notes["updateTime"].is_string());
}

#[tokio::test]
async fn custom_fields_filter_by_association_type() {
    let app = common::spawn().await;
    for field in custom_fields() {
        created(&app, "custom-fields", field).await;
    }
    let (auth, company) = (app.moego_auth(0), app.seed.moego[0].company_id.clone());
    let list = |filter: Value| {
        let (app, auth, company) = (&app, &auth, &company);
        async move {
            let reply = app
                .list_catalog(auth, company, "/custom_fields", json!({ "filter": filter }))
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            assert_moego(SETTING, "v1ListCustomFieldsResponse", &reply.body);
            column(&reply, "customFields", "code")
        }
    };
    assert_eq!(
        list(json!({"associationTypes": ["LEAD"]})).await,
        ["channel", "since"]
    );
    assert_eq!(
        list(json!({"associationTypes": ["CUSTOMER"]})).await,
        ["notes", "days", "visits", "pickup", "vip", "budget"]
    );
    assert_eq!(
        list(json!({"associationTypes": ["CUSTOMER", "LEAD"]}))
            .await
            .len(),
        8
    );
    assert_eq!(list(json!({"associationTypes": []})).await.len(), 8);
    assert_eq!(list(json!({})).await.len(), 8);
}

#[tokio::test]
async fn a_company_without_catalogs_lists_empty_arrays() {
    let app = common::spawn().await;
    seed_alpha(&app).await;
    let (auth, company) = (app.moego_auth(1), app.seed.moego[1].company_id.clone());
    for list in &CATALOG_LISTS {
        let reply = app
            .list_catalog(&auth, &company, list.path, json!({}))
            .await;
        assert_eq!(reply.status, 200, "{}: {}", list.path, reply.text);
        assert_eq!(reply.body, json!({ list.array: [] }), "{}", list.path);
        assert_moego(SETTING, list.definition, &reply.body);
    }
}

#[tokio::test]
async fn another_company_unknown_or_malformed_ids_and_missing_scope_are_refused() {
    let app = common::spawn().await;
    seed_alpha(&app).await;
    let alpha = app.seed.moego[0].company_id.clone();
    let beta_auth = app.moego_auth(1);
    let unknown = app.state.ids.encode(moapi_core::IdKind::Company, 999_999);
    let customers_only = app
        .issue_moego_key(MoegoKeyRequest {
            company: alpha.clone(),
            scopes: vec!["customers:read".into()],
            ..Default::default()
        })
        .await;
    for list in &CATALOG_LISTS {
        let foreign = app
            .list_catalog(&beta_auth, &alpha, list.path, json!({}))
            .await;
        assert_eq!(
            (foreign.status, foreign.body["code"].as_i64()),
            (403, Some(7)),
            "{}: {}",
            list.path,
            foreign.text
        );
        assert_moego(SETTING, "googlerpcStatus", &foreign.body);
        let missing = app
            .list_catalog(&beta_auth, &unknown, list.path, json!({}))
            .await;
        assert_eq!(missing.body["code"], 5, "{}: {}", list.path, missing.text);
        let malformed = app
            .list_catalog(&beta_auth, "cmp_nope", list.path, json!({}))
            .await;
        assert_eq!(
            (malformed.status, malformed.body["message"].as_str()),
            (400, Some("invalid obfuscate")),
            "as every module answers a malformed ID; {}",
            list.path
        );
        let unscoped = app
            .list_catalog(&customers_only.authorization, &alpha, list.path, json!({}))
            .await;
        assert_eq!(unscoped.body["code"], 7, "{}: {}", list.path, unscoped.text);
    }
}

#[tokio::test]
async fn a_bad_association_type_filter_is_invalid_argument() {
    let app = common::spawn().await;
    let (auth, company) = (app.moego_auth(0), app.seed.moego[0].company_id.clone());
    for filter in [
        json!({"associationTypes": ["PET"]}),
        json!({"associationTypes": ["ASSOCIATION_TYPE_UNSPECIFIED"]}),
        json!({"associationTypes": "LEAD"}),
        json!({"associationTypes": vec!["LEAD"; 1001]}),
    ] {
        let reply = app
            .list_catalog(
                &auth,
                &company,
                "/custom_fields",
                json!({ "filter": filter }),
            )
            .await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (400, Some(3)),
            "{filter}: {}",
            reply.text
        );
        assert!(reply.body["message"]
            .as_str()
            .unwrap()
            .contains("associationTypes"));
    }
}

#[tokio::test]
async fn the_operator_refuses_invalid_and_duplicate_entries() {
    let app = common::spawn().await;
    let select = |options: Value, default: Value| {
        json!({"associationType": "CUSTOMER", "code": "pick", "label": "Pick", "type": "SELECT",
               "options": options, "defaultValue": default})
    };
    let one_option = json!([{"value": {"string": "a"}, "label": "A"}]);
    for (catalog, body) in [
        ("customer-tags", json!({"name": "  "})),
        ("referral-sources", json!({"name": "x".repeat(101)})),
        ("pet-types", json!({"name": "Dog", "extra": 1})),
        (
            "pet-sizes",
            json!({"name": "Odd", "weightLow": {"value": 9, "unit": "POUND"}}),
        ),
        (
            "pet-sizes",
            json!({"name": "Odd", "weightLow": {"value": 9, "unit": "POUND"}, "weightHigh": {"value": 5, "unit": "POUND"}}),
        ),
        (
            "pet-sizes",
            json!({"name": "Odd", "weightLow": {"value": 1, "unit": "POUND"}, "weightHigh": {"value": 5, "unit": "KILOGRAM"}}),
        ),
        (
            "custom-fields",
            json!({"associationType": "ASSOCIATION_TYPE_UNSPECIFIED", "code": "a", "label": "A", "type": "SHORT_TEXT"}),
        ),
        (
            "custom-fields",
            json!({"associationType": "CUSTOMER", "code": "has space", "label": "A", "type": "SHORT_TEXT"}),
        ),
        (
            "custom-fields",
            json!({"associationType": "CUSTOMER", "code": "a", "label": "", "type": "SHORT_TEXT"}),
        ),
        (
            "custom-fields",
            json!({"associationType": "CUSTOMER", "code": "a", "label": "A", "type": "TYPE_UNSPECIFIED"}),
        ),
        (
            "custom-fields",
            json!({"associationType": "CUSTOMER", "code": "a", "label": "A", "type": "SHORT_TEXT", "options": one_option}),
        ),
        ("custom-fields", select(json!([]), Value::Null)),
        (
            "custom-fields",
            select(one_option.clone(), json!({"string": "b"})),
        ),
        (
            "custom-fields",
            select(one_option.clone(), json!({"string": "a", "bool": true})),
        ),
        (
            "custom-fields",
            select(
                json!([{"value": {"int64": 1}, "label": "One"}]),
                Value::Null,
            ),
        ),
        (
            "custom-fields",
            json!({"associationType": "LEAD", "code": "n", "label": "N", "type": "NUMBER", "defaultValue": {"string": "1"}}),
        ),
        (
            "custom-fields",
            json!({"associationType": "LEAD", "code": "m", "label": "M", "type": "MONEY", "defaultValue": {"money": {"currencyCode": "usd", "units": "1"}}}),
        ),
        (
            "custom-fields",
            json!({"associationType": "LEAD", "code": "t", "label": "T", "type": "TIME", "defaultValue": {"timeOfDay": {"hours": 24}}}),
        ),
        (
            "custom-fields",
            json!({"associationType": "LEAD", "code": "d", "label": "D", "type": "DATE", "defaultValue": {"timestampTime": "yesterday"}}),
        ),
        (
            "custom-fields",
            json!({"associationType": "LEAD", "code": "r", "label": "R", "type": "RELATION", "defaultValue": {"relation": {"entity": "CUSTOMER", "id": "1"}}}),
        ),
        (
            "custom-fields",
            json!({"associationType": "LEAD", "code": "g", "label": "G", "type": "GROUP", "defaultValue": {"bool": true}}),
        ),
    ] {
        let reply = app.create_catalog_entry(0, catalog, body.clone()).await;
        assert!(
            matches!(reply.status, 400 | 422),
            "{catalog} {body}: {} {}",
            reply.status,
            reply.text
        );
    }
    let fields_before = app.count_rows("moego_custom_fields").await;
    assert_eq!(fields_before, 0, "nothing invalid was stored");
    for (catalog, body) in [
        ("customer-tags", json!({"name": "VIP"})),
        ("referral-sources", json!({"name": "Yelp"})),
        ("pet-types", json!({"name": "Dog"})),
        ("pet-coat-types", json!({"name": "Short"})),
        ("pet-sizes", json!({"name": "Small"})),
        (
            "custom-fields",
            json!({"associationType": "LEAD", "code": "x", "label": "X", "type": "SHORT_TEXT"}),
        ),
    ] {
        created(&app, catalog, body.clone()).await;
        let again = app.create_catalog_entry(0, catalog, body.clone()).await;
        assert_eq!(again.status, 409, "{catalog}: {}", again.text);
        let elsewhere = app.create_catalog_entry(1, catalog, body).await;
        assert_eq!(
            elsewhere.status, 201,
            "names are unique per company: {}",
            elsewhere.text
        );
    }
    let same_code_other_association = app
        .create_catalog_entry(
            0,
            "custom-fields",
            json!({"associationType": "CUSTOMER", "code": "x", "label": "X", "type": "SHORT_TEXT"}),
        )
        .await;
    assert_eq!(same_code_other_association.status, 201);
}

#[tokio::test]
async fn the_demo_fixtures_seed_every_catalog() {
    let app = common::spawn().await;
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    let demo = &report.moego[0];
    for list in &CATALOG_LISTS {
        let reply = app
            .list_catalog(&demo.authorization, &demo.company_id, list.path, json!({}))
            .await;
        assert_eq!(reply.status, 200, "{}: {}", list.path, reply.text);
        assert_moego(SETTING, list.definition, &reply.body);
        assert!(
            !reply.body[list.array].as_array().unwrap().is_empty(),
            "the demo company has {}",
            list.array
        );
    }
    let tags = app
        .list_catalog(
            &demo.authorization,
            &demo.company_id,
            "/customer/tags:list",
            json!({}),
        )
        .await;
    assert_eq!(
        column(&tags, "tags", "name"),
        ["VIP", "New client", "Senior discount"],
        "customers' tags reuse the catalog's"
    );
    let leads = app
        .moego_post(
            &demo.authorization,
            "/v1/leads:list",
            json!({"companyId": demo.company_id, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(
        leads.body["leads"][0]["referralSource"]["name"], "Yelp",
        "a fixture lead names its referral source: {}",
        leads.text
    );
    let invalid = Fixtures::parse(
        "moego:\n  - name: Org\n    companies:\n      - name: C\n        petSizes: [{ name: S, weightLow: { value: 1, unit: POUND } }]\n",
    )
    .expect("the fixture parses");
    let companies_before = app.count_rows("moego_companies").await;
    let refused = operator::seed(&app.state, &mut app.state.db.conn(), invalid)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("petSizes"), "{refused}");
    assert_eq!(
        app.count_rows("moego_companies").await,
        companies_before,
        "a bad catalog entry refuses the fixture before anything is written"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_catalog_lists() {
    let app = common::spawn().await;
    let document = app
        .send(app.client.get(app.url("/moego/openapi.json")))
        .await;
    for list in &CATALOG_LISTS {
        let path = format!("/v1/setting/companies/{{companyId}}{}", list.path);
        assert!(document.body["paths"][&path]["post"].is_object(), "{path}");
    }
    let schemas = &document.body["components"]["schemas"];
    assert!(schemas["businesssettingv1PetType"]["properties"]["name"].is_object());
    assert!(
        schemas["v1PetType"]["enum"].is_array(),
        "the pet swagger's v1PetType enum keeps its name"
    );
    assert!(schemas["v1CustomFieldValue"]["properties"]["timeOfDay"].is_object());
}

#[tokio::test]
async fn the_operator_renames_entries_and_replaces_pet_sizes_and_the_lists_follow() {
    let app = common::spawn().await;
    let (auth, company) = (app.moego_auth(0), app.seed.moego[0].company_id.clone());
    let edit = |method: Method, path: String, body: Value| {
        app.send(
            app.admin(method, &format!("/moego/companies/{company}/{path}"))
                .json(&body),
        )
    };
    let tag = created(&app, "customer-tags", json!({"name": "VIP"})).await["tagId"].clone();
    created(&app, "customer-tags", json!({"name": "Nervous"})).await;
    let source = created(&app, "referral-sources", json!({"name": "Yelp"})).await;
    let source = source["referralSourceId"].as_str().unwrap().to_string();
    let size = created(
        &app,
        "pet-sizes",
        json!({"name": "Small", "weightLow": {"value": 1, "unit": "POUND"}, "weightHigh": {"value": 10, "unit": "POUND"}}),
    )
    .await["petSizeId"]
        .clone();
    let tag = tag.as_str().unwrap();

    let renamed = edit(
        Method::PATCH,
        format!("customer-tags/{tag}"),
        json!({"name": " VVIP "}),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body, json!({"tagId": tag, "name": "VVIP"}));
    let renamed = edit(
        Method::PATCH,
        format!("referral-sources/{source}"),
        json!({"name": "Google"}),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let replaced = edit(
        Method::PUT,
        format!("pet-sizes/{}", size.as_str().unwrap()),
        json!({"name": "Toy", "weightLow": {"value": 2, "unit": "KILOGRAM"}, "weightHigh": {"value": 4, "unit": "KILOGRAM"}}),
    )
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);

    let list = |path: &'static str| app.list_catalog(&auth, &company, path, json!({}));
    let tags = list("/customer/tags:list").await;
    assert_eq!(column(&tags, "tags", "name"), ["VVIP", "Nervous"]);
    let sources = list("/customer/referral_sources:list").await;
    assert_eq!(column(&sources, "referralSources", "name"), ["Google"]);
    let sizes = list("/pet/sizes:list").await;
    assert_moego(SETTING, "v1ListPetSizesResponse", &sizes.body);
    assert_eq!(column(&sizes, "petSizes", "name"), ["Toy"]);
    assert_eq!(
        sizes.body["petSizes"][0]["weightHigh"]["unit"], "KILOGRAM",
        "{}",
        sizes.text
    );

    // A name the company has is a conflict, a bad one invalid; nothing changes either way.
    let taken = edit(
        Method::PATCH,
        format!("customer-tags/{tag}"),
        json!({"name": "Nervous"}),
    )
    .await;
    assert_eq!(taken.status, 409, "{}", taken.text);
    let blank = edit(
        Method::PATCH,
        format!("customer-tags/{tag}"),
        json!({"name": " "}),
    )
    .await;
    assert_eq!(blank.status, 400, "{}", blank.text);
    let inverted = edit(
        Method::PUT,
        format!("pet-sizes/{}", size.as_str().unwrap()),
        json!({"name": "Toy", "weightLow": {"value": 9, "unit": "POUND"}, "weightHigh": {"value": 5, "unit": "POUND"}}),
    )
    .await;
    assert_eq!(inverted.status, 400, "{}", inverted.text);
    let tags = list("/customer/tags:list").await;
    assert_eq!(column(&tags, "tags", "name"), ["VVIP", "Nervous"]);

    // Another company's entry, an unknown one and a malformed ID are refused.
    let other = app
        .create_catalog_entry(1, "customer-tags", json!({"name": "Theirs"}))
        .await;
    let theirs = other.body["tagId"].as_str().unwrap();
    for (entry, status) in [(theirs, 404), ("ctag_unknown", 400), ("999999", 404)] {
        let refused = edit(
            Method::PATCH,
            format!("customer-tags/{entry}"),
            json!({"name": "Mine"}),
        )
        .await;
        assert_eq!(refused.status, status, "{entry}: {}", refused.text);
    }
    let missing_size = edit(
        Method::PUT,
        "pet-sizes/999999".to_string(),
        json!({"name": "Toy"}),
    )
    .await;
    assert_eq!(missing_size.status, 404, "{}", missing_size.text);
}

#[tokio::test]
async fn the_operator_replaces_pet_codes_and_lead_settings_and_the_lists_follow() {
    let app = common::spawn().await;
    let (auth, company) = (app.moego_auth(0), app.seed.moego[0].company_id.clone());
    let replace = |path: String, body: Value| {
        app.send(
            app.admin(Method::PUT, &format!("/moego/companies/{company}/{path}"))
                .json(&body),
        )
    };
    let code = created(
        &app,
        "pet-codes",
        json!({"abbreviation": "SR", "color": "#FF0000"}),
    )
    .await;
    let code = code["petCodeId"].as_str().unwrap().to_string();
    let cycle = created(&app, "lead-life-cycles", json!({"name": "New"})).await;
    let cycle = cycle["lifeCycleId"].as_str().unwrap().to_string();
    let status = created(&app, "lead-action-statuses", json!({"name": "Call back"})).await;
    let status = status["actionStatusId"].as_str().unwrap().to_string();

    let answers = [
        (
            format!("pet-codes/{code}"),
            json!({"abbreviation": "AG", "description": "Aggressive", "color": "#00FF00"}),
            json!({"petCodeId": code}),
        ),
        (
            format!("lead-life-cycles/{cycle}"),
            json!({"name": "Qualified", "isDefault": true}),
            json!({"lifeCycleId": cycle}),
        ),
        (
            format!("lead-action-statuses/{status}"),
            json!({"name": "Email", "color": "#0000FF"}),
            json!({"actionStatusId": status}),
        ),
    ];
    for (path, body, answer) in answers {
        let reply = replace(path.clone(), body).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert_eq!(reply.body, answer);
    }
    let list = |path: &'static str| app.list_catalog(&auth, &company, path, json!({}));
    let codes = list("/pet/codes:list").await;
    assert_eq!(column(&codes, "codes", "abbreviation"), ["AG"]);
    assert_eq!(codes.body["codes"][0]["description"], "Aggressive");
    assert_eq!(codes.body["codes"][0]["color"], "#00FF00");
    let cycles = list("/leads/life_cycles").await;
    assert_eq!(column(&cycles, "lifeCycles", "name"), ["Qualified"]);
    assert_eq!(cycles.body["lifeCycles"][0]["isDefault"], true);
    let statuses = list("/leads/action_status").await;
    assert_eq!(
        statuses.body["actionStatuses"],
        json!([{"id": status, "name": "Email", "color": "#0000FF"}])
    );

    // Bad input changes nothing; another company's or an unknown entry is not found.
    let bad_color = replace(
        format!("pet-codes/{code}"),
        json!({"abbreviation": "XX", "color": "green"}),
    )
    .await;
    assert_eq!(bad_color.status, 400, "{}", bad_color.text);
    let no_name = replace(format!("lead-life-cycles/{cycle}"), json!({"name": ""})).await;
    assert_eq!(no_name.status, 400, "{}", no_name.text);
    assert_eq!(
        column(&list("/pet/codes:list").await, "codes", "abbreviation"),
        ["AG"]
    );
    let theirs = app
        .create_catalog_entry(1, "pet-codes", json!({"abbreviation": "TH"}))
        .await;
    let theirs = theirs.body["petCodeId"].as_str().unwrap().to_string();
    let unknown = replace(
        "lead-action-statuses/999999".to_string(),
        json!({"name": "X"}),
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    let other = replace(format!("pet-codes/{theirs}"), json!({"abbreviation": "X"})).await;
    assert_eq!(other.status, 404, "{}", other.text);
}

#[tokio::test]
async fn the_operator_replaces_a_custom_field_but_not_what_its_values_depend_on() {
    let app = common::spawn().await;
    let (auth, company) = (app.moego_auth(0), app.seed.moego[0].company_id.clone());
    let field = json!({"associationType": "CUSTOMER", "code": "pick", "label": "Pick",
                       "type": "SELECT", "options": [{"value": {"string": "a"}, "label": "A"}]});
    let id = created(&app, "custom-fields", field).await["customFieldId"]
        .as_str()
        .unwrap()
        .to_string();
    let replace = |body: Value| {
        app.send(
            app.admin(
                Method::PUT,
                &format!("/moego/companies/{company}/custom-fields/{id}"),
            )
            .json(&body),
        )
    };
    let replaced = replace(json!({"associationType": "CUSTOMER", "code": "pick",
        "label": "Pick one", "type": "SELECT", "isRequired": true, "helpText": "Any",
        "options": [{"value": {"string": "a"}, "label": "A"}, {"value": {"string": "b"}, "label": "B"}],
        "defaultValue": {"string": "b"}}))
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_eq!(replaced.body, json!({"customFieldId": id}));
    let listed = app
        .list_catalog(&auth, &company, "/custom_fields", json!({}))
        .await;
    assert_moego(SETTING, "v1ListCustomFieldsResponse", &listed.body);
    let stored = &listed.body["customFields"][0];
    assert_eq!(stored["label"], "Pick one");
    assert_eq!(stored["isRequired"], true);
    assert_eq!(stored["defaultValue"], json!({"string": "b"}));
    assert_eq!(stored["options"].as_array().unwrap().len(), 2);

    // The code or type cannot change; a default outside the options is invalid; either way
    // nothing changes.
    let recoded = replace(json!({"associationType": "CUSTOMER", "code": "other",
        "label": "Other", "type": "SELECT", "options": [{"value": {"string": "a"}, "label": "A"}]}))
    .await;
    assert_eq!(recoded.status, 409, "{}", recoded.text);
    let retyped = replace(json!({"associationType": "CUSTOMER", "code": "pick",
        "label": "Pick", "type": "SHORT_TEXT"}))
    .await;
    assert_eq!(retyped.status, 409, "{}", retyped.text);
    let bad_default = replace(json!({"associationType": "CUSTOMER", "code": "pick",
        "label": "Pick", "type": "SELECT", "options": [{"value": {"string": "a"}, "label": "A"}],
        "defaultValue": {"string": "z"}}))
    .await;
    assert_eq!(bad_default.status, 400, "{}", bad_default.text);
    let again = app
        .list_catalog(&auth, &company, "/custom_fields", json!({}))
        .await;
    assert_eq!(again.body["customFields"][0], *stored);

    let missing = app
        .send(
            app.admin(
                Method::PUT,
                &format!("/moego/companies/{company}/custom-fields/999999"),
            )
            .json(&json!({"associationType": "CUSTOMER", "code": "pick", "label": "P", "type": "SHORT_TEXT"})),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
}

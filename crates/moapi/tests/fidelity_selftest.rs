//! Self-test of the schema fidelity helper (`tests/common/fidelity.rs`):
//! it must accept conforming values and reject misnamed fields, wrong
//! encodings, wrong enums and bad formats.

#[path = "common/fidelity.rs"]
mod fidelity;

use fidelity::{assert_moego, assert_mogu, moego_violations, mogu_violations};
use serde_json::{json, Value};

const COMPANY: &str = "company/v1/company_service.swagger.json";
const STAFF: &str = "staff/v1/staff_service.swagger.json";
const BUSINESS: &str = "business/v1/business_service.swagger.json";

fn company() -> Value {
    json!({
        "id": "cmp_x",
        "rawId": "42",
        "name": "A",
        "country": "US",
        "timezone": {"id": "America/New_York"}
    })
}

fn expect_fail(violations: Vec<String>, needle: &str) {
    assert!(
        !violations.is_empty(),
        "expected a violation mentioning {needle:?}, got none"
    );
    assert!(
        violations.iter().any(|v| v.contains(needle)),
        "expected a violation mentioning {needle:?}, got {violations:#?}"
    );
}

// ---------------------------------------------------------------- MoeGo

#[test]
fn moego_company_passes() {
    assert_moego(COMPANY, "v1Company", &company());
    assert!(moego_violations(COMPANY, "v1Company", &company()).is_empty());
}

#[test]
fn moego_company_raw_id_as_number_fails() {
    let mut v = company();
    v["rawId"] = json!(42);
    expect_fail(moego_violations(COMPANY, "v1Company", &v), "/rawId");
}

#[test]
fn moego_company_raw_id_not_decimal_fails() {
    for bad in ["abc", "4.2", "", "042", "-0", "1e3"] {
        let mut v = company();
        v["rawId"] = json!(bad);
        expect_fail(moego_violations(COMPANY, "v1Company", &v), "/rawId");
    }
    let mut v = company();
    v["rawId"] = json!("-9223372036854775808");
    assert_moego(COMPANY, "v1Company", &v);
}

#[test]
fn moego_company_extra_field_fails() {
    let mut v = company();
    v["foo"] = json!(1);
    expect_fail(moego_violations(COMPANY, "v1Company", &v), "foo");
}

#[test]
fn moego_company_nested_extra_field_fails() {
    let mut v = company();
    v["timezone"]["offset"] = json!("-05:00");
    expect_fail(moego_violations(COMPANY, "v1Company", &v), "/timezone");
}

#[test]
fn moego_company_misnamed_field_fails() {
    let mut v = company();
    let raw = v.as_object_mut().unwrap().remove("rawId").unwrap();
    v["raw_id"] = raw;
    expect_fail(moego_violations(COMPANY, "v1Company", &v), "raw_id");
}

#[test]
#[should_panic(expected = "/rawId")]
fn moego_assert_panics_with_path() {
    let mut v = company();
    v["rawId"] = json!(42);
    assert_moego(COMPANY, "v1Company", &v);
}

#[test]
fn moego_status_passes() {
    let v = json!({"code": 7, "message": "no permission to access the resource", "details": []});
    assert_moego(COMPANY, "googlerpcStatus", &v);
}

#[test]
fn moego_status_any_details_stay_open() {
    let v = json!({
        "code": 3,
        "message": "bad",
        "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": []}]
    });
    assert_moego(COMPANY, "googlerpcStatus", &v);
}

#[test]
fn moego_status_bad_values_fail() {
    let v = json!({"code": "7", "message": "x"});
    expect_fail(moego_violations(COMPANY, "googlerpcStatus", &v), "/code");
    let v = json!({"code": 4_294_967_296_i64, "message": "x"});
    expect_fail(moego_violations(COMPANY, "googlerpcStatus", &v), "/code");
    let v = json!({"code": 7, "message": "x", "error": "x"});
    expect_fail(moego_violations(COMPANY, "googlerpcStatus", &v), "error");
}

#[test]
fn moego_list_companies_passes() {
    let v = json!({"nextPageToken": "", "companies": [company()]});
    assert_moego(COMPANY, "v1ListCompaniesResponse", &v);
}

#[test]
fn moego_list_companies_numeric_page_token_fails() {
    let v = json!({"nextPageToken": 2, "companies": [company()]});
    expect_fail(
        moego_violations(COMPANY, "v1ListCompaniesResponse", &v),
        "/nextPageToken",
    );
}

#[test]
fn moego_list_companies_bad_item_fails() {
    let mut c = company();
    c["rawId"] = json!(42);
    let v = json!({"nextPageToken": "", "companies": [c]});
    expect_fail(
        moego_violations(COMPANY, "v1ListCompaniesResponse", &v),
        "/companies/0/rawId",
    );
}

#[test]
fn moego_staff_hired_time() {
    let ok = json!({"id": "stf_1", "firstName": "A", "hiredTime": "2024-01-02T03:04:05Z"});
    assert_moego(STAFF, "v1Staff", &ok);
    let bad = json!({"id": "stf_1", "firstName": "A", "hiredTime": "not-a-date"});
    expect_fail(moego_violations(STAFF, "v1Staff", &bad), "/hiredTime");
    let no_zone = json!({"hiredTime": "2024-01-02T03:04:05"});
    expect_fail(moego_violations(STAFF, "v1Staff", &no_zone), "/hiredTime");
}

#[test]
fn moego_business_address_type_enum() {
    let ok = json!({"id": "bus_1", "name": "B", "address": {"city": "NYC", "type": "PRIMARY"}});
    assert_moego(BUSINESS, "v1Business", &ok);
    let bad = json!({"id": "bus_1", "name": "B", "address": {"city": "NYC", "type": "HOME"}});
    expect_fail(
        moego_violations(BUSINESS, "v1Business", &bad),
        "/address/type",
    );
    let numeric = json!({"address": {"type": 1}});
    expect_fail(
        moego_violations(BUSINESS, "v1Business", &numeric),
        "/address/type",
    );
}

#[test]
fn moego_x_nullable_allows_null() {
    // `filter` is `x-nullable` (a $ref), `pagination` is not.
    let file = "webhook/v1/webhook_service.swagger.json";
    let ok = json!({"pagination": {}, "filter": null});
    assert_moego(file, "v1ListWebhooksRequest", &ok);
    let bad = json!({"pagination": null, "filter": null});
    expect_fail(
        moego_violations(file, "v1ListWebhooksRequest", &bad),
        "/pagination",
    );
}

#[test]
fn moego_empty_message_is_closed() {
    let file = "block/v1/block_service.swagger.json";
    assert_moego(file, "v1DeleteBlockResponse", &json!({}));
    expect_fail(
        moego_violations(file, "v1DeleteBlockResponse", &json!({"ok": true})),
        "ok",
    );
}

#[test]
#[should_panic(expected = "no schema named")]
fn moego_unknown_definition_panics() {
    moego_violations(COMPANY, "v1NoSuchThing", &json!({}));
}

#[test]
fn moego_every_reference_definition_compiles() {
    let root = fidelity::reference_dir().join("moego/openapi/moego/business");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".swagger.json") {
                files.push(
                    path.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    assert!(
        !files.is_empty(),
        "no swagger files under {}",
        root.display()
    );
    for file in files {
        for name in fidelity::moego_definition_names(&file) {
            // Compiles (panics otherwise); the value itself does not matter.
            moego_violations(&file, &name, &json!(null));
        }
    }
}

// ---------------------------------------------------------------- MOGU

fn doc_example(pointer: &str) -> Value {
    fidelity::mogu_document()
        .pointer(pointer)
        .cloned()
        .unwrap_or_else(|| panic!("no example at {pointer}"))
}

fn trip_example() -> Value {
    doc_example("/paths/~1trips~1{tripId}/get/responses/200/content/application~1json/example")
}

fn trip_list_item() -> Value {
    let mut item = trip_example();
    item["agentPictureUrl"] = json!("https://example.com/agent.png");
    item
}

fn paginated(item: Value) -> Value {
    json!({"data": [item], "page": 1, "pageSize": 20, "totalCount": 1, "totalPages": 1})
}

#[test]
fn mogu_trip_example_passes() {
    let trip = trip_example();
    assert_eq!(trip["id"], json!(12345));
    assert_mogu("Trip", &trip);
}

#[test]
fn mogu_trip_id_as_string_fails() {
    let mut trip = trip_example();
    trip["id"] = json!("12345");
    expect_fail(mogu_violations("Trip", &trip), "/id");
}

#[test]
fn mogu_trip_nullable_and_required() {
    let mut trip = trip_example();
    trip["seoDescription"] = Value::Null;
    trip["duration"] = Value::Null;
    assert_mogu("Trip", &trip);

    let mut trip = trip_example();
    trip["title"] = Value::Null;
    expect_fail(mogu_violations("Trip", &trip), "/title");

    let mut trip = trip_example();
    trip.as_object_mut().unwrap().remove("slug");
    expect_fail(mogu_violations("Trip", &trip), "slug");

    let mut trip = trip_example();
    trip["createdAt"] = json!("2025-01-15");
    expect_fail(mogu_violations("Trip", &trip), "/createdAt");

    let mut trip = trip_example();
    trip["countries"] = json!(["FR"]);
    expect_fail(mogu_violations("Trip", &trip), "/countries/0");
}

#[test]
fn mogu_paginated_trips_passes() {
    assert_mogu("PaginatedTrips", &paginated(trip_list_item()));
    assert_mogu("TripListItem", &trip_list_item());
}

#[test]
fn mogu_paginated_trips_unknown_item_field_fails() {
    let mut item = trip_list_item();
    item["agentAvatar"] = json!("https://example.com/a.png");
    expect_fail(
        mogu_violations("PaginatedTrips", &paginated(item)),
        "agentAvatar",
    );
}

#[test]
fn mogu_paginated_trips_unknown_envelope_field_fails() {
    let mut v = paginated(trip_list_item());
    v["meta"] = json!({});
    expect_fail(mogu_violations("PaginatedTrips", &v), "meta");
}

#[test]
fn mogu_paginated_trips_missing_total_count_fails() {
    let mut v = paginated(trip_list_item());
    v.as_object_mut().unwrap().remove("totalCount");
    expect_fail(mogu_violations("PaginatedTrips", &v), "totalCount");
}

#[test]
fn mogu_paginated_trips_bad_item_type_fails() {
    let mut item = trip_list_item();
    item["id"] = json!("12345");
    expect_fail(
        mogu_violations("PaginatedTrips", &paginated(item)),
        "/data/0/id",
    );
}

#[test]
fn mogu_validation_errors() {
    assert_mogu(
        "ValidationErrors",
        &json!({"errors": {"title": ["title is required"]}}),
    );
    expect_fail(
        mogu_violations("ValidationErrors", &json!({"errors": {"title": "x"}})),
        "/errors/title",
    );
    expect_fail(
        mogu_violations("ValidationErrors", &json!({"error": "x"})),
        "errors",
    );
}

#[test]
fn mogu_ai_job_status_example_passes() {
    let v = doc_example(
        "/paths/~1ai~1trips~1{publicId}~1status/get/responses/200/content/application~1json/examples/processing/value",
    );
    assert_mogu("AiJobStatus", &v);
    let mut bad = v.clone();
    bad["status"] = json!("done");
    expect_fail(mogu_violations("AiJobStatus", &bad), "/status");
    let mut bad = v;
    bad["jobId"] = json!("not-a-uuid");
    expect_fail(mogu_violations("AiJobStatus", &bad), "/jobId");
}

#[test]
fn mogu_one_of_discriminated_source() {
    let ok = json!({"source": {"type": "url", "url": "https://example.com/a.pdf"}});
    assert_mogu("CreateTripFromDocumentRequest", &ok);
    let ok = json!({"source": {"type": "inline", "data": "aGVsbG8=", "filename": "a.txt"}});
    assert_mogu("CreateTripFromDocumentRequest", &ok);
    let bad = json!({"source": {"type": "url", "text": "hello"}});
    expect_fail(
        mogu_violations("CreateTripFromDocumentRequest", &bad),
        "/source",
    );
    let bad = json!({"source": {"type": "inline", "data": "not base64!", "filename": "a"}});
    expect_fail(
        mogu_violations("CreateTripFromDocumentRequest", &bad),
        "/source",
    );
}

#[test]
fn mogu_explicitly_open_objects_stay_open() {
    let config = doc_example("/components/examples/TripConfigExample/value");
    assert_mogu("TripConfig", &config);
    let mut config = config;
    config["settings"]["somethingNew"] = json!(true);
    config["theme"] = json!({"primaryColor": "#fff"});
    assert_mogu("TripConfig", &config);
    config["contact"]["fax"] = json!("x");
    expect_fail(mogu_violations("TripConfig", &config), "fax");
}

/// Every JSON response example in the document must satisfy its own schema.
#[test]
fn mogu_all_document_examples_pass() {
    let doc = fidelity::mogu_document();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(op) = op.as_object() else { continue };
            // Responses only: two request-body examples are illustrative and
            // do not match their own schema (TripConfigUpdate example carries
            // `updatedAt`; the AiSourceInline example's base64 is elided "...").
            let mut media = Vec::new();
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                for (code, resp) in responses {
                    let resp = match resp.get("$ref").and_then(Value::as_str) {
                        Some(r) => doc
                            .pointer(r.trim_start_matches('#'))
                            .cloned()
                            .unwrap_or_else(|| panic!("dangling {r}")),
                        None => resp.clone(),
                    };
                    media.push((format!("{method} {path} {code}"), resp));
                }
            }
            for (what, holder) in media {
                let Some(content) = holder.pointer("/content/application~1json") else {
                    continue;
                };
                let Some(schema) = content.pointer("/schema/$ref").and_then(Value::as_str) else {
                    continue;
                };
                let name = schema.trim_start_matches("#/components/schemas/");
                let mut examples = Vec::new();
                if let Some(e) = content.get("example") {
                    examples.push(e.clone());
                }
                if let Some(map) = content.get("examples").and_then(Value::as_object) {
                    for ex in map.values() {
                        let ex = match ex.get("$ref").and_then(Value::as_str) {
                            Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap().clone(),
                            None => ex.clone(),
                        };
                        examples.push(ex["value"].clone());
                    }
                }
                for ex in examples {
                    checked += 1;
                    let v = mogu_violations(name, &ex);
                    if !v.is_empty() {
                        failures.push(format!("{what} ({name}): {v:#?}"));
                    }
                }
            }
        }
    }
    assert!(checked >= 5, "only {checked} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mogu_every_schema_compiles() {
    for name in fidelity::mogu_schema_names() {
        mogu_violations(&name, &json!(null));
    }
}

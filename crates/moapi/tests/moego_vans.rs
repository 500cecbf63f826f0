//! MoeGo vans (VanService) and their staff by date (VanRecordService) over HTTP: fidelity to
//! the vendor swaggers, assignments that hold from their date until the van's next one, one
//! van a day per staff member (also when assignments race), the business restriction, pages,
//! refusals in the dialect, the operator verbs and the fixture section with the demo set.

mod common;

use common::fidelity::assert_moego;
use common::{Reply, TestApp};
use moapi::fixtures::Fixtures;
use moapi::operator::{self, MoegoKeyRequest};
use reqwest::Method;
use serde_json::{json, Value};

const VAN: &str = "van/v1/van_service.swagger.json";
const VAN_RECORD: &str = "van_record/v1/van_record_service.swagger.json";

/// Alpha One (Ann works there) and Alpha Two (Ann and Bob).
fn businesses(app: &TestApp) -> (String, String) {
    let ids = &app.seed.moego[0].business_ids;
    (ids[0].clone(), ids[1].clone())
}

async fn create_van(app: &TestApp, business: &str, name: &str, plate: &str) -> String {
    let reply = app
        .send(
            app.admin(Method::POST, &format!("/moego/businesses/{business}/vans"))
                .json(&json!({"displayName": name, "licensePlate": plate})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["vanId"].as_str().unwrap().to_string()
}

async fn assign(app: &TestApp, van: &str, date: &str, staff: &[&str]) -> Reply {
    app.send(
        app.admin(
            Method::PUT,
            &format!("/moego/vans/{van}/assignments/{date}"),
        )
        .json(&json!({ "staffIds": staff })),
    )
    .await
}

async fn assigned(app: &TestApp, van: &str, date: &str, staff: &[&str]) {
    let reply = assign(app, van, date, staff).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn list_vans(app: &TestApp, auth: &str, body: Value) -> Reply {
    app.moego_post(auth, "/v1/vans:list", body).await
}

async fn records(app: &TestApp, auth: &str, body: Value) -> Reply {
    app.moego_post(auth, "/v1/van_staff_records:list", body)
        .await
}

/// The staff IDs of a van or record, in order.
fn staff_of(item: &Value) -> Vec<String> {
    item["assignedStaffs"]
        .as_array()
        .map(|staff| {
            staff
                .iter()
                .map(|member| member["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The staff of one van on a day, through `ListVanStaffRecords`.
async fn staff_on(app: &TestApp, van: &str, date: &str) -> Vec<String> {
    let reply = records(
        app,
        &app.moego_auth(0),
        json!({"vanIds": [van], "date": date, "pagination": {"pageSize": 10}}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(VAN_RECORD, "v1ListVanStaffRecordsResponse", &reply.body);
    assert_eq!(reply.body["records"][0]["date"], date);
    staff_of(&reply.body["records"][0])
}

/// Today in New York, Alpha Grooming's time zone.
fn alpha_today() -> chrono::NaiveDate {
    let zone: chrono_tz::Tz = "America/New_York".parse().unwrap();
    chrono::Utc::now().with_timezone(&zone).date_naive()
}

#[tokio::test]
async fn vans_and_their_records_are_listed_as_the_swaggers_say() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = app.seed.moego[0].company_id.clone();
    let (one, two) = businesses(&app);
    let (ann, ann_raw) = app.staff("Ann").await;
    let (bob, _) = app.staff("Bob").await;
    let van_a = create_van(&app, &one, "Van A", "ABC-123").await;
    let van_b = create_van(&app, &two, "Van B", "").await;
    assert!(van_a.starts_with("van_"), "{van_a}");
    let today = alpha_today();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    assigned(&app, &van_a, &day(-3), &[&ann]).await;
    // Bob joins Van B tomorrow: today it has no staff yet.
    assigned(&app, &van_b, &day(1), &[&bob]).await;

    let listed = list_vans(
        &app,
        &auth,
        json!({"companyId": company, "pagination": {"pageSize": 10}}),
    )
    .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(VAN, "v1ListVansResponse", &listed.body);
    let raw_a = app
        .state
        .ids
        .decode(moapi_core::IdKind::Van, &van_a)
        .unwrap();
    assert_eq!(
        listed.body,
        json!({"nextPageToken": "", "vans": [
            {"id": van_a, "rawId": raw_a.to_string(), "companyId": company, "businessId": one,
             "displayName": "Van A", "licensePlate": "ABC-123",
             "assignedStaffs": [{"id": ann, "rawId": ann_raw.to_string(), "name": "Ann Lee"}]},
            {"id": van_b, "rawId": (raw_a + 1).to_string(), "companyId": company,
             "businessId": two, "displayName": "Van B"},
        ]})
    );
    let narrowed = list_vans(
        &app,
        &auth,
        json!({"companyId": company, "businessIds": [two], "pagination": {"pageSize": 10}}),
    )
    .await;
    assert_eq!(narrowed.status, 200, "{}", narrowed.text);
    let ids: Vec<&Value> = narrowed.body["vans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|van| &van["id"])
        .collect();
    assert_eq!(ids, [&json!(van_b)]);

    let tomorrow = records(
        &app,
        &auth,
        json!({"vanIds": [van_b, van_a], "date": day(1), "pagination": {"pageSize": 10}}),
    )
    .await;
    assert_eq!(tomorrow.status, 200, "{}", tomorrow.text);
    assert_moego(VAN_RECORD, "v1ListVanStaffRecordsResponse", &tomorrow.body);
    assert_eq!(tomorrow.body["nextPageToken"], "");
    let records = tomorrow.body["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["vanId"], van_a, "by van ID");
    assert_eq!(records[0]["vanRawId"], raw_a.to_string());
    assert_eq!(records[0]["businessId"], one);
    assert_eq!(records[0]["date"], day(1));
    assert_eq!(staff_of(&records[0]), [ann.as_str()]);
    assert_eq!(records[1]["vanId"], van_b);
    assert_eq!(staff_of(&records[1]), [bob]);
    assert_eq!(records[1]["assignedStaffs"][0]["name"], "Bob");
}

#[tokio::test]
async fn an_assignment_holds_from_its_date_until_the_vans_next_and_is_replaced_on_its_date() {
    let app = common::spawn().await;
    let (_, two) = businesses(&app);
    let (ann, _) = app.staff("Ann").await;
    let (bob, _) = app.staff("Bob").await;
    let van = create_van(&app, &two, "Van", "").await;
    assigned(&app, &van, "2026-06-01", &[&bob, &ann]).await;
    assigned(&app, &van, "2026-06-10", &[&ann]).await;
    assert_eq!(
        staff_on(&app, &van, "2026-05-31").await,
        Vec::<String>::new()
    );
    assert_eq!(
        staff_on(&app, &van, "2026-06-01").await,
        [bob.as_str(), ann.as_str()],
        "in order"
    );
    assert_eq!(
        staff_on(&app, &van, "2026-06-09").await,
        [bob.as_str(), ann.as_str()]
    );
    assert_eq!(staff_on(&app, &van, "2026-06-10").await, [ann.as_str()]);
    assert_eq!(staff_on(&app, &van, "2030-01-01").await, [ann.as_str()]);

    // A later change for the same date replaces it; no staff is a van without staff.
    assigned(&app, &van, "2026-06-01", &[&ann, &bob]).await;
    assert_eq!(
        staff_on(&app, &van, "2026-06-05").await,
        [ann.as_str(), bob.as_str()]
    );
    assigned(&app, &van, "2026-06-01", &[]).await;
    assert_eq!(
        staff_on(&app, &van, "2026-06-05").await,
        Vec::<String>::new()
    );
    assert_eq!(staff_on(&app, &van, "2026-06-10").await, [ann.as_str()]);
    assert_eq!(app.count_rows("moego_van_assignments").await, 2);
}

#[tokio::test]
async fn a_staff_member_is_on_one_van_a_day() {
    let app = common::spawn().await;
    let (one, two) = businesses(&app);
    let (ann, _) = app.staff("Ann").await;
    let (bob, _) = app.staff("Bob").await;
    let van_a = create_van(&app, &one, "Van A", "").await;
    let van_b = create_van(&app, &two, "Van B", "").await;
    assigned(&app, &van_a, "2026-06-01", &[&ann]).await;
    assigned(&app, &van_a, "2026-06-10", &[]).await;

    // Van A has Ann from June 1 to 9: Van B may not have her on any of those days.
    for (date, staff, clash_day) in [
        ("2026-06-05", vec![ann.as_str()], "2026-06-05"),
        ("2026-05-01", vec![bob.as_str(), ann.as_str()], "2026-06-01"),
    ] {
        let refused = assign(&app, &van_b, date, &staff).await;
        assert_eq!(refused.status, 409, "{}", refused.text);
        assert!(
            refused.text.contains(&ann) && refused.text.contains("Van A"),
            "{}",
            refused.text
        );
        assert!(refused.text.contains(clash_day), "{}", refused.text);
    }
    assert_eq!(app.count_rows("moego_van_assignment_staff").await, 1);
    assigned(&app, &van_b, "2026-06-10", &[&ann]).await;
    assigned(&app, &van_b, "2026-05-01", &[&bob]).await;
    // Van B's May assignment now ends on June 10: Ann fits before June 1 only.
    let refused = assign(&app, &van_b, "2026-05-01", &[&ann]).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(staff_on(&app, &van_b, "2026-06-05").await, [bob.as_str()]);
    assert_eq!(staff_on(&app, &van_b, "2026-06-10").await, [ann.as_str()]);

    // A deleted van holds no one.
    let deleted = app
        .send(app.admin(Method::DELETE, &format!("/moego/vans/{van_b}")))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assigned(&app, &van_a, "2026-06-10", &[&ann]).await;
}

/// Assignments of one staff member to several vans for one day, all at once: one succeeds,
/// the others are refused, on either backend.
#[tokio::test]
async fn racing_assignments_of_one_staff_member_leave_them_on_one_van() {
    let app = common::spawn().await;
    let (one, _) = businesses(&app);
    let (ann, _) = app.staff("Ann").await;
    let mut vans = Vec::new();
    for index in 0..8 {
        vans.push(create_van(&app, &one, &format!("Van {index}"), "").await);
    }
    let mut attempts = tokio::task::JoinSet::new();
    for van in &vans {
        let request = app
            .admin(
                Method::PUT,
                &format!("/moego/vans/{van}/assignments/2026-07-01"),
            )
            .json(&json!({ "staffIds": [ann] }));
        attempts.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = attempts.join_all().await;
    assert_eq!(
        statuses.iter().filter(|status| **status == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses.iter().all(|status| [200, 409].contains(status)));
    assert_eq!(app.count_rows("moego_van_assignment_staff").await, 1);
}

#[tokio::test]
async fn vans_are_edited_and_deleted_and_their_records_stay() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = app.seed.moego[0].company_id.clone();
    let (one, _) = businesses(&app);
    let (ann, _) = app.staff("Ann").await;
    let van = create_van(&app, &one, "Van", "OLD-1").await;
    assigned(&app, &van, "2026-06-01", &[&ann]).await;
    let edited = app
        .send(
            app.admin(Method::PUT, &format!("/moego/vans/{van}"))
                .json(&json!({"displayName": "Blue Van", "licensePlate": " NEW 2 "})),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    let page = json!({"companyId": company, "pagination": {"pageSize": 10}});
    let listed = list_vans(&app, &auth, page.clone()).await;
    assert_eq!(listed.body["vans"][0]["displayName"], "Blue Van");
    assert_eq!(listed.body["vans"][0]["licensePlate"], "NEW 2");

    let events = app.count_rows("outbox_events").await;
    let deleted = app
        .send(app.admin(Method::DELETE, &format!("/moego/vans/{van}")))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(
        app.count_rows("outbox_events").await,
        events,
        "no van events"
    );
    let listed = list_vans(&app, &auth, page).await;
    assert_eq!(listed.body, json!({"nextPageToken": "", "vans": []}));
    assert_eq!(
        staff_on(&app, &van, "2026-06-02").await,
        [ann.as_str()],
        "history stays"
    );
    for refused in [
        app.send(app.admin(Method::DELETE, &format!("/moego/vans/{van}")))
            .await,
        assign(&app, &van, "2026-07-01", &[]).await,
        app.send(
            app.admin(Method::PUT, &format!("/moego/vans/{van}"))
                .json(&json!({"displayName": "Again"})),
        )
        .await,
    ] {
        assert_eq!(refused.status, 404, "{}", refused.text);
    }
}

#[tokio::test]
async fn pages_follow_the_van_ids() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = app.seed.moego[0].company_id.clone();
    let (one, two) = businesses(&app);
    let vans = [
        create_van(&app, &one, "V1", "").await,
        create_van(&app, &two, "V2", "").await,
        create_van(&app, &one, "V3", "").await,
    ];
    let first = list_vans(
        &app,
        &auth,
        json!({"companyId": company, "pagination": {"pageSize": 2, "pageToken": "1"}}),
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["vans"][1]["id"], vans[1]);
    assert_eq!(first.body["nextPageToken"], "2");
    let second = list_vans(
        &app,
        &auth,
        json!({"companyId": company, "pagination": {"pageSize": 2, "pageToken": "2"}}),
    )
    .await;
    assert_eq!(second.body["vans"].as_array().unwrap().len(), 1);
    assert_eq!(second.body["vans"][0]["id"], vans[2]);
    assert_eq!(second.body["nextPageToken"], "");

    let reversed = [&vans[2], &vans[1], &vans[0], &vans[2]];
    let page = |token: &str| {
        json!({"vanIds": reversed, "date": "2026-01-01",
               "pagination": {"pageSize": 2, "pageToken": token}})
    };
    let first = records(&app, &auth, page("")).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let ids = |reply: &Reply| -> Vec<String> {
        reply.body["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|record| record["vanId"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&first), [vans[0].as_str(), vans[1].as_str()]);
    assert_eq!(first.body["nextPageToken"], "2");
    let second = records(&app, &auth, page("2")).await;
    assert_eq!(
        ids(&second),
        [vans[2].as_str()],
        "a repeated ID counts once"
    );
    assert_eq!(second.body["nextPageToken"], "");
}

#[tokio::test]
async fn keys_see_the_vans_of_the_businesses_they_reach() {
    let app = common::spawn().await;
    let company = app.seed.moego[0].company_id.clone();
    let (one, two) = businesses(&app);
    let van_one = create_van(&app, &one, "At One", "").await;
    let van_two = create_van(&app, &two, "At Two", "").await;
    let restricted = app
        .issue_moego_key(MoegoKeyRequest {
            company: company.clone(),
            businesses: vec![two.clone()],
            ..Default::default()
        })
        .await
        .authorization;
    let page = json!({"pageSize": 10});
    let all = list_vans(
        &app,
        &restricted,
        json!({"companyId": company, "pagination": page}),
    )
    .await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.body["vans"].as_array().unwrap().len(), 1);
    assert_eq!(all.body["vans"][0]["id"], van_two);
    let own = records(
        &app,
        &restricted,
        json!({"vanIds": [van_two], "date": "2026-06-01", "pagination": page}),
    )
    .await;
    assert_eq!(own.status, 200, "{}", own.text);

    let other_company = app.moego_auth(1);
    let scoped = app
        .issue_moego_key(MoegoKeyRequest {
            company: company.clone(),
            scopes: vec!["companies:read".into()],
            ..Default::default()
        })
        .await
        .authorization;
    for (auth, body, what) in [
        (
            &restricted,
            json!({"companyId": company, "businessIds": [one], "pagination": page}),
            "vans",
        ),
        (
            &restricted,
            json!({"vanIds": [van_two, van_one], "date": "2026-06-01", "pagination": page}),
            "records",
        ),
        (
            &other_company,
            json!({"companyId": company, "pagination": page}),
            "vans",
        ),
        (
            &other_company,
            json!({"vanIds": [van_two], "date": "2026-06-01", "pagination": page}),
            "records",
        ),
        (
            &scoped,
            json!({"companyId": company, "pagination": page}),
            "vans",
        ),
        (
            &scoped,
            json!({"vanIds": [van_two], "date": "2026-06-01", "pagination": page}),
            "records",
        ),
    ] {
        let reply = match what {
            "vans" => list_vans(&app, auth, body).await,
            _ => records(&app, auth, body).await,
        };
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (403, Some(7)),
            "{what}: {}",
            reply.text
        );
        assert_moego(VAN, "googlerpcStatus", &reply.body);
    }
}

#[tokio::test]
async fn bad_requests_are_refused_precisely() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = app.seed.moego[0].company_id.clone();
    let (one, _) = businesses(&app);
    let van = create_van(&app, &one, "Van", "").await;
    let beta_business = app.seed.moego[1].business_ids[0].clone();
    let unknown_van = app.state.ids.encode(moapi_core::IdKind::Van, 999_999);
    let page = json!({"pageSize": 10});
    let vans_cases = [
        (json!({"companyId": company}), 400, "pagination"),
        (
            json!({"companyId": company, "pagination": {"pageSize": 0}}),
            400,
            "pageSize",
        ),
        (
            json!({"companyId": company, "pagination": {"pageSize": 501}}),
            400,
            "pageSize",
        ),
        (
            json!({"companyId": company, "pagination": {"pageSize": 10, "pageToken": "x"}}),
            400,
            "pageToken",
        ),
        (json!({"pagination": page}), 400, "companyId"),
        (
            json!({"companyId": "cmp_nope", "pagination": page}),
            400,
            "invalid obfuscate",
        ),
        (
            json!({"companyId": company, "businessIds": [van], "pagination": page}),
            400,
            "invalid obfuscate",
        ),
        (
            json!({"companyId": company, "businessIds": [beta_business], "pagination": page}),
            403,
            "permission",
        ),
    ];
    for (body, status, needle) in vans_cases {
        let reply = list_vans(&app, &auth, body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
        assert!(reply.text.contains(needle), "{body}: {}", reply.text);
        assert_moego(VAN, "googlerpcStatus", &reply.body);
    }
    let records_cases = [
        (
            json!({"vanIds": [van], "date": "2026-06-01"}),
            400,
            "pagination",
        ),
        (
            json!({"vanIds": [van], "pagination": page}),
            400,
            "date: value is required",
        ),
        (
            json!({"vanIds": [van], "date": "2026-02-30", "pagination": page}),
            400,
            "yyyy-MM-dd",
        ),
        (
            json!({"vanIds": [van], "date": "2026-06-01T00:00:00Z", "pagination": page}),
            400,
            "yyyy-MM-dd",
        ),
        (
            json!({"vanIds": [], "date": "2026-06-01", "pagination": page}),
            400,
            "vanIds",
        ),
        (
            json!({"vanIds": [one], "date": "2026-06-01", "pagination": page}),
            400,
            "invalid obfuscate",
        ),
        (
            json!({"vanIds": [van, unknown_van], "date": "2026-06-01", "pagination": page}),
            404,
            "van not found",
        ),
    ];
    for (body, status, needle) in records_cases {
        let reply = records(&app, &auth, body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
        assert!(reply.text.contains(needle), "{body}: {}", reply.text);
        assert_moego(VAN_RECORD, "googlerpcStatus", &reply.body);
    }
    let too_many: Vec<String> = (0..1001).map(|_| van.clone()).collect();
    let reply = records(
        &app,
        &auth,
        json!({"vanIds": too_many, "date": "2026-06-01", "pagination": page}),
    )
    .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
}

#[tokio::test]
async fn the_operator_refuses_bad_vans_and_assignments() {
    let app = common::spawn().await;
    let (one, two) = businesses(&app);
    let (ann, _) = app.staff("Ann").await;
    let (bob, _) = app.staff("Bob").await;
    let (cid, _) = app.staff("Cid").await;
    let (dee, _) = app.staff("Dee").await;
    let van = create_van(&app, &one, "Van", "").await;
    let create = |business: &str, body: Value| {
        app.send(
            app.admin(Method::POST, &format!("/moego/businesses/{business}/vans"))
                .json(&body),
        )
    };
    for (reply, status, needle) in [
        (
            create(&one, json!({"displayName": " "})).await,
            400,
            "displayName",
        ),
        (
            create(
                &one,
                json!({"displayName": "V", "licensePlate": "X".repeat(21)}),
            )
            .await,
            400,
            "licensePlate",
        ),
        (
            create(&one, json!({"displayName": "V", "color": "red"})).await,
            422,
            "color",
        ),
        (
            create("bus_nope", json!({"displayName": "V"})).await,
            400,
            "bus_nope",
        ),
        (
            assign(&app, &van, "2026-13-01", &[&ann]).await,
            400,
            "yyyy-MM-dd",
        ),
        (assign(&app, &van, "2026-06-01", &[&bob]).await, 404, &bob),
        (assign(&app, &van, "2026-06-01", &[&cid]).await, 404, &cid),
        (assign(&app, &van, "2026-06-01", &[&dee]).await, 404, &dee),
        (
            assign(&app, &van, "2026-06-01", &[&ann, &ann]).await,
            400,
            "twice",
        ),
        (
            assign(&app, &van, "2026-06-01", &["stf_nope"]).await,
            400,
            "stf_nope",
        ),
        (assign(&app, &one, "2026-06-01", &[&ann]).await, 400, "van"),
    ] {
        assert_eq!(reply.status, status, "{}", reply.text);
        assert!(reply.text.contains(needle), "{needle}: {}", reply.text);
    }
    let crowd = create_van(&app, &two, "Crowd", "").await;
    let eleven = vec![bob.as_str(); 11];
    let refused = assign(&app, &crowd, "2026-06-01", &eleven).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert!(refused.text.contains("at most 10"), "{}", refused.text);
    assert_eq!(app.count_rows("moego_van_assignments").await, 0);
    assert_eq!(app.count_rows("moego_vans").await, 2);
}

#[tokio::test]
async fn bad_van_fixtures_are_refused_before_anything_is_written() {
    let app = common::spawn().await;
    let base = "moego:\n- name: o\n  companies:\n  - name: c\n    businesses: [{name: b}, {name: d}]\n    staff: [{firstName: S, lastName: T, businesses: [b]}, {firstName: Gone, businesses: [b], deleted: true}]\n";
    for (vans, needle) in [
        ("[{business: nope, displayName: V}]", "nope"),
        ("[{business: b, displayName: ''}]", "displayName"),
        (
            "[{business: b, displayName: V, assignments: [{day: 0, staff: [X Y]}]}]",
            "X Y",
        ),
        (
            "[{business: d, displayName: V, assignments: [{day: 0, staff: [S T]}]}]",
            "S T",
        ),
        (
            "[{business: b, displayName: V, assignments: [{day: 0, staff: [Gone]}]}]",
            "Gone",
        ),
        (
            "[{business: b, displayName: V, assignments: [{day: 1}, {day: 1}]}]",
            "day 1",
        ),
        (
            "[{business: b, displayName: V, assignments: [{day: 99999}]}]",
            "day 99999",
        ),
    ] {
        let fixtures = Fixtures::parse(&format!("{base}    vans: {vans}\n")).unwrap();
        match operator::seed(&app.state, &mut app.state.db.conn(), fixtures).await {
            Err(operator::OperatorError::Invalid(message)) => {
                assert!(message.contains(needle), "{message}");
                assert!(message.contains("vans[0]"), "{message}");
            }
            other => panic!("expected a refusal naming {needle:?}: {other:?}"),
        }
    }
    assert_eq!(app.count_rows("moego_vans").await, 0);
}

/// The demo set's vans: today's staff in `ListVans`, and the week's moves in the records.
#[tokio::test]
async fn the_demo_set_has_vans_with_staff() {
    let app = common::spawn().await;
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    let happy_paws = &report.moego[0];
    let auth = &happy_paws.authorization;
    let listed = list_vans(
        &app,
        auth,
        json!({"companyId": happy_paws.company_id, "pagination": {"pageSize": 10}}),
    )
    .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(VAN, "v1ListVansResponse", &listed.body);
    let names = |van: &Value| -> Vec<String> {
        van["assignedStaffs"]
            .as_array()
            .map(|staff| {
                staff
                    .iter()
                    .map(|member| member["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let vans = listed.body["vans"].as_array().unwrap();
    let summary: Vec<(String, Vec<String>)> = vans
        .iter()
        .map(|van| (van["displayName"].as_str().unwrap().to_string(), names(van)))
        .collect();
    assert_eq!(
        summary,
        [
            ("Mission Van 1".to_string(), vec!["Mia Garcia".to_string()]),
            ("Mission Van 2".to_string(), vec![]),
            (
                "Downtown Van".to_string(),
                vec!["Liam Chen".to_string(), "Ava Johnson".to_string()]
            ),
        ]
    );
    let zone: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
    let in_a_week = (chrono::Utc::now().with_timezone(&zone).date_naive()
        + chrono::Duration::days(7))
    .to_string();
    let ids: Vec<&Value> = vans.iter().map(|van| &van["id"]).collect();
    let week = app
        .moego_post(
            auth,
            "/v1/van_staff_records:list",
            json!({"vanIds": ids, "date": in_a_week, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(week.status, 200, "{}", week.text);
    assert_moego(VAN_RECORD, "v1ListVanStaffRecordsResponse", &week.body);
    let moved: Vec<Vec<String>> = week.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(names)
        .collect();
    assert_eq!(
        moved,
        [
            vec!["Mia Garcia".to_string(), "Ava Johnson".to_string()],
            vec![],
            vec!["Liam Chen".to_string()],
        ]
    );
}

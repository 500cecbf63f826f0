//! Reviews: ListReviews against the vendor swagger (filters, order, pages, business
//! restriction, errors) on the demo set's reviews; operators' imports and review links; the
//! review page over plain HTTP as a browser without JavaScript sends it (scores, escaping,
//! once per appointment, tampered and expired links, unfinished appointments) and in headless
//! Chromium. On both databases.

mod common;

use std::time::Duration;

use common::browser::{click, type_into, Driver};
use common::fidelity::assert_moego;
use moapi::operator::MoegoKeyRequest;
use moapi_core::IdKind;
use reqwest::Method;
use serde_json::{json, Value};

const REVIEWS: &str = "review/v1/review_service.swagger.json";

/// The demo set: Happy Paws (Downtown, Mission) with its reviews.
type Demo = common::HappyPaws;

async fn demo() -> Demo {
    common::happy_paws(|_| {}).await
}

impl Demo {
    async fn list_as(&self, auth: &str, body: Value) -> common::Reply {
        self.app.moego_post(auth, "/v1/reviews:list", body).await
    }

    async fn list(&self, business: &str, filter: Value) -> Vec<Value> {
        let reply = self
            .list_as(
                &self.auth,
                json!({"businessId": business, "pagination": {"pageSize": 100}, "filter": filter}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(REVIEWS, "v1ListReviewsResponse", &reply.body);
        reply.body["reviews"].as_array().unwrap().clone()
    }

    /// The business's appointments (at most 100).
    async fn appointments(&self, business: &str) -> Vec<Value> {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                "/v1/appointments:list",
                json!({"companyId": self.company, "businessIds": [business],
                       "pagination": {"pageSize": 100}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["appointments"].as_array().unwrap().clone()
    }

    async fn staff_id(&self, first_name: &str) -> String {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                "/v1/staffs:list",
                json!({"companyId": self.company, "pagination": {"pageSize": 100}}),
            )
            .await;
        let staff = reply.body["staffs"].as_array().unwrap();
        let member = staff.iter().find(|s| s["firstName"] == first_name).unwrap();
        member["id"].as_str().unwrap().to_string()
    }

    /// Downtown's FINISHED appointment nobody reviewed (Emma Davis's Bath & Brush of Mochi).
    async fn unreviewed(&self) -> Value {
        let reviewed: Vec<Value> = self
            .list(&self.downtown, json!({}))
            .await
            .iter()
            .map(|review| review["appointmentId"].clone())
            .collect();
        let appointments = self.appointments(&self.downtown).await;
        let open: Vec<&Value> = appointments
            .iter()
            .filter(|a| a["status"] == "FINISHED" && !reviewed.contains(&a["id"]))
            .collect();
        assert_eq!(open.len(), 1, "{open:?}");
        open[0].clone()
    }

    /// A Downtown appointment of `status`.
    async fn downtown_in(&self, status: &str) -> String {
        let appointments = self.appointments(&self.downtown).await;
        let found = appointments.iter().find(|a| a["status"] == status).unwrap();
        found["id"].as_str().unwrap().to_string()
    }

    async fn admin_post(&self, path: &str, body: Value) -> common::Reply {
        self.app
            .send(self.app.admin(Method::POST, path).json(&body))
            .await
    }

    /// The path and signed query of an operator's review link of `appointment`.
    async fn review_link(&self, appointment: &str) -> String {
        let reply = self
            .admin_post(
                &format!("/moego/appointments/{appointment}/review_link"),
                json!({}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let url = reply.body["reviewUrl"].as_str().unwrap();
        let at = url.find("/links/reviews/").expect("a review link");
        url[at..].to_string()
    }
}

fn ids_of(reviews: &[Value], member: &str) -> Vec<String> {
    reviews
        .iter()
        .map(|review| review[member].as_str().unwrap().to_string())
        .collect()
}

/// The staff and pet IDs of an appointment's services, in booking order.
fn people_of(appointment: &Value) -> (Vec<Value>, Vec<Value>) {
    let mut staff = Vec::new();
    let mut pets = Vec::new();
    for detail in appointment["petServiceDetails"].as_array().unwrap() {
        if !pets.contains(&detail["pet"]["id"]) {
            pets.push(detail["pet"]["id"].clone());
        }
        for service in detail["serviceDetails"].as_array().unwrap() {
            for member in service["staffIds"].as_array().into_iter().flatten() {
                if !staff.contains(member) {
                    staff.push(member.clone());
                }
            }
        }
    }
    (staff, pets)
}

#[tokio::test]
async fn reviews_list_newest_first_filtered_by_source_and_staff_page_by_page() {
    let demo = demo().await;
    let downtown = demo.list(&demo.downtown, json!({})).await;
    assert_eq!(downtown.len(), 2, "{downtown:?}");
    // Sophia's visit of a week ago, reviewed two days later, before Emma's of day -13.
    assert_eq!(downtown[0]["source"], "PET_PARENT_PORTAL");
    assert_eq!(downtown[0]["score"], 3);
    assert_eq!(downtown[1]["source"], "GROOMING_REPORT");
    assert_eq!(downtown[1]["score"], 5);
    assert!(downtown[0]["reviewTime"].as_str() > downtown[1]["reviewTime"].as_str());
    for review in &downtown {
        assert!(review["id"].as_str().unwrap().starts_with("rev_"));
        assert_eq!(review["createdTime"], review["reviewTime"]);
    }
    // Each names its appointment's staff and pets.
    let appointments = demo.appointments(&demo.downtown).await;
    for review in &downtown {
        let appointment = appointments
            .iter()
            .find(|a| a["id"] == review["appointmentId"])
            .unwrap();
        assert_eq!(review["customerId"], appointment["customerId"]);
        let (staff, pets) = people_of(appointment);
        assert_eq!(review["staffIds"].as_array().unwrap(), &staff);
        assert_eq!(review["petIds"].as_array().unwrap(), &pets);
    }
    let mission = demo.list(&demo.mission, json!({})).await;
    assert_eq!(mission.len(), 1);
    assert_eq!(mission[0]["source"], "SMS");

    let reports = demo
        .list(&demo.downtown, json!({"sources": ["GROOMING_REPORT"]}))
        .await;
    assert_eq!(ids_of(&reports, "id"), ids_of(&downtown[1..], "id"));
    let either = demo
        .list(
            &demo.downtown,
            json!({"sources": ["SMS", "PET_PARENT_PORTAL"]}),
        )
        .await;
    assert_eq!(ids_of(&either, "id"), ids_of(&downtown[..1], "id"));
    assert!(demo
        .list(&demo.downtown, json!({"sources": ["SMS"]}))
        .await
        .is_empty());
    let ava = demo.staff_id("Ava").await;
    let liam = demo.staff_id("Liam").await;
    let mia = demo.staff_id("Mia").await;
    let by_ava = demo.list(&demo.downtown, json!({"staffIds": [ava]})).await;
    assert_eq!(ids_of(&by_ava, "id"), ids_of(&downtown[..1], "id"));
    let by_both = demo
        .list(&demo.downtown, json!({"staff_ids": [ava, liam]}))
        .await;
    assert_eq!(ids_of(&by_both, "id"), ids_of(&downtown, "id"));
    let none = demo
        .list(
            &demo.downtown,
            json!({"staffIds": [liam], "sources": ["PET_PARENT_PORTAL"]}),
        )
        .await;
    assert!(none.is_empty());
    assert!(demo
        .list(&demo.downtown, json!({"staffIds": [mia]}))
        .await
        .is_empty());

    // Page by page, in snake_case too.
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let reply = demo
            .list_as(
                &demo.auth,
                json!({"business_id": demo.downtown,
                       "pagination": {"page_size": 1, "page_token": token}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(REVIEWS, "v1ListReviewsResponse", &reply.body);
        let page = reply.body["reviews"].as_array().unwrap();
        assert_eq!(page.len(), 1);
        seen.extend(ids_of(page, "id"));
        token = reply.body["nextPageToken"].as_str().unwrap().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, ids_of(&downtown, "id"));
}

#[tokio::test]
async fn reviews_list_refuses_bad_requests_and_other_businesses() {
    let demo = demo().await;
    let page = json!({"pageSize": 10});
    let status = |reply: &common::Reply| {
        assert_moego(REVIEWS, "googlerpcStatus", &reply.body);
        (reply.status, reply.body["code"].as_i64().unwrap())
    };
    let cases = [
        (json!({"businessId": demo.downtown}), 400, 3, "pagination"),
        (
            json!({"businessId": demo.downtown, "pagination": {"pageSize": 0}}),
            400,
            3,
            "pageSize",
        ),
        (
            json!({"businessId": demo.downtown, "pagination": {"pageSize": 501}}),
            400,
            3,
            "pageSize",
        ),
        (
            json!({"businessId": demo.downtown, "pagination": {"pageSize": 5, "pageToken": "x"}}),
            400,
            3,
            "pageToken",
        ),
        (json!({"pagination": page}), 400, 3, "businessId"),
        (
            json!({"businessId": "bus_forged", "pagination": page}),
            400,
            13,
            "invalid obfuscate",
        ),
        (
            json!({"businessId": demo.app.state.ids.encode(IdKind::Business, 987_654), "pagination": page}),
            404,
            5,
            "business not found",
        ),
        (
            json!({"businessId": demo.downtown, "pagination": page,
                   "filter": {"sources": ["SOURCE_UNSPECIFIED"]}}),
            400,
            3,
            "filter.sources",
        ),
        (
            json!({"businessId": demo.downtown, "pagination": page,
                   "filter": {"sources": ["EMAIL"]}}),
            400,
            3,
            "sources",
        ),
        (
            json!({"businessId": demo.downtown, "pagination": page,
                   "filter": {"staffIds": ["stf_forged"]}}),
            400,
            13,
            "invalid obfuscate",
        ),
    ];
    for (body, http, code, names) in cases {
        let reply = demo.list_as(&demo.auth, body.clone()).await;
        assert_eq!(status(&reply), (http, code), "{body}: {}", reply.text);
        assert!(reply.text.contains(names), "{body}: {}", reply.text);
    }

    // Another company's key, a key restricted to Mission, a key without the scope.
    let downtown = json!({"businessId": demo.downtown, "pagination": page});
    let foreign = demo.list_as(&demo.other_auth, downtown.clone()).await;
    assert_eq!(status(&foreign), (403, 7), "{}", foreign.text);
    let mission_key = demo
        .app
        .issue_moego_key(MoegoKeyRequest {
            company: demo.company.clone(),
            businesses: vec![demo.mission.clone()],
            ..Default::default()
        })
        .await;
    let restricted = demo
        .list_as(&mission_key.authorization, downtown.clone())
        .await;
    assert_eq!(status(&restricted), (403, 7), "{}", restricted.text);
    let own = demo
        .list_as(
            &mission_key.authorization,
            json!({"businessId": demo.mission, "pagination": page}),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body["reviews"].as_array().unwrap().len(), 1);
    let unscoped = demo
        .app
        .issue_moego_key(MoegoKeyRequest {
            company: demo.company.clone(),
            scopes: vec!["appointments:read".to_string()],
            ..Default::default()
        })
        .await;
    let refused = demo.list_as(&unscoped.authorization, downtown).await;
    assert_eq!(status(&refused), (403, 7), "{}", refused.text);
}

#[tokio::test]
async fn operators_import_a_review_once_with_its_source() {
    let demo = demo().await;
    let open = demo.unreviewed().await;
    let id = open["id"].as_str().unwrap();
    let path = format!("/moego/appointments/{id}/reviews");
    let bad = [
        (json!({"score": 4}), 400, "source"),
        (
            json!({"source": "SOURCE_UNSPECIFIED", "score": 4}),
            400,
            "source",
        ),
        (json!({"source": "SMS", "score": 0}), 400, "score"),
        (json!({"source": "SMS", "score": 6}), 400, "score"),
        (
            json!({"source": "SMS", "score": 4, "content": "x".repeat(4001)}),
            400,
            "content",
        ),
        (
            json!({"source": "SMS", "score": 4, "reviewTime": "yesterday"}),
            400,
            "reviewTime",
        ),
        (
            json!({"source": "SMS", "score": 4, "reviewTime": "2999-01-01T00:00:00Z"}),
            400,
            "reviewTime",
        ),
        (
            json!({"source": "SMS", "score": 4, "staffIds": [demo.staff_id("Mia").await]}),
            404,
            "staffIds",
        ),
        (
            json!({"source": "SMS", "score": 4, "petIds": ["pet_forged"]}),
            400,
            "pet_",
        ),
    ];
    for (body, http, names) in bad {
        let reply = demo.admin_post(&path, body.clone()).await;
        assert_eq!(reply.status, http, "{body}: {}", reply.text);
        assert!(reply.text.contains(names), "{body}: {}", reply.text);
    }
    let liam = demo.staff_id("Liam").await;
    let reply = demo
        .admin_post(
            &path,
            json!({"source": "PET_PARENT_PORTAL", "score": 2, "content": "Too short a trim",
                   "reviewTime": "2026-01-02T03:04:05Z", "staffIds": [liam]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_moego(REVIEWS, "v1Review", &reply.body);
    assert_eq!(reply.body["appointmentId"], id);
    assert_eq!(reply.body["customerId"], open["customerId"]);
    assert_eq!(reply.body["reviewTime"], "2026-01-02T03:04:05Z");
    assert_eq!(reply.body["staffIds"], json!([liam]));
    assert_eq!(reply.body["petIds"], json!(people_of(&open).1));
    let listed = demo
        .list(&demo.downtown, json!({"sources": ["PET_PARENT_PORTAL"]}))
        .await;
    // Its review time is the oldest: it lists last.
    assert_eq!(listed.last().unwrap(), &reply.body);

    let again = demo
        .admin_post(&path, json!({"source": "SMS", "score": 5}))
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    let link = demo
        .admin_post(&format!("/moego/appointments/{id}/review_link"), json!({}))
        .await;
    assert_eq!(link.status, 409, "{}", link.text);
    let checked_in = demo.downtown_in("CHECKED_IN").await;
    for path in [
        format!("/moego/appointments/{checked_in}/reviews"),
        format!("/moego/appointments/{checked_in}/review_link"),
    ] {
        let reply = demo
            .admin_post(&path, json!({"source": "SMS", "score": 5}))
            .await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert!(reply.text.contains("FINISHED"), "{}", reply.text);
    }
    let missing = demo.app.state.ids.encode(IdKind::Appointment, 987_654);
    let reply = demo
        .admin_post(
            &format!("/moego/appointments/{missing}/reviews"),
            json!({"source": "SMS", "score": 5}),
        )
        .await;
    assert_eq!(reply.status, 404, "{}", reply.text);
}

/// A client that does not follow redirects, as the page's POST answers one.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_pet_owner_reviews_through_the_link_once() {
    let demo = demo().await;
    let app = &demo.app;
    let open = demo.unreviewed().await;
    let id = open["id"].as_str().unwrap();
    let link = demo.review_link(id).await;
    let page = app.send(app.client.get(app.url(&link))).await;
    assert_eq!(page.status, 200, "{}", page.text);
    for shown in [
        "How was your visit?",
        "Happy Paws Downtown",
        "Liam Chen",
        "Mochi",
        "name=\"score\" value=\"5\"",
        "<textarea",
    ] {
        assert!(page.text.contains(shown), "{shown}: {}", page.text);
    }
    assert!(!page.text.contains("<script"));

    let client = no_redirects();
    let post = |fields: Vec<(&'static str, String)>| {
        let request = client.post(app.url(&link)).form(&fields);
        async move { app.send(request).await }
    };
    let text = "<script>alert(1)</script> Mochi & me";
    for fields in [
        vec![("score", "0".to_string())],
        vec![("score", "6".to_string()), ("content", "Six!".to_string())],
        vec![("content", text.to_string())],
        vec![("score", "five".to_string())],
        vec![("score", "4".to_string()), ("content", "x".repeat(4001))],
    ] {
        let refused = post(fields.clone()).await;
        assert_eq!(refused.status, 400, "{fields:?}: {}", refused.text);
        assert!(refused.text.contains("role=\"alert\""));
    }
    // The text typed is put back, escaped.
    let kept = post(vec![("content", text.to_string())]).await;
    assert!(kept
        .text
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; Mochi &amp; me"));
    assert!(!kept.text.contains("<script>"));
    assert!(demo
        .list(&demo.downtown, json!({"sources": ["SMS"]}))
        .await
        .is_empty());

    let sent = post(vec![
        ("score", "4".to_string()),
        ("content", text.to_string()),
    ])
    .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let thanks = app.send(app.client.get(app.url(&link))).await;
    assert_eq!(thanks.status, 200);
    assert!(
        thanks.text.contains("Thank you for your review"),
        "{}",
        thanks.text
    );
    assert!(thanks
        .text
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!thanks.text.contains("<script>"));
    assert!(!thanks.text.contains("<form"));
    let again = post(vec![("score", "1".to_string())]).await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert!(again.text.contains("already reviewed"), "{}", again.text);

    let reviews = demo.list(&demo.downtown, json!({"sources": ["SMS"]})).await;
    assert_eq!(reviews.len(), 1, "{reviews:?}");
    let review = &reviews[0];
    assert_eq!(review["appointmentId"], id);
    assert_eq!(review["customerId"], open["customerId"]);
    assert_eq!(review["score"], 4);
    assert_eq!(review["content"], text);
    let (staff, pets) = people_of(&open);
    assert_eq!(review["staffIds"], json!(staff));
    assert_eq!(review["petIds"], json!(pets));
    assert_eq!(demo.list(&demo.downtown, json!({})).await[0], *review);
}

#[tokio::test]
async fn review_links_refuse_tampering_expiry_and_unfinished_visits() {
    let demo = demo().await;
    let app = &demo.app;
    let open = demo.unreviewed().await;
    let id = open["id"].as_str().unwrap();
    let link = demo.review_link(id).await;
    let get = |path: String| async move { app.send(app.client.get(app.url(&path))).await };

    let tampered = format!("{}0", &link[..link.len() - 1]);
    let tampered = match tampered == link {
        true => format!("{}1", &link[..link.len() - 1]),
        false => tampered,
    };
    let refused = get(tampered.clone()).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(refused.text.contains("not valid"));
    let other = demo.downtown_in("CHECKED_IN").await;
    let swapped = link.replace(id, &other);
    assert_eq!(get(swapped.clone()).await.status, 403);
    let forged_post = app
        .send(app.client.post(app.url(&swapped)).form(&[("score", "5")]))
        .await;
    assert_eq!(forged_post.status, 403);
    assert_eq!(get(format!("/links/reviews/{id}")).await.status, 403);

    let expired = app.state.links.sign(
        &format!("/links/reviews/{id}"),
        chrono::Utc::now().timestamp() - 1,
    );
    let gone = get(expired.clone()).await;
    assert_eq!(gone.status, 410, "{}", gone.text);
    assert!(gone.text.contains("expired"));
    let late_post = app
        .send(app.client.post(app.url(&expired)).form(&[("score", "5")]))
        .await;
    assert_eq!(late_post.status, 410);

    // A link correctly signed for an appointment not finished (the operator refuses to make
    // one): no form, and a submission records nothing.
    let far = chrono::Utc::now().timestamp() + 3600;
    let unfinished = app
        .state
        .links
        .sign(&format!("/links/reviews/{other}"), far);
    let page = get(unfinished.clone()).await;
    assert_eq!(page.status, 409, "{}", page.text);
    assert!(page.text.contains("not over yet"));
    assert!(!page.text.contains("<form"));
    let post = app
        .send(
            app.client
                .post(app.url(&unfinished))
                .form(&[("score", "5")]),
        )
        .await;
    assert_eq!(post.status, 409, "{}", post.text);
    let missing = app.state.ids.encode(IdKind::Appointment, 987_654);
    let nowhere = app
        .state
        .links
        .sign(&format!("/links/reviews/{missing}"), far);
    assert_eq!(get(nowhere).await.status, 410);
    assert_eq!(demo.list(&demo.downtown, json!({})).await.len(), 2);

    // Two submissions at once: one review, one page saying it was already reviewed.
    let client = no_redirects();
    let send = |score: &'static str| {
        let request = client.post(app.url(&link)).form(&[("score", score)]);
        async move { app.send(request).await.status }
    };
    let (first, second) = tokio::join!(send("5"), send("1"));
    let mut statuses = [first, second];
    statuses.sort();
    assert_eq!(statuses, [303, 409]);
    assert_eq!(demo.list(&demo.downtown, json!({})).await.len(), 3);

    // The link of a customer deleted since is gone.
    assert_eq!(get(link.clone()).await.status, 200);
    let customer = open["customerId"].as_str().unwrap();
    let deleted = app
        .send(app.admin(Method::DELETE, &format!("/moego/customers/{customer}")))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let gone = get(link).await;
    assert_eq!(gone.status, 410, "{}", gone.text);
}

#[tokio::test]
async fn a_pet_owner_reviews_in_headless_chromium() {
    let demo = demo().await;
    let open = demo.unreviewed().await;
    let id = open["id"].as_str().unwrap();
    let link = demo.review_link(id).await;

    let driver = Driver::start().await;
    let browser = driver.browser().await;
    browser.goto(&demo.app.url(&link)).await.unwrap();
    click(&browser, "input[name=score][value=\"5\"]").await;
    type_into(&browser, "content", "Mochi smells wonderful").await;
    click(&browser, "button[type=submit]").await;
    let mut done = String::new();
    for _ in 0..100 {
        done = browser.source().await.unwrap();
        if done.contains("Thank you for your review") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done.contains("Thank you for your review"), "{done}");
    assert!(done.contains("Mochi smells wonderful"));
    assert!(!done.contains("<script"));
    browser.close().await.unwrap();

    let reviews = demo.list(&demo.downtown, json!({})).await;
    let review = &reviews[0];
    assert_eq!(review["appointmentId"], id);
    assert_eq!(review["source"], "SMS");
    assert_eq!(review["score"], 5);
    assert_eq!(review["content"], "Mochi smells wonderful");
}

//! The online booking page and abandoned bookings over HTTP, as a browser without JavaScript
//! sends its forms: a visit goes through the vendor's steps choosing only what availability
//! offers and books an UNCONFIRMED appointment (ONLINE_BOOKING_RECEIVED beside
//! APPOINTMENT_CREATED); a visit left idle reads as an abandoned booking at its step, and the
//! same visitor's later booking recovers it; operators mark one CONTACTED. On both databases.

mod common;

use std::time::Duration;

use common::booking::ServiceSpec;
use common::browser::{click, type_into, Driver};
use common::fidelity::assert_moego;
use common::TestApp;
use serde_json::{json, Value};

const ONLINE_BOOKING: &str = "online_booking/v1/online_booking_service.swagger.json";
/// The idle time after which the tests' visits are abandoned.
const IDLE: Duration = Duration::from_secs(1);

struct Shop {
    app: TestApp,
    auth: String,
    company: String,
    business: String,
    groom: String,
}

async fn shop() -> Shop {
    let app = common::spawn_with(|config| config.booking_idle = IDLE).await;
    let auth = app.moego_auth(0);
    let groom = app.insert_service(0, ServiceSpec::default()).await;
    Shop {
        company: app.seed.moego[0].company_id.clone(),
        business: app.business_id(0, 0),
        app,
        auth,
        groom,
    }
}

/// One visitor's browser: it follows the page's redirects like a browser does.
struct Visit {
    client: reqwest::Client,
    url: String,
}

/// A page as the browser got it.
struct Page {
    status: u16,
    html: String,
}

impl Page {
    /// The values a form offers for `name` (radio buttons and checkboxes), in order.
    fn options(&self, name: &str) -> Vec<String> {
        let marker = format!("name=\"{name}\" value=\"");
        self.html
            .match_indices(&marker)
            .map(|(at, _)| {
                let rest = &self.html[at + marker.len()..];
                rest[..rest.find('"').unwrap()].replace("&amp;", "&")
            })
            .collect()
    }

    fn step(&self) -> String {
        self.options("step").first().cloned().unwrap_or_default()
    }
}

impl Visit {
    async fn start(app: &TestApp, business: &str) -> Visit {
        let client = reqwest::Client::new();
        let welcome = client
            .get(app.url(&format!("/online-booking/{business}")))
            .send()
            .await
            .unwrap();
        assert_eq!(welcome.status(), 200);
        let html = welcome.text().await.unwrap();
        assert!(html.contains("Start booking"), "{html}");
        let started = client
            .post(app.url(&format!("/online-booking/{business}")))
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), 200);
        let url = started.url().to_string();
        let page = started.text().await.unwrap();
        assert!(page.contains("value=\"BASIC_INFO\""), "{page}");
        Visit { client, url }
    }

    async fn show(&self) -> Page {
        let reply = self.client.get(&self.url).send().await.unwrap();
        Page {
            status: reply.status().as_u16(),
            html: reply.text().await.unwrap(),
        }
    }

    /// Posts a step's form; the answer is the page the browser lands on.
    async fn answer(&self, step: &str, fields: &[(&str, &str)]) -> Page {
        let mut form: Vec<(&str, &str)> = vec![("step", step)];
        form.extend_from_slice(fields);
        let reply = self
            .client
            .post(&self.url)
            .form(&form)
            .send()
            .await
            .unwrap();
        let page = Page {
            status: reply.status().as_u16(),
            html: reply.text().await.unwrap(),
        };
        assert!(
            !page.html.contains("<script"),
            "the page works without JavaScript"
        );
        page
    }

    /// Answers the steps up to the date, choosing the first offer each time.
    async fn up_to_date(&self, shop: &Shop, (phone, email): (&str, &str)) -> Page {
        let page = self
            .answer("BASIC_INFO", &[("phone", phone), ("email", email)])
            .await;
        assert_eq!(page.step(), "SELECT_CARE_TYPE", "{}", page.html);
        assert_eq!(page.options("care"), ["GROOMING"]);
        let page = self
            .answer("SELECT_CARE_TYPE", &[("care", "GROOMING")])
            .await;
        assert_eq!(page.step(), "SELECT_PET");
        let page = self
            .answer(
                "SELECT_PET",
                &[
                    ("new_pet_name", "Rex"),
                    ("new_pet_type", "DOG"),
                    ("new_pet_breed", "Beagle"),
                ],
            )
            .await;
        assert_eq!(page.step(), "SELECT_SERVICE", "{}", page.html);
        assert_eq!(page.options("service"), std::slice::from_ref(&shop.groom));
        let page = self
            .answer("SELECT_SERVICE", &[("service", &shop.groom)])
            .await;
        assert_eq!(page.step(), "SELECT_GROOMER");
        let page = self.answer("SELECT_GROOMER", &[("staff", "any")]).await;
        assert_eq!(page.step(), "SELECT_DATE");
        page
    }
}

impl Visit {
    /// Answers every step up to the summary with the first day and time offered; the time's
    /// form value.
    async fn to_summary(&self, shop: &Shop, (phone, email): (&str, &str), name: &str) -> String {
        let page = self.up_to_date(shop, (phone, email)).await;
        let day = page.options("date")[0].clone();
        let page = self.answer("SELECT_DATE", &[("date", &day)]).await;
        let slot = page.options("slot")[0].clone();
        self.answer("SELECT_TIME", &[("slot", &slot)]).await;
        let page = self
            .answer(
                "PERSONAL_INFO",
                &[
                    ("first_name", name),
                    ("last_name", "Test"),
                    ("phone", phone),
                    ("email", email),
                ],
            )
            .await;
        assert_eq!(page.step(), "SUBMIT_APPT", "{}", page.html);
        slot
    }
}

impl Shop {
    async fn list(&self, filter: Value) -> common::Reply {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                "/v1/abandoned_bookings:list",
                json!({"companyId": self.company, "businessIds": [self.business],
                       "pagination": {"pageSize": 50}, "filter": filter}),
            )
            .await;
        if reply.status == 200 {
            let mut body = reply.body.clone();
            // `abandonPreference` is the vendor changelog's (2026-05-12), not yet in its swagger.
            for booking in body["bookings"].as_array_mut().unwrap() {
                booking.as_object_mut().unwrap().remove("abandonPreference");
            }
            assert_moego(ONLINE_BOOKING, "v1ListAbandonedBookingsResponse", &body);
        }
        reply
    }

    async fn get(&self, id: &str) -> common::Reply {
        let reply = self
            .app
            .moego_get(&self.auth, &format!("/v1/abandoned_bookings/{id}"))
            .await;
        if reply.status == 200 {
            let mut body = reply.body.clone();
            body.as_object_mut().unwrap().remove("abandonPreference");
            assert_moego(ONLINE_BOOKING, "v1AbandonedBooking", &body);
        }
        reply
    }
}

fn event_count(events: &[(String, Value)], kind: &str) -> usize {
    events.iter().filter(|(event, _)| event == kind).count()
}

#[tokio::test]
async fn a_visit_books_and_an_abandoned_one_recovers_when_the_visitor_books() {
    let shop = shop().await;
    let app = &shop.app;
    let contact = ("(212) 555-0142", "kate@example.com");

    // A visit that stops after choosing the day, with a preference, goes idle.
    let first = Visit::start(app, &shop.business).await;
    let page = first.up_to_date(&shop, contact).await;
    let days = page.options("date");
    assert!(!days.is_empty(), "{}", page.html);
    let page = first.answer("SELECT_DATE", &[("date", &days[0])]).await;
    assert_eq!(page.step(), "SELECT_TIME");
    let thanked = first
        .answer(
            "SELECT_TIME",
            &[
                ("preference", "1"),
                ("preferred_day", "TOMORROW"),
                ("preferred_time", "MORNING"),
            ],
        )
        .await;
    assert_eq!(thanked.status, 200);
    assert!(
        thanked.html.contains("will get in touch"),
        "{}",
        thanked.html
    );
    let before = shop.list(json!({})).await;
    assert_eq!(before.body["bookings"], json!([]), "not idle yet");
    tokio::time::sleep(IDLE + Duration::from_millis(300)).await;

    let listed = shop.list(json!({})).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let bookings = listed.body["bookings"].as_array().unwrap();
    assert_eq!(bookings.len(), 1, "{}", listed.text);
    let abandoned = &bookings[0];
    assert_eq!(abandoned["abandonStep"], "SELECT_DATE");
    assert_eq!(abandoned["abandonStatus"], "ABANDONED");
    assert_eq!(abandoned["leadType"], "NEW_VISITOR");
    assert_eq!(abandoned["careType"], "GROOMING");
    assert_eq!(abandoned["customer"]["phoneNumber"], "+12125550142");
    assert_eq!(abandoned["customer"]["email"], contact.1);
    let pet = &abandoned["pets"][0]["petServiceDetail"];
    assert_eq!(pet["pet"]["name"], "Rex");
    assert_eq!(pet["serviceDetails"][0]["id"], shop.groom);
    assert_eq!(abandoned["abandonPreference"]["preferredDay"], "TOMORROW");
    assert_eq!(abandoned["abandonPreference"]["preferredTime"], "MORNING");
    assert!(abandoned["abandonPreference"]["preferenceSubmittedAt"].is_string());
    let id = abandoned["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("abk_"));
    let got = shop.get(&id).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body, *abandoned);
    for (filter, expected) in [
        (json!({"steps": ["SELECT_DATE"]}), 1),
        (json!({"steps": ["BASIC_INFO", "SELECT_TIME"]}), 0),
        (json!({"leadTypes": ["EXISTING_CLIENT"]}), 0),
        (json!({"statuses": ["ABANDONED"]}), 1),
        (json!({"statuses": ["RECOVERED", "CONTACTED"]}), 0),
        (
            json!({"abandonTime": {"startTime": "2020-01-01T00:00:00Z", "endTime": "2020-01-20T00:00:00Z"}}),
            0,
        ),
    ] {
        let reply = shop.list(filter.clone()).await;
        assert_eq!(reply.status, 200, "{filter}: {}", reply.text);
        assert_eq!(
            reply.body["bookings"].as_array().unwrap().len(),
            expected,
            "{filter}"
        );
    }

    // The same visitor comes back and books through every step.
    let events_before = app.moego_events().await;
    let second = Visit::start(app, &shop.business).await;
    let page = second.up_to_date(&shop, contact).await;
    let day = page.options("date")[0].clone();
    let page = second.answer("SELECT_DATE", &[("date", &day)]).await;
    let slots = page.options("slot");
    assert!(!slots.is_empty(), "{}", page.html);
    let chosen = slots[0].clone();
    let page = second.answer("SELECT_TIME", &[("slot", &chosen)]).await;
    assert_eq!(page.step(), "PERSONAL_INFO");
    let page = second
        .answer(
            "PERSONAL_INFO",
            &[
                ("first_name", "Kate"),
                ("last_name", "Lee"),
                ("phone", contact.0),
                ("email", contact.1),
            ],
        )
        .await;
    assert_eq!(page.step(), "SUBMIT_APPT");
    assert!(page.html.contains("Kate Lee"), "{}", page.html);
    let done = second.answer("SUBMIT_APPT", &[]).await;
    assert_eq!(done.status, 200);
    assert!(done.html.contains("Request sent"), "{}", done.html);
    // Submitting twice books once: the visit is closed and shows its booking.
    let again = second.answer("SUBMIT_APPT", &[]).await;
    assert!(again.html.contains("Request sent"), "{}", again.html);

    let events = app.moego_events().await;
    let new_events = &events[events_before.len()..];
    let kinds: Vec<&str> = new_events.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "CUSTOMER_CREATED",
            "PET_CREATED",
            "APPOINTMENT_CREATED",
            "ONLINE_BOOKING_RECEIVED"
        ]
    );
    assert_eq!(event_count(&events, "ONLINE_BOOKING_RECEIVED"), 1);
    let received = &new_events[3].1["onlineBooking"];
    assert_eq!(received["status"], "NORMAL");
    assert!(received["id"].as_str().unwrap().starts_with("bkg_"));
    let appointment = new_events[2].1["appointment"].clone();
    assert_eq!(appointment["status"], "UNCONFIRMED");
    assert_eq!(received["customerId"], appointment["customerId"]);
    assert_eq!(
        received["petServiceDetails"],
        appointment["petServiceDetails"]
    );

    // The abandoned visit is recovered by that appointment.
    let recovered = shop.get(&id).await;
    assert_eq!(recovered.status, 200, "{}", recovered.text);
    assert_eq!(recovered.body["abandonStatus"], "RECOVERED");
    assert_eq!(
        recovered.body["recoveryType"],
        "RECOVERED_BY_SCHEDULE_APPOINTMENT"
    );
    assert_eq!(recovered.body["appointmentId"], appointment["id"]);
    assert_eq!(
        recovered.body["appointmentTime"],
        appointment["duration"]["startTime"]
    );
    assert_eq!(
        recovered.body["customer"]["customerId"],
        appointment["customerId"]
    );
    assert!(recovered.body["recoveryTime"].is_string());
    let by_status = shop.list(json!({"statuses": ["RECOVERED"]})).await;
    assert_eq!(by_status.body["bookings"].as_array().unwrap().len(), 1);

    // The booked time agrees with availability: it is no longer offered.
    let (start, staff) = chosen.split_once('|').unwrap();
    let start_time = appointment["duration"]["startTime"]
        .as_str()
        .unwrap()
        .to_string();
    let offered = app
        .moego_post(
            &shop.auth,
            "/v1/online-booking/availability",
            json!({"companyId": shop.company, "businessId": shop.business, "filter": {
                "startDate": {"year": day[..4].parse::<i32>().unwrap(), "month": day[5..7].parse::<i32>().unwrap(), "day": day[8..].parse::<i32>().unwrap()},
                "staffIds": [staff], "serviceIds": [shop.groom]}}),
        )
        .await;
    assert_eq!(offered.status, 200, "{}", offered.text);
    let still: Vec<&Value> = offered.body["availability"][0]["staff"][0]["availableSlots"]
        .as_array()
        .map(|slots| {
            slots
                .iter()
                .filter(|slot| slot["startTime"] == start_time)
                .collect()
        })
        .unwrap_or_default();
    assert!(
        still.is_empty(),
        "{start} is still offered: {}",
        offered.text
    );
    let appointment_id = appointment["id"].as_str().unwrap();
    let stored = app
        .moego_get(
            &shop.auth,
            &format!(
                "/v1/appointments/{appointment_id}?businessId={}",
                shop.business
            ),
        )
        .await;
    assert_eq!(stored.body["status"], "UNCONFIRMED", "{}", stored.text);
}

#[tokio::test]
async fn a_time_taken_meanwhile_is_not_booked_from_an_old_summary() {
    let shop = shop().await;
    let app = &shop.app;
    let first = Visit::start(app, &shop.business).await;
    let second = Visit::start(app, &shop.business).await;
    let chosen = first
        .to_summary(&shop, ("(212) 555-0181", "amy@example.com"), "Amy")
        .await;
    let also = second
        .to_summary(&shop, ("(212) 555-0182", "bo@example.com"), "Bo")
        .await;
    assert_eq!(chosen, also, "both were offered the same first time");
    let booked = first.answer("SUBMIT_APPT", &[]).await;
    assert!(booked.html.contains("Request sent"), "{}", booked.html);
    let refused = second.answer("SUBMIT_APPT", &[]).await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    assert!(refused.html.contains("no longer free"), "{}", refused.html);
    let events = app.moego_events().await;
    assert_eq!(event_count(&events, "ONLINE_BOOKING_RECEIVED"), 1);
    assert_eq!(event_count(&events, "APPOINTMENT_CREATED"), 1);
    assert_eq!(
        event_count(&events, "CUSTOMER_CREATED"),
        1,
        "the refused visit created nobody"
    );
    // The refused visit is still open: its visitor may choose another time.
    let again = second.show().await;
    assert_eq!(
        (again.status, again.step()),
        (200, "SUBMIT_APPT".to_string())
    );
}

#[tokio::test]
async fn operators_mark_contacted_and_bad_answers_get_a_precise_page() {
    let shop = shop().await;
    let app = &shop.app;
    let visit = Visit::start(app, &shop.business).await;

    // Steps are answered in order, from what is offered.
    let early = visit.answer("SELECT_TIME", &[("slot", "1|")]).await;
    assert_eq!(early.status, 400);
    assert!(early.html.contains("comes later"), "{}", early.html);
    assert_eq!(early.step(), "BASIC_INFO");
    let no_phone = visit.answer("BASIC_INFO", &[("phone", "")]).await;
    assert_eq!(no_phone.status, 400);
    assert!(no_phone.html.contains("Mobile phone"), "{}", no_phone.html);
    let page = visit
        .answer(
            "BASIC_INFO",
            &[("phone", "2125550177"), ("email", "ivy@example.com")],
        )
        .await;
    assert_eq!(page.step(), "SELECT_CARE_TYPE");
    let wrong_care = visit
        .answer("SELECT_CARE_TYPE", &[("care", "BOARDING")])
        .await;
    assert_eq!(wrong_care.status, 400);
    assert!(
        wrong_care.html.contains("Care: choose one"),
        "{}",
        wrong_care.html
    );
    visit
        .answer("SELECT_CARE_TYPE", &[("care", "GROOMING")])
        .await;
    let no_pet = visit.answer("SELECT_PET", &[]).await;
    assert_eq!(no_pet.status, 400);
    let heavy = visit
        .answer(
            "SELECT_PET",
            &[
                ("new_pet_name", "Tank"),
                ("new_pet_type", "DOG"),
                ("new_pet_weight", "9000"),
            ],
        )
        .await;
    assert_eq!(heavy.status, 400);
    assert!(heavy.html.contains("Weight"), "{}", heavy.html);
    let page = visit
        .answer(
            "SELECT_PET",
            &[("new_pet_name", "<b>Tank</b>"), ("new_pet_type", "DOG")],
        )
        .await;
    assert_eq!(page.status, 400, "a breed is required");
    assert!(page.html.contains("Breed"), "{}", page.html);
    let page = visit
        .answer(
            "SELECT_PET",
            &[
                ("new_pet_name", "<b>Tank</b>"),
                ("new_pet_type", "DOG"),
                ("new_pet_breed", "Mixed"),
            ],
        )
        .await;
    assert_eq!(page.step(), "SELECT_SERVICE");
    let forged = visit
        .answer("SELECT_SERVICE", &[("service", "svc_forged")])
        .await;
    assert_eq!(forged.status, 400);
    // Going back shows an earlier step; a later one is refused.
    let back = visit
        .client
        .get(format!("{}?step=SELECT_PET", visit.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(back.contains("&lt;b&gt;Tank&lt;/b&gt;"), "escaped: {back}");
    assert!(!back.contains("<b>Tank"));
    assert_eq!(visit.show().await.step(), "SELECT_SERVICE");

    // Unknown pages and visits are 404 pages.
    for path in ["/online-booking/bus_forged", "/online-booking/x/y"] {
        let reply = reqwest::get(app.url(path)).await.unwrap();
        assert_eq!(reply.status(), 404, "{path}");
    }
    let unknown_visit = reqwest::get(app.url(&format!("/online-booking/{}/nope", shop.business)))
        .await
        .unwrap();
    assert_eq!(unknown_visit.status(), 404);

    // Idle, it is an abandoned booking at the pet step; the operator marks it contacted.
    tokio::time::sleep(IDLE + Duration::from_millis(300)).await;
    let listed = shop.list(json!({"statuses": ["ABANDONED"]})).await;
    let id = listed.body["bookings"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(listed.body["bookings"][0]["abandonStep"], "SELECT_PET");
    let contacted = app
        .operator_post(
            &format!("/moego/abandoned_bookings/{id}/contacted"),
            json!({"note": "Left a voicemail"}),
        )
        .await;
    assert_eq!(contacted.status, 200, "{}", contacted.text);
    let got = shop.get(&id).await;
    assert_eq!(got.body["abandonStatus"], "CONTACTED");
    assert_eq!(got.body["additionalNote"], "Left a voicemail");
    let by_status = shop.list(json!({"statuses": ["CONTACTED"]})).await;
    assert_eq!(by_status.body["bookings"].as_array().unwrap().len(), 1);
    // A contacted visit no longer goes on.
    assert_eq!(visit.show().await.status, 410);
    let unknown = app
        .operator_post("/moego/abandoned_bookings/999999/contacted", json!({}))
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);

    // Bad requests to the API get the dialect's errors.
    let wide = shop
        .list(json!({"abandonTime": {"startTime": "2026-01-01T00:00:00Z", "endTime": "2026-03-01T00:00:00Z"}}))
        .await;
    assert_eq!(wide.status, 400, "{}", wide.text);
    assert_eq!(wide.body["code"], 3);
    let unspecified = shop
        .list(json!({"steps": ["ABANDON_STEP_UNSPECIFIED"]}))
        .await;
    assert_eq!(unspecified.status, 400, "{}", unspecified.text);
    let malformed = shop.get("abk_forged").await;
    assert_eq!(malformed.status, 400, "{}", malformed.text);
    let other_kind = shop.get(&shop.business).await;
    assert_eq!(other_kind.status, 400, "{}", other_kind.text);
}

/// Clicks a form's button and waits for the page of `step` (the submission navigates after
/// the click returns).
async fn submit(browser: &fantoccini::Client, css: &str, step: &str) {
    click(browser, css).await;
    for _ in 0..100 {
        if step_shown(browser).await == step {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the page did not reach {step}: {}",
        browser.source().await.unwrap()
    );
}

/// The step the page in the browser asks.
async fn step_shown(browser: &fantoccini::Client) -> String {
    let source = browser.source().await.unwrap();
    Page {
        status: 200,
        html: source,
    }
    .step()
}

#[tokio::test]
async fn a_pet_owner_books_in_headless_chromium_and_recovers_an_abandoned_visit() {
    let shop = shop().await;
    let app = &shop.app;
    let contact = ("(212) 555-0166", "olga@example.com");
    // An earlier visit that stopped at the date and went idle.
    let earlier = Visit::start(app, &shop.business).await;
    earlier.up_to_date(&shop, contact).await;
    tokio::time::sleep(IDLE + Duration::from_millis(300)).await;
    let abandoned = shop.list(json!({"statuses": ["ABANDONED"]})).await;
    let id = abandoned.body["bookings"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let driver = Driver::start().await;
    let browser = driver.browser().await;
    browser
        .goto(&app.url(&format!("/online-booking/{}", shop.business)))
        .await
        .unwrap();
    submit(&browser, "button[type=submit]", "BASIC_INFO").await;
    type_into(&browser, "phone", contact.0).await;
    type_into(&browser, "email", contact.1).await;
    submit(&browser, "button[type=submit]", "SELECT_CARE_TYPE").await;
    click(&browser, "input[value=GROOMING]").await;
    submit(&browser, "button[type=submit]", "SELECT_PET").await;
    type_into(&browser, "new_pet_name", "Luna").await;
    type_into(&browser, "new_pet_breed", "Shiba Inu").await;
    submit(&browser, "button[type=submit]", "SELECT_SERVICE").await;
    click(&browser, "input[name=service]").await;
    submit(&browser, "button[type=submit]", "SELECT_GROOMER").await;
    submit(&browser, "button[type=submit]", "SELECT_DATE").await;
    click(&browser, "input[name=date]").await;
    submit(
        &browser,
        "form:first-of-type button[type=submit]",
        "SELECT_TIME",
    )
    .await;
    click(&browser, "input[name=slot]").await;
    submit(
        &browser,
        "form:first-of-type button[type=submit]",
        "PERSONAL_INFO",
    )
    .await;
    type_into(&browser, "first_name", "Olga").await;
    type_into(&browser, "last_name", "Berg").await;
    submit(&browser, "button[type=submit]", "SUBMIT_APPT").await;
    click(&browser, "button[type=submit]").await;
    let mut done = String::new();
    for _ in 0..100 {
        done = browser.source().await.unwrap();
        if done.contains("Request sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done.contains("Request sent"), "{done}");
    assert!(!done.contains("<script"));
    browser.close().await.unwrap();

    let recovered = shop.get(&id).await;
    assert_eq!(
        recovered.body["abandonStatus"], "RECOVERED",
        "{}",
        recovered.text
    );
    let appointment = app
        .moego_get(
            &shop.auth,
            &format!(
                "/v1/appointments/{}?businessId={}",
                recovered.body["appointmentId"].as_str().unwrap(),
                shop.business
            ),
        )
        .await;
    assert_eq!(
        appointment.body["status"], "UNCONFIRMED",
        "{}",
        appointment.text
    );
    assert_eq!(
        appointment.body["petServiceDetails"][0]["pet"]["name"],
        "Luna"
    );
}

//! AppointmentService: booking, conflicts, the status machine, reschedule, availability
//! checks, notes, grooming reports, events and tenancy, on SQLite and PostgreSQL.

mod common;

use common::booking::{booking, ServiceSpec, APPOINTMENT};
use common::fidelity::assert_moego;
use common::orders::usd;
use common::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

/// A company-A scene: key, business Alpha One, a customer with a pet, a 60-minute $40
/// service, and staff Ann (who works there).
struct Scene {
    app: TestApp,
    auth: String,
    business: String,
    customer: String,
    pet: String,
    service: String,
    ann: String,
}

async fn scene() -> Scene {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let pet = app.create_pet(&auth, &customer, "Rex").await;
    let service = app.insert_service(0, ServiceSpec::default()).await;
    let (ann, _) = app.staff("Ann").await;
    let business = app.business_id(0, 0);
    Scene {
        app,
        auth,
        business,
        customer,
        pet,
        service,
        ann,
    }
}

impl Scene {
    async fn book_at(&self, start: &str) -> common::Reply {
        self.book_service(&self.pet, &self.service, start).await
    }

    /// Books `pet` for `service` with Ann at `start`.
    async fn book_service(&self, pet: &str, service: &str, start: &str) -> common::Reply {
        self.app
            .book(
                &self.auth,
                booking(
                    &self.business,
                    &self.customer,
                    pet,
                    service,
                    &self.ann,
                    start,
                ),
            )
            .await
    }

    /// The first page of the business's appointments.
    async fn list_first_page(&self) -> common::Reply {
        self.post(
            "/v1/appointments:list",
            json!({"companyId": self.app.seed.moego[0].company_id, "businessIds": [self.business],
                   "pagination": {"pageSize": 10}}),
        )
        .await
    }

    async fn booked_at(&self, start: &str) -> Value {
        let reply = self.book_at(start).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body
    }

    async fn booked_id(&self, start: &str) -> String {
        self.booked_at(start).await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Sends the create bodies all at once, answering the replies in the same order.
    async fn book_concurrently(&self, bodies: Vec<Value>) -> Vec<common::Reply> {
        let mut attempts = tokio::task::JoinSet::new();
        for (index, body) in bodies.into_iter().enumerate() {
            let request = self
                .app
                .client
                .post(self.app.url("/v1/appointments"))
                .header("authorization", &self.auth)
                .json(&body);
            attempts.spawn(async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let text = response.text().await.unwrap();
                let reply = common::Reply {
                    status,
                    body: serde_json::from_str(&text).unwrap_or(Value::Null),
                    text,
                };
                (index, reply)
            });
        }
        let mut replies = attempts.join_all().await;
        replies.sort_by_key(|(index, _)| *index);
        replies.into_iter().map(|(_, reply)| reply).collect()
    }

    async fn post(&self, path: &str, body: Value) -> common::Reply {
        self.app.moego_post(&self.auth, path, body).await
    }

    async fn get(&self, id: &str) -> common::Reply {
        self.app
            .moego_get(
                &self.auth,
                &format!("/v1/appointments/{id}?businessId={}", self.business),
            )
            .await
    }

    async fn set_status(&self, id: &str, status: &str) -> common::Reply {
        self.post(
            &format!("/v1/appointments/{id}:updateStatus"),
            json!({"businessId": self.business, "status": status}),
        )
        .await
    }
}

#[tokio::test]
async fn create_get_and_list_in_vendor_shape_with_the_orders_money() {
    let s = scene().await;
    s.app.set_tax_rate(0, 0, "8.25").await;
    let addon = s
        .app
        .insert_service(
            0,
            ServiceSpec {
                name: "Nail Trim",
                price: "12.5",
                minutes: 15,
                ..ServiceSpec::default()
            },
        )
        .await;
    let reply = s
        .app
        .book(
            &s.auth,
            json!({
                "businessId": s.business,
                "customerId": s.customer,
                "petServices": [{"petId": s.pet, "services": [
                    {"id": s.service, "duration": {"startTime": "2030-01-07T14:00:00Z"}, "staffIds": [s.ann]},
                    {"id": addon, "staffIds": [s.ann]},
                ]}],
                "appointmentNotes": [{"note": "Nervous dog", "type": "ALERT_NOTES"}],
            }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let created = reply.body;
    assert_moego(APPOINTMENT, "v1Appointment", &created);
    assert!(created["id"].as_str().unwrap().starts_with("apt_"));
    assert_eq!(created["status"], "UNCONFIRMED");
    assert_eq!(created["duration"]["startTime"], "2030-01-07T14:00:00Z");
    // The add-on follows the first service: 60 + 15 minutes.
    assert_eq!(created["duration"]["endTime"], "2030-01-07T15:15:00Z");
    let services = &created["petServiceDetails"][0]["serviceDetails"];
    assert_eq!(created["petServiceDetails"][0]["pet"]["id"], s.pet);
    assert_eq!(services[1]["duration"]["startTime"], "2030-01-07T15:00:00Z");
    assert_eq!(services[0]["staffIds"][0], s.ann);
    assert_eq!(services[0]["serviceTime"], 60);
    // 40 + 12.50 = 52.50; tax 8.25% per line: 3.30 + 1.03 (1.03125 rounded) = 4.33.
    assert_eq!(
        created["totalAmount"],
        json!({"currencyCode": "USD", "units": "56", "nanos": 830000000})
    );
    assert_eq!(created["paymentStatus"], "UNPAID");
    assert!(created["orderId"].as_str().unwrap().starts_with("ord_"));

    let id = created["id"].as_str().unwrap();
    let got = s.get(id).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_moego(APPOINTMENT, "v1Appointment", &got.body);
    assert_eq!(got.body, created);

    let listed = s.list_first_page().await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(APPOINTMENT, "v1ListAppointmentsResponse", &listed.body);
    assert_eq!(listed.body["appointments"][0], created);

    let notes = s
        .post("/v1/appointments/notes:list", json!({"appointmentId": id}))
        .await;
    assert_eq!(notes.body["notes"][0]["note"], "Nervous dog");

    let events = s.app.appointment_events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "APPOINTMENT_CREATED");
    assert_eq!(events[0].1["appointment"], created);
}

#[tokio::test]
async fn overlapping_bookings_are_refused_unless_conflicts_are_ignored() {
    let s = scene().await;
    let first = s.booked_at("2030-01-07T14:00:00Z").await;
    let (appointments, events) = (
        s.app.count_rows("moego_appointments").await,
        s.app.appointment_events().await.len(),
    );
    let refused = s.book_at("2030-01-07T14:30:00Z").await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert_eq!(
        refused.body["code"], 9,
        "FAILED_PRECONDITION: {}",
        refused.text
    );
    assert!(refused.text.contains(first["id"].as_str().unwrap()));
    assert_eq!(s.app.count_rows("moego_appointments").await, appointments);
    assert_eq!(s.app.count_rows("moego_orders").await, 1);
    assert_eq!(s.app.appointment_events().await.len(), events);

    // Back to back is no overlap; ignoring conflicts (the vendor's default) books anyway.
    s.booked_at("2030-01-07T15:00:00Z").await;
    let mut ignoring = booking(
        &s.business,
        &s.customer,
        &s.pet,
        &s.service,
        &s.ann,
        "2030-01-07T14:30:00Z",
    );
    ignoring.as_object_mut().unwrap().remove("ignoreConflict");
    assert_eq!(s.app.book(&s.auth, ignoring).await.status, 200);

    // A block holds the staff's time too; canceling frees an appointment's.
    let block = s
        .post(
            "/v1/blocks",
            json!({"businessId": s.business, "staffId": s.ann,
                   "duration": {"startTime": "2030-01-08T12:00:00Z", "endTime": "2030-01-08T13:00:00Z"}}),
        )
        .await;
    assert_eq!(block.status, 200, "{}", block.text);
    let blocked = s.book_at("2030-01-08T12:30:00Z").await;
    assert_eq!(blocked.body["code"], 9, "{}", blocked.text);
    assert!(blocked.text.contains("block"));
    let id = first["id"].as_str().unwrap();
    let canceled = s
        .post(
            &format!("/v1/appointments/{id}:cancel"),
            json!({"businessId": s.business}),
        )
        .await;
    assert_eq!(canceled.status, 200, "{}", canceled.text);
    assert_eq!(canceled.body["status"], "CANCELED");
    assert!(canceled.body["canceledTime"].is_string());
    // 14:00-15:00 is still taken by the booking that ignored conflicts (14:30-15:30).
    assert_eq!(s.book_at("2030-01-07T13:00:00Z").await.status, 200);
}

#[tokio::test]
async fn concurrent_bookings_of_one_staff_slot_let_exactly_one_win() {
    let s = scene().await;
    let mut pets = Vec::new();
    for index in 0..6 {
        pets.push(
            s.app
                .create_pet(&s.auth, &s.customer, &format!("Pet{index}"))
                .await,
        );
    }
    let bodies = pets
        .iter()
        .map(|pet| {
            booking(
                &s.business,
                &s.customer,
                pet,
                &s.service,
                &s.ann,
                "2030-02-01T10:00:00Z",
            )
        })
        .collect();
    let replies = s.book_concurrently(bodies).await;
    let won = replies.iter().filter(|reply| reply.status == 200).count();
    let lost = replies
        .iter()
        .filter(|reply| reply.body["code"] == 9)
        .count();
    assert_eq!(
        (won, lost),
        (1, 5),
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    assert_eq!(s.app.count_rows("moego_appointments").await, 1);
    assert_eq!(s.app.appointment_events().await.len(), 1);
}

/// Bookings that arrive together are committed together (group commit): each still gets its
/// own appointment, details, order and APPOINTMENT_CREATED, exactly as a GET shows it, and
/// conflict checks still see the bookings of their own batch.
#[tokio::test]
async fn bookings_committed_together_each_get_their_own_rows_order_and_event() {
    let s = scene().await;
    s.app.set_tax_rate(0, 0, "8.25").await;
    let mut pets = Vec::new();
    for index in 0..26 {
        pets.push(
            s.app
                .create_pet(&s.auth, &s.customer, &format!("Pet{index}"))
                .await,
        );
    }
    // 12 that ignore conflicts, all at one hour; 12 that check them, each on its own day;
    // and 2 that check them and want the same hour, of which exactly one can win.
    let bodies: Vec<Value> = pets
        .iter()
        .enumerate()
        .map(|(index, pet)| {
            let start = match index {
                0..=11 => "2030-03-01T10:00:00Z".to_string(),
                12..=23 => format!("2030-04-{:02}T10:00:00Z", index - 11),
                _ => "2030-05-01T10:00:00Z".to_string(),
            };
            let mut body = booking(&s.business, &s.customer, pet, &s.service, &s.ann, &start);
            body["ignoreConflict"] = json!(index < 12);
            body
        })
        .collect();
    let replies = s.book_concurrently(bodies).await;
    for reply in &replies[..24] {
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let pair: Vec<u16> = replies[24..].iter().map(|reply| reply.status).collect();
    assert!(pair.contains(&200) && pair.contains(&400), "{pair:?}");
    let created: Vec<&Value> = replies
        .iter()
        .filter(|reply| reply.status == 200)
        .map(|reply| &reply.body)
        .collect();
    assert_eq!(created.len(), 25);
    for (reply, pet) in replies.iter().zip(&pets) {
        if reply.status != 200 {
            continue;
        }
        let appointment = &reply.body;
        assert_moego(APPOINTMENT, "v1Appointment", appointment);
        assert_eq!(appointment["petServiceDetails"][0]["pet"]["id"], *pet);
        // $40 and 8.25 % tax.
        assert_eq!(appointment["totalAmount"], usd(43, 300_000_000));
        let got = s.get(appointment["id"].as_str().unwrap()).await;
        assert_eq!(got.body, *appointment);
    }
    let distinct = |field: &str| {
        created
            .iter()
            .map(|appointment| appointment[field].as_str().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    assert_eq!((distinct("id"), distinct("orderId")), (25, 25));
    assert_eq!(s.app.count_rows("moego_orders").await, 25);
    assert_eq!(s.app.count_rows("moego_order_line_items").await, 25);
    assert_eq!(s.app.count_rows("moego_staff_slots").await, 25);
    let events = s.app.appointment_events().await;
    assert_eq!(events.len(), 25);
    let event_ids: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|(_, body)| body["id"].as_str().unwrap())
        .collect();
    assert_eq!(event_ids.len(), 25);
    for (kind, body) in &events {
        assert_eq!(kind, "APPOINTMENT_CREATED");
        let answered = created
            .iter()
            .find(|appointment| appointment["id"] == body["appointment"]["id"])
            .expect("each event is of a created appointment");
        assert_eq!(body["appointment"], **answered);
    }
}

#[tokio::test]
async fn the_status_flow_moves_forward_and_refuses_the_rest_changing_nothing() {
    let s = scene().await;
    let id = s.booked_id("2030-01-07T14:00:00Z").await;
    for (status, stamp) in [
        ("CONFIRMED", "confirmedTime"),
        ("CHECKED_IN", "checkInTime"),
        ("READY", "readyTime"),
        ("FINISHED", "checkOutTime"),
    ] {
        let moved = s.set_status(&id, status).await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        assert_moego(APPOINTMENT, "v1Appointment", &moved.body);
        assert_eq!(moved.body["status"], status);
        assert!(moved.body[stamp].is_string(), "{stamp} set: {}", moved.text);
    }
    let types: Vec<String> = s
        .app
        .appointment_events()
        .await
        .into_iter()
        .map(|(kind, _)| kind)
        .collect();
    assert_eq!(
        types,
        [
            "APPOINTMENT_CREATED",
            "APPOINTMENT_UPDATED",
            "APPOINTMENT_UPDATED",
            "APPOINTMENT_UPDATED",
            "APPOINTMENT_FINISHED"
        ]
    );
    let finished = s.get(&id).await.body;
    for (status, code) in [
        ("CANCELED", 9),
        ("READY", 9),
        ("FINISHED", 9),
        ("STATUS_UNSPECIFIED", 3),
        ("NOT_A_STATUS", 3),
    ] {
        let refused = s.set_status(&id, status).await;
        assert_eq!(refused.body["code"], code, "{status}: {}", refused.text);
    }
    let cancel = s
        .post(
            &format!("/v1/appointments/{id}:cancel"),
            json!({"businessId": s.business}),
        )
        .await;
    assert_eq!(cancel.body["code"], 9, "{}", cancel.text);
    assert_eq!(s.get(&id).await.body, finished);
    assert_eq!(s.app.appointment_events().await.len(), 5);

    // A move may skip stages, stamping each; backward moves are refused.
    let other = s.booked_id("2030-01-09T14:00:00Z").await;
    let ready = s.set_status(&other, "READY").await;
    assert!(ready.body["confirmedTime"].is_string() && ready.body["checkInTime"].is_string());
    assert_eq!(s.set_status(&other, "CONFIRMED").await.body["code"], 9);
    let canceled = s.set_status(&other, "CANCELED").await;
    assert_eq!(canceled.body["status"], "CANCELED");
    assert_eq!(s.set_status(&other, "CONFIRMED").await.body["code"], 9);
    let last = s.app.appointment_events().await.pop().unwrap();
    assert_eq!(last.0, "APPOINTMENT_CANCELED");
}

#[tokio::test]
async fn reschedule_moves_every_service_and_rechecks_conflicts() {
    let s = scene().await;
    let id = s.booked_id("2030-01-07T14:00:00Z").await;
    s.booked_at("2030-01-07T16:00:00Z").await;
    let path = format!("/v1/appointments/{id}:reschedule");
    let clash = s
        .post(
            &path,
            json!({"businessId": s.business, "duration": {"startTime": "2030-01-07T16:30:00Z"}}),
        )
        .await;
    assert_eq!(clash.body["code"], 9, "{}", clash.text);
    assert_eq!(s.app.appointment_events().await.len(), 2);
    let moved = s
        .post(
            &path,
            json!({"businessId": s.business, "duration": {"startTime": "2030-01-08T09:00:00Z"}}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_moego(APPOINTMENT, "v1Appointment", &moved.body);
    assert_eq!(moved.body["duration"]["endTime"], "2030-01-08T10:00:00Z");
    assert_eq!(
        moved.body["petServiceDetails"][0]["serviceDetails"][0]["duration"]["startTime"],
        "2030-01-08T09:00:00Z"
    );
    let last = s.app.appointment_events().await.pop().unwrap();
    assert_eq!(last.0, "APPOINTMENT_UPDATED");
    // The old slot is free again.
    assert_eq!(s.book_at("2030-01-07T14:00:00Z").await.status, 200);
    let bad = s
        .post(
            &path,
            json!({"businessId": s.business, "duration": {"startTime": "2030-01-08T09:00:00Z", "endTime": "2030-01-08T08:00:00Z"}}),
        )
        .await;
    assert_eq!(bad.body["code"], 3, "{}", bad.text);
}

#[tokio::test]
async fn reschedule_refuses_the_past_and_times_outside_working_hours() {
    let s = scene().await;
    let id = s.booked_id("2030-01-07T14:00:00Z").await;
    let path = format!("/v1/appointments/{id}:reschedule");
    let to = |start: &str| json!({"businessId": s.business, "duration": {"startTime": start}});
    let past = s.post(&path, to("2021-01-05T15:00:00Z")).await;
    assert_eq!(
        (past.status, &past.body["code"]),
        (400, &json!(3)),
        "{}",
        past.text
    );
    assert!(past.text.contains("future"), "{}", past.text);
    // Tuesdays 09:00-17:00 in New York (UTC-5 in January); every other day closed.
    let settings = s
        .app
        .put_booking_settings(
            &s.business,
            json!({"workingHours": {"TUESDAY": [{"start": 540, "end": 1020}]}}),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    for (start, why) in [
        ("2030-01-09T15:00:00Z", "a closed day"),
        ("2030-01-08T13:30:00Z", "before opening"),
        ("2030-01-08T21:30:00Z", "running past closing"),
    ] {
        let refused = s.post(&path, to(start)).await;
        assert_eq!(
            (refused.status, &refused.body["code"]),
            (400, &json!(9)),
            "{why}: {}",
            refused.text
        );
    }
    assert_eq!(s.app.appointment_events().await.len(), 1, "nothing moved");
    let moved = s.post(&path, to("2030-01-08T15:00:00Z")).await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["duration"]["startTime"], "2030-01-08T15:00:00Z");
}

#[tokio::test]
async fn list_filters_and_pages_by_page_number() {
    let s = scene().await;
    let second_pet = s.app.create_pet(&s.auth, &s.customer, "Bo").await;
    let mut ids = Vec::new();
    for day in 1..=5 {
        ids.push(
            s.booked_at(&format!("2030-03-0{day}T10:00:00Z")).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let other = s
        .app
        .book(
            &s.auth,
            booking(
                &s.business,
                &s.customer,
                &second_pet,
                &s.service,
                &s.ann,
                "2030-03-06T10:00:00Z",
            ),
        )
        .await;
    s.set_status(&ids[0], "CONFIRMED").await;
    let company = s.app.seed.moego[0].company_id.clone();
    let list = |filter: Value, token: &str| {
        s.post(
            "/v1/appointments:list",
            json!({"companyId": company, "businessIds": [s.business], "filter": filter,
                   "pagination": {"pageSize": 2, "pageToken": token}}),
        )
    };
    let ids_of = |reply: &common::Reply| -> Vec<String> {
        reply.body["appointments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut seen = Vec::new();
    let mut token = "1".to_string();
    while !token.is_empty() {
        let page = list(json!({}), &token).await;
        assert_eq!(page.status, 200, "{}", page.text);
        seen.extend(ids_of(&page));
        token = page.body["nextPageToken"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    assert_eq!(seen.len(), 6);
    assert_eq!(&seen[..5], &ids[..]);

    let window = list(
        json!({"startTime": {"startTime": "2030-03-02T00:00:00Z", "endTime": "2030-03-04T00:00:00Z"}}),
        "1",
    )
    .await;
    assert_eq!(ids_of(&window), &ids[1..3]);
    let confirmed = list(json!({"statuses": ["CONFIRMED"]}), "1").await;
    assert_eq!(ids_of(&confirmed), &ids[..1]);
    let by_pet = list(json!({"petIds": [second_pet]}), "1").await;
    assert_eq!(ids_of(&by_pet), [other.body["id"].as_str().unwrap()]);
    let by_service = list(
        json!({"serviceIds": [s.service], "serviceTypes": ["BOARDING"]}),
        "1",
    )
    .await;
    assert_eq!(ids_of(&by_service), Vec::<String>::new());
    let by_customer = list(json!({"customerIds": [s.customer]}), "3").await;
    assert_eq!(ids_of(&by_customer).len(), 2);
    let bad = list(json!({"startTime": {"startTime": "yesterday"}}), "1").await;
    assert_eq!(bad.body["code"], 3, "{}", bad.text);
    assert!(bad.text.contains("filter.startTime.startTime"));
    let no_business = s
        .post(
            "/v1/appointments:list",
            json!({"companyId": company, "businessIds": [], "pagination": {"pageSize": 2}}),
        )
        .await;
    assert_eq!(no_business.body["code"], 3);
}

#[tokio::test]
async fn bad_bookings_name_the_field_and_write_nothing() {
    let s = scene().await;
    let other_customer = s.app.insert_customer(0, "Bea", "+12125550002").await;
    let strangers_pet = s.app.create_pet(&s.auth, &other_customer, "Stray").await;
    let (bob, _) = s.app.staff("Bob").await;
    let base = |pet: &str, staff: &str, start: &str| {
        booking(&s.business, &s.customer, pet, &s.service, staff, start)
    };
    let cases = [
        (
            base(&strangers_pet, &s.ann, "2030-01-07T14:00:00Z"),
            5,
            "petServices[0].petId",
        ),
        (base(&s.pet, &bob, "2030-01-07T14:00:00Z"), 3, "staffIds[0]"),
        (base(&s.pet, &s.ann, "not a time"), 3, "duration.startTime"),
        (
            json!({"businessId": s.business, "customerId": s.customer, "petServices": [
                {"petId": s.pet, "services": [{"id": s.service, "duration": {
                    "startTime": "2030-01-07T14:00:00Z", "endTime": "2030-01-07T13:00:00Z"}}]}]}),
            3,
            "petServices[0].services[0].duration",
        ),
        (
            json!({"businessId": s.business, "customerId": s.customer, "petServices": [
                {"petId": s.pet, "services": [{"id": s.service}]}]}),
            3,
            "duration.startTime",
        ),
        (
            json!({"businessId": s.business, "customerId": s.customer, "petServices": []}),
            3,
            "petServices",
        ),
        (
            json!({"businessId": s.app.business_id(1, 0), "customerId": s.customer,
                   "petServices": [{"petId": s.pet, "services": [{"id": s.service}]}]}),
            7,
            "",
        ),
    ];
    for (body, code, field) in cases {
        let reply = s.app.book(&s.auth, body).await;
        assert_eq!(reply.body["code"], code, "{}", reply.text);
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
    let only_elsewhere = s
        .app
        .insert_service(
            0,
            ServiceSpec {
                businesses: Some(vec![s.app.business_raw_id(0, 1)]),
                ..ServiceSpec::default()
            },
        )
        .await;
    let reply = s
        .book_service(&s.pet, &only_elsewhere, "2030-01-07T14:00:00Z")
        .await;
    assert_eq!(reply.body["code"], 3, "{}", reply.text);
    assert!(reply.text.contains("not available at this business"));
    assert_eq!(s.app.count_rows("moego_appointments").await, 0);
    assert!(s.app.appointment_events().await.is_empty());
}

#[tokio::test]
async fn another_companys_key_sees_nothing() {
    let s = scene().await;
    let id = s.booked_id("2030-01-07T14:00:00Z").await;
    let beta = s.app.moego_auth(1);
    let got = s
        .app
        .moego_get(
            &beta,
            &format!("/v1/appointments/{id}?businessId={}", s.business),
        )
        .await;
    assert_eq!(got.body["code"], 7, "{}", got.text);
    let cancel = s
        .app
        .moego_post(
            &beta,
            &format!("/v1/appointments/{id}:cancel"),
            json!({"businessId": s.business}),
        )
        .await;
    assert_eq!(cancel.body["code"], 7, "{}", cancel.text);
    let list = s
        .app
        .moego_post(
            &beta,
            "/v1/appointments:list",
            json!({"companyId": s.app.seed.moego[1].company_id, "businessIds": [s.business],
                   "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(list.body["code"], 7, "{}", list.text);
    let wrong_business = s
        .app
        .moego_get(
            &s.auth,
            &format!(
                "/v1/appointments/{id}?businessId={}",
                s.app.business_id(0, 1)
            ),
        )
        .await;
    assert_eq!(wrong_business.body["code"], 3, "{}", wrong_business.text);
    let missing_business = s
        .app
        .moego_get(&s.auth, &format!("/v1/appointments/{id}"))
        .await;
    assert_eq!(
        missing_business.body["code"], 3,
        "{}",
        missing_business.text
    );
}

/// A night's boarding (the vendor's BOARDING: a lodging unit, no staff).
const BOARDING: ServiceSpec = ServiceSpec {
    name: "Overnight",
    price: "65",
    minutes: 1440,
    item_type: "BOARDING",
    businesses: None,
    staff: None,
};

/// CreateAppointment's newer service fields: staff required for GROOMING only, `lodgingId`
/// required for BOARDING and refused for GROOMING, `price` overriding the catalog's (and billed).
#[tokio::test]
async fn create_requires_staff_for_grooming_a_lodging_for_boarding_and_takes_a_price() {
    let s = scene().await;
    let unit = s.app.insert_lodging_unit(0, 0, 2).await;
    let boarding = s.app.insert_service(0, BOARDING).await;
    let create = |service: Value| {
        json!({"businessId": s.business, "customerId": s.customer, "ignoreConflict": false,
               "petServices": [{"petId": s.pet, "services": [service]}]})
    };
    let start = json!({"startTime": "2030-05-06T14:00:00Z"});
    for (service, field) in [
        (json!({"id": s.service, "duration": start}), "staffIds"),
        (
            json!({"id": s.service, "duration": start, "staffIds": [s.ann], "lodgingId": unit}),
            "lodgingId",
        ),
        (json!({"id": boarding, "duration": start}), "lodgingId"),
        (
            json!({"id": s.service, "duration": start, "staffIds": [s.ann],
                   "price": {"currencyCode": "EUR", "units": "50"}}),
            "price",
        ),
        (
            json!({"id": s.service, "duration": start, "staffIds": [s.ann],
                   "price": {"currencyCode": "USD", "units": "-5"}}),
            "price",
        ),
        (
            json!({"id": s.service, "duration": start, "staffIds": [s.ann],
                   "price": {"currencyCode": "USD", "units": "5", "nanos": 5_000_000}}),
            "price",
        ),
    ] {
        let refused = s.app.book(&s.auth, create(service.clone())).await;
        assert_eq!(refused.status, 400, "{service}: {}", refused.text);
        assert_eq!(refused.body["code"], 3, "{}", refused.text);
        let message = refused.body["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("services[0].{field}")),
            "{message}"
        );
    }
    assert_eq!(s.app.count_rows("moego_appointments").await, 0);

    let priced = s
        .app
        .book(
            &s.auth,
            create(
                json!({"id": s.service, "duration": start, "staffIds": [s.ann],
                          "price": {"currencyCode": "USD", "units": "55", "nanos": 500_000_000}}),
            ),
        )
        .await;
    assert_eq!(priced.status, 200, "{}", priced.text);
    let detail = &priced.body["petServiceDetails"][0]["serviceDetails"][0];
    assert_eq!(detail["price"], usd(55, 500_000_000));
    let order = priced.body["orderId"].as_str().unwrap();
    let billed = s
        .app
        .moego_get(&s.auth, &format!("/v1/orders/{order}"))
        .await;
    assert_eq!(
        billed.body["subTotalAmount"],
        usd(55, 500_000_000),
        "{}",
        billed.text
    );

    // A stay spans its days: a night from 14:00 ends the next day at 14:00.
    let stay = s
        .app
        .book(
            &s.auth,
            create(json!({"id": boarding, "lodgingId": unit,
                          "duration": {"startTime": "2030-05-07T14:00:00Z"}})),
        )
        .await;
    assert_eq!(stay.status, 200, "{}", stay.text);
    assert_eq!(
        stay.body["duration"]["endTime"], "2030-05-08T14:00:00Z",
        "{}",
        stay.text
    );
    assert_eq!(
        stay.body["petServiceDetails"][0]["serviceDetails"][0]["lodgingId"],
        unit.as_str()
    );
}

/// A lodging unit holds at most its type's `maxPetNum` pets: a booking that checks conflicts
/// is refused when it would overfill the unit (as `appointments:check` reports), even when
/// many arrive at once; one that ignores conflicts is booked.
#[tokio::test]
async fn lodging_capacity_refuses_overfilling_bookings_even_concurrent_ones() {
    let s = scene().await;
    let unit = s.app.insert_lodging_unit(0, 0, 2).await;
    let boarding = s.app.insert_service(0, BOARDING).await;
    let mut pets = Vec::new();
    for name in ["Ace", "Bo", "Cy", "Di", "Ed", "Fi", "Gus", "Hal"] {
        pets.push(s.app.create_pet(&s.auth, &s.customer, name).await);
    }
    let stay = |pet: &str, start: &str, ignore_conflict: bool| {
        json!({"businessId": s.business, "customerId": s.customer,
               "ignoreConflict": ignore_conflict, "petServices": [{"petId": pet, "services": [
                   {"id": boarding, "lodgingId": unit, "duration": {"startTime": start}}]}]})
    };
    let replies = s
        .book_concurrently(
            pets.iter()
                .map(|pet| stay(pet, "2030-06-03T12:00:00Z", false))
                .collect(),
        )
        .await;
    let booked = replies.iter().filter(|reply| reply.status == 200).count();
    assert_eq!(booked, 2, "a unit of two takes two of eight at once");
    let refused = replies.iter().find(|reply| reply.status != 200).unwrap();
    assert_eq!(refused.body["code"], 9, "{}", refused.text);
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap()
            .contains("services[0].lodgingId: lodging unit"),
        "{}",
        refused.text
    );
    assert_eq!(s.app.count_rows("moego_appointments").await, 2);

    // The check agrees: a third pet (one of those refused) overfills the unit that night.
    let outsider = &pets[replies
        .iter()
        .position(|reply| reply.status != 200)
        .unwrap()];
    let check = s
        .post(
            "/v1/appointments:check",
            json!({"businessId": s.business, "petIds": [outsider], "lodgingUnitIds": [unit],
                   "dateRange": {"startTime": "2030-06-03T12:00:00Z", "endTime": "2030-06-04T12:00:00Z"}}),
        )
        .await;
    assert_eq!(
        check.body["lodgingOverCapacityCheck"]["lodgings"][0]["lodgingUnits"][0]["id"],
        unit.as_str(),
        "{}",
        check.text
    );
    // When the stays end, the unit takes pets again; ignoring conflicts books regardless.
    let next_night = s
        .app
        .book(&s.auth, stay(&pets[7], "2030-06-04T12:00:00Z", false))
        .await;
    assert_eq!(next_night.status, 200, "{}", next_night.text);
    let squeezed = s
        .app
        .book(&s.auth, stay(&pets[6], "2030-06-03T12:00:00Z", true))
        .await;
    assert_eq!(squeezed.status, 200, "{}", squeezed.text);
}

#[tokio::test]
async fn check_reports_pet_conflicts_closed_days_and_full_lodgings() {
    let s = scene().await;
    let unit = s.app.insert_lodging_unit(0, 0, 1).await;
    let boarding = s.app.insert_service(0, BOARDING).await;
    let booked = s
        .app
        .book(
            &s.auth,
            json!({"businessId": s.business, "customerId": s.customer, "petServices": [
                {"petId": s.pet, "services": [{"id": boarding, "lodgingId": unit,
                    "duration": {"startTime": "2030-04-01T10:00:00Z"}}]}]}),
        )
        .await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    assert_eq!(
        booked.body["petServiceDetails"][0]["serviceDetails"][0]["lodgingUnitName"],
        "Suite 1"
    );
    // The booking assembles its answer from what it wrote; a read finds the same.
    let got = s.get(booked.body["id"].as_str().unwrap()).await;
    assert_eq!(got.body, booked.body);
    s.app
        .insert_closed_dates(0, 0, "2030-04-02", "2030-04-10")
        .await;
    let second_pet = s.app.create_pet(&s.auth, &s.customer, "Bo").await;
    let rows = s.app.count_rows("moego_appointments").await;
    let check = s
        .post(
            "/v1/appointments:check",
            json!({"businessId": s.business, "petIds": [s.pet, second_pet], "customerId": s.customer,
                   "lodgingUnitIds": [unit],
                   "dateRange": {"startTime": "2030-04-01T00:00:00Z", "endTime": "2030-04-04T00:00:00Z"}}),
        )
        .await;
    assert_eq!(check.status, 200, "{}", check.text);
    assert_moego(
        APPOINTMENT,
        "v1CheckAppointmentAvailabilityResponse",
        &check.body,
    );
    let conflicts = &check.body["appointmentConflictCheck"]["conflicts"];
    assert_eq!(conflicts.as_array().unwrap().len(), 1);
    assert_eq!(conflicts[0]["pet"]["id"], s.pet);
    assert_eq!(conflicts[0]["appointments"][0]["id"], booked.body["id"]);
    assert_eq!(
        check.body["businessClosedDateCheck"]["closedDates"],
        json!([{"year": 2030, "month": 4, "day": 2}, {"year": 2030, "month": 4, "day": 3}])
    );
    let lodgings = &check.body["lodgingOverCapacityCheck"]["lodgings"];
    assert_eq!(lodgings[0]["lodgingUnits"][0]["id"], unit);
    assert_eq!(lodgings[0]["lodgingType"]["maxPetNum"], 1);
    assert_eq!(s.app.count_rows("moego_appointments").await, rows);

    // Excluding the booked appointment leaves nothing but the closed day.
    let excluded = s
        .post(
            "/v1/appointments:check",
            json!({"businessId": s.business, "petIds": [s.pet], "appointmentId": booked.body["id"],
                   "lodgingUnitIds": [unit],
                   "dateRange": {"startTime": "2030-04-01T00:00:00Z", "endTime": "2030-04-02T00:00:00Z"}}),
        )
        .await;
    assert_moego(
        APPOINTMENT,
        "v1CheckAppointmentAvailabilityResponse",
        &excluded.body,
    );
    assert_eq!(
        excluded.body,
        json!({"appointmentConflictCheck": {}, "businessClosedDateCheck": {}, "lodgingOverCapacityCheck": {}})
    );
    // Closed days are the company's calendar days (America/New_York, EDT in April): 02:00 UTC
    // on April 2 is still April 1 there, and 02:00 UTC on April 11 is April 10, still closed.
    for (start, end, closed) in [
        ("2030-04-02T02:00:00Z", "2030-04-02T03:00:00Z", json!({})),
        (
            "2030-04-11T02:00:00Z",
            "2030-04-11T03:00:00Z",
            json!({"closedDates": [{"year": 2030, "month": 4, "day": 10}]}),
        ),
    ] {
        let local = s
            .post(
                "/v1/appointments:check",
                json!({"businessId": s.business, "dateRange": {"startTime": start, "endTime": end}}),
            )
            .await;
        assert_eq!(local.status, 200, "{}", local.text);
        assert_eq!(local.body["businessClosedDateCheck"], closed, "{start}");
    }
    let bad = s
        .post(
            "/v1/appointments:check",
            json!({"businessId": s.business,
                   "dateRange": {"startTime": "2030-04-02T00:00:00Z", "endTime": "2030-04-01T00:00:00Z"}}),
        )
        .await;
    assert_eq!(bad.body["code"], 3, "{}", bad.text);
}

#[tokio::test]
async fn notes_are_created_updated_and_listed_without_appointment_events() {
    let s = scene().await;
    let id = s.booked_id("2030-01-07T14:00:00Z").await;
    let created = s
        .post(
            "/v1/appointments/notes",
            json!({"appointmentId": id, "note": "Likes treats", "type": "COMMENT"}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_moego(APPOINTMENT, "v1AppointmentNote", &created.body);
    assert_eq!(created.body["appointmentId"], id);
    let note_id = created.body["id"].as_str().unwrap();
    let updated = s
        .app
        .moego_request(
            Method::PUT,
            &s.auth,
            &format!("/v1/appointments/notes/{note_id}"),
            Some(json!({"note": "Loves treats"})),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["note"], "Loves treats");
    s.post(
        "/v1/appointments/notes",
        json!({"appointmentId": id, "note": "Bites", "type": "ALERT_NOTES"}),
    )
    .await;
    let all = s
        .post("/v1/appointments/notes:list", json!({"appointmentId": id}))
        .await;
    assert_moego(APPOINTMENT, "v1ListAppointmentNotesResponse", &all.body);
    assert_eq!(all.body["notes"].as_array().unwrap().len(), 2);
    let alerts = s
        .post(
            "/v1/appointments/notes:list",
            json!({"appointmentId": id, "type": "ALERT_NOTES"}),
        )
        .await;
    assert_eq!(alerts.body["notes"][0]["note"], "Bites");
    for (body, field) in [
        (
            json!({"appointmentId": id, "note": "x", "type": "CANCEL"}),
            "type",
        ),
        (
            json!({"appointmentId": id, "note": " ", "type": "COMMENT"}),
            "note",
        ),
    ] {
        let refused = s.post("/v1/appointments/notes", body).await;
        assert_eq!(refused.body["code"], 3, "{}", refused.text);
        assert!(refused.text.contains(field));
    }
    let beta = s
        .app
        .moego_post(
            &s.app.moego_auth(1),
            "/v1/appointments/notes:list",
            json!({"appointmentId": id}),
        )
        .await;
    assert_eq!(beta.body["code"], 7);
    assert_eq!(s.app.appointment_events().await.len(), 1);
}

#[tokio::test]
async fn deleted_appointments_answer_only_their_id_and_grooming_reports_list() {
    let s = scene().await;
    let id = s.booked_id("2030-01-07T14:00:00Z").await;
    let recorded = s
        .app
        .send(
            s.app
                .admin(
                    Method::POST,
                    &format!("/moego/appointments/{id}/grooming-reports"),
                )
                .json(
                    &json!({"petId": s.pet, "status": "SENT", "contentJson": "{\"mood\":\"happy\"}",
                              "sendType": "MANUAL", "sendingMethodList": ["EMAIL"]}),
                ),
        )
        .await;
    assert_eq!(recorded.status, 201, "{}", recorded.text);
    let reports = s
        .post(
            "/v1/grooming_reports:list",
            json!({"appointmentIds": [id], "businessId": s.business}),
        )
        .await;
    assert_eq!(reports.status, 200, "{}", reports.text);
    assert_moego(APPOINTMENT, "v1ListGroomingReportsResponse", &reports.body);
    let report = &reports.body["groomingReports"][0];
    assert_eq!(report["petId"], s.pet);
    assert_eq!(report["status"], "SENT");
    assert_eq!(report["sendingMethodList"], json!(["EMAIL"]));

    let deleted = s
        .app
        .send(
            s.app
                .admin(Method::DELETE, &format!("/moego/appointments/{id}")),
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let got = s.get(&id).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_moego(APPOINTMENT, "v1Appointment", &got.body);
    assert_eq!(got.body, json!({"id": id, "isDeleted": true}));
    let last = s.app.appointment_events().await.pop().unwrap();
    assert_eq!(last.0, "APPOINTMENT_DELETED");
    assert_eq!(last.1["appointment"], got.body);
    let again = s
        .app
        .send(
            s.app
                .admin(Method::DELETE, &format!("/moego/appointments/{id}")),
        )
        .await;
    assert_eq!(again.status, 404);
    let refused = s.set_status(&id, "CONFIRMED").await;
    assert_eq!(refused.body["code"], 9, "{}", refused.text);
    // Its staff time is free, and it is gone from lists and reports.
    assert_eq!(s.book_at("2030-01-07T14:00:00Z").await.status, 200);
    let reports = s
        .post(
            "/v1/grooming_reports:list",
            json!({"appointmentIds": [id], "businessId": s.business}),
        )
        .await;
    assert_eq!(reports.body, json!({"groomingReports": []}));
}

#[tokio::test]
async fn the_customer_link_and_the_client_lookup_show_booked_appointments() {
    let s = scene().await;
    let future = s.booked_at("2099-01-07T14:00:00Z").await;
    let past = s.booked_at("2020-01-07T14:00:00Z").await;
    let customer = s
        .app
        .moego_get(&s.auth, &format!("/v1/customers/{}", s.customer))
        .await;
    let url = customer.body["upcomingAppointmentsUrl"].as_str().unwrap();
    let path = &url[url.find("/links/").unwrap()..];
    let page = s.app.send(s.app.client.get(s.app.url(path))).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("2099-01-07T14:00:00Z"), "{}", page.text);
    assert!(page.text.contains("Full Groom"));
    assert!(
        !page.text.contains("2020-01-07"),
        "past appointments are not upcoming"
    );

    let lookup = s
        .post(
            "/v1/aggregation/clients:lookupClientPetProfile",
            json!({"businessId": s.business, "phoneNumber": "+12125550001"}),
        )
        .await;
    assert_eq!(lookup.status, 200, "{}", lookup.text);
    common::fidelity::assert_moego(
        common::pets::AGGREGATION,
        "v1LookupClientPetProfileResponse",
        &lookup.body,
    );
    assert_eq!(
        lookup.body["nextAppointment"]["appointmentId"],
        future["id"]
    );
    assert_eq!(lookup.body["lastAppointment"]["appointmentId"], past["id"]);
    // Days and times of day are the company's (America/New_York): 14:00 UTC is 09:00 EST.
    assert_eq!(lookup.body["nextAppointment"]["startTime"], 540);
    assert_eq!(
        lookup.body["nextAppointment"]["startDate"],
        json!({"year": 2099, "month": 1, "day": 7})
    );
    assert_eq!(
        lookup.body["nextAppointment"]["petServiceDetails"][0]["services"][0]["servicePrice"],
        40.0
    );
}

/// `Customer.lastAppointmentDate` / `nextAppointmentDate` are the starts of its latest live
/// appointment before now and its earliest from now on, on get and list alike.
#[tokio::test]
async fn a_customer_shows_when_its_last_appointment_was_and_its_next_one_is() {
    let s = scene().await;
    let customer = || async {
        let reply = s
            .app
            .moego_get(&s.auth, &format!("/v1/customers/{}", s.customer))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        common::fidelity::assert_moego(
            "customer/v1/customer_service.swagger.json",
            "v1Customer",
            &reply.body,
        );
        reply.body
    };
    let dates = |customer: &Value| {
        (
            customer["lastAppointmentDate"].clone(),
            customer["nextAppointmentDate"].clone(),
        )
    };
    assert_eq!(dates(&customer().await), (Value::Null, Value::Null));

    s.booked_at("2020-01-07T14:00:00Z").await;
    s.booked_at("2020-03-02T14:00:00Z").await;
    s.booked_at("2099-01-07T14:00:00Z").await;
    let soonest = s.booked_id("2098-06-01T14:00:00Z").await;
    let expected = (json!("2020-03-02T14:00:00Z"), json!("2098-06-01T14:00:00Z"));
    assert_eq!(dates(&customer().await), expected);
    let listed = s
        .post(
            "/v1/customers:list",
            json!({"companyId": s.app.seed.moego[0].company_id,
                   "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let listed = listed.body["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|listed| listed["id"] == json!(s.customer))
        .unwrap()
        .clone();
    assert_eq!(dates(&listed), expected);

    // A canceled appointment is not the next one.
    let cancel = s
        .post(
            &format!("/v1/appointments/{soonest}:cancel"),
            json!({"businessId": s.business}),
        )
        .await;
    assert_eq!(cancel.status, 200, "{}", cancel.text);
    assert_eq!(
        dates(&customer().await),
        (json!("2020-03-02T14:00:00Z"), json!("2099-01-07T14:00:00Z"))
    );
}

/// The appointment's money fields are its order's, to the cent, after payments and refunds.
#[tokio::test]
async fn the_appointments_money_follows_its_order_through_payments_and_refunds() {
    let s = scene().await;
    s.app.set_tax_rate(0, 0, "8.25").await;
    let booked = s.booked_at("2030-01-08T09:00:00Z").await;
    let id = booked["id"].as_str().unwrap().to_string();
    let order_id = booked["orderId"].as_str().unwrap().to_string();
    // $40 and 8.25% tax: 43.30.
    assert_eq!(booked["totalAmount"], usd(43, 300_000_000));

    let agree = |appointment: &Value, order: &Value| {
        assert_eq!(appointment["totalAmount"], order["totalAmount"]);
        assert_eq!(appointment["paidAmount"], order["paidAmount"]);
        assert_eq!(appointment["refundAmount"], order["refundedAmount"]);
    };
    let order_path = format!("/v1/orders/{order_id}");
    let order = || s.app.moego_get(&s.auth, &order_path);

    let first = s.app.pay(&order_id, "20").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let appointment = s.get(&id).await.body;
    assert_eq!(appointment["paymentStatus"], "PARTIAL_PAID");
    assert_eq!(appointment["paidAmount"], usd(20, 0));
    agree(&appointment, &order().await.body);

    let rest = s.app.pay(&order_id, "23.30").await;
    assert_eq!(rest.status, 201, "{}", rest.text);
    let appointment = s.get(&id).await.body;
    assert_eq!(appointment["paymentStatus"], "FULL_PAID");
    assert_moego(APPOINTMENT, "v1Appointment", &appointment);
    let paid_order = order().await.body;
    assert_eq!(paid_order["status"], "COMPLETED");
    agree(&appointment, &paid_order);

    // A refund beyond the payment is refused and changes nothing; a partial one shows.
    let payment = first.body["paymentId"].as_str().unwrap();
    let too_much = s.app.refund(payment, "20.01").await;
    assert_eq!(too_much.status, 400, "{}", too_much.text);
    assert_eq!(s.get(&id).await.body, appointment);
    let refund = s.app.refund(payment, "5.5").await;
    assert_eq!(refund.status, 201, "{}", refund.text);
    let appointment = s.get(&id).await.body;
    assert_eq!(appointment["paymentStatus"], "PARTIAL_REFUNDED");
    assert_eq!(appointment["refundAmount"], usd(5, 500_000_000));
    agree(&appointment, &order().await.body);
}

/// Lists read their rows as JSON the database writes: text with quotes, backslashes and
/// characters beyond ASCII must come back exactly as the booking's own answer has it.
#[tokio::test]
async fn listed_text_comes_back_exactly_as_written() {
    let s = scene().await;
    let name = "Rex \"the\" \\ dög 🐕 'ü'";
    let pet = s.app.create_pet(&s.auth, &s.customer, name).await;
    let service = s
        .app
        .insert_service(
            0,
            ServiceSpec {
                name: "Bath \"Deluxe\" ✂ \\ ß",
                ..ServiceSpec::default()
            },
        )
        .await;
    let reply = s.book_service(&pet, &service, "2030-01-07T14:00:00Z").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let created = reply.body;
    assert_eq!(created["petServiceDetails"][0]["pet"]["name"], name);
    assert_eq!(
        created["petServiceDetails"][0]["serviceDetails"][0]["name"],
        "Bath \"Deluxe\" ✂ \\ ß"
    );
    let listed = s.list_first_page().await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.body["appointments"], json!([created]));
}

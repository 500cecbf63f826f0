//! The demo set's appointments, blocks, orders and payments: seeded through the API's own
//! paths, every list answers rows in the vendor's shape, every status is present, orders
//! total what their appointments say and payments add up to what the orders were paid; and
//! all of it is stamped at the history it describes, not at the seed's instant.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use common::booking::{APPOINTMENT, BLOCK};
use common::fidelity::assert_moego;
use common::orders::{ORDER, PAYMENT};
use common::TestApp;
use moapi::fixtures::Fixtures;
use moapi::operator::{self, SeededCompany};
use moapi_core::time::{now_micros, parse_instant, protojson_timestamp};
use moapi_core::IdKind;
use rust_decimal::Decimal;
use serde_json::{json, Value};

const EVERY_STATUS: [&str; 6] = [
    "UNCONFIRMED",
    "CONFIRMED",
    "CHECKED_IN",
    "READY",
    "FINISHED",
    "CANCELED",
];

/// A google.type.Money as an exact decimal (absent fields are zero, as protojson omits them).
fn decimal(money: &Value) -> Decimal {
    let units = money["units"]
        .as_str()
        .map_or(Decimal::ZERO, |units| Decimal::from_str(units).unwrap());
    let nanos = Decimal::from(money["nanos"].as_i64().unwrap_or(0));
    units + nanos / Decimal::from(1_000_000_000)
}

/// The company's order line items with their taxes, checked against the swagger.
async fn line_items(app: &TestApp, company: &SeededCompany) -> Vec<Value> {
    list(
        app,
        company,
        (
            ORDER,
            "v1ListOrderLineItemsResponse",
            "/v1/orders/items:list",
            "orderLineItems",
        ),
        json!({"includeTax": true}),
    )
    .await
}

/// One list call of the company answering 200 in the swagger's shape; returns `key`'s rows.
async fn list(
    app: &TestApp,
    company: &SeededCompany,
    (swagger, response, path, key): (&str, &str, &str, &str),
    mut body: Value,
) -> Vec<Value> {
    body["companyId"] = json!(company.company_id);
    let reply = app.moego_post(&company.authorization, path, body).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    assert_moego(swagger, response, &reply.body);
    assert_eq!(
        reply.body["nextPageToken"].as_str().unwrap_or(""),
        "",
        "{path}: one page holds the demo set"
    );
    let rows = reply.body[key].as_array().cloned().unwrap_or_default();
    assert!(!rows.is_empty(), "{path} lists the demo set's rows");
    rows
}

async fn check_company(app: &TestApp, company: &SeededCompany) {
    let page = json!({"pageSize": 100});
    let businesses = json!(company.business_ids);
    let appointments = list(
        app,
        company,
        (
            APPOINTMENT,
            "v1ListAppointmentsResponse",
            "/v1/appointments:list",
            "appointments",
        ),
        json!({"businessIds": businesses, "pagination": page}),
    )
    .await;
    let mut grooming_reports = 0;
    let statuses: BTreeSet<&str> = appointments
        .iter()
        .map(|appointment| appointment["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, BTreeSet::from(EVERY_STATUS));

    let orders = list(
        app,
        company,
        (ORDER, "v1ListOrdersResponse", "/v1/orders:list", "orders"),
        json!({"businessIds": businesses, "pagination": page}),
    )
    .await;
    let orders: BTreeMap<&str, &Value> = orders
        .iter()
        .map(|order| (order["id"].as_str().unwrap(), order))
        .collect();
    for appointment in &appointments {
        let order = orders[appointment["orderId"].as_str().unwrap()];
        assert_eq!(order["totalAmount"], appointment["totalAmount"]);
        assert_eq!(order["paidAmount"], appointment["paidAmount"]);
    }

    let payments = list(
        app,
        company,
        (
            PAYMENT,
            "v1ListPaymentsResponse",
            "/v1/payments:list",
            "payments",
        ),
        json!({"pagination": page}),
    )
    .await;
    let mut paid: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut refunded: BTreeMap<&str, Decimal> = BTreeMap::new();
    for payment in &payments {
        let order = payment["orderId"].as_str().unwrap();
        *paid.entry(order).or_default() += decimal(&payment["amount"]);
        *refunded.entry(order).or_default() += decimal(&payment["refundAmount"]);
    }
    let (mut full, mut partial) = (0, 0);
    for (id, order) in &orders {
        let (total, order_paid) = (
            decimal(&order["totalAmount"]),
            decimal(&order["paidAmount"]),
        );
        assert_eq!(
            order_paid,
            paid.get(id).copied().unwrap_or_default()
                - refunded.get(id).copied().unwrap_or_default(),
            "{id}: paid less refunded"
        );
        assert_eq!(
            decimal(&order["refundedAmount"]),
            refunded.get(id).copied().unwrap_or_default(),
            "{id}"
        );
        assert!(total > Decimal::ZERO, "{id} bills its services");
        if order_paid == total {
            full += 1;
        } else if order_paid > Decimal::ZERO {
            partial += 1;
        }
    }
    assert!(
        full >= 1 && partial >= 1,
        "paid in full ({full}) and partly ({partial})"
    );
    assert!(
        refunded.values().any(|refund| *refund > Decimal::ZERO),
        "a payment is refunded"
    );

    for business in &company.business_ids {
        let booked: Vec<&Value> = appointments
            .iter()
            .filter(|appointment| appointment["businessId"] == business.as_str())
            .map(|appointment| &appointment["id"])
            .collect();
        let reply = app
            .moego_post(
                &company.authorization,
                "/v1/grooming_reports:list",
                json!({"businessId": business, "appointmentIds": booked}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(APPOINTMENT, "v1ListGroomingReportsResponse", &reply.body);
        grooming_reports += reply.body["groomingReports"].as_array().map_or(0, Vec::len);
    }
    assert!(grooming_reports > 0, "the demo set has grooming reports");

    list(
        app,
        company,
        (BLOCK, "v1ListBlocksResponse", "/v1/blocks:list", "blocks"),
        json!({"businessIds": businesses, "pagination": page}),
    )
    .await;
    let items = line_items(app, company).await;
    assert!(items.len() >= appointments.len());
    list(
        app,
        company,
        (
            ORDER,
            "v1ListOrderDiscountsResponse",
            "/v1/orders/discounts:list",
            "orderDiscounts",
        ),
        json!({}),
    )
    .await;
}

#[tokio::test]
async fn the_demo_set_books_appointments_in_every_status_with_orders_and_payments() {
    let app = common::spawn().await;
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    assert_eq!(report.moego.len(), 2);
    for company in &report.moego {
        check_company(&app, company).await;
    }

    // Seeding the whole set again is refused, as it always was (its MOGU agents' emails are
    // taken); its MoeGo organizations alone seed again as another, independent copy, whose
    // staff are other people, so its bookings conflict with nothing.
    let refused = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo()).await;
    assert!(
        matches!(refused, Err(operator::OperatorError::Conflict(_))),
        "{refused:?}"
    );
    let mut moego_only = Fixtures::demo();
    moego_only.mogu.clear();
    let again = operator::seed(&app.state, &mut app.state.db.conn(), moego_only)
        .await
        .expect("the MoeGo demo organizations seed again");
    assert_ne!(again.moego[0].company_id, report.moego[0].company_id);
    check_company(&app, &again.moego[0]).await;
    check_company(&app, &report.moego[0]).await;
}

#[tokio::test]
async fn bad_booking_fixtures_are_refused_before_anything_is_written() {
    let app = common::spawn().await;
    let base = "moego:\n- name: o\n  companies:\n  - name: c\n    country: US\n    businesses: [{name: b}]\n    staff: [{firstName: S, lastName: T, businesses: [b]}]\n    customers: [{firstName: A, lastName: B, phone: '+12125550100'}]\n    pets: [{owner: '+12125550100', name: P, type: DOG, breed: x}]\n    services: [{name: Groom, serviceItemType: GROOMING, price: '10', serviceTime: 30}]\n";
    for (extra, needle) in [
        ("    appointments: [{business: nope, customer: A B, day: 0, start: 600, pets: [{pet: P, services: [{service: Groom}]}]}]\n", "nope"),
        ("    appointments: [{business: b, customer: Z Z, day: 0, start: 600, pets: [{pet: P, services: [{service: Groom}]}]}]\n", "Z Z"),
        ("    appointments: [{business: b, customer: A B, day: 0, start: 600, pets: [{pet: Q, services: [{service: Groom}]}]}]\n", "Q"),
        ("    appointments: [{business: b, customer: A B, day: 0, start: 600, pets: [{pet: P, services: [{service: Wash}]}]}]\n", "Wash"),
        ("    appointments: [{business: b, customer: A B, day: 0, start: 600, pets: [{pet: P, services: [{service: Groom, staff: X Y}]}]}]\n", "X Y"),
        ("    appointments: [{business: b, customer: A B, day: 0, start: 9999, pets: [{pet: P, services: [{service: Groom}]}]}]\n", "start"),
        ("    appointments: [{business: b, customer: A B, day: 0, start: 600, pets: [{pet: P, services: [{service: Groom}]}], payments: [{amount: ten}]}]\n", "ten"),
        ("    appointments: [{business: b, customer: A B, day: 0, start: 600, pets: [{pet: P, services: [{service: Groom}]}], groomingReports: [{pet: R}]}]\n", "\"R\""),
        ("    blocks: [{business: b, staff: X Y, day: 0, start: 600, minutes: 30}]\n", "X Y"),
    ] {
        let fixtures = Fixtures::parse(&format!("{base}{extra}")).unwrap();
        match operator::seed(&app.state, &mut app.state.db.conn(), fixtures).await {
            Err(operator::OperatorError::Invalid(message)) => {
                assert!(message.contains(needle), "{message}")
            }
            other => panic!("expected a refusal naming {needle:?}: {other:?}"),
        }
    }
    assert_eq!(app.count_rows("moego_appointments").await, 0);

    // A staff conflict is found only when booking: the seed stops there, as the API refuses.
    let clash = "    appointments:\n    - {business: b, customer: A B, day: 1, start: 600, pets: [{pet: P, services: [{service: Groom, staff: S T}]}]}\n    - {business: b, customer: A B, day: 1, start: 610, pets: [{pet: P, services: [{service: Groom, staff: S T}]}]}\n";
    let refused = operator::seed(
        &app.state,
        &mut app.state.db.conn(),
        Fixtures::parse(&format!("{base}{clash}")).unwrap(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, operator::OperatorError::Invalid(_)),
        "{refused:?}"
    );
    assert_eq!(app.count_rows("moego_appointments").await, 1);
}

const DAY: i64 = 24 * 60 * 60 * 1_000_000;

/// Each demo appointment by start: status, payment status and its order's money, as the demo
/// set has always seeded them (`paid` is kept, after refunds). Emma's booking a week ahead
/// redeems one Full Groom of her Groom Bundle: 85 and its 7.33 of tax come off its total.
const HAPPY_PAWS_MONEY: [&str; 11] = [
    "FINISHED FULL_PAID order COMPLETED sub 100 tax 8.62 discount 0 total 108.62 paid 108.62 refunded 0 remain 0",
    "FINISHED FULL_PAID order COMPLETED sub 45.5 tax 3.92 discount 4.55 total 44.87 paid 44.87 refunded 0 remain 0",
    "FINISHED PARTIAL_PAID order PROCESSING sub 85 tax 7.33 discount 0 total 92.33 paid 40 refunded 0 remain 52.33",
    "FINISHED PARTIAL_REFUNDED order COMPLETED sub 45.5 tax 3.92 discount 0 total 49.42 paid 24.42 refunded 25 remain 25",
    "CANCELED UNPAID order CREATED sub 38 tax 3.28 discount 0 total 41.28 paid 0 refunded 0 remain 41.28",
    "CHECKED_IN UNPAID order CREATED sub 45.5 tax 3.92 discount 0 total 49.42 paid 0 refunded 0 remain 49.42",
    "READY PARTIAL_PAID order PROCESSING sub 85 tax 7.33 discount 0 total 92.33 paid 50 refunded 0 remain 42.33",
    "CONFIRMED UNPAID order CREATED sub 85 tax 7.33 discount 0 total 92.33 paid 0 refunded 0 remain 92.33",
    // Noah Park's online booking (fixture abandonedBookings).
    "UNCONFIRMED UNPAID order CREATED sub 45.5 tax 3.92 discount 0 total 49.42 paid 0 refunded 0 remain 49.42",
    "UNCONFIRMED UNPAID order CREATED sub 100 tax 8.62 discount 0 total 16.29 paid 0 refunded 0 remain 16.29",
    "UNCONFIRMED UNPAID order CREATED sub 45.5 tax 3.92 discount 0 total 49.42 paid 0 refunded 0 remain 49.42",
];
const WAGGIN_TAILS_MONEY: [&str; 9] = [
    "FINISHED PARTIAL_REFUNDED order COMPLETED sub 65 tax 8.45 discount 0 total 73.45 paid 58.45 refunded 15 remain 15",
    "FINISHED PARTIAL_PAID order PROCESSING sub 40 tax 5.2 discount 5 total 40.2 paid 20 refunded 0 remain 20.2",
    "FINISHED FULL_PAID order COMPLETED sub 40 tax 5.2 discount 0 total 45.2 paid 45.2 refunded 0 remain 0",
    "CANCELED UNPAID order CREATED sub 40 tax 5.2 discount 0 total 45.2 paid 0 refunded 0 remain 45.2",
    "CHECKED_IN UNPAID order CREATED sub 40 tax 5.2 discount 0 total 45.2 paid 0 refunded 0 remain 45.2",
    "READY UNPAID order CREATED sub 40 tax 5.2 discount 0 total 45.2 paid 0 refunded 0 remain 45.2",
    "CONFIRMED PARTIAL_PAID order PROCESSING sub 65 tax 8.45 discount 0 total 73.45 paid 30 refunded 0 remain 43.45",
    "CONFIRMED UNPAID order CREATED sub 65 tax 8.45 discount 0 total 73.45 paid 0 refunded 0 remain 73.45",
    "UNCONFIRMED UNPAID order CREATED sub 40 tax 5.2 discount 0 total 45.2 paid 0 refunded 0 remain 45.2",
];
/// The events each demo company's seed emits, by type.
const HAPPY_PAWS_EVENTS: [(&str, i64); 8] = [
    ("APPOINTMENT_CANCELED", 1),
    ("APPOINTMENT_CREATED", 11),
    ("APPOINTMENT_FINISHED", 4),
    ("APPOINTMENT_FULLY_PAID", 3),
    ("APPOINTMENT_UPDATED", 3),
    ("CUSTOMER_CREATED", 4),
    ("ONLINE_BOOKING_RECEIVED", 1),
    ("PET_CREATED", 5),
];
const WAGGIN_TAILS_EVENTS: [(&str, i64); 7] = [
    ("APPOINTMENT_CANCELED", 1),
    ("APPOINTMENT_CREATED", 9),
    ("APPOINTMENT_FINISHED", 3),
    ("APPOINTMENT_FULLY_PAID", 2),
    ("APPOINTMENT_UPDATED", 4),
    ("CUSTOMER_CREATED", 2),
    ("PET_CREATED", 2),
];

/// An RFC 3339 member as microseconds.
fn instant(value: &Value) -> i64 {
    parse_instant(
        value
            .as_str()
            .unwrap_or_else(|| panic!("a timestamp: {value}")),
    )
    .unwrap_or_else(|| panic!("an RFC 3339 timestamp: {value}"))
}

/// The company's appointments by start time, and its orders by ID.
async fn appointments_and_orders(
    app: &TestApp,
    company: &SeededCompany,
) -> (Vec<Value>, BTreeMap<String, Value>) {
    let page = json!({"pageSize": 100});
    let businesses = json!(company.business_ids);
    let mut appointments = list(
        app,
        company,
        (
            APPOINTMENT,
            "v1ListAppointmentsResponse",
            "/v1/appointments:list",
            "appointments",
        ),
        json!({"businessIds": businesses, "pagination": page}),
    )
    .await;
    appointments.sort_by_key(|appointment| instant(&appointment["duration"]["startTime"]));
    let orders = list(
        app,
        company,
        (ORDER, "v1ListOrdersResponse", "/v1/orders:list", "orders"),
        json!({"businessIds": businesses, "pagination": page}),
    )
    .await;
    let orders = orders
        .into_iter()
        .map(|order| (order["id"].as_str().unwrap().to_string(), order))
        .collect();
    (appointments, orders)
}

/// Each appointment (by start) as one line: status, payment status and its order's money.
fn money_lines(appointments: &[Value], orders: &BTreeMap<String, Value>) -> Vec<String> {
    appointments
        .iter()
        .map(|appointment| {
            let order = &orders[appointment["orderId"].as_str().unwrap()];
            let money = |key: &str| decimal(&order[key]).normalize().to_string();
            format!(
                "{} {} order {} sub {} tax {} discount {} total {} paid {} refunded {} remain {}",
                appointment["status"].as_str().unwrap(),
                appointment["paymentStatus"].as_str().unwrap(),
                order["status"].as_str().unwrap(),
                money("subTotalAmount"),
                money("taxAmount"),
                money("discountAmount"),
                money("totalAmount"),
                money("paidAmount"),
                money("refundedAmount"),
                money("remainAmount"),
            )
        })
        .collect()
}

/// The company's outbox events by type.
async fn event_counts(app: &TestApp, company: &SeededCompany) -> Vec<(String, i64)> {
    let company_id = app
        .state
        .ids
        .decode(IdKind::Company, &company.company_id)
        .unwrap();
    let mut db = app.state.db.conn();
    sqlx::query_as(
        "SELECT event_type, COUNT(*) FROM outbox_events WHERE product = 'moego' \
         AND tenant_id = $1 GROUP BY event_type ORDER BY event_type",
    )
    .bind(company_id)
    .fetch_all(db.get().await.unwrap())
    .await
    .unwrap()
}

/// Checks one company's appointments and orders against the history rule, the seed having run
/// between `before` and `after` (microseconds).
async fn check_history(app: &TestApp, company: &SeededCompany, (before, after): (i64, i64)) {
    let (appointments, orders) = appointments_and_orders(app, company).await;
    // A stamp the history puts at `at`: then, or at the seed if that is earlier (the seed's
    // instant lies between `before` and `after`).
    let stamped = |what: &str, stamp: i64, at: i64| {
        if at < before {
            assert_eq!(stamp, at, "{what}");
        } else {
            assert!((before..=after).contains(&stamp), "{what}: {stamp}");
        }
    };
    // Customers who booked on the booking page (fixture abandonedBookings): their bookings
    // are stamped at the visit, hours before the seed, not by the history rule.
    let online: Vec<Value> = app
        .moego_events()
        .await
        .into_iter()
        .filter(|(kind, _)| kind == "ONLINE_BOOKING_RECEIVED")
        .map(|(_, event)| event["onlineBooking"]["customerId"].clone())
        .collect();
    let mut settled: BTreeMap<&str, i64> = BTreeMap::new();
    for appointment in &appointments {
        let id = appointment["id"].as_str().unwrap();
        let start = instant(&appointment["duration"]["startTime"]);
        let end = instant(&appointment["duration"]["endTime"]);
        let created = instant(&appointment["createdTime"]);
        let updated = instant(&appointment["lastUpdatedTime"]);
        if online.contains(&appointment["customerId"]) {
            assert_eq!(appointment["status"], "UNCONFIRMED", "{id}");
            assert!(
                created < before && start > after,
                "{id}: booked online for later"
            );
            // Its order was opened at the visit: the export script finds it in the last week.
            settled.insert(appointment["orderId"].as_str().unwrap(), created);
            continue;
        }
        // Booked two weeks before it starts, or before the seed if it starts later.
        stamped(&format!("{id} booked"), created + 14 * DAY, start);
        assert!(
            created < before && created <= updated && updated <= after,
            "{id}"
        );
        let status = appointment["status"].as_str().unwrap();
        let reached = match status {
            "FINISHED" => {
                assert!(
                    end < before,
                    "{id}: the demo's finished appointments are past"
                );
                assert_eq!(instant(&appointment["checkInTime"]), start, "{id}");
                assert_eq!(instant(&appointment["checkOutTime"]), end, "{id}");
                end
            }
            "CANCELED" => {
                let canceled = instant(&appointment["canceledTime"]);
                assert!(created < canceled && canceled < start, "{id}");
                stamped(&format!("{id} canceled"), canceled, start - DAY);
                canceled
            }
            "CHECKED_IN" | "READY" => {
                let checked_in = instant(&appointment["checkInTime"]);
                stamped(&format!("{id} checked in"), checked_in, start);
                if status == "READY" {
                    let ready = instant(&appointment["readyTime"]);
                    stamped(&format!("{id} ready"), ready, end);
                    ready
                } else {
                    checked_in
                }
            }
            "CONFIRMED" => {
                let confirmed = instant(&appointment["confirmedTime"]);
                assert_eq!(confirmed, created + DAY, "{id}: confirmed the day after");
                confirmed
            }
            _ => created,
        };
        assert_eq!(
            updated, reached,
            "{id}: last updated when it reached {status}"
        );

        let order = &orders[appointment["orderId"].as_str().unwrap()];
        let order_id = order["id"].as_str().unwrap();
        let (order_created, sales, order_updated) = (
            instant(&order["createdTime"]),
            instant(&order["salesDatetime"]),
            instant(&order["lastUpdatedTime"]),
        );
        assert_eq!(
            order_created, created,
            "{order_id} opened when {id} was booked"
        );
        assert!(
            order_created <= sales && sales <= order_updated && order_updated <= after,
            "{order_id}: created {order_created}, sales {sales}, updated {order_updated}"
        );
        // Money moved when the appointment reached its status; an order without any was
        // last written when it opened.
        let moved = decimal(&order["paidAmount"]) > Decimal::ZERO
            || decimal(&order["discountAmount"]) > Decimal::ZERO;
        let expected = if moved { updated } else { created };
        assert_eq!(order_updated, expected, "{order_id} last updated");
        if moved {
            settled.insert(order_id, order_updated);
        }
    }
    let between = |what: &str, order: &str, value: &Value| {
        let order = &orders[order];
        let at = instant(value);
        assert!(
            instant(&order["createdTime"]) <= at && at <= instant(&order["lastUpdatedTime"]),
            "{what} {value} lies within its order's life"
        );
    };
    let payments = list(
        app,
        company,
        (
            PAYMENT,
            "v1ListPaymentsResponse",
            "/v1/payments:list",
            "payments",
        ),
        json!({"pagination": {"pageSize": 100}}),
    )
    .await;
    for payment in &payments {
        let order = payment["orderId"].as_str().unwrap();
        between("payment", order, &payment["createdTime"]);
        between("payment update", order, &payment["lastUpdatedTime"]);
        for refund in payment["refunds"].as_array().into_iter().flatten() {
            between("refund", order, &refund["processedTime"]);
        }
    }
    let discounts = list(
        app,
        company,
        (
            ORDER,
            "v1ListOrderDiscountsResponse",
            "/v1/orders/discounts:list",
            "orderDiscounts",
        ),
        json!({}),
    )
    .await;
    for discount in &discounts {
        between(
            "discount",
            discount["orderId"].as_str().unwrap(),
            &discount["createTime"],
        );
    }
    let items = line_items(app, company).await;
    for item in &items {
        let order = &orders[item["orderId"].as_str().unwrap()];
        assert_eq!(item["createdTime"], order["createdTime"], "{item}");
    }

    // The vendor's export script: orders by lastUpdatedTime over the seven days before the
    // seed. It finds the orders whose money moved in those days (and the one booked online
    // hours before the seed), and none settled earlier or booked for later.
    let window = (before - 7 * DAY, before);
    let reply = app
        .moego_post(
            &company.authorization,
            "/v1/orders:list",
            json!({
                "companyId": company.company_id,
                "businessIds": company.business_ids,
                "pagination": {"pageSize": 100, "pageToken": "1"},
                "filter": {"lastUpdatedTime": {
                    "startTime": protojson_timestamp(window.0),
                    "endTime": protojson_timestamp(window.1),
                }},
            }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let found: BTreeSet<&str> = reply.body["orders"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|order| order["id"].as_str().unwrap())
        .collect();
    let last_week: BTreeSet<&str> = settled
        .iter()
        .filter(|(_, at)| (window.0..window.1).contains(*at))
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(found, last_week);
    assert!(
        !found.is_empty() && found.len() < settled.len(),
        "last week holds some of the orders that took money ({found:?} of {settled:?})"
    );
}

#[tokio::test]
async fn the_demo_set_is_stamped_at_the_history_it_describes() {
    let app = common::spawn().await;
    let before = now_micros();
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    let after = now_micros();
    let money: [&[&str]; 2] = [&HAPPY_PAWS_MONEY, &WAGGIN_TAILS_MONEY];
    let events: [&[(&str, i64)]; 2] = [&HAPPY_PAWS_EVENTS, &WAGGIN_TAILS_EVENTS];
    for ((company, money), events) in report.moego.iter().zip(money).zip(events) {
        // Totals, statuses and events are what the demo set always had.
        let (appointments, orders) = appointments_and_orders(&app, company).await;
        assert_eq!(money_lines(&appointments, &orders), money);
        let events: Vec<(String, i64)> = events
            .iter()
            .map(|(event, count)| (event.to_string(), *count))
            .collect();
        assert_eq!(event_counts(&app, company).await, events);
        check_history(&app, company, (before, after)).await;
    }
}

//! The demo set's appointments, blocks, orders and payments: seeded through the API's own
//! paths, every list answers rows in the vendor's shape, every status is present, orders
//! total what their appointments say and payments add up to what the orders were paid.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use common::booking::{APPOINTMENT, BLOCK};
use common::fidelity::assert_moego;
use common::orders::{ORDER, PAYMENT};
use common::TestApp;
use moapi::fixtures::Fixtures;
use moapi::operator::{self, SeededCompany};
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
    let items = list(
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
    .await;
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

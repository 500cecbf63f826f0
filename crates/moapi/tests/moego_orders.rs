//! MoeGo orders (OrderService) and payments (PaymentService) over HTTP: fidelity to the vendor
//! swagger, money to the cent through payments, refunds and discounts, refusals that change
//! nothing, the vendor's export-orders flow, tenancy, and concurrent payments.

mod common;

use std::collections::BTreeSet;

use common::fidelity::assert_moego;
use common::orders::{usd, ORDER, PAYMENT};
use common::TestApp;
use moapi::operator::MoegoKeyRequest;
use serde_json::{json, Value};

/// A fresh app, company A's key, its first business and a customer of it.
async fn alpha_with_customer() -> (TestApp, String, String, String) {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.seed.moego[0].business_ids[0].clone();
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    (app, auth, business, customer)
}

async fn get_order(app: &TestApp, auth: &str, order: &str) -> Value {
    let reply = app.moego_get(auth, &format!("/v1/orders/{order}")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(ORDER, "v1Order", &reply.body);
    reply.body
}

/// The order's money members, as the wire has them.
fn amounts(order: &Value) -> Value {
    json!({
        "subTotal": order["subTotalAmount"],
        "tax": order["taxAmount"],
        "discount": order["discountAmount"],
        "total": order["totalAmount"],
        "paid": order["paidAmount"],
        "remain": order["remainAmount"],
        "refunded": order["refundedAmount"],
        "status": order["status"],
    })
}

/// The members `amounts` gives: subtotal, tax, discount, total, paid, remain, refunded.
fn expected(money: [Value; 7], status: &str) -> Value {
    let [sub_total, tax, discount, total, paid, remain, refunded] = money;
    json!({
        "subTotal": sub_total, "tax": tax, "discount": discount, "total": total,
        "paid": paid, "remain": remain, "refunded": refunded, "status": status,
    })
}

fn created_id(reply: &common::Reply, member: &str) -> String {
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body[member].as_str().unwrap().to_string()
}

/// Company A's key and business, and create bodies for one pet's 65.75 groom with Ann.
struct Groom {
    app: TestApp,
    auth: String,
    business: String,
    customer: String,
    pet: String,
    service: String,
    staff: String,
}

impl Groom {
    async fn new() -> Groom {
        let (app, auth, business, customer) = alpha_with_customer().await;
        let pet = app.create_pet(&auth, &customer, "Rex").await;
        let service = app
            .insert_service(
                0,
                common::booking::ServiceSpec {
                    price: "65.75",
                    ..Default::default()
                },
            )
            .await;
        let (staff, _) = app.staff("Ann").await;
        Groom {
            app,
            auth,
            business,
            customer,
            pet,
            service,
            staff,
        }
    }

    fn at(&self, start: &str) -> Value {
        let g = self;
        common::booking::booking(
            &g.business,
            &g.customer,
            &g.pet,
            &g.service,
            &g.staff,
            start,
        )
    }
}

/// The swagger's `remainAmount = totalAmount - paidAmount` after a refund, on the order and on
/// the appointment it bills (whose `paymentStatus` then says the payment was partly refunded).
#[tokio::test]
async fn after_a_refund_paid_is_what_was_kept_and_remain_is_total_less_paid() {
    let groom = Groom::new().await;
    let (app, auth, business) = (&groom.app, &groom.auth, &groom.business);
    let body = groom.at("2030-01-07T14:00:00Z");
    let booked = app.book(auth, body).await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    let order = booked.body["orderId"].as_str().unwrap().to_string();
    let first = created_id(&app.pay(&order, "30.25").await, "paymentId");
    created_id(&app.pay(&order, "35.50").await, "paymentId");
    created_id(&app.refund(&first, "5.00").await, "refundId");

    let billed = get_order(app, auth, &order).await;
    let (total, paid, remain) = (
        money(&billed["totalAmount"]),
        money(&billed["paidAmount"]),
        money(&billed["remainAmount"]),
    );
    assert_eq!((total, paid, remain), (6575, 6075, 500), "{billed}");
    assert_eq!(total - paid, remain, "the swagger's formula");
    assert_eq!(billed["refundedAmount"], usd(5, 0));
    assert_eq!(billed["status"], "COMPLETED", "a refund does not reopen");

    let path = format!(
        "/v1/appointments/{}?businessId={business}",
        booked.body["id"].as_str().unwrap()
    );
    let appointment = app.moego_get(auth, &path).await;
    assert_eq!(appointment.status, 200, "{}", appointment.text);
    assert_eq!(appointment.body["paidAmount"], billed["paidAmount"]);
    assert_eq!(appointment.body["refundAmount"], usd(5, 0));
    assert_eq!(appointment.body["paymentStatus"], "PARTIAL_REFUNDED");
}

/// APPOINTMENT_FULLY_PAID: emitted once, in the write that completes an appointment's order
/// (a payment, or a discount bringing the total down to what was paid), with the appointment
/// as it then is; not for a partial payment, a refund, or an order without an appointment.
#[tokio::test]
async fn an_appointment_fully_paid_is_announced_once_by_the_write_that_completes_it() {
    let groom = Groom::new().await;
    let (app, auth, business, customer) =
        (&groom.app, &groom.auth, &groom.business, &groom.customer);
    let book = |start: &str| groom.at(start);
    let fully_paid = || async {
        app.appointment_events()
            .await
            .into_iter()
            .filter(|(kind, _)| kind == "APPOINTMENT_FULLY_PAID")
            .map(|(_, envelope)| envelope)
            .collect::<Vec<Value>>()
    };

    let paid_in_two = app.book(auth, book("2030-01-07T14:00:00Z")).await;
    assert_eq!(paid_in_two.status, 200, "{}", paid_in_two.text);
    let order = paid_in_two.body["orderId"].as_str().unwrap().to_string();
    let first = created_id(&app.pay(&order, "30.25").await, "paymentId");
    assert!(
        fully_paid().await.is_empty(),
        "a partial payment is not full"
    );
    created_id(&app.pay(&order, "35.50").await, "paymentId");
    let announced = fully_paid().await;
    assert_eq!(announced.len(), 1, "{announced:?}");
    assert_eq!(announced[0]["appointment"]["id"], paid_in_two.body["id"]);
    assert_eq!(announced[0]["appointment"]["paymentStatus"], "FULL_PAID");
    created_id(&app.refund(&first, "5.00").await, "refundId");
    let sale = app
        .create_sale(0, business, customer, &[("Brush", "5.00", 1)])
        .await;
    created_id(&app.pay(&sale, "5.00").await, "paymentId");
    assert_eq!(
        fully_paid().await.len(),
        1,
        "refunds and sales announce nothing"
    );

    let discounted = app.book(auth, book("2030-01-08T14:00:00Z")).await;
    assert_eq!(discounted.status, 200, "{}", discounted.text);
    let order = discounted.body["orderId"].as_str().unwrap().to_string();
    created_id(&app.pay(&order, "60.00").await, "paymentId");
    let discount = app
        .operator_post(
            &format!("/moego/orders/{order}/discounts"),
            json!({"amount": "5.75"}),
        )
        .await;
    assert_eq!(discount.status, 201, "{}", discount.text);
    let announced = fully_paid().await;
    assert_eq!(announced.len(), 2, "{announced:?}");
    assert_eq!(announced[1]["appointment"]["id"], discounted.body["id"]);
}

/// A Money in cents.
fn money(value: &Value) -> i64 {
    let units: i64 = value["units"].as_str().unwrap_or("0").parse().unwrap();
    units * 100 + value["nanos"].as_i64().unwrap_or(0) / 10_000_000
}

#[tokio::test]
async fn payments_and_refunds_settle_the_order_to_the_cent() {
    let (app, auth, business, customer) = alpha_with_customer().await;
    app.set_business_tax(0, &business, "8.25").await;
    // 2 x 19.99 = 39.98, tax 3.29835 -> 3.30; 5.00, tax 0.4125 -> 0.41.
    let order = app
        .create_sale(
            0,
            &business,
            &customer,
            &[("Bath", "19.99", 2), ("Brush", "5.00", 1)],
        )
        .await;
    let fresh = get_order(&app, &auth, &order).await;
    assert_eq!(fresh["customerId"], customer.as_str());
    assert_eq!(fresh["businessId"], business.as_str());
    assert_eq!(
        amounts(&fresh),
        expected(
            [
                usd(44, 980_000_000),
                usd(3, 710_000_000),
                usd(0, 0),
                usd(48, 690_000_000),
                usd(0, 0),
                usd(48, 690_000_000),
                usd(0, 0),
            ],
            "CREATED"
        )
    );

    let first = created_id(&app.pay(&order, "20.00").await, "paymentId");
    let partial = get_order(&app, &auth, &order).await;
    assert_eq!(partial["status"], "PROCESSING", "a partial payment");
    assert_eq!(partial["paidAmount"], usd(20, 0));
    assert_eq!(partial["remainAmount"], usd(28, 690_000_000));

    let too_much = app.pay(&order, "28.70").await;
    assert_eq!(too_much.status, 400, "{}", too_much.text);
    assert_eq!(
        app.count_rows("moego_payments").await,
        1,
        "nothing recorded"
    );

    let second = created_id(&app.pay(&order, "28.69").await, "paymentId");
    let paid = get_order(&app, &auth, &order).await;
    assert_eq!(paid["status"], "COMPLETED");
    assert_eq!(paid["paidAmount"], usd(48, 690_000_000));
    assert_eq!(paid["remainAmount"], usd(0, 0));

    created_id(&app.refund(&first, "5.50").await, "refundId");
    let refunded = get_order(&app, &auth, &order).await;
    assert_eq!(refunded["refundedAmount"], usd(5, 500_000_000));
    assert_eq!(
        refunded["paidAmount"],
        usd(43, 190_000_000),
        "kept: paid less refunded"
    );
    assert_eq!(refunded["remainAmount"], usd(5, 500_000_000));
    assert_eq!(refunded["status"], "COMPLETED", "a refund does not reopen");

    // 14.50 is left of the first payment.
    let over = app.refund(&first, "14.51").await;
    assert_eq!(over.status, 400, "{}", over.text);
    assert_eq!(app.count_rows("moego_refunds").await, 1);
    let unchanged = get_order(&app, &auth, &order).await;
    assert_eq!(amounts(&unchanged), amounts(&refunded), "nothing changed");
    created_id(&app.refund(&first, "14.50").await, "refundId");

    let payment = app.moego_get(&auth, &format!("/v1/payment/{first}")).await;
    assert_eq!(payment.status, 200, "{}", payment.text);
    assert_moego(PAYMENT, "v1Payment", &payment.body);
    assert_eq!(payment.body["amount"], usd(20, 0));
    assert_eq!(payment.body["refundAmount"], usd(20, 0));
    assert_eq!(payment.body["customerName"], "Ann");
    assert_eq!(payment.body["method"], "cash");
    assert_eq!(payment.body["status"], "COMPLETED");
    assert_eq!(payment.body["module"], "RETAIL");
    let refunds = payment.body["refunds"].as_array().unwrap();
    assert_eq!(refunds.len(), 2);
    assert_eq!(refunds[0]["paymentId"], first.as_str());
    assert_eq!(refunds[0]["amount"], usd(5, 500_000_000));

    let company = &app.seed.moego[0].company_id;
    let listed = app
        .moego_post(
            &auth,
            "/v1/payments:list",
            json!({"companyId": company, "pagination": {"pageSize": 1}, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(PAYMENT, "v1ListPaymentsResponse", &listed.body);
    assert_eq!(listed.body["payments"][0]["id"], first.as_str());
    assert_eq!(listed.body["nextPageToken"], "2");
    let next = app
        .moego_post(
            &auth,
            "/v1/payments:list",
            json!({"companyId": company, "pagination": {"pageSize": 1, "pageToken": "2"}, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_eq!(next.body["payments"][0]["id"], second.as_str());
    assert_eq!(next.body["nextPageToken"], "");

    let items = app
        .moego_post(
            &auth,
            "/v1/orders/items:list",
            json!({"companyId": company, "includeTax": true, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_eq!(items.status, 200, "{}", items.text);
    assert_moego(ORDER, "v1ListOrderLineItemsResponse", &items.body);
    let lines = items.body["orderLineItems"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "Bath");
    assert_eq!(lines[0]["objectType"], "PRODUCT");
    assert_eq!(lines[0]["unitPrice"], usd(19, 990_000_000));
    assert_eq!(lines[0]["quantity"], 2);
    let taxes = items.body["orderLineItemTaxes"].as_array().unwrap();
    assert_eq!(taxes.len(), 2);
    assert_eq!(taxes[0]["orderItemId"], lines[0]["id"]);
    assert_eq!(taxes[0]["taxRate"], json!({"value": "0.0825"}));
    assert_eq!(taxes[0]["taxAmount"], usd(3, 300_000_000));
    assert_eq!(taxes[1]["taxAmount"], usd(0, 410_000_000));
    let without_tax = app
        .moego_post(
            &auth,
            "/v1/orders/items:list",
            json!({"companyId": company, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert!(without_tax.body.get("orderLineItemTaxes").is_none());
}

#[tokio::test]
async fn discounts_recompute_totals_to_the_cent() {
    let (app, auth, business, customer) = alpha_with_customer().await;
    let order = app
        .create_sale(
            0,
            &business,
            &customer,
            &[("Groom", "50", 2), ("Nails", "12.25", 1)],
        )
        .await;
    let company = &app.seed.moego[0].company_id;
    let items = app
        .moego_post(
            &auth,
            "/v1/orders/items:list",
            json!({"companyId": company}),
        )
        .await;
    let nails = items.body["orderLineItems"][1]["id"]
        .as_str()
        .unwrap()
        .to_string();

    created_id(
        &app.operator_post(
            &format!("/moego/orders/{order}/discounts"),
            json!({"percentage": "0.1"}),
        )
        .await,
        "discountId",
    );
    created_id(
        &app.operator_post(
            &format!("/moego/orders/{order}/discounts"),
            json!({"amount": "2.10", "orderItemId": nails}),
        )
        .await,
        "discountId",
    );
    // Subtotal 112.25; 10 % of it is 11.225 -> 11.23; then 2.10 off the nails.
    let discounted = get_order(&app, &auth, &order).await;
    assert_eq!(
        amounts(&discounted),
        expected(
            [
                usd(112, 250_000_000),
                usd(0, 0),
                usd(13, 330_000_000),
                usd(98, 920_000_000),
                usd(0, 0),
                usd(98, 920_000_000),
                usd(0, 0),
            ],
            "CREATED"
        )
    );
    created_id(&app.pay(&order, "98.92").await, "paymentId");
    assert_eq!(get_order(&app, &auth, &order).await["status"], "COMPLETED");
    let below_paid = app
        .operator_post(
            &format!("/moego/orders/{order}/discounts"),
            json!({"amount": "1"}),
        )
        .await;
    assert_eq!(below_paid.status, 400, "{}", below_paid.text);
    assert_eq!(app.count_rows("moego_order_discounts").await, 2);

    let discounts = app
        .moego_post(
            &auth,
            "/v1/orders/discounts:list",
            json!({"companyId": company, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_eq!(discounts.status, 200, "{}", discounts.text);
    assert_moego(ORDER, "v1ListOrderDiscountsResponse", &discounts.body);
    let listed = discounts.body["orderDiscounts"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["discountType"], "PERCENTAGE");
    assert_eq!(listed[0]["applyType"], "ALL");
    assert_eq!(listed[0]["discountRate"], json!({"value": "0.1"}));
    assert_eq!(listed[0]["discountAmount"], usd(11, 230_000_000));
    assert_eq!(listed[1]["discountType"], "AMOUNT");
    assert_eq!(listed[1]["applyType"], "ITEM");
    assert_eq!(listed[1]["orderItemId"], nails.as_str());
    assert_eq!(listed[1]["applySequence"], 2);
    assert!(listed[1].get("discountCodeId").is_none());
}

const DAY_MICROS: i64 = 24 * 3600 * 1_000_000;
/// 2026-01-05T00:00:00Z.
const EPOCH_MONDAY: i64 = 1_767_571_200 * 1_000_000;

fn rfc3339(micros: i64) -> String {
    moapi_core::time::protojson_timestamp(micros)
}

#[tokio::test]
async fn export_orders_flow_returns_every_order_of_each_window_once() {
    let (app, auth, _, customer) = alpha_with_customer().await;
    let businesses = app.seed.moego[0].business_ids.clone();
    // 40 orders over five weeks and both businesses, a few on window boundaries.
    let mut all = Vec::new();
    for index in 0..40i64 {
        let business = &businesses[index as usize % 2];
        let order = app
            .create_sale(0, business, &customer, &[("Treats", "3.5", 1)])
            .await;
        let updated = EPOCH_MONDAY + (index * 7 * DAY_MICROS) / 8 + (index % 3) * 1_000;
        app.set_order_updated_at(&order, updated).await;
        all.push((order, updated));
    }
    // Another company's order in the same weeks stays out.
    let beta_customer = app.insert_customer(1, "Bea", "+12125550002").await;
    let beta = app
        .create_sale(
            1,
            &app.seed.moego[1].business_ids[0].clone(),
            &beta_customer,
            &[("X", "1", 1)],
        )
        .await;
    app.set_order_updated_at(&beta, EPOCH_MONDAY + DAY_MICROS)
        .await;

    // The script: companies:list -> businesses:list -> orders:list by seven-day windows.
    let companies = app
        .moego_post(
            &auth,
            "/v1/companies:list",
            json!({"pagination": {"pageSize": 100, "pageToken": "1"}}),
        )
        .await;
    let company = companies.body["companies"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let listed = app
        .moego_post(
            &auth,
            "/v1/businesses:list",
            json!({"companyId": company, "pagination": {"pageSize": 100, "pageToken": "1"}}),
        )
        .await;
    let business_ids: Vec<String> = listed.body["businesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|business| business["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(business_ids, businesses);

    let mut exported: Vec<String> = Vec::new();
    let end = EPOCH_MONDAY + 35 * DAY_MICROS;
    let mut window_start = EPOCH_MONDAY;
    while window_start < end {
        let window_end = window_start + 7 * DAY_MICROS;
        let mut token = "1".to_string();
        let mut in_window = Vec::new();
        loop {
            let page = app
                .moego_post(
                    &auth,
                    "/v1/orders:list",
                    json!({
                        "companyId": company,
                        "businessIds": business_ids,
                        "pagination": {"pageSize": 3, "pageToken": token},
                        "filter": {"lastUpdatedTime": {
                            "startTime": rfc3339(window_start), "endTime": rfc3339(window_end)}},
                    }),
                )
                .await;
            assert_eq!(page.status, 200, "{}", page.text);
            assert_moego(ORDER, "v1ListOrdersResponse", &page.body);
            for order in page.body["orders"].as_array().unwrap() {
                assert_eq!(order["totalAmount"], usd(3, 500_000_000));
                in_window.push(order["id"].as_str().unwrap().to_string());
            }
            token = page.body["nextPageToken"].as_str().unwrap().to_string();
            if token.is_empty() {
                break;
            }
        }
        let wanted: BTreeSet<String> = all
            .iter()
            .filter(|(_, updated)| (window_start..window_end).contains(updated))
            .map(|(order, _)| order.clone())
            .collect();
        assert_eq!(in_window.len(), wanted.len(), "no order twice in a window");
        assert_eq!(in_window.iter().cloned().collect::<BTreeSet<_>>(), wanted);
        exported.extend(in_window);
        window_start = window_end;
    }
    assert_eq!(exported.len(), all.len(), "every order exactly once");
    assert!(!exported.contains(&beta));

    let completed = app
        .moego_post(
            &auth,
            "/v1/orders:list",
            json!({"companyId": company, "businessIds": [businesses[0]],
                   "pagination": {"pageSize": 100}, "filter": {"statuses": ["COMPLETED"]}}),
        )
        .await;
    assert_eq!(completed.body["orders"], json!([]));
    let by_id = app
        .moego_post(
            &auth,
            "/v1/orders:list",
            json!({"companyId": company, "businessIds": businesses,
                   "pagination": {"pageSize": 100}, "filter": {"ids": [all[3].0], "statuses": ["COMPLETED"]}}),
        )
        .await;
    assert_eq!(
        by_id.body["orders"][0]["id"],
        all[3].0.as_str(),
        "ids override the other filters"
    );
}

#[tokio::test]
async fn orders_are_refused_across_tenants_and_without_businesses() {
    let (app, auth, business, customer) = alpha_with_customer().await;
    let order = app
        .create_sale(0, &business, &customer, &[("Treats", "3.5", 1)])
        .await;
    let payment = created_id(&app.pay(&order, "1").await, "paymentId");
    let company = app.seed.moego[0].company_id.clone();
    let beta_company = app.seed.moego[1].company_id.clone();
    let beta_business = app.seed.moego[1].business_ids[0].clone();
    let beta_auth = app.moego_auth(1);
    let list = |company: &str, businesses: Value| json!({"companyId": company, "businessIds": businesses, "pagination": {"pageSize": 10}});
    let code = |reply: &common::Reply| (reply.status, reply.body["code"].as_i64().unwrap_or(-1));

    let empty = app
        .moego_post(&auth, "/v1/orders:list", list(&company, json!([])))
        .await;
    assert_eq!(code(&empty), (400, 3), "{}", empty.text);
    assert!(empty.text.contains("businessIds"));
    let foreign_business = app
        .moego_post(
            &auth,
            "/v1/orders:list",
            list(&company, json!([beta_business])),
        )
        .await;
    assert_eq!(
        code(&foreign_business),
        (403, 7),
        "{}",
        foreign_business.text
    );
    let foreign_company = app
        .moego_post(
            &auth,
            "/v1/orders:list",
            list(&beta_company, json!([beta_business])),
        )
        .await;
    assert_eq!(code(&foreign_company), (403, 7));
    let bad_status = app
        .moego_post(
            &auth,
            "/v1/orders:list",
            json!({"companyId": company, "businessIds": [business], "pagination": {"pageSize": 10},
                   "filter": {"statuses": ["PAID"]}}),
        )
        .await;
    assert_eq!(code(&bad_status), (400, 3));

    let foreign = app
        .moego_get(&beta_auth, &format!("/v1/orders/{order}"))
        .await;
    assert_eq!(code(&foreign), (403, 7));
    let foreign_payment = app
        .moego_get(&beta_auth, &format!("/v1/payment/{payment}"))
        .await;
    assert_eq!(code(&foreign_payment), (403, 7));
    let foreign_items = app
        .moego_post(
            &beta_auth,
            "/v1/orders/items:list",
            json!({"companyId": beta_company, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_eq!(code(&foreign_items), (403, 7));
    let beta_lists = app
        .moego_post(
            &beta_auth,
            "/v1/payments:list",
            json!({"companyId": beta_company, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(
        beta_lists.body["payments"],
        json!([]),
        "{}",
        beta_lists.text
    );
    let beta_items = app
        .moego_post(
            &beta_auth,
            "/v1/orders/items:list",
            json!({"companyId": beta_company}),
        )
        .await;
    assert_eq!(beta_items.body["orderLineItems"], json!([]));

    let unknown = app
        .moego_get(
            &auth,
            &format!(
                "/v1/orders/{}",
                app.state.ids.encode(moapi_core::IdKind::Order, 999_999)
            ),
        )
        .await;
    assert_eq!(code(&unknown), (404, 5));
    let malformed = app.moego_get(&auth, "/v1/orders/ord_nonsense").await;
    assert_eq!(malformed.status, 400, "{}", malformed.text);

    // A key limited to the second business does not reach the first one's orders.
    let limited = app
        .issue_moego_key(MoegoKeyRequest {
            company: company.clone(),
            businesses: vec![app.seed.moego[0].business_ids[1].clone()],
            scopes: vec![],
            allowed_ips: vec![],
            name: None,
        })
        .await;
    let hidden = app
        .moego_get(&limited.authorization, &format!("/v1/orders/{order}"))
        .await;
    assert_eq!(code(&hidden), (403, 7));
    let outside = app
        .moego_post(
            &limited.authorization,
            "/v1/orders:list",
            list(&company, json!([business])),
        )
        .await;
    assert_eq!(code(&outside), (403, 7));
    let payments = app
        .moego_post(
            &limited.authorization,
            "/v1/payments:list",
            json!({"companyId": company, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(payments.body["payments"], json!([]));

    let scoped = app
        .issue_moego_key(MoegoKeyRequest {
            company,
            businesses: vec![],
            scopes: vec!["payments:read".into()],
            allowed_ips: vec![],
            name: None,
        })
        .await;
    let no_scope = app
        .moego_get(&scoped.authorization, &format!("/v1/orders/{order}"))
        .await;
    assert_eq!(code(&no_scope), (403, 7));
}

#[tokio::test]
async fn concurrent_payments_on_one_order_do_not_lose_updates() {
    let (app, auth, business, customer) = alpha_with_customer().await;
    let order = app
        .create_sale(0, &business, &customer, &[("Boarding", "100", 1)])
        .await;
    // Two payments of 60 on a total of 100: exactly one fits.
    let (a, b) = tokio::join!(app.pay(&order, "60"), app.pay(&order, "60"));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [201, 400], "{} / {}", a.text, b.text);
    assert_eq!(
        get_order(&app, &auth, &order).await["paidAmount"],
        usd(60, 0)
    );
    // Two of 20 both fit, and both count.
    let (a, b) = tokio::join!(app.pay(&order, "20"), app.pay(&order, "20"));
    assert_eq!((a.status, b.status), (201, 201), "{} / {}", a.text, b.text);
    let settled = get_order(&app, &auth, &order).await;
    assert_eq!(settled["paidAmount"], usd(100, 0));
    assert_eq!(settled["status"], "COMPLETED");
    assert_eq!(app.count_rows("moego_payments").await, 3);
}

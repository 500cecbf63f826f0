//! What a customer's commerce gives a new appointment, all at once: a prepaid package covers
//! one booked service, a membership discounts another, and a discount code applies itself to
//! what is left. The order's totals follow to the cent, and the lists show each part.

mod common;

use common::fidelity::assert_moego;
use common::orders::{usd, ORDER};
use serde_json::{json, Value};

fn created(reply: &common::Reply, member: &str) -> String {
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body[member].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_booking_order_reflects_package_membership_and_code_to_the_cent() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let company = app.seed.moego[0].company_id.clone();
    let business = app.business_id(0, 0);
    app.set_business_tax(0, &business, "8").await;
    let service = |price: &'static str| common::booking::ServiceSpec {
        price,
        ..Default::default()
    };
    let groom = app.insert_service(0, service("80")).await;
    let bath = app.insert_service(0, service("40")).await;
    let (staff, _) = app.staff("Ann").await;
    let ann = app.insert_customer(0, "Ann", "+12125550001").await;
    let pet = app.create_pet(&auth, &ann, "Rex").await;

    let bundle = created(
        &app.operator_post(
            &format!("/moego/businesses/{business}/packages"),
            json!({"name": "Groom Bundle", "price": "150",
                   "items": [{"quantity": 2, "services": [groom]}], "expirationDays": 365}),
        )
        .await,
        "packageId",
    );
    created(
        &app.operator_post(
            &format!("/moego/companies/{company}/orders"),
            json!({"businessId": business, "customerId": ann, "lines": [{"packageId": bundle}]}),
        )
        .await,
        "orderId",
    );
    let club = created(
        &app.operator_post(
            &format!("/moego/companies/{company}/memberships"),
            json!({"name": "Bath Club", "price": "20", "billingCycle": "MONTHLY",
                   "discounts": [{"percentage": "0.1", "services": [bath]}]}),
        )
        .await,
        "membershipId",
    );
    created(
        &app.operator_post(
            &format!("/moego/companies/{company}/subscriptions"),
            json!({"customerId": ann, "membershipId": club}),
        )
        .await,
        "subscriptionId",
    );
    let code = app
        .moego_post(
            &auth,
            "/v1/discounts",
            json!({"companyId": company, "discount": {"code": "THANKS2",
                   "amount": {"currencyCode": "USD", "units": "2"},
                   "limitation": {"customerIds": [ann]},
                   "settings": {"autoApplyOnEligibleAppointment": true}}}),
        )
        .await;
    assert_eq!(code.status, 200, "{}", code.text);

    let booked = app
        .book(
            &auth,
            json!({
                "businessId": business, "customerId": ann, "ignoreConflict": false,
                "petServices": [{"petId": pet, "services": [
                    {"id": groom, "duration": {"startTime": "2030-01-07T14:00:00Z"}, "staffIds": [staff]},
                    {"id": bath, "staffIds": [staff]},
                ]}],
            }),
        )
        .await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    let order_id = booked.body["orderId"].as_str().unwrap().to_string();
    let order = app
        .moego_get(&auth, &format!("/v1/orders/{order_id}"))
        .await;
    assert_eq!(order.status, 200, "{}", order.text);
    assert_moego(ORDER, "v1Order", &order.body);
    // Lines 80 + 40 with 8 % tax (6.40 + 3.20). The package covers the groom and its tax
    // (86.40); the membership takes 10 % of the bath (4.00); the code 2.00 of what is left.
    assert_eq!(order.body["subTotalAmount"], usd(120, 0));
    assert_eq!(order.body["taxAmount"], usd(9, 600_000_000));
    assert_eq!(order.body["discountAmount"], usd(6, 0));
    assert_eq!(order.body["totalAmount"], usd(37, 200_000_000));
    assert_eq!(booked.body["totalAmount"], order.body["totalAmount"]);

    let filter = json!({"companyId": company, "filter": {"orderIds": [order_id]}});
    let discounts = app
        .moego_post(&auth, "/v1/orders/discounts:list", filter.clone())
        .await;
    assert_moego(ORDER, "v1ListOrderDiscountsResponse", &discounts.body);
    let discounts: Vec<(Value, Value, bool)> = discounts.body["orderDiscounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["applyType"].clone(),
                d["discountAmount"].clone(),
                d.get("discountCodeId").is_some(),
            )
        })
        .collect();
    assert_eq!(
        discounts,
        [
            (json!("ITEM"), usd(4, 0), false),
            (json!("ALL"), usd(2, 0), true)
        ]
    );
    let redeemed = app
        .moego_post(&auth, "/v1/orders/redeemPackages:list", filter)
        .await;
    assert_moego(ORDER, "v1ListOrderRedeemPackagesResponse", &redeemed.body);
    let redeemed = redeemed.body["orderRedeemPackages"].as_array().unwrap();
    assert_eq!(redeemed.len(), 1, "{redeemed:?}");
    assert_eq!(redeemed[0]["servicePrice"], usd(80, 0));

    // Paying what is left completes the order.
    created(&app.pay(&order_id, "37.20").await, "paymentId");
    let paid = app
        .moego_get(&auth, &format!("/v1/orders/{order_id}"))
        .await;
    assert_eq!(paid.body["status"], "COMPLETED");
    assert_eq!(paid.body["remainAmount"], usd(0, 0));
}

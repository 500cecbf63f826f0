//! MoeGo discount codes (DiscountService) over HTTP: fidelity to the vendor swagger, statuses
//! that follow the time, refusals in the dialect, redemption on orders with every limit checked
//! (concurrent redemptions never exceed the limit), and codes that apply themselves to new
//! appointments' orders.

mod common;

use common::fidelity::assert_moego;
use common::orders::{usd, ORDER};
use common::TestApp;
use moapi::fixtures::Fixtures;
use moapi::operator::{self, MoegoKeyRequest};
use serde_json::{json, Value};

const DISCOUNT: &str = "discount/v1/discount_service.swagger.json";

fn company(app: &TestApp) -> String {
    app.seed.moego[0].company_id.clone()
}

async fn create(app: &TestApp, auth: &str, discount: Value) -> common::Reply {
    app.moego_post(
        auth,
        "/v1/discounts",
        json!({"companyId": company(app), "discount": discount}),
    )
    .await
}

async fn redeem(app: &TestApp, order: &str, code: &str) -> common::Reply {
    app.operator_post(
        &format!("/moego/orders/{order}/discounts"),
        json!({"code": code}),
    )
    .await
}

async fn get_order(app: &TestApp, auth: &str, order: &str) -> Value {
    let reply = app.moego_get(auth, &format!("/v1/orders/{order}")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(ORDER, "v1Order", &reply.body);
    reply.body
}

#[tokio::test]
async fn codes_are_created_read_and_listed_as_the_swagger_says() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.seed.moego[0].business_ids[0].clone();
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let created = create(
        &app,
        &auth,
        json!({
            "code": "SUMMER25", "description": "Summer special", "percentage": 25,
            "validPeriod": {"startTime": "2026-06-01T00:00:00Z", "endTime": "2099-08-31T23:59:59Z"},
            "limitation": {"maxRedeemTimes": 500, "businessIds": [business],
                           "redeemOncePerCustomer": true, "customerIds": [customer]},
            "settings": {"autoApplyOnEligibleAppointment": true, "allowForOnlineBooking": true},
            "status": "ARCHIVED",
        }),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_moego(DISCOUNT, "v1Discount", &created.body);
    assert_eq!(created.body["status"], "ACTIVE", "status is output only");
    assert_eq!(created.body["percentage"], 25);
    assert_eq!(created.body["limitation"]["businessIds"], json!([business]));
    assert_eq!(created.body["limitation"]["customerIds"], json!([customer]));
    assert_eq!(
        created.body["validPeriod"]["endTime"],
        "2099-08-31T23:59:59Z"
    );

    let amount = create(
        &app,
        &auth,
        json!({"code": "TAKE5", "amount": {"currencyCode": "USD", "units": "5", "nanos": 500000000},
               "expiryTime": "2020-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(amount.status, 200, "{}", amount.text);
    assert_eq!(amount.body["amount"], usd(5, 500_000_000));
    assert_eq!(amount.body["status"], "EXPIRED", "past its expiry time");

    let company_id = company(&app);
    let got = app
        .moego_get(
            &auth,
            &format!("/v1/discounts/SUMMER25?companyId={company_id}"),
        )
        .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body, created.body);
    let case_sensitive = app
        .moego_get(
            &auth,
            &format!("/v1/discounts/summer25?companyId={company_id}"),
        )
        .await;
    assert_eq!(
        (case_sensitive.status, case_sensitive.body["code"].as_i64()),
        (404, Some(5))
    );

    let first = app
        .moego_post(
            &auth,
            "/v1/discounts:list",
            json!({"companyId": company_id, "pagination": {"pageSize": 1}}),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_moego(DISCOUNT, "v1ListDiscountsResponse", &first.body);
    assert_eq!(first.body["discounts"][0]["code"], "SUMMER25");
    let token = first.body["nextPageToken"].as_str().unwrap().to_string();
    let second = app
        .moego_post(
            &auth,
            "/v1/discounts:list",
            json!({"companyId": company_id, "pagination": {"pageSize": 1, "pageToken": token}}),
        )
        .await;
    assert_eq!(second.body["discounts"][0]["code"], "TAKE5");
    assert_eq!(second.body["nextPageToken"], "");

    // Another company's key sees none of it.
    let other = app
        .moego_get(
            &app.moego_auth(1),
            &format!("/v1/discounts/SUMMER25?companyId={company_id}"),
        )
        .await;
    assert_eq!((other.status, other.body["code"].as_i64()), (403, Some(7)));
}

#[tokio::test]
async fn bad_codes_are_refused_precisely() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let taken = create(&app, &auth, json!({"code": "ONCE", "percentage": 10})).await;
    assert_eq!(taken.status, 200, "{}", taken.text);
    let other_business = app.seed.moego[1].business_ids[0].clone();
    let cases = [
        (json!({"code": "ONCE", "percentage": 5}), 409, 6, "ONCE"),
        (
            json!({"code": "BOTH", "percentage": 5, "amount": {"currencyCode": "USD", "units": "1"}}),
            400,
            3,
            "not both",
        ),
        (
            json!({"code": "NONE"}),
            400,
            3,
            "one of amount and percentage",
        ),
        (
            json!({"code": "ZERO", "percentage": 0}),
            400,
            3,
            "discount.percentage",
        ),
        (
            json!({"code": "HUGE", "percentage": 101}),
            400,
            3,
            "discount.percentage",
        ),
        (
            json!({"code": "has space", "percentage": 5}),
            400,
            3,
            "discount.code",
        ),
        (
            json!({"code": "", "percentage": 5}),
            400,
            3,
            "discount.code",
        ),
        (
            json!({"code": "NEG", "amount": {"currencyCode": "USD", "units": "-1"}}),
            400,
            3,
            "discount.amount",
        ),
        (
            json!({"code": "CENTS", "amount": {"currencyCode": "USD", "nanos": 1000}}),
            400,
            3,
            "decimals",
        ),
        (
            json!({"code": "WHEN", "percentage": 5, "validPeriod": {"startTime": "2026-02-01T00:00:00Z", "endTime": "2026-01-01T00:00:00Z"}}),
            400,
            3,
            "validPeriod",
        ),
        (
            json!({"code": "ELSE", "percentage": 5, "limitation": {"businessIds": [other_business]}}),
            403,
            7,
            "",
        ),
        (
            json!({"code": "WHO", "percentage": 5, "limitation": {"customerIds": ["cus_nope"]}}),
            400,
            13,
            "invalid obfuscate",
        ),
    ];
    for (discount, status, code, words) in cases {
        let reply = create(&app, &auth, discount.clone()).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_i64()),
            (status, Some(code)),
            "{discount}: {}",
            reply.text
        );
        assert!(reply.text.contains(words), "{discount}: {}", reply.text);
    }
    let missing = app
        .moego_post(
            &auth,
            "/v1/discounts",
            json!({"discount": {"code": "X", "percentage": 5}}),
        )
        .await;
    assert_eq!(
        (missing.status, missing.body["code"].as_i64()),
        (400, Some(3))
    );
    let no_page = app
        .moego_post(
            &auth,
            "/v1/discounts:list",
            json!({"companyId": company(&app)}),
        )
        .await;
    assert_eq!(
        (no_page.status, no_page.body["code"].as_i64()),
        (400, Some(3))
    );
    assert_eq!(app.count_rows("moego_discount_codes").await, 1);
}

/// A code redeemed on an order takes its value off the total to the cent, shows in
/// ListOrderDiscounts with its ID, and every limit refuses with nothing written.
#[tokio::test]
async fn redeeming_a_code_follows_its_limits_and_the_order_shows_it() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.seed.moego[0].business_ids[0].clone();
    let second_business = app.seed.moego[0].business_ids[1].clone();
    let ann = app.insert_customer(0, "Ann", "+12125550001").await;
    let bea = app.insert_customer(0, "Bea", "+12125550002").await;
    for discount in [
        json!({"code": "TENOFF", "percentage": 10, "limitation": {"redeemOncePerCustomer": true}}),
        json!({"code": "TWO", "amount": {"currencyCode": "USD", "units": "2", "nanos": 500000000},
               "limitation": {"businessIds": [business], "customerIds": [ann]}}),
        json!({"code": "LATER", "percentage": 5, "validPeriod": {"startTime": "2099-01-01T00:00:00Z"}}),
        json!({"code": "OLD", "percentage": 5, "expiryTime": "2020-01-01T00:00:00Z"}),
        json!({"code": "EURO", "amount": {"currencyCode": "EUR", "units": "1"}}),
    ] {
        let reply = create(&app, &auth, discount).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let paused = app
        .send(
            app.admin(
                reqwest::Method::PUT,
                &format!("/moego/companies/{}/discounts/EURO/status", company(&app)),
            )
            .json(&json!({"status": "INACTIVE"})),
        )
        .await;
    assert_eq!(paused.status, 200, "{}", paused.text);

    let order = app
        .create_sale(0, &business, &ann, &[("Groom", "40.05", 1)])
        .await;
    let ten = redeem(&app, &order, "TENOFF").await;
    assert_eq!(ten.status, 201, "{}", ten.text);
    let two = redeem(&app, &order, "TWO").await;
    assert_eq!(two.status, 201, "{}", two.text);
    // 10 % of 40.05 is 4.005 -> 4.01; then 2.50 off: 33.54.
    let discounted = get_order(&app, &auth, &order).await;
    assert_eq!(discounted["discountAmount"], usd(6, 510_000_000));
    assert_eq!(discounted["totalAmount"], usd(33, 540_000_000));
    let listed = app
        .moego_post(
            &auth,
            "/v1/orders/discounts:list",
            json!({"companyId": company(&app), "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_moego(ORDER, "v1ListOrderDiscountsResponse", &listed.body);
    let codes: Vec<&str> = listed.body["orderDiscounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["discountCodeId"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.iter().all(|id| id.starts_with("dsc_")), "{codes:?}");
    assert_ne!(codes[0], codes[1]);

    let bea_order = app
        .create_sale(0, &business, &bea, &[("Groom", "40", 1)])
        .await;
    let elsewhere = app
        .create_sale(0, &second_business, &ann, &[("Groom", "40", 1)])
        .await;
    let refusals = [
        (order.as_str(), "TENOFF", "already applied"),
        (elsewhere.as_str(), "TENOFF", "once per customer"),
        (bea_order.as_str(), "TWO", "customer"),
        (elsewhere.as_str(), "TWO", "business"),
        (bea_order.as_str(), "LATER", "not valid yet"),
        (bea_order.as_str(), "OLD", "EXPIRED"),
        (bea_order.as_str(), "EURO", "INACTIVE"),
    ];
    for (target, code, words) in refusals {
        let reply = redeem(&app, target, code).await;
        assert_eq!(reply.status, 400, "{code}: {}", reply.text);
        assert!(reply.text.contains(words), "{code}: {}", reply.text);
    }
    let unknown = redeem(&app, &bea_order, "NOPE").await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    assert_eq!(app.count_rows("moego_discount_redemptions").await, 2);
    assert_eq!(app.count_rows("moego_order_discounts").await, 2);
    let bea_untouched = get_order(&app, &auth, &bea_order).await;
    assert_eq!(bea_untouched["totalAmount"], usd(40, 0));
    let tenoff = app
        .moego_get(
            &auth,
            &format!("/v1/discounts/TENOFF?companyId={}", company(&app)),
        )
        .await;
    assert_eq!(tenoff.body["status"], "ACTIVE");
}

/// Twenty concurrent redemptions of a code limited to five, on twenty orders: exactly five.
#[tokio::test]
async fn concurrent_redemptions_never_exceed_the_limit() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.seed.moego[0].business_ids[0].clone();
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let created = create(
        &app,
        &auth,
        json!({"code": "FIVE", "percentage": 20, "limitation": {"maxRedeemTimes": 5}}),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let mut orders = Vec::new();
    for _ in 0..20 {
        orders.push(
            app.create_sale(0, &business, &customer, &[("Bath", "30", 1)])
                .await,
        );
    }
    let mut attempts = tokio::task::JoinSet::new();
    for order in &orders {
        let request = app
            .admin(
                reqwest::Method::POST,
                &format!("/moego/orders/{order}/discounts"),
            )
            .json(&json!({"code": "FIVE"}));
        attempts.spawn(async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        });
    }
    let replies: Vec<common::Reply> = attempts
        .join_all()
        .await
        .into_iter()
        .map(|(status, text)| common::Reply {
            status,
            body: Value::Null,
            text,
        })
        .collect();
    let accepted = replies.iter().filter(|reply| reply.status == 201).count();
    assert_eq!(
        accepted,
        5,
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    for refused in replies.iter().filter(|reply| reply.status != 201) {
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert!(refused.text.contains("used up"), "{}", refused.text);
    }
    assert_eq!(app.count_rows("moego_order_discounts").await, 5);
    assert_eq!(app.count_rows("moego_discount_redemptions").await, 5);
}

/// A code that applies itself takes its value off a new appointment's order when the booking
/// is eligible, and only then.
#[tokio::test]
async fn auto_applied_codes_reach_eligible_new_appointments() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.seed.moego[0].business_ids[0].clone();
    let ann = app.insert_customer(0, "Ann", "+12125550001").await;
    let bea = app.insert_customer(0, "Bea", "+12125550002").await;
    let created = create(
        &app,
        &auth,
        json!({"code": "AUTO3", "amount": {"currencyCode": "USD", "units": "3"},
               "limitation": {"customerIds": [ann], "redeemOncePerCustomer": true},
               "settings": {"autoApplyOnEligibleAppointment": true}}),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let service = app
        .insert_service(
            0,
            common::booking::ServiceSpec {
                price: "50",
                ..Default::default()
            },
        )
        .await;
    let (staff, _) = app.staff("Ann").await;
    let book = |customer: &str, start: &str| {
        let pet_owner = customer.to_string();
        let start = start.to_string();
        let (app, auth, business, service, staff) = (&app, &auth, &business, &service, &staff);
        async move {
            let pet = app.create_pet(auth, &pet_owner, "Rex").await;
            let body = common::booking::booking(business, &pet_owner, &pet, service, staff, &start);
            let booked = app.book(auth, body).await;
            assert_eq!(booked.status, 200, "{}", booked.text);
            booked.body
        }
    };
    let first = book(&ann, "2030-01-07T14:00:00Z").await;
    assert_eq!(first["totalAmount"], usd(47, 0), "{first}");
    let order = get_order(&app, &auth, first["orderId"].as_str().unwrap()).await;
    assert_eq!(order["discountAmount"], usd(3, 0));
    assert_eq!(order["totalAmount"], usd(47, 0));
    let second = book(&ann, "2030-01-08T14:00:00Z").await;
    assert_eq!(second["totalAmount"], usd(50, 0), "once per customer");
    let other = book(&bea, "2030-01-09T14:00:00Z").await;
    assert_eq!(other["totalAmount"], usd(50, 0), "not Bea's code");
}

/// The demo set has a code in every status, and one of its appointments redeemed one.
#[tokio::test]
async fn the_demo_set_has_codes_in_every_status() {
    let app = common::spawn().await;
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    let happy_paws = &report.moego[0];
    let key = app
        .issue_moego_key(MoegoKeyRequest {
            company: happy_paws.company_id.clone(),
            ..Default::default()
        })
        .await;
    let listed = app
        .moego_post(
            &key.authorization,
            "/v1/discounts:list",
            json!({"companyId": happy_paws.company_id, "pagination": {"pageSize": 100}}),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(DISCOUNT, "v1ListDiscountsResponse", &listed.body);
    let mut statuses: Vec<&str> = listed.body["discounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    statuses.sort();
    statuses.dedup();
    assert_eq!(statuses, ["ACTIVE", "ARCHIVED", "EXPIRED", "INACTIVE"]);
    let redeemed = app
        .moego_post(
            &key.authorization,
            "/v1/orders/discounts:list",
            json!({"companyId": happy_paws.company_id}),
        )
        .await;
    assert!(
        redeemed.body["orderDiscounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["discountCodeId"]
                .as_str()
                .is_some_and(|id| id.starts_with("dsc_"))),
        "{}",
        redeemed.text
    );
}

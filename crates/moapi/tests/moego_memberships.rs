//! MoeGo memberships (MembershipService) over HTTP: both lists in the vendor's shape with their
//! filters and pages, subscription dates that follow time, renewals billed exactly once however
//! many sweeps run, cancellation, membership discounts on new appointment orders to the cent,
//! the demo set, and bad input refused.

mod common;

use chrono::{DateTime, Months, Utc};
use common::fidelity::assert_moego;
use common::orders::{usd, ORDER};
use common::{Reply, TestApp};
use moapi::fixtures::Fixtures;
use moapi::operator;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::IdKind;
use reqwest::Method;
use serde_json::{json, Value};

const MEMBERSHIP: &str = "membership/v1/membership_service.swagger.json";
const MICROS_PER_DAY: i64 = 86_400_000_000;

fn created_id(reply: &Reply, member: &str) -> String {
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body[member].as_str().unwrap().to_string()
}

/// `at` plus calendar months, as RFC 3339.
fn months_after(at: i64, months: u32) -> String {
    let date = DateTime::<Utc>::from_timestamp_micros(at).unwrap();
    protojson_timestamp(
        date.checked_add_months(Months::new(months))
            .unwrap()
            .timestamp_micros(),
    )
}

/// Operator verbs and the two lists of company 0 (Alpha).
trait Memberships {
    async fn create_membership(&self, body: Value) -> Reply;
    async fn subscribe(&self, body: Value) -> Reply;
    async fn cancel(&self, subscription: &str, at_period_end: bool) -> Reply;
    async fn renew(&self) -> Value;
    async fn memberships(&self, body: Value) -> Reply;
    async fn subscriptions(&self, body: Value) -> Reply;
}

impl Memberships for TestApp {
    async fn create_membership(&self, body: Value) -> Reply {
        let company = self.seed.moego[0].company_id.clone();
        self.operator_post(&format!("/moego/companies/{company}/memberships"), body)
            .await
    }

    async fn subscribe(&self, body: Value) -> Reply {
        let company = self.seed.moego[0].company_id.clone();
        self.operator_post(&format!("/moego/companies/{company}/subscriptions"), body)
            .await
    }

    async fn cancel(&self, subscription: &str, at_period_end: bool) -> Reply {
        self.operator_post(
            &format!("/moego/subscriptions/{subscription}/cancel"),
            json!({"atPeriodEnd": at_period_end}),
        )
        .await
    }

    async fn renew(&self) -> Value {
        let reply = self
            .operator_post("/moego/memberships/renewals", json!({}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body
    }

    async fn memberships(&self, mut body: Value) -> Reply {
        body["companyId"] = json!(self.seed.moego[0].company_id);
        self.moego_post(&self.moego_auth(0), "/v1/memberships:list", body)
            .await
    }

    async fn subscriptions(&self, mut body: Value) -> Reply {
        body["companyId"] = json!(self.seed.moego[0].company_id);
        self.moego_post(
            &self.moego_auth(0),
            "/v1/memberships/subscriptions:list",
            body,
        )
        .await
    }
}

fn page(size: i64) -> Value {
    json!({"pageSize": size})
}

/// The one subscription of a subscriptions:list answer, checked against the swagger.
fn only_subscription(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(MEMBERSHIP, "v1ListSubscriptionsResponse", &reply.body);
    let rows = reply.body["subscriptions"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{}", reply.text);
    rows[0].clone()
}

/// Alpha's orders of a customer, oldest update first.
async fn orders_of(app: &TestApp, customer: &str) -> Vec<Value> {
    let reply = app
        .moego_post(
            &app.moego_auth(0),
            "/v1/orders:list",
            json!({"companyId": app.seed.moego[0].company_id,
                   "businessIds": app.seed.moego[0].business_ids, "pagination": page(100)}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(ORDER, "v1ListOrdersResponse", &reply.body);
    reply.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|order| order["customerId"] == customer)
        .cloned()
        .collect()
}

/// A monthly membership of Alpha at `price`; answers its ID.
async fn monthly(app: &TestApp, name: &str, price: &str) -> String {
    let reply = app
        .create_membership(json!({"name": name, "price": price, "billingCycle": "MONTHLY"}))
        .await;
    created_id(&reply, "membershipId")
}

#[tokio::test]
async fn a_subscription_started_forty_days_ago_is_in_its_second_period_with_two_orders() {
    let app = common::spawn().await;
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let membership = monthly(&app, "Pamper Club", "20").await;
    let start = now_micros() - 40 * MICROS_PER_DAY;
    let subscription = created_id(
        &app.subscribe(json!({"customerId": customer, "membershipId": membership,
                              "startTime": protojson_timestamp(start)}))
            .await,
        "subscriptionId",
    );

    let listed = only_subscription(
        &app.subscriptions(json!({"pagination": page(10), "filter": {"customerIdIn": [customer]}}))
            .await,
    );
    assert_eq!(listed["id"], subscription);
    assert_eq!(listed["status"], "ACTIVE");
    assert_eq!(listed["membershipId"], membership);
    assert_eq!(listed["price"], usd(20, 0));
    assert_eq!(
        listed["validityPeriod"],
        json!({"startTime": months_after(start, 1), "endTime": months_after(start, 2)})
    );
    assert_eq!(listed["nextBillingDate"], json!(months_after(start, 2)));
    assert_eq!(listed["expiredTime"], json!(months_after(start, 2)));
    assert!(listed.get("cancelAtPeriodEnd").is_none(), "{listed}");

    let orders = orders_of(&app, &customer).await;
    assert_eq!(orders.len(), 2, "{orders:?}");
    let mut billed: Vec<&str> = orders
        .iter()
        .map(|order| order["createdTime"].as_str().unwrap())
        .collect();
    billed.sort();
    assert_eq!(billed, [months_after(start, 0), months_after(start, 1)]);
    for order in &orders {
        assert_eq!(order["title"], "Pamper Club");
        assert_eq!(order["totalAmount"], usd(20, 0));
        assert_eq!(order["status"], "CREATED");
    }
    assert_eq!(app.renew().await["ordersOpened"], 0, "nothing more is due");
}

#[tokio::test]
async fn renewals_are_billed_exactly_once_by_concurrent_sweeps_on_two_nodes() {
    let app = common::spawn().await;
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let membership = monthly(&app, "Weekly Wash", "12.50").await;
    // Subscribed to start tomorrow, then the start moved 40 days back: periods that began
    // while no sweep ran, as after a long outage.
    let tomorrow = protojson_timestamp(now_micros() + MICROS_PER_DAY);
    let subscription = created_id(
        &app.subscribe(json!({"customerId": customer, "membershipId": membership,
                              "startTime": tomorrow}))
            .await,
        "subscriptionId",
    );
    let pending = only_subscription(&app.subscriptions(json!({"pagination": page(10)})).await);
    assert_eq!(pending["status"], "PENDING");
    assert_eq!(pending["nextBillingDate"], json!(tomorrow));
    assert!(orders_of(&app, &customer).await.is_empty());
    // Each node sweeps as it starts, then once a minute: once the second node's first sweep
    // (which found nothing due) is over, only the sweeps below bill.
    let (second, _node) = app.second_node().await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let start = now_micros() - 40 * MICROS_PER_DAY;
    let raw = app
        .state
        .ids
        .decode(IdKind::Subscription, &subscription)
        .unwrap();
    sqlx::query("UPDATE moego_subscriptions SET start_at = $2, next_bill_at = $2 WHERE id = $1")
        .bind(raw)
        .bind(start)
        .execute(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();

    let mut sweeps = tokio::task::JoinSet::new();
    for n in 0..8 {
        let base = if n % 2 == 0 {
            app.base.clone()
        } else {
            second.clone()
        };
        let client = app.client.clone();
        sweeps.spawn(async move {
            let response = client
                .post(format!("{base}/admin/v1/moego/memberships/renewals"))
                .header("authorization", format!("Bearer {}", common::ADMIN_TOKEN))
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            (status, text)
        });
    }
    let mut opened = 0;
    while let Some(done) = sweeps.join_next().await {
        let (status, text) = done.unwrap();
        assert_eq!(status, 200, "{text}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["failed"], 0, "{text}");
        opened += body["ordersOpened"].as_i64().unwrap();
    }
    assert_eq!(opened, 2, "two periods began: two orders in all");
    assert_eq!(app.renew().await["ordersOpened"], 0);
    let orders = orders_of(&app, &customer).await;
    assert_eq!(orders.len(), 2, "{orders:?}");
    let listed = only_subscription(&app.subscriptions(json!({"pagination": page(10)})).await);
    assert_eq!(listed["status"], "ACTIVE");
    assert_eq!(listed["nextBillingDate"], json!(months_after(start, 2)));
}

#[tokio::test]
async fn cancelling_at_period_end_serves_the_period_and_cancelling_now_ends_it() {
    let app = common::spawn().await;
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let membership = monthly(&app, "Pamper Club", "20").await;
    let start = now_micros() - 10 * MICROS_PER_DAY;
    let subscription = created_id(
        &app.subscribe(json!({"customerId": customer, "membershipId": membership,
                              "startTime": protojson_timestamp(start)}))
            .await,
        "subscriptionId",
    );

    let reply = app.cancel(&subscription, true).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let ending = only_subscription(&app.subscriptions(json!({"pagination": page(10)})).await);
    assert_eq!(ending["status"], "ACTIVE", "it serves the month paid for");
    assert_eq!(ending["cancelAtPeriodEnd"], true);
    assert!(ending.get("nextBillingDate").is_none(), "{ending}");
    assert_eq!(ending["expiredTime"], json!(months_after(start, 1)));
    let again = app.cancel(&subscription, true).await;
    assert_eq!(again.status, 400, "{}", again.text);
    assert!(again.text.contains("already cancelled"), "{}", again.text);

    let before = now_micros();
    let reply = app.cancel(&subscription, false).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let ended = only_subscription(
        &app.subscriptions(json!({"pagination": page(10), "filter": {"statusIn": ["CANCELLED"]}}))
            .await,
    );
    assert_eq!(ended["status"], "CANCELLED");
    let expired = moapi_core::time::parse_instant(ended["expiredTime"].as_str().unwrap()).unwrap();
    assert!(expired >= before && expired <= now_micros(), "{ended}");
    assert_eq!(
        ended["validityPeriod"]["startTime"],
        json!(protojson_timestamp(start))
    );
    let active = app
        .subscriptions(
            json!({"pagination": page(10), "filter": {"statusIn": ["ACTIVE", "PENDING"]}}),
        )
        .await;
    assert_eq!(active.status, 200, "{}", active.text);
    assert!(
        active.body.get("subscriptions").is_none() || active.body["subscriptions"] == json!([])
    );
    assert_eq!(app.cancel(&subscription, false).await.status, 400);
    assert_eq!(
        orders_of(&app, &customer).await.len(),
        1,
        "no refund, no new bill"
    );
    let unknown = app.cancel("sub_unknown", false).await;
    assert_eq!(unknown.status, 400, "{}", unknown.text);
    let missing = app.cancel("999999", false).await;
    assert_eq!(missing.status, 404, "{}", missing.text);
}

#[tokio::test]
async fn a_membership_discount_goes_on_a_new_appointment_order_to_the_cent() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.business_id(0, 0);
    app.set_business_tax(0, &business, "8").await;
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
    let member = app.insert_customer(0, "Ann", "+12125550001").await;
    let stranger = app.insert_customer(0, "Bea", "+12125550002").await;
    let membership = created_id(
        &app.create_membership(json!({"name": "Groom Club", "price": "30", "billingCycle": "MONTHLY",
                                      "discounts": [{"percentage": "0.15", "services": [service]}]}))
            .await,
        "membershipId",
    );
    created_id(
        &app.subscribe(json!({"customerId": member, "membershipId": membership}))
            .await,
        "subscriptionId",
    );

    let mut orders = Vec::new();
    for (customer, start) in [
        (&member, "2030-01-07T14:00:00Z"),
        (&stranger, "2030-01-08T14:00:00Z"),
    ] {
        let pet = app.create_pet(&auth, customer, "Rex").await;
        let body = common::booking::booking(&business, customer, &pet, &service, &staff, start);
        let booked = app.book(&auth, body).await;
        assert_eq!(booked.status, 200, "{}", booked.text);
        orders.push(booked.body.clone());
    }
    let (member_booking, stranger_booking) = (&orders[0], &orders[1]);
    let order_id = member_booking["orderId"].as_str().unwrap();
    let order = app
        .moego_get(&auth, &format!("/v1/orders/{order_id}"))
        .await;
    assert_eq!(order.status, 200, "{}", order.text);
    assert_moego(ORDER, "v1Order", &order.body);
    // 65.75 + 8 % tax (5.26) - 15 % of 65.75 (9.8625, rounded to 9.86).
    assert_eq!(order.body["subTotalAmount"], usd(65, 750_000_000));
    assert_eq!(order.body["taxAmount"], usd(5, 260_000_000));
    assert_eq!(order.body["discountAmount"], usd(9, 860_000_000));
    assert_eq!(order.body["totalAmount"], usd(61, 150_000_000));
    assert_eq!(
        member_booking["totalAmount"],
        usd(61, 150_000_000),
        "the appointment agrees"
    );

    let discounts = app
        .moego_post(
            &auth,
            "/v1/orders/discounts:list",
            json!({"companyId": app.seed.moego[0].company_id, "filter": {"orderIds": [order_id]}}),
        )
        .await;
    assert_eq!(discounts.status, 200, "{}", discounts.text);
    assert_moego(ORDER, "v1ListOrderDiscountsResponse", &discounts.body);
    let rows = discounts.body["orderDiscounts"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{}", discounts.text);
    assert_eq!(rows[0]["applyType"], "ITEM");
    assert_eq!(rows[0]["discountType"], "PERCENTAGE");
    assert_eq!(rows[0]["discountAmount"], usd(9, 860_000_000));
    assert_eq!(rows[0]["discountRate"], json!({"value": "0.15"}));
    let items = app
        .moego_post(
            &auth,
            "/v1/orders/items:list",
            json!({"companyId": app.seed.moego[0].company_id, "filter": {"orderIds": [order_id]}}),
        )
        .await;
    assert_eq!(
        rows[0]["orderItemId"],
        items.body["orderLineItems"][0]["id"]
    );

    // 65.75 + 5.26 with no membership.
    assert_eq!(stranger_booking["totalAmount"], usd(71, 10_000_000));
}

#[tokio::test]
async fn lists_filter_by_name_status_customer_and_membership_and_page() {
    let app = common::spawn().await;
    let ann = app.insert_customer(0, "Ann", "+12125550001").await;
    let bea = app.insert_customer(0, "Bea", "+12125550002").await;
    let club = monthly(&app, "Pamper Club", "20").await;
    let vip = created_id(
        &app.create_membership(
            json!({"name": "Annual VIP", "price": "299", "billingCycle": "ANNUALLY",
                                      "taxRate": "8.625", "enableOnlineBooking": true}),
        )
        .await,
        "membershipId",
    );
    created_id(
        &app.create_membership(
            json!({"name": "Old 100%_Club", "price": "5", "status": "INACTIVE",
                                      "billingCyclePeriod": {"unit": "WEEK", "value": 2}}),
        )
        .await,
        "membershipId",
    );

    let first = app.memberships(json!({"pagination": page(2)})).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_moego(MEMBERSHIP, "v1ListMembershipsResponse", &first.body);
    assert_eq!(first.body["memberships"].as_array().unwrap().len(), 2);
    assert_eq!(first.body["nextPageToken"], "2");
    let second = app
        .memberships(json!({"pagination": {"pageSize": 2, "pageToken": "2"}}))
        .await;
    assert_moego(MEMBERSHIP, "v1ListMembershipsResponse", &second.body);
    let old = &second.body["memberships"][0];
    assert_eq!(old["status"], "INACTIVE");
    assert_eq!(
        old["billingCyclePeriod"],
        json!({"unit": "WEEK", "value": 2})
    );
    assert!(
        old.get("billingCycle").is_none(),
        "no deprecated name for two weeks"
    );
    assert!(
        second.body.get("nextPageToken").is_none(),
        "{}",
        second.text
    );

    let vip_row = &first.body["memberships"][1];
    assert_eq!(vip_row["id"], vip);
    assert_eq!(vip_row["billingCycle"], "ANNUALLY");
    assert_eq!(vip_row["price"], usd(299, 0));
    // 299 × 8.625 % = 25.78875, rounded to 25.79.
    assert_eq!(vip_row["totalTax"], usd(25, 790_000_000));
    assert_eq!(vip_row["totalPrice"], usd(324, 790_000_000));
    assert_eq!(vip_row["enableOnlineBooking"], true);
    assert_eq!(vip_row["source"], "MOEGO_PLATFORM");
    assert_eq!(vip_row["revision"], 1);

    let named = |like: &str| {
        let like = like.to_string();
        let app = &app;
        async move {
            let reply = app
                .memberships(json!({"pagination": page(10), "filter": {"nameLike": like}}))
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            reply.body["memberships"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|m| m["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(named("CLUB").await, ["Pamper Club", "Old 100%_Club"]);
    assert_eq!(
        named("100%_").await,
        ["Old 100%_Club"],
        "LIKE's wildcards are plain text"
    );
    assert_eq!(named("%").await, ["Old 100%_Club"]);
    let inactive = app
        .memberships(
            json!({"pagination": page(10), "filter": {"statusIn": ["INACTIVE", "DELETED"]}}),
        )
        .await;
    assert_eq!(inactive.body["memberships"].as_array().unwrap().len(), 1);

    for (customer, membership) in [(&ann, &club), (&bea, &club), (&bea, &vip)] {
        created_id(
            &app.subscribe(json!({"customerId": customer, "membershipId": membership}))
                .await,
            "subscriptionId",
        );
    }
    let count = |reply: Reply| {
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(MEMBERSHIP, "v1ListSubscriptionsResponse", &reply.body);
        reply.body["subscriptions"].as_array().map_or(0, Vec::len)
    };
    let filter = |filter: Value| json!({"pagination": page(10), "filter": filter});
    assert_eq!(
        count(
            app.subscriptions(filter(json!({"customerIdIn": [bea]})))
                .await
        ),
        2
    );
    assert_eq!(
        count(
            app.subscriptions(filter(json!({"membershipIdIn": [club]})))
                .await
        ),
        2
    );
    assert_eq!(
        count(
            app.subscriptions(filter(
                json!({"customerIdIn": [bea], "membershipIdIn": [club]})
            ))
            .await
        ),
        1
    );
    assert_eq!(
        count(
            app.subscriptions(filter(json!({"statusIn": ["ACTIVE"]})))
                .await
        ),
        3
    );
    assert_eq!(
        count(
            app.subscriptions(filter(json!({"statusIn": ["PAUSED"]})))
                .await
        ),
        0
    );
    let paged = app.subscriptions(json!({"pagination": page(2)})).await;
    assert_eq!(paged.body["nextPageToken"], "2");

    // The other company's key reaches neither list of Alpha.
    let foreign = app
        .moego_post(
            &app.moego_auth(1),
            "/v1/memberships:list",
            json!({"companyId": app.seed.moego[0].company_id, "pagination": page(10)}),
        )
        .await;
    assert_eq!(foreign.status, 403, "{}", foreign.text);
    assert_eq!(foreign.body["code"], 7);
}

#[tokio::test]
async fn bad_input_is_invalid_argument() {
    let app = common::spawn().await;
    let many: Vec<String> = (1..=1001)
        .map(|n| app.state.ids.encode(IdKind::Customer, n))
        .collect();
    let refusals = [
        (
            "/v1/memberships:list",
            json!({"pagination": page(10), "filter": {"statusIn": ["GONE"]}}),
            "filter.statusIn",
        ),
        (
            "/v1/memberships:list",
            json!({"pagination": page(0)}),
            "pagination.pageSize",
        ),
        (
            "/v1/memberships:list",
            json!({"pagination": page(10), "filter": {"nameLike": "x".repeat(51)}}),
            "filter.nameLike",
        ),
        (
            "/v1/memberships/subscriptions:list",
            json!({"pagination": page(10), "filter": {"statusIn": ["EXPIRED"]}}),
            "filter.statusIn",
        ),
        (
            "/v1/memberships/subscriptions:list",
            json!({"pagination": page(10), "filter": {"customerIdIn": many}}),
            "filter.customerIdIn",
        ),
        (
            "/v1/memberships/subscriptions:list",
            json!({"pagination": page(501)}),
            "pagination.pageSize",
        ),
        (
            "/v1/memberships/subscriptions:list",
            json!({}),
            "pagination",
        ),
    ];
    for (path, mut body, field) in refusals {
        body["companyId"] = json!(app.seed.moego[0].company_id);
        let reply = app.moego_post(&app.moego_auth(0), path, body).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert_eq!(reply.body["code"], 3, "{}", reply.text);
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
    let missing_company = app
        .moego_post(
            &app.moego_auth(0),
            "/v1/memberships:list",
            json!({"pagination": page(10)}),
        )
        .await;
    assert_eq!(missing_company.status, 400, "{}", missing_company.text);
}

#[tokio::test]
async fn the_operator_refuses_bad_memberships_and_subscriptions_precisely() {
    let app = common::spawn().await;
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let refused = [
        (
            json!({"name": "X", "price": "1", "billingCycle": "MONTHLY", "billingCyclePeriod": {"unit": "DAY", "value": 1}}),
            400,
            "billingCycle",
        ),
        (
            json!({"name": "X", "price": "1", "billingCycle": "DAILY"}),
            400,
            "billingCycle",
        ),
        (
            json!({"name": "X", "price": "-1", "billingCycle": "MONTHLY"}),
            400,
            "price",
        ),
        (
            json!({"name": "X", "price": "1", "billingCycle": "MONTHLY", "discounts": [{"percentage": "1.5"}]}),
            400,
            "discounts[0].percentage",
        ),
        (
            json!({"name": "X", "price": "1", "billingCycle": "MONTHLY", "discounts": [{"amount": "5", "services": ["Nope"]}]}),
            404,
            "no service",
        ),
        (
            json!({"name": "X", "price": "1", "billingCycle": "MONTHLY", "petSizes": ["Huge"]}),
            404,
            "no pet size",
        ),
    ];
    for (body, status, needle) in refused {
        let reply = app.create_membership(body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
        assert!(reply.text.contains(needle), "{needle}: {}", reply.text);
    }
    let inactive = created_id(
        &app.create_membership(
            json!({"name": "Old", "price": "1", "billingCycle": "WEEKLY", "status": "INACTIVE"}),
        )
        .await,
        "membershipId",
    );
    let reply = app
        .subscribe(json!({"customerId": customer, "membershipId": inactive}))
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(reply.text.contains("ACTIVE"), "{}", reply.text);
    let club = monthly(&app, "Club", "10").await;
    let ghost = app.state.ids.encode(IdKind::Customer, 999_999);
    let reply = app
        .subscribe(json!({"customerId": ghost, "membershipId": club}))
        .await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    let reply = app
        .subscribe(json!({"customerId": customer, "membershipId": club, "startTime": "2001-01-01T00:00:00Z"}))
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(reply.text.contains("startTime"), "{}", reply.text);
    let reply = app
        .subscribe(json!({"customerId": customer, "membershipId": club, "price": "ten"}))
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(
        orders_of(&app, &customer).await.is_empty(),
        "refusals bill nothing"
    );
    let wrong_method = app
        .send(app.admin(Method::GET, "/moego/memberships/renewals"))
        .await;
    assert_eq!(wrong_method.status, 405, "{}", wrong_method.text);
}

#[tokio::test]
async fn the_demo_set_has_active_cancelled_and_ended_subscriptions_with_their_orders() {
    let app = common::spawn().await;
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    let company = &report.moego[0];
    let list = |path: &'static str, body: Value| {
        let mut body = body;
        body["companyId"] = json!(company.company_id);
        app.moego_post(&company.authorization, path, body)
    };
    let memberships = list("/v1/memberships:list", json!({"pagination": page(100)})).await;
    assert_eq!(memberships.status, 200, "{}", memberships.text);
    assert_moego(MEMBERSHIP, "v1ListMembershipsResponse", &memberships.body);
    let memberships = memberships.body["memberships"].as_array().unwrap().clone();
    let names: Vec<&str> = memberships
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Pamper Club", "Annual VIP"]);
    let club = &memberships[0];
    assert_eq!(club["billingCycle"], "MONTHLY");
    assert_eq!(club["enableDiscountBenefits"], true);
    assert_eq!(club["enableQuantityBenefits"], true);
    // 29.99 × 8.625 % = 2.5866..., rounded to 2.59.
    assert_eq!(club["totalPrice"], usd(32, 580_000_000));
    assert_eq!(memberships[1]["breedFilter"], true);

    let subscriptions = list(
        "/v1/memberships/subscriptions:list",
        json!({"pagination": page(100)}),
    )
    .await;
    assert_eq!(subscriptions.status, 200, "{}", subscriptions.text);
    assert_moego(
        MEMBERSHIP,
        "v1ListSubscriptionsResponse",
        &subscriptions.body,
    );
    let rows = subscriptions.body["subscriptions"].as_array().unwrap();
    let standing: Vec<(&str, bool)> = rows
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap(),
                s["cancelAtPeriodEnd"] == true,
            )
        })
        .collect();
    assert_eq!(
        standing,
        [("ACTIVE", false), ("CANCELLED", false), ("CANCELLED", true)],
        "Emma's is active, James's cancelled today, Sophia's ran out its period"
    );
    let orders = list(
        "/v1/orders:list",
        json!({"businessIds": company.business_ids, "pagination": page(100)}),
    )
    .await;
    let memberships_billed: Vec<&Value> = orders.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|order| {
            ["Pamper Club", "Annual VIP"].contains(&order["title"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(memberships_billed.len(), 4, "Emma 2, James 1, Sophia 1");
}

#[tokio::test]
async fn pet_filters_choose_the_benefits_and_a_line_never_gets_more_off_than_its_price() {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let business = app.business_id(0, 0);
    sqlx::query("INSERT INTO moego_pet_types (company_id, name, created_at) VALUES ($1, 'Dog', 0)")
        .bind(app.company_raw_id(0))
        .execute(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    let service = app
        .insert_service(
            0,
            common::booking::ServiceSpec {
                price: "20",
                ..Default::default()
            },
        )
        .await;
    let (staff, _) = app.staff("Ann").await;
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let memberships = [
        json!({"name": "Poodle Perks", "discounts": [{"amount": "5"}],
               "breeds": [{"petType": "dog", "breeds": ["poodle"]}]}),
        json!({"name": "Boxer Club", "discounts": [{"amount": "7"}],
               "breeds": [{"petType": "Dog", "breeds": ["Boxer"]}]}),
        json!({"name": "Free Groom", "discounts": [{"percentage": "1"}]}),
    ];
    for mut membership in memberships {
        membership["price"] = json!("10");
        membership["billingCycle"] = json!("MONTHLY");
        let id = created_id(&app.create_membership(membership).await, "membershipId");
        created_id(
            &app.subscribe(json!({"customerId": customer, "membershipId": id}))
                .await,
            "subscriptionId",
        );
    }
    let listed = app
        .memberships(json!({"pagination": page(10), "filter": {"nameLike": "poodle"}}))
        .await;
    assert_moego(MEMBERSHIP, "v1ListMembershipsResponse", &listed.body);
    assert_eq!(listed.body["memberships"][0]["breedFilter"], true);
    assert_eq!(
        listed.body["memberships"][0]["customizedBreeds"][0]["breeds"],
        json!(["poodle"])
    );

    // create_pet makes a Poodle.
    let pet = app.create_pet(&auth, &customer, "Rex").await;
    let body = common::booking::booking(
        &business,
        &customer,
        &pet,
        &service,
        &staff,
        "2030-01-07T14:00:00Z",
    );
    let booked = app.book(&auth, body).await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    let order = booked.body["orderId"].as_str().unwrap();
    let discounts = app
        .moego_post(
            &auth,
            "/v1/orders/discounts:list",
            json!({"companyId": app.seed.moego[0].company_id, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_moego(ORDER, "v1ListOrderDiscountsResponse", &discounts.body);
    let taken: Vec<(&str, &Value)> = discounts.body["orderDiscounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["discountType"].as_str().unwrap(), &d["discountAmount"]))
        .collect();
    assert_eq!(
        taken,
        [("AMOUNT", &usd(5, 0)), ("AMOUNT", &usd(15, 0))],
        "the poodle's 5 off, then what is left of the line; no boxer discount"
    );
    let billed = app.moego_get(&auth, &format!("/v1/orders/{order}")).await;
    assert_eq!(billed.body["discountAmount"], usd(20, 0));
    assert_eq!(billed.body["totalAmount"], usd(0, 0));
}

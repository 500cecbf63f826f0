//! MoeGo reports (ReportService) over HTTP: every report's figures equal what the public lists
//! of the rows it counts (orders, their line items and payments, appointments, customers)
//! sum to over the same period and businesses, on the demo set; fidelity to the vendor
//! swagger; days in the company's time zone; the business restriction; pages; refusals.

mod common;

use std::collections::BTreeMap;

use common::fidelity::assert_moego;
use common::{Reply, TestApp};
use moapi::fixtures::Fixtures;
use moapi::operator::{self, MoegoKeyRequest, SeededCompany};
use moapi_core::IdKind;
use serde_json::{json, Value};

const REPORT: &str = "report/v1/report_service.swagger.json";
const DAY: i64 = 86_400;

/// A group's key (its dimension values as text) and its measures (counts, minutes or nanos).
type Table = BTreeMap<Vec<String>, Vec<i128>>;

async fn fetch(app: &TestApp, auth: &str, body: Value) -> Reply {
    app.moego_post(auth, "/v1/reports/data:fetch", body).await
}

fn rfc3339(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn seconds(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .timestamp()
}

/// The day of an instant in Los Angeles, the demo company's time zone.
fn local_date(text: &str) -> String {
    let zone: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&zone)
        .date_naive()
        .to_string()
}

/// A wire Money in nanos (USD only: the demo company charges in dollars).
fn nanos(money: &Value) -> i128 {
    if money.is_null() {
        return 0;
    }
    assert_eq!(money["currencyCode"], "USD", "{money}");
    let units: i128 = money["units"].as_str().unwrap_or("0").parse().unwrap();
    units * 1_000_000_000 + i128::from(money["nanos"].as_i64().unwrap_or(0))
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

/// Every item of a paged public list.
async fn list_all(app: &TestApp, auth: &str, path: &str, body: Value, member: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut token = String::new();
    loop {
        let mut request = body.clone();
        request["pagination"] = json!({"pageSize": 100, "pageToken": token});
        let reply = app.moego_post(auth, path, request).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        items.extend(reply.body[member].as_array().unwrap().iter().cloned());
        token = text(&reply.body["nextPageToken"]);
        if token.is_empty() {
            return items;
        }
    }
}

/// The demo company: its key, businesses by ID with their names, and the lists a report
/// is checked against.
struct Demo {
    company: SeededCompany,
    /// Waggin' Tails, a company of another API client.
    other: SeededCompany,
    business_names: BTreeMap<String, String>,
    period: (i64, i64),
}

impl Demo {
    async fn seed(app: &TestApp) -> Demo {
        let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
            .await
            .expect("the demo set seeds");
        let mut companies = report.moego.into_iter();
        let (company, other) = (companies.next().unwrap(), companies.next().unwrap());
        let businesses = list_all(
            app,
            &company.authorization,
            "/v1/businesses:list",
            json!({"companyId": company.company_id}),
            "businesses",
        )
        .await;
        let business_names = businesses
            .iter()
            .map(|business| (text(&business["id"]), text(&business["name"])))
            .collect();
        let now = chrono::Utc::now().timestamp();
        Demo {
            company,
            other,
            business_names,
            // Every dated row of the demo: its subscriptions from 100 days back to its
            // appointments 12 days ahead.
            period: (now - 150 * DAY, now + 60 * DAY),
        }
    }

    fn auth(&self) -> &str {
        &self.company.authorization
    }

    fn in_period(&self, instant: &str) -> bool {
        let at = seconds(instant);
        self.period.0 <= at && at < self.period.1
    }

    fn business(&self, id: &Value) -> String {
        self.business_names
            .get(&text(id))
            .cloned()
            .unwrap_or_default()
    }

    /// The report over the period grouped by `dimensions`, as a table keyed like the
    /// expectations.
    async fn report(&self, app: &TestApp, id: &str, dimensions: &[&str]) -> Table {
        self.report_grouped(app, id, dimensions, dimensions).await
    }

    /// The report asked to group by `requested`, expected to group by `dimensions`.
    async fn report_grouped(
        &self,
        app: &TestApp,
        id: &str,
        requested: &[&str],
        dimensions: &[&str],
    ) -> Table {
        let reply = fetch(
            app,
            self.auth(),
            json!({"companyId": self.company.company_id, "pagination": {"pageSize": 500},
                   "condition": {"id": id, "groupByFieldKeys": requested, "queryPeriod": {
                       "startTime": rfc3339(self.period.0), "endTime": rfc3339(self.period.1)}}}),
        )
        .await;
        assert_eq!(reply.status, 200, "{id}: {}", reply.text);
        assert_moego(REPORT, "v1FetchReportDataResponse", &reply.body);
        assert_eq!(reply.body.get("nextPageToken"), None, "{id}: one page");
        let fields = reply.body["tableData"]["fields"].as_array().unwrap();
        let keys: Vec<&str> = fields.iter().map(|f| f["key"].as_str().unwrap()).collect();
        assert_eq!(
            &keys[..dimensions.len()],
            dimensions,
            "{id}: grouped fields first"
        );
        let mut table = Table::new();
        for row in reply.body["tableData"]["rows"].as_array().unwrap() {
            let data = &row["data"];
            assert_eq!(data.as_object().unwrap().len(), fields.len(), "{row}");
            let key = dimensions
                .iter()
                .map(|dimension| {
                    let value = &data[*dimension]["value"];
                    match data[*dimension]["fieldType"].as_str().unwrap() {
                        "DATE" => {
                            let midnight = text(&value["timestamp"]);
                            assert!(midnight.ends_with("T00:00:00Z"), "{midnight}");
                            midnight[..10].to_string()
                        }
                        _ => text(&value["string"]),
                    }
                })
                .collect();
            let measures = fields[dimensions.len()..]
                .iter()
                .map(|field| {
                    let cell = &data[field["key"].as_str().unwrap()];
                    assert_eq!(cell["fieldType"], field["type"], "{cell}");
                    match field["type"].as_str().unwrap() {
                        "MONEY" => nanos(&cell["value"]["money"]),
                        _ => cell["value"]["int64"].as_str().unwrap().parse().unwrap(),
                    }
                })
                .collect();
            assert!(table.insert(key, measures).is_none(), "one row per group");
        }
        table
    }
}

fn add(table: &mut Table, key: Vec<String>, measures: &[i128]) {
    let sums = table.entry(key).or_insert_with(|| vec![0; measures.len()]);
    for (sum, measure) in sums.iter_mut().zip(measures) {
        *sum += measure;
    }
}

/// What the public lists hold about the demo company's orders sold in the period.
struct Sold {
    orders: Vec<Value>,
    items: Vec<Value>,
    payments: Vec<Value>,
    appointments: Vec<Value>,
    staff_names: BTreeMap<String, String>,
}

impl Sold {
    async fn read(app: &TestApp, demo: &Demo) -> Sold {
        let company = &demo.company.company_id;
        let orders: Vec<Value> = list_all(
            app,
            demo.auth(),
            "/v1/orders:list",
            json!({"companyId": company, "businessIds": demo.company.business_ids}),
            "orders",
        )
        .await
        .into_iter()
        .filter(|order| order["status"] != "REMOVED")
        .filter(|order| {
            order["salesDatetime"]
                .as_str()
                .is_some_and(|at| demo.in_period(at))
        })
        .collect();
        let order_ids: Vec<Value> = orders.iter().map(|order| order["id"].clone()).collect();
        let items = app
            .moego_post(
                demo.auth(),
                "/v1/orders/items:list",
                json!({"companyId": company, "filter": {"orderIds": order_ids}}),
            )
            .await;
        assert_eq!(items.status, 200, "{}", items.text);
        let payments = list_all(
            app,
            demo.auth(),
            "/v1/payments:list",
            json!({"companyId": company, "filter": {"orderIds": order_ids}}),
            "payments",
        )
        .await;
        let appointments = list_all(
            app,
            demo.auth(),
            "/v1/appointments:list",
            json!({"companyId": company, "businessIds": demo.company.business_ids}),
            "appointments",
        )
        .await;
        let staff = list_all(
            app,
            demo.auth(),
            "/v1/staffs:list",
            json!({"companyId": company}),
            "staffs",
        )
        .await;
        Sold {
            orders,
            items: items.body["orderLineItems"].as_array().unwrap().clone(),
            payments,
            appointments,
            staff_names: staff
                .iter()
                .map(|member| {
                    let name = format!(
                        "{} {}",
                        text(&member["firstName"]),
                        text(&member["lastName"])
                    );
                    (text(&member["id"]), name.trim().to_string())
                })
                .collect(),
        }
    }

    fn order(&self, id: &Value) -> &Value {
        self.orders.iter().find(|order| order["id"] == *id).unwrap()
    }

    /// The date and business an order's line counts on.
    fn sold_on(&self, demo: &Demo, item: &Value) -> Vec<String> {
        let order = self.order(&item["orderId"]);
        vec![
            local_date(order["salesDatetime"].as_str().unwrap()),
            demo.business(&order["businessId"]),
        ]
    }

    fn line_revenue(item: &Value) -> i128 {
        nanos(&item["unitPrice"]) * i128::from(item["quantity"].as_i64().unwrap())
    }

    /// The staff member of each service line of an appointment's order: the line bills the
    /// appointment service of its service, each service taken once.
    fn staff_of_lines(&self) -> BTreeMap<String, String> {
        let mut staff = BTreeMap::new();
        for appointment in &self.appointments {
            let mut details: Vec<&Value> = appointment["petServiceDetails"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|pet| pet["serviceDetails"].as_array().unwrap())
                .collect();
            for item in self.items.iter().filter(|item| {
                item["orderId"] == appointment["orderId"] && item["objectType"] == "SERVICE"
            }) {
                let index = details
                    .iter()
                    .position(|detail| detail["id"] == item["objectId"])
                    .expect("each service line bills a service of its appointment");
                let detail = details.remove(index);
                let name = detail["staffIds"]
                    .get(0)
                    .map(|id| self.staff_names[&text(id)].clone())
                    .unwrap_or_default();
                staff.insert(text(&item["id"]), name);
            }
        }
        staff
    }
}

#[tokio::test]
async fn every_report_equals_the_sums_of_the_public_lists_on_the_demo_set() {
    let app = common::spawn().await;
    let demo = Demo::seed(&app).await;
    let sold = Sold::read(&app, &demo).await;

    // Sales by day: the orders; what was paid and refunded also from the payments.
    let mut sales = Table::new();
    for order in &sold.orders {
        let key = vec![
            local_date(order["salesDatetime"].as_str().unwrap()),
            demo.business(&order["businessId"]),
        ];
        let amounts = [
            "subTotalAmount",
            "discountAmount",
            "taxAmount",
            "tipsAmount",
            "totalAmount",
            "paidAmount",
            "refundedAmount",
        ]
        .map(|member| nanos(&order[member]));
        add(&mut sales, key, &[[1].as_slice(), &amounts].concat());
    }
    let mut paid_by_payments = Table::new();
    for payment in sold.payments.iter().filter(|p| p["status"] == "COMPLETED") {
        let refunded = nanos(&payment["refundAmount"]);
        let order = sold.order(&payment["orderId"]);
        let key = vec![
            local_date(order["salesDatetime"].as_str().unwrap()),
            demo.business(&order["businessId"]),
        ];
        add(
            &mut paid_by_payments,
            key,
            &[nanos(&payment["amount"]) - refunded, refunded],
        );
    }
    let report = demo
        .report(&app, "rpt_sales_by_day", &["date", "business"])
        .await;
    assert_eq!(report, sales);
    let from_report: Table = report
        .iter()
        .map(|(key, sums)| (key.clone(), sums[6..8].to_vec()))
        .filter(|(_, paid)| paid.iter().any(|sum| *sum != 0))
        .collect();
    assert_eq!(from_report, paid_by_payments);
    assert!(
        sales.len() >= 5,
        "the demo sells on several days: {sales:?}"
    );

    // Appointments by status: the appointments starting in the period.
    let mut appointments = Table::new();
    for appointment in &sold.appointments {
        let start = appointment["duration"]["startTime"].as_str().unwrap();
        if !demo.in_period(start) {
            continue;
        }
        let details: Vec<&Value> = appointment["petServiceDetails"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|pet| pet["serviceDetails"].as_array().unwrap())
            .collect();
        let key = vec![
            local_date(start),
            demo.business(&appointment["businessId"]),
            text(&appointment["status"]),
        ];
        let price: i128 = details.iter().map(|detail| nanos(&detail["price"])).sum();
        let minutes: i128 = details
            .iter()
            .map(|detail| i128::from(detail["serviceTime"].as_i64().unwrap_or(0)))
            .sum();
        add(
            &mut appointments,
            key,
            &[1, details.len() as i128, price, minutes],
        );
    }
    let report = demo
        .report(
            &app,
            "rpt_appointments_by_status",
            &["date", "business", "status"],
        )
        .await;
    assert_eq!(report, appointments);
    assert!(report.keys().any(|key| key[2] == "CANCELED"));

    // Revenue by service and by staff: the service lines of the orders sold.
    let staff_of_lines = sold.staff_of_lines();
    let (mut by_service, mut by_staff) = (Table::new(), Table::new());
    for item in sold
        .items
        .iter()
        .filter(|item| item["objectType"] == "SERVICE")
    {
        let measures = [
            i128::from(item["quantity"].as_i64().unwrap()),
            Sold::line_revenue(item),
        ];
        let mut key = sold.sold_on(&demo, item);
        key.push(text(&item["name"]));
        add(&mut by_service, key, &measures);
        let mut key = sold.sold_on(&demo, item);
        key.push(
            staff_of_lines
                .get(&text(&item["id"]))
                .cloned()
                .unwrap_or_default(),
        );
        add(&mut by_staff, key, &measures);
    }
    let report = demo
        .report(
            &app,
            "rpt_revenue_by_service",
            &["date", "business", "service"],
        )
        .await;
    assert_eq!(report, by_service);
    assert!(!report.is_empty());
    let report = demo
        .report(&app, "rpt_revenue_by_staff", &["date", "business", "staff"])
        .await;
    assert_eq!(report, by_staff);
    assert!(report.keys().any(|key| key[2] == "Liam Chen"));

    // Packages and membership periods sold: package lines, and the fee line of each
    // membership period's order (titled with the membership's name).
    let mut packages_and_memberships = Table::new();
    for item in &sold.items {
        let kind = match item["objectType"].as_str().unwrap() {
            "PACKAGE" => ("PACKAGE", text(&item["name"])),
            "SERVICE_CHARGE" => ("MEMBERSHIP", text(&sold.order(&item["orderId"])["title"])),
            _ => continue,
        };
        let mut key = sold.sold_on(&demo, item);
        key.extend([kind.0.to_string(), kind.1]);
        let quantity = i128::from(item["quantity"].as_i64().unwrap());
        add(
            &mut packages_and_memberships,
            key,
            &[quantity, Sold::line_revenue(item)],
        );
    }
    let report = demo
        .report(
            &app,
            "rpt_package_membership_sales",
            &["date", "business", "kind", "item"],
        )
        .await;
    assert_eq!(report, packages_and_memberships);
    for kind in ["PACKAGE", "MEMBERSHIP"] {
        assert!(
            report.keys().any(|key| key[2] == kind),
            "{kind}: {report:?}"
        );
    }

    // New customers: the customers created in the period, by preferred business.
    let customers = list_all(
        &app,
        demo.auth(),
        "/v1/customers:list",
        json!({"companyId": demo.company.company_id}),
        "customers",
    )
    .await;
    let mut new_customers = Table::new();
    for customer in &customers {
        let created = customer["createdTime"].as_str().unwrap();
        if demo.in_period(created) {
            let key = vec![
                local_date(created),
                demo.business(&customer["preferredBusinessId"]),
            ];
            add(&mut new_customers, key, &[1]);
        }
    }
    let report = demo
        .report(&app, "rpt_new_customers", &["date", "business"])
        .await;
    assert_eq!(report, new_customers);
    assert!(!report.is_empty());
}

#[tokio::test]
async fn default_groupings_roll_the_groups_up() {
    let app = common::spawn().await;
    let demo = Demo::seed(&app).await;
    for (id, finest, default) in [
        ("rpt_sales_by_day", &["date", "business"][..], &["date"][..]),
        (
            "rpt_appointments_by_status",
            &["date", "business", "status"],
            &["status"],
        ),
        (
            "rpt_revenue_by_service",
            &["date", "business", "service"],
            &["service"],
        ),
        (
            "rpt_revenue_by_staff",
            &["date", "business", "staff"],
            &["staff"],
        ),
        ("rpt_new_customers", &["date", "business"], &["date"]),
        (
            "rpt_package_membership_sales",
            &["date", "business", "kind", "item"],
            &["kind", "item"],
        ),
    ] {
        let mut rolled = Table::new();
        for (key, sums) in demo.report(&app, id, finest).await {
            let kept = finest
                .iter()
                .zip(key)
                .filter(|(field, _)| default.contains(field))
                .map(|(_, value)| value)
                .collect();
            add(&mut rolled, kept, &sums);
        }
        assert!(!rolled.is_empty(), "{id}");
        assert_eq!(demo.report(&app, id, default).await, rolled, "{id}");
        // No groupByFieldKeys: the default grouping.
        assert_eq!(
            demo.report_grouped(&app, id, &[], default).await,
            rolled,
            "{id}"
        );
    }
}

/// Opens a sale of one line at a demo business and moves its sales time to `sold_at`, as
/// having sold it then would have; returns the `ord_` ID.
async fn sale_at(app: &TestApp, demo: &Demo, business: &str, price: &str, sold_at: &str) -> String {
    let customers = list_all(
        app,
        demo.auth(),
        "/v1/customers:list",
        json!({"companyId": demo.company.company_id}),
        "customers",
    )
    .await;
    let reply = app
        .send(
            app.admin(
                reqwest::Method::POST,
                &format!("/moego/companies/{}/orders", demo.company.company_id),
            )
            .json(&json!({"businessId": business, "customerId": customers[0]["id"],
                          "title": "Sale", "lines": [{"name": "Brush", "unitPrice": price, "quantity": 1}]})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let order = text(&reply.body["orderId"]);
    sqlx::query("UPDATE moego_orders SET sales_at = $2 WHERE id = $1")
        .bind(app.state.ids.decode(IdKind::Order, &order).unwrap())
        .bind(seconds(sold_at) * 1_000_000)
        .execute(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    order
}

fn sales_body(company: &str, start: &str, end: &str) -> Value {
    json!({"companyId": company, "pagination": {"pageSize": 50},
           "condition": {"id": "rpt_sales_by_day", "groupByFieldKeys": ["date", "business"],
                         "queryPeriod": {"startTime": start, "endTime": end}}})
}

/// (date, business, orders, gross sales in nanos) of each row of a sales answer.
fn sales_rows(reply: &Reply) -> Vec<(String, String, String, i128)> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(REPORT, "v1FetchReportDataResponse", &reply.body);
    reply.body["tableData"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let data = &row["data"];
            (
                text(&data["date"]["value"]["timestamp"]),
                text(&data["business"]["value"]["string"]),
                text(&data["orders"]["value"]["int64"]),
                nanos(&data["gross_sales"]["value"]["money"]),
            )
        })
        .collect()
}

#[tokio::test]
async fn days_are_the_company_s_and_a_restricted_key_sees_its_businesses_only() {
    let app = common::spawn().await;
    let demo = Demo::seed(&app).await;
    let (downtown, mission) = (
        demo.company.business_ids[0].clone(),
        demo.company.business_ids[1].clone(),
    );
    // 07:59:59Z is still the 14th in Los Angeles (UTC-8 in January); 08:00Z is the 15th.
    sale_at(&app, &demo, &downtown, "10", "2020-01-15T07:59:59Z").await;
    sale_at(&app, &demo, &downtown, "20.5", "2020-01-15T08:00:00Z").await;
    sale_at(&app, &demo, &mission, "7.25", "2020-01-15T20:00:00Z").await;
    let company = &demo.company.company_id;
    let two_days = sales_body(company, "2020-01-14T08:00:00Z", "2020-01-16T08:00:00Z");
    let all = fetch(&app, demo.auth(), two_days.clone()).await;
    let dollars = |units: i128| units * 1_000_000_000;
    assert_eq!(
        sales_rows(&all),
        [
            (
                "2020-01-14T00:00:00Z".into(),
                "Happy Paws Downtown".into(),
                "1".into(),
                dollars(10)
            ),
            (
                "2020-01-15T00:00:00Z".into(),
                "Happy Paws Downtown".into(),
                "1".into(),
                dollars(41) / 2
            ),
            (
                "2020-01-15T00:00:00Z".into(),
                "Happy Paws Mission".into(),
                "1".into(),
                dollars(29) / 4
            ),
        ]
    );
    // Start inclusive, end exclusive: the 08:00Z sale and Mission's only.
    let later = fetch(
        &app,
        demo.auth(),
        sales_body(company, "2020-01-15T08:00:00Z", "2020-01-15T20:00:01Z"),
    )
    .await;
    assert_eq!(sales_rows(&later).len(), 2);
    let before_mission = fetch(
        &app,
        demo.auth(),
        sales_body(company, "2020-01-15T08:00:00Z", "2020-01-15T20:00:00Z"),
    )
    .await;
    assert_eq!(sales_rows(&before_mission).len(), 1);

    let downtown_key = app
        .issue_moego_key(MoegoKeyRequest {
            company: company.clone(),
            businesses: vec![downtown.clone()],
            ..Default::default()
        })
        .await;
    let restricted = fetch(&app, &downtown_key.authorization, two_days.clone()).await;
    let rows = sales_rows(&restricted);
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|row| row.1 == "Happy Paws Downtown"),
        "{rows:?}"
    );
    let mut naming_mission = two_days.clone();
    naming_mission["businessIds"] = json!([mission]);
    let refused = fetch(&app, &downtown_key.authorization, naming_mission.clone()).await;
    assert_eq!(
        (refused.status, refused.body["code"].clone()),
        (403, json!(7)),
        "{}",
        refused.text
    );
    let only_mission = fetch(&app, demo.auth(), naming_mission).await;
    assert_eq!(sales_rows(&only_mission).len(), 1);
    // Customers are company-wide; a restricted key counts those preferring its businesses.
    let mut customers = two_days.clone();
    customers["condition"] = json!({"id": "rpt_new_customers", "groupByFieldKeys": ["business"],
        "queryPeriod": {"startTime": rfc3339(demo.period.0), "endTime": rfc3339(demo.period.1)}});
    let everyone = fetch(&app, demo.auth(), customers.clone()).await;
    let preferring = fetch(&app, &downtown_key.authorization, customers).await;
    let businesses = |reply: &Reply| -> Vec<String> {
        reply.body["tableData"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| text(&row["data"]["business"]["value"]["string"]))
            .collect()
    };
    assert!(businesses(&everyone).contains(&"Happy Paws Mission".to_string()));
    assert_eq!(businesses(&preferring), ["Happy Paws Downtown"]);

    // Another company's key reaches nothing of this one.
    let foreign = fetch(&app, &demo.other.authorization, two_days).await;
    assert_eq!(foreign.status, 403, "{}", foreign.text);
}

#[tokio::test]
async fn tables_come_in_pages() {
    let app = common::spawn().await;
    let demo = Demo::seed(&app).await;
    let body = |size: i64, token: &str| {
        json!({"companyId": demo.company.company_id,
               "pagination": {"pageSize": size, "pageToken": token},
               "condition": {"id": "rpt_sales_by_day", "queryPeriod": {
                   "startTime": rfc3339(demo.period.0), "endTime": rfc3339(demo.period.1)}}})
    };
    let whole = fetch(&app, demo.auth(), body(500, "")).await;
    assert_eq!(whole.status, 200, "{}", whole.text);
    let whole = whole.body["tableData"]["rows"].as_array().unwrap().clone();
    assert!(whole.len() >= 5);
    let (mut paged, mut token, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        let reply = fetch(&app, demo.auth(), body(2, &token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let rows = reply.body["tableData"]["rows"].as_array().unwrap();
        assert!(rows.len() <= 2);
        assert_eq!(reply.body["tableData"]["fields"][0]["key"], "date");
        paged.extend(rows.iter().cloned());
        pages += 1;
        token = text(&reply.body["nextPageToken"]);
        if token.is_empty() {
            break;
        }
        assert_eq!(token, (pages + 1).to_string());
    }
    assert_eq!(paged, whole);
    assert_eq!(pages, whole.len().div_ceil(2));
}

#[tokio::test]
async fn list_reports_answers_every_definition() {
    let app = common::spawn().await;
    let demo = Demo::seed(&app).await;
    let body = json!({"companyId": demo.company.company_id});
    let reply = app
        .moego_post(demo.auth(), "/v1/reports:list", body.clone())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_moego(REPORT, "v1ListReportsResponse", &reply.body);
    let reports = reply.body["reports"].as_array().unwrap();
    let ids: Vec<&str> = reports.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "rpt_sales_by_day",
            "rpt_appointments_by_status",
            "rpt_revenue_by_service",
            "rpt_revenue_by_staff",
            "rpt_new_customers",
            "rpt_package_membership_sales",
        ]
    );
    for report in reports {
        let fields = report["fields"].as_array().unwrap();
        assert_eq!(
            fields[0],
            json!({"label": "Date", "type": "DATE", "key": "date", "groupByEnable": true})
        );
        assert!(
            fields.iter().any(|f| f.get("groupByEnable").is_none()),
            "{report}"
        );
        assert!(!text(&report["name"]).is_empty() && !text(&report["description"]).is_empty());
    }

    let missing = app
        .moego_post(demo.auth(), "/v1/reports:list", json!({}))
        .await;
    assert_eq!(missing.status, 400, "{}", missing.text);
    assert!(missing.text.contains("companyId"));
    let unscoped = app
        .issue_moego_key(MoegoKeyRequest {
            company: demo.company.company_id.clone(),
            scopes: vec!["orders:read".into()],
            ..Default::default()
        })
        .await;
    for path in ["/v1/reports:list", "/v1/reports/data:fetch"] {
        let refused = app
            .moego_post(&unscoped.authorization, path, body.clone())
            .await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.text);
    }
    let reader = app
        .issue_moego_key(MoegoKeyRequest {
            company: demo.company.company_id.clone(),
            scopes: vec!["reports:read".into()],
            ..Default::default()
        })
        .await;
    let read = app
        .moego_post(&reader.authorization, "/v1/reports:list", body)
        .await;
    assert_eq!(read.status, 200, "{}", read.text);
}

#[tokio::test]
async fn bad_requests_are_refused_naming_the_field() {
    let app = common::spawn().await;
    let demo = Demo::seed(&app).await;
    let company = demo.company.company_id.clone();
    let good = || sales_body(&company, "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z");
    let with = |pointer: &str, value: Value| {
        let mut body = good();
        *body.pointer_mut(pointer).unwrap() = value;
        body
    };
    let mut no_pagination = good();
    no_pagination.as_object_mut().unwrap().remove("pagination");
    let mut no_condition = good();
    no_condition.as_object_mut().unwrap().remove("condition");
    for (body, status, named) in [
        (
            with("/condition/id", json!("rpt_unknown")),
            404,
            "condition.id",
        ),
        (with("/condition/id", json!("")), 400, "condition.id"),
        (
            with("/condition/queryPeriod", Value::Null),
            400,
            "condition.queryPeriod",
        ),
        (
            with("/condition/queryPeriod/endTime", Value::Null),
            400,
            "condition.queryPeriod.endTime",
        ),
        (
            with("/condition/queryPeriod/startTime", json!("2025-13-01")),
            400,
            "condition.queryPeriod.startTime",
        ),
        (
            with(
                "/condition/queryPeriod/endTime",
                json!("2026-01-03T00:00:00Z"),
            ),
            400,
            "366 days",
        ),
        (
            with(
                "/condition/queryPeriod/endTime",
                json!("2024-01-01T00:00:00Z"),
            ),
            400,
            "startTime must not be after endTime",
        ),
        (
            with("/condition/groupByFieldKeys", json!(["date", "region"])),
            400,
            "condition.groupByFieldKeys",
        ),
        (
            with("/condition/groupByFieldKeys", json!(["orders"])),
            400,
            "cannot be grouped by",
        ),
        (
            with("/pagination/pageSize", json!(501)),
            400,
            "pagination.pageSize",
        ),
        (no_pagination, 400, "pagination"),
        (no_condition, 400, "condition"),
        (with("/companyId", json!("")), 400, "companyId"),
    ] {
        let reply = fetch(&app, demo.auth(), body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
        assert!(reply.text.contains(named), "{named}: {}", reply.text);
        assert_moego(REPORT, "googlerpcStatus", &reply.body);
    }
    // An empty period is a valid one with no rows.
    let empty = fetch(
        &app,
        demo.auth(),
        with(
            "/condition/queryPeriod/endTime",
            json!("2025-01-01T00:00:00Z"),
        ),
    )
    .await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body["tableData"]["rows"], json!([]));
}

//! `moapi bench-commerce`: bulk-loads a company of customers with its commerce (discount
//! codes, memberships and subscriptions, the package catalog and customers' packages, retail
//! products), starts the server on loopback and measures each commerce list at one page size
//! against `customers:list` at the same size, in alternation, twice: the ratio of the two in
//! the same run is the figure (docs/performance.md).

use std::time::Duration;

use moapi_core::time::now_micros;
use moapi_core::{AppState, Config, IdKind};
use moapi_moego::discount::store::{self as discount_store, CodeValue, CodeValues};
use moapi_moego::discount::wire::DiscountStatus;
use moapi_moego::money::Amount;
use serde_json::{json, Value};

use super::moego::{create_tenant, progress, seed_customers, Tenant};
use super::{
    bench_database, drive, print_results, remove_scratch_database, settle, start_server, Load,
    ScenarioResult,
};

pub struct CommerceBenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    pub customers: usize,
    pub connections: usize,
    pub duration: Duration,
    pub page_size: usize,
}

/// Discount codes of the company.
const CODES: usize = 2_000;

/// Inserts the company's discount codes, a third of them amounts, the rest percentages.
async fn seed_codes(state: &AppState, company_id: i64, now: i64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut db = state.db.conn();
    let mut tx = db.begin().await?;
    let usd = moapi_moego::money::Currency::parse("USD").expect("USD is a currency");
    for n in 0..CODES {
        let value = match n % 3 {
            0 => CodeValue::Amount(Amount {
                currency: usd,
                value: rust_decimal::Decimal::from(5 + n % 20),
            }),
            _ => CodeValue::Percentage(5 + (n % 30) as i64),
        };
        let values = CodeValues {
            code: format!("BENCH{n:05}"),
            description: format!("Bench promotion {n}"),
            value,
            valid_from: None,
            valid_until: None,
            expires_at: (n % 4 == 0).then_some(now + 30 * super::moego::DAY),
            max_redeem_times: (n % 5) as i64 * 100,
            business_ids: Vec::new(),
            customer_ids: Vec::new(),
            redeem_once_per_customer: n % 2 == 0,
            auto_apply: false,
            allow_online_booking: n % 3 == 1,
            status: DiscountStatus::Active,
        };
        discount_store::insert(&mut tx, company_id, &values, now)
            .await
            .map_err(|status| anyhow::anyhow!("{}", status.message()))?;
        if (n + 1) % 500 == 0 {
            progress("discount codes", n + 1, CODES, started);
        }
    }
    tx.commit().await?;
    eprintln!();
    Ok(())
}

/// Memberships of the company; every customer subscribes to one of them.
const MEMBERSHIPS: i64 = 20;

/// Inserts the company's memberships, then one subscription per customer (begun over the
/// last 300 days, a third of them cancelled at period end), in two statements. Their bills
/// are not seeded and none is due (`next_bill_at` NULL), so the renewal sweep has no work
/// during the run: the lists are what is measured.
async fn seed_subscriptions(
    state: &AppState,
    company_id: i64,
    business_id: i64,
    now: i64,
) -> anyhow::Result<()> {
    let mut db = state.db.conn();
    let mut tx = db.begin().await?;
    let mut first_membership = None;
    for n in 0..MEMBERSHIPS {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_memberships (company_id, name, description, status, \
             currency_code, price, tax_rate, period_unit, period_value, created_at, updated_at) \
             VALUES ($1, $2, 'Bench membership', 'ACTIVE', 'USD', $3, '8.625', $4, 1, $5, $5) \
             RETURNING id",
        )
        .bind(company_id)
        .bind(format!("Bench Club {n:02}"))
        .bind(format!("{}.99", 19 + n))
        .bind(if n % 4 == 0 { "YEAR" } else { "MONTH" })
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        first_membership.get_or_insert(id);
    }
    let first_membership = first_membership.unwrap_or_default();
    sqlx::query(
        "INSERT INTO moego_subscriptions (company_id, business_id, customer_id, membership_id, \
         currency_code, price, start_at, cancel_at_period_end, created_at, updated_at) \
         SELECT company_id, $2, id, $3 + id % $4, 'USD', '29.99', $5 - (id % 300) * $6, \
         CASE WHEN id % 3 = 0 THEN 1 ELSE 0 END, $5, $5 \
         FROM moego_customers WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .bind(business_id)
    .bind(first_membership)
    .bind(MEMBERSHIPS)
    .bind(now)
    .bind(super::moego::DAY)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Catalog packages and products of the business.
const CATALOG_PACKAGES: i64 = 500;
const PRODUCTS: i64 = 2_000;

/// What the package and retail lists name: the first customer and the first packages bought.
struct RetailScene {
    customer: String,
    customer_packages: Vec<String>,
}

/// Inserts the business's package catalog and products (with one supplier), and one package
/// bought by each customer with two services, in a few statements. The bought packages share
/// one bench order: the lists read packages, not their orders.
async fn seed_retail(
    state: &AppState,
    company_id: i64,
    business_id: i64,
    now: i64,
) -> anyhow::Result<RetailScene> {
    let mut db = state.db.conn();
    let mut tx = db.begin().await?;
    let (first_customer,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM moego_customers WHERE company_id = $1")
            .bind(company_id)
            .fetch_one(&mut *tx)
            .await?;
    let (order_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_orders (company_id, business_id, customer_id, status, title, \
         currency_code, created_at, updated_at) \
         VALUES ($1, $2, $3, 'COMPLETED', 'Bench packages', 'USD', $4, $4) RETURNING id",
    )
    .bind(company_id)
    .bind(business_id)
    .bind(first_customer)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let (line_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_order_line_items (order_id, company_id, object_type, name, \
         unit_price, created_at, updated_at) \
         VALUES ($1, $2, 'PACKAGE', 'Bench package', '199', $3, $3) RETURNING id",
    )
    .bind(order_id)
    .bind(company_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let services = r#"[{"serviceId":1,"name":"Bath & Brush","unitPrice":"45.5"},{"serviceId":2,"name":"Full Groom","unitPrice":"85"}]"#;
    let items = format!(
        r#"[{{"quantity":5,"services":{services}}},{{"quantity":2,"services":[{{"serviceId":3,"name":"Nail Trim","unitPrice":"15"}}]}}]"#
    );
    let mut first_package = None;
    for n in 0..CATALOG_PACKAGES {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_retail_packages (company_id, business_id, name, description, \
             currency_code, price, tax_rate, items, expiration_days, sold_quantity, created_at, \
             updated_at) VALUES ($1, $2, $3, 'Bench package', 'USD', '199', '0.08625', $4, \
             365, $5, $6, $6) RETURNING id",
        )
        .bind(company_id)
        .bind(business_id)
        .bind(format!("Bench Bundle {n:03}"))
        .bind(&items)
        .bind(n * 7)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        first_package.get_or_insert(id);
    }
    let (supplier_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_suppliers (company_id, name, first_name, email, created_at) \
         VALUES ($1, 'Bench Supply', 'Dana', 'orders@supply.example', $2) RETURNING id",
    )
    .bind(company_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for n in 0..PRODUCTS {
        sqlx::query(
            "INSERT INTO moego_products (company_id, business_id, supplier_id, name, sku, \
             barcode, category_name, currency_code, supply_price, retail_price, tax_rate, stock, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'Shampoo', 'USD', '3.2', \
             '9.99', '0.08625', $7, $8, $8)",
        )
        .bind(company_id)
        .bind(business_id)
        .bind(supplier_id)
        .bind(format!("Bench Product {n:04}"))
        .bind(format!("BP-{n:05}"))
        .bind(format!("00{n:011}"))
        .bind(n % 50)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO moego_customer_packages (company_id, business_id, customer_id, \
         retail_package_id, order_id, order_line_item_id, name, currency_code, price, \
         purchased_at, expires_at, expiration_date, created_at, updated_at) \
         SELECT company_id, $2, id, $3, $4, $5, 'Bench Bundle', 'USD', '199', $6, $7, \
         '2027-12-31', $6, $6 FROM moego_customers WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .bind(business_id)
    .bind(first_package.unwrap_or_default())
    .bind(order_id)
    .bind(line_id)
    .bind(now)
    .bind(now + 365 * super::moego::DAY)
    .execute(&mut *tx)
    .await?;
    for (quantity, services) in [
        (5, services.to_string()),
        (
            2,
            r#"[{"serviceId":3,"name":"Nail Trim","unitPrice":"15"}]"#.to_string(),
        ),
    ] {
        sqlx::query(
            "INSERT INTO moego_customer_package_services (customer_package_id, services, \
             total_quantity, remaining_quantity, updated_at) \
             SELECT id, $2, $3, $3 - id % 3, $4 FROM moego_customer_packages \
             WHERE company_id = $1 ORDER BY id",
        )
        .bind(company_id)
        .bind(&services)
        .bind(quantity)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let bought: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM moego_customer_packages WHERE company_id = $1 ORDER BY id LIMIT 100",
    )
    .bind(company_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(RetailScene {
        customer: state.ids.encode(IdKind::Customer, first_customer),
        customer_packages: bought
            .into_iter()
            .map(|(id,)| state.ids.encode(IdKind::CustomerPackage, id))
            .collect(),
    })
}

/// A list of the comparison: its name, path and request body (pagination added).
struct ListScenario {
    name: &'static str,
    path: &'static str,
    body: Value,
}

/// Drives `customers:list` and `other` in turn, twice each, at `page_size`.
async fn alternate(
    base: &str,
    tenant: &Tenant,
    load: Load,
    page_size: usize,
    other: &ListScenario,
) -> Vec<ScenarioResult> {
    let customers = ListScenario {
        name: "customers:list",
        path: "/v1/customers:list",
        body: json!({}),
    };
    let mut results = Vec::new();
    for _ in 0..2 {
        for scenario in [&customers, other] {
            let (url, tenant) = (format!("{base}{}", scenario.path), tenant.clone());
            let mut body = scenario.body.clone();
            body["pagination"] = json!({"pageSize": page_size});
            results.push(
                drive(scenario.name, load, move |client, _| {
                    tenant.post(client, &url, body.clone())
                })
                .await,
            );
        }
    }
    results
}

pub async fn run(options: CommerceBenchOptions) -> anyhow::Result<()> {
    let (url, scratch) = bench_database(&options.database_url, "commerce");
    let state = AppState::open(Config::new(&url)).await?;
    let (company_id, business_id, tenant) = create_tenant(&state).await?;
    let now = now_micros();
    eprintln!("seeding {} customers into {url} ...", options.customers);
    seed_customers(&state, company_id, business_id, options.customers, now).await?;
    eprintln!();
    seed_codes(&state, company_id, now).await?;
    eprintln!("seeding memberships and a subscription per customer ...");
    seed_subscriptions(&state, company_id, business_id, now).await?;
    eprintln!("seeding the package catalog, products and a package per customer ...");
    let retail = seed_retail(&state, company_id, business_id, now).await?;
    settle(&state).await?;
    let (base, server) = start_server(state.clone()).await?;
    let load = Load {
        connections: options.connections,
        duration: options.duration,
    };
    let lists = [
        ListScenario {
            name: "discounts:list",
            path: "/v1/discounts:list",
            body: json!({}),
        },
        ListScenario {
            name: "memberships:list",
            path: "/v1/memberships:list",
            body: json!({}),
        },
        ListScenario {
            name: "memberships/subscriptions:list",
            path: "/v1/memberships/subscriptions:list",
            body: json!({}),
        },
        ListScenario {
            name: "memberships/subscriptions:list statusIn ACTIVE",
            path: "/v1/memberships/subscriptions:list",
            body: json!({"filter": {"statusIn": ["ACTIVE"]}}),
        },
        ListScenario {
            name: "retail/packages:list",
            path: "/v1/retail/packages:list",
            body: json!({"businessIds": [tenant.business_id]}),
        },
        ListScenario {
            name: "retail/products:list",
            path: "/v1/retail/products:list",
            body: json!({"businessIds": [tenant.business_id]}),
        },
        ListScenario {
            name: "packages:list (one customer)",
            path: "/v1/packages:list",
            body: json!({"businessId": tenant.business_id, "customerId": retail.customer}),
        },
        ListScenario {
            name: "packages/details:list (100 packages)",
            path: "/v1/packages/details:list",
            body: json!({"businessId": tenant.business_id, "packageIds": retail.customer_packages}),
        },
    ];
    let mut results = Vec::new();
    for list in &lists {
        results.extend(alternate(&base, &tenant, load, options.page_size, list).await);
    }
    server.abort();
    remove_scratch_database(scratch);
    print_results(&results);
    print_ratios(&results);
    Ok(())
}

/// Each list's requests/s over those of the `customers:list` run just before it.
fn print_ratios(results: &[ScenarioResult]) {
    println!("\n| list | requests/s | customers:list requests/s (run before) | ratio |");
    println!("|---|---:|---:|---:|");
    for pair in results.chunks(2) {
        if let [customers, list] = pair {
            println!(
                "| {} | {:.0} | {:.0} | {:.2} |",
                list.name,
                list.per_second,
                customers.per_second,
                list.per_second / customers.per_second.max(1.0)
            );
        }
    }
}

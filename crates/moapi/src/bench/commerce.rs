//! `moapi bench-commerce`: bulk-loads a company of customers with its commerce (discount
//! codes, memberships and subscriptions, the package catalog and customers' packages, retail
//! products), starts the server on loopback and measures each commerce list at one page size
//! against `customers:list` at the same size, in alternation, twice: the ratio of the two in
//! the same run is the figure (docs/performance.md).

use std::time::Duration;

use moapi_core::time::now_micros;
use moapi_core::{AppState, Config};
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

//! `moapi bench-orders`: bulk-loads orders over a year in 100 businesses of one company (one
//! business holding a tenth of them), starts the server on loopback and measures the vendor's
//! export query, `orders:list` for one business and a seven-day `lastUpdatedTime` window. A
//! measurement, not a test: figures go to docs/performance.md.

use std::time::{Duration, Instant};

use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{AppState, Config, IdKind};
use moapi_moego::business::store::{self as business_store, NewBusiness};
use moapi_moego::customer::store::{self as customer_store, NewCustomer};
use rand::Rng;
use serde_json::json;

use super::moego::{create_tenant, progress, Tenant, DAY};
use super::{
    bench_database, drive, remove_scratch_database, settle, start_server, Load, ScenarioResult,
};

pub struct OrdersBenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    pub orders: usize,
    pub connections: usize,
    pub duration: Duration,
}

const BUSINESSES: usize = 100;
/// Orders were last updated over this many days before the run.
const HISTORY_DAYS: i64 = 365;

/// Inserts `count` orders of one business in one statement, last updated at pseudo-random
/// instants of the year before `now` (a multiplicative scatter of the row number). The
/// recursive CTE is the one row generator both databases share.
async fn seed_business_orders(
    state: &AppState,
    ids: (i64, i64, i64),
    count: usize,
    now: i64,
) -> anyhow::Result<()> {
    let (company_id, business_id, customer_id) = ids;
    sqlx::query(
        "INSERT INTO moego_orders (company_id, business_id, customer_id, status, title, \
         currency_code, sub_total, tax_amount, tips_based_amount, total_amount, paid_amount, \
         created_at, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $4) \
         SELECT $1, $2, $3, 'COMPLETED', 'Full grooming', 'USD', '45', '3.71', '45', '48.71', \
         '48.71', $5 - ((CAST(i AS BIGINT) * 7919 + $2 * 104729) % $6) * 1000000, \
         $5 - ((CAST(i AS BIGINT) * 7919 + $2 * 104729) % $6) * 1000000 FROM n",
    )
    .bind(company_id)
    .bind(business_id)
    .bind(customer_id)
    .bind(count as i64)
    .bind(now)
    .bind(HISTORY_DAYS * 86_400)
    .execute(state.db.conn().get().await?)
    .await?;
    Ok(())
}

pub async fn run(options: OrdersBenchOptions) -> anyhow::Result<Vec<ScenarioResult>> {
    let (url, scratch) = bench_database(&options.database_url, "orders");
    let state = AppState::open(Config::new(&url)).await?;
    let (company_id, big_business, tenant) = create_tenant(&state).await?;
    let customer = customer_store::insert(
        state.db.conn().get().await?,
        &NewCustomer {
            first_name: "Bench".into(),
            ..NewCustomer::new(company_id)
        },
    )
    .await?;
    let mut businesses = vec![big_business];
    for n in 1..BUSINESSES {
        let name = format!("Bench Grooming {n}");
        businesses.push(
            business_store::insert(
                state.db.conn().get().await?,
                company_id,
                &NewBusiness {
                    name,
                    ..NewBusiness::default()
                },
            )
            .await?,
        );
    }
    let now = now_micros();
    let big_share = options.orders / 10;
    let small_share = (options.orders - big_share) / (BUSINESSES - 1);
    let started = Instant::now();
    for (index, business_id) in businesses.iter().enumerate() {
        let count = if index == 0 { big_share } else { small_share };
        seed_business_orders(&state, (company_id, *business_id, customer.id), count, now).await?;
        progress("orders (by business)", index + 1, BUSINESSES, started);
    }
    eprintln!();
    settle(&state).await?;
    let small_business = state.ids.encode(IdKind::Business, businesses[1]);
    let (base, server) = start_server(state).await?;
    let load = Load {
        connections: options.connections,
        duration: options.duration,
    };
    let list_url = format!("{base}/v1/orders:list");
    let mut results = Vec::new();
    for (name, business) in [
        (
            "orders:list 7-day lastUpdatedTime window, business with 10 % of orders",
            tenant.business_id.clone(),
        ),
        (
            "orders:list 7-day lastUpdatedTime window, another business",
            small_business,
        ),
    ] {
        let (url, tenant): (String, Tenant) = (list_url.clone(), tenant.clone());
        results.push(
            drive(name, load, move |client, rng| {
                let start = now - rng.gen_range(7..HISTORY_DAYS) * DAY;
                tenant.post(
                    client,
                    &url,
                    json!({
                        "businessIds": [business],
                        "pagination": {"pageSize": 100, "pageToken": "1"},
                        "filter": {"lastUpdatedTime": {
                            "startTime": protojson_timestamp(start),
                            "endTime": protojson_timestamp(start + 7 * DAY),
                        }},
                    }),
                )
            })
            .await,
        );
    }
    server.abort();
    remove_scratch_database(scratch);
    Ok(results)
}

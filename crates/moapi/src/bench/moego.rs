//! `moapi bench-moego`: bulk-loads MoeGo customers (and pets, once their table exists) through
//! the store, starts the server on loopback and measures `customers:list` with a
//! `lastUpdatedTime` window and with `mainPhoneNumber`, customer creation, and paging through
//! every customer by page token. A measurement, not a test: figures go to docs/performance.md.

use std::io::Write;
use std::time::{Duration, Instant};

use moapi_core::auth::{self, MoegoRestriction, NewMoegoKey};
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{AppState, Config, IdKind};
use moapi_moego::business::store::{self as business_store, NewBusiness};
use moapi_moego::company::store::{self as company_store, NewCompany};
use moapi_moego::customer::store::{self as customer_store, NewCustomer, INSERT_MANY_ROWS};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::{
    bench_database, drive, remove_scratch_database, settle, start_server, Load, ScenarioResult,
};

pub struct MoegoBenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    pub customers: usize,
    pub connections: usize,
    pub duration: Duration,
    /// Page size of the paging walk.
    pub page_size: usize,
}

pub(super) const DAY: i64 = 86_400_000_000;
/// Seeded customers were last updated uniformly over this many days before the run.
const HISTORY_DAYS: i64 = 365;
const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloe", "Diego", "Emma", "Farah", "Gus", "Hana", "Ivan", "Jade", "Kofi", "Lena",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Garcia", "Chen", "Okafor", "Novak", "Silva", "Kim", "Dubois", "Rossi", "Haddad",
];
/// Customers per transaction while seeding: few commits, bounded memory.
const SEED_TRANSACTION_ROWS: usize = 500 * INSERT_MANY_ROWS;

/// The seeded customer `n`'s phone, unique per customer (up to 8,000,000) so a phone lookup
/// finds one, and valid in the North American plan (exchanges start at 2).
pub(super) fn seeded_phone(n: usize) -> String {
    format!("+1415{}{:04}", 200 + n / 10_000, n % 10_000)
}

#[derive(Clone)]
pub(super) struct Tenant {
    pub(super) company_id: String,
    pub(super) business_id: String,
    pub(super) authorization: String,
}

impl Tenant {
    /// A MoeGo POST as this tenant: its key, and `companyId` added to `body`.
    pub(super) fn post(
        &self,
        client: &reqwest::Client,
        url: &str,
        mut body: Value,
    ) -> reqwest::RequestBuilder {
        body["companyId"] = json!(self.company_id);
        self.send(client, reqwest::Method::POST, url, Some(body))
    }

    /// A MoeGo request as this tenant: its key, and `body` as JSON when there is one.
    pub(super) fn send(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        url: &str,
        body: Option<Value>,
    ) -> reqwest::RequestBuilder {
        let request = client
            .request(method, url)
            .header("authorization", &self.authorization);
        match body {
            Some(body) => request.json(&body),
            None => request,
        }
    }
}

/// Creates the client, company, business and key the load runs under.
pub(super) async fn create_tenant(state: &AppState) -> anyhow::Result<(i64, i64, Tenant)> {
    let (client_id, _) =
        company_store::insert_client(state.db.conn().get().await?, "Bench Pets").await?;
    let (company_id, business_id) = insert_company(
        state,
        client_id,
        "Bench Grooming",
        "Bench Grooming Downtown",
    )
    .await?;
    let key = auth::create_moego_key(
        state.db.conn().get().await?,
        &NewMoegoKey {
            name: "bench".into(),
            client_id,
            restriction: MoegoRestriction::Company(company_id),
            scopes: Vec::new(),
        },
    )
    .await?;
    let tenant = Tenant {
        company_id: state.ids.encode(IdKind::Company, company_id),
        business_id: state.ids.encode(IdKind::Business, business_id),
        authorization: auth::moego_authorization(&key.secret),
    };
    Ok((company_id, business_id, tenant))
}

/// A company of the client in Los Angeles with one business; returns their IDs.
pub(super) async fn insert_company(
    state: &AppState,
    client_id: i64,
    name: &str,
    business_name: &str,
) -> anyhow::Result<(i64, i64)> {
    let company_id = company_store::insert(
        state.db.conn().get().await?,
        &NewCompany {
            client_id,
            name,
            country: "US",
            timezone_id: "America/Los_Angeles",
        },
    )
    .await?;
    let business_id = business_store::insert(
        state.db.conn().get().await?,
        company_id,
        &NewBusiness {
            name: business_name.into(),
            ..NewBusiness::default()
        },
    )
    .await?;
    Ok((company_id, business_id))
}

pub(super) fn progress(what: &str, done: usize, total: usize, started: Instant) {
    let filled = done * 30 / total.max(1);
    eprint!(
        "\r{what} [{}{}] {done}/{total} {:.0} s ",
        "#".repeat(filled),
        " ".repeat(30 - filled),
        started.elapsed().as_secs_f64()
    );
    let _ = std::io::stderr().flush();
}

/// Bulk-loads `count` customers in big transactions of multi-row inserts, showing progress on
/// one line (which the caller ends).
pub(super) async fn seed_customers(
    state: &AppState,
    company_id: i64,
    business_id: i64,
    count: usize,
    now: i64,
) -> anyhow::Result<()> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let started = Instant::now();
    for transaction_start in (0..count).step_by(SEED_TRANSACTION_ROWS) {
        let mut db = state.db.conn();
        let mut tx = db.begin().await?;
        let transaction_end = (transaction_start + SEED_TRANSACTION_ROWS).min(count);
        for batch_start in (transaction_start..transaction_end).step_by(INSERT_MANY_ROWS) {
            let batch: Vec<(NewCustomer, i64)> = (batch_start
                ..(batch_start + INSERT_MANY_ROWS).min(transaction_end))
                .map(|n| {
                    let mut customer = NewCustomer::new(company_id);
                    customer.preferred_business_id = Some(business_id);
                    customer.first_name = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())].into();
                    customer.last_name = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())].into();
                    customer.phone = seeded_phone(n);
                    customer.email = format!("client{n}@bench.example");
                    (customer, now - rng.gen_range(1..HISTORY_DAYS * DAY))
                })
                .collect();
            customer_store::insert_many(&mut tx, &batch).await?;
        }
        tx.commit().await?;
        progress("customers", transaction_end, count, started);
    }
    Ok(())
}

/// Pets are seeded once PetService's table exists on this branch; until then, say so.
async fn pets_table_exists(state: &AppState) -> bool {
    let mut db = state.db.conn();
    let Ok(conn) = db.get().await else {
        return false;
    };
    sqlx::query("SELECT 1 FROM moego_pets LIMIT 1")
        .fetch_optional(conn)
        .await
        .is_ok()
}

/// One request's latency in milliseconds, taken `repeat` times; the median.
async fn single_latency(
    client: &reqwest::Client,
    url: &str,
    authorization: &str,
    body: &Value,
    repeat: usize,
) -> anyhow::Result<f64> {
    let mut latencies = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let sent = Instant::now();
        let response = client
            .post(url)
            .header("authorization", authorization)
            .json(body)
            .send()
            .await?
            .error_for_status()?;
        response.bytes().await?;
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    Ok(latencies[latencies.len() / 2])
}

/// What paging through every customer by echoed `nextPageToken` cost.
pub struct WalkResult {
    pub pages: usize,
    pub customers: usize,
    pub seconds: f64,
    /// Median latency of the first and of the last 100 pages, ms.
    pub first_pages_p50_ms: f64,
    pub last_pages_p50_ms: f64,
    /// Median of repeated requests for page 1, the last page (cursor remembered) and the last
    /// page of a query nobody paged (no cursor: OFFSET), ms.
    pub page_one_ms: f64,
    pub last_page_cursor_ms: f64,
    pub last_page_offset_ms: f64,
}

async fn walk_pages(base: &str, tenant: &Tenant, page_size: usize) -> anyhow::Result<WalkResult> {
    let client = reqwest::Client::new();
    let url = format!("{base}/v1/customers:list");
    let body = |token: &str, filter: Value| {
        json!({
            "companyId": tenant.company_id,
            "pagination": {"pageSize": page_size, "pageToken": token},
            "filter": filter,
        })
    };
    let started = Instant::now();
    let (mut latencies, mut customers, mut token) = (Vec::new(), 0usize, "1".to_string());
    let walk_started = Instant::now();
    loop {
        let sent = Instant::now();
        let page: Value = client
            .post(&url)
            .header("authorization", &tenant.authorization)
            .json(&body(&token, json!({})))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
        customers += page["customers"].as_array().map_or(0, Vec::len);
        if latencies.len() % 500 == 0 {
            eprint!(
                "\rpaging: page {} ({customers} customers) {:.0} s ",
                latencies.len(),
                walk_started.elapsed().as_secs_f64()
            );
        }
        match page["nextPageToken"].as_str() {
            Some(next) if !next.is_empty() => token = next.to_string(),
            _ => break,
        }
    }
    eprintln!();
    let seconds = started.elapsed().as_secs_f64();
    let median = |pages: &[f64]| {
        let mut sorted = pages.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
    };
    let pages = latencies.len();
    let edge = pages.min(100);
    let last = pages.to_string();
    // includeDeleted: true changes the query, so no cursor was remembered for it.
    let probes = [
        ("1", json!({}), 9),
        (last.as_str(), json!({}), 9),
        (last.as_str(), json!({"includeDeleted": true}), 3),
    ];
    let mut probed = Vec::with_capacity(probes.len());
    for (token, filter, repeat) in probes {
        probed.push(
            single_latency(
                &client,
                &url,
                &tenant.authorization,
                &body(token, filter),
                repeat,
            )
            .await?,
        );
    }
    Ok(WalkResult {
        pages,
        customers,
        seconds,
        first_pages_p50_ms: median(&latencies[..edge]),
        last_pages_p50_ms: median(&latencies[pages - edge..]),
        page_one_ms: probed[0],
        last_page_cursor_ms: probed[1],
        last_page_offset_ms: probed[2],
    })
}

pub async fn run(options: MoegoBenchOptions) -> anyhow::Result<()> {
    let (url, scratch) = bench_database(&options.database_url, "moego");
    let state = AppState::open(Config::new(&url)).await?;
    let (company_id, business_id, tenant) = create_tenant(&state).await?;
    let now = now_micros();
    eprintln!("seeding {} customers into {url} ...", options.customers);
    seed_customers(&state, company_id, business_id, options.customers, now).await?;
    eprintln!();
    if pets_table_exists(&state).await {
        eprintln!("moego_pets exists but this branch has no pet store to seed it through");
    } else {
        eprintln!("no moego_pets table on this branch: pets not seeded");
    }
    settle(&state).await?;
    let (base, server) = start_server(state).await?;
    let load = Load {
        connections: options.connections,
        duration: options.duration,
    };
    let list_url = format!("{base}/v1/customers:list");

    let (window_url, window_tenant) = (list_url.clone(), tenant.clone());
    let window = drive(
        "customers:list lastUpdatedTime 1-day window",
        load,
        move |client, rng| {
            let start = now - rng.gen_range(1..HISTORY_DAYS) * DAY;
            window_tenant.post(
                client,
                &window_url,
                json!({
                    "pagination": {"pageSize": 20},
                    "filter": {"lastUpdatedTime": {
                        "startTime": protojson_timestamp(start),
                        "endTime": protojson_timestamp(start + DAY),
                    }},
                }),
            )
        },
    )
    .await;

    let (phone_url, phone_tenant, customers) =
        (list_url.clone(), tenant.clone(), options.customers);
    let by_phone = drive(
        "customers:list mainPhoneNumber",
        load,
        move |client, rng| {
            phone_tenant.post(
                client,
                &phone_url,
                json!({
                    "pagination": {"pageSize": 20},
                    "filter": {"mainPhoneNumber": seeded_phone(rng.gen_range(0..customers.max(1)))},
                }),
            )
        },
    )
    .await;

    let (create_url, create_tenant) = (format!("{base}/v1/customers"), tenant.clone());
    let creates = drive(
        "POST /v1/customers",
        load,
        move |client, rng| {
            create_tenant.post(
                client,
                &create_url,
                json!({
                    "preferredBusinessId": create_tenant.business_id,
                    "firstName": FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())],
                    "lastName": LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())],
                    "phone": format!("(650) {:03}-{:04}", rng.gen_range(200..1000), rng.gen_range(0..10_000)),
                    "email": format!("new{}@bench.example", rng.gen::<u32>()),
                }),
            )
        },
    )
    .await;

    let walk = walk_pages(&base, &tenant, options.page_size).await?;
    server.abort();
    remove_scratch_database(scratch);
    print_report(&[window, by_phone, creates], &walk, options.page_size);
    Ok(())
}

fn print_report(results: &[ScenarioResult], walk: &WalkResult, page_size: usize) {
    super::print_results(results);
    println!(
        "\npaging by echoed nextPageToken, pageSize {page_size}: {} pages, {} customers in {:.0} s",
        walk.pages, walk.customers, walk.seconds
    );
    println!("| page | latency ms (median) |\n|---|---:|");
    println!(
        "| first 100 pages of the walk | {:.2} |",
        walk.first_pages_p50_ms
    );
    println!(
        "| last 100 pages of the walk | {:.2} |",
        walk.last_pages_p50_ms
    );
    println!("| page 1 | {:.2} |", walk.page_one_ms);
    println!(
        "| page {} (cursor remembered) | {:.2} |",
        walk.pages, walk.last_page_cursor_ms
    );
    println!(
        "| page {} of an unpaged query (OFFSET fallback) | {:.2} |",
        walk.pages, walk.last_page_offset_ms
    );
}

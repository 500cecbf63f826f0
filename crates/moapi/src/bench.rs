//! `moapi bench`: seeds trips, starts the server on loopback and drives it with concurrent
//! keep-alive connections, reporting requests/s and latency percentiles per scenario. It is a
//! measurement, not a test: figures go to docs/performance.md.

use std::time::{Duration, Instant};

use moapi_core::db::Backend;
use moapi_core::time::{iso_millis, now_micros};
use moapi_core::{AppState, Config};
use rand::{Rng, SeedableRng};
use tokio::net::TcpListener;

pub mod moego;

pub struct BenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    pub trips: usize,
    pub connections: usize,
    pub duration: Duration,
}

pub struct ScenarioResult {
    pub name: &'static str,
    pub requests: usize,
    pub errors: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

const CITIES: &[(&str, &str)] = &[
    ("Paris", "FRA"),
    ("Lisbon", "PRT"),
    ("Rome", "ITA"),
    ("Kyoto", "JPN"),
    ("Cusco", "PER"),
    ("Marrakesh", "MAR"),
    ("Reykjavik", "ISL"),
    ("Hanoi", "VNM"),
    ("Cape Town", "ZAF"),
    ("Oaxaca", "MEX"),
    ("Vienna", "AUT"),
    ("Seville", "ESP"),
    ("Istanbul", "TUR"),
    ("Queenstown", "NZL"),
    ("Bergen", "NOR"),
];
const DAY: i64 = 86_400_000_000;
const KINDS: &[&str] = &[
    "Escape",
    "Adventure",
    "Food Tour",
    "Honeymoon",
    "Family Trip",
    "Getaway",
    "Discovery",
];

/// Inserts `count` trips for one account in batches, returning the account's API key.
async fn seed_trips(state: &AppState, count: usize) -> anyhow::Result<String> {
    let account_id = moapi_mogu::account::create_account(&state.db, "Bench Travel").await?;
    let agent_id = moapi_mogu::account::create_agent(
        &state.db,
        account_id,
        "bench@bench.example",
        "Bench Agent",
        None,
    )
    .await?;
    let key = moapi_core::auth::create_mogu_key(&state.db, "bench", agent_id).await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let now = now_micros();
    const BATCH: usize = 500;
    for start in (0..count).step_by(BATCH) {
        let mut tx = state.db.pool().begin().await?;
        for n in start..(start + BATCH).min(count) {
            let (city, country) = CITIES[rng.gen_range(0..CITIES.len())];
            let kind = KINDS[rng.gen_range(0..KINDS.len())];
            let duration: i64 = rng.gen_range(2..22);
            let date_start = now + rng.gen_range(0..730) * DAY;
            sqlx::query(
                "INSERT INTO mogu_trips (account_id, agent_id, title, slug, join_code, code, duration, \
                 date_start, date_finish, countries, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            )
            .bind(account_id)
            .bind(agent_id)
            .bind(format!("{city} {kind}"))
            .bind(format!("bench-{n}"))
            .bind(format!("B{n:07}"))
            .bind(format!("TRIP-{:03}", n + 1))
            .bind(duration)
            .bind(date_start)
            .bind(date_start + duration * DAY)
            .bind(format!("[\"{country}\"]"))
            .bind(now - (count - n) as i64 * 1_000_000)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    // A settled PostgreSQL has what autovacuum gives it: planner statistics and the visibility
    // map index-only scans need. moapi never analyzes SQLite, so neither does the bench.
    if state.db.backend() == Backend::Postgres {
        sqlx::query("VACUUM ANALYZE")
            .execute(state.db.pool())
            .await?;
    }
    Ok(key.secret)
}

pub(crate) async fn drive(
    name: &'static str,
    options: &BenchOptions,
    make_request: impl Fn(&reqwest::Client, &mut rand::rngs::StdRng) -> reqwest::RequestBuilder
        + Send
        + Sync
        + Clone
        + 'static,
) -> ScenarioResult {
    let deadline = Instant::now() + options.duration;
    let started = Instant::now();
    let workers: Vec<_> = (0..options.connections)
        .map(|worker| {
            let make_request = make_request.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .expect("an HTTP client");
                let mut rng = rand::rngs::StdRng::seed_from_u64(worker as u64);
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    match make_request(&client, &mut rng).send().await {
                        Ok(response) if response.status().is_success() => {
                            let _ = response.bytes().await;
                            latencies.push(sent.elapsed().as_micros() as u64);
                        }
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for worker in workers {
        if let Ok((mut l, e)) = worker.await {
            latencies.append(&mut l);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |micros| *micros as f64 / 1000.0)
    };
    ScenarioResult {
        name,
        requests: latencies.len(),
        errors,
        per_second: latencies.len() as f64 / elapsed,
        p50_ms: percentile(0.50),
        p95_ms: percentile(0.95),
        p99_ms: percentile(0.99),
    }
}

pub async fn run(options: BenchOptions) -> anyhow::Result<Vec<ScenarioResult>> {
    let temp_file = std::env::temp_dir().join(format!("moapi-bench-{}.db", uuid_like()));
    let url = options
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", temp_file.display()));
    let state = AppState::open(Config::new(&url)).await?;
    eprintln!("seeding {} trips into {url} ...", options.trips);
    let key = seed_trips(&state, options.trips).await?;
    let (first_id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM mogu_trips")
        .fetch_one(state.db.pool())
        .await?;
    let (base, server) = start_server(state).await?;
    let trips = options.trips as i64;

    let health_url = format!("{base}/healthz");
    let health = drive("GET /healthz", &options, move |client, _| {
        client.get(&health_url)
    })
    .await;

    let (trip_base, trip_key) = (format!("{base}/trips/"), format!("Bearer {key}"));
    let by_id = drive(
        "GET /trips/{id} (authenticated)",
        &options,
        move |client, rng| {
            client
                .get(format!("{trip_base}{}", first_id + rng.gen_range(0..trips)))
                .header("authorization", &trip_key)
        },
    )
    .await;

    let (list_url, list_key) = (format!("{base}/trips"), format!("Bearer {key}"));
    let listed = drive("GET /trips filter+search+orderBy", &options, move |client, rng| {
        // Trips starting within a 30-day window, a month-view query an agency would run.
        let from = now_micros() + rng.gen_range(0..700) * DAY;
        let (from, to) = (iso_millis(from), iso_millis(from + 30 * DAY));
        let filters = format!(
            r#"[{{"field":"dateStart","operator":"gte","value":"{from}"}},{{"field":"dateStart","operator":"lt","value":"{to}"}},{{"field":"duration","operator":"gte","value":5}}]"#
        );
        client.get(&list_url).header("authorization", &list_key).query(&[
            ("filters", filters.as_str()),
            ("search", r#"{"fields":["title"],"term":"paris"}"#),
            ("orderBy", r#"{"field":"dateStart","direction":"asc"}"#),
            ("pageSize", "20"),
        ])
    })
    .await;
    server.abort();
    if options.database_url.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", temp_file.display()));
        }
    }
    Ok(vec![health, by_id, listed])
}

/// Serves `state` on a loopback port until aborted; returns the base URL and the server task.
pub(crate) async fn start_server(
    state: AppState,
) -> anyhow::Result<(String, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(crate::server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    Ok((base, server))
}

fn uuid_like() -> String {
    format!("{:016x}", rand::random::<u64>())
}

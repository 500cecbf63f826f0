//! `moapi bench`: seeds trips, starts the server on loopback and drives it with concurrent
//! keep-alive connections, reporting requests/s and latency percentiles per scenario. It is a
//! measurement, not a test: figures go to docs/performance.md.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use moapi_core::db::Backend;
use moapi_core::time::{iso_millis, now_micros};
use moapi_core::{AppState, Config};
use moapi_mogu::trip::store::{self, NewTrip};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Connection;
use tokio::net::TcpListener;

pub mod appointments;
pub mod commerce;
pub mod mixed;
pub mod moego;
pub mod orders;
pub mod request_path;
pub mod webhooks;

pub struct BenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    /// Trips in all.
    pub trips: usize,
    /// MOGU accounts sharing them.
    pub accounts: usize,
    /// Trips of the first account, which the scenarios query; the others share the rest.
    pub big_account: usize,
    pub connections: usize,
    pub duration: Duration,
}

impl BenchOptions {
    fn load(&self) -> Load {
        Load {
            connections: self.connections,
            duration: self.duration,
        }
    }

    fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(self.accounts >= 1, "--accounts must be at least 1");
        anyhow::ensure!(
            (1..=self.trips).contains(&self.big_account),
            "--big-account must be between 1 and --trips"
        );
        anyhow::ensure!(
            self.accounts > 1 || self.big_account == self.trips,
            "with one account, --big-account must equal --trips"
        );
        Ok(())
    }
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

/// Cities of the titles with their country; Paris is drawn separately (see [`bench_trip`]).
const CITIES: &[(&str, &str)] = &[
    ("Lyon", "FRA"),
    ("Nice", "FRA"),
    ("Lisbon", "PRT"),
    ("Porto", "PRT"),
    ("Rome", "ITA"),
    ("Florence", "ITA"),
    ("Kyoto", "JPN"),
    ("Osaka", "JPN"),
    ("Cusco", "PER"),
    ("Marrakesh", "MAR"),
    ("Reykjavik", "ISL"),
    ("Hanoi", "VNM"),
    ("Cape Town", "ZAF"),
    ("Oaxaca", "MEX"),
    ("Vienna", "AUT"),
    ("Seville", "ESP"),
    ("Barcelona", "ESP"),
    ("Istanbul", "TUR"),
    ("Queenstown", "NZL"),
    ("Bergen", "NOR"),
    ("Prague", "CZE"),
    ("Dubrovnik", "HRV"),
    ("Athens", "GRC"),
    ("Havana", "CUB"),
];
/// The share of titles naming Paris: the common search term of the list scenario.
const PARIS_SHARE: f64 = 0.10;
const DAY: i64 = 86_400_000_000;
const KINDS: &[&str] = &[
    "Escape",
    "Adventure",
    "Food Tour",
    "Honeymoon",
    "Family Trip",
    "Getaway",
    "Discovery",
    "Art Weekend",
    "Wine Route",
    "Grand Tour",
];
/// Trips per transaction while seeding.
const SEED_BATCH: usize = 20_000;

/// The first account's trips, which the scenarios query.
struct BigAccount {
    id: i64,
    key: String,
    first_trip: i64,
    last_trip: i64,
}

/// A trip as an agency would write it: a city and a kind of trip in the title (Paris in one
/// title out of ten), the city's country and sometimes another, two to 21 days within the
/// next two years.
fn bench_trip(rng: &mut StdRng, now: i64) -> NewTrip {
    let (city, country) = if rng.gen_bool(PARIS_SHARE) {
        ("Paris", "FRA")
    } else {
        CITIES[rng.gen_range(0..CITIES.len())]
    };
    let kind = KINDS[rng.gen_range(0..KINDS.len())];
    let mut countries = vec![country.to_string()];
    if rng.gen_bool(0.3) {
        let (_, other) = CITIES[rng.gen_range(0..CITIES.len())];
        if other != country {
            countries.push(other.to_string());
        }
    }
    let duration: i64 = rng.gen_range(2..22);
    let date_start = now + rng.gen_range(0..730) * DAY;
    NewTrip {
        title: format!("{city} {kind}"),
        duration: Some(duration),
        date_start: Some(date_start),
        date_finish: Some(date_start + duration * DAY),
        countries,
        ..NewTrip::default()
    }
}

/// Creates the accounts and their trips through the trip store's bulk insert, with a progress
/// bar; returns the first account, which holds `big_account` trips.
async fn seed(state: &AppState, options: &BenchOptions) -> anyhow::Result<BigAccount> {
    let bar = ProgressBar::new(options.trips as u64).with_style(ProgressStyle::with_template(
        "seeding {wide_bar} {human_pos}/{human_len} trips, {per_sec}, {elapsed} (eta {eta})",
    )?);
    let mut rng = StdRng::seed_from_u64(7);
    let now = now_micros();
    let others = options.accounts - 1;
    let rest = options.trips - options.big_account;
    let mut accounts = Vec::with_capacity(options.accounts);
    for account in 0..options.accounts {
        let count = match account {
            0 => options.big_account,
            n => rest / others + usize::from(n <= rest % others),
        };
        let account_id = moapi_mogu::account::create_account(
            state.db.conn().get().await?,
            &format!("Bench Travel {account}"),
        )
        .await?;
        let agent_id = moapi_mogu::account::create_agent(
            state.db.conn().get().await?,
            account_id,
            &format!("bench{account}@bench.example"),
            "Bench Agent",
            None,
        )
        .await?;
        accounts.push((account_id, agent_id, count));
    }
    let (big_id, big_agent, _) = accounts[0];
    let key =
        moapi_core::auth::create_mogu_key(state.db.conn().get().await?, "bench", big_agent).await?;

    // One connection does the bulk writes, SEED_BATCH trips per transaction whatever their
    // accounts. On SQLite it gets a page cache that holds the indexes being filled, so that a
    // transaction writes each page it touches once; it is closed afterwards rather than
    // returned to the pool with that cache.
    let mut conn = state.db.conn().detach().await?;
    if state.db.backend() == Backend::Sqlite {
        sqlx::query("PRAGMA cache_size = -2097152")
            .execute(&mut conn)
            .await?;
    }
    let mut created = 0usize;
    let mut big_trips = Vec::with_capacity(options.big_account);
    let mut tx = conn.begin().await?;
    let mut in_transaction = 0;
    for (account_id, agent_id, count) in accounts {
        for start in (0..count).step_by(SEED_BATCH) {
            let batch: Vec<(NewTrip, i64)> = (start..(start + SEED_BATCH).min(count))
                .map(|_| {
                    created += 1;
                    // One trip a second, the oldest first, so creation order is a real order.
                    let created_at = now - (options.trips - created) as i64 * 1_000_000;
                    (bench_trip(&mut rng, now), created_at)
                })
                .collect();
            let ids = store::insert_trips(&mut tx, account_id, agent_id, &batch).await?;
            if account_id == big_id {
                big_trips.extend(ids);
            }
            bar.inc(batch.len() as u64);
            in_transaction += batch.len();
            if in_transaction >= SEED_BATCH {
                tx.commit().await?;
                tx = conn.begin().await?;
                in_transaction = 0;
            }
        }
    }
    tx.commit().await?;
    bar.finish();
    conn.close().await?;
    settle(state).await?;
    Ok(BigAccount {
        id: big_id,
        key: key.secret,
        first_trip: big_trips.iter().copied().min().unwrap_or_default(),
        last_trip: big_trips.iter().copied().max().unwrap_or_default(),
    })
}

/// How hard a scenario is driven: concurrent connections, for how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Load {
    pub connections: usize,
    pub duration: Duration,
}

pub(crate) async fn drive(
    name: &'static str,
    load: Load,
    make_request: impl Fn(&reqwest::Client, &mut rand::rngs::StdRng) -> reqwest::RequestBuilder
        + Send
        + Sync
        + Clone
        + 'static,
) -> ScenarioResult {
    let deadline = Instant::now() + load.duration;
    let started = Instant::now();
    let workers: Vec<_> = (0..load.connections)
        .map(|worker| {
            let make_request = make_request.clone();
            tokio::spawn(async move {
                let client = load_client();
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
    summarize(name, latencies, errors, started.elapsed().as_secs_f64())
}

/// One load connection: a client that keeps a single keep-alive connection to the server.
pub(crate) fn load_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("an HTTP client")
}

/// The figures of `latencies` (microseconds, one per answered request) collected over
/// `elapsed` seconds, with `errors` requests that failed.
pub(crate) fn summarize(
    name: &'static str,
    mut latencies: Vec<u64>,
    errors: usize,
    elapsed: f64,
) -> ScenarioResult {
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

/// A settled PostgreSQL has what autovacuum gives it: planner statistics and the visibility
/// map index-only scans need. moapi never analyzes SQLite, so neither do the benches.
pub(crate) async fn settle(state: &AppState) -> anyhow::Result<()> {
    if state.db.backend() == Backend::Postgres {
        sqlx::query("VACUUM ANALYZE")
            .execute(state.db.conn().get().await?)
            .await?;
    }
    Ok(())
}

pub async fn run(options: BenchOptions) -> anyhow::Result<Vec<ScenarioResult>> {
    options.check()?;
    let temp_file = std::env::temp_dir().join(format!("moapi-bench-{}.db", uuid_like()));
    let url = options
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", temp_file.display()));
    let state = AppState::open(Config::new(&url)).await?;
    eprintln!(
        "seeding {} trips in {} accounts ({} in the first) into {url}",
        options.trips, options.accounts, options.big_account
    );
    let seeding = Instant::now();
    let big = seed(&state, &options).await?;
    eprintln!("seeded in {:.1} s", seeding.elapsed().as_secs_f64());
    let expected = count_searched_by_scan(&state, big.id).await?;
    let (base, server) = start_server(state).await?;
    let auth = format!("Bearer {}", big.key);

    // The target scenario's answer must be the exact count a scan gives.
    let searched_url = format!("{base}/trips");
    let probe = searched_list(&reqwest::Client::new(), &searched_url, &auth)
        .send()
        .await?
        .json::<serde_json::Value>()
        .await?;
    anyhow::ensure!(
        probe["totalCount"] == expected,
        "the searched list counts {} trips, a scan counts {expected}",
        probe["totalCount"]
    );
    eprintln!("searched list: totalCount {expected} (equal to a scan's count)");

    let load = options.load();
    let health_url = format!("{base}/healthz");
    let health = drive("GET /healthz", load, move |client, _| {
        client.get(&health_url)
    })
    .await;

    let (trip_base, trip_key) = (format!("{base}/trips/"), auth.clone());
    let (first, last) = (big.first_trip, big.last_trip);
    let by_id = drive(
        "GET /trips/{id} (authenticated)",
        load,
        move |client, rng| {
            client
                .get(format!("{trip_base}{}", rng.gen_range(first..=last)))
                .header("authorization", &trip_key)
        },
    )
    .await;

    let (list_url, list_key) = (format!("{base}/trips"), auth.clone());
    let windowed = drive("GET /trips dateStart window+duration+search, by dateStart", load, move |client, rng| {
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

    let searched = drive(
        "GET /trips duration+countries+search, by createdAt",
        load,
        move |client, _| searched_list(client, &searched_url, &auth),
    )
    .await;
    server.abort();
    if options.database_url.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", temp_file.display()));
        }
    }
    Ok(vec![health, by_id, windowed, searched])
}

/// The target scenario: trips of at least five days that include France, whose title has a
/// word starting with "paris", newest first, with their exact count.
fn searched_list(client: &reqwest::Client, url: &str, auth: &str) -> reqwest::RequestBuilder {
    client.get(url).header("authorization", auth).query(&[
        (
            "filters",
            r#"[{"field":"duration","operator":"gte","value":5},{"field":"countries","operator":"contains","value":"FRA"}]"#,
        ),
        ("search", r#"{"fields":["title"],"term":"paris"}"#),
        ("orderBy", r#"{"field":"createdAt","direction":"desc"}"#),
        ("pageSize", "20"),
    ])
}

/// The target scenario's count by a scan of the account's trips, without the word index
/// (every bench title starts with its city, so "paris" as a substring is "paris" as a word).
async fn count_searched_by_scan(state: &AppState, account_id: i64) -> anyhow::Result<i64> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mogu_trips WHERE account_id = $1 AND duration >= 5 \
         AND countries LIKE '%\"FRA\"%' AND LOWER(title) LIKE '%paris%'",
    )
    .bind(account_id)
    .fetch_one(state.db.conn().get().await?)
    .await?;
    Ok(count)
}

/// The database a MoeGo bench fills: the given URL, else a fresh SQLite file in the temp
/// directory (returned too, for [`remove_scratch_database`]).
pub(crate) fn bench_database(
    given: &Option<String>,
    name: &str,
) -> (String, Option<std::path::PathBuf>) {
    match given {
        Some(url) => (url.clone(), None),
        None => {
            let file = std::env::temp_dir().join(format!(
                "moapi-bench-{name}-{:016x}.db",
                rand::random::<u64>()
            ));
            (format!("sqlite://{}", file.display()), Some(file))
        }
    }
}

/// Deletes the SQLite file [`bench_database`] made, with its WAL files.
pub(crate) fn remove_scratch_database(file: Option<std::path::PathBuf>) {
    if let Some(file) = file {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
}

/// Prints scenario results as the Markdown table docs/performance.md keeps.
pub fn print_results(results: &[ScenarioResult]) {
    println!("| scenario | requests/s | p50 ms | p95 ms | p99 ms | requests | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in results {
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} |",
            r.name, r.per_second, r.p50_ms, r.p95_ms, r.p99_ms, r.requests, r.errors
        );
    }
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

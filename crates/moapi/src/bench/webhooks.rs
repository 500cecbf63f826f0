//! `moapi bench-webhooks`: the MoeGo webhook engine delivering to a receiver on loopback, with
//! one or more nodes (each its own pool and engine, as separate processes would be) on one
//! database. Two scenarios: a backlog of committed events drained as fast as the engine goes
//! (deliveries per second), and events committed at a steady rate while the engine runs (the
//! time from each event's commit to its first delivery attempt reaching the receiver). A
//! measurement, not a test: figures go to docs/performance.md.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use moapi_core::outbox::{self, NewEvent};
use moapi_core::time::now_micros;
use moapi_core::{AppState, Config};
use moapi_moego::company::store::{self as company_store, NewCompany};
use moapi_moego::event::{self, EventType};
use serde_json::json;

pub struct WebhookBenchOptions {
    /// An empty database; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    /// Engines sharing the database.
    pub nodes: usize,
    /// Events of the backlog scenario.
    pub backlog: usize,
    /// Events per second of the steady scenario, and for how long.
    pub rate: usize,
    pub duration: Duration,
}

/// Events committed per transaction of the backlog.
const BACKLOG_TRANSACTION: usize = 500;
/// The steady writer commits once per tick.
const TICK: Duration = Duration::from_millis(10);

/// When each event first reached the receiver, by event ID.
pub(super) type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

async fn receive(State(arrivals): State<Arrivals>, body: Bytes) -> &'static str {
    let id = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|event| event["id"].as_str().map(str::to_string));
    if let Some(id) = id {
        arrivals
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(id)
            .or_insert_with(Instant::now);
    }
    "ok"
}

pub(super) async fn start_receiver(arrivals: Arrivals) -> anyhow::Result<String> {
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(arrivals);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

pub(super) fn node_config(url: &str) -> anyhow::Result<Config> {
    let mut config = Config::new(url);
    config.outbound.allow =
        moapi_core::outbound::parse_allow_list("127.0.0.1/32").map_err(anyhow::Error::msg)?;
    config.webhooks.allow_http = true;
    // The limits would hold a single webhook to 500 a minute: the bench measures the engine.
    config.webhooks.per_minute_limit = i64::MAX / 2;
    config.webhooks.per_day_limit = i64::MAX / 2;
    Ok(config)
}

/// Commits `count` CUSTOMER_CREATED events of `company_id` in one transaction; returns their
/// IDs and the commit instant.
async fn commit(
    state: &AppState,
    company_id: i64,
    first_number: i64,
    count: usize,
) -> anyhow::Result<(Vec<String>, Instant)> {
    let mut db = state.db.conn();
    let mut tx = db.begin().await?;
    let mut ids = Vec::with_capacity(count);
    for offset in 0..count {
        let body = event::envelope(
            &state.ids,
            first_number + offset as i64,
            company_id,
            EventType::CustomerCreated,
            "customer",
            json!({"id": "cus_bench", "firstName": "Bench"}),
        );
        let event = NewEvent {
            product: "moego",
            tenant_id: company_id,
            event_type: EventType::CustomerCreated.name(),
            payload: &body,
        };
        ids.push(outbox::append(&mut tx, event).await?);
    }
    tx.commit().await?;
    Ok((ids, Instant::now()))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn wait_for(arrivals: &Arrivals, count: usize, limit: Duration) -> usize {
    let deadline = Instant::now() + limit;
    loop {
        let arrived = arrivals.lock().map(|seen| seen.len()).unwrap_or(0);
        if arrived >= count || Instant::now() > deadline {
            return arrived;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

pub async fn run(options: WebhookBenchOptions) -> anyhow::Result<()> {
    anyhow::ensure!(options.nodes >= 1, "--nodes must be at least 1");
    let temp_file = std::env::temp_dir().join(format!(
        "moapi-bench-webhooks-{:016x}.db",
        rand::random::<u64>()
    ));
    let url = options
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", temp_file.display()));
    let state = AppState::open(node_config(&url)?).await?;
    let backend = format!("{:?}", state.db.backend());
    let (client_id, _) =
        company_store::insert_client(state.db.conn().get().await?, "Bench Hooks").await?;
    let company_id = company_store::insert(
        state.db.conn().get().await?,
        &NewCompany {
            client_id,
            name: "Bench Hooks",
            country: "US",
            timezone_id: "America/Los_Angeles",
        },
    )
    .await?;
    let arrivals: Arrivals = Arc::default();
    let receiver = start_receiver(arrivals.clone()).await?;
    let now = now_micros();
    sqlx::query(
        "INSERT INTO moego_webhooks (client_id, endpoint_url, event_types, secret_sealed, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(client_id)
    .bind(&receiver)
    .bind(json!([EventType::CustomerCreated.name()]).to_string())
    .bind(state.secrets.seal("bench-secret"))
    .bind(now)
    .execute(state.db.conn().get().await?)
    .await?;

    eprintln!(
        "committing a backlog of {} events into {url} ...",
        options.backlog
    );
    let mut number = 0i64;
    while (number as usize) < options.backlog {
        let count = BACKLOG_TRANSACTION.min(options.backlog - number as usize);
        commit(&state, company_id, number, count).await?;
        number += count as i64;
    }
    let started = Instant::now();
    let mut nodes = Vec::new();
    for _ in 0..options.nodes {
        let node = AppState::open(node_config(&url)?).await?;
        nodes.push(tokio::spawn(moapi_moego::webhook::dispatch::run(node)));
    }
    let drained = wait_for(&arrivals, options.backlog, Duration::from_secs(120)).await;
    let drain_seconds = started.elapsed().as_secs_f64();

    eprintln!(
        "committing {} events/s for {:?} ...",
        options.rate, options.duration
    );
    let per_tick = (options.rate as f64 * TICK.as_secs_f64()).ceil() as usize;
    let mut committed: Vec<(String, Instant)> = Vec::new();
    let steady_start = Instant::now();
    let mut ticks = tokio::time::interval(TICK);
    while steady_start.elapsed() < options.duration {
        ticks.tick().await;
        let (ids, at) = commit(&state, company_id, number, per_tick).await?;
        number += per_tick as i64;
        committed.extend(ids.into_iter().map(|id| (id, at)));
    }
    let expected = options.backlog + committed.len();
    wait_for(&arrivals, expected, Duration::from_secs(30)).await;
    let steady_seconds = steady_start.elapsed().as_secs_f64();
    for node in nodes {
        node.abort();
    }
    let seen = arrivals
        .lock()
        .map_err(|_| anyhow::anyhow!("the receiver panicked"))?
        .clone();
    let mut latencies: Vec<f64> = committed
        .iter()
        .filter_map(|(id, at)| {
            seen.get(id)
                .map(|arrived| (*arrived - *at).as_secs_f64() * 1e3)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let missing = committed.len() - latencies.len();

    println!("| backend | nodes | scenario | deliveries | deliveries/s | p50 ms | p99 ms | max ms | not arrived |");
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {backend} | {} | backlog of {} | {drained} | {:.0} | | | | {} |",
        options.nodes,
        options.backlog,
        drained as f64 / drain_seconds,
        options.backlog - drained
    );
    println!(
        "| {backend} | {} | {}/s for {} s | {} | {:.0} | {:.0} | {:.0} | {:.0} | {missing} |",
        options.nodes,
        options.rate,
        options.duration.as_secs(),
        latencies.len(),
        latencies.len() as f64 / steady_seconds,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
    );
    if options.database_url.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", temp_file.display()));
        }
    }
    Ok(())
}

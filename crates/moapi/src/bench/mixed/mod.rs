//! `moapi bench-mixed`: the demo set seeded many times over (each copy under its own names),
//! with bulk customers, appointments and trips added to every tenant; the server on loopback
//! (with its webhook engine and AI worker); and connections that each send a weighted mix of
//! the reads and writes of every resource of both APIs, with the keys of many tenants. It
//! reports requests/s and latency overall and per operation group, and every answer that was
//! not 2xx: each request is well-formed for the rows it names, so any such answer is a bug. A
//! measurement, not a test: figures go to docs/performance.md.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate, TimeZone, Weekday};
use moapi_core::time::{iso_millis, now_micros, protojson_timestamp};
use moapi_core::{AppState, IdKind};
use moapi_mogu::trip::store as trip_store;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use super::appointments::{random_start, seed_appointments, seed_catalog};
use super::moego::{progress, seed_customers, seeded_phone, Tenant, DAY};
use super::webhooks::{node_config, start_receiver, Arrivals};
use super::{
    bench_database, bench_trip, load_client, print_results, remove_scratch_database, settle,
    start_server, summarize, ScenarioResult, CITIES, KINDS,
};
use crate::fixtures::Fixtures;
use crate::operator;

mod mix;
mod scene;
mod worker;

use mix::*;
use scene::*;
use worker::*;

pub struct MixedBenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    /// Copies of the demo set.
    pub scale: usize,
    pub connections: usize,
    pub duration: Duration,
}

/// Bulk rows added to every company and every account of each copy.
const CUSTOMERS_PER_COMPANY: usize = 1_000;
const APPOINTMENTS_PER_COMPANY: usize = 1_000;
const TRIPS_PER_ACCOUNT: usize = 1_000;
/// A connection remembers at most this many rows of each kind it created.
const OWN_ROWS: usize = 32;
/// Distinct failures (operation and status) printed.
const FAILURES_SHOWN: usize = 8;
const HOUR: i64 = 3_600_000_000;

/// What a setup request answered, or an error naming it.
async fn expect_json(request: reqwest::RequestBuilder, what: &str) -> anyhow::Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body = response.text().await?;
    anyhow::ensure!(status.is_success(), "{what}: {status} {body}");
    Ok(serde_json::from_str(&body)?)
}

/// Per company, a webhook delivering its appointment events and new customers to the
/// receiver; per account, an AI import of a short text.
async fn start_background_work(
    base: &str,
    receiver: &str,
    companies: &mut [Company],
    accounts: &mut [Account],
) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    for (index, company) in companies.iter_mut().enumerate() {
        let answer = expect_json(
            company.send(
                &client,
                Method::POST,
                &format!("{base}/v1/webhooks"),
                Some(json!({"endpointUrl": format!("{receiver}?company={index}"),
                    "eventTypes": ["APPOINTMENT_CREATED", "APPOINTMENT_CANCELED",
                        "APPOINTMENT_FINISHED", "CUSTOMER_CREATED"],
                    "organizations": [{"id": company.tenant.company_id, "type": "COMPANY"}]})),
            ),
            "a webhook",
        )
        .await?;
        company.webhook = answer["id"].as_str().unwrap_or_default().to_string();
    }
    for account in accounts.iter_mut() {
        let answer = expect_json(
            client
                .post(format!("{base}/ai/trips/from-document"))
                .header("authorization", &account.keys[0])
                .json(&json!({"source": {"type": "text",
                    "text": "Day 1: Lisbon, the Alfama. Day 2: Sintra and its palaces."}})),
            "an AI import",
        )
        .await?;
        account.job = answer["jobId"].as_str().unwrap_or_default().to_string();
    }
    Ok(())
}

pub async fn run(options: MixedBenchOptions) -> anyhow::Result<()> {
    anyhow::ensure!(options.scale >= 1, "--scale must be at least 1");
    anyhow::ensure!(options.connections >= 1, "--connections must be at least 1");
    let (url, scratch) = bench_database(&options.database_url, "mixed");
    let state = AppState::open(node_config(&url)?).await?;
    let backend = format!("{:?}", state.db.backend());
    eprintln!(
        "seeding {} copies of the demo set, with {CUSTOMERS_PER_COMPANY} customers and \
         {APPOINTMENTS_PER_COMPANY} appointments per company and {TRIPS_PER_ACCOUNT} trips per \
         account, into {url} ...",
        options.scale
    );
    let seeding = Instant::now();
    let (seeded_companies, seeded_accounts) = seed(&state, options.scale).await?;
    settle(&state).await?;
    let seed_seconds = seeding.elapsed().as_secs_f64();
    eprintln!("seeded in {seed_seconds:.1} s");
    let mut companies = Vec::new();
    for seeded in seeded_companies {
        companies.push(discover_company(&state, seeded).await?);
    }
    let mut accounts = Vec::new();
    for seeded in seeded_accounts {
        accounts.push(discover_account(&state, seeded).await?);
    }
    let arrivals: Arrivals = Arc::default();
    let receiver = start_receiver(arrivals.clone()).await?;
    let (base, server) = start_server(state).await?;
    start_background_work(&base, &receiver, &mut companies, &mut accounts).await?;
    let (company_count, account_count) = (companies.len(), accounts.len());
    let shared = Arc::new(Shared {
        base,
        receiver,
        companies,
        accounts,
        cumulative: MIX
            .iter()
            .scan(0, |sum, spec| {
                *sum += spec.weight;
                Some(*sum)
            })
            .collect(),
    });
    eprintln!(
        "driving {} connections for {:?} over {company_count} companies and {account_count} \
         accounts ...",
        options.connections, options.duration
    );
    let delivered_before = arrivals.lock().map(|seen| seen.len()).unwrap_or(0);
    let started = Instant::now();
    let deadline = started + options.duration;
    let connections: Vec<_> = (0..options.connections)
        .map(|index| {
            let worker = Worker {
                index,
                shared: shared.clone(),
                client: load_client(),
                rng: StdRng::seed_from_u64(1_000 + index as u64),
                own: Own::default(),
                serial: 0,
            };
            tokio::spawn(run_connection(worker, deadline))
        })
        .collect();
    let mut tally = Tally::new();
    for connection in connections {
        tally.merge(connection.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let delivered = arrivals.lock().map(|seen| seen.len()).unwrap_or(0) - delivered_before;
    server.abort();
    remove_scratch_database(scratch);
    report(
        &Summary {
            backend,
            scale: options.scale,
            companies: company_count,
            accounts: account_count,
            connections: options.connections,
            seed_seconds,
            elapsed,
            delivered,
        },
        tally,
    );
    Ok(())
}

struct Summary {
    backend: String,
    scale: usize,
    companies: usize,
    accounts: usize,
    connections: usize,
    seed_seconds: f64,
    elapsed: f64,
    delivered: usize,
}

fn report(summary: &Summary, tally: Tally) {
    let failed = |op: usize| tally.non_2xx[op] + tally.unanswered[op];
    let mut groups: BTreeMap<&'static str, (usize, Vec<u64>, usize)> = BTreeMap::new();
    let mut order = Vec::new();
    let mut all = Vec::new();
    let (mut writes, mut total) = (0usize, 0usize);
    let mut operations = Vec::new();
    for (index, spec) in MIX.iter().enumerate() {
        let latencies = &tally.latencies[index];
        let entry = groups.entry(spec.group).or_insert_with(|| {
            order.push(spec.group);
            (0, Vec::new(), 0)
        });
        entry.1.extend(latencies);
        entry.2 += failed(index);
        all.extend(latencies);
        total += latencies.len() + failed(index);
        if is_write(spec.op) {
            writes += latencies.len() + failed(index);
        }
        operations.push(summarize(
            spec.name,
            latencies.clone(),
            failed(index),
            summary.elapsed,
        ));
    }
    let non_2xx: usize = tally.non_2xx.iter().sum();
    let unanswered: usize = tally.unanswered.iter().sum();
    let mut results: Vec<ScenarioResult> = vec![summarize(
        "all operations",
        all,
        non_2xx + unanswered,
        summary.elapsed,
    )];
    for group in order {
        let (_, latencies, errors) = groups.remove(group).unwrap_or_default();
        results.push(summarize(group, latencies, errors, summary.elapsed));
    }
    println!(
        "{} backend; scale {}: {} companies, {} accounts (seeded in {:.1} s); {} connections for {:.1} s",
        summary.backend,
        summary.scale,
        summary.companies,
        summary.accounts,
        summary.seed_seconds,
        summary.connections,
        summary.elapsed
    );
    println!(
        "writes: {:.1} % of {total} requests; webhook deliveries received during the run: {}\n",
        100.0 * writes as f64 / total.max(1) as f64,
        summary.delivered
    );
    print_results(&results);
    println!("\nnon-2xx answers: {non_2xx}; requests without an answer: {unanswered}; 2xx creates without an ID: {}", tally.malformed);
    let mut failures = tally.failures;
    failures.sort_by_key(|failure| std::cmp::Reverse(failure.count));
    for failure in failures.iter().take(FAILURES_SHOWN) {
        println!(
            "  {} x{}: {} {}",
            failure.operation,
            failure.count,
            if failure.status == 0 {
                "no answer".to_string()
            } else {
                failure.status.to_string()
            },
            failure.excerpt
        );
    }
    println!("\nper operation:");
    print_results(&operations);
}

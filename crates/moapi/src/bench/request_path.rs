//! `moapi bench-request-path`: how close authenticated reads come to the HTTP ceiling, measured
//! as a new user would. The demo set is seeded, `moapi serve` runs as a child process, and wrk
//! (1 thread, `--connections`, `--duration`) drives `GET /healthz` and then each read, in
//! alternation, `--rounds` times; each read's figure is its ratio to the `/healthz` run just
//! before it, so the ratios hold however busy the machine is. Then, on a second server over
//! `--trips` more trips, the memory scenario: the server's RSS idle, under `GET /trips` pages at
//! the same concurrency, and after the load ends. A measurement, not a test: figures go to
//! docs/performance.md.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use moapi_core::{AppState, Config, IdKind};
use moapi_mogu::trip::store::{self as trip_store, NewTrip};
use rand::rngs::StdRng;
use rand::SeedableRng;
use sqlx::Connection;

use super::{bench_database, bench_trip, remove_scratch_database, settle};
use crate::fixtures::Fixtures;
use crate::operator;

pub struct RequestPathBenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    pub connections: usize,
    pub duration: Duration,
    /// Alternated pairs (`/healthz`, then the read) per read.
    pub rounds: usize,
    /// Trips the memory scenario's account holds.
    pub trips: usize,
}

/// Trips per transaction while seeding the memory scenario's account.
const SEED_BATCH: usize = 20_000;
/// How long the memory scenario watches the RSS after the load ends: past the pool's closing of
/// idle connections and replacing of old ones (`moapi_core::db::pool::{IDLE_CLOSE, MAX_AGE}`).
const SETTLE_WATCH: Duration = Duration::from_secs(75);
/// How often it reads the RSS meanwhile.
const SETTLE_STEP: Duration = Duration::from_secs(15);

/// What the reads need: the keys and the rows they name.
struct DemoTargets {
    mogu_authorization: String,
    trip_id: i64,
    moego_authorization: String,
    company_id: String,
    customer_id: String,
    pet_id: String,
}

/// One read measured against `/healthz`: a request wrk sends.
#[derive(Clone)]
struct Read {
    name: &'static str,
    path: String,
    authorization: String,
    /// A JSON body, sent with POST.
    body: Option<String>,
}

pub async fn run(options: RequestPathBenchOptions) -> anyhow::Result<()> {
    anyhow::ensure!(options.rounds >= 1, "--rounds must be at least 1");
    wrk_version().await?;
    let (url, scratch) = bench_database(&options.database_url, "request-path");
    let state = AppState::open(Config::new(&url)).await?;
    let targets = seed_demo(&state).await?;
    settle(&state).await?;
    let mogu_account = seed_trip_account(&state, options.trips).await?;
    settle(&state).await?;
    state.db.close();

    let reads = [
        Read {
            name: "GET /trips/{id} (MOGU key)",
            path: format!("/trips/{}", targets.trip_id),
            authorization: targets.mogu_authorization.clone(),
            body: None,
        },
        Read {
            name: "GET /v1/customers/{customerId}/pets/{id}",
            path: format!("/v1/customers/{}/pets/{}", targets.customer_id, targets.pet_id),
            authorization: targets.moego_authorization.clone(),
            body: None,
        },
        Read {
            name: "POST /v1/customers:list, pageSize 20",
            path: "/v1/customers:list".into(),
            authorization: targets.moego_authorization.clone(),
            body: Some(
                serde_json::json!({"companyId": targets.company_id, "pagination": {"pageSize": 20}})
                    .to_string(),
            ),
        },
    ];
    let scripts = tempdir()?;
    let server = Server::start(&url).await?;
    let health = health();
    println!("| read | round | /healthz requests/s | read requests/s | ratio |");
    println!("|---|---:|---:|---:|---:|");
    for read in &reads {
        // A warm-up: the server's pool, its caches and SQLite's pages.
        wrk(&server, read, &scripts, options.connections, WARM_UP).await?;
        for round in 1..=options.rounds {
            let ceiling = wrk(
                &server,
                &health,
                &scripts,
                options.connections,
                options.duration,
            )
            .await?;
            let rate = wrk(
                &server,
                read,
                &scripts,
                options.connections,
                options.duration,
            )
            .await?;
            println!(
                "| {} | {round} | {ceiling:.0} | {rate:.0} | {:.1}% |",
                read.name,
                100.0 * rate / ceiling
            );
        }
    }
    server.stop().await;

    let server = Server::start(&url).await?;
    memory_scenario(&server, &mogu_account, &scripts, &options).await?;
    server.stop().await;
    let _ = std::fs::remove_dir_all(&scripts);
    remove_scratch_database(scratch);
    Ok(())
}

const WARM_UP: Duration = Duration::from_secs(2);

/// The ceiling every read is measured against: a request that reads nothing.
fn health() -> Read {
    Read {
        name: "GET /healthz",
        path: "/healthz".into(),
        authorization: String::new(),
        body: None,
    }
}

/// The RSS of the server idle (started, answering `/healthz`), at the end of `GET /trips` pages
/// at the bench's concurrency, and every [`SETTLE_STEP`] after, until [`SETTLE_WATCH`] has
/// passed.
async fn memory_scenario(
    server: &Server,
    account: &TripAccount,
    scripts: &Path,
    options: &RequestPathBenchOptions,
) -> anyhow::Result<()> {
    let pages = account.trips.div_ceil(100).max(1);
    let list = Read {
        name: "GET /trips pages of 100",
        path: format!("/trips?pageSize=100&page={{page:{pages}}}"),
        authorization: account.authorization.clone(),
        body: None,
    };
    // Idle: started, and answered requests that read nothing.
    wrk(server, &health(), scripts, 1, WARM_UP).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = server.rss()?;
    let rate = wrk(
        server,
        &list,
        scripts,
        options.connections,
        options.duration,
    )
    .await?;
    let loaded = server.rss()?;
    println!();
    println!(
        "memory: {} trips in the account, {rate:.0} requests/s of {} at {} connections",
        account.trips, list.name, options.connections
    );
    println!("| moment | RSS MiB | anonymous MiB | file MiB | RSS / idle |");
    println!("|---|---:|---:|---:|---:|");
    let row = |moment: &str, rss: Rss| {
        println!(
            "| {moment} | {:.1} | {:.1} | {:.1} | {:.2} |",
            rss.total_kib as f64 / 1024.0,
            rss.anonymous_kib as f64 / 1024.0,
            rss.file_kib as f64 / 1024.0,
            rss.total_kib as f64 / idle.total_kib as f64
        )
    };
    row("idle", idle);
    row("end of load", loaded);
    let watch_started = Instant::now();
    while watch_started.elapsed() < SETTLE_WATCH {
        tokio::time::sleep(SETTLE_STEP).await;
        let rss = server.rss()?;
        row(
            &format!("{} s after", watch_started.elapsed().as_secs()),
            rss,
        );
    }
    Ok(())
}

/// Seeds the demo set and finds the rows the reads name: the first MOGU agent's first trip, and
/// the pet of the first company with the most notes and codes.
async fn seed_demo(state: &AppState) -> anyhow::Result<DemoTargets> {
    let report = operator::seed(state, &mut state.db.conn(), Fixtures::demo()).await?;
    let company = report
        .moego
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo set has no MoeGo company"))?;
    let agent = report
        .mogu
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo set has no MOGU agent"))?;
    let mut db = state.db.conn();
    let conn = db.get().await?;
    let (trip_id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM mogu_trips WHERE account_id = $1")
        .bind(agent.account_id)
        .fetch_one(&mut *conn)
        .await?;
    let company_id = state
        .ids
        .decode(IdKind::Company, &company.company_id)
        .map_err(|_| anyhow::anyhow!("the seed answered a malformed company ID"))?;
    let (pet_id, customer_id): (i64, i64) = sqlx::query_as(
        "SELECT p.id, p.customer_id FROM moego_pets p WHERE p.company_id = $1 \
         ORDER BY (SELECT COUNT(*) FROM moego_pet_notes n WHERE n.pet_id = p.id) \
         + (SELECT COUNT(*) FROM moego_pet_code_links l WHERE l.pet_id = p.id) DESC, p.id \
         LIMIT 1",
    )
    .bind(company_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(DemoTargets {
        mogu_authorization: format!("Bearer {}", agent.api_key),
        trip_id,
        moego_authorization: company.authorization.clone(),
        company_id: company.company_id.clone(),
        customer_id: state.ids.encode(IdKind::Customer, customer_id),
        pet_id: state.ids.encode(IdKind::Pet, pet_id),
    })
}

/// The memory scenario's MOGU account and its key.
struct TripAccount {
    authorization: String,
    trips: usize,
}

/// A MOGU account of its own holding `trips` bench trips, so that the demo rows the reads name
/// stay as the demo has them.
async fn seed_trip_account(state: &AppState, trips: usize) -> anyhow::Result<TripAccount> {
    let mut db = state.db.conn();
    let conn = db.get().await?;
    let account_id = moapi_mogu::account::create_account(conn, "Bench Memory Travel").await?;
    let agent_id = moapi_mogu::account::create_agent(
        conn,
        account_id,
        "memory@bench.example",
        "Bench Agent",
        None,
    )
    .await?;
    let key = moapi_core::auth::create_mogu_key(conn, "bench-memory", agent_id).await?;
    let mut rng = StdRng::seed_from_u64(11);
    let now = moapi_core::time::now_micros();
    eprintln!("seeding {trips} trips for the memory scenario");
    for start in (0..trips).step_by(SEED_BATCH) {
        let batch: Vec<(NewTrip, i64)> = (start..(start + SEED_BATCH).min(trips))
            .map(|n| {
                (
                    bench_trip(&mut rng, now),
                    now - (trips - n) as i64 * 1_000_000,
                )
            })
            .collect();
        let mut tx = conn.begin().await?;
        trip_store::insert_trips(&mut tx, account_id, agent_id, &batch).await?;
        tx.commit().await?;
    }
    Ok(TripAccount {
        authorization: format!("Bearer {}", key.secret),
        trips,
    })
}

/// `moapi serve` over the bench's database, as a child process on a free loopback port.
struct Server {
    child: tokio::process::Child,
    base: String,
}

impl Server {
    async fn start(database_url: &str) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let child = tokio::process::Command::new(std::env::current_exe()?)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("MOAPI_DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let client = reqwest::Client::new();
        let started = Instant::now();
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not answer /healthz within a minute"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(Server { child, base })
    }

    fn rss(&self) -> anyhow::Result<Rss> {
        let pid = self
            .child
            .id()
            .ok_or_else(|| anyhow::anyhow!("the server has exited"))?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
                .unwrap_or_default()
        };
        Ok(Rss {
            total_kib: field("VmRSS:"),
            anonymous_kib: field("RssAnon:"),
            file_kib: field("RssFile:"),
        })
    }

    async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

#[derive(Clone, Copy)]
struct Rss {
    total_kib: u64,
    anonymous_kib: u64,
    file_kib: u64,
}

async fn wrk_version() -> anyhow::Result<()> {
    let found = tokio::process::Command::new("wrk")
        .arg("--version")
        .output()
        .await;
    anyhow::ensure!(
        found.is_ok(),
        "this bench drives the server with wrk, which is not installed (apt-get install wrk)"
    );
    Ok(())
}

/// Runs wrk (1 thread) on `read` and answers its requests/s; fails when any answer was not 2xx.
/// A `{page:N}` in the path becomes a page drawn from 1 to N on every request.
async fn wrk(
    server: &Server,
    read: &Read,
    scripts: &Path,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<f64> {
    let script = scripts.join("request.lua");
    std::fs::write(&script, lua_script(read))?;
    let output = tokio::process::Command::new("wrk")
        .args(["-t1", "-c", &connections.to_string()])
        .args(["-d", &format!("{}s", duration.as_secs().max(1))])
        .arg("-s")
        .arg(&script)
        .arg(&server.base)
        .output()
        .await?;
    let text = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(output.status.success(), "wrk failed: {text}");
    anyhow::ensure!(
        !text.contains("Non-2xx"),
        "{} answered errors under load: {text}",
        read.name
    );
    text.lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|rate| rate.trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no Requests/sec in wrk's output: {text}"))
}

/// The Lua script that makes wrk send `read`.
fn lua_script(read: &Read) -> String {
    let quoted = |text: &str| format!("{text:?}");
    let mut script = String::new();
    let path = match read.path.split_once("{page:") {
        Some((head, rest)) => {
            let pages = rest.trim_end_matches('}');
            format!("{} .. math.random(1, {pages})", quoted(head))
        }
        None => quoted(&read.path),
    };
    script.push_str(&format!(
        "wrk.method = {}\n",
        quoted(if read.body.is_some() { "POST" } else { "GET" })
    ));
    if !read.authorization.is_empty() {
        script.push_str(&format!(
            "wrk.headers[\"Authorization\"] = {}\n",
            quoted(&read.authorization)
        ));
    }
    if let Some(body) = &read.body {
        script.push_str("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        script.push_str(&format!("wrk.body = {}\n", quoted(body)));
    }
    script.push_str(&format!(
        "request = function() return wrk.format(nil, {path}) end\n"
    ));
    script
}

fn tempdir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "moapi-bench-request-path-{:016x}",
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

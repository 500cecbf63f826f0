//! The `moapi` command line: serve, migrate, seed, keys, m2m, secrets, bench.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use moapi::bench::{self, BenchOptions};
use moapi::fixtures::Fixtures;
use moapi::operator::{self, MoegoKeyRequest, SeedReport};
use moapi_core::{AppState, Config};

/// Rows are built on sqlx's SQLite threads and freed on the async workers. glibc's allocator
/// serialises such frees on its arenas and mimalloc pays for collecting them on the threads
/// that made them; jemalloc returns them in batches and gave lists 15 % more
/// (docs/performance.md). It also serves SQLite's own C allocations (unprefixed `malloc`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "moapi",
    version,
    about = "A stateful, wire-exact server for the MoeGo and MOGU APIs"
)]
struct Cli {
    /// Log lines as text or as JSON objects
    #[arg(long, global = true, env = "MOAPI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// sqlite://FILE (created if missing) or postgres://USER@HOST/DB
    #[arg(long, env = "MOAPI_DATABASE_URL", default_value = "sqlite://moapi.db")]
    database_url: String,
    /// Connections in the database pool (default: 2 per core on SQLite, 4 on PostgreSQL)
    #[arg(long, env = "MOAPI_DB_POOL", value_parser = clap::value_parser!(u32).range(1..))]
    db_pool: Option<u32>,
    /// Secret behind MoeGo's obfuscated IDs; by default one is generated and kept in the database
    #[arg(long, env = "MOAPI_ID_SECRET", hide_env_values = true)]
    id_secret: Option<String>,
    /// Key sealing stored webhook secret tokens and custom header values; by default one is generated and kept in the database
    #[arg(long, env = "MOAPI_SECRETS_KEY", hide_env_values = true)]
    secrets_key: Option<String>,
}

impl DbArgs {
    fn config(&self) -> Config {
        Config {
            db_pool: self.db_pool,
            id_secret: self.id_secret.clone(),
            secrets_key: self.secrets_key.clone(),
            ..Config::new(&self.database_url)
        }
    }
}

/// Outbound requests (documents of AI imports) and the optional AI model.
#[derive(Args, Clone)]
struct OutboundArgs {
    /// Comma-separated CIDRs outbound requests may reach although they are private or loopback
    #[arg(long, env = "MOAPI_SSRF_ALLOW", default_value = "", value_parser = parse_allow_list)]
    ssrf_allow: AllowList,
    /// Largest document fetched or accepted inline, in bytes
    #[arg(long, env = "MOAPI_OUTBOUND_MAX_BYTES", default_value_t = 10 * 1024 * 1024)]
    outbound_max_bytes: usize,
    /// Seconds an outbound request may take
    #[arg(long, env = "MOAPI_OUTBOUND_TIMEOUT", default_value_t = 20)]
    outbound_timeout: u64,
    /// OpenAI-compatible chat completions URL for AI imports (built-in extractor when unset)
    #[arg(long, env = "MOAPI_AI_ENDPOINT")]
    ai_endpoint: Option<String>,
    /// Bearer token of the AI endpoint
    #[arg(long, env = "MOAPI_AI_API_KEY", hide_env_values = true)]
    ai_api_key: Option<String>,
    /// Model named in completion requests
    #[arg(long, env = "MOAPI_AI_MODEL", default_value = "gpt-4o-mini")]
    ai_model: String,
    /// Seconds a completion request may take
    #[arg(long, env = "MOAPI_AI_TIMEOUT", default_value_t = 120)]
    ai_timeout: u64,
    /// Seconds an import job stays with a worker that stopped renewing it
    #[arg(long, env = "MOAPI_AI_JOB_LEASE", default_value_t = 15)]
    ai_job_lease: u64,
}

#[derive(Clone)]
struct AllowList(Vec<ipnet::IpNet>);

fn parse_allow_list(text: &str) -> Result<AllowList, String> {
    moapi_core::outbound::parse_allow_list(text).map(AllowList)
}

impl OutboundArgs {
    fn apply(self, config: &mut Config) {
        config.outbound.allow = self.ssrf_allow.0;
        config.outbound.max_bytes = self.outbound_max_bytes;
        config.outbound.timeout = Duration::from_secs(self.outbound_timeout);
        config.ai.endpoint = self.ai_endpoint.filter(|url| !url.is_empty());
        config.ai.api_key = self.ai_api_key.filter(|key| !key.is_empty());
        config.ai.model = self.ai_model;
        config.ai.timeout = Duration::from_secs(self.ai_timeout);
        config.ai.job_lease = Duration::from_secs(self.ai_job_lease.max(1));
    }
}

/// The webhook delivery engine.
#[derive(Args, Clone)]
struct WebhookArgs {
    /// Accept http:// webhook receivers (a sandbox setting; otherwise HTTPS only)
    #[arg(long, env = "MOAPI_WEBHOOK_ALLOW_HTTP")]
    webhook_allow_http: bool,
    /// Send Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) on every delivery
    #[arg(long, env = "MOAPI_WEBHOOK_STANDARD_HEADERS")]
    webhook_standard_headers: bool,
    /// Delays before each retry of a failed delivery, e.g. 30s,2m,10m (units ms, s, m, h)
    #[arg(long, env = "MOAPI_WEBHOOK_RETRY_SCHEDULE", default_value = "30s,2m,10m", value_parser = parse_retry_schedule)]
    webhook_retry_schedule: RetrySchedule,
    /// Seconds one delivery attempt may take
    #[arg(long, env = "MOAPI_WEBHOOK_TIMEOUT", default_value_t = 30)]
    webhook_timeout: u64,
    /// Seconds a node owns the deliveries it claimed (more than the timeout); a dead node's are then sent by another
    #[arg(long, env = "MOAPI_WEBHOOK_LEASE", default_value_t = 90)]
    webhook_lease: u64,
    /// Milliseconds between looks for new events and due deliveries when idle
    #[arg(long, env = "MOAPI_WEBHOOK_POLL_MS", default_value_t = 100)]
    webhook_poll_ms: u64,
    /// Deliveries one node sends at the same time
    #[arg(long, env = "MOAPI_WEBHOOK_CONCURRENCY", default_value_t = 64)]
    webhook_concurrency: usize,
    /// Deliveries per webhook per minute; more wait for the next minute
    #[arg(long, env = "MOAPI_WEBHOOK_PER_MINUTE", default_value_t = 500)]
    webhook_per_minute: i64,
    /// Deliveries per webhook per day; more wait for the next day
    #[arg(long, env = "MOAPI_WEBHOOK_PER_DAY", default_value_t = 50_000)]
    webhook_per_day: i64,
}

#[derive(Clone)]
struct RetrySchedule(Vec<Duration>);

fn parse_retry_schedule(text: &str) -> Result<RetrySchedule, String> {
    moapi_core::config::parse_retry_schedule(text).map(RetrySchedule)
}

impl WebhookArgs {
    fn apply(self, config: &mut Config) {
        let webhooks = &mut config.webhooks;
        webhooks.allow_http = self.webhook_allow_http;
        webhooks.standard_webhooks = self.webhook_standard_headers;
        webhooks.retry_schedule = self.webhook_retry_schedule.0;
        webhooks.delivery_timeout = Duration::from_secs(self.webhook_timeout.max(1));
        webhooks.lease = Duration::from_secs(self.webhook_lease.max(self.webhook_timeout + 1));
        webhooks.poll_interval = Duration::from_millis(self.webhook_poll_ms.max(1));
        webhooks.concurrency = self.webhook_concurrency.max(1);
        webhooks.per_minute_limit = self.webhook_per_minute;
        webhooks.per_day_limit = self.webhook_per_day;
    }
}

// Parsed once per run: the size of its largest variant (`serve`'s settings) costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (migrations run first)
    Serve {
        #[arg(long, env = "MOAPI_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        #[command(flatten)]
        db: DbArgs,
        /// Seed the built-in demo set into an empty database and print keys and curl commands
        #[arg(long)]
        demo: bool,
        /// Token of the operator API under /admin/v1 (disabled when unset)
        #[arg(long, env = "MOAPI_ADMIN_TOKEN", hide_env_values = true)]
        admin_token: Option<String>,
        /// Base URL used in printed links (default: http:// and the bound address)
        #[arg(long, env = "MOAPI_PUBLIC_URL")]
        public_url: Option<String>,
        /// Largest request body, in bytes
        #[arg(long, env = "MOAPI_BODY_LIMIT", default_value_t = 1024 * 1024)]
        body_limit: usize,
        /// Seconds a request may run before it is answered with a timeout
        #[arg(long, env = "MOAPI_REQUEST_TIMEOUT", default_value_t = 30)]
        request_timeout: u64,
        /// Seconds to wait for the next part of a request body before answering 408
        #[arg(long, env = "MOAPI_BODY_TIMEOUT", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
        body_timeout: u64,
        /// Requests per second per API key on each node (429 beyond it); unlimited when unset
        #[arg(long, env = "MOAPI_RATE_LIMIT")]
        rate_limit: Option<std::num::NonZeroU32>,
        #[command(flatten)]
        outbound: OutboundArgs,
        #[command(flatten)]
        webhooks: WebhookArgs,
        /// Minutes an online booking page visit may sit idle before it is an abandoned booking
        #[arg(long, env = "MOAPI_BOOKING_IDLE", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        booking_idle: u64,
        /// SMTP server EMAIL messages are really sent through (e.g. smtp://127.0.0.1:2525 or
        /// smtps://user:password@mail.example.com); without it they stay in the sandbox outbox
        #[arg(long, env = "MOAPI_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// The sender of EMAIL messages sent through the SMTP server
        #[arg(
            long,
            env = "MOAPI_SMTP_FROM",
            default_value = "moapi <moapi@localhost>"
        )]
        smtp_from: String,
        #[command(flatten)]
        m2m: M2mArgs,
    },
    /// Run the database migrations and exit
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create organizations, companies, businesses, staff, accounts and agents from a fixture file
    Seed {
        /// JSON or YAML fixtures
        file: Option<std::path::PathBuf>,
        /// Seed the built-in demo set instead of a file
        #[arg(long, conflicts_with = "file")]
        demo: bool,
        /// Print one JSON object for scripts
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage API keys
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Manage MOGU machine-to-machine (OAuth client_credentials) clients
    M2m {
        #[command(subcommand)]
        command: M2mCommand,
    },
    /// Manage the key sealing stored secrets (webhook secret tokens and custom header values)
    Secrets {
        #[command(subcommand)]
        command: SecretsCommand,
    },
    /// Measure throughput and latency on loopback (see docs/performance.md)
    Bench {
        /// An EMPTY database to fill (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        /// Trips in all
        #[arg(long, default_value_t = 100_000)]
        trips: usize,
        /// MOGU accounts sharing the trips
        #[arg(long, default_value_t = 1)]
        accounts: usize,
        /// Trips of the first account, the one the scenarios query (default: all of --trips)
        #[arg(long)]
        big_account: Option<usize>,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Seconds per scenario
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Measure authenticated reads against /healthz with wrk, and the server's memory after a
    /// load of trip lists (docs/performance.md)
    BenchRequestPath {
        /// An EMPTY database to fill (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Seconds per wrk run
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Alternated pairs (/healthz, then the read) per read
        #[arg(long, default_value_t = 2)]
        rounds: usize,
        /// Trips of the account the memory scenario lists
        #[arg(long, default_value_t = 100_000)]
        trips: usize,
    },
    /// Measure MoeGo customers: bulk load, list filters, creation, paging (docs/performance.md)
    BenchMoego {
        /// An EMPTY database to fill (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 1_000_000)]
        customers: usize,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Seconds per scenario
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Page size of the walk through every customer
        #[arg(long, default_value_t = 25)]
        page_size: usize,
    },
    /// Measure the commerce lists against customers:list at one page size (docs/performance.md)
    BenchCommerce {
        /// An EMPTY database to fill (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 100_000)]
        customers: usize,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Seconds per scenario
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 100)]
        page_size: usize,
    },
    /// Measure orders:list by seven-day lastUpdatedTime windows (docs/performance.md)
    BenchOrders {
        /// An EMPTY database to fill (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 2_000_000)]
        orders: usize,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Seconds per scenario
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Measure MoeGo webhook deliveries: backlog drain rate and commit-to-delivery latency (docs/performance.md)
    BenchWebhooks {
        /// An EMPTY database (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        /// Delivery engines sharing the database
        #[arg(long, default_value_t = 1)]
        nodes: usize,
        /// Events committed before the engines start
        #[arg(long, default_value_t = 20_000)]
        backlog: usize,
        /// Events committed per second while the engines run
        #[arg(long, default_value_t = 2_000)]
        rate: usize,
        /// Seconds of the steady scenario
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Measure a mixed load: reads and writes of every resource of both APIs, many tenants
    /// (docs/performance.md)
    BenchMixed {
        /// An EMPTY database to fill (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        /// Copies of the demo set, each with 1,000 customers and 1,000 appointments per company
        /// and 1,000 trips per account
        #[arg(long, default_value_t = 50)]
        scale: usize,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// Measure appointments:list, :check, creation and orders:list (docs/performance.md)
    BenchAppointments {
        /// An EMPTY database to fill (default: a temporary SQLite file)
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 2_000_000)]
        appointments: usize,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Seconds per scenario
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Scenarios to run, in this order (default: the first four)
        #[arg(
            long,
            value_enum,
            value_delimiter = ',',
            default_value = "list,check,create,orders"
        )]
        scenarios: Vec<bench::appointments::Scenario>,
    },
}

/// Settings of MOGU's M2M tokens.
#[derive(Args, Clone)]
struct M2mArgs {
    /// Audience of M2M tokens (moapi's and the external provider's); default `moapi`
    #[arg(long, env = "MOAPI_M2M_AUDIENCE")]
    m2m_audience: Option<String>,
    /// Issuer (`iss`) of an external provider's M2M tokens, e.g. https://TENANT.auth0.com/
    #[arg(long, env = "MOAPI_M2M_ISSUER")]
    m2m_issuer: Option<String>,
    /// JWKS URL of that provider, e.g. https://TENANT.auth0.com/.well-known/jwks.json
    #[arg(long, env = "MOAPI_M2M_JWKS_URL")]
    m2m_jwks_url: Option<String>,
}

#[derive(Subcommand)]
enum M2mCommand {
    /// Register a client and print its id and secret (the secret is shown once)
    CreateClient {
        /// A scope the client holds (repeatable), e.g. read:trips
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// A MOGU account ID the client may act in (repeatable)
        #[arg(long = "account", required = true)]
        accounts: Vec<i64>,
        #[arg(long)]
        name: Option<String>,
        /// The client's ID at the external provider (its tokens' `azp`)
        #[arg(long)]
        external_id: Option<String>,
        /// Print {"clientId":...,"clientSecret":...}
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List clients (secrets are never shown again)
    ListClients {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a client; its token requests and live tokens fail at once, on every node
    RevokeClient {
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum SecretsCommand {
    /// Re-seal every stored secret under a new key in one transaction (stop the servers first),
    /// then start them with MOAPI_SECRETS_KEY set to it
    Rotate {
        /// The new key; the current one is MOAPI_SECRETS_KEY, or the database's when unset
        #[arg(long, env = "MOAPI_NEW_SECRETS_KEY", hide_env_values = true)]
        to_key: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create a key and print its secret (shown once)
    Create {
        #[command(subcommand)]
        product: KeyProduct,
    },
    /// List keys (secrets are never shown again)
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a key; it stops working at once on every node
    Revoke {
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum KeyProduct {
    /// A MoeGo key, restricted to a company (or some of its businesses, or some IP networks)
    Moego {
        #[arg(long)]
        company: String,
        #[arg(long = "business")]
        businesses: Vec<String>,
        #[arg(long = "scope")]
        scopes: Vec<String>,
        #[arg(long = "allowed-ip")]
        allowed_ips: Vec<String>,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// A MOGU key of an agent
    Mogu {
        #[arg(long)]
        agent: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    match run(cli.command).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            // One readable line (with causes), whatever RUST_BACKTRACE says.
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logs(format: LogFormat) {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MOAPI_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve {
            listen,
            db,
            demo,
            admin_token,
            public_url,
            body_limit,
            request_timeout,
            body_timeout,
            rate_limit,
            outbound,
            webhooks,
            booking_idle,
            smtp_url,
            smtp_from,
            m2m,
        } => {
            // Bound before the database is opened: a taken address must stop the start before
            // `--demo` seeds and prints keys and curl lines for a port another process answers.
            // Connections made meanwhile wait in the backlog until serving starts.
            let listener = bind(listen).await?;
            let bound = listener.local_addr()?;
            if let Some(warning) =
                moapi::server::secrets_key_warning(bound, db.secrets_key.is_some())
            {
                tracing::warn!("{warning}");
            }
            let mut config = Config {
                admin_token,
                rate_limit_per_second: rate_limit,
                body_limit_bytes: body_limit,
                request_timeout: Duration::from_secs(request_timeout),
                body_timeout: Duration::from_secs(body_timeout),
                // The bound address, so that `--listen 127.0.0.1:0` prints the port it got.
                public_base_url: public_url.unwrap_or_else(|| format!("http://{bound}")),
                m2m_audience: m2m.m2m_audience,
                m2m_issuer: m2m.m2m_issuer,
                m2m_jwks_url: m2m.m2m_jwks_url,
                booking_idle: Duration::from_secs(booking_idle * 60),
                smtp: smtp_url.map(|url| moapi_core::config::SmtpConfig {
                    url,
                    from: smtp_from,
                }),
                ..db.config()
            };
            outbound.apply(&mut config);
            webhooks.apply(&mut config);
            if let Some(smtp) = &config.smtp {
                moapi_moego::message::mailer::Mailer::new(smtp).map_err(anyhow::Error::msg)?;
            }
            let state = AppState::open(config)
                .await
                .context("opening the database")?;
            index_trip_backlog(&state).await?;
            seal_clear_webhook_headers(&state).await?;
            if demo {
                seed_demo_if_empty(&state).await?;
            }
            tracing::info!(address = %bound, "moapi listening");
            moapi::server::serve(listener, state, moapi::server::shutdown_signal()).await?;
        }
        Command::Migrate { db } => {
            let state = AppState::open(db.config()).await?;
            index_trip_backlog(&state).await?;
            seal_clear_webhook_headers(&state).await?;
            println!("migrations applied");
        }
        Command::Seed {
            file,
            demo,
            json,
            db,
        } => {
            let fixtures = match (file, demo) {
                (Some(path), _) => Fixtures::parse(
                    &std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))?,
                )
                .map_err(anyhow::Error::msg)?,
                (None, true) => Fixtures::demo(),
                (None, false) => bail!("give a fixture FILE or --demo"),
            };
            let state = AppState::open(db.config()).await?;
            let report = operator::seed(&state, &mut state.db.conn(), fixtures).await?;
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print_report(&report, "http://127.0.0.1:8080", None);
            }
        }
        Command::Keys { command } => keys(command).await?,
        Command::M2m { command } => m2m(command).await?,
        Command::Secrets {
            command: SecretsCommand::Rotate { to_key, db },
        } => {
            if to_key.is_empty() {
                bail!("--to-key: the new key is empty");
            }
            let state = AppState::open(db.config()).await?;
            let to = moapi_core::secret_box::SecretBox::new(to_key.as_bytes());
            let done = moapi_moego::webhook::sealed::reseal(
                state.db.conn().get().await?,
                &state.secrets,
                &to,
            )
            .await?;
            println!(
                "re-sealed {} webhook secret tokens, the headers of {} webhooks and of {} delivery logs",
                done.secret_tokens, done.webhook_headers, done.delivery_headers
            );
            println!("now start every node with MOAPI_SECRETS_KEY set to the new key");
        }
        Command::BenchOrders {
            database_url,
            orders,
            connections,
            seconds,
        } => {
            let results = bench::orders::run(bench::orders::OrdersBenchOptions {
                database_url,
                orders,
                connections,
                duration: Duration::from_secs(seconds),
            })
            .await?;
            bench::print_results(&results);
        }
        Command::BenchAppointments {
            database_url,
            appointments,
            connections,
            seconds,
            scenarios,
        } => {
            let results = bench::appointments::run(bench::appointments::AppointmentsBenchOptions {
                database_url,
                appointments,
                connections,
                duration: Duration::from_secs(seconds),
                scenarios,
            })
            .await?;
            bench::print_results(&results);
        }
        Command::BenchMixed {
            database_url,
            scale,
            connections,
            seconds,
        } => {
            bench::mixed::run(bench::mixed::MixedBenchOptions {
                database_url,
                scale,
                connections,
                duration: Duration::from_secs(seconds),
            })
            .await?
        }
        Command::BenchCommerce {
            database_url,
            customers,
            connections,
            seconds,
            page_size,
        } => {
            bench::commerce::run(bench::commerce::CommerceBenchOptions {
                database_url,
                customers,
                connections,
                duration: Duration::from_secs(seconds),
                page_size,
            })
            .await?
        }
        Command::BenchRequestPath {
            database_url,
            connections,
            seconds,
            rounds,
            trips,
        } => {
            bench::request_path::run(bench::request_path::RequestPathBenchOptions {
                database_url,
                connections,
                duration: Duration::from_secs(seconds),
                rounds,
                trips,
            })
            .await?
        }
        Command::BenchMoego {
            database_url,
            customers,
            connections,
            seconds,
            page_size,
        } => {
            bench::moego::run(bench::moego::MoegoBenchOptions {
                database_url,
                customers,
                connections,
                duration: Duration::from_secs(seconds),
                page_size,
            })
            .await?
        }
        Command::BenchWebhooks {
            database_url,
            nodes,
            backlog,
            rate,
            seconds,
        } => {
            bench::webhooks::run(bench::webhooks::WebhookBenchOptions {
                database_url,
                nodes,
                backlog,
                rate,
                duration: Duration::from_secs(seconds),
            })
            .await?
        }
        Command::Bench {
            database_url,
            trips,
            accounts,
            big_account,
            connections,
            seconds,
        } => {
            let results = bench::run(BenchOptions {
                database_url,
                trips,
                accounts,
                big_account: big_account.unwrap_or(trips),
                connections,
                duration: Duration::from_secs(seconds),
            })
            .await?;
            bench::print_results(&results);
            if let [health, by_id, ..] = results.as_slice() {
                println!(
                    "\nauthenticated GET by id = {:.0}% of /healthz throughput",
                    100.0 * by_id.per_second / health.per_second.max(1.0)
                );
            }
        }
    }
    Ok(())
}

/// Binds `serve`'s address; the error names it, and for a taken one says what to do.
async fn bind(listen: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|err| {
            let hint = if err.kind() == std::io::ErrorKind::AddrInUse {
                " (another process, perhaps another moapi, is using it: stop it or pass another --listen)"
            } else {
                ""
            };
            anyhow::Error::new(err).context(format!("cannot listen on {listen}{hint}"))
        })
}

/// Indexes the titles of trips stored before the title word index existed (migration 0008).
async fn index_trip_backlog(state: &AppState) -> anyhow::Result<()> {
    let indexed = moapi_mogu::trip::search::index_backlog(state.db.conn().get().await?)
        .await
        .context("indexing trip titles")?;
    if indexed > 0 {
        tracing::info!(trips = indexed, "indexed the titles of earlier trips");
    }
    Ok(())
}

/// Seals the custom header values stored in clear before they were sealed (once per database).
async fn seal_clear_webhook_headers(state: &AppState) -> anyhow::Result<()> {
    let sealed = moapi_moego::webhook::sealed::seal_clear_rows(state)
        .await
        .context("sealing stored webhook headers")?;
    if sealed > 0 {
        tracing::info!(rows = sealed, "sealed webhook headers stored in clear");
    }
    Ok(())
}

async fn keys(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create {
            product:
                KeyProduct::Moego {
                    company,
                    businesses,
                    scopes,
                    allowed_ips,
                    name,
                    db,
                },
        } => {
            let state = AppState::open(db.config()).await?;
            let key = operator::create_moego_key(
                &state,
                &mut state.db.conn(),
                &MoegoKeyRequest {
                    company,
                    businesses,
                    scopes,
                    allowed_ips,
                    name,
                },
            )
            .await?;
            println!("key id:        {}", key.key_id);
            println!("secret:        {}   (shown once)", key.api_key);
            println!("Authorization: {}", key.authorization);
        }
        KeysCommand::Create {
            product: KeyProduct::Mogu { agent, db },
        } => {
            let state = AppState::open(db.config()).await?;
            let key = operator::create_mogu_key(&mut state.db.conn(), &agent).await?;
            println!("key id:        {}", key.key_id);
            println!("secret:        {}   (shown once)", key.api_key);
            println!("Authorization: Bearer {}", key.api_key);
        }
        KeysCommand::List { db } => {
            let state = AppState::open(db.config()).await?;
            for key in moapi_core::auth::list_keys(state.db.conn().get().await?).await? {
                let status = if key.revoked { "revoked" } else { "active" };
                println!(
                    "{}  {:5}  {:7}  {}  {}",
                    key.id, key.product, status, key.created_at, key.name
                );
            }
        }
        KeysCommand::Revoke { id, db } => {
            let state = AppState::open(db.config()).await?;
            if !moapi_core::auth::revoke_key(state.db.conn().get().await?, &state.keys, &id).await?
            {
                bail!("no active key {id}");
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}

async fn m2m(command: M2mCommand) -> anyhow::Result<()> {
    match command {
        M2mCommand::CreateClient {
            scopes,
            accounts,
            name,
            external_id,
            json,
            db,
        } => {
            let state = AppState::open(db.config()).await?;
            let client = operator::create_m2m_client(
                &mut state.db.conn(),
                &operator::M2mClientRequest {
                    name,
                    scopes,
                    account_ids: accounts,
                    external_id,
                },
            )
            .await?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({"clientId": client.client_id, "clientSecret": client.client_secret})
                );
            } else {
                println!("client id:     {}", client.client_id);
                println!("client secret: {}   (shown once)", client.client_secret);
                println!("scopes:        {}", client.scopes.join(" "));
                println!("accounts:      {:?}", client.account_ids);
            }
        }
        M2mCommand::ListClients { db } => {
            let state = AppState::open(db.config()).await?;
            for client in
                moapi_core::m2m::clients::list_clients(state.db.conn().get().await?).await?
            {
                let status = if client.revoked { "revoked" } else { "active" };
                println!(
                    "{}  {:7}  accounts {:?}  {}  {}",
                    client.client_id,
                    status,
                    client.account_ids,
                    client.scopes.join(" "),
                    client.name
                );
            }
        }
        M2mCommand::RevokeClient { id, db } => {
            let state = AppState::open(db.config()).await?;
            if !moapi_core::m2m::clients::revoke_client(state.db.conn().get().await?, &id).await? {
                bail!("no active M2M client {id}");
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}

/// `serve --demo`: seeds the demo set into an empty database; on later starts the demo data is
/// there but its secrets are not (only hashes are kept), so fresh keys are issued instead.
async fn seed_demo_if_empty(state: &AppState) -> anyhow::Result<()> {
    let (companies,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM moego_companies")
        .fetch_one(state.db.conn().get().await?)
        .await?;
    let (accounts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mogu_accounts")
        .fetch_one(state.db.conn().get().await?)
        .await?;
    let report = if companies == 0 && accounts == 0 {
        operator::seed(state, &mut state.db.conn(), Fixtures::demo()).await?
    } else {
        reissue_demo_keys(state).await?
    };
    let review_link = demo_review_link(state).await?;
    print_report(
        &report,
        &state.config.public_base_url,
        review_link.as_deref(),
    );
    Ok(())
}

/// A review link of the first company's latest FINISHED appointment nobody reviewed yet, when
/// there is one.
async fn demo_review_link(state: &AppState) -> anyhow::Result<Option<String>> {
    let open: Option<(i64,)> = sqlx::query_as(
        "SELECT a.id FROM moego_appointments a WHERE a.status = 'FINISHED' AND a.deleted = 0 \
         AND NOT EXISTS (SELECT 1 FROM moego_reviews r WHERE r.appointment_id = a.id) \
         ORDER BY a.company_id, a.start_at DESC, a.id DESC LIMIT 1",
    )
    .fetch_optional(state.db.conn().get().await?)
    .await?;
    Ok(open.map(|(id,)| moapi_moego::review::page::review_url(state, id)))
}

async fn reissue_demo_keys(state: &AppState) -> anyhow::Result<SeedReport> {
    let demo = Fixtures::demo();
    let mut report = SeedReport::default();
    let companies: Vec<(i64,)> = sqlx::query_as("SELECT id FROM moego_companies ORDER BY id")
        .fetch_all(state.db.conn().get().await?)
        .await?;
    for (id,) in companies {
        let key = operator::create_moego_key(
            state,
            &mut state.db.conn(),
            &MoegoKeyRequest {
                company: id.to_string(),
                ..Default::default()
            },
        )
        .await?;
        report.moego.push(operator::SeededCompany {
            company_id: key.company_id,
            business_ids: Vec::new(),
            api_key: key.api_key,
            authorization: key.authorization,
        });
    }
    for agent in demo.mogu.iter().flat_map(|account| &account.agents) {
        if let Ok(key) = operator::create_mogu_key(&mut state.db.conn(), &agent.email).await {
            report.mogu.push(operator::SeededAgent {
                account_id: key.account_id,
                agent_email: key.agent_email,
                api_key: key.api_key,
            });
        }
    }
    let trips: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT account_id, id, slug FROM mogu_trips WHERE is_public = 1 ORDER BY id LIMIT 10",
    )
    .fetch_all(state.db.conn().get().await?)
    .await?;
    for (account_id, trip_id, slug) in trips {
        report.public_trips.push(operator::SeededTrip {
            account_id,
            trip_id,
            slug,
        });
    }
    let catalogs: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT account_id, id FROM mogu_catalogs WHERE is_public = 1 ORDER BY id LIMIT 10",
    )
    .fetch_all(state.db.conn().get().await?)
    .await?;
    for (account_id, catalog_id) in catalogs {
        report.public_catalogs.push(operator::SeededCatalog {
            account_id,
            catalog_id,
        });
    }
    Ok(report)
}

/// Prints the keys, example requests and public page URLs of a seed; `review_link`: one
/// review link to print among the pages.
fn print_report(report: &SeedReport, base: &str, review_link: Option<&str>) {
    println!("\nMoeGo keys (one per company):");
    for company in &report.moego {
        println!(
            "  company {}  Authorization: {}",
            company.company_id, company.authorization
        );
    }
    println!("\nMOGU keys (one per agent):");
    for agent in &report.mogu {
        println!(
            "  account {} agent {}  Authorization: Bearer {}",
            agent.account_id, agent.agent_email, agent.api_key
        );
    }
    if let Some(company) = report.moego.first() {
        println!("\nTry the MoeGo API:");
        println!(
            "  curl -s -X POST {base}/v1/companies:list -H 'Authorization: {}' -H 'Content-Type: application/json' -d '{{\"pagination\":{{\"pageSize\":10}}}}'",
            company.authorization
        );
        println!(
            "  curl -s -X POST {base}/v1/businesses:list -H 'Authorization: {}' -d '{{\"companyId\":\"{}\",\"pagination\":{{\"pageSize\":10}}}}'",
            company.authorization, company.company_id
        );
        println!(
            "  curl -s -X POST {base}/v1/customers:list -H 'Authorization: {}' -d '{{\"companyId\":\"{}\",\"pagination\":{{\"pageSize\":10}}}}'",
            company.authorization, company.company_id
        );
    }
    if let Some(agent) = report.mogu.first() {
        println!("\nTry the MOGU API:");
        println!(
            "  curl -s {base}/trips -H 'Authorization: Bearer {}'",
            agent.api_key
        );
        println!(
            "  curl -s -G {base}/trips -H 'Authorization: Bearer {}' --data-urlencode 'search={{\"fields\":[\"title\"],\"term\":\"paris\"}}'",
            agent.api_key
        );
        println!(
            "  curl -s {base}/catalogs -H 'Authorization: Bearer {}'",
            agent.api_key
        );
        let own_trip = report
            .public_trips
            .iter()
            .find(|trip| trip.account_id == agent.account_id);
        if let Some(trip) = own_trip {
            println!(
                "  curl -s {base}/trips/{}/config -H 'Authorization: Bearer {}'",
                trip.trip_id, agent.api_key
            );
        }
    }
    let business_ids: Vec<&String> = report
        .moego
        .iter()
        .flat_map(|company| &company.business_ids)
        .collect();
    if !report.public_trips.is_empty()
        || !report.public_catalogs.is_empty()
        || !business_ids.is_empty()
        || review_link.is_some()
    {
        println!("\nPublic pages (no key needed):");
    }
    for business_id in business_ids {
        println!(
            "  booking  {}",
            moapi_moego::online_booking::page::booking_url(base, business_id)
        );
    }
    if let Some(link) = review_link {
        println!("  review   {link}");
    }
    for trip in &report.public_trips {
        println!(
            "  trip     {}",
            moapi_mogu::public::trip_url(base, &trip.slug)
        );
    }
    for catalog in &report.public_catalogs {
        println!(
            "  catalog  {}",
            moapi_mogu::public::catalog_url(base, catalog.catalog_id)
        );
    }
    println!("\nDocs: {base}/docs\n");
}

//! Storage: one `sqlx::Any` pool over SQLite (the default) or PostgreSQL. Every query is one
//! SQL text for both backends: static statements use `$N` placeholders, which both engines
//! accept, and dynamic ones are built with sea-query's PostgreSQL dialect, whose output is the
//! portable subset we use. Only the migrations exist once per backend (DDL differs).

use std::str::FromStr;
use std::time::Duration;

use sea_query::{PostgresQueryBuilder, QueryStatementWriter, Value, Values};
use sqlx::any::{AnyArguments, AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, AnyPool, ConnectOptions, Executor, FromRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite only: see [`Db::write_gate`].
    sqlite_writers: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

impl Db {
    /// Opens a pool for `sqlite://FILE` (created if missing, WAL, foreign keys on) or
    /// `postgres://...`.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            anyhow::bail!("unsupported database URL (expected sqlite:// or postgres://): {url}");
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool_options = match backend {
            // sqlx gives each SQLite connection its own thread and SQLite has one writer, so
            // connections beyond two per core only add context switches (docs/performance.md).
            // A pooled SQLite connection is a file handle that cannot drop like a socket, so
            // it is not pinged before each use: on SQLite the ping is a round trip to the
            // connection's thread, as costly as a query (docs/performance.md).
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(2 * cores())
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // WAL lets readers run beside the writer; a busy timeout queues writers
                        // instead of failing them; NORMAL sync is crash-safe under WAL. A 32 MiB
                        // page cache and memory-mapped reads keep list scans off read() calls.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                             PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456;",
                        )
                        .await?;
                        Ok(())
                    })
                }),
            Backend::Postgres => AnyPoolOptions::new().max_connections(4 * cores()),
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let sqlite_writers =
            (backend == Backend::Sqlite).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Db {
            pool,
            backend,
            sqlite_writers,
        })
    }

    /// On SQLite, queues this process's hot writers in memory: SQLite has one writer, and a
    /// writer that finds the lock taken sleeps in its busy handler (1, 2, 5, 10 ms ...) instead
    /// of starting when the lock is released, which caps creates per second. The gate hands the
    /// lock on at once. Take it holding no connection, before beginning the write, and keep it
    /// until the write commits (a holder waiting for a connection that a gate waiter holds
    /// would deadlock). PostgreSQL locks rows, not the
    /// database, and several nodes share it, so there it is `None`.
    pub async fn write_gate(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match &self.sqlite_writers {
            Some(writers) => Some(writers.clone().lock_owned().await),
            None => None,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Binds one sea-query value; the Any driver knows integers, floats, text, bytes and null.
macro_rules! bind_value {
    ($query:expr, $value:expr) => {
        match $value {
            Value::Bool(v) => $query.bind(v.map(i64::from)),
            Value::TinyInt(v) => $query.bind(v.map(i64::from)),
            Value::SmallInt(v) => $query.bind(v.map(i64::from)),
            Value::Int(v) => $query.bind(v.map(i64::from)),
            Value::BigInt(v) => $query.bind(v),
            Value::TinyUnsigned(v) => $query.bind(v.map(i64::from)),
            Value::SmallUnsigned(v) => $query.bind(v.map(i64::from)),
            Value::Unsigned(v) => $query.bind(v.map(i64::from)),
            Value::BigUnsigned(v) => $query.bind(v.map(|v| i64::try_from(v).unwrap_or(i64::MAX))),
            Value::Float(v) => $query.bind(v.map(f64::from)),
            Value::Double(v) => $query.bind(v),
            Value::String(v) => $query.bind(v.map(|s| *s)),
            Value::Char(v) => $query.bind(v.map(|c| c.to_string())),
            Value::Bytes(v) => $query.bind(v.map(|b| *b)),
        }
    };
}

fn cores() -> u32 {
    std::thread::available_parallelism().map_or(2, |n| n.get() as u32)
}

/// Renders a sea-query statement as portable SQL plus its parameters.
pub fn build(statement: &impl QueryStatementWriter) -> (String, Values) {
    statement.build(PostgresQueryBuilder)
}

/// A query over a built statement, its parameters bound.
pub fn query_with(sql: &str, values: Values) -> Query<'_, Any, AnyArguments<'_>> {
    values
        .into_iter()
        .fold(sqlx::query(sql), |query, value| bind_value!(query, value))
}

/// Like [`query_with`], decoding rows into `T`.
pub fn query_as_with<T>(sql: &str, values: Values) -> QueryAs<'_, Any, T, AnyArguments<'_>>
where
    T: for<'r> FromRow<'r, AnyRow>,
{
    values
        .into_iter()
        .fold(sqlx::query_as(sql), |query, value| {
            bind_value!(query, value)
        })
}

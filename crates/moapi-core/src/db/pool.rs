//! The connection pool: deadpool over sqlx connections, checked only when there is a reason.
//!
//! sqlx's own pool pings every connection it takes back (and, on PostgreSQL, every one it hands
//! out): a round trip to the server or, on SQLite, to the connection's thread, which cost more
//! than the one statement of a typical read (docs/performance.md). Here a connection is pinged
//! when it is handed out only if it was not for [`CHECK_EVERY`], so a broken one is noticed
//! within that, and when it still has a statement to send: the rollback a dropped
//! transaction queued, which must reach PostgreSQL before the transaction's locks hold up
//! other nodes, so it is also flushed as soon as the connection is given back.

use std::time::{Duration, Instant};

use deadpool::managed::{self, Metrics, Object, PoolError, QueueMode, RecycleError, RecycleResult};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, Connection, Executor};

use super::Backend;

/// How long a pooled connection is trusted without a ping.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);
/// An idle connection is closed after this long, giving back what it holds (on SQLite, its page
/// cache and the pages of the file it mapped, which count in the process's RSS).
pub const IDLE_CLOSE: Duration = Duration::from_secs(30);
/// A connection older than this is replaced when next handed out, so that the one a node's
/// background pollers keep busy gives back, too, what a burst of requests made it hold.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// WAL lets readers run beside the writer; a busy timeout queues writers instead of failing
/// them; NORMAL sync is crash-safe under WAL. A 32 MiB page cache and memory-mapped reads keep
/// list scans off read() calls; the map covers up to SQLite's own cap (2 GiB less 64 KiB),
/// since a business's rows lie all over the file (docs/performance.md).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
     PRAGMA cache_size = -32768; PRAGMA mmap_size = 2147418112;";

pub(super) type Pool = managed::Pool<Connector>;
pub(super) type Pooled = Object<Connector>;

/// Opens the pool's connections.
pub(super) struct Connector {
    pub(super) options: AnyConnectOptions,
    pub(super) backend: Backend,
}

/// A pooled connection and when it was last known to work.
pub struct Checked {
    pub(super) connection: AnyConnection,
    checked_at: Instant,
}

impl managed::Manager for Connector {
    type Type = Checked;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<Checked, sqlx::Error> {
        let mut connection = AnyConnection::connect_with(&self.options).await?;
        if self.backend == Backend::Sqlite {
            connection.execute(SQLITE_PRAGMAS).await?;
        }
        Ok(Checked {
            connection,
            checked_at: Instant::now(),
        })
    }

    async fn recycle(
        &self,
        checked: &mut Checked,
        metrics: &Metrics,
    ) -> RecycleResult<sqlx::Error> {
        if metrics.age() >= MAX_AGE {
            return Err(RecycleError::message("replaced: older than MAX_AGE"));
        }
        if checked.connection.should_flush() || checked.checked_at.elapsed() >= CHECK_EVERY {
            checked.ping().await.map_err(RecycleError::Backend)?;
        }
        Ok(())
    }
}

impl Checked {
    async fn ping(&mut self) -> Result<(), sqlx::Error> {
        self.connection.ping().await?;
        self.checked_at = Instant::now();
        Ok(())
    }
}

pub(super) fn build(connector: Connector, size: u32) -> anyhow::Result<Pool> {
    let timeout = Some(Duration::from_secs(10));
    let pool = Pool::builder(connector)
        .max_size(size as usize)
        .wait_timeout(timeout)
        .create_timeout(timeout)
        .recycle_timeout(timeout)
        // The connection given back last is handed out first, so background pollers keep
        // reusing one connection and the others, idle, reach IDLE_CLOSE.
        .queue_mode(QueueMode::Lifo)
        .runtime(deadpool::Runtime::Tokio1)
        .build()?;
    let weak = pool.weak();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(IDLE_CLOSE / 3);
        loop {
            ticks.tick().await;
            let Some(pool) = weak.upgrade() else { return };
            pool.retain(|_, metrics| metrics.last_used() < IDLE_CLOSE);
        }
    });
    Ok(pool)
}

/// A connection from the pool, as sqlx's pool would have failed to give one.
pub(super) async fn get(pool: &Pool) -> Result<Pooled, sqlx::Error> {
    pool.get().await.map_err(|error| match error {
        PoolError::Backend(error) => error,
        PoolError::Timeout(_) => sqlx::Error::PoolTimedOut,
        PoolError::Closed => sqlx::Error::PoolClosed,
        other => sqlx::Error::Protocol(other.to_string()),
    })
}

/// Gives a connection back. One with a statement still to send (a dropped transaction's
/// rollback) sends it first, off the caller's path.
pub(super) fn give_back(mut pooled: Pooled) {
    if !pooled.connection.should_flush() {
        return;
    }
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            if pooled.ping().await.is_err() {
                drop(Object::take(pooled));
            }
        });
    }
}

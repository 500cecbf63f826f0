//! Storage: one `sqlx::Any` pool over SQLite (the default) or PostgreSQL. Every query is one
//! SQL text for both backends: static statements use `$N` placeholders, which both engines
//! accept, and dynamic ones are built with sea-query's PostgreSQL dialect, whose output is the
//! portable subset we use. Only the migrations exist once per backend (DDL differs), and
//! [`fetch_all_json`] names its two JSON functions the way each engine spells them.
//!
//! Code reaches the pool only through [`Conn`], one pooled connection acquired when first used
//! and passed down as `&mut AnyConnection`. A request holds at most one at a time: an HTTP
//! request runs inside [`one_connection_per_request`], and a `Conn` that would acquire a second
//! connection while another of the same request is held fails at once instead of waiting for
//! the pool (where a few such requests would starve it and each other).

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sea_query::{Alias, PostgresQueryBuilder, Query as SeaQuery, QueryStatementWriter, SimpleExpr};
use sea_query::{QueryBuilder, SqlWriter, SqlWriterValues, Value, Values};
use sqlx::any::{AnyArguments, AnyConnectOptions, AnyRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, AnyConnection, ConnectOptions, Connection, FromRow};
use std::fmt::Write;

use crate::group_commit::{GroupCommit, GroupCommits};

pub mod pool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: pool::Pool,
    backend: Backend,
    /// SQLite only: see [`Conn::write_gate`].
    sqlite_writers: Option<Arc<tokio::sync::Mutex<()>>>,
    group_commits: Arc<GroupCommits>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// The pool's size when none is configured: sqlx gives each SQLite connection its own thread
/// and SQLite has one writer, so connections beyond two per core only add context switches
/// (docs/performance.md); PostgreSQL serves each connection with a process of its own.
pub fn default_pool_size(backend: Backend) -> u32 {
    match backend {
        Backend::Sqlite => 2 * cores(),
        Backend::Postgres => 4 * cores(),
    }
}

impl Db {
    /// Opens a pool of `pool_size` connections (`None`: [`default_pool_size`]) for
    /// `sqlite://FILE` (created if missing, WAL, foreign keys on) or `postgres://...`.
    pub async fn connect(url: &str, pool_size: Option<u32>) -> anyhow::Result<Db> {
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
        let pool_size = pool_size.unwrap_or_else(|| default_pool_size(backend));
        anyhow::ensure!(
            pool_size >= 1,
            "the database pool needs at least one connection"
        );
        let pool = pool::build(pool::Connector { options, backend }, pool_size)?;
        // Fails now, not on the first request, when the database cannot be reached.
        drop(pool::get(&pool).await?);
        let sqlite_writers =
            (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
        Ok(Db {
            pool,
            backend,
            sqlite_writers,
            group_commits: Default::default(),
        })
    }

    /// A handle on one pooled connection, acquired when first used (see [`Conn`]).
    pub fn conn(&self) -> Conn {
        Conn {
            db: self.clone(),
            held: None,
        }
    }

    /// This node's group commit for writes of one kind (see [`GroupCommit`]), made on first use.
    pub fn group_commit<J, R>(&self) -> Arc<GroupCommit<J, R>>
    where
        J: Send + 'static,
        R: Send + 'static,
    {
        self.group_commits.of::<J, R>()
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(self.conn().get().await?).await?;
        Ok(())
    }

    /// Closes the pool: its idle connections now, the others as they are given back.
    pub fn close(&self) {
        self.pool.close();
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The most connections the pool opens.
    pub fn pool_size(&self) -> u32 {
        self.pool.status().max_size as u32
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(self.conn().get().await?)
            .await
            .map(|_| ())
    }
}

/// One pooled connection of a request or a background task, acquired on first use and given
/// back when dropped or [`released`](Conn::release). Everything below takes the connection as
/// `&mut AnyConnection`, so a request's statements all run on the one its handler holds.
pub struct Conn {
    db: Db,
    held: Option<Held>,
}

struct Held {
    /// Always there until dropped, which gives it back (see [`pool::give_back`]).
    connection: Option<pool::Pooled>,
    /// The request's count of held connections, which this one raised.
    _claim: Option<RequestClaim>,
}

impl Held {
    fn connection(&mut self) -> &mut AnyConnection {
        &mut self
            .connection
            .as_mut()
            .expect("a held connection")
            .connection
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            pool::give_back(connection);
        }
    }
}

impl Conn {
    /// The connection, acquired from the pool the first time. Inside a request that already
    /// holds another, this fails at once (see [`one_connection_per_request`]).
    pub async fn get(&mut self) -> Result<&mut AnyConnection, sqlx::Error> {
        if self.held.is_none() {
            let claim = RequestClaim::take()?;
            let connection = pool::get(&self.db.pool).await?;
            self.held = Some(Held {
                connection: Some(connection),
                _claim: claim,
            });
        }
        Ok(self
            .held
            .as_mut()
            .expect("a connection is held")
            .connection())
    }

    /// The connection taken out of the pool for good, for a bulk load that tunes it (its page
    /// cache, say) and closes it afterwards rather than handing the tuned connection back.
    pub async fn detach(mut self) -> Result<AnyConnection, sqlx::Error> {
        self.get().await?;
        let mut held = self.held.take().expect("a connection is held");
        let pooled = held.connection.take().expect("a held connection");
        Ok(deadpool::managed::Object::take(pooled).connection)
    }

    /// A transaction on the connection (acquired if need be); it rolls back unless committed.
    pub async fn begin(&mut self) -> Result<sqlx::Transaction<'_, Any>, sqlx::Error> {
        self.get().await?.begin().await
    }

    /// Gives the connection back to the pool, for a request about to wait on work that needs
    /// one of its own (a group commit's batch, say). The next [`get`](Conn::get) acquires anew.
    pub fn release(&mut self) {
        self.held = None;
    }

    /// Hands the connection, if one is held, to a callee that takes a `Conn` of its own (an API
    /// handler the operator calls), leaving this one to acquire anew when next used.
    pub fn take(&mut self) -> Conn {
        Conn {
            db: self.db.clone(),
            held: self.held.take(),
        }
    }

    /// On SQLite, queues this process's hot writers in memory: SQLite has one writer, and a
    /// writer that finds the lock taken sleeps in its busy handler (1, 2, 5, 10 ms ...) instead
    /// of starting when the lock is released, which caps creates per second. The gate hands the
    /// lock on at once. The connection is given back first, so that no request waits for the
    /// gate holding one (the holder, which acquires after it, could otherwise wait for them
    /// forever); keep the guard until the write commits. PostgreSQL locks rows, not the
    /// database, and several nodes share it, so there it is `None` and the connection stays
    /// held: giving it back would only make the write queue for the pool a second time.
    pub async fn write_gate(&mut self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let writers = self.db.sqlite_writers.clone()?;
        self.release();
        Some(writers.lock_owned().await)
    }
}

impl<S> axum::extract::FromRequestParts<S> for Conn
where
    Db: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(<Db as axum::extract::FromRef<S>>::from_ref(state).conn())
    }
}

tokio::task_local! {
    /// How many pooled connections the current request holds.
    static REQUEST_CONNECTIONS: Arc<AtomicUsize>;
}

/// A request's claim on its one connection, given up when the connection is.
struct RequestClaim(Arc<AtomicUsize>);

impl RequestClaim {
    /// Outside a request (background work, start-up, tests): no claim. Inside one: the claim,
    /// or an error when the request already holds a connection.
    fn take() -> Result<Option<RequestClaim>, sqlx::Error> {
        let Ok(held) = REQUEST_CONNECTIONS.try_with(Arc::clone) else {
            return Ok(None);
        };
        if held.fetch_add(1, Ordering::AcqRel) > 0 {
            held.fetch_sub(1, Ordering::AcqRel);
            tracing::error!("a request asked for a second database connection while holding one");
            return Err(sqlx::Error::Protocol(
                "a request may hold one database connection at a time".into(),
            ));
        }
        Ok(Some(RequestClaim(held)))
    }
}

impl Drop for RequestClaim {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Middleware: the request it wraps may hold one pooled connection at a time (see [`Conn`]).
pub async fn one_connection_per_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    REQUEST_CONNECTIONS
        .scope(Arc::new(AtomicUsize::new(0)), next.run(request))
        .await
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

/// Reads the rows of `select` as one JSON document that the database builds: an array of
/// rows, ordered by `order` (output columns), each row an array of the output columns named
/// like `T`'s fields, in their order, which is how `T` then decodes it.
///
/// A page of a hundred wide rows costs the database little to write as JSON, where sqlx's
/// `Any` driver converts each value of each row on its own (and, on SQLite, hands each row
/// from the connection's thread to the caller's through a 50-row channel): for list pages
/// that per-value work was most of a request's CPU (docs/performance.md). Both engines take
/// the same statement but for the two function names, which [`JsonDialect`] picks.
pub async fn fetch_all_json<T: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    select: &sea_query::SelectStatement,
    order: &[(&str, sea_query::Order)],
) -> Result<Vec<T>, sqlx::Error> {
    let mut statement = JsonStatement::new(conn);
    statement.rows_of::<T>(select, order);
    let (sql, values) = statement.into_parts();
    let document: Option<String> = values
        .into_iter()
        .fold(sqlx::query_scalar(&sql), |query, value| {
            bind_value!(query, value)
        })
        .fetch_one(conn)
        .await?;
    decode_json(document)
}

/// [`fetch_all_json`] of two selects in one statement (one round trip): a resource's two
/// kinds of details, say, such as a page of customers' notes and their tags.
pub async fn fetch_all_json_pair<A, B>(
    conn: &mut AnyConnection,
    (first, first_order): (&sea_query::SelectStatement, &[(&str, sea_query::Order)]),
    (second, second_order): (&sea_query::SelectStatement, &[(&str, sea_query::Order)]),
) -> Result<(Vec<A>, Vec<B>), sqlx::Error>
where
    A: serde::de::DeserializeOwned,
    B: serde::de::DeserializeOwned,
{
    let mut statement = JsonStatement::new(conn);
    statement
        .text("SELECT (")
        .rows_of::<A>(first, first_order)
        .text("), (")
        .rows_of::<B>(second, second_order)
        .text(")");
    let (sql, values) = statement.into_parts();
    let (first, second): (Option<String>, Option<String>) =
        query_as_with(&sql, values).fetch_one(conn).await?;
    Ok((decode_json(first)?, decode_json(second)?))
}

/// A statement written piece by piece whose columns may be [`fetch_all_json`]'s documents, so
/// that a resource and its details come in one round trip. Every parameter, of the selects and
/// of [`param`](JsonStatement::param), is numbered in turn; [`decode_json`] reads a document.
pub struct JsonStatement {
    sql: SqlWriterValues,
    dialect: JsonDialect,
}

impl JsonStatement {
    pub fn new(conn: &AnyConnection) -> JsonStatement {
        JsonStatement {
            sql: statement_writer(),
            dialect: JsonDialect::of(conn),
        }
    }

    /// SQL text, as is.
    pub fn text(&mut self, text: &str) -> &mut Self {
        let _ = self.sql.write_str(text);
        self
    }

    /// The rows of `select` as one JSON document (a scalar subquery's value), decoded as `T`.
    pub fn rows_of<T: serde::de::DeserializeOwned>(
        &mut self,
        select: &sea_query::SelectStatement,
        order: &[(&str, sea_query::Order)],
    ) -> &mut Self {
        self.dialect
            .aggregate(&mut self.sql, select, field_names::<T>(), order);
        self
    }

    /// A bound parameter.
    pub fn param(&mut self, value: impl Into<Value>) -> &mut Self {
        self.sql.push_param(value.into(), &PostgresQueryBuilder);
        self
    }

    pub fn into_parts(self) -> (String, Values) {
        self.sql.into_parts()
    }
}

/// A writer of one statement in the portable dialect, numbering the parameters of every
/// select written into it in turn.
fn statement_writer() -> SqlWriterValues {
    let (placeholder, numbered) = PostgresQueryBuilder.placeholder();
    SqlWriterValues::new(placeholder, numbered)
}

/// The rows of a JSON document [`JsonStatement::rows_of`] wrote.
pub fn decode_json<T: serde::de::DeserializeOwned>(
    document: Option<String>,
) -> Result<Vec<T>, sqlx::Error> {
    match document {
        Some(document) => {
            serde_json::from_str(&document).map_err(|error| sqlx::Error::Decode(Box::new(error)))
        }
        // PostgreSQL aggregates no rows to NULL, SQLite to `[]`.
        None => Ok(Vec::new()),
    }
}

/// The two JSON functions [`fetch_all_json`] needs, as each engine names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonDialect {
    Sqlite,
    Postgres,
}

impl JsonDialect {
    fn of(conn: &AnyConnection) -> JsonDialect {
        match conn.backend_name() {
            "SQLite" => JsonDialect::Sqlite,
            _ => JsonDialect::Postgres,
        }
    }

    /// Writes `SELECT CAST(array_agg(array(page.c1, ...) ORDER BY ...) AS TEXT) FROM (select)
    /// AS page`.
    fn aggregate(
        self,
        sql: &mut SqlWriterValues,
        select: &sea_query::SelectStatement,
        columns: &[&str],
        order: &[(&str, sea_query::Order)],
    ) {
        let (array_agg, array) = match self {
            JsonDialect::Sqlite => ("json_group_array", "json_array"),
            JsonDialect::Postgres => ("json_agg", "json_build_array"),
        };
        let quoted = |column: &str| format!("page.\"{column}\"");
        let fields: Vec<String> = columns.iter().map(|column| quoted(column)).collect();
        let keys: Vec<String> = order
            .iter()
            .map(|(column, direction)| match direction {
                sea_query::Order::Desc => format!("{} DESC", quoted(column)),
                _ => quoted(column),
            })
            .collect();
        let order = match keys.is_empty() {
            true => String::new(),
            false => format!(" ORDER BY {}", keys.join(", ")),
        };
        let _ = write!(
            sql,
            "SELECT CAST({array_agg}({array}({}){order}) AS TEXT) FROM (",
            fields.join(", "),
        );
        select.build_collect_into(PostgresQueryBuilder, sql);
        let _ = sql.write_str(") AS page");
    }
}

/// The field names of a struct that derives `Deserialize`, in declaration order, which is the
/// order in which it decodes a JSON array.
fn field_names<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    /// A deserializer that only records the fields a struct asks for.
    struct Fields(&'static [&'static str]);
    #[derive(Debug)]
    struct Recorded;
    impl std::fmt::Display for Recorded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("fields recorded")
        }
    }
    impl std::error::Error for Recorded {}
    impl serde::de::Error for Recorded {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Recorded
        }
    }
    impl<'de> serde::Deserializer<'de> for &mut Fields {
        type Error = Recorded;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Recorded> {
            Err(Recorded)
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Recorded> {
            self.0 = fields;
            Err(Recorded)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields = Fields(&[]);
    let _ = T::deserialize(&mut fields);
    fields.0
}

/// Both engines cap the parameters of one statement (SQLite at 32,766); a multi-row insert is
/// cut into statements that stay well under it.
const MAX_PARAMETERS: usize = 30_000;

/// Inserts `rows` (values in `columns` order) with as few multi-row statements as the
/// parameter cap allows.
pub async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<SimpleExpr>>,
) -> Result<(), sqlx::Error> {
    for (sql, values) in multi_row_inserts(table, columns, rows, &[]) {
        query_with(&sql, values).execute(&mut *conn).await?;
    }
    Ok(())
}

/// [`insert_rows`], answering the `returning` columns of the new rows in no promised order:
/// [`in_written_order`] puts them back in the order written.
pub async fn insert_rows_returning<T>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<SimpleExpr>>,
    returning: &[&str],
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let mut answered = Vec::with_capacity(rows.len());
    for (sql, values) in multi_row_inserts(table, columns, rows, returning) {
        answered.extend(
            query_as_with::<T>(&sql, values)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(answered)
}

/// Rows a multi-row insert answered, in the order they were written: both engines number new
/// rows in the order of the VALUES list, so sorting by `id` restores it. Each row's `key` must
/// then equal what was written at its place (`None` otherwise), so a mismatch is never
/// taken for an answer.
pub fn in_written_order<T, K: PartialEq>(
    mut answered: Vec<T>,
    id: impl Fn(&T) -> i64,
    key: impl Fn(&T) -> K,
    written: impl IntoIterator<Item = K>,
) -> Option<Vec<T>> {
    answered.sort_unstable_by_key(id);
    answered.iter().map(key).eq(written).then_some(answered)
}

fn multi_row_inserts(
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<SimpleExpr>>,
    returning: &[&str],
) -> Vec<(String, Values)> {
    let rows_per_statement = (MAX_PARAMETERS / columns.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    let mut statements = Vec::new();
    while rows.peek().is_some() {
        let mut insert = SeaQuery::insert();
        insert
            .into_table(Alias::new(table))
            .columns(columns.iter().map(|column| Alias::new(*column)));
        for row in rows.by_ref().take(rows_per_statement) {
            insert.values_panic(row);
        }
        if !returning.is_empty() {
            insert.returning(
                SeaQuery::returning().columns(returning.iter().map(|column| Alias::new(*column))),
            );
        }
        statements.push(build(&insert));
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_holds_one_connection_at_a_time_and_background_work_is_free() {
        let path = std::env::temp_dir().join(format!("moapi-core-db-{}.db", rand::random::<u64>()));
        let db = Db::connect(&format!("sqlite://{}", path.display()), Some(3))
            .await
            .unwrap();
        let request = async {
            let mut first = db.conn();
            first.get().await.unwrap();
            let mut second = db.conn();
            assert!(
                second.get().await.is_err(),
                "a second while the first is held"
            );
            let gate = first.write_gate().await;
            second
                .get()
                .await
                .expect("the gate gave the first one back");
            drop((gate, second));
            first
                .get()
                .await
                .expect("and again once the second is gone");
        };
        REQUEST_CONNECTIONS
            .scope(Arc::new(AtomicUsize::new(0)), request)
            .await;
        let (mut one, mut two) = (db.conn(), db.conn());
        one.get().await.unwrap();
        two.get()
            .await
            .expect("outside a request, tasks hold what they need");
        drop((one, two));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[derive(serde::Deserialize)]
    struct Row {
        id: i64,
        name: String,
        deleted_at: Option<i64>,
    }

    #[test]
    fn a_rows_fields_are_read_in_declaration_order() {
        assert_eq!(field_names::<Row>(), ["id", "name", "deleted_at"]);
        let rows: Vec<Row> = serde_json::from_str(r#"[[7, "Rex", null]]"#).unwrap();
        let row = &rows[0];
        assert_eq!(
            (row.id, row.name.as_str(), row.deleted_at),
            (7, "Rex", None)
        );
    }

    fn rows_of(table: &str, id: i64) -> sea_query::SelectStatement {
        SeaQuery::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(sea_query::Expr::col(Alias::new("id")).eq(id))
            .to_owned()
    }

    #[test]
    fn the_aggregate_differs_between_engines_only_in_function_names() {
        let order = [
            ("start_at", sea_query::Order::Asc),
            ("id", sea_query::Order::Desc),
        ];
        let aggregate = |dialect: JsonDialect| {
            let mut sql = statement_writer();
            dialect.aggregate(&mut sql, &rows_of("t", 5), &["id", "name"], &order);
            sql.into_parts().0
        };
        let sqlite = aggregate(JsonDialect::Sqlite);
        assert_eq!(
            sqlite,
            "SELECT CAST(json_group_array(json_array(page.\"id\", page.\"name\") \
             ORDER BY page.\"start_at\", page.\"id\" DESC) AS TEXT) \
             FROM (SELECT \"id\" FROM \"t\" WHERE \"id\" = $1) AS page"
        );
        assert_eq!(
            aggregate(JsonDialect::Postgres)
                .replace("json_agg(json_build_array", "json_group_array(json_array"),
            sqlite
        );
    }

    #[test]
    fn selects_written_into_one_statement_number_their_parameters_in_turn() {
        let mut sql = statement_writer();
        JsonDialect::Sqlite.aggregate(&mut sql, &rows_of("a", 1), &["id"], &[]);
        JsonDialect::Sqlite.aggregate(&mut sql, &rows_of("b", 2), &["id"], &[]);
        let (sql, values) = sql.into_parts();
        assert!(sql.contains("\"a\" WHERE \"id\" = $1"), "{sql}");
        assert!(sql.contains("\"b\" WHERE \"id\" = $2"), "{sql}");
        assert_eq!(
            values.0,
            vec![Value::BigInt(Some(1)), Value::BigInt(Some(2))]
        );
    }
}

//! AI job storage in `mogu_ai_jobs`. Workers of any node claim a job with one conditional
//! UPDATE (a free or expired lease becomes theirs), and every later write of the worker names
//! its lease, so a worker that lost the job (cancelled, or taken over after its lease expired)
//! changes nothing. The trip, its config and the job's completion commit together.

use moapi_core::db::{build, query_with};
use moapi_core::time::now_micros;
use sea_query::{Expr, Iden, Query, SimpleExpr};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

pub const PROCESSING: &str = "processing";
pub const COMPLETED: &str = "completed";
pub const FAILED: &str = "error";
pub const CANCELED: &str = "canceled";

/// Where a job's document comes from, as stored.
#[derive(Debug, Clone, PartialEq)]
pub enum JobSource {
    Text(String),
    Url(String),
    /// The document in base64, and its filename.
    Inline {
        data: String,
        filename: String,
    },
}

impl JobSource {
    fn columns(&self) -> (&'static str, Option<&str>, &str) {
        match self {
            JobSource::Text(text) => ("text", None, text),
            JobSource::Url(url) => ("url", Some(url), url),
            JobSource::Inline { data, filename } => ("inline", Some(filename), data),
        }
    }

    fn from_columns(kind: &str, name: Option<String>, data: String) -> Result<Self, String> {
        match kind {
            "text" => Ok(JobSource::Text(data)),
            "url" => Ok(JobSource::Url(data)),
            "inline" => Ok(JobSource::Inline {
                data,
                filename: name.unwrap_or_default(),
            }),
            other => Err(format!("unknown source type {other:?}")),
        }
    }
}

/// What the status operation shows of a job.
#[derive(Debug, Clone, FromRow)]
pub struct JobView {
    pub public_id: String,
    pub agent_id: i64,
    pub status: String,
    pub stage: String,
    pub trip_id: Option<i64>,
    pub trip_slug: Option<String>,
    pub error: Option<String>,
    pub updated_at: i64,
}

/// A job a worker holds, with everything it needs to run it.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub public_id: String,
    pub account_id: i64,
    pub agent_id: i64,
    pub source: JobSource,
    pub is_template: bool,
    /// How many times a worker has claimed it, this claim included.
    pub attempts: i64,
}

impl FromRow<'_, AnyRow> for ClaimedJob {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let source = JobSource::from_columns(
            &row.try_get::<String, _>("source_type")?,
            row.try_get("source_name")?,
            row.try_get("source_data")?,
        )
        .map_err(|message| sqlx::Error::ColumnDecode {
            index: "source_type".into(),
            source: message.into(),
        })?;
        Ok(ClaimedJob {
            id: row.try_get("id")?,
            public_id: row.try_get("public_id")?,
            account_id: row.try_get("account_id")?,
            agent_id: row.try_get("agent_id")?,
            source,
            is_template: row.try_get::<i64, _>("is_template")? != 0,
            attempts: row.try_get("attempts")?,
        })
    }
}

/// A worker's hold on a job: its identity and how long each renewal lasts.
#[derive(Debug, Clone)]
pub struct Lease {
    pub owner: String,
    pub duration_micros: i64,
}

impl Lease {
    fn until(&self) -> i64 {
        now_micros() + self.duration_micros
    }
}

/// Stores a new job, processing and initializing, unclaimed.
pub async fn insert_job(
    conn: &mut AnyConnection,
    public_id: &str,
    account_id: i64,
    agent_id: i64,
    source: &JobSource,
    is_template: bool,
) -> Result<(), sqlx::Error> {
    let (kind, name, data) = source.columns();
    let now = now_micros();
    sqlx::query(
        "INSERT INTO mogu_ai_jobs (public_id, account_id, agent_id, status, stage, source_type, \
         source_name, source_data, is_template, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'initializing', $5, $6, $7, $8, $9, $9)",
    )
    .bind(public_id)
    .bind(account_id)
    .bind(agent_id)
    .bind(PROCESSING)
    .bind(kind)
    .bind(name)
    .bind(data)
    .bind(i64::from(is_template))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The job `public_id`, with its trip's slug once it has one.
pub async fn find_job(
    conn: &mut AnyConnection,
    public_id: &str,
) -> Result<Option<JobView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT j.public_id, j.agent_id, j.status, j.stage, j.trip_id, t.slug AS trip_slug, \
         j.error, j.updated_at \
         FROM mogu_ai_jobs j LEFT JOIN mogu_trips t ON t.id = j.trip_id \
         WHERE j.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(&mut *conn)
    .await
}

pub enum CancelOutcome {
    Canceled(JobView),
    NotCancelable,
    /// No such job, or another agent's: the caller cannot tell which.
    NotFound,
}

/// Cancels the job if `agent_id` created it and it is still processing; its worker notices
/// at its next write and stops without creating the trip.
pub async fn cancel_job(
    conn: &mut AnyConnection,
    public_id: &str,
    agent_id: i64,
) -> Result<CancelOutcome, sqlx::Error> {
    let canceled = sqlx::query(
        "UPDATE mogu_ai_jobs SET status = $1, lease_owner = NULL, lease_until = NULL, \
         source_data = '', updated_at = $2 \
         WHERE public_id = $3 AND agent_id = $4 AND status = $5",
    )
    .bind(CANCELED)
    .bind(now_micros())
    .bind(public_id)
    .bind(agent_id)
    .bind(PROCESSING)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    Ok(match find_job(conn, public_id).await? {
        Some(job) if job.agent_id != agent_id => CancelOutcome::NotFound,
        Some(job) if canceled => CancelOutcome::Canceled(job),
        Some(_) => CancelOutcome::NotCancelable,
        None => CancelOutcome::NotFound,
    })
}

const CLAIMABLE: &str = "status = 'processing' AND (lease_until IS NULL OR lease_until < $1)";

/// Claims the oldest job that no live worker holds. The candidate is read first so that an
/// idle worker never writes; the UPDATE repeats the condition, so of several workers racing
/// for one job exactly one gets it (PostgreSQL re-checks the row after the winner's commit;
/// SQLite runs one writer at a time).
pub async fn claim_job(
    conn: &mut AnyConnection,
    lease: &Lease,
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    let now = now_micros();
    let candidate: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM mogu_ai_jobs WHERE {CLAIMABLE} ORDER BY created_at, id LIMIT 1"
    ))
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id,)) = candidate else {
        return Ok(None);
    };
    sqlx::query_as(&format!(
        "UPDATE mogu_ai_jobs SET lease_owner = $2, lease_until = $3, attempts = attempts + 1 \
         WHERE id = $4 AND {CLAIMABLE} \
         RETURNING id, public_id, account_id, agent_id, source_type, source_name, source_data, \
         is_template, attempts"
    ))
    .bind(now)
    .bind(&lease.owner)
    .bind(lease.until())
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

#[derive(Iden, Clone, Copy)]
enum MoguAiJobs {
    Table,
    Id,
    Status,
    Stage,
    TripId,
    Error,
    SourceData,
    LeaseOwner,
    LeaseUntil,
    UpdatedAt,
}

/// Writes `values` to job `job_id` if `lease` still holds it (and it is still processing);
/// `false` when it does not, and nothing is written.
async fn write_held(
    conn: &mut AnyConnection,
    job_id: i64,
    lease: &Lease,
    values: Vec<(MoguAiJobs, SimpleExpr)>,
) -> Result<bool, sqlx::Error> {
    let update = Query::update()
        .table(MoguAiJobs::Table)
        .values(values)
        .and_where(Expr::col(MoguAiJobs::Id).eq(job_id))
        .and_where(Expr::col(MoguAiJobs::LeaseOwner).eq(lease.owner.as_str()))
        .and_where(Expr::col(MoguAiJobs::Status).eq(PROCESSING))
        .to_owned();
    let (sql, values) = build(&update);
    let done = query_with(&sql, values).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// The values that end a job: its status, the lease released, the document dropped (it can
/// be megabytes and is never read again), the time.
fn ending(status: &str) -> Vec<(MoguAiJobs, SimpleExpr)> {
    vec![
        (MoguAiJobs::Status, status.into()),
        (MoguAiJobs::SourceData, "".into()),
        (MoguAiJobs::LeaseOwner, Option::<String>::None.into()),
        (MoguAiJobs::LeaseUntil, Option::<i64>::None.into()),
        (MoguAiJobs::UpdatedAt, now_micros().into()),
    ]
}

/// Moves the held job to `stage` and renews the lease; `false` when the job is no longer
/// this worker's to run.
pub async fn enter_stage(
    conn: &mut AnyConnection,
    job_id: i64,
    lease: &Lease,
    stage: &str,
) -> Result<bool, sqlx::Error> {
    let values = vec![
        (MoguAiJobs::Stage, stage.into()),
        (MoguAiJobs::UpdatedAt, now_micros().into()),
        (MoguAiJobs::LeaseUntil, lease.until().into()),
    ];
    write_held(conn, job_id, lease, values).await
}

/// Extends the lease of a job still held; `false` when it is no longer this worker's.
pub async fn renew_lease(
    conn: &mut AnyConnection,
    job_id: i64,
    lease: &Lease,
) -> Result<bool, sqlx::Error> {
    let values = vec![(MoguAiJobs::LeaseUntil, lease.until().into())];
    write_held(conn, job_id, lease, values).await
}

/// Ends the held job with an error the status operation shows.
pub async fn fail_job(
    conn: &mut AnyConnection,
    job_id: i64,
    lease: &Lease,
    message: &str,
) -> Result<bool, sqlx::Error> {
    let mut values = ending(FAILED);
    values.push((MoguAiJobs::Error, message.into()));
    write_held(conn, job_id, lease, values).await
}

/// Inside the caller's transaction (which has just created the trip): marks the held job
/// completed with `trip_id`. `false` when the job is no longer this worker's, in which case
/// the caller must roll back.
pub async fn complete_job_in(
    tx: &mut AnyConnection,
    job_id: i64,
    lease: &Lease,
    trip_id: i64,
) -> Result<bool, sqlx::Error> {
    let mut values = ending(COMPLETED);
    values.push((MoguAiJobs::Stage, COMPLETED.into()));
    values.push((MoguAiJobs::TripId, trip_id.into()));
    write_held(tx, job_id, lease, values).await
}

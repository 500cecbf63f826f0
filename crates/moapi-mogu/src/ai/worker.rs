//! The import worker every server runs. It claims one job at a time from the database under a
//! short lease, renews the lease while it works, moves the job through its stages
//! (initializing, extractingText, generatingBlocks) and creates the trip and its config in the
//! transaction that completes the job. A worker that dies leaves its lease to expire, and any
//! node's worker takes the job up again; a job cancelled meanwhile stops at the next write.

use std::convert::Infallible;
use std::time::Duration;

use moapi_core::outbound::Outbound;
use moapi_core::AppState;
use tracing::Instrument;

use super::extract::TripDraft;
use super::store::{self, ClaimedJob, Lease};
use super::{blocks, extract, model, source};
use crate::trip;
use crate::trip::store::NewTrip;

/// A job claimed this many times without finishing (its worker died each time) fails.
const MAX_ATTEMPTS: i64 = 5;
/// Slug and join-code collisions retried before the completion gives up.
const INSERT_ATTEMPTS: u32 = 3;

/// Why a job's run stopped before completing.
enum Stop {
    /// Cancelled, or taken over by another worker: nothing more to write.
    Lost,
    /// The document could not become a trip: the job ends with this message.
    Failed(String),
    /// The database failed: the lease will expire and the job run again.
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Stop {
    fn from(err: sqlx::Error) -> Self {
        Stop::Database(err)
    }
}

/// Runs jobs until the server stops (dropping this future abandons the job in hand).
pub async fn run(state: AppState) -> Infallible {
    let config = &state.config.ai;
    let lease = Lease {
        owner: uuid::Uuid::new_v4().to_string(),
        duration_micros: i64::try_from(config.job_lease.as_micros()).unwrap_or(i64::MAX),
    };
    loop {
        let claimed = async { store::claim_job(state.db.conn().get().await?, &lease).await };
        match claimed.await {
            Ok(Some(job)) => process(&state, &lease, job).await,
            Ok(None) => tokio::time::sleep(config.poll_interval).await,
            Err(err) => {
                tracing::warn!(error = %err, "AI import worker could not claim a job");
                tokio::time::sleep(config.poll_interval).await;
            }
        }
    }
}

async fn process(state: &AppState, lease: &Lease, job: ClaimedJob) {
    let span = tracing::info_span!("ai_job", job = %job.public_id, attempt = job.attempts);
    process_in_span(state, lease, job).instrument(span).await
}

async fn process_in_span(state: &AppState, lease: &Lease, job: ClaimedJob) {
    let outcome = if job.attempts > MAX_ATTEMPTS {
        Err(Stop::Failed(format!(
            "the import stopped {MAX_ATTEMPTS} times without finishing"
        )))
    } else {
        tokio::select! {
            outcome = run_job(state, lease, &job) => outcome,
            lost = hold_lease(state, lease, job.id) => lost,
        }
    };
    match outcome {
        Ok(()) => tracing::info!("AI import completed"),
        Err(Stop::Lost) => tracing::info!("AI import canceled or taken over"),
        Err(Stop::Failed(message)) => {
            tracing::info!(error = %message, "AI import failed");
            let failed = async {
                let mut db = state.db.conn();
                store::fail_job(db.get().await?, job.id, lease, &message).await
            };
            if let Err(err) = failed.await {
                tracing::warn!(error = %err, "AI import failure could not be recorded");
            }
        }
        Err(Stop::Database(err)) => {
            tracing::warn!(error = %err, "AI import interrupted; it runs again when its lease expires");
        }
    }
}

/// Renews the lease at a third of its length until it is lost; never returns `Ok`.
async fn hold_lease(state: &AppState, lease: &Lease, job_id: i64) -> Result<(), Stop> {
    let every = Duration::from_micros((lease.duration_micros / 3).max(1) as u64);
    loop {
        tokio::time::sleep(every).await;
        let mut db = state.db.conn();
        if !store::renew_lease(db.get().await?, job_id, lease).await? {
            return Err(Stop::Lost);
        }
    }
}

async fn enter(state: &AppState, lease: &Lease, job: &ClaimedJob, stage: &str) -> Result<(), Stop> {
    let mut db = state.db.conn();
    if !store::enter_stage(db.get().await?, job.id, lease, stage).await? {
        return Err(Stop::Lost);
    }
    db.release();
    let delay = state.config.ai.stage_delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    Ok(())
}

async fn run_job(state: &AppState, lease: &Lease, job: &ClaimedJob) -> Result<(), Stop> {
    enter(state, lease, job, "initializing").await?;
    enter(state, lease, job, "extractingText").await?;
    let outbound = Outbound::new(&state.config.outbound);
    let (format, bytes) = source::load(&job.source, &outbound)
        .await
        .map_err(Stop::Failed)?;
    let text = source::text_of(format, bytes).await.map_err(Stop::Failed)?;
    enter(state, lease, job, "generatingBlocks").await?;
    let config = &state.config.ai;
    let draft = match &config.endpoint {
        Some(endpoint) => model::draft(config, endpoint, &text).await,
        None => extract::draft(&text),
    }
    .map_err(Stop::Failed)?;
    complete(state, lease, job, &draft).await
}

fn midnight_micros(date: chrono::NaiveDate) -> i64 {
    date.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp_micros()
}

fn new_trip(job: &ClaimedJob, draft: &TripDraft) -> NewTrip {
    NewTrip {
        title: draft.title.clone(),
        duration: Some(draft.duration()),
        date_start: draft.date_start().map(midnight_micros),
        date_finish: draft.date_finish().map(midnight_micros),
        countries: draft.countries.clone(),
        is_template: job.is_template,
        ..NewTrip::default()
    }
}

/// Creates the trip and its config and completes the job, all in one transaction, which is
/// rolled back if the job is no longer this worker's.
async fn complete(
    state: &AppState,
    lease: &Lease,
    job: &ClaimedJob,
    draft: &TripDraft,
) -> Result<(), Stop> {
    let trip = new_trip(job, draft);
    let mut attempt = 1;
    let mut db = state.db.conn();
    loop {
        let mut tx = db.begin().await?;
        let trip_id =
            match trip::store::insert_trip_in(&mut tx, job.account_id, job.agent_id, &trip).await {
                Ok(trip_id) => trip_id,
                Err(err) if attempt < INSERT_ATTEMPTS && trip::store::is_unique_violation(&err) => {
                    attempt += 1;
                    continue;
                }
                Err(err) => return Err(err.into()),
            };
        blocks::save_in(&mut tx, trip_id, draft)
            .await?
            .map_err(Stop::Failed)?;
        if !store::complete_job_in(&mut tx, job.id, lease, trip_id).await? {
            tx.rollback().await?;
            return Err(Stop::Lost);
        }
        tx.commit().await?;
        return Ok(());
    }
}

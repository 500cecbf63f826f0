//! The delivery engine every node runs. Fan-out turns committed outbox events into one job per
//! (event, matching webhook), idempotently (the job's delivery ID is derived from both), behind
//! a cursor row that one node holds at a time. Workers claim due jobs under a lease with the
//! conditions in the UPDATE itself, so two nodes never hold the same job; they send, record
//! each attempt in the delivery log and finish the job or schedule its retry. Everything the
//! nodes share lives in the database: a node that dies leaves leases that expire, and its jobs
//! are sent again by whichever node claims them next (at-least-once).

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use moapi_core::db::{Backend, Conn};
use moapi_core::secret_box::SecretBox;
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdCodec, IdKind};
use rand::Rng;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use tokio::sync::{mpsc, Notify, Semaphore};

use super::delivery;
use super::send::{Attempt, Message, Sender, Target};

/// Outbox rows read per fan-out transaction.
const FAN_OUT_BATCH: i64 = 1000;
/// Results written per transaction.
const RECORD_BATCH: usize = 256;
/// An outbox row ID passed over while invisible is looked for this long (PostgreSQL hands out
/// IDs before commit; a transaction still open after this was rolled back or is not one of ours).
const GAP_GRACE_MICROS: i64 = 5 * 60 * 1_000_000;
/// Larger holes in the ID sequence are not tracked ID by ID (a sequence jump, not open writes).
const MAX_TRACKED_GAP: i64 = 10_000;
/// Delivery logs and finished jobs are kept this long (the vendor keeps logs 15 days).
pub const RETENTION_MICROS: i64 = 15 * 24 * 3600 * 1_000_000;
const PURGE_EVERY: Duration = Duration::from_secs(60);
const MINUTE_MICROS: i64 = 60 * 1_000_000;
const DAY_MICROS: i64 = 24 * 3600 * 1_000_000;

/// What a job is: fanned out from an event, or sent on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Event,
    Test,
    Redelivery,
}

impl JobKind {
    pub fn name(self) -> &'static str {
        match self {
            JobKind::Event => "EVENT",
            JobKind::Test => "TEST",
            JobKind::Redelivery => "REDELIVERY",
        }
    }
}

/// A job held under a lease.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub webhook_id: i64,
    pub client_id: i64,
    pub delivery_uid: String,
    pub kind: String,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

impl Job {
    pub fn message(&self) -> Message<'_> {
        Message {
            delivery_uid: &self.delivery_uid,
            event_type: &self.event_type,
            body: &self.payload,
        }
    }
}

/// How one claimed job ended this time.
pub struct Outcome {
    pub job: Job,
    /// `None`: nothing was sent, the webhook was deleted or deactivated since.
    pub attempt: Option<Attempt>,
}

/// The retry policy of a node.
#[derive(Debug, Clone)]
pub struct Retries {
    pub schedule: Vec<Duration>,
}

impl Retries {
    /// When attempt number `made` (1 for the first) failed, the time of the next one, or `None`
    /// when retries are used up. Each delay gets up to a fifth more, at random, so receivers
    /// that failed together are not retried together.
    pub fn next_attempt(&self, made: i64, now: i64) -> Option<i64> {
        let delay = self.schedule.get(usize::try_from(made - 1).ok()?)?;
        let micros = i64::try_from(delay.as_micros()).unwrap_or(i64::MAX / 2);
        let jitter = rand::thread_rng().gen_range(0..=micros / 5);
        Some(now.saturating_add(micros).saturating_add(jitter))
    }
}

/// The X-Moe-Delivery-ID of an event's delivery to a webhook: a UUID derived from both, so a
/// fan-out repeated after a crash makes no second job.
pub fn delivery_uid(event_id: &str, webhook_id: i64) -> String {
    let digest = Sha256::digest(format!("{event_id}/{webhook_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Runs the engine until the server stops (dropping it abandons claimed jobs to their leases).
pub async fn run(state: AppState) -> Infallible {
    let engine = Arc::new(Engine {
        sender: Sender::new(&state),
        owner: format!("node-{}", uuid::Uuid::new_v4()),
        retries: Retries {
            schedule: state.config.webhooks.retry_schedule.clone(),
        },
        wake: Notify::new(),
        state,
    });
    // Each result carries its delivery slot until it is recorded: sending never runs further
    // ahead of the log than the concurrency allows, which bounds what a crash sends twice.
    let (results, received) = mpsc::unbounded_channel();
    tokio::select! {
        never = fan_out_loop(engine.clone()) => never,
        never = deliver_loop(engine.clone(), results) => never,
        never = record_loop(engine.clone(), received) => never,
        never = purge_loop(engine) => never,
    }
}

struct Engine {
    state: AppState,
    sender: Sender,
    /// This node's name on the leases it takes.
    owner: String,
    retries: Retries,
    /// Fan-out made jobs: the delivery loop looks at once instead of at its next poll.
    wake: Notify,
}

async fn fan_out_loop(engine: Arc<Engine>) -> Infallible {
    let poll = engine.state.config.webhooks.poll_interval;
    loop {
        match fan_out(&engine.state).await {
            Ok(0) => tokio::time::sleep(poll).await,
            Ok(_) => engine.wake.notify_one(),
            Err(err) => {
                tracing::warn!(error = %err, "webhook fan-out failed");
                tokio::time::sleep(poll).await;
            }
        }
    }
}

type Slot = tokio::sync::OwnedSemaphorePermit;

async fn deliver_loop(
    engine: Arc<Engine>,
    results: mpsc::UnboundedSender<(Outcome, Slot)>,
) -> Infallible {
    let config = &engine.state.config.webhooks;
    let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
    loop {
        // Wait for a free slot, then claim as many jobs as there are free slots.
        drop(slots.clone().acquire_owned().await);
        let free = slots.available_permits();
        let jobs = match claim(&engine.state, &engine.owner, free).await {
            Ok(jobs) => jobs,
            Err(err) => {
                tracing::warn!(error = %err, "webhook workers could not claim deliveries");
                tokio::time::sleep(config.poll_interval).await;
                continue;
            }
        };
        if jobs.is_empty() {
            tokio::select! {
                _ = engine.wake.notified() => {}
                _ = tokio::time::sleep(config.poll_interval) => {}
            }
            continue;
        }
        let targets = match load_targets(&engine.state, &jobs).await {
            Ok(targets) => targets,
            Err(err) => {
                // The leases expire and the jobs are claimed again.
                tracing::warn!(error = %err, "webhook workers could not read webhooks");
                tokio::time::sleep(config.poll_interval).await;
                continue;
            }
        };
        for job in jobs {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                continue;
            };
            let target = targets.get(&job.webhook_id).cloned().flatten();
            let engine = engine.clone();
            let results = results.clone();
            tokio::spawn(async move {
                let attempt = match target.filter(|target| target.is_active) {
                    Some(target) => Some(engine.sender.send(&target, job.message()).await),
                    None => None,
                };
                let _ = results.send((Outcome { job, attempt }, permit));
            });
        }
    }
}

async fn load_targets(
    state: &AppState,
    jobs: &[Job],
) -> Result<HashMap<i64, Option<Target>>, sqlx::Error> {
    let mut db = state.db.conn();
    let conn = db.get().await?;
    let mut targets = HashMap::new();
    for webhook_id in jobs
        .iter()
        .map(|job| job.webhook_id)
        .collect::<BTreeSet<_>>()
    {
        targets.insert(
            webhook_id,
            Target::load(conn, &state.secrets, webhook_id).await?,
        );
    }
    Ok(targets)
}

async fn record_loop(
    engine: Arc<Engine>,
    mut received: mpsc::UnboundedReceiver<(Outcome, Slot)>,
) -> Infallible {
    loop {
        let Some(first) = received.recv().await else {
            return std::future::pending().await;
        };
        let (mut batch, mut slots) = (Vec::new(), Vec::new());
        let mut next = Some(first);
        while let Some((outcome, slot)) = next {
            batch.push(outcome);
            slots.push(slot);
            next = (batch.len() < RECORD_BATCH)
                .then(|| received.try_recv().ok())
                .flatten();
        }
        let mut db = engine.state.db.conn();
        let recorded = record(
            &mut db,
            &engine.state.secrets,
            &engine.owner,
            &engine.retries,
            &batch,
        )
        .await;
        if let Err(err) = recorded {
            // The jobs stay leased; once the leases expire they are sent again.
            tracing::warn!(error = %err, count = batch.len(), "webhook attempts could not be recorded");
        }
    }
}

async fn purge_loop(engine: Arc<Engine>) -> Infallible {
    loop {
        if let Err(err) = purge(&engine.state, now_micros()).await {
            tracing::warn!(error = %err, "old webhook deliveries could not be purged");
        }
        tokio::time::sleep(PURGE_EVERY).await;
    }
}

/// Deletes delivery logs and finished jobs older than the retention, and old usage counts.
pub async fn purge(state: &AppState, now: i64) -> Result<(), sqlx::Error> {
    let cutoff = now - RETENTION_MICROS;
    let mut db = state.db.conn();
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM moego_webhook_deliveries WHERE delivered_at < $1")
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM moego_webhook_jobs WHERE state <> 'PENDING' AND finished_at < $1")
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM moego_webhook_usage WHERE window_start < $1")
        .bind(now - 2 * DAY_MICROS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------------
// Fan-out

/// A subscription as matching needs it.
struct Subscription {
    id: i64,
    client_id: i64,
    event_types: Vec<String>,
    organizations: Vec<Organization>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Organization {
    Company(i64),
    Business(i64),
    /// The whole organization: every company of the client.
    Enterprise,
}

fn organizations(json: &str) -> Vec<Organization> {
    let items: Vec<Value> = serde_json::from_str(json).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let id = match &item["id"] {
                Value::Number(number) => number.as_i64(),
                Value::String(text) => text.parse().ok(),
                _ => None,
            };
            match (item["type"].as_str()?, id) {
                ("COMPANY", Some(id)) => Some(Organization::Company(id)),
                ("BUSINESS", Some(id)) => Some(Organization::Business(id)),
                ("ENTERPRISE", _) => Some(Organization::Enterprise),
                _ => None,
            }
        })
        .collect()
}

/// An outbox event being fanned out.
#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    event_id: String,
    product: String,
    tenant_id: i64,
    event_type: String,
    payload: String,
}

/// The business an event's payload names (`businessId` of its payload object), if any.
fn business_of(ids: &IdCodec, payload: &Value) -> Option<i64> {
    payload.as_object()?.values().find_map(|value| {
        let business = value.get("businessId")?.as_str()?;
        ids.decode(IdKind::Business, business).ok()
    })
}

impl Subscription {
    fn matches(&self, event_type: &str, company: (i64, i64), business: Option<i64>) -> bool {
        let (company_id, client_id) = company;
        self.client_id == client_id
            && self.event_types.iter().any(|wanted| wanted == event_type)
            && (self.organizations.is_empty()
                || self
                    .organizations
                    .iter()
                    .any(|organization| match organization {
                        Organization::Company(id) => *id == company_id,
                        Organization::Business(id) => Some(*id) == business,
                        Organization::Enterprise => true,
                    }))
    }
}

/// Whether fan-out has anything to read: new outbox rows or remembered gaps. A read, so an
/// idle node polls without writing.
async fn fan_out_due(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let due: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 WHERE EXISTS (SELECT 1 FROM outbox_events WHERE id > \
         (SELECT last_event_row FROM moego_webhook_fanout WHERE id = 1)) \
         OR EXISTS (SELECT 1 FROM moego_webhook_fanout_gaps)",
    )
    .fetch_optional(conn)
    .await?;
    Ok(due.is_some())
}

/// Fans out the next batch of committed events; returns how many were read.
pub async fn fan_out(state: &AppState) -> Result<usize, sqlx::Error> {
    let mut db = state.db.conn();
    if !fan_out_due(db.get().await?).await? {
        return Ok(0);
    }
    let _gate = db.write_gate().await;
    let now = now_micros();
    let mut tx = db.begin().await?;
    // Writing the cursor row first locks it: fan-out runs on one node at a time.
    let (cursor,): (i64,) = sqlx::query_as(
        "UPDATE moego_webhook_fanout SET last_event_row = last_event_row WHERE id = 1 \
         RETURNING last_event_row",
    )
    .fetch_one(&mut *tx)
    .await?;
    let fresh: Vec<OutboxRow> = sqlx::query_as(
        "SELECT id, event_id, product, tenant_id, event_type, payload FROM outbox_events \
         WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(cursor)
    .bind(FAN_OUT_BATCH)
    .fetch_all(&mut *tx)
    .await?;
    let late: Vec<OutboxRow> = sqlx::query_as(
        "SELECT e.id, e.event_id, e.product, e.tenant_id, e.event_type, e.payload \
         FROM outbox_events e JOIN moego_webhook_fanout_gaps g ON g.event_row = e.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    if fresh.is_empty() && late.is_empty() {
        sqlx::query("DELETE FROM moego_webhook_fanout_gaps WHERE noticed_at < $1")
            .bind(now - GAP_GRACE_MICROS)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(0);
    }
    let subscriptions = subscriptions(&mut tx).await?;
    let mut companies: HashMap<i64, Option<i64>> = HashMap::new();
    for event in fresh.iter().chain(&late) {
        if event.product != "moego" {
            continue;
        }
        let client_id = match companies.get(&event.tenant_id) {
            Some(client_id) => *client_id,
            None => {
                let client_id: Option<(i64,)> =
                    sqlx::query_as("SELECT client_id FROM moego_companies WHERE id = $1")
                        .bind(event.tenant_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let client_id = client_id.map(|(id,)| id);
                companies.insert(event.tenant_id, client_id);
                client_id
            }
        };
        let Some(client_id) = client_id else { continue };
        let payload: Value = serde_json::from_str(&event.payload).unwrap_or(Value::Null);
        let business = business_of(&state.ids, &payload);
        for subscription in &subscriptions {
            if subscription.matches(&event.event_type, (event.tenant_id, client_id), business) {
                insert_job(&mut tx, subscription, event, now).await?;
            }
        }
    }
    for event in &late {
        sqlx::query("DELETE FROM moego_webhook_fanout_gaps WHERE event_row = $1")
            .bind(event.id)
            .execute(&mut *tx)
            .await?;
    }
    let mut expected = cursor + 1;
    for event in &fresh {
        if event.id - expected <= MAX_TRACKED_GAP {
            for missing in expected..event.id {
                sqlx::query(
                    "INSERT INTO moego_webhook_fanout_gaps (event_row, noticed_at) VALUES ($1, $2) \
                     ON CONFLICT (event_row) DO NOTHING",
                )
                .bind(missing)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        expected = event.id + 1;
    }
    sqlx::query("DELETE FROM moego_webhook_fanout_gaps WHERE noticed_at < $1")
        .bind(now - GAP_GRACE_MICROS)
        .execute(&mut *tx)
        .await?;
    if let Some(last) = fresh.last() {
        sqlx::query("UPDATE moego_webhook_fanout SET last_event_row = $1 WHERE id = 1")
            .bind(last.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(fresh.len() + late.len())
}

async fn subscriptions(conn: &mut AnyConnection) -> Result<Vec<Subscription>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT id, client_id, event_types, organizations FROM moego_webhooks WHERE is_active = 1",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, client_id, event_types, organizations_json)| Subscription {
                id,
                client_id,
                event_types: serde_json::from_str(&event_types).unwrap_or_default(),
                organizations: organizations(&organizations_json),
            },
        )
        .collect())
}

async fn insert_job(
    conn: &mut AnyConnection,
    subscription: &Subscription,
    event: &OutboxRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO moego_webhook_jobs (webhook_id, client_id, delivery_uid, kind, event_id, \
         event_type, payload, state, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, 'EVENT', $4, $5, $6, 'PENDING', 0, $7, $7) \
         ON CONFLICT (delivery_uid) DO NOTHING",
    )
    .bind(subscription.id)
    .bind(subscription.client_id)
    .bind(delivery_uid(&event.event_id, subscription.id))
    .bind(&event.event_id)
    .bind(&event.event_type)
    .bind(&event.payload)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Claiming, limits, recording

const DUE: &str =
    "state = 'PENDING' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until < $3)";
const JOB_COLUMNS: &str =
    "id, webhook_id, client_id, delivery_uid, kind, event_id, event_type, payload, attempts";

/// Claims up to `limit` due jobs for `owner`. The due conditions are repeated in the UPDATE's
/// own WHERE, so of two nodes that picked the same job only one updates it (PostgreSQL
/// re-checks them on the row it locked); PostgreSQL also skips rows another node is claiming.
/// Jobs beyond their webhook's per-minute or per-day limit are handed back, due when the
/// window that has room begins.
pub async fn claim(state: &AppState, owner: &str, limit: usize) -> Result<Vec<Job>, sqlx::Error> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let config = &state.config.webhooks;
    let skip_locked = match state.db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    // A read first, so an idle node polls without writing.
    let mut db = state.db.conn();
    let due: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT 1 FROM moego_webhook_jobs WHERE {} LIMIT 1",
        DUE.replace("$3", "$1")
    ))
    .bind(now_micros())
    .fetch_optional(db.get().await?)
    .await?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let _gate = db.write_gate().await;
    let now = now_micros();
    let lease_until = now + i64::try_from(config.lease.as_micros()).unwrap_or(i64::MAX / 4);
    let mut tx = db.begin().await?;
    let mut jobs: Vec<Job> = sqlx::query_as(&format!(
        "UPDATE moego_webhook_jobs SET lease_owner = $1, lease_until = $2 \
         WHERE id IN (SELECT id FROM moego_webhook_jobs WHERE {DUE} \
         ORDER BY next_attempt_at, id LIMIT $4{skip_locked}) AND {DUE} \
         RETURNING {JOB_COLUMNS}"
    ))
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&mut *tx)
    .await?;
    jobs.sort_by_key(|job| job.id);
    let mut per_webhook: HashMap<i64, Vec<i64>> = HashMap::new();
    for job in &jobs {
        per_webhook.entry(job.webhook_id).or_default().push(job.id);
    }
    let mut delayed = Vec::new();
    for (webhook_id, job_ids) in per_webhook {
        let wanted = job_ids.len() as i64;
        let mut allowed = wanted;
        let mut resume_at = now;
        for (kind, length, limit) in [
            ("MINUTE", MINUTE_MICROS, config.per_minute_limit),
            ("DAY", DAY_MICROS, config.per_day_limit),
        ] {
            let start = now - now.rem_euclid(length);
            let (sent,): (i64,) = sqlx::query_as(
                "INSERT INTO moego_webhook_usage (webhook_id, window_kind, window_start, sent) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (webhook_id, window_kind, window_start) \
                 DO UPDATE SET sent = moego_webhook_usage.sent + excluded.sent RETURNING sent",
            )
            .bind(webhook_id)
            .bind(kind)
            .bind(start)
            .bind(wanted)
            .fetch_one(&mut *tx)
            .await?;
            let room = (limit - (sent - wanted)).clamp(0, wanted);
            if room < allowed {
                allowed = room;
                resume_at = resume_at.max(start + length);
            }
        }
        let excess = wanted - allowed;
        if excess == 0 {
            continue;
        }
        // The delayed jobs were counted above; they will be counted when they are sent.
        for (kind, length) in [("MINUTE", MINUTE_MICROS), ("DAY", DAY_MICROS)] {
            sqlx::query(
                "UPDATE moego_webhook_usage SET sent = sent - $1 \
                 WHERE webhook_id = $2 AND window_kind = $3 AND window_start = $4",
            )
            .bind(excess)
            .bind(webhook_id)
            .bind(kind)
            .bind(now - now.rem_euclid(length))
            .execute(&mut *tx)
            .await?;
        }
        for job_id in &job_ids[usize::try_from(allowed).unwrap_or(0)..] {
            sqlx::query(
                "UPDATE moego_webhook_jobs SET lease_owner = NULL, lease_until = NULL, \
                 next_attempt_at = $1 WHERE id = $2",
            )
            .bind(resume_at)
            .bind(job_id)
            .execute(&mut *tx)
            .await?;
            delayed.push(*job_id);
        }
    }
    tx.commit().await?;
    jobs.retain(|job| !delayed.contains(&job.id));
    Ok(jobs)
}

/// Records outcomes: each attempt in the delivery log, and each job done, failed or due again.
/// A job whose lease `owner` lost meanwhile keeps its state (its attempt is still logged).
/// Returns the log IDs of the attempts, in order.
pub async fn record(
    db: &mut Conn,
    secrets: &SecretBox,
    owner: &str,
    retries: &Retries,
    outcomes: &[Outcome],
) -> Result<Vec<Option<i64>>, sqlx::Error> {
    let _gate = db.write_gate().await;
    let now = now_micros();
    let mut tx = db.begin().await?;
    let mut logged = Vec::with_capacity(outcomes.len());
    for Outcome { job, attempt } in outcomes {
        let made = job.attempts + 1;
        let (state_name, next_attempt_at) = match attempt {
            Some(attempt) if attempt.success => ("DONE", None),
            Some(_) if job.kind == JobKind::Event.name() => match retries.next_attempt(made, now) {
                Some(at) => ("PENDING", Some(at)),
                None => ("FAILED", None),
            },
            _ => ("FAILED", None),
        };
        logged.push(match attempt {
            Some(attempt) => Some(delivery::insert(&mut tx, secrets, job, attempt).await?),
            None => None,
        });
        sqlx::query(
            "UPDATE moego_webhook_jobs SET state = $1, attempts = $2, \
             next_attempt_at = COALESCE($3, next_attempt_at), lease_owner = NULL, \
             lease_until = NULL, finished_at = $4 WHERE id = $5 AND lease_owner = $6",
        )
        .bind(state_name)
        .bind(made)
        .bind(next_attempt_at)
        .bind((state_name != "PENDING").then_some(now))
        .bind(job.id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(logged)
}

/// Creates a job sent at once by the request that creates it (a test delivery, a
/// redelivery): it is leased to `owner` from the start, so no worker takes it unless the
/// request's node dies first.
pub async fn insert_leased_job(
    conn: &mut AnyConnection,
    state: &AppState,
    owner: &str,
    kind: JobKind,
    target: &Target,
    event: (&str, &str, &str),
) -> Result<Job, sqlx::Error> {
    let (event_id, event_type, payload) = event;
    let now = now_micros();
    let lease_until =
        now + i64::try_from(state.config.webhooks.lease.as_micros()).unwrap_or(i64::MAX / 4);
    sqlx::query_as(&format!(
        "INSERT INTO moego_webhook_jobs (webhook_id, client_id, delivery_uid, kind, event_id, \
         event_type, payload, state, attempts, next_attempt_at, lease_owner, lease_until, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', 0, $8, $9, $10, $8) \
         RETURNING {JOB_COLUMNS}"
    ))
    .bind(target.webhook_id)
    .bind(target.client_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(kind.name())
    .bind(event_id)
    .bind(event_type)
    .bind(payload)
    .bind(now)
    .bind(owner)
    .bind(lease_until)
    .fetch_one(conn)
    .await
}

/// Sends a job created by [`insert_leased_job`] now and records it; returns its log ID. The
/// connection is given back while the receiver answers.
pub async fn send_now(
    state: &AppState,
    db: &mut Conn,
    owner: &str,
    target: &Target,
    job: Job,
) -> Result<i64, sqlx::Error> {
    db.release();
    let attempt = Sender::new(state).send(target, job.message()).await;
    let retries = Retries {
        schedule: Vec::new(),
    };
    let logged = record(
        db,
        &state.secrets,
        owner,
        &retries,
        &[Outcome {
            job,
            attempt: Some(attempt),
        }],
    )
    .await?;
    logged
        .into_iter()
        .flatten()
        .next()
        .ok_or(sqlx::Error::RowNotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_ids_are_stable_per_event_and_webhook() {
        let id = delivery_uid("evt_1", 7);
        assert_eq!(id, delivery_uid("evt_1", 7));
        assert_ne!(id, delivery_uid("evt_1", 8));
        assert_ne!(id, delivery_uid("evt_2", 7));
        assert!(uuid::Uuid::parse_str(&id).is_ok());
    }

    #[test]
    fn retries_follow_the_schedule_with_bounded_jitter() {
        let retries = Retries {
            schedule: [1, 10].map(Duration::from_secs).to_vec(),
        };
        let first = retries.next_attempt(1, 0).unwrap();
        assert!((1_000_000..=1_200_000).contains(&first), "{first}");
        let second = retries.next_attempt(2, 0).unwrap();
        assert!((10_000_000..=12_000_000).contains(&second), "{second}");
        assert_eq!(retries.next_attempt(3, 0), None);
    }

    #[test]
    fn organizations_match_by_company_business_or_whole_client() {
        let subscription = |organizations: &str| Subscription {
            id: 1,
            client_id: 9,
            event_types: vec!["PET_CREATED".into()],
            organizations: super::organizations(organizations),
        };
        let all = subscription("[]");
        assert!(all.matches("PET_CREATED", (3, 9), None));
        assert!(!all.matches("PET_UPDATED", (3, 9), None));
        assert!(
            !all.matches("PET_CREATED", (3, 10), None),
            "another client's company"
        );
        let company = subscription(r#"[{"id": 3, "type": "COMPANY"}]"#);
        assert!(company.matches("PET_CREATED", (3, 9), None));
        assert!(!company.matches("PET_CREATED", (4, 9), None));
        let business = subscription(r#"[{"id": "5", "type": "BUSINESS"}]"#);
        assert!(business.matches("PET_CREATED", (3, 9), Some(5)));
        assert!(!business.matches("PET_CREATED", (3, 9), Some(6)));
        assert!(!business.matches("PET_CREATED", (3, 9), None));
        let enterprise = subscription(r#"[{"id": "1", "type": "ENTERPRISE"}]"#);
        assert!(enterprise.matches("PET_CREATED", (4, 9), None));
    }
}

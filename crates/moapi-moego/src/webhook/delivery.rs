//! The delivery log (WebhookDelivery): one record per attempt, whoever made it (a worker, a
//! test delivery, a redelivery), and the four operations over it: trigger a test delivery, get
//! and list deliveries, redeliver one.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::Json;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::{Page, Pagination};
use moapi_core::secret_box::SecretBox;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sea_query::{Alias, Expr, Order, Query as Select};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::dispatch::{self, Job, JobKind};
use super::input::Reach;
use super::sealed;
use super::send::{Attempt, Target};
use super::wire::HeaderValues;
use super::{READ_SCOPE, WRITE_SCOPE};
use crate::event::EventType;
use crate::wire::{check_max_items, interval, Interval, PathId};

// ---------------------------------------------------------------------------------------------
// Wire

/// `v1WebhookDelivery`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1WebhookDelivery)]
pub struct WebhookDelivery {
    pub id: String,
    pub webhook_id: String,
    pub event_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub event_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub request_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub delivered_to: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub request_headers: BTreeMap<String, HeaderValues>,
    /// base64, as protojson writes bytes.
    #[serde(skip_serializing_if = "String::is_empty")]
    #[schema(format = Byte)]
    pub request_body: String,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i64")]
    #[schema(value_type = i32)]
    pub response_status: i64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub response_headers: BTreeMap<String, HeaderValues>,
    #[serde(skip_serializing_if = "String::is_empty")]
    #[schema(format = Byte)]
    pub response_body: String,
    #[schema(format = DateTime)]
    pub delivered_at: String,
    #[serde(
        skip_serializing_if = "crate::wire::is_zero_i64",
        with = "moapi_core::wire::int64"
    )]
    #[schema(value_type = String, format = Int64)]
    pub duration_ms: i64,
    #[serde(skip_serializing_if = "crate::wire::is_false")]
    pub success: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error: String,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i64")]
    #[schema(value_type = i32)]
    pub retry_count: i64,
    pub request_format: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub response_format: String,
}

/// `WebhookServiceTriggerTestWebhookDeliveryBody`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = WebhookServiceTriggerTestWebhookDeliveryBody)]
pub struct TriggerTestBody {
    #[serde(default, alias = "event_type")]
    pub event_type: Option<String>,
    /// base64 of the exact body to send instead of the ping event.
    #[serde(default)]
    #[schema(format = Byte)]
    pub payload: Option<String>,
}

/// `v1ListWebhookDeliveriesRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListWebhookDeliveriesRequest)]
pub struct ListWebhookDeliveriesRequest {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "webhook_id")]
    pub webhook_id: Option<String>,
    #[serde(default)]
    pub filter: Option<ListWebhookDeliveriesFilter>,
}

/// `v1ListWebhookDeliveriesRequestFilter`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListWebhookDeliveriesRequestFilter)]
pub struct ListWebhookDeliveriesFilter {
    #[serde(default, alias = "event_types")]
    pub event_types: Vec<String>,
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default, alias = "delivery_time")]
    pub delivery_time: Option<Interval>,
}

/// `v1ListWebhookDeliveriesResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListWebhookDeliveriesResponse)]
pub struct ListWebhookDeliveriesResponse {
    pub next_page_token: String,
    pub deliveries: Vec<WebhookDelivery>,
}

/// The redelivery's query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct RedeliverQuery {
    /// The webhook the delivery belongs to (whk_...).
    #[serde(default, alias = "webhook_id")]
    pub webhook_id: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Store

#[derive(Debug, sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    job_id: i64,
    webhook_id: i64,
    client_id: i64,
    event_type: String,
    event_id: String,
    request_url: String,
    delivered_to: String,
    request_headers: String,
    request_body: String,
    response_status: i64,
    response_headers: String,
    response_body: String,
    delivered_at: i64,
    duration_ms: i64,
    success: i64,
    error: String,
    retry_count: i64,
}

const DELIVERY_COLUMNS: [&str; 18] = [
    "id",
    "job_id",
    "webhook_id",
    "client_id",
    "event_type",
    "event_id",
    "request_url",
    "delivered_to",
    "request_headers",
    "request_body",
    "response_status",
    "response_headers",
    "response_body",
    "delivered_at",
    "duration_ms",
    "success",
    "error",
    "retry_count",
];

/// Whether a logged response was JSON, by its stored Content-Type.
fn response_is_json(headers: &BTreeMap<String, HeaderValues>) -> bool {
    headers.iter().any(|(name, values)| {
        name.eq_ignore_ascii_case("content-type")
            && values.values.iter().any(|value| value.contains("json"))
    })
}

impl DeliveryRow {
    /// The vendor's record, request headers opened (they hold the custom header values).
    fn to_wire(&self, state: &AppState) -> Result<WebhookDelivery, Status> {
        let request_headers = sealed::open(&state.secrets, &self.request_headers).map_err(|_| {
            Status::internal(format!(
                "the request headers of webhook delivery {} do not open with the configured secrets key",
                self.id
            ))
        })?;
        let response_headers: BTreeMap<String, HeaderValues> =
            serde_json::from_str(&self.response_headers).unwrap_or_default();
        Ok(WebhookDelivery {
            id: state.ids.encode(IdKind::WebhookDelivery, self.id),
            webhook_id: state.ids.encode(IdKind::Webhook, self.webhook_id),
            event_type: self.event_type.clone(),
            event_id: self.event_id.clone(),
            request_url: self.request_url.clone(),
            delivered_to: self.delivered_to.clone(),
            request_headers,
            request_body: self.request_body.clone(),
            response_status: self.response_status,
            response_format: if response_is_json(&response_headers) {
                "CONTENT_TYPE_JSON".to_string()
            } else {
                String::new()
            },
            response_headers,
            response_body: self.response_body.clone(),
            delivered_at: protojson_timestamp(self.delivered_at),
            duration_ms: self.duration_ms,
            success: self.success != 0,
            error: self.error.clone(),
            retry_count: self.retry_count,
            request_format: "CONTENT_TYPE_JSON".to_string(),
        })
    }
}

/// Appends one attempt of `job` to the log, its request headers sealed (they include the
/// webhook's custom header values); returns its ID.
pub async fn insert(
    conn: &mut AnyConnection,
    secrets: &SecretBox,
    job: &Job,
    attempt: &Attempt,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_webhook_deliveries (job_id, webhook_id, client_id, event_type, \
         event_id, request_url, delivered_to, request_headers, request_body, response_status, \
         response_headers, response_body, delivered_at, duration_ms, success, error, retry_count) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         RETURNING id",
    )
    .bind(job.id)
    .bind(job.webhook_id)
    .bind(job.client_id)
    .bind(&job.event_type)
    .bind(&job.event_id)
    .bind(&attempt.request_url)
    .bind(&attempt.delivered_to)
    .bind(sealed::seal(secrets, &attempt.request_headers))
    .bind(BASE64.encode(&attempt.request_body))
    .bind(i64::from(attempt.response_status))
    .bind(serde_json::to_string(&attempt.response_headers).unwrap_or_default())
    .bind(BASE64.encode(&attempt.response_body))
    .bind(attempt.started_at)
    .bind(attempt.duration_ms)
    .bind(i64::from(attempt.success))
    .bind(&attempt.error)
    .bind(job.attempts)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {} FROM moego_webhook_deliveries WHERE id = $1",
        DELIVERY_COLUMNS.join(", ")
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

struct ListQuery {
    webhook_id: i64,
    event_types: Vec<String>,
    success: Option<bool>,
    from: Option<i64>,
    until: Option<i64>,
}

/// Newest first.
async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    let column = |name: &str| Expr::col(Alias::new(name));
    let mut select = Select::select();
    select
        .columns(DELIVERY_COLUMNS.map(Alias::new))
        .from(Alias::new("moego_webhook_deliveries"))
        .and_where(column("webhook_id").eq(query.webhook_id))
        .order_by(Alias::new("delivered_at"), Order::Desc)
        .order_by(Alias::new("id"), Order::Desc)
        .limit(u64::try_from(page.fetch_limit()).unwrap_or(1))
        .offset(u64::try_from(page.offset()).unwrap_or(0));
    if !query.event_types.is_empty() {
        select.and_where(column("event_type").is_in(query.event_types.clone()));
    }
    if let Some(success) = query.success {
        select.and_where(column("success").eq(i64::from(success)));
    }
    if let Some(from) = query.from {
        select.and_where(column("delivered_at").gte(from));
    }
    if let Some(until) = query.until {
        select.and_where(column("delivered_at").lt(until));
    }
    let (sql, values) = moapi_core::db::build(&select);
    moapi_core::db::query_as_with(&sql, values)
        .fetch_all(conn)
        .await
}

async fn job_event(
    conn: &mut AnyConnection,
    job_id: i64,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT event_id, event_type, payload FROM moego_webhook_jobs WHERE id = $1")
        .bind(job_id)
        .fetch_optional(conn)
        .await
}

// ---------------------------------------------------------------------------------------------
// Handlers

fn decode(state: &AppState, kind: IdKind, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(kind, id.trim())
        .map_err(|_| Status::invalid_obfuscate())
}

/// The webhook `id` names, if the key reaches it (see `super::check_reach`).
async fn authorized_webhook(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Target, Status> {
    let reach = Reach::of(conn, principal).await?;
    let row = super::authorized_webhook(state, principal, &reach, conn, id).await?;
    Target::load(conn, &state.secrets, row.id)
        .await?
        .ok_or_else(|| Status::not_found("webhook not found"))
}

/// The delivery `id` names, if the key reaches its webhook; the log of a deleted webhook
/// stays its client's.
async fn authorized_delivery(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    id: &str,
) -> Result<DeliveryRow, Status> {
    let delivery_id = decode(state, IdKind::WebhookDelivery, id)?;
    let row = find(conn, delivery_id)
        .await?
        .ok_or_else(|| Status::not_found("webhook delivery not found"))?;
    if row.client_id != principal.client_id {
        return Err(Status::no_permission());
    }
    if let Some(webhook) = super::store::find(conn, row.webhook_id).await? {
        let reach = Reach::of(conn, principal).await?;
        super::check_reach(principal, &reach, &webhook)?;
    }
    Ok(row)
}

fn event_type(field: &str, name: &str) -> Result<EventType, Status> {
    EventType::from_name(name.trim()).ok_or_else(|| {
        Status::invalid_argument(format!("{field}: {name:?} is not a known event type"))
    })
}

/// Sends a new job for `target` at once and answers with its log record.
async fn send_and_show(
    state: &AppState,
    db: &mut Conn,
    target: &Target,
    kind: JobKind,
    event: (&str, &str, &str),
) -> Result<Json<WebhookDelivery>, Status> {
    let owner = format!("request-{}", uuid::Uuid::new_v4());
    let job = {
        let _gate = db.write_gate().await;
        dispatch::insert_leased_job(db.get().await?, state, &owner, kind, target, event).await?
    };
    let logged = dispatch::send_now(state, db, &owner, target, job).await?;
    let row = find(db.get().await?, logged)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    Ok(Json(row.to_wire(state)?))
}

/// Sends a test event to the webhook now (whatever its event types and even when inactive) and
/// answers with the delivery's log record; a failed test is not retried.
#[utoipa::path(post, path = "/v1/webhooks/{id}/test",
    operation_id = "WebhookService_TriggerTestWebhookDelivery",
    params(("id" = String, Path, description = "Webhook ID (whk_...)")),
    request_body = TriggerTestBody,
    responses((status = 200, body = WebhookDelivery), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn trigger_test_webhook_delivery(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<TriggerTestBody>,
) -> Result<Json<WebhookDelivery>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let event_type = match body.event_type.as_deref().map(str::trim) {
        None | Some("") | Some("TYPE_UNSPECIFIED") => EventType::HealthCheck,
        Some(name) => event_type("eventType", name)?,
    };
    let target = authorized_webhook(&state, &principal, db.get().await?, &id).await?;
    let event_id = state.ids.encode(
        IdKind::Event,
        (now_micros() << 8) | i64::from(rand::random::<u8>()),
    );
    let body = match body.payload.as_deref().map(str::trim) {
        None | Some("") => serde_json::json!({
            "id": event_id,
            "type": event_type.name(),
            "timestamp": protojson_timestamp(now_micros()),
            "healthCheck": { "validation": "hello world" },
        })
        .to_string(),
        Some(encoded) => BASE64
            .decode(encoded)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                Status::invalid_argument("payload: must be base64 of a UTF-8 text (JSON)")
            })?,
    };
    send_and_show(
        &state,
        &mut db,
        &target,
        JobKind::Test,
        (&event_id, event_type.name(), &body),
    )
    .await
}

/// Retrieves one delivery attempt.
#[utoipa::path(get, path = "/v1/webhook/deliveries/{id}",
    operation_id = "WebhookService_GetWebhookDelivery",
    params(("id" = String, Path, description = "Delivery ID (whd_...)")),
    responses((status = 200, body = WebhookDelivery), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_webhook_delivery(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<WebhookDelivery>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let row = authorized_delivery(&state, &principal, db.get().await?, &id).await?;
    Ok(Json(row.to_wire(&state)?))
}

/// Lists a webhook's delivery attempts, newest first.
#[utoipa::path(post, path = "/v1/webhook/deliveries:list",
    operation_id = "WebhookService_ListWebhookDeliveries",
    request_body = ListWebhookDeliveriesRequest,
    responses((status = 200, body = ListWebhookDeliveriesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_webhook_deliveries(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListWebhookDeliveriesRequest>,
) -> Result<Json<ListWebhookDeliveriesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let webhook = request
        .webhook_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| Status::invalid_argument("webhookId: value is required"))?;
    let filter = request.filter.unwrap_or_default();
    check_max_items("filter.eventTypes", filter.event_types.len())?;
    let event_types = filter
        .event_types
        .iter()
        .enumerate()
        .map(|(index, name)| {
            event_type(&format!("filter.eventTypes[{index}]"), name).map(|t| t.name().to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (from, until) = match &filter.delivery_time {
        Some(window) => interval("filter.deliveryTime", window)?,
        None => (None, None),
    };
    let conn = db.get().await?;
    let target = authorized_webhook(&state, &principal, conn, webhook).await?;
    let query = ListQuery {
        webhook_id: target.webhook_id,
        event_types,
        success: filter.success,
        from,
        until,
    };
    let mut rows = list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListWebhookDeliveriesResponse {
        next_page_token,
        deliveries: rows
            .iter()
            .map(|row| row.to_wire(&state))
            .collect::<Result<_, _>>()?,
    }))
}

/// Sends a logged delivery's event again, now, with the webhook's current settings, and answers
/// with the new attempt's log record (under a new X-Moe-Delivery-ID; the event ID is the same).
#[utoipa::path(post, path = "/v1/webhooks/deliveries/{id}/redeliver",
    operation_id = "WebhookService_RedeliverWebhookDeliveries",
    params(("id" = String, Path, description = "Delivery ID (whd_...)"), RedeliverQuery),
    responses((status = 200, body = WebhookDelivery), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn redeliver_webhook_deliveries(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    Query(query): Query<RedeliverQuery>,
) -> Result<Json<WebhookDelivery>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let webhook = query
        .webhook_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| Status::invalid_argument("webhookId: value is required"))?;
    let (target, event) = {
        let conn = db.get().await?;
        let row = authorized_delivery(&state, &principal, conn, &id).await?;
        let target = authorized_webhook(&state, &principal, conn, webhook).await?;
        if row.webhook_id != target.webhook_id {
            return Err(Status::not_found(
                "webhook delivery not found for this webhookId",
            ));
        }
        let event = job_event(conn, row.job_id)
            .await?
            .ok_or_else(|| Status::not_found("the delivery's event is no longer kept"))?;
        (target, event)
    };
    let (event_id, event_type, payload) = &event;
    send_and_show(
        &state,
        &mut db,
        &target,
        JobKind::Redelivery,
        (event_id, event_type, payload),
    )
    .await
}

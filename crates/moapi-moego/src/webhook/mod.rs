//! Webhook subscriptions (WebhookService create, get, update, delete, list). A webhook belongs
//! to the API client of the key that created it; a key sees and manages the client's webhooks
//! whose organizations it reaches. Receivers are vetted when written (HTTPS, SSRF guard after
//! DNS resolution); the secret token and the custom headers are sealed at rest (`sealed`).
//! The delivery engine (fan-out, claiming, retries, limits) is `dispatch`, the request each
//! attempt sends `send`, and the delivery log with its operations `delivery`.

pub mod delivery;
pub mod dispatch;
pub mod input;
pub mod sealed;
pub mod send;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdKind, Status};
use sqlx::AnyConnection;

use crate::wire::{interval, PathId};
use input::{Reach, MAX_WEBHOOKS_PER_CLIENT};
use store::{WebhookRow, WebhookValues};
use wire::{
    DeleteWebhookResponse, ListWebhooksRequest, ListWebhooksResponse, UpdateWebhookBody, Webhook,
    WebhookInput,
};

pub const READ_SCOPE: &str = "webhooks:read";
pub const WRITE_SCOPE: &str = "webhooks:write";

fn already_exists(url: &str) -> Status {
    Status::new(
        Code::AlreadyExists,
        format!("endpointUrl: a webhook of this client already delivers to {url}"),
    )
}

/// Validates a create (`base` none) or a full replace of `base`: endpointUrl and eventTypes
/// are required; the optional fields left out keep their stored values (a create's defaults:
/// no organizations filter, no secret, active, SSL verified, no headers).
async fn values(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    reach: &Reach,
    input: &WebhookInput,
    base: Option<WebhookValues>,
) -> Result<WebhookValues, Status> {
    let endpoint_url = input::endpoint_url(&state.config, input.endpoint_url.as_deref()).await?;
    let event_types = input::required_event_types(input.event_types.as_deref())?;
    input::content_type(input.content_type.as_deref())?;
    let mut next = base.unwrap_or(WebhookValues {
        endpoint_url: String::new(),
        organizations: Vec::new(),
        event_types: Vec::new(),
        secret_sealed: None,
        is_active: true,
        verify_ssl: true,
        headers_sealed: sealed::seal(&state.secrets, &Default::default()),
    });
    next.endpoint_url = endpoint_url;
    next.event_types = event_types;
    if let Some(organizations) = &input.organizations {
        next.organizations =
            input::organizations(conn, state, principal, reach, organizations).await?;
    } else if !reach.covers_all(&next.organizations) {
        // A create without organizations would listen to all of them.
        return Err(input::all_organizations_beyond_reach());
    }
    if let Some(token) = &input.secret_token {
        next.secret_sealed = input::secret_token(token)?.map(|token| state.secrets.seal(token));
    }
    if let Some(is_active) = input.is_active {
        next.is_active = is_active;
    }
    if let Some(verify_ssl) = input.verify_ssl {
        next.verify_ssl = verify_ssl;
    }
    if let Some(headers) = &input.headers {
        next.headers_sealed = sealed::seal(&state.secrets, &input::headers(headers)?);
    }
    Ok(next)
}

/// The webhook a path names, checked against the key: code 7 for another client's or one
/// listening beyond the key's organizations.
async fn authorized_webhook(
    state: &AppState,
    principal: &MoegoPrincipal,
    reach: &Reach,
    conn: &mut AnyConnection,
    id: &str,
) -> Result<WebhookRow, Status> {
    let id = state
        .ids
        .decode(IdKind::Webhook, id)
        .map_err(|_| Status::invalid_obfuscate())?;
    let row = store::find(conn, id)
        .await?
        .ok_or_else(|| Status::not_found("webhook not found"))?;
    check_reach(principal, reach, &row)?;
    Ok(row)
}

/// Code 7 unless the webhook is the key's client's and listens within the key's reach: the one
/// check of every operation on a webhook or its deliveries.
fn check_reach(principal: &MoegoPrincipal, reach: &Reach, row: &WebhookRow) -> Result<(), Status> {
    if row.client_id != principal.client_id || !reach.covers_all(&row.organizations()) {
        return Err(Status::no_permission());
    }
    Ok(())
}

fn render(state: &AppState, row: &WebhookRow) -> Result<Json<Webhook>, Status> {
    row.to_wire(&state.ids, &state.secrets).map(Json)
}

/// A write's error: the (client, URL) uniqueness a concurrent write won is ALREADY_EXISTS.
fn url_conflict(url: &str) -> impl Fn(sqlx::Error) -> Status + '_ {
    move |err| {
        if store::is_unique_violation(&err) {
            already_exists(url)
        } else {
            err.into()
        }
    }
}

/// Reads the written webhook back in its transaction, commits, and answers it.
async fn commit_and_render(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
) -> Result<Json<Webhook>, Status> {
    let row = store::find(&mut tx, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    render(state, &row)
}

/// Creates a webhook of the key's client: ALREADY_EXISTS for a URL the client already
/// uses, RESOURCE_EXHAUSTED beyond 50 webhooks.
#[utoipa::path(post, path = "/v1/webhooks", operation_id = "WebhookService_CreateWebhook",
    request_body = WebhookInput,
    responses((status = 200, body = Webhook), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<WebhookInput>,
) -> Result<Json<Webhook>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let reach = Reach::of(conn, &principal).await?;
    let values = values(conn, &state, &principal, &reach, &request, None).await?;
    let client_id = principal.client_id;
    let mut tx = db.begin().await?;
    store::lock_client(&mut tx, client_id).await?;
    if store::count_of_client(&mut tx, client_id).await? >= MAX_WEBHOOKS_PER_CLIENT {
        return Err(Status::new(
            Code::ResourceExhausted,
            format!(
                "a client may have at most {MAX_WEBHOOKS_PER_CLIENT} webhooks; delete one first"
            ),
        ));
    }
    if store::url_taken(&mut tx, client_id, &values.endpoint_url, 0).await? {
        return Err(already_exists(&values.endpoint_url));
    }
    let id = store::insert(&mut tx, client_id, &values)
        .await
        .map_err(url_conflict(&values.endpoint_url))?;
    commit_and_render(&state, tx, id).await
}

/// Retrieves one webhook, its secret token included as the vendor returns it.
#[utoipa::path(get, path = "/v1/webhooks/{id}", operation_id = "WebhookService_GetWebhook",
    params(("id" = String, Path, description = "Webhook ID")),
    responses((status = 200, body = Webhook), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_webhook(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Webhook>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let reach = Reach::of(conn, &principal).await?;
    let row = authorized_webhook(&state, &principal, &reach, conn, &id).await?;
    render(&state, &row)
}

/// Replaces a webhook's endpointUrl and eventTypes; optional fields left out keep their
/// values (a new secretToken rotates the secret, "" removes it).
#[utoipa::path(put, path = "/v1/webhooks/{id}", operation_id = "WebhookService_UpdateWebhook",
    params(("id" = String, Path, description = "Webhook ID")),
    request_body = UpdateWebhookBody,
    responses((status = 200, body = Webhook), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_webhook(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(UpdateWebhookBody(body)): ProtoJson<UpdateWebhookBody>,
) -> Result<Json<Webhook>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let reach = Reach::of(conn, &principal).await?;
    let row = authorized_webhook(&state, &principal, &reach, conn, &id).await?;
    let values = values(
        conn,
        &state,
        &principal,
        &reach,
        &body,
        Some(row.values(&state.secrets)),
    )
    .await?;
    let mut tx = db.begin().await?;
    let updated = store::update(&mut tx, row.id, &values)
        .await
        .map_err(url_conflict(&values.endpoint_url))?;
    if !updated {
        return Err(Status::not_found("webhook not found"));
    }
    commit_and_render(&state, tx, row.id).await
}

/// Deletes a webhook; nothing more is delivered to it.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", operation_id = "WebhookService_DeleteWebhook",
    params(("id" = String, Path, description = "Webhook ID")),
    responses((status = 200, body = DeleteWebhookResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<DeleteWebhookResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let reach = Reach::of(conn, &principal).await?;
    let row = authorized_webhook(&state, &principal, &reach, conn, &id).await?;
    if !store::delete(conn, row.id).await? {
        return Err(Status::not_found("webhook not found"));
    }
    Ok(Json(DeleteWebhookResponse {}))
}

/// Lists the client's webhooks the key reaches, by ID. A client has at most 50, so they are
/// filtered and paged in memory: the event type and organization filters are JSON members.
#[utoipa::path(post, path = "/v1/webhooks:list", operation_id = "WebhookService_ListWebhooks",
    request_body = ListWebhooksRequest,
    responses((status = 200, body = ListWebhooksResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListWebhooksRequest>,
) -> Result<Json<ListWebhooksResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let filter = request.filter.unwrap_or_default();
    let event_types = input::event_types(
        "filter.eventTypes",
        filter.event_types.as_deref().unwrap_or_default(),
    )?;
    let created = interval(
        "filter.createdTime",
        &filter.created_time.unwrap_or_default(),
    )?;
    let updated = interval(
        "filter.updatedTime",
        &filter.updated_time.unwrap_or_default(),
    )?;
    let within = |(start, end): (Option<i64>, Option<i64>), at: i64| {
        start.is_none_or(|start| at >= start) && end.is_none_or(|end| at < end)
    };
    let conn = db.get().await?;
    let reach = Reach::of(conn, &principal).await?;
    let mut rows: Vec<WebhookRow> = store::list_of_client(conn, principal.client_id)
        .await?
        .into_iter()
        .filter(|row| reach.covers_all(&row.organizations()))
        .filter(|row| {
            filter
                .is_active
                .is_none_or(|active| active == (row.is_active != 0))
        })
        .filter(|row| {
            event_types.is_empty()
                || row
                    .event_types()
                    .iter()
                    .any(|subscribed| event_types.contains(subscribed))
        })
        .filter(|row| within(created, row.created_at) && within(updated, row.updated_at))
        .skip(page.offset() as usize)
        .take(page.fetch_limit() as usize)
        .collect();
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListWebhooksResponse {
        next_page_token,
        webhooks: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, &state.secrets))
            .collect::<Result<_, _>>()?,
    }))
}

/// The delivery operations, under both the singular and the plural prefix: the vendor's
/// documents use both.
pub fn delivery_router() -> Router<AppState> {
    let mut router = Router::new().route(
        "/v1/webhooks/{id}/test",
        post(delivery::trigger_test_webhook_delivery),
    );
    for prefix in ["/v1/webhook/deliveries", "/v1/webhooks/deliveries"] {
        router = router
            .route(
                &format!("{prefix}/{{id}}"),
                get(delivery::get_webhook_delivery),
            )
            .route(
                &format!("{prefix}:list"),
                post(delivery::list_webhook_deliveries),
            )
            .route(
                &format!("{prefix}/{{id}}/redeliver"),
                post(delivery::redeliver_webhook_deliveries),
            );
    }
    router
}

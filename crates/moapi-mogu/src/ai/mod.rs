//! AI trip imports: `POST /ai/trips/from-document` stores a job and answers 202 at once;
//! `GET /ai/trips/{publicId}/status` (no authentication) and
//! `POST /ai/trips/{publicId}/actions/cancel` (the creating agent only) follow it; the
//! [`worker`] every server runs turns the document into a trip. Failures answer the AI tag's
//! `{"error":{"code","message"}}` body. `GET /p/ai/trips/{publicId}`, the job's public link,
//! shows progress and leads to the trip's public page once it exists.

mod blocks;
mod extract;
mod model;
mod source;
pub mod store;
pub mod wire;
pub mod worker;

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use moapi_core::auth::MoguPrincipal;
use moapi_core::db::Conn;
use moapi_core::error::body_timeout_message;
use moapi_core::outbound::{Outbound, OutboundError};
use moapi_core::time::iso_seconds;
use moapi_core::wire::{parse_body, read_body, ProblemKind};
use moapi_core::{AppState, MoguError};

use self::store::{CancelOutcome, JobSource, JobView};
use self::wire::{
    AiError, AiErrorBody, AiJobCreated, AiJobLinks, AiJobStatus, AiSource,
    CreateTripFromDocumentRequest,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ai/trips/from-document", post(create_trip_from_document))
        .route("/ai/trips/{publicId}/status", get(get_job_status))
        .route("/ai/trips/{publicId}/actions/cancel", post(cancel_job))
        .route("/p/ai/trips/{publicId}", get(job_page))
}

/// The caller, with MOGU's authentication failures told in the AI tag's codes.
fn caller(
    principal: Result<MoguPrincipal, MoguError>,
    headers: &HeaderMap,
) -> Result<MoguPrincipal, AiError> {
    match principal {
        Ok(principal) => Ok(principal),
        Err(err) if err.status() == StatusCode::UNAUTHORIZED => {
            if headers.contains_key(header::AUTHORIZATION) {
                Err(AiError::invalid_api_key())
            } else {
                Err(AiError::missing_api_key())
            }
        }
        Err(err) if err.status() == StatusCode::FORBIDDEN => {
            Err(AiError::insufficient_scope(err.to_string()))
        }
        Err(err) if err.status() == StatusCode::TOO_MANY_REQUESTS => {
            let message = err.to_string();
            let retry_after = err
                .into_response()
                .headers()
                .get(header::RETRY_AFTER)
                .cloned();
            Err(AiError::rate_limited(message, retry_after))
        }
        Err(err) => Err(AiError::internal(err)),
    }
}

/// The create body, read up to a limit that fits the largest document in base64.
pub struct CreateBody(CreateTripFromDocumentRequest);

impl FromRequest<AppState> for CreateBody {
    type Rejection = AiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AiError> {
        let document_limit = state.config.outbound.max_bytes / 3 * 4 + 64 * 1024;
        let limit = state.config.body_limit_bytes.max(document_limit);
        let bytes = read_body(request, limit)
            .await
            .map_err(|problem| match problem.kind {
                ProblemKind::TimedOut => {
                    AiError::request_timeout(body_timeout_message(state.config.body_timeout))
                }
                _ => AiError::invalid_source(format!("request body is larger than {limit} bytes")),
            })?;
        parse_body(&bytes)
            .map(CreateBody)
            .map_err(|problem| AiError::invalid_source(problem.message))
    }
}

/// Checks a source before it is queued: everything that can be refused without fetching it.
fn checked_source(
    source: AiSource,
    outbound: &Outbound,
    max_bytes: usize,
) -> Result<JobSource, AiError> {
    let too_large =
        || AiError::invalid_source(format!("the document is larger than {max_bytes} bytes"));
    match source {
        AiSource::Url { url } => {
            let url = outbound.check_url(&url).map_err(|err| match err {
                OutboundError::Refused(why) => {
                    AiError::invalid_url(format!("source.url is not allowed: {why}"))
                }
                other => AiError::invalid_url(format!("source.url: {other}")),
            })?;
            source::format_of_name(url.path()).map_err(AiError::unsupported_format)?;
            Ok(JobSource::Url(url.to_string()))
        }
        AiSource::Text { text } => {
            let text = match text {
                serde_json::Value::String(text) => text,
                object @ serde_json::Value::Object(_) => {
                    serde_json::to_string_pretty(&object).unwrap_or_default()
                }
                _ => {
                    return Err(AiError::invalid_source(
                        "source.text must be a string or a JSON object",
                    ))
                }
            };
            if text.trim().is_empty() {
                return Err(AiError::invalid_source("source.text is empty"));
            }
            if text.len() > max_bytes {
                return Err(too_large());
            }
            Ok(JobSource::Text(text))
        }
        AiSource::Inline { data, filename } => {
            let filename = filename.trim().to_string();
            if filename.is_empty() {
                return Err(AiError::invalid_source("source.filename is required"));
            }
            let declared =
                source::format_of_name(&filename).map_err(AiError::unsupported_format)?;
            let bytes = source::decode_inline(&data)
                .map_err(|why| AiError::invalid_source(format!("source.{why}")))?;
            if bytes.is_empty() {
                return Err(AiError::invalid_source("source.data is empty"));
            }
            if bytes.len() > max_bytes {
                return Err(too_large());
            }
            if declared.is_none() {
                source::sniff(&bytes).map_err(AiError::unsupported_format)?;
            }
            Ok(JobSource::Inline { data, filename })
        }
    }
}

fn base_url(state: &AppState) -> &str {
    state.config.public_base_url.trim_end_matches('/')
}

fn job_links(state: &AppState, job_id: &str) -> AiJobLinks {
    let base = base_url(state);
    AiJobLinks {
        public_url: format!("{base}/p/ai/trips/{job_id}"),
        builder_url: format!("{base}/ai/trips/{job_id}/status"),
        status: format!("{base}/ai/trips/{job_id}/status"),
        cancel: format!("{base}/ai/trips/{job_id}/actions/cancel"),
    }
}

fn job_status(state: &AppState, job: JobView) -> AiJobStatus {
    let base = base_url(state);
    let links = job_links(state, &job.public_id);
    let (public_url, builder_url) = match (&job.trip_id, &job.trip_slug) {
        (Some(trip_id), Some(slug)) => (
            format!("{base}/p/trips/{slug}"),
            format!("{base}/trips/{trip_id}/config"),
        ),
        _ => (links.public_url, links.builder_url),
    };
    AiJobStatus {
        job_id: job.public_id,
        status: job.status,
        stage: job.stage,
        public_url,
        builder_url,
        trip_id: job.trip_id,
        trip_slug: job.trip_slug,
        error: job.error,
        updated_at: iso_seconds(job.updated_at),
    }
}

/// A job ID of the path: anything but a UUID names no job.
fn path_job_id(path: Result<Path<String>, PathRejection>) -> Result<String, AiError> {
    let Ok(Path(segment)) = path else {
        return Err(AiError::job_not_found());
    };
    uuid::Uuid::parse_str(&segment)
        .map(|id| id.hyphenated().to_string())
        .map_err(|_| AiError::job_not_found())
}

#[utoipa::path(
    post,
    path = "/ai/trips/from-document",
    tag = "ai",
    operation_id = "createTripFromDocument",
    description = "Create a new trip from a document: a URL to a plain text, Markdown, HTML or PDF document, plain text (or a JSON object, stringified), or an inline base64 document with its filename. The job runs asynchronously: poll `links.status` until the status is no longer `processing`.",
    request_body = CreateTripFromDocumentRequest,
    responses(
        (status = 202, description = "Job created and processing started", body = AiJobCreated),
        (status = 400, description = "Invalid source (invalid_source, invalid_url, unsupported_format)", body = AiErrorBody),
        (status = 401, description = "Missing or invalid API key (missing_api_key, invalid_api_key)", body = AiErrorBody),
    )
)]
pub async fn create_trip_from_document(
    State(state): State<AppState>,
    mut db: Conn,
    headers: HeaderMap,
    principal: Result<MoguPrincipal, MoguError>,
    body: Result<CreateBody, AiError>,
) -> Result<(StatusCode, Json<AiJobCreated>), AiError> {
    let principal = caller(principal, &headers)?;
    let CreateBody(request) = body?;
    let outbound = Outbound::new(&state.config.outbound);
    let source = checked_source(request.source, &outbound, state.config.outbound.max_bytes)?;
    let job_id = uuid::Uuid::new_v4().hyphenated().to_string();
    store::insert_job(
        db.get().await?,
        &job_id,
        principal.account_id,
        principal.agent_id,
        &source,
        request.is_template,
    )
    .await?;
    let links = job_links(&state, &job_id);
    Ok((
        StatusCode::ACCEPTED,
        Json(AiJobCreated {
            job_id,
            status: store::PROCESSING,
            links,
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/ai/trips/{publicId}/status",
    tag = "ai",
    operation_id = "getJobStatus",
    description = "Get the current status of a trip creation job. Public: no authentication. Once completed, publicUrl points to the trip's public page and tripId/tripSlug name the trip.",
    params(("publicId" = String, Path, description = "The job's ID (a UUID)")),
    security(()),
    responses(
        (status = 200, description = "Current job status", body = AiJobStatus),
        (status = 404, description = "Job not found", body = AiErrorBody),
    )
)]
pub async fn get_job_status(
    State(state): State<AppState>,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<AiJobStatus>, AiError> {
    let job_id = path_job_id(path)?;
    let job = store::find_job(db.get().await?, &job_id)
        .await?
        .ok_or_else(AiError::job_not_found)?;
    Ok(Json(job_status(&state, job)))
}

#[utoipa::path(
    post,
    path = "/ai/trips/{publicId}/actions/cancel",
    tag = "ai",
    operation_id = "cancelJob",
    description = "Cancel a job that is still processing. Only the agent who created it may; another agent's job answers 404 as an unknown one does.",
    params(("publicId" = String, Path, description = "The job's ID (a UUID)")),
    responses(
        (status = 200, description = "Job status after cancellation", body = AiJobStatus),
        (status = 400, description = "Job cannot be canceled (job_not_cancelable)", body = AiErrorBody),
        (status = 401, description = "Missing or invalid API key", body = AiErrorBody),
        (status = 404, description = "Job not found, or not created by the caller", body = AiErrorBody),
    )
)]
pub async fn cancel_job(
    State(state): State<AppState>,
    mut db: Conn,
    headers: HeaderMap,
    principal: Result<MoguPrincipal, MoguError>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<AiJobStatus>, AiError> {
    let principal = caller(principal, &headers)?;
    let job_id = path_job_id(path)?;
    match store::cancel_job(db.get().await?, &job_id, principal.agent_id).await? {
        CancelOutcome::Canceled(job) => Ok(Json(job_status(&state, job))),
        CancelOutcome::NotCancelable => Err(AiError::not_cancelable()),
        CancelOutcome::NotFound => Err(AiError::job_not_found()),
    }
}

/// The job's public link: the trip's page once it exists, a self-refreshing progress page
/// before, a short notice when the import failed or was cancelled.
async fn job_page(mut db: Conn, path: Result<Path<String>, PathRejection>) -> Response {
    let job = match path_job_id(path) {
        Ok(job_id) => match db.get().await {
            Ok(conn) => store::find_job(conn, &job_id).await,
            Err(err) => Err(err),
        },
        Err(_) => Ok(None),
    };
    let job = match job {
        Ok(job) => job,
        Err(err) => return AiError::internal(err).into_response(),
    };
    let (status, refresh, message) = match &job {
        Some(JobView {
            trip_slug: Some(slug),
            ..
        }) => return Redirect::to(&format!("/p/trips/{slug}")).into_response(),
        Some(job) if job.status == store::PROCESSING => (
            StatusCode::OK,
            true,
            format!("Your trip is being prepared ({}).", stage_words(&job.stage)),
        ),
        Some(job) if job.status == store::CANCELED => (
            StatusCode::OK,
            false,
            "This trip import was canceled.".to_string(),
        ),
        Some(_) => (
            StatusCode::OK,
            false,
            "This trip could not be created from its document.".to_string(),
        ),
        None => (StatusCode::NOT_FOUND, false, "Page not found.".to_string()),
    };
    let refresh = if refresh {
        r#"<meta http-equiv="refresh" content="3">"#
    } else {
        ""
    };
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{refresh}\
         <title>Trip import</title><style>body{{font-family:system-ui,sans-serif;display:grid;\
         place-items:center;min-height:90vh;margin:0;color:#222}}p{{font-size:1.25rem;\
         padding:1rem;text-align:center}}</style></head><body><p>{message}</p></body></html>"
    );
    (status, Html(page)).into_response()
}

fn stage_words(stage: &str) -> &'static str {
    match stage {
        "extractingText" => "reading the document",
        "generatingBlocks" => "building the itinerary",
        _ => "starting",
    }
}

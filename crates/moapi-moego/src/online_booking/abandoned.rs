//! Abandoned bookings: booking page visits that stopped before submitting. A visit idle for
//! longer than `Config::booking_idle` reads as ABANDONED at the step it last completed
//! (derived at each read, so every node agrees without a sweep); an operator may mark one
//! CONTACTED; the customer's next booking at the business marks it RECOVERED.

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use super::store::{self, Booked, ListQuery};
use super::visit::abandoned_booking;
use super::wire::{
    AbandonStatus, AbandonedBooking, ListAbandonedBookingsRequest, ListAbandonedBookingsResponse,
};
use super::READ_SCOPE;
use crate::access;
use crate::wire::{check_max_items, interval, PathId};

/// The default `abandonTime` window (the vendor: "the most recent week").
const DEFAULT_WINDOW_MICROS: i64 = 7 * 24 * 3_600_000_000;
/// The widest `abandonTime` window (the vendor: "cannot exceed one month").
const MAX_WINDOW_MICROS: i64 = 31 * 24 * 3_600_000_000;

/// The instant before which an open visit's last activity makes it abandoned.
pub fn cutoff(state: &AppState, now: i64) -> i64 {
    now - i64::try_from(state.config.booking_idle.as_micros()).unwrap_or(i64::MAX / 2)
}

fn not_found() -> Status {
    Status::not_found("abandoned booking not found")
}

/// Reads one abandoned booking by its `abk_` ID.
#[utoipa::path(get, path = "/v1/abandoned_bookings/{id}", operation_id = "OnlineBookingService_GetAbandonedBooking",
    params(("id" = String, Path, description = "Abandoned booking ID (abk_...)")),
    responses((status = 200, body = AbandonedBooking), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_abandoned_booking(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<AbandonedBooking>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let id = state
        .ids
        .decode(IdKind::AbandonedBooking, id.trim())
        .map_err(|_| Status::invalid_obfuscate())?;
    let conn = db.get().await?;
    let visit = store::find(conn, id).await?.ok_or_else(not_found)?;
    access::check(conn, &principal, &visit).await?;
    let status = visit
        .abandon_status(cutoff(&state, now_micros()))
        .ok_or_else(not_found)?;
    Ok(Json(abandoned_booking(&state.ids, &visit, status)))
}

/// Lists the abandoned bookings of businesses of a company, the most recently abandoned first.
#[utoipa::path(post, path = "/v1/abandoned_bookings:list", operation_id = "OnlineBookingService_ListAbandonedBookings",
    request_body = ListAbandonedBookingsRequest,
    responses((status = 200, body = ListAbandonedBookingsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_abandoned_bookings(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListAbandonedBookingsRequest>,
) -> Result<Json<ListAbandonedBookingsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let filter = request.filter.unwrap_or_default();
    check_max_items("filter.leadTypes", filter.lead_types.len())?;
    check_max_items("filter.steps", filter.steps.len())?;
    check_max_items("filter.statuses", filter.statuses.len())?;
    let now = now_micros();
    let abandoned = match &filter.abandon_time {
        None => (now - DEFAULT_WINDOW_MICROS, now + 1),
        Some(window) => {
            let (start, end) = interval("filter.abandonTime", window)?;
            let end = end.unwrap_or(now + 1);
            let start = start.unwrap_or(end - DEFAULT_WINDOW_MICROS);
            if end - start > MAX_WINDOW_MICROS {
                return Err(Status::invalid_argument(
                    "filter.abandonTime: the window must not exceed one month (31 days)",
                ));
            }
            (start, end)
        }
    };
    let specified = |field: &str, unspecified: bool| match unspecified {
        true => Err(Status::invalid_argument(format!(
            "{field}: the unspecified value is no filter"
        ))),
        false => Ok(()),
    };
    for status in &filter.statuses {
        specified("filter.statuses", status.is_unspecified())?;
    }
    for step in &filter.steps {
        specified("filter.steps", step.is_unspecified())?;
    }
    let conn = db.get().await?;
    let (owner, business_ids) = access::listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        &request.business_ids,
    )
    .await?;
    let query = ListQuery {
        company_id: owner.company_id,
        business_ids,
        abandoned,
        // LEAD_TYPE_UNSPECIFIED is one of the vendor's example values; no visit has it.
        lead_types: filter.lead_types.iter().map(|lead| lead.name()).collect(),
        steps: filter.steps.iter().map(|step| step.name()).collect(),
        statuses: filter.statuses.clone(),
        cutoff: cutoff(&state, now),
    };
    let mut rows = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    let bookings = rows
        .iter()
        .filter_map(|visit| {
            visit
                .abandon_status(query.cutoff)
                .map(|status| abandoned_booking(&state.ids, visit, status))
        })
        .collect();
    Ok(Json(ListAbandonedBookingsResponse {
        next_page_token,
        bookings,
    }))
}

/// Marks an abandoned booking CONTACTED (the operator API): NOT_FOUND when there is no such
/// abandoned booking, FAILED_PRECONDITION once it was recovered.
pub async fn mark_contacted(
    state: &AppState,
    db: &mut Conn,
    id: i64,
    note: &str,
    now: i64,
) -> Result<AbandonedBooking, Status> {
    let _gate = db.write_gate().await;
    let conn = db.get().await?;
    let cutoff = cutoff(state, now);
    if let Some(visit) = store::contact(conn, id, note, (now, cutoff)).await? {
        return Ok(abandoned_booking(
            &state.ids,
            &visit,
            AbandonStatus::Contacted,
        ));
    }
    match store::find(conn, id)
        .await?
        .and_then(|visit| visit.abandon_status(cutoff))
    {
        Some(AbandonStatus::Recovered) => Err(Status::new(
            moapi_core::Code::FailedPrecondition,
            "the abandoned booking was recovered",
        )),
        _ => Err(not_found()),
    }
}

/// Recovers the booker's abandoned bookings at the business of an appointment just booked
/// at `now`, inside the transaction that booked it (see [`store::recover`]).
pub async fn recover_in(
    conn: &mut AnyConnection,
    state: &AppState,
    booked: &Booked<'_>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    store::recover(conn, booked, (now, cutoff(state, now))).await
}

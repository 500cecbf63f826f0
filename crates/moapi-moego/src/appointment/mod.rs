//! Appointments (AppointmentService): booking a customer's pets into services of the
//! business's catalog, with staff conflicts refused on request, the status machine, reschedule,
//! availability checks, notes and grooming reports. Every appointment write is one
//! transaction that also opens or touches what it owns (order, staff slots) and appends exactly
//! one APPOINTMENT_* event. A deleted appointment (operator API) answers `{id, isDeleted}`
//! only, as the vendor's 1.2.0 changelog says.

pub mod booking;
pub mod capacity;
pub mod check;
pub mod grooming;
pub mod notes;
pub mod status;
pub mod store;
pub mod wire;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdKind, Status};
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::access;
use crate::event::EventType;
use crate::wire::{check_max_items, interval, PathId};
use booking::decode;
use store::AppointmentRow;
use wire::{
    Appointment, AppointmentStatus, CancelAppointmentBody, CreateAppointmentRequest,
    ListAppointmentsRequest, ListAppointmentsResponse, RescheduleAppointmentBody,
    UpdateAppointmentStatusBody,
};

pub const READ_SCOPE: &str = "appointments:read";
pub const WRITE_SCOPE: &str = "appointments:write";

/// The appointment an ID names, for a key that reaches its business: "invalid obfuscate",
/// NOT_FOUND, or code 7. `business_id`, when the request carries one, must be the
/// appointment's.
pub async fn appointment_of(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    id: &str,
    business_id: Option<&str>,
) -> Result<AppointmentRow, Status> {
    let raw = decode(state, IdKind::Appointment, id)?;
    let row = store::find(conn, raw)
        .await?
        .ok_or_else(|| Status::not_found("appointment not found"))?;
    access::check(conn, principal, &row).await?;
    if let Some(business_id) = business_id {
        if business_id.trim().is_empty() {
            return Err(Status::invalid_argument("businessId: value is required"));
        }
        if decode(state, IdKind::Business, business_id)? != row.business_id {
            return Err(Status::invalid_argument(
                "businessId: must be the appointment's business",
            ));
        }
    }
    Ok(row)
}

/// Like [`appointment_of`], for writes: a deleted appointment refuses them.
async fn writable_appointment(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    id: &str,
    business_id: &str,
) -> Result<AppointmentRow, Status> {
    let row = appointment_of(state, principal, conn, id, Some(business_id)).await?;
    if row.is_deleted() {
        return Err(deleted());
    }
    Ok(row)
}

fn deleted() -> Status {
    Status::new(Code::FailedPrecondition, "the appointment has been deleted")
}

/// Another writer moved the appointment between the read and the write.
fn moved_meanwhile() -> Status {
    Status::new(
        Code::Aborted,
        "the appointment changed while this request ran; read it again and retry",
    )
}

/// Books an appointment: checks the request, then in one transaction (shared with the
/// bookings committed beside it) takes the staff's booking locks, refuses conflicts when
/// `ignoreConflict` is `false`, writes the appointment, its pet service details, staff slots,
/// notes and order, and emits APPOINTMENT_CREATED.
#[utoipa::path(post, path = "/v1/appointments", operation_id = "AppointmentService_CreateAppointment",
    request_body = CreateAppointmentRequest,
    responses((status = 200, body = Appointment), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_appointment(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<CreateAppointmentRequest>,
) -> Result<Json<Appointment>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let appointment = booking::check_create(db.get().await?, &state, &principal, &request).await?;
    // The batch that books it writes on a connection of its own.
    db.release();
    Ok(Json(booking::commit(&state, appointment).await?))
}

#[derive(Debug, Deserialize)]
pub struct GetAppointmentQuery {
    #[serde(default, rename = "businessId", alias = "business_id")]
    business_id: Option<String>,
}

/// Retrieves an appointment of the business; a deleted one answers `{id, isDeleted: true}`.
#[utoipa::path(get, path = "/v1/appointments/{id}", operation_id = "AppointmentService_GetAppointment",
    params(("id" = String, Path, description = "Appointment ID (apt_...)"),
        ("businessId" = String, Query, description = "The appointment's business (bus_...)")),
    responses((status = 200, body = Appointment), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_appointment(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    query: Result<Query<GetAppointmentQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Appointment>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let business_id = query
        .ok()
        .and_then(|Query(query)| query.business_id)
        .unwrap_or_default();
    let conn = db.get().await?;
    let row = appointment_of(&state, &principal, conn, &id, Some(&business_id)).await?;
    let mut rendered = store::render(conn, &state.ids, &[row]).await?;
    Ok(Json(
        rendered.pop().expect("one row renders one appointment"),
    ))
}

/// Lists live appointments of some businesses by start time, filtered.
#[utoipa::path(post, path = "/v1/appointments:list", operation_id = "AppointmentService_ListAppointments",
    request_body = ListAppointmentsRequest,
    responses((status = 200, body = ListAppointmentsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_appointments(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListAppointmentsRequest>,
) -> Result<Json<ListAppointmentsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let (owner, business_ids) = access::listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        &request.business_ids,
    )
    .await?;
    let query = list_query(&state, owner.company_id, business_ids, &request)?;
    let mut rows = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    let appointments = store::render(conn, &state.ids, &rows).await?;
    Ok(Json(ListAppointmentsResponse {
        next_page_token,
        appointments,
    }))
}

/// Decodes a list of IDs of one kind (at most 1,000).
fn decode_all(
    state: &AppState,
    kind: IdKind,
    field: &str,
    ids: &[String],
) -> Result<Vec<i64>, Status> {
    check_max_items(field, ids.len())?;
    ids.iter().map(|id| decode(state, kind, id)).collect()
}

/// The list's query over `business_ids`, which the key reaches.
fn list_query(
    state: &AppState,
    company_id: i64,
    business_ids: Vec<i64>,
    request: &ListAppointmentsRequest,
) -> Result<store::ListQuery, Status> {
    let default_filter = wire::ListAppointmentsFilter::default();
    let filter = request.filter.as_ref().unwrap_or(&default_filter);
    let window = |field: &str, value: &Option<crate::wire::Interval>| {
        value
            .as_ref()
            .map(|window| interval(&format!("filter.{field}"), window))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let named = |field: &str, unspecified: bool, name: &'static str| {
        if unspecified {
            Err(Status::invalid_argument(format!(
                "filter.{field}: the unspecified value is not a filter"
            )))
        } else {
            Ok(name)
        }
    };
    check_max_items("filter.statuses", filter.statuses.len())?;
    check_max_items("filter.serviceTypes", filter.service_types.len())?;
    Ok(store::ListQuery {
        company_id,
        business_ids,
        start: window("startTime", &filter.start_time)?,
        end: window("endTime", &filter.end_time)?,
        updated: window("lastUpdatedTime", &filter.last_updated_time)?,
        check_in: window("checkInTime", &filter.check_in_time)?,
        check_out: window("checkOutTime", &filter.check_out_time)?,
        statuses: filter
            .statuses
            .iter()
            .map(|s| named("statuses", s.is_unspecified(), s.name()))
            .collect::<Result<_, _>>()?,
        service_types: filter
            .service_types
            .iter()
            .map(|t| named("serviceTypes", t.is_unspecified(), t.name()))
            .collect::<Result<_, _>>()?,
        service_ids: decode_all(
            state,
            IdKind::Service,
            "filter.serviceIds",
            &filter.service_ids,
        )?,
        pet_ids: decode_all(state, IdKind::Pet, "filter.petIds", &filter.pet_ids)?,
        customer_ids: decode_all(
            state,
            IdKind::Customer,
            "filter.customerIds",
            &filter.customer_ids,
        )?,
    })
}

/// Moves an appointment's status in one transaction, with the move's event: every stage it
/// reaches stamped now, or at `times` when given.
async fn move_status(
    state: &AppState,
    db: &mut Conn,
    row: &AppointmentRow,
    to: AppointmentStatus,
    times: Option<&status::StageTimes>,
) -> Result<Appointment, Status> {
    let change = status::change(row.status(), to)?;
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let times = times
        .copied()
        .unwrap_or_else(|| status::StageTimes::all(now_micros()));
    let moved = store::set_status(&mut tx, row.id, &change, &times).await?;
    announce_and_commit(state, tx, row, moved, status::event_of(to)).await
}

/// The move `:updateStatus` makes, with its event, but with each stage stamped at its instant
/// in `times` rather than now: for the operator's demo seed, whose appointments were booked
/// in its own transaction and reached their status in the past. Every API move stamps now.
pub async fn move_status_at(
    state: &AppState,
    db: &mut Conn,
    id: i64,
    to: AppointmentStatus,
    times: &status::StageTimes,
) -> Result<Appointment, Status> {
    let row = store::find(db.get().await?, id)
        .await?
        .ok_or_else(|| Status::not_found("appointment not found"))?;
    if row.is_deleted() {
        return Err(deleted());
    }
    move_status(state, db, &row, to, Some(times)).await
}

/// Ends an appointment write: when it `applied`, renders the appointment, appends its event
/// and commits; otherwise (another writer moved it first) rolls back.
async fn announce_and_commit(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    row: &AppointmentRow,
    applied: bool,
    event: EventType,
) -> Result<Appointment, Status> {
    if !applied {
        return Err(moved_meanwhile());
    }
    let appointment = store::announce(&mut tx, &state.ids, row.company_id, row.id, event).await?;
    tx.commit().await?;
    Ok(appointment)
}

/// Moves an appointment along its status flow; emits APPOINTMENT_UPDATED, or FINISHED /
/// CANCELED for those moves. A move the flow does not allow changes nothing.
#[utoipa::path(post, path = "/v1/appointments/{id}:updateStatus", operation_id = "AppointmentService_UpdateAppointmentStatus",
    params(("id" = String, Path, description = "Appointment ID (apt_...)")),
    request_body = UpdateAppointmentStatusBody,
    responses((status = 200, body = Appointment), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_appointment_status(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<UpdateAppointmentStatusBody>,
) -> Result<Json<Appointment>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    if let Some(end_date) = body.check_out.as_ref().and_then(|c| c.end_date) {
        end_date.validate("checkOut.endDate")?;
    }
    let row =
        writable_appointment(&state, &principal, db.get().await?, &id, &body.business_id).await?;
    Ok(Json(
        move_status(&state, &mut db, &row, body.status, None).await?,
    ))
}

/// Cancels an appointment before it finishes, releasing its staff time; emits
/// APPOINTMENT_CANCELED.
#[utoipa::path(post, path = "/v1/appointments/{id}:cancel", operation_id = "AppointmentService_CancelAppointment",
    params(("id" = String, Path, description = "Appointment ID (apt_...)")),
    request_body = CancelAppointmentBody,
    responses((status = 200, body = Appointment), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn cancel_appointment(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<CancelAppointmentBody>,
) -> Result<Json<Appointment>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let row =
        writable_appointment(&state, &principal, db.get().await?, &id, &body.business_id).await?;
    Ok(Json(
        move_status(&state, &mut db, &row, AppointmentStatus::Canceled, None).await?,
    ))
}

/// Moves the whole appointment (every service, keeping their lengths and order) so that it
/// starts at `duration.startTime`, which must be in the future and leave it within the
/// business's working hours; staff conflicts are always refused. Emits APPOINTMENT_UPDATED.
#[utoipa::path(post, path = "/v1/appointments/{id}:reschedule", operation_id = "AppointmentService_RescheduleAppointment",
    params(("id" = String, Path, description = "Appointment ID (apt_...)")),
    request_body = RescheduleAppointmentBody,
    responses((status = 200, body = Appointment), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn reschedule_appointment(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<RescheduleAppointmentBody>,
) -> Result<Json<Appointment>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let duration = body
        .duration
        .as_ref()
        .ok_or_else(|| Status::invalid_argument("duration: value is required"))?;
    let (start, end) = interval("duration", duration)?;
    let start =
        start.ok_or_else(|| Status::invalid_argument("duration.startTime: value is required"))?;
    if start <= now_micros() {
        return Err(Status::invalid_argument(
            "duration.startTime: must be in the future",
        ));
    }
    let conn = db.get().await?;
    let row = writable_appointment(&state, &principal, conn, &id, &body.business_id).await?;
    let status = row.status();
    if matches!(
        status,
        AppointmentStatus::Finished | AppointmentStatus::Canceled
    ) {
        return Err(Status::new(
            Code::FailedPrecondition,
            format!("a {} appointment cannot be rescheduled", status.name()),
        ));
    }
    let shift = start - row.start_at;
    let shifted_end = row.end_at + shift;
    let end = match end {
        Some(end) if end < shifted_end => {
            return Err(Status::invalid_argument(format!(
                "duration.endTime: the services moved with the appointment run until {}",
                moapi_core::time::protojson_timestamp(shifted_end)
            )))
        }
        Some(end) => end,
        None => shifted_end,
    };
    let hours = crate::business::hours::of_business(conn, row.business_id).await?;
    if hours.is_some_and(|hours| !hours.covers(start, end)) {
        return Err(Status::new(
            Code::FailedPrecondition,
            "duration: must lie within the business's working hours",
        ));
    }
    // Details keep their places relative to the start, which the write re-checks, so they
    // are read before the transaction (whose first statement must write on SQLite).
    let details = store::staffed_details(conn, row.id).await?;
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let staff = details
        .iter()
        .filter_map(|(_, staff, _, _)| *staff)
        .collect();
    store::lock_staff(&mut tx, &staff).await?;
    let wanted: Vec<(String, i64, i64, i64)> = details
        .iter()
        .filter_map(|(detail, staff, from, to)| {
            staff.map(|staff| {
                let field = format!(
                    "duration (service {})",
                    state.ids.encode(IdKind::PetServiceDetail, *detail)
                );
                (field, staff, from + shift, to + shift)
            })
        })
        .collect();
    store::refuse_conflicts(&mut tx, &state.ids, &wanted, Some(row.id)).await?;
    let moved = store::reschedule(&mut tx, &row, (start, end), now_micros()).await?;
    let appointment =
        announce_and_commit(&state, tx, &row, moved, EventType::AppointmentUpdated).await?;
    Ok(Json(appointment))
}

/// `POST /v1/appointments/{id}:<verb>`: the router matches whole segments only, so the verb
/// is read from the segment here. A POST without one of the verbs is refused before this
/// (`crate::methods_of_the_catalog`): `/v1/appointments/{id}` itself is GET only.
async fn appointment_action(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    db: Conn,
    PathId(segment): PathId,
    request: axum::extract::Request,
) -> Response {
    use axum::extract::FromRequest;
    let (id, verb) = segment.split_once(':').unwrap_or((&segment, ""));
    let id = PathId(id.to_string());
    let answer = match verb {
        "cancel" => match ProtoJson::from_request(request, &state).await {
            Ok(body) => cancel_appointment(State(state), principal, db, id, body).await,
            Err(status) => Err(status),
        },
        "reschedule" => match ProtoJson::from_request(request, &state).await {
            Ok(body) => reschedule_appointment(State(state), principal, db, id, body).await,
            Err(status) => Err(status),
        },
        "updateStatus" => match ProtoJson::from_request(request, &state).await {
            Ok(body) => update_appointment_status(State(state), principal, db, id, body).await,
            Err(status) => Err(status),
        },
        _ => return crate::method_not_allowed(request.uri().path()),
    };
    answer.into_response()
}

/// AppointmentService's routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post, put};
    axum::Router::new()
        .route("/v1/appointments", post(create_appointment))
        .route("/v1/appointments:list", post(list_appointments))
        .route("/v1/appointments:check", post(check::check_availability))
        .route(
            "/v1/appointments/{id}",
            get(get_appointment).post(appointment_action),
        )
        .route(
            "/v1/appointments/notes",
            post(notes::create_appointment_note),
        )
        .route(
            "/v1/appointments/notes/{id}",
            put(notes::update_appointment_note),
        )
        .route(
            "/v1/appointments/notes:list",
            post(notes::list_appointment_notes),
        )
        .route(
            "/v1/grooming_reports:list",
            post(grooming::list_grooming_reports),
        )
}

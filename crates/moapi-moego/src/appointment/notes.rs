//! Appointment notes: created with the appointment or one by one, edited, listed oldest first.
//! Notes are their own resource (not part of v1Appointment), so writing one emits no
//! appointment event and leaves the appointment's lastUpdatedTime alone.

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db;
use moapi_core::db::Conn;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use super::booking::{decode, note_text, note_type};
use super::store::AppointmentRow;
use super::wire::{
    AppointmentNote, CreateAppointmentNoteRequest, ListAppointmentNotesRequest,
    ListAppointmentNotesResponse, NoteType, UpdateAppointmentNoteBody,
};
use super::{appointment_of, READ_SCOPE, WRITE_SCOPE};
use crate::wire::PathId;

#[derive(Debug, sqlx::FromRow)]
struct NoteRow {
    id: i64,
    appointment_id: i64,
    note_type: String,
    note: String,
    created_by: String,
    updated_by: String,
    created_at: i64,
    updated_at: i64,
}

impl NoteRow {
    fn to_wire(&self, ids: &IdCodec, appointment: &AppointmentRow) -> AppointmentNote {
        AppointmentNote {
            id: ids.encode(IdKind::AppointmentNote, self.id),
            business_id: ids.encode(IdKind::Business, appointment.business_id),
            customer_id: ids.encode(IdKind::Customer, appointment.customer_id),
            company_id: ids.encode(IdKind::Company, appointment.company_id),
            appointment_id: ids.encode(IdKind::Appointment, self.appointment_id),
            note: self.note.clone(),
            note_type: NoteType::from_name(&self.note_type),
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
            created_by: self.created_by.clone(),
            last_updated_by: self.updated_by.clone(),
        }
    }
}

const COLUMNS: &str =
    "id, appointment_id, note_type, note, created_by, updated_by, created_at, updated_at";

/// A note to add to an appointment.
pub struct NewNote<'a> {
    pub appointment_id: i64,
    pub note_type: &'a str,
    pub note: &'a str,
}

/// Adds notes (one statement) and answers their IDs in the order given.
pub async fn insert_all(
    conn: &mut AnyConnection,
    notes: &[NewNote<'_>],
    now: i64,
) -> Result<Vec<i64>, Status> {
    let rows = notes
        .iter()
        .map(|note| {
            vec![
                note.appointment_id.into(),
                note.note_type.into(),
                note.note.into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    let ids: Vec<(i64, i64)> = db::insert_rows_returning(
        conn,
        "moego_appointment_notes",
        &[
            "appointment_id",
            "note_type",
            "note",
            "created_at",
            "updated_at",
        ],
        rows,
        &["id", "appointment_id"],
    )
    .await?;
    let ids = db::in_written_order(
        ids,
        |(id, _)| *id,
        |(_, appointment_id)| *appointment_id,
        notes.iter().map(|note| note.appointment_id),
    )
    .ok_or_else(|| Status::internal("added notes came back out of order"))?;
    Ok(ids.into_iter().map(|(id, _)| id).collect())
}

async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<NoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_appointment_notes WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The live appointment a note request names.
async fn live_appointment(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    field: &str,
    id: &str,
) -> Result<AppointmentRow, Status> {
    if id.trim().is_empty() {
        return Err(Status::invalid_argument(format!(
            "{field}: value is required"
        )));
    }
    let row = appointment_of(state, principal, conn, id, None).await?;
    if row.is_deleted() {
        return Err(Status::not_found(format!("{field}: appointment not found")));
    }
    Ok(row)
}

/// Adds an ALERT_NOTES or COMMENT note to an appointment.
#[utoipa::path(post, path = "/v1/appointments/notes", operation_id = "AppointmentService_CreateAppointmentNote",
    request_body = CreateAppointmentNoteRequest,
    responses((status = 200, body = AppointmentNote), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_appointment_note(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<CreateAppointmentNoteRequest>,
) -> Result<Json<AppointmentNote>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let note_type = note_type(
        "type",
        request.note_type,
        &[NoteType::AlertNotes, NoteType::Comment],
    )?;
    let note = note_text("note", &request.note)?;
    let appointment = live_appointment(
        &state,
        &principal,
        db.get().await?,
        "appointmentId",
        &request.appointment_id,
    )
    .await?;
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let added = NewNote {
        appointment_id: appointment.id,
        note_type,
        note: &note,
    };
    let id = insert_all(&mut tx, &[added], now_micros()).await?.remove(0);
    let row = find(&mut tx, id)
        .await?
        .ok_or_else(|| Status::internal("a note vanished in its transaction"))?;
    tx.commit().await?;
    Ok(Json(row.to_wire(&state.ids, &appointment)))
}

/// Replaces a note's text.
#[utoipa::path(put, path = "/v1/appointments/notes/{id}", operation_id = "AppointmentService_UpdateAppointmentNote",
    params(("id" = String, Path, description = "Appointment note ID")),
    request_body = UpdateAppointmentNoteBody,
    responses((status = 200, body = AppointmentNote), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_appointment_note(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<UpdateAppointmentNoteBody>,
) -> Result<Json<AppointmentNote>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let note = note_text("note", body.note.as_deref().unwrap_or_default())?;
    let raw = decode(&state, IdKind::AppointmentNote, &id)?;
    let conn = db.get().await?;
    let existing = find(conn, raw)
        .await?
        .ok_or_else(|| Status::not_found("appointment note not found"))?;
    let appointment_id = state
        .ids
        .encode(IdKind::Appointment, existing.appointment_id);
    let appointment = live_appointment(&state, &principal, conn, "id", &appointment_id).await?;
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE moego_appointment_notes SET note = $1, updated_at = $2 WHERE id = $3")
        .bind(&note)
        .bind(now_micros())
        .bind(existing.id)
        .execute(&mut *tx)
        .await?;
    let row = find(&mut tx, existing.id)
        .await?
        .ok_or_else(|| Status::internal("a note vanished in its transaction"))?;
    tx.commit().await?;
    Ok(Json(row.to_wire(&state.ids, &appointment)))
}

/// Lists an appointment's notes, oldest first, optionally of one type.
#[utoipa::path(post, path = "/v1/appointments/notes:list", operation_id = "AppointmentService_ListAppointmentNotes",
    request_body = ListAppointmentNotesRequest,
    responses((status = 200, body = ListAppointmentNotesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_appointment_notes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListAppointmentNotesRequest>,
) -> Result<Json<ListAppointmentNotesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let appointment = live_appointment(
        &state,
        &principal,
        conn,
        "appointmentId",
        &request.appointment_id,
    )
    .await?;
    let rows: Vec<NoteRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_appointment_notes WHERE appointment_id = $1 \
         AND ($2 = '' OR note_type = $2) ORDER BY id"
    ))
    .bind(appointment.id)
    .bind(if request.note_type.is_unspecified() {
        ""
    } else {
        request.note_type.name()
    })
    .fetch_all(conn)
    .await?;
    Ok(Json(ListAppointmentNotesResponse {
        notes: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, &appointment))
            .collect(),
    }))
}

//! Operator verbs for appointments, which the vendor performs in its app: soft-deleting an
//! appointment (APPOINTMENT_DELETED, its staff time released) and recording a pet's grooming
//! report.

use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdKind};
use moapi_moego::appointment::grooming::{self, NewReport};
use moapi_moego::appointment::store as appointments;
use moapi_moego::appointment::wire::{GroomingReport, GroomingReportStatus, SendMethod, SendType};
use moapi_moego::event::{self, EventType};
use serde::Deserialize;

use super::{from_status, resolve_id, OperatorError, Result};

/// Soft-deletes an appointment in one transaction with its APPOINTMENT_DELETED event, whose
/// payload is what GET answers from then on: `{id, isDeleted: true}`. Returns the ID.
pub async fn delete_appointment(
    state: &AppState,
    db: &mut Conn,
    appointment: &str,
) -> Result<String> {
    let id = resolve_id(state, IdKind::Appointment, appointment)?;
    let row = appointments::find(db.get().await?, id)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("appointment {appointment} not found")))?;
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    if !appointments::soft_delete(&mut tx, id, now_micros()).await? {
        return Err(OperatorError::NotFound(format!(
            "appointment {appointment} is already deleted"
        )));
    }
    let payload = serde_json::to_value(appointments::deleted_wire(&state.ids, id))
        .map_err(|err| OperatorError::Internal(err.to_string()))?;
    event::emit(
        &mut tx,
        &state.ids,
        row.company_id,
        EventType::AppointmentDeleted,
        "appointment",
        payload,
    )
    .await?;
    tx.commit().await?;
    Ok(state.ids.encode(IdKind::Appointment, id))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewGroomingReportRequest {
    pub pet_id: String,
    #[serde(default)]
    pub status: GroomingReportStatus,
    #[serde(default)]
    pub template_json: String,
    #[serde(default)]
    pub content_json: String,
    #[serde(default)]
    pub report_url: String,
    #[serde(default)]
    pub send_type: SendType,
    #[serde(default)]
    pub sending_method_list: Vec<SendMethod>,
}

/// Records a grooming report of a pet the (live) appointment books.
pub async fn record_grooming_report(
    state: &AppState,
    db: &mut Conn,
    appointment: &str,
    request: &NewGroomingReportRequest,
) -> Result<GroomingReport> {
    let appointment_id = resolve_id(state, IdKind::Appointment, appointment)?;
    let pet_id = resolve_id(state, IdKind::Pet, &request.pet_id)?;
    let mut tx = db.begin().await?;
    let report = grooming::record(
        &mut tx,
        &state.ids,
        appointment_id,
        &NewReport {
            pet_id,
            status: request.status,
            template_json: &request.template_json,
            content_json: &request.content_json,
            report_url: &request.report_url,
            send_type: request.send_type,
            sending_methods: &request.sending_method_list,
        },
    )
    .await
    .map_err(from_status)?;
    tx.commit().await?;
    Ok(report)
}

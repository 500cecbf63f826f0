//! Grooming reports of appointments' pets. The vendor fills them in its app and offers no
//! create operation; moapi records them through the operator API ([`record`]) and lists
//! them here.

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdCodec, IdKind, Status};
use sea_query::{Alias, Expr, Order, Query};
use sqlx::AnyConnection;

use super::booking::decode;
use super::store::{columns_of, join};
use super::wire::{
    GroomingReport, GroomingReportStatus, ListGroomingReportsRequest, ListGroomingReportsResponse,
    SendLog, SendMethod, SendType,
};
use super::READ_SCOPE;
use crate::access;

/// Most appointments one list names, as the vendor documents.
const MAX_APPOINTMENTS: usize = 500;

#[derive(Debug, sqlx::FromRow)]
struct ReportRow {
    id: i64,
    appointment_id: i64,
    business_id: i64,
    customer_id: i64,
    pet_id: i64,
    template_json: String,
    content_json: String,
    status: String,
    report_url: String,
    send_type: String,
    template_published_at: Option<i64>,
    sending_methods: String,
    last_sending_methods: String,
    send_log: String,
}

impl ReportRow {
    fn to_wire(&self, ids: &IdCodec) -> GroomingReport {
        let methods = |json: &str| -> Vec<SendMethod> {
            serde_json::from_str::<Vec<String>>(json)
                .unwrap_or_default()
                .iter()
                .map(|name| SendMethod::from_name(name))
                .collect()
        };
        GroomingReport {
            id: ids.encode(IdKind::GroomingReport, self.id),
            raw_id: self.id,
            appointment_id: ids.encode(IdKind::Appointment, self.appointment_id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            customer_id: ids.encode(IdKind::Customer, self.customer_id),
            pet_id: ids.encode(IdKind::Pet, self.pet_id),
            template_json: self.template_json.clone(),
            content_json: self.content_json.clone(),
            status: GroomingReportStatus::from_name(&self.status),
            report_url: self.report_url.clone(),
            send_type: SendType::from_name(&self.send_type),
            template_publish_time: self.template_published_at.map(protojson_timestamp),
            sending_method_list: methods(&self.sending_methods),
            last_sending_method_list: methods(&self.last_sending_methods),
            send_log: serde_json::from_str::<Vec<SendLog>>(&self.send_log).unwrap_or_default(),
        }
    }
}

/// Lists the grooming reports of some appointments of one business, by ID.
#[utoipa::path(post, path = "/v1/grooming_reports:list", operation_id = "AppointmentService_ListGroomingReports",
    request_body = ListGroomingReportsRequest,
    responses((status = 200, body = ListGroomingReportsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_grooming_reports(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListGroomingReportsRequest>,
) -> Result<Json<ListGroomingReportsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    if request.appointment_ids.is_empty() {
        return Err(Status::invalid_argument(
            "appointmentIds: value is required",
        ));
    }
    if request.appointment_ids.len() > MAX_APPOINTMENTS {
        return Err(Status::invalid_argument(format!(
            "appointmentIds: at most {MAX_APPOINTMENTS} items"
        )));
    }
    let appointments: Vec<i64> = request
        .appointment_ids
        .iter()
        .map(|id| decode(&state, IdKind::Appointment, id))
        .collect::<Result<_, _>>()?;
    let conn = db.get().await?;
    let scope = access::business(
        conn,
        &state.ids,
        &principal,
        "businessId",
        &request.business_id,
    )
    .await?;
    let mut select = Query::select();
    select
        .columns(columns_of(
            "r",
            &[
                "id",
                "appointment_id",
                "pet_id",
                "template_json",
                "content_json",
                "status",
                "report_url",
                "send_type",
                "template_published_at",
                "sending_methods",
                "last_sending_methods",
                "send_log",
            ],
        ))
        .columns(["business_id", "customer_id"].map(|column| (Alias::new("a"), Alias::new(column))))
        .from_as(Alias::new("moego_grooming_reports"), Alias::new("r"))
        .and_where(Expr::col((Alias::new("r"), Alias::new("appointment_id"))).is_in(appointments))
        .and_where(Expr::col((Alias::new("a"), Alias::new("business_id"))).eq(scope.business_id))
        .and_where(Expr::col((Alias::new("a"), Alias::new("deleted"))).eq(0))
        .order_by((Alias::new("r"), Alias::new("id")), Order::Asc);
    let inner = sea_query::JoinType::InnerJoin;
    join(
        &mut select,
        inner,
        ("moego_appointments", "a"),
        "id",
        ("r", "appointment_id"),
    );
    let (sql, values) = moapi_core::db::build(&select);
    let rows: Vec<ReportRow> = moapi_core::db::query_as_with(&sql, values)
        .fetch_all(conn)
        .await?;
    Ok(Json(ListGroomingReportsResponse {
        grooming_reports: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
    }))
}

/// A grooming report as the operator records it.
pub struct NewReport<'a> {
    pub pet_id: i64,
    pub status: GroomingReportStatus,
    pub template_json: &'a str,
    pub content_json: &'a str,
    pub report_url: &'a str,
    pub send_type: SendType,
    pub sending_methods: &'a [SendMethod],
}

/// Records a grooming report of a pet of the appointment (which must be live and book that
/// pet); returns the report's wire form.
pub async fn record(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    appointment_id: i64,
    report: &NewReport<'_>,
) -> Result<GroomingReport, Status> {
    let names: Vec<&str> = report.sending_methods.iter().map(|m| m.name()).collect();
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO moego_grooming_reports (appointment_id, pet_id, template_json, \
         content_json, status, report_url, send_type, sending_methods, created_at) \
         SELECT a.id, $2, $3, $4, $5, $6, $7, $8, $9 FROM moego_appointments a \
         WHERE a.id = $1 AND a.deleted = 0 AND EXISTS (SELECT 1 FROM moego_pet_service_details d \
         WHERE d.appointment_id = a.id AND d.pet_id = $2) RETURNING id",
    )
    .bind(appointment_id)
    .bind(report.pet_id)
    .bind(report.template_json)
    .bind(report.content_json)
    .bind(report.status.name())
    .bind(report.report_url)
    .bind(report.send_type.name())
    .bind(serde_json::to_string(&names).map_err(Status::internal)?)
    .bind(now_micros())
    .fetch_optional(&mut *conn)
    .await?;
    let (id,) = inserted.ok_or_else(|| Status::not_found("no live appointment books this pet"))?;
    let row: ReportRow = sqlx::query_as(
        "SELECT r.id, r.appointment_id, a.business_id, a.customer_id, r.pet_id, r.template_json, \
         r.content_json, r.status, r.report_url, r.send_type, r.template_published_at, \
         r.sending_methods, r.last_sending_methods, r.send_log FROM moego_grooming_reports r \
         JOIN moego_appointments a ON a.id = r.appointment_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.to_wire(ids))
}

//! Vans for mobile grooming (VanService) and their staff by date (VanRecordService). One
//! module serves both vendor services: a van record is a van's staff assignment on a day,
//! the same rows `ListVans` reads for today, and the record service reuses van.v1's
//! `AssignedStaff`. Vans belong to a business; operators create, edit and delete them and
//! assign their staff from a date on (an assignment holds until the van's next one, and a
//! staff member is on at most one van a day). The public API only lists them. The vendor's
//! webhook events name nothing about vans, so their writes emit none.

pub mod input;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use crate::access::{self, BusinessScope};
use crate::company;
use crate::wire::decode_unique;
use input::VanValues;
use store::VanRow;
use wire::{
    ListVanStaffRecordsRequest, ListVanStaffRecordsResponse, ListVansRequest, ListVansResponse,
};

pub const READ_SCOPE: &str = "vans:read";

fn van_not_found() -> Status {
    Status::not_found("van not found")
}

/// Creates a van of a business at `at`.
pub async fn create(
    db: &mut Conn,
    business: BusinessScope,
    values: &VanValues,
    at: i64,
) -> Result<VanRow, Status> {
    let _gate = db.write_gate().await;
    let conn = db.get().await?;
    Ok(store::insert(
        conn,
        business,
        &values.display_name,
        &values.license_plate,
        at,
    )
    .await?)
}

/// Renames a live van and sets its plate: NOT_FOUND when there is no such live van.
pub async fn edit(
    db: &mut Conn,
    van_id: i64,
    values: &VanValues,
    at: i64,
) -> Result<VanRow, Status> {
    let _gate = db.write_gate().await;
    let conn = db.get().await?;
    store::update(
        conn,
        van_id,
        &values.display_name,
        &values.license_plate,
        at,
    )
    .await?
    .ok_or_else(van_not_found)
}

/// Deletes a live van: it leaves `ListVans` and takes no more assignments, while its records
/// stay readable. NOT_FOUND when there is no such live van.
pub async fn delete(db: &mut Conn, van_id: i64, at: i64) -> Result<(), Status> {
    let _gate = db.write_gate().await;
    match store::delete(db.get().await?, van_id, at).await? {
        true => Ok(()),
        false => Err(van_not_found()),
    }
}

/// Makes `staff_ids` a live van's staff from `date` until its next assignment, replacing one
/// made for that date, in one transaction. Refused when a staff member does not work at the
/// van's business (NOT_FOUND), or would be on another van on one of those days
/// (ALREADY_EXISTS, naming the first such day).
pub async fn assign(
    db: &mut Conn,
    ids: &IdCodec,
    van_id: i64,
    date: NaiveDate,
    staff_ids: &[i64],
    at: i64,
) -> Result<VanRow, Status> {
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let van = store::lock_live(&mut tx, van_id, at)
        .await?
        .ok_or_else(van_not_found)?;
    input::check_staff(&mut tx, ids, &van, staff_ids).await?;
    store::lock_staff(&mut tx, staff_ids).await?;
    let day = input::date_text(date);
    let until = store::next_date(&mut tx, van.id, &day).await?;
    if let Some(clash) = store::clash(&mut tx, &van, staff_ids, (&day, until.as_deref())).await? {
        return Err(Status::new(
            Code::AlreadyExists,
            format!(
                "staffIds: {} is already on van {:?} on {}",
                ids.encode(IdKind::Staff, clash.staff_id),
                clash.van_name,
                clash.date
            ),
        ));
    }
    store::replace_assignment(&mut tx, van.id, &day, staff_ids, at).await?;
    tx.commit().await?;
    Ok(van)
}

/// Today on the company's wall clock: the day whose staff are a van's current staff.
async fn today_of(conn: &mut AnyConnection, company_id: i64) -> Result<NaiveDate, Status> {
    let zone = company::zone_of(conn, company_id).await?;
    Ok(company::local_time(now_micros(), zone).date_naive())
}

fn ids_of(rows: &[VanRow]) -> Vec<i64> {
    rows.iter().map(|row| row.id).collect()
}

/// Lists a company's live vans, at the businesses `businessIds` names when it names some, by
/// ID, each with its staff of today (the company's time zone).
#[utoipa::path(post, path = "/v1/vans:list", operation_id = "VanService_ListVans",
    request_body = ListVansRequest,
    responses((status = 200, body = ListVansResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_vans(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListVansRequest>,
) -> Result<Json<ListVansResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let (owner, business_ids) = access::optionally_listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        "businessIds",
        &request.business_ids,
    )
    .await?;
    let mut rows = store::list(conn, owner.company_id, business_ids.as_deref(), page).await?;
    let next_page_token = page.finish(&mut rows);
    let today = input::date_text(today_of(conn, owner.company_id).await?);
    let assigned = store::staff_on(conn, &ids_of(&rows), &today).await?;
    Ok(Json(ListVansResponse {
        next_page_token,
        vans: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, &assigned))
            .collect(),
    }))
}

/// Lists the staff of each of `vanIds` on `date`, one record per van, by van ID.
#[utoipa::path(post, path = "/v1/van_staff_records:list", operation_id = "VanRecordService_ListVanStaffRecords",
    request_body = ListVanStaffRecordsRequest,
    responses((status = 200, body = ListVanStaffRecordsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_van_staff_records(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListVanStaffRecordsRequest>,
) -> Result<Json<ListVanStaffRecordsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let date = input::date_text(input::date("date", request.date.as_deref())?);
    if request.van_ids.is_empty() {
        return Err(Status::invalid_argument(
            "vanIds: value must contain at least 1 item",
        ));
    }
    let van_ids = decode_unique(&state, IdKind::Van, "vanIds", &request.van_ids)?;
    let conn = db.get().await?;
    let vans = store::find_all(conn, &van_ids).await?;
    if vans.len() != van_ids.len() {
        return Err(Status::not_found("vanIds: van not found"));
    }
    access::check_all(conn, &principal, &vans).await?;
    let mut rows: Vec<VanRow> = vans
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.fetch_limit()).unwrap_or(usize::MAX))
        .collect();
    let next_page_token = page.finish(&mut rows);
    let assigned = store::staff_on(conn, &ids_of(&rows), &date).await?;
    Ok(Json(ListVanStaffRecordsResponse {
        next_page_token,
        records: rows
            .iter()
            .map(|row| row.to_record(&state.ids, &date, &assigned))
            .collect(),
    }))
}

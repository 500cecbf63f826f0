//! Staff (StaffService): a company's people. Deleted staff stay listed with `deleted: true`,
//! as the vendor documents. Staff belong to the company, so a key restricted to some of its
//! businesses still sees the company's staff.

pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};

use crate::access;
use crate::wire::PathId;
use wire::{ListStaffsRequest, ListStaffsResponse, Staff};

pub const READ_SCOPE: &str = "staffs:read";

/// Lists a company's staff by ID.
#[utoipa::path(post, path = "/v1/staffs:list", operation_id = "StaffService_ListStaffs",
    request_body = ListStaffsRequest,
    responses((status = 200, body = ListStaffsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_staffs(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListStaffsRequest>,
) -> Result<Json<ListStaffsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let mut rows = store::list(conn, owner.company_id, page).await?;
    let next_page_token = page.finish(&mut rows);
    let staffs = store::with_businesses(conn, rows)
        .await?
        .iter()
        .map(|staff| staff.to_wire(&state.ids))
        .collect();
    Ok(Json(ListStaffsResponse {
        next_page_token,
        staffs,
    }))
}

/// Retrieves one staff member.
#[utoipa::path(get, path = "/v1/staffs/{id}", operation_id = "StaffService_GetStaff",
    params(("id" = String, Path, description = "Staff ID (stf_...)")),
    responses((status = 200, body = Staff), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_staff(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Staff>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let raw = state
        .ids
        .decode(IdKind::Staff, &id)
        .map_err(|_| Status::invalid_obfuscate())?;
    let conn = db.get().await?;
    let row = store::find(conn, raw)
        .await?
        .ok_or_else(|| Status::not_found("staff not found"))?;
    access::check(conn, &principal, &row).await?;
    let staff = store::with_businesses(conn, vec![row]).await?;
    Ok(Json(staff[0].to_wire(&state.ids)))
}

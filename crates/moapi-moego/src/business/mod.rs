//! Businesses (BusinessService): the locations of a company. A key restricted to some
//! businesses sees only those.

pub mod hours;
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
use wire::{Business, ListBusinessRequest, ListBusinessResponse};

pub const READ_SCOPE: &str = "businesses:read";

/// Lists a company's businesses that the key reaches, by ID.
#[utoipa::path(post, path = "/v1/businesses:list", operation_id = "BusinessService_ListBusiness",
    request_body = ListBusinessRequest,
    responses((status = 200, body = ListBusinessResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_businesses(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListBusinessRequest>,
) -> Result<Json<ListBusinessResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let mut rows = store::list(conn, owner.company_id, principal.business_subset(), page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListBusinessResponse {
        next_page_token,
        businesses: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
    }))
}

/// Retrieves one business.
#[utoipa::path(get, path = "/v1/businesses/{id}", operation_id = "BusinessService_GetBusiness",
    params(("id" = String, Path, description = "Business ID (bus_...)")),
    responses((status = 200, body = Business), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_business(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Business>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let raw = state
        .ids
        .decode(IdKind::Business, &id)
        .map_err(|_| Status::invalid_obfuscate())?;
    let conn = db.get().await?;
    let row = store::find(conn, raw)
        .await?
        .ok_or_else(|| Status::not_found("business not found"))?;
    access::check(conn, &principal, &row).await?;
    Ok(Json(row.to_wire(&state.ids)))
}

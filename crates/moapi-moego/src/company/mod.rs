//! Companies (CompanyService): the tenants a key reaches. Created by operators
//! (`moapi seed`, `/admin/v1`), read through `companies:list` and `GET /v1/companies/{id}`.

pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};

use crate::wire::PathId;
use wire::{Company, ListCompaniesRequest, ListCompaniesResponse};

pub const READ_SCOPE: &str = "companies:read";

/// A company's IANA time zone, in which its calendar days and times of day are read; UTC when
/// it names none.
pub fn time_zone(timezone_id: &str) -> chrono_tz::Tz {
    timezone_id.parse().unwrap_or(chrono_tz::UTC)
}

/// An instant (microseconds since the epoch) on a zone's wall clock.
pub fn local_time(micros: i64, zone: chrono_tz::Tz) -> chrono::DateTime<chrono_tz::Tz> {
    chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .with_timezone(&zone)
}

/// Refuses a time zone that is not an IANA name; empty means UTC.
pub fn check_time_zone(timezone_id: &str) -> Result<(), String> {
    match timezone_id.is_empty() || timezone_id.parse::<chrono_tz::Tz>().is_ok() {
        true => Ok(()),
        false => Err(format!(
            "timezone: {timezone_id:?} is not an IANA time zone name (such as America/Los_Angeles)"
        )),
    }
}

/// Lists the companies the key reaches, alphabetically by name.
#[utoipa::path(post, path = "/v1/companies:list", operation_id = "CompanyService_ListCompanies",
    request_body = ListCompaniesRequest,
    responses((status = 200, body = ListCompaniesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_companies(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    ProtoJson(request): ProtoJson<ListCompaniesRequest>,
) -> Result<Json<ListCompaniesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let mut rows = store::list(&state.db, &principal, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListCompaniesResponse {
        next_page_token,
        companies: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
    }))
}

/// Retrieves one company.
#[utoipa::path(get, path = "/v1/companies/{id}", operation_id = "CompanyService_GetCompany",
    params(("id" = String, Path, description = "Company ID (cmp_...)")),
    responses((status = 200, body = Company), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_company(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    PathId(id): PathId,
) -> Result<Json<Company>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let raw = decode_id(&state, &id)?;
    let row = store::find(&state.db, raw)
        .await?
        .ok_or_else(|| Status::not_found("company not found"))?;
    if !principal.allows_company(row.owner()) {
        return Err(Status::no_permission());
    }
    Ok(Json(row.to_wire(&state.ids)))
}

fn decode_id(state: &AppState, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(IdKind::Company, id)
        .map_err(|_| Status::invalid_obfuscate())
}

/// The owner chain of the company a stored row belongs to (rows always have one).
pub async fn owner_of(state: &AppState, company_id: i64) -> Result<CompanyOwner, Status> {
    store::owner(&state.db, company_id)
        .await?
        .ok_or_else(|| Status::internal(format!("company {company_id} of a stored row is missing")))
}

/// Resolves a request's `companyId` and checks the key may act in it: INVALID_ARGUMENT when it
/// is missing, "invalid obfuscate" when malformed, NOT_FOUND, or "no permission" (code 7).
pub async fn authorize(
    state: &AppState,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
) -> Result<CompanyOwner, Status> {
    let owner = store::owner(&state.db, requested_company(state, company_id)?)
        .await?
        .ok_or_else(|| Status::not_found("company not found"))?;
    allowed(principal, owner)
}

/// [`authorize`], also answering the IDs of the company's businesses (one statement for both),
/// for the lists that take `businessIds`.
pub async fn authorize_with_businesses(
    state: &AppState,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
) -> Result<(CompanyOwner, Vec<i64>), Status> {
    let (owner, business_ids) =
        store::owner_with_businesses(&state.db, requested_company(state, company_id)?)
            .await?
            .ok_or_else(|| Status::not_found("company not found"))?;
    Ok((allowed(principal, owner)?, business_ids))
}

fn requested_company(state: &AppState, company_id: Option<&str>) -> Result<i64, Status> {
    let company_id = company_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Status::invalid_argument("companyId: value is required"))?;
    decode_id(state, company_id)
}

fn allowed(principal: &MoegoPrincipal, owner: CompanyOwner) -> Result<CompanyOwner, Status> {
    if principal.allows_company(owner) {
        Ok(owner)
    } else {
        Err(Status::no_permission())
    }
}

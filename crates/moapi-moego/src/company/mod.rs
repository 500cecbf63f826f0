//! Companies (CompanyService): the tenants a key reaches. Created by operators
//! (`moapi seed`, `/admin/v1`), read through `companies:list` and `GET /v1/companies/{id}`.

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
use wire::{Company, ListCompaniesRequest, ListCompaniesResponse};

pub const READ_SCOPE: &str = "companies:read";

/// A company's IANA time zone, in which its calendar days and times of day are read; UTC when
/// it names none.
pub fn time_zone(timezone_id: &str) -> chrono_tz::Tz {
    timezone_id.parse().unwrap_or(chrono_tz::UTC)
}

/// The time zone of a company that exists (its calendar days and times of day).
pub async fn zone_of(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
) -> Result<chrono_tz::Tz, moapi_core::Status> {
    let (timezone_id,): (String,) =
        sqlx::query_as("SELECT timezone_id FROM moego_companies WHERE id = $1")
            .bind(company_id)
            .fetch_one(conn)
            .await?;
    Ok(time_zone(&timezone_id))
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
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListCompaniesRequest>,
) -> Result<Json<ListCompaniesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let mut rows = store::list(db.get().await?, &principal, page).await?;
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
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Company>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let raw = decode_id(&state, &id)?;
    let row = store::find(db.get().await?, raw)
        .await?
        .ok_or_else(|| Status::not_found("company not found"))?;
    access::require(&principal, row.owner(), None)?;
    Ok(Json(row.to_wire(&state.ids)))
}

fn decode_id(state: &AppState, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(IdKind::Company, id)
        .map_err(|_| Status::invalid_obfuscate())
}

//! Packages (PackageService): the packages customers bought from their business's catalog
//! (`retail`), with what is left of each of their services. An operator sale of a catalog
//! package creates them; redemptions against orders (`redeem`: the operator's verb, and
//! bookings of a covered service) take from them. The public API lists them.

pub mod redeem;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};

use crate::access;
use wire::{
    ListPackageDetailsRequest, ListPackageDetailsResponse, ListPackagesRequest,
    ListPackagesResponse, PackageDetail,
};

pub const READ_SCOPE: &str = "packages:read";

/// Lists the packages a customer bought at a business, by ID.
#[utoipa::path(post, path = "/v1/packages:list", operation_id = "PackageService_ListPackages",
    request_body = ListPackagesRequest,
    responses((status = 200, body = ListPackagesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_packages(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListPackagesRequest>,
) -> Result<Json<ListPackagesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let scope = access::company_business(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        "businessId",
        &request.business_id,
    )
    .await?;
    let customer_id =
        access::company_customer(conn, &state.ids, &principal, scope, &request.customer_id).await?;
    let mut rows = store::list_of_customer(conn, scope.business_id, customer_id, page).await?;
    let next_page_token = page.finish(&mut rows);
    let now = now_micros();
    Ok(Json(ListPackagesResponse {
        packages: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, now))
            .collect::<Result<_, _>>()?,
        next_page_token,
    }))
}

/// Lists packages bought at a business (of `packageIds`) with their services and what is left
/// of each, by ID. IDs of packages bought elsewhere show nothing.
#[utoipa::path(post, path = "/v1/packages/details:list", operation_id = "PackageService_ListPackageDetails",
    request_body = ListPackageDetailsRequest,
    responses((status = 200, body = ListPackageDetailsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_package_details(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListPackageDetailsRequest>,
) -> Result<Json<ListPackageDetailsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    if request.package_ids.is_empty() {
        return Err(Status::invalid_argument(
            "packageIds: value must contain at least 1 item",
        ));
    }
    crate::wire::check_max_items("packageIds", request.package_ids.len())?;
    let package_ids = request
        .package_ids
        .iter()
        .map(|id| {
            state
                .ids
                .decode(IdKind::CustomerPackage, id.trim())
                .map_err(|_| Status::invalid_obfuscate())
        })
        .collect::<Result<Vec<i64>, Status>>()?;
    let conn = db.get().await?;
    let scope = access::company_business(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        "businessId",
        &request.business_id,
    )
    .await?;
    let mut rows = store::list_by_ids(conn, scope.business_id, &package_ids, page).await?;
    let next_page_token = page.finish(&mut rows);
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let items = store::services_of(conn, &ids).await?;
    let now = now_micros();
    let package_details = rows
        .iter()
        .map(|row| {
            Ok(PackageDetail {
                package_info: row.to_wire(&state.ids, now)?,
                package_services: items
                    .iter()
                    .filter(|item| item.customer_package_id == row.id)
                    .map(|item| item.to_wire(&state.ids, &row.currency_code))
                    .collect::<Result<_, Status>>()?,
            })
        })
        .collect::<Result<_, Status>>()?;
    Ok(Json(ListPackageDetailsResponse {
        package_details,
        next_page_token,
    }))
}

//! Retail (RetailService): each business's package catalog and its products with their
//! suppliers and stock. Operators create them; sales through orders move `soldQuantity` and
//! `stock` (the operator's sale verb), and the public API lists them.

pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Status};

use crate::access;
use wire::{ListPackagesRequest, ListPackagesResponse, ListProductsRequest, ListProductsResponse};

pub const READ_SCOPE: &str = "retail:read";

/// Lists the package catalog of some of a company's businesses, by ID.
#[utoipa::path(post, path = "/v1/retail/packages:list", operation_id = "RetailService_ListPackages",
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
    let (_, business_ids) = access::listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        &request.business_ids,
    )
    .await?;
    let mut rows = store::list_packages(conn, &business_ids, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListPackagesResponse {
        next_page_token,
        packages: rows
            .iter()
            .map(|row| row.to_wire(&state.ids))
            .collect::<Result<_, _>>()?,
    }))
}

/// Lists the products of some of a company's businesses (deleted ones flagged), by ID.
#[utoipa::path(post, path = "/v1/retail/products:list", operation_id = "RetailService_ListProducts",
    request_body = ListProductsRequest,
    responses((status = 200, body = ListProductsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListProductsRequest>,
) -> Result<Json<ListProductsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let (_, business_ids) = access::listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        &request.business_ids,
    )
    .await?;
    let mut rows = store::list_products(conn, &business_ids, page).await?;
    let next_page_token = page.finish(&mut rows);
    let suppliers = store::suppliers_of(conn, &rows).await?;
    Ok(Json(ListProductsResponse {
        next_page_token,
        products: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, &suppliers))
            .collect::<Result<_, _>>()?,
    }))
}

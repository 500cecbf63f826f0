//! The catalog resource: `GET/POST /catalogs`, `GET/PATCH/DELETE /catalogs/{catalogId}`,
//! `GET/POST/DELETE /catalogs/{catalogId}/trips` and `PATCH /catalogs/{catalogId}/visibility`.
//! Handlers follow the trips': authenticate first (401 before any validation), read the
//! request, call `input` for the rules and `store` for the rows, render `wire` types. Another
//! account's catalog is "catalog not found", and another account's trip named in a body is
//! refused exactly like an unknown one. A catalog's trips are listed by the trip module, with
//! the same list language and items as `GET /trips`.

mod input;
pub mod store;
pub mod wire;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use moapi_core::auth::MoguPrincipal;
use moapi_core::db::Conn;
use moapi_core::wire::MoguJson;
use moapi_core::{AppState, MoguError};
use sqlx::AnyConnection;

use self::store::{CatalogWriteError, StoredCatalog, TripSetChange};
use self::wire::{
    Catalog, CatalogCreateRequest, CatalogTripIdsRequest, CatalogUpdateRequest, PaginatedCatalogs,
};
use crate::trip::input::path_id;
use crate::trip::visibility::VisibilityRequest;
use crate::trip::wire::{PaginatedTrips, ValidationErrors};
use crate::trip::{list_request, trip_page};

/// Checks the body of a new catalog as `POST /catalogs` does: its fields and its trip IDs.
pub fn new_catalog(
    request: CatalogCreateRequest,
) -> Result<(store::NewCatalog, Vec<i64>), MoguError> {
    let changes = input::apply_changes(request.0, store::NewCatalog::default())?;
    Ok((changes.catalog, changes.trip_ids.unwrap_or_default()))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalogs", get(list_catalogs).post(create_catalog))
        .route(
            "/catalogs/{catalogId}",
            get(get_catalog)
                .patch(update_catalog)
                .delete(delete_catalog),
        )
        .route(
            "/catalogs/{catalogId}/trips",
            get(list_catalog_trips)
                .post(add_catalog_trips)
                .delete(remove_catalog_trips),
        )
        .route(
            "/catalogs/{catalogId}/visibility",
            patch(set_catalog_visibility),
        )
}

fn path_catalog_id(path: Result<Path<String>, PathRejection>) -> Result<i64, MoguError> {
    path_id("catalogId", path)
}

fn catalog_not_found() -> MoguError {
    MoguError::not_found("catalogId", "catalog not found")
}

impl From<CatalogWriteError> for MoguError {
    fn from(err: CatalogWriteError) -> Self {
        match err {
            CatalogWriteError::UnknownTrips(trip_ids) => input::unknown_trips(&trip_ids),
            CatalogWriteError::Database(err) => err.into(),
        }
    }
}

async fn find_catalog(
    conn: &mut AnyConnection,
    account_id: i64,
    catalog_id: i64,
) -> Result<StoredCatalog, MoguError> {
    store::find_catalog(conn, account_id, catalog_id)
        .await?
        .ok_or_else(catalog_not_found)
}

/// The catalog as it is after a write that found it (`found`), or "catalog not found".
async fn catalog_after(
    conn: &mut AnyConnection,
    account_id: i64,
    catalog_id: i64,
    found: bool,
) -> Result<Json<Catalog>, MoguError> {
    if !found {
        return Err(catalog_not_found());
    }
    Ok(Json(
        find_catalog(conn, account_id, catalog_id).await?.into(),
    ))
}

#[utoipa::path(
    get,
    path = "/catalogs",
    tag = "catalogs",
    operation_id = "getCatalogs",
    description = "Retrieve a paginated list of the account's catalogs. Filters: id, title, description, logoUrl, isPublic, createdAt, updatedAt. Search: title, description. Sort: id, title, createdAt, updatedAt (default createdAt desc).",
    params(
        ("page" = Option<u64>, Query, description = "Page number, from 1", example = 1),
        ("pageSize" = Option<u64>, Query, description = "Catalogs per page: 1 to 100, default 20", example = 20),
        ("filters" = Option<String>, Query, description = "JSON array of {field, operator, value}; fields id, title, description, logoUrl, isPublic, createdAt, updatedAt; operators eq, neq, gt, gte, lt, lte, in, contains", example = r#"[{"field":"isPublic","operator":"eq","value":true}]"#),
        ("orderBy" = Option<String>, Query, description = "JSON object {field, direction}; fields id, title, createdAt, updatedAt; default createdAt desc", example = r#"{"field":"title","direction":"asc"}"#),
        ("search" = Option<String>, Query, description = "JSON object {fields, term}; fields among title, description", example = r#"{"fields":["title"],"term":"Europe"}"#),
    ),
    responses(
        (status = 200, description = "Successful response with paginated catalogs", body = PaginatedCatalogs),
        (status = 400, description = "Invalid query parameter", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
    )
)]
pub async fn list_catalogs(
    principal: MoguPrincipal,
    mut db: Conn,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<PaginatedCatalogs>, MoguError> {
    let conn = db.get().await?;
    let request = list_request(query, &store::LIST_SPEC)?;
    let (catalogs, total_count) =
        store::list_catalogs(conn, principal.account_id, &request).await?;
    let items = catalogs.into_iter().map(Catalog::from).collect();
    Ok(Json(request.envelope(items, total_count).into()))
}

#[utoipa::path(
    post,
    path = "/catalogs",
    tag = "catalogs",
    operation_id = "createCatalog",
    description = "Create a new catalog with the specified details. `tripIds` (up to 500 of the account's trips) fills it; an unknown or foreign trip id refuses the whole request. A new catalog is private.",
    request_body = CatalogCreateRequest,
    responses(
        (status = 201, description = "Catalog created", body = Catalog),
        (status = 400, description = "Validation error naming every bad field, or the trip ids that are not the account's", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
    )
)]
pub async fn create_catalog(
    principal: MoguPrincipal,
    mut db: Conn,
    MoguJson(request): MoguJson<CatalogCreateRequest>,
) -> Result<(StatusCode, Json<Catalog>), MoguError> {
    let conn = db.get().await?;
    let (catalog, trip_ids) = new_catalog(request)?;
    let account_id = principal.account_id;
    let catalog_id = store::insert_catalog(conn, account_id, &catalog, &trip_ids).await?;
    let catalog = find_catalog(conn, account_id, catalog_id).await?;
    Ok((StatusCode::CREATED, Json(catalog.into())))
}

#[utoipa::path(
    get,
    path = "/catalogs/{catalogId}",
    tag = "catalogs",
    operation_id = "getCatalogById",
    description = "Retrieve one of the account's catalogs.",
    params(("catalogId" = i64, Path, description = "Unique identifier of the catalog", example = 101)),
    responses(
        (status = 200, description = "The catalog", body = Catalog),
        (status = 400, description = "catalogId is not a positive integer", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such catalog in the caller's account", body = ValidationErrors),
    )
)]
pub async fn get_catalog(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Catalog>, MoguError> {
    let conn = db.get().await?;
    let catalog_id = path_catalog_id(path)?;
    let catalog = find_catalog(conn, principal.account_id, catalog_id).await?;
    Ok(Json(catalog.into()))
}

#[utoipa::path(
    patch,
    path = "/catalogs/{catalogId}",
    tag = "catalogs",
    operation_id = "updateCatalog",
    description = "Update some fields of a catalog: an absent field keeps its value, null clears description or logoUrl, `filters` replaces the facets and `tripIds` replaces the catalog's trips (all or nothing). `updatedAt` moves when something changed.",
    params(("catalogId" = i64, Path, description = "Unique identifier of the catalog", example = 101)),
    request_body = CatalogUpdateRequest,
    responses(
        (status = 200, description = "Updated catalog", body = Catalog),
        (status = 400, description = "Validation error naming every bad field, or the trip ids that are not the account's", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such catalog in the caller's account", body = ValidationErrors),
    )
)]
pub async fn update_catalog(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    MoguJson(request): MoguJson<CatalogUpdateRequest>,
) -> Result<Json<Catalog>, MoguError> {
    let conn = db.get().await?;
    let catalog_id = path_catalog_id(path)?;
    let account_id = principal.account_id;
    let before = find_catalog(conn, account_id, catalog_id).await?.fields;
    let changes = input::apply_changes(request, before.clone())?;
    let found = store::update_catalog(
        conn,
        account_id,
        catalog_id,
        &before,
        &changes.catalog,
        changes.trip_ids.as_deref(),
    )
    .await?;
    catalog_after(conn, account_id, catalog_id, found).await
}

#[utoipa::path(
    delete,
    path = "/catalogs/{catalogId}",
    tag = "catalogs",
    operation_id = "deleteCatalog",
    description = "Delete a catalog. Its trips are kept; they only leave the catalog.",
    params(("catalogId" = i64, Path, description = "Unique identifier of the catalog", example = 101)),
    responses(
        (status = 204, description = "Catalog deleted"),
        (status = 400, description = "catalogId is not a positive integer", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such catalog in the caller's account", body = ValidationErrors),
    )
)]
pub async fn delete_catalog(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, MoguError> {
    let conn = db.get().await?;
    let catalog_id = path_catalog_id(path)?;
    if !store::delete_catalog(conn, principal.account_id, catalog_id).await? {
        return Err(catalog_not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/catalogs/{catalogId}/trips",
    tag = "catalogs",
    operation_id = "getCatalogTrips",
    description = "List a catalog's trips with the list language and items of GET /trips. Filters: id, title, slug, code, joinCode, duration, dateStart, dateFinish, dateExpiration, countries, isPublic, isTemplate, createdAt, updatedAt. Search: title, slug, code, seoDescription. Sort: id, title, code, duration, dateStart, dateFinish, dateExpiration, createdAt, updatedAt (default createdAt desc).",
    params(
        ("catalogId" = i64, Path, description = "Unique identifier of the catalog", example = 101),
        ("page" = Option<u64>, Query, description = "Page number, from 1", example = 1),
        ("pageSize" = Option<u64>, Query, description = "Trips per page: 1 to 100, default 20", example = 20),
        ("filters" = Option<String>, Query, description = "JSON array of {field, operator, value}, as for GET /trips", example = r#"[{"field":"duration","operator":"gte","value":5}]"#),
        ("orderBy" = Option<String>, Query, description = "JSON object {field, direction}, as for GET /trips; default createdAt desc", example = r#"{"field":"createdAt","direction":"desc"}"#),
        ("search" = Option<String>, Query, description = "JSON object {fields, term}; fields among title, slug, code, seoDescription", example = r#"{"fields":["title"],"term":"Paris"}"#),
    ),
    responses(
        (status = 200, description = "Paginated trips of the catalog", body = PaginatedTrips),
        (status = 400, description = "Invalid catalogId or query parameter", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such catalog in the caller's account", body = ValidationErrors),
    )
)]
pub async fn list_catalog_trips(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<PaginatedTrips>, MoguError> {
    let conn = db.get().await?;
    let catalog_id = path_catalog_id(path)?;
    let account_id = principal.account_id;
    find_catalog(conn, account_id, catalog_id).await?;
    let scope = store::trips_in_catalog(catalog_id);
    Ok(Json(trip_page(conn, account_id, scope, query).await?))
}

#[utoipa::path(
    post,
    path = "/catalogs/{catalogId}/trips",
    tag = "catalogs",
    operation_id = "addTripsToCatalog",
    description = "Add up to 500 of the account's trips to a catalog. Trips already in it stay once; an unknown or foreign trip id refuses the whole request.",
    params(("catalogId" = i64, Path, description = "Unique identifier of the catalog", example = 101)),
    request_body = CatalogTripIdsRequest,
    responses(
        (status = 200, description = "Updated catalog", body = Catalog),
        (status = 400, description = "tripIds is not a list of 1 to 500 positive ids, or names trips that are not the account's", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such catalog in the caller's account", body = ValidationErrors),
    )
)]
pub async fn add_catalog_trips(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    MoguJson(request): MoguJson<CatalogTripIdsRequest>,
) -> Result<Json<Catalog>, MoguError> {
    let conn = db.get().await?;
    change_catalog_trips(principal, conn, path, request, TripSetChange::Add).await
}

#[utoipa::path(
    delete,
    path = "/catalogs/{catalogId}/trips",
    tag = "catalogs",
    operation_id = "removeTripsFromCatalog",
    description = "Remove up to 500 trips from a catalog; ids not in the catalog are ignored. The trips themselves are kept.",
    params(("catalogId" = i64, Path, description = "Unique identifier of the catalog", example = 101)),
    request_body = CatalogTripIdsRequest,
    responses(
        (status = 200, description = "Updated catalog", body = Catalog),
        (status = 400, description = "tripIds is not a list of 1 to 500 positive ids", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such catalog in the caller's account", body = ValidationErrors),
    )
)]
pub async fn remove_catalog_trips(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    MoguJson(request): MoguJson<CatalogTripIdsRequest>,
) -> Result<Json<Catalog>, MoguError> {
    let conn = db.get().await?;
    change_catalog_trips(principal, conn, path, request, TripSetChange::Remove).await
}

/// Adds or removes the trips a request names, and answers the catalog as it is then.
async fn change_catalog_trips(
    principal: MoguPrincipal,
    conn: &mut AnyConnection,
    path: Result<Path<String>, PathRejection>,
    request: CatalogTripIdsRequest,
    change: TripSetChange,
) -> Result<Json<Catalog>, MoguError> {
    let catalog_id = path_catalog_id(path)?;
    let trip_ids = input::trips_named(request)?;
    let account_id = principal.account_id;
    let found = store::change_trips(conn, account_id, catalog_id, &trip_ids, change).await?;
    catalog_after(conn, account_id, catalog_id, found).await
}

#[utoipa::path(
    patch,
    path = "/catalogs/{catalogId}/visibility",
    tag = "catalogs",
    operation_id = "setCatalogVisibility",
    description = "Make a catalog public or private.",
    params(("catalogId" = i64, Path, description = "Unique identifier of the catalog", example = 101)),
    request_body = VisibilityRequest,
    responses(
        (status = 200, description = "Updated catalog", body = Catalog),
        (status = 400, description = "isPublic is not true or false", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such catalog in the caller's account", body = ValidationErrors),
    )
)]
pub async fn set_catalog_visibility(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    MoguJson(request): MoguJson<VisibilityRequest>,
) -> Result<Json<Catalog>, MoguError> {
    let conn = db.get().await?;
    let catalog_id = path_catalog_id(path)?;
    let is_public = input::visibility(request)?;
    let account_id = principal.account_id;
    let before = find_catalog(conn, account_id, catalog_id).await?.fields;
    let after = store::NewCatalog {
        is_public,
        ..before.clone()
    };
    let found = store::update_catalog(conn, account_id, catalog_id, &before, &after, None).await?;
    catalog_after(conn, account_id, catalog_id, found).await
}

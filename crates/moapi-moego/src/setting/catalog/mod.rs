//! The company catalogs of SettingService: customer tags and referral sources, lead life
//! cycles and action statuses, pet codes, types, sizes and coat types, and custom fields.
//! Operators create the entries (the vendor edits them in its settings app); these operations
//! list a whole catalog of the path's company, in creation order (custom fields by
//! `displayOrder`, then creation). A company the key does not reach is code 7.

pub mod input;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Status};
use sqlx::AnyConnection;

use super::READ_SCOPE;
use crate::access;
use crate::customer::wire::ReferralSource;
use crate::wire::{check_max_items, PathId};
use store::NamedCatalog;
use wire::{
    ListActionStatusesResponse, ListCatalogBody, ListCustomFieldsBody, ListCustomFieldsResponse,
    ListCustomerTagsResponse, ListLifeCyclesResponse, ListPetCoatTypesResponse,
    ListPetCodesResponse, ListPetSizesResponse, ListPetTypesResponse, ListReferralSourcesResponse,
    PetCoatType, PetTypeEntry,
};

/// The path's company, checked against the key, and the request's connection to read its
/// catalog.
async fn company_catalog<'c>(
    state: &AppState,
    principal: &MoegoPrincipal,
    db: &'c mut Conn,
    company_id: &str,
) -> Result<(i64, &'c mut AnyConnection), Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, principal, Some(company_id)).await?;
    Ok((owner.company_id, conn))
}

/// The entries of a name-only catalog of the path's company, each made `(id, name)` into its
/// wire type.
async fn named_entries<T>(
    state: &AppState,
    principal: &MoegoPrincipal,
    db: &mut Conn,
    company_id: &str,
    catalog: NamedCatalog,
    entry: impl Fn(String, String) -> T,
) -> Result<Vec<T>, Status> {
    let (company_id, conn) = company_catalog(state, principal, db, company_id).await?;
    let rows = store::list_named(conn, catalog, company_id).await?;
    Ok(rows
        .into_iter()
        .map(|row| entry(state.ids.encode(catalog.kind(), row.id), row.name))
        .collect())
}

/// Lists the company's custom fields, optionally of some association types only.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/custom_fields",
    operation_id = "SettingService_ListCustomFields",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCustomFieldsBody,
    responses((status = 200, body = ListCustomFieldsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_custom_fields(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(body): ProtoJson<ListCustomFieldsBody>,
) -> Result<Json<ListCustomFieldsResponse>, Status> {
    let (company_id, conn) = company_catalog(&state, &principal, &mut db, &company_id).await?;
    let association_types = body.filter.unwrap_or_default().association_types;
    check_max_items("filter.associationTypes", association_types.len())?;
    if association_types.contains(&wire::AssociationType::AssociationTypeUnspecified) {
        return Err(Status::invalid_argument(
            "filter.associationTypes: CUSTOMER or LEAD, not ASSOCIATION_TYPE_UNSPECIFIED",
        ));
    }
    let rows = store::list_custom_fields(conn, company_id, &association_types).await?;
    let custom_fields = rows
        .iter()
        .map(|row| row.to_wire(&state.ids).map_err(Status::internal))
        .collect::<Result<_, _>>()?;
    Ok(Json(ListCustomFieldsResponse { custom_fields }))
}

/// Lists the company's customer referral sources.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/customer/referral_sources:list",
    operation_id = "SettingService_ListCustomerReferralSources",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListReferralSourcesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_referral_sources(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListReferralSourcesResponse>, Status> {
    let catalog = NamedCatalog::ReferralSources;
    let referral_sources = named_entries(
        &state,
        &principal,
        &mut db,
        &company_id,
        catalog,
        |id, name| ReferralSource { id, name },
    )
    .await?;
    Ok(Json(ListReferralSourcesResponse { referral_sources }))
}

/// Lists the company's customer tags.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/customer/tags:list",
    operation_id = "SettingService_ListCustomerTags",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListCustomerTagsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_customer_tags(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListCustomerTagsResponse>, Status> {
    let (company_id, conn) = company_catalog(&state, &principal, &mut db, &company_id).await?;
    let rows = store::list_tags(conn, company_id).await?;
    Ok(Json(ListCustomerTagsResponse {
        tags: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
    }))
}

/// Lists the company's lead action statuses.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/leads/action_status",
    operation_id = "SettingService_ListLeadsActionStatus",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListActionStatusesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_leads_action_status(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListActionStatusesResponse>, Status> {
    let (company_id, conn) = company_catalog(&state, &principal, &mut db, &company_id).await?;
    Ok(Json(ListActionStatusesResponse {
        action_statuses: store::list_action_statuses(conn, &state.ids, company_id).await?,
    }))
}

/// Lists the company's lead life cycle stages.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/leads/life_cycles",
    operation_id = "SettingService_ListLeadsLifeCycles",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListLifeCyclesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_leads_life_cycles(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListLifeCyclesResponse>, Status> {
    let (company_id, conn) = company_catalog(&state, &principal, &mut db, &company_id).await?;
    Ok(Json(ListLifeCyclesResponse {
        life_cycles: store::list_life_cycles(conn, &state.ids, company_id).await?,
    }))
}

/// Lists the company's pet coat types.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/pet/coat_types:list",
    operation_id = "SettingService_ListPetCoatTypes",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListPetCoatTypesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_pet_coat_types(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListPetCoatTypesResponse>, Status> {
    let catalog = NamedCatalog::PetCoatTypes;
    let pet_coat_types = named_entries(
        &state,
        &principal,
        &mut db,
        &company_id,
        catalog,
        |id, name| PetCoatType { id, name },
    )
    .await?;
    Ok(Json(ListPetCoatTypesResponse { pet_coat_types }))
}

/// Lists the company's pet codes.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/pet/codes:list",
    operation_id = "SettingService_ListPetCodes",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListPetCodesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_pet_codes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListPetCodesResponse>, Status> {
    let (company_id, conn) = company_catalog(&state, &principal, &mut db, &company_id).await?;
    let rows = store::list_pet_codes(conn, company_id).await?;
    Ok(Json(ListPetCodesResponse {
        codes: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
    }))
}

/// Lists the company's pet sizes with their reference weight ranges.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/pet/sizes:list",
    operation_id = "SettingService_ListPetSizes",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListPetSizesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_pet_sizes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListPetSizesResponse>, Status> {
    let (company_id, conn) = company_catalog(&state, &principal, &mut db, &company_id).await?;
    let rows = store::list_pet_sizes(conn, company_id).await?;
    Ok(Json(ListPetSizesResponse {
        pet_sizes: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
    }))
}

/// Lists the company's pet types (species).
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/pet/types:list",
    operation_id = "SettingService_ListPetTypes",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListCatalogBody,
    responses((status = 200, body = ListPetTypesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_pet_types(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_body): ProtoJson<ListCatalogBody>,
) -> Result<Json<ListPetTypesResponse>, Status> {
    let catalog = NamedCatalog::PetTypes;
    let pet_types = named_entries(
        &state,
        &principal,
        &mut db,
        &company_id,
        catalog,
        |id, name| PetTypeEntry { id, name },
    )
    .await?;
    Ok(Json(ListPetTypesResponse { pet_types }))
}

/// The catalog routes, merged into the MoeGo router.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::post;
    let base = "/v1/setting/companies/{companyId}";
    axum::Router::new()
        .route(&format!("{base}/custom_fields"), post(list_custom_fields))
        .route(
            &format!("{base}/customer/referral_sources:list"),
            post(list_referral_sources),
        )
        .route(
            &format!("{base}/customer/tags:list"),
            post(list_customer_tags),
        )
        .route(
            &format!("{base}/leads/action_status"),
            post(list_leads_action_status),
        )
        .route(
            &format!("{base}/leads/life_cycles"),
            post(list_leads_life_cycles),
        )
        .route(
            &format!("{base}/pet/coat_types:list"),
            post(list_pet_coat_types),
        )
        .route(&format!("{base}/pet/codes:list"), post(list_pet_codes))
        .route(&format!("{base}/pet/sizes:list"), post(list_pet_sizes))
        .route(&format!("{base}/pet/types:list"), post(list_pet_types))
}

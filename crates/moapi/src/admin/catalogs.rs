//! Operator endpoints for the company catalogs SettingService lists: customer tags, referral
//! sources, pet types, sizes and coat types, and custom fields.

use axum::extract::{Path, State};
use axum::routing::{patch, post, put};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::AppState;
use moapi_moego::setting::catalog::input::{CustomFieldInput, PetSizeInput};
use moapi_moego::setting::catalog::store::NamedCatalog;
use serde_json::json;

use super::{created, edited, Answer, Json, OperatorToken};
use crate::operator::catalogs::{self, NewNamedEntryRequest};

pub fn router() -> Router<AppState> {
    let base = "/moego/companies/{company}";
    Router::new()
        .route(&format!("{base}/customer-tags"), post(create_customer_tag))
        .route(
            &format!("{base}/referral-sources"),
            post(create_referral_source),
        )
        .route(&format!("{base}/pet-types"), post(create_pet_type))
        .route(
            &format!("{base}/pet-coat-types"),
            post(create_pet_coat_type),
        )
        .route(&format!("{base}/pet-sizes"), post(create_pet_size))
        .route(&format!("{base}/custom-fields"), post(create_custom_field))
        .route(
            &format!("{base}/customer-tags/{{entry}}"),
            patch(rename_customer_tag),
        )
        .route(
            &format!("{base}/referral-sources/{{entry}}"),
            patch(rename_referral_source),
        )
        .route(
            &format!("{base}/pet-types/{{entry}}"),
            patch(rename_pet_type),
        )
        .route(
            &format!("{base}/pet-coat-types/{{entry}}"),
            patch(rename_pet_coat_type),
        )
        .route(&format!("{base}/pet-sizes/{{entry}}"), put(update_pet_size))
        .route(
            &format!("{base}/custom-fields/{{entry}}"),
            put(replace_custom_field),
        )
}

async fn replace_custom_field(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, entry)): Path<(String, String)>,
    Json(request): Json<CustomFieldInput>,
) -> Answer<serde_json::Value> {
    catalogs::replace_custom_field(&state, &mut db, &company, &entry, &request).await?;
    edited(json!({ "customFieldId": entry }))
}

async fn rename_customer_tag(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, entry)): Path<(String, String)>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    catalogs::rename_customer_tag(&state, &mut db, &company, &entry, &request.name).await?;
    edited(json!({ "tagId": entry, "name": request.name.trim() }))
}

/// Renames an entry of a name-only catalog, answering `{<id_field>: entry, name}`.
async fn rename_named(
    state: &AppState,
    db: &mut Conn,
    (company, entry): (String, String),
    catalog: NamedCatalog,
    request: &NewNamedEntryRequest,
    id_field: &str,
) -> Answer<serde_json::Value> {
    catalogs::rename_named_entry(state, db, &company, catalog, &entry, &request.name).await?;
    edited(json!({ id_field: entry, "name": request.name.trim() }))
}

async fn rename_referral_source(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(path): Path<(String, String)>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    let catalog = NamedCatalog::ReferralSources;
    rename_named(&state, &mut db, path, catalog, &request, "referralSourceId").await
}

async fn rename_pet_type(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(path): Path<(String, String)>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    rename_named(
        &state,
        &mut db,
        path,
        NamedCatalog::PetTypes,
        &request,
        "petTypeId",
    )
    .await
}

async fn rename_pet_coat_type(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(path): Path<(String, String)>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    let catalog = NamedCatalog::PetCoatTypes;
    rename_named(&state, &mut db, path, catalog, &request, "petCoatTypeId").await
}

async fn update_pet_size(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path((company, entry)): Path<(String, String)>,
    Json(request): Json<PetSizeInput>,
) -> Answer<serde_json::Value> {
    catalogs::update_pet_size(&state, &mut db, &company, &entry, &request).await?;
    edited(json!({ "petSizeId": entry }))
}

async fn create_customer_tag(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    let id = catalogs::create_customer_tag(&state, &mut db, &company, &request.name).await?;
    created(json!({ "tagId": id }))
}

/// Creates an entry of a name-only catalog, answering `{<id_field>: id}`.
async fn create_named(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    catalog: NamedCatalog,
    request: &NewNamedEntryRequest,
    id_field: &str,
) -> Answer<serde_json::Value> {
    let id = catalogs::create_named_entry(state, db, company, catalog, &request.name).await?;
    created(json!({ id_field: id }))
}

async fn create_referral_source(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    let catalog = NamedCatalog::ReferralSources;
    create_named(
        &state,
        &mut db,
        &company,
        catalog,
        &request,
        "referralSourceId",
    )
    .await
}

async fn create_pet_type(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    let catalog = NamedCatalog::PetTypes;
    create_named(&state, &mut db, &company, catalog, &request, "petTypeId").await
}

async fn create_pet_coat_type(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewNamedEntryRequest>,
) -> Answer<serde_json::Value> {
    let catalog = NamedCatalog::PetCoatTypes;
    create_named(
        &state,
        &mut db,
        &company,
        catalog,
        &request,
        "petCoatTypeId",
    )
    .await
}

async fn create_pet_size(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<PetSizeInput>,
) -> Answer<serde_json::Value> {
    let id = catalogs::create_pet_size(&state, &mut db, &company, &request).await?;
    created(json!({ "petSizeId": id }))
}

async fn create_custom_field(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<CustomFieldInput>,
) -> Answer<serde_json::Value> {
    let id = catalogs::create_custom_field(&state, &mut db, &company, &request).await?;
    created(json!({ "customFieldId": id }))
}

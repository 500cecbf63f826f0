//! Pets (PetService): a customer's animals with their notes and handling codes. Every pet path
//! names its customer: the customer decides tenancy (code 7 for another company's), and a pet
//! of another customer is NOT_FOUND, as the swagger documents for a wrong pet or customer ID.
//! Deletion is the operator's (soft: `deleted: true`); deleted pets read back flagged, are left
//! out of lists unless `includeDeleted` is sent, and refuse writes.

pub mod input;
pub mod profile;
pub mod store;
pub mod wire;

use std::collections::BTreeSet;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdKind, Status};
use sqlx::AnyConnection;

use crate::access;
use crate::wire::interval;
use crate::wire::{check_max_items, PathId, PathIdPair};
use input::{note_content, PetValues};
use store::{NewPet, PetCodeRow, PetRow};
use wire::{
    AppendPetCodesBody, AppendPetCodesResponse, AppendPetNotesBody, AppendPetNotesResponse,
    CreatePetBody, CreatePetResponse, DeletePetCodeResponse, ListAllPetsRequest,
    ListAllPetsResponse, ListPetNotesBody, ListPetNotesResponse, ListPetsBody, ListPetsResponse,
    Pet, PetInput, UpdatePetBody,
};

pub const READ_SCOPE: &str = "pets:read";
pub const WRITE_SCOPE: &str = "pets:write";

/// Most notes one request may append.
const MAX_NOTES_PER_REQUEST: usize = 100;

/// A customer named in a path, checked against the key.
#[derive(Debug, Clone, Copy)]
pub struct CustomerRef {
    pub id: i64,
    pub company_id: i64,
    pub deleted: bool,
}

/// What a pet write needs to know of the customer's company.
#[derive(Debug, Clone)]
pub struct CustomerScope {
    pub customer: CustomerRef,
    /// The company's country, in which national phone numbers are read.
    pub country: String,
}

/// Resolves a path's customer ID: "invalid obfuscate" when malformed, NOT_FOUND, or code 7
/// when it belongs to a company the key does not reach.
pub async fn authorize_customer(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    customer_id: &str,
) -> Result<CustomerScope, Status> {
    let id = decode(state, IdKind::Customer, customer_id)?;
    let owner = store::customer_owner(conn, id).await?;
    customer_scope(principal, id, owner)
}

/// The scope of customer `id` whose company and owner a statement read: NOT_FOUND for no such
/// customer, code 7 for a company the key does not reach.
fn customer_scope(
    principal: &MoegoPrincipal,
    id: i64,
    owner: Option<store::CustomerOwnerRow>,
) -> Result<CustomerScope, Status> {
    let row = owner.ok_or_else(|| Status::not_found("customer not found"))?;
    let owner = moapi_core::auth::CompanyOwner {
        company_id: row.company_id,
        client_id: row.client_id,
    };
    access::require(principal, owner, None)?;
    Ok(CustomerScope {
        customer: CustomerRef {
            id,
            company_id: row.company_id,
            deleted: row.deleted != 0,
        },
        country: row.country,
    })
}

fn decode(state: &AppState, kind: IdKind, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(kind, id)
        .map_err(|_| Status::invalid_obfuscate())
}

/// The pet a `(customerId, id)` path names, with its company's country. A pet of another
/// customer is NOT_FOUND.
async fn pet_of(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    (customer_id, pet_id): (&str, &str),
) -> Result<(PetRow, String), Status> {
    let scope = authorize_customer(state, principal, conn, customer_id).await?;
    let id = decode(state, IdKind::Pet, pet_id)?;
    let row = store::find(conn, id)
        .await?
        .filter(|row| row.customer_id == scope.customer.id)
        .ok_or_else(|| Status::not_found("pet not found for this customer"))?;
    Ok((row, scope.country))
}

fn pet_deleted() -> Status {
    Status::new(Code::FailedPrecondition, "the pet has been deleted")
}

/// Like [`pet_of`], for writes: a deleted pet refuses them. It reads before the write's
/// transaction (see [`begin_write`]).
async fn writable_pet(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    path: (&str, &str),
) -> Result<(PetRow, String), Status> {
    let (row, country) = pet_of(state, principal, conn, path).await?;
    if row.is_deleted() {
        return Err(pet_deleted());
    }
    Ok((row, country))
}

/// Begins a write's transaction. Checks run before it, so that its first statement writes: a
/// SQLite transaction that has read cannot take the write lock once another writer committed
/// (it fails at once instead of waiting), while one that starts by writing waits its turn.
pub async fn begin_write(db: &mut Conn) -> Result<sqlx::Transaction<'_, sqlx::Any>, Status> {
    Ok(db.begin().await?)
}

/// Resolves pet code references of the pet's company: at most 1,000, each a `pcd_` ID
/// of a code of that company (code 7 for another company's, NOT_FOUND for none).
pub async fn resolve_codes(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    field: &str,
    references: &[&str],
) -> Result<Vec<PetCodeRow>, Status> {
    check_max_items(field, references.len())?;
    let wanted: BTreeSet<i64> = references
        .iter()
        .map(|reference| decode(state, IdKind::PetCode, reference))
        .collect::<Result<_, _>>()?;
    let wanted: Vec<i64> = wanted.into_iter().collect();
    let found = store::codes_by_id(conn, &wanted).await?;
    if found.iter().any(|code| code.company_id != company_id) {
        return Err(Status::no_permission());
    }
    if found.len() != wanted.len() {
        return Err(Status::not_found(format!("{field}: pet code not found")));
    }
    Ok(found)
}

/// Validates note contents (`field[i].content`).
fn note_contents(field: &str, contents: &[&str]) -> Result<Vec<String>, Status> {
    if contents.len() > MAX_NOTES_PER_REQUEST {
        return Err(Status::invalid_argument(format!(
            "{field}: at most {MAX_NOTES_PER_REQUEST} notes per request"
        )));
    }
    contents
        .iter()
        .enumerate()
        .map(|(index, content)| note_content(&format!("{field}[{index}].content"), content))
        .collect()
}

/// A new pet checked against every rule: its fields, the company pet codes and the notes it
/// names.
pub struct CheckedPet {
    pub values: PetValues,
    pub code_ids: Vec<i64>,
    pub notes: Vec<String>,
}

/// Checks a new pet of company `company_id`; `field` is where it sits in the request.
pub async fn check_new_pet(
    state: &AppState,
    conn: &mut AnyConnection,
    (company_id, country): (i64, &str),
    field: &str,
    input: &PetInput,
) -> Result<CheckedPet, Status> {
    let values = PetValues::from_input(field, input, country)?;
    let references: Vec<&str> = input
        .pet_codes
        .iter()
        .map(|code| code.id.as_str())
        .collect();
    let codes = resolve_codes(
        state,
        conn,
        company_id,
        &format!("{field}.petCodes"),
        &references,
    )
    .await?;
    let notes = note_contents(
        &format!("{field}.notes"),
        &input
            .notes
            .iter()
            .map(|note| note.content.as_str())
            .collect::<Vec<_>>(),
    )?;
    Ok(CheckedPet {
        values,
        code_ids: codes.iter().map(|code| code.id).collect(),
        notes,
    })
}

/// Validates and creates a pet of a live customer, with the codes and notes it names, inside
/// the caller's transaction (PET_CREATED). The create operation, lead promotion and fixtures
/// all create pets this way.
pub async fn create_in(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: &CustomerScope,
    field: &str,
    input: &PetInput,
) -> Result<Pet, Status> {
    let customer = scope.customer;
    let checked = check_new_pet(
        state,
        conn,
        (customer.company_id, &scope.country),
        field,
        input,
    )
    .await?;
    insert_checked(state, conn, customer, &checked).await
}

async fn insert_checked(
    state: &AppState,
    conn: &mut AnyConnection,
    customer: CustomerRef,
    checked: &CheckedPet,
) -> Result<Pet, Status> {
    Ok(store::insert(
        conn,
        &state.ids,
        NewPet {
            company_id: customer.company_id,
            customer_id: customer.id,
            values: &checked.values,
            code_ids: &checked.code_ids,
            notes: &checked.notes,
        },
    )
    .await?)
}

/// Creates a pet (with any initial codes and notes) for a customer; emits PET_CREATED.
#[utoipa::path(post, path = "/v1/customers/{customerId}/pets", operation_id = "PetService_CreatePet",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)")),
    request_body = CreatePetBody,
    responses((status = 200, body = CreatePetResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_pet(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(customer_id): PathId,
    ProtoJson(body): ProtoJson<CreatePetBody>,
) -> Result<Json<CreatePetResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let (scope, checked) = {
        let conn = db.get().await?;
        let scope = authorize_customer(&state, &principal, conn, &customer_id).await?;
        if scope.customer.deleted {
            return Err(Status::new(
                Code::FailedPrecondition,
                "the customer has been deleted",
            ));
        }
        let input = body
            .pet
            .ok_or_else(|| Status::invalid_argument("pet: value is required"))?;
        let company = (scope.customer.company_id, scope.country.as_str());
        let checked = check_new_pet(&state, conn, company, "pet", &input).await?;
        (scope, checked)
    };
    let mut tx = begin_write(&mut db).await?;
    let pet = insert_checked(&state, &mut tx, scope.customer, &checked).await?;
    tx.commit().await?;
    Ok(Json(CreatePetResponse { pet }))
}

/// Retrieves one pet of a customer (a deleted one flagged `deleted: true`).
#[utoipa::path(get, path = "/v1/customers/{customerId}/pets/{id}", operation_id = "PetService_GetPet",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"), ("id" = String, Path, description = "Pet ID (pet_...)")),
    responses((status = 200, body = Pet), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_pet(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(customer_id, pet_id): PathIdPair,
) -> Result<Json<Pet>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    // One statement reads the customer's company, the pet and its details; the checks then
    // answer in the order `pet_of` does.
    let customer = decode(&state, IdKind::Customer, &customer_id)?;
    let pet = decode(&state, IdKind::Pet, &pet_id);
    let found = store::find_of_customer(conn, customer, pet.as_ref().copied().unwrap_or(0)).await?;
    let (owner, record) = found.unzip();
    customer_scope(&principal, customer, owner)?;
    pet?;
    let record = record
        .flatten()
        .ok_or_else(|| Status::not_found("pet not found for this customer"))?;
    Ok(Json(record.to_wire(&state.ids)))
}

/// Updates a pet: fields absent from the body keep their values; emits PET_UPDATED.
#[utoipa::path(put, path = "/v1/customers/{customerId}/pets/{id}", operation_id = "PetService_UpdatePet",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"), ("id" = String, Path, description = "Pet ID (pet_...)")),
    request_body = UpdatePetBody,
    responses((status = 200, body = Pet), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_pet(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(customer_id, pet_id): PathIdPair,
    ProtoJson(body): ProtoJson<UpdatePetBody>,
) -> Result<Json<Pet>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let (row, country) =
        writable_pet(&state, &principal, db.get().await?, (&customer_id, &pet_id)).await?;
    let values = row.values().patched(&body, &country)?;
    let mut tx = begin_write(&mut db).await?;
    // A pet deleted since the check is refused, and nothing is written.
    let pet = store::update(&mut tx, &state.ids, row.id, &values)
        .await?
        .ok_or_else(pet_deleted)?;
    tx.commit().await?;
    Ok(Json(pet))
}

/// Lists a customer's pets by ID (the vendor's request has no pagination).
#[utoipa::path(post, path = "/v1/customers/{customerId}/pets:list", operation_id = "PetService_ListPets",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)")),
    request_body = ListPetsBody,
    responses((status = 200, body = ListPetsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_pets(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(customer_id): PathId,
    ProtoJson(body): ProtoJson<ListPetsBody>,
) -> Result<Json<ListPetsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let scope = authorize_customer(&state, &principal, conn, &customer_id).await?;
    let rows = store::list_of_customer(conn, scope.customer.id, body.include_deleted).await?;
    let pets = store::with_details(conn, rows)
        .await?
        .iter()
        .map(|record| record.to_wire(&state.ids))
        .collect();
    Ok(Json(ListPetsResponse { pets }))
}

/// Lists a company's pets by ID, optionally of some customers or updated in a window.
#[utoipa::path(post, path = "/v1/pets:list", operation_id = "PetService_ListAllPets",
    request_body = ListAllPetsRequest,
    responses((status = 200, body = ListAllPetsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_all_pets(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListAllPetsRequest>,
) -> Result<Json<ListAllPetsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let filter = request.filter.unwrap_or_default();
    check_max_items("filter.customerIds", filter.customer_ids.len())?;
    let customer_ids = (!filter.customer_ids.is_empty())
        .then(|| {
            filter
                .customer_ids
                .iter()
                .map(|id| decode(&state, IdKind::Customer, id))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let last_updated = filter
        .last_updated_time
        .map(|window| interval("filter.lastUpdatedTime", &window))
        .transpose()?
        .unwrap_or_default();
    let query = store::ListQuery {
        company_id: owner.company_id,
        customer_ids,
        last_updated,
        include_deleted: request.include_deleted,
    };
    let mut rows = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    let pets = store::with_details(conn, rows)
        .await?
        .iter()
        .map(|record| record.to_wire(&state.ids))
        .collect();
    Ok(Json(ListAllPetsResponse {
        next_page_token,
        pets,
    }))
}

/// Appends notes to a pet; emits PET_UPDATED (notes are part of the pet).
#[utoipa::path(post, path = "/v1/customers/{customerId}/pets/{id}/notes", operation_id = "PetService_AppendPetNotes",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"), ("id" = String, Path, description = "Pet ID (pet_...)")),
    request_body = AppendPetNotesBody,
    responses((status = 200, body = AppendPetNotesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn append_pet_notes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(customer_id, pet_id): PathIdPair,
    ProtoJson(body): ProtoJson<AppendPetNotesBody>,
) -> Result<Json<AppendPetNotesResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    if body.notes.is_empty() {
        return Err(Status::invalid_argument(
            "notes: at least one note is required",
        ));
    }
    let contents = note_contents(
        "notes",
        &body
            .notes
            .iter()
            .map(|n| n.content.as_str())
            .collect::<Vec<_>>(),
    )?;
    let (row, _) =
        writable_pet(&state, &principal, db.get().await?, (&customer_id, &pet_id)).await?;
    let mut tx = begin_write(&mut db).await?;
    let notes = store::insert_notes(&mut tx, row.id, &contents).await?;
    store::touch(&mut tx, &state.ids, row.id)
        .await?
        .ok_or_else(pet_deleted)?;
    tx.commit().await?;
    Ok(Json(AppendPetNotesResponse {
        notes: notes.iter().map(|note| note.to_wire(&state.ids)).collect(),
    }))
}

/// Lists a pet's notes, newest first.
#[utoipa::path(post, path = "/v1/customers/{customerId}/pets/{id}/notes:list", operation_id = "PetService_ListPetNotes",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"), ("id" = String, Path, description = "Pet ID (pet_...)")),
    request_body = ListPetNotesBody,
    responses((status = 200, body = ListPetNotesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_pet_notes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(customer_id, pet_id): PathIdPair,
    ProtoJson(body): ProtoJson<ListPetNotesBody>,
) -> Result<Json<ListPetNotesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(body.pagination.as_ref())?;
    let conn = db.get().await?;
    let (row, _) = pet_of(&state, &principal, conn, (&customer_id, &pet_id)).await?;
    let mut notes = store::list_notes(conn, row.id, page).await?;
    let next_page_token = page.finish(&mut notes);
    Ok(Json(ListPetNotesResponse {
        next_page_token,
        notes: notes.iter().map(|note| note.to_wire(&state.ids)).collect(),
    }))
}

/// Attaches company pet codes to a pet (codes it carries already stay); emits PET_UPDATED.
#[utoipa::path(post, path = "/v1/customers/{customerId}/pets/{id}/codes", operation_id = "PetService_AppendPetCodes",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"), ("id" = String, Path, description = "Pet ID (pet_...)")),
    request_body = AppendPetCodesBody,
    responses((status = 200, body = AppendPetCodesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn append_pet_codes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(customer_id, pet_id): PathIdPair,
    ProtoJson(body): ProtoJson<AppendPetCodesBody>,
) -> Result<Json<AppendPetCodesResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    if body.pet_code_ids.is_empty() {
        return Err(Status::invalid_argument("petCodeIds: value is required"));
    }
    let conn = db.get().await?;
    let (row, _) = writable_pet(&state, &principal, conn, (&customer_id, &pet_id)).await?;
    let references: Vec<&str> = body.pet_code_ids.iter().map(String::as_str).collect();
    let codes = resolve_codes(&state, conn, row.company_id, "petCodeIds", &references).await?;
    let mut tx = begin_write(&mut db).await?;
    let code_ids: Vec<i64> = codes.iter().map(|code| code.id).collect();
    store::link_codes(&mut tx, row.id, &code_ids).await?;
    store::touch(&mut tx, &state.ids, row.id)
        .await?
        .ok_or_else(pet_deleted)?;
    tx.commit().await?;
    Ok(Json(AppendPetCodesResponse {
        codes: codes.iter().map(|code| code.to_wire(&state.ids)).collect(),
    }))
}

/// Detaches a code from a pet (the company's code itself stays); emits PET_UPDATED.
#[utoipa::path(delete, path = "/v1/customers/{customerId}/pets/{id}/codes/{petCodeId}", operation_id = "PetService_DeletePetCode",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"), ("id" = String, Path, description = "Pet ID (pet_...)"), ("petCodeId" = String, Path, description = "Pet code ID (pcd_...)")),
    responses((status = 200, body = DeletePetCodeResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn delete_pet_code(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<Json<DeletePetCodeResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    // Three path IDs; one that is not text is as malformed as a tampered one.
    let Path((customer_id, pet_id, code_id)) = path.map_err(|_| Status::invalid_obfuscate())?;
    let (row, _) =
        writable_pet(&state, &principal, db.get().await?, (&customer_id, &pet_id)).await?;
    let code_id = decode(&state, IdKind::PetCode, &code_id)?;
    let mut tx = begin_write(&mut db).await?;
    if !store::unlink_code(&mut tx, row.id, code_id).await? {
        return Err(Status::not_found("the pet does not carry this pet code"));
    }
    store::touch(&mut tx, &state.ids, row.id)
        .await?
        .ok_or_else(pet_deleted)?;
    tx.commit().await?;
    Ok(Json(DeletePetCodeResponse {}))
}

/// PetService's routes. Under `/v1/customers/` the customer is `{id}` (and the pet `{petId}`)
/// as in the customer routes, because the router allows one name per position; handlers read
/// path IDs by position, and the documented names stay the vendor's.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{delete, post};
    axum::Router::new()
        .route("/v1/pets:list", post(list_all_pets))
        .route("/v1/customers/{id}/pets", post(create_pet))
        .route("/v1/customers/{id}/pets:list", post(list_pets))
        .route(
            "/v1/customers/{id}/pets/{petId}",
            axum::routing::get(get_pet).put(update_pet),
        )
        .route(
            "/v1/customers/{id}/pets/{petId}/notes",
            post(append_pet_notes),
        )
        .route(
            "/v1/customers/{id}/pets/{petId}/notes:list",
            post(list_pet_notes),
        )
        .route(
            "/v1/customers/{id}/pets/{petId}/codes",
            post(append_pet_codes),
        )
        .route(
            "/v1/customers/{id}/pets/{petId}/codes/{petCodeId}",
            delete(delete_pet_code),
        )
}
